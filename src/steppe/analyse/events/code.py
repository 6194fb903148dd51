"""Code events: who did what to whom, when and where, from the sentences of a document.

An event is found where a sentence holds a trigger: a verb or noun pattern of
the document's language (data/events/patterns/<language>.yaml) mapped to a
CAMEO code (data/events/cameo_codebook.yaml), whose PLOVER type comes from
the CAMEO-to-PLOVER crosswalk (data/events/cameo2plover.tsv). Per sentence:

1. Triggers: every pattern match; where two overlap, the longer wins (a word
   that is both verb and noun, "visita", "talks", is the noun after an
   article or preposition). Look-alikes listed as `not_triggers` win and are
   dropped.
2. Governed actions: an appeal, intent, demand, refusal or threat (CAMEO 02,
   03, 10, 12, 13) takes the next trigger of its clause as its complement
   (in Kazakh, where the governing verb comes last, the one before it), and
   the pair is one event coded by the codebook's `compose` tables: "agreed
   to meet" 036, "refused to meet" 125, "threatened to impose sanctions" 1312.
3. Roles: in Portuguese and English by position (the subject before an
   active verb, its object after it; the agent after "por"/"by" for a
   passive); in Russian and Kazakh by case first (the nominative is the
   subject wherever it stands: "Путина встретил Токаев"), then by position.
   A noun trigger takes only the actors attached to it ("visita de Putin ao
   Cazaquistão", "визит Путина", "Путиннің сапары"), or names no event.
   "A and B" as subject gives A as source and B as target. Actors are
   mentions of persons, countries, organisations, companies, blocs and
   media; an unresolved name is kept as raw text. Where the text says
   whose they are, actors take their country, as CAMEO codes them (in
   Portuguese and English; Russian and Kazakh mark such roles by case): a
   city that acts or is acted on stands for its country ("Berlin
   rejected"; not a dateline, nor a place after "em"/"in"/"de"); an
   unknown name introduced by a country and an office is that country
   ("Palestinian leader Yasser Arafat"), and so is a titled unknown target
   in a sentence naming the source's country alone ("Egyptian
   demonstrators ... President Hosni Mubarak"); a protest, show of force,
   coercion or attack in a place, with no target named, is aimed at the
   place's country ("shelled Juba").
   Every side gets an actor code in CAMEO style (steppe.analyse.events.actors,
   actor_codes, agents): a country (ISO3 or an IGO code), a type (GOV, COP,
   JUD...) and the basis the coder used; agent nouns ("a polícia", "суд") are
   actors, placed by a qualifier, the sentence or the article (`context`);
   a name the registry lacks is an unlinked entity (steppe.ids.unlinked_id).
4. Modality: a negation ("não assinou", "не подписали", "did not sign",
   "қол қоймады"), a denial ("опроверг"), a plan or a possibility ("plans
   to", "may", "pretende", "планирует", "жоспарлап отыр") marks the event
   `negated`: recorded, not a fact. An announced future ("will visit") is a
   statement of intent and coded as one (CAMEO 03); an announced refusal
   ("will not join") as a rejection (CAMEO 12).
5. When and where: the date expression of the sentence nearest the trigger,
   resolved against the publication date ("no dia 27 de novembro", "вчера",
   "в понедельник", "em 2024"), else the publication date itself; the place
   introduced as one ("em Astana", "в Астане", "Астанада"). A visit to a
   city is a visit to its country. What is coded as having happened is not
   dated after publication (when_where.FUTURE_SLACK_DAYS): a date written
   without its year is then the past one; a statement about a future action
   ("will visit in December") is dated at publication; any other fact dated
   in the future is a plan and marked `negated`.

Only sentences in which a trigger may start are tokenised and coded: one
regular expression pass over the document finds the words that begin a
pattern (`triggers.candidate_sentences`); the others cannot code an event.

Events with the same source, target, code, date and negation in one document
are one event; every trigger span that produced it is kept as evidence, and
every place the document reports it (the sentence and trigger of each
repetition, the event's own first) as one of its `mentions`.

This module is the stage; each step has its own: codebook (CAMEO, PLOVER),
lexicon (the patterns), tokens, triggers, actors, roles, modality and
when_where (dates and places).
"""

from __future__ import annotations

import bisect
import functools
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from steppe.analyse.events.actors import (
    Actor,
    article_country,
    country_entity,
    official_of_source_country,
    sentence_actors,
)
from steppe.analyse.events.agents import load_agents
from steppe.analyse.events.clauses import (
    STATEMENT,
    claimed,
    coordinated_verb,
    entity_of,
    fold_statements,
    wrongdoing_accused,
)
from steppe.analyse.events.codebook import by_whom, compose
from steppe.analyse.events.discards import (
    background_spans,
    is_question,
    is_story,
    load_discards,
)
from steppe.analyse.events.lexicon import (
    EVENT_LANGUAGES,
    LanguagePatterns,
    load_patterns,
)
from steppe.analyse.events.modality import CueIndex, cue_index, modality
from steppe.analyse.events.roles import (
    addressed,
    aimed_at_place,
    assign_roles,
    is_passive,
    place_aimed_at,
    role_pairs,
)
from steppe.analyse.events.tokens import QUOTES, Token, boundary_between, tokenize
from steppe.analyse.events.triggers import Match, candidate_sentences, find_triggers
from steppe.analyse.events.when_where import (
    DateMention,
    event_location,
    find_dates,
    is_background,
    nearest,
    object_missing,
    resolve_date,
)
from steppe.analyse.names.mentions import Mention
from steppe.analyse.names.registry import Registry, load_registry
from steppe.text import normalise_for_matching

# Confidence by how the event was found: a verb with both actors resolved is
# the pattern the coder gets right most often; every missing or unresolved
# actor, and a noun trigger (which names an event without asserting it),
# makes it less sure.
CONFIDENCE_BOTH = 0.9
CONFIDENCE_ONE = 0.7
CONFIDENCE_NONE = 0.5
NOUN_PENALTY = 0.15
UNRESOLVED_PENALTY = 0.1
CONTEXT_PENALTY = 0.1  # an actor whose country comes from the article, not the sentence

GOVERN_WINDOW = 8  # a complement starts at most this many words after its governor
GOVERNING_ROOTS = ("02", "03", "10", "12", "13")  # appeal, intent, demand, reject, threaten: they take a complement
SPEECH_ROOTS = ("01", "11")  # statements, criticism and accusation: acts of speech


@dataclass(frozen=True)
class EventMention:
    """One place a document reports an event: the sentence and its trigger there."""

    sentence_idx: int
    char_start: int
    char_end: int
    trigger: str  # text[char_start:char_end] == trigger


@dataclass(frozen=True)
class Event:
    sentence_idx: int
    char_start: int
    char_end: int
    trigger: str  # text[char_start:char_end] == trigger
    cameo_code: str  # zero-padded string "043", "0311"
    source_entity_id: str | None
    source_text: str | None
    target_entity_id: str | None
    target_text: str | None
    event_date: date | None
    date_precision: str | None  # "day" | "month" | "year" | "publication"
    location_entity_id: str | None
    negated: bool  # denied or merely planned/possible: not coded as a fact
    confidence: float  # 0..1 from how it was found
    evidence_spans: tuple[tuple[int, int], ...] = field(default=())  # every trigger span that produced this event
    # Every place the document reports this event, in text order; the first is the event's own
    # position. Empty for an event built by hand: it is then reported once, where it stands.
    mentions: tuple[EventMention, ...] = field(default=())
    # The actor codes of each side (see steppe.analyse.events.actors): country (ISO3 or IGO code),
    # CAMEO type and the basis the coder used; None for a side with no actor.
    source_country: str | None = None
    source_type: str | None = None
    source_basis: str | None = None
    target_country: str | None = None
    target_type: str | None = None
    target_basis: str | None = None
    # Dated BACKGROUND_DAYS or more before publication: history the article recalls (when_where.is_background).
    is_background: bool = False

    @property
    def reported(self) -> tuple[EventMention, ...]:
        """Every place the document reports this event (its own position, if no mentions were kept)."""
        return self.mentions or (EventMention(self.sentence_idx, self.char_start, self.char_end, self.trigger),)

    @property
    def n_mentions(self) -> int:
        """How many places of the document report this event."""
        return len(self.reported)


def _confidence(source: Actor | None, target: Actor | None, noun: bool) -> float:
    return _confidence_of(
        (source is not None) + (target is not None), noun,
        _unresolved(source) or _unresolved(target), _from_context(source) or _from_context(target),
    )


def _unresolved(actor: Actor | None) -> bool:
    return actor is not None and actor.entity_id is None and actor.basis == "unlinked"


def _from_context(actor: Actor | None) -> bool:
    return actor is not None and actor.basis == "context"


@functools.cache
def _confidence_of(sides: int, noun: bool, unresolved: bool, context: bool) -> float:
    """An event's confidence from how many sides it names, whether its trigger is a noun, and whether a
    side is an unresolved name or the article's country guessed from context."""
    base = (CONFIDENCE_NONE, CONFIDENCE_ONE, CONFIDENCE_BOTH)[sides]
    if noun:
        base -= NOUN_PENALTY
    if unresolved:
        base -= UNRESOLVED_PENALTY
    if context:
        base -= CONTEXT_PENALTY
    return round(max(0.05, min(1.0, base)), 2)


def _attachable(noun: Match, actors: Sequence[Actor], matches: Sequence[Match]) -> list[Actor]:
    """The actors a noun trigger may take: none with another trigger between it and the noun.

    "Полиция задержала участников митинга": the police detained, they did not
    rally; "Жители Алматы вышли на акцию протеста": the residents' protest is
    the verb's event, not a second one.
    """
    others = [m for m in matches if m is not noun]

    def crossed(a: Actor) -> bool:
        lo, hi = (a.last, noun.first) if a.last < noun.first else (noun.last, a.first)
        return any(lo < m.first and m.last < hi for m in others)

    return [a for a in actors if not crossed(a)]


def pair_complements(matches: Sequence[Match], tokens: Sequence[Token], patterns: LanguagePatterns) -> dict[int, int]:
    """Governor index -> complement index: the action an appeal, intent, demand, refusal or threat is about.

    The complement is the next trigger in the same clause ("agreed to meet",
    "отказался подписать"), or in Kazakh, where the governing verb comes last,
    the one before it ("қол қоюдан бас тартты", "кездесуге келісті").
    A noun governs too: "its demand that Israel ease restrictions" is 1051.
    """
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for n, governor in enumerate(matches):
        if governor.trigger.code[:2] not in GOVERNING_ROOTS or n in taken:
            continue
        m = n - 1 if patterns.complement_before else n + 1
        if not 0 <= m < len(matches) or m in taken or m in pairs:
            continue
        left, right = sorted((governor, matches[m]), key=lambda x: x.first)
        # "отказался оплачивать парковку и избил": a verb after a coordinator is no complement, nor
        # one past a quotation mark ('"Москва готова к диалогу", - сказал он').
        apart = any(t.word in patterns.grammar["coordinators"] or t.word in QUOTES for t in tokens[left.last + 1 : right.first])
        if right.first - left.last <= GOVERN_WINDOW and not apart and not boundary_between(tokens, left.last, right.first):
            pairs[n] = m
            taken.add(m)
    return pairs


def code_sentence(
    text: str,
    norm: str,
    sentence_idx: int,
    span: tuple[int, int],
    language: str,
    published: date | None,
    mentions: Sequence[Mention],
    patterns: LanguagePatterns,
    registry: Registry,
    trigger_starts: frozenset[int] | None = None,
    context_country: str | None = None,
    phrases: Mapping[str, Sequence[tuple[int, int]]] | None = None,
) -> list[Event]:
    """The events of one sentence, before deduplication across the document.

    `trigger_starts`, if given, are the offsets of the only words where a
    trigger may start (see `triggers.candidate_sentences`); `context_country`
    is the article's country (`article_country`), for agents the sentence does
    not place.
    """
    discards = load_discards(language)
    if phrases is None:  # the document's discard phrases (code_events finds them in one pass), else the sentence's
        phrases = discards.find_all(norm, span[0], span[1])
    if phrases["sentence"] and any(span[0] <= a < span[1] for a, _ in phrases["sentence"]):
        return []  # "marcou um gol", "забил гол": a game
    tokens = tokenize(norm, span[0], span[1])
    matches = find_triggers(tokens, patterns, trigger_starts)
    if not matches:
        return []
    # A statement is coded whoever makes it, as the annotators code it: a name ("Temer disse"), an agent noun
    # ("a polícia disse", "Полиция заявила"), or no actor the coder can find (a pronoun: "Он заявил").
    agents = load_agents(language)
    actors, places = sentence_actors(text, tokens, mentions, patterns, registry, agents, context_country, [(m.first, m.last) for m in matches])
    named = (*actors, *places)  # what may stand right after a trigger as its object (object_missing)
    dates: list[DateMention] | None = None  # found at the first trigger that makes an event
    events: list[Event] = []
    pairs = pair_complements(matches, tokens, patterns)
    consumed = set(pairs.values())
    cues: CueIndex | None = None  # made at the first trigger that needs its modality
    agent_spans = [(a.first, a.last) for a in actors if a.entity_id is None and a.basis in ("agent", "context")]
    previous_verb: tuple[Match, Actor | None] | None = None
    claims: list[tuple[Match, int]] = []  # claim triggers and the index of their first event
    gerunds: list[bool] = []  # per event: its trigger is a verb's gerund ("saying": fold_statements)
    reportable: list[bool] = []  # per event: a verb not coordinated with the one before, which a statement may report (fold_statements)
    for n, match in enumerate(matches):
        if n in consumed or any(first <= match.first and match.last <= last for first, last in agent_spans):
            continue  # a complement, or a word of an agent noun ("наразылық білдірушілер", protesters)
        code, end_token, spans = match.trigger.code, match.last, [(match.start, match.end)]
        complement_end = match.last
        if n in pairs:
            complement = matches[pairs[n]]
            code = compose(code, complement.trigger.code)
            spans.append((complement.start, complement.end))
            complement_end = max(match.last, complement.last)
        passive = is_passive(match, tokens, patterns)
        candidates = _attachable(match, actors, matches) if match.trigger.noun else actors
        source, target = assign_roles(match, complement_end, candidates, tokens, patterns, passive)
        coordinated = previous_verb is not None and coordinated_verb(previous_verb[0], match, tokens, patterns)
        if coordinated and not passive and not patterns.case_roles:
            # "Tokayev received Putin and signed a gas agreement with Russia": the second
            # verb keeps the first one's subject (Putin is the first verb's object).
            first_source = previous_verb[1]
            if first_source is not None and source is not first_source:
                target = target if target is not first_source else None
                source = first_source
        if not match.trigger.noun:
            previous_verb = (match, source)
        if match.trigger.noun and source is None and target is None:
            continue  # "durante a visita": a noun with no actor names no new event
        if match.trigger.after and source is None:
            continue  # "Кездесу Астанада болды": a meeting was held, no one visited
        if match.trigger.roles in ("speaker", "agent") and source is None:
            # "Y has to pay", with no one saying it: an obligation, not a demand; "se ofrecen
            # servicios de autobús": an offer by no actor is commerce, not an intent.
            continue
        if target is not None and official_of_source_country(target, source, actors, places, tokens, patterns):
            # "Egyptian demonstrators ... the removal of President Hosni Mubarak": an
            # official the registry does not know, in a sentence about the source's
            # country alone, is that country's official (a domestic event).
            target = replace(target, country=source.country, actor_type=target.actor_type or "GOV")
        if code == STATEMENT and target is not None and not addressed(match, target, tokens, patterns):
            target = None  # what is said names it; the statement is not said to it
        if cues is None:
            cues = cue_index(tokens, patterns)
        if source is not None:
            code = by_whom(code, source.actor_type, source.entity_id is not None)
        mood = modality(match, end_token, tokens, patterns, cues)
        negated = mood == "negated"
        if mood == "intent" and code[:2] not in GOVERNING_ROOTS:
            code = compose("030", code)
        elif mood == "refused":
            code = compose("120", code)
            negated = False
        used = {a.entity_id for a in (source, target) if a and a.entity_id}
        location = event_location(places, tokens, patterns, match.first, end_token, used, visit=match.trigger.code == "042" or code == "036")
        if object_missing(match, tokens, patterns, named):
            continue  # "chegou a ser preso", "recebeu alta": no destination, no guest, no visit
        # Where case marks roles, only a place right after the verb is aimed at ("обстреляли Мариуполь").
        aimed = place_aimed_at(places, tokens, patterns, end_token) if patterns.case_roles else location
        location = location or aimed
        if target is None and aimed_at_place(code) and aimed and aimed.country:
            # A protest, a show of force, a curfew or an attack in a place (or a
            # threat of one), with no one else named as its target, is aimed at
            # that place's country ("shelled Juba", "threatened a curfew in Algiers"),
            # its own one included ("Liberian police ... in Monrovia").
            # In Russian and Kazakh a place in the locative is never a role; in Russian one right
            # after the verb is (roles.place_aimed_at).
            country = country_entity(aimed.country, registry)
            if country is not None:
                target = Actor(aimed.start, aimed.end, aimed.first, aimed.last, country, "country", aimed.text, "", aimed.country, "GOV")
        if target is None and code == "042" and location and location.country and (source is None or source.country != location.country):
            # A visit to a city is a visit to its country.
            country = country_entity(location.country, registry)
            target = Actor(location.start, location.end, location.first, location.last, country, "country", location.text, "", location.country, "GOV") if country else None
        if dates is None:
            dates = find_dates(text, tokens, language, published, patterns)
        # About an action, not the action itself; what someone says, or says against someone, was
        # said by publication, whatever date the words it reports carry.
        statement = mood != "fact" or code[:2] in GOVERNING_ROOTS or code[:2] in SPEECH_ROOTS
        event_date, precision, negated = resolve_date(nearest(dates, match.first, end_token), published, statement, negated)
        trigger = text[match.start : match.end]
        accused = wrongdoing_accused(match, tokens, cues, actors, source) if code == STATEMENT else None
        if accused is not None:
            # "Janot diz que Temer cometeu crime de corrupção": a statement laying wrongdoing on
            # someone accuses him (PETRARCH codes what is said, not the saying).
            code, target = "112", accused
        if match.trigger.roles == "claim" or accused is not None:
            claims.append((match, len(events)))
        gerund = not match.trigger.noun and tokens[match.first].word.endswith(patterns.endings["gerund"])
        for one_source, one_target in role_pairs(source, target, candidates, tokens, patterns):
            gerunds.append(gerund)
            reportable.append(not match.trigger.noun and not coordinated)
            events.append(
                Event(
                    sentence_idx=sentence_idx,
                    char_start=match.start,
                    char_end=match.end,
                    trigger=trigger,
                    cameo_code=code,
                    source_entity_id=entity_of(one_source),
                    source_text=one_source.text if one_source else None,
                    target_entity_id=entity_of(one_target),
                    target_text=one_target.text if one_target else None,
                    event_date=event_date,
                    date_precision=precision,
                    location_entity_id=location.entity_id if location else None,
                    negated=negated,
                    confidence=_confidence(one_source, one_target, match.trigger.noun),
                    evidence_spans=tuple(spans),
                    mentions=(EventMention(sentence_idx, match.start, match.end, trigger),),
                    source_country=one_source.country if one_source else None,
                    source_type=one_source.actor_type if one_source else None,
                    source_basis=one_source.basis if one_source else None,
                    target_country=one_target.country if one_target else None,
                    target_type=one_target.actor_type if one_target else None,
                    target_basis=one_target.basis if one_target else None,
                    is_background=is_background(event_date, precision, published),
                )
            )
    events = fold_statements(claimed(events, claims, tokens, patterns, actors), gerunds, reportable)
    if events and is_question(text, span[0], span[1]):
        events = [replace(e, negated=True) for e in events]  # a question asks; it reports no fact
    if events and phrases["background"] and (spans := background_spans(norm, span[0], span[1], [p for p in phrases["background"] if span[0] <= p[0] < span[1]])):
        events = [replace(e, is_background=True) if any(a <= e.char_start < b for a, b in spans) else e for e in events]
    return events


def deduplicate(events: Sequence[Event]) -> list[Event]:
    """One event per (source, target, code, date, negation); the first keeps its trigger, all spans are
    evidence, and every merged event's mentions are the kept one's (the first's first).

    Negation is part of the key: "signed" and "did not sign" the same day are
    not the same claim.
    """
    merged: dict[tuple, Event] = {}
    for e in events:
        key = (e.source_entity_id or e.source_text, e.target_entity_id or e.target_text, e.cameo_code, e.event_date, e.negated)
        if key in merged:
            kept = merged[key]
            spans = kept.evidence_spans + tuple(s for s in e.evidence_spans if s not in kept.evidence_spans)
            seen = {(m.sentence_idx, m.char_start) for m in kept.reported}
            mentions = kept.reported + tuple(m for m in e.reported if (m.sentence_idx, m.char_start) not in seen)
            merged[key] = replace(kept, evidence_spans=spans, confidence=max(kept.confidence, e.confidence), mentions=mentions)
        else:
            merged[key] = e
    return list(merged.values())


def code_events(
    text: str,
    language: str,
    published: date | None,
    sentences: Sequence[tuple[int, int]],
    mentions: Sequence[Mention],
) -> list[Event]:
    """Every event of a document, in text order, deduplicated within the document.

    `sentences` are (char_start, char_end) spans of `text`; `mentions` are its
    resolved names (steppe.analyse.names.mentions.find_mentions). A language without event
    patterns yields no events.
    """
    base = language.split("-")[0].lower()
    if base not in EVENT_LANGUAGES:
        return []
    patterns = load_patterns(base)
    registry = load_registry()
    norm = normalise_for_matching(text)
    discards = load_discards(base)
    phrases = discards.find_all(norm)
    if is_story(phrases["story"]):
        return []  # a sports or entertainment story: its attacks and victories are games
    ordered = sorted(mentions, key=_CHAR_START)
    starts = [m.char_start for m in ordered]
    events: list[Event] = []
    context: str | None | bool = False  # the article's country, found at the first sentence that may hold an event
    for idx, trigger_starts in candidate_sentences(norm, sentences, patterns):
        if context is False:
            context = article_country(ordered, registry, language)
        start, end = sentences[idx]
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        events.extend(
            code_sentence(text, norm, idx, (start, end), base, published, ordered[lo:hi], patterns, registry, trigger_starts, context or None, phrases)
        )
    return deduplicate(events)


_CHAR_START = operator.attrgetter("char_start")
