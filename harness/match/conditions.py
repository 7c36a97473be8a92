"""The condition tree of a rule: text matchers, ticket fields, the decision so far, thresholds.

A condition is a YAML mapping; several keys in one mapping must all hold. Evaluating one gives
whether it held and the spans of text that made it hold (the rule's evidence, which the routing
conflict policy counts).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Any, Protocol

from harness.match.patterns import Matcher, PatternError, compile_regex, phrase_to_regex
from harness.match.text import Text
from harness.model import Span, Ticket

JsonPath = tuple[str | int, ...]


class ConditionError(ValueError):
    """A condition that cannot be compiled; `path` is relative to the condition."""

    def __init__(self, path: JsonPath, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Result:
    held: bool
    spans: tuple[Span, ...] = ()

    @staticmethod
    def of(held: bool, spans: tuple[Span, ...] = ()) -> Result:
        return Result(True, spans) if held else FAILED


FAILED = Result(False)
ALWAYS = Result(True)


@dataclass
class Context:
    """What conditions see for one ticket. The cache is per ticket, so a shared term list runs once."""

    text: Text
    ticket: Ticket
    opening_end: int
    decision: dict[str, str]
    reaches: Mapping[str, frozenset[str]]
    cache: dict[tuple[int, str], tuple[tuple[int, int], ...]] = field(default_factory=dict)
    # Results of shared conditions for this decision stage; not shared with other contexts, since
    # a shared condition may test the decision so far.
    shared: dict[int, Result] = field(default_factory=dict)
    # Indices of the rule set's matchers that may match this text (the prefilter's answer); a
    # matcher outside it has no match and is never run. None: run every matcher.
    candidates: Set[int] | None = None
    found: Set[str] | None = None  # the literals the prefilter found (None: not known)

    def matches(self, matcher: Matcher, scope: str) -> tuple[tuple[int, int], ...]:
        if self.candidates is not None and matcher.index >= 0 and matcher.index not in self.candidates:
            return ()
        key = (id(matcher), scope)
        found = self.cache.get(key)
        if found is None:
            limit = self.opening_end if scope == "opening" else len(self.text.normalized)
            found = tuple(matcher.finditer(self.text.normalized, limit, self.found))
            self.cache[key] = found
        return found


class Condition(Protocol):
    def evaluate(self, ctx: Context) -> Result: ...


@dataclass(frozen=True)
class TextTest:
    matcher: Matcher
    scope: str
    min_count: int
    not_within: Matcher | None = (
        None  # matches overlapping one of these do not count ("the number in 'shop id 123'")
    )
    near: Matcher | None = None  # only matches this close to one of these count ("account ... deactivated")
    within: int = 0  # words allowed between a match and its `near` partner

    def evaluate(self, ctx: Context) -> Result:
        found = ctx.matches(self.matcher, self.scope)
        if self.not_within is not None and found:
            found = _outside(found, ctx.matches(self.not_within, "all"))
        partners: list[tuple[int, int]] = []
        if self.near is not None and found:
            found, partners = self._near(ctx, found)
        if len(found) < self.min_count:
            return FAILED
        return Result(True, tuple(ctx.text.span(a, b) for a, b in (*found, *partners)))

    def _near(
        self, ctx: Context, found: tuple[tuple[int, int], ...]
    ) -> tuple[tuple[tuple[int, int], ...], list[tuple[int, int]]]:
        """The matches with a partner within `within` words, and those partners (evidence too).
        Partners never overlap one another, so sorted by start they are sorted by end too: the
        nearest are the two either side of where a match starts (a binary search each)."""
        assert self.near is not None
        others = ctx.matches(self.near, "all")
        starts = [a for a, _ in others]
        kept: list[tuple[int, int]] = []
        partners: dict[tuple[int, int], None] = {}
        for match in found:
            index = bisect_left(starts, match[0])
            close = [
                other
                for other in others[max(index - 1, 0) : index + 1]
                if ctx.text.words_between(match, other) <= self.within
            ]
            if close:
                kept.append(match)
                partners.update(dict.fromkeys(close))
        return tuple(kept), sorted(partners)


def _outside(found: Sequence[tuple[int, int]], masks: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The matches that overlap no mask. A matcher's matches never overlap one another, so sorted
    by start they are sorted by end too: the one mask a match can overlap first is the first that
    ends after the match starts (a binary search), which keeps a long ticket linear, not matches
    times masks."""
    ends = [b for _, b in masks]
    kept = []
    for start, end in found:
        index = bisect_right(ends, start)
        if index == len(masks) or masks[index][0] >= end:
            kept.append((start, end))
    return tuple(kept)


@dataclass(frozen=True)
class TicketTest:
    name: str
    allowed: frozenset[str | None]

    def evaluate(self, ctx: Context) -> Result:
        value = ctx.ticket.persona if self.name == "persona" else ctx.ticket.submitted_via
        return Result.of(value in self.allowed)


@dataclass(frozen=True)
class AttachmentTest:
    present: bool

    def evaluate(self, ctx: Context) -> Result:
        return Result.of(bool(ctx.ticket.attachments) == self.present)


@dataclass(frozen=True)
class ArrivalTest:
    """Whether the ticket arrived through the channel it is routed to, or one that reaches it."""

    elsewhere: bool

    def evaluate(self, ctx: Context) -> Result:
        via, routed = ctx.ticket.submitted_via, ctx.decision.get("channel")
        if via is None or routed is None:
            return FAILED
        fits = via == routed or routed in ctx.reaches.get(via, frozenset())
        return Result.of(fits != self.elsewhere)


@dataclass(frozen=True)
class DecisionTest:
    name: str
    allowed: frozenset[str]

    def evaluate(self, ctx: Context) -> Result:
        return Result.of(ctx.decision.get(self.name) in self.allowed)


@dataclass(frozen=True)
class WordsTest:
    more_than: int | None
    at_most: int | None

    def evaluate(self, ctx: Context) -> Result:
        words = ctx.text.words
        low = self.more_than is None or words > self.more_than
        high = self.at_most is None or words <= self.at_most
        return Result.of(low and high)


_MULTIPLIERS = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "mil": 1_000_000, "million": 1_000_000}
_NUMBER = r"(\d[\d,.]*)\s*(k|thousand|m|mil|million)?\+?\s*(?:[a-z]+\s+){0,2}?"


def parse_quantity(digits: str, suffix: str | None) -> float:
    if re.fullmatch(r"\d{1,3}([,.]\d{3})+", digits) and not suffix:
        value = float(re.sub(r"[,.]", "", digits))
    else:
        try:
            value = float(digits.replace(",", "").rstrip("."))
        except ValueError:
            return 0.0
    return value * _MULTIPLIERS.get((suffix or "").lower(), 1)


@dataclass(frozen=True)
class QuantityTest:
    """A number written before a unit ("250k followers", "3,000 orders a day") at least a threshold."""

    matcher: Matcher
    at_least: int

    def evaluate(self, ctx: Context) -> Result:
        spans = []
        for start, end in ctx.matches(self.matcher, "all"):
            match = re.match(_NUMBER, ctx.text.normalized[start:end], re.IGNORECASE)
            if match and parse_quantity(match.group(1), match.group(2)) >= self.at_least:
                spans.append(ctx.text.span(start, end))
        return Result.of(bool(spans), tuple(spans))


@dataclass(frozen=True)
class AllOf:
    children: tuple[Condition, ...]

    def evaluate(self, ctx: Context) -> Result:
        spans: dict[Span, None] = {}  # distinct spans only: a condition used twice is one piece of evidence
        for child in self.children:
            result = child.evaluate(ctx)
            if not result.held:
                return FAILED
            spans.update(dict.fromkeys(result.spans))
        return Result(True, tuple(spans))


@dataclass(frozen=True)
class AnyOf:
    children: tuple[Condition, ...]

    def evaluate(self, ctx: Context) -> Result:
        held = [r for r in (c.evaluate(ctx) for c in self.children) if r.held]
        if not held:
            return FAILED
        return Result(True, tuple(dict.fromkeys(s for r in held for s in r.spans)))


@dataclass(frozen=True)
class NoneOf:
    children: tuple[Condition, ...]

    def evaluate(self, ctx: Context) -> Result:
        return FAILED if any(c.evaluate(ctx).held for c in self.children) else ALWAYS


@dataclass(frozen=True, eq=False)
class Shared:
    """A named condition (`use: name`): compiled once, evaluated at most once per ticket and stage
    however many rules or other shared conditions use it, so chains of `use:` cost linear time."""

    name: str
    condition: Condition

    def evaluate(self, ctx: Context) -> Result:
        found = ctx.shared.get(id(self))
        if found is None:
            found = ctx.shared[id(self)] = self.condition.evaluate(ctx)
        return found


def text_tests(condition: Condition, seen: set[int] | None = None) -> Iterator[TextTest]:
    """Every text test in a condition tree, in a fixed order (for branch coverage); a shared
    condition is walked once however often the tree uses it."""
    seen = set() if seen is None else seen
    if isinstance(condition, TextTest):
        yield condition
    elif isinstance(condition, QuantityTest):
        yield TextTest(condition.matcher, "all", 1)
    elif isinstance(condition, Shared):
        if id(condition) not in seen:
            seen.add(id(condition))
            yield from text_tests(condition.condition, seen)
    elif isinstance(condition, AllOf | AnyOf | NoneOf):
        for child in condition.children:
            yield from text_tests(child, seen)


def required_matchers(condition: Condition) -> frozenset[int] | None:
    """Matchers of which at least one must match for the condition to hold, or None when it can
    hold without text (or needs a matcher the prefilter does not know). A rule whose set has no
    candidate is skipped without being evaluated: that is what keeps a ticket's cost growing with
    what matched rather than with the number of rules."""
    if isinstance(condition, TextTest | QuantityTest):
        known = condition.matcher.index >= 0 and (isinstance(condition, QuantityTest) or condition.min_count > 0)
        return frozenset({condition.matcher.index}) if known else None
    if isinstance(condition, Shared):
        return required_matchers(condition.condition)
    if isinstance(condition, AllOf):
        found = [r for r in map(required_matchers, condition.children) if r is not None]
        return min(found, key=len, default=None)
    if isinstance(condition, AnyOf):
        every = [required_matchers(child) for child in condition.children]
        if any(r is None for r in every):
            return None
        return frozenset(index for r in every if r is not None for index in r)
    return None


@dataclass(frozen=True)
class Lexicon:
    """What a condition may refer to: named term lists, numeric parameters and shared conditions."""

    terms: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]  # name -> (phrases, regexes)
    parameters: Mapping[str, int]
    conditions: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def threshold(self, value: int | str, path: JsonPath) -> int:
        if isinstance(value, int):
            return value
        if value not in self.parameters:
            raise ConditionError(path, f"unknown parameter {value!r}; define it under `parameters`")
        return self.parameters[value]

    def term(self, name: str, path: JsonPath) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if name not in self.terms:
            raise ConditionError(path, f"unknown term list {name!r}; define it under `terms`")
        return self.terms[name]


def _listed(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


class Compiler:
    """Turns validated condition mappings into condition objects, sharing identical matchers."""

    def __init__(self, lexicon: Lexicon, known: Sequence[Matcher] | None = None) -> None:
        """`known`: matchers checked before (from the cache), reused as they are; with them no
        pattern is compiled now, only on first use."""
        self.lexicon = lexicon
        self.check = known is None
        self._matchers: dict[tuple[tuple[str, ...], tuple[str, ...], bool], Matcher] = {
            (m.sources[: m.phrases], m.sources[m.phrases :], m.case_sensitive): m for m in known or ()
        }
        self._using: set[str] = set()
        self._shared: dict[tuple[str, tuple[str, ...]], Shared] = {}

    def matcher(self, phrases: Sequence[str], regexes: Sequence[str], case_sensitive: bool) -> Matcher:
        key = (tuple(sorted(set(phrases))), tuple(regexes), case_sensitive)
        if key not in self._matchers:
            matcher = Matcher.build(key[0], key[1], case_sensitive, len(self._matchers))
            if self.check:
                matcher.check()
            self._matchers[key] = matcher
        return self._matchers[key]

    @property
    def matchers(self) -> tuple[Matcher, ...]:
        return tuple(self._matchers.values())

    def _terms(self, names: str | Sequence[str], path: JsonPath) -> tuple[list[str], list[str]]:
        phrases: list[str] = []
        regexes: list[str] = []
        for name in _listed(names):
            more_phrases, more_regexes = self.lexicon.term(name, path)
            phrases += more_phrases
            regexes += more_regexes
        return phrases, regexes

    def _patterns(self, spec: Mapping[str, Any], path: JsonPath) -> tuple[list[str], list[str]]:
        """The phrases and regexes a mapping names: its `terms`, `phrases` and `regex` together."""
        phrases, regexes = self._terms(spec.get("terms", []), (*path, "terms"))
        return phrases + spec.get("phrases", []), regexes + _listed(spec.get("regex", []))

    def _use(self, name: str, stage: tuple[str, ...], path: JsonPath) -> Condition:
        if name not in self.lexicon.conditions:
            raise ConditionError(path, f"unknown condition {name!r}; define it under `conditions`")
        if name in self._using:
            raise ConditionError(path, f"condition {name!r} uses itself; break the cycle")
        found = self._shared.get((name, stage))
        if found is not None:
            return found
        self._using.add(name)
        try:
            found = Shared(name, self.compile(self.lexicon.conditions[name], stage))
        except ConditionError as exc:
            raise ConditionError(path, f"in condition {name!r}: {exc.message}") from None
        finally:
            self._using.discard(name)
        self._shared[(name, stage)] = found
        return found

    def compile(self, spec: Mapping[str, Any], stage: tuple[str, ...], path: JsonPath = ()) -> Condition:
        """`stage` names the decision fields this condition may test (those decided before it)."""
        parts: list[Condition] = []
        phrases, regexes = self._patterns(spec, path)
        if phrases or regexes:
            case_sensitive = bool(spec.get("case_sensitive", False))
            try:
                matcher = self.matcher(phrases, regexes, case_sensitive)
                masks = None
                if "not_within" in spec:
                    mask_phrases, mask_regexes = self._terms(spec["not_within"], (*path, "not_within"))
                    masks = self.matcher(mask_phrases, mask_regexes, False)
                near, within = None, 0
                if "near" in spec:
                    near = self.matcher(*self._patterns(spec["near"], (*path, "near")), case_sensitive)
                    within = self.lexicon.threshold(spec["near"]["within"], (*path, "near", "within"))
            except PatternError as exc:
                raise ConditionError((*path, "regex"), f"{exc}; fix the pattern") from None
            count = self.lexicon.threshold(spec.get("min_count", 1), (*path, "min_count"))
            parts.append(TextTest(matcher, spec.get("scope", "all"), count, masks, near, within))
        elif any(k in spec for k in ("scope", "min_count", "case_sensitive", "not_within", "near")):
            raise ConditionError(
                path,
                "scope, min_count, case_sensitive, not_within and near need phrases, terms or regex beside them",
            )
        ticket = spec.get("ticket", {})
        for name in ("persona", "submitted_via"):
            if name in ticket:
                parts.append(TicketTest(name, frozenset(ticket[name])))
        if "attachments" in ticket:
            parts.append(AttachmentTest(ticket["attachments"] == "present"))
        if "arrival" in ticket:
            if "channel" not in stage:
                raise ConditionError(
                    (*path, "ticket", "arrival"), "arrival needs the routed channel: use it in lint rules"
                )
            parts.append(ArrivalTest(ticket["arrival"] == "elsewhere"))
        for name, allowed in spec.get("decision", {}).items():
            if name not in stage:
                raise ConditionError(
                    (*path, "decision", name),
                    f"a rule that decides {_deciding(stage)} cannot test the decision's {name}; "
                    f"it is decided later (order: persona, issue, channel)",
                )
            parts.append(DecisionTest(name, frozenset(allowed)))
        if "words" in spec:
            words = spec["words"]
            parts.append(
                WordsTest(
                    None
                    if "more_than" not in words
                    else self.lexicon.threshold(words["more_than"], (*path, "words")),
                    None
                    if "at_most" not in words
                    else self.lexicon.threshold(words["at_most"], (*path, "words")),
                )
            )
        if "quantity" in spec:
            quantity = spec["quantity"]
            unit_phrases, unit_regexes = self.lexicon.term(quantity["of"], (*path, "quantity", "of"))
            units = "|".join([*(phrase_to_regex(p) for p in unit_phrases), *unit_regexes])
            pattern = rf"{_NUMBER}(?:{units})"
            try:
                if self.check:
                    compile_regex(pattern)
            except PatternError as exc:
                raise ConditionError((*path, "quantity"), f"{exc}; fix the unit terms") from None
            parts.append(
                QuantityTest(
                    self.matcher([], [pattern], False),
                    self.lexicon.threshold(quantity["at_least"], (*path, "quantity", "at_least")),
                )
            )
        if "use" in spec:
            parts.append(self._use(spec["use"], stage, (*path, "use")))
        for key, combine in (("all", AllOf), ("any", AnyOf), ("none", NoneOf)):
            if key in spec:
                children = tuple(
                    self.compile(child, stage, (*path, key, i)) for i, child in enumerate(spec[key])
                )
                parts.append(combine(children))
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def _deciding(stage: tuple[str, ...]) -> str:
    order = ("persona", "issue", "channel", "finding")
    return order[len(stage)] if len(stage) < len(order) else "a finding"
