"""What a claim's evidence rests on, against its confidence: one study, few sources, none at all.

The reading of the evidence lives in `bot.evidence` (shared with other tools); this check turns
it into findings, one facet per rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field
from typing import Literal

from bot.checks.context import STRICT, Context
from bot.evidence import Evidence, assess, source_text
from bot.frozen import frozen
from bot.models import Hit, Span

KIND = "evidence"

Confidence = Literal["proven", "likely", "experimental", "speculative"]


@frozen
class Params:
    """The `params` of a rule of this kind."""

    __pydantic_config__ = STRICT
    report: Literal[
        "single-study-without-limitations",
        "single-study-overconfident",
        "missing",
        "few-sources",
        "no-counter-evidence",
    ]
    confidence: tuple[Confidence, ...] = field(
        default=(), metadata={"description": "Confidence levels the rule looks at (empty: all)."}
    )
    min_sources: int = field(
        default=2,
        metadata={
            "ge": 1,
            "le": 10,
            "description": "Independent sources a claim needs (few-sources).",
        },
    )


def _evidence(ctx: Context) -> Evidence:
    """The claim's evidence, read once per document for all five rules."""
    if "evidence" not in ctx.doc_memo:
        ctx.doc_memo["evidence"] = assess(ctx.doc)
    return ctx.doc_memo["evidence"]  # type: ignore[no-any-return]


def check(ctx: Context, params: Params) -> Iterator[Hit]:
    doc = ctx.doc
    confidence = doc.meta.get("confidence")
    if params.confidence and confidence not in params.confidence:
        return
    ev = _evidence(ctx)
    title = Span(doc.title_line or 1)
    rated = Span(doc.line_of("confidence"))
    study = ev.single_study
    if params.report == "single-study-without-limitations":
        if study and ev.limits_section is None:
            yield Hit(title, {"study": study.label}, key=study.label)
    elif params.report == "single-study-overconfident":
        if study:
            yield Hit(rated, {"study": study.label, "confidence": confidence}, key=study.label)
    elif params.report == "missing":
        # A claim without `source` already gets missing-required-field; this says more only
        # when the body names no evidence either.
        if not source_text(doc.meta.get("source")) and not ev.body_cites:
            linked = sum(1 for link in doc.links if not link.in_frontmatter)
            note = f"; it links {linked} other note(s), which argue but are not evidence"
            yield Hit(title, {"links": note if linked else ""}, key="evidence-missing")
    elif params.report == "few-sources":
        if ev.sources and ev.independent_sources < params.min_sources:
            names = "; ".join(s.label for s in ev.sources)
            args = {"count": ev.independent_sources, "sources": names, "min": params.min_sources}
            yield Hit(rated, args, key=names)
    elif params.report == "no-counter-evidence" and ev.counter_evidence is None:
        yield Hit(rated, {"confidence": confidence}, key="no-counter-evidence")
