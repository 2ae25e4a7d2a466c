"""What triggered a run: a pull request, or a comment on one, from the Actions event payload."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from bot.frozen import frozen


class EventError(ValueError):
    """The event cannot be reviewed (wrong kind, missing fields); the message says why."""


@frozen
class PullRequestRef:
    repo: str  # owner/name of the base repository
    number: int


@frozen
class Event:
    name: str  # pull_request, pull_request_target, issue_comment, workflow_dispatch, ...
    payload: dict[str, Any]

    @property
    def action(self) -> str:
        return str(self.payload.get("action") or "")

    def pull_request(self) -> PullRequestRef:
        repo = (self.payload.get("repository") or {}).get("full_name")
        if "pull_request" in self.payload:
            number = self.payload["pull_request"].get("number") or self.payload.get("number")
        elif (self.payload.get("issue") or {}).get("pull_request") is not None:
            number = self.payload["issue"].get("number")
        else:
            raise EventError(f"a {self.name or 'this'} event is not about a pull request")
        if not repo or not isinstance(number, int):
            raise EventError("the event payload names no repository or pull request number")
        return PullRequestRef(repo, number)


def load(path: Path | None = None, name: str | None = None) -> Event:
    """The event GitHub Actions describes in GITHUB_EVENT_PATH / GITHUB_EVENT_NAME."""
    raw_path = path or (
        Path(os.environ["GITHUB_EVENT_PATH"]) if os.environ.get("GITHUB_EVENT_PATH") else None
    )
    if raw_path is None:
        raise EventError("no event: set GITHUB_EVENT_PATH or pass --repo and --pr")
    try:
        payload = json.loads(raw_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EventError(f"{raw_path}: cannot read the event payload: {exc}") from None
    if not isinstance(payload, dict):
        raise EventError(f"{raw_path}: the event payload is not a JSON object")
    return Event(name or os.environ.get("GITHUB_EVENT_NAME", "") or _guess(payload), payload)


def _guess(payload: dict[str, Any]) -> str:
    if "pull_request" in payload:
        return "pull_request"
    if "comment" in payload and "issue" in payload:
        return "issue_comment"
    return ""
