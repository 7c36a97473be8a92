"""JSON Schema validation that reports each problem at its file, line and column.

The schemas ship in `harness/schemas/`, their labels those of the bundled contract; a rule or
scenario file is checked against the labels of the contract it is loaded with (`label_defs`).
Error messages are rewritten for people: an unknown key gets a "did you mean", an unknown label
names its kind and the nearest known label.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from harness.contract import Contract
from harness.errors import Location, Problem
from harness.load.source import Document, JsonPath, excerpt

if TYPE_CHECKING:  # imported on use: a rule set read from the cache is never validated (0.2 s)
    import jsonschema

_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}


@cache
def schema(name: str) -> dict[str, Any]:
    text = resources.files("harness").joinpath("schemas", name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def label_defs(contract: Contract) -> dict[str, Any]:
    """The `$defs` of the rules and scenario schemas that list a contract's labels (tools/genschema.py
    writes the bundled contract's into the schema files)."""
    labels: dict[str, Any] = {
        "persona": {"title": "persona", "enum": list(contract.personas)},
        "channel": {"title": "channel", "enum": list(contract.channels)},
        "arrival_channel": {"title": "arrival channel", "enum": list(contract.arrivals)},
        "issue": {"title": "issue", "enum": list(contract.all_issues)},
        "finding": {"title": "finding", "enum": list(contract.findings)},
    }
    for name in ("persona", "arrival_channel"):
        labels[f"{name}_or_null"] = {"title": labels[name]["title"], "enum": [*labels[name]["enum"], None]}
    return labels


@cache
def contract_schema(name: str, contract: Contract) -> dict[str, Any]:
    """Schema `name` (the rules or the scenario schema) with the labels of `contract`."""
    doc = schema(name)
    return {**doc, "$defs": {**doc["$defs"], **label_defs(contract)}}


@cache
def _validator(name: str, contract: Contract | None) -> jsonschema.protocols.Validator:
    import jsonschema

    doc = schema(name) if contract is None else contract_schema(name, contract)
    cls = jsonschema.validators.validator_for(doc)
    cls.check_schema(doc)
    return cls(doc)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_label(kind: str, value: str, allowed: Iterable[str]) -> str:
    """One message for every unknown label: the close match, then every valid value (the contract
    lives in the package, so the message cannot point at a file the user may not have)."""
    choices = list(dict.fromkeys(allowed))
    return (
        f"unknown {kind} {excerpt(value)}{did_you_mean(value[:100], choices)};"
        f" valid: {', '.join(choices)} (`harness labels` lists them all)"
    )


def _describe(value: Any) -> str:
    import jsonschema

    for json_type, name in _TYPE_NAMES.items():
        if json_type == "integer" and isinstance(value, bool):
            continue
        if jsonschema.Draft202012Validator.TYPE_CHECKER.is_type(value, json_type):
            return name
    return type(value).__name__


def _field_name(path: JsonPath) -> str:
    """'priority', or 'phrases[3]' for the fourth item of a list."""
    if not path:
        return "value"
    if isinstance(path[-1], int):
        return f"{_field_name(path[:-1])}[{path[-1]}]"
    return str(path[-1])


def _problem(error: jsonschema.ValidationError, doc: Document, base: JsonPath, item: str) -> Problem:
    path: JsonPath = (*base, *error.absolute_path)
    where: Location = doc.where(path)
    field = _field_name(tuple(error.absolute_path))
    kind = error.validator
    node_schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    wanted: Any = error.validator_value
    instance: Any = error.instance
    if kind == "additionalProperties":
        allowed: dict[str, Any] = node_schema.get("properties", {})
        unknown = sorted(k for k in instance if k not in allowed)
        key = unknown[0]
        where = doc.where_key((*path, key))
        message = f"unknown key {excerpt(key)}{did_you_mean(key[:100], allowed)}; remove it or correct the spelling"
    elif kind == "required":
        missing = [k for k in wanted if k not in instance]
        message = f"missing key {missing[0]!r}; add it"
    elif kind == "enum":
        label = node_schema.get("title", field)
        labels = [str(v) for v in wanted if v is not None]
        message = unknown_label(label, str(instance), labels)
    elif kind in ("maxLength", "maxItems"):
        unit = "characters" if kind == "maxLength" else "items"
        message = f"{field} has {len(instance)} {unit}, over the limit of {wanted}; shorten it"
    elif kind == "pattern":
        message = f"{field} {excerpt(str(instance))} must match {wanted}; correct the value"
    elif kind == "type":
        types = wanted if isinstance(wanted, list) else [wanted]
        names = " or ".join(_TYPE_NAMES.get(str(t), str(t)) for t in types)
        message = f"{field} must be {names}, not {_describe(instance)}; change its value"
    else:  # jsonschema's own words quote the value: keep them short
        message = f"{field}: {error.message[:200]}; correct the value"
    return Problem(where, item, message)


def validate(
    name: str,
    doc: Document,
    data: Any,
    base: JsonPath,
    item_of: Callable[[JsonPath], str],
    contract: Contract | None = None,
) -> list[Problem]:
    """Validate `data` (found at `base` in `doc`) against schema `name`, with the labels of
    `contract` (a rules or scenario schema; None: the schema as shipped)."""
    errors = sorted(_validator(name, contract).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return [_problem(e, doc, base, item_of((*base, *e.absolute_path))) for e in errors]
