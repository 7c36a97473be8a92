"""Benchmark: prints medians of three runs, measured side by side in one process and one machine."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness


def timed(label: str, action, runs: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"{label:<46} median {median:7.3f} s   runs {', '.join(f'{t:.3f}' for t in times)}")
    return median


def main() -> None:
    rules = harness.load_rules("rules")
    scenarios = harness.load_scenarios("scenarios")
    print(f"{len(rules.rules)} rules, {len(scenarios)} scenarios, python {sys.version.split()[0]}")
    timed("load rules", lambda: harness.load_rules("rules"))
    timed("load scenarios", lambda: harness.load_scenarios("scenarios"))
    engines = timed("route + lint every scenario", lambda: [harness.run(s.ticket, rules) for s in scenarios])
    print(f"{'  per ticket':<46} {engines / len(scenarios) * 1000:7.3f} ms")
    timed(
        "evaluate, headline only (what the gate runs)",
        lambda: harness.evaluate(rules, scenarios, detailed=False),
    )
    timed("evaluate, full analysis", lambda: harness.evaluate(rules, scenarios))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r"
        timed(
            "harness evaluate (CLI, all report files)",
            lambda: subprocess.run(
                ["harness", "evaluate", "--out", str(out)], check=True, capture_output=True
            ),
        )
    timed(
        "harness gate --baseline HEAD (CLI)",
        lambda: subprocess.run(["harness", "gate", "--baseline", "HEAD"], check=False, capture_output=True),
    )


if __name__ == "__main__":
    main()
