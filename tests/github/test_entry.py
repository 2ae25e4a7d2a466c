"""The action's entry point (`claim-review review`) fed real webhook payloads via GITHUB_EVENT_PATH.

The payloads are GitHub's own (octokit's published examples and a real delivery of a comment on
a pull request, in ../shared/fixtures/github/webhooks); the loopback GitHub is seeded so that
the repository and pull request they name exist.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.github.loopback import LoopbackGitHub
from tests.conftest import SHARED, claim

WEBHOOKS = SHARED / "fixtures" / "github" / "webhooks"
OPENED = WEBHOOKS / "octokit-webhooks" / "api.github.com" / "pull_request" / "opened.payload.json"
SYNC = (
    WEBHOOKS / "octokit-webhooks" / "api.github.com" / "pull_request" / "synchronize.payload.json"
)
ON_PR = WEBHOOKS / "all-contributors-app" / "issue_comment.created.on-pull-request.json"
CONFIG = ".claim-review.yml"
NEW = "domains/health/new claim.md"


def seed(server: LoopbackGitHub, payload: dict) -> int:
    repo = payload["repository"]["full_name"]
    number = (
        payload["pull_request"]["number"]
        if "pull_request" in payload
        else payload["issue"]["number"]
    )
    base = {CONFIG: "rules:\n  select: [unresolved-wiki-link]\n", "README.md": "# KB\n"}
    head = {**base, NEW: claim("New claim", "Links [[nowhere]].\n")}
    server.create_repo(repo, files=base)
    server.create_pull_request(repo, base_files=base, head_files=head, number=number)
    return number


@pytest.fixture
def server():
    with LoopbackGitHub() as gh:
        yield gh


@pytest.fixture
def actions_env(server, monkeypatch, tmp_path):
    def use(payload: dict, name: str, token: str | None = None) -> Path:
        event = tmp_path / "event.json"
        event.write_text(json.dumps(payload))
        monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
        monkeypatch.setenv("GITHUB_EVENT_NAME", name)
        monkeypatch.setenv("GITHUB_TOKEN", token or server.actions_token)
        monkeypatch.setenv("GITHUB_API_URL", server.url)
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "step.md"))
        monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "out.txt"))
        monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
        return tmp_path

    return use


@pytest.mark.parametrize("fixture", [OPENED, SYNC], ids=["opened", "synchronize"])
def test_pull_request_payloads_produce_the_review(server, actions_env, fixture):
    payload = json.loads(fixture.read_text())
    number = seed(server, payload)
    folder = actions_env(payload, "pull_request")
    assert main(["review"]) == 1
    repo = payload["repository"]["full_name"]
    (comment,) = server.review_comments(repo, number)
    assert comment.path == NEW and "nowhere" in comment.body
    assert len(server.issue_comments(repo, number)) == 1
    assert "verdict=fail" in (folder / "out.txt").read_text()


def comment_payload(server: LoopbackGitHub, body: str, author: str, **changes) -> dict:
    """The real delivery, pointed at a comment that exists on the loopback server."""
    payload = json.loads(ON_PR.read_text())
    number = seed(server, payload)
    repo = payload["repository"]["full_name"]
    made = server.comment(repo, number, body, author)
    payload["comment"].update(id=made.id, body=body)
    payload["comment"]["user"].update(login=author, type="User")
    payload.update(changes)
    return payload


def test_recheck_by_a_maintainer_runs_the_review_and_reacts(server, actions_env):
    payload = comment_payload(server, "Looks odd.\r\n/recheck\r\n", "maintainer")
    repo, number = payload["repository"]["full_name"], payload["issue"]["number"]
    server.set_permission(repo, "maintainer", "maintain")
    actions_env(payload, "issue_comment")
    assert main(["review"]) == 1
    assert len(server.review_comments(repo, number)) == 1
    reactions = {r.content for r in server.reactions(payload["comment"]["id"])}
    assert reactions == {"eyes", "rocket"}
    # A second /recheck on the same head: the same review, nothing posted twice.
    server.reset_log()
    assert main(["review"]) == 1
    assert server.count("POST", r"/pulls/\d+/reviews$") == 0


def test_recheck_from_a_non_collaborator_runs_nothing_and_replies(server, actions_env):
    payload = comment_payload(server, "/recheck", "stranger")
    repo, number = payload["repository"]["full_name"], payload["issue"]["number"]
    # author_association says MEMBER, but only the permission endpoint counts.
    payload["comment"]["author_association"] = "MEMBER"
    actions_env(payload, "issue_comment")
    assert main(["review"]) == 0
    assert server.review_comments(repo, number) == [] and server.reviews(repo, number) == []
    replies = [c.body for c in server.issue_comments(repo, number) if c.user.login != "stranger"]
    assert len(replies) == 1 and "write access" in replies[0]


@pytest.mark.parametrize(
    ("body", "author", "changes"),
    [
        ("/recheck", "dependabot[bot]", {}),
        ("/recheck", "maintainer", {"action": "edited"}),
        ("> /recheck\n\nquoting an earlier command", "maintainer", {}),
        ("```\n/recheck\n```", "maintainer", {}),
        ("<!--\n/recheck\n-->", "maintainer", {}),
        ("please /recheck this", "maintainer", {}),
    ],
    ids=["bot", "edited", "quote", "code-block", "html-comment", "inline-prose"],
)
def test_recheck_that_does_not_count_makes_no_api_call(server, actions_env, body, author, changes):
    payload = comment_payload(server, body, author, **changes)
    if author.endswith("[bot]"):
        payload["comment"]["user"]["type"] = "Bot"
    server.set_permission(payload["repository"]["full_name"], "maintainer", "admin")
    actions_env(payload, "issue_comment")
    server.reset_log()
    assert main(["review"]) == 0
    assert server.requests == []


def test_comment_on_an_issue_is_not_a_pull_request(server, actions_env):
    payload = json.loads(
        (
            WEBHOOKS
            / "octokit-webhooks"
            / "api.github.com"
            / "issue_comment"
            / "created.payload.json"
        ).read_text()
    )
    actions_env(payload, "issue_comment")
    assert main(["review"]) == 2  # the event names no pull request: a one-line refusal


def test_refusal_reply_can_be_turned_off(server, actions_env, monkeypatch):
    payload = comment_payload(server, "/recheck", "stranger")
    repo, number = payload["repository"]["full_name"], payload["issue"]["number"]
    actions_env(payload, "issue_comment")
    monkeypatch.setenv("CLAIM_REVIEW_REFUSAL", "off")
    assert main(["review"]) == 0
    assert [c.user.login for c in server.issue_comments(repo, number)] == ["stranger"]
