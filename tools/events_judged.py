"""Judged samples of coded events in real news: the precision of the event coder where it is used.

The actor gold (quality/gold/actors) scores a few hundred sentences chosen for
their events; this measures what users get from whole corpora: a fixed-seed
random sample of the coder's events (one per sampled article), each judged by
a person. Two versions of the coder can be judged blind against each other:
sample each (run this tool with PYTHONPATH pointing at the other checkout's
`src/`), merge the samples into one shuffled file without their origin, judge
it, and report precision per origin.

    uv run python tools/events_judged.py sample --language pt --corpus ../shared/corpora/fakebr-pt/articles.jsonl.gz \\
        -n 60 --seed 2026 --origin main --out /tmp/main.yaml
    PYTHONPATH=<old checkout>/src uv run python tools/events_judged.py sample ... --origin old --out /tmp/old.yaml
    uv run python tools/events_judged.py blind /tmp/main.yaml /tmp/old.yaml --seed 1 \\
        --out quality/judged/events/pt.yaml --key quality/judged/events/pt.key.yaml
    uv run python tools/events_judged.py report quality/judged/events/pt.yaml --key quality/judged/events/pt.key.yaml

A verdict is `right` (the sentence reports an act of the coded CAMEO root, as
a fact unless the event is negated, by the coded source on the coded target,
a side left empty counting as right only where the sentence names no one
there), `type` (the act and its root are right, an actor is not) or `wrong`
(no such act: a look-alike, a description, another root). Sentences of the
actor gold are left out of a sample: the coder was tuned on them.
"""

from __future__ import annotations

import argparse
import random
import sys
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import yaml

from steppe.analyse.events.codebook import plover_type
from steppe.analyse.sentences import split_sentences

sys.path.insert(0, str(Path(__file__).resolve().parent))
from actors_report import GOLD, code, published_of  # noqa: E402
from unresolved_report import read_corpus  # noqa: E402  (the tools' one JSON-lines reader)

VERDICTS = ("right", "type", "wrong")


def gold_sentences() -> set[str]:
    out = set()
    for path in GOLD.glob("*.yaml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["sentences"]:
            out.add(" ".join(unicodedata.normalize("NFC", item["text"]).split()))
    return out


def sample(language: str, corpus: Path, n: int, seed: int, origin: str, exclude: Sequence[Path] = ()) -> list[dict]:
    """One event from each of `n` articles drawn at random (articles with no event are skipped); events in
    sentences of the actor gold or of the judged files `exclude` (an earlier round, read when the coder
    was changed) are never drawn."""
    records = read_corpus(corpus, None)
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    skip = gold_sentences() | {item["sentence"] for path in exclude for item in yaml.safe_load(path.read_text(encoding="utf-8"))["events"]}
    items: list[dict] = []
    for k in order:
        if len(items) >= n:
            break
        record = records[k]
        text = unicodedata.normalize("NFC", record["text"])
        spans = split_sentences(text, language)
        events = [e for e in code(text, language, published_of(record, language)) if " ".join(text[slice(*spans[e.sentence_idx])].split()) not in skip]
        if not events:
            continue
        e = random.Random(f"{seed}:{k}").choice(events)
        items.append({
            "article": record.get("id", k), "origin": origin, "sentence": " ".join(text[slice(*spans[e.sentence_idx])].split()),
            "trigger": e.trigger, "cameo_code": e.cameo_code, "plover_type": plover_type(e.cameo_code), "negated": e.negated,
            "source": e.source_text, "target": e.target_text, "verdict": None, "note": None,
        })
    return items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample", help="draw events from a corpus")
    s.add_argument("--language", required=True)
    s.add_argument("--corpus", type=Path, required=True)
    s.add_argument("-n", type=int, default=60)
    s.add_argument("--seed", type=int, default=2026)
    s.add_argument("--origin", default="main", help="what coded them (kept for the blind merge)")
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--exclude", type=Path, action="append", default=[], help="a judged file whose sentences are not drawn again")
    b = sub.add_parser("blind", help="merge samples into one shuffled file, their origins in a key file")
    b.add_argument("samples", nargs="+", type=Path)
    b.add_argument("--seed", type=int, default=1)
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--key", type=Path, required=True)
    r = sub.add_parser("report", help="precision per origin of a judged file")
    r.add_argument("judged", type=Path)
    r.add_argument("--key", type=Path)
    args = parser.parse_args(argv)
    if args.command == "sample":
        items = sample(args.language, args.corpus, args.n, args.seed, args.origin, args.exclude)
        args.out.write_text(yaml.safe_dump({"language": args.language, "corpus": str(args.corpus), "seed": args.seed, "events": items},
                                           allow_unicode=True, sort_keys=False, width=110), encoding="utf-8")
        print(f"{args.out}: {len(items)} events")
        return 0
    if args.command == "blind":
        items, language = [], None
        for path in args.samples:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            language = data["language"]
            items += data["events"]
        random.Random(args.seed).shuffle(items)
        key = [{"id": n + 1, "origin": item.pop("origin")} for n, item in enumerate(items)]
        items = [{"id": n + 1, **item} for n, item in enumerate(items)]
        args.out.write_text(yaml.safe_dump({"language": language, "events": items}, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8")
        args.key.write_text(yaml.safe_dump({"origins": key}, sort_keys=False), encoding="utf-8")
        print(f"{args.out}: {len(items)} events to judge; origins in {args.key}")
        return 0
    data = yaml.safe_load(args.judged.read_text(encoding="utf-8"))
    origins = {k["id"]: k["origin"] for k in yaml.safe_load(args.key.read_text(encoding="utf-8"))["origins"]} if args.key else {}
    counts: dict[str, Counter] = {}
    for item in data["events"]:
        if item.get("verdict") not in VERDICTS:
            continue
        counts.setdefault(origins.get(item["id"], "all"), Counter())[item["verdict"]] += 1
    for origin, c in sorted(counts.items()):
        total = sum(c.values())
        print(f"{origin:8} judged {total:3}: right {c['right']:3} ({c['right'] / total:.0%}), type right {c['right'] + c['type']:3} "
              f"({(c['right'] + c['type']) / total:.0%}), wrong {c['wrong']:3}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
