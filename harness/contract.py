"""The label contract (DOMAIN.md): the personas, issues, channels and findings rules and scenarios
may name. The package bundles its own copy (harness/data/contract.yaml, `default_contract()`); a
rule set carries the contract it was validated against (`RuleSet.contract`), and scoring reads it
there."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import cache, cached_property
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

    @property
    def arrivals(self) -> tuple[str, ...]:
        """What a ticket may say it was submitted through: a channel or an arrival-only channel."""
        return self.channels + self.arrival_only_channels

    def labels(self, name: str) -> tuple[str, ...]:
        """The labels of a decision field (persona, issue, channel) or of "finding", in contract order."""
        by_name = {
            "persona": self.personas,
            "issue": self.all_issues,
            "channel": self.channels,
            "finding": self.findings,
        }
        return by_name[name]

    @cached_property
    def digest(self) -> str:
        """sha256 of the labels: names the contract in the rules cache's key (a rule set validated
        against one contract is never read back for another) and in caches of derived schemas."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()

    def __hash__(self) -> int:  # the dict fields cannot be hashed; equal contracts have one digest
        return hash(self.digest)

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


@cache
def default_contract() -> Contract:
    """The bundled contract, read on first use (never at import: a caller may bring its own)."""
    text = resources.files("harness").joinpath("data", "contract.yaml").read_text(encoding="utf-8")
    # libyaml when present: the pure-Python parser took 30 ms of every command's start-up.
    return Contract.from_data(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
