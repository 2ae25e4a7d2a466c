"""Read a knowledge base as data: a working tree, or any git revision straight from git objects.

Only regular files inside the repository are ever read. Symlinks and submodules are listed as
skipped (a pull request can add a link to `/etc/passwd` or to the runner's token file), and git
is run with hooks, fsmonitor, textconv and external diff drivers out of the way, so nothing from
the repository under review is executed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Protocol

# Configuration a hostile repository could set to run a program when git reads it.
_SAFE_GIT = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.quotePath=false",
    "-c", "diff.external=",
    "-c", "protocol.allow=never",
)  # fmt: skip


class GitError(RuntimeError):
    pass


def git(repo: Path, *args: str, input: bytes | None = None) -> bytes:
    import subprocess  # here: a check of the working tree never runs git

    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    proc = subprocess.run(
        ["git", *_SAFE_GIT, "-C", str(repo), *args],
        input=input,
        capture_output=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return proc.stdout


def toplevel(path: Path) -> Path | None:
    """The repository `path` is in: the nearest folder holding `.git` (a folder, or the file
    of a worktree or submodule), found without starting git."""
    start = path.resolve()
    for folder in (start, *start.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return None


class Entry(NamedTuple):
    path: str  # repository-relative, POSIX separators
    size: int


class Tree(Protocol):
    """A snapshot of a repository's files."""

    label: str

    def entries(self) -> list[Entry]: ...

    def sizes(self) -> dict[str, int]:
        """Path -> size in bytes of every listed file."""
        ...

    def read_many(self, paths: Iterable[str]) -> Iterator[tuple[str, bytes | None]]:
        """(path, bytes or None) for each path, in the order asked."""
        ...

    @property
    def skipped(self) -> list[tuple[str, str]]: ...  # (path, why) never read


@dataclass
class Listing:
    """A tree that lists its files once, noting on the way what it will never read."""

    _skipped: list[tuple[str, str]] = field(default_factory=list, init=False, repr=False)
    _entries: list[Entry] | None = field(default=None, init=False, repr=False)
    _sizes: dict[str, int] | None = field(default=None, init=False, repr=False)

    @property
    def skipped(self) -> list[tuple[str, str]]:
        self.entries()
        return self._skipped

    def entries(self) -> list[Entry]:
        if self._entries is None:
            self._entries = self._list()
        return self._entries

    def sizes(self) -> dict[str, int]:
        if self._sizes is None:
            self._sizes = {e.path: e.size for e in self.entries()}
        return self._sizes

    def _list(self) -> list[Entry]:
        raise NotImplementedError


def _read_all(fd: int, size: int) -> bytes:
    """Everything in a file: first a read of the size fstat gave, then to the end."""
    chunks: list[bytes] = []
    while chunk := os.read(fd, size + 1 if not chunks else 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass
class WorkTree(Listing):
    """The files on disk below `root`, without following links out of it."""

    root: Path
    label: str = "working tree"
    # (device, inode) of each listed file: reading checks that it opened the very file the
    # listing found inside the root, which no path resolution on every read has to re-prove.
    _identity: dict[str, tuple[int, int]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self._prefix = os.path.join(self.root, "")  # joined as text: a Path per file costs more

    def _list(self) -> list[Entry]:
        return list(self._walk(self.root, ""))

    def _walk(self, folder: Path, prefix: str) -> Iterator[Entry]:
        try:
            items = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            self._skipped.append((prefix or ".", f"unreadable folder: {exc.strerror}"))
            return
        for item in items:
            rel = f"{prefix}{item.name}"
            if item.is_symlink():
                self._skipped.append((rel, "symbolic link"))
            elif item.is_dir(follow_symlinks=False):
                if item.name in (".git", ".claim-review-cache"):  # git's data, and our cache
                    continue
                if prefix and os.path.lexists(os.path.join(item.path, ".git")):
                    self._skipped.append((rel, "submodule or nested repository"))
                    continue
                yield from self._walk(Path(item.path), rel + "/")
            elif item.is_file(follow_symlinks=False):
                st = item.stat(follow_symlinks=False)
                self._identity[rel] = (st.st_dev, st.st_ino)
                yield Entry(rel, st.st_size)

    def read_many(self, paths: Iterable[str]) -> Iterator[tuple[str, bytes | None]]:
        for path in paths:
            yield path, self.read(path)

    def read(self, path: str) -> bytes | None:
        """The bytes of a regular file inside the root; None for anything else."""
        self.entries()
        known = self._identity.get(path)
        if known is not None:
            # O_NOFOLLOW refuses a final link; a link on the way would lead to another inode.
            found = _read_regular(self._prefix + path)
            if found is not None and found[1] == known:
                return found[0]
        # Not listed, or no longer the listed file (or a system that gives no inodes when
        # listing): prove that the path stays inside, link by link.
        full = (self.root / path).resolve(strict=False)
        if not full.is_relative_to(self.root):
            return None
        found = _read_regular(full)
        return found[0] if found is not None else None


def _read_regular(path: str | Path) -> tuple[bytes, tuple[int, int]] | None:
    """A regular file's bytes and (device, inode), never through a final symbolic link."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        return _read_all(fd, st.st_size), (st.st_dev, st.st_ino)
    finally:
        os.close(fd)


@dataclass
class GitTree(Listing):
    """The files of one git revision, read from the object database (no checkout)."""

    repo: Path
    rev: str
    label: str = ""
    _blobs: dict[str, str] = field(default_factory=dict, init=False, repr=False)  # path -> blob

    def __post_init__(self) -> None:
        self.commit = (
            git(self.repo, "rev-parse", "--verify", "--end-of-options", f"{self.rev}^{{commit}}")
            .decode()
            .strip()
        )
        self.label = self.label or self.rev

    def _list(self) -> list[Entry]:
        out = git(self.repo, "ls-tree", "-r", "-z", "-l", "--full-tree", self.commit)
        entries = []
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            mode, kind, blob, size = meta.split()
            path = raw_path.decode("utf-8", "surrogateescape")
            if kind != b"blob":
                self._skipped.append((path, "submodule"))
            elif mode == b"120000":
                self._skipped.append((path, "symbolic link"))
            else:
                self._blobs[path] = blob.decode()
                entries.append(Entry(path, int(size)))
        return entries

    def read_many(self, paths: Iterable[str]) -> Iterator[tuple[str, bytes | None]]:
        """Stream blobs through one `git cat-file --batch` process."""
        import subprocess
        import threading

        self.entries()
        wanted = [(p, self._blobs.get(p)) for p in paths]
        ids = [blob for _, blob in wanted if blob]
        if not ids:
            yield from ((p, None) for p, _ in wanted)
            return
        proc = subprocess.Popen(
            ["git", *_SAFE_GIT, "-C", str(self.repo), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdin is not None and proc.stdout is not None

        def feed() -> None:  # in a thread: a full stdout pipe must not block our writes
            try:
                proc.stdin.write(b"".join(blob.encode() + b"\n" for blob in ids))  # type: ignore[union-attr]
                proc.stdin.close()  # type: ignore[union-attr]
            except BrokenPipeError:
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        try:
            for path, blob in wanted:
                if not blob:
                    yield path, None
                    continue
                header = proc.stdout.readline().split()
                if len(header) != 3:
                    yield path, None
                    continue
                data = proc.stdout.read(int(header[2]))
                proc.stdout.read(1)  # the newline after each object
                yield path, data
        finally:
            proc.stdout.close()
            proc.kill()
            proc.wait()
            writer.join()


def is_markdown(path: str) -> bool:
    return path.lower().endswith(".md")
