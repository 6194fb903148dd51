"""The named steps of publishing, at the moments where an interruption could damage a release.

Publishing calls ``step("<name>")`` as it passes each of them (the staging
folder made, the tables' files written, the release renamed into place...).
By default that does nothing. One hook may be installed to be told of each
step: steppe.dev.faults installs one that ends the process there, which is
how the tests prove that a run killed at any step damages no release.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

# Every step, in the order a release run passes them.
STEPS: tuple[str, ...] = (
    "run-locked",           # the run lock is held, nothing written yet
    "staging-created",      # the staging folder exists and is empty
    "parquet-midway",       # a Parquet file written (``file``: a crash now may leave it cut short)
    "tables-written",       # every Parquet and CSV file written, metadata not yet
    "staged",               # the staging folder is complete, not yet renamed
    "renamed",              # the release folder is in place, latest.json not yet replaced
    "latest-tmp-written",   # the new latest.json is written beside the old one, not yet renamed
    "published",            # latest.json replaced, the run not yet finished
)

Hook = Callable[[str, "Path | None"], None]
_hook: Hook | None = None


def set_hook(hook: Hook | None) -> Hook | None:
    """Install ``hook`` (called with each step's name and the file it was writing, if any); returns the one it replaces."""
    global _hook
    previous, _hook = _hook, hook
    return previous


def step(name: str, *, file: Path | None = None) -> None:
    """Publishing has reached step ``name``: the hook, if any, is told."""
    if name not in STEPS:
        raise ValueError(f"unknown step {name!r}; known: {', '.join(STEPS)}")
    if _hook is not None:
        _hook(name, file)
