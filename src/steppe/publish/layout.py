"""Where a release keeps a table, and how to read it back, in either layout.

Small tables (the committed releases) are one file each::

    parquet/<table>.parquet             csv/<table>.csv

Past a size threshold (rows; see :class:`Layout`), a table whose rows have a
publication date is a Parquet dataset partitioned by the year and month the
document was published, and its CSV is gzip-compressed::

    parquet/<table>/year=YYYY/month=MM/part-0.parquet   (year=none/month=none: no date)
    csv/<table>.csv.gz

Both read with one call: ``pd.read_parquet("parquet/events")`` (pandas adds
the ``year`` and ``month`` columns of the folder names) or DuckDB's
``read_parquet('parquet/events/**/*.parquet', hive_partitioning = true)``.
:func:`read_table` gives the table with its declared columns only, sorted by
primary key, whatever the layout.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from steppe.schema import tables

PARTITION_COLUMNS = ("year", "month")
# Tables whose rows belong to one document (partitioned by its publication date).
DOC_TABLES = ("documents", "sentences", "mentions", "events", "event_mentions", "sector_mentions")
PARTITIONED_TABLES = DOC_TABLES + ("sector_summary",)

DEFAULT_PARTITION_ROWS = 1_000_000
DEFAULT_GZIP_ROWS = 1_000_000
DEFAULT_WRITE_BATCH_ROWS = 50_000


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        n = int(value)
    except ValueError as exc:
        raise ValueError(f"{name}={value!r}: expected a whole number of rows") from exc
    if n < 1:
        raise ValueError(f"{name}={value!r}: must be at least 1")
    return n


@dataclass(frozen=True)
class Layout:
    """Thresholds (rows) past which a table is partitioned / its CSV gzip-compressed; rows per written batch."""

    partition_rows: int = DEFAULT_PARTITION_ROWS
    gzip_rows: int = DEFAULT_GZIP_ROWS
    batch_rows: int = DEFAULT_WRITE_BATCH_ROWS

    @classmethod
    def from_env(cls) -> "Layout":
        """STEPPE_PARTITION_ROWS, STEPPE_CSV_GZIP_ROWS and STEPPE_WRITE_BATCH_ROWS, else the defaults."""
        return cls(
            _env_int("STEPPE_PARTITION_ROWS", DEFAULT_PARTITION_ROWS),
            _env_int("STEPPE_CSV_GZIP_ROWS", DEFAULT_GZIP_ROWS),
            _env_int("STEPPE_WRITE_BATCH_ROWS", DEFAULT_WRITE_BATCH_ROWS),
        )

    def partitioned(self, name: str, rows: int) -> bool:
        return name in PARTITIONED_TABLES and rows > self.partition_rows

    def gzipped(self, rows: int) -> bool:
        return rows > self.gzip_rows


def parquet_location(release_dir: Path, name: str) -> Path | None:
    """The table's Parquet file or dataset folder in a release, or None if it has neither."""
    single = release_dir / "parquet" / f"{name}.parquet"
    if single.is_file():
        return single
    folder = release_dir / "parquet" / name
    if folder.is_dir():
        return folder
    return None


def csv_location(release_dir: Path, name: str) -> Path | None:
    for suffix in (".csv", ".csv.gz"):
        path = release_dir / "csv" / f"{name}{suffix}"
        if path.is_file():
            return path
    return None


def part_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.parquet"), key=lambda p: p.relative_to(folder).as_posix())


def read_table(release_dir: Path, name: str, columns: list[str] | None = None) -> pa.Table | None:
    """A table of a release with its declared schema and row order (None if the release lacks it).

    ``columns``: read only these (the primary key among them, for a partitioned table).
    """
    location = parquet_location(release_dir, name)
    if location is None:
        return None
    if location.is_file():
        return pq.read_table(location, columns=columns)
    spec = tables()[name]
    schema = spec.arrow_schema()
    if columns is not None:
        schema = pa.schema([schema.field(c) for c in columns])
    parts = [pq.read_table(p, schema=schema) for p in part_files(location)]
    t = pa.concat_tables(parts) if parts else schema.empty_table()
    return t.sort_by([(k, "ascending") for k in spec.primary_key])


def duckdb_source(location: Path) -> str:
    """The read_parquet(...) expression DuckDB reads one table from, in either layout."""
    if location.is_file():
        escaped = str(location.resolve()).replace("'", "''")
        return f"read_parquet('{escaped}')"
    escaped = str(location.resolve() / "**" / "*.parquet").replace("'", "''")
    return f"read_parquet('{escaped}', hive_partitioning = false)"


class PublishedColumns(Mapping):
    """A published table's columns by name, each read from its Parquet file(s) when asked for.

    The diff compares two releases a column at a time, so it holds a column of
    each, not both tables: a day's release of 36,000 articles diffed against the
    day before's held both whole, 1.4 GB more than the tables themselves. A
    column reads as :func:`steppe.publish.layout.read_table` gives it: a partitioned
    table's rows in primary key order (the order is found once, from the key
    columns). The key columns, asked for again and again, are kept once read.
    """

    def __init__(self, location: Path, name: str, key: tuple[str, ...]):
        self.location = location
        self.key = key
        self._kept: dict[str, pa.ChunkedArray] = {}
        self._order: pa.Array | None = None
        if location.is_file():
            self._parts = [location]
            self._schema = pq.read_schema(location)
            self._sort_key: tuple[str, ...] = ()
        else:
            spec = tables()[name]
            self._parts = part_files(location)
            self._schema = spec.arrow_schema()
            self._sort_key = spec.primary_key
        self.num_rows = sum(pq.ParquetFile(p).metadata.num_rows for p in self._parts)

    @classmethod
    def of(cls, release_dir: Path | None, name: str, key: tuple[str, ...]) -> "PublishedColumns | pa.Table | None":
        """The table's columns, read lazily; the whole table (as before) if its column names repeat."""
        if release_dir is None:
            return None
        location = parquet_location(release_dir, name)
        if location is None:
            return None
        columns = cls(location, name, key)
        names = columns._schema.names
        if len(set(names)) != len(names):
            return read_table(release_dir, name)
        return columns

    def _read(self, names: list[str]) -> pa.Table:
        if not self._sort_key:
            return pq.read_table(self._parts[0], columns=names)
        schema = pa.schema([self._schema.field(n) for n in names])
        parts = [pq.read_table(p, schema=schema) for p in self._parts]
        return pa.concat_tables(parts) if parts else schema.empty_table()

    def __getitem__(self, name: str) -> pa.ChunkedArray:
        if name not in self._schema.names:
            raise KeyError(name)
        if self._sort_key and self._order is None:
            # The key order, from the key columns, which are kept (in that order) as read.
            keys = self._read(list(self._sort_key))
            self._order = pc.sort_indices(keys, sort_keys=[(k, "ascending") for k in self._sort_key])
            for k in self._sort_key:
                if k in self.key:
                    self._kept[k] = decoded(keys.column(k).take(self._order))
        if name in self._kept:
            return self._kept[name]
        column = self._read([name]).column(0)
        if self._sort_key:
            column = column.take(self._order)
        column = decoded(column)
        if name in self.key:
            self._kept[name] = column
        return column

    def __contains__(self, name: object) -> bool:
        return name in self._schema.names  # without reading the column

    def __iter__(self) -> Iterator[str]:
        return iter(self._schema.names)

    def __len__(self) -> int:
        return len(self._schema.names)


def decoded(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A dictionary-encoded column as its values (what ``to_pylist()`` rows see)."""
    return column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column

