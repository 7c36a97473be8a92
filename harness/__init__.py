"""Evaluation harness for support-routing and ticket-linting rules.

The Python API (also what the CLI calls):

    rules = harness.load_rules("rules")               # contract=...: labels other than the bundled ones
    scenarios = harness.load_scenarios("scenarios")   # contract=... likewise
    decision = harness.route(Ticket("I'm locked out of Seller Center"), rules)
    findings = harness.lint(ticket, decision, rules)
    evaluation = harness.evaluate(rules, scenarios)   # .metrics (a Metrics; .to_json()), .frame (pandas)
"""

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Where each public name lives. They are imported on first use (PEP 562): `harness route` imports
# `harness.cli`, and importing the whole API first (the evaluator pulls in numpy) cost it 0.3 s.
_API = {
    "Contract": "harness.contract",
    "default_contract": "harness.contract",
    "check_examples": "harness.decide.examples",
    "lint": "harness.decide.lint",
    "route": "harness.decide.route",
    "Outcome": "harness.decide.run",
    "run": "harness.decide.run",
    "HarnessError": "harness.errors",
    "Location": "harness.errors",
    "Evaluation": "harness.evaluate.evaluator",
    "Metrics": "harness.evaluate.metrics",
    "load_rules": "harness.load.rules",
    "iter_scenarios": "harness.load.scenarios",
    "load_scenarios": "harness.load.scenarios",
    "Decision": "harness.model",
    "Finding": "harness.model",
    "Scenario": "harness.model",
    "Ticket": "harness.model",
    "RuleSet": "harness.ruleset",
}

if TYPE_CHECKING:
    from harness.contract import Contract, default_contract
    from harness.decide.examples import check_examples
    from harness.decide.lint import lint
    from harness.decide.route import route
    from harness.decide.run import Outcome, run
    from harness.errors import HarnessError, Location
    from harness.evaluate.evaluator import Evaluation, evaluate
    from harness.evaluate.metrics import Metrics
else:
    # `harness.evaluate` is also a subpackage, and importing any module under it makes the name
    # the subpackage (PEP 562's __getattr__ is then never asked). So the subpackage (one
    # docstring) is imported first and the name rebound to a function that imports the evaluator,
    # with its numpy, only when called.
    importlib.import_module("harness.evaluate")

    def evaluate(*args: Any, **kwargs: Any) -> Any:
        from harness.evaluate.evaluator import evaluate as evaluate_scenarios

        return evaluate_scenarios(*args, **kwargs)
    from harness.load.rules import load_rules
    from harness.load.scenarios import iter_scenarios, load_scenarios
    from harness.model import Decision, Finding, Scenario, Ticket
    from harness.ruleset import RuleSet


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'harness' has no attribute {name!r}")
    value = getattr(importlib.import_module(_API[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})



__all__ = [
    "Contract",
    "Decision",
    "Evaluation",
    "Finding",
    "HarnessError",
    "Location",
    "Metrics",
    "Outcome",
    "RuleSet",
    "Scenario",
    "Ticket",
    "check_examples",
    "default_contract",
    "evaluate",
    "iter_scenarios",
    "lint",
    "load_rules",
    "load_scenarios",
    "route",
    "run",
]
