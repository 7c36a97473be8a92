"""Per-field and per-finding scores: Wilson intervals, precision, recall, F1, confusion matrices.

Conventions (also in the report): precision is undefined (None) for a label never predicted,
recall for a label with no support, F1 when both are undefined; macro averages take the labels
whose score is defined; micro F1 of a single-label field equals its accuracy.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from harness.contract import Contract
from harness.evaluate.metrics import (
    ConfusedPair,
    Confusion,
    FieldScores,
    FindingScores,
    LabelScore,
    LabelScores,
    f1,
    ratio,
)
from harness.evaluate.tally import Tally
from harness.model import UNROUTABLE

Z95 = 1.959963984540054


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval for a binomial proportion (None for zero trials)."""
    if trials == 0:
        return None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def _mean(values: Iterable[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def label_scores(tp: Counter[str], fp: Counter[str], fn: Counter[str], labels: Iterable[str]) -> LabelScores:
    per_label = {
        label: LabelScore(
            precision=ratio(tp[label], tp[label] + fp[label]),
            recall=ratio(tp[label], tp[label] + fn[label]),
            f1=f1(tp[label], fp[label], fn[label]),
            support=tp[label] + fn[label],
            predicted=tp[label] + fp[label],
        )
        for label in labels
    }
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return LabelScores(
        labels=per_label,
        macro_precision=_mean(s.precision for s in per_label.values()),
        macro_recall=_mean(s.recall for s in per_label.values()),
        macro_f1=_mean(s.f1 for s in per_label.values()),
        micro_precision=ratio(total_tp, total_tp + total_fp),
        micro_recall=ratio(total_tp, total_tp + total_fn),
        micro_f1=f1(total_tp, total_fp, total_fn),
    )


def field_scores(tally: Tally, name: str, contract: Contract) -> FieldScores:
    """A decision field's scores over the contract's labels, then any other label seen, then unroutable."""
    confusion = tally.confusion[name]
    seen = {label for pair in confusion for label in pair}
    known = contract.labels(name)
    labels = [*known, *sorted(seen - set(known) - {UNROUTABLE})]
    if UNROUTABLE in seen:
        labels.append(UNROUTABLE)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for (expected, predicted), count in confusion.items():
        if expected == predicted:
            tp[expected] += count
        else:
            fn[expected] += count
            fp[predicted] += count
    right = sum(tp.values())
    return FieldScores(
        **vars(label_scores(tp, fp, fn, labels)),
        accuracy=ratio(right, tally.scenarios),
        accuracy_ci95=wilson(right, tally.scenarios),
        confusion=Confusion(
            tuple(labels),
            tuple(tuple(confusion[(expected, predicted)] for predicted in labels) for expected in labels),
        ),
    )


def finding_scores(tally: Tally, contract: Contract) -> FindingScores:
    """The findings' scores over the contract's findings."""
    return FindingScores(
        **vars(label_scores(tally.finding_tp, tally.finding_fp, tally.finding_fn, contract.findings)),
        scenarios=tally.findings_scenarios,
        exact_set_match=ratio(tally.findings_exact, tally.findings_scenarios),
    )


def confused_pairs(tally: Tally, limit: int = 20) -> tuple[ConfusedPair, ...]:
    pairs = sorted(
        (-count, name, expected, predicted)
        for name, confusion in tally.confusion.items()
        for (expected, predicted), count in confusion.items()
        if expected != predicted
    )
    return tuple(
        ConfusedPair(name, expected, predicted, -count) for count, name, expected, predicted in pairs[:limit]
    )
