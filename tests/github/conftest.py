"""Fixtures for driving the loopback GitHub with the unmodified PyGithub client."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest
from github import Auth, Github

from bot.github.loopback import LoopbackGitHub

REPO = "acme/kb"
MAINTAINER_TOKEN = "ghp_maintainerToken000000000000000000000"
SPECIAL_NAME = 'claims/Ünïcode "quoted" it\'s a name.md'

BASE_A = (
    "---\ntitle: A\n---\nBody line\n"
    + "".join(f"filler {i}\n" for i in range(5, 20))
    + ("ev1\nev2\nend\n")
)
HEAD_A = BASE_A.replace("title: A\n", "title: A\nstatus: draft\n").replace(
    "ev2\n", "ev2 changed\nev3\n"
)
# Two hunks, as GitHub would list them: RIGHT lines 1-5 and 21-24, LEFT lines 1-4 and 20-22.
PATCH_A = (
    "@@ -1,4 +1,5 @@\n ---\n title: A\n+status: draft\n ---\n Body line\n"
    "@@ -20,3 +21,4 @@ ## Evidence\n ev1\n-ev2\n+ev2 changed\n+ev3\n end"
)


def seed(gh: LoopbackGitHub) -> SimpleNamespace:
    gh.create_repo(
        REPO,
        files={
            "claims/a.md": BASE_A,
            "claims/old-name.md": "moved\n",
            "README.md": "# KB\n",
        },
    )
    gh.add_token(MAINTAINER_TOKEN, "maintainer")
    gh.set_permission(REPO, "maintainer", "maintain")
    pull = gh.create_pull_request(
        REPO,
        author="contributor",
        title="Add claims",
        files=[
            {"filename": "claims/a.md", "status": "modified", "patch": PATCH_A, "content": HEAD_A},
            {
                "filename": "claims/new note.md",
                "status": "added",
                "patch": "@@ -0,0 +1,2 @@\n+# New\n+text",
                "content": "# New\ntext\n",
            },
            {
                "filename": "claims/renamed.md",
                "status": "renamed",
                "previous_filename": "claims/old-name.md",
                "content": "moved\n",
            },
            {
                "filename": SPECIAL_NAME,
                "status": "added",
                "patch": "@@ -0,0 +1 @@\n+special",
                "content": "special\n",
            },
            {"filename": "img.png", "status": "added", "content": b"\x89PNG\x00\xff"},
        ],
    )
    return SimpleNamespace(
        repo=REPO, number=pull.number, head_sha=pull.head_sha, base_sha=pull.base_sha
    )


@pytest.fixture
def gh():
    with LoopbackGitHub() as server:
        yield server


@pytest.fixture
def kb(gh):
    return seed(gh)


@pytest.fixture
def client(gh):
    """Make a PyGithub client; no throttling, no retries unless a test asks for them."""

    def make(token: str | None = None, *, retry=None, base_url: str | None = None, **options):
        options.setdefault("timeout", 5)
        return Github(
            base_url=base_url or gh.url,
            auth=Auth.Token(token or gh.actions_token),
            retry=retry,
            seconds_between_requests=0,
            seconds_between_writes=0,
            **options,
        )

    return make


@pytest.fixture
def http(gh):
    """Raw HTTP against the server: (status, headers, parsed body). Loopback only."""

    def call(
        method: str,
        path: str,
        body=None,
        token: str | None = "default",
        accept: str = "application/vnd.github+json",
    ):
        headers = {"Accept": accept}
        if token:
            headers["Authorization"] = f"token {gh.actions_token if token == 'default' else token}"
        data = json.dumps(body).encode() if body is not None else None
        url = path if path.startswith("http") else gh.url + path
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                status, raw, hdrs = response.status, response.read(), response.headers
        except urllib.error.HTTPError as err:
            status, raw, hdrs = err.code, err.read(), err.headers
        parsed = json.loads(raw) if raw and "json" in hdrs.get("Content-Type", "") else raw
        return status, hdrs, parsed

    return call
