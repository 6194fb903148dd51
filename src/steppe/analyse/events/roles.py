"""Who did it to whom: the source and target of a trigger among the sentence's actors.

In Portuguese and English by position (the subject before an active verb,
its object after it; the agent after "por"/"by" for a passive); in Russian
and Kazakh by case first, then by position. A noun trigger takes only the
actors attached to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from steppe.analyse.events import russian
from steppe.analyse.events.actors import Actor, word_before
from steppe.analyse.events.lexicon import LanguagePatterns
from steppe.analyse.events.tokens import CLAUSE_PUNCT, QUOTES, Token, boundary_between
from steppe.analyse.events.triggers import Match
from steppe.analyse.names.lexicon import language_data

TARGET_WINDOW = 12  # a verb's object starts at most this many words after it
POSTPOSED_SPEAKER = 8  # "..., disse o chefe da polícia britânica": a speaker after his verb starts within this many words
NOUN_WINDOW = 5  # a noun's attached actors stand at most this many words from it
PLACE_TARGET_ROOTS = ("14", "15", "16", "17", "18", "19", "20")  # protest, force posture, reduce relations, coerce, assault, fight, mass violence


def _coordinated(actors: Sequence[Actor], index: int, tokens: Sequence[Token], patterns: LanguagePatterns) -> tuple[int, int]:
    """The first and last conjunct of "A e B" / "A и B" / "A мен B" / "A, B and C" around actors[index].

    A comma joins two actors only inside a list that a coordinator closes
    ("Kazakhstan, Uzbekistan and Kyrgyzstan"); an apposition ("Russia's
    president, Vladimir Putin") is no list.
    """
    coordinators = patterns.grammar["coordinators"]

    def link(a: Actor, b: Actor) -> str | None:
        # Quotes around a name ("«Газпром» и QazaqGaz") do not break the coordination.
        between = [t.word for t in tokens[a.last + 1 : b.first] if t.word not in QUOTES]
        if len(between) == 1 and between[0] in coordinators:
            return "and"
        if between == [","] and a.entity_type and a.entity_type == b.entity_type:
            return "comma"  # a list names things of one kind: "Kazakhstan, Uzbekistan and Kyrgyzstan"
        if len(between) == 2 and between[0] == "," and between[1] in coordinators:
            return "and"  # the serial comma: "A, B, and C"
        return None

    links: dict[int, str | None] = {}

    def link_at(k: int) -> str | None:  # the link between actors[k] and actors[k + 1], read once
        if k not in links:
            links[k] = link(actors[k], actors[k + 1])
        return links[k]

    first = last = index
    while first > 0 and link_at(first - 1) is not None:
        first -= 1
    while last + 1 < len(actors) and link_at(last) is not None:
        last += 1
    if first == last:
        return index, index
    # Keep the comma links only where a coordinator closes the list after them.
    while last > first and link_at(last - 1) == "comma":
        last -= 1
    closing = max((k for k in range(first, last) if link_at(k) == "and"), default=None)
    if closing is None or index > closing + 1:
        return index, index
    return first, min(last, closing + 1)


def coordination(actor: Actor | None, actors: Sequence[Actor], tokens: Sequence[Token], patterns: LanguagePatterns) -> list[Actor]:
    """Every conjunct of the coordination `actor` stands in ("Kazakhstan, Uzbekistan and Kyrgyzstan"), or [actor]."""
    if actor is None:
        return []
    index = next((k for k, a in enumerate(actors) if a is actor), None)
    if index is None:
        return [actor]
    lo, hi = _coordinated(actors, index, tokens, patterns)
    return list(actors[lo : hi + 1])


def role_pairs(
    source: Actor | None, target: Actor | None, actors: Sequence[Actor], tokens: Sequence[Token], patterns: LanguagePatterns
) -> list[tuple[Actor | None, Actor | None]]:
    """The (source, target) pairs an event stands for, when a side is a coordination.

    "Kazakhstan, Uzbekistan and Kyrgyzstan met": no one else is named, so
    each met each other (every ordered pair); "Russia and Belarus condemned
    Ukraine": each is a source, the target the same; "Putin spoke with
    Shoigu and Evmenov": one event with each target; "signed between Turkey
    and Libya", with no source: each with the other.
    """
    joiners = patterns.grammar["coordinators"] | {","}

    def group_of(actor: Actor | None) -> list[Actor]:
        # Most actors stand alone: no coordinator or comma next to them.
        if actor is None or not any(
            0 <= k < len(tokens) and tokens[k].word in joiners for k in (actor.first - 2, actor.first - 1, actor.last + 1, actor.last + 2)
        ):
            return [actor] if actor is not None else []
        group = coordination(actor, actors, tokens, patterns)
        return group if len(group) > 1 else [actor]

    sources = group_of(source)
    if len(sources) > 1 and (target is None or any(target is a for a in sources)):
        return [(a, b) for a in sources for b in sources if a is not b and not (a.entity_id and a.entity_id == b.entity_id)] or [(source, target)]
    targets = group_of(target) or [target]
    if source is None and len(targets) > 1 and word_before(tokens, targets[0].first, patterns) in patterns.grammar["between_markers"]:
        # "the agreement signed between Turkey and Libya": each is the other's partner.
        return [(a, b) for a in targets for b in targets if a is not b and not (a.entity_id and a.entity_id == b.entity_id)]
    pairs = [
        (a, b) for a in (sources or [source]) for b in targets
        if not (a is not None and b is not None and a.entity_id and a.entity_id == b.entity_id)
    ]
    return pairs or [(source, target)]


def _is_object_of_preposition(actor: Actor, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    word = word_before(tokens, actor.first, patterns)
    g = patterns.grammar
    return word in g["location_markers"] or word in g["target_markers"] or word in g["genitive_markers"] or word in g["agent_markers"]


def assign_roles(
    match: Match, end_token: int, actors: Sequence[Actor], tokens: Sequence[Token], patterns: LanguagePatterns, passive: bool
) -> tuple[Actor | None, Actor | None]:
    """(source, target) of a trigger spanning tokens match.first .. end_token."""
    first, last = match.first, end_token
    before = [i for i, a in enumerate(actors) if a.last < first and not boundary_between(tokens, a.last, first)]
    # Actors inside a gapped pattern count as after it ("give Tanzania a grant");
    # the window runs from the end of the trigger (or of its complement).
    after = [
        i
        for i, a in enumerate(actors)
        if a.first > first and not (first <= a.first <= match.last and a.last <= match.last and match.trigger.noun)
        and a.first - last <= TARGET_WINDOW
        and not boundary_between(tokens, first, a.first)
    ]
    if match.trigger.noun:
        return _noun_roles(match, last, actors, before, after, tokens, patterns)
    if match.trigger.code[:2] == "01" or match.trigger.roles == "claim":
        # What a statement or a claim reports is its own clause: "disse que a Rússia
        # atacou", "claimed that Ukraine attacked" - Russia, Ukraine are not told.
        barrier = next(
            (k for k in range(match.last + 1, len(tokens)) if tokens[k].word in patterns.grammar["complementizers"]), None
        )
        if barrier is not None:
            after = [i for i in after if actors[i].first < barrier]
        lead = first - 1  # the word before the verb, past its clitics ('", nos explica Joop Trouborst')
        while lead >= 0 and tokens[lead].word in patterns.grammar["clitics"]:
            lead -= 1
        said = patterns.grammar["complementizers"]
        opens_clause = tokens[match.last].word in said or (match.last + 1 < len(tokens) and tokens[match.last + 1].word in said)
        if not opens_clause and (lead < 0 or tokens[lead].word in QUOTES or tokens[lead].word in (",", "-", "--") or tokens[lead].word in patterns.grammar["speaker_after"]):
            # (Not before "que": "..., me contou que o policial ...", what follows is what was said.)
            # "..., disse Gleisi", "..., said Trump", "..., заявил Путин", "..., disse o chefe da
            # polícia britânica": the speaker follows the verb, with his title between; what went
            # before is what was said, whose actors are neither speaker nor told ("- сказал он").
            # (A name the registry does not know has no reliable case: "- добавил Макрон".)
            if match.last + 1 < len(tokens) and tokens[match.last + 1].word in language_data().pronouns.get(patterns.language, ()):
                return None, None  # "..., сказал он CNBC": the speaker is "он", whom the names layer cannot tell
            follows = [
                i for i in after
                if actors[i].first - match.last <= POSTPOSED_SPEAKER and (not patterns.case_roles or actors[i].case in ("nom", None) or actors[i].entity_id is None)
                and not any(t.word == "," or t.word in CLAUSE_PUNCT or t.word in QUOTES for t in tokens[match.last + 1 : actors[i].first])
            ]
            if follows:
                return actors[follows[0]], None
            if lead >= 1 and tokens[lead].word == "," and tokens[lead - 1].word in QUOTES:
                return None, None  # '"...", - сказал он': the quotation closes before the verb
    if match.trigger.roles == "speaker":
        # "X said Y must ...": Y is told, X tells.
        if not before:
            return None, None
        lo, _ = _coordinated(actors, before[-1], tokens, patterns)
        speaker = next((i for i in reversed(before) if i < lo), None)
        return (actors[speaker] if speaker is not None else None), actors[lo]
    if patterns.case_roles:
        statement = match.trigger.code[:2] == "01" or match.trigger.roles == "claim"
        return _case_roles(before, after, actors, tokens, patterns, passive, first, statement)
    if passive:
        agent = next((i for i in after if word_before(tokens, actors[i].first, patterns) in patterns.grammar["agent_markers"]), None)
        subject = before[-1] if before else None
        return (actors[agent] if agent is not None else None), (actors[subject] if subject is not None else None)
    source_index = _subject(before, actors, tokens, patterns)
    if source_index is None and any(t.word in patterns.grammar["fronted_clause_openers"] for t in tokens[:first]):
        # A fronted clause ("Ao chegar em Astana, Putin ...", "After arriving in Astana, Putin ..."):
        # the subject is the first actor after the comma that closes it.
        comma = next((k for k in range(last + 1, len(tokens)) if tokens[k].word == ","), None)
        if comma is not None:
            behind = [i for i, a in enumerate(actors) if a.first > comma and not boundary_between(tokens, last, a.first)]
            if behind:
                source_index = behind[0]
                after = [i for i in after if actors[i].last < comma]
    source = target = None
    if source_index is not None:
        lo, hi = _coordinated(actors, source_index, tokens, patterns)
        source = actors[lo]
        if hi != lo:
            target = actors[hi]
    # The object: the first actor after the verb standing alone or after a
    # preposition; one after "de"/"of" is the owner of the object ("os
    # mercados da União", "leaders of Romania") and only a fallback.
    objects = [i for i in after if actors[i] is not source and (actors[i].entity_id is None or actors[i].entity_id != (source.entity_id if source else None))]
    # One after a word that only introduces places ("in Azerbaijan") says where, and comes last.
    only_place = patterns.grammar["location_markers"] - patterns.grammar["target_markers"]
    objects.sort(
        key=lambda i: (
            word_before(tokens, actors[i].first, patterns) in only_place,
            word_before(tokens, actors[i].first, patterns) in patterns.grammar["genitive_markers"],
        )
    )
    object_index = objects[0] if objects else None
    if object_index is not None:
        target = actors[object_index]
    return source, target


def _subject(before: Sequence[int], actors: Sequence[Actor], tokens: Sequence[Token], patterns: LanguagePatterns) -> int | None:
    """The nearest actor before the verb that is not the object of a preposition (else the nearest one)."""
    for i in reversed(before):
        if not _is_object_of_preposition(actors[i], tokens, patterns):
            return i
    return before[-1] if before else None


def _case_roles(
    before: Sequence[int], after: Sequence[int], actors: Sequence[Actor], tokens: Sequence[Token],
    patterns: LanguagePatterns, passive: bool, trigger_first: int, statement: bool = False,
) -> tuple[Actor | None, Actor | None]:
    """Russian and Kazakh: the nominative is the subject wherever it stands; the other cases are objects.

    Kazakh puts the subject first (subject: first); Russian, freer, the
    nearest nominative before the verb, else the first after it ("Путина
    встретил Токаев"). A name in the locative ("Ақордада") is a place, never
    a role.
    """
    before = [i for i in before if actors[i].case != "loc" and not _in_attribution(actors[i], tokens, trigger_first, patterns)]
    after = [i for i in after if actors[i].case != "loc"]
    inside = {k for a in actors for k in range(a.first, a.last + 1)}  # the tokens of names
    if statement and any(t.word in patterns.grammar["speaker_after"] for t in tokens[max(0, trigger_first - 2) : trigger_first]):
        # "Как сообщили в МЧС, 59-летний мужчина скончался": past a comma is what was said.
        comma = next((k for k in range(trigger_first + 1, len(tokens)) if tokens[k].word == "," and k not in inside), len(tokens))
        after = [i for i in after if actors[i].first < comma]
    nominative_before = [i for i in before if actors[i].case == "nom"]
    if not nominative_before and patterns.language == "ru":
        # "Представители ByteDance рассказали The Guardian": a name the registry does not know, before the verb, that may be nominative.
        nominative_before = [i for i in before if russian.unlinked_nominative(actors[i], tokens, inside, -1)]
    nominative_after = [i for i in after if actors[i].case == "nom"]
    oblique_before = [i for i in before if actors[i].case in ("obl", "dat")]
    oblique_after = [i for i in after if actors[i].case in ("obl", "dat")]
    if passive:
        # Who undergoes it stands in its own clause: not before "что" ("URA.RU сообщало, что арестован главврач").
        said = patterns.grammar["complementizers"]
        nominative_before = [i for i in nominative_before if not any(t.word in said for t in tokens[actors[i].last + 1 : trigger_first])]
        # The agent: Kazakh "Қазақстан тарапынан", Russian instrumental "Казахстаном".
        postpositions = patterns.grammar["agent_postpositions"]
        agent = next((i for i in reversed(before) if actors[i].last + 1 < len(tokens) and tokens[actors[i].last + 1].word in postpositions), None)
        if agent is None:
            # Not a name after a preposition ("В Турции 8 человек арестованы" says where), and in Russian
            # one that may be instrumental ("задержан полицией"; "Житель города Окленд-Парк арестован": no agent).
            agent = next(iter([i for i in oblique_after or oblique_before if not _is_object_of_preposition(actors[i], tokens, patterns)
                               and (patterns.language != "ru" or russian.may_be_instrumental(actors[i].text.lower()))]), None)
        if agent is not None:
            agent = _coordinated(actors, agent, tokens, patterns)[0]
        rest = [i for i in nominative_before + nominative_after
                if agent is None or (i != agent and (actors[i].entity_id is None or actors[i].entity_id != actors[agent].entity_id))]
        subject = rest[-1] if rest else None
        return (actors[agent] if agent is not None else None), (actors[subject] if subject is not None else None)
    relative = _relative_subject(before, actors, tokens, trigger_first, patterns)
    if relative is not None:
        subject = relative  # "дошло до суда, который оправдал политика": the court, and nothing before it is acted on
        before = [i for i in before if actors[i].first > actors[relative].last]
        oblique_before = [i for i in oblique_before if actors[i].first > actors[relative].last]
    elif nominative_before:
        subject = nominative_before[0] if patterns.subject_first else nominative_before[-1]
    elif not before and _pronoun_subject(tokens, trigger_first, patterns):
        # "Он посетил Казахстан": the subject is a pronoun the coder cannot resolve, and a
        # nominative-looking name after the verb is its object (an inanimate accusative).
        subject = None
    else:
        subject = nominative_after[0] if nominative_after else None
        if subject is None and statement and not before and patterns.language == "ru":
            subject = russian.postposed_speaker(after, actors, tokens, trigger_first, TARGET_WINDOW, inside)
        if subject is None:
            subject = _subject(before, actors, tokens, patterns)
        if statement and subject is not None and subject in after:
            # "Об этом заявил гендиректор организации «Дом.рф» Александр Плутник во время ...": what
            # stands between a statement and its speaker after it is his title, and what follows him
            # says where, when or through whom ("передает «Интерфакс»"): no one told.
            return actors[_coordinated(actors, subject, tokens, patterns)[0]], None
    source = target = None
    if subject is not None:
        lo, hi = _coordinated(actors, subject, tokens, patterns)
        source = actors[lo]
        if hi != lo:
            # "Миллер и Сокольский назвали Помпео худшим": both act on the object after the verb;
            # with none, on each other ("Путин и Токаев встретились").
            obj = next((i for i in after if not lo <= i <= hi and actors[i].first > actors[hi].last), None)
            return source, actors[obj if obj is not None else hi]
    source_id = source.entity_id if source else None
    # "Президент России Владимир Путин провел встречу": a name in an oblique case before the subject,
    # of the subject's own country, is part of its title, not what the verb acts on.
    title = frozenset(
        i for i in before
        if source is not None and not patterns.subject_first and actors[i].entity_id and actors[i].last < source.first
        and (actors[i].case != "nom" or actors[i].last + 1 == source.first)  # "президент США Дональд Трамп"
        and actors[i].country and actors[i].country == source.country
    )

    def other(i: int) -> bool:
        return actors[i] is not source and (source_id is None or actors[i].entity_id != source_id) and i not in title

    # The object: the first actor after the verb (Russian order; an
    # indeclinable or inanimate name there looks nominative: "обвинил НАТО",
    # "посетил Казахстан"), else, as in Kazakh, an oblique one before it.
    objects = [i for i in after if other(i) and actors[i].case != "gen"] + [i for i in reversed(oblique_before) if other(i)]
    if not objects:
        # An inanimate accusative looks nominative ("посетил Казахстан"), and so
        # does a Kazakh modifier ("Ресей елшісін", Russia's ambassador).
        objects = [i for i in after + list(reversed(before)) if other(i) and actors[i].case != "gen"]
    if not objects:
        # The owner of the object: "Еуропалық одақтың шешімін сынға алды" (criticised the EU's decision).
        objects = [i for i in list(reversed(before)) + list(after) if other(i)]
    if objects:
        target = actors[objects[0]]
    return source, target


def _in_attribution(actor: Actor, tokens: Sequence[Token], trigger_first: int, patterns: LanguagePatterns) -> bool:
    """Whether an actor before a verb stands in an attribution clause that a comma closes before it ("Как
    передает Арменпресс, об этом сообщает Habertürk"): that clause has its own verb and speaker."""
    openers = patterns.grammar["speaker_after"]
    if not openers:
        return False
    comma = next((k for k in range(trigger_first - 1, actor.last, -1) if tokens[k].word == ","), None)
    if comma is None:
        return False
    return any(tokens[k].word in openers for k in range(max(0, actor.first - 3), actor.first)) and not any(
        tokens[k].word == "," for k in range(actor.last + 1, comma))


def _relative_subject(before: Sequence[int], actors: Sequence[Actor], tokens: Sequence[Token], trigger_first: int,
                      patterns: LanguagePatterns) -> int | None:
    """The actor a relative pronoun in the nominative right before the verb stands for ("суда, который
    оправдал", "Путина, который посетил"): the last actor before the pronoun, with only a comma between."""
    pronouns = patterns.grammar["relative_subjects"]
    if not pronouns:
        return None
    k = next((j for j in range(trigger_first - 1, max(-1, trigger_first - 4), -1) if tokens[j].word in pronouns), None)
    if k is None or k < 1 or tokens[k - 1].word != ",":
        return None
    return next((i for i in reversed(before) if actors[i].last == k - 2), None)


def _pronoun_subject(tokens: Sequence[Token], trigger_first: int, patterns: LanguagePatterns) -> bool:
    """Whether a subject pronoun ("он", "они") stands before the verb in its clause."""
    pronouns = patterns.grammar["subject_pronouns"]
    for k in range(trigger_first - 1, -1, -1):
        word = tokens[k].word
        if word in pronouns:
            return True
        if word in CLAUSE_PUNCT or word in QUOTES or word in patterns.grammar["complementizers"]:
            return False
    return False


def _noun_roles(
    match: Match, last: int, actors: Sequence[Actor], before: Sequence[int], after: Sequence[int],
    tokens: Sequence[Token], patterns: LanguagePatterns,
) -> tuple[Actor | None, Actor | None]:
    """A noun trigger's actors are attached to it: "visita de Putin ao Cazaquistão", "Путиннің Қазақстанға сапары"."""
    g = patterns.grammar
    source = target = None
    near_after = [i for i in after if actors[i].first - last <= NOUN_WINDOW]
    near_before = [i for i in before if match.first - actors[i].last <= NOUN_WINDOW]
    for i in near_after:
        a = actors[i]
        word = word_before(tokens, a.first, patterns)
        if word in g["between_markers"]:
            lo, hi = _coordinated(actors, i, tokens, patterns)
            if hi != lo:
                return actors[lo], actors[hi]
            continue
        # Russian puts the owner after the noun in the genitive, maybe past an
        # adjective: "визит Путина", "переговоры правительственных делегаций Кыргызстана".
        attached = patterns.case_roles and a.case in ("gen", "obl") and all(
            not t.is_punct and t.word not in g["target_markers"] for t in tokens[last + 1 : a.first]
        )
        if word in g["genitive_markers"] or attached:
            lo, hi = _coordinated(actors, i, tokens, patterns)
            if hi != lo and source is None and target is None and match.trigger.of == "source":
                return actors[lo], actors[hi]  # the talks "of Kyrgyzstan and Uzbekistan"
            if match.trigger.of == "source" and source is None:
                source = a
                continue
            if match.trigger.of == "target" and target is None:
                target = a
                continue
        if word in g["target_markers"] and target is None:
            target = a
        elif word in g["agent_markers"] and source is None:
            source = a
    if patterns.case_roles:
        # A case language names the subject in the nominative; a noun after it
        # is its action ("Казахстан не будет участвовать в санкциях").
        nominative = [i for i in before if actors[i].case == "nom"]
        if source is None and nominative and match.trigger.of == "source" and all(actors[i].case != "gen" for i in near_before):
            lo, hi = _coordinated(actors, nominative[0] if patterns.subject_first else nominative[-1], tokens, patterns)
            source = actors[lo]
            if hi != lo and target is None:
                target = actors[hi]
        for i in reversed(near_before):
            a = actors[i]
            if a.case == "gen" and match.trigger.of == "source" and source is None:
                source = a
            elif a.case == "gen" and target is None:
                target = a
            elif a.case in ("obl", "dat") and target is None:
                target = a
    # "em sua visita", "its visit", "Putin's visit": the possessor is the source.
    window = [t.word for t in tokens[max(0, match.first - 3) : match.first]]
    possessor = next((i for i in reversed(before) if actors[i].last >= match.first - 2), None)
    if (
        not patterns.case_roles and possessor is not None and window and window[-1].endswith(("'s", "’s", "s'", "s’"))
        and source is not None and source is not actors[possessor] and target is None and match.trigger.of == "source"
    ):
        # "Moscow's invasion of Ukraine": the possessor acts, the "of" complement undergoes.
        return actors[possessor], source
    possessed = any(w in g["possessives"] for w in window) or any(w.endswith(("'s", "’s")) for w in window[-1:])
    if source is None and before and (possessed or actors[before[-1]].last == match.first - 1):
        source = actors[before[-1]]
    if target is not None and source is not None and target.entity_id and target.entity_id == source.entity_id:
        target = None
    return source, target


def addressed(match: Match, target: Actor, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    """Whether a statement's target is whom it is said to: after a word that marks the addressee (the grammar's
    `addressee_markers`: "said to", "disse à imprensa", "dijo a"), or the verb's object before a pause or "that"
    ("told Reuters that"). An actor of what is said is no addressee ("Police said people were hurt", "said in
    Kyrgyzstan"). Languages that mark roles by case, or list no such markers, keep the target as found."""
    g = patterns.grammar
    if patterns.language == "ru":
        # Whom a Russian statement is said to is in the dative, with no preposition right before it ("заявил
        # журналистам"), or after one that marks the addressee ("обратился к"); "сообщил о ПВО" names its topic.
        k = target.first - 1
        while k > match.last and tokens[k].word in QUOTES:
            k -= 1
        return k <= match.last or tokens[k].word in g["addressee_markers"] or not russian.is_preposition(tokens[k].word)
    if patterns.case_roles or not g["addressee_markers"]:
        return True
    if any(word_before(tokens, at, patterns) in g["addressee_markers"] for at in (target.first, target.first - 1) if at > match.last + 1):
        return True  # "to the press", "to other Democratic members"
    i, after = target.first - 1, target.last + 1
    while i > match.last and tokens[i].word in g["articles"]:
        i -= 1
    return i == match.last and (after >= len(tokens) or tokens[after].is_punct or tokens[after].word in g["complementizers"])


def is_passive(match: Match, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    """Explicitly passive patterns, an auxiliary followed by a participle ("é recebido", "was attacked"), or a
    participle whose agent follows it ("os manifestantes detidos pela polícia", "activists arrested by police")."""
    if match.trigger.passive:
        return True
    if match.trigger.noun:
        return False
    g = patterns.grammar
    word = tokens[match.first].word
    if not word.endswith(patterns.endings["participle"]):
        return False
    if match.last + 1 < len(tokens) and tokens[match.last + 1].word in g["agent_markers"]:
        return True
    return after_auxiliary(match, tokens, patterns)


def after_auxiliary(match: Match, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    """Whether a passive auxiliary stands up to three words before the trigger ("foi recebido", "was released")."""
    auxiliaries = patterns.grammar["auxiliaries"]
    return any(t.word in auxiliaries for t in tokens[max(0, match.first - 3) : match.first])


def aimed_at_place(code: str) -> bool:
    """Whether an action in a place is aimed at it: material conflict (PLACE_TARGET_ROOTS), or a threat of it (CAMEO 13x1 and on)."""
    return code[:2] in PLACE_TARGET_ROOTS or (code[:2] == "13" and len(code) == 4)


def place_aimed_at(places: Sequence[Actor], tokens: Sequence[Token], patterns: LanguagePatterns, last: int) -> Actor | None:
    """In a language of case roles whose verb comes first (Russian), the place an attack or a
    threat is aimed at: one with a country right after the verb, or one word after it that
    marks no location, in no locative ("обстреляли Мариуполь", "удар по Харькову"; not "в
    Харькове", a scene)."""
    if not patterns.case_roles or patterns.complement_before:
        return None
    for p in places:
        if not p.country or p.case == "loc":
            continue
        if p.first == last + 1 or (p.first == last + 2 and tokens[last + 1].word not in patterns.grammar["location_markers"]):
            return p
    return None
