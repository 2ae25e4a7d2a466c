"""JSON bodies with the keys and shapes of the real REST API (2022-11-28).

Key lists follow the recordings in ``shared/fixtures/github`` (newest available for each object):
pull request / repository / user from a Jan-2026 PyGithub recording, review comment and issue
comment from Jan-2025 ones, reviews, reactions and check runs from older ones plus the keys the
OpenAPI description adds (``node_id`` on reactions). The fidelity tests compare key sets.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from urllib.parse import quote

from .gitobjects import git_hash
from .state import (
    REACTIONS,
    CheckRun,
    IssueComment,
    PullFile,
    PullRequest,
    Reaction,
    Repo,
    Review,
    ReviewComment,
    State,
    Token,
    User,
)

REPO_URL_SUFFIXES = [
    ("forks_url", "/forks"),
    ("keys_url", "/keys{/key_id}"),
    ("collaborators_url", "/collaborators{/collaborator}"),
    ("teams_url", "/teams"),
    ("hooks_url", "/hooks"),
    ("issue_events_url", "/issues/events{/number}"),
    ("events_url", "/events"),
    ("assignees_url", "/assignees{/user}"),
    ("branches_url", "/branches{/branch}"),
    ("tags_url", "/tags"),
    ("blobs_url", "/git/blobs{/sha}"),
    ("git_tags_url", "/git/tags{/sha}"),
    ("git_refs_url", "/git/refs{/sha}"),
    ("trees_url", "/git/trees{/sha}"),
    ("statuses_url", "/statuses/{sha}"),
    ("languages_url", "/languages"),
    ("stargazers_url", "/stargazers"),
    ("contributors_url", "/contributors"),
    ("subscribers_url", "/subscribers"),
    ("subscription_url", "/subscription"),
    ("commits_url", "/commits{/sha}"),
    ("git_commits_url", "/git/commits{/sha}"),
    ("comments_url", "/comments{/number}"),
    ("issue_comment_url", "/issues/comments{/number}"),
    ("contents_url", "/contents/{+path}"),
    ("compare_url", "/compare/{base}...{head}"),
    ("merges_url", "/merges"),
    ("archive_url", "/{archive_format}{/ref}"),
    ("downloads_url", "/downloads"),
    ("issues_url", "/issues{/number}"),
    ("pulls_url", "/pulls{/number}"),
    ("milestones_url", "/milestones{/number}"),
    ("notifications_url", "/notifications{?since,all,participating}"),
    ("labels_url", "/labels{/name}"),
    ("releases_url", "/releases{/id}"),
    ("deployments_url", "/deployments"),
]
# The GitHub Actions app, which owns check runs created with GITHUB_TOKEN.
ACTIONS_APP = {"id": 15368, "slug": "github-actions", "name": "GitHub Actions"}


def node_id(type_name: str, ident: int) -> str:
    """GitHub's legacy global node id, e.g. ``MDQ6VXNlcjEzNzEz`` = ``04:User13713``."""
    return base64.b64encode(f"0{len(type_name)}:{type_name}{ident}".encode()).decode()


@dataclass(frozen=True)
class Urls:
    api: str  # http://127.0.0.1:PORT or http://127.0.0.1:PORT/api/v3
    web: str  # http://127.0.0.1:PORT, standing in for https://github.com

    def repo(self, repo: Repo) -> str:
        return f"{self.api}/repos/{repo.full_name}"

    def pull(self, pull: PullRequest) -> str:
        return f"{self.repo(pull.repo)}/pulls/{pull.number}"

    def pull_html(self, pull: PullRequest) -> str:
        return f"{self.web}/{pull.repo.full_name}/pull/{pull.number}"


def user(u: User, urls: Urls) -> dict:
    api = f"{urls.api}/users/{quote(u.login)}"
    html = (
        f"{urls.web}/apps/{u.login.removesuffix('[bot]')}"
        if u.type == "Bot"
        else (f"{urls.web}/{u.login}")
    )
    return {
        "login": u.login,
        "id": u.id,
        "node_id": node_id(u.type, u.id),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{u.id}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": html,
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": u.type,
        "user_view_type": "public",
        "site_admin": False,
    }


def authenticated_user(u: User, urls: Urls) -> dict:
    profile = {
        "name": None,
        "company": None,
        "blog": "",
        "location": None,
        "email": None,
        "hireable": None,
        "bio": None,
        "twitter_username": None,
        "notification_email": None,
        "public_repos": 0,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "created_at": "2020-01-01T00:00:00Z",
        "updated_at": "2020-01-01T00:00:00Z",
        "private_gists": 0,
        "total_private_repos": 0,
        "owned_private_repos": 0,
        "disk_usage": 0,
        "collaborators": 0,
        "two_factor_authentication": True,
        "plan": {"name": "free", "space": 976562499, "collaborators": 0, "private_repos": 10000},
    }
    return user(u, urls) | profile


def repo_summary(repo: Repo, urls: Urls) -> dict:
    """The repository object nested in pull requests (``head.repo`` / ``base.repo``)."""
    api, html = urls.repo(repo), f"{urls.web}/{repo.full_name}"
    body = {
        "id": repo.id,
        "node_id": node_id("Repository", repo.id),
        "name": repo.name,
        "full_name": repo.full_name,
        "private": repo.private,
        "owner": user(repo.owner, urls),
        "html_url": html,
        "description": None,
        "fork": repo.fork,
        "url": api,
    }
    body |= {key: api + suffix for key, suffix in REPO_URL_SUFFIXES}
    host = urls.web.split("://", 1)[1]
    body |= {
        "created_at": repo.created_at,
        "updated_at": repo.created_at,
        "pushed_at": repo.created_at,
        "git_url": f"git://{host}/{repo.full_name}.git",
        "ssh_url": f"git@{host}:{repo.full_name}.git",
        "clone_url": f"{html}.git",
        "svn_url": html,
        "homepage": None,
        "size": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "language": "Markdown",
        "has_issues": True,
        "has_projects": True,
        "has_downloads": True,
        "has_wiki": False,
        "has_pages": False,
        "has_discussions": False,
        "forks_count": 0,
        "mirror_url": None,
        "archived": False,
        "disabled": False,
        "open_issues_count": 0,
        "license": None,
        "allow_forking": True,
        "is_template": False,
        "web_commit_signoff_required": False,
        "topics": [],
        "visibility": "private" if repo.private else "public",
        "forks": 0,
        "open_issues": 0,
        "watchers": 0,
        "default_branch": repo.default_branch,
    }
    return body


RANKS = ["none", "read", "triage", "write", "maintain", "admin"]


def permission_flags(role: str) -> dict:
    """The ``permissions`` hash for a role; custom roles must be given by their base role."""
    level = RANKS.index(role) if role in RANKS else 1
    return {
        name: level >= RANKS.index(need)
        for name, need in [
            ("admin", "admin"),
            ("maintain", "maintain"),
            ("push", "write"),
            ("triage", "triage"),
            ("pull", "read"),
        ]
    }


def repo_full(repo: Repo, role: str, urls: Urls) -> dict:
    body = repo_summary(repo, urls) | {
        "permissions": permission_flags(role),
        "custom_properties": {},
    }
    if repo.owner.type == "Organization":
        body["organization"] = user(repo.owner, urls)
    return body | {"network_count": 0, "subscribers_count": 0}


def pull_request(pull: PullRequest, state: State, urls: Urls) -> dict:
    api, html, repo = urls.pull(pull), urls.pull_html(pull), pull.repo
    issue = f"{urls.repo(repo)}/issues/{pull.number}"
    statuses = f"{urls.repo(repo)}/statuses/{pull.head_sha}"
    head_repo = pull.head_repo or repo
    return {
        "url": api,
        "id": pull.id,
        "node_id": node_id("PullRequest", pull.id),
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": issue,
        "number": pull.number,
        "state": pull.state,
        "locked": False,
        "title": pull.title,
        "user": user(pull.user, urls),
        "body": pull.body,
        "created_at": pull.created_at,
        "updated_at": pull.updated_at,
        "closed_at": None,
        "merged_at": None,
        "merge_commit_sha": None,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "labels": [label(pull.repo, name, urls) for name in pull.labels],
        "milestone": None,
        "draft": pull.draft,
        "commits_url": f"{api}/commits",
        "review_comments_url": f"{api}/comments",
        "review_comment_url": f"{urls.repo(repo)}/pulls/comments{{/number}}",
        "comments_url": f"{issue}/comments",
        "statuses_url": statuses,
        "head": branch_ref(head_repo, pull.head_ref, pull.head_sha, urls),
        "base": branch_ref(repo, pull.base_ref, pull.base_sha, urls),
        "_links": {
            k: {"href": v}
            for k, v in [
                ("self", api),
                ("html", html),
                ("issue", issue),
                ("comments", f"{issue}/comments"),
                ("review_comments", f"{api}/comments"),
                ("review_comment", f"{urls.repo(repo)}/pulls/comments{{/number}}"),
                ("commits", f"{api}/commits"),
                ("statuses", statuses),
            ]
        },
        "author_association": state.association(repo, pull.user),
        "auto_merge": None,
        "active_lock_reason": None,
        "merged": False,
        "mergeable": True,
        "rebaseable": True,
        "mergeable_state": "clean",
        "merged_by": None,
        "comments": sum(c.pull is pull for c in state.issue_comments.values()),
        "review_comments": sum(c.pull is pull for c in state.review_comments.values()),
        "maintainer_can_modify": False,
        "commits": 1,
        "additions": sum(f.additions or 0 for f in pull.files),
        "deletions": sum(f.deletions or 0 for f in pull.files),
        "changed_files": len(pull.files),
    }


def issue(pull: PullRequest, state: State, urls: Urls) -> dict:
    """A pull request seen through the issues API (every pull request is an issue)."""
    repo_api = urls.repo(pull.repo)
    api = f"{repo_api}/issues/{pull.number}"
    html = urls.pull_html(pull)
    return {
        "url": api,
        "repository_url": repo_api,
        "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments",
        "events_url": f"{api}/events",
        "html_url": html,
        "id": pull.id + 3_000_000,
        "node_id": node_id("Issue", pull.id + 3_000_000),
        "number": pull.number,
        "title": pull.title,
        "user": user(pull.user, urls),
        "labels": [label(pull.repo, name, urls) for name in pull.labels],
        "state": pull.state,
        "locked": False,
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "comments": sum(c.pull is pull for c in state.issue_comments.values()),
        "created_at": pull.created_at,
        "updated_at": pull.updated_at,
        "closed_at": None,
        "author_association": state.association(pull.repo, pull.user),
        "active_lock_reason": None,
        "draft": pull.draft,
        "pull_request": {
            "url": urls.pull(pull),
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "merged_at": None,
        },
        "body": pull.body,
        "closed_by": None,
        "reactions": reaction_rollup(f"{api}/reactions", []),
        "timeline_url": f"{api}/timeline",
        "performed_via_github_app": None,
        "state_reason": None,
    }


def branch_ref(repo: Repo, ref: str, sha: str, urls: Urls) -> dict:
    return {
        "label": f"{repo.owner.login}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": user(repo.owner, urls),
        "repo": repo_summary(repo, urls),
    }


def diff_entry(f: PullFile, repo: Repo, head_sha: str, urls: Urls) -> dict:
    """A file of a pull request or commit (OpenAPI ``diff-entry``)."""
    path = quote(f.filename)
    web = f"{urls.web}/{repo.full_name}"
    body = {
        "sha": f.sha,
        "filename": f.filename,
        "status": f.status,
        "additions": f.additions,
        "deletions": f.deletions,
        "changes": f.changes,
        "blob_url": f"{web}/blob/{head_sha}/{path}",
        "raw_url": f"{web}/raw/{head_sha}/{path}",
        "contents_url": f"{urls.repo(repo)}/contents/{path}?ref={head_sha}",
    }
    if f.patch is not None:  # absent for binary or very large diffs, as on GitHub
        body["patch"] = f.patch
    if f.previous_filename:
        body["previous_filename"] = f.previous_filename
    return body


def review(r: Review, state: State, urls: Urls) -> dict:
    html = f"{urls.pull_html(r.pull)}#pullrequestreview-{r.id}"
    body = {
        "id": r.id,
        "node_id": node_id("PullRequestReview", r.id),
        "user": user(r.user, urls),
        "body": r.body,
        "state": r.state,
        "html_url": html,
        "pull_request_url": urls.pull(r.pull),
        "author_association": state.association(r.pull.repo, r.user),
        "_links": {"html": {"href": html}, "pull_request": {"href": urls.pull(r.pull)}},
    }
    if r.submitted_at:  # absent while PENDING
        body["submitted_at"] = r.submitted_at
    return body | {"commit_id": r.commit_id}


def reaction_rollup(url: str, reactions: list[Reaction]) -> dict:
    counts = {c: sum(r.content == c for r in reactions) for c in REACTIONS}
    return {"url": url, "total_count": len(reactions)} | counts


def review_comment(c: ReviewComment, state: State, urls: Urls) -> dict:
    api = f"{urls.repo(c.pull.repo)}/pulls/comments/{c.id}"
    html = f"{urls.pull_html(c.pull)}#discussion_r{c.id}"
    body = {
        "url": api,
        "pull_request_review_id": c.review_id,
        "id": c.id,
        "node_id": node_id("PullRequestReviewComment", c.id),
        "diff_hunk": c.diff_hunk,
        "path": c.path,
        "commit_id": c.commit_id,
        "original_commit_id": c.commit_id,
        "user": user(c.user, urls),
        "body": c.body,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "html_url": html,
        "pull_request_url": urls.pull(c.pull),
        "author_association": state.association(c.pull.repo, c.user),
        "_links": {
            "self": {"href": api},
            "html": {"href": html},
            "pull_request": {"href": urls.pull(c.pull)},
        },
        "reactions": reaction_rollup(f"{api}/reactions", state.reactions.get(("pull", c.id), [])),
        "start_line": c.start_line,
        "original_start_line": c.start_line,
        "start_side": c.start_side,
        "line": c.line,
        "original_line": c.line,
        "side": c.side,
        "original_position": c.position,
        "position": c.position,
        "subject_type": c.subject_type,
    }
    if c.in_reply_to_id is not None:  # only replies carry the key
        body["in_reply_to_id"] = c.in_reply_to_id
    return body


def issue_comment(c: IssueComment, state: State, urls: Urls) -> dict:
    api = f"{urls.repo(c.pull.repo)}/issues/comments/{c.id}"
    return {
        "url": api,
        "html_url": f"{urls.pull_html(c.pull)}#issuecomment-{c.id}",
        "issue_url": f"{urls.repo(c.pull.repo)}/issues/{c.pull.number}",
        "id": c.id,
        "node_id": node_id("IssueComment", c.id),
        "user": user(c.user, urls),
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "author_association": state.association(c.pull.repo, c.user),
        "body": c.body,
        "reactions": reaction_rollup(f"{api}/reactions", state.reactions.get(("issue", c.id), [])),
        "performed_via_github_app": None,
    }


def label(repo: Repo, name: str, urls: Urls) -> dict:
    """A label as GitHub returns it; ids are derived from the name, so they are stable."""
    ident = int(hashlib.sha1(f"{repo.full_name}/{name}".encode()).hexdigest()[:8], 16)
    return {
        "id": ident,
        "node_id": node_id("Label", ident),
        "url": f"{urls.api}/repos/{repo.full_name}/labels/{quote(name)}",
        "name": name,
        "color": "ededed",
        "default": False,
        "description": None,
    }


def reaction(r: Reaction, urls: Urls) -> dict:
    return {
        "id": r.id,
        "node_id": node_id("Reaction", r.id),
        "user": user(r.user, urls),
        "content": r.content,
        "created_at": r.created_at,
    }


def app(urls: Urls) -> dict:
    owner = User("github", 9919, "Organization")
    return ACTIONS_APP | {
        "node_id": node_id("App", ACTIONS_APP["id"]),
        "owner": user(owner, urls),
        "description": "Automate your workflow from idea to production",
        "external_url": "https://help.github.com/en/actions",
        "html_url": f"{urls.web}/apps/github-actions",
        "created_at": "2018-07-30T09:30:17Z",
        "updated_at": "2024-04-10T20:33:16Z",
        "permissions": {
            "checks": "write",
            "contents": "write",
            "issues": "write",
            "metadata": "read",
            "pull_requests": "write",
        },
        "events": ["check_run", "check_suite", "pull_request", "push"],
    }


def check_run(run: CheckRun, state: State, urls: Urls) -> dict:
    api = f"{urls.repo(run.repo)}/check-runs/{run.id}"
    pulls = [
        p
        for p in state.pulls.values()
        if p.repo is run.repo and p.head_repo is None and p.head_sha == run.head_sha
    ]
    return {
        "id": run.id,
        "node_id": node_id("CheckRun", run.id),
        "head_sha": run.head_sha,
        "external_id": run.external_id or "",
        "url": api,
        "html_url": f"{urls.web}/{run.repo.full_name}/runs/{run.id}",
        "details_url": run.details_url,
        "status": run.status,
        "conclusion": run.conclusion,
        "started_at": run.started_at,
        "completed_at": run.completed_at,
        "output": {
            "title": run.output.get("title"),
            "summary": run.output.get("summary"),
            "text": run.output.get("text"),
            "annotations_count": len(run.annotations),
            "annotations_url": f"{api}/annotations",
        },
        "name": run.name,
        "check_suite": {"id": run.check_suite_id},
        "app": app(urls),
        "pull_requests": [pull_minimal(p, urls) for p in pulls],
    }


def pull_minimal(pull: PullRequest, urls: Urls) -> dict:
    repo = {"id": pull.repo.id, "url": urls.repo(pull.repo), "name": pull.repo.name}
    return {
        "url": urls.pull(pull),
        "id": pull.id,
        "number": pull.number,
        "head": {"ref": pull.head_ref, "sha": pull.head_sha, "repo": repo},
        "base": {"ref": pull.base_ref, "sha": pull.base_sha, "repo": repo},
    }


def annotation(a: dict, run: CheckRun, urls: Urls) -> dict:
    return {
        "path": a["path"],
        "blob_href": f"{urls.web}/{run.repo.full_name}/blob/{run.head_sha}/{quote(a['path'])}",
        "start_line": a["start_line"],
        "start_column": a.get("start_column"),
        "end_line": a["end_line"],
        "end_column": a.get("end_column"),
        "annotation_level": a["annotation_level"],
        "title": a.get("title"),
        "message": a["message"],
        "raw_details": a.get("raw_details"),
    }


def permission(u: User, role: str, legacy: str, urls: Urls) -> dict:
    flags = permission_flags(role if role in RANKS else legacy)
    collaborator = user(u, urls) | {"permissions": flags, "role_name": role}
    return {"permission": legacy, "role_name": role, "user": collaborator}


def content_entry(
    repo: Repo, path: str, ref: str, sha: str, kind: str, size: int, urls: Urls
) -> dict:
    qpath = quote(path)
    api = f"{urls.repo(repo)}/contents/{qpath}?ref={quote(ref)}"
    git = f"{urls.repo(repo)}/git/{'trees' if kind == 'dir' else 'blobs'}/{sha}"
    html = f"{urls.web}/{repo.full_name}/{'tree' if kind == 'dir' else 'blob'}/{ref}/{qpath}"
    raw = f"{urls.web}/{repo.full_name}/raw/{ref}/{qpath}" if kind == "file" else None
    return {
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "size": size,
        "url": api,
        "html_url": html,
        "git_url": git,
        "download_url": raw,
        "type": kind,
        "_links": {"self": api, "git": git, "html": html},
    }


def wrapped_base64(data: bytes) -> str:
    """GitHub wraps base64 content at 60 characters per line."""
    text = base64.b64encode(data).decode()
    return "".join(text[i : i + 60] + "\n" for i in range(0, len(text), 60))


def content_file(repo: Repo, path: str, ref: str, data: bytes, urls: Urls) -> dict:
    body = content_entry(repo, path, ref, git_hash("blob", data), "file", len(data), urls)
    big = len(data) > 1024 * 1024  # over 1 MB the default media type carries no content
    links = body.pop("_links")
    body |= {
        "content": "" if big else wrapped_base64(data),
        "encoding": "none" if big else "base64",
    }
    return body | {"_links": links}


def blob(repo: Repo, sha: str, data: bytes, urls: Urls) -> dict:
    return {
        "sha": sha,
        "node_id": node_id("Blob", int(sha[:8], 16)),
        "size": len(data),
        "url": f"{urls.repo(repo)}/git/blobs/{sha}",
        "content": wrapped_base64(data),
        "encoding": "base64",
    }


def tree(repo: Repo, tree_sha: str, recursive: bool, urls: Urls) -> dict:
    entries = []
    for path, e in repo.git.walk(tree_sha, recursive):
        entry = {"path": path, "mode": e.mode, "type": e.type, "sha": e.sha}
        if e.type == "blob":
            entry["size"] = len(repo.git.blobs[e.sha])
        entry["url"] = f"{urls.repo(repo)}/git/{e.type}s/{e.sha}"
        entries.append(entry)
    return {
        "sha": tree_sha,
        "url": f"{urls.repo(repo)}/git/trees/{tree_sha}",
        "tree": entries,
        "truncated": False,
    }


def commit(repo: Repo, sha: str, files: list[dict], urls: Urls) -> dict:
    c = repo.git.commits[sha]
    api = f"{urls.repo(repo)}/commits/{sha}"
    who = {"name": "Loopback", "email": "loopback@example.com", "date": "2023-11-14T22:13:20Z"}
    parents = [
        {
            "sha": p,
            "url": f"{urls.repo(repo)}/commits/{p}",
            "html_url": f"{urls.web}/{repo.full_name}/commit/{p}",
        }
        for p in c.parents
    ]
    adds, dels = sum(f["additions"] for f in files), sum(f["deletions"] for f in files)
    return {
        "sha": sha,
        "node_id": node_id("Commit", int(sha[:8], 16)),
        "commit": {
            "author": who,
            "committer": who,
            "message": c.message,
            "tree": {"sha": c.tree, "url": f"{urls.repo(repo)}/git/trees/{c.tree}"},
            "url": f"{urls.repo(repo)}/git/commits/{sha}",
            "comment_count": 0,
            "verification": {
                "verified": False,
                "reason": "unsigned",
                "signature": None,
                "payload": None,
                "verified_at": None,
            },
        },
        "url": api,
        "html_url": f"{urls.web}/{repo.full_name}/commit/{sha}",
        "comments_url": f"{api}/comments",
        "author": None,
        "committer": None,
        "parents": parents,
        "stats": {"total": adds + dels, "additions": adds, "deletions": dels},
        "files": files,
    }


def rate_limit(token: Token) -> dict:
    core = {
        "limit": token.limit,
        "used": token.used,
        "remaining": token.remaining,
        "reset": token.reset,
    }
    others = {
        "search": 30,
        "graphql": 5000,
        "integration_manifest": 5000,
        "source_import": 100,
        "code_scanning_upload": 1000,
        "code_scanning_autofix": 10,
        "actions_runner_registration": 10000,
        "scim": 15000,
        "dependency_snapshots": 100,
        "audit_log": 1750,
        "audit_log_streaming": 15,
        "code_search": 10,
    }
    resources = {"core": core} | {
        name: {"limit": n, "used": 0, "remaining": n, "reset": token.reset}
        for name, n in others.items()
    }
    return {"resources": resources, "rate": core}
