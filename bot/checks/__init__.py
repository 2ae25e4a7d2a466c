"""Checks: the code behind rules. One module per kind, registered in CHECKS.

A check module has a `Params` dataclass (pydantic validates it when a rule file is loaded) and
a `check(ctx, params)` generator of `Hit`s. A check that can only find something in a change
(it compares with the version before, or reads the pull request) says so with
`changes_only(params) -> True`, and a plain check of files never calls it.
Rule files choose a check by its kind; the engine stamps code, severity and message.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any, Protocol

from bot.checks import (
    damage,
    duplicates,
    evidence,
    links,
    naming,
    parse,
    pr_description,
    schema,
    sections,
    sources,
    title,
)
from bot.checks.context import Context, PullRequestInfo
from bot.models import Hit

__all__ = ["CHECKS", "Check", "Context", "PullRequestInfo", "changes_only"]


class Check(Protocol):
    Params: type[Any]  # a frozen dataclass; pydantic validates it at the edge

    def check(self, ctx: Context, params: Any) -> Iterator[Hit]: ...


def changes_only(check: Check, params: Any) -> bool:
    only = getattr(check, "changes_only", None)
    return bool(only(params)) if only is not None else False


def _registered(*modules: ModuleType) -> dict[str, Check]:
    return {m.KIND: m for m in modules}  # type: ignore[misc]


CHECKS: dict[str, Check] = _registered(
    parse,
    schema,
    links,
    damage,
    sources,
    duplicates,
    title,
    naming,
    sections,
    pr_description,
    evidence,
)
