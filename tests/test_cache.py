"""The per-document cache of incremental runs: hits, misses, invalidation, corrupt entries."""

import hashlib
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

import steppe
from steppe.analyse import cache
from steppe.analyse import document as pipeline
from steppe.ingest.read import RawDocument
from steppe.tables import assemble
from steppe.text import MAX_SENTENCE_CHARS

TEXTS = [
    ("O presidente do Cazaquistão recebe Putin. A visita ocorre em Astana.", "pt"),
    ("Президент Казахстана Касым-Жомарт Токаев провёл переговоры с Владимиром Путиным в Астане. Стороны подписали соглашение.", None),
    ("Kazakhstan's president met Vladimir Putin in Astana on Thursday. They signed an agreement on oil transit.", "en"),
]


def raw(text: str, line: int, language: str | None) -> RawDocument:
    return RawDocument(
        source_file="feed.jsonl", source_line=line, source_id=None, text=text, encoding="utf-8", url=None, title=None,
        publisher=None, author=None, published_at=datetime(2025, 11, 28, tzinfo=timezone.utc), language=language,
    )


@pytest.fixture(scope="module")
def docs():
    rows = [raw(t, i, lang) for i, (t, lang) in enumerate(TEXTS, start=1)]
    rows.append(raw(TEXTS[0][0], 9, "pt"))  # an exact duplicate: never analysed, never cached
    return pipeline.identify_documents(rows)


@pytest.fixture(scope="module")
def fresh(docs):
    return pipeline.process_batch(docs)


def test_first_run_misses_and_second_run_hits_with_identical_results(tmp_path, docs, fresh):
    c = cache.DocumentCache(tmp_path, "v1" * 32)
    first, s1 = cache.process_batch(docs, c)
    assert (s1.hits, s1.misses, s1.written, s1.corrupt) == (0, 3, 3, 0)
    second, s2 = cache.process_batch(docs, c)
    assert (s2.hits, s2.misses, s2.written) == (3, 0, 0)
    assert first == fresh and second == fresh
    assert [p.mentions for p in second] == [p.mentions for p in fresh]


@pytest.mark.parametrize("policy", ["full", "none"])
def test_a_batch_analysed_through_the_cache_gives_the_tables_of_a_fresh_analysis(tmp_path, docs, fresh, policy):
    """What the flow's task does with a batch (the cache's analysis, then the tables), the cache's hits included."""
    expected = assemble.batch_tables(docs, fresh, policy)
    c = cache.DocumentCache(tmp_path, "v1" * 32)
    for hits in (0, 3):
        processed, stats = cache.process_batch(docs, c)
        parts = assemble.batch_tables(docs, processed, policy)
        assert stats.hits == hits
        assert all(parts.tables[name].equals(table) for name, table in expected.tables.items())
        assert parts.summary_keys == expected.summary_keys and parts.documents == expected.documents
    assert parts.tables["sentences"].column("text").null_count == (parts.tables["sentences"].num_rows if policy == "none" else 0)


def test_without_a_cache_every_document_is_analysed(docs, fresh):
    out, stats = cache.process_batch(docs, None)
    assert out == fresh and (stats.hits, stats.misses) == (0, 3)


def test_a_new_document_is_the_only_miss(tmp_path, docs):
    c = cache.DocumentCache(tmp_path, "v1" * 32)
    cache.process_batch(docs[:2], c)
    _, stats = cache.process_batch(docs, c)
    assert (stats.hits, stats.misses) == (2, 1)


def test_another_analysis_version_misses(tmp_path, docs):
    cache.process_batch(docs, cache.DocumentCache(tmp_path, "a" * 64))
    _, stats = cache.process_batch(docs, cache.DocumentCache(tmp_path, "b" * 64))
    assert (stats.hits, stats.misses) == (0, 3)


def test_the_key_follows_everything_process_document_reads():
    when = datetime(2025, 11, 28, tzinfo=timezone.utc)
    base = cache.document_key("d1", "text", "pt", when)
    assert base == cache.document_key("d1", "text", "pt", when)
    assert len({
        base,
        cache.document_key("d2", "text", "pt", when),
        cache.document_key("d1", "text!", "pt", when),
        cache.document_key("d1", "text", None, when),
        cache.document_key("d1", "text", "pt", None),
        cache.document_key("d1", "text", "pt", datetime(2025, 11, 29, tzinfo=timezone.utc)),
        cache.document_key("d1", "text", "pt", when, max_sentence_chars=500),
    }) == 7
    # The default size limit keys as a key without it, so `steppe cache prune` keeps a default run's entries.
    assert base == cache.document_key("d1", "text", "pt", when, max_sentence_chars=MAX_SENTENCE_CHARS)


def test_another_sentence_size_limit_misses_and_gives_its_own_sentences(tmp_path, docs, fresh):
    c = cache.DocumentCache(tmp_path, "v1" * 32)
    cache.process_batch(docs, c)
    short, stats = cache.process_batch(docs, c, max_sentence_chars=30)
    assert (stats.hits, stats.misses) == (0, 3)
    assert all(e - s <= 30 for p in short for s, e in p.sentences) and any(p.cut for p in short)
    again, stats = cache.process_batch(docs, c, max_sentence_chars=30)
    assert (stats.hits, stats.misses) == (3, 0) and again == short
    default, stats = cache.process_batch(docs, c)
    assert stats.hits == 3 and default == fresh and not any(p.cut for p in default)


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory):
    dst = tmp_path_factory.mktemp("pkg") / "steppe"
    shutil.copytree(Path(steppe.__file__).parent, dst, ignore=shutil.ignore_patterns("__pycache__"))
    return dst


@pytest.mark.parametrize(
    "edit",
    ["data/registry/people.yaml", "data/events/patterns/pt.yaml", "data/sectors/taxonomy.yaml", "data/names/roles.yaml", "analyse/events/code.py", "analyse/names/mentions.py", "tables/arrow.py", "schemas/fields.yaml"],
)
def test_changing_code_or_reference_data_changes_the_analysis_version(package_copy, edit):
    before = cache.analysis_version(package_copy)
    assert before == cache.analysis_version(package_copy)
    path = package_copy / edit
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"\n# edited\n")
        assert cache.analysis_version(package_copy) != before
    finally:
        path.write_bytes(original)
    assert cache.analysis_version(package_copy) == before


def test_the_installed_package_has_a_stable_version():
    assert cache.analysis_version() == cache.analysis_version()


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # partial write
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # one bit flipped in the payload
        lambda b: b"",  # empty file
        lambda b: b"not a cache entry",
    ],
)
def test_a_corrupt_entry_is_detected_rebuilt_and_rewritten(tmp_path, docs, fresh, damage):
    c = cache.DocumentCache(tmp_path, "v1" * 32)
    cache.process_batch(docs, c)
    key = cache.document_key(docs[1].doc_id, docs[1].text, docs[1].raw.language, docs[1].raw.published_at)
    path = c.path(key)
    good = path.read_bytes()
    path.write_bytes(damage(good))
    out, stats = cache.process_batch(docs, c)
    assert out == fresh
    assert (stats.hits, stats.misses, stats.corrupt, stats.written) == (2, 1, 1, 1)
    assert path.read_bytes() == good
    _, stats = cache.process_batch(docs, c)
    assert (stats.hits, stats.corrupt) == (3, 0)


def test_an_entry_of_another_document_is_not_used(tmp_path, docs, fresh):
    c = cache.DocumentCache(tmp_path, "v1" * 32)
    cache.process_batch(docs, c)
    keys = [cache.document_key(d.doc_id, d.text, d.raw.language, d.raw.published_at) for d in docs[:2]]
    shutil.copy(c.path(keys[0]), c.path(keys[1]))
    out, stats = cache.process_batch(docs, c)
    assert out == fresh and stats.corrupt == 1


def test_no_temporary_files_are_left_behind(tmp_path, docs):
    cache.process_batch(docs, cache.DocumentCache(tmp_path, "v1" * 32))
    names = [p.name for p in tmp_path.rglob("*") if p.is_file()]
    assert len(names) == 3 and all(n.endswith(".bin") for n in names)


def test_stats_line_reports_hits_and_misses():
    s = cache.CacheStats(hits=9990, misses=10, written=10)
    assert s.line() == "Cache: 9990 hits, 10 misses (99.9% reused), 10 entries written."
    s.corrupt = 2
    assert "2 corrupt entries rebuilt" in s.line()


def test_cache_folder_is_ignored_by_git():
    import subprocess

    repo = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        ["git", "-C", str(repo), "check-ignore", "-q", "data/processed/cache/docs/ab/x.bin"], capture_output=True
    )
    assert result.returncode == 0


def test_an_entry_that_would_run_code_is_refused_even_with_a_good_checksum():
    import os
    import pickle
    import zlib

    class Exploit:
        def __reduce__(self):
            return (os.system, ("echo owned",))

    payload = zlib.compress(pickle.dumps(Exploit()), 6)
    blob = cache.MAGIC + hashlib.sha256(payload).digest() + payload
    assert cache.decode_entry(blob) is None


def test_a_processed_document_round_trips_through_an_entry():
    from datetime import datetime, timezone

    from steppe.analyse.document import process_document

    text = "O presidente Tokayev recebeu Putin em Astana no dia 27 de novembro; assinaram acordos sobre petróleo e urânio."
    done = process_document("00000000000000aa", text, "pt", datetime(2025, 11, 28, tzinfo=timezone.utc))
    assert done.events and done.mentions and done.sectors
    assert cache.decode_entry(cache.encode_entry(done)) == done
    run_on = process_document("00000000000000ab", text + " " + "palavra " * 3000, "pt", max_sentence_chars=1000)
    assert run_on.cut
    assert cache.decode_entry(cache.encode_entry(run_on)) == run_on


def test_an_events_mentions_round_trip_through_an_entry():
    from datetime import datetime, timezone

    from steppe.analyse.document import process_document

    text = "Toqaev recebe Putin em Astana. Mais tarde, Toqaev recebe Putin no palácio presidencial."
    done = process_document("00000000000000aa", text, "pt", datetime(2025, 11, 28, tzinfo=timezone.utc))
    back = cache.decode_entry(cache.encode_entry(done))
    assert back == done
    assert [(m.sentence_idx, m.trigger) for e in back.events if e.cameo_code == "043" for m in e.mentions] == [(0, "recebe"), (1, "recebe")]


# --- Pruning: the cache holds about one entry per article, whatever the history ---------


def entries(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "docs").rglob("*") if p.is_file())


def test_prune_removes_older_versions_unused_entries_and_unfinished_writes(tmp_path, docs):
    old, new = cache.DocumentCache(tmp_path, "a" * 64), cache.DocumentCache(tmp_path, "b" * 64)
    cache.process_batch(docs, old)
    _, first = cache.process_batch(docs, new)
    assert len(first.keys) == 3  # the duplicate is never looked up
    edited = pipeline.identify_documents([raw(TEXTS[0][0] + " Editado.", 1, "pt"), *(d.raw for d in docs[1:3])])
    _, run = cache.process_batch(edited, new)
    assert (run.hits, run.misses) == (2, 1)
    gone_key = cache.document_key(docs[0].doc_id, docs[0].text, "pt", docs[0].raw.published_at)
    unfinished = new.path(run.keys[0]).with_name(f".{run.keys[0]}.123.tmp")
    unfinished.write_bytes(b"half")
    foreign = new.dir / "notes.txt"
    foreign.write_text("not the cache's")
    before = entries(tmp_path)

    pruned = cache.prune(tmp_path, "b" * 64, run.keys)
    assert pruned.versions == ["aaaaaaaaaaaaaaaa"] and not (tmp_path / "docs" / "aaaaaaaaaaaaaaaa").exists()
    assert (pruned.unused, pruned.temporary, pruned.errors) == (1, 1, [])
    assert pruned.files == 3 + 1 + 1 and pruned.bytes > 0
    assert not new.path(gone_key).exists() and not unfinished.exists() and foreign.exists()
    assert entries(tmp_path) == sorted([f"docs/{new.dir.name}/notes.txt"] + [new.path(k).relative_to(tmp_path).as_posix() for k in run.keys])
    assert len(before) - len(entries(tmp_path)) == pruned.files
    assert pruned.line() == "Cache pruned: 5 files, 0.0 MB (1 older analysis version, 1 entry no document used, 1 unfinished write)."

    again, stats = cache.process_batch(edited, new)  # what the run used is all still there
    assert (stats.hits, stats.misses) == (3, 0)
    nothing = cache.prune(tmp_path, "b" * 64, stats.keys)
    assert nothing.files == 0 and nothing.line() == "Cache pruned: nothing to remove."


def test_prune_without_keys_keeps_the_current_version_and_an_empty_cache_is_fine(tmp_path, docs):
    assert cache.prune(tmp_path / "nowhere", "b" * 64).files == 0
    cache.process_batch(docs, cache.DocumentCache(tmp_path, "b" * 64))
    assert cache.prune(tmp_path, "b" * 64).files == 0 and len(entries(tmp_path)) == 3
    assert [(v["entries"], v["version"]) for v in cache.versions(tmp_path)] == [(3, "b" * 16)]


def test_cache_command_lists_and_prunes(tmp_path, docs, capsys):
    from steppe import cli

    out = tmp_path / "processed"
    assert cli.main(["cache", "info", "--out", str(out)]) == 0
    assert "empty (analysis version" in capsys.readouterr().out
    current = cache.analysis_version()
    cache.process_batch(docs, cache.DocumentCache(out / cache.CACHE_DIR, current))
    cache.process_batch(docs, cache.DocumentCache(out / cache.CACHE_DIR, "f" * 64))
    assert cli.main(["cache", "info", "--out", str(out)]) == 0
    listed = capsys.readouterr().out
    assert f"docs/{current[:16]}: 3 entries" in listed and "(current)" in listed and "ffffffffffffffff: 3 entries" in listed and "(older" in listed
    assert cli.main(["cache", "prune", "--out", str(out), "--raw", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert cli.main(["cache", "prune", "--out", str(out), "--json"]) == 0
    pruned = json.loads(capsys.readouterr().out)
    assert pruned["versions"] == ["f" * 16] and pruned["files"] == 3 and pruned["unused"] == 0
    assert [v["version"] for v in cache.versions(out / cache.CACHE_DIR)] == [current[:16]]


def test_the_analysis_version_ignores_the_development_tools(package_copy):
    before = cache.analysis_version(package_copy)
    path = package_copy / "dev" / "bench" / "measure.py"
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"\n# edited\n")
        assert cache.analysis_version(package_copy) == before
    finally:
        path.write_bytes(original)
