"""Everything an evaluation reports, accumulated over a stream of results and mergeable.

A `Partial` is what one chunk of a corpus contributes: the corpus tally, a tally per slice (tag,
persona, file, length, split), a bounded sample of failing scenarios per label, and the corpus
health sketch. Merging Partials in any order gives the Partial of the whole corpus, so chunks
can be evaluated in worker processes or on a cluster and reduced; nothing in it grows with the
corpus except the health sketch (a few integers per scenario).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from harness.contract import Contract
from harness.decide.outcome_json import explain_json
from harness.evaluate.health import HealthSketch
from harness.evaluate.result import ScenarioResult
from harness.evaluate.splits import split_of
from harness.evaluate.tally import Tally
from harness.model import FIELDS

SAMPLE_PER_LABEL = 20  # failing scenarios kept per (field, expected label) for the reports

LENGTH_BUCKETS = ((15, "short (<=15 words)"), (60, "medium (16-60)"), (200, "long (61-200)"))


def length_bucket(result: ScenarioResult) -> str:
    words = len(result.scenario.ticket.text.split())
    return next((name for limit, name in LENGTH_BUCKETS if words <= limit), "very long (>200)")


# The dimensions a corpus is sliced by; a result counts in every group its function names.
SLICES: dict[str, Callable[[ScenarioResult], Iterable[str]]] = {
    "tag": lambda r: r.scenario.tags or ("(untagged)",),
    "persona": lambda r: (r.expected("persona"),),
    "file": lambda r: (r.scenario.location.file,),
    "length": lambda r: (length_bucket(r),),
    "split": lambda r: (split_of(r.scenario),),
}


def failure_row(index: int, result: ScenarioResult, contract: Contract) -> dict[str, Any]:
    """A failing scenario as the reports show it: labels against predictions, and why (the
    explanation the report draws with highlighted spans; its next steps name the contract's labels)."""
    scenario, outcome = result.scenario, result.outcome
    decision = outcome.decision
    expected_findings = scenario.expect.findings
    return {
        "index": index,
        "id": scenario.id,
        "where": str(scenario.location),
        "failed": list(result.failed_fields),
        "expected": {
            **{n: result.expected(n) for n in FIELDS},
            "findings": None if expected_findings is None else sorted(expected_findings),
        },
        "predicted": {**{n: result.predicted(n) for n in FIELDS}, "findings": sorted(outcome.finding_ids)},
        "deciding": dict(decision.deciding),
        "text": scenario.ticket.text,
        "explain": explain_json(outcome, scenario.ticket, contract),
    }


def _failure_labels(result: ScenarioResult) -> list[tuple[str, str]]:
    """The groups a failing scenario is sampled under: each wrong field with its expected label."""
    return [
        (name, "findings" if name == "findings" else result.expected(name)) for name in result.failed_fields
    ]


@dataclass
class Partial:
    detailed: bool = True  # False (the gate): only the tally, the splits and the failing sample
    tally: Tally = field(default_factory=Tally)
    slices: dict[tuple[str, str], Tally] = field(default_factory=dict)
    failing_total: int = 0
    failing: dict[int, dict[str, Any]] = field(default_factory=dict)  # index -> failure row (the sample)
    failing_by_label: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # smallest indices
    health: HealthSketch = field(default_factory=HealthSketch)

    def add(self, index: int, result: ScenarioResult, contract: Contract) -> None:
        """Count the result at position `index` of the corpus (positions decide the sample);
        `contract`: the labels the rules were checked against."""
        self.tally.add(result)
        for dimension, keys_of in SLICES.items() if self.detailed else (("split", SLICES["split"]),):
            for key in keys_of(result):
                tally = self.slices.get((dimension, key))
                if tally is None:
                    tally = self.slices[(dimension, key)] = Tally()
                tally.add(result, full=False)
        if self.detailed:
            persona, issue, channel = (result.expected(n) for n in FIELDS)
            self.health.add(index, result.scenario.id, result.scenario.ticket.text, (persona, issue, channel))
        if result.passed:
            return
        self.failing_total += 1
        kept = False
        for group in _failure_labels(result):
            sample = self.failing_by_label.setdefault(group, [])
            if len(sample) < SAMPLE_PER_LABEL:  # indices arrive in order within one Partial
                sample.append(index)
                kept = True
        if kept:
            self.failing[index] = failure_row(index, result, contract)

    def absorb(self, other: Partial) -> None:
        """Count `other` in this Partial (in place); the result does not depend on the order."""
        self.tally.absorb(other.tally)
        self.failing_total += other.failing_total
        if self.detailed:
            self.health.absorb(other.health)
        for key, tally in other.slices.items():
            if key in self.slices:
                self.slices[key].absorb(tally)
            else:
                self.slices[key] = tally.merge(Tally())
        for group, indices in other.failing_by_label.items():
            both = sorted({*self.failing_by_label.get(group, ()), *indices})
            self.failing_by_label[group] = both[:SAMPLE_PER_LABEL]
        kept = {index for sample in self.failing_by_label.values() for index in sample}
        rows = {**self.failing, **other.failing}
        self.failing = {index: rows[index] for index in sorted(kept)}

    def sample(self) -> list[dict[str, Any]]:
        """The sampled failing scenarios, in corpus order."""
        return [self.failing[index] for index in sorted(self.failing)]
