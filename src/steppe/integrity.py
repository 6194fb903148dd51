"""Checks that the releases under an output folder are whole and untouched.

Used after interrupted runs (scripts/kill_release.py, tests/test_crash.py):
every release that :func:`steppe.release.list_versions` would offer must be
complete (every file its manifest lists, with that size and SHA-256),
``latest.json`` must name one of them, and a release once seen must never
change by a single byte.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from steppe.consistency import manifest_file_records
from steppe.release import LATEST, ReleaseError, list_versions, read_latest, releases_dir


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
        problems += [f"{version}: {p}" for p in _manifest_problems(root / version, now[version])]
    for version, files in (before or {}).items():
        if version not in now:
            problems.append(f"{version}: the release disappeared")
        elif now[version] != files:
            changed = sorted(set(files) ^ set(now[version]) | {p for p in files if now[version].get(p) != files[p]})
            problems.append(f"{version}: files changed since it was published: {', '.join(changed[:5])}")
    return problems


def _manifest_problems(path: Path, sha256s: dict[str, str]) -> list[str]:
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"manifest.json unreadable ({error})"]
    problems = []
    files = manifest.get("files", {}) if isinstance(manifest, dict) else {}
    if not files:
        problems.append("manifest.json lists no files")
    for table, kinds in files.items():
        for info in manifest_file_records(kinds):  # the parts of a partitioned table one by one
            rel = info.get("path")
            if rel not in sha256s:
                problems.append(f"{table}: {rel} is missing")
            elif sha256s[rel] != info.get("sha256"):
                problems.append(f"{table}: {rel} does not match its SHA-256 in manifest.json")
            elif (path / rel).stat().st_size != info.get("bytes"):
                problems.append(f"{table}: {rel} does not have the size manifest.json gives")
    for required in ("datapackage.json", "README.md", "CHANGES.md", "changes.json", "validation/results.json"):
        if required not in sha256s:
            problems.append(f"{required} is missing")
    return problems
