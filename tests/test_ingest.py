"""Tests for steppe.ingest: every input form, every encoding, every way input goes wrong."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steppe.ids import file_sha256
from steppe.ingest.decode import DecodeError, decode_bytes
from steppe.ingest.discover import list_input_files
from steppe.ingest.inventory import InputFile, Inventory
from steppe.ingest.metadata import normalise_language
from steppe.ingest.read import (
    REJECTION_REASONS,
    Limits,
    RawDocument,
    Rejection,
    iter_raw,
    read_raw,
)
from steppe.languages import SUPPORTED_LANGUAGES
from steppe.text import normalise_text

UTC = timezone.utc
REPO = Path(__file__).resolve().parents[1]

RU = "Президент Казахстана Касым-Жомарт Токаев провёл переговоры с Владимиром Путиным в Астане."
PT = "O presidente do Cazaquistão recebeu o presidente da Rússia em Astana; a cooperação em energia é crítica."
KK = "Қазақстан Президенті Қасым-Жомарт Тоқаев Астанада Ресей Президенті Владимир Путинмен кездесті."
EN = "Kazakhstan's president met the Russian president in Astana to discuss energy."


def write(base: Path, rel: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = base / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def only(items: list):  # type: ignore[no-untyped-def]
    assert len(items) == 1, items
    return items[0]


# ---------------------------------------------------------------------------
# The seed article of the repository
# ---------------------------------------------------------------------------


def test_reads_the_seed_raw_folder_of_the_repository() -> None:
    documents, rejections, inventory = read_raw(REPO / "data" / "raw")
    assert rejections == []
    doc = only(documents)
    assert doc.source_file == "000_557d3577f576d2aa.txt"
    assert doc.source_line == 1
    assert doc.language == "pt"
    assert doc.published_at == datetime(2025, 11, 28, tzinfo=UTC)
    assert doc.encoding == "utf-8"
    assert doc.text.startswith("O presidente do Cazaquistão, Qasym-Zhomart Toqaev")
    assert "27 de novembro" in doc.text
    assert unicodedata.is_normalized("NFC", doc.text)
    assert [p.name for p in list_input_files(REPO / "data" / "raw")] == [
        "000_557d3577f576d2aa.meta.yaml",
        "000_557d3577f576d2aa.txt",
    ]
    # The inventory the committed release was fingerprinted with (same fields, same order).
    latest = json.loads((REPO / "data" / "processed" / "releases" / "latest.json").read_text())
    manifest = json.loads((REPO / "data" / "processed" / "releases" / latest["manifest"]).read_text())
    assert [f.__dict__ for f in inventory] == manifest["inputs"]


# ---------------------------------------------------------------------------
# .txt files and encodings
# ---------------------------------------------------------------------------


def test_plain_utf8_txt(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", PT + "\n")
    doc = only(read_raw(tmp_path)[0])
    assert doc == RawDocument(
        source_file="a.txt", source_line=1, source_id=None, text=PT + "\n", encoding="utf-8",
        url=None, title=None, publisher=None, author=None, published_at=None, language=None,
    )


def test_utf8_bom_is_recorded_and_stripped(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", codecs.BOM_UTF8 + PT.encode())
    doc = only(read_raw(tmp_path)[0])
    assert doc.text == PT
    assert doc.encoding == "utf-8-sig"


@pytest.mark.parametrize("text", [RU, PT, KK])
def test_utf16_with_bom(tmp_path: Path, text: str) -> None:
    write(tmp_path, "a.txt", text.encode("utf-16"))  # Python writes a BOM
    doc = only(read_raw(tmp_path)[0])
    assert (doc.text, doc.encoding) == (text, "utf-16")


@pytest.mark.parametrize(("codec", "text"), [("utf-16-le", RU), ("utf-16-be", RU), ("utf-16-le", PT), ("utf-16-be", KK)])
def test_utf16_without_bom_is_recognised_by_its_nul_pattern(tmp_path: Path, codec: str, text: str) -> None:
    write(tmp_path, "a.txt", text.encode(codec))
    doc = only(read_raw(tmp_path)[0])
    assert (doc.text, doc.encoding) == (text, codec)


def test_cp1251_russian_is_detected_and_decoded_exactly(tmp_path: Path) -> None:
    write(tmp_path, "ru.txt", RU.encode("cp1251"))
    documents, rejections, _ = read_raw(tmp_path)
    assert rejections == []
    doc = only(documents)
    assert doc.text == RU
    assert doc.encoding == "cp1251"


def test_koi8r_russian_is_detected(tmp_path: Path) -> None:
    write(tmp_path, "ru.txt", RU.encode("koi8-r"))
    doc = only(read_raw(tmp_path)[0])
    assert (doc.text, doc.encoding) == (RU, "koi8-r")


def test_latin1_portuguese_is_detected(tmp_path: Path) -> None:
    write(tmp_path, "pt.txt", PT.encode("latin-1"))
    doc = only(read_raw(tmp_path)[0])
    assert doc.text == PT
    # The two agree on every Portuguese letter; either is a faithful record.
    assert doc.encoding in ("latin-1", "cp1252")


@pytest.mark.parametrize(
    ("text", "codec"),
    [("São Paulo", "latin-1"), ("Ação", "cp1252"), ("Токаев", "cp1251"), ("Вот", "koi8-r"), ("Вот", "cp1251")],
)
def test_short_legacy_texts_are_not_mistaken_for_another_script(tmp_path: Path, text: str, codec: str) -> None:
    # On a few bytes charset-normalizer ranks several encodings as equally
    # clean; words mixing Latin and Cyrillic or flipping case must lose.
    write(tmp_path, "a.txt", text.encode(codec))
    assert only(read_raw(tmp_path)[0]).text == text


def test_cp1252_curly_quotes_are_decoded(tmp_path: Path) -> None:
    text = "“Cazaquistão” é um parceiro estratégico — disse o ministro."
    write(tmp_path, "pt.txt", text.encode("cp1252"))
    doc = only(read_raw(tmp_path)[0])
    assert (doc.text, doc.encoding) == (text, "cp1252")


def test_damaged_utf8_is_rejected_with_the_byte_offset(tmp_path: Path) -> None:
    good = PT.encode()
    data = good[:20] + b"\xff" + good[20:]
    write(tmp_path, "a.txt", data)
    documents, rejections, _ = read_raw(tmp_path)
    assert documents == []
    rejection = only(rejections)
    assert (rejection.source_file, rejection.source_line, rejection.reason) == ("a.txt", 0, "undecodable")
    assert "byte offset 20" in rejection.detail
    assert "0xff" in rejection.detail


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00",
        bytes(range(256)) * 4,
        b"\x01\x02\x03\x04\x05\x06\x07\x08abc\x0e\x0f\x10\x11\x12\x13\x14\x15",
    ],
)
def test_binary_file_named_txt_is_rejected(tmp_path: Path, data: bytes) -> None:
    write(tmp_path, "photo.txt", data)
    documents, rejections, _ = read_raw(tmp_path)
    assert documents == []
    rejection = only(rejections)
    assert (rejection.source_file, rejection.source_line, rejection.reason) == ("photo.txt", 0, "binary")


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", codecs.BOM_UTF8, " \n".encode("utf-16")])
def test_empty_and_whitespace_files_are_rejected(tmp_path: Path, data: bytes) -> None:
    write(tmp_path, "blank.txt", data)
    documents, rejections, _ = read_raw(tmp_path)
    assert documents == []
    assert only(rejections) == Rejection("blank.txt", 0, "empty", only(rejections).detail)


def test_text_is_nfc_normalised(tmp_path: Path) -> None:
    decomposed = "Cazaquista\u0303o e Ru\u0301ssia"
    write(tmp_path, "a.txt", decomposed)
    doc = only(read_raw(tmp_path)[0])
    assert doc.text == "Cazaquistão e Rússia"
    assert "\u0303" not in doc.text


def test_line_breaks_are_normalised(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "one\r\ntwo\rthree\n")
    assert only(read_raw(tmp_path)[0]).text == "one\ntwo\nthree\n"


def test_normalise_text() -> None:
    assert normalise_text("\ufeffa\r\nb\rc") == "a\nb\nc"
    assert normalise_text("Cazaquista\u0303o") == "Cazaquistão"
    # nothing else changes: whitespace and inner BOM-like characters stay
    assert normalise_text("  a\u00a0b\t \n") == "  a\u00a0b\t \n"


def test_decode_bytes() -> None:
    assert decode_bytes(RU.encode()) == (RU, "utf-8")
    assert decode_bytes(RU.encode("cp1251")) == (RU, "cp1251")
    with pytest.raises(DecodeError) as raised:
        decode_bytes(b"\x00\x01\x02\xff\x00\xfe")
    assert isinstance(raised.value, ValueError)
    assert raised.value.reason == "binary"
    with pytest.raises(DecodeError) as raised:
        decode_bytes("ação".encode() + b"\xc3")
    assert raised.value.reason == "undecodable"
    assert raised.value.offset == 6


# ---------------------------------------------------------------------------
# Sidecars
# ---------------------------------------------------------------------------


def test_json_sidecar(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", PT)
    write(tmp_path, "a.meta.json", json.dumps({
        "id": "g1-123", "url": "https://g1.globo.com/x", "title": "Título", "publisher": "G1",
        "author": "Fulano", "published": "16 de novembro de 2017, 14h05", "language": "Portuguese",
        "section": "politica",
    }))
    documents, rejections, _ = read_raw(tmp_path)
    assert rejections == []
    doc = only(documents)
    assert (doc.source_id, doc.url, doc.title, doc.publisher, doc.author) == (
        "g1-123", "https://g1.globo.com/x", "Título", "G1", "Fulano")
    assert doc.published_at == datetime(2017, 11, 16, 14, 5, tzinfo=UTC)
    assert doc.language == "pt"


@pytest.mark.parametrize("suffix", [".meta.yaml", ".meta.yml"])
def test_yaml_sidecar_with_a_date_object(tmp_path: Path, suffix: str) -> None:
    write(tmp_path, "ru.txt", RU)
    write(tmp_path, "ru" + suffix, "# comment\nid: 42\nlanguage: ru-RU\npublished: 2025-11-28\ntitle: Визит\n")
    documents, rejections, _ = read_raw(tmp_path)
    assert rejections == []
    doc = only(documents)
    assert doc.published_at == datetime(2025, 11, 28, tzinfo=UTC)
    assert (doc.language, doc.source_id, doc.title) == ("ru", "42", "Визит")


def test_sidecar_with_impossible_date_keeps_document_and_reports_the_sidecar(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", PT)
    write(tmp_path, "a.meta.yaml", "published: 31/02/2025\nlanguage: pt\ntitle: T\n")
    documents, rejections, _ = read_raw(tmp_path)
    doc = only(documents)
    assert doc.published_at is None
    assert (doc.language, doc.title) == ("pt", "T")
    rejection = only(rejections)
    assert (rejection.source_file, rejection.source_line, rejection.reason) == ("a.meta.yaml", 0, "invalid-field")
    assert "published" in rejection.detail and "31/02/2025" in rejection.detail


def test_sidecar_with_unsupported_language(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", PT)
    write(tmp_path, "a.meta.json", '{"language": "klingon", "published": "2025-11-28"}')
    documents, rejections, _ = read_raw(tmp_path)
    doc = only(documents)
    assert doc.language is None
    assert doc.published_at == datetime(2025, 11, 28, tzinfo=UTC)
    rejection = only(rejections)
    assert rejection.reason == "invalid-field"
    assert "language" in rejection.detail and "klingon" in rejection.detail


def test_yaml_boolean_language_is_an_invalid_field(tmp_path: Path) -> None:
    # YAML 1.1 reads an unquoted `no` (Norwegian) as false.
    write(tmp_path, "a.txt", PT)
    write(tmp_path, "a.meta.yaml", "language: no\n")
    doc, rejection = list(iter_raw(tmp_path))
    assert doc.language is None
    assert rejection.reason == "invalid-field" and "boolean" in rejection.detail


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.meta.yaml", "title: [unclosed\n"),
        ("a.meta.yaml", "- just\n- a list\n"),
        ("a.meta.yaml", "# nothing\n"),
        ("a.meta.json", '{"title": "x",}'),
        ("a.meta.json", '"a string"'),
    ],
)
def test_malformed_sidecar_is_rejected_but_the_article_is_read(tmp_path: Path, name: str, content: str) -> None:
    write(tmp_path, "a.txt", PT)
    write(tmp_path, name, content)
    documents, rejections, _ = read_raw(tmp_path)
    doc = only(documents)
    assert doc.text == PT and doc.title is None
    rejection = only(rejections)
    assert (rejection.source_file, rejection.source_line, rejection.reason) == (name, 0, "malformed-sidecar")


def test_orphan_and_duplicate_sidecars(tmp_path: Path) -> None:
    write(tmp_path, "lonely.meta.json", '{"title": "no article"}')
    write(tmp_path, "b.txt", PT)
    write(tmp_path, "b.meta.json", '{"title": "one"}')
    write(tmp_path, "b.meta.yaml", "title: two\n")
    documents, rejections, _ = read_raw(tmp_path)
    assert only(documents).title is None
    assert [(r.source_file, r.reason) for r in rejections] == [
        ("b.meta.json", "duplicate-sidecar"),
        ("b.meta.yaml", "duplicate-sidecar"),
        ("lonely.meta.json", "orphan-sidecar"),
    ]


# ---------------------------------------------------------------------------
# JSONL
# ---------------------------------------------------------------------------


def test_jsonl_with_one_broken_line_among_good_ones(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "1", "text": PT, "language": "pt"}),
        json.dumps({"id": "2", "text": RU, "language": "ru"}),
        '{"id": "3", "text": "unterminated',
        "",
        json.dumps({"id": "4", "text": KK, "language": "kk"}),
        json.dumps({"id": "5", "text": EN, "language": "en"}),
    ]
    write(tmp_path, "batch.jsonl", "\n".join(lines) + "\n")
    documents, rejections, _ = read_raw(tmp_path)
    assert [(d.source_id, d.source_line) for d in documents] == [("1", 1), ("2", 2), ("4", 5), ("5", 6)]
    assert [d.text for d in documents] == [PT, RU, KK, EN]
    rejection = only(rejections)
    assert (rejection.source_file, rejection.source_line, rejection.reason) == ("batch.jsonl", 3, "malformed-json")


@pytest.mark.parametrize(("line", "kind"), [('["a", "b"]', "array"), ('"text"', "string"), ("42", "number"), ("null", "null")])
def test_jsonl_line_that_is_not_an_object(tmp_path: Path, line: str, kind: str) -> None:
    write(tmp_path, "a.jsonl", jsonl({"text": PT}) + line + "\n" + jsonl({"text": EN}))
    documents, rejections, _ = read_raw(tmp_path)
    assert [d.source_line for d in documents] == [1, 3]
    rejection = only(rejections)
    assert (rejection.source_line, rejection.reason) == (2, "not-an-object")
    assert kind in rejection.detail


def test_jsonl_missing_and_empty_text(tmp_path: Path) -> None:
    write(tmp_path, "a.jsonl", jsonl({"title": "no text"}, {"text": "  \n "}, {"text": None}, {"text": 7}, {"text": EN}))
    documents, rejections, _ = read_raw(tmp_path)
    assert only(documents).source_line == 5
    assert [(r.source_line, r.reason) for r in rejections] == [
        (1, "missing-text"), (2, "empty-text"), (3, "missing-text"), (4, "missing-text"),
    ]


def test_jsonl_field_problems_are_combined_into_one_rejection(tmp_path: Path) -> None:
    write(tmp_path, "a.jsonl", jsonl(
        {"id": "x", "text": PT, "published": "31/02/2025", "language": "Português"},
        {"id": "y", "text": PT, "published": "not a date", "language": "fr", "title": ["a", "b"]},
    ))
    items = list(iter_raw(tmp_path))
    assert [type(item).__name__ for item in items] == ["RawDocument", "Rejection", "RawDocument", "Rejection"]
    first_doc, first_rej, second_doc, second_rej = items
    assert (first_doc.published_at, first_doc.language) == (None, "pt")
    assert (first_rej.source_file, first_rej.source_line, first_rej.reason) == ("a.jsonl", 1, "invalid-field")
    assert "31/02/2025" in first_rej.detail
    assert (second_doc.published_at, second_doc.language, second_doc.title) == (None, None, None)
    assert second_rej.source_line == 2
    for needle in ("published", "not a date", "language", "'fr'", "title"):
        assert needle in second_rej.detail


def test_implausible_publication_year_is_an_invalid_field(tmp_path: Path) -> None:
    # As found in the Fake.br corpus: "14/12/0201" for 14/12/2017.
    write(tmp_path, "a.jsonl", jsonl({"text": PT, "published": "14/12/0201"}, {"text": PT, "published": "1/1/1800"}))
    documents, rejections, _ = read_raw(tmp_path)
    assert [d.published_at for d in documents] == [None, datetime(1800, 1, 1, tzinfo=UTC)]
    rejection = only(rejections)
    assert (rejection.source_line, rejection.reason) == (1, "invalid-field")
    assert "14/12/0201" in rejection.detail and "0201-12-14" in rejection.detail


def test_jsonl_metadata_fields_and_types(tmp_path: Path) -> None:
    write(tmp_path, "a.jsonl", jsonl(
        {"id": 17, "text": RU, "url": " https://tass.ru/1 ", "published": 1764288000, "language": "Русский"},
        {"id": "", "text": KK, "published": "2025 жылғы 27 қарашада", "language": "kaz"},
    ))
    documents, rejections, _ = read_raw(tmp_path)
    assert rejections == []
    ru, kk = documents
    assert (ru.source_id, ru.url, ru.language) == ("17", "https://tass.ru/1", "ru")
    assert ru.published_at == datetime(2025, 11, 28, tzinfo=UTC)
    assert (kk.source_id, kk.language, kk.published_at) == (None, "kk", datetime(2025, 11, 27, tzinfo=UTC))


def test_jsonl_bad_utf8_line_is_rejected_alone(tmp_path: Path) -> None:
    data = jsonl({"text": PT}).encode() + b'{"text": "caf\xe9"}\n' + jsonl({"text": RU}).encode()
    write(tmp_path, "a.jsonl", data)
    documents, rejections, _ = read_raw(tmp_path)
    assert [d.text for d in documents] == [PT, RU]
    rejection = only(rejections)
    assert (rejection.source_line, rejection.reason) == (2, "undecodable")
    assert f"byte offset {len(jsonl({'text': PT}).encode()) + 13}" in rejection.detail


def test_jsonl_in_utf16_and_cp1251(tmp_path: Path) -> None:
    write(tmp_path, "a.jsonl", jsonl({"text": RU}, {"text": KK}).encode("utf-16"))
    write(tmp_path, "b.jsonl", jsonl({"text": RU, "title": "Переговоры в Астане"}).encode("cp1251"))
    documents, rejections, _ = read_raw(tmp_path)
    assert rejections == []
    assert [(d.source_file, d.text, d.encoding) for d in documents] == [
        ("a.jsonl", RU, "utf-16"), ("a.jsonl", KK, "utf-16"), ("b.jsonl", RU, "cp1251"),
    ]


def test_jsonl_lone_surrogate_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "a.jsonl", '{"text": "bad \\ud800 text"}\n{"text": "ok", "title": "\\udc00"}\n')
    documents, rejections, _ = read_raw(tmp_path)
    assert [(r.source_line, r.reason) for r in rejections] == [(1, "undecodable"), (2, "invalid-field")]
    assert only(documents).title is None


def test_jsonl_gz(tmp_path: Path) -> None:
    write(tmp_path, "a.jsonl.gz", gzip.compress(jsonl({"text": PT}, {"text": RU}).encode()))
    documents, rejections, _ = read_raw(tmp_path)
    assert rejections == []
    assert [(d.source_file, d.source_line, d.text) for d in documents] == [("a.jsonl.gz", 1, PT), ("a.jsonl.gz", 2, RU)]


def test_jsonl_gz_that_is_not_gzip(tmp_path: Path) -> None:
    write(tmp_path, "a.jsonl.gz", jsonl({"text": PT}))
    documents, rejections, _ = read_raw(tmp_path)
    assert documents == []
    rejection = only(rejections)
    assert (rejection.source_file, rejection.source_line, rejection.reason) == ("a.jsonl.gz", 0, "malformed-gzip")


def test_truncated_jsonl_gz_gives_one_file_rejection(tmp_path: Path) -> None:
    data = gzip.compress(jsonl(*({"text": f"{PT} {i}"} for i in range(2000))).encode())
    write(tmp_path, "a.jsonl.gz", data[: len(data) // 2])
    rejection = only(read_raw(tmp_path)[1])
    assert (rejection.source_line, rejection.reason) == (0, "malformed-gzip")
    assert "truncated" in rejection.detail


def test_empty_jsonl_and_binary_jsonl(tmp_path: Path) -> None:
    write(tmp_path, "blank.jsonl", "\n\n  \n")
    write(tmp_path, "zipped.jsonl", gzip.compress(b'{"text": "x"}\n' * 50))
    documents, rejections, _ = read_raw(tmp_path)
    assert documents == []
    assert [(r.source_file, r.source_line, r.reason) for r in rejections] == [
        ("blank.jsonl", 0, "empty"), ("zipped.jsonl", 0, "binary"),
    ]
    assert "gzip" in rejections[1].detail


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def test_csv_with_embedded_newlines_and_quotes(tmp_path: Path) -> None:
    content = (
        "id,title,text,language,published\r\n"
        'a1,"Visita, oficial","Primeira linha.\r\nSegunda linha com ""aspas"".",pt,13/12/2017\r\n'
        'a2,Plain,"Третья\nстрока",ru,27.11.2025 г.\r\n'
    )
    write(tmp_path, "news.csv", content)
    documents, rejections, _ = read_raw(tmp_path)
    assert rejections == []
    first, second = documents
    assert (first.source_id, first.source_line, first.title) == ("a1", 2, "Visita, oficial")
    assert first.text == 'Primeira linha.\nSegunda linha com "aspas".'
    assert first.published_at == datetime(2017, 12, 13, tzinfo=UTC)
    assert (second.source_id, second.source_line, second.text) == ("a2", 4, "Третья\nстрока")
    assert second.language == "ru"


def test_csv_without_text_column(tmp_path: Path) -> None:
    write(tmp_path, "a.csv", "id,body\n1,hello\n2,world\n")
    documents, rejections, _ = read_raw(tmp_path)
    assert documents == []
    rejection = only(rejections)
    assert (rejection.source_file, rejection.source_line, rejection.reason) == ("a.csv", 1, "missing-text")
    assert "body" in rejection.detail


def test_csv_bad_records_do_not_take_the_file_down(tmp_path: Path) -> None:
    content = (
        "id,text\n"            # 1
        "1,good one\n"         # 2
        "2,too,many\n"         # 3
        '3,"bad "quote" here"\n'  # 4
        "4,\n"                 # 5  empty text
        ",\n"                  # 6  a row of empty cells: not data
        "\n"                   # 7
        '5,"last\none"\n'      # 8-9
    )
    write(tmp_path, "a.csv", content)
    documents, rejections, _ = read_raw(tmp_path)
    assert [(d.source_id, d.source_line) for d in documents] == [("1", 2), ("5", 8)]
    assert [(r.source_line, r.reason) for r in rejections] == [
        (3, "malformed-csv"), (4, "malformed-csv"), (5, "empty-text"),
    ]


def test_csv_unclosed_quote_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "a.csv", 'id,text\n1,ok\n2,"never closed\n3,lost\n')
    documents, rejections, _ = read_raw(tmp_path)
    assert [d.source_id for d in documents] == ["1"]
    rejection = only(rejections)
    assert (rejection.source_line, rejection.reason) == (3, "malformed-csv")
    assert "lines 3-4" in rejection.detail


def test_csv_semicolon_delimiter_bom_and_capitalised_header(tmp_path: Path) -> None:
    write(tmp_path, "a.csv", codecs.BOM_UTF8 + "ID;Text;Language\n7;Olá, mundo;Português\n".encode())
    doc = only(read_raw(tmp_path)[0])
    assert (doc.source_id, doc.text, doc.language, doc.encoding) == ("7", "Olá, mundo", "pt", "utf-8-sig")


def test_csv_in_cp1251(tmp_path: Path) -> None:
    write(tmp_path, "a.csv", f"text,title\n{RU},Визит\n".encode("cp1251"))
    doc = only(read_raw(tmp_path)[0])
    assert (doc.text, doc.title, doc.encoding) == (RU, "Визит", "cp1251")


def test_empty_csv(tmp_path: Path) -> None:
    write(tmp_path, "a.csv", "")
    assert only(read_raw(tmp_path)[1]).reason == "empty"


# ---------------------------------------------------------------------------
# The folder: formats, paths, ordering
# ---------------------------------------------------------------------------


def test_unsupported_hidden_and_readme_files(tmp_path: Path) -> None:
    write(tmp_path, ".gitkeep", "")
    write(tmp_path, ".hidden/secret.txt", PT)
    write(tmp_path, "README.md", "# about")
    write(tmp_path, "README", "about")
    write(tmp_path, "notes.docx", b"PK\x03\x04")
    write(tmp_path, "table.json", "{}")
    documents, rejections, _ = read_raw(tmp_path)
    assert documents == []
    assert [(r.source_file, r.source_line, r.reason) for r in rejections] == [
        ("notes.docx", 0, "unsupported-format"), ("table.json", 0, "unsupported-format"),
    ]


def test_subdirectories_and_deterministic_order(tmp_path: Path) -> None:
    # written out of order on purpose
    write(tmp_path, "z.txt", EN)
    write(tmp_path, "b/2.txt", RU)
    write(tmp_path, "a.jsonl", jsonl({"text": PT}, {"text": KK}))
    write(tmp_path, "b/1.csv", f"text\n{EN}\n")
    write(tmp_path, "b/c/0.txt", PT)
    first = list(iter_raw(tmp_path))
    assert [(d.source_file, d.source_line) for d in first] == [
        ("a.jsonl", 1), ("a.jsonl", 2), ("b/1.csv", 2), ("b/2.txt", 1), ("b/c/0.txt", 1), ("z.txt", 1),
    ]
    assert list(iter_raw(tmp_path)) == first


def test_symlink_outside_the_raw_folder_is_not_followed(tmp_path: Path) -> None:
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    write(outside, "secret.txt", "do not read me")
    write(outside, "dir/secret2.txt", "nor me")
    write(raw, "inside.txt", PT)
    os.symlink(outside / "secret.txt", raw / "link.txt")
    os.symlink(outside / "dir", raw / "linkdir")
    os.symlink(raw / "inside.txt", raw / "alias.txt")  # inside: followed
    documents, rejections, _ = read_raw(raw)
    assert [(d.source_file, d.text) for d in documents] == [("alias.txt", PT), ("inside.txt", PT)]
    assert [(r.source_file, r.source_line, r.reason) for r in rejections] == [
        ("link.txt", 0, "unsafe-path"), ("linkdir", 0, "unsafe-path"),
    ]
    assert all(str(tmp_path) not in r.detail for r in rejections)
    assert [p.name for p in list_input_files(raw)] == ["alias.txt", "inside.txt"]


def test_symlink_loop_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "sub/a.txt", PT)
    os.symlink(tmp_path / "sub", tmp_path / "sub" / "again")
    documents, rejections, _ = read_raw(tmp_path)
    assert [d.source_file for d in documents] == ["sub/a.txt"]
    assert [(r.source_file, r.reason) for r in rejections] == [("sub/again", "unsafe-path")]


def test_fifo_is_rejected_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    rejection = only(read_raw(tmp_path)[1])
    assert (rejection.source_file, rejection.reason) == ("pipe.txt", "unsupported-format")
    assert list_input_files(tmp_path) == []


def test_read_errors_become_rejections(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "a.txt", PT)

    def fail(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", fail)
    _, rejections, inventory = read_raw(tmp_path)
    rejection = only(rejections)
    assert (rejection.source_file, rejection.reason) == ("a.txt", "unreadable")
    assert str(tmp_path) not in rejection.detail
    assert inventory == [InputFile("a.txt", -1, "")]  # still an input, of unknown bytes


def test_the_inventory_is_every_input_file_with_its_size_and_hash(tmp_path: Path) -> None:
    """The reader hashes what it decodes; files it does not decode are hashed too, so the
    inventory is the size and SHA-256 of every file list_input_files names, by path."""
    write(tmp_path, "a.txt", PT)
    write(tmp_path, "a.meta.yaml", "language: pt\n")
    write(tmp_path, "b.txt", RU)
    write(tmp_path, "b.meta.json", '{"language": "ru"}')
    write(tmp_path, "b.meta.yaml", "language: ru\n")  # duplicate sidecars: neither is read
    write(tmp_path, "orphan.meta.yaml", "language: en\n")
    write(tmp_path, "big.txt", PT * 50)  # over the file cap: rejected unread
    write(tmp_path, "bin.txt", b"\x00\x01\x02\x03" * 100)
    write(tmp_path, "empty.jsonl", b"")
    write(tmp_path, "d/x.jsonl.gz", gzip.compress(jsonl({"text": PT}, {"text": RU}).encode()))
    write(tmp_path, "d/broken.jsonl.gz", gzip.compress(jsonl({"text": PT}).encode() * 500)[:-40])
    write(tmp_path, "no-text.csv", "title,body\n" + "x,y\n" * 5000)  # the reader stops at the header
    write(tmp_path, "c.csv", f"text\n{KK}\n".encode("cp1251", "replace"))
    write(tmp_path, "d.pdf", b"%PDF-1.4")
    write(tmp_path, ".hidden.txt", PT)
    write(tmp_path, "README.md", "hi")
    documents, rejections, inventory = read_raw(tmp_path, Limits(max_file_bytes=len(PT.encode()) * 10))
    assert documents and rejections
    expected = [
        InputFile(path.relative_to(tmp_path).as_posix(), path.stat().st_size, file_sha256(path))
        for path in list_input_files(tmp_path)
    ]
    assert inventory == expected
    assert [f.path for f in inventory] == sorted(f.path for f in inventory)


def test_the_streamed_inventory_is_complete_once_the_stream_is(tmp_path: Path) -> None:
    write(tmp_path, "a.jsonl", jsonl({"text": PT}, {"text": RU}))
    write(tmp_path, "z.pdf", b"%PDF-1.4")
    inventory = Inventory()
    items = list(iter_raw(tmp_path, inventory=inventory))
    assert len(items) == 3
    assert [f.path for f in inventory.files()] == ["a.jsonl", "z.pdf"]
    assert inventory.files()[0].sha256 == file_sha256(tmp_path / "a.jsonl")


def test_missing_raw_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_raw(tmp_path / "nope")


def test_list_input_files_includes_sidecars_and_skips_ignored_files(tmp_path: Path) -> None:
    write(tmp_path, "b.txt", PT)
    write(tmp_path, "b.meta.yaml", "language: pt\n")
    write(tmp_path, "a/x.jsonl.gz", gzip.compress(jsonl({"text": PT}).encode()))
    write(tmp_path, "c.csv", f"text\n{PT}\n")
    write(tmp_path, "d.pdf", b"%PDF-1.4")
    write(tmp_path, ".DS_Store", b"\x00")
    write(tmp_path, "README.md", "hi")
    files = list_input_files(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "a/x.jsonl.gz", "b.meta.yaml", "b.txt", "c.csv", "d.pdf",
    ]
    assert all(p.is_file() for p in files)


# Article-like text: any character but surrogates and control characters
# (a file full of those is binary, by design), with line breaks and tabs.
article_text = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n\r\t"), max_size=200
)
property_settings = settings(max_examples=60, deadline=None,
                             suppress_health_check=[HealthCheck.function_scoped_fixture])


@property_settings
@given(texts=st.lists(article_text, min_size=1, max_size=5))
def test_jsonl_round_trips_any_text(tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    raw = tmp_path_factory.mktemp("raw")
    write(raw, "a.jsonl", jsonl(*({"id": str(i), "text": text} for i, text in enumerate(texts))))
    items = list(iter_raw(raw))
    assert len(items) == len(texts)
    for i, (text, item) in enumerate(zip(texts, items), start=1):
        if normalise_text(text).strip():
            assert isinstance(item, RawDocument)
            assert (item.source_line, item.text) == (i, normalise_text(text))
        else:
            assert isinstance(item, Rejection) and (item.source_line, item.reason) == (i, "empty-text")


@property_settings
@given(texts=st.lists(article_text, min_size=1, max_size=5))
def test_csv_round_trips_any_text(tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    raw = tmp_path_factory.mktemp("raw")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["id", "text"])
    writer.writerows([str(i), text] for i, text in enumerate(texts))
    write(raw, "a.csv", buffer.getvalue())
    items = list(iter_raw(raw))
    assert len(items) == len(texts)
    for i, (text, item) in enumerate(zip(texts, items)):
        if normalise_text(text).strip():
            assert isinstance(item, RawDocument)
            assert (item.source_id, item.text) == (str(i), normalise_text(text))
        else:
            assert isinstance(item, Rejection) and item.reason == "empty-text"
    # each record starts on its own line, after the previous one's last line
    lines = [item.source_line for item in items]
    assert lines == sorted(set(lines)) and lines[0] == 2


def test_every_rejection_is_unique_and_well_formed(tmp_path: Path) -> None:
    # A messy folder: whatever happens, the rejected table keeps its primary key.
    write(tmp_path, "a.jsonl", jsonl({"text": PT, "published": "x", "language": "y"}) + "[1]\n{bad\n")
    write(tmp_path, "b.csv", "text,published\n,31/02/2025\nok,31/02/2025\n\"open\n")
    write(tmp_path, "c.txt", b"\x00\x01\x02")
    write(tmp_path, "d.txt", PT)
    write(tmp_path, "d.meta.json", '{"published": "31/02/2025", "language": "xx"}')
    write(tmp_path, "e.bin", b"\x00")
    items = list(iter_raw(tmp_path))
    rejections = [item for item in items if isinstance(item, Rejection)]
    keys = [(r.source_file, r.source_line) for r in rejections]
    assert len(keys) == len(set(keys))
    for rejection in rejections:
        assert rejection.reason in REJECTION_REASONS
        assert rejection.detail and not rejection.detail.startswith("/")
        assert not Path(rejection.source_file).is_absolute()
    for doc in (item for item in items if isinstance(item, RawDocument)):
        assert doc.text.strip()
        assert doc.published_at is None or doc.published_at.tzinfo is UTC
        assert doc.language is None or doc.language in SUPPORTED_LANGUAGES


def test_rejection_reason_must_be_known() -> None:
    with pytest.raises(ValueError):
        Rejection("a.txt", 0, "oops", "detail")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("pt", "pt"), ("PT", "pt"), ("pt-BR", "pt"), ("pt_BR", "pt"), ("por", "pt"), ("Portuguese", "pt"),
        ("português", "pt"), ("Portugues", "pt"), ("en-US", "en"), ("English", "en"), ("eng", "en"),
        ("ru", "ru"), ("Русский", "ru"), ("русский язык", "ru"), ("rus", "ru"), ("kk", "kk"), ("kaz", "kk"),
        ("kk-Cyrl-KZ", "kk"), ("Kazakh", "kk"), ("қазақ тілі", "kk"), ("es", "es"), ("Español", "es"),
        ("spa", "es"), ("fr", None), ("klingon", None), ("", None), ("p", None),
    ],
)
def test_normalise_language(value: str, code: str | None) -> None:
    assert normalise_language(value) == code
