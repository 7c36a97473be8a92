"""Rules as the engines see them: compiled, located, ready to evaluate."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from functools import cached_property

from harness.contract import Contract
from harness.errors import Location
from harness.match.conditions import ALWAYS, Condition, Context, Result, required_matchers, text_tests
from harness.match.patterns import Matcher
from harness.match.prefilter import Prefilter
from harness.model import Ticket


@dataclass(frozen=True)
class Example:
    ticket: Ticket
    should_match: bool
    location: Location


@dataclass(frozen=True)
class Rule:
    """A routing rule (sets one decision field) or a lint rule (emits one finding)."""

    id: str
    kind: str  # "routing" or "lint"
    description: str
    source: str
    sets: str  # "persona", "issue", "channel" or "finding"
    value: str
    priority: int
    when: Condition | None
    examples: tuple[Example, ...]
    location: Location
    message: str = ""
    owner: str | None = None
    fingerprint: str = ""  # changes when the rule or anything it names changes

    def evaluate(self, ctx: Context) -> Result:
        return ALWAYS if self.when is None else self.when.evaluate(ctx)


@dataclass(frozen=True)
class ChannelInfo:
    name: str
    path: tuple[str, ...]
    expect: tuple[str, ...]
    reaches: frozenset[str]  # other channels a ticket arriving here is handed on to


@dataclass(frozen=True)
class IssueInfo:
    needs: tuple[str, ...]
    expect: tuple[str, ...]


@dataclass(frozen=True)
class RuleSet:
    routing: tuple[Rule, ...]  # sorted by id: evaluation never depends on file order
    lint: tuple[Rule, ...]
    channels: Mapping[str, ChannelInfo]
    issues: Mapping[str, IssueInfo]
    parameters: Mapping[str, int]
    greeting: Matcher
    digest: str  # sha256 over the rule files' bytes, in path order
    files: tuple[str, ...]
    contract: Contract  # the labels the rules were validated against; scoring and reports use them
    matchers: tuple[Matcher, ...] = ()  # every matcher the rules use, by index (for the prefilter)
    root: str = ""  # the rules directory as given
    sources: tuple[tuple[str, str, str], ...] = ()  # each file's relative path, label and text

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.routing + self.lint

    @cached_property
    def by_field(self) -> Mapping[str, tuple[Rule, ...]]:
        return {
            name: tuple(r for r in self.routing if r.sets == name) for name in ("persona", "issue", "channel")
        }

    @cached_property
    def prefilter(self) -> Prefilter:
        return Prefilter.of(self.matchers)

    @cached_property
    def _rule_index(self) -> Mapping[str, tuple[frozenset[int], Mapping[int, frozenset[int]]]]:
        """For each field (and "finding"): the positions of the rules that always need evaluating,
        and for each matcher the positions of the rules that need it to match."""
        index: dict[str, tuple[frozenset[int], Mapping[int, frozenset[int]]]] = {}
        for name, rules in (*self.by_field.items(), ("finding", self.lint)):
            always: list[int] = []
            needing: dict[int, list[int]] = {}
            for position, rule in enumerate(rules):
                needs = None if rule.when is None else required_matchers(rule.when)
                if needs is None:
                    always.append(position)
                for matcher in needs or ():
                    needing.setdefault(matcher, []).append(position)
            index[name] = (frozenset(always), {m: frozenset(p) for m, p in needing.items()})
        return index

    def rules_to_evaluate(self, name: str, candidates: Set[int] | None) -> tuple[Rule, ...]:
        """The rules for a field (or "finding") that may hold given the candidate matchers, in id
        order; every rule when there is no prefilter answer."""
        rules = self.lint if name == "finding" else self.by_field[name]
        if candidates is None:
            return rules
        always, needing = self._rule_index[name]
        positions = always.union(*(needing[m] for m in candidates & needing.keys()))
        return tuple(rules[p] for p in sorted(positions))

    @cached_property
    def pattern_uses(self) -> Mapping[int, tuple[tuple[str, int, Matcher], ...]]:
        """For each matcher index: (rule id, text test index, matcher) for every text test using it
        (branch coverage looks only at the matchers that may have matched)."""
        uses: dict[int, list[tuple[str, int, Matcher]]] = {}
        for rule in self.rules:
            if rule.when is not None:
                for position, test in enumerate(text_tests(rule.when)):
                    uses.setdefault(test.matcher.index, []).append((rule.id, position, test.matcher))
        return {m: tuple(u) for m, u in uses.items()}

    @cached_property
    def reaches(self) -> Mapping[str, frozenset[str]]:
        return {name: info.reaches for name, info in self.channels.items()}
