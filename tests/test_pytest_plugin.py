"""The pytest plugin, run in a throw-away pytest session (pytester)."""

from __future__ import annotations

import os
import shutil

import pytest

from harness.pytest_plugin import marker_names
from tests.support import FIXTURES

pytest_plugins = ["pytester"]

MINI_IDS = [
    "scenarios/corpus.yaml::m1",
    "scenarios/corpus.yaml::m2",
    "scenarios/corpus.yaml::m3",
    "scenarios/corpus.yaml::m4",
    "scenarios/more.jsonl::m5",
]
# The mini rules' inline examples, in the order the rule set lists its rules.
RULE_IDS = ("c-seller", "c-shopper", "i-cancel", "i-order", "i-payout", "i-refund", "p-seller", "p-shopper", "l-order-id")
EXAMPLE_IDS = [f"rules/rules.yaml::{rule}::{kind}-1" for rule in RULE_IDS for kind in ("match", "no_match")]
TAGGED = """\
- id: h1
  tags: [holdout, seller]
  ticket: {text: "my shop payout is late"}
  expect: {persona: seller, issue: payout, channel: seller_center_chat}
- id: h2
  tags: [holdout, "hold out"]
  ticket: {text: "refund please, order 123456"}
  expect: {persona: shopper, issue: refund, channel: shopper_app_help}
- id: t3
  tags: [skip, and, hold-out]
  ticket: {text: "where is my package"}
  expect: {persona: shopper, issue: order, channel: shopper_app_help}
- id: t4
  ticket: {text: "my shop wants a refund"}
  expect: {persona: seller, issue: dispute, channel: seller_center_chat}
"""
TAGGED_IDS = ["tagged.yaml::h1", "tagged.yaml::h2", "tagged.yaml::t3", "tagged.yaml::t4"]


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """The mini corpus and rules inside pytester's rootdir, as `scenarios/` and `rules/`."""
    shutil.copytree(FIXTURES / "mini_corpus", pytester.path / "scenarios")
    shutil.copytree(FIXTURES / "mini_rules", pytester.path / "rules")
    pytester.makefile(".yaml", tagged=TAGGED)
    return pytester


def collected(result: pytest.RunResult) -> list[str]:
    return [line for line in result.outlines if "::" in line]


def test_scenarios_are_named_by_file_and_id(project: pytest.Pytester) -> None:
    result = project.runpytest("--harness-scenarios", "scenarios", "--collect-only", "-q")
    assert collected(result) == MINI_IDS
    result = project.runpytest("--harness-scenarios", "scenarios", "-q")
    result.assert_outcomes(passed=2, failed=3)
    result.stdout.fnmatch_lines(
        [
            "scenarios/corpus.yaml:11:3: scenario 'm4': issue: expected dispute, got refund (deciding rule i-refund)",
            "FAILED scenarios/corpus.yaml::m3 - *",
            "FAILED scenarios/corpus.yaml::m4 - *",
            "FAILED scenarios/more.jsonl::m5 - *",
        ]
    )


def test_a_file_outside_the_rootdir_is_named_by_its_relative_path(pytester: pytest.Pytester) -> None:
    corpus = FIXTURES / "mini_corpus"
    # An existing path among the arguments would make pytest choose this repository as rootdir.
    result = pytester.runpytest(
        f"--rootdir={pytester.path}",
        "--harness-scenarios", str(corpus), "--harness-rules", str(FIXTURES / "mini_rules"), "--collect-only", "-q",
    )  # fmt: skip
    up = os.path.relpath(corpus, pytester.path)
    assert collected(result) == [
        *(f"{up}/corpus.yaml::m{n}" for n in range(1, 5)),
        f"{up}/more.jsonl::m5",
    ]


def test_inline_examples_only_when_asked(project: pytest.Pytester) -> None:
    result = project.runpytest("--harness-scenarios", "scenarios", "--harness-examples", "--collect-only", "-q")
    assert collected(result) == MINI_IDS + EXAMPLE_IDS
    result = project.runpytest("--harness-scenarios", "scenarios", "--harness-examples", "-q")
    result.assert_outcomes(passed=20, failed=3)
    # The examples alone, without scenarios; one broken on purpose.
    rules = project.path / "rules" / "rules.yaml"
    rules.write_text(rules.read_text().replace('match: ["cancel"]', 'match: ["nothing here"]'))
    result = project.runpytest("--harness-examples", "-q")
    result.assert_outcomes(passed=17, failed=1)
    result.stdout.fnmatch_lines(
        [
            "rules/rules.yaml:49:*: rule 'i-cancel': example should match but it did not: 'nothing here'",
            "FAILED rules/rules.yaml::i-cancel::match-1 - *",
        ]
    )


def test_every_scenario_has_the_harness_marker_and_its_tags(project: pytest.Pytester) -> None:
    args = ["--harness-scenarios", "tagged.yaml", "--harness-rules", "rules", "--strict-markers"]
    result = project.runpytest(*args, "-m", "holdout", "-q")
    result.assert_outcomes(passed=2, deselected=2)
    result = project.runpytest(*args, "-m", "holdout", "--collect-only", "-q")
    assert collected(result) == ["tagged.yaml::h1", "tagged.yaml::h2"]
    for expression, ids in {
        "harness": TAGGED_IDS,
        "not holdout": ["tagged.yaml::t3", "tagged.yaml::t4"],
        "holdout and seller": ["tagged.yaml::h1"],
        "tag_hold_out": ["tagged.yaml::h2", "tagged.yaml::t3"],  # 'hold out' and 'hold-out'
        "tag_skip and tag_and": ["tagged.yaml::t3"],
    }.items():
        result = project.runpytest(*args, "-m", expression, "--collect-only", "-q")
        assert collected(result) == ids, expression
    # A tag named like pytest's own `skip` marker must not skip the scenario.
    result = project.runpytest(*args, "-q")
    result.assert_outcomes(passed=3, failed=1)
    result = project.runpytest(*args, "-m", "not harness", "-q")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result = project.runpytest(*args, "--markers")
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.harness: a labelled scenario or rule example of the harness",
            "@pytest.mark.holdout: harness scenarios tagged 'holdout'",
            "@pytest.mark.tag_hold_out: harness scenarios tagged 'hold out', 'hold-out'",
            "@pytest.mark.tag_skip: harness scenarios tagged 'skip'",
        ]
    )


def test_harness_tag_and_id_choose_scenarios(project: pytest.Pytester) -> None:
    args = ["--harness-scenarios", "tagged.yaml", "--harness-rules", "rules", "--collect-only", "-q"]
    for options, ids in [
        (["--harness-tag", "holdout"], ["tagged.yaml::h1", "tagged.yaml::h2"]),
        (["--harness-tag", "holdout", "--harness-tag", "hold out"], ["tagged.yaml::h2"]),
        (["--harness-tag", "hold"], []),
        (["--harness-id", "t*"], ["tagged.yaml::t3", "tagged.yaml::t4"]),
        (["--harness-id", "h1", "--harness-id", "t4"], ["tagged.yaml::h1", "tagged.yaml::t4"]),
        (["--harness-id", "H*"], []),
        (["--harness-tag", "holdout", "--harness-id", "*2"], ["tagged.yaml::h2"]),
    ]:
        result = project.runpytest(*args, *options)
        assert collected(result) == ids, options
    result = project.runpytest(
        "--harness-scenarios", "tagged.yaml", "--harness-rules", "rules", "--harness-id", "t*", "-q"
    )
    result.assert_outcomes(passed=1, failed=1, deselected=2)


def test_marker_names() -> None:
    tags = ["holdout", "hold out", "hold-out", "skip", "and", "None", "_x", "2fa", "harness", "café", "a_1"]
    assert marker_names(tags, taken={"skip", "xfail"}) == {
        "holdout": "holdout",
        "hold out": "tag_hold_out",
        "hold-out": "tag_hold_out",
        "skip": "tag_skip",
        "and": "tag_and",
        "None": "tag_None",
        "_x": "tag__x",
        "2fa": "tag_2fa",
        "harness": "tag_harness",
        "café": "tag_caf_",
        "a_1": "a_1",
    }


def test_bad_input_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", broken="- id: x\n")
    result = pytester.runpytest(
        "--harness-scenarios", "broken.yaml", "--harness-rules", str(FIXTURES / "mini_rules")
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*broken.yaml:1:3: scenario 'x': missing key 'ticket'; add it*"])


def test_without_options_the_plugin_adds_nothing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_one="def test_one():\n    pass\n")
    result = pytester.runpytest("--collect-only", "-q", "--strict-markers")
    assert collected(result) == ["test_one.py::test_one"]
