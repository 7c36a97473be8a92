"""Filtering scenario rows (the Scenarios view and GET /api/scenarios take the same parameters)
and the choices each filter offers. Pure functions over `evaluator.row()` dicts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harness.evaluate.changes import deciding
from harness.model import FIELDS

WRONG_CHOICES = ("any", "none", *FIELDS, "findings")


@dataclass(frozen=True)
class Filters:
    """Empty strings mean "no filter". `wrong`: a field that is wrong, "any" (failing) or "none"
    (passing); `label`: expected or predicted in any field; `rule`: the rule deciding any field."""

    wrong: str = ""
    label: str = ""
    rule: str = ""
    tag: str = ""
    file: str = ""
    text: str = ""

    @classmethod
    def of(cls, args: Mapping[str, str]) -> Filters:
        return cls(**{name: args.get(name, "").strip() for name in cls.__dataclass_fields__})

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


def labels_of(row: Mapping[str, Any]) -> set[str]:
    found = {row[f"{kind}_{name}"] for kind in ("expected", "predicted") for name in FIELDS}
    for kind in ("expected", "predicted"):
        found.update(x for x in row[f"{kind}_findings"].split(";") if x)
    return found


def matches(row: Mapping[str, Any], f: Filters) -> bool:
    failed = [x for x in row["failed"].split(";") if x]
    if f.wrong == "any" and not failed:
        return False
    if f.wrong == "none" and failed:
        return False
    if f.wrong not in ("", "any", "none") and f.wrong not in failed:
        return False
    if f.label and f.label not in labels_of(row):
        return False
    if f.rule and f.rule not in deciding(row["deciding_rule"]).values():
        return False
    if f.tag and f.tag not in row["tags"].split(";"):
        return False
    if f.file and row["file"] != f.file:
        return False
    return not (f.text and f.text.casefold() not in f"{row['id']} {row['text']}".casefold())


def select(rows: Iterable[Mapping[str, Any]], f: Filters) -> list[Mapping[str, Any]]:
    return [r for r in rows if matches(r, f)]


@dataclass(frozen=True)
class Choices:
    """The values each filter's drop-down offers, sorted."""

    wrong: tuple[str, ...]
    label: tuple[str, ...]
    rule: tuple[str, ...]
    tag: tuple[str, ...]
    file: tuple[str, ...]


def choices(rows: Sequence[Mapping[str, Any]]) -> Choices:
    labels: set[str] = set()
    rules: set[str] = set()
    tags: set[str] = set()
    files: set[str] = set()
    for r in rows:
        labels |= labels_of(r)
        rules.update(deciding(r["deciding_rule"]).values())
        tags.update(t for t in r["tags"].split(";") if t)
        files.add(r["file"])
    return Choices(WRONG_CHOICES, *(tuple(sorted(s)) for s in (labels, rules, tags, files)))
