"""The files of a release's tables: Parquet, CSV, and the JSON that describes them.

Parquet: zstd, the declared Arrow schema, rows as the tables hold them (in
key order); past a size threshold a table is a dataset partitioned by the
month its documents were published (steppe.publish.layout). CSV: UTF-8, RFC
4180 with CRLF line ends and minimal quoting, written by DuckDB from cells
formatted in Arrow (ISO 8601 dates, numbers as Python's ``repr``,
formula-like text neutralised); gzip past a size threshold. JSON: sorted
keys, indented, by orjson. Every file depends on the tables alone, so the
same tables give the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from isal import igzip

from steppe.ids import file_sha256
from steppe.publish.changes import KeyList
from steppe.publish.layout import DOC_TABLES, PARTITION_COLUMNS, Layout
from steppe.publish.plan import ReleaseError
from steppe.publish.steps import step
from steppe.schema import frictionless_schema, tables

# --- Parquet ------------------------------------------------------------------


def write_parquet(t: pa.Table, path: Path) -> None:
    # No pandas or creation-time metadata: the bytes depend on the rows alone.
    pq.write_table(t.replace_schema_metadata(None), path, compression="zstd", compression_level=9)


def write_parquet_batches(t: pa.Table, path: Path, batch_rows: int) -> None:
    """Parquet written one row group of ``batch_rows`` at a time (large tables)."""
    t = t.replace_schema_metadata(None)
    with pq.ParquetWriter(path, t.schema, compression="zstd", compression_level=9) as writer:
        for batch in t.to_batches(max_chunksize=batch_rows):
            writer.write_batch(batch, row_group_size=batch_rows)


def _year_month(when: datetime | None) -> str:
    return f"year={when.year:04d}/month={when.month:02d}" if when is not None else "year=none/month=none"


def partition_labels(name: str, t: pa.Table, documents: pa.Table) -> pa.Array:
    """Each row's partition folder, ``year=YYYY/month=MM``: the month its document was published."""
    if name == "sector_summary":
        months = t.column("month").to_pylist()
        return pa.array(
            [f"year={m[:4]}/month={m[5:7]}" if m and m != "unknown" else "year=none/month=none" for m in months], pa.string()
        )
    if name == "documents":
        return pa.array([_year_month(w) for w in t.column("published_at").to_pylist()], pa.string())
    if name in DOC_TABLES:
        # A label per document, looked up for each row in Arrow; reversed, so that of two
        # documents with one doc_id (which the gate refuses) the last counts. Each row gets the
        # code of its label, not the text: the mentions of 36,000 articles, 2.8 million rows,
        # took 115 MB as text.
        doc_ids = documents.column("doc_id").combine_chunks()[::-1]
        per_document = pa.array([_year_month(w) for w in documents.column("published_at").to_pylist()[::-1]], pa.string()).dictionary_encode()
        names = per_document.dictionary
        if "year=none/month=none" not in names.to_pylist():
            names = pa.concat_arrays([names, pa.array(["year=none/month=none"], pa.string())])
        none = names.to_pylist().index("year=none/month=none")
        at = pc.index_in(t.column("doc_id"), value_set=doc_ids)
        codes = pc.fill_null(pc.take(per_document.indices, at), pa.scalar(none, per_document.indices.type))
        return pa.DictionaryArray.from_arrays(codes.combine_chunks() if isinstance(codes, pa.ChunkedArray) else codes, names)
    raise ValueError(f"table {name!r} has no publication date to partition by")


def write_parquet_dataset(t: pa.Table, folder: Path, labels: pa.Array, batch_rows: int) -> list[dict[str, Any]]:
    """One Parquet file per partition, rows in table order; the parts written, in path order."""
    folder.mkdir(parents=True)
    parts = []
    # Each partition's rows found in one stable sort of the labels' codes, not a scan per label.
    # (Labels given as codes may name partitions no row is in: those get no file.)
    encoded = labels if pa.types.is_dictionary(labels.type) else labels.dictionary_encode()
    names = encoded.dictionary.to_pylist()
    if len(set(names)) != len(names):
        raise ValueError("partition labels: a label is coded twice")
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=len(names))
    ends = np.cumsum(counts)
    for code in sorted(range(len(names)), key=names.__getitem__):
        if counts[code] == 0:
            continue
        label = names[code]
        part = t.take(pa.array(order[(ends[code - 1] if code else 0) : ends[code]]))
        path = folder / label / "part-0.parquet"
        path.parent.mkdir(parents=True)
        write_parquet_batches(part, path, batch_rows)
        parts.append({"path": path, "rows": part.num_rows})
    return parts


# --- CSV ----------------------------------------------------------------------

# A spreadsheet reads a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_FORMULA_FIRST = pa.array(FORMULA_PREFIXES, pa.string())

# The Arrow type each schema type's cells are formatted from; a column of another
# type of the same kind (large or dictionary text, narrower integers, float32, a
# timestamp in another unit or zone) is cast to it first, which keeps its values.
_FORMAT_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
}


def _castable(kind: pa.DataType, ftype: str) -> bool:
    if ftype == "string":
        return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind) or (
            pa.types.is_dictionary(kind) and pa.types.is_string(kind.value_type)
        )
    if ftype == "integer":
        return pa.types.is_integer(kind)
    if ftype == "number":
        return pa.types.is_floating(kind) or pa.types.is_integer(kind)
    if ftype == "boolean":
        return pa.types.is_boolean(kind)
    if ftype == "date":
        return pa.types.is_date(kind)
    if ftype == "datetime":
        return pa.types.is_timestamp(kind) and kind.tz is not None
    return False


def _cell_types(t: pa.Table, table_name: str) -> list[str]:
    """Each column's schema type, as its cells are formatted; a column of another kind is refused."""
    spec = tables()[table_name]
    types = []
    for name, col in zip(t.column_names, t.columns):
        ftype = spec.field(name).type
        if ftype == "integer" and pa.types.is_floating(col.type):
            ftype = "number"  # written as Python writes a float, as it always was
        if not _castable(col.type, ftype):
            raise ReleaseError(f"{table_name}.{name}: a column of {col.type} cannot be written as {ftype}")
        types.append(ftype)
    return types


def _check_finite(t: pa.Table, types: list[str]) -> None:
    """Refuse NaN and infinities (CSV has no way to write them), naming the first in row order."""
    first: tuple[int, int, Any] | None = None
    for j, (col, ftype) in enumerate(zip(t.columns, types)):
        if ftype != "number" or not pa.types.is_floating(col.type):
            continue
        bad = pc.invert(pc.fill_null(pc.is_finite(col), True))
        if pc.any(bad).as_py():
            row = pc.index(bad, True).as_py()
            if first is None or (row, j) < first[:2]:
                first = (row, j, col[row].as_py())
    if first is not None:
        raise ReleaseError(f"cannot write non-finite number {float(first[2])!r} to CSV")


def _cells(col: pa.ChunkedArray, ftype: str) -> pa.ChunkedArray:
    """A column's cells as text (nulls stay null), formatted as steppe's CSV files always were."""
    col = col.cast(_FORMAT_TYPES[ftype])
    if ftype == "string":
        formula = pc.fill_null(pc.is_in(pc.utf8_slice_codeunits(col, 0, 1), value_set=_FORMULA_FIRST), False)
        return pc.if_else(formula, pc.binary_join_element_wise("'", col, ""), col) if pc.any(formula).as_py() else col
    if ftype == "number":
        # Python's repr (Arrow writes 3.0 as "3" and 1e-05 as "0.00001"), once per distinct
        # value: scores repeat. Values are told apart by their bits (0.0 and -0.0 differ).
        bits = col.combine_chunks().view(pa.int64())
        distinct = pc.unique(bits)
        text = pa.array([None if v is None else repr(v) for v in distinct.view(pa.float64()).to_pylist()], pa.string())
        return pa.chunked_array([pc.take(text, pc.index_in(bits, value_set=distinct))])
    if ftype == "boolean":
        return pc.if_else(col, "true", "false")
    if ftype == "datetime":
        # UTC, "Z", microseconds only when there are some; the year unpadded, as Python's strftime writes it.
        full = pc.strftime(col, "%Y-%m-%dT%H:%M:%S")  # always with the six digits of microseconds
        text = pc.if_else(pc.ends_with(full, ".000000"), pc.utf8_slice_codeunits(full, 0, 19), full)
        return pc.binary_join_element_wise(pc.replace_substring_regex(text, "^0+", ""), "Z", "")
    return col.cast(pa.string())  # integers in decimal; dates in ISO, as date.isoformat()


def _cell_batches(t: pa.Table, types: list[str], batch_rows: int) -> Iterator[pa.RecordBatch]:
    """The table's cells, ``batch_rows`` rows at a time, as DuckDB is to write them.

    DuckDB writes a null as nothing and an empty text as ``""``, where Python's
    csv module (which steppe's CSV files have always followed) writes both as
    nothing; empty text is made null, except in a table of one column, whose
    empty cell both write as ``""`` (a blank line would be no record).
    """
    empty = pa.scalar("", pa.string())
    for start in range(0, t.num_rows, batch_rows):
        rows = t.slice(start, batch_rows)
        columns = [_cells(rows.column(j), ftype) for j, ftype in enumerate(types)]
        if len(columns) == 1:
            columns = [columns[0].fill_null(empty)]
        else:
            columns = [pc.if_else(pc.equal(c, empty), pa.scalar(None, pa.string()), c) for c in columns]
        yield pa.RecordBatch.from_arrays([pa.concat_arrays(c.chunks) if c.num_chunks else pa.array([], pa.string()) for c in columns], names=t.column_names)


def _copy_csv(t: pa.Table, types: list[str], path: Path, batch_rows: int) -> None:
    """The table's CSV, written by DuckDB from its cells a batch at a time."""
    schema = pa.schema([pa.field(n, pa.string()) for n in t.column_names])
    if not schema:
        path.write_bytes(b"\r\n")  # a header of no names; rows of no cells are no lines
        return
    cells = pa.RecordBatchReader.from_batches(schema, _cell_batches(t, types, max(1, batch_rows)))
    con = duckdb.connect(config={"threads": 1, "preserve_insertion_order": True})
    try:
        con.register("cells", cells)
        target = str(path).replace("'", "''")
        # No comment character: DuckDB would quote a cell starting with "#".
        con.execute(f"COPY cells TO '{target}' (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"', NEW_LINE '\\r\\n', COMMENT '')")
    finally:
        con.close()


# gzip by ISA-L (isal), level 2: about ten times faster than zlib at level 6, and about as
# small: the mentions CSV of 36,000 articles, 227 MB, became 92.9 MB in 0.6 s (zlib: 6.1 s,
# 93.2 MB); the sentences CSV, 112 MB, 43.6 MB in 0.36 s (zlib: 4.3 s, 40.2 MB, 8% smaller).
# Any gzip reader reads it; the same bytes give the same file.
CSV_GZIP_LEVEL = 2
_GZIP_READ = 1 << 20


def write_csv(t: pa.Table, table_name: str, path: Path, *, compress: bool, batch_rows: int) -> None:
    """RFC 4180 CSV (CRLF, minimal quoting) with formula-like text cells neutralised by a leading apostrophe.

    With ``compress``, DuckDB's file is gzipped (no name, no time) into ``path``.
    A value that cannot be written raises before any file is made.
    """
    types = _cell_types(t, table_name)
    _check_finite(t, types)
    if not compress:
        _copy_csv(t, types, path, batch_rows)
        return
    plain = path.with_name(path.name + ".plain")
    try:
        _copy_csv(t, types, plain, batch_rows)
        with plain.open("rb") as src, path.open("wb") as fh, igzip.IGzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=CSV_GZIP_LEVEL) as out:
            while data := src.read(_GZIP_READ):
                out.write(data)
    finally:
        plain.unlink(missing_ok=True)


def csv_bytes(t: pa.Table, table_name: str) -> bytes:
    """The CSV :func:`write_csv` writes for the table, in memory (through a scratch file: DuckDB writes files)."""
    with tempfile.TemporaryDirectory(prefix="steppe-csv-") as scratch:
        path = Path(scratch) / "table.csv"
        write_csv(t, table_name, path, compress=False, batch_rows=max(1, t.num_rows))
        return path.read_bytes()


# --- JSON -----------------------------------------------------------------------


def _as_json(o: Any) -> Any:
    if isinstance(o, KeyList):
        return list(o)
    raise TypeError(f"{type(o).__name__} is not JSON")


def json_bytes(data: Any) -> bytes:
    """``data`` as JSON: keys sorted, indented by two spaces, a newline at the end; the same data, the same bytes."""
    return orjson.dumps(data, default=_as_json, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


def write_json(path: Path, data: Any) -> None:
    """:func:`json_bytes` written into a file beside ``path`` and renamed once whole: data that cannot be written leaves no file."""
    text = json_bytes(data)
    part = path.with_name(path.name + ".part")
    try:
        part.write_bytes(text)
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


# --- The release's table files ------------------------------------------------------------

def datapackage(version: str, files: dict[str, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """The Frictionless Data Package: one CSV resource per table, its Parquet twin described beside it."""
    resources = []
    for name, spec in tables().items():
        csv_info, parquet_info = files[name]["csv"], files[name]["parquet"]
        compression = {"compression": "gz"} if csv_info["path"].endswith(".gz") else {}
        resources.append(
            {
                "name": name,
                "profile": "tabular-data-resource",
                "title": name.replace("_", " "),
                "description": spec.description,
                "path": csv_info["path"],
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                **compression,
                "encoding": "utf-8",
                "bytes": csv_info["bytes"],
                "hash": f"sha256:{csv_info['sha256']}",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True},
                "schema": frictionless_schema(spec),
                "steppe:parquet": parquet_info,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "steppe",
        "title": "steppe: open event data from Eurasian news",
        "description": (
            "Canonical actors, coded events and sector mentions found in news about Kazakhstan, "
            "Russia and Central Asia, in Portuguese, English, Russian and Kazakh."
        ),
        "version": version,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }


@dataclass(frozen=True)
class TableFiles:
    """The Parquet and CSV files of every table, as written into a staging folder."""

    files: dict[str, dict[str, dict[str, Any]]]  # table -> {"csv": ..., "parquet": ...}, as the manifest lists them
    row_counts: dict[str, int]


def write_table_files(stage: Path, release_tables: dict[str, pa.Table], layout: Layout | None = None) -> TableFiles:
    """Write the Parquet and CSV file(s) of every table into the staging folder.

    Large tables (past ``layout``'s thresholds) are written as Parquet datasets
    partitioned by publication year and month, and as gzip-compressed CSV
    (see steppe.publish.layout); both are written ``layout.batch_rows`` rows at a time.
    The files depend on the tables alone, not on the validation report.
    """
    layout = layout or Layout.from_env()
    (stage / "parquet").mkdir(parents=True)
    (stage / "csv").mkdir()
    files: dict[str, dict[str, dict[str, Any]]] = {}
    row_counts: dict[str, int] = {}
    parquet_files: dict[str, dict[str, Any]] = {}
    csv_files: dict[str, tuple[Path, Future]] = {}
    # The CSV files are written by a second thread while this one writes the Parquet:
    # both spend their time in Arrow, zlib and zstd, which release the GIL.
    csv_writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="steppe-csv")
    try:
        for name in tables():
            t = release_tables[name]
            row_counts[name] = t.num_rows
            compress = layout.gzipped(t.num_rows)
            csv_path = stage / "csv" / (f"{name}.csv.gz" if compress else f"{name}.csv")
            csv_files[name] = (csv_path, csv_writer.submit(write_csv, t, name, csv_path, compress=compress, batch_rows=layout.batch_rows))
            if layout.partitioned(name, t.num_rows):
                folder = stage / "parquet" / name
                labels = partition_labels(name, t, release_tables["documents"])
                parts = write_parquet_dataset(t, folder, labels, layout.batch_rows)
                described = [
                    {"path": p["path"].relative_to(stage).as_posix(), "rows": p["rows"], "bytes": p["path"].stat().st_size, "sha256": file_sha256(p["path"])}
                    for p in parts
                ]
                listing = "".join(f"{d['path']}\t{d['sha256']}\n" for d in described)
                parquet_files[name] = {
                    "path": folder.relative_to(stage).as_posix(),
                    "bytes": sum(d["bytes"] for d in described),
                    "sha256": hashlib.sha256(listing.encode()).hexdigest(),  # of the parts' "path<TAB>sha256" lines
                    "partitioned_by": list(PARTITION_COLUMNS),
                    "parts": described,
                }
            else:
                pq_path = stage / "parquet" / f"{name}.parquet"
                write_parquet(t, pq_path)
                step("parquet-midway", file=pq_path)
                parquet_files[name] = {"path": pq_path.relative_to(stage).as_posix(), "bytes": pq_path.stat().st_size, "sha256": file_sha256(pq_path)}
        for name, (csv_path, written) in csv_files.items():
            written.result()  # the CSV writer's error, if any, is raised here
            files[name] = {
                "csv": {"path": csv_path.relative_to(stage).as_posix(), "bytes": csv_path.stat().st_size, "sha256": file_sha256(csv_path)},
                "parquet": parquet_files[name],
            }
    finally:
        # On an error, CSV files not yet begun are not written; one being written is finished.
        csv_writer.shutdown(wait=True, cancel_futures=True)
    step("tables-written")
    return TableFiles(files, row_counts)


