"""Checks that the releases under an output folder are whole and untouched.

Used after interrupted runs (tools/kill_release.py, tests/test_crash.py):
every release that :func:`steppe.publish.release.list_versions` would offer must be
complete (the read-back check of publishing: every file its manifest lists,
with that size and SHA-256, and counts that agree with the tables),
``latest.json`` must name one of them, and a release once seen must never
change by a single byte.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from steppe.publish.checks import check_release_files
from steppe.publish.release import (
    LATEST,
    ReleaseError,
    list_versions,
    read_latest,
    releases_dir,
)


def snapshot(out_dir: Path) -> dict[str, dict[str, str]]:
    """SHA-256 of every file of every listed release, by version and relative path."""
    root = releases_dir(out_dir)
    return {
        version: {
            p.relative_to(root / version).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / version).rglob("*"))
            if p.is_file()
        }
        for version in list_versions(out_dir)
    }


def release_problems(out_dir: Path, before: dict[str, dict[str, str]] | None = None) -> list[str]:
    """What is wrong with the releases under ``out_dir`` (empty: nothing).

    ``before`` is an earlier :func:`snapshot`: each release in it must still
    be listed, byte for byte the same.
    """
    problems: list[str] = []
    root = releases_dir(out_dir)
    versions = list_versions(out_dir)
    try:
        latest = read_latest(out_dir)
    except ReleaseError as error:
        problems.append(f"latest.json: {error}")
        latest = None
    if versions and latest is None and not problems:
        problems.append(f"{root / LATEST} is missing although releases {', '.join(versions)} exist")
    if latest is not None and latest not in versions:
        problems.append(f"latest.json names {latest}, which is not a listed release")
    if root.is_dir():
        for entry in sorted(root.iterdir()):
            if not entry.name.startswith(".") and entry.name != LATEST and entry.name not in versions:
                problems.append(f"{entry.name}: a visible entry of releases/ that is not a whole release")
    now = snapshot(out_dir)
    for version in versions:
        problems += [f"{version}: {p}" for p in _release_file_problems(root / version, now[version])]
    for version, files in (before or {}).items():
        if version not in now:
            problems.append(f"{version}: the release disappeared")
        elif now[version] != files:
            changed = sorted(set(files) ^ set(now[version]) | {p for p in files if now[version].get(p) != files[p]})
            problems.append(f"{version}: files changed since it was published: {', '.join(changed[:5])}")
    return problems


REQUIRED_FILES = ("datapackage.json", "README.md", "CHANGES.md", "changes.json", "validation/results.json")


def _release_file_problems(path: Path, files: dict[str, str]) -> list[str]:
    """The read-back check publishing runs (:func:`steppe.publish.checks.check_release_files`:
    every listed file with its size and SHA-256, card and manifest counts equal to the
    tables; an unreadable manifest.json is its first finding), plus the files every release has."""
    return [f"{required} is missing" for required in REQUIRED_FILES if required not in files] + check_release_files(path)
