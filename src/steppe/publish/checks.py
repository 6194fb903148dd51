"""Checks of published releases: a release's files agree with its manifest, and releases stay whole.

The validation gate checks the tables in memory. These checks read back what
was written: the row counts in the dataset card (``README.md``) and in
``manifest.json`` must equal the rows of the Parquet files and the records of
the CSV files, table by table, and every file that ``manifest.json`` and
``datapackage.json`` list must exist with its recorded size and SHA-256. The release is
published only if they all pass; ``steppe validate`` runs them again on a
published release.

After an interrupted run (tools/kill_release.py, tests/test_crash.py),
:func:`release_problems` checks every release that
:func:`steppe.publish.plan.list_versions` would offer the same way, that
``latest.json`` names one of them, and that a release once seen (a
:func:`snapshot`) has not changed by a single byte.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from pathlib import Path

import pyarrow.dataset as ds
from isal import igzip

from steppe.ids import file_sha256
from steppe.publish.plan import (
    LATEST,
    ReleaseError,
    list_versions,
    read_latest,
    releases_dir,
)
from steppe.schema import tables

_CARD_ROW = re.compile(r"^\| \[`(?P<table>[a-z_]+)`\]\([^)]*\) \| (?P<rows>[\d,]+) \|", re.MULTILINE)


def card_row_counts(card: str) -> dict[str, int]:
    """The row count the dataset card gives for each table (its "Tables" section)."""
    return {m["table"]: int(m["rows"].replace(",", "")) for m in _CARD_ROW.finditer(card)}


def parquet_rows(path: Path) -> int:
    """Rows of a Parquet file, or of a partitioned dataset folder, from the files' metadata."""
    return ds.dataset(path, format="parquet", partitioning="hive").count_rows()


def csv_records(path: Path, chunk_bytes: int = 1 << 24) -> int:
    """Records (not lines: cells may hold newlines) of a CSV file, plain or gzip, without its header.

    Read a chunk at a time, so memory does not grow with the file: a record
    ends at a line break outside quotes (RFC 4180, which steppe's writer
    follows: a cell holding a quote, comma or line break is quoted, and its
    quotes doubled). Bad UTF-8 and a quote left open at the end are errors.
    """
    opener = igzip.open if path.suffix == ".gz" else open  # ISA-L: the mentions CSV of 36,000 articles counted in 0.86 s, not 1.38 s
    decoder = codecs.getincrementaldecoder("utf-8")()
    breaks = 0
    quoted = False  # inside a quoted cell where the chunk starts
    last = b""
    with opener(path, "rb") as fh:
        while data := fh.read(chunk_bytes):
            decoder.decode(data)  # raises on bad UTF-8
            pieces = data.split(b'"')  # pieces alternate between outside and inside quotes
            breaks += sum(pieces[i].count(b"\n") for i in range(1 if quoted else 0, len(pieces), 2))
            quoted ^= len(pieces) % 2 == 0  # an odd number of quotes in the chunk
            last = data[-1:]
    decoder.decode(b"", final=True)
    if quoted:
        raise ValueError(f"{path}: a quoted cell is not closed before the end of the file")
    records = breaks + (1 if last not in (b"", b"\n") else 0)
    return max(records - 1, 0)


def _table_file(folder: Path, name: str, suffixes: tuple[str, ...]) -> Path | None:
    for suffix in suffixes:
        p = folder / f"{name}{suffix}"
        if p.exists():
            return p
    return None


def manifest_file_records(entry: dict) -> list[dict]:
    """The file records of one table's entry in the manifest (one per format, or a list per format)."""
    out = []
    for value in entry.values():
        if isinstance(value, dict) and isinstance(value.get("parts"), list):
            out.extend(v for v in value["parts"] if isinstance(v, dict) and "path" in v)  # a partitioned dataset
        elif isinstance(value, dict) and "path" in value:
            out.append(value)
        elif isinstance(value, list):
            out.extend(v for v in value if isinstance(v, dict) and "path" in v)
    return out


def check_release_files(path: Path) -> list[str]:
    """Every disagreement between a release folder's files; an empty list means they agree."""
    path = Path(path)
    problems: list[str] = []
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{path / 'manifest.json'}: cannot be read ({exc})"]
    stated: dict[str, dict[str, int]] = {"manifest.json": dict(manifest.get("row_counts", {}))}
    card_path = path / "README.md"
    if card_path.is_file():
        stated["README.md (dataset card)"] = card_row_counts(card_path.read_text(encoding="utf-8"))
    else:
        problems.append(f"{card_path}: the dataset card is missing")
    package_path = path / "datapackage.json"
    if package_path.is_file():
        package = json.loads(package_path.read_text(encoding="utf-8"))
        for resource in package.get("resources", []):
            f = path / resource["path"]
            if not f.is_file():
                problems.append(f"{resource['name']}: {resource['path']} is listed in datapackage.json but missing")
            elif resource.get("bytes") is not None and f.stat().st_size != resource["bytes"]:
                problems.append(f"{resource['name']}: {resource['path']} has {f.stat().st_size} bytes, datapackage.json says {resource['bytes']}")
            elif str(resource.get("hash", "")).startswith("sha256:") and file_sha256(f) != resource["hash"][7:]:
                problems.append(f"{resource['name']}: {resource['path']} does not match its hash in datapackage.json")
    else:
        problems.append(f"{package_path}: missing")

    for name in tables():
        pq_file = _table_file(path / "parquet", name, (".parquet", ""))  # a file, or a partitioned dataset folder
        csv_file = _table_file(path / "csv", name, (".csv", ".csv.gz"))
        if pq_file is None and csv_file is None and name not in stated["manifest.json"]:
            continue  # the release predates this table
        if pq_file is None:
            problems.append(f"{name}: no Parquet file in {path / 'parquet'}")
            continue
        try:
            rows = parquet_rows(pq_file)
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            problems.append(f"{name}: {pq_file.relative_to(path)} cannot be read as Parquet ({exc})")
            continue
        if csv_file is None:
            problems.append(f"{name}: no CSV file in {path / 'csv'}")
        else:
            try:
                records = csv_records(csv_file)
            except (OSError, ValueError, EOFError) as exc:  # bad gzip, bad UTF-8, an unclosed quote
                problems.append(f"{name}: {csv_file.relative_to(path)} cannot be read as CSV ({exc})")
                records = rows
            if records != rows:
                problems.append(f"{name}: {csv_file.name} has {records} records but the Parquet has {rows} rows")
        for where, counts in stated.items():
            if name not in counts:
                problems.append(f"{name}: {where} gives no row count")
            elif counts[name] != rows:
                problems.append(f"{name}: {where} says {counts[name]} rows but the Parquet has {rows}")

    for name, entry in manifest.get("files", {}).items():
        for record in manifest_file_records(entry):
            f = path / record["path"]
            if not f.is_file():
                problems.append(f"{name}: {record['path']} is listed in manifest.json but missing")
                continue
            if "bytes" in record and f.stat().st_size != record["bytes"]:
                problems.append(f"{name}: {record['path']} has {f.stat().st_size} bytes, manifest.json says {record['bytes']}")
            elif "sha256" in record and file_sha256(f) != record["sha256"]:
                problems.append(f"{name}: {record['path']} does not match its SHA-256 in manifest.json")
    return problems



def snapshot(out_dir: Path) -> dict[str, dict[str, str]]:
    """SHA-256 of every file of every listed release, by version and relative path."""
    root = releases_dir(out_dir)
    return {
        version: {
            p.relative_to(root / version).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / version).rglob("*"))
            if p.is_file()
        }
        for version in list_versions(out_dir)
    }


def release_problems(out_dir: Path, before: dict[str, dict[str, str]] | None = None) -> list[str]:
    """What is wrong with the releases under ``out_dir`` (empty: nothing).

    ``before`` is an earlier :func:`snapshot`: each release in it must still
    be listed, byte for byte the same.
    """
    problems: list[str] = []
    root = releases_dir(out_dir)
    versions = list_versions(out_dir)
    try:
        latest = read_latest(out_dir)
    except ReleaseError as error:
        problems.append(f"latest.json: {error}")
        latest = None
    if versions and latest is None and not problems:
        problems.append(f"{root / LATEST} is missing although releases {', '.join(versions)} exist")
    if latest is not None and latest not in versions:
        problems.append(f"latest.json names {latest}, which is not a listed release")
    if root.is_dir():
        for entry in sorted(root.iterdir()):
            if not entry.name.startswith(".") and entry.name != LATEST and entry.name not in versions:
                problems.append(f"{entry.name}: a visible entry of releases/ that is not a whole release")
    now = snapshot(out_dir)
    for version in versions:
        problems += [f"{version}: {p}" for p in _release_file_problems(root / version, now[version])]
    for version, files in (before or {}).items():
        if version not in now:
            problems.append(f"{version}: the release disappeared")
        elif now[version] != files:
            changed = sorted(set(files) ^ set(now[version]) | {p for p in files if now[version].get(p) != files[p]})
            problems.append(f"{version}: files changed since it was published: {', '.join(changed[:5])}")
    return problems


REQUIRED_FILES = ("datapackage.json", "README.md", "CHANGES.md", "changes.json", "validation/results.json")


def _release_file_problems(path: Path, files: dict[str, str]) -> list[str]:
    """The read-back check publishing runs (:func:`check_release_files`:
    every listed file with its size and SHA-256, card and manifest counts equal to the
    tables; an unreadable manifest.json is its first finding), plus the files every release has."""
    return [f"{required} is missing" for required in REQUIRED_FILES if required not in files] + check_release_files(path)
