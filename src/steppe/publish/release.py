"""Publish a validated, versioned release: Parquet + CSV + metadata, moved into place atomically.

Layout under ``<out>/releases/``::

    <version>/parquet/<table>.parquet   zstd, declared Arrow schema, rows sorted by key
    <version>/csv/<table>.csv           UTF-8, RFC 4180, ISO 8601 dates, formula-safe cells
    <version>/datapackage.json          Frictionless Data Package
    <version>/manifest.json             version, code, inputs, row counts, validation summary
    <version>/CHANGES.md, changes.json  rows added, removed and changed against the previous release
    <version>/validation/               Great Expectations results (JSON) and their HTML report
    <version>/README.md                 the dataset card
    latest.json                         the newest valid release

A release is staged in a hidden folder beside the others and renamed into
place only after validation passed; ``latest.json`` is replaced atomically
after that. A failed release is moved to ``<out>/failed/<run>/`` instead, and
the previous release stays latest.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import math
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from isal import igzip

from steppe.gate.validate import ValidationReport, render_html
from steppe.ids import file_sha256
from steppe.ingest.inventory import InputFile
from steppe.provenance import PACKAGE_DIR, code_version
from steppe.publish import faults
from steppe.publish.card import render_card
from steppe.publish.changes import KeyList, diff_releases, json_keys, render_changes_md
from steppe.publish.checks import check_release_files
from steppe.publish.layout import DOC_TABLES, PARTITION_COLUMNS, Layout
from steppe.publish.plots import render_plots
from steppe.schema import frictionless_schema, schema_version, tables

RELEASES = "releases"
FAILED = "failed"
LATEST = "latest.json"
STAGING_PREFIX = ".staging-"
VERSION_RE = re.compile(r"^\d{4}\.\d{2}\.\d{2}(\.\d+)?$")
REPO_DIR = PACKAGE_DIR.parents[1]

# A spreadsheet reads a cell that starts with one of these as a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


class ReleaseError(RuntimeError):
    """The release could not be published; the previous release is untouched."""


class ValidationFailed(ReleaseError):
    def __init__(self, message: str, report_dir: Path):
        super().__init__(message)
        self.report_dir = report_dir


@dataclass(frozen=True)
class ReleasePlan:
    version: str | None  # None: nothing new to release
    fingerprint: str
    previous: str | None
    reason: str


@dataclass(frozen=True)
class PublishedRelease:
    version: str
    path: Path
    row_counts: dict[str, int]
    validation: ValidationReport


# --- Identity of a run: inputs, code, fingerprint --------------------------------


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO_DIR), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def run_fingerprint(inputs: list[InputFile], text_policy: str, code: str, settings: dict[str, Any] | None = None) -> str:
    body: dict[str, Any] = {"inputs": [i.__dict__ for i in inputs], "text_policy": text_policy, "code": code}
    if settings:  # only non-default settings, so a default run keeps its fingerprint
        body["settings"] = settings
    payload = json.dumps(body, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


# --- Versions and latest ------------------------------------------------------


def releases_dir(out_dir: Path) -> Path:
    return out_dir / RELEASES


def read_latest(out_dir: Path) -> str | None:
    """The version latest.json names, or None if there is no valid release yet."""
    path = releases_dir(out_dir) / LATEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ReleaseError(f"{path}: unreadable ({exc}); fix or delete it to publish again") from exc
    version = data.get("version")
    if not isinstance(version, str) or not VERSION_RE.match(version):
        raise ReleaseError(f"{path}: 'version' is {version!r}, expected YYYY.MM.DD[.N]")
    if not (releases_dir(out_dir) / version / "manifest.json").is_file():
        raise ReleaseError(f"{path} names release {version}, which has no manifest.json")
    return version


def list_versions(out_dir: Path) -> list[str]:
    root = releases_dir(out_dir)
    if not root.is_dir():
        return []
    found = [p.name for p in root.iterdir() if p.is_dir() and VERSION_RE.match(p.name) and (p / "manifest.json").is_file()]
    return sorted(found, key=_version_key)


def _version_key(version: str) -> tuple[int, ...]:
    parts = [int(x) for x in version.split(".")]
    return tuple(parts + [0] * (4 - len(parts)))


def next_version(out_dir: Path, today: date) -> str:
    """YYYY.MM.DD, with .N appended for a second (third...) release the same day."""
    base = today.strftime("%Y.%m.%d")
    taken = {p.name for p in releases_dir(out_dir).iterdir()} if releases_dir(out_dir).is_dir() else set()
    if base not in taken:
        return base
    n = 1
    while f"{base}.{n}" in taken:
        n += 1
    return f"{base}.{n}"


def read_manifest(out_dir: Path, version: str) -> dict[str, Any]:
    path = releases_dir(out_dir) / version / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8"))


def plan_release(
    out_dir: Path,
    inputs: list[InputFile],
    text_policy: str,
    *,
    version: str | None = None,
    force: bool = False,
    today: date | None = None,
    settings: dict[str, Any] | None = None,
) -> ReleasePlan:
    """Decide whether to release and under which version, before anything is written.

    ``inputs`` is the inventory ingest took while reading (:mod:`steppe.ingest.inventory`),
    so the fingerprint describes the bytes the tables were built from.
    """
    fingerprint = run_fingerprint(inputs, text_policy, code_version(), settings)
    previous = read_latest(out_dir)
    if previous and not force:
        if read_manifest(out_dir, previous).get("run_fingerprint") == fingerprint:
            return ReleasePlan(None, fingerprint, previous, f"inputs and code unchanged since release {previous}")
    if version is not None:
        if not VERSION_RE.match(version):
            raise ReleaseError(f"version {version!r} is not of the form YYYY.MM.DD or YYYY.MM.DD.N")
        if (releases_dir(out_dir) / version).exists():
            raise ReleaseError(f"release {version} already exists in {releases_dir(out_dir)}; releases are never overwritten")
    else:
        version = next_version(out_dir, today or datetime.now(timezone.utc).date())
    reason = "forced" if force and previous else ("first release" if not previous else "new inputs or code")
    return ReleasePlan(version, fingerprint, previous, reason)


# --- Writers ------------------------------------------------------------------


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


def _csv_cell(value: Any, ftype: str) -> str:
    """One value as CSV text; :func:`_csv_column` gives the same text a column at a time, and falls back on this."""
    if value is None:
        return ""
    if ftype == "string":
        return "'" + value if value.startswith(_FORMULA_PREFIXES) else value
    if ftype == "boolean":
        return "true" if value else "false"
    if ftype == "datetime":
        value = value.astimezone(timezone.utc)
        fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if value.microsecond else "%Y-%m-%dT%H:%M:%SZ"
        return value.strftime(fmt)
    if ftype == "date":
        return value.isoformat()
    if ftype == "number":
        if math.isnan(value) or math.isinf(value):
            raise ReleaseError(f"cannot write non-finite number {value!r} to CSV")
        return repr(float(value))
    return str(value)


# The first characters of formula-like text, for Arrow (each prefix is one character).
_FORMULA_FIRST = pa.array(_FORMULA_PREFIXES, pa.string())
# The characters for which Python's csv writer (QUOTE_MINIMAL, "\r\n" line ends)
# quotes a field: the delimiter, the quote and the line-end characters.
_CSV_NEEDS_QUOTES = '[,"\r\n]'
# The dates and datetimes Arrow formats exactly as Python does: Python's own range
# for dates; for datetimes, four-digit years only (strftime does not zero-pad %Y
# below 1000, Arrow does). Columns with values outside go cell by cell.
_DATE_RANGE = (pa.scalar(date(1, 1, 1), pa.date32()), pa.scalar(date(9999, 12, 31), pa.date32()))
_DATETIME_RANGE = (
    pa.scalar(datetime(1000, 1, 1, tzinfo=timezone.utc), pa.timestamp("us", tz="UTC")),
    pa.scalar(datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc), pa.timestamp("us", tz="UTC")),
)


def _within(col: pa.ChunkedArray, bounds: tuple[pa.Scalar, pa.Scalar]) -> bool:
    """Whether every value of the column lies between the bounds (compared in Arrow: a value may be out of Python's range)."""
    low, high = pc.min_max(col).values()
    return not low.is_valid or (pc.greater_equal(low, bounds[0]).as_py() and pc.less_equal(high, bounds[1]).as_py())


def _text_bytes(text: pa.Array) -> bytes:
    """A string array's values, one after another, as UTF-8 (read from its data buffer, between its first and last offsets)."""
    if text.type != pa.string():
        raise TypeError(f"expected a string array, got {text.type}")
    _, offsets, data = text.buffers()
    bounds = pa.Array.from_buffers(pa.int32(), len(text) + 1, [None, offsets], offset=text.offset)
    return data[bounds[0].as_py() : bounds[-1].as_py()].to_pybytes() if data is not None else b""


def _csv_quoted(text: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """Cells quoted as Python's csv writer quotes them (QUOTE_MINIMAL): in double quotes, inner quotes doubled."""
    # Most columns (ids, codes) hold none of the characters: a byte search of the
    # values says so quickly (in UTF-8 these bytes are only ever these characters).
    chunks = text.chunks if isinstance(text, pa.ChunkedArray) else [text]
    values = (_text_bytes(chunk) for chunk in chunks)
    if not any(c in data for data in values for c in (b",", b'"', b"\r", b"\n")):
        return text
    needs = pc.match_substring_regex(text, _CSV_NEEDS_QUOTES)
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, text)


def _csv_column(col: pa.ChunkedArray, ftype: str) -> pa.ChunkedArray | pa.Array:
    """A column's CSV fields (text, no nulls), as :func:`_csv_cell` and Python's csv writer make them, a column at a time.

    Arrow formats the column where its text is provably the same as Python's
    (strings, integers, booleans, dates, UTC datetimes); floats keep Python's
    ``repr`` (Arrow writes 3.0 as "3" and 1e-05 as "0.00001"), once per
    distinct value. A column of another Arrow type than the schema's, or with
    values Arrow would format differently, goes through :func:`_csv_cell` one
    cell at a time. Only text is quoted: the other types' digits, signs,
    dates and times never hold a comma, a quote or a line end.
    """
    kind = col.type
    if ftype == "string" and kind == pa.string():
        text = col.fill_null("")
        formula = pc.is_in(pc.utf8_slice_codeunits(text, 0, 1), value_set=_FORMULA_FIRST)
        if pc.any(formula).as_py():
            text = pc.if_else(formula, pc.binary_join_element_wise("'", text, ""), text)
        return _csv_quoted(text)
    if ftype == "integer" and pa.types.is_integer(kind):
        return col.cast(pa.string()).fill_null("")  # as str(int)
    if ftype == "number" and kind == pa.float64():
        values = col.combine_chunks()
        finite = pc.is_finite(values)
        if not pc.all(finite, min_count=0).as_py():  # nulls are skipped
            bad = values[pc.index(finite, False).as_py()].as_py()
            raise ReleaseError(f"cannot write non-finite number {bad!r} to CSV")
        # Scores and Goldstein values repeat: each distinct value is formatted
        # once, told apart by its bits (0.0 and -0.0 are written differently).
        bits = values.view(pa.int64())
        distinct = pc.unique(bits)
        text = pa.array(["" if v is None else repr(v) for v in distinct.view(pa.float64()).to_pylist()], pa.string())
        return pc.take(text, pc.index_in(bits, value_set=distinct))
    if ftype == "boolean" and kind == pa.bool_():
        return pc.if_else(col, "true", "false").fill_null("")
    if ftype == "date" and kind == pa.date32() and _within(col, _DATE_RANGE):
        return col.cast(pa.string()).fill_null("")  # ISO, as date.isoformat()
    if ftype == "datetime" and kind == pa.timestamp("us", tz="UTC") and _within(col, _DATETIME_RANGE):
        full = pc.strftime(col, "%Y-%m-%dT%H:%M:%S")  # always with the six digits of microseconds
        text = pc.if_else(pc.ends_with(full, ".000000"), pc.utf8_slice_codeunits(full, 0, 19), full)
        return pc.binary_join_element_wise(text, "Z", "").fill_null("")
    return _csv_quoted(pa.array([_csv_cell(v, ftype) for v in col.to_pylist()], pa.string()))


def _csv_lines(chunk: pa.Table, types: list[str]) -> pa.Array:
    """The rows' CSV lines (one string each, line end included), as Python's csv writer writes :func:`_csv_cell`'s cells."""
    fields = [_csv_column(chunk.column(i), ft) for i, ft in enumerate(types)]
    if not fields:
        return pa.array([""] * chunk.num_rows, pa.string())  # no columns, no lines
    if len(fields) == 1:  # csv writes a line of one empty field as "" (not as a blank line)
        fields[0] = pc.if_else(pc.equal(fields[0], ""), '""', fields[0])
    fields[-1] = pc.binary_join_element_wise(fields[-1], "\r\n", "")
    lines = pc.binary_join_element_wise(*fields, ",") if len(fields) > 1 else fields[0]
    return lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines


def _csv_rows_by_cell(chunk: pa.Table, types: list[str]) -> bytes:
    """The chunk's CSV lines made one cell at a time in Python: slow, but the error raised is the first bad cell's."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    columns = [chunk.column(i).to_pylist() for i in range(chunk.num_columns)]
    for row in zip(*columns):
        writer.writerow([_csv_cell(v, ft) for v, ft in zip(row, types)])
    return buf.getvalue().encode("utf-8")


# Each call to Arrow costs about as much as formatting a few rows in Python:
# small batches are formatted together, this many rows at least (still written
# out a batch at a time).
_CSV_MIN_FORMAT_ROWS = 10_000


def _csv_chunks(t: pa.Table, table_name: str, batch_rows: int):
    """The CSV's bytes, header first, then ``batch_rows`` rows at a time.

    The rows are formatted a column at a time in Arrow (:func:`_csv_lines`),
    a batch at a time, or several batches if they are small. Where a value
    cannot be written, those batches are made again one cell at a time, so
    that the error raised is the first bad cell's, in row order, after the
    batches before it.
    """
    spec = tables()[table_name]
    types = [spec.field(name).type for name in t.column_names]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(t.column_names)
    yield buf.getvalue().encode("utf-8")
    window = batch_rows * -(-_CSV_MIN_FORMAT_ROWS // batch_rows)  # whole batches
    for start in range(0, t.num_rows, window):
        rows = t.slice(start, window)
        try:
            lines = _csv_lines(rows, types)
        except Exception:  # a value that cannot be written: cell by cell finds the first
            lines = None
        for offset in range(0, min(window, t.num_rows - start), batch_rows):
            if lines is None:
                yield _csv_rows_by_cell(rows.slice(offset, batch_rows), types)
            else:
                yield _text_bytes(lines.slice(offset, batch_rows))


def csv_bytes(t: pa.Table, table_name: str) -> bytes:
    """RFC 4180 CSV (CRLF, minimal quoting) with formula-like text cells neutralised by a leading apostrophe."""
    return b"".join(_csv_chunks(t, table_name, max(1, t.num_rows)))


# gzip by ISA-L (isal), level 2: about ten times faster than zlib at level 6, and about as
# small: the mentions CSV of 36,000 articles, 227 MB, became 92.9 MB in 0.6 s (zlib: 6.1 s,
# 93.2 MB); the sentences CSV, 112 MB, 43.6 MB in 0.36 s (zlib: 4.3 s, 40.2 MB, 8% smaller).
# Any gzip reader reads it; the same bytes give the same file.
CSV_GZIP_LEVEL = 2


def write_csv(t: pa.Table, table_name: str, path: Path, *, compress: bool, batch_rows: int) -> None:
    """:func:`csv_bytes` streamed to ``path``, ``batch_rows`` rows at a time; gzip (no name, no time) if ``compress``."""
    with path.open("wb") as fh:
        out = igzip.IGzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=CSV_GZIP_LEVEL) if compress else fh
        try:
            for chunk in _csv_chunks(t, table_name, batch_rows):
                out.write(chunk)
        finally:
            if compress:
                out.close()


def _write_json(path: Path, data: Any) -> None:
    """``data`` as json.dumps(indent=2, ensure_ascii=False) writes it, and a newline (see json_pieces).

    The text is written as it is made (a first release's changes.json lists
    millions of keys), into a temporary file beside ``path`` that is renamed
    once complete: data that cannot be written leaves no file behind.
    """
    part = path.with_name(path.name + ".part")
    try:
        with part.open("w", encoding="utf-8") as fh:
            try:
                for piece in _json_pieces_of(data, "\n"):
                    fh.write(piece)
            except (_NotPlainJSON, RecursionError):
                fh.seek(0)
                fh.truncate()
                fh.write(_dumps(data))
            fh.write("\n")
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


class _NotPlainJSON(Exception):
    """A value json_text leaves to json.dumps."""


_encode_str = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) escapes text with
_SCALARS = {str, int, float, bool, type(None)}
# Plain values one after the other, at the speed of json's C encoder. The
# separator cannot occur in what it writes: a NUL in text is written \u0000.
_SCALARS_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=("\x00", ": "))


def _as_list(o: Any) -> Any:
    """json.dumps's ``default``: a KeyList is the list it stands for; anything else is refused as json.dumps refuses it."""
    if isinstance(o, KeyList):
        return list(o)
    return json.JSONEncoder.default(_SCALARS_ENCODER, o)


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=_as_list)


def json_text(data: Any) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False)``, byte for byte (see json_pieces)."""
    return "".join(json_pieces(data))


def json_pieces(data: Any) -> list[str]:
    """Pieces of text that together are ``json.dumps(data, indent=2, ensure_ascii=False)``, byte for byte.

    With an indent, json.dumps encodes in pure Python, one small piece at a
    time, and joins them all; the changes.json of a first release lists every
    key of every table (millions for tens of thousands of articles). Here a
    list of plain values (text, numbers, true/false/null), or of equally long
    lists of them (compound keys), is encoded by json's C encoder in one call
    and laid out with joins; a KeyList (changes.KeyList, written as the list of
    keys it stands for) a slice of keys at a time; an object's members stay
    separate pieces, so that writing them never joins one table's list with
    another's (one name in Cyrillic would make Python widen all the text to two
    bytes a character). A dict key that is not text, a value that is not plain
    JSON (str, int, float, bool, None, list, tuple, dict, KeyList) or a
    structure too deep or circular is handed to json.dumps, which then encodes
    or refuses it exactly as before.
    """
    try:
        return list(_json_pieces_of(data, "\n"))
    except (_NotPlainJSON, RecursionError):
        return [_dumps(data)]


def _json_pieces_of(o: Any, newline: str) -> Iterator[str]:
    """One value's text in pieces: an object member by member, a KeyList a slice at a time, anything else in one piece."""
    if isinstance(o, KeyList):
        yield from _key_list_pieces(o, newline)
        return
    if not (isinstance(o, dict) and o):
        yield _json_value_text(o, newline)
        return
    inner = newline + "  "
    yield "{"
    separator = inner
    for k, v in o.items():
        if not isinstance(k, str):
            raise _NotPlainJSON
        yield separator + _encode_str(k) + ": "
        separator = "," + inner
        yield from _json_pieces_of(v, inner)
    yield newline + "}"


def _key_list_pieces(keys: KeyList, newline: str) -> Iterator[str]:
    """A KeyList as json.dumps writes the list it stands for, a slice of keys per piece.

    A slice of text and integer keys is laid out in Arrow (:func:`_plain_keys_text`);
    any other (dates, nulls, text json.dumps escapes) through Python values.
    """
    if not len(keys):
        yield "[]"
        return
    inner = newline + "  "
    separator = "[" + inner
    for columns in keys.column_slices():
        text = _plain_keys_text(columns, inner)
        yield separator + (text if text is not None else _items_text(json_keys(columns), inner))
        separator = "," + inner
    yield newline + "]"


# What json.dumps(ensure_ascii=False) escapes in text: the quote, the backslash and control characters.
_JSON_ESCAPED = r'["\\\x00-\x1f]'


def _json_texts(column: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """Each value of a key column as json.dumps writes it, if Arrow can write it: text that
    needs no escape (in quotes) and integers, without nulls; else None."""
    if column.null_count:
        return None
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        if len(column) and pc.any(pc.match_substring_regex(column, _JSON_ESCAPED)).as_py():
            return None
        return pc.binary_join_element_wise('"', column.cast(pa.string()), '"', "")
    if pa.types.is_integer(column.type):
        return column.cast(pa.string())  # in decimal, as Python writes an int
    return None


def _plain_keys_text(columns: list[pa.ChunkedArray], inner: str) -> str | None:
    """The keys of these key columns (a key per row; a compound key is a list) as the items of
    a list json.dumps writes at the indent ``inner`` (see _items_text), or None if a column
    holds values only Python writes right. A first release's changes.json lists millions of
    keys: laid out in Arrow, the 2.8 million mention keys of 36,000 articles took 0.48 s
    instead of 0.85, the 1.9 million compound sentence keys 0.54 s instead of 1.82."""
    texts = [_json_texts(c) for c in columns]
    if not texts or any(t is None for t in texts):
        return None
    separator = "," + inner
    if len(texts) == 1:
        pieces: list = [texts[0], separator]
    else:
        deeper = inner + "  "
        pieces = ["[" + deeper]
        for i, t in enumerate(texts):
            pieces += [t, ("," + deeper) if i < len(texts) - 1 else (inner + "]" + separator)]
    lines = pc.binary_join_element_wise(*pieces, "")
    lines = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    return _text_bytes(lines.cast(pa.string())).decode("utf-8")[: -len(separator)]


def _items_text(items: list, inner: str) -> str:
    """The items of a non-empty list, each at the indent ``inner``, joined as json.dumps joins them."""
    kinds = set(map(type, items))
    if kinds <= _SCALARS:
        return ("," + inner).join(_scalars_text(items))
    if kinds <= {list, tuple}:
        sizes = set(map(len, items))
        if len(sizes) == 1 and (size := sizes.pop()) > 0:
            flat = list(itertools.chain.from_iterable(items))
            if set(map(type, flat)) <= _SCALARS:  # compound keys: [["a", 1], ["b", 2]]
                deeper = inner + "  "
                rows = map(("," + deeper).join, zip(*[iter(_scalars_text(flat))] * size))
                return "[" + deeper + (inner + "]," + inner + "[" + deeper).join(rows) + inner + "]"
    return ("," + inner).join(_encode_str(v) if type(v) is str else _json_value_text(v, inner) for v in items)


def _scalars_text(values: list) -> list[str]:
    """Each of these plain values (exact types in _SCALARS) as json.dumps writes it."""
    return _SCALARS_ENCODER.encode(values)[1:-1].split("\x00")


def _json_value_text(o: Any, newline: str) -> str:
    """One value at the nesting level whose line break and indent is ``newline``.

    Containers are checked before scalars, unlike json.dumps: no class is both
    (Python refuses such a subclass), so the order decides nothing but speed.
    """
    if type(o) is str:
        return _encode_str(o)
    if isinstance(o, (list, tuple)):
        if not o:
            return "[]"
        inner = newline + "  "
        return "[" + inner + _items_text(o, inner) + newline + "]"
    if isinstance(o, KeyList):
        return "".join(_key_list_pieces(o, newline))
    if isinstance(o, dict):
        if not o:
            return "{}"
        inner = newline + "  "
        items = []
        for k, v in o.items():
            if not isinstance(k, str):
                raise _NotPlainJSON
            items.append(_encode_str(k) + ": " + _json_value_text(v, inner))
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if isinstance(o, str):
        return _encode_str(o)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if isinstance(o, int):
        return int.__repr__(o)
    if isinstance(o, float):
        if o != o:
            return "NaN"
        if o in (math.inf, -math.inf):
            return "Infinity" if o > 0 else "-Infinity"
        return float.__repr__(o)
    raise _NotPlainJSON


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
                faults.crash_point("parquet-midway", cut_short=pq_path)
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
    faults.crash_point("tables-written")
    return TableFiles(files, row_counts)


def write_release_files(
    stage: Path,
    release_tables: dict[str, pa.Table],
    *,
    version: str,
    plan: ReleasePlan,
    inputs: list[InputFile],
    text_policy: str,
    report: ValidationReport,
    out_dir: Path,
    layout: Layout | None = None,
    table_files: TableFiles | None = None,
) -> dict[str, int]:
    """Write every file of a release into the staging folder; return the row counts.

    ``table_files``: the tables' files, if :func:`write_table_files` has
    already written them into ``stage``; else they are written here first.
    """
    if table_files is None:
        table_files = write_table_files(stage, release_tables, layout)
    files, row_counts = table_files.files, table_files.row_counts
    (stage / "validation").mkdir()
    _write_json(stage / "datapackage.json", datapackage(version, files))

    _write_json(stage / "validation" / "results.json", report.results)
    _write_json(stage / "validation" / "summary.json", report.summary())
    (stage / "validation" / "report.html").write_text(render_html(report, f"steppe {version}: validation"), encoding="utf-8")

    previous_dir = releases_dir(out_dir) / plan.previous if plan.previous else None
    changes = diff_releases(previous_dir, stage, old_version=plan.previous, new_version=version, new_tables=release_tables)
    _write_json(stage / "changes.json", changes)
    (stage / "CHANGES.md").write_text(render_changes_md(changes), encoding="utf-8")
    # A first release's lists every key of every table: given back before the plots are drawn.
    del changes

    manifest = {
        "version": version,
        "schema_version": schema_version(),
        "code_version": code_version(),
        "git_commit": git_commit(),
        "created_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "previous_version": plan.previous,
        "text_policy": text_policy,
        "run_fingerprint": plan.fingerprint,
        "inputs": [i.__dict__ for i in inputs],
        "row_counts": row_counts,
        "files": files,
        "validation": {
            "success": report.success,
            "evaluated_expectations": report.evaluated,
            "successful_expectations": report.successful,
            "failures": [f.message for f in report.failures],
        },
    }
    _write_json(stage / "manifest.json", manifest)
    plots = render_plots(release_tables, stage / "plots")
    (stage / "README.md").write_text(render_card(manifest, plots), encoding="utf-8")
    return row_counts


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_latest(out_dir: Path, version: str) -> None:
    root = releases_dir(out_dir)
    tmp = root / f".{LATEST}.{os.getpid()}.tmp"
    _write_json(tmp, {"version": version, "path": version, "manifest": f"{version}/manifest.json"})
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    faults.crash_point("latest-tmp-written")
    os.replace(tmp, root / LATEST)
    _fsync_dir(root)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(out_dir: Path) -> list[Path]:
    """Delete staging folders and latest.json drafts left by runs that died; a live run's are left alone."""
    root = releases_dir(out_dir)
    removed = []
    if not root.is_dir():
        return removed
    for p in root.iterdir():
        if p.is_dir() and p.name.startswith(STAGING_PREFIX):
            pid = p.name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and _pid_alive(int(pid)):
                continue
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
        elif p.is_file() and p.name.startswith(f".{LATEST}.") and p.name.endswith(".tmp"):
            # A latest.json a run died before moving into place.
            pid = p.name[len(f".{LATEST}."):-len(".tmp")]
            if pid.isdigit() and int(pid) != os.getpid() and _pid_alive(int(pid)):
                continue
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


def publish(
    release_tables: dict[str, pa.Table],
    report: ValidationReport | Callable[[], ValidationReport],
    *,
    out_dir: Path,
    plan: ReleasePlan,
    inputs: list[InputFile],
    text_policy: str,
    layout: Layout | None = None,
) -> PublishedRelease:
    """Stage the release, then move it into place if validation passed; otherwise file it under failed/.

    ``report`` is the validation gate's report, or a function that makes it
    (``lambda: validate_tables(tables)``): then the gate runs in this thread
    while another writes the tables' Parquet and CSV files into the staging
    folder, as those do not depend on it. Nothing is published before the
    report is in: the release still moves into place only if it passed.
    """
    if plan.version is None:
        raise ReleaseError("nothing to publish: " + plan.reason)
    version = plan.version
    root = releases_dir(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out_dir)
    stage = root / f"{STAGING_PREFIX}{version}-{os.getpid()}"
    stage.mkdir()
    faults.crash_point("staging-created")
    try:
        table_files = None
        if callable(report):
            writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="steppe-tables")
            written = writer.submit(write_table_files, stage, release_tables, layout)
            try:
                report = report()
            finally:
                writer.shutdown(wait=True)  # the files are finished (or failed) before the stage can be removed
            table_files = written.result()
        row_counts = write_release_files(
            stage,
            release_tables,
            version=version,
            plan=plan,
            inputs=inputs,
            text_policy=text_policy,
            report=report,
            out_dir=out_dir,
            layout=layout,
            table_files=table_files,
        )
        mismatches = check_release_files(stage)
        if not report.success or mismatches:
            run_id = f"{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%SZ')}-{version}"
            failed_dir = out_dir / FAILED / run_id
            failed_dir.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage, failed_dir)
            lines = [f.message for f in report.failures] + [f"written files disagree: {m}" for m in mismatches]
            (failed_dir / "FAILED.txt").write_text(
                f"Validation failed: {len(lines)} problems ({len(report.failures)} of {report.evaluated} expectations not met).\n"
                + "".join(f"- {line}\n" for line in lines),
                encoding="utf-8",
            )
            shown = "\n".join(f"  - {line}" for line in lines[:20])
            more = f"\n  ... and {len(lines) - 20} more" if len(lines) > 20 else ""
            raise ValidationFailed(
                f"validation failed ({len(report.failures)} of {report.evaluated} expectations not met, "
                f"{len(mismatches)} disagreements between the written files); "
                f"release {version} was not published and {read_latest(out_dir) or 'no release'} stays latest.\n"
                f"{shown}{more}\nReport: {failed_dir}",
                failed_dir,
            )
        faults.crash_point("staged")
        final = root / version
        os.rename(stage, final)  # atomic on one file system; fails rather than overwrite
        _fsync_dir(root)
        faults.crash_point("renamed")
        write_latest(out_dir, version)
        faults.crash_point("published")
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
    return PublishedRelease(version, final, row_counts, report)
