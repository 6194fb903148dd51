"""Accuracy and speed of language detection and sentence splitting on a corpus.

Reads a JSON-lines corpus (gzip or not) with `text` and, optionally,
`language`, the truth the detector is scored against (default: the Fake.br
Portuguese articles in ../shared, which are all "pt"). It is read from where it
lives, never copied into the project.

    uv run python tools/language_report.py
    uv run python tools/language_report.py --sample-chars 300 600 1000 0   # 0: whole text
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
import unicodedata
from collections import Counter
from pathlib import Path

from steppe.analyse.language import SAMPLE_CHARS, detect_language
from steppe.analyse.sentences import split_sentences

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/corpora/fakebr-pt/articles.jsonl.gz"


def read_corpus(path: Path) -> list[tuple[str, str | None]]:
    """(NFC text, stated language) per line, as ingest hands documents on."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return [(unicodedata.normalize("NFC", r["text"]), r.get("language")) for r in records]


def report_detection(docs: list[tuple[str, str | None]], sample_chars: int | None) -> None:
    started = time.perf_counter()
    detected = [detect_language(text, sample_chars=sample_chars) for text, _ in docs]
    seconds = time.perf_counter() - started
    scored = [(code, truth) for (code, _), (_, truth) in zip(detected, docs) if truth]
    correct = sum(code == truth for code, truth in scored)
    confidences = [confidence for _, confidence in detected]
    label = "whole text" if sample_chars is None else f"{sample_chars} chars"
    print(
        f"detect_language, {label}: accuracy {correct}/{len(scored)} = {correct / max(len(scored), 1):.4f}, "
        f"{len(docs) / seconds:,.0f} docs/s, confidence min {min(confidences):.4f} "
        f"median {statistics.median(confidences):.4f}, detected {dict(Counter(c for c, _ in detected))}"
    )


def report_splitting(docs: list[tuple[str, str | None]]) -> None:
    started = time.perf_counter()
    n_sentences = sum(len(split_sentences(text, language or "und")) for text, language in docs)
    seconds = time.perf_counter() - started
    n_chars = sum(len(text) for text, _ in docs)
    print(
        f"split_sentences: {len(docs) / seconds:,.0f} docs/s, {n_chars / seconds / 1e6:.1f} M chars/s, "
        f"{n_sentences:,} sentences ({n_sentences / len(docs):.1f} per doc)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sample-chars", type=int, nargs="+", default=[SAMPLE_CHARS], help="0 reads the whole text")
    args = parser.parse_args()

    docs = read_corpus(args.corpus)
    print(f"{args.corpus}: {len(docs):,} documents, median {statistics.median(len(t) for t, _ in docs):,.0f} chars")
    detect_language("warm up: load the models before timing")
    for sample_chars in args.sample_chars:
        report_detection(docs, sample_chars or None)
    report_splitting(docs)


if __name__ == "__main__":
    main()
