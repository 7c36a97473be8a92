"""Held-out splits: scenarios tagged `holdout` against the rest (the tune split).

Rules tuned on a corpus score well on it; the holdout split, scored and never tuned on, says how
they do on text like it that nobody tuned for. The gap between the two is the headline warning."""

from __future__ import annotations

from collections.abc import Mapping

from harness.evaluate.metrics import Splits, core_figures
from harness.evaluate.tally import Tally
from harness.model import Scenario
from harness.ruleset import RuleSet

HOLDOUT_TAG = "holdout"
SPLITS = ("tune", "holdout")
GAP_METRICS = ("persona_accuracy", "issue_accuracy", "channel_accuracy", "exact_match")


def split_of(scenario: Scenario) -> str:
    return "holdout" if HOLDOUT_TAG in scenario.tags else "tune"


def split_metrics(slices: Mapping[tuple[str, str], Tally], rules: RuleSet) -> Splits:
    """The core metrics of each split, both always present (an empty split has no accuracies)."""
    tune, holdout = (core_figures(slices.get(("split", name)) or Tally(), rules) for name in SPLITS)
    return Splits(tune, holdout)


def generalization_gap(splits: Splits) -> dict[str, float | None]:
    """Tune minus holdout for each headline accuracy; None when either split is empty."""
    gap: dict[str, float | None] = {}
    for name in GAP_METRICS:
        tune, holdout = splits.tune.figure(name), splits.holdout.figure(name)
        gap[name] = None if tune is None or holdout is None else tune - holdout
    return gap
