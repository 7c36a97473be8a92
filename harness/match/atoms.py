"""Required literals: a piece of plain ASCII text that every match of a pattern contains.

The prefilter looks for these pieces in one pass and runs a matcher only when one of its
alternatives' pieces is in the ticket, so a literal must never be claimed that a match could lack.
The regex scanner is deliberately conservative: it reads only the top level of a pattern with no
top-level `|`, takes plain and escaped-punctuation characters, and treats everything else (groups,
classes, escapes such as `\\d`, anchors, `.`) as the end of a run. A character followed by `?`,
`*` or `{` is optional and dropped. Letters are lowered: the text is lowered the same way (ASCII
only) before the search, which keeps the literal necessary for case-insensitive patterns too.
"""

from __future__ import annotations

import re

_REPEAT = re.compile(r"\{\d+(?:,\d*)?\}\??")


def phrase_literals(phrase: str) -> frozenset[str] | None:
    """A phrase's longest run between spaces, hyphens and apostrophes (each may vanish in a match)."""
    runs = re.split(r"[\s'\-]+|[^\x00-\x7f]+", phrase.strip().removesuffix("*"))
    best = max(runs, key=len)
    return frozenset({best.lower()}) if best else None


def _skip_class(pattern: str, i: int) -> int:
    """Index just past the character class that starts at pattern[i] == '['."""
    i += 1
    if pattern.startswith("^", i):
        i += 1
    if pattern.startswith("]", i):
        i += 1
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
        elif pattern.startswith("[:", i) and (close := pattern.find(":]", i + 2)) != -1:
            i = close + 2
        elif pattern[i] == "]":
            return i + 1
        else:
            i += 1
    return i


def _skip_group(pattern: str, i: int) -> int:
    """Index just past the group that starts at pattern[i] == '('."""
    depth = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _skip_class(pattern, i)
            continue
        depth += (ch == "(") - (ch == ")")
        i += 1
        if depth == 0:
            return i
    return i


def _skip_escape(pattern: str, i: int) -> int:
    """Index just past an escape that is not a plain literal (\\d, \\b, \\x41, \\p{L}, \\Q...\\E)."""
    kind = pattern[i + 1 : i + 2]
    if kind in ("x", "p", "P") and pattern.startswith("{", i + 2):
        close = pattern.find("}", i + 2)
        return len(pattern) if close == -1 else close + 1
    if kind == "x":
        return i + 4
    if kind in ("p", "P"):
        return i + 3
    if kind == "Q":
        close = pattern.find("\\E", i + 2)
        return len(pattern) if close == -1 else close + 2
    if kind.isdigit():
        end = i + 1
        while end < min(i + 4, len(pattern)) and pattern[end].isdigit():
            end += 1
        return end
    return i + 2


Need = frozenset[str] | None  # any one of these literals is in every match; None: no such set


def _best(needs: list[frozenset[str]]) -> Need:
    """The most selective requirement of a sequence: the longest shortest literal, then the fewest."""
    return min(needs, key=lambda n: (-min(map(len, n)), len(n)), default=None)


def _branches(pattern: str, i: int) -> tuple[Need, int]:
    """Alternatives from pattern[i] to the closing parenthesis (or the end): any branch's need."""
    needs: list[Need] = []
    while True:
        need, i = _sequence(pattern, i)
        needs.append(need)
        if i < len(pattern) and pattern[i] == "|":
            i += 1
            continue
        if any(n is None for n in needs):
            return None, i
        return frozenset(lit for n in needs if n is not None for lit in n), i


def _quantifier(pattern: str, i: int) -> tuple[bool, int]:
    """Whether what precedes pattern[i] is still required once, and where the pattern goes on."""
    following = pattern[i : i + 1]
    if following == "+":
        return True, i + 2 if pattern.startswith("?", i + 1) else i + 1
    if following in ("?", "*"):
        return False, i + 2 if pattern.startswith("?", i + 1) else i + 1
    if following == "{":
        repeat = _REPEAT.match(pattern, i)
        if repeat is None:  # RE2 rejects it or reads `{` as a literal: claim nothing either way
            return False, i + 1
        return not repeat.group().startswith("{0"), repeat.end()
    return True, i


def _sequence(pattern: str, i: int) -> tuple[Need, int]:
    """A concatenation up to `|`, `)` or the end: the best need among its runs and groups."""
    needs: list[frozenset[str]] = []
    run = ""

    def close_run() -> None:
        nonlocal run
        if run:
            needs.append(frozenset({run.lower()}))
        run = ""

    while i < len(pattern) and pattern[i] not in "|)":
        ch = pattern[i]
        if ch == "(":
            close_run()
            body = i + 1
            if pattern.startswith("?", body):  # (?:...), (?i:...), (?P<name>...), (?i)
                colon, close = pattern.find(":", body), pattern.find(")", body)
                named = pattern.startswith("?P<", body)
                if named:
                    body = pattern.find(">", body) + 1
                elif colon != -1 and (close == -1 or colon < close):
                    body = colon + 1
                else:  # a flag group such as (?i): nothing to read inside
                    i = close + 1 if close != -1 else len(pattern)
                    continue
            need, i = _branches(pattern, body)
            i += 1  # the closing parenthesis
            required, i = _quantifier(pattern, i)
            if required and need is not None:
                needs.append(need)
            continue
        if ch == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum() and pattern[i + 1].isascii():
            literal, i = pattern[i + 1], i + 2
        elif ch in "\\[.^$*+?{" or not ch.isascii():
            close_run()
            i = _skip_escape(pattern, i) if ch == "\\" else _skip_class(pattern, i) if ch == "[" else i + 1
            _, i = _quantifier(pattern, i)
            continue
        else:
            literal, i = ch, i + 1
        required, after = _quantifier(pattern, i)
        if not required:  # optional: not part of any required run
            close_run()
        elif after != i:  # repeated: required once, but what follows may not touch it
            run += literal
            close_run()
        else:
            run += literal
        i = after
    close_run()
    return _best(needs), i


def regex_literals(pattern: str) -> Need:
    """Literals one of which every match of the regex contains, or None."""
    need, end = _branches(pattern, 0)
    return need if end >= len(pattern) else None  # an unbalanced `)`: RE2 will refuse it anyway
