"""steppe diff: an added article and an edited one are reported as exactly that."""

import json
import tracemalloc
from datetime import date, datetime, timezone
from pathlib import Path

import changes_reference as reference  # tests/changes_reference.py: the row-by-row diff as it was
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steppe import cli
from steppe.analyse import document as pipeline
from steppe.gate.validate import validate_tables
from steppe.ingest.read import RawDocument
from steppe.publish import changes, diff, release
from steppe.publish import plan as release_plan
from steppe.publish.diff import diff_releases
from steppe.publish.layout import read_table
from steppe.publish.write import (
    json_bytes,
    partition_labels,
    write_json,
    write_parquet_dataset,
)
from steppe.schema import tables
from steppe.tables import assemble
from steppe.tables.arrow import make_table


def json_text(data) -> str:
    return json_bytes(data).decode("utf-8")


A = "O presidente do Cazaquistão, Toqaev, recebe Putin em Astana. Os dois discutem petróleo e gás."
B = "Putin visita Astana. Toqaev elogia a cooperação em energia nuclear com a Rússia."
B_EDITED = "Putin visita Astana. Toqaev critica a Rússia pelo atraso no fornecimento de gás."
C = "A Rosatom assina um acordo com o Cazaquistão para construir uma usina nuclear."


def raw(text, name):
    return RawDocument(name, 1, None, text, "utf-8", None, None, None, None, datetime(2025, 11, 28, tzinfo=timezone.utc), "pt")


def publish(out, articles, version):
    docs = pipeline.identify_documents([raw(t, n) for n, t in articles])
    tables = assemble.build_tables(docs, pipeline.process_batch(docs), [], text_policy="full")
    plan = release_plan.plan_release(out, [], "full", version=version, force=True)
    return release.publish(tables, validate_tables(tables), out_dir=out, plan=plan, inputs=[], text_policy="full").path


def test_one_added_and_one_edited_article(tmp_path, capsys):
    old = publish(tmp_path, [("a.txt", A), ("b.txt", B)], "2025.11.28")
    new = publish(tmp_path, [("a.txt", A), ("b.txt", B_EDITED), ("c.txt", C)], "2025.11.29")
    changes = diff_releases(old, new, old_version="2025.11.28", new_version="2025.11.29")
    documents = changes["tables"]["documents"]
    assert len(documents["added"]) == 2 and len(documents["removed"]) == 1  # by ID: B's text changed
    (edited,) = documents["replaced"]
    assert edited["from"] == documents["removed"][0]
    assert "text_sha256" in edited["columns"]
    assert changes["summary"].startswith("Since 2025.11.28: documents +1, 1 edited")
    assert cli.main(["diff", "2025.11.28", "2025.11.29", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "documents +1, 1 edited" in printed
    assert "- edited (1), listed above as one removed and one added:" in printed


def test_a_recoded_event_is_reported_with_its_codes():
    from steppe.publish.changes import summarise

    changes = {
        "from": "2025.11.28",
        "to": "2025.11.29",
        "tables": {
            "events": {
                "added": ["e2", "e3"], "removed": ["e1"], "changed": [],
                "replaced": [{"from": "e1", "to": "e2", "columns": ["cameo_code"], "cameo_from": "040", "cameo_to": "043"}],
            }
        },
    }
    assert summarise(changes) == "Since 2025.11.28: events +1, 1 recoded (040 -> 043 x1)."


# --- The column-wise diff gives exactly what the row-by-row one gave ----------------
#
# tests/changes_reference.py is steppe.publish.changes as it was, building a {key: row
# dict} of both releases. Every case below runs both and wants the same output,
# to the type of every value (repr tells a list from a tuple, 1 from 1.0 and
# True from 1), or the same exception.

UTC = timezone.utc
DEFAULTS = {"string": "x", "integer": 0, "number": 0.5, "boolean": False, "datetime": datetime(2025, 11, 28, tzinfo=UTC), "date": date(2025, 11, 28)}


def row(table: str, **values) -> dict:
    r = {f.name: DEFAULTS[f.type] for f in tables()[table].fields}
    r.update(values)
    return r


def rows(table: str, *many: dict) -> pa.Table:
    return make_table(table, [row(table, **r) for r in many])


def outcome(fn, *args):
    """What fn returns, or the class of the exception it raises."""
    try:
        return fn(*args)
    except Exception as exc:  # the reference's own failures (a null key that cannot sort) must be the same
        return type(exc)


def plain(value):
    """A diff with its KeyLists as the lists they stand for (repr tells 1 from 1.0 and from True)."""
    if isinstance(value, changes.KeyList):
        return list(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def assert_same(old, new, table=None, *, key=None, place=None):
    """diff_table (and pair_replacements where rows have a place) equal the reference's; returns the diff."""
    key = key or tables()[table].primary_key
    place = place or diff._SAME_PLACE.get(table)
    expected, got = outcome(reference.diff_table, old, new, key), outcome(diff.diff_table, old, new, key)
    assert repr(plain(got)) == repr(expected)
    if place and isinstance(expected, dict):
        expected_pairs = outcome(reference.pair_replacements, old, new, key, expected, place)
        got_pairs = outcome(diff.pair_replacements, old, new, key, expected, place)
        assert repr(got_pairs) == repr(expected_pairs)
        # and from its own diff, whose key lists are KeyLists found in Arrow
        assert repr(outcome(diff.pair_replacements, old, new, key, got, place)) == repr(expected_pairs)
        expected["replaced"] = expected_pairs
    return expected


DOCS = [row("documents", doc_id=f"d{i}", source_file=f"f{i % 3}.jsonl", source_line=i, author=None if i % 2 else f"A{i}") for i in range(8)]
ROWS_OF = {
    "documents": DOCS,
    "sentences": [row("sentences", doc_id=f"d{i % 3}", sentence_idx=i, text=None if i == 4 else f"s{i}") for i in (9, 10, 1, 2, 0, 11)],
    "entities": [row("entities", entity_id=f"Q{i}", latitude=None if i == 1 else float(i), longitude=None if i == 2 else 1.0) for i in (3, 1, 2)],
    "entity_roles": [row("entity_roles", entity_id="Q1", role="president", role_of="KAZ", start_date=date(2019, 3, d), end_date=None if d == 20 else date(2022, 1, d)) for d in (20, 2, 11)],
    "entity_names": [row("entity_names", entity_id="Q1", name=n) for n in ("Токаев", "Tokayev", "Toqaev", "Ṭoqaev", "toqaev", "😀", "", "Z", "é")],
    "mentions": [row("mentions", mention_id=f"m{i}", entity_id=None if i % 3 == 0 else "Q1", score=i / 3) for i in range(10, 0, -1)],
    "events": [row("events", event_id=f"e{i}", doc_id=f"d{i % 2}", char_start=i, cameo_code="040", event_date=date(2025, 1, i + 1)) for i in range(6)],
    "event_mentions": [row("event_mentions", event_id=f"e{i // 2}", doc_id=f"d{i // 2 % 2}", char_start=10 * i, sentence_idx=i % 2) for i in range(5)],
    "sector_mentions": [row("sector_mentions", sector_mention_id=f"s{i}", event_id=None if i else "e1") for i in range(4)],
    "sector_summary": [row("sector_summary", month=m, sector_code=s, country_pair=p) for m in ("2025-01", "unknown") for s in ("energy", "mining") for p in ("KAZ-RUS", "CHN-KAZ")],
    "rejected": [row("rejected", source_file=f, source_line=n) for f in ("b.bin", "a.txt") for n in (10, 2)],
}


@pytest.mark.parametrize("table", list(tables()))
def test_first_release_identical_and_one_row_changed_per_table(table):
    t = make_table(table, ROWS_OF[table])
    shuffled = t.take(pa.array(list(range(t.num_rows))[::-1]))  # a table in any order
    assert assert_same(None, t, table)["added"]
    assert assert_same(None, shuffled, table)["added"]
    assert assert_same(t, t, table)["changed"] == []
    assert assert_same(t, shuffled, table)["changed"] == []
    assert assert_same(t.slice(1), t, table)["added"] and assert_same(t, t.slice(0, t.num_rows - 1), table)["removed"]
    pylist = t.to_pylist()
    spec = tables()[table]
    for column in spec.field_names:
        if column in spec.primary_key:
            continue
        for value in (None, "y", 7, 2.5, True, date(2024, 2, 29), datetime(2024, 2, 29, 12, tzinfo=UTC)):
            edited = [dict(r) for r in pylist]
            edited[1][column] = value
            try:
                new = make_table(table, edited)
            except ValueError:
                continue  # not a value of this column's type
            assert_same(t, new, table)
            assert_same(new, t, table)


def test_nulls_nan_and_dates_change_as_python_compares_them():
    old = rows("entities", dict(entity_id="a", latitude=None), dict(entity_id="b", latitude=1.0), dict(entity_id="c", latitude=float("nan")),
               dict(entity_id="d", latitude=-0.0), dict(entity_id="e", latitude=None))
    new = rows("entities", dict(entity_id="a", latitude=1.0), dict(entity_id="b", latitude=None), dict(entity_id="c", latitude=float("nan")),
               dict(entity_id="d", latitude=0.0), dict(entity_id="e", latitude=None))
    result = assert_same(old, new, "entities")
    assert [c["key"] for c in result["changed"]] == ["a", "b", "c"]  # null -> value, value -> null, NaN != NaN; -0.0 == 0.0 and null == null
    old = rows("entity_roles", dict(start_date=date(2020, 1, 1), end_date=None), dict(start_date=date(2019, 12, 31), end_date=date(2021, 1, 1)))
    new = rows("entity_roles", dict(start_date=date(2020, 1, 1), end_date=date(2021, 1, 1)), dict(start_date=date(2021, 1, 1)))
    result = assert_same(old, new, "entity_roles")
    assert result["added"] == [["x", "x", "x", "2021-01-01"]] and result["changed"][0]["key"] == ["x", "x", "x", "2020-01-01"]
    docs = rows("documents", dict(doc_id="a", published_at=None), dict(doc_id="b"))
    later = rows("documents", dict(doc_id="a"), dict(doc_id="b", published_at=datetime(2025, 11, 28, 0, 0, 1, tzinfo=UTC)))
    assert [c["columns"] for c in assert_same(docs, later, "documents")["changed"]] == [["published_at"], ["published_at"]]
    assert assert_same(None, later, key=("published_at", "doc_id"))["added"] == [["2025-11-28T00:00:00+00:00", "a"], ["2025-11-28T00:00:01+00:00", "b"]]
    assert assert_same(None, docs, key=("published_at", "doc_id")) is TypeError  # None < datetime: Python cannot sort them


def test_keys_sort_as_python_sorts_them():
    names = ["b", "a", "Z", "é", "😀", "", "ab", "a b", "\uffff", "Ω", "z"]
    t = rows("entity_names", *[dict(entity_id=e, name=n) for e in ("Q2", "Q10", "Q1") for n in names])
    assert assert_same(None, t, "entity_names")["added"] == sorted([[e, n] for e in ("Q2", "Q10", "Q1") for n in names])
    s = rows("sentences", *[dict(doc_id="d", sentence_idx=i) for i in (10, 9, 100, 0, -1)])
    assert assert_same(None, s, "sentences")["added"] == [["d", -1], ["d", 0], ["d", 9], ["d", 10], ["d", 100]]


def test_columns_only_one_release_has_and_other_types():
    docs = make_table("documents", DOCS)
    assert all(c["columns"] == ["author"] for c in assert_same(docs.drop_columns(["author"]), docs, "documents")["changed"])
    assert all(c["columns"] == ["author"] for c in assert_same(docs, docs.drop_columns(["author"]), "documents")["changed"])
    extra = docs.append_column("retired", pa.array([1] * docs.num_rows))
    assert_same(extra, docs, "documents")
    assert_same(docs, extra.drop_columns(["title"]), "documents")
    reordered = docs.select(list(reversed(docs.column_names)))
    assert assert_same(reordered, docs, "documents")["changed"] == []
    assert assert_same(docs, reordered, "documents")["changed"] == []
    # A column stored as another type (int64 and float64: 1 == 1.0 in Python), or dictionary-encoded.
    as_float = docs.set_column(docs.schema.get_field_index("n_chars"), "n_chars", pc.cast(docs.column("n_chars"), pa.float64()))
    assert assert_same(as_float, docs, "documents")["changed"] == []
    halves = pa.array([x + 0.5 if i == 3 else float(x) for i, x in enumerate(docs.column("n_chars").to_pylist())])
    assert len(assert_same(docs.set_column(docs.schema.get_field_index("n_chars"), "n_chars", halves), docs, "documents")["changed"]) == 1
    encoded = docs.set_column(docs.schema.get_field_index("publisher"), "publisher", pc.dictionary_encode(docs.column("publisher")))
    assert assert_same(encoded, docs, "documents")["changed"] == []
    # List-typed columns compare as Python lists.
    tags = [["a"], None, [], ["a", "b"], ["b"], ["a"], None, []]
    with_tags = docs.append_column("tags", pa.array(tags, pa.list_(pa.string())))
    retagged = docs.append_column("tags", pa.array(tags[:3] + [["a", "c"]] + tags[4:7] + [None], pa.list_(pa.string())))
    assert [c["key"] for c in assert_same(with_tags, retagged, "documents")["changed"]] == ["d3", "d7"]
    # More columns than bits in a machine word.
    wide = pa.table({"k": ["a", "b", "c"], **{f"c{i}": [i, i, None] for i in range(70)}})
    rewide = pa.table({"k": ["a", "b", "c"], **{f"c{i}": [i, i + (i % 9 == 0), i if i > 64 else None] for i in range(70)}})
    assert [len(c["columns"]) for c in assert_same(wide, rewide, key=("k",))["changed"]] == [8, 5]
    # Nanosecond timestamps, and a timestamp in another time zone (the same instant).
    ns = docs.set_column(docs.schema.get_field_index("published_at"), "published_at", pc.cast(docs.column("published_at"), pa.timestamp("ns", tz="UTC")))
    assert_same(docs, ns, "documents")
    other_zone = docs.set_column(docs.schema.get_field_index("published_at"), "published_at", pc.cast(docs.column("published_at"), pa.timestamp("us", tz="Asia/Almaty")))
    assert assert_same(docs, other_zone, "documents")["changed"] == []


def test_duplicate_unsorted_chunked_and_empty_tables():
    t = make_table("sentences", ROWS_OF["sentences"])
    twice = pa.concat_tables([t, t.slice(2, 2).set_column(4, "text", pa.array(["again", None], pa.string())), t.slice(0, 1)])
    assert twice.column(0).num_chunks == 3
    assert_same(t, twice, "sentences")
    assert_same(twice, t, "sentences")
    assert_same(twice, twice, "sentences")
    assert assert_same(None, twice, "sentences")["rows_after"] == t.num_rows
    empty = t.slice(0, 0)
    for old, new in ((empty, t), (t, empty), (empty, empty), (None, empty)):
        assert_same(old, new, "sentences")
    assert_same(pa.table({"unrelated": pa.array([], pa.int64())}), t, "sentences")  # an empty old table needs no key columns
    assert assert_same(pa.table({"unrelated": [1]}), t, "sentences") is KeyError  # one with rows does


def test_keys_arrow_cannot_stand_for_python_are_compared_in_python():
    t = make_table("sentences", ROWS_OF["sentences"])
    narrow = t.set_column(1, "sentence_idx", pc.cast(t.column("sentence_idx"), pa.int32()))
    assert_same(narrow, t, "sentences")
    assert_same(narrow.slice(2), t.slice(0, 4), "sentences")
    as_text = t.set_column(1, "sentence_idx", pc.cast(t.column("sentence_idx"), pa.string()))
    assert_same(as_text, t, "sentences")  # "1" is not 1: every row removed and added
    # A null in a key: equal to another null, and sorting fails where Python's does.
    nullable = pa.schema([pa.field("doc_id", pa.string()), pa.field("sentence_idx", pa.int64()), pa.field("text", pa.string())])
    old = pa.table({"doc_id": ["a", None, "b", None], "sentence_idx": [1, 2, None, 3], "text": ["x", "y", "z", "w"]}, schema=nullable)
    new = pa.table({"doc_id": ["a", None, "b", "c"], "sentence_idx": [1, 2, None, None], "text": ["x", "Y", "z", "w"]}, schema=nullable)
    assert_same(old, new, key=("doc_id", "sentence_idx"))
    assert_same(None, new, key=("doc_id", "sentence_idx"))
    clash = pa.table({"doc_id": ["a", "a"], "sentence_idx": [1, None], "text": ["x", "y"]}, schema=nullable)
    assert assert_same(None, clash, key=("doc_id", "sentence_idx")) is TypeError  # 1 < None
    floats = pa.table({"k": [1.0, float("nan"), -0.0, 2.5], "v": [1, 2, 3, 4]})
    assert_same(floats, pa.table({"k": [0.0, float("nan"), 2.5], "v": [3, 2, 5]}), key=("k",))


def event(event_id, doc_id="d1", char_start=0, cameo_code="040", **values):
    return dict(event_id=event_id, doc_id=doc_id, char_start=char_start, cameo_code=cameo_code, **values)


def test_replaced_rows_are_paired_as_before():
    old = rows("events", event("e1"), event("e2", char_start=5), event("e3", char_start=9, trigger="visita"), event("e4", doc_id="d2"),
               event("e5", doc_id="d2", char_start=3), event("e6", char_start=12, source_text=None))
    new = rows("events", event("f1", cameo_code="043"), event("e2", char_start=5), event("f3", char_start=9, trigger="visitou", cameo_code="042"),
               event("f4", doc_id="d2", cameo_code="040"), event("f4b", doc_id="d2", cameo_code="051"), event("f7", doc_id="d3"),
               event("f6", char_start=12, source_text="Putin"))
    result = assert_same(old, new, "events")
    assert [(p["from"], p["to"], p.get("cameo_to")) for p in result["replaced"]] == [
        ("e1", "f1", "043"), ("e3", "f3", "042"), ("e4", "f4", "040"), ("e4", "f4b", "051"), ("e6", "f6", "040")]
    # Two removed rows in one place: the last one in the table counts.
    twice = pa.concat_tables([rows("events", event("e0")), old])
    assert_same(twice, new, "events")
    assert_same(old.drop_columns(["source_text"]), new, "events")  # None != "Putin", None != None
    assert outcome(diff.pair_replacements, old.drop_columns(["cameo_code"]), new, ("event_id",), result, ("doc_id", "char_start")) is KeyError
    assert outcome(reference.pair_replacements, old.drop_columns(["cameo_code"]), new, ("event_id",), result, ("doc_id", "char_start")) is KeyError
    docs = make_table("documents", DOCS)
    edited = docs.set_column(0, "doc_id", pa.array([f"n{i}" if i in (1, 4) else f"d{i}" for i in range(8)]))
    edited = edited.set_column(edited.schema.get_field_index("text_sha256"), "text_sha256", pa.array(["h"] * 8))
    result = assert_same(docs, edited, "documents")
    assert [(p["from"], p["to"]) for p in result["replaced"]] == [("d1", "n1"), ("d4", "n4")]
    # Places with a null: null stands where null stood.
    nullable = pa.table({"k": ["a", "b", "c"], "p": [None, 1, 2], "cameo_code": ["1", "2", "3"]})
    assert_same(nullable, pa.table({"k": ["x", "y", "c"], "p": [None, 1, 2], "cameo_code": ["1", "9", "3"]}), key=("k",), place=("p",))
    # A compound key (a list in changes.json, its text sorts the pairs).
    compound = pa.table({"k": ["a", "a", "b"], "n": [1, 2, 1], "p": [1, 2, 3]})
    assert_same(compound, pa.table({"k": ["a", "c", "b"], "n": [10, 2, 1], "p": [1, 2, 3]}), key=("k", "n"), place=("p",))


def write_release(folder: Path, built: dict[str, pa.Table], partitioned=()) -> Path:
    (folder / "parquet").mkdir(parents=True)
    for name, t in built.items():
        if name in partitioned:
            write_parquet_dataset(t, folder / "parquet" / name, partition_labels(name, t, built["documents"]), 2)
        else:
            pq.write_table(t, folder / "parquet" / f"{name}.parquet")
    return folder


def assert_same_releases(old_dir, new_dir):
    kw = dict(old_version=old_dir.name if old_dir else None, new_version=new_dir.name)
    try:
        expected = reference.diff_releases(old_dir, new_dir, **kw)
    except FileNotFoundError as exc:
        with pytest.raises(FileNotFoundError, match=str(exc).replace("(", r"\(").replace(")", r"\)")):
            diff.diff_releases(old_dir, new_dir, **kw)
        return None
    got = diff.diff_releases(old_dir, new_dir, **kw)
    assert repr(plain(got)) == repr(expected)
    assert json.loads(json_text(got)) == json.loads(json.dumps(expected))
    assert changes.render_changes_md(got) == reference.render_changes_md(expected)
    # The same from the new release's tables in hand, as a run diffs the release it writes.
    in_hand = {name: read_table(new_dir, name) for name in tables()}
    assert json_text(diff.diff_releases(old_dir, new_dir, **kw, new_tables=in_hand)) == json_text(got)
    return got



def test_published_columns_read_a_column_at_a_time_as_the_whole_table_reads(tmp_path, monkeypatch):
    """The diff reads each release's table a column at a time: the same columns (a partitioned
    table's in key order) as read_table gives, a column only when asked for, and only the key kept."""
    from steppe.publish.layout import read_table

    built = {name: make_table(name, ROWS_OF[name]) for name in tables()}
    folder = write_release(tmp_path / "r", built, partitioned=("events",))
    reads: list[list[str]] = []
    original = diff.PublishedColumns._read

    def counted(self, names):
        reads.append(list(names))
        return original(self, names)

    monkeypatch.setattr(diff.PublishedColumns, "_read", counted)
    for name in ("events", "mentions"):
        whole = read_table(folder, name)
        key = tables()[name].primary_key
        lazy = diff.PublishedColumns.of(folder, name, key)
        reads.clear()
        assert list(lazy) == whole.column_names and len(lazy) == len(whole.column_names) and lazy.num_rows == whole.num_rows
        assert all(c in lazy for c in whole.column_names) and "no such column" not in lazy and reads == []
        for column in whole.column_names:
            assert lazy[column].to_pylist() == whole.column(column).to_pylist()
        assert lazy._kept.keys() == set(key)
        assert sorted(map(tuple, reads)) == sorted((c,) for c in whole.column_names)  # each column read once, the key too
        with pytest.raises(KeyError):
            lazy["no such column"]
    assert diff.PublishedColumns.of(None, "events", ("event_id",)) is None
    assert diff.PublishedColumns.of(tmp_path / "nowhere", "events", ("event_id",)) is None


def test_whole_releases_in_either_layout_and_with_a_table_missing(tmp_path):
    built = {name: make_table(name, ROWS_OF[name]) for name in tables()}
    edited = dict(built)
    edited["documents"] = built["documents"].slice(1).set_column(7, "author", pa.array(["B"] * 7))
    edited["events"] = rows("events", *[event(f"r{i}", doc_id=f"d{i % 2}", char_start=i, cameo_code="057") for i in range(4)])
    edited["entity_names"] = built["entity_names"].slice(0, 5)
    old = write_release(tmp_path / "old", built)
    new = write_release(tmp_path / "new", edited, partitioned=("documents", "sentences", "events", "sector_summary"))
    assert "recoded" in assert_same_releases(old, new)["summary"]
    assert_same_releases(new, old)
    assert_same_releases(None, new)
    assert_same_releases(new, new)
    (old / "parquet" / "entity_roles.parquet").unlink()  # a release from before the table existed
    assert assert_same_releases(old, new)["tables"]["entity_roles"]["rows_before"] == 0
    assert assert_same_releases(new, old) is None  # the new release lacks a table: both refuse it
    (new / "parquet" / "entity_roles.parquet").unlink()  # two releases from before the table existed
    assert "entity_roles" not in assert_same_releases(old, new)["tables"]
    assert assert_same_releases(None, new) is None  # a first release must have every table


RELEASES = Path(__file__).resolve().parents[1] / "data" / "processed" / "releases"
COMMITTED = ["2026.11.27", "2026.11.27.1", "2026.11.27.2"]


@pytest.mark.parametrize("old", [None] + COMMITTED)
@pytest.mark.parametrize("new", COMMITTED)
def test_committed_releases_diff_as_before(old, new):
    assert_same_releases(RELEASES / old if old else None, RELEASES / new)


@pytest.mark.parametrize("old, new", [("2026.11.27", "2026.11.27.1"), ("2026.11.27.1", "2026.11.27.2")])
def test_committed_changes_files_are_reproduced_byte_for_byte(old, new):
    got = diff.diff_releases(RELEASES / old, RELEASES / new, old_version=old, new_version=new)
    assert json_bytes(got) == json_bytes(json.loads((RELEASES / new / "changes.json").read_bytes()))  # keys now sorted
    assert changes.render_changes_md(got).encode("utf-8") == (RELEASES / new / "CHANGES.md").read_bytes()


KEYS = st.sampled_from(["a", "b", "é", "Z", "😀", ""])
VALUES = {
    "v": st.none() | st.integers(-2, 2),
    "s": st.none() | st.sampled_from(["", "x", "é"]),
    "f": st.none() | st.sampled_from([0.0, -0.0, 1.5, float("nan"), float("inf")]),
    "d": st.none() | st.dates(date(2024, 1, 1), date(2024, 1, 3)),
    "p": st.integers(0, 3),
    "cameo_code": st.sampled_from(["040", "043"]),
}
TYPES = {"k": pa.string(), "n": pa.int64(), "v": pa.int64(), "s": pa.string(), "f": pa.float64(), "d": pa.date32(), "p": pa.int64(), "cameo_code": pa.string()}
ROW = st.fixed_dictionaries({"k": KEYS, "n": st.integers(0, 2), **VALUES})


def as_table(generated: list[dict], drop: list[str]) -> pa.Table:
    names = [c for c in TYPES if c not in drop]
    return pa.table({c: pa.array([r[c] for r in generated], TYPES[c]) for c in names})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    old=st.none() | st.lists(ROW, max_size=8),
    new=st.lists(ROW, max_size=8),
    drop_old=st.lists(st.sampled_from(["v", "s", "f", "d", "cameo_code"]), max_size=2),
    drop_new=st.lists(st.sampled_from(["v", "s", "f", "d"]), max_size=1),
    compound=st.booleans(),
)
def test_random_small_tables_diff_as_before(old, new, drop_old, drop_new, compound):
    old_table = as_table(old, drop_old) if old is not None else None
    assert_same(old_table, as_table(new, drop_new), key=("k", "n") if compound else ("k",), place=("p",))


def test_the_usual_tables_take_the_arrow_path_and_hold_no_rows_as_python_objects():
    n = 100_000
    t = pa.table({
        "mention_id": pa.array([f"m{i:07d}" for i in range(n)]),
        "doc_id": pa.array([f"d{i // 50:05d}" for i in range(n)]),
        "score": pa.array([i / 7 for i in range(n)]),
        "entity_id": pa.array([None if i % 5 else f"Q{i % 300}" for i in range(n)]),
    })
    changed = t.set_column(2, "score", pc.if_else(pc.equal(pc.bit_wise_and(pc.cast(pa.array(range(n)), pa.int64()), 1023), 0), 0.0, t.column("score")))
    keys = diff._number_keys([[t.column("mention_id")], [changed.column("mention_id")]], [n, n])
    assert keys.python is None
    tracemalloc.start()
    result = diff.diff_table(t, changed, ("mention_id",))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(result["changed"]) == 97
    assert peak < 16 * 2**20  # the row-by-row diff held some 100 MB of row dicts here


# --- KeyList: listed keys kept in Arrow, read as the list they stand for -----------------------


def test_a_key_list_reads_as_its_list(monkeypatch):
    monkeypatch.setattr(changes, "KEYS_PER_SLICE", 3)
    dates = pa.chunked_array([[date(2025, 1, 2), date(2025, 1, 1)], [date(2024, 12, 31)]], pa.date32())
    for columns, expected in (
        ([pa.chunked_array([["b", "a"], ["é", "c", "😀"]])], ["b", "a", "é", "c", "😀"]),
        ([pa.chunked_array([["d", "d", "e"]]), pa.chunked_array([[0, 1], [-1]])], [["d", 0], ["d", 1], ["e", -1]]),
        ([dates], ["2025-01-02", "2025-01-01", "2024-12-31"]),
    ):
        keys = changes.KeyList(columns)
        assert len(keys) == len(expected) and bool(keys)
        assert list(keys) == expected and keys == expected and expected == keys and keys == changes.KeyList(columns)
        assert keys != expected[:-1] and keys != expected + expected[:1] and (keys == "abc") is False
        assert [k for part in keys.slices() for k in part] == expected and all(len(p) <= 3 for p in keys.slices())
        assert [list(p) for p in keys.slices(1)] == [[k] for k in expected]
        for i in range(-len(expected), len(expected)):
            assert keys[i] == expected[i]
        for bad in (len(expected), -len(expected) - 1):
            with pytest.raises(IndexError):
                keys[bad]
        for s in (slice(None, 2), slice(1, None), slice(-2, None), slice(4, 1), slice(None, None, 2), slice(None, None, -1), slice(0, 100)):
            assert keys[s] == expected[s]
    empty = changes.KeyList([pa.chunked_array([], pa.string())])
    assert len(empty) == 0 and not empty and empty == [] and list(empty.slices()) == []


def test_a_first_release_lists_its_keys_as_key_lists_written_slice_by_slice(tmp_path, monkeypatch):
    monkeypatch.setattr(changes, "KEYS_PER_SLICE", 2)
    built = {name: make_table(name, ROWS_OF[name]) for name in tables()}
    new = write_release(tmp_path / "new", built)
    got = diff.diff_releases(None, new, old_version=None, new_version="new")
    listed = [t["added"] for t in got["tables"].values() if len(t["added"]) > 2]
    assert listed and all(isinstance(k, changes.KeyList) for k in listed)
    expected = reference.diff_releases(None, new, old_version=None, new_version="new")
    write_json(tmp_path / "changes.json", got)
    assert json.loads((tmp_path / "changes.json").read_text(encoding="utf-8")) == json.loads(json.dumps(expected))
    assert json_text({"nested": [got["tables"]["mentions"]["added"]]}) == json_text({"nested": [expected["tables"]["mentions"]["added"]]})


def test_a_first_release_in_key_order_lists_its_keys_without_numbering_them(monkeypatch):
    """Keys in increasing order (as a release writes its tables) are listed as they are; keys out
    of order, repeated, null, or of a type Arrow orders otherwise than Python, are numbered first."""
    tables_ = {
        "in order": (pa.table({"k": ["a", "b", "é"], "v": [1, 2, 3]}), ("k",)),
        "compound in order": (pa.table({"k": ["a", "a", "b"], "n": [2, 3, 1], "v": [1, 2, 3]}), ("k", "n")),
    }
    others = {
        "out of order": (pa.table({"k": ["b", "a"], "v": [1, 2]}), ("k",)),
        "repeated": (pa.table({"k": ["a", "a", "b"], "v": [1, 2, 3]}), ("k",)),
        "compound repeated": (pa.table({"k": ["a", "a"], "n": [1, 1], "v": [1, 2]}), ("k", "n")),
        "null": (pa.table({"k": ["a", None], "v": [1, 2]}), ("k",)),
        "float": (pa.table({"k": [0.5, 1.5], "v": [1, 2]}), ("k",)),
    }
    numbered = []
    original = diff._number_keys
    monkeypatch.setattr(diff, "_number_keys", lambda *a: numbered.append(1) or original(*a))
    for name, (t, key) in {**tables_, **others}.items():
        numbered.clear()
        assert_same(None, t, key=key)
        assert bool(numbered) is (name in others), name


def test_a_run_diffs_the_tables_in_hand_and_reads_back_only_those_out_of_key_order(tmp_path, monkeypatch):
    built = {name: make_table(name, ROWS_OF[name]) for name in tables()}
    edited = dict(built, documents=built["documents"].slice(1))
    old = write_release(tmp_path / "old", built)
    new = write_release(tmp_path / "new", edited, partitioned=("documents", "events"))
    expected = json_text(diff.diff_releases(old, new, old_version="old", new_version="new"))
    read_back = []
    original = diff.PublishedColumns.of
    monkeypatch.setattr(diff.PublishedColumns, "of", lambda d, name, key: (d == new and read_back.append(name)) or original(d, name, key))
    assert json_text(diff.diff_releases(old, new, old_version="old", new_version="new", new_tables=edited)) == expected
    assert read_back == []
    # Rows out of key order: that table is read back from the files, which are in key order.
    docs = edited["documents"]
    backwards = dict(edited, documents=docs.take(list(range(docs.num_rows))[::-1]))
    assert json_text(diff.diff_releases(old, new, old_version="old", new_version="new", new_tables=backwards)) == expected
    assert read_back == ["documents"]


_DIFF_INCREASING = diff._diff_increasing


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    old=st.lists(ROW, max_size=10),
    new=st.lists(ROW, max_size=10),
    compound=st.booleans(),
    slice_rows=st.integers(1, 4),
)
def test_releases_in_key_order_are_matched_a_slice_at_a_time_as_before(old, new, compound, slice_rows, monkeypatch):
    """Keys in increasing order on both sides (as releases are written) take the sliced merge:
    the diff is the reference's whatever the slices."""
    key = ("k", "n") if compound else ("k",)

    def in_key_order(generated):
        by_key = {tuple(r[c] for c in key): r for r in generated}
        return as_table([by_key[k] for k in sorted(by_key)], [])

    monkeypatch.setattr(diff, "MATCH_SLICE", slice_rows)
    taken = []
    monkeypatch.setattr(diff, "_diff_increasing", lambda *a: taken.append(1) or _DIFF_INCREASING(*a))
    old_table, new_table = in_key_order(old), in_key_order(new)
    assert_same(old_table, new_table, key=key, place=("p",))
    assert bool(taken) is (old_table.num_rows > 0 and new_table.num_rows > 0)
