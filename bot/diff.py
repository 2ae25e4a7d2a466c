"""What a change touched: files with their status and, per file, the lines it added.

From local git (`git diff base head`, renames followed) or from a patch text such as the `patch`
of GitHub's pull-request file list. Hunk ranges on the new side are kept because only those
lines can carry an inline review comment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, NamedTuple

from bot.models import Placement
from bot.repo import git

Status = Literal["added", "modified", "renamed", "copied", "deleted"]
_STATUS: dict[str, Status] = {
    "A": "added", "M": "modified", "R": "renamed", "C": "copied", "D": "deleted", "T": "modified",
}  # fmt: skip


class ChangedFile(NamedTuple):
    path: str  # the path at head (for deletions: the path at base)
    status: Status
    old_path: str | None = None  # for renames and copies
    added: frozenset[int] = frozenset()  # head-side lines the change adds
    hunks: tuple[tuple[int, int], ...] = ()  # head-side line ranges shown in the diff
    binary: bool = False
    patch_missing: bool = False  # the forge gave no patch (too large): lines are unknown

    @property
    def base_path(self) -> str:
        return self.old_path or self.path

    def placement(self, line: int) -> Placement:
        return Placement.ADDED_LINE if line in self.added else Placement.CHANGED_FILE

    def hunk_of(self, line: int) -> tuple[int, int] | None:
        return next((h for h in self.hunks if h[0] <= line <= h[1]), None)


def from_git(repo: Path, base: str, head: str) -> list[ChangedFile]:
    """The files changed between two revisions, with the lines added on the head side."""
    opts = ("-M", "--no-color", "--no-ext-diff", "--no-textconv", "--end-of-options")
    names = git(repo, "diff", "--name-status", "-z", *opts, base, head, "--")
    entries = _name_status(names)
    patch = git(repo, "diff", "--unified=3", *opts, base, head, "--")
    lines = _patch_lines(patch.decode("utf-8", "surrogateescape"))
    # git lists files in the same order in both outputs; pair them by position so that no
    # quoting of odd file names (quotes, tabs, non-ASCII) has to be undone.
    files = []
    for (status, old, new), parsed in zip(entries, _pad(lines, len(entries)), strict=True):
        added, hunks, binary = parsed
        files.append(
            ChangedFile(
                path=new,
                status=status,
                old_path=old if status in ("renamed", "copied") else None,
                added=added,
                hunks=hunks,
                binary=binary,
            )
        )
    return files


def _name_status(raw: bytes) -> list[tuple[Status, str, str]]:
    fields = raw.decode("utf-8", "surrogateescape").split("\0")
    out: list[tuple[Status, str, str]] = []
    i = 0
    while i < len(fields) and fields[i]:
        code = fields[i][0]
        status = _STATUS.get(code, "modified")
        if code in "RC":
            out.append((status, fields[i + 1], fields[i + 2]))
            i += 3
        else:
            out.append((status, fields[i + 1], fields[i + 1]))
            i += 2
    return out


_Parsed = tuple[frozenset[int], tuple[tuple[int, int], ...], bool]


def _pad(items: list[_Parsed], n: int) -> list[_Parsed]:
    """Tolerate a patch that parsed into fewer files than git named (never more)."""
    return (items + [(frozenset(), (), False)] * n)[:n]


def _patch_lines(text: str) -> list[_Parsed]:
    from unidiff import PatchSet  # only a review of a change needs it
    from unidiff.errors import UnidiffParseError

    try:
        patch = PatchSet(text)
    except UnidiffParseError:
        return []
    return [_file_lines(f) for f in patch]


def _file_lines(patched) -> _Parsed:  # type: ignore[no-untyped-def]
    added: set[int] = set()
    hunks = []
    for hunk in patched:
        for line in hunk:
            if line.is_added and line.target_line_no:
                added.add(line.target_line_no)
        if hunk.target_length:
            hunks.append((hunk.target_start, hunk.target_start + hunk.target_length - 1))
    return frozenset(added), tuple(hunks), bool(patched.is_binary_file)


def from_patch(
    path: str,
    status: Status,
    patch: str | None,
    old_path: str | None = None,
) -> ChangedFile:
    """A file of a forge's file list, whose `patch` holds only the hunks (no headers)."""
    if patch is None:
        return ChangedFile(path, status, old_path, patch_missing=status != "deleted")
    header = "--- a/file\n+++ b/file\n"
    parsed = _patch_lines(header + patch + ("" if patch.endswith("\n") else "\n"))
    added, hunks, _ = parsed[0] if parsed else (frozenset(), (), False)
    return ChangedFile(path, status, old_path, added, hunks)
