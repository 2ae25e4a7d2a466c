"""Source archives (`inbox/archive/`) against their lifecycle and the claims drawn from them.

An archive moves `unprocessed -> processing -> processed | null-result`; once processed, its
`claims_extracted` names the claims it gave. Three facets: the archive's status agrees with its
own fields; every title it lists exists; and a change that adds claims from an archived source
lists them in that archive.

Titles are matched loosely on purpose (case, punctuation, hyphen slugs and `.md` do not count,
and a listed title may be cut short), because a wrong "missing" finding costs more trust here
than a late one.
"""

from __future__ import annotations

import bisect
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import field
from typing import Any, Literal

from bot import patterns
from bot.checks.context import STRICT, Context
from bot.documents import Document
from bot.frontmatter import is_blank
from bot.frozen import frozen
from bot.index import KnowledgeIndex, Outcome
from bot.models import Hit, Span
from bot.similarity import split_words

KIND = "source-archive"

ARCHIVE = "inbox/archive/"
_TRAILING_NOTE = patterns.compile(r"\s*\([^()]*\)\s*$")  # "(co-source, challenges)" after a title


@frozen
class Params:
    """The `params` of a rule of this kind."""

    __pydantic_config__ = STRICT
    facet: Literal["status", "missing-claim", "not-updated"]
    min_prefix: int = field(
        default=24,
        metadata={
            "ge": 8,
            "description": "Shortest listed title accepted as the start of a title.",
        },
    )


def changes_only(params: Params) -> bool:
    """`not-updated` looks at the claims a change adds; the other facets at any file."""
    return params.facet == "not-updated"


def check(ctx: Context, params: Params) -> Iterator[Hit]:
    if params.facet == "status":
        yield from _status(ctx.doc)
    elif params.facet == "missing-claim":
        yield from _missing(ctx, params)
    else:
        yield from _not_updated(ctx, params)


# --- status ----------------------------------------------------------------------------------


def _status(doc: Document) -> Iterator[Hit]:
    meta = doc.meta
    status = meta.get("status")
    problem = None
    if status == "processed":
        needed = [k for k in ("processed_by", "processed_date") if is_blank(meta.get(k))]
        # `enrichments_applied` is the extraction pipeline's name for `enrichments`.
        if all(
            is_blank(meta.get(k))
            for k in ("claims_extracted", "enrichments", "enrichments_applied")
        ):
            needed.append("`claims_extracted` or `enrichments`")
        if needed:
            problem = "needs " + ", ".join(n if n.startswith("`") else f"`{n}`" for n in needed)
    elif status in ("null-result", "partial"):
        # The pipeline writes its explanation to `extraction_notes`; either field explains.
        if is_blank(meta.get("notes")) and is_blank(meta.get("extraction_notes")):
            problem = "needs `notes` saying why"
        elif status == "null-result" and not is_blank(meta.get("claims_extracted")):
            problem = "yet `claims_extracted` lists claims"
    elif status == "unprocessed":
        filled = [
            k
            for k in ("processed_by", "processed_date", "claims_extracted", "enrichments")
            if not is_blank(meta.get(k))
        ]
        if filled:
            problem = "yet " + ", ".join(f"`{k}`" for k in filled) + " is filled in"
    if problem:
        yield Hit(Span(doc.line_of("status")), {"status": status, "problem": problem}, key=status)


# --- listed claims that do not exist ---------------------------------------------------------


def _missing(ctx: Context, params: Params) -> Iterator[Hit]:
    fm = ctx.doc.frontmatter
    items = ctx.doc.meta.get("claims_extracted")
    if fm is None or not isinstance(items, list):
        return
    # What the base already listed was reviewed before: only titles this change lists count.
    before = ctx.base.meta.get("claims_extracted") if ctx.base else None
    old = {norm(i) for i in before if isinstance(i, str)} if isinstance(before, list) else set()
    titles = _Titles.of(ctx.index)
    batch = _batch_titles(ctx)
    lines = fm.fields["claims_extracted"].item_lines
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip() or norm(item) in old:
            continue
        if _exists(item, ctx.index, titles, batch, params.min_prefix):
            continue
        line = lines[i] if i < len(lines) else fm.line_of("claims_extracted")
        yield Hit(Span(line), {"title": _short(item)}, key=norm(item))


def _exists(
    item: str, index: KnowledgeIndex, titles: _Titles, batch: set[str], min_prefix: int
) -> bool:
    text = _unwrap(item)
    # Notes after the title are not part of it.
    bare = _TRAILING_NOTE.sub("", text)
    for candidate in dict.fromkeys((text, bare)):
        if index.resolve(candidate).outcome is not Outcome.UNRESOLVED:
            return True
        key = norm(candidate)
        if key in batch or titles.has(key, min_prefix):
            return True
    return False


# --- claims a change adds without the archive saying so ---------------------------------------


def _not_updated(ctx: Context, params: Params) -> Iterator[Hit]:
    doc = ctx.doc
    if ctx.change is None or ctx.change.status != "added":
        return
    kind = doc.meta.get("type")
    if kind is not None and kind != "claim":
        return
    archives = _archives_named(_source_texts(doc), ctx.index)
    if not archives:
        # Nothing in the claim names an archive: the pull request's title may ("extract claims
        # from 2026-01-01-some-source"), but only when it names exactly one.
        named = _archives_named([ctx.pr.title], ctx.index) if ctx.pr else []
        archives = named if len(named) == 1 else []
    mine = {norm(doc.stem), norm(doc.title)}
    for path in archives:
        archive = ctx.batch.get(path)
        line = doc.line_of("source")
        if archive is None:
            why = "is not part of this change"
        else:
            listed = _listed(archive.meta)
            if any(_same(item, mine, doc.path, ctx.index, params.min_prefix) for item in listed):
                continue
            status = archive.meta.get("status")
            state = f" (`status: {status}`)" if status else ""
            why = f"{state} does not list it in `claims_extracted`".lstrip()
        yield Hit(Span(line), {"archive": path, "why": why}, key=path)


def _source_texts(doc: Document) -> list[str]:
    """The `source:` field, and links written as a source (`*Source: [[...]]*`).

    Other links to archives are evidence the claim cites, not necessarily where it came from.
    """
    texts = [str(doc.meta.get("source") or "")]
    for link in doc.links:
        line = doc.lines[link.span.line - 1]
        if "source" in line[: link.span.column - 1].lower():
            texts.append(link.target)
    return texts


# Archive files start with a date. Matching starts only at a token's start and repeats are
# bounded, so that one long token costs linear time.
_TOKEN = patterns.compile(r"(?<![\w./-])[\w./-]{0,160}?\d{4}-\d\d[\w.-]{0,200}")


def _archives_named(texts: Iterable[str], index: KnowledgeIndex) -> list[str]:
    found: dict[str, None] = {}
    for text in texts:
        for token in _TOKEN.findall(text):
            res = index.resolve(token.strip("./"))
            if res.outcome is Outcome.RESOLVED and res.paths[0].startswith(ARCHIVE):
                found[res.paths[0]] = None
    return list(found)


def _listed(meta: dict[str, Any]) -> list[str]:
    items: list[str] = []
    for key in ("claims_extracted", "enrichments"):
        value = meta.get(key)
        if isinstance(value, list):
            items.extend(v for v in value if isinstance(v, str))
    return items


def _same(item: str, mine: set[str], path: str, index: KnowledgeIndex, min_prefix: int) -> bool:
    text = _unwrap(item)
    res = index.resolve(text)
    if res.outcome is not Outcome.UNRESOLVED and path in res.paths:
        return True
    key = norm(text)
    return key in mine or (len(key) >= min_prefix and any(m.startswith(key) for m in mine))


# --- titles ----------------------------------------------------------------------------------


def _batch_titles(ctx: Context) -> set[str]:
    """Normalised titles of the documents of the change (once per run, not per file)."""
    if "batch-titles" not in ctx.run_memo:
        titles = {norm(t) for d in ctx.batch.values() for t in (d.stem, d.title)}
        ctx.run_memo["batch-titles"] = titles
    return ctx.run_memo["batch-titles"]  # type: ignore[no-any-return]


def norm(text: str) -> str:
    """A title as words: case, punctuation, hyphens, brackets and `.md` do not count."""
    text = _unwrap(text)
    return " ".join(split_words(text))


def _unwrap(text: str) -> str:
    text = text.strip().strip("\"'").strip()
    if text.startswith("[[") and text.endswith("]]"):
        text = text[2:-2].partition("|")[0]
    if text.lower().endswith(".md"):
        text = text[:-3]
    return text.strip()


_BUILT: weakref.WeakKeyDictionary[KnowledgeIndex, _Titles] = weakref.WeakKeyDictionary()


class _Titles:
    """Normalised titles of the knowledge base, sorted for prefix search; one per index."""

    def __init__(self, titles: Iterable[str]) -> None:
        self.sorted = sorted({norm(t) for t in titles})

    @classmethod
    def of(cls, index: KnowledgeIndex) -> _Titles:
        titles = _BUILT.get(index)
        if titles is None:
            titles = _BUILT[index] = cls(index.titles)
        return titles

    def has(self, key: str, min_prefix: int) -> bool:
        """`key` is a title, or (when long enough) the start of one."""
        i = bisect.bisect_left(self.sorted, key)
        if i == len(self.sorted):
            return False
        found = self.sorted[i]
        return found == key or (len(key) >= min_prefix and found.startswith(key))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 90 else text[:87] + "..."
