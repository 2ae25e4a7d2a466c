"""Reading a knowledge base never follows links out of it, in a working tree or in git."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from bot import config, pipeline
from bot.repo import GitTree, WorkTree, toplevel
from tests.conftest import Repo, claim


def test_work_tree_skips_symlinks_and_nested_repositories(tmp_path):
    root = tmp_path / "kb"
    (root / "domains").mkdir(parents=True)
    (root / "domains" / "real.md").write_text("# Real\n")
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntype: claim\n---\n# secret text\n")
    os.symlink(secret, root / "domains" / "leak.md")
    os.symlink(tmp_path, root / "escape")
    (root / "vendor" / "sub").mkdir(parents=True)
    (root / "vendor" / "sub" / ".git").write_text("gitdir: elsewhere\n")
    (root / "vendor" / "sub" / "x.md").write_text("# x\n")
    tree = WorkTree(root)
    assert [e.path for e in tree.entries()] == ["domains/real.md"]
    assert dict(tree.skipped) == {
        "domains/leak.md": "symbolic link",
        "escape": "symbolic link",
        "vendor/sub": "submodule or nested repository",
    }
    assert tree.read("domains/leak.md") is None
    assert tree.read("../secret.md") is None
    assert tree.read("escape/secret.md") is None


def test_a_folder_swapped_for_a_link_after_listing_is_not_read(tmp_path):
    root = tmp_path / "kb"
    (root / "domains").mkdir(parents=True)
    (root / "domains" / "a.md").write_text("# A\n")
    (root / "domains" / "b.md").write_text("# B\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.md").write_text("# secret\n")
    tree = WorkTree(root)
    assert [e.path for e in tree.entries()] == ["domains/a.md", "domains/b.md"]
    assert tree.read("domains/b.md") == b"# B\n"
    (root / "domains").rename(tmp_path / "moved")
    os.symlink(outside, root / "domains")  # the listed path now leads out of the root
    assert tree.read("domains/a.md") is None
    os.unlink(root / "domains")
    (tmp_path / "moved").rename(root / "domains")
    (root / "domains" / "b.md").unlink()
    os.symlink(outside / "a.md", root / "domains" / "b.md")  # the file itself now a link
    assert tree.read("domains/b.md") is None
    assert tree.read("domains/a.md") == b"# A\n"


def test_a_listed_file_whose_inode_differs_is_read_the_careful_way(tmp_path):
    (tmp_path / "a.md").write_text("# A\n")
    tree = WorkTree(tmp_path)
    tree.entries()
    tree._identity["a.md"] = (0, 0)  # as on a system whose listing gives no inodes
    assert tree.read("a.md") == b"# A\n"


def test_git_tree_skips_links_and_submodules_in_a_change(repo: Repo, tmp_path):
    repo.write("domains/health/a.md", claim("A"))
    base = repo.commit("base")
    outside = tmp_path / "outside.md"
    outside.write_text("# outside\n")
    os.symlink(outside, repo.path / "domains" / "health" / "leak.md")
    os.symlink("/etc/passwd", repo.path / "domains" / "health" / "passwd.md")
    head = repo.commit("head")
    settings = config.load(None, repo.path)
    result = pipeline.check_change(repo.path, base, head, settings)
    assert dict(result.skipped) == {
        "domains/health/leak.md": "symbolic link",
        "domains/health/passwd.md": "symbolic link",
    }
    assert result.checked == []
    assert "domains/health/leak.md" not in {e.path for e in GitTree(repo.path, head).entries()}


def test_huge_files_are_reported_without_being_read(repo: Repo):
    repo.write("domains/health/big.md", b"# Big\n" + b"x" * 3_000_000)
    base = repo.commit("base")
    repo.write("domains/health/big.md", b"# Big\n" + b"y" * 3_000_000)
    head = repo.commit("head")
    settings = config.load(None, repo.path)
    result = pipeline.check_change(repo.path, base, head, settings)
    (finding,) = [f for f in result.findings if f.name == "unreadable-file"]
    assert "over the 1,048,576-byte limit" in finding.message


def test_file_names_that_are_not_utf8_never_crash_any_output(repo: Repo, capsys, monkeypatch):
    from bot.cli import main

    repo.write("domains/health/ok.md", claim("Ok"))
    base = repo.commit("base")
    odd = os.fsdecode(b"domains/health/caf\xe9 \xff.md")
    (repo.path / odd).write_bytes(claim("Cafe", "Links [[nowhere]].\n").encode())
    head = repo.commit("head")
    monkeypatch.chdir(repo.path)
    for fmt in ("text", "json", "sarif", "github"):
        assert main(["check", "--base", base, "--head", head, "--format", fmt]) == 1
        assert main(["check", "--format", fmt]) == 1
    out = capsys.readouterr().out
    assert "caf\\xe9" in out or "caf\\udce9" in out


def test_a_crashing_check_is_a_finding_and_the_others_still_run(repo: Repo, monkeypatch):
    from bot.checks import title

    repo.write("domains/health/a.md", claim("A", "Links [[nowhere]].\n"))
    repo.commit()

    def boom(ctx, params):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    monkeypatch.setattr(title, "check", boom)
    settings = config.load(None, repo.path)
    result = pipeline.check_paths(repo.path, [], settings)
    names = {f.name for f in result.findings}
    assert "internal-error" in names and "unresolved-wiki-link" in names
    crash = next(f for f in result.findings if f.name == "internal-error")
    assert "RuntimeError: boom" in crash.message and crash.severity.label == "warning"


def test_toplevel_is_the_nearest_folder_holding_git(tmp_path):
    repo = tmp_path / "kb"
    (repo / "domains" / "ai").mkdir(parents=True)
    (repo / ".git").mkdir()
    assert toplevel(repo / "domains" / "ai") == repo.resolve()
    assert toplevel(repo) == repo.resolve()
    worktree = repo / "domains" / "wt"  # a worktree or submodule: `.git` is a file
    worktree.mkdir()
    (worktree / ".git").write_text("gitdir: ../../.git/worktrees/wt\n")
    assert toplevel(worktree) == worktree.resolve()
    assert toplevel(tmp_path) != repo.resolve()  # a folder above the repository is not in it


def test_toplevel_agrees_with_git(tmp_path):
    repo = tmp_path / "kb"
    (repo / "a" / "b").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    shown = subprocess.run(
        ["git", "-C", str(repo / "a" / "b"), "rev-parse", "--show-toplevel"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert toplevel(repo / "a" / "b") == Path(shown).resolve()
