"""Files kept beside the package's bytecode, in the folder Python keeps it in.

Data that costs more to make than to read (compiled regular expressions, the parsed rule pack)
is made by the first run after an installation and read by the runs after it, as bytecode is.
Nothing is written when bytecode is not to be written (`PYTHONDONTWRITEBYTECODE`) or the folder
cannot be written; `PYTHONPYCACHEPREFIX` is followed. Whoever can write this folder can already
replace the package's bytecode: what is read from it is trusted as much as the bytecode is.
"""

from __future__ import annotations

import contextlib
import os
import sys

_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def path(name: str) -> str:
    """`name` (which should say which Python it is for) in the package's bytecode folder."""
    if sys.pycache_prefix:
        relative = os.path.splitdrive(_PACKAGE)[1].lstrip(os.sep)
        return os.path.join(sys.pycache_prefix, relative, name)
    return os.path.join(_PACKAGE, "__pycache__", name)


def read(name: str) -> bytes | None:
    try:
        with open(path(name), "rb") as handle:
            return handle.read()
    except OSError:
        return None


def write(name: str, data: bytes) -> bool:
    """Whole or not at all, whoever else writes it at the same time; False if not written."""
    if sys.dont_write_bytecode:
        return False
    target = path(name)
    temporary = f"{target}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except OSError:  # a read-only installation: made again on every run, as before
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True
