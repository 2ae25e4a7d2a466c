from __future__ import annotations

import os

import pytest

from bot.parallel import WorkerError, balance, fork_map


def test_results_come_back_in_order_from_every_worker():
    pids = fork_map(lambda shared, x: (x * shared, os.getpid()), list(range(9)), 3, 2)
    assert [value for value, _ in pids] == [x * 3 for x in range(9)]
    assert len({pid for _, pid in pids}) == 2  # this process and one forked worker


def test_small_work_stays_in_this_process():
    assert fork_map(lambda shared, x: os.getpid(), [1], None, 4) == [os.getpid()]


def test_a_failing_worker_is_reported():
    with pytest.raises((WorkerError, ZeroDivisionError), match="division by zero"):
        fork_map(lambda shared, x: 1 / (x - 5), list(range(10)), None, 2)


def test_balance_splits_by_weight_not_by_count():
    sizes = {"big": 900, "a": 300, "b": 300, "c": 300, "d": 10, "e": 10}
    parts = balance(list(sizes), sizes.__getitem__, 2)
    loads = sorted(sum(sizes[p] for p in part) for part in parts)
    assert loads == [910, 910]
    assert sorted(p for part in parts for p in part) == sorted(sizes)  # nothing lost


def test_balance_with_more_parts_than_items_leaves_some_empty():
    parts = balance(["x"], lambda _: 1, 3)
    assert sorted(map(len, parts)) == [0, 0, 1]
