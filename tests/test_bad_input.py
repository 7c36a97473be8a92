"""Every kind of bad input: one exact, located, one-line message; exit 2 from the CLI; nothing written."""

from __future__ import annotations

import io
import json
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
        " (did you mean 'seller_contact_form'?); valid: shopper_app_help, seller_center_chat, seller_contact_form, creator_help_chat, creator_help_ticket, seller_appeal, creator_appeal, account_manager_escalation, creator_program_escalation, program_team (`harness labels` lists them all)",
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
    "nested too deep": (
        {"rules/a.yaml": "x: " + "{k: " * 70 + "v" + "}" * 70 + "\n"},
        "rules/a.yaml:1:256: nested more than 64 levels deep; flatten it (the limit keeps files readable)",
    ),
    "condition nested too deep": (
        {
            "rules/a.yaml": MINIMAL_RULES.replace(
                "when: {ticket: {persona: [null]}}", "when: " + "{any: [" * 40 + "{phrases: [x]}" + "]}" * 40
            )
        },
        "rules/a.yaml:13:227: nested more than 64 levels deep; flatten it (the limit keeps files readable)",
    ),
    "list too long": (
        {"rules/a.yaml": MINIMAL_RULES, "rules/b.yaml": "terms:\n  big:\n    phrases: [" + "a," * 10_000 + "a]\n"},
        "rules/b.yaml:3:14: a list of more than 10000 items; split it",
    ),
    "file too large": (
        {"rules/a.yaml": MINIMAL_RULES + "#" * (1024 * 1024)},
        "rules/a.yaml: file is 1048861 bytes, over the 1048576 byte limit; split it",
    ),
    "number of thousands of digits": (
        {"rules/a.yaml": MINIMAL_RULES.replace("opening_sentences: 2", "opening_sentences: " + "9" * 5000)},
        "rules/a.yaml:2:22: number '999999999999999999999999999999999999999999999999999999999999'..."
        " (5000 characters) has over 100 digits; quote it if it is text",
    ),
    "bad regex in a term list no rule uses": (
        {"rules/a.yaml": MINIMAL_RULES.replace("    phrases: [hi]\n", "    phrases: [hi]\n  unused:\n    regex: ['(?<=a)b']\n")},
        "rules/a.yaml:6:3: term list 'unused': RE2 cannot compile '(?<=a)b': invalid perl operator: (?<=; fix the pattern",
    ),
    "rule id ending in a newline": (
        {"rules/a.yaml": MINIMAL_RULES.replace("id: p-shopper", 'id: "p-shopper\\n"')},
        "rules/a.yaml:7:9: rule 'p-shopper\\n': id 'p-shopper\\n' must match ^[a-z0-9][a-z0-9_.-]*(?!\\n)$;"
        " correct the value",
    ),
    "a bad file and a good file with a bad rule": (
        {"rules/a.yaml": "routing: [\n", "rules/b.yaml": MINIMAL_RULES.replace("priority: 0", "priority: high")},
        "rules/a.yaml:2:1: YAML syntax error: did not find expected node content; fix the YAML syntax\n"
        "rules/b.yaml:10:15: rule 'p-shopper': priority must be a whole number, not text; change its value",
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
        " (did you mean 'seller_contact_form'?); valid: shopper_app_help, seller_center_chat, seller_contact_form, creator_help_chat, creator_help_ticket, seller_appeal, creator_appeal, account_manager_escalation, creator_program_escalation, program_team (`harness labels` lists them all)",
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
        " (did you mean 'seller_center_chat'?); valid: shopper_app_help, seller_center_chat, seller_contact_form, creator_help_chat, creator_help_ticket, seller_appeal, creator_appeal, account_manager_escalation, creator_program_escalation, program_team (`harness labels` lists them all)",
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
    "JSON nested too deep": (
        {"scenarios/a.jsonl": "[" * 100_000 + "\n"},
        "scenarios/a.jsonl:1:1: JSON nested too deeply; flatten this line",
    ),
    "JSON number of thousands of digits": (
        {"scenarios/a.jsonl": '{"id": ' + "9" * 5000 + "}\n"},
        "scenarios/a.jsonl:1:1: invalid JSON: Exceeds the limit (4300 digits) for integer string conversion:"
        " value has 5000 digits; fix this line",
    ),
    "lone surrogate in JSON": (
        {"scenarios/a.jsonl": '{"id": "j1", "ticket": {"text": "\\ud800"}}\n'},
        "scenarios/a.jsonl:1:1: a \\u escape is half of a surrogate pair, not a character; fix the escape",
    ),
    "lone surrogate in YAML": (
        {"scenarios/a.yaml": SCENARIO.replace("{text: hi}", '{text: "hi \\ud800"}')},
        "scenarios/a.yaml:2:24: YAML syntax error: found invalid Unicode character escape code; fix the YAML syntax",
    ),
    "too many tags": (
        {"scenarios/a.yaml": SCENARIO.replace("  ticket:", "  tags: [" + "t," * 200 + "t]\n  ticket:")},
        "scenarios/a.yaml:2:9: scenario 's1': tags has 201 items, over the limit of 100; shorten it",
    ),
    "a list of millions of tags": (
        {"scenarios/a.yaml": SCENARIO.replace("  ticket:", "  tags: [" + "t," * 20_000 + "t]\n  ticket:")},
        "scenarios/a.yaml:2:9: a list of more than 10000 items; split it",
    ),
    "ticket over the limit": (
        {"scenarios/a.yaml": SCENARIO.replace("{text: hi}", "{text: " + "x" * 100_001 + "}")},
        "scenarios/a.yaml:2:18: scenario 's1': text has 100001 characters, over the limit of 100000; shorten it",
    ),
    "JSON record over the limit": (
        {"scenarios/a.jsonl": '{"id": "' + "x" * (4 * 1024 * 1024) + '"}\n'},
        "scenarios/a.jsonl:1:1: record is over the 4194304 byte limit for one scenario; shorten it",
    ),
    "non-UTF-8 JSON line": (
        {"scenarios/a.jsonl": b'{"id": "caf\xe9"}\n'},
        "scenarios/a.jsonl:1:12: line is not UTF-8 (byte 0xe9); save the file as UTF-8",
    ),
    "every bad file is reported": (
        {"scenarios/a.yaml": "- id: [\n", "scenarios/b.yaml": SCENARIO.replace("persona: seller", "persona: nobody")},
        "scenarios/a.yaml:2:1: YAML syntax error: did not find expected node content; fix the YAML syntax\n"
        "scenarios/b.yaml:3:21: scenario 's1': unknown persona 'nobody'; valid: shopper, seller, creator (`harness labels` lists them all)",
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
        " (did you mean 'seller_contact_form'?); valid: shopper_app_help, seller_center_chat, seller_contact_form, creator_help_chat, creator_help_ticket, seller_appeal, creator_appeal, account_manager_escalation, creator_program_escalation, program_team, tiktok_app_feedback (`harness labels` lists them all)\n"
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


def test_usage_errors_name_the_right_help(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main([]) == 2
    assert capsys.readouterr().err == (
        "harness: error: harness: the following arguments are required: command; see `harness --help`\n"
    )
    assert main(["route", "--via"]) == 2
    assert capsys.readouterr().err == (
        "harness: error: harness: argument --via: expected one argument; see `harness route --help`\n"
    )


class _Stdin:
    def __init__(self, data: bytes | None, closed: bool = False) -> None:
        self.buffer = io.BytesIO(data or b"")
        self.closed = closed


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        (_Stdin(b"caf\xe9"), "<stdin>: standard input is not UTF-8 (byte 0xe9 at offset 3); send UTF-8 text"),
        (_Stdin(None, closed=True), "<stdin>: standard input is closed; pass the ticket as TEXT"),
        (None, "<stdin>: standard input is closed; pass the ticket as TEXT"),
        (_Stdin(b"x" * 400_010), "<ticket>: the ticket is 400004 characters, over the 100000 limit; shorten it"),
    ],
)
def test_bad_standard_input(stdin, expected: str, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["route", "-"]) == 2
    assert capsys.readouterr().err == f"harness: error: {expected}\n"


def test_argv_that_is_not_utf8(capsys) -> None:  # type: ignore[no-untyped-def]
    # How Python hands over the argv bytes b"caf\xe9" (surrogateescape).
    assert main(["route", b"caf\xe9".decode("utf-8", "surrogateescape")]) == 2
    assert capsys.readouterr().err == (
        "harness: error: harness: argument 2 is not UTF-8 text (byte 0xe9); pass UTF-8\n"
    )


def test_json_mode_prints_the_error_as_json(write, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = write({"rules/a.yaml": MINIMAL_RULES, "scenarios/a.yaml": SCENARIO.replace("seller,", "nobody,")})
    monkeypatch.chdir(root)
    assert main(["evaluate", "--json", "--out", "out/r"]) == 2
    printed = json.loads(capsys.readouterr().out)
    problem = {
        "message": "unknown persona 'nobody'; valid: shopper, seller, creator (`harness labels` lists them all)",
        "item": "scenario 's1'",
        "file": "scenarios/a.yaml",
        "line": 3,
    }
    assert printed == {"error": problem, "problems": [problem]}


def test_json_mode_reports_an_internal_error_as_json(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("harness.cli.load_rules", broken)
    assert main(["route", "hi", "--json"]) == 3
    assert json.loads(capsys.readouterr().out) == {
        "error": {"message": "internal error (a bug in the harness)", "file": None, "line": None}
    }


def test_error_lines_quote_at_most_a_short_excerpt(write) -> None:  # type: ignore[no-untyped-def]
    root = write({"scenarios/a.yaml": SCENARIO.replace("persona: seller", "persona: " + "z" * 5_000_000)})
    with pytest.raises(harness.HarnessError) as caught:
        harness.load_scenarios(root / "scenarios")
    assert _message(caught.value, root) == (
        "scenarios/a.yaml:3:21: scenario 's1': unknown persona"
        f" {'z' * 60!r}... (5000000 characters); valid: shopper, seller, creator (`harness labels` lists them all)"
    )


def test_json_lines_keep_line_separators_inside_strings(write) -> None:  # type: ignore[no-untyped-def]
    line = '{"id": "j1", "ticket": {"text": "where\u2028is\u0085my order"}, "expect": {"persona": "shopper", "issue": "order", "channel": "shopper_app_help"}}\n'
    root = write({"scenarios/a.jsonl": line + line.replace("j1", "j2")})
    loaded = harness.load_scenarios(root / "scenarios")
    assert [(s.id, s.ticket.text, s.location.line) for s in loaded] == [
        ("j1", "where\u2028is\u0085my order", 1),
        ("j2", "where\u2028is\u0085my order", 2),
    ]


def test_standard_input_over_the_limit_cut_inside_a_character(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # 3 bytes a character: the read stops at byte 400,004, inside character 133,335.
    monkeypatch.setattr("sys.stdin", _Stdin("€".encode() * 140_000))
    assert main(["route", "-"]) == 2
    assert capsys.readouterr().err == (
        "harness: error: <ticket>: the ticket is 133334 characters, over the 100000 limit; shorten it\n"
    )
