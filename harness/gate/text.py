"""The gate's verdict as terminal lines (what `harness gate` prints without --json)."""

from __future__ import annotations

from typing import Any


def gate_lines(result: dict[str, Any], baseline: str) -> list[str]:
    verdict = "PASSED" if result["passed"] else "FAILED"
    lines = [
        f"gate {verdict} against {baseline}: {len(result['broken_scenarios'])} broken,"
        f" {len(result['fixed_scenarios'])} fixed, {len(result['relabelled'])} relabelled"
    ]
    for violation in result["violations"]:
        lines.append(f"  violation {violation['check']}: {violation['message']}")
    for entry in result["broken"]:
        rules = ", ".join(f"{r['side']} {r['rule']} ({r['change']}, {r['where']})" for r in entry["rules"])
        lines.append(
            f"  broken {entry['id']} ({entry['file']}) {entry['field']}: expected {entry['expected']},"
            f" before {entry['before']}, after {entry['after']}; {rules}"
        )
    for entry in result["fixed"]:
        lines.append(f"  fixed {entry['id']} {entry['field']}: now {entry['after']}")
    return lines
