"""Reading input files as data: UTF-8 text, safe YAML with locations, JSON Lines as a stream.

Rule and scenario files are untrusted. YAML is read as parser events and turned into plain data by
hand, so no tag can construct an object and the size limits are checked before anything large is
built; every node's line and column is kept so later checks can point at the exact place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from harness.errors import HarnessError, Location, Problem

JsonPath = tuple[str | int, ...]

MAX_FILE_BYTES = 64 * 1024 * 1024  # far above any real rule file or corpus shard

_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
}
# Kept as the text written: dates and plain strings are both just text to the harness.
_TEXT_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"}
_SEQ_TAG = "tag:yaml.org,2002:seq"
# libyaml's parser when PyYAML was built with it (several times faster); the same nodes either way.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MAP_TAG = "tag:yaml.org,2002:map"


@dataclass(frozen=True)
class Document:
    """Plain data read from one file (or one JSON Lines record), with a location per node."""

    data: Any
    file: str
    locations: dict[JsonPath, Location]
    key_locations: dict[JsonPath, Location]  # path of a mapping key (parent path + key)

    def where(self, path: JsonPath) -> Location:
        """The location of the node at `path`, or of its nearest located ancestor."""
        for cut in range(len(path), -1, -1):
            loc = self.locations.get(path[:cut])
            if loc is not None:
                return loc
        return Location(self.file)

    def where_key(self, path: JsonPath) -> Location:
        return self.key_locations.get(path) or self.where(path[:-1])


def read_text(path: Path, label: str | None = None, limit: int = MAX_FILE_BYTES) -> str:
    """The file's text; `label` is how messages name it (default: its path)."""
    label = label or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise HarnessError.at(Location(label), f"cannot read file ({exc.strerror}); check the path") from None
    if size > limit:
        raise HarnessError.at(Location(label), f"file is {size} bytes, over the {limit} byte limit; split it")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise HarnessError.at(
            Location(label, line, col),
            f"file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
        ) from None


# Limits that keep one file's cost a small multiple of its size (documented in README.md).
MAX_DEPTH = 64  # nested mappings and lists
MAX_ITEMS = 10_000  # entries in one list or mapping below the top level (a term list, a tag list)
MAX_DIGITS = 100  # digits in a number: no threshold or id needs more
MAX_EXCERPT = 60  # characters of input quoted in a message
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_MESSAGE = "a \\u escape is half of a surrogate pair, not a character; fix the escape"

def excerpt(text: str) -> str:
    """Input quoted in a message: repr'd and cut short, so a huge value never floods the terminal."""
    if len(text) <= MAX_EXCERPT:
        return repr(text)
    return repr(text[:MAX_EXCERPT]) + f"... ({len(text)} characters)"


class _Composer:
    """Plain data from YAML parser events, checking limits as it goes.

    Working from events rather than composed nodes means an oversized list or a deep nest is
    refused when it is met, before the file is held in memory as nodes (an 8 MB flow list would
    take gigabytes as nodes)."""

    def __init__(self, file: str, top_items: int | None) -> None:
        self.file = file
        self.top_items = top_items  # None: the top-level collection may be any length (a corpus)
        self.locations: dict[JsonPath, Location] = {}
        self.key_locations: dict[JsonPath, Location] = {}
        self._constructor = yaml.SafeLoader("")
        self._resolver = yaml.resolver.Resolver()

    def where(self, event: yaml.Event) -> Location:
        mark = event.start_mark
        return Location(self.file) if mark is None else Location(self.file, mark.line + 1, mark.column + 1)

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self._resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        if tag in _TEXT_TAGS:
            if _LONE_SURROGATE.search(event.value):
                raise HarnessError.at(self.where(event), _SURROGATE_MESSAGE)
            return event.value
        if tag in _SCALAR_TAGS:
            if tag != "tag:yaml.org,2002:null" and sum(c.isdigit() for c in event.value) > MAX_DIGITS:
                raise HarnessError.at(
                    self.where(event),
                    f"number {excerpt(event.value)} has over {MAX_DIGITS} digits; quote it if it is text",
                )
            node = yaml.ScalarNode(tag, event.value, style=event.style)
            return self._constructor.construct_object(node)
        raise self._tag_error(event, tag)

    def _tag_error(self, event: yaml.NodeEvent, tag: str | None) -> HarnessError:
        return HarnessError.at(
            self.where(event),
            f"YAML tag {tag!r} is not allowed: rule and scenario files are plain data; remove the tag",
        )

    def _check_tag(self, event: yaml.CollectionStartEvent, allowed: str) -> None:
        if event.tag not in (None, "!", allowed):
            raise self._tag_error(event, event.tag)

    def value(self, events: Iterator[yaml.Event], event: yaml.Event, path: JsonPath) -> Any:
        where = self.where(event)
        if isinstance(event, yaml.AliasEvent):
            # Refusing aliases keeps "billion laughs" expansion out and every node in one place.
            raise HarnessError.at(where, "YAML aliases (*name) are not supported; write the value out")
        self.locations[path] = where
        if isinstance(event, yaml.ScalarEvent):
            return self._scalar(event)
        if len(path) >= MAX_DEPTH:
            raise HarnessError.at(
                where, f"nested more than {MAX_DEPTH} levels deep; flatten it (the limit keeps files readable)"
            )
        limit = self.top_items if not path else MAX_ITEMS
        if isinstance(event, yaml.SequenceStartEvent):
            self._check_tag(event, _SEQ_TAG)
            items: list[Any] = []
            for child in events:
                if isinstance(child, yaml.SequenceEndEvent):
                    return items
                if limit is not None and len(items) >= limit:
                    raise HarnessError.at(where, f"a list of more than {limit} items; split it")
                items.append(self.value(events, child, (*path, len(items))))
        if isinstance(event, yaml.MappingStartEvent):
            self._check_tag(event, _MAP_TAG)
            return self._mapping(events, path, where, limit)
        raise HarnessError.at(where, f"unexpected YAML event {type(event).__name__}; fix the file")

    def _mapping(
        self, events: Iterator[yaml.Event], path: JsonPath, where: Location, limit: int | None
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_event in events:
            if isinstance(key_event, yaml.MappingEndEvent):
                return out
            key_where = self.where(key_event)
            if not isinstance(key_event, yaml.ScalarEvent):
                raise HarnessError.at(key_where, "a mapping key must be text, not a list or mapping; quote it")
            key = self._scalar(key_event)
            if not isinstance(key, str):
                raise HarnessError.at(key_where, f"mapping key {key!r} must be text; quote it")
            if key in out:
                raise HarnessError.at(key_where, f"duplicate key {excerpt(key)} in the same mapping; keep one")
            if limit is not None and len(out) >= limit:
                raise HarnessError.at(where, f"a mapping of more than {limit} keys; split it")
            self.key_locations[(*path, key)] = key_where
            out[key] = self.value(events, next(events), (*path, key))
        raise HarnessError.at(where, "the mapping never ends; fix the YAML syntax")


def _yaml_error(exc: yaml.YAMLError, text: str, file: str) -> HarnessError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        problem = exc.problem or exc.context or "invalid YAML"
        return HarnessError.at(where, f"YAML syntax error: {problem}; fix the YAML syntax")
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return HarnessError.at(
            Location(file, line, col), f"character #x{exc.character:04x} is not allowed in YAML; remove it"
        )
    first_line = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
    return HarnessError.at(Location(file), f"YAML error: {first_line}; fix the file")


def parse_yaml(text: str, file: str, top_items: int | None = MAX_ITEMS) -> Document:
    """One YAML document as plain data. `top_items=None` lets the top-level list be any length."""
    composer = _Composer(file, top_items)
    data: Any = None
    try:
        # parse() yields events only: no tag can construct an object.
        events = iter(yaml.parse(text, Loader=_LOADER))
        documents = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise HarnessError.at(
                        composer.where(event), "a file holds one YAML document; remove the second `---`"
                    )
            elif isinstance(event, yaml.NodeEvent):
                data = composer.value(events, event, ())
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, file) from None
    return Document(data, file, composer.locations, composer.key_locations)


MAX_RECORD_BYTES = 4 * 1024 * 1024  # one streamed record: a 100,000-character ticket fits many times over
RECORD_TOO_LONG = f"record is over the {MAX_RECORD_BYTES} byte limit for one scenario; shorten it"
# UTF-8 decoding never yields a surrogate, only a \u escape can: lines without one skip the walk.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def open_binary(path: Path, label: str) -> BinaryIO:
    """The file opened for reading as bytes; raises HarnessError naming `label` when it cannot be."""
    try:
        return path.open("rb")
    except OSError as exc:
        raise HarnessError.at(Location(label), f"cannot read file ({exc.strerror}); check the path") from None


def bounded_lines(stream: BinaryIO) -> Iterator[bytes]:
    """The stream's lines (ending at \\n only), a line over MAX_RECORD_BYTES cut to MAX_RECORD_BYTES + 1
    bytes: the rest is read past in chunks, never held, so memory stays bounded whatever the file."""
    while raw := stream.readline(MAX_RECORD_BYTES + 1):
        rest = raw
        while not rest.endswith(b"\n") and len(rest) > MAX_RECORD_BYTES:
            rest = stream.readline(MAX_RECORD_BYTES + 1)
        yield raw


def decode_line(raw: bytes, file: str, line: int) -> str:
    """One line's bytes as text; raises HarnessError at the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HarnessError.at(
            Location(file, line, exc.start + 1),
            f"line is not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
        ) from None


def _lone_surrogate(data: Any) -> bool:
    if isinstance(data, str):
        return _LONE_SURROGATE.search(data) is not None
    if isinstance(data, dict):
        return any(_lone_surrogate(k) or _lone_surrogate(v) for k, v in data.items())
    if isinstance(data, list):
        return any(_lone_surrogate(v) for v in data)
    return False


def _json_record(line: str, where: Location) -> Any:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise HarnessError.at(
            Location(where.file, where.line, exc.colno), f"invalid JSON: {exc.msg}; fix this line"
        ) from None
    except RecursionError:
        raise HarnessError.at(where, "JSON nested too deeply; flatten this line") from None
    except ValueError as exc:  # Python refuses integers of thousands of digits
        raise HarnessError.at(where, f"invalid JSON: {str(exc).split(';')[0]}; fix this line") from None
    if _SURROGATE_ESCAPE.search(line) and _lone_surrogate(data):
        raise HarnessError.at(where, _SURROGATE_MESSAGE)
    return data


def _json_line(raw: bytes, where: Location) -> Document | None:
    """One line as a document, None when blank; raises HarnessError when it cannot be read."""
    if len(raw) > MAX_RECORD_BYTES:
        raise HarnessError.at(where, RECORD_TOO_LONG)
    line = decode_line(raw, where.file, where.line)
    if not line.strip():
        return None
    line = line.removesuffix("\n").removesuffix("\r")  # so JSON's columns are this line's
    return Document(_json_record(line, where), where.file, {(): where}, {})


def read_json_lines(path: Path, label: str | None = None) -> Iterator[Document | Problem]:
    """Each non-blank line of a JSON Lines file as its own document, read as a stream: a corpus
    file may be any size, only one record is limited. A line that cannot be read (over the limit,
    not UTF-8, not JSON) comes as its Problem, and the next line is read. Lines end at \\n only:
    U+2028 and U+0085 are valid inside a JSON string."""
    label = label or str(path)
    with open_binary(path, label) as stream:
        for number, raw in enumerate(bounded_lines(stream), 1):
            try:
                doc = _json_line(raw, Location(label, number, 1))
            except HarnessError as exc:
                yield from exc.problems
                continue
            if doc is not None:
                yield doc
