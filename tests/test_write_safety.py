"""The report writers write only where the harness owns the place: they never replace a user's file,
folder, device or link, never the current folder or one above it, and leave nothing half written."""

from __future__ import annotations

import csv
import errno
import fcntl
import io
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.cli import main
from harness.errors import HarnessError
from harness.evaluate.metrics import RuleRow
from harness.report.atomic import (
    GATE_MARKDOWN_MARKER,
    REPORT_MARKER,
    REPORT_MARKER_TEXT,
    check_directory,
    write_directory,
    write_file,
)
from harness.report.files import csv_cell, csv_frame, rules_csv
from tests.support import FIXTURES

NEW = "choose a new or empty folder"


def snapshot(root: Path) -> dict[str, tuple[str, bytes | str | None]]:
    """Everything under root, links not followed: files with their bytes, links with their target."""
    seen: dict[str, tuple[str, bytes | str | None]] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            key = os.path.relpath(path, root)
            if os.path.islink(path):
                seen[key] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                seen[key] = ("dir", None)
            elif os.path.isfile(path):
                seen[key] = ("file", Path(path).read_bytes())
            else:  # a pipe: reading it would block
                seen[key] = ("special", None)
    return seen


def report(text: str = "report\n"):  # type: ignore[no-untyped-def]
    def build(folder: Path) -> None:
        (folder / "index.html").write_text(text)

    return build


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout-like folder as the current folder: a user's files next to where reports go."""
    root = tmp_path / "work"
    (root / "rules").mkdir(parents=True)
    (root / "rules" / "a.yaml").write_text("routing: []\n")
    (root / "README.md").write_text("# readme\n")
    (root / "notes.txt").write_text("my notes\n")
    (root / "empty").mkdir()
    (root / "link").symlink_to("rules")
    (root / "fake").mkdir()
    (root / "fake" / REPORT_MARKER).write_text("I wrote this myself\n")
    (root / "fake" / "data.txt").write_text("keep\n")
    (root / "linked-marker").mkdir()
    (root / "linked-marker" / REPORT_MARKER).symlink_to(tmp_path / "elsewhere")
    (tmp_path / "elsewhere").write_text(REPORT_MARKER_TEXT)
    os.mkfifo(root / "pipe")
    monkeypatch.chdir(root)
    return root


REFUSED = {
    "notes.txt": f"notes.txt: --out: is a file, not a report folder; {NEW}",
    ".": f".: --out: is the current folder or one of its parents, and the harness replaces the whole folder it writes; {NEW}, e.g. reports/latest",
    "..": f"..: --out: is the current folder or one of its parents, and the harness replaces the whole folder it writes; {NEW}, e.g. reports/latest",
    "rules/..": f"rules/..: --out: is the current folder or one of its parents, and the harness replaces the whole folder it writes; {NEW}, e.g. reports/latest",
    "../work": f"../work: --out: is the current folder or one of its parents, and the harness replaces the whole folder it writes; {NEW}, e.g. reports/latest",
    "/": f"/: --out: is the current folder or one of its parents, and the harness replaces the whole folder it writes; {NEW}, e.g. reports/latest",
    "": f"'': --out: the path is empty; {NEW}, e.g. reports/latest",
    "rules": f"rules: --out: is a folder the harness did not write (it is not empty and has no .harness-report); {NEW}, or empty this one yourself",
    "fake": f"fake: --out: is a folder the harness did not write (it is not empty and has no .harness-report); {NEW}, or empty this one yourself",
    "linked-marker": f"linked-marker: --out: is a folder the harness did not write (it is not empty and has no .harness-report); {NEW}, or empty this one yourself",
    "/dev/null": f"/dev/null: --out: is not a folder (a device, pipe or socket); {NEW}",
    "pipe": f"pipe: --out: is not a folder (a device, pipe or socket); {NEW}",
    "link": f"link: --out: is a symbolic link, and the harness writes only into folders it owns; {NEW}",
    "README.md/x": "README.md/x: --out: README.md is a file, not a folder; choose another path",
    "README.md/x/y": "README.md/x/y: --out: README.md is a file, not a folder; choose another path",
    "rules/a.yaml/r": "rules/a.yaml/r: --out: rules/a.yaml is a file, not a folder; choose another path",
    "empty/..": f"empty/..: --out: is the current folder or one of its parents, and the harness replaces the whole folder it writes; {NEW}, e.g. reports/latest",
}


@pytest.mark.parametrize("out", list(REFUSED))
def test_write_directory_refuses_what_it_does_not_own(work: Path, out: str) -> None:
    before = snapshot(work.parent)
    with pytest.raises(HarnessError) as caught:
        write_directory(out, report())
    assert str(caught.value) == REFUSED[out]
    assert snapshot(work.parent) == before


def test_a_folder_above_that_is_not_the_cwd_and_ends_in_dotdot(work: Path) -> None:
    (work.parent / "other" / "sub").mkdir(parents=True)
    out = str(work.parent / "other" / "sub" / "..")
    before = snapshot(work.parent)
    with pytest.raises(HarnessError) as caught:
        write_directory(out, report())
    assert str(caught.value) == f"{out}: --out: ends in '..'; name the folder itself, or {NEW}"
    assert snapshot(work.parent) == before


def test_the_option_name_is_the_callers(work: Path) -> None:
    with pytest.raises(HarnessError) as caught:
        check_directory("notes.txt", "--report-dir")
    assert str(caught.value) == f"notes.txt: --report-dir: is a file, not a report folder; {NEW}"


@pytest.mark.parametrize("out", ["notes.txt", ".", "rules", "README.md/x"])
def test_the_cli_exits_2_and_touches_nothing(
    work: Path, out: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(work.parent)
    args = ["evaluate", "--rules", str(FIXTURES / "mini_rules"), "--scenarios", str(FIXTURES / "mini_corpus")]
    assert main([*args, "--out", out]) == 2
    assert capsys.readouterr().err == f"harness: error: {REFUSED[out]}\n"
    assert snapshot(work.parent) == before


def test_writes_a_new_folder_with_missing_parents_then_replaces_its_own(work: Path) -> None:
    write_directory("reports/latest", report("one\n"))
    latest = work / "reports" / "latest"
    assert sorted(p.name for p in latest.iterdir()) == [REPORT_MARKER, "index.html"]
    assert (latest / REPORT_MARKER).read_text() == REPORT_MARKER_TEXT
    assert oct(latest.stat().st_mode & 0o777) == oct(0o755)
    (latest / "stale.png").write_text("from an older run")
    write_directory("reports/latest", report("two\n"))
    assert sorted(p.name for p in latest.iterdir()) == [REPORT_MARKER, "index.html"]
    assert (latest / "index.html").read_text() == "two\n"
    assert [p.name for p in (work / "reports").iterdir()] == ["latest"]  # no staging, lock or retired folder


def test_writes_into_an_empty_folder(work: Path) -> None:
    write_directory("empty", report())
    assert sorted(p.name for p in (work / "empty").iterdir()) == [REPORT_MARKER, "index.html"]


def test_a_failing_build_leaves_everything_as_it_was(work: Path) -> None:
    write_directory("r", report("old\n"))
    before = snapshot(work.parent)

    def broken(folder: Path) -> None:
        (folder / "index.html").write_text("half")
        raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        write_directory("r", broken)
    with pytest.raises(ValueError, match="a bug"):
        write_directory("new/deeper/r", broken)
    assert snapshot(work.parent) == before  # nor the parents it made for the new folder


def test_an_os_error_while_writing_is_bad_input(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(work.parent)

    def read_only(*args: object, **kwargs: object) -> str:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    with pytest.raises(HarnessError) as caught:
        write_directory("new/r", report())
    assert (
        str(caught.value)
        == "new/r: --out: cannot write here (Read-only file system); choose a place you can write to"
    )
    assert snapshot(work.parent) == before

    def disk_full(folder: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.undo()
    monkeypatch.chdir(work)
    with pytest.raises(HarnessError) as caught:
        write_directory("new/r", disk_full)
    assert (
        str(caught.value)
        == "new/r: --out: cannot write here (No space left on device); choose a place you can write to"
    )
    assert snapshot(work.parent) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_bad_input(work: Path) -> None:
    (work / "ro").mkdir()
    (work / "ro").chmod(0o555)
    try:
        with pytest.raises(HarnessError) as caught:
            write_directory("ro/r", report())
        assert (
            str(caught.value)
            == "ro/r: --out: cannot write here (Permission denied); choose a place you can write to"
        )
        assert list((work / "ro").iterdir()) == []
    finally:
        (work / "ro").chmod(0o755)


def _hammer(out: str, busy: str, count: int) -> tuple[int, int]:
    failures = overlaps = 0

    def build(folder: Path) -> None:
        nonlocal overlaps
        try:
            os.mkdir(busy)
        except FileExistsError:
            overlaps += 1
            return
        try:
            (folder / "index.html").write_text(str(os.getpid()))
            time.sleep(0.001)
        finally:
            os.rmdir(busy)

    for _ in range(count):
        try:
            write_directory(out, build)
        except HarnessError:
            failures += 1
    return failures, overlaps


def test_concurrent_writers_take_turns(tmp_path: Path) -> None:
    out, busy = tmp_path / "reports" / "r", tmp_path / "busy"
    with multiprocessing.get_context("fork").Pool(3) as pool:
        outcomes = pool.starmap(_hammer, [(str(out), str(busy), 40)] * 3)
    assert outcomes == [(0, 0)] * 3  # every write landed, and no two builds ran at once
    assert [p.name for p in (tmp_path / "reports").iterdir()] == ["r"]
    assert sorted(p.name for p in out.iterdir()) == [REPORT_MARKER, "index.html"]


def test_a_writer_that_must_wait_says_so_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reports" / "r"
    out.parent.mkdir()
    held = os.open(out.parent, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(held, fcntl.LOCK_EX)  # another run, mid-build
    writer = threading.Thread(target=write_directory, args=(str(out), lambda folder: (folder / "x").write_text("x")))
    writer.start()
    said, deadline = "", time.monotonic() + 10
    while not said and time.monotonic() < deadline:
        time.sleep(0.05)
        said += capsys.readouterr().err
    assert not (out / "x").exists()  # still waiting
    os.close(held)
    writer.join(10)
    assert not writer.is_alive() and (out / "x").read_text() == "x"
    said += capsys.readouterr().err
    assert said == f"harness: waiting: another harness run is writing a report in {out.parent}\n"


KILLED_WRITER = """
import sys, time
from pathlib import Path
from harness.report.atomic import write_directory

def build(folder):
    (folder / "started").write_text("x")
    time.sleep(60)

write_directory(sys.argv[1], build)
"""


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_writers_staging_folder_is_removed_by_the_next_run(tmp_path: Path, sig: int) -> None:
    parent = tmp_path / "reports"
    out = parent / "r"
    write_directory(out, report("old\n"))
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(out)], cwd=Path(__file__).parent.parent
    )
    try:
        deadline = time.monotonic() + 30
        while not list(parent.glob(".r.*/started")):
            assert time.monotonic() < deadline and child.poll() is None, "the writer never started"
            time.sleep(0.02)
    finally:
        child.send_signal(sig)
        child.wait(30)
    (stale,) = [p.parent for p in parent.glob(".r.*/started")]
    # What a killed swap leaves, and look-alikes the harness did not write: those must stay.
    retired = parent / ".r.old.ab12_xyz"
    (retired / "r").mkdir(parents=True)
    (retired / REPORT_MARKER).write_text(REPORT_MARKER_TEXT)
    keep = {
        ".r.abcdefgh": None,  # right name, no marker
        ".r.ABCDEFGH": REPORT_MARKER_TEXT,  # not a name mkdtemp makes
        ".r.abcdefghi": REPORT_MARKER_TEXT,  # one character too many
        ".q.abcdefgh": REPORT_MARKER_TEXT,  # another report's
        ".r.old.zzzzzzzz": "not the marker\n",
    }
    for name, marker in keep.items():
        (parent / name).mkdir()
        (parent / name / "data").write_text("keep")
        if marker:
            (parent / name / REPORT_MARKER).write_text(marker)
    (parent / ".r.linkedxx").symlink_to(retired)
    (parent / ".r.filexxxx").write_text("a file")
    before = snapshot(parent)
    assert (out / "index.html").read_text() == "old\n"  # the killed run never touched the report

    write_directory(out, report("new\n"))

    after = snapshot(parent)
    assert not stale.exists() and not retired.exists()
    assert (out / "index.html").read_text() == "new\n"
    for key, value in before.items():
        if not key.startswith(("r", stale.name, retired.name)):
            assert after[key] == value, key


# --- single files (the gate's --markdown) ---------------------------------------------------------

M = "--markdown"


def test_write_file_writes_atomically_with_the_marker_and_overwrites_only_its_own(work: Path) -> None:
    write_file("gate.md", "body\n", GATE_MARKDOWN_MARKER)
    assert Path("gate.md").read_text() == f"{GATE_MARKDOWN_MARKER}\nbody\n"
    Path("gate.md").chmod(0o640)
    write_file(Path("gate.md"), f"{GATE_MARKDOWN_MARKER}\nagain\n", GATE_MARKDOWN_MARKER)
    assert Path("gate.md").read_text() == f"{GATE_MARKDOWN_MARKER}\nagain\n"  # not marked twice
    assert oct(Path("gate.md").stat().st_mode & 0o777) == oct(0o640)
    assert not [p for p in work.iterdir() if p.name.startswith(".gate.md")]


FILE_REFUSED = {
    "/nonexistent/x.md": f"/nonexistent/x.md: {M}: the folder /nonexistent does not exist; create it or choose another path",
    "missing/deeper/x.md": f"missing/deeper/x.md: {M}: the folder missing/deeper does not exist; create it or choose another path",
    "rules": f"rules: {M}: is a folder; name a file in it, e.g. gate.md",
    "README.md/x.md": f"README.md/x.md: {M}: README.md is a file, not a folder; choose another path",
    "notes.txt": f"notes.txt: {M}: exists and the harness did not write it (its first line is not {GATE_MARKDOWN_MARKER}); choose another path, or delete it yourself",
    "/dev/null": f"/dev/null: {M}: is not a regular file (a device, pipe or socket); name a regular file",
    "pipe": f"pipe: {M}: is not a regular file (a device, pipe or socket); name a regular file",
    "link": f"link: {M}: is a symbolic link; name a regular file, e.g. gate.md",
    "": f"'': {M}: the path is empty; name a file, e.g. gate.md",
}


@pytest.mark.parametrize("path", list(FILE_REFUSED))
def test_write_file_refuses(work: Path, path: str) -> None:
    before = snapshot(work.parent)
    with pytest.raises(HarnessError) as caught:
        write_file(path, "body\n", GATE_MARKDOWN_MARKER)
    assert str(caught.value) == FILE_REFUSED[path]
    assert snapshot(work.parent) == before


def test_write_file_refuses_a_file_that_only_mentions_the_marker_later(work: Path) -> None:
    Path("pr.md").write_text(f"my draft\n{GATE_MARKDOWN_MARKER}\n")
    with pytest.raises(HarnessError):
        write_file("pr.md", "body\n", GATE_MARKDOWN_MARKER)
    assert Path("pr.md").read_text() == f"my draft\n{GATE_MARKDOWN_MARKER}\n"


def test_write_file_turns_os_errors_into_bad_input_and_leaves_no_temporary(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_file("gate.md", "old\n", GATE_MARKDOWN_MARKER)
    before = snapshot(work.parent)

    def read_only(*args: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", read_only)
    with pytest.raises(HarnessError) as caught:
        write_file("gate.md", "new\n", GATE_MARKDOWN_MARKER)
    assert (
        str(caught.value)
        == f"gate.md: {M}: cannot write here (Read-only file system); choose a place you can write to"
    )
    assert snapshot(work.parent) == before


# --- CSV injection ------------------------------------------------------------------------------


def test_csv_cells_that_start_like_a_formula_are_neutralized() -> None:
    for text in ("=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert csv_cell(text) == "'" + text
    for value in ("plain", "a=b", "", "'=already", -5, -2.5, 0, True, None):
        assert csv_cell(value) == value


def test_csv_frame_neutralizes_text_and_keeps_numbers() -> None:
    frame = pd.DataFrame(
        {"id": ["=cmd|' /C calc'!A0", "ok"], "line": [-1, 3], "score": [-0.5, 1.0], "passed": [True, False]}
    )
    text = csv_frame(frame)
    assert text == "id,line,score,passed\n'=cmd|' /C calc'!A0,-1,-0.5,True\nok,3,1.0,False\n"
    assert frame["id"][0] == "=cmd|' /C calc'!A0"  # the caller's frame is left alone


def test_rules_csv_neutralizes_text_cells() -> None:
    rule = RuleRow("r1", "routing", "persona", "shopper", 0, "@evil", "-rules.yaml", -1, 0, 0, "dead", 0)
    rows = list(csv.DictReader(io.StringIO(rules_csv([rule], []))))
    assert (rows[0]["owner"], rows[0]["file"], rows[0]["line"]) == ("'@evil", "'-rules.yaml", "-1")


def test_report_csvs_written_by_evaluate_are_neutralized(tmp_path: Path) -> None:
    rules = (FIXTURES / "mini_rules" / "rules.yaml").read_text()
    assert "    description: default persona\n" in rules
    rules = rules.replace(
        "    description: default persona\n",
        '    description: default persona\n    owner: "=HYPERLINK(\\"http://x\\")"\n',
        1,
    )
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "rules.yaml").write_text(rules)
    (tmp_path / "s.yaml").write_text(
        "- id: \"=cmd|' /C calc'!A0\"\n"
        '  tags: ["+x", "-y"]\n'
        '  ticket: {text: "refund please, order 123456"}\n'
        "  expect: {persona: shopper, issue: refund, channel: shopper_app_help}\n"
    )
    out = tmp_path / "out"
    args = ["evaluate", "--rules", str(tmp_path / "rules"), "--scenarios", str(tmp_path / "s.yaml")]
    assert main([*args, "--out", str(out), "--json"]) == 0
    (row,) = csv.DictReader(io.StringIO((out / "results.csv").read_text()))
    assert row["id"] == "'=cmd|' /C calc'!A0" and row["tags"] == "'+x;-y" and row["words"] == "4"
    owners = {r["rule"]: r["owner"] for r in csv.DictReader(io.StringIO((out / "rules.csv").read_text()))}
    assert owners["p-shopper"] == '\'=HYPERLINK("http://x")'


# --- the property: never delete what the harness does not own -------------------------------------

NAMES = st.sampled_from(["a", "b", "c"])
LEAF = st.one_of(
    st.binary(max_size=6).map(lambda b: ("file", b)),
    st.sampled_from(["a", "b", "../a", ".", "/nonexistent"]).map(lambda t: ("link", t)),
)
TREE = st.recursive(
    LEAF,
    lambda children: st.tuples(
        st.just("dir"), st.dictionaries(NAMES, children, max_size=3), st.sampled_from([None, "good", "bad"])
    ),
    max_leaves=10,
)


def _materialize(path: Path, node: tuple) -> None:  # type: ignore[type-arg]
    if node[0] == "file":
        path.write_bytes(node[1])
    elif node[0] == "link":
        path.symlink_to(node[1])
    else:
        path.mkdir()
        for name, child in node[1].items():
            _materialize(path / name, child)
        if node[2]:
            text = REPORT_MARKER_TEXT if node[2] == "good" else "written by someone else\n"
            (path / REPORT_MARKER).write_text(text)


def _expected_ok(target: Path, cwd: Path) -> bool:
    for ancestor in target.parents:
        if os.path.lexists(ancestor):
            if not os.path.isdir(ancestor):
                return False
            break
    real = Path(os.path.realpath(target.parent)) / target.name
    if real == cwd or real in cwd.parents:
        return False
    if not os.path.lexists(target):
        return True
    if os.path.islink(target) or not os.path.isdir(target):
        return False
    marker = target / REPORT_MARKER
    owned = (
        not os.path.islink(marker)
        and marker.is_file()
        and marker.read_text(errors="replace") == REPORT_MARKER_TEXT
    )
    return not os.listdir(target) or owned


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    top=st.dictionaries(NAMES, TREE, max_size=3),
    where=st.lists(st.sampled_from(["a", "b", "c", "new"]), min_size=1, max_size=3),
    cwd_depth=st.integers(0, 2),
)
def test_the_writer_never_deletes_what_it_does_not_own(top: dict, where: list[str], cwd_depth: int) -> None:  # type: ignore[type-arg]
    home = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(os.path.realpath(scratch)) / "w"
        _materialize(root, ("dir", top, None))
        cwd = root
        for name in where[:cwd_depth]:
            if (cwd / name).is_dir() and not (cwd / name).is_symlink():
                cwd = cwd / name
        target = root.joinpath(*where)
        expected = _expected_ok(target, cwd)
        real = Path(os.path.realpath(target.parent)) / target.name
        owned = expected and os.path.isdir(target)
        before = snapshot(Path(scratch))
        os.chdir(cwd)
        try:
            write_directory(target, report())
            succeeded = True
        except HarnessError:
            succeeded = False
        finally:
            os.chdir(home)
        after = snapshot(Path(scratch))
        assert succeeded == expected, (target, cwd)
        if not succeeded:
            assert after == before
            return
        replaced = os.path.relpath(real, scratch) if owned else None
        for key, value in before.items():
            if replaced and (key == replaced or key.startswith(replaced + os.sep)):
                continue
            assert after.get(key) == value, key
        assert (real / "index.html").read_text() == "report\n"
        assert (real / REPORT_MARKER).read_text() == REPORT_MARKER_TEXT
        added = {k for k in after if k not in before}
        prefix = os.path.relpath(real, scratch)
        assert all(
            k == prefix or k.startswith(prefix + os.sep) or prefix.startswith(k + os.sep) for k in added
        ), added
        assert not [p for p in os.listdir(real.parent) if p.startswith(f".{real.name}.")]
