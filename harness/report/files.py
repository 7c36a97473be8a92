"""The evaluation report files: metrics.json, results.csv, summary.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.evaluate.evaluator import Evaluation
from harness.report.atomic import write_directory


def metrics_json(metrics: dict[str, Any]) -> str:
    return json.dumps(metrics, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _figure(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


HEADLINE_ROWS = (
    ("scenarios", "scenarios"),
    ("passed", "passed"),
    ("persona_accuracy", "persona accuracy"),
    ("issue_accuracy", "issue accuracy"),
    ("channel_accuracy", "channel accuracy"),
    ("exact_match", "exact match (persona, issue, channel)"),
    ("findings_scenarios", "scenarios with findings labelled"),
    ("findings_micro_f1", "findings micro F1"),
    ("unroutable", "unroutable"),
    ("rule_coverage", "rule coverage"),
)


def summary_table(metrics: dict[str, Any]) -> str:
    width = max(len(label) for _, label in HEADLINE_ROWS)
    return "\n".join(f"{label:<{width}}  {_figure(metrics[key])}" for key, label in HEADLINE_ROWS)


def summary_markdown(evaluation: Evaluation) -> str:
    metrics = evaluation.metrics
    lines = ["# Evaluation summary", "", "| metric | value |", "| --- | --- |"]
    lines += [f"| {label} | {_figure(metrics[key])} |" for key, label in HEADLINE_ROWS]
    failing = [r for r in evaluation.results if not r.passed]
    lines += ["", f"## Failing scenarios ({len(failing)})", ""]
    if failing:
        lines += ["| scenario | where | wrong | deciding rules |", "| --- | --- | --- | --- |"]
        for result in failing[:50]:
            deciding = ", ".join(f"{k}={v}" for k, v in result.outcome.decision.deciding)
            lines.append(
                f"| {result.scenario.id} | {result.scenario.location} | {', '.join(result.failed_fields)} | {deciding} |"
            )
        if len(failing) > 50:
            lines.append(f"\n{len(failing) - 50} more in results.csv.")
    dead = metrics["dead_rules"]
    lines += ["", f"## Rules that never fired ({len(dead)})", ""]
    lines += [f"- {rule_id}" for rule_id in dead] or ["none"]
    return "\n".join(lines) + "\n"


def write_report(evaluation: Evaluation, out: Path) -> None:
    def build(directory: Path) -> None:
        (directory / "metrics.json").write_text(metrics_json(evaluation.metrics), encoding="utf-8")
        evaluation.frame.to_csv(directory / "results.csv", index=False, lineterminator="\n")
        (directory / "summary.md").write_text(summary_markdown(evaluation), encoding="utf-8")

    write_directory(out, build)
