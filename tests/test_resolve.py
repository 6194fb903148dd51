"""`steppe resolve`: the name index on disk, the language of the name, one line per candidate."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
import zlib
from datetime import date

import pytest

from steppe import cli
from steppe.analyse.names import index_cache
from steppe.analyse.names.explain import explain, name_language, unique_candidates
from steppe.analyse.names.index import build_index
from steppe.analyse.names.index_cache import (
    MAGIC,
    decode_index,
    encode_index,
    load_or_build,
)
from steppe.analyse.names.registry import load_registry

DIGEST_A = "a" * 64
DIGEST_B = "b" * 64
ON = date(2025, 11, 28)


@pytest.fixture(scope="module")
def built():
    return build_index(load_registry())


class Builds:
    """A build function that counts its calls, so a test sees whether the index was built or read."""

    def __init__(self, index):
        self.index = index
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.index


def same_index(a, b) -> None:
    assert sorted(a.automaton.items()) == sorted(b.automaton.items())
    assert a.fold_index == b.fold_index and a.fold_buckets == b.fold_buckets
    assert dict(a.registry.entities) == dict(b.registry.entities)
    assert dict(a.registry.tie_breaks) == dict(b.registry.tie_breaks)


def test_a_saved_index_is_read_back_whole_and_resolves_the_same(tmp_path, built):
    build = Builds(built)
    index, status = load_or_build(tmp_path, DIGEST_A, build)
    assert (status, build.calls) == ("built", 1) and index is built
    assert [p.name for p in tmp_path.iterdir()] == [f"{DIGEST_A}.bin"]

    again, status = load_or_build(tmp_path, DIGEST_A, build)
    assert (status, build.calls) == ("hit", 1) and again is not built
    same_index(again, built)
    for name, language in [("Тоқаевтың", "kk"), ("o presidente do Cazaquistão", "pt"), ("Toqayev", "en"), ("Zzyzx Qwerty", "en")]:
        assert explain(name, language, ON, again) == explain(name, language, ON, built)
    # Role phrases read the registry's offices through the rebuilt registry.
    assert explain("o presidente do Cazaquistão", "pt", date(2015, 6, 1), again)["entity_id"] == "person:nursultan-nazarbayev"


def test_an_index_of_another_digest_is_never_used_and_is_removed(tmp_path, built):
    build = Builds(built)
    load_or_build(tmp_path, DIGEST_A, build)
    _, status = load_or_build(tmp_path, DIGEST_B, build)  # the code or the registry changed
    assert (status, build.calls) == ("built", 2)
    assert [p.name for p in tmp_path.iterdir()] == [f"{DIGEST_B}.bin"]
    # A file of digest A under B's name (copied by hand) fails its check and is rebuilt.
    (tmp_path / f"{DIGEST_B}.bin").write_bytes(encode_index(built, DIGEST_A))
    _, status = load_or_build(tmp_path, DIGEST_B, build)
    assert (status, build.calls) == ("rebuilt", 3)
    assert load_or_build(tmp_path, DIGEST_B, build)[1] == "hit"


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "magic"])
def test_a_corrupt_index_is_rebuilt_and_rewritten(tmp_path, built, damage):
    build = Builds(built)
    load_or_build(tmp_path, DIGEST_A, build)
    path = tmp_path / f"{DIGEST_A}.bin"
    blob = bytearray(path.read_bytes())
    if damage == "flip":
        blob[len(blob) // 2] ^= 0xFF
    elif damage == "truncate":
        blob = blob[: len(blob) // 2]
    elif damage == "empty":
        blob = bytearray()
    else:
        blob[:5] = b"XXXXX"
    path.write_bytes(bytes(blob))
    assert decode_index(bytes(blob), DIGEST_A) is None
    index, status = load_or_build(tmp_path, DIGEST_A, build)
    assert (status, build.calls) == ("rebuilt", 2) and index is built
    assert decode_index(path.read_bytes(), DIGEST_A) is not None  # rewritten whole
    assert load_or_build(tmp_path, DIGEST_A, build)[1] == "hit"


def test_a_checksummed_file_that_would_run_code_is_refused(tmp_path, built):
    payload = zlib.compress(pickle.dumps((os.system, ("true",))), 6)
    blob = MAGIC + DIGEST_A.encode() + b"\n" + hashlib.sha256(payload).digest() + payload
    assert decode_index(blob, DIGEST_A) is None
    (tmp_path / f"{DIGEST_A}.bin").write_bytes(blob)
    assert load_or_build(tmp_path, DIGEST_A, Builds(built))[1] == "rebuilt"


def test_an_unwritable_folder_still_answers(tmp_path, built):
    folder = tmp_path / "not-a-folder"
    folder.write_text("a file where the cache folder would be")
    index, status = load_or_build(folder, DIGEST_A, Builds(built))
    assert index is built and status.startswith("built (not saved: ")


def test_the_digest_follows_the_code_and_data(monkeypatch):
    monkeypatch.setattr(index_cache, "installed_code_digest", lambda: "1" * 64)
    first = index_cache.index_digest()
    monkeypatch.setattr(index_cache, "installed_code_digest", lambda: "2" * 64)
    assert index_cache.index_digest() != first and len(first) == 64


@pytest.mark.parametrize("name, expected", [
    ("Токаев", ("ru", "script")),
    ("Тоқаевтың", ("kk", "script")),
    ("Қазақстан Республикасы", ("kk", "script")),
    ("Президент России", ("ru", "script")),
    ("Tokayev", ("en", "default")),
    ("Kassym-Jomart Tokayev", ("en", "default")),
    ("o presidente do Cazaquistão", ("pt", "detected")),
    ("el presidente de Kazajistán", ("es", "detected")),
])
def test_the_language_of_the_name_comes_from_its_script_or_the_detector(name, expected):
    assert name_language(name) == expected


def test_a_given_language_wins():
    assert name_language("Токаев", "kk") == ("kk", "given")
    assert explain("Токаев", "kk", ON)["language"] == "kk"


def test_each_candidate_is_listed_once_with_its_best_score():
    found = [
        {"entity_id": "person:x", "entity_type": "person", "form": "X", "kind": "short", "via": "fold"},
        {"entity_id": "person:y", "entity_type": "person", "form": "Y", "kind": "short", "via": "fuzzy 95"},
        {"entity_id": "person:x", "entity_type": "person", "form": "X", "kind": "short", "via": "exact"},
        {"entity_id": "person:x", "entity_type": "person", "form": "X2", "kind": "short", "via": "fold"},
        {"entity_id": "person:y", "entity_type": "person", "form": "Y", "kind": "short", "via": "fuzzy 93"},
    ]
    unique = unique_candidates(found)
    assert [(c["entity_id"], c["form"], c["via"], c["score"]) for c in unique] == [
        ("person:x", "X", "exact", 1.0),
        ("person:x", "X2", "fold", 0.85),
        ("person:y", "Y", "fuzzy 95", 0.665),
    ]


def test_resolve_reports_the_language_of_cyrillic_and_each_candidate_once(tmp_path, capsys):
    assert cli.main(["resolve", "Токаев", "--date", "2025-11-28", "--json", "--out", str(tmp_path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["language"], result["language_source"]) == ("ru", "script")
    pairs = [(c["entity_id"], c["form"]) for c in result["candidates"]]
    assert len(pairs) == len(set(pairs)) and ("person:kassym-jomart-tokayev", "Токаев") in pairs
    # Токаев matches both letter for letter and by its folding key: shown once, as the exact match.
    токаев = next(c for c in result["candidates"] if c["form"] == "Токаев")
    assert (токаев["via"], токаев["score"]) == ("exact", 1.0)
    assert result["entity_id"] == "person:kassym-jomart-tokayev"


def test_resolve_saves_the_index_in_the_output_folder_and_reads_it_next_time(tmp_path, capsys):
    assert cli.main(["resolve", "Токаев", "--out", str(tmp_path)]) == 0
    first = capsys.readouterr()
    assert "name index built" in first.err and "(ru, script," in first.out
    saved = list((tmp_path / "cache" / "names").glob("*.bin"))
    assert [p.name for p in saved] == [f"{index_cache.index_digest()}.bin"]
    assert cli.main(["resolve", "Токаев", "--out", str(tmp_path)]) == 0
    second = capsys.readouterr()
    assert second.err == "" and second.out == first.out


def test_resolve_without_the_index_cache_writes_nothing(tmp_path, capsys):
    assert cli.main(["resolve", "Тоқаев", "--no-index-cache", "--out", str(tmp_path)]) == 0
    assert list(tmp_path.iterdir()) == []


def test_resolve_imports_none_of_the_heavy_libraries(tmp_path):
    """The command a curator types: no pyarrow, pandas, Great Expectations, Prefect or DuckDB in the process."""
    child = (
        "import sys\n"
        "from steppe.cli import main\n"
        f"assert main(['resolve', 'Токаев', '--out', {str(tmp_path)!r}]) == 0\n"
        "heavy = {'pyarrow', 'pandas', 'numpy', 'great_expectations', 'prefect', 'duckdb', 'dask', 'lingua'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    env = dict(os.environ, DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false", GX_ANALYTICS_ENABLED="false")
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
