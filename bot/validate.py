"""The edge where YAML becomes frozen dataclasses: validated by pydantic, or built as trusted.

Rule files, schema files, check parameters and the configuration are plain frozen dataclasses
inside the program. Data a repository supplies (its `.claim-review.yml`, its own rule files) is
validated with pydantic (`TypeAdapter`, imported only then); the bundled rule pack is validated
by the test suite and built directly, so that a check of one file starts without paying for
pydantic's import.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

# pydantic's configuration for these dataclasses: unknown keys are errors. (A plain dict, read
# by pydantic from the class; nothing here imports pydantic until a file is validated.)
STRICT = {"extra": "forbid"}


class InvalidData(ValueError):
    """Data that does not fit its dataclass; `str()` is `file: key.path: message`."""


def validate(cls: type[T], data: Any, where: Path | str, prefix: str = "") -> T:
    """`data` checked against `cls` (types, enums, bounds, unknown keys), as an instance."""
    from pydantic import TypeAdapter, ValidationError

    try:
        return _adapter(typing.cast(Any, cls), TypeAdapter).validate_python(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in ((prefix,) if prefix else ()) + tuple(err["loc"]))
        message = _MESSAGES.get(err["type"], err["msg"])
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise InvalidData(f"{where}: {loc or '(top)'}: {message}{more}") from None


# pydantic's wording for dataclasses speaks of Python calls; these speak of YAML keys.
_MESSAGES = {
    "unexpected_keyword_argument": "unknown key",
    "missing_argument": "required key is missing",
}


@functools.cache
def _adapter(cls: Any, adapter: Any) -> Any:
    return adapter(cls)


def json_schema(cls: type) -> dict[str, Any]:
    from pydantic import TypeAdapter

    return TypeAdapter(cls).json_schema(by_alias=True)


def build(cls: type[T], data: Any) -> T:
    """An instance of `cls` from trusted data (already validated elsewhere), without pydantic.

    Nested dataclasses, dicts of them and tuples are rebuilt from their YAML forms; a field's
    `alias` metadata names its key in the data (`pass` for `passing`).
    """
    hints = _hints(typing.cast(Any, cls))
    kwargs = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        key = f.metadata.get("alias", f.name)
        if key in data:
            kwargs[f.name] = _value(hints[f.name], data[key])
    return cls(**kwargs)


def _value(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint) and isinstance(value, dict):
        return build(hint, value)  # type: ignore[arg-type]
    if origin is tuple and isinstance(value, list | tuple):
        return tuple(value)
    if origin is dict and isinstance(value, dict):
        inner = typing.get_args(hint)[1]
        return {k: _value(inner, v) for k, v in value.items()}
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(hint):
            if dataclasses.is_dataclass(arg) and isinstance(value, dict):
                return build(arg, value)  # type: ignore[arg-type]
    return value


@functools.cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)
