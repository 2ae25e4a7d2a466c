from __future__ import annotations

import os

import pytest

from bot.parallel import WorkerError, deal, fork_map


def test_results_come_back_in_order_from_every_worker():
    pids = fork_map(lambda shared, x: (x * shared, os.getpid()), list(range(9)), 3, 2)
    assert [value for value, _ in pids] == [x * 3 for x in range(9)]
    assert len({pid for _, pid in pids}) == 2  # this process and one forked worker


def test_small_work_stays_in_this_process():
    assert fork_map(lambda shared, x: os.getpid(), [1], None, 4) == [os.getpid()]


def test_a_failing_worker_is_reported():
    with pytest.raises((WorkerError, ZeroDivisionError), match="division by zero"):
        fork_map(lambda shared, x: 1 / (x - 5), list(range(10)), None, 2)


def test_deal_gives_each_part_a_like_share_of_each_kind():
    items = [("claims", size) for size in (900, 800, 300, 200)] + [("maps", 50), ("maps", 40)]
    parts = deal(items, lambda item: (item[0], -item[1]), 2)
    assert [sorted(part) for part in parts] == [
        [("claims", 200), ("claims", 900), ("maps", 50)],
        [("claims", 300), ("claims", 800), ("maps", 40)],
    ]


def test_deal_with_more_parts_than_items_leaves_some_empty():
    assert sorted(map(len, deal(["x"], str, 3))) == [0, 0, 1]
