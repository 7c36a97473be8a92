"""A progress bar on a terminal, with rate and, where the corpus size can be told cheaply, an ETA."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

Item = TypeVar("Item")
_BLOCK = 1 << 20


def _lines(path: Path) -> int:
    count = 0
    with path.open("rb") as stream:
        while block := stream.read(_BLOCK):
            count += block.count(b"\n")
    return count


def estimated_rows(files: Sequence[Path]) -> int | None:
    """Rows in the corpus, read from Parquet metadata and by counting lines (JSON Lines, CSV less
    its header); None when a YAML file is among them (its size would take a parse to tell)."""
    total = 0
    for path in files:
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            total += pq.ParquetFile(path).metadata.num_rows
        elif path.suffix in (".jsonl", ".csv"):
            total += _lines(path) - (path.suffix == ".csv")
        else:
            return None
    return total


def progress(items: Iterable[Item], files: Sequence[Path]) -> Iterator[Item]:
    """`items` unchanged; on a terminal a bar on standard error once the run takes over 2 s."""
    if not sys.stderr.isatty():
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(
        items, total=estimated_rows(files), desc="evaluating", unit=" tickets", delay=2, leave=False, smoothing=0.1
    )
