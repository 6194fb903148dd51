"""The inventory: each input file's size and SHA-256, taken from the bytes ingest reads.

A release names its inputs (path, size, hash) in its manifest, and their
fingerprint decides whether a run has anything new to release.  Hashing
the folder in a pass of its own would let a file change between the hash
and the read, and the release would describe bytes it was not built from;
so the reader hashes the very bytes it decodes.  Files it does not decode
(unsupported files, sidecars that are not used, files over a size cap or
not text at all) are hashed in the same pass, after the documents, because
their presence still shapes the ``rejected`` table.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["InputFile", "Inventory"]

_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class InputFile:
    path: str  # relative to the raw folder
    bytes: int  # -1 when the file could not be read
    sha256: str  # "" when the file could not be read


class _HashedFile(io.RawIOBase):
    """A file opened on first read; every byte read from it is counted and hashed."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._path = path
        self._file: io.FileIO | None = None
        self._hash = hashlib.sha256()
        self.size = 0
        self.failed = False  # reading the file itself raised OSError

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        try:
            if self._file is None:
                self._file = io.FileIO(self._path, "rb")
            count = self._file.readinto(buffer)
        except OSError:
            self.failed = True
            raise
        if count:
            self._hash.update(memoryview(buffer)[:count])
            self.size += count
        return count or 0

    def finish(self, rel: str) -> InputFile:
        """Read what the reader left unread (it may stop at a bad header), and describe the file."""
        if not self.failed:
            buffer = bytearray(_CHUNK_BYTES)
            try:
                while self.readinto(buffer):
                    pass
            except OSError:
                pass  # self.failed is set
        if self.failed:
            return InputFile(rel, -1, "")  # ingest rejects it as unreadable; it still counts as input
        return InputFile(rel, self.size, self._hash.hexdigest())

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


class Inventory:
    """The input files met while reading a raw folder, recorded once each."""

    def __init__(self) -> None:
        self._files: dict[str, InputFile] = {}

    def __contains__(self, rel: object) -> bool:
        return rel in self._files

    def files(self) -> list[InputFile]:
        """The recorded files, sorted by path (the order a run's fingerprint is taken in)."""
        return [self._files[rel] for rel in sorted(self._files)]

    def add_bytes(self, rel: str, data: bytes | None) -> None:
        """Record a file read whole; ``None`` when reading it failed."""
        if data is None:
            self._files.setdefault(rel, InputFile(rel, -1, ""))
        else:
            self._files.setdefault(rel, InputFile(rel, len(data), hashlib.sha256(data).hexdigest()))

    def add_unread(self, rel: str, path: Path) -> None:
        """Record a file ingest had no need to decode, by reading its bytes now."""
        if rel not in self._files:
            with contextlib.closing(_HashedFile(path)) as raw:
                self._files[rel] = raw.finish(rel)

    @contextlib.contextmanager
    def reading(self, rel: str, path: Path) -> Iterator[io.BufferedReader]:
        """The file as a buffered binary stream that hashes what is read from it.

        When the block ends normally the rest of the file is read and hashed
        too and the file is recorded; when the reading is abandoned (an error,
        a consumer that stopped) nothing is recorded.
        """
        raw = _HashedFile(path)
        buffered = io.BufferedReader(raw)  # held here, so it cannot close the file before finish()
        try:
            yield buffered
            self._files.setdefault(rel, raw.finish(rel))
        finally:
            raw.close()
