from __future__ import annotations

import importlib
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import bot
from bot import patterns, pycache


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A cache file of its own, nothing loaded or compiled yet."""
    where = tmp_path / "patterns.marshal"
    monkeypatch.setattr(pycache, "path", lambda name: str(where))
    monkeypatch.setattr(patterns, "_loaded", None)
    monkeypatch.setattr(patterns, "_new", {})
    monkeypatch.setattr(patterns, "_used", set())
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return where


def _package_patterns() -> set[tuple[str, int]]:
    """The patterns the package's modules hold, alone or in tuples."""
    found = set()
    for info in pkgutil.walk_packages(bot.__path__, "bot."):
        if info.name.endswith("__main__"):
            continue
        for value in vars(importlib.import_module(info.name)).values():
            for item in value if isinstance(value, tuple | list) else (value,):
                if isinstance(item, re.Pattern) and isinstance(item.pattern, str):
                    found.add((item.pattern, item.flags))
    return found


def _reload(monkeypatch) -> None:
    monkeypatch.setattr(patterns, "_loaded", None)
    monkeypatch.setattr(patterns, "_new", {})


def test_every_pattern_of_the_package_comes_back_from_the_cache_as_re_compiles_it(
    fresh, monkeypatch
):
    keys = _package_patterns()
    assert len(keys) > 80
    for pattern, flags in keys:
        patterns.compile(pattern, flags)
    patterns.save()
    assert fresh.exists()
    _reload(monkeypatch)
    for pattern, flags in keys:
        cached = patterns.compile(pattern, flags)
        # Patterns compare equal only with the same flags, groups and compiled program.
        assert cached == re.compile(pattern, flags), pattern
        assert cached.groupindex == re.compile(pattern, flags).groupindex
    assert not patterns._new, "everything came from the cache"


def test_named_groups_flags_and_wide_classes_survive_the_round_trip(fresh, monkeypatch):
    cases = [
        (r"(?P<name>[A-Z][a-z]+)\s+\((?P<year>(?:19|20)\d\d)\)", 0),
        (r"\bstud(?:y|ies)\b", re.IGNORECASE | re.MULTILINE),
        (r"[^\t\n\r -~\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", 0),
        (r"(?x) a \s+ b  # verbose", 0),
    ]
    for pattern, flags in cases:
        patterns.compile(pattern, flags)
    patterns.save()
    _reload(monkeypatch)
    for pattern, flags in cases:
        cached, plain = patterns.compile(pattern, flags), re.compile(pattern, flags)
        assert cached == plain and cached.flags == plain.flags
        text = "Ana Smith (2021) STUDY \x07 a  b"
        assert [m.span() for m in cached.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_a_damaged_file_or_entry_falls_back_to_compiling(fresh, monkeypatch):
    fresh.write_bytes(b"\x00not marshal at all")
    assert patterns.compile(r"a+b") == re.compile(r"a+b")
    key = (r"a+b", 0)
    program = patterns._new[key]
    patterns.save()
    _reload(monkeypatch)
    broken = (program[0], [999, 1, 2], *program[2:])  # a program _sre refuses to run
    monkeypatch.setattr(patterns, "_loaded", {key: broken})
    assert patterns.compile(r"a+b") == re.compile(r"a+b")
    assert patterns._new[key] == program, "recompiled, and the good program kept"


def test_a_bad_pattern_raises_as_re_compile_does(fresh):
    with pytest.raises(re.error, match="missing \\)"):
        patterns.compile(r"(unclosed")


def test_nothing_is_written_when_bytecode_is_not_to_be_or_cannot_be(fresh, monkeypatch, tmp_path):
    patterns.compile(r"x{2}y")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    patterns.save()
    assert not fresh.exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setattr(pycache, "path", lambda name: str(blocked / "patterns.marshal"))
    patterns.save()  # no folder can be made there: no error either
    assert list(tmp_path.iterdir()) == [blocked]


def test_stale_entries_are_dropped_once_the_file_grows_too_large(fresh, monkeypatch):
    monkeypatch.setattr(patterns, "_MAX_ENTRIES", 3)
    for n in range(5):
        patterns.compile(f"old{n}")
    patterns.save()
    _reload(monkeypatch)
    monkeypatch.setattr(patterns, "_used", set())
    patterns.compile("old0")
    patterns.compile("new")
    patterns.save()
    assert set(patterns._read(fresh.read_bytes())) == {("old0", 0), ("new", 0)}


def test_the_command_line_writes_the_cache_where_python_keeps_bytecode(tmp_path):
    """End to end: the first run writes the file under PYTHONPYCACHEPREFIX, the second reads
    it and has nothing new to write."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "prefix")
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "a claim.md").write_text("---\ntype: claim\n---\n# A claim\n\n[[nowhere]]\n")
    command = [sys.executable, "-m", "bot", "check", "--no-cache", "--fail-level", "never"]
    for _ in range(2):
        proc = subprocess.run(command, cwd=kb, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        assert "unresolved-wiki-link" in proc.stdout
    written = list((tmp_path / "prefix").rglob("patterns.*.marshal"))
    assert len(written) == 1
    assert Path(written[0]).parent.name == Path(bot.__file__).parent.name
    first = written[0].stat().st_mtime_ns
    subprocess.run(command, cwd=kb, env=env, capture_output=True, check=True)
    assert written[0].stat().st_mtime_ns == first, "nothing new, nothing written"


def test_serving_re_answers_re_compile_from_the_cache_and_gives_it_back(
    fresh, tmp_path, monkeypatch
):
    before = re._compile
    module = tmp_path / "compiles_on_import.py"
    module.write_text("import re\nWORDS = re.compile(r'(?P<w>[A-Z][a-z]+)', re.MULTILINE)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with patterns.serving_re():
        import compiles_on_import  # noqa: F401 - compiled through the cache

        assert re.compile(rb"bytes?") == re.compile(rb"bytes?")  # bytes: re's own way
        with pytest.raises(re.error):
            re.compile(r"(unclosed")  # re's error, and no loop back into the cache
        assert re.compile("x", re.DEBUG) is not None
    assert re._compile is before
    assert (r"(?P<w>[A-Z][a-z]+)", int(re.MULTILINE)) in patterns._new
    assert re.compile(r"(?P<w>[A-Z][a-z]+)", re.M) == sys.modules["compiles_on_import"].WORDS


def test_pyyamls_patterns_are_those_re_compile_makes():
    import yaml

    assert re.compile(yaml.reader.Reader.NON_PRINTABLE.pattern) == yaml.reader.Reader.NON_PRINTABLE
    for resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.values():
        for _tag, pattern in resolvers:
            assert pattern == re.compile(pattern.pattern, pattern.flags)
