"""Crash safety: a release run killed at each stage never damages a release, and the next run recovers.

A child process publishes a release with steppe.dev.faults set to end it at
one of publishing's named steps (steppe.publish.steps.STEPS), so it dies there
with os._exit (no clean-up, as under SIGKILL). Then: the previous release and latest.json are byte for byte
intact, nothing partial is listed or loaded, and a second child publishes
normally with no manual clean-up. The publishing children skip Prefect (the
flow only wires these calls); one test kills a real ``steppe run``.
tools/kill_release.py does the same at random moments.
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from steppe.dev import faults
from steppe.ingest.inventory import InputFile
from steppe.loader import load
from steppe.publish import plan as release_plan
from steppe.publish import release
from steppe.publish.checks import release_problems, snapshot
from steppe.publish.plan import STAGING_PREFIX

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[1]

PUBLISHER = textwrap.dedent(
    """
    import pickle, sys
    from pathlib import Path
    from steppe.dev import faults
    from steppe.publish import plan as release_plan, release
    from steppe.publish.lock import run_lock
    out = Path(sys.argv[1])
    if len(sys.argv) > 3:
        faults.install(sys.argv[3])
    with open(sys.argv[2], "rb") as fh:
        tables, report, inputs = pickle.load(fh)
    with run_lock(out):
        plan = release_plan.plan_release(out, inputs, "full", force=True)
        release.publish(tables, report, out_dir=out, plan=plan, inputs=inputs, text_policy="full")
    """
)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """An output folder with one published release, and the pickled work of a second run."""
    from steppe.analyse import document as pipeline
    from steppe.gate.validate import validate_tables
    from steppe.ingest.read import read_raw
    from steppe.tables import assemble

    docs, rejections, _ = read_raw(REPO / "data" / "raw")
    identified = pipeline.identify_documents(docs)
    tables = assemble.build_tables(identified, pipeline.process_batch(identified), rejections, "full")
    report = validate_tables(tables)
    assert report.success
    inputs = [InputFile("seed.txt", 10, "0" * 64)]
    inputs = [InputFile("seed.txt", 10, "0" * 64)]
    root = tmp_path_factory.mktemp("crash")
    out = root / "processed"
    plan = release_plan.plan_release(out, inputs, "full", today=date(2025, 11, 28))
    release.publish(tables, report, out_dir=out, plan=plan, inputs=inputs, text_policy="full")
    # The next run's tables lack one sentence: the very same tables would publish nothing.
    tables = {**tables, "sentences": tables["sentences"].slice(1)}
    work = root / "work.pickle"
    work.write_bytes(pickle.dumps((tables, report, inputs)))
    return out, work


def publish_in_child(out: Path, work: Path, crash_at: str | None) -> int:
    return subprocess.run([sys.executable, "-c", PUBLISHER, str(out), str(work), *([crash_at] if crash_at else [])], timeout=600).returncode


def assert_intact(out: Path, before: dict[str, dict[str, str]]) -> None:
    assert release_problems(out, before) == []
    latest = release_plan.read_latest(out)
    manifest = release_plan.read_manifest(out, latest)
    assert len(load("documents", root=out)) == manifest["row_counts"]["documents"]


@pytest.mark.parametrize("point", faults.CRASH_POINTS)
def test_a_run_killed_at_each_stage_damages_nothing_and_the_next_run_recovers(baseline, tmp_path: Path, point: str) -> None:
    template, work = baseline
    out = tmp_path / "processed"
    shutil.copytree(template, out)
    before, latest_before = snapshot(out), (out / "releases" / "latest.json").read_bytes()
    versions_before = release_plan.list_versions(out)

    assert publish_in_child(out, work, point) == faults.CRASH_EXIT_STATUS
    assert_intact(out, before)
    new = [v for v in release_plan.list_versions(out) if v not in versions_before]
    if point in ("renamed", "latest-tmp-written"):
        assert len(new) == 1  # whole and validated, in place; latest.json still names the previous release
        assert (out / "releases" / "latest.json").read_bytes() == latest_before
    elif point == "published":
        assert release_plan.read_latest(out) == new[0]
    else:
        assert new == [] and (out / "releases" / "latest.json").read_bytes() == latest_before
    if point == "parquet-midway":
        staged = next((out / "releases").glob(f"{STAGING_PREFIX}*"))
        assert any(p.stat().st_size < 100 or not p.read_bytes().endswith(b"PAR1") for p in staged.rglob("*.parquet"))

    before = snapshot(out)
    assert publish_in_child(out, work, None) == 0
    assert_intact(out, before)
    if point == "published":  # the killed run's release is latest, with these very tables: nothing new
        assert release_plan.read_latest(out) in before and release_plan.known_fingerprints(out)
    else:
        assert release_plan.read_latest(out) not in before  # a new release, named by latest.json
    assert sorted(p.name for p in (out / "releases").iterdir() if p.name.startswith(".")) == []  # cleaned up
    assert (out / ".lock").read_text() == ""


def test_crash_points_and_steps_are_named() -> None:
    from steppe.publish import steps

    with pytest.raises(ValueError, match="unknown crash point"):
        faults.crash_at("nowhere")
    with pytest.raises(ValueError, match="unknown step"):
        steps.step("nowhere")


@pytest.mark.slow
def test_steppe_run_killed_while_writing_parquet_then_run_again(tmp_path: Path) -> None:
    shutil.copytree(REPO / "data" / "raw", tmp_path / "raw")
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_LOGGING_LEVEL="WARNING")

    def run(crash_at: str | None) -> tuple[int, str]:
        steppe_run = ["run", "--raw", "raw", "--out", "out"]
        command = [sys.executable, "-m", "steppe.dev.faults", crash_at, "--", *steppe_run] if crash_at else [sys.executable, "-m", "steppe.cli", *steppe_run]
        log = tmp_path / f"run-{crash_at}.log"
        with log.open("wb") as fh:
            # A session of its own: a crashed run leaves Prefect's temporary
            # server behind (holding the output pipes), which killpg ends.
            process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                       start_new_session=True)
            status = process.wait(timeout=900)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return status, log.read_text(encoding="utf-8", errors="replace")

    assert run("parquet-midway")[0] == faults.CRASH_EXIT_STATUS
    out = tmp_path / "out"
    assert release_plan.list_versions(out) == [] and release_plan.read_latest(out) is None
    assert list((out / "releases").glob(f"{STAGING_PREFIX}*"))  # the half-written staging folder
    status, output = run(None)
    assert status == 0, output
    assert "did not finish" in output  # the killed run's lock was taken over, and said so
    assert release_problems(out) == []
    assert release_plan.list_versions(out) == [release_plan.read_latest(out)]
    assert not list((out / "releases").glob(".*"))
