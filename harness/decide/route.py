"""The routing engine: persona, then issue, then channel, each decided by the conflict policy.

Conflict policy (documented in rules/README.md): among the rules for a field whose conditions
hold, the highest `priority` wins; on a tie, the rule with more evidence (distinct matched spans
of text) wins, so same-priority rules vote by how much of the ticket speaks for them; then the
rule whose evidence starts earliest in the text; then the smaller rule id. File order never
matters: rules are sorted by id when loaded.
"""

from __future__ import annotations

from collections.abc import Iterable

from harness.decide.context import context_for
from harness.match.conditions import Context, Result
from harness.model import FIELDS, UNROUTABLE, Decision, RuleHit, Span, Ticket, as_ticket
from harness.ruleset import Rule, RuleSet


def evidence_key(priority: int, spans: Iterable[Span], rule_id: str) -> tuple[int, int, int, str]:
    """The conflict policy as a sort key: the smallest key wins. Evidence is distinct spans."""
    evidence = {(s.start, s.end) for s in spans}
    first = min((start for start, _ in evidence), default=1 << 62)
    return (-priority, -len(evidence), first, rule_id)


def policy_key(hit: tuple[Rule, Result]) -> tuple[int, int, int, str]:
    """The policy for a rule that held (`harness suggest` ranks with it too)."""
    rule, result = hit
    return evidence_key(rule.priority, result.spans, rule.id)


def _hit(rule: Rule, result: Result) -> RuleHit:
    return RuleHit(
        rule.id, rule.sets, rule.value, rule.priority, tuple(sorted(set(result.spans))), rule.location
    )


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def decide(ctx: Context, rules: RuleSet) -> Decision:
    matched: list[RuleHit] = []
    deciding: list[tuple[str, str]] = []
    for name in FIELDS:
        if UNROUTABLE in ctx.decision.values():
            ctx.decision[name] = UNROUTABLE
            continue
        held = [
            (rule, result)
            for rule in rules.rules_to_evaluate(name, ctx.candidates)
            if (result := rule.evaluate(ctx)).held
        ]
        matched.extend(_hit(rule, result) for rule, result in held)
        if not held:
            ctx.decision[name] = UNROUTABLE
            continue
        winner = min(held, key=policy_key)[0]
        ctx.decision[name] = winner.value
        deciding.append((name, winner.id))
    persona, issue, channel = (ctx.decision[name] for name in FIELDS)
    channel_info = rules.channels.get(channel)
    issue_info = rules.issues.get(issue)
    return Decision(
        persona=persona,
        issue=issue,
        channel=channel,
        path=channel_info.path if channel_info else (),
        needs=issue_info.needs if issue_info else (),
        expect=_unique(
            (*(channel_info.expect if channel_info else ()), *(issue_info.expect if issue_info else ()))
        ),
        matched=tuple(matched),
        deciding=tuple(deciding),
    )


def route(ticket: Ticket | str, rules: RuleSet) -> Decision:
    """Route one ticket (a Ticket, or its text alone). Total: a ticket no rule can route gets an
    `unroutable` decision."""
    return decide(context_for(as_ticket(ticket), rules), rules)
