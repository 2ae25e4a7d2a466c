"""The command line end to end: formats, exit codes, changes between revisions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from bot.cli import PARSERS, build_parser, main
from tests.conftest import ROOT, SEED, SHARED, Repo, claim

GOLDEN = Path(__file__).parent / "golden" / "kb"
SNAPSHOTS = Path(__file__).parent / "snapshots"
SELECT_CONFIG = """\
rules:
  select: [frontmatter-syntax, missing-required-field, invalid-field-value, invalid-date,
           unknown-field, unresolved-wiki-link, ambiguous-wiki-link, wiki-link-style]
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def select_config(tmp_path: Path) -> Path:
    path = tmp_path / "select.yml"
    path.write_text(SELECT_CONFIG)
    return path


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_snapshots(capsys, monkeypatch, select_config, fmt):
    monkeypatch.chdir(GOLDEN)
    code, out, _ = run(
        capsys, "check", "--root", ".", ".", "--format", fmt, "--config", str(select_config)
    )
    assert code == 1
    snapshot = SNAPSHOTS / f"golden.{fmt}"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(out, encoding="utf-8")
    assert out == snapshot.read_text(encoding="utf-8")


def test_text_format_shape(capsys, monkeypatch, select_config):
    monkeypatch.chdir(GOLDEN)
    _, out, err = run(capsys, "check", "--root", ".", ".", "--config", str(select_config))
    first = out.splitlines()[0]
    path, line, col, rest = first.split(":", 3)
    assert path.endswith(".md") and line.isdigit() and col.isdigit()
    severity, name, _message = rest.strip().split(" ", 2)
    assert severity in ("error", "warning", "notice") and "-" in name
    assert "errors" in err and "file(s) checked" in err


def test_json_findings_carry_the_documented_keys(capsys, monkeypatch, select_config):
    monkeypatch.chdir(GOLDEN)
    _, out, _ = run(
        capsys, "check", "--root", ".", ".", "--format", "json", "--config", str(select_config)
    )
    payload = json.loads(out)
    assert payload["findings"]
    for f in payload["findings"]:
        assert {
            "rule",
            "name",
            "severity",
            "path",
            "line",
            "column",
            "message",
            "placement",
        } <= set(f)
        assert f["placement"] == "no-diff"


def test_sarif_validates_against_the_schema(capsys, monkeypatch, select_config):
    schema = json.loads((SHARED / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text())
    monkeypatch.chdir(GOLDEN)
    _, out, _ = run(
        capsys, "check", "--root", ".", ".", "--format", "sarif", "--config", str(select_config)
    )
    log = json.loads(out)
    jsonschema.validate(log, schema)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert all(r["help"]["text"] and r["helpUri"] for r in rules)
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["partialFingerprints"]["claimReview/v1"]
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert " " not in uri


def test_fail_levels(capsys, monkeypatch, select_config):
    monkeypatch.chdir(GOLDEN)
    base = ("check", "--root", ".", ".", "--config", str(select_config))
    assert run(capsys, *base)[0] == 1
    assert run(capsys, *base, "--fail-level", "never")[0] == 0
    clean = GOLDEN / "domains" / "space-development" / "_map.md"
    assert run(capsys, "check", "--root", ".", str(clean), "--fail-level", "notice")[0] == 0


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["check", "no/such/file.md"], "no such file or folder"),
        (["check", "--head", "HEAD"], "--head needs --base"),
        (["explain", "no-such-rule"], "no rule is named or numbered"),
        (["check", "--config", "missing.yml"], "no such configuration file"),
    ],
)
def test_usage_errors_exit_2_with_one_line(capsys, tmp_path, monkeypatch, argv, needle):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *argv)
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("config", "needle"),
    [
        ("rules:\n  disable: [no-such-rule]\n", "no rule is named or numbered 'no-such-rule'"),
        ("rules:\n  severity: {CR201: loud}\n", "rules.severity.CR201"),
        ("colour: blue\n", "colour: unknown key"),
        ("fail_level: sometimes\n", "fail_level"),
        ("rules:\n  params: {unresolved-wiki-link: {closest: 99}}\n", "closest"),
        ("rules: [\n", "not valid YAML"),
    ],
)
def test_bad_configuration_exits_2_naming_file_and_key(
    capsys, tmp_path, monkeypatch, config, needle
):
    (tmp_path / ".claim-review.yml").write_text(config)
    (tmp_path / "a.md").write_text("# A\n")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "check", "--root", ".", "a.md")
    assert code == 2, err
    assert ".claim-review.yml" in err and needle in err and len(err.strip().splitlines()) == 1


def test_configuration_changes_severity_disables_and_adds_rules(capsys, tmp_path, monkeypatch):
    extra = tmp_path / "house-rules"
    extra.mkdir()
    rule = (ROOT / "rules" / "unresolved-wiki-link.yml").read_text()
    rule = rule.replace("code: CR201", "code: CR901").replace(
        "name: unresolved-wiki-link", "name: house-broken-link"
    )
    (extra / "house-broken-link.yml").write_text(rule)
    (tmp_path / ".claim-review.yml").write_text(
        "rules:\n  extra: [house-rules]\n  disable: [CR201]\n"
        "  severity: {house-broken-link: notice}\n"
    )
    (tmp_path / "a.md").write_text("# A\n\n[[nowhere]]\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "check", "--root", ".", "a.md", "--format", "json")
    names = {(f["name"], f["severity"]) for f in json.loads(out)["findings"]}
    assert ("house-broken-link", "notice") in names
    assert not any(n == "unresolved-wiki-link" for n, _ in names)
    assert code == 0  # only a notice remains


def test_in_file_disable_comment(capsys, tmp_path, monkeypatch):
    (tmp_path / "a.md").write_text(
        "# A\n<!-- claim-review: disable unresolved-wiki-link -->\n[[x]]\n"
    )
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "check", "--root", ".", "a.md", "--format", "json")
    assert all(f["name"] != "unresolved-wiki-link" for f in json.loads(out)["findings"])


def test_check_between_revisions_marks_placement(capsys, repo: Repo, monkeypatch):
    repo.write("domains/health/existing.md", claim("Existing", "Body with [[broken old link]].\n"))
    repo.write("domains/health/untouched.md", claim("Untouched", "Also [[another broken]].\n"))
    base = repo.commit("base")
    repo.write(
        "domains/health/existing.md",
        claim("Existing", "Body with [[broken old link]].\n\nNew line with [[broken new link]].\n"),
    )
    repo.write(
        "domains/health/new claim.md", claim("New claim", "Links [[existing]] and [[nope]].\n")
    )
    head = repo.commit("head")
    monkeypatch.chdir(repo.path)
    code, out, _ = run(capsys, "check", "--base", base, "--head", head, "--format", "json")
    found = {(f["path"], f["line"], f["name"], f["placement"]) for f in json.loads(out)["findings"]}
    assert ("domains/health/existing.md", 13, "unresolved-wiki-link", "added-line") in found
    assert ("domains/health/existing.md", 11, "unresolved-wiki-link", "changed-file") in found
    assert ("domains/health/new claim.md", 11, "unresolved-wiki-link", "added-line") in found
    assert not any(path.endswith("untouched.md") for path, *_ in found)
    assert code == 1


def test_check_between_revisions_needs_git_and_known_revisions(
    capsys, repo: Repo, monkeypatch, tmp_path
):
    repo.write("a.md", "# A\n")
    repo.commit()
    monkeypatch.chdir(repo.path)
    code, _, err = run(capsys, "check", "--base", "no-such-rev")
    assert code == 2 and "git" in err
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.chdir(plain)
    code, _, err = run(capsys, "check", "--base", "HEAD~1")
    assert code == 2 and "needs a git repository" in err


def test_rules_and_explain(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "CR201  unresolved-wiki-link" in out
    code, by_code, _ = run(capsys, "explain", "CR201")
    _, by_name, _ = run(capsys, "explain", "unresolved-wiki-link")
    assert code == 0 and by_code == by_name
    assert "Why:" in by_code and "Fix:" in by_code and "Fails on:" in by_code


def test_python_dash_m_and_console_script():
    proc = subprocess.run([sys.executable, "-m", "bot", "rules"], capture_output=True, text=True)
    assert proc.returncode == 0 and "CR101" in proc.stdout
    script = Path(sys.executable).parent / "claim-review"
    proc = subprocess.run([str(script), "rules"], capture_output=True, text=True)
    assert proc.returncode == 0 and "CR101" in proc.stdout


def _many_broken_links(root: Path, files: int) -> None:
    (root / "domains").mkdir(parents=True)
    for n in range(files):
        (root / "domains" / f"claim {n}.md").write_text(f"# Claim {n}\n\n[[nowhere {n}]]\n")


def test_the_whole_report_is_written_before_the_process_leaves(tmp_path):
    _many_broken_links(tmp_path, 400)  # more than a pipe's buffer of report
    command = [sys.executable, "-m", "bot", "check", "--no-cache"]
    proc = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stdout.count("unresolved-wiki-link") == 400
    assert "400 errors" in proc.stderr


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    _many_broken_links(tmp_path, 400)
    command = [sys.executable, "-m", "bot", "check", "--no-cache"]
    proc = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert "unresolved-wiki-link" in proc.stdout.readline()
    proc.stdout.close()  # `claim-review check | head -1`
    errors = proc.stderr.read()
    assert proc.wait() in (0, 1)
    assert "Traceback" not in errors and "BrokenPipe" not in errors


def test_seed_against_the_real_corpus(capsys, corpus, monkeypatch):
    """The acceptance case: the seed's third Relevant Notes link, and the title it meant."""
    seed = SEED / "alignment training population composition is a first-order technical variable.md"
    monkeypatch.chdir(corpus)
    _, out, _ = run(capsys, "check", "--root", ".", str(seed), "--format", "json")
    broken = [f for f in json.loads(out)["findings"] if f["name"] == "unresolved-wiki-link"]
    assert [f["line"] for f in broken] == [36]
    assert "and systems must map rather than eliminate them" in broken[0]["message"]


def test_drafts_outside_the_knowledge_base_are_checked_with_files_inside(capsys, tmp_path):
    kb = tmp_path / "kb"
    (kb / "domains").mkdir(parents=True)
    (kb / "domains" / "inside.md").write_text("# Inside\n\n[[nowhere inside]]\n")
    draft = tmp_path / "draft.md"
    draft.write_text("# Draft\n\n[[inside]] and [[nowhere in draft]]\n")
    main(["check", "--root", str(kb), str(kb / "domains" / "inside.md"), str(draft),
          "--format", "json", "--no-cache"])  # fmt: skip
    payload = json.loads(capsys.readouterr().out)
    assert payload["checked"] == 2
    broken = {f["path"] for f in payload["findings"] if f["name"] == "unresolved-wiki-link"}
    assert broken == {"domains/inside.md", "draft.md"}


def test_every_format_on_the_command_line_has_a_reporter():
    from bot import cli, report

    assert set(cli.FORMATS) == set(report.MODULES)
    assert all(callable(report.renderer(name)) for name in cli.FORMATS)


def test_a_command_gets_the_same_parser_alone_as_among_all(capsys):
    for name in PARSERS:
        alone = build_parser(name)._subparsers._group_actions[0].choices[name]  # type: ignore[union-attr]
        among = build_parser()._subparsers._group_actions[0].choices[name]  # type: ignore[union-attr]
        assert alone.format_help() == among.format_help()
    with pytest.raises(SystemExit) as exit_info:
        main(["chek"])  # not a command: the whole parser answers, naming every command
    assert exit_info.value.code == 2
    assert "invalid choice: 'chek'" in capsys.readouterr().err


def _check_help() -> str:
    parser = build_parser("check")
    check = parser._subparsers._group_actions[0].choices["check"]  # type: ignore[union-attr]
    return parser.format_help() + check.format_help()


@pytest.mark.parametrize("columns", ["50", "132", "not a number"])
def test_help_is_as_wide_as_argparse_would_make_it(monkeypatch, columns):
    import argparse

    from bot import cli

    monkeypatch.setenv("COLUMNS", columns)
    ours = _check_help()
    monkeypatch.setattr(cli, "_Formatter", argparse.HelpFormatter)  # asks shutil, as usual
    assert ours == _check_help()


def test_a_check_runs_without_garbage_collection_and_restores_it(tmp_path, monkeypatch, capsys):
    import gc

    from bot import pipeline

    seen: list[bool] = []
    check_paths = pipeline.check_paths

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return check_paths(*args, **kwargs)

    monkeypatch.setattr(pipeline, "check_paths", recording)
    (tmp_path / "a.md").write_text(claim("A claim that is checked"), encoding="utf-8")
    assert gc.isenabled()
    main(["check", "--root", str(tmp_path), "--no-cache", str(tmp_path / "a.md")])
    assert seen == [False]
    assert gc.isenabled()
