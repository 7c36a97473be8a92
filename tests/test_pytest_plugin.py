"""The pytest plugin, run in a throw-away pytest session (pytester)."""

from __future__ import annotations

import pytest

from tests.support import FIXTURES

pytest_plugins = ["pytester"]


def test_scenarios_and_examples_become_items(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest(
        "--harness-scenarios",
        str(FIXTURES / "mini_corpus"),
        "--harness-rules",
        str(FIXTURES / "mini_rules"),
        "-q",
    )
    result.assert_outcomes(passed=20, failed=3)
    result.stdout.fnmatch_lines(
        [
            "*corpus.yaml:11:3: scenario 'm4': issue: expected dispute, got refund (deciding rule i-refund)",
            "FAILED *::harness::m3*",
        ]
    )


def test_bad_input_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", broken="- id: x\n")
    result = pytester.runpytest(
        "--harness-scenarios", "broken.yaml", "--harness-rules", str(FIXTURES / "mini_rules")
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*broken.yaml:1:3: scenario 'x': missing key 'ticket'; add it*"])
