"""The full metrics object: headline figures, per-field and per-finding scores, slices, error
analysis and coverage. Pure: built from an evaluation's Partial and the rules only."""

from __future__ import annotations

from typing import Any

from harness.evaluate.coverage import combinations, label_support, pattern_coverage, rule_coverage
from harness.evaluate.metrics import core_figures, headline, ratio
from harness.evaluate.partial import Partial
from harness.evaluate.scores import confused_pairs, field_scores, finding_scores, wilson
from harness.model import FIELDS
from harness.ruleset import RuleSet


def slices(partial: Partial, rules: RuleSet) -> dict[str, dict[str, dict[str, Any]]]:
    """The core figures of every slice by tag, persona, file and length (splits are reported apart)."""
    found: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in ("tag", "persona", "file", "length")}
    for (dimension, key), tally in sorted(partial.slices.items()):
        if dimension in found:
            found[dimension][key] = core_figures(tally, rules)
    return found


def full_metrics(partial: Partial, rules: RuleSet, min_support: int, health: dict[str, Any]) -> dict[str, Any]:
    tally = partial.tally
    metrics = headline(tally, rules)
    exact_ci = wilson(tally.exact, tally.scenarios)
    metrics.update(
        {
            "unroutable_rate": ratio(tally.unroutable, tally.scenarios),
            "exact_match_ci95": None if exact_ci is None else list(exact_ci),
            "fields": {name: field_scores(tally, name) for name in FIELDS},
            "findings": finding_scores(tally),
            "slices": slices(partial, rules),
            "errors": {
                "failing_total": partial.failing_total,
                "failing": partial.sample(),
                "confused_pairs": confused_pairs(tally),
            },
            "coverage": {
                "rules": rule_coverage(tally, rules),
                "labels": label_support(tally, min_support),
                "patterns": pattern_coverage(tally, rules),
                "combinations": combinations(tally, rules),
                "corpus": health,
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
