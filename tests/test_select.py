"""Selecting scenarios by tag and id (harness/load/select.py)."""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import given
from hypothesis import strategies as st

from harness.errors import Location
from harness.load.select import Selection, select
from harness.model import Expectation, Scenario, Ticket


def scenario(sid: str, *tags: str) -> Scenario:
    return Scenario(
        id=sid,
        ticket=Ticket("text"),
        expect=Expectation("shopper", "order", "shopper_app_help"),
        location=Location("s.yaml", 1, 3),
        tags=tags,
    )


CORPUS = (
    scenario("pa-001", "seller", "holdout"),
    scenario("pa-002", "seller"),
    scenario("PA-003", "seller", "holdout"),
    scenario("sa-001", "shopper", "holdout", "golden"),
    scenario("sa-002"),
    scenario("cr-010", "creator", "hold out"),
)


def ids(selection: Selection) -> list[str]:
    return [s.id for s in select(CORPUS, selection)]


def test_an_empty_selection_keeps_everything_and_is_inactive() -> None:
    assert not Selection().active
    assert ids(Selection()) == ["pa-001", "pa-002", "PA-003", "sa-001", "sa-002", "cr-010"]


def test_one_tag() -> None:
    assert Selection(tags=("holdout",)).active
    assert ids(Selection(tags=("holdout",))) == ["pa-001", "PA-003", "sa-001"]


def test_several_tags_must_all_be_carried() -> None:
    assert ids(Selection(tags=("holdout", "seller"))) == ["pa-001", "PA-003"]
    assert ids(Selection(tags=("holdout", "golden"))) == ["sa-001"]
    assert ids(Selection(tags=("seller", "shopper"))) == []


def test_a_tag_is_matched_whole_and_exactly() -> None:
    assert ids(Selection(tags=("hold",))) == []
    assert ids(Selection(tags=("Holdout",))) == []
    assert ids(Selection(tags=("hold out",))) == ["cr-010"]


def test_id_globs_any_of_them_case_sensitive() -> None:
    assert Selection(ids=("pa-*",)).active
    assert ids(Selection(ids=("pa-*",))) == ["pa-001", "pa-002"]
    assert ids(Selection(ids=("pa-*", "sa-00[2]"))) == ["pa-001", "pa-002", "sa-002"]
    assert ids(Selection(ids=("*-00?",))) == ["pa-001", "pa-002", "PA-003", "sa-001", "sa-002"]
    assert ids(Selection(ids=("sa-001",))) == ["sa-001"]
    assert ids(Selection(ids=("sa-00",))) == []  # a glob matches the whole id


def test_tags_and_ids_together_must_both_hold() -> None:
    assert ids(Selection(tags=("holdout",), ids=("pa-*", "sa-*"))) == ["pa-001", "sa-001"]


def test_select_is_lazy() -> None:
    pulled: list[str] = []

    def stream() -> Iterator[Scenario]:
        for s in CORPUS:
            pulled.append(s.id)
            yield s

    chosen = select(stream(), Selection(tags=("holdout",)))
    assert pulled == []
    assert next(chosen).id == "pa-001"
    assert pulled == ["pa-001"]


_TAGS = st.sampled_from(["a", "b", "holdout", "x y"])
_CORPUS = st.lists(
    st.tuples(st.text("ab-1*", min_size=1, max_size=4), st.lists(_TAGS, max_size=3)),
    max_size=12,
).map(lambda rows: [scenario(f"{sid}", *tags) for sid, tags in rows])
_SELECTION = st.builds(
    Selection,
    tags=st.lists(_TAGS, max_size=2).map(tuple),
    ids=st.lists(st.text("ab-1*?", min_size=1, max_size=3), max_size=2).map(tuple),
)


@given(_CORPUS, _SELECTION)
def test_selection_is_an_ordered_subsequence_and_idempotent(corpus: list[Scenario], sel: Selection) -> None:
    chosen = list(select(corpus, sel))
    # A subsequence in the corpus's order: each chosen scenario is found after the previous one.
    rest = iter(corpus)
    assert all(any(c is s for s in rest) for c in chosen)
    assert chosen == [s for s in corpus if sel.matches(s)]
    assert list(select(chosen, sel)) == chosen
    if not sel.active:
        assert chosen == corpus
