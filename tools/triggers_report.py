"""How well triggers are found and typed, per language, on real news: the event-type report of issue 20.

1. Event types on quality/gold/actors/<language>.yaml (sentences sampled from
   real articles and annotated by hand; `split: heldout` is scored, never
   tuned on). Each sentence is coded in its article where a corpus holds it
   (as a release codes it), else alone; the events whose trigger starts in
   the sentence are its coded events. Per language and split:
   - CAMEO root: a coded event and a gold event agree when they have the
     same root (first two digits) and the same status (fact, or negated:
     denied, planned, possible). Each gold event is matched once: first the
     coded event whose trigger overlaps its trigger words, then any coded
     event of the same root and status. Micro precision, recall and F1.
   - PLOVER type: the same, with the root's PLOVER type (codebook crosswalk);
     root 01 (statements) has no PLOVER type and is left out on both sides.
   - negated as fact: gold events that are negated, planned or conditional,
     for which the coder gives an event of the same root as a fact on the
     same trigger words. The target is none.
2. On the corpora (the Portuguese Fake.br articles, every
   quality/corpora/<language>.jsonl, and any --corpus): events dated after
   their article's publication date (the target is none), and, in Russian,
   events whose trigger holds a form of пытаться ("to try", which the old
   stem пытал* took for пытать, "to torture").

    uv run python tools/triggers_report.py                        # gold and corpora
    uv run python tools/triggers_report.py --skip-corpus          # gold only
    uv run python tools/triggers_report.py --corpus /tmp/ru.jsonl:ru   # the rebuilt ru sample (quality/corpora/README.md)
    uv run python tools/triggers_report.py --verbose              # every disagreement on dev
    uv run python tools/triggers_report.py --skip-corpus --roots  # per CAMEO root on dev: where to grow the lexicons

It is a report: it exits 0 whatever the scores.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from steppe.analyse.events.code import Event
from steppe.analyse.events.codebook import plover_type

sys.path.insert(0, str(Path(__file__).resolve().parent))
from actors_report import GOLD, ROOT, Articles, code, corpora, published_of  # noqa: E402


def _status(negated: bool) -> str:
    return "negated" if negated else "fact"


def _plover(root: str) -> str | None:
    return plover_type(root + "0") if root.isdigit() else None


def _overlaps(event: Event, text: str, trigger: str) -> bool:
    at = text.find(trigger) if trigger else -1
    return at >= 0 and event.char_start < at + len(trigger) and at < event.char_end


def gold_labels(events: list[dict[str, Any]], kind: str) -> list[tuple[dict[str, Any], str, str]]:
    """(event, label, status) of annotated events with a label: the CAMEO root (`kind` "cameo") or its PLOVER type."""
    out = []
    for g in events or []:
        root = str(g.get("cameo_root", ""))[:2]
        lab = root if kind == "cameo" else _plover(root)
        if lab:
            out.append((g, lab, _status(bool(g.get("negated")))))
    return out


def match_events(golds: list[tuple[Any, str, str]], other: list[tuple[Any, str, str]], overlaps: Callable[[Any, Any], bool]) -> dict[int, int]:
    """Index in `golds` -> index in `other`: each gold event is matched once, to an event of the same label and
    status, first one for which `overlaps(gold, event)` (their trigger words overlap), else the first."""
    taken: dict[int, int] = {}
    used: set[int] = set()
    for k, (g, lab, status) in enumerate(golds):
        options = [i for i, (_, lab2, st2) in enumerate(other) if i not in used and lab2 == lab and st2 == status]
        pick = next((i for i in options if overlaps(g, other[i][0])), options[0] if options else None)
        if pick is not None:
            taken[k] = pick
            used.add(pick)
    return taken


def score_sentence(text: str, gold: list[dict[str, Any]], events: list[Event], kind: str) -> tuple[int, int, int, list[str], Counter]:
    """(tp, fp, fn, notes, by label) for one sentence; `kind` is "cameo" (root) or "plover" (type);
    `by label` counts (label, "gold"|"tp"|"miss"|"false")."""
    golds = gold_labels(gold, kind)
    coded = [(e, lab, _status(e.negated)) for e in events if (lab := e.cameo_code[:2] if kind == "cameo" else _plover(e.cameo_code[:2]))]
    pairs = match_events(golds, coded, lambda g, e: _overlaps(e, text, str(g.get("trigger") or "")))
    taken = set(pairs.values())
    unmatched = [f"miss {lab} {status} {str(g.get('trigger') or '')!r}" for k, (g, lab, status) in enumerate(golds) if k not in pairs]
    extra = [f"false {lab} {st} {e.trigger!r} ({e.cameo_code})" for i, (e, lab, st) in enumerate(coded) if i not in taken]
    by_label: Counter = Counter()
    for _, lab, _ in golds:
        by_label[lab, "gold"] += 1
    for i, (_, lab, _) in enumerate(coded):
        by_label[lab, "tp" if i in taken else "false"] += 1
    by_label.update((lab, "miss") for note in unmatched for lab in (note.split()[1],))
    return len(pairs), len(coded) - len(taken), len(golds) - len(pairs), unmatched + extra, by_label


def negated_as_fact(text: str, gold: list[dict[str, Any]], events: list[Event]) -> list[str]:
    out = []
    for g in gold:
        if not g.get("negated"):
            continue
        root, trigger = str(g.get("cameo_root", ""))[:2], str(g.get("trigger") or "")
        for e in events:
            if not e.negated and e.cameo_code[:2] == root and _overlaps(e, text, trigger):
                out.append(f"{e.cameo_code} {e.trigger!r} coded as a fact")
    return out


def gold_report(path: Path, articles: Articles, verbose: bool) -> tuple[str, dict[str, Counter], list[str], dict[str, Counter]]:
    """A language's scores per split, the dev disagreements (if `verbose`), and per split the
    CAMEO roots' counts ((root, "gold"|"tp"|"miss"|"false"))."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    language = data["language"]
    scores: dict[str, Counter] = defaultdict(Counter)
    roots: dict[str, Counter] = defaultdict(Counter)
    details: list[str] = []
    for item in data["sentences"]:
        split = item.get("split", "dev")
        source = item.get("source") or {}
        published = date.fromisoformat(str(source["published"])) if source.get("published") else None
        text = unicodedata.normalize("NFC", item["text"])
        events, _ = articles.events_of(text, language, published)
        gold = item.get("events") or []
        s = scores[split]
        s["sentences"] += 1
        for kind in ("cameo", "plover"):
            tp, fp, fn, notes, by_label = score_sentence(text, gold, events, kind)
            if kind == "cameo":
                roots[split].update(by_label)
            s[f"{kind}_tp"] += tp
            s[f"{kind}_fp"] += fp
            s[f"{kind}_fn"] += fn
            if verbose and kind == "cameo" and notes and split == "dev":
                details.append(f"  {item.get('id', '?')}: " + "; ".join(notes) + f" | {text[:160]}")
        wrong = negated_as_fact(text, gold, events)
        s["negated_gold"] += sum(bool(g.get("negated")) for g in gold)
        s["negated_as_fact"] += len(wrong)
        if wrong and (verbose and split == "dev"):
            details.append(f"  {item.get('id', '?')}: negated gold coded as fact: " + "; ".join(wrong))
    return language, scores, details, roots


def root_table(counts: Counter) -> list[str]:
    """Per CAMEO root: gold events, found, missed, coded where gold has none; most errors first."""
    labels = sorted({lab for lab, _ in counts}, key=lambda lab: (-(counts[lab, "miss"] + counts[lab, "false"]), lab))
    lines = ["    root  gold  found  missed  false"]
    for lab in labels:
        lines.append(f"    {lab:>4}  {counts[lab, 'gold']:>4}  {counts[lab, 'tp']:>5}  {counts[lab, 'miss']:>6}  {counts[lab, 'false']:>5}")
    return lines


def prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {tp}, fp {fp}, fn {fn})"


def corpus_checks(records: list[dict[str, Any]], language: str) -> Counter:
    """Events dated after publication; Russian events on a form of пытаться."""
    out: Counter = Counter()
    morph = None
    if language == "ru":
        import pymorphy3

        morph = pymorphy3.MorphAnalyzer(lang="ru")
    for record in records:
        lang = record.get("language") or language
        published = published_of(record, lang)
        for e in code(record["text"], lang, published):
            out["events"] += 1
            if published is not None:
                out["dated"] += 1
                out["after_publication"] += e.event_date is not None and e.event_date > published
            if morph is not None and lang == "ru":
                words = e.trigger.lower().split()
                if any(p.normal_form == "пытаться" for w in words for p in morph.parse(w.strip(".,;:«»\"'()"))[:1]):
                    out["пытаться"] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="articles per corpus (default: all)")
    parser.add_argument("--skip-corpus", action="store_true", help="only the gold")
    parser.add_argument("--corpus", action="append", default=[], metavar="PATH:LANG", help="one more JSON-lines corpus and its default language")
    parser.add_argument("--verbose", action="store_true", help="every disagreement on the dev split (the heldout split is only scored)")
    parser.add_argument("--roots", action="store_true", help="per CAMEO root on the dev split: gold events, found, missed, false")
    args = parser.parse_args(argv)

    every: list[dict[str, Any]] = []
    for path, language, records in corpora(args.corpus, args.limit):
        every += [dict(r, language=r.get("language") or language) for r in records]
        if not args.skip_corpus:
            c = corpus_checks(records, language)
            line = f"== corpus {path.name} [{language}]: {len(records)} articles, {c['events']} events; dated after publication: {c['after_publication']} of {c['dated']} with a publication date"
            if language == "ru":
                line += f"; on a form of пытаться: {c['пытаться']}"
            print(line)
    articles = Articles(every)
    totals: dict[str, Counter] = defaultdict(Counter)
    for path in sorted(GOLD.glob("*.yaml")):
        language, scores, details, roots = gold_report(path, articles, args.verbose)
        print(f"== event types: {path.relative_to(ROOT)} [{language}]")
        for split in ("dev", "heldout"):
            s = scores.get(split)
            if not s:
                continue
            totals[split].update(s)
            print(f"  {split:8} CAMEO root:  {prf(s['cameo_tp'], s['cameo_fp'], s['cameo_fn'])}")
            print(f"  {split:8} PLOVER type: {prf(s['plover_tp'], s['plover_fp'], s['plover_fn'])}")
            print(f"  {split:8} negated, planned or conditional gold events coded as facts: {s['negated_as_fact']} of {s['negated_gold']}")
        if args.roots and roots.get("dev"):
            print("  dev per CAMEO root:")
            for line in root_table(roots["dev"]):
                print(line)
        for line in details:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
