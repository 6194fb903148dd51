"""Content-derived identifiers: the same content always gets the same ID, across runs and releases."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from steppe.text import fold

_SEPARATOR = "\x1f"  # ASCII unit separator: cannot occur in an ID part made of text we split on it


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_id(*parts: object, prefix: str = "", length: int = 16) -> str:
    """``prefix`` + the first ``length`` hex digits of the SHA-256 of the parts.

    Parts are joined with a separator so that ("ab", "c") and ("a", "bc") differ.
    """
    joined = _SEPARATOR.join("" if p is None else str(p) for p in parts)
    return prefix + hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def content_ids(*columns: Sequence[object], prefix: str = "", length: int = 16) -> list[str]:
    """:func:`content_id` of every row of ``columns`` (equal-length sequences, a part each):
    ``[content_id(*row, prefix=prefix, length=length) for row in zip(*columns)]``, with the
    joining done column-wise in C (the per-document tables ask for hundreds of thousands)."""
    texts = [["" if v is None else str(v) for v in column] if _needs_str(column) else column for column in columns]
    sha = hashlib.sha256
    return [prefix + sha(joined.encode("utf-8")).hexdigest()[:length] for joined in map(_SEPARATOR.join, zip(*texts))]


def _needs_str(column: Sequence[object]) -> bool:
    """Whether a column is not all str already (then its values are made text as content_id makes them)."""
    return not all(type(v) is str for v in column)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


UNLINKED_PREFIX = "unlinked:"
_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 48


@functools.lru_cache(maxsize=65536)  # a name recurs across the sentences and documents that mention it
def unlinked_id(name: str) -> str:
    """The entity ID of a name the registry does not hold: its folding key, as a slug.

    Every spelling and inflection that folds alike (Саткалиев, Satkaliyev) is one
    unlinked entity, the same from release to release; a name with no Latin
    letters or digits once folded, or a long one, is told apart by a hash.
    """
    key = fold(name, key=True)
    slug = _SLUG_CHARS.sub("-", key).strip("-")
    if not slug or len(slug) > MAX_SLUG:
        slug = (slug[:MAX_SLUG].rstrip("-") + "-" if slug else "") + content_id(key or name, length=8)
    return UNLINKED_PREFIX + slug
