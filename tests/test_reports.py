"""The analyst reports: exact scores on tiny corpora, invariants, byte-identical files, and the HTML
page as Chromium renders it."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import harness
from harness.cli import main
from harness.contract import default_contract
from harness.evaluate.evaluator import results_of
from harness.evaluate.metrics import LabelScore, Metrics
from harness.evaluate.scores import field_scores, label_scores, wilson
from harness.evaluate.tally import Tally, tally_of
from tests.support import FIXTURES

CORPUS = FIXTURES / "mini_corpus"
RULES = FIXTURES / "mini_rules"
FILES = [
    ".harness-report",  # the marker that makes the folder the harness's to replace
    "confusion_channel.png",
    "confusion_issue.png",
    "confusion_persona.png",
    "coverage_persona_issue.png",
    "f1_channel.png",
    "f1_findings.png",
    "f1_issue.png",
    "f1_persona.png",
    "index.html",
    "junit.xml",
    "metrics.json",
    "results.csv",
    "results.parquet",
    "rule_hits.png",
    "rules.csv",
    "summary.md",
]


def test_wilson_interval_known_values() -> None:
    low, high = wilson(8, 10)  # type: ignore[misc]
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
    assert wilson(0, 0) is None
    low, high = wilson(0, 5)  # type: ignore[misc]
    assert low == 0.0 and round(high, 4) == 0.4345


def test_label_scores_with_a_label_never_predicted_and_one_never_expected() -> None:
    tp, fp, fn = Counter({"a": 2}), Counter({"b": 1}), Counter({"a": 1, "c": 1})
    scores = label_scores(tp, fp, fn, ["a", "b", "c", "d"])
    a, b, c, d = (scores.labels[x] for x in "abcd")
    assert (a.precision, a.recall, a.support) == (1.0, pytest.approx(2 / 3), 3)
    assert a.f1 == pytest.approx(0.8)
    assert (b.precision, b.recall, b.f1, b.support) == (0.0, None, 0.0, 0)  # predicted, never expected
    assert (c.precision, c.recall, c.f1) == (None, 0.0, 0.0)  # expected, never predicted
    assert (d.precision, d.recall, d.f1) == (None, None, None)  # empty label
    assert scores.macro_f1 == pytest.approx(0.8 / 3)  # over the labels where F1 is defined
    assert scores.micro_f1 == pytest.approx(4 / 7)  # 2tp / (2tp + fp + fn) = 4 / (4 + 1 + 2)


def test_field_scores_on_the_mini_corpus(mini_rules) -> None:  # type: ignore[no-untyped-def]
    tally = tally_of(results_of(harness.load_scenarios(CORPUS), mini_rules))
    issue = field_scores(tally, "issue", mini_rules.contract)
    assert issue.accuracy == pytest.approx(3 / 5)
    assert issue.labels["refund"] == LabelScore(precision=0.5, recall=1.0, f1=pytest.approx(2 / 3), support=1, predicted=2)
    assert issue.labels["dispute"].recall == 0.0
    assert issue.labels["unroutable"].predicted == 1
    assert issue.micro_f1 == pytest.approx(issue.accuracy)
    labels, matrix = issue.confusion.labels, issue.confusion.matrix
    assert matrix[labels.index("dispute")][labels.index("refund")] == 1
    assert sum(map(sum, matrix)) == 5


def test_single_scenario_corpus(mini_rules) -> None:  # type: ignore[no-untyped-def]
    scenario = harness.load_scenarios(CORPUS)[:1]
    metrics = harness.evaluate(mini_rules, scenario).metrics
    assert metrics.scenarios == 1 and metrics.passed == 1
    detail = metrics.detailed()
    assert detail.fields["persona"].accuracy_ci95 == (pytest.approx(0.2065, abs=1e-4), 1.0)
    assert metrics.to_json()["persona_accuracy_ci95"] == [pytest.approx(0.2065, abs=1e-4), 1.0]
    assert detail.findings.micro_f1 is None  # nothing expected, nothing predicted
    assert metrics.findings_micro_f1 == 1.0  # ...which the headline counts as every set matching


LABELS = ["order", "refund", "return", "unroutable"]
pairs = st.lists(st.tuples(st.sampled_from(LABELS[:3]), st.sampled_from(LABELS)), min_size=1, max_size=40)


@settings(max_examples=200)
@given(pairs=pairs, seed=st.randoms())
def test_accuracy_and_confusion_invariants(pairs: list[tuple[str, str]], seed) -> None:  # type: ignore[no-untyped-def]
    tally = Tally(scenarios=len(pairs))
    tally.confusion["issue"].update(pairs)
    scores = field_scores(tally, "issue", default_contract())
    assert scores.accuracy == pytest.approx(sum(e == p for e, p in pairs) / len(pairs))
    assert sum(map(sum, scores.confusion.matrix)) == len(pairs)
    shuffled = list(pairs)
    seed.shuffle(shuffled)
    again = Tally(scenarios=len(shuffled))
    again.confusion["issue"].update(shuffled)
    assert field_scores(again, "issue", default_contract()).micro_f1 == scores.micro_f1


@settings(max_examples=100)
@given(
    sets=st.lists(
        st.tuples(
            st.frozensets(st.sampled_from(["a", "b", "c"])), st.frozensets(st.sampled_from(["a", "b", "c"]))
        ),
        min_size=1,
        max_size=20,
    ),
    seed=st.randoms(),
)
def test_findings_micro_f1_ignores_order(sets, seed) -> None:  # type: ignore[no-untyped-def]
    def micro(items):  # type: ignore[no-untyped-def]
        tp = sum(len(e & p) for e, p in items)
        fp = sum(len(p - e) for e, p in items)
        fn = sum(len(e - p) for e, p in items)
        return label_scores(Counter({"a": tp}), Counter({"a": fp}), Counter({"a": fn}), ["a"]).micro_f1

    shuffled = list(sets)
    seed.shuffle(shuffled)
    assert micro(shuffled) == micro(sets)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("report") / "r"
    assert main(["evaluate", "--rules", str(RULES), "--scenarios", str(CORPUS), "--out", str(out)]) == 0
    return out


def test_every_report_file_is_written(report: Path) -> None:
    assert sorted(p.name for p in report.iterdir()) == FILES


def test_reports_are_byte_identical(report: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert main(["evaluate", "--rules", str(RULES), "--scenarios", str(CORPUS), "--out", str(again)]) == 0
    for name in FILES:
        assert (again / name).read_bytes() == (report / name).read_bytes(), name


def test_results_csv_agrees_with_metrics(report: Path) -> None:
    metrics = json.loads((report / "metrics.json").read_text())
    with (report / "results.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == metrics["scenarios"]
    assert sum(r["passed"] == "True" for r in rows) == metrics["passed"]
    for name in ("persona", "issue", "channel"):
        right = sum(r[f"expected_{name}"] == r[f"predicted_{name}"] for r in rows)
        assert right / len(rows) == pytest.approx(metrics[f"{name}_accuracy"])
    assert [r["id"] for r in rows if r["passed"] == "False"] == [
        f["id"] for f in metrics["errors"]["failing"]
    ]
    assert rows[2]["expected_findings"] == "missing-shop-id" and rows[2]["predicted_findings"] == ""
    assert rows[3]["deciding_rule"] == "persona=p-seller;issue=i-refund;channel=c-seller"


def test_junit_names_each_scenario_and_why_it_failed(report: Path) -> None:
    text = (report / "junit.xml").read_text()
    assert text.count("<testcase ") == 5
    assert 'name="m4"' in text
    assert "issue: expected dispute, got refund (deciding rule i-refund)" in text


def test_coverage_figures(report: Path) -> None:
    metrics = json.loads((report / "metrics.json").read_text())
    coverage = metrics["coverage"]
    status = {r["rule"]: r["status"] for r in coverage["rules"]}
    assert status["i-cancel"] == "dead"
    assert status["p-shopper"] == "live"
    assert coverage["examples_only"] == ["i-cancel"]
    assert {"field": "issue", "label": "account_access"} in coverage["labels"]["missing"]
    patterns = {r["rule"]: r for r in coverage["patterns"]}
    assert patterns["i-cancel"] == {
        "rule": "i-cancel",
        "alternatives": 1,
        "matched": 0,
        "coverage": 0.0,
        "unmatched": ["cancel"],
    }
    assert ["seller", "dispute", "seller_center_chat"] in coverage["combinations"]["tested_not_producible"]
    assert metrics["manifest"]["rules_sha256"] == harness.load_rules(RULES).digest


def test_html_is_self_contained(report: Path) -> None:
    html = (report / "index.html").read_text()
    for marker in ('src="http', "src='http", 'href="http', "url(http", "@import"):
        assert marker not in html
    assert html.count("data:image/png;base64,") == 9


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_html_renders_in_chromium_without_errors(report: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
            (report / "index.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert '<body data-images-ok="true" data-images="9">' in done.stdout
    assert [line for line in done.stderr.splitlines() if "CONSOLE" in line] == []


# The navigable page (issue 10): contents, the error analysis before the plots, failing scenarios
# as a sortable, filterable table with expected and got, traces drawn by the macro `harness serve`
# uses, slices at a minimum support, near-duplicate tags.


def test_html_has_contents_and_the_error_analysis_before_the_plots(report: Path) -> None:
    import re

    html = (report / "index.html").read_text()
    anchors = re.findall(r'<a href="#([a-z-]+)">', html[: html.index("</nav>")])
    assert anchors[:4] == ["splits", "headline", "errors", "failing"]
    for anchor in anchors:
        assert f'id="{anchor}"' in html, anchor
    assert html.index('id="splits"') < html.index('id="headline"') < html.index('id="errors"')
    assert html.index('id="errors"') < html.index('id="field-persona"') < html.index('id="plots"')


def test_failing_scenarios_are_a_table_with_expected_and_got(report: Path) -> None:
    html = (report / "index.html").read_text()
    table = html[html.index('<table class="sortable filterable" id="failing-table">') :]
    table = table[: table.index("</table>")]
    assert table.count("<tr data-failed=") == 3
    m4 = table[table.index('<a href="#failing-3">m4</a>') :]
    assert m4.startswith(
        f'<a href="#failing-3">m4</a></td><td>{CORPUS}/corpus.yaml:11:3</td><td>issue</td>\n'
        '<td>seller</td><td class="ok">seller</td><td>dispute</td><td class="bad">refund</td>'
    )


def _metrics_with_explanations(min_support: int = 5) -> Metrics:
    """The mini corpus's metrics; each failing row carries its explanation (partial.failure_row)."""
    from harness.evaluate.evaluator import evaluate

    evaluation = evaluate(harness.load_rules(RULES), harness.load_scenarios(CORPUS), min_support)
    assert all("explain" in row for row in evaluation.metrics.detailed().errors.failing)
    return evaluation.metrics


def test_report_and_serve_draw_a_trace_the_same_way() -> None:
    from harness.report.html import render
    from harness.serve import State, create_app

    page = render(_metrics_with_explanations(), {})
    ticket = '<div class="ticket"><mark class="won" title="p-seller">my shop</mark> wants a <mark class="won" title="i-refund">refund</mark></div>'
    assert ticket in page
    state = State(str(RULES), [str(CORPUS)])
    state.reload()
    served = create_app(state).test_client().get("/scenarios/m4").get_data(as_text=True)
    assert ticket in served
    row = '<td class="bad">refund</td>\n<td>dispute</td>'  # the macro's field row: got, expected
    assert row in page and row in served


def test_slices_keep_groups_with_the_minimum_support() -> None:
    from harness.report.html import render, slices

    metrics = _metrics_with_explanations(min_support=2)
    tag = next(s for s in slices(metrics.detailed().slices, 2) if s.dimension == "tag")
    assert [row[:3] for row in tag.rows] == [("(untagged)", 4, 1)]
    assert tag.hidden == 1  # "hard", one scenario
    page = render(metrics, {})
    assert "Groups with at least 2 scenarios" in page
    assert "1 group below 2 scenarios not shown." in page


def test_near_duplicate_tags_are_flagged() -> None:
    from harness.report.html import near_duplicate_tags

    tags = ["holdout", "hold-out", "Holdout", "holdouts", "hard", "class", "glass", "(untagged)", "real_post", "real-posts"]
    assert near_duplicate_tags(tags) == [
        ("Holdout", "hold-out", "holdout", "holdouts"),
        ("real-posts", "real_post"),
    ]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_failing_table_filters_and_sorts_in_chromium(report: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto((report / "index.html").as_uri())
        visible = page.locator("#failing-table tbody tr:visible")
        expect(visible).to_have_count(3)
        page.select_option("#failing-field", "issue")
        expect(visible).to_have_count(2)
        page.fill("#failing-text", "refund")
        expect(visible).to_have_count(1)
        expect(page.locator("#failing-count")).to_have_text("1 shown")
        page.fill("#failing-text", "")
        page.select_option("#failing-field", "")
        page.click("#failing-table th:text-is('id')")
        page.click("#failing-table th:text-is('id')")  # descending
        expect(page.locator("#failing-table tbody tr td:first-child")).to_have_text(["m5", "m4", "m3"])
        browser.close()
