"""Fan work out over the machine's cores with forked workers.

Forked workers inherit what they share (a knowledge index, settings, a repository path) instead
of receiving it pickled, and this process works too: only the results cross a pipe. Plain
`os.fork` and pipes, because a process pool's queues and threads cost more than the whole work
of a small knowledge base. Where fork is unavailable, or the work is too small to split, it runs
in this process.

Items are handed out as processes become free, not dealt in advance: cores of a shared machine
run at different speeds from one second to the next, and a forked worker pays for the memory
pages it copies, so a fixed split leaves one process waiting on the other.
"""

from __future__ import annotations

import gc
import io
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# The numbers of the items wait in a pipe, 4 bytes each, written before any process reads:
# they must fit in the smallest pipe buffer of the systems we run on (16 KiB), or writing them
# would block.
_RECORD = 4
MAX_ITEMS = 16 * 1024 // _RECORD


class WorkerError(RuntimeError):
    """A forked worker failed; the message carries its exception."""


def fork_map(fn: Callable[[Any, T], R], items: Sequence[T], shared: Any, workers: int) -> list[R]:
    """[fn(shared, item) for item in items], on up to `workers` processes, in order. Items are
    taken in order, each by the next free process: put the costliest first."""
    n = min(workers, len(items))
    if n < 2 or not hasattr(os, "fork") or len(items) > MAX_ITEMS:
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
    todo, write = os.pipe()
    os.write(write, b"".join(i.to_bytes(_RECORD, "little") for i in range(len(items))))
    os.close(write)  # once the numbers are read, every process reads the end of the pipe
    children: list[tuple[int, int]] = []
    try:
        children = [_spawn(fn, items, shared, todo) for _ in range(n - 1)]
        results: list[Any] = [None] * len(items)
        for i, value in _take(fn, items, shared, todo):
            results[i] = value
        for k, (pid, pipe) in enumerate(children):
            with os.fdopen(pipe, "rb") as handle:
                sent = io.BytesIO(handle.read())
            os.waitpid(pid, 0)
            children[k] = (0, -1)
            unpickler = pickle.Unpickler(sent)  # one memo for all, as the worker pickled them
            while sent.tell() < len(sent.getbuffer()):
                ok, i, value = unpickler.load()
                if not ok:
                    raise WorkerError(value)
                results[i] = value
        return results
    finally:
        os.close(todo)
        for pid, pipe in children:  # only after a failure here: stop the others, then reap them
            if pid:
                os.close(pipe)
                os.waitpid(pid, 0)


def _take(
    fn: Callable[[Any, T], R], items: Sequence[T], shared: Any, todo: int
) -> Iterator[tuple[int, R]]:
    """(number, result) for each item this process takes. A read of one record from a pipe is
    atomic, so no two processes take the same item."""
    while len(record := os.read(todo, _RECORD)) == _RECORD:
        i = int.from_bytes(record, "little")
        yield i, fn(shared, items[i])


def _spawn(
    fn: Callable[[Any, Any], Any], items: Sequence[Any], shared: Any, todo: int
) -> tuple[int, int]:
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        return pid, read
    os.close(read)  # the worker: compute, send, and leave without running any exit handler
    sent = io.BytesIO()
    # One pickler for all the results: its memo spans them, so a class, a path or a rule name
    # is written once, not once per finding (half the bytes, half the time to read them back).
    pickler = pickle.Pickler(sent, pickle.HIGHEST_PROTOCOL)
    try:
        try:
            # Each result is pickled as soon as it is made: the cost is spread over the items,
            # which the scheduling evens out, instead of falling at the end, when the parent
            # waits for it.
            for i, value in _take(fn, items, shared, todo):
                pickler.dump((True, i, value))
        except BaseException as exc:  # the map fails: the results so far are of no use
            sent = io.BytesIO(pickle.dumps((False, -1, f"{type(exc).__name__}: {exc}")))
        with os.fdopen(write, "wb") as handle:
            handle.write(sent.getbuffer())  # fails only when the parent gave up: nothing to tell
    finally:
        os._exit(0)  # never return into the parent's code
