"""The domain model: tickets, scenarios, decisions, findings. Frozen and typed throughout."""

from __future__ import annotations

from dataclasses import dataclass

from harness.errors import Location

UNROUTABLE = "unroutable"
FIELDS = ("persona", "issue", "channel")


@dataclass(frozen=True)
class Ticket:
    text: str
    persona: str | None = None
    submitted_via: str | None = None
    attachments: tuple[str, ...] = ()


def as_ticket(ticket: Ticket | str) -> Ticket:
    """The engines take a Ticket or, from a notebook, just its text."""
    return Ticket(ticket) if isinstance(ticket, str) else ticket


@dataclass(frozen=True)
class Expectation:
    persona: str
    issue: str
    channel: str
    findings: frozenset[str] | None = None  # None: findings not labelled for this scenario


@dataclass(frozen=True)
class Scenario:
    id: str
    ticket: Ticket
    expect: Expectation
    location: Location
    tags: tuple[str, ...] = ()
    source: str | None = None


@dataclass(frozen=True, order=True)
class Span:
    """A matched stretch of the ticket, in offsets of the original (un-normalized) text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class RuleHit:
    """A rule whose conditions held on the ticket, with the text that made them hold."""

    rule: str
    sets: str  # the field a routing rule sets, or "finding" for a lint rule
    value: str
    priority: int
    spans: tuple[Span, ...]
    location: Location


@dataclass(frozen=True)
class Decision:
    persona: str
    issue: str
    channel: str
    path: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    expect: tuple[str, ...] = ()
    matched: tuple[RuleHit, ...] = ()
    deciding: tuple[tuple[str, str], ...] = ()  # (field, rule id) for each decided field

    @property
    def unroutable(self) -> bool:
        return UNROUTABLE in (self.persona, self.issue, self.channel)

    def deciding_rule(self, name: str) -> str | None:
        return dict(self.deciding).get(name)


@dataclass(frozen=True)
class Finding:
    id: str
    rule: str
    message: str
    span: Span | None = None
