from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.models import Severity
from bot.report.text import one_line

spaces = st.sampled_from([" ", "  ", "\t", "\n", "\r\n", "\x0b", "\x1c", "\x85", "\xa0", "\u2003"])
pieces = st.lists(st.one_of(st.text(max_size=6), spaces), max_size=8).map("".join)


@given(pieces)
def test_one_line_folds_every_whitespace_run_into_one_space(text):
    assert one_line(text) == " ".join(text.split())


def test_severity_labels_are_lower_case_names():
    assert [s.label for s in Severity] == ["notice", "warning", "error"]
