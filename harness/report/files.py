"""Every report file under one directory, written aside and moved into place (never half written)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.evaluate.evaluator import Evaluation
from harness.model import FIELDS
from harness.report.atomic import write_directory
from harness.report.html import render
from harness.report.junit import junit_xml
from harness.report.numbers import fmt
from harness.report.plots import confusion_png, f1_bars_png, heatmap_png, rule_hits_png
from harness.report.split_table import SPLIT_HEADERS, split_rows

if TYPE_CHECKING:
    import pandas as pd


def metrics_json(metrics: dict[str, Any]) -> str:
    return json.dumps(metrics, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


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
    return "\n".join(f"{label:<{width}}  {fmt(metrics[key])}" for key, label in HEADLINE_ROWS)


def worst_labels(metrics: dict[str, Any], count: int = 3) -> list[tuple[str, str, float, int]]:
    """The lowest-F1 labels with support, across persona, issue, channel and findings."""
    rows = []
    for section, scores in [*((n, metrics["fields"][n]) for n in FIELDS), ("finding", metrics["findings"])]:
        for label, s in scores["labels"].items():
            if s["support"] and s["f1"] is not None:
                rows.append((section, label, s["f1"], s["support"]))
    return sorted(rows, key=lambda r: (r[2], -r[3], r[0], r[1]))[:count]


def summary_markdown(metrics: dict[str, Any]) -> str:
    lines = ["# Evaluation summary", "", "## Tune against holdout", ""]
    lines += ["| " + " | ".join(SPLIT_HEADERS) + " |", "| --- | --- | --- | --- |"]
    lines += ["| " + " | ".join(row) + " |" for row in split_rows(metrics)]
    lines += ["", "## Whole corpus", "", "| metric | value |", "| --- | --- |"]
    lines += [f"| {label} | {fmt(metrics[key])} |" for key, label in HEADLINE_ROWS]
    lines += [
        "",
        "## Worst labels (F1, with support)",
        "",
        "| field | label | F1 | support |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {f} | {label} | {score:.3f} | {n} |" for f, label, score, n in worst_labels(metrics, 5)]
    pairs = metrics["errors"]["confused_pairs"][:5]
    lines += ["", "## Most-confused pairs", ""]
    lines += [f"- {p['field']}: {p['expected']} -> {p['predicted']} ({p['count']})" for p in pairs] or [
        "none"
    ]
    failing = metrics["errors"]["failing"]
    lines += [
        "",
        f"{len(failing)} failing scenarios, {len(metrics['dead_rules'])} rules never fired;"
        " see index.html and results.csv.",
    ]
    missing = metrics["coverage"]["labels"]["missing"]
    if missing:
        lines += [
            "",
            "**Contract labels with no scenario:** "
            + ", ".join(f"{x['field']} {x['label']}" for x in missing),
        ]
    return "\n".join(lines) + "\n"


#: What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A cell made safe to open in a spreadsheet: text that starts like a formula gets a leading `'`
    (OWASP's advice), so `=cmd|' /C calc'!A0` shows as text instead of running. Numbers, negative
    ones included, and other non-text values are returned as they are. Every CSV writer uses this."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_frame(frame: pd.DataFrame) -> str:
    """A DataFrame as CSV text (no index), every text cell passed through `csv_cell`."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    safe = frame.copy()
    for column in safe.columns:
        if not (is_numeric_dtype(safe[column]) or is_bool_dtype(safe[column])):
            safe[column] = safe[column].map(csv_cell)
    return safe.to_csv(index=False, lineterminator="\n")


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def rules_csv(metrics: dict[str, Any]) -> str:
    patterns = {r["rule"]: r for r in metrics["coverage"]["patterns"]}
    rows = []
    for row in metrics["coverage"]["rules"]:
        pattern = patterns.get(row["rule"])
        rows.append(
            {
                **row,
                "alternatives": pattern["alternatives"] if pattern else 0,
                "alternatives_matched": pattern["matched"] if pattern else 0,
            }
        )
    columns = [
        "rule",
        "kind",
        "sets",
        "value",
        "priority",
        "owner",
        "file",
        "line",
        "matched",
        "decisive",
        "status",
        "examples",
        "alternatives",
        "alternatives_matched",
    ]
    return _csv(rows, columns)


def plots(evaluation: Evaluation) -> dict[str, bytes]:
    m = evaluation.metrics
    images = {f"confusion_{n}.png": confusion_png(n, m["fields"][n]["confusion"]) for n in FIELDS}
    for n in FIELDS:
        images[f"f1_{n}.png"] = f1_bars_png(f"{n}: F1 per label", m["fields"][n]["labels"])
    images["f1_findings.png"] = f1_bars_png("findings: F1 per finding", m["findings"]["labels"])
    personas = list(m["coverage"]["labels"]["support"]["persona"])
    issues = list(m["coverage"]["labels"]["support"]["issue"])
    counts = [[0] * len(issues) for _ in personas]
    for result in evaluation.results:
        counts[personas.index(result.expected("persona"))][issues.index(result.expected("issue"))] += 1
    images["coverage_persona_issue.png"] = heatmap_png(
        "scenarios per persona x issue", personas, issues, counts
    )
    images["rule_hits.png"] = rule_hits_png(m["coverage"]["rules"])
    return images


def write_report(evaluation: Evaluation, out: str | os.PathLike[str]) -> None:
    """Write every report file into the folder `out` (see `write_directory` for which folders the
    harness may replace; anything else is a HarnessError and nothing is touched)."""

    def build(directory: Path) -> None:
        images = plots(evaluation)
        (directory / "metrics.json").write_text(metrics_json(evaluation.metrics), encoding="utf-8")
        (directory / "results.csv").write_text(csv_frame(evaluation.frame), encoding="utf-8")
        (directory / "rules.csv").write_text(rules_csv(evaluation.metrics), encoding="utf-8")
        (directory / "summary.md").write_text(summary_markdown(evaluation.metrics), encoding="utf-8")
        (directory / "junit.xml").write_bytes(junit_xml(evaluation.results))
        for name, png in images.items():
            (directory / name).write_bytes(png)
        (directory / "index.html").write_text(
            render(evaluation.metrics, evaluation.results, images), encoding="utf-8"
        )

    write_directory(out, build)
