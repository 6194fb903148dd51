"""Build release tables as Arrow tables that carry exactly their declared schema."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import pyarrow as pa

from steppe.schema import Table, table


class TableError(ValueError):
    """Rows do not fit their table's declaration (unknown or missing column, wrong type)."""


def make_table(name: str, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Rows (dicts keyed by column) to an Arrow table with the declared schema, sorted by primary key.

    A row with a column that is not declared, or without a declared column, is
    an error: every written column must be in schemas/ (the drift test relies on it).
    """
    spec = table(name)
    declared = spec.field_names
    declared_set = set(declared)
    rows = list(rows)
    for i, row in enumerate(rows):
        if row.keys() != declared_set:
            keys = set(row)
            extra = sorted(keys - declared_set)
            missing = sorted(declared_set - keys)
            raise TableError(
                f"table {name!r}, row {i}: "
                + (f"columns not declared in schemas/: {extra}; " if extra else "")
                + (f"declared columns missing: {missing}" if missing else "")
            )
    columns = {}
    for f in spec.fields:
        values = list(map(operator.itemgetter(f.name), rows))
        try:
            columns[f.name] = pa.array(values, type=f.arrow_type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as exc:
            raise TableError(f"table {name!r}, column {f.name!r}: values are not of type {f.type}: {exc}") from exc
    return sort_table(pa.table(columns, schema=spec.arrow_schema()), spec)


def table_from_columns(name: str, columns: Mapping[str, list]) -> pa.Table:
    """Columns (name -> values, a list each) to an Arrow table with the declared schema, sorted by
    primary key: what :func:`make_table` makes of the same rows, without a dict per row.

    The columns must be exactly the declared ones, of one length.
    """
    spec = table(name)
    declared = spec.field_names
    if set(columns) != set(declared):
        extra = sorted(set(columns) - set(declared))
        missing = sorted(set(declared) - set(columns))
        raise TableError(
            f"table {name!r}: "
            + (f"columns not declared in schemas/: {extra}; " if extra else "")
            + (f"declared columns missing: {missing}" if missing else "")
        )
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


def empty_table(name: str) -> pa.Table:
    return table(name).arrow_schema().empty_table()


# Arrow to pandas with nullable dtypes, so that an integer column with a null
# stays integer and a boolean column stays boolean.
_PANDAS_TYPES = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def to_pandas(t: pa.Table) -> pd.DataFrame:
    return t.to_pandas(types_mapper=_PANDAS_TYPES.get)
