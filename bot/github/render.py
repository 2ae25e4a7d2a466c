"""Markdown for GitHub: inline comment bodies, the summary comment, the job summary.

Finding messages quote text from the pull request (link targets, field values). Before they
reach a comment they are neutralised: no HTML, no @mentions, no markdown links, no hidden
markers, one line. Our own markers are recognised only where we put them, in comments whose
author is the bot, so a claim that quotes a marker cannot make the bot edit someone's comment.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from bot import patterns, rule_url
from bot.frozen import frozen
from bot.models import Applicability, Finding, Severity

BODY_LIMIT = 65_536
SUMMARY_MARKER = "<!-- claim-review:summary -->"
REVIEW_MARKER = "<!-- claim-review:review {digest} -->"
_FINDING_MARKER = patterns.compile(r"<!-- claim-review:finding ([0-9a-f]{8,64}) -->\s*\Z")
ICON = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.NOTICE: "ℹ️"}


MESSAGE_LIMIT = 2000  # characters of a finding's message shown in a comment


def neutralise(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """One line of markdown that renders `text` literally (code spans kept as code)."""
    text = " ".join(text.split())
    if len(text) > limit:  # cut before escaping, so no escape sequence is cut in half
        text = text[:limit] + " …"
    # Everywhere, code spans included: no hidden markers, no mentions (no notification).
    text = _inert(text)
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: the tail is plain text
        parts[-2:] = [parts[-2] + "\\`" + parts[-1]]
    return "`".join(part if i % 2 else _plain(part) for i, part in enumerate(parts))


def _plain(text: str) -> str:
    text = html.escape(text, quote=False)
    text = re.sub(r"([\[\]\\*_~|])", r"\\\1", text)
    return re.sub(r"#(\d)", "#\u200b\\1", text)  # no cross-reference to issue N


def finding_marker(fingerprint: str) -> str:
    return f"<!-- claim-review:finding {fingerprint} -->"


def marker_of(body: str | None) -> str | None:
    """The fingerprint of one of our inline comments (the marker closes the body), else None."""
    m = _FINDING_MARKER.search(body or "")
    return m.group(1) if m else None


def is_summary(body: str | None) -> bool:
    return (body or "").startswith(SUMMARY_MARKER)


def inline_body(f: Finding, fix: str = "") -> str:
    lines = [
        f"{ICON[f.severity]} **{f.severity.label}** · [`{f.name}`]({rule_url(f.name)}) ({f.code})",
        "",
        neutralise(f.message),
    ]
    if fix:
        lines += ["", f"<sub>{html.escape(' '.join(fix.split()), quote=False)}</sub>"]
    for rel in f.related[:5]:
        lines.append(f"- related: `{_code(rel.path)}` line {rel.line}: {neutralise(rel.message)}")
    s = f.suggestion
    if s is not None and s.applicability is Applicability.SAFE and "```" not in s.replacement:
        lines += ["", "```suggestion", s.replacement, "```"]
    lines += ["", finding_marker(f.fingerprint)]
    return "\n".join(lines)


def resolved_body(old: str) -> str:
    """An inline comment whose finding is gone, kept because a person replied to it."""
    marker = finding_marker(marker_of(old) or "0" * 20)
    text = old.rsplit(marker, 1)[0].rstrip()
    if text.startswith("✅ Resolved"):
        return old
    return (
        "✅ Resolved in a later commit.\n\n<details><summary>Earlier finding</summary>\n\n"
        f"{text}\n\n</details>\n\n{marker}"
    )


def _inert(text: str) -> str:
    return text.replace("<!--", "<\u200b!--").replace("@", "@\u200b")


def _code(text: str) -> str:
    """A file path inside a code span (also in a table cell): one line, no way out of the span."""
    text = _inert(" ".join(text.split())).replace("`", "'").replace("|", "\\|")
    return text if len(text) <= 300 else text[:300] + "…"


@frozen
class SummaryInput:
    findings: Sequence[Finding]
    inline: frozenset[str]  # fingerprints shown as inline comments
    checked: Sequence[str]
    head_sha: str
    fail_level: Severity | None
    notes: Sequence[str] = ()
    skipped: Sequence[tuple[str, str]] = ()
    details_url: str = ""  # the workflow run, where the job summary holds everything


def verdict(findings: Iterable[Finding], fail_level: Severity | None) -> str:
    worst = max((f.severity for f in findings), default=None)
    if worst is None:
        return "pass"
    if fail_level is not None and worst >= fail_level:
        return "fail"
    return "warn" if worst >= Severity.WARNING else "pass"


def counts_line(findings: Iterable[Finding]) -> str:
    c = Counter(f.severity for f in findings)
    parts = [
        f"{c[s]} {s.label}{'s' if c[s] != 1 else ''}"
        for s in (Severity.ERROR, Severity.WARNING, Severity.NOTICE)
        if c[s]
    ]
    return ", ".join(parts) or "no findings"


def summary_body(data: SummaryInput, limit: int = BODY_LIMIT, marker: bool = True) -> str:
    """The sticky summary (or, without the marker, the job summary): cut to fit `limit`."""
    head = _summary_head(data)
    rest = [f for f in data.findings if f.fingerprint not in data.inline]
    lines = list(head)
    if rest:
        lines += ["", f"### Not shown inline ({len(rest)})", ""]
    tail = ["", f"<sub>claim-review · [rules]({rule_url('').rstrip('#')})</sub>"]
    prefix = [SUMMARY_MARKER] if marker else []
    body = "\n".join([*prefix, *lines])
    budget = limit - len(body) - sum(len(t) + 1 for t in tail) - 400
    shown = 0
    for f in rest:
        line = "\n" + _finding_line(f)
        if len(line) > budget:
            break
        body += line
        budget -= len(line)
        shown += 1
    if shown < len(rest):
        where = f"the [job summary]({data.details_url})" if data.details_url else "the job summary"
        body += f"\n\n… and {len(rest) - shown} more, listed in {where}."
    return body + "\n" + "\n".join(tail)


def _summary_head(data: SummaryInput) -> list[str]:
    v = verdict(data.findings, data.fail_level)
    icon = {"pass": "✅", "warn": "⚠️", "fail": "❌"}[v]
    lines = [
        f"## {icon} claim-review: {counts_line(data.findings)}",
        "",
        f"Reviewed {len(data.checked)} file(s) at `{data.head_sha[:12]}`; "
        f"{len(data.inline)} finding(s) are inline comments on the changed lines.",
    ]
    lines += [f"> {neutralise(n)}" for n in data.notes]
    by_file: dict[str, list[Finding]] = {p: [] for p in data.checked}
    for f in data.findings:
        by_file.setdefault(f.path, []).append(f)
    if by_file:
        lines += [
            "",
            "| File | Verdict | Errors | Warnings | Notices |",
            "| --- | --- | --- | --- | --- |",
        ]
        for path, found in sorted(by_file.items()):
            c = Counter(f.severity for f in found)
            fv = verdict(found, data.fail_level)
            mark = {"pass": "✅ pass", "warn": "⚠️ warn", "fail": "❌ fail"}[fv]
            lines.append(
                f"| `{_code(path)}` | {mark} | {c[Severity.ERROR]} | {c[Severity.WARNING]} "
                f"| {c[Severity.NOTICE]} |"
            )
    per_rule = Counter((f.name, f.code, f.severity) for f in data.findings)
    if per_rule:
        lines += ["", "| Rule | Severity | Findings |", "| --- | --- | --- |"]
        for (name, code, sev), n in sorted(per_rule.items(), key=lambda kv: (-kv[0][2], kv[0][0])):
            lines.append(f"| [`{name}`]({rule_url(name)}) ({code}) | {sev.label} | {n} |")
    if data.skipped:
        lines += ["", "Not read (never followed):"]
        lines += [f"- `{_code(p)}`: {why}" for p, why in data.skipped]
    return lines


def _finding_line(f: Finding) -> str:
    where = f"`{_code(f.path)}:{f.span.line}`"
    return f"- {ICON[f.severity]} {where} **{f.name}**: {neutralise(f.message)}"


def truncate(body: str, limit: int = BODY_LIMIT, pointer: str = "") -> str:
    if len(body) <= limit:
        return body
    note = f"\n\n… cut to fit GitHub's limit{'; ' + pointer if pointer else ''}."
    return body[: limit - len(note)] + note
