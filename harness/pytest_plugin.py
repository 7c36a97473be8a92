"""pytest plugin (entry point `pytest11`): labelled scenarios, and optionally the rules' inline
examples, as test items.

    pytest --harness-scenarios scenarios [--harness-rules rules] [--harness-examples]
           [--harness-tag T ...] [--harness-id PATTERN ...] [-m holdout]

Items are named by file, relative to pytest's rootdir: `scenarios/persona.yaml::pa-005` for a
scenario, `rules/routing.yaml::persona-seller-text::match-1` (or `no_match-2`) for the first
`match:` (second `no_match:`) example of a rule. A file outside the rootdir is named by its
relative path from it (`../corpus/a.yaml::x`).

Markers: every item carries `harness` (`-m harness` runs only these, `-m "not harness"` only the
project's own tests), and a scenario one marker per tag, so `-m holdout` runs the holdout split.
A tag is its own marker when it is a plain name (an ASCII letter, then letters, digits and `_`)
that is neither a Python keyword (`-m` reads `not`, `and`, `or` as operators) nor a marker
pytest or a plugin already defines (a tag `skip` or `xfail` must not skip the scenario); any
other tag is marked `tag_` followed by the tag with each character other than a letter, digit or
`_` replaced by `_` (`hold out` and `hold-out` are both `tag_hold_out`). Every marker is
registered, so `--strict-markers` accepts them and `pytest --markers` lists them.

`--harness-tag T` (every one given must be carried) and `--harness-id PATTERN` (a glob; any one
must match the id, case-sensitively) choose scenarios exactly, as `harness evaluate --tag/--id`
do; the others are reported as deselected. They apply to scenarios, not to inline examples.
"""

from __future__ import annotations

import keyword
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from harness.decide.examples import ExampleResult, check_examples
from harness.decide.run import run
from harness.errors import HarnessError
from harness.evaluate.result import ScenarioResult
from harness.load.rules import load_rules
from harness.load.scenarios import load_scenarios
from harness.load.select import Selection
from harness.model import Scenario
from harness.report.junit import failure_message
from harness.ruleset import RuleSet

MARKER = "harness"
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_OTHER = re.compile(r"[^A-Za-z0-9_]")


@dataclass(frozen=True)
class _Loaded:
    """What the options asked for, read once at configure time (the markers need the tags)."""

    rules: RuleSet
    scenarios: tuple[Scenario, ...]
    markers: dict[str, str]  # tag -> its marker's name
    examples: bool
    selection: Selection


_LOADED = pytest.StashKey[_Loaded]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("harness", "support-routing rules")
    group.addoption(
        "--harness-scenarios",
        action="append",
        default=[],
        metavar="PATH",
        help="run each labelled scenario under PATH (a file or folder; repeatable) as a test",
    )
    group.addoption(
        "--harness-rules", default="rules", metavar="DIR", help="rules directory (default: rules)"
    )
    group.addoption(
        "--harness-examples",
        action="store_true",
        default=False,
        help="also run every rule's inline examples as tests",
    )
    group.addoption(
        "--harness-tag",
        action="append",
        default=[],
        metavar="TAG",
        help="only scenarios carrying TAG (repeatable: every tag given)",
    )
    group.addoption(
        "--harness-id",
        action="append",
        default=[],
        metavar="PATTERN",
        help="only scenarios whose id matches the glob PATTERN (repeatable: any of them)",
    )


def marker_names(tags: Iterable[str], taken: Iterable[str]) -> dict[str, str]:
    """Each tag's marker name; `taken` are the markers defined already (see the module's doc)."""
    reserved = {MARKER, *taken}
    names: dict[str, str] = {}
    for tag in tags:
        if tag in names:
            continue
        plain = _PLAIN.fullmatch(tag) and not keyword.iskeyword(tag) and tag not in reserved
        names[tag] = tag if plain else "tag_" + _OTHER.sub("_", tag)
    return names


def _defined_markers(config: pytest.Config) -> set[str]:
    # Lines read "name: help" or "name(args): help", as pytest itself splits them.
    return {line.split(":")[0].split("(")[0].strip() for line in config.getini("markers")}


@pytest.hookimpl(trylast=True)  # after every other plugin has registered its markers
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}: a labelled scenario or rule example of the harness")
    paths: list[str] = config.getoption("harness_scenarios")
    examples: bool = config.getoption("harness_examples")
    if not paths and not examples:
        return
    try:
        rules = load_rules(config.getoption("harness_rules"))
        scenarios = tuple(load_scenarios(paths)) if paths else ()
    except HarnessError as exc:
        raise pytest.UsageError(str(exc)) from None
    taken = _defined_markers(config)
    markers = marker_names((tag for s in scenarios for tag in s.tags), taken)
    for name in sorted(set(markers.values()) - taken):
        tags = ", ".join(repr(tag) for tag, marker in markers.items() if marker == name)
        config.addinivalue_line("markers", f"{name}: harness scenarios tagged {tags}")
    selection = Selection(
        tags=tuple(config.getoption("harness_tag")), ids=tuple(config.getoption("harness_id"))
    )
    config.stash[_LOADED] = _Loaded(rules, scenarios, markers, examples, selection)


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
    def __init__(self, *, check: ExampleResult, **kwargs: Any) -> None:
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


class HarnessFile(pytest.File):
    """A scenario or rule file; its items are made by the plugin, never by collecting it."""

    def collect(self) -> Iterator[pytest.Item | pytest.Collector]:
        return iter(())


class RuleNode(pytest.Collector):
    """A rule, the parent of its examples' items (so they read `file::rule::match-1`)."""

    def collect(self) -> Iterator[pytest.Item | pytest.Collector]:
        return iter(())


def _node_id(config: pytest.Config, label: str) -> str:
    """A file's path relative to the rootdir, in pytest's spelling (forward slashes)."""
    path = Path(label).resolve()
    root = config.rootpath
    relative = path.relative_to(root) if path.is_relative_to(root) else Path(os.path.relpath(path, root))
    return relative.as_posix()


class _Files:
    """One HarnessFile node per file label, made on first use."""

    def __init__(self, session: pytest.Session) -> None:
        self.session = session
        self.nodes: dict[str, HarnessFile] = {}

    def __call__(self, label: str) -> HarnessFile:
        if label not in self.nodes:
            node_id = _node_id(self.session.config, label)
            self.nodes[label] = HarnessFile.from_parent(
                self.session, path=Path(label).resolve(), name=node_id, nodeid=node_id
            )
        return self.nodes[label]


def _scenario_items(loaded: _Loaded, files: _Files) -> Iterator[ScenarioItem]:
    for scenario in loaded.scenarios:
        item = ScenarioItem.from_parent(
            files(scenario.location.file), name=scenario.id, scenario=scenario, rules=loaded.rules
        )
        item.add_marker(MARKER)
        for tag in dict.fromkeys(scenario.tags):
            item.add_marker(loaded.markers[tag])
        yield item


def _example_items(loaded: _Loaded, files: _Files) -> Iterator[ExampleItem]:
    parents: dict[str, RuleNode] = {}
    counts: dict[tuple[str, bool], int] = {}
    for check in check_examples(loaded.rules):
        rule = check.rule
        if rule.id not in parents:
            parents[rule.id] = RuleNode.from_parent(files(rule.location.file), name=rule.id)
        key = (rule.id, check.example.should_match)
        counts[key] = counts.get(key, 0) + 1
        name = f"{'match' if check.example.should_match else 'no_match'}-{counts[key]}"
        item = ExampleItem.from_parent(parents[rule.id], name=name, check=check)
        item.add_marker(MARKER)
        yield item


@pytest.hookimpl(tryfirst=True)  # before -m and -k deselect, so they see these items too
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    loaded = config.stash.get(_LOADED, None)
    if loaded is None:
        return
    files = _Files(session)
    made: list[pytest.Item] = list(_scenario_items(loaded, files))
    if loaded.examples:
        made.extend(_example_items(loaded, files))
    # Reported as collected, file by file, as pytest's own collection does: the terminal counts
    # "collected N items" (and "N/M tests collected") from these reports.
    by_file: dict[str, list[pytest.Item]] = {}
    for item in made:
        by_file.setdefault(item.listchain()[1].nodeid, []).append(item)
    for node_id, found in by_file.items():
        report = pytest.CollectReport(node_id, "passed", None, list(found))
        config.hook.pytest_collectreport(report=report)
    chosen = [i for i in made if not isinstance(i, ScenarioItem) or loaded.selection.matches(i.scenario)]
    dropped = [i for i in made if isinstance(i, ScenarioItem) and not loaded.selection.matches(i.scenario)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items.extend(chosen)
