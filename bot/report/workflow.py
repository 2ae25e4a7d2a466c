"""GitHub Actions workflow commands (`::error file=...::message`), one per finding.

Text from the pull request ends up in these lines, so every value is escaped the way the
Actions runner expects: a newline in a link target must not start a new workflow command.
"""

from __future__ import annotations

from bot.config import Settings
from bot.models import Finding, Severity
from bot.pipeline import Result

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(f: Finding) -> str:
    props = {
        "file": f.path,
        "line": str(f.span.line),
        "col": str(f.span.column),
        "endLine": str(f.span.last_line),
        "title": f"{f.name} ({f.code})",
    }
    rendered = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    return f"::{LEVEL[f.severity]} {rendered}::{escape_data(f.message)}"


def render(result: Result, settings: Settings) -> str:
    lines = [command(f) for f in result.findings]
    lines.extend(
        f"::warning title=skipped::{escape_data(f'{p}: {why}')}" for p, why in result.skipped
    )
    return "\n".join(lines) + ("\n" if lines else "")
