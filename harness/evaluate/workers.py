"""Chunks evaluated here, in worker processes, or on a Dask cluster, handed back in corpus order.

Each worker builds the rule set once from the rule files' texts (the cache makes that quick) and
checks it has the parent's digest: the rules travel as text, never as pickled code objects. A
bounded number of chunks is in flight, so memory stays flat however long the corpus is; results
come back in the order the chunks went out, so every output is the same for any worker count.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from typing import Any, Protocol

from harness.contract import Contract
from harness.errors import HarnessError, Location
from harness.evaluate.evaluator import Chunk, evaluate_chunk
from harness.model import Scenario
from harness.ruleset import RuleSet

_RULES: dict[tuple[str, str], RuleSet] = {}  # a worker's rule sets by digest and contract, each built once
SCHEDULER_TIMEOUT = 5  # seconds to wait for a Dask scheduler before calling its address bad input

# rules root, file sources, digest, and the contract they were checked against (plain data)
Recipe = tuple[str, tuple[tuple[str, str, str], ...], str, Contract]


def rules_in_worker(recipe: Recipe) -> RuleSet:
    """The rule set rebuilt from its files' texts (once per process), refused if it is not the
    one the parent loaded."""
    from harness.load.rules import rules_from_sources

    root, sources, digest, contract = recipe
    key = (digest, contract.digest)
    if key not in _RULES:
        rules = rules_from_sources(root, sources, contract=contract)
        if rules.digest != digest:
            raise HarnessError.at(Location(root), "the rules changed while the corpus was evaluated; run again")
        _RULES[key] = rules
    return _RULES[key]


def _start(recipe: Recipe) -> None:
    if sys.platform == "linux":
        # Die with the parent: a killed `harness evaluate` must not leave its workers waiting
        # (prctl PR_SET_PDEATHSIG; the pool's own shutdown only runs when the parent exits cleanly).
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)
    rules_in_worker(recipe)


def _work(recipe: Recipe, chunk: Sequence[tuple[int, Scenario]], detailed: bool, keep: bool) -> Chunk:
    return evaluate_chunk(rules_in_worker(recipe), chunk, detailed, keep)


class _Submit(Protocol):
    def __call__(self, chunk: Sequence[tuple[int, Scenario]]) -> Any: ...


@contextmanager
def _local(recipe: Recipe, workers: int, detailed: bool, keep: bool) -> Iterator[_Submit]:
    # spawn, not fork: a forked child inherits the parent's threads' locks mid-flight. Each
    # process builds the rules once (initializer); chunks then carry only the digest's recipe.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(recipe,)) as pool:
        yield lambda chunk: pool.submit(_work, recipe, chunk, detailed, keep)


@contextmanager
def _dask(recipe: Recipe, scheduler: str | None, detailed: bool, keep: bool) -> Iterator[_Submit]:
    import importlib
    import logging

    logging.getLogger("distributed").setLevel(logging.ERROR)
    distributed: Any = importlib.import_module("distributed")  # untyped: used through Any
    with ExitStack() as stack:
        try:
            if scheduler is None:
                cluster = stack.enter_context(
                    distributed.LocalCluster(processes=True, threads_per_worker=1, dashboard_address=None)
                )
                client = stack.enter_context(distributed.Client(cluster))
            else:
                client = stack.enter_context(distributed.Client(scheduler, timeout=SCHEDULER_TIMEOUT))
        except (OSError, TimeoutError, ValueError) as exc:
            raise HarnessError.at(
                Location("harness"),
                f"--scheduler: no Dask scheduler answered at {scheduler!r} within {SCHEDULER_TIMEOUT} s"
                f" ({type(exc).__name__}); check the address",
            ) from None
        shipped = client.scatter(recipe, broadcast=True)  # the rules go to each worker once
        yield lambda chunk: client.submit(_work, shipped, chunk, detailed, keep, pure=False)


def in_flight(backend: str, workers: int) -> int:
    return 2 * workers if backend == "local" else 64


def run_chunks(
    rules: RuleSet,
    chunks: Iterable[Sequence[tuple[int, Scenario]]],
    detailed: bool,
    keep: bool,
    workers: int = 1,
    backend: str = "local",
    scheduler: str | None = None,
) -> Iterator[Chunk]:
    """Each chunk evaluated, in the order given: here (one local worker), in `workers` processes,
    or on a Dask cluster. A bounded number of chunks is in flight, so memory stays flat."""
    if backend == "local" and (workers <= 1 or not rules.sources):
        for chunk in chunks:
            yield evaluate_chunk(rules, chunk, detailed, keep)
        return
    recipe: Recipe = (rules.root, rules.sources, rules.digest, rules.contract)
    opened = _local(recipe, workers, detailed, keep) if backend == "local" else _dask(recipe, scheduler, detailed, keep)
    limit = in_flight(backend, workers)
    with opened as submit:
        pending: deque[Any] = deque()
        for chunk in chunks:
            pending.append(submit(chunk))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
