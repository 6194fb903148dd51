"""The run lock, with real second processes: never two runs at once, never stuck after a crash."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from steppe import cli
from steppe.publish.lock import LOCK_NAME, RunLocked, read_holder, run_lock

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from steppe.publish.lock import run_lock
    with run_lock(Path(sys.argv[1]), wait=float(sys.argv[3])):
        with open(sys.argv[4], "a") as log:
            log.write(f"start\\n")
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
        with open(sys.argv[4], "a") as log:
            log.write(f"end\\n")
    """
)


def hold(out: Path, seconds: float, *, wait: float = 0.0, log: Path | None = None) -> subprocess.Popen:
    """A second process holding the lock on `out` for `seconds` (returns once it holds it)."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out), str(seconds), str(wait), str(log or out.parent / "holder.log")],
        stdout=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "held"
    return process


def test_a_second_run_exits_at_once_naming_the_holder(tmp_path: Path) -> None:
    out = tmp_path / "processed"
    holder = hold(out, 120)
    try:
        with pytest.raises(RunLocked) as caught:
            with run_lock(out):
                pytest.fail("took a lock another process holds")
        message = str(caught.value)
        assert f"pid {holder.pid}" in message and socket.gethostname() in message and "started 20" in message
        assert "--lock-wait" in message
        assert caught.value.holder.pid == holder.pid
    finally:
        holder.kill()
        holder.wait()


def test_a_second_run_waits_for_the_first_to_finish(tmp_path: Path) -> None:
    out = tmp_path / "processed"
    holder = hold(out, 1.0, log=tmp_path / "holder.log")
    with run_lock(out, wait=120) as lock:
        assert (tmp_path / "holder.log").read_text().split() == ["start", "end"]  # only once the holder was done
        assert lock.took_over is None  # which ended cleanly
        assert read_holder(out / LOCK_NAME).pid is not None
    holder.wait()
    assert (out / LOCK_NAME).read_text() == ""  # released cleanly: the file is empty


def test_the_lock_of_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "processed"
    holder = hold(out, 120)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with run_lock(out) as lock:  # no wait needed: the kernel dropped the dead run's lock
        assert lock.took_over is not None and lock.took_over.pid == holder.pid


def test_runs_started_together_never_interleave(tmp_path: Path) -> None:
    out, log = tmp_path / "processed", tmp_path / "order.log"
    command = [sys.executable, "-c", HOLDER, str(out), "0.5", "60", str(log)]
    runs = [subprocess.Popen(command, stdout=subprocess.DEVNULL) for _ in range(3)]
    assert [run.wait(timeout=120) for run in runs] == [0, 0, 0]
    assert log.read_text().split() == ["start", "end"] * 3


def test_reentering_in_the_same_process_is_allowed(tmp_path: Path) -> None:
    with run_lock(tmp_path) as outer:
        with run_lock(tmp_path) as inner:
            assert inner.path == outer.path
        assert json.loads((tmp_path / LOCK_NAME).read_text())["pid"] > 0  # still held by the outer block
    assert (tmp_path / LOCK_NAME).read_text() == ""


def test_negative_wait_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="lock wait"):
        with run_lock(tmp_path, wait=-1):
            pass


def test_steppe_run_exits_3_with_the_holder_when_the_output_folder_is_busy(tmp_path: Path, capsys) -> None:
    out, raw = tmp_path / "processed", tmp_path / "raw"
    raw.mkdir()
    holder = hold(out, 120)
    try:
        assert cli.main(["run", "--raw", str(raw), "--out", str(out), "--lock-wait", "0.5"]) == 3
        err = capsys.readouterr().err
        assert f"pid {holder.pid}" in err and "in use by another steppe run" in err and "after waiting 0.5 s" in err
    finally:
        holder.kill()
        holder.wait()
