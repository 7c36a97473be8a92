"""pytest plugin (entry point `pytest11`): `--harness-scenarios PATH` turns each scenario into a test
item named by its id, and each rule's inline examples into items too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.decide.examples import check_examples
from harness.decide.run import run
from harness.errors import HarnessError
from harness.evaluate.result import ScenarioResult
from harness.load.rules import load_rules
from harness.load.scenarios import load_scenarios
from harness.model import Scenario
from harness.report.junit import failure_message
from harness.ruleset import RuleSet


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("harness", "support-routing rules")
    group.addoption(
        "--harness-scenarios",
        action="append",
        default=[],
        metavar="PATH",
        help="run each labelled scenario under PATH as a test",
    )
    group.addoption(
        "--harness-rules", default="rules", metavar="DIR", help="rules directory (default: rules)"
    )


class ScenarioFailure(Exception):
    pass


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario, rules: RuleSet, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.rules = rules

    def runtest(self) -> None:
        result = ScenarioResult(self.scenario, run(self.scenario.ticket, self.rules))
        if not result.passed:
            raise ScenarioFailure(failure_message(result))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailure):
            return f"{self.scenario.location}: scenario {self.scenario.id!r}: {excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return (
            Path(self.scenario.location.file),
            self.scenario.location.line - 1,
            f"scenario {self.scenario.id}",
        )


class ExampleItem(pytest.Item):
    def __init__(self, *, check: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check

    def runtest(self) -> None:
        if not self.check.ok:
            raise ScenarioFailure(self.check.describe())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return str(excinfo.value)

    def reportinfo(self) -> tuple[Path, int, str]:
        where = self.check.example.location
        return Path(where.file), max(where.line - 1, 0), f"example of rule {self.check.rule.id}"


class HarnessCollector(pytest.Collector):
    def __init__(self, *, paths: list[str], rules_dir: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.paths = paths
        self.rules_dir = rules_dir

    def collect(self) -> Iterator[pytest.Item]:
        try:
            rules = load_rules(self.rules_dir)
            scenarios = load_scenarios(self.paths)
        except HarnessError as exc:
            raise pytest.UsageError(str(exc)) from None
        for scenario in scenarios:
            yield ScenarioItem.from_parent(self, name=scenario.id, scenario=scenario, rules=rules)
        counts: dict[str, int] = {}
        for check in check_examples(rules):
            counts[check.rule.id] = counts.get(check.rule.id, 0) + 1
            name = f"{check.rule.id}[example {counts[check.rule.id]}]"
            yield ExampleItem.from_parent(self, name=name, check=check)


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    paths = config.getoption("harness_scenarios")
    if not paths:
        return
    collector = HarnessCollector.from_parent(
        session, name="harness", paths=paths, rules_dir=config.getoption("harness_rules")
    )
    items.extend(collector.collect())
