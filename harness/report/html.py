"""The analyst's report: one self-contained HTML page (inline CSS and script, plots as data URIs,
nothing fetched from the network), rendered from the templates `harness serve` uses too
(harness/templates/report.html, with the same trace macro). Deterministic: the same metrics and
plots give the same bytes.

This module only prepares plain data for the template: the failing scenarios with their traces,
slices cut at the minimum support, near-duplicate tags.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harness.evaluate.health import MAX_SKETCHED
from harness.evaluate.metrics import Figures, LabelScores, Metrics
from harness.evaluate.partial import SAMPLE_PER_LABEL
from harness.model import FIELDS
from harness.report.split_table import SPLIT_HEADERS, split_rows
from harness.report.trace import Trace, trace_view
from harness.templates import render as render_template

SHOWN_IDS = 50  # ids shown per near-duplicate cluster (metrics.json has them all)
SLICE_COLUMNS = (
    "value",
    "scenarios",
    "passed",
    "persona",
    "issue",
    "channel",
    "exact",
    "findings F1",
    "unroutable",
)


@dataclass(frozen=True)
class Failure:
    """One failing scenario of the sample: a row of the table and its trace below it."""

    anchor: str
    row: Mapping[str, Any]
    trace: Trace


def failure(row: Mapping[str, Any]) -> Failure:
    return Failure(f"failing-{row['index']}", row, trace_view(row["text"], row["explain"], row["expected"]))


@dataclass(frozen=True)
class Slice:
    dimension: str
    rows: tuple[tuple[Any, ...], ...]  # groups with at least the minimum support
    hidden: int  # groups below it


def slices(by_dimension: Mapping[str, Mapping[str, Figures]], min_support: int) -> tuple[Slice, ...]:
    """Each dimension's groups with at least `min_support` scenarios (smaller groups say little:
    one ticket is a 0% or a 100%); the count of those left out is shown beside the table."""
    found = []
    for dimension, groups in by_dimension.items():
        rows = tuple(
            (
                key,
                g.scenarios,
                g.passed,
                g.persona_accuracy,
                g.issue_accuracy,
                g.channel_accuracy,
                g.exact_match,
                g.findings_micro_f1,
                g.unroutable,
            )
            for key, g in groups.items()
            if g.scenarios >= min_support
        )
        found.append(Slice(dimension, rows, len(groups) - len(rows)))
    return tuple(found)


def tag_key(tag: str) -> str:
    """What near-duplicate tags share: case, separators and a plural s ignored
    (`holdout`, `hold-out`, `Hold_Out`, `holdouts` all give `holdout`)."""
    key = re.sub(r"[^0-9a-z]", "", tag.casefold())
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return key


def near_duplicate_tags(tags: Iterable[str]) -> list[tuple[str, ...]]:
    """Groups of two or more distinct tags with the same `tag_key`, sorted."""
    groups: dict[str, set[str]] = {}
    for tag in tags:
        if tag != "(untagged)":
            groups.setdefault(tag_key(tag), set()).add(tag)
    return sorted(tuple(sorted(g)) for g in groups.values() if len(g) > 1)


def _image(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _label_rows(scores: LabelScores) -> list[tuple[Any, ...]]:
    return [(label, s.support, s.predicted, s.precision, s.recall, s.f1) for label, s in scores.labels.items()]


def _ci(interval: Sequence[float] | None) -> str:
    return "" if interval is None else f"95% CI {interval[0]:.3f}-{interval[1]:.3f}"


def render(metrics: Metrics, plots: dict[str, bytes]) -> str:
    """The page of a detailed evaluation's metrics."""
    detail = metrics.detailed()
    min_support = metrics.label_support.threshold
    return render_template(
        "report.html",
        m=metrics,
        d=detail,
        cov=detail.coverage,
        labels=metrics.label_support,
        manifest=metrics.manifest or {},
        split_headers=SPLIT_HEADERS,
        split_rows=split_rows(metrics),
        ci=_ci,
        fields=FIELDS,
        label_rows=_label_rows,
        failures=[failure(row) for row in detail.errors.failing],
        sample_per_label=SAMPLE_PER_LABEL,
        slices=slices(detail.slices, min_support),
        slice_columns=SLICE_COLUMNS,
        min_support=min_support,
        near_duplicate_tags=near_duplicate_tags(detail.slices.get("tag", {})),
        max_sketched=MAX_SKETCHED,
        shown_ids=SHOWN_IDS,
        plots=[(name, _image(png)) for name, png in plots.items()],
    )
