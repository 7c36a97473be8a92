"""The run manifest: which harness, which commit, which rules and scenario files made a report."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness.ruleset import RuleSet


def _git(*args: str, cwd: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _digest(path: Path) -> str:
    with path.open("rb") as stream:  # streamed: a corpus file may be gigabytes
        return hashlib.file_digest(stream, "sha256").hexdigest()


def manifest(
    rules: RuleSet, scenario_files: Sequence[Path], version: str, stamp: bool = False
) -> dict[str, Any]:
    where = Path(rules.files[0]).resolve().parent if rules.files else Path.cwd()
    commit = _git("rev-parse", "HEAD", cwd=where)
    status = _git("status", "--porcelain", "--untracked-files=no", cwd=where)
    data: dict[str, Any] = {
        "harness_version": version,
        "git_commit": commit,
        "git_dirty": None if status is None else bool(status),
        "rules_sha256": rules.digest,
        "rule_files": list(rules.files),
        "scenario_files": {str(p): _digest(p) for p in scenario_files},
    }
    if stamp:
        data["generated_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    return data
