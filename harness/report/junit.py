"""JUnit XML: one test case per scenario, grouped by scenario file, for CI dashboards; and the gate's."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from harness.evaluate.result import ScenarioResult
from harness.gate.result import GateResult
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


def row_failure(row: dict[str, Any]) -> tuple[str, str]:
    """The failure message and text of a failing row of results (what `failure_message` says)."""
    deciding = dict(part.split("=", 1) for part in row["deciding_rule"].split(";") if part)
    parts = []
    for name in row["failed"].split(";"):
        if name == "findings":
            expected = sorted(filter(None, row["expected_findings"].split(";")))
            predicted = sorted(filter(None, row["predicted_findings"].split(";")))
            parts.append(f"findings: expected {expected}, got {predicted}")
        else:
            rule = deciding.get(name) or "no rule"
            parts.append(
                f"{name}: expected {row['expected_' + name]}, got {row['predicted_' + name]} (deciding rule {rule})"
            )
    text = "\n".join(f"{n}: expected {row['expected_' + n]}, got {row['predicted_' + n]}" for n in FIELDS)
    return "; ".join(parts), f"{text}\nat {row['file']}:{row['line']}"


JUNIT_COLUMNS = ("id", "file", "line", "passed", "failed", "deciding_rule", "expected_findings", "predicted_findings",
                 *(f"{side}_{n}" for n in FIELDS for side in ("expected", "predicted")))


def write_junit(batches: Callable[[], Iterable[list[dict[str, Any]]]], out: IO[bytes], suite: str = "harness") -> None:
    """JUnit XML from result rows read twice (`batches()` starts a fresh read): once to count each
    file's tests and failures, once to write them, so no file's cases are held in memory. Suites
    come in the order files were read."""
    counts: dict[str, list[int]] = {}
    for rows in batches():
        for row in rows:
            tally = counts.setdefault(row["file"], [0, 0])
            tally[0] += 1
            tally[1] += not row["passed"]
    tests, failures = sum(t for t, _ in counts.values()), sum(f for _, f in counts.values())
    out.write(b"<?xml version='1.0' encoding='utf-8'?>\n")
    out.write(f"<testsuites name={quoteattr(suite)} tests=\"{tests}\" failures=\"{failures}\">\n".encode())
    current: str | None = None
    for rows in batches():
        for row in rows:
            file = row["file"]
            if file != current:
                if current is not None:
                    out.write(b"  </testsuite>\n")
                current = file
                t, f = counts[file]
                out.write(
                    f'  <testsuite name={quoteattr(file)} tests="{t}" failures="{f}" errors="0" skipped="0">\n'.encode()
                )
            case = f'    <testcase classname={quoteattr(file)} name={quoteattr(row["id"])} time="0"'
            if row["passed"]:
                out.write(f"{case} />\n".encode())
                continue
            message, text = row_failure(row)
            out.write(
                f'{case}>\n      <failure message={quoteattr(message)} type="mismatch">{escape(text)}</failure>\n'
                "    </testcase>\n".encode()
            )
    if current is not None:
        out.write(b"  </testsuite>\n")
    out.write(b"</testsuites>\n")


GATE_CHECKS = (
    "max_broken",
    "mcnemar",
    "max_drop",
    "golden",
    "unroutable",
    "min_rule_coverage",
    "no_new_dead_rules",
    "no_new_failing_examples",
    "no_missing_contract_labels",
    "declared_relabels",
)


def gate_junit_xml(result: GateResult) -> bytes:
    """The gate as JUnit: one case per policy check, one failing case per broken scenario field."""
    root = ET.Element("testsuites", name="harness gate")
    checks = ET.SubElement(
        root,
        "testsuite",
        name="gate policy",
        tests=str(len(GATE_CHECKS)),
        failures=str(len({v.check for v in result.violations})),
    )
    for check in GATE_CHECKS:
        case = ET.SubElement(checks, "testcase", classname="gate policy", name=check, time="0")
        messages = [v.message for v in result.violations if v.check == check]
        if messages:
            ET.SubElement(case, "failure", message="; ".join(messages), type="policy")
    broken = ET.SubElement(
        root,
        "testsuite",
        name="broken scenarios",
        tests=str(len(result.broken)),
        failures=str(len(result.broken)),
    )
    for entry in result.broken:
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
