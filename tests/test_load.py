"""Analysts load the committed release in one line: typed tables, clear errors, from any folder."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

import steppe
from steppe import loader
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


# --- dates ------------------------------------------------------------------------------


def test_date_columns_load_as_datetime64_and_compare_with_timestamps():
    events = steppe.load("events", root=ROOT)
    assert str(events["event_date"].dtype) == "datetime64[us]"
    days = sorted(steppe.loader.read_table(steppe.loader.release_path(root=ROOT), "events")
                  .column("event_date").to_pylist())  # the stored dates, as Python dates
    middle = pd.Timestamp(days[len(days) // 2])
    later = events["event_date"] >= middle  # raised TypeError while the column held date objects
    assert later.sum() == sum(d >= middle.date() for d in days)
    assert (events["event_date"] <= pd.Timestamp(days[-1])).all()
    assert sorted(events["event_date"].dt.date) == days  # midnight of the very day stored
    release = steppe.load_release(root=ROOT)
    for name, frame in release.items():
        for f in tables()[name].fields:
            if f.type == "date":
                assert str(frame[f.name].dtype) == "datetime64[us]", (name, f.name)
    roles = release["entity_roles"]
    assert roles["start_date"].notna().all() and roles["end_date"].isna().any()  # null dates are NaT
    assert release["events"]["event_date"].equals(events["event_date"])


# --- where the releases are found ---------------------------------------------------------


def _data_folder(into: Path) -> Path:
    """A folder holding releases/ with the committed latest release in it."""
    latest = steppe.loader.read_latest(ROOT)
    shutil.copytree(ROOT / "releases" / latest, into / "releases" / latest)
    shutil.copy(ROOT / "releases" / "latest.json", into / "releases" / "latest.json")
    return into


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """Run from a folder that is not a checkout, with STEPPE_HOME unset."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("STEPPE_HOME", raising=False)
    return cwd


def test_an_explicit_root_may_be_a_data_folder_or_a_checkout(tmp_path, elsewhere, monkeypatch):
    data = _data_folder(tmp_path / "co" / "data" / "processed")
    monkeypatch.setenv("STEPPE_HOME", str(tmp_path / "nowhere"))  # the argument comes first
    assert loader.find_root(data) == data
    assert loader.find_root(tmp_path / "co") == data
    assert len(steppe.load("events", root=str(tmp_path / "co"))) == len(steppe.load("events", root=ROOT))


@pytest.mark.parametrize("layout", ["checkout", "data folder"])
def test_steppe_home_points_at_a_checkout_or_a_data_folder(tmp_path, elsewhere, monkeypatch, layout):
    home = tmp_path / "home"
    data = _data_folder(home / "data" / "processed" if layout == "checkout" else home)
    monkeypatch.setenv("STEPPE_HOME", str(home))
    monkeypatch.setattr(loader, "checkout_root", lambda: pytest.fail("STEPPE_HOME comes before the checkout"))
    assert loader.find_root() == data
    assert len(steppe.load("events")) == len(steppe.load("events", root=ROOT))
    assert set(steppe.load_release()) == set(steppe.load_release(root=ROOT))
    assert steppe.connect().execute("SELECT count(*) FROM events").fetchone()[0] > 0


def test_a_steppe_home_without_releases_is_an_error_naming_it(tmp_path, elsewhere, monkeypatch):
    monkeypatch.setenv("STEPPE_HOME", str(tmp_path / "empty"))
    with pytest.raises(ReleaseNotFound) as err:
        steppe.load("events")
    message = str(err.value)
    assert f"STEPPE_HOME={tmp_path / 'empty'}" in message
    assert str(tmp_path / "empty" / "releases") in message
    assert str(tmp_path / "empty" / "data" / "processed" / "releases") in message


def test_from_another_folder_the_checkout_of_the_package_is_found(elsewhere):
    assert loader.checkout_root() == ROOT  # the tests run on the source tree (src layout)
    assert loader.find_root() == ROOT
    assert len(steppe.load("events")) == len(steppe.load("events", root=ROOT))


def test_without_a_checkout_the_current_folder_is_used(elsewhere, monkeypatch):
    monkeypatch.setattr(loader, "checkout_root", lambda: None)  # as for a package installed from a wheel
    _data_folder(elsewhere / "data" / "processed")
    assert loader.find_root() == Path("data/processed")
    assert len(steppe.load("events")) == len(steppe.load("events", root=ROOT))


def test_when_nothing_is_found_the_message_names_every_way_and_what_was_looked_at(elsewhere, monkeypatch):
    monkeypatch.setattr(loader, "checkout_root", lambda: None)
    for call in (lambda: steppe.load("events"), steppe.load_release, steppe.connect):
        with pytest.raises(ReleaseNotFound) as err:
            call()
        message = str(err.value)
        assert "root=" in message and "STEPPE_HOME" in message and "steppe checkout" in message
        assert str(elsewhere / "data" / "processed" / "releases") in message
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
    # The committed release 2026.11.27.2 was published under contract 1.0.0, before the table existed.
    with pytest.raises(ReleaseNotFound, match="predates table 'event_mentions'"):
        steppe.load("event_mentions", version="2026.11.27.2", root=ROOT)
    assert "event_mentions" not in steppe.load_release(version="2026.11.27.2", root=ROOT)
