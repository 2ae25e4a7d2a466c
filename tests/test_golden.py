"""Golden claim files: every expected finding is marked in the file itself.

`<!-- expect: NAME -->` in the body (or `# expect: NAME` in YAML) marks a finding of rule NAME on
that line; `NAME@N` marks one on line N. The golden knowledge base must produce exactly these
findings for the rules named in GOLDEN_RULES.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from bot import config, pipeline

GOLDEN = Path(__file__).parent / "golden" / "kb"
MARK = re.compile(r"(?:<!--|#)\s*expect:\s*([a-z-]+)(?:@(\d+))?")
GOLDEN_RULES = {
    "frontmatter-syntax", "missing-required-field", "invalid-field-value", "invalid-date",
    "unknown-field", "unresolved-wiki-link", "ambiguous-wiki-link", "wiki-link-style",
}  # fmt: skip


def expected() -> set[tuple[str, int, str]]:
    marks = set()
    for path in GOLDEN.rglob("*.md"):
        rel = path.relative_to(GOLDEN).as_posix()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in MARK.finditer(line):
                marks.add((rel, int(m.group(2) or n), m.group(1)))
    return marks


def test_golden_knowledge_base():
    settings = config.load(None, GOLDEN)
    settings = replace(settings, rules=tuple(r for r in settings.rules if r.name in GOLDEN_RULES))
    result = pipeline.check_paths(GOLDEN, [], settings)
    found = {(f.path, f.span.line, f.name) for f in result.findings}
    assert found == expected()
    assert {name for _, _, name in expected()} == GOLDEN_RULES
