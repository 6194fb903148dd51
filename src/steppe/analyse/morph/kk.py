"""Kazakh inflection: is a word a given stem followed by a valid chain of suffixes?

No library analyses Kazakh, so this is a small explicit grammar: a stem, then
ordered suffix slots, each slot a set of allomorphs chosen by vowel harmony
(back а/о/ұ/ы against front ә/е/ө/ү/і) and by the last sound before it
(vowel; р/й/у/и; л; м/н/ң; з/ж; a voiceless consonant). A chain out of order
is not an analysis: "қолдарында" (қол+дар+ы+нда, in their hands) is a form of
the noun қол, not of the verb қолда (support).

    analyse("қолдауын", "қолда", "verb")
    -> KkAnalysis(stem="қолда", pos="verb", morphs=("у", "ы", "н"),
                  features={"verbal_noun", "possessive", "poss_3", "acc"})

Noun slots, in order (example "қолдарындағы", in their hands):
    stem            қол
    plural          -лар/-дар/-тар        қол+дар
    possessive      -ым -ың -ыңыз -ы/-сы -ымыз (1sg 2sg 2sg polite 3 1pl)   қол+дар+ы
    case            -ның -ға -ны -да -дан -мен -дай (after the 3rd person
                    possessive: -ның -на -н -нда -нан -мен -ндай)   қол+дар+ы+нда
    attributive     -ғы/-гі after the locative          қол+дар+ы+нда+ғы

Verb slots, in order (example "талқыланбады", was not discussed):
    stem            талқыла
    voice           passive -ыл/-іл/-л, -ын/-ін/-н after л   талқыла+н
                    (reflexive -ын/-н, reciprocal -ыс/-с and causative -дыр/-ғыз/-т...
                    only with derivation=True: they make other verbs, келіс "agree"
                    from кел "come", so a pattern names the derived stem, @келіс)
    negation        -ма/-ме/-ба/-бе/-па/-пе               талқыла+н+ба
    tense, mood or non-finite form, then person or a noun's slots:
      past          -ды/-ты + person (-м -ң -ңыз -қ -ңдар)     талқыла+н+ба+ды
      present       -а/-е/-й + -ды or person (-мын -сың -сыз -мыз -сыңдар)  қолда+й+ды
      perfect       -ған/-қан + person, or possessive and case   қолда+ған+ы+н
      future        -мақ/-бақ/-пақ (+ -шы, intent) + person       қолда+мақ
                    -ар/-р (aorist), negative -мас + person       бар+ар+мыз, бар+ма+с
      progressive   -уда + person                                 қолда+у+да
      verbal noun   -у + the noun's slots (-уға: infinitive)      қолда+у+ға
      agent noun    -ушы + the noun's slots                       айт+у+шы
      converb       -ып/-п (+ -ты evidential past), -а/-й, -ғалы, -ғанша
      conditional   -са + person                                  қолда+са+қ
      imperative    bare stem, -ыңыз, -ыңдар; optative -айын, -айық, -сын
      desiderative  -ғы + possessive                              айт+қы+сы

Features (names that patterns use in `only:` / `exclude:`):
    verbs  negative, passive, reflexive, reciprocal, causative,
           past, perfect, present, future, intent, progressive, evidential,
           converb, participle, verbal_noun, agent_noun, infinitive,
           abstract (-дық/-лық after -ған, -ар, -ушы: тұрғызылғандықтан),
           conditional, imperative, optative, desiderative,
           person: 1sg 2sg 2sg_polite 1pl 2pl 2pl_polite 3
    nouns (and verbal nouns, participles)  plural, possessive,
           poss_1sg poss_2sg poss_2sg_polite poss_3 poss_1pl,
           nom gen dat acc loc abl ins equ, attributive (-дағы)

"present" is the present-future (-ады): in news it is mostly future or
habitual; -атын (өтетін, to be held) is "present participle". "perfect" is the
-ған participle, finite or not. A finite form with no person ending carries
"3". "nom" marks a noun (or verbal noun) with no case ending.

Left out on purpose, because in news they are far more often another word:
the bare negative imperative (мәлімдеме is a statement, not "don't state!"),
the bare passive stem (жолдан is "from the road"), and, for verbs made from
nouns with -ла/-да/-та, the bare stem and the aorist -р (орында is "in place",
жоспарлар "plans"). The -н "passive" of қолда is the verb қолдан (use).
Analytic forms (-ып жатыр, -ған жоқ) are several words: each is read alone.

Spelling at the stem's edge: a final к/қ/п may voice before a vowel (шық ->
шығып, тап -> табады, жап -> жауып); a last ы/і may drop before a vowel (орын
-> орны, қорық -> қорқады); a verb's final ы/і fuses with -й and -у (оқы ->
оқиды, оқу), й + у is written ю (қой -> қою), и + у is written ию (ти -> тию).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from steppe.analyse.morph.kk_grammar import (
    FEATURES,
    VOICED,
    VOWELS,
    Suffix,
    final_features,
    transitions,
)

__all__ = ["FEATURES", "KkAnalysis", "analyse", "start"]


@dataclass(frozen=True)
class KkAnalysis:
    stem: str
    pos: str  # "verb" or "noun"
    morphs: tuple[str, ...]  # the suffixes after the stem, in order
    features: frozenset[str]



# --- Stems ---------------------------------------------------------------------------


def _syllables(text: str) -> int:
    return sum(ch in VOWELS or ch == "и" for ch in text)


ANY_SUFFIX = "*"  # a stem variant that must be followed by some suffix


def _stem_variants(stem: str, pos: str) -> list[tuple[str, str]]:
    """(surface, letters the next suffix must begin with; "" for any, ANY_SUFFIX for any but at least one)."""
    variants = [(stem, "")]
    # A last ы/і between consonants may drop before a vowel: орын -> орны, қорық -> қорқады.
    if (
        len(stem) >= 4
        and stem[-2] in "ыі"
        and stem[-1] not in VOWELS
        and stem[-3] not in VOWELS
        and _syllables(stem) >= 2
    ):
        variants.append((stem[:-2] + stem[-1], "аәеоөұүыіу"))
    # A loan ending in two consonants may take і/ы before a suffix: факт -> фактісі, фактілері.
    if len(stem) >= 3 and stem[-1] not in VOWELS | {"и", "у", "ь"} and stem[-2] not in VOWELS | set("рлйунмңиь"):
        variants += [(stem + "і", ANY_SUFFIX), (stem + "ы", ANY_SUFFIX)]
    # A verb's final п may become у before ы/і: жап -> жауып, тап -> тауып.
    if pos == "verb" and stem.endswith("п") and len(stem) >= 2 and stem[-2] in VOWELS:
        variants.append((stem[:-1] + "у", "ыі"))
    return variants


def _respell(word: str, stem: str, pos: str) -> str:
    """`word` with the fusions at a verb stem's edge undone.

    оқиды -> оқыйды, оқу -> оқыу, қою -> қойу, тояды -> тойады, тию -> тиу, жияды -> жиады.
    """
    if pos != "verb" or len(word) <= len(stem) - 1:
        return word
    n = len(stem)
    last = stem[-1]
    if len(word) < n or word[: n - 1] != stem[:-1]:
        return word
    if last in "ыі":
        if word[n - 1] == "и":
            return stem + "й" + word[n:]
        if word[n - 1] == "у":
            return stem + word[n - 1 :]
    if last == "й" and word[n - 1] in "яю":
        return stem + ("а" if word[n - 1] == "я" else "у") + word[n:]
    if last == "и" and word[n - 1] == "и" and len(word) > n and word[n] in "яю":
        return stem + ("а" if word[n] == "я" else "у") + word[n + 1 :]
    return word


@functools.lru_cache(maxsize=4096)
def start(stem: str, pos: str) -> str:
    """The prefix that every form of the stem begins with.

    A final к/қ/п may voice (шық -> шығады), a last ы/і may drop (орын ->
    орны), a verb's final ы/і or й fuses (оқы -> оқиды, қой -> қою).
    """
    cut = len(stem)
    if stem[-1] in VOICED:
        cut = len(stem) - 1
    for surface, _ in _stem_variants(stem, pos):
        common = 0
        while common < min(len(surface), len(stem)) and surface[common] == stem[common]:
            common += 1
        cut = min(cut, common)
    if pos == "verb" and stem[-1] in "ыій":
        cut = min(cut, len(stem) - 1)
    return stem[:cut]


# --- Parsing -------------------------------------------------------------------------


def _matches_prefix(word: str, surface: str) -> bool:
    """`surface` spells the start of `word`, its last letter possibly voiced there."""
    n = len(surface)
    if len(word) < n or word[: n - 1] != surface[:-1]:
        return False
    return word[n - 1] == surface[-1] or VOICED.get(surface[-1]) == word[n - 1]


def _features(chain: tuple[tuple[Suffix, str], ...], final: frozenset[str]) -> frozenset[str]:
    feats: set[str] = set()
    for suffix, _ in chain:
        feats |= suffix.features
    feats |= final
    if "verbal_noun" in feats and ("progressive" in feats or "agent_noun" in feats):
        feats.discard("verbal_noun")
    if "verbal_noun" in feats and "dat" in feats and "possessive" not in feats:
        feats.add("infinitive")
    if "nom" in feats and feats & {"gen", "acc", "dat", "loc", "abl", "ins", "equ"}:
        feats.discard("nom")
    if "converb" in feats and feats & {"past", "evidential"}:
        feats.discard("converb")
    if ("perfect" in feats or "participle" in feats) and "nom" in feats and "possessive" not in feats and "plural" not in feats:
        feats.discard("nom")
    return frozenset(feats)


@functools.lru_cache(maxsize=200_000)
def analyse(word: str, stem: str, pos: str, *, derivation: bool = False) -> KkAnalysis | None:
    """Is `word` (lower case, normalised) the stem followed by a valid chain of suffixes for that part of speech?

    The analysis with the fewest suffixes, or None. pos is "verb" or "noun".
    With `derivation`, a verb may also carry the reflexive, reciprocal and
    causative suffixes, which make other verbs (кел -> келіс, agree).
    """
    if pos not in ("verb", "noun"):
        raise ValueError(f"pos must be 'verb' or 'noun', not {pos!r}")
    if not stem or not word.startswith(start(stem, pos)):
        return None
    word = _respell(word, stem, pos)
    best: tuple[tuple[tuple[Suffix, str], ...], frozenset[str]] | None = None
    first_state = "VERB" if pos == "verb" else "NOUN"
    for surface, need in _stem_variants(stem, pos):
        if not _matches_prefix(word, surface):
            continue
        for chain, final in _walk(word, surface, need, first_state, stem, derivation):
            if best is None or len(chain) < len(best[0]):
                best = (chain, final)
    if best is None:
        return None
    chain, final = best
    return KkAnalysis(stem, pos, tuple(a for _, a in chain), _features(chain, final))


def _walk(
    word: str, surface: str, need: str, state: str, stem: str, derivation: bool
) -> Iterator[tuple[tuple[tuple[Suffix, str], ...], frozenset[str]]]:
    """Every (chain of (suffix, allomorph), final-state features) that spells `word` from `state`.

    `surface` is the form so far as the grammar spells it; the word may show its
    last letter voiced (шық+ып -> шығып, бармақ+ы -> бармағы) when the next
    suffix begins with a vowel. `need`: letters the next suffix must begin with.
    """
    ends = final_features(state, stem)
    n = len(surface)
    if ends is not None and not need and word == surface:
        yield (), ends
        return
    if n >= len(word):
        return
    voiced = word[n - 1] != surface[-1]
    for suffix, target in transitions(state, stem, derivation):
        for allomorph in suffix.allomorphs(surface):
            if need and need != ANY_SUFFIX and allomorph[0] not in need:
                continue
            if voiced and allomorph[0] not in "аәеоөұүыіу":
                continue
            if not _matches_prefix(word[n:], allomorph):
                continue
            nxt = word[:n] + allomorph
            for chain, end in _walk(word, nxt, "", target, stem, derivation):
                yield ((suffix, allomorph), *chain), end
