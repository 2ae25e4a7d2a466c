"""Endpoint handlers and the route table. Each handler runs with the state lock held."""

from __future__ import annotations

from . import payloads as P
from .server import Call, Reply, Route
from .state import (
    MAX_LISTED_FILES,
    ApiError,
    IssueComment,
    ReviewComment,
    check_body,
    diff_snapshots,
    invalid_request,
    not_found,
    now_iso,
)

MAX_DIFF_FILES = 300  # the .diff media type refuses larger pull requests (observed)


def _pull(call: Call):
    return call.state.pull(call.repo(), int(call.params["number"]))


def _owned(store: dict, call: Call, key: str = "id"):
    """A comment by id, but only through its own repository's URL."""
    item = store.get(int(call.params[key]))
    if item is None or item.pull.repo is not call.repo():
        raise not_found()
    return item


def _since(items: list, call: Call) -> list:
    since = call.arg("since")
    return [i for i in items if i.updated_at >= since] if since else items


# ---- users, limits, repositories ------------------------------------------------------------
def get_user(call: Call) -> Reply:
    if call.token.installation:  # GITHUB_TOKEN and app installation tokens cannot read /user
        raise ApiError(403, {"message": "Resource not accessible by integration"})
    return Reply(200, P.authenticated_user(call.token.user, call.urls))


def get_rate_limit(call: Call) -> Reply:
    return Reply(200, P.rate_limit(call.token))


def get_repo(call: Call) -> Reply:
    repo = call.repo()
    return Reply(200, P.repo_full(repo, call.state.role_of(repo, call.token.user.login), call.urls))


def get_permission(call: Call) -> Reply:
    repo, login = call.repo(), call.params["user"]
    user = call.state.users.get(login)
    if user is None:
        raise not_found()
    role = call.state.role_of(repo, login)
    legacy = call.state.legacy_permission(repo, role)
    return Reply(200, P.permission(user, role, legacy, call.urls))


# ---- pull requests ----------------------------------------------------------------------------
def get_pull(call: Call) -> Reply:
    pull = _pull(call)
    accept = call.headers.get("Accept") or ""
    if accept.endswith(".diff"):
        return pull_diff(call, pull, accept)
    return Reply(200, P.pull_request(pull, call.state, call.urls))


def pull_diff(call: Call, pull, accept: str) -> Reply:
    if len(pull.files) > MAX_DIFF_FILES:
        raise ApiError(
            406,
            {
                "message": "Sorry, the diff exceeded the maximum number of files (300). Consider "
                "using 'List pull requests files' API or locally cloning the "
                "repository instead.",
                "errors": [{"resource": "PullRequest", "field": "diff", "code": "too_large"}],
            },
        )
    parts = []
    for f in pull.files:
        old = f.previous_filename or f.filename
        parts.append(
            f"diff --git a/{old} b/{f.filename}\n--- a/{old}\n+++ b/{f.filename}\n{f.patch or ''}\n"
        )
    return Reply(200, "".join(parts).encode(), content_type=f"{accept}; charset=utf-8")


def list_pull_files(call: Call) -> Reply:
    pull = _pull(call)
    return call.paginate(
        pull.files[:MAX_LISTED_FILES],
        lambda f: P.diff_entry(f, pull.repo, pull.head_sha, call.urls),
    )


def list_reviews(call: Call) -> Reply:
    pull = _pull(call)
    reviews = sorted((r for r in call.state.reviews.values() if r.pull is pull), key=lambda r: r.id)
    return call.paginate(reviews, lambda r: P.review(r, call.state, call.urls))


def create_review(call: Call) -> Reply:
    review = call.state.create_review(_pull(call), call.token, call.body or {})
    return Reply(200, P.review(review, call.state, call.urls))


def _review(call: Call):
    review = call.state.reviews.get(int(call.params["id"]))
    if review is None or review.pull is not _pull(call):
        raise not_found()
    return review


def get_review(call: Call) -> Reply:
    return Reply(200, P.review(_review(call), call.state, call.urls))


def update_review(call: Call) -> Reply:
    review = _review(call)
    review.body = check_body((call.body or {}).get("body"), "PullRequestReview")
    return Reply(200, P.review(review, call.state, call.urls))


def list_review_comments_of_review(call: Call) -> Reply:
    review = _review(call)
    comments = sorted(
        (c for c in call.state.review_comments.values() if c.review_id == review.id),
        key=lambda c: c.id,
    )
    return call.paginate(comments, lambda c: P.review_comment(c, call.state, call.urls))


# ---- review comments ------------------------------------------------------------------------
def list_pull_comments(call: Call) -> Reply:
    pull = _pull(call)
    comments = [c for c in call.state.review_comments.values() if c.pull is pull]
    key = "updated_at" if call.arg("sort") == "updated" else "created_at"
    comments.sort(key=lambda c: (getattr(c, key), c.id), reverse=call.arg("direction") == "desc")
    return call.paginate(
        _since(comments, call), lambda c: P.review_comment(c, call.state, call.urls)
    )


def create_pull_comment(call: Call) -> Reply:
    comment = call.state.create_review_comment(_pull(call), call.token.user, call.body or {})
    return _created(P.review_comment(comment, call.state, call.urls))


def reply_pull_comment(call: Call) -> Reply:
    body = (call.body or {}).get("body")
    comment = call.state.reply(_pull(call), call.token.user, int(call.params["id"]), body)
    return _created(P.review_comment(comment, call.state, call.urls))


def get_review_comment(call: Call) -> Reply:
    comment = _owned(call.state.review_comments, call)
    return Reply(200, P.review_comment(comment, call.state, call.urls))


def edit_review_comment(call: Call) -> Reply:
    comment = _owned(call.state.review_comments, call)
    _edit(comment, call, "PullRequestReviewComment")
    return Reply(200, P.review_comment(comment, call.state, call.urls))


def delete_review_comment(call: Call) -> Reply:
    del call.state.review_comments[_owned(call.state.review_comments, call).id]
    return Reply(204)


def _edit(comment: ReviewComment | IssueComment, call: Call, resource: str) -> None:
    comment.body = check_body((call.body or {}).get("body"), resource)
    comment.updated_at = now_iso()


def _created(body: dict) -> Reply:
    return Reply(201, body, {"Location": body["url"]})


# ---- issue comments and reactions -----------------------------------------------------------
def get_issue(call: Call) -> Reply:
    return Reply(200, P.issue(_pull(call), call.state, call.urls))


def list_labels(call: Call) -> Reply:
    pull = _pull(call)
    return call.paginate(list(pull.labels), lambda n: P.label(pull.repo, n, call.urls))


def add_labels(call: Call) -> Reply:
    """POST adds to the pull request's labels; every label returned, as GitHub does."""
    pull = _pull(call)
    body = call.body
    names = body.get("labels") if isinstance(body, dict) else body
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise invalid_request('No subschema in "anyOf" matched.')
    for name in names:
        if name not in pull.labels:
            pull.labels.append(name)
    return Reply(200, [P.label(pull.repo, n, call.urls) for n in pull.labels])


def remove_label(call: Call) -> Reply:
    pull = _pull(call)
    name = call.params["name"]
    if name not in pull.labels:
        raise ApiError(404, {"message": "Label does not exist"})
    pull.labels.remove(name)
    return Reply(200, [P.label(pull.repo, n, call.urls) for n in pull.labels])


def list_issue_comments(call: Call) -> Reply:
    pull = _pull(call)
    comments = sorted(
        (c for c in call.state.issue_comments.values() if c.pull is pull), key=lambda c: c.id
    )
    return call.paginate(
        _since(comments, call), lambda c: P.issue_comment(c, call.state, call.urls)
    )


def create_issue_comment(call: Call) -> Reply:
    body = (call.body or {}).get("body")
    comment = call.state.create_issue_comment(_pull(call), call.token.user, body)
    return _created(P.issue_comment(comment, call.state, call.urls))


def get_issue_comment(call: Call) -> Reply:
    comment = _owned(call.state.issue_comments, call)
    return Reply(200, P.issue_comment(comment, call.state, call.urls))


def edit_issue_comment(call: Call) -> Reply:
    comment = _owned(call.state.issue_comments, call)
    _edit(comment, call, "IssueComment")
    return Reply(200, P.issue_comment(comment, call.state, call.urls))


def delete_issue_comment(call: Call) -> Reply:
    del call.state.issue_comments[_owned(call.state.issue_comments, call).id]
    return Reply(204)


def _reaction_target(call: Call) -> tuple[str, int]:
    kind = "issue" if "/issues/" in call.path else "pull"
    store = call.state.issue_comments if kind == "issue" else call.state.review_comments
    return kind, _owned(store, call).id


def list_reactions(call: Call) -> Reply:
    reactions = call.state.reactions.get(_reaction_target(call), [])
    content = call.arg("content")
    reactions = [r for r in reactions if content in (None, r.content)]
    return call.paginate(reactions, lambda r: P.reaction(r, call.urls))


def create_reaction(call: Call) -> Reply:
    kind, comment_id = _reaction_target(call)
    content = (call.body or {}).get("content")
    reaction, created = call.state.react(kind, comment_id, call.token.user, content)
    return Reply(201 if created else 200, P.reaction(reaction, call.urls))


def delete_reaction(call: Call) -> Reply:
    reactions = call.state.reactions.get(_reaction_target(call), [])
    wanted = int(call.params["reaction_id"])
    if not any(r.id == wanted for r in reactions):
        raise not_found()
    reactions[:] = [r for r in reactions if r.id != wanted]
    return Reply(204)


# ---- check runs -----------------------------------------------------------------------------
def create_check_run(call: Call) -> Reply:
    run = call.state.create_check_run(call.repo(), call.body or {})
    return _created(P.check_run(run, call.state, call.urls))


def _check_run(call: Call):
    run = call.state.check_runs.get(int(call.params["id"]))
    if run is None or run.repo is not call.repo():
        raise not_found()
    return run


def get_check_run(call: Call) -> Reply:
    return Reply(200, P.check_run(_check_run(call), call.state, call.urls))


def update_check_run(call: Call) -> Reply:
    run = call.state.update_check_run(_check_run(call), call.body or {})
    return Reply(200, P.check_run(run, call.state, call.urls))


def list_annotations(call: Call) -> Reply:
    run = _check_run(call)
    return call.paginate(run.annotations, lambda a: P.annotation(a, run, call.urls))


def list_check_runs_for_ref(call: Call) -> Reply:
    repo = call.repo()
    sha = repo.resolve(call.params["ref"])
    runs = [
        r
        for r in call.state.check_runs.values()
        if r.repo is repo
        and repo.resolve(r.head_sha) == sha
        and call.arg("check_name") in (None, r.name)
        and call.arg("status") in (None, r.status)
    ]
    return Reply(
        200,
        {
            "total_count": len(runs),
            "check_runs": [P.check_run(r, call.state, call.urls) for r in runs],
        },
    )


# ---- git data and contents ------------------------------------------------------------------
def _commit(call: Call, ref: str):
    repo = call.repo()
    sha = repo.resolve(ref)
    if sha is None:
        raise ApiError(404, {"message": f"No commit found for the ref {ref}"})
    return repo, repo.git.commits[sha]


def get_commit(call: Call) -> Reply:
    repo, commit = _commit(call, call.params["ref"])
    parent = repo.git.commits.get(commit.parents[0]) if commit.parents else None
    files = diff_snapshots(parent.files if parent else {}, commit.files)
    entries = [P.diff_entry(f, repo, commit.sha, call.urls) for f in files[:MAX_DIFF_FILES]]
    return Reply(200, P.commit(repo, commit.sha, entries, call.urls))


def compare(call: Call) -> Reply:
    """`base...head`: the merge base, and how far each side moved since (files capped)."""
    base_ref, sep, head_ref = call.params["basehead"].partition("...")
    if not sep:
        raise not_found()
    repo, base = _commit(call, base_ref)
    _, head = _commit(call, head_ref)
    ahead = _ancestors(repo, head.sha)
    behind = _ancestors(repo, base.sha)
    merge_base = next((sha for sha in behind if sha in ahead), base.sha)
    ahead_by = sum(1 for sha in ahead if sha not in behind)
    behind_by = sum(1 for sha in behind if sha not in ahead)
    status = (
        "identical"
        if head.sha == base.sha
        else "ahead"
        if not behind_by
        else "behind"
        if not ahead_by
        else "diverged"
    )
    files = diff_snapshots(repo.git.commits[merge_base].files, head.files)
    entries = [P.diff_entry(f, repo, head.sha, call.urls) for f in files[:MAX_DIFF_FILES]]
    api = f"{call.urls.repo(repo)}/compare/{base_ref}...{head_ref}"
    web = f"{call.urls.web}/{repo.full_name}/compare/{base_ref}...{head_ref}"
    return Reply(
        200,
        {
            "url": api,
            "html_url": web,
            "permalink_url": web,
            "diff_url": f"{web}.diff",
            "patch_url": f"{web}.patch",
            "base_commit": P.commit(repo, base.sha, [], call.urls),
            "merge_base_commit": P.commit(repo, merge_base, [], call.urls),
            "status": status,
            "ahead_by": ahead_by,
            "behind_by": behind_by,
            "total_commits": ahead_by,
            "commits": [
                P.commit(repo, sha, [], call.urls) for sha in reversed(ahead) if sha not in behind
            ],
            "files": entries,
        },
    )


def _ancestors(repo, sha: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The commit and its ancestors, nearest first (breadth first)."""
    seen, queue, order = {sha}, [sha], []
    while queue:
        current = queue.pop(0)
        order.append(current)
        for parent in repo.git.commits[current].parents:
            if parent not in seen and parent in repo.git.commits:
                seen.add(parent)
                queue.append(parent)
    return order


def get_contents(call: Call) -> Reply:
    ref = call.arg("ref") or call.repo().default_branch
    repo, commit = _commit(call, ref)
    path = call.params["path"].strip("/")
    entry = repo.git.lookup(commit.tree, path)
    if entry is None:
        raise not_found()
    if entry.type == "blob":
        data = repo.git.blobs[entry.sha]
        accept = call.headers.get("Accept") or ""
        if ".raw" in accept:  # raw media type: the bytes themselves
            return Reply(200, data, content_type=f"{accept.split(',')[0]}; charset=utf-8")
        return Reply(200, P.content_file(repo, path, ref, data, call.urls))
    listing = []
    for child in repo.git.trees[entry.sha]:
        child_path = f"{path}/{child.name}" if path else child.name
        kind, size = (
            ("file", len(repo.git.blobs[child.sha])) if child.type == "blob" else ("dir", 0)
        )
        listing.append(P.content_entry(repo, child_path, ref, child.sha, kind, size, call.urls))
    return Reply(200, listing)


def get_tree(call: Call) -> Reply:
    repo, ref = call.repo(), call.params["sha"]
    tree_sha = ref if ref in repo.git.trees else None
    if tree_sha is None and (sha := repo.resolve(ref)):
        tree_sha = repo.git.commits[sha].tree
    if tree_sha is None:
        raise not_found()
    recursive = call.arg("recursive") not in (None, "", "0", "false")
    return Reply(200, P.tree(repo, tree_sha, recursive, call.urls))


def get_blob(call: Call) -> Reply:
    repo, sha = call.repo(), call.params["sha"]
    if sha not in repo.git.blobs:
        raise not_found()
    return Reply(200, P.blob(repo, sha, repo.git.blobs[sha], call.urls))


# ---- the table ------------------------------------------------------------------------------
R = "/repos/{owner}/{repo}"
PR = f"{R}/pulls/{{number}}"
ROUTES = [
    Route("GET", "/user", get_user, "users/users#get-the-authenticated-user"),
    Route(
        "GET",
        "/rate_limit",
        get_rate_limit,
        "rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user",
    ),
    Route("GET", R, get_repo, "repos/repos#get-a-repository", "metadata=read"),
    Route(
        "GET",
        f"{R}/collaborators/{{user}}/permission",
        get_permission,
        "collaborators/collaborators#get-repository-permissions-for-a-user",
        "metadata=read",
    ),
    Route(
        "GET", PR, get_pull, "pulls/pulls#get-a-pull-request", "pull_requests=read; contents=read"
    ),
    Route(
        "GET",
        f"{PR}/files",
        list_pull_files,
        "pulls/pulls#list-pull-requests-files",
        "pull_requests=read; contents=read",
    ),
    Route(
        "GET",
        f"{PR}/reviews",
        list_reviews,
        "pulls/reviews#list-reviews-for-a-pull-request",
        "pull_requests=read",
    ),
    Route(
        "POST",
        f"{PR}/reviews",
        create_review,
        "pulls/reviews#create-a-review-for-a-pull-request",
        "pull_requests=write",
    ),
    Route(
        "GET",
        f"{PR}/reviews/{{id}}",
        get_review,
        "pulls/reviews#get-a-review-for-a-pull-request",
        "pull_requests=read",
    ),
    Route(
        "PUT",
        f"{PR}/reviews/{{id}}",
        update_review,
        "pulls/reviews#update-a-review-for-a-pull-request",
        "pull_requests=write",
    ),
    Route(
        "GET",
        f"{PR}/reviews/{{id}}/comments",
        list_review_comments_of_review,
        "pulls/reviews#list-comments-for-a-pull-request-review",
        "pull_requests=read",
    ),
    Route(
        "GET",
        f"{PR}/comments",
        list_pull_comments,
        "pulls/comments#list-review-comments-on-a-pull-request",
        "pull_requests=read",
    ),
    Route(
        "POST",
        f"{PR}/comments",
        create_pull_comment,
        "pulls/comments#create-a-review-comment-for-a-pull-request",
        "pull_requests=write",
    ),
    Route(
        "POST",
        f"{PR}/comments/{{id}}/replies",
        reply_pull_comment,
        "pulls/comments#create-a-reply-for-a-review-comment",
        "pull_requests=write",
    ),
    Route(
        "GET",
        f"{R}/pulls/comments/{{id}}",
        get_review_comment,
        "pulls/comments#get-a-review-comment-for-a-pull-request",
        "pull_requests=read",
    ),
    Route(
        "PATCH",
        f"{R}/pulls/comments/{{id}}",
        edit_review_comment,
        "pulls/comments#update-a-review-comment-for-a-pull-request",
        "pull_requests=write",
    ),
    Route(
        "DELETE",
        f"{R}/pulls/comments/{{id}}",
        delete_review_comment,
        "pulls/comments#delete-a-review-comment-for-a-pull-request",
        "pull_requests=write",
    ),
    Route(
        "GET",
        f"{R}/issues/{{number}}",
        get_issue,
        "issues/issues#get-an-issue",
        "issues=read; pull_requests=read",
    ),
    Route(
        "GET",
        f"{R}/issues/{{number}}/labels",
        list_labels,
        "issues/labels#list-labels-for-an-issue",
        "issues=read",
    ),
    Route(
        "POST",
        f"{R}/issues/{{number}}/labels",
        add_labels,
        "issues/labels#add-labels-to-an-issue",
        "issues=write",
    ),
    Route(
        "DELETE",
        f"{R}/issues/{{number}}/labels/{{name}}",
        remove_label,
        "issues/labels#remove-a-label-from-an-issue",
        "issues=write",
    ),
    Route(
        "GET",
        f"{R}/issues/{{number}}/comments",
        list_issue_comments,
        "issues/comments#list-issue-comments",
        "issues=read; pull_requests=read",
    ),
    Route(
        "POST",
        f"{R}/issues/{{number}}/comments",
        create_issue_comment,
        "issues/comments#create-an-issue-comment",
        "issues=write; pull_requests=write",
    ),
    Route(
        "GET",
        f"{R}/issues/comments/{{id}}",
        get_issue_comment,
        "issues/comments#get-an-issue-comment",
        "issues=read; pull_requests=read",
    ),
    Route(
        "PATCH",
        f"{R}/issues/comments/{{id}}",
        edit_issue_comment,
        "issues/comments#update-an-issue-comment",
        "issues=write; pull_requests=write",
    ),
    Route(
        "DELETE",
        f"{R}/issues/comments/{{id}}",
        delete_issue_comment,
        "issues/comments#delete-an-issue-comment",
        "issues=write; pull_requests=write",
    ),
]
for _kind, _doc, _perm in [
    ("issues", "issue-comment", "issues"),
    ("pulls", "pull-request-review-comment", "pull_requests"),
]:
    _base = f"{R}/{_kind}/comments/{{id}}/reactions"
    ROUTES += [
        Route(
            "GET",
            _base,
            list_reactions,
            f"reactions/reactions#list-reactions-for-an-{_doc}",
            f"{_perm}=read",
        ),
        Route(
            "POST",
            _base,
            create_reaction,
            f"reactions/reactions#create-reaction-for-an-{_doc}",
            f"{_perm}=write",
        ),
        Route(
            "DELETE",
            f"{_base}/{{reaction_id}}",
            delete_reaction,
            f"reactions/reactions#delete-an-{_doc}-reaction",
            f"{_perm}=write",
        ),
    ]
ROUTES += [
    Route(
        "POST",
        f"{R}/check-runs",
        create_check_run,
        "checks/runs#create-a-check-run",
        "checks=write",
    ),
    Route(
        "GET", f"{R}/check-runs/{{id}}", get_check_run, "checks/runs#get-a-check-run", "checks=read"
    ),
    Route(
        "PATCH",
        f"{R}/check-runs/{{id}}",
        update_check_run,
        "checks/runs#update-a-check-run",
        "checks=write",
    ),
    Route(
        "GET",
        f"{R}/check-runs/{{id}}/annotations",
        list_annotations,
        "checks/runs#list-check-run-annotations",
        "checks=read",
    ),
    Route(
        "GET",
        f"{R}/commits/{{ref}}/check-runs",
        list_check_runs_for_ref,
        "checks/runs#list-check-runs-for-a-git-reference",
        "checks=read",
    ),
    Route(
        "GET", f"{R}/commits/{{ref}}", get_commit, "commits/commits#get-a-commit", "contents=read"
    ),
    Route(
        "GET",
        f"{R}/compare/{{basehead}}",
        compare,
        "commits/commits#compare-two-commits",
        "contents=read",
    ),
    Route(
        "GET",
        f"{R}/contents/{{path}}",
        get_contents,
        "repos/contents#get-repository-content",
        "contents=read",
    ),
    Route("GET", f"{R}/git/trees/{{sha}}", get_tree, "git/trees#get-a-tree", "contents=read"),
    Route("GET", f"{R}/git/blobs/{{sha}}", get_blob, "git/blobs#get-a-blob", "contents=read"),
]
