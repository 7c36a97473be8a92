"""The gate's result, typed: what the comparison found, the policy's verdict on it, and where the
baseline came from. `to_json()` is what `harness gate --json` prints; the Markdown, the terminal
lines and junit.xml read the attributes. The entries inside (a broken scenario, a change, a group)
stay JSON-shaped mappings: they are built once, in compare.py and changes.py, and printed as they are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.evaluate.metrics import CORE_METRICS, ContractLabel, Figures
from harness.plain import from_plain, to_plain

JSON = dict[str, Any]


@dataclass(frozen=True)
class Shift:
    """Core figures before and after a change, and after minus before (None where either is undefined)."""

    before: Figures
    after: Figures
    delta: Figures

    @classmethod
    def between(cls, before: Figures, after: Figures) -> Shift:
        delta: JSON = {}
        for name in CORE_METRICS:
            old, new = before.figure(name), after.figure(name)
            delta[name] = None if old is None or new is None else new - old
        return cls(before, after, Figures(**delta))


@dataclass(frozen=True)
class Comparison:
    """The two evaluations set side by side (compare.py)."""

    changes: list[JSON]  # each rule, term list, parameter and condition that changed, with file:line
    groups: list[JSON]  # broken and fixed scenarios, once each, under the changes that caused them
    broken: list[JSON]  # one entry per scenario field that broke (junit.xml, the golden check)
    fixed: list[JSON]
    broken_scenarios: list[str]
    fixed_scenarios: list[str]
    rule_changes: dict[str, list[str]]  # rule ids added, removed, changed
    metrics: Shift  # the core figures of the whole corpus
    holdout: Shift  # the same for the holdout split
    dead_rules: JSON
    missing_labels: list[ContractLabel]  # contract labels no scenario expects
    examples_now_failing: list[JSON]


@dataclass(frozen=True)
class Violation:
    check: str  # a key of the policy (gate_policy.yaml)
    message: str


@dataclass(frozen=True)
class Baseline:
    ref: str
    commit: str


@dataclass(frozen=True)
class PolicyUsed:
    statistical: bool
    alpha: float
    source: str


@dataclass(frozen=True)
class GateResult(Comparison):
    passed: bool
    baseline: Baseline
    relabelled: list[JSON]
    violations: list[Violation]
    policy: PolicyUsed

    def to_json(self) -> JSON:
        plain: JSON = to_plain(self)
        return plain

    @classmethod
    def from_json(cls, data: JSON) -> GateResult:
        """A result read back from `harness gate --json` (to write its Markdown again, say)."""
        return from_plain(cls, data)
