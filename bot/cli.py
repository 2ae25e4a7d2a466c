"""The command line: `claim-review check | rules | explain | docs | schemas`.

Exit codes: 0 clean (below the fail level), 1 findings at or above the fail level, 2 bad usage or
bad configuration (with a one-line reason on stderr). Heavy modules are imported inside the
command that needs them, so that `check` on one file starts fast.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

FORMATS = ("text", "json", "sarif", "github")  # the keys of bot.report.MODULES (a test checks)
FAIL_LEVELS = ("error", "warning", "notice", "never")


class UsageError(Exception):
    """Bad usage or configuration: reported in one line, exit code 2."""


Subparsers = argparse._SubParsersAction  # type: ignore[type-arg]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line; with `only`, just that command's part: a run needs no other, and
    building them all costs more than checking one file."""
    parser = _Parser(
        prog="claim-review",
        description="Review markdown claims in a knowledge base: schema, evidence, links.",
    )
    from bot import __version__

    parser.add_argument("--version", action="version", version=f"claim-review {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, add in PARSERS.items():
        if only in (None, name):
            add(sub)
    return parser


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, told the terminal's width as argparse would find it: argparse
    itself imports shutil (and with it bz2 and lzma) to ask, on every run, help or not."""

    def __init__(self, prog: str, **kwargs: int) -> None:
        if "width" not in kwargs:  # as shutil.get_terminal_size: $COLUMNS, the terminal, 80
            columns = 0
            with contextlib.suppress(KeyError, ValueError):
                columns = int(os.environ["COLUMNS"])
            if columns <= 0:
                with contextlib.suppress(AttributeError, ValueError, OSError):
                    columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
            kwargs["width"] = (columns if columns > 0 else 80) - 2
        super().__init__(prog, **kwargs)


class _Parser(argparse.ArgumentParser):  # its subcommands' parsers are of its class too
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


def _check_parser(sub: Subparsers) -> None:
    check = sub.add_parser("check", help="check files, folders, or what changed between revisions")
    check.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: the repository)"
    )
    check.add_argument("--base", metavar="REV", help="review only what changed since REV")
    check.add_argument("--head", metavar="REV", help="the revision under review (default: HEAD)")
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--fail-level", choices=FAIL_LEVELS, help="lowest severity that exits 1")
    check.add_argument(
        "--config", type=Path, help="configuration file (default: .claim-review.yml)"
    )
    check.add_argument(
        "--root",
        type=Path,
        help="the knowledge base that links resolve against (default: the git repository)",
    )
    check.add_argument("--output", "-o", type=Path, help="write the report to a file")
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="check every file again (default: reuse findings of unchanged files, "
        "kept in .claim-review-cache/)",
    )
    check.add_argument(
        "--pr-description",
        type=Path,
        metavar="FILE",
        help="the pull request's title and description, for rules that read it",
    )


def _rules_parser(sub: Subparsers) -> None:
    sub.add_parser("rules", help="list the rules").add_argument("--config", type=Path)


def _explain_parser(sub: Subparsers) -> None:
    explain = sub.add_parser("explain", help="print one rule's documentation")
    explain.add_argument("rule", help="code (CR201) or name (unresolved-wiki-link)")
    explain.add_argument("--config", type=Path)


def _docs_parser(sub: Subparsers) -> None:
    docs = sub.add_parser("docs", help="print the rules page (markdown)")
    docs.add_argument("--output", "-o", type=Path)


def _schemas_parser(sub: Subparsers) -> None:
    schemas = sub.add_parser("schemas", help="write JSON Schemas for the config and rule files")
    schemas.add_argument("folder", type=Path)


def _demo_parser(sub: Subparsers) -> None:
    sub.add_parser("demo", help="review the bundled example on a loopback GitHub and show it")


def main(argv: Sequence[str] | None = None) -> int:
    # pydantic looks for plugins through package metadata on first use (~20 ms); we use none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # File names need not be UTF-8 (git keeps bytes): show such bytes escaped, never crash.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(argv[0] if argv and argv[0] in PARSERS else None).parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"claim-review: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `claim-review check | head`
        return 0


# --- commands ---------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    # No garbage collection: a check makes next to no reference cycles (a document goes when
    # its last reference does), and each collection walks every object made so far, the
    # modules it imports and the findings it keeps included.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _check(args)
    finally:
        if enabled:
            gc.enable()


def _check(args: argparse.Namespace) -> int:
    from bot import engine, pipeline
    from bot.report import renderer
    from bot.report.text import summary

    cwd = Path.cwd()
    if args.head and not args.base:
        raise UsageError("--head needs --base")
    if args.base:
        root = _git_root(cwd)
        if root is None:
            raise UsageError("--base needs a git repository")
        settings = _settings(args, root)
        pr = _pr_info(args.pr_description)
        try:
            result = pipeline.check_change(root, args.base, args.head or "HEAD", settings, pr)
        except Exception as exc:  # GitError: unknown revision and the like
            from bot.repo import GitError

            if isinstance(exc, GitError):
                raise UsageError(str(exc)) from None
            raise
        if args.paths:
            result = _only(result, root, args.paths)
    else:
        for path in args.paths:
            if not path.exists():
                raise UsageError(f"{path}: no such file or folder")
        anchor = args.paths[0] if args.paths else cwd
        folder = anchor if anchor.is_dir() else anchor.parent
        root = args.root or _git_root(folder) or folder
        if not root.is_dir():
            raise UsageError(f"{root}: not a folder")
        settings = _settings(args, root)
        result = pipeline.check_paths(root, args.paths, settings, use_cache=not args.no_cache)
    report = renderer(args.format)(result, settings)
    if args.output:
        args.output.write_text(report, encoding="utf-8", errors="backslashreplace")
    else:
        sys.stdout.write(report)
    if args.format == "text" or args.output:
        print(summary(result), file=sys.stderr)
    return engine.exit_code(result.findings, settings)


def cmd_rules(args: argparse.Namespace) -> int:
    settings = _settings(args, Path.cwd())
    active = {r.code: r for r in settings.rules}
    width = max((len(r.name) for r in settings.book.rules), default=10)
    for spec in settings.book.rules:
        rule = active.get(spec.code)
        state = rule.severity.label if rule else "off"
        print(f"{spec.code}  {spec.name:<{width}}  {state:<7}  {spec.summary}")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from bot.docs import explain

    settings = _settings(args, Path.cwd())
    spec = settings.book.find(args.rule)
    if spec is None:
        raise UsageError(f"no rule is named or numbered {args.rule!r} (see `claim-review rules`)")
    print(explain(spec, settings.book))
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from bot.docs import rules_page
    from bot.rulebook import load_pack

    page = rules_page(load_pack())
    if args.output:
        args.output.write_text(page, encoding="utf-8")
    else:
        sys.stdout.write(page)
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    from bot.docs import write_json_schemas

    for path in write_json_schemas(args.folder):
        print(path)
    return 0


COMMANDS = {
    "check": cmd_check,
    "rules": cmd_rules,
    "explain": cmd_explain,
    "docs": cmd_docs,
    "schemas": cmd_schemas,
    "replay": lambda args: cmd_replay(args),
    "review": lambda args: cmd_review(args),
    "demo": lambda args: cmd_demo(args),
}


# --- the pull-request review -----------------------------------------------------------------


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "")
    return value if value.strip() else default


def _review_parser(sub: Subparsers) -> None:
    review = sub.add_parser(
        "review",
        help="review a pull request on GitHub (token from GITHUB_TOKEN)",
        description="Review one pull request: from GITHUB_EVENT_PATH, or --repo and --pr. "
        "The token is read from GITHUB_TOKEN only, never from the command line.",
    )
    review.add_argument("--repo", metavar="OWNER/NAME", help="repository (default: from the event)")
    review.add_argument("--pr", type=int, metavar="N", help="pull request number")
    review.add_argument("--event", type=Path, help="event payload (default: GITHUB_EVENT_PATH)")
    review.add_argument("--api-url", default=_env("GITHUB_API_URL"), help="API base URL")
    review.add_argument(
        "--config", default=_env("CLAIM_REVIEW_CONFIG", ".claim-review.yml"),
        help="configuration file in the repository, read at the base commit",
    )  # fmt: skip
    review.add_argument(
        "--fail-level", choices=FAIL_LEVELS, default=_env("CLAIM_REVIEW_FAIL_LEVEL")
    )
    review.add_argument(
        "--max-comments", type=int, default=int(_env("CLAIM_REVIEW_MAX_COMMENTS", "30") or 30)
    )
    review.add_argument(
        "--review-event", choices=("COMMENT", "REQUEST_CHANGES"),
        default=(_env("CLAIM_REVIEW_REVIEW_EVENT", "COMMENT") or "COMMENT").upper(),
        help="REQUEST_CHANGES is used only while errors remain",
    )  # fmt: skip
    review.add_argument(
        "--check-run", action=argparse.BooleanOptionalAction,
        default=(_env("CLAIM_REVIEW_CHECK_RUN", "false") or "").lower() in ("1", "true", "yes"),
    )  # fmt: skip
    review.add_argument("--sarif", type=Path, default=_env("CLAIM_REVIEW_SARIF"))
    review.add_argument(
        "--labels", action=argparse.BooleanOptionalAction,
        default=(_env("CLAIM_REVIEW_LABELS", "false") or "").lower() in ("1", "true", "yes"),
        help="keep a `claim-review: pass|warn|fail` label on the pull request",
    )  # fmt: skip
    review.add_argument("--workspace", type=Path, help="checkout to read git objects from")


def cmd_review(args: argparse.Namespace) -> int:
    from bot.github.entry import review_command

    return review_command(args)


def _replay_parser(sub: Subparsers) -> None:
    parser = sub.add_parser(
        "replay", help="review every pull request in a repository's history and count findings"
    )
    parser.add_argument("repo", type=Path, help="a git repository (a clone of the knowledge base)")
    parser.add_argument("--rev", default="HEAD", help="the history to replay (default: HEAD)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--select",
        metavar="RULES",
        help="only these rules: codes, code prefixes or names, comma-separated",
    )
    parser.add_argument(
        "--limit", type=int, metavar="N", help="only the N most recent pull requests"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument(
        "--config", type=Path, help="configuration file (default: the repository's)"
    )
    parser.add_argument("--output", "-o", type=Path, help="write the report to a file")


def cmd_replay(args: argparse.Namespace) -> int:
    from bot import replay

    return replay.run(args)


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.github import demo

    return demo.run()


# In the order `claim-review --help` lists them.
PARSERS = {
    "check": _check_parser,
    "rules": _rules_parser,
    "explain": _explain_parser,
    "docs": _docs_parser,
    "schemas": _schemas_parser,
    "review": _review_parser,
    "demo": _demo_parser,
    "replay": _replay_parser,
}


# --- helpers ----------------------------------------------------------------------------------


def _settings(args: argparse.Namespace, root: Path):  # type: ignore[no-untyped-def]
    from bot import config

    path = getattr(args, "config", None)
    if path is not None and not path.is_file():
        raise UsageError(f"{path}: no such configuration file")
    path = path or config.find_config(root)
    try:
        settings = config.load(path, root)
    except config.ConfigError as exc:
        raise UsageError(str(exc)) from None
    level = getattr(args, "fail_level", None)
    if level:
        from dataclasses import replace

        from bot.models import Severity

        settings = replace(settings, fail_level=None if level == "never" else Severity.parse(level))
    return settings


def _git_root(path: Path) -> Path | None:
    from bot.repo import toplevel

    return toplevel(path)


def _pr_info(path: Path | None):  # type: ignore[no-untyped-def]
    if path is None:
        return None
    from bot.checks import PullRequestInfo

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot be read: {exc}") from None
    first, _, rest = text.partition("\n")
    return PullRequestInfo(title=first.lstrip("# ").strip(), body=rest.strip())


def _only(result, root: Path, paths: Sequence[Path]):  # type: ignore[no-untyped-def]
    prefixes = [
        p.resolve().relative_to(root.resolve()).as_posix()
        if p.resolve().is_relative_to(root.resolve())
        else str(p)
        for p in paths
    ]

    def keep(path: str) -> bool:
        return any(
            p in ("", ".") or path == p or path.startswith(p.rstrip("/") + "/") for p in prefixes
        )

    return result._replace(
        findings=[f for f in result.findings if keep(f.path)],
        checked=[p for p in result.checked if keep(p)],
    )


def run() -> NoReturn:
    """The console script and `python -m bot`: main(), then leave at once. Tearing down the
    interpreter frees every object a whole-tree check made, which takes longer than the
    report it printed; nothing is left to do by then (temporary folders are closed in code)."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a closed pipe: `claim-review check | head`
            stream.flush()
    from bot import patterns

    patterns.save()  # the regular expressions this run compiled, for the next run
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
