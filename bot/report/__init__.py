"""Reporters: one module per output format, each a `render(result, settings) -> str`."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from bot.config import Settings
from bot.pipeline import Result

Renderer = Callable[[Result, Settings], str]

# Format name -> module; a run imports only the one it prints (json alone costs a millisecond).
MODULES = {"text": "text", "json": "json_report", "sarif": "sarif", "github": "workflow"}


def renderer(name: str) -> Renderer:
    render: Renderer = importlib.import_module(f"bot.report.{MODULES[name]}").render
    return render
