"""SARIF 2.1.0, as GitHub code scanning accepts it: rules with help, stable fingerprints."""

from __future__ import annotations

import json
from typing import Any

from bot import __version__, rule_url
from bot.config import Settings
from bot.models import Finding, Severity
from bot.pipeline import Result
from bot.rulebook import RuleSpec

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "note"}


def rule_descriptor(spec: RuleSpec, severity: Severity) -> dict[str, Any]:
    help_text = f"{spec.why.strip()}\n\nHow to fix: {spec.fix.strip()}"
    return {
        "id": spec.code,
        "name": spec.name,
        "shortDescription": {"text": spec.summary},
        "fullDescription": {"text": spec.why.strip()},
        "help": {
            "text": help_text,
            "markdown": f"**{spec.name}** ({spec.code})\n\n{spec.why.strip()}\n\n"
            f"**Fix:** {spec.fix.strip()}",
        },
        "helpUri": rule_url(spec.name),
        "defaultConfiguration": {"level": LEVEL[severity]},
        "properties": {"tags": [spec.kind]},
    }


def _location(path: str, line: int, column: int = 1, end_line: int | None = None,
              end_column: int | None = None) -> dict[str, Any]:  # fmt: skip
    region: dict[str, Any] = {"startLine": line, "startColumn": column}
    if end_line and end_line != line:
        region["endLine"] = end_line
    if end_column and (end_line in (None, line)) and end_column > column:
        region["endColumn"] = end_column
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": uri(path), "uriBaseId": "%SRCROOT%"},
            "region": region,
        }
    }


def uri(path: str) -> str:
    """A relative URI reference: spaces and other reserved characters percent-encoded."""
    from urllib.parse import quote

    # The file name's own bytes, percent-encoded (a name need not be UTF-8).
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def result(f: Finding, rule_index: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [
            _location(f.path, f.span.line, f.span.column, f.span.end_line, f.span.end_column)
        ],
        "partialFingerprints": {"claimReview/v1": f.fingerprint},
        "properties": {"placement": str(f.placement), "name": f.name},
    }
    if f.related:
        out["relatedLocations"] = [
            {**_location(r.path, r.line), "id": i + 1, "message": {"text": r.message}}
            for i, r in enumerate(f.related)
        ]
    return out


def render(result_: Result, settings: Settings) -> str:
    rules = [r for r in settings.rules]
    index = {r.code: i for i, r in enumerate(rules)}
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "claim-review",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": rule_url("").rstrip("#"),
                        "rules": [rule_descriptor(r.spec, r.severity) for r in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {
                    "%SRCROOT%": {"description": {"text": "The repository root."}}
                },
                "results": [result(f, index.get(f.code, -1)) for f in result_.findings],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
