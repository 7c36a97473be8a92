"""The harness's own error type: bad input from the user, always with a location.

Everything a user can get wrong (a rule file, a scenario file, a command-line value) raises
`HarnessError`; the CLI prints each problem on one line and exits 2. Any other exception is a bug
in the harness itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MAX_MESSAGE = 500  # characters: a message quotes input, and input can be megabytes


@dataclass(frozen=True, order=True)
class Location:
    """Where an item was written: file, 1-based line and column (0 when unknown)."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line and self.col:
            return f"{self.file}:{self.line}:{self.col}"
        if self.line:
            return f"{self.file}:{self.line}"
        return self.file


@dataclass(frozen=True, order=True)
class Problem:
    """One bad-input finding: where, which item, what is wrong and what to do about it."""

    location: Location
    item: str
    message: str

    def __str__(self) -> str:
        item = f" {self.item}:" if self.item else ""
        message = self.message if len(self.message) <= MAX_MESSAGE else self.message[:MAX_MESSAGE] + "..."
        return f"{self.location}:{item} {message}"


class HarnessError(Exception):
    """Bad input. Carries one or more problems, each printable on one line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(sorted(set(problems)))
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, location: Location, message: str, item: str = "") -> HarnessError:
        return cls([Problem(location, item, message)])
