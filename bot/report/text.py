"""`path:line:col: severity name message`, one finding a line: for people and for grep."""

from __future__ import annotations

from collections import Counter

from bot.config import Settings
from bot.pipeline import Result


def render(result: Result, settings: Settings) -> str:
    lines = [
        f"{f.path}:{f.span.line}:{f.span.column}: {f.severity.label} {f.name} {one_line(f.message)}"
        for f in result.findings
    ]
    lines.extend(f"{path}: skipped: {why}" for path, why in result.skipped)
    return "\n".join(lines) + ("\n" if lines else "")


def summary(result: Result) -> str:
    counts = Counter(f.severity.label for f in result.findings)
    files = len({f.path for f in result.findings})
    parts = [
        f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
        for s in ("error", "warning", "notice")
        if counts[s]
    ]
    found = ", ".join(parts) if parts else "no findings"
    return f"{found} in {files} of {len(result.checked)} file(s) checked"


def one_line(text: str) -> str:
    # Every whitespace character but the space is unprintable: most messages are already one
    # line, and telling so is cheaper than splitting them.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())
