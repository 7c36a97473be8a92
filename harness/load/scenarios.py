"""Load labelled scenarios: YAML lists or JSON Lines, from files or directories."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from harness.errors import HarnessError, Location, Problem
from harness.load.source import Document, JsonPath, excerpt, parse_yaml, read_json_lines, read_text
from harness.load.validate import validate
from harness.model import Expectation, Scenario, Ticket

SCENARIO_SUFFIXES = (".yaml", ".yml", ".jsonl")


def scenario_files(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in SCENARIO_SUFFIXES and p.is_file())
            if not found:
                raise HarnessError.at(
                    Location(str(path)), "no scenario files (*.yaml, *.jsonl) here; check the path"
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise HarnessError.at(Location(str(path)), "scenario path not found; check the path")
    return files


def _records(path: Path, label: str) -> Iterator[tuple[Document, JsonPath]]:
    if path.suffix == ".jsonl":
        for doc in read_json_lines(path, label):
            yield doc, ()
        return
    text = read_text(path, label)
    doc = parse_yaml(text, label, top_items=None)  # a corpus file may hold any number of scenarios
    if doc.data is None:
        return
    if not isinstance(doc.data, list):
        raise HarnessError.at(doc.where(()), "a scenario file must be a YAML list of scenarios (- id: ...)")
    for index in range(len(doc.data)):
        yield doc, (index,)


def _same(item: str) -> Callable[[JsonPath], str]:
    """Every problem inside a scenario names the scenario."""
    return lambda _path: item


def _scenario(data: dict[str, Any], where: Location) -> Scenario:
    ticket, expect = data["ticket"], data["expect"]
    findings = expect.get("findings")
    return Scenario(
        id=str(data["id"]),
        ticket=Ticket(
            text=ticket["text"],
            persona=ticket.get("persona"),
            submitted_via=ticket.get("submitted_via"),
            attachments=tuple(ticket.get("attachments") or ()),
        ),
        expect=Expectation(
            expect["persona"],
            expect["issue"],
            expect["channel"],
            None if findings is None else frozenset(findings),
        ),
        location=where,
        tags=tuple(data.get("tags") or ()),
        source=data.get("source"),
    )


def iter_scenarios(
    paths: Sequence[str | Path], shown_as: tuple[Path, str] | None = None
) -> Iterator[Scenario]:
    """Stream scenarios file by file; raises HarnessError at the first bad file or duplicate id.

    `shown_as` (a directory and its label) renames files under the directory in every location."""
    seen: dict[str, Location] = {}
    problems: list[Problem] = []  # every file's problems are reported together (the yamllint habit)
    for path in scenario_files(paths):
        label = str(path)
        if shown_as is not None and path.is_relative_to(shown_as[0]):
            label = f"{shown_as[1]}/{path.relative_to(shown_as[0])}"
        try:
            batch = _file_scenarios(path, label, seen, problems)
        except HarnessError as exc:
            problems.extend(exc.problems)
            continue
        if not problems:
            yield from batch
    if problems:
        raise HarnessError(problems)


def _file_scenarios(path: Path, label: str, seen: dict[str, Location], problems: list[Problem]) -> list[Scenario]:
    batch: list[Scenario] = []
    for doc, base in _records(path, label):
        data = doc.data
        for part in base:
            data = data[part]
        where = doc.where(base)
        sid = data.get("id") if isinstance(data, dict) else None
        item = f"scenario {excerpt(str(sid))}" if isinstance(sid, str | int) else "scenario"
        if not isinstance(data, dict):
            problems.append(Problem(where, item, "a scenario must be a mapping with id, ticket and expect"))
            continue
        found = validate("scenario.schema.json", doc, data, base, _same(item))
        if found:
            problems.extend(found)
            continue
        scenario = _scenario(data, where)
        if scenario.id in seen:
            problems.append(
                Problem(where, item, f"duplicate scenario id, first at {seen[scenario.id]}; give it a new id")
            )
            continue
        seen[scenario.id] = where
        batch.append(scenario)
    return batch


def load_scenarios(
    paths: str | Path | Sequence[str | Path] = "scenarios", shown_as: tuple[Path, str] | None = None
) -> list[Scenario]:
    """Load every scenario under `paths`. Raises HarnessError on bad input or an empty corpus."""
    listed = [paths] if isinstance(paths, str | Path) else list(paths)
    scenarios = list(iter_scenarios(listed, shown_as))
    if not scenarios:
        raise HarnessError.at(
            Location(", ".join(str(p) for p in listed)),
            "the corpus is empty: no scenarios found; add scenarios",
        )
    return scenarios
