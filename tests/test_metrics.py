"""Metrics on a five-scenario corpus whose every figure is worked out by hand.

fixtures/mini_rules on fixtures/mini_corpus:
  m1 "refund please, order 123456"  shopper/refund/shopper_app_help, no findings      -> all right, passes
  m2 "where is my package"          shopper/order/shopper_app_help, missing-order-id  -> all right, passes
  m3 "my shop payout is late"       seller/payout/seller_center_chat, but no finding  -> fails on findings (fn 1)
  m4 "my shop wants a refund"       predicted issue refund, labelled dispute           -> issue wrong, findings unlabelled
  m5 "hello"                        no issue rule holds: unroutable                     -> issue and channel wrong
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import harness
from harness.cli import main
from harness.evaluate.evaluator import results_of
from harness.evaluate.metrics import (
    HEADLINE,
    ConfusedPair,
    Metrics,
    SkippedRows,
    f1,
    findings_micro_f1,
    headline,
)
from harness.evaluate.scores import wilson
from harness.evaluate.tally import Tally, tally_of
from harness.report.files import metrics_json
from tests.support import FIXTURES

CORPUS = FIXTURES / "mini_corpus"


@pytest.fixture(scope="module")
def evaluation(mini_rules):  # type: ignore[no-untyped-def]
    return harness.evaluate(mini_rules, harness.load_scenarios(CORPUS))


def test_hand_checked_figures(evaluation) -> None:  # type: ignore[no-untyped-def]
    m = evaluation.metrics
    assert m.scenarios == 5
    assert m.passed == 2
    assert m.pass_rate == pytest.approx(2 / 5)
    assert m.persona_accuracy == 1.0
    assert m.issue_accuracy == pytest.approx(3 / 5)
    assert m.channel_accuracy == pytest.approx(4 / 5)
    assert m.exact_match == pytest.approx(3 / 5)
    assert m.findings_scenarios == 4
    assert m.findings_micro_f1 == pytest.approx(2 / 3)  # tp 1 (m2), fp 0, fn 1 (m3)
    assert m.findings_exact_match == pytest.approx(3 / 4)
    assert m.unroutable == 1
    assert m.rules == 9
    assert m.rule_coverage == pytest.approx(8 / 9)
    assert m.dead_rules == ("i-cancel",)


def test_frame_has_one_row_per_scenario(evaluation) -> None:  # type: ignore[no-untyped-def]
    frame = evaluation.frame
    assert list(frame["id"]) == ["m1", "m2", "m3", "m4", "m5"]
    assert list(frame["passed"]) == [True, True, False, False, False]
    assert list(frame["failed"]) == ["", "", "findings", "issue", "issue;channel"]
    assert list(frame["predicted_issue"]) == ["refund", "order", "payout", "refund", "unroutable"]
    assert frame.loc[3, "predicted_findings"] == "missing-order-id"
    assert frame.loc[3, "findings_labelled"] == False  # noqa: E712 (numpy bool)
    assert frame.loc[0, "deciding_rule"] == "persona=p-shopper;issue=i-refund;channel=c-shopper"


def test_merging_chunks_equals_counting_once(mini_rules) -> None:  # type: ignore[no-untyped-def]
    results = list(results_of(harness.load_scenarios(CORPUS), mini_rules))
    whole = tally_of(results)
    for cut in range(len(results) + 1):
        merged = tally_of(results[:cut]).merge(tally_of(results[cut:]))
        assert merged == whole
        assert headline(merged, mini_rules) == headline(whole, mini_rules)


def test_undefined_metrics_are_none(mini_rules) -> None:  # type: ignore[no-untyped-def]
    empty = headline(Tally(), mini_rules)
    assert empty.persona_accuracy is None
    assert empty.findings_micro_f1 is None
    assert empty.rule_coverage == 0.0
    assert f1(0, 0, 0) is None
    assert f1(1, 1, 0) == pytest.approx(2 / 3)


def test_findings_f1_is_one_when_nothing_expected_or_predicted() -> None:
    tally = Tally(findings_scenarios=3)
    assert findings_micro_f1(tally) == 1.0


def test_report_files_agree_with_metrics(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r"
    code = main(
        [
            "evaluate",
            "--rules",
            str(FIXTURES / "mini_rules"),
            "--scenarios",
            str(CORPUS),
            "--out",
            str(out),
            "--json",
        ]
    )
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    on_disk = json.loads((out / "metrics.json").read_text())
    assert printed == on_disk
    with (out / "results.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == on_disk["scenarios"]
    assert sum(row["passed"] == "True" for row in rows) == on_disk["passed"]
    assert "| issue accuracy | 0.600 |" in (out / "summary.md").read_text()


def test_reports_are_byte_identical_across_runs(tmp_path: Path) -> None:
    args = ["evaluate", "--rules", str(FIXTURES / "mini_rules"), "--scenarios", str(CORPUS), "--json"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    for name in ("metrics.json", "results.csv", "summary.md"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@settings(max_examples=50, deadline=None)
@given(order=st.permutations(list(range(5))), cut=st.integers(0, 5))
def test_tally_is_order_free(mini_rules, order, cut) -> None:  # type: ignore[no-untyped-def]
    results = list(results_of(harness.load_scenarios(CORPUS), mini_rules))
    shuffled = [results[i] for i in order]
    assert tally_of(shuffled[:cut]).merge(tally_of(shuffled[cut:])) == tally_of(results)


def test_confused_pairs_by_hand(evaluation) -> None:  # type: ignore[no-untyped-def]
    # m4: dispute read as refund; m5: an order nobody could route (issue and channel).
    assert evaluation.metrics.detailed().errors.confused_pairs == (
        ConfusedPair("channel", "shopper_app_help", "unroutable", 1),
        ConfusedPair("issue", "dispute", "refund", 1),
        ConfusedPair("issue", "order", "unroutable", 1),
    )


def test_slices_by_hand(evaluation) -> None:  # type: ignore[no-untyped-def]
    slices = evaluation.metrics.detailed().slices
    assert sorted(slices) == ["file", "length", "persona", "tag"]
    assert sorted(slices["tag"]) == ["(untagged)", "hard"]
    assert list(slices["length"]) == ["short (<=15 words)"]
    seller, shopper = slices["persona"]["seller"], slices["persona"]["shopper"]
    # seller: m3 (findings missed, so not passed) and m4 (issue wrong); findings labelled on m3 only.
    assert (seller.scenarios, seller.passed, seller.unroutable) == (2, 0, 0)
    assert (seller.issue_accuracy, seller.channel_accuracy, seller.exact_match) == (0.5, 1.0, 0.5)
    assert seller.findings_micro_f1 == 0.0
    # shopper: m1 and m2 pass, m5 is unroutable; m2's one finding found, nothing spurious.
    assert (shopper.scenarios, shopper.passed, shopper.unroutable) == (3, 2, 1)
    assert shopper.issue_accuracy == pytest.approx(2 / 3)
    assert shopper.channel_accuracy == pytest.approx(2 / 3)
    assert shopper.findings_micro_f1 == 1.0
    assert slices["tag"]["hard"].scenarios == 1


LOW_PRIORITY_RULE = """
  - id: i-refund-low
    description: fires on every refund ticket and always loses to i-refund (priority 10)
    source: test
    priority: 1
    set: {issue: refund}
    when: {phrases: [refund]}
    examples: {match: ["refund"], no_match: ["x"]}
"""


def test_never_decisive_dead_and_examples_only_rules(write) -> None:  # type: ignore[no-untyped-def]
    """i-refund-low fires on m1 and m4 (both say refund) and i-refund (priority 10) wins both;
    i-cancel matches no scenario, only its inline examples."""
    text = (FIXTURES / "mini_rules" / "rules.yaml").read_text(encoding="utf-8")
    rules_dir = write({"rules/rules.yaml": text.replace("\nlint:", LOW_PRIORITY_RULE + "lint:", 1)}) / "rules"
    rules = harness.load_rules(rules_dir)
    metrics = harness.evaluate(rules, harness.load_scenarios(FIXTURES / "mini_corpus")).metrics
    coverage = metrics.detailed().coverage
    assert coverage.never_decisive == ("i-refund-low",)
    assert metrics.dead_rules == ("i-cancel",)
    assert coverage.examples_only == ("i-cancel",)
    status = {row.rule: (row.matched, row.decisive, row.status) for row in coverage.rules}
    assert status["i-refund-low"] == (2, 0, "never decisive")
    assert status["i-cancel"] == (0, 0, "dead")
    assert status["p-shopper"] == (5, 3, "live")


def test_the_metrics_json_of_a_quick_evaluation_by_hand(mini_rules) -> None:  # type: ignore[no-untyped-def]
    """detailed=False (the gate, serve): the headline, label support and the splits, nothing else."""
    data = harness.evaluate(mini_rules, harness.load_scenarios(CORPUS), detailed=False).metrics.to_json()
    labels = data["coverage"].pop("labels")
    whole = {
        "scenarios": 5,
        "passed": 2,
        "persona_accuracy": 1.0,
        "issue_accuracy": 3 / 5,
        "channel_accuracy": 4 / 5,
        "exact_match": 3 / 5,
        "findings_micro_f1": 2 / 3,
        "rule_coverage": 8 / 9,
        "unroutable": 1,
    }
    empty = {name: None for name in whole} | {"scenarios": 0, "passed": 0, "unroutable": 0, "rule_coverage": 0.0}
    assert data == {
        **whole,
        "pass_rate": 2 / 5,
        "findings_scenarios": 4,
        "findings_exact_match": 3 / 4,
        "rules": 9,
        "dead_rules": ["i-cancel"],
        "coverage": {},
        "splits": {"tune": whole, "holdout": empty},
        "generalization_gap": dict.fromkeys(("persona_accuracy", "issue_accuracy", "channel_accuracy", "exact_match")),
    }
    assert labels["threshold"] == 5
    assert labels["below_threshold"] == [
        {"field": "persona", "label": "shopper", "support": 3},
        {"field": "persona", "label": "seller", "support": 2},
        {"field": "issue", "label": "order", "support": 2},
        {"field": "issue", "label": "refund", "support": 1},
        {"field": "issue", "label": "payout", "support": 1},
        {"field": "issue", "label": "dispute", "support": 1},
        {"field": "channel", "label": "shopper_app_help", "support": 3},
        {"field": "channel", "label": "seller_center_chat", "support": 2},
        {"field": "finding", "label": "missing-order-id", "support": 1},
        {"field": "finding", "label": "missing-shop-id", "support": 1},
    ]
    contract = mini_rules.contract
    assert labels["support"] == {
        name: {label: 0 for label in contract.labels(name)}
        | {entry["label"]: entry["support"] for entry in labels["below_threshold"] if entry["field"] == name}
        for name in ("persona", "issue", "channel", "finding")
    }
    at_three = harness.evaluate(mini_rules, harness.load_scenarios(CORPUS), min_support=3, detailed=False)
    assert [(c.label, c.support) for c in at_three.metrics.label_support.below_threshold] == [
        ("seller", 2),
        ("order", 2),
        ("refund", 1),
        ("payout", 1),
        ("dispute", 1),
        ("seller_center_chat", 2),
        ("missing-order-id", 1),
        ("missing-shop-id", 1),
    ]  # a label with exactly the minimum support (3: shopper, shopper_app_help) is not below it
    listed = [(e["field"], e["label"]) for e in labels["below_threshold"]]
    assert [(e["field"], e["label"]) for e in labels["missing"]] == [
        (name, label)
        for name in ("persona", "issue", "channel", "finding")
        for label in contract.labels(name)
        if (name, label) not in listed
    ]


def test_the_detailed_sections_sit_where_metrics_json_had_them(evaluation) -> None:  # type: ignore[no-untyped-def]
    data = evaluation.metrics.to_json()
    detail = evaluation.metrics.detailed()
    assert set(data) - {"coverage", "splits", "generalization_gap"} == {
        *HEADLINE,
        "unroutable_rate",
        "exact_match_ci95",
        "persona_accuracy_ci95",
        "issue_accuracy_ci95",
        "channel_accuracy_ci95",
        "fields",
        "findings",
        "slices",
        "errors",
    }
    assert set(data["coverage"]) == {"rules", "labels", "patterns", "combinations", "corpus", "never_decisive", "examples_only"}
    assert data["unroutable_rate"] == 1 / 5
    assert data["exact_match_ci95"] == list(wilson(3, 5))  # type: ignore[arg-type]
    assert data["persona_accuracy_ci95"] == list(wilson(5, 5))  # type: ignore[arg-type]
    assert data["issue_accuracy_ci95"] == data["fields"]["issue"]["accuracy_ci95"] == list(wilson(3, 5))  # type: ignore[arg-type]
    assert data["errors"]["confused_pairs"][1] == {"field": "issue", "expected": "dispute", "predicted": "refund", "count": 1}
    assert data["coverage"]["rules"][0] == {
        "rule": "c-seller",
        "kind": "routing",
        "sets": "channel",
        "value": "seller_center_chat",
        "priority": 1,
        "owner": None,
        "file": str(FIXTURES / "mini_rules" / "rules.yaml"),
        "line": 57,
        "matched": 2,
        "decisive": 2,
        "status": "live",
        "examples": 2,
    }
    assert data["slices"]["tag"]["hard"] == vars(detail.slices["tag"]["hard"])
    assert data["findings"]["labels"]["missing-order-id"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1, "predicted": 1}


def test_metrics_read_back_from_json_are_the_same(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """What the gate and `--compare` read back from disk: the run's own metrics, manifest and all."""
    out = tmp_path / "r"
    args = ["evaluate", "--rules", str(FIXTURES / "mini_rules"), "--scenarios", str(CORPUS), "--out", str(out)]
    assert main([*args, "--json"]) == 0
    printed = capsys.readouterr().out
    on_disk = (out / "metrics.json").read_text()
    metrics = Metrics.from_json(json.loads(on_disk))
    assert metrics_json(metrics.to_json()) == on_disk == printed
    assert metrics.skipped_rows == SkippedRows(0, ())
    assert metrics.manifest is not None and metrics.manifest["rule_files"] == [str(FIXTURES / "mini_rules" / "rules.yaml")]
    assert metrics.detailed().coverage.rules[0].rule == "c-seller"
    quick = harness.evaluate(harness.load_rules(FIXTURES / "mini_rules"), harness.load_scenarios(CORPUS), detailed=False)
    assert Metrics.from_json(json.loads(json.dumps(quick.metrics.to_json()))) == quick.metrics


def test_a_metric_by_name(evaluation) -> None:  # type: ignore[no-untyped-def]
    metrics = evaluation.metrics
    assert (metrics.figure("issue_accuracy"), metrics.figure("findings_scenarios")) == (3 / 5, 4)
    assert metrics.core().figure("unroutable") == 1
    with pytest.raises(KeyError, match="no metric 'dead_rules'"):
        metrics.figure("dead_rules")
    with pytest.raises(KeyError, match="no metric 'pass_rate'"):
        metrics.core().figure("pass_rate")
    with pytest.raises(ValueError, match="detailed=False"):
        harness.evaluate(harness.load_rules(FIXTURES / "mini_rules"), harness.load_scenarios(CORPUS), detailed=False).metrics.detailed()


def test_the_metrics_a_floor_can_bound_are_fractions_among_the_core_figures() -> None:
    from harness.evaluate.metrics import CORE_METRICS
    from harness.evaluate.names import FRACTION_METRICS

    assert [name for name in CORE_METRICS if name in FRACTION_METRICS] == list(FRACTION_METRICS)
    assert set(CORE_METRICS) - set(FRACTION_METRICS) == {"scenarios", "passed", "unroutable"}
