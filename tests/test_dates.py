"""Tests for steppe.dates.parse_date and calendar_date."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steppe.dates import _MONTH_INDEX, MONTH_NAMES, calendar_date, parse_date

UTC = timezone.utc


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # ISO 8601: date only, Z, offsets, naive (= UTC), fractions, basic format
        ("2025-11-27", utc(2025, 11, 27)),
        ("2025-11-27T14:05:00Z", utc(2025, 11, 27, 14, 5)),
        ("2025-11-27T14:05:00+03:00", utc(2025, 11, 27, 11, 5)),
        ("2025-11-27T01:30:00-03:00", utc(2025, 11, 27, 4, 30)),
        ("2025-11-27T14:05:00", utc(2025, 11, 27, 14, 5)),
        ("2025-11-27 14:05:30.250", utc(2025, 11, 27, 14, 5, 30, 250000)),
        ("20251127", utc(2025, 11, 27)),
        ("2025-11-27 14:05 UTC", utc(2025, 11, 27, 14, 5)),
        # day-first numeric dates
        ("13/12/2017", utc(2017, 12, 13)),
        ("13.12.2017", utc(2017, 12, 13)),
        ("13-12-2017", utc(2017, 12, 13)),
        ("1/2/2018", utc(2018, 2, 1)),
        ("28/2/18", utc(2018, 2, 28)),
        ("1/1/99", utc(1999, 1, 1)),
        ("2017/12/13", utc(2017, 12, 13)),
        # Portuguese
        ("16 de novembro de 2017", utc(2017, 11, 16)),
        ("16 nov. 2017", utc(2017, 11, 16)),
        ("16 de nov. de 2017", utc(2017, 11, 16)),
        ("1º de março de 2018", utc(2018, 3, 1)),
        ("1o de marco de 2018", utc(2018, 3, 1)),
        ("quinta-feira, 16 de novembro de 2017", utc(2017, 11, 16)),
        # Russian
        ("27 ноября 2025 г.", utc(2025, 11, 27)),
        ("27 ноября 2025 года", utc(2025, 11, 27)),
        ("27.11.2025 г.", utc(2025, 11, 27)),
        ("1 мая 2024", utc(2024, 5, 1)),
        ("четверг, 27 ноября 2025", utc(2025, 11, 27)),
        # English
        ("November 27, 2025", utc(2025, 11, 27)),
        ("27 November 2025", utc(2025, 11, 27)),
        ("Nov 27, 2025", utc(2025, 11, 27)),
        ("Nov. 27th, 2025", utc(2025, 11, 27)),
        ("Thursday, 27 November 2025", utc(2025, 11, 27)),
        # Kazakh, with case endings, and in the Latin alphabet
        ("2025 жылғы 27 қараша", utc(2025, 11, 27)),
        ("27 қараша 2025 ж.", utc(2025, 11, 27)),
        ("2025 жылғы 27 қарашада", utc(2025, 11, 27)),
        ("2025 жылғы 27 қарашадағы", utc(2025, 11, 27)),
        ("2024 жылғы 5 қаңтарда", utc(2024, 1, 5)),
        ("2024 жылғы 12 сәуірде", utc(2024, 4, 12)),
        ("2024 жылғы 3 шілдеде", utc(2024, 7, 3)),
        ("2024 жылғы 9 қыркүйекте", utc(2024, 9, 9)),
        ("27 qaraşa 2025 j.", utc(2025, 11, 27)),
        # Spanish
        ("27 de noviembre de 2025", utc(2025, 11, 27)),
        ("3 de septiembre de 2024", utc(2024, 9, 3)),
        # times
        ("13/12/2017 14:05", utc(2017, 12, 13, 14, 5)),
        ("22/08/2017 18h18", utc(2017, 8, 22, 18, 18)),
        ("16 de novembro de 2017, 14h05", utc(2017, 11, 16, 14, 5)),
        ("16 de novembro de 2017 às 9h", utc(2017, 11, 16, 9, 0)),
        ("27 ноября 2025 г., 14:05", utc(2025, 11, 27, 14, 5)),
        ("November 27, 2025 2:05 PM", utc(2025, 11, 27, 14, 5)),
        ("November 27, 2025 12:30 a.m.", utc(2025, 11, 27, 0, 30)),
        ("27/11/2025 14:05 -03:00", utc(2025, 11, 27, 17, 5)),
        ("27/11/2025 02:00 +05:00", utc(2025, 11, 26, 21, 0)),
        # case and diacritics do not matter
        ("16 DE NOVEMBRO DE 2017", utc(2017, 11, 16)),
        ("1 DE MARÇO DE 2018", utc(2018, 3, 1)),
        ("27 НОЯБРЯ 2025 Г.", utc(2025, 11, 27)),
        ("  16 de novembro de 2017  ", utc(2017, 11, 16)),
    ],
)
def test_parses_string_forms(value: str, expected: datetime) -> None:
    result = parse_date(value)
    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    "value",
    [
        "31/02/2025",
        "29/02/2023",
        "2025-02-31",
        "31 de abril de 2025",
        "32 ноября 2025 г.",
        "0/11/2025",
        "27/13/2025",
        "13/12/2017 25:00",
        "13/12/2017 14:60",
    ],
)
def test_impossible_dates_raise(value: str) -> None:
    with pytest.raises(ValueError, match="impossible"):
        parse_date(value)


def test_impossible_date_message_is_clear() -> None:
    with pytest.raises(ValueError) as raised:
        parse_date("31/02/2025")
    assert "'31/02/2025'" in str(raised.value)
    assert "day 31" in str(raised.value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "yesterday",
        "novembro de 2017",  # no day
        "16 de novembro",  # no year
        "16 de novembro de 2017 foo",  # trailing garbage
        "16 de brumário de 2017",  # unknown month
        "16 novembro dezembro 2017",  # two months
        "13/12/2017 14:05 15:06",  # two times
        "2017",
        "11/27/2025",  # month first is not accepted
        "13/12/017",
    ],
)
def test_unparseable_strings_raise(value: str) -> None:
    with pytest.raises(ValueError, match="cannot parse date"):
        parse_date(value)


def test_month_first_error_explains_day_first_rule() -> None:
    with pytest.raises(ValueError, match="day first"):
        parse_date("11/27/2025")


def test_date_and_datetime_objects() -> None:
    assert parse_date(date(2025, 11, 28)) == utc(2025, 11, 28)
    assert parse_date(datetime(2025, 11, 28, 10, 0)) == utc(2025, 11, 28, 10, 0)
    almaty = timezone(timedelta(hours=5))
    converted = parse_date(datetime(2025, 11, 28, 10, 0, tzinfo=almaty))
    assert converted == utc(2025, 11, 28, 5, 0)
    assert converted.tzinfo is UTC


def test_unix_timestamps() -> None:
    assert parse_date(1764288000) == utc(2025, 11, 28)
    assert parse_date(1764288000.5) == utc(2025, 11, 28, 0, 0, 0, 500000)
    assert parse_date("1764288000") == utc(2025, 11, 28)
    assert parse_date(0) == utc(1970, 1, 1)


@pytest.mark.parametrize("value", [True, float("nan"), float("inf"), 10**20, [2025, 11, 27], None])
def test_non_dates_raise(value: object) -> None:
    with pytest.raises(ValueError):
        parse_date(value)  # type: ignore[arg-type]


def test_month_tables_have_no_conflicting_forms() -> None:
    # The language hint only orders the search; that is safe only while no
    # folded form names two different months across languages.
    owner: dict[str, int] = {}
    for forms in _MONTH_INDEX.values():
        for form, month in forms.items():
            assert owner.setdefault(form, month) == month, form


def test_every_language_has_twelve_months() -> None:
    for language, months in MONTH_NAMES.items():
        assert sorted(months) == list(range(1, 13)), language


@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    language=st.sampled_from(sorted(MONTH_NAMES)),
)
def test_every_full_month_name_round_trips(day: date, language: str) -> None:
    name = MONTH_NAMES[language][day.month][0]
    written = {
        "pt": f"{day.day} de {name} de {day.year}",
        "es": f"{day.day} de {name} de {day.year}",
        "en": f"{name.title()} {day.day}, {day.year}",
        "ru": f"{day.day} {name} {day.year} г.",
        "kk": f"{day.year} жылғы {day.day} {name}",
    }[language]
    assert parse_date(written, language) == utc(day.year, day.month, day.day)


@given(day=st.dates(min_value=date(1970, 1, 1), max_value=date(2100, 12, 31)))
def test_numeric_day_first_round_trips(day: date) -> None:
    for separator in "/.-":
        written = f"{day.day:02d}{separator}{day.month:02d}{separator}{day.year}"
        assert parse_date(written) == utc(day.year, day.month, day.day)


@given(value=st.text(max_size=40) | st.from_regex(r"\d{1,4}[./-]\d{1,4}[./-]\d{1,4}( \d{1,3}[:h]\d{0,3})?", fullmatch=True))
def test_any_string_either_parses_to_utc_or_raises_value_error(value: str) -> None:
    # Ingest only catches ValueError, so nothing else may escape.
    try:
        result = parse_date(value)
    except ValueError:
        return
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    "value",
    ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+01:00", "31/12/9999 23:00 -03:00",
     datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))],
)
def test_values_out_of_range_in_utc_raise_value_error(value: object) -> None:
    with pytest.raises(ValueError, match="out of range"):
        parse_date(value)  # type: ignore[arg-type]


def test_calendar_date_is_none_where_the_calendar_has_no_such_day() -> None:
    assert calendar_date(2024, 2, 29) == date(2024, 2, 29)
    assert calendar_date(2025, 2, 29) is None  # not a leap year
    assert calendar_date(2025, 11, 31) is None
    assert calendar_date(2025, 13, 1) is None and calendar_date(2025, 0, 1) is None
    assert calendar_date(2025, 11, 0) is None and calendar_date(0, 11, 27) is None


@given(st.dates())
def test_calendar_date_agrees_with_parse_date(day: date) -> None:
    assert calendar_date(day.year, day.month, day.day) == day == parse_date(day.isoformat()).date()

