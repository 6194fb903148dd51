"""Precision and recall of the sector finder against the hand-made sector gold, and a look at a real corpus.

Gold mode (the default) runs `steppe.analyse.sectors.find_sectors` on every document of
quality/gold/sectors/ (ru, kk, en, pt) and on the seed article with the
`sectors:` part of ../shared/gold/seed.gold.yaml (required and optional), and
prints per language: gold spans, predictions, true positives, precision, recall
and F1, the trap phrases that produced a match, then every miss and false
positive with its context. Scoring is steppe.dev.quality's (labels are sector
codes; an unannotated match is a false positive, an optional one is neither).

    uv run python tools/sectors_report.py
    uv run python tools/sectors_report.py --check     # exit 1 below P 0.90 / R 0.85 in a language

Corpus mode counts matches per code over ../shared/corpora/fakebr-pt (real
Brazilian news, NFC-normalised) and prints a fixed-seed random sample of
matches in their sentences, for a person to judge:

    uv run python tools/sectors_report.py --corpus [--sample 20] [--seed 7]

Sector gold files (quality/gold/sectors/LANG.yaml):

    language: ru
    documents:
      - id: ru-01
        text: ...
        sectors:                       # every sector span of the text
          - {surface: нефти, sector: ENERGY.OIL}          # each whole-word occurrence
          - {surface: газ, sector: ENERGY.GAS, occurrence: 2}   # only the 2nd
          - {surface: ..., sector: ..., optional: true}   # may be found, not counted
        none: [слезоточивый газ]       # traps: phrases that name no sector

Surfaces become spans by steppe.dev.gold.gold_spans (whole words, case-sensitive;
an occurrence inside a longer annotated span is not a separate one). A `none`
phrase is a gold span labelled None: a match on it, or inside it, is a false
positive. The seed names sector spans by a fragment of their sentence (`in`),
which must occur once in the text and contain the surface once.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from steppe.analyse.sectors import find_sectors, load_taxonomy
from steppe.analyse.sentences import split_sentences
from steppe.dev.gold import (
    SEED_GOLD,
    SEED_TEXT_DIRS,
    SHARED_DIR,
    GoldDocument,
    GoldError,
    GoldMention,
    GoldSpan,
    Span,
    gold_spans,
    load_gold,
    whole_word_occurrences,
)
from steppe.dev.quality import Mismatch, PredictedSpan, Scores, score
from steppe.languages import SUPPORTED_LANGUAGES
from steppe.text import normalise_text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from unresolved_report import read_corpus as read_records  # noqa: E402  (the tools' one JSON-lines reader)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD_DIR = ROOT / "quality/gold/sectors/news"  # real news, dev and heldout
WRITTEN_GOLD_DIR = ROOT / "quality/gold/sectors"  # engineer-written passages: examples of the rules
DEFAULT_SEED = SEED_GOLD
DEFAULT_CORPUS = SHARED_DIR / "corpora/fakebr-pt/articles.jsonl.gz"
MIN_PRECISION = 0.93  # issue targets for gold sampled from real news
MIN_RECALL = 0.90
LANGUAGE_ORDER = ("ru", "kk", "en", "pt", "es")

_FILE_KEYS = frozenset({"language", "documents"})
_DOCUMENT_KEYS = frozenset({"id", "text", "sectors", "none", "split", "stratum", "source"})
SPLITS = ("dev", "heldout")
STRATA = ("match", "economy", "other")
_SECTOR_KEYS = frozenset({"surface", "sector", "occurrence", "optional"})
_SEED_SECTOR_KEYS = frozenset({"in", "surface", "sector"})


# ---------------------------------------------------------------------------
# Reading sector gold (steppe.dev.quality reads names; this adds the sector layer)
# ---------------------------------------------------------------------------


def load_sector_gold(path: Path) -> list[GoldDocument]:
    """The documents of a sector gold file, sector codes as labels and `none` phrases labelled None."""
    return [document for document, _ in load_sector_gold_splits(path)]


def load_sector_gold_splits(path: Path) -> list[tuple[GoldDocument, str]]:
    """Each document of a sector gold file with its split, dev or heldout (a document without `split` is dev)."""
    path = Path(path)
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise GoldError(f"{where}: cannot read gold: {error}") from None
    if not isinstance(data, Mapping) or set(data) != _FILE_KEYS:
        raise GoldError(f"{where}: expected exactly the fields {', '.join(sorted(_FILE_KEYS))}")
    if data["language"] not in SUPPORTED_LANGUAGES:
        raise GoldError(f"{where}: `language` must be one of {', '.join(SUPPORTED_LANGUAGES)}")
    if not isinstance(data["documents"], list) or not data["documents"]:
        raise GoldError(f"{where}: `documents` must be a non-empty list")
    codes = load_taxonomy()
    documents = []
    for index, raw in enumerate(data["documents"], 1):
        doc_where = f"{where}: document {index}"
        if not isinstance(raw, Mapping) or not {"id", "text", "sectors"} <= set(raw) <= _DOCUMENT_KEYS:
            raise GoldError(f"{doc_where}: expected id, text, sectors and optionally none, split, stratum, source")
        doc_where = f"{where}: {raw['id']}"
        if raw.get("split", "dev") not in SPLITS:
            raise GoldError(f"{doc_where}: `split` must be one of {', '.join(SPLITS)}, got {raw['split']!r}")
        if raw.get("stratum", "match") not in STRATA:
            raise GoldError(f"{doc_where}: `stratum` must be one of {', '.join(STRATA)}, got {raw['stratum']!r}")
        if not isinstance(raw["text"], str) or not raw["text"].strip():
            raise GoldError(f"{doc_where}: `text` must be non-empty text")
        mentions = [_sector_mention(f"{doc_where}: sector {i}", entry, codes)
                    for i, entry in enumerate(raw["sectors"] or [], 1)]
        for i, entry in enumerate(raw.get("none") or [], 1):
            if not isinstance(entry, str) or not entry.strip():
                raise GoldError(f"{doc_where}: none {i}: expected a phrase, got {entry!r}")
            mentions.append(GoldMention(unicodedata.normalize("NFC", entry), None))
        documents.append((GoldDocument(str(raw["id"]), data["language"], normalise_text(raw["text"]), None,
                                       tuple(mentions), where), raw.get("split", "dev")))
    if len({d.doc_id for d, _ in documents}) != len(documents):
        raise GoldError(f"{where}: duplicate document id")
    return documents


def _sector_mention(where: str, entry: Any, codes: Mapping[str, Any]) -> GoldMention:
    if not isinstance(entry, Mapping) or not {"surface", "sector"} <= set(entry) <= _SECTOR_KEYS:
        raise GoldError(f"{where}: expected {{surface: ..., sector: CODE}} (occurrence, optional allowed), got {entry!r}")
    surface, code = entry["surface"], entry["sector"]
    if not isinstance(surface, str) or not surface.strip() or surface != surface.strip():
        raise GoldError(f"{where}: `surface` must be non-empty text without outer spaces, got {surface!r}")
    if code not in codes:
        raise GoldError(f"{where} ({surface}): unknown sector code {code!r}")
    occurrence = entry.get("occurrence")
    if occurrence is not None and (type(occurrence) is not int or occurrence < 1):
        raise GoldError(f"{where} ({surface}): `occurrence` must be a positive integer, got {occurrence!r}")
    optional = entry.get("optional", False)
    if not isinstance(optional, bool):
        raise GoldError(f"{where} ({surface}): `optional` must be true or false")
    return GoldMention(unicodedata.normalize("NFC", surface), code, occurrence=occurrence, optional=optional)


def load_seed_sectors(path: Path, text_dirs: Sequence[Path] = SEED_TEXT_DIRS) -> GoldDocument:
    """The seed article with the spans of its `sectors:` part (each found through its `in` fragment)."""
    document = load_gold(path, text_dirs)[0]
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    codes = load_taxonomy()
    text, mentions = document.text, []
    for group, optional in (("required", False), ("optional", True)):
        for index, entry in enumerate((data.get("sectors") or {}).get(group) or [], 1):
            where = f"{path}: sectors.{group} {index}"
            if not isinstance(entry, Mapping) or set(entry) != _SEED_SECTOR_KEYS:
                raise GoldError(f"{where}: expected {{in: ..., surface: ..., sector: CODE}}, got {entry!r}")
            fragment = unicodedata.normalize("NFC", entry["in"])
            surface = unicodedata.normalize("NFC", entry["surface"])
            if text.count(fragment) != 1:
                raise GoldError(f"{where}: fragment {fragment!r} occurs {text.count(fragment)} times in the text, not once")
            at = text.index(fragment)
            occurrences = whole_word_occurrences(text, surface)
            inside = [n for n, (start, end) in enumerate(occurrences, 1) if at <= start and end <= at + len(fragment)]
            if len(inside) != 1:
                raise GoldError(f"{where}: surface {surface!r} occurs {len(inside)} times in {fragment!r}, not once")
            if entry["sector"] not in codes:
                raise GoldError(f"{where} ({surface}): unknown sector code {entry['sector']!r}")
            mentions.append(GoldMention(surface, entry["sector"], occurrence=inside[0], optional=optional))
    return replace(document, mentions=tuple(mentions))


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------


@dataclass
class Result:
    name: str  # a language, or "seed"
    documents: list[GoldDocument]
    scores: Scores
    traps: int  # `none` phrases in the gold
    traps_hit: list[Mismatch] = field(default_factory=list)  # predictions on or inside them
    overlap: tuple[float, float] = (0.0, 0.0)  # precision and recall when an overlapping span with the code counts

    def passed(self) -> bool:
        return self.scores.precision >= MIN_PRECISION and self.scores.recall >= MIN_RECALL


def predict(documents: Iterable[GoldDocument]) -> list[PredictedSpan]:
    predicted = []
    for doc in documents:
        for m in find_sectors(doc.text, doc.language):
            if doc.text[m.char_start : m.char_end] != m.surface:
                raise AssertionError(f"{doc.doc_id}: match {m} does not cut its surface from the text")
            predicted.append(PredictedSpan(doc.doc_id, m.char_start, m.char_end, m.surface, m.sector_code))
    return predicted


def evaluate(name: str, documents: list[GoldDocument]) -> Result:
    gold: list[GoldSpan] = [span for doc in documents for span in gold_spans(doc)]
    predicted = predict(documents)
    traps = [g for g in gold if g.label is None]
    hit = [
        Mismatch(p.doc_id, p.start, p.end, p.surface, None, p.label, f"inside trap {t.surface!r}")
        for t in traps
        for p in predicted
        if p.doc_id == t.doc_id and p.start < t.end and t.start < p.end
    ]
    return Result(name, documents, score(predicted, gold), len(traps), hit, overlap_scores(predicted, gold))


def overlap_scores(predicted: Sequence[PredictedSpan], gold: Sequence[GoldSpan]) -> tuple[float, float]:
    """Precision and recall by code when spans need only overlap ("power supply" for gold "power").

    A prediction overlapping an optional gold span of its code counts neither way; one overlapping a `none` phrase
    or nothing is wrong. The exact scores (steppe.dev.quality) are the targets; this says how much of the gap is
    where a span ends rather than which sector it names.
    """
    gold_by_doc: dict[str, list[GoldSpan]] = {}
    for g in gold:
        if g.label is not None:
            gold_by_doc.setdefault(g.doc_id, []).append(g)
    predicted_by_doc: dict[str, list[PredictedSpan]] = {}
    for p in predicted:
        if p.label is not None:
            predicted_by_doc.setdefault(p.doc_id, []).append(p)

    def overlapping(span: Span, others: Sequence[Span]) -> list[Span]:
        return [o for o in others if span.start < o.end and o.start < span.end]

    counted = [p for doc, spans in predicted_by_doc.items() for p in spans
               if not any(g.optional and g.label == p.label for g in overlapping(p, gold_by_doc.get(doc, [])))]
    right = sum(any(g.label == p.label for g in overlapping(p, gold_by_doc.get(p.doc_id, []))) for p in counted)
    required = [g for spans in gold_by_doc.values() for g in spans if not g.optional]
    found = sum(any(p.label == g.label for p in overlapping(g, predicted_by_doc.get(g.doc_id, []))) for g in required)
    return (right / len(counted) if counted else 1.0, found / len(required) if required else 1.0)


def read_results(gold_dir: Path, seed: Path | None, by_split: bool = False) -> list[Result]:
    """One result per language (per language and split with `by_split`), then the seed's."""
    by_language: dict[str, list[GoldDocument]] = {}
    for path in sorted(Path(gold_dir).glob("*.yaml")):
        for doc, split in load_sector_gold_splits(path):
            name = f"{doc.language} {split}" if by_split else doc.language
            by_language.setdefault(name, []).append(doc)
    order = {lang: i for i, lang in enumerate(LANGUAGE_ORDER)}
    results = [evaluate(name, docs) for name, docs in
               sorted(by_language.items(), key=lambda kv: (order.get(kv[0].split()[0], 99), kv[0]))]
    if seed is not None:
        results.append(evaluate("seed (pt)", [load_seed_sectors(seed)]))
    return results


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"…{left}⟦{text[start:end]}⟧{right}…"


def print_report(results: Sequence[Result], seconds: float, details: Sequence[Result] | None = None) -> None:
    print(f"sectors: steppe.analyse.sectors.find_sectors against the sector gold ({seconds:.2f} s); "
          f"targets precision >= {MIN_PRECISION}, recall >= {MIN_RECALL} (exact spans; P~ and R~: overlapping "
          "spans with the right code count)\n")
    print(f"{'gold':<10} {'docs':>4} {'spans':>5} {'predicted':>9} {'TP':>4} {'FP':>4} {'missed':>6} "
          f"{'opt.hits':>8} {'traps hit':>9} {'precision':>9} {'recall':>6} {'F1':>6} {'P~':>6} {'R~':>6}")
    for r in results:
        s = r.scores
        mark = "" if r.passed() else "   <- below target"
        print(f"{r.name:<10} {len(r.documents):>4} {s.gold:>5} {s.predicted:>9} {s.true_positives:>4} "
              f"{len(s.false_positives):>4} {len(s.misses):>6} {s.optional_hits:>8} "
              f"{f'{len(r.traps_hit)}/{r.traps}':>9} {s.precision:>9.3f} {s.recall:>6.3f} {s.f1:>6.3f} "
              f"{r.overlap[0]:>6.3f} {r.overlap[1]:>6.3f}{mark}")
    for r in results if details is None else details:
        texts = {doc.doc_id: doc.text for doc in r.documents}
        print(f"\n== {r.name}: misses ({len(r.scores.misses)})")
        for m in r.scores.misses:
            got = f", got {m.predicted}" if m.predicted else ""
            print(f"  {m.doc_id} {m.surface!r} {m.gold}: {m.reason}{got}  {_context(texts[m.doc_id], m.start, m.end)}")
        print(f"== {r.name}: false positives ({len(r.scores.false_positives)})")
        for m in r.scores.false_positives:
            gold = f" (gold: {m.gold})" if m.gold else ""
            print(f"  {m.doc_id} {m.surface!r} {m.predicted}: {m.reason}{gold}  "
                  f"{_context(texts[m.doc_id], m.start, m.end)}")
        if r.traps_hit:
            print(f"== {r.name}: traps that produced a match ({len(r.traps_hit)})")
            for m in r.traps_hit:
                print(f"  {m.doc_id} {m.surface!r} {m.predicted}: {m.reason}")


# ---------------------------------------------------------------------------
# Corpus mode
# ---------------------------------------------------------------------------


def read_corpus(path: Path) -> list[str]:
    """The texts of a JSON-lines corpus (plain or gzip), NFC as ingest hands them on."""
    return [normalise_text(record["text"]) for record in read_records(path, None)]


def corpus_report(path: Path, language: str, sample: int, seed: int) -> None:
    texts = read_corpus(path)
    started = time.perf_counter()
    found = [(i, m) for i, text in enumerate(texts) for m in find_sectors(text, language)]
    seconds = time.perf_counter() - started
    characters = sum(len(t) for t in texts)
    counts = Counter(m.sector_code for _, m in found)
    print(f"corpus: {path} ({len(texts)} documents, {characters / 1e6:.1f} M characters, language {language})")
    print(f"{len(found)} matches in {seconds:.2f} s ({characters / 1e6 / seconds:.1f} M characters/s)\n")
    print(f"{'code':<26} {'matches':>7} {'documents':>9}  most frequent surfaces")
    documents = {code: len({i for i, m in found if m.sector_code == code}) for code in counts}
    for code in sorted(load_taxonomy()):
        surfaces = Counter(m.surface.lower() for _, m in found if m.sector_code == code).most_common(4)
        shown = ", ".join(f"{s} {n}" for s, n in surfaces)
        print(f"{code:<26} {counts.get(code, 0):>7} {documents.get(code, 0):>9}  {shown}")

    picked = random.Random(seed).sample(found, min(sample, len(found)))
    print(f"\n{len(picked)} random matches (seed {seed}), in their sentences, for a person to judge:")
    for n, (i, m) in enumerate(picked, 1):
        text = texts[i]
        start, end = next(((s, e) for s, e in split_sentences(text, language) if s <= m.char_start < e),
                          (m.char_start, m.char_end))
        start, end = max(start, m.char_start - 200), min(end, m.char_end + 200)
        sentence = text[start : m.char_start] + f"⟦{m.surface}⟧" + text[m.char_end : end]
        print(f"{n:>3}. {m.sector_code} {m.surface!r} (doc {i}): {' '.join(sentence.split())}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold-dir", type=Path, default=DEFAULT_GOLD_DIR, help="folder of <language>.yaml sector gold")
    parser.add_argument("--seed-gold", type=Path, default=DEFAULT_SEED, help="the seed gold (its `sectors:` part)")
    parser.add_argument("--no-seed", action="store_true", help="leave the seed gold out")
    parser.add_argument("--news-only", action="store_true", help="leave the written gold and the seed out")
    parser.add_argument("--heldout-details", action="store_true",
                        help="also list the misses and false positives of the held-out gold (do not tune on them)")
    parser.add_argument("--check", action="store_true",
                        help=f"exit 1 when a language is below precision {MIN_PRECISION} or recall {MIN_RECALL}")
    parser.add_argument("--corpus", nargs="?", const=DEFAULT_CORPUS, type=Path, default=None, metavar="PATH",
                        help="count matches on a JSON-lines corpus (field `text`) and sample some")
    parser.add_argument("--language", default="pt", help="language of the corpus (default pt)")
    parser.add_argument("--sample", type=int, default=20, help="random matches to print in corpus mode")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the sample")
    args = parser.parse_args(argv)

    if args.corpus is not None:
        corpus_report(args.corpus, args.language, args.sample, args.seed)
        return 0
    started = time.perf_counter()
    try:
        results = read_results(args.gold_dir, None, by_split=True)
        written = [] if args.news_only else read_results(WRITTEN_GOLD_DIR, None if args.no_seed else args.seed_gold)
    except GoldError as error:
        print(f"sectors_report: invalid gold: {error}", file=sys.stderr)
        return 1 if args.check else 0
    seconds = time.perf_counter() - started
    # Mismatches of held-out gold are not printed unless asked: patterns are tuned on dev only.
    print_report(results, seconds, details=[r for r in results if args.heldout_details or "heldout" not in r.name])
    if written:
        print("\n\nWritten gold (quality/gold/sectors/*.yaml, examples of the rules) and the seed:\n")
        print_report(written, seconds)
    return 1 if args.check and not all(r.passed() for r in results) else 0

if __name__ == "__main__":
    sys.exit(main())
