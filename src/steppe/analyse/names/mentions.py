"""Find names in a document and resolve them to registry entities.

One multi-pattern pass (Aho-Corasick) over the document finds every known
form of every entity name: the registry's curated names in any language and
script, transliterations generated from Cyrillic names (steppe.analyse.names.translit),
Russian case forms generated from data/names/inflection.yaml, and Kazakh and
Russian endings accepted after a name inside the same word (Тоқаевтың,
Путина). Then, in order:

1. overlapping matches keep the longest (leftmost first);
2. a form several entities share is settled by the publication date (a
   historical name), by an earlier full mention in the document
   (coreference), or by the registry's tie-breaks; otherwise it is reported
   as ambiguous, never guessed;
3. role phrases ("o presidente do Cazaquistão", "президент России", "Kazakh
   President") resolve to whoever held the role on the publication date;
4. a sentence opening with a third-person pronoun ("Ele", "Он") refers to the
   first person named in the sentence before;
5. capitalised name-like spans that nothing matched are tried against the
   folding key (steppe.analyse.names.translit.fold), then fuzzily within one entity type;
   what still resolves to nothing is kept as an unresolved mention for
   curators.

Every mention records how it was resolved (`method`) and a score.
"""

from __future__ import annotations

import bisect
import functools
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from typing import Any

import ahocorasick
import yaml
from rapidfuzz import fuzz, process

from steppe.analyse.names import translit
from steppe.analyse.names.registry import Entity, Name, Registry, load_registry

METHODS = (
    "exact",
    "transliteration",
    "fold",
    "inflection",
    "demonym",
    "role",
    "coreference",
    "fuzzy",
    "ambiguous",
    "unresolved",
)
# How much a resolution is trusted, by how it was made.
METHOD_SCORES = {
    "exact": 1.0,
    "transliteration": 0.95,
    "inflection": 0.95,
    "demonym": 0.9,
    "coreference": 0.85,
    "fold": 0.85,
    "role": 0.8,
    "fuzzy": 0.7,
    "ambiguous": 0.0,
    "unresolved": 0.0,
}
SHORT_NAME_SCORE = 0.9  # a surname alone, with no full name earlier in the document
PRONOUN_SCORE = 0.6
FUZZY_MIN_RATIO = 92.0
FUZZY_MIN_LENGTH = 8  # shorter words are too often common words that happen to look alike


@dataclass(frozen=True)
class Mention:
    char_start: int
    char_end: int
    surface: str
    entity_id: str | None
    entity_type: str | None
    method: str
    score: float


# --- Offset-preserving normalisation ------------------------------------------------

# Characters that stand for one another in names, mapped one to one so that
# offsets in the normalised text are offsets in the original.
_EQUIVALENTS = {
    **{ch: "-" for ch in "‐‑‒–—−"},
    **{ch: "'" for ch in "’‘ʼ`´"},
    "\u00a0": " ",
    "\u202f": " ",
    "ё": "е",
    "ı": "i",
}
_EQUIVALENT = re.compile("[" + "".join(_EQUIVALENTS) + "]")


def normalise_for_matching(text: str) -> str:
    """Lower case, with typographic hyphens, apostrophes and spaces made plain; same length as ``text``.

    str.lower() and a regular expression for the rare special characters run
    in C, several times faster than a per-character translation table.
    Accents are kept: a name written without them is met by the folding key.
    """
    low = text.lower()
    if len(low) != len(text):
        # A few characters lower to two (İ -> i̇): lower those one by one.
        low = "".join(c if len(c) == 1 else ch for ch, c in ((ch, ch.lower()) for ch in text))
    if _EQUIVALENT.search(low):
        low = _EQUIVALENT.sub(lambda m: _EQUIVALENTS[m.group()], low)
    return low


# --- Reference data ----------------------------------------------------------------------


def _load_data(name: str) -> dict:
    path = resources.files("steppe") / "data" / "names" / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping")
    return data


@dataclass(frozen=True)
class Paradigm:
    ending: str
    forms: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class LanguageData:
    paradigms: tuple[Paradigm, ...]
    cases: tuple[str, ...]
    indeclinable: frozenset[str]
    suffixes: dict[str, frozenset[str]]  # by script
    roles: dict[str, dict[str, tuple[str, ...]]]  # role -> language -> phrases
    default_country: dict[str, str]
    connectors: dict[str, frozenset[str]]
    pronouns: dict[str, frozenset[str]]
    stopwords: frozenset[str]
    language_nouns: frozenset[str]


@functools.cache
def language_data() -> LanguageData:
    infl = _load_data("inflection.yaml")
    roles = _load_data("roles.yaml")
    stop = _load_data("stoplist.yaml")
    ru = infl["russian"]
    cases = tuple(ru["cases"])
    paradigms = []
    for p in ru["paradigms"]:
        forms = {case: tuple(p["forms"][case]) for case in cases}
        paradigms.append(Paradigm(p["ending"], forms))
    return LanguageData(
        paradigms=tuple(paradigms),
        cases=cases,
        indeclinable=frozenset(ru["indeclinable_endings"]),
        suffixes={script: frozenset(normalise_for_matching(s) for s in values) for script, values in infl["suffixes"].items()},
        roles={role: {lang: tuple(p.lower() for p in phrases) for lang, phrases in by_lang.items()} for role, by_lang in roles["roles"].items()},
        default_country=dict(roles.get("default_country") or {}),
        connectors={lang: frozenset(words) for lang, words in stop["connectors"].items()},
        pronouns={lang: frozenset(words) for lang, words in stop["pronouns"].items()},
        stopwords=frozenset(w for words in stop["stopwords"].values() for w in words),
        language_nouns=frozenset(stop["language_nouns"]),
    )


# --- Name forms ---------------------------------------------------------------------------

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _russian_word_forms(word: str, data: LanguageData) -> dict[str, tuple[str, ...]]:
    """Case -> forms of one word; a word that does not decline keeps its form in every case."""
    if not _CYRILLIC.search(word) or word.isupper() or word[-1:].lower() in data.indeclinable or len(word) < 3:
        return {case: (word,) for case in data.cases}
    lower = word.lower()
    for p in data.paradigms:
        if lower.endswith(p.ending):
            stem = word[: len(word) - len(p.ending)] if p.ending else word
            return {case: tuple(stem + e for e in p.forms[case]) for case in data.cases}
    return {case: (word,) for case in data.cases}


_ADJECTIVE_ENDINGS = ("ая", "яя", "ое", "ее", "ые", "ие", "ый", "ий", "ой")


def russian_case_forms(name: str, all_words: bool = True) -> list[str]:
    """Every case form of a Russian name, the same case for each word: Владимир Путин -> Владимиром Путиным.

    In a person's name every word declines. In other names only the leading
    adjectives and the first noun do; what follows is a complement that keeps
    its case (Шанхайской организации сотрудничества, Совета Федерации).
    """
    data = language_data()
    words = name.split(" ")
    per_word = []
    frozen = False
    for w in words:
        per_word.append({case: (w,) for case in data.cases} if frozen else _russian_word_forms(w, data))
        if not all_words and not w.lower().endswith(_ADJECTIVE_ENDINGS):
            frozen = True
    out: list[str] = []
    for case in data.cases:
        combos = [""]
        for i, forms in enumerate(per_word):
            combos = [c + (" " if i else "") + f for c in combos for f in forms[case]]
        out.extend(c for c in combos if c not in out)
    return out


def _hyphen_variants(form: str) -> list[str]:
    return [form, form.replace("-", " ")] if "-" in form else [form]


def generated_forms(name: Name) -> dict[str, str]:
    """Latin forms of a curated Cyrillic name under each transliteration scheme (scheme -> form)."""
    if translit.script_of(name.text) != "Cyrl" or name.kind in ("abbreviation", "demonym"):
        return {}
    source_language = name.language if name.language in ("ru", "kk") else "ru"
    return {scheme: form for scheme, form in translit.latin_forms(name.text, source_language).items() if form}


def entity_names(entity: Entity) -> list[Name]:
    """The entity's curated names, then the Latin forms generated from its Cyrillic names.

    Generated forms carry kind "transliteration" and their scheme; a form
    already present is not repeated (entity_names is keyed by entity and name).
    """
    names: list[Name] = list(entity.names)
    seen = {n.text for n in names}
    for n in entity.names:
        for scheme, form in generated_forms(n).items():
            if form not in seen:
                seen.add(form)
                names.append(
                    Name(
                        text=form,
                        language=SCHEME_LANGUAGES.get(scheme),
                        kind="transliteration",
                        valid_from=n.valid_from,
                        valid_to=n.valid_to,
                        scheme=scheme,
                    )
                )
    return names


# The language a generated form belongs to, where a scheme is one language's habit.
SCHEME_LANGUAGES = {"kazakh_latin_2021": "kk", "kazakh_latin_2018": "kk", "press_pt": "pt", "press_es": "es", "press_en": "en"}


# --- The index ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    entity_id: str
    entity_type: str
    text: str  # the form as written in the registry or generated
    kind: str
    language: str | None
    method: str  # exact, transliteration, inflection or demonym, if this form matches
    capitalised: bool  # must start with an upper-case letter in the text
    case_sensitive: bool  # must match letter for letter (abbreviations, short forms)
    valid_from: date | None
    valid_to: date | None


@dataclass
class NameIndex:
    registry: Registry
    automaton: Any
    fold_index: dict[str, tuple[Form, ...]]
    fold_buckets: dict[str, tuple[str, ...]]
    # Unmatched spans repeat across documents (the same unknown names recur),
    # and resolving one by folding and fuzzy search is the costly part.
    fold_cache: dict[str, tuple[str | None, str | None, str, float]] = field(default_factory=dict)


def _forms_of(entity: Entity) -> Iterable[Form]:
    """Every form a name of the entity may take in text, each with how it matches.

    A generated transliteration keeps the kind of the name it comes from, so
    that "Tokaiev" (from the short name Тоқаев) is still a short name.
    """
    all_words = entity.entity_type == "person"
    for n in entity.names:
        if not n.text.strip():
            continue
        written = [(n.text, "demonym" if n.kind == "demonym" else "exact", n.language)]
        written += [(form, "transliteration", SCHEME_LANGUAGES.get(scheme)) for scheme, form in generated_forms(n).items()]
        for text, base_method, language in written:
            capitalised = text[:1].isupper() and n.kind != "demonym"
            case_sensitive = n.kind == "abbreviation" or len(text) <= 3
            variants = [(v, base_method) for v in _hyphen_variants(text)]
            if _CYRILLIC.search(text) and n.language in (None, "ru") and not case_sensitive:
                inflected = "demonym" if n.kind == "demonym" else "inflection"
                variants += [(f, inflected) for f in russian_case_forms(text, all_words) if f != text]
            for variant, method in variants:
                yield Form(entity.entity_id, entity.entity_type, variant, n.kind, language, method, capitalised, case_sensitive, n.valid_from, n.valid_to)


def build_index(registry: Registry) -> NameIndex:
    by_key: dict[str, list[Form]] = defaultdict(list)
    by_fold: dict[str, list[Form]] = defaultdict(list)
    for entity in registry.entities.values():
        for form in _forms_of(entity):
            key = normalise_for_matching(form.text)
            if form not in by_key[key]:
                by_key[key].append(form)
            if form.method != "inflection" and not form.case_sensitive:
                folded = translit.fold(form.text)
                if len(folded) >= 4 and form not in by_fold[folded]:
                    by_fold[folded].append(form)
    automaton = ahocorasick.Automaton()
    for key, forms in by_key.items():
        automaton.add_word(key, (key, tuple(forms)))
    automaton.make_automaton()
    buckets: dict[str, list[str]] = defaultdict(list)
    for key in by_fold:
        buckets[key[:2]].append(key)
    return NameIndex(
        registry=registry,
        automaton=automaton,
        fold_index={k: tuple(v) for k, v in by_fold.items()},
        fold_buckets={k: tuple(sorted(v)) for k, v in buckets.items()},
    )


_DEFAULT_INDEX_LOCK = threading.Lock()


@functools.cache
def _build_default_index() -> NameIndex:
    return build_index(load_registry())


def default_index() -> NameIndex:
    """The index of the package's registry, built once per process.

    The lock matters: batches run in threads, and without it each thread that
    starts before the first build ends would build an index of its own.
    """
    with _DEFAULT_INDEX_LOCK:
        return _build_default_index()


# --- Matching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    forms: tuple[Form, ...]
    inflected: bool  # a suffix followed the form inside the word


_WORD_REST = re.compile(r"[^\W\d_]+")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def _suffix_script(ch: str) -> str:
    return "Cyrl" if _CYRILLIC.match(ch) else "Latn"


MAX_SUFFIXES = 3  # Kazakh stacks them: қазақстан-дық-тар-дың, Минск-і-де


@functools.lru_cache(maxsize=65536)
def _is_suffix_chain(rest: str, suffixes: frozenset[str]) -> bool:
    """Whether the rest of a word is a sequence of at most MAX_SUFFIXES known endings."""
    reachable = {0}
    for _ in range(MAX_SUFFIXES):
        reachable = {i + len(sfx) for i in reachable for sfx in suffixes if rest.startswith(sfx, i)}
        if len(rest) in reachable:
            return True
        if not reachable:
            return False
    return False


def _form_fits(form: Form, surface: str, language: str | None) -> bool:
    # A demonym is a common word of one language ("china" is a Chinese woman in
    # Spanish, china in English): it counts only in a document of that language.
    if form.kind == "demonym" and form.language and language and form.language != language:
        return False
    if form.case_sensitive:
        return surface == form.text or (surface.upper() == form.text.upper() and surface.isupper() and form.text.isupper())
    if form.capitalised and not surface[:1].isupper():
        return False
    return True


def find_candidates(text: str, index: NameIndex, language: str | None = None, norm: str | None = None) -> list[Candidate]:
    norm = normalise_for_matching(text) if norm is None else norm
    data = language_data()
    out = []
    n = len(text)
    for end_idx, (key, forms) in index.automaton.iter(norm):
        start = end_idx - len(key) + 1
        end = end_idx + 1
        if start > 0 and _is_word_char(text[start - 1]):
            continue
        inflected = False
        if end < n and _is_word_char(text[end]):
            m = _WORD_REST.match(text, end)
            if not m or m.end() < n and text[m.end()].isdigit():
                continue
            rest = normalise_for_matching(m.group())
            if not _is_suffix_chain(rest, data.suffixes.get(_suffix_script(text[end - 1]), frozenset())):
                continue
            end = m.end()
            inflected = True
        surface = text[start : start + len(key)]
        fitting = tuple(f for f in forms if _form_fits(f, surface, language) and not (inflected and f.case_sensitive))
        if fitting:
            out.append(Candidate(start, end, fitting, inflected))
    return out


def select_longest(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates, leftmost first, longest at each start."""
    ordered = sorted(candidates, key=lambda c: (c.start, -(c.end - c.start)))
    chosen: list[Candidate] = []
    last_end = -1
    for c in ordered:
        if c.start >= last_end:
            chosen.append(c)
            last_end = c.end
    return chosen


def with_nested_names(chosen: Sequence[Candidate], candidates: Sequence[Candidate], text: str) -> list[Candidate]:
    """Add the capitalised names inside a descriptive name.

    "câmara baixa do parlamento do Cazaquistão" names the Mazhilis and also
    mentions Kazakhstan; a proper name ("Banco Nacional do Cazaquistão")
    does not mention its country separately, and the town in "lago Balkhash"
    is not mentioned at all: only countries are taken from inside.
    """
    out = list(chosen)
    for c in chosen:
        if not text[c.start].islower() or all(f.kind == "demonym" for f in c.forms):
            continue
        inner = [
            d
            for d in candidates
            if c.start <= d.start and d.end <= c.end and d != c and text[d.start].isupper()
            and all(f.entity_type == "country" for f in d.forms)
        ]
        out.extend(select_longest(inner))
    return sorted(out, key=lambda c: (c.start, c.end))


_PREVIOUS_WORD = re.compile(r"([^\W\d_]+)\s+$")


def _names_a_language(c: Candidate, text: str) -> bool:
    """A demonym after "língua", "language", "язык": the language, not the country."""
    if not all(f.kind == "demonym" for f in c.forms):
        return False
    m = _PREVIOUS_WORD.search(text, max(0, c.start - 20), c.start)
    return bool(m) and m.group(1).lower() in language_data().language_nouns


def _valid_on(form: Form, on: date | None) -> bool:
    if on is None:
        return True
    if form.valid_from and on < form.valid_from:
        return False
    if form.valid_to and on > form.valid_to:
        return False
    return True


def _resolve_candidate(c: Candidate, text: str, on: date | None, seen_full: set[str], index: NameIndex) -> Mention:
    surface = text[c.start : c.end]
    entities = {f.entity_id for f in c.forms}
    forms = c.forms
    if len(entities) > 1:
        dated = tuple(f for f in forms if _valid_on(f, on))
        if dated and len({f.entity_id for f in dated}) == 1:
            forms = dated
    entities = {f.entity_id for f in forms}
    method_override = None
    if len(entities) > 1:
        earlier = entities & seen_full
        if len(earlier) == 1:
            forms = tuple(f for f in forms if f.entity_id in earlier)
            method_override = "coreference"
    entities = {f.entity_id for f in forms}
    if len(entities) > 1:
        rule = index.registry.tie_breaks.get(forms[0].text.casefold())
        prefer = getattr(rule, "prefer", None) if rule else None
        if prefer in entities:
            forms = tuple(f for f in forms if f.entity_id == prefer)
        else:
            types = {f.entity_type for f in forms}
            return Mention(c.start, c.end, surface, None, types.pop() if len(types) == 1 else None, "ambiguous", 0.0)
    # Prefer the most direct way this entity's form matched.
    order = ("exact", "demonym", "transliteration", "inflection")
    form = min(forms, key=lambda f: (order.index(f.method), f.kind == "short"))
    method = method_override or ("inflection" if c.inflected and form.method == "exact" else form.method)
    score = METHOD_SCORES[method]
    if form.kind == "short" and method != "coreference":
        if form.entity_id in seen_full:
            method, score = "coreference", METHOD_SCORES["coreference"]
        else:
            score = min(score, SHORT_NAME_SCORE)
    return Mention(c.start, c.end, surface, form.entity_id, form.entity_type, method, score)


# Initials before a surname: "В.В. Путин", "К.-Ж. Токаев", "V. Putin".
_INITIALS = re.compile(r"(?:(?<![\w.])(?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]\.[\s-]?){1,3})\s?$")
# Up to two capitalised words before a surname: a first name the registry spells otherwise.
_FIRST_NAMES = re.compile(r"(?<![\w-])((?:[A-ZÀ-ÞА-ЯЁӘҒҚҢӨҰҮҺІ][\w'-]+\s+){1,2})$")


def extend_person_name(m: Mention, text: str, index: NameIndex, before: Sequence[Mention]) -> Mention:
    """Take in the initials or first names written before a person's surname.

    "В.В. Путин" is one mention; so is "Kassym-Jomart Toqaev", a mix of two
    spellings, when the whole span folds to a name of the same entity.
    """
    if m.entity_id is None:
        return m
    taken = before[-1].char_end if before else 0
    window_start = max(taken, m.char_start - 40)
    initials = _INITIALS.search(text, window_start, m.char_start)
    if initials and initials.start() >= taken:
        return Mention(initials.start(), m.char_end, text[initials.start() : m.char_end], m.entity_id, m.entity_type, m.method, m.score)
    first = _FIRST_NAMES.search(text, window_start, m.char_start)
    if first and first.start() >= taken:
        span = text[first.start() : m.char_end]
        if first.group(1).split()[0].lower() not in language_data().stopwords:
            forms = index.fold_index.get(translit.fold(span), ())
            if forms and {f.entity_id for f in forms} == {m.entity_id}:
                return Mention(first.start(), m.char_end, span, m.entity_id, m.entity_type, "fold", METHOD_SCORES["fold"])
    return m


# --- Role phrases ------------------------------------------------------------------------------


@functools.cache
def _role_automaton(language: str) -> Any:
    """One automaton over every role phrase of a language, matched in the normalised text."""
    automaton = ahocorasick.Automaton()
    for role, by_lang in language_data().roles.items():
        for phrase in by_lang.get(language, ()):
            key = normalise_for_matching(phrase)
            automaton.add_word(key, (key, role))
    if len(automaton) == 0:
        return None
    automaton.make_automaton()
    return automaton


def _role_matches(text: str, norm: str, language: str) -> Iterable[tuple[str, int, int]]:
    """(role, start, end) of every role phrase; Russian and Kazakh role words keep their endings."""
    automaton = _role_automaton(language)
    if automaton is None:
        return
    inflects = language in ("ru", "kk")
    n = len(text)
    for end_idx, (key, role) in automaton.iter(norm):
        start, end = end_idx - len(key) + 1, end_idx + 1
        # Not inside a word, nor after a hyphen: "vice-primeiro-ministro" is not the prime minister.
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-"):
            continue
        if end < n and text[end].isalnum():
            if not inflects:
                continue
            m = _WORD_REST.match(text, end)
            end = m.end() if m else end
        yield role, start, end


# What stands between a role word and the country after it ("presidente do
# Cazaquistão", "president of Kazakhstan"); Russian and Kazakh put the country
# in the genitive right after the role, with nothing between.
_LINKS = {
    "pt": re.compile(r"\s+(?:d[oa]s?|de)\s+"),
    "es": re.compile(r"\s+(?:del?|de\s+la)\s+"),
    "en": re.compile(r"\s+of\s+(?:the\s+)?"),
}
_ADJACENT = re.compile(r"\s+")
_BEFORE_ROLE = re.compile(r"(?:'s)?\s+")


def _country_of(m: Mention, registry: Registry) -> str | None:
    if m.entity_id is None:
        return None
    entity = registry.entities.get(m.entity_id)
    if entity is None or entity.entity_type != "country":
        return None
    return entity.country_iso3


MAX_ROLE_GAP = 12  # characters between a role word and its country: " of the ", " do "


def data_default_country(language: str) -> str | None:
    return language_data().default_country.get(language)


def find_role_mentions(
    text: str, language: str, on: date | None, mentions: Sequence[Mention], registry: Registry, norm: str | None = None
) -> list[Mention]:
    """Role phrases next to a country (or its adjective), resolved to the office holder on the date."""
    if on is None:
        return []
    norm = normalise_for_matching(text) if norm is None else norm
    countries = [m for m in mentions if _country_of(m, registry)]
    if not countries and not data_default_country(language):
        return []
    by_start = {m.char_start: m for m in countries}
    by_end = {m.char_end: m for m in countries}
    data = language_data()
    link = _LINKS.get(language)
    out = []
    for role, rs, re_ in _role_matches(text, norm, language):
        country: Mention | None = None
        span = (rs, re_)
        # role + link + country: "presidente do Cazaquistão", "president of Kazakhstan",
        # "президент России", "o presidente russo"
        for gap_length in range(1, MAX_ROLE_GAP + 1):
            m = by_start.get(re_ + gap_length)
            if m is None:
                continue
            gap = text[re_ : m.char_start]
            if (link and link.fullmatch(gap)) or (
                _ADJACENT.fullmatch(gap) and (language in ("ru", "kk") or m.method == "demonym")
            ):
                country, span = m, (rs, m.char_end)
            break
        # country or adjective + role: "Kazakh President", "Russia's president",
        # "Қазақстан Президенті", "российский президент"
        if country is None:
            for gap_length in range(1, 5):
                m = by_end.get(rs - gap_length)
                if m is not None and _BEFORE_ROLE.fullmatch(text[m.char_end : rs]):
                    country, span = m, (m.char_start, re_)
                    break
        if country:
            iso3 = _country_of(country, registry)
        elif " " in text[rs:re_]:
            # "Мемлекет басшысы" means Kazakhstan's president in Kazakh news; a bare
            # "Президент" may be anyone's.
            iso3 = data.default_country.get(language)
        else:
            iso3 = None
        if iso3 is None:
            continue
        holders = registry.holders(role, iso3, on)
        if len(holders) != 1:
            continue
        person = holders[0]
        out.append(Mention(span[0], span[1], text[span[0] : span[1]], person.entity_id, person.entity_type, "role", METHOD_SCORES["role"]))
    return out


# --- Pronouns -----------------------------------------------------------------------------------

_OPENING = re.compile(r"[\"'«“„‘(\[—–-]*\s*([^\W\d_]+)")


def find_pronoun_mentions(text: str, language: str, sentences: Sequence[tuple[int, int]], mentions: Sequence[Mention], registry: Registry) -> list[Mention]:
    """A sentence that opens with "Ele"/"He"/"Он"/"Ол" refers to the first person named in the sentence before."""
    pronouns = language_data().pronouns.get(language, frozenset())
    if not pronouns:
        return []
    persons = sorted((m for m in mentions if m.entity_type == "person" and m.entity_id), key=lambda m: m.char_start)
    starts = [m.char_start for m in persons]
    out = []
    for i in range(1, len(sentences)):
        s, e = sentences[i]
        m = _OPENING.match(text, s, e)
        if not m or m.group(1).lower() not in pronouns or not m.group(1)[0].isupper():
            continue
        ps, pe = sentences[i - 1]
        j = bisect.bisect_left(starts, ps)
        if j < len(persons) and persons[j].char_start < pe:
            ref = persons[j]
            out.append(Mention(m.start(1), m.end(1), m.group(1), ref.entity_id, ref.entity_type, "coreference", PRONOUN_SCORE))
    return out


# --- Name-like spans nothing matched -------------------------------------------------------------

# A capitalised word; a period may stand inside it (S.A., Kaspi.kz) but not at its end.
_CAPITAL = "[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁӘҒҚҢӨҰҮҺІ]"
_WORD_TAIL = r"(?:[\w'’&-]|\.(?=\w))*\+?"
_CAP_WORD = rf"(?:{_CAPITAL}{_WORD_TAIL})"


@functools.cache
def _name_like(language: str) -> re.Pattern:
    connectors = sorted(language_data().connectors.get(language, ()), key=len, reverse=True)
    conn = "|".join(re.escape(c) for c in connectors)
    # Words of one name are separated by spaces, never by a line break.
    inner = rf"(?:[ \u00a0]+(?:(?:{conn})[ \u00a0]+)?{_CAP_WORD})*" if conn else rf"(?:[ \u00a0]+{_CAP_WORD})*"
    # The first capital comes before the check that no letter or apostrophe precedes it
    # ((?<![\w'’].) looks back over both): a pattern that opens with a character class lets
    # the regex engine skip to the next capital, where one opening with a look-behind tries
    # every position of the text (twice as slow over the news corpus).
    return re.compile(rf"{_CAPITAL}(?<![\w'’].){_WORD_TAIL}{inner}")


@functools.lru_cache(maxsize=100_000)
def _trimmed(span: str) -> tuple[int, int]:
    """The part of a capitalised span that may be a name: without leading or
    trailing function words ("Mas Putin" -> "Putin") and trailing punctuation.
    Offsets are relative to the span; cached, since spans recur across documents."""
    stop = language_data().stopwords
    words = list(re.finditer(r"\S+", span))
    while words and words[0].group().strip(".,'’").lower() in stop:
        words.pop(0)
    while words and words[-1].group().strip(".,'’").lower() in stop:
        words.pop()
    if not words:
        return 0, 0
    start, end = words[0].start(), words[-1].end()
    while end > start and span[end - 1] in ".'’-":
        end -= 1
    return start, end


FOLD_CACHE_SIZE = 200_000


def _resolve_by_fold(surface: str, index: NameIndex) -> tuple[str | None, str | None, str, float]:
    cached = index.fold_cache.get(surface)
    if cached is None:
        cached = _resolve_by_fold_uncached(surface, index)
        if len(index.fold_cache) < FOLD_CACHE_SIZE:
            index.fold_cache[surface] = cached
    return cached


def _close_forms(folded: str, index: NameIndex) -> list[tuple[float, Form]]:
    """The forms of every folded key of ``folded``'s bucket that scores at least FUZZY_MIN_RATIO
    against it (``fuzz.ratio``), each with its score, in the bucket's order: the keys are scored
    in one call (rapidfuzz's loop, not Python's)."""
    bucket = index.fold_buckets.get(folded[:2], ())
    close = process.extract(folded, bucket, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_RATIO, limit=None)
    return [(ratio, f) for key, ratio, _ in sorted(close, key=lambda c: c[2]) for f in index.fold_index[key]]


def _resolve_by_fold_uncached(surface: str, index: NameIndex) -> tuple[str | None, str | None, str, float]:
    if len(surface) < 4:
        return None, None, "unresolved", 0.0  # the folding index holds no key this short
    folded = translit.fold(surface)
    forms = index.fold_index.get(folded)
    if forms:
        entities = {f.entity_id for f in forms}
        if len(entities) == 1:
            return forms[0].entity_id, forms[0].entity_type, "fold", METHOD_SCORES["fold"]
        types = {f.entity_type for f in forms}
        return None, types.pop() if len(types) == 1 else None, "ambiguous", 0.0
    if len(folded) < FUZZY_MIN_LENGTH:
        return None, None, "unresolved", 0.0
    best = _close_forms(folded, index)
    if not best:
        return None, None, "unresolved", 0.0
    top = max(r for r, _ in best)
    winners = {f.entity_id: f for r, f in best if r == top}
    types = {f.entity_type for _, f in best}
    # Never across entity types, never a guess between two entities.
    if len(winners) == 1 and len(types) == 1:
        f = next(iter(winners.values()))
        return f.entity_id, f.entity_type, "fuzzy", round(METHOD_SCORES["fuzzy"] * top / 100, 4)
    return None, types.pop() if len(types) == 1 else None, "ambiguous", 0.0


def find_unmatched_names(text: str, language: str, sentences: Sequence[tuple[int, int]], covered: Sequence[tuple[int, int]], index: NameIndex) -> list[Mention]:
    sentence_starts = {s for s, _ in sentences}
    covered_sorted = sorted(covered)
    cov_starts = [s for s, _ in covered_sorted]
    # The longest covered span ending at or before each position, to test overlap in O(log n).
    reach = []
    furthest = -1
    for _, e in covered_sorted:
        furthest = max(furthest, e)
        reach.append(furthest)
    out = []
    for m in _name_like(language).finditer(text):
        a, b = _trimmed(m.group())
        if b - a < 2:
            continue
        start, end = m.start() + a, m.start() + b
        surface = text[start:end]
        at_sentence_start = start in sentence_starts or _follows_opening(text, start, sentence_starts)
        if at_sentence_start and " " not in surface and not surface.isupper():
            continue
        j = bisect.bisect_left(cov_starts, end) - 1  # covered spans starting before this one ends
        if j >= 0 and reach[j] > start:
            continue
        entity_id, entity_type, method, score = _resolve_by_fold(surface, index)
        out.append(Mention(start, end, surface, entity_id, entity_type, method, score))
    return out


def _follows_opening(text: str, start: int, sentence_starts: set[int]) -> bool:
    i = start
    while i > 0 and text[i - 1] in "\"'«“„‘([—–- ":
        i -= 1
        if i in sentence_starts:
            return True
    return False


# --- The whole stage -------------------------------------------------------------------------------


def as_date(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value


def find_mentions(
    text: str,
    language: str,
    published: date | datetime | None,
    sentences: Sequence[tuple[int, int]] | None = None,
    index: NameIndex | None = None,
) -> list[Mention]:
    """Every name mention in a document, resolved or not, sorted by position."""
    index = index or default_index()
    on = as_date(published)
    if sentences is None:
        from steppe.analyse.sentences import split_sentences

        sentences = split_sentences(text, language)
    norm = normalise_for_matching(text)
    candidates = [c for c in find_candidates(text, index, language, norm) if not _names_a_language(c, text)]
    chosen = with_nested_names(select_longest(candidates), candidates, text)
    mentions: list[Mention] = []
    seen_full: set[str] = set()
    for c in chosen:
        m = _resolve_candidate(c, text, on, seen_full, index)
        if m.entity_type == "person":
            m = extend_person_name(m, text, index, mentions)
        mentions.append(m)
        if m.entity_id and (m.method == "fold" or any(f.kind != "short" and f.entity_id == m.entity_id for f in c.forms)):
            seen_full.add(m.entity_id)
    roles = find_role_mentions(text, language, on, mentions, index.registry, norm)
    pronouns = find_pronoun_mentions(text, language, sentences, mentions + roles, index.registry)
    covered = [(m.char_start, m.char_end) for m in mentions + roles + pronouns]
    unmatched = find_unmatched_names(text, language, sentences, covered, index)
    return sorted(mentions + roles + pronouns + unmatched, key=lambda m: (m.char_start, m.char_end, m.entity_id or ""))


# --- For curators ---------------------------------------------------------------------------------


def explain(name: str, language: str, on: date | None, index: NameIndex | None = None) -> dict[str, Any]:
    """Every way a name could resolve, and how it does: what `steppe resolve` shows. The name is
    read as a document's text is, without format characters (:mod:`steppe.analyse.visible`)."""
    from steppe.analyse.visible import visible_text

    name = visible_text(name)[0]
    index = index or default_index()
    whole = [c for c in find_candidates(name, index, language) if c.start == 0 and c.end == len(name)]
    candidates = [
        {"entity_id": f.entity_id, "entity_type": f.entity_type, "form": f.text, "kind": f.kind, "via": "inflection" if c.inflected else f.method}
        for c in whole
        for f in c.forms
    ]
    folded = translit.fold(name)
    for f in index.fold_index.get(folded, ()):
        candidates.append({"entity_id": f.entity_id, "entity_type": f.entity_type, "form": f.text, "kind": f.kind, "via": "fold"})
    fuzzy = sorted(
        ((fuzz.ratio(folded, key), key) for key in index.fold_buckets.get(folded[:2], ())),
        reverse=True,
    )[:5]
    for ratio, key in fuzzy:
        if ratio >= FUZZY_MIN_RATIO and key != folded:
            for f in index.fold_index[key]:
                candidates.append({"entity_id": f.entity_id, "entity_type": f.entity_type, "form": f.text, "kind": f.kind, "via": f"fuzzy {ratio:.0f}"})
    # The longest mention wins: "o presidente do Cazaquistão" is the role phrase, not the country in it.
    mentions = find_mentions(name, language, on, [(0, len(name))], index)
    whole_name = [m for m in mentions if m.char_start == 0 and m.char_end == len(name)]
    if not whole_name and not any(m.entity_id for m in mentions):
        entity_id, entity_type, method, score = _resolve_by_fold(name, index)
        mentions.append(Mention(0, len(name), name, entity_id, entity_type, method, score))
    winner = max(mentions, key=lambda m: (m.char_end - m.char_start, m.entity_id is not None, m.score))
    entity = index.registry.entities.get(winner.entity_id) if winner.entity_id else None
    seen = set()
    unique = []
    for c in candidates:
        key = (c["entity_id"], c["form"], c["via"])
        if key not in seen:
            seen.add(key)
            unique.append(c)
    return {
        "name": name,
        "language": language,
        "date": on.isoformat() if on else None,
        "fold_key": folded,
        "candidates": unique,
        "entity_id": winner.entity_id,
        "canonical_name": entity.canonical_name if entity else None,
        "entity_type": winner.entity_type,
        "method": winner.method,
        "score": winner.score,
    }
