"""The built wheel carries everything a run needs: installed into a fresh virtualenv, it builds and
validates a release of the seed article from a folder that is not the checkout.

The wheel is built without build isolation (hatchling comes from the development environment) and
installed with uv from its cache (`--offline`): the test needs no network once `make test` has
set up the environment.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.integration


def find_uv() -> str:
    """uv as the Makefile finds it: $UV, then PATH, then the private copy in .tools/."""
    for candidate in (os.environ.get("UV"), "uv", str(REPO / ".tools" / "bin" / "uv")):
        if candidate and (found := shutil.which(candidate, path=os.environ.get("PATH", "") + os.pathsep + str(REPO))):
            return str(Path(found).resolve())
    pytest.fail("uv not found: set UV, put uv on PATH, or run `make env` (installs .tools/bin/uv)")


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def test_the_installed_wheel_builds_a_release_outside_the_checkout(tmp_path: Path) -> None:
    uv = find_uv()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "UV_PROJECT", "PYTHONPATH"))}
    env.update(DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false", GX_ANALYTICS_ENABLED="false",
               PREFECT_HOME=str(tmp_path / "prefect"), UV_COMPILE_BYTECODE="0")

    dist = tmp_path / "dist"
    run([uv, "build", "--wheel", "--no-build-isolation", "--python", sys.executable, "--out-dir", str(dist), str(REPO)], REPO, env)
    wheel = next(dist.glob("steppe-*.whl"))

    # pylock.toml names each locked file by its address, so uv installs it from its cache without an index.
    requirements = tmp_path / "pylock.toml"
    exported = run([uv, "export", "--frozen", "--no-dev", "--no-emit-project", "--format", "pylock.toml"], REPO, env)
    requirements.write_text(exported.stdout, encoding="utf-8")
    venv = tmp_path / "venv"
    run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], tmp_path, env)
    python = venv / "bin" / "python"
    run([uv, "pip", "install", "--offline", "--quiet", "--python", str(python), "-r", str(requirements)], tmp_path, env)
    run([uv, "pip", "install", "--offline", "--quiet", "--no-deps", "--python", str(python), str(wheel)], tmp_path, env)

    work = tmp_path / "elsewhere"
    raw = work / "raw"
    raw.mkdir(parents=True)
    for seed in (REPO / "data" / "raw").glob("*.txt"):
        shutil.copy(seed, raw / seed.name)
    run([str(venv / "bin" / "steppe"), "run", "--raw", "raw", "--out", "out"], work, env)

    latest = json.loads((work / "out" / "releases" / "latest.json").read_text(encoding="utf-8"))
    release = work / "out" / "releases" / latest["path"]
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["row_counts"]["documents"] == len(list(raw.glob("*.txt")))
    assert (release / "datapackage.json").is_file() and any((release / "parquet").rglob("*.parquet"))
    # The installed package found its own contract: the release was validated against it.
    assert manifest["validation"]["success"] is True
    imported = run([str(python), "-c", "import steppe.schema as s; print(s.SCHEMA_DIR)"], work, env).stdout.strip()
    assert str(venv) in imported and str(REPO) not in imported
