"""The row-by-row diff steppe used before the column-wise one (tests only): the reference its output must equal.

A verbatim copy of the diff in steppe.publish.changes (now steppe.publish.diff) as it was, which built a
{key: row dict} for every row of both releases. Kept so that tests can compare
the two on many table pairs; not used by steppe itself. The summary and
CHANGES.md rendering did not change, so they are steppe's own.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from steppe.publish.changes import render_changes_md, summarise  # noqa: F401 (render_changes_md: used by the tests through this module)
from steppe.publish.layout import read_table
from steppe.schema import tables


def _read(release_dir: Path | None, name: str) -> pa.Table | None:
    """The table as published, one file or a partitioned dataset (None: the release predates it)."""
    if release_dir is None:
        return None
    return read_table(release_dir, name)


def _rows_by_key(t: pa.Table, key: tuple[str, ...]) -> dict[tuple, dict[str, Any]]:
    rows = t.to_pylist()
    return {tuple(r[k] for k in key): r for r in rows}


def _json_value(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (date, datetime)) else v


def _json_key(key: tuple) -> Any:
    return _json_value(key[0]) if len(key) == 1 else [_json_value(k) for k in key]


def diff_table(old: pa.Table | None, new: pa.Table, key: tuple[str, ...]) -> dict[str, Any]:
    old_rows = _rows_by_key(old, key) if old is not None else {}
    new_rows = _rows_by_key(new, key)
    added = sorted(k for k in new_rows if k not in old_rows)
    removed = sorted(k for k in old_rows if k not in new_rows)
    changed = []
    for k in sorted(k for k in new_rows if k in old_rows):
        a, b = old_rows[k], new_rows[k]
        columns = [c for c in b if a.get(c) != b[c] or c not in a]
        columns += [c for c in a if c not in b]
        if columns:
            changed.append({"key": _json_key(k), "columns": columns})
    return {
        "rows_before": len(old_rows),
        "rows_after": len(new_rows),
        "added": [_json_key(k) for k in added],
        "removed": [_json_key(k) for k in removed],
        "changed": changed,
    }


# Rows whose ID is derived from content get a new ID when the content changes.
# A removed and an added row that share these columns are one row that changed:
# an article edited in place (same file and line), an event recoded (same
# trigger in the same document).
_SAME_PLACE = {"documents": ("source_file", "source_line"), "events": ("doc_id", "char_start")}


def pair_replacements(old: pa.Table | None, new: pa.Table, key: tuple[str, ...], diff: dict[str, Any], place: tuple[str, ...]) -> list[dict[str, Any]]:
    """Removed and added rows that stand in the same place: old key, new key, and the columns that differ."""
    if old is None or not diff["added"] or not diff["removed"]:
        return []
    removed = set(map(_hashable, diff["removed"]))
    added = set(map(_hashable, diff["added"]))
    before_by_place = {}
    for r in old.to_pylist():
        if _hashable(_json_key(tuple(r[k] for k in key))) in removed:
            before_by_place[tuple(r[c] for c in place)] = r
    pairs = []
    for r in new.to_pylist():
        new_key = _json_key(tuple(r[k] for k in key))
        before = before_by_place.get(tuple(r[c] for c in place)) if _hashable(new_key) in added else None
        if before is None:
            continue
        pair = {
            "from": _json_key(tuple(before[k] for k in key)),
            "to": new_key,
            "columns": [c for c in r if c not in key and before.get(c) != r[c]],
        }
        if "cameo_code" in r:
            pair.update(cameo_from=before["cameo_code"], cameo_to=r["cameo_code"])
        pairs.append(pair)
    return sorted(pairs, key=lambda p: str(p["to"]))


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def diff_releases(old_dir: Path | None, new_dir: Path, *, old_version: str | None, new_version: str) -> dict[str, Any]:
    """Compare every table of two release folders (``old_dir`` None for a first release)."""
    out: dict[str, Any] = {"from": old_version, "to": new_version, "tables": {}}
    for name, spec in tables().items():
        new = _read(new_dir, name)
        if new is None and old_dir is not None and _read(old_dir, name) is None:
            continue  # both releases predate the table
        if new is None:
            raise FileNotFoundError(f"{new_dir}: release has no parquet/{name}.parquet (nor a parquet/{name}/ dataset)")
        old = _read(old_dir, name)
        diff = diff_table(old, new, spec.primary_key)
        if name in _SAME_PLACE:
            diff["replaced"] = pair_replacements(old, new, spec.primary_key, diff, _SAME_PLACE[name])
        out["tables"][name] = diff
    out["summary"] = summarise(out)
    return out
