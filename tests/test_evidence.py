"""bot.evidence: what a claim's evidence rests on, on the seed claim and on small cases."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.documents import parse
from bot.evidence import (
    _EMPIRICAL,
    _JOURNAL_CITED,
    _NOT_STUDY,
    _PAPER_WORDS,
    _STUDY_TERMS,
    _STUDY_WORDS,
    _WEAK_STUDY,
    _names,
    _strong_study,
    _top_level_split,
    assess,
    source_text,
    split_source,
)
from tests.conftest import SEED
from tests.rule_runner import run_rule

WITH_LIMITS = (
    SEED / "alignment training population composition is a first-order technical variable.md"
)
WITHOUT_LIMITS = SEED / "without-limitations.md"
SEED_PATH = "domains/ai-alignment/alignment training population composition.md"


def _assess(text: str):
    return assess(parse("domains/health/x.md", text.encode("utf-8")))


def test_seed_with_limitations_section_passes():
    doc = parse(SEED_PATH, WITH_LIMITS.read_bytes())
    ev = assess(doc)
    assert ev.single_study is not None and ev.single_study.label == "arXiv 2511.14476"
    assert ev.independent_sources == 1
    assert ev.limits_section is not None and ev.limits_section.title == "Limitations"
    rule = "single-study-without-limitations"
    assert run_rule(rule, SEED_PATH, WITH_LIMITS.read_text(encoding="utf-8")) == []


def test_seed_without_limitations_fails_on_its_title_line():
    text = WITHOUT_LIMITS.read_text(encoding="utf-8")
    ev = assess(parse(SEED_PATH, text.encode("utf-8")))
    assert ev.single_study is not None and ev.limits_section is None
    found = run_rule("single-study-without-limitations", SEED_PATH, text)
    assert [(f.code, f.span.line) for f in found] == [("CR301", 10)]
    assert "arXiv 2511.14476" in found[0].message
    assert "## Limitations" in found[0].message


@pytest.mark.parametrize(
    ("field", "labels"),
    [
        ("arXiv 2511.14476, empirical study with 1,095 participants", ["arXiv 2511.14476"]),
        ("Knuth 2026, 'Claude's Cycles' (Stanford CS, Feb 28 2026 rev. Mar 6)", ["Knuth 2026"]),
        (
            "Bessemer Venture Partners, State of Health AI 2026 (bvp.com/atlas/x)",
            ["Bessemer Venture Partners, State of Health AI 2026"],
        ),
        (
            "Massenkoff & McCrory 2026, Current Population Survey baseline Aug-Oct 2022",
            ["Massenkoff & McCrory 2026"],
        ),
        ("Theseus, from Doshi & Hauser (2025), 'How AI Ideas Affect'", ["Doshi & Hauser (2025)"]),
        (
            "Bostrom, Superintelligence: Paths, Dangers, Strategies (2014)",
            ["Bostrom, Superintelligence: Paths, Dangers, Strategies (2014)"],
        ),
        ("Trial report (May 2024); 21 simulated cases", ["Trial report"]),
        (
            "Braveman & Egerter 2019, Schroeder 2007, County Health Rankings, Dever 1976",
            ["Braveman & Egerter 2019", "Schroeder 2007", "County Health Rankings, Dever 1976"],
        ),
        (
            "Morningstar fund analysis, NPR, TheStreet, Fortune",
            ["Morningstar fund analysis", "NPR, TheStreet, Fortune"],
        ),
        (
            "Citrini (2026); consumption data from BEA; challenged by Bloch",
            ["Citrini (2026)", "consumption data from BEA"],
        ),
        (
            "Astra synthesis from rocket costs, orbital mechanics budgets",
            ["rocket costs", "orbital mechanics budgets"],
        ),
    ],
)
def test_split_source_joins_descriptions_and_separates_references(field, labels):
    assert [label for label, _ in split_source(field)] == labels


def test_structured_and_empty_source_fields():
    structured = {
        "title": "Labels",
        "authors": ["Farrow", "Iqbal"],
        "year": 2023,
        "arxiv_id": "2403.01234",
        "type": "paper",
    }
    assert source_text(structured) == 'Farrow & Iqbal 2023, "Labels" (arXiv 2403.01234)'
    assert source_text(None) == source_text("None") == ""
    assert source_text(["A (2020)", "B (2021)"]) == "A (2020); B (2021)"


def test_a_book_or_an_own_analysis_is_not_a_study():
    book = _assess(
        '---\nsource: "Hartmann, The Hungry City (book, 2019)"\n---\n# T\n\n60% of it.\n'
    )
    assert book.single_study is None and book.independent_sources == 1
    own = _assess('---\nsource: "Menu pricing analysis, March 2026"\n---\n# T\n\n40% more.\n')
    assert own.single_study is None


def test_a_position_paper_without_results_is_not_a_study():
    ev = _assess(
        '---\nsource: "Lee et al, A Framework (arXiv 2501.00001)"\n---\n# T\n\n'
        "The paper proposes a framework; since [[oversight fails 50 percent of the time]], it "
        "adds a second layer.\n"
    )
    assert ev.single_study is None  # numbers in a linked claim's title are not results


def test_identifier_next_to_author_year_is_the_same_study():
    ev = _assess(
        '---\nsource: "Doshi & Hauser (2025)"\n---\n# T\n\n'
        "The pre-registered experiment had 800 participants.\n\n"
        "## Evidence\n- Doshi & Hauser (2025), arXiv:2401.13481v3 — results\n"
    )
    assert ev.single_study is not None and ev.independent_sources == 1
    assert "arxiv:2401.13481" in ev.single_study.keys


def test_counter_evidence_is_not_support_and_is_found():
    ev = _assess(
        '---\nsource: "Doshi & Hauser (2025)"\n---\n# T\n\n'
        "The pre-registered experiment had 800 participants.\n\n"
        "## Challenges\nOkonkwo et al. (2021) found the opposite.\n"
    )
    assert ev.single_study is not None
    assert ev.counter_evidence is not None and ev.counter_evidence.title == "Challenges"
    assert ev.limits_section is ev.counter_evidence


def test_several_evidence_notes_make_a_claim_multi_sourced():
    text = (
        '---\nsource: "Doshi & Hauser (2025)"\n---\n# T\n\n'
        "The pre-registered experiment had 800 participants.\n\n## Evidence\n"
    )
    one = _assess(text + "- [[note one]]\n")
    assert one.single_study is not None  # one related note reads as context
    two = _assess(text + "- [[note one]]\n- [[note two]]\n")
    assert two.single_study is None and two.independent_sources == 3


def test_leads_that_explain_are_not_limits():
    ev = _assess("---\nsource: x\n---\n# T\n\n## Why this challenges the consensus\nBecause.\n")
    assert ev.limits_section is None and ev.counter_evidence is None
    ev = _assess("---\nsource: x\n---\n# T\n\nCritical caveat: one city only.\n")
    assert ev.limits_section is not None and ev.limits_section.title == "Critical caveat"


# --- the body searches against the single case-insensitive patterns they replace -------------

_NAMES_ORACLE = (
    r"\b(?:the|this|that|a|an|one|single|their|[A-Z][\w-]*['’]s)\s+"
    r"(?:[\w-]+\s+|[\"“'‘][^\"”'’\n]{1,100}[\"”'’]\s+){0,3}?"
)
_STUDY_ORACLE = re.compile(
    _NAMES_ORACLE + r"(?:study|preprint|experiment|trial|survey|evaluation)\b", re.I
)
_PAPER_ORACLE = re.compile(_NAMES_ORACLE + r"(?:paper|report)\b", re.I)
_EMPIRICAL_ORACLE = re.compile(
    r"\d[\d,]*\+?\s+(?:participants|respondents|patients|subjects|people|users|workers|women|"
    r"men|adults|children|enrollees|forecasters|scenarios|games|physicians|doctors|clinicians|"
    r"companies|firms|countries|ratings|explorations|households|students|individuals|trades)\b"
    r"|\b[Nn]\s?=\s?\d|\bp\s?[<=]\s?0?\.\d|[βρ]\s?=|\beffect sizes?\b|statistically significant"
    r"|confidence interval|odds ratio|pre-?registered|randomi[sz]ed|control (?:group|condition)"
    r"|matched comparison|single (?:empirical |experimental )?study",
    re.I,
)
_WORDS = """
    the this a one their Acme's RadNet’s X-ray "quoted title" ‘Q’ 2026 February big new study
    studying studies preprint trial trials industrial survey paper report reports 1,200 12+
    participants people women men trades n N = =5 p<0.05 p .01 pn=3 β= ρ effect size sizes
    Effect statistically significant preregistered pre-registered randomized randomised single
    empirical case-study control group , .
"""
_TOKENS = [*re.findall(r"\S+", _WORDS), "\n", "\n\n"]


@given(st.lists(st.sampled_from(_TOKENS), max_size=14), st.sampled_from([" ", "", "\n"]))
def test_body_searches_find_what_the_case_insensitive_patterns_found(tokens, glue):
    text = glue.join(tokens)
    lower = text.lower()
    assert _names(lower, _STUDY_WORDS) == bool(_STUDY_ORACLE.search(text))
    assert _names(lower, _PAPER_WORDS) == bool(_PAPER_ORACLE.search(text))
    assert any(p.search(lower) for p in _EMPIRICAL) == bool(_EMPIRICAL_ORACLE.search(text))


def _split_one_char_at_a_time(text: str) -> list[tuple[str, str]]:
    """The splitter as first written, visiting every character: the oracle for the fast one."""
    pieces: list[tuple[str, str]] = []
    depth, quote, start, sep, i = 0, "", 0, "", 0
    while i < len(text):
        ch = text[i]
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
            elif text.startswith(" + ", i):
                cut = 3
            elif ch == "." and re.search(r"(?:[a-z]{3}|\d)\. [A-Z]$", text[max(0, i - 3) : i + 3]):
                cut = 1
        if cut:
            pieces.append((sep, text[start:i]))
            sep = text[i : i + cut].strip()
            start = i + cut
        i += cut or 1
    pieces.append((sep, text[start:]))
    return [(sep, p.strip(" .")) for sep, p in pieces if p.strip(" .")]


@given(st.text("\"“”‘’'()[]{};,. +abcXY19", max_size=40))
def test_the_source_splitter_visits_only_marks_and_agrees_with_visiting_every_character(text):
    assert _top_level_split(text) == _split_one_char_at_a_time(text)


source_words = st.lists(
    st.sampled_from(
        [
            "Book",
            "STUDY",
            "studies",
            "Trial",
            "NBER",
            "working paper",
            "Working Paper",
            "Ch.",
            "v. ",
            "@Handle",
            "Nature",
            "nature",
            "Science,",
            "(",
            ")",
            "2024",
            "19",
            ",",
            " ",
            "Report",
            "DOI",
            "et al",
            "Case Study",
            "x archive",
            "Press Release",
            "Act",
            "actor",
        ]
    ),
    max_size=10,
).map("".join)


@given(source_words)
def test_source_patterns_read_lower_case_as_case_blind_patterns_read_the_text(text):
    low = text.lower()
    for pattern in (_NOT_STUDY, _WEAK_STUDY):
        blind = re.compile(pattern.pattern, re.IGNORECASE)
        assert bool(pattern.search(low)) == bool(blind.search(text))
    # As one pattern: the study words in any case, a journal only as written.
    old = re.compile(f"(?i:{_STUDY_TERMS.pattern})|{_JOURNAL_CITED.pattern}")
    assert _strong_study(text, low) == bool(old.search(text))


_PIECES = st.sampled_from(
    ["Smith 2019", "McKay (2020a)", "Lee and Park 1920", "de Vries et al. 2021", "Ng 2019-20",
     "Smith found in 2020", "x/Smith 2019", "Smith", "van", "et al.", "&", "(", ")", ",", " ",
     "  ", "2019", "20201", "19", "20", "a", "-", "-2", "\n"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=14).map("".join))
def test_author_years_are_searched_up_to_the_last_year_of_a_line(text):
    """_body_refs stops the author-year search 4 characters after the line's last year."""
    from bot.evidence import _AUTHOR_YEAR, _YEAR

    end = max((m.end() for m in _YEAR.finditer(text)), default=0)
    everywhere = [(m.span(), m.groupdict()) for m in _AUTHOR_YEAR.finditer(text)]
    bounded = [(m.span(), m.groupdict()) for m in _AUTHOR_YEAR.finditer(text, 0, end + 4)]
    assert bounded == everywhere if end else everywhere == []


_SOURCE_PARTS = st.sampled_from(
    ["arXiv 2401.12345", "ARXİV:2401.12345", "arxıv 2401.12345", "doi 10.1000/xyz1", "@handle",
     "nber.org/papers/w1", "www.Example.IO", "x.ai", "(", ")", "Smith", " ", ", ", "2024"]
)  # fmt: skip


@given(st.lists(_SOURCE_PARTS, max_size=8).map("".join))
def test_source_keys_are_those_of_every_pattern_searched_everywhere(text):
    """_keys searches a pattern only where its hint is; the hints miss nothing."""
    from bot import evidence as ev

    keys = {f"arxiv:{m.group(1)}" for m in ev._ARXIV.finditer(text)}
    keys |= {f"doi:{m.group(1).lower()}" for m in ev._DOI.finditer(text)}
    keys |= {ev._host_key(m.group(1), m.group(2)) for m in ev._HOST.finditer(text)}
    keys |= {f"web:x.com/{h.lower()}" for h in ev._HANDLE.findall(text)}
    bare = ev._BRACKETED.sub(" ", text)
    keys |= {f"name:{ev.name_key(w)}" for w in ev._NAME_WORD.findall(bare)}
    assert ev._keys(text) == frozenset(keys)
