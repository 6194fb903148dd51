"""The release flow: raw articles in, a validated, versioned release out.

The flow only wires the stages of :mod:`steppe.pipeline` together, batches the
per-document work and reports progress; every stage is a plain function tested
without Prefect. Prefect's result store is not the dataset of record, so tasks
neither cache nor persist their results.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from steppe import ingest, pipeline, release
from steppe.lock import holding_run_lock
from steppe.validate import ValidationReport, validate_tables

DEFAULT_BATCH_SIZE = 500

_quiet = {"cache_policy": NO_CACHE, "persist_result": False}


@task(name="describe-inputs", **_quiet)
def describe_inputs(raw_dir: Path) -> list[release.InputFile]:
    return release.describe_inputs(raw_dir, ingest.list_input_files(raw_dir))


@task(name="plan-release", **_quiet)
def plan_release(out_dir: Path, inputs: list[release.InputFile], text_policy: str, version: str | None, force: bool, settings: dict | None = None) -> release.ReleasePlan:
    return release.plan_release(out_dir, inputs, text_policy, version=version, force=force, settings=settings)


@task(name="ingest", **_quiet)
def ingest_raw(raw_dir: Path, limits: ingest.Limits = ingest.DEFAULT_LIMITS) -> tuple[list[pipeline.IdentifiedDocument], list[ingest.Rejection]]:
    docs, rejections = ingest.read_raw(raw_dir, limits)
    return pipeline.identify_documents(docs), rejections


@task(name="analyse-documents", **_quiet)
def process_batch(batch: list[pipeline.IdentifiedDocument]) -> list[pipeline.ProcessedDocument]:
    return pipeline.process_batch(batch)


@task(name="build-tables", **_quiet)
def build_tables(docs, processed, rejections, text_policy: str):
    return pipeline.build_tables(docs, processed, rejections, text_policy)


@task(name="validate", **_quiet)
def validate(release_tables) -> ValidationReport:
    return validate_tables(release_tables)


@task(name="publish", **_quiet)
def publish(release_tables, report, out_dir: Path, plan, inputs, text_policy: str) -> release.PublishedRelease:
    return release.publish(release_tables, report, out_dir=out_dir, plan=plan, inputs=inputs, text_policy=text_policy)


@flow(name="steppe-release", log_prints=False)
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

    docs, rejections = ingest_raw(raw, limits)
    log.info("Ingested %d documents; %d inputs rejected.", len(docs), len(rejections))
    # quote(): Prefect would otherwise walk every document and mention of a
    # task's inputs looking for futures, which costs more than the work itself.
    batches = list(pipeline.batched(docs, batch_size))
    futures = [process_batch.submit(quote(batch)) for batch in batches]
    processed = []
    for i, future in enumerate(futures, start=1):
        processed.extend(future.result())
        log.info("Processed batch %d of %d.", i, len(batches))

    release_tables = build_tables(quote(docs), quote(processed), quote(rejections), text_policy)
    report = validate(release_tables)
    log.info("Validation %s: %d of %d expectations met.", "passed" if report.success else "FAILED", report.successful, report.evaluated)
    published = publish(release_tables, report, out, plan, inputs, text_policy)
    log.info("Published release %s at %s.", published.version, published.path)
    return {
        "status": "published",
        "version": published.version,
        "path": str(published.path),
        "row_counts": published.row_counts,
        "validation": {"success": report.success, "evaluated": report.evaluated, "successful": report.successful},
    }
