"""The `harness` command: a thin layer over the Python API.

Exit codes: 0 ok; 1 a check or gate failed; 2 bad input or usage; 3 an internal error (a bug).
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from harness import __version__
from harness.contract import Contract, default_contract
from harness.decide.outcome_json import decision_json, findings_json
from harness.decide.run import Outcome, run
from harness.errors import HarnessError, Location, Problem
from harness.evaluate.names import FRACTION_METRICS
from harness.load.rules import load_rules
from harness.load.validate import unknown_label
from harness.model import FIELDS, Ticket
from harness.report import FORMATS

# Each command imports what only it needs when it runs: `route` of one ticket must start fast, and
# the report writers, the gate and the progress bar cost a second between them.

MAX_TICKET_CHARS = 100_000
MAX_LISTED = 100  # skipped rows named one by one; a million bad rows are counted, not printed
MAX_FLIPS_SHOWN = 20  # scenarios printed per kind by --compare; --json has them all


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise HarnessError.at(Location("harness"), f"{message}; see `{self.prog} --help`")


def _ticket_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "text", nargs="?", default="-", help="ticket text, or - (default) to read standard input"
    )
    parser.add_argument("--persona", help="the persona the submitting form knows")
    parser.add_argument("--via", help="the channel the ticket arrived through")
    parser.add_argument("--attach", action="append", default=[], metavar="NAME", help="an attached file name")
    _rules_arg(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")


def _rules_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rules", default="rules", metavar="DIR", help="the rules directory: its *.yaml files (default: rules)"
    )


def _scenarios_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scenarios",
        nargs="+",
        default=["scenarios"],
        metavar="PATH",
        help="scenario files or folders: YAML, JSON Lines, CSV or Parquet (default: scenarios)",
    )


def _selection_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tag", action="append", default=[], metavar="T", help="only scenarios tagged T (repeat: every tag given)"
    )
    parser.add_argument(
        "--id",
        action="append",
        default=[],
        metavar="PATTERN",
        help="only scenarios whose id matches the glob PATTERN (repeat: any of them)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="harness", description=__doc__)
    parser.add_argument("--version", action="version", version=f"harness {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    route = sub.add_parser("route", help="route one ticket: persona, issue, channel, path, needs, why")
    _ticket_args(route)
    route.add_argument(
        "--explain",
        action="store_true",
        help="every rule that competed for each field, winner first, with priority and evidence",
    )
    _ticket_args(sub.add_parser("lint", help="lint one ticket draft: the findings"))
    check = sub.add_parser("check", help="validate the rules and run every inline example")
    _rules_arg(check)
    check.add_argument(
        "--id",
        action="append",
        default=[],
        metavar="PATTERN",
        help="only the examples of rules whose id matches the glob PATTERN (repeat: any of them)",
    )
    sub.add_parser("labels", help="the valid labels of the contract: personas, issues, channels, findings")
    ev = sub.add_parser("evaluate", help="evaluate the rules on labelled scenarios and write reports")
    _rules_arg(ev)
    _scenarios_arg(ev)
    ev.add_argument("--out", default="reports/latest", help="report folder (default: reports/latest)")
    ev.add_argument("--json", action="store_true", help="print the metrics object instead of the table")
    ev.add_argument(
        "--min-support", type=int, default=5, metavar="N", help="flag labels with fewer scenarios (default 5)"
    )
    ev.add_argument("--stamp", action="store_true", help="record the time of the run in the manifest")
    _selection_args(ev)
    ev.add_argument(
        "--compare",
        metavar="DIR",
        help="an earlier report folder: print the scenarios fixed and broken since, and rules that"
        " became dead or live (default: the report already in --out, when there is one)",
    )
    ev.add_argument(
        "--fail-under",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        help=f"exit 1 when METRIC is below VALUE; repeatable; METRIC one of {', '.join(FRACTION_METRICS)}",
    )
    ev.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes (default: one per core); every output is the same for any N",
    )
    ev.add_argument(
        "--format",
        default=",".join(FORMATS),
        metavar="LIST",
        help=f"report files to write, comma-separated, from {','.join(FORMATS)} (default: all)",
    )
    ev.add_argument("--no-report", action="store_true", help="write no report files; print the figures only")
    ev.add_argument(
        "--skip-invalid",
        action="store_true",
        help="count, report and skip invalid scenario rows instead of stopping at them (exit 2)",
    )
    ev.add_argument(
        "--backend", choices=("local", "dask"), default="local", help="where chunks run (default: local)"
    )
    ev.add_argument(
        "--scheduler", metavar="ADDRESS", help="a Dask scheduler (tcp://host:8786); default: a local cluster"
    )
    srv = sub.add_parser(
        "serve", help="the analyst's workbench: a local web app to try tickets, browse scenarios and rules, watch edits"
    )
    _rules_arg(srv)
    _scenarios_arg(srv)
    srv.add_argument("--port", type=int, default=8765, metavar="P", help="port on 127.0.0.1 (default 8765; 0: any free)")
    gen = sub.add_parser(
        "generate", help="write a deterministic synthetic labelled corpus (benchmarks, scale tests)"
    )
    gen.add_argument("--tickets", type=int, required=True, metavar="N", help="how many tickets to write")
    gen.add_argument(
        "--seed", type=int, default=0, metavar="S", help="random seed (default 0); the same seed, the same bytes"
    )
    gen.add_argument(
        "--format",
        choices=("jsonl", "csv", "parquet"),
        help="default: from FILE's suffix (.csv, .parquet), else jsonl",
    )
    gen.add_argument("--out", required=True, metavar="FILE", help="a new file, or one harness generate wrote")
    sug = sub.add_parser(
        "suggest", help="phrases that would fix failing scenarios, each tried for real: fixes and breaks"
    )
    _rules_arg(sug)
    _scenarios_arg(sug)
    sug.add_argument("--field", choices=FIELDS, help="only this field (default: all three)")
    sug.add_argument("--label", metavar="L", help="only scenarios that expect this label")
    sug.add_argument("--top", type=int, default=10, metavar="N", help="candidates per label (default 10)")
    sug.add_argument("--json", action="store_true", help="print the candidates as JSON")
    gate = sub.add_parser(
        "gate", help="compare the rules at a git ref with the rules now; exit 1 when the policy fails"
    )
    gate.add_argument(
        "--baseline", required=True, metavar="REF", help="git ref to compare against (e.g. origin/main)"
    )
    _rules_arg(gate)
    _scenarios_arg(gate)
    gate.add_argument(
        "--baseline-scenarios", action="store_true", help="evaluate the baseline on REF's scenarios"
    )
    gate.add_argument("--policy", metavar="FILE", help="gate policy YAML (default: the shipped policy)")
    gate.add_argument("--out", metavar="DIR", help="also write junit.xml under DIR")
    gate.add_argument("--json", action="store_true", help="print the result as JSON")
    gate.add_argument(
        "--markdown", metavar="FILE", help="write a pull-request comment in Markdown to FILE (- : standard output)"
    )
    return parser


def _read_stdin() -> str:
    stdin = sys.stdin
    if stdin is None or stdin.closed:
        raise HarnessError.at(Location("<stdin>"), "standard input is closed; pass the ticket as TEXT")
    buffer = getattr(stdin, "buffer", None)
    try:
        if buffer is None:  # a text stream with no bytes beneath (a notebook's, a test's)
            text: str = stdin.read(MAX_TICKET_CHARS + 1)
            return text
        # A little past the limit in bytes (a character is at most 4): a huge input is refused
        # without reading it all.
        raw: bytes = buffer.read(4 * MAX_TICKET_CHARS + 4)
    except (OSError, ValueError) as exc:
        raise HarnessError.at(Location("<stdin>"), f"cannot read standard input ({exc}); pass TEXT") from None
    try:
        # Past the limit the read may stop inside a character: decode what is whole (the length
        # check then refuses it), rather than call the cut byte bad UTF-8.
        return codecs.getincrementaldecoder("utf-8")().decode(raw, final=len(raw) <= 4 * MAX_TICKET_CHARS)
    except UnicodeDecodeError as exc:
        raise HarnessError.at(
            Location("<stdin>"),
            f"standard input is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); send UTF-8 text",
        ) from None


def _read_ticket(args: argparse.Namespace, contract: Contract) -> Ticket:
    text = _read_stdin() if args.text == "-" else args.text
    if not text.strip():
        raise HarnessError.at(
            Location("<ticket>"), "the ticket text is empty; pass TEXT or pipe it on standard input"
        )
    if len(text) > MAX_TICKET_CHARS:
        raise HarnessError.at(
            Location("<ticket>"),
            f"the ticket is {len(text)} characters, over the {MAX_TICKET_CHARS} limit; shorten it",
        )
    for flag, value, allowed in (
        ("--persona", args.persona, contract.personas),
        ("--via", args.via, contract.arrivals),
    ):
        if value is not None and value not in allowed:
            raise HarnessError.at(
                Location("harness"),
                f"{flag}: {unknown_label('label', value, allowed)}",
            )
    return Ticket(text, args.persona, args.via, tuple(args.attach))


def _route_lines(outcome: Outcome, ticket: Ticket, full: bool, contract: Contract) -> list[str]:
    """The decision, then per field the winning rule and its evidence first; `full` (--explain) also
    lists every rule it beat, in the conflict policy's order. An undecided field says what is
    missing and the next step."""
    from harness.decide.explain import explain

    decision = outcome.decision
    lines = []
    for name in FIELDS:
        rule = decision.deciding_rule(name)
        lines.append(f"{name:<8} {getattr(decision, name)}" + (f"   (rule {rule})" if rule else ""))
    if decision.path:
        lines.append("path     " + " > ".join(decision.path))
    for label, items in (("have ready", decision.needs), ("expect", decision.expect)):
        lines.extend(f"{label:<10} - {item}" for item in items)
    lines.append("why:")
    for field in explain(decision, ticket, contract):
        if field.missing is not None:
            lines.append(f"  {field.field}: unroutable: {field.missing}")
            lines.append(f"    next step: {field.next_step}")
        shown = field.contenders if full else field.contenders[:1]
        for contender in shown:
            quoted = ", ".join(repr(s.text) for s in contender.spans[:3]) or "(no text condition)"
            mark = "won " if contender.won else "lost"
            lines.append(
                f"  {field.field}: {mark} {contender.rule} -> {contender.value} (priority {contender.priority},"
                f" evidence {contender.evidence}; {contender.location}): {quoted}"
            )
        beaten = len(field.contenders) - len(shown)
        if beaten:
            lines.append(f"    ({beaten} more rule{'s' * (beaten > 1)} lost; --explain lists them)")
    return lines


def cmd_route(args: argparse.Namespace, contract: Contract) -> int:
    ticket = _read_ticket(args, contract)
    outcome = run(ticket, load_rules(args.rules, contract=contract))
    if args.json:
        payload = decision_json(outcome)
        if args.explain:
            from harness.decide.explain import explain
            from harness.decide.outcome_json import explanation_json

            payload["explain"] = explanation_json(explain(outcome.decision, ticket, contract))
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    print("\n".join(_route_lines(outcome, ticket, args.explain, contract)))
    return 0


def cmd_lint(args: argparse.Namespace, contract: Contract) -> int:
    ticket = _read_ticket(args, contract)
    outcome = run(ticket, load_rules(args.rules, contract=contract))
    if args.json:
        payload = {"findings": findings_json(outcome), "decision": decision_json(outcome)}
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    if not outcome.findings:
        print("no findings")
    for finding in outcome.findings:
        where = f" at {finding.span.start}-{finding.span.end} {finding.span.text!r}" if finding.span else ""
        print(f"{finding.id}: {finding.message} (rule {finding.rule}){where}")
    return 0


def cmd_check(args: argparse.Namespace, contract: Contract) -> int:
    from fnmatch import fnmatchcase

    from harness.decide.examples import catalogue_gaps, check_examples

    rules = load_rules(args.rules, contract=contract)
    chosen = [rule for rule in rules.rules if not args.id or any(fnmatchcase(rule.id, p) for p in args.id)]
    if not chosen:
        raise HarnessError.at(Location(args.rules), f"no rule id matches --id {' '.join(args.id)}; check the pattern")
    results = list(check_examples(rules, chosen))
    failed = [r for r in results if not r.ok]
    for result in failed:
        print(result.describe())
    gaps = catalogue_gaps(rules)
    for gap in gaps:
        print(f"{args.rules}: {gap}; add it under `catalogue:`")
    of = f" (examples of {len(chosen)} selected)" if args.id else ""
    print(
        f"{len(rules.rules)} rules valid{of}; {len(results) - len(failed)} of {len(results)} inline examples pass"
    )
    return 1 if failed or gaps else 0


def _formats(value: str, no_report: bool) -> tuple[str, ...]:
    if no_report:
        return ()
    chosen = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [name for name in chosen if name not in FORMATS]
    if unknown or not chosen:
        raise HarnessError.at(
            Location("harness"),
            f"--format: unknown report format {unknown[0] if unknown else value!r}; choose from {', '.join(FORMATS)}",
        )
    return chosen


def cmd_evaluate(args: argparse.Namespace, contract: Contract) -> int:
    from dataclasses import replace

    from harness.evaluate.changes import Changes, Comparison, changes_json
    from harness.evaluate.evaluator import Evaluation, evaluate
    from harness.evaluate.metrics import SkippedRows
    from harness.load.scenarios import iter_scenarios, scenario_files
    from harness.load.select import Selection, select
    from harness.report.atomic import check_directory
    from harness.report.changes_text import changes_lines
    from harness.report.files import evaluate_into_report, metrics_json, summary_table
    from harness.report.manifest import manifest
    from harness.report.previous import previous_report
    from harness.report.progress import progress
    from harness.report.results_store import ResultsStore
    from harness.report.split_table import split_table

    formats = _formats(args.format, args.no_report)
    floors = _floors(args.fail_under)
    if args.workers < 1:
        raise HarnessError.at(Location("harness"), f"--workers must be at least 1, not {args.workers}")
    if formats:
        check_directory(args.out)  # refuse a place the harness does not own before the work, not after
    rules = load_rules(args.rules, contract=contract)
    files = scenario_files(args.scenarios)
    skipped: list[Problem] = []
    selection = Selection(tuple(args.tag), tuple(args.id))
    scenarios = progress(
        select(
            iter_scenarios(args.scenarios, skip_invalid=args.skip_invalid, skipped=skipped, contract=contract),
            selection,
        ),
        () if selection.active else files,  # a selection's size is unknown until it is read
    )
    # The earlier report is read before this run replaces it (--out is the default place to look).
    earlier = previous_report(args.compare, required=True) if args.compare else None
    if earlier is None and args.compare is None and formats:
        earlier = previous_report(args.out, required=False)
    comparison = Comparison(earlier.rows) if earlier else None
    earlier_rules = earlier.rules() if earlier else []
    if args.scheduler is not None and args.backend != "dask":
        raise HarnessError.at(Location("harness"), "--scheduler needs --backend dask")

    compared: list[Changes] = []

    def run(store: ResultsStore) -> Evaluation:
        def write(rows: list[dict[str, Any]]) -> None:
            store.write(rows)
            if comparison is not None:
                comparison.add(rows)

        evaluation = evaluate(
            rules,
            scenarios,
            min_support=args.min_support,
            workers=args.workers,
            backend=args.backend,
            scheduler=args.scheduler,
            keep=False,
            on_rows=write,
            fetch=store.fetch,
        )
        if not evaluation.tally.scenarios:
            raise HarnessError.at(
                Location(", ".join(args.scenarios)),
                "no scenario matches --tag/--id; check the selection"
                if selection.active
                else "the corpus is empty: no scenarios found; add scenarios",
            )
        metrics = replace(
            evaluation.metrics,
            manifest=manifest(rules, files, __version__, stamp=args.stamp),
            skipped_rows=SkippedRows(len(skipped), tuple(str(problem) for problem in skipped[:MAX_LISTED])),
        )
        if comparison is not None:  # now, while the earlier report (read again for its flipped rows) is in place
            compared.append(comparison.changes(earlier_rules, metrics.detailed().coverage.rules))
        return replace(evaluation, metrics=metrics)

    if formats:
        evaluation = evaluate_into_report(args.out, run, formats)
    else:  # the rows still go to a file, kept aside and removed, for corpus health to read back
        with tempfile.TemporaryDirectory(prefix="harness-rows-") as folder:
            store = ResultsStore(Path(folder), parquet=False, csv_file=False)
            evaluation = run(store)
            store.finish()
    metrics = evaluation.metrics
    changes = compared[0] if compared else None
    for problem in skipped[:MAX_LISTED]:
        print(f"harness: skipped: {problem}", file=sys.stderr)
    if args.json:  # the changes go to standard output only: the report files depend on this run alone
        shown = metrics.to_json()
        if changes is not None:
            shown["changes"] = changes_json(changes)
        print(metrics_json(shown), end="")
    else:
        print(summary_table(metrics))
        print(split_table(metrics))
        if changes is not None and earlier is not None:
            print("\n".join(changes_lines(changes, str(earlier.folder), MAX_FLIPS_SHOWN)))
        if skipped:
            print(f"{len(skipped)} invalid rows skipped (the first {MAX_LISTED} listed above and in metrics.json)")
        if formats:
            print(f"reports written to {args.out}/")
    below = [
        f"{name} {value:.4f} is under the floor {floor}"
        for name, floor in floors
        if (value := metrics.figure(name)) is not None and value < floor
    ]
    for message in below:
        print(f"harness: fail-under: {message}", file=sys.stderr)
    return 1 if below else 0


def _floors(values: Sequence[str]) -> list[tuple[str, float]]:
    """`--fail-under metric=value` pairs, checked before any work."""
    floors = []
    for value in values:
        name, _, number = value.partition("=")
        if name not in FRACTION_METRICS:
            raise HarnessError.at(
                Location("harness"), f"--fail-under: {unknown_label('metric', name, FRACTION_METRICS)}"
            )
        try:
            floor = float(number)
            if not 0.0 <= floor <= 1.0:  # also refuses nan
                raise ValueError(number)
        except ValueError:
            raise HarnessError.at(
                Location("harness"), f"--fail-under {value}: the floor must be a number from 0 to 1, as in {name}=0.9"
            ) from None
        floors.append((name, floor))
    return floors


def cmd_generate(args: argparse.Namespace, contract: Contract) -> int:
    from harness.generate import write_corpus

    fmt = args.format or {".csv": "csv", ".parquet": "parquet"}.get(Path(args.out).suffix, "jsonl")
    count = write_corpus(Path(args.out), args.tickets, args.seed, fmt, contract)
    print(f"{count} tickets written to {args.out} ({fmt}, seed {args.seed})")
    return 0


def cmd_suggest(args: argparse.Namespace, contract: Contract) -> int:
    from harness.load.scenarios import load_scenarios
    from harness.suggest import candidates_json, suggest

    if args.top < 1:
        raise HarnessError.at(Location("harness"), f"--top must be at least 1, not {args.top}")
    labels = (*contract.personas, *contract.all_issues, *contract.channels)
    if args.label is not None and args.label not in labels:
        raise HarnessError.at(
            Location("harness"),
            f"--label: {unknown_label('label', args.label, labels)}",
        )
    candidates = suggest(
        load_rules(args.rules, contract=contract),
        load_scenarios(args.scenarios, contract=contract),
        args.field,
        args.label,
        args.top,
    )
    if args.json:
        print(json.dumps(candidates_json(candidates), indent=2, ensure_ascii=False))
        return 0
    if not candidates:
        print("no candidates: no phrase shared by failing scenarios fixes any of them")
    for c in candidates:
        print(
            f"{c.field}={c.label}: {c.phrase!r} added to {c.target}: +{c.fixes} fixed, -{c.breaks} broken"
            f" (fixes {', '.join(c.fixed_ids[:5])}{' ...' if len(c.fixed_ids) > 5 else ''})"
        )
    return 0


def cmd_gate(args: argparse.Namespace, contract: Contract) -> int:
    from harness.gate.markdown import gate_markdown
    from harness.gate.run import run_gate
    from harness.gate.text import gate_lines
    from harness.report.atomic import (
        GATE_MARKDOWN_MARKER,
        check_directory,
        check_file,
        write_directory,
        write_file,
    )
    from harness.report.junit import gate_junit_xml

    if args.out is not None:
        check_directory(args.out)
    to_stdout = args.markdown == "-"
    if to_stdout and args.json:
        raise HarnessError.at(Location("harness"), "--markdown - and --json both print on standard output; pick one")
    if args.markdown is not None and not to_stdout:
        check_file(args.markdown, GATE_MARKDOWN_MARKER)
    result = run_gate(
        args.baseline,
        Path(args.rules),
        [Path(p) for p in args.scenarios],
        Path(args.policy) if args.policy else None,
        args.baseline_scenarios,
        contract,
    )
    if args.out is not None:

        def build(directory: Path) -> None:
            (directory / "junit.xml").write_bytes(gate_junit_xml(result))

        write_directory(args.out, build)
    if args.markdown is not None and not to_stdout:
        write_file(args.markdown, gate_markdown(result), GATE_MARKDOWN_MARKER)
    if to_stdout:  # the comment is the output (`--markdown - | gh pr comment -F -`)
        print(gate_markdown(result), end="")
    elif args.json:
        print(json.dumps(result.to_json(), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        print("\n".join(gate_lines(result, args.baseline)))
    return 0 if result.passed else 1


def cmd_serve(args: argparse.Namespace, contract: Contract) -> int:
    from harness.serve import serve

    if not 0 <= args.port <= 65535:
        raise HarnessError.at(Location("harness"), f"--port must be from 0 to 65535, not {args.port}")
    serve(args.rules, args.scenarios, args.port, contract=contract)
    return 0


def cmd_labels(args: argparse.Namespace, contract: Contract) -> int:
    groups = {
        "personas": contract.personas,
        **{f"issues ({persona})": issues for persona, issues in contract.issues.items()},
        "channels": contract.channels,
        "arrival-only channels (--via, ticket.submitted_via)": contract.arrival_only_channels,
        "findings": contract.findings,
    }
    for title, labels in groups.items():
        print(f"{title}: {', '.join(labels)}")
    return 0


COMMANDS = {
    "labels": cmd_labels,
    "route": cmd_route,
    "lint": cmd_lint,
    "check": cmd_check,
    "evaluate": cmd_evaluate,
    "generate": cmd_generate,
    "suggest": cmd_suggest,
    "gate": cmd_gate,
    "serve": cmd_serve,
}


def _check_argv(argv: Sequence[str]) -> None:
    """Python reads bytes that are not UTF-8 in argv as lone surrogates; refuse them here, by name."""
    for index, arg in enumerate(argv, start=1):
        bad = next((i for i, ch in enumerate(arg) if "\udc80" <= ch <= "\udcff"), None)
        if bad is not None:
            raise HarnessError.at(
                Location("harness"),
                f"argument {index} is not UTF-8 text (byte 0x{ord(arg[bad]) - 0xDC00:02x}); pass UTF-8",
            )


def _json_error(exc: HarnessError | None) -> str:
    """What `--json` prints on exit 2 or 3, so CI can parse every outcome."""
    if exc is None:
        error: dict[str, Any] = {
            "message": "internal error (a bug in the harness)",
            "file": None,
            "line": None,
        }
        return json.dumps({"error": error})
    problems = [
        {"message": p.message, "item": p.item, "file": p.location.file, "line": p.location.line or None}
        for p in exc.problems
    ]
    return json.dumps({"error": problems[0], "problems": problems}, ensure_ascii=False)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    wants_json = "--json" in argv
    try:
        _check_argv(argv)
        args = build_parser().parse_args(argv)
        # The one contract of the run: rules and scenarios are loaded against it, labels checked by it.
        return COMMANDS[args.command](args, default_contract())
    except HarnessError as exc:
        for problem in exc.problems:
            print(f"harness: error: {problem}", file=sys.stderr)
        if wants_json:
            print(_json_error(exc))
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): not an error of ours
        sys.stderr.close()
        return 0
    except Exception:  # a bug in the harness, not bad input: say so and show where
        traceback.print_exc()
        print(
            "harness: internal error (a bug in the harness, not in your input); please report it",
            file=sys.stderr,
        )
        if wants_json:
            print(_json_error(None))
        return 3


def entry() -> None:
    """The `harness` command (and `python -m harness.cli`): `main` in a process of its own."""
    # Arrow (results.parquet) on the C allocator, which hands freed memory back: its own pool kept
    # the blocks of every row group written, about 25 MB of the parent beside its workers. Set
    # before pyarrow is imported, and only here: a notebook or a test calling main() keeps its own.
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    sys.exit(main())


if __name__ == "__main__":
    entry()
