"""`/recheck`: a maintainer's comment reruns the review on the pull request's current head.

Screened first with no API call (created, on a pull request, not a bot, the command on a line of
its own); then authorised by the collaborator-permission endpoint (write or above). Accepted:
👀 on the comment, the same review as an automatic run (same idempotency), 🚀 when done.
Refused: nothing runs; a person gets a short reply (CLAIM_REVIEW_REFUSAL: its text, `off`: none).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from github import GithubException

from bot.github.commands import screen, should_run
from bot.github.event import Event, PullRequestRef
from bot.github.run import RunOptions, review_pull_request

DEFAULT_REFUSAL = "Only people with write access to this repository can run `/recheck`."


def recheck(gh: Any, ev: Event, ref: PullRequestRef, options: RunOptions) -> int:
    decision = screen(ev.payload)
    if not decision.run:
        print(f"claim-review: not rechecking: {decision.reason}", file=sys.stderr)
        return 0
    repo = gh.get_repo(ref.repo)
    login = ev.payload["comment"]["user"]["login"]
    try:
        permission = repo.get_collaborator_permission(login)
    except GithubException as exc:
        if exc.status not in (403, 404):
            raise
        permission = "none"  # not a collaborator, or we may not ask: treat as no access
    decision = should_run(ev.payload, permission)
    comment = repo.get_issue(ref.number).get_comment(ev.payload["comment"]["id"])
    if not decision.run:
        print(f"claim-review: not rechecking: {decision.reason}", file=sys.stderr)
        refusal = os.environ.get("CLAIM_REVIEW_REFUSAL", DEFAULT_REFUSAL).strip()
        if decision.reply and refusal and refusal.lower() != "off":
            repo.get_issue(ref.number).create_comment(f"@{login} {refusal}")
        return 0
    comment.create_reaction("eyes")
    try:
        review = review_pull_request(gh, ref, options)
    except Exception:
        comment.create_reaction("confused")
        raise
    comment.create_reaction("rocket")
    print(f"claim-review: rechecked: {review.verdict}", file=sys.stderr)
    return review.exit_code
