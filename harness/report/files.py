"""Every report file under one directory, written aside and moved into place (never half written)."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.evaluate.evaluator import Evaluation, row
from harness.evaluate.metrics import Metrics, PatternRow, RuleRow
from harness.evaluate.tally import Tally
from harness.model import FIELDS
from harness.report import FORMATS
from harness.report.atomic import write_directory
from harness.report.html import render
from harness.report.junit import JUNIT_COLUMNS, write_junit
from harness.report.numbers import csv_cell, fmt
from harness.report.results_store import ResultsStore
from harness.report.split_table import SPLIT_HEADERS, split_rows

if TYPE_CHECKING:
    import pandas as pd


def metrics_json(data: dict[str, Any]) -> str:
    """The metrics object's JSON (`Metrics.to_json()`, and what `--json` adds) as metrics.json holds it."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


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


def summary_table(metrics: Metrics) -> str:
    width = max(len(label) for _, label in HEADLINE_ROWS)
    return "\n".join(f"{label:<{width}}  {fmt(metrics.figure(key))}" for key, label in HEADLINE_ROWS)


def worst_labels(metrics: Metrics, count: int = 3) -> list[tuple[str, str, float, int]]:
    """The lowest-F1 labels with support, across persona, issue, channel and findings."""
    detail = metrics.detailed()
    rows = []
    for section, scores in [*((n, detail.fields[n]) for n in FIELDS), ("finding", detail.findings)]:
        for label, s in scores.labels.items():
            if s.support and s.f1 is not None:
                rows.append((section, label, s.f1, s.support))
    return sorted(rows, key=lambda r: (r[2], -r[3], r[0], r[1]))[:count]


def summary_markdown(metrics: Metrics) -> str:
    detail = metrics.detailed()
    lines = ["# Evaluation summary", "", "## Tune against holdout", ""]
    lines += ["| " + " | ".join(SPLIT_HEADERS) + " |", "| --- | --- | --- | --- |"]
    lines += ["| " + " | ".join(row) + " |" for row in split_rows(metrics)]
    lines += ["", "## Whole corpus", "", "| metric | value |", "| --- | --- |"]
    lines += [f"| {label} | {fmt(metrics.figure(key))} |" for key, label in HEADLINE_ROWS]
    lines += [
        "",
        "## Worst labels (F1, with support)",
        "",
        "| field | label | F1 | support |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {f} | {label} | {score:.3f} | {n} |" for f, label, score, n in worst_labels(metrics, 5)]
    pairs = detail.errors.confused_pairs[:5]
    lines += ["", "## Most-confused pairs", ""]
    lines += [f"- {p.field}: {p.expected} -> {p.predicted} ({p.count})" for p in pairs] or ["none"]
    lines += [
        "",
        f"{len(detail.errors.failing)} failing scenarios, {len(metrics.dead_rules)} rules never fired;"
        " see index.html and results.csv.",
    ]
    missing = metrics.label_support.missing
    if missing:
        lines += ["", "**Contract labels with no scenario:** " + ", ".join(f"{x.field} {x.label}" for x in missing)]
    return "\n".join(lines) + "\n"


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


def rules_csv(rule_rows: Sequence[RuleRow], pattern_rows: Sequence[PatternRow]) -> str:
    patterns = {r.rule: r for r in pattern_rows}
    rows = []
    for entry in rule_rows:
        pattern = patterns.get(entry.rule)
        rows.append(
            {
                **vars(entry),
                "alternatives": pattern.alternatives if pattern else 0,
                "alternatives_matched": pattern.matched if pattern else 0,
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


def plots(metrics: Metrics, tally: Tally) -> dict[str, bytes]:
    # matplotlib on use: imported at start it held 33 MB of the parent process (the CLI and report
    # modules resident: 46 MB without it, 79 MB with it) all through an evaluation, beside its workers.
    from harness.report.plots import confusion_png, f1_bars_png, heatmap_png, rule_hits_png

    detail = metrics.detailed()
    images = {f"confusion_{n}.png": confusion_png(n, detail.fields[n].confusion) for n in FIELDS}
    for n in FIELDS:
        images[f"f1_{n}.png"] = f1_bars_png(f"{n}: F1 per label", detail.fields[n].labels)
    images["f1_findings.png"] = f1_bars_png("findings: F1 per finding", detail.findings.labels)
    personas = list(metrics.label_support.support["persona"])
    issues = list(metrics.label_support.support["issue"])
    counts = [[0] * len(issues) for _ in personas]
    for (persona, issue, _), count in tally.combinations.items():
        counts[personas.index(persona)][issues.index(issue)] += count
    images["coverage_persona_issue.png"] = heatmap_png(
        "scenarios per persona x issue", personas, issues, counts
    )
    images["rule_hits.png"] = rule_hits_png(detail.coverage.rules)
    return images


def _write_reports(
    metrics: Metrics, tally: Tally, directory: Path, store: ResultsStore, formats: Sequence[str]
) -> None:
    if "json" in formats:
        (directory / "metrics.json").write_text(metrics_json(metrics.to_json()), encoding="utf-8")
    if "csv" in formats:
        coverage = metrics.detailed().coverage
        (directory / "rules.csv").write_text(rules_csv(coverage.rules, coverage.patterns), encoding="utf-8")
    if "md" in formats:
        (directory / "summary.md").write_text(summary_markdown(metrics), encoding="utf-8")
    if "junit" in formats:
        with (directory / "junit.xml").open("wb") as out:
            write_junit(lambda: store.batches(JUNIT_COLUMNS), out)
    if "html" in formats:
        images = plots(metrics, tally)
        for name, png in images.items():
            (directory / name).write_bytes(png)
        (directory / "index.html").write_text(render(metrics, images), encoding="utf-8")
    store.finish()


def _store(directory: Path, formats: Sequence[str]) -> ResultsStore:
    return ResultsStore(directory, parquet="parquet" in formats, csv_file="csv" in formats)


def write_report(evaluation: Evaluation, out: str | os.PathLike[str], formats: Sequence[str] = FORMATS) -> None:
    """Write the report files of an evaluation that kept its results into the folder `out` (see
    `write_directory` for which folders the harness may replace; anything else is a HarnessError
    and nothing is touched)."""

    def build(directory: Path) -> None:
        store = _store(directory, formats)
        store.write([row(result) for result in evaluation.results])
        _write_reports(evaluation.metrics, evaluation.tally, directory, store, formats)

    write_directory(out, build)


def evaluate_into_report(
    out: str | os.PathLike[str], run: Callable[[ResultsStore], Evaluation], formats: Sequence[str] = FORMATS
) -> Evaluation:
    """Run an evaluation that streams its rows into the report being written (`run` is given the
    store to pass as `on_rows` and `fetch`), then write the other files; all or nothing, as above."""
    done: list[Evaluation] = []

    def build(directory: Path) -> None:
        store = _store(directory, formats)
        done.append(run(store))
        _write_reports(done[0].metrics, done[0].tally, directory, store, formats)

    write_directory(out, build)
    return done[0]
