"""Both engines on one ticket, sharing the prepared text."""

from __future__ import annotations

from dataclasses import dataclass

from harness.decide.context import context_for
from harness.decide.lint import findings_from, lint_hits
from harness.decide.route import decide
from harness.match.conditions import Context
from harness.model import Decision, Finding, RuleHit, Ticket, as_ticket
from harness.ruleset import RuleSet


@dataclass(frozen=True)
class Outcome:
    decision: Decision
    findings: tuple[Finding, ...]
    lint_hits: tuple[RuleHit, ...]

    @property
    def finding_ids(self) -> frozenset[str]:
        return frozenset(f.id for f in self.findings)

    @property
    def fired(self) -> frozenset[str]:
        """Ids of every rule whose conditions held (routing and lint)."""
        return frozenset(h.rule for h in (*self.decision.matched, *self.lint_hits))


def run_in(ctx: Context, rules: RuleSet) -> Outcome:
    """Both engines on a prepared ticket (the context keeps every pattern match for coverage)."""
    decision = decide(ctx, rules)
    hits = lint_hits(ctx, decision, rules)
    return Outcome(decision, findings_from(hits, rules), hits)


def run(ticket: Ticket | str, rules: RuleSet) -> Outcome:
    return run_in(context_for(as_ticket(ticket), rules), rules)


def branch_hits(ctx: Context, rules: RuleSet) -> set[tuple[str, int, int]]:
    """(rule id, text test index, alternative index) for every pattern alternative that matched
    this ticket; only the matchers the prefilter let through are looked at."""
    hits: set[tuple[str, int, int]] = set()
    text = ctx.text.normalized
    indices = rules.pattern_uses.keys() if ctx.candidates is None else ctx.candidates
    for index in sorted(indices):
        for rule_id, position, matcher in rules.pattern_uses.get(index, ()):
            for start, end in ctx.matches(matcher, "all"):
                hits.add((rule_id, position, matcher.alternative_at(text, start, end)))
    return hits
