"""Writing only where the harness owns the place, and never half way.

`write_directory` builds a report folder aside and moves it into place. It replaces a folder only
when the harness owns it: a path that does not exist yet, an empty folder, or a folder holding the
marker file `.harness-report` that the harness writes into every report folder it builds. Anything
else (a file, a device, a symbolic link, a folder of someone else's files, the current folder or
one above it) is bad input: `HarnessError`, and nothing is touched.

Writers of the same place take turns: each holds an exclusive `flock` on the parent folder for the
whole build and swap. Under that lock, staging and retired folders a killed run left behind are
removed, but only those that carry the marker and are named the way this module names them.

`write_file` does the same for a single file (the gate's Markdown comment): it overwrites an
existing file only when the file's first line is the marker the harness put there.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from harness.errors import HarnessError, Location

#: The marker file in every report folder the harness builds; its presence makes the folder the
#: harness's to replace.
REPORT_MARKER = ".harness-report"
#: The first line of the marker file (what proves the harness wrote it; the rest is for people).
REPORT_MARKER_LINE = "written by harness"
REPORT_MARKER_TEXT = (
    f"{REPORT_MARKER_LINE}\n"
    "This folder is a report the harness builds; the next run replaces it as a whole,"
    " so keep nothing else in it.\n"
)
#: The first line of the gate's Markdown comment (`harness gate --markdown FILE`); `write_file`
#: overwrites an existing file only when its first line is this.
GATE_MARKDOWN_MARKER = "<!-- written by harness gate -->"

_NEW_FOLDER = "choose a new or empty folder"
_MARKER_READ = 4096


def _fail(path: str, option: str, message: str) -> HarnessError:
    return HarnessError.at(Location(path if path else "''"), message, option)


def _os_error(path: str, option: str, exc: OSError) -> HarnessError:
    reason = exc.strerror or str(exc)
    return _fail(path, option, f"cannot write here ({reason}); choose a place you can write to")


def _blocking_ancestor(path: Path) -> str | None:
    """The nearest existing ancestor of `path` when it is not a folder, described; else None."""
    for ancestor in path.parents:
        try:
            info = os.stat(ancestor)
        except FileNotFoundError:
            if os.path.islink(ancestor):
                return f"{ancestor} is a broken symbolic link, not a folder"
            continue
        except NotADirectoryError:
            continue  # an ancestor further up is the file: reported when the loop gets there
        except OSError as exc:
            return f"{ancestor} cannot be read ({exc.strerror or exc})"
        if stat.S_ISDIR(info.st_mode):
            return None
        kind = "a file" if stat.S_ISREG(info.st_mode) else "a device, pipe or socket"
        return f"{ancestor} is {kind}, not a folder"
    return None


def _has_marker(path: Path, line: str) -> bool:
    """Whether `path` is a regular file (not a link) whose first line is `line`."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        head = os.read(fd, _MARKER_READ)
    except OSError:
        return False
    finally:
        os.close(fd)
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    return first == line.encode("utf-8")


def _owned_folder(path: Path) -> bool:
    return _has_marker(path / REPORT_MARKER, REPORT_MARKER_LINE)


def _lstat(path: Path, shown: str, option: str) -> os.stat_result | None:
    """What is at `path` (links not followed), None when nothing is; a path under a file is refused."""
    blocked = _blocking_ancestor(path)
    if blocked:
        raise _fail(shown, option, f"{blocked}; choose another path")
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _fail(shown, option, f"cannot be read ({exc.strerror or exc}); choose another path") from None


def check_directory(out: str | os.PathLike[str], option: str = "--out") -> None:
    """Raise `HarnessError` unless the harness may (re)place a report folder at `out`.

    Allowed: a path that does not exist (its missing parents are created), an empty folder, or a
    folder holding the harness's marker. Touches nothing; the CLI may call it before working."""
    shown = os.fspath(out)
    if shown == "":
        raise _fail(shown, option, f"the path is empty; {_NEW_FOLDER}, e.g. reports/latest")
    path = Path(shown)
    cwd = Path(os.path.realpath(os.getcwd()))
    if path.name in ("", ".."):
        real = Path(os.path.realpath(path))
    else:
        real = Path(os.path.realpath(path.parent)) / path.name
    if real == cwd or real in cwd.parents:
        raise _fail(
            shown,
            option,
            "is the current folder or one of its parents, and the harness replaces the whole folder"
            f" it writes; {_NEW_FOLDER}, e.g. reports/latest",
        )
    if path.name == "..":
        raise _fail(shown, option, f"ends in '..'; name the folder itself, or {_NEW_FOLDER}")
    info = _lstat(path, shown, option)
    if info is None:
        return
    if stat.S_ISLNK(info.st_mode):
        raise _fail(
            shown,
            option,
            f"is a symbolic link, and the harness writes only into folders it owns; {_NEW_FOLDER}",
        )
    if stat.S_ISREG(info.st_mode):
        raise _fail(shown, option, f"is a file, not a report folder; {_NEW_FOLDER}")
    if not stat.S_ISDIR(info.st_mode):
        raise _fail(shown, option, f"is not a folder (a device, pipe or socket); {_NEW_FOLDER}")
    try:
        with os.scandir(path) as entries:
            empty = next(entries, None) is None
    except OSError as exc:
        raise _fail(shown, option, f"cannot be read ({exc.strerror or exc}); choose another path") from None
    if not (empty or _owned_folder(path)):
        raise _fail(
            shown,
            option,
            f"is a folder the harness did not write (it is not empty and has no {REPORT_MARKER});"
            f" {_NEW_FOLDER}, or empty this one yourself",
        )


def _leftover_pattern(name: str) -> re.Pattern[str]:
    """Staging (`.NAME.XXXXXXXX`) and retired (`.NAME.old.XXXXXXXX`) folders, as mkdtemp names them."""
    return re.compile(rf"\.{re.escape(name)}\.(?:old\.)?[a-z0-9_]{{8}}")


def _remove_leftovers(parent: Path, name: str) -> None:
    """Remove the staging and retired folders of `name` that a killed run left (caller holds the lock)."""
    pattern = _leftover_pattern(name)
    with contextlib.suppress(OSError), os.scandir(parent) as entries:
        for entry in entries:
            if (
                pattern.fullmatch(entry.name)
                and entry.is_dir(follow_symlinks=False)
                and _owned_folder(Path(entry.path))
            ):
                shutil.rmtree(entry.path, ignore_errors=True)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (flock on the folder itself: no lock file to leave behind)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            # Said once, so a run that waits for another's whole evaluation does not look hung.
            print(f"harness: waiting: another harness run is writing a report in {folder}", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _missing_parents(path: Path) -> list[Path]:
    """The ancestors of `path` that do not exist yet, nearest first."""
    missing = []
    for ancestor in path.parents:
        if os.path.lexists(ancestor):
            break
        missing.append(ancestor)
    return missing


def _mark(folder: Path) -> None:
    (folder / REPORT_MARKER).write_text(REPORT_MARKER_TEXT, encoding="utf-8")


def write_directory(
    out: str | os.PathLike[str], build: Callable[[Path], None], option: str = "--out"
) -> None:
    """Call `build(tmp)` to fill a fresh sibling folder, then put it at `out` in place of what was there.

    Refuses (HarnessError, nothing touched) any `out` the harness does not own; see `check_directory`.
    An OSError while creating or writing becomes a HarnessError too; other errors from `build`
    propagate. Either way the staging folder is removed and `out` is left as it was."""
    shown = os.fspath(out)
    check_directory(shown, option)
    path = Path(shown)
    parent, name = path.parent, path.name
    created = _missing_parents(path)
    try:
        parent.mkdir(parents=True, exist_ok=True)
        with _locked(parent):
            check_directory(shown, option)  # again, under the lock: another writer may have been first
            _remove_leftovers(parent, name)
            _build_and_swap(path, build)
    except OSError as exc:
        _remove_created(created)
        raise _os_error(shown, option, exc) from None
    except BaseException:
        _remove_created(created)
        raise


def _remove_created(created: list[Path]) -> None:
    for folder in created:  # nearest first; stops at the first one something else now fills
        try:
            folder.rmdir()
        except OSError:
            return


def _build_and_swap(path: Path, build: Callable[[Path], None]) -> None:
    parent, name = path.parent, path.name
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=parent))
    try:
        _mark(staging)  # first, so a killed run's staging folder is provably the harness's
        build(staging)
        staging.chmod(0o755)  # mkdtemp makes it private; a report is meant to be read
        if not os.path.lexists(path):
            staging.rename(path)
            return
        retired = Path(tempfile.mkdtemp(prefix=f".{name}.old.", dir=parent))
        try:
            _mark(retired)
            path.rename(retired / name)
            try:
                staging.rename(path)
            except BaseException:
                (retired / name).rename(path)
                raise
        finally:
            shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def check_file(path: str | os.PathLike[str], marker: str, option: str = "--markdown") -> None:
    """Raise `HarnessError` unless the harness may write the file `path`: a new file in an existing
    folder, or a regular file whose first line is `marker`. Touches nothing."""
    shown = os.fspath(path)
    if shown == "":
        raise _fail(shown, option, "the path is empty; name a file, e.g. gate.md")
    target = Path(shown)
    info = _lstat(target, shown, option)
    if info is None:
        folder = os.path.dirname(shown) or "."
        if not os.path.isdir(folder):
            raise _fail(shown, option, f"the folder {folder} does not exist; create it or choose another path")
        return
    if stat.S_ISLNK(info.st_mode):
        raise _fail(shown, option, "is a symbolic link; name a regular file, e.g. gate.md")
    if stat.S_ISDIR(info.st_mode):
        raise _fail(shown, option, "is a folder; name a file in it, e.g. gate.md")
    if not stat.S_ISREG(info.st_mode):
        raise _fail(shown, option, "is not a regular file (a device, pipe or socket); name a regular file")
    if not _has_marker(target, marker):
        raise _fail(
            shown,
            option,
            f"exists and the harness did not write it (its first line is not {marker});"
            " choose another path, or delete it yourself",
        )


def write_file(path: str | os.PathLike[str], text: str, marker: str, option: str = "--markdown") -> None:
    """Write `text` (UTF-8) to `path` atomically: a temporary file in the same folder, then os.replace.

    The file starts with the line `marker` (prepended when `text` does not already start with it),
    so the next run may overwrite it. Refuses (HarnessError, nothing touched) a folder, a missing
    folder, a path under a file, a link or device, and an existing file the harness did not write."""
    shown = os.fspath(path)
    check_file(shown, marker, option)
    if not text.startswith(marker + "\n") and text != marker:
        text = f"{marker}\n{text}"
    target = Path(shown)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o644
    except OSError as exc:
        raise _os_error(shown, option, exc) from None
    temporary: str | None = None
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise _os_error(shown, option, exc) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


__all__ = [
    "GATE_MARKDOWN_MARKER",
    "REPORT_MARKER",
    "REPORT_MARKER_LINE",
    "REPORT_MARKER_TEXT",
    "check_directory",
    "check_file",
    "write_directory",
    "write_file",
]
