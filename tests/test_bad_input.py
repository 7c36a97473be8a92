"""Every kind of bad input: one exact, located, one-line message; exit 2 from the CLI; nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

import harness
from harness.cli import main
from tests.support import MINIMAL_RULES

SCENARIO = "- id: s1\n  ticket: {text: hi}\n  expect: {persona: seller, issue: listing, channel: seller_center_chat}\n"

RULE_CASES = {
    "yaml syntax": (
        {"rules/a.yaml": "routing:\n  - id: x\n    priority: [1\n"},
        "rules/a.yaml:4:1: YAML syntax error: did not find expected ',' or ']'; fix the YAML syntax",
    ),
    "misspelt key": (
        {"rules/a.yaml": MINIMAL_RULES.replace("    priority: 0", "    prority: 0")},
        "rules/a.yaml:7:5: rule 'p-shopper': missing key 'priority'; add it\n"
        "rules/a.yaml:10:5: rule 'p-shopper': unknown key 'prority' (did you mean 'priority'?);"
        " remove it or correct the spelling",
    ),
    "missing key": (
        {"rules/a.yaml": MINIMAL_RULES.replace("    source: s\n", "")},
        "rules/a.yaml:7:5: rule 'p-shopper': missing key 'source'; add it",
    ),
    "wrong type": (
        {"rules/a.yaml": MINIMAL_RULES.replace("priority: 0", "priority: high")},
        "rules/a.yaml:10:15: rule 'p-shopper': priority must be a whole number, not text; change its value",
    ),
    "unknown label": (
        {
            "rules/a.yaml": MINIMAL_RULES.replace(
                "set: {persona: shopper}", "set: {channel: seller_contact_from}"
            )
        },
        "rules/a.yaml:11:20: rule 'p-shopper': unknown channel 'seller_contact_from'"
        " (did you mean 'seller_contact_form'?); use one of the labels in the contract (DOMAIN.md)",
    ),
    "duplicate rule id across files": (
        {"rules/a.yaml": MINIMAL_RULES, "rules/b.yaml": "routing:" + MINIMAL_RULES.split("routing:")[1]},
        "rules/b.yaml:2:5: rule 'p-shopper': duplicate rule id, first defined at rules/a.yaml:7:5; rename or remove one",
    ),
    "regex RE2 rejects": (
        {
            "rules/a.yaml": MINIMAL_RULES.replace(
                "when: {ticket: {persona: [null]}}", "when: {regex: '(?<=a)b'}"
            )
        },
        "rules/a.yaml:13:19: rule 'p-shopper': RE2 cannot compile '(?<=a)b': invalid perl operator: (?<=; fix the pattern",
    ),
    "object-constructing tag": (
        {"rules/a.yaml": MINIMAL_RULES + "  - !!python/object/apply:os.system ['echo hi']\n"},
        "rules/a.yaml:14:5: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed:"
        " rule and scenario files are plain data; remove the tag",
    ),
    "empty rules directory": (
        {"rules/.keep": ""},
        "rules: no rule files (*.yaml) in this directory; add rules or fix --rules",
    ),
    "not UTF-8": (
        {"rules/a.yaml": b"terms:\n  greeting:\n    phrases: [caf\xe9]\n"},
        "rules/a.yaml:3:18: file is not UTF-8 (byte 0xe9); save it as UTF-8",
    ),
    "unknown term list": (
        {"rules/a.yaml": MINIMAL_RULES.replace("when: {ticket: {persona: [null]}}", "when: {terms: nope}")},
        "rules/a.yaml:13:19: rule 'p-shopper': unknown term list 'nope'; define it under `terms`",
    ),
    "decision tested before it is decided": (
        {
            "rules/a.yaml": MINIMAL_RULES.replace(
                "when: {ticket: {persona: [null]}}", "when: {decision: {issue: [order]}}"
            )
        },
        "rules/a.yaml:13:30: rule 'p-shopper': a rule that decides persona cannot test the decision's issue;"
        " it is decided later (order: persona, issue, channel)",
    ),
}

SCENARIO_CASES = {
    "duplicate scenario id": (
        {"scenarios/a.yaml": SCENARIO + SCENARIO},
        "scenarios/a.yaml:4:3: scenario 's1': duplicate scenario id, first at scenarios/a.yaml:1:3; give it a new id",
    ),
    "unknown label": (
        {"scenarios/a.yaml": SCENARIO.replace("seller_center_chat", "seller_contact_from")},
        "scenarios/a.yaml:3:54: scenario 's1': unknown channel 'seller_contact_from'"
        " (did you mean 'seller_contact_form'?); use one of the labels in the contract (DOMAIN.md)",
    ),
    "misspelt key": (
        {"scenarios/a.yaml": SCENARIO.replace("persona: seller,", "persona: seller, prsona: x,")},
        "scenarios/a.yaml:3:29: scenario 's1': unknown key 'prsona' (did you mean 'persona'?);"
        " remove it or correct the spelling",
    ),
    "empty corpus": (
        {"scenarios/a.yaml": ""},
        "scenarios: the corpus is empty: no scenarios found; add scenarios",
    ),
    "unknown label in JSON Lines": (
        {
            "scenarios/a.jsonl": '{"id": "j1", "ticket": {"text": "hi"}, "expect": {"persona": "seller",'
            ' "issue": "listing", "channel": "sellr_center_chat"}}\n'
        },
        "scenarios/a.jsonl:1:1: scenario 'j1': unknown channel 'sellr_center_chat'"
        " (did you mean 'seller_center_chat'?); use one of the labels in the contract (DOMAIN.md)",
    ),
    "broken JSON line": (
        {"scenarios/a.jsonl": '{"id": "j1", "ticket": \n'},
        "scenarios/a.jsonl:1:24: invalid JSON: Expecting value; fix this line",
    ),
    "wrong type": (
        {"scenarios/a.yaml": SCENARIO.replace("{text: hi}", "{text: hi, attachments: x}")},
        "scenarios/a.yaml:2:35: scenario 's1': attachments must be a list or null, not text; change its value",
    ),
    "not a list": (
        {"scenarios/a.yaml": "id: s1\n"},
        "scenarios/a.yaml:1:1: a scenario file must be a YAML list of scenarios (- id: ...)",
    ),
    "object-constructing tag": (
        {"scenarios/a.yaml": "- !!python/object/new:os.system [ls]\n"},
        "scenarios/a.yaml:1:3: YAML tag 'tag:yaml.org,2002:python/object/new:os.system' is not allowed:"
        " rule and scenario files are plain data; remove the tag",
    ),
}


def _message(exc: harness.HarnessError, root: Path) -> str:
    return str(exc).replace(f"{root}/", "")


# (what is bad, the good file that completes the input, how to load the bad side)
KINDS = {
    "rules": (RULE_CASES, {"scenarios/a.yaml": SCENARIO}, lambda root: harness.load_rules(root / "rules")),
    "scenarios": (
        SCENARIO_CASES,
        {"rules/a.yaml": MINIMAL_RULES},
        lambda root: harness.load_scenarios(root / "scenarios"),
    ),
}
ALL_CASES = [(kind, case) for kind, (cases, _, _) in KINDS.items() for case in sorted(cases)]


@pytest.mark.parametrize(("kind", "case"), ALL_CASES)
def test_bad_input_message(kind: str, case: str, write) -> None:  # type: ignore[no-untyped-def]
    cases, _, load = KINDS[kind]
    files, expected = cases[case]
    root = write(files)
    with pytest.raises(harness.HarnessError) as caught:
        load(root)
    assert _message(caught.value, root) == expected


@pytest.mark.parametrize(("kind", "case"), ALL_CASES)
def test_cli_bad_input_exits_2_and_writes_nothing(kind: str, case: str, write, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cases, other, _ = KINDS[kind]
    files, expected = cases[case]
    root = write({**files, **other})
    monkeypatch.chdir(root)
    assert main(["evaluate", "--out", "out/r"]) == 2
    assert capsys.readouterr().err == "".join(f"harness: error: {line}\n" for line in expected.split("\n"))
    assert not (root / "out").exists()


def test_cli_usage_errors_exit_2(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["frobnicate"]) == 2
    assert (
        "harness: error: harness: argument command: invalid choice: 'frobnicate'" in capsys.readouterr().err
    )
    assert main(["route", "hi", "--via", "seller_contact_from"]) == 2
    assert capsys.readouterr().err == (
        "harness: error: harness: --via: unknown label 'seller_contact_from'"
        " (did you mean 'seller_contact_form'?); see DOMAIN.md\n"
    )


def test_cli_huge_ticket_is_refused(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["route", "x" * 100_001]) == 2
    assert capsys.readouterr().err == (
        "harness: error: <ticket>: the ticket is 100001 characters, over the 100000 limit; shorten it\n"
    )


def test_existing_report_survives_a_bad_run(write, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = write({"rules/a.yaml": MINIMAL_RULES, "scenarios/a.yaml": SCENARIO})
    monkeypatch.chdir(root)
    assert main(["evaluate", "--out", "out/r"]) == 0
    before = {p.name: p.read_bytes() for p in (root / "out" / "r").iterdir()}
    (root / "scenarios" / "a.yaml").write_text(SCENARIO + SCENARIO)
    assert main(["evaluate", "--out", "out/r"]) == 2
    assert {p.name: p.read_bytes() for p in (root / "out" / "r").iterdir()} == before
    assert sorted(p.name for p in (root / "out").iterdir()) == ["r"]
