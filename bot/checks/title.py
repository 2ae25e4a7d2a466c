"""The claim's title as a claim: a proposition, scoped, and not repeated by the description.

The house test is "This note argues that [title]" must read as a sentence. Three facets, each
its own rule: a title with no verb (a label such as "AI diagnostics"), a title with an unscoped
universal ("all", "never", "the only"), and a description that only restates the title.

Heuristics, tuned on the real knowledge base for precision: a word in `-s` may be a verb or the
plural subject of one, so "Launch details" passes; only titles with no verb-like word at all,
questions, and short Title Case labels are reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal, NamedTuple

from bot import patterns
from bot.checks.context import STRICT, Context
from bot.documents import Document
from bot.frozen import frozen
from bot.models import Hit, Span
from bot.similarity import split_words

KIND = "claim-title"


@frozen
class Params:
    """The `params` of a rule of this kind."""

    __pydantic_config__ = STRICT
    facet: Literal["proposition", "universal", "description"]


class Title(NamedTuple):
    text: str
    line: int  # where to anchor a finding: the heading, the `title:` field, or line 1
    column: int | None  # where `text` starts on `line`, when it is written there


def title_of(doc: Document) -> Title:
    """The `# ` heading, else a frontmatter `title:`, else the file name (slugs as words)."""
    if doc.title_line is not None:
        return _on_line(doc, doc.title, doc.title_line)
    value = doc.meta.get("title")
    if isinstance(value, str) and value.strip():
        return _on_line(doc, value.strip(), doc.line_of("title"))
    stem = doc.stem
    return Title(stem if " " in stem else stem.replace("-", " "), 1, None)


def _on_line(doc: Document, text: str, line: int) -> Title:
    found = doc.lines[line - 1].find(text) if line <= len(doc.lines) else -1
    return Title(text, line, found + 1 if found >= 0 else None)


MAX_TITLE = 500  # characters: a claim title is a sentence; longer text is not judged as one


def check(ctx: Context, params: Params) -> Iterator[Hit]:
    title = ctx.doc_memo.get(KIND)
    if title is None:  # three rules read it
        title = ctx.doc_memo[KIND] = title_of(ctx.doc)
    if len(title.text) > MAX_TITLE:
        return
    if params.facet == "proposition":
        why = label_reason(title.text)
        if why:
            span = Span(title.line, title.column or 1)
            yield Hit(span, {"title": title.text, "why": why}, key="label")
    elif params.facet == "universal":
        found = universals(title.text)
        if found:
            words = ", ".join(dict.fromkeys(f"`{w.lower()}`" for _, w in found))
            span = Span(title.line)
            if title.column is not None:  # point at the first word
                start, word = found[0]
                column = title.column + start
                span = Span(title.line, column, title.line, column + len(word))
            yield Hit(span, {"words": words}, key=words)
    else:
        yield from _repeated_description(ctx.doc, title)


# --- proposition ------------------------------------------------------------------------------


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = patterns.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
# Words that make a sentence on their own: auxiliaries, modals, subject pronouns, and common
# verbs whose forms carry no `-s` or `-ed` (irregular pasts, bare forms after a plural).
_VERBS = _wordset(
    """
    is are was were be been being am isn't aren't wasn't weren't can cannot can't could couldn't
    will won't would wouldn't shall should shouldn't must may might do does did doesn't don't
    didn't has have had hasn't haven't it's that's there's here's what's who's i we they you he
    she need want matter drive create require enable become became make made take took give gave
    lead led win won lose lost grow grew fall fell rise rose drove build built begin began see saw
    go went come came leave left find found hold held keep kept meet met run ran sell sold spend
    spent think thought tell told bring brought buy bought caught fought taught mean meant pay
    paid say said feel felt get got know knew show shown beat put cut hit let split spread cost
    outpace undercut overtook fail work depend remain prefer sought stood understood withdrew
    overcame underwent drew wrote chose broke spoke shrank sank struck stuck sent lent dealt
    shook forgot fled shed
    """
)
# Plurals that are never verbs: the word after them may be a bare verb ("people prefer ...",
# "robotics transform ...").
_PLURALS = patterns.compile(r"^(?:people|children|men|women|data|media|\w+ics)$")
_CONTRACTION = patterns.compile(r"(?:'re|'ve|'ll|'d|n't)$")
# `-s` words that are not verbs (nor plurals, which are taken as possible verbs): -ss, -us, -is,
# possessives, and adverbs.
_NOT_VERB_S = patterns.compile(r"(?:ss|us|is|'s)$")
_ADVERBS_S = _wordset("always sometimes perhaps towards afterwards besides whereas news")
_SMALL = _wordset("a an and as at but by for from in into nor of on or over the to vs via with")
TITLE_CASE_MAX_WORDS = 6  # longer Title Case titles are sentences more often than labels


def label_reason(title: str) -> str | None:
    """Why `title` is a label rather than a proposition, or None when it may be a sentence."""
    if title.rstrip().endswith("?"):
        return "it is a question"
    words = [w.replace("’", "'") for w in _WORD.findall(title)]
    weak = _weak_verbs(words)
    if weak is None:
        return "it has no verb"
    # A Title Case heading whose only candidates are a final plural ("Launch Details") is a
    # label; "Hollywood Needs Fans" is not, so a candidate followed by a word counts as a verb.
    if _title_case(words) and len(words) <= TITLE_CASE_MAX_WORDS and weak == [len(words) - 1]:
        return "it is a Title Case label with no verb"
    return None


def _weak_verbs(words: list[str]) -> list[int] | None:
    """None when no word may be a verb, [] when one surely is, else the positions of the words
    that may be (plural-or-verb `-s` words, `-ed` words, words after a plural without `-s`)."""
    maybe = []
    for i, word in enumerate(words):
        w = word.lower()
        # A hyphenated compound ("nurse-led", "first-order") is an adjective or a noun.
        if "-" not in w and (w in _VERBS or _CONTRACTION.search(w)):
            return []
        if len(w) <= 3:
            continue
        if _PLURALS.match(w):
            if i + 1 < len(words):
                maybe.append(i + 1)
        elif w.endswith("s") and not _NOT_VERB_S.search(w) and w not in _ADVERBS_S:
            maybe.append(i)  # "achieves", or a plural that may be the subject of a bare verb
        elif w.endswith("ed") and i > 0:
            maybe.append(i)  # "vindicated"; a first word in -ed is an adjective ("Automated ...")
    return maybe or None


def _title_case(words: list[str]) -> bool:
    content = [w for w in words if w.lower() not in _SMALL and w[0].isalpha()]
    return len(content) >= 2 and all(w[0].isupper() for w in content)


# --- universal quantifiers ------------------------------------------------------------------

_UNIVERSAL = patterns.compile(
    r"(?<![\w-])(all|always|never|every|everyone|everybody|everything|none|nothing|nobody|"
    r"no one|the only|the fundamental|the single)(?![\w-])",
    re.IGNORECASE,
)
# A universal is scoped by a hedge right before it ("almost always", "not all", "half of all").
_HEDGE_BEFORE = patterns.compile(
    r"\b(?:almost|nearly|virtually|practically|essentially|not|hardly|next to|(?:percent|%|share|"
    r"fraction|half|third|quarter|majority|minority|portion|part) of)\s+$",
    re.IGNORECASE,
)
# A "never" that defines a group ("seeds that never mature") and an "all" floating after the
# names it counts ("Ana and Raj all agreed", "they all") do not quantify the claim.
_DEFINING = patterns.compile(r"\b(?:that|which|who)\s+$", re.IGNORECASE)
_FLOATING = patterns.compile(
    r"(?:\b(?:[Tt]hey|[Ww]e|[Yy]ou|[Tt]hese|[Tt]hose)|\S\s+[A-Z][\w'’]*)\s+$"
)
# ... by what follows it: a number or a pronoun ("all three", "none of them"), or a rate ("every
# two years") ...
_SCOPE_AFTER = patterns.compile(
    r"\s+(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|these|those|other|few)\b|"
    r"of (?:them|these|those|which)\b|(?:\S+ )?(?:year|month|week|day|hour|decade|quarter|"
    r"cycle|time)s?\b|else\b|things being equal\b)",
    re.IGNORECASE,
)
# ... by a restrictive clause for "all" and "every" ("every loop where ...", "all claims that")
_RESTRICTED = patterns.compile(r"\s+(?:\S+\s+){1,3}?(?:where|that|who|whose|when)\b", re.IGNORECASE)
# ... or by a qualifier elsewhere in its clause ("in most markets", "if fees stay low"); a rule
# ("every claim must cite a source") is a requirement, not a generalisation.
_QUALIFIER = patterns.compile(
    r"\b(?:most|many|some|often|usually|typically|generally|mostly|largely|rarely|likely|may|"
    r"might|could|probably|tends?|in practice|if|unless|until|except|under|must|should)\b",
    re.IGNORECASE,
)
_CLAUSE = patterns.compile(
    r"[,;:()]|\s[—–-]+\s|\b(?:because|since|while|whereas|but|although|though|which|so that|"
    r"making|meaning)\b",
    re.IGNORECASE,
)
_IDIOMS = patterns.compile(
    r"\b(?:at all|after all|above all|all but|once and for all)\b", re.IGNORECASE
)
_SUPERLATIVE = patterns.compile(r"^\s+most\b", re.IGNORECASE)  # "the single most important"


def universals(title: str) -> list[tuple[int, str]]:
    """(offset, word) of each unscoped universal quantifier in `title`."""
    matches = list(_UNIVERSAL.finditer(title))
    if not matches:
        return []  # most titles: no clauses or idioms to look for
    seps = [m.span() for m in _CLAUSE.finditer(title)]
    idioms = [m.span() for m in _IDIOMS.finditer(title)]
    found = []
    for m in matches:
        word = m.group(1).lower()
        # Hedges and scopes stand right next to the word: look only that far, so that a
        # hostile title of thousands of words costs linear time.
        before, after = title[max(0, m.start() - 80) : m.start()], title[m.end() : m.end() + 80]
        if _HEDGE_BEFORE.search(before) or _SCOPE_AFTER.match(after):
            continue
        if word in ("all", "every") and _RESTRICTED.match(after):
            continue
        if (word == "never" and _DEFINING.search(before)) or (
            word == "all" and _FLOATING.search(before)
        ):
            continue
        if any(s <= m.start() < e for s, e in idioms):
            continue
        start = max([0, *(e for _, e in seps if e <= m.start())])
        end = min([len(title), *(s for s, _ in seps if s >= m.end())])
        rest = _SUPERLATIVE.sub("", title[m.end() : end])
        if _QUALIFIER.search(title[start : m.start()] + " " + rest):
            continue
        found.append((m.start(), m.group(1)))
    return found


# --- description ------------------------------------------------------------------------------

_STOP = _wordset(
    """
    a an the of to in on for and or but with by as at from into that this these those is are was
    were be been it its their his her which who than then so such not no can may might will would
    should could must has have had do does did
    """
)
# A crude stemmer: the longest of these endings that leaves at least three characters. Each
# branch opens on its letter and looks back from there: a pattern that opens on a letter is
# searched for that letter, one that opens on a look-behind is tried at every character.
_SUFFIX = patterns.compile(r"(?:i(?<=[a-z0-9]{3}i)ng|e(?<=[a-z0-9]{3}e)[ds]|s(?<=[a-z0-9]{3}s))\b")
_WRITTEN_WORD = patterns.compile(r"[A-Za-z0-9'’]+")


def _content(text: str) -> list[str]:
    """The words that carry meaning, stemmed: stop words out first (`this` is no `thi`)."""
    words = split_words(text.replace("'", "").replace("’", ""))
    return _stem(" ".join(w for w in words if w not in _STOP)).split()


def _stem(words: str) -> str:
    return _SUFFIX.sub("", words)


def _repeated_description(doc: Document, title: Title) -> Iterator[Hit]:
    description = doc.meta.get("description")
    if not isinstance(description, str):
        return
    words = _content(description)
    known = set(_content(title.text))
    new = [w for w in words if w not in known]
    shared = len(words) - len(new)
    # Nothing new, or one new word against at least two shared ones ("... in 2024").
    if shared and (not new or (len(new) == 1 and shared >= 2)):
        extra = ""
        if new:
            extra = f"; it adds only `{_original(description, new[0])}`"
        line = doc.line_of("description")
        yield Hit(Span(line), {"extra": extra}, key="description")


def _original(text: str, stem: str) -> str:
    """The word of `text` whose stem is `stem`, as written."""
    for word in _WRITTEN_WORD.findall(text):
        if _stem(word.lower().replace("'", "").replace("’", "")) == stem:
            return word
    return stem
