"""`harness generate`: a deterministic synthetic labelled corpus for benchmarks and scale tests.

`generate(tickets, seed, contract)` yields scenario records in DOMAIN.md's shape, drawn from the
templates in `templates` (one per (persona, issue, channel) triple the rulings allow) with
realistic IDs (`ids`) and the noise of real tickets (`noise`). Everything random comes from one
`random.Random(seed)`, so the same (tickets, seed) gives the same records, and the same file byte
for byte.

`write_corpus` streams them to JSON Lines (the nested shape, one record a line), CSV or Parquet
(the flat `writers.COLUMNS` layout; list cells `;`-joined in CSV, list<string> in Parquet;
`expect_findings` empty/null = not labelled, `none`/empty list = labelled with no findings).

Where it writes: a new file in an existing folder, or a file `harness generate` wrote before, in
any of the three formats, recognised by content: a JSON Lines file whose first line is a JSON
object with a `source` starting "harness generate"; a CSV file whose first line is the exact
`COLUMNS` header and whose first row's `source` starts so; a Parquet file whose footer metadata
has the key `harness-generate`. Anything else (another file, even empty; a folder, a symbolic
link, a device) is refused with `HarnessError` and left untouched. The corpus is written to a
temporary file beside the target and renamed over it at the end, so a failed run leaves the old
file as it was (a killed run may leave a `.NAME.*.tmp` file behind, never a half-written target).
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Callable, Iterator
from functools import cache
from json.encoder import encode_basestring as _quote  # the escaping json.dumps uses
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from harness.contract import Contract, default_contract
from harness.errors import HarnessError, Location
from harness.generate import noise
from harness.generate.ids import ID_SLOTS, pick
from harness.generate.templates import PADDING, TEMPLATES, WORDS, Template
from harness.generate.writers import (
    SOURCE_PREFIX,
    write_atomically,
    write_csv,
    write_jsonl,
    write_parquet,
)

FORMATS = ("jsonl", "csv", "parquet")

CONTEXT_RATE = 0.3  # share of tickets given a line or two of background
LONG_RATE = 0.08  # share given a long tail of paragraphs (tagged "long")
PERSONA_SHOWN_RATE = 0.35  # share whose form states the persona
RIGHT_VIA_RATE = 0.1  # share that says it arrived through the channel the label names
WRONG_VIA_RATE = 0.06  # share that arrived through a channel that cannot resolve it

#: Arrival channels that cannot resolve a ticket whose answer is the key (default: the main app only).
#: The main TikTok app reaches no shop or creator support; a shopper, a creator or a locked-out
#: seller cannot be helped in the logged-in Seller Center chat.
_WRONG_VIA: dict[str, tuple[str, ...]] = {
    channel: ("tiktok_app_feedback", "seller_center_chat")
    for channel in ("shopper_app_help", "seller_contact_form", "creator_help_chat", "creator_help_ticket")
}
#: Answers that are teams a ticket is passed to, never a place it is submitted through.
_NOT_AN_ARRIVAL = frozenset({"program_team", "account_manager_escalation", "creator_program_escalation"})


class _Prepared(NamedTuple):
    """A template with what the generator needs per ticket worked out once (the hot loop is short)."""

    template: Template
    text: str  # the text with positional slots: {0}, {1} ...
    words: tuple[str, ...]
    typo_words: tuple[int, ...]
    fillers: tuple[Callable[[random.Random], str], ...]  # one per positional slot
    hostile: bool
    right_via: str | None
    wrong_via: tuple[str, ...]
    padding: tuple[str, ...]
    expects: tuple[dict[str, Any], ...]  # index: 1 adds appeal-too-long, 2 wrong-channel, 3 both
    # The same as JSON, so a JSON Lines line costs one string escape (json.dumps per record would
    # halve the writing speed); the tests check every line equals json.dumps of its record.
    expects_json: tuple[str, ...]
    tags_json: tuple[str, str]  # without and with the "long" tag
    persona_json: str
    attachments_json: str


def _filler(slot: str) -> Callable[[random.Random], str]:
    make = ID_SLOTS.get(slot)
    if make is not None:
        return make
    words, count = WORDS[slot], len(WORDS[slot])
    return lambda rng: words[int(rng.random() * count)]  # `pick` inlined: one call less per slot


def _expect(template: Template, order: dict[str, int], *extra: str) -> dict[str, Any]:
    t = template
    expect: dict[str, Any] = {"persona": t.persona, "issue": t.issue, "channel": t.channel}
    if t.findings is not None:  # in contract order (`order`: finding -> position): a canonical file
        expect["findings"] = sorted({*t.findings, *extra}, key=order.__getitem__)
    return expect


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _prepare(template: Template, order: dict[str, int]) -> _Prepared:
    slots: list[str] = []
    text = ""
    for literal, slot, _, _ in string.Formatter().parse(template.text):
        text += literal
        if slot:
            if slot not in slots:
                slots.append(slot)
            text += f"{{{slots.index(slot)}}}"
    words = tuple(text.split(" "))
    expects = (
        _expect(template, order),
        _expect(template, order, "appeal-too-long"),
        _expect(template, order, "wrong-channel"),
        _expect(template, order, "wrong-channel", "appeal-too-long"),
    )
    tags = ["generated", template.persona]
    return _Prepared(
        template,
        text,
        words,
        noise.eligible_words(words),
        tuple(_filler(slot) for slot in slots),
        template.findings is not None and "hostile-tone" in template.findings,
        None if template.channel in _NOT_AN_ARRIVAL else template.channel,
        _WRONG_VIA.get(template.channel, ("tiktok_app_feedback",)),
        () if template.pad is None else PADDING[template.pad, template.persona],
        expects,
        tuple(_json(e) for e in expects),
        (_json(tags), _json([*tags, "long"])),
        f", \"persona\": {_json(template.persona)}",
        f", \"attachments\": {_json(list(template.attachments))}" if template.attachments else "",
    )


class _Tables(NamedTuple):
    """Every template prepared, and each arrival channel's JSON, for one contract (the templates name
    the bundled contract's labels; a contract given instead must hold them)."""

    prepared: tuple[_Prepared, ...]
    via_json: dict[str, str]


@cache
def _tables(contract: Contract) -> _Tables:
    order = {finding: i for i, finding in enumerate(contract.findings)}
    return _Tables(
        tuple(_prepare(t, order) for t in TEMPLATES),
        {c: f", \"submitted_via\": {_json(c)}" for c in contract.arrivals},
    )


#: One ticket as drawn: its template, final text, whether the form shows the persona, the arrival
#: channel, which of `_Prepared.expects` applies, whether the text got a long tail. (A plain tuple:
#: a NamedTuple per ticket costs a tenth of the writing speed.)
_Draw = tuple[_Prepared, str, bool, str | None, int, bool]


def _draws(tickets: int, seed: int, prepared: tuple[_Prepared, ...]) -> Iterator[_Draw]:
    rng = random.Random(seed)
    draw = rng.random
    for _ in range(tickets):
        p = prepared[int(draw() * len(prepared))]
        t = p.template
        text = p.text
        if not p.hostile:  # a hostile template keeps its shouting and its exact words
            if p.typo_words and draw() < noise.TYPO_RATE:
                text = noise.misspell(rng, p.words, p.typo_words)
            if draw() < noise.RECASE_RATE:
                text = noise.recase(rng, text)
        if p.fillers:
            text = text.format(*[fill(rng) for fill in p.fillers])
        length = draw() if p.padding else 1.0
        long = length < LONG_RATE
        variant = 0  # 1: appeal-too-long, 2: wrong-channel, 3: both
        if long:
            if t.pad == "story":
                total = rng.randint(60, 150) if draw() < 0.7 else rng.randint(150, 800)
            else:  # an appeal: well past "about 200 words", so appeal-too-long is certain
                total = rng.randint(240, 600)
                variant = 1
            text += noise.padding(rng, p.padding, total - text.count(" ") - 1)
        elif length < LONG_RATE + CONTEXT_RATE:
            text += noise.context(rng, p.padding)
        if draw() < noise.GREETING_RATE:
            text = noise.greeting(rng) + text
        if draw() < noise.SIGNOFF_RATE:
            text += noise.signoff(rng)
        shown = draw() < PERSONA_SHOWN_RATE
        via = draw()
        if via < RIGHT_VIA_RATE:
            yield p, text, shown, p.right_via, variant, long
        elif via < RIGHT_VIA_RATE + WRONG_VIA_RATE:
            yield p, text, shown, pick(rng, p.wrong_via), variant + 2, long
        else:
            yield p, text, shown, None, variant, long


def _source(tickets: int, seed: int) -> str:
    return f"{SOURCE_PREFIX} --tickets {tickets} --seed {seed}"


def _check_count(tickets: int) -> None:
    if tickets < 0:
        raise ValueError(f"tickets must be at least 0, not {tickets}")


def generate(tickets: int, seed: int = 0, contract: Contract | None = None) -> Iterator[dict[str, Any]]:
    """Yield `tickets` scenario records (ids gen-1 .. gen-N, zero-padded to the width of N), their
    findings in the order of `contract` (default: the bundled contract)."""
    _check_count(tickets)
    width = len(str(tickets))
    source = _source(tickets, seed)
    prepared = _tables(default_contract() if contract is None else contract).prepared
    for number, (p, text, shown, via, variant, long) in enumerate(_draws(tickets, seed, prepared), start=1):
        t = p.template
        ticket: dict[str, Any] = {"text": text}
        if shown:
            ticket["persona"] = t.persona
        if via is not None:
            ticket["submitted_via"] = via
        if t.attachments:
            ticket["attachments"] = list(t.attachments)
        expect = dict(p.expects[variant])  # fresh lists and dicts: a caller may change its record
        if "findings" in expect:
            expect["findings"] = list(expect["findings"])
        yield {
            "id": "gen-" + str(number).zfill(width),
            "source": source,
            "tags": ["generated", t.persona, "long"] if long else ["generated", t.persona],
            "ticket": ticket,
            "expect": expect,
        }


def jsonl_lines(tickets: int, seed: int = 0, contract: Contract | None = None) -> Iterator[str]:
    """`generate(tickets, seed, contract)` as JSON Lines: each line is json.dumps(record, ensure_ascii=False)."""
    _check_count(tickets)
    width = len(str(tickets))
    head = f"\", \"source\": {_json(_source(tickets, seed))}, \"tags\": "
    prepared, via_json = _tables(default_contract() if contract is None else contract)
    for number, (p, text, shown, via, variant, long) in enumerate(_draws(tickets, seed, prepared), start=1):
        yield (
            f"{{\"id\": \"gen-{str(number).zfill(width)}{head}{p.tags_json[long]}"
            f", \"ticket\": {{\"text\": {_quote(text)}{p.persona_json if shown else ''}{'' if via is None else via_json[via]}{p.attachments_json}"
            f"}}, \"expect\": {p.expects_json[variant]}}}\n"
        )


def write_corpus(path: Path, tickets: int, seed: int, fmt: str, contract: Contract | None = None) -> int:
    """Write `generate(tickets, seed, contract)` to `path` as `fmt` (jsonl, csv or parquet); return the count.

    Streams in constant memory; atomic; refuses a target it may not replace (module docstring)."""
    if tickets < 1:
        raise HarnessError.at(Location("harness"), f"--tickets must be at least 1, not {tickets}")
    if fmt not in FORMATS:
        raise HarnessError.at(
            Location("harness"), f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}"
        )
    source = _source(tickets, seed)
    writers: dict[str, Callable[[BinaryIO], int]] = {
        "jsonl": lambda handle: write_jsonl(handle, jsonl_lines(tickets, seed, contract)),
        "csv": lambda handle: write_csv(handle, generate(tickets, seed, contract)),
        "parquet": lambda handle: write_parquet(handle, generate(tickets, seed, contract), source),
    }
    return write_atomically(path, writers[fmt])


__all__ = ["FORMATS", "generate", "jsonl_lines", "write_corpus"]
