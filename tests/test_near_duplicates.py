"""near-duplicate-claim at scale: one title index per knowledge index, fast queries."""

from __future__ import annotations

from bench.near_duplicates import run, synthetic_titles
from bot.checks.duplicates import ClaimTitles
from bot.index import KnowledgeIndex
from bot.similarity import TokenIndex

FOLDERS = ("domains/", "core/", "foundations/")


def test_fifty_new_claims_against_fifty_thousand_titles() -> None:
    timing = run(existing=50_000, new=50)
    assert timing.matches == 25  # every planted restatement is found, nothing else
    assert timing.query < 2.0, f"50 queries took {timing.query:.2f} s"


def test_the_title_index_is_built_once_per_knowledge_index() -> None:
    titles = synthetic_titles(200)
    index = KnowledgeIndex([f"domains/x/{t}.md" for t in titles] + ["domains/x/_map.md"])
    built = ClaimTitles.of(index, FOLDERS)
    assert ClaimTitles.of(index, FOLDERS) is built
    assert "domains/x/_map.md" not in built.paths
    assert ClaimTitles.of(KnowledgeIndex(index.paths), FOLDERS) is not built


def test_a_claim_is_never_its_own_duplicate() -> None:
    index = KnowledgeIndex(["domains/x/rural clinics outlast city chains in flu season.md"])
    path = "domains/x/rural clinics outlast city chains in flu season.md"
    assert ClaimTitles.of(index, FOLDERS).nearest(path[10:-3], path) is None


def test_common_words_count_again_when_rare_words_find_nothing_else() -> None:
    texts = [f"market growth story {i}" for i in range(20)] + ["market growth outlier"]
    index = TokenIndex(texts)
    # "outlier" is only in the query's own text (20): the common words must shortlist.
    found = index.search("market growth outlier", limit=3, exclude=[20], max_postings=5)
    assert found and all(i < 20 for i, _ in found)
    # With a rare word shared by another text, that text alone is scored.
    texts.append("outlier market")
    index = TokenIndex(texts)
    found = index.search("market growth outlier", limit=3, exclude=[20], max_postings=5)
    assert [i for i, _ in found] == [21]
