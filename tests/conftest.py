"""Shared fixtures: the real corpus (cloned once per session) and small repositories."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS_BUNDLE = SHARED / "corpus" / "teleo-codex.bundle"
SEED = SHARED / "seed"
EXAMPLES = ROOT / "examples"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def run_git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
    ).stdout


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of the real knowledge base at dev-main (read-only for tests)."""
    if not CORPUS_BUNDLE.is_file():
        pytest.fail(f"the corpus bundle is missing: {CORPUS_BUNDLE}")
    target = tmp_path_factory.mktemp("corpus") / "teleo-codex"
    subprocess.run(
        ["git", "clone", "-q", "--branch", "dev-main", str(CORPUS_BUNDLE), str(target)],
        check=True,
        capture_output=True,
    )
    return target


class Repo:
    """A throw-away git repository to write files into and commit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        run_git(path, "init", "-q", "-b", "main")

    def write(self, rel: str, content: str | bytes) -> Path:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        target.write_bytes(content)
        return target

    def commit(self, message: str = "change") -> str:
        run_git(self.path, "add", "-A")
        run_git(self.path, "commit", "-q", "--allow-empty", "-m", message)
        return run_git(self.path, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "kb")


def claim(title: str, body: str = "", **fields: str) -> str:
    """A valid claim file with frontmatter; keyword arguments override or add fields."""
    meta = {
        "type": "claim",
        "domain": "health",
        "description": "Adds context that the title does not carry",
        "confidence": "experimental",
        "source": "Illustrative cohort study (2023)",
        "created": "2024-05-01",
        **fields,
    }
    lines = [
        "---",
        *(f"{k}: {v}" for k, v in meta.items() if v is not None),
        "---",
        "",
        f"# {title}",
        "",
    ]
    return "\n".join(lines) + (body or "Argument and evidence go here.\n")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test gets its own result cache folder, never one inside the repository."""
    monkeypatch.setenv("CLAIM_REVIEW_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
