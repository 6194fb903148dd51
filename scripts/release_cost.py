"""What each stage adds to the cost of a release, measured on a corpus.

Runs the release's core work without Prefect (ingest, per-document stages,
table building, validation, writing Parquet and CSV into a scratch folder)
twice: with every stage, and with name finding switched off, and prints the
wall time of each part. Used to check that a stage "adds less than half to the
cost of a release".

    uv run python scripts/release_cost.py                      # ../shared/corpora/fakebr-pt
    uv run python scripts/release_cost.py --raw data/raw --repeat 3
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from steppe import ingest, pipeline, release
from steppe.mentions import default_index
from steppe.registry import load_registry
from steppe.validate import validate_tables

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fakebr-pt"


def run_once(raw: Path, find_names: bool) -> dict[str, float]:
    times: dict[str, float] = {}
    real_find = pipeline.find_mentions
    if not find_names:
        pipeline.find_mentions = lambda *args, **kwargs: []
    try:
        t = time.perf_counter()
        raw_docs, rejections = ingest.read_raw(raw)
        docs = pipeline.identify_documents(raw_docs)
        times["ingest"] = time.perf_counter() - t
        t = time.perf_counter()
        processed = pipeline.process_batch(docs)
        times["per-document stages"] = time.perf_counter() - t
        t = time.perf_counter()
        tables = pipeline.build_tables(docs, processed, rejections)
        times["build tables"] = time.perf_counter() - t
        t = time.perf_counter()
        report = validate_tables(tables)
        times["validate"] = time.perf_counter() - t
        out = Path(tempfile.mkdtemp(prefix="steppe-cost-"))
        try:
            t = time.perf_counter()
            plan = release.plan_release(out, [], "evidence")
            release.publish(tables, report, out_dir=out, plan=plan, inputs=[], text_policy="evidence")
            times["write"] = time.perf_counter() - t
        finally:
            shutil.rmtree(out, ignore_errors=True)
    finally:
        pipeline.find_mentions = real_find
    times["total"] = sum(times.values())
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each variant; the fastest is reported")
    args = parser.parse_args()
    load_registry()
    default_index()  # built once per process in both variants, as in a real run
    # Import and warm up Great Expectations once, so neither variant pays for it.
    validate_tables(pipeline.build_tables([], [], []))
    results = {}
    for label, find_names in (("without names", False), ("with names", True)):
        runs = [run_once(args.raw, find_names) for _ in range(args.repeat)]
        results[label] = min(runs, key=lambda r: r["total"])
    parts = list(results["with names"])
    print(f"{'part':<22}" + "".join(f"{label:>16}" for label in results))
    for part in parts:
        print(f"{part:<22}" + "".join(f"{results[label][part]:>15.2f}s" for label in results))
    base, full = results["without names"]["total"], results["with names"]["total"]
    print(f"\nname finding adds {100 * (full - base) / base:.0f}% to the release's core cost ({base:.2f}s -> {full:.2f}s)")


if __name__ == "__main__":
    main()
