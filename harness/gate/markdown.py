"""The gate's verdict as Markdown for a pull-request comment: verdict first, what broke grouped by
the owner of the rule that caused it, what was fixed, details folded, never over the size limit."""

from __future__ import annotations

from typing import Any

from harness.report.atomic import GATE_MARKDOWN_MARKER

LIMIT = 65_000


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


def _rules(entry: dict[str, Any]) -> str:
    return (
        "; ".join(
            f"{r['side']}: `{r['rule']}` ({r['change']}{', ' + r['where'] if r['where'] else ''})"
            for r in entry["rules"]
        )
        or "(no rule)"
    )


def _owner(entry: dict[str, Any]) -> str:
    after = [r for r in entry["rules"] if r["side"] == "after" and r["owner"]]
    before = [r for r in entry["rules"] if r["owner"]]
    chosen = after or before
    return str(chosen[0]["owner"]) if chosen else "(no owner)"


def _row(entry: dict[str, Any]) -> str:
    return (
        f"| `{entry['id']}` | {entry['field']} | {_fmt(entry['expected'])} | {_fmt(entry['before'])} | "
        f"{_fmt(entry['after'])} | {_rules(entry)} |"
    )


HEADER = "| scenario | field | expected | before | after | rules |\n| --- | --- | --- | --- | --- | --- |"


def gate_markdown(result: dict[str, Any]) -> str:
    verdict = (
        "✅ **Gate passed**"
        if result["passed"]
        else f"❌ **Gate failed** ({len(result['violations'])} violations)"
    )
    head = [
        GATE_MARKDOWN_MARKER,  # lets the next run overwrite this file, and nothing it did not write
        f"{verdict} against `{result['baseline']['ref']}` ({result['baseline']['commit'][:12]}): "
        f"{len(result['broken_scenarios'])} broken, {len(result['fixed_scenarios'])} fixed, "
        f"{len(result['relabelled'])} relabelled.",
        "",
    ]
    head += [f"- {v['check']}: {v['message']}" for v in result["violations"]]
    head += ["", "| metric | before | after | delta |", "| --- | --- | --- | --- |"]
    for scope, metrics in (("", result["metrics"]), ("holdout ", result["holdout"])):
        head += [
            f"| {scope}{k} | {_fmt(metrics['before'][k])} | {_fmt(metrics['after'][k])}"
            f" | {_delta(metrics['delta'][k])} |"
            for k in metrics["before"]
        ]
    changes = result["rule_changes"]
    head += [
        "",
        f"Rules added: {_fmt(changes['added'])}; removed: {_fmt(changes['removed'])};"
        f" changed: {_fmt(changes['changed'])}.",
    ]
    body: list[str] = []
    if result["broken"]:
        body += ["", "## Broken (grouped by the owner of the rule that caused it)"]
        groups: dict[str, list[dict[str, Any]]] = {}
        for entry in result["broken"]:
            groups.setdefault(_owner(entry), []).append(entry)
        for owner in sorted(groups):
            body += ["", f"### {owner} ({len(groups[owner])})", "", HEADER, *(_row(e) for e in groups[owner])]
    if result["fixed"]:
        body += [
            "",
            "<details><summary>Fixed ({})</summary>".format(len(result["fixed"])),
            "",
            HEADER,
            *(_row(e) for e in result["fixed"]),
            "",
            "</details>",
        ]
    if result["relabelled"]:
        body += [
            "",
            "<details><summary>Relabelled ({})</summary>".format(len(result["relabelled"])),
            "",
            "| scenario | before | after | declared |",
            "| --- | --- | --- | --- |",
        ]
        body += [
            f"| `{r['id']}` | {_labels(r['before'])} | {_labels(r['after'])} | {r['reason'] or 'no'} |"
            for r in result["relabelled"]
        ]
        body += ["", "</details>"]
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
            left = sum(1 for rest in body[index:] if rest.startswith("| `"))
            closing = "\n\n</details>" if text.count("<details>") > text.count("</details>") else ""
            return (
                text
                + closing
                + f"\n\n… {left} more rows not shown (size limit); see the --json output or junit.xml.\n"
            )
        text += "\n" + line
        used += len(line) + 1
    return text + "\n"
