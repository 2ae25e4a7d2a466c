from __future__ import annotations

import time

from bot.documents import parse_text
from bot.index import KnowledgeIndex, Outcome

PATHS = [
    "domains/health/Walking groups keep older adults active.md",
    "domains/health/_map.md",
    "domains/space/_map.md",
    "core/mechanisms/shared name.md",
    "domains/finance/shared name.md",
    "assets/chart.png",
]
INDEX = KnowledgeIndex(PATHS)


def link(text: str):
    (found,) = parse_text("x.md", text).links
    return found


def test_resolves_by_name_anywhere_ignoring_case():
    res = INDEX.resolve(link("[[walking groups keep older adults active]]"))
    assert res.outcome is Outcome.RESOLVED
    assert res.paths == ("domains/health/Walking groups keep older adults active.md",)
    assert res.tolerated == ("case",)
    exact = INDEX.resolve(link("[[Walking groups keep older adults active]]"))
    assert exact.tolerated == ()


def test_path_first_then_name():
    res = INDEX.resolve(link("[[core/mechanisms/shared name]]"))
    assert res.outcome is Outcome.RESOLVED and res.paths == ("core/mechanisms/shared name.md",)
    assert res.tolerated == ()  # the bare name is ambiguous: the folder path is needed
    plain = INDEX.resolve(link("[[domains/health/Walking groups keep older adults active]]"))
    assert plain.tolerated == ("path",)  # the bare name would do
    # A bare name held by two files is ambiguous and names both.
    amb = INDEX.resolve(link("[[shared name]]"))
    assert amb.outcome is Outcome.AMBIGUOUS
    assert set(amb.paths) == {"core/mechanisms/shared name.md", "domains/finance/shared name.md"}


def test_md_suffix_alias_heading_tolerated():
    res = INDEX.resolve(link("[[Walking groups keep older adults active.md|walk#Evidence]]"))
    assert res.outcome is Outcome.RESOLVED and "md-suffix" in res.tolerated


def test_non_markdown_files_resolve_by_full_name():
    assert INDEX.resolve(link("[[chart.png]]")).outcome is Outcome.RESOLVED
    assert INDEX.resolve(link("[[chart]]")).outcome is Outcome.UNRESOLVED


def test_unresolved_names_closest_titles():
    res = INDEX.resolve(link("[[walking groups keep adults active]]"))
    assert res.outcome is Outcome.UNRESOLVED
    assert INDEX.closest("walking groups keep adults active") == (
        "Walking groups keep older adults active",
    )
    assert INDEX.closest("quantum chromodynamics") == ()


def test_closest_scales_with_an_index():
    titles = [
        f"domains/x/claim {i} about topic {i % 97} and factor {i % 89}.md" for i in range(50_000)
    ]
    big = KnowledgeIndex(titles)
    big.closest("warm up")  # build the token index once
    started = time.perf_counter()
    for i in range(20):
        big.closest(f"claim {i * 7} about topic {i} and factor")
    # Generous bound: an all-pairs fuzzy scan takes seconds per query at this size.
    assert time.perf_counter() - started < 10
