"""Invariants, checked by hypothesis: the engines are total and deterministic, the loaders fail only
with the harness's own error, and the order of rule files never matters."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import harness
from harness.contract import default_contract
from harness.model import UNROUTABLE, Ticket
from tests.support import MINIMAL_RULES, ROOT

BUNDLED = default_contract()  # the contract the bundled rules and scenarios use

ARRIVALS = [None, *BUNDLED.arrivals]
tickets = st.builds(
    Ticket,
    text=st.text(max_size=400),
    persona=st.sampled_from([None, *BUNDLED.personas]),
    submitted_via=st.sampled_from(ARRIVALS),
    attachments=st.lists(st.text(min_size=1, max_size=10), max_size=2).map(tuple),
)
# Text that looks like tickets (words from the domain, odd spacing and punctuation) reaches more rules.
WORDS = [
    "refund",
    "order",
    "locked",
    "out",
    "2fa",
    "seller",
    "center",
    "appeal",
    "violation",
    "VR-1234",
    "shop",
    "id",
    "7495012345678901234",
    "sample",
    "video",
    "live",
    "tonight",
    "payout",
    "hold",
    "buyer",
    "return",
    "window",
    "exception",
    "goodwill",
    "PLEASE",
    "NOW",
    "!!",
    "?",
    ".",
    "\n",
    "\u00a0",
    "\u2019",
    "caf\u00e9",
    "\U0001f600",
]
wordy = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)


def _valid(outcome: harness.Outcome, text: str) -> None:
    d = outcome.decision
    assert d.persona in (*BUNDLED.personas, UNROUTABLE)
    assert d.issue in (*BUNDLED.all_issues, UNROUTABLE)
    assert d.channel in (*BUNDLED.channels, UNROUTABLE)
    assert outcome.finding_ids <= set(BUNDLED.findings)
    for hit in (*d.matched, *outcome.lint_hits):
        for span in hit.spans:
            assert 0 <= span.start < span.end <= len(text)
            assert span.text == text[span.start : span.end]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ticket=tickets)
def test_route_and_lint_are_total_and_deterministic(rules, ticket: Ticket) -> None:  # type: ignore[no-untyped-def]
    first = harness.run(ticket, rules)
    _valid(first, ticket.text)
    assert harness.run(ticket, rules) == first
    assert harness.route(ticket, rules) == first.decision
    assert harness.lint(ticket, first.decision, rules) == first.findings


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=wordy, persona=st.sampled_from([None, *BUNDLED.personas]), via=st.sampled_from(ARRIVALS))
def test_engines_on_ticket_like_text(rules, text: str, persona: str | None, via: str | None) -> None:  # type: ignore[no-untyped-def]
    ticket = Ticket(text, persona, via)
    first = harness.run(ticket, rules)
    _valid(first, text)
    assert harness.run(ticket, rules) == first


# Hostile shapes at scale: a short unit (dots, one long word, emoji, words) repeated up to the
# ticket limit. Linear time is measured in the benchmark (`nox -s bench` prints 10 KB vs 100 KB).
repeated = st.builds(
    lambda unit, size: (unit * (size // max(len(unit), 1) + 1))[:size],
    st.lists(st.sampled_from([*WORDS, ".", "a", "é", "😀", "-"]), min_size=1, max_size=6).map("".join),
    st.integers(min_value=1, max_value=100_000),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=repeated)
def test_engines_on_long_repeated_text(rules, text: str) -> None:  # type: ignore[no-untyped-def]
    _valid(harness.run(Ticket(text), rules), text)


yaml_like = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(
        st.sampled_from(
            [
                "- ",
                "id: ",
                "x",
                ":",
                "\n",
                "  ",
                "[",
                "]",
                "{",
                "}",
                "!!",
                "&a ",
                "*a",
                "routing:",
                "ticket:",
                "text: hi",
                "expect:",
                "persona: seller",
                "'",
                '"',
                "#",
                "\t",
                "%YAML 1.2",
            ]
        ),
        max_size=40,
    ).map(lambda parts: "".join(parts).encode()),
)


@settings(max_examples=200, deadline=None)
@given(content=yaml_like, suffix=st.sampled_from([".yaml", ".jsonl"]))
def test_loaders_raise_only_harness_errors(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(content)
        for load in (harness.load_scenarios, harness.load_rules):
            try:
                load(path)
            except harness.HarnessError as exc:
                assert exc.problems and all("\n" not in str(p) for p in exc.problems)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.permutations([f"{c}.yaml" for c in "abcdefghijklmnop"]))
def test_rule_file_order_does_not_change_decisions(rules, names: list[str]) -> None:  # type: ignore[no-untyped-def]
    files = sorted((ROOT / "rules").rglob("*.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        for source, name in zip(files, names, strict=False):
            shutil.copy(source, Path(tmp) / name)
        shuffled = harness.load_rules(tmp)

    def essence(outcome: harness.Outcome) -> tuple[object, ...]:
        d = outcome.decision  # rule locations differ (the files were renamed); everything else must not
        hits = [(h.rule, h.value, h.spans) for h in (*d.matched, *outcome.lint_hits)]
        return (d.persona, d.issue, d.channel, d.path, d.needs, d.expect, d.deciding, outcome.findings, hits)

    for scenario in harness.load_scenarios(ROOT / "scenarios")[::7]:
        assert essence(harness.run(scenario.ticket, shuffled)) == essence(harness.run(scenario.ticket, rules))


def test_minimal_rules_route_anything_without_error() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "a.yaml").write_text(MINIMAL_RULES)
        minimal = harness.load_rules(tmp)
    decision = harness.route(Ticket("anything at all"), minimal)
    assert (decision.persona, decision.issue, decision.channel) == ("shopper", UNROUTABLE, UNROUTABLE)
    assert decision.unroutable
