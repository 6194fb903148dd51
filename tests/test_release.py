"""The release writer, exercised directly (no Prefect), with the validation gate in front of it (its own tests: test_gate.py)."""

import csv
import functools
import hashlib
import io
import json
from datetime import date, datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steppe.gate.validate import validate_tables
from steppe.publish import plan as release_plan
from steppe.publish import release, write
from steppe.publish.release import InputFile, ReleaseError, ValidationFailed
from steppe.schema import tables
from steppe.tables.arrow import empty_table, make_table

PUBLISHED = datetime(2025, 11, 28, tzinfo=timezone.utc)


def document(doc_id: str, **overrides) -> dict:
    row = {
        "doc_id": doc_id,
        "source_file": f"{doc_id}.txt",
        "source_line": 1,
        "source_id": None,
        "url": None,
        "title": "=HYPERLINK(\"http://evil.example\")",
        "publisher": "Kazinform",
        "author": None,
        "published_at": PUBLISHED,
        "language": "pt",
        "language_source": "metadata",
        "language_confidence": 1.0,
        "encoding": "utf-8",
        "n_chars": 42,
        "n_sentences": 1,
        "text_sha256": hashlib.sha256(doc_id.encode()).hexdigest(),
        "duplicate_of": None,
    }
    row.update(overrides)
    return row


def release_tables(docs: list[dict] | None = None, rejected: list[dict] | None = None) -> dict:
    docs = docs if docs is not None else [document("00000000000000aa"), document("00000000000000bb")]
    built = {
        "documents": make_table("documents", docs),
        "sentences": make_table(
            "sentences",
            [{"doc_id": d["doc_id"], "sentence_idx": 0, "char_start": 0, "char_end": 42, "text": "Toqaev recebe Putin,\n\"em Astana\".", "cut": False} for d in docs],
        ),
        "rejected": make_table(
            "rejected",
            rejected if rejected is not None else [{"source_file": "bad.bin", "source_line": 0, "reason": "binary", "detail": "-1 is not text"}],
        ),
    }
    return {name: built.get(name, empty_table(name)) for name in tables()}


INPUTS = [InputFile("a.txt", 10, "1" * 64)]


def publish(out: Path, release_tables_: dict, *, force=False, version=None, inputs=INPUTS, today=date(2025, 11, 28)):
    plan = release_plan.plan_release(out, inputs, "evidence", version=version, force=force, today=today)
    if plan.version is None:
        return None
    report = validate_tables(release_tables_)
    return release.publish(release_tables_, report, out_dir=out, plan=plan, inputs=inputs, text_policy="evidence")


def test_csv_cells_are_rfc4180_iso_and_formula_safe():
    t = release_tables()["documents"]
    data = write.csv_bytes(t, "documents")
    text = data.decode("utf-8")
    assert text.startswith("doc_id,source_file,source_line,")
    assert text.count("\r\n") == 3  # header + 2 rows, CRLF line ends
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows[0]["published_at"] == "2025-11-28T00:00:00Z"
    assert rows[0]["title"] == "'=HYPERLINK(\"http://evil.example\")"
    assert rows[0]["language_confidence"] == "1.0"
    assert rows[0]["source_id"] == ""
    sentences = list(csv.DictReader(io.StringIO(write.csv_bytes(release_tables()["sentences"], "sentences").decode(), newline="")))
    assert sentences[0]["text"] == "Toqaev recebe Putin,\n\"em Astana\"."


@pytest.mark.parametrize("value", ["=1+1", "+7 701", "-5", "@SUM(A1)", "\tx", "\uff1dcmd"])
def test_formula_like_text_is_neutralised(value):
    t = pa.table({"title": [value, "x"], "author": ["a", "b"]})
    assert write.csv_bytes(t, "documents").decode("utf-8").split("\r\n")[1].lstrip('"').startswith("'" + value[:1])


def test_numbers_are_not_mangled():
    t = pa.table({"trigger": ["x"], "goldstein": [-5.5], "sentence_idx": [-3], "event_date": [date(2025, 11, 27)]})
    t = t.cast(pa.schema([tables()["events"].field(n).arrow_field() for n in t.column_names]))
    assert write.csv_bytes(t, "events") == b"trigger,goldstein,sentence_idx,event_date\r\nx,-5.5,-3,2025-11-27\r\n"


def test_publish_writes_the_whole_contract(tmp_path):
    published = publish(tmp_path, release_tables())
    root = tmp_path / "releases" / "2025.11.28"
    assert published.path == root
    for name, spec in tables().items():
        written = pq.read_table(root / "parquet" / f"{name}.parquet")
        assert written.schema.equals(spec.arrow_schema()), f"{name}: written schema drifted from schemas/"
        header = (root / "csv" / f"{name}.csv").read_bytes().decode("utf-8").split("\r\n")[0]
        assert header.split(",") == spec.field_names
    for fname in ("datapackage.json", "manifest.json", "CHANGES.md", "changes.json", "README.md",
                  "validation/results.json", "validation/summary.json", "validation/report.html"):
        assert (root / fname).is_file(), fname
    manifest = json.loads((root / "manifest.json").read_text())
    assert manifest["version"] == "2025.11.28"
    assert manifest["row_counts"]["documents"] == 2
    assert manifest["validation"]["success"] is True
    assert manifest["inputs"] == [{"path": "a.txt", "bytes": 10, "sha256": "1" * 64}]
    package = json.loads((root / "datapackage.json").read_text())
    for resource in package["resources"]:
        path = root / resource["path"]
        assert resource["bytes"] == path.stat().st_size
        assert resource["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    assert json.loads((tmp_path / "releases" / "latest.json").read_text())["version"] == "2025.11.28"
    card = (root / "README.md").read_text()
    assert "| [`documents`](csv/documents.csv) | 2 |" in card
    for png in ("events_by_month.png", "top_actor_pairs.png", "sectors_by_month.png", "names_resolved.png"):
        assert (root / "plots" / png).read_bytes().startswith(b"\x89PNG"), png
        assert f"(plots/{png})" in card
    assert str(tmp_path) not in "".join(p.read_text(errors="ignore") for p in root.rglob("*") if p.suffix in {".json", ".md", ".html"})
    assert not [p for p in (tmp_path / "releases").iterdir() if p.name.startswith(".")]


def test_same_inputs_give_byte_identical_tables_and_unchanged_inputs_no_release(tmp_path):
    first = publish(tmp_path / "a", release_tables())
    assert publish(tmp_path / "a", release_tables()) is None, "no new input, no new release"
    second = publish(tmp_path / "b", release_tables())
    for sub in ("parquet", "csv"):
        for a in sorted((first.path / sub).iterdir()):
            b = second.path / sub / a.name
            assert a.read_bytes() == b.read_bytes(), f"{sub}/{a.name} differs between identical runs"
    # Forced, or with a new input file that changes no table: the same tables, no new release.
    assert publish(tmp_path / "a", release_tables(), force=True) is None
    assert publish(tmp_path / "a", release_tables(), inputs=INPUTS + [InputFile("b.txt", 3, "2" * 64)]) is None
    assert release_plan.list_versions(tmp_path / "a") == [first.version]
    third = publish(tmp_path / "a", release_tables([document("00000000000000aa")]), inputs=INPUTS + [InputFile("c.txt", 3, "3" * 64)])
    assert third.version == "2025.11.28.1", "other tables make a new release"
    changes = json.loads((third.path / "changes.json").read_text())
    assert changes["from"] == "2025.11.28"


def test_changes_report_added_removed_and_changed_rows(tmp_path):
    publish(tmp_path, release_tables())
    docs = [document("00000000000000aa", publisher="TASS"), document("00000000000000cc")]
    new = publish(tmp_path, release_tables(docs), force=True)
    changes = json.loads((new.path / "changes.json").read_text())["tables"]["documents"]
    assert changes["added"] == ["00000000000000cc"]
    assert changes["removed"] == ["00000000000000bb"]
    assert changes["changed"] == [{"key": "00000000000000aa", "columns": ["publisher"]}]
    md = (new.path / "CHANGES.md").read_text()
    assert "documents +1, -1, ~1 changed" in md


def test_a_planted_bad_value_fails_the_gate_and_keeps_the_previous_release(tmp_path):
    good = publish(tmp_path, release_tables())
    bad = release_tables([document("00000000000000aa", language="xx"), document("00000000000000bb")])
    with pytest.raises(ValidationFailed) as excinfo:
        publish(tmp_path, bad, force=True)
    message = str(excinfo.value)
    assert "documents.language" in message and "'xx'" in message
    assert f"{good.version} stays latest" in message
    assert json.loads((tmp_path / "releases" / "latest.json").read_text())["version"] == good.version
    assert release_plan.list_versions(tmp_path) == [good.version]
    failed = excinfo.value.report_dir
    assert failed.parent == tmp_path / "failed"
    assert "documents.language" in (failed / "FAILED.txt").read_text()
    summary = json.loads((failed / "validation" / "summary.json").read_text())
    assert summary["success"] is False
    assert not [p for p in (tmp_path / "releases").iterdir() if p.name.startswith(".")], "no staging folder left"


def test_versions_and_latest(tmp_path):
    assert release_plan.read_latest(tmp_path) is None
    assert release_plan.next_version(tmp_path, date(2025, 1, 2)) == "2025.01.02"
    publish(tmp_path, release_tables(), version="2024.12.31")
    assert release_plan.read_latest(tmp_path) == "2024.12.31"
    with pytest.raises(ReleaseError, match="already exists"):
        release_plan.plan_release(tmp_path, INPUTS, "full", version="2024.12.31")
    with pytest.raises(ReleaseError, match="YYYY.MM.DD"):
        release_plan.plan_release(tmp_path, INPUTS, "full", version="latest")
    (tmp_path / "releases" / "latest.json").write_text("{broken")
    with pytest.raises(ReleaseError, match="latest.json"):
        release_plan.read_latest(tmp_path)


def test_stale_staging_folders_are_removed(tmp_path):
    stale = tmp_path / "releases" / ".staging-2025.11.28-999999999"
    stale.mkdir(parents=True)
    (stale / "half.parquet").write_bytes(b"PAR1")
    publish(tmp_path, release_tables())
    assert not stale.exists()
    assert release_plan.list_versions(tmp_path) == ["2025.11.28"]


def seed_release_tables() -> dict:
    """Every table filled, by the pipeline, from the seed article (a new dict of the same
    tables each call: Arrow tables cannot be changed, and the pipeline runs once)."""
    return dict(_seed_release_tables())


@functools.cache
def _seed_release_tables() -> dict:
    from steppe.analyse import document as pipeline
    from steppe.ingest.read import read_raw
    from steppe.tables import assemble

    docs, rejections, _ = read_raw(Path(__file__).resolve().parents[1] / "data" / "raw")
    identified = pipeline.identify_documents(docs)
    return assemble.build_tables(identified, pipeline.process_batch(identified), rejections, text_policy="full")


def test_frictionless_accepts_the_datapackage(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    tables_ = seed_release_tables()
    assert all(tables_[name].num_rows for name in ("events", "sector_mentions", "sector_summary", "mentions"))
    published = publish(tmp_path, tables_)
    report = frictionless.validate(str(published.path / "datapackage.json"))
    errors = [e.message for task in report.tasks for e in task.errors] + [e.message for e in report.errors]
    assert report.valid, errors


# --- JSON files: json_text writes what json.dumps(indent=2, ensure_ascii=False) wrote ----

SCALAR = st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.floats(allow_nan=False, allow_infinity=False) | st.text(st.characters(codec="utf-8") | st.sampled_from("\x00\x1f\"\\\u2028\ufeff😀"))
JSONISH = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=12) | st.lists(st.lists(SCALAR, min_size=2, max_size=2), max_size=12) | st.dictionaries(st.text(max_size=5), inner, max_size=5),
    max_leaves=60,
)


@settings(max_examples=300, deadline=None)
@given(JSONISH)
def test_json_files_read_back_as_the_data_with_keys_sorted(data):
    text = write.json_bytes(data)
    assert text.endswith(b"\n") and json.loads(text) == data
    assert text == write.json_bytes(json.loads(text))  # the same data, the same bytes
    keys_in_order(json.loads(text))


def keys_in_order(data) -> None:
    if isinstance(data, dict):
        assert list(data) == sorted(data)
        for v in data.values():
            keys_in_order(v)
    elif isinstance(data, list):
        for v in data:
            keys_in_order(v)


KEY_TEXT = st.text(st.characters(codec="utf-8") | st.sampled_from('"\\\n\x00\x1f\x7f\u2028é😀'), max_size=6)
KEY_COLUMN = st.one_of(
    st.lists(KEY_TEXT, min_size=1, max_size=9),
    st.lists(st.integers(-(2**63), 2**63 - 1), min_size=1, max_size=9),
    st.lists(st.none() | KEY_TEXT, min_size=1, max_size=9),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(KEY_COLUMN, min_size=1, max_size=3), st.integers(1, 4))
def test_key_lists_are_written_as_the_lists_they_stand_for(columns, chunks):
    from steppe.publish import changes

    n = min(map(len, columns))
    arrays = []
    for values in columns:
        values = values[:n]
        size = max(1, -(-n // chunks))
        arrays.append(pa.chunked_array([values[i : i + size] for i in range(0, n, size)], type=pa.int64() if all(type(v) is int for v in values) else pa.string()))
    keys = changes.KeyList(arrays)
    expected = [list(k) for k in zip(*[a.to_pylist() for a in arrays])] if len(arrays) > 1 else arrays[0].to_pylist()
    assert write.json_bytes({"added": keys, "nested": [keys]}) == write.json_bytes({"added": expected, "nested": [expected]})


def test_json_dates_are_iso_text_and_keys_sorted():
    assert write.json_bytes({"b": date(2025, 1, 2), "a": [1, "é"]}) == b'{\n  "a": [\n    1,\n    "\xc3\xa9"\n  ],\n  "b": "2025-01-02"\n}\n'


def test_write_json_leaves_nothing_behind_when_it_cannot_finish(tmp_path):
    path = tmp_path / "changes.json"
    with pytest.raises(TypeError):
        write.write_json(path, {"a": "x" * 100_000, "b": [object()]})
    assert list(tmp_path.iterdir()) == []
    path.write_text("the last good file\n")
    with pytest.raises(TypeError):
        write.write_json(path, {"a": 1, "b": {(1, 2): 3}})
    assert path.read_text() == "the last good file\n" and sorted(p.name for p in tmp_path.iterdir()) == ["changes.json"]


def _release_bytes(path: Path) -> dict[str, bytes]:
    # manifest.json and the card carry the creation time; every other file depends on the tables alone.
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file() and p.name not in ("manifest.json", "README.md")}


def test_a_gate_run_while_the_tables_are_written_gives_the_same_release(tmp_path):
    t = release_tables()
    plan = release_plan.plan_release(tmp_path / "a", INPUTS, "evidence", today=date(2025, 11, 28))
    given = release.publish(t, validate_tables(t), out_dir=tmp_path / "a", plan=plan, inputs=INPUTS, text_policy="evidence")
    plan = release_plan.plan_release(tmp_path / "b", INPUTS, "evidence", today=date(2025, 11, 28))
    run_meanwhile = release.publish(t, lambda: validate_tables(t), out_dir=tmp_path / "b", plan=plan, inputs=INPUTS, text_policy="evidence")
    assert run_meanwhile.validation.success and run_meanwhile.version == given.version
    assert _release_bytes(run_meanwhile.path) == _release_bytes(given.path)


def test_a_gate_run_while_the_tables_are_written_still_holds_back_a_failing_release(tmp_path):
    published = publish(tmp_path, release_tables())
    bad = release_tables([document("00000000000000aa"), document("00000000000000aa")])  # a duplicate key
    plan = release_plan.plan_release(tmp_path, INPUTS, "evidence", force=True, today=date(2025, 11, 29))
    with pytest.raises(ValidationFailed):
        release.publish(bad, lambda: validate_tables(bad), out_dir=tmp_path, plan=plan, inputs=INPUTS, text_policy="evidence")
    assert release_plan.read_latest(tmp_path) == published.version
    assert len(list((tmp_path / release_plan.FAILED).iterdir())) == 1


def test_a_gate_that_breaks_while_the_tables_are_written_leaves_no_staging_folder(tmp_path):
    published = publish(tmp_path, release_tables())
    plan = release_plan.plan_release(tmp_path, INPUTS, "evidence", force=True, today=date(2025, 11, 29))

    def broken_gate():
        raise RuntimeError("gate broke")

    with pytest.raises(RuntimeError, match="gate broke"):
        release.publish(release_tables(), broken_gate, out_dir=tmp_path, plan=plan, inputs=INPUTS, text_policy="evidence")
    assert release_plan.read_latest(tmp_path) == published.version
    assert sorted(p.name for p in release_plan.releases_dir(tmp_path).iterdir()) == [published.version, "latest.json"]


# --- Published releases are immutable ------------------------------------------------------


def release_files(out: Path) -> dict[str, bytes]:
    root = release_plan.releases_dir(out)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and p.name != "latest.json"}


def test_a_run_that_makes_the_same_tables_publishes_nothing_and_touches_no_release(tmp_path):
    t = release_tables()
    published = publish(tmp_path, t)
    before = release_files(tmp_path)
    # Other code (another fingerprint), the same tables: no release, no file of the old one rewritten.
    plan = release_plan.plan_release(tmp_path, INPUTS, "evidence", today=date(2025, 11, 29), settings={"other": "code"})
    assert plan.version is not None and plan.previous == published.version
    assert release.publish(t, lambda: validate_tables(t), out_dir=tmp_path, plan=plan, inputs=INPUTS, text_policy="evidence") is None
    assert release_files(tmp_path) == before
    assert release_plan.list_versions(tmp_path) == [published.version] and release_plan.read_latest(tmp_path) == published.version
    assert release_plan.known_fingerprints(tmp_path) == [plan.fingerprint]
    assert not [p for p in release_plan.releases_dir(tmp_path).iterdir() if p.name.startswith(".")]  # no staging left
    # The same run again is skipped before any work, by its fingerprint.
    again = release_plan.plan_release(tmp_path, INPUTS, "evidence", today=date(2025, 11, 29), settings={"other": "code"})
    assert again.version is None and published.version in again.reason
    # Forced, the work is done again, and still nothing is published.
    forced = release_plan.plan_release(tmp_path, INPUTS, "evidence", force=True, today=date(2025, 11, 29), settings={"other": "code"})
    assert release.publish(t, validate_tables(t), out_dir=tmp_path, plan=forced, inputs=INPUTS, text_policy="evidence") is None
    assert release_files(tmp_path) == before and release_plan.known_fingerprints(tmp_path) == [plan.fingerprint]


def test_a_run_with_other_tables_publishes_a_new_release_and_forgets_the_old_fingerprints(tmp_path):
    t = release_tables()
    published = publish(tmp_path, t)
    plan = release_plan.plan_release(tmp_path, INPUTS, "evidence", today=date(2025, 11, 29), settings={"other": "code"})
    assert release.publish(t, validate_tables(t), out_dir=tmp_path, plan=plan, inputs=INPUTS, text_policy="evidence") is None
    before = release_files(tmp_path)
    fewer = release_tables([document("00000000000000aa")])
    plan = release_plan.plan_release(tmp_path, INPUTS, "evidence", force=True, today=date(2025, 11, 29))
    new = release.publish(fewer, validate_tables(fewer), out_dir=tmp_path, plan=plan, inputs=INPUTS, text_policy="evidence")
    assert new is not None and new.version != published.version
    assert {k: v for k, v in release_files(tmp_path).items() if k.startswith(published.version + "/")} == before
    assert release_plan.read_latest(tmp_path) == new.version and release_plan.known_fingerprints(tmp_path) == []


def test_no_code_writes_into_a_published_release_folder():
    """Files are written into a staging folder, a failed/ folder or latest.json, never into releases/<version>/."""
    import re

    src = Path(release.__file__).resolve().parents[1]
    writers = re.compile(r"write_(text|bytes|json)\(|open\([^)]*[\"'][wa]|shutil\.(copy|move)|os\.(replace|rename)\(")
    offenders = []
    for path in src.rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if writers.search(line) and re.search(r"releases_dir\([^)]*\) / (version|plan\.previous|latest)\b|/ version /", line):
                offenders.append(f"{path.name}:{n}: {line.strip()}")
    assert offenders == []
