"""Publish a validated, versioned release: Parquet + CSV + metadata, moved into place atomically.

Layout under ``<out>/releases/``::

    <version>/parquet/<table>.parquet   zstd, declared Arrow schema, rows sorted by key
    <version>/csv/<table>.csv           UTF-8, RFC 4180, ISO 8601 dates, formula-safe cells
    <version>/datapackage.json          Frictionless Data Package
    <version>/manifest.json             version, code, inputs, row counts, validation summary
    <version>/CHANGES.md, changes.json  rows added, removed and changed against the previous release
    <version>/validation/               Great Expectations results (JSON) and their HTML report
    <version>/README.md                 the dataset card
    latest.json                         the newest valid release

A release is staged in a hidden folder beside the others and renamed into
place only after validation passed; ``latest.json`` is replaced atomically
after that. A failed release is moved to ``<out>/failed/<run>/`` instead, and
the previous release stays latest.

Published releases are immutable: no file inside a release folder is ever
written again. A run whose tables are byte for byte the latest release's (the
same SHA-256 for every Parquet and CSV file) publishes nothing; latest.json
records its fingerprint, so that the same run is skipped before any work the
next time (steppe.publish.plan).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from steppe.gate.validate import ValidationReport, render_html
from steppe.provenance import code_version
from steppe.publish.card import render_card
from steppe.publish.changes import render_changes_md
from steppe.publish.checks import check_release_files
from steppe.publish.diff import diff_releases
from steppe.publish.layout import Layout
from steppe.publish.plan import (  # noqa: F401 (ReleaseError: raised by publishing, imported from here)
    FAILED,
    LATEST,
    STAGING_PREFIX,
    InputFile,
    ReleaseError,
    ReleasePlan,
    git_commit,
    known_fingerprints,
    read_latest,
    read_manifest,
    releases_dir,
)
from steppe.publish.plots import render_plots
from steppe.publish.steps import step
from steppe.publish.write import TableFiles, datapackage, write_json, write_table_files
from steppe.schema import schema_version

# How many fingerprints of runs that published nothing latest.json keeps.
MAX_RUN_FINGERPRINTS = 50


class ValidationFailed(ReleaseError):
    def __init__(self, message: str, report_dir: Path):
        super().__init__(message)
        self.report_dir = report_dir


@dataclass(frozen=True)
class PublishedRelease:
    version: str
    path: Path
    row_counts: dict[str, int]
    validation: ValidationReport


def write_release_files(
    stage: Path,
    release_tables: dict[str, pa.Table],
    *,
    version: str,
    plan: ReleasePlan,
    inputs: list[InputFile],
    text_policy: str,
    report: ValidationReport,
    out_dir: Path,
    layout: Layout | None = None,
    table_files: TableFiles | None = None,
) -> dict[str, int]:
    """Write every file of a release into the staging folder; return the row counts.

    ``table_files``: the tables' files, if :func:`write_table_files` has
    already written them into ``stage``; else they are written here first.
    """
    if table_files is None:
        table_files = write_table_files(stage, release_tables, layout)
    files, row_counts = table_files.files, table_files.row_counts
    (stage / "validation").mkdir()
    write_json(stage / "datapackage.json", datapackage(version, files))

    write_json(stage / "validation" / "results.json", report.results)
    write_json(stage / "validation" / "summary.json", report.summary())
    (stage / "validation" / "report.html").write_text(render_html(report, f"steppe {version}: validation"), encoding="utf-8")

    previous_dir = releases_dir(out_dir) / plan.previous if plan.previous else None
    changes = diff_releases(previous_dir, stage, old_version=plan.previous, new_version=version, new_tables=release_tables)
    write_json(stage / "changes.json", changes)
    (stage / "CHANGES.md").write_text(render_changes_md(changes), encoding="utf-8")
    # A first release's lists every key of every table: given back before the plots are drawn.
    del changes

    manifest = {
        "version": version,
        "schema_version": schema_version(),
        "code_version": code_version(),
        "git_commit": git_commit(),
        "created_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "previous_version": plan.previous,
        "text_policy": text_policy,
        "run_fingerprint": plan.fingerprint,
        "inputs": [i.__dict__ for i in inputs],
        "row_counts": row_counts,
        "files": files,
        "validation": {
            "success": report.success,
            "evaluated_expectations": report.evaluated,
            "successful_expectations": report.successful,
            "failures": [f.message for f in report.failures],
        },
    }
    write_json(stage / "manifest.json", manifest)
    plots = render_plots(release_tables, stage / "plots")
    (stage / "README.md").write_text(render_card(manifest, plots, cut_sentences(release_tables)), encoding="utf-8")
    return row_counts


def cut_sentences(release_tables: dict[str, pa.Table]) -> int:
    """How many sentences end at the size limit (the sentences table's ``cut``)."""
    return int(pc.sum(release_tables["sentences"]["cut"]).as_py() or 0)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_latest(out_dir: Path, version: str, run_fingerprints: list[str] | None = None) -> None:
    """Name ``version`` the latest release, atomically; ``run_fingerprints``: later runs that made its tables again."""
    root = releases_dir(out_dir)
    tmp = root / f".{LATEST}.{os.getpid()}.tmp"
    latest: dict[str, Any] = {"version": version, "path": version, "manifest": f"{version}/manifest.json"}
    if run_fingerprints:
        latest["run_fingerprints"] = run_fingerprints
    write_json(tmp, latest)
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    step("latest-tmp-written")
    os.replace(tmp, root / LATEST)
    _fsync_dir(root)


def table_digests(files: dict[str, dict[str, Any]]) -> dict[str, tuple[str | None, str | None]]:
    """Each table's Parquet and CSV SHA-256, from the file records of a manifest (or of :class:`TableFiles`)."""
    return {name: (entry.get("parquet", {}).get("sha256"), entry.get("csv", {}).get("sha256")) for name, entry in files.items()}


def same_tables(out_dir: Path, version: str, table_files: TableFiles) -> bool:
    """Whether the files just written hold release ``version``'s tables, byte for byte."""
    published = read_manifest(out_dir, version).get("files", {})
    return table_digests(published) == table_digests(table_files.files)


def record_unchanged_run(out_dir: Path, version: str, fingerprint: str) -> None:
    """Remember in latest.json that a run of ``fingerprint`` made ``version``'s tables again (the release is left alone)."""
    known = [f for f in known_fingerprints(out_dir) if f != fingerprint] + [fingerprint]
    write_latest(out_dir, version, known[-MAX_RUN_FINGERPRINTS:])


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(out_dir: Path) -> list[Path]:
    """Delete staging folders and latest.json drafts left by runs that died; a live run's are left alone."""
    root = releases_dir(out_dir)
    removed = []
    if not root.is_dir():
        return removed
    for p in root.iterdir():
        if p.is_dir() and p.name.startswith(STAGING_PREFIX):
            pid = p.name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and _pid_alive(int(pid)):
                continue
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
        elif p.is_file() and p.name.startswith(f".{LATEST}.") and p.name.endswith(".tmp"):
            # A latest.json a run died before moving into place.
            pid = p.name[len(f".{LATEST}."):-len(".tmp")]
            if pid.isdigit() and int(pid) != os.getpid() and _pid_alive(int(pid)):
                continue
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


def publish(
    release_tables: dict[str, pa.Table],
    report: ValidationReport | Callable[[], ValidationReport],
    *,
    out_dir: Path,
    plan: ReleasePlan,
    inputs: list[InputFile],
    text_policy: str,
    layout: Layout | None = None,
) -> PublishedRelease | None:
    """Stage the release, then move it into place if validation passed; otherwise file it under failed/.

    None: the tables came out byte for byte those of the latest release
    (``plan.previous``), so nothing is published and no release is touched;
    latest.json records the run's fingerprint.

    ``report`` is the validation gate's report, or a function that makes it
    (``lambda: validate_tables(tables)``): then the gate runs in this thread
    while another writes the tables' Parquet and CSV files into the staging
    folder, as those do not depend on it. Nothing is published before the
    report is in: the release still moves into place only if it passed.
    """
    if plan.version is None:
        raise ReleaseError("nothing to publish: " + plan.reason)
    version = plan.version
    root = releases_dir(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out_dir)
    stage = root / f"{STAGING_PREFIX}{version}-{os.getpid()}"
    stage.mkdir()
    step("staging-created")
    try:
        table_files = None
        if callable(report):
            writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="steppe-tables")
            written = writer.submit(write_table_files, stage, release_tables, layout)
            try:
                report = report()
            finally:
                writer.shutdown(wait=True)  # the files are finished (or failed) before the stage can be removed
            table_files = written.result()
        else:
            table_files = write_table_files(stage, release_tables, layout)
        if report.success and plan.previous and same_tables(out_dir, plan.previous, table_files):
            record_unchanged_run(out_dir, plan.previous, plan.fingerprint)
            return None
        row_counts = write_release_files(
            stage,
            release_tables,
            version=version,
            plan=plan,
            inputs=inputs,
            text_policy=text_policy,
            report=report,
            out_dir=out_dir,
            layout=layout,
            table_files=table_files,
        )
        mismatches = check_release_files(stage)
        if not report.success or mismatches:
            run_id = f"{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%SZ')}-{version}"
            failed_dir = out_dir / FAILED / run_id
            failed_dir.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage, failed_dir)
            lines = [f.message for f in report.failures] + [f"written files disagree: {m}" for m in mismatches]
            (failed_dir / "FAILED.txt").write_text(
                f"Validation failed: {len(lines)} problems ({len(report.failures)} of {report.evaluated} expectations not met).\n"
                + "".join(f"- {line}\n" for line in lines),
                encoding="utf-8",
            )
            shown = "\n".join(f"  - {line}" for line in lines[:20])
            more = f"\n  ... and {len(lines) - 20} more" if len(lines) > 20 else ""
            raise ValidationFailed(
                f"validation failed ({len(report.failures)} of {report.evaluated} expectations not met, "
                f"{len(mismatches)} disagreements between the written files); "
                f"release {version} was not published and {read_latest(out_dir) or 'no release'} stays latest.\n"
                f"{shown}{more}\nReport: {failed_dir}",
                failed_dir,
            )
        step("staged")
        final = root / version
        os.rename(stage, final)  # atomic on one file system; fails rather than overwrite
        _fsync_dir(root)
        step("renamed")
        write_latest(out_dir, version)
        step("published")
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
    return PublishedRelease(version, final, row_counts, report)
