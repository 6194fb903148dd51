"""Time each per-document stage on one pathological sentence of 25,000, 50,000 and 100,000 characters.

The sentences have no punctuation and no line break, so the splitter makes
one sentence of the whole text: the case where a stage that is quadratic in
the length of a sentence shows. Prints the seconds of each stage of
steppe.analyse.document.process_document (language, sentences, mentions, events,
sectors) per size and the ratio 100k / 50k: about 2 is linear, about 4
quadratic. The first call of each stage loads its data and is left out
(a warm-up run on a short text).

    uv run --frozen --no-sync python tools/long_sentence_bench.py
    uv run --frozen --no-sync python tools/long_sentence_bench.py --sizes 100000 200000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import time

from steppe.analyse.document import process_document
from steppe.analyse.events.code import code_events
from steppe.analyse.language import detect_language
from steppe.analyse.names.mentions import as_date, find_mentions
from steppe.analyse.sectors import find_sectors
from steppe.analyse.sentences import split_sentences

KINDS = {
    # Words of a news sentence, names and verbs included, repeated without a stop.
    "pt-words": ("pt", "o presidente Tokayev encontrou Putin em Astana e discutiu petróleo gás e trânsito "),
    "ru-words": ("ru", "президент Токаев встретился с Путиным в Астане и обсудил нефть газ и транзит "),
    "en-names": ("en", "Tokayev met Putin Mirziyoyev Lukashenko Rosatom Gazprom KazMunayGas Astana Moscow "),
    # One single "word" of letters: no space, no stop.
    "one-token": ("en", "abcdefghij"),
}


def make_text(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size].strip()


def stages(text: str, language: str) -> dict[str, float]:
    times = {}
    t = time.perf_counter()
    detect_language(text)
    times["language"] = time.perf_counter() - t
    t = time.perf_counter()
    spans = split_sentences(text, language)
    times["sentences"] = time.perf_counter() - t
    t = time.perf_counter()
    mentions = find_mentions(text, language, None, spans)
    times["mentions"] = time.perf_counter() - t
    t = time.perf_counter()
    list(code_events(text, language, as_date(None), spans, mentions))
    times["events"] = time.perf_counter() - t
    t = time.perf_counter()
    find_sectors(text, language)
    times["sectors"] = time.perf_counter() - t
    t = time.perf_counter()
    process_document("bench", text, language)
    times["process_document"] = time.perf_counter() - t
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 50_000, 100_000])
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per cell (default 1)")
    args = parser.parse_args()
    for language, unit in KINDS.values():
        stages(make_text(unit, 200), language)  # warm-up: registry, patterns, language models
    print(f"load {os.getloadavg()[0]:.2f}; seconds per stage, best of {args.repeat}")
    names = ["language", "sentences", "mentions", "events", "sectors", "process_document"]
    print(f"{'text':<10} {'chars':>8} " + " ".join(f"{n:>16}" for n in names))
    for kind, (language, unit) in KINDS.items():
        by_size = {}
        for size in args.sizes:
            text = make_text(unit, size)
            runs = [stages(text, language) for _ in range(args.repeat)]
            by_size[size] = {n: min(r[n] for r in runs) for n in names}
            print(f"{kind:<10} {len(text):>8,} " + " ".join(f"{by_size[size][n]:>16.3f}" for n in names))
        if len(args.sizes) >= 2:
            big, half = args.sizes[-1], args.sizes[-2]
            ratios = [by_size[big][n] / by_size[half][n] if by_size[half][n] > 0.001 else float("nan") for n in names]
            print(f"{'':<10} {f'x{big // half} ->':>8} " + " ".join(f"{r:>15.1f}x" for r in ratios))


if __name__ == "__main__":
    main()
