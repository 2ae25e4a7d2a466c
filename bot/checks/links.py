"""Wiki links against the knowledge index: unresolved, ambiguous, or resolved only by tolerance."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from bot.checks.context import STRICT, Context
from bot.index import Outcome
from bot.models import Hit, Related

KIND = "wiki-links"


@dataclass(frozen=True)
class Params:
    __pydantic_config__ = STRICT
    report: Literal["unresolved", "ambiguous", "style"]
    closest: int = field(
        default=3, metadata={"ge": 0, "le": 10, "description": "How many near titles to name."}
    )


def check(ctx: Context, params: Params) -> Iterator[Hit]:
    for link in ctx.doc.links:
        res = ctx.index.resolve(link)
        if params.report == "unresolved" and res.outcome is Outcome.UNRESOLVED:
            near = ctx.index.closest(link.target, limit=params.closest) if params.closest else []
            hint = ""
            if near:
                hint = "; closest existing title: " + " | ".join(f"`{t}`" for t in near)
            yield Hit(link.span, {"target": link.target, "closest": hint}, key=link.target)
        elif params.report == "ambiguous" and res.outcome is Outcome.AMBIGUOUS:
            related = tuple(
                Related(p, 1, "one of the files this link could mean") for p in res.paths
            )
            yield Hit(
                link.span,
                {
                    "target": link.target,
                    "count": len(res.paths),
                    "candidates": ", ".join(f"`{p}`" for p in res.paths[:5])
                    + (", ..." if len(res.paths) > 5 else ""),
                },
                related=related,
                key=link.target,
            )
        elif params.report == "style" and res.outcome is Outcome.RESOLVED and res.tolerated:
            why = {
                "case": "its letter case differs from the file name",
                "md-suffix": "it carries a `.md` suffix",
                "path": "it names a folder path",
            }
            yield Hit(
                link.span,
                {
                    "target": link.target,
                    "path": res.paths[0],
                    "why": " and ".join(why[t] for t in res.tolerated),
                },
                key=link.target,
            )
