"""Russian case for the roles of names the registry does not know (actors: steppe.analyse.events.actors.Actor,
which this module cannot import, as that one reads names with it).

The registry gives the case of a name it knows by comparing the surface with the entity's names
(steppe.analyse.events.actors); a name it does not know is read by pymorphy3's analyses of its words,
or of the common noun it stands after, so that the speaker of a statement named after his verb
("Об этом сообщает ИА «Хабаровский край сегодня»", "заявил гендиректор «Дом.рф» Александр Плутник")
is found, and a name in a dependent case is not taken for one ("телеканалу C5N", "суд Новгородской
области").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from steppe.analyse.events.tokens import CLAUSE_PUNCT, QUOTES, Token

# What a Russian name the registry does not know may be, by the analyser's readings of its first word
# that it reads as a noun or adjective: nominative if any reading is; an indeclinable or Latin name
# ("Habertürk", "ИА") may be too. A quoted name after a common noun is in that noun's likeliest case
# ("организации «Дом.рф»": genitive).
_NOMINAL = frozenset({"NOUN", "ADJF", "NUMR", "NPRO"})
_CYRILLIC_WORD = re.compile(r"[а-яё]+")


@functools.lru_cache(maxsize=4096)
def may_inflect(name: str) -> bool:
    """Whether a Russian name (normalised) has a word the analyser reads as a declined noun or adjective."""
    from steppe.analyse.morph import russian_analyzer

    analyzer = russian_analyzer()
    return any(p.tag.POS in _NOMINAL and "Fixd" not in p.tag for word in _CYRILLIC_WORD.findall(name) for p in analyzer.parse(word))


@functools.lru_cache(maxsize=4096)
def _declined_readings(name: str) -> tuple:
    """The analyser's noun and adjective readings of the first word of a name that has any (none: an
    indeclinable or Latin name)."""
    from steppe.analyse.morph import russian_analyzer

    analyzer = russian_analyzer()
    for word in _CYRILLIC_WORD.findall(name):
        nominal = tuple(p for p in analyzer.parse(word) if p.tag.POS in _NOMINAL)
        if nominal:
            return nominal
    return ()


@functools.lru_cache(maxsize=4096)
def may_be_nominative(name: str, noun_before_quote: str | None = None) -> bool:
    """Whether a Russian name the registry does not know (normalised, lower case) may be in the nominative."""
    from steppe.analyse.morph import russian_analyzer

    if noun_before_quote:
        nouns = [p for p in russian_analyzer().parse(noun_before_quote) if p.tag.POS == "NOUN"]
        if nouns:
            return nouns[0].tag.case == "nomn"
    readings = _declined_readings(name)
    return not readings or any(p.tag.case == "nomn" for p in readings)


# Where a Russian speaker's name after his verb can no longer be: past what he cites ("со ссылкой на").
_CITED = frozenset({"ссылкой", "ссылаясь"})
# "Как сообщили в МЧС", "рассказали в пресс-службе ведомства": an impersonal plural statement names who
# speaks after "в".
_WHERE_SAID = frozenset({"в", "во"})
_CYRILLIC = re.compile("[а-яё]")


def postposed_speaker(after: Sequence[int], actors: Sequence[Any], tokens: Sequence[Token], trigger_first: int, reach: int,
                      inside: set[int]) -> int | None:
    """A Russian statement's speaker named after it when no actor stands before it: a name the registry
    does not know that may be nominative ("Об этом сообщает ИА «Хабаровский край сегодня»", "сообщает
    Habertürk", "заявил ... Александр Плутник"), or whoever follows "в" after a plural verb ("сообщили
    в МЧС"); the first within reach, with no comma before it and no other preposition right before it
    ("в Instagram"), at most `reach` words after the verb; else None. `inside`: the tokens of every actor
    (a name's own dots, "Дом.рф", "1ul.ru", are no punctuation)."""
    impersonal = tokens[trigger_first].word.endswith("ли")
    for n, i in enumerate(after):
        a = actors[i]
        if a.first - trigger_first > reach:  # past a long title: "заявил генеральный директор ..."
            break
        if any(tokens[k].word in (",", *_CITED) or tokens[k].word in CLAUSE_PUNCT for k in range(trigger_first + 1, a.first) if k not in inside):
            break
        if (impersonal and n == 0 and a.first - trigger_first <= 4 and _CYRILLIC.search(a.text.lower())
                and any(tokens[j].word in _WHERE_SAID for j in range(trigger_first + 1, a.first))):
            return i  # "сообщили в МЧС", "сообщили в пресс-службе ГУ МЧС"; not "сообщили в Instagram"
        if unlinked_nominative(a, tokens, inside, trigger_first):
            return i
    return None


def unlinked_nominative(a: Any, tokens: Sequence[Token], inside: set[int], floor: int) -> bool:
    """Whether `a` is a Russian name the registry does not know that may be in the nominative, by its
    words or, for a quoted or indeclinable name, by the common noun before it ("организации «Дом.рф»",
    "телеканалу C5N", "обновления May 2020 Update": not), with no preposition right before it ("в
    Instagram"). `floor`: the token before which no word is read (the verb, for a name after it)."""
    if a.entity_id is not None or not a.named or a.basis not in ("unlinked", "context"):
        return False
    k = a.first - 1
    while k > floor and tokens[k].word in QUOTES:
        k -= 1
    before_word = tokens[k].word if k > floor and k not in inside else None
    if before_word and is_preposition(before_word):
        return False
    name = a.text.lower()
    head = tokens[a.first].word
    if head not in QUOTES and not name.startswith(head):
        noun = head  # an agent noun joined to the name: "телеканалу C5N"
    elif head in QUOTES or (a.first > 0 and tokens[a.first - 1].word in QUOTES and a.first - 2 not in inside) or not may_inflect(name):
        # the nearest Russian word before it, past numbers and Latin words
        noun = next((tokens[j].word for j in range(a.first - 1, floor, -1) if j not in inside and _CYRILLIC.search(tokens[j].word)), None)
    else:
        noun = None
    return may_be_nominative(name, noun)


def may_be_instrumental(name: str) -> bool:
    """Whether a Russian name (normalised) may be in the instrumental, the case of a passive's agent
    ("задержан полицией", "арестован судом"), by the analyser's readings of its first declined word."""
    return any(p.tag.case == "ablt" for p in _declined_readings(name))


@functools.lru_cache(maxsize=4096)
def is_preposition(word: str) -> bool:
    """Whether the analyser's likeliest reading of a Russian word (normalised) is a preposition."""
    from steppe.analyse.morph import russian_analyzer

    parses = russian_analyzer().parse(word)
    return bool(parses) and parses[0].tag.POS == "PREP"
