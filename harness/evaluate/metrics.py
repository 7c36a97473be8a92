"""The metrics object, typed: the headline figures, and the sections a detailed evaluation adds.

Every section is a frozen dataclass built by its own module (scores.py, coverage.py, health.py,
splits.py, analysis.py) from a Tally. Their shapes live here, beside `Metrics` that holds them
all: the builders need `ratio` and `f1` from this module, so the shapes cannot live with them.
`Metrics.to_json()` is metrics.json (and `harness evaluate --json`), `Metrics.from_json()` reads
it back. Fractions are in [0, 1], None where undefined."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from harness.evaluate.tally import Tally
from harness.model import FIELDS
from harness.plain import from_plain, to_plain
from harness.ruleset import RuleSet

JSON = dict[str, Any]
Interval = tuple[float, float]  # a 95% Wilson interval: low, high
Combination = tuple[str, str, str]  # persona, issue, channel


def _figure(owner: object, names: tuple[str, ...], name: str) -> Any:
    if name not in names:
        raise KeyError(f"no metric {name!r}; the metrics are {', '.join(names)}")
    return getattr(owner, name)


@dataclass(frozen=True)
class Figures:
    """The core figures of a group of scenarios (the corpus, a split, a slice), or the change in
    them between two evaluations (the gate's delta: None where either side is undefined)."""

    scenarios: int
    passed: int
    persona_accuracy: float | None
    issue_accuracy: float | None
    channel_accuracy: float | None
    exact_match: float | None
    findings_micro_f1: float | None
    rule_coverage: float | None
    unroutable: int

    def figure(self, name: str) -> float | int | None:
        """A figure by its name (one of CORE_METRICS)."""
        value: float | int | None = _figure(self, CORE_METRICS, name)
        return value


# The figures compared across slices of a corpus and across the two sides of the gate.
CORE_METRICS = tuple(f.name for f in fields(Figures))


@dataclass(frozen=True)
class Headline:
    """The headline figures of an evaluation."""

    scenarios: int
    passed: int
    pass_rate: float | None
    persona_accuracy: float | None
    issue_accuracy: float | None
    channel_accuracy: float | None
    exact_match: float | None
    findings_scenarios: int
    findings_micro_f1: float | None
    findings_exact_match: float | None
    unroutable: int
    rules: int
    rule_coverage: float | None
    dead_rules: tuple[str, ...]

    def figure(self, name: str) -> float | int | None:
        """A headline figure by its name (`--fail-under`, the policy's metrics); a KeyError for any
        other name."""
        value: float | int | None = _figure(self, HEADLINE_FIGURES, name)
        return value

    def core(self) -> Figures:
        return Figures(**{name: getattr(self, name) for name in CORE_METRICS})


HEADLINE = tuple(f.name for f in fields(Headline))
# The headline figures that are numbers (every headline field but the list of dead rules).
HEADLINE_FIGURES = tuple(name for name in HEADLINE if name != "dead_rules")


# Scores (scores.py).


@dataclass(frozen=True)
class LabelScore:
    precision: float | None  # None: never predicted
    recall: float | None  # None: no support
    f1: float | None
    support: int
    predicted: int


@dataclass(frozen=True)
class LabelScores:
    labels: Mapping[str, LabelScore]  # in contract order, then any other label seen
    macro_precision: float | None
    macro_recall: float | None
    macro_f1: float | None
    micro_precision: float | None
    micro_recall: float | None
    micro_f1: float | None


@dataclass(frozen=True)
class Confusion:
    labels: tuple[str, ...]
    matrix: tuple[tuple[int, ...], ...]  # expected (row) x predicted (column)


@dataclass(frozen=True)
class FieldScores(LabelScores):
    """A decision field's scores: its labels', its accuracy and its confusion matrix."""

    accuracy: float | None
    accuracy_ci95: Interval | None
    confusion: Confusion


@dataclass(frozen=True)
class FindingScores(LabelScores):
    scenarios: int  # with findings labelled
    exact_set_match: float | None


@dataclass(frozen=True)
class ConfusedPair:
    field: str
    expected: str
    predicted: str
    count: int


# Coverage (coverage.py) and corpus health (health.py).


@dataclass(frozen=True)
class RuleRow:
    """A rule's line in rules.csv and the report: what it sets, where it is, how often it fired."""

    rule: str
    kind: str
    sets: str
    value: str
    priority: int | None  # routing rules only
    owner: str | None
    file: str
    line: int
    matched: int
    decisive: int
    status: str  # live, never decisive, dead
    examples: int


@dataclass(frozen=True)
class LabelCount:
    field: str  # persona, issue, channel or finding
    label: str
    support: int


@dataclass(frozen=True)
class ContractLabel:
    field: str
    label: str


@dataclass(frozen=True)
class LabelSupport:
    """Scenarios per contract label, and the labels with too few or none."""

    threshold: int
    support: Mapping[str, Mapping[str, int]]  # field -> label -> scenarios, in contract order
    below_threshold: tuple[LabelCount, ...]
    missing: tuple[ContractLabel, ...]


@dataclass(frozen=True)
class PatternRow:
    """A rule's pattern alternatives and how many ever matched (branch coverage)."""

    rule: str
    alternatives: int
    matched: int
    coverage: float
    unmatched: tuple[str, ...]


@dataclass(frozen=True)
class Combinations:
    producible: int
    tested: int
    tested_not_producible: tuple[Combination, ...]
    tested_never_predicted: tuple[Combination, ...]
    producible_untested: tuple[Combination, ...]


@dataclass(frozen=True)
class Conflict:
    """Two near-identical tickets labelled differently."""

    a: str
    b: str
    similarity: float
    labels_a: Combination
    labels_b: Combination


@dataclass(frozen=True)
class CorpusHealth:
    similarity_cutoff: float
    conflicting_labels: tuple[Conflict, ...]  # the first ones, in corpus order
    conflicts_total: int
    near_duplicate_clusters: tuple[tuple[str, ...], ...]  # the largest first
    clusters_total: int
    scenarios_not_compared: int


@dataclass(frozen=True)
class Coverage:
    """What the corpus exercises, beyond label support (which every evaluation has)."""

    rules: tuple[RuleRow, ...]
    patterns: tuple[PatternRow, ...]
    combinations: Combinations
    corpus: CorpusHealth
    never_decisive: tuple[str, ...]
    examples_only: tuple[str, ...]  # never fired; their inline examples are their only evidence


# The detailed sections (analysis.py) and the whole object.


@dataclass(frozen=True)
class Errors:
    failing_total: int
    failing: tuple[Mapping[str, Any], ...]  # the sample (partial.failure_row): JSON-ready rows
    confused_pairs: tuple[ConfusedPair, ...]


@dataclass(frozen=True)
class Detail:
    """What a detailed evaluation adds to the headline (the reports need it; the gate skips it)."""

    unroutable_rate: float | None
    exact_match_ci95: Interval | None
    fields: Mapping[str, FieldScores]  # persona, issue, channel
    findings: FindingScores
    slices: Mapping[str, Mapping[str, Figures]]  # dimension (tag, persona, file, length) -> group
    errors: Errors
    coverage: Coverage


@dataclass(frozen=True)
class Splits:
    tune: Figures
    holdout: Figures


@dataclass(frozen=True)
class SkippedRows:
    count: int
    first: tuple[str, ...]  # the first problems, one line each


# In metrics.json the detail's sections sit at the top beside the headline's keys, but for its
# coverage, which joins label support (`label_support` is coverage.labels).
_SECTIONS = tuple(f.name for f in fields(Detail) if f.name != "coverage")


@dataclass(frozen=True)
class Metrics(Headline):
    """Everything an evaluation measured: the headline figures, label support, the splits, the
    detailed sections when asked for, and what the command adds about the run."""

    label_support: LabelSupport
    splits: Splits
    generalization_gap: Mapping[str, float | None]  # tune minus holdout, per GAP_METRICS
    detail: Detail | None = None
    manifest: Mapping[str, Any] | None = None  # report/manifest.py: JSON as written
    skipped_rows: SkippedRows | None = None

    def detailed(self) -> Detail:
        """The detailed sections; a ValueError when the evaluation skipped them (detailed=False)."""
        if self.detail is None:
            raise ValueError("these metrics come from an evaluation with detailed=False")
        return self.detail

    def to_json(self) -> JSON:
        """The metrics object as metrics.json holds it."""
        data: JSON = {name: to_plain(getattr(self, name)) for name in HEADLINE}
        coverage: JSON = {"labels": to_plain(self.label_support)}
        if self.detail is not None:
            data.update({name: to_plain(getattr(self.detail, name)) for name in _SECTIONS})
            for name in FIELDS:
                data[f"{name}_accuracy_ci95"] = to_plain(self.detail.fields[name].accuracy_ci95)
            coverage.update(to_plain(self.detail.coverage))
        data["coverage"] = coverage
        data["splits"] = to_plain(self.splits)
        data["generalization_gap"] = dict(self.generalization_gap)
        if self.manifest is not None:
            data["manifest"] = to_plain(self.manifest)
        if self.skipped_rows is not None:
            data["skipped_rows"] = to_plain(self.skipped_rows)
        return data

    @classmethod
    def from_json(cls, data: JSON) -> Metrics:
        """Metrics read back from metrics.json (or `harness evaluate --json`)."""
        coverage = dict(data["coverage"])
        labels = coverage.pop("labels")
        detail = None
        if "fields" in data:
            detail = from_plain(Detail, {**{name: data[name] for name in _SECTIONS}, "coverage": coverage})
        skipped = data.get("skipped_rows")
        return cls(
            **vars(from_plain(Headline, data)),
            label_support=from_plain(LabelSupport, labels),
            splits=from_plain(Splits, data["splits"]),
            generalization_gap=dict(data["generalization_gap"]),
            detail=detail,
            manifest=data.get("manifest"),
            skipped_rows=None if skipped is None else from_plain(SkippedRows, skipped),
        )


def ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def accuracy(tally: Tally, name: str) -> float | None:
    right = sum(n for (expected, predicted), n in tally.confusion[name].items() if expected == predicted)
    return ratio(right, tally.scenarios)


def f1(tp: int, fp: int, fn: int) -> float | None:
    """F1 = 2tp / (2tp + fp + fn); None when nothing was expected or predicted."""
    return ratio(2 * tp, 2 * tp + fp + fn)


def findings_micro_f1(tally: Tally) -> float | None:
    if tally.findings_scenarios == 0:
        return None
    score = f1(sum(tally.finding_tp.values()), sum(tally.finding_fp.values()), sum(tally.finding_fn.values()))
    # Findings were labelled and none expected or predicted anywhere: every set matched exactly.
    return 1.0 if score is None else score


def rule_coverage(tally: Tally, rules: RuleSet) -> float | None:
    ids = [rule.id for rule in rules.rules]
    return ratio(sum(1 for rule_id in ids if tally.rule_fired[rule_id]), len(ids))


def headline(tally: Tally, rules: RuleSet) -> Headline:
    """The headline figures of a tally."""
    return Headline(
        scenarios=tally.scenarios,
        passed=tally.passed,
        pass_rate=ratio(tally.passed, tally.scenarios),
        persona_accuracy=accuracy(tally, "persona"),
        issue_accuracy=accuracy(tally, "issue"),
        channel_accuracy=accuracy(tally, "channel"),
        exact_match=ratio(tally.exact, tally.scenarios),
        findings_scenarios=tally.findings_scenarios,
        findings_micro_f1=findings_micro_f1(tally),
        findings_exact_match=ratio(tally.findings_exact, tally.findings_scenarios),
        unroutable=tally.unroutable,
        rules=len(rules.rules),
        rule_coverage=rule_coverage(tally, rules),
        dead_rules=tuple(sorted(rule.id for rule in rules.rules if not tally.rule_fired[rule.id])),
    )


def core_figures(tally: Tally, rules: RuleSet) -> Figures:
    """The core metrics of a group of results (a slice, a split), from its tally."""
    return headline(tally, rules).core()
