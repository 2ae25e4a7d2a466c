"""Single-study detection against hand labels of real claims (tests/data/single_study_labels.yml).

The labels were made by reading each claim in the corpus; the corpus itself is cloned at test
time and never copied into the project.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.documents import parse
from bot.evidence import assess
from tests.rule_runner import run_rule

LABELS = Path(__file__).parent / "data" / "single_study_labels.yml"
MIN_PRECISION = 0.80
MIN_RECALL = 0.90


def _labels() -> list[dict]:
    return yaml.safe_load(LABELS.read_text(encoding="utf-8"))["claims"]


def _score(pairs: list[tuple[bool, bool]]) -> tuple[float, float, int, int, int]:
    """Precision and recall of (predicted, labelled) pairs, with tp, fp and fn."""
    tp = sum(p and t for p, t in pairs)
    fp = sum(p and not t for p, t in pairs)
    fn = sum(t and not p for p, t in pairs)
    return tp / ((tp + fp) or 1), tp / ((tp + fn) or 1), tp, fp, fn


def test_the_labels_are_a_fair_sample():
    labels = _labels()
    positives = sum(c["single_study"] for c in labels)
    assert len(labels) >= 40 and 15 <= positives <= len(labels) - 15
    assert len({c["path"] for c in labels}) == len(labels)


@pytest.fixture(scope="module")
def judged(corpus: Path) -> list[tuple[dict, bool, bool]]:
    """Each label with the detector's verdict and whether CR301 fires on the file."""
    out = []
    for case in _labels():
        path = case["path"]
        data = (corpus / path).read_bytes()
        ev = assess(parse(path, data))
        found = run_rule("single-study-without-limitations", path, data.decode("utf-8"))
        out.append((case, ev.single_study is not None, bool(found)))
    return out


def test_single_study_detection(judged):
    precision, recall, tp, fp, fn = _score([(pred, c["single_study"]) for c, pred, _ in judged])
    missed = [c["path"] for c, pred, _ in judged if pred != c["single_study"]]
    print(f"\nsingle study: precision {precision:.2f} recall {recall:.2f} "
          f"(tp {tp}, fp {fp}, fn {fn}); wrong: {missed}")  # fmt: skip
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL, missed


def test_single_study_without_limitations_findings(judged):
    pairs = [(fired, c["single_study"] and not c["has_limits"]) for c, _, fired in judged]
    precision, recall, tp, fp, fn = _score(pairs)
    wrong = [c["path"] for (c, _, fired), (_, want) in zip(judged, pairs, strict=True)
             if fired != want]  # fmt: skip
    print(f"\nCR301 findings: precision {precision:.2f} recall {recall:.2f} "
          f"(tp {tp}, fp {fp}, fn {fn}); wrong: {wrong}")  # fmt: skip
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL, wrong
