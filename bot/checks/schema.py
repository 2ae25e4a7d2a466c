"""Frontmatter against the schema of the file's `type` (rules/schemas/*.yml).

One check, four facets, so that each facet is its own rule with its own name and severity:
required fields, field values (types and enums), dates, and fields the schema does not know.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from bot.checks.context import STRICT, Context
from bot.frontmatter import as_date, is_blank
from bot.models import Hit, Span
from bot.rulebook import FieldSpec, SchemaSpec

KIND = "schema"


@dataclass(frozen=True)
class Params:
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
    schema = schema_for(ctx)
    if schema is None:
        return
    fm = ctx.doc.frontmatter
    assert fm is not None
    data = fm.data
    if params.facet == "missing":
        missing = [k for k, f in schema.fields.items() if f.required and is_blank(data.get(k))]
        if missing:
            fields = ", ".join(f"`{k}`" for k in missing)
            yield Hit(
                Span(1),
                {"fields": fields, "type": schema.type, "count": len(missing)},
                key=",".join(missing),
            )
        return
    for key, value in data.items():
        spec = schema.field_for(key)
        line = fm.line_of(key)
        span = Span(line, fm.fields[key].column if key in fm.fields else 1)
        if params.facet == "unknown-field":
            if not schema.is_known(key):
                yield Hit(span, {"field": key, "type": schema.type}, key=key)
            continue
        if spec is None or is_blank(value):
            continue
        if params.facet == "invalid-date":
            if spec.type == "date" and as_date(value) is None and _is_scalar(value):
                yield Hit(span, {"field": key, "value": _show(value)}, key=key)
        elif params.facet == "invalid-value":
            problem = _value_problem(spec, value)
            if problem:
                yield Hit(span, {"field": key, "value": _show(value), "problem": problem}, key=key)


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
