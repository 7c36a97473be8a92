"""Each rule's inline examples, one test item per rule, as `harness check` runs them."""

from __future__ import annotations

import pytest

import harness
from harness.decide.examples import check_examples
from tests.support import ROOT

RULES = harness.load_rules(ROOT / "rules")
BY_RULE: dict[str, list[str]] = {}
for result in check_examples(RULES):
    BY_RULE.setdefault(result.rule.id, [])
    if not result.ok:
        BY_RULE[result.rule.id].append(result.describe())


@pytest.mark.parametrize("rule_id", sorted(BY_RULE))
def test_inline_examples(rule_id: str) -> None:
    assert BY_RULE[rule_id] == []


def test_every_rule_has_both_kinds_of_example() -> None:
    for rule in RULES.rules:
        kinds = {example.should_match for example in rule.examples}
        assert kinds == {True, False}, rule.id


def test_a_failing_example_is_reported(write) -> None:  # type: ignore[no-untyped-def]
    from harness.cli import main

    root = write(
        {
            "rules/a.yaml": (ROOT / "tests" / "fixtures" / "mini_rules" / "rules.yaml")
            .read_text()
            .replace(
                'examples: {match: ["refund"], no_match: ["x"]}',
                'examples: {match: ["money back"], no_match: ["x"]}',
            )
        }
    )
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", "--rules", str(root / "rules")])
    assert code == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        f"{root}/rules/a.yaml:28:24: rule 'i-refund': example should match but it did not: 'money back'"
    )
