"""Files as they are at a git ref, read from git's objects (the working tree is never touched)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from harness.errors import HarnessError, Location


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HarnessError.at(Location(str(repo)), f"cannot run git ({exc}); is git installed?") from None


def repo_root(start: Path) -> Path:
    done = _git(start, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise HarnessError.at(
            Location(str(start)), "not inside a git repository; the gate compares against a git ref"
        )
    return Path(done.stdout.decode().strip())


def resolve(repo: Path, ref: str) -> str:
    done = _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if done.returncode != 0 or not done.stdout.strip():
        raise HarnessError.at(
            Location("--baseline"), f"unknown git ref {ref!r}; pass a branch, tag or commit"
        )
    return done.stdout.decode().strip()


def export(repo: Path, commit: str, path: Path, into: Path) -> Path | None:
    """Write `path` (a file or folder, relative to the repo root) as it is at `commit` under `into`.
    Returns where it landed, or None when it does not exist at that commit."""
    done = _git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", path.as_posix())
    if done.returncode != 0:
        raise HarnessError.at(Location(str(path)), f"git cannot list {path} at {commit[:12]}")
    entries = [e for e in done.stdout.split(b"\0") if e]
    if not entries:
        return None
    for entry in entries:
        meta, name = entry.split(b"\t", 1)
        if meta.split()[1] != b"blob":
            continue
        blob = _git(repo, "cat-file", "blob", meta.split()[2].decode())
        target = into / name.decode()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)
    return into / path
