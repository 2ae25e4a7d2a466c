"""Unified-diff hunks as GitHub serves them in a pull-request file's ``patch``.

GitHub anchors review comments to these hunks: a ``line`` on the RIGHT side must be an added or
context line of some hunk (new-file numbering), on the LEFT side a deleted or context line
(old-file numbering); a ``start_line..line`` range must stay inside one hunk; the legacy
``position`` counts diff lines below the first ``@@`` header, later headers included.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class DiffLine:
    kind: str  # " " context, "+" added, "-" deleted, "\\" no-newline marker, "@" hunk header
    old: int | None  # line number in the base file (LEFT side)
    new: int | None  # line number in the head file (RIGHT side)
    position: int  # 0 for the first header, then 1, 2, ... through later hunks
    text: str


@dataclass
class Hunk:
    index: int
    lines: list[DiffLine] = field(default_factory=list)  # lines[0] is the header

    def find(self, line: int, side: str) -> DiffLine | None:
        for dl in self.lines:
            if side == "RIGHT" and dl.kind in " +" and dl.new == line:
                return dl
            if side == "LEFT" and dl.kind in " -" and dl.old == line:
                return dl
        return None

    def text_until(self, target: DiffLine) -> str:
        """GitHub's ``diff_hunk``: the hunk from its header down to the commented line."""
        out = []
        for dl in self.lines:
            out.append(dl.text)
            if dl is target:
                break
        return "\n".join(out)


@dataclass
class FileDiff:
    hunks: list[Hunk]

    @classmethod
    def parse(cls, patch: str | None) -> FileDiff:
        hunks: list[Hunk] = []
        if not patch:
            return cls(hunks)
        position = -1
        old = new = 0
        for raw in patch.rstrip("\n").split("\n"):
            match = HUNK_HEADER.match(raw)
            if match is None and not hunks:
                continue  # tolerate stray text before the first header
            position += 1
            if match:
                old, new = int(match.group(1)), int(match.group(3))
                hunks.append(Hunk(len(hunks), [DiffLine("@", None, None, position, raw)]))
                continue
            kind = raw[:1] if raw[:1] in "+-\\" else " "
            dl = DiffLine(
                kind,
                old if kind in " -" else None,
                new if kind in " +" else None,
                position,
                raw,
            )
            hunks[-1].lines.append(dl)
            old += kind in " -"
            new += kind in " +"
        return cls(hunks)

    def locate(self, line: int, side: str) -> tuple[Hunk, DiffLine] | None:
        for hunk in self.hunks:
            dl = hunk.find(line, side)
            if dl is not None:
                return hunk, dl
        return None

    def at_position(self, position: int) -> tuple[Hunk, DiffLine] | None:
        for hunk in self.hunks:
            for dl in hunk.lines:
                if dl.position == position and dl.kind in " +-":
                    return hunk, dl
        return None

    def counts(self) -> tuple[int, int]:
        """(additions, deletions) as GitHub reports them for the file."""
        lines = [dl for h in self.hunks for dl in h.lines]
        return sum(dl.kind == "+" for dl in lines), sum(dl.kind == "-" for dl in lines)


def make_patch(old: str, new: str, context: int = 3) -> str:
    """A GitHub-style ``patch``: hunks only, no ``diff --git``/``---``/``+++`` headers."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=context)
    body = [ln for i, ln in enumerate(lines) if i >= 2]  # drop the ---/+++ file headers
    return "\n".join(body)
