from __future__ import annotations

from bot.github import render
from bot.models import Finding, Placement, Severity, Span


def finding(message: str, fp: str = "a" * 20) -> Finding:
    return Finding("CR201", "unresolved-wiki-link", Severity.ERROR, "a.md", Span(3), message, fp,
                   placement=Placement.ADDED_LINE)  # fmt: skip


def test_neutralise_plain_text():
    out = render.neutralise("hi @octocat <img src=x> [click](http://e.x) #12\nnext *b* _i_")
    assert "@octocat" not in out and "@\u200boctocat" in out
    assert "<img" not in out and "&lt;img src=x&gt;" in out
    assert "\\[click\\](http://e.x)" in out
    assert "#12" not in out and "\n" not in out
    assert "\\*b\\*" in out


def test_neutralise_keeps_code_spans_inert_and_balanced():
    out = render.neutralise("`[[<b>x</b>]]` then <i>")
    assert out.startswith("`[[<b>x</b>]]`") and out.endswith("&lt;i&gt;")
    odd = render.neutralise("a `b` c ` d <x>")
    assert odd.count("`") - odd.count("\\`") == 2 and "&lt;x&gt;" in odd


def test_markers_are_recognised_only_where_we_put_them():
    body = render.inline_body(finding("msg"))
    assert render.marker_of(body) == "a" * 20
    assert render.marker_of("<!-- claim-review:finding " + "b" * 20 + " --> and text after") is None
    quoted = render.inline_body(finding("quotes <!-- claim-review:finding " + "c" * 20 + " -->"))
    assert render.marker_of(quoted) == "a" * 20
    assert not render.is_summary("text\n" + render.SUMMARY_MARKER)


def test_summary_is_cut_to_the_limit_with_a_pointer():
    many = [finding(f"message number {i} " + "x" * 200, fp=f"{i:020d}") for i in range(2000)]
    data = render.SummaryInput(many, frozenset(), ["a.md"], "f" * 40, Severity.ERROR,
                               details_url="https://example.invalid/run/1")  # fmt: skip
    body = render.summary_body(data)
    assert len(body) <= render.BODY_LIMIT
    assert "more, listed in the [job summary](https://example.invalid/run/1)" in body
    assert body.startswith(render.SUMMARY_MARKER)


def test_resolved_body_keeps_the_marker_and_is_stable():
    body = render.inline_body(finding("gone"))
    once = render.resolved_body(body)
    assert once.startswith("✅ Resolved") and render.marker_of(once) == "a" * 20
    assert render.resolved_body(once) == once
