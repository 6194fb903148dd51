"""How far two annotators of the actor-and-event gold agree: the ceiling a coder can be held to.

The event targets of issue 20 (CAMEO root F1 0.75, PLOVER F1 0.80 on
quality/gold/actors) only mean something next to how well two people agree on
the same sentences. This tool measures it.

1. `--sample LANG`: a fixed subset of a language's gold sentences (the first N
   by a hash of their ids, so both splits in their proportion), written without
   their events for a second annotator, with the sentences before each one in its
   article where a corpus holds it. The second annotator follows
   quality/gold/actors/README.md and sees neither the first annotation nor the
   coder's output.

       uv run python tools/agreement_report.py --sample pt -n 60 --out /tmp/pt.second.yaml

2. Scoring (the default): every quality/gold/actors/second/<language>.yaml, the
   second annotation of such a subset, against the gold of the same sentences,
   per split and for both, with the event-type rules of tools/triggers_report.py (same root or
   PLOVER type and same status; the gold is the reference, so "precision" is the
   share of the second annotator's events the gold has). On the events both
   annotate with the same root: how often the source and target countries
   agree. Beside it, the coder scored on the same sentences, so both figures
   describe the same sample.

       uv run python tools/agreement_report.py

It is a report: it exits 0 whatever the scores.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import unicodedata
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from actors_report import GOLD, ROOT, Articles, corpora  # noqa: E402
from triggers_report import gold_labels, match_events, prf, score_sentence  # noqa: E402

SECOND = GOLD / "second"


def subset(sentences: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """The first `n` sentences ordered by a hash of their ids: a fixed sample that does not depend on file order."""
    return sorted(sentences, key=lambda s: hashlib.sha1(str(s["id"]).encode("utf-8")).hexdigest())[:n]


def context_before(articles: Articles, sentence: str, chars: int = 600) -> str | None:
    """Up to `chars` characters of the article before `sentence` (cut at a space), when a corpus holds the article."""
    for text in articles.texts:
        at = text.find(sentence)
        if at < 0:
            continue
        before = text[max(0, at - chars):at]
        if at > chars and " " in before:
            before = before[before.index(" ") + 1:]
        return before.strip() or None
    return None


def write_sample(language: str, n: int, out: Path) -> None:
    data = yaml.safe_load((GOLD / f"{language}.yaml").read_text(encoding="utf-8"))
    articles = all_articles()
    items = []
    for s in subset(data["sentences"], n):
        text = unicodedata.normalize("NFC", s["text"])
        item: dict[str, Any] = {"id": s["id"], "split": s.get("split", "dev"), "source": s.get("source")}
        before = context_before(articles, text)
        if before:
            item["context_before"] = before
        item["text"] = s["text"]
        item["events"] = None
        items.append(item)
    header = (f"# Second annotation of {len(items)} sentences of quality/gold/actors/{language}.yaml\n"
              f"#   (uv run python tools/agreement_report.py --sample {language} -n {n})\n"
              "# Annotate `events` by quality/gold/actors/README.md; context_before is the article before the sentence.\n")
    out.write_text(header + yaml.safe_dump({"language": language, "sentences": items}, allow_unicode=True, sort_keys=False, width=100),
                   encoding="utf-8")
    print(f"{out}: {len(items)} sentences ({sum(i['split'] == 'heldout' for i in items)} heldout)")


def _same_words(text: str, a: str, b: str) -> bool:
    i, j = (text.find(a) if a else -1), (text.find(b) if b else -1)
    return i >= 0 and j >= 0 and i < j + len(b) and j < i + len(a)


def agree(text: str, first: list[dict[str, Any]], second: list[dict[str, Any]], kind: str) -> tuple[int, int, int, list[tuple[dict, dict]]]:
    """(matched, only in `second`, only in `first`, matched pairs): the events of `first` (the reference) matched to
    those of `second` as triggers_report matches the coder's (same label and status, trigger words overlapping first)."""
    a, b = gold_labels(first, kind), gold_labels(second, kind)
    pairs = match_events(a, b, lambda g, h: _same_words(text, str(g.get("trigger") or ""), str(h.get("trigger") or "")))
    return len(pairs), len(b) - len(pairs), len(a) - len(pairs), [(a[k][0], b[i][0]) for k, i in pairs.items()]


def all_articles() -> Articles:
    """Every article of the corpora the gold sentences come from (tools/actors_report.corpora)."""
    every: list[dict[str, Any]] = []
    for _, default, records in corpora([], None):
        every += [dict(r, language=r.get("language") or default) for r in records]
    return Articles(every)


def _country(side: Any) -> str | None:
    return (side or {}).get("country") if isinstance(side, dict) else None


def report(path: Path, articles: Articles) -> None:
    second = yaml.safe_load(path.read_text(encoding="utf-8"))
    language = second["language"]
    gold = {s["id"]: s for s in yaml.safe_load((GOLD / f"{language}.yaml").read_text(encoding="utf-8"))["sentences"]}
    scores: dict[str, Counter] = defaultdict(Counter)
    for item in second["sentences"]:
        if item.get("events") is None:
            continue  # not annotated yet
        reference = gold[item["id"]]
        split = reference.get("split", "dev")
        text = unicodedata.normalize("NFC", reference["text"])
        source = reference.get("source") or {}
        published = date.fromisoformat(str(source["published"])) if source.get("published") else None
        coded, _ = articles.events_of(text, language, published)
        s = scores[split]
        s["sentences"] += 1
        for kind in ("cameo", "plover"):
            tp, fp, fn, pairs = agree(text, reference.get("events") or [], item.get("events") or [], kind)
            s[f"{kind}_tp"] += tp
            s[f"{kind}_fp"] += fp
            s[f"{kind}_fn"] += fn
            ctp, cfp, cfn, _, _ = score_sentence(text, reference.get("events") or [], coded, kind)
            s[f"coder_{kind}_tp"] += ctp
            s[f"coder_{kind}_fp"] += cfp
            s[f"coder_{kind}_fn"] += cfn
            if kind == "cameo":
                for g, h in pairs:
                    for side in ("source", "target"):
                        if _country(g.get(side)):
                            s[f"{side}_judged"] += 1
                            s[f"{side}_agree"] += _country(g.get(side)) == _country(h.get(side))
    print(f"== {path.relative_to(ROOT)} [{language}] against quality/gold/actors/{language}.yaml")
    scores["both"] = sum(scores.values(), Counter())
    for split in ("dev", "heldout", "both"):
        s = scores.get(split)
        if not s:
            continue
        print(f"  {split:8} {s['sentences']} sentences")
        for kind, name in (("cameo", "CAMEO root"), ("plover", "PLOVER type")):
            print(f"    {name:12} second annotator: {prf(s[kind + '_tp'], s[kind + '_fp'], s[kind + '_fn'])}")
            print(f"    {name:12} coder:            {prf(s['coder_' + kind + '_tp'], s['coder_' + kind + '_fp'], s['coder_' + kind + '_fn'])}")
        for side in ("source", "target"):
            print(f"    {side} country on events both annotate: {s[side + '_agree']} of {s[side + '_judged']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", metavar="LANG", help="write a subset of LANG's gold sentences, without events, for a second annotator")
    parser.add_argument("-n", type=int, default=60, help="sentences in the subset (default 60)")
    parser.add_argument("--out", type=Path, help="where --sample writes (default: LANG.second.yaml in the current directory)")
    args = parser.parse_args(argv)
    if args.sample:
        write_sample(args.sample, args.n, args.out or Path(f"{args.sample}.second.yaml"))
        return 0
    articles = all_articles()
    files = sorted(SECOND.glob("*.yaml"))
    if not files:
        print(f"no second annotation in {SECOND.relative_to(ROOT)}")
    for path in files:
        report(path, articles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
