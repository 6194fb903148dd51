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
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from steppe.schema import tables

PARTITION_COLUMNS = ("year", "month")
# Tables whose rows belong to one document (partitioned by its publication date).
DOC_TABLES = ("documents", "sentences", "mentions", "events", "sector_mentions")
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
