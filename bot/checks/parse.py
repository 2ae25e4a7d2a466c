"""Parse problems (bytes, encoding, frontmatter) surfaced as findings of their rule."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from bot.checks.context import STRICT, Context
from bot.frozen import frozen
from bot.models import Hit

KIND = "parse"


@frozen
class Params:
    """The `params` of a rule of this kind."""

    __pydantic_config__ = STRICT
    # Which problems this rule reports: the parser files each under one of these.
    problem: Literal["frontmatter-syntax", "unreadable-file", "file-encoding"]


def check(ctx: Context, params: Params) -> Iterator[Hit]:
    for problem in ctx.doc.problems:
        if problem.rule == params.problem:
            yield Hit(problem.span, problem.args)
