"""`harness serve`: the JSON API and the HTML views through Flask's test client, the live loop
(an edit on disk, the watcher, what flipped), load errors, and the trace view model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from harness.cli import main
from harness.report.trace import Mark, Segment, segments
from harness.serve import State, create_app
from harness.serve.watcher import Watcher
from tests.support import FIXTURES, ROOT

CORPUS = FIXTURES / "mini_corpus"
MINI_RULES = FIXTURES / "mini_rules"
RULES_FILE = str(MINI_RULES / "rules.yaml")  # locations name files as the paths were given
CORPUS_FILE = str(CORPUS / "corpus.yaml")


def client_for(rules: Path, scenarios: list[Path]) -> tuple[FlaskClient, State]:
    state = State(str(rules), [str(p) for p in scenarios])
    state.reload()
    return create_app(state).test_client(), state


@pytest.fixture(scope="module")
def mini() -> FlaskClient:
    return client_for(MINI_RULES, [CORPUS])[0]


@pytest.fixture
def live(tmp_path: Path) -> tuple[FlaskClient, State, Path]:
    """An app over a copy of the mini rules that the test edits."""
    rules = tmp_path / "rules"
    shutil.copytree(MINI_RULES, rules)
    client, state = client_for(rules, [CORPUS])
    return client, state, rules / "rules.yaml"


def test_api_route_on_the_bundled_rules_is_harness_route_json(capsys: pytest.CaptureFixture[str]) -> None:
    text = "locked out of seller center, the 2fa code never arrives"
    client, _ = client_for(ROOT / "rules", [CORPUS])
    got = client.get("/api/route", query_string={"text": text}).get_json()
    assert main(["route", "--rules", str(ROOT / "rules"), "--json", text]) == 0
    assert got == json.loads(capsys.readouterr().out)
    assert (got["persona"], got["issue"], got["channel"]) == (
        "seller",
        "account_access",
        "seller_contact_form",
    )
    assert got["trace"]["deciding"] == {
        "persona": "persona-seller-text",
        "issue": "seller-account-access",
        "channel": "channel-seller-contact-form-locked-out",
    }


def test_api_route_exact_object(mini: FlaskClient) -> None:
    response = mini.get("/api/route?text=my+shop+wants+a+refund&attach=a.png")
    assert response.status_code == 200
    where = RULES_FILE
    assert response.get_json() == {
        "persona": "seller",
        "issue": "refund",
        "channel": "seller_center_chat",
        "unroutable": False,
        "path": [],
        "needs": [],
        "expect": [],
        "trace": {
            "deciding": {"persona": "p-seller", "issue": "i-refund", "channel": "c-seller"},
            "matched": [
                {
                    "rule": "p-seller",
                    "sets": "persona",
                    "value": "seller",
                    "priority": 10,
                    "where": f"{where}:15:5",
                    "spans": [{"start": 0, "end": 7, "text": "my shop"}],
                },
                {
                    "rule": "p-shopper",
                    "sets": "persona",
                    "value": "shopper",
                    "priority": 0,
                    "where": f"{where}:8:5",
                    "spans": [],
                },
                {
                    "rule": "i-refund",
                    "sets": "issue",
                    "value": "refund",
                    "priority": 10,
                    "where": f"{where}:22:5",
                    "spans": [{"start": 16, "end": 22, "text": "refund"}],
                },
                {
                    "rule": "c-seller",
                    "sets": "channel",
                    "value": "seller_center_chat",
                    "priority": 1,
                    "where": f"{where}:57:5",
                    "spans": [],
                },
            ],
        },
    }


def test_api_route_given_persona_wins(mini: FlaskClient) -> None:
    got = mini.get("/api/route", query_string={"text": "refund", "persona": "seller"}).get_json()
    assert (got["persona"], got["issue"], got["channel"]) == ("unroutable", "unroutable", "unroutable")


def test_api_route_bad_input_is_400_with_the_cli_error_shape(mini: FlaskClient) -> None:
    empty = mini.get("/api/route?text=%20")
    assert empty.status_code == 400
    problem = {"message": "the ticket text is empty; pass text=...", "item": "", "file": "<ticket>", "line": None}
    assert empty.get_json() == {"error": problem, "problems": [problem]}
    alien = mini.get("/api/route?text=hi&persona=alien")
    assert alien.status_code == 400
    assert alien.get_json()["error"]["message"] == (
        "persona: unknown label 'alien'; valid: shopper, seller, creator (`harness labels` lists them all)"
    )


def ids(response: Any) -> list[str]:
    return [r["id"] for r in response.get_json()["scenarios"]]


def test_api_scenarios_rows_and_filters(mini: FlaskClient) -> None:
    everything = mini.get("/api/scenarios").get_json()
    assert everything["total"] == 5 and ids(mini.get("/api/scenarios")) == ["m1", "m2", "m3", "m4", "m5"]
    m4 = everything["scenarios"][3]
    assert {k: m4[k] for k in ("expected_issue", "predicted_issue", "failed", "deciding_rule", "passed")} == {
        "expected_issue": "dispute",
        "predicted_issue": "refund",
        "failed": "issue",
        "deciding_rule": "persona=p-seller;issue=i-refund;channel=c-seller",
        "passed": False,
    }
    assert ids(mini.get("/api/scenarios?wrong=issue")) == ["m4", "m5"]
    assert ids(mini.get("/api/scenarios?wrong=any")) == ["m3", "m4", "m5"]
    assert ids(mini.get("/api/scenarios?wrong=none")) == ["m1", "m2"]
    assert ids(mini.get("/api/scenarios?wrong=findings")) == ["m3"]
    assert ids(mini.get("/api/scenarios?tag=hard")) == ["m2"]
    assert ids(mini.get("/api/scenarios?rule=i-refund")) == ["m1", "m4"]
    assert ids(mini.get("/api/scenarios?label=dispute")) == ["m4"]
    assert ids(mini.get("/api/scenarios?text=PAYOUT")) == ["m3"]
    assert ids(mini.get("/api/scenarios", query_string={"file": "more.jsonl"})) == []  # the whole path
    assert ids(mini.get("/api/scenarios", query_string={"file": str(CORPUS / "more.jsonl")})) == ["m5"]


def test_api_rules_fires_decides_status_examples(mini: FlaskClient) -> None:
    rules = {r["rule"]: r for r in mini.get("/api/rules").get_json()["rules"]}
    assert len(rules) == 9
    refund = rules["i-refund"]
    assert {k: refund[k] for k in ("file", "line", "matched", "decisive", "status", "decides_scenarios")} == {
        "file": RULES_FILE,
        "line": 22,
        "matched": 2,
        "decisive": 2,
        "status": "live",
        "decides_scenarios": ["m1", "m4"],
    }
    assert rules["i-cancel"]["status"] == "dead"
    assert rules["p-shopper"]["status"] == "live"
    assert rules["i-cancel"]["examples"] == [
        {"text": "cancel", "should_match": True, "ok": True, "where": f"{RULES_FILE}:49:24"},
        {"text": "x", "should_match": False, "ok": True, "where": f"{RULES_FILE}:49:46"},
    ]


def test_changes_after_an_edit_name_the_flipped_scenarios_and_rules(
    live: tuple[FlaskClient, State, Path],
) -> None:
    client, state, rules_file = live
    assert client.get("/api/changes").get_json()["fixed"] == []
    watcher = Watcher([rules_file.parent, CORPUS], state.reload, interval=0.01)
    assert watcher.poll() is False  # nothing changed yet
    rules_file.write_text(rules_file.read_text().replace("phrases: [refund]", "phrases: [refunds]"))
    assert watcher.poll() is True
    changes = client.get("/api/changes").get_json()
    where = CORPUS_FILE
    assert changes["fixed"] == []
    assert changes["broken"] == [
        {
            "id": "m1",
            "kind": "broken",
            "where": f"{where}:1",
            "excerpt": "refund please, order 123456",
            "fields": [
                {
                    "field": "issue",
                    "expected": "refund",
                    "before": "refund",
                    "after": "unroutable",
                    "rule_before": "i-refund",
                    "rule_after": None,
                },
                {
                    "field": "channel",
                    "expected": "shopper_app_help",
                    "before": "shopper_app_help",
                    "after": "unroutable",
                    "rule_before": "c-shopper",
                    "rule_after": None,
                },
            ],
        }
    ]
    assert changes["rule_status"] == [{"rule": "i-refund", "before": "live", "after": "dead"}]
    assert changes["rule_changes"] == [  # the gate's diff: what the edit changed, with file:line
        {
            "kind": "rule",
            "name": "i-refund",
            "change": "changed",
            "file": str(rules_file),
            "line": 22,
            "cosmetic": False,
            "added": [],
            "removed": [],
        }
    ]
    assert (changes["evaluation"], changes["previous"], changes["problems"]) == (2, 1, [])
    page = client.get("/live").get_data(as_text=True)
    assert '<tr class="flip-broken" data-id="m1">' in page
    assert "<td>i-refund</td><td>-</td>" in page
    assert f'<li>rule <b>i-refund</b> changed <span class="muted">{rules_file}:22:5</span></li>' in page


def test_a_load_error_is_shown_with_file_and_line_and_the_last_evaluation_stays(
    live: tuple[FlaskClient, State, Path],
) -> None:
    client, state, rules_file = live
    rules_file.write_text(rules_file.read_text().replace("priority: 5", "priority: [5"))
    status = state.reload()
    assert status.current is not None and status.current.version == 1
    problems = client.get("/api/changes").get_json()["problems"]
    assert [(p["file"], p["line"]) for p in problems] == [(str(rules_file), 33)]
    assert client.get("/api/scenarios").get_json()["total"] == 5  # the last good evaluation
    page = client.get("/live").get_data(as_text=True)
    assert f"<code>{rules_file}:33:" in page
    assert client.get("/api/status").get_json() == {
        "generation": 2,
        "evaluation": 1,
        "scenarios": 5,
        "passed": 2,
        "problems": 1,
    }


def test_nothing_loads_at_all_gives_503_and_pages_still_render(tmp_path: Path) -> None:
    bad = tmp_path / "rules"
    bad.mkdir()
    (bad / "r.yaml").write_text("routing: [\n")
    client, _ = client_for(bad, [CORPUS])
    response = client.get("/api/route?text=hi")
    assert response.status_code == 503
    assert response.get_json()["error"]["file"] == str(bad / "r.yaml")
    for url in ("/try?text=hi", "/scenarios", "/rules", "/live"):
        assert client.get(url).status_code == 200, url


def test_try_view_highlights_the_evidence(mini: FlaskClient) -> None:
    page = mini.get("/try?text=my+shop+wants+a+refund").get_data(as_text=True)
    assert (
        '<div class="ticket"><mark class="won" title="p-seller">my shop</mark> wants a '
        '<mark class="won" title="i-refund">refund</mark></div>'
    ) in page
    assert '<b id="decision-issue" class="">refund</b>' in page
    assert '<a href="/rules/p-shopper">p-shopper</a> &rarr; shopper' in page  # the rule it beat


def test_try_view_escapes_the_ticket(mini: FlaskClient) -> None:
    page = mini.get("/try", query_string={"text": "<script>alert(1)</script> refund"}).get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; " in page


def test_scenarios_view_filters_and_opens_a_trace(mini: FlaskClient) -> None:
    page = mini.get("/scenarios?wrong=issue").get_data(as_text=True)
    assert page.count('<tr data-id="') == 2 and "2 of 5 scenarios" in page
    trace = mini.get("/scenarios/m4").get_data(as_text=True)
    assert "fails: issue" in trace
    assert '<td class="bad">refund</td>\n<td>dispute</td>' in trace  # got, expected
    assert mini.get("/scenarios/nope").status_code == 404


def test_rules_view_and_rule_detail(mini: FlaskClient) -> None:
    page = mini.get("/rules?status=dead").get_data(as_text=True)
    assert page.count('<tr data-rule="') == 1 and 'data-rule="i-cancel"' in page
    detail = mini.get("/rules/i-refund").get_data(as_text=True)
    assert f"{RULES_FILE}:22" in detail
    assert '<a href="/scenarios/m4">m4</a>' in detail
    assert mini.get("/rules/nope").status_code == 404


def test_only_local_host_names_are_served(mini: FlaskClient) -> None:
    assert mini.get("/api/status", headers={"Host": "attacker.example"}).status_code == 400
    assert mini.get("/api/status", headers={"Host": "127.0.0.1:8765"}).status_code == 200


def test_pages_load_nothing_from_elsewhere(mini: FlaskClient) -> None:
    for url in ("/try?text=refund", "/scenarios", "/rules", "/live"):
        page = mini.get(url).get_data(as_text=True)
        for marker in ('src="http', 'href="http', "url(http", "@import", "<link"):
            assert marker not in page, (url, marker)


def test_segments_merge_overlapping_spans() -> None:
    marks = [Mark(1, 3, "a"), Mark(2, 5, "b", won=True), Mark(6, 7, "c"), Mark(9, 12, "d"), Mark(7, 7, "e")]
    assert segments("abcdefgh", marks) == (
        Segment("a"),
        Segment("bcde", ("a", "b"), True),
        Segment("f"),
        Segment("g", ("c",)),
        Segment("h"),
    )
    assert segments("", []) == (Segment(""),)
    assert "".join(s.text for s in segments("abc", [Mark(0, 3, "x"), Mark(0, 1, "y")])) == "abc"


def test_serve_binds_loopback_only() -> None:
    from harness.serve import start

    with pytest.raises(ValueError, match="loopback"):
        start(str(MINI_RULES), [str(CORPUS)], 0, host="0.0.0.0")


def test_serve_refuses_a_busy_port_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    from harness.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    assert capsys.readouterr().err == (
        f"harness: error: harness: --port {port}: cannot listen on 127.0.0.1:{port} (Address already in use);"
        " pick another port\n"
    )
    assert main(["serve", "--port", "70000"]) == 2
    assert capsys.readouterr().err == "harness: error: harness: --port must be from 0 to 65535, not 70000\n"
