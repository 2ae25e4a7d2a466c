"""Reporters: one module per output format, each a `render(result, settings) -> str`."""

from __future__ import annotations

from collections.abc import Callable

from bot.config import Settings
from bot.pipeline import Result
from bot.report import json_report, sarif, text, workflow

Renderer = Callable[[Result, Settings], str]

FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "github": workflow.render,
}
