"""Fan work out over the machine's cores with forked workers.

Forked workers inherit what they share (a knowledge index, settings, a repository path) instead
of receiving it pickled; only the items and the results cross the process boundary. Where fork
is unavailable, or the work is too small to pay for a pool, it runs in this process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_task: tuple[Callable[[Any, Any], Any], Any] | None = None  # inherited by forked workers


def fork_map(fn: Callable[[Any, T], R], items: Sequence[T], shared: Any, workers: int) -> list[R]:
    """[fn(shared, item) for item in items], on up to `workers` processes, in order."""
    if workers < 2 or len(items) < 2:
        return [fn(shared, item) for item in items]
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_all_start_methods, get_context

    if "fork" not in get_all_start_methods():
        return [fn(shared, item) for item in items]

    global _task
    _task = (fn, shared)
    try:
        with ProcessPoolExecutor(min(workers, len(items)), mp_context=get_context("fork")) as pool:
            return list(pool.map(_call, items))
    finally:
        _task = None


def _call(item: Any) -> Any:
    assert _task is not None
    fn, shared = _task
    return fn(shared, item)
