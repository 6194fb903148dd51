"""Finding the raw files: which entries of the raw folder ingest must account for.

Hidden files and folders and READMEs are skipped; everything else is an
entry, sorted by relative POSIX path, with its kind.  Entries that cannot
be read safely (symlinks leading out of the folder or in a loop, pipes,
devices, paths that cannot be inspected) are kept as entries too, so the
reader rejects them by name instead of dropping them silently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "EXPECTED_FILES",
    "READABLE_KINDS",
    "Entry",
    "list_input_files",
    "scan",
    "sidecar_stem",
    "sidecars_by_text",
]

_SIDECAR_SUFFIXES = (".meta.json", ".meta.yaml", ".meta.yml")
_README_NAMES = frozenset({"readme", "readme.md", "readme.txt", "readme.rst"})
EXPECTED_FILES = (
    "expected .txt (with an optional NAME.meta.json or NAME.meta.yaml sidecar), "
    ".jsonl, .jsonl.gz or .csv"
)


@dataclass(frozen=True)
class Entry:
    rel: str  # relative POSIX path
    path: Path  # raw_dir / rel
    kind: str  # txt, sidecar, jsonl, jsonl.gz, csv, unsupported, special, unsafe, unreadable
    problem: str = ""  # detail for special, unsafe and unreadable entries


# Kinds whose bytes decide ingest's output, so the inventory records them.
READABLE_KINDS = frozenset({"txt", "sidecar", "jsonl", "jsonl.gz", "csv", "unsupported"})


def _kind_of(name: str) -> str:
    lower = name.lower()
    if lower.endswith(_SIDECAR_SUFFIXES):
        return "sidecar"
    for suffix in (".jsonl.gz", ".jsonl", ".csv", ".txt"):
        if lower.endswith(suffix):
            return suffix[1:]
    return "unsupported"


def scan(raw_dir: Path) -> list[Entry]:
    """Every entry under ``raw_dir`` that ingest must account for, sorted by relative path.

    Hidden files and folders and README files are skipped.  Symlinks are
    followed only when their target stays inside ``raw_dir``.
    """
    root = Path(os.path.realpath(raw_dir))
    if not root.is_dir():
        raise FileNotFoundError(f"raw data folder not found or not a folder: {raw_dir}")
    entries: list[Entry] = []

    def walk(directory: Path, rel_parts: tuple[str, ...], ancestors: frozenset[Path]) -> None:
        try:
            with os.scandir(directory) as listing:
                children = sorted(listing, key=lambda child: child.name)
        except OSError as error:
            entries.append(Entry("/".join(rel_parts) or ".", directory, "unreadable",
                                  f"cannot list this folder ({error.strerror})"))
            return
        for child in children:
            if child.name.startswith("."):
                continue
            rel = "/".join((*rel_parts, child.name))
            path = directory / child.name
            try:
                if child.is_symlink():
                    target = Path(os.path.realpath(path))
                    if not target.is_relative_to(root):
                        entries.append(Entry(rel, path, "unsafe",
                                              "symlink whose target is outside the raw data folder; "
                                              "it was not followed. Copy the file into the folder instead"))
                        continue
                if child.is_dir():
                    real = Path(os.path.realpath(path))
                    if real in ancestors:
                        entries.append(Entry(rel, path, "unsafe",
                                              "symlink to one of its own parent folders (a loop); not followed"))
                        continue
                    walk(path, (*rel_parts, child.name), ancestors | {real})
                    continue
                if child.name.lower() in _README_NAMES:
                    continue
                if not child.is_file():
                    entries.append(Entry(rel, path, "special",
                                          "not a regular file (a pipe, socket, device or broken symlink); "
                                          + EXPECTED_FILES))
                    continue
            except OSError as error:
                entries.append(Entry(rel, path, "unreadable", f"cannot inspect this path ({error.strerror})"))
                continue
            entries.append(Entry(rel, path, _kind_of(child.name)))

    walk(Path(raw_dir), (), frozenset({root}))
    entries.sort(key=lambda entry: entry.rel)
    return entries


def list_input_files(raw_dir: Path) -> list[Path]:
    """Files whose bytes decide ingest's output, sorted by relative path.

    That is every document file and sidecar, plus files rejected as
    unsupported (their presence changes the ``rejected`` table).  Hidden
    files, READMEs, symlinks leading outside ``raw_dir`` and special files
    are left out: they are never read.  Paths are ``raw_dir / relative``.
    """
    return [entry.path for entry in scan(Path(raw_dir)) if entry.kind in READABLE_KINDS]


def sidecar_stem(rel: str) -> str:
    lower = rel.lower()
    for suffix in _SIDECAR_SUFFIXES:
        if lower.endswith(suffix):
            return rel[: -len(suffix)]
    raise ValueError(f"not a sidecar: {rel}")


def sidecars_by_text(entries: list[Entry]) -> dict[str, list[Entry]]:
    by_stem: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.kind == "sidecar":
            by_stem.setdefault(sidecar_stem(entry.rel), []).append(entry)
    return by_stem

