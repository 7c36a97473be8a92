"""Trying a mined phrase for real: add it to a rule that decides the label, re-route, count.

The edit tried (documented in `harness.suggest`): the phrase becomes one more way for the target
rule to hold, inside the rule's guards. In rule-file terms the target's `when` becomes

    any:
      - <the rule's when, unchanged>
      - all: [<the rule's guards>, {phrases: [PHRASE]}]

where the guards are the top-level conditions of the rule that carry no positive text evidence
(`decision:`, `ticket:`, `words:`, combinations of those) and its `none:` exclusions. So a phrase
added to a seller-only issue rule stays seller-only, and a rule's "not when negated" exclusions
still apply, but the rule's own text tests are not required beside the phrase. The rule keeps its
id and priority, and when its old condition holds too the evidence is the union of both, exactly
as OR-ing the phrase into the rule file would behave under the conflict policy.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from harness.decide.context import context_for
from harness.decide.route import decide, policy_key
from harness.match.conditions import AllOf, AnyOf, Condition, Context, NoneOf, TextTest, text_tests
from harness.match.patterns import Matcher
from harness.model import FIELDS, UNROUTABLE, Decision, Scenario
from harness.ruleset import Rule, RuleSet


def _squash(text: str) -> str:
    """Lowercase, without whitespace, hyphens or apostrophes: whatever a phrase matches, its
    squashed form is a substring of the squashed text (a cheap, sound pre-filter for ASCII phrases)."""
    return "".join(ch for ch in text.lower() if not (ch.isspace() or ch in "-'"))


@dataclass(frozen=True)
class Baseline:
    """Every scenario prepared and routed once with the unchanged rules.

    The contexts are kept after routing: their caches hold every pattern match found so far, and
    are shared by the trials (keyed by matcher identity; every matcher stays alive for the run)."""

    rules: RuleSet
    scenarios: tuple[Scenario, ...]
    contexts: tuple[Context, ...]
    predicted: tuple[tuple[str, ...], ...]  # (persona, issue, channel) per scenario
    expected: tuple[tuple[str, ...], ...]
    deciding: tuple[Mapping[str, str], ...]  # field -> id of the rule that decided it
    squashed: tuple[str, ...]

    @classmethod
    def of(cls, rules: RuleSet, scenarios: Sequence[Scenario]) -> Baseline:
        contexts = []
        decisions = []
        for scenario in scenarios:
            ctx = context_for(scenario.ticket, rules)
            decisions.append(decide(ctx, rules))
            contexts.append(ctx)
        return cls(
            rules=rules,
            scenarios=tuple(scenarios),
            contexts=tuple(contexts),
            predicted=tuple(_values(d) for d in decisions),
            expected=tuple(tuple(getattr(s.expect, name) for name in FIELDS) for s in scenarios),
            deciding=tuple(dict(d.deciding) for d in decisions),
            squashed=tuple(_squash(ctx.text.normalized) for ctx in contexts),
        )

    @cached_property
    def by_id(self) -> Mapping[str, Rule]:
        return {rule.id: rule for rule in self.rules.routing}

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(ctx.text.normalized for ctx in self.contexts)

    def holders(self, matcher: Matcher, phrase: str) -> tuple[int, ...]:
        """Positions of the scenarios whose folded text the phrase matches (the engine's semantics)."""
        squashed = _squash(phrase)
        check = phrase.isascii() and bool(squashed)
        found = []
        for position, ctx in enumerate(self.contexts):
            if check and squashed not in self.squashed[position]:
                continue
            text = ctx.text.normalized
            if next(matcher.finditer(text, len(text)), None) is not None:
                found.append(position)
        return tuple(found)

    def staged(self, position: int, name: str) -> Context | None:
        """A context for deciding `name` again, the earlier fields decided as before (None when an
        earlier field is unroutable: then `name` is unroutable whatever its rules say)."""
        base = self.contexts[position]
        index = FIELDS.index(name)
        earlier = dict(zip(FIELDS[:index], self.predicted[position][:index], strict=True))
        if UNROUTABLE in earlier.values():
            return None
        return Context(base.text, base.ticket, base.opening_end, earlier, base.reaches, base.cache)

    def reroute(self, position: int, rules: RuleSet) -> tuple[str, ...]:
        base = self.contexts[position]
        ctx = Context(base.text, base.ticket, base.opening_end, {}, base.reaches, base.cache)
        return _values(decide(ctx, rules))


def _values(decision: Decision) -> tuple[str, ...]:
    return tuple(getattr(decision, name) for name in FIELDS)


def guards(condition: Condition) -> tuple[Condition, ...]:
    """The top-level parts of a condition that scope it rather than give text evidence."""
    parts = condition.children if isinstance(condition, AllOf) else (condition,)
    return tuple(p for p in parts if isinstance(p, NoneOf) or next(text_tests(p), None) is None)


def _condition(rule: Rule) -> Condition:
    if rule.when is None:
        raise ValueError(f"rule {rule.id!r} always holds; a phrase cannot widen it")
    return rule.when


def branch(rule: Rule, phrase: TextTest) -> Condition:
    """The phrase inside the rule's guards: the new way for the rule to hold."""
    scoped = guards(_condition(rule))
    return AllOf((*scoped, phrase)) if scoped else phrase


def with_phrase(rule: Rule, phrase: TextTest, extra: Condition | None = None) -> Rule:
    """The rule with the phrase OR-ed in, inside the rule's guards (see the module docstring)."""
    added = branch(rule, phrase) if extra is None else extra
    return dataclasses.replace(rule, when=AnyOf((_condition(rule), added)))


def targets(baseline: Baseline, name: str, label: str) -> tuple[Rule, ...]:
    """The routing rules that set `name` to `label` and can be widened (they have a condition),
    in order of preference when phrases do equally well in them: the rule that decides the most
    scenarios (the label's main rule, not a special case), then the higher priority, then the id."""
    decided = Counter(rules.get(name) for rules in baseline.deciding)
    found = (r for r in baseline.rules.by_field[name] if r.value == label and r.when is not None)
    return tuple(sorted(found, key=lambda r: (-decided[r.id], -r.priority, r.id)))


@dataclass(frozen=True)
class Trial:
    target: Rule
    preference: int  # the target's place in `targets` (0 first)
    fixed: tuple[int, ...]  # positions that go from wrong to right on the field
    broken: tuple[int, ...]  # positions where some routing field goes from right to wrong

    @property
    def key(self) -> tuple[int, int, int]:
        """Best first: net gain, then fixes, then the preferred target."""
        return (len(self.broken) - len(self.fixed), -len(self.fixed), self.preference)


def try_phrase(
    baseline: Baseline, target: Rule, preference: int, phrase: TextTest, holders: Sequence[int], name: str
) -> Trial:
    """Route again, with the phrase added to `target`, the scenarios whose text holds the phrase
    and compare field by field with the baseline.

    No other scenario can change. Of those, only the ones where the widened rule now beats the
    rule that decided the field (by the engine's own conflict policy) are routed again: the other
    rules for the field hold exactly as before, so nothing else can change the decision. That
    leaves out the scenarios already given the target's label (the widened rule can only make it
    win again, and later fields see only the decided values) and those where the new branch
    (guards and phrase) does not hold (the widened rule then holds exactly as before)."""
    extra = branch(target, phrase)
    widened = with_phrase(target, phrase, extra)
    routing = tuple(widened if r is target else r for r in baseline.rules.routing)
    trial_rules = dataclasses.replace(baseline.rules, routing=routing)
    index = FIELDS.index(name)
    fixed: list[int] = []
    broken: list[int] = []
    for position in holders:
        before = baseline.predicted[position]
        if before[index] == target.value:
            continue
        ctx = baseline.staged(position, name)
        if ctx is None or not extra.evaluate(ctx).held:
            continue
        winner = baseline.by_id.get(baseline.deciding[position].get(name, ""))
        if winner is not None and policy_key((winner, winner.evaluate(ctx))) < policy_key(
            (widened, widened.evaluate(ctx))
        ):
            continue
        after = baseline.reroute(position, trial_rules)
        expected = baseline.expected[position]
        if before[index] != expected[index] and after[index] == expected[index]:
            fixed.append(position)
        if any(b == e and a != e for b, a, e in zip(before, after, expected, strict=True)):
            broken.append(position)
    return Trial(target, preference, tuple(fixed), tuple(broken))
