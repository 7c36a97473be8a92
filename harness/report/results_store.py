"""Per-scenario result rows streamed to results.parquet and results.csv, and read back by position.

Rows arrive chunk by chunk in corpus order and go straight to disk: the CSV line by line, the
Parquet file in row groups. Nothing but the current row group is held, so a corpus of millions
is written in flat memory; the reports that need rows again (JUnit, corpus health) read them
back from the Parquet file a row group at a time. When Parquet is not among the outputs asked
for, the file is still written (hidden) for reading back, and removed at the end.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import IO, Any

from harness.evaluate.evaluator import row_columns
from harness.evaluate.health import Labels
from harness.report.numbers import csv_cell

ROW_GROUP = 5_000  # rows held before they go to disk
_INTEGERS = {"line", "words"}
_BOOLEANS = {"findings_labelled", "passed"}


@cache
def _schema() -> Any:
    import pyarrow as pa

    def kind(name: str) -> Any:
        return pa.int64() if name in _INTEGERS else pa.bool_() if name in _BOOLEANS else pa.string()

    return pa.schema([(name, kind(name)) for name in row_columns()])


def _bits(flags: list[bool]) -> Any:
    import numpy as np
    import pyarrow as pa

    return pa.py_buffer(np.packbits(np.array(flags, dtype=bool), bitorder="little"))


def _column(kind: Any, values: list[Any]) -> Any:
    """One column built from its buffers. `pa.array` and `Table.from_pylist` import pandas to look
    for pandas objects among the values: 55 MB in the parent, held beside every worker for the
    whole evaluation."""
    import numpy as np
    import pyarrow as pa

    valid = [value is not None for value in values]
    validity = None if all(valid) else _bits(valid)
    if kind == pa.bool_():
        return pa.Array.from_buffers(kind, len(values), [validity, _bits([bool(v) for v in values])])
    if kind == pa.int64():
        data = pa.py_buffer(np.array([v or 0 for v in values], dtype=np.int64))
        return pa.Array.from_buffers(kind, len(values), [validity, data])
    encoded = [b"" if v is None else v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])


def _batch(rows: Sequence[dict[str, Any]]) -> Any:
    import pyarrow as pa

    schema = _schema()
    return pa.RecordBatch.from_arrays([_column(f.type, [r[f.name] for r in rows]) for f in schema], schema=schema)


class ResultsStore:
    def __init__(self, directory: Path, parquet: bool = True, csv_file: bool = True) -> None:
        self.keep_parquet = parquet
        self.path = directory / ("results.parquet" if parquet else ".results.parquet")
        self._csv: IO[str] | None = None
        self._csv_writer: Any = None
        if csv_file:
            self._csv = (directory / "results.csv").open("w", encoding="utf-8", newline="")
            self._csv_writer = csv.writer(self._csv, lineterminator="\n")
            self._csv_writer.writerow(row_columns())
        self._buffer: list[Any] = []  # record batches of the row group being filled
        self._buffered = 0
        self._writer: Any = None
        self._closed = False
        self.rows = 0

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
        if self._csv_writer is not None:
            self._csv_writer.writerows([csv_cell(r[name]) for name in row_columns()] for r in rows)
        if rows:
            # Arrow's columns as they come (a chunk's strings stay well under int32 offsets' 2 GB)
            self._buffer.append(_batch(rows))
        self._buffered += len(rows)
        self.rows += len(rows)
        if self._buffered >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, _schema())
        if self._buffer:
            self._writer.write_table(pa.Table.from_batches(self._buffer, schema=_schema()).combine_chunks())
        self._buffer, self._buffered = [], 0

    def close(self) -> None:
        """Finish writing (idempotent); reading back closes first."""
        if self._closed:
            return
        if self._csv is not None:
            self._csv.close()
        self._flush()  # also creates the file when no row came
        self._writer.close()
        self._closed = True

    def batches(self, columns: Sequence[str]) -> Iterator[list[dict[str, Any]]]:
        """The rows written, a row group at a time, with the columns asked for."""
        import pyarrow.parquet as pq

        self.close()
        source = pq.ParquetFile(self.path)
        for group in range(source.num_row_groups):
            yield source.read_row_group(group, columns=list(columns)).to_pylist()

    def fetch(self, indices: Sequence[int]) -> Mapping[int, tuple[str, str, Labels]]:
        """(id, text, expected labels) of the rows at these corpus positions (corpus health)."""
        import pyarrow.parquet as pq

        self.close()
        wanted = sorted(set(indices))
        source = pq.ParquetFile(self.path)
        columns = ["id", "text", "expected_persona", "expected_issue", "expected_channel"]
        found: dict[int, tuple[str, str, Labels]] = {}
        start, position = 0, 0
        for group in range(source.num_row_groups):
            end = start + source.metadata.row_group(group).num_rows
            inside = []
            while position < len(wanted) and wanted[position] < end:
                inside.append(wanted[position])
                position += 1
            if inside:
                table = source.read_row_group(group, columns=columns)
                for index in inside:
                    row = {name: table.column(name)[index - start].as_py() for name in columns}
                    labels = (row["expected_persona"], row["expected_issue"], row["expected_channel"])
                    found[index] = (row["id"], row["text"], labels)
            start = end
        return found

    def finish(self) -> None:
        """Close, and remove the Parquet file when it was only kept for reading back."""
        self.close()
        if not self.keep_parquet:
            self.path.unlink(missing_ok=True)
