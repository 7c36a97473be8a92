"""Streaming, chunks, workers and Dask: the same figures and the same files whatever the split."""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import harness
from harness.evaluate.evaluator import evaluate, evaluate_chunk, metrics_of
from harness.evaluate.partial import Partial
from harness.model import Scenario
from harness.report.progress import estimated_rows
from harness.ruleset import RuleSet
from tests.support import FIXTURES, ROOT


@cache
def _corpus() -> tuple[RuleSet, list[Scenario]]:
    rules = harness.load_rules(ROOT / "rules")
    scenarios = harness.load_scenarios(ROOT / "scenarios" / "real" / "creators.yaml")[:120]
    return rules, scenarios


def _fetch(scenarios: list[Scenario]):  # type: ignore[no-untyped-def]
    def fetch(indices):  # type: ignore[no-untyped-def]
        return {i: (scenarios[i].id, scenarios[i].ticket.text, (scenarios[i].expect.persona, scenarios[i].expect.issue, scenarios[i].expect.channel)) for i in indices}

    return fetch


@settings(max_examples=12, deadline=None)
@given(st.lists(st.integers(1, 119), max_size=6), st.randoms(use_true_random=False))
def test_any_chunking_and_merge_order_gives_the_same_metrics(cuts: list[int], rnd: random.Random) -> None:
    rules, scenarios = _corpus()
    numbered = list(enumerate(scenarios))
    bounds = [0, *sorted(set(cuts)), len(numbered)]
    parts = [evaluate_chunk(rules, numbered[a:b]).partial for a, b in itertools.pairwise(bounds)]
    rnd.shuffle(parts)
    total = Partial()
    for part in parts:
        total.absorb(part)
    assert metrics_of(total, rules, fetch=_fetch(scenarios)) == evaluate(rules, scenarios).metrics


def test_the_failing_sample_is_bounded_per_label_and_in_corpus_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.evaluate import partial as partial_module

    monkeypatch.setattr(partial_module, "SAMPLE_PER_LABEL", 2)
    rules, scenarios = _corpus()
    errors = evaluate(rules, scenarios).metrics.detailed().errors
    failing = [r for r in evaluate(rules, scenarios, keep=True).results if not r.passed]
    assert errors.failing_total == len(failing) > len(errors.failing)
    indices = [row["index"] for row in errors.failing]
    assert indices == sorted(indices)
    # Every (wrong field, expected label) group keeps its first two failures, and only those.
    groups: dict[tuple[str, str], list[str]] = {}
    for result in failing:
        for name in result.failed_fields:
            label = "findings" if name == "findings" else result.expected(name)
            groups.setdefault((name, label), []).append(result.scenario.id)
    wanted = {sid for ids in groups.values() for sid in ids[:2]}
    assert {row["id"] for row in errors.failing} == wanted


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def test_one_worker_and_two_write_identical_report_files(tmp_path: Path) -> None:
    corpus = str(ROOT / "scenarios" / "real")
    one, two = tmp_path / "one", tmp_path / "two"
    for out, workers in ((one, "1"), (two, "2")):
        done = _cli("evaluate", "--scenarios", corpus, "--out", str(out), "--workers", workers, "--json")
        assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir())
    assert {"results.parquet", "results.csv", "junit.xml", "index.html", "metrics.json"} <= set(names)
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_dask_on_a_local_cluster_gives_the_local_metrics() -> None:
    pytest.importorskip("distributed")
    rules, scenarios = _corpus()
    local = evaluate(rules, scenarios, keep=True)
    on_dask = evaluate(rules, scenarios, backend="dask", keep=True)
    assert on_dask.metrics == local.metrics
    assert [r.outcome for r in on_dask.results] == [r.outcome for r in local.results]


def test_a_scheduler_that_does_not_answer_is_bad_input() -> None:
    pytest.importorskip("distributed")
    done = _cli(
        "evaluate", "--scenarios", str(FIXTURES / "mini_corpus"), "--rules", str(FIXTURES / "mini_rules"),
        "--no-report", "--backend", "dask", "--scheduler", "tcp://127.0.0.1:9",
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("harness: error: harness: --scheduler: no Dask scheduler answered at 'tcp://127.0.0.1:9' within 5 s")


def test_formats_choose_the_files_and_no_report_writes_none(tmp_path: Path) -> None:
    args = ["evaluate", "--scenarios", str(FIXTURES / "mini_corpus"), "--rules", str(FIXTURES / "mini_rules")]
    done = _cli(*args, "--out", str(tmp_path / "some"), "--format", "json,parquet")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "some").iterdir()) == [".harness-report", "metrics.json", "results.parquet"]
    done = _cli(*args, "--out", str(tmp_path / "none"), "--no-report", "--json")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "none").exists()
    assert json.loads(done.stdout)["scenarios"] == 5
    done = _cli(*args, "--format", "json,pdf")
    assert done.returncode == 2
    assert "--format: unknown report format 'pdf'; choose from json, csv, parquet, md, junit, html" in done.stderr


def test_estimated_rows(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"x": 1}\n{"x": 2}\n{"x": 3}\n')
    (tmp_path / "b.csv").write_text("id,text\n1,a\n2,b\n")
    assert estimated_rows([tmp_path / "a.jsonl", tmp_path / "b.csv"]) == 5
    assert estimated_rows([tmp_path / "a.jsonl", ROOT / "scenarios" / "creators.yaml"]) is None
