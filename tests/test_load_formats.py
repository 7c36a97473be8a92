"""Scenario corpora in four formats: YAML, JSON Lines, CSV and Parquet read to the same scenarios,
one message per problem with its file and line, --skip-invalid, duplicate ids, reading as a stream."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import harness
from harness.contract import default_contract
from harness.errors import HarnessError, Location, Problem
from harness.load import scenarios as loader
from harness.load import source, tabular
from harness.load.validate import schema, validate
from harness.model import Scenario
from tests.support import ROOT

# Every optional field present and absent, findings unlabelled, labelled empty and labelled;
# texts with commas, quotes, line breaks and non-ASCII.
SCENARIOS: list[dict[str, Any]] = [
    {
        "id": "s1",
        "ticket": {"text": "where is my package, order 5761?"},
        "expect": {"persona": "shopper", "issue": "order", "channel": "shopper_app_help"},
    },
    {
        "id": "s2",
        "source": "export 2024-05",
        "tags": ["holdout", "golden"],
        "ticket": {
            "text": 'locked out of "seller center"\nthe 2fa code never arrives,\r\nplease help',
            "persona": "seller",
            "submitted_via": "seller_center_chat",
            "attachments": ["screen.png", "log, day 1.txt"],
        },
        "expect": {
            "persona": "seller",
            "issue": "account_access",
            "channel": "seller_contact_form",
            "findings": ["outcome-not-stated", "missing-shop-id"],
        },
    },
    {
        "id": "s3",
        "ticket": {"text": "Wo ist mein Paket? 包裹在哪里 😕", "persona": None, "attachments": []},
        "expect": {"persona": "creator", "issue": "payout", "channel": "creator_help_chat", "findings": []},
    },
]


def _row(scenario: dict[str, Any]) -> dict[str, Any]:
    """A scenario in the flat column layout, lists as lists."""
    ticket, expect = scenario["ticket"], scenario["expect"]
    return {
        "id": scenario["id"],
        "text": ticket["text"],
        "persona": ticket.get("persona"),
        "submitted_via": ticket.get("submitted_via"),
        "attachments": ticket.get("attachments") or [],
        "expect_persona": expect["persona"],
        "expect_issue": expect["issue"],
        "expect_channel": expect["channel"],
        "expect_findings": expect.get("findings"),
        "tags": scenario.get("tags") or [],
        "source": scenario.get("source"),
    }


def _csv_cell(column: str, value: Any) -> str:
    if column == "expect_findings" and value == []:
        return "none"
    if isinstance(value, list):
        return ";".join(value)
    return "" if value is None else str(value)


def write_csv(path: Path, rows: list[dict[str, Any]], *, bom: bool = False, crlf: bool = True) -> Path:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    columns = list(rows[0])
    writer.writerow(columns)
    writer.writerows([_csv_cell(c, row[c]) for c in columns] for row in rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + out.getvalue().encode())
    return path


def write_parquet(path: Path, rows: list[dict[str, Any]], *, lists_as_text: bool = False, group: int = 2) -> Path:
    def column(name: str) -> pa.Array:
        values = [row[name] for row in rows]
        if name in tabular.LIST_COLUMNS:
            if lists_as_text:
                return pa.array([None if v is None else _csv_cell(name, v) for v in values], pa.string())
            return pa.array(values, pa.list_(pa.string()))
        return pa.array(values, pa.string())

    pq.write_table(pa.table({name: column(name) for name in rows[0]}), path, row_group_size=group)
    return path


def write_jsonl(path: Path, scenarios: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(s) + "\n" for s in scenarios), encoding="utf-8")
    return path


def write_yaml(path: Path, scenarios: list[dict[str, Any]]) -> Path:
    path.write_text(yaml.safe_dump(scenarios, allow_unicode=True), encoding="utf-8")
    return path


WRITERS: dict[str, Callable[[Path, list[dict[str, Any]]], Path]] = {
    "yaml": lambda d, s: write_yaml(d / "a.yaml", s),
    "jsonl": lambda d, s: write_jsonl(d / "a.jsonl", s),
    "csv, CRLF": lambda d, s: write_csv(d / "a.csv", [_row(x) for x in s]),
    "csv, BOM and LF": lambda d, s: write_csv(d / "a.csv", [_row(x) for x in s], bom=True, crlf=False),
    "parquet, list columns": lambda d, s: write_parquet(d / "a.parquet", [_row(x) for x in s]),
    "parquet, ; columns": lambda d, s: write_parquet(d / "a.parquet", [_row(x) for x in s], lists_as_text=True),
}


def _unplaced(scenarios: list[Scenario]) -> list[Scenario]:
    return [replace(s, location=Location("")) for s in scenarios]


def _message(exc: HarnessError | list[Problem], root: Path) -> str:
    problems = exc.problems if isinstance(exc, HarnessError) else exc
    return "\n".join(str(p) for p in problems).replace(f"{root}/", "")


def _error(paths: list[Path], root: Path) -> str:
    with pytest.raises(HarnessError) as caught:
        list(harness.iter_scenarios(paths))
    return _message(caught.value, root)


@pytest.mark.parametrize("form", sorted(WRITERS))
def test_every_format_reads_to_the_same_scenarios(form: str, tmp_path: Path) -> None:
    expected = _unplaced(harness.load_scenarios(write_yaml(tmp_path / "expected.yaml", SCENARIOS)))
    loaded = harness.load_scenarios(WRITERS[form](tmp_path, SCENARIOS))
    assert _unplaced(loaded) == expected
    assert [s.expect.findings for s in loaded] == [None, {"outcome-not-stated", "missing-shop-id"}, frozenset()]


def test_locations_csv_the_line_a_row_starts_on_parquet_the_row(tmp_path: Path) -> None:
    rows = [_row(s) for s in SCENARIOS]  # s2's text spans three lines
    csv_lines = [s.location.line for s in harness.load_scenarios(write_csv(tmp_path / "a.csv", rows))]
    parquet_rows = [s.location.line for s in harness.load_scenarios(write_parquet(tmp_path / "a.parquet", rows))]
    assert (csv_lines, parquet_rows) == ([2, 3, 6], [1, 2, 3])


def test_optional_columns_may_be_left_out_and_empty_cells_are_absent(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("expect_channel,id,text,expect_persona,expect_issue,persona\r\nshopper_app_help,7,hi,shopper,order,\r\n")
    (scenario,) = harness.load_scenarios(path)
    assert (scenario.id, scenario.ticket.persona, scenario.expect.findings, scenario.tags) == ("7", None, None, ())


GOOD = {
    "id": "s1",
    "text": "hi",
    "expect_persona": "seller",
    "expect_issue": "listing",
    "expect_channel": "seller_center_chat",
}
SCENARIO_LINE = json.dumps(
    {"id": "s1", "ticket": {"text": "hi"}, "expect": {"persona": "seller", "issue": "listing", "channel": "seller_center_chat"}}
)


def _csv(*rows: dict[str, str], columns: tuple[str, ...] = tabular.COLUMNS) -> str:
    """A CSV file's text: the header, then each row as GOOD with its changes."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([{**GOOD, **row}.get(c, "") for c in columns] for row in rows)
    return out.getvalue()


def _parquet(*rows: dict[str, Any], columns: tuple[str, ...] = tabular.COLUMNS) -> bytes:
    """A Parquet file's bytes, string columns, each row as GOOD with its changes."""
    table = pa.table({c: pa.array([{**GOOD, **row}.get(c) for row in rows], pa.string()) for c in columns})
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


BAD_INPUT = {
    "missing column": (
        {"a.csv": _csv({}, columns=tuple(c for c in tabular.COLUMNS if c != "expect_issue"))},
        "a.csv:1: missing column 'expect_issue'; add it",
    ),
    "unknown column": (
        {"a.csv": _csv({}, columns=(*tabular.COLUMNS, "tag"))},
        "a.csv:1: unknown column 'tag' (did you mean 'tags'?); remove it or correct the spelling",
    ),
    "repeated column": (
        {"a.csv": _csv({}, columns=("text", *tabular.COLUMNS))},
        "a.csv:1: column 'text' appears 2 times; keep one",
    ),
    "bad label, after a row of three lines": (
        {"a.csv": _csv({"text": "two\nlines\n"}, {"id": "s2", "expect_channel": "seller_contact_from"})},
        "a.csv:5: scenario 's2': unknown channel 'seller_contact_from' (did you mean 'seller_contact_form'?);"
        " valid: shopper_app_help, seller_center_chat, seller_contact_form, creator_help_chat, creator_help_ticket, seller_appeal, creator_appeal, account_manager_escalation, creator_program_escalation, program_team (`harness labels` lists them all)",
    ),
    "unknown finding in a list cell": (
        {"a.csv": _csv({"expect_findings": "missing-order-id; no-evidense"})},
        "a.csv:2: scenario 's1': unknown finding 'no-evidense' (did you mean 'no-evidence'?);"
        " valid: outcome-not-stated, missing-order-id, shop-id-instead-of-order-id, missing-sku, missing-shop-id, missing-violation-id, missing-shop-name, ids-not-upfront, no-evidence, hostile-tone, generic-appeal, no-rule-cited, appeal-too-long, asks-policy-exception, asks-goodwill-reversal, asks-block-return, asks-shorten-wait, wrong-channel (`harness labels` lists them all)",
    ),
    "empty required cell": ({"a.csv": _csv({"text": ""})}, "a.csv:2: scenario 's1': missing key 'text'; add it"),
    "row too wide": (
        {"a.csv": _csv({}) + "s2,hi,a,b,c,d,e,f,g,h,i,j\r\n"},
        "a.csv:3: the row has 12 cells, the header 11; quote a cell holding a comma",
    ),
    "stray quote": (
        {"a.csv": _csv({}) + 's2,"hi"!,,,,seller,listing,seller_center_chat,,,\r\n'},
        "a.csv:3: CSV syntax error: ',' expected after '\"'; fix the quoting",
    ),
    "text over the limit": (
        {"a.csv": _csv({"text": "x" * 100_001})},
        "a.csv:2: scenario 's1': text has 100001 characters, over the limit of 100000; shorten it",
    ),
    "record over the limit (a quote left open)": (
        {"a.csv": _csv({}) + 's2,"hi,,,,seller,listing,seller_center_chat,,,\r\n' + "x,\r\n" * 1_100_000},
        "a.csv:3: record is over the 4194304 byte limit for one scenario; shorten it or close the quote left open in it",
    ),
    "not UTF-8": (
        {"a.csv": _csv({}).encode() + "s2,café,,,,seller,listing,seller_center_chat,,,\r\n".encode("latin-1")},
        "a.csv:3:7: line is not UTF-8 (byte 0xe9); save the file as UTF-8",
    ),
    "duplicate id across files": (
        {"a.jsonl": SCENARIO_LINE + "\n", "b.csv": _csv({})},
        "b.csv:2: scenario 's1': duplicate scenario id (an earlier scenario has it); give it a new id",
    ),
    "duplicate id in a YAML file names the first": (
        {"a.yaml": yaml.safe_dump([json.loads(SCENARIO_LINE), json.loads(SCENARIO_LINE)])},
        "a.yaml:8:3: scenario 's1': duplicate scenario id, first at a.yaml:1:3; give it a new id",
    ),
    "bad row in Parquet": (
        {"a.parquet": _parquet({}, {"id": "s2", "expect_persona": "nobody"})},
        "a.parquet:2: scenario 's2': unknown persona 'nobody'; valid: shopper, seller, creator (`harness labels` lists them all)",
    ),
    "text over the limit in Parquet": (
        {"a.parquet": _parquet({"text": "x" * 100_001})},
        "a.parquet:1: scenario 's1': text has 100001 characters, over the limit of 100000; shorten it",
    ),
    "unknown column in Parquet": (
        {"a.parquet": _parquet({}, columns=(*tabular.REQUIRED_COLUMNS, "expect_finding"))},
        "a.parquet: unknown column 'expect_finding' (did you mean 'expect_findings'?); remove it or correct the spelling",
    ),
}


def _write(root: Path, files: dict[str, str | bytes]) -> list[Path]:
    for name, content in files.items():
        (root / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    return [root / name for name in files]


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_in_every_format_is_located(case: str, tmp_path: Path) -> None:
    files, expected = BAD_INPUT[case]
    assert _error(_write(tmp_path, files), tmp_path) == expected


def test_a_file_that_is_not_parquet_says_what_pyarrow_found(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, {"a.parquet": b"id,text\n"}), tmp_path)
    assert message.startswith("a.parquet: cannot read as Parquet (")
    assert message.endswith("); check that it is a Parquet file")


def test_skip_invalid_leaves_out_exactly_the_bad_rows(tmp_path: Path) -> None:
    good = json.loads(SCENARIO_LINE)
    lines = [
        json.dumps({**good, "id": "j1"}),
        json.dumps({**good, "id": "j2", "expect": {**good["expect"], "issue": "lisitng"}}),
        '{"id": "j3", ',
        json.dumps({**good, "id": "j4", "source": "x" * source.MAX_RECORD_BYTES}),
        json.dumps({**good, "id": "j1"}),
        json.dumps({**good, "id": "j5"}),
    ]
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("\n".join(lines) + "\n")
    table = tmp_path / "b.csv"
    table.write_text(_csv({"id": "c1"}, {"id": "c2", "expect_persona": "sellr"}, {"id": "j5"}) + "c3,hi\r\n")
    skipped: list[Problem] = []
    loaded = list(harness.iter_scenarios([jsonl, table], skip_invalid=True, skipped=skipped))
    assert [s.id for s in loaded] == ["j1", "j5", "c1"]
    assert _message(skipped, tmp_path) == (
        "a.jsonl:2:1: scenario 'j2': unknown issue 'lisitng' (did you mean 'listing'?); valid: order, refund, return, payment, cancellation, account_access, listing, shop_health, policy_question, payout, payout_hold, dispute, buyer_order, enforcement_appeal, general_inquiry, content_takedown, sample_shipment, creator_appeal, partnership, policy_disagreement, technical, escalation (`harness labels` lists them all)\n"
        "a.jsonl:3:14: invalid JSON: Expecting property name enclosed in double quotes; fix this line\n"
        "a.jsonl:4:1: record is over the 4194304 byte limit for one scenario; shorten it\n"
        "a.jsonl:5:1: scenario 'j1': duplicate scenario id (an earlier scenario has it); give it a new id\n"
        "b.csv:3: scenario 'c2': unknown persona 'sellr' (did you mean 'seller'?); valid: shopper, seller, creator (`harness labels` lists them all)\n"
        "b.csv:4: scenario 'j5': duplicate scenario id (an earlier scenario has it); give it a new id\n"
        "b.csv:5: the row has 2 cells, the header 11; quote a cell holding a comma"
    )


def test_without_skip_invalid_every_bad_row_is_reported_and_nothing_after_the_first_is_yielded(tmp_path: Path) -> None:
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(f"{SCENARIO_LINE}\n{{\n{SCENARIO_LINE.replace('s1', 's2')}\n[\n{SCENARIO_LINE.replace('s1', 's3')}\n")
    stream = harness.iter_scenarios([jsonl])
    assert next(stream).id == "s1"
    with pytest.raises(HarnessError) as caught:
        next(stream)
    assert _message(caught.value, tmp_path) == (
        "a.jsonl:2:2: invalid JSON: Expecting property name enclosed in double quotes; fix this line\n"
        "a.jsonl:4:2: invalid JSON: Expecting value; fix this line"
    )


def test_skip_invalid_still_stops_at_a_bad_file(tmp_path: Path) -> None:
    table = tmp_path / "a.csv"
    table.write_text(_csv({}, columns=(*tabular.COLUMNS, "notes")))
    skipped: list[Problem] = []
    with pytest.raises(HarnessError) as caught:
        list(harness.iter_scenarios([table], skip_invalid=True, skipped=skipped))
    assert _message(caught.value, tmp_path) == "a.csv:1: unknown column 'notes'; remove it or correct the spelling"
    assert skipped == []


def test_directories_hold_every_format(tmp_path: Path) -> None:
    for form, name in (("yaml", "a"), ("jsonl", "b"), ("csv, CRLF", "c"), ("parquet, list columns", "d")):
        folder = tmp_path / name
        folder.mkdir()
        WRITERS[form](folder, [{**s, "id": f"{name}-{s['id']}"} for s in SCENARIOS])
    (tmp_path / "notes.txt").write_text("not a corpus")
    assert len(harness.load_scenarios(tmp_path)) == 4 * len(SCENARIOS)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _error([empty], tmp_path) == (
        "empty: no scenario files (*.yaml, *.yml, *.jsonl, *.csv, *.parquet) here; check the path"
    )


class _Spy:
    """open_binary that keeps the streams it opens, to see how far a reader has read."""

    def __init__(self) -> None:
        self.streams: list[Any] = []
        self._open = source.open_binary

    def __call__(self, path: Path, label: str) -> Any:
        stream = self._open(path, label)
        self.streams.append(stream)
        return stream


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_the_first_scenario_comes_before_the_file_is_read(suffix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    many = [{**SCENARIOS[1], "id": f"s{i}"} for i in range(5_000)]
    path = {
        ".jsonl": lambda: write_jsonl(tmp_path / "a.jsonl", many),
        ".csv": lambda: write_csv(tmp_path / "a.csv", [_row(s) for s in many]),
        ".parquet": lambda: write_parquet(tmp_path / "a.parquet", [_row(s) for s in many], group=500),
    }[suffix]()
    spy = _Spy()
    monkeypatch.setattr(source, "open_binary", spy)
    monkeypatch.setattr(tabular, "open_binary", spy)
    stream = harness.iter_scenarios([path])
    assert next(stream).id == "s0"
    (opened,) = spy.streams
    assert opened.tell() < path.stat().st_size / 4
    assert sum(1 for _ in stream) == len(many) - 1


def test_ids_cost_8_to_32_bytes_each() -> None:
    ids = loader._SeenIds()
    ids.start_file(keep_locations=False)
    where = Location("a.jsonl")
    assert all(ids.duplicate(f"s{i}", where) is None for i in range(300_000))
    assert ids.duplicate("s299999", where) == "duplicate scenario id (an earlier scenario has it); give it a new id"
    assert ids._hashes._slots.itemsize * len(ids._hashes._slots) <= 8 * 2**20


@given(st.lists(st.integers(1, 2**64 - 1), max_size=3000))
@settings(max_examples=50, deadline=None)
def test_the_hash_set_is_a_set(keys: list[int]) -> None:
    hashes, seen = loader._HashSet(), set()
    for key in keys:
        assert hashes.add(key) == (key not in seen)
        seen.add(key)


# The fast check must accept nothing the schema refuses: scenarios mostly valid, each part wrong
# one time in eight (another type, a label of another kind, a length or count just past its limit).
_DEFS = schema("scenario.schema.json")["$defs"]
_OTHER_TYPE = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.just([]), st.just({}))


def _mostly(valid: st.SearchStrategy[Any], wrong: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.integers(0, 7).flatmap(lambda k: wrong if k == 0 else valid)


def _label(kind: str) -> st.SearchStrategy[Any]:
    wrong = st.sampled_from(["", "nope", "Seller", "refund ", "missing-order-id", "shopper"])
    return _mostly(st.sampled_from(_DEFS[kind]["enum"]), st.one_of(wrong, _OTHER_TYPE))


def _text(limit: int, least: int = 0) -> st.SearchStrategy[Any]:
    edges = st.sampled_from(["x" * n for n in (least, limit, limit + 1)])
    return _mostly(st.one_of(st.text(min_size=max(least, 1), max_size=4), edges), _OTHER_TYPE)


def _list(item: st.SearchStrategy[Any], edges: list[list[Any]]) -> st.SearchStrategy[Any]:
    return _mostly(st.one_of(st.none(), st.lists(item, max_size=3), st.sampled_from(edges)), _OTHER_TYPE)


_AT_100 = [["t"] * 100, ["t"] * 101]


_SCENARIO = st.fixed_dictionaries(
    {
        "id": _mostly(_text(200, least=1), st.sampled_from([7, 1.0, True, None])),
        "ticket": _mostly(
            st.fixed_dictionaries(
                {"text": _text(100_000, least=1)},
                optional={
                    "persona": _label("persona_or_null"),
                    "submitted_via": _label("arrival_channel_or_null"),
                    "attachments": _list(_text(500), _AT_100),
                    "note": st.just(1),
                },
            ),
            _OTHER_TYPE,
        ),
        "expect": _mostly(
            st.fixed_dictionaries(
                {"persona": _label("persona"), "issue": _label("issue"), "channel": _label("channel")},
                optional={"findings": _list(_label("finding"), [["no-evidence", "no-evidence"]]), "note": st.just(1)},
            ),
            _OTHER_TYPE,
        ),
    },
    optional={"source": _mostly(_text(2000), st.none()), "tags": _list(_text(200), _AT_100), "note": st.just(1)},
)


@given(_SCENARIO)
@settings(max_examples=500, deadline=None)
def test_the_fast_check_agrees_with_the_schema(data: dict[str, Any]) -> None:
    """It accepts nothing the schema refuses, and refuses nothing valid but an id written 1.0."""
    contract = default_contract()
    document = source.Document(data, "f", {}, {})
    valid = validate("scenario.schema.json", document, data, (), lambda _p: "", contract) == []
    assert loader._plainly_valid(data, loader._shape(contract)) == (valid and type(data["id"]) is not float)


def test_the_fast_check_accepts_every_bundled_scenario(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any) -> list[Problem]:
        raise AssertionError("jsonschema was asked about a valid scenario")

    monkeypatch.setattr(loader, "validate", refuse)
    assert len(harness.load_scenarios(ROOT / "scenarios")) > 500


def _constraints(node: dict[str, Any], path: str = "") -> set[str]:
    """Each constraint of a schema node and below as `path:keyword=value`; limits and labels, which
    the fast check reads from the schema itself, without their values."""
    found: set[str] = set()
    for keyword, value in node.items():
        if keyword == "properties":
            found |= {c for name, sub in value.items() for c in _constraints(sub, f"{path}.{name}")}
        elif keyword == "items":
            found |= _constraints(value, f"{path}[]")
        elif keyword == "$defs":
            found |= {f"#{name}:{key}" for name, sub in value.items() for key in sub}
        elif keyword in ("minLength", "maxLength", "maxItems"):
            found.add(f"{path}:{keyword}")
        elif keyword not in ("$id", "$schema", "title", "description"):
            found.add(f"{path}:{keyword}={json.dumps(value)}")
    return found


def test_the_fast_check_knows_every_constraint_of_the_scenario_schema() -> None:
    """A constraint added to the scenario schema must be added to _plainly_valid too, then here."""
    labels = {f"#{name}:{key}" for name in schema("scenario.schema.json")["$defs"] for key in ("enum", "title")}
    assert _constraints(schema("scenario.schema.json")) - labels == {
        ':type="object"',
        ':required=["id", "ticket", "expect"]',
        ":additionalProperties=false",
        '.id:type=["string", "integer"]',
        ".id:minLength",
        ".id:maxLength",
        '.source:type=["string", "null"]',
        ".source:maxLength",
        '.tags:type=["array", "null"]',
        ".tags:maxItems",
        '.tags[]:type="string"',
        ".tags[]:maxLength",
        '.ticket:type="object"',
        '.ticket:required=["text"]',
        ".ticket:additionalProperties=false",
        '.ticket.text:type="string"',
        ".ticket.text:minLength",
        ".ticket.text:maxLength",
        '.ticket.persona:$ref="#/$defs/persona_or_null"',
        '.ticket.submitted_via:$ref="#/$defs/arrival_channel_or_null"',
        '.ticket.attachments:type=["array", "null"]',
        ".ticket.attachments:maxItems",
        '.ticket.attachments[]:type="string"',
        ".ticket.attachments[]:maxLength",
        '.expect:type="object"',
        '.expect:required=["persona", "issue", "channel"]',
        ".expect:additionalProperties=false",
        '.expect.persona:$ref="#/$defs/persona"',
        '.expect.issue:$ref="#/$defs/issue"',
        '.expect.channel:$ref="#/$defs/channel"',
        '.expect.findings:type=["array", "null"]',
        ".expect.findings:uniqueItems=true",
        '.expect.findings[]:$ref="#/$defs/finding"',
    }
