"""The `/recheck` comment command: where it counts in a comment, and who may use it.

A command counts only where a reader sees it as one: a line that is exactly `/recheck`
(whitespace around it allowed, case ignored, nothing else on the line — `/recheck please` or
`/rechecked` are prose, not commands). It does not count inside a `>` quote (replies quote
earlier commands; a line straight after a quoted line continues the quote in Markdown), a
fenced or indented code block, an inline code span (which may run over several lines of a
paragraph), an HTML comment (`<!-- ... -->`, over any number of lines), or a `<pre>`, `<script>`,
`<style>` or `<textarea>` block. CRLF and lone CR line ends are read like LF.

Where Markdown is ambiguous the parser says no: a missed recheck costs the maintainer a second
comment, a phantom one costs a review nobody asked for.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from bot import patterns
from bot.frozen import frozen

# The collaborator-permission endpoint's `permission` (and `role_name`) values that may rerun a
# review. `author_association` is not used: it shows private org members as CONTRIBUTOR.
ALLOWED_PERMISSIONS = frozenset({"admin", "maintain", "write"})

_FENCE = patterns.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_QUOTE = patterns.compile(r"^ {0,3}>")
_RAW_BLOCK = patterns.compile(r"^ {0,3}<(pre|script|style|textarea)(?=[\s>]|$)", re.IGNORECASE)
_BACKTICKS = patterns.compile(r"`+")


@frozen
class Decision:
    """Whether a comment starts a review. `reply` is true when a person gave the command and should
    hear back (👀 when it runs, a short answer when their permission is too low); everything else
    (edits, issues, bots, comments without the command) gets silence."""

    run: bool
    reason: str
    reply: bool = False


def find_command(body: str | None, name: str = "recheck") -> bool:
    """True when `/name` stands on a line of its own that Markdown renders as text."""
    if not body:
        return False
    command = "/" + name.lower()
    paragraph: list[tuple[str, bool]] = []  # (line, could be the command)
    fence: str | None = None  # the opening fence run while inside a fenced block
    raw_end: str | None = None  # the closing tag while inside a <pre>-like block
    in_comment = quoted = False

    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if in_comment:
            # Text after `-->` on the same line stays raw HTML in GitHub's renderer: not a command.
            in_comment = "-->" not in line
            continue
        if fence is not None:
            if _closes(line, fence):
                fence = None
            continue
        if raw_end is not None:
            if raw_end in line.lower():
                raw_end = None
            continue
        if not line.strip():
            if _has_command(paragraph, command):
                return True
            paragraph, quoted = [], False
            continue
        if _QUOTE.match(line):
            quoted = True
            paragraph.append((line, False))
            continue
        opening = _FENCE.match(line)
        if opening and not (opening[1][0] == "`" and "`" in opening[2]):
            if _has_command(paragraph, command):
                return True
            paragraph, quoted, fence = [], False, opening[1]
            continue
        raw = _RAW_BLOCK.match(line)
        if raw:
            if _has_command(paragraph, command):
                return True
            paragraph, quoted = [], False
            end = f"</{raw[1].lower()}>"
            raw_end = None if end in line.lower() else end
            continue
        if "<!--" in line:
            in_comment = "-->" not in line[line.index("<!--") + 4 :]
            paragraph.append((line[: line.index("<!--")], False))
            continue
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
        # 4+ spaces: an indented code block, or a continuation line — either way not a command.
        # After a quoted line, a plain line is a lazy continuation of the quote.
        candidate = indent < 4 and not quoted and line.strip().lower() == command
        paragraph.append((line, candidate))
    return _has_command(paragraph, command)


def _closes(line: str, fence: str) -> bool:
    """A closing fence: the same character, at least as long, nothing after it."""
    closing = _FENCE.match(line)
    return bool(
        closing
        and closing[1][0] == fence[0]
        and len(closing[1]) >= len(fence)
        and not closing[2].strip()
    )


def _has_command(paragraph: list[tuple[str, bool]], command: str) -> bool:
    """A candidate line of the paragraph that no inline code span covers."""
    if not any(candidate for _, candidate in paragraph):
        return False
    text = "\n".join(line for line, _ in paragraph)
    spans = iter(_code_spans(text))  # in order, like the lines: one pass over both
    span = next(spans, None)
    start = 0
    for line, candidate in paragraph:
        while span is not None and span[1] <= start:
            span = next(spans, None)
        if candidate and not (span is not None and span[0] <= start):
            return True
        start += len(line) + 1
    return False


def _code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of inline code spans, in order: a run of n backticks up to the next
    run of exactly n; an unmatched run is literal text. A backslash before a run escapes its first
    backtick (the rest of the run may still open a span)."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for index, (a, b) in enumerate(runs):
        by_length.setdefault(b - a, []).append(index)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(runs):
        a, b = runs[i]
        if a > 0 and text[a - 1] == "\\":
            a += 1
        same = by_length.get(b - a, [])
        k = bisect.bisect_right(same, i)
        if a == b or k == len(same):
            i += 1
            continue
        closer = same[k]
        spans.append((b, runs[closer][0]))
        i = closer + 1
    return spans


def is_bot(user: dict[str, Any] | None) -> bool:
    user = user or {}
    return user.get("type") == "Bot" or str(user.get("login") or "").endswith("[bot]")


def screen(event: dict[str, Any], name: str = "recheck") -> Decision:
    """Every check that needs no API call: run the permission look-up only if this says run."""
    if event.get("action") != "created":
        return Decision(False, f"the comment was {event.get('action') or 'changed'}, not created")
    issue = event.get("issue") or {}
    if not issue.get("pull_request"):
        return Decision(False, "the comment is on an issue, not a pull request")
    comment = event.get("comment") or {}
    if is_bot(comment.get("user")):
        return Decision(False, "the comment is from a bot")
    if not find_command(comment.get("body"), name):
        return Decision(False, f"the comment holds no /{name} command")
    return Decision(True, f"/{name} requested")


def should_run(event: dict[str, Any], permission: str | None, name: str = "recheck") -> Decision:
    """Decide on an `issue_comment` payload, given the commenter's repository permission."""
    decision = screen(event, name)
    if not decision.run:
        return decision
    login = ((event.get("comment") or {}).get("user") or {}).get("login") or "the commenter"
    level = (permission or "none").strip().lower()
    if level not in ALLOWED_PERMISSIONS:
        return Decision(
            False, f"@{login} has {level} permission; /{name} needs write or above", reply=True
        )
    return Decision(True, f"/{name} requested by @{login} ({level})", reply=True)
