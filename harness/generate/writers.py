"""Writing a generated corpus: JSON Lines, CSV or Parquet, streamed, atomically, only where allowed.

Each writer takes a binary handle and an iterator (of records, or for JSON Lines of lines already
serialized), keeps a bounded batch in memory (Parquet: `BATCH_ROWS` rows) and returns the count.
`write_atomically` writes through a temporary file in the target's folder and renames it into
place, and refuses a target the generator did not write (`check_target`; the rule is in the
package docstring).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from harness.errors import HarnessError, Location
from harness.load.tabular import COLUMNS, NO_FINDINGS  # one layout for the writer and the reader

#: Every record's source starts with this; it is what marks a JSON Lines or CSV file as generated.
SOURCE_PREFIX = "harness generate"
#: The Parquet footer key that marks a Parquet file as generated (its value is the source).
PARQUET_KEY = b"harness-generate"
BATCH_ROWS = 50_000  # Parquet rows per record batch (and row group): bounded memory, good compression

NOT_GENERATED = (
    "exists and was not written by harness generate; choose another path, or delete it yourself"
)
_HEAD = 1 << 20  # bytes read to recognise a generated file: its first record is far smaller
_BUFFER = 1 << 20


def flat_row(record: dict[str, Any]) -> tuple[Any, ...]:
    """A nested scenario record as a row in `COLUMNS` order: None for an absent value, lists kept
    (no attachments: an empty list)."""
    ticket, expect = record["ticket"], record["expect"]
    return (
        record["id"],
        ticket["text"],
        ticket.get("persona"),
        ticket.get("submitted_via"),
        ticket.get("attachments", []),
        expect["persona"],
        expect["issue"],
        expect["channel"],
        expect.get("findings"),
        record["tags"],
        record["source"],
    )


def write_jsonl(handle: BinaryIO, lines: Iterable[str]) -> int:
    """Write lines already serialized (each ending in a newline), a few thousand per write call."""
    count = 0
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == 4096:
            handle.write("".join(batch).encode("utf-8"))
            count += len(batch)
            batch.clear()
    handle.write("".join(batch).encode("utf-8"))
    return count + len(batch)


def _csv_cells(row: tuple[Any, ...]) -> list[str]:
    cells = []
    for name, value in zip(COLUMNS, row, strict=True):
        if value is None:
            cells.append("")
        elif isinstance(value, list):  # lists join with ";" (no generated name or label holds one)
            cells.append(";".join(value) if value or name != "expect_findings" else NO_FINDINGS)
        else:
            cells.append(value)
    return cells


def write_csv(handle: BinaryIO, records: Iterable[dict[str, Any]]) -> int:
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(COLUMNS)
        count = 0
        for record in records:
            writer.writerow(_csv_cells(flat_row(record)))
            count += 1
        text.flush()
    finally:
        text.detach()  # the caller owns (flushes, syncs and closes) the handle
    return count


def _pyarrow() -> tuple[Any, Any]:
    # Imported here: pyarrow takes a good part of a second to import, and only Parquet needs it.
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

    return pa, pq


def write_parquet(handle: BinaryIO, records: Iterator[dict[str, Any]], source: str) -> int:
    pa, pq = _pyarrow()
    strings = pa.list_(pa.string())
    types = {"attachments": strings, "expect_findings": strings, "tags": strings}
    schema = pa.schema(
        [(name, types.get(name, pa.string())) for name in COLUMNS], metadata={PARQUET_KEY: source.encode()}
    )
    count = 0
    with pq.ParquetWriter(handle, schema) as writer:
        while True:
            columns: list[list[Any]] = [[] for _ in COLUMNS]
            for record in records:
                for column, value in zip(columns, flat_row(record), strict=True):
                    column.append(value)
                if len(columns[0]) == BATCH_ROWS:
                    break
            if not columns[0]:
                break
            writer.write_batch(pa.RecordBatch.from_arrays(columns, schema=schema))
            count += len(columns[0])
    return count


def _head(path: Path) -> bytes | None:
    """The first bytes of `path` when it is a regular file (links not followed), else None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        return os.read(fd, _HEAD) if stat.S_ISREG(os.fstat(fd).st_mode) else None
    except OSError:
        return None
    finally:
        os.close(fd)


def is_generated(path: Path) -> bool:
    """Whether `path` is a regular file that `harness generate` wrote, judged by its content."""
    head = _head(path)
    if head is None:
        return False
    if head.startswith(b"PAR1"):
        try:
            metadata = _pyarrow()[1].read_metadata(path).metadata or {}
        except (OSError, ValueError):  # not Parquet after all (pyarrow's ArrowInvalid is a ValueError)
            return False
        return PARQUET_KEY in metadata
    first = head.split(b"\n", 1)[0]
    if first.startswith(b"{"):
        try:
            data = json.loads(first)
        except ValueError:
            return False
        source = data.get("source") if isinstance(data, dict) else None
        return isinstance(source, str) and source.startswith(SOURCE_PREFIX)
    if first == ",".join(COLUMNS).encode():
        try:
            rows = list(csv.reader(io.StringIO(head.decode("utf-8", errors="replace"))))
        except csv.Error:
            return False
        return len(rows) > 1 and len(rows[1]) == len(COLUMNS) and rows[1][-1].startswith(SOURCE_PREFIX)
    return False


def _refuse(shown: str, message: str) -> HarnessError:
    return HarnessError.at(Location(shown), message)


def check_target(path: Path) -> None:
    """Raise HarnessError unless the generator may write `path`: a new file in an existing folder,
    or a regular file it wrote before. Touches nothing."""
    shown = os.fspath(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        folder = os.path.dirname(shown) or "."
        if not os.path.isdir(folder):
            message = f"the folder {folder} does not exist; create it or choose another path"
            raise _refuse(shown, message) from None
        return
    except OSError as exc:
        raise _refuse(shown, f"cannot be read ({exc.strerror or exc}); choose another path") from None
    if stat.S_ISLNK(info.st_mode):
        raise _refuse(shown, "is a symbolic link; name a regular file, e.g. corpus.jsonl")
    if stat.S_ISDIR(info.st_mode):
        raise _refuse(shown, "is a folder; name a file in it, e.g. corpus.jsonl")
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(shown, "is not a regular file (a device, pipe or socket); name a regular file")
    if not is_generated(path):
        raise _refuse(shown, NOT_GENERATED)


def write_atomically(path: Path, write: Callable[[BinaryIO], int]) -> int:
    """Call `write(handle)` on a temporary file beside `path`, then rename it to `path`.

    Refuses (HarnessError, nothing touched) what `check_target` refuses, before writing and again
    just before the rename. On any error the temporary file is removed and `path` is left as it was."""
    shown = os.fspath(path)
    check_target(path)
    temporary: str | None = None
    try:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = 0o644  # mkstemp's 0600 is private; a corpus is meant to be read
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb", buffering=_BUFFER) as handle:
            count = write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        check_target(path)  # another process may have put a file there while this one wrote
        os.replace(temporary, path)
        temporary = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise _refuse(shown, f"cannot write here ({reason}); choose a place you can write to") from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return count
