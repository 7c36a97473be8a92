"""The gate exports baseline files from git objects: a crafted commit (tree entries named `..`, `.`
or empty, symbolic links, submodules) must never make it write outside its export folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from harness.cli import main
from harness.errors import HarnessError
from harness.gate.gitref import _unsafe, export, quote_name
from tests.support import ROOT

TAIL = (
    "; the gate reads only plain files inside the rules and scenario folders, so it will not export"
    " this commit"
)


def git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=repo, input=stdin, capture_output=True, check=True)
    return done.stdout.decode().strip()


def blob(repo: Path, content: bytes) -> str:
    return git(repo, "hash-object", "-w", "--stdin", stdin=content)


def tree(repo: Path, *entries: tuple[str, str, str, str | bytes]) -> str:
    """`git mktree` from (mode, type, oid, name) rows; names may be bytes (any byte but / and NUL)."""
    rows = b"".join(
        f"{mode} {kind} {oid}\t".encode() + (name if isinstance(name, bytes) else name.encode()) + b"\0"
        for mode, kind, oid, name in entries
    )
    return git(repo, "mktree", "-z", stdin=rows)


def commit(repo: Path, top: str, *parents: str) -> str:
    extra = [arg for p in parents for arg in ("-p", p)]
    return git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit-tree", top, *extra, "-m", "x")


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under root (files with their bytes, folders as None), except git's own objects."""
    seen: dict[str, bytes | None] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for d in dirs:
            seen[os.path.relpath(os.path.join(folder, d), root)] = None
        for f in files:
            seen[os.path.relpath(os.path.join(folder, f), root)] = Path(folder, f).read_bytes()
    return seen


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    return root


def nested_dotdot(repo: Path, leaf: str, levels: int) -> str:
    """A tree `..` / `..` / ... (levels deep) / leaf, holding the text `pwned`."""
    current = tree(repo, ("100644", "blob", blob(repo, b"pwned\n"), leaf))
    for _ in range(levels):
        current = tree(repo, ("040000", "tree", current, ".."))
    return current


@pytest.mark.parametrize("levels", [2, 3])
def test_dotdot_entries_under_rules_are_refused_and_nothing_is_written(
    repo: Path, tmp_path: Path, levels: int
) -> None:
    ok = blob(repo, b"routing: []\n")
    rules = tree(
        repo,
        ("040000", "tree", nested_dotdot(repo, "pwned.txt", levels), ".."),
        ("100644", "blob", ok, "a.yaml"),
    )
    evil = commit(repo, tree(repo, ("040000", "tree", rules, "rules")))
    into = tmp_path / "a" / "b" / "c" / "into"
    into.mkdir(parents=True)
    before = snapshot(tmp_path)
    with pytest.raises(HarnessError) as caught:
        export(repo, evil, Path("rules"), into, ref="evil-branch")
    entry = "rules/" + "../" * (levels + 1) + "pwned.txt"
    assert str(caught.value) == (
        f"evil-branch: --baseline: commit {evil[:12]} holds the tree entry {entry!r}, a '..' component{TAIL}"
    )
    assert snapshot(tmp_path) == before  # not the escape target, not even the safe a.yaml
    assert not (tmp_path / "a" / "pwned.txt").exists() and not (tmp_path / "a" / "b" / "pwned.txt").exists()


def test_the_error_names_the_commit_when_no_ref_is_given_and_counts_the_rest(
    repo: Path, tmp_path: Path
) -> None:
    pwn = blob(repo, b"pwned\n")
    rules = tree(
        repo,
        ("040000", "tree", nested_dotdot(repo, "one.txt", 2), ".."),
        ("120000", "blob", blob(repo, b"/etc/passwd"), "link.yaml"),
        ("100644", "blob", pwn, "ok.yaml"),
    )
    evil = commit(repo, tree(repo, ("040000", "tree", rules, "rules")))
    with pytest.raises(HarnessError) as caught:
        export(repo, evil, Path("rules"), tmp_path / "into")
    assert str(caught.value) == (
        f"{evil[:12]}: --baseline: commit {evil[:12]} holds the tree entry 'rules/../../../one.txt',"
        f" a '..' component (and 1 more unsafe entries){TAIL}"
    )
    assert not (tmp_path / "into").exists()


@pytest.mark.parametrize(
    ("mode", "kind", "name", "reason"),
    [
        ("120000", "blob", "link.yaml", "a symbolic link"),
        ("100644", "blob", ".", "a '.' component"),
    ],
)
def test_links_and_dot_and_empty_names_are_refused(
    repo: Path, tmp_path: Path, mode: str, kind: str, name: str, reason: str
) -> None:
    oid = blob(repo, b"/etc/passwd")
    rules = tree(repo, (mode, kind, oid, name), ("100644", "blob", blob(repo, b"x: 1\n"), "z.yaml"))
    evil = commit(repo, tree(repo, ("040000", "tree", rules, "rules")))
    with pytest.raises(HarnessError) as caught:
        export(repo, evil, Path("rules"), tmp_path / "into", ref="r")
    assert str(caught.value) == (
        f"r: --baseline: commit {evil[:12]} holds the tree entry {'rules/' + name!r}, {reason}{TAIL}"
    )
    assert not (tmp_path / "into").exists()


def test_an_empty_name_is_refused(repo: Path, tmp_path: Path) -> None:
    rules = tree(
        repo, ("100644", "blob", blob(repo, b"x\n"), ""), ("100644", "blob", blob(repo, b"y\n"), "a.yaml")
    )
    evil = commit(repo, tree(repo, ("040000", "tree", rules, "rules")))
    with pytest.raises(HarnessError) as caught:
        export(repo, evil, Path("rules"), tmp_path / "into", ref="r")
    # git itself refuses to list such a tree
    assert str(caught.value) == (
        f"r: --baseline: git cannot list rules at commit {evil[:12]} (fatal: empty filename in tree entry)"
    )
    assert not (tmp_path / "into").exists()
    assert _unsafe(b"100644", b"blob", b"a" * 40, b"rules//x", b"rules") == "an empty component"


def test_a_submodule_is_refused(repo: Path, tmp_path: Path) -> None:
    inner = commit(repo, tree(repo, ("100644", "blob", blob(repo, b"x\n"), "x")))
    rules = tree(
        repo, ("160000", "commit", inner, "sub"), ("100644", "blob", blob(repo, b"x: 1\n"), "a.yaml")
    )
    evil = commit(repo, tree(repo, ("040000", "tree", rules, "rules")))
    with pytest.raises(HarnessError) as caught:
        export(repo, evil, Path("rules"), tmp_path / "into", ref="r")
    assert str(caught.value) == (
        f"r: --baseline: commit {evil[:12]} holds the tree entry 'rules/sub', a submodule (gitlink){TAIL}"
    )
    assert not (tmp_path / "into").exists()


def test_entry_names_are_quoted_on_one_line_and_cut(repo: Path, tmp_path: Path) -> None:
    nasty = b"\x1b[2J\nfake: line\xff" + b"x" * 200 + b".yaml"
    rules = tree(repo, ("040000", "tree", tree(repo, ("100644", "blob", blob(repo, b"p"), nasty)), ".."))
    evil = commit(repo, tree(repo, ("040000", "tree", rules, "rules")))
    with pytest.raises(HarnessError) as caught:
        export(repo, evil, Path("rules"), tmp_path / "into", ref="r")
    (problem,) = caught.value.problems
    shown = str(problem)
    assert "\n" not in shown and "\x1b" not in shown and "\\x1b[2J\\nfake: line\\\\xff" in shown
    assert quote_name(b"rules/../" + nasty) in shown and len(quote_name(b"rules/../" + nasty)) < 100
    assert shown.count("x") < 60 and "...xxx" in shown and shown.endswith(TAIL)


def test_unsafe_paths_that_git_cannot_build_are_refused_too() -> None:
    oid = b"a" * 40
    assert _unsafe(b"100644", b"blob", oid, b"/etc/passwd", b"rules") == "an absolute path"
    assert _unsafe(b"100644", b"blob", oid, b"rules/a/../../x", b"rules") == "a '..' component"
    assert _unsafe(b"100644", b"blob", oid, b"other/x.yaml", b"rules") == "a path outside 'rules'"
    assert _unsafe(b"100644", b"blob", oid, b"rules/a.yaml", b"rules") is None
    assert _unsafe(b"100644", b"blob", oid, b"rules.yaml", b"rules.yaml") is None
    assert _unsafe(b"040000", b"tree", oid, b"rules/a", b"rules") == "an entry of type 'tree' and mode 040000"


def test_a_plain_commit_still_exports(repo: Path, tmp_path: Path) -> None:
    inner = tree(repo, ("100755", "blob", blob(repo, b"b\n"), "b.yaml"))
    rules = tree(repo, ("100644", "blob", blob(repo, b"a\n"), "a.yaml"), ("040000", "tree", inner, "sub"))
    good = commit(repo, tree(repo, ("040000", "tree", rules, "rules")))
    into = tmp_path / "into"
    assert export(repo, good, Path("rules"), into) == into / "rules"
    assert snapshot(into) == {
        "rules": None,
        "rules/sub": None,
        "rules/a.yaml": b"a\n",
        "rules/sub/b.yaml": b"b\n",
    }
    assert export(repo, good, Path("missing"), into) is None
    # exporting the same path twice (e.g. `--scenarios s s`) rewrites the same files
    assert export(repo, good, Path("rules/a.yaml"), into) == into / "rules/a.yaml"


def test_the_gate_refuses_a_crafted_baseline_and_writes_nothing_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "rules", root / "rules")
    (root / "scenarios").mkdir()
    (root / "scenarios" / "a.yaml").write_text(
        '- id: order-1\n  ticket: {text: "where is my package? order 576461234567891234"}\n'
        "  expect: {persona: shopper, issue: order, channel: shopper_app_help}\n"
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "baseline")
    # The real rules tree plus a `..` entry three levels deep: rules/../../../pwned.txt.
    listing = git(root, "ls-tree", "HEAD:rules") + "\n"
    rules = git(
        root, "mktree", stdin=(listing + f"040000 tree {nested_dotdot(root, 'pwned.txt', 3)}\t..\n").encode()
    )
    top = [line for line in git(root, "ls-tree", "HEAD").splitlines() if not line.endswith("\trules")]
    top_tree = git(root, "mktree", stdin=("\n".join([*top, f"040000 tree {rules}\trules"]) + "\n").encode())
    evil = commit(root, top_tree, git(root, "rev-parse", "HEAD"))
    git(root, "branch", "evil", evil)
    # The gate's temporary folder lands at tmp/t1/t2/t3/harness-gate-*: the escape would hit tmp/t1.
    scratch = tmp_path / "t1" / "t2" / "t3"
    scratch.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.chdir(root)
    before = snapshot(tmp_path)
    assert main(["gate", "--baseline", "evil", "--scenarios", "scenarios"]) == 2
    err = capsys.readouterr().err
    message = f"--baseline: commit {evil[:12]} holds the tree entry 'rules/../../../../pwned.txt', a '..' component{TAIL}"
    # Shown at the ref once harness/gate/run.py passes ref=baseline to export(), at the commit until then.
    assert err in (f"harness: error: evil: {message}\n", f"harness: error: {evil[:12]}: {message}\n")
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "t1" / "pwned.txt").exists() and not (tmp_path / "pwned.txt").exists()
