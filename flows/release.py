"""The release flow: :func:`steppe.run.build_release` with its stages as Prefect tasks.

Prefect adds scheduling, retries and a record of runs for deployments
(prefect.yaml); the work, its batching and its executor are steppe's. Prefect's
result store is not the dataset of record, so tasks neither cache nor persist
their results.

Run without ``PREFECT_API_URL``, Prefect starts a temporary local server for
the run and waits ``PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS`` for it
(Prefect's default, 20 s, is too short on a busy machine). Importing this module
raises that wait to :data:`DEFAULT_STARTUP_TIMEOUT` unless the user set the
setting (environment, Prefect profile or prefect.toml). With ``PREFECT_API_URL``
set, the run uses that server and starts none.
"""

from __future__ import annotations

import os
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import refresh_global_settings_context
from prefect.settings import get_current_settings

from steppe import run
from steppe.analyse.cache import PruneStats
from steppe.ingest.read import DEFAULT_LIMITS, Limits
from steppe.publish.release import PublishedRelease
from steppe.tables.policy import DEFAULT_TEXT_POLICY

STARTUP_TIMEOUT_SETTING = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
DEFAULT_STARTUP_TIMEOUT = 180


def ensure_startup_timeout(default: int = DEFAULT_STARTUP_TIMEOUT) -> int:
    """Seconds Prefect waits for its temporary local server: the user's setting, else ``default``."""
    ephemeral = get_current_settings().server.ephemeral
    if "startup_timeout_seconds" in ephemeral.model_fields_set:
        return ephemeral.startup_timeout_seconds
    os.environ[STARTUP_TIMEOUT_SETTING] = str(default)
    refresh_global_settings_context()
    return default


ensure_startup_timeout()

_quiet = {"cache_policy": NO_CACHE, "persist_result": False}


@task(name="plan-release", **_quiet)
def plan_release(options: run.RunOptions, analysis: run.Analysis) -> run.RunPlan:
    return run.plan_run(options, analysis)


@task(name="analyse-documents", **_quiet)
def analyse_documents(options: run.RunOptions) -> run.Analysis:
    return run.analyse(options, log=get_run_logger())


@task(name="validate-and-publish", **_quiet)
def validate_and_publish(options: run.RunOptions, planned: run.RunPlan, analysis: run.Analysis) -> PublishedRelease | None:
    return run.publish_run(options, planned, analysis)


@task(name="prune-cache", **_quiet)
def prune_entries(options: run.RunOptions, analysis: run.Analysis) -> PruneStats | None:
    return run.prune_cache(options, analysis)


STAGES = run.Stages(plan=plan_release, analyse=analyse_documents, publish=validate_and_publish, prune=prune_entries)


@flow(name="steppe-release", log_prints=False)
def release_flow(
    raw_dir: str = "data/raw",
    out_dir: str = "data/processed",
    text_policy: str = DEFAULT_TEXT_POLICY.value,
    version: str | None = None,
    force: bool = False,
    batch_size: int = run.DEFAULT_BATCH_SIZE,
    lock_wait: float = 0.0,
    max_file_bytes: int = DEFAULT_LIMITS.max_file_bytes,
    max_document_chars: int = DEFAULT_LIMITS.max_document_chars,
    max_sentence_chars: int = DEFAULT_LIMITS.max_sentence_chars,
    use_cache: bool = True,
    prune_cache: bool = True,
    runner: str = "local",
    dask_address: str | None = None,
) -> dict[str, Any]:
    """Build a release from ``raw_dir`` into ``out_dir/releases/`` (nothing new in, nothing new out)."""
    options = run.RunOptions(
        raw_dir=raw_dir, out_dir=out_dir, text_policy=text_policy, version=version, force=force,
        batch_size=batch_size, limits=Limits(max_file_bytes, max_document_chars, max_sentence_chars),
        use_cache=use_cache, prune_cache=prune_cache, lock_wait=lock_wait, runner=runner, dask_address=dask_address,
    )
    return run.build_release(options, STAGES, log=get_run_logger())
