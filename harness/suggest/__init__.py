"""Suggest phrases that close accuracy gaps, each tried for real (`harness suggest`).

For each decision field and each label some scenarios expect but do not get, the phrases (1-3
word n-grams of the folded, lowercased ticket text) frequent in those failing scenarios and rare
in the scenarios expecting another label are mined (`mine.py`), then each is tried (`trial.py`):
it is OR-ed into a routing rule that sets the label, the scenarios whose text the phrase matches
(no other scenario can change) are routed again, and the changes are counted.

Choices:

* **Target.** Every routing rule that sets the field to the label (and has a condition) is tried;
  the candidate names the one with the best net gain, then the most fixes, then the rule that
  decides the most scenarios today (the label's main rule rather than a special case), then the
  highest priority, then the smaller id. The phrase is added inside the rule's guards: the rule's
  top-level `decision:`/`ticket:`/`words:` conditions and its `none:` exclusions still apply, its
  text tests are not required beside the phrase (see `trial.py`). A label no rule sets gets no
  candidates: there is no rule to edit.
* **Fixes** are scenarios whose value for the field goes from wrong to right. **Breaks** are
  scenarios where any routing field (persona, issue or channel) goes from right to wrong: a persona
  or issue change moves the later fields, and an analyst adding the phrase breaks those too. A
  scenario can be both (its issue fixed, its channel broken). Lint findings are not compared.
* **Top** bounds the candidates per (field, label); the list returned holds every (field, label)
  asked for, ranked by net gain (fixes - breaks), then fixes, then phrase (then field, label).
  Only candidates with at least one fix are kept. A candidate is dropped when a shorter phrase
  inside it (for the same field and label) fixes at least the same scenarios and breaks no others.
* **Bounds.** A phrase must be in at least `min_support` failing scenarios; the `trials` best by
  contrast (failing - elsewhere, then failing) are tried per (field, label). Phrases found in
  exactly the same scenarios are tried once, as the most specific of them that does not begin or
  end with a stopword ("money back" rather than "money" or "back"; "zorblax", not "the zorblax").
  Phrases are matched with the engine's own semantics (`Matcher`), on the folded text.
* **Cost.** Every scenario is routed once; then, per trial, only the scenarios holding the phrase
  where the widened rule now beats the rule that decided the field are routed again (no other
  can change), reusing each ticket's cached pattern matches.

Pure: nothing is printed or written; the same inputs give the same list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from harness.evaluate.splits import split_of
from harness.match.conditions import TextTest
from harness.match.patterns import Matcher
from harness.model import FIELDS, Scenario
from harness.ruleset import RuleSet
from harness.suggest.mine import Index
from harness.suggest.trial import Baseline, targets, try_phrase

__all__ = ["Candidate", "candidates_json", "suggest"]


@dataclass(frozen=True)
class Candidate:
    field: str
    label: str
    phrase: str
    target: str  # the id of the rule the phrase was added to
    fixes: int
    breaks: int
    fixed_ids: tuple[str, ...]
    broken_ids: tuple[str, ...]

    @property
    def net(self) -> int:
        return self.fixes - self.breaks

    @property
    def rank(self) -> tuple[int, int, str, str, str, str]:
        return (-self.net, -self.fixes, self.phrase, self.field, self.label, self.target)


def _inside(short: str, long: str) -> bool:
    """Whether `short`'s words are a run of `long`'s words (and the two differ)."""
    a, b = short.split(" "), long.split(" ")
    return len(a) < len(b) and any(b[i : i + len(a)] == a for i in range(len(b) - len(a) + 1))


def _undominated(found: list[Candidate]) -> list[Candidate]:
    kept = []
    for candidate in found:
        fixed, broken = set(candidate.fixed_ids), set(candidate.broken_ids)
        if not any(
            _inside(other.phrase, candidate.phrase)
            and fixed <= set(other.fixed_ids)
            and set(other.broken_ids) <= broken
            for other in found
        ):
            kept.append(candidate)
    return kept


class _Suggester:
    def __init__(self, rules: RuleSet, scenarios: Sequence[Scenario], min_support: int, trials: int) -> None:
        self.rules = rules
        self.baseline = Baseline.of(rules, scenarios)
        self.index = Index(self.baseline.texts)
        self.min_support = min_support
        self.trials = trials
        # One matcher per phrase, alive for the whole run: contexts cache matches by id(matcher).
        self.phrases: dict[str, tuple[TextTest, tuple[int, ...]]] = {}

    def failing_labels(self, name: str) -> list[str]:
        i = FIELDS.index(name)
        pairs = zip(self.baseline.expected, self.baseline.predicted, strict=True)
        return sorted({expected[i] for expected, predicted in pairs if expected[i] != predicted[i]})

    def phrase(self, text: str) -> tuple[TextTest, tuple[int, ...]]:
        if text not in self.phrases:
            matcher = Matcher.build([text], [])
            self.phrases[text] = (TextTest(matcher, "all", 1), self.baseline.holders(matcher, text))
        return self.phrases[text]

    def for_label(self, name: str, label: str, top: int) -> list[Candidate]:
        rule_targets = targets(self.baseline, name, label)
        if not rule_targets:
            return []
        i = FIELDS.index(name)
        expected, predicted = self.baseline.expected, self.baseline.predicted
        failing = [p for p, e in enumerate(expected) if e[i] == label and predicted[p][i] != label]
        other = [e[i] != label for e in expected]
        ids = [s.id for s in self.baseline.scenarios]
        found = []
        for mined in self.index.mine(failing, other, self.min_support, self.trials):
            test, holders = self.phrase(mined.phrase)
            best = min(
                (try_phrase(self.baseline, t, n, test, holders, name) for n, t in enumerate(rule_targets)),
                key=lambda tried: tried.key,
            )
            if best.fixed:
                found.append(
                    Candidate(
                        field=name,
                        label=label,
                        phrase=mined.phrase,
                        target=best.target.id,
                        fixes=len(best.fixed),
                        breaks=len(best.broken),
                        fixed_ids=tuple(sorted(ids[p] for p in best.fixed)),
                        broken_ids=tuple(sorted(ids[p] for p in best.broken)),
                    )
                )
        return sorted(_undominated(found), key=lambda c: c.rank)[:top]


def suggest(
    rules: RuleSet,
    scenarios: Sequence[Scenario],
    field: str | None = None,
    label: str | None = None,
    top: int = 10,
    *,
    min_support: int = 2,
    trials: int = 40,
) -> list[Candidate]:
    """Phrases that would fix failing scenarios, each tried by routing again with it added to a rule.

    `field` and `label` restrict the (field, label) pairs looked at; `top` bounds the candidates
    per pair; `min_support` is the fewest failing scenarios a phrase must be in; `trials` bounds
    the phrases tried per pair. Scenarios tagged `holdout` are left out. Raises ValueError for an unknown field or a bound below 1."""
    if field is not None and field not in FIELDS:
        raise ValueError(f"unknown field {field!r}; use one of {', '.join(FIELDS)}")
    for bound, given in (("top", top), ("min_support", min_support), ("trials", trials)):
        if given < 1:
            raise ValueError(f"{bound} must be at least 1, not {given}")
    # The holdout split is never mined: it stays a fair test of whatever the suggestions lead to.
    scenarios = [s for s in scenarios if split_of(s) == "tune"]
    if not scenarios:
        return []
    suggester = _Suggester(rules, scenarios, min_support, trials)
    found: list[Candidate] = []
    for name in FIELDS if field is None else (field,):
        for value in suggester.failing_labels(name):
            if label is None or value == label:
                found.extend(suggester.for_label(name, value, top))
    return sorted(found, key=lambda c: c.rank)


def candidates_json(candidates: Sequence[Candidate]) -> dict[str, Any]:
    """`{"candidates": [...]}`, each with field, label, phrase, target, fixes, breaks and the ids."""
    return {
        "candidates": [
            {
                "field": c.field,
                "label": c.label,
                "phrase": c.phrase,
                "target": c.target,
                "fixes": c.fixes,
                "breaks": c.breaks,
                "fixed_ids": list(c.fixed_ids),
                "broken_ids": list(c.broken_ids),
            }
            for c in candidates
        ]
    }
