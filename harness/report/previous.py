"""An earlier report read back for `harness evaluate --compare`: its result rows (results.parquet,
else results.csv) and its rules' statuses (metrics.json). Reads only what the harness wrote into a
folder marked as its own report."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.errors import HarnessError, Location
from harness.evaluate.changes import COMPARED
from harness.evaluate.metrics import Metrics, RuleRow
from harness.report.atomic import REPORT_MARKER


@dataclass(frozen=True)
class PreviousReport:
    folder: Path

    def rows(self) -> Iterator[dict[str, Any]]:
        parquet, table = self.folder / "results.parquet", self.folder / "results.csv"
        if parquet.is_file():
            import pyarrow.parquet as pq

            source = pq.ParquetFile(parquet)
            names = set(source.schema_arrow.names)
            columns = [c for c in ("id", *COMPARED) if c in names]  # a report from before lint_rules lacks it
            for group in range(source.num_row_groups):
                yield from source.read_row_group(group, columns=columns).to_pylist()
            return
        with table.open(encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)

    def rules(self) -> tuple[RuleRow, ...]:
        """Each rule's status, from metrics.json; () when the report was written without it."""
        path = self.folder / "metrics.json"
        if not path.is_file():
            return ()
        try:
            metrics = Metrics.from_json(json.loads(path.read_text(encoding="utf-8")))
            return metrics.detailed().coverage.rules
        except (KeyError, TypeError, ValueError, AttributeError):
            raise HarnessError.at(
                Location(str(path)),
                "is not a metrics.json this version of the harness reads; compare with a report it wrote",
            ) from None


def previous_report(folder: str | Path, required: bool) -> PreviousReport | None:
    """The report in `folder`, or None when there is none (an error when `required`: --compare named it)."""
    path = Path(folder)
    usable = (path / REPORT_MARKER).is_file() and any(
        (path / name).is_file() for name in ("results.parquet", "results.csv")
    )
    if usable:
        return PreviousReport(path)
    if required:
        raise HarnessError.at(
            Location(str(folder)),
            "holds no harness report with results.parquet or results.csv; pass a folder `harness evaluate` wrote",
        )
    return None
