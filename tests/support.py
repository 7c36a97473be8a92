"""Paths and small inputs shared by the tests."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

MINIMAL_RULES = """\
parameters:
  opening_sentences: 2
terms:
  greeting:
    phrases: [hi]
routing:
  - id: p-shopper
    description: d
    source: s
    priority: 0
    set: {persona: shopper}
    examples: {match: ["x"], no_match: [{text: "x", persona: seller}]}
    when: {ticket: {persona: [null]}}
"""
