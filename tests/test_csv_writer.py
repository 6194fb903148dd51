"""The release's CSV writer (cells formatted in Arrow, written by DuckDB) gives the bytes of the per-cell writer steppe began with.

``reference_csv_chunks`` below is that writer (every cell formatted in
Python by ``reference_csv_cell``, rows written by Python's csv module): the
release's must give the same files, byte for byte, on the seed release, on
hand-made edge cases, on random tables and on the committed releases.
"""

import csv
import gzip
import io
import math
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from isal import igzip
from test_release import seed_release_tables

from steppe.publish import write
from steppe.publish.layout import read_table
from steppe.publish.plan import ReleaseError
from steppe.publish.write import FORMULA_PREFIXES
from steppe.schema import tables
from steppe.tables.arrow import make_table

COMMITTED = Path(__file__).resolve().parents[1] / "data" / "processed" / "releases"
UTC = timezone.utc


# --- The per-cell writer, as it was -------------------------------------------


def reference_csv_cell(value: Any, ftype: str) -> str:
    if value is None:
        return ""
    if ftype == "string":
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
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


def reference_csv_chunks(t: pa.Table, table_name: str, batch_rows: int):
    spec = tables()[table_name]
    types = [spec.field(name).type for name in t.column_names]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(t.column_names)
    yield buf.getvalue().encode("utf-8")
    for start in range(0, t.num_rows, batch_rows):
        chunk = t.slice(start, batch_rows)
        buf = io.StringIO(newline="")
        writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        columns = [chunk.column(i).to_pylist() for i in range(chunk.num_columns)]
        for row in zip(*columns):
            writer.writerow([reference_csv_cell(v, ft) for v, ft in zip(row, types)])
        yield buf.getvalue().encode("utf-8")


def reference_write_csv(t: pa.Table, table_name: str, path: Path, *, compress: bool, batch_rows: int) -> None:
    with path.open("wb") as fh:
        out = igzip.IGzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=write.CSV_GZIP_LEVEL) if compress else fh
        try:
            for chunk in reference_csv_chunks(t, table_name, batch_rows):
                out.write(chunk)
        finally:
            if compress:
                out.close()


def written(t: pa.Table, name: str, batch_rows: int) -> bytes:
    """The CSV the release's writer writes, ``batch_rows`` rows at a time."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"{name}.csv"
        write.write_csv(t, name, path, compress=False, batch_rows=batch_rows)
        return path.read_bytes()


def csv_bytes(t: pa.Table, name: str) -> bytes:
    return write.csv_bytes(t, name)


def assert_same_csv(t: pa.Table, name: str, batch_rows: int | None = None) -> None:
    """The same file as the per-cell writer, written whole and in batches."""
    for rows in {max(1, t.num_rows), batch_rows or 3, 1}:
        assert written(t, name, rows) == b"".join(reference_csv_chunks(t, name, rows)), rows


def outcome(chunks) -> tuple[list[bytes], tuple[str, str] | None]:
    """The chunks yielded, and the error they end in (type and message), if any."""
    got = []
    try:
        for chunk in chunks:
            got.append(chunk)
    except Exception as exc:
        return got, (type(exc).__name__, str(exc))
    return got, None


# --- The seed release and the committed releases ------------------------------


@pytest.fixture(scope="module")
def seed_tables():
    return seed_release_tables()


def test_every_seed_table_is_written_as_before(seed_tables):
    for name, t in seed_tables.items():
        assert_same_csv(t, name, batch_rows=7)


@pytest.mark.parametrize("compress", [False, True])
def test_written_files_are_byte_identical_gzipped_or_not(seed_tables, tmp_path, compress):
    for name in ("documents", "sentences", "entity_names", "events"):
        t = seed_tables[name]
        new, old = tmp_path / f"new-{name}.csv", tmp_path / f"old-{name}.csv"
        write.write_csv(t, name, new, compress=compress, batch_rows=1000)
        reference_write_csv(t, name, old, compress=compress, batch_rows=1000)
        if not compress:
            assert new.read_bytes() == old.read_bytes()
        else:
            # ISA-L's output depends on how the text is handed to it (the per-cell writer gave it a
            # batch at a time, the release gives it DuckDB's file a megabyte at a time): the same
            # text, the same gzip settings, and the same bytes for the same table every time.
            assert new.read_bytes()[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, mtime 0
            # Plain gzip, as any reader (here the standard library's zlib) reads it.
            assert gzip.decompress(new.read_bytes()) == gzip.decompress(old.read_bytes()) == csv_bytes(t, name)
            again = tmp_path / f"again-{name}.csv"
            write.write_csv(t, name, again, compress=True, batch_rows=7)
            assert again.read_bytes() == new.read_bytes()


def test_the_committed_releases_csv_files_are_written_again_byte_for_byte():
    """Each committed CSV (written by the per-cell writer) from the release's own Parquet."""
    checked = 0
    for folder in sorted(p for p in COMMITTED.iterdir() if p.is_dir()):
        for name in tables():
            t = read_table(folder, name)
            if t is None:
                continue
            assert csv_bytes(t, name) == (folder / "csv" / f"{name}.csv").read_bytes(), (folder.name, name)
            checked += 1
    assert checked >= len(tables())


# --- Hand-made edge cases ----------------------------------------------------

TEXTS = [
    None, "", " ", "plain", "a,b", 'say "hi"', '"', ",", "\n", "\r", "\r\n", "line\nbreak", "cr\rlf\r\nend",
    "'already", "'", " leading space", "trailing space ", "\x00nul", "a\x00b", "back\\slash", "semi;colon",
    "Тоқаев", "Қазақстан әғқңөұүһі", "Astana, Қазақстан", "emoji 😀", "😀", '👍,"x"\n', "\u00a0nbsp", "\u2028sep",
    "\uff1d1+1", "\uff0b7", "\uff0d5", "\uff20me", "=", "+", "-", "@", "\t", "==", "-0", "+7 701 000 00 00",
    "=HYPERLINK(\"http://evil.example\")", "@SUM(A1)", "-1 is not text", "\ttab", "\rcr", "\r\nx", "x=1", "a+b",
]
TEXTS += [p + "x" for p in FORMULA_PREFIXES] + [p + ",\"q\"\n" for p in FORMULA_PREFIXES]
NUMBERS = [
    None, 0.1, 1e-05, 1e-5 * 3, 1e20, 1e16, 1e15, -0.0, 0.0, 2.5, 3.0, -3.0, 1.0, 100.0, 123456789.123, 1 / 3,
    1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, -1e-07, 9007199254740993.0, 0.30000000000000004,
]
INTEGERS = [None, 0, 1, -3, 42, 2**31, -(2**31) - 1, 2**53 + 1, 2**63 - 1, -(2**63)]
DATES = [None, date(2025, 11, 27), date(1, 1, 1), date(999, 12, 31), date(1000, 1, 1), date(1969, 12, 31), date(9999, 12, 31)]
DATETIMES = [
    None,
    datetime(2025, 11, 28, tzinfo=UTC),
    datetime(2025, 11, 28, 13, 5, 9, 1, tzinfo=UTC),
    datetime(2025, 11, 28, 13, 5, 9, 500000, tzinfo=UTC),
    datetime(2025, 11, 28, 13, 5, 9, 999999, tzinfo=UTC),
    datetime(2025, 11, 28, 5, 0, tzinfo=timezone(timedelta(hours=5))),  # Astana: stored as UTC
    datetime(2025, 11, 28, 5, 0, 0, 250, tzinfo=timezone(timedelta(hours=-3))),
    datetime(1969, 12, 31, 23, 59, 59, 5, tzinfo=UTC),
    datetime(1970, 1, 1, tzinfo=UTC),
    datetime(1000, 1, 1, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
]


def cycle(values: list, n: int) -> list:
    return [values[i % len(values)] for i in range(n)]


def edge_events(n: int | None = None) -> pa.Table:
    """An events table (strings, integers, numbers, a date and a boolean) of edge values."""
    n = n or max(len(TEXTS), len(NUMBERS), len(INTEGERS), len(DATES))
    schema = tables()["events"].arrow_schema()
    columns = {}
    for f in tables()["events"].fields:
        pool = {"string": TEXTS, "integer": INTEGERS, "number": NUMBERS, "date": DATES, "boolean": [None, True, False]}[f.type]
        offset = len(columns)  # a different mix of values in each column
        columns[f.name] = cycle(pool[offset % len(pool):] + pool[: offset % len(pool)], n)
    return pa.table(columns, schema=schema)


def edge_documents() -> pa.Table:
    schema = tables()["documents"].arrow_schema()
    n = max(len(TEXTS), len(DATETIMES))
    columns = {}
    for i, f in enumerate(tables()["documents"].fields):
        pool = {"string": TEXTS, "integer": INTEGERS, "number": NUMBERS, "datetime": DATETIMES}[f.type]
        columns[f.name] = cycle(pool[i % len(pool):] + pool[: i % len(pool)], n)
    return pa.table(columns, schema=schema)


def test_edge_values_of_every_type_are_written_as_before():
    for name, t in (("events", edge_events()), ("documents", edge_documents())):
        for rows in (1, 5, 17, t.num_rows):
            assert written(t, name, rows) == b"".join(reference_csv_chunks(t, name, rows)), rows


def test_each_edge_value_alone_in_its_column():
    """One value per table, in a column of nulls otherwise: nothing hides behind the rest of the column."""
    pools = {"string": TEXTS, "integer": INTEGERS, "number": NUMBERS, "date": DATES, "boolean": [True, False]}
    for f in tables()["events"].fields[5:]:  # trigger ... evidence: every type once at least
        for value in pools[f.type]:
            row = {g.name: None for g in tables()["events"].fields} | {f.name: value}
            t = pa.table({k: [v] for k, v in row.items()}, schema=tables()["events"].arrow_schema())
            assert csv_bytes(t, "events") == b"".join(reference_csv_chunks(t, "events", 1)), (f.name, value)


def test_tables_of_many_chunks_are_written_as_before():
    t = edge_events()
    pieces = pa.concat_tables([t.slice(0, 7), t.slice(7, 1), t.slice(8, 20), t.slice(28)])
    assert pieces.column("trigger").num_chunks == 4
    assert_same_csv(pieces, "events", batch_rows=6)
    sentences = make_table(
        "sentences", [{"doc_id": f"{i:016x}", "sentence_idx": i, "char_start": 0, "char_end": 1, "text": TEXTS[i % len(TEXTS)], "cut": False} for i in range(90)]
    )
    assert_same_csv(pa.concat_tables([sentences.slice(0, 45), sentences.slice(45)]), "sentences", batch_rows=10)


def test_a_table_of_one_column_writes_an_empty_cell_as_two_quotes():
    """Python's csv writes a line of one empty field as "" (a blank line would be no record)."""
    t = pa.table({"title": ["", None, "x", "=1", ","]}, schema=pa.schema([pa.field("title", pa.string())]))
    assert csv_bytes(t, "documents") == b'title\r\n""\r\n""\r\nx\r\n\'=1\r\n","\r\n'
    assert_same_csv(t, "documents", batch_rows=2)
    numbers = pa.table({"score": [None, 1.5]})
    assert csv_bytes(numbers, "mentions") == b'score\r\n""\r\n1.5\r\n'
    assert_same_csv(numbers, "mentions", batch_rows=1)


def test_empty_tables_and_subsets_of_columns():
    for name in tables():
        t = tables()[name].arrow_schema().empty_table()
        assert_same_csv(t, name)
    t = edge_events().select(["negated", "event_date", "trigger", "goldstein"])
    assert_same_csv(t, "events", batch_rows=4)
    assert_same_csv(edge_events().select([]), "events")


def test_every_character_is_quoted_and_neutralised_as_before():
    """All of Unicode (but surrogates, which UTF-8 cannot hold) alone, first and inside a cell."""
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    t = pa.table({"surface": chars, "entity_type": [c + "a" + c for c in chars]})
    assert written(t, "mentions", 400_000) == b"".join(reference_csv_chunks(t, "mentions", 400_000))


def test_columns_of_other_arrow_types_are_written_as_before():
    """Arrow types other than the schema's go cell by cell, as they did."""
    n = 12
    t = pa.table(
        {
            "doc_id": pa.array(cycle(TEXTS, n), pa.large_string()),
            "title": pa.array(cycle(TEXTS, n)).dictionary_encode(),
            "source_line": pa.array(cycle(INTEGERS[:5], n), pa.int32()),
            "n_chars": pa.array(cycle([0.0, 1.0, -2.0, None], n), pa.float64()),  # floats in an integer column
            "language_confidence": pa.array(cycle([1, None, -3, 0], n), pa.int64()),  # integers in a number column
            "published_at": pa.array(cycle(DATETIMES[1:-1], n), pa.timestamp("us", tz="+05:00")),
            "author": pa.array(cycle(TEXTS, n), pa.string_view()),
        }
    )
    assert_same_csv(t, "documents", batch_rows=5)
    scores = pa.table({"score": pa.array(cycle([0.1, None, 2.5, -0.0], n), pa.float32())})
    assert_same_csv(scores, "mentions", batch_rows=5)
    whole = [datetime(2025, 11, 28, 5, 0, 1, tzinfo=UTC), None, datetime(1969, 7, 20, 20, 17, 40, tzinfo=UTC)]
    seconds = pa.table({"published_at": pa.array(cycle(whole, n), pa.timestamp("s", tz="UTC"))})
    assert_same_csv(seconds, "documents", batch_rows=5)


def test_dates_and_datetimes_outside_four_digit_years_are_written_as_before():
    """Python pads a date's year to four digits, not strftime's: year 999 is written "999-..." as it was."""
    t = pa.table(
        {"published_at": pa.array([datetime(999, 12, 31, 23, 59, 59, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC), None], pa.timestamp("us", tz="UTC"))}
    )
    assert csv_bytes(t, "documents") == b'published_at\r\n999-12-31T23:59:59Z\r\n2025-01-01T00:00:00Z\r\n""\r\n'
    assert_same_csv(t, "documents", batch_rows=1)
    days = pa.table({"event_date": pa.array([date(1, 1, 1), date(999, 1, 2), None], pa.date32())})
    assert csv_bytes(days, "events") == b'event_date\r\n0001-01-01\r\n0999-01-02\r\n""\r\n'


# --- Values that cannot be written ---------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_non_finite_number_raises_as_before_and_leaves_no_file(bad, tmp_path):
    t = edge_events(10)
    confidence = t.column("confidence").to_pylist()
    confidence[6] = bad
    t = t.set_column(t.schema.get_field_index("confidence"), "confidence", pa.array(confidence, pa.float64()))
    assert outcome(reference_csv_chunks(t, "events", 10))[1] == ("ReleaseError", f"cannot write non-finite number {bad!r} to CSV")
    for compress in (False, True):
        with pytest.raises(ReleaseError, match=f"cannot write non-finite number {bad!r} to CSV"):
            write.write_csv(t, "events", tmp_path / "events.csv", compress=compress, batch_rows=2)
        assert list(tmp_path.iterdir()) == []


def test_the_first_bad_cell_in_row_order_is_the_one_reported(tmp_path):
    t = edge_events(10)
    goldstein, confidence = t.column("goldstein").to_pylist(), t.column("confidence").to_pylist()
    goldstein[5], confidence[4], confidence[5] = math.inf, math.nan, -math.inf  # row 4 comes first
    t = t.set_column(t.schema.get_field_index("goldstein"), "goldstein", pa.array(goldstein, pa.float64()))
    t = t.set_column(t.schema.get_field_index("confidence"), "confidence", pa.array(confidence, pa.float64()))
    assert outcome(reference_csv_chunks(t, "events", 10))[1] == ("ReleaseError", "cannot write non-finite number nan to CSV")
    with pytest.raises(ReleaseError, match="^cannot write non-finite number nan to CSV$"):
        write.write_csv(t, "events", tmp_path / "events.csv", compress=False, batch_rows=10)
    # A column that is not of its declared kind (here numbers for text) is refused by name
    # (the per-cell writer failed on it with an AttributeError).
    wrong = pa.table({"title": pa.array([1, 2], pa.int64())})
    with pytest.raises(ReleaseError, match="documents.title: a column of int64 cannot be written as string"):
        write.write_csv(wrong, "documents", tmp_path / "documents.csv", compress=False, batch_rows=2)


# --- Random tables --------------------------------------------------------------

optional = lambda s: st.one_of(st.none(), s)  # noqa: E731
TEXT = st.one_of(st.text(max_size=12), st.text(alphabet=st.sampled_from(list(",\"\r\n'=+-@\t \uff1da") + ["Қ", "😀"]), max_size=6))
FLOAT = st.floats(allow_nan=False, allow_infinity=False)
ROW = st.fixed_dictionaries(
    {
        "trigger": optional(TEXT),
        "sentence_idx": optional(st.integers(-(2**63), 2**63 - 1)),
        "goldstein": optional(FLOAT),
        "event_date": optional(st.dates()),
        "negated": optional(st.booleans()),
        "evidence": optional(TEXT),
        "confidence": optional(st.sampled_from([0.0, -0.0, 0.5, 1.0, 0.1]) | FLOAT),
    }
)
STAMPED = st.fixed_dictionaries(
    {"title": optional(TEXT), "published_at": optional(st.datetimes(timezones=st.just(UTC))), "language_confidence": optional(FLOAT)}
)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(ROW, max_size=25), batch_rows=st.integers(1, 30))
def test_random_event_tables_are_written_as_before(rows, batch_rows):
    names = ["trigger", "sentence_idx", "goldstein", "event_date", "negated", "evidence", "confidence"]
    schema = pa.schema([tables()["events"].field(k).arrow_field() for k in names])
    t = pa.Table.from_pylist(rows, schema=schema)
    assert written(t, "events", batch_rows) == b"".join(reference_csv_chunks(t, "events", batch_rows))


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(STAMPED, max_size=25), batch_rows=st.integers(1, 30))
def test_random_document_tables_are_written_as_before(rows, batch_rows):
    schema = pa.schema([tables()["documents"].field(k).arrow_field() for k in ("title", "published_at", "language_confidence")])
    t = pa.Table.from_pylist(rows, schema=schema)
    assert written(t, "documents", batch_rows) == b"".join(reference_csv_chunks(t, "documents", batch_rows))


def test_formula_prefixes_are_single_characters():
    """The writer looks formula-like text up by its first character."""
    assert all(len(p) == 1 for p in FORMULA_PREFIXES)
