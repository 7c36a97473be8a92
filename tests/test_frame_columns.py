"""The per-scenario row (Evaluation.frame, results.csv, results.parquet): its columns in order, and
the deciding rule of each field in a column of its own."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import harness
from harness.evaluate.evaluator import Evaluation, evaluate, row, row_columns
from harness.report.results_store import ResultsStore
from tests.support import FIXTURES

COLUMNS = [
    "id", "file", "line",
    "expected_persona", "predicted_persona", "expected_issue", "predicted_issue",
    "expected_channel", "predicted_channel",
    "expected_findings", "predicted_findings", "findings_labelled", "passed", "failed",
    "deciding_rule", "rule_persona", "rule_issue", "rule_channel",
    "matched_rules", "lint_rules", "split", "tags", "words", "text",
]  # fmt: skip
# m1-m5 of the mini corpus: (deciding_rule, rule_persona, rule_issue, rule_channel). m5 ("hello")
# gets a persona only: no issue rule fires, so nothing decides the issue or the channel.
DECIDING = [
    ("persona=p-shopper;issue=i-refund;channel=c-shopper", "p-shopper", "i-refund", "c-shopper"),
    ("persona=p-shopper;issue=i-order;channel=c-shopper", "p-shopper", "i-order", "c-shopper"),
    ("persona=p-seller;issue=i-payout;channel=c-seller", "p-seller", "i-payout", "c-seller"),
    ("persona=p-seller;issue=i-refund;channel=c-seller", "p-seller", "i-refund", "c-seller"),
    ("persona=p-shopper", "p-shopper", "", ""),
]
PICKED = ["deciding_rule", "rule_persona", "rule_issue", "rule_channel"]


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    rules = harness.load_rules(FIXTURES / "mini_rules")
    # evaluate from its module: importing harness.evaluate.evaluator first makes the name
    # `harness.evaluate` the subpackage, not the function (harness/__init__.py's lazy names).
    return evaluate(rules, harness.load_scenarios(FIXTURES / "mini_corpus"))


def test_frame_columns_and_rule_per_field(evaluation: Evaluation) -> None:
    frame = evaluation.frame
    assert list(row_columns()) == COLUMNS
    assert list(frame.columns) == COLUMNS
    assert list(frame["id"]) == ["m1", "m2", "m3", "m4", "m5"]
    assert [tuple(r) for r in frame[PICKED].itertuples(index=False)] == DECIDING
    assert list(frame["text"])[4] == "hello"
    # l-order-id: issue order or refund with no run of 6+ digits (m2, m4; m1 has "123456").
    assert list(frame["lint_rules"]) == ["", "l-order-id", "", "l-order-id", ""]


def test_results_csv_and_parquet_carry_the_columns(evaluation: Evaluation, tmp_path: Path) -> None:
    store = ResultsStore(tmp_path)
    store.write([row(r) for r in evaluation.results])
    store.close()
    with (tmp_path / "results.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert list(reader.fieldnames or ()) == COLUMNS
        assert [tuple(r[c] for c in PICKED) for r in reader] == DECIDING
    table = pq.read_table(tmp_path / "results.parquet")
    assert table.column_names == COLUMNS
    assert [tuple(r[c] for c in PICKED) for r in table.to_pylist()] == DECIDING
