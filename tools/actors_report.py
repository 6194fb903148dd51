"""Who the events' actors are: actor codes on real news, and dyad agreement with the actor gold.

1. Coverage, on real news: the 3,600 Portuguese articles of
   ../shared/corpora/fakebr-pt and every quality/corpora/<language>.jsonl
   sample (real articles in ru, kk and en, see quality/corpora/README.md).
   Each article goes through the analysis stages as a release builds it
   (sentences, names, events), and per language the report gives:
   - the share of events with an actor on both sides, and with a country on
     both sides (source_country and target_country set), of all events and of
     those with an actor on both;
   - the share with both sides a named or agent actor (basis registry, role,
     agent, capital or unlinked), not `context` and not missing;
   - each side's basis and type, and the most frequent country dyads.
2. Dyad agreement, on quality/gold/actors/<language>.yaml (sentences sampled
   from real articles, annotated by hand; `split: heldout` never tuned on):
   every gold event whose source and target countries are both given is
   looked for among the events coded on its sentence (the one whose trigger
   overlaps the gold trigger, else one of the gold CAMEO root); it agrees
   when both countries are the gold ones (an IGO code counts as "IGO" when
   the gold writes IGO alone). Also the share of found events whose side the
   gold leaves empty (the sentence names no one there: "Об этом сообщает ИА
   ...", no one told) that the coder leaves empty too. A sentence is coded in its article where one
   of the corpora holds it (as a release codes it: the article gives the
   context), else alone. Also: events found at all, and per-side country and
   type agreement.

    uv run python tools/actors_report.py
    uv run python tools/actors_report.py --limit 500 --skip-corpus   # gold only, or a quick corpus pass
    uv run python tools/actors_report.py --corpus /tmp/ru.jsonl:ru   # and a rebuilt sample
    uv run python tools/actors_report.py --verbose                   # every disagreement on dev

It is a report: it exits 0 whatever the scores.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from steppe.analyse.events.code import Event, code_events
from steppe.analyse.names.mentions import find_mentions
from steppe.analyse.sentences import split_sentences
from steppe.dates import parse_date

sys.path.insert(0, str(Path(__file__).resolve().parent))
from unresolved_report import read_corpus  # noqa: E402  (the same JSON-lines reader)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PT_CORPUS = SHARED / "corpora/fakebr-pt/articles.jsonl.gz"
SAMPLES = ROOT / "quality/corpora"
GOLD = ROOT / "quality/gold/actors"
NAMED = frozenset({"registry", "role", "agent", "capital", "unlinked"})


def published_of(record: dict[str, Any], language: str) -> date | None:
    value = record.get("published_at") or record.get("published")
    if not value:
        return None
    try:
        return parse_date(value, language).date()
    except (ValueError, TypeError):
        return None


def code(text: str, language: str, published: date | None) -> list[Event]:
    text = unicodedata.normalize("NFC", text)
    sentences = split_sentences(text, language)
    return code_events(text, language, published, sentences, find_mentions(text, language, published, sentences))


def coverage(records: list[dict[str, Any]], default_language: str) -> dict[str, dict[str, Any]]:
    by_language: dict[str, dict[str, Any]] = defaultdict(lambda: {"events": 0, "docs": 0, "both_country": 0, "both_named": 0, "both_sides": 0,
                                                                   "basis": Counter(), "type": Counter(), "dyads": Counter()})
    for record in records:
        language = record.get("language") or default_language
        events = code(record["text"], language, published_of(record, language))
        s = by_language[language]
        s["docs"] += 1
        for e in events:
            s["events"] += 1
            s["both_country"] += bool(e.source_country and e.target_country)
            s["both_sides"] += e.source_basis is not None and e.target_basis is not None
            s["both_named"] += e.source_basis in NAMED and e.target_basis in NAMED
            for basis, kind in ((e.source_basis, e.source_type), (e.target_basis, e.target_type)):
                s["basis"][basis or "none"] += 1
                s["type"][kind or "none"] += 1
            if e.source_country and e.target_country:
                s["dyads"][f"{e.source_country}-{e.target_country}"] += 1
    return by_language


def _country(code: str | None) -> str | None:
    return "IGO" if code and code.startswith("IGO") else code


def _same(coded: str | None, gold: str | None) -> bool:
    """The coded country is the gold one; any IGO code is the gold's plain "IGO"."""
    return coded == gold or (gold == "IGO" and _country(coded) == "IGO")


def _find(gold_event: dict[str, Any], text: str, events: list[Event], taken: set[int]) -> Event | None:
    trigger = str(gold_event.get("trigger") or "")
    at = text.find(trigger) if trigger else -1
    root = str(gold_event.get("cameo_root", ""))[:2]
    free = [e for e in events if id(e) not in taken]
    if at >= 0:
        for e in free:
            if e.char_start < at + len(trigger) and at < e.char_end:
                return e
    return next((e for e in free if e.cameo_code[:2] == root), None)


class Articles:
    """The articles the gold sentences come from, when a corpus holds them: a sentence is coded in
    its article, as a release codes it (the article gives the context country), not alone."""

    def __init__(self, records: list[dict[str, Any]]):
        self.texts = [unicodedata.normalize("NFC", r["text"]) for r in records]
        self.records = records
        self.coded: dict[int, list[Event]] = {}

    def events_of(self, sentence: str, language: str, published: date | None) -> tuple[list[Event], bool]:
        """The events coded on `sentence` (those whose trigger starts in it), with offsets into the
        sentence, and whether its article was found."""
        for n, text in enumerate(self.texts):
            at = text.find(sentence)
            if at < 0:
                continue
            if n not in self.coded:
                self.coded[n] = code(text, language, published_of(self.records[n], language) or published)
            # An event the article reports twice is one row (deduplicated within the document); its
            # evidence spans say every place it was found, so it is this sentence's too.
            inside = []
            for e in self.coded[n]:
                spans = [(s, t) for s, t in (e.evidence_spans or ((e.char_start, e.char_end),)) if at <= s < at + len(sentence)]
                if spans:
                    inside.append(replace(e, char_start=spans[0][0] - at, char_end=spans[0][1] - at))
            return inside, True
        return code(sentence, language, published), False


def gold_report(path: Path, verbose: bool, articles: Articles) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    language = data["language"]
    scores: dict[str, Counter] = defaultdict(Counter)
    details = []
    for item in data["sentences"]:
        split = item.get("split", "dev")
        source = item.get("source") or {}
        published = date.fromisoformat(str(source["published"])) if source.get("published") else None
        text = unicodedata.normalize("NFC", item["text"])
        events, in_article = articles.events_of(text, language, published)
        scores[split]["in_article"] += in_article
        scores[split]["sentences"] += 1
        taken: set[int] = set()
        s = scores[split]
        for g in item.get("events") or []:
            gs, gt = g.get("source") or {}, g.get("target") or {}
            s["gold_events"] += 1
            found = _find(g, text, events, taken)
            if found is None:
                continue
            taken.add(id(found))
            s["found"] += 1
            for side, gold_side in (("source", gs), ("target", gt)):
                if not gold_side:  # the sentence names no one there: a coded actor on that side is spurious
                    s[f"{side}_none_judged"] += 1
                    s[f"{side}_none_agree"] += getattr(found, f"{side}_text") is None
                if gold_side.get("country"):
                    s[f"{side}_judged"] += 1
                    s[f"{side}_agree"] += _same(getattr(found, f"{side}_country"), gold_side["country"])
                if gold_side.get("type"):
                    s[f"{side}_type_judged"] += 1
                    s[f"{side}_type_agree"] += getattr(found, f"{side}_type") == gold_side["type"]
            if gs.get("country") and gt.get("country"):
                s["dyads"] += 1
                ok = _same(found.source_country, gs["country"]) and _same(found.target_country, gt["country"])
                s["dyad_agree"] += ok
                if verbose and not ok and split == "dev":
                    details.append(
                        f"  {item['id']} ({split}) gold {gs.get('country')}->{gt.get('country')} coded "
                        f"{found.source_country}({found.source_basis}) {found.source_text!r} -> {found.target_country}({found.target_basis}) "
                        f"{found.target_text!r} on {found.cameo_code} {found.trigger!r} | {text[:140]}"
                    )
    return {"language": language, "scores": scores, "details": details}


def _pct(a: int, b: int) -> str:
    return f"{a / b:.1%} ({a}/{b})" if b else "n/a"


def corpora(extra: list[str], limit: int | None) -> Iterator[tuple[Path, str, list[dict[str, Any]]]]:
    """(path, default language, records) of every corpus: the Portuguese Fake.br articles, each
    quality/corpora/<language>.jsonl, and each PATH:LANG of `extra`; a missing one is reported and skipped."""
    listed = [(PT_CORPUS, "pt")] + [(p, p.stem.split(".")[0]) for p in sorted(SAMPLES.glob("*.jsonl"))]
    listed += [(Path(c.rsplit(":", 1)[0]), c.rsplit(":", 1)[1]) for c in extra]
    for path, language in listed:
        if not path.exists():
            print(f"== {path}: missing, skipped")
            continue
        yield path, language, read_corpus(path, limit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="articles per corpus (default: all)")
    parser.add_argument("--skip-corpus", action="store_true", help="only the gold")
    parser.add_argument("--corpus", action="append", default=[], metavar="PATH:LANG",
                        help="one more JSON-lines corpus and its default language (the rebuilt ru sample of quality/corpora/README.md)")
    parser.add_argument("--verbose", action="store_true", help="every disagreement on the dev split (the heldout split is only scored)")
    args = parser.parse_args(argv)

    every: list[dict[str, Any]] = []
    for path, language, records in corpora(args.corpus, args.limit):
        every += [dict(r, language=r.get("language") or language) for r in records]
        if not args.skip_corpus:
            for lang, s in sorted(coverage(records, language).items()):
                n = s["events"]
                print(f"== coverage: {path.name} [{lang}], {s['docs']} articles, {n} events")
                print(f"  an actor on both sides:           {_pct(s['both_sides'], n)}")
                print(f"  country on both sides:            {_pct(s['both_country'], n)} (of those with an actor on both: {_pct(s['both_country'], s['both_sides'])})")
                print(f"  both sides named or agent actors: {_pct(s['both_named'], n)}")
                print("  sides by basis: " + ", ".join(f"{k} {v}" for k, v in s["basis"].most_common()))
                print("  sides by type:  " + ", ".join(f"{k} {v}" for k, v in s["type"].most_common(14)))
                print("  top dyads:      " + ", ".join(f"{k} {v}" for k, v in s["dyads"].most_common(10)))
    articles = Articles(every)
    for path in sorted(GOLD.glob("*.yaml")):
        report = gold_report(path, args.verbose, articles)
        print(f"== dyad gold: {path.relative_to(ROOT)} [{report['language']}]")
        for split in ("dev", "heldout"):
            s = report["scores"].get(split)
            if not s:
                continue
            print(
                f"  {split:8} dyad agreement {_pct(s['dyad_agree'], s['dyads'])}; events found {_pct(s['found'], s['gold_events'])}; "
                f"coded in their article {_pct(s['in_article'], s['sentences'])}; "
                f"source country {_pct(s['source_agree'], s['source_judged'])}, target country {_pct(s['target_agree'], s['target_judged'])}; "
                f"source type {_pct(s['source_type_agree'], s['source_type_judged'])}, target type {_pct(s['target_type_agree'], s['target_type_judged'])}; "
                f"left empty where the gold names no one: source {_pct(s['source_none_agree'], s['source_none_judged'])}, "
                f"target {_pct(s['target_none_agree'], s['target_none_judged'])}"
            )
        for line in report["details"]:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
