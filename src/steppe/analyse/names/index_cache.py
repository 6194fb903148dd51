"""The name index on disk, so that `steppe resolve` starts in a fraction of a second.

Building the index (reading and checking the registry, generating every
transliteration and inflected form) takes most of the time of a one-name
command. This module keeps the built index in one file per digest::

    <folder>/<digest>.bin

where the digest (:func:`index_digest`) covers everything the index is built
from: the package's code and data files, the registry among them, and the
versions of its dependencies (:func:`steppe.provenance.installed_code_digest`),
and this file's format. An edit to the registry or to the code makes a new
digest, so a stale index is never found, and the files of other digests are
removed when a new one is written.

A file is ``MAGIC + digest + "\\n" + sha256(payload) + payload``, the payload a
zlib-compressed pickle of the index's data (the registry's entities and
tie-breaks, the automaton's words and their forms, the folding index), read
back by an unpickler that rebuilds only the registry's and the index's own
types and dates (nothing callable). It is written to a temporary file and
renamed into place. A file that is truncated, corrupt, or of another digest
fails its checks and is rebuilt and rewritten, never trusted; the Aho-Corasick
automaton is rebuilt from its words on load (a few hundredths of a second),
not unpickled.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import re
import zlib
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType

import ahocorasick

from steppe.analyse.names.index import NameIndex, build_index
from steppe.analyse.names.registry import Registry, load_registry
from steppe.provenance import installed_code_digest

MAGIC = b"STEPPE-NAME-INDEX-1\n"
_CHECKSUM = 32
_ENTRY = re.compile(r"[0-9a-f]{64}\.bin")


def index_digest() -> str:
    """The digest of what the package's index is built from (code, data, dependencies) and of this format."""
    return hashlib.sha256(f"{installed_code_digest()}\0name-index {MAGIC!r}\0".encode()).hexdigest()


def user_cache_dir() -> Path:
    """Where the index goes when there is no output folder: $XDG_CACHE_HOME/steppe/names (default ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "steppe" / "names"


def encode_index(index: NameIndex, digest: str) -> bytes:
    state = (
        dict(index.registry.entities),
        dict(index.registry.tie_breaks),
        list(index.automaton.items()),
        index.fold_index,
        index.fold_buckets,
    )
    payload = zlib.compress(pickle.dumps(state, protocol=5), 6)
    return MAGIC + digest.encode("ascii") + b"\n" + hashlib.sha256(payload).digest() + payload


# What an index file may rebuild: the registry's and the index's frozen
# dataclasses and dates. Anything else is refused, so a tampered file that
# passes its checksum still cannot run code.
_ALLOWED_GLOBALS = {
    ("datetime", "date"),
    ("steppe.analyse.names.entities", "Entity"),
    ("steppe.analyse.names.entities", "Name"),
    ("steppe.analyse.names.entities", "Role"),
    ("steppe.analyse.names.entities", "TieBreak"),
    ("steppe.analyse.names.index", "Form"),
}


class _IndexUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"name index refers to {module}.{name}, which an index never holds")


def decode_index(blob: bytes, digest: str) -> NameIndex | None:
    """The index of a whole, intact file of this digest; None for anything else."""
    head = MAGIC + digest.encode("ascii") + b"\n"
    if not blob.startswith(head) or len(blob) < len(head) + _CHECKSUM:
        return None
    checksum = blob[len(head) : len(head) + _CHECKSUM]
    payload = blob[len(head) + _CHECKSUM :]
    if hashlib.sha256(payload).digest() != checksum:
        return None
    try:
        entities, tie_breaks, words, fold_index, fold_buckets = _IndexUnpickler(io.BytesIO(zlib.decompress(payload))).load()
        automaton = ahocorasick.Automaton()
        for key, value in words:
            automaton.add_word(key, value)
        automaton.make_automaton()
    except Exception:  # checksummed, yet not an index this code can read
        return None
    if not (isinstance(entities, dict) and isinstance(tie_breaks, dict) and isinstance(fold_index, dict) and isinstance(fold_buckets, dict)):
        return None
    registry = Registry(entities=MappingProxyType(entities), tie_breaks=MappingProxyType(tie_breaks))
    return NameIndex(registry=registry, automaton=automaton, fold_index=fold_index, fold_buckets=fold_buckets)


def _default_build() -> NameIndex:
    return build_index(load_registry())


def load_or_build(
    folder: Path | str | None,
    digest: str | None = None,
    build: Callable[[], NameIndex] = _default_build,
) -> tuple[NameIndex, str]:
    """The index from ``folder/<digest>.bin``, else built (and saved there); and what happened:

    ``hit`` (read from disk), ``built`` (no file yet), ``rebuilt`` (a file that failed its checks),
    each of the last two followed by `` (not saved: REASON)`` when the file could not be written.
    ``folder`` None: built, nothing read or written. ``digest`` defaults to :func:`index_digest`.
    """
    if folder is None:
        return build(), "built"
    digest = digest or index_digest()
    path = Path(folder) / f"{digest}.bin"
    status = "built"
    try:
        blob = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        blob = None
    except OSError:  # there, but unreadable
        blob, status = None, "rebuilt"
    if blob is not None:
        index = decode_index(blob, digest)
        if index is not None:
            return index, "hit"
        status = "rebuilt"
    index = build()
    try:
        _write(path, encode_index(index, digest))
    except OSError as exc:  # a read-only or full disk: the index is in hand, only slower next time
        status += f" (not saved: {exc})"
    return index, status


def _write(path: Path, blob: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(blob)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    for other in path.parent.iterdir():  # indexes of older code or data: no later run can use them
        if other != path and _ENTRY.fullmatch(other.name):
            try:
                other.unlink()
            except OSError:
                pass
