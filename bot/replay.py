"""`claim-review replay REPO`: review every pull request in a repository's history.

A measuring tool for rule authors: how many findings each rule makes on real pull requests, and
how long a review takes. Pull requests are read off the commit graph, in the two shapes the
knowledge bases we serve merge them:

- merge commits, `Merge pull request 'TITLE' (#N) from BRANCH into main` or
  `Merge pull request #N from OWNER/BRANCH`: the head is the second parent, the base the merge
  base of both parents. That is the diff the pull request showed; diffing against the first
  parent instead would show everything main gained since the branch started, reverted, as if
  the pull request had done it (37 files instead of 8 for one real merge).
- squash commits on the first-parent line whose title ends with `(#N)`: base is the parent,
  head the commit.

Each pull request goes through `pipeline.check_change`, spread over the machine's cores.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot import patterns
from bot.frozen import frozen
from bot.models import Finding
from bot.repo import GitError, git

if TYPE_CHECKING:
    from bot.config import Settings

_MERGE = patterns.compile(
    r"^Merge pull request (?:'(?P<title>.*)' \(#(?P<n1>\d+)\)|#(?P<n2>\d+) from)"
)
_SQUASH = patterns.compile(r"^(?P<title>.*?)\s*\(#(?P<n>\d+)\)\s*$")
_RECORD = "\x1e"  # separates commits in `git log` output; fields are split by NUL


@frozen
class PullRequest:
    number: int
    kind: str  # "merge" or "squash"
    commit: str  # the merge or squash commit
    base: str
    head: str
    title: str


@frozen
class Review:
    pr: PullRequest
    findings: list[Finding] = field(default_factory=list)
    checked: int = 0
    seconds: float = 0.0
    error: str = ""


def find_pull_requests(repo: Path, rev: str = "HEAD") -> list[PullRequest]:
    """Every merged pull request reachable from `rev`, oldest first."""
    log = git(repo, "log", "--reverse", f"--format=%H%x00%P%x00%B{_RECORD}", rev, "--")
    first_parent = set(git(repo, "rev-list", "--first-parent", rev, "--").decode().split())
    found = []
    for record in log.decode("utf-8", "replace").split(_RECORD):
        commit, parents, message = [*record.strip("\n").split("\0"), "", ""][:3]
        if not commit:
            continue
        parents_ = parents.split()
        subject, _, body = message.strip().partition("\n")
        if len(parents_) == 2:
            m = _MERGE.match(subject)
            if m is None:
                continue
            # GitHub's merge message holds the title on the first line of the body.
            title = m.group("title") or body.strip().partition("\n")[0]
            number = int(m.group("n1") or m.group("n2"))
            base = git(repo, "merge-base", *parents_).decode().strip() or parents_[0]
            found.append(PullRequest(number, "merge", commit, base, parents_[1], title))
        elif len(parents_) == 1 and commit in first_parent:
            m = _SQUASH.match(subject)
            if m:
                number, title = int(m.group("n")), m.group("title")
                found.append(PullRequest(number, "squash", commit, parents_[0], commit, title))
    return found


# --- reviewing, on every core -----------------------------------------------------------------


def review_all(
    repo: Path, prs: Sequence[PullRequest], settings: Settings, jobs: int
) -> list[Review]:
    from bot.parallel import fork_map

    return fork_map(_review, prs, (repo, settings), jobs)


def _review(shared: tuple[Path, Settings], pr: PullRequest) -> Review:
    from bot import pipeline
    from bot.checks import PullRequestInfo

    repo, settings = shared
    started = time.perf_counter()
    try:
        result = pipeline.check_change(
            # git keeps a pull request's title, not its description: unknown, not empty.
            repo,
            pr.base,
            pr.head,
            settings,
            PullRequestInfo(title=pr.title, body=None),
        )
    except Exception as exc:  # one failing review (a broken rule) must not end the replay
        return Review(pr, error=f"{type(exc).__name__}: {exc}")
    return Review(pr, result.findings, len(result.checked), time.perf_counter() - started)


# --- the command ------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    from bot import config
    from bot.cli import UsageError

    repo = args.repo.resolve()
    try:
        prs = find_pull_requests(repo, args.rev)
    except (GitError, OSError) as exc:
        raise UsageError(f"{args.repo}: {exc}") from None
    if args.limit is not None:
        prs = prs[-args.limit :] if args.limit > 0 else []
    try:
        settings = config.load(args.config or config.find_config(repo), repo)
    except config.ConfigError as exc:
        raise UsageError(str(exc)) from None
    if args.select:
        wanted = tuple(s.strip() for s in args.select.split(",") if s.strip())
        rules = tuple(r for r in settings.rules if config.selected(r.spec, wanted))
        if not rules:
            raise UsageError(f"--select {args.select}: matches no active rule")
        settings = replace(settings, rules=rules)
    started = time.perf_counter()
    reviews = review_all(repo, prs, settings, max(1, args.jobs))
    wall = time.perf_counter() - started
    render = render_json if args.format == "json" else render_text
    report = render(repo, reviews, wall, max(1, args.jobs))
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report)
    return 0


# --- reports ----------------------------------------------------------------------------------


def per_rule(reviews: Sequence[Review]) -> list[tuple[str, str, int, int]]:
    """(code, name, findings, pull requests with at least one), by code."""
    findings: Counter[tuple[str, str]] = Counter()
    prs: Counter[tuple[str, str]] = Counter()
    for review in reviews:
        rules = Counter((f.code, f.name) for f in review.findings)
        findings.update(rules)
        prs.update(rules.keys())
    return [(code, name, n, prs[(code, name)]) for (code, name), n in sorted(findings.items())]


def render_text(repo: Path, reviews: Sequence[Review], wall: float, jobs: int) -> str:
    total = sum(len(r.findings) for r in reviews)
    kinds = Counter(r.pr.kind for r in reviews)
    out = [
        f"Repository      {repo}",
        f"Pull requests   {len(reviews)} ({kinds['merge']} merge, {kinds['squash']} squash)",
        f"Wall time       {wall:.1f} s on {jobs} worker(s)",
        f"Findings        {total} ({_average(total, len(reviews))} per pull request)",
        "",
        f"{'RULE':<7} {'NAME':<32} {'FINDINGS':>8} {'PRS':>5}",
    ]
    out.extend(f"{c:<7} {n:<32} {k:>8} {p:>5}" for c, n, k, p in per_rule(reviews))
    out += ["", f"{'PR':>6} {'KIND':<6} {'FILES':>5} {'FOUND':>5}  RULES / TITLE"]
    for r in reviews:
        rules = Counter(f.code for f in r.findings)
        shown = " ".join(f"{c}x{n}" for c, n in sorted(rules.items())) or "-"
        if r.error:
            shown = f"error: {r.error}"
        out.append(
            f"{'#' + str(r.pr.number):>6} {r.pr.kind:<6} {r.checked:>5} {len(r.findings):>5}"
            f"  {shown}  {r.pr.title[:60]}"
        )
    return "\n".join(out) + "\n"


def render_json(repo: Path, reviews: Sequence[Review], wall: float, jobs: int) -> str:
    from bot.report.json_report import finding_dict

    total = sum(len(r.findings) for r in reviews)
    payload = {
        "repository": str(repo),
        "wall_seconds": round(wall, 3),
        "jobs": jobs,
        "pull_requests": len(reviews),
        "findings": total,
        "findings_per_pr": round(total / len(reviews), 3) if reviews else 0.0,
        "rules": [
            {"rule": c, "name": n, "findings": k, "pull_requests": p}
            for c, n, k, p in per_rule(reviews)
        ],
        "reviews": [
            {
                "number": r.pr.number,
                "kind": r.pr.kind,
                "commit": r.pr.commit,
                "base": r.pr.base,
                "head": r.pr.head,
                "title": r.pr.title,
                "checked": r.checked,
                "seconds": round(r.seconds, 3),
                "error": r.error or None,
                "findings": [finding_dict(f) for f in r.findings],
            }
            for r in reviews
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _average(total: int, count: int) -> str:
    return f"{total / count:.2f}" if count else "0"
