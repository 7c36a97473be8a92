"""The tune and holdout splits side by side, gap first: one table for every report format."""

from __future__ import annotations

from typing import Any

from harness.evaluate.splits import GAP_METRICS

SPLIT_HEADERS = ("metric", "gap (tune - holdout)", "tune", "holdout")


def _signed(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.3f}"


def _plain(value: Any) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def split_rows(metrics: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Rows of (metric, gap, tune, holdout); the scenario counts first so the gap can be weighed."""
    tune, holdout, gap = (
        metrics["splits"]["tune"],
        metrics["splits"]["holdout"],
        metrics["generalization_gap"],
    )
    rows = [("scenarios", "", _plain(tune["scenarios"]), _plain(holdout["scenarios"]))]
    rows += [
        (name.replace("_", " "), _signed(gap[name]), _plain(tune[name]), _plain(holdout[name]))
        for name in GAP_METRICS
    ]
    return rows


def split_table(metrics: dict[str, Any]) -> str:
    """The rows as aligned text, for the terminal."""
    rows = [SPLIT_HEADERS, *split_rows(metrics)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(SPLIT_HEADERS))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )
