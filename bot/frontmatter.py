"""Split the `---` block off a markdown file and load it as YAML, with the line of every key.

Problems (no closing fence, YAML errors, a non-mapping, alias bombs) come back as `Problem`s with
file line numbers, never as exceptions: one broken file must not hide the findings of the others.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from bot import patterns
from bot.models import Span

with patterns.serving_re():  # PyYAML compiles its patterns on import: 60 M instructions
    import yaml

# PyYAML's C loader is about ten times faster than the pure-Python one on this kind of input.
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Bounds that keep hostile frontmatter cheap: an alias bomb shares nodes, so it loads quickly and
# only explodes when something walks it; we count its expanded size before anyone does.
MAX_FRONTMATTER_BYTES = 256 * 1024
MAX_EXPANDED_NODES = 20_000


class Problem(NamedTuple):
    """A parse problem; `rule` is the name of the rule that reports it."""

    rule: str
    span: Span
    args: dict[str, Any]


class Field(NamedTuple):
    line: int
    column: int
    item_lines: tuple[int, ...] = ()  # one line per item when the value is a block/flow sequence


class Frontmatter(NamedTuple):
    data: dict[str, Any]
    fields: dict[str, Field]
    end_line: int  # the closing fence
    raw: str = ""

    def line_of(self, key: str, default: int = 1) -> int:
        loc = self.fields.get(key)
        return loc.line if loc else default


class Split(NamedTuple):
    frontmatter: Frontmatter | None
    body_start: int  # first line of the body (1-based)
    problems: tuple[Problem, ...] = ()
    body_offset: int = 0  # where that line starts in the text


class _LenientLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps impossible dates (2015-03-00) as strings instead of crashing.

    `yaml.safe_load` raises ValueError on such dates; the schema check reports them as
    `invalid-date` findings at the right line instead.
    """


def _lenient_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_LenientLoader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_IMPLICIT: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: tuple(resolvers)
    for first, resolvers in _LenientLoader.yaml_implicit_resolvers.items()
    if first is not None
}


def _resolve(self: Any, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
    """The tag PyYAML's `BaseResolver.resolve` gives a node, without its generic steps (path
    resolvers, wildcard resolvers, a list built per call). The C parser calls it for every
    node, and PyYAML's version was 40% of loading a frontmatter."""
    if kind is yaml.ScalarNode:
        if implicit[0]:
            for tag, pattern in _IMPLICIT.get(value[:1], ()):  # type: ignore[index]
                if pattern.match(value):  # type: ignore[arg-type]
                    return tag
        return _STR
    return _SEQ if kind is yaml.SequenceNode else _MAP


# Only where those steps have nothing to do: no path resolvers, no resolver for any first letter.
if not _LenientLoader.yaml_path_resolvers and None not in _LenientLoader.yaml_implicit_resolvers:
    _LenientLoader.resolve = _resolve


# The closing fence: `---` or `...` alone on a line after the first (trailing blanks allowed).
# Searched for in the text: splitting every file into lines here costs a fifth of the YAML.
_CLOSING = patterns.compile(r"\n(?:---|\.\.\.)[^\S\n]*(?=\n|\Z)")


def split(text: str) -> Split:
    """Find the frontmatter fences in normalised text (LF line endings, no BOM) and load it."""
    if not text.startswith("---"):
        return Split(None, 1)
    first_end = text.find("\n")
    first_end = len(text) if first_end < 0 else first_end
    if text[:first_end].rstrip() != "---":
        return Split(None, 1)
    close = _CLOSING.search(text, first_end)
    if close is None:
        problem = Problem(
            "frontmatter-syntax",
            Span(1),
            {"problem": "the frontmatter opened on line 1 is never closed with `---`"},
        )
        return Split(None, 1, (problem,))
    end = text.count("\n", 0, close.start() + 1)  # the closing fence's line, 0-based
    body_offset = min(close.end() + 1, len(text))
    raw = text[first_end + 1 : close.start()]
    loaded = load(raw, first_line=2)
    if isinstance(loaded, Problem):
        return Split(None, end + 2, (loaded,), body_offset)
    data, fields_ = loaded
    return Split(Frontmatter(data, fields_, end + 1, raw), end + 2, body_offset=body_offset)


def load(raw: str, first_line: int = 1) -> tuple[dict[str, Any], dict[str, Field]] | Problem:
    """Load one YAML mapping; `first_line` is the file line of the text's first line."""

    def problem(message: str, line: int = first_line, column: int = 1) -> Problem:
        return Problem("frontmatter-syntax", Span(line, column), {"problem": message})

    if len(raw.encode("utf-8", "surrogatepass")) > MAX_FRONTMATTER_BYTES:
        return problem(f"the frontmatter is larger than {MAX_FRONTMATTER_BYTES // 1024} KiB")
    if not raw.strip():
        return {}, {}
    loader = _LenientLoader(raw)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            kind = {yaml.ScalarNode: "a single value", yaml.SequenceNode: "a list"}[type(node)]
            return problem(f"the frontmatter is {kind}, not a mapping of `key: value` fields")
        if "*" in raw and _expanded_size(node, {}) > MAX_EXPANDED_NODES:
            return problem("YAML aliases in the frontmatter expand to too many values")
        data = _construct(loader, node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        if mark is None:
            return problem(f"YAML syntax error: {what}")
        return problem(f"YAML syntax error: {what}", first_line + mark.line, mark.column + 1)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError) as exc:
        # TypeError: unhashable mapping keys such as `? [a]: b`; ValueError: odd scalars.
        return problem(f"YAML error: {type(exc).__name__}: {exc}".splitlines()[0][:200])
    finally:
        loader.dispose()
    fields_: dict[str, Field] = {}
    for key_node, value_node in node.value:
        key = data_key(key_node)
        if key is None or key in fields_:
            continue
        items: tuple[int, ...] = ()
        if isinstance(value_node, yaml.SequenceNode):
            items = tuple(first_line + item.start_mark.line for item in value_node.value)
        fields_[key] = Field(
            first_line + key_node.start_mark.line, key_node.start_mark.column + 1, items
        )
    return data, fields_


def _construct(loader: Any, node: yaml.MappingNode) -> dict[str, Any]:
    """The mapping as PyYAML constructs it, with keys as strings for the rules (`1: x` and
    `2020-01-01: y` keep their text). Plain text values and lists of them, nearly all of a
    frontmatter, are taken straight from the nodes: PyYAML's generic path costs as much as
    parsing. Anything else (numbers, dates, nested mappings, merge keys) is PyYAML's work."""
    if any(k.tag != _STR or not isinstance(k, yaml.ScalarNode) for k, _ in node.value):
        constructed = loader.construct_document(node)
        return {str(k): v for k, v in constructed.items()}
    data: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if value_node.tag == _STR and isinstance(value_node, yaml.ScalarNode):
            value = value_node.value
        elif (
            value_node.tag == _TIMESTAMP
            and isinstance(value_node, yaml.ScalarNode)
            and len(value_node.value) == 10  # YYYY-MM-DD, the resolver says: `created` and such
        ):
            value = _date(value_node.value)
        elif (
            value_node.tag == _SEQ
            and isinstance(value_node, yaml.SequenceNode)
            and all(i.tag == _STR and isinstance(i, yaml.ScalarNode) for i in value_node.value)
        ):
            value = [i.value for i in value_node.value]
        else:
            value = loader.construct_object(value_node, deep=True)
        data[key_node.value] = value
    return data


def _date(text: str) -> dt.date | str:
    """A date as PyYAML makes it, in one call; an impossible one stays text (as in
    _lenient_timestamp)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text


def data_key(node: yaml.Node) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many nodes the tree would have with every alias copied out (memoised, so linear)."""
    seen = memo.get(id(node))
    if seen is not None:
        return seen
    memo[id(node)] = MAX_EXPANDED_NODES + 1  # a cycle counts as infinite
    total = 1
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            total += _expanded_size(child, memo)
            if total > MAX_EXPANDED_NODES:
                break
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            total += _expanded_size(key, memo) + _expanded_size(value, memo)
            if total > MAX_EXPANDED_NODES:
                break
    memo[id(node)] = total
    return total


def is_blank(value: Any) -> bool:
    """No value: absent, null, only whitespace, or an empty list or mapping."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | dict) and not value)


def as_date(value: Any) -> dt.date | None:
    """A YAML date value, or a quoted `YYYY-MM-DD` string that names a real day."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]) if len(value.strip()) >= 10 else None
        except ValueError:
            return None
    return None
