"""Build release tables as Arrow tables that carry exactly their declared schema."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from steppe.schema import Table, table


class TableError(ValueError):
    """Rows do not fit their table's declaration (unknown or missing column, wrong type)."""


def _mismatch(name: str, where: str, keys: set[str], declared: set[str]) -> TableError:
    extra = sorted(keys - declared)
    missing = sorted(declared - keys)
    return TableError(
        f"table {name!r}{where}: "
        + (f"columns not declared in schemas/: {extra}; " if extra else "")
        + (f"declared columns missing: {missing}" if missing else "")
    )


def make_table(name: str, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Rows (dicts keyed by column) to an Arrow table with the declared schema, sorted by primary key.

    A row with a column that is not declared, or without a declared column, is
    an error: every written column must be in schemas/ (the drift test relies on it).
    """
    spec = table(name)
    declared = set(spec.field_names)
    rows = list(rows)
    for i, row in enumerate(rows):
        if row.keys() != declared:
            raise _mismatch(name, f", row {i}", set(row), declared)
    return table_from_columns(name, {f: list(map(operator.itemgetter(f), rows)) for f in spec.field_names})


def table_from_columns(name: str, columns: Mapping[str, list]) -> pa.Table:
    """Columns (name -> values, a list each) to an Arrow table with the declared schema, sorted by
    primary key (what :func:`make_table` makes of rows).

    The columns must be exactly the declared ones, of one length.
    """
    spec = table(name)
    if columns.keys() != set(spec.field_names):
        raise _mismatch(name, "", set(columns), set(spec.field_names))
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise TableError(f"table {name!r}: columns of different lengths {sorted(lengths)}")
    arrays = {}
    for f in spec.fields:
        try:
            arrays[f.name] = pa.array(columns[f.name], type=f.arrow_type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as exc:
            raise TableError(f"table {name!r}, column {f.name!r}: values are not of type {f.type}: {exc}") from exc
    return sort_table(pa.table(arrays, schema=spec.arrow_schema()), spec)


def sort_table(t: pa.Table, spec: Table) -> pa.Table:
    if t.num_rows == 0:
        return t
    return t.sort_by([(k, "ascending") for k in spec.primary_key])


def in_key_order(columns: Sequence[pa.ChunkedArray | pa.Array], *, strict: bool) -> bool:
    """Whether the rows' values of ``columns``, compared as tuples (the first column first), are
    in ascending order, as Arrow orders them; ``strict``: each greater than the one before, so
    no two alike. False if a value is null."""
    if any(c.null_count for c in columns):
        return False
    n = len(columns[0]) if columns else 0
    if n < 2:
        return True
    in_order = None
    for c in reversed(columns):
        a, b = c.slice(0, n - 1), c.slice(1)
        if in_order is None:
            in_order = pc.less(a, b) if strict else pc.less_equal(a, b)
        else:
            in_order = pc.or_(pc.less(a, b), pc.and_(pc.equal(a, b), in_order))
    return bool(pc.all(in_order).as_py())


def empty_table(name: str) -> pa.Table:
    return table(name).arrow_schema().empty_table()


# Arrow to pandas with nullable dtypes, so that an integer column with a null
# stays integer and a boolean column stays boolean.
_PANDAS_TYPES = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def to_pandas(t: pa.Table) -> pd.DataFrame:
    return t.to_pandas(types_mapper=_PANDAS_TYPES.get)
