"""The pull-request review end to end: unmodified PyGithub over real HTTP to the loopback GitHub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from github import Auth, Github

from bot.github.client import ClientOptions, connect
from bot.github.event import PullRequestRef
from bot.github.loopback import LoopbackGitHub
from bot.github.review import ReviewOptions
from bot.github.run import RunOptions, review_pull_request
from tests.conftest import claim

REPO = "acme/knowledge"
PERSON_TOKEN = "ghp_personToken00000000000000000000000000"
EXISTING = "domains/health/walking keeps older adults active.md"


def body_with(links: list[str]) -> str:
    return "Argument.\n\n" + "".join(f"- [[{target}]]\n" for target in links)


BASE = {
    # The review tests are about posting, not about rules: only the link rule runs.
    ".claim-review.yml": "rules:\n  select: [unresolved-wiki-link]\n",
    EXISTING: claim("Walking keeps older adults active"),
    "domains/health/_map.md": "# Health\n",
    "README.md": "# Knowledge base\n",
}


@pytest.fixture
def server():
    with LoopbackGitHub() as gh:
        gh.create_repo(REPO, files=BASE)
        gh.add_token(PERSON_TOKEN, "alice")
        yield gh


def client(server: LoopbackGitHub, token: str | None = None) -> Github:
    options = ClientOptions(
        api_url=server.url, seconds_between_requests=0, seconds_between_writes=0,
        backoff=0.01, secondary_rate_wait=1,
    )  # fmt: skip
    return connect(token or server.actions_token, options)


def review(server: LoopbackGitHub, number: int, tmp_path: Path, token: str | None = None, **kw):
    options = RunOptions(
        review=ReviewOptions(**kw),
        annotations=False,
        step_summary=tmp_path / "summary.md",
        output=tmp_path / "output.txt",
    )
    return review_pull_request(client(server, token), PullRequestRef(REPO, number), options)


def open_pr(server: LoopbackGitHub, head_extra: dict[str, str], **kw) -> int:
    head = {**BASE, **head_extra}
    return server.create_pull_request(REPO, base_files=BASE, head_files=head, **kw).number


NEW = "domains/health/group walks beat solo plans.md"


def two_broken_links() -> dict[str, str]:
    return {
        NEW: claim(
            "Group walks beat solo plans",
            body_with(["nowhere one", "nowhere two", "walking keeps older adults active"]),
        )
    }


def test_first_review_posts_inline_comments_and_one_summary(server, tmp_path):
    number = open_pr(server, two_broken_links())
    result = review(server, number, tmp_path)
    comments = server.review_comments(REPO, number)
    assert sorted(c.line for c in comments) == [13, 14]
    assert all(c.path == NEW and c.side == "RIGHT" for c in comments)
    assert all(
        "unresolved-wiki-link" in c.body and "docs/rules.md#unresolved-wiki-link" in c.body
        for c in comments
    )
    (summary,) = server.issue_comments(REPO, number)
    assert summary.body.startswith("<!-- claim-review:summary -->")
    assert "2 errors" in summary.body and f"`{NEW}`" in summary.body
    assert len(server.reviews(REPO, number)) == 1
    assert result.verdict == "fail" and result.exit_code == 1
    outputs = (tmp_path / "output.txt").read_text()
    assert "verdict=fail" in outputs and "errors=2" in outputs
    assert "claim-review" in (tmp_path / "summary.md").read_text()


def test_rerun_on_the_same_head_posts_nothing(server, tmp_path):
    number = open_pr(server, two_broken_links())
    review(server, number, tmp_path)
    server.reset_log()
    again = review(server, number, tmp_path)
    assert server.writes == 0
    assert again.outcome.posted == 0 and again.outcome.summary == "unchanged"
    assert len(server.review_comments(REPO, number)) == 2
    assert len(server.issue_comments(REPO, number)) == 1


def test_push_that_fixes_a_finding_deletes_its_comment_and_edits_the_summary(server, tmp_path):
    number = open_pr(server, two_broken_links())
    review(server, number, tmp_path)
    fixed = claim(
        "Group walks beat solo plans",
        "Intro line added above.\n\n"
        + body_with(["nowhere one", "walking keeps older adults active"]),
    )
    server.push(REPO, number, head_files={**BASE, NEW: fixed})
    after = review(server, number, tmp_path)
    comments = server.review_comments(REPO, number)
    # `nowhere one` moved down two lines: same fingerprint, not reposted; `nowhere two` is gone.
    assert [("nowhere one" in c.body) for c in comments] == [True]
    assert after.outcome.deleted == 1 and after.outcome.posted == 0
    (summary,) = server.issue_comments(REPO, number)
    assert "1 error" in summary.body


def test_a_person_replied_so_the_comment_is_kept_and_marked_resolved(server, tmp_path):
    number = open_pr(server, two_broken_links())
    review(server, number, tmp_path)
    target = next(c for c in server.review_comments(REPO, number) if "nowhere two" in c.body)
    person = Github(base_url=server.url, auth=Auth.Token(PERSON_TOKEN))
    person.get_repo(REPO).get_pull(number).create_review_comment_reply(target.id, "Will fix")
    server.push(
        REPO,
        number,
        head_files={**BASE, NEW: claim("Group walks beat solo plans", body_with(["nowhere one"]))},
    )
    after = review(server, number, tmp_path)
    kept = next(c for c in server.review_comments(REPO, number) if c.id == target.id)
    assert kept.body.startswith("✅ Resolved")
    assert after.outcome.resolved == 1 and after.outcome.deleted == 0
    server.reset_log()
    review(server, number, tmp_path)
    assert server.writes == 0  # already marked resolved: not edited again


def test_422_moves_inline_findings_to_the_summary_and_retries_once(server, tmp_path):
    number = open_pr(server, two_broken_links())
    server.fail("POST", r"/pulls/\d+/reviews$", status=422, times=2)
    result = review(server, number, tmp_path)
    assert server.count("POST", r"/pulls/\d+/reviews$") == 2
    assert server.review_comments(REPO, number) == []
    (summary,) = server.issue_comments(REPO, number)
    assert "Not shown inline (2)" in summary.body and "nowhere two" in summary.body
    assert any("422" in note for note in result.outcome.notes)


def test_fork_token_is_read_only_so_findings_go_to_job_summary(server, tmp_path, capsys):
    number = open_pr(server, two_broken_links(), fork="someone/knowledge")
    result = review(server, number, tmp_path, token=server.readonly_token)
    assert result.outcome.read_only and result.outcome.summary == "not written"
    assert server.review_comments(REPO, number) == [] and server.issue_comments(REPO, number) == []
    job = (tmp_path / "summary.md").read_text()
    assert "nowhere one" in job and "read-only token" in job


def test_5xx_after_the_review_was_created_leaves_exactly_one_review(server, tmp_path):
    number = open_pr(server, two_broken_links())
    server.fail_after_write("POST", r"/pulls/\d+/reviews$", status=502)
    result = review(server, number, tmp_path)
    assert len(server.reviews(REPO, number)) == 1
    assert len(server.review_comments(REPO, number)) == 2
    assert result.outcome.posted == 2


def test_5xx_before_the_review_was_created_is_retried_once(server, tmp_path):
    number = open_pr(server, two_broken_links())
    server.fail("POST", r"/pulls/\d+/reviews$", status=503)
    review(server, number, tmp_path)
    assert len(server.reviews(REPO, number)) == 1
    assert server.count("POST", r"/pulls/\d+/reviews$") == 2


def test_secondary_rate_limit_is_waited_out(server, tmp_path):
    number = open_pr(server, two_broken_links())
    server.secondary_rate_limit("GET", r"/pulls/\d+/files", retry_after=1)
    result = review(server, number, tmp_path)
    assert len(server.review_comments(REPO, number)) == 2 and result.verdict == "fail"


def test_dropped_connection_on_a_read_is_retried(server, tmp_path):
    number = open_pr(server, two_broken_links())
    server.drop_connection("GET", r"/pulls/\d+$")
    review(server, number, tmp_path)
    assert len(server.review_comments(REPO, number)) == 2


def test_rename_deletion_and_odd_file_names(server, tmp_path):
    odd = 'domains/health/Ünïcode "quoted" it\'s a claim.md'
    head = dict(BASE)
    head.pop("README.md")  # deleted
    head["domains/health/walking keeps older adults active (renamed).md"] = head.pop(EXISTING)
    head[odd] = claim("Ünïcode quoted claim", body_with(["missing target"]))
    number = server.create_pull_request(REPO, base_files=BASE, head_files=head).number
    result = review(server, number, tmp_path)
    paths = {c.path for c in server.review_comments(REPO, number)}
    assert paths == {odd}
    assert "README.md" not in result.result.checked


def test_more_than_3000_files(server, tmp_path):
    head = dict(BASE)
    for i in range(3050):
        head[f"data/n{i:04}.csv"] = f"{i}\n"
    head["zz/last.md"] = "# Last\n\n[[nowhere at all]]\n"  # sorts after the 3,000-file cap
    number = server.create_pull_request(REPO, base_files=BASE, head_files=head).number
    result = review(server, number, tmp_path, max_comments=5)
    assert server.count("GET", r"/pulls/\d+/files") == 30  # 100 a page, stopped at 3,000
    assert result.result.checked == ["zz/last.md"]
    assert any(
        f.path == "zz/last.md" and f.name == "unresolved-wiki-link" for f in result.result.findings
    )
    assert any("3,000" in note for note in result.outcome.notes)
    assert len(server.review_comments(REPO, number)) <= 5


def test_api_cost_does_not_grow_with_findings(server, tmp_path):
    costs = {}
    for n in (1, 200):
        links = [f"missing target {i}" for i in range(n)]
        path = f"domains/health/claim with {n} broken links.md"
        number = open_pr(server, {path: claim(f"Claim with {n} broken links", body_with(links))})
        server.reset_log()
        result = review(server, number, tmp_path)
        assert len(result.result.findings) == n
        costs[n] = (server.reads, server.writes)
        assert len(server.review_comments(REPO, number)) == min(n, 30)
        server.reset_log()
        review(server, number, tmp_path)
        costs[n] += (server.reads, server.writes)
    assert costs[1][1] == costs[200][1] == 2  # one review, one summary
    assert costs[200][0] <= costs[1][0] + 2  # reading pages of comments, not per finding
    assert costs[1][3] == costs[200][3] == 0  # a rerun writes nothing
    assert costs[200][2] <= costs[1][2] + 2  # and reads no comment one by one


def test_check_run_annotations_are_batched(server, tmp_path):
    links = [f"missing target {i}" for i in range(120)]
    number = open_pr(server, {NEW: claim("Group walks beat solo plans", body_with(links))})
    review(server, number, tmp_path, check_run=True)
    (run,) = server.check_runs(REPO)
    assert run.conclusion == "failure" and len(run.annotations) == 120
    assert server.count("PATCH", r"/check-runs/\d+") == 2  # 50 + 50 + 20
    server.reset_log()
    review(server, number, tmp_path, check_run=True)
    assert len(server.check_runs(REPO)) == 1 and server.writes == 0


def test_hostile_claim_text_is_neutralised_and_cannot_take_over_comments(server, tmp_path):
    person = Github(base_url=server.url, auth=Auth.Token(PERSON_TOKEN))
    number = open_pr(
        server,
        {
            NEW: claim(
                "Group walks", body_with(["@octocat <b>x</b> <!-- claim-review:summary --> #12"])
            )
        },
    )
    person.get_repo(REPO).get_pull(number).create_issue_comment(
        "<!-- claim-review:summary -->\nA person's comment"
    )
    review(server, number, tmp_path)
    person_comment, ours = server.issue_comments(REPO, number)
    assert person_comment.body.endswith("A person's comment")  # never edited
    assert ours.user.login == "github-actions[bot]"
    (inline,) = server.review_comments(REPO, number)
    text = inline.body
    assert "@octocat" not in text
    assert "`[[@\u200boctocat <b>x</b> <\u200b!-- claim-review:summary -->]]`" in text  # inert code
    assert text.count("<!-- claim-review:") == 1  # only our own marker, at the end


def test_the_token_never_appears_in_what_the_bot_writes(server, tmp_path, capsys):
    number = open_pr(server, two_broken_links())
    review(server, number, tmp_path, check_run=True)
    out, err = capsys.readouterr()
    texts = [c.body for c in server.review_comments(REPO, number)] + [
        c.body for c in server.issue_comments(REPO, number)
    ]
    texts += [
        out,
        err,
        (tmp_path / "summary.md").read_text(),
        (tmp_path / "output.txt").read_text(),
    ]
    assert not any(server.actions_token in t for t in texts)


def test_configuration_is_read_from_the_base_commit(server, tmp_path):
    # The pull request tries to switch the link rule off; the base configuration still applies.
    head = {
        **two_broken_links(),
        ".claim-review.yml": "rules:\n  disable: [unresolved-wiki-link]\n",
    }
    number = open_pr(server, head)
    result = review(server, number, tmp_path)
    assert any(f.name == "unresolved-wiki-link" for f in result.result.findings)


def test_event_payload_from_github_event_path(server, tmp_path, monkeypatch, capsys):
    from bot.cli import main

    number = open_pr(server, two_broken_links())
    event = tmp_path / "event.json"
    event.write_text(json.dumps(server.pull_request_event(REPO, number)))
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_TOKEN", server.actions_token)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "step.md"))
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    code = main(["review", "--api-url", server.url])
    assert code == 1
    assert len(server.review_comments(REPO, number)) == 2
    _, err = capsys.readouterr()
    assert "fail" in err and server.actions_token not in err


def test_verdict_label_follows_the_findings(server, tmp_path):
    number = open_pr(server, two_broken_links())
    review(server, number, tmp_path, labels=True)
    assert server.pull_request(REPO, number).labels == ["claim-review: fail"]
    server.reset_log()
    review(server, number, tmp_path, labels=True)
    assert server.writes == 0  # the label is already right
    clean = claim("Group walks beat solo plans", body_with(["walking keeps older adults active"]))
    server.push(REPO, number, head_files={**BASE, NEW: clean})
    review(server, number, tmp_path, labels=True)
    assert server.pull_request(REPO, number).labels == ["claim-review: pass"]


def test_symlinks_and_submodules_in_a_pull_request_are_never_read(server, tmp_path):
    from bot.github.loopback.gitobjects import Gitlink, Symlink

    head = {
        **BASE,
        "domains/health/leak.md": Symlink("/etc/passwd"),
        "domains/health/up.md": Symlink("../../../../runner/.credentials"),
        "vendor/other-kb": Gitlink("0" * 39 + "1"),
        NEW: claim("Group walks beat solo plans", body_with(["nowhere one"])),
    }
    number = server.create_pull_request(REPO, base_files=BASE, head_files=head).number
    result = review(server, number, tmp_path)
    skipped = dict(result.result.skipped)
    assert skipped["domains/health/leak.md"] == "symbolic link"
    assert skipped["domains/health/up.md"] == "symbolic link"
    assert skipped["vendor/other-kb"] == "submodule"
    assert result.result.checked == [NEW]
    link_blob = next(
        e.sha for e in server.state.repo(REPO).git.trees.values() for e in e if e.mode == "120000"
    )
    assert server.count("GET", f"/git/blobs/{link_blob}") == 0
    assert "symbolic link" in server.issue_comments(REPO, number)[0].body


def test_change_is_taken_against_the_merge_base_when_the_base_branch_moved(server, tmp_path):
    number = open_pr(server, two_broken_links())
    # Main moves on after the branch was cut: a new file with a broken link, an edited claim.
    moved = {
        **BASE,
        EXISTING: claim("Walking keeps older adults active", "Shorter now.\n"),
        "domains/health/later on main.md": claim("Later on main", body_with(["missing on main"])),
    }
    tip = server.commit(REPO, moved, branch="main")
    server.pull_request(REPO, number).base_sha = tip
    result = review(server, number, tmp_path)
    assert result.result.checked == [NEW]  # not the files main changed since
    assert {f.path for f in result.result.findings} == {NEW}


def test_local_git_diff_uses_the_merge_base_too(server, tmp_path):
    from tests.conftest import Repo, run_git

    local = Repo(tmp_path / "checkout")
    for path, text in BASE.items():
        local.write(path, text)
    base_sha = local.commit("base")
    run_git(local.path, "checkout", "-q", "-b", "feature")
    local.write(NEW, two_broken_links()[NEW])
    head_sha = local.commit("head")
    run_git(local.path, "checkout", "-q", "main")
    local.write(EXISTING, claim("Walking keeps older adults active", "Shorter now.\n"))
    local.write("domains/health/later on main.md", claim("Later", body_with(["missing on main"])))
    tip_sha = local.commit("main moves on")
    number = server.create_pull_request(
        REPO, base_files=BASE, head_files={**BASE, **two_broken_links()},
        base_sha=base_sha, head_sha=head_sha,
    ).number  # fmt: skip
    server.pull_request(REPO, number).base_sha = tip_sha
    server.commit(REPO, {**BASE}, branch="main", sha=tip_sha, parent=base_sha)
    options = RunOptions(
        workspace=local.path, annotations=False, step_summary=tmp_path / "s.md", output=None
    )
    result = review_pull_request(client(server), PullRequestRef(REPO, number), options)
    assert result.source == "git"
    assert result.result.checked == [NEW]
    assert sorted(c.line for c in server.review_comments(REPO, number)) == [13, 14]
