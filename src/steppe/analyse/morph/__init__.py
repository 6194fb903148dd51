"""Word forms of a lemma, with their morphological features: what a pattern word `@lemma` matches.

Event patterns name verbs and nouns by lemma (`@подписать`, `@expulsar`,
`@shell`); the forms come from morphological analysis, never from a surface
prefix, so "пытался" (пытаться, to try) is no form of "@пытать" (to torture)
and "expulsou", "expulsaram", "expulsará" are all forms of "@expulsar".

- Russian: pymorphy3 with the OpenCorpora dictionary (pymorphy3-dicts-ru):
  the lemma's lexeme, each form with its grammemes (`past`, `pres`, `futr`,
  `INFN`, `GRND`, `PRTF`, `PRTS`, `pssv`, `perf`, `impf`, `impr`...).
- Portuguese, English, Spanish: simplemma's dictionary (form -> lemma),
  inverted: every form the dictionary gives that lemma. Features come from
  the ending: `future` and `conditional` in pt and es ("visitará",
  "firmaría"), `participle` (-ado/-ido...), `gerund` (-ndo).
- Kazakh: no library; `steppe.analyse.morph.kk` analyses a word as a stem
  and its chain of suffixes, at match time (forms are not listed).

Forms are normalised as text is for matching (lower case, ё as е). The forms
of a lemma are computed once per process: the patterns name a few hundred
lemmas, and a word form is then a set lookup when text is read.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from steppe.text import normalise_for_matching

GENERATED_LANGUAGES = ("ru", "pt", "en", "es")  # forms listed from a dictionary
ANALYSED_LANGUAGES = ("kk",)  # forms analysed at match time

# Features an `only:` or `exclude:` list of a trigger may name, per language.
RU_FEATURES = frozenset(
    "NOUN ADJF ADJS VERB INFN PRTF PRTS GRND past pres futr impr indc perf impf pssv actv tran intr "
    "sing plur nomn gent datv accs ablt loct 1per 2per 3per Refl".split()
)
ROMANCE_FEATURES = frozenset({"future", "conditional", "participle", "gerund", "infinitive", "finite"})
EN_FEATURES = frozenset({"gerund", "finite"})
# Kazakh: the features steppe.analyse.morph.kk gives.
KK_FEATURES = frozenset(
    "negative passive reflexive reciprocal causative past perfect present future intent progressive evidential converb "
    "verbal_noun participle agent_noun desiderative abstract attributive conditional imperative optative infinitive "
    "plural possessive nom gen dat acc loc abl ins equ".split()
)
FEATURES: Mapping[str, frozenset[str]] = MappingProxyType(
    {"ru": RU_FEATURES, "pt": ROMANCE_FEATURES, "es": ROMANCE_FEATURES, "en": EN_FEATURES, "kk": KK_FEATURES}
)
# Features of a form that make it no report of a done act: a future
# announces ("посетит", "visitará": a statement of intent, as "will visit"),
# a conditional supposes ("firmaría"), a negative verb denies (Kazakh
# "қолдамады"). Kazakh's present-future in the third person ("талқыланады")
# is mostly a future in news; in the first ("құттықтаймын") a present.
# A key "a+b" needs both features.
MOODS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "ru": MappingProxyType({"futr": "intent"}),
        "pt": MappingProxyType({"future": "intent", "conditional": "negated"}),
        "es": MappingProxyType({"future": "intent", "conditional": "negated"}),
        "en": MappingProxyType({}),
        "kk": MappingProxyType({"negative": "negated", "conditional": "negated", "future": "intent", "intent": "intent", "present+3": "intent", "desiderative": "intent"}),
    }
)

_FUTURE = {
    "pt": ("rei", "rás", "rá", "remos", "reis", "rão"),
    "es": ("ré", "rás", "rá", "remos", "réis", "rán"),
}
_CONDITIONAL = {
    "pt": ("ria", "rias", "ríamos", "ríeis", "riam"),
    "es": ("ría", "rías", "ríamos", "ríais", "rían"),
}
_PARTICIPLE = {
    "pt": ("ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas"),
    "es": ("ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas"),
}
_GERUND = {"pt": ("ndo",), "es": ("ndo",), "en": ("ing",)}


class MorphologyError(ValueError):
    """A lemma the analyser does not know, or a feature it does not give."""


@functools.cache
def russian_analyzer():
    """The process's one pymorphy3 analyser for Russian (loading it takes a while; its dictionaries come from PyPI)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def _norm(word: str) -> str:
    return normalise_for_matching(word)


def russian_forms(lemma: str) -> dict[str, frozenset[str]]:
    """Form -> grammemes of every form of a Russian lemma (a verb's infinitive, a noun's nominative).

    A form shared by two analyses of the lemma gets the grammemes of both
    ("подписанный": nominative and accusative).
    """
    morph = russian_analyzer()
    parses = [p for p in morph.parse(lemma) if _norm(p.normal_form) == lemma]
    if not parses or not any(p.is_known for p in parses):
        raise MorphologyError(f"pymorphy3 does not know the Russian lemma {lemma!r}")
    out: dict[str, set[str]] = {}
    seen = set()
    for p in parses:
        if not p.is_known:
            continue
        for form in p.lexeme:
            key = (form.word, str(form.tag))
            if key in seen:
                continue
            seen.add(key)
            out.setdefault(_norm(form.word), set()).update(form.tag.grammemes)
    # A form that is present in one aspect and future in the other ("считает": считать
    # counts, and will count) reads as the present: news reports.
    return {w: frozenset(g - {"futr"} if "pres" in g else g) for w, g in out.items()}


@functools.cache
def _dictionary(language: str) -> Mapping[str, str]:
    from simplemma.strategies.dictionaries.dictionary_factory import (
        DefaultDictionaryFactory,
    )

    return DefaultDictionaryFactory().get_dictionary(language)


@functools.cache
def _inverse(language: str, lemmas: frozenset[str]) -> Mapping[str, tuple[str, ...]]:
    """Lemma -> its forms in simplemma's dictionary, for the lemmas asked (one pass over the dictionary)."""
    out: dict[str, set[str]] = {lemma: {lemma} for lemma in lemmas}
    for form, lemma in _dictionary(language).items():
        lemma = lemma.decode() if isinstance(lemma, bytes) else lemma
        if lemma in out and len(form) > 2 and form.replace("-", "").isalpha():
            out[lemma].add(_norm(form))
    return {lemma: tuple(sorted(forms)) for lemma, forms in out.items()}


INFINITIVE_ENDINGS = ("ar", "er", "ir", "ír", "or", "ôr")  # a Portuguese or Spanish verb's lemma (pôr, compor)
_PARTICIPLE_OF = {"ar": "ad", "er": "id", "ir": "id", "ír": "íd"}


def _regular_extras(language: str, lemma: str, forms: Iterable[str]) -> list[str]:
    """Forms a verb's dictionary entry may leave to other lemmas: its regular participles
    ("detido" is filed as an adjective), and in Portuguese its finite forms with the
    reflexive "-se" as news writes them ("reuniu-se", "recusou-se")."""
    if language not in ("pt", "es") or lemma[-2:] not in _PARTICIPLE_OF:
        return []
    stem = lemma[:-2] + _PARTICIPLE_OF[lemma[-2:]]
    extras = [stem + ending for ending in ("o", "a", "os", "as")]
    if language == "pt":
        extras += [f"{form}-se" for form in forms if form != lemma and "-" not in form and not form.endswith(("ndo", "do", "da", "dos", "das"))]
        extras.append(f"{lemma}-se")
        extras += _pt_object_clitics(lemma, forms)
    return extras


_PT_CLITICS = ("o", "a", "os", "as", "lhe", "lhes")
_PT_INFINITIVE_CLITIC = {"ar": "á", "er": "ê", "ir": "i", "ír": "i"}


def _pt_object_clitics(lemma: str, forms: Iterable[str]) -> list[str]:
    """Portuguese verb forms with an object pronoun after them, as formal news writes them: the
    third-person past and present and the gerund ("acusou-o", "acusaram-no", "acusando-o") and
    the infinitive ("ameaçá-los", "acusar-lhe")."""
    out = [f"{lemma[:-2]}{_PT_INFINITIVE_CLITIC[lemma[-2:]]}-l{c}" for c in ("o", "a", "os", "as")]
    out += [f"{lemma}-{c}" for c in ("lhe", "lhes")]
    for form in forms:
        if "-" in form:
            continue
        if form.endswith(("ou", "eu", "iu", "ndo", "a", "e")) and form != lemma:
            out += [f"{form}-{c}" for c in _PT_CLITICS]
        elif form.endswith(("am", "em", "ão")):
            out += [f"{form}-n{c}" for c in ("o", "a", "os", "as")] + [f"{form}-{c}" for c in ("lhe", "lhes")]
    return out


def _romance_features(language: str, lemma: str, form: str) -> frozenset[str]:
    feats = set()
    if language in ("pt", "es") and lemma.endswith(INFINITIVE_ENDINGS):
        if form == lemma:
            feats.add("infinitive")
        elif form.endswith(_FUTURE[language]):
            feats.add("future")
        elif form.endswith(_CONDITIONAL[language]):
            feats.add("conditional")
    if form.endswith(_PARTICIPLE.get(language, ())) and form != lemma:
        feats.add("participle")
    if form.endswith(_GERUND.get(language, ())) and form != lemma:
        feats.add("gerund")
    if not feats & {"infinitive", "participle", "gerund"}:
        feats.add("finite")
    return frozenset(feats)


def ending_mood(language: str, word: str) -> str | None:
    """The mood a Portuguese or Spanish verb's ending gives, for a trigger word written as a stem
    ("visit*" matching "visitará"): "intent" (future), "negated" (conditional) or None."""
    if language not in _FUTURE or len(word) < 5:
        return None
    if word.endswith(_FUTURE[language]):
        return MOODS[language]["future"]
    if word.endswith(_CONDITIONAL[language]):
        return MOODS[language]["conditional"]
    return None


def lemma_forms(language: str, lemmas: Iterable[str]) -> dict[str, dict[str, frozenset[str]]]:
    """Lemma -> {form: features} for the lemmas of one language (ru, pt, en, es)."""
    lemmas = sorted({_norm(x) for x in lemmas})
    if language == "ru":
        return {lemma: russian_forms(lemma) for lemma in lemmas}
    if language in ("pt", "en", "es"):
        inverse = _inverse(language, frozenset(lemmas))
        _dictionary.cache_clear()  # the forms are listed: the dictionary (a million entries) is not kept in memory
        out = {}
        for lemma in lemmas:
            forms = set(inverse[lemma]) | set(_regular_extras(language, lemma, inverse[lemma]))
            out[lemma] = {form: _romance_features(language, lemma, form.split("-")[0]) for form in sorted(forms)}
        return out
    raise MorphologyError(f"no dictionary of forms for language {language!r} (expected one of {', '.join(GENERATED_LANGUAGES)})")


def has(features: frozenset[str], key: str) -> bool:
    """Whether `features` hold the feature `key`, or all of "a+b"."""
    return all(part in features for part in key.split("+"))


def select(forms: Mapping[str, frozenset[str]], only: frozenset[str], exclude: frozenset[str]) -> frozenset[str]:
    """The forms whose features include all of `only` and none of `exclude`."""
    return frozenset(w for w, f in forms.items() if only <= f and not (exclude & f))


def versions() -> str:
    """The analysers' versions, part of the analysis version: new dictionaries may give new forms."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for dist in ("pymorphy3", "pymorphy3-dicts-ru", "simplemma"):
        try:
            out.append(f"{dist}={version(dist)}")
        except PackageNotFoundError:
            out.append(f"{dist}=none")
    return ";".join(out)
