"""Mentions made by role and by pronoun.

Role phrases ("o presidente do Cazaquistão", "президент России", "Kazakh
President") resolve to whoever held the role on the publication date; a
sentence opening with a third-person pronoun ("Ele", "Он") refers to the
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

from steppe.analyse.names.lexicon import language_data
from steppe.analyse.names.registry import Registry
from steppe.analyse.names.resolution import METHOD_SCORES, PRONOUN_SCORE, Mention
from steppe.text import normalise_for_matching

# The letters that end a word after a role word: Russian and Kazakh endings.
_WORD_REST = re.compile(r"[^\W\d_]+")


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
