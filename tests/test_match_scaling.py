"""Matching stays exact where it was made linear: sentence ends, byte offsets, shared conditions."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import harness
from harness.decide.context import context_for
from harness.match.conditions import Context, Result, Shared, _outside, text_tests
from harness.match.patterns import Matcher
from harness.match.text import prepare, utf8
from harness.model import Span, Ticket
from tests.support import MINIMAL_RULES


def test_sentences_end_at_runs_of_marks_followed_by_space_or_the_end() -> None:
    text = prepare("Hi. Is it v1.2?! Yes...\nok.x done")
    assert [text.normalized[a:b] for a, b in text.sentences] == ["Hi.", " Is it v1.2?!", " Yes...", "ok.x done"]


def test_a_long_run_of_dots_is_one_sentence() -> None:
    assert prepare("." * 50_000 + "x").sentences == ((0, 50_001),)
    assert prepare("." * 50_000).sentences == ()  # marks alone say nothing


def test_offsets_are_characters_though_matching_runs_on_bytes() -> None:
    matcher = Matcher.build(["refund", "order"], [])
    text = "café 😀 naïve refund, ordered order"
    found = list(matcher.finditer(text, len(text)))
    assert [text[a:b] for a, b in found] == ["refund", "order"]
    assert found == [(13, 19), (29, 34)]
    assert utf8(text).byte(13) == len("café 😀 naïve ".encode())


def test_a_match_inside_a_word_is_skipped_to_the_next_word() -> None:
    matcher = Matcher.build([], ["b+"])
    text = "abbb bb abb b"
    assert list(matcher.finditer(text, len(text))) == [(5, 7), (12, 13)]


def test_empty_matches_never_loop() -> None:
    matcher = Matcher.build([], ["q*"])
    assert list(matcher.finditer("hello " * 1000, 6000)) == []
    assert list(matcher.finditer("naïve qq", 8)) == [(6, 8)]


def _chain_rules(tmp_path: Path, levels: int) -> harness.RuleSet:
    conditions = "conditions:\n  c0: {phrases: [refund]}\n" + "".join(
        f"  c{i}: {{any: [{{use: c{i - 1}}}, {{use: c{i - 1}}}]}}\n" for i in range(1, levels + 1)
    )
    rule = (
        "  - id: p-chain\n    description: d\n    source: s\n    priority: 5\n    set: {persona: seller}\n"
        f"    when: {{use: c{levels}}}\n    examples: {{match: [refund], no_match: [hello]}}\n"
    )
    (tmp_path / "a.yaml").write_text(MINIMAL_RULES + rule + conditions)
    return harness.load_rules(tmp_path)


def test_a_chain_of_shared_conditions_is_evaluated_once_per_link(tmp_path: Path) -> None:
    rules = _chain_rules(tmp_path, 12)  # 2**12 paths if each use were expanded
    decision = harness.route(Ticket("refund please, a refund"), rules)
    assert decision.persona == "seller"
    chain = next(h for h in decision.matched if h.rule == "p-chain")
    assert chain.spans == (Span(0, 6, "refund"), Span(17, 23, "refund"))  # not 2**12 copies
    rule = next(r for r in rules.routing if r.id == "p-chain")
    assert rule.when is not None
    assert len(list(text_tests(rule.when))) == 1
    ctx = context_for(Ticket("refund please"), rules)
    evaluated: list[str] = []
    original = Shared.evaluate

    def counting(self: Shared, ctx: Context) -> Result:
        if id(self) not in ctx.shared:
            evaluated.append(self.name)
        return original(self, ctx)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Shared, "evaluate", counting)
        assert rule.evaluate(ctx).spans == (Span(0, 6, "refund"),)  # distinct spans, not 2**12
    assert sorted(evaluated) == sorted(f"c{i}" for i in range(13))  # each link once


NEAR_RULE = """\
  - id: p-near
    description: d
    source: s
    priority: 5
    set: {persona: seller}
    when: {phrases: [deactivated, suspended], near: {phrases: [account, shop], within: 2}}
    examples: {match: ["our shop was deactivated"], no_match: ["the account is fine, a listing was deactivated"]}
"""


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("our shop was deactivated", ("shop", "deactivated")),
        ("Account got suspended", ("Account", "suspended")),
        ("suspended: the shop", ("suspended", "shop")),
        ("deactivated my whole seller account", ()),  # three words between
        ("the account is fine, a listing was deactivated", ()),
        ("shop deactivated, account suspended", ("shop", "deactivated", "account", "suspended")),
    ],
)
def test_near_counts_a_match_only_within_the_word_window(tmp_path: Path, text: str, spans: tuple[str, ...]) -> None:
    (tmp_path / "a.yaml").write_text(MINIMAL_RULES + NEAR_RULE)
    decision = harness.route(Ticket(text), harness.load_rules(tmp_path))
    hit = next((h for h in decision.matched if h.rule == "p-near"), None)
    assert (hit.spans if hit else ()) == tuple(
        Span(text.index(w), text.index(w) + len(w), w) for w in sorted(spans, key=text.index)
    )
    assert decision.persona == ("seller" if spans else "shopper")


@pytest.mark.parametrize(
    ("phrase", "text", "found"),
    [
        ("退款", "我想要退款\uff0c谢谢", ["退款"]),  # no spaces between words: each character stands alone
        ("возврат", "хочу возврат денег", ["возврат"]),  # RE2's \b is ASCII-only
        ("возврат", "невозврат", []),  # still word-bounded, by the check on each match
        ("list", "listing list", ["list"]),
        ("refund*", "refunded now", ["refunded"]),
    ],
)
def test_phrases_match_whole_words_in_any_script(phrase: str, text: str, found: list[str]) -> None:
    matcher = Matcher.build([phrase], [])
    assert [text[a:b] for a, b in matcher.finditer(text, len(text))] == found


def _intervals(cuts: list[int]) -> list[tuple[int, int]]:
    """Non-overlapping, non-empty (start, end) pairs in order, as a matcher's matches are."""
    points = sorted(set(cuts))
    return [(a, b) for a, b in zip(points[::2], points[1::2], strict=False)]


@given(st.lists(st.integers(0, 60), max_size=24), st.lists(st.integers(0, 60), max_size=24))
def test_matches_outside_the_masks_are_those_no_mask_overlaps(found: list[int], masks: list[int]) -> None:
    """`not_within` drops a match that overlaps any mask; it finds that mask by a binary search
    (a long ticket stays linear), which must keep exactly what comparing every pair keeps."""
    matches, covering = _intervals(found), _intervals(masks)
    expected = tuple(m for m in matches if not any(a < m[1] and m[0] < b for a, b in covering))
    assert _outside(matches, covering) == expected
