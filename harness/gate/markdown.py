"""The gate's verdict as Markdown for a pull-request comment: verdict first, then what changed (with
file:line), what broke grouped under the change that caused it (one row per scenario, with its
ticket), what was fixed, the inline examples that now fail; never over the size limit."""

from __future__ import annotations

from typing import Any

from harness.evaluate.metrics import CORE_METRICS
from harness.gate import describe
from harness.gate.result import GateResult
from harness.report.atomic import GATE_MARKDOWN_MARKER

LIMIT = 65_000
ROWS = ("| `", "- ")  # how a scenario row or a listed item starts (counted when the limit cuts)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, list):
        return ", ".join(value) or "(none)"
    return "n/a" if value is None else str(value)


def _delta(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:+.4f}"
    return f"{value:+d}"


def _cell(text: str) -> str:
    """Text safe inside a table cell: a pipe would end the cell, a backtick open code, and a ticket
    quoting `<details>` would fold the rest of the comment."""
    return text.replace("|", "\\|").replace("`", "'").replace("<", "&lt;")


def _verdict(result: GateResult) -> list[str]:
    verdict = (
        "✅ **Gate passed**" if result.passed else f"❌ **Gate failed** ({len(result.violations)} violations)"
    )
    lines = [
        GATE_MARKDOWN_MARKER,  # lets the next run overwrite this file, and nothing it did not write
        f"{verdict} against `{result.baseline.ref}` ({result.baseline.commit[:12]}): "
        f"{len(result.broken_scenarios)} broken, {len(result.fixed_scenarios)} fixed, "
        f"{len(result.relabelled)} relabelled.",
        "",
    ]
    return lines + [f"- {v.check}: {v.message}" for v in result.violations]


def _metrics(result: GateResult) -> list[str]:
    lines = ["", "| metric | before | after | delta |", "| --- | --- | --- | --- |"]
    for scope, shift in (("", result.metrics), ("holdout ", result.holdout)):
        lines += [
            f"| {scope}{k} | {_fmt(shift.before.figure(k))} | {_fmt(shift.after.figure(k))}"
            f" | {_delta(shift.delta.figure(k))} |"
            for k in CORE_METRICS
        ]
    return lines


def _changes(result: GateResult) -> list[str]:
    changes = result.changes
    if not changes:
        return ["", "No rule, term list, parameter or condition changed."]
    lines = ["", f"## Changes ({len(changes)})", ""]
    dead = describe.dead_notes(result)
    for change in changes:
        details = "; ".join(describe.change_details(change, dead))
        lines.append(f"- {describe.heading(change, code=True)}" + (f": {_cell(details)}" if details else ""))
    stopped = result.dead_rules.get("no_longer_fire", [])
    if stopped:
        lines += ["", "Rules that no longer fire on any scenario: " + ", ".join(f"`{r}`" for r in stopped)]
    return lines


def _scenario_row(entry: dict[str, Any]) -> str:
    flips = "<br>".join(_cell(describe.field_flip(f)) for f in entry["fields"])
    note = f"<br>_{_cell(entry['explanation'])}_" if "explanation" in entry else ""
    return f"| `{entry['id']}` | {_cell(entry['excerpt'])} | {flips}{note} |"


HEADER = "| scenario | ticket | what flipped |\n| --- | --- | --- |"


def _grouped(result: GateResult, side: str) -> list[str]:
    lines: list[str] = []
    for group in result.groups:
        entries = group[side]
        if entries:
            lines += ["", f"### {describe.group_title(group, code=True)} ({len(entries)})", ""]
            if not group["causes"]:
                lines += ["No rule, term list, parameter or condition involved in these flips changed.", ""]
            lines += [HEADER, *(_scenario_row(e) for e in entries)]
    return lines


def _examples(result: GateResult) -> list[str]:
    failing = result.examples_now_failing
    if not failing:
        return []
    lines = ["", f"## Inline examples now failing ({len(failing)})", ""]
    return lines + [
        f"- `{e['rule']}` at `{e['file']}:{e['line']}`: {_cell(e['description'])}" for e in failing
    ]


def _relabelled(result: GateResult) -> list[str]:
    if not result.relabelled:
        return []
    lines = [
        "",
        f"<details><summary>Relabelled ({len(result.relabelled)})</summary>",
        "",
        "| scenario | before | after | declared |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| `{r['id']}` | {_labels(r['before'])} | {_labels(r['after'])} | {r['reason'] or 'no'} |"
        for r in result.relabelled
    ]
    return [*lines, "", "</details>"]


def gate_markdown(result: GateResult) -> str:
    head = _verdict(result) + _metrics(result)
    body = _changes(result)
    if result.broken_scenarios:
        body += ["", f"## Broken ({len(result.broken_scenarios)} scenarios, by cause)"]
        body += _grouped(result, "broken")
    body += _examples(result)
    if result.fixed_scenarios:
        body += [
            "",
            f"<details><summary>Fixed ({len(result.fixed_scenarios)} scenarios, by cause)</summary>",
        ]
        body += [*_grouped(result, "fixed"), "", "</details>"]
    body += _relabelled(result)
    return _fit("\n".join(head), body)


def _labels(labels: dict[str, Any]) -> str:
    findings = labels.get("findings")
    return f"{labels['persona']} / {labels['issue']} / {labels['channel']}" + (
        f" / {', '.join(findings) or '[]'}" if findings is not None else ""
    )


def _fit(head: str, body: list[str]) -> str:
    """Keep whole lines until the limit, then say how many were left out."""
    text, used = head, len(head)
    for index, line in enumerate(body):
        if used + len(line) + 1 > LIMIT - 200:
            left = sum(1 for rest in body[index:] if rest.startswith(ROWS))
            closing = "\n\n</details>" if text.count("<details>") > text.count("</details>") else ""
            return (
                text
                + closing
                + f"\n\n… {left} more rows not shown (size limit); see the --json output or junit.xml.\n"
            )
        text += "\n" + line
        used += len(line) + 1
    return text + "\n"
