"""Large releases: Parquet partitioned by publication year and month, gzip CSV, read back in either layout."""

import gzip
import hashlib
import json
from datetime import datetime, timezone

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

import steppe
from steppe import cli
from steppe.analyse import document as pipeline
from steppe.gate.validate import validate_tables
from steppe.ingest.read import RawDocument
from steppe.publish import layout, release, write
from steppe.publish import plan as release_plan
from steppe.schema import tables
from steppe.tables import assemble

TEXTS = [
    ("O presidente do Cazaquistão recebe Putin. A visita ocorre em Astana.", datetime(2025, 11, 28, tzinfo=timezone.utc)),
    ("Президент Казахстана Касым-Жомарт Токаев провёл переговоры с Владимиром Путиным в Астане.", datetime(2025, 12, 1, tzinfo=timezone.utc)),
    ("Kazakhstan's president met Vladimir Putin in Astana. They signed an agreement on oil transit.", datetime(2024, 1, 5, tzinfo=timezone.utc)),
    ("Tokayev visited Moscow to discuss gas exports with Gazprom.", None),
]
ALL_LARGE = layout.Layout(partition_rows=1, gzip_rows=1, batch_rows=2)


@pytest.fixture(scope="module")
def built():
    raws = [
        RawDocument("feed.jsonl", i, None, text, "utf-8", None, None, None, None, when, None)
        for i, (text, when) in enumerate(TEXTS, start=1)
    ]
    docs = pipeline.identify_documents(raws)
    t = assemble.build_tables(docs, pipeline.process_batch(docs), [])
    return t, validate_tables(t)


def publish(out, built, version, lay):
    t, report = built
    plan = release_plan.plan_release(out, [], "evidence", version=version, force=True)
    return release.publish(t, report, out_dir=out, plan=plan, inputs=[], text_policy="evidence", layout=lay).path


@pytest.fixture(scope="module")
def releases(tmp_path_factory, built):
    out = tmp_path_factory.mktemp("processed")
    small = publish(out, built, "2025.12.01", layout.Layout())
    large = publish(out, built, "2025.12.02", ALL_LARGE)
    return out, small, large


def test_large_tables_are_partitioned_by_publication_month(releases):
    _, small, large = releases
    assert (small / "parquet" / "events.parquet").is_file() and (small / "csv" / "events.csv").is_file()
    parts = sorted(p.relative_to(large / "parquet" / "documents").as_posix() for p in (large / "parquet" / "documents").rglob("*.parquet"))
    assert parts == [
        "year=2024/month=01/part-0.parquet",
        "year=2025/month=11/part-0.parquet",
        "year=2025/month=12/part-0.parquet",
        "year=none/month=none/part-0.parquet",
    ]
    for p in (large / "parquet" / "documents").rglob("*.parquet"):
        months = {(w.year, w.month) if w else None for w in pq.read_table(p).column("published_at").to_pylist()}
        label = p.parent.relative_to(large / "parquet" / "documents").as_posix()
        assert months == ({None} if "none" in label else {(int(label[5:9]), int(label[-2:]))})
    # Tables without a publication date stay one file.
    assert (large / "parquet" / "entities.parquet").is_file()
    # Rows of other tables follow their document.
    docs = pq.read_table(small / "parquet" / "documents.parquet").to_pylist()
    by_doc = {d["doc_id"]: d["published_at"] for d in docs}
    for p in (large / "parquet" / "mentions").rglob("*.parquet"):
        label = p.parent.relative_to(large / "parquet" / "mentions").as_posix()
        for d in pq.read_table(p).column("doc_id").to_pylist():
            when = by_doc[d]
            assert label == (f"year={when.year:04d}/month={when.month:02d}" if when else "year=none/month=none")


def test_one_read_parquet_call_reads_a_partitioned_table(releases):
    _, small, large = releases
    single = pd.read_parquet(small / "parquet" / "mentions.parquet")
    dataset = pd.read_parquet(large / "parquet" / "mentions")
    assert len(dataset) == len(single) > 0
    assert set(dataset.columns) == set(single.columns) | {"year", "month"}
    glob = str(large / "parquet" / "mentions" / "**" / "*.parquet")
    n, years = duckdb.connect().execute(f"SELECT count(*), count(DISTINCT year) FROM read_parquet('{glob}', hive_partitioning = true)").fetchone()
    assert n == len(single) and years >= 2


def test_gzip_csv_holds_the_same_bytes(releases):
    _, small, large = releases
    compressed = 0
    for name in tables():
        plain = (small / "csv" / f"{name}.csv").read_bytes()
        path = layout.csv_location(large, name)
        if path.name.endswith(".gz"):
            compressed += 1
            assert gzip.decompress(path.read_bytes()) == plain
        else:  # at most one row: under the threshold
            assert path.read_bytes() == plain and plain.count(b"\r\n") <= 2
    assert compressed >= 8


def test_streamed_csv_equals_the_one_shot_csv(built, tmp_path):
    t, _ = built
    for name in ("mentions", "entity_names"):
        write.write_csv(t[name], name, tmp_path / f"{name}.csv", compress=False, batch_rows=3)
        assert write.csv_bytes(t[name], name) == (tmp_path / f"{name}.csv").read_bytes()


def test_loader_validate_and_diff_read_both_layouts(releases, capsys):
    out, small, large = releases
    for name in tables():
        a = steppe.load(name, small.name, root=out)
        b = steppe.load(name, large.name, root=out)
        pd.testing.assert_frame_equal(a, b)
        assert layout.read_table(large, name).equals(layout.read_table(small, name))
    assert set(steppe.load_release(large.name, root=out)) == set(tables())
    con = steppe.connect(large.name, root=out)
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == len(steppe.load("events", small.name, root=out))
    assert "year" not in [c[0] for c in con.execute("DESCRIBE mentions").fetchall()]
    assert cli.main(["validate", large.name, "--out", str(out)]) == 0
    assert cli.main(["diff", small.name, large.name, "--out", str(out)]) == 0
    assert "No row changed" in capsys.readouterr().out
    changes = json.loads((large / "changes.json").read_text(encoding="utf-8"))
    assert all(not t["added"] and not t["removed"] and not t["changed"] for t in changes["tables"].values())


def test_datapackage_manifest_and_card_describe_the_layout(releases):
    _, _, large = releases
    manifest = json.loads((large / "manifest.json").read_text(encoding="utf-8"))
    info = manifest["files"]["events"]
    assert info["csv"]["path"] == "csv/events.csv.gz"
    assert info["parquet"]["path"] == "parquet/events" and info["parquet"]["partitioned_by"] == ["year", "month"]
    for part in info["parquet"]["parts"]:
        assert hashlib.sha256((large / part["path"]).read_bytes()).hexdigest() == part["sha256"]
    assert sum(p["rows"] for p in info["parquet"]["parts"]) == manifest["row_counts"]["events"]
    package = json.loads((large / "datapackage.json").read_text(encoding="utf-8"))
    events = next(r for r in package["resources"] if r["name"] == "events")
    assert events["path"] == "csv/events.csv.gz" and events["compression"] == "gz"
    assert events["hash"] == "sha256:" + hashlib.sha256((large / "csv" / "events.csv.gz").read_bytes()).hexdigest()
    assert events["steppe:parquet"]["partitioned_by"] == ["year", "month"]
    card = (large / "README.md").read_text(encoding="utf-8")
    assert 'pd.read_parquet("parquet/documents")' in card and "parquet/documents/**/*.parquet" in card
    assert 'pl.read_parquet("parquet/documents/**/*.parquet", hive_partitioning=True)' in card


def test_partitioned_release_is_deterministic(tmp_path, built, releases):
    _, _, large = releases
    again = publish(tmp_path, built, "2025.12.02", ALL_LARGE)

    def digests(root):
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for sub in ("parquet", "csv") for p in sorted((root / sub).rglob("*")) if p.is_file()}

    assert digests(again) == digests(large)


def test_thresholds_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("STEPPE_PARTITION_ROWS", "10")
    monkeypatch.setenv("STEPPE_CSV_GZIP_ROWS", "20")
    lay = layout.Layout.from_env()
    assert (lay.partition_rows, lay.gzip_rows) == (10, 20)
    assert lay.partitioned("events", 11) and not lay.partitioned("events", 10) and not lay.partitioned("entities", 10**9)
    monkeypatch.setenv("STEPPE_PARTITION_ROWS", "lots")
    with pytest.raises(ValueError, match="STEPPE_PARTITION_ROWS"):
        layout.Layout.from_env()


def test_both_layouts_pass_the_read_back_and_integrity_checks(releases):
    from steppe.publish.checks import (
        check_release_files,
        manifest_file_records,
        release_problems,
    )

    out, small, large = releases
    assert check_release_files(small) == [] and check_release_files(large) == []
    assert release_problems(out) == []
    entry = json.loads((large / "manifest.json").read_text())["files"]["documents"]
    records = manifest_file_records(entry)
    on_disk = sorted(p.relative_to(large).as_posix() for p in (large / "parquet" / "documents").rglob("*.parquet"))
    assert sorted(r["path"] for r in records) == sorted(on_disk + ["csv/documents.csv.gz"])  # every part, and the CSV
    part = large / on_disk[0]
    part.write_bytes(part.read_bytes()[:-1])
    assert any("does not match its SHA-256" in p or "bytes" in p for p in check_release_files(large))
    assert release_problems(out)


def test_rows_are_labelled_by_their_documents_month_as_codes(tmp_path, built):
    """partition_labels gives a row's partition as a code of its document's month (a row of no
    known document, or of an undated one, is "none"); the dataset has a file for each label
    some row has, the same files as labels given as text."""
    import pyarrow as pa

    t, _ = built
    mentions = t["mentions"]
    orphan = pa.Table.from_pylist([dict(mentions.slice(0, 1).to_pylist()[0], doc_id="no-such-document")], schema=mentions.schema)
    rows = pa.concat_tables([mentions, orphan])
    labels = write.partition_labels("mentions", rows, t["documents"])
    assert pa.types.is_dictionary(labels.type)
    published = {d["doc_id"]: d["published_at"] for d in t["documents"].to_pylist()}
    expected = [write._year_month(published.get(d)) for d in rows.column("doc_id").to_pylist()]
    assert labels.to_pylist() == expected and expected[-1] == "year=none/month=none"
    # A label no row has (months of documents with no mentions, here all but the first) gets no file.
    only_first = rows.slice(0, 1)
    parts = write.write_parquet_dataset(only_first, tmp_path / "coded", write.partition_labels("mentions", only_first, t["documents"]), 2)
    assert [p["path"].parent.relative_to(tmp_path / "coded").as_posix() for p in parts] == [expected[0]]
    coded = write.write_parquet_dataset(rows, tmp_path / "a", labels, 2)
    text = write.write_parquet_dataset(rows, tmp_path / "b", pa.array(expected), 2)
    assert [(p["path"].relative_to(tmp_path / "a"), p["rows"]) for p in coded] == [(p["path"].relative_to(tmp_path / "b"), p["rows"]) for p in text]
    assert all(p["path"].read_bytes() == q["path"].read_bytes() for p, q in zip(coded, text))
