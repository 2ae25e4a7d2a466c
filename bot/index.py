"""KnowledgeIndex: every file of the knowledge base by path and by name, to resolve wiki links.

The house rule, measured on the real corpus: a link with a folder path is tried as a repository
path first; otherwise the file name without `.md` is looked up anywhere in the repository,
ignoring case. `.md`, `|alias` and `#heading` are tolerated. A name held by several files is
ambiguous, never broken: precision of a broken-link finding matters more than anything here.
"""

from __future__ import annotations

import enum
import functools
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from bot.documents import WikiLink
from bot.similarity import Prepared, TokenIndex, prepare, prepared_similarity


class Outcome(enum.StrEnum):
    RESOLVED = "resolved"
    AMBIGUOUS = "ambiguous"
    UNRESOLVED = "unresolved"


class Resolution(NamedTuple):
    outcome: Outcome
    paths: tuple[str, ...] = ()  # the file (resolved) or the candidates (ambiguous)
    # Why a resolved link needed tolerance: "case", "md-suffix", "path" (for wiki-link-style).
    tolerated: tuple[str, ...] = ()


class KnowledgeIndex:
    def __init__(self, paths: Iterable[str]) -> None:
        self.paths: frozenset[str] = frozenset(paths)
        self._folded_paths: dict[str, list[str]] = defaultdict(list)
        self._by_stem: dict[str, list[str]] = defaultdict(list)  # markdown files, no `.md`
        self._by_name: dict[str, list[str]] = defaultdict(list)  # any file, full name
        for path in sorted(self.paths):
            self._folded_paths[path.lower()].append(path)
            name = path.rsplit("/", 1)[-1]
            self._by_name[name.lower()].append(path)
            if name.lower().endswith(".md"):
                self._by_stem[name[:-3].lower()].append(path)
        self._titles: list[str] | None = None
        # Per index, not per class: a cache on the method would keep every index alive.
        self._resolve = functools.lru_cache(maxsize=65536)(self._resolve_uncached)
        self._closest_cached = functools.lru_cache(maxsize=4096)(self._closest)

    def __len__(self) -> int:
        return len(self.paths)

    def resolve(self, link: WikiLink | str) -> Resolution:
        if isinstance(link, str):
            return self._resolve(link, False)
        return self._resolve(link.target, link.has_md_suffix)

    def _resolve_uncached(self, target: str, md_suffix: bool) -> Resolution:
        tolerated = ("md-suffix",) if md_suffix else ()
        target = target.strip().lstrip("/")
        if "/" in target:
            found = self._by_path(target)
            if found:
                how, path = found
                # A folder path is house style only where the bare name would be ambiguous.
                bare = self._by_stem.get(
                    _name(path).lower()[:-3] if path.lower().endswith(".md") else ""
                )
                needed = how == "path" and bare is not None and len(bare) > 1
                return Resolution(Outcome.RESOLVED, (path,), tolerated + (() if needed else (how,)))
        name = target.rsplit("/", 1)[-1]
        via_folder = ("path",) if "/" in target else ()
        for table, key in ((self._by_stem, name.lower()), (self._by_name, name.lower())):
            candidates = table.get(key)
            if not candidates:
                continue
            if len(candidates) > 1:
                return Resolution(Outcome.AMBIGUOUS, tuple(candidates))
            exact = _name(candidates[0]) in (f"{name}.md", name)
            case = () if exact else ("case",)
            return Resolution(Outcome.RESOLVED, tuple(candidates), tolerated + via_folder + case)
        return Resolution(Outcome.UNRESOLVED)

    def _by_path(self, target: str) -> tuple[str, str] | tuple[()]:
        """("path" or "case", found path) for a link written as a repository path, else ()."""
        for candidate in (f"{target}.md", target):
            if candidate in self.paths:
                return ("path", candidate)
            folded = self._folded_paths.get(candidate.lower())
            if folded and len(folded) == 1:
                return ("case", folded[0])
        return ()

    # --- nearest titles, for the message of an unresolved link ----------------------------

    @property
    def titles(self) -> list[str]:
        """File names of markdown files without `.md`: by the house convention, their titles."""
        if self._titles is None:
            self._titles = sorted({_name(p)[:-3] for p in self.paths if p.lower().endswith(".md")})
        return self._titles

    @functools.cached_property
    def _title_index(self) -> TokenIndex:
        return TokenIndex(self.titles)

    @functools.cached_property
    def _prepared_titles(self) -> list[Prepared]:
        return [prepare(title) for title in self.titles]

    def prepare(self) -> None:
        """Build what the closest-title search needs now: before forking workers, so that
        they share it instead of each building its own."""
        self._title_index  # noqa: B018 - cached properties, built on first access
        self._prepared_titles  # noqa: B018

    def closest(self, target: str, limit: int = 3, cutoff: float = 65.0) -> tuple[str, ...]:
        """Existing titles closest to `target`, best first (cached per index)."""
        return self._closest_cached(target, limit, cutoff)

    def _closest(self, target: str, limit: int, cutoff: float) -> tuple[str, ...]:
        """The token index shortlists titles that share rare words with the target; title
        similarity ranks them (it finds "... not information gaps" for a title that goes on
        "... not information gaps and systems must ...", and a title with a word changed).
        Twelve shortlisted titles give the same answers as thirty for all 307 broken links of
        the real corpus, whose answers come from the first six."""
        scored = []
        query = prepare(target)
        floor = cutoff  # no title more than 15 below the best is named: the bar rises
        for i, _ in self._title_index.search(target, limit=max(12, limit * 4)):
            score = prepared_similarity(query, self._prepared_titles[i], floor)
            if score >= floor:
                scored.append((score, self.titles[i]))
                floor = max(floor, score - 15)
        scored.sort(key=lambda item: (-item[0], item[1]))
        best = scored[0][0] if scored else 0
        return tuple(t for score, t in scored[:limit] if score >= best - 15)


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]
