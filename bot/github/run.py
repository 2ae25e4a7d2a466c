"""`claim-review review`: one pull request, from its event (or --repo/--pr) to its review.

The knowledge base is read at the pull request's head as data: from local git when the checkout
holds both commits, else through the API. The configuration and rule files come from the base
commit, so a pull request cannot switch off the rules that judge it. Whatever the API refuses,
the job summary and the workflow annotations always carry every finding.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from github import GithubException

from bot import config, diff, engine, pipeline
from bot.checks import PullRequestInfo
from bot.diff import ChangedFile
from bot.frozen import frozen
from bot.github import render
from bot.github.event import PullRequestRef
from bot.github.review import (
    ACTIONS_BOT,
    Outcome,
    ReadOnlyToken,
    ReviewOptions,
    apply_plan,
    our_comments,
    plan,
    publish_check_run,
    set_verdict_label,
    upsert_summary,
)
from bot.github.source import ApiTree, changes_from_api
from bot.models import Severity
from bot.repo import GitError, GitTree, Tree, git
from bot.report import sarif as sarif_report
from bot.report import workflow


@frozen
class RunOptions:
    review: ReviewOptions = field(default_factory=ReviewOptions)
    config_path: str = config.CONFIG_FILE  # inside the repository, read at the base commit
    fail_level: str | None = None
    workspace: Path | None = None  # a checkout that may hold both commits
    step_summary: Path | None = None
    output: Path | None = None  # GITHUB_OUTPUT
    sarif: Path | None = None
    # Whose comments are ours. GITHUB_TOKEN writes as github-actions[bot] (and cannot read /user
    # to say so); a GitHub App's token writes as "<app-slug>[bot]".
    bot_login: str = ACTIONS_BOT
    annotations: bool = True  # print workflow commands (the Actions log shows them)


@dataclass
class Review:
    result: pipeline.Result
    settings: config.Settings
    outcome: Outcome
    verdict: str
    exit_code: int
    head_sha: str
    source: str  # "git" or "api"


def review_pull_request(gh: Any, ref: PullRequestRef, options: RunOptions) -> Review:
    repo = gh.get_repo(ref.repo)
    pull = repo.get_pull(ref.number)
    head_sha, base_sha = pull.head.sha, pull.base.sha
    change = _load_change(repo, pull, head_sha, base_sha, options)
    changes = change.changes
    # Rules and configuration as the base branch has them now; the change as the pull request
    # shows it: against the merge base, where the head's history left the base branch.
    settings = config.load_from_tree(change.config, options.config_path)
    if options.fail_level:
        level = None if options.fail_level == "never" else Severity.parse(options.fail_level)
        settings = replace(settings, fail_level=level)
    info = PullRequestInfo(title=pull.title or "", body=pull.body or "")
    result = pipeline.review_change(change.head, change.base, changes, settings, info)

    outcome = Outcome(notes=list(change.notes))
    bot = options.bot_login
    fixes = {r.code: r.spec.fix for r in settings.rules}
    summary_input = lambda: render.SummaryInput(  # noqa: E731 - rebuilt after posting
        findings=result.findings,
        inline=outcome.inline,
        checked=result.checked,
        head_sha=head_sha,
        fail_level=settings.fail_level,
        notes=outcome.notes,
        skipped=result.skipped,
        details_url=options.review.details_url,
    )
    try:
        ours = our_comments(pull, bot)
        the_plan = plan(result.findings, changes, ours, options.review.max_comments)
        commit = repo.get_commit(head_sha) if the_plan.new else None
        apply_plan(pull, commit, the_plan, result.findings, fixes, bot, options.review, outcome)
        upsert_summary(pull, render.summary_body(summary_input()), bot, outcome)
        if options.review.labels:
            set_verdict_label(pull, render.verdict(result.findings, settings.fail_level), outcome)
        if options.review.check_run:
            conclusion = "failure" if engine.exit_code(result.findings, settings) else "success"
            publish_check_run(
                repo, head_sha, result.findings, conclusion,
                render.summary_body(summary_input(), marker=False), options.review, outcome,
            )  # fmt: skip
    except ReadOnlyToken:
        outcome.read_only = True
        outcome.summary = "not written"
        outcome.notes.append(
            "The token cannot write to this pull request (a fork's read-only token): every finding "
            "is in this job summary and in the annotations of the workflow run."
        )
    verdict = render.verdict(result.findings, settings.fail_level)
    review = Review(
        result,
        settings,
        outcome,
        verdict,
        engine.exit_code(result.findings, settings),
        head_sha,
        change.source,
    )
    _report_locally(review, options, summary_input())
    return review


@dataclass
class _Change:
    head: Tree  # the pull request's head
    base: Tree  # the merge base: what the pull request's diff compares with
    config: Tree  # the base branch's tip: where configuration and rules are read
    changes: dict[str, ChangedFile]
    notes: list[str]
    source: str  # "git" or "api"


def _load_change(
    repo: Any, pull: Any, head_sha: str, base_sha: str, options: RunOptions
) -> _Change:
    workspace = options.workspace
    if workspace is not None and _has_commits(workspace, head_sha, base_sha):
        return _from_git(workspace, head_sha, base_sha)
    try:
        fork = repo.compare(base_sha, head_sha).merge_base_commit.sha or base_sha
    except GithubException:
        fork = base_sha
    head, tip = ApiTree(repo, head_sha), ApiTree(repo, base_sha)
    base = tip if fork == base_sha else ApiTree(repo, fork)
    changes, notes = changes_from_api(pull, head, base)
    return _Change(head, base, tip, changes, notes, "api")


def _from_git(workspace: Path, head_sha: str, base_sha: str) -> _Change:
    try:
        fork = git(workspace, "merge-base", base_sha, head_sha).decode().strip() or base_sha
    except GitError:
        fork = base_sha  # unrelated histories: compare with the tip
    changes = {c.path: c for c in diff.from_git(workspace, fork, head_sha)}
    tip = GitTree(workspace, base_sha)
    base = tip if fork == base_sha else GitTree(workspace, fork)
    return _Change(GitTree(workspace, head_sha), base, tip, changes, [], "git")


def _has_commits(workspace: Path, *shas: str) -> bool:
    try:
        for sha in shas:
            git(workspace, "cat-file", "-e", f"{sha}^{{commit}}")
    except (GitError, OSError):
        return False
    return True


def _report_locally(review: Review, options: RunOptions, summary: render.SummaryInput) -> None:
    """The job summary, annotations, SARIF and step outputs: never lost, whatever the API did."""
    result, settings = review.result, review.settings
    if options.step_summary is not None:
        text = render.summary_body(summary, limit=1_000_000, marker=False)
        with options.step_summary.open("a", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text + "\n")
    if options.annotations:
        sys.stdout.write(workflow.render(result, settings))
    if options.sarif is not None:
        options.sarif.parent.mkdir(parents=True, exist_ok=True)
        options.sarif.write_text(
            sarif_report.render(result, settings), encoding="utf-8", errors="backslashreplace"
        )
    if options.output is not None:
        counts = {s: sum(1 for f in result.findings if f.severity is s) for s in Severity}
        lines = [
            f"verdict={review.verdict}",
            f"errors={counts[Severity.ERROR]}",
            f"warnings={counts[Severity.WARNING]}",
            f"notices={counts[Severity.NOTICE]}",
            f"sarif={options.sarif or ''}",
        ]
        with options.output.open("a", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write("\n".join(lines) + "\n")


def from_environment(**overrides: Any) -> RunOptions:
    """Options from the environment GitHub Actions sets, overridden by explicit values."""
    env = os.environ
    server = env.get("GITHUB_SERVER_URL", "").rstrip("/")
    run_id, repo = env.get("GITHUB_RUN_ID"), env.get("GITHUB_REPOSITORY")
    details = f"{server}/{repo}/actions/runs/{run_id}" if server and run_id and repo else ""
    values: dict[str, Any] = {
        "workspace": Path(env["GITHUB_WORKSPACE"]) if env.get("GITHUB_WORKSPACE") else None,
        "step_summary": Path(env["GITHUB_STEP_SUMMARY"])
        if env.get("GITHUB_STEP_SUMMARY")
        else None,
        "output": Path(env["GITHUB_OUTPUT"]) if env.get("GITHUB_OUTPUT") else None,
        "bot_login": env.get("CLAIM_REVIEW_BOT_LOGIN") or None,
    }
    values.update(overrides)
    values = {k: v for k, v in values.items() if v is not None}
    review = values.pop("review", ReviewOptions())
    return RunOptions(review=replace(review, details_url=review.details_url or details), **values)
