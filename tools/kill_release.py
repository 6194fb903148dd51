"""Kill `steppe run` at random moments, again and again, and check no release is ever damaged.

In a scratch folder (the repository's data/raw plus some Fake.br articles
from ../shared, or generated text when that corpus is absent), the script
publishes a first release, then adds an article and starts `steppe run --force` N times in a row
and kills each run (SIGKILL to its whole process group, Prefect's temporary
server included) after a random delay drawn from the length of the first
run. After every kill it checks with steppe.publish.checks that:

* every release that list_versions() offers is whole (each file matches
  manifest.json) and no release seen before changed by one byte;
* latest.json names a listed release, and steppe.load() reads it;
* nothing visible in releases/ is a half-built release.

Then run N+1 must publish normally without any manual clean-up (and leave
no staging folder behind). Prints one row per run and exits 1 on any damage.

    uv run --frozen --no-sync python tools/kill_release.py                 # 20 kills, seed 0
    uv run --frozen --no-sync python tools/kill_release.py --kills 5 --seed 7 --articles 10
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from steppe.loader import load
from steppe.publish.checks import release_problems, snapshot
from steppe.publish.lock import read_holder
from steppe.publish.plan import STAGING_PREFIX, list_versions, read_latest, releases_dir

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpora" / "fakebr-pt" / "articles.jsonl.gz"


def make_raw(raw: Path, articles: int) -> str:
    """The seed articles plus `articles` Fake.br articles (or generated ones); says which."""
    shutil.copytree(REPO / "data" / "raw", raw)
    lines = []
    if CORPUS.is_file():
        with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
            for line, _ in zip(fh, range(articles)):
                lines.append(line.rstrip("\n"))
        source = f"seed + {len(lines)} Fake.br articles"
    else:
        rng = random.Random(0)
        words = "o presidente do Cazaquistão Tokayev encontrou Putin em Astana para discutir petróleo e gás".split()
        for i in range(articles):
            text = ". ".join(" ".join(rng.choice(words) for _ in range(12)).capitalize() for _ in range(8)) + "."
            lines.append(json.dumps({"id": f"gen-{i}", "text": text, "language": "pt"}, ensure_ascii=False))
        source = f"seed + {len(lines)} generated articles"
    (raw / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return source


def environment(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "PREFECT_HOME": str(work / "prefect-home"),
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "GX_ANALYTICS_ENABLED": "false",
    })
    env.pop("STEPPE_CRASH_AT", None)
    return env


def add_article(raw: Path, n: int) -> None:
    """One more article, so that the next run's tables differ: a run making the latest release's tables again publishes nothing."""
    line = {"id": f"kill-{n}", "text": f"Tokayev recebe Putin em Astana pela {n}a vez para discutir petróleo e gás.", "language": "pt"}
    with (raw / "feed.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(line, ensure_ascii=False) + "\n")


def start_run(work: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "steppe.cli", "run", "--raw", "raw", "--out", "out", "--force"]
    with log.open("wb") as fh:
        # A session of its own, so one killpg reaches Prefect's server and any worker too.
        return subprocess.Popen(command, cwd=work, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)


def kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def left_behind(out: Path, versions_before: list[str], latest_before: str | None) -> str:
    """What the killed run left on disk, in words."""
    root = releases_dir(out)
    staging = [p for p in root.iterdir() if p.name.startswith(STAGING_PREFIX)] if root.is_dir() else []
    drafts = [p for p in root.iterdir() if p.name.startswith(".latest.json.")] if root.is_dir() else []
    versions = list_versions(out)
    new = [v for v in versions if v not in versions_before]
    latest = read_latest(out)
    parts = []
    if new and latest in new:
        parts.append(f"published {latest}")
    elif new:
        parts.append(f"{', '.join(new)} renamed in, latest.json not yet")
    if staging:
        parts.append("a staging folder")
    if drafts:
        parts.append("a latest.json draft")
    return "; ".join(parts) or "nothing"


def check(out: Path, before: dict[str, dict[str, str]]) -> list[str]:
    problems = release_problems(out, before)
    if not problems:
        try:
            latest = read_latest(out)
            rows = len(load("documents", root=out))
            manifest = json.loads((releases_dir(out) / str(latest) / "manifest.json").read_text(encoding="utf-8"))
            if rows != manifest["row_counts"]["documents"]:
                problems.append(f"steppe.load read {rows} documents, manifest says {manifest['row_counts']['documents']}")
        except Exception as error:  # noqa: BLE001 - any failure to load is damage to report
            problems.append(f"steppe.load failed: {type(error).__name__}: {error}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20, help="runs to kill in a row (default 20)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the kill delays (default 0)")
    parser.add_argument("--articles", type=int, default=20, help="Fake.br articles added to the seed (default 20)")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a new temporary folder, removed after)")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="steppe-kill-"))
    work.mkdir(parents=True, exist_ok=True)
    out, env, rng = work / "out", environment(work), random.Random(args.seed)
    source = make_raw(work / "raw", args.articles)
    print(f"scratch {work}: {source}; load {os.getloadavg()[0]:.2f}")

    started = time.monotonic()
    first = start_run(work, env, work / "run-0.log")
    if first.wait() != 0:
        print(f"the first run failed; see {work / 'run-0.log'}")
        return 1
    duration = time.monotonic() - started
    print(f"first run published {read_latest(out)} in {duration:.1f} s; killing the next {args.kills} runs "
          f"after 0-{duration:.1f} s\n")

    header = f"{'run':>4}  {'kill after':>10}  {'exit':>5}  {'latest':<14}  {'releases':>8}  left behind / problems"
    print(header)
    print("-" * len(header))
    damaged = 0
    kills = attempts = 0
    while kills < args.kills and attempts < 3 * args.kills:
        attempts += 1
        before, versions_before, latest_before = snapshot(out), list_versions(out), read_latest(out)
        delay = rng.uniform(0.0, duration)
        add_article(work / "raw", attempts)
        process = start_run(work, env, work / f"run-{attempts}.log")
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            kill_group(process)
        if process.returncode == 0:
            # Runs get faster as caches warm and load drops: aim the next kills within this one's length.
            duration = min(duration, delay)
            note = "finished before the kill (not counted)"
            problems = check(out, before)
        else:
            kills += 1
            note = left_behind(out, versions_before, latest_before)
            problems = check(out, before)
        damaged += bool(problems)
        print(f"{attempts:>4}  {delay:>9.1f}s  {process.returncode:>5}  {str(read_latest(out)):<14}  "
              f"{len(list_versions(out)):>8}  {note}" + "".join(f"\n      DAMAGE: {p}" for p in problems))

    before, versions_before = snapshot(out), list_versions(out)
    holder = read_holder(out / ".lock")
    add_article(work / "raw", attempts + 1)
    final = start_run(work, env, work / "run-final.log")
    status = final.wait()
    log = (work / "run-final.log").read_text(encoding="utf-8", errors="replace")
    problems = check(out, before)
    latest = read_latest(out)
    if status != 0:
        problems.append(f"exit status {status}; see {work / 'run-final.log'}")
    if latest in versions_before or latest is None:
        problems.append(f"no new release: latest is still {latest}")
    leftovers = sorted(p.name for p in releases_dir(out).iterdir() if p.name.startswith("."))
    if leftovers:
        problems.append(f"left in releases/ after a normal run: {', '.join(leftovers)}")
    if holder.pid is not None and "taking over its lock" not in log:
        problems.append(f"the lock of killed pid {holder.pid} was not reported as taken over")
    damaged += bool(problems)
    print(f"{'next':>4}  {'-':>10}  {status:>5}  {str(latest):<14}  {len(list_versions(out)):>8}  "
          f"{'published normally' if not problems else ''}" + "".join(f"\n      DAMAGE: {p}" for p in problems))

    print(f"\n{kills} kills, {damaged} with damage; run {attempts + 1} {'published normally' if not problems else 'FAILED'}. "
          f"Load {os.getloadavg()[0]:.2f}.")
    if args.workdir is None and not damaged:
        shutil.rmtree(work, ignore_errors=True)
    elif damaged:
        print(f"scratch kept for inspection: {work}")
    return 1 if damaged or kills < args.kills else 0


if __name__ == "__main__":
    sys.exit(main())
