"""Frozen dataclasses to plain JSON data and back, driven by their type annotations: the one codec
of the typed stage boundaries (the metrics object written to metrics.json and read back).

`to_plain` gives mappings for dataclasses and mappings, lists for tuples and lists, and leaves
the rest as it is. `from_plain(kind, data)` undoes it for the annotations the boundaries use:
dataclasses, `X | None`, `tuple[X, ...]`, fixed tuples, `list[X]`, `Mapping[str, X]` (or dict),
and plain values (str, int, float, bool, Any), which are taken as they are."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def to_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [to_plain(item) for item in value]
    return value


@cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def _decode(kind: Any, data: Any) -> Any:
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{f.name: _decode(hints[f.name], data[f.name]) for f in dataclasses.fields(kind)})
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):
        if data is None:
            return None
        (inner,) = (arg for arg in args if arg is not type(None))
        return _decode(inner, data)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item) for item in data)
        return tuple(_decode(arg, item) for arg, item in zip(args, data, strict=True))
    if origin is list:
        return [_decode(args[0], item) for item in data]
    if origin in (Mapping, dict):
        return {key: _decode(args[1], item) for key, item in data.items()}
    return data


def from_plain(kind: type[T], data: Any) -> T:
    """`data` (as `to_plain` gave it, or read back from JSON) as a `kind`; a KeyError or TypeError
    when it does not have kind's shape."""
    decoded: T = _decode(kind, data)
    return decoded
