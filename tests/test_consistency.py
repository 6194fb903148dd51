"""After-write checks: the dataset card, manifest, Parquet and CSV of a release agree."""

import csv
import gzip
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_release import document, publish, release_tables

from steppe.publish import plan as release_plan
from steppe.publish import release
from steppe.publish.checks import card_row_counts, check_release_files, csv_records
from steppe.publish.release import ValidationFailed
from steppe.schema import tables

COMMITTED = Path(__file__).resolve().parents[1] / "data" / "processed" / "releases"


@pytest.fixture
def built(tmp_path):
    published = publish(tmp_path / "out", release_tables())
    copy = tmp_path / "copy"
    shutil.copytree(published.path, copy)
    return copy


def test_a_freshly_published_release_agrees_with_itself(built):
    assert check_release_files(built) == []
    card = card_row_counts((built / "README.md").read_text(encoding="utf-8"))
    assert set(card) == set(tables())
    assert card["documents"] == 2 and card["rejected"] == 1


def test_the_committed_latest_release_agrees_with_itself():
    latest = release_plan.read_latest(COMMITTED.parent)
    assert latest is not None
    assert check_release_files(COMMITTED / latest) == []


def test_a_card_count_that_differs_from_the_table_is_reported(built):
    card = built / "README.md"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("| [`documents`](csv/documents.csv) | 2 |", "| [`documents`](csv/documents.csv) | 3 |"), encoding="utf-8")
    assert check_release_files(built) == ["documents: README.md (dataset card) says 3 rows but the Parquet has 2"]


def test_a_csv_with_a_lost_record_is_reported(built):
    path = built / "csv" / "documents.csv"
    head, first, _second = path.read_bytes().split(b"\r\n", 2)
    path.write_bytes(head + b"\r\n" + first + b"\r\n")
    problems = check_release_files(built)
    assert "documents: documents.csv has 1 records but the Parquet has 2 rows" in problems
    assert any("documents.csv" in p and "manifest.json" in p for p in problems)
    assert any("documents.csv" in p and "datapackage.json" in p for p in problems)


def test_csv_records_are_counted_with_newlines_inside_cells(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes(b'a,b\r\n1,"two\r\nlines"\r\n2,x\r\n')
    assert csv_records(p) == 2


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.lists(st.text(alphabet='ab,"\r\n é', max_size=6), min_size=1, max_size=3), max_size=8),
    chunk=st.integers(min_value=1, max_value=7),
    gz=st.booleans(),
)
def test_csv_records_agree_with_the_csv_module_at_any_chunk_size(tmp_path_factory, rows, chunk, gz):
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows([["h"]] + rows)
    data = buf.getvalue().encode("utf-8")
    path = tmp_path_factory.mktemp("csv") / ("t.csv.gz" if gz else "t.csv")
    path.write_bytes(gzip.compress(data) if gz else data)
    expected = sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8"), newline=""))) - 1
    assert csv_records(path, chunk_bytes=chunk) == expected == len(rows)


def test_csv_records_refuses_bad_utf8_and_an_unclosed_quote(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a\r\n\xff\r\n")
    with pytest.raises(ValueError):
        csv_records(bad)
    open_quote = tmp_path / "open.csv"
    open_quote.write_bytes(b'a\r\n"never closed\r\n')
    with pytest.raises(ValueError, match="not closed"):
        csv_records(open_quote)


def test_a_manifest_count_or_missing_file_is_reported(built):
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    manifest["row_counts"]["sentences"] = 7
    (built / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (built / "parquet" / "events.parquet").unlink()
    problems = check_release_files(built)
    assert "sentences: manifest.json says 7 rows but the Parquet has 2" in problems
    assert "events: no Parquet file in " + str(built / "parquet") in problems
    assert "events: parquet/events.parquet is listed in manifest.json but missing" in problems


def test_a_release_whose_files_disagree_is_not_published(tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = publish(out, release_tables())
    real = release.render_card

    def card_with_a_wrong_count(manifest, plots=None, cut_sentences=0):
        return real({**manifest, "row_counts": {**manifest["row_counts"], "documents": 99}}, plots, cut_sentences)

    monkeypatch.setattr(release, "render_card", card_with_a_wrong_count)
    with pytest.raises(ValidationFailed, match="1 disagreements between the written files") as caught:
        publish(out, release_tables([document("00000000000000cc")]), force=True)
    assert release_plan.read_latest(out) == first.version
    assert release_plan.list_versions(out) == [first.version]
    failed = (caught.value.report_dir / "FAILED.txt").read_text(encoding="utf-8")
    assert "README.md (dataset card) says 99 rows but the Parquet has 1" in failed


def test_steppe_validate_reports_files_that_disagree(built, capsys):
    from steppe.cli import main

    assert main(["validate", str(built)]) == 0
    assert "files agree" in capsys.readouterr().out
    card = built / "README.md"
    card.write_text(card.read_text(encoding="utf-8").replace("| [`rejected`](csv/rejected.csv) | 1 |", "| [`rejected`](csv/rejected.csv) | 0 |"), encoding="utf-8")
    assert main(["validate", str(built)]) == 1
    out = capsys.readouterr().out
    assert "rejected: README.md (dataset card) says 0 rows but the Parquet has 1" in out
    assert "DISAGREE in 1 places" in out


def test_unreadable_files_are_reported_not_raised(built):
    (built / "parquet" / "sentences.parquet").write_bytes(b"not parquet")
    (built / "csv" / "rejected.csv").write_bytes(b"\xff\xfe broken")
    problems = check_release_files(built)
    assert any(p.startswith("sentences: parquet/sentences.parquet cannot be read as Parquet") for p in problems)
    assert any(p.startswith("rejected: csv/rejected.csv cannot be read as CSV") for p in problems)


def test_the_integrity_check_of_interrupted_runs_uses_the_read_back_check(tmp_path):
    from steppe.publish.checks import release_problems

    out = tmp_path / "out"
    published = publish(out, release_tables())
    assert release_problems(out) == []
    card = published.path / "README.md"
    card.write_text(card.read_text(encoding="utf-8").replace("| [`documents`](csv/documents.csv) | 2 |", "| [`documents`](csv/documents.csv) | 5 |"), encoding="utf-8")
    (published.path / "CHANGES.md").unlink()
    assert release_problems(out) == [
        f"{published.version}: CHANGES.md is missing",
        f"{published.version}: documents: README.md (dataset card) says 5 rows but the Parquet has 2",
    ]
