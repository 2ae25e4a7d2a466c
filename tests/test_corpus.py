"""The whole real knowledge base: no exception anywhere, and totals pinned for the core rules.

If a change moves these numbers, it changes what the bot says about a real knowledge base: look
at the difference by hand before updating them.
"""

from __future__ import annotations

import json
from collections import Counter

from bot.cli import main

CORE_RULES = [
    "frontmatter-syntax", "unreadable-file", "file-encoding", "missing-required-field",
    "invalid-field-value", "invalid-date", "unknown-field", "unresolved-wiki-link",
    "ambiguous-wiki-link", "wiki-link-style",
]  # fmt: skip
PINNED = {
    "ambiguous-wiki-link": 684,
    "frontmatter-syntax": 1,
    "invalid-date": 31,
    "invalid-field-value": 36,
    "missing-required-field": 15,
    "unknown-field": 135,
    "unresolved-wiki-link": 868,
    "wiki-link-style": 111,
}


def _check(capsys, corpus, *extra: str) -> dict:
    code = main(["check", str(corpus), "--format", "json", "--fail-level", "never", *extra])
    out, _ = capsys.readouterr()
    assert code == 0
    return json.loads(out)


def test_whole_corpus_core_rules_totals(capsys, corpus, tmp_path):
    config = tmp_path / "core.yml"
    config.write_text(f"rules:\n  select: [{', '.join(CORE_RULES)}]\n")
    payload = _check(capsys, corpus, "--config", str(config))
    assert payload["checked"] == 1048
    assert dict(Counter(f["name"] for f in payload["findings"])) == PINNED


def test_whole_corpus_every_rule_runs_without_exception(capsys, corpus):
    payload = _check(capsys, corpus)
    assert payload["checked"] == 1048
    assert all(f["line"] >= 1 and f["column"] >= 1 for f in payload["findings"])


def test_no_link_that_resolves_by_the_house_rule_is_reported(capsys, corpus, tmp_path):
    """Re-derive the house rule independently and compare with every unresolved finding."""
    files = [
        p.relative_to(corpus).as_posix()
        for p in corpus.rglob("*")
        if p.is_file() and ".git" not in p.parts
    ]
    names = {p.rsplit("/", 1)[-1].lower() for p in files}
    stems = {n[:-3] for n in names if n.endswith(".md")}
    lowered = {p.lower() for p in files}
    config = tmp_path / "links.yml"
    config.write_text("rules:\n  select: [unresolved-wiki-link]\n")
    payload = _check(capsys, corpus, "--config", str(config))
    for f in payload["findings"]:
        target = f["message"].split("`[[", 1)[1].split("]]`", 1)[0].strip().lower()
        name = target.rsplit("/", 1)[-1]
        assert name not in stems and name not in names, f
        assert f"{target}.md" not in lowered and target not in lowered, f
