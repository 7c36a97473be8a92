"""The gate's verdict as terminal lines (what `harness gate` prints without --json): the verdict, the
changes with file:line, the broken and fixed scenarios under their causes, the failing examples."""

from __future__ import annotations

from typing import Any

from harness.gate import describe


def _changes(result: dict[str, Any]) -> list[str]:
    notes = describe.dead_notes(result)
    lines = []
    for change in result.get("changes", []):
        details = "; ".join(describe.change_details(change, notes))
        lines.append(f"  change {describe.heading(change)}" + (f": {details}" if details else ""))
    stopped = result.get("dead_rules", {}).get("no_longer_fire", [])
    if stopped:
        lines.append(f"  no longer fire on any scenario: {', '.join(stopped)}")
    return lines


def _grouped(result: dict[str, Any], side: str) -> list[str]:
    lines = []
    for group in result.get("groups", []):
        if not group[side]:
            continue
        lines.append(f"  {side} under {describe.group_title(group)}:")
        for entry in group[side]:
            lines.append(f'    {entry["id"]} ({entry["file"]}:{entry["line"]}) "{entry["excerpt"]}"')
            lines += [f"      {describe.field_flip(f)}" for f in entry["fields"]]
            if "explanation" in entry:
                lines.append(f"      why unknown: {entry['explanation']}")
    return lines


def gate_lines(result: dict[str, Any], baseline: str) -> list[str]:
    verdict = "PASSED" if result["passed"] else "FAILED"
    lines = [
        f"gate {verdict} against {baseline}: {len(result['broken_scenarios'])} broken,"
        f" {len(result['fixed_scenarios'])} fixed, {len(result['relabelled'])} relabelled"
    ]
    lines += [f"  violation {v['check']}: {v['message']}" for v in result["violations"]]
    lines += _changes(result)
    lines += _grouped(result, "broken")
    lines += _grouped(result, "fixed")
    lines += [
        f"  example now failing: {e['rule']} ({e['file']}:{e['line']}): {e['description']}"
        for e in result.get("examples_now_failing", [])
    ]
    return lines
