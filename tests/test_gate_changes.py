"""The gate names the cause: every rule, term list, parameter and shared condition compared with
file:line, each broken scenario once under the change behind it, the inline examples that now
fail, and a new rule that fires on nothing told apart from one that stopped firing.

One hand-made rule set, committed in a temporary git repository, then edited five ways at once:
a term list trimmed, a parameter changed, a shared condition changed, a rule added that fires on
nothing and a rule removed.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from harness.gate.changes import compare_sources
from harness.gate.result import GateResult
from harness.gate.text import gate_lines
from tests.test_gate import edit, git

LEXICON = """\
terms:
  greeting:
    phrases: [hi, hello]
  lockout:
    description: The writer cannot get in.
    phrases: [locked out, cant log in, 2fa]
  unused:
    phrases: [nothing here]
"""

PARAMETERS = """\
parameters:
  opening_sentences: 2
  long_ticket: 30
conditions:
  seller_voice:
    phrases: [my shop, seller center]
"""

ROUTING = """\
routing:
  - id: persona-seller
    description: A seller speaks.
    source: guide
    owner: seller-team
    priority: 10
    set: {persona: seller}
    when: {use: seller_voice}
    examples: {match: ["my shop is gone"], no_match: ["where is my package"]}
  - id: persona-shopper
    description: Everyone else shops.
    source: guide
    priority: 0
    set: {persona: shopper}
    when: {none: [{use: seller_voice}]}
    examples: {match: ["where is my package"], no_match: ["my shop is gone"]}
  - id: issue-access
    description: Locked out.
    source: guide
    owner: access-team
    priority: 50
    set: {issue: account_access}
    when: {terms: lockout}
    examples: {match: ["the 2fa code never comes"], no_match: ["where is my package"]}
  - id: issue-order
    description: Where is it.
    source: guide
    priority: 10
    set: {issue: order}
    when: {phrases: [package]}
    examples: {match: ["where is my package"], no_match: ["my shop is gone"]}
  - id: issue-legacy
    description: An old rule.
    source: guide
    priority: 5
    set: {issue: general_inquiry}
    when: {phrases: [legacy]}
    examples: {match: ["a legacy question"], no_match: ["where is my package"]}
  - id: channel-contact
    description: Locked-out sellers use the form.
    source: guide
    priority: 10
    set: {channel: seller_contact_form}
    when: {decision: {issue: [account_access]}}
    examples: {match: ["my shop: the 2fa code never comes"], no_match: ["where is my package"]}
  - id: channel-app
    description: Shoppers use the app.
    source: guide
    priority: 10
    set: {channel: shopper_app_help}
    when: {decision: {issue: [order]}}
    examples: {match: ["where is my package"], no_match: ["my shop: the 2fa code never comes"]}
lint:
  - id: too-long
    description: Long tickets.
    source: guide
    finding: appeal-too-long
    message: Shorten it.
    when: {words: {more_than: long_ticket}}
    examples:
      match: ["a b c d e f g h i j k l m n o p q r s t u v w x y z aa bb cc dd ee ff"]
      no_match: ["short one"]
"""

LEGACY_RULE = """\
  - id: issue-legacy
    description: An old rule.
    source: guide
    priority: 5
    set: {issue: general_inquiry}
    when: {phrases: [legacy]}
    examples: {match: ["a legacy question"], no_match: ["where is my package"]}
"""

NEW_RULE = """\
  - id: issue-never
    description: Matches a word no ticket uses.
    source: guide
    owner: new-team
    priority: 5
    set: {issue: technical}
    when: {phrases: [zzqx]}
    examples: {match: ["zzqx again"], no_match: ["where is my package"]}
"""

SCENARIOS = """\
- id: acc-1
  ticket: {text: "my shop:   the 2fa code\\nnever arrives"}
  expect: {persona: seller, issue: account_access, channel: seller_contact_form, findings: []}
- id: long-1
  ticket: {text: "where is my package, it has been two weeks now and the tracking page has said the same thing every day"}
  expect: {persona: shopper, issue: order, channel: shopper_app_help, findings: []}
- id: store-1
  ticket: {text: "our store account: cant log in"}
  expect: {persona: seller, issue: account_access, channel: seller_contact_form, findings: []}
- id: ok-1
  ticket: {text: "where is my package"}
  expect: {persona: shopper, issue: order, channel: shopper_app_help, findings: []}
"""

POLICY = """\
max_broken: 0
min_rule_coverage: 0.0
no_missing_contract_labels: false
"""

COMMIT = ("-c", "user.name=t", "-c", "user.email=t@t")


def _repo(root: Path) -> Path:
    (root / "rules").mkdir(parents=True)
    (root / "rules" / "lexicon.yaml").write_text(LEXICON)
    (root / "rules" / "parameters.yaml").write_text(PARAMETERS)
    (root / "rules" / "routing.yaml").write_text(ROUTING)
    (root / "scenarios").mkdir()
    (root / "scenarios" / "s.yaml").write_text(SCENARIOS)
    (root / "policy.yaml").write_text(POLICY)
    git(root, "init", "-q", "-b", "main")
    git(root, *COMMIT, "add", "-A")
    git(root, *COMMIT, "commit", "-q", "-m", "baseline")
    return root


def _edit_five_ways(root: Path) -> None:
    edit(root / "rules/lexicon.yaml", "[locked out, cant log in, 2fa]", "[locked out, cant log in, locked]")
    edit(root / "rules/parameters.yaml", "long_ticket: 30", "long_ticket: 10")
    edit(root / "rules/parameters.yaml", "[my shop, seller center]", "[my shop, seller center, our store]")
    edit(root / "rules/routing.yaml", LEGACY_RULE, NEW_RULE)


@contextlib.contextmanager
def _inside(path: Path) -> Iterator[None]:
    here = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(here)


def _gate(*extra: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["gate", "--baseline", "HEAD", "--policy", "policy.yaml", "--json", *extra])
    return code, json.loads(out.getvalue())


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, dict[str, Any], Path]]:
    """The gate run once on the five edits (a module fixture: each run evaluates twice)."""
    root = _repo(tmp_path_factory.mktemp("gate") / "repo")
    _edit_five_ways(root)
    with _inside(root):
        code, result = _gate("--markdown", "gate.md")
        yield code, result, root


def test_every_kind_of_change_is_named_with_file_and_line(edited: tuple[int, dict[str, Any], Path]) -> None:
    _, result, _ = edited
    assert result["changes"] == [
        {
            "kind": "condition",
            "name": "seller_voice",
            "file": "rules/parameters.yaml",
            "line": 5,
            "change": "changed",
            "owner": None,
            "affects": ["persona-seller", "persona-shopper"],
            "cosmetic": False,
            "keys": ["phrases"],
        },
        {
            "kind": "parameter",
            "name": "long_ticket",
            "file": "rules/parameters.yaml",
            "line": 3,
            "change": "changed",
            "owner": None,
            "affects": ["too-long"],
            "cosmetic": False,
            "before": 30,
            "after": 10,
        },
        {
            "kind": "rule",
            "name": "issue-legacy",
            "file": "HEAD:rules/routing.yaml",  # removed: where it was at the baseline
            "line": 32,
            "change": "removed",
            "owner": None,
            "affects": ["issue-legacy"],
            "cosmetic": False,
            "keys": [],
        },
        {
            "kind": "rule",
            "name": "issue-never",
            "file": "rules/routing.yaml",
            "line": 32,
            "change": "added",
            "owner": "new-team",
            "affects": ["issue-never"],
            "cosmetic": False,
            "keys": [],
        },
        {
            "kind": "terms",
            "name": "lockout",
            "file": "rules/lexicon.yaml",
            "line": 4,
            "change": "changed",
            "owner": None,
            "affects": ["issue-access"],
            "cosmetic": False,
            "added": ["locked"],
            "removed": ["2fa"],
            "added_regex": [],
            "removed_regex": [],
        },
    ]


def test_a_rule_is_not_changed_by_the_term_list_it_names(edited: tuple[int, dict[str, Any], Path]) -> None:
    _, result, _ = edited
    assert result["rule_changes"] == {"added": ["issue-never"], "removed": ["issue-legacy"], "changed": []}
    acc = next(e for e in result["broken"] if e["id"] == "acc-1" and e["field"] == "issue")
    assert acc["rules"] == [
        {
            "rule": "issue-access",
            "side": "before",
            "change": "unchanged",
            "affected_by": ["terms lockout"],
            "where": "HEAD:rules/routing.yaml:17:5",
            "owner": "access-team",
        }
    ]


def test_each_scenario_is_grouped_once_under_its_cause(edited: tuple[int, dict[str, Any], Path]) -> None:
    code, result, _ = edited
    assert code == 1
    assert (result["broken_scenarios"], result["fixed_scenarios"]) == (["acc-1", "long-1"], ["store-1"])
    assert [
        (g["group"], [e["id"] for e in g["broken"]], [e["id"] for e in g["fixed"]]) for g in result["groups"]
    ] == [
        ("parameter long_ticket", ["long-1"], []),
        ("term list lockout", ["acc-1"], []),
        ("condition seller_voice", [], ["store-1"]),
    ]
    lockout = result["groups"][1]
    assert lockout["causes"] == [
        {
            "kind": "terms",
            "name": "lockout",
            "file": "rules/lexicon.yaml",
            "line": 4,
            "change": "changed",
            "owner": None,
        }
    ]
    # One entry for the scenario, every flipped field in it; the ticket on one line.
    assert lockout["broken"] == [
        {
            "id": "acc-1",
            "file": "scenarios/s.yaml",
            "line": 1,
            "tags": [],
            "excerpt": "my shop: the 2fa code never arrives",
            "fields": [
                {
                    "field": "issue",
                    "expected": "account_access",
                    "before": "account_access",
                    "after": "unroutable",
                    "rules": [
                        {
                            "rule": "issue-access",
                            "side": "before",
                            "change": "unchanged",
                            "affected_by": ["terms lockout"],
                            "where": "HEAD:rules/routing.yaml:17:5",
                            "owner": "access-team",
                        }
                    ],
                },
                {
                    "field": "channel",
                    "expected": "seller_contact_form",
                    "before": "seller_contact_form",
                    "after": "unroutable",
                    "rules": [
                        {
                            "rule": "channel-contact",
                            "side": "before",
                            "change": "unchanged",
                            "affected_by": [],
                            "where": "HEAD:rules/routing.yaml:39:5",
                            "owner": None,
                        }
                    ],
                },
            ],
        }
    ]
    # The flat per-field list the policy and junit.xml read is still there.
    assert [(e["id"], e["field"]) for e in result["broken"]] == [
        ("acc-1", "issue"),
        ("acc-1", "channel"),
        ("long-1", "findings"),
    ]


def test_examples_that_now_fail_are_listed(edited: tuple[int, dict[str, Any], Path]) -> None:
    _, result, _ = edited
    assert result["examples_now_failing"] == [
        {
            "rule": "channel-contact",
            "file": "rules/routing.yaml",
            "line": 46,
            "description": "should match but it did not: 'my shop: the 2fa code never comes'",
            "before": "passed",
        },
        {
            "rule": "issue-access",
            "file": "rules/routing.yaml",
            "line": 24,
            "description": "should match but it did not: 'the 2fa code never comes'",
            "before": "passed",
        },
    ]
    failing = [v["message"] for v in result["violations"] if v["check"] == "no_new_failing_examples"]
    assert failing == [
        "inline examples now failing: channel-contact (rules/routing.yaml:46), issue-access (rules/routing.yaml:24)"
    ]


def test_a_new_rule_that_fires_on_nothing_never_stopped_firing(
    edited: tuple[int, dict[str, Any], Path],
) -> None:
    _, result, _ = edited
    dead = result["dead_rules"]
    assert (dead["no_longer_fire"], dead["fire_on_no_scenario"]) == ([], ["issue-never"])
    assert [v["message"] for v in result["violations"] if v["check"] == "no_new_dead_rules"] == [
        "new rules that fire on no scenario: issue-never"
    ]


def test_a_rule_that_stops_firing_no_longer_fires(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    edit(root / "rules/routing.yaml", "when: {phrases: [package]}", "when: {phrases: [parcel]}")
    with _inside(root):
        _, result = _gate()
    assert (result["dead_rules"]["no_longer_fire"], result["dead_rules"]["fire_on_no_scenario"]) == (
        ["channel-app", "issue-order"],
        [],
    )
    assert "rules that no longer fire on any scenario: channel-app, issue-order" in [
        v["message"] for v in result["violations"]
    ]


def test_a_flip_no_change_explains_goes_under_other(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    edit(root / "scenarios/s.yaml", '"where is my package"}', '"where is my parcel"}')
    with _inside(root):
        _, result = _gate("--baseline-scenarios")
    assert result["changes"] == []
    [group] = result["groups"]
    assert (group["group"], group["causes"], [e["id"] for e in group["broken"]]) == ("other", [], ["ok-1"])
    assert (
        group["broken"][0]["explanation"] == "its ticket differs between the baseline's scenarios and these"
    )


def test_the_markdown_names_the_change_and_groups_by_it(edited: tuple[int, dict[str, Any], Path]) -> None:
    _, _, root = edited
    markdown = (root / "gate.md").read_text()
    start = markdown.index("## Changes")
    assert markdown[start:].splitlines() == [
        "## Changes (5)",
        "",
        "- condition `seller_voice` changed at `rules/parameters.yaml:5`: edited: phrases;"
        " reaches 2 rules (persona-seller, persona-shopper)",
        "- parameter `long_ticket` changed at `rules/parameters.yaml:3`: 30 → 10; reaches 1 rule (too-long)",
        "- rule `issue-legacy` removed (was at `HEAD:rules/routing.yaml:32`)",
        "- rule `issue-never` added at `rules/routing.yaml:32` (owner new-team): fires on no scenario",
        '- term list `lockout` changed at `rules/lexicon.yaml:4`: removed "2fa"; added "locked";'
        " reaches 1 rule (issue-access)",
        "",
        "## Broken (2 scenarios, by cause)",
        "",
        "### parameter `long_ticket` (`rules/parameters.yaml:3`) (1)",
        "",
        "| scenario | ticket | what flipped |",
        "| --- | --- | --- |",
        "| `long-1` | where is my package, it has been two weeks now and the tracking page has said the same"
        " thing every day | findings: expected [], before [], after [appeal-too-long] |",
        "",
        "### term list `lockout` (`rules/lexicon.yaml:4`) (1)",
        "",
        "| scenario | ticket | what flipped |",
        "| --- | --- | --- |",
        "| `acc-1` | my shop: the 2fa code never arrives | issue: expected account_access, before account_access,"
        " after unroutable<br>channel: expected seller_contact_form, before seller_contact_form, after unroutable |",
        "",
        "## Inline examples now failing (2)",
        "",
        "- `channel-contact` at `rules/routing.yaml:46`: should match but it did not:"
        " 'my shop: the 2fa code never comes'",
        "- `issue-access` at `rules/routing.yaml:24`: should match but it did not: 'the 2fa code never comes'",
        "",
        "<details><summary>Fixed (1 scenarios, by cause)</summary>",
        "",
        "### condition `seller_voice` (`rules/parameters.yaml:5`) (1)",
        "",
        "| scenario | ticket | what flipped |",
        "| --- | --- | --- |",
        "| `store-1` | our store account: cant log in | persona: expected seller, before shopper, after seller |",
        "",
        "</details>",
    ]


def test_the_terminal_lines_name_the_change_and_group_by_it(edited: tuple[int, dict[str, Any], Path]) -> None:
    _, result, _ = edited
    assert gate_lines(GateResult.from_json(result), "HEAD") == [
        "gate FAILED against HEAD: 2 broken, 1 fixed, 0 relabelled",
        "  violation max_broken: 2 scenarios broken, at most 0 allowed",
        "  violation unroutable: unroutable rose by 1, at most 0 allowed",
        "  violation no_new_dead_rules: new rules that fire on no scenario: issue-never",
        "  violation no_new_failing_examples: inline examples now failing: channel-contact"
        " (rules/routing.yaml:46), issue-access (rules/routing.yaml:24)",
        "  change condition seller_voice changed at rules/parameters.yaml:5: edited: phrases;"
        " reaches 2 rules (persona-seller, persona-shopper)",
        "  change parameter long_ticket changed at rules/parameters.yaml:3: 30 → 10; reaches 1 rule (too-long)",
        "  change rule issue-legacy removed (was at HEAD:rules/routing.yaml:32)",
        "  change rule issue-never added at rules/routing.yaml:32 (owner new-team): fires on no scenario",
        '  change term list lockout changed at rules/lexicon.yaml:4: removed "2fa"; added "locked";'
        " reaches 1 rule (issue-access)",
        "  broken under parameter long_ticket (rules/parameters.yaml:3):",
        '    long-1 (scenarios/s.yaml:4) "where is my package, it has been two weeks now and the tracking page'
        ' has said the same thing every day"',
        "      findings: expected [], before [], after [appeal-too-long]",
        "  broken under term list lockout (rules/lexicon.yaml:4):",
        '    acc-1 (scenarios/s.yaml:1) "my shop: the 2fa code never arrives"',
        "      issue: expected account_access, before account_access, after unroutable",
        "      channel: expected seller_contact_form, before seller_contact_form, after unroutable",
        "  fixed under condition seller_voice (rules/parameters.yaml:5):",
        '    store-1 (scenarios/s.yaml:7) "our store account: cant log in"',
        "      persona: expected seller, before shopper, after seller",
        "  example now failing: channel-contact (rules/routing.yaml:46): should match but it did not:"
        " 'my shop: the 2fa code never comes'",
        "  example now failing: issue-access (rules/routing.yaml:24): should match but it did not:"
        " 'the 2fa code never comes'",
    ]


# --- compare_sources alone (no evaluation) ----------------------------------------------------


def _sources(**files: str) -> list[tuple[str, str, str]]:
    return [(name, f"rules/{name}", text) for name, text in sorted(files.items())]


CHAINED = """\
parameters: {opening_sentences: 2, few: 2}
terms:
  greeting: {phrases: [hi]}
  urgent: {phrases: [asap, now]}
conditions:
  hurried: {terms: urgent, min_count: few}
  hurried_seller: {all: [{use: hurried}, {phrases: [my shop]}]}
routing:
  - id: a
    description: d
    source: s
    set: {issue: escalation}
    when: {use: hurried_seller}
    examples: {match: ["x"], no_match: ["y"]}
  - id: b
    description: d
    source: s
    set: {issue: order}
    when: {phrases: [package], scope: opening}
    examples: {match: ["x"], no_match: ["y"]}
"""


def test_a_change_reaches_rules_through_chained_conditions() -> None:
    before = _sources(r=CHAINED)
    after = _sources(r=CHAINED.replace("[asap, now]", "[asap]").replace("few: 2", "few: 3"))
    changes = compare_sources(before, after)
    assert [(c.kind, c.name, c.affects, c.removed) for c in changes.changes] == [
        ("parameter", "few", ("a",), ()),
        ("terms", "urgent", ("a",), ("now",)),
    ]
    assert dict(changes.by_rule) == {"a": (("parameter", "few"), ("terms", "urgent"))}


def test_the_opening_depends_on_the_greeting_and_its_length() -> None:
    before = _sources(r=CHAINED)
    after = _sources(r=CHAINED.replace("greeting: {phrases: [hi]}", "greeting: {phrases: [hi, hey]}"))
    after = _sources(r=after[0][2].replace("opening_sentences: 2", "opening_sentences: 1"))
    changes = compare_sources(before, after)
    assert [(c.kind, c.name, c.affects) for c in changes.changes] == [
        ("parameter", "opening_sentences", ("b",)),
        ("terms", "greeting", ("b",)),
    ]


def test_a_wording_change_is_listed_but_reaches_nothing() -> None:
    before = _sources(r=CHAINED)
    after = _sources(r=CHAINED.replace("    description: d\n", "    description: better words\n", 1))
    [change] = compare_sources(before, after).changes
    assert (change.kind, change.name, change.change, change.keys, change.cosmetic, change.affects) == (
        "rule",
        "a",
        "changed",
        ("description",),
        True,
        (),
    )


def test_an_example_failing_on_both_sides_is_not_listed(tmp_path: Path) -> None:
    from harness.gate.examples import now_failing
    from harness.load.rules import load_rules

    broken_example = ROUTING.replace('match: ["a legacy question"]', 'match: ["a question of old"]')
    for side, text in (
        ("before", broken_example),
        ("after", broken_example.replace("priority: 5", "priority: 6")),
    ):
        _repo_files(tmp_path / side, text)
    before, after = load_rules(tmp_path / "before" / "rules"), load_rules(tmp_path / "after" / "rules")
    assert now_failing(before, after) == []  # issue-legacy's example fails at the baseline too
    order = 'when: {phrases: [package]}\n    examples: {match: ["where is my package"'
    _repo_files(tmp_path / "new", broken_example.replace(order, order + ', "my shop too"'))
    [failing] = now_failing(after, load_rules(tmp_path / "new" / "rules"))
    assert failing.to_json() == {
        "rule": "issue-order",
        "file": str(tmp_path / "new" / "rules" / "routing.yaml"),
        "line": 31,
        "description": "should match but it did not: 'my shop too'",
        "before": "absent",
    }


def _repo_files(root: Path, routing: str) -> None:
    (root / "rules").mkdir(parents=True)
    (root / "rules" / "lexicon.yaml").write_text(LEXICON)
    (root / "rules" / "parameters.yaml").write_text(PARAMETERS)
    (root / "rules" / "routing.yaml").write_text(routing)


def test_an_excerpt_is_one_line_of_at_most_120_characters() -> None:
    from harness.evaluate.changes import excerpt

    long = "word " * 40 + "\n" + "tail"
    assert excerpt(long) == ("word " * 24).rstrip() + "…"
    assert len(excerpt(long)) <= 120 and "\n" not in excerpt(long)
    assert excerpt("  two\tlines\r\nhere ") == "two lines here"


def test_the_typed_result_reads_back_what_json_printed(edited: tuple[int, dict[str, Any], Path]) -> None:
    _, result, _ = edited
    typed = GateResult.from_json(result)
    assert typed.to_json() == result
    assert typed.passed is False and typed.baseline.ref == "HEAD"
    assert [v.check for v in typed.violations][:2] == ["max_broken", "unroutable"]
