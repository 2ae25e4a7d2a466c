"""`claim-review demo`: the whole review path on the bundled example, against a loopback GitHub.

It starts the loopback GitHub API server on 127.0.0.1, creates a repository holding the example
knowledge base, opens a pull request with the example change, runs the same review a GitHub
Action would (unmodified PyGithub over real HTTP, reading the change and the knowledge base
through the API), and prints what a reviewer would see. Nothing leaves the machine.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from bot.github.client import ClientOptions, connect
from bot.github.event import PullRequestRef
from bot.github.loopback import LoopbackGitHub
from bot.github.run import RunOptions, review_pull_request

REPO = "example-org/knowledge-base"


def example_dir() -> Path:
    """`examples/` in a checkout, `bot/_example` once installed."""
    checkout = Path(__file__).resolve().parents[2] / "examples"
    if checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parents[1] / "_example"


def read_tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def apply_patch(files: dict[str, bytes], patch: Path) -> dict[str, bytes]:
    """The files after `git apply` of the example change (in a scratch folder)."""
    with tempfile.TemporaryDirectory(prefix="claim-review-demo-") as tmp:
        root = Path(tmp)
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        subprocess.run(
            ["git", "apply", "--whitespace=nowarn", str(patch.resolve())],
            cwd=root, check=True, capture_output=True,
        )  # fmt: skip
        return read_tree(root)


def run(out: TextIO = sys.stdout, example: Path | None = None) -> int:
    example = example or example_dir()
    base = read_tree(example / "kb")
    head = apply_patch(base, example / "change.patch")
    title, _, body = (example / "pr-description.md").read_text(encoding="utf-8").partition("\n")
    with LoopbackGitHub() as server:
        server.create_repo(REPO, files=base)
        pull = server.create_pull_request(
            REPO, base_files=base, head_files=head, title=title.lstrip("# ").strip(),
            body=body.strip(), author="extractor-bot", head_ref="extract/example",
        )  # fmt: skip
        gh = connect(
            server.actions_token,
            ClientOptions(api_url=server.url, seconds_between_requests=0, seconds_between_writes=0),
        )
        ref = PullRequestRef(REPO, pull.number)
        options = RunOptions(annotations=False)
        first = review_pull_request(gh, ref, options)
        cost = (server.reads, server.writes)
        server.reset_log()
        second = review_pull_request(gh, ref, options)
        _show(out, server, pull.number, first, cost, second)
        return 0


def _show(out: TextIO, server: LoopbackGitHub, number: int, first, cost, second) -> None:  # type: ignore[no-untyped-def]
    p = lambda text="": print(text, file=out)  # noqa: E731
    pr = server.pull_request(REPO, number)
    p(f"Loopback GitHub at {server.url} · pull request #{number}: {pr.title}")
    p(
        f"Reviewed {len(first.result.checked)} changed file(s), read through the API at "
        f"{first.head_sha[:12]}"
    )
    p()
    comments = sorted(server.review_comments(REPO, number), key=lambda c: (c.path, c.line or 0))
    p(f"── Inline review comments ({len(comments)}) " + "─" * 40)
    for c in comments:
        where = f"{c.path}:{c.start_line}-{c.line}" if c.start_line else f"{c.path}:{c.line}"
        p(f"\n▶ {where}")
        for line in c.body.splitlines():
            if not line.startswith("<!--"):
                p(f"  {line}")
    p()
    p("── Summary comment " + "─" * 52)
    for comment in server.issue_comments(REPO, number):
        for line in comment.body.splitlines():
            if not line.startswith("<!--"):
                p(f"  {line}")
    p()
    p(
        f"Verdict: {first.verdict} · exit code {first.exit_code} · "
        f"API calls: {cost[0]} reads, {cost[1]} writes"
    )
    p(
        f"Second run on the same head: {second.outcome.posted} new comment(s), summary "
        f"{second.outcome.summary}, {server.writes} write(s)"
    )
