"""The result cache of `claim-review check`: same findings, only unchanged files reused."""

from __future__ import annotations

import json
import os
from dataclasses import replace

from bot import config, pipeline
from bot.cache import ResultCache
from tests.conftest import claim


def kb(tmp_path):
    root = tmp_path / "kb"
    (root / "domains" / "health").mkdir(parents=True)
    (root / "domains" / "health" / "a.md").write_text(claim("A", "Links [[nowhere]] and [[b]].\n"))
    (root / "domains" / "health" / "b.md").write_text(claim("B", "Plain.\n"))
    return root


def run(root, settings=None):
    settings = settings or config.load(None, root)
    return pipeline.check_paths(root, [], settings, use_cache=True)


def as_set(result):
    return {(f.path, f.span, f.name, f.message, f.fingerprint) for f in result.findings}


def test_warm_run_gives_the_same_findings_without_parsing(tmp_path, monkeypatch):
    root = kb(tmp_path)
    cold = run(root)
    assert any(f.name == "unresolved-wiki-link" for f in cold.findings)
    monkeypatch.setattr(pipeline, "read_documents", lambda *a: iter(()))  # nothing re-read
    warm = run(root)
    assert as_set(warm) == as_set(cold)


def test_a_changed_file_is_checked_again(tmp_path):
    root = kb(tmp_path)
    run(root)
    a = root / "domains" / "health" / "a.md"
    a.write_text(claim("A", "Links only [[b]] now, and more text.\n"))
    os.utime(a, ns=(1, 1))  # a different mtime whatever the clock's resolution
    assert not any(f.name == "unresolved-wiki-link" for f in run(root).findings)


def test_a_new_file_changes_link_results_everywhere(tmp_path):
    root = kb(tmp_path)
    assert any(f.name == "unresolved-wiki-link" for f in run(root).findings)
    (root / "domains" / "health" / "nowhere.md").write_text(claim("Nowhere"))
    assert not any(f.name == "unresolved-wiki-link" for f in run(root).findings)


def test_other_settings_do_not_share_results(tmp_path):
    root = kb(tmp_path)
    settings = config.load(None, root)
    run(root, settings)
    only_links = replace(settings, rules=tuple(r for r in settings.rules if r.code == "CR201"))
    assert {f.name for f in run(root, only_links).findings} == {"unresolved-wiki-link"}


def test_cache_is_one_file_outside_the_tree_and_never_a_path(tmp_path, monkeypatch):
    root = kb(tmp_path)
    monkeypatch.delenv("CLAIM_REVIEW_CACHE_DIR")
    run(root)
    run(root)
    folder = root / ".claim-review-cache"
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert len(list(folder.glob("*.json"))) == 1
    assert all(".claim-review-cache" not in p for p in run(root).checked)


def test_a_corrupt_or_unwritable_cache_is_ignored(tmp_path, monkeypatch):
    root = kb(tmp_path)
    cold = run(root)
    settings = config.load(None, root)
    cache = ResultCache(root, settings, [])
    for file in cache.folder.glob("*.json"):
        file.write_text("{not json")
    assert as_set(run(root)) == as_set(cold)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv("CLAIM_REVIEW_CACHE_DIR", str(blocked / "sub"))
    assert as_set(run(root)) == as_set(cold)


def test_cli_no_cache_flag(tmp_path, monkeypatch, capsys):
    from bot.cli import main

    root = kb(tmp_path)
    monkeypatch.chdir(root)
    cache_dir = tmp_path / "c"
    monkeypatch.setenv("CLAIM_REVIEW_CACHE_DIR", str(cache_dir))
    main(["check", "--root", ".", "--no-cache", "--format", "json"])
    cold = json.loads(capsys.readouterr().out)
    assert not cache_dir.exists()
    main(["check", "--root", ".", "--format", "json"])  # fills the cache
    capsys.readouterr()
    main(["check", "--root", ".", "--format", "json"])
    warm = json.loads(capsys.readouterr().out)
    assert warm["findings"] == cold["findings"]
    assert len(list(cache_dir.glob("*.json"))) == 1
