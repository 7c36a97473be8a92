"""Metrics computed from a Tally. Pure functions; fractions in [0, 1], None where undefined."""

from __future__ import annotations

from typing import Any

from harness.evaluate.tally import Tally
from harness.model import FIELDS
from harness.ruleset import RuleSet

# The figures compared across slices of a corpus and across the two sides of the gate.
CORE_METRICS = (
    "scenarios",
    "passed",
    "persona_accuracy",
    "issue_accuracy",
    "channel_accuracy",
    "exact_match",
    "findings_micro_f1",
    "rule_coverage",
    "unroutable",
)
# The core figures that are fractions: what a floor (`--fail-under`, the gate policy) can bound.
FRACTION_METRICS = (
    "persona_accuracy",
    "issue_accuracy",
    "channel_accuracy",
    "exact_match",
    "findings_micro_f1",
    "rule_coverage",
)


def ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def accuracy(tally: Tally, name: str) -> float | None:
    right = sum(n for (expected, predicted), n in tally.confusion[name].items() if expected == predicted)
    return ratio(right, tally.scenarios)


def f1(tp: int, fp: int, fn: int) -> float | None:
    """F1 = 2tp / (2tp + fp + fn); None when nothing was expected or predicted."""
    return ratio(2 * tp, 2 * tp + fp + fn)


def findings_micro_f1(tally: Tally) -> float | None:
    if tally.findings_scenarios == 0:
        return None
    score = f1(sum(tally.finding_tp.values()), sum(tally.finding_fp.values()), sum(tally.finding_fn.values()))
    # Findings were labelled and none expected or predicted anywhere: every set matched exactly.
    return 1.0 if score is None else score


def rule_coverage(tally: Tally, rules: RuleSet) -> float | None:
    ids = [rule.id for rule in rules.rules]
    return ratio(sum(1 for rule_id in ids if tally.rule_fired[rule_id]), len(ids))


def headline(tally: Tally, rules: RuleSet) -> dict[str, Any]:
    """The core metrics object printed by `harness evaluate --json`."""
    metrics: dict[str, Any] = {
        "scenarios": tally.scenarios,
        "passed": tally.passed,
        "pass_rate": ratio(tally.passed, tally.scenarios),
    }
    for name in FIELDS:
        metrics[f"{name}_accuracy"] = accuracy(tally, name)
    metrics.update(
        {
            "exact_match": ratio(tally.exact, tally.scenarios),
            "findings_scenarios": tally.findings_scenarios,
            "findings_micro_f1": findings_micro_f1(tally),
            "findings_exact_match": ratio(tally.findings_exact, tally.findings_scenarios),
            "unroutable": tally.unroutable,
            "rules": len(rules.rules),
            "rule_coverage": rule_coverage(tally, rules),
            "dead_rules": sorted(rule.id for rule in rules.rules if not tally.rule_fired[rule.id]),
        }
    )
    return metrics


def core_figures(tally: Tally, rules: RuleSet) -> dict[str, Any]:
    """The core metrics of a group of results (a slice, a split), from its tally."""
    figures = headline(tally, rules)
    return {k: figures[k] for k in CORE_METRICS}
