"""The full metrics object: headline figures, per-field and per-finding scores, slices, error
analysis and coverage. Pure: built from results and rules only."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from harness.evaluate.coverage import (
    combinations,
    corpus_health,
    label_support,
    pattern_coverage,
    rule_coverage,
)
from harness.evaluate.metrics import core_figures_by, headline, ratio
from harness.evaluate.result import ScenarioResult
from harness.evaluate.scores import confused_pairs, field_scores, finding_scores, wilson
from harness.evaluate.tally import Tally
from harness.model import FIELDS
from harness.ruleset import RuleSet

LENGTH_BUCKETS = ((15, "short (<=15 words)"), (60, "medium (16-60)"), (200, "long (61-200)"))


def length_bucket(result: ScenarioResult) -> str:
    words = len(result.scenario.ticket.text.split())
    return next((name for limit, name in LENGTH_BUCKETS if words <= limit), "very long (>200)")


def slices(results: Sequence[ScenarioResult], rules: RuleSet) -> dict[str, dict[str, dict[str, Any]]]:
    dimensions: dict[str, Callable[[ScenarioResult], Iterable[str]]] = {
        "tag": lambda r: r.scenario.tags or ("(untagged)",),
        "persona": lambda r: (r.expected("persona"),),
        "file": lambda r: (r.scenario.location.file,),
        "length": lambda r: (length_bucket(r),),
    }
    return {dimension: core_figures_by(results, rules, keys_of) for dimension, keys_of in dimensions.items()}


def failures(results: Sequence[ScenarioResult]) -> list[dict[str, Any]]:
    rows = []
    for result in results:
        if result.passed:
            continue
        scenario, decision = result.scenario, result.outcome.decision
        expected_findings = scenario.expect.findings
        rows.append(
            {
                "id": scenario.id,
                "where": str(scenario.location),
                "failed": list(result.failed_fields),
                "expected": {
                    **{n: result.expected(n) for n in FIELDS},
                    "findings": None if expected_findings is None else sorted(expected_findings),
                },
                "predicted": {
                    **{n: result.predicted(n) for n in FIELDS},
                    "findings": sorted(result.outcome.finding_ids),
                },
                "deciding": dict(decision.deciding),
                "text": scenario.ticket.text,
            }
        )
    return rows


def full_metrics(
    results: Sequence[ScenarioResult], tally: Tally, rules: RuleSet, min_support: int = 5
) -> dict[str, Any]:
    metrics = headline(tally, rules)
    exact_ci = wilson(tally.exact, tally.scenarios)
    metrics.update(
        {
            "unroutable_rate": ratio(tally.unroutable, tally.scenarios),
            "exact_match_ci95": None if exact_ci is None else list(exact_ci),
            "fields": {name: field_scores(tally, name) for name in FIELDS},
            "findings": finding_scores(tally),
            "slices": slices(results, rules),
            "errors": {"failing": failures(results), "confused_pairs": confused_pairs(tally)},
            "coverage": {
                "rules": rule_coverage(tally, rules),
                "labels": label_support(results, min_support),
                "patterns": pattern_coverage(tally, rules),
                "combinations": combinations(results, rules),
                "corpus": corpus_health(results),
                "never_decisive": sorted(
                    r.id for r in rules.rules if tally.rule_fired[r.id] and not tally.rule_decisive[r.id]
                ),
                "examples_only": sorted(
                    r.id for r in rules.rules if not tally.rule_fired[r.id] and r.examples
                ),
            },
        }
    )
    for name in FIELDS:
        metrics[f"{name}_accuracy_ci95"] = metrics["fields"][name]["accuracy_ci95"]
    return metrics
