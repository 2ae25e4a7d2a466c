"""The loopback GitHub, driven by the unmodified PyGithub client over real HTTP.

Part 1 exercises behaviour (reviews, diff anchoring, pagination, permissions, faults); part 2
compares response shapes key by key with real recordings in ``../shared/fixtures/github``.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import re
import time
from pathlib import Path

import pytest
import requests
from github import (
    BadCredentialsException,
    GithubException,
    GithubRetry,
    RateLimitExceededException,
    UnknownObjectException,
)

from .conftest import HEAD_A, MAINTAINER_TOKEN, REPO, SPECIAL_NAME

FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "github"
REPLAY = FIXTURES / "rest" / "pygithub-replaydata"


def pull_of(client, kb, token=None, **options):
    g = client(token, **options)
    repo = g.get_repo(kb.repo)
    return g, repo, repo.get_pull(kb.number)


def review_error(exc: GithubException) -> list[str]:
    assert exc.status == 422
    assert exc.data["message"] == "Unprocessable Entity"
    return exc.data["errors"]


def rejected_review(client, kb, comments: list[dict]) -> GithubException:
    """What GitHub answers to a review on the head commit with these inline comments."""
    _, repo, pull = pull_of(client, kb)
    with pytest.raises(GithubException) as err:
        pull.create_review(
            commit=repo.get_commit(kb.head_sha), body="b", event="COMMENT", comments=comments
        )
    return err.value


# ============================== part 1: behaviour ==============================================
class TestReviews:
    def test_review_with_single_and_multi_line_comments(self, gh, kb, client):
        _, repo, pull = pull_of(client, kb)
        review = pull.create_review(
            commit=repo.get_commit(kb.head_sha),
            body="Summary",
            event="COMMENT",
            comments=[
                {"path": "claims/a.md", "line": 3, "side": "RIGHT", "body": "single"},
                {
                    "path": "claims/a.md",
                    "start_line": 21,
                    "start_side": "RIGHT",
                    "line": 23,
                    "side": "RIGHT",
                    "body": "range",
                },
            ],
        )
        assert review.state == "COMMENTED" and review.body == "Summary"
        assert review.user.login == "github-actions[bot]" and review.user.type == "Bot"
        assert [r.id for r in pull.get_reviews()] == [review.id]
        single, ranged = sorted(pull.get_single_review_comments(review.id), key=lambda c: c.id)
        assert (single.line, single.side, single.start_line, single.position) == (
            3,
            "RIGHT",
            None,
            3,
        )
        assert single.diff_hunk == "@@ -1,4 +1,5 @@\n ---\n title: A\n+status: draft"
        assert (ranged.start_line, ranged.line, ranged.commit_id) == (21, 23, kb.head_sha)
        assert ranged.diff_hunk.endswith("+ev2 changed\n+ev3")
        assert [c.body for c in gh.review_comments(REPO, kb.number)] == ["single", "range"]

    def test_left_side_and_legacy_position(self, gh, kb, client):
        _, repo, pull = pull_of(client, kb)
        commit = repo.get_commit(kb.head_sha)
        pull.create_review(
            commit=commit,
            body="b",
            event="COMMENT",
            comments=[
                {"path": "claims/a.md", "line": 21, "side": "LEFT", "body": "deleted line"},
                {"path": "claims/a.md", "position": 3, "body": "legacy"},  # 3rd line below @@
            ],
        )
        left, legacy = gh.review_comments(REPO, kb.number)
        assert (left.side, left.line) == ("LEFT", 21)
        assert (legacy.side, legacy.line) == ("RIGHT", 3)
        with pytest.raises(GithubException) as err:
            pull.create_review(
                commit=commit,
                body="b",
                event="COMMENT",
                comments=[{"path": "claims/a.md", "position": 99, "body": "x"}],
            )
        assert review_error(err.value) == ["Position could not be resolved"]

    def test_line_outside_the_diff_rejects_the_whole_review(self, gh, kb, client):
        err = rejected_review(
            client,
            kb,
            [
                {"path": "claims/a.md", "line": 3, "body": "fine"},
                {"path": "claims/a.md", "line": 10, "body": "not in a hunk"},
            ],
        )
        assert review_error(err) == ["Line could not be resolved"]
        assert err.data["documentation_url"].endswith("#create-a-review-for-a-pull-request")
        assert gh.reviews(REPO, kb.number) == [] and gh.review_comments(REPO, kb.number) == []

    def test_deleted_line_is_not_on_the_right_side(self, kb, client):
        # old line 21 exists only on the LEFT
        err = rejected_review(
            client, kb, [{"path": "claims/a.md", "line": 25, "side": "RIGHT", "body": "x"}]
        )
        assert review_error(err) == ["Line could not be resolved"]

    def test_range_across_hunks_is_rejected(self, gh, kb, client):
        err = rejected_review(
            client,
            kb,
            [{"path": "claims/a.md", "start_line": 3, "line": 22, "body": "spans two hunks"}],
        )
        assert review_error(err) == [
            "Pull request review thread start line must be part of the same hunk as the line."
        ]
        assert gh.reviews(REPO, kb.number) == []

    def test_paths_outside_the_pull_request_are_all_reported(self, kb, client):
        err = rejected_review(
            client,
            kb,
            [
                {"path": "README.md", "line": 1, "body": "x"},
                {"path": "nope.md", "line": 1, "body": "y"},
            ],
        )
        assert review_error(err) == ["Path could not be resolved and Path could not be resolved"]

    def test_file_without_patch_cannot_take_line_comments(self, kb, client):
        err = rejected_review(client, kb, [{"path": "img.png", "line": 1, "body": "binary"}])
        assert review_error(err) == ["Line could not be resolved"]

    def test_actions_token_cannot_approve_but_a_maintainer_can(self, gh, kb, client):
        _, repo, pull = pull_of(client, kb)
        with pytest.raises(GithubException) as err:
            pull.create_review(commit=repo.get_commit(kb.head_sha), event="APPROVE")
        assert review_error(err.value) == [
            "GitHub Actions is not permitted to approve pull requests."
        ]
        _, _, as_maintainer = pull_of(client, kb, MAINTAINER_TOKEN)
        assert as_maintainer.create_review(event="APPROVE").state == "APPROVED"
        assert [r.state for r in gh.reviews(REPO, kb.number)] == ["APPROVED"]

    def test_author_cannot_approve_own_pull_request(self, gh, kb, client):
        gh.add_token("ghp_author", "contributor")
        _, _, pull = pull_of(client, kb, "ghp_author")
        with pytest.raises(GithubException) as err:
            pull.create_review(event="APPROVE")
        assert review_error(err.value) == ["Can not approve your own pull request"]

    def test_review_body_limit(self, kb, client):
        _, _, pull = pull_of(client, kb)
        with pytest.raises(GithubException) as err:
            pull.create_review(body="x" * 65537, event="COMMENT")
        assert err.value.status == 422
        assert "maximum is 65536" in err.value.data["errors"][0]["message"]
        assert pull.create_review(body="x" * 65536, event="COMMENT").state == "COMMENTED"

    def test_only_one_pending_review_per_user(self, kb, client):
        _, _, pull = pull_of(client, kb)
        pending = pull.create_review(body="draft")
        assert pending.state == "PENDING" and pending.submitted_at is None
        with pytest.raises(GithubException) as err:
            pull.create_review(body="another draft")
        assert err.value.data["errors"][0]["field"] == "user_id"


class TestReviewComments:
    def test_single_comment_reply_edit_delete(self, gh, kb, client):
        _, repo, pull = pull_of(client, kb)
        first = pull.create_review_comment(
            "look here", repo.get_commit(kb.head_sha), "claims/a.md", line=22, side="RIGHT"
        )
        assert (first.line, first.side, first.subject_type) == (22, "RIGHT", "line")
        assert first.in_reply_to_id is None
        reply = pull.create_review_comment_reply(first.id, "agreed")
        again = pull.create_review_comment("also", kb.head_sha, "claims/a.md", in_reply_to=first.id)
        assert reply.in_reply_to_id == first.id == again.in_reply_to_id
        assert (reply.path, reply.line) == ("claims/a.md", 22)
        assert len({first.pull_request_review_id, reply.pull_request_review_id}) == 2
        first.edit("edited")
        assert pull.get_review_comment(first.id).body == "edited"
        reply.delete()
        assert [c.body for c in pull.get_review_comments()] == ["edited", "also"]
        assert len(gh.reviews(REPO, kb.number)) == 3  # each single comment makes a review

    def test_single_comment_outside_diff_uses_validation_failed(self, kb, client):
        _, _, pull = pull_of(client, kb)
        with pytest.raises(GithubException) as err:
            pull.create_review_comment("x", kb.head_sha, "claims/a.md", line=12)
        assert err.value.status == 422 and err.value.data["message"] == "Validation Failed"
        error = err.value.data["errors"][0]
        assert error["field"] == "pull_request_review_thread.line"
        assert "must be part of the diff" in error["message"]

    def test_listing_sorts_and_filters(self, kb, client):
        _, _, pull = pull_of(client, kb)
        for line in (3, 21, 22):
            pull.create_review_comment(f"c{line}", kb.head_sha, "claims/a.md", line=line)
        ascending = [c.body for c in pull.get_review_comments()]
        descending = [c.body for c in pull.get_review_comments(sort="created", direction="desc")]
        assert ascending == ["c3", "c21", "c22"] and descending == ascending[::-1]

    def test_comment_of_another_repository_is_not_found(self, gh, kb, client, http):
        _, _, pull = pull_of(client, kb)
        comment = pull.create_review_comment("x", kb.head_sha, "claims/a.md", line=3)
        gh.create_repo("acme/other")
        status, _, body = http("GET", f"/repos/acme/other/pulls/comments/{comment.id}")
        assert status == 404 and body["message"] == "Not Found"


class TestIssueCommentsAndReactions:
    def test_sticky_comment_lifecycle(self, gh, kb, client):
        _, _, pull = pull_of(client, kb)
        comment = pull.create_issue_comment("<!-- claim-review:summary -->\nfirst")
        mine = [
            c
            for c in pull.get_issue_comments()
            if c.user.login == "github-actions[bot]" and "claim-review:summary" in c.body
        ]
        assert [c.id for c in mine] == [comment.id]
        comment.edit("<!-- claim-review:summary -->\nsecond")
        assert pull.get_issue_comment(comment.id).body.endswith("second")
        comment.delete()
        assert gh.issue_comments(REPO, kb.number) == []

    def test_issue_comment_body_limit(self, kb, client):
        _, _, pull = pull_of(client, kb)
        with pytest.raises(GithubException) as err:
            pull.create_issue_comment("x" * 65537)
        assert err.value.data["errors"][0] == {
            "resource": "IssueComment",
            "code": "unprocessable",
            "field": "data",
            "message": "Body is too long (maximum is 65536 characters)",
        }

    def test_issue_comments_paginate(self, gh, kb, client):
        _, _, pull = pull_of(client, kb)
        for i in range(35):
            pull.create_issue_comment(f"c{i}")
        gh.reset_log()
        assert [c.body for c in pull.get_issue_comments()] == [f"c{i}" for i in range(35)]
        assert gh.count("GET", r"^/repos/.*/issues/\d+/comments$") == 1  # first page
        assert gh.count("GET", r"^/repositories/") == 1  # the Link-header page

    def test_reaction_created_then_found(self, gh, kb, client):
        _, _, pull = pull_of(client, kb)
        comment = pull.create_issue_comment("/recheck")
        first = comment.create_reaction("eyes")
        second = comment.create_reaction("eyes")
        assert first.id == second.id and first.content == "eyes"
        statuses = [r.status for r in gh.requests if r.path.endswith("/reactions")]
        assert statuses == [201, 200]
        assert [r.content for r in comment.get_reactions()] == ["eyes"]
        assert pull.get_issue_comment(comment.id).reactions["eyes"] == 1
        assert comment.delete_reaction(first.id) is True
        assert gh.reactions(comment.id) == []

    def test_unknown_reaction_content_is_rejected(self, kb, client, http):
        _, _, pull = pull_of(client, kb)
        comment = pull.create_issue_comment("hi")
        status, _, body = http(
            "POST", f"/repos/{REPO}/issues/comments/{comment.id}/reactions", {"content": "thumbsup"}
        )
        assert status == 422 and body["errors"][0]["field"] == "content"

    def test_review_comment_reactions(self, kb, client):
        _, _, pull = pull_of(client, kb)
        comment = pull.create_review_comment("x", kb.head_sha, "claims/a.md", line=3)
        comment.create_reaction("rocket")
        assert [r.content for r in comment.get_reactions()] == ["rocket"]


class TestCheckRuns:
    @staticmethod
    def annotations(n, level="warning"):
        return [
            {
                "path": "claims/a.md",
                "start_line": i + 1,
                "end_line": i + 1,
                "annotation_level": level,
                "message": f"m{i}",
            }
            for i in range(n)
        ]

    def test_fifty_annotations_per_request(self, gh, kb, client):
        g = client()
        repo = g.get_repo(kb.repo)
        with pytest.raises(GithubException) as err:
            repo.create_check_run(
                "claim-review",
                kb.head_sha,
                output={"title": "t", "summary": "s", "annotations": self.annotations(51)},
            )
        assert err.value.status == 422
        assert "No more than 50 items are allowed; 51 were supplied." in err.value.data["message"]
        run = repo.create_check_run(
            "claim-review",
            kb.head_sha,
            status="in_progress",
            output={"title": "t", "summary": "s", "annotations": self.annotations(50)},
        )
        run.edit(
            conclusion="failure",
            output={"title": "t", "summary": "s", "annotations": self.annotations(50)},
        )
        again = repo.get_check_run(run.id)
        assert (again.status, again.conclusion) == ("completed", "failure")
        assert again.output.annotations_count == 100
        assert len(list(again.get_annotations())) == 100
        assert [r.name for r in gh.check_runs(REPO)] == ["claim-review"]
        assert [c.id for c in repo.get_commit(kb.head_sha).get_check_runs()] == [run.id]

    def test_annotation_level_is_checked(self, kb, client):
        repo = client().get_repo(kb.repo)
        with pytest.raises(GithubException) as err:
            repo.create_check_run(
                "c",
                kb.head_sha,
                output={"title": "t", "summary": "s", "annotations": self.annotations(1, "error")},
            )
        assert err.value.status == 422


class TestPermissionsAndAuth:
    @pytest.mark.parametrize(
        ("role", "legacy"),
        [
            ("admin", "admin"),
            ("maintain", "write"),
            ("write", "write"),
            ("triage", "read"),
            ("read", "read"),
        ],
    )
    def test_collaborator_permission_mapping(self, gh, kb, client, role, legacy):
        gh.set_permission(REPO, "someone", role)
        repo = client().get_repo(kb.repo)
        assert repo.get_collaborator_permission("someone") == legacy
        assert repo.get_collaborator_role_name("someone") == role

    def test_custom_role_and_outsiders(self, gh, kb, client):
        gh.set_permission(REPO, "curator", "kb-curator", base="write")
        gh.add_user("stranger")
        repo = client().get_repo(kb.repo)
        assert repo.get_collaborator_permission("curator") == "write"
        assert repo.get_collaborator_role_name("curator") == "kb-curator"
        assert repo.get_collaborator_permission("stranger") == "read"  # public repository
        with pytest.raises(UnknownObjectException):
            repo.get_collaborator_permission("nobody-at-all")

    def test_unknown_repository_is_404(self, kb, client):
        with pytest.raises(UnknownObjectException) as err:
            client().get_repo("acme/missing")
        assert err.value.data["message"] == "Not Found"

    def test_read_only_token_gets_403_on_every_write(self, gh, kb, client):
        _, repo, pull = pull_of(client, kb, gh.readonly_token)
        assert pull.get_files().totalCount == 5  # reading works
        writes = [
            lambda: pull.create_issue_comment("hi"),
            lambda: pull.create_review(body="x", event="COMMENT"),
            lambda: repo.create_check_run("c", kb.head_sha),
        ]
        for write in writes:
            with pytest.raises(GithubException) as err:
                write()
            assert err.value.status == 403
            assert err.value.data["message"] == "Resource not accessible by integration"
            assert err.value.data["documentation_url"].startswith("https://docs.github.com/")
            assert "=write" in err.value.headers["x-accepted-github-permissions"]
        assert gh.issue_comments(REPO, kb.number) == [] and gh.reviews(REPO, kb.number) == []

    def test_bad_and_missing_credentials(self, kb, client, http):
        with pytest.raises(BadCredentialsException) as err:
            client("ghp_wrong").get_repo(kb.repo)
        assert err.value.status == 401 and err.value.data["message"] == "Bad credentials"
        status, _, body = http("GET", f"/repos/{REPO}", token=None)
        assert status == 401 and body["message"] == "Bad credentials"

    def test_authenticated_user(self, gh, kb, client):
        assert client(MAINTAINER_TOKEN).get_user().login == "maintainer"
        with pytest.raises(GithubException) as err:  # GITHUB_TOKEN cannot read /user
            client().get_user().login  # noqa: B018 - the attribute access sends the request
        assert err.value.status == 403

    def test_fork_pull_request_head_repo(self, gh, kb, client):
        pull = gh.create_pull_request(
            REPO, fork="outsider/kb", author="outsider", head_files={"claims/a.md": HEAD_A}
        )
        fetched = client().get_repo(REPO).get_pull(pull.number)
        assert fetched.head.repo.full_name == "outsider/kb" and fetched.head.repo.fork
        assert fetched.base.repo.full_name == REPO and not fetched.base.repo.fork
        assert fetched.head.user.login == "outsider"


class TestPaginationAndLimits:
    def test_pull_request_files_stop_at_3000(self, gh, client):
        gh.create_repo("acme/big")
        files = [
            {
                "filename": f"claims/c{i:04}.md",
                "status": "added",
                "patch": "@@ -0,0 +1 @@\n+x",
                "content": "x\n",
            }
            for i in range(3100)
        ]
        pull = gh.create_pull_request("acme/big", files=files)
        g = client(per_page=100)
        fetched = g.get_repo("acme/big").get_pull(pull.number)
        assert fetched.changed_files == 3100
        gh.reset_log()
        listed = list(fetched.get_files())
        assert len(listed) == 3000 and listed[-1].filename == "claims/c2999.md"
        assert gh.count("GET", "files") == 30

    def test_link_header_is_formatted_like_github(self, gh, kb, http):
        repo_id = gh.state.repo(REPO).id
        status, headers, page1 = http("GET", f"/repos/{REPO}/pulls/1/files?per_page=2")
        base = f"{gh.url}/repositories/{repo_id}/pulls/1/files"
        assert status == 200 and len(page1) == 2
        assert headers["Link"] == (
            f'<{base}?per_page=2&page=2>; rel="next", <{base}?per_page=2&page=3>; rel="last"'
        )
        _, headers, _ = http("GET", f"/repositories/{repo_id}/pulls/1/files?page=2&per_page=2")
        assert headers["Link"] == (
            f'<{base}?page=1&per_page=2>; rel="prev", <{base}?page=3&per_page=2>; rel="next", '
            f'<{base}?page=3&per_page=2>; rel="last", <{base}?page=1&per_page=2>; rel="first"'
        )
        _, headers, last = http("GET", f"/repos/{REPO}/pulls/1/files?per_page=2&page=3")
        assert len(last) == 1
        assert headers["Link"] == (
            f'<{base}?per_page=2&page=2>; rel="prev", <{base}?per_page=2&page=1>; rel="first"'
        )

    def test_per_page_defaults_to_30_and_caps_at_100(self, gh, http):
        gh.create_repo("acme/many")
        files = [{"filename": f"f{i}.md", "status": "added"} for i in range(150)]
        gh.create_pull_request("acme/many", files=files)
        assert len(http("GET", "/repos/acme/many/pulls/1/files")[2]) == 30
        assert len(http("GET", "/repos/acme/many/pulls/1/files?per_page=500")[2]) == 100

    def test_every_response_carries_github_headers(self, gh, kb, http):
        for path in (f"/repos/{REPO}", f"/repos/{REPO}/pulls/99", "/rate_limit"):
            _, headers, _ = http("GET", path)
            assert headers["Content-Type"] == "application/json; charset=utf-8"
            assert headers["x-github-api-version-selected"] == "2022-11-28"
            assert headers["X-RateLimit-Resource"] == "core"
            assert re.fullmatch(r"[0-9A-F]{4}(:[0-9A-F]+){4}", headers["X-GitHub-Request-Id"])
            for name in ("Limit", "Remaining", "Used", "Reset"):
                assert headers[f"X-RateLimit-{name}"].isdigit()
        _, first, _ = http("GET", f"/repos/{REPO}")
        _, second, _ = http("GET", f"/repos/{REPO}")
        assert int(second["X-RateLimit-Used"]) == int(first["X-RateLimit-Used"]) + 1
        assert first["X-RateLimit-Limit"] == "1000"  # GITHUB_TOKEN's hourly budget

    def test_primary_rate_limit_exhaustion(self, gh, kb, client, http):
        gh.set_rate_limit(gh.actions_token, remaining=0)
        status, headers, body = http("GET", f"/repos/{REPO}")
        assert status == 403 and headers["X-RateLimit-Remaining"] == "0"
        assert body["message"].startswith("API rate limit exceeded for installation ID")
        with pytest.raises(RateLimitExceededException):
            client().get_repo(REPO)
        assert http("GET", "/rate_limit")[0] == 200  # costs no quota, still answers

    def test_diff_media_type_refuses_over_300_files(self, gh, client, http):
        gh.create_repo("acme/wide")
        gh.create_pull_request(
            "acme/wide", files=[{"filename": f"f{i}", "status": "added"} for i in range(301)]
        )
        status, _, body = http(
            "GET", "/repos/acme/wide/pulls/1", accept="application/vnd.github.diff"
        )
        assert status == 406 and "maximum number of files (300)" in body["message"]

    def test_enterprise_prefix_serves_the_same_api(self, gh, kb, client):
        g = client(base_url=gh.enterprise_url, per_page=2)
        pull = g.get_repo(REPO).get_pull(kb.number)
        assert pull.url.startswith(f"{gh.url}/api/v3/")
        assert len(list(pull.get_files())) == 5  # Link pages keep the /api/v3 prefix
        assert gh.count("GET", r"^/repositories/\d+/pulls/1/files") == 2


class TestFaults:
    def test_5xx_is_retried_by_pygithub(self, gh, kb, client):
        fault = gh.fail("GET", r"/pulls/1$", status=502, times=2)
        pull = client(retry=GithubRetry(total=3)).get_repo(REPO).get_pull(kb.number)
        assert pull.number == kb.number and fault.exhausted
        assert [r.status for r in gh.requests if r.path.endswith("/pulls/1")] == [502, 502, 200]

    def test_retries_run_out(self, gh, kb, client):
        gh.fail("GET", rf"^/repos/{REPO}$", status=503, times=5)
        with pytest.raises(requests.exceptions.RetryError):
            client(retry=GithubRetry(total=2)).get_repo(REPO)
        assert gh.count("GET", rf"^/repos/{REPO}$") == 3

    def test_secondary_rate_limit_with_retry_after(self, gh, kb, client, http):
        gh.secondary_rate_limit("GET", r"/pulls/1$", retry_after=1)
        status, headers, body = http("GET", f"/repos/{REPO}/pulls/1")
        assert status == 403 and headers["retry-after"] == "1"
        assert body["message"].startswith("You have exceeded a secondary rate limit")
        gh.secondary_rate_limit("GET", r"/pulls/1$", retry_after=1)
        started = time.monotonic()
        pull = client(retry=GithubRetry(total=3)).get_repo(REPO).get_pull(kb.number)
        assert pull.number == kb.number and time.monotonic() - started >= 1

    def test_429_without_retry_after_surfaces(self, gh, kb, client):
        gh.too_many_requests("GET", r"/pulls/1$", retry_after=None)
        with pytest.raises(GithubException) as err:
            client(retry=GithubRetry(total=3)).get_repo(REPO).get_pull(kb.number)
        assert err.value.status == 429

    def test_dropped_connection_is_retried(self, gh, kb, client):
        gh.drop_connection("GET", r"/pulls/1$")
        pull = client(retry=GithubRetry(total=3)).get_repo(REPO).get_pull(kb.number)
        assert pull.title == "Add claims"
        assert [r.status for r in gh.requests if r.path.endswith("/pulls/1")] == [None, 200]

    def test_dropped_connection_without_retry_fails(self, gh, kb, client):
        gh.drop_connection("GET", r"/pulls/1$")
        with pytest.raises(requests.exceptions.ConnectionError):
            client().get_repo(REPO).get_pull(kb.number)

    def test_slow_answer_times_out_then_succeeds(self, gh, kb, client):
        gh.delay("GET", r"/pulls/1$", seconds=2.5)
        started = time.monotonic()
        g = client(retry=GithubRetry(total=2), timeout=1)  # PyGithub wants whole seconds
        assert g.get_repo(REPO).get_pull(kb.number).number == kb.number
        assert 1 <= time.monotonic() - started < 2.5
        assert gh.count("GET", r"/pulls/1$") == 2

    def test_write_then_fail_duplicates_a_blind_retry(self, gh, kb, client):
        gh.fail_after_write("POST", r"/issues/1/comments$")
        _, _, pull = pull_of(client, kb, retry=GithubRetry(total=3))
        pull.create_issue_comment("<!-- marker -->")
        assert len(gh.issue_comments(REPO, kb.number)) == 2  # PyGithub re-POSTed on 502

    def test_looking_before_reposting_avoids_the_duplicate(self, gh, kb, client):
        gh.fail_after_write("POST", r"/issues/1/comments$")
        careful = GithubRetry(total=3, allowed_methods={"GET"})
        _, _, pull = pull_of(client, kb, retry=careful)
        try:
            pull.create_issue_comment("<!-- marker -->")
        except GithubException as err:
            assert err.status == 502
            if not any("<!-- marker -->" in c.body for c in pull.get_issue_comments()):
                pull.create_issue_comment("<!-- marker -->")
        assert len(gh.issue_comments(REPO, kb.number)) == 1

    def test_request_log_counts_reads_and_writes(self, gh, kb, client):
        gh.reset_log()
        _, _, pull = pull_of(client, kb)
        pull.create_issue_comment("x")
        assert (gh.reads, gh.writes) == (2, 1)
        assert [(r.method, r.status) for r in gh.requests][-1] == ("POST", 201)


class TestContents:
    def test_names_with_spaces_quotes_and_accents(self, kb, client):
        repo = client().get_repo(REPO)
        content = repo.get_contents(SPECIAL_NAME, ref=kb.head_sha)
        assert content.decoded_content == b"special\n" and content.path == SPECIAL_NAME
        assert repo.get_contents("claims/new note.md", ref=kb.head_sha).decoded_content == (
            b"# New\ntext\n"
        )
        assert repo.get_contents("claims/a.md", ref=kb.head_sha).decoded_content.decode() == (
            HEAD_A
        )
        assert b"ev2\n" in repo.get_contents("claims/a.md", ref=kb.base_sha).decoded_content

    def test_missing_paths_and_directories(self, kb, client):
        repo = client().get_repo(REPO)
        with pytest.raises(UnknownObjectException):
            repo.get_contents("claims/old-name.md", ref=kb.head_sha)  # renamed away
        listing = repo.get_contents("claims", ref=kb.head_sha)
        assert {c.name for c in listing} >= {"a.md", "new note.md", "renamed.md"}
        assert {c.type for c in repo.get_contents("", ref=kb.head_sha)} == {"file", "dir"}

    def test_raw_media_type(self, kb, http):
        status, headers, body = http(
            "GET", f"/repos/{REPO}/contents/README.md", accept="application/vnd.github.raw"
        )
        assert (status, body) == (200, b"# KB\n")
        assert headers["Content-Type"] == "application/vnd.github.raw; charset=utf-8"

    def test_tree_and_blobs_use_real_git_hashes(self, kb, client):
        repo = client().get_repo(REPO)
        tree = repo.get_git_tree(kb.head_sha, recursive=True)
        blobs = {e.path: e for e in tree.tree if e.type == "blob"}
        assert set(blobs) == {
            "README.md",
            "claims/a.md",
            "claims/new note.md",
            "claims/renamed.md",
            SPECIAL_NAME,
            "img.png",
        }
        data = HEAD_A.encode()
        expected = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        assert blobs["claims/a.md"].sha == expected
        blob = repo.get_git_blob(expected)
        assert base64.b64decode(blob.content) == data
        files = {f.filename: f.sha for f in repo.get_pull(kb.number).get_files()}
        assert files["claims/a.md"] == expected
        top = repo.get_git_tree(kb.head_sha)
        assert {e.path for e in top.tree} == {"README.md", "claims", "img.png"}

    def test_push_moves_the_head_and_keeps_old_commits(self, gh, kb, client):
        new_head = gh.push(REPO, kb.number, head_files={"README.md": "# KB v2\n"})
        repo = client().get_repo(REPO)
        pull = repo.get_pull(kb.number)
        assert pull.head.sha == new_head != kb.head_sha
        assert [(f.filename, f.status) for f in pull.get_files()] == [
            ("README.md", "modified"),
            ("claims/a.md", "removed"),
            ("claims/old-name.md", "removed"),
        ]
        assert repo.get_contents("claims/a.md", ref=kb.head_sha).decoded_content.decode() == (
            HEAD_A
        )  # the earlier head stays readable
        review = pull.create_review(
            commit=repo.get_commit(kb.head_sha), body="stale", event="COMMENT"
        )
        assert review.commit_id == kb.head_sha

    def test_generated_patches_for_seeded_trees(self, gh, client):
        gh.create_repo("acme/gen", files={"a.md": "one\ntwo\nthree\n"})
        pull = gh.create_pull_request(
            "acme/gen", head_files={"a.md": "one\n2\nthree\n", "b.md": "new\n"}
        )
        files = {
            f.filename: f for f in client().get_repo("acme/gen").get_pull(pull.number).get_files()
        }
        assert files["a.md"].patch == "@@ -1,3 +1,3 @@\n one\n-two\n+2\n three"
        assert (files["a.md"].additions, files["a.md"].deletions) == (1, 1)
        assert files["b.md"].status == "added"


# ============================== part 2: fidelity with recordings ==============================
def replay(name: str) -> list[dict]:
    """Blocks of a PyGithub ReplayData file (format in fixtures/github/PROVENANCE.md)."""
    lines = (REPLAY / name).read_text().split("\n")
    blocks, i = [], 0
    while i + 9 < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        b = lines[i : i + 10]
        body = json.loads(b[9]) if b[9].strip() else None
        blocks.append(
            {
                "verb": b[1],
                "path": b[4],
                "status": int(b[7]),
                "headers": dict(ast.literal_eval(b[8])),
                "body": body,
            }
        )
        i += 11
    return blocks


def key_differences(ours, recorded, where: str = "", maps: tuple[str, ...] = ()) -> list[str]:
    """Paths of keys present on one side only, recursing where both sides hold objects.

    ``maps`` names objects whose keys are data rather than schema (an app's permission map).
    """
    if isinstance(ours, list) and isinstance(recorded, list):
        if ours and recorded:
            return key_differences(ours[0], recorded[0], where + "[0]", maps)
        return []
    if not (isinstance(ours, dict) and isinstance(recorded, dict)) or where in maps:
        return []
    diffs = [f"+{where}.{k}" for k in ours.keys() - recorded.keys()]
    diffs += [f"-{where}.{k}" for k in recorded.keys() - ours.keys()]
    for key in ours.keys() & recorded.keys():
        diffs += key_differences(ours[key], recorded[key], f"{where}.{key}", maps)
    return sorted(diffs)


def recorded(name: str, verb: str, path: str) -> dict:
    """The first block of a recording whose path (query removed) matches the regex ``path``."""
    return next(
        b for b in replay(name) if b["verb"] == verb and re.search(path, b["path"].split("?")[0])
    )


MODERN = "CompletableGithubObjectWithPaginatedProperty.testPullCommitsGetFiles.txt"  # Jan 2026


class TestFidelity:
    def test_recordings_are_present(self):
        assert (REPLAY / MODERN).is_file(), f"fixtures not found under {FIXTURES}"

    def test_pull_request_and_nested_repositories(self, kb, http):
        ours = http("GET", f"/repos/{REPO}/pulls/{kb.number}")[2]
        real = recorded(MODERN, "GET", r"/pulls/3370$")["body"]
        assert key_differences(ours, real) == []

    def test_repository(self, kb, http):
        ours = http("GET", f"/repos/{REPO}")[2]
        real = recorded(MODERN, "GET", r"^/repos/PyGithub/PyGithub$")["body"]
        assert key_differences(ours, real) == []

    def test_accepted_permissions_header_matches(self, kb, http):
        _, headers, _ = http("GET", f"/repos/{REPO}/pulls/{kb.number}")
        real = recorded(MODERN, "GET", r"/pulls/3370$")["headers"]
        assert headers["x-accepted-github-permissions"] == real["x-accepted-github-permissions"]
        assert headers["Content-Type"] == real["Content-Type"]

    def test_pull_request_files(self, kb, http):
        ours = {f["filename"]: f for f in http("GET", f"/repos/{REPO}/pulls/1/files")[2]}
        name = "CompletableGithubObjectWithPaginatedProperty.testRepoComparisonCommitsFilesDefault"
        files = recorded(name + ".txt", "GET", "/compare/")["body"]["files"]
        with_patch = next(f for f in files if "patch" in f)
        without = next(f for f in files if "patch" not in f)
        assert ours["claims/a.md"].keys() == with_patch.keys()
        assert ours["img.png"].keys() == without.keys()
        assert ours["claims/renamed.md"].keys() == without.keys() | {"previous_filename"}

    def test_review_comment_and_reply(self, kb, client, http):
        _, _, pull = pull_of(client, kb)
        comment = pull.create_review_comment("x", kb.head_sha, "claims/a.md", line=3)
        reply = pull.create_review_comment_reply(comment.id, "y")
        ours = http("GET", f"/repos/{REPO}/pulls/comments/{comment.id}")[2]
        real = recorded("PullRequestComment.setUp.txt", "GET", "/pulls/comments/")["body"]
        assert key_differences(ours, real) == []
        ours_reply = http("GET", f"/repos/{REPO}/pulls/comments/{reply.id}")[2]
        real_reply = recorded(
            "PullRequest1375.testCreateReviewCommentReply.txt", "POST", "/replies"
        )["body"]
        assert ours_reply.keys() - ours.keys() == {"in_reply_to_id"}
        assert "in_reply_to_id" in real_reply and "in_reply_to_id" not in real

    def test_review(self, kb, client, http):
        _, _, pull = pull_of(client, kb)
        review = pull.create_review(body="b", event="COMMENT")
        ours = http("GET", f"/repos/{REPO}/pulls/1/reviews/{review.id}")[2]
        real = recorded("PullRequest1169.testReviewApproveWithoutBody.txt", "POST", "/reviews")[
            "body"
        ]
        # 2019 recording: users gained `user_view_type` since (see the Jan-2026 user below)
        assert key_differences(ours, real) == ["+.user.user_view_type"]
        modern_user = recorded(MODERN, "GET", r"/pulls/3370$")["body"]["user"]
        assert key_differences(ours["user"], modern_user) == []

    def test_authenticated_user_has_every_public_profile_key(self, kb, http):
        ours = http("GET", "/user", token=MAINTAINER_TOKEN)[2]
        real = recorded("RateLimiting.testRateLimiting.txt", "GET", r"^/users/")["body"]
        assert [d for d in key_differences(ours, real) if d.startswith("-")] == []

    def test_issue_comment(self, kb, client, http):
        _, _, pull = pull_of(client, kb)
        comment = pull.create_issue_comment("x")
        ours = http("GET", f"/repos/{REPO}/issues/comments/{comment.id}")[2]
        real = recorded("IssueComment.setUp.txt", "GET", "/issues/comments/")["body"]
        assert key_differences(ours, real) == []

    def test_reaction(self, kb, client, http):
        _, _, pull = pull_of(client, kb)
        comment = pull.create_issue_comment("x")
        _, _, ours = http(
            "POST", f"/repos/{REPO}/issues/comments/{comment.id}/reactions", {"content": "eyes"}
        )
        real = recorded("IssueComment.testCreateReaction.txt", "POST", "/reactions")["body"]
        # 2017 recording; `node_id` is required by today's OpenAPI reaction schema
        assert key_differences(ours, real) == [
            "+.node_id",
            "+.user.node_id",
            "+.user.user_view_type",
        ]

    def test_check_run_and_annotation(self, kb, client, http):
        _, _, ours = http(
            "POST",
            f"/repos/{REPO}/check-runs",
            {
                "name": "c",
                "head_sha": kb.head_sha,
                "status": "in_progress",
                "output": {
                    "title": "t",
                    "summary": "s",
                    "annotations": [
                        {
                            "path": "claims/a.md",
                            "start_line": 2,
                            "end_line": 2,
                            "annotation_level": "warning",
                            "message": "m",
                            "title": "T",
                        }
                    ],
                },
            },
        )
        real = recorded("CheckRun.testCreateCheckRunInProgress.txt", "POST", "/check-runs")
        assert key_differences(ours, real["body"], maps=(".app.permissions",)) == [
            "+.app.owner.user_view_type"
        ]
        ours_ann = http("GET", f"/repos/{REPO}/check-runs/{ours['id']}/annotations")[2]
        real_ann = recorded("CheckRun.testCheckRunAnnotationAttributes.txt", "GET", "/annotations")[
            "body"
        ]
        assert key_differences(ours_ann, real_ann) == []

    def test_collaborator_permission(self, kb, http):
        ours = http("GET", f"/repos/{REPO}/collaborators/maintainer/permission")[2]
        real = recorded("Repository.testCollaboratorRoleName.txt", "GET", "/permission")["body"]
        assert (ours["permission"], ours["role_name"]) == (real["permission"], real["role_name"])
        # the OpenAPI "nullable-collaborator" adds these three keys to the 2019 user
        assert key_differences(ours, real) == [
            "+.user.permissions",
            "+.user.role_name",
            "+.user.user_view_type",
        ]

    def test_contents(self, kb, http):
        ours = http("GET", f"/repos/{REPO}/contents/README.md")[2]
        real = recorded("ContentFile.setUp.txt", "GET", "/readme")["body"]
        assert key_differences(ours, real) == []
        assert ours["content"].endswith("\n") and ours["encoding"] == "base64"

    def test_rate_limit(self, kb, http):
        ours = http("GET", "/rate_limit")[2]
        real = recorded("RateLimiting.testGetRateLimit.txt", "GET", "/rate_limit")["body"]
        assert key_differences(ours, real) == []

    def test_error_bodies(self, kb, client, http):
        # modern error bodies repeat the status as a string; the recordings predate that
        status, _, ours_404 = http("GET", "/repos/acme/missing")
        real_404 = recorded("Exceptions.testUnknownObject.txt", "GET", "/repos/")
        assert (status, real_404["status"]) == (404, 404)
        assert ours_404["message"] == real_404["body"]["message"]
        assert ours_404.keys() - real_404["body"].keys() == {"documentation_url", "status"}

        _, _, pull = pull_of(client, kb)
        with pytest.raises(GithubException) as err:
            pull.create_review_comment("x", kb.head_sha, "claims/a.md", line=12)
        real_422 = recorded("Exceptions.testInvalidInput.txt", "POST", "/user/keys")["body"]
        assert key_differences(err.value.data, real_422) == ["+.documentation_url", "+.status"]
        octokit = json.loads(
            (
                FIXTURES / "rest" / "octokit-fixtures" / "errors" / "normalized-fixture.json"
            ).read_text()
        )[0]["response"]
        assert err.value.data.keys() == octokit.keys() | {"status"}

    def test_forbidden_body(self, gh, kb, http):
        status, _, ours = http(
            "POST", f"/repos/{REPO}/issues/1/comments", {"body": "x"}, token=gh.readonly_token
        )
        real = recorded(
            "Repository.testCollaboratorPermissionNoPushAccess.txt", "GET", "/permission"
        )
        assert status == real["status"] == 403
        assert ours.keys() == real["body"].keys() | {"status"} and ours["status"] == "403"

    def test_issue_view_of_the_pull_request(self, kb, client, http):
        ours = http("GET", f"/repos/{REPO}/issues/{kb.number}")[2]
        real = recorded("IssueComment.setUp.txt", "GET", r"/issues/28$")["body"]
        # a pull request's issue adds `draft` and `pull_request` to a plain issue's keys
        assert key_differences(ours, real) == ["+.draft", "+.pull_request"]
        issue = client().get_repo(REPO).get_issue(kb.number)
        assert issue.pull_request.html_url.endswith(f"/pull/{kb.number}")

    def test_event_payloads_have_every_webhook_key(self, gh, kb):
        hooks = FIXTURES / "webhooks"
        opened = json.loads(
            (hooks / "octokit-webhooks/api.github.com/pull_request/opened.payload.json").read_text()
        )
        ours = gh.pull_request_event(REPO, kb.number)
        assert opened.keys() - ours.keys() == {"installation"}  # an App delivery field
        missing = [d for d in key_differences(ours, opened) if d.startswith("-")]
        assert missing == ["-.installation"]
        comment = gh.comment(REPO, kb.number, "/recheck", "maintainer")
        created = json.loads(
            (
                hooks / "octokit-webhooks/api.github.com/issue_comment/created.payload.json"
            ).read_text()
        )
        event = gh.issue_comment_event(comment)
        assert [d for d in key_differences(event, created) if d.startswith("-")] == []
        on_pull = json.loads(
            (hooks / "all-contributors-app/issue_comment.created.on-pull-request.json").read_text()
        )
        assert event["issue"]["pull_request"].keys() > on_pull["issue"]["pull_request"].keys()
        assert event["comment"]["user"]["login"] == "maintainer"

    def test_link_header_like_octokit_recording(self, gh, kb, http):
        fixture = json.loads(
            (
                FIXTURES
                / "rest"
                / "octokit-fixtures"
                / "paginate-issues"
                / "normalized-fixture.json"
            ).read_text()
        )
        real = fixture[1]["headers"]["link"]  # page 2 of 5, client asked ?per_page=3
        _, headers, _ = http("GET", f"/repos/{REPO}/pulls/1/files?per_page=2&page=2")

        def shape(link: str) -> list[tuple[str, str]]:
            found = re.findall(
                r'<https?://[^/]+/repositories/\d+/[^?>]+\?([^>]*)>; rel="(\w+)"', link
            )
            return [(rel, re.sub(r"\d+", "N", query)) for query, rel in found]

        assert shape(headers["Link"]) == shape(real)
        assert [rel for rel, _ in shape(real)] == ["prev", "next", "last", "first"]
