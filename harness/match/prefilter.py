"""One pass over a ticket that names the matchers which may match it.

Every alternative of every matcher has a required literal (see atoms.py) or none. All the
literals go into one RE2 `Set`, searched once over the ticket's ASCII-lowered UTF-8 bytes; a
matcher is a candidate when one of its literals is in the text, or when one of its alternatives has
no literal (it always runs). The others cannot match, so they are never run: a ticket costs one
pass plus the matchers that may match, not one search per pattern of the rule set.

Lowering only ASCII is exact because the text is NFKC-folded first: the two non-ASCII letters
whose case folds to ASCII (KELVIN SIGN, LONG S) are folded to ASCII letters by then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import re2

from harness.match.patterns import Matcher
from harness.match.text import utf8

# The Set is one automaton over every literal. 64 MB compiles 30,000 literals (tried) and bounds
# the DFA cache, which grows with the variety of text searched: on 5,000 generated tickets the peak
# fell from 415 to 334 MB (one run each; a repeat at 64 MB read 370) at the same speed, with
# byte-identical results.
_SET_MEMORY = 64 << 20
_BY_LITERAL = 1  # texts searched literal by literal before the Set is compiled (see _hits)


@dataclass(frozen=True)
class Prefilter:
    literals: tuple[str, ...]  # distinct required literals, lowered
    owners: tuple[frozenset[int], ...]  # owners[i]: matchers with an alternative needing literals[i]
    always: frozenset[int]  # matchers with an alternative that needs no literal

    @classmethod
    def of(cls, matchers: Sequence[Matcher]) -> Prefilter:
        owners: dict[str, set[int]] = {}
        always: set[int] = set()
        for matcher in matchers:
            for need in matcher.literals:
                if need is None:
                    always.add(matcher.index)
                for literal in need or ():
                    owners.setdefault(literal, set()).add(matcher.index)
        ordered = sorted(owners)
        return cls(tuple(ordered), tuple(frozenset(owners[lit] - always) for lit in ordered), frozenset(always))

    @cached_property
    def _set(self) -> Any:
        options = re2.Options()
        options.case_sensitive = True
        options.max_mem = _SET_MEMORY
        options.log_errors = False
        found = re2.Set.SearchSet(options)
        for literal in self.literals:
            found.Add(re2.escape(literal))
        found.Compile()
        return found

    @cached_property
    def _encoded(self) -> tuple[bytes, ...]:
        return tuple(literal.encode() for literal in self.literals)

    @cached_property
    def _by_literal(self) -> list[int]:
        return [0]  # texts searched literal by literal so far (a counter on a frozen dataclass)

    def _hits(self, data: bytes) -> list[int]:
        """Indices of the literals in `data`. Compiling the Set for the bundled rules' 2,147 literals
        takes 17 ms, where looking for each literal in one ticket takes 2 ms (measured in one
        process): the first text, all `harness route` has, is searched literal by literal (the same
        substring search on the same bytes) and the Set is compiled for the second."""
        if "_set" not in self.__dict__ and self._by_literal[0] < _BY_LITERAL:
            self._by_literal[0] += 1
            return [i for i, literal in enumerate(self._encoded) if literal in data]
        return self._set.Match(data) or []

    def scan(self, normalized: str) -> tuple[set[int], frozenset[str]]:
        """Indices of the matchers that may match `normalized` (text as prepared for matching), and
        the literals found in it."""
        candidates = set(self.always)
        hits = self._hits(utf8(normalized).data.lower()) if self.literals else ()
        for hit in hits:
            candidates |= self.owners[hit]
        return candidates, frozenset(self.literals[hit] for hit in hits)
