"""Watching the rules and scenarios for edits by polling their files' size and modification time.

Polling rather than inotify (watchfiles, watchdog): no native dependency, the same behaviour on
every platform and on file systems where change events never arrive (network shares, container
bind mounts, editors that replace a file by renaming), and a rules folder and a corpus are a few
dozen files, so a stat of each twice a second costs nothing next to one evaluation.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

Signature = tuple[tuple[str, int, int], ...]

INTERVAL = 0.5  # seconds between two looks


def signature(paths: Iterable[str | Path]) -> Signature:
    """(path, size, mtime in ns) of every file under the paths, sorted; a missing path adds nothing."""
    found: list[tuple[str, int, int]] = []
    for base in paths:
        base = Path(base)
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            try:
                stat = path.stat()
            except OSError:  # deleted between the listing and the stat: the next look sees it
                continue
            found.append((os.fspath(path), stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))


class Watcher:
    """Calls `on_change` (in its own daemon thread) after the watched files changed and then held
    still for one interval, so an editor's save in several writes gives one re-evaluation."""

    def __init__(
        self, paths: Iterable[str | Path], on_change: Callable[[], object], interval: float = INTERVAL
    ) -> None:
        self.paths = tuple(paths)
        self.on_change = on_change
        self.interval = interval
        self._stop = threading.Event()
        self._seen = signature(self.paths)
        self._thread = threading.Thread(target=self._loop, name="harness-serve-watcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def poll(self) -> bool:
        """One look: True (after calling on_change) when the files changed and are now still."""
        now = signature(self.paths)
        if now == self._seen:
            return False
        while True:
            if self._stop.wait(self.interval):
                return False
            later = signature(self.paths)
            if later == now:
                break
            now = later
        self._seen = now
        self.on_change()
        return True

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.poll()
