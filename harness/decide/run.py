"""Both engines on one ticket, sharing the prepared text."""

from __future__ import annotations

from dataclasses import dataclass

from harness.decide.context import context_for
from harness.decide.lint import findings_from, lint_hits
from harness.decide.route import decide
from harness.model import Decision, Finding, RuleHit, Ticket
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


def run(ticket: Ticket, rules: RuleSet) -> Outcome:
    ctx = context_for(ticket, rules)
    decision = decide(ctx, rules)
    hits = lint_hits(ctx, decision, rules)
    return Outcome(decision, findings_from(hits, rules), hits)
