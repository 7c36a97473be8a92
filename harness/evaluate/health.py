"""Corpus health in near-linear time: clusters of near-identical ticket texts (rapidfuzz ratio >= a
cutoff on the lowercased, whitespace-collapsed text) and the pairs among them labelled differently.

Comparing every text with every other is quadratic (13k scenarios took 48 s). Instead a
`HealthSketch` is filled while the corpus streams past, in chunks and on as many workers as wanted,
and sketches merge in any order. Per scenario it keeps flat arrays only: the global index, the length
of the normalized text and 32-bit MinHash band keys. `health_report` groups exact duplicates
(same length and keys), takes as candidates the pairs of texts that share a band key and whose
lengths allow the ratio, verifies every candidate exactly with `fuzz.ratio` on texts it fetches
back, and reports what the all-pairs comparison reported.

Banding is probabilistic: a near pair whose texts share few shingles can be missed (see BANDINGS).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from harness.evaluate.metrics import Conflict, CorpusHealth

Labels = tuple[str, str, str]
Fetch = Callable[[Sequence[int]], Mapping[int, tuple[str, str, Labels]]]
U64 = NDArray[np.uint64]
I64 = NDArray[np.int64]


@dataclass(frozen=True)
class Banding:
    """A family of band keys: `bands` keys per text, each hashing `rows` MinHashes of the text's
    character `shingle`-grams, for texts of at most `max_length` characters (None: all texts).
    Two texts whose shingle sets have Jaccard similarity J share a key with probability
    1 - (1 - J^rows)^bands."""

    shingle: int
    bands: int
    rows: int
    max_length: int | None = None


# Chosen by measuring recall against all pairs on synthetic corpora of 13k and 100k tickets with
# planted edits (issue 9): 5-grams keep random tickets, which share common 4-grams, from becoming
# candidates; texts up to 64 characters, where a typo or two destroys most 5-grams yet ratio >= 90
# still holds, also get trigram keys (bigrams found 0.04% more pairs for 12 times the candidates).
# A text up to 64 characters has 16 + 32 keys, a longer one 16.
BANDINGS = (Banding(shingle=5, bands=16, rows=3), Banding(shingle=3, bands=32, rows=4, max_length=64))
MAX_CONFLICTS = 1000
# The scenarios sketched and compared: the first 20,000 of the corpus (by position, so any split
# into chunks agrees); the report counts the rest. This bounds the sketch and the texts read back.
MAX_SKETCHED = 20_000
# In a band, each text is paired with at most this many of the texts after it that share its key:
# a bucket of thousands of templated texts gives chains (clusters still connect) rather than all
# pairs. The bundled corpus has no bucket near this size, so its findings are exact.
MAX_STEP = 8
MAX_CLUSTERS = 1000  # clusters listed (largest first); `clusters_total` counts them all
_BATCH = 512  # texts hashed together: numpy's per-call cost would dominate one short text


def normalize(text: str) -> str:
    """What texts are compared on, as the all-pairs comparison did: lowercased, whitespace collapsed."""
    return " ".join(text.lower().split())


def _mix(values: U64) -> U64:
    """splitmix64's finalizer: a bijection on 64 bits whose every output bit depends on every input bit."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def _seeds(count: int, family: int) -> U64:
    # Derived by our own mixing, not numpy's generators, so every worker and version agrees.
    start = np.uint64(family) << np.uint64(32)
    return _mix((np.arange(count, dtype=np.uint64) + start) * np.uint64(0x9E3779B97F4A7C15))


def _band_keys(texts: list[str], banding: Banding, family: int) -> NDArray[np.uint32]:
    """The banding's keys for each text, one row per text.

    The MinHashes come from one-permutation hashing with optimal densification (Shrivastava, 2017):
    each shingle hash falls in one of bands x rows bins and each bin keeps its least value; an
    empty bin borrows from the bin a fixed sequence of probes finds first full. Two texts agree
    on a bin with probability their Jaccard similarity, as with independent MinHashes, at the cost
    of one hash per shingle instead of one per shingle and MinHash.
    """
    size, width = banding.shingle, banding.bands * banding.rows
    # Padding with spaces, which a normalized text never starts or ends with, gives a short text
    # shingles and makes its first and last characters count.
    padded = [" " * (size - 1) + text + " " * (size - 1) for text in texts]
    codes = np.frombuffer("".join(padded).encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)
    hashes = np.full(len(codes) - size + 1, np.uint64(family))
    for offset in range(size):
        hashes = _mix(hashes ^ codes[offset : offset + len(hashes)])
    lengths = np.array([len(text) for text in padded], dtype=np.int64)
    shingles = lengths - size + 1  # at least 1: padding adds 2 * (size - 1) >= size characters
    # Each text's own shingles, none straddling two texts.
    first = np.cumsum(shingles) - shingles
    hashes = hashes[np.arange(int(shingles.sum())) + np.repeat(np.cumsum(lengths) - lengths - first, shingles)]
    empty = np.uint64(1 << 32)
    least = np.full(len(texts) * width, empty)
    bins = (hashes >> np.uint64(32)) * np.uint64(width) >> np.uint64(32)
    owner = np.repeat(np.arange(len(texts), dtype=np.uint64), shingles) * np.uint64(width)
    np.minimum.at(least, owner + bins, hashes & np.uint64(0xFFFFFFFF))
    minima = least.reshape(len(texts), width)
    filled = minima.copy()
    text, column = np.nonzero(minima == empty)
    probe = 0
    while len(text):  # ends: every text has a full bin, and each probe finds it with chance >= 1/width
        probe += 1
        donor = _mix(column.astype(np.uint64) << np.uint64(32) | np.uint64(probe)) >> np.uint64(32)
        value = minima[text, (donor * np.uint64(width) >> np.uint64(32)).astype(np.int64)]
        found = value != empty
        filled[text[found], column[found]] = value[found]
        text, column = text[~found], column[~found]
    rows = filled.reshape(len(texts), banding.bands, banding.rows)
    keys = np.broadcast_to(_seeds(banding.bands, family), (len(texts), banding.bands))
    for row in range(banding.rows):
        keys = _mix(keys ^ rows[:, :, row])
    return (keys >> np.uint64(32)).astype(np.uint32)


class HealthSketch:
    """What blocking needs, in flat arrays: per scenario its global index (8 bytes), the length of
    its normalized text (4) and 4 bytes per band key of every banding that
    applies to that length (one array per banding, rows in the order scenarios came). Texts wait
    in a batch of at most 512 to be hashed together; nothing else is kept per scenario."""

    def __init__(self, bandings: Sequence[Banding] = BANDINGS) -> None:
        if any(b.shingle < 2 or min(b.bands, b.rows) < 1 for b in bandings):
            raise ValueError("bandings need shingles of 2 or more, and bands and rows")
        if all(b.max_length is not None for b in bandings):
            raise ValueError("one banding must apply to texts of every length")
        self.bandings = tuple(bandings)
        self._index = array("q")
        self._length = array("I")
        self._keys = [array("I") for _ in self.bandings]
        self._pending: list[tuple[int, str]] = []
        self.not_sketched = 0  # scenarios past MAX_SKETCHED

    def __len__(self) -> int:
        return len(self._index) + len(self._pending)

    @property
    def nbytes(self) -> int:
        """Bytes the sketch's arrays hold, once the waiting batch is hashed."""
        self._flush()
        return sum(len(column) * column.itemsize for column in (self._index, self._length, *self._keys))

    def add(self, index: int, scenario_id: str, text: str, labels: Labels) -> None:
        """Sketch the scenario at global position `index`. Its id and labels are not kept: the report
        fetches them back for the few scenarios it lists."""
        if index < 0:
            raise ValueError(f"index {index} of {scenario_id!r} is negative")
        if index >= MAX_SKETCHED:
            self.not_sketched += 1
            return
        self._pending.append((index, normalize(text)))
        if len(self._pending) >= _BATCH:
            self._flush()

    def merge(self, other: HealthSketch) -> HealthSketch:
        """A new sketch holding both; neither input changes. Merging in any order gives the same report."""
        merged = HealthSketch(self.bandings)
        merged.absorb(self)
        merged.absorb(other)
        return merged

    def absorb(self, other: HealthSketch) -> None:
        """Add `other`'s scenarios to this sketch in place (a stream of chunks, without copies)."""
        if self.bandings != other.bandings:
            raise ValueError("sketches with different bandings cannot be merged")
        other._flush()
        self.not_sketched += other.not_sketched
        self._index.extend(other._index)
        self._length.extend(other._length)
        for mine, theirs in zip(self._keys, other._keys, strict=True):
            mine.extend(theirs)

    def _flush(self) -> None:
        if not self._pending:
            return
        texts = [text for _, text in self._pending]
        lengths = np.array([len(text) for text in texts], dtype=np.int64)
        for family, (banding, keys) in enumerate(zip(self.bandings, self._keys, strict=True)):
            chosen = [text for text, applies in zip(texts, _applies(banding, lengths), strict=True) if applies]
            if chosen:
                keys.frombytes(_band_keys(chosen, banding, family).tobytes())
        self._index.extend(index for index, _ in self._pending)
        self._length.extend(lengths.tolist())
        self._pending = []

    def columns(self) -> tuple[I64, I64, list[tuple[I64, NDArray[np.uint32]]]]:
        """Per scenario, in the order they came: index and length; per banding, the scenarios
        it applies to (as positions in that order) and their keys, one row each."""
        self._flush()
        index = np.frombuffer(self._index, dtype=np.int64)
        if bool((np.diff(np.sort(index)) == 0).any()):
            raise ValueError("a global index was added twice")
        length = np.frombuffer(self._length, dtype=np.uint32).astype(np.int64)
        keys = [
            (np.flatnonzero(_applies(banding, length)), np.frombuffer(column, dtype=np.uint32).reshape(-1, banding.bands))
            for banding, column in zip(self.bandings, self._keys, strict=True)
        ]
        return index, length, keys


def _applies(banding: Banding, lengths: I64) -> NDArray[np.bool_]:
    return np.ones(len(lengths), dtype=bool) if banding.max_length is None else lengths <= banding.max_length


def _length_allows(shorter: I64, longer: I64, cutoff: float) -> NDArray[np.bool_]:
    """Whether lengths allow ratio >= cutoff: the Indel distance is at least the length difference, so
    ratio <= 100 * (1 - (lb - la) / (la + lb)) = 200 * la / (la + lb). The slack keeps float rounding
    from ever dropping a pair rapidfuzz would accept."""
    return 200.0 * shorter * (1 + 1e-9) >= cutoff * (shorter + longer)


def _candidates(columns: list[tuple[NDArray[np.uint32], I64]], length: I64, cutoff: float) -> I64:
    """Pairs of owners (a < b, as an (n, 2) array) with a band key in common, lengths permitting;
    `columns` holds each band's keys and their owners. In a band, keys are sorted by (key, owner's
    length), so an owner's partners follow it; once the key or the length window fails at some
    distance it fails at every greater one, and the key drops out. The work is linear in keys plus
    pairs found."""
    found = [np.zeros(0, dtype=np.int64)]
    for keys, owner in columns:
        order = np.lexsort((length[owner], keys))
        key, own = keys[order], owner[order]
        active = np.arange(len(order) - 1)
        step = 1
        while active.size:
            partner = active + step
            active = active[(key[partner] == key[active]) & _length_allows(length[own[active]], length[own[partner]], cutoff)]
            a, b = own[active], own[active + step]
            found.append(np.minimum(a, b) * len(length) + np.maximum(a, b))
            step += 1
            active = active[active + step < len(order)] if step <= MAX_STEP else active[:0]
    # Sorted, then deduplicated (a pair shares several bands): numpy's hashing unique is 20 times slower.
    codes = np.sort(np.concatenate(found))
    distinct = np.ones(len(codes), dtype=bool)
    distinct[1:] = codes[1:] != codes[:-1]
    codes = codes[distinct]
    pairs: I64 = np.stack([codes // max(len(length), 1), codes % max(len(length), 1)], axis=1)
    return pairs


class _Unit:
    """Scenarios whose normalized texts are identical: global indices (ascending), also by label code,
    and the near units (itself included when its scenarios are near each other) with the similarity."""

    __slots__ = ("by_code", "members", "near", "number", "text")

    def __init__(self, number: int, text: str) -> None:
        self.number, self.text = number, text
        self.members: list[int] = []
        self.by_code: dict[int, list[int]] = {}
        self.near: list[tuple[_Unit, float]] = []


def health_report(
    sketch: HealthSketch, fetch: Fetch, cutoff: float = 90.0, max_conflicts: int = MAX_CONFLICTS
) -> CorpusHealth:
    """Near-identical texts (rapidfuzz ratio >= cutoff): clusters, and pairs labelled differently.

    `fetch(indices)` returns (scenario id, text, labels) for each global index asked for; it is
    called once, for the scenarios in candidate pairs or with an exact duplicate. The result is what
    comparing all pairs gave, plus `conflicts_total`: `conflicting_labels` lists the first
    `max_conflicts` pairs in corpus order (a few thousand identical texts labelled two ways would
    otherwise list millions) and `conflicts_total` counts them all.
    """
    units, code_of, rows = _near_units(sketch, fetch, cutoff)
    listed, total = _conflicts(units, code_of, rows, max_conflicts)
    clusters = _clusters(units, rows)
    return CorpusHealth(
        similarity_cutoff=cutoff,
        conflicting_labels=listed,
        conflicts_total=total,
        near_duplicate_clusters=clusters[:MAX_CLUSTERS],
        clusters_total=len(clusters),
        scenarios_not_compared=sketch.not_sketched,
    )


def _near_units(
    sketch: HealthSketch, fetch: Fetch, cutoff: float
) -> tuple[list[_Unit], dict[int, int], Mapping[int, tuple[str, str, Labels]]]:
    """The units of identical texts that have a near unit (or several members), each with its near
    units; every scenario's label code; the fetched rows."""
    index, length, keys = sketch.columns()
    # Copies of a text have one length and one set of keys, so one 64-bit signature of all its
    # keys. Different texts rarely agree on all; when they do they are near-identical, would be
    # candidates anyway, and are told apart by their fetched texts below. No digest is needed.
    signature = np.zeros(len(index), dtype=np.uint64)
    for family, (rows_of, matrix) in enumerate(keys):
        for band, salt in enumerate(_seeds(matrix.shape[1], family)):
            signature[rows_of] += _mix(matrix[:, band].astype(np.uint64) ^ salt)
    order = np.lexsort((index, signature, length))
    new_group = np.ones(len(order), dtype=bool)
    new_group[1:] = (np.diff(length[order]) != 0) | (np.diff(signature[order]) != 0)
    group_start = np.flatnonzero(new_group)
    group_size = np.diff(np.append(group_start, len(order)))
    group_of = np.empty(len(order), dtype=np.int64)
    group_of[order] = np.cumsum(new_group) - 1
    # Block on each group's first scenario only: a thousand copies of one text are one owner.
    first = np.zeros(len(order), dtype=bool)
    first[order[group_start]] = True
    columns = []
    for rows_of, matrix in keys:
        chosen = first[rows_of]
        columns += [(matrix[chosen, band], group_of[rows_of[chosen]]) for band in range(matrix.shape[1])]
    pairs = _candidates(columns, length[order[group_start]], cutoff)

    # Fetch the scenarios of candidate groups and of groups with copies, group after group.
    wanted = np.zeros(len(group_start), dtype=bool)
    wanted[pairs.ravel()] = True
    wanted[group_size > 1] = True
    fetched = order[wanted[group_of[order]]]
    rows = fetch(sorted(index[fetched].tolist()))

    codes: dict[tuple[str, ...], int] = {}
    code_of: dict[int, int] = {}
    units: list[_Unit] = []
    first_unit = np.zeros(len(group_start), dtype=np.int64)
    unit_count = np.zeros(len(group_start), dtype=np.int64)
    by_text: dict[str, _Unit] = {}
    for group, i in zip(group_of[fetched].tolist(), index[fetched].tolist(), strict=True):
        if not unit_count[group]:
            first_unit[group], by_text = len(units), {}
        # Split by the text itself: texts of one group are identical but for a collision.
        _, text, labels = rows[i]
        text = normalize(text)
        if text not in by_text:
            by_text[text] = _Unit(len(units), text)
            units.append(by_text[text])
            unit_count[group] += 1
        code_of[i] = codes.setdefault(tuple(labels), len(codes))
        by_text[text].members.append(i)
        by_text[text].by_code.setdefault(code_of[i], []).append(i)

    # Units to compare: each with its copies, the units of one group, the units of candidate groups
    # (nearly always one each).
    checks = [(unit.number, unit.number) for unit in units if len(unit.members) > 1]
    for group in np.flatnonzero(unit_count > 1).tolist():
        split = range(first_unit[group], first_unit[group] + unit_count[group])
        checks += [(a, b) for a in split for b in split if a < b]
    single = (unit_count[pairs[:, 0]] == 1) & (unit_count[pairs[:, 1]] == 1)
    for a_group, b_group in pairs[~single].tolist():
        checks += [
            (a, b)
            for a in range(first_unit[a_group], first_unit[a_group] + unit_count[a_group])
            for b in range(first_unit[b_group], first_unit[b_group] + unit_count[b_group])
        ]
    left = np.concatenate([np.array([a for a, _ in checks], dtype=np.int64), first_unit[pairs[single, 0]]])
    right = np.concatenate([np.array([b for _, b in checks], dtype=np.int64), first_unit[pairs[single, 1]]])
    # Scored as the all-pairs comparison did: cdist's float32 scores, zero meaning below the cutoff.
    texts = [unit.text for unit in units]
    scores = process.cpdist(
        [texts[a] for a in left.tolist()], [texts[b] for b in right.tolist()], scorer=fuzz.ratio, score_cutoff=cutoff
    )
    near = np.flatnonzero(scores)
    for a, b, score in zip(left[near].tolist(), right[near].tolist(), scores[near].tolist(), strict=True):
        units[a].near.append((units[b], round(score, 1)))
        if a != b:
            units[b].near.append((units[a], round(score, 1)))
    return units, code_of, rows


def _conflicts(
    units: list[_Unit], code_of: dict[int, int], rows: Mapping[int, tuple[str, str, Labels]], limit: int
) -> tuple[tuple[Conflict, ...], int]:
    """The first `limit` near pairs (a, b), a before b in the corpus, labelled differently, and how
    many there are: counted per pair of near units from label counts, listed by walking, for each
    scenario in order, the members of other labels after it in its near units; neither step is
    quadratic in copies of one text."""
    total = 0
    conflicting: dict[int, list[tuple[_Unit, float]]] = {}
    for unit in units:
        for other, similarity in unit.near:
            same = sum(len(ids) * len(other.by_code.get(code, ())) for code, ids in unit.by_code.items())
            if other is unit:
                count = (len(unit.members) ** 2 - same) // 2
            else:
                count = len(unit.members) * len(other.members) - same
            if count:
                conflicting.setdefault(unit.number, []).append((other, similarity))
                total += count if other.number >= unit.number else 0
    unit_of = {i: unit for unit in units for i in unit.members}
    listed: list[Conflict] = []
    for a in sorted(i for number in conflicting for i in units[number].members):
        if len(listed) >= limit:
            break
        partners: list[tuple[int, float]] = []
        for other, similarity in conflicting[unit_of[a].number]:
            for code, ids in other.by_code.items():
                if code != code_of[a]:
                    after = bisect_right(ids, a)
                    partners += [(b, similarity) for b in ids[after : after + limit - len(listed)]]
        for b, similarity in sorted(partners)[: limit - len(listed)]:
            listed.append(Conflict(rows[a][0], rows[b][0], similarity, (*rows[a][2],), (*rows[b][2],)))
    return tuple(listed), total


def _clusters(units: list[_Unit], rows: Mapping[int, tuple[str, str, Labels]]) -> tuple[tuple[str, ...], ...]:
    """Ids of connected near scenarios, each cluster sorted, largest clusters first."""
    parent = list(range(len(units)))

    def root(number: int) -> int:
        while parent[number] != number:
            parent[number] = parent[parent[number]]
            number = parent[number]
        return number

    for unit in units:
        for other, _ in unit.near:
            parent[root(other.number)] = root(unit.number)
    components: dict[int, list[_Unit]] = {}
    for unit in units:
        if unit.near:  # copies of a text are linked as a chain would link them; a lone unit isn't
            components.setdefault(root(unit.number), []).append(unit)
    clusters = [tuple(sorted(rows[i][0] for unit in group for i in unit.members)) for group in components.values()]
    return tuple(sorted((ids for ids in clusters if len(ids) > 1), key=lambda ids: (-len(ids), ids)))
