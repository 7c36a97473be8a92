"""The label contract (DOMAIN.md), read from the package's own copy of contract.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Contract:
    personas: tuple[str, ...]
    channels: tuple[str, ...]
    arrival_only_channels: tuple[str, ...]
    issues: dict[str, tuple[str, ...]]  # group (shopper, seller, creator, any) -> issues
    findings: tuple[str, ...]
    needs: dict[str, tuple[str, ...]]  # missing-id finding -> issues that need the id

    @property
    def all_issues(self) -> tuple[str, ...]:
        return tuple(i for group in self.issues.values() for i in group)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Contract:
        return cls(
            personas=tuple(data["personas"]),
            channels=tuple(data["channels"]),
            arrival_only_channels=tuple(data["arrival_only_channels"]),
            issues={k: tuple(v) for k, v in data["issues"].items()},
            findings=tuple(data["findings"]),
            needs={k: tuple(v) for k, v in data["needs"].items()},
        )


def _load() -> Contract:
    text = resources.files("harness").joinpath("data", "contract.yaml").read_text(encoding="utf-8")
    # libyaml when present: the pure-Python parser took 30 ms of every command's start-up.
    return Contract.from_data(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


CONTRACT = _load()
