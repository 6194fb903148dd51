"""How well the Kazakh suffix analyser (steppe.analyse.morph.kk) reads real text.

Source: the Universal Dependencies Kazakh treebank (UD_Kazakh-KTB,
https://github.com/UniversalDependencies/UD_Kazakh-KTB), licence CC BY-SA 4.0.
Its tokens carry a lemma, a part of speech and morphological features. Nothing
of it is copied into the package; tests/test_morph_kk.py quotes a few forms
with their sentence ids.

For every VERB and NOUN token, `analyse(form, lemma, pos)` is run and the report
prints:
- coverage: the share of tokens the analyser accepts with the treebank's lemma
  as the stem (verb lemmas in KTB are bare stems: айт, қолда, оқы);
- agreement of the analyser's features with the treebank's Tense, Polarity,
  Voice, Case and Number, over the accepted tokens;
- false acceptance: for every token and every other VERB or NOUN lemma of the
  treebank that is a prefix of its form (қолда / қолдарында), how often the
  analyser accepts the form as that lemma's.

Unscorable tokens are counted apart: lemmas of several words (алып кел), tokens
inside a multiword token (their forms are not in the text), and forms that do
not begin with the start of their lemma (the lemma is another word's, e.g. a
suppletive or misspelt lemma). Tokens whose Voice=Rcp reciprocal the treebank
left out of the lemma (келісті: кел) are scored again with derivation=True.

    uv run python tools/kk_morph_report.py --treebank PATH/UD_Kazakh-KTB
    uv run python tools/kk_morph_report.py --treebank PATH --misses 50   # list rejected tokens

PATH is a checkout of the treebank or a bare git directory of it. It is a
report: it exits 0 whatever the scores.
"""

from __future__ import annotations

import argparse
import subprocess
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from steppe.analyse.morph.kk import KkAnalysis, analyse, start

FILES = ("kk_ktb-ud-train.conllu", "kk_ktb-ud-test.conllu")
POS = {"VERB": "verb", "NOUN": "noun"}
CASES = {"nom": "Nom", "gen": "Gen", "dat": "Dat", "acc": "Acc", "loc": "Loc", "abl": "Abl", "ins": "Ins", "equ": "Equ"}


@dataclass(frozen=True)
class Token:
    sent_id: str
    form: str
    lemma: str
    upos: str
    feats: dict[str, str]
    in_multiword: bool


def read_treebank(path: Path) -> Iterator[Token]:
    for name in FILES:
        if (path / name).exists():
            text = (path / name).read_text(encoding="utf-8")
        else:
            text = subprocess.run(
                ["git", f"--git-dir={path}", "show", f"HEAD:{name}"], check=True, capture_output=True, text=True
            ).stdout
        yield from parse_conllu(text.splitlines())


def parse_conllu(lines: Iterable[str]) -> Iterator[Token]:
    sent_id = ""
    multiword_end = 0
    for line in lines:
        if line.startswith("# sent_id ="):
            sent_id = line.split("=", 1)[1].strip()
            multiword_end = 0
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            continue
        if "-" in cols[0]:
            multiword_end = int(cols[0].split("-")[1])
            continue
        if "." in cols[0]:
            continue
        feats = dict(f.split("=", 1) for f in cols[5].split("|")) if cols[5] != "_" else {}
        yield Token(sent_id, cols[1], cols[2], cols[3], feats, int(cols[0]) <= multiword_end)


def normalise(text: str) -> str:
    return text.lower().replace("ё", "е")


def mine(analysis: KkAnalysis, feature: str, pos: str) -> str | None:
    """The analyser's value for a UD feature, in UD's terms."""
    f = analysis.features
    if feature == "Tense":
        if f & {"past", "perfect"}:
            return "Past"
        if "future" in f:
            return "Fut"
        if "present" in f and "participle" not in f:
            return "Pres"
        return None
    if feature == "Polarity":
        return "Neg" if "negative" in f else None
    if feature == "Voice":
        if "passive" in f:
            return "Pass"
        if "reciprocal" in f:
            return "Rcp"
        return None
    if feature == "Case":
        if "progressive" in f:
            return "Loc"  # -уда is the verbal noun's locative to UD
        if "equ" in f:
            return None  # KTB does not mark the equative -дай (тастай)
        for name, value in CASES.items():
            if name in f:
                return value
        return None
    if feature == "Number":
        if pos == "noun":
            return "Plur" if "plural" in f else None
        return None
    raise ValueError(feature)


def theirs(token: Token, feature: str) -> str | None:
    value = token.feats.get(feature)
    if feature == "Number" and (token.upos != "NOUN" or value == "Sing"):
        return None if token.upos != "NOUN" else None
    if feature == "Case" and value == "Nom" and token.upos == "VERB" and token.feats.get("VerbForm") != "Ger":
        return None
    return value


KINDS = (
    "the treebank has the form with that lemma too (a homograph)",
    "the two lemmas are one word (a verbal noun, a derived verb, a lemma left inflected)",
    "other: a homograph in the text or an over-acceptance",
)
# What separates two lemmas of one word: кездесу / кездес, қатыс / қат, жылы / жыл.
SAME_WORD = frozenset(
    {"verbal_noun", "agent_noun", "nom", "reciprocal", "reflexive", "causative", "passive", "possessive", "poss_3",
     "imperative", "2sg"}
)


def classify(form: str, lemma: str, pos: str, own: str, own_pos: str, attested: set[tuple[str, str]]) -> str:
    """Why the analyser accepts `form` (whose treebank lemma is `own`) as a form of another lemma."""
    if (form, lemma) in attested:
        return KINDS[0]
    short, short_pos, long = (lemma, pos, own) if own.startswith(lemma) else (own, own_pos, lemma)
    # a bare derived stem is no form of its own (санал is read in саналу)
    for word in (long, long + "у"):
        related = long.startswith(short) and analyse(word, short, short_pos, derivation=True)
        if related and related.features <= SAME_WORD:
            return KINDS[1]
    return KINDS[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--treebank", type=Path, required=True, help="UD_Kazakh-KTB checkout or bare git directory")
    parser.add_argument("--misses", type=int, default=0, help="list this many rejected tokens per part of speech")
    parser.add_argument("--false", type=int, default=20, help="list this many false acceptances")
    args = parser.parse_args()

    tokens = [t for t in read_treebank(args.treebank) if t.upos in POS]
    lemmas = {(normalise(t.lemma), POS[t.upos]) for t in tokens if " " not in t.lemma and len(t.lemma) >= 2}

    unscorable: Counter[str] = Counter()
    scored: Counter[str] = Counter()
    accepted: Counter[str] = Counter()
    derived: Counter[str] = Counter()
    misses: dict[str, list[Token]] = defaultdict(list)
    agree: dict[str, Counter[str]] = {f: Counter() for f in ("Tense", "Polarity", "Voice", "Case", "Number")}
    disagreements: dict[str, Counter[tuple[str | None, str | None]]] = {f: Counter() for f in agree}
    examples: dict[tuple[str, str | None, str | None], list[str]] = defaultdict(list)

    for token in tokens:
        pos = POS[token.upos]
        form, lemma = normalise(token.form), normalise(token.lemma)
        if token.in_multiword:
            unscorable["inside a multiword token"] += 1
            continue
        if " " in lemma:
            unscorable["lemma of several words"] += 1
            continue
        if " " in form:
            unscorable["form of several words (көрген емеспін)"] += 1
            continue
        if not form.startswith(start(lemma, pos)):
            unscorable["form does not begin with its lemma"] += 1
            continue
        scored[pos] += 1
        analysis = analyse(form, lemma, pos)
        if analysis is None and pos == "verb":
            analysis = analyse(form, lemma, pos, derivation=True)
            if analysis is not None:
                derived[pos] += 1
        if analysis is None:
            misses[pos].append(token)
            continue
        accepted[pos] += 1
        for feature in agree:
            a, b = mine(analysis, feature, pos), theirs(token, feature)
            if a is None and b is None:
                continue
            agree[feature]["total"] += 1
            if a == b:
                agree[feature]["agree"] += 1
            else:
                disagreements[feature][(b, a)] += 1
                examples[(feature, b, a)].append(f"{token.form}/{token.lemma}")

    print(f"UD_Kazakh-KTB: {len(tokens)} VERB and NOUN tokens")
    for reason, n in unscorable.most_common():
        print(f"  unscorable: {n} ({reason})")
    for pos in ("verb", "noun"):
        print(f"coverage {pos}: {accepted[pos]}/{scored[pos]} = {accepted[pos] / max(scored[pos], 1):.1%}")
    print(f"  of which accepted only with derivation=True (the lemma leaves out a reciprocal, reflexive or causative): {derived['verb']}")
    print("feature agreement with UD (accepted tokens where either side has a value):")
    for feature, c in agree.items():
        worst = ", ".join(
            f"UD {b} / ours {a}: {n}, e.g. {' '.join(examples[(feature, b, a)][:3])}"
            for (b, a), n in disagreements[feature].most_common(4)
        )
        print(f"  {feature}: {c['agree']}/{c['total']} = {c['agree'] / max(c['total'], 1):.1%}   ({worst})")

    # False acceptance: another lemma that is a prefix of the form
    by_first: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for lemma, pos in lemmas:
        by_first[lemma[:2]].append((lemma, pos))
    attested = {(normalise(t.form), normalise(t.lemma)) for t in tokens}
    pairs = 0
    accepted_pairs: dict[str, Counter[tuple[str, str, str, str]]] = defaultdict(Counter)
    for token in tokens:
        form, own = normalise(token.form), normalise(token.lemma)
        if token.in_multiword or " " in form:
            continue
        for lemma, pos in by_first.get(form[:2], ()):
            if lemma == own or not form.startswith(lemma):
                continue
            pairs += 1
            if analyse(form, lemma, pos) is not None:
                kind = classify(form, lemma, pos, own, POS[token.upos], attested)
                accepted_pairs[kind][(form, lemma, pos, own)] += 1
    total = sum(c.total() for c in accepted_pairs.values())
    print(f"prefix pairs (a token, and another VERB or NOUN lemma that is a prefix of its form): {pairs}")
    print(f"  accepted as the other lemma's: {total} = {total / max(pairs, 1):.2%}, of which")
    for kind in KINDS:
        c = accepted_pairs[kind]
        print(f"    {kind}: {c.total()} = {c.total() / max(pairs, 1):.2%}")
    for (form, lemma, pos, own), n in accepted_pairs[KINDS[-1]].most_common(args.false):
        analysis = analyse(form, lemma, pos)
        assert analysis is not None
        print(f"      {form} as {pos} {lemma}+{'+'.join(analysis.morphs)} (treebank: {own}) x{n}")
    for pos in ("verb", "noun"):
        for token in misses[pos][: args.misses]:
            print(f"  miss {pos}: {token.form} / {token.lemma} {'|'.join(f'{k}={v}' for k, v in token.feats.items())}  [{token.sent_id}]")


if __name__ == "__main__":
    main()
