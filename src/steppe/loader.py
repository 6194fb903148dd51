"""Load a published release: one table as a typed pandas DataFrame, every table, or a DuckDB connection.

    import steppe
    events = steppe.load("events")                       # the latest release (see find_root)
    tables = steppe.load_release("2026.11.27.2")
    con = steppe.connect()                               # DuckDB, one view per table
    con.sql("SELECT plover_type, count(*) FROM events GROUP BY 1").fetchall()
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow as pa

from steppe.publish.layout import duckdb_source, parquet_location, read_table
from steppe.publish.plan import list_versions, read_latest, releases_dir
from steppe.schema import table as table_spec
from steppe.schema import tables
from steppe.tables.arrow import to_pandas

DEFAULT_ROOT = Path("data/processed")
HOME_VARIABLE = "STEPPE_HOME"

# Date columns load as datetime64 without a time zone (midnight of the day), in the unit of
# the UTC timestamps: they compare with pd.Timestamp("2025-01-31") and have the .dt accessor.
DATE_TYPE = pa.timestamp("us")

WAYS = (
    "pass root= (a folder holding releases/, or a steppe checkout), "
    f"set {HOME_VARIABLE} to a steppe checkout or to a folder holding releases/, "
    "or run from a steppe checkout (its data/processed/releases/)"
)


class ReleaseNotFound(LookupError):
    """The release or table asked for does not exist; the message lists what does."""


def _data_folder(folder: Path) -> Path | None:
    """The folder holding ``releases/``: ``folder`` itself, or ``folder/data/processed`` (a checkout)."""
    for candidate in (folder, folder / DEFAULT_ROOT):
        if releases_dir(candidate).is_dir():
            return candidate
    return None


def checkout_root() -> Path | None:
    """``data/processed`` of the checkout this package is imported from (the src layout:
    <checkout>/src/steppe/), if it exists; None for a package installed from a wheel."""
    package = Path(__file__).resolve().parent
    if package.parent.name != "src":
        return None
    checkout = package.parent.parent
    if not (checkout / "pyproject.toml").is_file():
        return None
    data = checkout / DEFAULT_ROOT
    return data if data.is_dir() else None


def find_root(root: str | Path | None = None) -> Path:
    """Where the releases are, in order: ``root`` as given (a data folder or a checkout),
    ``$STEPPE_HOME`` (a checkout, or a folder holding ``releases/``), the checkout this
    package is imported from, then ``./data/processed``."""
    if root is not None:
        root = Path(root)
        return _data_folder(root) or root  # as given: release_path says what it lacks
    home = os.environ.get(HOME_VARIABLE)
    if home:
        home_path = Path(home).expanduser()
        found = _data_folder(home_path)
        if found is None:
            raise ReleaseNotFound(
                f"{HOME_VARIABLE}={home} holds no releases: looked for {releases_dir(home_path)} and "
                f"{releases_dir(home_path / DEFAULT_ROOT)}; {WAYS}"
            )
        return found
    looked = []
    for candidate in (checkout_root(), DEFAULT_ROOT):
        if candidate is None:
            continue
        if releases_dir(candidate).is_dir():
            return candidate
        looked.append(str(releases_dir(candidate.resolve())))
    raise ReleaseNotFound(
        f"no steppe releases found: {HOME_VARIABLE} is not set and there is no {' nor '.join(looked)}; "
        f"{WAYS}; or build a release with `make release` or `steppe run`"
    )


def release_path(version: str = "latest", root: str | Path | None = None) -> Path:
    root = find_root(root)
    if version == "latest":
        latest = read_latest(root)
        if latest is None:
            raise ReleaseNotFound(
                f"no release in {releases_dir(root)}; build one with `make release` or `steppe run`, or {WAYS}"
            )
        version = latest
    path = releases_dir(root) / version
    if not (path / "manifest.json").is_file():
        known = ", ".join(list_versions(root)) or "none"
        raise ReleaseNotFound(f"no release {version!r} in {releases_dir(root)}; releases: {known}")
    return path


def load(table: str, version: str = "latest", root: str | Path | None = None) -> pd.DataFrame:
    """One table of a release with its declared dtypes: nullable integers and booleans,
    UTC timestamps, dates as datetime64 (no time zone), and categoricals for code columns
    (language, cameo_code, sector_code...)."""
    if table not in tables():
        raise ReleaseNotFound(f"unknown table {table!r}; a release has {', '.join(tables())}")
    return _load(release_path(version, root), table)


def _load(path: Path, table: str) -> pd.DataFrame:
    t = read_table(path, table)  # one file, or a dataset partitioned by year and month
    if t is None:
        raise ReleaseNotFound(f"{path / 'parquet' / table}.parquet is missing: release {path.name} predates table {table!r}")
    spec = table_spec(table)
    for f in spec.fields:
        if f.type == "date" and f.name in t.column_names:  # cast in Arrow: no date is out of range
            t = t.set_column(t.column_names.index(f.name), f.name, t.column(f.name).cast(DATE_TYPE))
    frame = to_pandas(t)
    for f in spec.fields:
        if f.categorical and f.name in frame.columns:
            frame[f.name] = frame[f.name].astype("category")
    return frame


def load_release(version: str = "latest", root: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Every table of a release, by name."""
    path = release_path(version, root)
    return {name: _load(path, name) for name in tables() if parquet_location(path, name) is not None}


def connect(version: str = "latest", root: str | Path | None = None):
    """An in-memory DuckDB connection with one view per table of the release."""
    import duckdb

    path = release_path(version, root)
    con = duckdb.connect()
    for name in tables():
        location = parquet_location(path, name)
        if location is not None:
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM {duckdb_source(location)}")
    return con
