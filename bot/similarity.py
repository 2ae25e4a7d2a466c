"""A TF-IDF token index over short texts (titles, descriptions): who says nearly the same thing.

Comparing a query with every text costs O(n) fuzzy matches (over 9 s per query at 50,000
claims when measured); an inverted index touches only texts that share a word with the query,
weighted by how rare that word is, and a fuzzy scorer then ranks that short list.
"""

from __future__ import annotations

import functools
import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from bot import patterns

_WORD = patterns.compile(r"[a-z0-9]+")
# Words too common in claim titles to say anything about which claim is meant.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "by",
        "with",
        "as",
        "at",
        "from",
        "into",
        "than",
        "that",
        "this",
        "these",
        "those",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "not",
        "no",
        "but",
        "if",
        "then",
        "so",
        "because",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "how",
        "why",
        "can",
        "could",
        "may",
        "might",
        "must",
        "should",
        "will",
        "would",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "more",
        "most",
        "less",
        "least",
        "very",
    ]
)


# Every ASCII byte but a-z and 0-9 becomes a space: for ASCII text (nearly every title), the
# words of _WORD are then what `split` gives, found in C at a seventh of the cost.
_KEPT = b"0123456789abcdefghijklmnopqrstuvwxyz"
_SEPARATORS = bytes(c if c in _KEPT else 32 for c in range(256))


def split_words(text: str) -> list[str]:
    """The lower-case runs of letters and digits, in order (stopwords included)."""
    low = text.lower()
    if low.isascii():
        return low.encode("ascii").translate(_SEPARATORS).decode("ascii").split()
    return _WORD.findall(low)


def tokens(text: str) -> list[str]:
    return [w for w in split_words(text) if w not in STOPWORDS]


class TokenIndex:
    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)
        word_sets = [set(split_words(text)).difference(STOPWORDS) for text in self.texts]
        postings: dict[str, list[int]] = defaultdict(list)
        for i, words in enumerate(word_sets):
            for word in words:
                postings[word].append(i)
        n = max(len(self.texts), 1)
        self._idf = {w: math.log(1 + n / len(ids)) for w, ids in postings.items()}
        self._postings = dict(postings)
        squares = {w: idf * idf for w, idf in self._idf.items()}
        self._inverse_lengths = [
            1 / (math.sqrt(sum(map(squares.__getitem__, words))) or 1.0) for words in word_sets
        ]

    def __len__(self) -> int:
        return len(self.texts)

    def search(
        self,
        query: str,
        limit: int = 20,
        exclude: Iterable[int] = (),
        max_postings: int | None = None,
    ) -> list[tuple[int, float]]:
        """(text id, cosine similarity of IDF-weighted word sets), best first.

        Words in more than `max_postings` texts are left out of the scores when the query's
        rarer words find candidates on their own: common words weigh least and their long
        posting lists cost the most time.
        """
        words = list(dict.fromkeys(tokens(query)))  # in order: equal scores rank the same way
        if not words:
            return []
        q_norm = math.sqrt(sum(self._idf.get(w, 0.0) ** 2 for w in words)) or 1.0
        known = [w for w in words if w in self._idf]
        skip = set(exclude)
        rare = known
        if max_postings is not None:
            rare = [w for w in known if len(self._postings[w]) <= max_postings]
        scores = self._scores(rare)
        if len(rare) < len(known) and all(i in skip for i in scores):
            scores = self._scores(known)
        inverse = self._inverse_lengths
        # Plain tuples compare in C; ties go to the earlier text.
        best = heapq.nlargest(
            limit, [(s * inverse[i], -i) for i, s in scores.items() if i not in skip]
        )
        return [(-negative, score / q_norm) for score, negative in best]

    def _scores(self, words: Iterable[str]) -> dict[int, float]:
        scores: dict[int, float] = defaultdict(float)
        for word in words:
            weight = self._idf[word] ** 2
            for i in self._postings[word]:
                scores[i] += weight
        return scores


class Prepared(NamedTuple):
    """A text as the title scorers read it: rapidfuzz's `default_process` (lower case, words
    only), and its words sorted, which is all that token-sort similarity compares."""

    words: str
    sorted_words: str


def prepare(text: str) -> Prepared:
    _, utils = fuzzy()
    words = utils.default_process(text)
    return Prepared(words, " ".join(sorted(words.split())))


def title_similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    """0-100 for two titles: the mean of token-sort similarity (the same words in any order)
    and token-set similarity (one title is the other with words added or cut off). Scores
    below `cutoff` come back as 0, which lets the scorers stop early."""
    return prepared_similarity(prepare(a), prepare(b), cutoff)


def prepared_similarity(a: Prepared, b: Prepared, cutoff: float = 0.0) -> float:
    """title_similarity of prepared texts. Token-sort similarity is the plain ratio of the
    sorted words (as rapidfuzz computes it, without sorting them again on every call), and it
    goes first: it is the cheaper of the two to fail the cutoff."""
    fuzz, _ = fuzzy()
    floor = max(0.0, 2 * cutoff - 100)  # the mean reaches `cutoff` only if both reach this
    by_sort = fuzz.ratio(a.sorted_words, b.sorted_words, score_cutoff=floor)
    if floor and not by_sort:
        return 0.0
    by_set = fuzz.token_set_ratio(a.words, b.words, score_cutoff=floor)
    if floor and not by_set:
        return 0.0
    mean = (by_set + by_sort) / 2
    return float(mean) if mean >= cutoff else 0.0


@functools.cache
def fuzzy() -> tuple[Any, Any]:
    """rapidfuzz's scorers, imported on first use: most runs never compare titles."""
    from rapidfuzz import fuzz, utils

    return fuzz, utils
