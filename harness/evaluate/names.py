"""Names of figures that commands parse before anything is evaluated (kept apart from metrics.py,
whose dataclasses cost `harness route` about 40 ms to import)."""

# The core figures that are fractions: what a floor (`--fail-under`, the gate policy) can bound.
FRACTION_METRICS = (
    "persona_accuracy",
    "issue_accuracy",
    "channel_accuracy",
    "exact_match",
    "findings_micro_f1",
    "rule_coverage",
)
