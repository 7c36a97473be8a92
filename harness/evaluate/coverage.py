"""Coverage: which rules, labels, pattern alternatives and label combinations the corpus exercises
(the corpus's own health is in health.py)."""

from __future__ import annotations

import itertools
from collections import Counter

from harness.contract import Contract
from harness.evaluate.metrics import (
    Combination,
    Combinations,
    ContractLabel,
    LabelCount,
    LabelSupport,
    PatternRow,
    RuleRow,
)
from harness.evaluate.tally import Tally
from harness.match.conditions import AllOf, Condition, DecisionTest, text_tests
from harness.model import FIELDS
from harness.ruleset import Rule, RuleSet


def rule_coverage(tally: Tally, rules: RuleSet) -> tuple[RuleRow, ...]:
    rows = []
    for rule in rules.rules:
        fired, decisive = tally.rule_fired[rule.id], tally.rule_decisive[rule.id]
        rows.append(
            RuleRow(
                rule=rule.id,
                kind=rule.kind,
                sets=rule.sets,
                value=rule.value,
                priority=rule.priority if rule.kind == "routing" else None,
                owner=rule.owner,
                file=rule.location.file,
                line=rule.location.line,
                matched=fired,
                decisive=decisive,
                status="dead" if not fired else ("never decisive" if not decisive else "live"),
                examples=len(rule.examples),
            )
        )
    return tuple(rows)


def label_support(tally: Tally, contract: Contract, threshold: int) -> LabelSupport:
    """Scenarios per contract label, from the tally (expected labels and expected findings)."""
    names = (*FIELDS, "finding")
    support: dict[str, Counter[str]] = {name: Counter() for name in names}
    for name in FIELDS:
        for (expected, _), count in tally.confusion[name].items():
            support[name][expected] += count
    support["finding"].update(tally.finding_tp)
    support["finding"].update(tally.finding_fn)
    listed = [(name, label, support[name][label]) for name in names for label in contract.labels(name)]
    return LabelSupport(
        threshold=threshold,
        support={name: {label: support[name][label] for label in contract.labels(name)} for name in names},
        below_threshold=tuple(LabelCount(*entry) for entry in listed if 0 < entry[2] < threshold),
        missing=tuple(ContractLabel(name, label) for name, label, count in listed if not count),
    )


def pattern_coverage(tally: Tally, rules: RuleSet) -> tuple[PatternRow, ...]:
    """Branch coverage: for each rule, the alternatives of its phrase lists and regexes that ever matched."""
    rows = []
    for rule in rules.rules:
        if rule.when is None:
            continue
        total = matched = 0
        unmatched: list[str] = []
        for index, test in enumerate(text_tests(rule.when)):
            for alternative, source in enumerate(test.matcher.sources):
                total += 1
                if tally.branch_hits[(rule.id, index, alternative)]:
                    matched += 1
                else:
                    unmatched.append(source)
        if total:
            rows.append(PatternRow(rule.id, total, matched, matched / total, tuple(sorted(set(unmatched)))))
    return tuple(rows)


def _required(condition: Condition | None) -> dict[str, frozenset[str]]:
    """Decision values a rule requires (from decision tests that must all hold); absent means any."""
    if condition is None:
        return {}
    parts = condition.children if isinstance(condition, AllOf) else (condition,)
    required: dict[str, frozenset[str]] = {}
    for part in parts:
        if isinstance(part, DecisionTest):
            required[part.name] = required.get(part.name, part.allowed) & part.allowed
        elif isinstance(part, AllOf):
            required.update(_required(part))
    return required


def _allows(rule: Rule, decision: dict[str, str]) -> bool:
    return all(
        decision[name] in allowed for name, allowed in _required(rule.when).items() if name in decision
    )


def producible(rules: RuleSet) -> set[Combination]:
    """Persona x issue x channel combinations some chain of rules can produce (ignoring text, so an
    over-approximation: a combination here may still need text no ticket would write)."""
    combos = set()
    personas = {r.value for r in rules.by_field["persona"]}
    for persona, issue_rule in itertools.product(sorted(personas), rules.by_field["issue"]):
        if not _allows(issue_rule, {"persona": persona}):
            continue
        for channel_rule in rules.by_field["channel"]:
            if _allows(channel_rule, {"persona": persona, "issue": issue_rule.value}):
                combos.add((persona, issue_rule.value, channel_rule.value))
    return combos


def combinations(tally: Tally, rules: RuleSet) -> Combinations:
    tested = set(tally.combinations)
    predicted = set(tally.predicted_combinations)
    possible = producible(rules)
    return Combinations(
        producible=len(possible),
        tested=len(tested),
        tested_not_producible=tuple(sorted(tested - possible)),
        tested_never_predicted=tuple(sorted(tested - predicted)),
        producible_untested=tuple(sorted(possible - tested)),
    )
