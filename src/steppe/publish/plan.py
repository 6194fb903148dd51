"""Whether a run has anything new to release, and under which version.

A run is identified by its fingerprint: the inputs (path, size, SHA-256),
the text policy, the code digest (steppe.provenance) and any non-default
settings. A run whose fingerprint is the latest release's, or one that
``latest.json`` records as having produced that release's tables again, is
skipped before any work is done. Versions are dates, ``YYYY.MM.DD``, with
``.N`` appended for a second (third...) release the same day.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from steppe.ingest.inventory import InputFile
from steppe.provenance import PACKAGE_DIR, code_version

RELEASES = "releases"
FAILED = "failed"
LATEST = "latest.json"
STAGING_PREFIX = ".staging-"
VERSION_RE = re.compile(r"^\d{4}\.\d{2}\.\d{2}(\.\d+)?$")
REPO_DIR = PACKAGE_DIR.parents[1]


class ReleaseError(RuntimeError):
    """The release could not be published; the previous release is untouched."""


@dataclass(frozen=True)
class ReleasePlan:
    version: str | None  # None: nothing new to release
    fingerprint: str
    previous: str | None
    reason: str


# --- Identity of a run: inputs, code, fingerprint --------------------------------


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO_DIR), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def run_fingerprint(inputs: list[InputFile], text_policy: str, code: str, settings: dict[str, Any] | None = None) -> str:
    body: dict[str, Any] = {"inputs": [i.__dict__ for i in inputs], "text_policy": text_policy, "code": code}
    if settings:  # only non-default settings, so a default run keeps its fingerprint
        body["settings"] = settings
    payload = json.dumps(body, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


# --- Versions and latest ------------------------------------------------------


def releases_dir(out_dir: Path) -> Path:
    return out_dir / RELEASES


def read_latest_record(out_dir: Path) -> dict[str, Any] | None:
    """latest.json as written (version, path, manifest, run_fingerprints), or None if there is no release yet."""
    path = releases_dir(out_dir) / LATEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ReleaseError(f"{path}: unreadable ({exc}); fix or delete it to publish again") from exc
    if not isinstance(data, dict):
        raise ReleaseError(f"{path}: expected a JSON object")
    return data


def read_latest(out_dir: Path) -> str | None:
    """The version latest.json names, or None if there is no valid release yet."""
    path = releases_dir(out_dir) / LATEST
    data = read_latest_record(out_dir)
    if data is None:
        return None
    version = data.get("version")
    if not isinstance(version, str) or not VERSION_RE.match(version):
        raise ReleaseError(f"{path}: 'version' is {version!r}, expected YYYY.MM.DD[.N]")
    if not (releases_dir(out_dir) / version / "manifest.json").is_file():
        raise ReleaseError(f"{path} names release {version}, which has no manifest.json")
    return version


def list_versions(out_dir: Path) -> list[str]:
    root = releases_dir(out_dir)
    if not root.is_dir():
        return []
    found = [p.name for p in root.iterdir() if p.is_dir() and VERSION_RE.match(p.name) and (p / "manifest.json").is_file()]
    return sorted(found, key=_version_key)


def _version_key(version: str) -> tuple[int, ...]:
    parts = [int(x) for x in version.split(".")]
    return tuple(parts + [0] * (4 - len(parts)))


def next_version(out_dir: Path, today: date) -> str:
    """YYYY.MM.DD, with .N appended for a second (third...) release the same day."""
    base = today.strftime("%Y.%m.%d")
    taken = {p.name for p in releases_dir(out_dir).iterdir()} if releases_dir(out_dir).is_dir() else set()
    if base not in taken:
        return base
    n = 1
    while f"{base}.{n}" in taken:
        n += 1
    return f"{base}.{n}"


def known_fingerprints(out_dir: Path) -> list[str]:
    """Fingerprints of later runs whose tables were byte-identical to the latest release's (latest.json
    records them, as such a run publishes nothing): the same run again is skipped at once."""
    data = read_latest_record(out_dir) or {}
    found = data.get("run_fingerprints", [])
    return [f for f in found if isinstance(f, str)] if isinstance(found, list) else []


def read_manifest(out_dir: Path, version: str) -> dict[str, Any]:
    path = releases_dir(out_dir) / version / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8"))


def plan_release(
    out_dir: Path,
    inputs: list[InputFile],
    text_policy: str,
    *,
    version: str | None = None,
    force: bool = False,
    today: date | None = None,
    settings: dict[str, Any] | None = None,
) -> ReleasePlan:
    """Decide whether to release and under which version, before any work is done."""
    fingerprint = run_fingerprint(inputs, text_policy, code_version(), settings)
    previous = read_latest(out_dir)
    if previous and not force:
        if read_manifest(out_dir, previous).get("run_fingerprint") == fingerprint:
            return ReleasePlan(None, fingerprint, previous, f"inputs and code unchanged since release {previous}")
        if fingerprint in known_fingerprints(out_dir):
            return ReleasePlan(None, fingerprint, previous, f"a run of these inputs and code made tables identical to {previous}")
    if version is not None:
        if not VERSION_RE.match(version):
            raise ReleaseError(f"version {version!r} is not of the form YYYY.MM.DD or YYYY.MM.DD.N")
        if (releases_dir(out_dir) / version).exists():
            raise ReleaseError(f"release {version} already exists in {releases_dir(out_dir)}; releases are never overwritten")
    else:
        version = next_version(out_dir, today or datetime.now(timezone.utc).date())
    reason = "forced" if force and previous else ("first release" if not previous else "new inputs or code")
    return ReleasePlan(version, fingerprint, previous, reason)

