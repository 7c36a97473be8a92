"""Phrases and regular expressions compiled to RE2, matched word-bounded on normalized text.

RE2 runs in time linear in the text, so no rule file can hang the harness. A phrase is literal
text, case-insensitive, where a space also matches a hyphen or no space at all ("log in" finds
"login" and "log-in"), an apostrophe is optional ("can't" finds "cant") and a trailing `*` allows
any word ending ("refund*" finds "refunded"). Every match is word-bounded: it may not start or end
inside a word. That check runs on the match instead of with `\\b`, so a regex that starts with
`#` or ends with `)` is bounded the same way a phrase is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence, Set
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import re2

from harness.match.atoms import Need, phrase_literals, regex_literals
from harness.match.text import is_word_char, utf8

_UNANCHORED = re2._Anchor.UNANCHORED
# Small programs a matcher compiles before its whole program: one, for `harness route`'s single
# ticket. Eight cost a corpus about 900 compiles: the first evaluation of the bundled 1,671
# scenarios in a process took 6.9 s with eight and 5.0-5.6 s with one.
_NARROW_TEXTS = 1
_EXACT_MEMORY = 8 << 20
_REMEMBERED = 4096  # matched pieces remembered per matcher (bounded: a corpus has unbounded text)
_WORD_TAIL = r"[\pL\pN_]*"  # what a phrase's trailing `*` allows: any word ending
# The same ending in branch coverage's Set, widened to any non-ASCII character: spelt out, \pL made
# the Sets of the bundled rules 26 MB of every process's memory (5 MB widened). On an ASCII piece the
# two are one language; a piece with other characters is checked against the alternative itself.
_LOOSE_TAIL = r"[\w\x{80}-\x{10FFFF}]*"


class PatternError(ValueError):
    """A pattern RE2 cannot compile; the loader turns it into a located HarnessError."""


def _ascii_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def phrase_to_regex(phrase: str) -> str:
    text = phrase.strip()
    wildcard = text.endswith("*")
    if wildcard:
        text = text[:-1]
    parts: list[str] = []
    for ch in text:
        if ch.isspace():
            if not parts or parts[-1] != r"[\s-]*":
                parts.append(r"[\s-]*")
        elif ch == "'":
            parts.append("'?")
        elif ch == "-":
            parts.append(r"[\s-]*")
        else:
            parts.append(re.escape(ch))
    body = "".join(parts) + (_WORD_TAIL if wildcard else "")
    # Bound the phrase inside the regex too, so a longer candidate that ends mid-word never hides
    # a shorter one that is whole ("list" in "listing"). RE2's \b knows ASCII words only: at a
    # non-ASCII edge (Cyrillic, Chinese) the bound is left to the check on each match.
    start = r"\b" if _ascii_word(text[:1]) else ""
    end = r"\b" if _ascii_word(text[-1:]) else ""
    return start + body + end


def _options(case_sensitive: bool) -> Any:
    options = re2.Options()
    options.case_sensitive = case_sensitive
    # Leftmost-longest, so "guidelines" is found whole rather than stopping at "guideline" and
    # failing the word-boundary check; the order of alternatives never matters.
    options.longest_match = True
    options.log_errors = False
    # RE2's default budget, 8 MB: measured side by side on 3,000 generated tickets, 4 MB made a ticket
    # cost 5.1-5.7 ms against 3.7-4.0 (the DFA of a big alternation keeps starting over) and 16 MB
    # was no faster. The budget also bounds each program's memory however long the corpus: RE2
    # clears a full DFA cache and goes on.
    options.max_mem = 8 << 20
    return options


def compile_regex(pattern: str, case_sensitive: bool = False) -> Any:
    try:
        return re2.compile(pattern, _options(case_sensitive))
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise PatternError(f"RE2 cannot compile {pattern!r}: {detail}") from None


@dataclass(frozen=True)
class Matcher:
    """Alternatives (phrases and regexes) compiled into one RE2 program, and each on its own for
    branch coverage (which alternative a match came from). Programs compile on first use: a rule
    set read from the cache was checked when it was cached, and one ticket needs few of them."""

    sources: tuple[str, ...]  # each alternative as written in the rule file
    alternatives: tuple[str, ...]  # each alternative as RE2 source
    case_sensitive: bool
    index: int  # position among the rule set's matchers (the prefilter's name for it); -1: none
    literals: tuple[Need, ...]  # each alternative's required literals (any one; None: none known)
    phrases: int  # how many alternatives, first, are phrases (the rest are regexes as written)

    @classmethod
    def build(
        cls, phrases: Sequence[str], regexes: Sequence[str], case_sensitive: bool = False, index: int = -1
    ) -> Matcher:
        unique_phrases = sorted(set(phrases))
        return cls(
            (*unique_phrases, *regexes),
            (*(phrase_to_regex(p) for p in unique_phrases), *regexes),
            case_sensitive,
            index,
            (*(phrase_literals(p) for p in unique_phrases), *(regex_literals(r) for r in regexes)),
            len(unique_phrases),
        )

    def check(self) -> None:
        """Compile every regex alone (so an error names the bad one), then the whole program."""
        for regex in self.alternatives[self.phrases :]:
            compile_regex(regex, self.case_sensitive)
        _ = self.program

    def union(self, indices: Sequence[int]) -> str:
        """One regex for the alternatives at `indices`. Phrases ending in `*` share one copy of the
        word-ending class (`(?:a|b)[\\pL\\pN_]*` for `a[\\pL\\pN_]*|b[\\pL\\pN_]*`, the same language):
        RE2 compiles each copy of \\pL to hundreds of instructions, and one per phrase made the
        bundled rules' programs 5 times bigger (821,000 instructions against 156,000)."""
        plain: list[str] = []
        tails: dict[str, list[str]] = {}  # what follows the word ending ("" or \b) -> phrase heads
        for index in indices:
            alternative = self.alternatives[index]
            cut = alternative.rfind(_WORD_TAIL)
            if index in self._widened and cut >= 0:
                tails.setdefault(alternative[cut + len(_WORD_TAIL) :], []).append(alternative[:cut])
            else:
                plain.append(f"(?:{alternative})")
        shared = [f"(?:{'|'.join(heads)}){_WORD_TAIL}{end}" for end, heads in sorted(tails.items())]
        return "|".join(plain + shared) or "[^\\x00-\\x{10FFFF}]"

    @cached_property
    def program(self) -> Any:
        return compile_regex(self.union(range(len(self.alternatives))), self.case_sensitive)

    @cached_property
    def _narrow(self) -> dict[tuple[int, ...], Any]:
        """Programs of only the alternatives whose literals a text holds, for the first few texts."""
        return {}

    def program_for(self, found: Set[str] | None) -> Any:
        """The program to search a text with, given the literals the prefilter found in it (None:
        unknown). Alternatives whose literals are absent cannot match, so leaving them out changes
        no match. The whole program takes a while to compile (a tenth of a second for a list of
        600 phrases): a command that routes one ticket compiles small programs of the few
        alternatives that ticket can match; from the second text on the whole program pays for itself."""
        known = found is not None and self.index >= 0  # `found` holds only the rule set's literals
        if not known or "program" in self.__dict__ or len(self._narrow) >= _NARROW_TEXTS:
            return self.program
        assert found is not None
        subset = tuple(
            index for index, need in enumerate(self.literals) if need is None or not need.isdisjoint(found)
        )
        program = self._narrow.get(subset)
        if program is None:
            program = self._narrow[subset] = compile_regex(self.union(subset), self.case_sensitive)
        return program

    @cached_property
    def _exact(self) -> Any:
        """Every alternative in one anchored RE2 Set, compiled on first need (only branch coverage
        asks): one automaton per matcher rather than a program per alternative."""
        options = _options(self.case_sensitive)
        options.max_mem = _EXACT_MEMORY  # matched against a few words at a time: a small cache holds them
        found = re2.Set.FullMatchSet(options)
        for index, alternative in enumerate(self.alternatives):
            found.Add(alternative.replace(_WORD_TAIL, _LOOSE_TAIL) if index in self._widened else alternative)
        found.Compile()
        return found

    @cached_property
    def _widened(self) -> frozenset[int]:
        """The phrases ending in `*`: `union` writes their word ending once, `_exact` widens it."""
        return frozenset(i for i in range(self.phrases) if self.sources[i].strip().endswith("*"))

    def _is(self, index: int, piece: str) -> bool:
        """Whether alternative `index` alone matches all of `piece` (compiled when first asked)."""
        alone = self._alone.get(index)
        if alone is None:
            alone = self._alone[index] = compile_regex(self.alternatives[index], self.case_sensitive)
        return alone.fullmatch(piece) is not None

    @cached_property
    def _alone(self) -> dict[int, Any]:
        return {}

    @cached_property
    def _which(self) -> dict[str, int]:
        return {}  # matched text -> alternative: the same few words match over and over

    def alternative_at(self, text: str, start: int, end: int) -> int:
        """Index of the first alternative that matches exactly text[start:end] (-1 if none does)."""
        piece = text[start:end]
        found = self._which.get(piece)
        if found is None:
            hits = sorted(self._exact.Match(piece.encode("utf-8", "surrogatepass")) or ())
            exact = piece.isascii()  # else a widened ending may have taken a character \pL would not
            found = next((i for i in hits if exact or i not in self._widened or self._is(i, piece)), -1)
            if len(self._which) < _REMEMBERED:
                self._which[piece] = found
        return found

    def finditer(self, text: str, limit: int, found: Set[str] | None = None) -> Iterator[tuple[int, int]]:
        """Word-bounded matches that end by `limit` (the end of the text, or of its opening), in
        character offsets.

        RE2 runs on the text's UTF-8 bytes, encoded once per text: handing the wrapper a str makes
        it convert offsets on every call, which costs the text's length per match. `found`: the
        literals the prefilter found in `text` (see program_for)."""
        encoded = utf8(text)
        data, size = encoded.data, len(encoded.data)
        # The compiled program's own Match: the wrapper's search builds a Match object per call,
        # a third of the cost of a search over a ticket.
        search = self.program_for(found)._regexp.Match
        pos = 0
        while pos <= size:
            (first, last), *_ = search(_UNANCHORED, data, pos, size)
            if first < 0:
                return
            start, end = encoded.char(first), encoded.char(last)
            if start >= limit:
                return
            if end == start:
                if start >= len(text):
                    return
                pos = encoded.byte(start + 1)
                continue
            if start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start]):
                # Every later start inside this word is inside it too: go on after the word.
                while start < len(text) and is_word_char(text[start]):
                    start += 1
                pos = encoded.byte(start)
                continue
            inside_end = end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end])
            if inside_end or end > limit:
                pos = encoded.byte(start + 1)  # try again from the next character: a bounded match may overlap
                continue
            yield start, end
            pos = encoded.byte(end)
