"""A ticket's outcome as JSON-ready objects: what `harness route --json` and `lint --json` print
and what `harness serve`'s `/api/route` returns (one serializer, so the two cannot drift), and the
explanation the report and the web app draw."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.contract import Contract
from harness.decide.explain import FieldExplanation, explain
from harness.decide.run import Outcome
from harness.model import Span, Ticket


def decision_json(outcome: Outcome) -> dict[str, Any]:
    decision = outcome.decision
    return {
        "persona": decision.persona,
        "issue": decision.issue,
        "channel": decision.channel,
        "unroutable": decision.unroutable,
        "path": list(decision.path),
        "needs": list(decision.needs),
        "expect": list(decision.expect),
        "trace": {
            "deciding": dict(decision.deciding),
            "matched": [
                {
                    "rule": hit.rule,
                    "sets": hit.sets,
                    "value": hit.value,
                    "priority": hit.priority,
                    "where": str(hit.location),
                    "spans": _spans(hit.spans),
                }
                for hit in decision.matched
            ],
        },
    }


def findings_json(outcome: Outcome) -> list[dict[str, Any]]:
    return [
        {
            "id": f.id,
            "rule": f.rule,
            "message": f.message,
            "span": None
            if f.span is None
            else {"start": f.span.start, "end": f.span.end, "text": f.span.text},
        }
        for f in outcome.findings
    ]


def _spans(spans: Sequence[Span]) -> list[dict[str, Any]]:
    return [{"start": s.start, "end": s.end, "text": s.text} for s in spans]


def explanation_json(explained: Sequence[FieldExplanation]) -> list[dict[str, Any]]:
    return [
        {
            "field": e.field,
            "value": e.value,
            "missing": e.missing,
            "next_step": e.next_step,
            "contenders": [
                {
                    "rule": c.rule,
                    "value": c.value,
                    "priority": c.priority,
                    "evidence": c.evidence,
                    "won": c.won,
                    "where": str(c.location),
                    "spans": _spans(c.spans),
                }
                for c in e.contenders
            ],
        }
        for e in explained
    ]


def explain_json(outcome: Outcome, ticket: Ticket, contract: Contract | None = None) -> dict[str, Any]:
    """Why the outcome is what it is: each field's contenders (winner first) and the findings, with
    their spans. The report keeps it for each sampled failure; the report and `harness serve` draw
    it with one template macro (harness/report/trace.py). `contract`: as `explain`'s."""
    explained = explain(outcome.decision, ticket, contract)
    return {"fields": explanation_json(explained), "findings": findings_json(outcome)}
