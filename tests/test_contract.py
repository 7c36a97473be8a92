"""The package's copy of the label contract agrees with ../shared and with the shipped schemas."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness.contract import default_contract
from harness.load.validate import schema
from tests.support import ROOT

BUNDLED = default_contract()  # the contract the bundled rules and scenarios use

SHARED = ROOT.parent / "shared" / "contract.yaml"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/contract.yaml is not beside this checkout")
def test_package_contract_matches_shared() -> None:
    ours = yaml.safe_load((ROOT / "harness" / "data" / "contract.yaml").read_text(encoding="utf-8"))
    assert ours == yaml.safe_load(SHARED.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["rules.schema.json", "scenario.schema.json"])
def test_schema_labels_are_the_contracts(name: str) -> None:
    defs = schema(name)["$defs"]
    assert defs["persona"]["enum"] == list(BUNDLED.personas)
    assert defs["channel"]["enum"] == list(BUNDLED.channels)
    assert defs["arrival_channel"]["enum"] == [*BUNDLED.channels, *BUNDLED.arrival_only_channels]
    assert defs["issue"]["enum"] == list(BUNDLED.all_issues)
    assert defs["finding"]["enum"] == list(BUNDLED.findings)


def test_schemas_are_generated_from_the_contract(tmp_path: Path) -> None:
    """tools/genschema.py rewrites the schemas byte for byte: nobody edited them by hand."""
    import runpy
    import shutil

    work = tmp_path / "repo"
    shutil.copytree(ROOT / "harness" / "data", work / "harness" / "data")
    (work / "harness" / "schemas").mkdir(parents=True)
    import os

    cwd = os.getcwd()
    os.chdir(work)
    try:
        runpy.run_path(str(ROOT / "tools" / "genschema.py"))
    finally:
        os.chdir(cwd)
    for name in ("rules.schema.json", "scenario.schema.json", "policy.schema.json", "relabels.schema.json"):
        assert (work / "harness" / "schemas" / name).read_text() == (
            ROOT / "harness" / "schemas" / name
        ).read_text()


def test_bundled_rules_can_produce_every_label(rules) -> None:  # type: ignore[no-untyped-def]
    """Every channel, issue and finding of the contract is the outcome of some rule."""
    produced = {(r.sets, r.value) for r in rules.rules}
    for channel in BUNDLED.channels:
        assert ("channel", channel) in produced, channel
    for issue in BUNDLED.all_issues:
        assert ("issue", issue) in produced, issue
    for finding in BUNDLED.findings:
        assert ("finding", finding) in produced, finding
    for persona in BUNDLED.personas:
        assert ("persona", persona) in produced, persona


def test_bundled_catalogue_is_complete(rules) -> None:  # type: ignore[no-untyped-def]
    from harness.decide.examples import catalogue_gaps

    assert catalogue_gaps(rules) == []
