"""What each stage adds to the cost of a release, measured on a corpus.

Runs the release's core work without Prefect (ingest, per-document stages,
table building, validation, writing Parquet and CSV into a scratch folder)
with the analysis stages switched on one after another (none; names; names
and events; names, events and sectors) and once with every stage but events,
and prints the wall time of each part and what each stage adds. Used to
check that a stage "adds less than half to the cost of a release".

A stage's cost is more than its own function: its rows are also built into
tables, validated (foreign keys included: sector mentions point at events)
and written. For events, two baselines are printed: the release it is
added to in stage order (names only), and a full release without it (names
and sectors), which is what a release costs with and without event coding.

With --flow it also times whole releases as `steppe run --no-cache` makes
them (the Prefect flow on its local runner, a temporary Prefect API, Great
Expectations, the release files), with and without event coding, each run in
a fresh process timed from start to exit: what an operator waits for.

    uv run python tools/release_cost.py                      # ../shared/corpora/fakebr-pt
    uv run python tools/release_cost.py --raw data/raw --repeat 3
    uv run python tools/release_cost.py --flow --repeat 2
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from steppe.analyse import document as pipeline
from steppe.analyse.names.index import default_index
from steppe.analyse.names.registry import load_registry
from steppe.gate.validate import validate_tables
from steppe.ingest import read as ingest
from steppe.publish import release
from steppe.publish.plan import plan_release
from steppe.tables import assemble

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fakebr-pt"


WARM_UP_DOCS = 20
STAGES = ("find_mentions", "code_events", "find_sectors")  # pipeline functions, in the order they are added


def switch_off_stages(stages: tuple[str, ...]) -> dict:
    """Replace the pipeline's analysis stages not in `stages` by ones that find nothing; the real ones, to put back."""
    real = {name: getattr(pipeline, name) for name in STAGES}
    for name in STAGES:
        if name not in stages:
            setattr(pipeline, name, lambda *args, **kwargs: [])
    return real


def run_once(raw: Path, stages: tuple[str, ...]) -> dict[str, float]:
    times: dict[str, float] = {}
    real = switch_off_stages(stages)
    try:
        t = time.perf_counter()
        raw_docs, rejections, _ = ingest.read_raw(raw)
        docs = pipeline.identify_documents(raw_docs)
        times["ingest"] = time.perf_counter() - t
        t = time.perf_counter()
        processed = pipeline.process_batch(docs)
        times["per-document stages"] = time.perf_counter() - t
        t = time.perf_counter()
        tables = assemble.build_tables(docs, processed, rejections)
        times["build tables"] = time.perf_counter() - t
        t = time.perf_counter()
        report = validate_tables(tables)
        times["validate"] = time.perf_counter() - t
        out = Path(tempfile.mkdtemp(prefix="steppe-cost-"))
        try:
            t = time.perf_counter()
            plan = plan_release(out, [], "evidence")
            release.publish(tables, report, out_dir=out, plan=plan, inputs=[], text_policy="evidence")
            times["write"] = time.perf_counter() - t
        finally:
            shutil.rmtree(out, ignore_errors=True)
    finally:
        for name, fn in real.items():
            setattr(pipeline, name, fn)
    times["total"] = sum(times.values())
    return times


VARIANTS = {
    "none": (),
    "+names": ("find_mentions",),
    "+events": ("find_mentions", "code_events"),
    "+sectors": STAGES,
    "all-events": ("find_mentions", "find_sectors"),  # a full release without event coding
}


def flow_child(variant: str, raw: Path, out: Path) -> None:
    """One whole release by the flow, with the variant's stages (in this process: the local runner uses threads)."""
    switch_off_stages(VARIANTS[variant])
    from flows.release import release_flow

    result = release_flow(raw_dir=str(raw), out_dir=str(out), use_cache=False)
    if result["status"] != "published":
        raise SystemExit(f"the release was not published: {result}")


def time_flow(variant: str, raw: Path) -> float:
    """Seconds from starting a fresh process to its exit, for one release of the variant."""
    work = Path(tempfile.mkdtemp(prefix="steppe-cost-flow-"))
    env = dict(os.environ)
    env.update({"PREFECT_HOME": str(work / "prefect-home"), "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "GX_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING"})
    env.pop("PREFECT_API_URL", None)
    try:
        t = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--child", variant, str(raw), str(work / "out")], env=env, check=True)
        return time.perf_counter() - t
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each variant; the fastest is reported")
    parser.add_argument("--flow", action="store_true", help="also time whole flow runs, each in a fresh process, with and without events")
    parser.add_argument("--child", nargs=3, metavar=("VARIANT", "RAW", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        flow_child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    load_registry()
    default_index()  # built once per process in both variants, as in a real run
    # Import and warm up Great Expectations once, so no variant pays for it: on
    # the first few documents of the corpus (the validation of empty tables
    # is not what a release runs).
    raw_docs, rejections, _ = ingest.read_raw(args.raw)
    docs = pipeline.identify_documents(raw_docs)[:WARM_UP_DOCS]
    validate_tables(assemble.build_tables(docs, pipeline.process_batch(docs), rejections))
    results = {}
    for label, stages in VARIANTS.items():
        runs = [run_once(args.raw, stages) for _ in range(args.repeat)]
        results[label] = min(runs, key=lambda r: r["total"])
    parts = list(results["none"])
    print(f"{'part':<22}" + "".join(f"{label:>12}" for label in results))
    for part in parts:
        print(f"{part:<22}" + "".join(f"{results[label][part]:>11.2f}s" for label in results))
    base = results["none"]["total"]
    labels = [label for label in results if label != "all-events"]
    print()
    for before, after in zip(labels, labels[1:]):
        added = results[after]["total"] - results[before]["total"]
        print(
            f"{after[1:]:<8} adds {added:6.2f}s = {100 * added / base:4.0f}% of the release's core cost without analysis ({base:.2f}s), "
            f"{100 * added / results[before]['total']:4.0f}% of the release it is added to ({before}: {results[before]['total']:.2f}s)"
        )
    print(f"all analysis stages together: {results[labels[-1]]['total']:.2f}s, {100 * (results[labels[-1]]['total'] - base) / base:.0f}% more than {base:.2f}s")
    full, without = results["+sectors"]["total"], results["all-events"]["total"]
    print(
        f"events in a full release: {full:.2f}s with, {without:.2f}s without: adds {full - without:.2f}s = "
        f"{100 * (full - without) / without:.0f}% of the release without event coding"
    )
    for part in parts:
        added = results["+sectors"][part] - results["all-events"][part]
        print(f"    {part:<22}{added:+8.2f}s")
    if args.flow:
        with_events = min(time_flow("+sectors", args.raw) for _ in range(args.repeat))
        without = min(time_flow("all-events", args.raw) for _ in range(args.repeat))
        print(
            f"whole flow runs (a fresh process each, Prefect local runner, no cache): {with_events:.2f}s with events, "
            f"{without:.2f}s without: adds {with_events - without:.2f}s = {100 * (with_events - without) / without:.0f}%"
        )


if __name__ == "__main__":
    main()
