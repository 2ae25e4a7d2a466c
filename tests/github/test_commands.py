"""The /recheck command: where it counts in a comment body, and whose comment may start a review."""

from __future__ import annotations

import copy
import json

import pytest

from bot.github.commands import Decision, find_command, screen, should_run
from tests.conftest import SHARED

WEBHOOKS = SHARED / "fixtures" / "github" / "webhooks"
# A real delivery for a comment on pull request #1 (all-contributors, 2019); see PROVENANCE.md.
PR_COMMENT = WEBHOOKS / "all-contributors-app" / "issue_comment.created.on-pull-request.json"
ISSUE_COMMENTS = WEBHOOKS / "octokit-webhooks" / "api.github.com" / "issue_comment"

COMMANDS = [
    "/recheck",
    "/recheck\n",
    "  /recheck  ",
    "/RECHECK",
    "Thanks for the fixes.\n/recheck",
    "Thanks for the fixes.\n\n/recheck\n\nThe sources are in now.",
    "/recheck\r\n",
    "Looks better now.\r\n\r\n/recheck\r\n",
    "Old Mac line ends\r/recheck\r",
    "> earlier: please fix the links\n\n/recheck",
    "```\nexample\n```\n/recheck",
    "~~~\nexample\n~~~\n/recheck",
    "````\n```\nstill code\n```\n````\n/recheck",
    "<!-- a note -->\n/recheck",
    "<!--\nmulti-line\nnote\n-->\n/recheck",
    "`code` in a paragraph\n/recheck",
    "`/recheck` is the command, so here it is:\n\n/recheck",
    "an unmatched ` backtick\n/recheck",
    "escaped \\`backtick\n/recheck\nand another `",
    "<pre>\nsample\n</pre>\n/recheck",
    "<details><summary>why</summary>\n\n/recheck\n\n</details>",
    "- item\n  ```\n  code\n  ```\n\n/recheck",
    "/recheck\n<!-- the rest is an unterminated comment",
    "/recheck\n```\nan unterminated fence",
]

NOT_COMMANDS = [
    "",
    "recheck",
    "/recheck please",
    "please /recheck",
    "/rechecked",
    "/recheck-all",
    "/ recheck",
    "\\/recheck",
    "- /recheck",
    "# /recheck",
    "> /recheck",
    ">/recheck",
    "   > /recheck",
    "> > /recheck",
    "> someone wrote this\n/recheck",  # a lazy continuation line of the quote
    "> someone wrote this\nand more\n/recheck",
    "```\n/recheck\n```",
    "~~~ text\n/recheck\n~~~",
    "```\n/recheck",  # an unterminated fence runs to the end
    "````\n```\n/recheck\n```\n````",
    "  ```\n  /recheck\n  ```",
    "    /recheck",
    "text\n\n    /recheck",
    "\t/recheck",  # a tab is four columns: an indented code block
    "`/recheck`",
    "``/recheck``",
    "a code span that `runs\n/recheck\nover lines`",
    "a longer ``code span ` with\n/recheck\ninside``",
    "<!-- /recheck -->",
    "<!--\n/recheck\n-->",
    "text <!-- starts here\n/recheck\nends here -->",
    "<!--\n/recheck",  # an unterminated comment runs to the end
    "<!-- a -->\n<!--\n/recheck\n-->",
    "--> /recheck",
    "<!--\nnote\n--> /recheck",
    "<pre>\n/recheck\n</pre>",
    "<PRE class='x'>\n/recheck\n</PRE>",
    "<script>\n/recheck\n</script>",
    "<textarea>\n/recheck",
    "/recheck <!-- because the links are fixed -->",
    "/recheck`",
    "**/recheck**",
    "[/recheck](https://example.org)",
]


@pytest.mark.parametrize("body", COMMANDS)
def test_command_found(body):
    assert find_command(body), body


@pytest.mark.parametrize("body", NOT_COMMANDS)
def test_command_not_found(body):
    assert not find_command(body), body


def test_none_body():
    assert not find_command(None)


def test_other_command_name():
    assert find_command("/review", name="review")
    assert not find_command("/recheck", name="review")


def test_crlf_and_lf_agree():
    for body in COMMANDS + NOT_COMMANDS:
        assert find_command(body.replace("\n", "\r\n")) == find_command(body), body


def test_large_bodies_stay_fast():
    # Comments are capped at 65,536 characters; adversarial ones must still be cheap to read.
    assert not find_command("`" * 30_000 + "\n/recheck\n" + "``" * 10_000 + "`")
    assert find_command("word\n" * 10_000 + "\n/recheck")
    assert not find_command("`\n/recheck\n`\n" * 5_000)  # every line inside a code span
    assert not find_command("".join("`" * n + " x\n" for n in range(1, 300)) + ">\n/recheck")


# ------------------------------------------------------------------ should_run


DELETE = object()  # as a value in `load(...)`: remove the key


def load(path=PR_COMMENT, body="/recheck", **changes):
    event = json.loads(path.read_text(encoding="utf-8"))
    event["comment"]["body"] = body
    for dotted, value in changes.items():
        *parents, key = dotted.split("__")
        node = event
        for part in parents:
            node = node[part]
        if value is DELETE:
            node.pop(key, None)
        else:
            node[key] = value
    return event


@pytest.fixture(scope="module")
def real_event():
    event = json.loads(PR_COMMENT.read_text(encoding="utf-8"))
    assert event["action"] == "created" and event["issue"]["pull_request"]
    assert event["comment"]["user"]["type"] == "User"
    return event


def test_real_payload_with_command_runs_for_writers(real_event):
    event = copy.deepcopy(real_event)
    event["comment"]["body"] = "The sources are fixed.\r\n\r\n/recheck\r\n"
    for permission in ("admin", "maintain", "write", "WRITE", " write "):
        decision = should_run(event, permission)
        assert decision.run and decision.reply, permission
        assert "@jakebolam" in decision.reason


def test_real_payload_body_is_not_a_command(real_event):
    # The delivery's own body is a mention of another bot, not /recheck.
    decision = should_run(real_event, "admin")
    assert decision == Decision(False, "the comment holds no /recheck command")


@pytest.mark.parametrize("permission", ["read", "triage", "none", "", None, "pull", "writer"])
def test_refused_below_write(permission):
    decision = should_run(load(), permission)
    assert not decision.run
    assert decision.reply  # someone asked: tell them why nothing happened
    assert "needs write or above" in decision.reason


def test_author_association_is_not_consulted():
    # OWNER in the payload, but the permission endpoint says read: refused.
    assert not should_run(load(comment__author_association="OWNER"), "read").run
    # CONTRIBUTOR in the payload (a private org member), permission write: runs.
    assert should_run(load(comment__author_association="CONTRIBUTOR"), "write").run


@pytest.mark.parametrize("action", ["edited", "deleted", "", None, DELETE])
def test_only_created_comments(action):
    decision = should_run(load(action=action), "admin")
    assert not decision.run and not decision.reply
    assert "not created" in decision.reason


@pytest.mark.parametrize("pull_request", [DELETE, None, {}])
def test_only_pull_requests(pull_request):
    decision = should_run(load(issue__pull_request=pull_request), "admin")
    assert not decision.run and not decision.reply
    assert "not a pull request" in decision.reason


@pytest.mark.parametrize(
    "user",
    [
        {"login": "claim-review[bot]", "type": "Bot"},
        {"login": "github-actions[bot]", "type": "Bot"},
        {"login": "some-app[bot]", "type": "User"},
        {"login": "renamed-bot", "type": "Bot"},
    ],
)
def test_bots_are_ignored(user):
    decision = should_run(load(comment__user=user), "admin")
    assert not decision.run and not decision.reply
    assert "bot" in decision.reason


def test_a_person_named_like_a_bot_is_not_a_bot():
    assert should_run(load(comment__user={"login": "robotics-fan", "type": "User"}), "write").run


@pytest.mark.parametrize("body", ["> /recheck", "```\n/recheck\n```", "<!-- /recheck -->", ""])
def test_command_must_be_found(body):
    decision = should_run(load(body=body), "admin")
    assert not decision.run and not decision.reply


def test_missing_body_and_user():
    event = load(comment__body=None)
    assert not should_run(event, "admin").run
    event = load(comment__user=None)
    assert should_run(event, "write").run  # no user object: not known to be a bot
    assert "@the commenter" in should_run(event, "write").reason


def test_octokit_issue_comments_never_run():
    # GitHub's published examples: comments on an issue (no `issue.pull_request`), and an edit.
    for name in ("created.payload.json", "created.with-installation.payload.json"):
        event = load(ISSUE_COMMENTS / name)
        assert "pull_request" not in event["issue"]
        assert not should_run(event, "admin").run
    edited = load(ISSUE_COMMENTS / "edited.payload.json", issue__pull_request={"url": "x"})
    assert not should_run(edited, "admin").run
    deleted = load(ISSUE_COMMENTS / "deleted.payload.json", issue__pull_request={"url": "x"})
    assert not should_run(deleted, "admin").run


def test_screen_needs_no_permission():
    # The caller asks for the permission only when `screen` says run.
    assert screen(load()).run
    assert not screen(load(body="thanks")).run
    assert not screen(load(action="edited")).run


def test_checks_come_in_order():
    # An edited bot comment on an issue: the first reason is the action.
    event = load(action="edited", issue__pull_request=DELETE, comment__user={"login": "x[bot]"})
    assert "not created" in should_run(event, "admin").reason
