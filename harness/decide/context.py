"""One ticket prepared for the engines: normalized text, its opening, and a per-ticket cache."""

from __future__ import annotations

from harness.match.conditions import Context
from harness.match.text import prepare
from harness.model import Ticket
from harness.ruleset import RuleSet


def _greeting_sentences(text_norm: str, sentences: tuple[tuple[int, int], ...], rules: RuleSet) -> set[int]:
    """Sentences made of nothing but greeting words ("Hi team!"): they do not count towards the opening."""
    greetings = set()
    for index, (start, end) in enumerate(sentences):
        sentence = text_norm[start:end]
        rest = list(sentence)
        for a, b in rules.greeting.finditer(sentence, len(sentence)):
            rest[a:b] = " " * (b - a)
        if not any(ch.isalnum() for ch in rest):
            greetings.add(index)
    return greetings


def context_for(ticket: Ticket, rules: RuleSet) -> Context:
    text = prepare(ticket.text)
    greetings = _greeting_sentences(text.normalized, text.sentences, rules)
    opening = text.opening_end(rules.parameters["opening_sentences"], greetings)
    candidates, found = rules.prefilter.scan(text.normalized) if rules.matchers else (None, None)
    return Context(
        text=text,
        ticket=ticket,
        opening_end=opening,
        decision={},
        reaches=rules.reaches,
        candidates=candidates,
        found=found,
    )
