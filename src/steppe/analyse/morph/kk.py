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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

BACK_VOWELS = frozenset("аоұыё")
FRONT_VOWELS = frozenset("әеөүіэ")
VOWELS = BACK_VOWELS | FRONT_VOWELS | frozenset("яю")
VOICED = {"к": "г", "қ": "ғ", "п": "б"}  # a final consonant before a vowel


@dataclass(frozen=True)
class KkAnalysis:
    stem: str
    pos: str  # "verb" or "noun"
    morphs: tuple[str, ...]  # the suffixes after the stem, in order
    features: frozenset[str]


# --- Sounds -------------------------------------------------------------------------


def harmony(text: str) -> tuple[bool, ...]:
    """Whether suffixes after `text` take back vowels (True), front (False), or either.

    The last vowel decides. и says nothing in native words (ти -> тиді) and
    is either (ти -> тиеді, жи -> жияды, командир -> командирі, тарих ->
    тарихы), as are я and ю (Азия -> Азиясы, әмиян -> әмиянім); у is a back
    vowel only between consonants (ресурс -> ресурстар), elsewhere a
    consonant (тау) or the neutral verbal noun (келу -> келуге). A loan that
    ends in ь or in two consonants of which the first is an obstruent
    (факт -> фактісі, съезд -> съезде) takes either.
    """
    if text.endswith("ь") or (
        len(text) >= 2 and text[-1] not in VOWELS | {"и", "у"} and text[-2] not in VOWELS | set("рлйунмңиь")
    ):
        return (True, False)
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if ch in "яю":
            return (True, False)
        if ch in BACK_VOWELS:
            return (True,)
        if ch in FRONT_VOWELS:
            return (False,)
        if ch == "и":  # ти -> тиеді, жи -> жияды; командир -> командирі, тарих -> тарихы
            return (True, False)
        if ch == "у" and 0 < i < len(text) - 1 and text[i - 1] not in VOWELS and text[i + 1] not in VOWELS:
            return (True,)
    return (True,)


def sound_class(text: str) -> str:
    """The last sound's class, which picks a suffix's first consonant.

    V vowel; R р й у и (и is ій); L л; N м н ң; Z з ж; K voiceless (and the
    voiced stops of loans, which take the voiceless forms).
    """
    ch = text[-1]
    if ch == "ь" and len(text) >= 2:  # стиль -> стильдер
        ch = text[-2]
    if ch in VOWELS:
        return "V"
    if ch in "рйуи":
        return "R"
    if ch == "л":
        return "L"
    if ch in "мнң":
        return "N"
    if ch in "зж":
        return "Z"
    return "K"


# --- Suffixes ------------------------------------------------------------------------
# A suffix is written once with capitals for its harmony letters (A а/е, Y ы/і,
# G ғ/г, Q қ/к) and keyed by the sound classes it follows.

_HARMONY = {"A": ("а", "е"), "Y": ("ы", "і"), "G": ("ғ", "г"), "Q": ("қ", "к")}


@dataclass(frozen=True)
class Suffix:
    name: str
    forms: Mapping[str, tuple[str, ...]]  # sound classes ("VRLNZK" letters) -> templates
    features: frozenset[str]

    def allomorphs(self, before: str) -> tuple[str, ...]:
        cls = sound_class(before)
        out: list[str] = []
        for back in harmony(before):
            for classes, templates in self.forms.items():
                if cls in classes:
                    out.extend("".join(_HARMONY[c][0 if back else 1] if c in _HARMONY else c for c in t) for t in templates)
        return tuple(dict.fromkeys(out))


def _suffix(name: str, features: str, **forms: str) -> Suffix:
    """forms: sound classes=templates separated by spaces, e.g. VRLNZ="GA", K="QA"; ALL and CONS name VRLNZK and RLNZK."""
    classes = {"ALL": "VRLNZK", "CONS": "RLNZK"}
    return Suffix(name, {classes.get(k, k): tuple(v.split()) for k, v in forms.items()}, frozenset(features.split()))


# Nouns
PLURAL = _suffix("plural", "plural", VR="лAр", LNZ="дAр", K="тAр")
POSS_1SG = _suffix("poss_1sg", "possessive poss_1sg", V="м", RLNZK="Yм")
POSS_2SG = _suffix("poss_2sg", "possessive poss_2sg", V="ң", RLNZK="Yң")
POSS_2SG_POLITE = _suffix("poss_2sg_polite", "possessive poss_2sg_polite", V="ңYз", RLNZK="YңYз")
POSS_3 = _suffix("poss_3", "possessive poss_3", V="сY", RLNZK="Y")
POSS_1PL = _suffix("poss_1pl", "possessive poss_1pl", V="мYз", RLNZK="YмYз")
GEN = _suffix("gen", "gen", VN="нYң", RLZ="дYң", K="тYң")
ACC = _suffix("acc", "acc", V="нY", RLNZ="дY", K="тY")
DAT = _suffix("dat", "dat", VRLNZ="GA", K="QA")
LOC = _suffix("loc", "loc", VRLNZ="дA", K="тA")
ABL = _suffix("abl", "abl", VRLZ="дAн", N="нAн", K="тAн")
INS = _suffix("ins", "ins", VRLN="мен менен", Z="бен бенен", K="пен пенен")
EQU = _suffix("equ", "equ", VRLNZ="дAй", K="тAй")
# After the 3rd person possessive (-ы/-сы) the cases take an n: қаласы+на.
GEN_3 = _suffix("gen", "gen", V="нYң")
ACC_3 = _suffix("acc", "acc", V="н")
DAT_3 = _suffix("dat", "dat", V="нA")
LOC_3 = _suffix("loc", "loc", V="ндA")
ABL_3 = _suffix("abl", "abl", V="нAн")
INS_3 = _suffix("ins", "ins", V="мен менен")
EQU_3 = _suffix("equ", "equ", V="ндAй")
DAT_12 = _suffix("dat", "dat", N="A")  # after -ым/-ың: қолыма, қолыңа
ATTRIBUTIVE = _suffix("attributive", "attributive", V="GY")  # after the locative: қаладағы

# Verbs: voice
PASSIVE = _suffix("passive", "passive", V="л", RNZK="Yл", L="Yн")
PASSIVE_N = _suffix("passive", "passive", V="н")  # after a vowel stem whose last consonant is л: талқыла+н
REFLEXIVE = _suffix("reflexive", "reflexive", V="н", RNZK="Yн")
RECIPROCAL = _suffix("reciprocal", "reciprocal", V="с", CONS="Yс")
CAUSATIVE = _suffix("causative", "causative", V="т GYз", R="т дYр GYз", LNZ="дYр GYз", K="тYр QYз Yр Ар")
# Verbs: negation and tense, mood, non-finite forms
NEGATIVE = _suffix("negative", "negative", VRL="мA", NZ="бA", K="пA")
PAST = _suffix("past", "past", VRLNZ="дY", K="тY")
CONDITIONAL = _suffix("conditional", "conditional", ALL="сA")
PRESENT_STEM = _suffix("present", "", V="й", CONS="A")  # -а/-й: the converb, or the present with person
PRESENT_3 = _suffix("3", "present 3", ALL="дY")
PRESENT_PARTICIPLE = _suffix("participle", "present participle", ALL="тYн")
PERFECT = _suffix("perfect", "perfect", VRLNZ="GAн", K="QAн")
CONVERB_P = _suffix("converb", "converb", V="п", CONS="Yп")
EVIDENTIAL_3 = _suffix("evidential", "past evidential 3", K="тY")
VERBAL_NOUN = _suffix("verbal_noun", "verbal_noun", ALL="у")
PROGRESSIVE = _suffix("progressive", "progressive", R="дA")
AGENT = _suffix("agent_noun", "agent_noun", R="шY")
FUTURE_MAK = _suffix("future", "future", VRL="мAQ", NZ="бAQ", K="пAQ")
INTENT = _suffix("intent", "intent", K="шY")
AORIST = _suffix("aorist", "future", V="р", CONS="Aр")
AORIST_NEG = _suffix("aorist", "future", V="с")  # бар+ма+с
WITHOUT = _suffix("without", "converb", K="тAн")  # бар+ма+с+тан, without going
ABSTRACT = _suffix("abstract", "abstract", VRL="лYQ", NZ="дYQ", K="тYQ")  # -ған+дық, -ар+лық, -ушы+лық
UNTIL = _suffix("until", "converb", N="шA")  # бар+ған+ша
PURPOSE = _suffix("purpose", "converb", VRLNZ="GAлY", K="QAлY")
IMP_POLITE = _suffix("imperative", "imperative 2sg_polite", V="ңYз", CONS="YңYз")
IMP_PL = _suffix("imperative", "imperative 2pl", V="ңдAр", CONS="YңдAр")
IMP_POLITE_PL = _suffix("imperative", "imperative 2pl_polite", V="ңYздAр", CONS="YңYздAр")
OPT_3 = _suffix("optative", "optative 3", ALL="сYн")
OPT_1SG = _suffix("optative", "optative 1sg", V="йYн", CONS="AйYн")
OPT_1PL = _suffix("optative", "optative 1pl", V="йYQ", CONS="AйYQ")
DESIDERATIVE = _suffix("desiderative", "desiderative", VRLNZ="GY", K="QY")
# Person endings after the present, the perfect, the future and -ып (барамын)...
P1_1SG = _suffix("1sg", "1sg", VRLN="мYн", Z="бYн", K="пYн")
P1_2SG = _suffix("2sg", "2sg", ALL="сYң")
P1_2SG_POLITE = _suffix("2sg_polite", "2sg_polite", ALL="сYз")
P1_1PL = _suffix("1pl", "1pl", VRLN="мYз", Z="бYз", K="пYз")
P1_2PL = _suffix("2pl", "2pl", ALL="сYңдAр")
P1_2PL_POLITE = _suffix("2pl_polite", "2pl_polite", ALL="сYздAр")
# ... and after the past and the conditional (бардым, барсақ)
P2_1SG = _suffix("1sg", "1sg", V="м")
P2_2SG = _suffix("2sg", "2sg", V="ң")
P2_2SG_POLITE = _suffix("2sg_polite", "2sg_polite", V="ңYз")
P2_1PL = _suffix("1pl", "1pl", V="Q")
P2_2PL = _suffix("2pl", "2pl", V="ңдAр")
P2_2PL_POLITE = _suffix("2pl_polite", "2pl_polite", V="ңYздAр")

P1 = (P1_1SG, P1_2SG, P1_2SG_POLITE, P1_1PL, P1_2PL, P1_2PL_POLITE)
# The spoken 1sg бар+а+м (for бар+а+мын) is left out: it makes құрам (structure) құр+а+м.
P1_PRESENT = tuple(replace(s, features=s.features | {"present"}) for s in P1)  # бар+а+мыз
P2 = (P2_1SG, P2_2SG, P2_2SG_POLITE, P2_1PL, P2_2PL, P2_2PL_POLITE)

# --- Grammar --------------------------------------------------------------------------
# State -> (features if a word may end there, transitions (suffix, next state)).
# Nominal states ("N...") serve nouns, verbal nouns and participles alike.

_NOUN_CASES = ((GEN, "END"), (ACC, "END"), (DAT, "END"), (LOC, "LOC"), (ABL, "END"), (INS, "END"), (EQU, "END"))
_NOUN_POSSESSIVES = (
    (POSS_1SG, "POSS12"),
    (POSS_2SG, "POSS12"),
    (POSS_2SG_POLITE, "POSS"),
    (POSS_3, "POSS3"),
    (POSS_1PL, "POSS"),
)
_NOMINAL = ((PLURAL, "PLURAL"), *_NOUN_POSSESSIVES, *_NOUN_CASES)

_TENSES = (
    (PAST, "P2"),
    (CONDITIONAL, "P2"),
    (PRESENT_STEM, "PRESENT"),
    (PERFECT, "PERFECT"),
    (CONVERB_P, "CONVERB_P"),
    (VERBAL_NOUN, "VERBAL_NOUN"),
    (FUTURE_MAK, "FUTURE_MAK"),
    (PURPOSE, "END"),
    (IMP_POLITE, "END"),
    (IMP_PL, "END"),
    (IMP_POLITE_PL, "END"),
    (OPT_3, "END"),
    (OPT_1SG, "END"),
    (OPT_1PL, "END"),
    (DESIDERATIVE, "DESIDERATIVE"),
)

_END: frozenset[str] = frozenset()

GRAMMAR: dict[str, tuple[frozenset[str] | None, tuple[tuple[Suffix, str], ...]]] = {
    "END": (_END, ()),
    "LOC": (_END, ((ATTRIBUTIVE, "END"),)),
    # nouns
    "NOUN": (frozenset({"nom"}), _NOMINAL),
    "PLURAL": (frozenset({"nom"}), (*_NOUN_POSSESSIVES, *_NOUN_CASES)),
    "POSS": (frozenset({"nom"}), _NOUN_CASES),
    "POSS12": (frozenset({"nom"}), ((DAT_12, "END"), *((s, n) for s, n in _NOUN_CASES if s is not DAT))),
    "POSS3": (
        frozenset({"nom"}),
        ((GEN_3, "END"), (ACC_3, "END"), (DAT_3, "END"), (LOC_3, "LOC"), (ABL_3, "END"), (INS_3, "END"), (EQU_3, "END")),
    ),
    # verbs: the stem and the voice slot (the tenses are added by _tenses)
    "VERB": (frozenset({"imperative", "2sg"}), ((PASSIVE, "PASSIVE"), (PASSIVE_N, "PASSIVE"), (NEGATIVE, "NEGATIVE"))),
    # no bare passive imperative (жолда+н!): it is the noun's ablative (жол+дан)
    "PASSIVE": (None, ((NEGATIVE, "NEGATIVE"),)),
    # no bare negative imperative (мәлімде+ме, don't state!): it is the noun made
    # with -ма/-ме (мәлімдеме, a statement; бағдарлама, бөлме)
    "NEGATIVE": (None, ((AORIST_NEG, "AORIST_NEG"),)),
    "DERIVED": (
        frozenset({"imperative", "2sg"}),
        ((CAUSATIVE, "CAUSATIVE"), (PASSIVE, "PASSIVE"), (PASSIVE_N, "PASSIVE"), (NEGATIVE, "NEGATIVE")),
    ),
    "CAUSATIVE": (
        frozenset({"imperative", "2sg"}),
        ((CAUSATIVE, "PASSIVE_ONLY"), (PASSIVE, "PASSIVE"), (PASSIVE_N, "PASSIVE"), (NEGATIVE, "NEGATIVE")),
    ),
    "PASSIVE_ONLY": (frozenset({"imperative", "2sg"}), ((PASSIVE, "PASSIVE"), (NEGATIVE, "NEGATIVE"))),
    # verbs: after a tense or form
    "P2": (frozenset({"3"}), tuple((s, "END") for s in P2)),
    "PRESENT": (frozenset({"converb"}), ((PRESENT_3, "END"), (PRESENT_PARTICIPLE, "NOUN"), *((s, "END") for s in P1_PRESENT))),
    "PERFECT": (_END, ((UNTIL, "END"), (ABSTRACT, "NOUN"), *_NOMINAL, *((s, "END") for s in P1))),
    "CONVERB_P": (_END, ((EVIDENTIAL_3, "END"), *((s, "EVIDENTIAL") for s in P1))),
    "EVIDENTIAL": (frozenset({"past", "evidential"}), ()),
    "VERBAL_NOUN": (frozenset({"nom"}), ((PROGRESSIVE, "PROGRESSIVE"), (AGENT, "AGENT"), *_NOMINAL)),
    "AGENT": (frozenset({"nom"}), ((ABSTRACT, "NOUN"), *_NOMINAL)),
    "PROGRESSIVE": (_END, tuple((s, "END") for s in P1)),
    "FUTURE_MAK": (frozenset({"3"}), ((INTENT, "P1"), (POSS_3, "END"), *((s, "END") for s in P1))),
    "P1": (frozenset({"3"}), tuple((s, "END") for s in P1)),
    "AORIST": (frozenset({"3"}), ((ABSTRACT, "NOUN"), *((s, "END") for s in P1))),
    # бар+ма+с, бар+ма+с+пын; as a noun: жазыл+ма+с+ы+н, сездір+ме+с+ке; бар+ма+с+тан
    "AORIST_NEG": (frozenset({"3"}), ((POSS_3, "AORIST_POSS"), (DAT, "END"), (WITHOUT, "END"), *((s, "END") for s in P1))),
    "AORIST_POSS": (None, ((ACC_3, "END"), (DAT_3, "END"))),
    "DESIDERATIVE": (None, tuple((s, "END") for s, _ in _NOUN_POSSESSIVES)),  # айт+қы+сы (келеді)
}

_VOICE_STATES = ("VERB", "PASSIVE", "NEGATIVE", "DERIVED", "CAUSATIVE", "PASSIVE_ONLY")


def _denominal(stem: str) -> bool:
    """A verb made from a noun with -ла/-да/-та (жоспарла, орында): its bare stem is
    the noun's locative (орын+да, in place) and its aorist the noun's plural
    (жоспар+лар), far more often than "fulfil!" or "will plan", so neither is read."""
    return len(stem) >= 3 and stem[-1] in "ае" and stem[-2] in "лдт"


def _tenses(state: str, stem: str) -> tuple[tuple[Suffix, str], ...]:
    """The tense, mood and non-finite suffixes that may follow a voice state."""
    if state == "NEGATIVE":
        # -ма+й (бармай, бармайды), -ма+ды, -ма+ған, -ма+у; no aorist -ар after -ма
        return _TENSES
    aorist_ok = state != "VERB" or not _denominal(stem)
    return (*_TENSES, (AORIST, "AORIST")) if aorist_ok else _TENSES


# A vowel stem takes the passive -л (жаса+л), or -н when an л is in its last two
# syllables (талқыла+н, қабылда+н). Where -н makes a verb of its own, it is
# that verb's, not the passive: қолда+н is "use", not "be supported".
LEXICALISED_N = frozenset({"қолда"})


def _passive_n(stem: str) -> bool:
    if stem[-1] not in VOWELS or stem in LEXICALISED_N:
        return False
    vowels = [i for i, ch in enumerate(stem) if ch in VOWELS or ch == "и"]
    tail = stem[vowels[-3] + 1 :] if len(vowels) >= 3 else stem
    return "л" in tail


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


def _transitions(state: str, stem: str, derivation: bool) -> tuple[tuple[Suffix, str], ...]:
    final, moves = GRAMMAR[state]
    if state in _VOICE_STATES:
        if state == "VERB":
            if derivation:
                moves = ((REFLEXIVE, "DERIVED"), (RECIPROCAL, "DERIVED"), (CAUSATIVE, "CAUSATIVE"), *moves)
            drop = PASSIVE if _passive_n(stem) else PASSIVE_N
            moves = tuple(m for m in moves if m[0] is not drop)
        moves = (*moves, *_tenses(state, stem))
    return moves


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
    final, _ = GRAMMAR[state]
    if state == "VERB" and _denominal(stem):
        final = None
    n = len(surface)
    if final is not None and not need and word == surface:
        yield (), final
        return
    if n >= len(word):
        return
    voiced = word[n - 1] != surface[-1]
    for suffix, target in _transitions(state, stem, derivation):
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
