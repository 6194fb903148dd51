"""The validation gate: each table's GX suite (validate_table), the cross-table checks in DuckDB
(validate_cross), and the whole gate (validate_tables) where the whole is what is tested."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from test_release import document, release_tables, seed_release_tables

from steppe.gate.validate import validate_cross, validate_table, validate_tables
from steppe.schema import tables
from steppe.tables.arrow import empty_table, make_table


@pytest.mark.parametrize(
    "tamper, column",
    [
        (lambda d: d.update(doc_id="not-hex"), "doc_id"),
        (lambda d: d.update(language_confidence=1.5), "language_confidence"),
        (lambda d: d.update(encoding=None), "encoding"),
        (lambda d: d.update(duplicate_of="XYZ"), "duplicate_of"),
    ],
)
def test_gate_catches_each_kind_of_bad_value(tamper, column):
    doc = document("00000000000000aa")
    tamper(doc)
    report = validate_table("documents", make_table("documents", [doc]))
    assert not report.success
    assert {f.column for f in report.failures} == {column}
    assert all(f.table == "documents" and f.message.startswith(f"documents.{column}: ") for f in report.failures)


def test_gate_catches_duplicate_keys():
    report = validate_table("documents", make_table("documents", [document("00000000000000aa"), document("00000000000000aa")]))
    assert not report.success
    assert any(f.column == "doc_id" and "unique" in f.expectation for f in report.failures)


def test_validate_table_runs_that_tables_suite_only():
    report = validate_table("documents", release_tables()["documents"])
    assert report.success and list(report.results) == ["documents"]
    assert report.per_table == {"documents": {"rows": 2, "evaluated": report.evaluated, "successful": report.evaluated}}
    with pytest.raises(ValueError, match="not a table declared"):
        validate_table("nonsense", release_tables()["documents"])


def test_each_kind_of_table_failure_names_its_table_column_and_examples():
    t = seed_release_tables()
    mentions = t["mentions"].to_pylist()
    mentions[0]["mention_id"] = "not-an-id"  # pattern
    mentions[1]["entity_type"] = "planet"  # enum
    mentions[2]["score"] = 7.5  # range
    mentions.append(dict(mentions[3]))  # a duplicate key
    failures = {f.column: f for f in validate_table("mentions", make_table("mentions", mentions)).failures}
    assert set(failures) == {"mention_id", "entity_type", "score"}
    assert [f.expectation for f in failures.values()].count("expect_column_values_to_be_unique") == 1
    assert "'planet'" in failures["entity_type"].message and failures["entity_type"].examples == ["planet"]
    assert failures["score"].message.startswith("mentions.score: expect_column_values_to_be_between(") and "7.5" in failures["score"].message
    sentences = t["sentences"].to_pylist()
    sentences.append(dict(sentences[0], text="again"))  # a duplicate compound key
    (failure,) = validate_table("sentences", make_table("sentences", sentences)).failures
    assert (failure.table, failure.column, failure.expectation) == ("sentences", None, "expect_compound_columns_to_be_unique")
    events = t["events"].to_pylist()
    events[1]["doc_id"] = None  # required
    (failure,) = validate_table("events", make_table("events", events)).failures
    assert (failure.column, failure.expectation, failure.unexpected_count) == ("doc_id", "expect_column_values_to_not_be_null", 1)


def test_gate_catches_a_foreign_key_that_resolves_to_nothing():
    tables_ = release_tables()
    sentences = tables_["sentences"].to_pylist()
    sentences[0]["doc_id"] = "00000000000000ff"  # no such document
    tables_["sentences"] = make_table("sentences", sentences)
    report = validate_cross(tables_)
    assert not report.success
    # The foreign key fails, and so does the span check: the sentence points into no document.
    assert [(f.table, f.column, f.expectation) for f in report.failures] == [
        ("sentences", "doc_id", "foreign_key"), ("sentences", "doc_id", "span_document_exists")]
    assert report.failures[0].examples == ["00000000000000ff"]
    assert report.failures[0].message == (
        "sentences.doc_id: foreign key to documents.doc_id does not resolve for 1 rows; e.g. ['00000000000000ff']")


def test_gate_checks_a_compound_foreign_key_as_a_pair():
    tables_ = seed_release_tables()
    mentions = tables_["mentions"].to_pylist()
    mentions[0]["sentence_idx"] = 999  # the document has no such sentence
    tables_["mentions"] = make_table("mentions", mentions)
    failures = [f for f in validate_cross(tables_).failures if f.expectation == "foreign_key"]
    assert [(f.table, f.column, f.unexpected_count, f.examples) for f in failures] == [
        ("mentions", "(doc_id, sentence_idx)", 1, [{"doc_id": mentions[0]["doc_id"], "sentence_idx": 999}])]
    assert failures[0].message.startswith(
        "mentions.(doc_id, sentence_idx): foreign key to sentences.(doc_id, sentence_idx) does not resolve for 1 rows")
    # Each value exists in sentences, but not together: a sentence of another document.
    other = next(s["sentence_idx"] for s in tables_["sentences"].to_pylist() if s["sentence_idx"] > 0)
    tables_["sentences"] = tables_["sentences"].filter([s["sentence_idx"] != other or s["doc_id"] != mentions[0]["doc_id"] for s in tables_["sentences"].to_pylist()])
    mentions[0]["sentence_idx"] = other
    tables_["mentions"] = make_table("mentions", mentions)
    assert ("mentions", "(doc_id, sentence_idx)") in {(f.table, f.column) for f in validate_cross(tables_).failures}


def test_gate_catches_an_event_mention_of_no_event_and_one_outside_its_document():
    tables_ = seed_release_tables()
    assert validate_cross(tables_).success
    reported = tables_["event_mentions"].to_pylist()
    assert reported
    reported[0]["event_id"] = "e00000000000000ff"  # no such event
    tables_["event_mentions"] = make_table("event_mentions", reported)
    report = validate_cross(tables_)
    assert [(f.table, f.column, f.expectation, f.examples) for f in report.failures] == [
        ("event_mentions", "event_id", "foreign_key", ["e00000000000000ff"])]
    assert report.failures[0].message == (
        "event_mentions.event_id: foreign key to events.event_id does not resolve for 1 rows; e.g. ['e00000000000000ff']")
    # Its spans are checked as every table's: a trigger past the end of its document.
    reported = tables_["event_mentions"].to_pylist()[1:]
    n_chars = {d["doc_id"]: d["n_chars"] for d in tables_["documents"].to_pylist()}
    reported[0]["char_end"] = n_chars[reported[0]["doc_id"]] + 1
    tables_["event_mentions"] = make_table("event_mentions", reported)
    assert [(f.table, f.column, f.expectation) for f in validate_cross(tables_).failures] == [
        ("event_mentions", "char_end", "span_ends_in_document")]


def test_gate_checks_codes_against_the_reference_data():
    from steppe.analyse.events.codebook import load_codebook

    codebook = load_codebook()
    event = {
        "event_id": "e0000000000000001", "doc_id": "00000000000000aa", "sentence_idx": 0, "char_start": 0, "char_end": 6,
        "trigger": "recebe", "cameo_code": "043", "cameo_root": "04", "plover_type": codebook["043"].plover_type,
        "quad_class": 1, "goldstein": 2.8, "source_entity_id": None, "source_text": "Toqaev", "source_country": "KAZ",
        "source_type": "GOV", "source_basis": "unlinked", "target_entity_id": None, "target_text": "Putin", "target_country": "RUS",
        "target_type": "GOV", "target_basis": "unlinked", "event_date": date(2025, 11, 27), "date_precision": "day", "location_entity_id": None,
        "country_iso3": None, "negated": False, "is_background": False, "confidence": 0.9, "n_evidence": 1, "evidence": None, "n_mentions": 1,
    }
    tables_ = release_tables()
    tables_["events"] = make_table("events", [event])
    assert validate_table("events", tables_["events"]).success and validate_cross(tables_).success
    tables_["events"] = make_table("events", [dict(event, plover_type="ASSAULT")])
    assert validate_table("events", tables_["events"]).success
    failures = validate_cross(tables_).failures
    assert [(f.table, f.column, f.expectation) for f in failures] == [("events", "plover_type", "cameo_plover_crosswalk")]
    assert "{'cameo_code': '043', 'plover_type': 'ASSAULT'}" in failures[0].message
    failures = validate_table("events", make_table("events", [dict(event, cameo_code="0999", cameo_root="09")])).failures
    assert ("events", "cameo_code") in {(f.table, f.column) for f in failures}
    from steppe.analyse.sectors import load_taxonomy
    from steppe.gate.suites import suite_for

    in_set = {e.column: e.value_set for e in suite_for("sector_mentions") if type(e).__name__ == "ExpectColumnValuesToBeInSet"}
    assert set(in_set["sector_code"]) == set(load_taxonomy()) and in_set["isic_code"]


def test_gate_checks_spans_against_their_document_and_event_dates_against_publication():
    tables_ = seed_release_tables()
    assert validate_cross(tables_).success
    mentions = tables_["mentions"].to_pylist()
    mentions[0]["char_end"] = 10**6  # past the end of the document
    mentions[1]["char_start"] = -1  # before its start
    mentions[2]["char_end"] = mentions[2]["char_start"]  # empty
    tables_["mentions"] = make_table("mentions", mentions)
    failures = validate_cross(tables_).failures
    assert [(f.table, f.column, f.expectation) for f in failures] == [
        ("mentions", "char_start", "span_starts_in_text"),
        ("mentions", "char_end", "span_is_not_empty"),
        ("mentions", "char_end", "span_ends_in_document"),
    ]
    assert failures[2].examples == [{"mention_id": mentions[0]["mention_id"], "char_end": 10**6, "doc_n_chars": tables_["documents"]["n_chars"][0].as_py()}]
    tables_ = seed_release_tables()
    events = tables_["events"].to_pylist()
    fact = next(e for e in events if not e["negated"])
    fact["event_date"] = date(2026, 1, 1)  # the seed was published on 2025-11-28
    tables_["events"] = make_table("events", events)
    (failure,) = validate_cross(tables_).failures
    assert (failure.table, failure.column, failure.expectation) == ("events", "event_date", "fact_not_after_publication")
    assert failure.examples == [{"event_id": fact["event_id"], "event_date": "2026-01-01", "published": "2025-11-28"}]
    fact["event_date"] = date(2025, 11, 29)  # within the day's slack
    tables_["events"] = make_table("events", events)
    assert validate_cross(tables_).success


def test_a_cross_check_that_cannot_run_fails_with_its_error():
    tables_ = release_tables()
    tables_["sentences"] = tables_["sentences"].drop_columns(["char_end"])
    failures = validate_cross(tables_).failures
    assert {(f.table, f.column) for f in failures} == {("sentences", "char_end")}
    assert all("error:" in f.message for f in failures)


def test_the_gate_runs_every_tables_suite_then_the_cross_checks():
    tables_ = seed_release_tables()
    report = validate_tables(tables_)
    assert report.success, [f.message for f in report.failures]
    assert list(report.results) == [*tables(), "cross_foreign_keys", "cross_spans", "cross_event_dates", "events_crosswalk"]
    assert report.per_table["mentions"]["rows"] == tables_["mentions"].num_rows
    assert report.evaluated == report.successful == sum(s["evaluated"] for s in report.per_table.values())
    mentions = tables_["mentions"].to_pylist()
    mentions[0]["entity_type"] = "planet"
    mentions[1]["char_end"] = 10**6
    failing = validate_tables(dict(tables_, mentions=make_table("mentions", mentions)))
    assert [(f.table, f.column) for f in failing.failures] == [("mentions", "entity_type"), ("mentions", "char_end")]
    with pytest.raises(ValueError, match="missing \\['rejected'\\]"):
        validate_tables({name: t for name, t in tables_.items() if name != "rejected"})


def test_a_release_with_every_table_empty_validates():
    report = validate_tables({name: empty_table(name) for name in tables()})
    assert report.success, [f.message for f in report.failures]
    assert report.evaluated > 0


def test_the_gate_holds_one_tables_frame_at_a_time_and_none_after(monkeypatch):
    """GX's execution engine keeps every batch's dataframe while its data source lives; the gate
    removes each suite's data source once it has run, so one table's pandas copy is held at a
    time, and none after."""
    import gc
    import weakref

    from steppe.gate import validate

    made: list = []
    alive_when_made: list[int] = []
    original = validate.gx_frame

    def tracked(t):
        if any(ref() is not None for ref in made):
            gc.collect()  # only to tell a frame held in a reference cycle from one really kept
        alive_when_made.append(sum(ref() is not None for ref in made))
        frame = original(t)
        made.append(weakref.ref(frame))
        return frame

    monkeypatch.setattr(validate, "gx_frame", tracked)
    report = validate_tables(release_tables())
    gc.collect()
    assert report.success and len(made) == len(tables())  # a frame per table; the cross checks read Arrow
    assert alive_when_made == [0] * len(made)
    assert all(ref() is None for ref in made)


@pytest.mark.parametrize("planted", [False, True], ids=["passing", "failing"])
def test_a_suite_run_directly_reports_what_a_checkpoint_of_it_reports(planted):
    """run_suite runs a validation definition itself, without a checkpoint around it (whose
    actions the gate does not use): the result is the one a checkpoint of that definition gives."""
    import great_expectations as gx

    from steppe.gate.suites import gx_context, gx_frame, run_suite, suite_for

    mentions = seed_release_tables()["mentions"].to_pylist()
    if planted:
        mentions[0]["mention_id"] = "not-an-id"
        mentions[1]["score"] = 7.5
        mentions.append(dict(mentions[3]))
    frame = gx_frame(make_table("mentions", mentions))
    context = gx_context()
    direct = run_suite(context, "mentions", suite_for("mentions"), frame)
    source = context.data_sources.add_pandas("mentions")
    batch = source.add_dataframe_asset("mentions").add_batch_definition_whole_dataframe("mentions")
    suite = context.suites.add(gx.ExpectationSuite(name="mentions", expectations=suite_for("mentions")))
    definition = context.validation_definitions.add(gx.ValidationDefinition(name="mentions", data=batch, suite=suite))
    checkpoint = context.checkpoints.add(gx.Checkpoint(name="mentions", validation_definitions=[definition], result_format="SUMMARY"))
    (checkpointed,) = json.loads(json.dumps(checkpoint.run(batch_parameters={"dataframe": frame}).describe_dict(), default=str))["validation_results"]
    assert direct["success"] is checkpointed["success"] is (not planted)
    assert json.dumps(direct) == json.dumps(checkpointed)


def test_the_gate_uses_only_gx_public_api():
    """No private module or name of GX, and nothing of it patched: the gate keeps working across GX releases."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (Path(__file__).resolve().parents[1] / "src" / "steppe" / "gate").glob("*.py"))
    imports = re.findall(r"^\s*(?:from|import) (great_expectations\S*)(?: import ([^\n]+))?", source, re.M)
    assert imports
    for module, names in imports:
        assert "._" not in module and "private" not in module, module
        assert not any(n.strip().startswith("_") for n in names.split(",")), names
    assert "HASH_THRESHOLD" not in source and "batch_manager" not in source
