"""Run one rule over an in-memory knowledge base: used by the example and case tests."""

from __future__ import annotations

from dataclasses import replace

from bot import config, engine
from bot.checks import PullRequestInfo
from bot.diff import ChangedFile
from bot.documents import parse
from bot.index import KnowledgeIndex
from bot.models import Finding

_SETTINGS: config.Settings | None = None


def settings() -> config.Settings:
    global _SETTINGS
    if _SETTINGS is None:
        _SETTINGS = config.load(None)
    return _SETTINGS


def run_rule(
    rule: str,
    path: str,
    text: str,
    files: dict[str, str] | None = None,
    base: str | None = None,
    description: str | None = None,
) -> list[Finding]:
    """Findings of `rule` on the file `path` holding `text`, among `files`."""
    s = settings()
    active = tuple(r for r in s.rules if rule in (r.name, r.code))
    assert active, f"no active rule {rule!r}"
    s = replace(s, rules=active)
    files = dict(files or {})
    index = KnowledgeIndex([path, *files])
    doc = parse(path, text.encode("utf-8"))
    status = "modified" if base is not None else "added"
    added = frozenset(range(1, len(doc.lines) + 1))
    changes = {path: ChangedFile(path, status, added=added, hunks=((1, len(doc.lines)),))}
    bases = {path: parse(path, base.encode("utf-8"))} if base is not None else {}
    pr = None
    if description is not None:
        title, _, body = description.partition("\n")
        pr = PullRequestInfo(title=title.lstrip("# ").strip(), body=body)
    return engine.run([doc], index, s, changes=changes, bases=bases, pr=pr)
