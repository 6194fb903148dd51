"""JSONL and CSV files, line by line: from a byte stream to records and problems.

Large files are streamed: the encoding is chosen from the first bytes, and
each physical line is decoded on its own, so a damaged line is reported by
number and the rest of the file still reads.  What comes out is a
:class:`Record` (a line's fields, not yet checked) or a :class:`Problem`
(a line, or with line 0 the whole file, that could not be read); the reader
(:mod:`steppe.ingest.read`) turns both into documents and rejections.
Blank lines are not data and are skipped.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import io
import json
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import BinaryIO

from steppe.ingest.decode import UTF8_FAMILY, DecodeError, detect_encoding
from steppe.ingest.discover import Entry

__all__ = ["Problem", "Record", "csv_records", "jsonl_records"]

# How much of a JSONL/CSV file is read to choose its encoding.  Big enough
# for charset-normalizer to be reliable, small enough to keep streaming.
_SNIFF_BYTES = 64 * 1024
# Articles can exceed csv's default 128 KiB field limit.
_CSV_FIELD_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class Record:
    """One JSON object or CSV record, its fields as given."""

    line: int  # 1-based line where the record starts
    fields: Mapping[str, object]
    encoding: str  # the file's
    form: str  # how a rejection names it: "the JSON object", "the CSV record"


@dataclass(frozen=True)
class Problem:
    """A line (or, on line 0, the whole file) that gave no record; ``reason`` is a rejection reason."""

    line: int
    reason: str
    detail: str


class _FileProblem(Exception):
    """A problem that ends the reading of a whole file (reported on line 0)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based physical line
    text: str  # decoded line, terminator included; a stand-in when `error` is set
    error: str | None = None  # why the line's bytes could not be decoded


def _open_binary(entry: Entry) -> BinaryIO:
    if entry.kind == "jsonl.gz":
        return gzip.open(entry.path, "rb")  # type: ignore[return-value]
    return open(entry.path, "rb")


def _decompressed(entry: Entry, source: BinaryIO) -> contextlib.AbstractContextManager[BinaryIO]:
    """The file's data from ``source`` (its bytes on disk), left open for the caller to finish."""
    if entry.kind == "jsonl.gz":
        return gzip.GzipFile(fileobj=source, mode="rb")  # type: ignore[return-value]
    return contextlib.nullcontext(source)


def _stream_errors(entry: Entry, error: BaseException, lines_read: int) -> _FileProblem:
    """Translate an I/O or decompression error into a whole-file problem."""
    after = f" after line {lines_read}; the lines before it were read" if lines_read else ""
    if entry.kind == "jsonl.gz" and isinstance(error, (gzip.BadGzipFile, EOFError, zlib.error)):
        if isinstance(error, EOFError):
            what = "the gzip data is truncated"
        elif lines_read:
            what = "the gzip data is corrupt"
        else:
            what = "not valid gzip data"
        return _FileProblem("malformed-gzip", f"{what}{after}; expected a complete gzip-compressed JSONL file")
    reason = error.strerror if isinstance(error, OSError) and error.strerror else type(error).__name__
    return _FileProblem("unreadable", f"cannot read the file ({reason}){after}")


def _open_lines(entry: Entry, source: BinaryIO, *, newline: str) -> tuple[str, Iterator[_Line]]:
    """Choose the file's encoding from its first bytes; return it and a stream of the lines in ``source``.

    The first bytes are read through a handle of their own, so ``source``
    (which the inventory hashes) is read once, from its start.

    Raises :class:`_FileProblem` for files that cannot be read at all; the
    returned iterator raises it for failures part-way through.
    """
    try:
        with _open_binary(entry) as stream:
            sample = stream.read(_SNIFF_BYTES)
    except (OSError, EOFError, zlib.error) as error:
        raise _stream_errors(entry, error, 0) from None
    try:
        encoding = detect_encoding(sample, complete=len(sample) < _SNIFF_BYTES)
    except DecodeError as error:
        raise _FileProblem(error.reason, str(error)) from None
    return encoding, _lines(entry, encoding, newline, source)


def _lines(entry: Entry, encoding: str, newline: str, source: BinaryIO) -> Iterator[_Line]:
    number = 0
    try:
        with _decompressed(entry, source) as stream:
            if encoding in UTF8_FAMILY:
                # Decode line by line so a damaged line is reported on its own
                # and the rest of the file still reads.
                offset = 0
                for raw in stream:
                    number += 1
                    body = raw[len(codecs.BOM_UTF8):] if number == 1 and raw.startswith(codecs.BOM_UTF8) else raw
                    yield _decode_utf8_line(entry, number, body, offset + len(raw) - len(body))
                    offset += len(raw)
            else:
                text_stream = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline=newline)
                try:
                    for text in text_stream:
                        number += 1
                        yield _Line(number, text)
                except UnicodeDecodeError as error:
                    yield _Line(number + 1, "",
                                f"invalid {encoding} data ({error.reason}); this line and the rest of "
                                "the file could not be decoded")
                finally:
                    text_stream.detach()
    except (OSError, EOFError, zlib.error) as error:
        raise _stream_errors(entry, error, number) from None


def _decode_utf8_line(entry: Entry, number: int, body: bytes, offset: int) -> _Line:
    try:
        return _Line(number, body.decode("utf-8"))
    except UnicodeDecodeError as error:
        where = " of the decompressed data" if entry.kind == "jsonl.gz" else ""
        # The replacement-decoded text only keeps CSV parsing in step; the
        # line itself is rejected, so no replaced character reaches a document.
        return _Line(number, body.decode("utf-8", "replace"),
                     f"invalid UTF-8 byte 0x{body[error.start]:02x} at byte offset "
                     f"{offset + error.start}{where}; expected valid UTF-8 throughout the file")


def jsonl_records(entry: Entry, source: BinaryIO) -> Iterator[Record | Problem]:
    """The JSON objects of a ``.jsonl`` or ``.jsonl.gz`` file read from ``source``, one per line."""
    saw_data = False
    try:
        encoding, lines = _open_lines(entry, source, newline="\n")
        for line in lines:
            if not line.text.strip():
                continue  # blank lines are not data
            saw_data = True
            if line.error:
                yield Problem(line.number, "undecodable", line.error)
                continue
            yield _jsonl_line(line, encoding)
    except _FileProblem as problem:
        yield Problem(0, problem.reason, problem.detail)
        return
    if not saw_data:
        yield Problem(0, "empty", "the file holds no lines of data; expected one JSON object per line")


def _jsonl_line(line: _Line, encoding: str) -> Record | Problem:
    try:
        record = json.loads(line.text)
    except json.JSONDecodeError as error:
        return Problem(line.number, "malformed-json",
                       f"not valid JSON ({error.msg} at column {error.colno}); "
                       "expected one JSON object per line")
    except (ValueError, RecursionError) as error:  # e.g. nesting or integers too large
        return Problem(line.number, "malformed-json",
                       f"JSON that cannot be read ({type(error).__name__}: {error}); "
                       "expected one JSON object per line")
    if not isinstance(record, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
            type(record), "a number")
        return Problem(line.number, "not-an-object",
                       f"the line holds {kind}, not an object; expected one JSON object "
                       "with a 'text' field per line")
    return Record(line.number, record, encoding, "the JSON object")


class _Feed:
    """The text of physical lines for ``csv.reader``, counting lines and decoding errors."""

    def __init__(self, lines: Iterator[_Line]) -> None:
        self._lines = lines
        self.count = 0
        self.errors: dict[int, str] = {}
        self.recent: list[str] = []  # texts since the last mark(), to re-read a header

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count = line.number
        if line.error:
            self.errors[line.number] = line.error
        self.recent.append(line.text)
        return line.text

    def mark(self) -> None:
        self.recent = []

    def first_error(self, start: int, end: int) -> str | None:
        return next((self.errors[n] for n in range(start, end + 1) if n in self.errors), None)


def _header_names(row: list[str]) -> list[str]:
    return [cell.strip().lstrip("\ufeff").casefold() for cell in row]


def csv_records(entry: Entry, source: BinaryIO) -> Iterator[Record | Problem]:
    """The records of a ``.csv`` file read from ``source``, keyed by the (casefolded) header."""
    # Only ever raises the limit, so other csv users in the process are unaffected.
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    try:
        encoding, lines = _open_lines(entry, source, newline="")
        feed = _Feed(lines)
        yield from _csv_rows(feed, encoding)
    except _FileProblem as problem:
        yield Problem(0, problem.reason, problem.detail)


def _csv_rows(feed: _Feed, encoding: str) -> Iterator[Record | Problem]:
    reader: Iterator[list[str]] = csv.reader(feed, strict=True)
    header: list[str] | None = None
    header_line = 0
    while True:
        start = feed.count + 1
        feed.mark()
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            end = feed.count
            lines = f"line {start}" if end <= start else f"lines {start}-{end}"
            yield Problem(start, "malformed-csv",
                          f"the record at {lines} cannot be parsed ({error}); expected RFC 4180 CSV "
                          "with quotes doubled inside quoted fields")
            continue
        end = feed.count
        if not any(cell.strip() for cell in row):
            continue  # blank lines and rows of empty cells are not data
        if (error_detail := feed.first_error(start, end)) is not None:
            yield Problem(start, "undecodable", error_detail)
            if header is None:
                return
            continue

        if header is None:
            header_line = start
            header, reader = _csv_header(row, feed.recent, reader, feed)
            if "text" not in header:
                yield Problem(start, "missing-text",
                              f"the CSV header has no 'text' column (columns: {', '.join(header)}); "
                              "expected a header row naming at least text")
                return
            duplicated = sorted({name for name in header if header.count(name) > 1 and name})
            if duplicated:
                yield Problem(start, "malformed-csv",
                              f"the CSV header repeats column(s) {', '.join(duplicated)}; "
                              "expected each column once")
                return
            continue

        if len(row) != len(header):
            yield Problem(start, "malformed-csv",
                          f"the record has {len(row)} fields but the header (line {header_line}) "
                          f"has {len(header)}; expected one value per column")
            continue
        fields = {name: value for name, value in zip(header, row) if name}
        yield Record(start, fields, encoding, "the CSV record")
    if header is None:
        yield Problem(0, "empty", "the file holds no CSV data; expected a header row and records")


def _csv_header(row: list[str], raw_lines: list[str], reader: Iterator[list[str]],
                feed: _Feed) -> tuple[list[str], Iterator[list[str]]]:
    """Read the header, and choose the delimiter so that it names a text column.

    Spreadsheets in Brazil and Russia export CSV with ';' (the comma is the
    decimal separator there), and some tools write tab-separated files
    named .csv; those are recognised by their header.
    """
    names = _header_names(row)
    if "text" in names:
        return names, reader
    header_text = "".join(raw_lines)
    for delimiter in (";", "\t"):
        candidate = _header_names(next(csv.reader([header_text], delimiter=delimiter), []))
        if "text" in candidate:
            return candidate, csv.reader(feed, delimiter=delimiter, strict=True)
    return names, reader
