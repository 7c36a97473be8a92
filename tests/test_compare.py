"""What changed since the previous report (`evaluate --compare`), the selection flags and
`--fail-under`, on the hand-checked mini corpus (test_metrics.py works its decisions out)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harness.cli import main
from harness.evaluate import changes as changes_module
from harness.evaluate.changes import (
    Changes,
    Comparison,
    FieldFlip,
    Flip,
    StatusChange,
    changes_between,
    excerpt,
)
from harness.evaluate.metrics import RuleRow
from tests.support import FIXTURES


def _row(id_: str, issue: str, passed: bool, rule: str, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": id_,
        "file": "s.yaml",
        "line": 3,
        "text": "refund   please,\n order 123456",
        "passed": passed,
        "findings_labelled": False,
        "deciding_rule": f"persona=p;issue={rule}",
        "expected_persona": "shopper",
        "predicted_persona": "shopper",
        "expected_issue": "refund",
        "predicted_issue": issue,
        "expected_channel": "c",
        "predicted_channel": "c",
        "expected_findings": "",
        "predicted_findings": "",
    }
    row.update(extra)
    return row


def _rule(rule_id: str, status: str) -> RuleRow:
    fired = int(status != "dead")
    return RuleRow(rule_id, "routing", "issue", "refund", 1, None, "r.yaml", 1, fired, fired, status, 1)


def test_changes_between_rows() -> None:
    before = [_row("a", "refund", True, "r"), _row("b", "order", False, "o"), _row("gone", "x", True, "x")]
    after = [
        _row("new", "order", False, "o"),  # not in the earlier run: not a flip
        _row("b", "refund", True, "r"),
        _row("a", "order", False, "o"),
    ]
    rules_before = [_rule("r", "live"), _rule("d", "dead"), _rule("k", "live")]
    rules_after = [_rule("r", "live"), _rule("d", "live"), _rule("k", "dead"), _rule("n", "never decisive")]
    flip = FieldFlip("issue", "refund", "refund", "order", "r", "o")
    assert changes_between(before, after, rules_before, rules_after) == Changes(
        fixed=(Flip("b", "fixed", "s.yaml:3", "refund please, order 123456", (FieldFlip("issue", "refund", "order", "refund", "o", "r"),)),),
        broken=(Flip("a", "broken", "s.yaml:3", "refund please, order 123456", (flip,)),),
        statuses=(
            StatusChange("d", "dead", "live"),
            StatusChange("k", "live", "dead"),
            StatusChange("n", "absent", "never decisive"),
        ),
    )
    changes = changes_between(before, after, rules_before, rules_after)
    assert changes.became_dead == ("k",)
    assert changes.became_live == ("d", "n")


def test_a_comparison_reads_the_earlier_rows_again_only_when_something_flipped() -> None:
    before = [_row("a", "refund", True, "r"), _row("b", "order", False, "o")]
    reads: list[int] = []

    def earlier() -> list[dict[str, object]]:
        reads.append(1)
        return before

    same = Comparison(earlier)
    same.add([_row("a", "refund", True, "r"), _row("b", "order", False, "o")])
    assert (same.changes([], []), len(reads)) == (Changes((), (), ()), 1)
    reads.clear()
    flipped = Comparison(earlier)
    flipped.add([_row("b", "refund", True, "r")])
    assert [f.id for f in flipped.changes([], []).fixed] == ["b"]
    assert len(reads) == 2


def test_ids_whose_hashes_collide_are_not_reported_as_flips(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only id hashes are held: with every hash equal, b's later row meets a's earlier one (passed)
    and looks flipped; reading b's own earlier row back shows it did not change."""
    monkeypatch.setattr(changes_module, "_key", lambda scenario_id: 7)
    before = [_row("a", "refund", True, "r"), _row("b", "order", False, "o")]
    comparison = Comparison(lambda: before)
    comparison.add([_row("a", "refund", True, "r"), _row("b", "order", False, "o")])
    assert comparison.changes([], []) == Changes((), (), ())


def test_rows_read_back_from_csv_compare_like_rows_in_memory() -> None:
    # results.csv writes booleans as "True"/"False": a passing row must not read as failing.
    before = [_row("a", "refund", "True", "r", findings_labelled="False")]  # type: ignore[arg-type]
    after = [_row("a", "refund", True, "r")]
    assert changes_between(before, after, [], []) == Changes((), (), ())


def test_excerpt_is_one_line_and_cut() -> None:
    assert excerpt("a\n\nb   c") == "a b c"
    assert excerpt("x" * 200, 10) == "xxxxxxxxx…"
    assert excerpt("abcd efg ijkl", 10) == "abcd efg…"  # the space before the cut goes
    assert len(excerpt("y" * 500)) == 120


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES / "mini_rules", tmp_path / "rules")
    shutil.copytree(FIXTURES / "mini_corpus", tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _edit(path: Path) -> None:
    """i-refund drops under i-order, which now also takes "refund"; i-cancel wakes on "hello"."""
    text = path.read_text()
    text = text.replace("    priority: 10\n    set: {issue: refund}", "    priority: 1\n    set: {issue: refund}")
    text = text.replace("when: {phrases: [package]}", "when: {phrases: [package, refund]}")
    text = text.replace("when: {phrases: [cancel]}", "when: {phrases: [cancel, hello]}")
    path.write_text(text)


EVALUATE = ["evaluate", "--workers", "1"]


def test_evaluate_compares_with_the_report_it_replaces(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(EVALUATE) == 0
    assert "since" not in capsys.readouterr().out  # no earlier report: nothing to compare
    _edit(work / "rules" / "rules.yaml")
    assert main(EVALUATE) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[out.index("since reports/latest: 0 fixed, 1 broken") :] == [
        "since reports/latest: 0 fixed, 1 broken",
        "  issue: 0 fixed, 1 broken",
        "  broken m1 (scenarios/corpus.yaml:1): refund please, order 123456",
        "    issue: expected refund; was refund (i-refund), now order (i-order)",
        "  rule i-cancel: dead -> live",
        "  rule i-refund: live -> never decisive",
        "reports written to reports/latest/",
    ]
    # The report now holds the edited run: against it, nothing changed.
    assert main([*EVALUATE, "--json", "--no-report", "--compare", "reports/latest"]) == 0
    changes = json.loads(capsys.readouterr().out)["changes"]
    assert (changes["fixed"], changes["broken"], changes["statuses"]) == ([], [], [])


def test_compare_json_lists_ids_and_detail(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*EVALUATE, "--out", "before"]) == 0
    capsys.readouterr()
    _edit(work / "rules" / "rules.yaml")
    assert main([*EVALUATE, "--json", "--no-report", "--compare", "before"]) == 0
    changes = json.loads(capsys.readouterr().out)["changes"]
    assert changes["fixed"] == [] and changes["broken"] == ["m1"]
    assert changes["became_dead"] == [] and changes["became_live"] == ["i-cancel"]
    assert changes["flips"][0]["fields"] == [
        {"field": "issue", "expected": "refund", "before": "refund", "after": "order", "rule_before": "i-refund", "rule_after": "i-order"}
    ]
    assert not (work / "reports").exists()  # --no-report wrote nothing
    assert json.loads((work / "before" / "metrics.json").read_text()).get("changes") is None


def test_compare_needs_a_report(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "empty").mkdir()
    assert main([*EVALUATE, "--compare", "empty"]) == 2
    assert capsys.readouterr().err == (
        "harness: error: empty: holds no harness report with results.parquet or results.csv;"
        " pass a folder `harness evaluate` wrote\n"
    )


def test_compare_refuses_a_metrics_json_it_cannot_read(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*EVALUATE, "--out", "before"]) == 0
    (work / "before" / "metrics.json").write_text('{"scenarios": 5}')
    capsys.readouterr()
    assert main([*EVALUATE, "--no-report", "--compare", "before"]) == 2
    assert capsys.readouterr().err == (
        "harness: error: before/metrics.json: is not a metrics.json this version of the harness reads;"
        " compare with a report it wrote\n"
    )


def test_fail_under(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The mini corpus scores issue accuracy 3/5 = 0.6 (test_metrics.py).
    assert main([*EVALUATE, "--no-report", "--fail-under", "issue_accuracy=0.6"]) == 0
    assert main([*EVALUATE, "--no-report", "--fail-under", "issue_accuracy=0.61", "--fail-under", "persona_accuracy=0"]) == 1
    assert capsys.readouterr().err == "harness: fail-under: issue_accuracy 0.6000 is under the floor 0.61\n"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "issue_acuracy=0.5",
            "--fail-under: unknown metric 'issue_acuracy' (did you mean 'issue_accuracy'?); valid: persona_accuracy,"
            " issue_accuracy, channel_accuracy, exact_match, findings_micro_f1, rule_coverage (`harness labels` lists them all)",
        ),
        ("issue_accuracy=high", "--fail-under issue_accuracy=high: the floor must be a number from 0 to 1, as in issue_accuracy=0.9"),
        ("issue_accuracy=90", "--fail-under issue_accuracy=90: the floor must be a number from 0 to 1, as in issue_accuracy=0.9"),
    ],
)
def test_bad_fail_under(work: Path, capsys: pytest.CaptureFixture[str], value: str, message: str) -> None:
    assert main([*EVALUATE, "--no-report", "--fail-under", value]) == 2
    assert capsys.readouterr().err == f"harness: error: harness: {message}\n"


def test_tag_and_id_select_scenarios(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for flags, count in ((["--tag", "hard"], 1), (["--id", "m[13]"], 2), (["--id", "m1", "--id", "m5"], 2)):
        assert main([*EVALUATE, "--no-report", "--json", *flags]) == 0
        assert json.loads(capsys.readouterr().out)["scenarios"] == count
    assert main([*EVALUATE, "--no-report", "--tag", "nope"]) == 2
    assert capsys.readouterr().err == "harness: error: scenarios: no scenario matches --tag/--id; check the selection\n"


def test_check_id_runs_the_examples_of_matching_rules(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # i-refund, i-order, i-payout, i-cancel: two examples each (one match, one no_match). The mini
    # rules have no catalogue, so check exits 1 naming the gaps, whatever the selection.
    assert main(["check", "--id", "i-*"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "9 rules valid (examples of 4 selected); 8 of 8 inline examples pass"
    assert main(["check", "--id", "i-payout", "--id", "p-*"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "9 rules valid (examples of 3 selected); 6 of 6 inline examples pass"
    assert main(["check", "--id", "zz*"]) == 2
    assert capsys.readouterr().err == "harness: error: rules: no rule id matches --id zz*; check the pattern\n"
