"""Trigger stems that take words of more than one lemma: where a surface prefix misfires.

A pattern word written as a stem ("пытал*", "receb*") matches every word that
begins with it; the stem "пытал*" took "пытался" (пытаться, to try) for
"пытали" (пытать, to torture). For each language, this reads the words of real
articles, finds those each trigger stem matches, lemmatises them (pymorphy3
for Russian, simplemma's dictionaries for pt, en and es) and prints the stems
whose words fall under two or more lemmas, with the words of each: a curator
rewrites such a stem as the lemmas it means (`@пытать`).

    uv run python tools/stem_audit.py --corpus /tmp/ru.jsonl:ru --corpus ../shared/corpora/fakebr-pt/articles.jsonl.gz:pt

It is a report: it exits 0.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from steppe.analyse.events.lexicon import load_patterns
from steppe.text import normalise_for_matching

sys.path.insert(0, str(Path(__file__).resolve().parent))
from unresolved_report import read_corpus  # noqa: E402

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def lemmatiser(language: str):
    if language == "ru":
        import pymorphy3

        morph = pymorphy3.MorphAnalyzer(lang="ru")
        return lambda w: normalise_for_matching(morph.parse(w)[0].normal_form)
    import simplemma

    return lambda w: simplemma.lemmatize(w, lang=language)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", required=True, metavar="PATH:LANG")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--min", type=int, default=2, help="words a lemma needs to count (default 2)")
    args = parser.parse_args(argv)
    words: dict[str, Counter] = defaultdict(Counter)
    for spec in args.corpus:
        path, language = spec.rsplit(":", 1)
        for record in read_corpus(Path(path), args.limit):
            words[language].update(WORD.findall(normalise_for_matching(record["text"])))
    for language, counts in sorted(words.items()):
        lemma_of = lemmatiser(language)
        patterns = load_patterns(language)
        # A pattern's first word decides where it may match; a stem later in a pattern is held by the words before it.
        alone = {stem for t in patterns.triggers if not t.ignored and len(t.steps) == 1 for stem in t.steps[0].stems}
        stems = sorted({stem for t in patterns.triggers if not t.ignored for stem in t.steps[0].stems})
        flagged = 0
        for stem in stems:
            by_lemma: dict[str, Counter] = defaultdict(Counter)
            for word, n in counts.items():
                if word.startswith(stem):
                    by_lemma[lemma_of(word)][word] += n
            lemmas = {lemma: c for lemma, c in by_lemma.items() if sum(c.values()) >= args.min}
            if len(lemmas) > 1:
                flagged += 1
                shown = "; ".join(
                    f"{lemma} ({', '.join(w for w, _ in c.most_common(3))})" for lemma, c in sorted(lemmas.items(), key=lambda x: -sum(x[1].values()))[:5]
                )
                print(f"{language} {stem}*{' (a whole pattern)' if stem in alone else ''}: {len(lemmas)} lemmas: {shown}")
        print(f"== {language}: {flagged} of {len(stems)} stems take words of two or more lemmas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
