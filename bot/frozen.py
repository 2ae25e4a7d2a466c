"""Frozen dataclasses that cost one generated method, not six.

`dataclass(frozen=True)` writes `__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__` and
`__delattr__` as source and compiles each (Python 3.11): half a million instructions a method,
an eighth of importing the checks for the package's two dozen classes. `frozen` lets
`dataclass` generate `__init__` alone and gives the class the other five, written once here
and alike for every class: equality and hash over the fields (as `dataclass` compares them),
the same repr, no assignment or deletion but by that `__init__`, and pickling through it.
`cached_property` still works (it writes the instance's `__dict__`), and so do pydantic and
`dataclasses.replace`.
"""

from __future__ import annotations

import dataclasses
import reprlib
import sys
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def frozen(cls: type[T]) -> type[T]:
    made = dataclasses.dataclass(eq=False, repr=False)(cls)
    fields = dataclasses.fields(made)  # type: ignore[arg-type]
    made.__compared__ = tuple(f.name for f in fields if f.compare)  # type: ignore[attr-defined]
    made.__shown__ = tuple(f.name for f in fields if f.repr)  # type: ignore[attr-defined]
    made.__settable__ = frozenset(f.name for f in fields)  # type: ignore[attr-defined]
    made.__given__ = tuple(f.name for f in fields if f.init)  # type: ignore[attr-defined]
    made.__eq__ = _eq  # type: ignore[method-assign, assignment]
    made.__hash__ = _hash  # type: ignore[method-assign, assignment]
    made.__repr__ = _repr  # type: ignore[method-assign, assignment]
    made.__setattr__ = _setattr  # type: ignore[method-assign, assignment]
    made.__delattr__ = _delattr  # type: ignore[method-assign, assignment]
    made.__reduce__ = _reduce  # type: ignore[method-assign, assignment]
    return made


def _values(obj: Any) -> tuple[Any, ...]:
    return tuple([getattr(obj, name) for name in obj.__compared__])


def _eq(self: Any, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self) == _values(other)


def _hash(self: Any) -> int:
    return hash(_values(self))


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__shown__)
    return f"{self.__class__.__qualname__}({shown})"


def _setattr(self: Any, name: str, value: Any) -> None:
    # Only the __init__ dataclass wrote for the class sets fields, as a frozen dataclass's
    # does. (Not "a field not yet in self.__dict__": asking for the __dict__ makes one, and
    # every attribute read after that goes through it, 1% slower over a whole check.)
    if name in self.__settable__ and sys._getframe(1).f_code is type(self).__init__.__code__:
        object.__setattr__(self, name, value)
    else:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _reduce(self: Any) -> tuple[Any, ...]:
    # Unpickled through __init__, not by filling a __dict__: an instance whose __dict__ was
    # asked for keeps one, and its attributes read slower ever after (see _setattr).
    return _rebuild, (self.__class__, {name: getattr(self, name) for name in self.__given__})


def _rebuild(cls: type[T], values: dict[str, Any]) -> T:
    return cls(**values)
