"""In-memory GitHub: users, tokens, repositories, pull requests and what bots write to them.

Write operations enforce the constraints GitHub enforces and raise :class:`ApiError` with the body
GitHub sends. The server adds ``documentation_url`` and ``status`` from the route. Error texts
marked "observed" come from real responses quoted in ``shared/reference/github-platform.md``;
texts marked "unverified" are plausible stand-ins (only the status code is asserted on).
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .diffs import FileDiff, make_patch
from .gitobjects import Gitlink, GitStore, Symlink, git_hash, to_bytes

MAX_BODY = 65536  # issue/PR/comment bodies (observed for issue comments; assumed elsewhere)
MAX_ANNOTATIONS = 50  # per check-run request (documented)
MAX_LISTED_FILES = 3000  # GET /pulls/{n}/files stops here (documented)
REACTIONS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes")
# role_name -> the legacy `permission` value GitHub reports next to it (documented mapping)
LEGACY_PERMISSION = {
    "admin": "admin",
    "maintain": "write",
    "write": "write",
    "triage": "read",
    "read": "read",
    "none": "none",
}

# Review endpoint messages (2026 wording, observed), errors are strings, joined into a sentence.
PATH_UNRESOLVED = "Path could not be resolved"
LINE_UNRESOLVED = "Line could not be resolved"
POSITION_UNRESOLVED = "Position could not be resolved"
START_OTHER_HUNK = (
    "Pull request review thread start line must be part of the same hunk as the line."
)
ACTIONS_APPROVE = "GitHub Actions is not permitted to approve pull requests."
# Single-comment endpoint: classic "Validation Failed" objects (line text observed, rest inferred).
THREAD_ERRORS = {
    PATH_UNRESOLVED: ("path", "pull_request_review_thread.path is invalid"),
    LINE_UNRESOLVED: ("line", "pull_request_review_thread.line must be part of the diff"),
    POSITION_UNRESOLVED: ("position", "pull_request_review_thread.position is invalid"),
    START_OTHER_HUNK: (
        "start_line",
        "pull_request_review_thread.start_line must be part of the same hunk as the line",
    ),
}


class ApiError(Exception):
    def __init__(self, status: int, body: dict, headers: dict | None = None) -> None:
        super().__init__(f"{status} {body.get('message')}")
        self.status, self.body, self.headers = status, body, headers or {}


def to_sentence(items: list[str]) -> str:
    """Rails' Array#to_sentence, which GitHub uses to join review errors."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def not_found() -> ApiError:
    return ApiError(404, {"message": "Not Found"})


def unprocessable(messages: list[str]) -> ApiError:
    return ApiError(422, {"message": "Unprocessable Entity", "errors": [to_sentence(messages)]})


def validation_failed(resource: str, field_: str, code: str, message: str | None = None):
    error = {"resource": resource, "code": code, "field": field_}
    if message:
        error["message"] = message
    return ApiError(422, {"message": "Validation Failed", "errors": [error]})


def invalid_request(detail: str) -> ApiError:
    # JSON-schema failures ("No more than 50 items are allowed; 77 were supplied." observed)
    return ApiError(422, {"message": f"Invalid request.\n\n{detail}"})


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class User:
    login: str
    id: int
    type: str = "User"  # "User" | "Bot" | "Organization"


@dataclass
class Token:
    value: str
    user: User
    write: bool = True  # False: a fork pull request's read-only GITHUB_TOKEN
    installation: bool = False  # True: an app installation token such as GITHUB_TOKEN
    limit: int = 5000
    used: int = 0
    reset: int = 0

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    def spend(self) -> None:
        now = int(time.time())
        if now >= self.reset:
            self.used, self.reset = 0, now + 3600
        self.used += 1


@dataclass
class Repo:
    owner: User
    name: str
    id: int
    default_branch: str = "main"
    private: bool = False
    fork: bool = False
    actions_can_approve: bool = False  # "Allow GitHub Actions to create and approve PRs"
    branches: dict[str, str] = field(default_factory=dict)
    collaborators: dict[str, str] = field(default_factory=dict)  # login -> role_name
    custom_roles: dict[str, str] = field(default_factory=dict)  # role_name -> legacy base
    git: GitStore = field(default_factory=GitStore)
    created_at: str = field(default_factory=now_iso)

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.name}"

    def resolve(self, ref: str | None) -> str | None:
        """A branch name or a commit SHA (full or abbreviated) -> commit SHA."""
        ref = ref or self.default_branch
        if ref in self.branches:
            return self.branches[ref]
        if ref in self.git.commits:
            return ref
        hits = [sha for sha in self.git.commits if len(ref) >= 7 and sha.startswith(ref)]
        return hits[0] if len(hits) == 1 else None


@dataclass
class PullFile:
    filename: str
    status: str  # added | removed | modified | renamed | copied | changed | unchanged
    patch: str | None = None
    additions: int | None = None
    deletions: int | None = None
    changes: int | None = None
    previous_filename: str | None = None
    sha: str | None = None

    def __post_init__(self) -> None:
        self.diff = FileDiff.parse(self.patch)
        added, deleted = self.diff.counts()
        self.additions = added if self.additions is None else self.additions
        self.deletions = deleted if self.deletions is None else self.deletions
        if self.changes is None:
            self.changes = self.additions + self.deletions


@dataclass
class PullRequest:
    repo: Repo
    number: int
    id: int
    user: User
    title: str
    body: str | None
    base_ref: str
    base_sha: str
    head_ref: str
    head_sha: str
    files: list[PullFile]
    head_repo: Repo | None = None  # a fork; None means the same repository
    draft: bool = False
    labels: list[str] = field(default_factory=list)
    state: str = "open"
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)

    def file(self, path: str | None) -> PullFile | None:
        return next((f for f in self.files if f.filename == path), None)


@dataclass
class Review:
    id: int
    pull: PullRequest
    user: User
    body: str
    state: str  # PENDING | COMMENTED | APPROVED | CHANGES_REQUESTED | DISMISSED
    commit_id: str
    submitted_at: str | None


@dataclass
class ReviewComment:
    id: int
    pull: PullRequest
    review_id: int
    user: User
    body: str
    path: str
    commit_id: str
    diff_hunk: str
    line: int | None
    side: str | None
    start_line: int | None = None
    start_side: str | None = None
    position: int | None = None
    in_reply_to_id: int | None = None
    subject_type: str = "line"
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)


@dataclass
class IssueComment:
    id: int
    pull: PullRequest
    user: User
    body: str
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)


@dataclass
class Reaction:
    id: int
    user: User
    content: str
    created_at: str = field(default_factory=now_iso)


@dataclass
class CheckRun:
    id: int
    repo: Repo
    name: str
    head_sha: str
    status: str = "queued"
    conclusion: str | None = None
    started_at: str | None = None
    completed_at: str | None = None
    details_url: str | None = None
    external_id: str | None = None
    output: dict = field(default_factory=dict)  # title, summary, text
    annotations: list[dict] = field(default_factory=list)
    check_suite_id: int = 0


@dataclass(frozen=True)
class Anchor:
    line: int
    side: str
    start_line: int | None
    start_side: str | None
    position: int
    diff_hunk: str


class State:
    """Everything the server knows. Handlers hold ``lock`` for their whole body."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.users: dict[str, User] = {}
        self.tokens: dict[str, Token] = {}
        self.repos: dict[str, Repo] = {}  # lower-case full name -> repo
        self.pulls: dict[tuple[int, int], PullRequest] = {}  # (repo id, number)
        self.reviews: dict[int, Review] = {}
        self.review_comments: dict[int, ReviewComment] = {}
        self.issue_comments: dict[int, IssueComment] = {}
        self.reactions: dict[tuple[str, int], list[Reaction]] = {}
        self.check_runs: dict[int, CheckRun] = {}
        # distinct id ranges per kind make mix-ups (a review id used as a comment id) fail loudly
        self._ids = {
            k: itertools.count(start)
            for k, start in [
                ("user", 1000),
                ("repo", 500000),
                ("pull", 7000000),
                ("review", 30000000),
                ("review_comment", 60000000),
                ("issue_comment", 90000000),
                ("reaction", 200000),
                ("check_run", 300000000),
                ("check_suite", 400000000),
            ]
        }

    def next_id(self, kind: str) -> int:
        return next(self._ids[kind])

    # ---- seeding -------------------------------------------------------------------------
    def user(self, login: str, type_: str | None = None) -> User:
        if login not in self.users:
            kind = type_ or ("Bot" if login.endswith("[bot]") else "User")
            self.users[login] = User(login, self.next_id("user"), kind)
        return self.users[login]

    def add_token(self, value: str, login: str, **options) -> Token:
        token = Token(value, self.user(login), **options)
        token.reset = int(time.time()) + 3600
        self.tokens[value] = token
        return token

    def add_repo(self, full_name: str, owner_type: str = "Organization", **options) -> Repo:
        owner_login, name = full_name.split("/")
        repo = Repo(self.user(owner_login, owner_type), name, self.next_id("repo"), **options)
        self.repos[full_name.lower()] = repo
        return repo

    def repo(self, full_name: str) -> Repo:
        repo = self.repos.get(full_name.lower())
        if repo is None:
            raise not_found()
        return repo

    def repo_by_id(self, repo_id: int) -> Repo | None:
        return next((r for r in self.repos.values() if r.id == repo_id), None)

    def commit(
        self,
        repo: Repo,
        files: dict,
        branch: str | None = None,
        parent: str | None = None,
        message: str = "commit",
        sha: str | None = None,
    ) -> str:
        parent = parent or (repo.branches.get(branch) if branch else None)
        snapshot = {path: to_bytes(data) for path, data in files.items()}
        sha = repo.git.add_commit(snapshot, (parent,) if parent else (), message, sha)
        if branch:
            repo.branches[branch] = sha
        return sha

    def add_pull(
        self,
        repo: Repo,
        *,
        number: int | None,
        author: str,
        title: str,
        body: str | None,
        base_ref: str,
        head_ref: str,
        base_sha: str | None,
        head_sha: str | None,
        files: list[dict] | None,
        base_files: dict | None,
        head_files: dict | None,
        head_repo: Repo | None,
        draft: bool,
    ) -> PullRequest:
        base_snapshot = self._base_snapshot(repo, base_ref, base_sha, base_files)
        if base_sha is None or base_sha not in repo.git.commits:
            base_sha = self.commit(repo, base_snapshot, sha=base_sha, message="base")
        repo.branches.setdefault(base_ref, base_sha)
        number = number or 1 + max((n for (rid, n) in self.pulls if rid == repo.id), default=0)
        pull = PullRequest(
            repo,
            number,
            self.next_id("pull"),
            self.user(author),
            title,
            body,
            base_ref,
            base_sha,
            head_ref,
            "",
            [],
            head_repo,
            draft,
        )
        self.push(pull, files, head_files, head_sha, parent=base_sha)
        self.pulls[(repo.id, number)] = pull
        return pull

    def push(
        self,
        pull: PullRequest,
        files: list[dict] | None,
        head_files: dict | None,
        head_sha: str | None = None,
        parent: str | None = None,
    ) -> str:
        """A new head commit (a ``synchronize``): full ``head_files`` or changes in ``files``.

        The file list is ``files`` as given, or computed (with patches) against the base.
        """
        repo = pull.repo
        base_snapshot = repo.git.commits[pull.base_sha].files
        if head_files is None:
            current = repo.git.commits[pull.head_sha].files if pull.head_sha else base_snapshot
            head_files = apply_file_specs(current, files or [])
        head_snapshot = {p: to_bytes(d) for p, d in head_files.items()}
        parent = parent or pull.head_sha
        head_sha = self.commit(repo, head_snapshot, parent=parent, sha=head_sha, message=pull.title)
        (pull.head_repo or repo).branches[pull.head_ref] = head_sha
        if pull.head_repo is not None:  # the fork holds the commits too, as on GitHub
            pull.head_repo.git.add_commit(head_snapshot, (parent,), pull.title, head_sha)
        pull.head_sha, pull.updated_at = head_sha, now_iso()
        pull.files = (
            [pull_file_from_spec(spec, head_snapshot) for spec in files]
            if files is not None
            else diff_snapshots(base_snapshot, head_snapshot)
        )
        return head_sha

    def _base_snapshot(self, repo: Repo, ref: str, sha: str | None, files: dict | None) -> dict:
        if files is not None:
            return {p: to_bytes(d) for p, d in files.items()}
        known = sha if sha in repo.git.commits else repo.branches.get(ref)
        return dict(repo.git.commits[known].files) if known else {}

    def pull(self, repo: Repo, number: int) -> PullRequest:
        pull = self.pulls.get((repo.id, number))
        if pull is None:
            raise not_found()
        return pull

    # ---- permissions ---------------------------------------------------------------------
    def role_of(self, repo: Repo, login: str) -> str:
        if login == repo.owner.login:
            return "admin"
        return repo.collaborators.get(login, "none" if repo.private else "read")

    def legacy_permission(self, repo: Repo, role: str) -> str:
        return LEGACY_PERMISSION.get(role) or repo.custom_roles.get(role, "read")

    def association(self, repo: Repo, user: User) -> str:
        if user.login == repo.owner.login:
            return "OWNER"
        if user.login in repo.collaborators:
            return "MEMBER" if repo.owner.type == "Organization" else "COLLABORATOR"
        return "NONE"

    # ---- reviews -------------------------------------------------------------------------
    def anchor(self, pull: PullRequest, spec: dict) -> Anchor | str:
        """Resolve one review comment to a place in the diff, or return GitHub's complaint."""
        pfile = pull.file(spec.get("path"))
        if pfile is None:
            return PATH_UNRESOLVED
        if spec.get("line") is None and spec.get("position") is not None:
            found = pfile.diff.at_position(int(spec["position"]))
            if found is None:
                return POSITION_UNRESOLVED
            hunk, dl = found
            side = "LEFT" if dl.kind == "-" else "RIGHT"
            line = dl.old if side == "LEFT" else dl.new
            return Anchor(line, side, None, None, dl.position, hunk.text_until(dl))
        line, side = spec.get("line"), str(spec.get("side") or "RIGHT").upper()
        found = pfile.diff.locate(int(line), side) if isinstance(line, int) else None
        if found is None:
            return LINE_UNRESOLVED
        hunk, dl = found
        start_line = spec.get("start_line")
        start_side = str(spec.get("start_side") or side).upper()
        if start_line is None or (start_line == line and start_side == side):
            return Anchor(line, side, None, None, dl.position, hunk.text_until(dl))
        start = hunk.find(int(start_line), start_side)
        if start is None or start.position > dl.position:
            return START_OTHER_HUNK  # outside this hunk, or after the end line
        return Anchor(line, side, start_line, start_side, dl.position, hunk.text_until(dl))

    def create_review(self, pull: PullRequest, token: Token, data: dict) -> Review:
        event = str(data.get("event") or "").upper() or None
        body = data.get("body") or ""
        comments = data.get("comments") or []
        if event not in (None, "APPROVE", "REQUEST_CHANGES", "COMMENT"):
            raise unprocessable([f"Event {event} is not valid"])  # unverified wording
        if len(body) > MAX_BODY:
            raise validation_failed(
                "PullRequestReview",
                "body",
                "custom",
                f"Body is too long (maximum is {MAX_BODY} characters)",
            )
        if event == "APPROVE" and token.installation and not pull.repo.actions_can_approve:
            raise unprocessable([ACTIONS_APPROVE])
        if event in ("APPROVE", "REQUEST_CHANGES") and token.user is pull.user:
            verb = "approve" if event == "APPROVE" else "request changes on"
            raise unprocessable([f"Can not {verb} your own pull request"])
        if event == "COMMENT" and not body and not comments:
            raise unprocessable(["Body can't be blank"])  # 422 observed, wording unverified
        commit_id = data.get("commit_id") or pull.head_sha
        if pull.repo.resolve(commit_id) is None:
            raise unprocessable(["Commit could not be resolved"])  # unverified wording
        anchors = [self.anchor(pull, c) for c in comments]
        problems = [a for a in anchors if isinstance(a, str)]
        if problems:  # all or nothing: one bad comment rejects the whole review
            raise unprocessable(problems)
        if event is None and any(
            r.pull is pull and r.user is token.user and r.state == "PENDING"
            for r in self.reviews.values()
        ):
            raise validation_failed(
                "PullRequestReview",
                "user_id",
                "custom",
                "user_id can only have one pending review per pull request",
            )
        review = self._new_review(pull, token.user, body, event, commit_id)
        for spec, anchor in zip(comments, anchors, strict=True):
            self._new_comment(review, spec.get("body") or "", spec["path"], anchor)
        return review

    def _new_review(
        self, pull: PullRequest, user: User, body: str, event: str | None, commit_id: str
    ) -> Review:
        state = {
            None: "PENDING",
            "COMMENT": "COMMENTED",
            "APPROVE": "APPROVED",
            "REQUEST_CHANGES": "CHANGES_REQUESTED",
        }[event]
        review = Review(
            self.next_id("review"),
            pull,
            user,
            body,
            state,
            commit_id,
            None if state == "PENDING" else now_iso(),
        )
        self.reviews[review.id] = review
        return review

    def _new_comment(
        self,
        review: Review,
        body: str,
        path: str,
        anchor: Anchor | None,
        reply_to: ReviewComment | None = None,
    ) -> ReviewComment:
        if reply_to is not None:  # a reply sits on its parent's line
            src = reply_to
            anchor = (
                Anchor(
                    src.line, src.side, src.start_line, src.start_side, src.position, src.diff_hunk
                )
                if src.line is not None
                else None
            )
        comment = ReviewComment(
            self.next_id("review_comment"),
            review.pull,
            review.id,
            review.user,
            body,
            path,
            review.commit_id,
            anchor.diff_hunk if anchor else "",
            anchor.line if anchor else None,
            anchor.side if anchor else None,
            anchor.start_line if anchor else None,
            anchor.start_side if anchor else None,
            anchor.position if anchor else None,
            reply_to.id if reply_to else None,
            reply_to.subject_type if reply_to else ("line" if anchor else "file"),
        )
        self.review_comments[comment.id] = comment
        return comment

    def create_review_comment(self, pull: PullRequest, user: User, data: dict) -> ReviewComment:
        """POST /pulls/{n}/comments: one comment in its own (implicit) COMMENTED review."""
        body = check_body(data.get("body"), "PullRequestReviewComment")
        if data.get("in_reply_to") is not None:
            return self.reply(pull, user, int(data["in_reply_to"]), body)
        commit_id = data.get("commit_id") or pull.head_sha
        anchor: Anchor | str | None = None
        if data.get("subject_type") == "file":
            if pull.file(data.get("path")) is None:
                anchor = PATH_UNRESOLVED
        else:
            anchor = self.anchor(pull, data)
        if isinstance(anchor, str):
            field_, message = THREAD_ERRORS[anchor]
            raise validation_failed(
                "PullRequestReviewComment",
                f"pull_request_review_thread.{field_}",
                "custom",
                message,
            )
        review = self._new_review(pull, user, "", "COMMENT", commit_id)
        return self._new_comment(review, body, data["path"], anchor)

    def reply(self, pull: PullRequest, user: User, parent_id: int, body: str) -> ReviewComment:
        parent = self.review_comments.get(parent_id)
        if parent is None or parent.pull is not pull:
            raise not_found()
        body = check_body(body, "PullRequestReviewComment")
        review = self._new_review(pull, user, "", "COMMENT", parent.commit_id)
        return self._new_comment(review, body, parent.path, None, reply_to=parent)

    # ---- issue comments and reactions ----------------------------------------------------
    def create_issue_comment(self, pull: PullRequest, user: User, body) -> IssueComment:
        comment = IssueComment(
            self.next_id("issue_comment"), pull, user, check_body(body, "IssueComment")
        )
        self.issue_comments[comment.id] = comment
        return comment

    def react(self, kind: str, comment_id: int, user: User, content) -> tuple[Reaction, bool]:
        if content not in REACTIONS:
            raise validation_failed("Reaction", "content", "invalid")
        existing = self.reactions.setdefault((kind, comment_id), [])
        for reaction in existing:
            if reaction.user is user and reaction.content == content:
                return reaction, False  # GitHub answers 200 with the existing reaction
        reaction = Reaction(self.next_id("reaction"), user, content)
        existing.append(reaction)
        return reaction, True

    # ---- check runs ----------------------------------------------------------------------
    def create_check_run(self, repo: Repo, data: dict) -> CheckRun:
        for required in ("name", "head_sha"):
            if not data.get(required):
                raise validation_failed("CheckRun", required, "missing_field")
        if repo.resolve(data["head_sha"]) is None:
            raise validation_failed("CheckRun", "head_sha", "invalid", "No commit found for SHA")
        run = CheckRun(
            self.next_id("check_run"),
            repo,
            data["name"],
            data["head_sha"],
            check_suite_id=self.next_id("check_suite"),
        )
        self.update_check_run(run, data)
        self.check_runs[run.id] = run
        return run

    def update_check_run(self, run: CheckRun, data: dict) -> CheckRun:
        output = data.get("output") or {}
        annotations = validate_annotations(output.get("annotations") or [])
        for key in ("name", "details_url", "external_id", "started_at", "status"):
            if key in data:
                setattr(run, key, data[key])
        if data.get("conclusion"):  # giving a conclusion completes the run (documented)
            run.conclusion, run.status = data["conclusion"], "completed"
            run.completed_at = data.get("completed_at") or now_iso()
        if run.started_at is None:
            run.started_at = now_iso()
        run.output.update({k: output[k] for k in ("title", "summary", "text") if k in output})
        run.annotations.extend(annotations)  # later requests append (documented)
        return run


def check_body(body, resource: str) -> str:
    if not isinstance(body, str) or not body.strip():
        raise validation_failed(resource, "body", "missing_field")
    if len(body) > MAX_BODY:  # observed for issue comments
        raise validation_failed(
            resource,
            "data",
            "unprocessable",
            f"Body is too long (maximum is {MAX_BODY} characters)",
        )
    return body


def validate_annotations(annotations: list) -> list[dict]:
    if len(annotations) > MAX_ANNOTATIONS:
        raise invalid_request(
            f"No more than {MAX_ANNOTATIONS} items are allowed; {len(annotations)} were supplied."
        )
    for a in annotations:
        missing = [
            k
            for k in ("path", "start_line", "end_line", "annotation_level", "message")
            if a.get(k) in (None, "")
        ]
        if missing:
            raise invalid_request(f"Annotation is missing {', '.join(missing)}.")
        if a["annotation_level"] not in ("notice", "warning", "failure"):
            raise invalid_request(
                f"{a['annotation_level']!r} is not a member of notice, warning, failure."
            )
    return [dict(a) for a in annotations]


def apply_file_specs(base: dict[str, bytes], specs: list[dict]) -> dict[str, bytes]:
    """Head snapshot = base snapshot with each listed file's head content applied."""
    head = dict(base)
    for spec in specs:
        if spec.get("previous_filename"):
            head.pop(spec["previous_filename"], None)
        if spec.get("status") == "removed":
            head.pop(spec["filename"], None)
        elif "content" in spec:
            head[spec["filename"]] = to_bytes(spec["content"])
    return head


def pull_file_from_spec(spec: dict, head: dict[str, bytes]) -> PullFile:
    known = {
        k: spec[k]
        for k in (
            "filename",
            "status",
            "patch",
            "additions",
            "deletions",
            "changes",
            "previous_filename",
            "sha",
        )
        if k in spec
    }
    data = head.get(spec["filename"], b"")
    known.setdefault("sha", git_hash("blob", data))
    return PullFile(**known)


def diff_snapshots(base: dict[str, bytes], head: dict[str, bytes]) -> list[PullFile]:
    """Compute GitHub-style file entries (with patches) between two snapshots."""
    files = []
    for path in sorted(set(base) | set(head)):
        old, new = _as_text(base.get(path)), _as_text(head.get(path))
        if old == new:
            continue
        status = "added" if old is None else "removed" if new is None else "modified"
        patch = text_patch(old or b"", new or b"")
        files.append(PullFile(path, status, patch, sha=git_hash("blob", new or old or b"")))
    return files


def _as_text(value):  # type: ignore[no-untyped-def]
    """What GitHub diffs for a link (its target) or a submodule (its commit line)."""
    if isinstance(value, Symlink):
        return value.target.encode()
    if isinstance(value, Gitlink):
        return f"Subproject commit {value.sha}\n".encode()
    return value


def text_patch(old: bytes, new: bytes) -> str | None:
    try:  # binary files get no patch, as on GitHub
        return make_patch(old.decode("utf-8"), new.decode("utf-8"))
    except UnicodeDecodeError:
        return None
