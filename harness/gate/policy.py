"""The gate's policy: loading it (validated like every other input) and applying it (pure)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from harness.errors import HarnessError
from harness.gate.result import Comparison, Shift, Violation
from harness.load.source import parse_yaml, read_text
from harness.load.validate import validate


@dataclass(frozen=True)
class Policy:
    max_drop: dict[str, float]
    holdout_max_drop: dict[str, float]
    holdout_min: dict[str, float]
    max_unroutable_increase: int
    max_broken: int
    golden_tag: str
    min_rule_coverage: float
    no_new_dead_rules: bool
    no_missing_contract_labels: bool
    require_declared_relabels: bool
    relabels_file: str
    statistical: bool
    alpha: float
    no_new_failing_examples: bool = True  # last, with a default: older callers build Policy by keyword


def load_policy(path: Path | None) -> Policy:
    if path is None:
        text, label = (
            resources.files("harness").joinpath("data", "gate_policy.yaml").read_text("utf-8"),
            "<default policy>",
        )
    else:
        text, label = read_text(path), str(path)
    doc = parse_yaml(text, label)
    problems = validate("policy.schema.json", doc, doc.data, (), lambda _path: "policy")
    if problems:
        raise HarnessError(problems)
    data: dict[str, Any] = doc.data
    statistical = data.get("statistical", {})
    return Policy(
        max_drop={k: float(v) for k, v in data.get("max_drop", {}).items()},
        holdout_max_drop={k: float(v) for k, v in data.get("holdout_max_drop", {}).items()},
        holdout_min={k: float(v) for k, v in data.get("holdout_min", {}).items()},
        max_unroutable_increase=data.get("max_unroutable_increase", 0),
        max_broken=data.get("max_broken", 0),
        golden_tag=data.get("golden_tag", "golden"),
        min_rule_coverage=float(data.get("min_rule_coverage", 0.0)),
        no_new_dead_rules=data.get("no_new_dead_rules", True),
        no_missing_contract_labels=data.get("no_missing_contract_labels", True),
        require_declared_relabels=data.get("require_declared_relabels", True),
        relabels_file=data.get("relabels_file", "RELABELS.yaml"),
        statistical=statistical.get("enabled", False),
        alpha=float(statistical.get("alpha", 0.05)),
        no_new_failing_examples=data.get("no_new_failing_examples", True),
    )


def mcnemar_worse_p(broken: int, fixed: int) -> float:
    """Exact one-sided McNemar p-value: the chance of at least `broken` of the discordant pairs going
    the bad way if the change were neutral (binomial, p = 1/2)."""
    n = broken + fixed
    if n == 0:
        return 1.0
    tail: int = sum(math.comb(n, k) for k in range(broken, n + 1))
    return tail / (1 << n)  # int / int: exact until the end, no overflow past n = 1,024


def _drops(
    add: Callable[[str, str], None], check: str, shift: Shift, allowed: dict[str, float], scope: str
) -> None:
    for metric, allowance in sorted(allowed.items()):
        delta = shift.delta.figure(metric)
        if delta is not None and -delta > allowance + 1e-12:
            add(
                check,
                f"{scope}{metric} fell by {-delta:.4f} ({shift.before.figure(metric):.4f} -> "
                f"{shift.after.figure(metric):.4f}), at most {allowance} allowed",
            )


def _dead(add: Callable[[str, str], None], dead: dict[str, Any]) -> None:
    """A rule that stopped firing and a new rule that never fires are told apart: "no longer fires"
    of a rule that never fired sends the reader looking for what broke it."""
    stopped, never = dead.get("no_longer_fire", []), dead.get("fire_on_no_scenario", [])
    if stopped:
        add("no_new_dead_rules", f"rules that no longer fire on any scenario: {', '.join(stopped)}")
    if never:
        add("no_new_dead_rules", f"new rules that fire on no scenario: {', '.join(never)}")


def violations(
    policy: Policy, comparison: Comparison, relabelled: list[dict[str, Any]], declared: dict[str, str]
) -> list[Violation]:
    found: list[Violation] = []

    def add(check: str, message: str) -> None:
        found.append(Violation(check, message))

    shift = comparison.metrics
    broken, fixed = comparison.broken_scenarios, comparison.fixed_scenarios
    if policy.statistical:
        p = mcnemar_worse_p(len(broken), len(fixed))
        if p < policy.alpha:
            add(
                "mcnemar",
                f"{len(broken)} broken against {len(fixed)} fixed is worse at p={p:.4g} < {policy.alpha}",
            )
    else:
        if len(broken) > policy.max_broken:
            add("max_broken", f"{len(broken)} scenarios broken, at most {policy.max_broken} allowed")
        _drops(add, "max_drop", shift, policy.max_drop, "")
        _drops(add, "holdout_max_drop", comparison.holdout, policy.holdout_max_drop, "holdout ")
    for metric, lowest in sorted(policy.holdout_min.items()):
        value = comparison.holdout.after.figure(metric)
        if value is not None and value < lowest:
            add("holdout_min", f"holdout {metric} is {value:.4f}, below {lowest}")
    golden = sorted({b["id"] for b in comparison.broken if policy.golden_tag in b["tags"]})
    if golden:
        add("golden", f"golden scenarios broken: {', '.join(golden)}")
    increase = shift.delta.unroutable
    if increase > policy.max_unroutable_increase:
        add("unroutable", f"unroutable rose by {increase}, at most {policy.max_unroutable_increase} allowed")
    coverage = shift.after.rule_coverage
    if coverage is not None and coverage < policy.min_rule_coverage:
        add("min_rule_coverage", f"rule coverage {coverage:.3f} is below {policy.min_rule_coverage}")
    if policy.no_new_dead_rules:
        _dead(add, comparison.dead_rules)
    failing = comparison.examples_now_failing
    if policy.no_new_failing_examples and failing:
        add(
            "no_new_failing_examples",
            "inline examples now failing: "
            + ", ".join(f"{e['rule']} ({e['file']}:{e['line']})" for e in failing),
        )
    if policy.no_missing_contract_labels and comparison.missing_labels:
        labels = ", ".join(f"{m.field} {m.label}" for m in comparison.missing_labels)
        add("no_missing_contract_labels", f"contract labels with no scenario: {labels}")
    if policy.require_declared_relabels:
        undeclared = sorted(r["id"] for r in relabelled if r["id"] not in declared)
        if undeclared:
            add(
                "declared_relabels",
                f"relabelled but not declared in {policy.relabels_file}: {', '.join(undeclared)}",
            )
    return found
