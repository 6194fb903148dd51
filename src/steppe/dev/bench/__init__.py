"""``steppe bench``: documents per second per stage and end to end, peak memory, cache and Dask.

    steppe bench --docs 3600 --json bench-3600.json
    steppe bench --docs 36000 --runner dask --json bench-36000.json

Builds a corpus of N documents from ../shared/corpora/fakebr-pt (or --corpus:
a .jsonl/.jsonl.gz file, or a folder holding one), repeating it with a light
deterministic change to reach N (copy k adds k to the first number of the
text, or appends " (k)" to a text without one), so every copy has its own
content hash. Then, each in its own Python process so that peak memory is
measured separately:

core         the pipeline without Prefect, as a release runs it: ingest, then
             500 documents at a time language, sentences, name mentions,
             events, sectors and their table rows (each stage's time summed
             over the batches; a batch's analysis is dropped once its rows
             are built), then join the tables, validate, write a release;
             then write the same tables over it, as a day's run diffs
             against the day before's release
incremental  a cold run with the document cache, then the same corpus plus 10
             new documents on the warm cache (end to end, no Prefect); and
             GX validating a one-document release, the least any run pays
run-local    `steppe.run.build_release` with its local executor (one batch at a
             time, in a thread of this process), as `steppe run` runs it
run-dask     `steppe.run.build_release` on a local Dask cluster of 2 worker
             processes (--runner dask), the cluster's start included
scaling      a run's per-batch work (analysis and table rows) in 1 process, then
             in 2 plain processes with no Dask (--runner dask): what 2
             workers can gain on this machine for that part of a run
bare         one pyahocorasick pass of every registry name and pattern word
             (all languages) over the same texts: the reference speed

One-off set-up (registry, name indexes, Great Expectations) is timed apart
and left out of the per-stage and end-to-end rates; run timings include
everything a run does, set-up too. The machine's core count,
load average and speed (a plain Python loop, timed before and after) are
recorded: speed numbers from a busy or slowed machine are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from steppe.dev.bench.corpus import (
    DEFAULT_CORPUS,
    NEW_DOCS,
    build_corpus,
    read_records,
    write_corpus,
)
from steppe.dev.bench.machine import python_loop_s
from steppe.dev.bench.measure import MEASUREMENTS, child_main, run_child
from steppe.dev.bench.report import render, summarise


def run_bench(n: int, corpus: Path, runner: str, json_path: Path | None, keep: Path | None = None, only: list[str] | None = None) -> dict[str, Any]:
    records = read_records(corpus)
    work = Path(tempfile.mkdtemp(prefix="steppe-bench-"))
    try:
        all_records = build_corpus(records, n + NEW_DOCS)
        raw = work / "raw"
        raw_more = work / "raw-more"
        write_corpus(all_records[:n], raw)
        write_corpus(all_records, raw_more)
        env = dict(os.environ)
        env.update({"PREFECT_HOME": str(work / "prefect-home"), "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                    "GX_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING"})
        env.pop("PREFECT_API_URL", None)
        load_before = os.getloadavg()
        loop_before = python_loop_s()
        results: dict[str, Any] = {}
        kinds = ["bare", "core", "incremental", "run-local"] + (["run-dask", "scaling"] if runner == "dask" else [])
        if only:
            kinds = [k for k in MEASUREMENTS if k in only]
        for kind in kinds:
            print(f"measuring {kind}...", file=sys.stderr, flush=True)
            args = (raw, raw_more) if kind == "incremental" else (raw,)
            results[kind] = run_child(kind, *args, work=work, env=env)
        load_after = os.getloadavg()
        loop_after = python_loop_s()
        report = {
            "docs": n,
            "corpus": str(corpus),
            "runner": runner,
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
                "load_before": [round(x, 2) for x in load_before],
                "load_after": [round(x, 2) for x in load_after],
                "python_loop_s": [round(loop_before, 3), round(loop_after, 3)],
            },
            "results": results,
        }
        report["summary"] = summarise(n, results)
        if json_path:
            json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        return report
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--child":
        return child_main(argv[1:])
    parser = argparse.ArgumentParser(prog="steppe bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return run(parser.parse_args(argv))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--docs", type=int, default=3600, help="documents in the benchmark corpus (default 3600)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"JSONL(.gz) corpus or a folder holding one (default {DEFAULT_CORPUS})")
    parser.add_argument("--runner", choices=("local", "dask"), default="local", help="dask: also time a run on 2 Dask workers")
    parser.add_argument("--json", type=Path, default=None, help="write the full results as JSON here")
    parser.add_argument("--only", default=None, help=f"comma-separated subset of {','.join(MEASUREMENTS)} (default: all but run-dask and scaling, which --runner dask adds)")


def run(args: argparse.Namespace) -> int:
    if args.docs < 1:
        raise SystemExit("steppe bench: --docs must be at least 1")
    only = [k.strip() for k in args.only.split(",")] if args.only else None
    unknown = sorted(set(only or ()) - set(MEASUREMENTS))
    if unknown:
        raise SystemExit(f"steppe bench: unknown measurement {', '.join(unknown)}; expected {', '.join(MEASUREMENTS)}")
    report = run_bench(args.docs, args.corpus, args.runner, args.json, only=only)
    print(render(report))
    return 0

