"""Each rule's inline examples, run through both engines (the way sqlfluff and semgrep test rules)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from harness.decide.run import run
from harness.ruleset import Example, Rule, RuleSet


@dataclass(frozen=True)
class ExampleResult:
    rule: Rule
    example: Example
    fired: bool

    @property
    def ok(self) -> bool:
        return self.fired == self.example.should_match

    def describe(self) -> str:
        wanted = "match" if self.example.should_match else "not match"
        got = "it matched" if self.fired else "it did not"
        return f"{self.example.location}: rule {self.rule.id!r}: example should {wanted} but {got}: {self.example.ticket.text!r}"


def catalogue_gaps(rules: RuleSet) -> list[str]:
    """The rules' contract's channels and issues the catalogue says nothing about (no path, needs or
    expectations)."""
    contract = rules.contract
    gaps = [f"channel {c!r} has no catalogue entry" for c in contract.channels if c not in rules.channels]
    return gaps + [f"issue {i!r} has no catalogue entry" for i in contract.all_issues if i not in rules.issues]


def check_examples(rules: RuleSet, only: Iterable[Rule] | None = None) -> Iterator[ExampleResult]:
    """A rule matches an example when its conditions hold while the whole ticket is routed and linted.
    `only`: the rules whose examples to run (default: every rule)."""
    for rule in rules.rules if only is None else only:
        for example in rule.examples:
            yield ExampleResult(rule, example, rule.id in run(example.ticket, rules).fired)
