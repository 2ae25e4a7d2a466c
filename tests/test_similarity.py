from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.utils import default_process

from bot.similarity import _WORD, TokenIndex, fuzzy, prepare, split_words, title_similarity

words = st.lists(
    st.sampled_from(["ai", "alignment", "agents", "markets", "coordinate", "fail", "2026", "x"])
)


@given(words, words, st.sampled_from([0.0, 30.0, 65.0, 90.0]))
def test_a_cutoff_only_zeroes_scores_below_it(a, b, cutoff):
    full = title_similarity(" ".join(a), " ".join(b))
    assert title_similarity(" ".join(a), " ".join(b), cutoff) == (full if full >= cutoff else 0.0)


def test_word_order_and_cut_off_endings_score_high():
    title = "coordination failures not information gaps explain most market breakdowns"
    assert title_similarity(title, "most market breakdowns explain coordination failures") > 80
    assert title_similarity(title, title + " and systems must map them") > 80
    assert title_similarity(title, "solar panels got cheaper every year") < 50


def test_equal_scores_rank_the_earlier_text_first():
    index = TokenIndex(["beta alpha", "alpha beta", "gamma alpha"])
    assert [i for i, _ in index.search("alpha beta", limit=2)] == [0, 1]
    (best, score), *_ = index.search("beta alpha", limit=1)
    assert best == 0 and abs(score - 1.0) < 1e-9  # the cosine of equal word sets


phrases = st.lists(
    st.sampled_from(["AI", "ai", "alignment", "Agents'", "markets", "coördinate", "fail", "x", ""]),
    max_size=9,
).map(" ".join)


@given(phrases, phrases)
def test_token_sort_is_the_ratio_of_the_sorted_words(a, b):
    # What prepared_similarity relies on: rapidfuzz's token_sort_ratio of processed text is
    # its plain ratio once the words are sorted.
    fuzz, _ = fuzzy()
    pa, pb = prepare(a), prepare(b)
    assert fuzz.ratio(pa.sorted_words, pb.sorted_words) == fuzz.token_sort_ratio(pa.words, pb.words)
    expected = (
        fuzz.token_sort_ratio(a, b, processor=default_process)
        + fuzz.token_set_ratio(a, b, processor=default_process)
    ) / 2
    assert title_similarity(a, b) == expected


@given(st.text(alphabet=st.characters(max_codepoint=0x2FF), max_size=40))
def test_words_are_the_runs_of_letters_and_digits_in_lower_case(text):
    """The ASCII shortcut (bytes.translate and split) finds what the pattern finds."""
    assert split_words(text) == _WORD.findall(text.lower())
