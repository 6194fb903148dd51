"""What decides a run's output, as digests: the package's code and data, and the libraries it runs on.

One code digest serves both the analysis cache (a cached analysis is reused
only under the same digest) and the release fingerprint (a run whose inputs
and digest match the latest release publishes nothing new). It is computed
from the files of the installed package, every one of them except the
development tools under ``steppe/dev/``, so that no hand-kept list of modules
can miss one. The versions of the declared dependencies join the digest: a
new release of the language detector or of pyarrow can change the output as
surely as our own code.
"""
from __future__ import annotations

import hashlib
import re
from functools import cache
from importlib import metadata
from pathlib import Path

import steppe

PACKAGE_DIR = Path(steppe.__file__).resolve().parent
# Folders of the package that do not decide what a run writes.
NOT_OUTPUT = ("dev",)
_REQUIREMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


def package_files(root: Path = PACKAGE_DIR) -> list[Path]:
    """Every file of the package that can change a run's output, in a fixed order."""
    files = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if not path.is_file() or "__pycache__" in rel.parts or path.suffix in {".pyc", ".pyo"}:
            continue
        if rel.parts[0] in NOT_OUTPUT:
            continue
        files.append(path)
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def dependency_versions() -> dict[str, str]:
    """The installed version of each dependency steppe declares (not its development tools)."""
    try:
        requires = metadata.requires("steppe") or []
    except metadata.PackageNotFoundError:
        requires = []
    versions = {}
    for requirement in requires:
        if "extra ==" in requirement:
            continue
        match = _REQUIREMENT_NAME.match(requirement)
        if not match:
            continue
        name = match.group(0).lower()
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return dict(sorted(versions.items()))


def code_digest(root: Path = PACKAGE_DIR) -> str:
    """SHA-256 over the package's files (paths and bytes) and its dependencies' versions."""
    h = hashlib.sha256(f"steppe {steppe.__version__}\0".encode())
    for path in package_files(root):
        h.update(f"{path.relative_to(root).as_posix()}\0".encode())
        h.update(path.read_bytes())
        h.update(b"\0")
    for name, version in dependency_versions().items():
        h.update(f"{name}=={version}\0".encode())
    return h.hexdigest()


@cache
def installed_code_digest() -> str:
    """The digest of the running package, computed once per process."""
    return code_digest()


def code_version() -> str:
    """The version recorded in a release's manifest: the package version and the first digits of its digest."""
    return f"{steppe.__version__}+{installed_code_digest()[:12]}"
