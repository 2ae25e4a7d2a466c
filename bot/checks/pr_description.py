"""The pull request's description against the claims it touches.

The extractor describes each pull request as `Source: <archive path>`, `Domain: <domain>` and
`Extracted by: <who>` lines (or one line joined by ` - `); reviewers route and trace a claim by
them. Reported once, on line 1 of the first claim under review: an extractor's pull request (its
title is "... extract claims from <archive>", or it has an `Extracted by:` line) that does not
name its source and domain, and any description that names a domain none of the claims has or
a source archive that does not exist.

Only the extractor must write the lines: on the real history, people and agents who propose
claims by hand describe them in prose ("What:", "Why:"), which the house accepts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot import patterns
from bot.checks.context import STRICT, Context
from bot.frozen import frozen
from bot.models import Hit, Span

KIND = "pr-description"

# A key at the start of a line (after a list marker or bold) or after ` - ` on a joined line.
_KEY = patterns.compile(
    r"(?:^|(?<=\s-\s))[ \t]*(?:[-*+][ \t]+)?\**(source|domain|extracted by)\**"
    r"[ \t]*:\**[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)
# The extractor's own title: "<agent>: extract claims from <archive file name>".
_EXTRACTOR_TITLE = patterns.compile(r"\bextract claims from \d{4}-\d\d-", re.IGNORECASE)
_PATH = patterns.compile(r"^[\w.-]+(?:/[\w .,'()&+-]+)+\.md$")


@frozen
class Params:
    """The `params` of a rule of this kind."""

    __pydantic_config__ = STRICT


def fields(text: str) -> dict[str, str]:
    """`source`, `domain`, ... -> value, from a description (the first of each key wins)."""
    found: dict[str, str] = {}
    keys = list(_KEY.finditer(text))
    for n, m in enumerate(keys):
        end = keys[n + 1].start() if n + 1 < len(keys) else len(text)
        value = text[m.end() : end].split("\n", 1)[0]
        value = re.sub(r"\s+-\s*$", "", value).strip().strip("`*\"'").strip()
        found.setdefault(m.group(1).lower(), value)
    return found


def changes_only(params: Params) -> bool:
    """It reads the pull request's description."""
    return True


def check(ctx: Context, params: Params) -> Iterator[Hit]:
    if ctx.pr is None or ctx.pr.body is None or ctx.change is None:
        return
    claims = [d for d in ctx.batch.values() if d.meta.get("type") == "claim"]
    if not claims or ctx.doc.path != claims[0].path:
        return
    text = f"{ctx.pr.title}\n{ctx.pr.body}"
    named = fields(text)
    problems = []
    missing = [k for k in ("source", "domain") if not named.get(k)]
    if missing and (_EXTRACTOR_TITLE.search(ctx.pr.title) or "extracted by" in named):
        lines = " and ".join(f"`{k.capitalize()}: …`" for k in missing)
        problems.append(f"does not name its {' and '.join(missing)} ({lines})")
    if named.get("domain"):
        listed = set(re.findall(r"[a-z][a-z-]*[a-z]", named["domain"].lower()))
        domains = sorted({str(d.meta["domain"]) for d in claims if d.meta.get("domain")})
        if domains and not listed & set(domains):
            shown = ", ".join(f"`{d}`" for d in domains)
            problems.append(f"names domain `{named['domain']}`, but the claims are in {shown}")
    source = named.get("source", "")
    if _PATH.match(source) and source not in ctx.index.paths:
        problems.append(f"names source `{source}`, which is not a file in the knowledge base")
    if problems:
        yield Hit(Span(1), {"problems": "; ".join(problems)}, key="pr-description")
