"""Reading input files as data: UTF-8 text, safe YAML with locations, JSON Lines.

Rule and scenario files are untrusted. YAML is composed into nodes and turned into plain data by
hand, so no tag can construct an object; every node's line and column is kept so later checks can
point at the exact place.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from harness.errors import HarnessError, Location

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


def read_text(path: Path, label: str | None = None) -> str:
    """The file's text; `label` is how messages name it (default: its path)."""
    label = label or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise HarnessError.at(Location(label), f"cannot read file ({exc.strerror}); check the path") from None
    if size > MAX_FILE_BYTES:
        raise HarnessError.at(
            Location(label), f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit; split it"
        )
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


def _loc(file: str, node: yaml.Node) -> Location:
    return Location(file, node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.locations: dict[JsonPath, Location] = {}
        self.key_locations: dict[JsonPath, Location] = {}
        self._scalars = yaml.SafeLoader("")
        self._seen: set[int] = set()

    def build(self, node: yaml.Node, path: JsonPath) -> Any:
        where = _loc(self.file, node)
        if id(node) in self._seen:
            # An alias: refusing them keeps "billion laughs" expansion out and every node one place.
            raise HarnessError.at(where, "YAML aliases (*name) are not supported; write the value out")
        self._seen.add(id(node))
        self.locations[path] = where
        if isinstance(node, yaml.ScalarNode):
            if node.tag in _TEXT_TAGS:
                return node.value
            if node.tag in _SCALAR_TAGS:
                return self._scalars.construct_object(node)
        elif isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        elif isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
            return self._mapping(node, path)
        raise HarnessError.at(
            where,
            f"YAML tag {node.tag!r} is not allowed: rule and scenario files are plain data; remove the tag",
        )

    def _mapping(self, node: yaml.MappingNode, path: JsonPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.build(key_node, path)
            where = _loc(self.file, key_node)
            if not isinstance(key, str):
                raise HarnessError.at(where, f"mapping key {key!r} must be text; quote it")
            if key in out:
                raise HarnessError.at(where, f"duplicate key {key!r} in the same mapping; keep one")
            self.key_locations[(*path, key)] = where
            out[key] = self.build(value_node, (*path, key))
        self.locations[path] = _loc(self.file, node)
        return out


def parse_yaml(text: str, file: str) -> Document:
    try:
        # compose() builds nodes only; nothing is constructed from tags here.
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        problem = exc.problem or exc.context or "invalid YAML"
        raise HarnessError.at(where, f"YAML syntax error: {problem}; fix the YAML syntax") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise HarnessError.at(
            Location(file, line, col), f"character #x{exc.character:04x} is not allowed in YAML; remove it"
        ) from None
    except yaml.YAMLError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        raise HarnessError.at(Location(file), f"YAML error: {first_line}; fix the file") from None
    builder = _Builder(file)
    data = None if node is None else builder.build(node, ())
    return Document(data, file, builder.locations, builder.key_locations)


def parse_json_lines(text: str, file: str) -> Iterator[Document]:
    """Each non-blank line as its own document; every node of a record points at its line."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise HarnessError.at(
                Location(file, number, exc.colno), f"invalid JSON: {exc.msg}; fix this line"
            ) from None
        yield Document(data, file, {(): Location(file, number, 1)}, {})
