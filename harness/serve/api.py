"""The JSON API under /api/, mirroring the CLI: /api/route is `harness route --json`'s object
(one serializer, harness.decide.outcome_json.py), /api/scenarios the rows of results.csv,
/api/rules the rows of rules.csv with examples and decided scenarios, /api/changes what the last
edit flipped, /api/status what the pages poll."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from harness.contract import Contract
from harness.decide.outcome_json import decision_json
from harness.decide.run import run
from harness.errors import HarnessError, Location, Problem
from harness.evaluate.changes import deciding
from harness.load.validate import unknown_label
from harness.model import Ticket
from harness.plain import to_plain
from harness.serve.query import Filters, select
from harness.serve.state import Snapshot, State, Status, changes, rule_changes

MAX_TICKET_CHARS = 100_000  # the CLI's limit (harness route): the same ticket, the same answer

api = Blueprint("api", __name__, url_prefix="/api")


def state() -> State:
    found: State = current_app.extensions["harness"]
    return found


def problems_json(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    """Problems as `harness ... --json` prints them on exit 2."""
    return [
        {"message": p.message, "item": p.item, "file": p.location.file, "line": p.location.line or None}
        for p in problems
    ]


def error_response(problems: Iterable[Problem], code: int) -> tuple[Response, int]:
    listed = problems_json(problems)
    return jsonify({"error": listed[0], "problems": listed}), code


def ticket_from(args: Mapping[str, str], attachments: Iterable[str], contract: Contract) -> Ticket:
    """The ticket of a request, checked as `harness route` checks its arguments (against the
    contract the rules were loaded with)."""
    text = args.get("text", "")
    where = Location("<ticket>")
    if not text.strip():
        raise HarnessError.at(where, "the ticket text is empty; pass text=...")
    if len(text) > MAX_TICKET_CHARS:
        raise HarnessError.at(
            where, f"the ticket is {len(text)} characters, over the {MAX_TICKET_CHARS} limit; shorten it"
        )
    persona = args.get("persona") or None
    via = args.get("via") or None
    for name, value, allowed in (
        ("persona", persona, contract.personas),
        ("via", via, contract.arrivals),
    ):
        if value is not None and value not in allowed:
            raise HarnessError.at(Location("harness"), f"{name}: {unknown_label('label', value, allowed)}")
    return Ticket(text, persona, via, tuple(a.strip() for a in attachments if a.strip()))


def no_rules(status: Status) -> tuple[Response, int]:
    """503 while no rule set has ever loaded: the load problems say why."""
    problems = status.problems or (Problem(Location("harness"), "", "still evaluating; try again"),)
    return error_response(problems, 503)


@api.get("/route")
def route_api() -> Any:
    status = state().status()
    if status.current is None:
        return no_rules(status)
    try:
        ticket = ticket_from(request.args, request.args.getlist("attach"), state().contract)
        outcome = run(ticket, status.current.rules)
    except HarnessError as exc:
        return error_response(exc.problems, 400)
    return jsonify(decision_json(outcome))


@api.get("/scenarios")
def scenarios_api() -> Any:
    status = state().status()
    if status.current is None:
        return no_rules(status)
    rows = status.current.rows
    shown = select(rows, Filters.of(request.args))
    return jsonify({"evaluation": status.current.version, "total": len(rows), "scenarios": shown})


def rules_json(snapshot: Snapshot) -> list[dict[str, Any]]:
    decides: dict[str, list[str]] = {}
    for r in snapshot.rows:
        for rule in dict.fromkeys(deciding(r["deciding_rule"]).values()):
            decides.setdefault(rule, []).append(r["id"])
    return [
        {
            **to_plain(entry),
            "examples": [
                {
                    "text": e.example.ticket.text,
                    "should_match": e.example.should_match,
                    "ok": e.ok,
                    "where": str(e.example.location),
                }
                for e in snapshot.examples.get(entry.rule, ())
            ],
            "decides_scenarios": decides.get(entry.rule, []),
        }
        for entry in snapshot.rule_rows
    ]


@api.get("/rules")
def rules_api() -> Any:
    status = state().status()
    if status.current is None:
        return no_rules(status)
    return jsonify({"evaluation": status.current.version, "rules": rules_json(status.current)})


def changes_json(status: Status) -> dict[str, Any]:
    before, after = status.previous, status.current
    found = changes(before, after) if before and after else None
    return {
        "generation": status.generation,
        "evaluation": after.version if after else None,
        "previous": before.version if before else None,
        "problems": problems_json(status.problems),
        "fixed": [to_plain(f) for f in found.fixed] if found else [],
        "broken": [to_plain(f) for f in found.broken] if found else [],
        "rule_status": [to_plain(c) for c in found.statuses] if found else [],
        "rule_changes": [
            {
                "kind": c.kind,
                "name": c.name,
                "change": c.change,
                "file": c.location.file,
                "line": c.location.line or None,
                "cosmetic": c.cosmetic,
                "added": list(c.added),
                "removed": list(c.removed),
            }
            for c in rule_changes(before, after)
        ]
        if before and after
        else [],
    }


@api.get("/changes")
def changes_api() -> Any:
    return jsonify(changes_json(state().status()))


@api.get("/status")
def status_api() -> Any:
    status = state().status()
    current = status.current
    return jsonify(
        {
            "generation": status.generation,
            "evaluation": current.version if current else None,
            "scenarios": len(current.rows) if current else 0,
            "passed": sum(bool(r["passed"]) for r in current.rows) if current else 0,
            "problems": len(status.problems),
        }
    )
