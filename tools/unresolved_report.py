"""The names the registry could not resolve on a real corpus, and the noise the names stage drops.

Reads the first N articles of a JSON-lines corpus (gzip or not, one object per
line with `text` and, optionally, `language` and `published`), runs the names
stage (`steppe.analyse.names.mentions.find_mentions`) on each, and prints the
number of unresolved mentions, the most frequent unresolved names (grouped by
folding key, as `steppe unresolved` groups them) with their counts, and how many
capitalised spans the noise filter dropped, by rule (photo credits, bylines,
page scripts, month and weekday abbreviations, boilerplate).

    uv run python tools/unresolved_report.py                       # the 3,600 Portuguese articles
    uv run python tools/unresolved_report.py --limit 500 --top 50
    uv run python tools/unresolved_report.py other.jsonl.gz --language en --examples

It is a report: it exits 0 whatever it finds.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from steppe.analyse.names.index import default_index
from steppe.analyse.names.mentions import find_mentions
from steppe.analyse.sentences import split_sentences
from steppe.text import fold

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/corpora/fakebr-pt/articles.jsonl.gz"


def read_corpus(path: Path, limit: int | None) -> list[dict]:
    """The first ``limit`` records of the corpus, their text in NFC as ingest hands it on."""
    opener = gzip.open if path.suffix == ".gz" else open
    records = []
    with opener(path, "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}: line {n} is not JSON ({exc.msg})") from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise SystemExit(f"{path}: line {n} has no `text` string")
            record["text"] = unicodedata.normalize("NFC", record["text"])
            records.append(record)
            if limit and len(records) >= limit:
                break
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="read only the first N articles (default: all)")
    parser.add_argument("--language", default=None, help="language of every article (default: each record's `language`, else pt)")
    parser.add_argument("--top", type=int, default=30, help="how many unresolved names to list (default 30)")
    parser.add_argument("--examples", action="store_true", help="print a few dropped spans for each noise rule")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"{args.corpus}: no such corpus file", file=sys.stderr)
        return 2
    docs = read_corpus(args.corpus, args.limit)
    index = default_index()
    groups: dict[str, Counter] = defaultdict(Counter)
    documents: dict[str, set[int]] = defaultdict(set)
    dropped: Counter = Counter()
    dropped_examples: dict[str, Counter] = defaultdict(Counter)
    unresolved = 0
    started = time.perf_counter()
    for i, doc in enumerate(docs):
        text, language = doc["text"], args.language or doc.get("language") or "pt"
        noise: list[tuple[str, str]] = []
        mentions = find_mentions(text, language, None, split_sentences(text, language), index, noise=noise)
        for rule, surface in noise:
            dropped[rule] += 1
            dropped_examples[rule][surface] += 1
        for m in mentions:
            if m.entity_id is None and m.method in ("unresolved", "ambiguous"):
                unresolved += 1
                key = fold(m.surface, key=True) or m.surface
                groups[key][m.surface] += 1
                documents[key].add(i)
    elapsed = time.perf_counter() - started
    print(f"{args.corpus}: {len(docs):,} articles, names stage {elapsed:.1f} s")
    print(f"unresolved mentions: {unresolved:,} ({len(groups):,} distinct names)")
    print(f"dropped as noise: {sum(dropped.values()):,} spans")
    for rule, n in sorted(dropped.items(), key=lambda r: (-r[1], r[0])):
        print(f"  {rule:<14} {n:>7,}")
        if args.examples:
            print("      " + ", ".join(f"{s!r} x{c}" for s, c in dropped_examples[rule].most_common(8)))
    ranked = sorted(groups, key=lambda k: (-sum(groups[k].values()), k))[: args.top]
    print(f"\ntop {len(ranked)} unresolved names (count, documents, name):")
    for key in ranked:
        surfaces = groups[key]
        name = max(surfaces, key=lambda s: (surfaces[s], s))
        print(f"  {sum(surfaces.values()):>6,} {len(documents[key]):>6,}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
