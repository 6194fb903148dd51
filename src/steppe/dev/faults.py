"""Crash injection: end the process at a named step of publishing, as SIGKILL or a power cut would.

The hook installed here (steppe.publish.steps) ends the process with
``os._exit`` at the chosen steps: no ``finally``, no clean-up, no flushing.
At "parquet-midway" the Parquet file just written is first cut to half its
size, the state a crash in the middle of writing it leaves on disk. The exit
status is :data:`CRASH_EXIT_STATUS`, so a test can tell a planned crash from
a real failure. From the command line::

    python -m steppe.dev.faults STEP[,STEP...] -- run --raw data/raw --out /tmp/out
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from steppe.publish import steps

CRASH_EXIT_STATUS = 86
CRASH_POINTS = steps.STEPS


def crash_at(points: str | Iterable[str]) -> steps.Hook:
    """A hook that ends the process at any of ``points`` (names, or one text of names separated by commas)."""
    wanted = set(points.split(",") if isinstance(points, str) else points) - {""}
    unknown = wanted - set(steps.STEPS)
    if unknown:
        raise ValueError(f"unknown crash point {', '.join(sorted(unknown))}; known: {', '.join(steps.STEPS)}")

    def hook(name: str, file: Path | None) -> None:
        if name in wanted:
            if file is not None:
                os.truncate(file, os.path.getsize(file) // 2)
            os._exit(CRASH_EXIT_STATUS)

    return hook


def install(points: str | Iterable[str]) -> None:
    """End this process at ``points`` from now on."""
    steps.set_hook(crash_at(points))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 2 or argv[1] != "--":
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    install(argv[0])
    from steppe import cli

    return cli.main(argv[2:]) or 0


if __name__ == "__main__":
    sys.exit(main())
