"""A local run of the Prefect flow whose temporary Prefect server is made to start DELAY seconds late.

Shows the flow's start-up timeout at work: with the flow's default (180 s) a
late server is waited for; with PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS
set lower than the delay, the run fails as it would on a very busy machine.

    uv run python tools/slow_start.py 40 data/raw /tmp/slow-out
    PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=20 uv run python tools/slow_start.py 40 data/raw /tmp/slow-out2

Run it with PREFECT_HOME in a scratch folder and without PREFECT_API_URL, so
that Prefect starts its temporary server. The delay is put in front of the
server's own command (Prefect's SubprocessASGIServer), nothing else changes.
"""
from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # flows/ from the checkout


def delay_server_start(seconds: int) -> None:
    from prefect.server.api import server

    real = server.SubprocessASGIServer._run_uvicorn_command

    def delayed(self):
        real_popen = subprocess.Popen

        def popen(args, **kwargs):
            return real_popen(["sh", "-c", f"sleep {seconds}; exec {shlex.join(args)}"], **kwargs)

        server.subprocess.Popen = popen
        try:
            return real(self)
        finally:
            server.subprocess.Popen = real_popen

    server.SubprocessASGIServer._run_uvicorn_command = delayed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("delay", type=int, help="seconds the server starts late")
    parser.add_argument("raw")
    parser.add_argument("out")
    args = parser.parse_args(argv)
    delay_server_start(args.delay)
    started = time.perf_counter()
    from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

    from flows.release import release_flow

    print(f"server delayed {args.delay} s; start-up timeout in effect: {PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()} s", flush=True)
    try:
        result = release_flow(raw_dir=args.raw, out_dir=args.out, use_cache=False)
    except Exception as exc:  # the timeout this shows is what a run on a busy machine would meet
        print(f"failed after {time.perf_counter() - started:.1f} s: {str(exc)[:200]}")
        return 1
    print(f"{result['status']} {result.get('version')} after {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
