"""How well the event coder does: the seed annotation, the PLOVER gold standard, and the ru/kk gold.

1. Seed (../shared/gold/seed.gold.yaml, Portuguese): every `required` event
   must be coded in its sentence (found by the `in` fragment) with an
   accepted CAMEO code, source and target (and location and date where the
   gold gives them); no event may be coded as a fact in a `must_not`
   sentence. Gold entity keys are canonical English names, turned into
   entity ids through the registry.
2. PLOVER GSR (../shared/reference/plover/PLOVER_GSR_CAMEO.json, English): for
   each gold sentence with an event type, the coder runs on the sentence
   alone and its top event (the first event coded as a fact with a PLOVER
   type, see `top_event`) is compared with the gold type: micro precision, recall
   and F1. The gold file uses PLOVER 0.5 type names; DEMAND, DISAPPROVE,
   INVESTIGATE and FIGHT are the 2021 REQUEST, ACCUSE, ACCUSE and ASSAULT
   (the crosswalk's names). On matched events, source and target are compared
   by country: the event's source_country and target_country against the
   first three letters of the gold actor codes (an IGO code matches "IGO"). The gold carries no CAMEO codes, so no
   CAMEO root agreement can be measured on it.
3. quality/gold/events/{ru,kk}.yaml: per language and split (dev: used to
   write the patterns; heldout: written afterwards, never tuned on),
   precision, recall and F1 of coded events against the gold events (code
   among the accepted ones, source, target and negation all right; an
   agent noun with a gold country's code is that country), and the
   same on CAMEO root and negation alone.

    uv run python tools/events_report.py
    uv run python tools/events_report.py --verbose      # every miss and false positive
    uv run python tools/events_report.py --check        # exit 1 if the seed fails or PLOVER F1 < 0.75

It is a report: it exits 0 whatever the scores, unless --check is given.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from steppe.analyse.events.code import Event, code_events
from steppe.analyse.events.codebook import plover_type
from steppe.analyse.names.mentions import find_mentions
from steppe.analyse.names.registry import Registry, load_registry
from steppe.analyse.sentences import split_sentences
from steppe.dev.gold import SEED_GOLD, SEED_TEXT_DIRS, SHARED_DIR
from steppe.ids import UNLINKED_PREFIX

ROOT = Path(__file__).resolve().parents[1]
SEED_PUBLISHED = date(2025, 11, 28)  # the seed's sidecar date, used when data/raw has no sidecar
PLOVER_GOLD = SHARED_DIR / "reference/plover/PLOVER_GSR_CAMEO.json"
GOLD_DIR = ROOT / "quality/gold/events"
# "dev" sentences were used to write the patterns; "heldout" ones were written
# afterwards and never used to tune them, so they estimate quality honestly.
SPLITS = ("dev", "heldout")
MIN_PLOVER_F1 = 0.75

# PLOVER 0.5 (the GSR file) -> PLOVER 2021 (the crosswalk).
LEGACY_PLOVER = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
# CAMEO country codes that differ from ISO 3166-1 alpha-3.
CAMEO_COUNTRY = {"JAP": "JPN", "ITL": "ITA"}
GROUP_CODES = {"IGO", "NGO", "IMG"}  # international and non-governmental bodies, no country


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3)}

    def line(self) -> str:
        return f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  (tp {self.tp}, fp {self.fp}, fn {self.fn})"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def run_coder(text: str, language: str, published: date | None) -> tuple[list[tuple[int, int]], list[Event]]:
    sentences = split_sentences(text, language)
    mentions = find_mentions(text, language, published, sentences)
    return sentences, code_events(text, language, published, sentences, mentions)


class EntityKeys:
    """Gold entity keys (canonical English names, or entity ids) -> entity ids."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.by_name = {e.canonical_name.casefold(): e.entity_id for e in registry.entities.values()}

    def resolve(self, key: Any, where: str) -> str | None:
        if key is None:
            return None
        if key in self.registry.entities:
            return key
        found = self.by_name.get(str(key).casefold())
        if found is None:
            raise SystemExit(f"{where}: {key!r} is no registry entity (canonical name or entity id expected)")
        return found

    def accepted(self, value: Any, where: str) -> set[str | None]:
        values = value if isinstance(value, list) else [value]
        return {self.resolve(v, where) for v in values}


def as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


# --- 1. Seed ------------------------------------------------------------------------------------


def seed_report(keys: EntityKeys) -> dict[str, Any]:
    gold = yaml.safe_load(SEED_GOLD.read_text(encoding="utf-8"))
    document, language = gold["document"], gold["language"]
    text_path = next(d / document for d in SEED_TEXT_DIRS if (d / document).exists())
    text = nfc(text_path.read_text(encoding="utf-8-sig"))
    sidecar = text_path.with_suffix(".meta.yaml")
    published = SEED_PUBLISHED
    if sidecar.exists():
        meta = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
        published = meta.get("published", published)
    sentences, events = run_coder(text, language, published)

    def sentence_of(fragment: str, where: str) -> int:
        at = text.find(nfc(fragment))
        if at < 0:
            raise SystemExit(f"{SEED_GOLD}: {where}: fragment {fragment!r} is not in {document}")
        return next(i for i, (s, e) in enumerate(sentences) if s <= at < e)

    results = []
    for n, item in enumerate(gold["events"]["required"], start=1):
        where = f"events.required[{n}]"
        idx = sentence_of(item["in"], where)
        codes = set(as_list(item["cameo"]))
        sources = keys.accepted(item.get("source"), where)
        targets = keys.accepted(item.get("target"), where)
        location = keys.resolve(item["location"], where) if "location" in item else None
        candidates = [e for e in events if e.sentence_idx == idx and not e.negated]

        def problems(e: Event) -> list[str]:
            found = []
            if e.cameo_code not in codes:
                found.append(f"code {e.cameo_code} not in {sorted(codes)}")
            if registry_entity(e.source_entity_id) not in sources:
                found.append(f"source {e.source_entity_id}")
            if registry_entity(e.target_entity_id) not in targets:
                found.append(f"target {e.target_entity_id}")
            if location and e.location_entity_id != location:
                found.append(f"location {e.location_entity_id}")
            if "date" in item and (e.event_date is None or e.event_date.strftime("%m-%d") != item["date"]):
                found.append(f"date {e.event_date}")
            return found

        ok = next((e for e in candidates if not problems(e)), None)
        results.append(
            {
                "in": item["in"],
                "ok": ok is not None,
                "event": _event_dict(ok) if ok else None,
                "closest": None if ok or not candidates else min((problems(e) for e in candidates), key=len),
            }
        )
    must_not = []
    for n, item in enumerate(gold["events"].get("must_not") or [], start=1):
        idx = sentence_of(item["in"], f"events.must_not[{n}]")
        coded = [_event_dict(e) for e in events if e.sentence_idx == idx and not e.negated]
        must_not.append({"in": item["in"], "ok": not coded, "coded": coded})
    return {"required": results, "must_not": must_not, "ok": all(r["ok"] for r in results + must_not), "events": len(events)}


def _event_dict(e: Event) -> dict[str, Any]:
    return {
        "trigger": e.trigger,
        "cameo": e.cameo_code,
        "plover": plover_type(e.cameo_code),
        "source": e.source_entity_id or e.source_text,
        "target": e.target_entity_id or e.target_text,
        "date": e.event_date.isoformat() if e.event_date else None,
        "precision": e.date_precision,
        "location": e.location_entity_id,
        "negated": e.negated,
        "confidence": e.confidence,
    }


# --- 2. PLOVER GSR -------------------------------------------------------------------------------


TOP_CONFIDENCE = 0.6  # a verb trigger with at least one actor (steppe.analyse.events.code confidence levels)


def top_event(events: Sequence[Event]) -> Event | None:
    """The sentence's main event: the first one coded as a fact with a PLOVER type.

    A news sentence states its main event first and adds circumstances after
    it; events found by a noun or with no actor at all (confidence below
    TOP_CONFIDENCE) count only when nothing better was found.
    """
    facts = [e for e in events if not e.negated and plover_type(e.cameo_code)]
    return min(facts, key=lambda e: (e.confidence < TOP_CONFIDENCE, e.char_start), default=None)


def _gold_countries(actors: Any) -> set[str]:
    if not isinstance(actors, list):
        return set()
    codes = {str(a.get("code", ""))[:3] for a in actors if isinstance(a, dict) and a.get("code")}
    return {CAMEO_COUNTRY.get(c, c) for c in codes}


def _event_country(code: str | None) -> str | None:
    """The coded country of an event side, IGO codes folded into "IGO" as the gold writes them."""
    return "IGO" if code and code.startswith("IGO") else code


def plover_report(registry: Registry, verbose: bool) -> dict[str, Any]:
    items = [x for x in json.loads(PLOVER_GOLD.read_text(encoding="utf-8")) if x.get("event") not in (None, "DOCUMENT") and x.get("text")]
    overall = PRF()
    by_type: dict[str, PRF] = {}
    sides: Counter = Counter()
    resolved_sides: Counter = Counter()  # sides where the coder named a registry entity
    events_agree = events_judged = 0
    confusion: Counter = Counter()
    details = []
    actor_details = []  # matched events whose source or target country disagrees with the gold
    for x in items:
        gold_type = LEGACY_PLOVER.get(x["event"], x["event"])
        published = date.fromisoformat(x["date"]) if x.get("date") else None
        _, events = run_coder(nfc(x["text"]), "en", published)
        top = top_event(events)
        predicted = plover_type(top.cameo_code) if top else None
        by_type.setdefault(gold_type, PRF())
        if predicted == gold_type:
            overall.tp += 1
            by_type[gold_type].tp += 1
            judged = agree = 0
            for side, gold_actors, entity_id in (("source", x.get("source"), top.source_entity_id), ("target", x.get("target"), top.target_entity_id)):
                countries = _gold_countries(gold_actors)
                if not countries:
                    continue
                judged += 1
                country = _event_country(getattr(top, f"{side}_country"))
                hit = country in countries or (country == "IGO" and countries & GROUP_CODES)
                sides[side, bool(hit)] += 1
                if country is not None:
                    resolved_sides[bool(hit)] += 1
                agree += bool(hit)
                if verbose and not hit:
                    coded_text = getattr(top, f"{side}_text")
                    gold_text = ", ".join(f"{a.get('actorText')} {a.get('code')}" for a in gold_actors if isinstance(a, dict))
                    actor_details.append(
                        f"  {x['id']} {side}: gold {gold_text} | coded {entity_id or '-'} ({country or '-'}) {coded_text!r} "
                        f"on {top.cameo_code} {top.trigger!r} | {x['text'][:160]}"
                    )
            if judged:
                events_judged += 1
                events_agree += agree == judged
        else:
            overall.fn += 1
            by_type[gold_type].fn += 1
            if predicted:
                overall.fp += 1
                by_type.setdefault(predicted, PRF()).fp += 1
            confusion[gold_type, predicted] += 1
            if verbose:
                details.append(f"  {x['id']}: gold {gold_type}, coded {predicted} {top.cameo_code + ' ' + repr(top.trigger) if top else ''} | {x['text'][:150]}")
    side_rate = {side: sides[side, True] / (sides[side, True] + sides[side, False]) if sides[side, True] + sides[side, False] else 0.0 for side in ("source", "target")}
    return {
        "sentences": len(items),
        "overall": overall,
        "by_type": by_type,
        "source_agreement": side_rate["source"],
        "target_agreement": side_rate["target"],
        "side_counts": {f"{side}_{'agree' if ok else 'disagree'}": n for (side, ok), n in sorted(sides.items())},
        "actor_sides_agreement": (sides["source", True] + sides["target", True]) / max(1, sum(sides.values())),
        "resolved_sides_agreement": resolved_sides[True] / max(1, sum(resolved_sides.values())),
        "resolved_sides": sum(resolved_sides.values()),
        "judged_sides": sum(sides.values()),
        "events_both_agree": events_agree / events_judged if events_judged else 0.0,
        "events_judged": events_judged,
        "confusion": confusion,
        "details": details,
        "actor_details": actor_details,
    }


# --- 3. ru / kk gold -------------------------------------------------------------------------------


def gold_report(path: Path, keys: EntityKeys, verbose: bool) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    language = data["language"]
    default_published = data.get("published")
    scores = {split: (PRF(), PRF()) for split in SPLITS}
    details = []
    for n, item in enumerate(data["sentences"], start=1):
        where = f"{path.name}: sentence {n}"
        split = item.get("split", "dev")
        if split not in SPLITS:
            raise SystemExit(f"{where}: split {split!r} (expected one of {', '.join(SPLITS)})")
        strict, loose = scores[split]
        text = nfc(item["text"])
        published = item.get("published", default_published)
        _, events = run_coder(text, language, published)
        gold = []
        for g in item.get("events") or []:
            gold.append(
                {
                    "codes": set(as_list(g["cameo"])),
                    "sources": keys.accepted(g.get("source"), where),
                    "targets": keys.accepted(g.get("target"), where),
                    "negated": bool(g.get("negated", False)),
                    "date": g.get("date"),
                    "location": keys.resolve(g["location"], where) if "location" in g else None,
                }
            )
        strict_hits = _match(gold, events, strict_match=True)
        loose_hits = _match(gold, events, strict_match=False)
        strict.tp += strict_hits
        strict.fp += len(events) - strict_hits
        strict.fn += len(gold) - strict_hits
        loose.tp += loose_hits
        loose.fp += len(events) - loose_hits
        loose.fn += len(gold) - loose_hits
        if verbose and (strict_hits < len(gold) or strict_hits < len(events)):
            coded = "; ".join(f"{e.cameo_code} {e.source_entity_id}->{e.target_entity_id}{' NEG' if e.negated else ''} {e.trigger!r}" for e in events)
            wanted = "; ".join(f"{sorted(g['codes'])} {sorted(map(str, g['sources']))}->{sorted(map(str, g['targets']))}{' NEG' if g['negated'] else ''}" for g in gold)
            details.append(f"  {n} ({split}): {text[:110]}\n      gold:  {wanted or '-'}\n      coded: {coded or '-'}")
    counts = Counter(item.get("split", "dev") for item in data["sentences"])
    return {"language": language, "sentences": dict(counts), "scores": scores, "details": details}


def registry_entity(entity_id: str | None) -> str | None:
    """A coded entity as the gold names it: an unlinked entity (a name the registry lacks) is none."""
    return None if entity_id is None or entity_id.startswith(UNLINKED_PREFIX) else entity_id


def _side_ok(entity_id: str | None, country: str | None, accepted: set[str | None]) -> bool:
    """Whether a coded side is one the gold accepts: the entity itself, or an agent of a gold
    country ("Власти Узбекистана" for country:uzb: an actor with no entity and that country)."""
    entity_id = registry_entity(entity_id)
    return entity_id in accepted or (entity_id is None and country is not None and f"country:{country.lower()}" in accepted)


def _match(gold: Sequence[Mapping[str, Any]], events: Sequence[Event], strict_match: bool) -> int:
    """One-to-one matches between gold and coded events of a sentence (greedy, gold order)."""
    free = list(events)
    hits = 0
    for g in gold:
        for e in free:
            if strict_match:
                ok = (
                    e.cameo_code in g["codes"]
                    and _side_ok(e.source_entity_id, e.source_country, g["sources"])
                    and _side_ok(e.target_entity_id, e.target_country, g["targets"])
                    and e.negated == g["negated"]
                    and (g["date"] is None or e.event_date == g["date"])
                    and (g["location"] is None or e.location_entity_id == g["location"])
                )
            else:
                ok = e.cameo_code[:2] in {c[:2] for c in g["codes"]} and e.negated == g["negated"]
            if ok:
                free.remove(e)
                hits += 1
                break
    return hits


# --- Output ------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help=f"exit 1 if a seed event fails or PLOVER F1 < {MIN_PLOVER_F1}")
    parser.add_argument("--verbose", action="store_true", help="list every miss and false positive")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args(argv)

    registry = load_registry()
    keys = EntityKeys(registry)

    seed = seed_report(keys)
    print(f"== Seed ({SEED_GOLD.name}): {'PASS' if seed['ok'] else 'FAIL'}, {seed['events']} events coded")
    for r in seed["required"]:
        shown = r["event"] if r["ok"] else f"closest problems: {r['closest']}"
        print(f"  required {'ok  ' if r['ok'] else 'MISS'} {r['in']!r}: {shown}")
    for r in seed["must_not"]:
        print(f"  must_not {'ok  ' if r['ok'] else 'FAIL'} {r['in']!r}: {r['coded'] or 'nothing coded'}")

    plover = plover_report(registry, args.verbose)
    o = plover["overall"]
    print(f"\n== PLOVER GSR (English, {plover['sentences']} gold sentences, top event per sentence)")
    print(f"  PLOVER type (micro): {o.line()}")
    print("  CAMEO root agreement: n/a (the gold sentences carry PLOVER types, no CAMEO codes)")
    print(
        f"  actors on {o.tp} matched events: source country agrees {plover['source_agreement']:.1%}, "
        f"target {plover['target_agreement']:.1%}, all gold sides {plover['actor_sides_agreement']:.1%}; "
        f"both sides right in {plover['events_both_agree']:.1%} of {plover['events_judged']} events"
    )
    print(
        f"  of {plover['judged_sides']} gold actor sides the coder gave a country on {plover['resolved_sides']}; "
        f"its country agrees on {plover['resolved_sides_agreement']:.1%} of those (the rest have no actor or no country)"
    )
    for ptype, prf in sorted(plover["by_type"].items()):
        print(f"    {ptype:<10} {prf.line()}")
    if args.verbose:
        print("  most frequent confusions (gold -> coded):")
        for (g, p), n in plover["confusion"].most_common(15):
            print(f"    {g} -> {p}: {n}")
        print("\n".join(plover["details"]))
        print("  actor sides that disagree with the gold countries (on matched events):")
        print("\n".join(plover["actor_details"]))

    languages = {}
    for path in sorted(GOLD_DIR.glob("*.yaml")):
        report = gold_report(path, keys, args.verbose)
        languages[report["language"]] = report
        counts = ", ".join(f"{n} {split}" for split, n in report["sentences"].items())
        print(f"\n== {path.relative_to(ROOT)} ({counts} sentences)")
        for split, (strict, loose) in report["scores"].items():
            print(f"  {split:<8} events (code, source, target, negation): {strict.line()}")
            print(f"  {split:<8} CAMEO root and negation only:            {loose.line()}")
        if args.verbose:
            print("\n".join(report["details"]))

    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "seed": seed,
                    "plover": {
                        "overall": o.as_dict(),
                        "by_type": {k: v.as_dict() for k, v in plover["by_type"].items()},
                        "source_agreement": plover["source_agreement"],
                        "target_agreement": plover["target_agreement"],
                        "events_both_agree": plover["events_both_agree"],
                        "resolved_sides_agreement": plover["resolved_sides_agreement"],
                    },
                    "gold": {
                        lang: {split: {"strict": strict.as_dict(), "root": loose.as_dict()} for split, (strict, loose) in r["scores"].items()}
                        for lang, r in languages.items()
                    },
                },
                indent=2,
                ensure_ascii=False,
                default=str,
            ),
            encoding="utf-8",
        )
    if args.check and (not seed["ok"] or o.f1 < MIN_PLOVER_F1):
        print(f"\nFAIL: seed {'ok' if seed['ok'] else 'failed'}, PLOVER F1 {o.f1:.3f} (minimum {MIN_PLOVER_F1})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
