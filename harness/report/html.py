"""The analyst's report: one self-contained HTML page (inline CSS and script, plots as data URIs,
nothing fetched from the network)."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from harness.evaluate.health import MAX_SKETCHED
from harness.evaluate.partial import SAMPLE_PER_LABEL
from harness.report.numbers import fmt
from harness.report.split_table import SPLIT_HEADERS, split_rows

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#b8c0cc;font-size:12px}main{padding:18px 28px;max-width:1400px}
h2{margin:28px 0 10px;font-size:18px;border-bottom:2px solid #dde2ea;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{background:#fff;border:1px solid #dde2ea;border-radius:8px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:22px}.card span{color:#5b6575;font-size:12px}
.plots{display:flex;flex-wrap:wrap;gap:14px;align-items:flex-start}
.plots figure{background:#fff;border:1px solid #dde2ea;border-radius:8px;margin:0;padding:8px}
.plots img{max-width:100%;height:auto;display:block}
table{border-collapse:collapse;background:#fff;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid #dde2ea;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;cursor:pointer;user-select:none;white-space:nowrap}th:after{content:" \\2195";color:#9aa3b0}
td.num{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#b4232c;font-weight:600}.ok{color:#217a3c}
details{background:#fff;border:1px solid #dde2ea;border-radius:6px;margin:4px 0;padding:4px 10px}
summary{cursor:pointer}pre{white-space:pre-wrap;background:#f1f3f6;padding:8px;border-radius:4px;margin:6px 0}
.muted{color:#5b6575}.loud{background:#fdecea;border:1px solid #f3b1ab;padding:8px 12px;border-radius:6px}
"""

SCRIPT = """
document.querySelectorAll('table.sortable th').forEach(function(th, index){
  th.addEventListener('click', function(){
    var table = th.closest('table'), body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows), asc = th.dataset.dir !== 'asc';
    rows.sort(function(a, b){
      var x = a.cells[index].dataset.v || a.cells[index].textContent;
      var y = b.cells[index].dataset.v || b.cells[index].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return asc ? c : -c;
    });
    th.dataset.dir = asc ? 'asc' : 'desc';
    rows.forEach(function(r){ body.appendChild(r); });
  });
});
window.addEventListener('load', function(){
  var images = Array.prototype.slice.call(document.images);
  document.body.dataset.imagesOk = String(images.every(function(i){ return i.complete && i.naturalWidth > 0; }));
  document.body.dataset.images = String(images.length);
});
"""


def _cell(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td class="num" data-v="{value}">{escape(fmt(value))}</td>'
    if value is None:
        return '<td class="num" data-v="-1">n/a</td>'
    return f"<td>{escape(fmt(value))}</td>"


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return f'<table class="sortable"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _image(name: str, png: bytes) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<figure><img alt="{escape(name)}" src="data:image/png;base64,{data}"></figure>'


def _ci(interval: list[float] | None) -> str:
    return "" if interval is None else f"95% CI {interval[0]:.3f}-{interval[1]:.3f}"


def _cards(m: dict[str, Any]) -> str:
    cards = [
        ("scenarios", m["scenarios"], ""),
        ("passed", m["passed"], fmt(m["pass_rate"])),
        ("persona accuracy", m["persona_accuracy"], _ci(m["persona_accuracy_ci95"])),
        ("issue accuracy", m["issue_accuracy"], _ci(m["issue_accuracy_ci95"])),
        ("channel accuracy", m["channel_accuracy"], _ci(m["channel_accuracy_ci95"])),
        ("exact match", m["exact_match"], _ci(m["exact_match_ci95"])),
        ("findings micro F1", m["findings_micro_f1"], f"{m['findings_scenarios']} labelled"),
        ("unroutable", m["unroutable"], fmt(m["unroutable_rate"])),
        ("rule coverage", m["rule_coverage"], f"{m['rules']} rules"),
    ]
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card"><b>{escape(fmt(v))}</b><span>{escape(k)}<br>{escape(note)}</span></div>'
            for k, v, note in cards
        )
        + "</div>"
    )


def _label_table(scores: dict[str, Any]) -> str:
    rows = [
        (label, s["support"], s["predicted"], s["precision"], s["recall"], s["f1"])
        for label, s in scores["labels"].items()
    ]
    summary = (
        f'<p class="muted">macro F1 {fmt(scores["macro_f1"])}, micro F1 {fmt(scores["micro_f1"])},'
        f" macro precision {fmt(scores['macro_precision'])}, macro recall {fmt(scores['macro_recall'])}</p>"
    )
    return summary + table(("label", "support", "predicted", "precision", "recall", "F1"), rows)


SHOWN_IDS = 50  # ids shown per near-duplicate cluster (metrics.json has them all)


def _sample_note(errors: dict[str, Any]) -> str:
    shown, total = len(errors["failing"]), errors["failing_total"]
    if shown == total:
        return ""
    return (
        f"<p class='muted'>Showing {shown} of {total}: the first {SAMPLE_PER_LABEL} per wrong field and expected"
        " label, in corpus order. Every scenario is in <a href='results.csv'>results.csv</a> and results.parquet.</p>"
    )


def _failing(rows: Sequence[dict[str, Any]]) -> str:
    parts = []
    for row in rows:
        lines = [
            f"{n}: expected {row['expected'][n]}, got {row['predicted'][n]}" for n in ("persona", "issue", "channel")
        ]
        if row["expected"]["findings"] is not None:
            lines.append(f"findings: expected {row['expected']['findings']}, got {row['predicted']['findings']}")
        parts.append(
            f"<details><summary><b>{escape(row['id'])}</b> <span class='muted'>{escape(row['where'])}</span>"
            f" &mdash; wrong: {escape(', '.join(row['failed']))}</summary>"
            f"<pre>{escape(row['text'])}</pre><pre>{escape(chr(10).join(lines))}</pre>"
            f"<pre>{escape(chr(10).join(row['trace']))}</pre></details>"
        )
    return "".join(parts) or "<p>No failing scenarios.</p>"


def render(metrics: dict[str, Any], plots: dict[str, bytes]) -> str:
    m, cov = metrics, metrics["coverage"]
    manifest = m.get("manifest", {})
    commit = manifest.get("git_commit") or "unknown"
    sections = [
        f"<header><h1>Support-routing rules: evaluation report</h1><p>harness {escape(str(manifest.get('harness_version', '')))}"
        f" &middot; commit {escape(commit[:12])}{' (dirty)' if manifest.get('git_dirty') else ''}"
        f" &middot; rules sha256 {escape(str(manifest.get('rules_sha256', ''))[:12])}</p></header><main>",
        "<h2>Tune against holdout</h2><p>Scenarios tagged <code>holdout</code> were scored and never"
        " tuned on; a large gap means the rules learnt the tune split's wording.</p>"
        + table(SPLIT_HEADERS, split_rows(m)),
        "<h2>Headline</h2>" + _cards(m),
        "<h2>Plots</h2><div class='plots'>"
        + "".join(_image(name, png) for name, png in plots.items())
        + "</div>",
    ]
    for name in ("persona", "issue", "channel"):
        sections.append(f"<h2>{name.title()}</h2>" + _label_table(m["fields"][name]))
    sections.append(
        "<h2>Findings</h2>"
        + f"<p class='muted'>exact-set match {fmt(m['findings']['exact_set_match'])} on {m['findings']['scenarios']} scenarios</p>"
        + _label_table(m["findings"])
    )
    sections.append(
        "<h2>Error analysis</h2><h3>Most-confused label pairs</h3>"
        + table(
            ("field", "expected", "predicted", "count"),
            [(p["field"], p["expected"], p["predicted"], p["count"]) for p in m["errors"]["confused_pairs"]],
        )
        + f"<h3>Failing scenarios ({m['errors']['failing_total']})</h3>"
        + _sample_note(m["errors"])
        + _failing(m["errors"]["failing"])
    )
    labels = cov["labels"]
    missing = labels["missing"]
    sections.append(
        "<h2>Coverage</h2><h3>Rules</h3>"
        + f"<p class='muted'>dead on this corpus: {len(m['dead_rules'])}; fired but never decisive: {len(cov['never_decisive'])};"
        + f" only evidence is their inline examples: {len(cov['examples_only'])}</p>"
        + table(
            ("rule", "kind", "sets", "value", "owner", "matched", "decisive", "status", "where"),
            [
                (
                    r["rule"],
                    r["kind"],
                    r["sets"],
                    r["value"],
                    r["owner"],
                    r["matched"],
                    r["decisive"],
                    r["status"],
                    f"{r['file']}:{r['line']}",
                )
                for r in cov["rules"]
            ],
        )
        + "<h3>Labels</h3>"
        + (
            f"<p class='loud'>Contract labels with no scenario at all: "
            f"{escape(', '.join(x['field'] + ' ' + x['label'] for x in missing))}</p>"
            if missing
            else "<p class='ok'>Every contract label has at least one scenario.</p>"
        )
        + f"<p class='muted'>Below {labels['threshold']} scenarios: "
        + escape(
            ", ".join(f"{x['field']} {x['label']} ({x['support']})" for x in labels["below_threshold"])
            or "none"
        )
        + "</p>"
        + table(
            ("field", "label", "support"),
            [(f, label, n) for f, counts in labels["support"].items() for label, n in counts.items()],
        )
        + "<h3>Patterns (branch coverage)</h3>"
        + table(
            ("rule", "alternatives", "matched", "coverage", "never matched"),
            [
                (
                    r["rule"],
                    r["alternatives"],
                    r["matched"],
                    r["coverage"],
                    ", ".join(r["unmatched"][:40]) + (" ..." if len(r["unmatched"]) > 40 else ""),
                )
                for r in cov["patterns"]
            ],
        )
        + "<h3>Persona x issue x channel</h3>"
        + f"<p class='muted'>{cov['combinations']['producible']} combinations producible by the rules;"
        + f" {cov['combinations']['tested']} tested by the corpus.</p>"
        + table(
            ("finding", "persona", "issue", "channel"),
            [("tested, not producible", *c) for c in cov["combinations"]["tested_not_producible"]]
            + [("tested, never predicted", *c) for c in cov["combinations"]["tested_never_predicted"]]
            + [("producible, untested", *c) for c in cov["combinations"]["producible_untested"]],
        )
        + "<h3>Corpus health</h3>"
        + f"<p class='muted'>Texts at least {cov['corpus']['similarity_cutoff']}% similar (rapidfuzz ratio):"
        f" {cov['corpus']['conflicts_total']} pairs labelled differently, {cov['corpus']['clusters_total']} clusters"
        + (
            f"; the {cov['corpus']['scenarios_not_compared']} scenarios after the first {MAX_SKETCHED:,} were not compared"
            if cov["corpus"]["scenarios_not_compared"]
            else ""
        )
        + ".</p>"
        + table(
            ("scenario", "scenario", "similarity", "labels", "labels"),
            [
                (c["a"], c["b"], c["similarity"], " / ".join(c["labels_a"]), " / ".join(c["labels_b"]))
                for c in cov["corpus"]["conflicting_labels"]
            ],
        )
        + table(
            ("near-duplicate cluster", "size"),
            [
                (", ".join(ids[:SHOWN_IDS]) + (" ..." if len(ids) > SHOWN_IDS else ""), len(ids))
                for ids in cov["corpus"]["near_duplicate_clusters"]
            ],
        )
    )
    for dimension, groups in m["slices"].items():
        sections.append(
            f"<h2>Slice by {escape(dimension)}</h2>"
            + table(
                (
                    "value",
                    "scenarios",
                    "passed",
                    "persona",
                    "issue",
                    "channel",
                    "exact",
                    "findings F1",
                    "unroutable",
                ),
                [
                    (
                        k,
                        g["scenarios"],
                        g["passed"],
                        g["persona_accuracy"],
                        g["issue_accuracy"],
                        g["channel_accuracy"],
                        g["exact_match"],
                        g["findings_micro_f1"],
                        g["unroutable"],
                    )
                    for k, g in groups.items()
                ],
            )
        )
    body = "".join(sections) + "</main>"
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>Support-routing evaluation report</title>"
        f"<style>{CSS}</style></head><body>{body}<script>{SCRIPT}</script></body></html>\n"
    )
