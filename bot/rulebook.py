"""Rule files (`rules/*.yml`) and schema files (`rules/schemas/*.yml`) -> frozen specs.

A rule is data: code, name, kind, severity, where it applies, message, docs, params and
examples. The `kind` names the check in `bot/checks/` that does the work; the check's own
`Params` dataclass holds `params`. A bad file is an error naming the file and the key.
"""

from __future__ import annotations

import fnmatch
import functools
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from bot import patterns
from bot.frozen import frozen
from bot.validate import STRICT, InvalidData, build, validate

with patterns.serving_re():  # PyYAML compiles its patterns on import: 60 M instructions
    import yaml

CODE = patterns.compile(r"^CR\d{3}$")
NAME = patterns.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
SeverityWord = Literal["error", "warning", "notice"]


class RuleFileError(ValueError):
    """A rule, schema or config file that cannot be used; the message names file and key."""


@frozen
class AppliesTo:
    """Where a rule applies: path globs, exclusions, and a frontmatter predicate."""

    __pydantic_config__ = STRICT
    paths: tuple[str, ...] = ("**/*.md",)
    exclude: tuple[str, ...] = ()
    # Frontmatter predicate: every key must match; a list means any of its values.
    where: dict[str, Any] = field(default_factory=dict)

    def matches_path(self, path: str) -> bool:
        return self._globs.matches(path)

    @functools.cached_property
    def _globs(self) -> GlobSet:
        return GlobSet(self.paths, self.exclude)

    def matches_meta(self, meta: dict[str, Any]) -> bool:
        for key, expected in self.where.items():
            value = meta.get(key)
            options = expected if isinstance(expected, list) else [expected]
            if value not in options and not (value is not None and "*" in options):
                return False
        return True


@frozen
class Example:
    """A file the rule must pass or fail on, with the other files the knowledge base holds."""

    __pydantic_config__ = STRICT
    text: str
    path: str = "domains/health/example claim.md"
    files: dict[str, str] = field(default_factory=dict)  # other path -> text
    base: str | None = None  # for rules that compare with a file's previous version
    description: str | None = None  # pull-request description, for rules that read it


@frozen
class Examples:
    """A file the rule passes and one it fails; the test suite runs both."""

    __pydantic_config__ = STRICT
    passing: Example = field(metadata={"alias": "pass"})
    failing: Example = field(metadata={"alias": "fail"})


@frozen
class RuleSpec:
    """One rule file: what the rule checks, how it reports it, and its examples."""

    __pydantic_config__ = STRICT
    code: str = field(metadata={"pattern": CODE.pattern, "description": "Permanent code, CR123."})
    name: str = field(metadata={"pattern": NAME.pattern, "description": "Readable name."})
    kind: str = field(metadata={"description": "The check in bot/checks/ that runs the rule."})
    severity: SeverityWord
    summary: str
    message: str = field(metadata={"description": "Template; {names} come from the check."})
    why: str
    fix: str
    examples: Examples
    applies_to: AppliesTo = field(default_factory=AppliesTo)
    params: dict[str, Any] = field(default_factory=dict)
    source: str = field(default="", metadata={"description": "Set by the loader: the file."})

    def render(self, args: Mapping[str, Any]) -> str:
        try:
            return self.message.format_map(_Defaulting(args))
        except (ValueError, IndexError, AttributeError):
            return self.message


class _Defaulting(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# --- schemas ----------------------------------------------------------------------------------

FieldType = Literal["string", "text", "date", "list", "enum", "number", "boolean", "mapping", "any"]


@frozen
class FieldSpec:
    """One frontmatter field of a schema: its type, whether it is required, its values."""

    __pydantic_config__ = STRICT
    type: FieldType = "string"
    required: bool = False
    values: tuple[Any, ...] = ()  # allowed values, for enum (and lists of enum items)
    items: tuple[Any, ...] = ()  # allowed item values for a list, when they are an enum
    description: str = ""


@frozen
class SchemaSpec:
    """The frontmatter of one kind of file, selected by its `type` value."""

    __pydantic_config__ = STRICT
    type: str
    fields: dict[str, FieldSpec]
    description: str = ""
    also_types: tuple[str, ...] = ()  # legacy `type` values checked with this schema
    applies_to: AppliesTo = field(default_factory=AppliesTo)
    # Field-name patterns accepted without a declaration (fnmatch), e.g. `flagged_for_*`.
    open_fields: tuple[str, ...] = ()
    source: str = ""

    def field_for(self, key: str) -> FieldSpec | None:
        return self.fields.get(key)

    def is_known(self, key: str) -> bool:
        return key in self.fields or any(fnmatch.fnmatchcase(key, p) for p in self.open_fields)


# --- loading ----------------------------------------------------------------------------------


class RuleBook(NamedTuple):
    rules: tuple[RuleSpec, ...]
    schemas: dict[str, SchemaSpec]  # by `type` value, legacy values included

    def find(self, key: str) -> RuleSpec | None:
        """A rule by code or by name (both are accepted wherever rules are named)."""
        key = key.strip()
        return next(
            (r for r in self.rules if key in (r.code, r.name) or key.upper() == r.code), None
        )


def default_pack() -> Path:
    """The bundled rule pack: `rules/` in a checkout, `bot/_pack` once installed."""
    checkout = Path(__file__).resolve().parent.parent / "rules"
    if checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parent / "_pack"


def load_pack(folders: Iterable[Path] = ()) -> RuleBook:
    """The default pack plus extra rule files or folders (later files replace same-named rules).

    The bundled pack is trusted (the test suite validates every file of it) and parsed once per
    installation; the extra files a repository brings are validated on every run.
    """
    rules: dict[str, RuleSpec] = {}
    schemas: dict[str, SchemaSpec] = {}
    for n, folder in enumerate((default_pack(), *folders)):
        specs = _bundled(folder) if n == 0 else [_load(p) for p in _yaml_files(folder)]
        for spec in specs:
            if isinstance(spec, SchemaSpec):
                for type_value in (spec.type, *spec.also_types):
                    schemas[type_value] = spec
                continue
            clash = next((r for r in rules.values() if r.code == spec.code), None)
            if clash and clash.name != spec.name:
                raise RuleFileError(
                    f"{spec.source}: code: {spec.code} is already used by {clash.source}"
                )
            rules[spec.name] = spec
    ordered = tuple(sorted(rules.values(), key=lambda r: r.code))
    return RuleBook(ordered, schemas)


def _load(path: Path, trusted: bool = False) -> RuleSpec | SchemaSpec:
    return load_schema(path, trusted) if path.parent.name == "schemas" else load_rule(path, trusted)


def _bundled(folder: Path) -> list[RuleSpec | SchemaSpec]:
    """The bundled pack's specs, kept beside the bytecode (bot/pycache.py) and read back while
    its files are unchanged: its YAML takes 77 M instructions to load, the pickle 3 M."""
    import pickle

    from bot import __version__, pycache

    files = _yaml_files(folder)
    # The code that builds specs counts too: an edited checkout must not read old specs back.
    code = [Path(__file__), Path(__file__).with_name("validate.py")]
    stamp = [__version__]
    for path in [*code, *files]:
        st = path.stat()
        stamp.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
    name = f"rule-pack.{sys.implementation.cache_tag}.pickle"
    kept = pycache.read(name)
    if kept:
        try:
            kept_stamp, specs = pickle.loads(kept)
            if kept_stamp == stamp:
                return specs  # type: ignore[no-any-return]
        except Exception:
            pass
    specs = [_load(path, trusted=True) for path in files]
    pycache.write(name, pickle.dumps((stamp, specs), pickle.HIGHEST_PROTOCOL))
    return specs


def _yaml_files(target: Path) -> list[Path]:
    if target.is_file():
        return [target]
    if not target.is_dir():
        raise RuleFileError(f"{target}: no such rule file or folder")
    return sorted(p for p in target.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def load_rule(path: Path, trusted: bool = False) -> RuleSpec:
    data = {**read_yaml(path), "source": str(path)}
    if trusted:
        return build(RuleSpec, data)
    try:
        rule = validate(RuleSpec, data, path)
    except InvalidData as exc:
        raise RuleFileError(str(exc)) from None
    from bot.checks import CHECKS

    check = CHECKS.get(rule.kind)
    if check is None:
        raise RuleFileError(
            f"{path}: kind: unknown check {rule.kind!r} (one of {', '.join(sorted(CHECKS))})"
        )
    try:
        validate(check.Params, rule.params, path, prefix="params")
    except InvalidData as exc:
        raise RuleFileError(str(exc)) from None
    return rule


def load_schema(path: Path, trusted: bool = False) -> SchemaSpec:
    data = {**read_yaml(path), "source": str(path)}
    if trusted:
        return build(SchemaSpec, data)
    try:
        return validate(SchemaSpec, data, path)
    except InvalidData as exc:
        raise RuleFileError(str(exc)) from None


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_loader())
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{path}: cannot be read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise RuleFileError(
            f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}"
        ) from None
    if not isinstance(data, dict):
        raise RuleFileError(f"{path}: must be a mapping of keys")
    return data


@functools.cache
def _loader() -> type:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=4096)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Gitignore-style globs: `**` crosses folders, `*` and `?` do not."""
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        out.append("[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def glob_match(path: str, pattern: str) -> bool:
    return _glob_regex(pattern).match(path) is not None


class GlobSet:
    """Paths that match one of `include` and none of `exclude`, each side as one pattern:
    asked about every file of a knowledge base, once per group of rules."""

    def __init__(self, include: Iterable[str], exclude: Iterable[str] = ()) -> None:
        self._include = _any_glob(include)
        self._exclude = _any_glob(exclude)

    def matches(self, path: str) -> bool:
        return (
            self._include is not None
            and self._include.match(path) is not None
            and (self._exclude is None or self._exclude.match(path) is None)
        )


def _any_glob(globs: Iterable[str]) -> re.Pattern[str] | None:
    patterns = [f"(?:{_glob_regex(g).pattern})" for g in globs]
    return re.compile("|".join(patterns)) if patterns else None
