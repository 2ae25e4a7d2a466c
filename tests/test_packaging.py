"""The package as installed: every sub-package listed, the rule pack shipped, hooks declared."""

from __future__ import annotations

import tomllib

import yaml

from tests.conftest import ROOT


def test_every_package_folder_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "bot").rglob("__init__.py")
    }
    assert found | {"bot._pack", "bot._example"} == listed
    assert config["package-dir"]["bot._pack"] == "rules"
    assert config["package-dir"]["bot._example"] == "examples"


def test_pre_commit_hook_runs_the_check_on_markdown():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["entry"] == "claim-review check" and hook["types"] == ["markdown"]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    command = ci.strip().splitlines()[-1]
    assert command in readme
