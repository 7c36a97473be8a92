"""Files as they are at a git ref, read from git's objects (the working tree is never touched)."""

from __future__ import annotations

import os
import re
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


_OID = re.compile(rb"[0-9a-f]{40}|[0-9a-f]{64}")
_EXCERPT = 80


def quote_name(name: bytes) -> str:
    """A tree entry's name, safe to print on one line: undecodable bytes and control characters
    escaped, quoted, and cut to a short excerpt."""
    text = name.decode("utf-8", errors="backslashreplace")
    if len(text) > _EXCERPT:
        text = f"{text[: _EXCERPT // 2]}...{text[-(_EXCERPT // 2 - 3) :]}"
    return repr(text)


def _unsafe(mode: bytes, kind: bytes, oid: bytes, name: bytes, prefix: bytes) -> str | None:
    """Why the `git ls-tree` entry may not be written under the export folder, or None when it may."""
    if mode == b"120000":
        return "a symbolic link"
    if mode == b"160000" or kind == b"commit":
        return "a submodule (gitlink)"
    if kind != b"blob" or not mode.startswith(b"100") or not _OID.fullmatch(oid):
        return f"an entry of type {kind.decode(errors='replace')!r} and mode {mode.decode(errors='replace')}"
    if name.startswith(b"/"):
        return "an absolute path"
    parts = name.split(b"/")
    if b".." in parts:
        return "a '..' component"
    if b"." in parts:
        return "a '.' component"
    if b"" in parts:
        return "an empty component"
    if prefix != b"." and name != prefix and not name.startswith(prefix + b"/"):
        return f"a path outside {prefix.decode(errors='replace')!r}"
    return None


def export(repo: Path, commit: str, path: Path, into: Path, ref: str | None = None) -> Path | None:
    """Write `path` (a file or folder, relative to the repo root) as it is at `commit` under `into`.
    Returns where it landed, or None when it does not exist at that commit.

    Every entry is checked before anything is written: a path with a `..`, `.` or empty component,
    an absolute path, one that would land outside `into`, a symbolic link or a submodule makes it a
    HarnessError naming `ref` (or the commit) and the entry, and nothing is written."""
    shown = ref or commit[:12]
    done = _git(
        repo, "--literal-pathspecs", "ls-tree", "-r", "-z", "--full-tree", commit, "--", path.as_posix()
    )
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        why = f" ({quote_name(said[-1].encode())[1:-1]})" if said else ""
        raise HarnessError.at(
            Location(shown), f"git cannot list {path} at commit {commit[:12]}{why}", "--baseline"
        )
    entries = [e for e in done.stdout.split(b"\0") if e]
    if not entries:
        return None
    root = Path(os.path.realpath(into))
    prefix = os.fsencode(path.as_posix())
    planned: list[tuple[bytes, Path]] = []
    unsafe: list[tuple[bytes, str]] = []
    files: set[Path] = set()
    for entry in entries:
        meta, _, name = entry.partition(b"\t")
        fields = meta.split()
        mode, kind, oid = [*fields, b"", b"", b""][:3]
        reason = _unsafe(mode, kind, oid, name, prefix)
        target = root / os.fsdecode(name)
        if reason is None and not Path(os.path.normpath(target)).is_relative_to(root):
            reason = "a path that leaves the export folder"
        if reason is None and (target in files or any(p in files for p in target.parents)):
            reason = "a path that is also another entry's folder, or listed twice"
        if reason is not None:
            unsafe.append((name, reason))
            continue
        files.add(target)
        planned.append((oid, target))
    folders = {p for target in files for p in target.parents}
    unsafe += [
        (os.fsencode(str(t.relative_to(root))), "a file that is also a folder") for t in files & folders
    ]
    if unsafe:
        name, reason = unsafe[0]
        more = f" (and {len(unsafe) - 1} more unsafe entries)" if len(unsafe) > 1 else ""
        raise HarnessError.at(
            Location(shown),
            f"commit {commit[:12]} holds the tree entry {quote_name(name)}, {reason}{more};"
            " the gate reads only plain files inside the rules and scenario folders, so it will not"
            " export this commit",
            "--baseline",
        )
    for oid, target in planned:
        blob = _git(repo, "cat-file", "blob", oid.decode())
        if blob.returncode != 0:
            raise HarnessError.at(
                Location(shown), f"git cannot read {quote_name(oid)} at {commit[:12]}", "--baseline"
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not Path(os.path.realpath(target.parent)).is_relative_to(root):  # defence in depth
                raise HarnessError.at(
                    Location(shown),
                    f"the entry for {quote_name(os.fsencode(str(target)))} would land outside the export folder",
                    "--baseline",
                )
            # O_NOFOLLOW: never write through a link (the export folder holds none; this keeps it so).
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob.stdout)
        except OSError as exc:
            raise HarnessError.at(
                Location(shown),
                f"cannot export {quote_name(os.fsencode(str(target.relative_to(root))))} from commit"
                f" {commit[:12]} ({exc.strerror or exc})",
                "--baseline",
            ) from None
    return into / path
