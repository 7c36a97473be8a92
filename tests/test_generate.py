"""`harness generate`: a deterministic synthetic corpus, in three formats, written only where allowed."""

from __future__ import annotations

import csv
import json
import os
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import harness.generate as gen
from harness.contract import Contract, default_contract
from harness.errors import HarnessError
from harness.generate import generate, jsonl_lines, write_corpus
from harness.generate.ids import order_id, shop_id, tracking_number
from harness.generate.writers import COLUMNS
from harness.load.scenarios import load_scenarios

BUNDLED = default_contract()  # the contract the bundled rules and scenarios use

NOT_GENERATED = "exists and was not written by harness generate; choose another path, or delete it yourself"


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, Any]]:
    return list(generate(2000, seed=11))


def _words(text: str) -> int:
    return len(text.split())


def test_same_seed_same_bytes_in_every_format_another_seed_another_corpus(tmp_path: Path) -> None:
    for fmt in gen.FORMATS:
        first, again, other = (tmp_path / f"{name}.{fmt}" for name in ("first", "again", "other"))
        assert write_corpus(first, 300, 5, fmt) == 300
        write_corpus(again, 300, 5, fmt)
        write_corpus(other, 300, 6, fmt)
        assert first.read_bytes() == again.read_bytes()
        assert first.read_bytes() != other.read_bytes()
    assert list(generate(50, 5)) == list(generate(50, 5))


def test_every_persona_issue_and_channel_of_the_contract_appears(corpus: list[dict[str, Any]]) -> None:
    expects = [r["expect"] for r in corpus]
    assert {e["persona"] for e in expects} == set(BUNDLED.personas)
    assert {e["issue"] for e in expects} == set(BUNDLED.all_issues)
    assert {e["channel"] for e in expects} == set(BUNDLED.channels)
    assert {r["ticket"].get("submitted_via") for r in corpus} >= {None, *BUNDLED.arrival_only_channels}
    assert any(e.get("findings") is None for e in expects)
    assert any(e.get("findings") == [] for e in expects)


def test_every_label_is_in_the_contract_and_fits_the_persona(corpus: list[dict[str, Any]]) -> None:
    arrivals = {*BUNDLED.channels, *BUNDLED.arrival_only_channels, None}
    width = len("2000")
    assert [r["id"] for r in corpus] == [f"gen-{n:0{width}d}" for n in range(1, 2001)]
    for r in corpus:
        ticket, expect = r["ticket"], r["expect"]
        assert expect["persona"] in BUNDLED.personas
        assert expect["issue"] in (*BUNDLED.issues[expect["persona"]], *BUNDLED.issues["any"])
        assert expect["channel"] in BUNDLED.channels
        assert ticket.get("persona") in (None, expect["persona"])
        assert ticket.get("submitted_via") in arrivals
        assert r["tags"][:2] == ["generated", expect["persona"]]
        assert r["source"] == "harness generate --tickets 2000 --seed 11"
        findings = expect.get("findings")
        if findings is None:
            continue
        assert set(findings) <= set(BUNDLED.findings) and len(set(findings)) == len(findings)
        for finding, issues in BUNDLED.needs.items():  # a missing-ID finding only where the ID is needed
            assert finding not in findings or expect["issue"] in issues, (finding, r)
        if "shop-id-instead-of-order-id" in findings:
            assert "missing-order-id" in findings
        via = ticket.get("submitted_via")
        assert ("wrong-channel" in findings) == (via is not None and via != expect["channel"]), r
        if expect["issue"] in ("enforcement_appeal", "creator_appeal"):
            assert ("appeal-too-long" in findings) == (_words(ticket["text"]) > 200), r
        else:
            assert "appeal-too-long" not in findings


def test_texts_are_within_the_limit_and_mostly_short_with_a_long_tail(corpus: list[dict[str, Any]]) -> None:
    texts = [r["ticket"]["text"] for r in corpus]
    assert all(0 < len(t) <= 100_000 for t in texts)
    assert not any(t[0] in "=+-@" for t in texts)  # nothing a spreadsheet would run as a formula
    words = sorted(_words(t) for t in texts)
    assert 20 <= words[len(words) // 2] <= 60
    assert words[-1] >= 300
    assert all(_words(r["ticket"]["text"]) >= 60 for r in corpus if "long" in r["tags"])
    assert len(set(texts)) > 0.95 * len(texts)


def test_ids_look_like_tiktok_shop_ids() -> None:
    rng = random.Random(3)
    for _ in range(200):
        assert re.fullmatch(r"5[78]\d{16,17}", order_id(rng))
        assert re.fullmatch(r"7[45]\d{11}|7[45]\d{17}", shop_id(rng))
        assert re.fullmatch(r"9\d{21}|1Z[A-Z0-9]{16}|\d{12}", tracking_number(rng))


def test_each_jsonl_line_is_json_dumps_of_its_record() -> None:
    lines = list(jsonl_lines(2000, 4))
    records = list(generate(2000, 4))
    assert lines == [json.dumps(r, ensure_ascii=False) + "\n" for r in records]


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    ticket, expect = record["ticket"], record["expect"]
    return {
        "id": record["id"],
        "text": ticket["text"],
        "persona": ticket.get("persona"),
        "submitted_via": ticket.get("submitted_via"),
        "attachments": ticket.get("attachments", []),
        "expect_persona": expect["persona"],
        "expect_issue": expect["issue"],
        "expect_channel": expect["channel"],
        "expect_findings": expect.get("findings"),
        "tags": record["tags"],
        "source": record["source"],
    }


def _from_csv(row: dict[str, str]) -> dict[str, Any]:
    def listed(cell: str) -> list[str]:
        return cell.split(";") if cell else []

    findings = row["expect_findings"]
    return {
        **row,
        "persona": row["persona"] or None,
        "submitted_via": row["submitted_via"] or None,
        "attachments": listed(row["attachments"]),
        "expect_findings": None if findings == "" else [] if findings == "none" else listed(findings),
        "tags": listed(row["tags"]),
    }


def test_the_three_formats_carry_the_same_scenarios(tmp_path: Path) -> None:
    for fmt in gen.FORMATS:
        write_corpus(tmp_path / f"c.{fmt}", 500, 9, fmt)
    with (tmp_path / "c.jsonl").open(encoding="utf-8") as handle:
        expected = [_flat(json.loads(line)) for line in handle]
    with (tmp_path / "c.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        from_csv = [_from_csv(row) for row in reader]
    table = pq.read_table(tmp_path / "c.parquet")
    assert tuple(table.column_names) == COLUMNS
    assert table.schema.metadata[b"harness-generate"] == b"harness generate --tickets 500 --seed 9"
    assert len(expected) == 500
    assert from_csv == expected
    assert table.to_pylist() == expected
    labels = [r["expect_findings"] for r in expected]
    assert None in labels and [] in labels  # both "not labelled" and "labelled: none" went through


def test_the_loader_reads_a_generated_jsonl_file(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    write_corpus(path, 300, 2, "jsonl")
    scenarios = load_scenarios([path])
    assert len(scenarios) == 300
    first = next(generate(300, 2))
    assert scenarios[0].id == first["id"] == "gen-001"
    assert scenarios[0].ticket.text == first["ticket"]["text"]
    assert scenarios[0].expect.issue == first["expect"]["issue"]


@pytest.mark.parametrize(
    "content",
    [
        b"hello\n",
        b"",
        b'{"id": "x", "source": "my own corpus", "ticket": {"text": "t"}}\n',
        (",".join(COLUMNS) + "\nx,t,,,,shopper,order,shopper_app_help,,,my own corpus\n").encode(),
        b"PAR1 not really parquet",
    ],
    ids=["text", "empty", "other-jsonl", "other-csv", "fake-parquet"],
)
def test_refuses_to_overwrite_a_file_it_did_not_write(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "mine.jsonl"
    path.write_bytes(content)
    with pytest.raises(HarnessError) as error:
        write_corpus(path, 10, 0, "jsonl")
    assert str(error.value) == f"{path}: {NOT_GENERATED}"
    assert path.read_bytes() == content
    assert os.listdir(tmp_path) == ["mine.jsonl"]


def test_refuses_folders_links_and_missing_folders(tmp_path: Path) -> None:
    (tmp_path / "real.jsonl").write_text("x\n")
    (tmp_path / "link.jsonl").symlink_to(tmp_path / "real.jsonl")
    cases = {
        tmp_path: "is a folder; name a file in it, e.g. corpus.jsonl",
        tmp_path / "link.jsonl": "is a symbolic link; name a regular file, e.g. corpus.jsonl",
        tmp_path / "nope" / "c.jsonl": (
            f"the folder {tmp_path / 'nope'} does not exist; create it or choose another path"
        ),
    }
    for path, message in cases.items():
        with pytest.raises(HarnessError) as error:
            write_corpus(path, 10, 0, "jsonl")
        assert str(error.value) == f"{path}: {message}"
    assert (tmp_path / "real.jsonl").read_text() == "x\n"


def test_replaces_a_file_it_wrote_in_any_format(tmp_path: Path) -> None:
    path = tmp_path / "corpus.out"
    for fmt in ("jsonl", "csv", "parquet", "jsonl"):
        assert write_corpus(path, 20, 1, fmt) == 20
    head = b'{"id": "gen-01", "source": "harness generate --tickets 20 --seed 1"'
    assert path.read_bytes().startswith(head)
    assert os.listdir(tmp_path) == ["corpus.out"]


def test_a_failed_run_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "corpus.jsonl"
    write_corpus(path, 20, 1, "jsonl")
    before = path.read_bytes()

    def broken(tickets: int, seed: int = 0, contract: Contract | None = None) -> Iterator[str]:
        yield from jsonl_lines(10, seed, contract)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(gen, "jsonl_lines", broken)
    with pytest.raises(RuntimeError):
        write_corpus(path, 20_000, 2, "jsonl")
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["corpus.jsonl"]


def test_bad_counts_and_formats_are_refused(tmp_path: Path) -> None:
    with pytest.raises(HarnessError, match="--tickets must be at least 1, not 0"):
        write_corpus(tmp_path / "c.jsonl", 0, 0, "jsonl")
    with pytest.raises(HarnessError, match="--format must be one of jsonl, csv, parquet, not 'xml'"):
        write_corpus(tmp_path / "c.jsonl", 5, 0, "xml")
    assert os.listdir(tmp_path) == []
