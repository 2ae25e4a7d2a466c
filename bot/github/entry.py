"""The `review` command's door: arguments and environment in, one review (or a refusal) out."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace

from github import GithubException

from bot.config import ConfigError
from bot.github import event as events
from bot.github.client import DEFAULT_API_URL, ClientOptions, connect
from bot.github.review import ReviewOptions
from bot.github.run import from_environment, review_pull_request


def review_command(args: argparse.Namespace) -> int:
    token = os.environ.get("GITHUB_TOKEN", "").strip()
    if not token:
        return _fail("GITHUB_TOKEN is not set")
    try:
        if args.repo or args.pr:
            if not (args.repo and args.pr):
                return _fail("--repo and --pr go together")
            ev = None
            ref = events.PullRequestRef(args.repo, args.pr)
        else:
            ev = events.load(args.event)
            ref = ev.pull_request()
    except events.EventError as exc:
        return _fail(str(exc))
    options = from_environment(
        review=ReviewOptions(
            max_comments=max(0, args.max_comments),
            review_event=args.review_event,
            check_run=args.check_run,
            labels=args.labels,
        ),
        config_path=args.config,
        fail_level=args.fail_level,
        sarif=args.sarif,
    )
    if args.workspace is not None:
        options = replace(options, workspace=args.workspace)
    gh = connect(token, ClientOptions(api_url=args.api_url or DEFAULT_API_URL))
    try:
        if ev is not None and ev.name == "issue_comment":
            from bot.github.recheck import recheck

            return recheck(gh, ev, ref, options)
        review = review_pull_request(gh, ref, options)
    except ConfigError as exc:
        return _fail(f"configuration at the base commit: {exc}")
    except GithubException as exc:
        message = exc.data.get("message") if isinstance(exc.data, dict) else None
        return _fail(f"GitHub answered {exc.status}: {message or 'no message'}")
    outcome = review.outcome
    print(
        f"claim-review: {review.verdict} · {len(review.result.findings)} finding(s) · "
        f"{outcome.posted} new inline, {outcome.deleted} deleted, {outcome.resolved} resolved, "
        f"summary {outcome.summary}" + (" · read-only token" if outcome.read_only else ""),
        file=sys.stderr,
    )
    return review.exit_code


def _fail(message: str) -> int:
    print(f"claim-review: {message}", file=sys.stderr)
    return 2
