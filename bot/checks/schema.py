"""Frontmatter against the schema of the file's `type` (rules/schemas/*.yml).

One check, four facets, so that each facet is its own rule with its own name and severity:
required fields, field values (types and enums), dates, and fields the schema does not know.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Literal

from bot.checks.context import STRICT, Context
from bot.frontmatter import as_date, is_blank
from bot.frozen import frozen
from bot.models import Hit, Span
from bot.rulebook import FieldSpec, SchemaSpec

KIND = "schema"


@frozen
class Params:
    """The `params` of a rule of this kind."""

    __pydantic_config__ = STRICT
    facet: Literal["missing", "invalid-value", "invalid-date", "unknown-field"]


def schema_for(ctx: Context) -> SchemaSpec | None:
    fm = ctx.doc.frontmatter
    if fm is None:
        return None
    kind = fm.data.get("type")
    schema = ctx.schemas.get(kind) if isinstance(kind, str) else None
    if schema is None or not schema.applies_to.matches_path(ctx.doc.path):
        return None
    return schema


def check(ctx: Context, params: Params) -> Iterator[Hit]:
    found = ctx.doc_memo.get(KIND)
    if found is None:
        found = ctx.doc_memo[KIND] = _facets(ctx)
    yield from found.get(params.facet, ())


def _facets(ctx: Context) -> dict[str, list[Hit]]:
    """The hits of all four facets in one pass over the fields: four rules read them."""
    schema = schema_for(ctx)
    fm = ctx.doc.frontmatter
    if schema is None or fm is None:
        return {}
    data = fm.data
    found: dict[str, list[Hit]] = {"unknown-field": [], "invalid-date": [], "invalid-value": []}
    missing = [k for k, f in schema.fields.items() if f.required and is_blank(data.get(k))]
    if missing:
        fields = ", ".join(f"`{k}`" for k in missing)
        args = {"fields": fields, "type": schema.type, "count": len(missing)}
        found["missing"] = [Hit(Span(1), args, key=",".join(missing))]
    for key, value in data.items():
        loc = fm.fields.get(key)
        span = Span(loc.line, loc.column) if loc else Span(1)
        if not schema.is_known(key):
            found["unknown-field"].append(Hit(span, {"field": key, "type": schema.type}, key=key))
        spec = schema.field_for(key)
        if spec is None or is_blank(value):
            continue
        if spec.type == "date" and as_date(value) is None and _is_scalar(value):
            found["invalid-date"].append(Hit(span, {"field": key, "value": _show(value)}, key=key))
        problem = _value_problem(spec, value)
        if problem:
            args = {"field": key, "value": _show(value), "problem": problem}
            found["invalid-value"].append(Hit(span, args, key=key))
    return found


def _value_problem(spec: FieldSpec, value: Any) -> str | None:
    """Why a value does not fit its field, or None. Dates are the invalid-date rule's job."""
    kind = spec.type
    if kind == "enum":
        if not _is_scalar(value) or value not in spec.values:
            return f"expected one of {_choices(spec.values)}"
    elif kind in ("string", "text"):
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            return "expected text"
    elif kind == "list":
        if not isinstance(value, list):
            return "expected a list"
        if spec.items:
            bad = [v for v in value if v not in spec.items]
            if bad:
                return f"{_show(bad[0])} is not one of {_choices(spec.items)}"
    elif kind == "number":
        if not isinstance(value, int | float) or isinstance(value, bool):
            return "expected a number"
    elif kind == "boolean":
        if not isinstance(value, bool):
            return "expected true or false"
    elif kind == "mapping":
        if not isinstance(value, dict):
            return "expected a mapping of keys"
    elif kind == "date" and not _is_scalar(value):
        return "expected a date (YYYY-MM-DD)"
    return None


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, list | dict)


def _choices(values: tuple[Any, ...]) -> str:
    shown = ", ".join(str(v) for v in values[:8])
    return shown + (", ..." if len(values) > 8 else "")


def _show(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."
