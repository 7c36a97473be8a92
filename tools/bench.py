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


# Ticket shapes that once cost more than linear time (issue 7), and ordinary text; each is routed
# at 10 KB and at 100 KB: a ratio near 10 is linear, near 100 quadratic.
SHAPES = {
    "dots then a letter": lambda n: "." * (n - 1) + "x",
    "'refund order ' repeated": lambda n: ("refund order " * n)[:n],
    "words with accents and emoji": lambda n: ("café refund 😀 naïve order " * n)[:n],
    "one long word": lambda n: "a" * n,
    "ordinary ticket repeated": lambda n: (
        "Hi, my order 576912348877120345 never arrived and the seller will not answer. "
        "Please refund me. " * n
    )[:n],
}


def linear_time(rules: harness.RuleSet) -> None:
    print("route + lint one ticket, 10 KB against 100 KB (ratio ~10 means linear)")
    for name, make in SHAPES.items():
        small, large = make(10_000), make(100_000)
        t_small = timed(f"  {name}, 10 KB", lambda t=small: harness.run(harness.Ticket(t), rules))
        t_large = timed(f"  {name}, 100 KB", lambda t=large: harness.run(harness.Ticket(t), rules))
        print(f"  {name:<44} ratio {t_large / t_small:5.1f}")


def main() -> None:
    rules = harness.load_rules("rules")
    scenarios = harness.load_scenarios("scenarios")
    print(f"{len(rules.rules)} rules, {len(scenarios)} scenarios, python {sys.version.split()[0]}")
    linear_time(rules)
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
