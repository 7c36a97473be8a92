"""One scenario's outcome set against its labels."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from harness.decide.run import Outcome
from harness.model import FIELDS, Scenario


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    outcome: Outcome
    branches: frozenset[tuple[str, int, int]] = frozenset()  # pattern alternatives that matched

    def predicted(self, name: str) -> str:
        value: str = getattr(self.outcome.decision, name)
        return value

    def expected(self, name: str) -> str:
        value: str = getattr(self.scenario.expect, name)
        return value

    def correct(self, name: str) -> bool:
        return self.predicted(name) == self.expected(name)

    # Cached: every tally a result counts in (the corpus's and each slice's) asks again.
    @cached_property
    def fields_correct(self) -> bool:
        return all(self.correct(name) for name in FIELDS)

    @cached_property
    def findings_correct(self) -> bool | None:
        expected = self.scenario.expect.findings
        return None if expected is None else expected == self.outcome.finding_ids

    @cached_property
    def passed(self) -> bool:
        return self.fields_correct and self.findings_correct is not False

    @cached_property
    def failed_fields(self) -> tuple[str, ...]:
        wrong = tuple(name for name in FIELDS if not self.correct(name))
        return wrong + (("findings",) if self.findings_correct is False else ())
