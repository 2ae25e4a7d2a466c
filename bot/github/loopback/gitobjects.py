"""A tiny content-addressed git object store: blobs, trees and commits with real git SHA-1s.

Real hashes keep the fake honest: a blob ``sha`` from the contents API equals the one in the tree
listing and in the pull-request file entry, exactly as on GitHub.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

FILE_MODE, TREE_MODE = "100644", "040000"


def git_hash(kind: str, data: bytes) -> str:
    return hashlib.sha1(f"{kind} {len(data)}\0".encode() + data).hexdigest()


@dataclass(frozen=True)
class Symlink:
    """A symbolic link in a snapshot (mode 120000): its blob holds the target path."""

    target: str


@dataclass(frozen=True)
class Gitlink:
    """A submodule in a snapshot (mode 160000): a commit of another repository."""

    sha: str


def to_bytes(content: str | bytes | Symlink | Gitlink):  # type: ignore[no-untyped-def]
    if isinstance(content, Symlink | Gitlink):
        return content
    return content.encode("utf-8") if isinstance(content, str) else content


@dataclass(frozen=True)
class TreeEntry:
    name: str
    mode: str
    type: str  # "blob" | "tree"
    sha: str


@dataclass(frozen=True)
class Commit:
    sha: str
    tree: str
    parents: tuple[str, ...]
    message: str
    files: dict[str, bytes]  # the full snapshot, path -> content


class GitStore:
    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        self.trees: dict[str, list[TreeEntry]] = {}
        self.commits: dict[str, Commit] = {}

    def add_blob(self, data: bytes) -> str:
        sha = git_hash("blob", data)
        self.blobs[sha] = data
        return sha

    def write_tree(self, files: dict[str, bytes]) -> str:
        """Hash a path -> content snapshot into nested git trees; returns the root tree SHA."""
        nested: dict = {}
        for path, data in files.items():
            node = nested
            *dirs, name = path.split("/")
            for d in dirs:
                node = node.setdefault(d, {})
            node[name] = data
        return self._write_node(nested)

    def _write_node(self, node: dict) -> str:
        entries = []
        for name, value in node.items():
            if isinstance(value, dict):
                entries.append(TreeEntry(name, TREE_MODE, "tree", self._write_node(value)))
            elif isinstance(value, Symlink):
                entries.append(
                    TreeEntry(name, "120000", "blob", self.add_blob(value.target.encode()))
                )
            elif isinstance(value, Gitlink):
                entries.append(TreeEntry(name, "160000", "commit", value.sha))
            else:
                entries.append(TreeEntry(name, FILE_MODE, "blob", self.add_blob(value)))
        # git orders tree entries by name, comparing a directory as if it ended in "/"
        entries.sort(key=lambda e: e.name + ("/" if e.type == "tree" else ""))
        raw = b"".join(
            f"{e.mode.lstrip('0')} {e.name}\0".encode() + bytes.fromhex(e.sha) for e in entries
        )
        sha = git_hash("tree", raw)
        self.trees[sha] = entries
        return sha

    def add_commit(
        self,
        files: dict[str, bytes],
        parents: tuple[str, ...] = (),
        message: str = "commit",
        sha: str | None = None,
    ) -> str:
        tree = self.write_tree(files)
        if sha is None:
            header = f"tree {tree}\n" + "".join(f"parent {p}\n" for p in parents)
            who = "Loopback <loopback@example.com> 1700000000 +0000"
            raw = f"{header}author {who}\ncommitter {who}\n\n{message}\n".encode()
            sha = git_hash("commit", raw)
        self.commits[sha] = Commit(sha, tree, parents, message, dict(files))
        return sha

    def lookup(self, tree_sha: str, path: str) -> TreeEntry | None:
        """The entry at ``path`` below a root tree ("" is the root itself)."""
        entry = TreeEntry("", TREE_MODE, "tree", tree_sha)
        for part in [p for p in path.split("/") if p]:
            if entry.type != "tree":
                return None
            entry = next((e for e in self.trees[entry.sha] if e.name == part), None)
            if entry is None:
                return None
        return entry

    def walk(self, tree_sha: str, recursive: bool, prefix: str = ""):
        """Yield (path, entry) in GitHub's order: a directory, then (if recursive) its content."""
        for entry in self.trees[tree_sha]:
            path = prefix + entry.name
            yield path, entry
            if recursive and entry.type == "tree":
                yield from self.walk(entry.sha, True, path + "/")
