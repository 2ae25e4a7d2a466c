"""Checks: the code behind rules. One module per kind, registered in CHECKS.

A check module has a pydantic `Params` model and a `check(ctx, params)` generator of `Hit`s.
Rule files choose a check by its kind; the engine stamps code, severity and message.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any, Protocol

from pydantic import BaseModel

from bot.checks import links, parse, schema
from bot.checks.context import Context, PullRequestInfo
from bot.models import Hit

__all__ = ["CHECKS", "Check", "Context", "PullRequestInfo"]


class Check(Protocol):
    Params: type[BaseModel]

    def check(self, ctx: Context, params: Any) -> Iterator[Hit]: ...


def _registered(*modules: ModuleType) -> dict[str, Check]:
    return {m.KIND: m for m in modules}  # type: ignore[misc]


CHECKS: dict[str, Check] = _registered(parse, schema, links)
