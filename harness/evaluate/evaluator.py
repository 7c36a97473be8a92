"""Run both engines over labelled scenarios and collect results, counts and metrics."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from harness.decide.context import context_for
from harness.decide.run import branch_hits, run_in
from harness.evaluate.analysis import full_metrics
from harness.evaluate.coverage import label_support
from harness.evaluate.metrics import headline
from harness.evaluate.result import ScenarioResult
from harness.evaluate.splits import generalization_gap, split_metrics, split_of
from harness.evaluate.tally import Tally, tally_of
from harness.model import FIELDS, Scenario
from harness.ruleset import RuleSet

if TYPE_CHECKING:
    import pandas


def results_of(
    scenarios: Iterable[Scenario], rules: RuleSet, branches: bool = True
) -> Iterable[ScenarioResult]:
    """Both engines on each scenario; `branches` also records which pattern alternatives matched."""
    for scenario in scenarios:
        ctx = context_for(scenario.ticket, rules)
        outcome = run_in(ctx, rules)
        yield ScenarioResult(
            scenario, outcome, frozenset(branch_hits(ctx, rules)) if branches else frozenset()
        )


def _joined(values: Iterable[str] | None) -> str:
    return "" if values is None else ";".join(sorted(values))


def row(result: ScenarioResult) -> dict[str, Any]:
    scenario, decision = result.scenario, result.outcome.decision
    out: dict[str, Any] = {"id": scenario.id, "file": scenario.location.file, "line": scenario.location.line}
    for name in FIELDS:
        out[f"expected_{name}"] = result.expected(name)
        out[f"predicted_{name}"] = result.predicted(name)
    out.update(
        {
            "expected_findings": _joined(scenario.expect.findings),
            "predicted_findings": _joined(result.outcome.finding_ids),
            "findings_labelled": scenario.expect.findings is not None,
            "passed": result.passed,
            "failed": ";".join(result.failed_fields),
            "deciding_rule": ";".join(f"{name}={rule}" for name, rule in decision.deciding),
            "matched_rules": _joined({hit.rule for hit in decision.matched}),
            "split": split_of(scenario),
            "tags": ";".join(scenario.tags),
            "words": len(scenario.ticket.text.split()),
        }
    )
    return out


@dataclass(frozen=True)
class Evaluation:
    """What `harness.evaluate` returns: the metrics, the counts, and one row per scenario."""

    metrics: dict[str, Any]
    tally: Tally
    results: tuple[ScenarioResult, ...]

    @property
    def frame(self) -> pandas.DataFrame:
        import pandas as pd  # imported on use: the gate and the engines never need it (0.4 s)

        return pd.DataFrame([row(r) for r in self.results], columns=list(row_columns()))


def row_columns() -> tuple[str, ...]:
    names = ["id", "file", "line"]
    for name in FIELDS:
        names += [f"expected_{name}", f"predicted_{name}"]
    names += ["expected_findings", "predicted_findings", "findings_labelled", "passed", "failed"]
    names += ["deciding_rule", "matched_rules", "split", "tags", "words"]
    return tuple(names)


def evaluate(
    rules: RuleSet, scenarios: Iterable[Scenario], min_support: int = 5, detailed: bool = True
) -> Evaluation:
    """Run both engines on every scenario; the metrics hold every figure the reports show.

    `detailed=False` (the gate) keeps the headline figures and label support and skips the costly
    analysis (pattern branches, slices, corpus health)."""
    results = tuple(results_of(scenarios, rules, branches=detailed))
    tally = tally_of(results)
    if detailed:
        metrics = full_metrics(results, tally, rules, min_support)
    else:
        metrics = headline(tally, rules)
        metrics["coverage"] = {"labels": label_support(results, min_support)}
    metrics["splits"] = split_metrics(results, rules)
    metrics["generalization_gap"] = generalization_gap(metrics["splits"])
    return Evaluation(metrics, tally, results)
