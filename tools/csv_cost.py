"""What writing a release's CSV files costs, table by table, and that it gives the same bytes as before.

Builds every table of a release from a corpus (ingest, per-document stages,
tables; no Prefect, no validation), then writes each table's CSV in memory,
``--batch-rows`` rows at a time as a release does, with the release's writer
(DuckDB) and with the per-cell writer of Python's csv module it replaced
(``reference_write_csv`` of tests/test_csv_writer.py), into scratch files,
checks that both give the same bytes, and prints the time of each (the
fastest of ``--repeat`` runs). ``--gzip`` writes gzip-compressed files.

    uv run python tools/csv_cost.py                      # ../shared/corpora/fakebr-pt
    uv run python tools/csv_cost.py --raw data/raw --repeat 5 --gzip
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from steppe.analyse import document as pipeline
from steppe.ingest import read as ingest
from steppe.publish import write
from steppe.publish.layout import DEFAULT_WRITE_BATCH_ROWS
from steppe.tables import assemble

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "fakebr-pt"
sys.path.insert(0, str(REPO / "tests"))

from test_csv_writer import reference_write_csv  # noqa: E402


def fastest(repeat: int, write, path: Path) -> tuple[float, bytes]:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        write(path)
        best = min(best, time.perf_counter() - t)
    return best, path.read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--text-policy", default="evidence")
    parser.add_argument("--batch-rows", type=int, default=DEFAULT_WRITE_BATCH_ROWS)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each writer; the fastest is reported")
    parser.add_argument("--gzip", action="store_true", help="write gzip-compressed files")
    args = parser.parse_args()
    raw_docs, rejections, _ = ingest.read_raw(args.raw)
    docs = pipeline.identify_documents(raw_docs)
    built = assemble.build_tables(docs, pipeline.process_batch(docs), rejections, args.text_policy)
    print(f"{'table':<16}{'rows':>9}{'bytes':>11}{'before':>9}{'now':>9}{'faster':>8}  same")
    totals = [0.0, 0.0]
    different = []
    for name, t in built.items():
        with tempfile.TemporaryDirectory() as scratch:
            old, old_bytes = fastest(args.repeat, lambda p: reference_write_csv(t, name, p, compress=args.gzip, batch_rows=args.batch_rows), Path(scratch) / "old")
            new, new_bytes = fastest(args.repeat, lambda p: write.write_csv(t, name, p, compress=args.gzip, batch_rows=args.batch_rows), Path(scratch) / "new")
        same = new_bytes == old_bytes
        totals[0] += old
        totals[1] += new
        if not same:
            different.append(name)
        size = len(new_bytes)
        print(f"{name:<16}{t.num_rows:>9}{size:>11}{old:>8.3f}s{new:>8.3f}s{old / new:>7.1f}x  {same}")
    rows = sum(t.num_rows for t in built.values())
    print(f"{'all tables':<16}{rows:>9}{'':>11}{totals[0]:>8.3f}s{totals[1]:>8.3f}s{totals[0] / totals[1]:>7.1f}x  {not different}")
    if different:
        raise SystemExit(f"CSV bytes differ from the per-cell writer's: {', '.join(different)}")


if __name__ == "__main__":
    main()
