"""Run the active rules over documents and stamp what they find.

The engine, not the check, gives a finding its code, name, severity, message and fingerprint;
it honours in-file `<!-- claim-review: disable NAME -->` comments, marks each finding's place
relative to the change (never dropping one), and sorts and de-duplicates the result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

from bot.checks import Context, PullRequestInfo, changes_only
from bot.config import ActiveRule, Settings
from bot.diff import ChangedFile
from bot.digest import sha256
from bot.documents import Document
from bot.index import KnowledgeIndex
from bot.models import Finding, Hit, Placement, Severity, Span
from bot.rulebook import AppliesTo


def run(
    docs: Iterable[Document],
    index: KnowledgeIndex,
    settings: Settings,
    *,
    changes: Mapping[str, ChangedFile] | None = None,
    bases: Mapping[str, Document] | None = None,
    pr: PullRequestInfo | None = None,
) -> list[Finding]:
    # The documents of the change, for rules that look across it (a source and its claims).
    # A plain check has no change: it runs in slices on several cores, and no result may
    # depend on which slice a file fell into; it takes one document at a time, so that memory
    # stays flat however large the knowledge base.
    batch: dict[str, Document] = {}
    if changes is not None:
        docs = list(docs)
        batch = {d.path: d for d in docs}
    findings: list[Finding] = []
    run_memo: dict[str, object] = {}
    diffed = changes is not None
    scopes = _by_scope(r for r in settings.rules if diffed or not changes_only(r.check, r.params))
    for doc in docs:
        change = changes.get(doc.path) if changes is not None else None
        ctx = Context(
            doc=doc,
            index=index,
            schemas=settings.schemas,
            change=change,
            base=(bases or {}).get(doc.path),
            batch=batch,
            pr=pr,
            run_memo=run_memo,
        )
        findings.extend(check_document(ctx, scopes, diffed))
    return finalize(findings)


Scopes = list[tuple[AppliesTo, list[ActiveRule]]]


def _by_scope(rules: Iterable[ActiveRule]) -> Scopes:
    """Rules grouped by where they apply: a document is matched once per group, not per rule."""
    groups: Scopes = []
    for rule in rules:
        for scope, members in groups:
            if scope == rule.spec.applies_to:
                members.append(rule)
                break
        else:
            groups.append((rule.spec.applies_to, [rule]))
    return groups


def check_document(ctx: Context, scopes: Scopes, diffed: bool) -> Iterator[Finding]:
    doc = ctx.doc
    seen: Counter[tuple[str, str]] = Counter()
    rules = [
        rule
        for scope, members in scopes
        if scope.matches_meta(doc.meta) and scope.matches_path(doc.path)
        for rule in members
        if not (doc.disabled and (rule.spec.name in doc.disabled or rule.spec.code in doc.disabled))
    ]
    for rule in rules:
        spec = rule.spec
        try:
            hits = list(rule.check.check(ctx, rule.params))
        except Exception as exc:  # a bug of ours must not hide the other rules' findings
            yield internal_error(doc.path, spec.name, exc)
            continue
        for hit in hits:
            message = spec.render(hit.args)
            key = hit.key if hit.key is not None else message
            seen[(spec.code, key)] += 1
            yield Finding(
                code=spec.code,
                name=spec.name,
                severity=rule.severity,
                path=doc.path,
                span=hit.span,
                message=message,
                fingerprint=fingerprint(spec.code, doc.path, key, seen[(spec.code, key)]),
                related=hit.related,
                suggestion=hit.suggestion,
                placement=_placement(ctx.change, hit, diffed),
            )


INTERNAL_ERROR = ("CR000", "internal-error")


def internal_error(path: str, rule: str, exc: Exception) -> Finding:
    """A check that failed on a file: reported (as a warning, it is not the author's fault),
    and every other rule still runs."""
    what = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    return Finding(
        code=INTERNAL_ERROR[0],
        name=INTERNAL_ERROR[1],
        severity=Severity.WARNING,
        path=path,
        span=Span(1),
        message=f"claim-review could not run `{rule}` on this file ({what}); "
        "the other rules ran. This is a bug in claim-review: please report it.",
        fingerprint=fingerprint(INTERNAL_ERROR[0], path, rule),
    )


def _placement(change: ChangedFile | None, hit: Hit, diffed: bool) -> Placement:
    if not diffed:
        return Placement.NO_DIFF
    if change is None:
        return Placement.OUTSIDE_DIFF
    return change.placement(hit.span.line)


def fingerprint(code: str, path: str, key: str, occurrence: int = 1) -> str:
    """Stable across edits elsewhere in the file: no line numbers, only what the finding is."""
    text = f"{code}\0{path}\0{' '.join(key.split())}\0{occurrence}"
    return sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def finalize(findings: Iterable[Finding]) -> list[Finding]:
    unique = {(f.code, f.path, f.span, f.message): f for f in findings}
    return sorted(unique.values(), key=lambda f: f.sort_key)


def worst(findings: Iterable[Finding]) -> int:
    return max((int(f.severity) for f in findings), default=0)


def exit_code(findings: Iterable[Finding], settings: Settings) -> int:
    if settings.fail_level is None:
        return 0
    return 1 if worst(findings) >= settings.fail_level else 0


__all__ = ["exit_code", "finalize", "fingerprint", "internal_error", "run"]
