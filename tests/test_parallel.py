from __future__ import annotations

import os
import time

import pytest

from bot.parallel import MAX_ITEMS, WorkerError, fork_map
from bot.pipeline import batches


def _slow(shared: float, x: int) -> tuple[int, int]:
    time.sleep(shared)
    return x * 3, os.getpid()


def test_results_come_back_in_order_from_every_worker():
    results = fork_map(_slow, list(range(12)), 0.02, 2)
    assert [value for value, _ in results] == [x * 3 for x in range(12)]
    assert len({pid for _, pid in results}) == 2  # this process and one forked worker


def test_each_item_is_taken_once_and_a_slow_process_takes_fewer():
    def work(shared: None, x: int) -> int:
        if os.getpid() != parent:
            time.sleep(0.05)  # the worker is five times slower than this process
        else:
            time.sleep(0.01)
        return os.getpid()

    parent = os.getpid()
    pids = fork_map(work, list(range(40)), None, 2)
    assert len(pids) == 40
    assert pids.count(parent) > pids.count(next(p for p in pids if p != parent))


def test_small_work_stays_in_this_process():
    assert fork_map(lambda shared, x: os.getpid(), [1], None, 4) == [os.getpid()]
    many = fork_map(lambda shared, x: os.getpid(), list(range(MAX_ITEMS + 1)), None, 2)
    assert set(many) == {os.getpid()}  # more numbers than a pipe surely holds


def test_a_failing_worker_is_reported():
    def fail_in_worker(shared: int, x: int) -> int:
        time.sleep(0.01)
        if os.getpid() != shared:
            raise ZeroDivisionError("division by zero")
        return x

    with pytest.raises(WorkerError, match="ZeroDivisionError: division by zero"):
        fork_map(fail_in_worker, list(range(20)), os.getpid(), 2)


def test_results_that_share_objects_come_back_whole():
    shared_part = ("a rule name", ("a", "path"))  # pickled once, then referred to

    def work(shared: None, x: int) -> tuple[object, ...]:
        return (shared_part, x, [shared_part] * (x % 3))

    results = fork_map(work, list(range(30)), None, 2)
    assert results == [(shared_part, x, [shared_part] * (x % 3)) for x in range(30)]


def test_a_result_that_cannot_be_pickled_fails_the_map_cleanly():
    def unpicklable_in_worker(shared: int, x: int) -> object:
        time.sleep(0.01)
        if os.getpid() != shared and x > 2:
            return (x, lambda: x)  # half of it is written before pickle gives up
        return x

    with pytest.raises(WorkerError, match="pickle"):
        fork_map(unpicklable_in_worker, list(range(20)), os.getpid(), 2)


def test_a_failure_here_stops_and_reaps_the_workers(monkeypatch):
    forked: list[int] = []
    fork = os.fork

    def recording_fork() -> int:
        pid = fork()
        forked.append(pid)
        return pid

    def fail_here(shared: int, x: int) -> int:
        time.sleep(0.01)
        if os.getpid() == shared and x > 4:
            raise ValueError("broken")
        return x

    monkeypatch.setattr(os, "fork", recording_fork)
    with pytest.raises(ValueError, match="broken"):
        fork_map(fail_here, list(range(30)), os.getpid(), 2)
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)  # reaped already: no worker left behind


def test_batches_hold_every_path_once_largest_files_first():
    sizes = {f"f{i}.md": i for i in range(100)}
    parts = batches(list(sizes), sizes, 2)
    flat = [p for part in parts for p in part]
    assert sorted(flat) == sorted(sizes)
    assert [sizes[p] for p in flat] == sorted(sizes.values(), reverse=True)
    assert len(parts) > 2 and max(map(len, parts)) <= 3
    assert batches(["a.md"], {}, 1) == [["a.md"]]
