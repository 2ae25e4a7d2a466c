"""Core value types shared by every stage of the pipeline.

Everything here is frozen: a stage receives values and returns new ones, so any stage can be
run twice (a retry, a recheck) without side effects. Lines and columns are 1-based.

The values are named tuples, not frozen dataclasses: a knowledge base makes thousands of them,
a tuple is made in half the time, and a dataclass costs half a millisecond of start-up to define.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple


class Severity(enum.IntEnum):
    """Ordered so that `finding.severity >= fail_level` reads naturally."""

    NOTICE = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (error, warning or notice)") from None


_LABELS = {s: s.name.lower() for s in Severity}  # an enum's name is a property, slow to read


class Placement(enum.StrEnum):
    """Where a finding sits relative to the change under review (marked, never dropped)."""

    ADDED_LINE = "added-line"  # on a line the change adds: can carry an inline review comment
    CHANGED_FILE = "changed-file"  # in a file the change touches, on a line it did not add
    OUTSIDE_DIFF = "outside-diff"  # in a file the change does not touch
    NO_DIFF = "no-diff"  # no change was given: plain files or folders were checked


class Span(NamedTuple):
    """A 1-based position; end is inclusive for lines and exclusive for columns."""

    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    @property
    def last_line(self) -> int:
        return self.end_line or self.line


class Related(NamedTuple):
    """Another location that explains a finding, e.g. the existing claim a new one duplicates."""

    path: str
    line: int
    message: str


class Applicability(enum.StrEnum):
    SAFE = "safe"  # may be offered as a one-click GitHub suggestion
    UNSAFE = "unsafe"  # shown as advice only


class Suggestion(NamedTuple):
    """Replace lines span.line..span.last_line with `replacement` (no trailing newline)."""

    span: Span
    replacement: str
    applicability: Applicability = Applicability.UNSAFE


NO_ARGS: Mapping[str, Any] = MappingProxyType({})


class Hit(NamedTuple):
    """What a check yields: where, and the values its rule's message template needs.

    The engine, not the check, turns a hit into a Finding with the rule's code, name, severity
    and message, so checks stay small and rule files stay the single source of those.
    """

    span: Span
    args: Mapping[str, Any] = NO_ARGS
    related: tuple[Related, ...] = ()
    suggestion: Suggestion | None = None
    # Part of the fingerprint: what identifies this hit within its file without a line number
    # (e.g. the link target). Defaults to the formatted message.
    key: str | None = None


class Finding(NamedTuple):
    code: str
    name: str
    severity: Severity
    path: str
    span: Span
    message: str
    fingerprint: str
    related: tuple[Related, ...] = ()
    suggestion: Suggestion | None = None
    placement: Placement = Placement.NO_DIFF

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.column, self.code)
