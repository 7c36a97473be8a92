from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

import harness
from harness.ruleset import RuleSet
from tests.support import FIXTURES, ROOT

# The tests (and the commands they start) keep their rules cache in a folder of their own, never
# the user's; the cache is on, so every test also runs the code that reads it back.
_CACHE = tempfile.mkdtemp(prefix="harness-test-cache-")
os.environ["HARNESS_CACHE_DIR"] = _CACHE


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return harness.load_rules(ROOT / "rules")


@pytest.fixture(scope="session")
def mini_rules() -> RuleSet:
    return harness.load_rules(FIXTURES / "mini_rules")


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write files under tmp_path: write({"rules/a.yaml": "..."}) -> tmp_path."""

    def _write(files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return tmp_path

    return _write
