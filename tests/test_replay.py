"""`claim-review replay`: pull requests found in history, reviewed, counted; and real damage.

The synthetic repository holds one squash pull request that damages a claim and one merge
pull request whose branch started before main moved on. The corpus tests replay automated
edits of the real knowledge base that the damage rules exist for.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot import config, pipeline
from bot.cli import main
from bot.replay import find_pull_requests
from tests.conftest import Repo, claim, run_git

ARCHIVE = "inbox/archive/2024-02-02-example-report.md"
SOURCE = (
    "---\ntype: source\ntitle: A report\nauthor: A. Writer\nurl: https://example.org/r\n"
    "date: 2024-02-02\ndomain: health\nstatus: {status}\n---\n\nSummary of the report.\n"
)
CLAIM_A = "domains/health/stretching does not reduce muscle soreness after exercise.md"
CLAIM_B = "domains/health/warm-up jogs lower hamstring strain rates in sprinters.md"


@pytest.fixture
def history(repo: Repo) -> Repo:
    """main: base, #2 (squash, drops a field), #3 (squash, restores it on main), then #4, a
    merge of a branch cut before #3 that adds a claim without recording it in its archive."""
    repo.write(CLAIM_A, claim("Stretching does not reduce muscle soreness after exercise"))
    repo.write(ARCHIVE, SOURCE.format(status="unprocessed"))
    repo.commit("base")
    damaged = claim("Stretching does not reduce muscle soreness after exercise", description=None)
    repo.write(CLAIM_A, damaged)
    repo.commit("vida: tidy the soreness claim (#2)")
    run_git(repo.path, "checkout", "-q", "-b", "extract")
    repo.write(
        CLAIM_B,
        claim("Warm-up jogs lower hamstring strain rates in sprinters", source=f'"{ARCHIVE}"'),
    )
    repo.write(ARCHIVE, SOURCE.format(status="processed"))
    repo.commit("vida: extract claims from 2024-02-02-example-report")
    run_git(repo.path, "checkout", "-q", "main")
    repo.write(CLAIM_A, claim("Stretching does not reduce muscle soreness after exercise"))
    repo.commit("vida: restore the description (#3)")
    run_git(
        repo.path,
        "merge",
        "-q",
        "--no-ff",
        "extract",
        "-m",
        "Merge pull request 'vida: extract claims from 2024-02-02-example-report' (#4) "
        "from extract into main",
    )
    return repo


def test_pull_requests_are_found_in_both_shapes(history: Repo) -> None:
    prs = find_pull_requests(history.path)
    assert [(p.number, p.kind) for p in prs] == [(2, "squash"), (3, "squash"), (4, "merge")]
    squash, _, merge = prs
    assert squash.title == "vida: tidy the soreness claim"
    assert squash.base == run_git(history.path, "rev-parse", f"{squash.commit}^").strip()
    assert merge.title == "vida: extract claims from 2024-02-02-example-report"
    assert merge.head == run_git(history.path, "rev-parse", "extract").strip()
    # The base is where the branch started, not main's tip at merge time.
    assert merge.base == run_git(history.path, "merge-base", "main^1", "extract").strip()


def test_github_merge_messages_take_the_title_from_the_body(repo: Repo) -> None:
    repo.write("a.md", "# A\n")
    repo.commit("base")
    run_git(repo.path, "checkout", "-q", "-b", "topic")
    repo.write("b.md", "# B\n")
    repo.commit("add b")
    run_git(repo.path, "checkout", "-q", "main")
    run_git(
        repo.path,
        "merge",
        "-q",
        "--no-ff",
        "topic",
        "-m",
        "Merge pull request #9 from someone/topic\n\nclay: add a note on B",
    )
    [pr] = find_pull_requests(repo.path)
    assert (pr.number, pr.kind, pr.title) == (9, "merge", "clay: add a note on B")


def test_replay_reviews_each_pull_request(history: Repo, capsys) -> None:
    assert main(["replay", str(history.path), "--format", "json", "--jobs", "2"]) == 0
    report = json.loads(capsys.readouterr().out)
    by_pr = {r["number"]: {f["name"] for f in r["findings"]} for r in report["reviews"]}
    assert "required-field-removed" in by_pr[2]
    # #4's branch never saw #3; against main's tip it would look as if it removed the field.
    assert "required-field-removed" not in by_pr[4]
    assert "source-archive-not-updated" in by_pr[4]
    rules = {r["name"]: r for r in report["rules"]}
    assert rules["required-field-removed"]["pull_requests"] == 1
    assert report["pull_requests"] == 3
    assert report["findings_per_pr"] == pytest.approx(report["findings"] / 3, abs=1e-3)
    assert report["wall_seconds"] > 0


def test_replay_text_table_and_select(history: Repo, capsys) -> None:
    assert (
        main(
            [
                "replay",
                str(history.path),
                "--select",
                "CR5,source-archive-not-updated",
                "--jobs",
                "1",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Pull requests   3 (1 merge, 2 squash)" in out
    assert "CR502   required-field-removed" in out
    assert "CR603   source-archive-not-updated" in out
    assert "missing-required-field" not in out  # not selected
    assert "#4 merge" in out


def test_replay_of_a_folder_that_is_not_a_repository(tmp_path, capsys) -> None:
    assert main(["replay", str(tmp_path)]) == 2
    assert "claim-review:" in capsys.readouterr().err


# --- real automated edits of the corpus -----------------------------------------------------


def _damage_settings():
    settings = config.load(None)
    return replace(settings, rules=tuple(r for r in settings.rules if r.code.startswith("CR5")))


def test_auto_fix_that_rewrote_a_source_archive_is_caught(corpus) -> None:
    # "auto-fix: address review feedback on PR #377" turned a source archive into a claim.
    result = pipeline.check_change(
        corpus,
        "474fbda96c59b134dc6955f426df8cdf23ea001d",
        "eabcc6a1d42c6818b9fa576f1c7c7885b53a68c3",
        _damage_settings(),
    )
    [finding] = result.findings
    assert finding.name == "required-field-removed"
    assert finding.path == "inbox/archive/2026-02-26-futardio-launch-delay-test.md"
    for field in ("`author`", "`url`", "`date`", "`domain`"):
        assert field in finding.message


def test_auto_fix_that_cut_two_claims_down_is_caught(corpus) -> None:
    # "auto-fix: address review feedback on PR #423" dropped `description` from two claims and
    # cut the body of one of them by more than half.
    result = pipeline.check_change(
        corpus,
        "3bd99f1f97ce6e849b4d992a4dcbf21e44c24d75",
        "148296adbd1720627fca5cab9d99e915e1e81eb4",
        _damage_settings(),
    )
    names = sorted((f.name, f.path.split("/")[-1][:24]) for f in result.findings)
    assert names == [
        ("body-truncated", "protocol-specific-first-"),
        ("required-field-removed", "defi-insurance-hybrid-cl"),
        ("required-field-removed", "protocol-specific-first-"),
    ]


def test_an_archive_updated_in_the_same_change_is_read(repo: Repo) -> None:
    repo.write(ARCHIVE, SOURCE.format(status="unprocessed"))
    base = repo.commit("base")
    repo.write(
        CLAIM_B,
        claim("Warm-up jogs lower hamstring strain rates in sprinters", source=f'"{ARCHIVE}"'),
    )
    listed = SOURCE.format(status="processed").replace(
        "---\n\nSummary",
        "processed_by: vida\nprocessed_date: 2024-02-03\nclaims_extracted:\n"
        '  - "Warm-up jogs lower hamstring strain rates in sprinters"\n---\n\nSummary',
    )
    repo.write(ARCHIVE, listed)
    head = repo.commit("vida: extract claims from 2024-02-02-example-report")
    settings = config.load(None)
    settings = replace(settings, rules=tuple(r for r in settings.rules if r.code[:3] == "CR6"))
    assert pipeline.check_change(repo.path, base, head, settings).findings == []
    repo.write(
        ARCHIVE, SOURCE.format(status="null-result").replace("---\n\nS", "notes: n\n---\n\nS")
    )
    head = repo.commit("the archive says nothing came of it")
    [finding] = pipeline.check_change(repo.path, base, head, settings).findings
    assert finding.name == "source-archive-not-updated" and finding.path == CLAIM_B
    assert "`status: null-result`" in finding.message
