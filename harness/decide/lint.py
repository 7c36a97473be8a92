"""The ticket-linting engine: findings from lint rules, given the routing decision."""

from __future__ import annotations

from harness.decide.context import context_for
from harness.match.conditions import Context
from harness.model import FIELDS, Decision, Finding, RuleHit, Ticket, as_ticket
from harness.ruleset import RuleSet


def lint_hits(ctx: Context, decision: Decision, rules: RuleSet) -> tuple[RuleHit, ...]:
    """Every lint rule that fires, in rule-id order."""
    ctx.decision.update({name: getattr(decision, name) for name in FIELDS})
    hits = []
    for rule in rules.rules_to_evaluate("finding", ctx.candidates):
        result = rule.evaluate(ctx)
        if result.held:
            hits.append(
                RuleHit(
                    rule.id,
                    "finding",
                    rule.value,
                    rule.priority,
                    tuple(sorted(set(result.spans))),
                    rule.location,
                )
            )
    return tuple(hits)


def findings_from(hits: tuple[RuleHit, ...], rules: RuleSet) -> tuple[Finding, ...]:
    """One finding per finding id (the first firing rule by id speaks for it), sorted by finding id."""
    messages = {rule.id: rule.message for rule in rules.lint}
    first: dict[str, Finding] = {}
    for hit in hits:
        if hit.value not in first:
            first[hit.value] = Finding(
                hit.value, hit.rule, messages[hit.rule], hit.spans[0] if hit.spans else None
            )
    return tuple(first[k] for k in sorted(first))


def lint(ticket: Ticket | str, decision: Decision, rules: RuleSet) -> tuple[Finding, ...]:
    """Lint one ticket draft against the decision it was routed to."""
    return findings_from(lint_hits(context_for(as_ticket(ticket), rules), decision, rules), rules)
