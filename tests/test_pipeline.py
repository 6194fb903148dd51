"""The pipeline's stages as plain functions: IDs, duplicates, text policies, the tables they build."""

from datetime import datetime, timezone

import pytest

from steppe.analyse import document as pipeline
from steppe.analyse.names.registry import load_registry
from steppe.ids import content_id, sha256_text
from steppe.ingest.read import RawDocument, Rejection
from steppe.schema import table, tables
from steppe.tables import assemble
from steppe.tables import rows as table_rows
from steppe.tables.policy import TextPolicy, sentence_text

TEXT_PT = "O presidente do Cazaquistão recebe Putin. A visita ocorre em Astana."
TEXT_RU = "Президент Казахстана Касым-Жомарт Токаев провёл переговоры с Владимиром Путиным в Астане. Стороны подписали соглашение."


def raw(text: str, source_file: str = "a.txt", line: int = 1, language: str | None = None, **meta) -> RawDocument:
    fields = dict(
        source_file=source_file,
        source_line=line,
        source_id=None,
        text=text,
        encoding="utf-8",
        url=None,
        title=None,
        publisher=None,
        author=None,
        published_at=datetime(2025, 11, 28, tzinfo=timezone.utc),
        language=language,
    )
    fields.update(meta)
    return RawDocument(**fields)


def test_doc_id_is_derived_from_the_text_alone():
    a = pipeline.identify_documents([raw(TEXT_PT, "x.txt")])
    b = pipeline.identify_documents([raw(TEXT_PT, "renamed/y.jsonl", 7)])
    assert a[0].doc_id == b[0].doc_id == content_id(sha256_text(TEXT_PT))
    assert a[0].text_sha256 == sha256_text(TEXT_PT)
    assert len(a[0].doc_id) == 16


def test_exact_duplicates_point_at_the_first_copy():
    docs = pipeline.identify_documents(
        [raw(TEXT_PT, "a.jsonl", 1), raw(TEXT_RU, "a.jsonl", 2), raw(TEXT_PT, "a.jsonl", 3), raw(TEXT_PT, "b.txt", 1)]
    )
    original = docs[0].doc_id
    assert docs[0].duplicate_of is None and docs[1].duplicate_of is None
    assert docs[2].duplicate_of == original and docs[3].duplicate_of == original
    assert len({d.doc_id for d in docs}) == 4, "every row keeps a distinct ID"



def test_document_batches_read_a_stream_as_identify_documents_and_batched_do():
    """The flow reads the raw files a batch at a time: the same documents, IDs, duplicates,
    batches and rejections (in order) as reading everything first, and no further ahead."""
    stream = [
        raw(TEXT_PT, "a.jsonl", 1), Rejection("a.jsonl", 2, "malformed-json", "x"), raw(TEXT_RU, "a.jsonl", 3),
        raw(TEXT_PT, "a.jsonl", 4), raw("Outro texto.", "b.txt", 1), Rejection("c.bin", 0, "binary", "y"), raw(TEXT_RU, "d.txt", 1),
    ]
    documents = [item for item in stream if isinstance(item, RawDocument)]
    expected = pipeline.identify_documents(documents)
    for size in (1, 2, 3, 5, 100):
        reader = pipeline.DocumentBatches(iter(stream), size)
        got = list(reader)
        assert got == [list(b) for b in pipeline.batched(expected, size)]
        assert reader.rejections == [item for item in stream if isinstance(item, Rejection)]
        assert reader.documents == len(documents)
    read: list = []

    def counted():
        for item in stream:
            read.append(item)
            yield item

    batches = iter(pipeline.DocumentBatches(counted(), 2))
    first = next(batches)
    assert [d.raw for d in first] == documents[:2] and len(read) == 3  # two documents and the rejection between
    with pytest.raises(ValueError, match="at least 1"):
        pipeline.DocumentBatches(iter(stream), 0)


def test_metadata_language_wins_over_detection():
    p = pipeline.process_document("d", TEXT_RU, "ru")
    assert (p.language, p.language_source, p.language_confidence) == ("ru", "metadata", 1.0)
    detected = pipeline.process_document("d", TEXT_RU, None)
    assert detected.language == "ru" and detected.language_source == "detected"
    assert 0 < detected.language_confidence <= 1
    assert len(detected.sentences) == 2


def test_duplicates_are_not_processed_again():
    docs = pipeline.identify_documents([raw(TEXT_PT), raw(TEXT_PT, "b.txt")])
    assert [p.doc_id for p in pipeline.process_batch(docs)] == [docs[0].doc_id]


def test_build_tables_fills_documents_sentences_and_rejected():
    docs = pipeline.identify_documents([raw(TEXT_PT, language="pt"), raw(TEXT_RU, "r.txt"), raw(TEXT_PT, "c.txt")])
    processed = pipeline.process_batch(docs)
    rejections = [Rejection("bad.bin", 0, "binary", "not text")]
    built = assemble.build_tables(docs, processed, rejections, text_policy="full")
    assert list(built) == list(tables())
    documents = {r["doc_id"]: r for r in built["documents"].to_pylist()}
    dup = next(r for r in documents.values() if r["duplicate_of"])
    assert dup["language"] == "pt" and dup["n_sentences"] == 0
    assert documents[docs[1].doc_id]["language"] == "ru"
    sentences = built["sentences"].to_pylist()
    assert len(sentences) == 4
    for s in sentences:
        text = TEXT_PT if s["doc_id"] == docs[0].doc_id else TEXT_RU
        assert s["text"] == text[s["char_start"] : s["char_end"]]
    assert built["rejected"].to_pylist() == [{"source_file": "bad.bin", "source_line": 0, "reason": "binary", "detail": "not text"}]
    for name in tables():
        assert built[name].schema == tables()[name].arrow_schema()
    registry = load_registry()
    assert built["entities"].num_rows == len(registry.entities)
    names = built["entity_names"].to_pylist()
    assert {n["entity_id"] for n in names} == set(registry.entities)
    assert all(n["scheme"] for n in names if n["kind"] == "transliteration" and n["name"] not in {
        c.text for e in registry.entities.values() for c in e.names})
    mentions = built["mentions"].to_pylist()
    kaz = [m for m in mentions if m["entity_id"] == "country:kaz"]
    assert kaz and all(TEXT_PT[m["char_start"] : m["char_end"]] == m["surface"] for m in kaz if m["doc_id"] == docs[0].doc_id)
    ru = [m for m in mentions if m["doc_id"] == docs[1].doc_id]
    assert {m["surface"]: m["entity_id"] for m in ru if m["entity_id"]}["Владимиром Путиным"] == "person:vladimir-putin"
    spans = pipeline.process_document("x", TEXT_RU, "ru").sentences
    for m in ru:
        start, end = spans[m["sentence_idx"]]
        assert start <= m["char_start"] and m["char_end"] <= end, m


# The first sentence carries an event ("recebe"), so the evidence policy publishes it.
@pytest.mark.parametrize("policy, expected", [("full", TEXT_PT[:41]), ("evidence", TEXT_PT[:41]), ("none", None)])
def test_text_policy_decides_what_sentence_text_is_published(policy, expected):
    docs = pipeline.identify_documents([raw(TEXT_PT, language="pt")])
    built = assemble.build_tables(docs, pipeline.process_batch(docs), [], text_policy=policy)
    assert built["sentences"].to_pylist()[0]["text"] == expected


def test_evidence_policy_keeps_event_sentences_cut_to_300_characters():
    long_sentence = "Toqaev " + "a" * 400
    assert sentence_text(long_sentence, TextPolicy.EVIDENCE, True) == long_sentence[:300]
    assert sentence_text(long_sentence, TextPolicy.EVIDENCE, False) is None


def test_an_unknown_text_policy_is_refused_with_the_choices():
    assert TextPolicy("full") is TextPolicy.FULL and TextPolicy(TextPolicy.NONE) is TextPolicy.NONE
    with pytest.raises(ValueError, match="unknown text policy 'some'; expected one of full, evidence, none"):
        TextPolicy("some")
    docs = pipeline.identify_documents([raw(TEXT_PT, language="pt")])
    with pytest.raises(ValueError, match="unknown text policy 'some'"):
        assemble.build_tables(docs, pipeline.process_batch(docs), [], text_policy="some")


def test_batched_covers_every_item_once():
    items = list(range(11))
    assert [list(b) for b in pipeline.batched(items, 4)] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10]]
    with pytest.raises(ValueError):
        list(pipeline.batched(items, 0))


SEED_PATH = __import__("pathlib").Path(__file__).resolve().parents[1] / "data" / "raw" / "000_557d3577f576d2aa.txt"


def seed_tables(policy="evidence"):
    text = SEED_PATH.read_text(encoding="utf-8")
    docs = pipeline.identify_documents([raw(text, "seed.txt", language="pt")])
    return text, assemble.build_tables(docs, pipeline.process_batch(docs), [], text_policy=policy)


def test_events_point_at_their_trigger_and_follow_the_codebook():
    from steppe.analyse.events.codebook import load_codebook

    text, built = seed_tables()
    events = built["events"].to_pylist()
    codebook = load_codebook()
    assert len(events) >= 7
    for e in events:
        assert text[e["char_start"] : e["char_end"]] == e["trigger"]
        code = codebook[e["cameo_code"]]
        assert (e["cameo_root"], e["plover_type"], e["quad_class"], e["goldstein"]) == (code.root, code.plover_type, code.quad_class, code.goldstein)
    astana = [e for e in events if e["trigger"] == "recebido"]
    assert [(e["source_entity_id"], e["target_entity_id"], e["location_entity_id"], e["event_date"].isoformat()) for e in astana] == [
        ("person:kassym-jomart-tokayev", "person:vladimir-putin", "city:astana", "2025-11-27")
    ]


REPEATED = "Toqaev recebe Putin em Astana. O acordo de petróleo foi assinado. Mais tarde, Toqaev recebe Putin no palácio presidencial."


@pytest.mark.parametrize("chunk_docs", [1, 500])
def test_an_event_repeated_in_two_sentences_is_one_event_with_a_mention_in_each(chunk_docs):
    docs = pipeline.identify_documents([raw(REPEATED, "rep.txt", language="pt"), raw(TEXT_PT, "b.txt"), raw(REPEATED, "dup.txt")])
    built = assemble.build_tables(docs, pipeline.process_batch(docs), [], text_policy="evidence", chunk_docs=chunk_docs)
    doc_id = docs[0].doc_id
    (event,) = [e for e in built["events"].to_pylist() if e["doc_id"] == doc_id and e["cameo_code"] == "043"]
    assert event["n_mentions"] == 2
    reported = [m for m in built["event_mentions"].to_pylist() if m["event_id"] == event["event_id"]]
    second = REPEATED.index("recebe", 30)
    assert [(m["doc_id"], m["sentence_idx"], m["char_start"], m["char_end"], m["trigger"]) for m in reported] == [
        (doc_id, 0, event["char_start"], event["char_end"], "recebe"), (doc_id, 2, second, second + 6, "recebe")]
    # Every event has as many mentions as it counts, in sentences of its document, and no more rows than that
    # (the duplicate document reports nothing of its own).
    counts = {}
    for m in built["event_mentions"].to_pylist():
        counts[m["event_id"]] = counts.get(m["event_id"], 0) + 1
    assert counts == {e["event_id"]: e["n_mentions"] for e in built["events"].to_pylist()}
    sentences = {(s["doc_id"], s["sentence_idx"]): s for s in built["sentences"].to_pylist()}
    texts = {d.doc_id: d.text for d in docs}
    for m in built["event_mentions"].to_pylist():
        sentence = sentences[(m["doc_id"], m["sentence_idx"])]
        assert sentence["char_start"] <= m["char_start"] < m["char_end"] <= sentence["char_end"]
        assert texts[m["doc_id"]][m["char_start"] : m["char_end"]] == m["trigger"]


def test_evidence_policy_publishes_exactly_the_event_sentences():
    text, built = seed_tables("evidence")
    event_sentences = {(e["doc_id"], e["sentence_idx"]) for e in built["events"].to_pylist()}
    for s in built["sentences"].to_pylist():
        if (s["doc_id"], s["sentence_idx"]) in event_sentences:
            assert s["text"] == text[s["char_start"] : s["char_end"]][:300]
        else:
            assert s["text"] is None
    assert all(e["evidence"] for e in built["events"].to_pylist())


def test_sector_mentions_link_to_the_event_of_their_clause():
    text, built = seed_tables()
    events = {e["event_id"]: e for e in built["events"].to_pylist()}
    sectors = built["sector_mentions"].to_pylist()
    linked = {s["surface"]: events[s["event_id"]] for s in sectors if s["event_id"]}
    cooperation = {linked[s]["event_id"] for s in ("energia hidrelétrica", "pneus", "fertilizantes")}
    assert len(cooperation) == 1
    event = events[cooperation.pop()]
    assert {event["source_entity_id"], event["target_entity_id"]} & {"person:vladimir-putin", "person:kassym-jomart-tokayev"}
    for s in sectors:
        assert text[s["char_start"] : s["char_end"]] == s["surface"]
        if s["event_id"]:
            assert events[s["event_id"]]["sentence_idx"] == s["sentence_idx"]


def test_sector_summary_counts_every_sector_mention_once():
    _, built = seed_tables()
    summary = built["sector_summary"].to_pylist()
    assert sum(r["n_mentions"] for r in summary) == built["sector_mentions"].num_rows
    assert {r["month"] for r in summary} == {"2025-11"}
    assert any(r["country_pair"] in ("RUS-KAZ", "KAZ-RUS") for r in summary)


def test_tables_do_not_depend_on_how_many_documents_are_built_at_a_time():
    """Per-document rows are built a chunk of documents at a time; any chunk size gives the same tables."""
    seed_text = SEED_PATH.read_text(encoding="utf-8")
    published = datetime(2025, 11, 27, tzinfo=timezone.utc)
    docs = pipeline.identify_documents([
        raw(seed_text, "seed.txt", published_at=published),
        raw("Tokayev met Putin in Moscow on Monday and signed an agreement on oil.", "b.jsonl", 1, language="en", published_at=published),
        raw(seed_text, "copy.txt", published_at=published),  # a duplicate, in another chunk than its original
        raw("Токаев провёл переговоры с Путиным в Астане.", "b.jsonl", 2, language="ru", published_at=published),
    ])
    processed = pipeline.process_batch(docs)
    whole = assemble.build_tables(docs, processed, [], "evidence", chunk_docs=len(docs))
    assert whole["events"].num_rows and whole["sector_mentions"].num_rows and whole["sector_summary"].num_rows
    for size in (1, 2, 3):
        chunked = assemble.build_tables(docs, processed, [], "evidence", chunk_docs=size)
        assert {name: t.to_pylist() for name, t in chunked.items()} == {name: t.to_pylist() for name, t in whole.items()}, size
        assert all(t.equals(whole[name]) for name, t in chunked.items())


def test_assembling_uses_up_the_batches_tables():
    """assemble_tables frees each table's batch parts as it joins them; parts used twice are refused, not joined empty."""
    docs = pipeline.identify_documents([
        raw("Tokayev met Putin in Moscow and signed an agreement on oil.", "b.jsonl", 1, language="en"),
        raw("Токаев провёл переговоры с Путиным в Астане.", "b.jsonl", 2, language="ru"),
    ])
    processed = pipeline.process_batch(docs)
    parts = [assemble.batch_tables([d], [p]) for d, p in zip(docs, processed)]
    built = assemble.assemble_tables(docs, parts, [])
    assert built["mentions"].num_rows and built["mentions"].equals(assemble.build_tables(docs, processed, [])["mentions"])
    assert all(not part.tables for part in parts)
    with pytest.raises(ValueError, match="batch 0 has no sentences table"):
        assemble.assemble_tables(docs, parts, [])


def test_documents_without_their_texts_build_the_same_tables():
    """A run drops each batch's texts once analysed; the documents table needs none of them."""
    docs = pipeline.identify_documents([
        raw("Tokayev met Putin in Moscow and signed an agreement on oil.", "b.jsonl", 1, language="en"),
        raw("Tokayev met Putin in Moscow and signed an agreement on oil.", "b.jsonl", 2, language="en"),  # a duplicate
        raw("Токаев провёл переговоры с Путиным в Астане.", "b.jsonl", 3, language="ru"),
    ])
    processed = pipeline.process_batch(docs)
    parts = [assemble.batch_tables(docs, processed)]
    shed = [d.without_text() for d in docs]
    assert [d.n_chars for d in shed] == [len(d.text) for d in docs] and shed[0].without_text() is shed[0]
    with pytest.raises(ValueError, match=r"b\.jsonl:3\): its text was dropped after analysis"):
        shed[2].text
    built = assemble.assemble_tables(shed, parts, [])
    expected = assemble.build_tables(docs, processed, [])
    assert all(built[name].equals(expected[name]) for name in expected)


# --- Columnar table building, held to the row-by-row code it replaces ---------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from steppe.ids import content_ids  # noqa: E402
from steppe.tables.arrow import TableError, make_table, table_from_columns  # noqa: E402

_PARTS = st.one_of(st.none(), st.text(max_size=6), st.integers(-10**6, 10**12), st.floats(allow_nan=False, allow_infinity=False))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 4).flatmap(lambda width: st.lists(st.lists(_PARTS, min_size=width, max_size=width), max_size=6).map(lambda rows: (width, rows))), st.sampled_from(["", "m", "e"]))
def test_content_ids_of_columns_are_content_id_of_each_row(width_rows, prefix):
    width, rows = width_rows
    columns = [[row[i] for row in rows] for i in range(width)]
    if width == 0:
        assert content_ids(prefix=prefix) == []
        return
    assert content_ids(*columns, prefix=prefix) == [content_id(*row, prefix=prefix) for row in rows]


def _reference_mention_rows(processed):
    """The mentions table's rows as first built: a dict per mention."""
    import bisect

    rows = []
    for p in processed:
        starts = [s for s, _ in p.sentences]
        for m in p.mentions:
            rows.append({
                "mention_id": content_id(p.doc_id, m.char_start, m.char_end, m.entity_id, m.method, prefix="m"),
                "doc_id": p.doc_id, "sentence_idx": max(0, bisect.bisect_right(starts, m.char_start) - 1),
                "char_start": m.char_start, "char_end": m.char_end, "surface": m.surface, "entity_id": m.entity_id,
                "entity_type": m.entity_type, "method": m.method, "score": m.score,
            })
    return rows


def _reference_sentence_rows(docs, processed, policy, event_sentences):
    return [
        {"doc_id": d.doc_id, "sentence_idx": idx, "char_start": start, "char_end": end,
         "text": sentence_text(d.text[start:end], policy, (d.doc_id, idx) in event_sentences),
         "cut": idx in processed[d.doc_id].cut}
        for d in docs if d.duplicate_of is None
        for idx, (start, end) in enumerate(processed[d.doc_id].sentences)
    ]


@pytest.mark.parametrize("policy", list(TextPolicy))
def test_mention_and_sentence_columns_make_the_tables_rows_made(policy):
    texts = [TEXT_PT, TEXT_RU, "", "sem nomes aqui.", TEXT_PT + " Toqaev e Putin falaram em Astana.", _seed_text()]
    docs = pipeline.identify_documents([raw(t, f"{i}.txt", language="pt" if i != 1 else "ru") for i, t in enumerate(texts)] + [raw(TEXT_PT, "dup.txt")])
    processed = {p.doc_id: p for p in pipeline.process_batch([d for d in docs if d.duplicate_of is None])}
    originals = [d for d in docs if d.duplicate_of is None]
    event_sentences = frozenset((d.doc_id, 0) for d in originals[::2])
    assert any(p.mentions for p in processed.values()) and any(not p.sentences for p in processed.values())
    mentions = table_rows.mention_columns(processed[d.doc_id] for d in originals)
    assert table_from_columns("mentions", mentions).equals(make_table("mentions", _reference_mention_rows(processed[d.doc_id] for d in originals)))
    sentences = table_rows.sentence_columns(docs, processed, policy, event_sentences)
    assert table_from_columns("sentences", sentences).equals(make_table("sentences", _reference_sentence_rows(docs, processed, policy, event_sentences)))


def _seed_text() -> str:
    from pathlib import Path

    return next((Path(__file__).resolve().parents[1] / "data" / "raw").glob("*.txt")).read_text(encoding="utf-8")


def test_table_from_columns_refuses_what_make_table_refuses():
    good = {"source_file": ["a"], "source_line": [1], "reason": ["binary"], "detail": ["x"]}
    assert table_from_columns("rejected", good).equals(make_table("rejected", [{k: v[0] for k, v in good.items()}]))
    with pytest.raises(TableError, match="not declared.*'extra'"):
        table_from_columns("rejected", dict(good, extra=[1]))
    with pytest.raises(TableError, match="declared columns missing: \\['detail'\\]"):
        table_from_columns("rejected", {k: v for k, v in good.items() if k != "detail"})
    with pytest.raises(TableError, match="different lengths"):
        table_from_columns("rejected", dict(good, detail=["x", "y"]))
    with pytest.raises(TableError, match="column 'source_line'"):
        table_from_columns("rejected", dict(good, source_line=["one"]))


def _reference_event_rows(docs, processed, policy, registry):
    """The events table's rows as first built: a dict per event."""
    from steppe.analyse.events.codebook import load_codebook

    codebook = load_codebook()
    rows = []
    for d in (d for d in docs if d.duplicate_of is None):
        p = processed[d.doc_id]
        for ev in p.events:
            code = codebook[ev.cameo_code]
            start, end = p.sentences[ev.sentence_idx]
            location = registry.entities.get(ev.location_entity_id) if ev.location_entity_id else None
            row = {k: getattr(ev, k) for k in ("sentence_idx", "char_start", "char_end", "trigger", "cameo_code", "source_entity_id", "source_text",
                                                 "source_country", "source_type", "source_basis", "target_entity_id", "target_text",
                                                 "target_country", "target_type", "target_basis", "event_date", "date_precision", "location_entity_id", "negated", "is_background", "confidence")}
            row.update({
                "event_id": content_id(d.doc_id, ev.char_start, ev.cameo_code, ev.source_entity_id or ev.source_text,
                                       ev.target_entity_id or ev.target_text, ev.event_date, prefix="e"),
                "doc_id": d.doc_id, "cameo_root": code.root, "plover_type": code.plover_type, "quad_class": code.quad_class,
                "goldstein": code.goldstein, "country_iso3": location.country_iso3 if location else None,
                "n_evidence": max(1, len(ev.evidence_spans)), "evidence": sentence_text(d.text[start:end], policy, True),
                "n_mentions": max(1, len(ev.mentions)),
            })
            rows.append(row)
    return rows


@pytest.mark.parametrize("policy", list(TextPolicy))
def test_event_columns_make_the_tables_rows_made_and_sectors_link_to_their_ids(policy):
    texts = [TEXT_PT, TEXT_RU, "sem eventos.", _seed_text(), "Putin visitou Astana em 5 de dezembro. Tokayev recebeu Putin; o acordo de petróleo foi assinado."]
    docs = pipeline.identify_documents([raw(t, f"{i}.txt", language="ru" if i == 1 else "pt") for i, t in enumerate(texts)] + [raw(TEXT_RU, "dup.txt")])
    originals = [d for d in docs if d.duplicate_of is None]
    processed = {p.doc_id: p for p in pipeline.process_batch(originals)}
    registry = load_registry()
    columns = table_rows.event_columns(docs, processed, policy, registry)
    assert table_from_columns("events", columns).equals(make_table("events", _reference_event_rows(docs, processed, policy, registry)))
    assert len(columns["event_id"]) > 5 and any(columns["country_iso3"])
    # One event's ID, as the table gives it.
    assert [table_rows.event_id(d.doc_id, ev) for d in originals for ev in processed[d.doc_id].events] == columns["event_id"]
    # The sector mentions link to the events' IDs.
    events_of = {}
    for doc_id, eid in zip(columns["doc_id"], columns["event_id"]):
        events_of.setdefault(doc_id, []).append(eid)
    linked = [r for r in table_rows.sector_rows(docs, processed, events_of) if r["event_id"]]
    where = {eid: (doc_id, idx) for eid, doc_id, idx in zip(columns["event_id"], columns["doc_id"], columns["sentence_idx"])}
    assert linked and all(where[r["event_id"]] == (r["doc_id"], r["sentence_idx"]) for r in linked)  # an event of its own sentence


def test_a_joined_table_is_the_sorted_concatenation_chunk_for_chunk():
    """_joined sorts the batches' rows a column at a time: the same table as sorting them
    whole, down to the chunks (which decide the Parquet row groups)."""
    import pyarrow as pa

    from steppe.tables.arrow import sort_table

    rows = [
        {"doc_id": f"d{(i * 7) % 5}", "sentence_idx": (i * 3) % 4, "char_start": i, "char_end": i + 1, "text": None if i % 3 else f"s{i}", "cut": i % 5 == 0}
        for i in range(20)
    ]
    rows = list({(r["doc_id"], r["sentence_idx"]): r for r in rows}.values())
    parts = [make_table("sentences", rows[i : i + 3]) for i in range(0, len(rows), 3)]
    parts = [p.take(list(range(p.num_rows))[::-1]) for p in parts]  # not in key order within a batch either
    expected = sort_table(pa.concat_tables(parts), table("sentences"))
    given = list(parts)
    joined = assemble._joined("sentences", given)
    assert given == [] and joined.equals(expected) and joined.schema == expected.schema
    assert [[len(c) for c in col.chunks] for col in joined.columns] == [[len(c) for c in col.chunks] for col in expected.columns]
    assert joined.column("doc_id").to_pylist() == sorted(joined.column("doc_id").to_pylist())


def test_process_document_adds_each_stages_seconds_to_the_timings_it_is_given():
    text = "President Tok\u00adayev met Putin in Astana to discuss oil exports."
    timings = {"ingest": 1.0}
    timed = pipeline.process_document("d", text, None, None, timings=timings)
    assert timed == pipeline.process_document("d", text, None, None)
    assert set(timings) == {"ingest", "language", "sentences", "mentions", "events", "sectors"}
    assert timings["ingest"] > 1.0 and all(v > 0 for v in timings.values())
    assert timed.language_source == "detected" and any(m.entity_id == "person:kassym-jomart-tokayev" for m in timed.mentions)
