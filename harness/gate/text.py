"""The gate's verdict as terminal lines (what `harness gate` prints without --json): the verdict, the
changes with file:line, the broken and fixed scenarios under their causes, the failing examples."""

from __future__ import annotations

from harness.gate import describe
from harness.gate.result import GateResult


def _changes(result: GateResult) -> list[str]:
    notes = describe.dead_notes(result)
    lines = []
    for change in result.changes:
        details = "; ".join(describe.change_details(change, notes))
        lines.append(f"  change {describe.heading(change)}" + (f": {details}" if details else ""))
    stopped = result.dead_rules.get("no_longer_fire", [])
    if stopped:
        lines.append(f"  no longer fire on any scenario: {', '.join(stopped)}")
    return lines


def _grouped(result: GateResult, side: str) -> list[str]:
    lines = []
    for group in result.groups:
        if not group[side]:
            continue
        lines.append(f"  {side} under {describe.group_title(group)}:")
        for entry in group[side]:
            lines.append(f'    {entry["id"]} ({entry["file"]}:{entry["line"]}) "{entry["excerpt"]}"')
            lines += [f"      {describe.field_flip(f)}" for f in entry["fields"]]
            if "explanation" in entry:
                lines.append(f"      why unknown: {entry['explanation']}")
    return lines


def gate_lines(result: GateResult, baseline: str) -> list[str]:
    verdict = "PASSED" if result.passed else "FAILED"
    lines = [
        f"gate {verdict} against {baseline}: {len(result.broken_scenarios)} broken,"
        f" {len(result.fixed_scenarios)} fixed, {len(result.relabelled)} relabelled"
    ]
    lines += [f"  violation {v.check}: {v.message}" for v in result.violations]
    lines += _changes(result)
    lines += _grouped(result, "broken")
    lines += _grouped(result, "fixed")
    lines += [
        f"  example now failing: {e['rule']} ({e['file']}:{e['line']}): {e['description']}"
        for e in result.examples_now_failing
    ]
    return lines
