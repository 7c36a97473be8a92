"""Choosing scenarios by tag and by id (`--tag T`, `--id PATTERN`; the pytest plugin's
`--harness-tag`, `--harness-id`). Pure: no I/O, and `select` streams, so a corpus read row by row
stays read row by row."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase

from harness.model import Scenario


@dataclass(frozen=True)
class Selection:
    """Which scenarios to keep. Tags narrow (a scenario must carry every tag given: `--tag seller
    --tag holdout` is the seller scenarios of the holdout split); id globs widen (any one
    matching is enough: `--id 'pa-*' --id sa-003`). The two together must both hold. An empty
    selection keeps everything.

    Matching is exact and case-sensitive, for tags and ids alike: ids and tags are identifiers
    compared as strings everywhere else in the harness (`fnmatchcase`, not `fnmatch`, which folds
    case on some platforms)."""

    tags: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()

    def matches(self, scenario: Scenario) -> bool:
        if self.tags and not set(self.tags).issubset(scenario.tags):
            return False
        return not self.ids or any(fnmatchcase(scenario.id, pattern) for pattern in self.ids)

    @property
    def active(self) -> bool:
        """Whether the selection can leave anything out (callers say "N of M selected" only then)."""
        return bool(self.tags or self.ids)


def select(scenarios: Iterable[Scenario], selection: Selection) -> Iterator[Scenario]:
    """The scenarios `selection` matches, in their order, lazily."""
    if not selection.active:
        yield from scenarios
        return
    for scenario in scenarios:
        if selection.matches(scenario):
            yield scenario
