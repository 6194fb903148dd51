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
flow-local   `release_flow` with its local runner (one batch at a time, in this process)
flow-dask    `release_flow` on a local Dask cluster of 2 worker processes (--runner dask)
scaling      the flow's per-batch work (analysis and table rows) in 1 process, then
             in 2 plain processes with no Prefect or Dask (--runner dask): what 2
             workers can gain on this machine for that part of a run
bare         one pyahocorasick pass of every registry name and pattern word
             (all languages) over the same texts: the reference speed

One-off set-up (registry, name indexes, Great Expectations) is timed apart
and left out of the per-stage and end-to-end rates; flow timings include
everything a run does once the Prefect API is up. The machine's core count,
load average and speed (a plain Python loop, timed before and after) are
recorded: speed numbers from a busy or slowed machine are noisy.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_CORPUS = Path("../shared/corpora/fakebr-pt/articles.jsonl.gz")
NEW_DOCS = 10
_NUMBER = re.compile(r"\d+")


# --- Corpus -------------------------------------------------------------------


def _corpus_file(path: Path) -> Path:
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.name.endswith((".jsonl", ".jsonl.gz")))
        if not found:
            raise FileNotFoundError(f"{path}: no .jsonl or .jsonl.gz file")
        return found[0]
    if not path.is_file():
        raise FileNotFoundError(f"corpus {path} does not exist")
    return path


def read_records(path: Path) -> list[dict[str, Any]]:
    path = _corpus_file(path)
    opener = gzip.open if path.name.endswith(".gz") else open
    records = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"{path}, line {n}: not JSON ({exc})") from exc
            if isinstance(rec, dict) and isinstance(rec.get("text"), str) and rec["text"].strip():
                records.append(rec)
    if not records:
        raise ValueError(f"{path}: no record with a text")
    return records


def perturb(text: str, k: int) -> str:
    """Copy k of a text (k=0: the text itself): the first number plus k, or " (k)" appended."""
    if k == 0:
        return text
    m = _NUMBER.search(text)
    if m is None:
        return f"{text} ({k})"
    return f"{text[: m.start()]}{int(m.group()) + k}{text[m.end() :]}"


def build_corpus(records: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """N records: the corpus in order, then copy 1, copy 2... (a prefix of the corpus for a larger N)."""
    out = []
    for i in range(n):
        k, rec = divmod(i, len(records))
        rec = dict(records[rec])
        if k:
            rec["text"] = perturb(rec["text"], k)
            if rec.get("id") is not None:
                rec["id"] = f"{rec['id']}~{k}"
        out.append(rec)
    return out


def write_corpus(records: list[dict[str, Any]], raw_dir: Path) -> Path:
    raw_dir.mkdir(parents=True, exist_ok=True)
    path = raw_dir / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


# --- Measurements (each run in a child process) --------------------------------

LOOP_STEPS = 5_000_000


def python_loop_s(repeat: int = 3) -> float:
    """Seconds a plain Python loop of LOOP_STEPS steps takes here (the fastest of ``repeat``): the
    machine's speed at the time, since a shared machine can run slower for a while, and then every
    figure of a run is slower with it."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        total = 0
        for i in range(LOOP_STEPS):
            total += i * i
        best = min(best, time.perf_counter() - t)
    return best


def _peak_rss_mb() -> dict[str, float]:
    # The peak of this process image: Linux's VmHWM, which starts afresh at exec. ru_maxrss
    # (KiB on Linux) outlives exec: a measurement's child process reports at least the size
    # of the bench process that started it (678 MB after building a corpus of 36,000
    # documents), so it is the fallback only. (RUSAGE_CHILDREN is no use either, for the same reason.)
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return {"peak_rss_mb": round(int(line.split()[1]) / 1024, 1)}
    except OSError:
        pass
    return {"peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


class TreeSampler:
    """Peak RSS of this process's children (Dask workers, the Prefect API server), sampled every 0.5 s."""

    def __init__(self, interval: float = 0.5):
        import threading

        self.interval = interval
        self.peak_children_mb = 0.0
        self.peak_child_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(self.interval):
            sizes = []
            for child in me.children(recursive=True):
                try:
                    sizes.append(child.memory_info().rss / 2**20)
                except psutil.Error:
                    pass
            if sizes:
                self.peak_children_mb = max(self.peak_children_mb, sum(sizes))
                self.peak_child_mb = max(self.peak_child_mb, max(sizes))

    def __enter__(self) -> "TreeSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _one_document_tables():
    """The tables of a one-document release (which also loads the registry and name indexes)."""
    from datetime import datetime, timezone

    from steppe.analyse import document as pipeline
    from steppe.ingest.read import RawDocument

    text = "O presidente do Cazaquistão recebe Putin em Astana."
    one = RawDocument("warm-up.txt", 1, None, text, "utf-8", None, None, None, None, datetime(2025, 1, 1, tzinfo=timezone.utc), "pt")
    docs = pipeline.identify_documents([one])
    return pipeline.build_tables(docs, pipeline.process_batch(docs), [])


def _setup() -> float:
    """Registry, name indexes and Great Expectations, loaded once as a run does."""
    from steppe.analyse.names.mentions import default_index
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


# Documents per batch in the core measurement: the release flow's default batch size.
CORE_BATCH = 500


def measure_core(raw: Path, work: Path) -> dict[str, Any]:
    """The pipeline as a release runs it, without Prefect: a batch of documents at a time, each
    stage timed and summed over the batches. A batch's analysis (mentions, events...) is turned
    into its table rows and dropped before the next batch, as the flow's tasks do, and so are its
    documents' texts, as the flow drops them, and the raw files are read a batch at a time, as the
    flow reads them, so peak memory is a release's, not that of holding every stage's output (or
    every text) of the whole corpus at once."""
    from steppe.analyse import document as pipeline
    from steppe.gate.validate import validate_tables
    from steppe.ingest import read as ingest

    setup = _setup()
    # What the process holds before the corpus: Python, the registry and indexes, GX, a
    # one-document gate run. Part of every peak below, whatever the corpus size.
    setup_peak = _peak_rss_mb()["peak_rss_mb"]
    stages = ("ingest", "language", "sentences", "mentions", "events", "sectors", "build tables", "validate", "write")
    times: dict[str, float] = dict.fromkeys(stages, 0.0)
    t0 = time.perf_counter()
    # The raw files are read a batch at a time, as the flow reads them.
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
        parts.append(pipeline.batch_tables(batch, processed))
        times["build tables"] += time.perf_counter() - t
        docs += [d.without_text() for d in batch]  # as the flow keeps them once a batch is analysed
        del batch, processed
    rejections = reader.rejections

    t = time.perf_counter()
    tables = pipeline.assemble_tables(docs, parts, rejections)
    times["build tables"] += time.perf_counter() - t
    del parts

    t = time.perf_counter()
    report = validate_tables(tables)
    times["validate"] = time.perf_counter() - t

    t = time.perf_counter()
    _write(tables, report, work / "core-out")
    times["write"] = time.perf_counter() - t
    total = time.perf_counter() - t0
    first_peak = _peak_rss_mb()["peak_rss_mb"]

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

    t = time.perf_counter()
    raw_docs, rejections = ingest.read_raw(raw)
    docs = pipeline.identify_documents(raw_docs)
    store = cache.DocumentCache(out / cache.CACHE_DIR, cache.analysis_version()) if use_cache else None
    processed, stats = cache.process_batch(docs, store)
    tables = pipeline.build_tables(docs, processed, rejections)
    _write(tables, lambda: validate_tables(tables), out)  # the gate runs while the tables' files are written, as in the flow
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
    """What the flow's analyse-documents task does with a batch (without the cache)."""
    from steppe.analyse import cache

    return cache.analyse_batch(batch, None)[0]


def _worker_ready(pause: float) -> int:
    time.sleep(pause)  # held, so that every worker of the pool takes one (and has started)
    return os.getpid()


def measure_scaling(raw: Path, workers: int = SCALING_WORKERS) -> dict[str, Any]:
    """The flow's per-batch work (analysis and table rows, 500 documents a batch) over the corpus,
    in this process, then in ``workers`` plain processes (a process pool, no Prefect, no Dask),
    each set up before the clock starts: the most a runner of that many workers can gain on
    this machine for that part of a run, against which the Dask flow's gain can be read."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from steppe.analyse import (
        document as pipeline,  # bench by name: `python -m steppe.dev.bench` runs this module as __main__
    )
    from steppe.dev import bench
    from steppe.ingest import read as ingest

    _setup()
    batches = list(pipeline.DocumentBatches(ingest.iter_raw(raw), CORE_BATCH))
    t = time.perf_counter()
    for batch in batches:
        _batch_work(batch)
    one = time.perf_counter() - t
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=bench._setup) as pool:
        started = {f.result() for f in [pool.submit(bench._worker_ready, 1.0) for _ in range(workers)]}
        t = time.perf_counter()
        for _ in pool.map(bench._batch_work, batches):
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


def measure_flow(raw: Path, work: Path, runner: str) -> dict[str, Any]:
    from prefect import flow

    from flows.release import api_for_workers, flow_with_runner
    from steppe.publish.release import ValidationFailed

    @flow(name="bench-warm-up")
    def warm_up() -> int:
        return 1

    with api_for_workers(runner):
        t = time.perf_counter()
        warm_up()  # the Prefect API is up before the clock starts
        api_s = time.perf_counter() - t
        release_flow = flow_with_runner(runner)
        with TreeSampler() as tree:
            t = time.perf_counter()
            try:
                status = release_flow(raw_dir=str(raw), out_dir=str(work / f"flow-{runner}-out"), use_cache=False)["status"]
            except ValidationFailed:
                status = "written, validation failed"
            total = time.perf_counter() - t
    return {
        "api_start_s": round(api_s, 3),
        "end_to_end_s": round(total, 3),
        "status": status,
        "peak_rss_children_mb": round(tree.peak_children_mb, 1),  # all child processes together (sampled)
        "peak_rss_largest_child_mb": round(tree.peak_child_mb, 1),
    }


def measure_bare(raw: Path) -> dict[str, Any]:
    """One Aho-Corasick pass of every registry name and pattern word over each text (lower-cased)."""
    import ahocorasick
    import yaml

    from steppe.analyse.names.mentions import entity_names
    from steppe.analyse.names.registry import load_registry
    from steppe.ingest import read as ingest

    t = time.perf_counter()
    words: set[str] = set()
    for e in load_registry().entities.values():
        words.update(n.text.lower() for n in entity_names(e))
    data = Path(__file__).resolve().parents[1] / "data"
    for path in sorted((data / "events" / "patterns").glob("*.yaml")) + sorted((data / "sectors" / "patterns").glob("*.yaml")):
        stack = [yaml.safe_load(path.read_text(encoding="utf-8"))]
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
    docs, _ = ingest.read_raw(raw)
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
    elif kind in ("flow-local", "flow-dask"):
        result = measure_flow(raw, work, kind.split("-", 1)[1])
    elif kind == "bare":
        result = measure_bare(raw)
    elif kind == "scaling":
        result = measure_scaling(raw)
    else:
        raise SystemExit(f"unknown measurement {kind!r}")
    result.update(_peak_rss_mb())
    out_json.write_text(json.dumps(result), encoding="utf-8")
    return 0


def _run_child(kind: str, *args: Path, work: Path, env: dict[str, str]) -> dict[str, Any]:
    out_json = work / f"{kind}.json"
    cmd = [sys.executable, "-m", "steppe.dev.bench", "--child", kind, *map(str, [args[0], work, out_json, *args[1:]])]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"benchmark {kind} failed (exit {proc.returncode}):\n{tail}")
    return json.loads(out_json.read_text(encoding="utf-8"))


# --- Report -------------------------------------------------------------------


def _rate(docs: int, seconds: float) -> float | None:
    return round(docs / seconds, 1) if seconds > 0 else None


def summarise(n: int, results: dict[str, Any]) -> dict[str, Any]:
    core = results.get("core")
    docs = core["docs"] if core else n
    rows: list[dict[str, Any]] = []
    if core:
        for stage, s in core["stages_s"].items():
            if stage == "language":
                # Detection runs only where no language is given: rate it over the documents it read.
                detected = core.get("language_detected", docs)
                rows.append({"what": f"core: language ({detected} detected)", "seconds": s, "docs_per_s": _rate(detected, s) if detected else None})
                continue
            rows.append({"what": f"core: {stage}", "seconds": s, "docs_per_s": _rate(docs, s)})
        first_peak = core.get("peak_rss_first_release_mb", core["peak_rss_mb"])
        rows.append({"what": "core: end to end", "seconds": core["end_to_end_s"], "docs_per_s": _rate(docs, core["end_to_end_s"]), "peak_rss_mb": first_peak})
        if "republish_s" in core:
            rows.append({"what": "core: write over the previous release", "seconds": core["republish_s"], "docs_per_s": _rate(docs, core["republish_s"]),
                         "peak_rss_mb": core["peak_rss_mb"]})
    targets: dict[str, Any] = {}
    bare = results.get("bare")
    if bare:
        rows.append({"what": "bare Aho-Corasick reference", "seconds": bare["scan_s"], "docs_per_s": _rate(bare["docs"], bare["scan_s"]), "peak_rss_mb": bare["peak_rss_mb"]})
        if core and core["end_to_end_s"]:
            targets["core_vs_bare"] = round(bare["scan_s"] / core["end_to_end_s"], 4)
    inc = results.get("incremental")
    if inc:
        rows.append({"what": "core with cache, cold", "seconds": inc["cold_cache_s"], "docs_per_s": _rate(docs, inc["cold_cache_s"]), "peak_rss_mb": inc["peak_rss_mb"]})
        rows.append({"what": f"core with cache, warm + {NEW_DOCS} new", "seconds": inc["warm_plus_new_s"], "docs_per_s": _rate(docs + NEW_DOCS, inc["warm_plus_new_s"])})
        if "validation_floor_s" in inc:
            rows.append({"what": "validate a one-document release", "seconds": inc["validation_floor_s"], "docs_per_s": None})
        if core:
            targets["incremental_vs_full_core"] = round(inc["warm_plus_new_s"] / core["end_to_end_s"], 4)
            if "validation_floor_s" in inc:
                targets["validation_floor_vs_full_core"] = round(inc["validation_floor_s"] / core["end_to_end_s"], 4)
        targets["incremental_vs_cold_cache"] = round(inc["warm_plus_new_s"] / inc["cold_cache_s"], 4)
    for kind in ("flow-local", "flow-dask"):
        r = results.get(kind)
        if r:
            rows.append({"what": f"prefect flow, {kind.split('-')[1]} runner", "seconds": r["end_to_end_s"], "docs_per_s": _rate(docs, r["end_to_end_s"]),
                         "peak_rss_mb": r["peak_rss_mb"], "peak_rss_children_mb": r.get("peak_rss_children_mb")})
    if results.get("flow-local") and results.get("flow-dask"):
        targets["dask_vs_local_flow"] = round(results["flow-local"]["end_to_end_s"] / results["flow-dask"]["end_to_end_s"], 3)
    scaling = results.get("scaling")
    if scaling:
        rows.append({"what": "per-batch work, 1 process", "seconds": scaling["one_process_s"], "docs_per_s": _rate(scaling["docs"], scaling["one_process_s"])})
        rows.append({"what": f"per-batch work, {scaling['workers']} plain processes", "seconds": scaling["parallel_s"], "docs_per_s": _rate(scaling["docs"], scaling["parallel_s"])})
        if scaling["parallel_s"]:
            targets["batch_work_scaling"] = round(scaling["one_process_s"] / scaling["parallel_s"], 3)
    return {"rows": rows, "targets": targets}


def render(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"steppe bench: {report['docs']} documents from {report['corpus']}",
        f"machine: {m['cpus']} cores, {m['platform']}, Python {m['python']}, load average {m['load_before']} before / {m['load_after']} after",
        *([f"machine speed: a {LOOP_STEPS:,}-step Python loop took {m['python_loop_s'][0]:.3f} s before / {m['python_loop_s'][1]:.3f} s after"
           " (runs on a machine that is slower at the time are not comparable)"] if m.get("python_loop_s") else []),
        "",
        f"{'measurement':<36}{'seconds':>10}{'docs/s':>10}  {'peak RSS MB'}",
    ]
    for r in report["summary"]["rows"]:
        rss = f"{r['peak_rss_mb']:.0f}" if r.get("peak_rss_mb") is not None else ""
        if r.get("peak_rss_children_mb"):
            rss += f" + {r['peak_rss_children_mb']:.0f} in child processes"
        rate = f"{r['docs_per_s']:.1f}" if r["docs_per_s"] is not None else "-"
        lines.append(f"{r['what']:<36}{r['seconds']:>10.2f}{rate:>10}  {rss}")
    core = report["results"].get("core")
    lines.append("")
    if core:
        after = f"; peak RSS after it {core['peak_rss_after_setup_mb']:.0f} MB" if "peak_rss_after_setup_mb" in core else ""
        lines.append(f"one-off set-up (registry, indexes, GX), not in the rates: {core['setup_s']:.2f}s{after}")
        if "tables_mb" in core:
            lines.append(f"the release's tables, held whole while validated and written: {core['tables_mb']:.0f} MB of Arrow")
        v = core["validation"]
        lines.append("validation of the benchmark corpus: " + ("passed" if v["success"] else "FAILED (" + "; ".join(v["failed"]) + "); the release is written to failed/ all the same"))
    inc = report["results"].get("incremental")
    if inc:
        lines.append(f"cache: warm run reused {inc['warm_stats']['hits']} and analysed {inc['warm_stats']['misses']} documents; "
                     f"{inc['cache_storage']['files']} files, {inc['cache_storage']['bytes'] / 1e6:.1f} MB "
                     f"({inc['cache_storage']['bytes'] / max(1, inc['cache_storage']['files']) / 1024:.1f} KiB per document)")
    t = report["summary"]["targets"]
    lines.append("")
    lines.append("targets (issue #6):")
    if "core_vs_bare" in t:
        lines.append(f"  core end to end / bare reference speed: {100 * t['core_vs_bare']:.1f}% (target >= 25%, aim 50%)")
    if "incremental_vs_full_core" in t:
        lines.append(f"  {NEW_DOCS} new documents on a warm cache / full core run: {100 * t['incremental_vs_full_core']:.1f}% (target < 10%)")
    if "validation_floor_vs_full_core" in t:
        lines.append(f"  of which no run can go below: validating a one-document release / full core run: {100 * t['validation_floor_vs_full_core']:.1f}%")
    if "incremental_vs_cold_cache" in t:
        lines.append(f"  {NEW_DOCS} new documents on a warm cache / the cold-cache run of the same process: {100 * t['incremental_vs_cold_cache']:.1f}%")
    if "dask_vs_local_flow" in t:
        lines.append(f"  Dask 2 workers / single-process flow throughput: {t['dask_vs_local_flow']:.2f}x (target >= 1.6x at 36,000 documents)")
    if "batch_work_scaling" in t:
        workers = report["results"]["scaling"]["workers"]
        lines.append(f"  the per-batch work alone, {workers} plain processes / 1 (no Prefect, no Dask): {t['batch_work_scaling']:.2f}x"
                     f" (the most {workers} workers gain on this machine for that part of a run)")
    lines.append("  peak RSS at 36,000 / 3,600 documents (target <= 1.3x): compare 'core: end to end' peak RSS of --docs 3600 and --docs 36000")
    lines.append("  (a first release's; 'core: write over the previous release' is the peak of a day's run, which diffs against the day before's)")
    return "\n".join(lines)


MEASUREMENTS = ("bare", "core", "incremental", "flow-local", "flow-dask", "scaling")


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
        kinds = ["bare", "core", "incremental", "flow-local"] + (["flow-dask", "scaling"] if runner == "dask" else [])
        if only:
            kinds = [k for k in MEASUREMENTS if k in only]
        for kind in kinds:
            print(f"measuring {kind}...", file=sys.stderr, flush=True)
            args = (raw, raw_more) if kind == "incremental" else (raw,)
            results[kind] = _run_child(kind, *args, work=work, env=env)
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
    parser.add_argument("--runner", choices=("local", "dask"), default="local", help="dask: also run the flow on 2 Dask workers")
    parser.add_argument("--json", type=Path, default=None, help="write the full results as JSON here")
    parser.add_argument("--only", default=None, help=f"comma-separated subset of {','.join(MEASUREMENTS)} (default: all but flow-dask and scaling, which --runner dask adds)")


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


if __name__ == "__main__":
    sys.exit(main())
