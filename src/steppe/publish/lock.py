"""The run lock: one release run at a time on an output folder.

Two runs writing releases into the same ``data/processed`` would race for
the same version, staging folder and ``latest.json``. A run therefore holds
``<out>/.lock`` for its whole length:

* The lock is an exclusive ``flock`` on that file, which the kernel drops
  when the holding process ends in any way (exit, exception, SIGKILL, OOM
  killer). A crashed run can never leave the folder locked.
* While held, the file names its holder (pid, host, start time, command) so
  a second run can say who is in the way. A run that ends normally empties
  it; a run that was killed leaves its name behind, and the next run reports
  that it took over the lock of a run that did not finish.
* A second run waits up to ``wait`` seconds for the lock, then raises
  :class:`RunLocked` naming the holder.

``flock`` is reliable on local file systems; on NFS it depends on the
server, so do not share one output folder between machines.
"""

from __future__ import annotations

import errno
import fcntl
import functools
import inspect
import json
import logging
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from steppe.publish.steps import step

LOCK_NAME = ".lock"
POLL_SECONDS = 0.2

_log = logging.getLogger(__name__)

# Locks this process holds, by resolved path: a run that is already inside
# the lock (the CLI) may call code that takes it again (the flow).
_held: dict[Path, int] = {}


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or last held) a run lock, as its lock file says."""

    pid: int | None
    host: str | None
    started_at: str | None
    command: str | None

    def describe(self) -> str:
        if self.pid is None:
            return "a run that has not written its name yet"
        where = f" on host {self.host}" if self.host else ""
        when = f", started {self.started_at}" if self.started_at else ""
        what = f" ({self.command})" if self.command else ""
        return f"pid {self.pid}{where}{when}{what}"


class RunLocked(RuntimeError):
    """Another run holds the output folder's lock."""

    def __init__(self, path: Path, holder: LockHolder, waited: float) -> None:
        waited_text = f" after waiting {waited:g} s" if waited > 0 else ""
        super().__init__(
            f"{path.parent} is in use by another steppe run: {holder.describe()}. "
            f"Gave up{waited_text}; let that run finish, or pass --lock-wait SECONDS to wait for it."
        )
        self.path = path
        self.holder = holder


@dataclass(frozen=True)
class Acquired:
    """A lock just taken; ``took_over`` is the run that died holding it, if any."""

    path: Path
    took_over: LockHolder | None


def lock_path(out_dir: Path) -> Path:
    return Path(out_dir) / LOCK_NAME


def read_holder(path: Path) -> LockHolder:
    """What the lock file says about its holder (all None when empty or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "null")
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict):
        return LockHolder(None, None, None, None)
    pid = data.get("pid")
    return LockHolder(
        pid if isinstance(pid, int) and not isinstance(pid, bool) else None,
        _text(data.get("host")),
        _text(data.get("started_at")),
        _text(data.get("command")),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _this_run() -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv and sys.argv[0] else None,
    }


@contextmanager
def run_lock(out_dir: Path, *, wait: float = 0.0) -> Iterator[Acquired]:
    """Hold ``<out_dir>/.lock`` for the ``with`` block; wait up to ``wait`` seconds for it.

    Raises :class:`RunLocked` when another live run still holds it then.
    Re-entering in a process that already holds it is allowed.
    """
    if wait < 0:
        raise ValueError(f"lock wait must be zero or more seconds, not {wait}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = lock_path(out_dir)
    key = path.resolve()
    if key in _held:
        _held[key] += 1
        try:
            yield Acquired(path, None)
        finally:
            _held[key] -= 1
        return

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, wait)
        previous = read_holder(path)
        took_over = previous if previous.pid is not None else None
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(_this_run()) + "\n").encode("utf-8"), 0)
        os.fsync(fd)
        if took_over is not None:
            _log.warning("took over the run lock %s left by a run that did not finish: %s", path, took_over.describe())
        step("run-locked")
        _held[key] = 1
        try:
            yield Acquired(path, took_over)
        finally:
            del _held[key]
            os.ftruncate(fd, 0)  # an empty file: the last run ended cleanly
    finally:
        os.close(fd)  # closing the file releases the flock


def _acquire(fd: int, path: Path, wait: float) -> None:
    start = time.monotonic()
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
        waited = time.monotonic() - start
        if waited >= wait:
            raise RunLocked(path, read_holder(path), wait)
        time.sleep(min(POLL_SECONDS, wait - waited))


F = TypeVar("F", bound=Callable[..., Any])


def holding_run_lock(fn: F) -> F:
    """Run ``fn`` inside the run lock of its ``out_dir`` argument, waiting its ``lock_wait`` seconds."""
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        with run_lock(Path(bound.arguments["out_dir"]), wait=float(bound.arguments.get("lock_wait") or 0.0)):
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
