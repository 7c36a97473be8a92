"""What a change to the rules changed: every rule, term list, parameter and shared condition compared
before and after, each change located, and the rules each change can affect (pure).

The engines see a rule through its fingerprint, which hashes the term lists and conditions it names
too; a reviewer needs the opposite view. Trimming one term list is one change to `lexicon.yaml`,
not a change to the forty rules that name it, so here a rule is changed only when its own text is,
and a term list, parameter or condition change instead *affects* the rules that reach it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from harness.errors import Location
from harness.load.source import Document, parse_yaml

KINDS = ("condition", "parameter", "rule", "terms")  # the JSON order of changes: (kind, name)
SECTIONS = {"conditions": "condition", "parameters": "parameter", "terms": "terms"}
RULE_SECTIONS = ("routing", "lint")
# Keys that say something about an item without changing what it matches or decides: an edit
# that touches only these is listed as a change but can cause no flip.
COSMETIC = frozenset({"description", "source", "examples", "owner"})
# `scope: opening` reads the opening, whose length these two set (see harness/decide/context.py).
OPENING_TERMS = ("terms", "greeting")
OPENING_PARAMETER = ("parameter", "opening_sentences")
# Condition keys whose value names term lists, and those that may name a parameter.
TERM_KEYS = ("terms", "not_within")
THRESHOLD_KEYS = ("min_count",)

Key = tuple[str, str]  # (kind, name)


@dataclass(frozen=True)
class Item:
    """One named thing in the rule files, as written."""

    kind: str
    name: str
    location: Location
    spec: Any
    refs: frozenset[Key]  # what it names directly

    @property
    def owner(self) -> str | None:
        owner = self.spec.get("owner") if isinstance(self.spec, dict) else None
        return owner if isinstance(owner, str) else None

    @property
    def behaviour(self) -> Any:
        """The part of the spec that decides what it matches or sets."""
        if isinstance(self.spec, dict):
            return {k: v for k, v in self.spec.items() if k not in COSMETIC}
        return self.spec


@dataclass(frozen=True)
class Change:
    kind: str
    name: str
    change: str  # added, removed or changed
    location: Location  # the after side's; the before side's for a removal
    owner: str | None
    affects: tuple[str, ...]  # rule ids, either side, that this change can alter
    cosmetic: bool = False  # only a description, source, owner or examples changed
    added: tuple[str, ...] = ()  # term lists: phrases added and removed
    removed: tuple[str, ...] = ()
    added_regex: tuple[str, ...] = ()
    removed_regex: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()  # rules and conditions: the keys whose value changed
    before: Any = None  # parameters: the values
    after: Any = None

    @property
    def key(self) -> Key:
        return (self.kind, self.name)

    @property
    def label(self) -> str:
        return f"{_NOUNS[self.kind]} {self.name}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "name": self.name,
            "file": self.location.file,
            "line": self.location.line,
            "change": self.change,
            "owner": self.owner,
            "affects": list(self.affects),
            "cosmetic": self.cosmetic,
        }
        if self.kind == "terms":
            out.update(
                added=list(self.added),
                removed=list(self.removed),
                added_regex=list(self.added_regex),
                removed_regex=list(self.removed_regex),
            )
        elif self.kind == "parameter":
            out.update(before=self.before, after=self.after)
        else:
            out["keys"] = list(self.keys)
        return out


_NOUNS = {"rule": "rule", "terms": "term list", "parameter": "parameter", "condition": "condition"}


@dataclass(frozen=True)
class ChangeSet:
    changes: tuple[Change, ...]  # in (kind, name) order
    by_rule: Mapping[str, tuple[Key, ...]]  # rule id -> the changes that affect it
    catalogue_changed: bool  # not one of the four kinds, but it can flip lint rules (arrival)

    def affecting(self, rule_ids: Iterable[str]) -> tuple[Key, ...]:
        return tuple(sorted({key for rule in rule_ids for key in self.by_rule.get(rule, ())}))

    @cached_property
    def _rule_statuses(self) -> dict[str, str]:
        return {c.name: c.change for c in self.changes if c.kind == "rule"}

    def rule_status(self, rule_id: str) -> str:
        """added, removed or changed in its own text; else unchanged (whatever it names)."""
        return self._rule_statuses.get(rule_id, "unchanged")

    def rule_changes(self) -> dict[str, list[str]]:
        """The old summary: rule ids added, removed and changed in their own text."""
        out: dict[str, list[str]] = {"added": [], "removed": [], "changed": []}
        for change in self.changes:
            if change.kind == "rule":
                out[change.change].append(change.name)
        return out


# --- reading the items -------------------------------------------------------------------------


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]


def condition_refs(spec: Any) -> Iterator[Key]:
    """The term lists, parameters and shared conditions a condition tree names, implicit ones too."""
    if not isinstance(spec, dict):
        return
    for key in TERM_KEYS:
        yield from (("terms", n) for n in _listed(spec.get(key, [])))
    for key in THRESHOLD_KEYS:
        if isinstance(spec.get(key), str):
            yield ("parameter", spec[key])
    if spec.get("scope") == "opening":
        yield OPENING_TERMS
        yield OPENING_PARAMETER
    near = spec.get("near")
    if isinstance(near, dict):
        yield from (("terms", n) for n in _listed(near.get("terms", [])))
        if isinstance(near.get("within"), str):
            yield ("parameter", near["within"])
    words = spec.get("words")
    if isinstance(words, dict):
        yield from (("parameter", v) for v in words.values() if isinstance(v, str))
    quantity = spec.get("quantity")
    if isinstance(quantity, dict):
        if isinstance(quantity.get("of"), str):
            yield ("terms", quantity["of"])
        if isinstance(quantity.get("at_least"), str):
            yield ("parameter", quantity["at_least"])
    if isinstance(spec.get("use"), str):
        yield ("condition", spec["use"])
    for key in ("any", "all", "none"):
        for child in spec.get(key, []):
            yield from condition_refs(child)


def _doc_items(doc: Document) -> Iterator[Item]:
    data = doc.data if isinstance(doc.data, dict) else {}
    for section, kind in SECTIONS.items():
        for name, spec in (data.get(section) or {}).items():
            refs = frozenset(condition_refs(spec)) if kind == "condition" else frozenset()
            yield Item(kind, name, doc.where_key((section, name)), spec, refs)
    for section in RULE_SECTIONS:
        for index, spec in enumerate(data.get(section) or []):
            refs = frozenset(condition_refs(spec.get("when")))
            yield Item("rule", spec["id"], doc.where((section, index)), spec, refs)


Sources = Sequence[tuple[str, str, str]]  # a RuleSet's `sources`: relative path, label, text


def documents(sources: Sources) -> list[Document]:
    """The rule files parsed again, locations and all (about 0.1 s for the bundled rules)."""
    return [parse_yaml(text, label) for _, label, text in sources]


def inventory(docs: Sequence[Document]) -> dict[Key, Item]:
    """Every item of a rule set that loaded cleanly (so names are unique)."""
    return {(item.kind, item.name): item for doc in docs for item in _doc_items(doc)}


def _catalogue(docs: Sequence[Document]) -> list[Any]:
    found = [d.data["catalogue"] for d in docs if isinstance(d.data, dict) and "catalogue" in d.data]
    return sorted(found, key=repr)


# --- comparing ---------------------------------------------------------------------------------


def _reaches(items: Mapping[Key, Item]) -> dict[str, frozenset[Key]]:
    """For each rule id: every item it reaches, through shared conditions too, itself included."""
    closure: dict[Key, frozenset[Key]] = {}

    def reach(key: Key, path: frozenset[Key]) -> frozenset[Key]:
        if key in closure:
            return closure[key]
        item = items.get(key)
        found = {key}
        if item is not None and key not in path:  # the loader refuses `use` cycles; stay safe anyway
            for ref in item.refs:
                found |= reach(ref, path | {key})
        closure[key] = frozenset(found)
        return closure[key]

    return {key[1]: reach(key, frozenset()) for key in items if key[0] == "rule"}


def _only_in(first: Sequence[str], second: Sequence[str]) -> tuple[str, ...]:
    """The entries of `first` not in `second`, in `first`'s order (the file's), once each."""
    others = set(second)
    return tuple(dict.fromkeys(p for p in first if p not in others))


def _strings(spec: Any, key: str) -> list[str]:
    return _listed(spec.get(key, [])) if isinstance(spec, dict) else []


def _change(
    key: Key, old: Item | None, new: Item | None, affects: tuple[str, ...], cosmetic: bool
) -> Change | None:
    kind, name = key
    if old is not None and new is not None and old.spec == new.spec:
        return None
    shown = new if new is not None else old
    assert shown is not None
    change = "added" if old is None else "removed" if new is None else "changed"
    before = old.spec if old is not None else {}
    after = new.spec if new is not None else {}
    extra: dict[str, Any] = {}
    if kind == "terms":
        extra = {
            "added": _only_in(_strings(after, "phrases"), _strings(before, "phrases")),
            "removed": _only_in(_strings(before, "phrases"), _strings(after, "phrases")),
            "added_regex": _only_in(_strings(after, "regex"), _strings(before, "regex")),
            "removed_regex": _only_in(_strings(before, "regex"), _strings(after, "regex")),
        }
    elif kind == "parameter":
        extra = {"before": None if old is None else old.spec, "after": None if new is None else new.spec}
    elif change == "changed":
        extra = {
            "keys": tuple(sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k)))
        }
    owner = new.owner if new is not None and new.owner else old.owner if old is not None else None
    return Change(kind, name, change, shown.location, owner, affects, cosmetic, **extra)


def compare_sources(before: Sources, after: Sources) -> ChangeSet:
    """Every change between two rule sets' files, and which rules each can affect."""
    docs = (documents(before), documents(after))
    old, new = inventory(docs[0]), inventory(docs[1])
    reach = (_reaches(old), _reaches(new))
    changes: list[Change] = []
    by_rule: dict[str, set[Key]] = {}
    for key in sorted(old.keys() | new.keys(), key=lambda k: (KINDS.index(k[0]), k[1])):
        was, now = old.get(key), new.get(key)
        cosmetic = was is not None and now is not None and was.behaviour == now.behaviour
        affects = () if cosmetic else _affected(key, reach)
        change = _change(key, was, now, affects, cosmetic)
        if change is None:
            continue
        changes.append(change)
        for rule in affects:
            by_rule.setdefault(rule, set()).add(key)
    return ChangeSet(
        tuple(changes),
        {rule: tuple(sorted(keys)) for rule, keys in sorted(by_rule.items())},
        _catalogue(docs[0]) != _catalogue(docs[1]),
    )


def _affected(
    key: Key, reach: tuple[dict[str, frozenset[Key]], dict[str, frozenset[Key]]]
) -> tuple[str, ...]:
    """The rules, on either side, that reach `key` (a rule reaches itself)."""
    return tuple(sorted({rule for side in reach for rule, keys in side.items() if key in keys}))
