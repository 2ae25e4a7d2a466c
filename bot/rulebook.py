"""Rule files (`rules/*.yml`) and schema files (`rules/schemas/*.yml`) -> validated specs.

A rule is data: code, name, kind, severity, where it applies, message, docs, params and
examples. The `kind` names the check in `bot/checks/` that does the work; the check's own
pydantic `Params` validates `params`. A bad file is an error naming the file and the key.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
)

from bot.models import Severity

CODE = re.compile(r"^CR\d{3}$")
NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class RuleFileError(ValueError):
    """A rule, schema or config file that cannot be used; the message names file and key."""


def _severity(value: Any) -> Any:
    return Severity.parse(value) if isinstance(value, str) else value


# Severities are written as words (`error`) in YAML and are IntEnum members inside.
SeverityName = Annotated[
    Severity,
    BeforeValidator(_severity),
    WithJsonSchema({"type": "string", "enum": ["error", "warning", "notice"]}),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class AppliesTo(_Strict):
    paths: tuple[str, ...] = ("**/*.md",)
    exclude: tuple[str, ...] = ()
    # Frontmatter predicate: every key must match; a list means any of its values.
    where: dict[str, Any] = Field(default_factory=dict)

    def matches_path(self, path: str) -> bool:
        return _matches(self.paths, self.exclude, path)

    def matches_meta(self, meta: dict[str, Any]) -> bool:
        for key, expected in self.where.items():
            value = meta.get(key)
            options = expected if isinstance(expected, list) else [expected]
            if value not in options and not (value is not None and "*" in options):
                return False
        return True


class Example(_Strict):
    """A file the rule must pass or fail on, with the other files the knowledge base holds."""

    path: str = "domains/health/example claim.md"
    text: str
    files: dict[str, str] = Field(default_factory=dict)  # other path -> text
    base: str | None = None  # for rules that compare with a file's previous version
    description: str | None = None  # pull-request description, for rules that read it


class Examples(_Strict):
    passing: Example = Field(alias="pass")
    failing: Example = Field(alias="fail")


class RuleSpec(_Strict):
    code: str
    name: str
    kind: str
    severity: SeverityName
    summary: str
    message: str
    why: str
    fix: str
    applies_to: AppliesTo = AppliesTo()
    params: dict[str, Any] = Field(default_factory=dict)
    examples: Examples
    source: str = Field(default="", exclude=True)  # the file it came from

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not CODE.match(v):
            raise ValueError("must look like CR123")
        return v

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not NAME.match(v):
            raise ValueError("must be lower-case words joined by hyphens")
        return v

    def render(self, args: dict[str, Any]) -> str:
        try:
            return self.message.format_map(_Defaulting(args))
        except (ValueError, IndexError, AttributeError):
            return self.message


class _Defaulting(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# --- schemas ----------------------------------------------------------------------------------

FieldType = Literal["string", "text", "date", "list", "enum", "number", "boolean", "mapping", "any"]


class FieldSpec(_Strict):
    type: FieldType = "string"
    required: bool = False
    values: tuple[Any, ...] = ()  # allowed values, for enum (and lists of enum items)
    items: tuple[Any, ...] = ()  # allowed item values for a list, when they are an enum
    description: str = ""


class SchemaSpec(_Strict):
    """The frontmatter of one kind of file, selected by its `type` value."""

    type: str
    description: str = ""
    also_types: tuple[str, ...] = ()  # legacy `type` values checked with this schema
    applies_to: AppliesTo = AppliesTo()
    fields: dict[str, FieldSpec]
    # Field-name patterns accepted without a declaration (fnmatch), e.g. `flagged_for_*`.
    open_fields: tuple[str, ...] = ()
    source: str = Field(default="", exclude=True)

    def field_for(self, key: str) -> FieldSpec | None:
        return self.fields.get(key)

    def is_known(self, key: str) -> bool:
        return key in self.fields or any(fnmatch.fnmatchcase(key, p) for p in self.open_fields)


# --- loading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleBook:
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
    """The default pack plus extra rule files or folders (later files replace same-named rules)."""
    rules: dict[str, RuleSpec] = {}
    schemas: dict[str, SchemaSpec] = {}
    for folder in (default_pack(), *folders):
        for path in _yaml_files(folder):
            if path.parent.name == "schemas":
                schema = load_schema(path)
                for type_value in (schema.type, *schema.also_types):
                    schemas[type_value] = schema
            else:
                rule = load_rule(path)
                clash = next((r for r in rules.values() if r.code == rule.code), None)
                if clash and clash.name != rule.name:
                    raise RuleFileError(
                        f"{path}: code: {rule.code} is already used by {clash.source}"
                    )
                rules[rule.name] = rule
    ordered = tuple(sorted(rules.values(), key=lambda r: r.code))
    return RuleBook(ordered, schemas)


def _yaml_files(target: Path) -> list[Path]:
    if target.is_file():
        return [target]
    if not target.is_dir():
        raise RuleFileError(f"{target}: no such rule file or folder")
    return sorted(p for p in target.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def load_rule(path: Path) -> RuleSpec:
    data = read_yaml(path)
    try:
        rule = RuleSpec.model_validate({**data, "source": str(path)})
    except ValidationError as exc:
        raise RuleFileError(describe(path, exc)) from None
    from bot.checks import CHECKS

    check = CHECKS.get(rule.kind)
    if check is None:
        raise RuleFileError(
            f"{path}: kind: unknown check {rule.kind!r} (one of {', '.join(sorted(CHECKS))})"
        )
    try:
        check.Params.model_validate(rule.params)
    except ValidationError as exc:
        raise RuleFileError(describe(path, exc, prefix="params")) from None
    return rule


def load_schema(path: Path) -> SchemaSpec:
    data = read_yaml(path)
    try:
        return SchemaSpec.model_validate({**data, "source": str(path)})
    except ValidationError as exc:
        raise RuleFileError(describe(path, exc)) from None


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


def describe(path: Path, exc: ValidationError, prefix: str = "") -> str:
    """The first validation error as `file: key.path: message`."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in ((prefix,) if prefix else ()) + tuple(err["loc"]))
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{path}: {loc or '(top)'}: {err['msg']}{more}"


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


@functools.lru_cache(maxsize=65536)
def _matches(paths: tuple[str, ...], exclude: tuple[str, ...], path: str) -> bool:
    """Path globs of a rule, cached: 30 rules ask about the same file."""
    return any(glob_match(path, g) for g in paths) and not any(glob_match(path, g) for g in exclude)


def glob_match(path: str, pattern: str) -> bool:
    return _glob_regex(pattern).match(path) is not None
