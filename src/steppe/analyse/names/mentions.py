"""Find names in a document and resolve them to registry entities.

One multi-pattern pass (Aho-Corasick, steppe.analyse.names.index) over the
document finds every known form of every entity name: the registry's curated
names in any language and script, transliterations generated from Cyrillic
names and Russian case forms (steppe.analyse.names.forms), and Kazakh and
Russian endings accepted after a name inside the same word (Тоқаевтың,
Путина). Then, in order:

1. overlapping matches keep the longest (leftmost first);
2. a form several entities share is settled by the publication date (a
   historical name), by an earlier full mention in the document
   (coreference), or by the registry's tie-breaks; otherwise it is reported
   as ambiguous, never guessed;
3. role phrases ("o presidente do Cazaquistão", "президент России", "Kazakh
   President") resolve to whoever held the role on the publication date,
   unless a person's name stands next to them or "former" before them, and
   titles ("Тұңғыш Президент") to their one person (steppe.analyse.names.roles);
4. a sentence opening with a third-person pronoun ("Ele", "Он") refers to the
   first person named in the sentence before (steppe.analyse.names.roles);
5. capitalised name-like spans that nothing matched are tried against the
   folding key (steppe.text.fold(key=True)), then fuzzily within one entity
   type; what still resolves to nothing is kept as an unresolved mention for
   curators (steppe.analyse.names.resolution).

Every mention records how it was resolved (`method`) and a score; Mention and
METHODS are defined in steppe.analyse.names.resolution and given here with
the stage that makes them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from steppe.analyse.names.forms import CYRILLIC
from steppe.analyse.names.index import Form, NameIndex, default_index
from steppe.analyse.names.lexicon import language_data
from steppe.analyse.names.registry import name_key
from steppe.analyse.names.resolution import (
    METHOD_SCORES,
    METHODS,
    SHORT_NAME_SCORE,
    Mention,
    find_unmatched_names,
    foreign_exonym,
)
from steppe.analyse.names.roles import find_pronoun_mentions, find_role_mentions
from steppe.text import fold, normalise_for_matching

__all__ = [
    "METHODS",
    "METHOD_SCORES",
    "Candidate",
    "Mention",
    "as_date",
    "extend_person_name",
    "find_candidates",
    "find_mentions",
    "select_longest",
    "with_nested_names",
]


# --- Matching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    forms: tuple[Form, ...]
    inflected: bool  # a suffix followed the form inside the word


_WORD_REST = re.compile(r"[^\W\d_]+")
# A currency's letters before its dollar sign name no country: "US$ 33,5 milhões", "R$ 5 mil", "HK$", "US $".
CURRENCY_SIGN = re.compile(r"(?<![^\W\d_])[A-Z]{1,3} ?\$")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def _suffix_script(ch: str) -> str:
    return "Cyrl" if CYRILLIC.match(ch) else "Latn"


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
    # Likewise a Russian or Kazakh exonym and its Latin forms (see index._forms_of).
    if foreign_exonym(form, language):
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
        # A name written in the registry beats one generated from another entity's name
        # ("Michel Temer" is Temer's own name, and a transliteration of Мишель Темер's).
        written = {f.entity_id for f in forms if f.method in ("exact", "demonym")}
        if len(written) == 1:
            forms = tuple(f for f in forms if f.entity_id in written)
            entities = written
    if len(entities) > 1:
        rule = index.registry.tie_breaks.get(name_key(forms[0].text))
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


def extend_person_name(m: Mention, text: str, index: NameIndex, before: Sequence[Mention], language: str | None = None) -> Mention:
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
            forms = index.fold_index.get(fold(span, key=True), ())
            if forms and {f.entity_id for f in forms} == {m.entity_id}:
                return Mention(first.start(), m.char_end, span, m.entity_id, m.entity_type, "fold", METHOD_SCORES["fold"])
            if language == "ru" and _other_persons_first_names(first.group(1), m, text, first.start()):
                return Mention(first.start(), m.char_end, span, None, None, "unresolved", METHOD_SCORES["unresolved"])
    return m


def _other_persons_first_names(words: str, m: Mention, text: str, at: int) -> bool:
    """Whether the capitalised words before a registry person's surname are another person's first
    names ("Аарон Дэвид Миллер" is not Алексей Миллер): a surname alone, in Russian, where titles
    are lower case ("президент Путин"; Kazakh writes "Ресейдің Президенті Путин"), after words
    each written as a given name (a capital, then lower case) that neither open a sentence nor
    follow a function word."""
    if " " in m.surface or not CYRILLIC.search(m.surface):
        return False
    if not all(w[:1].isupper() and w[1:].replace("-", "").islower() for w in words.split()):
        return False
    before = text[:at].rstrip()
    if not before or before[-1] in ".!?:\"«»“”—–-":
        return False
    # After a preposition or another function word they are a place ("в Кронштадте Путин").
    word = before.rsplit(None, 1)[-1].lower()
    return word not in language_data().stopwords



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
    noise: list[tuple[str, str]] | None = None,
) -> list[Mention]:
    """Every name mention in a document, resolved or not, sorted by position.

    ``noise``, when given, receives (rule, surface) for every capitalised span
    the noise filter kept from the unresolved names (steppe.analyse.names.noise)."""
    index = index or default_index()
    on = as_date(published)
    if sentences is None:
        from steppe.analyse.sentences import split_sentences

        sentences = split_sentences(text, language)
    norm = normalise_for_matching(text)
    money = [(m.start(), m.end()) for m in CURRENCY_SIGN.finditer(text)] if "$" in text else []
    money_starts = {start for start, _ in money}
    candidates = [c for c in find_candidates(text, index, language, norm) if not _names_a_language(c, text) and c.start not in money_starts]
    chosen = with_nested_names(select_longest(candidates), candidates, text)
    mentions: list[Mention] = []
    seen_full: set[str] = set()
    for c in chosen:
        m = _resolve_candidate(c, text, on, seen_full, index)
        if m.entity_type == "person":
            m = extend_person_name(m, text, index, mentions, language)
        mentions.append(m)
        if m.entity_id and (m.method == "fold" or any(f.kind != "short" and f.entity_id == m.entity_id for f in c.forms)):
            seen_full.add(m.entity_id)
    roles = find_role_mentions(text, language, on, mentions, index, norm)
    pronouns = find_pronoun_mentions(text, language, sentences, mentions + roles, index.registry)
    covered = [(m.char_start, m.char_end) for m in mentions + roles + pronouns] + money
    unmatched = find_unmatched_names(text, language, sentences, covered, index, noise)
    return sorted(mentions + roles + pronouns + unmatched, key=lambda m: (m.char_start, m.char_end, m.entity_id or ""))
