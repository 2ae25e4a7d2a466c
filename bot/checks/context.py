"""The context a check reads: one document and what surrounds it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from bot.validate import STRICT

__all__ = ["STRICT", "Context", "PullRequestInfo"]

if TYPE_CHECKING:
    from bot.diff import ChangedFile
    from bot.documents import Document
    from bot.index import KnowledgeIndex
    from bot.rulebook import SchemaSpec


class PullRequestInfo(NamedTuple):
    """What the pull request says of itself (title and description), for rules that read it."""

    title: str = ""
    body: str | None = ""  # None: the description is not known (a replay of git history)


@dataclass(frozen=True)  # not @frozen: made per file, see bot/frozen.py
class Context:
    """Everything a check may look at for one document."""

    doc: Document
    index: KnowledgeIndex
    schemas: Mapping[str, SchemaSpec]
    change: ChangedFile | None = None  # None when plain files are checked
    base: Document | None = None  # the file before the change, for modified files
    # Every document of the change under review (empty when plain files are checked).
    batch: Mapping[str, Document] = field(default_factory=dict)
    pr: PullRequestInfo | None = None
    # What checks derive once and share: `doc_memo` for this document (its evidence, say),
    # `run_memo` for the whole run (the titles of the change). The engine makes both.
    doc_memo: dict[str, Any] = field(default_factory=dict)
    run_memo: dict[str, Any] = field(default_factory=dict)
