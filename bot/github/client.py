"""The PyGithub client, configured for a bot that must never post twice.

PyGithub's default retry re-sends POST after a 5xx, and GitHub may have created the review
before it answered 502. Here only idempotent methods are retried by urllib3; the review code
looks before it re-posts. Rate limits (403/429 with `retry-after` or `x-ratelimit-reset`) are
waited out by PyGithub's GithubRetry, within a bound.
"""

from __future__ import annotations

from github import Auth, Github, GithubException
from github.GithubRetry import GithubRetry

from bot.frozen import frozen

DEFAULT_API_URL = "https://api.github.com"
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})


@frozen
class ClientOptions:
    api_url: str = DEFAULT_API_URL
    timeout: int = 20
    retries: int = 4
    backoff: float = 0.5  # seconds, doubled per retry, for 5xx and dropped connections
    secondary_rate_wait: float = 60.0  # when a secondary limit gives no retry-after
    max_rate_limit_wait: float = 300.0  # never sleep longer than this for a primary limit
    # GitHub asks integrations to pause between writes; a loopback server does not need it.
    seconds_between_requests: float = 0.1
    seconds_between_writes: float = 1.0


def connect(token: str, options: ClientOptions = ClientOptions()) -> Github:
    retry = GithubRetry(
        total=options.retries,
        backoff_factor=options.backoff,
        allowed_methods=IDEMPOTENT,
        secondary_rate_wait=options.secondary_rate_wait,
        max_rate_limit_wait=options.max_rate_limit_wait,
    )
    return Github(
        auth=Auth.Token(token),
        base_url=options.api_url.rstrip("/"),
        timeout=options.timeout,
        per_page=100,
        retry=retry,
        seconds_between_requests=options.seconds_between_requests,
        seconds_between_writes=options.seconds_between_writes,
        user_agent="claim-review",
    )


def is_read_only(exc: Exception) -> bool:
    """A write refused for want of permission: the fork pull request's read-only token."""
    if not isinstance(exc, GithubException) or exc.status != 403:
        return False
    message = str((exc.data or {}).get("message", "")) if isinstance(exc.data, dict) else ""
    return "not accessible by integration" in message.lower() or "permission" in message.lower()


def is_unprocessable(exc: Exception) -> bool:
    return isinstance(exc, GithubException) and exc.status == 422


def is_transient(exc: Exception) -> bool:
    """Worth looking and trying again: 5xx, timeouts, dropped connections, exhausted retries."""
    if isinstance(exc, GithubException):
        return exc.status >= 500 or exc.status == 429
    import requests

    return isinstance(exc, requests.exceptions.RequestException)
