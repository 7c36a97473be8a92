"""Scenario-by-scenario comparison of two evaluations (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from harness.evaluate.evaluator import Evaluation
from harness.evaluate.metrics import CORE_METRICS
from harness.evaluate.result import ScenarioResult
from harness.model import FIELDS, Scenario
from harness.ruleset import RuleSet


@dataclass(frozen=True)
class RuleInfo:
    """What the gate needs of a rule: enough to say whether it changed and where it lives."""

    fingerprint: str
    where: str
    owner: str | None


RuleIndex = dict[str, RuleInfo]


def rule_index(rules: RuleSet) -> RuleIndex:
    return {r.id: RuleInfo(r.fingerprint, str(r.location), r.owner) for r in rules.rules}


def rule_changes(before: RuleIndex, after: RuleIndex) -> dict[str, list[str]]:
    return {
        "added": sorted(after.keys() - before.keys()),
        "removed": sorted(before.keys() - after.keys()),
        "changed": sorted(
            i for i in before.keys() & after.keys() if before[i].fingerprint != after[i].fingerprint
        ),
    }


def _status(rule_id: str, changes: dict[str, list[str]]) -> str:
    for status in ("added", "removed", "changed"):
        if rule_id in changes[status]:
            return status
    return "unchanged"


def _rule_info(rule_id: str, side: str, rules: RuleIndex, changes: dict[str, list[str]]) -> dict[str, Any]:
    info = rules.get(rule_id)
    return {
        "rule": rule_id,
        "side": side,
        "change": _status(rule_id, changes),
        "where": info.where if info else None,
        "owner": info.owner if info else None,
    }


def _value(result: ScenarioResult, name: str) -> Any:
    if name == "findings":
        return sorted(result.outcome.finding_ids)
    return result.predicted(name)


def _expected(scenario: Scenario, name: str) -> Any:
    if name == "findings":
        return sorted(scenario.expect.findings or ())
    value: str = getattr(scenario.expect, name)
    return value


def _causes(
    name: str,
    before: ScenarioResult,
    after: ScenarioResult,
    rules: tuple[RuleIndex, RuleIndex],
    changes: dict[str, list[str]],
) -> list[dict[str, Any]]:
    if name == "findings":
        old = {h.rule for h in before.outcome.lint_hits}
        new = {h.rule for h in after.outcome.lint_hits}
        pairs = [(r, "before") for r in sorted(old - new)] + [(r, "after") for r in sorted(new - old)]
    else:
        pairs = [
            (rule, side)
            for side, result in (("before", before), ("after", after))
            if (rule := result.outcome.decision.deciding_rule(name))
        ]
    infos, seen = [], set()
    for rule_id, side in pairs:
        if (rule_id, side) in seen:
            continue
        seen.add((rule_id, side))
        infos.append(_rule_info(rule_id, side, rules[0] if side == "before" else rules[1], changes))
    return infos


def _entries(
    before: ScenarioResult,
    after: ScenarioResult,
    right_before: bool,
    rules: tuple[RuleIndex, RuleIndex],
    changes: dict[str, list[str]],
) -> list[dict[str, Any]]:
    fields: list[str] = []
    for name in FIELDS:
        if before.correct(name) == right_before and after.correct(name) != right_before:
            fields.append(name)
    if (
        after.findings_correct is not None
        and before.findings_correct is right_before
        and after.findings_correct is not right_before
    ):
        fields.append("findings")
    return [
        {
            "id": after.scenario.id,
            "file": after.scenario.location.file,
            "line": after.scenario.location.line,
            "tags": list(after.scenario.tags),
            "field": name,
            "expected": _expected(after.scenario, name),
            "before": _value(before, name),
            "after": _value(after, name),
            "rules": _causes(name, before, after, rules, changes),
        }
        for name in fields
    ]


def _labels(scenario: Scenario) -> dict[str, Any]:
    return {
        **{n: getattr(scenario.expect, n) for n in FIELDS},
        "findings": None if scenario.expect.findings is None else sorted(scenario.expect.findings),
    }


def relabelled(before: Sequence[Scenario], after: Sequence[Scenario]) -> list[dict[str, Any]]:
    old = {s.id: s for s in before}
    rows = []
    for scenario in after:
        previous = old.get(scenario.id)
        if previous is not None and _labels(previous) != _labels(scenario):
            rows.append(
                {
                    "id": scenario.id,
                    "file": scenario.location.file,
                    "before": _labels(previous),
                    "after": _labels(scenario),
                }
            )
    return rows


def _before_after(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    delta = {k: None if before[k] is None or after[k] is None else after[k] - before[k] for k in CORE_METRICS}
    return {"before": before, "after": after, "delta": delta}


def compare(before: Evaluation, after: Evaluation, rules: tuple[RuleIndex, RuleIndex]) -> dict[str, Any]:
    changes = rule_changes(*rules)
    old = {r.scenario.id: r for r in before.results}
    broken: list[dict[str, Any]] = []
    fixed: list[dict[str, Any]] = []
    for result in after.results:
        previous = old.get(result.scenario.id)
        if previous is None:
            continue
        if previous.passed and not result.passed:
            broken += _entries(previous, result, True, rules, changes)
        elif result.passed and not previous.passed:
            fixed += _entries(previous, result, False, rules, changes)
    whole = _before_after(
        {k: before.metrics[k] for k in CORE_METRICS}, {k: after.metrics[k] for k in CORE_METRICS}
    )
    holdout = _before_after(before.metrics["splits"]["holdout"], after.metrics["splits"]["holdout"])
    return {
        "broken": broken,
        "fixed": fixed,
        "broken_scenarios": sorted({b["id"] for b in broken}),
        "fixed_scenarios": sorted({f["id"] for f in fixed}),
        "rule_changes": changes,
        "metrics": whole,
        "holdout": holdout,
        "dead_rules": {"before": before.metrics["dead_rules"], "after": after.metrics["dead_rules"]},
        "missing_labels": after.metrics["coverage"]["labels"]["missing"],
    }
