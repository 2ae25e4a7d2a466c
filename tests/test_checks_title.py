"""bot.checks.title: the word handling behind description-repeats-title."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.checks.title import _content, _stem

# The stemmer as one substitution over a run of words (as it once was): the oracle.
_SUFFIX_PATTERN = re.compile(r"(?<=[a-z0-9]{3})(?:ing|ed|es|s)\b")


@given(st.lists(st.text("aeingsdx1", min_size=1, max_size=9), max_size=6))
def test_each_word_is_stemmed_as_the_suffix_pattern_stems_it(words):
    assert [_stem(w) for w in words] == _SUFFIX_PATTERN.sub("", " ".join(words)).split()


def test_content_drops_stop_words_before_stemming():
    assert _content("This study's findings: costs fell, as expected") == [
        "study",
        "finding",
        "cost",
        "fell",
        "expect",
    ]
