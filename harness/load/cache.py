"""The rules as checked once, kept on disk so the next command starts without checking again.

An entry is JSON named by a digest of the rule files' bytes and of how they are shown, written by
the harness after a rule set loaded without problems: each file's data with its locations, and
each matcher's compiled alternatives and literals. Reading one skips YAML parsing, schema
validation, pattern translation and pattern compilation (programs then compile on first use).

JSON holds data only, so reading a planted entry cannot run code; entries live in a folder of
the user's own (`$HARNESS_CACHE_DIR`, else `$XDG_CACHE_HOME/harness`, else `~/.cache/harness`)
and the folder is used only when it belongs to the user and no one else can write to it. A
missing, unreadable or malformed entry is a cache miss, never an error. `HARNESS_CACHE_DIR=""`
turns the cache off.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from harness.errors import Location
from harness.load.source import Document, JsonPath
from harness.match.patterns import Matcher

FORMAT = 3  # bump when the entry's shape or the meaning of its data changes
_MAX_ENTRY_BYTES = 64 << 20


def cache_dir() -> Path | None:
    configured = os.environ.get("HARNESS_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "harness"


def _private(folder: Path) -> bool:
    """The folder is the user's own and only the user can write in it (a shared one could be planted)."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def _entry(key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"rules-{key}.json"


def _located(locations: dict[JsonPath, Location]) -> list[list[Any]]:
    """Locations worth keeping: not each phrase of a term list (the bulk of a rule file's nodes;
    once the rules load, only rules, examples and named items are ever pointed at)."""
    return [
        [list(path), where.line, where.col]
        for path, where in locations.items()
        if not (len(path) > 2 and path[0] == "terms")
    ]


def _locations(rows: list[list[Any]], file: str) -> dict[JsonPath, Location]:
    return {tuple(path): Location(file, line, col) for path, line, col in rows}


def _document(raw: dict[str, Any]) -> Document:
    file = raw["file"]
    return Document(raw["data"], file, _locations(raw["locations"], file), _locations(raw["keys"], file))


def _matcher(raw: list[Any], index: int) -> Matcher:
    sources, alternatives, case_sensitive, literals, phrases = raw
    return Matcher(
        tuple(sources),
        tuple(alternatives),
        case_sensitive,
        index,
        tuple(None if need is None else frozenset(need) for need in literals),
        phrases,
    )


def read(key: str) -> tuple[list[Document], list[Matcher]] | None:
    """The cached documents and matchers for `key`, or None (a miss, for any reason)."""
    entry = _entry(key)
    if entry is None or not _private(entry.parent):
        return None
    try:
        with entry.open("rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                return None
            raw = json.loads(stream.read(_MAX_ENTRY_BYTES))
        if raw.get("format") != FORMAT or raw.get("key") != key:
            return None
        documents = [_document(doc) for doc in raw["documents"]]
        matchers = [_matcher(m, index) for index, m in enumerate(raw["matchers"])]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return documents, matchers


def write(key: str, documents: list[Document], matchers: tuple[Matcher, ...]) -> None:
    """Keep a checked rule set; quietly skipped where the cache cannot be written."""
    entry = _entry(key)
    if entry is None:
        return
    payload = {
        "format": FORMAT,
        "key": key,
        "documents": [
            {
                "file": doc.file,
                "data": doc.data,
                "locations": _located(doc.locations),
                "keys": _located(doc.key_locations),
            }
            for doc in documents
        ],
        "matchers": [
            [
                m.sources,
                m.alternatives,
                m.case_sensitive,
                [None if need is None else sorted(need) for need in m.literals],
                m.phrases,
            ]
            for m in matchers
        ],
    }
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(entry.parent):
            return
        handle, staging = tempfile.mkstemp(prefix=".rules-", suffix=".tmp", dir=entry.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(payload, stream, ensure_ascii=False)
            os.replace(staging, entry)
        except BaseException:
            Path(staging).unlink(missing_ok=True)
            raise
    except OSError:
        return
