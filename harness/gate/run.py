"""Running the gate: read the baseline from git, evaluate both sides, compare, apply the policy."""

from __future__ import annotations

import multiprocessing
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from harness.contract import Contract, default_contract
from harness.errors import HarnessError, Location, Problem
from harness.evaluate.evaluator import Evaluation, evaluate
from harness.gate.changes import compare_sources
from harness.gate.compare import Context, compare, relabelled, rule_index
from harness.gate.examples import now_failing
from harness.gate.gitref import export, repo_root, resolve
from harness.gate.policy import load_policy, violations
from harness.gate.result import Baseline, GateResult, PolicyUsed
from harness.load.rules import load_rules
from harness.load.scenarios import load_scenarios
from harness.load.source import parse_yaml, read_text
from harness.load.validate import validate
from harness.model import Scenario
from harness.ruleset import RuleSet


def _side(exc: HarnessError, side: str) -> HarnessError:
    """Say which side's input is bad."""
    return HarnessError(
        Problem(p.location, f"{side}{', ' + p.item if p.item else ''}", p.message) for p in exc.problems
    )


def _relative(path: Path, repo: Path) -> Path:
    try:
        return path.resolve().relative_to(repo)
    except ValueError:
        raise HarnessError.at(
            Location(str(path)), "is outside the git repository; the gate reads it from git"
        ) from None


_BASELINE: list[Any] = []


def _evaluate_baseline() -> Evaluation:
    rules, scenarios = _BASELINE
    return evaluate(rules, scenarios, detailed=False)


def _declared(repo: Path, name: str) -> dict[str, str]:
    path = repo / name
    if not path.exists():
        return {}
    doc = parse_yaml(read_text(path), str(path))
    data = doc.data or []
    problems = validate("relabels.schema.json", doc, data, (), lambda _p: "relabel")
    if problems:
        raise HarnessError(problems)
    return {str(item["id"]): item["reason"] for item in data}


def run_gate(
    baseline: str,
    rules_dir: Path,
    scenario_paths: Sequence[Path],
    policy_path: Path | None = None,
    baseline_scenarios: bool = False,
    contract: Contract | None = None,
) -> GateResult:
    """`contract`: the labels both sides' rules and scenarios are loaded against (default: the
    bundled contract)."""
    contract = default_contract() if contract is None else contract
    policy = load_policy(policy_path)
    repo = repo_root(Path.cwd())
    commit = resolve(repo, baseline)
    try:
        rules_after = load_rules(rules_dir, contract=contract)
    except HarnessError as exc:
        raise _side(exc, "current rules") from None
    scenarios_after = load_scenarios(scenario_paths, contract=contract)
    with tempfile.TemporaryDirectory(prefix="harness-gate-") as tmp:
        root = Path(tmp)
        rules_rel = _relative(rules_dir, repo)
        exported = export(repo, commit, rules_rel, root)
        if exported is None:
            raise HarnessError.at(
                Location(str(rules_dir)), f"the rules directory does not exist at {baseline}"
            )
        try:
            rules_before: RuleSet = load_rules(
                exported, shown_as=f"{baseline}:{rules_rel.as_posix()}", contract=contract
            )
        except HarnessError as exc:
            raise _side(exc, f"baseline rules at {baseline}") from None
        scenarios_at_ref = _scenarios_at(
            repo,
            commit,
            baseline,
            scenario_paths,
            root / "scenarios",
            strict=baseline_scenarios,
            contract=contract,
            current=None if baseline_scenarios else scenarios_after,
        )
    scenarios_before = scenarios_at_ref if baseline_scenarios else scenarios_after
    # The two sides are independent: evaluate the baseline in a second process (2 cores here).
    _BASELINE[:] = [rules_before, scenarios_before]  # handed to the forked worker without pickling
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        pending = pool.submit(_evaluate_baseline)
        after = evaluate(rules_after, scenarios_after, detailed=False)
        # While the baseline is still evaluated: the changes and the examples (about a second).
        changes = compare_sources(rules_before.sources, rules_after.sources)
        failing = now_failing(rules_before, rules_after)
        before = pending.result()
    context = Context((rule_index(rules_before), rule_index(rules_after)), changes)
    comparison = compare(before, after, context, [f.to_json() for f in failing])
    declared = _declared(repo, policy.relabels_file)
    changed_labels = relabelled(scenarios_at_ref, scenarios_after)
    for row in changed_labels:
        row["declared"] = row["id"] in declared
        row["reason"] = declared.get(row["id"])
    found = violations(policy, comparison, changed_labels, declared)
    return GateResult(
        **vars(comparison),
        passed=not found,
        baseline=Baseline(baseline, commit),
        relabelled=changed_labels,
        violations=found,
        policy=PolicyUsed(policy.statistical, policy.alpha, str(policy_path or "default")),
    )


def _files(root: Path) -> dict[str, bytes]:
    if root.is_file():
        return {"": root.read_bytes()}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _scenarios_at(
    repo: Path,
    commit: str,
    ref: str,
    paths: Sequence[Path],
    into: Path,
    strict: bool,
    contract: Contract,
    current: list[Scenario] | None = None,
) -> list[Scenario]:
    """The scenarios as they are at the baseline (for --baseline-scenarios, and to spot relabels).
    `current`: the scenarios now, returned as they are when the files at the baseline are the same
    bytes (a change to rules only: parsing the corpus again cost the gate a second)."""
    exported = []
    for path in paths:
        rel = _relative(path, repo)
        landed = export(repo, commit, rel, into)
        if landed is not None:
            exported.append((landed, rel, path))
    if not exported:
        if strict:
            raise HarnessError.at(Location(str(paths[0])), f"no scenarios at {ref}")
        return []
    if (
        current is not None
        and len(exported) == len(paths)
        and all(_files(landed) == _files(path) for landed, _, path in exported)
    ):
        return current
    try:
        return [
            s
            for landed, rel, _ in exported
            for s in load_scenarios(landed, shown_as=(landed, f"{ref}:{rel.as_posix()}"), contract=contract)
        ]
    except HarnessError as exc:
        if strict:
            raise _side(exc, f"baseline scenarios at {ref}") from None
        return []
