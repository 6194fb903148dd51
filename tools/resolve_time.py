"""Time `steppe resolve NAME` in fresh processes, without and with the name index on disk.

Each run is a new Python process, as when a curator types the command: cold
runs start with an empty output folder (the index is built, then saved), warm
runs find the index saved by a first, untimed run. Prints each run's seconds
and the median of each kind, and the modules of the heavy libraries that the
command imported (none is expected).

    uv run --frozen --no-sync python tools/resolve_time.py
    uv run --frozen --no-sync python tools/resolve_time.py --runs 7 --name "Тоқаевтың"
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("pyarrow", "pandas", "numpy", "great_expectations", "prefect", "duckdb", "dask", "lingua")

# Run the command as `steppe` does, then list the heavy modules it imported on stderr.
_CHILD = (
    "import sys\n"
    "from steppe.cli import main\n"
    "code = main(sys.argv[1:])\n"
    f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
    "print('HEAVY ' + ','.join(heavy), file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def run_once(name: str, out: Path) -> tuple[float, str]:
    env = dict(os.environ, DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false", GX_ANALYTICS_ENABLED="false")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, "resolve", name, "--out", str(out)],
        capture_output=True, text=True, env=env, check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: the name resolves to nothing, still a timed answer
        raise SystemExit(f"steppe resolve failed ({done.returncode}):\n{done.stderr}")
    heavy = next((line[6:] for line in done.stderr.splitlines() if line.startswith("HEAVY ")), "?")
    return seconds, heavy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="Токаев")
    parser.add_argument("--runs", type=int, default=5, help="runs of each kind (default: 5)")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="steppe-resolve-time-"))
    try:
        cold, warm, heavy = [], [], set()
        for _ in range(args.runs):
            out = work / "cold"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            seconds, imported = run_once(args.name, out)
            cold.append(seconds)
            heavy.add(imported)
        out = work / "warm"
        out.mkdir()
        run_once(args.name, out)  # saves the index
        if not any((out / "cache" / "names").glob("*.bin")):
            raise SystemExit(f"no name index was saved under {out}/cache/names")
        for _ in range(args.runs):
            seconds, imported = run_once(args.name, out)
            warm.append(seconds)
            heavy.add(imported)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"steppe resolve {args.name!r}, {args.runs} fresh processes of each kind (load average {os.getloadavg()[0]:.1f})")
    print(f"  cold (no index on disk):   median {statistics.median(cold):.2f} s  runs {' '.join(f'{s:.2f}' for s in cold)}")
    print(f"  warm (index on disk):      median {statistics.median(warm):.2f} s  runs {' '.join(f'{s:.2f}' for s in warm)}")
    print(f"  heavy libraries imported:  {', '.join(sorted(h for h in heavy if h)) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
