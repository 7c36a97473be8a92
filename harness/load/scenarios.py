"""Load labelled scenarios from files or directories: YAML lists, JSON Lines, CSV or Parquet.

Scenarios are yielded one at a time as they are read, so a corpus of millions of rows costs the
memory of one row (and of an 8-byte hash per id, to find duplicates); only a YAML file is read
whole, under its 64 MiB limit.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from harness.contract import Contract, default_contract
from harness.errors import HarnessError, Location, Problem
from harness.load.source import Document, JsonPath, excerpt, parse_yaml, read_json_lines, read_text
from harness.load.tabular import read_csv, read_parquet
from harness.load.validate import contract_schema, validate
from harness.model import Expectation, Scenario, Ticket

# A format read row by row; any other suffix (.yaml, .yml, a file named on the command line) is YAML.
_STREAMED: dict[str, Callable[[Path, str], Iterator[Document | Problem]]] = {
    ".jsonl": read_json_lines,
    ".csv": read_csv,
    ".parquet": read_parquet,
}
SCENARIO_SUFFIXES = (".yaml", ".yml", *_STREAMED)

# A scenario's data and where in its document it is, or why a row could not be read.
Record = tuple[Document, JsonPath] | Problem


def scenario_files(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in SCENARIO_SUFFIXES and p.is_file())
            if not found:
                kinds = ", ".join(f"*{suffix}" for suffix in SCENARIO_SUFFIXES)
                raise HarnessError.at(Location(str(path)), f"no scenario files ({kinds}) here; check the path")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise HarnessError.at(Location(str(path)), "scenario path not found; check the path")
    return files


def _yaml_records(path: Path, label: str) -> Iterator[Record]:
    text = read_text(path, label)
    doc = parse_yaml(text, label, top_items=None)  # a corpus file may hold any number of scenarios
    if doc.data is None:
        return
    if not isinstance(doc.data, list):
        raise HarnessError.at(doc.where(()), "a scenario file must be a YAML list of scenarios (- id: ...)")
    for index in range(len(doc.data)):
        yield doc, (index,)


def _records(path: Path, label: str) -> Iterator[Record]:
    read = _STREAMED.get(path.suffix)
    if read is None:
        yield from _yaml_records(path, label)
        return
    for record in read(path, label):
        yield record if isinstance(record, Problem) else (record, ())


@dataclass(frozen=True)
class _Shape:
    """The scenario schema's keys, labels and limits, read from the schema with a contract's labels."""

    keys: frozenset[str]
    ticket_keys: frozenset[str]
    expect_keys: frozenset[str]
    id_length: tuple[int, int]  # fewest, most characters
    source_length: tuple[int, int]
    text_length: tuple[int, int]
    attachments: tuple[int, tuple[int, int]]  # most items, characters of an item
    tags: tuple[int, tuple[int, int]]
    ticket_personas: frozenset[str | None]  # None in a label set: null is allowed
    arrivals: frozenset[str | None]
    personas: frozenset[str | None]
    issues: frozenset[str | None]
    channels: frozenset[str | None]
    findings: frozenset[str | None]
    contract: Contract  # whose labels these are


def _length(node: dict[str, Any]) -> tuple[int, int]:
    return node.get("minLength", 0), node["maxLength"]


def _list_limits(node: dict[str, Any]) -> tuple[int, tuple[int, int]]:
    return node["maxItems"], _length(node["items"])


@cache
def _shape(contract: Contract) -> _Shape:
    scenario_schema = contract_schema("scenario.schema.json", contract)
    top = scenario_schema["properties"]
    ticket, expect = top["ticket"]["properties"], top["expect"]["properties"]

    def labels(node: dict[str, Any]) -> frozenset[str | None]:
        return frozenset(scenario_schema["$defs"][node["$ref"].removeprefix("#/$defs/")]["enum"])

    return _Shape(
        keys=frozenset(top),
        ticket_keys=frozenset(ticket),
        expect_keys=frozenset(expect),
        id_length=_length(top["id"]),
        source_length=_length(top["source"]),
        text_length=_length(ticket["text"]),
        attachments=_list_limits(ticket["attachments"]),
        tags=_list_limits(top["tags"]),
        ticket_personas=labels(ticket["persona"]),
        arrivals=labels(ticket["submitted_via"]),
        personas=labels(expect["persona"]),
        issues=labels(expect["issue"]),
        channels=labels(expect["channel"]),
        findings=labels(expect["findings"]["items"]),
        contract=contract,
    )


def _is_label(value: Any, labels: frozenset[str | None]) -> bool:
    """`value` (None when absent) is in `labels`; the type test first, as a list cannot be hashed."""
    return (type(value) is str or value is None) and value in labels


def _text(value: Any, length: tuple[int, int]) -> bool:
    return type(value) is str and length[0] <= len(value) <= length[1]


def _texts(value: Any, limits: tuple[int, tuple[int, int]]) -> bool:
    """None, or a list of at most limits[0] strings, each of a length within limits[1]."""
    most, length = limits
    return value is None or (type(value) is list and len(value) <= most and all(_text(v, length) for v in value))


def _plainly_valid(data: dict[str, Any], shape: _Shape) -> bool:
    """A by-hand check of the usual shape of a scenario, ~100 times faster than jsonschema. It
    accepts nothing the schema refuses; whatever it refuses (a wrong value, or a rare valid form
    such as an id of 1.0) goes to jsonschema for the verdict and the message."""
    sid, ticket, expect = data.get("id"), data.get("ticket"), data.get("expect")
    if not (type(ticket) is dict and type(expect) is dict and data.keys() <= shape.keys):
        return False
    source, findings = data.get("source"), expect.get("findings")
    return (
        (_text(sid, shape.id_length) or type(sid) is int)
        and (source is None or _text(source, shape.source_length))
        and _texts(data.get("tags"), shape.tags)
        and ticket.keys() <= shape.ticket_keys
        and _text(ticket.get("text"), shape.text_length)
        and _is_label(ticket.get("persona"), shape.ticket_personas)
        and _is_label(ticket.get("submitted_via"), shape.arrivals)
        and _texts(ticket.get("attachments"), shape.attachments)
        and expect.keys() <= shape.expect_keys
        and _is_label(expect.get("persona"), shape.personas)
        and _is_label(expect.get("issue"), shape.issues)
        and _is_label(expect.get("channel"), shape.channels)
        and (
            findings is None
            or (
                type(findings) is list
                and all(_is_label(f, shape.findings) for f in findings)
                and len(set(findings)) == len(findings)
            )
        )
    )


def _same(item: str) -> Callable[[JsonPath], str]:
    """Every problem inside a scenario names the scenario."""
    return lambda _path: item


def _item(data: Any) -> str:
    sid = data.get("id") if isinstance(data, dict) else None
    return f"scenario {excerpt(str(sid))}" if isinstance(sid, str | int) else "scenario"


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


# str's hash is 64-bit SipHash with a key drawn per process: stable within a run, and no input can
# be crafted to collide (a false duplicate needs ~4 billion ids by chance).
_HASH_MASK = (1 << sys.hash_info.width) - 1


class _HashSet:
    """A set of non-zero 64-bit hashes in one flat array (open addressing): 8 to 32 bytes an entry,
    where a Python set of ints costs ~80."""

    def __init__(self) -> None:
        self._slots = array("Q", bytes(8 * 1024))
        self._count = 0

    def add(self, key: int) -> bool:
        """Add `key`; False when it was there already."""
        slots = self._slots
        mask = len(slots) - 1
        at = key & mask
        while found := slots[at]:
            if found == key:
                return False
            at = (at + 1) & mask
        slots[at] = key
        self._count += 1
        if 2 * self._count > len(slots):  # at most half full keeps probe runs short
            self._grow()
        return True

    def _grow(self) -> None:
        old, self._slots, self._count = self._slots, array("Q", bytes(16 * len(self._slots))), 0
        for key in old:
            if key:
                self.add(key)


class _SeenIds:
    """The ids of the scenarios read so far, as 8-byte hashes. A YAML file is held whole with a
    location per node anyway, so within one the first location of each id is kept too and a
    duplicate names it."""

    def __init__(self) -> None:
        self._hashes = _HashSet()
        self._first: dict[int, Location] | None = None

    def start_file(self, keep_locations: bool) -> None:
        self._first = {} if keep_locations else None

    def duplicate(self, sid: str, where: Location) -> str | None:
        """Why `sid` cannot be used (a message), or None after recording it."""
        key = (hash(sid) & _HASH_MASK) or 1  # 0 marks an empty slot
        if self._hashes.add(key):
            if self._first is not None:
                self._first[key] = where
            return None
        first = self._first.get(key) if self._first is not None else None
        if first is None:
            return "duplicate scenario id (an earlier scenario has it); give it a new id"
        return f"duplicate scenario id, first at {first}; give it a new id"


def _checked(doc: Document, base: JsonPath, ids: _SeenIds, shape: _Shape) -> Scenario | list[Problem]:
    """The scenario at `base` in `doc`, or its problems (its labels checked against `shape.contract`)."""
    data = doc.data
    for part in base:
        data = data[part]
    where = doc.where(base)
    if not isinstance(data, dict):
        return [Problem(where, _item(data), "a scenario must be a mapping with id, ticket and expect")]
    if not _plainly_valid(data, shape):
        found = validate("scenario.schema.json", doc, data, base, _same(_item(data)), shape.contract)
        if found:
            return found
    scenario = _scenario(data, where)
    duplicate = ids.duplicate(scenario.id, where)
    return [Problem(where, _item(data), duplicate)] if duplicate else scenario


def _file_scenarios(path: Path, label: str, ids: _SeenIds, shape: _Shape) -> Iterator[Scenario | list[Problem]]:
    """Each row of the file as a scenario or a list of its problems; raises HarnessError for a
    problem with the whole file (unreadable, bad syntax, bad header), after the rows before it."""
    ids.start_file(keep_locations=path.suffix not in _STREAMED)
    for record in _records(path, label):
        yield [record] if isinstance(record, Problem) else _checked(*record, ids, shape)


def _label(path: Path, shown_as: tuple[Path, str] | None) -> str:
    if shown_as is not None and path.is_relative_to(shown_as[0]):
        return f"{shown_as[1]}/{path.relative_to(shown_as[0])}"
    return str(path)


def iter_scenarios(
    paths: Sequence[str | Path],
    shown_as: tuple[Path, str] | None = None,
    skip_invalid: bool = False,
    skipped: list[Problem] | None = None,
    contract: Contract | None = None,
) -> Iterator[Scenario]:
    """Stream scenarios row by row. Every file's problems are raised together as one HarnessError at
    the end, and no scenario is yielded after the first problem (the caller writes nothing).

    With `skip_invalid`, a bad row (invalid, a duplicate id, unreadable JSON, over the record limit)
    is left out and its first problem appended to `skipped`; a bad file is still an error.
    `shown_as` (a directory and its label) renames files under the directory in every location.
    `contract`: the labels scenarios may name (default: the bundled contract)."""
    shape = _shape(default_contract() if contract is None else contract)
    ids = _SeenIds()
    problems: list[Problem] = []
    for path in scenario_files(paths):
        try:
            for found in _file_scenarios(path, _label(path, shown_as), ids, shape):
                if isinstance(found, Scenario):
                    if not problems:
                        yield found
                elif skip_invalid:
                    if skipped is not None:
                        skipped.append(min(found))
                else:
                    problems.extend(found)
        except HarnessError as exc:
            problems.extend(exc.problems)
    if problems:
        raise HarnessError(problems)


def load_scenarios(
    paths: str | Path | Sequence[str | Path] = "scenarios",
    shown_as: tuple[Path, str] | None = None,
    skip_invalid: bool = False,
    skipped: list[Problem] | None = None,
    contract: Contract | None = None,
) -> list[Scenario]:
    """Load every scenario under `paths` (see iter_scenarios). Raises HarnessError on bad input or
    an empty corpus."""
    listed = [paths] if isinstance(paths, str | Path) else list(paths)
    scenarios = list(iter_scenarios(listed, shown_as, skip_invalid, skipped, contract))
    if not scenarios:
        raise HarnessError.at(
            Location(", ".join(str(p) for p in listed)),
            "the corpus is empty: no scenarios found; add scenarios",
        )
    return scenarios
