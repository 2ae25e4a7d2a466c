"""`.claim-review.yml` -> frozen Settings.

Configuration is validated at the edge (pydantic, unknown keys refused) and then frozen, so the
engine and the checks never see optional or unvalidated values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.checks import CHECKS, Check
from bot.models import Severity
from bot.repo import Tree
from bot.rulebook import (
    RuleBook,
    RuleFileError,
    RuleSpec,
    SchemaSpec,
    SeverityName,
    describe,
    glob_match,
    load_pack,
    read_yaml,
)

CONFIG_FILE = ".claim-review.yml"
FailLevel = Literal["error", "warning", "notice", "never"]


class ConfigError(ValueError):
    """Configuration that cannot be used; the message is one line naming the file and key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RulesConfig(_Strict):
    extra: tuple[str, ...] = Field(
        default=(),
        description="The repository's own rule files or folders (schemas in a `schemas/` folder).",
    )

    @field_validator("extra")
    @classmethod
    def _inside(cls, paths: tuple[str, ...]) -> tuple[str, ...]:
        for p in paths:
            if p.startswith("/") or ".." in Path(p).parts:
                raise ValueError(f"{p!r} must be a path inside the repository")
        return paths

    select: tuple[str, ...] = Field(
        default=(),
        description="Run only these rules (codes, names or code prefixes like CR2); empty: all.",
    )
    disable: tuple[str, ...] = Field(default=(), description="Rules to turn off, by code or name.")
    severity: dict[str, SeverityName] = Field(
        default_factory=dict, description="New severities by rule code or name."
    )
    params: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Parameters to override, by rule code or name."
    )


class PathsConfig(_Strict):
    include: tuple[str, ...] = Field(default=("**/*.md",), description="Globs of files to review.")
    exclude: tuple[str, ...] = Field(
        default=(".github/**", "node_modules/**"), description="Globs of files never reviewed."
    )


class RawConfig(_Strict):
    """The schema of `.claim-review.yml` (exported as JSON Schema for editors)."""

    rules: RulesConfig = RulesConfig()
    paths: PathsConfig = PathsConfig()
    fail_level: FailLevel = Field(
        default="error", description="Lowest severity that fails the run."
    )
    max_file_bytes: int = Field(
        default=1_048_576, ge=1024, description="Larger files are not parsed."
    )


@dataclass(frozen=True)
class ActiveRule:
    spec: RuleSpec
    check: Check
    params: BaseModel
    severity: Severity

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass(frozen=True)
class Settings:
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
        return any(glob_match(path, g) for g in self.include) and not any(
            glob_match(path, g) for g in self.exclude
        )


def load(config_path: Path | None = None, root: Path | None = None) -> Settings:
    """Settings from a config file (or defaults); `root` anchors the file's relative paths."""
    raw: dict[str, Any] = {}
    if config_path is not None:
        try:
            raw = read_yaml(config_path) if config_path.read_bytes().strip() else {}
        except (RuleFileError, OSError) as exc:
            raise ConfigError(str(exc)) from None
    where = config_path or Path(CONFIG_FILE)
    try:
        config = RawConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(describe(where, exc)) from None
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
        chosen = {s.code for s in book.rules if _selected(s, config.rules.select)}
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
        try:
            params = check.Params.model_validate({**spec.params, **overrides.get(spec.code, {})})
        except ValidationError as exc:
            raise ConfigError(describe(where, exc, prefix=f"rules.params.{spec.name}")) from None
        active.append(ActiveRule(spec, check, params, severity.get(spec.code, spec.severity)))
    return Settings(
        book=book,
        rules=tuple(active),
        include=config.paths.include,
        exclude=config.paths.exclude,
        fail_level=None if config.fail_level == "never" else Severity.parse(config.fail_level),
        max_file_bytes=config.max_file_bytes,
    )


def _selected(spec: RuleSpec, keys: tuple[str, ...]) -> bool:
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
            config = RawConfig.model_validate(raw)
        except RuleFileError as exc:
            raise ConfigError(str(exc).replace(str(config_path), config_file)) from None
        except ValidationError as exc:
            raise ConfigError(describe(Path(config_file), exc)) from None
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
