"""Fan work out over the machine's cores with forked workers.

Forked workers inherit what they share (a knowledge index, settings, a repository path) instead
of receiving it pickled, and this process takes a share of the work itself: only the results
cross a pipe. Plain `os.fork` and pipes, because a process pool's queues and threads cost more
than the whole work of a small knowledge base. Where fork is unavailable, or the work is too
small to split, it runs in this process.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class WorkerError(RuntimeError):
    """A forked worker failed; the message carries its exception."""


def fork_map(fn: Callable[[Any, T], R], items: Sequence[T], shared: Any, workers: int) -> list[R]:
    """[fn(shared, item) for item in items], on up to `workers` processes, in order."""
    n = min(workers, len(items))
    if n < 2 or not hasattr(os, "fork"):
        return [fn(shared, item) for item in items]
    # No garbage collection while the workers run: a collection walks every object, writing to
    # every page shared with them, and the work makes no reference cycles worth collecting
    # (documents are freed one by one as their references go).
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        return _fork_map(fn, items, shared, n)
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _fork_map(fn: Callable[[Any, T], R], items: Sequence[T], shared: Any, n: int) -> list[R]:
    shares = [range(k, len(items), n) for k in range(n)]  # round robin: similar loads
    children = [(_spawn(fn, items, shared, shares[k]), shares[k]) for k in range(1, n)]
    results: list[Any] = [None] * len(items)
    for i in shares[0]:
        results[i] = fn(shared, items[i])
    for (pid, pipe), share in children:
        with os.fdopen(pipe, "rb") as handle:
            ok, payload = pickle.loads(handle.read())
        os.waitpid(pid, 0)
        if not ok:
            raise WorkerError(payload)
        for i, value in zip(share, payload, strict=True):
            results[i] = value
    return results


def deal(items: Sequence[T], order: Callable[[T], Any], parts: int) -> list[list[T]]:
    """Deal items out like cards, in snake order (0, 1, 1, 0, 0, 1, ...), once sorted by
    `order`: neighbours in that order land in different parts, so that each part gets a like
    share of every kind of work. The slowest worker sets the wall time."""
    out: list[list[T]] = [[] for _ in range(max(parts, 1))]
    for i, item in enumerate(sorted(items, key=order)):
        lap, k = divmod(i, len(out))
        out[k if lap % 2 == 0 else len(out) - 1 - k].append(item)
    return out


def _spawn(
    fn: Callable[[Any, Any], Any], items: Sequence[Any], shared: Any, share: range
) -> tuple[int, int]:
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        return pid, read
    os.close(read)  # the worker: compute, send, and leave without running any exit handler
    try:
        data = pickle.dumps((True, [fn(shared, items[i]) for i in share]))
    except BaseException as exc:
        data = pickle.dumps((False, f"{type(exc).__name__}: {exc}"))
    with os.fdopen(write, "wb") as handle:
        handle.write(data)
    os._exit(0)
