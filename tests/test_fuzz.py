"""Parsing never raises: arbitrary bytes, YAML-like text, and hostile markdown."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.documents import parse, parse_text
from bot.index import KnowledgeIndex
from tests.rule_runner import settings as rule_settings

FRAGMENTS = st.sampled_from(
    [
        "---", "...", "type: claim", "created: 2015-03-00", "a: &x [1, 2]", "b: *x", "*x", "? [a]",
        ": :", "- - -", "[[", "]]", "[[a|b#c]]", "`", "```", "~~~", "# ", "## Limitations",
        "Topics:", "\t", "\r\n", "\ufeff", "\x00", "'", '"', "{", "}", "|", ">",
        "!!python/object:os.system", "!!binary", "arXiv:2401.00001", "10.1000/x", "https://e.org",
        "Smith et al. (2020)", "é", "\u202e",
    ]
)  # fmt: skip
YAMLISH = st.lists(st.one_of(FRAGMENTS, st.text(max_size=12)), max_size=40).map("\n".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=2048))
def test_parse_never_raises_on_bytes(data):
    doc = parse("x.md", data)
    assert isinstance(doc.title, str)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(YAMLISH)
def test_parse_never_raises_on_yaml_like_text(text):
    doc = parse_text("x.md", text)
    for link in doc.links:
        assert 1 <= link.span.line <= len(doc.lines)
    for problem in doc.problems:
        assert 1 <= problem.span.line <= max(len(doc.lines), 1)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(YAMLISH)
def test_every_rule_survives_arbitrary_documents(text):
    from bot import engine

    doc = parse_text("domains/health/x.md", "---\ntype: claim\n" + text)
    index = KnowledgeIndex(["domains/health/x.md", "a/_map.md", "b/_map.md"])
    engine.run([doc], index, rule_settings())


def test_python_tags_are_not_executed():
    doc = parse_text("x.md", "---\nx: !!python/object/apply:os.system ['echo pwned']\n---\n")
    assert doc.problems and doc.problems[0].rule == "frontmatter-syntax"
