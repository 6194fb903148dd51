"""Incremental runs and the Dask runner through the CLI (steppe.run.build_release; integration: slower)."""

from pathlib import Path

import pytest
from test_flow import make_raw, sha256s

from steppe import cli
from steppe.analyse import cache
from steppe.publish import plan as release_plan

pytestmark = pytest.mark.integration


def run(raw: Path, out: Path, version: str, *extra: str) -> Path:
    assert cli.main(["run", "--raw", str(raw), "--out", str(out), "--version", version, "--force", *extra]) == 0
    return out / "releases" / version


def run_unchanged(raw: Path, out: Path, version: str, latest: str, capsys) -> str:
    """A run whose tables are, byte for byte, the latest release's: it publishes nothing."""
    assert cli.main(["run", "--raw", str(raw), "--out", str(out), "--version", version, "--force"]) == 0
    printed = capsys.readouterr().out
    assert f"No new release: tables identical to {latest}" in printed
    assert not (out / "releases" / version).exists() and release_plan.read_latest(out) == latest
    return printed


def test_cached_runs_publish_the_same_bytes_as_uncached_ones(tmp_path, capsys):
    raw = make_raw(tmp_path)  # 6 documents, one an exact duplicate of another: 5 to analyse
    uncached = sha256s(run(raw, tmp_path / "uncached", "2025.11.28", "--no-cache"))
    assert not (tmp_path / "uncached" / "cache").exists(), "--no-cache must not write the cache"
    out = tmp_path / "processed"
    capsys.readouterr()

    assert sha256s(run(raw, out, "2025.11.29")) == uncached
    assert "0 documents reused, 5 analysed" in capsys.readouterr().out
    entries = sorted((out / "cache").rglob("*.bin"))
    assert len(entries) == 5

    # A damaged entry is rebuilt, never published: the tables are the release's, so no new release.
    entries[0].write_bytes(entries[0].read_bytes()[:40])
    printed = run_unchanged(raw, out, "2025.12.01", "2025.11.29", capsys)
    assert "4 documents reused, 1 analysed (1 corrupt entries rebuilt)" in printed
    assert cache.decode_entry(entries[0].read_bytes()) is not None

    # A new document is the only one analysed.
    (raw / "new.txt").write_text("O presidente do Cazaquistão recebe Putin em Astana.", encoding="utf-8")
    run(raw, out, "2025.12.02")
    assert "5 documents reused, 1 analysed" in capsys.readouterr().out
    assert release_plan.read_latest(out) == "2025.12.02"

    # After publishing, the run prunes an older analysis version and the entry of an article no longer in the input.
    older = out / "cache" / "docs" / ("0" * 16)
    (older / "ab").mkdir(parents=True)
    (older / "ab" / ("ab" + "0" * 62 + ".bin")).write_bytes(b"an entry of older code")
    (raw / "new.txt").unlink()
    assert sha256s(run(raw, out, "2025.12.03")) == uncached
    printed = capsys.readouterr().out
    assert "5 documents reused, 0 analysed" in printed
    assert "Cache pruned: 2 files" in printed and "(1 older analysis version, 1 entry no document used)" in printed
    assert not older.exists() and len(list((out / "cache").rglob("*.bin"))) == 5
    assert cli.main(["cache", "info", "--out", str(out)]) == 0
    assert ": 5 entries" in capsys.readouterr().out
    # --keep-cache leaves the cache as the run found it.
    (raw / "new.txt").write_text("O presidente do Cazaquistão recebe Putin em Astana.", encoding="utf-8")
    run(raw, out, "2025.12.04", "--keep-cache")
    (raw / "new.txt").unlink()
    run(raw, out, "2025.12.05", "--keep-cache")
    assert len(list((out / "cache").rglob("*.bin"))) == 6
    assert cli.main(["cache", "prune", "--out", str(out), "--raw", str(raw)]) == 0
    assert "Cache pruned: 1 file" in capsys.readouterr().out and len(list((out / "cache").rglob("*.bin"))) == 5


@pytest.mark.slow
def test_dask_runner_publishes_the_same_bytes_as_the_local_runner(tmp_path):
    raw = make_raw(tmp_path)
    out = tmp_path / "processed"
    local = sha256s(run(raw, tmp_path / "local", "2025.11.28", "--no-cache", "--batch-size", "2"))
    dask = sha256s(run(raw, out, "2025.11.29", "--batch-size", "2", "--runner", "dask"))
    assert dask == local
    # The workers wrote the cache a local run reads.
    assert len(list((out / "cache").rglob("*.bin"))) == 5


def test_dask_address_needs_the_dask_runner(tmp_path, capsys):
    raw = make_raw(tmp_path)
    assert cli.main(["run", "--raw", str(raw), "--out", str(tmp_path / "o"), "--dask-address", "tcp://127.0.0.1:1"]) == 2
    assert "--dask-address needs --runner dask" in capsys.readouterr().err
