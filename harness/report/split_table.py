"""The tune and holdout splits side by side, gap first: one table for every report format."""

from __future__ import annotations

from harness.evaluate.metrics import Metrics
from harness.evaluate.splits import GAP_METRICS
from harness.report.numbers import fmt

SPLIT_HEADERS = ("metric", "gap (tune - holdout)", "tune", "holdout")


def _signed(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.3f}"


def split_rows(metrics: Metrics) -> list[tuple[str, str, str, str]]:
    """Rows of (metric, gap, tune, holdout); the scenario counts first so the gap can be weighed."""
    tune, holdout, gap = metrics.splits.tune, metrics.splits.holdout, metrics.generalization_gap
    rows = [("scenarios", "", fmt(tune.scenarios), fmt(holdout.scenarios))]
    rows += [
        (name.replace("_", " "), _signed(gap[name]), fmt(tune.figure(name)), fmt(holdout.figure(name)))
        for name in GAP_METRICS
    ]
    return rows


def split_table(metrics: Metrics) -> str:
    """The rows as aligned text, for the terminal."""
    rows = [SPLIT_HEADERS, *split_rows(metrics)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(SPLIT_HEADERS))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )
