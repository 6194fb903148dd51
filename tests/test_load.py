"""Analysts load the committed release in one line: typed tables, clear errors."""

from pathlib import Path

import pandas as pd
import pytest

import steppe
from steppe.loader import ReleaseNotFound
from steppe.schema import tables

ROOT = Path(__file__).resolve().parents[1] / "data" / "processed"


def test_load_returns_declared_dtypes_from_the_committed_release():
    events = steppe.load("events", root=ROOT)
    assert len(events) > 0
    assert isinstance(events["cameo_code"].dtype, pd.CategoricalDtype)
    assert str(events["quad_class"].dtype) == "Int64"
    assert str(events["negated"].dtype) == "boolean"
    documents = steppe.load("documents", root=ROOT)
    assert str(documents["published_at"].dtype) == "datetime64[us, UTC]"
    assert list(documents.columns) == tables()["documents"].field_names


def test_load_release_and_duckdb_views_agree():
    release = steppe.load_release(root=ROOT)
    con = steppe.connect(root=ROOT)
    for name, frame in release.items():
        assert con.execute(f"SELECT count(*) FROM {name}").fetchall() == [(len(frame),)]
    tokayev = con.execute(
        "SELECT count(*) FROM mentions WHERE entity_id = 'person:kassym-jomart-tokayev'"
    ).fetchall()[0][0]
    assert tokayev >= 8  # every spelling of Tokayev in the seed, one entity


def test_unknown_table_or_version_lists_what_exists():
    with pytest.raises(ReleaseNotFound, match="a release has documents, sentences"):
        steppe.load("evnts", root=ROOT)
    with pytest.raises(ReleaseNotFound, match="releases: .*2026.11.27"):
        steppe.load("events", version="1999.01.01", root=ROOT)


def test_no_release_yet_says_how_to_build_one(tmp_path):
    with pytest.raises(ReleaseNotFound, match="make release"):
        steppe.load("events", root=tmp_path)


def test_load_reads_the_event_mentions_of_a_release_and_says_when_a_release_predates_them(tmp_path):
    from test_release import publish, seed_release_tables

    tables_ = seed_release_tables()
    publish(tmp_path, tables_)
    reported = steppe.load("event_mentions", root=tmp_path)
    assert list(reported.columns) == tables()["event_mentions"].field_names
    assert str(reported["sentence_idx"].dtype) == "Int64" and len(reported) == tables_["event_mentions"].num_rows > 0
    events = steppe.load("events", root=tmp_path)
    counted = reported.groupby("event_id").size()
    assert counted.to_dict() == dict(zip(events["event_id"], events["n_mentions"]))
    con = steppe.connect(root=tmp_path)
    assert con.execute("SELECT count(*) FROM event_mentions m JOIN events e USING (event_id)").fetchall() == [(len(reported),)]
    # The committed release was published under contract 1.0.0, before the table existed.
    with pytest.raises(ReleaseNotFound, match="predates table 'event_mentions'"):
        steppe.load("event_mentions", root=ROOT)
    assert "event_mentions" not in steppe.load_release(root=ROOT)
