"""A modified file against its base version: the damage an automated edit leaves behind.

Automated edits of the knowledge base this bot was built for dropped required fields, cut claim
bodies to a stub, and stripped the brackets off links. Each facet is its own rule, and every
facet compares the head of a modified (or renamed) file with its base, so that the finding
says what the change lost rather than what the file lacks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import field, replace
from typing import Any, Literal

from bot import patterns
from bot.checks.context import STRICT, Context
from bot.checks.schema import schema_for
from bot.documents import Document, WikiLink
from bot.frontmatter import is_blank
from bot.frozen import frozen
from bot.index import Outcome
from bot.models import Hit, Span, Suggestion

KIND = "damage"


@frozen
class Params:
    """The `params` of a rule of this kind."""

    __pydantic_config__ = STRICT
    facet: Literal[
        "frontmatter-removed", "required-field-removed", "body-truncated", "links-unlinked"
    ]
    max_loss: float = field(
        default=0.5,
        metadata={"gt": 0, "lt": 1, "description": "Share of the body's text a change may remove."},
    )
    min_base_chars: int = field(
        default=400,
        metadata={"ge": 0, "description": "Bodies shorter than this are not judged by size."},
    )


def changes_only(params: Params) -> bool:
    """Each facet compares a file with its version before the change."""
    return True


def check(ctx: Context, params: Params) -> Iterator[Hit]:
    base = ctx.base
    if base is None or ctx.change is None or ctx.change.status not in ("modified", "renamed"):
        return
    if params.facet == "frontmatter-removed":
        yield from _frontmatter_removed(ctx.doc, base)
    elif params.facet == "required-field-removed":
        yield from _required_removed(ctx, base)
    elif params.facet == "body-truncated":
        yield from _truncated(ctx.doc, base, params)
    else:
        yield from _unlinked(ctx, base)


# --- frontmatter ------------------------------------------------------------------------------


def _frontmatter_removed(doc: Document, base: Document) -> Iterator[Hit]:
    if base.frontmatter is None or not base.frontmatter.data or doc.frontmatter is not None:
        return
    if doc.lines and doc.lines[0].rstrip() == "---":
        return  # still there but unreadable: frontmatter-syntax says why
    keys = list(base.frontmatter.data)
    block = "\n".join(("---", base.frontmatter.raw, "---"))
    first = doc.lines[0] if doc.lines else ""
    yield Hit(
        Span(1),
        {"count": len(keys), "keys": _names(keys)},
        suggestion=Suggestion(Span(1), f"{block}\n{first}"),
        key="frontmatter",
    )


def _required_removed(ctx: Context, base: Document) -> Iterator[Hit]:
    doc = ctx.doc
    schema = schema_for(replace(ctx, doc=base))
    if schema is None or doc.frontmatter is None:
        return  # no frontmatter left at all is frontmatter-removed's finding
    gone = [
        key
        for key, spec in schema.fields.items()
        if spec.required and not is_blank(base.meta.get(key)) and is_blank(doc.meta.get(key))
    ]
    if not gone:
        return
    # Anchor where the first lost field stood: after the nearest key before it that survived.
    order = list(base.meta)
    earlier = order[: order.index(gone[0])] if gone[0] in order else []
    kept = [k for k in reversed(earlier) if k in doc.frontmatter.fields]
    line = doc.frontmatter.fields[kept[0]].line if kept else 1
    yield Hit(
        Span(line),
        {"fields": _names(gone), "count": len(gone), "type": schema.type},
        key=",".join(gone),
    )


# --- body ------------------------------------------------------------------------------------

# A line that stands for text instead of holding it: `...`, `[...]`, `<!-- ... -->`, or a
# bracketed note such as `[rest of the section unchanged]`.
_ELLIPSIS = patterns.compile(r"(?:\.\s?){3,}|…+|\[\s*(?:\.{3}|…)\s*\]|\(\s*(?:\.{3}|…)\s*\)")
_COMMENT_DOTS = patterns.compile(r"<!--\s*(?:\.{3}|…)\s*-->")
_NOTE = patterns.compile(
    r"(?:\[|\(|<!--|//)[^\n]{0,80}?\b(?:unchanged|rest of|remains? the same|remaining|omitted"
    r"|truncated|elided|existing (?:content|text|sections?)|as before|for brevity)\b"
    r"[^\n]{0,80}?(?:\]|\)|-->)?",
    re.IGNORECASE,
)


def _is_placeholder(line: str) -> bool:
    text = line.strip().lstrip("-*> ").strip()
    if not text or "](" in text:  # a markdown link is text, not a placeholder
        return False
    return bool(_ELLIPSIS.fullmatch(text) or _COMMENT_DOTS.fullmatch(text) or _NOTE.fullmatch(text))


def _truncated(doc: Document, base: Document, params: Params) -> Iterator[Hit]:
    head_body = _body_lines(doc)
    base_body = _body_lines(base)
    before, after = _size(base_body), _size(head_body)
    base_lines = {line.strip() for _, line in base_body}
    lost_lines = base_lines - {line.strip() for _, line in head_body}
    had = Counter(line.strip() for _, line in base_body if _is_placeholder(line))
    placeholder = None
    for number, line in head_body:
        if _is_placeholder(line):
            if had[line.strip()] > 0:
                had[line.strip()] -= 1
            else:
                placeholder = (number, line.strip())
                break
    args: dict[str, Any] = {"before": before, "after": after}
    lost = before - after
    args["share"] = f"{max(lost, 0) * 100 // before}%" if before else "0%"
    if placeholder is not None and lost_lines:
        args["what"] = f"A placeholder (`{placeholder[1]}`) stands where text was"
        yield Hit(Span(placeholder[0]), args, key="body")
    elif before >= params.min_base_chars and after < before * (1 - params.max_loss):
        kept = round((1 - params.max_loss) * 100)
        args["what"] = f"The body was cut to less than {kept}% of its text"
        new = next((n for n, line in head_body if line.strip() not in base_lines), None)
        yield Hit(Span(new or doc.body_start), args, key="body")


def _body_lines(doc: Document) -> list[tuple[int, str]]:
    first = doc.body_start
    return [(n, line) for n, line in enumerate(doc.lines[first - 1 :], first) if line.strip()]


def _size(lines: list[tuple[int, str]]) -> int:
    """Characters that are not white space: reflowing or re-indenting text changes nothing."""
    return sum(len("".join(line.split())) for _, line in lines)


# --- links -----------------------------------------------------------------------------------


def _unlinked(ctx: Context, base: Document) -> Iterator[Hit]:
    doc = ctx.doc
    head_links = Counter(link.target.lower() for link in doc.links)
    base_links: dict[str, list[WikiLink]] = {}
    for link in base.links:
        if not link.in_frontmatter:  # titles in frontmatter lists are plain by convention
            base_links.setdefault(link.target.lower(), []).append(link)
    head_plain = _plain_lines(doc)
    base_text = "\n".join(_plain_lines(base).values()).lower()
    added = ctx.change.added if ctx.change else frozenset()
    for folded, links in base_links.items():
        if head_links[folded] >= len(links):
            continue
        if ctx.index.resolve(links[0]).outcome is Outcome.UNRESOLVED:
            continue  # removing a broken link is a repair, not damage
        for shown in _shown(links[0]):
            needle = shown.lower()
            if _count(head_plain, needle) <= base_text.count(needle):
                continue
            found = _where(head_plain, needle, added)
            if found is None:
                continue
            line, column = found
            raw = ctx.doc.lines[line - 1]
            fixed = f"{raw[: column - 1]}[[{links[0].raw}]]{raw[column - 1 + len(shown) :]}"
            yield Hit(
                Span(line, column, line, column + len(shown)),
                {"target": links[0].target, "text": shown},
                suggestion=Suggestion(Span(line), fixed),
                key=links[0].target,
            )
            break


def _shown(link: WikiLink) -> list[str]:
    """What the text of a link reads as once its brackets are gone."""
    written = link.raw.replace("\\|", "|").partition("|")[0].partition("#")[0].strip()
    texts = [t for t in (link.alias, written, link.target) if t]
    return list(dict.fromkeys(texts))


def _plain_lines(doc: Document) -> dict[int, str]:
    """Body lines with every wiki link blanked out, columns kept."""
    lines = {n: line for n, line in enumerate(doc.lines, 1) if n >= doc.body_start}
    for link in doc.links:
        span = link.span
        if span.line in lines and span.end_column:
            text = lines[span.line]
            start, end = span.column - 1, span.end_column - 1
            lines[span.line] = text[:start] + " " * (end - start) + text[end:]
    return lines


def _count(lines: dict[int, str], needle: str) -> int:
    return sum(text.lower().count(needle) for text in lines.values())


def _where(lines: dict[int, str], needle: str, added: frozenset[int]) -> tuple[int, int] | None:
    """The line and column of the plain text, on a line the change added if there is one."""
    hits = [(n, text.lower().find(needle)) for n, text in lines.items() if needle in text.lower()]
    if not hits:
        return None
    line, offset = next((h for h in hits if h[0] in added), hits[0])
    return line, offset + 1


def _names(keys: list[str]) -> str:
    shown = ", ".join(f"`{k}`" for k in keys[:8])
    return shown + (", ..." if len(keys) > 8 else "")
