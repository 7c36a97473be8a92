"""Corpus health from the mergeable sketch: the same findings as comparing every pair of texts."""

from __future__ import annotations

import pickle
import random
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

import harness
from harness.evaluate import health
from harness.evaluate.health import Banding, HealthSketch, health_report, normalize
from harness.plain import to_plain
from tests.support import ROOT

Row = tuple[str, str, tuple[str, str, str]]

SHOP = ("shopper", "order", "shopper_app_help")
SELL = ("seller", "order", "seller_center_chat")
CANCEL = ("shopper", "cancellation", "shopper_app_help")


def all_pairs(rows: Sequence[Row], cutoff: float = 90.0) -> dict[str, Any]:
    """The oracle: every text against every other with cdist, as corpus_health did before."""
    texts = [normalize(text) for _, text, _ in rows]
    scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=cutoff, workers=1)
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    conflicts = []
    for i, j in zip(*scores.nonzero(), strict=True):
        if i < j:
            parent[root(int(j))] = root(int(i))
            (a, _, labels_a), (b, _, labels_b) = rows[i], rows[j]
            if labels_a != labels_b:
                conflicts.append(
                    {
                        "a": a,
                        "b": b,
                        "similarity": round(float(scores[i, j]), 1),
                        "labels_a": list(labels_a),
                        "labels_b": list(labels_b),
                    }
                )
    groups: dict[int, list[str]] = {}
    for i, (scenario_id, _, _) in enumerate(rows):
        groups.setdefault(root(i), []).append(scenario_id)
    clusters = sorted((sorted(ids) for ids in groups.values() if len(ids) > 1), key=lambda ids: (-len(ids), ids))
    return {"similarity_cutoff": cutoff, "conflicting_labels": conflicts, "near_duplicate_clusters": clusters}


def sketch_of(rows: Sequence[Row], indices: Sequence[int] | None = None) -> HealthSketch:
    sketch = HealthSketch()
    for i in range(len(rows)) if indices is None else indices:
        sketch.add(i, *rows[i])
    return sketch


def report(rows: Sequence[Row], sketch: HealthSketch | None = None, **options: Any) -> dict[str, Any]:
    asked: list[list[int]] = []

    def fetch(indices: Sequence[int]) -> dict[int, Row]:
        asked.append(list(indices))
        return {i: rows[i] for i in indices}

    result = health_report(sketch_of(rows) if sketch is None else sketch, fetch, **options)
    assert len(asked) == 1  # one read-back of the results file
    plain: dict[str, Any] = to_plain(result)  # compared with hand-written JSON below
    return plain


def assert_same(rows: Sequence[Row], cutoff: float = 90.0) -> dict[str, Any]:
    new = report(rows, cutoff=cutoff)
    expected = all_pairs(rows, cutoff)
    extra = {"conflicts_total": len(expected["conflicting_labels"]), "clusters_total": len(expected["near_duplicate_clusters"]), "scenarios_not_compared": 0}
    assert new == {**expected, **extra}
    return new


def test_bundled_corpus_gives_what_all_pairs_gave() -> None:
    rows = [
        (s.id, s.ticket.text, (s.expect.persona, s.expect.issue, s.expect.channel))
        for s in harness.load_scenarios(ROOT / "scenarios")
    ]
    result = assert_same(rows)
    # Including the pair of Chinese refund requests that differ in dates, amounts and spacing.
    assert ["real3-shopper-074", "real3-shopper-075", "real3-shopper-076"] in result["near_duplicate_clusters"]
    assert_same(rows, cutoff=95.0)


MINI: list[Row] = [
    ("m-01", "Where is my package", SHOP),
    ("m-02", "I want a refund for my broken blender", ("shopper", "return", "shopper_app_help")),
    ("m-03", "where is my package?", SELL),
    ("m-04", "WHERE  is my\npackage", SHOP),  # m-01 once normalized
    ("m-05", "payout", ("creator", "payout", "creator_help_chat")),
    ("m-06", "pauyout", ("seller", "payout", "seller_center_chat")),
    ("m-07", "hi", SHOP),
    ("m-08", "hi!", SELL),  # ratio 80: not near
    ("m-09", "cancel my order pls", CANCEL),
    ("m-10", "cancel order pls", CANCEL),
    ("m-11", "cancel my order please", CANCEL),  # near m-09 only, so clustered through it
    ("m-12", "seller center says my payout is on hold since the account review last week", SELL),
    ("m-13", "Seller Center says my payout is on hold since the account review last month", ("seller", "order", "seller_appeal")),
]


def test_mini_corpus_by_hand() -> None:
    assert report(MINI) == {
        "similarity_cutoff": 90.0,
        "conflicting_labels": [
            {"a": "m-01", "b": "m-03", "similarity": 97.4, "labels_a": list(SHOP), "labels_b": list(SELL)},
            {"a": "m-03", "b": "m-04", "similarity": 97.4, "labels_a": list(SELL), "labels_b": list(SHOP)},
            {
                "a": "m-05",
                "b": "m-06",
                "similarity": 92.3,
                "labels_a": ["creator", "payout", "creator_help_chat"],
                "labels_b": ["seller", "payout", "seller_center_chat"],
            },
            {"a": "m-12", "b": "m-13", "similarity": 94.0, "labels_a": list(SELL), "labels_b": ["seller", "order", "seller_appeal"]},
        ],
        "conflicts_total": 4,
        "near_duplicate_clusters": [["m-01", "m-03", "m-04"], ["m-09", "m-10", "m-11"], ["m-05", "m-06"], ["m-12", "m-13"]],
        "clusters_total": 4,
        "scenarios_not_compared": 0,
    }
    assert_same(MINI)


def test_conflicts_listed_are_capped_but_all_counted() -> None:
    capped = report(MINI, max_conflicts=2)
    assert [(c["a"], c["b"]) for c in capped["conflicting_labels"]] == [("m-01", "m-03"), ("m-03", "m-04")]
    assert capped["conflicts_total"] == 4
    assert report(MINI, max_conflicts=0)["conflicting_labels"] == []


SHORT = [
    "ok", "ok", "ok!", "hi", "hey", "refund", "refund?", "refnd", "payout", "pauyout", "pay out",
    "cancel", "cancle", "help me", "help me!", "where is it", "wheres it", "where is it??",
    "not delivered", "not deliverd", "undelivered", "order 5771", "order 5772", "order 577",
    "你好", "你好!", "退款", "退款了", "é", "e", "",
]  # fmt: skip


def test_short_texts_where_ratio_90_allows_a_character_or_two() -> None:
    labels = [SHOP, SELL, CANCEL]
    rows = [(f"s-{k:02d}", text, labels[k % 3]) for k, text in enumerate(SHORT)]
    result = assert_same(rows)
    assert ["s-08", "s-09", "s-10"] in result["near_duplicate_clusters"]  # payout, pauyout, pay out


def test_copies_of_one_text_are_not_compared_pairwise() -> None:
    rows = [(f"c-{k:04d}", "Where is my package??", SHOP if k % 3 else SELL) for k in range(3000)]
    rows += [(f"d-{k:04d}", "where is my package?", SHOP) for k in range(3000)]
    result = report(rows)
    # Copies labelled differently (1000 x 2000), plus each SELL copy against every near SHOP copy.
    assert result["conflicts_total"] == 1000 * 2000 + 1000 * 3000
    assert len(result["conflicting_labels"]) == 1000
    assert result["conflicting_labels"][0] == {
        "a": "c-0000",
        "b": "c-0001",
        "similarity": 100.0,
        "labels_a": list(SELL),
        "labels_b": list(SHOP),
    }
    assert [c["b"] for c in result["conflicting_labels"][:3]] == ["c-0001", "c-0002", "c-0004"]
    assert {c["a"] for c in result["conflicting_labels"]} == {"c-0000"}  # c-0000 has 5000 partners
    assert result["near_duplicate_clusters"] == [sorted(r[0] for r in rows)]


@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from([SHOP, SELL, CANCEL])), max_size=40))
@settings(max_examples=60, deadline=None)
def test_copies_and_near_copies_match_all_pairs(picks: list[tuple[int, tuple[str, str, str]]]) -> None:
    texts = [
        "Where is my package??",
        "where is my package?",
        "where   IS my package?",
        "payout",
        "pauyout",
        "my seller center payout is on hold after the account review",
    ]
    rows = [(f"h-{k:02d}", texts[text], labels) for k, (text, labels) in enumerate(picks)]
    assert_same(rows)
    # Capped anywhere, the list is the start of the full one.
    for limit in (0, 1, 5):
        capped = report(rows, max_conflicts=limit)
        assert capped["conflicting_labels"] == all_pairs(rows)["conflicting_labels"][:limit]


def test_empty_corpus() -> None:
    assert report([]) == {
        "similarity_cutoff": 90.0,
        "conflicting_labels": [],
        "conflicts_total": 0,
        "near_duplicate_clusters": [],
        "clusters_total": 0,
        "scenarios_not_compared": 0,
    }


def _edited(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    return rng.choice([text, text[:at] + "x" + text[at:], text[:at] + text[at + 1 :], text.upper()])


@given(st.randoms(use_true_random=False), st.integers(0, 60), st.integers(1, 6))
@settings(max_examples=40, deadline=None)
def test_chunks_merged_in_any_order_give_one_report(rng: random.Random, size: int, workers: int) -> None:
    bases = [text for _, text, _ in MINI] + SHORT[:8]
    rows = [(f"r-{k:02d}", _edited(rng, rng.choice(bases)), rng.choice([SHOP, SELL])) for k in range(size)]
    # Each worker gets scattered scenarios, under their global indices.
    chunks: list[list[int]] = [[] for _ in range(workers)]
    for index in range(size):
        chunks[rng.randrange(workers)].append(index)
    sketches = [sketch_of(rows, chunk) for chunk in chunks]
    while len(sketches) > 1:
        a = sketches.pop(rng.randrange(len(sketches)))
        b = sketches.pop(rng.randrange(len(sketches)))
        sketches.append(pickle.loads(pickle.dumps(a.merge(b))))  # as a worker would send it back
    assert report(rows, sketches[0]) == report(rows)


def test_merge_leaves_its_inputs_alone() -> None:
    a, b = sketch_of(MINI, range(5)), sketch_of(MINI, range(5, len(MINI)))
    merged = a.merge(b)
    assert (len(a), len(b), len(merged)) == (5, len(MINI) - 5, len(MINI))
    assert report(MINI, a)["near_duplicate_clusters"] == [["m-01", "m-03", "m-04"]]


def test_texts_agreeing_on_every_key_are_still_told_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    # As if all texts of one length had collided on all keys: they must still be compared one by one.
    monkeypatch.setattr(health, "_band_keys", lambda texts, banding, family: np.zeros((len(texts), banding.bands), np.uint32))
    assert_same(MINI)


def test_sketch_is_flat_arrays_of_a_few_bytes_per_scenario() -> None:
    long_text = "my order never arrived and the tracking page has not changed for a week " * 2
    sketch = sketch_of([(f"l-{k}", f"{long_text} {k}", SHOP) for k in range(2000)])
    # index 8 + length 4 + 16 keys of 4 bytes; texts up to 64 characters add 32 keys more
    assert sketch.nbytes == 2000 * (12 + 4 * 16)
    assert sketch_of([("s", "ok", SHOP)]).nbytes == 12 + 4 * (16 + 32)


def test_bad_use_is_refused() -> None:
    sketch = sketch_of(MINI)
    with pytest.raises(ValueError, match="different bandings"):
        sketch.merge(HealthSketch([Banding(shingle=3, bands=8, rows=2)]))
    with pytest.raises(ValueError, match="twice"):
        health_report(sketch.merge(sketch_of(MINI, [0])), lambda indices: {})
    with pytest.raises(ValueError, match="negative"):
        sketch.add(-1, "x", "text", SHOP)
    with pytest.raises(ValueError, match="shingles of 2"):
        HealthSketch([Banding(shingle=1, bands=8, rows=2)])
    with pytest.raises(ValueError, match="every length"):
        HealthSketch([Banding(shingle=3, bands=8, rows=2, max_length=50)])


def test_memory_caps_sketch_the_first_scenarios_and_list_the_largest_clusters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sketching only the first 6 scenarios (m-01 to m-06) finds their two clusters and counts the
    7 after them; one cluster listed, both counted."""
    monkeypatch.setattr(health, "MAX_SKETCHED", 6)
    monkeypatch.setattr(health, "MAX_CLUSTERS", 1)
    capped = report(MINI)
    assert capped["near_duplicate_clusters"] == [["m-01", "m-03", "m-04"]]
    assert capped["clusters_total"] == 2
    assert capped["scenarios_not_compared"] == 7


def test_a_huge_bucket_is_chained_not_paired(monkeypatch: pytest.MonkeyPatch) -> None:
    """300 copies of near-identical texts: with each text paired only with the next 2 in its band,
    the cluster still holds all 300."""
    monkeypatch.setattr(health, "MAX_STEP", 2)
    rows = [(f"n-{i:03d}", f"my order {i:03d} never arrived, where is my package please", SHOP) for i in range(300)]
    (cluster,) = report(rows)["near_duplicate_clusters"]
    assert len(cluster) == 300
    # One band where all 300 share a key: each is paired with the next 2 only (299 + 298 pairs),
    # not with all 299 others (44,850 pairs).
    keys = np.zeros(300, dtype=np.uint32)
    owners = np.arange(300, dtype=np.int64)
    pairs = health._candidates([(keys, owners)], np.full(300, 50, dtype=np.int64), 90.0)
    assert len(pairs) == 299 + 298
