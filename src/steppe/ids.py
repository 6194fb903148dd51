"""Content-derived identifiers: the same content always gets the same ID, across runs and releases."""

from __future__ import annotations

import hashlib

_SEPARATOR = "\x1f"  # ASCII unit separator: cannot occur in an ID part made of text we split on it


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_id(*parts: object, prefix: str = "", length: int = 16) -> str:
    """``prefix`` + the first ``length`` hex digits of the SHA-256 of the parts.

    Parts are joined with a separator so that ("ab", "c") and ("a", "bc") differ.
    """
    joined = _SEPARATOR.join("" if p is None else str(p) for p in parts)
    return prefix + hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]
