"""Crash points: named places where a test can kill the process on purpose.

The release code calls ``crash_point("<name>")`` at the moments where an
interruption could damage a release (half a Parquet file written, the
release renamed into place but ``latest.json`` not yet replaced...). When
the environment variable ``STEPPE_CRASH_AT`` names that point, the process
ends at once with ``os._exit`` (no ``finally``, no clean-up, no flushing:
what SIGKILL or a power cut would leave behind). Otherwise the call costs
one dictionary lookup.

``STEPPE_CRASH_AT`` may hold several names separated by commas; the exit
status is :data:`CRASH_EXIT_STATUS` so a test can tell a planned crash from
a real failure.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "STEPPE_CRASH_AT"
CRASH_EXIT_STATUS = 86

# Every crash point the code declares, in the order a release run passes them.
CRASH_POINTS: tuple[str, ...] = (
    "run-locked",           # the run lock is held, nothing written yet
    "staging-created",      # the staging folder exists and is empty
    "parquet-midway",       # half of a Parquet file written (the file is cut short on disk)
    "tables-written",       # every Parquet and CSV file written, metadata not yet
    "staged",               # the staging folder is complete, not yet renamed
    "renamed",              # the release folder is in place, latest.json not yet replaced
    "latest-tmp-written",   # the new latest.json is written beside the old one, not yet renamed
    "published",            # latest.json replaced, the run not yet finished
)


def crash_point(name: str, *, cut_short: Path | None = None) -> None:
    """End the process now (``os._exit``) if ``STEPPE_CRASH_AT`` names ``name``.

    With ``cut_short``, that file is first truncated to half its size: the
    state a crash in the middle of writing it leaves on disk.
    """
    if name not in CRASH_POINTS:
        raise ValueError(f"unknown crash point {name!r}; known: {', '.join(CRASH_POINTS)}")
    wanted = os.environ.get(ENV_VAR)
    if wanted and name in wanted.split(","):
        if cut_short is not None:
            os.truncate(cut_short, os.path.getsize(cut_short) // 2)
        os._exit(CRASH_EXIT_STATUS)
