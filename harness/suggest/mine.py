"""Mining candidate phrases: word n-grams frequent in failing scenarios and rare elsewhere.

Text is read the way the engines read it: folded by `harness.match.text.prepare` (NFKC, ASCII
quotes and dashes, diacritics stripped), then lowercased. A token is a run of word characters,
possibly with inner apostrophes ("can't"). Tokens join into an n-gram only when nothing but
spaces or hyphens separate them, because that is all a space in a phrase matches ("log in" finds
"log-in" but never "log, in"); so every mined n-gram, written with single spaces, is a phrase
that matches where it was mined. N-grams made only of stopwords and numbers are skipped.

These counts only rank candidates for the trial (`trial.py`); the trial itself matches with the
engine's own phrase semantics, so the figures it reports never depend on this tokenizer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

MAX_WORDS = 3

_TOKEN = re.compile(r"\w+(?:'\w+)*")
_JOINERS = frozenset(" \t\n\f\r-")

# Function words: an n-gram made of nothing but these (and numbers) is never a candidate.
# Apostrophes are dropped before the lookup, so "don't" is found as "dont".
_STOPWORDS = """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can cant could couldnt did didnt do does doesnt doing dont down during
    each few for from further had hadnt has hasnt have havent having he hed hell hes her here heres
    hers herself him himself his how hows i id ill im ive if in into is isnt it its itself lets me
    more most my myself no nor not of off on once only or other ought our ours ourselves out over
    own same she shed shell shes should shouldnt so some such than that thats the their theirs them
    themselves then there theres these they theyd theyll theyre theyve this those through to too
    under until up very was wasnt we wed well were weve werent what whats when whens where wheres
    which while who whos whom why whys will with wont would wouldnt you youd youll youre youve your
    yours yourself yourselves just also still now get got u ur pls please thanks thank hi hello hey
"""
STOPWORDS = frozenset(_STOPWORDS.split())


def _is_filler(token: str) -> bool:
    return token.replace("'", "") in STOPWORDS or not any(ch.isalpha() for ch in token)


def _loose_ends(gram: str) -> int:
    """How many of the phrase's two ends are a stopword or a number (0, 1 or 2)."""
    tokens = gram.split(" ")
    return int(_is_filler(tokens[0])) + int(_is_filler(tokens[-1]))


def ngrams(normalized: str, max_words: int = MAX_WORDS) -> frozenset[str]:
    """Every 1..max_words word n-gram of a folded text, lowercased, fillers-only ones skipped."""
    text = normalized.lower()
    runs: list[list[str]] = []  # maximal runs of tokens separated only by spaces or hyphens
    last_end = -1
    for match in _TOKEN.finditer(text):
        gap = text[last_end : match.start()] if last_end >= 0 else ""
        if runs and gap and all(ch in _JOINERS for ch in gap):
            runs[-1].append(match.group())
        else:
            runs.append([match.group()])
        last_end = match.end()
    found: set[str] = set()
    for run in runs:
        for start in range(len(run)):
            for size in range(1, max_words + 1):
                piece = run[start : start + size]
                if len(piece) < size:
                    break
                if not all(_is_filler(token) for token in piece):
                    found.add(" ".join(piece))
    return frozenset(found)


@dataclass(frozen=True)
class Mined:
    """A phrase with its support among the failing scenarios and among the other labels' scenarios."""

    phrase: str
    failing: int  # failing scenarios that expect the label and contain the phrase
    elsewhere: int  # scenarios expecting another label for the field that contain the phrase


class Index:
    """The n-grams of every scenario and, for each n-gram, the scenarios (by position) holding it."""

    def __init__(self, texts: Sequence[str], max_words: int = MAX_WORDS) -> None:
        self.grams = tuple(ngrams(text, max_words) for text in texts)
        postings: dict[str, list[int]] = {}
        for position, grams in enumerate(self.grams):
            for gram in grams:
                postings.setdefault(gram, []).append(position)
        self.postings: Mapping[str, tuple[int, ...]] = {g: tuple(p) for g, p in postings.items()}

    def mine(
        self, failing: Iterable[int], other: Sequence[bool], min_support: int, limit: int
    ) -> list[Mined]:
        """The `limit` best phrases by contrast (failing - elsewhere, then failing), each in at least
        `min_support` failing scenarios. `other[i]` says whether scenario i expects another label.

        Phrases found in exactly the same scenarios behave the same way in the trial, so only one
        of them is kept: the one with the fewest stopwords or numbers at its ends, then the most
        words, then the first alphabetically. The corpus cannot tell them apart, so the most
        specific reading wins ("money back" over "money" and "back"), but not by padding a word
        with function words ("zorblax" over "the zorblax")."""
        counts = Counter(gram for position in failing for gram in self.grams[position])
        scored: list[tuple[tuple[int, int, int, int, str], Mined]] = []
        for gram, failing_count in counts.items():
            if failing_count < min_support:
                continue
            elsewhere = sum(1 for position in self.postings[gram] if other[position])
            key = (elsewhere - failing_count, -failing_count, _loose_ends(gram), -gram.count(" "), gram)
            scored.append((key, Mined(gram, failing_count, elsewhere)))
        scored.sort(key=lambda item: item[0])
        chosen: list[Mined] = []
        seen: set[tuple[int, ...]] = set()
        for _, mined in scored:
            holders = self.postings[mined.phrase]
            if holders in seen:
                continue
            seen.add(holders)
            chosen.append(mined)
            if len(chosen) >= limit:
                break
        return chosen
