"""The detailed sections of the metrics object: per-field and per-finding scores, slices, error
analysis and coverage. Pure: built from an evaluation's Partial and the rules only."""

from __future__ import annotations

from harness.evaluate.coverage import combinations, pattern_coverage, rule_coverage
from harness.evaluate.metrics import CorpusHealth, Coverage, Detail, Errors, Figures, core_figures, ratio
from harness.evaluate.partial import Partial
from harness.evaluate.scores import confused_pairs, field_scores, finding_scores, wilson
from harness.model import FIELDS
from harness.ruleset import RuleSet


def slices(partial: Partial, rules: RuleSet) -> dict[str, dict[str, Figures]]:
    """The core figures of every slice by tag, persona, file and length (splits are reported apart)."""
    found: dict[str, dict[str, Figures]] = {name: {} for name in ("tag", "persona", "file", "length")}
    for (dimension, key), tally in sorted(partial.slices.items()):
        if dimension in found:
            found[dimension][key] = core_figures(tally, rules)
    return found


def detail(partial: Partial, rules: RuleSet, health: CorpusHealth) -> Detail:
    tally = partial.tally
    return Detail(
        unroutable_rate=ratio(tally.unroutable, tally.scenarios),
        exact_match_ci95=wilson(tally.exact, tally.scenarios),
        fields={name: field_scores(tally, name, rules.contract) for name in FIELDS},
        findings=finding_scores(tally, rules.contract),
        slices=slices(partial, rules),
        errors=Errors(partial.failing_total, tuple(partial.sample()), confused_pairs(tally)),
        coverage=Coverage(
            rules=rule_coverage(tally, rules),
            patterns=pattern_coverage(tally, rules),
            combinations=combinations(tally, rules),
            corpus=health,
            never_decisive=tuple(
                sorted(r.id for r in rules.rules if tally.rule_fired[r.id] and not tally.rule_decisive[r.id])
            ),
            examples_only=tuple(sorted(r.id for r in rules.rules if not tally.rule_fired[r.id] and r.examples)),
        ),
    )
