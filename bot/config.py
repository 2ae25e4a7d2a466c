"""`.claim-review.yml` -> frozen Settings.

Configuration is validated at the edge (pydantic, unknown keys refused) and then frozen, so the
engine and the checks never see optional or unvalidated values.
"""

from __future__ import annotations

import functools
from dataclasses import field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from bot.checks import CHECKS, Check
from bot.frozen import frozen
from bot.models import Severity
from bot.repo import Tree
from bot.rulebook import (
    GlobSet,
    RuleBook,
    RuleFileError,
    RuleSpec,
    SchemaSpec,
    SeverityWord,
    load_pack,
    read_yaml,
)
from bot.validate import STRICT, InvalidData, validate
from bot.validate import build as build_trusted

CONFIG_FILE = ".claim-review.yml"
FailLevel = Literal["error", "warning", "notice", "never"]


class ConfigError(ValueError):
    """Configuration that cannot be used; the message is one line naming the file and key."""


def _doc(text: str) -> dict[str, str]:
    return {"description": text}


@frozen
class RulesConfig:
    """The `rules` section: extra rule files, selection, severities, parameters."""

    __pydantic_config__ = STRICT
    extra: tuple[str, ...] = field(
        default=(),
        metadata=_doc(
            "The repository's own rule files or folders (schemas in a `schemas/` folder)."
        ),
    )
    select: tuple[str, ...] = field(
        default=(),
        metadata=_doc("Run only these rules (codes, names or code prefixes like CR2); empty: all."),
    )
    disable: tuple[str, ...] = field(
        default=(), metadata=_doc("Rules to turn off, by code or name.")
    )
    severity: dict[str, SeverityWord] = field(
        default_factory=dict, metadata=_doc("New severities by rule code or name.")
    )
    params: dict[str, dict[str, Any]] = field(
        default_factory=dict, metadata=_doc("Parameters to override, by rule code or name.")
    )

    def __post_init__(self) -> None:
        for p in self.extra:
            if p.startswith("/") or ".." in Path(p).parts:
                raise ValueError(f"rules.extra: {p!r} must be a path inside the repository")


@frozen
class PathsConfig:
    """The `paths` section: which files are reviewed."""

    __pydantic_config__ = STRICT
    include: tuple[str, ...] = field(
        default=("**/*.md",), metadata=_doc("Globs of files to review.")
    )
    exclude: tuple[str, ...] = field(
        default=(".github/**", "node_modules/**"), metadata=_doc("Globs of files never reviewed.")
    )


@frozen
class RawConfig:
    """The schema of `.claim-review.yml` (exported as JSON Schema for editors)."""

    __pydantic_config__ = STRICT
    rules: RulesConfig = field(default_factory=RulesConfig)
    paths: PathsConfig = field(default_factory=PathsConfig)
    fail_level: FailLevel = field(
        default="error", metadata=_doc("Lowest severity that fails the run.")
    )
    max_file_bytes: int = field(
        default=1_048_576, metadata={"ge": 1024, **_doc("Larger files are not parsed.")}
    )


def parse_config(raw: dict[str, Any], where: Path | str) -> RawConfig:
    try:
        return validate(RawConfig, raw, where)
    except InvalidData as exc:
        raise ConfigError(str(exc)) from None


class ActiveRule(NamedTuple):
    spec: RuleSpec
    check: Check
    params: Any  # the check's Params dataclass
    severity: Severity

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def name(self) -> str:
        return self.spec.name


@frozen
class Settings:
    """The configuration in force: the rule book, the active rules, paths, fail level."""

    book: RuleBook
    rules: tuple[ActiveRule, ...]
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    fail_level: Severity | None  # None: never fail
    max_file_bytes: int

    @property
    def schemas(self) -> dict[str, SchemaSpec]:
        return self.book.schemas

    def wants(self, path: str) -> bool:
        return self._globs.matches(path)

    @functools.cached_property
    def _globs(self) -> GlobSet:
        return GlobSet(self.include, self.exclude)


def load(config_path: Path | None = None, root: Path | None = None) -> Settings:
    """Settings from a config file (or defaults); `root` anchors the file's relative paths."""
    raw: dict[str, Any] = {}
    if config_path is not None:
        try:
            raw = read_yaml(config_path) if config_path.read_bytes().strip() else {}
        except (RuleFileError, OSError) as exc:
            raise ConfigError(str(exc)) from None
    where = config_path or Path(CONFIG_FILE)
    config = parse_config(raw, where) if config_path is not None else RawConfig()
    base = root or (config_path.parent if config_path else Path.cwd())
    return build(config, [base / p for p in config.rules.extra], where)


def build(config: RawConfig, extra: list[Path], where: Path) -> Settings:
    try:
        book = load_pack(extra)
    except RuleFileError as exc:
        raise ConfigError(str(exc)) from None
    for key in (*config.rules.disable, *config.rules.severity, *config.rules.params):
        if book.find(key) is None:
            raise ConfigError(f"{where}: rules: no rule is named or numbered {key!r}")
    disabled = {book.find(k).code for k in config.rules.disable}  # type: ignore[union-attr]
    if config.rules.select:
        chosen = {s.code for s in book.rules if selected(s, config.rules.select)}
        if not chosen:
            raise ConfigError(f"{where}: rules.select: matches no rule")
        disabled |= {s.code for s in book.rules} - chosen
    severity = {book.find(k).code: s for k, s in config.rules.severity.items()}  # type: ignore[union-attr]
    overrides = {book.find(k).code: p for k, p in config.rules.params.items()}  # type: ignore[union-attr]
    active = []
    for spec in book.rules:
        if spec.code in disabled:
            continue
        check = CHECKS[spec.kind]
        override = overrides.get(spec.code)
        data = {**spec.params, **(override or {})}
        if override is None:  # the rule file's own params, validated when it was loaded
            params = build_trusted(check.Params, data)
        else:
            try:
                params = validate(check.Params, data, where, prefix=f"rules.params.{spec.name}")
            except InvalidData as exc:
                raise ConfigError(str(exc)) from None
        level = Severity.parse(severity.get(spec.code, spec.severity))
        active.append(ActiveRule(spec, check, params, level))
    return Settings(
        book=book,
        rules=tuple(active),
        include=config.paths.include,
        exclude=config.paths.exclude,
        fail_level=None if config.fail_level == "never" else Severity.parse(config.fail_level),
        max_file_bytes=config.max_file_bytes,
    )


def selected(spec: RuleSpec, keys: tuple[str, ...]) -> bool:
    """Does a code, a name or a code prefix (CR2) in `keys` pick this rule?"""
    return any(k in (spec.name, spec.code) or spec.code.startswith(k.upper()) for k in keys)


def find_config(root: Path) -> Path | None:
    candidate = root / CONFIG_FILE
    return candidate if candidate.is_file() else None


def load_from_tree(tree: Tree, config_file: str = CONFIG_FILE) -> Settings:
    """Settings as a revision has them (the base branch, for a pull request).

    A pull request cannot switch off the rules that judge it: its own `.claim-review.yml` and
    rule files are reviewed like any change and apply once merged. Extra rule files named by the
    configuration are copied out of the tree into a private folder and loaded from there.
    """
    import tempfile

    entries = {e.path for e in tree.entries()}
    config_file = config_file.strip("/")
    if config_file not in entries:
        return build(RawConfig(), [], Path(config_file))
    ((_, data),) = tree.read_many([config_file])
    with tempfile.TemporaryDirectory(prefix="claim-review-config-") as tmp:
        root = Path(tmp)
        config_path = root / CONFIG_FILE
        config_path.write_bytes(data or b"")
        try:
            raw = read_yaml(config_path) if (data or b"").strip() else {}
        except RuleFileError as exc:
            raise ConfigError(str(exc).replace(str(config_path), config_file)) from None
        config = parse_config(raw, config_file)
        wanted = []
        for extra in config.rules.extra:
            prefix = extra.strip("/")
            wanted += [
                p
                for p in entries
                if (p == prefix or p.startswith(prefix + "/")) and p.endswith((".yml", ".yaml"))
            ]
        for path, content in tree.read_many(sorted(wanted)):
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content or b"")
        try:
            folders = [root / p.strip("/") for p in config.rules.extra]
            return build(config, folders, Path(config_file))
        except ConfigError as exc:
            raise ConfigError(str(exc).replace(f"{root}/", "")) from None
