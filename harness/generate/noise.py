"""How real users write: typos, casing, greetings and sign-offs, a line of context, a long tail.

None of it may change a label (see `templates`): typos spare short words and the words labels
hinge on, casing never shouts (several words in capitals would be `hostile-tone`), and greetings,
sign-offs and padding hold no IDs, no requests and no files.
"""

from __future__ import annotations

import random

from harness.generate.ids import pick
from harness.generate.templates import GREETINGS, NAMES, PADDING, SIGNOFFS

#: Words a typo would blur for a reader deciding a label or a finding; shorter words are spared anyway.
PROTECTED = frozenset(
    {
        "order", "orders", "refund", "refunded", "return", "returns", "returned", "cancel", "payment",
        "charged", "charge", "twice", "locked", "unlock", "login", "violation", "appeal", "appealing",
        "contest", "contesting", "attached", "screenshot", "screenshots", "photos", "receipt", "certificate",
        "escalate", "escalated", "escalation", "supervisor", "manager", "exception", "policy", "restricted",
        "followers", "listing", "sample", "samples", "removed", "account", "reverse", "release", "speed",
        "block", "dispute", "chargeback", "payout", "frozen", "delivered", "instead", "waiting", "window",
        "affiliate", "commission", "program", "creator", "seller", "buyer", "video", "videos", "strike",
        "restriction", "suspension", "upheld", "courtesy", "reserve"
    }
)

TYPO_RATE = 0.4  # share of (calm) tickets with one or two misspelt words
RECASE_RATE = 0.35  # share of (calm) tickets written all in lowercase
GREETING_RATE = 0.35
SIGNOFF_RATE = 0.3


def eligible_words(words: tuple[str, ...]) -> tuple[int, ...]:
    """Indices of the words a typo may touch: plain lowercase words of five letters or more."""
    return tuple(
        i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha() and w.islower() and w not in PROTECTED
    )


def _misspell(rng: random.Random, word: str) -> str:
    i = 1 + int(rng.random() * (len(word) - 2))  # the first letter stays: still readable
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped neighbours
    if kind < 0.7:
        return word[:i] + word[i + 1 :]  # a dropped letter
    return word[:i] + word[i] + word[i:]  # a doubled letter


def misspell(rng: random.Random, words: tuple[str, ...], eligible: tuple[int, ...]) -> str:
    """The words joined back with one or two of the eligible ones misspelt."""
    changed = list(words)
    for _ in range(1 if rng.random() < 0.75 else 2):
        i = pick(rng, eligible)
        changed[i] = _misspell(rng, changed[i])
    return " ".join(changed)


def recase(rng: random.Random, text: str) -> str:
    if rng.random() < 0.7:
        return text.lower()
    return text.lower().replace("'", "")  # "dont", "im": the phone-keyboard register


def greeting(rng: random.Random) -> str:
    return pick(rng, GREETINGS)


def signoff(rng: random.Random) -> str:
    return pick(rng, SIGNOFFS).format(name=pick(rng, NAMES))


def context(rng: random.Random, sentences: tuple[str, ...]) -> str:
    """One or two different background sentences, appended to the ticket's paragraph."""
    i = int(rng.random() * len(sentences))
    if rng.random() < 0.5:
        return " " + sentences[i]
    return " " + sentences[i] + " " + sentences[i - 1]


def padding(rng: random.Random, sentences: tuple[str, ...], words: int) -> str:
    """Paragraphs of five background sentences, adding up to at least `words` words.

    The sentences come in a shuffled order, repeated once they are used up."""
    order = list(sentences)
    rng.shuffle(order)
    cycles, rest = divmod(words, _CYCLE_WORDS[sentences])
    chosen = order * cycles
    for sentence in order:
        if rest <= 0:
            break
        chosen.append(sentence)
        rest -= sentence.count(" ") + 1
    paragraphs = [" ".join(chosen[i : i + 5]) for i in range(0, len(chosen), 5)]
    return "\n\n" + "\n\n".join(paragraphs)


#: Words in one pass through each padding list (the same in any order): whole passes cost nothing to count.
_CYCLE_WORDS = {sentences: sum(s.count(" ") + 1 for s in sentences) for sentences in PADDING.values()}
