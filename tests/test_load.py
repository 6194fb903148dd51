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
