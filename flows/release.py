"""The release flow: raw articles in, a validated, versioned release out.

The flow only wires the stages of :mod:`steppe.analyse.document` together, batches the
per-document work and reports progress; every stage is a plain function tested
without Prefect. Prefect's result store is not the dataset of record, so tasks
neither cache nor persist their results.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from steppe.analyse import cache as doc_cache
from steppe.analyse import document as pipeline
from steppe.gate.validate import validate_tables
from steppe.ingest import read as ingest
from steppe.publish import plan as release_plan
from steppe.publish import release
from steppe.publish.lock import holding_run_lock

DEFAULT_BATCH_SIZE = 500

_quiet = {"cache_policy": NO_CACHE, "persist_result": False}

RUNNERS = ("local", "dask")


class Batch:
    """A batch of documents as one opaque task input.

    Prefect walks a task's inputs looking for futures, which for a list of
    documents costs more than the work itself; quote() stops that for
    Prefect's own runners, but prefect-dask's runner walks inside quote() too,
    and Dask then hands the task the bare tuple quote() is made of. An object
    that is not a collection is passed on untouched by both.
    """

    __slots__ = ("docs",)

    def __init__(self, docs):
        self.docs = docs

    def __reduce__(self):
        return (Batch, (self.docs,))

DASK_WORKERS = 2

# The local runner analyses one batch at a time. The analysis is pure Python, so
# more threads would not run it faster under the GIL; Prefect's default thread
# pool (unbounded) would start every batch at once and hold all of their
# analysis in memory together.
LOCAL_THREADS = 1

# Batches sent to the task runner and not yet collected: enough to keep 8 workers busy
# while the next batch is read; each holds its documents' texts (about 6 MB for 500 articles).
IN_FLIGHT_BATCHES = 8


def task_runner(runner: str = "local", dask_address: str | None = None, n_workers: int = DASK_WORKERS):
    """The flow's task runner: LOCAL_THREADS threads in this process (None: the flow's own), or Dask.

    Dask without an address starts a local cluster of ``n_workers`` processes with
    one thread each, bound to 127.0.0.1 and without its dashboard, so nothing
    listens beyond this machine. Each worker process loads the registry and the
    pattern indexes once (module-level caches) and keeps them for every batch.
    """
    if runner == "local":
        if dask_address:
            raise ValueError("--dask-address needs --runner dask")
        return None
    if runner != "dask":
        raise ValueError(f"unknown runner {runner!r}; expected one of {', '.join(RUNNERS)}")
    from prefect_dask import DaskTaskRunner

    if dask_address:
        return DaskTaskRunner(address=dask_address)
    return DaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={
            "n_workers": n_workers,
            "threads_per_worker": 1,
            "processes": True,
            "host": "127.0.0.1",
            "dashboard_address": None,
        },
    )


@contextlib.contextmanager
def api_for_workers(runner: str) -> Iterator[None]:
    """Let Dask worker processes report to the same Prefect API as the flow.

    Workers inherit environment variables, not Prefect's settings context: with a
    configured server (PREFECT_API_URL, or a test harness) its URL is exported
    to them; without one, the temporary local server Prefect would start for the
    flow is started here instead (127.0.0.1 only) and shared, rather than each
    worker starting its own.
    """
    if runner != "dask":
        yield
        return
    from prefect.settings import (
        PREFECT_API_URL,
        get_current_settings,
        temporary_settings,
    )

    saved = os.environ.get("PREFECT_API_URL")
    url = get_current_settings().api.url
    if not url:
        from prefect.server.api.server import SubprocessASGIServer

        # The same instance Prefect's ephemeral mode uses; it stops at exit,
        # after Prefect has sent its last logs.
        server = SubprocessASGIServer()
        server.start()
        url = server.api_url
    os.environ["PREFECT_API_URL"] = url
    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield
    finally:
        if saved is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = saved


def flow_with_runner(runner: str = "local", dask_address: str | None = None, n_workers: int = DASK_WORKERS):
    """release_flow, on the task runner asked for."""
    chosen = task_runner(runner, dask_address, n_workers)
    return release_flow if chosen is None else release_flow.with_options(task_runner=chosen)


@task(name="describe-inputs", **_quiet)
def describe_inputs(raw_dir: Path) -> list[release_plan.InputFile]:
    return release_plan.describe_inputs(raw_dir, ingest.list_input_files(raw_dir))


@task(name="plan-release", **_quiet)
def plan_release(out_dir: Path, inputs: list[release_plan.InputFile], text_policy: str, version: str | None, force: bool, settings: dict | None = None) -> release_plan.ReleasePlan:
    return release_plan.plan_release(out_dir, inputs, text_policy, version=version, force=force, settings=settings)


@task(name="analyse-documents", **_quiet)
def process_batch(
    batch: Batch, cache_root: str | None = None, cache_version: str | None = None, text_policy: str = pipeline.DEFAULT_TEXT_POLICY
) -> tuple[pipeline.BatchTables, doc_cache.CacheStats]:
    """Analyse a batch (or read it from the cache) and build its rows of the per-document tables,
    where it runs: a worker sends back compact Arrow tables, not every mention and event."""
    cache = doc_cache.DocumentCache(cache_root, cache_version) if cache_root and cache_version else None
    return doc_cache.analyse_batch(batch.docs, cache, text_policy)


@task(name="build-tables", **_quiet)
def build_tables(docs, parts, rejections):
    return pipeline.assemble_tables(docs, parts, rejections)


@task(name="validate-and-publish", **_quiet)
def validate_and_publish(release_tables, out_dir: Path, plan, inputs, text_policy: str) -> release.PublishedRelease | None:
    """The validation gate, with the tables' files written meanwhile; published only if the gate passed
    (None: the tables are byte for byte the latest release's, which stays latest)."""
    return release.publish(
        release_tables, lambda: validate_tables(release_tables), out_dir=out_dir, plan=plan, inputs=inputs, text_policy=text_policy
    )


@flow(name="steppe-release", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=LOCAL_THREADS))
@holding_run_lock  # one run at a time per out_dir; waits up to lock_wait seconds
def release_flow(
    raw_dir: str = "data/raw",
    out_dir: str = "data/processed",
    text_policy: str = pipeline.DEFAULT_TEXT_POLICY,
    version: str | None = None,
    force: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    lock_wait: float = 0.0,
    max_file_bytes: int = ingest.DEFAULT_LIMITS.max_file_bytes,
    max_document_chars: int = ingest.DEFAULT_LIMITS.max_document_chars,
    max_sentence_chars: int = ingest.DEFAULT_LIMITS.max_sentence_chars,
    use_cache: bool = True,
    prune_cache: bool = True,
) -> dict[str, Any]:
    """Build a release from ``raw_dir`` into ``out_dir/releases/`` (nothing new in, nothing new out)."""
    log = get_run_logger()
    raw, out = Path(raw_dir), Path(out_dir)
    if not raw.is_dir():
        raise FileNotFoundError(f"raw data folder {raw} does not exist")
    if text_policy not in pipeline.TEXT_POLICIES:
        raise ValueError(f"unknown text policy {text_policy!r}; expected one of {', '.join(pipeline.TEXT_POLICIES)}")
    limits = ingest.Limits(max_file_bytes, max_document_chars, max_sentence_chars)

    inputs = describe_inputs(raw)
    plan = plan_release(out, inputs, text_policy, version, force, limits.non_default() or None)
    if plan.version is None:
        log.info("No new release: %s.", plan.reason)
        return {"status": "unchanged", "version": plan.previous, "reason": plan.reason}
    log.info("Building release %s from %d input files (%s).", plan.version, len(inputs), plan.reason)

    # Per-document results are cached under out/cache/ by content and analysis version.
    cache_root = str(out / doc_cache.CACHE_DIR) if use_cache else None
    cache_version = doc_cache.analysis_version() if use_cache else None
    # The raw files are read as the batches are sent off, at most IN_FLIGHT_BATCHES ahead of the
    # analysis: the run holds the texts of those batches, not of the corpus. Batch() and
    # quote(): Prefect would otherwise walk every document and mention of a task's inputs
    # looking for futures, which costs more than the work itself.
    reader = pipeline.DocumentBatches(ingest.iter_raw(raw, limits), batch_size)
    docs: list[pipeline.IdentifiedDocument] = []  # without their texts: what the documents table needs
    parts: list[pipeline.BatchTables] = []
    stats = doc_cache.CacheStats()
    in_flight: collections.deque = collections.deque()

    def collect() -> None:
        batch_tables, batch_stats = in_flight.popleft().result()
        parts.append(batch_tables)
        stats.add(batch_stats)
        log.info("Processed batch %d (%d documents read so far).", len(parts), reader.documents)

    for batch in reader:
        in_flight.append(process_batch.submit(Batch(batch), cache_root, cache_version, text_policy))
        docs.extend(d.without_text() for d in batch)
        del batch
        while len(in_flight) >= IN_FLIGHT_BATCHES:
            collect()
    while in_flight:
        collect()
    rejections = reader.rejections
    log.info("Ingested %d documents in %d batches; %d inputs rejected.", len(docs), len(parts), len(rejections))
    if use_cache:
        log.info("%s", stats.line())
    else:
        log.info("Cache: off (--no-cache); %d documents analysed.", stats.misses)

    release_tables = build_tables(quote(docs), quote(parts), quote(rejections))
    published = validate_and_publish(release_tables, out, plan, inputs, text_policy)  # raises ValidationFailed if the gate failed
    pruned = None
    if use_cache and prune_cache:
        # Older analysis versions and the entries of articles no longer in the input: the cache stays one entry per article.
        pruned = doc_cache.prune(cache_root, cache_version, stats.keys)
        log.info("%s", pruned.line())
    if published is None:
        reason = f"tables identical to {plan.previous}"
        log.info("No new release: %s.", reason)
        return {"status": "unchanged", "version": plan.previous, "reason": reason}
    report = published.validation
    log.info("Validation passed: %d of %d expectations met.", report.successful, report.evaluated)
    log.info("Published release %s at %s.", published.version, published.path)
    return {
        "status": "published",
        "cache": {
            "enabled": use_cache, "hits": stats.hits, "misses": stats.misses, "corrupt": stats.corrupt,
            "pruned": dataclasses.asdict(pruned) if pruned else None,
        },
        "version": published.version,
        "path": str(published.path),
        "row_counts": published.row_counts,
        "validation": {"success": report.success, "evaluated": report.evaluated, "successful": report.successful},
    }
