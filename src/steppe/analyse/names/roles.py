"""Mentions made by role and by pronoun.

Role phrases ("o presidente do Cazaquistão", "президент России", "Kazakh
President") resolve to whoever held the role on the publication date, unless
a person's name stands next to them or "former" before them; titles
("Тұңғыш Президент") name one person; a sentence opening with a third-person pronoun ("Ele", "Он") refers to the
first person named in the sentence before.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import ahocorasick

from steppe.analyse.names.index import NameIndex
from steppe.analyse.names.lexicon import Title, language_data
from steppe.analyse.names.registry import Registry
from steppe.analyse.names.resolution import (
    METHOD_SCORES,
    PRONOUN_SCORE,
    Mention,
    name_like,
    resolve_by_fold,
    trimmed_span,
)
from steppe.text import normalise_for_matching

# The letters that end a word after a role word: Russian and Kazakh endings.
_WORD_REST = re.compile(r"[^\W\d_]+")


@functools.cache
def _role_automaton(language: str) -> Any:
    """One automaton over every role phrase and title of a language, matched in the normalised text."""
    automaton = ahocorasick.Automaton()
    data = language_data()
    for role, by_lang in data.roles.items():
        for phrase in by_lang.get(language, ()):
            key = normalise_for_matching(phrase)
            automaton.add_word(key, (key, role))
    for title in data.titles.get(language, ()):
        key = normalise_for_matching(title.phrase)
        automaton.add_word(key, (key, title))
    if len(automaton) == 0:
        return None
    automaton.make_automaton()
    return automaton


def _role_matches(text: str, norm: str, language: str) -> list[tuple[str | Title, int, int]]:
    """(role or title, start, end) of every role phrase and title, but those inside a longer one
    ("президент" in "Первый Президент"); Russian and Kazakh words keep their endings."""
    automaton = _role_automaton(language)
    if automaton is None:
        return []
    inflects = language in ("ru", "kk")
    n = len(text)
    found = []
    for end_idx, (key, what) in automaton.iter(norm):
        start, end = end_idx - len(key) + 1, end_idx + 1
        # Not inside a word, nor after a hyphen: "vice-primeiro-ministro" is not the prime minister,
        # "ex-presidente" and "экс-президент" are not the president.
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-"):
            continue
        if end < n and text[end].isalnum():
            if not inflects:
                continue
            m = _WORD_REST.match(text, end)
            end = m.end() if m else end
        found.append((what, start, end))
    return [f for f in found if not any(g is not f and g[1] <= f[1] and f[2] <= g[2] and g[2] - g[1] > f[2] - f[1] for g in found)]


# What stands between a role word and the country after it ("presidente do
# Cazaquistão", "president of Kazakhstan"); Russian puts the country in the
# genitive right after the role, with nothing between. Kazakh puts it before
# ("Қазақстан Президенті"), never after.
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


def _country_next_to(
    text: str, language: str, rs: int, re_: int, by_start: dict[int, Mention], by_end: dict[int, Mention]
) -> tuple[Mention | None, tuple[int, int]]:
    """The country a role phrase names, and the span of the phrase with it."""
    link = _LINKS.get(language)
    # role + link + country: "presidente do Cazaquistão", "president of Kazakhstan",
    # "президент России", "o presidente russo"
    if language != "kk":
        for gap_length in range(1, MAX_ROLE_GAP + 1):
            m = by_start.get(re_ + gap_length)
            if m is None:
                continue
            gap = text[re_ : m.char_start]
            if (link and link.fullmatch(gap)) or (_ADJACENT.fullmatch(gap) and (language == "ru" or m.method == "demonym")):
                return m, (rs, m.char_end)
            break
    # country or adjective + role: "Kazakh President", "Russia's president",
    # "Қазақстан Президенті", "российский президент"
    for gap_length in range(1, 5):
        m = by_end.get(rs - gap_length)
        if m is not None and _BEFORE_ROLE.fullmatch(text[m.char_end : rs]):
            return m, (m.char_start, re_)
    return None, (rs, re_)


# --- A name next to a role phrase, a former holder ------------------------------------------------

_WORD_BEFORE = re.compile(r"([^\W\d_]+)[\s-]*$")
_GAP_AFTER = re.compile(r"(,)?[ \u00a0]+")
# What may close an apposition: "O presidente russo, Vladimir Putin, chegou".
_APPOSITION_CLOSE = re.compile(r"\s*(?:[,;:)—–]|\.(?!\w)|$)")
_GAP_BEFORE = re.compile(r",[ \u00a0]+(?:(?:the|o|a|el|la)[ \u00a0]+)?$", re.IGNORECASE)


def _after_former(text: str, positions: Iterable[int], language: str) -> bool:
    """Whether the word before the role phrase (or its role word) says "former": "бывший президент США"."""
    former = language_data().former.get(language, frozenset())
    for p in positions:
        m = _WORD_BEFORE.search(text, max(0, p - 30), p)
        if m and m.group(1).lower() in former:
            return True
    return False


def _name_after(
    text: str, end: int, language: str, mentions: Sequence[Mention], starts: Sequence[int]
) -> tuple[bool, tuple[int, int] | None]:
    """Whether a person's name follows a role phrase ("президент США Джордж Буш", "o presidente
    russo, Vladimir Putin,"), and the span of that name when nothing matched it yet."""
    gap = _GAP_AFTER.match(text, end)
    if gap is None:
        return False, None
    pos = gap.end()
    i = bisect.bisect_left(starts, pos)
    new: tuple[int, int] | None = None
    if i < len(starts) and starts[i] == pos:
        m = mentions[i]
        if m.entity_type != "person":
            return False, None
        name_end = m.char_end
    else:
        found = name_like(language).match(text, pos)
        if found is None:
            return False, None
        a, b = trimmed_span(found.group())
        name = found.group()[:b]
        # A name of a person not in the registry: a first name and a surname, not an abbreviation.
        if a != 0 or len(name.split()) < 2 or name.isupper():
            return False, None
        name_end = pos + b
        if i < len(starts) and starts[i] < name_end:
            return False, None  # runs into a name the registry knows
        new = (pos, name_end)
    if gap.group(1) and not _APPOSITION_CLOSE.match(text, name_end):
        return False, None  # "With the Kazakh president, Putin discussed gas": a new clause
    return True, new


def _name_before(text: str, start: int, end: int, by_end: dict[int, Mention]) -> bool:
    """Whether the role phrase stands in apposition after a person's name: "Vladimir Putin, the Russian president,"."""
    gap = _GAP_BEFORE.search(text, max(0, start - 8), start)
    if gap is None or not _APPOSITION_CLOSE.match(text, end):
        return False
    m = by_end.get(gap.start())
    return m is not None and m.entity_type == "person"


# --- Role phrases -----------------------------------------------------------------------------------


def find_role_mentions(
    text: str, language: str, on: date | None, mentions: Sequence[Mention], index: NameIndex, norm: str | None = None
) -> list[Mention]:
    """Role phrases next to a country (or its adjective), resolved to the office holder on the date
    (with no date, the latest holder), and titles of one person.

    A role phrase next to a person's name, or after "former", is no mention of
    the office holder: the name is the actor. A name of two or more words that
    nothing matched yet is returned as a mention of its own, resolved by its
    folding key or unresolved, since the name-like span it stands in also holds
    the country ("США Джордж Буш") and would otherwise be dropped.
    """
    norm = normalise_for_matching(text) if norm is None else norm
    matches = _role_matches(text, norm, language)
    if not matches:
        return []
    registry = index.registry
    data = language_data()
    countries = [m for m in mentions if _country_of(m, registry)]
    by_start = {m.char_start: m for m in countries}
    by_end = {m.char_end: m for m in countries}
    ordered = sorted(mentions, key=lambda m: m.char_start)
    starts = [m.char_start for m in ordered]
    persons_by_end = {m.char_end: m for m in mentions if m.entity_type == "person"}
    out: list[Mention] = []
    names: dict[tuple[int, int], Mention] = {}
    for what, rs, re_ in matches:
        country, span = _country_next_to(text, language, rs, re_, by_start, by_end)
        iso3 = _country_of(country, registry) if country else None
        if isinstance(what, Title):
            if iso3 is None and country is None and not text[rs:re_].split()[-1][:1].isupper():
                continue  # "the country's first president": not the title
            if iso3 is not None and iso3 != what.of:
                continue  # "первый президент России": another country's first president
            person = registry.entities.get(what.entity_id)
        else:
            if country is None and " " in text[rs:re_]:
                # "Мемлекет басшысы" means Kazakhstan's president in Kazakh news; a bare
                # "Президент" may be anyone's.
                iso3 = data.default_country.get(language)
            if iso3 is None:
                continue
            holders = registry.holders(what, iso3, on)
            person = holders[0] if len(holders) == 1 else None
        named, new = _name_after(text, span[1], language, ordered, starts)
        if named or _name_before(text, span[0], span[1], persons_by_end):
            if new is not None:
                surface = text[new[0] : new[1]]
                entity_id, entity_type, method, score = resolve_by_fold(surface, index, language)
                names[new] = Mention(new[0], new[1], surface, entity_id, entity_type, method, score)
            continue
        if person is None or _after_former(text, {rs, span[0]}, language):
            continue
        out.append(Mention(span[0], span[1], text[span[0] : span[1]], person.entity_id, person.entity_type, "role", METHOD_SCORES["role"]))
    return out + list(names.values())


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
