"""What changed between two releases: rows added, removed and changed per table, by primary key.

The comparison is column-wise, so that releases of millions of rows are diffed without turning
them into Python objects: the primary keys of both releases are sorted together and numbered by
rank (the same number for the same key in both), rows are matched through those numbers, and each
column is compared for all matched rows at once in Arrow. Only the keys that are listed (added,
removed, changed) become Python values.

The result is exactly that of comparing the releases row by row as Python dicts keyed by primary
key (``tests/changes_reference.py`` keeps that version and the tests prove the two agree): keys
listed in Python's sort order; a key that occurs twice counts once, with its last row; a null and
a value differ, two nulls do not; a column that one release lacks counts as changed on every row
both have. Where Arrow could disagree with Python (float, nested or unusual column types, a null
in a key, key types that differ between the releases), that column or those keys are compared as
Python values instead. steppe.publish.changes writes the result.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from steppe.publish.changes import KeyList, json_key, json_keys, summarise
from steppe.publish.layout import PublishedColumns, decoded, parquet_location
from steppe.schema import tables
from steppe.tables.arrow import in_key_order


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while hundreds of thousands of key lists are built.

    Each collection would walk every list made so far (none of them cyclic):
    that walk, not the building, was most of the time spent listing compound keys.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --- Columns as Python rows see them ------------------------------------------------


def _columns(t: pa.Table | None) -> dict[str, pa.ChunkedArray]:
    """The table's columns by name, as ``to_pylist()`` rows see them.

    A repeated column name keeps its first place and its last values, like a
    row dict; dictionary-encoded columns are decoded (their Python values are
    the dictionary's values).
    """
    cols: dict[str, pa.ChunkedArray] = {}
    if t is None:
        return cols
    if isinstance(t, PublishedColumns):
        return t  # read a column at a time, as the diff asks for them
    for name, col in zip(t.column_names, t.columns):
        cols[name] = decoded(col)
    return cols


def _equal_as_python(t: pa.DataType) -> bool:
    """Whether Arrow's equality on this type is Python's ``==`` on the values ``to_pylist()`` gives.

    Text compares by UTF-8 bytes, which is code point equality (and order);
    floats follow IEEE in both (NaN differs from itself, -0.0 equals 0.0).
    Nanosecond timestamps (Python datetimes stop at microseconds), half floats,
    nested and other types are left to Python.
    """
    return (
        pa.types.is_boolean(t)
        or pa.types.is_integer(t)
        or t in (pa.float32(), pa.float64())
        or pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or pa.types.is_binary(t)
        or pa.types.is_large_binary(t)
        or pa.types.is_date32(t)
        or (pa.types.is_timestamp(t) and t.unit != "ns")
    )


def _sorted_as_python(t: pa.DataType) -> bool:
    """Whether Arrow sorts this key type (without nulls) as Python sorts its values.

    Floats are left out: NaN has no place in Python's order.
    """
    return _equal_as_python(t) and not pa.types.is_floating(t)


def _rows(col: pa.ChunkedArray, rows: np.ndarray) -> pa.ChunkedArray:
    """The column at these rows; the column itself when they are all its rows in order (nothing to copy)."""
    if len(rows) == len(col) and np.array_equal(rows, np.arange(len(rows))):
        return col
    return col.take(pa.array(rows, pa.int64()))


def _differs(a: pa.ChunkedArray, b: pa.ChunkedArray) -> np.ndarray:
    """Row by row, whether ``a != b`` as Python sees the values: a null and a value differ, two nulls do not."""
    if a.type == b.type and _equal_as_python(a.type):
        ne = pc.not_equal(a, b)
        if a.null_count or b.null_count:
            ne = pc.or_(pc.fill_null(ne, False), pc.xor(pc.is_null(a), pc.is_null(b)))
        return np.asarray(ne.to_numpy(), dtype=bool)
    return np.fromiter((bool(x != y) for x, y in zip(a.to_pylist(), b.to_pylist())), dtype=bool, count=len(a))


def _differs_from_null(b: pa.ChunkedArray) -> np.ndarray:
    """Row by row, whether ``None != b``: a column the other release lacks, read with ``dict.get``."""
    return np.fromiter((bool(None != y) for y in b.to_pylist()), dtype=bool, count=len(b))


def _column_sets(names: list[str], masks: Iterator[tuple[int, np.ndarray]], n_rows: int) -> tuple[np.ndarray, dict[int, list[str]]]:
    """Per row, a number for the set of columns that differ (bit j: ``names[j]``; 0: none), and each
    number's column names in order.

    ``masks`` yields (column index, one boolean per row); the names are then
    listed once per distinct set of columns rather than once per row.
    """
    sets = np.zeros(n_rows, dtype=object if len(names) > 62 else np.int64)
    for j, mask in masks:
        sets |= mask.astype(sets.dtype) << j
    named = {int(s): [names[j] for j in range(len(names)) if int(s) >> j & 1] for s in np.unique(sets)}
    return sets, named


def _changed_columns(
    old_cols: Mapping[str, pa.ChunkedArray], new_cols: Mapping[str, pa.ChunkedArray], old_rows: np.ndarray, new_rows: np.ndarray
) -> tuple[np.ndarray, dict[int, list[str]]]:
    """:func:`_column_sets` of the columns that differ between each pair of rows (``old_rows[i]``
    of the old release, ``new_rows[i]`` of the new): the new release's columns first, in its
    order, then the ones only the old has; a column only one release has differs on every row."""
    names = list(new_cols) + [c for c in old_cols if c not in new_cols]
    masks = (
        (j, _differs(_rows(old_cols[c], old_rows), _rows(new_cols[c], new_rows)) if c in old_cols and c in new_cols else np.ones(len(new_rows), bool))
        for j, c in enumerate(names)
    )
    return _column_sets(names, masks, len(new_rows))


# --- Keys as numbers ------------------------------------------------------------------


@dataclass
class _Keys:
    """Each row's key as a number, per side (equal keys, equal numbers; ``count`` distinct).

    Numbered in Arrow, the numbers are the keys' ranks: sorting by number is
    sorting by key. Numbered in Python, ``python`` holds each side's key
    tuples, which then sort in Python.
    """

    numbers: list[np.ndarray]
    count: int
    python: list[list[tuple]] | None


def _key_columns(cols: dict[str, pa.ChunkedArray], n_rows: int, key: tuple[str, ...]) -> list[pa.ChunkedArray]:
    """The key's columns: a KeyError for a missing one, as reading ``row[k]`` gives, unless there are no rows."""
    if n_rows == 0:
        return []
    return [cols[k] for k in key]


def _number_keys(sides: list[list[pa.ChunkedArray]], lengths: list[int]) -> _Keys:
    """Number the key tuples of several sides (tables) alike: equal keys, equal numbers.

    In Arrow, by sorting all keys together and ranking them, when every key
    column has a type Arrow compares and sorts as Python does, the same types
    on every side and no null; otherwise through a Python dict of the key
    tuples, whose equality is the reference's own.
    """
    present = [cols for cols, n in zip(sides, lengths) if n]
    in_arrow = all(
        [c.type for c in cols] == [c.type for c in present[0]] and all(_sorted_as_python(c.type) and c.null_count == 0 for c in cols)
        for cols in present
    )
    if not in_arrow or (present and not present[0]):
        numbering: dict[tuple, int] = {}
        python = [(list(zip(*(c.to_pylist() for c in cols))) if cols else [()] * n) if n else [] for cols, n in zip(sides, lengths)]
        numbers = [np.fromiter((numbering.setdefault(k, len(numbering)) for k in keys), dtype=np.int64, count=len(keys)) for keys in python]
        return _Keys(numbers, len(numbering), python)
    total = sum(lengths)
    ranks = np.zeros(total, np.int64)
    count = 0
    if total:
        together = pa.table({f"k{j}": pa.chunked_array([ch for cols in present for ch in cols[j].chunks], type=present[0][j].type) for j in range(len(present[0]))})
        order = pc.sort_indices(together, sort_keys=[(f"k{j}", "ascending") for j in range(together.num_columns)])
        starts = np.zeros(total, bool)  # where a new key begins in sorted order
        starts[0] = True
        for col in together.columns:  # one sorted copy of one key column at a time
            col = col.take(order)
            starts[1:] |= np.asarray(pc.not_equal(col.slice(0, total - 1), col.slice(1)).to_numpy(), dtype=bool)
        ranks[np.asarray(order.to_numpy(), dtype=np.int64)] = np.cumsum(starts) - 1
        count = int(starts.sum())
    numbers, start = [], 0
    for n in lengths:
        numbers.append(ranks[start : start + n])
        start += n
    return _Keys(numbers, count, None)


def _increasing(columns: list[pa.ChunkedArray]) -> bool:
    """Whether the keys in these columns are in strictly increasing order, as Python orders them
    (so each key is one row's); False for key types Arrow does not order as Python, or nulls."""
    return all(_sorted_as_python(c.type) for c in columns) and in_key_order(columns, strict=True)


@dataclass
class _Distinct:
    """One side's distinct keys as a dict {key: row} holds them, in the order the dict lists them.

    ``number``: the key's number; ``first``: the row that put the key in the
    dict (its key values); ``last``: the row the dict keeps (its other values).
    """

    number: np.ndarray
    first: np.ndarray
    last: np.ndarray


def _distinct(numbers: np.ndarray, count: int) -> _Distinct:
    n = len(numbers)
    if n == 0 or np.bincount(numbers, minlength=count).max() <= 1:
        rows = np.arange(n)
        return _Distinct(numbers, rows, rows)
    _, first = np.unique(numbers, return_index=True)
    _, from_end = np.unique(numbers[::-1], return_index=True)
    last = n - 1 - from_end
    order = np.argsort(first, kind="stable")
    return _Distinct(numbers[first[order]], first[order], last[order])




def _json_keys_at(key_cols: list[pa.ChunkedArray], rows: np.ndarray) -> list:
    """The keys of these rows as changes.json writes them."""
    if len(rows) == 0:
        return []
    return json_keys([_rows(col, rows) for col in key_cols])



def _listed_keys(key_cols: list[pa.ChunkedArray], keys: _Keys, side: int, rows: np.ndarray) -> list | KeyList:
    """The keys of these rows (one per distinct key), sorted, as changes.json lists them."""
    if keys.python is not None:
        python = keys.python[side]
        return [json_key(k) for k in sorted(python[i] for i in rows.tolist())]
    if len(rows) == 0:
        return []
    in_order = rows[np.argsort(keys.numbers[side][rows], kind="stable")]
    return KeyList([_rows(col, in_order) for col in key_cols])


# --- The diff -----------------------------------------------------------------------------


def diff_table(old: pa.Table | None, new: pa.Table, key: tuple[str, ...]) -> dict[str, Any]:
    """Rows before and after, keys added and removed (sorted), and for each key in both the columns that differ.

    A column only one release has is listed for every key in both: the new
    release's columns first, in its order, then the ones only the old has.
    """
    with _gc_paused():
        return _diff_table(old, new, key)


def _diff_table(old: pa.Table | None, new: pa.Table, key: tuple[str, ...]) -> dict[str, Any]:
    old_cols, new_cols = _columns(old), _columns(new)
    n_old, n_new = (old.num_rows if old is not None else 0), new.num_rows
    old_key, new_key = _key_columns(old_cols, n_old, key), _key_columns(new_cols, n_new, key)
    if n_old == 0 and n_new and _increasing(new_key):
        # Nothing before (a first release): every row is added, and keys in increasing order (as
        # a release writes its tables) are distinct and listed as they are, not numbered first.
        return {"rows_before": 0, "rows_after": n_new, "added": KeyList(new_key), "removed": [], "changed": []}
    if n_old and n_new and [c.type for c in old_key] == [c.type for c in new_key] and _increasing(old_key) and _increasing(new_key):
        return _diff_increasing(old_cols, new_cols, old_key, new_key)
    keys = _number_keys([old_key, new_key], [n_old, n_new])
    before, after = (_distinct(numbers, keys.count) for numbers in keys.numbers)

    # Where each key number sits among the old release's distinct keys (-1: absent).
    old_at = np.full(keys.count, -1, np.int64)
    old_at[before.number] = np.arange(len(before.number))
    in_new = np.zeros(keys.count, bool)
    in_new[after.number] = True
    matched = old_at[after.number]
    common = np.flatnonzero(matched >= 0)

    added = _listed_keys(new_key, keys, 1, after.first[matched < 0])
    removed = _listed_keys(old_key, keys, 0, before.first[~in_new[before.number]])

    changed = []
    if len(common):
        sets, named = _changed_columns(old_cols, new_cols, before.last[matched[common]], after.last[common])
        first = after.first[common]
        if keys.python is not None:  # Python sorts every common key, as the row-by-row diff did
            common_keys = [keys.python[1][i] for i in first.tolist()]
            order = sorted(range(len(common)), key=common_keys.__getitem__)
            shown = np.array([i for i in order if sets[i]], dtype=np.int64)
            shown_keys = [json_key(common_keys[i]) for i in shown.tolist()]
        else:
            shown = np.flatnonzero(sets != 0)
            shown = shown[np.argsort(keys.numbers[1][first[shown]], kind="stable")]
            shown_keys = _json_keys_at(new_key, first[shown])
        changed = [{"key": k, "columns": list(named[s])} for k, s in zip(shown_keys, sets[shown].tolist())]
    return {
        "rows_before": len(before.number),
        "rows_after": len(after.number),
        "added": added,
        "removed": removed,
        "changed": changed,
    }


# Keys matched a slice at a time when both releases list them in increasing order.
MATCH_SLICE = 65_536


def _match_increasing(old_key: list[pa.ChunkedArray], new_key: list[pa.ChunkedArray]) -> np.ndarray:
    """For key columns in strictly increasing order on both sides (and of the same types): each
    new row's old row with the same key, or -1.

    The keys are merged a slice of the new ones at a time, with the old ones up to the slice's
    last key (found by bisection), so that the numbering's scratch is a slice's, not both
    tables': a day's run of 36,000 articles numbered 5.5 million mention IDs together (+300 MB).
    """
    n_old, n_new = len(old_key[0]), len(new_key[0])
    matched = np.full(n_new, -1, np.int64)

    def old_at(i: int) -> tuple:
        return tuple(c[i].as_py() for c in old_key)

    lo = 0
    for start in range(0, n_new, MATCH_SLICE):
        stop = min(start + MATCH_SLICE, n_new)
        last = tuple(c[stop - 1].as_py() for c in new_key)
        a, b = lo, n_old  # the first old row past ``last``, in [lo, n_old]
        while a < b:
            mid = (a + b) // 2
            if old_at(mid) <= last:
                a = mid + 1
            else:
                b = mid
        hi = a
        if hi > lo:
            keys = _number_keys([[c.slice(lo, hi - lo) for c in old_key], [c.slice(start, stop - start) for c in new_key]], [hi - lo, stop - start])
            where = np.full(keys.count, -1, np.int64)
            where[keys.numbers[0]] = np.arange(lo, hi)
            matched[start:stop] = where[keys.numbers[1]]
        lo = hi
    return matched


def _diff_increasing(old_cols: Mapping[str, pa.ChunkedArray], new_cols: Mapping[str, pa.ChunkedArray], old_key: list[pa.ChunkedArray], new_key: list[pa.ChunkedArray]) -> dict[str, Any]:
    """:func:`_diff_table` for two releases whose keys are in increasing order (as releases are
    written): every row its own key, rows already in key order, matched by :func:`_match_increasing`."""
    n_old, n_new = len(old_key[0]), len(new_key[0])
    matched = _match_increasing(old_key, new_key)
    common = np.flatnonzero(matched >= 0)
    kept = np.zeros(n_old, bool)
    kept[matched[common]] = True
    came, gone = np.flatnonzero(matched < 0), np.flatnonzero(~kept)
    changed = []
    if len(common):
        sets, named = _changed_columns(old_cols, new_cols, matched[common], common)
        shown = np.flatnonzero(sets != 0)
        shown_keys = _json_keys_at(new_key, common[shown])
        changed = [{"key": k, "columns": list(named[s])} for k, s in zip(shown_keys, sets[shown].tolist())]
    return {
        "rows_before": n_old,
        "rows_after": n_new,
        "added": KeyList([_rows(c, came) for c in new_key]) if len(came) else [],
        "removed": KeyList([_rows(c, gone) for c in old_key]) if len(gone) else [],
        "changed": changed,
    }


# Rows whose ID is derived from content get a new ID when the content changes.
# A removed and an added row that share these columns are one row that changed:
# an article edited in place (same file and line), an event recoded (same
# trigger in the same document).
_SAME_PLACE = {"documents": ("source_file", "source_line"), "events": ("doc_id", "char_start")}


def _rows_with_listed_key(cols: dict[str, pa.ChunkedArray], n_rows: int, key: tuple[str, ...], listed: list) -> np.ndarray:
    """The rows (in table order) whose key, as changes.json writes it, is one of ``listed``.

    In Arrow for a one-column text or integer key; otherwise by comparing the
    keys' JSON forms in Python.
    """
    if n_rows == 0 or not listed:
        return np.zeros(0, np.int64)
    key_cols = _key_columns(cols, n_rows, key)
    if isinstance(listed, KeyList) and len(listed.columns) == len(key_cols) == 1:
        # Keys listed from this very column: found in Arrow, without making them Python values.
        (column,), (values,) = key_cols, listed.columns
        if column.type == values.type and values.null_count == 0 and _sorted_as_python(column.type):
            found = pc.is_in(column, value_set=values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values)
            return np.flatnonzero(np.asarray(pc.fill_null(found, False).to_numpy(), dtype=bool))
    if len(key_cols) == 1 and (pa.types.is_string(key_cols[0].type) or pa.types.is_integer(key_cols[0].type)):
        python_type = str if pa.types.is_string(key_cols[0].type) else int
        if all(type(k) is python_type for k in listed):
            found = pc.is_in(key_cols[0], value_set=pa.array(listed, key_cols[0].type))
            return np.flatnonzero(np.asarray(pc.fill_null(found, False).to_numpy(), dtype=bool))
    wanted = set(map(_hashable, listed))
    keys = zip(*(c.to_pylist() for c in key_cols))
    return np.array([i for i, k in enumerate(keys) if _hashable(json_key(k)) in wanted], dtype=np.int64)


def pair_replacements(old: pa.Table | None, new: pa.Table, key: tuple[str, ...], diff: dict[str, Any], place: tuple[str, ...]) -> list[dict[str, Any]]:
    """Removed and added rows that stand in the same place: old key, new key, and the columns that differ.

    Of the removed rows in one place the last counts; every added row in a
    place a removed row held is paired with it. The columns listed are the
    new row's (keys aside) whose value differs; a column the old release lacks
    differs wherever the new value is not null. Sorted by the new key's text.
    """
    if old is None or not diff["added"] or not diff["removed"]:
        return []
    with _gc_paused():
        return _pair_replacements(old, new, key, diff, place)


def _pair_replacements(old: pa.Table, new: pa.Table, key: tuple[str, ...], diff: dict[str, Any], place: tuple[str, ...]) -> list[dict[str, Any]]:
    old_cols, new_cols = _columns(old), _columns(new)
    gone = _rows_with_listed_key(old_cols, old.num_rows, key, diff["removed"])
    came = _rows_with_listed_key(new_cols, new.num_rows, key, diff["added"])
    if len(gone) == 0 or len(came) == 0:
        return []
    places = _number_keys([[_rows(old_cols[c], gone) for c in place], [_rows(new_cols[c], came) for c in place]], [len(gone), len(came)])
    held = _distinct(places.numbers[0], places.count)  # the last removed row in each place
    last_gone = np.full(places.count, -1, np.int64)
    last_gone[held.number] = gone[held.last]
    paired = last_gone[places.numbers[1]]
    old_rows, new_rows = paired[paired >= 0], came[paired >= 0]
    if len(new_rows) == 0:
        return []
    names = [c for c in new_cols if c not in key]
    masks = (
        (j, _differs(_rows(old_cols[c], old_rows), _rows(new_cols[c], new_rows)) if c in old_cols else _differs_from_null(_rows(new_cols[c], new_rows)))
        for j, c in enumerate(names)
    )
    sets, named = _column_sets(names, masks, len(new_rows))
    old_keys = _json_keys_at(_key_columns(old_cols, old.num_rows, key), old_rows)
    new_keys = _json_keys_at(_key_columns(new_cols, new.num_rows, key), new_rows)
    pairs = [{"from": a, "to": b, "columns": list(named[s])} for a, b, s in zip(old_keys, new_keys, sets.tolist())]
    if "cameo_code" in new_cols:
        codes = zip(_rows(old_cols["cameo_code"], old_rows).to_pylist(), _rows(new_cols["cameo_code"], new_rows).to_pylist())
        for pair, (a, b) in zip(pairs, codes):
            pair.update(cameo_from=a, cameo_to=b)
    return sorted(pairs, key=lambda p: str(p["to"]))


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def diff_releases(
    old_dir: Path | None,
    new_dir: Path,
    *,
    old_version: str | None,
    new_version: str,
    new_tables: Mapping[str, pa.Table] | None = None,
) -> dict[str, Any]:
    """Compare every table of two release folders (``old_dir`` None for a first release).

    A table the old release lacks is read by its key columns only: nothing but its keys can be listed; one
    both lack (an older contract) is left out. ``new_tables``: the tables written to ``new_dir``, as a run has
    them in hand; a table whose keys are in increasing order (so that reading it back gives the same rows in
    the same order) is diffed from there rather than read back and sorted again (less memory held).
    """
    out: dict[str, Any] = {"from": old_version, "to": new_version, "tables": {}}
    for name, spec in tables().items():
        if parquet_location(new_dir, name) is None:
            if old_dir is not None and parquet_location(old_dir, name) is None:
                continue  # both releases predate the table (an older contract)
            raise FileNotFoundError(f"{new_dir}: release has no parquet/{name}.parquet (nor a parquet/{name}/ dataset)")
        old = PublishedColumns.of(old_dir, name, spec.primary_key)
        new = new_tables.get(name) if new_tables is not None else None
        if new is None or not set(spec.primary_key) <= set(new.column_names) or not _increasing([decoded(new.column(k)) for k in spec.primary_key]):
            new = PublishedColumns.of(new_dir, name, spec.primary_key)
        diff = diff_table(old, new, spec.primary_key)
        if name in _SAME_PLACE:
            diff["replaced"] = pair_replacements(old, new, spec.primary_key, diff, _SAME_PLACE[name])
        out["tables"][name] = diff
    out["summary"] = summarise(out)
    return out

