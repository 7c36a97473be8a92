"""Ticket text prepared for matching, with a map back to the original characters.

RE2's `\\b`, `\\w` and `\\s` are ASCII-only, so the text is folded before matching: Unicode NFKC,
curly quotes and dashes to ASCII, odd spaces to a plain space, zero-width characters dropped and
diacritics stripped ("café" reads as "cafe"). Folding works character by character so every
normalized character knows the original character it came from; spans are reported on the
original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from harness.model import Span

_FOLD = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", ""),
    "\u2028": "\n",
    "\u2029": "\n",
    "\r": "",
}

# A sentence ends at . ! or ? followed by a space or the end, or at a line break.
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _FOLD:
        return _FOLD[ch]
    if ch != "\n" and (ch.isspace() or unicodedata.category(ch) in ("Cc", "Zs")):
        return " "
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", ch))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", stripped) or ch


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@dataclass(frozen=True)
class Text:
    original: str
    normalized: str
    origin: tuple[int, ...]  # origin[i]: index in `original` of normalized character i (one extra at end)
    sentences: tuple[tuple[int, int], ...]  # (start, end) in normalized offsets, blank ones dropped
    words: int

    def span(self, start: int, end: int) -> Span:
        a, b = self.origin[start], self.origin[end]
        if end > start and b <= a:  # a folded character that grew: cover at least its source
            b = a + 1
        return Span(a, b, self.original[a:b])

    def opening_end(self, sentences: int, is_greeting: set[int]) -> int:
        """Normalized offset where the opening ends: after `sentences` sentences, greetings not counted."""
        counted = 0
        for index, (_, end) in enumerate(self.sentences):
            if index in is_greeting:
                continue
            counted += 1
            if counted == sentences:
                return end
        return len(self.normalized)


def prepare(original: str) -> Text:
    pieces: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(original):
        folded = _fold_char(ch)
        pieces.append(folded)
        origin.extend([index] * len(folded))
    origin.append(len(original))
    normalized = "".join(pieces)
    sentences: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(normalized):
        if normalized[start : match.start()].strip():
            sentences.append((start, match.end()))
        start = match.end()
    if normalized[start:].strip():
        sentences.append((start, len(normalized)))
    return Text(original, normalized, tuple(origin), tuple(sentences), len(original.split()))
