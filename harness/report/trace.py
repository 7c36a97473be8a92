"""One way of drawing a ticket's trace, shared by the HTML report and `harness serve`.

A trace is built from JSON-ready data (what `decide.outcome_json.explain_json` returns), so the report,
which has only the metrics object of a finished evaluation, and the web app, which has live
outcomes, give the Jinja2 macro `trace` in harness/templates/_macros.html the same view model.
Pure: no I/O, no HTML (the template escapes every string).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Mark:
    """A stretch of the ticket some rule matched (offsets into the original text)."""

    start: int
    end: int
    rule: str
    won: bool = False  # evidence of a rule that decided a field


@dataclass(frozen=True)
class Segment:
    """A piece of the ticket: plain when `rules` is empty, else highlighted with the rules behind it."""

    text: str
    rules: tuple[str, ...] = ()
    won: bool = False

    @property
    def marked(self) -> bool:
        return bool(self.rules)


def segments(text: str, marks: Iterable[Mark]) -> tuple[Segment, ...]:
    """The text cut into plain and highlighted segments; overlapping marks merge into one segment
    (naming every rule behind it) so the drawn text is always the ticket, each character once."""
    spans = sorted(
        (max(0, m.start), min(len(text), m.end), m.rule, m.won)
        for m in marks
        if min(len(text), m.end) > max(0, m.start)
    )
    merged: list[tuple[int, int, set[str], bool]] = []
    for start, end, rule, won in spans:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2] | {rule}, last[3] or won)
        else:
            merged.append((start, end, {rule}, won))
    out: list[Segment] = []
    position = 0
    for start, end, rules, won in merged:
        if start > position:
            out.append(Segment(text[position:start]))
        out.append(Segment(text[start:end], tuple(sorted(rules)), won))
        position = end
    if position < len(text) or not out:
        out.append(Segment(text[position:]))
    return tuple(out)


@dataclass(frozen=True)
class ContenderView:
    rule: str
    value: str
    priority: int
    evidence: int
    where: str
    won: bool
    matched: tuple[str, ...]  # the matched text, distinct, in order of appearance


@dataclass(frozen=True)
class FieldView:
    field: str
    value: str
    expected: str | None  # None when the trace is not set against labels
    contenders: tuple[ContenderView, ...]  # the conflict policy's order: the winner first
    missing: str | None = None
    next_step: str | None = None

    @property
    def wrong(self) -> bool:
        return self.expected is not None and self.expected != self.value

    @property
    def winner(self) -> ContenderView | None:
        return next((c for c in self.contenders if c.won), None)

    @property
    def beaten(self) -> tuple[ContenderView, ...]:
        return tuple(c for c in self.contenders if not c.won)


@dataclass(frozen=True)
class FindingView:
    id: str
    rule: str
    message: str
    matched: str | None


@dataclass(frozen=True)
class Trace:
    segments: tuple[Segment, ...]
    fields: tuple[FieldView, ...]
    findings: tuple[FindingView, ...]
    expected_findings: tuple[str, ...] | None = None  # None: not labelled, or no labels at all


def _matched(text: str, spans: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text[s:e] for s, e in sorted((int(p["start"]), int(p["end"])) for p in spans)))


def trace_view(
    text: str,
    explained: Mapping[str, Any],
    expected: Mapping[str, Any] | None = None,
) -> Trace:
    """The view model of a ticket's trace from `explain_json` data; `expected` (persona, issue,
    channel and findings: a list, or None when not labelled) sets the trace against labels."""
    marks: list[Mark] = []
    fields = []
    for item in explained.get("fields", ()):
        contenders = []
        for c in item["contenders"]:
            marks.extend(Mark(int(s["start"]), int(s["end"]), c["rule"], bool(c["won"])) for s in c["spans"])
            contenders.append(
                ContenderView(
                    c["rule"],
                    c["value"],
                    int(c["priority"]),
                    int(c["evidence"]),
                    c["where"],
                    bool(c["won"]),
                    _matched(text, c["spans"]),
                )
            )
        fields.append(
            FieldView(
                item["field"],
                item["value"],
                None if expected is None else expected.get(item["field"]),
                tuple(contenders),
                item.get("missing"),
                item.get("next_step"),
            )
        )
    findings = []
    for f in explained.get("findings", ()):
        span = f.get("span")
        if span:
            marks.append(Mark(int(span["start"]), int(span["end"]), f["rule"]))
        findings.append(
            FindingView(f["id"], f["rule"], f["message"], _matched(text, [span])[0] if span else None)
        )
    labelled = None if expected is None else expected.get("findings")
    return Trace(
        segments(text, marks),
        tuple(fields),
        tuple(findings),
        None if labelled is None else tuple(sorted(labelled)),
    )
