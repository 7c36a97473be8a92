"""PNG plots with matplotlib, byte-identical for the same inputs (no timestamps, fixed metadata)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib

if TYPE_CHECKING:
    from harness.evaluate.metrics import Confusion, LabelScore, RuleRow

matplotlib.use("Agg")
import matplotlib.pyplot as plt

plt.rcParams.update({"svg.hashsalt": "harness", "font.size": 8, "figure.dpi": 100})


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None}, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def confusion_png(name: str, confusion: Confusion) -> bytes:
    whole = confusion.matrix
    keep = [i for i in range(len(whole)) if any(whole[i]) or any(row[i] for row in whole)]
    labels = [confusion.labels[i] for i in keep]
    matrix = [[whole[i][j] for j in keep] for i in keep]
    size = max(4.0, 0.42 * len(labels) + 2)
    figure, axes = plt.subplots(figsize=(size, size))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=60, ha="right")
    axes.set_yticks(range(len(labels)), labels)
    axes.set_xlabel("predicted")
    axes.set_ylabel("expected")
    axes.set_title(f"{name}: confusion matrix")
    peak = max((v for row in matrix for v in row), default=0)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                axes.text(
                    j, i, str(value), ha="center", va="center", color="white" if value > peak / 2 else "black"
                )
    return _png(figure)


def f1_bars_png(title: str, per_label: Mapping[str, LabelScore]) -> bytes:
    rows = [(label, s.f1) for label, s in per_label.items() if s.support or s.predicted]
    rows.sort(key=lambda r: (r[1] if r[1] is not None else -1.0, r[0]))
    figure, axes = plt.subplots(figsize=(6, max(2.0, 0.25 * len(rows) + 1)))
    axes.barh([r[0] for r in rows], [r[1] or 0.0 for r in rows], color="#4c72b0")
    axes.set_xlim(0, 1)
    axes.set_xlabel("F1")
    axes.set_title(title)
    return _png(figure)


def heatmap_png(title: str, rows: list[str], columns: list[str], counts: list[list[int]]) -> bytes:
    figure, axes = plt.subplots(figsize=(max(5.0, 0.4 * len(columns) + 2), max(2.5, 0.5 * len(rows) + 1.5)))
    axes.imshow(counts, cmap="Greens", aspect="auto")
    axes.set_xticks(range(len(columns)), columns, rotation=60, ha="right")
    axes.set_yticks(range(len(rows)), rows)
    axes.set_title(title)
    for i, row in enumerate(counts):
        for j, value in enumerate(row):
            axes.text(j, i, str(value), ha="center", va="center", color="black" if value else "#bbbbbb")
    return _png(figure)


def rule_hits_png(rule_rows: Sequence[RuleRow]) -> bytes:
    rows = sorted(rule_rows, key=lambda r: (r.matched, r.rule))
    figure, axes = plt.subplots(figsize=(7, max(3.0, 0.16 * len(rows) + 1)))
    names = [r.rule for r in rows]
    axes.barh(names, [r.matched for r in rows], color="#dd8452", label="matched")
    axes.barh(names, [r.decisive for r in rows], color="#55a868", label="decisive")
    axes.tick_params(axis="y", labelsize=6)
    axes.set_xlabel("scenarios")
    axes.set_title("rule hits: matched and decisive")
    axes.legend(loc="lower right")
    return _png(figure)
