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
from dataclasses import dataclass

from steppe.analyse.events import russian
from steppe.analyse.events.actor_codes import entity_code, is_capital
from steppe.analyse.events.agents import AgentLexicon, AgentMatch, find_agents
from steppe.analyse.events.lexicon import LanguagePatterns, candidates
from steppe.analyse.events.tokens import QUOTES, Token
from steppe.analyse.names.lexicon import language_data
from steppe.analyse.names.mentions import Mention
from steppe.analyse.names.registry import Registry
from steppe.text import normalise_for_matching

# How the coder knows who an actor is (the events' source_basis and target_basis).
BASES = {
    "registry": "a registry entity named in the sentence",
    "role": "an office resolved to its holder on the article's date (\"the president of Kazakhstan\")",
    "agent": "an agent noun (\"the police\", \"суд\"), its country from a qualifier or the sentence",
    "capital": "a capital standing for its government (\"Moscow said\", \"Пекин призвал\")",
    "context": "an agent or unlinked name whose country comes from the article, not the sentence: less sure",
    "unlinked": "a name the registry does not hold, its country from its title or the sentence",
}
ACTOR_TYPES = frozenset({"person", "country", "organization", "company", "bloc", "media"})
UNLINKED = frozenset({"unresolved", "ambiguous"})  # mention methods of a name the registry does not hold, or cannot tell apart
PLACE_TYPES = frozenset({"city", "region", "country"})
QUALIFIER_WORDS = 4  # words at most between a country and the name of its official ("religious leader")


def names_actor(mention: Mention) -> bool:
    """Whether a mention names an actor: a registry entity of an actor type, or a name the
    registry does not hold or cannot tell apart ("o deputado Paulo Pimenta")."""
    return mention.entity_type in ACTOR_TYPES if mention.entity_id else mention.method in UNLINKED


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
    country: str | None  # ISO 3166-1 alpha-3, or an IGO code (IGOUNO) for an international organisation
    actor_type: str | None = None  # CAMEO actor type: GOV, MIL, COP, ... (data/events/actor_types.yaml)
    basis: str = "registry"  # how the coder knows who it is (BASES)
    named: bool = True  # a name in the text (False for an agent noun: "the police" names nobody)


def _replaced(actor: Actor, **changes: object) -> Actor:
    """`dataclasses.replace` for an Actor, at a fraction of its cost (the coder makes one or two per
    sentence): a copy of its fields with `changes` over them. An Actor has no `__post_init__`
    and no init-only fields, so the copy is what `replace` would build."""
    new = object.__new__(Actor)
    fields = vars(new)
    fields.update(vars(actor))
    for name, value in changes.items():
        if name not in fields:
            raise TypeError(f"Actor has no field {name!r}")
        fields[name] = value
    return new


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
    may stop before a hyphenated ending ("НАТО-ны", "АҚШ-тың"). A name the registry does not know is oblique.
    """
    if not patterns.case_roles:
        return ""
    if m.method == "coreference":
        return "nom"  # a subject pronoun opening its sentence ("Он", "Ол") that refers back to a person
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
    text: str, tokens: Sequence[Token], mentions: Sequence[Mention], patterns: LanguagePatterns, registry: Registry,
    agents: AgentLexicon | None = None, context_country: str | None = None, trigger_spans: Sequence[tuple[int, int]] = (),
) -> tuple[list[Actor], list[Actor]]:
    """(actors, places) of one sentence. Appositions of one entity ("o presidente do Cazaquistão, Qasym-Zhomart Toqaev") are one actor.

    With `agents`, agent nouns ("a polícia", "суд") are actors too (see
    `_with_agents`); `context_country` is the article's country, which an
    agent or an unresolved name takes when its sentence does not say whose it is; `trigger_spans`
    (token index spans) are the triggers', whose words are no agent unless the
    agent holds the whole trigger ("вызвал посла" is a trigger; "наразылық
    білдірушілер" and "protesters" are agents).
    """
    actors: list[Actor] = []
    places: list[Actor] = []
    for m in _outermost(mentions):
        span = _token_index(tokens, m.char_start, m.char_end)
        if span is None:
            continue
        if _opens_with_dateline(m, text, tokens[0].start):
            continue  # "АСТАНА. КАЗИНФОРМ - Департамент полиции призывает": the agency's dateline, no actor
        entity = registry.entities.get(m.entity_id) if m.entity_id else None
        word_end = text[m.char_end : max(m.char_end, tokens[span[1]].end)]
        country, actor_type = entity_code(entity, registry) if entity else (None, None)
        actor = Actor(
            m.char_start, m.char_end, span[0], span[1], m.entity_id, m.entity_type, m.surface,
            _grammatical_case(m, word_end, patterns, registry), entity.country_iso3 if entity else None,
            actor_type, "role" if m.method == "role" else "registry" if entity else "unlinked",
        )
        if m.entity_type in PLACE_TYPES and m.entity_id:
            places.append(actor)
        if country != actor.country:  # a bloc's IGO code (a place keeps its ISO country)
            actor = _replaced(actor, country=country)
        # An unresolved name is kept as raw text: the events table records such actors by their words.
        resolved_actor = m.entity_id is not None and m.entity_type in ACTOR_TYPES
        capital = entity is not None and is_capital(entity)
        if (
            not resolved_actor and m.entity_type == "city" and actor.country
            and (not patterns.case_roles or (capital and actor.case == "nom"))
            and not _introduced_as_place(actor, tokens, patterns) and not _dateline(m, text)
        ):
            # A city named as who acts or is acted on stands for its country's
            # authorities, as CAMEO codes it: "Berlin rejected", "demanded by Moscow".
            # Russian and Kazakh name a city's people or police by case ("жители
            # Алматы", "Алматыда полиция"): there only a capital in the nominative
            # acts for its government ("Москва заявила", "Пекин призвал").
            country = country_entity(actor.country, registry)
            if country is not None:
                actor = _replaced(actor, entity_id=country, entity_type="country", actor_type="GOV", basis="capital" if capital else "registry")
                resolved_actor = True
        if not resolved_actor and not (m.entity_id is None and names_actor(m)):
            continue
        previous = actors[-1] if actors else None
        between = tokens[previous.last + 1 : span[0]] if previous else []
        stateless = entity is not None and entity.entity_type == "person" and not entity.country_iso3
        if previous and stateless and _qualified_by_country(previous, between, text, tokens, patterns):
            # A registry person with no country, introduced by office and country ("Zimbabwean Prime Minister Robert Mugabe").
            actors[-1] = _replaced(actor, start=previous.start, first=previous.first, country=previous.country, actor_type=actor.actor_type or "GOV")
            continue
        if previous and m.entity_id is None and _qualified_by_country(previous, between, text, tokens, patterns):
            # "Palestinian leader Yasser Arafat", "Iran's religious leader ...", "o presidente francês X":
            # a name the registry does not know, introduced by its office and
            # country, is coded as that country (CAMEO: an official acts for his state).
            actors[-1] = _replaced(
                previous, end=m.char_end, last=span[1], text=m.surface, entity_id=None, entity_type=m.entity_type, actor_type="GOV", basis="unlinked"
            )
            continue
        if previous and previous.entity_id and previous.entity_id == m.entity_id and all(t.word == "," for t in between):
            # The name carries the case of the apposition: "Президент Казахстана Касым-Жомарт Токаев".
            actors[-1] = _replaced(previous, end=m.char_end, last=span[1], text=m.surface, case=actor.case)
            continue
        actors.append(actor)
    actors = _with_agents(text, tokens, actors, places, agents, patterns, context_country, trigger_spans)
    return actors, places


AGENT_QUALIFIER_GAP = 2  # words at most between an agent noun and the country after it ("министр энергетики Казахстана")
QUALIFIER_TYPES = frozenset({"country", "city", "region", "organization", "company"})


def _with_agents(
    text: str, tokens: Sequence[Token], actors: list[Actor], places: Sequence[Actor], agents: AgentLexicon | None,
    patterns: LanguagePatterns, context_country: str | None, trigger_spans: Sequence[tuple[int, int]] = (),
) -> list[Actor]:
    """The actors with the sentence's agent nouns among them, in text order, each with a country where one is known.

    An agent takes its country from a qualifier next to it: a country or its
    adjective, a city or region, or an organisation it belongs to ("российская
    полиция", "полиция Казахстана", "Қазақстан полициясы", "a polícia
    brasileira", "депутаты Госдумы"; "police in" is not one); the qualifier
    is then part of the agent, not an actor of its own. An unresolved name
    right after an agent is that agent's member ("министр энергетики
    Казахстана Алмасадам Саткалиев", "o deputado Fulano"): one unlinked actor
    with the agent's country and type; a registry person right after one is
    the actor, the agent only his title ("President Trump"). An unresolved name takes the type of
    an agent noun it holds ("Tribunal de Justiça de Goiás" JUD, "Forças
    Armadas" MIL).

    An agent, an unresolved name, or a registry person or organisation with
    no country the sentence does not place takes the only country the
    sentence names as a place ("No Cazaquistão, a polícia
    prendeu"; not one that acts: "Россия раскритиковала власти" does not make
    the authorities Russian), else the article's country with basis
    `context`: the coder's guess, less sure than the text.
    """
    if agents is None and not any(map(_needs_country, actors)):
        return actors  # no agent nouns to add, and every actor placed
    every = find_agents(tokens, agents) if agents is not None else []  # names are typed by the agent nouns inside them
    names = [(a.first, a.last) for a in (*actors, *places)]
    found = [
        agent for agent in every
        if not any(first <= agent.last and agent.first <= last for first, last in names)
        and not any(first <= agent.last and agent.first <= last and not (agent.first <= first and last <= agent.last) for first, last in trigger_spans)
    ]
    found = _phrases(found, tokens, patterns.language)
    # The sentence's country: the only one it names, unless that one acts itself (then it is the other side).
    countries = {a.country for a in (*actors, *places) if a.entity_id and a.country and not a.country.startswith("IGO")}
    only = next(iter(countries)) if len(countries) == 1 else None
    result = list(actors)
    for agent in found:
        qualifier = _agent_qualifier(agent, result, places, tokens, patterns, text)
        first, last = agent.first, agent.last
        country = None
        case = ("nom" if agent.nominative else "obl") if patterns.case_roles else ""
        if qualifier is not None and qualifier.entity_type in ("organization", "company"):
            # Its members or envoys ("депутаты Госдумы", "«Газпром» делегациясы") act for the organisation.
            first, last = min(first, qualifier.first), max(last, qualifier.last)
            start, end = tokens[first].start, tokens[last].end
            result[result.index(qualifier)] = _replaced(qualifier, start=start, end=end, first=first, last=last, text=text[start:end], case=case)
            continue
        if qualifier is not None:
            country = qualifier.country
            first, last = min(first, qualifier.first), max(last, qualifier.last)
            result = [a for a in result if a is not qualifier]
        start, end = tokens[first].start, tokens[last].end
        actor = Actor(start, end, first, last, None, None, text[start:end], case, country, agent.noun.actor_type, "agent", named=False)
        after = last + 2 if last + 1 < len(tokens) and tokens[last + 1].word == "," else last + 1  # "o ministro norte-coreano, Pak Chol-su"
        member = next((a for a in result if agent.last < a.first <= after and (a.entity_id is None or a.entity_type == "person")), None)
        if member is not None and member.entity_id is None and patterns.language == "ru" and agent.nominative and not russian.may_be_nominative(member.text.lower()):
            member = None  # the name of an agent in the nominative agrees with it: "суд Новгородской области" is no court's name
        if member is not None and member.entity_id is not None:
            # A title before a registry person ("President Trump", "Ukrainian President
            # Volodymyr Zelensky"): the person is the actor, the title only names his office.
            # A person the registry gives no country or office takes the title's ("Israeli Prime Minister Ehud Barak").
            index = result.index(member)
            result[index] = _replaced(
                member, start=min(start, member.start), first=min(first, member.first),
                country=member.country or country, actor_type=member.actor_type or agent.noun.actor_type,
            )
            continue
        if member is not None and member.basis == "unlinked":
            result = [a for a in result if a is not member]
            actor = _replaced(actor, end=member.end, last=member.last, text=member.text, entity_type=member.entity_type, basis="unlinked", named=True)
        result.append(actor)
    acting = {a.country for a in result if a.entity_id and not _introduced_as_place(a, tokens, patterns)}
    for n, actor in enumerate(result):
        if not _needs_country(actor):
            continue
        actor_type, country, basis = actor.actor_type, actor.country, actor.basis
        whole = next((a for a in every if (a.first, a.last) == (actor.first, actor.last)), None)
        if actor.entity_id is None and actor.named and whole is not None and actor.first == actor.last:
            # A capitalised agent noun ("a Justiça", "o Congresso") names a kind of body, not one: an agent.
            actor = _replaced(actor, named=False, basis="agent")
            basis = "agent"
        if actor_type is None:
            actor_type = next((a.noun.actor_type for a in every if actor.first <= a.first and a.last <= actor.last), None)
        if country is None and only is not None and only not in acting:
            country = only
        elif country is None and context_country is not None:
            country, basis = context_country, "context"
        if (actor_type, country, basis) != (actor.actor_type, actor.country, actor.basis) or actor is not result[n]:
            result[n] = _replaced(actor, actor_type=actor_type, country=country, basis=basis)
    return sorted(result, key=lambda a: a.first)


def _needs_country(actor: Actor) -> bool:
    """An agent or unlinked name, or a registry person or organisation with no country: the actors
    `_with_agents` gives a country from the sentence or the article."""
    if actor.entity_id is not None:
        return actor.country is None and actor.entity_type in ("person", "organization")
    return actor.basis in ("agent", "unlinked")


# Russian adjective endings: an agent word with one modifies the agent noun after it.
_RU_ADJECTIVE = re.compile(r"(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ых|их|ого|его|ому|ему|ым|им|ую|юю|ей|ыми|ими)$")


def _phrases(found: Sequence[AgentMatch], tokens: Sequence[Token], language: str) -> list[AgentMatch]:
    """An agent word that modifies the agent noun after it makes one agent with it: an English
    noun adjunct ("government delegation"), a Russian adjective ("правительственных делегаций");
    the longer one's type, nominative if either word is. Elsewhere two agent nouns side by side
    are two actors ("Қазақстан полициясы наразылық білдірушілерді ұстады")."""
    if language not in ("en", "ru"):
        return list(found)
    out: list[AgentMatch] = []
    for agent in found:
        previous = out[-1] if out else None
        if (
            previous is not None and agent.first == previous.last + 1
            and (language == "en" or _RU_ADJECTIVE.search(tokens[previous.last].word))
        ):
            longer = max((previous, agent), key=lambda a: a.last - a.first)
            out[-1] = AgentMatch(longer.noun, previous.first, agent.last, previous.nominative or agent.nominative)
        else:
            out.append(agent)
    return out


def _agent_qualifier(
    agent: AgentMatch, actors: Sequence[Actor], places: Sequence[Actor], tokens: Sequence[Token], patterns: LanguagePatterns, text: str
) -> Actor | None:
    """The country, city or region that says whose an agent is, standing next to it."""
    qualifiers = [a for a in (*actors, *places) if a.entity_id and a.entity_type in QUALIFIER_TYPES and a.country]
    before = agent.first - 1
    while before >= 0 and tokens[before].word in QUOTES:  # «Газпром» делегациясы
        before -= 1
    for q in qualifiers:
        if q.last == before:
            return q
    g = patterns.grammar
    for q in sorted(qualifiers, key=lambda a: a.first):
        if q.first <= agent.last:
            continue
        gap = tokens[agent.last + 1 : q.first]
        words = [t.word for t in gap if t.word not in g["articles"]]
        if not gap or (len(words) == 1 and words[0] in g["genitive_markers"]):
            return q
        if (
            len(gap) <= AGENT_QUALIFIER_GAP and q.case in ("gen", "obl", "nom")
            and all(
                not t.is_punct and text[t.start].islower() and not candidates(patterns, t.word)
                and t.word not in g["location_markers"] and t.word not in g["target_markers"]
                for t in gap
            )
            and all(not (a.first <= t_i <= a.last) for a in actors for t_i in range(agent.last + 1, q.first))
        ):
            return q
        return None
    return None


_DATELINE_AFTER = re.compile(r"\s*[-—–(]")


def _dateline(m: Mention, text: str) -> bool:
    """Whether a place name is a dateline ("BRASÍLIA - ...", "SEUL (Reuters) -"): in capitals, or followed by a dash or bracket."""
    return m.surface.isupper() or bool(_DATELINE_AFTER.match(text, m.char_end))


_DATELINE_END = re.compile(r"[^\w]{0,12}[-—–]\s")


def _opens_with_dateline(m: Mention, text: str, sentence_start: int) -> bool:
    """Whether a name in capitals is part of a dateline that opens its sentence: nothing but capitals and
    punctuation before it, and a dash soon after ("АСТАНА.КАЗИНФОРМ - ", "ALMATY. KAZINFORM – ")."""
    if not m.surface.isupper() or len(m.surface) < 2 or any(c.islower() for c in text[sentence_start : m.char_start]):
        return False
    return bool(_DATELINE_END.match(text, m.char_end))


def _introduced_as_place(place: Actor, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    """Whether a place is named as where something happens or where someone is from.

    After "em", "in", "в", or in the locative or dative; or after "de", "of"
    ("uma mulher de Brasília", "the people of Kabul").
    """
    word = word_before(tokens, place.first, patterns)
    g = patterns.grammar
    return place_marker_before(place.first, tokens, patterns) or word in g["genitive_markers"] or place.case in ("loc", "dat")


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
    if not between or [t.word for t in between] == [","]:
        # "o presidente francês Fulano", "o líder norte-coreano, Kim Jong-un": the office word before the country.
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


def article_country(mentions: Sequence[Mention], registry: Registry, language: str | None = None) -> str | None:
    """The country an article is about: the one its places and countries name most, the first named
    on a tie; where it names none, the one its language's press takes for granted (the names
    layer's default_country: Kazakh-language news is about Kazakhstan).

    Its dateline is its first place, so it counts like any other mention.
    """
    counts: dict[str, int] = {}
    for m in mentions:
        entity = registry.entities.get(m.entity_id) if m.entity_id and m.entity_type in ("country", "city", "region") else None
        if entity is not None and entity.country_iso3:
            counts[entity.country_iso3] = counts.get(entity.country_iso3, 0) + 1
    if counts:
        return max(counts, key=counts.__getitem__)
    return language_data().default_country.get(language) if language else None
