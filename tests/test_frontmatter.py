from __future__ import annotations

import datetime as dt
import time

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot.frontmatter import (
    MAX_EXPANDED_NODES,
    Problem,
    _LenientLoader,
    _resolve,
    as_date,
    load,
    split,
)


class _PyYAMLResolving(_LenientLoader):  # the oracle: tags as PyYAML's own resolver gives them
    resolve = yaml.resolver.BaseResolver.resolve


def test_fields_carry_their_file_lines():
    text = "---\ntype: claim\ndomain: health\ntags:\n  - a\n  - b\n---\nbody\n"
    parts = split(text)
    fm = parts.frontmatter
    assert fm is not None
    assert fm.data == {"type": "claim", "domain": "health", "tags": ["a", "b"]}
    assert fm.line_of("type") == 2
    assert fm.line_of("domain") == 3
    assert fm.fields["tags"].item_lines == (5, 6)
    assert fm.end_line == 7
    assert parts.body_start == 8


def test_no_frontmatter_is_not_a_problem():
    parts = split("# Just a title\n")
    assert parts.frontmatter is None and parts.problems == () and parts.body_start == 1


def test_unclosed_fence_is_a_problem_on_line_1():
    parts = split("---\ntype: claim\n\n# Title\n")
    assert parts.frontmatter is None
    (problem,) = parts.problems
    assert problem.rule == "frontmatter-syntax" and problem.span.line == 1
    assert "never closed" in problem.args["problem"]


def test_yaml_error_reports_yamls_own_line():
    parts = split('---\ntype: claim\ndescription: "open quote\nconfidence: likely\n---\n')
    (problem,) = parts.problems
    assert problem.rule == "frontmatter-syntax"
    # YAML notices the unclosed quote when it reaches the end of the block (file line 5).
    assert problem.span.line in (4, 5)
    assert "YAML syntax error" in problem.args["problem"]


def test_mapping_value_error_line():
    parts = split("---\ntype: claim\nsource: a: b\n---\n")
    (problem,) = parts.problems
    assert problem.span.line == 3


def test_frontmatter_that_is_a_list_is_a_problem():
    (problem,) = split("---\n- a\n- b\n---\n").problems
    assert "a list, not a mapping" in problem.args["problem"]


def test_impossible_dates_load_as_strings():
    fm = split("---\ncreated: 2015-03-00\ndate: 2024-02-29\n---\n").frontmatter
    assert fm is not None
    assert fm.data["created"] == "2015-03-00"
    assert fm.data["date"] == dt.date(2024, 2, 29)
    assert as_date(fm.data["created"]) is None
    assert as_date("2024-02-29") == dt.date(2024, 2, 29)
    assert as_date(dt.datetime(2024, 1, 2, 3, 4)) == dt.date(2024, 1, 2)


def test_alias_bomb_is_refused_quickly():
    lines = ["---", 'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    prev = "a"
    for name in "bcdefghij":
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]")
        prev = name
    lines.append("---")
    started = time.perf_counter()
    parts = split("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 2
    (problem,) = parts.problems
    assert "aliases" in problem.args["problem"]
    assert MAX_EXPANDED_NODES < 10**9


def test_deep_nesting_is_a_problem_not_a_crash():
    text = "---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n"
    parts = split(text)
    assert parts.frontmatter is None
    assert parts.problems and parts.problems[0].rule == "frontmatter-syntax"


def test_unhashable_key_is_a_problem_not_a_crash():
    parts = split("---\n? [a, b]\n: c\n---\n")
    assert parts.problems and parts.problems[0].rule == "frontmatter-syntax"


def test_empty_frontmatter_is_an_empty_mapping():
    parts = split("---\n---\n# T\n")
    assert parts.frontmatter is not None and parts.frontmatter.data == {}


# Values as a frontmatter holds them: text, numbers, dates, lists, nested mappings, null.
scalars = st.one_of(
    st.text(max_size=12),
    st.integers(),
    st.booleans(),
    st.none(),
    st.dates(),
    st.sampled_from(["2015-03-00", "yes", "~", "1e3", "0x1F", "null", "12:30"]),
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner)
)


@given(st.dictionaries(st.text(min_size=1, max_size=8) | st.integers(), values, max_size=6))
def test_loads_exactly_what_pyyaml_constructs(mapping):
    raw = yaml.safe_dump(mapping, allow_unicode=True)
    got = load(raw)
    assert not isinstance(got, Problem)
    expected = yaml.load(raw, Loader=_PyYAMLResolving)
    assert got[0] == {str(k): v for k, v in expected.items()}


plain_scalars = st.text(max_size=10) | st.sampled_from(
    ["", "~", "null", "Null", "NO", "on", "1_000", "-.5", ".inf", "0o17", "2015-03-00", "<<", "="]
)


@given(
    st.sampled_from([yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode]),
    plain_scalars,
    st.tuples(st.booleans(), st.booleans()),
)
def test_tags_resolve_as_pyyamls_resolver_resolves_them(kind, value, implicit):
    loader = _LenientLoader("")
    try:
        value = value if kind is yaml.ScalarNode else None
        assert _resolve(loader, kind, value, implicit) == yaml.resolver.BaseResolver.resolve(
            loader, kind, value, implicit
        )
    finally:
        loader.dispose()


def test_merge_keys_and_anchors_load_as_pyyaml_does():
    raw = "base: &b {a: 1}\nlinks: &l [x, y]\n<<: *b\nagain: *l\n"
    data, _ = load(raw)
    assert data == {"base": {"a": 1}, "links": ["x", "y"], "a": 1, "again": ["x", "y"]}


def _fences_by_lines(text: str) -> tuple[int, int] | None:
    """The fences as a reader sees them: line 1 is `---`, and the first later line that is
    `---` or `...` closes (trailing blanks allowed). (closing line, body line), 1-based."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    return None if end is None else (end + 1, end + 2)


fence_text = st.lists(
    st.sampled_from(["---", "...", "--- ", "---\t", " ---", "----", "a: 1", "", "b: [x]", "-- -"]),
    max_size=8,
).map("\n".join)


@given(fence_text)
def test_split_finds_the_fences_a_line_reader_finds(text):
    expected = _fences_by_lines(text)
    parts = split(text)
    if expected is None:
        assert parts.frontmatter is None
        assert parts.body_start == 1
        return
    closing, body = expected
    assert parts.body_start == body
    if parts.frontmatter is not None:
        assert parts.frontmatter.end_line == closing
    # The body offset is where the body line starts (the end, when the fence is the last line).
    lines = text.split("\n")
    assert parts.body_offset == min(sum(len(line) + 1 for line in lines[: body - 1]), len(text))


@pytest.mark.parametrize(
    "value",
    ["2024-01-05", "2024-02-29", "2023-02-29", "2015-03-00", "0000-01-01", "9999-12-31",
     "2024-1-5", "2024-01-05 10:00:00", "2024-01-05T10:00:00Z", "'2024-01-05'"],
)  # fmt: skip
def test_dates_load_as_pyyaml_constructs_them_impossible_ones_as_text(value):
    got = load(f"created: {value}\nitems: [{value}]\n")
    assert not isinstance(got, Problem)
    expected = yaml.load(f"created: {value}\nitems: [{value}]\n", Loader=_PyYAMLResolving)
    assert got[0] == expected and type(got[0]["created"]) is type(expected["created"])
