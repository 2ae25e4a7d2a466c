"""The pull request's change and its knowledge base, read through the API as data.

Used when the checkout does not hold both commits (a fork pull request under
`pull_request_target`, where the pull request's code must never be checked out). The file list
gives the patches (at most 3,000 files, no `patch` for large or binary files); the two git trees
give every path, so files past the cap are still found.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bot.diff import ChangedFile, Status, from_patch
from bot.repo import Entry, Listing

FILE_LIST_CAP = 3000
_STATUS: dict[str, Status] = {
    "added": "added", "removed": "deleted", "modified": "modified", "renamed": "renamed",
    "copied": "copied", "changed": "modified", "unchanged": "modified",
}  # fmt: skip


@dataclass
class ApiTree(Listing):
    """One commit's files through the git trees and blobs API (symlinks, submodules skipped)."""

    repo: Any  # github.Repository.Repository
    sha: str
    label: str = ""
    _blobs: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.label = self.label or self.sha[:12]

    def _list(self) -> list[Entry]:
        found: list[Entry] = []
        self._walk(self.sha, "", found)
        return found

    def _walk(self, sha: str, prefix: str, found: list[Entry]) -> None:
        tree = self.repo.get_git_tree(sha, recursive=True)
        if tree.raw_data.get("truncated"):
            # Over GitHub's limit for one recursive listing: list each folder on its own.
            for item in self.repo.get_git_tree(sha, recursive=False).tree:
                self._add(item, prefix, found)
                if item.type == "tree":
                    self._walk(item.sha, f"{prefix}{item.path}/", found)
            return
        for item in tree.tree:
            self._add(item, prefix, found)

    def _add(self, item: Any, prefix: str, found: list[Entry]) -> None:
        path = f"{prefix}{item.path}"
        if item.type == "commit":
            self._skipped.append((path, "submodule"))
        elif item.mode == "120000":
            self._skipped.append((path, "symbolic link"))
        elif item.type == "blob":
            self._blobs[path] = item.sha
            found.append(Entry(path, int(item.size or 0)))

    def blob_id(self, path: str) -> str | None:
        self.entries()
        return self._blobs.get(path)

    def read_many(self, paths: Iterable[str]) -> Iterator[tuple[str, bytes | None]]:
        for path in paths:
            blob = self.blob_id(path)
            if blob is None:
                yield path, None
                continue
            data = self.repo.get_git_blob(blob)
            yield (
                path,
                base64.b64decode(data.content or b"")
                if data.encoding == "base64"
                else ((data.content or "").encode("utf-8")),
            )


def changes_from_api(
    pull: Any, head: ApiTree, base: ApiTree
) -> tuple[dict[str, ChangedFile], list[str]]:
    """The changed files, and notes on what GitHub's file list left out."""
    changes: dict[str, ChangedFile] = {}
    listed = 0
    for item in pull.get_files():
        listed += 1
        status = _STATUS.get(item.status, "modified")
        path = item.filename
        changes[path] = from_patch(path, status, item.patch, item.previous_filename)
    notes = []
    if pull.changed_files > listed:
        # GitHub lists at most 3,000 files; the two trees say what else differs.
        extra = _tree_difference(head, base, set(changes))
        changes.update(extra)
        notes.append(
            f"GitHub lists {listed:,} of the {pull.changed_files:,} changed files; the other "
            f"{len(extra):,} were found by comparing the trees (reviewed, without inline comments)."
        )
    return changes, notes


def _tree_difference(head: ApiTree, base: ApiTree, known: set[str]) -> dict[str, ChangedFile]:
    out: dict[str, ChangedFile] = {}
    head_paths = {e.path for e in head.entries()}
    for entry in head.entries():
        if entry.path in known:
            continue
        old = base.blob_id(entry.path)
        if old != head.blob_id(entry.path):
            status: Status = "added" if old is None else "modified"
            out[entry.path] = ChangedFile(entry.path, status, patch_missing=True)
    for entry in base.entries():
        if entry.path not in head_paths and entry.path not in known:
            out[entry.path] = ChangedFile(entry.path, "deleted")
    return out
