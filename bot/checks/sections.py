"""Sections left empty: a heading or a `Label:` line with nothing under it.

An empty `Topics:` list or `## Evidence` heading is a template slot never filled in; readers
take it for a claim with no evidence or no place in the maps. A heading whose content is its
sub-sections or a lead-in line ending in a colon ("The three layers are:") is not empty.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.checks.context import STRICT, Context
from bot.documents import THEMATIC_BREAK, Document, Section
from bot.frozen import frozen
from bot.models import Hit, Span

KIND = "empty-section"


@frozen
class Params:
    """The `params` of a rule of this kind."""

    __pydantic_config__ = STRICT


def check(ctx: Context, params: Params) -> Iterator[Hit]:
    doc = ctx.doc
    for n, section in enumerate(doc.sections):
        if section.line == doc.title_line:
            continue  # a claim with no body at all is the evidence rules' concern
        last = section.end_line if section.is_label else _heading_end(doc, n)
        if doc.holds_text(section.line + 1, last):
            continue
        if section.is_label:
            what, shown = "list", f"{section.title}:"
        else:
            what, shown = "section", f"{'#' * section.level} {section.title}"
        yield Hit(Span(section.line), {"section": shown, "what": what}, key=section.title)


def _heading_end(doc: Document, n: int) -> int:
    """The last line of heading `n`: labels inside it are its content, sub-headings too; the
    next heading of the same or a higher level, or a `---` break, ends it."""
    section: Section = doc.sections[n]
    end = len(doc.lines)
    for later in doc.sections[n + 1 :]:
        if 1 <= later.level <= section.level:
            end = later.line - 1
            break
    for i in range(section.line, end):
        if THEMATIC_BREAK.match(doc.lines[i]):
            return i
    return end
