"""Findings as JSON, for scripts and for the triage report."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from bot.config import Settings
from bot.models import Finding
from bot.pipeline import Result


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.code,
        "name": f.name,
        "severity": f.severity.label,
        "path": f.path,
        "line": f.span.line,
        "column": f.span.column,
        "end_line": f.span.last_line,
        "end_column": f.span.end_column,
        "message": f.message,
        "placement": str(f.placement),
        "fingerprint": f.fingerprint,
        "related": [{"path": r.path, "line": r.line, "message": r.message} for r in f.related],
        "suggestion": (
            {
                "line": f.suggestion.span.line,
                "end_line": f.suggestion.span.last_line,
                "replacement": f.suggestion.replacement,
                "applicability": str(f.suggestion.applicability),
            }
            if f.suggestion
            else None
        ),
    }


def render(result: Result, settings: Settings) -> str:
    counts = Counter(f.severity.label for f in result.findings)
    payload = {
        "tool": "claim-review",
        "checked": len(result.checked),
        "counts": {s: counts.get(s, 0) for s in ("error", "warning", "notice")},
        "findings": [finding_dict(f) for f in result.findings],
        "skipped": [{"path": p, "reason": why} for p, why in result.skipped],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
