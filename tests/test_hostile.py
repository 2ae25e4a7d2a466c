"""Hostile documents stay cheap: every rule over each of them in bounded time, no exception.

The bounds are generous (a safety net, not a benchmark): what they catch is the quadratic
pattern or scan that turns one crafted file into minutes of work for every review.
"""

from __future__ import annotations

import time

import pytest

from bot import engine
from bot.documents import parse_text
from bot.index import KnowledgeIndex
from tests.rule_runner import settings

FM = "---\ntype: claim\nconfidence: proven\n"
HOSTILE = {
    "long title of universals": FM + "---\n# " + "all " * 8000 + "\n",
    "long source value": FM + 'source: "' + "a" * 200_000 + '"\n---\n# T\n',
    "many urls": FM + "---\n# T\n\n" + "\n".join(f"https://e{i}.org/x" for i in range(16_000)),
    "many author-years": FM
    + "---\n# T\n\n"
    + "\n".join(f"Smith{i} et al. (2020) found 12% (n=300)" for i in range(8000)),
    "many broken links": FM + "---\n# T\n\n" + "\n".join(f"[[target {i}]]" for i in range(5000)),
    "many headings": FM + "---\n# T\n\n" + "\n".join(f"## H{i}\nText" for i in range(20_000)),
    "deep yaml": "---\nx: " + "[" * 3000 + "]" * 3000 + "\n---\n# T\n",
    "alias bomb": "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "---\n# T\n",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_document_is_cheap(text):
    started = time.perf_counter()
    doc = parse_text("domains/health/x.md", text)
    engine.run([doc], KnowledgeIndex(["domains/health/x.md"]), settings())
    assert time.perf_counter() - started < 20
