"""Parse the publication dates news metadata actually carries into UTC datetimes.

Metadata dates come as the source wrote them: ISO 8601 from feeds and APIs,
day-first numeric dates from the Brazilian, Russian and Kazakh press
(``13/12/2017``, ``27.11.2025 г.``), and dates with month names in
Portuguese, Spanish, English, Russian and Kazakh (``16 de novembro de 2017``,
``27 ноября 2025 года``, ``2025 жылғы 27 қарашада``), sometimes with a time
(``14:05``, ``14h05``).  ``dateparser`` covers all of that but is slow and
heavy for a field parsed once per document, so this module does it with
small tables and a handful of regular expressions.

Design choices worth knowing:

* Every result is timezone-aware UTC.  Naive inputs (no offset) are taken as
  UTC, and a date without a time means midnight UTC.
* Numeric dates are always day first.  ``11/27/2025`` is rejected rather
  than silently read month first: a source that writes month-first dates
  would otherwise be parsed differently from day to day (``03/04`` vs
  ``03/27``).
* Two-digit years follow the POSIX ``strptime`` pivot: 69-99 are 19xx,
  00-68 are 20xx.
* Impossible dates (``31/02/2025``) raise ``ValueError``; nothing is rolled
  over or clamped.
* Month and weekday names are data (the tables below), matched after case
  folding and removing diacritics, so ``Março``, ``marco`` and ``MARÇO``
  are the same word.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from datetime import date, datetime, timedelta, timezone

from steppe.text import fold

__all__ = ["parse_date", "calendar_date", "MONTH_NAMES"]

# ---------------------------------------------------------------------------
# Tables.  Keys are languages (ISO 639-1); each value maps a month number to
# the written forms of that month: full names in the grammatical cases that
# appear in dates, then abbreviations.  Forms are folded before use
# (steppe.text.fold: case, accents and º/ª dropped, the Latin dotless ı read
# as i, since Unicode does not decompose it), so accents and case here are
# only for readability; Kazakh letters such as қ, ә, ү stay.
# ---------------------------------------------------------------------------

MONTH_NAMES: dict[str, dict[int, tuple[str, ...]]] = {
    "pt": {
        1: ("janeiro", "jan"),
        2: ("fevereiro", "fev"),
        3: ("março", "mar"),
        4: ("abril", "abr"),
        5: ("maio", "mai"),
        6: ("junho", "jun"),
        7: ("julho", "jul"),
        8: ("agosto", "ago"),
        9: ("setembro", "set"),
        10: ("outubro", "out"),
        11: ("novembro", "nov"),
        12: ("dezembro", "dez"),
    },
    "es": {
        1: ("enero", "ene"),
        2: ("febrero", "feb"),
        3: ("marzo", "mar"),
        4: ("abril", "abr"),
        5: ("mayo", "may"),
        6: ("junio", "jun"),
        7: ("julio", "jul"),
        8: ("agosto", "ago"),
        9: ("septiembre", "setiembre", "sep", "sept", "set"),
        10: ("octubre", "oct"),
        11: ("noviembre", "nov"),
        12: ("diciembre", "dic"),
    },
    "en": {
        1: ("january", "jan"),
        2: ("february", "feb"),
        3: ("march", "mar"),
        4: ("april", "apr"),
        5: ("may",),
        6: ("june", "jun"),
        7: ("july", "jul"),
        8: ("august", "aug"),
        9: ("september", "sep", "sept"),
        10: ("october", "oct"),
        11: ("november", "nov"),
        12: ("december", "dec"),
    },
    # Nominative, genitive (the case used in dates) and prepositional.
    "ru": {
        1: ("январь", "января", "январе", "янв"),
        2: ("февраль", "февраля", "феврале", "фев", "февр"),
        3: ("март", "марта", "марте", "мар"),
        4: ("апрель", "апреля", "апреле", "апр"),
        5: ("май", "мая", "мае"),
        6: ("июнь", "июня", "июне", "июн"),
        7: ("июль", "июля", "июле", "июл"),
        8: ("август", "августа", "августе", "авг"),
        9: ("сентябрь", "сентября", "сентябре", "сен", "сент"),
        10: ("октябрь", "октября", "октябре", "окт"),
        11: ("ноябрь", "ноября", "ноябре", "ноя", "нояб"),
        12: ("декабрь", "декабря", "декабре", "дек"),
    },
    # Kazakh, Cyrillic and the 2021 Latin alphabet.  Case endings are added
    # by _KAZAKH_ENDINGS below rather than listed per month.
    "kk": {
        1: ("қаңтар", "qañtar"),
        2: ("ақпан", "aqpan"),
        3: ("наурыз", "nauryz"),
        4: ("сәуір", "säuır"),
        5: ("мамыр", "mamyr"),
        6: ("маусым", "mausym"),
        7: ("шілде", "şılde"),
        8: ("тамыз", "tamyz"),
        9: ("қыркүйек", "qyrküiek"),
        10: ("қазан", "qazan"),
        11: ("қараша", "qaraşa"),
        12: ("желтоқсан", "jeltoqsan"),
    },
}

# Kazakh month names take locative (-да/-де/-та/-те), locative-attributive
# (-дағы/-дегі...), genitive (-ның/-нің...) and possessive (-ы/-і/-сы/-сі)
# endings in dates: "27 қарашада", "2025 жылғы 27 қарашадағы".  Both vowel
# harmony variants are allowed for every month; being lenient costs nothing
# because no ending turns one month into another.
_KAZAKH_ENDINGS: tuple[str, ...] = (
    "да", "де", "та", "те", "дағы", "дегі", "тағы", "тегі",
    "ның", "нің", "дың", "дің", "тың", "тің", "ы", "і", "сы", "сі",
    "da", "de", "ta", "te", "dağy", "degı", "tağy", "tegı",
    "nyñ", "nıñ", "dyñ", "dıñ", "tyñ", "tıñ", "y", "ı", "sy", "sı",
)

# Words that may surround a date without changing it: weekday names,
# prepositions and articles, ordinal suffixes (1º, 1st), and the Russian and
# Kazakh "year" markers (г., года, ж., жылғы).
FILLER_WORDS: dict[str, tuple[str, ...]] = {
    "pt": (
        "de", "do", "em", "o", "a", "as", "às", "e",
        "domingo", "segunda", "terça", "quarta", "quinta", "sexta", "sábado", "feira",
        "seg", "ter", "qua", "qui", "sex", "sab", "dom",
    ),
    "es": (
        "de", "del", "el", "a", "las", "la",
        "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo",
    ),
    "en": (
        "of", "the", "at", "on", "st", "nd", "rd", "th",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    ),
    "ru": (
        "г", "год", "года", "гг", "в", "го", "е",
        "понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье",
        "пн", "вт", "ср", "чт", "пт", "сб", "вс",
    ),
    "kk": (
        "ж", "жыл", "жылы", "жылғы", "күні", "сағат",
        "j", "jyl", "jyly", "jylğy", "künı", "sağat",
        "дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі", "жексенбі",
    ),
}

_UTC = timezone.utc

_EXPECTED_FORMS = (
    "expected ISO 8601 (2025-11-27, 2025-11-27T14:05:00Z), a day-first date "
    "(27/11/2025, 27.11.2025) or a day, month name and year "
    "(27 de novembro de 2025, November 27, 2025, 27 ноября 2025 г., "
    "2025 жылғы 27 қараша), optionally followed by a time (14:05, 14h05)"
)


def _build_month_index() -> dict[str, dict[str, int]]:
    index: dict[str, dict[str, int]] = {}
    for language, months in MONTH_NAMES.items():
        forms: dict[str, int] = {}
        for month, names in months.items():
            for name in names:
                forms[fold(name, dotless_i=True)] = month
                if language == "kk":
                    for ending in _KAZAKH_ENDINGS:
                        forms[fold(name + ending, dotless_i=True)] = month
        index[language] = forms
    return index


_MONTH_INDEX = _build_month_index()
_FILLERS = frozenset(fold(word, dotless_i=True) for words in FILLER_WORDS.values() for word in words)

# A time of day, searched in the folded string: 14:05, 14:05:30.25, 14h05,
# 14h, 2:05 pm, optionally followed by a zone (Z, UTC, GMT, +03:00, -0300).
# The hour may not follow a digit or a date separator, so the numbers of
# 13.12.2017 are never read as a time.
_TIME_RE = re.compile(
    r"""
    (?<![\d.:/-])
    (?P<hour>\d{1,2})
    (?:
        :(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,6})\d*)?)?
      | h(?P<hminute>\d{2})?(?:min)?
    )
    (?![\d\w])
    (?:\s*(?P<meridiem>[ap])\.?\s?m\b\.?)?
    (?:\s*(?P<zone>z|utc|gmt)\b)?
    (?:\s*(?P<sign>[+-])(?P<off_h>\d{1,2})(?::?(?P<off_m>\d{2}))?(?!\d))?
    """,
    re.VERBOSE,
)

# Numeric dates after the time is removed: day-first 13/12/2017, 13.12.17,
# 13-12-2017, or year-first 2017/12/13.  The same separator must be used twice.
_NUMERIC_DATE_RE = re.compile(r"(?<!\d)(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})(?!\d)")
_WORD_OR_NUMBER_RE = re.compile(r"\d+|[^\W\d_]+")
# What may separate the tokens of a date: spaces and punctuation only.
_SEPARATORS_RE = re.compile(r"[\s,.\-/()'’]*")
_ISO_START_RE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{8}(?:T|$)")
_TIMESTAMP_RE = re.compile(r"-?\d{9,}(?:\.\d+)?")


def parse_date(
    value: str | int | float | date | datetime, language: str | None = None
) -> datetime:
    """Return ``value`` as a timezone-aware UTC datetime.

    ``value`` may be a string in any of the forms described in the module
    docstring, a ``date`` (midnight UTC), a ``datetime`` (naive means UTC),
    or a Unix timestamp in seconds (int or float, or a string of at least
    nine digits).  ``language`` (ISO 639-1) is a hint: that language's month
    names are tried first.  Raises ``ValueError`` naming the value and what
    was expected when the value cannot be parsed or is an impossible date.
    """
    try:
        return _parse(value, language)
    except OverflowError:
        # An offset can push the first or last representable day out of range.
        raise ValueError(f"impossible date {value!r}: out of range once converted to UTC") from None


def _parse(value: object, language: str | None) -> datetime:
    if isinstance(value, bool):  # bool is an int subclass; True is no date
        raise ValueError(f"cannot parse date {value!r}: a boolean is not a date")
    if isinstance(value, datetime):
        return _as_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=_UTC)
    if isinstance(value, (int, float)):
        return _from_timestamp(value, value)
    if isinstance(value, str):
        return _parse_string(value, language)
    raise ValueError(
        f"cannot parse date {value!r}: expected a string, date, datetime or "
        f"Unix timestamp, got {type(value).__name__}"
    )


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=_UTC)
    return moment.astimezone(_UTC)


def _from_timestamp(seconds: int | float, original: object) -> datetime:
    if isinstance(seconds, float) and not math.isfinite(seconds):
        raise ValueError(f"cannot parse date {original!r}: not a finite Unix timestamp")
    try:
        return datetime.fromtimestamp(seconds, tz=_UTC)
    except (OverflowError, OSError, ValueError) as error:
        raise ValueError(
            f"cannot parse date {original!r}: Unix timestamp out of range ({error}); "
            "expected seconds since 1970-01-01 (milliseconds must be divided by 1000)"
        ) from None


def _parse_string(value: str, language: str | None) -> datetime:
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        raise ValueError("cannot parse date '': the value is empty")

    if _ISO_START_RE.match(text):
        try:
            return _as_utc(datetime.fromisoformat(text))
        except ValueError:
            pass  # e.g. "2025-11-27 14:05 UTC" or an impossible date: the general path explains
    if _TIMESTAMP_RE.fullmatch(text):
        return _from_timestamp(float(text) if "." in text else int(text), value)

    folded = fold(text, dotless_i=True)
    rest, clock = _extract_time(folded, value)
    numeric = _NUMERIC_DATE_RE.search(rest)
    if numeric:
        year, month, day = _numeric_date(numeric, value)
        rest = rest[: numeric.start()] + " " + rest[numeric.end() :]
        _check_only_fillers(rest, value)
    else:
        year, month, day = _named_month_date(rest, value, language)

    moment = _build(year, month, day, value)
    if clock is not None:
        moment = _apply_time(moment, clock, value)
    return moment


def _extract_time(folded: str, original: str) -> tuple[str, re.Match[str] | None]:
    """Split a time of day off the string; at most one is allowed."""
    matches = list(_TIME_RE.finditer(folded))
    if not matches:
        return folded, None
    if len(matches) > 1:
        raise ValueError(f"cannot parse date {original!r}: it holds more than one time of day")
    match = matches[0]
    return folded[: match.start()] + " " + folded[match.end() :], match


def _numeric_date(match: re.Match[str], original: str) -> tuple[int, int, int]:
    first, _, middle, last = match.groups()
    if len(first) == 4:  # 2017/12/13: year first, then month, then day
        if len(last) > 2:
            raise ValueError(f"cannot parse date {original!r}: {_EXPECTED_FORMS}")
        return int(first), int(middle), int(last)
    if len(first) > 2 or len(last) not in (2, 4):
        raise ValueError(f"cannot parse date {original!r}: {_EXPECTED_FORMS}")
    year = int(last)
    if len(last) == 2:
        year += 1900 if year >= 69 else 2000
    day, month = int(first), int(middle)
    if month > 12 and day <= 12:
        raise ValueError(
            f"cannot parse date {original!r}: month {month} does not exist; numeric "
            "dates are read day first (27/11/2025), and month-first dates are not accepted"
        )
    return year, month, day


def _named_month_date(rest: str, original: str, language: str | None) -> tuple[int, int, int]:
    tokens = _WORD_OR_NUMBER_RE.findall(rest)
    if _SEPARATORS_RE.fullmatch(_WORD_OR_NUMBER_RE.sub("", rest)) is None:
        raise ValueError(f"cannot parse date {original!r}: unexpected characters; {_EXPECTED_FORMS}")

    months: list[int] = []
    days: list[int] = []
    years: list[int] = []
    for token in tokens:
        if token.isdigit():
            if len(token) <= 2:
                days.append(int(token))
            elif len(token) == 4:
                years.append(int(token))
            else:
                raise ValueError(f"cannot parse date {original!r}: {token!r} is neither a day nor a year")
        elif (month := _lookup_month(token, language)) is not None:
            months.append(month)
        elif token not in _FILLERS:
            raise ValueError(
                f"cannot parse date {original!r}: unrecognised word {token!r}; {_EXPECTED_FORMS}"
            )

    if len(months) != 1 or len(days) != 1 or len(years) != 1:
        raise ValueError(
            f"cannot parse date {original!r}: expected exactly one day, one month and one "
            f"four-digit year; {_EXPECTED_FORMS}"
        )
    return years[0], months[0], days[0]


def _lookup_month(token: str, language: str | None) -> int | None:
    # The language hint decides the search order.  The tables are checked
    # for conflicts in the tests (no form names two different months), so
    # the order only matters if a future table adds an ambiguous form.
    order = [language] if language in _MONTH_INDEX else []
    order += [lang for lang in _MONTH_INDEX if lang != language]
    for lang in order:
        month = _MONTH_INDEX[lang].get(token)
        if month is not None:
            return month
    return None


def _check_only_fillers(rest: str, original: str) -> None:
    leftover = _WORD_OR_NUMBER_RE.sub("", rest)
    words = _WORD_OR_NUMBER_RE.findall(rest)
    if _SEPARATORS_RE.fullmatch(leftover) is None or any(w not in _FILLERS for w in words):
        raise ValueError(f"cannot parse date {original!r}: unexpected text around the date; {_EXPECTED_FORMS}")


def calendar_date(year: int, month: int, day: int) -> date | None:
    """The date, or None where the calendar has no such day (31 February, month 13, year 0).

    For numbers read out of running text, which often only look like a
    date; metadata dates are checked by ``parse_date``, which says why.
    """
    if not (1 <= year <= 9999 and 1 <= month <= 12) or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def _build(year: int, month: int, day: int, original: str) -> datetime:
    if not 1 <= month <= 12:
        raise ValueError(f"impossible date {original!r}: there is no month {month}")
    if not 1 <= year <= 9999:
        raise ValueError(f"impossible date {original!r}: year {year} is out of range")
    last_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        raise ValueError(
            f"impossible date {original!r}: day {day} does not exist in "
            f"{year:04d}-{month:02d}, which has {last_day} days"
        )
    return datetime(year, month, day, tzinfo=_UTC)


def _apply_time(day_start: datetime, clock: re.Match[str], original: str) -> datetime:
    hour = int(clock["hour"])
    minute = int(clock["minute"] or clock["hminute"] or 0)
    second = int(clock["second"] or 0)
    microsecond = int((clock["fraction"] or "0").ljust(6, "0"))
    if clock["meridiem"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"impossible time in {original!r}: hour {hour} with am/pm")
        hour = hour % 12 + (12 if clock["meridiem"] == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"impossible time in {original!r}: {hour:02d}:{minute:02d}:{second:02d}")

    offset = timedelta()
    if clock["sign"]:
        off_h, off_m = int(clock["off_h"]), int(clock["off_m"] or 0)
        if off_h > 14 or off_m > 59:
            raise ValueError(f"impossible UTC offset in {original!r}")
        offset = timedelta(hours=off_h, minutes=off_m)
        if clock["sign"] == "-":
            offset = -offset
    local = day_start.replace(hour=hour, minute=minute, second=second, microsecond=microsecond)
    # The wall-clock time is at UTC+offset, so UTC is that time minus the offset.
    return local - offset
