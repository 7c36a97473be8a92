"""The inline examples the change makes fail (pure).

Every example is run on the rules now (as `harness check` does, under a second for the bundled
rules); only the failing ones are looked up and run on the baseline, so the baseline costs almost
nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.decide.examples import ExampleResult, check_examples
from harness.decide.run import run
from harness.evaluate.changes import excerpt
from harness.model import Ticket
from harness.ruleset import RuleSet

ExampleKey = tuple[str, bool, Ticket]  # rule id, should match, the ticket


@dataclass(frozen=True)
class FailingExample:
    rule: str
    file: str
    line: int
    description: str
    before: str  # "passed", or "absent" when the rule or this example is new

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "file": self.file,
            "line": self.line,
            "description": self.description,
            "before": self.before,
        }


def _describe(result: ExampleResult) -> str:
    wanted = "match" if result.example.should_match else "not match"
    got = "it matched" if result.fired else "it did not"
    return f"should {wanted} but {got}: {excerpt(result.example.ticket.text)!r}"


def _baseline_examples(rules: RuleSet) -> set[ExampleKey]:
    return {(r.id, e.should_match, e.ticket) for r in rules.rules for e in r.examples}


def now_failing(before: RuleSet, after: RuleSet) -> list[FailingExample]:
    """Examples that fail now and passed at the baseline (or did not exist there), in rule order."""
    existed = _baseline_examples(before)
    found = []
    for result in check_examples(after):
        if result.ok:
            continue
        key = (result.rule.id, result.example.should_match, result.example.ticket)
        if key in existed:
            fired_before = result.rule.id in run(result.example.ticket, before).fired
            if fired_before != result.example.should_match:
                continue  # failing on both sides: not this change's doing
        location = result.example.location
        found.append(
            FailingExample(
                result.rule.id,
                location.file,
                location.line,
                _describe(result),
                "passed" if key in existed else "absent",
            )
        )
    return found
