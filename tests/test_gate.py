"""The regression gate against real (temporary) git repositories."""

from __future__ import annotations

import dataclasses
import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.cli import main
from harness.evaluate.metrics import Figures
from harness.gate.markdown import LIMIT, gate_markdown
from harness.gate.policy import mcnemar_worse_p
from harness.gate.result import Baseline, GateResult, PolicyUsed, Shift, Violation
from tests.support import ROOT

POLICY = """\
max_drop: {persona_accuracy: 0.0, issue_accuracy: 0.0, channel_accuracy: 0.0}
max_broken: 0
golden_tag: golden
min_rule_coverage: 0.0
no_new_dead_rules: false
no_missing_contract_labels: false
require_declared_relabels: true
"""

SCENARIOS = """\
- id: lock-1
  tags: [golden]
  ticket: {text: "Please unlock our seller account, shop ID 7495012345678901234: the 2FA code never arrives."}
  expect: {persona: seller, issue: account_access, channel: seller_contact_form}
- id: lock-2
  ticket: {text: "cant log in to seller center, it says suspicious activity. please unlock shop ID 7495012345678901111"}
  expect: {persona: seller, issue: account_access, channel: seller_contact_form}
- id: order-1
  ticket: {text: "where is my package? order 576461234567891234, please check"}
  expect: {persona: shopper, issue: order, channel: shopper_app_help}
- id: takedown-1
  ticket: {text: "My video was taken down and I go live tonight, please restore it."}
  expect: {persona: creator, issue: content_takedown, channel: creator_help_chat}
"""

CONTACT_RULE = "    set: {channel: seller_contact_form}\n    when:\n      decision: {persona: [seller]}\n      terms: lockout"
CONTACT_RULE_TO_CHAT = CONTACT_RULE.replace("seller_contact_form", "seller_center_chat")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "rules", root / "rules")
    (root / "scenarios").mkdir()
    (root / "scenarios" / "gate.yaml").write_text(SCENARIOS)
    (root / "policy.yaml").write_text(POLICY)
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "baseline")
    monkeypatch.chdir(root)
    return root


def gate(capsys, *extra: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def,type-arg]
    code = main(["gate", "--baseline", "HEAD", "--policy", "policy.yaml", "--json", *extra])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_sending_locked_out_sellers_to_the_chat_fails(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    edit(
        repo / "rules/routing/channels.yaml",
        CONTACT_RULE,
        CONTACT_RULE_TO_CHAT,
    )
    code, result = gate(capsys)
    assert code == 1
    assert result["broken_scenarios"] == ["lock-1", "lock-2"]
    entry = result["broken"][0]
    assert (entry["id"], entry["field"], entry["expected"], entry["before"], entry["after"]) == (
        "lock-1",
        "channel",
        "seller_contact_form",
        "seller_contact_form",
        "seller_center_chat",
    )
    assert [(r["side"], r["rule"], r["change"]) for r in entry["rules"]] == [
        ("before", "channel-seller-contact-form-locked-out", "changed"),
        ("after", "channel-seller-contact-form-locked-out", "changed"),
    ]
    assert entry["rules"][0]["where"].startswith("HEAD:rules/routing/channels.yaml:")
    assert entry["rules"][1]["where"].startswith("rules/routing/channels.yaml:")
    assert result["rule_changes"]["changed"] == ["channel-seller-contact-form-locked-out"]
    line = (repo / "rules/routing/channels.yaml").read_text().splitlines().index(
        "  - id: channel-seller-contact-form-locked-out"
    )
    assert result["changes"] == [
        {
            "kind": "rule",
            "name": "channel-seller-contact-form-locked-out",
            "file": "rules/routing/channels.yaml",
            "line": line + 1,
            "change": "changed",
            "owner": "seller-access",
            "affects": ["channel-seller-contact-form-locked-out"],
            "cosmetic": False,
            "keys": ["set"],
        }
    ]
    [group] = result["groups"]
    assert [e["id"] for e in group["broken"]] == ["lock-1", "lock-2"]
    checks = {v["check"] for v in result["violations"]}
    assert {"max_broken", "golden", "max_drop"} <= checks


def test_a_comment_only_change_passes(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = repo / "rules/routing/channels.yaml"
    path.write_text("# a note for reviewers\n" + path.read_text())
    code, result = gate(capsys)
    assert code == 0
    assert result["passed"] is True
    assert result["broken"] == [] and result["fixed"] == []
    assert result["rule_changes"] == {"added": [], "removed": [], "changed": []}


def test_fixing_some_but_breaking_a_golden_one_fails(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    shopper_channel = "    priority: 10\n    set: {channel: shopper_app_help}"
    edit(
        repo / "rules/routing/channels.yaml",
        shopper_channel,
        "    priority: 10\n    set: {channel: program_team}",
    )
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "baseline sends shoppers astray")
    edit(
        repo / "rules/routing/channels.yaml",
        "    priority: 10\n    set: {channel: program_team}",
        shopper_channel,
    )
    edit(
        repo / "rules/routing/seller.yaml",
        "    priority: 65\n    set: {issue: account_access}",
        "    priority: 65\n    set: {issue: technical}",
    )
    code, result = gate(capsys)
    assert code == 1
    assert result["fixed_scenarios"] == ["order-1"]
    assert result["broken_scenarios"] == ["lock-1", "lock-2"]
    assert any(
        v["check"] == "golden" and v["message"] == "golden scenarios broken: lock-1"
        for v in result["violations"]
    )


def test_a_declared_relabel_passes(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (repo / "RELABELS.yaml").write_text("- {id: takedown-1, reason: a live tonight makes it urgent}\n")
    edit(
        repo / "scenarios/gate.yaml",
        "expect: {persona: creator, issue: content_takedown, channel: creator_help_chat}",
        "expect: {persona: creator, issue: content_takedown, channel: creator_help_chat, findings: []}",
    )
    code, result = gate(capsys)
    assert code == 0
    assert [(r["id"], r["declared"], r["reason"]) for r in result["relabelled"]] == [
        ("takedown-1", True, "a live tonight makes it urgent")
    ]


def test_a_change_that_raises_accuracy_passes_and_lists_the_fix(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    edit(
        repo / "rules/routing/channels.yaml",
        "    set: {channel: creator_help_chat}\n    when:\n      decision: {persona: [creator], issue: [content_takedown, sample_shipment]}",
        "    set: {channel: creator_help_ticket}\n    when:\n      decision: {persona: [creator], issue: [content_takedown, sample_shipment]}",
    )
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "break the urgent chat")
    edit(
        repo / "rules/routing/channels.yaml",
        "    set: {channel: creator_help_ticket}\n    when:\n      decision: {persona: [creator], issue: [content_takedown, sample_shipment]}",
        "    set: {channel: creator_help_chat}\n    when:\n      decision: {persona: [creator], issue: [content_takedown, sample_shipment]}",
    )
    code, result = gate(capsys)
    assert (code, result["broken"]) == (0, [])
    assert [(f["id"], f["field"], f["after"]) for f in result["fixed"]] == [
        ("takedown-1", "channel", "creator_help_chat")
    ]
    assert result["metrics"]["delta"]["channel_accuracy"] == pytest.approx(0.25)


def test_an_undeclared_relabel_fails(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    edit(
        repo / "scenarios/gate.yaml",
        "issue: order, channel: shopper_app_help}",
        "issue: refund, channel: shopper_app_help}",
    )
    code, result = gate(capsys)
    assert code == 1
    assert [
        (r["id"], r["before"]["issue"], r["after"]["issue"], r["declared"]) for r in result["relabelled"]
    ] == [("order-1", "order", "refund", False)]
    relabel = [v["message"] for v in result["violations"] if v["check"] == "declared_relabels"]
    assert relabel == ["relabelled but not declared in RELABELS.yaml: order-1"]


def test_bad_ref_is_bad_input(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["gate", "--baseline", "no-such-branch"]) == 2
    assert capsys.readouterr().err == (
        "harness: error: --baseline: unknown git ref 'no-such-branch'; pass a branch, tag or commit\n"
    )


def test_baseline_rules_that_do_not_load(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (repo / "rules" / "broken.yaml").write_text("routing: [\n")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "broken rules")
    (repo / "rules" / "broken.yaml").unlink()
    assert main(["gate", "--baseline", "HEAD", "--policy", "policy.yaml"]) == 2
    assert capsys.readouterr().err == (
        "harness: error: HEAD:rules/broken.yaml:2:1: baseline rules at HEAD: YAML syntax error:"
        " did not find expected node content; fix the YAML syntax\n"
    )


def test_an_empty_corpus_never_passes(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (repo / "scenarios" / "gate.yaml").write_text("")
    assert main(["gate", "--baseline", "HEAD", "--policy", "policy.yaml"]) == 2
    assert (
        capsys.readouterr().err
        == "harness: error: scenarios: the corpus is empty: no scenarios found; add scenarios\n"
    )


def test_outputs_markdown_and_junit(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    edit(
        repo / "rules/routing/channels.yaml",
        CONTACT_RULE,
        CONTACT_RULE_TO_CHAT,
    )
    code = main(
        ["gate", "--baseline", "HEAD", "--policy", "policy.yaml", "--markdown", "pr.md", "--out", "gate-out"]
    )
    assert code == 1
    markdown = (repo / "pr.md").read_text()
    assert markdown.startswith("<!-- written by harness gate -->\n❌ **Gate failed**")
    rules = (repo / "rules/routing/channels.yaml").read_text().splitlines()
    line = rules.index("  - id: channel-seller-contact-form-locked-out") + 1
    # Grouped under the change that caused the breaks, with its file:line and owner, once each.
    assert (
        f"### rule `channel-seller-contact-form-locked-out` (`rules/routing/channels.yaml:{line}`),"
        " owner seller-access (2)"
    ) in markdown
    assert f"- rule `channel-seller-contact-form-locked-out` changed at `rules/routing/channels.yaml:{line}`" in markdown
    assert (
        "| `lock-1` | Please unlock our seller account, shop ID 7495012345678901234: the 2FA code never arrives."
        " | channel: expected seller_contact_form, before seller_contact_form, after seller_center_chat |"
    ) in markdown
    junit = (repo / "gate-out" / "junit.xml").read_text()
    assert 'name="lock-1 channel"' in junit and 'name="golden"' in junit
    capsys.readouterr()
    # `--markdown -` prints the same comment and writes no file named "-".
    assert main(["gate", "--baseline", "HEAD", "--policy", "policy.yaml", "--markdown", "-"]) == 1
    assert capsys.readouterr().out == markdown
    assert not (repo / "-").exists()
    assert main(["gate", "--baseline", "HEAD", "--markdown", "-", "--json"]) == 2
    assert capsys.readouterr().err == (
        "harness: error: harness: --markdown - and --json both print on standard output; pick one\n"
    )


def test_markdown_is_cut_cleanly_for_thousands_of_breaks() -> None:
    field = {"field": "issue", "expected": "order", "before": "order", "after": "refund", "rules": []}
    entry = {"id": "s", "file": "f.yaml", "line": 1, "tags": [], "excerpt": "where is it", "fields": [field]}
    broken = [{**entry, "id": f"s{i}"} for i in range(5000)]
    cause = {"kind": "rule", "name": "r", "file": "rules/a.yaml", "line": 3, "change": "changed", "owner": "team-a"}
    before = Figures(5000, 5000, 1.0, 1.0, 1.0, 1.0, None, 1.0, 0)
    after = dataclasses.replace(before, passed=0)
    result = GateResult(
        passed=False,
        violations=[Violation("max_broken", "5000 scenarios broken")],
        baseline=Baseline("main", "0" * 40),
        changes=[{**cause, "affects": ["r"], "cosmetic": False, "keys": ["when"]}],
        groups=[{"causes": [cause], "group": "rule r", "broken": broken, "fixed": []}],
        broken=[],
        fixed=[],
        broken_scenarios=[b["id"] for b in broken],
        fixed_scenarios=[],
        rule_changes={"added": [], "removed": [], "changed": ["r"]},
        relabelled=[],
        metrics=Shift.between(before, after),
        holdout=Shift.between(after, after),
        dead_rules={},
        missing_labels=[],
        examples_now_failing=[],
        policy=PolicyUsed(False, 0.05, "default"),
    )
    text = gate_markdown(result)
    assert len(text) <= LIMIT
    assert text.startswith("<!-- written by harness gate -->\n❌ **Gate failed** (1 violations)")
    assert text.rstrip().endswith("more rows not shown (size limit); see the --json output or junit.xml.")
    assert "\n### rule `r` (`rules/a.yaml:3`), owner team-a (5000)\n" in text
    assert "\n| `s0` | where is it | issue: expected order, before order, after refund |\n" in text


def test_mcnemar_exact_p() -> None:
    assert mcnemar_worse_p(0, 0) == 1.0
    assert mcnemar_worse_p(5, 0) == pytest.approx(1 / 32)
    assert mcnemar_worse_p(3, 3) == pytest.approx(42 / 64)
    # Large corpora: 2**n overflows a float past n = 1,024, the ratio does not.
    assert mcnemar_worse_p(1000, 1000) == pytest.approx(0.5 + math.comb(2000, 1000) / 2**2001)
    assert mcnemar_worse_p(1200, 900) < 1e-9
    assert mcnemar_worse_p(10, 2) == pytest.approx(79 / 4096)


def test_statistical_mode_tolerates_a_small_net_loss(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (repo / "policy.yaml").write_text(
        POLICY.replace("golden_tag: golden", "golden_tag: none-here")
        + "statistical: {enabled: true, alpha: 0.05}\n"
    )
    edit(
        repo / "rules/routing/channels.yaml",
        CONTACT_RULE,
        CONTACT_RULE_TO_CHAT,
    )
    code, result = gate(capsys)
    assert result["broken_scenarios"] == ["lock-1", "lock-2"]
    # 2 broken, 0 fixed: p = 0.25, not significant. The edit also makes the lint rule
    # wrong-channel's inline example fail, which the statistical mode does not excuse.
    assert (code, [v["check"] for v in result["violations"]]) == (1, ["no_new_failing_examples"])
