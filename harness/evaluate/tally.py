"""Counts that accumulate over a stream of scenario results and merge across chunks.

Every metric is a function of a Tally, and a Tally of a whole corpus equals the merge of the
Tallies of its parts in any order, so a million exported tickets can be counted in chunks (or on
many workers) and combined.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from harness.evaluate.result import ScenarioResult
from harness.model import FIELDS, UNROUTABLE

_COUNTERS = (
    "finding_tp",
    "finding_fp",
    "finding_fn",
    "rule_fired",
    "rule_decisive",
    "branch_hits",
    "combinations",
    "predicted_combinations",
)


def _confusions() -> dict[str, Counter[tuple[str, str]]]:
    return {name: Counter() for name in FIELDS}


@dataclass
class Tally:
    scenarios: int = 0
    passed: int = 0
    exact: int = 0  # persona, issue and channel all right
    unroutable: int = 0
    confusion: dict[str, Counter[tuple[str, str]]] = field(default_factory=_confusions)
    findings_scenarios: int = 0
    findings_exact: int = 0
    finding_tp: Counter[str] = field(default_factory=Counter)
    finding_fp: Counter[str] = field(default_factory=Counter)
    finding_fn: Counter[str] = field(default_factory=Counter)
    rule_fired: Counter[str] = field(default_factory=Counter)
    rule_decisive: Counter[str] = field(default_factory=Counter)
    branch_hits: Counter[tuple[str, int, int]] = field(default_factory=Counter)
    combinations: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # expected persona, issue, channel
    predicted_combinations: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    def add(self, result: ScenarioResult, full: bool = True) -> None:
        """Count one result; `full=False` counts only what the core figures need (a slice's tally:
        no pattern branches, decisive rules or label combinations)."""
        decision = result.outcome.decision
        self.scenarios += 1
        self.passed += result.passed
        self.exact += result.fields_correct
        self.unroutable += UNROUTABLE in (decision.persona, decision.issue, decision.channel)
        for name in FIELDS:
            self.confusion[name][(result.expected(name), result.predicted(name))] += 1
        self.rule_fired.update(result.outcome.fired)
        if full:
            expect = result.scenario.expect
            self.combinations[(expect.persona, expect.issue, expect.channel)] += 1
            self.predicted_combinations[(decision.persona, decision.issue, decision.channel)] += 1
            self.branch_hits.update(result.branches)
            self.rule_decisive.update(
                {rule for _, rule in decision.deciding} | {f.rule for f in result.outcome.findings}
            )
        expected = result.scenario.expect.findings
        if expected is not None:
            predicted = result.outcome.finding_ids
            self.findings_scenarios += 1
            self.findings_exact += expected == predicted
            self.finding_tp.update(expected & predicted)
            self.finding_fp.update(predicted - expected)
            self.finding_fn.update(expected - predicted)

    def absorb(self, other: Tally) -> None:
        """Count `other` in this tally (in place: a stream of chunks adds up without copies)."""
        self.scenarios += other.scenarios
        self.passed += other.passed
        self.exact += other.exact
        self.unroutable += other.unroutable
        self.findings_scenarios += other.findings_scenarios
        self.findings_exact += other.findings_exact
        for name in FIELDS:
            self.confusion[name].update(other.confusion[name])
        for name in _COUNTERS:
            counter: Counter[Any] = getattr(self, name)
            counter.update(getattr(other, name))

    def merge(self, other: Tally) -> Tally:
        """A new Tally counting both; neither input changes."""
        merged = Tally()
        merged.absorb(self)
        merged.absorb(other)
        return merged


def tally_of(results: Iterable[ScenarioResult]) -> Tally:
    tally = Tally()
    for result in results:
        tally.add(result)
    return tally
