from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from bot.engine import fingerprint


@given(st.text(max_size=8), st.text(max_size=20), st.text(max_size=40), st.integers(1, 5))
def test_fingerprints_are_sha256_as_hashlib_computes_it(code, path, key, occurrence):
    text = f"{code}\0{path}\0{' '.join(key.split())}\0{occurrence}"
    expected = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    assert fingerprint(code, path, key, occurrence) == expected


def test_a_fingerprint_ignores_spacing_but_not_what_or_which():
    base = fingerprint("CR201", "a.md", "[[some target]]")
    assert fingerprint("CR201", "a.md", " [[some\n target]] ") == base
    assert fingerprint("CR201", "a.md", "[[some target]]", 2) != base
    assert fingerprint("CR201", "b.md", "[[some target]]") != base
    assert fingerprint("CR202", "a.md", "[[some target]]") != base
