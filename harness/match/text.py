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
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import accumulate

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

# A sentence ends at a run of . ! or ? followed by a space or the end, or at a line break. Each
# run is taken whole and the character after it checked by hand: a lookahead after `[.!?]+`
# backtracks through the run at every start, quadratic in a long run of dots.
_SENTENCE_MARK = re.compile(r"[.!?]+|\n")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _FOLD:
        return _FOLD[ch]
    if ch != "\n" and (ch.isspace() or unicodedata.category(ch) in ("Cc", "Zs")):
        return " "
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", ch))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", stripped) or ch


# Scripts written without spaces between words: each character stands alone, so a phrase may
# start or end next to another (a Chinese phrase inside a Chinese sentence still matches).
_UNSPACED = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x0E00, 0x0E7F))


def is_word_char(ch: str) -> bool:
    if not (ch.isalnum() or ch == "_"):
        return False
    code = ord(ch)
    return code < 0x0E00 or not any(low <= code <= high for low, high in _UNSPACED)


@dataclass(frozen=True)
class Encoded:
    """A text's UTF-8 bytes, with the map between byte and character offsets."""

    data: bytes
    byte_of: tuple[int, ...] | None  # byte offset of each character, one extra at the end; None: ASCII

    def char(self, byte: int) -> int:
        return byte if self.byte_of is None else bisect_left(self.byte_of, byte)

    def byte(self, char: int) -> int:
        return char if self.byte_of is None else self.byte_of[char]


@lru_cache(maxsize=4)
def utf8(text: str) -> Encoded:
    """Encoded once per text (the few matchers of one ticket all ask for the same text)."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data) == len(text):
        return Encoded(data, None)
    sizes = (1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4 for o in map(ord, text))
    return Encoded(data, tuple(accumulate(sizes, initial=0)))


@dataclass(frozen=True)
class Text:
    original: str
    normalized: str
    origin: Sequence[int]  # origin[i]: index in `original` of normalized character i (one extra at end)
    sentences: tuple[tuple[int, int], ...]  # (start, end) in normalized offsets, blank ones dropped
    words: int

    @cached_property
    def word_starts(self) -> tuple[int, ...]:
        """word_starts[i]: how many words begin before normalized offset i (one extra at the end)."""
        counts = [0]
        inside = False
        for ch in self.normalized:
            word = is_word_char(ch)
            counts.append(counts[-1] + (word and not inside))
            inside = word
        return tuple(counts)

    def words_between(self, a: tuple[int, int], b: tuple[int, int]) -> int:
        """Whole words between two spans of normalized text (0 when they touch or overlap)."""
        first, second = (a, b) if a[0] <= b[0] else (b, a)
        if second[0] <= first[1]:
            return 0
        return self.word_starts[second[0]] - self.word_starts[first[1]]

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


# ASCII folds one character to one (only \r is dropped): such a text is folded by one translate
# and each character is its own origin, the common case done at C speed.
_ASCII_FOLD = {code: _fold_char(chr(code)) for code in range(128) if _fold_char(chr(code)) != chr(code)}


def _fold(original: str) -> tuple[str, Sequence[int]]:
    if original.isascii() and "\r" not in original:
        return original.translate(_ASCII_FOLD), range(len(original) + 1)
    pieces: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(original):
        folded = _fold_char(ch)
        pieces.append(folded)
        origin.extend([index] * len(folded))
    origin.append(len(original))
    return "".join(pieces), tuple(origin)


def prepare(original: str) -> Text:
    normalized, origin = _fold(original)
    sentences: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_MARK.finditer(normalized):
        end = match.end()
        if match.group() != "\n" and end < len(normalized) and not normalized[end].isspace():
            continue
        if normalized[start : match.start()].strip():
            sentences.append((start, end))
        start = end
    if normalized[start:].strip():
        sentences.append((start, len(normalized)))
    return Text(original, normalized, origin, tuple(sentences), len(original.split()))
