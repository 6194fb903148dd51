"""The actors and places of a sentence, from its resolved name mentions.

Appositions of one entity are one actor; in Russian and Kazakh each actor
carries its grammatical case, which decides its role. Where the text says
whose they are, actors take their country, as CAMEO codes them: a city that
acts stands for its country, an unknown official introduced by office and
country is that country.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from steppe.analyse.events.lexicon import LanguagePatterns
from steppe.analyse.events.tokens import Token
from steppe.analyse.names.lexicon import language_data
from steppe.analyse.names.mentions import Mention
from steppe.analyse.names.registry import Registry
from steppe.text import normalise_for_matching

ACTOR_TYPES = frozenset({"person", "country", "organization", "company", "bloc", "media"})
PLACE_TYPES = frozenset({"city", "region", "country"})
QUALIFIER_WORDS = 4  # words at most between a country and the name of its official ("religious leader")


@dataclass(frozen=True)
class Actor:
    start: int
    end: int
    first: int  # token indices, inclusive
    last: int
    entity_id: str | None
    entity_type: str | None
    text: str  # the name as written (the last part of an apposition)
    case: str  # "nom", "gen", "loc", "obl" (Russian and Kazakh), or "" where case is not used
    country: str | None


_TOKEN_START = operator.itemgetter(0)
_TOKEN_END = operator.itemgetter(1)


def _token_index(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int] | None:
    """The first and last of the tokens that overlap [start, end): tokens are in order and do not overlap."""
    first = bisect.bisect_right(tokens, start, key=_TOKEN_END)  # the first token ending after start
    last = bisect.bisect_left(tokens, end, key=_TOKEN_START) - 1  # the last token starting before end
    return (first, last) if first <= last else None


def _outermost(mentions: Iterable[Mention]) -> list[Mention]:
    """Drop mentions inside longer ones: "presidente do Cazaquistão" is the person, not the country in it."""
    ordered = sorted(mentions, key=lambda m: (m.char_start, -(m.char_end - m.char_start)))
    kept: list[Mention] = []
    for m in ordered:
        if kept and m.char_start >= kept[-1].char_start and m.char_end <= kept[-1].char_end:
            continue
        kept.append(m)
    return kept


def _grammatical_case(m: Mention, word_end: str, patterns: LanguagePatterns, registry: Registry) -> str:
    """Nominative, genitive, locative, dative or other, from how the surface differs from the entity's names.

    `word_end` is what follows the mention inside its last word: a mention
    may stop before a hyphenated ending ("НАТО-ны", "АҚШ-тың").
    """
    if not patterns.case_roles:
        return ""
    surface = normalise_for_matching(m.surface) + normalise_for_matching(word_end).lstrip("-'")
    entity = registry.entities.get(m.entity_id) if m.entity_id else None
    names = {normalise_for_matching(n.text) for n in entity.names} if entity else set()
    if m.method == "role":
        # "Президент Казахстана" / "Қазақстан Президенті": the office word carries the case.
        words = {w for by_lang in language_data().roles.values() for w in by_lang.get(patterns.language, ())}
        heads = {normalise_for_matching(w.split()[0]) for w in words} | {normalise_for_matching(w.split()[-1]) for w in words}
        parts = surface.split()
        for word in (parts[0], parts[-1]) if patterns.case_word == "first" else (parts[-1], parts[0]):
            for head in heads:
                if word.startswith(head):
                    return _case_of_ending(word[len(head) :], patterns)
        return "obl"
    if surface in names:
        return "nom"
    last = surface.split()[-1]
    endings = [last[len(n.split()[-1]) :] for n in names if n and last.startswith(n.split()[-1])]
    if endings:
        return _case_of_ending(min(endings, key=len), patterns)
    return "obl"


def _case_of_ending(ending: str, patterns: LanguagePatterns) -> str:
    ending = ending.lstrip("-'")
    if not ending:
        return "nom"
    for case in ("nom", "gen", "loc", "dat"):
        if ending in patterns.suffixes.get(case, ()):
            return case
    return "obl"


def sentence_actors(
    text: str, tokens: Sequence[Token], mentions: Sequence[Mention], patterns: LanguagePatterns, registry: Registry
) -> tuple[list[Actor], list[Actor]]:
    """(actors, places) of one sentence. Appositions of one entity ("o presidente do Cazaquistão, Qasym-Zhomart Toqaev") are one actor."""
    actors: list[Actor] = []
    places: list[Actor] = []
    for m in _outermost(mentions):
        span = _token_index(tokens, m.char_start, m.char_end)
        if span is None:
            continue
        entity = registry.entities.get(m.entity_id) if m.entity_id else None
        word_end = text[m.char_end : max(m.char_end, tokens[span[1]].end)]
        actor = Actor(
            m.char_start, m.char_end, span[0], span[1], m.entity_id, m.entity_type, m.surface,
            _grammatical_case(m, word_end, patterns, registry), entity.country_iso3 if entity else None,
        )
        if m.entity_type in PLACE_TYPES and m.entity_id:
            places.append(actor)
        # An unresolved name is kept as raw text: the events table records such actors by their words.
        resolved_actor = m.entity_id is not None and m.entity_type in ACTOR_TYPES
        if (
            not resolved_actor and not patterns.case_roles and m.entity_type == "city" and actor.country
            and not _introduced_as_place(actor, tokens, patterns) and not _dateline(m, text)
        ):
            # A city named as who acts or is acted on stands for its country's
            # authorities, as CAMEO codes it: "Berlin rejected", "demanded by Moscow".
            # (Russian and Kazakh name a city's people or police by case,
            # "жители Алматы", "Алматыда полиция": there a city stays a place.)
            country = country_entity(actor.country, registry)
            if country is not None:
                actor = replace(actor, entity_id=country, entity_type="country")
                resolved_actor = True
        if not resolved_actor and not (m.entity_id is None and m.method in ("unresolved", "ambiguous")):
            continue
        previous = actors[-1] if actors else None
        between = tokens[previous.last + 1 : span[0]] if previous else []
        if previous and m.entity_id is None and _qualified_by_country(previous, between, text, tokens, patterns):
            # "Palestinian leader Yasser Arafat", "Iran's religious leader ...", "o presidente francês X":
            # a name the registry does not know, introduced by its office and
            # country, is coded as that country (CAMEO: an official acts for his state).
            actors[-1] = replace(previous, end=m.char_end, last=span[1], text=m.surface)
            continue
        if previous and previous.entity_id and previous.entity_id == m.entity_id and all(t.word == "," for t in between):
            # The name carries the case of the apposition: "Президент Казахстана Касым-Жомарт Токаев".
            actors[-1] = replace(previous, end=m.char_end, last=span[1], text=m.surface, case=actor.case)
            continue
        actors.append(actor)
    return actors, places


_DATELINE_AFTER = re.compile(r"\s*[-—–(]")


def _dateline(m: Mention, text: str) -> bool:
    """Whether a place name is a dateline ("BRASÍLIA - ...", "SEUL (Reuters) -"): in capitals, or followed by a dash or bracket."""
    return m.surface.isupper() or bool(_DATELINE_AFTER.match(text, m.char_end))


def _introduced_as_place(place: Actor, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    """Whether a place is named as where something happens or where someone is from.

    After "em", "in", "в", or in the locative or dative; or after "de", "of"
    ("uma mulher de Brasília", "the people of Kabul").
    """
    word = word_before(tokens, place.first, patterns)
    g = patterns.grammar
    return place_marker_before(place.first, tokens, patterns) or word in g["genitive_markers"] or place.case in ("loc", "dat")


QUALIFIER_WORDS = 4  # words at most between a country and the name of its official ("religious leader")


def _qualified_by_country(country: Actor, between: Sequence[Token], text: str, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    """Whether an unresolved name right after `country` is one of its officials.

    "Palestinian leader Yasser Arafat", "Nigerian junior foreign minister
    Dubem Oniya": the words between are lower-case and one is an office
    word; "presidente francês Fulano": the office word comes before the
    country and the name follows it. Languages with case roles are left
    out: there the name's own case decides its role.
    """
    if patterns.case_roles or country.entity_type != "country" or len(between) > QUALIFIER_WORDS:
        return False
    offices = patterns.grammar["office_words"]
    if not between:
        return word_before(tokens, country.first) in offices
    if any(t.is_punct or not text[t.start].islower() for t in between):
        return False
    return any(t.word in offices for t in between)


def official_of_source_country(
    target: Actor, source: Actor | None, actors: Sequence[Actor], places: Sequence[Actor], tokens: Sequence[Token], patterns: LanguagePatterns
) -> bool:
    """Whether an unresolved target is an official ("President X", "Prime Minister X") of the source's country.

    Only where the source is a country, no other country is named in the
    sentence (as actor or place), and the name comes with its office word.
    Languages with case roles are left out, as in `_qualified_by_country`.
    """
    if patterns.case_roles or target.entity_id is not None or source is None or source.entity_type != "country" or not source.country:
        return False
    if {a.country for a in (*actors, *places) if a.entity_id and a.country} != {source.country}:
        return False
    offices = patterns.grammar["office_words"]
    titled = normalise_for_matching(target.text).split()[0] in offices
    i = target.first - 1
    while not titled and i >= 0 and target.first - i <= 2 and not tokens[i].is_punct:
        titled = tokens[i].word in offices
        i -= 1
    return titled


def word_before(tokens: Sequence[Token], i: int, patterns: LanguagePatterns | None = None) -> str:
    """The word before token i, looking past articles when `patterns` is given ("para o Uzbequistão")."""
    i -= 1
    if patterns is not None:
        while i > 0 and tokens[i].word in patterns.grammar["articles"]:
            i -= 1
    return tokens[i].word if i >= 0 else ""


PLACE_MODIFIERS = 4  # words at most between a location marker and its place ("in the capital city of Algiers")


def place_marker_before(first: int, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    """Whether a location marker introduces the name at token `first`, past articles and place modifiers ("in central Baghdad")."""
    g = patterns.grammar
    if word_before(tokens, first, patterns) in g["location_markers"]:
        return True
    # Past at least one place word (and articles): "in central Baghdad", "in the capital city of Algiers".
    i, crossed = first - 1, False
    while i >= 0 and first - i <= PLACE_MODIFIERS and (tokens[i].word in g["articles"] or tokens[i].word in g["place_modifiers"]):
        crossed = crossed or tokens[i].word not in g["articles"]
        i -= 1
    return crossed and i >= 0 and tokens[i].word in g["location_markers"]


def country_entity(iso3: str | None, registry: Registry) -> str | None:
    entity_id = f"country:{iso3.lower()}" if iso3 else None
    return entity_id if entity_id in registry.entities else None
