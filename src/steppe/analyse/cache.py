"""Incremental runs: per-document results cached by content and analysis version.

What :func:`steppe.analyse.document.process_document` finds in a document depends only
on its arguments (document ID, text, language, publication date, and the
sentence size limit when a run sets another) and on the
analysis code and reference data (registry, names, event patterns, sector
taxonomy...). The cache keys each result by both, so a run over 10,000 old
documents and 10 new ones analyses 10 documents, and any change to the code or
the reference data (:func:`analysis_version`) makes every entry a miss.

Layout (under ``<out>/cache/``, never Prefect's result store)::

    docs/<version[:16]>/<key[:2]>/<key>.bin

One file per document, sharded by the first two hex digits of its key (256
folders), so a folder holds ~400 files per 100,000 documents. After a release
is published, the run prunes the cache (:func:`prune`): the folders of older
analysis versions, and the entries no document of the run used (articles
edited or removed), so it holds about one entry per article in the raw folder.
``steppe cache prune`` does the same by hand. Pruning is not needed to stay
correct, and deleting ``cache/`` at any time is safe.

An entry is ``MAGIC + sha256(payload) + payload``, the payload a
zlib-compressed pickle of the ProcessedDocument, read back by an unpickler
that rebuilds only steppe's result types and standard date and container
types (nothing callable). It is written to a temporary
file and renamed into place, so a reader sees a whole entry or none; an entry
that is truncated, corrupt or of another document anyway fails its checksum or
its ID check, counts as ``corrupt``, is analysed again and rewritten. A cached
result is never trusted without its checksum.

The cache is a local folder: with a Dask cluster on several machines, it must
be on a file system every worker shares (or the workers just miss).
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from steppe.provenance import code_digest, installed_code_digest
from steppe.text import MAX_SENTENCE_CHARS

CACHE_DIR = "cache"
MAGIC = b"STEPPE-DOC-CACHE-1\n"
_DIGEST = 32

def analysis_version(package_dir: Path | None = None) -> str:
    """The digest of the code and data that decide an analysis, the morphological dictionaries'
    versions (they give the forms of the patterns' lemmas), and the cache's format."""
    from steppe.analyse.morph import versions

    code = code_digest(Path(package_dir)) if package_dir else installed_code_digest()
    return hashlib.sha256(f"{code}\0{versions()}\0cache-format {MAGIC!r}\0".encode()).hexdigest()


def document_key(doc_id: str, text: str, language: str | None, published, max_sentence_chars: int = MAX_SENTENCE_CHARS) -> str:
    """What process_document reads of a document: its ID, text, given language and publication date,
    and the sentence size limit (only when not the default, so the default's keys stay as they were)."""
    h = hashlib.sha256()
    for part in (doc_id, language or "", published.isoformat() if published is not None else ""):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    if max_sentence_chars != MAX_SENTENCE_CHARS:
        h.update(f"max-sentence-chars {max_sentence_chars}\0".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def key_of(doc, max_sentence_chars: int = MAX_SENTENCE_CHARS) -> str:
    """The cache key of an identified document (steppe.analyse.document.IdentifiedDocument)."""
    return document_key(doc.doc_id, doc.text, doc.raw.language, doc.raw.published_at, max_sentence_chars)


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    corrupt: int = 0  # entries found unreadable: analysed again and rewritten (counted in misses too)
    written: int = 0
    write_errors: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # the entries the run looked up: what prune() keeps

    def add(self, other: "CacheStats") -> None:
        self.hits += other.hits
        self.misses += other.misses
        self.corrupt += other.corrupt
        self.written += other.written
        self.write_errors.extend(other.write_errors)
        self.keys.extend(other.keys)

    def line(self) -> str:
        total = self.hits + self.misses
        rate = 100.0 * self.hits / total if total else 0.0
        text = f"Cache: {self.hits} hits, {self.misses} misses ({rate:.1f}% reused), {self.written} entries written"
        if self.corrupt:
            text += f", {self.corrupt} corrupt entries rebuilt"
        if self.write_errors:
            text += f", {len(self.write_errors)} not written (first: {self.write_errors[0]})"
        return text + "."


class DocumentCache:
    """Per-document results under ``root`` for one analysis version."""

    def __init__(self, root: Path | str, version: str):
        self.root = Path(root)
        self.version = version
        self.dir = self.root / "docs" / version[:16]

    def path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.bin"

    def get(self, key: str, doc_id: str, stats: CacheStats):
        """The cached ProcessedDocument, or None (missing, or corrupt: counted in stats)."""
        path = self.path(key)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            stats.corrupt += 1
            return None
        value = decode_entry(blob)
        if value is None or getattr(value, "doc_id", None) != doc_id:
            stats.corrupt += 1
            return None
        return value

    def put(self, key: str, value, stats: CacheStats) -> None:
        path = self.path(key)
        tmp = path.with_name(f".{key}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(encode_entry(value))
            os.replace(tmp, path)
            stats.written += 1
        except OSError as exc:  # a full disk must not fail the release: the result is in hand
            stats.write_errors.append(f"{path}: {exc}")
            try:
                tmp.unlink()
            except OSError:
                pass


def encode_entry(value) -> bytes:
    payload = zlib.compress(pickle.dumps(value, protocol=5), 6)
    return MAGIC + hashlib.sha256(payload).digest() + payload


# What an entry may rebuild: steppe's own result types and the standard types
# they hold. Anything else (a function, a class from another module) is refused,
# so a tampered entry that passes its checksum still cannot run code.
_ALLOWED_GLOBALS = {
    ("datetime", "date"), ("datetime", "datetime"), ("datetime", "timedelta"), ("datetime", "timezone"),
    ("builtins", "frozenset"), ("builtins", "set"), ("builtins", "tuple"), ("builtins", "list"), ("builtins", "dict"),
    ("copyreg", "_reconstructor"), ("builtins", "object"),
}


class _ResultUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED_GLOBALS or (module.startswith("steppe.") and not name.startswith("_")):
            found = super().find_class(module, name)
            if module.startswith("steppe.") and not isinstance(found, type):
                raise pickle.UnpicklingError(f"cache entry refers to {module}.{name}, which is not a type")
            return found
        raise pickle.UnpicklingError(f"cache entry refers to {module}.{name}, which a cached result never holds")


def _loads(data: bytes):
    return _ResultUnpickler(io.BytesIO(data)).load()


def decode_entry(blob: bytes):
    """The value of a whole, intact entry; None for anything else."""
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + _DIGEST:
        return None
    digest = blob[len(MAGIC) : len(MAGIC) + _DIGEST]
    payload = blob[len(MAGIC) + _DIGEST :]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        return _loads(zlib.decompress(payload))
    except Exception:  # a checksummed entry that still does not load (e.g. classes changed shape)
        return None


def process_batch(
    docs: Sequence, cache: DocumentCache | None, max_sentence_chars: int = MAX_SENTENCE_CHARS
) -> tuple[list, CacheStats]:
    """:func:`steppe.analyse.document.process_batch`, reusing cached results; misses are analysed (together,
    a stage at a time) and stored. The results hold the analysis only (the tables, and the text policy
    they apply, are built from them: :func:`steppe.tables.assemble.batch_tables`), so one entry serves
    every text policy."""
    from steppe.analyse.document import process_documents

    stats = CacheStats()
    originals = [d for d in docs if d.duplicate_of is None]
    out: list = [None] * len(originals)
    keys: list[str | None] = [None] * len(originals)
    misses = []
    for i, d in enumerate(originals):
        if cache is not None:
            keys[i] = key = key_of(d, max_sentence_chars)
            stats.keys.append(key)
            value = cache.get(key, d.doc_id, stats)
            if value is not None:
                stats.hits += 1
                out[i] = value
                continue
        stats.misses += 1
        misses.append(i)
    items = [(d.doc_id, d.text, d.raw.language, d.raw.published_at) for d in (originals[i] for i in misses)]
    analysed = process_documents(items, max_sentence_chars=max_sentence_chars)
    for i, value in zip(misses, analysed):
        if cache is not None:
            cache.put(keys[i], value, stats)
        out[i] = value
    return out, stats


# What the cache folder holds: docs/<16 hex>/<2 hex>/<64 hex>.bin, and .<key>.<pid>.tmp while an entry is written.
_VERSION_DIR = re.compile(r"[0-9a-f]{16}")
_SHARD_DIR = re.compile(r"[0-9a-f]{2}")
_ENTRY = re.compile(r"([0-9a-f]{64})\.bin")
_TEMPORARY = re.compile(r"\.[0-9a-f]{64}\.\d+\.tmp")


@dataclass
class PruneStats:
    files: int = 0
    bytes: int = 0
    versions: list[str] = field(default_factory=list)  # folders of other analysis versions, removed whole
    unused: int = 0  # entries of the current version that no document of the run used
    temporary: int = 0  # files left by writes that never finished
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        if not self.files and not self.errors:
            return "Cache pruned: nothing to remove."
        text = f"Cache pruned: {_count(self.files, 'file')}, {self.bytes / 2**20:.1f} MB"
        bits = []
        if self.versions:
            bits.append(_count(len(self.versions), "older analysis version"))
        if self.unused:
            bits.append(_count(self.unused, "entry", "entries") + " no document used")
        if self.temporary:
            bits.append(_count(self.temporary, "unfinished write"))
        if bits:
            text += f" ({', '.join(bits)})"
        if self.errors:
            text += f"; {len(self.errors)} could not be removed (first: {self.errors[0]})"
        return text + "."


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def prune(root: Path | str, version: str, keep: Iterable[str] | None = None) -> PruneStats:
    """Remove what no later run can use, so the cache does not grow without end.

    Removed: the folders of every other analysis version (any change to the
    analysis code or reference data starts a new one), and files left by
    writes that never finished. Given ``keep`` (the keys a run looked up,
    CacheStats.keys), also the current version's entries that no document of
    that run used: articles edited or removed from the raw folder. Only names
    the cache itself writes are touched; a file that cannot be removed is
    reported, not raised (the cache is scratch, and the release is already out).
    """
    stats = PruneStats()
    docs = Path(root) / "docs"
    current = version[:16]
    kept = set(keep) if keep is not None else None

    def remove(path: Path) -> bool:
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            stats.errors.append(f"{path}: {exc}")
            return False
        stats.files += 1
        stats.bytes += size
        return True

    try:
        versions = sorted(p for p in docs.iterdir() if p.is_dir() and _VERSION_DIR.fullmatch(p.name))
    except FileNotFoundError:
        return stats
    for folder in versions:
        other = folder.name != current
        for shard in sorted(p for p in folder.iterdir() if p.is_dir() and _SHARD_DIR.fullmatch(p.name)):
            for path in sorted(shard.iterdir()):
                entry = _ENTRY.fullmatch(path.name)
                if other:
                    if entry or _TEMPORARY.fullmatch(path.name):
                        remove(path)
                elif _TEMPORARY.fullmatch(path.name):
                    stats.temporary += remove(path)
                elif entry and kept is not None and entry.group(1) not in kept:
                    stats.unused += remove(path)
            if other:
                _remove_empty(shard, stats)
        if other:
            _remove_empty(folder, stats)
            if not folder.exists():
                stats.versions.append(folder.name)
    return stats


def _remove_empty(folder: Path, stats: PruneStats) -> None:
    try:
        folder.rmdir()
    except FileNotFoundError:
        pass
    except OSError as exc:  # not empty: a file the cache did not write, left in place
        stats.errors.append(f"{folder}: {exc}")


def versions(root: Path | str) -> list[dict[str, Any]]:
    """Each analysis-version folder of the cache: its name, entries and bytes."""
    docs = Path(root) / "docs"
    if not docs.is_dir():
        return []
    out = []
    for folder in sorted(p for p in docs.iterdir() if p.is_dir()):
        entries = size = 0
        for dirpath, _dirs, names in os.walk(folder):
            for n in names:
                entries += bool(_ENTRY.fullmatch(n))
                size += os.path.getsize(os.path.join(dirpath, n))
        out.append({"version": folder.name, "entries": entries, "bytes": size})
    return out


def storage(cache_root: Path | str) -> dict[str, int]:
    """Files and bytes under a cache folder (for the benchmark and the README's sizing note)."""
    files = size = 0
    for dirpath, _dirs, names in os.walk(cache_root):
        for n in names:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, n))
    return {"files": files, "bytes": size}
