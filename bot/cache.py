"""Findings of unchanged files, kept between runs of `claim-review check` (like ruff's cache).

In a plain check a file's findings depend on its own bytes, on which paths the knowledge base
holds (links resolve against them) and on the settings; nothing else. So the cache is one file
per (settings, set of paths, version), mapping each path to its size, modification time and
findings; a file whose size or mtime changed is checked again. The cache lives in
`.claim-review-cache/` at the root of the knowledge base (with a `.gitignore` of `*`), or where
CLAIM_REVIEW_CACHE_DIR says; `--no-cache` turns it off. Change reviews never use it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot import __version__
from bot.config import Settings
from bot.digest import sha256
from bot.models import (
    Applicability,
    Finding,
    Placement,
    Related,
    Severity,
    Span,
    Suggestion,
)

FOLDER = ".claim-review-cache"
FORMAT = 2  # the stored shape of a finding; a new shape never reads an old file (2: spans as lists)
Stamp = tuple[int, int]  # (size, mtime in ns)


def settings_key(settings: Settings) -> str:
    parts = [
        __version__,
        str(FORMAT),
        repr(sorted(settings.include)),
        repr(sorted(settings.exclude)),
        str(settings.max_file_bytes),
        *(f"{r.code}|{r.severity}|{r.params!r}|{r.spec!r}" for r in settings.rules),
        *(repr(s) for _, s in sorted(settings.schemas.items())),
    ]
    return sha256("\n".join(parts).encode()).hexdigest()


class ResultCache:
    def __init__(self, root: Path, settings: Settings, paths: Iterable[str]) -> None:
        folder = Path(os.environ.get("CLAIM_REVIEW_CACHE_DIR") or root / FOLDER)
        key = sha256(settings_key(settings).encode())
        for path in sorted(paths):
            key.update(path.encode("utf-8", "surrogateescape") + b"\0")
        self.folder = folder
        self.file = folder / f"claim-review-{key.hexdigest()[:32]}.json"
        self._old: dict[str, Any] = self._load()
        self._new: dict[str, Any] = {}

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, path: str, stamp: Stamp) -> list[Finding] | None:
        entry = self._old.get(path)
        if not isinstance(entry, dict) or entry.get("stamp") != list(stamp):
            return None
        try:
            found = [_finding(d) for d in entry["findings"]]
        except (KeyError, TypeError, ValueError):
            return None
        self._new[path] = entry
        return found

    def put(self, path: str, stamp: Stamp, findings: Iterable[Finding]) -> None:
        self._new[path] = {"stamp": list(stamp), "findings": [_plain(f) for f in findings]}

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is not an error."""
        tmp: str | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by claim-review\n*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                # ASCII escapes keep file names that are not UTF-8 (surrogates) writable.
                json.dump(self._new, handle, ensure_ascii=True, separators=(",", ":"))
            os.replace(tmp, self.file)
            tmp = None
            # Our files for other settings or paths are superseded; nothing else is touched.
            for stale in self.folder.glob("claim-review-*.json"):
                if stale != self.file:
                    stale.unlink(missing_ok=True)
        except (OSError, ValueError):
            pass
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)


def stamp_of(root: Path, path: str) -> Stamp | None:
    try:
        st = os.lstat(root / path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def _plain(f: Finding) -> dict[str, Any]:
    data = f._asdict()
    data["severity"] = int(f.severity)
    data["placement"] = str(f.placement)
    data["related"] = [r._asdict() for r in f.related]
    if f.suggestion is not None:
        applicability = str(f.suggestion.applicability)
        data["suggestion"] = {**f.suggestion._asdict(), "applicability": applicability}
    return data


def _finding(d: dict[str, Any]) -> Finding:
    s = d["suggestion"]
    return Finding(
        code=d["code"],
        name=d["name"],
        severity=Severity(d["severity"]),
        path=d["path"],
        span=Span(*d["span"]),
        message=d["message"],
        fingerprint=d["fingerprint"],
        related=tuple(Related(**r) for r in d["related"]),
        suggestion=None
        if s is None
        else Suggestion(Span(*s["span"]), s["replacement"], Applicability(s["applicability"])),
        placement=Placement(d["placement"]),
    )
