"""Every rule's own examples, and the per-rule YAML case files in tests/cases/."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot.rulebook import GlobSet, RuleFileError, glob_match, load_pack, load_rule
from tests.rule_runner import run_rule

BOOK = load_pack()
CASES = sorted((Path(__file__).parent / "cases").glob("*.yml"))


def _case_params():
    for path in CASES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            yield pytest.param(data["rule"], case, id=f"{path.stem}[{case.get('name', i)}]")


@pytest.mark.parametrize("spec", BOOK.rules, ids=lambda s: s.name)
def test_rule_examples(spec):
    ex = spec.examples
    passing = run_rule(spec.name, ex.passing.path, ex.passing.text, ex.passing.files,
                       ex.passing.base, ex.passing.description)  # fmt: skip
    assert passing == [], f"{spec.name} fires on its pass example: {passing}"
    failing = run_rule(spec.name, ex.failing.path, ex.failing.text, ex.failing.files,
                       ex.failing.base, ex.failing.description)  # fmt: skip
    assert failing, f"{spec.name} is silent on its fail example"
    assert all(f.code == spec.code and f.name == spec.name for f in failing)
    assert all("{" not in f.message for f in failing), "message template left a placeholder"


@pytest.mark.parametrize(("rule", "case"), list(_case_params()))
def test_rule_case(rule, case):
    found = run_rule(
        rule,
        case.get("path", "domains/health/case.md"),
        case["text"],
        case.get("files"),
        case.get("base"),
        case.get("description"),
    )
    assert sorted(f.span.line for f in found) == sorted(case["expect"]), [f.message for f in found]
    for needle in case.get("message_contains", []):
        assert any(needle in f.message for f in found), (needle, [f.message for f in found])


def test_every_rule_has_cases_file_or_examples_only_by_choice():
    names = {s.name for s in BOOK.rules}
    covered = {p.stem for p in CASES}
    assert covered <= names, f"case files for unknown rules: {covered - names}"


def test_codes_and_names_are_unique_and_files_are_named_after_rules():
    assert len({s.code for s in BOOK.rules}) == len(BOOK.rules)
    for spec in BOOK.rules:
        assert Path(spec.source).stem == spec.name


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("code: CR999\nname: x\n", "kind"),  # missing keys
        ("code: bad\n", "code"),
        ("- a list\n", "must be a mapping"),
        ("code: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_rule_file_errors_name_the_file_and_key(tmp_path, content, needle):
    path = tmp_path / "broken.yml"
    path.write_text(content)
    with pytest.raises(RuleFileError) as err:
        load_rule(path)
    assert str(path) in str(err.value) and needle in str(err.value)


def test_unknown_kind_and_bad_params_are_named(tmp_path):
    good = yaml.safe_load(Path(BOOK.find("CR201").source).read_text())
    path = tmp_path / "r.yml"
    path.write_text(yaml.safe_dump({**good, "kind": "nope"}))
    with pytest.raises(RuleFileError, match=r"r\.yml: kind: unknown check 'nope'"):
        load_rule(path)
    path.write_text(yaml.safe_dump({**good, "params": {"report": "sideways"}}))
    with pytest.raises(RuleFileError, match=r"r\.yml: params\.report"):
        load_rule(path)


def test_bundled_pack_validates_as_strictly_as_a_repositorys_own_files():
    """The bundled pack is built without validation at run time: this test is its validation."""
    from bot.rulebook import default_pack, load_schema

    for path in sorted(default_pack().glob("*.yml")):
        assert load_rule(path, trusted=False) == load_rule(path, trusted=True)
    for path in sorted((default_pack() / "schemas").glob("*.yml")):
        assert load_schema(path, trusted=False) == load_schema(path, trusted=True)


glob_parts = st.sampled_from(["a", "b", "*", "?", "**", "/", ".md", "x.md"])
globs = st.lists(glob_parts, min_size=1, max_size=5).map("".join)
path_parts = st.sampled_from(["a", "b", "/", ".md", "x.md", "ab", "c/d"])


@given(
    st.lists(globs, max_size=3),
    st.lists(globs, max_size=3),
    st.lists(path_parts, min_size=1, max_size=6).map("".join),
)
def test_a_glob_set_matches_as_its_globs_do_one_by_one(include, exclude, path):
    expected = any(glob_match(path, g) for g in include) and not any(
        glob_match(path, g) for g in exclude
    )
    assert GlobSet(include, exclude).matches(path) == expected


def test_the_bundled_pack_is_parsed_once_and_again_when_a_file_changes(tmp_path, monkeypatch):
    """Kept beside the bytecode while its files are unchanged (bot/pycache.py)."""
    import shutil
    import sys

    from bot import pycache, rulebook

    pack = tmp_path / "pack"
    shutil.copytree(rulebook.default_pack(), pack)
    monkeypatch.setattr(pycache, "path", lambda name: str(tmp_path / name))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    parsed = rulebook._bundled(pack)
    assert parsed == [rulebook._load(p, trusted=True) for p in rulebook._yaml_files(pack)]

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(rulebook, "_load", no_parsing)
    assert rulebook._bundled(pack) == parsed
    import bot

    monkeypatch.setattr(bot, "__version__", "another")  # other code: parsed again
    with pytest.raises(AssertionError, match="parsed again"):
        rulebook._bundled(pack)
    monkeypatch.undo()
    monkeypatch.setattr(pycache, "path", lambda name: str(tmp_path / name))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    rule = pack / "evidence-missing.yml"
    rule.write_text(rule.read_text().replace("severity: warning", "severity: notice", 1))
    changed = {s.name: s for s in rulebook._bundled(pack) if isinstance(s, rulebook.RuleSpec)}
    assert (
        changed["evidence-missing"].severity == "notice" != BOOK.find("evidence-missing").severity
    )
    (tmp_path / f"rule-pack.{sys.implementation.cache_tag}.pickle").write_bytes(b"damaged")
    assert rulebook._bundled(pack) == [rulebook._load(p, True) for p in rulebook._yaml_files(pack)]
