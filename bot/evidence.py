"""What a claim's evidence rests on: its independent sources, which are studies, and its limits.

One reading of a claim, shared by the evidence rules (single study, overconfidence, missing
evidence, `proven` on few sources, counter-evidence): `assess(doc) -> Evidence`.

A *source* is one independent piece of evidence: a reference in the `source` field, or one in
the body that the field does not already name (an arXiv id, a DOI, an author-year citation, a web
host, a source-archive note). A *study* is a source that reports empirical research: a paper,
preprint, trial, survey or data report, as opposed to a book, an essay, an interview, a thread or
the proposer's own synthesis. The reading leans one way on purpose: when in doubt a claim has
more sources and no single study, because telling the author of a well-sourced claim that it
rests on one study is the mistake that gets a bot switched off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from bot import patterns
from bot.documents import SURNAME, Document, Section, is_author_name, name_key

# --- limits and counter-evidence --------------------------------------------------------------

# Headings, labels and paragraph leads that bound a claim (CR301) or acknowledge the evidence
# against it (CR305). The keyword must come early: "Limitations & open questions" and "The study
# has limitations:" bound the claim; "Why this challenges the narrative" argues for it.
_LIMITS = patterns.compile(
    r"\b(?:limitations?|limits|caveats?|scope|challenges?|challenged|counter[- ]?(?:evidence|"
    r"arguments?|points?|claims?|examples?)|counterarguments?|open questions?|uncertaint(?:y|ies)"
    r"|weakness(?:es)?|objections?|criticisms?|critiques?|confounds?|replication)\b",
    re.IGNORECASE,
)
_COUNTER = patterns.compile(
    r"\b(?:challenges?|challenged|counter[- ]?(?:evidence|arguments?|points?|claims?|examples?)"
    r"|counterarguments?|objections?|criticisms?|critiques?|disconfirming|evidence against)\b",
    re.IGNORECASE,
)
_EXPLAINS = patterns.compile(r"^\W*(?:why|how)\b", re.IGNORECASE)
_LEAD_WORDS = 4  # the keyword must be among the first four words
# `**Scope qualifier:** text`, `**Limitations.** text`, `Critical caveat: text`.
_BOLD_LEAD = patterns.compile(r"^\s*(?:[-*+]\s+)?\*\*([^*\n]{1,80}?)\*\*\s*[:.]?")
_PLAIN_LEAD = patterns.compile(r"^\s*(?:[-*+]\s+)?([A-Z][^:.!?\n*\[]{0,60}):\s+\S")
# Sections that list related notes: links there are neighbours, not evidence.
_RELATED = patterns.compile(
    r"^(?:relevant notes|related(?: claims| notes)?|topics|see also)$", re.I
)
_EVIDENCE_HEADING = patterns.compile(r"\bevidence\b", re.IGNORECASE)

# --- what makes a source a study --------------------------------------------------------------

# In the `source` field: enough on its own ("STELA (Scientific Reports, 2024)", "preprint").
# The field's patterns of words read it in lower case: `re` tries a case-insensitive
# alternation at every character, three times slower than a plain one.
_STUDY_TERMS = patterns.compile(
    r"\b(?:stud(?:y|ies)|trials?|rct|preprint|evaluation|findings|meta-analys[ie]s|cohort|"
    r"participants|respondents|dataset|pmc|pubmed|medrxiv|biorxiv|ssrn|nber)\b"
)
_JOURNAL = (
    r"(?:Science|Nature|PNAS|JAMA|NEJM|Lancet|BMJ|PLOS|Scientific Reports|Health Affairs"
    r"|Journal of)\b"
)
_JOURNAL_CITED = patterns.compile(
    rf"(?:\(|(?:19|20)\d\d,?\s+){_JOURNAL}|\b{_JOURNAL},?\s+(?:\w+\s+)?(?:19|20)\d\d"
)
# In the `source` field: a study only if the body reports empirical results.
_WEAK_STUDY = patterns.compile(
    r"\b(?:paper|report|survey|experiments?|data|index|state of|arxiv|doi|et al)\b"
)
_NOT_STUDY = patterns.compile(
    r"\b(?:book|essay|interview|podcast|thread|tweets?|x archive|blog|substack|newsletter|"
    r"mediator|noahopinion|manifesto|memo|chapters?|ch\.|announcements?|coverage|proposals?|"
    r"session|synthesis|synthesi[sz]ed|synthesi[sz]ing|compilation|conversation|keynote|"
    r"operational|thesis|master plan|axioms?|design|guide|lecture|talk|op-ed|opinion|column|"
    r"statements?|letter|deck|press release|act|treaty|documentary|practitioners?|case study|"
    r"(?<!nber )working paper)\b|\b(?:ch|v)\.\s|@\w"
)
# In the body: "the STELA study", "a February 2026 preprint", "RadNet's mammography study";
# a study, preprint or trial is empirical by name, a paper or a report only with results.
# The body is searched in lower case, and patterns open on a literal where they can: `re` finds
# a literal quickly but tries a case-insensitive alternation at every character (10x slower).
_BODY_NAMES = patterns.compile(
    r"\b(?:the|this|that|a|an|one|single|their|[a-z][\w-]*['’]s)\s+"
    r"(?:[\w-]+\s+|[\"“'‘][^\"”'’\n]{1,100}[\"”'’]\s+){0,3}?\Z"
)
_STUDY_WORDS = ("study", "preprint", "experiment", "trial", "survey", "evaluation")
_PAPER_WORDS = ("paper", "report")
_NAMING_REACH = 400  # characters before the word that a naming phrase may take
# An empirical result: a sample, a test statistic, a controlled design.
_EMPIRICAL = tuple(
    patterns.compile(p)
    for p in (
        r"\d[\d,]*\+?\s+(?:participants|respondents|patients|subjects|people|users|workers|"
        r"women|men|adults|children|enrollees|forecasters|scenarios|games|physicians|doctors|"
        r"clinicians|companies|firms|countries|ratings|explorations|households|students|"
        r"individuals|trades)\b",
        r"n(?<!\wn)\s?=\s?\d",  # `\bn = 12`, with the word boundary checked after the literal
        r"p(?<!\wp)\s?[<=]\s?0?\.\d",
        r"β\s?=",
        r"ρ\s?=",
        r"effect(?<!\weffect) sizes?\b",
        r"statistically significant",
        r"confidence interval",
        r"odds ratio",
        r"pre-?registered",
        r"randomi[sz]ed",
        r"control (?:group|condition)",
        r"matched comparison",
        r"single (?:empirical |experimental )?study",
    )
)
# A measured share ("92% of health systems"): a result once a paper or report is named.
_SHARE = patterns.compile(r"\d(?:\.\d+)?\s?(?:%|percent\b|percentage points|pp\b)")


def _names(text: str, words: tuple[str, ...]) -> bool:
    """Whether lower-case `text` names one of `words` as a thing ("the X study", "a 2026
    preprint"): each place a word stands is checked for a naming phrase just before it."""
    for word in words:
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            whole_word = not (end < len(text) and (text[end].isalnum() or text[end] == "_"))
            if whole_word and _BODY_NAMES.search(text, max(0, at - _NAMING_REACH), at):
                return True
            at = text.find(word, at + 1)
    return False


# --- references -------------------------------------------------------------------------------

_ARXIV = patterns.compile(r"arxiv(?:\.org/(?:abs|pdf)/|\s*:\s*|\s+|_id:?\s*)(\d{4}\.\d{4,5})", re.I)
_DOI = patterns.compile(r"\b(10\.\d{4,9}/[^\s\"'<>\]\[)(,;]*[^\s\"'<>\]\[)(,;.])")
_HOST = patterns.compile(
    # Bounded and anchored at a token's start: a long run of letters costs linear time.
    r"(?<![a-z0-9.-])(?:https?://)?(?:www\.)?"
    r"((?:[a-z0-9-]{1,63}\.){1,8}(?:com|org|net|io|edu|gov|ai|co|app|xyz|fm))\b"
    r"(?:/(@?[A-Za-z0-9_.-]{1,100}))?",
    re.IGNORECASE,
)
# What every _HOST match ends with; searched for its leading dot, unlike _HOST.
_DOMAIN_END = patterns.compile(r"\.(?:com|org|net|io|edu|gov|ai|co|app|xyz|fm)\b", re.IGNORECASE)
_HANDLE = patterns.compile(r"(?<![\w/])@([A-Za-z0-9_]{2,})")
_AUTHOR_YEAR = patterns.compile(
    rf"\b(?P<name>{SURNAME})(?:\s+(?:&|and)\s+{SURNAME}|\s+et\s+al\.?)?,?\s+"
    r"(?:(?:observed|argued|wrote|noted|showed|found|reported|estimated|predicted)\s+in\s+)?"
    r"\(?(?P<year>(?:19|20)\d\d)[a-z]?\b(?!-\d)"
)
_YEAR = patterns.compile(r"(?:19|20)\d\d")  # what every author-year holds
_SOCIAL = frozenset(["x.com", "twitter.com", "github.com", "medium.com", "youtube.com"])
_ARCHIVE_NOTE = patterns.compile(r"^(?:inbox/(?:archive/)?)?\d{4}-\d{2}-\d{2}-")
_BETWEEN = patterns.compile(r"[\s,;:()\[\]—–-]*(?:arxiv:?|doi:?|https?://\S*?)?\s*", re.IGNORECASE)
_WIKI_LINK = patterns.compile(r"\[\[[^\]\n]*\]\]")

# --- the source field -------------------------------------------------------------------------

# "Theseus, from Doshi & Hauser (2025)", "Astra synthesis from ...", "rio, based on ...".
_PROPOSER = patterns.compile(
    r"^(?:[\w'’-]+,?\s+){0,3}?(?:synthesi[sz](?:ed|ing)?|synthesis|derived|extracted|based on"
    r"|from)\s+(?:from\s+)?(?=\S)",
    re.IGNORECASE,
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_ONLY = patterns.compile(
    rf"^(?:{_MONTH}(?:\s*[-–/]\s*{_MONTH})?\s+)?(?:\d{{1,2}},?\s+)?(?:19|20)\d\d(?:-\d\d){{0,2}}$",
    re.IGNORECASE,
)
# "Grand strategy analysis", "Strategy session journal": the proposer's own notes.
_OWN_NOTES = patterns.compile(
    r"^[A-Z][a-z]+(?=.*\s[a-z])(?:\s+(?:[a-z][\w-]*|(?:19|20)\d\d[\w-]*))+$"
)
_CHALLENGED = patterns.compile(r"^(?:challenged|contested|disputed|countered)\b", re.IGNORECASE)
_SPLIT_MARKS = patterns.compile(r" \+ |[\"“”‘’'()\[\]{};,.]")  # what _top_level_split acts on
_SENTENCE_END = patterns.compile(r"(?:[a-z]{3}|\d)\. [A-Z]$")
_DATA_WORDS = patterns.compile(r"\b(?:survey|data|dataset|baseline|index|sample|logs?)\b", re.I)
_NAME_ONLY = patterns.compile(
    r"^(?:[A-Z][\w'’./&:-]*|et|al\.?|&|of|and)(?:\s+(?:[A-Z][\w'’./&:-]*|et|al\.?|&|of|and))"
    r"{0,4}(?:\s*\(@?\w+\))?$"
)
_INCLUDES = patterns.compile(r"(?:includ|with\b|incl\b)")
_ASIDE = patterns.compile(r"\s*\((?![^()]*(?:arxiv|\bdoi\b))(?!(?:19|20)\d\d\))[^()]*\)", re.I)
_FINDING = patterns.compile(r"\s+(?:showing|finding|found|which|that)\s")
_BRACKETED = patterns.compile(r"\([^()]*\)")
_NAME_WORD = patterns.compile(rf"\b{SURNAME}")
_ANCHOR = patterns.compile(
    r"\b(?:19|20)\d\d\b|arxiv|\b10\.\d{4,9}/|@\w|\w\.(?:com|org|io|edu|gov)\b", re.I
)


class Source(NamedTuple):
    """One independent piece of evidence, as the claim names it."""

    label: str  # how a message names it: "arXiv 2511.14476", "Massenkoff & McCrory 2026"
    line: int  # where it is first named
    keys: frozenset[str]  # identities shared by every mention of the same work
    study: bool  # reports empirical research (paper, preprint, trial, survey, data report)


class Evidence(NamedTuple):
    sources: tuple[Source, ...]
    single_study: Source | None  # the one study the claim rests on, when it cites nothing else
    limits_section: Section | None  # where it discusses its limits: a section, a lead, a field
    counter_evidence: Section | None  # where it acknowledges evidence against it
    body_cites: bool  # the body itself names evidence: a citation, a link, an Evidence section
    explanation: str

    @property
    def studies(self) -> tuple[Source, ...]:
        return tuple(s for s in self.sources if s.study)

    @property
    def independent_sources(self) -> int:
        return len(self.sources)


def assess(doc: Document) -> Evidence:
    fm = doc.frontmatter
    line = fm.line_of("source") if fm else 1
    written = source_text(doc.meta.get("source"))
    units = [
        Source(label, line, _keys(text), _names_a_study(label, text))
        for label, text in split_source(written)
    ]
    skipped, limits, counter = _discussion(doc)
    refs = _body_refs(doc, skipped)
    sources = _merge(units, refs)
    body_cites = bool(refs) or any(
        s.level > 1 and _EVIDENCE_HEADING.search(s.title) and doc.is_filled(s) for s in doc.sections
    )

    single = None
    if len(sources) == 1 and _is_study(sources[0], written if units else "", doc, skipped):
        single = sources[0]._replace(study=True)
        sources = [single]

    if single:
        explanation = f"rests on one study ({single.label}) and cites no other source"
    elif not sources:
        explanation = "names no source, in the `source` field or the body"
    else:
        names = "; ".join(s.label for s in sources[:4]) + ("; ..." if len(sources) > 4 else "")
        studies = sum(s.study for s in sources)
        explanation = f"{len(sources)} independent source(s), {studies} named as studies: {names}"
    return Evidence(tuple(sources), single, limits, counter, body_cites, explanation)


# --- the `source` field -----------------------------------------------------------------------


def source_text(value: Any) -> str:
    """The `source` field as text; a structured mapping reads as "Authors Year, Title (id)"."""
    if value is None:
        return ""
    if isinstance(value, dict):
        authors = value.get("authors")
        if isinstance(authors, list):
            authors = " & ".join(map(str, authors))
        head = " ".join(str(v) for v in (authors, value.get("year")) if v)
        title = value.get("title")
        ids = [str(value[k]) for k in ("arxiv_id", "doi") if value.get(k)]
        text = ", ".join(str(p) for p in (head, f'"{title}"' if title else "") if p)
        if ids:
            text += f" ({'arXiv ' if value.get('arxiv_id') else ''}{ids[0]})"
        return text or " ".join(str(v) for v in value.values() if isinstance(v, str))
    if isinstance(value, list):
        return "; ".join(source_text(v) for v in value)
    text = str(value).strip()
    return "" if text.lower() in {"none", "null", "n/a", "-", "tbd", "unknown"} else text


def split_source(text: str) -> list[tuple[str, str]]:
    """The independent references in a `source` field, each as (label, full text).

    Separators are `;`, ` + `, sentence ends and top-level commas, but a comma also runs
    through one reference ("Knuth 2026, 'Claude's Cycles'", "Bessemer Venture Partners, State
    of Health AI 2026", "arXiv 2511.14476, empirical study with 1,095 participants"). So a piece
    that only describes the previous reference (a quoted title, a date, a count, a lower-case
    note, the data set of a dated study) joins it, and a bare author or organisation name joins
    the title after it. The label is the reference without its descriptions.
    """
    merged: list[list[str]] = []  # [separator before, label, full text]
    for sep, piece in _top_level_split(_PROPOSER.sub("", text.strip(), count=1)):
        if _CHALLENGED.match(piece):
            continue  # "challenged by Bloch, who argues ...": evidence against, not a source
        if merged and _describes(piece, merged[-1][2], sep):
            merged[-1][2] += f"{sep} {piece}"
        else:
            merged.append([sep, piece, piece])
    units: list[tuple[str, str]] = []
    pending = ""
    for sep, label, full in merged:
        bare = full == label and bool(_NAME_ONLY.match(label)) and not _ANCHOR.search(label)
        if pending and sep == ",":
            label, full = f"{pending}, {label}", f"{pending}, {full}"
        elif pending:
            units.append((_tidy(pending), pending))
        pending = ""
        if bare:
            pending = label
        else:
            units.append((_tidy(label), full))
    if pending:
        units.append((_tidy(pending), pending))
    return units


def _top_level_split(text: str) -> list[tuple[str, str]]:
    """Pieces between top-level separators, each with the separator before it. Only quotes,
    brackets and separators change anything, so only they are visited."""
    pieces: list[tuple[str, str]] = []
    depth, quote, start, sep = 0, "", 0, ""
    for m in _SPLIT_MARKS.finditer(text):
        i, ch = m.start(), m.group()
        cut = 0
        if quote:
            if ch == quote or (quote == "“" and ch == "”") or (quote == "‘" and ch == "’"):
                quote = ""
        elif ch in '"“‘' or (ch == "'" and (i == 0 or not text[i - 1].isalnum())):
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif depth == 0:
            if ch == ";" or (ch == "," and not (text[i - 1 : i] + text[i + 1 : i + 2]).isdigit()):
                cut = 1
            elif ch == " + ":
                cut = 3
            elif ch == "." and _SENTENCE_END.search(text[max(0, i - 3) : i + 3]):
                cut = 1
        if cut:
            pieces.append((sep, text[start:i]))
            sep = text[i : i + cut].strip()
            start = i + cut
    pieces.append((sep, text[start:]))
    return [(sep, p.strip(" .")) for sep, p in pieces if p.strip(" .")]


def _describes(piece: str, previous: str, sep: str) -> bool:
    """Whether a piece of the field describes the reference before it rather than naming one."""
    if piece[0] in "\"'“‘([" or piece[0].isdigit() or _DATE_ONLY.match(piece):
        return True  # a title, a count, a date
    anchored = bool(_ANCHOR.search(previous))
    if piece[0].islower():
        # "arXiv 2511.14476, empirical study with ...", "STELA (2024); includes DeepMind
        # researchers"; but "SpaceX costs, orbital mechanics budgets" lists two sources, and
        # "Citrini (2026); consumption data from BEA" names a second one.
        return anchored and (sep == "," or bool(_INCLUDES.match(piece)))
    # "Massenkoff & McCrory 2026, Current Population Survey baseline ..."
    return anchored and sep == "," and bool(_DATA_WORDS.search(piece)) and not _author_year(piece)


def _tidy(label: str) -> str:
    # Keep "(2025)" and "(arXiv 2402.05070)", drop "(bvp.com/atlas/...)" and "(Stanford CS)".
    label = _ASIDE.sub("", label).strip(" ,")
    label = _FINDING.split(label)[0]
    arxiv = _ARXIV.search(label)
    if arxiv and len(label) > 60:
        label = f"{label.split(',')[0].split(' (')[0]} (arXiv {arxiv.group(1)})"
    return label if len(label) <= 80 else label[:77].rstrip() + "..."


def _keys(text: str) -> frozenset[str]:
    # Each pattern is searched only where what it must hold is there (an `arxiv`, a `10.`, a
    # domain ending, an `@`, a bracket): most pieces of a source field have none of them.
    keys: set[str] = set()
    if "rx" in text.lower():  # "arxiv" in any case (its i has Turkish forms re.I also takes)
        keys |= {f"arxiv:{m.group(1)}" for m in _ARXIV.finditer(text)}
    if "10." in text:
        keys |= {f"doi:{m.group(1).lower()}" for m in _DOI.finditer(text)}
    if _DOMAIN_END.search(text):
        keys |= {_host_key(m.group(1), m.group(2)) for m in _HOST.finditer(text)}
    if "@" in text:
        keys |= {f"web:x.com/{h.lower()}" for h in _HANDLE.findall(text)}
    # Every capitalised word: an author-year in the body is the field's reference when the
    # field names that author anywhere ("Bergman et al, STELA" ~ "Bergman et al. (2024)").
    bare = _BRACKETED.sub(" ", text) if "(" in text else text
    keys |= {f"name:{name_key(w)}" for w in _NAME_WORD.findall(bare)}
    return frozenset(keys)


def _host_key(host: str, first_path: str | None) -> str:
    host = host.lower().removeprefix("www.")
    host = "x.com" if host == "twitter.com" else host
    if host in _SOCIAL and first_path:
        return f"web:{host}/{first_path.lower().lstrip('@')}"
    return f"web:{host}"


def _author_year(text: str) -> re.Match[str] | None:
    found = (m for m in _AUTHOR_YEAR.finditer(text) if is_author_name(m.group("name")))
    return next(found, None)


# --- the body ---------------------------------------------------------------------------------


def _discussion(doc: Document) -> tuple[set[int], Section | None, Section | None]:
    """Lines that are not evidence for the claim (its limits, the case against it, related
    notes), the first place that discusses its limits, and the first that argues against it."""
    skipped: set[int] = set()
    limits: list[Section] = []
    counter: list[Section] = []
    challenged = doc.meta.get("challenged_by")
    if any(str(c).strip() for c in _as_list(challenged) if c is not None):
        line = doc.line_of("challenged_by")
        field = Section("challenged_by", 0, line, line)
        limits.append(field)
        counter.append(field)
    places = [s for s in doc.sections if s.level != 1 and doc.is_filled(s)]
    for s in places:
        if _RELATED.match(s.title.strip(" :")):
            skipped.update(range(s.line, s.end_line + 1))
    for s in [*places, *_paragraph_leads(doc)]:
        if _leads_with(_LIMITS, s.title):
            skipped.update(range(s.line, s.end_line + 1))
            limits.append(s)
            if _leads_with(_COUNTER, s.title):
                counter.append(s)
    first = min(limits, key=lambda s: s.line, default=None)
    return skipped, first, min(counter, key=lambda s: s.line, default=None)


def _leads_with(pattern: re.Pattern[str], title: str) -> bool:
    m = pattern.search(title)
    if m is None or _EXPLAINS.match(title):
        return False
    return len(title[: m.start()].split()) < _LEAD_WORDS


def _paragraph_leads(doc: Document) -> Iterator[Section]:
    """Paragraphs opening with a bold or `Label:` lead, each as a one-paragraph section."""
    lines = doc.lines
    first = doc.body_start - 1
    for i in range(first, len(lines)):
        line = lines[i]
        if line.lstrip().startswith("#") or not (i == first or not lines[i - 1].strip()):
            continue
        # A bold lead holds `**`, a plain one a colon: most lines hold neither.
        m = ("**" in line and _BOLD_LEAD.match(line)) or (":" in line and _PLAIN_LEAD.match(line))
        if not m:
            continue
        end = i
        while end + 1 < len(lines) and lines[end + 1].strip():
            end += 1
        if line[m.end() :].strip() or end > i:
            yield Section(m.group(1).strip(" :."), 0, i + 1, end + 1)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


class _Ref(NamedTuple):
    label: str
    line: int
    start: int  # columns on the line, to join "Doshi & Hauser (2025), arXiv:2401.13481"
    end: int
    keys: frozenset[str]
    kind: str  # arxiv | doi | web | author-year | note


MAX_REFS = 200  # more references than this make a claim many-sourced whatever the rest say


def _body_refs(doc: Document, skipped: set[int]) -> list[_Ref]:
    first = doc.body_start
    refs: list[_Ref] = []
    for c in doc.citations:
        line, span = c.span.line, c.span
        if line < first or line in skipped:
            continue
        if c.kind == "arxiv":
            keys, label = frozenset([f"arxiv:{c.value}"]), f"arXiv {c.value}"
        elif c.kind == "doi":
            keys, label = frozenset([f"doi:{c.value}"]), f"doi {c.value}"
        elif c.kind == "url" and (m := _HOST.match(c.value)):
            key = _host_key(m.group(1), m.group(2))
            keys, label = frozenset([key]), key.removeprefix("web:")
        else:
            continue
        refs.append(_Ref(label, line, span.column, span.end_column or span.column, keys, c.kind))
        if len(refs) >= MAX_REFS:
            break
    for n in range(first, len(doc.lines) + 1):
        if len(refs) >= 2 * MAX_REFS:
            break  # many-sourced already; the pairing below is quadratic in the references
        if n in skipped:
            continue
        text = doc.lines[n - 1]
        # No year, no author-year reference (and the pattern is slow to fail). The plain
        # substring tests reject most lines quicker than a search does.
        if "19" not in text and "20" not in text:
            continue
        end = 0
        for year in _YEAR.finditer(text):
            end = year.end()
        if not end:
            continue
        # A reference ends with its year, and after the last year of the line none can: the
        # search stops there (4 characters on, for what the pattern reads after a year).
        for m in _AUTHOR_YEAR.finditer(text, 0, end + 4):
            name = m.group("name")
            word_start = text.rfind(" ", 0, m.start()) + 1
            if not is_author_name(name) or "/" in text[word_start : m.start()]:
                continue  # not an author, or part of a URL
            keys = frozenset([f"name:{name_key(name)}", f"year:{name_key(name)}:{m.group('year')}"])
            label = m.group(0).rstrip(",) ").replace("(", "")
            refs.append(_Ref(label, n, m.start() + 1, m.end() + 1, keys, "author-year"))
    refs = _join_adjacent(refs, doc.lines)
    return refs + _note_refs(doc, skipped)


def _join_adjacent(refs: list[_Ref], lines: tuple[str, ...]) -> list[_Ref]:
    """An identifier right after an author-year names the same work: "Doshi & Hauser (2025),
    arXiv:2401.13481" is one study, cited by both."""
    out = list(refs)
    for ref in refs:
        if ref.kind == "author-year":
            continue
        for k, other in enumerate(out):
            if other.kind != "author-year" or other.line != ref.line or other.end > ref.start:
                continue
            between = lines[ref.line - 1][other.end - 1 : ref.start - 1]
            if _BETWEEN.fullmatch(between):
                out[k] = other._replace(keys=other.keys | ref.keys)
    return out


def _note_refs(doc: Document, skipped: set[int]) -> list[_Ref]:
    """Links to source-archive notes anywhere, and notes listed in an Evidence section when
    there are several: one related claim listed next to a study reads as context for it."""
    archive: dict[str, _Ref] = {}
    listed: dict[str, _Ref] = {}
    evidence = [s for s in doc.sections if s.level > 1 and _EVIDENCE_HEADING.search(s.title)]
    for link in doc.links:
        line = link.span.line
        if link.in_frontmatter or line in skipped:
            continue
        target = link.target.lower()
        ref = _Ref(link.target, line, 0, 0, frozenset([f"note:{target}"]), "note")
        if _ARCHIVE_NOTE.match(target):
            archive.setdefault(target, ref)
        elif any(s.line < line <= s.end_line for s in evidence):
            listed.setdefault(target, ref)
    notes = list(archive.values())
    if len(listed) >= 2:
        notes.extend(r for k, r in listed.items() if k not in archive)
    return notes


# --- merging and judging ----------------------------------------------------------------------


def _merge(units: list[Source], refs: list[_Ref]) -> list[Source]:
    """Field references first; a body reference sharing an identity with one is the same work
    (and lends it its identities: the arXiv id written next to the author). Body references
    left over become sources of their own, one per identity."""
    sources = list(units)
    extra: list[Source] = []
    # Author-years first: they carry the identifiers joined to them.
    for ref in sorted(refs, key=lambda r: r.kind != "author-year"):
        for pool in (sources, extra):
            k = next((i for i, s in enumerate(pool) if _same(ref, s)), None)
            if k is not None:
                pool[k] = pool[k]._replace(keys=pool[k].keys | ref.keys)
                break
        else:
            extra.append(Source(ref.label, ref.line, ref.keys, ref.kind in ("arxiv", "doi")))
    return sources + extra


def _same(ref: _Ref, source: Source) -> bool:
    if ref.kind != "author-year":
        return bool(ref.keys & source.keys)
    # The field's reference when the field names the author; two body citations are one work
    # only with the same author and year.
    years = {k for k in source.keys if k.startswith("year:")}
    if years:
        return bool(ref.keys & years)
    return any(k in source.keys for k in ref.keys if k.startswith("name:"))


def _names_a_study(label: str, text: str) -> bool:
    """Whether a `source` reference, as written, names a study: a study word, a paper or a
    report, an identifier, or an academic author-year; never a book, essay or own note."""
    low = text.lower()
    if _NOT_STUDY.search(low) or _OWN_NOTES.match(label):
        return False
    if _strong_study(text, low) or _WEAK_STUDY.search(low):
        return True
    author = _author_year(text)
    return author is not None and author.start() == 0


def _strong_study(text: str, low: str) -> bool:
    """A study by its own words ("trial", "preprint") or a journal and a year."""
    return bool(_STUDY_TERMS.search(low) or _JOURNAL_CITED.search(text))


def _is_study(source: Source, written: str, doc: Document, skipped: set[int]) -> bool:
    """Whether the lone source reports empirical research, as the field and the body tell."""
    low = written.lower()
    if written and (_NOT_STUDY.search(low) or _OWN_NOTES.match(source.label)):
        return False
    if written and _strong_study(written, low):
        return True
    # Titles of linked claims carry other claims' numbers: read the body without them.
    body = "\n".join(
        [str(doc.meta.get("description") or "")]
        + [doc.lines[n - 1] for n in range(doc.body_start, len(doc.lines) + 1) if n not in skipped]
    )
    body = _WIKI_LINK.sub(" ", body).lower()
    if _names(body, _STUDY_WORDS):
        return True  # "the STELA study", "a February 2026 preprint"
    # A paper or report, named in the field or the body, counts when the body quotes results.
    named = source.study or _names(body, _PAPER_WORDS)
    return named and (any(p.search(body) for p in _EMPIRICAL) or bool(_SHARE.search(body)))
