"""Regular expressions compiled once per installation, not once per run, as bytecode is.

`re` compiles a pattern in Python (parse, then code generation): the package's hundred
patterns cost 50 M instructions, and PyYAML's, compiled as it is imported, 60 M more (one
character class of its reader takes 57 M). The program `re` makes is a list of integers that
`_sre.compile` turns into a pattern, as `re` does as its last step. The programs are kept in a
marshal file beside the package's bytecode (bot/pycache.py), named for the interpreter and the
regular-expression engine; the command line writes it as it leaves when the run compiled
something new.

Only the package's own patterns and those of the libraries it imports inside `serving_re` go
there (never a pattern from configuration or from a reviewed repository), so the file stays
small. `_sre` checks a program before it runs it; an unreadable file, a damaged entry or an
interpreter without these internals falls back to compiling as `re` does. A pattern compares
equal to `re.compile`'s only when flags, groups and program are the same; tests/test_patterns.py
checks that for every pattern of the package.
"""

from __future__ import annotations

import contextlib
import marshal
import re
import sys
from collections.abc import Iterator
from typing import Any

from bot import pycache

try:
    import _sre  # type: ignore[import-not-found]
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - not CPython: compile as usual
    _sre = None

Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
_MAX_ENTRIES = 2000  # more than the package has: stale entries of older versions are dropped

_loaded: dict[tuple[str, int], Program] | None = None
_new: dict[tuple[str, int], Program] = {}
_used: set[tuple[str, int]] = set()

# What re.compile calls (re.compile is `return _compile(pattern, flags)`), taken before
# serving_re replaces it: the way back for anything this module does not cache.
_re_compile = re._compile  # type: ignore[attr-defined]


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    flags = int(flags)
    if _sre is None or flags & re.DEBUG:
        return _re_compile(pattern, flags)  # type: ignore[no-any-return]
    key = (pattern, flags)
    program = _table().get(key)
    if program is not None:
        try:
            compiled: re.Pattern[str] = _sre.compile(pattern, *program)
            _used.add(key)
            return compiled
        except Exception:  # a damaged entry: compile it afresh
            pass
    try:
        program = _program(pattern, flags)
        compiled = _sre.compile(pattern, *program)
    except Exception:  # re's own error for a bad pattern, if that is what it is
        return _re_compile(pattern, flags)  # type: ignore[no-any-return]
    _new[key] = program
    _used.add(key)
    return compiled


@contextlib.contextmanager
def serving_re() -> Iterator[None]:
    """`re.compile` answered from this cache for a while: around the import of a library that
    compiles its patterns as it loads."""

    def _compile(pattern: Any, flags: Any) -> Any:
        if isinstance(pattern, str):
            return compile(pattern, flags)
        return _re_compile(pattern, flags)

    re._compile = _compile  # type: ignore[attr-defined]
    try:
        yield
    finally:
        re._compile = _re_compile  # type: ignore[attr-defined]


def _program(pattern: str, flags: int) -> Program:
    """What `re._compiler.compile` hands to `_sre.compile`, as plain values."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # opcodes are an int subclass
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, number in groupindex.items():
        indexgroup[number] = name
    return (
        int(flags | parsed.state.flags),
        code,
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def cache_name() -> str:
    engine = f"{getattr(_sre, 'MAGIC', 0)}-{sys.maxunicode}"
    return f"patterns.{sys.implementation.cache_tag}-{engine}.marshal"


def _table() -> dict[tuple[str, int], Program]:
    global _loaded
    if _loaded is None:
        _loaded = _read(pycache.read(cache_name()))
    return _loaded


def _read(data: bytes | None) -> dict[tuple[str, int], Program]:
    try:
        table = marshal.loads(data) if data else {}
    except (EOFError, ValueError, TypeError):
        return {}
    return table if isinstance(table, dict) else {}


def save() -> None:
    """Write the table if this run compiled something new. The command line calls it as it
    leaves (it leaves with `os._exit`, as forked workers do, so no exit handler would run)."""
    if not _new:
        return
    table: dict[Any, Program] = {**(_loaded or {}), **_new}
    if len(table) > _MAX_ENTRIES:
        table = {key: table[key] for key in _used}
    if pycache.write(cache_name(), marshal.dumps(table)):
        _new.clear()
