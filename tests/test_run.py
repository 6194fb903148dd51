"""steppe.run: the options a run checks up front and the order of its stages (the stages' work: test_flow)."""

from pathlib import Path

import pytest

from steppe import run
from steppe.analyse.cache import CacheStats


def test_options_are_checked_when_made():
    options = run.RunOptions(raw_dir="r", out_dir="o")
    assert (options.raw_dir, options.out_dir) == (Path("r"), Path("o"))
    with pytest.raises(ValueError, match="unknown text policy 'some'"):
        run.RunOptions(text_policy="some")
    with pytest.raises(ValueError, match="unknown runner"):
        run.RunOptions(runner="spark")
    with pytest.raises(ValueError, match="--dask-address needs --runner dask"):
        run.RunOptions(dask_address="tcp://127.0.0.1:1")
    with pytest.raises(ValueError, match="batch size"):
        run.RunOptions(batch_size=0)
    assert run.RunOptions(use_cache=False).cache is None


def test_a_missing_raw_folder_fails_before_any_work(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        run.analyse(run.RunOptions(raw_dir=tmp_path / "nowhere", out_dir=tmp_path / "o"))


class Fake:
    """Stages that record their calls and check the run lock is held meanwhile."""

    def __init__(self, out: Path, version: str | None):
        self.out, self.version, self.calls = out, version, []
        self.docs = ["a document"]  # build_release only counts them

    def _locked(self) -> bool:
        return (self.out / ".lock").read_text() != ""  # names its holder while held

    def plan(self, options, analysis):
        from steppe.publish.release import ReleasePlan

        self.calls.append(("plan", self._locked()))
        return run.RunPlan([], ReleasePlan(self.version, "f" * 64, "2025.01.01", "inputs changed"))

    def analyse(self, options):
        self.calls.append(("analyse", self._locked()))
        return run.Analysis(self.docs, [], [], CacheStats(hits=2, misses=3), [])

    def publish(self, options, planned, analysis):
        from types import SimpleNamespace

        self.calls.append(("publish", self._locked()))
        report = SimpleNamespace(success=True, evaluated=4, successful=4)
        return SimpleNamespace(version=planned.release.version, path=self.out / "x", row_counts={"documents": 5}, validation=report)

    def prune(self, options, analysis):
        self.calls.append(("prune", self._locked()))
        return None

    def stages(self) -> run.Stages:
        return run.Stages(plan=self.plan, analyse=self.analyse, publish=self.publish, prune=self.prune)


def test_build_release_runs_the_stages_in_order_inside_the_run_lock(tmp_path):
    out = tmp_path / "o"
    fake = Fake(out, "2025.01.02")
    summary = run.build_release(run.RunOptions(raw_dir=tmp_path, out_dir=out), fake.stages())
    assert fake.calls == [("analyse", True), ("plan", True), ("publish", True), ("prune", True)]
    assert summary == {
        "status": "published",
        "cache": {"enabled": True, "hits": 2, "misses": 3, "corrupt": 0, "pruned": None},
        "version": "2025.01.02", "path": str(out / "x"), "row_counts": {"documents": 5},
        "validation": {"success": True, "evaluated": 4, "successful": 4},
    }
    assert (out / ".lock").read_text() == ""  # released


def test_nothing_new_in_nothing_new_out(tmp_path):
    fake = Fake(tmp_path / "o", None)
    summary = run.build_release(run.RunOptions(raw_dir=tmp_path, out_dir=tmp_path / "o"), fake.stages())
    assert summary == {"status": "unchanged", "version": "2025.01.01", "reason": "inputs changed"}
    assert [name for name, _ in fake.calls] == ["analyse", "plan"]
