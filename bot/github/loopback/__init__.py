"""A GitHub REST API on 127.0.0.1 that behaves like GitHub, for tests and ``claim-review demo``.

Standard library only. Drive it with the unmodified PyGithub client::

    with LoopbackGitHub() as gh:
        gh.create_repo("acme/kb", files={"notes/a.md": "# A\\n"})
        pr = gh.create_pull_request("acme/kb", head_files={"notes/a.md": "# A\\nnew\\n"})
        g = Github(base_url=gh.url, auth=Auth.Token(gh.actions_token))
        ...
        assert gh.reviews("acme/kb", pr.number)

``gh.url`` is the API root (``gh.enterprise_url`` serves the same under ``/api/v3``).
"""

from __future__ import annotations

import re
import threading

from . import payloads
from .faults import Fault, FaultPlan, RequestLog, RequestRecord
from .routes import ROUTES
from .server import Dispatcher, make_server
from .state import (
    CheckRun,
    IssueComment,
    PullRequest,
    Reaction,
    Repo,
    Review,
    ReviewComment,
    State,
    Token,
    User,
)

__all__ = ["Fault", "LoopbackGitHub", "PullRequest", "RequestRecord", "Review", "ReviewComment"]


class LoopbackGitHub:
    """Server lifecycle, seeding, inspection and fault injection in one place."""

    ACTIONS_LOGIN = "github-actions[bot]"

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        if host not in ("127.0.0.1", "localhost"):
            raise ValueError("the loopback server only listens on 127.0.0.1")
        self.state, self.faults, self.log = State(), FaultPlan(), RequestLog()
        self._dispatcher = Dispatcher(self.state, ROUTES, self.faults, self.log)
        self._host, self._port = host, port
        self._server = None
        self._thread: threading.Thread | None = None
        # GITHUB_TOKEN as a same-repo pull request gets it, and as a fork pull request gets it
        self.actions_token = "ghs_loopbackActionsToken0000000000000000"
        self.readonly_token = "ghs_loopbackReadOnlyToken000000000000000"
        self.add_token(self.actions_token, self.ACTIONS_LOGIN, actions=True, rate_limit=1000)
        self.add_token(
            self.readonly_token, self.ACTIONS_LOGIN, actions=True, write=False, rate_limit=1000
        )

    # ---- lifecycle ---------------------------------------------------------------------------
    def start(self) -> LoopbackGitHub:
        if self._server is None:
            self._server = make_server(self._dispatcher, self._host, self._port)
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.05,), name="loopback-github", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> LoopbackGitHub:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("server not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def enterprise_url(self) -> str:
        return f"{self.url}/api/v3"

    # ---- seeding -----------------------------------------------------------------------------
    def add_user(self, login: str, kind: str | None = None) -> User:
        with self.state.lock:
            return self.state.user(login, kind)

    def add_token(
        self,
        token: str,
        login: str,
        *,
        write: bool = True,
        actions: bool = False,
        rate_limit: int | None = None,
    ) -> Token:
        """Register a token; ``actions=True`` makes it an installation token like GITHUB_TOKEN."""
        limit = rate_limit or (1000 if actions else 5000)
        with self.state.lock:
            return self.state.add_token(
                token, login, write=write, installation=actions, limit=limit
            )

    def set_rate_limit(self, token: str, *, remaining: int, limit: int | None = None) -> None:
        with self.state.lock:
            t = self.state.tokens[token]
            t.limit = limit or t.limit
            t.used = t.limit - remaining

    def create_repo(
        self,
        full_name: str,
        *,
        files: dict | None = None,
        default_branch: str = "main",
        private: bool = False,
        owner_type: str = "Organization",
        actions_can_approve: bool = False,
    ) -> Repo:
        """A repository; ``files`` (path -> text or bytes) become the default branch's commit."""
        with self.state.lock:
            repo = self.state.add_repo(
                full_name,
                owner_type,
                default_branch=default_branch,
                private=private,
                actions_can_approve=actions_can_approve,
            )
            if files is not None:
                self.state.commit(repo, files, branch=default_branch, message="initial")
            return repo

    def commit(
        self,
        full_name: str,
        files: dict,
        *,
        branch: str | None = None,
        parent: str | None = None,
        message: str = "commit",
        sha: str | None = None,
    ) -> str:
        """Store a full snapshot as a commit (optionally moving ``branch``); returns its SHA."""
        with self.state.lock:
            repo = self.state.repo(full_name)
            return self.state.commit(repo, files, branch, parent, message, sha)

    def create_pull_request(
        self,
        full_name: str,
        *,
        files: list[dict] | None = None,
        base_files: dict | None = None,
        head_files: dict | None = None,
        base_sha: str | None = None,
        head_sha: str | None = None,
        number: int | None = None,
        author: str = "contributor",
        title: str = "Update notes",
        body: str | None = "",
        base_ref: str | None = None,
        head_ref: str = "feature",
        fork: str | None = None,
        draft: bool = False,
    ) -> PullRequest:
        """Open a pull request.

        Either give ``files`` as GitHub lists them (dicts with ``filename``, ``status``,
        optional ``patch``, ``previous_filename``, ``additions``/``deletions``/``changes`` and
        ``content`` at head), or give ``head_files`` (and optionally ``base_files``) and let the
        server compute the file list and patches. The base defaults to the base branch's commit.
        ``fork="someone/kb"`` makes the head live in a fork.
        """
        with self.state.lock:
            repo = self.state.repo(full_name)
            head_repo = None
            if fork:
                head_repo = self.state.repos.get(fork.lower()) or self.state.add_repo(
                    fork, "User", fork=True
                )
            return self.state.add_pull(
                repo,
                number=number,
                author=author,
                title=title,
                body=body,
                base_ref=base_ref or repo.default_branch,
                head_ref=head_ref,
                base_sha=base_sha,
                head_sha=head_sha,
                files=files,
                base_files=base_files,
                head_files=head_files,
                head_repo=head_repo,
                draft=draft,
            )

    def push(
        self,
        full_name: str,
        number: int,
        *,
        files: list[dict] | None = None,
        head_files: dict | None = None,
    ) -> str:
        """Move the pull request's head to a new commit (like a ``synchronize``); new head SHA.

        ``head_files`` replaces the whole head snapshot; ``files`` (same form as in
        ``create_pull_request``) applies changes to the current head and becomes the file list.
        """
        with self.state.lock:
            pull = self.state.pull(self.state.repo(full_name), number)
            return self.state.push(pull, files, head_files)

    def set_permission(
        self, full_name: str, login: str, role: str, base: str | None = None
    ) -> None:
        """Make ``login`` a collaborator: admin|maintain|write|triage|read, or a custom role
        name with its legacy ``base`` permission (admin|write|read)."""
        with self.state.lock:
            repo = self.state.repo(full_name)
            self.state.user(login)
            repo.collaborators[login] = role
            if base:
                repo.custom_roles[role] = base

    def comment(self, full_name: str, number: int, body: str, author: str) -> IssueComment:
        """A conversation comment written by a person (e.g. ``/recheck``), not through the API."""
        with self.state.lock:
            pull = self.state.pull(self.state.repo(full_name), number)
            return self.state.create_issue_comment(pull, self.state.user(author), body)

    # ---- webhook-style event payloads, e.g. for GITHUB_EVENT_PATH ------------------------------
    def pull_request_event(self, full_name: str, number: int, action: str = "opened") -> dict:
        urls = payloads.Urls(self.url, self.url)
        with self.state.lock:
            pull = self.state.pull(self.state.repo(full_name), number)
            body = payloads.pull_request(pull, self.state, urls)
            for side in ("head", "base"):  # webhooks, unlike REST, show custom properties
                body[side]["repo"]["custom_properties"] = {}
            return {
                "action": action,
                "number": number,
                "pull_request": body,
                "repository": self._event_repo(pull.repo, urls),
                "sender": payloads.user(pull.user, urls),
            }

    def issue_comment_event(self, comment: IssueComment, action: str = "created") -> dict:
        urls = payloads.Urls(self.url, self.url)
        with self.state.lock:
            return {
                "action": action,
                "issue": payloads.issue(comment.pull, self.state, urls),
                "comment": payloads.issue_comment(comment, self.state, urls),
                "repository": self._event_repo(comment.pull.repo, urls),
                "sender": payloads.user(comment.user, urls),
            }

    @staticmethod
    def _event_repo(repo: Repo, urls: payloads.Urls) -> dict:
        return payloads.repo_summary(repo, urls) | {"custom_properties": {}}

    # ---- inspection --------------------------------------------------------------------------
    def pull_request(self, full_name: str, number: int) -> PullRequest:
        with self.state.lock:
            return self.state.pull(self.state.repo(full_name), number)

    def reviews(self, full_name: str, number: int) -> list[Review]:
        pull = self.pull_request(full_name, number)
        return self._of(self.state.reviews, lambda r: r.pull is pull)

    def review_comments(self, full_name: str, number: int) -> list[ReviewComment]:
        pull = self.pull_request(full_name, number)
        return self._of(self.state.review_comments, lambda c: c.pull is pull)

    def issue_comments(self, full_name: str, number: int) -> list[IssueComment]:
        pull = self.pull_request(full_name, number)
        return self._of(self.state.issue_comments, lambda c: c.pull is pull)

    def check_runs(self, full_name: str) -> list[CheckRun]:
        with self.state.lock:
            repo = self.state.repo(full_name)
        return self._of(self.state.check_runs, lambda r: r.repo is repo)

    def reactions(self, comment_id: int, kind: str = "issue") -> list[Reaction]:
        with self.state.lock:
            return list(self.state.reactions.get((kind, comment_id), []))

    def _of(self, store: dict, keep) -> list:
        with self.state.lock:
            return [item for _, item in sorted(store.items()) if keep(item)]

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request received, in order (method, path, query, status, fault)."""
        return self.log.snapshot()

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """Requests matching a method and a path regex (``re.search``)."""
        return sum(
            (method is None or r.method == method.upper())
            and (path is None or re.search(path, r.path) is not None)
            for r in self.requests
        )

    @property
    def reads(self) -> int:
        return sum(not r.is_write for r in self.requests)

    @property
    def writes(self) -> int:
        return sum(r.is_write for r in self.requests)

    def reset_log(self) -> None:
        self.log.clear()

    # ---- fault injection (method "*" matches any; path is a regex searched in the path) ------
    def fail(self, method: str, path: str, status: int = 502, times: int = 1) -> Fault:
        """Answer ``status`` without performing the request."""
        return self.faults.add("status", method, path, status=status, times=times)

    def fail_after_write(self, method: str, path: str, status: int = 502, times: int = 1) -> Fault:
        """Perform the write, then answer ``status`` as if it had failed."""
        return self.faults.add("write_then_fail", method, path, status=status, times=times)

    def secondary_rate_limit(
        self, method: str, path: str, retry_after: int | None = 1, times: int = 1
    ) -> Fault:
        """403 with GitHub's secondary-rate-limit message and a ``retry-after`` header."""
        return self.faults.add("secondary", method, path, retry_after=retry_after, times=times)

    def too_many_requests(
        self, method: str, path: str, retry_after: int | None = 1, times: int = 1
    ) -> Fault:
        """429 with the secondary-rate-limit message (``retry_after=None``: no header)."""
        return self.faults.add("too_many", method, path, retry_after=retry_after, times=times)

    def drop_connection(self, method: str, path: str, times: int = 1) -> Fault:
        """Close the socket without sending any response."""
        return self.faults.add("drop", method, path, times=times)

    def delay(self, method: str, path: str, seconds: float, times: int = 1) -> Fault:
        """Answer normally, ``seconds`` late."""
        return self.faults.add("delay", method, path, seconds=seconds, times=times)
