"""The CLI as a user meets it: output shapes, exit codes, standard input."""

from __future__ import annotations

import io
import json

import pytest

from harness.cli import main
from tests.support import ROOT


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)


def test_route_json_has_the_documented_keys(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["route", "locked out of seller center, the 2fa code never arrives", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"persona", "issue", "channel", "path", "needs", "expect", "trace"} <= set(out)
    assert (out["persona"], out["issue"], out["channel"]) == (
        "seller",
        "account_access",
        "seller_contact_form",
    )
    assert out["path"][0] == "Go to seller-us.tiktok.com/contact-us"
    assert out["needs"] == ["shop ID"]
    assert out["trace"]["deciding"] == {
        "persona": "persona-seller-text",
        "issue": "seller-account-access",
        "channel": "channel-seller-contact-form-locked-out",
    }
    lockout = next(m for m in out["trace"]["matched"] if m["rule"] == "seller-account-access")
    assert [s["text"] for s in lockout["spans"]] == ["locked out", "2fa", "code never arrives"]
    assert lockout["where"].startswith("rules/routing/seller.yaml:")


def test_route_reads_standard_input(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO("where is my package"))
    assert main(["route", "-", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["persona"], out["issue"], out["channel"]) == ("shopper", "order", "shopper_app_help")


def test_lint_json(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["lint", "where is my package", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(f["id"], f["rule"]) for f in out["findings"]] == [
        ("missing-order-id", "missing-order-id"),
        ("outcome-not-stated", "outcome-not-stated"),
    ]
    assert out["findings"][0]["message"].startswith("Add the order ID")


def test_lint_wrong_channel_from_submitted_via(capsys) -> None:  # type: ignore[no-untyped-def]
    args = [
        "lint",
        "my video was taken down before my live tonight, please restore it",
        "--via",
        "tiktok_app_feedback",
    ]
    assert main([*args, "--json"]) == 0
    ids = [f["id"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert "wrong-channel" in ids


def test_route_text_output(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["route", "where is my package"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "persona  shopper   (rule persona-shopper-text)"
    assert lines[1] == "issue    order   (rule shopper-order-strong)"
    assert lines[2] == "channel  shopper_app_help   (rule channel-shopper-app-help)"
    assert "why:" in lines


def test_check_passes_on_bundled_rules(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["check"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("inline examples pass")


def test_evaluate_defaults(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["evaluate", "--out", str(tmp_path / "r"), "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert metrics["scenarios"] >= 250
    for key in (
        "persona_accuracy",
        "issue_accuracy",
        "channel_accuracy",
        "exact_match",
        "findings_micro_f1",
        "rule_coverage",
    ):
        assert 0.0 <= metrics[key] <= 1.0
    written = {p.name for p in (tmp_path / "r").iterdir()}
    assert {"metrics.json", "results.csv", "rules.csv", "summary.md", "junit.xml", "index.html"} <= written


def test_empty_ticket_is_bad_input(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["route", "   "]) == 2
    assert capsys.readouterr().err == (
        "harness: error: <ticket>: the ticket text is empty; pass TEXT or pipe it on standard input\n"
    )


def test_main_leaves_the_environment_alone_and_the_command_puts_arrow_on_the_c_allocator(  # type: ignore[no-untyped-def]
    capsys, monkeypatch
) -> None:
    """main() is what a notebook or a test calls: it must not change the caller's process. The
    `harness` command (entry) chooses Arrow's allocator before anything imports pyarrow."""
    import os

    from harness.cli import entry

    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    assert main(["route", "refund please"]) == 0
    assert "ARROW_DEFAULT_MEMORY_POOL" not in os.environ
    monkeypatch.setattr("sys.argv", ["harness", "route", "refund please"])
    with pytest.raises(SystemExit) as done:
        entry()
    assert done.value.code == 0
    assert os.environ["ARROW_DEFAULT_MEMORY_POOL"] == "system"
    capsys.readouterr()
