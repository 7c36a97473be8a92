"""Load rule files (a directory of YAML) into a compiled RuleSet, or fail with located problems."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from harness.contract import Contract, default_contract
from harness.errors import HarnessError, Location, Problem
from harness.load import cache as rules_cache
from harness.load.source import Document, JsonPath, parse_yaml, read_text
from harness.load.validate import validate
from harness.match.conditions import Compiler, ConditionError, Lexicon
from harness.match.patterns import Matcher, PatternError, compile_regex
from harness.model import FIELDS, Ticket
from harness.ruleset import ChannelInfo, Example, IssueInfo, Rule, RuleSet

RULE_SUFFIXES = (".yaml", ".yml")
Source = tuple[str, str, str]  # a rule file: path relative to the rules root, label, text
MAX_RULE_FILE_BYTES = 1024 * 1024  # the largest bundled rule file is a few tens of KB
REQUIRED_PARAMETERS = ("opening_sentences",)
GREETING_TERMS = "greeting"


def rule_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise HarnessError.at(Location(str(root)), "rules directory not found; pass --rules DIR")
    files = sorted(p for p in root.rglob("*") if p.suffix in RULE_SUFFIXES and p.is_file())
    if not files:
        raise HarnessError.at(
            Location(str(root)), "no rule files (*.yaml) in this directory; add rules or fix --rules"
        )
    return files


def _item_of(doc: Document) -> Callable[[JsonPath], str]:
    def item(path: JsonPath) -> str:
        if len(path) >= 2 and path[0] in ("routing", "lint"):
            node = doc.data[path[0]][path[1]] if isinstance(doc.data.get(path[0]), list) else None
            rule_id = node.get("id") if isinstance(node, dict) else None
            return f"rule {rule_id!r}" if isinstance(rule_id, str) else f"{path[0]} rule #{int(path[1]) + 1}"
        names = {"parameters": "parameter", "terms": "term list", "conditions": "condition"}
        if len(path) >= 2 and path[0] in names:
            return f"{names[str(path[0])]} {path[1]!r}"
        if len(path) >= 3 and path[0] == "catalogue":
            return f"catalogue {str(path[1]).rstrip('s')} {path[2]!r}"
        return ""

    return item


# How deep a named entry sits in a rule file: ("terms", name), ("catalogue", "channels", name),
# ("routing", index). A schema error at or below an entry breaks that entry only.
_ENTRY_DEPTH = {"catalogue": 3}
# Stands in for a definition that exists but is broken (its own problem is reported), so that
# rules using it are still compiled and their other problems reported in the same run, without an
# "unknown term list" for a name that is defined. Never matched against: a rule set with problems
# is never returned. A phrase, not nothing, so `min_count` beside `terms:` stays valid.
_PLACEHOLDER_TERMS: tuple[tuple[str, ...], tuple[str, ...]] = (("placeholder",), ())


class _AnyName(dict[str, Any]):
    """A lexicon table where every name is defined (the unknown ones as `placeholder`): used when a
    file or section could not be read, as any name a rule uses might be defined there. Reporting
    it unknown would be wrong for every such use (a syntax error in the lexicon file would give
    one "unknown term list" per rule)."""

    def __init__(self, known: dict[str, Any], placeholder: Any) -> None:
        super().__init__(known)
        self._placeholder = placeholder

    def __contains__(self, name: object) -> bool:
        return True

    def __missing__(self, name: str) -> Any:
        return self._placeholder


class _Collector:
    """Gathers every file's sections, reporting duplicates with both locations.

    An entry (a rule, term list, parameter, condition, catalogue entry) with schema problems is
    left out, and the rest of its file is still gathered, so every later check (unknown names,
    patterns, conditions) runs in the same load: a user fixes everything in one pass. The names of
    the broken entries are kept (`broken`), so they count as defined."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self.problems: list[Problem] = []
        self.docs: list[Document] = []
        self.parameters: dict[str, tuple[int, Location]] = {}
        self.terms: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self.term_where: dict[str, Location] = {}
        self.conditions: dict[str, tuple[dict[str, Any], Location]] = {}
        self.channels: dict[str, tuple[dict[str, Any], Location]] = {}
        self.issues: dict[str, tuple[dict[str, Any], Location]] = {}
        self.rules: list[tuple[str, dict[str, Any], Document, JsonPath]] = []
        self.rule_where: dict[str, Location] = {}
        # Defined but left out for their own problems: the names per section, and how many rules.
        self.broken: dict[str, set[str]] = {"parameters": set(), "terms": set(), "conditions": set()}
        self.broken_rules = 0
        # A file, or a whole section of one, could not be read: it may define any name.
        self.unsure = False

    def unreadable(self, problems: Iterable[Problem]) -> None:
        """A file that could not be read or parsed: its problems, and nothing of it is known."""
        self.problems.extend(problems)
        self.unsure = True

    def add(self, doc: Document, checked: bool = False) -> None:
        """`checked`: the document passed validation before (it came from the cache)."""
        data = doc.data
        if not isinstance(data, dict):
            self.unreadable(
                [
                    Problem(
                        doc.where(()),
                        "",
                        "a rule file must be a mapping with sections such as `routing:` and `lint:`",
                    )
                ]
            )
            return
        bad = set() if checked else self._validate(doc)
        if not bad:
            self.docs.append(doc)

        def ok(path: JsonPath) -> bool:
            return not any(path[:cut] in bad for cut in range(1, len(path) + 1))

        for section in ("parameters", "terms", "conditions"):
            if not ok((section,)):
                continue
            for name, spec in data.get(section, {}).items():
                if ok((section, name)):
                    self._define(section, name, spec, doc)
                else:
                    self.broken[section].add(name)
        catalogue = data.get("catalogue", {}) if ok(("catalogue",)) else {}
        for part, table in (("channels", self.channels), ("issues", self.issues)):
            if not ok(("catalogue", part)):
                continue
            for name, spec in catalogue.get(part, {}).items():
                if ok(("catalogue", part, name)):
                    where = doc.where_key(("catalogue", part, name))
                    self._unique(table, name, (spec, where), f"catalogue {part.rstrip('s')}")
        for kind in ("routing", "lint"):
            if not ok((kind,)):
                continue
            for index, spec in enumerate(data.get(kind, [])):
                if not ok((kind, index)):
                    self.broken_rules += 1
                    rule_id = spec.get("id") if isinstance(spec, dict) else None
                    if isinstance(rule_id, str):  # still an id: a duplicate of it is reported now
                        self._rule_id(rule_id, doc.where((kind, index)))
                    continue
                if self._rule_id(spec["id"], doc.where((kind, index))):
                    self.rules.append((kind, spec, doc, (kind, index)))

    def _validate(self, doc: Document) -> set[JsonPath]:
        """Reports the document's schema problems; returns the paths of the broken parts: the entries
        (see _ENTRY_DEPTH), or a whole section (then the file's names are not all known)."""
        paths: list[JsonPath] = []
        describe = _item_of(doc)

        def item(path: JsonPath) -> str:  # validate() names each problem's path here
            paths.append(path)
            return describe(path)

        self.problems.extend(validate("rules.schema.json", doc, doc.data, (), item, self.contract))
        bad: set[JsonPath] = set()
        for path in paths:
            depth = _ENTRY_DEPTH.get(str(path[0]), 2) if path else 2
            bad.add(path[:depth])
            if len(path) < 2:  # the file (an unknown section) or a whole section of it
                self.unsure = True
        return bad

    def _define(self, section: str, name: str, spec: Any, doc: Document) -> None:
        where = doc.where_key((section, name))
        if section == "parameters":
            self._unique(self.parameters, name, (spec, where), "parameter")
        elif section == "conditions":
            self._unique(self.conditions, name, (spec, where), "condition")
        elif name in self.term_where:
            self._duplicate("term list", name, where, self.term_where[name])
        else:
            self.term_where[name] = where
            self.terms[name] = (tuple(spec.get("phrases", ())), tuple(spec.get("regex", ())))

    def _rule_id(self, rule_id: str, where: Location) -> bool:
        """Records a rule's id; False (and a problem) when an earlier rule has it."""
        if rule_id in self.rule_where:
            self._duplicate("rule", rule_id, where, self.rule_where[rule_id])
            return False
        self.rule_where[rule_id] = where
        return True

    def lexicon(self, bad_terms: set[str]) -> Lexicon:
        """What conditions may name: the good definitions, and a placeholder for each broken one
        (`bad_terms`: term lists whose patterns do not compile), or for any name when unsure."""
        terms: dict[str, Any] = {n: t for n, t in self.terms.items() if n not in bad_terms}
        parameters: dict[str, Any] = {n: v for n, (v, _) in self.parameters.items()}
        conditions: dict[str, Any] = {n: spec for n, (spec, _) in self.conditions.items()}
        tables: tuple[tuple[dict[str, Any], set[str], Any], ...] = (
            (terms, self.broken["terms"] | bad_terms, _PLACEHOLDER_TERMS),
            (parameters, self.broken["parameters"], 0),
            (conditions, self.broken["conditions"], {}),
        )
        for table, broken, placeholder in tables:
            table.update(dict.fromkeys(broken - table.keys(), placeholder))
        if self.unsure:
            terms, parameters, conditions = (_AnyName(t, p) for t, _, p in tables)
        return Lexicon(terms, parameters, conditions)

    def _unique(self, table: dict[str, Any], name: str, value: Any, what: str) -> None:
        if name in table:
            self._duplicate(what, name, value[1], table[name][1])
        else:
            table[name] = value

    def _duplicate(self, what: str, name: str, where: Location, first: Location) -> None:
        self.problems.append(
            Problem(
                where,
                f"{what} {name!r}",
                f"duplicate {what} id, first defined at {first}; rename or remove one",
            )
        )


def _example(spec: str | dict[str, Any], should_match: bool, where: Location) -> Example:
    if isinstance(spec, str):
        return Example(Ticket(spec), should_match, where)
    ticket = Ticket(
        spec["text"], spec.get("persona"), spec.get("submitted_via"), tuple(spec.get("attachments", ()))
    )
    return Example(ticket, should_match, where)


def _compile_rules(collected: _Collector, compiler: Compiler) -> list[Rule]:
    rules: list[Rule] = []
    for kind, spec, doc, path in collected.rules:
        if kind == "routing":
            sets, value = next(iter(spec["set"].items()))
            stage = FIELDS[: FIELDS.index(sets)]
        else:
            sets, value, stage = "finding", spec["finding"], FIELDS
        when = None
        if "when" in spec:
            try:
                when = compiler.compile(spec["when"], stage)
            except ConditionError as exc:
                collected.problems.append(
                    Problem(doc.where((*path, "when", *exc.path)), f"rule {spec['id']!r}", exc.message)
                )
                continue
        examples = tuple(
            _example(example, key == "match", doc.where((*path, "examples", key, i)))
            for key in ("match", "no_match")
            for i, example in enumerate(spec["examples"][key])
        )
        rules.append(
            Rule(
                id=spec["id"],
                kind=kind,
                description=spec["description"],
                source=spec["source"],
                sets=sets,
                value=value,
                priority=spec.get("priority", 0),
                when=when,
                examples=examples,
                location=doc.where(path),
                message=spec.get("message", ""),
                owner=spec.get("owner"),
                fingerprint=_fingerprint(spec, collected),
            )
        )
    return rules


def _fingerprint(spec: dict[str, Any], collected: _Collector) -> str:
    """A hash of the rule and of every term list, shared condition and parameter it names, so a
    change to any of them counts as a change to the rule (the gate reports it)."""
    parts: dict[str, Any] = {"rule": {k: v for k, v in spec.items() if k != "examples"}}
    pending: list[Any] = [spec]
    seen: set[str] = set()
    while pending:
        names = _strings(pending.pop())
        for name in sorted(names - seen):
            seen.add(name)
            if name in collected.terms:
                parts[f"terms.{name}"] = collected.terms[name]
            if name in collected.parameters:
                parts[f"parameters.{name}"] = collected.parameters[name][0]
            if name in collected.conditions:
                parts[f"conditions.{name}"] = collected.conditions[name][0]
                pending.append(collected.conditions[name][0])
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=list).encode()).hexdigest()


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


def _missing(collected: _Collector, root: str) -> Iterable[Problem]:
    """What every rule set needs. Not said of a name that is defined but broken, nor of anything
    when a file could not be read (it may be there): its own problem is reported instead."""
    if collected.unsure:
        return
    where = Location(root)
    for name in REQUIRED_PARAMETERS:
        if name not in collected.parameters and name not in collected.broken["parameters"]:
            yield Problem(
                where, "", f"parameter {name!r} is not defined; add it under `parameters:` in a rule file"
            )
    if GREETING_TERMS not in collected.terms and GREETING_TERMS not in collected.broken["terms"]:
        yield Problem(
            where, "", f"term list {GREETING_TERMS!r} is not defined; add it under `terms:` in a rule file"
        )
    if not collected.rules and not collected.broken_rules:
        yield Problem(where, "", "no routing or lint rules found; add rules under `routing:` or `lint:`")


def _bad_term_patterns(collected: _Collector) -> set[str]:
    """Every regex of every term list, used by a rule or not, must compile. Reports each bad one and
    returns the names of their lists (a rule using one is not told again)."""
    bad: set[str] = set()
    for name, (_, regexes) in collected.terms.items():
        for pattern in regexes:
            try:
                compile_regex(pattern)
            except PatternError as exc:
                bad.add(name)
                collected.problems.append(
                    Problem(collected.term_where[name], f"term list {name!r}", f"{exc}; fix the pattern")
                )
    return bad


def _cache_key(sources: Sequence[Source], digest: str, contract: Contract) -> str:
    """Names a cache entry: the rule files' bytes, how they are shown, the contract they are checked
    against, and the harness code that reads and compiles them (a change to any makes a new entry)."""
    key = hashlib.sha256(f"{rules_cache.FORMAT}\0{digest}\0{contract.digest}\0".encode())
    key.update("\0".join(label for _, label, _ in sources).encode())
    key.update(_code_digest().encode())
    return key.hexdigest()


@cache
def _code_digest() -> str:
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for folder in ("load", "match", "schemas", "data"):
        for path in sorted((package / folder).iterdir()):
            if path.is_file() and path.suffix in (".py", ".json", ".yaml"):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def load_rules(
    root: str | Path = "rules", shown_as: str | None = None, contract: Contract | None = None
) -> RuleSet:
    """Load, validate and compile every rule file under `root`. Raises HarnessError on bad input.

    `shown_as` replaces `root` in every location (e.g. "HEAD~1:rules" for rules read from git).
    `contract`: the labels the rules may name (default: the bundled contract); the rule set keeps it.
    A rule set that loaded once is read back from the cache (see cache.py) while its files are
    unchanged."""
    root = Path(root)
    sources: list[Source] = []
    problems: list[Problem] = []
    for path in rule_files(root):
        relative = str(path.relative_to(root) if root.is_dir() else path.name)
        label = str(path) if shown_as is None else f"{shown_as}/{relative}"
        try:
            sources.append((relative, label, read_text(path, label, MAX_RULE_FILE_BYTES)))
        except HarnessError as exc:  # go on: every file's problems are reported in one run
            problems.extend(exc.problems)
    return rules_from_sources(str(root), sources, problems, contract)


def rules_from_sources(
    root: str, sources: Sequence[Source], problems: Sequence[Problem] = (), contract: Contract | None = None
) -> RuleSet:
    """The rule set from rule files' texts: (path relative to the rules root, label, text) each.
    A worker process or a cluster node builds its rules this way from the texts it was sent."""
    contract = default_contract() if contract is None else contract
    digest = hashlib.sha256()
    for relative, _, text in sources:
        digest.update(relative.encode() + b"\0")
        digest.update(text.encode("utf-8") + b"\0")
    key = _cache_key(sources, digest.hexdigest(), contract)
    cached = None if problems else rules_cache.read(key)
    collected = _Collector(contract)
    if problems:
        collected.unreadable(problems)
    bad_terms: set[str] = set()
    if cached is None:
        for _, label, text in sources:
            try:
                collected.add(parse_yaml(text, label))
            except HarnessError as exc:
                collected.unreadable(exc.problems)
        bad_terms = _bad_term_patterns(collected)
    else:
        for doc in cached[0]:
            collected.add(doc, checked=True)
    matchers = cached[1] if cached else None
    rules = _assemble(collected, root, tuple(sources), digest.hexdigest(), matchers, bad_terms)
    if cached is None:  # _assemble raised on any problem: only a clean load is cached
        rules_cache.write(key, collected.docs, rules.matchers)
    return rules


def _assemble(
    collected: _Collector,
    root: str,
    sources: tuple[Source, ...],
    digest: str,
    matchers: list[Matcher] | None,
    bad_terms: set[str],
) -> RuleSet:
    """The rule set from collected documents; `matchers` (from the cache) are already checked,
    `bad_terms` are term lists whose patterns do not compile (reported already).

    Every check runs whatever the earlier ones found (schema, duplicates, patterns, what is
    missing, then conditions and rules against the names defined), and all problems are raised
    together: one run shows them all."""
    collected.problems.extend(_missing(collected, root))
    compiler = Compiler(collected.lexicon(bad_terms), known=matchers)
    for name, (spec, where) in collected.conditions.items():
        try:  # once on its own, so a mistake inside a shared condition points at the condition
            compiler.compile(spec, FIELDS)
        except ConditionError as exc:
            collected.problems.append(Problem(where, f"condition {name!r}", exc.message))
    rules = _compile_rules(collected, compiler)
    if collected.problems:
        raise HarnessError(collected.problems)
    parameters = {name: value for name, (value, _) in collected.parameters.items()}
    greeting_phrases, greeting_regexes = collected.terms[GREETING_TERMS]
    try:
        greeting = compiler.matcher(greeting_phrases, greeting_regexes, False)
    except PatternError as exc:
        raise HarnessError.at(
            collected.term_where[GREETING_TERMS], f"{exc}; fix the pattern", "term list 'greeting'"
        ) from None
    return RuleSet(
        routing=tuple(sorted((r for r in rules if r.kind == "routing"), key=lambda r: r.id)),
        lint=tuple(sorted((r for r in rules if r.kind == "lint"), key=lambda r: r.id)),
        channels={
            name: ChannelInfo(
                spec["name"], tuple(spec["path"]), tuple(spec["expect"]), frozenset(spec.get("reaches", ()))
            )
            for name, (spec, _) in sorted(collected.channels.items())
        },
        issues={
            name: IssueInfo(tuple(spec["needs"]), tuple(spec["expect"]))
            for name, (spec, _) in sorted(collected.issues.items())
        },
        parameters=parameters,
        greeting=greeting,
        digest=digest,
        files=tuple(label for _, label, _ in sources),
        contract=collected.contract,
        matchers=compiler.matchers,
        root=root,
        sources=sources,
    )
