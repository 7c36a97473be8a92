"""`harness route --explain` and the explanation behind it: winners first, policy order, what an
undecided field lacks; and the small CLI papercuts of issue 10."""

from __future__ import annotations

import json

import pytest

import harness
from harness.cli import main
from harness.decide.explain import Contender, FieldExplanation, explain
from harness.errors import Location
from harness.model import Decision, RuleHit, Span, Ticket
from tests.support import ROOT

HERE = Location("rules/r.yaml", 3, 5)


def _hit(rule: str, sets: str, value: str, priority: int, *spans: tuple[int, int]) -> RuleHit:
    return RuleHit(rule, sets, value, priority, tuple(Span(a, b, "x" * (b - a)) for a, b in spans), HERE)


def test_contenders_follow_the_conflict_policy_winner_first() -> None:
    # Same priority: more distinct evidence wins, then the earlier evidence, then the smaller id.
    hits = (
        _hit("p-a", "persona", "seller", 10, (0, 4)),
        _hit("p-b", "persona", "seller", 10, (0, 4), (6, 9), (6, 9)),  # a repeated span counts once
        _hit("p-c", "persona", "creator", 50),
        _hit("i-z", "issue", "payout", 5, (8, 9)),
        _hit("i-y", "issue", "listing", 5, (2, 3)),
        _hit("i-x", "issue", "listing", 5, (2, 3)),
    )
    decision = Decision(
        "creator", "listing", "unroutable", matched=hits, deciding=(("persona", "p-c"), ("issue", "i-x"))
    )
    explained = explain(decision)
    assert [(e.field, [c.rule for c in e.contenders]) for e in explained] == [
        ("persona", ["p-c", "p-b", "p-a"]),
        ("issue", ["i-x", "i-y", "i-z"]),
        ("channel", []),
    ]
    assert explained[0].contenders[1] == Contender("p-b", "seller", 10, 2, hits[1].spans, HERE, False)
    assert [c.won for c in explained[1].contenders] == [True, False, False]
    assert explained[2] == FieldExplanation(
        "channel",
        "unroutable",
        (),
        "no channel rule covers a creator with a listing issue",
        "a gap in the rules: add a channel rule for persona creator, issue listing",
    )


def test_an_undecided_persona_says_what_is_missing_and_the_rest_wait_for_it() -> None:
    explained = explain(Decision("unroutable", "unroutable", "unroutable"))
    assert [(e.missing, e.next_step) for e in explained] == [
        (
            "nothing says who is writing: a shopper, a seller or a creator",
            "ask whether they bought, sell or create on TikTok Shop (or pass --persona), and what went wrong",
        ),
        ("not decided: persona is unroutable", "settle the persona first"),
        ("not decided: persona is unroutable", "settle the persona first"),
    ]


def test_a_persona_the_form_gave_is_not_called_unsaid() -> None:
    explained = explain(Decision("unroutable", "unroutable", "unroutable"), Ticket("refund please", persona="seller"))
    assert (explained[0].missing, explained[0].next_step) == (
        "the form says seller, but no persona rule takes that",
        "a gap in the rules: add a persona rule for tickets whose form says seller",
    )
    assert explained[1].missing == "not decided: persona is unroutable"


def test_route_prints_winners_first_with_priority_and_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", "where is my package"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        "persona  shopper   (rule persona-shopper-text)",
        "issue    order   (rule shopper-order-strong)",
        "channel  shopper_app_help   (rule channel-shopper-app-help)",
    ]
    # The rule's line is read from its file, so adding a rule above it does not break this test.
    line = (ROOT / "rules/routing/persona.yaml").read_text().splitlines().index("  - id: persona-shopper-text") + 1
    assert lines[lines.index("why:") :] == [
        "why:",
        f"  persona: won  persona-shopper-text -> shopper (priority 40, evidence 1; rules/routing/persona.yaml:{line}:5): 'my package'",
        "    (1 more rule lost; --explain lists them)",
        "  issue: won  shopper-order-strong -> order (priority 30, evidence 1; rules/routing/shopper.yaml:15:5): 'where is my package'",
        "    (2 more rules lost; --explain lists them)",
        "  channel: won  channel-shopper-app-help -> shopper_app_help (priority 10, evidence 0; rules/routing/channels.yaml:3:5): (no text condition)",
    ]


def test_route_explain_lists_every_competitor(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", "--explain", "where is my package"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if line.startswith("  issue:")] == [
        "  issue: won  shopper-order-strong -> order (priority 30, evidence 1; rules/routing/shopper.yaml:15:5): 'where is my package'",
        "  issue: lost shopper-order -> order (priority 20, evidence 1; rules/routing/shopper.yaml:3:5): 'where is my package'",
        "  issue: lost shopper-fallback-order -> order (priority 1, evidence 0; rules/routing/shopper.yaml:122:5): (no text condition)",
    ]
    assert not any("more rule" in line for line in lines)


def test_route_explain_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", "--explain", "--json", "where is my package"]) == 0
    payload = json.loads(capsys.readouterr().out)
    issue = payload["explain"][1]
    assert issue["field"] == "issue" and issue["missing"] is None
    assert [(c["rule"], c["won"], c["priority"], c["evidence"]) for c in issue["contenders"]] == [
        ("shopper-order-strong", True, 30, 1),
        ("shopper-order", False, 20, 1),
        ("shopper-fallback-order", False, 1, 0),
    ]
    assert issue["contenders"][0]["spans"] == [{"start": 0, "end": 19, "text": "where is my package"}]
    assert main(["route", "--json", "where is my package"]) == 0
    assert "explain" not in json.loads(capsys.readouterr().out)  # the plain object is unchanged


def test_an_unroutable_ticket_gets_a_next_step(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", "hello?"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[lines.index("why:") + 2 :] == [
        "  issue: unroutable: no rule names a shopper's problem in this text",
        "    next step: ask what went wrong; a shopper's issues are: order, refund, return, payment,"
        " cancellation, policy_disagreement, technical, escalation",
        "  channel: unroutable: not decided: issue is unroutable",
        "    next step: settle the issue first",
    ]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"harness {harness.__version__}\n"


def test_labels_lists_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["labels"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "personas: shopper, seller, creator"
    assert lines[1] == "issues (shopper): order, refund, return, payment, cancellation"
    assert lines[-3].startswith("channels: shopper_app_help, seller_center_chat,")
    assert lines[-2] == "arrival-only channels (--via, ticket.submitted_via): tiktok_app_feedback"
    assert lines[-1].startswith("findings: outcome-not-stated, missing-order-id,")


def test_the_engines_take_plain_text_from_a_notebook() -> None:
    rules = harness.load_rules("rules")
    text = "where is my package"
    assert harness.route(text, rules) == harness.route(Ticket(text), rules)
    assert harness.run(text, rules) == harness.run(Ticket(text), rules)
    decision = harness.route(text, rules)
    assert harness.lint(text, decision, rules) == harness.lint(Ticket(text), decision, rules)


def test_every_path_option_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("evaluate", "suggest", "gate"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert "--rules DIR the rules directory: its *.yaml files (default: rules)" in " ".join(out.split())
        assert "scenario files or folders: YAML, JSON Lines, CSV or Parquet (default: scenarios)" in " ".join(
            out.split()
        )


def test_harness_evaluate_stays_the_function_after_its_subpackage_is_imported() -> None:
    from harness.evaluate import evaluator

    assert callable(harness.evaluate)
    rules = harness.load_rules("tests/fixtures/mini_rules")
    evaluation = harness.evaluate(rules, harness.load_scenarios("tests/fixtures/mini_corpus"))
    assert isinstance(evaluation, evaluator.Evaluation) and evaluation.metrics.scenarios == 5
