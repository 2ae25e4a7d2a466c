"""A new claim whose title says what an existing claim's title already says.

By the house convention a claim's file name is its title, so the knowledge index alone (paths,
no file contents) knows every existing claim's title. An IDF-weighted token index, built once
per knowledge index, shortlists the titles that share rare words with the new one; a fuzzy
score then keeps only near-restatements. Comparing every pair instead costs seconds per claim
on a large knowledge base.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from dataclasses import field
from typing import NamedTuple

from bot.checks.context import STRICT, Context
from bot.frozen import frozen
from bot.index import KnowledgeIndex
from bot.models import Hit, Related, Span
from bot.similarity import TokenIndex, title_similarity

KIND = "near-duplicates"
# Words in more than this share of titles (and more than MIN_COMMON of them) do not shortlist
# candidates when rarer words do: a restatement shares the rarer words too, and the long posting
# lists of words such as "ai" or "market" cost the most time.
COMMON = 0.02
MIN_COMMON = 200


@frozen
class Params:
    """The `params` of a rule of this kind."""

    __pydantic_config__ = STRICT
    folders: tuple[str, ...] = field(
        default=("domains/", "core/", "foundations/"),
        metadata={"description": "Where claims live."},
    )
    threshold: float = field(
        default=88.0,
        metadata={
            "ge": 50,
            "le": 100,
            "description": "Lowest similarity (0-100) that is reported.",
        },
    )
    shortlist: int = field(
        default=10, metadata={"ge": 1, "le": 100, "description": "Titles scored per claim."}
    )


class Match(NamedTuple):
    path: str
    title: str
    score: float


def changes_only(params: Params) -> bool:
    """It compares the claims a change adds with those already there."""
    return True


def check(ctx: Context, params: Params) -> Iterator[Hit]:
    doc = ctx.doc
    if ctx.change is None or ctx.change.status != "added":
        return
    if doc.meta.get("type") not in (None, "claim"):
        return
    titles = ClaimTitles.of(ctx.index, params.folders)
    best = titles.nearest(doc.stem, doc.path, params.shortlist)
    if doc.title != doc.stem:  # a slug file name with a readable `# title`
        other = titles.nearest(doc.title, doc.path, params.shortlist)
        if other and (best is None or other.score > best.score):
            best = other
    if best is None or best.score < params.threshold:
        return
    yield Hit(
        Span(doc.title_line or 1),
        {"existing": best.title, "path": best.path, "score": round(best.score)},
        related=(Related(best.path, 1, "the existing claim that says the same"),),
        key=best.path,
    )


# Built once per knowledge index (and per folder set), dropped with the index.
_BUILT: weakref.WeakKeyDictionary[KnowledgeIndex, dict[tuple[str, ...], ClaimTitles]] = (
    weakref.WeakKeyDictionary()
)


class ClaimTitles:
    """The titles (file stems) of the claims in a knowledge index, searchable by meaning."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        self.titles = [p.rsplit("/", 1)[-1][:-3] for p in paths]
        self._tokens = TokenIndex(self.titles)
        self._position = {path: i for i, path in enumerate(paths)}
        self._common = max(int(COMMON * len(paths)), MIN_COMMON)

    @classmethod
    def of(cls, index: KnowledgeIndex, folders: tuple[str, ...]) -> ClaimTitles:
        per_index = _BUILT.setdefault(index, {})
        found = per_index.get(folders)
        if found is None:
            paths = sorted(
                p
                for p in index.paths
                if p.startswith(folders)
                and p.lower().endswith(".md")
                and not p.rsplit("/", 1)[-1].startswith("_")  # `_map.md` and the like
            )
            found = per_index[folders] = cls(paths)
        return found

    def nearest(self, title: str, own_path: str, shortlist: int = 10) -> Match | None:
        """The best-scoring other title (bot.similarity.title_similarity)."""
        best: Match | None = None
        own = [self._position[own_path]] if own_path in self._position else []
        for i, _ in self._tokens.search(title, shortlist, own, max_postings=self._common):
            score = title_similarity(title, self.titles[i])
            if best is None or score > best.score:
                best = Match(self.paths[i], self.titles[i], score)
        return best
