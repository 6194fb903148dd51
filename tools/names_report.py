"""Precision and recall of the mention finder against the hand-made names gold.

Runs `steppe.analyse.names.mentions.find_mentions` on every document of quality/gold/names/
(ru, kk, en, pt) and of the seed annotation in ../shared/gold/seed.gold.yaml,
and prints per language: gold mentions, resolved predictions, true positives,
precision, recall and F1, then every miss and false positive with its
document and surface, the `entity: null` names (which must stay unresolved),
and the gold names the registry lacks. Matching rules: src/steppe/dev/quality.py.

Gold names are canonical English names; they are turned into entity ids
through the registry (`canonical_name`, or an entity id written as is). A gold
mention whose name the registry lacks cannot be found by any finder: it is
left out of recall, and resolving it to anything counts as a false positive,
as for `entity: null`. Such names are listed so that curators can add them.

    uv run python tools/names_report.py
    uv run python tools/names_report.py --json names.json --check   # exit 1 below P 0.95 / R 0.90

It is a report: it exits 0 whatever the scores, unless --check is given.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from steppe.dev.gold import (
    SEED_GOLD,
    SEED_TEXT_DIRS,
    GoldDocument,
    GoldError,
    GoldSpan,
    gold_spans,
    load_gold,
)
from steppe.dev.quality import (
    Mismatch,
    PredictedSpan,
    Scores,
    match_key,
    relabel,
    score,
)
from steppe.languages import SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD_DIR = ROOT / "quality/gold/names"
DEFAULT_SEED = SEED_GOLD
MIN_PRECISION = 0.95
MIN_RECALL = 0.90

Finder = Callable[[str, str, date | None], Sequence[Any]]  # find_mentions(text, language, published)


@dataclass
class LanguageResult:
    language: str
    files: dict[str, list[GoldDocument]] = field(default_factory=dict)
    scores: Scores | None = None
    by_file: dict[str, Scores] = field(default_factory=dict)
    null_total: int = 0  # gold `entity: null` spans
    null_unresolved: int = 0  # ... that the finder surfaced as unresolved
    null_resolved: int = 0  # ... that the finder resolved (false positives)

    @property
    def documents(self) -> int:
        return sum(len(docs) for docs in self.files.values())

    def passed(self) -> bool:
        assert self.scores is not None
        return self.scores.precision >= MIN_PRECISION and self.scores.recall >= MIN_RECALL


def read_gold(gold_dir: Path, seed: Path | None) -> list[tuple[str, list[GoldDocument]]]:
    """(file name, documents) for every *.yaml in gold_dir, then the seed if given."""
    files = [(path.name, load_gold(path)) for path in sorted(Path(gold_dir).glob("*.yaml"))]
    if seed is not None:
        files.append((Path(seed).name, load_gold(seed, text_dirs=SEED_TEXT_DIRS)))
    return files


def entity_ids_by_name(registry: Any) -> tuple[dict[str, str], set[str]]:
    """canonical name -> entity_id (entity ids map to themselves), and canonical names held by several entities."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for entity_id, entity in registry.entities.items():
        by_name[entity.canonical_name].add(entity_id)
    mapping = {name: next(iter(ids)) for name, ids in by_name.items() if len(ids) == 1}
    mapping.update({entity_id: entity_id for entity_id in registry.entities})
    return mapping, {name for name, ids in by_name.items() if len(ids) > 1}


def predict(docs: Sequence[GoldDocument], finder: Finder, failures: list[str]) -> list[PredictedSpan]:
    spans = []
    for doc in docs:
        try:
            mentions = finder(doc.text, doc.language, doc.published)
        except Exception as error:  # noqa: BLE001 (a report goes on; the failure is printed and fails --check)
            failures.append(f"{doc.doc_id}: find_mentions raised {type(error).__name__}: {error}")
            continue
        for m in mentions:
            surface = doc.text[m.char_start : m.char_end]
            if surface != m.surface:
                failures.append(f"{doc.doc_id}: mention {m.surface!r} at {m.char_start}-{m.char_end} "
                                f"does not match the text there ({surface!r})")
            spans.append(PredictedSpan(doc.doc_id, m.char_start, m.char_end, surface, m.entity_id,
                                       getattr(m, "method", None)))
    return spans


def evaluate(
    gold_files: Sequence[tuple[str, list[GoldDocument]]],
    finder: Finder,
    registry: Any,
) -> tuple[dict[str, LanguageResult], dict[str, list[tuple[str, str]]], set[str], list[str]]:
    """Scores per language, the gold names the registry lacks (with examples), ambiguous names, failures."""
    ids, ambiguous = entity_ids_by_name(registry)
    lacking: dict[str, list[tuple[str, str]]] = defaultdict(list)
    failures: list[str] = []
    results: dict[str, LanguageResult] = {}
    per_language: dict[str, tuple[list[GoldSpan], list[PredictedSpan]]] = defaultdict(lambda: ([], []))
    must_stay_unresolved: dict[str, list[GoldSpan]] = defaultdict(list)  # gold `entity: null`
    for file_name, docs in gold_files:
        file_gold: list[GoldSpan] = []
        for doc in docs:
            spans = gold_spans(doc)
            for span in spans:
                if span.label is None:
                    must_stay_unresolved[doc.language].append(span)
                elif span.label not in ids:
                    lacking[span.label].append((doc.doc_id, span.surface))
            file_gold.extend(relabel(spans, ids))
        file_predicted = predict(docs, finder, failures)
        language = docs[0].language
        result = results.setdefault(language, LanguageResult(language))
        result.files[file_name] = docs
        result.by_file[file_name] = score(file_predicted, file_gold)
        gold, predicted = per_language[language]
        gold.extend(file_gold)
        predicted.extend(file_predicted)
    for language, (gold, predicted) in per_language.items():
        result = results[language]
        result.scores = score(predicted, gold)
        predicted_at = defaultdict(set)
        for span in predicted:
            predicted_at[match_key(span)].add(span.label is not None)
        for span in must_stay_unresolved[language]:
            found = predicted_at.get(match_key(span), set())
            result.null_total += 1
            result.null_resolved += True in found
            result.null_unresolved += found == {False}
    ordered = {lang: results[lang] for lang in (*SUPPORTED_LANGUAGES, *sorted(results)) if lang in results}
    return ordered, dict(lacking), ambiguous, failures


def _name(registry: Any, label: str | None) -> str:
    if label is None:
        return "-"
    entity = registry.entities.get(label)
    return entity.canonical_name if entity is not None else label


def _row(label: str, docs: int, s: Scores) -> str:
    return (f"{label:<20} {docs:>5} {s.gold:>5} {s.predicted:>9} {s.true_positives:>5} {len(s.false_positives):>5} "
            f"{len(s.misses):>6} {s.optional_hits:>8} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}")


def print_report(results: Mapping[str, LanguageResult], lacking: Mapping[str, list[tuple[str, str]]],
                 ambiguous: set[str], failures: Sequence[str], registry: Any, seconds: float) -> None:
    print(f"names: steppe.analyse.names.mentions.find_mentions against the gold ({len(registry.entities)} registry entities, "
          f"{seconds:.2f} s); targets precision >= {MIN_PRECISION}, recall >= {MIN_RECALL}\n")
    print(f"{'language / file':<20} {'docs':>5} {'gold':>5} {'predicted':>9} {'TP':>5} {'FP':>5} "
          f"{'missed':>6} {'opt.hits':>8} {'precision':>9} {'recall':>7} {'F1':>6}")
    for language, result in results.items():
        assert result.scores is not None
        mark = "" if result.passed() else "   <- below target"
        print(_row(language, result.documents, result.scores) + mark)
        if len(result.files) > 1:
            for file_name, docs in result.files.items():
                print(_row(f"  {file_name}", len(docs), result.by_file[file_name]))
    print("\n`entity: null` names (must stay unresolved):")
    for language, result in results.items():
        print(f"  {language}: {result.null_total} in gold, {result.null_unresolved} surfaced as unresolved, "
              f"{result.null_resolved} resolved (false positives)")

    gold_lacks = {(doc_id, surface) for examples in lacking.values() for doc_id, surface in examples}

    def line(m: Mismatch, side: str) -> str:
        text = f"  {m.doc_id} @{m.start} {m.surface!r}: "
        if side == "miss":
            text += f"{_name(registry, m.gold)}; {m.reason}"
            if m.predicted is not None:
                text += f" (got {_name(registry, m.predicted)}, {m.method})"
        else:
            text += f"{_name(registry, m.predicted)} ({m.method}); {m.reason}"
            if m.gold is not None:
                text += f" (gold: {_name(registry, m.gold)})"
            elif (m.doc_id, m.surface) in gold_lacks:
                text += " (gold names an entity the registry lacks)"
        return text

    for language, result in results.items():
        assert result.scores is not None
        print(f"\n== {language}: misses ({len(result.scores.misses)}): gold not found or wrong entity")
        for m in result.scores.misses:
            print(line(m, "miss"))
        print(f"== {language}: false positives ({len(result.scores.false_positives)}): "
              "resolved mentions not in the gold, or to the wrong entity")
        for m in result.scores.false_positives:
            print(line(m, "fp"))

    print(f"\n== gold names the registry lacks ({len(lacking)}; left out of recall, add them to the registry)")
    for name, examples in sorted(lacking.items(), key=lambda item: (-len(item[1]), item[0])):
        shown = ", ".join(f"{doc_id} {surface!r}" for doc_id, surface in examples[:3])
        print(f"  {name}: {len(examples)} mention(s), e.g. {shown}")
    if ambiguous:
        print(f"== canonical names held by several entities (gold cannot name them): {', '.join(sorted(ambiguous))}")
    if failures:
        print(f"\n== finder problems ({len(failures)})")
        for failure in failures:
            print(f"  {failure}")


def report_json(results: Mapping[str, LanguageResult], lacking: Mapping[str, list[tuple[str, str]]],
                failures: Sequence[str]) -> dict[str, Any]:
    languages = {}
    for language, result in results.items():
        assert result.scores is not None
        languages[language] = {
            "documents": result.documents,
            **result.scores.as_dict(),
            "passed": result.passed(),
            "null_entity": {"gold": result.null_total, "unresolved": result.null_unresolved,
                            "resolved": result.null_resolved},
            "files": {name: {"documents": len(result.files[name]), **s.as_dict()}
                      for name, s in result.by_file.items()},
        }
    return {
        "thresholds": {"precision": MIN_PRECISION, "recall": MIN_RECALL},
        "languages": languages,
        "registry_lacks": {name: len(examples) for name, examples in sorted(lacking.items())},
        "finder_problems": len(failures),
        "passed": all(r.passed() for r in results.values()) and not failures,
    }


def main(argv: Sequence[str] | None = None, *, finder: Finder | None = None, registry: Any = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold-dir", type=Path, default=DEFAULT_GOLD_DIR, help="folder of <language>.yaml gold files")
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED, help="the seed gold (seed.gold.yaml format)")
    parser.add_argument("--no-seed", action="store_true", help="leave the seed gold out")
    parser.add_argument("--registry", type=Path, default=None, help="registry folder (default: the package's)")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="write the numbers here")
    parser.add_argument("--check", action="store_true",
                        help=f"exit 1 when a language is below precision {MIN_PRECISION} or recall {MIN_RECALL}")
    args = parser.parse_args(argv)
    failed = 1 if args.check else 0

    try:
        gold_files = read_gold(args.gold_dir, None if args.no_seed else args.seed)
    except GoldError as error:
        print(f"names_report: invalid gold: {error}", file=sys.stderr)
        return failed
    if registry is None:
        from steppe.analyse.names.registry import RegistryError, load_registry

        try:
            registry = load_registry(args.registry)
        except (RegistryError, OSError) as error:
            print(f"names_report: cannot load the registry: {error}", file=sys.stderr)
            return failed
    if finder is None:
        try:
            from steppe.analyse.names.mentions import find_mentions
        except ImportError as error:
            print(f"names_report: no mention finder yet ({error})", file=sys.stderr)
            return failed
        finder = find_mentions

    started = time.perf_counter()
    try:
        results, lacking, ambiguous, failures = evaluate(gold_files, finder, registry)
    except GoldError as error:
        print(f"names_report: invalid gold: {error}", file=sys.stderr)
        return failed
    print_report(results, lacking, ambiguous, failures, registry, time.perf_counter() - started)
    numbers = report_json(results, lacking, failures)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(numbers, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0 if numbers["passed"] or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
