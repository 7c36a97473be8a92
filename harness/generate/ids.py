"""Realistic identifiers for generated tickets, each with the words users put in front of it.

Every function takes the corpus's `random.Random` and returns the phrase as it appears in a ticket
("order #576912348877120345", "shop ID 7491820036617452210"). The keyword always comes with the
number, so a generated ticket that has an ID has it in a form DOMAIN.md counts as present.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

_UPPER_ALNUM = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_SKU_PREFIXES = ("HB", "KT", "LM", "BT", "CHL", "MX", "VB", "LUX", "EB", "TW", "GL", "PR")
_SKU_SUFFIXES = ("BLK", "WHT", "BLU", "GRY", "RED", "PNK", "S", "M", "L", "XL", "2PK", "30ML")
_ORDER_FORMS = ("order {}", "order #{}", "order number {}", "order ID {}", "order id: {}")
_SHOP_FORMS = ("shop ID {}", "shop id {}", "Shop ID: {}", "shop {}", "store ID {}")
_SKU_FORMS = ("SKU {}", "SKU: {}", "sku {}")
_PRODUCT_FORMS = ("product ID {}", "product {}")
_VIOLATION_FORMS = ("violation {}", "violation ID {}", "violation reference {}", "violation ref {}")
_TRACKING_FORMS = ("tracking {}", "tracking number {}", "tracking #{}")


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """What `rng.choice` does, in a third of the time: the generator draws several per ticket."""
    return options[int(rng.random() * len(options))]


def _number(rng: random.Random, low: int, high: int) -> str:
    """A number in [low, high) as text (64 random bits modulo a span below 2**63: no visible bias)."""
    return str(low + rng.getrandbits(64) % (high - low))


def order_id(rng: random.Random) -> str:
    # TikTok Shop US order IDs: 18 digits starting 576-581, and lately some with 19.
    if rng.random() < 0.2:
        return _number(rng, 5_760_000_000_000_000_000, 5_820_000_000_000_000_000)
    return _number(rng, 576_000_000_000_000_000, 582_000_000_000_000_000)


def shop_id(rng: random.Random) -> str:
    # Shop IDs are 19 digits starting 74-75; older shops show a 13-digit one.
    if rng.random() < 0.3:
        return _number(rng, 7_400_000_000_000, 7_520_000_000_000)
    return _number(rng, 7_400_000_000_000_000_000, 7_520_000_000_000_000_000)


def tracking_number(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.5:  # USPS: 22 digits
        return pick(rng, ("9400", "9205", "9361")) + _number(rng, 10**17, 10**18)
    if kind < 0.8:  # UPS: 1Z and 16 letters and digits
        return "1Z" + "".join(rng.choices(_UPPER_ALNUM, k=16))
    return _number(rng, 10**11, 10**12)  # FedEx: 12 digits


def order_ref(rng: random.Random) -> str:
    if rng.random() < 0.03:  # a redacted placeholder counts as present (DOMAIN.md)
        return "order [order id]"
    return pick(rng, _ORDER_FORMS).format(order_id(rng))


def shop_ref(rng: random.Random) -> str:
    return pick(rng, _SHOP_FORMS).format(shop_id(rng))


def sku_ref(rng: random.Random) -> str:
    if rng.random() < 0.3:  # a numeric product ID, as the product page shows it
        number = _number(rng, 1_729_000_000_000_000_000, 1_731_000_000_000_000_000)
        return pick(rng, _PRODUCT_FORMS).format(number)
    code = f"{pick(rng, _SKU_PREFIXES)}-{_number(rng, 100, 10000)}-{pick(rng, _SKU_SUFFIXES)}"
    return pick(rng, _SKU_FORMS).format(code)


def violation_ref(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.5:
        month, day = int(rng.random() * 12) + 1, int(rng.random() * 28) + 1
        number = f"VR-{_number(rng, 2023, 2026)}{month:02d}{day:02d}-{_number(rng, 10000, 100000)}"
    elif kind < 0.8:
        number = f"VR-{_number(rng, 1_000_000, 10_000_000)}"
    else:
        number = _number(rng, 1_000_000_000, 10_000_000_000)
    return pick(rng, _VIOLATION_FORMS).format(number)


def tracking_ref(rng: random.Random) -> str:
    return pick(rng, _TRACKING_FORMS).format(tracking_number(rng))


#: Template slots filled with an identifier (the other slots are word lists in `templates.WORDS`).
ID_SLOTS: dict[str, Callable[[random.Random], str]] = {
    "order": order_ref,
    "shop": shop_ref,
    "sku": sku_ref,
    "violation": violation_ref,
    "tracking": tracking_ref,
}
