"""What changed between two evaluations, scenario by scenario (pure): the scenarios fixed and
broken with each flipped field and the rule that decided it before and after, and the rules whose
status (live, never decisive, dead) changed. It works on result rows (`evaluator.row`), so it
compares a run with a report written earlier (`harness evaluate --compare`) as well as two runs in
memory (`harness serve`'s Live view)."""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from harness.evaluate.metrics import RuleRow
from harness.model import FIELDS

EXCERPT = 120  # characters of a ticket shown beside a flip

Row = Mapping[str, Any]


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The ticket on one line, cut to `limit` characters (the gate's and serve's excerpts too)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def deciding(value: str) -> dict[str, str]:
    """A row's `deciding_rule` ("persona=a;issue=b") as a mapping field -> rule."""
    return dict(part.split("=", 1) for part in value.split(";") if "=" in part)


@dataclass(frozen=True)
class FieldFlip:
    """One field of one scenario whose correctness changed, with the deciding rule before and after
    (for findings: the lint rules that fired, when the rows carry them)."""

    field: str
    expected: str
    before: str
    after: str
    rule_before: str | None
    rule_after: str | None


@dataclass(frozen=True)
class Flip:
    """A scenario that passed and now fails (broken) or the reverse (fixed)."""

    id: str
    kind: str  # "fixed" or "broken"
    where: str
    excerpt: str
    fields: tuple[FieldFlip, ...]


@dataclass(frozen=True)
class StatusChange:
    rule: str
    before: str  # "absent" for a rule that is new
    after: str


@dataclass(frozen=True)
class Changes:
    fixed: tuple[Flip, ...]
    broken: tuple[Flip, ...]
    statuses: tuple[StatusChange, ...]

    @property
    def became_dead(self) -> tuple[str, ...]:
        return tuple(s.rule for s in self.statuses if s.after == "dead")

    @property
    def became_live(self) -> tuple[str, ...]:
        return tuple(s.rule for s in self.statuses if s.before in ("dead", "absent") and s.after != "dead")


def _truthy(value: Any) -> bool:
    """A boolean column as written to results.csv ("True"/"False") or kept in memory."""
    return value is True or value == "True"


def _field_flips(was: Row, now: Row) -> tuple[FieldFlip, ...]:
    flipped = []
    rules_was, rules_now = deciding(was["deciding_rule"]), deciding(now["deciding_rule"])
    for name in FIELDS:
        right_was = was[f"predicted_{name}"] == was[f"expected_{name}"]
        right_now = now[f"predicted_{name}"] == now[f"expected_{name}"]
        if right_was != right_now:
            flipped.append(
                FieldFlip(
                    name,
                    now[f"expected_{name}"],
                    was[f"predicted_{name}"],
                    now[f"predicted_{name}"],
                    rules_was.get(name),
                    rules_now.get(name),
                )
            )
    if _truthy(now["findings_labelled"]):
        right_was = was["predicted_findings"] == was["expected_findings"]
        right_now = now["predicted_findings"] == now["expected_findings"]
        if right_was != right_now:
            flipped.append(
                FieldFlip(
                    "findings",
                    now["expected_findings"],
                    was["predicted_findings"],
                    now["predicted_findings"],
                    was.get("lint_rules") or None,
                    now.get("lint_rules") or None,
                )
            )
    return tuple(flipped)


# What a comparison reads of an earlier row (report/previous.py reads only these columns). Not the
# text: a corpus of millions is compared without holding its tickets; excerpts come from the rows now.
COMPARED = (
    *(f"{side}_{name}" for name in (*FIELDS, "findings") for side in ("expected", "predicted")),
    "findings_labelled",
    "passed",
    "deciding_rule",
    "lint_rules",
)


def kept_row(row: Row) -> dict[str, Any]:
    kept = {key: row.get(key) for key in COMPARED}
    kept["passed"] = _truthy(row["passed"])
    return kept


def _key(scenario_id: Any) -> int:
    return int.from_bytes(hashlib.blake2b(str(scenario_id).encode(), digest_size=8).digest(), "big")


class Comparison:
    """Earlier rows against later rows fed in as they stream (`add`), in corpus order.

    Of the earlier rows only a 64-bit hash of each id and whether it passed are held (9 bytes a
    row: a report of a million scenarios is compared in flat memory, where whole rows took about
    a kilobyte each); the earlier rows of the scenarios that seem to have flipped are read again by
    id at the end (`changes`), so a hash collision never reports a false flip (it could hide one:
    about one chance in 30 million for a million ids). `before` gives the earlier rows; it is
    called again only when something flipped."""

    def __init__(self, before: Callable[[], Iterable[Row]]) -> None:
        self._before = before
        keys, passed = array("Q"), array("b")
        for row in before():
            keys.append(_key(row["id"]))
            passed.append(_truthy(row["passed"]))
        order = np.argsort(np.frombuffer(keys, dtype=np.uint64), kind="stable")
        self._keys = np.frombuffer(keys, dtype=np.uint64)[order]
        self._passed = np.frombuffer(passed, dtype=np.int8)[order]
        self._flipped: dict[str, Row] = {}  # id -> the later row's compared fields, where and excerpt

    def add(self, rows: Iterable[Row]) -> None:
        rows = list(rows)
        if not rows or not len(self._keys):
            return
        keys = np.array([_key(now["id"]) for now in rows], dtype=np.uint64)
        at = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        for now, found, position in zip(rows, self._keys[at] == keys, at, strict=True):
            if found and bool(self._passed[position]) != _truthy(now["passed"]):
                kept = kept_row(now)
                kept.update(where=f"{now['file']}:{now['line']}", excerpt=excerpt(str(now["text"])))
                self._flipped[str(now["id"])] = kept

    def changes(self, before_rules: Iterable[RuleRow], after_rules: Iterable[RuleRow]) -> Changes:
        earlier = {}
        if self._flipped:
            earlier = {str(r["id"]): kept_row(r) for r in self._before() if str(r["id"]) in self._flipped}
        fixed: list[Flip] = []
        broken: list[Flip] = []
        for scenario_id, now in self._flipped.items():
            was = earlier.get(scenario_id)
            if was is None or was["passed"] == now["passed"]:
                continue  # two ids whose hashes collided
            flip = Flip(
                scenario_id,
                "fixed" if now["passed"] else "broken",
                now["where"],
                now["excerpt"],
                _field_flips(was, now),
            )
            (fixed if now["passed"] else broken).append(flip)
        return Changes(tuple(fixed), tuple(broken), status_changes(before_rules, after_rules))


def status_changes(before: Iterable[RuleRow], after: Iterable[RuleRow]) -> tuple[StatusChange, ...]:
    """Rules (rows of `coverage.rule_coverage`) whose status changed; a new rule counts from "absent"."""
    old = {r.rule: r.status for r in before}
    return tuple(
        StatusChange(r.rule, old.get(r.rule, "absent"), r.status)
        for r in after
        if old.get(r.rule, "absent") != r.status
    )


def changes_between(
    before_rows: Sequence[Row],
    after_rows: Iterable[Row],
    before_rules: Iterable[RuleRow],
    after_rules: Iterable[RuleRow],
) -> Changes:
    """Scenarios present in both (by id) whose pass/fail changed, in `after_rows`' order, and the
    rules whose status changed. `before_rows` is a sequence: it is read twice (hashes, then the
    flipped rows)."""
    comparison = Comparison(lambda: before_rows)
    comparison.add(after_rows)
    return comparison.changes(before_rules, after_rules)


def changes_json(changes: Changes) -> dict[str, Any]:
    """`--json`'s "changes": the ids first (what CI reads), then the detail."""
    return {
        "fixed": [f.id for f in changes.fixed],
        "broken": [f.id for f in changes.broken],
        "became_dead": list(changes.became_dead),
        "became_live": list(changes.became_live),
        "flips": [
            {
                "id": f.id,
                "kind": f.kind,
                "where": f.where,
                "excerpt": f.excerpt,
                "fields": [vars(field) for field in f.fields],
            }
            for f in (*changes.broken, *changes.fixed)
        ],
        "statuses": [vars(s) for s in changes.statuses],
    }
