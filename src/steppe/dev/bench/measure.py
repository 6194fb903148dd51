"""The measurements, each run in a child process (``python -m steppe.dev.bench --child KIND ...``)
so that peak memory is measured separately."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from steppe.datafiles import load_yaml
from steppe.dev.bench.machine import TreeSampler, peak_rss_mb

MEASUREMENTS = ("bare", "core", "incremental", "run-local", "run-dask", "scaling")

def _one_document_tables():
    """The tables of a one-document release (which also loads the registry and name indexes)."""
    from datetime import datetime, timezone

    from steppe.analyse import document as pipeline
    from steppe.ingest.read import RawDocument
    from steppe.tables import assemble

    text = "O presidente do Cazaquistão recebe Putin em Astana."
    one = RawDocument("warm-up.txt", 1, None, text, "utf-8", None, None, None, None, datetime(2025, 1, 1, tzinfo=timezone.utc), "pt")
    docs = pipeline.identify_documents([one])
    return assemble.build_tables(docs, pipeline.process_batch(docs), [])


def _setup() -> float:
    """Registry, name indexes and Great Expectations, loaded once as a run does."""
    from steppe.analyse.names.index import default_index
    from steppe.analyse.names.registry import load_registry
    from steppe.gate.validate import validate_tables

    t = time.perf_counter()
    load_registry()
    default_index()
    validate_tables(_one_document_tables())
    return time.perf_counter() - t


def validation_floor(repeat: int = 3) -> float:
    """Seconds GX takes to validate a one-document release (fastest of ``repeat``, after set-up):
    what every run pays for the 274 expectations, however few documents are new."""
    from steppe.gate.validate import validate_tables

    tables = _one_document_tables()
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        validate_tables(tables)
        best = min(best, time.perf_counter() - t)
    return best


def _write(tables, report, out: Path) -> None:
    """Publish (``report``: the gate's report, or a function that makes it, see release.publish);
    a release that fails validation is written all the same (to out/failed/)."""
    from steppe.publish import release
    from steppe.publish.plan import plan_release

    plan = plan_release(out, [], "evidence", force=True)
    try:
        release.publish(tables, report, out_dir=out, plan=plan, inputs=[], text_policy="evidence")
    except release.ValidationFailed:
        pass


# Documents per batch in the core measurement: a run's default batch size.
CORE_BATCH = 500


def measure_core(raw: Path, work: Path) -> dict[str, Any]:
    """The pipeline as a release runs it, without Prefect: a batch of documents at a time, each
    stage timed and summed over the batches. A batch's analysis (mentions, events...) is turned
    into its table rows and dropped before the next batch, as a run does, and so are its
    documents' texts, as a run drops them, and the raw files are read a batch at a time, as a
    run reads them, so peak memory is a release's, not that of holding every stage's output (or
    every text) of the whole corpus at once."""
    from steppe.analyse import document as pipeline
    from steppe.gate.validate import validate_tables
    from steppe.ingest import read as ingest
    from steppe.tables import assemble

    setup = _setup()
    # What the process holds before the corpus: Python, the registry and indexes, GX, a
    # one-document gate run. Part of every peak below, whatever the corpus size.
    setup_peak = peak_rss_mb()["peak_rss_mb"]
    stages = ("ingest", "language", "sentences", "mentions", "events", "sectors", "build tables", "validate", "write")
    times: dict[str, float] = dict.fromkeys(stages, 0.0)
    t0 = time.perf_counter()
    # The raw files are read a batch at a time, as a run reads them.
    reader = pipeline.DocumentBatches(ingest.iter_raw(raw), CORE_BATCH)
    batches = iter(reader)
    docs: list = []
    detected = 0
    parts = []
    while True:
        t = time.perf_counter()
        batch = next(batches, None)
        times["ingest"] += time.perf_counter() - t
        if batch is None:
            break
        # The analysis as a release runs it, each stage's seconds added to ``times``.
        processed = pipeline.process_batch(batch, timings=times)
        detected += sum(p.language_source == "detected" for p in processed)
        t = time.perf_counter()
        parts.append(assemble.batch_tables(batch, processed))
        times["build tables"] += time.perf_counter() - t
        docs += [d.without_text() for d in batch]  # as a run keeps them once a batch is analysed
        del batch, processed
    rejections = reader.rejections

    t = time.perf_counter()
    tables = assemble.assemble_tables(docs, parts, rejections)
    times["build tables"] += time.perf_counter() - t
    del parts

    t = time.perf_counter()
    report = validate_tables(tables)
    times["validate"] = time.perf_counter() - t

    t = time.perf_counter()
    _write(tables, report, work / "core-out")
    times["write"] = time.perf_counter() - t
    total = time.perf_counter() - t0
    first_peak = peak_rss_mb()["peak_rss_mb"]

    # The same tables but one sentence published over that release: what a day's run adds to the
    # work above, the diff against the day before's release (here nearly every row is in both).
    # The very same tables would publish nothing: releases are immutable.
    again = {**tables, "sentences": tables["sentences"].slice(0, max(0, tables["sentences"].num_rows - 1))}
    t = time.perf_counter()
    _write(again, report, work / "core-out")
    republish = time.perf_counter() - t
    return {
        "docs": len(docs),
        "republish_s": round(republish, 3),
        "peak_rss_first_release_mb": first_peak,
        "batch_docs": CORE_BATCH,
        "language_detected": detected,
        "setup_s": round(setup, 3),
        "peak_rss_after_setup_mb": setup_peak,
        "stages_s": {k: round(v, 3) for k, v in times.items()},
        "end_to_end_s": round(total, 3),
        "validation": {"success": report.success, "failed": [f.message.split("(")[0] for f in report.failures]},
        "rows": {name: t.num_rows for name, t in tables.items()},
        "tables_mb": round(sum(t.nbytes for t in tables.values()) / 2**20, 1),  # held whole while validated and written
    }


def _core_run(raw: Path, out: Path, use_cache: bool) -> tuple[float, Any]:
    from steppe.analyse import cache
    from steppe.analyse import document as pipeline
    from steppe.gate.validate import validate_tables
    from steppe.ingest import read as ingest
    from steppe.tables import assemble

    t = time.perf_counter()
    raw_docs, rejections, _ = ingest.read_raw(raw)
    docs = pipeline.identify_documents(raw_docs)
    store = cache.DocumentCache(out / cache.CACHE_DIR, cache.analysis_version()) if use_cache else None
    processed, stats = cache.process_batch(docs, store)
    tables = assemble.build_tables(docs, processed, rejections)
    _write(tables, lambda: validate_tables(tables), out)  # the gate runs while the tables' files are written, as in a run
    return time.perf_counter() - t, stats


def measure_incremental(raw: Path, raw_more: Path, work: Path) -> dict[str, Any]:
    from steppe.analyse import cache

    setup = _setup()
    out = work / "incremental-out"
    cold, cold_stats = _core_run(raw, out, True)
    warm, warm_stats = _core_run(raw_more, out, True)
    return {
        "setup_s": round(setup, 3),
        "validation_floor_s": round(validation_floor(), 3),
        "cold_cache_s": round(cold, 3),
        "cold_stats": {"hits": cold_stats.hits, "misses": cold_stats.misses},
        "warm_plus_new_s": round(warm, 3),
        "warm_stats": {"hits": warm_stats.hits, "misses": warm_stats.misses},
        "cache_storage": cache.storage(out / cache.CACHE_DIR),
    }


SCALING_WORKERS = 2


def _batch_work(batch) -> Any:
    """What a run does with a batch where it runs (without the cache)."""
    from steppe.analyse import cache
    from steppe.tables import assemble

    return assemble.batch_tables(batch, cache.process_batch(batch, None)[0])


def _worker_ready(pause: float) -> int:
    time.sleep(pause)  # held, so that every worker of the pool takes one (and has started)
    return os.getpid()


def measure_scaling(raw: Path, workers: int = SCALING_WORKERS) -> dict[str, Any]:
    """A run's per-batch work (analysis and table rows, 500 documents a batch) over the corpus,
    in this process, then in ``workers`` plain processes (a process pool, no Dask), each set up
    before the clock starts: the most a runner of that many workers can gain on this machine
    for that part of a run, against which the Dask run's gain can be read."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from steppe.analyse import document as pipeline
    from steppe.ingest import read as ingest

    _setup()
    batches = list(pipeline.DocumentBatches(ingest.iter_raw(raw), CORE_BATCH))
    t = time.perf_counter()
    for batch in batches:
        _batch_work(batch)
    one = time.perf_counter() - t
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_setup) as pool:
        started = {f.result() for f in [pool.submit(_worker_ready, 1.0) for _ in range(workers)]}
        t = time.perf_counter()
        for _ in pool.map(_batch_work, batches):
            pass
        parallel = time.perf_counter() - t
    return {
        "docs": sum(len(b) for b in batches),
        "batches": len(batches),
        "workers": workers,
        "workers_started": len(started),
        "one_process_s": round(one, 3),
        "parallel_s": round(parallel, 3),
    }


def measure_run(raw: Path, work: Path, runner: str) -> dict[str, Any]:
    """A whole release by :func:`steppe.run.build_release`, without the cache, on the runner asked
    for, set-up included (for Dask, the local cluster's start too); child processes' memory sampled."""
    from steppe.publish.release import ValidationFailed
    from steppe.run import RunOptions, build_release

    options = RunOptions(raw_dir=raw, out_dir=work / f"run-{runner}-out", use_cache=False, runner=runner)
    with TreeSampler() as tree:
        t = time.perf_counter()
        try:
            status = build_release(options)["status"]
        except ValidationFailed:
            status = "written, validation failed"
        total = time.perf_counter() - t
    return {
        "end_to_end_s": round(total, 3),
        "status": status,
        "peak_rss_children_mb": round(tree.peak_children_mb, 1),  # all child processes together (sampled)
        "peak_rss_largest_child_mb": round(tree.peak_child_mb, 1),
    }


def measure_bare(raw: Path) -> dict[str, Any]:
    """One Aho-Corasick pass of every registry name and pattern word over each text (lower-cased)."""
    import ahocorasick

    from steppe.analyse.names.forms import entity_names
    from steppe.analyse.names.registry import load_registry
    from steppe.ingest import read as ingest

    t = time.perf_counter()
    words: set[str] = set()
    for e in load_registry().entities.values():
        words.update(n.text.lower() for n in entity_names(e))
    data = Path(__file__).resolve().parents[2] / "data"
    for path in sorted((data / "events" / "patterns").glob("*.yaml")) + sorted((data / "sectors" / "patterns").glob("*.yaml")):
        stack = [load_yaml(path.read_text(encoding="utf-8"))]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, str):
                for w in re.split(r"[\s|]+", node.lower()):
                    w = w.strip("*[]().,\"'")
                    if len(w) >= 2 and w != "...":
                        words.add(w)
    automaton = ahocorasick.Automaton()
    for w in sorted(words):
        automaton.add_word(w, len(w))
    automaton.make_automaton()
    build = time.perf_counter() - t
    docs, _, _ = ingest.read_raw(raw)
    texts = [d.text for d in docs]
    t = time.perf_counter()
    hits = 0
    for text in texts:
        for _ in automaton.iter(text.lower()):
            hits += 1
    scan = time.perf_counter() - t
    return {"words": len(words), "build_s": round(build, 3), "scan_s": round(scan, 3), "matches": hits, "docs": len(texts)}


def child_main(argv: list[str]) -> int:
    kind, raw, work, out_json = argv[0], Path(argv[1]), Path(argv[2]), Path(argv[3])
    if kind == "core":
        result = measure_core(raw, work)
    elif kind == "incremental":
        result = measure_incremental(raw, Path(argv[4]), work)
    elif kind in ("run-local", "run-dask"):
        result = measure_run(raw, work, kind.split("-", 1)[1])
    elif kind == "bare":
        result = measure_bare(raw)
    elif kind == "scaling":
        result = measure_scaling(raw)
    else:
        raise SystemExit(f"unknown measurement {kind!r}")
    result.update(peak_rss_mb())
    out_json.write_text(json.dumps(result), encoding="utf-8")
    return 0


def run_child(kind: str, *args: Path, work: Path, env: dict[str, str]) -> dict[str, Any]:
    out_json = work / f"{kind}.json"
    cmd = [sys.executable, "-m", "steppe.dev.bench", "--child", kind, *map(str, [args[0], work, out_json, *args[1:]])]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"benchmark {kind} failed (exit {proc.returncode}):\n{tail}")
    return json.loads(out_json.read_text(encoding="utf-8"))
