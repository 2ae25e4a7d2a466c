"""Post what the engine found on a pull request: inline comments, one summary, a check run.

Idempotent and polite: every inline comment carries its finding's fingerprint (no line numbers,
so an edit above a finding does not repost it); a run reads what is already there first, posts
only what is new, deletes comments whose finding is gone (or, if a person replied, marks them
resolved), and edits the one summary comment in place. After a 5xx or a timeout on a write it
looks again before trying once more, so a retried POST never duplicates a review.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

from github import GithubException

from bot.diff import ChangedFile
from bot.frozen import frozen
from bot.github import render
from bot.github.client import is_read_only, is_transient, is_unprocessable
from bot.models import Finding, Placement, Severity

ReviewEvent = Literal["COMMENT", "REQUEST_CHANGES"]
ACTIONS_BOT = "github-actions[bot]"


class ReadOnlyToken(Exception):
    """The token may read but not write (a fork pull request under `pull_request`)."""


@frozen
class ReviewOptions:
    max_comments: int = 30
    review_event: ReviewEvent = "COMMENT"  # REQUEST_CHANGES is used only while errors remain
    check_run: bool = False
    check_name: str = "claim-review"
    labels: bool = False  # keep one `claim-review: <verdict>` label on the pull request
    details_url: str = ""  # link to the workflow run (for "see the job summary")


@dataclass
class OurComment:
    id: int
    fingerprint: str
    body: str
    replied: bool  # a person answered it: never delete it


@frozen
class Plan:
    new: list[Finding]  # findings to post as inline comments now
    kept: set[str]  # fingerprints already posted and still found
    delete: list[OurComment]  # finding gone, nobody replied
    resolve: list[OurComment]  # finding gone, a person replied: edit, keep the thread


@dataclass
class Outcome:
    posted: int = 0
    deleted: int = 0
    resolved: int = 0
    summary: str = "unchanged"  # created | edited | unchanged | not written
    review_id: int | None = None
    check_run: str = "off"
    label: str = "unchanged"
    read_only: bool = False
    inline: frozenset[str] = frozenset()
    notes: list[str] = field(default_factory=list)


# --- planning (pure) -------------------------------------------------------------------------


def placeable(f: Finding, changes: dict[str, ChangedFile]) -> bool:
    """Can GitHub anchor this finding on the RIGHT side of the diff? (else: the summary)"""
    change = changes.get(f.path)
    if change is None or f.placement is not Placement.ADDED_LINE:
        return False
    hunk = change.hunk_of(f.span.line)
    return hunk is not None and f.span.last_line <= hunk[1]


def plan(
    findings: Sequence[Finding],
    changes: dict[str, ChangedFile],
    ours: Iterable[OurComment],
    max_comments: int,
) -> Plan:
    ours = list(ours)
    current = {f.fingerprint for f in findings}
    posted = {c.fingerprint for c in ours}
    kept = posted & current
    room = max(0, max_comments - len(kept))
    candidates = sorted(
        (f for f in findings if f.fingerprint not in posted and placeable(f, changes)),
        key=lambda f: (-f.severity, f.path, f.span.line),
    )
    gone = [c for c in ours if c.fingerprint not in current]
    return Plan(
        new=candidates[:room],
        kept=kept,
        delete=[c for c in gone if not c.replied],
        resolve=[c for c in gone if c.replied],
    )


def review_comment(f: Finding, fix: str) -> dict[str, Any]:
    comment: dict[str, Any] = {
        "path": f.path,
        "line": f.span.last_line,
        "side": "RIGHT",
        "body": render.truncate(render.inline_body(f, fix), render.BODY_LIMIT - 100),
    }
    if f.span.last_line > f.span.line:
        comment["start_line"] = f.span.line
        comment["start_side"] = "RIGHT"
    return comment


def digest(fingerprints: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(fingerprints)).encode()).hexdigest()[:20]


# --- reading what is there --------------------------------------------------------------------


def our_comments(pull: Any, bot: str) -> list[OurComment]:
    # `in_reply_to_id` is absent from a listed comment that replies to nothing, and PyGithub
    # fetches the whole comment to look for it: ask it only of other people's comments (the
    # bot never replies), so that a rerun does not cost one request per inline comment.
    comments = list(pull.get_review_comments())
    replied_to = {c.in_reply_to_id for c in comments if c.user.login != bot} - {None}
    ours = []
    for c in comments:
        fp = render.marker_of(c.body) if c.user.login == bot else None
        if fp:
            ours.append(OurComment(c.id, fp, c.body, c.id in replied_to))
    return ours


def our_summary(pull: Any, bot: str) -> Any | None:
    for c in pull.get_issue_comments():
        if c.user.login == bot and render.is_summary(c.body):
            return c
    return None


# --- writing ----------------------------------------------------------------------------------


def _write(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except GithubException as exc:
        if is_read_only(exc):
            raise ReadOnlyToken(str(exc.data)) from exc
        raise


def apply_plan(
    pull: Any,
    commit: Any,
    the_plan: Plan,
    findings: Sequence[Finding],
    fixes: dict[str, str],
    bot: str,
    options: ReviewOptions,
    outcome: Outcome,
) -> None:
    for c in the_plan.delete:
        _write(partial(_delete_comment, pull, c.id))
        outcome.deleted += 1
    for c in the_plan.resolve:
        body = render.resolved_body(c.body)
        if body != c.body:
            _write(partial(_edit_comment, pull, c.id, body))
            outcome.resolved += 1
    new = list(the_plan.new)
    errors_remain = any(f.severity is Severity.ERROR for f in findings)
    event = options.review_event if errors_remain else "COMMENT"
    if new:
        posted = _post_review(pull, commit, new, fixes, bot, event, outcome)
        outcome.inline = frozenset(the_plan.kept | posted)
    else:
        outcome.inline = frozenset(the_plan.kept)


def _edit_comment(pull: Any, comment_id: int, body: str) -> None:
    pull.get_review_comment(comment_id).edit(body)


def _delete_comment(pull: Any, comment_id: int) -> None:
    try:
        pull.get_review_comment(comment_id).delete()
    except GithubException as exc:
        if exc.status != 404:  # already gone: that is what we wanted
            raise


def _post_review(
    pull: Any,
    commit: Any,
    new: list[Finding],
    fixes: dict[str, str],
    bot: str,
    event: ReviewEvent,
    outcome: Outcome,
) -> set[str]:
    """Post one review with the new inline comments; the fingerprints that made it."""
    for attempt in (1, 2):
        comments = [review_comment(f, fixes.get(f.code, "")) for f in new]
        wanted = {f.fingerprint for f in new}
        body = (
            f"claim-review found {render.counts_line(new)} on the changed lines; "
            "the summary comment lists everything.\n\n"
            + render.REVIEW_MARKER.format(digest=digest(wanted))
        )
        try:
            review = _write(
                partial(
                    pull.create_review, commit=commit, body=body, event=event, comments=comments
                )
            )
            outcome.review_id = review.id
            outcome.posted += len(new)
            return wanted
        except GithubException as exc:
            if is_unprocessable(exc) and attempt == 1:
                # GitHub refuses the whole review without saying which comment is at fault:
                # keep only single-line comments on added lines, fold the rest, retry once.
                outcome.notes.append(f"GitHub refused the inline review (422): {_message(exc)}")
                new = [f for f in new if f.span.last_line == f.span.line]
                if not new:
                    return set()
                continue
            if is_unprocessable(exc):
                outcome.notes.append("The inline comments were folded into the summary.")
                return set()
            if not is_transient(exc):
                raise
        except Exception as exc:  # timeouts and dropped connections from requests/urllib3
            if not is_transient(exc):
                raise
        # A 5xx or a timeout: the review may exist all the same. Look before posting again.
        landed = {c.fingerprint for c in our_comments(pull, bot)} & wanted
        if landed:
            outcome.posted += len(landed)
            return landed
    outcome.notes.append("GitHub did not accept the inline review; findings are in the summary.")
    return set()


def _message(exc: GithubException) -> str:
    data = exc.data if isinstance(exc.data, dict) else {}
    errors = data.get("errors") or []
    texts = [e if isinstance(e, str) else e.get("message", "") for e in errors]
    return "; ".join(t for t in texts if t) or str(data.get("message", exc.status))


def upsert_summary(pull: Any, body: str, bot: str, outcome: Outcome) -> None:
    existing = our_summary(pull, bot)
    if existing is not None:
        if existing.body != body:
            _write(lambda: existing.edit(body))
            outcome.summary = "edited"
        return
    try:
        _write(lambda: pull.create_issue_comment(body))
        outcome.summary = "created"
    except GithubException as exc:
        if not is_transient(exc):
            raise
        if our_summary(pull, bot) is None:  # look before posting again
            _write(lambda: pull.create_issue_comment(body))
        outcome.summary = "created"


LABEL_PREFIX = "claim-review: "


def set_verdict_label(pull: Any, verdict: str, outcome: Outcome) -> None:
    """One `claim-review: pass|warn|fail` label; stale verdict labels removed (no write if set)."""
    wanted = f"{LABEL_PREFIX}{verdict}"
    present = [label.name for label in pull.get_labels()]
    for name in present:
        if name.startswith(LABEL_PREFIX) and name != wanted:
            _write(partial(pull.remove_from_labels, name))
    if wanted not in present:
        _write(partial(pull.add_to_labels, wanted))
        outcome.label = wanted


ANNOTATION_LEVEL = {
    Severity.ERROR: "failure",
    Severity.WARNING: "warning",
    Severity.NOTICE: "notice",
}


def publish_check_run(
    repo: Any,
    head_sha: str,
    findings: Sequence[Finding],
    conclusion: str,
    summary: str,
    options: ReviewOptions,
    outcome: Outcome,
) -> None:
    """A check run for the head commit, annotations sent 50 at a time (GitHub's cap).

    A run with the same conclusion and summary already there is left alone (a rerun writes
    nothing); otherwise a new run is created, which GitHub shows in place of the older one.
    """
    title = f"claim-review: {render.counts_line(findings)}"
    summary = render.truncate(summary, 65_000)
    commit = repo.get_commit(head_sha)
    for existing in commit.get_check_runs(check_name=options.check_name):
        if (existing.conclusion, existing.output.title, existing.output.summary) == (
            conclusion, title, summary,
        ):  # fmt: skip
            outcome.check_run = "unchanged"
            return
    annotations = [
        {
            "path": f.path,
            "start_line": f.span.line,
            "end_line": f.span.last_line,
            "annotation_level": ANNOTATION_LEVEL[f.severity],
            "title": f"{f.name} ({f.code})"[:255],
            "message": render.truncate(f.message, 60_000),
        }
        for f in findings
    ]
    output = {"title": title, "summary": summary}
    run = _write(
        partial(
            repo.create_check_run,
            name=options.check_name,
            head_sha=head_sha,
            status="completed",
            conclusion=conclusion,
            output={**output, "annotations": annotations[:50]},
        )
    )
    for start in range(50, len(annotations), 50):
        batch = annotations[start : start + 50]
        _write(partial(run.edit, output={**output, "annotations": batch}))
    outcome.check_run = conclusion
