"""The rules cache: a second load reads what the first checked, and never decides differently."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import harness
import harness.load.rules as rules_module
from harness.decide.run import run
from harness.load import cache
from tests.support import MINIMAL_RULES, ROOT


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(folder))
    return folder


def _no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> list[object]:
        raise AssertionError("validated: the cache was not used")

    monkeypatch.setattr(rules_module, "validate", refuse)


def test_second_load_reads_the_cache_and_decides_the_same(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = harness.load_rules(ROOT / "rules")
    assert len(list(cache_dir.glob("rules-*.json"))) == 1
    _no_validation(monkeypatch)
    second = harness.load_rules(ROOT / "rules")
    assert [r.location for r in second.rules] == [r.location for r in first.rules]
    assert [e.location for r in second.rules for e in r.examples] == [e.location for r in first.rules for e in r.examples]
    assert [r.fingerprint for r in second.rules] == [r.fingerprint for r in first.rules]
    for scenario in harness.load_scenarios(ROOT / "scenarios" / "real"):
        assert run(scenario.ticket, second) == run(scenario.ticket, first), scenario.id


def test_an_edited_rule_file_is_checked_again(cache_dir: Path, write, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    root = write({"rules/a.yaml": MINIMAL_RULES}) / "rules"
    harness.load_rules(root)
    (root / "a.yaml").write_text(MINIMAL_RULES + "\n# edited\n", encoding="utf-8")
    _no_validation(monkeypatch)
    with pytest.raises(AssertionError, match="the cache was not used"):
        harness.load_rules(root)


@pytest.mark.parametrize("damage", ["not json", json.dumps({"format": cache.FORMAT}), json.dumps([1, 2])])
def test_a_damaged_entry_is_a_miss(cache_dir: Path, write, damage: str) -> None:  # type: ignore[no-untyped-def]
    root = write({"rules/a.yaml": MINIMAL_RULES}) / "rules"
    harness.load_rules(root)
    (entry,) = cache_dir.glob("rules-*.json")
    entry.write_text(damage, encoding="utf-8")
    assert [r.id for r in harness.load_rules(root).rules] == ["p-shopper"]


def test_a_folder_others_can_write_is_not_used(cache_dir: Path, write) -> None:  # type: ignore[no-untyped-def]
    cache_dir.mkdir(mode=0o700)
    os.chmod(cache_dir, 0o777)
    root = write({"rules/a.yaml": MINIMAL_RULES}) / "rules"
    harness.load_rules(root)
    assert list(cache_dir.iterdir()) == []


def test_an_empty_setting_turns_the_cache_off(write, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HARNESS_CACHE_DIR", "")
    assert cache.cache_dir() is None
    root = write({"rules/a.yaml": MINIMAL_RULES}) / "rules"
    harness.load_rules(root)
    _no_validation(monkeypatch)
    with pytest.raises(AssertionError, match="the cache was not used"):
        harness.load_rules(root)
