"""Wiki links against the knowledge index: unresolved, ambiguous, or resolved only by tolerance."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field
from typing import Literal

from bot.checks.context import STRICT, Context
from bot.documents import WikiLink
from bot.frozen import frozen
from bot.index import Outcome, Resolution
from bot.models import Applicability, Hit, Related, Span, Suggestion

KIND = "wiki-links"


@frozen
class Params:
    """The `params` of a rule of this kind."""

    __pydantic_config__ = STRICT
    report: Literal["unresolved", "ambiguous", "style"]
    closest: int = field(
        default=3, metadata={"ge": 0, "le": 10, "description": "How many near titles to name."}
    )


def check(ctx: Context, params: Params) -> Iterator[Hit]:
    outcome = _OUTCOME[params.report]
    for link, res, also in _resolved(ctx):
        if res.outcome is outcome:  # most links resolve: only these are looked at closely
            hit = _hit(ctx, params, link, res, also)
            if hit is not None:
                yield hit


_OUTCOME = {
    "unresolved": Outcome.UNRESOLVED,
    "ambiguous": Outcome.AMBIGUOUS,
    "style": Outcome.RESOLVED,  # and resolved only by tolerance
}


def _resolved(ctx: Context) -> list[tuple[WikiLink, Resolution, str]]:
    """Each target the document links to, once: (anchor link, resolution, "also on ..." note).

    One finding per target and file: a broken title linked five times is one problem. It is
    anchored on a line the change adds when there is one, so that it can be commented on.
    Worked out once per document for the three link rules.
    """
    memo = ctx.doc_memo.get(KIND)
    if memo is not None:
        return memo  # type: ignore[no-any-return]
    groups: dict[str, list[WikiLink]] = {}
    for link in ctx.doc.links:
        groups.setdefault(link.target, []).append(link)
    added = ctx.change.added if ctx.change is not None else frozenset()
    memo = ctx.doc_memo[KIND] = []
    for links in groups.values():
        anchor = next((x for x in links if x.span.line in added), links[0]) if added else links[0]
        also = ""
        if len(links) > 1 and (others := sorted({x.span.line for x in links} - {anchor.span.line})):
            also = f" (also on line{'s' if len(others) > 1 else ''} {', '.join(map(str, others))})"
        memo.append((anchor, ctx.index.resolve(anchor), also))
    return memo


def _hit(ctx: Context, params: Params, link: WikiLink, res: Resolution, also: str) -> Hit | None:
    args = {"target": link.target, "also": also}
    if params.report == "unresolved" and res.outcome is Outcome.UNRESOLVED:
        near = ctx.index.closest(link.target, limit=params.closest) if params.closest else ()
        hint = "; closest existing title: " + " | ".join(f"`{t}`" for t in near) if near else ""
        return Hit(link.span, {**args, "closest": hint}, key=link.target)
    if params.report == "ambiguous" and res.outcome is Outcome.AMBIGUOUS:
        shown = ", ".join(f"`{p}`" for p in res.paths[:5]) + (", ..." if len(res.paths) > 5 else "")
        related = tuple(Related(p, 1, "one of the files this link could mean") for p in res.paths)
        return Hit(
            link.span,
            {**args, "count": len(res.paths), "candidates": shown},
            related=related,
            key=link.target,
        )
    if params.report == "style" and res.outcome is Outcome.RESOLVED and res.tolerated:
        why = " and ".join(_WHY[t] for t in res.tolerated)
        return Hit(
            link.span,
            {**args, "path": res.paths[0], "why": why},
            suggestion=_exact_link(ctx, link, res.paths[0], res.tolerated),
            key=link.target,
        )
    return None


_WHY = {
    "case": "its letter case differs from the file name",
    "md-suffix": "it carries a `.md` suffix",
    "path": "it names a folder path",
}


def _exact_link(
    ctx: Context, link: WikiLink, path: str, tolerated: tuple[str, ...]
) -> Suggestion | None:
    """The line with the link written as the file's exact title: safe, it resolves the same."""
    if "path" in tolerated or link.in_frontmatter:
        return None  # a folder path may be deliberate; YAML quoting is the author's
    stem = path.rsplit("/", 1)[-1]
    stem = stem[:-3] if stem.lower().endswith(".md") else stem
    inner = (
        stem
        + (f"#{link.heading}" if link.heading else "")
        + (f"|{link.alias}" if link.alias else "")
    )
    line = ctx.doc.lines[link.span.line - 1]
    start, end = link.span.column - 1, (link.span.end_column or link.span.column) - 1
    if line[start : start + 2] != "[[" or line[end - 2 : end] != "]]":
        return None
    fixed = f"{line[:start]}[[{inner}]]{line[end:]}"
    return Suggestion(Span(link.span.line), fixed, Applicability.SAFE)
