"""Names that must agree: file name and title, heading and frontmatter, folder and domain.

Wiki links name a claim by its title but resolve by file name, so a file named otherwise breaks
every link written from the title. Names are compared as words: case, punctuation, apostrophes
and the hyphens of slug-style names (`foo-bar-baz.md`) do not count.
"""

from __future__ import annotations

import dataclasses
import difflib
import unicodedata
from collections.abc import Iterator
from typing import Literal

from bot import patterns
from bot.checks.context import STRICT, Context
from bot.frozen import frozen
from bot.models import Applicability, Hit, Span, Suggestion

KIND = "naming"

MAX_NAME_BYTES = 255  # file systems cut longer names, so a long file name may end early


@frozen
class Params:
    """The `params` of a rule of this kind."""

    __pydantic_config__ = STRICT
    facet: Literal["file-name", "heading", "folder", "entity-slug"]
    field: str = dataclasses.field(
        default="title", metadata={"description": "The frontmatter field the heading repeats."}
    )
    roots: tuple[str, ...] = dataclasses.field(
        default=("domains", "entities", "core", "foundations"),
        metadata={"description": "Top folders whose sub-folders are named after a domain."},
    )


_WORD = patterns.compile(r"\w+")
_APOSTROPHES = patterns.compile(r"['’‘`]")
_NOT_SLUG = patterns.compile(r"[^a-z0-9]+")


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    return _WORD.findall(_APOSTROPHES.sub("", text))


def same_name(a: str, b: str) -> bool:
    wa, wb = words(a), words(b)
    # "MycoRealms" and "myco-realms" are one name written two ways.
    return wa == wb or "".join(wa) == "".join(wb)


def slug(name: str) -> str:
    """The house slug: ASCII lower case, apostrophes dropped, other runs of symbols -> `-`."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return _NOT_SLUG.sub("-", text.replace("'", "").replace("`", "")).strip("-")


def check(ctx: Context, params: Params) -> Iterator[Hit]:
    if params.facet == "file-name":
        yield from _file_name(ctx)
    elif params.facet == "heading":
        yield from _heading(ctx, params.field)
    elif params.facet == "folder":
        yield from _folder(ctx, params.roots)
    else:
        yield from _entity_slug(ctx)


def _file_name(ctx: Context) -> Iterator[Hit]:
    doc = ctx.doc
    if doc.title_line is None or same_name(doc.stem, doc.title):
        return
    stem, title = words(doc.stem), words(doc.title)
    name = doc.path.rsplit("/", 1)[-1]
    cut_short = len(name.encode("utf-8", "surrogateescape")) >= MAX_NAME_BYTES - 8
    if cut_short and title[: len(stem)] == stem:
        return
    yield Hit(
        Span(doc.title_line),
        {"file": doc.stem, "difference": _difference(stem, title)},
        key=doc.title,
    )


def _difference(name: list[str], title: list[str]) -> str:
    """The first place where the file name's words and the title's words part."""
    ops = difflib.SequenceMatcher(a=name, b=title, autojunk=False).get_opcodes()
    tag, i1, i2, j1, j2 = next(op for op in ops if op[0] != "equal")
    has, reads = " ".join(name[i1:i2]), " ".join(title[j1:j2])
    if tag == "delete":
        return f"the file name has `{has}` where the title has nothing"
    if tag == "insert":
        return f"the title has `{reads}` where the file name has nothing"
    return f"the file name has `{has}` where the title has `{reads}`"


def _heading(ctx: Context, field: str) -> Iterator[Hit]:
    doc = ctx.doc
    value = doc.meta.get(field)
    if doc.title_line is None or not isinstance(value, str) or not value.strip():
        return
    if same_name(value, doc.title):
        return
    yield Hit(
        Span(doc.line_of(field)),
        {"field": field, "value": value.strip(), "heading": doc.title},
        key=field,
    )


def _folder(ctx: Context, roots: tuple[str, ...]) -> Iterator[Hit]:
    doc = ctx.doc
    parts = doc.path.split("/")
    domain = doc.meta.get("domain")
    if len(parts) < 3 or parts[0] not in roots or not isinstance(domain, str):
        return
    schema = ctx.schemas.get(str(doc.meta.get("type")))
    spec = schema.field_for("domain") if schema else None
    known = set(spec.values) if spec else set()
    folder = parts[1]
    # Only folders named after a domain carry the convention; an unknown `domain:` value is the
    # schema rules' to report.
    if folder not in known or domain not in known or domain == folder:
        return
    line = doc.line_of("domain")
    text = doc.lines[line - 1] if line <= len(doc.lines) else ""
    fix = None
    if text.lstrip().startswith("domain:"):
        indent = text[: len(text) - len(text.lstrip())]
        fix = Suggestion(Span(line), f"{indent}domain: {folder}", Applicability.UNSAFE)
    yield Hit(
        Span(line),
        {"domain": domain, "folder": "/".join(parts[:2]) + "/"},
        suggestion=fix,
        key=domain,
    )


def _entity_slug(ctx: Context) -> Iterator[Hit]:
    doc = ctx.doc
    name = doc.meta.get("name")
    if not isinstance(name, str):
        return
    expected = slug(name)
    if not expected or doc.stem == expected:
        return
    yield Hit(
        Span(doc.line_of("name")),
        {"file": doc.stem, "name": name.strip(), "expected": expected},
        key=expected,
    )
