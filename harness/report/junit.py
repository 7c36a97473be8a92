"""JUnit XML: one test case per scenario, grouped by scenario file, for CI dashboards."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from harness.evaluate.result import ScenarioResult
from harness.model import FIELDS


def failure_message(result: ScenarioResult) -> str:
    parts = []
    for name in result.failed_fields:
        if name == "findings":
            expected = sorted(result.scenario.expect.findings or ())
            parts.append(f"findings: expected {expected}, got {sorted(result.outcome.finding_ids)}")
        else:
            rule = result.outcome.decision.deciding_rule(name) or "no rule"
            parts.append(
                f"{name}: expected {result.expected(name)}, got {result.predicted(name)} (deciding rule {rule})"
            )
    return "; ".join(parts)


def junit_xml(results: Sequence[ScenarioResult], suite: str = "harness") -> bytes:
    by_file: dict[str, list[ScenarioResult]] = {}
    for result in results:
        by_file.setdefault(result.scenario.location.file, []).append(result)
    root = ET.Element(
        "testsuites", name=suite, tests=str(len(results)), failures=str(sum(not r.passed for r in results))
    )
    for file in sorted(by_file):
        group = by_file[file]
        element = ET.SubElement(
            root,
            "testsuite",
            name=file,
            tests=str(len(group)),
            failures=str(sum(not r.passed for r in group)),
            errors="0",
            skipped="0",
        )
        for result in group:
            case = ET.SubElement(element, "testcase", classname=file, name=result.scenario.id, time="0")
            if not result.passed:
                failure = ET.SubElement(case, "failure", message=failure_message(result), type="mismatch")
                failure.text = (
                    "\n".join(
                        f"{name}: expected {result.expected(name)}, got {result.predicted(name)}"
                        for name in FIELDS
                    )
                    + f"\nat {result.scenario.location}"
                )
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


GATE_CHECKS = (
    "max_broken",
    "mcnemar",
    "max_drop",
    "golden",
    "unroutable",
    "min_rule_coverage",
    "no_new_dead_rules",
    "no_missing_contract_labels",
    "declared_relabels",
)


def gate_junit_xml(result: dict[str, Any]) -> bytes:
    """The gate as JUnit: one case per policy check, one failing case per broken scenario field."""
    root = ET.Element("testsuites", name="harness gate")
    checks = ET.SubElement(
        root,
        "testsuite",
        name="gate policy",
        tests=str(len(GATE_CHECKS)),
        failures=str(len({v["check"] for v in result["violations"]})),
    )
    for check in GATE_CHECKS:
        case = ET.SubElement(checks, "testcase", classname="gate policy", name=check, time="0")
        messages = [v["message"] for v in result["violations"] if v["check"] == check]
        if messages:
            ET.SubElement(case, "failure", message="; ".join(messages), type="policy")
    broken = ET.SubElement(
        root,
        "testsuite",
        name="broken scenarios",
        tests=str(len(result["broken"])),
        failures=str(len(result["broken"])),
    )
    for entry in result["broken"]:
        case = ET.SubElement(
            broken, "testcase", classname=entry["file"], name=f"{entry['id']} {entry['field']}", time="0"
        )
        rules = ", ".join(f"{r['side']} {r['rule']} ({r['change']})" for r in entry["rules"])
        ET.SubElement(
            case,
            "failure",
            type="broken",
            message=f"{entry['field']}: expected {entry['expected']}, before {entry['before']},"
            f" after {entry['after']}; rules: {rules}",
        )
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
