"""Why a ticket was routed as it was: per field, the winning rule first, then every rule it beat, in
the conflict policy's order, each with its priority and evidence; an undecided field says what is
missing and what to do next. Pure: `harness route --explain` and `harness serve` draw it."""

from __future__ import annotations

from dataclasses import dataclass

from harness.contract import Contract, default_contract
from harness.decide.route import evidence_key
from harness.errors import Location
from harness.model import FIELDS, UNROUTABLE, Decision, RuleHit, Span, Ticket


@dataclass(frozen=True)
class Contender:
    rule: str
    value: str
    priority: int
    evidence: int  # distinct matched spans: the policy's tie-breaker after priority
    spans: tuple[Span, ...]
    location: Location
    won: bool


@dataclass(frozen=True)
class FieldExplanation:
    field: str
    value: str
    contenders: tuple[Contender, ...]  # policy order: the winner first
    missing: str | None = None  # set when the field is unroutable
    next_step: str | None = None


def _contender(hit: RuleHit, winner: str | None) -> Contender:
    evidence = len({(s.start, s.end) for s in hit.spans})
    return Contender(hit.rule, hit.value, hit.priority, evidence, hit.spans, hit.location, hit.rule == winner)


def _missing(
    name: str, decision: Decision, earlier: str | None, form_persona: str | None, contract: Contract
) -> tuple[str, str]:
    """What an undecided field lacks, and the next step for whoever holds the ticket."""
    if earlier is not None:
        return (f"not decided: {earlier} is unroutable", f"settle the {earlier} first")
    if name == "persona" and form_persona is not None:
        return (
            f"the form says {form_persona}, but no persona rule takes that",
            f"a gap in the rules: add a persona rule for tickets whose form says {form_persona}",
        )
    if name == "persona":
        return (
            "nothing says who is writing: a shopper, a seller or a creator",
            "ask whether they bought, sell or create on TikTok Shop (or pass --persona), and what went wrong",
        )
    if name == "issue":
        known = (*contract.issues.get(decision.persona, ()), *contract.issues.get("any", ()))
        return (
            f"no rule names a {decision.persona}'s problem in this text",
            f"ask what went wrong; a {decision.persona}'s issues are: {', '.join(known)}",
        )
    return (
        f"no channel rule covers a {decision.persona} with a {decision.issue} issue",
        f"a gap in the rules: add a channel rule for persona {decision.persona}, issue {decision.issue}",
    )


def explain(
    decision: Decision, ticket: Ticket | None = None, contract: Contract | None = None
) -> tuple[FieldExplanation, ...]:
    """One explanation per field, in the order the engine decides them (persona, issue, channel).
    `ticket`: the routed ticket, so an undecided persona the form gave is not called unsaid.
    `contract`: the rules' contract, whose issues an undecided issue lists (default: the bundled one)."""
    contract = default_contract() if contract is None else contract
    form_persona = ticket.persona if ticket is not None else None
    explained: list[FieldExplanation] = []
    earlier: str | None = None
    for name in FIELDS:
        winner = decision.deciding_rule(name)
        hits = sorted(
            (h for h in decision.matched if h.sets == name),
            key=lambda h: evidence_key(h.priority, h.spans, h.rule),
        )
        contenders = tuple(_contender(h, winner) for h in hits)
        value: str = getattr(decision, name)
        if value == UNROUTABLE:
            missing, step = _missing(name, decision, earlier, form_persona, contract)
            explained.append(FieldExplanation(name, value, contenders, missing, step))
            earlier = earlier or name
        else:
            explained.append(FieldExplanation(name, value, contenders))
    return tuple(explained)
