"""Evaluation harness for support-routing and ticket-linting rules.

The Python API (also what the CLI calls):

    rules = harness.load_rules("rules")
    scenarios = harness.load_scenarios("scenarios")
    decision = harness.route(Ticket("I'm locked out of Seller Center"), rules)
    findings = harness.lint(ticket, decision, rules)
    evaluation = harness.evaluate(rules, scenarios)   # .metrics, .frame (pandas)
"""

from harness.decide.examples import check_examples
from harness.decide.lint import lint
from harness.decide.route import route
from harness.decide.run import Outcome, run
from harness.errors import HarnessError, Location
from harness.evaluate.evaluator import Evaluation, evaluate
from harness.load.rules import load_rules
from harness.load.scenarios import iter_scenarios, load_scenarios
from harness.model import Decision, Finding, Scenario, Ticket
from harness.ruleset import RuleSet

__version__ = "0.1.0"

__all__ = [
    "Decision",
    "Evaluation",
    "Finding",
    "HarnessError",
    "Location",
    "Outcome",
    "RuleSet",
    "Scenario",
    "Ticket",
    "check_examples",
    "evaluate",
    "iter_scenarios",
    "lint",
    "load_rules",
    "load_scenarios",
    "route",
    "run",
]
