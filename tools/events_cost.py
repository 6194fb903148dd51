"""The event coder alone on a corpus: its time, the events it codes, and a digest of them.

Reads the corpus, splits sentences and finds name mentions once (not
timed), then times `steppe.analyse.events.code.code_events` over every document
(`--repeat` times, the fastest reported; wall and CPU time). The digest
(SHA-256 of every event's repr, in document order) shows whether two
versions of the coder give the same events; `--dump FILE` writes them one a
line (doc_id, tab, repr) to compare.

    uv run python tools/events_cost.py                       # ../shared/corpora/fakebr-pt
    uv run python tools/events_cost.py --repeat 3 --dump /tmp/events.txt
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

from steppe.analyse import document as pipeline
from steppe.analyse.events.code import code_events
from steppe.analyse.language import detect_language
from steppe.analyse.names.mentions import as_date, find_mentions
from steppe.analyse.sentences import split_sentences
from steppe.ingest import read as ingest

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fakebr-pt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=1, help="timed runs; the fastest is reported")
    parser.add_argument("--dump", type=Path, help="write every event (doc_id, tab, repr) to this file")
    args = parser.parse_args()
    raw_docs, _, _ = ingest.read_raw(args.raw)
    inputs = []
    for d in pipeline.identify_documents(raw_docs):
        if d.duplicate_of is not None:
            continue
        language = d.raw.language or detect_language(d.text)[0]
        spans = tuple(split_sentences(d.text, language))
        mentions = tuple(find_mentions(d.text, language, d.raw.published_at, spans))
        inputs.append((d.doc_id, d.text, language, as_date(d.raw.published_at), spans, mentions))
    code_events("x", "pt", None, [(0, 1)], [])  # load patterns, codebook and registry outside the timing
    best = None
    for _ in range(args.repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        results = [(doc_id, code_events(text, lang, pub, spans, mentions)) for doc_id, text, lang, pub, spans, mentions in inputs]
        timing = (time.perf_counter() - wall, time.process_time() - cpu)
        best = timing if best is None or timing[0] < best[0] else best
    lines = [f"{doc_id}\t{e!r}\n" for doc_id, events in results for e in events]
    digest = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()[:16]
    if args.dump:
        args.dump.write_text("".join(lines), encoding="utf-8")
    sentences = sum(len(x[4]) for x in inputs)
    negated = sum(e.negated for _, events in results for e in events)
    print(f"{args.raw}: {len(inputs)} documents, {sentences} sentences")
    print(f"code_events: {best[0]:.2f}s wall, {best[1]:.2f}s CPU (fastest of {args.repeat})")
    print(f"events: {len(lines)} ({negated} negated), digest {digest}")


if __name__ == "__main__":
    main()
