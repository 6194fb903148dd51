"""Load a published release: one table as a typed pandas DataFrame, every table, or a DuckDB connection.

    import steppe
    events = steppe.load("events")                       # the latest release under data/processed
    tables = steppe.load_release("2026.11.27.2")
    con = steppe.connect()                               # DuckDB, one view per table
    con.sql("SELECT plover_type, count(*) FROM events GROUP BY 1").fetchall()
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from steppe.publish.layout import duckdb_source, parquet_location, read_table
from steppe.publish.plan import list_versions, read_latest, releases_dir
from steppe.schema import table as table_spec
from steppe.schema import tables
from steppe.tables.arrow import to_pandas

DEFAULT_ROOT = Path("data/processed")


class ReleaseNotFound(LookupError):
    """The release or table asked for does not exist; the message lists what does."""


def release_path(version: str = "latest", root: str | Path = DEFAULT_ROOT) -> Path:
    root = Path(root)
    if version == "latest":
        latest = read_latest(root)
        if latest is None:
            raise ReleaseNotFound(f"no release in {releases_dir(root)}; build one with `make release` or `steppe run`")
        version = latest
    path = releases_dir(root) / version
    if not (path / "manifest.json").is_file():
        known = ", ".join(list_versions(root)) or "none"
        raise ReleaseNotFound(f"no release {version!r} in {releases_dir(root)}; releases: {known}")
    return path


def load(table: str, version: str = "latest", root: str | Path = DEFAULT_ROOT) -> pd.DataFrame:
    """One table of a release with its declared dtypes: nullable integers and booleans,
    UTC timestamps, and categoricals for code columns (language, cameo_code, sector_code...)."""
    if table not in tables():
        raise ReleaseNotFound(f"unknown table {table!r}; a release has {', '.join(tables())}")
    path = release_path(version, root)
    t = read_table(path, table)  # one file, or a dataset partitioned by year and month
    if t is None:
        raise ReleaseNotFound(f"{path / 'parquet' / table}.parquet is missing: release {path.name} predates table {table!r}")
    frame = to_pandas(t)
    for f in table_spec(table).fields:
        if f.categorical and f.name in frame.columns:
            frame[f.name] = frame[f.name].astype("category")
    return frame


def load_release(version: str = "latest", root: str | Path = DEFAULT_ROOT) -> dict[str, pd.DataFrame]:
    """Every table of a release, by name."""
    path = release_path(version, root)
    return {name: load(name, path.name, root) for name in tables() if parquet_location(path, name) is not None}


def connect(version: str = "latest", root: str | Path = DEFAULT_ROOT):
    """An in-memory DuckDB connection with one view per table of the release."""
    import duckdb

    path = release_path(version, root)
    con = duckdb.connect()
    for name in tables():
        location = parquet_location(path, name)
        if location is not None:
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM {duckdb_source(location)}")
    return con
