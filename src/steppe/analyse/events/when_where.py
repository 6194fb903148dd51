"""When and where an event happened: the sentence's date expressions and places.

Dates in running text are resolved against the publication date ("no dia 27
de novembro", "el 5 de marzo del 2000", "вчера", "в понедельник", "em 2024"); the month names and the
calendar are steppe.dates'. What is coded as having happened is not dated
after publication (`resolve_date`). The place is the nearest one introduced
as such ("em Astana", "в Астане", "Астанада").
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import compress
from types import MappingProxyType
from typing import Any

from steppe.analyse.events.actors import Actor, place_marker_before
from steppe.analyse.events.lexicon import CANDIDATE_CACHE_SIZE, LanguagePatterns
from steppe.analyse.events.roles import after_auxiliary
from steppe.analyse.events.tokens import Token
from steppe.analyse.events.triggers import Match
from steppe.dates import MONTH_NAMES, calendar_date
from steppe.schema import field_values
from steppe.text import normalise_for_matching

DATE_PRECISIONS = field_values("events", "date_precision")
# A fact may be dated at most this many days after publication (time zones,
# a date line written the evening before): steppe.gate.cross's
# EVENT_DATE_SLACK_DAYS checks the same in the release.
FUTURE_SLACK_DAYS = 1


@dataclass(frozen=True)
class DateMention:
    first: int  # token indices
    last: int
    day: date
    precision: str
    past: date | None = None  # with no year written: the latest such date on or before publication


def _latest_on_or_before(month: int, day: int, published: date) -> date | None:
    """The latest date with this month and day on or before publication (a 29 February only in leap years)."""
    for year in range(published.year, published.year - 8, -1):
        candidate = calendar_date(year, month, day)
        if candidate is not None and candidate <= published:
            return candidate
    return None


_NUMERIC_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_NUMBER = re.compile(r"^(\d{1,4})(?:-?(?:st|nd|rd|th|º|ª|о|го|е|я|сі|ші|i|ı|inşi)?)?$")


@functools.cache
def _month_forms(language: str) -> tuple[Mapping[str, int], tuple[tuple[str, int], ...]]:
    """Exact month words of the language (and English, common in every press), and Kazakh stems."""
    exact: dict[str, int] = {}
    stems: list[tuple[str, int]] = []
    for lang in dict.fromkeys((language, "en")):
        for month, forms in MONTH_NAMES.get(lang, {}).items():
            full = normalise_for_matching(forms[0])
            for form in map(normalise_for_matching, forms):
                if form != full and full.startswith(form):
                    continue  # abbreviations ("mar", "jun") are common words in running text
                exact[form] = month
                if lang == "kk":
                    stems.append((form, month))  # Kazakh months take case endings: қарашада, қарашаның
    return MappingProxyType(exact), tuple(stems)


def _month(word: str, language: str) -> int | None:
    exact, stems = _month_forms(language)
    if word in exact:
        return exact[word]
    for stem, month in stems:
        if word.startswith(stem):
            return month
    return None


def _number(word: str) -> int | None:
    m = _NUMBER.match(word)
    return int(m.group(1)) if m else None


def _nearest_year(month: int, day: int, published: date) -> date | None:
    """The date with this month and day closest to publication (news reports the recent past and near future)."""
    best = None
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - published).days) < abs((best - published).days):
            best = candidate
    return best


def find_dates(
    text: str, tokens: Sequence[Token], language: str, published: date | None, patterns: LanguagePatterns
) -> list[DateMention]:
    """Date expressions of a sentence resolved to dates: absolute, relative to publication, weekdays."""
    found: list[DateMention] = []
    used: set[int] = set()
    words = [t.word for t in tokens]
    fillers = {"de", "del", "of", "the", "do", "da", "dia", "жылғы", "жылы", "года", "году", "г", "ж"}

    def skip(i: int) -> int:
        while i < len(words) and (words[i] in fillers or words[i] == ","):
            i += 1
        return i

    def year_at(i: int) -> int | None:
        if i < len(words):
            n = _number(words[i])
            if n is not None and 1900 <= n <= 2100 and len(re.match(r"\d+", words[i]).group()) == 4:
                return n
        return None

    dated = patterns.lookups.setdefault(("date", language), {})
    maybe = list(map(dated.get, words))
    if None in maybe:
        maybe = [_is_date_start(w, dated, language, patterns) if m is None else m for w, m in zip(words, maybe)]
    # Most words could start no date: none of the branches below would take them.
    for i in compress(range(len(words)), maybe):
        if i in used:
            continue
        word = words[i]
        numeric = _NUMERIC_DATE.match(word)
        if numeric:
            # Day first, as the Brazilian, Russian and Kazakh press write it: 27.11.2025.
            day_number, month_number, year_number = map(int, numeric.groups())
            if day := calendar_date(year_number, month_number, day_number):
                found.append(DateMention(i, i, day, "day"))
            continue
        n = _number(word)
        # Day then month: "27 de novembro", "27 ноября", "27 қарашада", "27 November 2025".
        if n is not None and 1 <= n <= 31:
            j = skip(i + 1)
            month = _month(words[j], language) if j < len(words) else None
            if month:
                k = skip(j + 1)
                year = year_at(k)
                # Kazakh and Russian may put the year first: "2025 жылғы 27 қарашада".
                year_before = year_at(i - 2) if i >= 2 and words[i - 1] in fillers else None
                year = year or year_before
                day = calendar_date(year, month, n) if year else (_nearest_year(month, n, published) if published else None)
                if day:
                    last = k if year and year_at(k) else j
                    # "no próximo dia 23 de janeiro" is the coming one, never last year's.
                    past = _latest_on_or_before(month, n, published) if published and not year and not _after_next_word(words, i, patterns) else None
                    found.append(DateMention(i if not year_before else i - 2, last, day, "day", past))
                    used.update(range(i, last + 1))
                continue
        month = _month(word, language)
        # English months are capitalised; lower-case "may" is the verb.
        if month and (language != "en" or text[tokens[i].start].isupper()):
            # Month then day (English, Kazakh genitive): "November 27, 2025", "қарашаның 27-сі".
            j = skip(i + 1)
            day_number = _number(words[j]) if j < len(words) else None
            if day_number is not None and 1 <= day_number <= 31 and year_at(j) is None:
                k = skip(j + 1)
                year = year_at(k)
                day = calendar_date(year, month, day_number) if year else (_nearest_year(month, day_number, published) if published else None)
                if day:
                    last = k if year else j
                    past = _latest_on_or_before(month, day_number, published) if published and not year else None
                    found.append(DateMention(i, last, day, "day", past))
                    used.update(range(i, last + 1))
                continue
            year = year_at(j)
            year_before = year_at(i - 2) if i >= 2 and words[i - 1] in fillers else (year_at(i - 1) if i >= 1 else None)
            if year or year_before:
                found.append(DateMention(i, j if year else i, date(year or year_before, month, 1), "month"))
                used.update(range(i, (j if year else i) + 1))
                continue
            if i > 0 and words[i - 1] in patterns.grammar["location_markers"] and published:
                # "em novembro", "в ноябре": the nearest such month.
                day = _nearest_year(month, 1, published.replace(day=1))
                if day:
                    found.append(DateMention(i, i, day, "month", _latest_on_or_before(month, 1, published)))
                continue
        year = year_at(i)
        if year and (
            (i > 0 and words[i - 1] in patterns.grammar["location_markers"])
            or (i + 1 < len(words) and words[i + 1] in patterns.year_words)
        ):
            found.append(DateMention(i, i, date(year, 1, 1), "year"))
            continue
        if published is None:
            continue
        if word in patterns.relative_days:
            if i > 0 and words[i - 1] in patterns.grammar["articles"]:
                continue  # a noun, not a day: "esta mañana" (this morning), "por la mañana"
            found.append(DateMention(i, i, published + timedelta(days=patterns.relative_days[word]), "day"))
            continue
        ahead = _after_next_word(words, i, patterns)
        if ahead and n is not None and 1 <= n <= 31 and words[i - 1] in ("dia", "día"):
            # "no próximo dia 15", "el próximo día 3": the next such day of the month.
            day = _next_day_of_month(n, published)
            if day:
                found.append(DateMention(i - 2, i, day, "day"))
            continue
        for step, weekday in patterns.weekdays:
            if step.matches(word) is not None:
                # The most recent such day on or before publication: news reports what happened;
                # after "próximo", "next", "следующий" the first one after it.
                if ahead:
                    found.append(DateMention(i, i, published + timedelta(days=(weekday - published.weekday()) % 7 or 7), "day"))
                else:
                    found.append(DateMention(i, i, published - timedelta(days=(published.weekday() - weekday) % 7), "day"))
                break
    return found


def _after_next_word(words: Sequence[str], i: int, patterns: LanguagePatterns) -> bool:
    """Whether word i follows a word meaning "next", directly or past "dia"/"día" ("na próxima
    segunda", "next Monday", "в следующий вторник", "no próximo dia 15")."""
    if i > 0 and words[i - 1] in patterns.next_words:
        return True
    return i > 1 and words[i - 1] in ("dia", "día") and words[i - 2] in patterns.next_words


def _next_day_of_month(day_number: int, published: date) -> date | None:
    """The first date after publication falling on that day of a month."""
    year, month = published.year, published.month
    for _ in range(3):
        if day_number > published.day or (year, month) != (published.year, published.month):
            if day := calendar_date(year, month, day_number):
                return day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _is_date_start(word: str, dated: dict[str, bool], language: str, patterns: LanguagePatterns) -> bool:
    """`_could_be_date`, kept in `dated` (up to `CANDIDATE_CACHE_SIZE` words)."""
    maybe = _could_be_date(word, language, patterns)
    if len(dated) < CANDIDATE_CACHE_SIZE:
        dated[word] = maybe
    return maybe


def _could_be_date(word: str, language: str, patterns: LanguagePatterns) -> bool:
    """Whether a word can start a date expression in `find_dates`: a number, a month, a relative day or a weekday."""
    return bool(
        _NUMERIC_DATE.match(word)
        or _NUMBER.match(word)
        or _month(word, language)
        or word in patterns.relative_days
        or any(step.matches(word) is not None for step, _ in patterns.weekdays)
    )


def nearest(items: Sequence[Any], first: int, last: int) -> Any:
    def distance(item: Any) -> int:
        return item.first - last if item.first > last else first - item.last

    return min(items, key=distance, default=None)


def object_missing(match: Match, tokens: Sequence[Token], patterns: LanguagePatterns, found: Sequence[Actor | None]) -> bool:
    """Whether an event that is one only with its object lacks it: no place or actor of `found` (the sentence's)
    right after the trigger, after an adverb, an article or (but for a journey, whose preposition is in its pattern) a
    preposition, and an office with its "de" ("o presidente da Argentina", "combate ao Estado Islâmico").

    - An arrival or a journey (a visit pattern that ends in its preposition: "chegou a", "viajou para", "llegó a",
      "arrived in", "прибыл в") names its destination there; without one it is no visit: "chegou a ser preso"
      (went as far as), "chegou ao fim", "chegou a R$ 5 milhões", "llegó a un acuerdo".
    - A trigger with `roles: object` ("recebeu o presidente", "received Tokayev") names its guest there; "recebeu
      alta", "recebeu ameaças", "ter recebido reclamações", "received a letter" are no host. After a passive
      auxiliary its guest is its subject ("foi recebido por Putin", "o acordo foi assinado pela Rússia"), while a
      participle with no auxiliary still needs one ("o documento, assinado pela promotora")."""
    g = patterns.grammar
    last = match.trigger.steps[-1]
    journey = match.trigger.code == "042" and bool(last.exact) and not last.starts and set(last.exact) <= g["target_markers"] | g["location_markers"]
    if not journey and (match.trigger.roles != "object" or after_auxiliary(match, tokens, patterns)):
        return False
    first = at = match.last + 1
    if at < len(tokens) and tokens[at].word.endswith(patterns.endings["adverb"]):
        at += 1  # "recebe calorosamente o presidente"
    if at < len(tokens) and (tokens[at].word in g["articles"] or (not journey and tokens[at].word in g["target_markers"])):
        at += 1
    if at < len(tokens) and tokens[at].word in g["office_words"]:  # "o presidente argentino", "o presidente da Argentina"
        at += 2 if at + 1 < len(tokens) and tokens[at + 1].word in g["genitive_markers"] else 1
    return not any(x is not None and first <= x.first <= at for x in found)


def event_location(
    places: Sequence[Actor], tokens: Sequence[Token], patterns: LanguagePatterns, first: int, last: int, used: set[str], visit: bool
) -> Actor | None:
    """The nearest place introduced as one: "em Astana", "in Astana", "в Астане", "Астанада"."""
    candidates = [
        p
        for p in places
        if (p.entity_type != "country" or p.entity_id not in used)
        and (visit and 0 < p.first - last <= 2  # "visited Astana", "посетит Москву"
        # Kazakh marks the place by case: "Астанада" (in Astana), "Астанаға келді" (came to Astana).
        or place_marker_before(p.first, tokens, patterns) or p.case in ("loc", "dat"))
    ]
    return nearest(candidates, first, last)


# An event whose own date ends this many days or more before publication is
# background: history the article recalls ("em 2014", "в марте 2019 года"),
# not news it reports.
BACKGROUND_DAYS = 30


def is_background(event_date: date | None, precision: str | None, published: date | None) -> bool:
    """Whether an event dated `event_date` (at `precision`) lies wholly BACKGROUND_DAYS or more before publication.

    The whole period counts: "em 2017" in an article of June 2017 may be
    this week, "em 2016" may not. An event dated at publication, or with no
    publication date to compare, is not background.
    """
    if event_date is None or published is None or precision not in ("day", "month", "year"):
        return False
    if precision == "year":
        end = date(event_date.year, 12, 31)
    elif precision == "month":
        end = date(event_date.year, event_date.month, calendar.monthrange(event_date.year, event_date.month)[1])
    else:
        end = event_date
    return (published - end).days >= BACKGROUND_DAYS


def resolve_date(when: DateMention | None, published: date | None, statement: bool, negated: bool) -> tuple[date | None, str | None, bool]:
    """(date, precision, negated) of an event: its nearest date expression `when`, else the publication date.

    What was coded as having happened cannot be dated after publication
    (past FUTURE_SLACK_DAYS): a `statement` (what someone said, or said
    about an action: an intent, a refusal, an appeal...) was made by
    publication and is dated then; a date
    written without its year is the past one; any other fact dated in the
    future is a plan and becomes `negated`. No event is dated after
    publication: a later date is a deadline or a plan's date ("до 2030 года",
    "until February 5"), not when anything reported happened, and the event
    is dated at publication.
    """
    if when is not None:
        event_date, precision = when.day, when.precision
    elif published is not None:
        event_date, precision = published, "publication"
    else:
        event_date, precision = None, None
    if published is not None and event_date is not None and not negated and event_date > published + timedelta(days=FUTURE_SLACK_DAYS):
        # What was coded as having happened cannot be dated after publication.
        if statement:
            # A statement about a future action ("will visit in December",
            # "agreed to meet on 5 December") was made by publication.
            event_date, precision = published, "publication"
        elif when is not None and when.past is not None:
            # A date written without its year, read as the recent past: news reports what happened.
            event_date = when.past
        else:
            # A fact dated in the future is a plan ("será julgado no dia 24"): recorded, not a fact.
            negated = True
    if published is not None and event_date is not None and event_date > published:
        event_date, precision = published, "publication"
    return event_date, precision, negated
