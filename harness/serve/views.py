"""The HTML views: Try a ticket, Scenarios (and one scenario's trace), Rules (and one rule), Live.
Pages are rendered on the server from the shared templates (harness/templates/) and work without
script; a little inline script only polls /api/status to refresh the Live panel after an edit."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, request

from harness.decide.outcome_json import explain_json
from harness.decide.run import run
from harness.errors import HarnessError
from harness.evaluate.changes import deciding
from harness.report.trace import trace_view
from harness.serve.api import rules_json, state, ticket_from
from harness.serve.query import Filters, choices, select
from harness.serve.state import Status, changes, rule_changes
from harness.templates import render

views = Blueprint("views", __name__)

MAX_ROWS = 1000  # scenario rows drawn in one page; the filters narrow a bigger corpus


def page(name: str, status: Status, **context: Any) -> str:
    return render(name, status=status, current=status.current, **context)


@views.get("/")
def index() -> Any:
    return redirect("/try")


@views.get("/favicon.ico")
def favicon() -> Any:
    return "", 204  # no icon; answered so the browser's request is not a 404 in the log


@views.get("/try")
def try_view() -> Any:
    status = state().status()
    args = request.args
    attachments = [a for a in args.get("attach", "").replace("\n", ",").split(",") if a.strip()]
    form = {
        "text": args.get("text", ""),
        "persona": args.get("persona", ""),
        "via": args.get("via", ""),
        "attach": ", ".join(a.strip() for a in attachments),
    }
    outcome = trace = None
    problems: tuple[Any, ...] = ()
    contract = state().contract  # what the rules and scenarios are loaded against
    if form["text"] and status.current is not None:
        try:
            ticket = ticket_from(args, attachments, contract)
            outcome = run(ticket, status.current.rules)
        except HarnessError as exc:
            problems = exc.problems
        else:
            trace = trace_view(form["text"], explain_json(outcome, ticket, contract))
    return page(
        "try.html",
        status,
        view="try",
        form=form,
        outcome=outcome,
        trace=trace,
        problems=problems,
        request_query=request.query_string.decode("ascii", "replace"),
        personas=contract.personas,
        vias=contract.arrivals,
    )


@views.get("/scenarios")
def scenarios_view() -> Any:
    status = state().status()
    rows = status.current.rows if status.current else ()
    filters = Filters.of(request.args)
    shown = select(rows, filters)
    return page(
        "scenarios.html",
        status,
        view="scenarios",
        filters=filters,
        choices=choices(rows),
        rows=shown[:MAX_ROWS],
        shown=len(shown),
        total=len(rows),
        max_rows=MAX_ROWS,
        deciding=deciding,
    )


@views.get("/scenarios/<path:scenario_id>")
def scenario_view(scenario_id: str) -> Any:
    status = state().status()
    result = status.current.result(scenario_id) if status.current else None
    if result is None:
        abort(404)
    scenario = result.scenario
    expected: dict[str, Any] = {n: result.expected(n) for n in ("persona", "issue", "channel")}
    findings = scenario.expect.findings
    expected["findings"] = None if findings is None else sorted(findings)
    return page(
        "scenario.html",
        status,
        view="scenarios",
        scenario=scenario,
        result=result,
        trace=trace_view(scenario.ticket.text, explain_json(result.outcome, scenario.ticket, state().contract), expected),
    )


@views.get("/rules")
def rules_view() -> Any:
    status = state().status()
    rows = rules_json(status.current) if status.current else []
    wanted = request.args.get("status", "")
    text = request.args.get("q", "").strip().casefold()
    shown = [
        r
        for r in rows
        if (not wanted or r["status"] == wanted)
        and (not text or text in f"{r['rule']} {r['owner'] or ''} {r['file']} {r['value']}".casefold())
    ]
    return page("rules.html", status, view="rules", rows=shown, total=len(rows), wanted=wanted, q=text)


@views.get("/rules/<rule_id>")
def rule_view(rule_id: str) -> Any:
    status = state().status()
    rows = rules_json(status.current) if status.current else []
    entry = next((r for r in rows if r["rule"] == rule_id), None)
    if entry is None or status.current is None:
        abort(404)
    rule = next(r for r in status.current.rules.rules if r.id == rule_id)
    by_id = {r["id"]: r for r in status.current.rows}
    decided = [by_id[i] for i in entry["decides_scenarios"]]
    return page("rule.html", status, view="rules", entry=entry, rule=rule, decided=decided[:MAX_ROWS])


def live_context(status: Status) -> dict[str, Any]:
    before, after = status.previous, status.current
    found = changes(before, after) if before and after else None
    return {
        "flips": (*found.broken, *found.fixed) if found else (),
        "rule_status": found.statuses if found else (),
        "rule_changes": rule_changes(before, after) if before and after else (),
        "compared": found is not None,
    }


@views.get("/live")
def live_view() -> Any:
    status = state().status()
    return page("live.html", status, view="live", **live_context(status))


@views.get("/live/panel")
def live_panel() -> Any:
    """The Live panel alone: the page swaps it in when /api/status says something changed."""
    status = state().status()
    return page("_live_panel.html", status, **live_context(status))
