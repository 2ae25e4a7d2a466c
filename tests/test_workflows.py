"""The GitHub Action and the workflows: zizmor and the workflow schemas report nothing, and the
safety rules they rest on hold (pins, permissions, checkouts, no expressions in shell scripts)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

OWN_WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
EXAMPLES = sorted((ROOT / "examples" / "workflows").glob("*.yml"))
WORKFLOWS = OWN_WORKFLOWS + EXAMPLES
ACTION = ROOT / "action.yml"
DOC = ROOT / "docs" / "github-action.md"

SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
# The release SHA of claim-review is not known inside its own repository: the examples carry an
# all-zero placeholder that users replace (docs/github-action.md says so).
PLACEHOLDER = "claim-review/claim-review@" + "0" * 40
CONCURRENCY = "claim-review-${{ github.event.pull_request.number || github.event.issue.number }}"
# Triggers whose token can write while the event comes from someone else.
PRIVILEGED = {"pull_request_target", "issue_comment", "workflow_run"}
INPUT_ENV = {
    "github-token": "GITHUB_TOKEN",
    "config": "CLAIM_REVIEW_CONFIG",
    "fail-level": "CLAIM_REVIEW_FAIL_LEVEL",
    "max-comments": "CLAIM_REVIEW_MAX_COMMENTS",
    "review-event": "CLAIM_REVIEW_REVIEW_EVENT",
    "check-run": "CLAIM_REVIEW_CHECK_RUN",
    "sarif": "CLAIM_REVIEW_SARIF",
    "labels": "CLAIM_REVIEW_LABELS",
    "recheck-refusal": "CLAIM_REVIEW_REFUSAL",
}
OUTPUTS = ("verdict", "errors", "warnings", "notices", "sarif")


def tool(name: str) -> str:
    """A command-line tool from the test dependencies, preferably next to this interpreter."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def run(*args: str) -> subprocess.CompletedProcess[str]:
    # No token in the environment: with one, zizmor would go online; these tests stay offline.
    env = {k: v for k, v in os.environ.items() if not k.endswith("TOKEN")}
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return on


def steps(document: dict[str, Any]) -> list[dict[str, Any]]:
    if "runs" in document:
        return document["runs"]["steps"]
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


def test_the_files_exist():
    names = {path.name for path in EXAMPLES}
    assert names == {"claim-review.yml", "claim-review-fork-safe.yml", "claim-review-recheck.yml"}
    assert [path.name for path in OWN_WORKFLOWS] == ["ci.yml"]
    assert ACTION.is_file()


# ------------------------------------------------------------------ external tools


@pytest.mark.parametrize("persona", ["regular", "pedantic"])
def test_zizmor_finds_nothing(persona):
    files = [str(path.relative_to(ROOT)) for path in [*WORKFLOWS, ACTION]]
    # Files, not folders: given examples/workflows/, zizmor audits nothing in it.
    result = run(tool("zizmor"), "--offline", f"--persona={persona}", "--no-progress", *files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout
    for name in files:
        assert f"completed {name}" in result.stderr  # every file was audited


def test_zizmor_does_find_things(tmp_path):
    # A control: the same invocation flags the classic mistakes, so silence above means something.
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "name: bad\non:\n  pull_request_target:\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n"
        "        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8",
    )
    result = run(tool("zizmor"), "--offline", "--no-progress", str(bad))
    assert result.returncode >= 11, result.stdout + result.stderr
    for audit in ("dangerous-triggers", "template-injection", "unpinned-uses", "artipacked"):
        assert audit in result.stdout, audit


def test_the_only_suppressions_are_the_justified_ones():
    found = []
    for path in [*WORKFLOWS, ACTION]:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.search(r"#\s*zizmor:\s*ignore\[([^\]]+)\](.*)", line)
            if match:
                assert match[2].strip(), f"{path.name}: a suppression without a reason"
                found.append((path.name, match[1]))
    assert sorted(found) == [
        ("claim-review-fork-safe.yml", "dangerous-triggers"),
        ("claim-review-recheck.yml", "dangerous-triggers"),
    ]


def test_workflow_schema():
    result = run(
        tool("check-jsonschema"),
        "--builtin-schema",
        "vendor.github-workflows",
        *map(str, WORKFLOWS),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_action_schema():
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", str(ACTION))
    assert result.returncode == 0, result.stdout + result.stderr


# ------------------------------------------------------------------ our own rules


@pytest.mark.parametrize("path", [*WORKFLOWS, ACTION], ids=lambda p: p.name)
def test_every_uses_is_pinned_to_a_commit(path):
    document = load(path)
    uses = [step["uses"] for step in steps(document) if "uses" in step]
    if "jobs" in document:
        uses += [job["uses"] for job in document["jobs"].values() if "uses" in job]
    assert uses
    for ref in uses:
        assert SHA_PIN.match(ref), f"{path.name}: {ref} is not pinned to a full commit SHA"
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"\s*(- )?uses:", line):
            assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), f"no version: {line}"


@pytest.mark.parametrize("path", [*WORKFLOWS, ACTION], ids=lambda p: p.name)
def test_no_expressions_in_shell_scripts(path):
    for step in steps(load(path)):
        assert "${{" not in step.get("run", ""), f"{path.name}: {step.get('name')}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_keep_no_credentials(path):
    for step in steps(load(path)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, path.name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_privileged_triggers_never_touch_pull_request_code(path):
    workflow = load(path)
    if not PRIVILEGED & set(triggers(workflow)):
        return
    text = path.read_text(encoding="utf-8")
    for forbidden in ("pull_request.head", "head_ref", "refs/pull/", "gh pr checkout"):
        assert forbidden not in text, f"{path.name}: {forbidden}"
    for step in steps(workflow):
        # Not even the base: the bot reads everything through the API.
        assert not step.get("uses", "").startswith("actions/checkout@"), path.name
        assert not re.search(r"\bgit\s+(fetch|checkout|clone|pull)\b", step.get("run", ""))
    assert "secrets." not in text


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_minimal(path):
    workflow = load(path)
    assert workflow["permissions"] == {}, f"{path.name}: grant per job, not per workflow"
    granted = {}
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {name} inherits the default permissions"
        granted[name] = job["permissions"]
    if path in OWN_WORKFLOWS:
        assert all(perms == {"contents": "read"} for perms in granted.values()), granted
        return
    (perms,) = granted.values()
    allowed = {"contents": "read", "pull-requests": "write", "checks": "write"}
    if "issue_comment" in triggers(workflow):
        allowed["issues"] = "write"  # the reaction and the reply to /recheck
    assert perms == allowed


def test_examples_use_the_pinned_action_and_share_a_concurrency_group():
    for path in EXAMPLES:
        workflow = load(path)
        assert workflow["name"].startswith("claim-review")
        (job,) = workflow["jobs"].values()
        action = [s for s in job["steps"] if s.get("uses", "").startswith("claim-review/")]
        assert [s["uses"] for s in action] == [PLACEHOLDER]
        concurrency = workflow.get("concurrency") or job.get("concurrency")
        assert concurrency["group"] == CONCURRENCY, path.name


def test_pushes_cancel_a_review_but_a_recheck_waits():
    for name in ("claim-review.yml", "claim-review-fork-safe.yml"):
        workflow = load(ROOT / "examples" / "workflows" / name)
        assert workflow["concurrency"]["cancel-in-progress"] is True
    recheck = load(ROOT / "examples" / "workflows" / "claim-review-recheck.yml")
    (job,) = recheck["jobs"].values()
    # Anyone can type /recheck; the permission check runs inside the job, so it must not cancel.
    assert job["concurrency"]["cancel-in-progress"] is False


def test_recheck_workflow_triggers():
    recheck = load(ROOT / "examples" / "workflows" / "claim-review-recheck.yml")
    assert triggers(recheck) == {"issue_comment": {"types": ["created"]}}
    (job,) = recheck["jobs"].values()
    condition = job["if"]
    assert "${{" not in condition  # a multi-line `${{ }}` string is always true
    assert "github.event.issue.pull_request" in condition
    assert "contains(github.event.comment.body, '/recheck')" in condition
    assert "github.actor" not in condition  # the actor is not who wrote the comment


def test_pull_request_triggers():
    same = triggers(load(ROOT / "examples" / "workflows" / "claim-review.yml"))
    fork = triggers(load(ROOT / "examples" / "workflows" / "claim-review-fork-safe.yml"))
    assert set(same) == {"pull_request"} and set(fork) == {"pull_request_target"}
    assert same["pull_request"] == fork["pull_request_target"]
    ci = triggers(load(ROOT / ".github" / "workflows" / "ci.yml"))
    assert set(ci) == {"pull_request", "push"} and ci["push"] == {"branches": ["main"]}


# ------------------------------------------------------------------ the action


@pytest.fixture(scope="module")
def action():
    return load(ACTION)


def test_action_is_composite_with_the_documented_interface(action):
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == set(INPUT_ENV)
    assert action["inputs"]["github-token"]["default"] == "${{ github.token }}"
    assert set(action["outputs"]) == set(OUTPUTS)
    for name in OUTPUTS:
        assert action["outputs"][name]["value"] == f"${{{{ steps.review.outputs.{name} }}}}"


def test_inputs_reach_the_program_only_through_env(action):
    (review,) = [s for s in action["runs"]["steps"] if s.get("id") == "review"]
    for name, variable in INPUT_ENV.items():
        assert review["env"][variable] == f"${{{{ inputs.{name} }}}}"
    assert 'claim-review" review' in review["run"]
    text = ACTION.read_text(encoding="utf-8")
    assert text.count("${{ inputs.") == len(INPUT_ENV)  # nowhere else


def test_action_installs_only_its_own_code_and_caches_nothing(action):
    steps_ = action["runs"]["steps"]
    (setup,) = [s for s in steps_ if s.get("uses", "").startswith("actions/setup-python@")]
    assert not {"cache", "pip-install", "cache-dependency-path"} & set(setup.get("with", {}))
    assert not any("actions/cache" in s.get("uses", "") for s in steps_)
    (install,) = [s for s in steps_ if "pip install" in s.get("run", "")]
    assert install["env"]["VENV"] == "${{ runner.temp }}/claim-review-venv"
    assert install["run"].rstrip().endswith('"$GITHUB_ACTION_PATH"')
    assert "-e " not in install["run"] and "GITHUB_WORKSPACE" not in install["run"]
    for step in steps_:
        if "run" in step:
            assert step["shell"] == "bash"


# ------------------------------------------------------------------ the documentation


def test_the_documented_workflows_are_the_tested_ones():
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert sorted(blocks) == sorted(path.read_text(encoding="utf-8") for path in EXAMPLES)
