"""The generated part of the registry (data/registry/generated/) and its curated overrides.

Generated files are written by the tools/build_registry_*.py scripts from open
reference data; every entry names its `source` (dataset or repository, path,
commit or version) and the day it was `retrieved`. Hand-curated entries (the
files at the top of data/registry/) win: the scripts leave out anything a
curated entry already holds, and the loader refuses a Wikidata id on two
entities.

Curated corrections to generated entries go in overrides.yaml, by entity_id:
`{drop: true}` removes the entry, any other mapping replaces those fields of
it. An override that matches no generated entry is an error, so the file
never keeps dead rules (as tie_breaks.yaml does not).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

GENERATED_DIR = "generated"
OVERRIDES_FILE = "overrides.yaml"
PROVENANCE_KEYS = ("source", "retrieved")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_Add = Callable[[str, str | None, str | None, str], None]  # (file, entity_id, field, message)


def check_provenance(file: str, entry: Mapping[str, Any], generated: bool, add: _Add) -> None:
    """A generated entry must say where it comes from and when; a curated one needs neither."""
    label = entry.get("id") if isinstance(entry.get("id"), str) else "entry without an id"
    if not generated:
        return
    source, retrieved = entry.get("source"), entry.get("retrieved")
    if not isinstance(source, str) or not source.strip():
        add(file, label, "source", "required in a generated file: the dataset or repository, path and version")
    if not isinstance(retrieved, str) or not _ISO_DATE.match(retrieved):
        add(file, label, "retrieved", f"{retrieved!r}: required in a generated file, the retrieval day YYYY-MM-DD")


def apply_overrides(
    overrides: Any, entries: list[tuple[str, Mapping[str, Any]]], generated_files: set[str], add: _Add
) -> list[tuple[str, Mapping[str, Any]]]:
    """The entries with the overrides applied; every override must match one generated entry."""
    if overrides is None:
        return entries
    if not isinstance(overrides, Mapping):
        add(OVERRIDES_FILE, None, None, "expected a mapping of entity_id -> {drop: true} or fields to replace")
        return entries
    by_id = {entry.get("id"): index for index, (_, entry) in enumerate(entries)}
    result: list[tuple[str, Mapping[str, Any]] | None] = list(entries)
    for entity_id, change in overrides.items():
        index = by_id.get(entity_id)
        if not isinstance(change, Mapping) or not change:
            add(OVERRIDES_FILE, str(entity_id), None, "expected {drop: true} or a mapping of fields to replace")
            continue
        if index is None:
            add(OVERRIDES_FILE, str(entity_id), None, "unused override: no generated entry has this id")
            continue
        file, entry = entries[index]
        if file not in generated_files:
            add(OVERRIDES_FILE, str(entity_id), None, f"overrides apply to generated entries only ({file} is curated: edit it there)")
            continue
        if "drop" in change:
            if dict(change) != {"drop": True}:
                add(OVERRIDES_FILE, str(entity_id), "drop", "drop: true stands alone")
            result[index] = None
            continue
        if "id" in change:
            add(OVERRIDES_FILE, str(entity_id), "id", "an override cannot change an entity's id")
            continue
        result[index] = (file, {**entry, **change})
    return [item for item in result if item is not None]
