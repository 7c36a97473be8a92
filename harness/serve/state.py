"""What the web app shows: the current evaluation, the previous one, and the last load errors.

A `Snapshot` is one evaluation of the rules on the scenarios, immutable once built; `State` swaps
in a new one after each edit (under a lock: the watcher's thread writes, request threads read) and
keeps the one before it, so the Live view can say what flipped between the two. A load error
(a HarnessError: bad YAML, an unknown label, ...) is kept beside the last good snapshot instead of
replacing it, so the app never goes blank while a file is half edited.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from harness.contract import Contract, default_contract
from harness.decide.examples import ExampleResult, check_examples
from harness.errors import HarnessError, Problem
from harness.evaluate.changes import Changes, changes_between
from harness.evaluate.coverage import rule_coverage
from harness.evaluate.evaluator import evaluate, row
from harness.evaluate.metrics import Metrics, RuleRow
from harness.evaluate.result import ScenarioResult
from harness.gate.changes import Change, compare_sources
from harness.load.rules import load_rules
from harness.load.scenarios import load_scenarios
from harness.ruleset import RuleSet


@dataclass(frozen=True)
class Snapshot:
    """One evaluation: the rules, every scenario's result and row, and per-rule figures."""

    version: int
    rules: RuleSet
    results: tuple[ScenarioResult, ...]
    rows: tuple[dict[str, Any], ...]  # evaluator.row() of each result, in corpus order
    rule_rows: tuple[RuleRow, ...]  # coverage.rule_coverage(): fires, decides, status
    metrics: Metrics
    examples: Mapping[str, tuple[ExampleResult, ...]]  # rule id -> its inline examples, run
    seconds: float
    by_id: Mapping[str, ScenarioResult]

    def result(self, scenario_id: str) -> ScenarioResult | None:
        return self.by_id.get(scenario_id)


def changes(before: Snapshot, after: Snapshot) -> Changes:
    """What flipped from one evaluation to the next (fixed and broken scenarios with the deciding
    rule before and after each flipped field; rules whose status changed): the same comparison
    `harness evaluate --compare` prints."""
    return changes_between(before.rows, after.rows, before.rule_rows, after.rule_rows)


def rule_changes(before: Snapshot, after: Snapshot) -> tuple[Change, ...]:
    """The gate's diff of the two rule sets' files: each rule, term list, parameter and shared
    condition added, removed or changed, with its file and line."""
    return compare_sources(before.rules.sources, after.rules.sources).changes


@dataclass(frozen=True)
class Status:
    """What one request sees: a consistent view of the state at one moment."""

    current: Snapshot | None
    previous: Snapshot | None
    problems: tuple[Problem, ...]  # from the latest load; () when it loaded cleanly
    generation: int  # bumps on every reload (a success or an error): the page polls it
    reloads: int


@dataclass
class State:
    rules_path: str
    scenario_paths: Sequence[str]
    # The labels the rules and scenarios are loaded against: every snapshot's rules carry it.
    contract: Contract = field(default_factory=default_contract)
    workers: int = 1
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _status: Status = field(default_factory=lambda: Status(None, None, (), 0, 0))

    def status(self) -> Status:
        with self._lock:
            return self._status

    def reload(self) -> Status:
        """Load the rules and scenarios and evaluate; on bad input keep the last good snapshot
        and record the problems. Calls are serialized by the watcher (one thread)."""
        started = time.perf_counter()
        version = self.status().generation + 1
        try:
            rules = load_rules(self.rules_path, contract=self.contract)
            scenarios = load_scenarios(list(self.scenario_paths), contract=self.contract)
            # The live loop needs rows and rule figures, not the report's analysis: detailed=False
            # halves the time of an edit (no pattern branches, slices or corpus health).
            evaluation = evaluate(rules, scenarios, detailed=False, workers=self.workers)
        except HarnessError as exc:
            with self._lock:
                old = self._status
                self._status = Status(old.current, old.previous, exc.problems, version, old.reloads + 1)
                return self._status
        examples: dict[str, list[ExampleResult]] = {}
        for result in check_examples(rules):
            examples.setdefault(result.rule.id, []).append(result)
        snapshot = Snapshot(
            version,
            rules,
            evaluation.results,
            tuple(row(r) for r in evaluation.results),
            rule_coverage(evaluation.tally, rules),
            evaluation.metrics,
            {k: tuple(v) for k, v in examples.items()},
            time.perf_counter() - started,
            {r.scenario.id: r for r in evaluation.results},
        )
        with self._lock:
            old = self._status
            self._status = Status(snapshot, old.current, (), version, old.reloads + 1)
            return self._status
