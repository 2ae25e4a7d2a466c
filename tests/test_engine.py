from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from bot.engine import fingerprint


@given(st.text(max_size=8), st.text(max_size=20), st.text(max_size=40), st.integers(1, 5))
def test_fingerprints_are_sha256_as_hashlib_computes_it(code, path, key, occurrence):
    text = f"{code}\0{path}\0{' '.join(key.split())}\0{occurrence}"
    expected = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    assert fingerprint(code, path, key, occurrence) == expected


def test_a_fingerprint_ignores_spacing_but_not_what_or_which():
    base = fingerprint("CR201", "a.md", "[[some target]]")
    assert fingerprint("CR201", "a.md", " [[some\n target]] ") == base
    assert fingerprint("CR201", "a.md", "[[some target]]", 2) != base
    assert fingerprint("CR201", "b.md", "[[some target]]") != base
    assert fingerprint("CR202", "a.md", "[[some target]]") != base


def test_checks_that_need_a_change_are_not_called_in_a_plain_check(monkeypatch):
    from bot import engine
    from bot.checks import CHECKS, changes_only, damage
    from bot.diff import ChangedFile
    from bot.documents import parse
    from bot.index import KnowledgeIndex
    from tests.rule_runner import settings

    calls = []
    real = damage.check

    def counting(ctx, params):
        calls.append(params.facet)
        return real(ctx, params)

    monkeypatch.setattr(damage, "check", counting)
    s = settings()
    assert {r.name for r in s.rules if changes_only(r.check, r.params)} >= {
        "frontmatter-removed",
        "pr-description-incomplete",
        "near-duplicate-claim",
        "source-archive-not-updated",
    }
    missing = next(r for r in s.rules if r.name == "extracted-claim-missing")
    assert missing.check is CHECKS["source-archive"] and not changes_only(
        missing.check, missing.params
    )
    doc = parse("domains/a/claim.md", b"---\ntype: claim\n---\n# A claim that holds\n")
    engine.run([doc], KnowledgeIndex([doc.path]), s)
    assert calls == []
    change = {doc.path: ChangedFile(doc.path, "modified", added=frozenset({4}), hunks=((4, 4),))}
    engine.run([doc], KnowledgeIndex([doc.path]), s, changes=change, bases={doc.path: doc})
    assert "frontmatter-removed" in calls
