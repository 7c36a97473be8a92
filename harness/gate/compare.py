"""Scenario-by-scenario comparison of two evaluations, each flip put under the change that caused it
(pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from harness.evaluate.changes import excerpt
from harness.evaluate.evaluator import Evaluation
from harness.evaluate.result import ScenarioResult
from harness.gate.changes import ChangeSet, Key
from harness.gate.result import Comparison, Shift
from harness.model import FIELDS, Scenario
from harness.ruleset import RuleSet

OTHER = "other"


@dataclass(frozen=True)
class RuleInfo:
    """What the gate needs of a rule to show it: where it lives and who owns it."""

    where: str
    owner: str | None


RuleIndex = dict[str, RuleInfo]


def rule_index(rules: RuleSet) -> RuleIndex:
    return {r.id: RuleInfo(str(r.location), r.owner) for r in rules.rules}


@dataclass(frozen=True)
class Context:
    """Both sides' rules and the changes between them, for naming causes."""

    rules: tuple[RuleIndex, RuleIndex]
    changes: ChangeSet


def _rule_info(rule_id: str, side: str, context: Context) -> dict[str, Any]:
    info = context.rules[0 if side == "before" else 1].get(rule_id)
    return {
        "rule": rule_id,
        "side": side,
        "change": context.changes.rule_status(rule_id),  # its own text, not what it names
        "affected_by": [f"{kind} {name}" for kind, name in context.changes.affecting([rule_id])],
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


def _lint_pairs(before: ScenarioResult, after: ScenarioResult) -> list[tuple[str, str]]:
    """The lint rules that fired on one side only, with that side."""
    old = {h.rule for h in before.outcome.lint_hits}
    new = {h.rule for h in after.outcome.lint_hits}
    return [(r, "before") for r in sorted(old - new)] + [(r, "after") for r in sorted(new - old)]


def _deciding_pairs(name: str, before: ScenarioResult, after: ScenarioResult) -> list[tuple[str, str]]:
    return [
        (rule, side)
        for side, result in (("before", before), ("after", after))
        if (rule := result.outcome.decision.deciding_rule(name))
    ]


def _causes(
    name: str, before: ScenarioResult, after: ScenarioResult, context: Context
) -> list[dict[str, Any]]:
    pairs = _lint_pairs(before, after) if name == "findings" else _deciding_pairs(name, before, after)
    return [_rule_info(rule_id, side, context) for rule_id, side in dict.fromkeys(pairs)]


def _flipped(before: ScenarioResult, after: ScenarioResult, right_before: bool) -> list[str]:
    """The fields right on one side and wrong on the other, in the direction asked for."""
    fields = [n for n in FIELDS if before.correct(n) == right_before and after.correct(n) != right_before]
    if (
        after.findings_correct is not None
        and before.findings_correct is right_before
        and after.findings_correct is not right_before
    ):
        fields.append("findings")
    return fields


def _field_entries(
    before: ScenarioResult, after: ScenarioResult, fields: list[str], context: Context
) -> list[dict[str, Any]]:
    return [
        {
            "field": name,
            "expected": _expected(after.scenario, name),
            "before": _value(before, name),
            "after": _value(after, name),
            "rules": _causes(name, before, after, context),
        }
        for name in fields
    ]


def _involved(before: ScenarioResult, after: ScenarioResult) -> set[str]:
    """The rules in a scenario's flip: for every field whose value or deciding rule differs (not only
    the flipped ones: a persona decided by a changed rule drags the issue and channel along), the
    deciding rule on each side; and every lint rule that fired on one side only."""
    rules = {rule for rule, _ in _lint_pairs(before, after)}
    for name in FIELDS:
        pairs = _deciding_pairs(name, before, after)
        if _value(before, name) != _value(after, name) or len({r for r, _ in pairs}) > 1:
            rules.update(rule for rule, _ in pairs)
    return rules


def _labels(scenario: Scenario) -> dict[str, Any]:
    return {
        **{n: getattr(scenario.expect, n) for n in FIELDS},
        "findings": None if scenario.expect.findings is None else sorted(scenario.expect.findings),
    }


def _unexplained(before: ScenarioResult, after: ScenarioResult, changes: ChangeSet) -> str:
    """Why no change was found, as honestly as the gate can say."""
    if _labels(before.scenario) != _labels(after.scenario):
        return "its expected labels differ between the baseline's scenarios and these"
    if before.scenario.ticket != after.scenario.ticket:
        return "its ticket differs between the baseline's scenarios and these"
    if changes.catalogue_changed:
        return "the catalogue changed (a channel's `reaches` decides `arrival` in lint rules)"
    return (
        "no rule involved in the flip changed, nor any term list, parameter or condition it names;"
        " the gate cannot trace the cause"
    )


@dataclass(frozen=True)
class Flip:
    """One scenario that broke or was fixed: every field that flipped, and the changes behind it."""

    entry: dict[str, Any]
    causes: tuple[Key, ...]


def _flip(before: ScenarioResult, after: ScenarioResult, fields: list[str], context: Context) -> Flip:
    causes = context.changes.affecting(_involved(before, after))
    entry: dict[str, Any] = {
        "id": after.scenario.id,
        "file": after.scenario.location.file,
        "line": after.scenario.location.line,
        "tags": list(after.scenario.tags),
        "excerpt": excerpt(after.scenario.ticket.text),
        "fields": _field_entries(before, after, fields, context),
    }
    if not causes:
        entry["explanation"] = _unexplained(before, after, context.changes)
    return Flip(entry, causes)


def _per_field(flip: Flip) -> list[dict[str, Any]]:
    """The old flat shape, one entry per field (the policy and junit.xml read it)."""
    keep = {k: flip.entry[k] for k in ("id", "file", "line", "tags")}
    return [{**keep, **field} for field in flip.entry["fields"]]


def _groups(broken: list[Flip], fixed: list[Flip], changes: ChangeSet) -> list[dict[str, Any]]:
    """Each scenario once, under the set of changes that caused it; the unexplained under "other"."""
    shown = {c.key: c for c in changes.changes}
    grouped: dict[tuple[Key, ...], dict[str, list[dict[str, Any]]]] = {}
    for side, flips in (("broken", broken), ("fixed", fixed)):
        for flip in flips:
            grouped.setdefault(flip.causes, {"broken": [], "fixed": []})[side].append(flip.entry)
    order = sorted(grouped, key=lambda k: (not k, -len(grouped[k]["broken"]), -len(grouped[k]["fixed"]), k))
    return [
        {
            "causes": [
                {k: shown[key].to_json()[k] for k in ("kind", "name", "file", "line", "change", "owner")}
                for key in causes
            ],
            "group": " + ".join(shown[key].label for key in causes) or OTHER,
            **grouped[causes],
        }
        for causes in order
    ]


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


def _dead(before: Evaluation, after: Evaluation, changes: ChangeSet) -> dict[str, list[str]]:
    """Dead rules on each side, and the new ones split: a rule that fired before and no longer does,
    and a rule this change adds that fires on no scenario (it never fired, so it did not stop)."""
    old, new = set(before.metrics.dead_rules), set(after.metrics.dead_rules)
    added = set(changes.rule_changes()["added"])
    return {
        "before": list(before.metrics.dead_rules),
        "after": list(after.metrics.dead_rules),
        "no_longer_fire": sorted(new - old - added),
        "fire_on_no_scenario": sorted(new & added),
    }


def compare(
    before: Evaluation, after: Evaluation, context: Context, examples_now_failing: list[dict[str, Any]]
) -> Comparison:
    old = {r.scenario.id: r for r in before.results}
    broken: list[Flip] = []
    fixed: list[Flip] = []
    for result in after.results:
        previous = old.get(result.scenario.id)
        if previous is None:
            continue
        if previous.passed and not result.passed:
            broken.append(_flip(previous, result, _flipped(previous, result, True), context))
        elif result.passed and not previous.passed:
            fixed.append(_flip(previous, result, _flipped(previous, result, False), context))
    return Comparison(
        changes=[c.to_json() for c in context.changes.changes],
        groups=_groups(broken, fixed, context.changes),
        broken=[e for flip in broken for e in _per_field(flip)],
        fixed=[e for flip in fixed for e in _per_field(flip)],
        broken_scenarios=sorted(f.entry["id"] for f in broken),
        fixed_scenarios=sorted(f.entry["id"] for f in fixed),
        rule_changes=context.changes.rule_changes(),
        metrics=Shift.between(before.metrics.core(), after.metrics.core()),
        holdout=Shift.between(before.metrics.splits.holdout, after.metrics.splits.holdout),
        dead_rules=_dead(before, after, context.changes),
        missing_labels=list(after.metrics.label_support.missing),
        examples_now_failing=examples_now_failing,
    )
