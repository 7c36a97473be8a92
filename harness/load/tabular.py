"""Scenarios as flat tables, one scenario a row: CSV and Parquet, read as a stream.

Both formats share one column layout and one row -> mapping step, so a row becomes the very mapping
a YAML or JSON Lines scenario is and goes through the same validation and the same messages.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from harness.errors import HarnessError, Location, Problem
from harness.load.source import (
    MAX_RECORD_BYTES,
    RECORD_TOO_LONG,
    Document,
    bounded_lines,
    decode_line,
    excerpt,
    open_binary,
)
from harness.load.validate import did_you_mean

# Each column and where its value goes in the scenario mapping (the layout `harness generate` writes).
PLACES: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "text": ("ticket", "text"),
    "persona": ("ticket", "persona"),
    "submitted_via": ("ticket", "submitted_via"),
    "attachments": ("ticket", "attachments"),
    "expect_persona": ("expect", "persona"),
    "expect_issue": ("expect", "issue"),
    "expect_channel": ("expect", "channel"),
    "expect_findings": ("expect", "findings"),
    "tags": ("tags",),
    "source": ("source",),
}
COLUMNS = tuple(PLACES)
_TARGETS = {column: ("" if len(place) == 1 else place[0], place[-1]) for column, place in PLACES.items()}
REQUIRED_COLUMNS = ("id", "text", "expect_persona", "expect_issue", "expect_channel")
LIST_COLUMNS = frozenset({"attachments", "expect_findings", "tags"})
LIST_SEPARATOR = ";"
NO_FINDINGS = "none"  # an expect_findings cell saying "labelled: no findings" (an empty cell: not labelled)
PARQUET_BATCH_ROWS = 4096  # rows turned into Python objects at a time


def _split(column: str, cell: str) -> list[str] | None:
    """A `;`-joined list cell: items stripped, empty ones dropped, None when none is left; `none`
    in expect_findings is the empty list (labelled: no findings)."""
    if column == "expect_findings" and cell.strip() == NO_FINDINGS:
        return []
    items = [item.strip() for item in cell.split(LIST_SEPARATOR)]
    return [item for item in items if item] or None


def scenario_data(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row (column name -> cell) as a scenario mapping. An empty cell or null leaves its field out,
    so a required field left empty is reported as a missing key; a list cell is a list (Parquet) or
    a `;`-joined string."""
    data: dict[str, Any] = {"ticket": {}, "expect": {}}
    for column, cell in row.items():
        if column in LIST_COLUMNS and type(cell) is str:
            cell = _split(column, cell) if cell else None
        if cell is None or cell == "":
            continue
        parent, key = _TARGETS[column]
        (data[parent] if parent else data)[key] = cell
    return data


def _check_columns(names: Sequence[str], where: Location) -> None:
    """Raise HarnessError naming every unknown, repeated or missing column of the header."""
    counts = Counter(names)
    problems = [
        Problem(
            where,
            "",
            f"unknown column {excerpt(name)}{did_you_mean(name[:100], COLUMNS)}; remove it or correct the spelling",
        )
        for name in counts
        if name not in PLACES
    ]
    problems += [
        Problem(where, "", f"column {excerpt(name)} appears {count} times; keep one")
        for name, count in counts.items()
        if count > 1
    ]
    problems += [Problem(where, "", f"missing column {name!r}; add it") for name in REQUIRED_COLUMNS if name not in counts]
    if problems:
        raise HarnessError(problems)


def _document(row: Mapping[str, Any], where: Location) -> Document:
    return Document(scenario_data(row), where.file, {(): where}, {})


class _CsvLines:
    """A CSV file's lines as text for csv.reader, counting lines and the bytes of the record in
    progress (csv.reader asks for a line only when its record needs one, so a record's lines are
    exactly those read between two rows)."""

    def __init__(self, stream: Iterator[bytes], label: str) -> None:
        self._raw = stream
        self.label = label
        self.line = 0  # lines read so far
        self.record_start = 1
        self._record_bytes = 0

    def next_record(self) -> None:
        self.record_start = self.line + 1
        self._record_bytes = 0

    def __iter__(self) -> Iterator[str]:
        for raw in self._raw:
            self.line += 1
            self._record_bytes += len(raw)
            if self._record_bytes > MAX_RECORD_BYTES:  # no way to find where the record ends: stop here
                raise HarnessError.at(
                    Location(self.label, self.record_start), f"{RECORD_TOO_LONG} or close the quote left open in it"
                )
            text = decode_line(raw, self.label, self.line)
            yield text.removeprefix("\ufeff") if self.line == 1 else text  # a byte order mark from Excel


def _csv_rows(lines: _CsvLines) -> Iterator[list[str]]:
    """csv.reader's rows; a syntax error (a stray quote) ends the file as a HarnessError."""
    reader = csv.reader(lines, strict=True)
    try:
        yield from reader
    except csv.Error as exc:
        raise HarnessError.at(Location(lines.label, lines.line), f"CSV syntax error: {exc}; fix the quoting") from None


def read_csv(path: Path, label: str) -> Iterator[Document | Problem]:
    """Each row of a CSV file (header first) as a scenario document located at the line where the
    row starts; a row of the wrong width comes as its Problem. Raises HarnessError for a bad header,
    bad quoting, a record over the limit or bytes that are not UTF-8."""
    # Cells are bounded by the record limit instead; csv's own default is below a ticket's limit.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_RECORD_BYTES))
    with open_binary(path, label) as stream:
        lines = _CsvLines(bounded_lines(stream), label)
        rows = _csv_rows(lines)
        header = next(rows, None)
        if header is None:
            return
        _check_columns(header, Location(label, 1))
        lines.next_record()
        for cells in rows:
            where = Location(label, lines.record_start)
            lines.next_record()
            if not any(cells):  # a blank line, or a spreadsheet's empty row (,,,)
                continue
            if len(cells) != len(header):
                cells_are = "1 cell" if len(cells) == 1 else f"{len(cells)} cells"
                yield Problem(
                    where, "", f"the row has {cells_are}, the header {len(header)}; quote a cell holding a comma"
                )
                continue
            yield _document(dict(zip(header, cells, strict=True)), where)


def _parquet_rows(path: Path, label: str) -> Iterator[dict[str, Any]]:
    """The rows of a Parquet file as mappings, a batch at a time; raises HarnessError when the file
    is not Parquet or its header is bad."""
    # Imported here: pyarrow takes a good part of a second to import, and only Parquet needs it.
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

    with open_binary(path, label) as stream:
        try:
            table = pq.ParquetFile(stream)
            _check_columns(table.schema_arrow.names, Location(label))
            # Memory is one row group's: pyarrow reads a group's column chunks whole, and one reader
            # over several groups keeps every group it has read until it ends.
            for group in range(table.num_row_groups):
                for batch in table.iter_batches(batch_size=PARQUET_BATCH_ROWS, row_groups=[group]):
                    yield from batch.to_pylist()
        except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
            raise HarnessError.at(
                Location(label), f"cannot read as Parquet ({str(exc)[:200]}); check that it is a Parquet file"
            ) from None


def read_parquet(path: Path, label: str) -> Iterator[Document]:
    """Each row of a Parquet file as a scenario document, located as `label:N` for the N-th row
    (from 1). String and list<string> columns are expected; a cell of another type is the
    validation's to report."""
    for number, row in enumerate(_parquet_rows(path, label), 1):
        yield _document(row, Location(label, number))
