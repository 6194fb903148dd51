"""The bench's report: rates and targets from the measurements, and the text printed."""

from __future__ import annotations

from typing import Any

from steppe.dev.bench.corpus import NEW_DOCS
from steppe.dev.bench.machine import LOOP_STEPS


def _rate(docs: int, seconds: float) -> float | None:
    return round(docs / seconds, 1) if seconds > 0 else None


def summarise(n: int, results: dict[str, Any]) -> dict[str, Any]:
    core = results.get("core")
    docs = core["docs"] if core else n
    rows: list[dict[str, Any]] = []
    if core:
        for stage, s in core["stages_s"].items():
            if stage == "language":
                # Detection runs only where no language is given: rate it over the documents it read.
                detected = core.get("language_detected", docs)
                rows.append({"what": f"core: language ({detected} detected)", "seconds": s, "docs_per_s": _rate(detected, s) if detected else None})
                continue
            rows.append({"what": f"core: {stage}", "seconds": s, "docs_per_s": _rate(docs, s)})
        first_peak = core.get("peak_rss_first_release_mb", core["peak_rss_mb"])
        rows.append({"what": "core: end to end", "seconds": core["end_to_end_s"], "docs_per_s": _rate(docs, core["end_to_end_s"]), "peak_rss_mb": first_peak})
        if "republish_s" in core:
            rows.append({"what": "core: write over the previous release", "seconds": core["republish_s"], "docs_per_s": _rate(docs, core["republish_s"]),
                         "peak_rss_mb": core["peak_rss_mb"]})
    targets: dict[str, Any] = {}
    bare = results.get("bare")
    if bare:
        rows.append({"what": "bare Aho-Corasick reference", "seconds": bare["scan_s"], "docs_per_s": _rate(bare["docs"], bare["scan_s"]), "peak_rss_mb": bare["peak_rss_mb"]})
        if core and core["end_to_end_s"]:
            targets["core_vs_bare"] = round(bare["scan_s"] / core["end_to_end_s"], 4)
    inc = results.get("incremental")
    if inc:
        rows.append({"what": "core with cache, cold", "seconds": inc["cold_cache_s"], "docs_per_s": _rate(docs, inc["cold_cache_s"]), "peak_rss_mb": inc["peak_rss_mb"]})
        rows.append({"what": f"core with cache, warm + {NEW_DOCS} new", "seconds": inc["warm_plus_new_s"], "docs_per_s": _rate(docs + NEW_DOCS, inc["warm_plus_new_s"])})
        if "validation_floor_s" in inc:
            rows.append({"what": "validate a one-document release", "seconds": inc["validation_floor_s"], "docs_per_s": None})
        if core:
            targets["incremental_vs_full_core"] = round(inc["warm_plus_new_s"] / core["end_to_end_s"], 4)
            if "validation_floor_s" in inc:
                targets["validation_floor_vs_full_core"] = round(inc["validation_floor_s"] / core["end_to_end_s"], 4)
        targets["incremental_vs_cold_cache"] = round(inc["warm_plus_new_s"] / inc["cold_cache_s"], 4)
    for kind in ("run-local", "run-dask"):
        r = results.get(kind)
        if r:
            rows.append({"what": f"steppe.run, {kind.split('-')[1]} runner", "seconds": r["end_to_end_s"], "docs_per_s": _rate(docs, r["end_to_end_s"]),
                         "peak_rss_mb": r["peak_rss_mb"], "peak_rss_children_mb": r.get("peak_rss_children_mb")})
    if results.get("run-local") and results.get("run-dask"):
        targets["dask_vs_local_run"] = round(results["run-local"]["end_to_end_s"] / results["run-dask"]["end_to_end_s"], 3)
    scaling = results.get("scaling")
    if scaling:
        rows.append({"what": "per-batch work, 1 process", "seconds": scaling["one_process_s"], "docs_per_s": _rate(scaling["docs"], scaling["one_process_s"])})
        rows.append({"what": f"per-batch work, {scaling['workers']} plain processes", "seconds": scaling["parallel_s"], "docs_per_s": _rate(scaling["docs"], scaling["parallel_s"])})
        if scaling["parallel_s"]:
            targets["batch_work_scaling"] = round(scaling["one_process_s"] / scaling["parallel_s"], 3)
    return {"rows": rows, "targets": targets}


def render(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"steppe bench: {report['docs']} documents from {report['corpus']}",
        f"machine: {m['cpus']} cores, {m['platform']}, Python {m['python']}, load average {m['load_before']} before / {m['load_after']} after",
        *([f"machine speed: a {LOOP_STEPS:,}-step Python loop took {m['python_loop_s'][0]:.3f} s before / {m['python_loop_s'][1]:.3f} s after"
           " (runs on a machine that is slower at the time are not comparable)"] if m.get("python_loop_s") else []),
        "",
        f"{'measurement':<36}{'seconds':>10}{'docs/s':>10}  {'peak RSS MB'}",
    ]
    for r in report["summary"]["rows"]:
        rss = f"{r['peak_rss_mb']:.0f}" if r.get("peak_rss_mb") is not None else ""
        if r.get("peak_rss_children_mb"):
            rss += f" + {r['peak_rss_children_mb']:.0f} in child processes"
        rate = f"{r['docs_per_s']:.1f}" if r["docs_per_s"] is not None else "-"
        lines.append(f"{r['what']:<36}{r['seconds']:>10.2f}{rate:>10}  {rss}")
    core = report["results"].get("core")
    lines.append("")
    if core:
        after = f"; peak RSS after it {core['peak_rss_after_setup_mb']:.0f} MB" if "peak_rss_after_setup_mb" in core else ""
        lines.append(f"one-off set-up (registry, indexes, GX), not in the rates: {core['setup_s']:.2f}s{after}")
        if "tables_mb" in core:
            lines.append(f"the release's tables, held whole while validated and written: {core['tables_mb']:.0f} MB of Arrow")
        v = core["validation"]
        lines.append("validation of the benchmark corpus: " + ("passed" if v["success"] else "FAILED (" + "; ".join(v["failed"]) + "); the release is written to failed/ all the same"))
    inc = report["results"].get("incremental")
    if inc:
        lines.append(f"cache: warm run reused {inc['warm_stats']['hits']} and analysed {inc['warm_stats']['misses']} documents; "
                     f"{inc['cache_storage']['files']} files, {inc['cache_storage']['bytes'] / 1e6:.1f} MB "
                     f"({inc['cache_storage']['bytes'] / max(1, inc['cache_storage']['files']) / 1024:.1f} KiB per document)")
    t = report["summary"]["targets"]
    lines.append("")
    lines.append("targets (issue #6):")
    if "core_vs_bare" in t:
        lines.append(f"  core end to end / bare reference speed: {100 * t['core_vs_bare']:.1f}% (target >= 25%, aim 50%)")
    if "incremental_vs_full_core" in t:
        lines.append(f"  {NEW_DOCS} new documents on a warm cache / full core run: {100 * t['incremental_vs_full_core']:.1f}% (target < 10%)")
    if "validation_floor_vs_full_core" in t:
        lines.append(f"  of which no run can go below: validating a one-document release / full core run: {100 * t['validation_floor_vs_full_core']:.1f}%")
    if "incremental_vs_cold_cache" in t:
        lines.append(f"  {NEW_DOCS} new documents on a warm cache / the cold-cache run of the same process: {100 * t['incremental_vs_cold_cache']:.1f}%")
    if "dask_vs_local_run" in t:
        lines.append(f"  Dask 2 workers / single-process run throughput: {t['dask_vs_local_run']:.2f}x (target >= 1.6x at 36,000 documents)")
    if "batch_work_scaling" in t:
        workers = report["results"]["scaling"]["workers"]
        lines.append(f"  the per-batch work alone, {workers} plain processes / 1 (no Prefect, no Dask): {t['batch_work_scaling']:.2f}x"
                     f" (the most {workers} workers gain on this machine for that part of a run)")
    lines.append("  peak RSS at 36,000 / 3,600 documents (target <= 1.3x): compare 'core: end to end' peak RSS of --docs 3600 and --docs 36000")
    lines.append("  (a first release's; 'core: write over the previous release' is the peak of a day's run, which diffs against the day before's)")
    return "\n".join(lines)
