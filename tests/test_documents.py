from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.documents import parse, parse_text
from tests.conftest import SEED

SEED_CLAIM = (
    SEED / "alignment training population composition is a first-order technical variable.md"
)


def test_seed_claim_structure():
    doc = parse("domains/ai-alignment/x.md", SEED_CLAIM.read_bytes())
    assert doc.problems == ()
    assert doc.meta["type"] == "claim" and doc.meta["confidence"] == "experimental"
    assert doc.title.startswith("Alignment training population composition")
    assert doc.title_line == 10
    titles = [s.title for s in doc.sections]
    assert titles[1:] == [
        "Evidence",
        "Relationship to Existing Work",
        "Limitations",
        "Relevant Notes",
        "Topics",
    ]
    topics = doc.section("topics")
    assert topics is not None and topics.is_label
    assert not doc.holds_text(topics.line + 1, topics.end_line)
    notes = doc.section("Relevant Notes")
    assert notes is not None and doc.holds_text(notes.line + 1, notes.end_line)
    assert [link.span.line for link in doc.links] == [34, 35, 36, 37]
    assert doc.links[2].target.startswith("some disagreements are permanently irreducible")
    assert doc.links[0].span.column == 3
    assert {c.value for c in doc.citations if c.kind == "arxiv"} == {"2511.14476"}


def test_title_falls_back_to_file_name():
    doc = parse_text("domains/x/a claim without heading.md", "Body only.\n")
    assert doc.title == "a claim without heading" and doc.title_line is None


def test_link_forms():
    text = (
        "# T\n\n"
        "[[plain title]] [[target|shown alias]] [[target#Some heading]]\n"
        "[[folder/sub/target]] [[target.md]] [[#only heading]] [[ spaced ]]\n"
        "| table | [[target\\|alias]] |\n"
    )
    doc = parse_text("a.md", text)
    got = [(link.target, link.alias, link.heading) for link in doc.links]
    assert got == [
        ("plain title", None, None),
        ("target", "shown alias", None),
        ("target", None, "Some heading"),
        ("folder/sub/target", None, None),
        ("target", None, None),
        ("spaced", None, None),
        ("target", "alias", None),
    ]
    md = doc.links[4]
    assert md.has_md_suffix and md.span == md.span.__class__(4, 23, 4, 36)
    assert not any(link.has_md_suffix for link in doc.links if link is not md)


def test_md_suffix_seen_behind_a_table_escaped_alias_bar():
    (link,) = parse_text("a.md", "# T\n\n| [[note.md\\|the note]] |\n").links
    assert (link.target, link.alias, link.has_md_suffix) == ("note", "the note", True)


def test_links_in_code_are_not_links():
    text = "# T\n\n```\n[[in fence]]\n```\n\nInline `[[in code]]` and [[real]].\n~~~~\n[[tilde]]\n"
    doc = parse_text("a.md", text)
    assert [link.target for link in doc.links] == ["real"]


def test_links_in_frontmatter_are_marked():
    doc = parse_text("a.md", '---\nfounders: ["[[Some Person]]"]\n---\n\n# T\n\n[[x]]\n')
    assert [(link.target, link.in_frontmatter) for link in doc.links] == [
        ("Some Person", True),
        ("x", False),
    ]


def test_code_spans_pair_runs_of_equal_length_on_one_line():
    text = (
        "# T\n\n``a `[[one]]` b`` and `[[two]]`\n"
        "`[[three]]`` is no span: runs of 1 and 2\n"
        "`open [[four]]\nclosed` on the next line is no span either\n"
    )
    doc = parse_text("x.md", text)
    assert [link.target for link in doc.links] == ["three", "four"]
    assert doc.links[0].span.column == 2  # offsets are kept


def test_headings_inside_code_are_not_sections():
    doc = parse_text("a.md", "# Title\n\n```\n# not a heading\n```\n\n## Real\ntext\n")
    assert [s.title for s in doc.sections] == ["Title", "Real"]


def test_section_ranges():
    text = "# T\nintro\n## A\na1\n\n### A.1\nx\n## B\nb\n---\n\nTopics:\n- [[m]]\n"
    doc = parse_text("a.md", text)
    by = {s.title: s for s in doc.sections}
    assert (by["A"].line, by["A"].end_line) == (3, 7)
    assert (by["A.1"].line, by["A.1"].end_line) == (6, 7)
    assert (by["B"].line, by["B"].end_line) == (8, 11)
    assert (by["Topics"].line, by["Topics"].end_line) == (12, 14)


def test_a_section_of_breaks_markers_and_comments_holds_no_text():
    doc = parse_text("a.md", "# T\n## A\n\n---\n- \n1.\n<!-- later -->\n## B\n- [[x]]\n")
    a, b = doc.section("A"), doc.section("B")
    assert a is not None and b is not None
    assert not doc.holds_text(a.line + 1, a.end_line)
    assert doc.holds_text(b.line + 1, b.end_line)


def test_citations():
    text = (
        "# T\n\nSee arXiv:2401.00001v2 and https://arxiv.org/abs/2402.00002,"
        " doi 10.5555/Example.1,\n"
        "https://example.org/report, Smith et al. (2021) and Jones and Lee (2019), "
        "Garcia et al., 2020. In (2020) nothing. March (2021) is not an author.\n"
    )
    doc = parse_text("a.md", text)
    got = {(c.kind, c.value) for c in doc.citations}
    assert ("arxiv", "2401.00001") in got and ("arxiv", "2402.00002") in got
    assert ("doi", "10.5555/example.1") in got
    assert ("url", "https://example.org/report") in got
    assert ("author-year", "Smith 2021") in got and ("author-year", "Jones 2019") in got
    assert ("author-year", "Garcia 2020") in got
    assert not any(v.startswith(("In ", "March ")) for _, v in got)
    # The arXiv URL is one citation, not an arXiv id plus a URL.
    assert not any(kind == "url" and "arxiv" in value for kind, value in got)
    line3 = next(c for c in doc.citations if c.value == "2401.00001")
    assert line3.span.line == 3


def test_bytes_problems_never_raise():
    assert parse("a.md", b"\xef\xbb\xbf# T\n").problems[0].rule == "file-encoding"
    crlf = parse("a.md", b"---\r\ntype: claim\r\n---\r\n# T\r\n")
    assert crlf.meta == {"type": "claim"} and crlf.title == "T"
    assert [p.rule for p in crlf.problems] == ["file-encoding"]
    nul = parse("a.md", b"# T\nline\n\x00\n")
    assert nul.problems[0].rule == "unreadable-file" and nul.problems[0].span.line == 3
    latin = parse("a.md", b"# T\n\ncaf\xe9\n")
    assert latin.problems[0].rule == "unreadable-file" and latin.problems[0].span.line == 3
    assert "caf\ufffd" in latin.body
    big = parse("a.md", b"x" * 2000, max_bytes=1000)
    assert (
        big.problems[0].rule == "unreadable-file"
        and "over the 1,000-byte limit" in big.problems[0].args["problem"]
    )


def test_disable_comments():
    doc = parse_text("a.md", "# T\n<!-- claim-review: disable unresolved-wiki-link, CR202 -->\n")
    assert doc.disabled == {"unresolved-wiki-link", "CR202"}


# The heading pattern before closing `#`s were cut off in Python: the oracle for the titles.
_LAZY_HEADING = re.compile(r"\n {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*(?=\n|\Z)")
heading_lines = st.lists(
    st.sampled_from(["#", "##", "#######", " ", "\t", "x", "C#", "\u00a0", "-", "T"]), max_size=9
).map("".join)


@given(heading_lines)
def test_heading_text_is_what_the_lazy_pattern_captured(line):
    doc = parse_text("n.md", f"\n{line}\n")
    old = _LAZY_HEADING.match(f"\n{line}\n")
    expected = old.group(2).strip() if old else ""
    got = [s.title for s in doc.sections if s.level > 0]
    assert got == ([expected] if expected else [])
