"""Content-derived identifiers: the same content always gets the same ID, across runs and releases."""

from __future__ import annotations

import hashlib
from pathlib import Path

_SEPARATOR = "\x1f"  # ASCII unit separator: cannot occur in an ID part made of text we split on it


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_id(*parts: object, prefix: str = "", length: int = 16) -> str:
    """``prefix`` + the first ``length`` hex digits of the SHA-256 of the parts.

    Parts are joined with a separator so that ("ab", "c") and ("a", "bc") differ.
    """
    joined = _SEPARATOR.join("" if p is None else str(p) for p in parts)
    return prefix + hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
