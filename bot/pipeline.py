"""The doors into the engine: a set of files, or a change between two revisions.

Both build the same thing (documents, a knowledge index, optionally the change and the base
versions of modified files) and hand it to `engine.run`. Large whole-tree checks are spread over
the machine's cores; a review of a change is small and runs in one process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from bot import diff, documents, engine
from bot.checks import PullRequestInfo
from bot.config import Settings
from bot.diff import ChangedFile
from bot.index import KnowledgeIndex
from bot.models import Finding
from bot.parallel import fork_map
from bot.repo import GitTree, Tree, WorkTree, is_markdown

PARALLEL_THRESHOLD = 300  # below this many files a process pool costs more than it saves
BATCHES_PER_WORKER = 24  # small enough batches to even out the end, few enough to cost nothing


class Result(NamedTuple):
    findings: list[Finding]
    checked: list[str]  # paths of the files reviewed
    skipped: list[tuple[str, str]]  # (path, why) never read
    changes: dict[str, ChangedFile] | None = None
    label: str = ""


def check_paths(
    root: Path, targets: Sequence[Path], settings: Settings, use_cache: bool = False
) -> Result:
    """Check files and folders of a working tree; `root` is the knowledge base they belong to.

    A file outside `root` (a draft, say) is checked as if it stood at the top of the knowledge
    base, so that its links resolve against it. With `use_cache`, files unchanged since the
    last run keep their findings (bot/cache.py).
    """
    tree = WorkTree(root)
    entries = tree.entries()
    outside = [t for t in targets if not t.resolve().is_relative_to(root.resolve())]
    targets = [t for t in targets if t not in outside]
    drafts = [(t.name, t) for t in outside if t.is_file() and not t.is_symlink()]
    index = KnowledgeIndex([*(e.path for e in entries), *(name for name, _ in drafts)])
    draft_docs = [_parse(name, _read_file(path), settings) for name, path in drafts]
    draft_findings = engine.run(draft_docs, index, settings)
    not_read = [(str(t), "not a regular file") for t in outside if (t.name, t) not in drafts]
    if outside and not targets:
        return Result(draft_findings, [n for n, _ in drafts], not_read, label=str(root))
    prefixes = [_relative(root, t) for t in targets] or [""]
    picked = [
        e.path
        for e in entries
        if is_markdown(e.path)
        and settings.wants(e.path)
        and any(_under(e.path, p) for p in prefixes)
    ]
    skipped = [s for s in tree.skipped if any(_under(s[0], p) for p in prefixes)] + not_read
    run = _run_cached if use_cache else _run_many
    findings = engine.finalize([*run(tree, picked, index, settings), *draft_findings])
    return Result(findings, picked + [n for n, _ in drafts], skipped, label=str(root))


def check_change(
    repo: Path,
    base: str,
    head: str,
    settings: Settings,
    pr: PullRequestInfo | None = None,
) -> Result:
    """Review what changed between two revisions, reading both from git objects."""
    head_tree = GitTree(repo, head)
    base_tree = GitTree(repo, base)
    changes = {c.path: c for c in diff.from_git(repo, base_tree.commit, head_tree.commit)}
    return review_change(head_tree, base_tree, changes, settings, pr)


def review_change(
    head_tree: Tree,
    base_tree: Tree | None,
    changes: dict[str, ChangedFile],
    settings: Settings,
    pr: PullRequestInfo | None = None,
) -> Result:
    """Shared by the local `check --base` and the pull-request review."""
    index = KnowledgeIndex(e.path for e in head_tree.entries())
    # Symlinks and submodules a change adds are reported as skipped and never read.
    skipped = [(path, why) for path, why in head_tree.skipped if path in changes]
    never = {path for path, _ in skipped}
    wanted = [
        c
        for c in changes.values()
        if c.status != "deleted"
        and c.path not in never
        and is_markdown(c.path)
        and settings.wants(c.path)
    ]
    docs = list(read_documents(head_tree, [c.path for c in wanted], settings))
    # The version before the change of each modified or renamed file, for the damage rules;
    # read like any other file (size limit first), keyed by the path it has now.
    bases: dict[str, documents.Document] = {}
    modified = [c for c in wanted if c.status in ("modified", "renamed")]
    if base_tree is not None and modified:
        present = {e.path for e in base_tree.entries()}
        pairs = [(c.base_path, c.path) for c in modified if c.base_path in present]
        olds = read_documents(base_tree, [old for old, _ in pairs], settings)
        bases = {new: doc for (_, new), doc in zip(pairs, olds, strict=True)}
    findings = engine.run(docs, index, settings, changes=changes, bases=bases, pr=pr)
    return Result(findings, [c.path for c in wanted], skipped, changes, label=head_tree.label)


def read_documents(
    tree: Tree, paths: list[str], settings: Settings
) -> Iterator[documents.Document]:
    """Parse files of a tree in order, one at a time; a file over the size limit is never read
    into memory."""
    limit = settings.max_file_bytes
    sizes = tree.sizes()
    contents = tree.read_many([p for p in paths if sizes.get(p, 0) <= limit])
    for path in paths:
        if sizes.get(path, 0) > limit:
            yield documents.oversized(path, sizes[path], limit)
        else:
            read, data = next(contents)
            assert read == path, "read_many answers in the order asked"
            yield _parse(path, data, settings)


def _parse(path: str, data: bytes | None, settings: Settings) -> documents.Document:
    return documents.parse(path, data or b"", settings.max_file_bytes)


# --- whole trees, on every core --------------------------------------------------------------


def _run_many(
    tree: Tree, paths: list[str], index: KnowledgeIndex, settings: Settings
) -> list[Finding]:
    workers = min(os.cpu_count() or 1, 8) if len(paths) >= PARALLEL_THRESHOLD else 1
    if workers > 1:
        index.prepare()  # once here, not once in every worker
    parts = fork_map(
        _run_slice, batches(paths, tree.sizes(), workers), (tree, index, settings), workers
    )
    return [f for part in parts for f in part]  # sorted once, by check_paths


def batches(paths: list[str], sizes: dict[str, int], workers: int) -> list[list[str]]:
    """Paths in batches for the workers to take one by one, largest files first: the last
    batches, taken while the other workers finish theirs, are the quickest."""
    if workers < 2:
        return [paths]
    ordered = sorted(paths, key=lambda p: -sizes.get(p, 0))
    size = max(1, -(-len(paths) // (BATCHES_PER_WORKER * workers)))
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def _run_cached(
    tree: WorkTree, paths: list[str], index: KnowledgeIndex, settings: Settings
) -> list[Finding]:
    """_run_many for the files whose size or mtime changed; the cache for the others."""
    from bot.cache import ResultCache, stamp_of

    cache = ResultCache(tree.root, settings, index.paths)
    stamps = {p: stamp for p in paths if (stamp := stamp_of(tree.root, p)) is not None}
    found: list[Finding] = []
    todo = []
    for path in paths:
        hit = cache.get(path, stamps[path]) if path in stamps else None
        if hit is None:
            todo.append(path)
        else:
            found.extend(hit)
    fresh = _run_many(tree, todo, index, settings)
    by_path: dict[str, list[Finding]] = {p: [] for p in todo if p in stamps}
    for f in fresh:
        if f.path in by_path:
            by_path[f.path].append(f)
    for path, items in by_path.items():
        cache.put(path, stamps[path], items)
    cache.save()
    return found + fresh


def _run_slice(shared: tuple[Tree, KnowledgeIndex, Settings], paths: list[str]) -> list[Finding]:
    tree, index, settings = shared
    return engine.run(read_documents(tree, paths, settings), index, settings)


def _under(path: str, prefix: str) -> bool:
    """Is `path` the file or inside the folder `prefix` ("" or "." is the whole tree)?"""
    return prefix in ("", ".") or path == prefix or path.startswith(prefix.rstrip("/") + "/")


def _read_file(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _relative(root: Path, target: Path) -> str:
    full = target.resolve()
    try:
        return full.relative_to(root.resolve()).as_posix()
    except ValueError:
        return full.as_posix()  # outside the root: matches nothing
