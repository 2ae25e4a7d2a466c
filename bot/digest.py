"""SHA-256 for fingerprints and cache keys, from Python's own implementation when it has one.

`hashlib` loads OpenSSL on import, 3 ms of every start-up; the digests are the same.
"""

from __future__ import annotations

try:
    from _sha2 import sha256  # type: ignore[import-not-found, unused-ignore]  # Python 3.12+
except ImportError:
    try:
        from _sha256 import sha256  # type: ignore[import-not-found, no-redef, unused-ignore]
    except ImportError:  # a Python built without them
        from hashlib import sha256  # type: ignore[assignment, unused-ignore]

__all__ = ["sha256"]
