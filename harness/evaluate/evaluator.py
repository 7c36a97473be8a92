"""Run both engines over labelled scenarios in chunks, and reduce the chunks to one evaluation.

A corpus is read as a stream and cut into chunks of consecutive scenarios; each chunk gives a
`Partial` (mergeable counts) and its result rows. Chunks run here or in worker processes (see
workers.py); their Partials are absorbed in corpus order and their rows handed on in that order,
so every figure and every row is the same whatever the number of workers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any

from harness.decide.context import context_for
from harness.decide.run import branch_hits, run_in
from harness.evaluate.analysis import detail
from harness.evaluate.coverage import label_support
from harness.evaluate.health import Fetch, Labels, health_report
from harness.evaluate.metrics import Metrics, headline
from harness.evaluate.partial import Partial
from harness.evaluate.result import ScenarioResult
from harness.evaluate.splits import generalization_gap, split_metrics, split_of
from harness.evaluate.tally import Tally
from harness.model import FIELDS, Scenario
from harness.ruleset import RuleSet

if TYPE_CHECKING:
    import pandas

CHUNK = 500  # scenarios per chunk: large enough to amortize a hand-off, small enough to stay flat


def result_of(scenario: Scenario, rules: RuleSet, branches: bool = True) -> ScenarioResult:
    """Both engines on a scenario; `branches` also records which pattern alternatives matched."""
    ctx = context_for(scenario.ticket, rules)
    outcome = run_in(ctx, rules)
    return ScenarioResult(scenario, outcome, frozenset(branch_hits(ctx, rules)) if branches else frozenset())


def results_of(
    scenarios: Iterable[Scenario], rules: RuleSet, branches: bool = True
) -> Iterator[ScenarioResult]:
    for scenario in scenarios:
        yield result_of(scenario, rules, branches)


def _joined(values: Iterable[str] | None) -> str:
    return "" if values is None else ";".join(sorted(values))


def row(result: ScenarioResult) -> dict[str, Any]:
    """One scenario's line in results.csv and results.parquet."""
    scenario, decision = result.scenario, result.outcome.decision
    out: dict[str, Any] = {"id": scenario.id, "file": scenario.location.file, "line": scenario.location.line}
    for name in FIELDS:
        out[f"expected_{name}"] = result.expected(name)
        out[f"predicted_{name}"] = result.predicted(name)
    out.update(
        {
            "expected_findings": _joined(scenario.expect.findings),
            "predicted_findings": _joined(result.outcome.finding_ids),
            "findings_labelled": scenario.expect.findings is not None,
            "passed": result.passed,
            "failed": ";".join(result.failed_fields),
            "deciding_rule": ";".join(f"{name}={rule}" for name, rule in decision.deciding),
            # The same rules one column per field, to filter on without parsing (a notebook's
            # frame[frame.rule_issue == "x"]); deciding_rule stays, as junit.xml, the comparison
            # with a previous report and `harness serve` read it.
            **{f"rule_{name}": decision.deciding_rule(name) or "" for name in FIELDS},
            "matched_rules": _joined({hit.rule for hit in decision.matched}),
            # The lint rules that fired: what a comparison names when findings flip.
            "lint_rules": _joined({hit.rule for hit in result.outcome.lint_hits}),
            "split": split_of(scenario),
            "tags": ";".join(scenario.tags),
            "words": len(scenario.ticket.text.split()),
            "text": scenario.ticket.text,
        }
    )
    return out


def row_columns() -> tuple[str, ...]:
    names = ["id", "file", "line"]
    for name in FIELDS:
        names += [f"expected_{name}", f"predicted_{name}"]
    names += ["expected_findings", "predicted_findings", "findings_labelled", "passed", "failed"]
    names += ["deciding_rule", *(f"rule_{name}" for name in FIELDS), "matched_rules", "lint_rules", "split", "tags", "words", "text"]
    return tuple(names)


@dataclass(frozen=True)
class Chunk:
    """What evaluating one chunk gives: its counts, its rows, and its results when they are kept."""

    partial: Partial
    rows: list[dict[str, Any]]
    results: list[ScenarioResult] = field(default_factory=list)


def evaluate_chunk(
    rules: RuleSet, chunk: Sequence[tuple[int, Scenario]], detailed: bool = True, keep: bool = False
) -> Chunk:
    """Both engines on consecutive scenarios (each with its position in the corpus)."""
    partial = Partial(detailed)
    rows: list[dict[str, Any]] = []
    results: list[ScenarioResult] = []
    for index, scenario in chunk:
        result = result_of(scenario, rules, branches=detailed)
        partial.add(index, result, rules.contract)
        rows.append(row(result))
        if keep:
            results.append(result)
    return Chunk(partial, rows, results)


def chunks(scenarios: Iterable[Scenario], size: int = CHUNK) -> Iterator[list[tuple[int, Scenario]]]:
    numbered = enumerate(scenarios)
    while batch := list(islice(numbered, size)):
        yield batch


@dataclass(frozen=True)
class Evaluation:
    """What `harness.evaluate` returns: the metrics, the counts, and (when kept) every result."""

    metrics: Metrics
    tally: Tally
    results: tuple[ScenarioResult, ...]

    @property
    def frame(self) -> pandas.DataFrame:
        import pandas as pd  # imported on use: the gate and the engines never need it (0.4 s)

        return pd.DataFrame([row(r) for r in self.results], columns=list(row_columns()))


def _fetch_from(results: Sequence[ScenarioResult]) -> Fetch:
    def fetch(indices: Sequence[int]) -> Mapping[int, tuple[str, str, Labels]]:
        found = {}
        for index in indices:
            result = results[index]
            persona, issue, channel = (result.expected(n) for n in FIELDS)
            found[index] = (result.scenario.id, result.scenario.ticket.text, (persona, issue, channel))
        return found

    return fetch


def metrics_of(partial: Partial, rules: RuleSet, min_support: int = 5, fetch: Fetch | None = None) -> Metrics:
    """The metrics of a reduced Partial; `fetch` reads scenarios back for corpus health."""
    details = None
    if partial.detailed:
        if fetch is None:
            raise ValueError("a detailed evaluation needs `fetch` to report corpus health")
        details = detail(partial, rules, health_report(partial.health, fetch))
    splits = split_metrics(partial.slices, rules)
    return Metrics(
        **vars(headline(partial.tally, rules)),
        label_support=label_support(partial.tally, rules.contract, min_support),
        splits=splits,
        generalization_gap=generalization_gap(splits),
        detail=details,
    )


def evaluate(
    rules: RuleSet,
    scenarios: Iterable[Scenario],
    min_support: int = 5,
    detailed: bool = True,
    *,
    workers: int = 1,
    backend: str = "local",
    scheduler: str | None = None,
    keep: bool = True,
    on_rows: Callable[[list[dict[str, Any]]], None] | None = None,
    fetch: Fetch | None = None,
) -> Evaluation:
    """Run both engines on every scenario; the metrics hold every figure the reports show.

    `detailed=False` (the gate) keeps the headline figures, label support and splits and skips the
    costly analysis (pattern branches, slices, corpus health). `workers` > 1 evaluates chunks in
    that many processes; `backend="dask"` runs them on a Dask cluster (`scheduler`, or a local one).
    `keep=False` keeps no result in memory (a corpus of millions): then rows
    go to `on_rows` in corpus order and `fetch` reads scenarios back for corpus health."""
    from harness.evaluate.workers import run_chunks

    total = Partial(detailed)
    kept: list[ScenarioResult] = []
    for chunk in run_chunks(rules, chunks(scenarios), detailed, keep, workers, backend, scheduler):
        total.absorb(chunk.partial)
        kept.extend(chunk.results)
        if on_rows is not None:
            on_rows(chunk.rows)
    if fetch is None and keep:
        fetch = _fetch_from(kept)
    return Evaluation(metrics_of(total, rules, min_support, fetch), total.tally, tuple(kept))
