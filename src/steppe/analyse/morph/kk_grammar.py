"""The Kazakh suffix grammar that steppe.analyse.morph.kk reads words with: sounds, suffixes, slots.

A suffix is written once with capitals for its harmony letters and keyed by
the sound classes it may follow; GRAMMAR is a table of states, each with the
features of a word that ends there and its moves (suffix, next state). The
slot order and the feature names are documented in steppe.analyse.morph.kk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

BACK_VOWELS = frozenset("аоұыё")
FRONT_VOWELS = frozenset("әеөүіэ")
VOWELS = BACK_VOWELS | FRONT_VOWELS | frozenset("яю")
VOICED = {"к": "г", "қ": "ғ", "п": "б"}  # a final consonant before a vowel


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


# Every feature an analysis may carry: the names patterns may use in only/exclude.
FEATURES = frozenset().union(
    *(final for final, _ in GRAMMAR.values() if final),
    *(suffix.features for _, moves in GRAMMAR.values() for suffix, _ in moves),
    *(suffix.features for suffix, _ in _TENSES),
    AORIST.features,
    REFLEXIVE.features,
    RECIPROCAL.features,
    CAUSATIVE.features,
    {"infinitive"},  # -уға, see _features
)


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



def transitions(state: str, stem: str, derivation: bool) -> tuple[tuple[Suffix, str], ...]:
    """The (suffix, next state) moves out of `state`; the voice states add the tenses."""
    _, moves = GRAMMAR[state]
    if state in _VOICE_STATES:
        if state == "VERB":
            if derivation:
                moves = ((REFLEXIVE, "DERIVED"), (RECIPROCAL, "DERIVED"), (CAUSATIVE, "CAUSATIVE"), *moves)
            drop = PASSIVE if _passive_n(stem) else PASSIVE_N
            moves = tuple(m for m in moves if m[0] is not drop)
        moves = (*moves, *_tenses(state, stem))
    return moves


def final_features(state: str, stem: str) -> frozenset[str] | None:
    """The features of a word that ends in `state`, or None where no word may end."""
    features, _ = GRAMMAR[state]
    if state == "VERB" and _denominal(stem):
        return None
    return features
