"""The contract is passed in, not read from a global: rules, scenarios, scores, coverage, explanations,
the workbench and the generator all follow the contract they are given.

The custom contract is the bundled one with an issue (`warranty`, a shopper's) and a finding
(`needs-screenshot`) added. On the three scenarios below, with the mini rules plus a rule for each:
  w1 "warranty for my broken blender"  shopper/warranty, needs-screenshot       -> all right
  w2 "refund please, order 123456"     shopper/refund, no findings              -> all right
  w3 "broken package"                  shopper/order, labelled missing-order-id -> needs-screenshot
                                       fires too: a false positive, w3 fails on findings
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import harness
from harness.contract import Contract, default_contract
from harness.decide.examples import catalogue_gaps
from harness.decide.explain import explain
from harness.errors import HarnessError
from harness.evaluate.metrics import LabelCount, LabelScore
from harness.generate import generate
from harness.model import Decision, Ticket
from harness.serve import State
from tests.support import FIXTURES

BUNDLED = default_contract()
CUSTOM = dataclasses.replace(
    BUNDLED,
    issues={**BUNDLED.issues, "shopper": (*BUNDLED.issues["shopper"], "warranty")},
    findings=(*BUNDLED.findings, "needs-screenshot"),
)

EXTRA_RULES = """
  - id: i-warranty
    description: warranty
    source: test
    priority: 10
    set: {issue: warranty}
    when: {phrases: [warranty]}
    examples: {match: ["warranty"], no_match: ["x"]}
"""
SCREENSHOT_RULE = """
  - id: l-screenshot
    description: something broken, no picture of it
    source: test
    finding: needs-screenshot
    message: attach a photo
    when: {phrases: [broken]}
    examples: {match: ["broken"], no_match: ["x"]}
"""
SCENARIOS = """\
- id: w1
  ticket: {text: "warranty for my broken blender"}
  expect: {persona: shopper, issue: warranty, channel: shopper_app_help, findings: [needs-screenshot]}
- id: w2
  ticket: {text: "refund please, order 123456"}
  expect: {persona: shopper, issue: refund, channel: shopper_app_help, findings: []}
- id: w3
  ticket: {text: "broken package"}
  expect: {persona: shopper, issue: order, channel: shopper_app_help, findings: [missing-order-id]}
"""


@pytest.fixture
def inputs(write) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    mini = (FIXTURES / "mini_rules" / "rules.yaml").read_text(encoding="utf-8")
    rules = mini.replace("\nlint:", EXTRA_RULES + "lint:", 1) + SCREENSHOT_RULE
    root = write({"rules/rules.yaml": rules, "scenarios/w.yaml": SCENARIOS})
    return root / "rules", root / "scenarios"


def test_labels_valid_only_under_the_given_contract_load_only_with_it(inputs: tuple[Path, Path]) -> None:
    rules_dir, scenarios_dir = inputs
    rules = harness.load_rules(rules_dir, contract=CUSTOM)
    assert rules.contract == CUSTOM
    assert [s.id for s in harness.load_scenarios(scenarios_dir, contract=CUSTOM)] == ["w1", "w2", "w3"]
    # The first load was cached: the bundled contract must not read it back as checked.
    with pytest.raises(HarnessError) as rules_error:
        harness.load_rules(rules_dir)
    messages = [p.message for p in rules_error.value.problems]
    assert [m.split(";")[0] for m in messages] == ["unknown issue 'warranty'", "unknown finding 'needs-screenshot'"]
    with pytest.raises(HarnessError) as scenarios_error:
        harness.load_scenarios(scenarios_dir)
    assert [(p.item, p.message.split(";")[0]) for p in scenarios_error.value.problems] == [
        ("scenario 'w1'", "unknown issue 'warranty'"),
        ("scenario 'w1'", "unknown finding 'needs-screenshot'"),
    ]
    # ...and the custom contract reads its own entry back.
    assert harness.load_rules(rules_dir, contract=CUSTOM).contract == CUSTOM


def test_scores_and_label_support_follow_the_rules_contract(inputs: tuple[Path, Path]) -> None:
    rules_dir, scenarios_dir = inputs
    rules = harness.load_rules(rules_dir, contract=CUSTOM)
    metrics = harness.evaluate(rules, harness.load_scenarios(scenarios_dir, contract=CUSTOM)).metrics
    detail = metrics.detailed()
    # The findings table lists the custom finding: tp w1, fp w3.
    assert tuple(detail.findings.labels) == CUSTOM.findings
    assert detail.findings.labels["needs-screenshot"] == LabelScore(0.5, 1.0, 2 / 3, 1, 2)
    # The issue's labels are the contract's, in its order (warranty among the shopper's issues,
    # not appended as a label the contract lacks), and nothing was unroutable.
    issue = detail.fields["issue"]
    assert issue.confusion.labels == CUSTOM.all_issues
    assert issue.labels["warranty"] == LabelScore(1.0, 1.0, 1.0, 1, 1)
    support = metrics.label_support
    assert tuple(support.support["issue"]) == CUSTOM.all_issues
    assert (support.support["issue"]["warranty"], support.support["finding"]["needs-screenshot"]) == (1, 1)
    assert support.below_threshold == (
        LabelCount("persona", "shopper", 3),
        LabelCount("issue", "order", 1),
        LabelCount("issue", "refund", 1),
        LabelCount("issue", "warranty", 1),
        LabelCount("channel", "shopper_app_help", 3),
        LabelCount("finding", "missing-order-id", 1),
        LabelCount("finding", "needs-screenshot", 1),
    )
    assert (metrics.passed, metrics.findings_exact_match) == (2, 2 / 3)


def test_worker_processes_rebuild_the_rules_under_the_contract_they_were_sent(inputs: tuple[Path, Path]) -> None:
    """Workers rebuild the rules from their texts: under the bundled contract `warranty` would be
    an unknown label and the pool would break."""
    rules_dir, scenarios_dir = inputs
    rules = harness.load_rules(rules_dir, contract=CUSTOM)
    scenarios = harness.load_scenarios(scenarios_dir, contract=CUSTOM)
    one, two = (harness.evaluate(rules, scenarios, workers=n).metrics.to_json() for n in (1, 2))
    assert two == one
    assert two["fields"]["issue"]["labels"]["warranty"]["support"] == 1


def test_explanations_and_catalogue_gaps_name_the_contracts_issues(inputs: tuple[Path, Path]) -> None:
    rules = harness.load_rules(inputs[0], contract=CUSTOM)
    assert "issue 'warranty' has no catalogue entry" in catalogue_gaps(rules)
    undecided = Decision("shopper", "unroutable", "unroutable")
    issue = explain(undecided, Ticket("hello"), rules.contract)[1]
    assert issue.next_step == (
        "ask what went wrong; a shopper's issues are: order, refund, return, payment, cancellation,"
        " warranty, policy_disagreement, technical, escalation"
    )


def test_the_workbench_loads_with_its_contract(inputs: tuple[Path, Path]) -> None:
    rules_dir, scenarios_dir = inputs
    custom = State(str(rules_dir), [str(scenarios_dir)], CUSTOM).reload()
    assert custom.problems == () and custom.current is not None
    assert custom.current.rules.contract == CUSTOM
    bundled = State(str(rules_dir), [str(scenarios_dir)]).reload()
    assert bundled.current is None and bundled.problems


def test_generated_findings_follow_the_contracts_order() -> None:
    reversed_findings = dataclasses.replace(BUNDLED, findings=tuple(reversed(BUNDLED.findings)))

    def findings(contract: Contract) -> list[list[str]]:
        records = generate(300, 4, contract)
        return [r["expect"]["findings"] for r in records if len(r["expect"].get("findings") or ()) > 1]

    bundled, reordered = findings(BUNDLED), findings(reversed_findings)
    assert bundled and reordered == [list(reversed(f)) for f in bundled]
    assert all(f == sorted(f, key=BUNDLED.findings.index) for f in bundled)
