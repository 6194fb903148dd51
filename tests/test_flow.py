"""End to end through the CLI (steppe.run.build_release) and the Prefect flow: raw folder in, release out (integration: slower)."""

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from steppe import cli
from steppe.publish import plan as release_plan

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "raw" / "000_557d3577f576d2aa.txt"
RUSSIAN = "Президент Казахстана Касым-Жомарт Токаев провёл переговоры с Владимиром Путиным в Астане 27 ноября 2025 г. Стороны обсудили транзит нефти."


def make_raw(root: Path) -> Path:
    raw = root / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / SEED.name)
    (raw / "000_557d3577f576d2aa.meta.yaml").write_text("language: pt\npublished: 2025-11-28\n", encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "image.txt").write_bytes(bytes(range(256)) * 8)
    (raw / "ru_cp1251.txt").write_bytes(RUSSIAN.encode("cp1251"))
    lines = [
        json.dumps({"id": "kz-1", "text": "Тоқаев Астанада Путинмен кездесті. Екі ел энергетика саласындағы ынтымақтастықты талқылады.", "published": "2025 жылғы 27 қараша"}, ensure_ascii=False),
        '{"id": "broken", "text": "unterminated',
        json.dumps({"id": "en-1", "text": "Kazakhstan's president met Vladimir Putin in Astana on Thursday. They signed an agreement on oil transit.", "published": "November 27, 2025"}),
        json.dumps({"id": "pt-dup", "text": SEED.read_text(encoding="utf-8"), "published": "28/11/2025"}, ensure_ascii=False),
    ]
    (raw / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open(raw / "feed2.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "es-1", "text": "El presidente de Kazajistán recibió a Putin en Astana.", "published": "27 de noviembre de 2025"}, ensure_ascii=False) + "\n")
    (raw / "notext.csv").write_text("id,title,published\n1,Sem texto,13/12/2017\n", encoding="utf-8")
    return raw


def sha256s(path: Path) -> dict[str, str]:
    return {
        p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for sub in ("parquet", "csv")
        for p in sorted((path / sub).iterdir())
    }


def test_release_from_a_mixed_raw_folder(tmp_path, capsys):
    raw = make_raw(tmp_path)
    out = tmp_path / "processed"
    assert cli.main(["run", "--raw", str(raw), "--out", str(out), "--version", "2025.11.28", "--text-policy", "full"]) == 0
    printed = capsys.readouterr().out
    assert "Published release 2025.11.28" in printed and "Validation passed" in printed
    root = out / "releases" / "2025.11.28"

    import pandas as pd

    docs = pd.read_parquet(root / "parquet" / "documents.parquet")
    assert len(docs) == 6  # seed, cp1251, 3 JSONL good lines (one a duplicate of the seed), 1 gzip line
    by_source = {(r.source_file, r.source_line): r for r in docs.itertuples()}
    seed = by_source[(SEED.name, 1)]
    assert seed.language == "pt" and seed.language_source == "metadata"
    assert str(seed.published_at) == "2025-11-28 00:00:00+00:00"
    dup = by_source[("feed.jsonl", 4)]
    assert dup.duplicate_of == seed.doc_id and dup.source_id == "pt-dup"
    ru = by_source[("ru_cp1251.txt", 1)]
    assert (ru.encoding, ru.language, ru.language_source) == ("cp1251", "ru", "detected")
    assert by_source[("feed.jsonl", 1)].language == "kk"
    assert by_source[("feed.jsonl", 3)].language == "en"
    assert by_source[("feed2.jsonl.gz", 1)].published_at.isoformat() == "2025-11-27T00:00:00+00:00"

    rejected = pd.read_parquet(root / "parquet" / "rejected.parquet")
    got = {(r.source_file, r.source_line, r.reason) for r in rejected.itertuples()}
    assert got == {
        ("empty.txt", 0, "empty"),
        ("image.txt", 0, "binary"),
        ("feed.jsonl", 2, "malformed-json"),
        ("notext.csv", 1, "missing-text"),
    }
    assert all(rejected.detail.str.len() > 10)

    sentences = pd.read_parquet(root / "parquet" / "sentences.parquet")
    text = SEED.read_text(encoding="utf-8")
    seed_sentences = sentences[sentences.doc_id == seed.doc_id]
    assert len(seed_sentences) == seed.n_sentences > 5
    for s in seed_sentences.itertuples():
        assert text[s.char_start : s.char_end] == s.text

    first = sha256s(root)
    capsys.readouterr()
    # Forced, the run is done again; its tables are byte for byte the release's, so nothing is published.
    assert cli.main(["run", "--raw", str(raw), "--out", str(out), "--force", "--text-policy", "full"]) == 0
    assert "No new release: tables identical to 2025.11.28" in capsys.readouterr().out
    assert release_plan.read_latest(out) == "2025.11.28" and sha256s(root) == first, "a published release is never rewritten"

    assert cli.main(["run", "--raw", str(raw), "--out", str(out), "--text-policy", "full"]) == 0
    assert "No new release" in capsys.readouterr().out
    assert release_plan.list_versions(out) == ["2025.11.28"]

    assert cli.main(["validate", "--out", str(out)]) == 0
    assert cli.main(["diff", "2025.11.28", "--out", str(out)]) == 0
    assert "No row changed" in capsys.readouterr().out


def test_a_failing_gate_exits_non_zero_and_keeps_latest(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / SEED.name)
    out = tmp_path / "processed"
    assert cli.main(["run", "--raw", str(raw), "--out", str(out)]) == 0
    latest = release_plan.read_latest(out)

    from steppe.tables import assemble

    real_rows = assemble.document_rows

    def planted(*args, **kwargs):
        rows = real_rows(*args, **kwargs)
        rows[0]["language"] = "xx"  # a value no language code takes
        return rows

    monkeypatch.setattr(assemble, "document_rows", planted)
    assert cli.main(["run", "--raw", str(raw), "--out", str(out), "--force"]) == 1
    err = capsys.readouterr().err
    assert "validation failed" in err and "documents.language" in err and "'xx'" in err
    assert release_plan.read_latest(out) == latest
    failed = list((out / "failed").iterdir())
    assert len(failed) == 1 and (failed[0] / "FAILED.txt").is_file()
    assert release_plan.list_versions(out) == [latest]


def test_the_prefect_flow_publishes_what_the_cli_publishes(tmp_path):
    from prefect.testing.utilities import prefect_test_harness

    from flows.release import DEFAULT_STARTUP_TIMEOUT, release_flow

    raw = make_raw(tmp_path)
    by_cli, out = tmp_path / "by-cli", tmp_path / "processed"
    assert cli.main(["run", "--raw", str(raw), "--out", str(by_cli), "--version", "2025.11.28", "--no-cache"]) == 0
    with prefect_test_harness(server_startup_timeout=DEFAULT_STARTUP_TIMEOUT):
        summary = release_flow(raw_dir=str(raw), out_dir=str(out), version="2025.11.28", batch_size=2)
        assert summary["status"] == "published" and summary["version"] == "2025.11.28"
        assert summary["cache"]["misses"] == 5 and summary["validation"]["success"]
        assert sha256s(out / "releases" / "2025.11.28") == sha256s(by_cli / "releases" / "2025.11.28")
        # Nothing new in, nothing new out.
        assert release_flow(raw_dir=str(raw), out_dir=str(out))["status"] == "unchanged"
    assert release_plan.list_versions(out) == ["2025.11.28"]
