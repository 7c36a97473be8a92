"""Benchmark (`nox -s bench`): medians of three, measured side by side in one run on one machine.

Prints a table and writes reports/bench.json:
  throughput on N generated tickets: (a) a naive loop running every rule pattern with Python `re`
  (on a sample, the rate extrapolated), (b) a reference pass that parses each row and runs one
  compiled regex, (c) `harness evaluate` with one worker, end to end, (d) with every core,
  (e) on a Dask LocalCluster; tickets/s, MB/s, ratio to (b), speed-up over (a);
  peak RSS (the whole process tree) of `harness evaluate` at N and at --big tickets;
  per-ticket engine cost with the bundled rules and with a 1,000-rule set made from them;
  the edit loop: `route` of one ticket, `check`, `evaluate` of the bundled corpus, `gate`;
  linear time: hostile ticket shapes routed at 10 KB and 100 KB.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

import harness
from harness.decide.run import run

ROOT = Path(__file__).resolve().parent.parent
HARNESS = [sys.executable, "-m", "harness.cli"]
TICKET = "My order 576912348877120345 never arrived, please refund"


def median_of(action: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
            children.setdefault(int(fields[1]), []).append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        total += rss.get(current, 0)
        pending.extend(children.get(current, ()))
    return total


def peak_rss(command: list[str]) -> tuple[float, int]:
    """Wall time and the peak resident size of the whole process tree (sampled every 0.2 s)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {err.decode()[-2000:]}")
    return time.perf_counter() - start, peak


# A user's Python caches bytecode; some sandboxes (this one) set PYTHONDONTWRITEBYTECODE, which
# makes every command compile the harness's modules again. The edit loop is timed as a user runs it.
CACHED_BYTECODE = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cli(*args: str, env: dict[str, str] | None = CACHED_BYTECODE) -> Callable[[], None]:
    def action() -> None:
        subprocess.run([*HARNESS, *args], cwd=ROOT, check=False, capture_output=True, env=env)

    return action


def fresh(folder: Path, action: Callable[[], None]) -> Callable[[], None]:
    """The action, with `folder` (the bench's own, in its temporary directory) emptied first."""

    def run() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        action()

    return run


def reference_pass(path: Path) -> None:
    pattern = re.compile(r"\b(?:refund|order)\b", re.IGNORECASE)
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            pattern.search(json.loads(line)["ticket"]["text"])


def naive_rate(rules: harness.RuleSet, path: Path, sample: int) -> tuple[float, int]:
    """Tickets/s of running every alternative of every rule pattern with Python `re`, one search
    each, on the first `sample` tickets; also how many alternatives Python's `re` could compile."""
    compiled = []
    for matcher in rules.matchers:
        for alternative in matcher.alternatives:
            try:
                compiled.append(re.compile(alternative, 0 if matcher.case_sensitive else re.IGNORECASE))
            except re.error:
                continue
    texts = []
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            texts.append(json.loads(line)["ticket"]["text"])
            if len(texts) == sample:
                break
    start = time.perf_counter()
    for text in texts:
        for pattern in compiled:
            pattern.search(text)
    return len(texts) / (time.perf_counter() - start), len(compiled)


def thousand_rules(target: Path) -> int:
    """The bundled rules, with copies of the routing rules until there are 1,000 rules. Each copy
    gets its own term lists whose phrases carry a made-up word, so its patterns are new programs
    (as a grown rule set's would be) that the prefilter must consider and that rarely match."""
    shutil.copytree(ROOT / "rules", target)
    rules = harness.load_rules(target)
    copies_needed = 1000 - len(rules.rules)
    routing = [r for r in rules.routing if r.when is not None]
    documents: list[dict[str, Any]] = []  # one file per 50 copies: a rule file is at most 1 MiB
    terms: dict[str, Any] = {}
    for path in sorted((ROOT / "rules").rglob("*.yaml")):
        terms.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("terms", {}))
    specs: dict[str, Any] = {}
    for path in sorted((ROOT / "rules").rglob("*.yaml")):
        for spec in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("routing", []):
            specs[spec["id"]] = spec
    for number in range(copies_needed):
        if number % 50 == 0:
            documents.append({"terms": {}, "routing": []})
        rule = routing[number % len(routing)]
        word = f"zq{number}"
        renamed: dict[str, str] = {}

        def rename(value: Any, renamed: dict[str, str] = renamed, word: str = word) -> Any:
            if isinstance(value, dict):
                out = {}
                for key, item in value.items():
                    if key == "terms":
                        names = [item] if isinstance(item, str) else item
                        out[key] = [renamed.setdefault(n, f"{n}__{word}") for n in names]
                    elif key == "phrases":
                        out[key] = [f"{p} {word}" for p in item]
                    else:
                        out[key] = rename(item)
                return out
            if isinstance(value, list):
                return [rename(item) for item in value]
            return value

        spec = dict(specs[rule.id])
        spec["id"] = f"{rule.id}--copy{number}"
        spec["when"] = rename(spec["when"])
        spec["examples"] = {"match": [f"example {word}"], "no_match": [f"other {word}"]}
        documents[-1]["routing"].append(spec)
        for name, new in renamed.items():
            phrases = [f"{p} {word}" for p in terms[name].get("phrases", [])]
            documents[-1]["terms"][new] = {"phrases": phrases or [f"never {word}"]}
    for number, document in enumerate(documents):
        (target / f"zz_copies_{number:03d}.yaml").write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return len(harness.load_rules(target).rules)


def per_ticket(rules: harness.RuleSet, tickets: list[harness.Ticket], runs: int) -> float:
    for ticket in tickets[:50]:  # warm: programs compile on first use
        run(ticket, rules)
    median, _ = median_of(lambda: [run(t, rules) for t in tickets], runs)
    return median / len(tickets)


def linear_time(rules: harness.RuleSet, runs: int) -> dict[str, float]:
    shapes = {
        "dots then a letter": lambda n: "." * (n - 1) + "x",
        "'refund order ' repeated": lambda n: ("refund order " * n)[:n],
        "accents and emoji": lambda n: ("café refund 😀 naïve order " * n)[:n],
        "one long word": lambda n: "a" * n,
        "ordinary ticket repeated": lambda n: (
            "Hi, my order 576912348877120345 never arrived and the seller will not answer. Please refund me. " * n
        )[:n],
    }
    ratios = {}
    for name, make in shapes.items():
        small, large = harness.Ticket(make(10_000)), harness.Ticket(make(100_000))
        t_small, _ = median_of(lambda t=small: run(t, rules), runs)
        t_large, _ = median_of(lambda t=large: run(t, rules), runs)
        ratios[name] = t_large / t_small
        print(f"  {name:<32} 10 KB {t_small:7.3f} s  100 KB {t_large:7.3f} s  ratio {t_large / t_small:5.1f}")
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=200_000, help="generated tickets for throughput (200k)")
    parser.add_argument("--big", type=int, default=1_000_000, help="tickets for the large peak-RSS run (1M; 0: skip)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--naive-sample", type=int, default=300)
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    out: dict[str, Any] = {"tickets": args.tickets, "runs": args.runs, "cores": cores, "python": sys.version.split()[0]}
    rules = harness.load_rules(ROOT / "rules")
    with tempfile.TemporaryDirectory(prefix="harness-bench-") as tmp:
        work = Path(tmp)
        corpus = work / "tickets.jsonl"
        subprocess.run([*HARNESS, "generate", "--tickets", str(args.tickets), "--out", str(corpus)], check=True, cwd=ROOT)
        megabytes = corpus.stat().st_size / 1e6
        print(f"{len(rules.rules)} rules; {args.tickets} generated tickets ({megabytes:.0f} MB); {cores} cores; medians of {args.runs}")

        rows: dict[str, dict[str, Any]] = {}
        reference, times = median_of(lambda: reference_pass(corpus), args.runs)
        rows["(b) reference: parse + one regex"] = {"seconds": reference, "runs": times}
        naive, alternatives = naive_rate(rules, corpus, args.naive_sample)
        rows["(a) naive: every pattern with re"] = {
            "seconds": args.tickets / naive,
            "note": f"{args.naive_sample}-ticket sample, {alternatives} patterns, rate extrapolated",
        }
        evaluate = ["evaluate", "--scenarios", str(corpus), "--out", str(work / "report")]
        modes = {"(c) harness, 1 worker": ["--workers", "1"], f"(d) harness, {cores} workers": ["--workers", str(cores)]}
        if not args.no_dask:
            modes["(e) harness on Dask LocalCluster"] = ["--backend", "dask"]
        for name, extra in modes.items():
            # each run into an empty folder: a report already there would be compared with (--compare)
            seconds, times = median_of(fresh(work / "report", cli(*evaluate, *extra)), args.runs)
            rows[name] = {"seconds": seconds, "runs": times}
        naive_seconds = rows["(a) naive: every pattern with re"]["seconds"]
        print(f"\n{'mode':<38} {'tickets/s':>10} {'MB/s':>7} {'x (b) time':>10} {'speed-up over (a)':>18}")
        for name in sorted(rows):
            row = rows[name]
            row.update(
                tickets_per_s=args.tickets / row["seconds"],
                mb_per_s=megabytes / row["seconds"],
                ratio_to_reference=row["seconds"] / reference,
                speedup_over_naive=naive_seconds / row["seconds"],
            )
            print(
                f"{name:<38} {row['tickets_per_s']:>10.0f} {row['mb_per_s']:>7.2f} {row['ratio_to_reference']:>10.1f}"
                f" {row['speedup_over_naive']:>18.1f}"
            )
        out["throughput"] = rows

        print("\npeak RSS of `harness evaluate` (process tree), one run each")
        memory = {}
        for count in (args.tickets, args.big):
            if not count:
                continue
            path = corpus if count == args.tickets else work / "big.jsonl"
            if path != corpus:
                subprocess.run([*HARNESS, "generate", "--tickets", str(count), "--out", str(path)], check=True, cwd=ROOT)
            for workers in ("1", str(cores)):
                folder = work / f"m{count}-{workers}"  # empty: nothing earlier to compare with
                wall, peak = peak_rss([*HARNESS, "evaluate", "--scenarios", str(path), "--out", str(folder), "--workers", workers])
                memory[f"{count} tickets, {workers} workers"] = {"seconds": wall, "peak_rss_mb": peak / 1e6}
                print(f"  {count:>9} tickets, {workers} worker(s): {peak / 1e6:7.0f} MB peak, {wall:7.1f} s")
        out["memory"] = memory

        print("\nper-ticket engine cost (route + lint), bundled rules against 1,000 rules")
        sample = [s.ticket for s in harness.load_scenarios(corpus)[:2000]]
        bundled = per_ticket(rules, sample, args.runs)
        count = thousand_rules(work / "rules1000")
        grown = per_ticket(harness.load_rules(work / "rules1000"), sample, args.runs)
        out["rules_scaling"] = {"bundled_rules": len(rules.rules), "bundled_ms": bundled * 1e3, "grown_rules": count, "grown_ms": grown * 1e3, "ratio": grown / bundled}
        print(f"  {len(rules.rules)} rules {bundled * 1e3:.3f} ms; {count} rules {grown * 1e3:.3f} ms; ratio {grown / bundled:.2f}")

        print("\nedit loop (warm cache), wall time of the command")
        cli("check")()  # warms the rules cache
        loop = {}
        for name, action in (
            ("route one ticket", cli("route", TICKET)),
            ("route, bytecode not cached", cli("route", TICKET, env={**CACHED_BYTECODE, "PYTHONDONTWRITEBYTECODE": "1"})),
            ("check", cli("check")),
            ("evaluate the bundled corpus", fresh(work / "bundled", cli("evaluate", "--out", str(work / "bundled")))),
            ("gate --baseline HEAD", cli("gate", "--baseline", "HEAD")),
        ):
            seconds, times = median_of(action, args.runs)
            loop[name] = {"seconds": seconds, "runs": times}
            print(f"  {name:<30} {seconds:7.3f} s   runs {', '.join(f'{t:.3f}' for t in times)}")
        out["edit_loop"] = loop

    print("\nlinear time: one ticket at 10 KB and 100 KB (a ratio near 10 is linear)")
    out["linear_time_ratios"] = linear_time(rules, args.runs)
    target = ROOT / "reports" / "bench.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(out, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"\nwritten {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
