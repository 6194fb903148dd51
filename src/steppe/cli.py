"""The ``steppe`` command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

# Offline and quiet by default: no telemetry from Prefect or Great Expectations.
_OFFLINE_DEFAULTS = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_UI_ENABLED": "false",
}


# Exit statuses of `steppe run` (README, Command line): 0 published or nothing new, 1 the
# validation gate failed, 2 bad options, input folder or release error, 3 another run holds the lock.
EXIT_NOTHING_TO_PUBLISH = 4  # every input record rejected: no valid document, no release


def _offline_environment() -> None:
    for key, value in _OFFLINE_DEFAULTS.items():
        os.environ.setdefault(key, value)


def _log_progress() -> None:
    """The run's progress lines (batches, cache, gate) on stderr, as a run goes."""
    import logging

    logger = logging.getLogger("steppe.run")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def cmd_run(args: argparse.Namespace) -> int:
    from steppe.ingest.read import Limits
    from steppe.publish.lock import RunLocked, run_lock
    from steppe.publish.release import ReleaseError, ValidationFailed
    from steppe.run import NothingToPublish, RunOptions, build_release

    _offline_environment()
    _log_progress()
    try:
        options = RunOptions(
            raw_dir=args.raw,
            out_dir=args.out,
            text_policy=args.text_policy,
            version=args.version,
            force=args.force,
            batch_size=args.batch_size,
            limits=Limits(args.max_file_bytes, args.max_document_chars, args.max_sentence_chars),
            use_cache=not args.no_cache,
            prune_cache=not args.keep_cache,
            lock_wait=args.lock_wait,
            runner=args.runner,
            dask_address=args.dask_address,
        )
        # Taken here to say whose lock was taken over; build_release re-enters it.
        with run_lock(args.out, wait=args.lock_wait) as lock:
            if lock.took_over is not None:
                print(f"steppe: the previous run did not finish ({lock.took_over.describe()}); taking over its lock.",
                      file=sys.stderr)
            summary = build_release(options)
    except RunLocked as exc:
        print(f"steppe: {exc}", file=sys.stderr)
        return 3
    except NothingToPublish as exc:
        print(f"\nsteppe: {exc}", file=sys.stderr)
        return EXIT_NOTHING_TO_PUBLISH
    except ValidationFailed as exc:
        print(f"\nsteppe: {exc}", file=sys.stderr)
        return 1
    except (ReleaseError, FileNotFoundError, ValueError) as exc:
        print(f"\nsteppe: {exc}", file=sys.stderr)
        return 2
    print()
    if summary["status"] == "unchanged":
        print(f"No new release: {summary['reason']}. Latest stays {summary['version']}.")
    else:
        print(f"Published release {summary['version']} at {summary['path']}")
        width = max(len(n) for n in summary["row_counts"])
        for name, n in summary["row_counts"].items():
            print(f"  {name:<{width}}  {n:>9,} rows")
        v = summary["validation"]
        print(f"Validation passed: {v['successful']} of {v['evaluated']} expectations met.")
    c = summary.get("cache")
    if c and c["enabled"]:
        print(f"Cache: {c['hits']} documents reused, {c['misses']} analysed" + (f" ({c['corrupt']} corrupt entries rebuilt)." if c["corrupt"] else "."))
        if c.get("pruned"):
            from steppe.analyse.cache import PruneStats

            print(PruneStats(**c["pruned"]).line())
    return 0


def _resolve_release(out: Path, name: str | None) -> Path:
    from steppe.publish.plan import list_versions, read_latest, releases_dir

    version = name or read_latest(out)
    if version is None:
        raise SystemExit(f"steppe: no release in {releases_dir(out)} yet; run `steppe run` first")
    path = Path(version)
    if path.is_dir():
        return path
    path = releases_dir(out) / version
    if not path.is_dir():
        known = ", ".join(list_versions(out)) or "none"
        raise SystemExit(f"steppe: no release {version!r} in {releases_dir(out)}; releases: {known}")
    return path


def cmd_validate(args: argparse.Namespace) -> int:
    """Re-run the validation gate over a published release's Parquet tables."""
    _offline_environment()
    from steppe.gate.validate import validate_tables
    from steppe.publish.checks import check_release_files
    from steppe.publish.layout import read_table
    from steppe.schema import tables

    path = _resolve_release(args.out, args.release)
    release_tables = {}
    for name in tables():
        t = read_table(path, name)  # one file, or a dataset partitioned by year and month
        if t is None:
            raise SystemExit(f"steppe: {path} has no parquet/{name}.parquet (nor a parquet/{name}/ dataset)")
        release_tables[name] = t
    report = validate_tables(release_tables)
    for failure in report.failures:
        print(f"  - {failure.message}")
    status = "passed" if report.success else "FAILED"
    print(f"{path}: validation {status}, {report.successful} of {report.evaluated} expectations met.")
    mismatches = check_release_files(path)
    for mismatch in mismatches:
        print(f"  - {mismatch}")
    agree = "agree" if not mismatches else f"DISAGREE in {len(mismatches)} places"
    print(f"{path}: dataset card, manifest, datapackage, Parquet and CSV files {agree}.")
    return 0 if report.success and not mismatches else 1


def cmd_cache(args: argparse.Namespace) -> int:
    from steppe.analyse import cache
    from steppe.publish.lock import RunLocked, run_lock

    root = args.out / cache.CACHE_DIR
    version = cache.analysis_version()
    current = version[:16]
    if args.action == "prune":
        if args.raw is not None and not args.raw.is_dir():
            print(f"steppe: raw data folder {args.raw} does not exist", file=sys.stderr)
            return 2
        try:
            with run_lock(args.out):  # not while a run reads and writes the cache
                keep = cache_keys(args.raw) if args.raw is not None else None
                pruned = cache.prune(root, version, keep)
        except RunLocked as exc:
            print(f"steppe: {exc}", file=sys.stderr)
            return 3
        if args.json:
            print(json.dumps(pruned.__dict__, indent=2))
        else:
            print(pruned.line())
        return 0 if not pruned.errors else 1
    folders = [dict(v, current=v["version"] == current) for v in cache.versions(root)]
    if args.json:
        print(json.dumps({"cache": str(root), "analysis_version": current, "versions": folders}, indent=2))
        return 0
    if not folders:
        print(f"{root}: empty (analysis version {current}).")
    for v in folders:
        mark = "  (current)" if v["current"] else "  (older: steppe cache prune removes it)"
        print(f"{root}/docs/{v['version']}: {v['entries']} entries, {v['bytes'] / 2**20:.1f} MB{mark}")
    return 0


def cache_keys(raw_dir: Path) -> list[str]:
    """The cache keys of the articles in a raw folder: what a run over it would look up."""
    from steppe.analyse import cache
    from steppe.analyse import document as pipeline
    from steppe.ingest import read as ingest

    docs, _rejections, _ = ingest.read_raw(raw_dir)
    return [cache.key_of(d) for d in pipeline.identify_documents(docs) if d.duplicate_of is None]


def cmd_diff(args: argparse.Namespace) -> int:
    from steppe.publish.changes import render_changes_md
    from steppe.publish.diff import diff_releases
    from steppe.publish.write import json_bytes

    old = _resolve_release(args.out, args.old)
    new = _resolve_release(args.out, args.new)
    changes = diff_releases(old, new, old_version=old.name, new_version=new.name)
    if args.json:
        print(json_bytes(changes).decode("utf-8"), end="")
    else:
        print(render_changes_md(changes), end="")
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    """Show how a name resolves: the candidates, the winner, the method and the score."""
    from datetime import date

    from steppe.analyse.names.explain import explain
    from steppe.analyse.names.index_cache import load_or_build, user_cache_dir

    on = date.fromisoformat(args.date) if args.date else date.today()
    folder = None
    if not args.no_index_cache:
        folder = args.out / "cache" / "names" if args.out.is_dir() else user_cache_dir()
    index, status = load_or_build(folder)
    if status != "hit" and folder is not None:
        print(f"steppe: name index {status}; cache folder {folder}", file=sys.stderr)
    result = explain(args.name, args.lang, on, index)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0 if result["entity_id"] else 1
    language = result["language"] if result["language_source"] == "given" else f"{result['language']}, {result['language_source']}"
    print(f"{result['name']!r} ({language}, {result['date']}), folding key {result['fold_key']!r}")
    if result["candidates"]:
        print("candidates:")
        for c in result["candidates"]:
            print(f"  {c['entity_id']:<45} {c['entity_type']:<12} {c['via']:<16} {c['score']:<6} via {c['form']!r} ({c['kind']})")
    else:
        print("candidates: none")
    if result["entity_id"]:
        print(f"resolves to {result['entity_id']} ({result['canonical_name']}) by {result['method']}, score {result['score']}")
        return 0
    print(f"does not resolve ({result['method']})")
    return 1


def cmd_unresolved(args: argparse.Namespace) -> int:
    """Names in a release that resolved to nothing (or to several entities), by frequency."""
    from steppe.curation import unresolved_names

    path = _resolve_release(args.out, args.release)
    texts = None
    if args.raw and args.raw.is_dir():
        from steppe.analyse.document import identify_documents
        from steppe.ingest.read import read_raw

        docs, _, _ = read_raw(args.raw)
        texts = {d.doc_id: d.text for d in identify_documents(docs)}
    groups = unresolved_names(path, texts, limit=args.limit)
    if args.json:
        print(json.dumps(groups, indent=2, ensure_ascii=False))
        return 0
    print(f"{len(groups)} unresolved names in {path} (most frequent first)")
    for g in groups:
        flag = " (ambiguous)" if "ambiguous" in g["methods"] else ""
        acts = f", acts in {g['events']} events as {g['entity_id']}" if g["events"] else ""
        print(f"{g['count']:>6}  {g['name']}{flag}  [{g['documents']} docs{acts}]")
        if g["example"]:
            print(f"        e.g. {g['example']!r}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Documents per second per stage and end to end, peak memory, the cache and Dask."""
    _offline_environment()
    from steppe.dev import bench

    return bench.run(args)


def build_parser() -> argparse.ArgumentParser:
    from steppe import __version__
    from steppe.ingest.read import DEFAULT_LIMITS
    from steppe.tables.policy import DEFAULT_TEXT_POLICY, TextPolicy

    parser = argparse.ArgumentParser(prog="steppe", description="Open event data from Eurasian news.")
    parser.add_argument("--version", action="version", version=f"steppe {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="build a validated release from raw articles")
    run.add_argument("--raw", type=Path, default=Path("data/raw"), help="folder of raw articles (default: data/raw)")
    run.add_argument("--out", type=Path, default=Path("data/processed"), help="output folder (default: data/processed)")
    run.add_argument("--text-policy", choices=[p.value for p in TextPolicy], default=DEFAULT_TEXT_POLICY.value, help="how much article text to republish")
    run.add_argument("--version", dest="version", default=None, help="release version (default: today's date, YYYY.MM.DD[.N])")
    run.add_argument("--force", action="store_true", help="release even when inputs and code are unchanged")
    run.add_argument("--batch-size", type=int, default=500, help="documents per processing task")
    run.add_argument("--lock-wait", type=float, default=0.0, metavar="SECONDS",
                     help="how long to wait for another run on the same --out to finish (default: 0, exit at once)")
    run.add_argument("--max-file-bytes", type=int, default=DEFAULT_LIMITS.max_file_bytes, metavar="N",
                     help=f"reject input files larger than this (default: {DEFAULT_LIMITS.max_file_bytes:,})")
    run.add_argument("--max-document-chars", type=int, default=DEFAULT_LIMITS.max_document_chars, metavar="N",
                     help=f"reject articles longer than this (default: {DEFAULT_LIMITS.max_document_chars:,})")
    run.add_argument("--max-sentence-chars", type=int, default=DEFAULT_LIMITS.max_sentence_chars, metavar="N",
                     help="cut a longer sentence (text that runs on without a line break or . ! ? …) into pieces "
                          "of at most this many characters, marked cut in the sentences table; "
                          f"nothing is rejected for it (default: {DEFAULT_LIMITS.max_sentence_chars:,})")
    run.add_argument("--no-cache", action="store_true", help="analyse every document again, ignoring and not writing out/cache/")
    run.add_argument("--keep-cache", action="store_true",
                     help="do not prune out/cache/ after publishing (by default, entries of older analysis versions "
                          "and of articles no longer in --raw are removed)")
    run.add_argument("--runner", choices=("local", "dask"), default="local", help="run the tasks in this process (local) or on Dask")
    run.add_argument("--dask-address", default=None, metavar="tcp://HOST:PORT", help="Dask scheduler to use (default with --runner dask: a local cluster of 2 worker processes)")
    run.set_defaults(func=cmd_run)

    val = sub.add_parser("validate", help="re-run the validation gate over a published release")
    val.add_argument("release", nargs="?", help="version or folder (default: latest)")
    val.add_argument("--out", type=Path, default=Path("data/processed"))
    val.set_defaults(func=cmd_validate)

    diff = sub.add_parser("diff", help="rows added, removed and changed between two releases")
    diff.add_argument("old", help="older release: version or folder")
    diff.add_argument("new", nargs="?", help="newer release (default: latest)")
    diff.add_argument("--out", type=Path, default=Path("data/processed"))
    diff.add_argument("--json", action="store_true", help="print changes.json instead of Markdown")
    diff.set_defaults(func=cmd_diff)

    _add_resolve(sub)

    unr = sub.add_parser("unresolved", help="names in a release that resolved to nothing, by frequency")
    unr.add_argument("release", nargs="?", help="version or folder (default: latest)")
    unr.add_argument("--out", type=Path, default=Path("data/processed"))
    unr.add_argument("--raw", type=Path, default=Path("data/raw"), help="raw articles, for example sentences the release does not publish")
    unr.add_argument("--limit", type=int, default=50)
    unr.add_argument("--json", action="store_true")
    unr.set_defaults(func=cmd_unresolved)

    cac = sub.add_parser("cache", help="what the per-document cache holds, and pruning it")
    cac.add_argument("action", choices=("info", "prune"), help="info: entries and size per analysis version; "
                     "prune: remove older analysis versions (and, with --raw, entries no article of --raw uses)")
    cac.add_argument("--out", type=Path, default=Path("data/processed"))
    cac.add_argument("--raw", type=Path, default=None, help="with prune: keep only the entries of the articles in this folder")
    cac.add_argument("--json", action="store_true")
    cac.set_defaults(func=cmd_cache)

    from steppe.dev.bench import add_arguments as bench_arguments

    ben = sub.add_parser("bench", help="benchmark: documents per second per stage, peak memory, cache and Dask")
    bench_arguments(ben)
    ben.set_defaults(func=cmd_bench)
    return parser


def _add_resolve(sub) -> None:
    res = sub.add_parser("resolve", help="show how a name resolves to a registry entity")
    res.add_argument("name", help="a name as written, e.g. Тоқаевтың or 'o presidente do Cazaquistão'")
    res.add_argument("--lang", default=None, help="language of the text the name comes from (pt, en, ru, kk, es); "
                     "default: from the name's script (Cyrillic: kk with a Kazakh letter, else ru), "
                     "detected for a Latin phrase with a word in lower case, else en")
    res.add_argument("--date", help="publication date YYYY-MM-DD, for role phrases and historical names (default: today)")
    res.add_argument("--out", type=Path, default=Path("data/processed"),
                     help="output folder whose cache/names/ keeps the built name index (default: data/processed; "
                          "when it does not exist, $XDG_CACHE_HOME/steppe/names, by default ~/.cache/steppe/names)")
    res.add_argument("--no-index-cache", action="store_true", help="build the name index in memory, reading and writing no file")
    res.add_argument("--json", action="store_true")
    res.set_defaults(func=cmd_resolve)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["resolve"]:
        # Curators run it interactively: a parser of this command alone does not import what
        # the other commands' defaults need (pyarrow through the input limits).
        parser = argparse.ArgumentParser(prog="steppe")
        _add_resolve(parser.add_subparsers(dest="command", required=True))
    else:
        parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
