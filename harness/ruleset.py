"""Rules as the engines see them: compiled, located, ready to evaluate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from harness.errors import Location
from harness.match.conditions import ALWAYS, Condition, Context, Result
from harness.match.patterns import Matcher
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

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.routing + self.lint

    @cached_property
    def by_field(self) -> Mapping[str, tuple[Rule, ...]]:
        return {
            name: tuple(r for r in self.routing if r.sets == name) for name in ("persona", "issue", "channel")
        }

    @cached_property
    def reaches(self) -> Mapping[str, frozenset[str]]:
        return {name: info.reaches for name, info in self.channels.items()}
