"""bot.checks.title: the word handling behind description-repeats-title."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.checks.title import _content, _stem


def _stem_one(word: str) -> str:
    """The rule in words: the longest of -ing, -ed, -es, -s that leaves three characters."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@given(st.lists(st.text("aeingsdx1", min_size=1, max_size=9), max_size=6))
def test_stemming_a_run_of_words_stems_each_word(words):
    assert _stem(" ".join(words)).split() == [_stem_one(w) for w in words]


def test_content_drops_stop_words_before_stemming():
    assert _content("This study's findings: costs fell, as expected") == [
        "study",
        "finding",
        "cost",
        "fell",
        "expect",
    ]


_PARTS = st.sampled_from(["a", "ab", "abc", "x1", "ing", "ed", "es", "s", " ", "-", "é", "9"])


@given(st.lists(_PARTS, max_size=12).map("".join))
def test_the_stemmer_cuts_what_the_plain_look_behind_pattern_cuts(text):
    import re

    from bot.checks.title import _SUFFIX

    plain = re.compile(r"(?<=[a-z0-9]{3})(?:ing|ed|es|s)\b")
    assert _SUFFIX.sub("", text) == plain.sub("", text)
