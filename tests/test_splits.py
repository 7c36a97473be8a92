"""Held-out splits: exact figures per split on the hand-checked mini corpus, the gap, the gate's bounds."""

from __future__ import annotations

import dataclasses

import pytest

import harness
from harness.evaluate.metrics import Figures
from harness.gate.policy import Policy, violations
from harness.gate.result import Comparison, Shift, Violation
from harness.report.split_table import split_rows
from tests.support import FIXTURES

CORPUS = FIXTURES / "mini_corpus"


@pytest.fixture(scope="module")
def evaluation(mini_rules):  # type: ignore[no-untyped-def]
    # m4 (issue wrong) and m5 (unroutable) held out; m1-m3 (persona, issue and channel right) tune.
    scenarios = [
        dataclasses.replace(s, tags=(*s.tags, "holdout")) if s.id in ("m4", "m5") else s
        for s in harness.load_scenarios(CORPUS)
    ]
    return harness.evaluate(mini_rules, scenarios)


def test_each_split_has_the_headline_figures(evaluation) -> None:  # type: ignore[no-untyped-def]
    tune, holdout = evaluation.metrics.splits.tune, evaluation.metrics.splits.holdout
    assert (tune.scenarios, tune.passed, tune.unroutable) == (3, 2, 0)
    assert (tune.persona_accuracy, tune.issue_accuracy, tune.channel_accuracy) == (1.0, 1.0, 1.0)
    assert tune.exact_match == 1.0
    assert (holdout.scenarios, holdout.passed, holdout.unroutable) == (2, 0, 1)
    assert (holdout.persona_accuracy, holdout.issue_accuracy) == (1.0, 0.0)
    assert (holdout.channel_accuracy, holdout.exact_match) == (0.5, 0.0)


def test_generalization_gap_is_tune_minus_holdout(evaluation) -> None:  # type: ignore[no-untyped-def]
    assert evaluation.metrics.generalization_gap == {
        "persona_accuracy": 0.0,
        "issue_accuracy": 1.0,
        "channel_accuracy": 0.5,
        "exact_match": 1.0,
    }
    assert list(evaluation.frame["split"]) == ["tune", "tune", "tune", "holdout", "holdout"]


def test_no_holdout_means_no_gap(mini_rules) -> None:  # type: ignore[no-untyped-def]
    metrics = harness.evaluate(mini_rules, harness.load_scenarios(CORPUS), detailed=False).metrics
    assert metrics.splits.holdout.scenarios == 0
    assert set(metrics.generalization_gap.values()) == {None}


def test_reports_show_the_gap_first(evaluation) -> None:  # type: ignore[no-untyped-def]
    from harness.report.files import summary_markdown
    from harness.report.html import render

    assert split_rows(evaluation.metrics) == [
        ("scenarios", "", "3", "2"),
        ("persona accuracy", "+0.000", "1.000", "1.000"),
        ("issue accuracy", "+1.000", "1.000", "0.000"),
        ("channel accuracy", "+0.500", "1.000", "0.500"),
        ("exact match", "+1.000", "1.000", "0.000"),
    ]
    summary = summary_markdown(evaluation.metrics)
    assert summary.index("## Tune against holdout") < summary.index("| metric | value |")
    assert "| channel accuracy | +0.500 | 1.000 | 0.500 |" in summary
    page = render(evaluation.metrics, {})
    assert page.index("Tune against holdout") < page.index("<h2>Headline</h2>")


def _policy(**bounds: dict[str, float]) -> Policy:
    base = dict(
        max_drop={},
        holdout_max_drop={},
        holdout_min={},
        max_unroutable_increase=99,
        max_broken=99,
        golden_tag="golden",
        min_rule_coverage=0.0,
        no_new_dead_rules=False,
        no_missing_contract_labels=False,
        require_declared_relabels=False,
        relabels_file="RELABELS.yaml",
        statistical=False,
        alpha=0.05,
    )
    return Policy(**{**base, **bounds})  # type: ignore[arg-type]


def _figures(channel_accuracy: float) -> Figures:
    return Figures(
        scenarios=8,
        passed=6,
        persona_accuracy=None,
        issue_accuracy=None,
        channel_accuracy=channel_accuracy,
        exact_match=None,
        findings_micro_f1=None,
        rule_coverage=1.0,
        unroutable=0,
    )


def _comparison(before: float, after: float) -> Comparison:
    whole = Shift.between(_figures(0.9), _figures(0.9))
    holdout = Shift.between(_figures(before), _figures(after))
    return Comparison(
        changes=[],
        groups=[],
        broken=[],
        fixed=[],
        broken_scenarios=[],
        fixed_scenarios=[],
        rule_changes={"added": [], "removed": [], "changed": []},
        metrics=whole,
        holdout=holdout,
        dead_rules={"before": [], "after": []},
        missing_labels=[],
        examples_now_failing=[],
    )


def test_the_gate_bounds_the_holdout_apart() -> None:
    policy = _policy(holdout_max_drop={"channel_accuracy": 0.0}, holdout_min={"channel_accuracy": 0.7})
    assert violations(policy, _comparison(0.75, 0.75), [], {}) == []
    assert violations(policy, _comparison(0.75, 0.625), [], {}) == [
        Violation(
            "holdout_max_drop", "holdout channel_accuracy fell by 0.1250 (0.7500 -> 0.6250), at most 0.0 allowed"
        ),
        Violation("holdout_min", "holdout channel_accuracy is 0.6250, below 0.7"),
    ]
