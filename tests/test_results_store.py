"""results.parquet as the store writes it: the values read back exactly as written (nulls,
integers, booleans, text beyond ASCII), row groups of ROW_GROUP rows, and no pandas in the
process that writes it (the evaluating parent holds whatever it imports beside every worker)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from harness.evaluate.evaluator import row_columns
from harness.report.results_store import ROW_GROUP, ResultsStore


def _row(number: int) -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(row_columns(), "")
    values.update(
        id=f"s{number}",
        file=None if number % 3 == 0 else "corpus.jsonl",
        line=None if number % 2 else number,
        words=number * 7,
        passed=number % 4 == 1,
        findings_labelled=number % 5 == 0,
        text=f"refund {number} 退款 😀 né" if number % 2 else "",
        expected_issue=None,
    )
    return values


def test_rows_read_back_exactly_as_written_in_row_groups(tmp_path: Path) -> None:
    rows = [_row(n) for n in range(ROW_GROUP + 7)]
    store = ResultsStore(tmp_path, csv_file=False)
    for start in range(0, len(rows), 500):  # chunks as the evaluation hands them over
        store.write(rows[start : start + 500])
    store.close()
    source = pq.ParquetFile(tmp_path / "results.parquet")
    assert [source.metadata.row_group(g).num_rows for g in range(source.num_row_groups)] == [ROW_GROUP, 7]
    assert source.read().to_pylist() == rows
    assert source.read_row_group(1, columns=["id", "line", "passed"]).to_pylist() == [
        {"id": f"s{n}", "line": None if n % 2 else n, "passed": n % 4 == 1} for n in range(ROW_GROUP, ROW_GROUP + 7)
    ]


def test_writing_results_does_not_import_pandas(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from harness.evaluate.evaluator import row_columns
        from harness.report.results_store import ResultsStore
        store = ResultsStore(Path({str(tmp_path)!r}))
        row = dict.fromkeys(row_columns(), "x") | {{"line": 1, "words": 2, "passed": True, "findings_labelled": False}}
        store.write([row] * 3)
        store.close()
        assert store.fetch([1])[1][0] == "x"
        print(sorted(m for m in ("pandas", "pyarrow") if m in sys.modules))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[0] == "['pyarrow']"
