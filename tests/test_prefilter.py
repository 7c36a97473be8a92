"""The prefilter and the rule index change how much runs, never what is decided.

Every check compares the engines with the prefilter (`rules`) against the same rules with none
(every matcher searched, every rule evaluated), on the bundled corpus and on generated text."""

from __future__ import annotations

import dataclasses
from functools import cache

import re2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import harness
from harness.decide.context import context_for
from harness.decide.run import branch_hits, run_in
from harness.match.atoms import phrase_literals, regex_literals
from harness.match.patterns import Matcher
from harness.model import Ticket
from harness.ruleset import RuleSet
from tests.support import ROOT


@cache
def _rules() -> tuple[RuleSet, RuleSet]:
    rules = harness.load_rules(ROOT / "rules")
    return rules, dataclasses.replace(rules, matchers=())


def _everything(ticket: Ticket, rules: RuleSet) -> tuple[object, ...]:
    ctx = context_for(ticket, rules)
    outcome = run_in(ctx, rules)
    return outcome.decision, outcome.findings, outcome.lint_hits, frozenset(branch_hits(ctx, rules))


def test_the_prefilter_names_some_matchers_and_skips_some_rules() -> None:
    rules, _ = _rules()
    ctx = context_for(Ticket("My order 576912348877120345 never arrived, please refund me"), rules)
    assert ctx.candidates is not None
    assert 0 < len(ctx.candidates) < len(rules.matchers)
    evaluated = rules.rules_to_evaluate("issue", ctx.candidates)
    assert 0 < len(evaluated) < len(rules.by_field["issue"])
    assert list(evaluated) == sorted(evaluated, key=lambda r: r.id)


def test_same_decisions_on_every_bundled_scenario() -> None:
    rules, plain = _rules()
    scenarios = harness.load_scenarios(ROOT / "scenarios")
    differ = [s.id for s in scenarios if _everything(s.ticket, rules) != _everything(s.ticket, plain)]
    assert differ == []


@cache
def _vocabulary() -> list[str]:
    rules, _ = _rules()
    words = {source for matcher in rules.matchers for source in matcher.sources[: matcher.phrases]}
    return sorted(words)


_NOISE = st.sampled_from(
    [" ", ", ", ". ", "! ", "\n", "-", "'", "I ", "my ", "order ", "123456789012345678 ", "\u00e9", "\u212a", "\u017f", "\ufb01", "\u0130", "\u00df"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_same_decisions_on_generated_text(data: st.DataObject) -> None:
    rules, plain = _rules()
    words = st.sampled_from(_vocabulary()).map(
        lambda w: data.draw(st.sampled_from([w, w.upper(), w.title(), w.replace(" ", "-")]))
    )
    pieces = data.draw(st.lists(st.one_of(words, _NOISE), min_size=1, max_size=40))
    ticket = Ticket(
        "".join(pieces) or "x",
        persona=data.draw(st.sampled_from([None, "shopper", "seller", "creator"])),
        submitted_via=data.draw(st.sampled_from([None, "seller_center_chat", "in_app_customer_service"])),
    )
    assert _everything(ticket, rules) == _everything(ticket, plain)


def test_literals_of_phrases_and_regexes() -> None:
    assert phrase_literals("can't log-in*") == {"can"}
    assert phrase_literals("Seller Center") == {"seller"}
    assert phrase_literals("中文") is None
    assert regex_literals(r"\b(?:i|we)\s+(?:was|were)\s+(?:\w+\s+)?(?:banned|kicked off)\b") == {
        "banned",
        "kicked off",
    }
    assert regex_literals("ab+c") == {"ab"}
    assert regex_literals("a?bc") == {"bc"}
    assert regex_literals("(?i:Shop|store)x") == {"shop", "store"}
    assert regex_literals(r"foo\.bar") == {"foo.bar"}
    assert regex_literals("(?:a|b)|c") == {"a", "b", "c"}
    assert regex_literals("(?:refund)?ed") == {"ed"}
    assert regex_literals("x{0,3}yz") == {"yz"}
    for none in ("[A-Z][A-Z']*[A-Z]", r"\d{15,20}", "a|[b]", r"\pL+", ".*"):
        assert regex_literals(none) is None, none


_PIECES = st.sampled_from(
    ["a", "b", "ab", "(?:a|bc)", "(?:ab)?", "b+", "a*", "[ab]", r"\d", r"\.", ".", "(?i:A)", "c{2}", "c{0,2}", "x|y", "(?:)", r"\b"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=6), st.text(alphabet="abcxyAB.1 ", max_size=30))
def test_every_match_contains_a_literal(pieces: list[str], text: str) -> None:
    """Soundness: whatever a regex matches holds one of its literals (lowered)."""
    pattern = "".join(pieces)
    need = regex_literals(pattern)
    if need is None:
        return
    for match in re2.finditer(pattern, text):
        assert any(literal in match.group().lower() for literal in need), (pattern, match.group(), need)


def test_every_phrase_match_contains_its_literal() -> None:
    """Every phrase of the bundled rules, matched with its spaces, hyphens and apostrophes gone or
    swapped and its case changed: the match holds the phrase's literal."""
    missed = []
    for phrase in _vocabulary():
        need = phrase_literals(phrase)
        matcher = Matcher.build([phrase], [])
        for variant in {phrase.upper(), phrase.replace("'", ""), phrase.replace(" ", ""), phrase.replace(" ", "-")}:
            text = f"x {variant} y"
            for start, end in matcher.finditer(text, len(text)):
                if need is None or not any(literal in text[start:end].lower() for literal in need):
                    missed.append((phrase, variant))
    assert missed == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_narrow_program_finds_what_the_whole_program_finds(data: st.DataObject) -> None:
    """A matcher's first text is searched with a program of only the alternatives whose literals
    that text holds (patterns.program_for); the whole program must find the same matches."""
    from harness.match.text import prepare

    rules, _ = _rules()
    pieces = data.draw(st.lists(st.one_of(st.sampled_from(_vocabulary()), _NOISE), min_size=1, max_size=30))
    text = prepare("".join(pieces) or "x").normalized
    candidates, found = rules.prefilter.scan(text)
    for index in sorted(candidates):
        fresh = dataclasses.replace(rules.matchers[index])  # no program compiled yet: the narrow path
        narrow = list(fresh.finditer(text, len(text), found))
        assert "program" not in fresh.__dict__
        assert narrow == list(rules.matchers[index].finditer(text, len(text), None))


_TAILS = st.sampled_from(["", "s", "ed", "ing", "\u00f8", "\u0434", "\u9000", "_1", "-"])


@cache
def _factored_and_spelt() -> tuple[list[str], list[tuple[object, object]]]:
    """The `*` phrases, and each matcher whose program shares one word ending (Matcher.union)
    compiled both ways: shared, and spelt out after every phrase."""
    from harness.match.patterns import compile_regex

    rules, _ = _rules()
    wildcards = sorted({p for m in rules.matchers for p in m.sources[: m.phrases] if p.endswith("*")})
    pairs = []
    for matcher in rules.matchers:
        factored = matcher.union(range(len(matcher.alternatives)))
        spelt = "|".join(f"(?:{a})" for a in matcher.alternatives)
        if factored != spelt:
            pairs.append((compile_regex(factored, matcher.case_sensitive), compile_regex(spelt, matcher.case_sensitive)))
    return wildcards, pairs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_wildcard_phrases_sharing_one_word_ending_match_what_each_with_its_own_does(data: st.DataObject) -> None:
    """A matcher's program writes the word-ending class of its `*` phrases once; spelt out after
    every phrase instead, it must find exactly the same matches."""
    from harness.match.text import prepare

    wildcards, pairs = _factored_and_spelt()
    assert len(pairs) > 10  # the bundled rules do have matchers with several `*` phrases
    pieces = data.draw(
        st.lists(
            st.one_of(st.tuples(st.sampled_from(wildcards), _TAILS).map(lambda p: p[0][:-1] + p[1]), _NOISE),
            min_size=1,
            max_size=20,
        )
    )
    text = prepare("".join(pieces) or "x").normalized.encode()
    for one, other in pairs:
        assert [m.span() for m in one.finditer(text)] == [m.span() for m in other.finditer(text)]  # type: ignore[attr-defined]


_ODD_TAILS = st.sampled_from(
    ["", "s", "\u00f8", "\u0434d", "\u9000", "_1", "\U0001f600", "\U0001f600s", "\u2019s", "\u00e9\u2014x", "\u00b2"]
)


@cache
def _wildcard_matchers() -> list[Matcher]:
    rules, _ = _rules()
    return [m for m in rules.matchers if any(s.endswith("*") for s in m.sources[: m.phrases])]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_branch_coverage_names_the_first_alternative_that_matches_the_piece_alone(data: st.DataObject) -> None:
    """Branch coverage's Set widens a `*` phrase's word ending to any non-ASCII character (a fifth
    of the memory); on a piece with an emoji, a dash or a superscript after the phrase, it must
    still name exactly the first alternative whose own regex matches all of the piece."""
    from harness.match.patterns import compile_regex

    matchers = _wildcard_matchers()
    assert len(matchers) > 10
    matcher = dataclasses.replace(data.draw(st.sampled_from(matchers)))  # fresh caches
    source = data.draw(st.sampled_from([s for s in matcher.sources[: matcher.phrases] if s.endswith("*")]))
    head = source[:-1]
    piece = head + data.draw(_ODD_TAILS)
    alone = [compile_regex(a, matcher.case_sensitive) for a in matcher.alternatives]
    expected = next((i for i, one in enumerate(alone) if one.fullmatch(piece)), -1)
    assert matcher.alternative_at(f"x {piece} y", 2, 2 + len(piece)) == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_first_text_searched_literal_by_literal_finds_what_the_set_finds(data: st.DataObject) -> None:
    """`harness route` looks for each literal in its one ticket rather than compiling the Set; the
    second text goes through the Set. Both must find the same literals and candidates."""
    from harness.match.prefilter import Prefilter
    from harness.match.text import prepare

    rules, _ = _rules()
    pieces = data.draw(st.lists(st.one_of(st.sampled_from(_vocabulary()), _NOISE), min_size=1, max_size=30))
    text = prepare("".join(pieces) or "x").normalized
    fresh = Prefilter(rules.prefilter.literals, rules.prefilter.owners, rules.prefilter.always)
    first = fresh.scan(text)
    assert "_set" not in fresh.__dict__
    assert first == fresh.scan(text)
    assert "_set" in fresh.__dict__
