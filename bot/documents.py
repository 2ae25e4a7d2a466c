"""Bytes of a markdown file -> Document: frontmatter, title, sections, wiki links, citations.

Parsing never raises. What is wrong with the bytes or the frontmatter becomes a `Problem` at the
right line, and parsing goes on with what can be read, so the other rules still run.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, NamedTuple

from bot import patterns
from bot.frontmatter import Frontmatter, Problem, split
from bot.models import Span

DEFAULT_MAX_BYTES = 1024 * 1024


class Section(NamedTuple):
    """A heading (`## Evidence`, level 1-6) or a label line (`Topics:`, level 0) and its lines."""

    title: str
    level: int
    line: int
    end_line: int  # last line that belongs to it (inclusive)

    @property
    def is_label(self) -> bool:
        return self.level == 0


class WikiLink(NamedTuple):
    raw: str  # between the brackets, as written
    target: str  # what names the file: alias, heading and `.md` removed, stripped
    alias: str | None
    heading: str | None
    span: Span  # covers `[[...]]`
    in_frontmatter: bool = False
    has_md_suffix: bool = False  # the target was written with `.md`


class Citation(NamedTuple):
    kind: str  # arxiv | doi | url | author-year
    value: str  # normalised identity: arXiv id, lower-case DOI, URL, "Name Year"
    text: str  # as written
    span: Span


@dataclass(frozen=True)  # not @frozen: made per file, see bot/frozen.py
class Document:
    """A markdown file, parsed: frontmatter, title, sections, links, parse problems."""

    path: str  # repository-relative, POSIX separators
    text: str | None = field(repr=False)  # LF line endings, no BOM; None: the file was not read
    frontmatter: Frontmatter | None
    body_start: int
    title: str
    title_line: int | None
    sections: tuple[Section, ...]
    links: tuple[WikiLink, ...]
    problems: tuple[Problem, ...]
    disabled: frozenset[str]  # rule names or codes silenced by an in-file comment
    visible: str = field(repr=False, compare=False, default="")  # the text, code blanked out

    @functools.cached_property
    def lines(self) -> tuple[str, ...]:
        """Split on first use: rules read the lines of claims, seldom those of other files."""
        return tuple(self.text.split("\n")) if self.text is not None else ()

    @functools.cached_property
    def citations(self) -> tuple[Citation, ...]:
        """Found on first use: only the evidence rules read them, and only on claims."""
        return _citations(self.visible)

    @property
    def meta(self) -> dict[str, Any]:
        return self.frontmatter.data if self.frontmatter else {}

    @property
    def stem(self) -> str:
        name = self.path.rsplit("/", 1)[-1]
        return name[: name.rfind(".")] if name.rfind(".") > 0 else name

    @property
    def body(self) -> str:
        return "\n".join(self.lines[self.body_start - 1 :])

    def line_of(self, key: str) -> int:
        """The line of a frontmatter key, else the title line, else 1: where to anchor a finding."""
        fallback = self.title_line or 1
        return self.frontmatter.line_of(key, fallback) if self.frontmatter else fallback

    def holds_text(self, first: int, last: int) -> bool:
        """Whether lines `first`..`last` hold anything but blanks, `---` breaks, list markers
        with no item and HTML comments: what makes a section more than an empty slot."""
        return any(line.strip() and not HOLLOW.match(line) for line in self.lines[first - 1 : last])

    def is_filled(self, section: Section) -> bool:
        """Whether the lines under a heading or label, up to its end, hold text."""
        return self.holds_text(section.line + 1, section.end_line)

    def section(self, *names: str) -> Section | None:
        wanted = {n.lower() for n in names}
        return next((s for s in self.sections if s.title.lower() in wanted), None)


# --- bytes -> text --------------------------------------------------------------------------


def decode(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str | None, list[Problem]]:
    """Text with LF line endings and no BOM, or None when the bytes are not a text file."""
    problems: list[Problem] = []
    if len(data) > max_bytes:
        return None, [_too_large(len(data), max_bytes)]
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        problems.append(
            Problem("unreadable-file", Span(line), {"problem": "the file holds NUL bytes"})
        )
        return None, problems
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        problems.append(
            Problem("file-encoding", Span(1), {"problem": "the file starts with a byte order mark"})
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(
                "unreadable-file",
                Span(line),
                {"problem": f"bytes that are not UTF-8 at offset {exc.start} (shown as U+FFFD)"},
            )
        )
        text = data.decode("utf-8", "replace")
    if "\r" in text:
        crlf = text.find("\r")
        problems.append(
            Problem(
                "file-encoding",
                Span(text.count("\n", 0, crlf) + 1),
                {"problem": "the file uses CR or CRLF line endings"},
            )
        )
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, problems


# --- text -> Document -----------------------------------------------------------------------

_FENCE = patterns.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)
# One pass finds the structure: ATX headings, `Label:` lines, and thematic breaks.
# It starts with the newline before the line, not `^`: `re` then jumps from one newline to the
# next instead of trying the pattern at every character (twice as fast on the corpus). A label's
# `{0,40}+` gives nothing back: its class holds no colon, so backtracking could never match.
# A heading takes the rest of its line, and its closing `#`s are cut off after: a lazy `(.*?)`
# would try the closing pattern at every character (a third of the time of this pass).
_BLOCK = patterns.compile(
    r"\n(?: {0,3}(#{1,6})[ \t]+([^\n]*)"
    r"|([A-Z][A-Za-z0-9 /&'-]{0,40}+):[ \t]*"
    r"| {0,3}(?:-{3,}|\*{3,}|_{3,})[ \t]*)(?=\n|\Z)"
)
# A thematic break (`---`) on a line of its own: it closes label sections and marks the end
# of a claim's argument; the checks that read sections use the same definition.
THEMATIC_BREAK = patterns.compile(r"^ {0,3}(?:-{3,}|\*{3,}|_{3,})\s*$")
# A line that holds nothing: a break, a list marker with no item, an HTML comment.
HOLLOW = patterns.compile(r"^\s*(?:(?:-{3,}|\*{3,}|_{3,})|[-*+]|\d+[.)]|<!--.*-->)\s*$")
_TICKS = patterns.compile(
    r"``*"
)  # not "`+": a pattern that opens on a literal is searched 10x faster
_LINK = patterns.compile(r"\[\[([^\[\]\n]+)\]\]")
_DISABLE = patterns.compile(r"<!--\s*claim-review:\s*disable\s+([A-Za-z0-9_, -]+?)\s*-->")

# Citations. Each pattern is narrow on purpose: a citation found where there is none would make
# a single-study claim look multi-sourced. Patterns start with a literal so that `re` can skip
# ahead quickly; author names are matched backwards from the year.
_ARXIV = patterns.compile(
    r"(?:arxiv(?:\.org/(?:abs|pdf)/|:\s?|\s)|arXiv\s*:?\s*)(\d{4}\.\d{4,5})(?:v\d+)?",
    re.IGNORECASE,
)
_DOI = patterns.compile(r"10\.\d{4,9}/[^\s\"'<>\]\[)(,;]*[^\s\"'<>\]\[)(,;.]")
_URL = patterns.compile(r"https?://[^\s<>\"'\]\[)(]+[^\s<>\"'\]\[)(.,;:!?]")
_ETAL = patterns.compile(r"et\s+al\.?,?\s*\(?((?:19|20)\d\d)[a-z]?\b")
_PAREN_YEAR = patterns.compile(r"\(((?:19|20)\d\d)[a-z]?\)")
# An author's surname, and the capitalised words that stand before a year without being one:
# shared by the citations here and the evidence rules' reading of a claim (bot/evidence.py).
SURNAME = r"(?:(?:van|von|de|der|da|di|le)\s)?(?:Mc|Mac)?[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*"
_NOT_NAME_WORDS = """
    in on at by for from since until through during after before between of to as and or the
    this that these those a an its it early late mid end start summer fall autumn spring winter
    january february march april may june july august september october november december jan
    feb mar apr jun jul aug sep sept oct nov dec fy q1 q2 q3 q4 study report reports paper survey
    source update version edition series round index act acts treaty agreement law plan budget
    election census accords program programme data review science nature letter annual
    conference summit
"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
_BEFORE_ETAL = patterns.compile(rf"\b({SURNAME})\s+$")
_BEFORE_YEAR = patterns.compile(rf"\b({SURNAME})(?:\s+(?:and|&)\s+{SURNAME})?,?\s+$")


def name_key(word: str) -> str:
    """A surname as written -> the key it is compared by: lower case, no possessive `'s`."""
    return (word[:-2] if word.endswith(("'s", "’s")) else word).lower()


def is_author_name(word: str) -> bool:
    return not any(part in _NOT_NAMES for part in name_key(word).split("-"))


def _too_large(size: int, limit: int) -> Problem:
    return Problem(
        "unreadable-file",
        Span(1),
        {"problem": f"the file is {size:,} bytes, over the {limit:,}-byte limit"},
    )


def oversized(path: str, size: int, limit: int) -> Document:
    """The document of a file too large to read at all (it is never loaded into memory)."""
    return _empty(path, [_too_large(size, limit)])


def parse(path: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    text, problems = decode(data, max_bytes)
    if text is None:
        return _empty(path, problems)
    return parse_text(path, text, problems)


def parse_text(path: str, text: str, problems: list[Problem] | None = None) -> Document:
    problems = list(problems or ())
    parts = split(text)
    problems.extend(parts.problems)
    # Markdown that is not markdown (code blocks, `code spans`) is blanked out, keeping offsets,
    # so that no later pattern sees links or headings inside it.
    visible = _blank_code(text, parts.body_offset)
    sections, title, title_line = _structure(visible, text.count("\n") + 1, parts.body_offset)
    return Document(
        path=path,
        text=text,
        frontmatter=parts.frontmatter,
        body_start=parts.body_start,
        title=title if title is not None else PurePosixPath(path).stem,
        title_line=title_line,
        sections=sections,
        links=_links(visible, parts.body_start if parts.frontmatter else 0),
        problems=tuple(problems),
        disabled=_disabled(visible),  # a comment shown inside code is an example, not an order
        visible=visible,
    )


def _empty(path: str, problems: list[Problem]) -> Document:
    return Document(
        path=path,
        text=None,
        frontmatter=None,
        body_start=1,
        title=PurePosixPath(path).stem,
        title_line=None,
        sections=(),
        links=(),
        problems=tuple(problems),
        disabled=frozenset(),
    )


# Offsets become lines by counting newlines from the previous offset, in order: `str.count`
# runs in C, and a table of line starts would cost more to build than all the lookups.


def _column(text: str, offset: int) -> int:
    """1-based column of a character offset."""
    return offset - text.rfind("\n", 0, offset)


def _blank_code(text: str, body_offset: int) -> str:
    if "```" in text or "~~~" in text:
        pieces: list[str] = []
        done = 0
        opened: tuple[str, int] | None = None  # the open fence and where it starts
        for m in _FENCE.finditer(text, body_offset):
            mark = m.group(1)
            if opened is None:
                opened = (mark, m.start())
            elif mark[0] == opened[0][0] and len(mark) >= len(opened[0]):
                line_end = text.find("\n", m.start())
                end = line_end if line_end >= 0 else len(text)
                pieces += (text[done : opened[1]], _blank(text[opened[1] : end]))
                done, opened = end, None
        if opened is not None:  # an unclosed fence runs to the end of the file
            pieces += (text[done : opened[1]], _blank(text[opened[1] :]))
            done = len(text)
        text = "".join(pieces) + text[done:]
    if "`" in text:
        text = _blank_code_spans(text)
    return text


def _blank(text: str) -> str:
    """Spaces for every character but line breaks: offsets and line numbers stay."""
    return "\n".join(" " * len(line) for line in text.split("\n"))


def _blank_code_spans(text: str) -> str:
    """Blank `code spans`: a run of backticks up to the next run of the same length on the
    same line, as CommonMark pairs them."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(text)]
    pieces: list[str] = []
    done = 0
    i = 0
    while i < len(runs):
        start, end = runs[i]
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        j = i + 1
        while j < len(runs) and runs[j][0] < line_end and runs[j][1] - runs[j][0] != end - start:
            j += 1
        if j < len(runs) and runs[j][0] < line_end:
            pieces += (text[done:start], " " * (runs[j][1] - start))
            done = runs[j][1]
            i = j + 1
        else:
            i += 1
    return "".join(pieces) + text[done:] if pieces else text


def _structure(
    visible: str, line_count: int, begin: int
) -> tuple[tuple[Section, ...], str | None, int | None]:
    marks: list[tuple[int, int, str]] = []  # (0-based line, level, title)
    breaks: list[int] = []  # `---` ends a label section such as `Relevant Notes:`
    title: str | None = None
    title_line: int | None = None
    # Each match starts at the newline before its line; the first line has none, so give it one.
    text, shift = (visible, 0) if begin else ("\n" + visible, 1)
    counted, newlines = 0, 0  # newlines in text[:counted]
    for m in _BLOCK.finditer(text, max(begin - 1, 0)):
        newlines += text.count("\n", counted, m.start() + 1)
        counted = m.start() + 1
        i = newlines - shift  # the 0-based line the match is on
        if m.group(1):
            level, heading = len(m.group(1)), _heading_text(m.group(2))
            if not heading:
                continue
            marks.append((i, level, heading))
            if level == 1 and title is None:
                title, title_line = heading, i + 1
        elif m.group(3):
            marks.append((i, 0, m.group(3).strip()))
        else:
            breaks.append(i)
    if not marks:
        return (), title, title_line
    # One backward pass: a heading runs to the next label or heading of the same or a higher
    # level; a label (`Topics:`) to the next heading or label of any kind, or to a `---` break.
    ends = [0] * len(marks)
    closes = [line_count] * 7  # closes[k]: the next mark that ends a level-k heading (0: any)
    next_break = line_count
    b = len(breaks) - 1
    for n in range(len(marks) - 1, -1, -1):
        i, level, _ = marks[n]
        while b >= 0 and breaks[b] > i:
            next_break = breaks[b]
            b -= 1
        ends[n] = (min(closes[0], next_break) if level == 0 else closes[level]) - 1
        for k in range(max(level, 1), 7):  # a label (0) closes every heading
            closes[k] = i
        closes[0] = i
    sections = tuple(
        Section(text, level, i + 1, end + 1)
        for (i, level, text), end in zip(marks, ends, strict=True)
    )
    return sections, title, title_line


def _heading_text(rest: str) -> str:
    """A heading's text: without the closing `#`s and the blanks around them."""
    return rest.rstrip(" \t").rstrip("#").strip()


def _links(visible: str, body_start: int) -> tuple[WikiLink, ...]:
    found = []
    line, counted = 1, 0
    for m in _LINK.finditer(visible):
        start, end = m.span()
        line += visible.count("\n", counted, start)
        counted = start
        col = start - visible.rfind("\n", 0, start)  # _column, inline: a file has many links
        link = _link(m.group(1), Span(line, col, line, col + end - start), line < body_start)
        if link is not None:
            found.append(link)
    return tuple(found)


def _link(raw: str, span: Span, in_frontmatter: bool) -> WikiLink | None:
    # In tables the alias bar is escaped as `\|`.
    body = raw.replace("\\|", "|") if "\\" in raw else raw
    target, _, alias = body.partition("|")
    target, _, heading = target.partition("#")
    target = target.strip()
    md_suffix = target.lower().endswith(".md")
    if md_suffix:
        target = target[:-3].rstrip()
    if not target:
        return None  # `[[#heading]]` points inside the same file
    return WikiLink(
        raw=raw,
        target=target,
        alias=alias.strip() or None,
        heading=heading.strip() or None,
        span=span,
        in_frontmatter=in_frontmatter,
        has_md_suffix=md_suffix,
    )


def _citations(text: str) -> tuple[Citation, ...]:
    found: list[tuple[int, int, str, str, str]] = []
    taken: list[tuple[int, int]] = []  # spans already cited, sorted and disjoint

    def overlaps(start: int, end: int) -> bool:
        k = bisect.bisect_left(taken, (start, start))
        return (k < len(taken) and taken[k][0] < end) or (k > 0 and taken[k - 1][1] > start)

    def add(kind: str, value: str, m: re.Match[str], group: int = 0) -> None:
        start, end = m.span(group)
        if overlaps(start, end):
            return  # already part of a DOI or arXiv URL found first
        bisect.insort(taken, m.span(0))
        found.append((start, end, kind, value, m.group(0)))

    if "xiv" in text or "Xiv" in text or "XIV" in text:
        for m in _ARXIV.finditer(text):
            add("arxiv", m.group(1), m, 1)
    for m in _DOI.finditer(text):
        if m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] == "."):
            add("doi", m.group(0).lower(), m)
    for m in _URL.finditer(text):
        add("url", m.group(0), m)
    for pattern, before in ((_ETAL, _BEFORE_ETAL), (_PAREN_YEAR, _BEFORE_YEAR)):
        for m in pattern.finditer(text):
            author = before.search(text, max(0, m.start() - 80), m.start())
            if author and is_author_name(author.group(1)):
                m_span = (author.start(), m.end())
                if not overlaps(*m_span):
                    bisect.insort(taken, m_span)
                    written = text[m_span[0] : m_span[1]]
                    found.append(
                        (*m_span, "author-year", f"{author.group(1)} {m.group(1)}", written)
                    )
    citations = []
    line, counted = 1, 0
    for start, end, kind, value, written in sorted(found):
        line += text.count("\n", counted, start)
        counted = start
        end_line = line + text.count("\n", start, end - 1)
        span = Span(line, _column(text, start), end_line, _column(text, end - 1) + 1)
        citations.append(Citation(kind, value, written, span))
    return tuple(citations)


def _disabled(text: str) -> frozenset[str]:
    if "claim-review" not in text:
        return frozenset()
    names: set[str] = set()
    for m in _DISABLE.finditer(text):
        names.update(n.strip() for n in m.group(1).split(",") if n.strip())
    return frozenset(names)
