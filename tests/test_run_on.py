"""Text that runs on without a sentence end: kept, cut into bounded pieces, and the cut recorded.

An article of 320,000 characters with no line break and no . ! ? … is read,
analysed and published; its sentences are pieces of at most the size limit
(--max-sentence-chars), every piece but the last is marked ``cut`` in the
sentences table, and the dataset card counts them.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pyarrow.compute as pc
import pytest

from steppe.analyse import document as pipeline
from steppe.analyse.sentences import sentence_spans, split_sentences
from steppe.ingest.read import Limits, read_raw
from steppe.publish import plan as release_plan
from steppe.publish import release
from steppe.publish.card import render_card
from steppe.run import RunOptions, analyse
from steppe.tables import assemble
from steppe.text import MAX_SENTENCE_CHARS

NORMAL = "O presidente Tokayev recebeu Putin em Astana. Os dois assinaram um acordo sobre petróleo.\nA visita durou dois dias."
FILLER = "o vento sopra forte sobre a estepe sem parar "
RUN_LENGTH = 320_000


def run_on(length: int = RUN_LENGTH) -> str:
    """`length` characters of words and spaces, no line break and no stop."""
    text = (FILLER * (length // len(FILLER) + 1))[:length]
    return text[:-1] + "x"  # ends in a letter, so the run is exactly `length` characters of content


def run_on_article() -> str:
    return "Tokayev recebeu Putin em Astana.\n" + run_on()


def sentence_rows(tables, doc_id: str) -> list[dict]:
    sentences = tables["sentences"].filter(pc.equal(tables["sentences"]["doc_id"], doc_id))
    return sorted(sentences.to_pylist(), key=lambda row: row["sentence_idx"])


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory):
    """A release of two articles: a normal one and one that runs on for 320,000 characters."""
    from steppe.gate.validate import validate_tables

    root = tmp_path_factory.mktemp("run-on")
    raw = root / "raw"
    raw.mkdir()
    (raw / "normal.txt").write_text(NORMAL, encoding="utf-8")
    (raw / "run-on.txt").write_text(run_on_article(), encoding="utf-8")
    documents, rejections, inputs = read_raw(raw)
    docs = pipeline.identify_documents(documents)
    tables = assemble.build_tables(docs, pipeline.process_batch(docs), rejections, "full")
    report = validate_tables(tables)
    assert report.success, [f.message for f in report.failures]
    out = root / "processed"
    plan = release_plan.plan_release(out, inputs, "full", today=date(2025, 11, 28))
    done = release.publish(tables, report, out_dir=out, plan=plan, inputs=inputs, text_policy="full")
    return documents, rejections, docs, tables, done.path


def test_a_320000_character_run_without_a_sentence_end_is_kept(published) -> None:
    documents, rejections, *_ = published
    assert rejections == []
    assert sorted(d.source_file for d in documents) == ["normal.txt", "run-on.txt"]
    kept = next(d for d in documents if d.source_file == "run-on.txt")
    assert kept.text == run_on_article()


def test_its_pieces_are_bounded_exact_and_all_but_the_last_cut(published) -> None:
    _, _, docs, tables, _ = published
    doc = next(d for d in docs if d.raw.source_file == "run-on.txt")
    text = doc.text
    rows = sentence_rows(tables, doc.doc_id)
    assert rows[0]["text"] == "Tokayev recebeu Putin em Astana." and rows[0]["cut"] is False
    pieces = rows[1:]
    assert len(pieces) >= RUN_LENGTH // MAX_SENTENCE_CHARS
    for row in pieces:
        assert 0 < row["char_end"] - row["char_start"] <= MAX_SENTENCE_CHARS
        assert text[row["char_start"] : row["char_end"]] == row["text"]
    # The pieces cover the run: only the whitespace of each cut lies between them, and none is lost.
    run_start = text.index("\n") + 1
    assert pieces[0]["char_start"] == run_start and pieces[-1]["char_end"] == len(text)
    for before, after in zip(pieces, pieces[1:]):
        assert text[before["char_end"] : after["char_start"]].isspace()
    assert "".join(row["text"] + " " for row in pieces).rstrip() == text[run_start:]
    # Cut at whitespace: no word is split in two.
    assert all(re.fullmatch(r"[a-z ]+", row["text"]) and not row["text"].endswith(" ") for row in pieces)
    assert all(text[row["char_end"]] == " " for row in pieces[:-1])
    assert [row["cut"] for row in pieces] == [True] * (len(pieces) - 1) + [False]


def test_a_normal_document_has_no_cut_sentence(published) -> None:
    _, _, docs, tables, _ = published
    doc = next(d for d in docs if d.raw.source_file == "normal.txt")
    rows = sentence_rows(tables, doc.doc_id)
    assert [row["text"] for row in rows] == [
        "O presidente Tokayev recebeu Putin em Astana.", "Os dois assinaram um acordo sobre petróleo.", "A visita durou dois dias."]
    assert [row["cut"] for row in rows] == [False, False, False]


def test_the_card_counts_the_cut_sentences_and_the_release_declares_the_column(published) -> None:
    _, _, _, tables, path = published
    n_cut = pc.sum(tables["sentences"]["cut"]).as_py()
    assert n_cut >= RUN_LENGTH // MAX_SENTENCE_CHARS
    card = (path / "README.md").read_text(encoding="utf-8")
    assert f"{n_cut} of the {tables['sentences'].num_rows} sentences end at the size limit" in card
    assert "| `cut` | boolean |" in card  # the data dictionary, from the schema
    csv_header = (path / "csv" / "sentences.csv").read_text(encoding="utf-8").splitlines()[0]
    assert csv_header.split(",")[-1] == "cut"


def test_the_card_says_nothing_of_cuts_when_there_are_none(published) -> None:
    *_, path = published
    import json

    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    assert "size limit, not at a sentence end (`cut`" not in render_card(manifest)
    one = render_card(manifest, cut_sentences=1)
    assert f"1 of the {manifest['row_counts']['sentences']} sentence ends at the size limit" in one


def test_the_option_sets_the_size_of_the_pieces(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "run-on.txt").write_text(run_on(5_000), encoding="utf-8")
    (raw / "normal.txt").write_text(NORMAL, encoding="utf-8")
    options = RunOptions(raw_dir=raw, out_dir=tmp_path / "out", limits=Limits(max_sentence_chars=1_000))
    analysis = analyse(options)
    assert analysis.rejections == []
    tables = assemble.assemble_tables(analysis.docs, analysis.parts, analysis.rejections)
    sentences = tables["sentences"].to_pylist()
    cut = [row for row in sentences if row["cut"]]
    assert len(cut) >= 4 and all(row["char_end"] - row["char_start"] <= 1_000 for row in sentences)
    # The same folder again: the cache keys on the limit, so the pieces come back the same.
    again = analyse(options)
    assert again.stats.hits == 2
    assert assemble.assemble_tables(again.docs, again.parts, again.rejections)["sentences"].equals(tables["sentences"])


@pytest.mark.parametrize("limit", [1, 7, 50, 10_000])
def test_sentence_spans_mark_every_piece_but_the_last(limit: int) -> None:
    text = "Uma frase curta.\n" + run_on(2_000) + "\nOutra frase. Y" + "y" * 120
    spans, cut = sentence_spans(text, "pt", limit)
    assert spans == split_sentences(text, "pt", limit)
    assert all(e - s <= limit for s, e in spans)
    assert list(cut) == sorted(set(cut))
    # A piece is cut exactly when the next piece continues the same sentence (no break or stop between).
    for i, (start, end) in enumerate(spans):
        if i + 1 < len(spans):
            between = text[end : spans[i + 1][0]]
            continues = "\n" not in between and not text[start:end].endswith(".")
            assert (i in cut) == continues, (i, text[start:end][-20:], between)
        else:
            assert i not in cut
    if limit >= 2_000:
        assert cut == ()
