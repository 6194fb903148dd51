"""Building a release: raw articles in, a validated, versioned release out.

This is the library's entry point; ``steppe run`` calls :func:`build_release`
and the Prefect flow (``flows/release.py``) wraps the same stages as tasks:

1. :func:`analyse`: the raw files read a batch at a time and analysed on an
   executor (in this process, or on Dask workers), through the document cache;
   the same pass takes the inventory of the input files (sizes and SHA-256 of
   the bytes read), so no file is hashed in one pass and read in another;
2. :func:`plan_run`: the release plan from that inventory (nothing new in, nothing new out);
3. :func:`publish_run`: the tables joined, the validation gate, the release written;
4. :func:`prune_cache`: the cache kept to one entry per article of this run.

Each stage is a plain function of :class:`RunOptions` and the stages before it.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from steppe.analyse import cache as doc_cache
from steppe.analyse import document as pipeline
from steppe.executors import DASK_WORKERS, RUNNERS, Executor, bounded_map, make_executor
from steppe.ingest import read as ingest
from steppe.ingest.inventory import InputFile, Inventory
from steppe.publish import release
from steppe.publish.lock import run_lock
from steppe.publish.plan import ReleasePlan, plan_release
from steppe.tables import assemble
from steppe.tables.policy import DEFAULT_TEXT_POLICY, TextPolicy

DEFAULT_BATCH_SIZE = 500

# Batches sent to the executor and not yet collected: enough to keep 8 workers busy while the
# next batch is read; each holds its documents' texts (about 6 MB for 500 articles).
IN_FLIGHT_BATCHES = 8

_log = logging.getLogger(__name__)
Log = logging.Logger | logging.LoggerAdapter


@dataclasses.dataclass(frozen=True)
class RunOptions:
    """What a run is asked to do; checked when made, so a bad option fails before any work."""

    raw_dir: Path = Path("data/raw")
    out_dir: Path = Path("data/processed")
    text_policy: TextPolicy = DEFAULT_TEXT_POLICY
    version: str | None = None
    force: bool = False
    batch_size: int = DEFAULT_BATCH_SIZE
    limits: ingest.Limits = ingest.DEFAULT_LIMITS
    use_cache: bool = True
    prune_cache: bool = True
    lock_wait: float = 0.0
    runner: str = "local"
    dask_address: str | None = None
    dask_workers: int = DASK_WORKERS

    def __post_init__(self) -> None:
        object.__setattr__(self, "raw_dir", Path(self.raw_dir))
        object.__setattr__(self, "out_dir", Path(self.out_dir))
        object.__setattr__(self, "text_policy", TextPolicy(self.text_policy))  # the one place a policy is parsed
        if self.runner not in RUNNERS:
            raise ValueError(f"unknown runner {self.runner!r}; expected one of {', '.join(RUNNERS)}")
        if self.dask_address and self.runner != "dask":
            raise ValueError("--dask-address needs --runner dask")
        if self.batch_size < 1:
            raise ValueError("batch size must be at least 1")

    @property
    def cache(self) -> doc_cache.DocumentCache | None:
        """Per-document results under out/cache/, by content and analysis version (None: --no-cache)."""
        if not self.use_cache:
            return None
        return doc_cache.DocumentCache(self.out_dir / doc_cache.CACHE_DIR, doc_cache.analysis_version())

    def executor(self) -> Executor:
        return make_executor(self.runner, self.dask_address, self.dask_workers)


class NothingToPublish(Exception):
    """No input gave a valid document (every record rejected, or no input at all): a run
    publishes nothing rather than an empty release. Its message summarises the rejections:
    the counts by reason and a few examples with their file and line."""

    EXAMPLES = 5

    def __init__(self, raw_dir: Path, rejections: list[ingest.Rejection]) -> None:
        super().__init__(raw_dir, rejections)
        self.raw_dir = Path(raw_dir)
        self.rejections = list(rejections)

    def counts(self) -> dict[str, int]:
        """Rejections by reason, the most frequent first."""
        counts: dict[str, int] = {}
        for r in self.rejections:
            counts[r.reason] = counts.get(r.reason, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def examples(self) -> list[ingest.Rejection]:
        """A few rejections in the order read: the first of each reason, then the next ones."""
        firsts: dict[str, int] = {}
        for i, r in enumerate(self.rejections):
            firsts.setdefault(r.reason, i)
        chosen = set(list(firsts.values())[: self.EXAMPLES])
        for i in range(len(self.rejections)):
            if len(chosen) >= self.EXAMPLES:
                break
            chosen.add(i)
        return [self.rejections[i] for i in sorted(chosen)]

    def __str__(self) -> str:
        if not self.rejections:
            return f"nothing to publish: {self.raw_dir} holds no input file (no release made)"
        n = len(self.rejections)
        lines = [f"nothing to publish: no valid document in {self.raw_dir}, "
                 f"{n} input{'s' if n != 1 else ''} rejected (no release made). Rejections by reason:"]
        width = max(len(reason) for reason in self.counts())
        lines += [f"  {reason:<{width}}  {count:>7,}" for reason, count in self.counts().items()]
        lines.append("For example:")
        for r in self.examples():
            where = r.source_file if r.source_line == 0 else f"{r.source_file}, line {r.source_line}"
            detail = r.detail if len(r.detail) <= 160 else r.detail[:157] + "..."
            lines.append(f"  {where}: {r.reason}: {detail}")
        return "\n".join(lines)


@dataclasses.dataclass(frozen=True)
class RunPlan:
    inputs: list[InputFile]
    release: ReleasePlan


class Analysis:
    """The analysed corpus: the documents without their texts (what the documents table
    needs), each batch's table rows, the inputs rejected, the cache's counts and the
    inventory of the input files.

    Not a dataclass nor a collection, so that Prefect, handed one as a task's
    input, does not walk every document and row looking for futures.
    """

    __slots__ = ("docs", "inputs", "parts", "rejections", "stats")

    def __init__(self, docs: list, parts: list, rejections: list, stats: doc_cache.CacheStats, inputs: list[InputFile]) -> None:
        self.docs = docs
        self.parts = parts
        self.rejections = rejections
        self.stats = stats
        self.inputs = inputs


def plan_run(options: RunOptions, analysis: Analysis) -> RunPlan:
    """Whether (and under which version) to release the input files the analysis read."""
    inputs = analysis.inputs
    plan = plan_release(
        options.out_dir, inputs, options.text_policy.value, version=options.version, force=options.force,
        settings=options.limits.non_default() or None,
    )
    return RunPlan(inputs, plan)


def analyse_batch(
    batch: list[pipeline.IdentifiedDocument], cache: doc_cache.DocumentCache | None, text_policy: TextPolicy,
    max_sentence_chars: int = ingest.DEFAULT_LIMITS.max_sentence_chars,
) -> tuple[assemble.BatchTables, doc_cache.CacheStats]:
    """One batch's work, where the executor runs it: its analysis (from the cache where it can)
    and its table rows, sent back as compact Arrow tables rather than every mention and event.
    ``max_sentence_chars`` is the length longer sentences are cut at (--max-sentence-chars)."""
    processed, stats = doc_cache.process_batch(batch, cache, max_sentence_chars)
    return assemble.batch_tables(batch, processed, text_policy), stats


def analyse(options: RunOptions, executor: Executor | None = None, log: Log = _log) -> Analysis:
    """Analyse every document of ``raw_dir`` (or read it from the cache) into its table rows.

    The raw files are read as the batches are sent off, at most
    IN_FLIGHT_BATCHES ahead of the analysis: the run holds the texts of those
    batches, not of the corpus. Where a batch runs, it sends back compact
    Arrow tables, not every mention and event. ``executor`` defaults to the
    one ``options.runner`` names, started and stopped here.
    """
    if not options.raw_dir.is_dir():
        raise FileNotFoundError(f"raw data folder {options.raw_dir} does not exist")
    if executor is None:
        with options.executor() as started:
            return analyse(options, started, log)
    inventory = Inventory()  # complete once the reader's stream is exhausted
    reader = pipeline.DocumentBatches(ingest.iter_raw(options.raw_dir, options.limits, inventory), options.batch_size)
    docs: list[pipeline.IdentifiedDocument] = []
    parts: list[assemble.BatchTables] = []
    stats = doc_cache.CacheStats()

    def sent():
        for batch in reader:
            docs.extend(d.without_text() for d in batch)
            yield batch

    work = functools.partial(analyse_batch, cache=options.cache, text_policy=options.text_policy,
                             max_sentence_chars=options.limits.max_sentence_chars)
    for batch_tables, batch_stats in bounded_map(work, sent(), IN_FLIGHT_BATCHES, executor):
        parts.append(batch_tables)
        stats.add(batch_stats)
        log.info("Processed batch %d (%d documents read so far).", len(parts), reader.documents)
    log.info("Ingested %d documents in %d batches; %d inputs rejected.", len(docs), len(parts), len(reader.rejections))
    if options.use_cache:
        log.info("%s", stats.line())
    else:
        log.info("Cache: off (--no-cache); %d documents analysed.", stats.misses)
    return Analysis(docs, parts, reader.rejections, stats, inventory.files())


def publish_run(options: RunOptions, planned: RunPlan, analysis: Analysis) -> release.PublishedRelease | None:
    """The release's tables, the validation gate (run while the tables' files are written) and
    the release published if it passed; raises ValidationFailed if not."""
    from steppe.gate.validate import validate_tables

    tables = assemble.assemble_tables(analysis.docs, analysis.parts, analysis.rejections)
    return release.publish(
        tables, lambda: validate_tables(tables), out_dir=options.out_dir, plan=planned.release,
        inputs=planned.inputs, text_policy=options.text_policy.value,
    )


def prune_cache(options: RunOptions, analysis: Analysis) -> doc_cache.PruneStats | None:
    """Older analysis versions and the entries of articles no longer in the input: the cache
    stays one entry per article. None when the run has no cache or keeps it as it is."""
    cache = options.cache
    if cache is None or not options.prune_cache:
        return None
    return doc_cache.prune(cache.root, cache.version, analysis.stats.keys)


@dataclasses.dataclass(frozen=True)
class Stages:
    """The stage functions :func:`build_release` calls; the Prefect flow passes its tasks instead."""

    analyse: Callable[[RunOptions], Analysis] = analyse
    plan: Callable[[RunOptions, Analysis], RunPlan] = plan_run
    publish: Callable[[RunOptions, RunPlan, Analysis], release.PublishedRelease | None] = publish_run
    prune: Callable[[RunOptions, Analysis], doc_cache.PruneStats | None] = prune_cache


def build_release(options: RunOptions, stages: Stages = Stages(), log: Log = _log) -> dict[str, Any]:
    """Build a release from ``raw_dir`` into ``out_dir/releases/``, holding the run lock of
    ``out_dir`` (waiting up to ``lock_wait`` seconds); returns a summary of the run.

    Raises NothingToPublish, before any table is built, when no input gave a valid document."""
    with run_lock(options.out_dir, wait=options.lock_wait):
        analysis = stages.analyse(options)
        if not analysis.docs:
            raise NothingToPublish(options.raw_dir, analysis.rejections)
        planned = stages.plan(options, analysis)
        plan = planned.release
        if plan.version is None:
            log.info("No new release: %s.", plan.reason)
            return {"status": "unchanged", "version": plan.previous, "reason": plan.reason}
        log.info("Building release %s from %d input files (%s).", plan.version, len(planned.inputs), plan.reason)
        published = stages.publish(options, planned, analysis)
        pruned = stages.prune(options, analysis)
        if pruned is not None:
            log.info("%s", pruned.line())
    stats = analysis.stats
    cache = {
        "enabled": options.use_cache, "hits": stats.hits, "misses": stats.misses, "corrupt": stats.corrupt,
        "pruned": dataclasses.asdict(pruned) if pruned else None,
    }
    if published is None:
        # Releases are immutable: tables byte for byte the latest release's make no new one.
        reason = f"tables identical to {plan.previous}"
        log.info("No new release: %s.", reason)
        return {"status": "unchanged", "version": plan.previous, "reason": reason, "cache": cache}
    report = published.validation
    log.info("Validation passed: %d of %d expectations met.", report.successful, report.evaluated)
    log.info("Published release %s at %s.", published.version, published.path)
    return {
        "status": "published",
        "cache": cache,
        "version": published.version,
        "path": str(published.path),
        "row_counts": published.row_counts,
        "validation": {"success": report.success, "evaluated": report.evaluated, "successful": report.successful},
    }
