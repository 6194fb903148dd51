"""Transliteration schemes, Latin and Cyrillic forms of names, and the folding key."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steppe.analyse.names import translit_data
from steppe.analyse.names.translit import (
    SCHEMES,
    cyrillic_forms,
    latin_forms,
    script_of,
    transliterate,
)
from steppe.text import fold

RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
KAZAKH = "әғқңөұүһі"


# --- transliterate ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "language", "cyrillic", "latin"),
    [
        # BGN/PCGN: ye after vowels, primes for the signs, ë for ё (iuliia writes Cyrillic ё).
        ("bgn_pcgn", "ru", "Токаев", "Tokayev"),
        ("bgn_pcgn", "ru", "Ельцин", "Yelʹtsin"),
        ("bgn_pcgn", "ru", "Ёлкин", "Yëlkin"),
        ("bgn_pcgn", "ru", "Касым-Жомарт", "Kasym-Zhomart"),
        # BGN/PCGN 1979 Kazakh: q, ī for и, ū for у, e everywhere (CLDR's examples).
        ("bgn_pcgn", "kk", "Тоқаев", "Toqaev"),
        ("bgn_pcgn", "kk", "Әуезов", "Äūezov"),
        ("bgn_pcgn", "kk", "Шиелі", "Shīeli"),
        ("bgn_pcgn", "kk", "Семей", "Semey"),
        ("bgn_pcgn", "kk", "Өскемен", "Öskemen"),
        # ISO 9:1995 / GOST 7.79 System A, and System B.
        ("iso9", "ru", "Щукин", "Ŝukin"),
        ("iso9", "ru", "Ёлкин", "Ëlkin"),
        ("iso9", "ru", "Юлия", "Ûliâ"),
        ("iso9", "kk", "Қазақстан", "Ķazaķstan"),
        ("gost_7_79_b", "ru", "Щукин", "Shhukin"),
        ("gost_7_79_b", "ru", "Цой", "Czoj"),
        # ICAO Doc 9303: й i, я ia, Kazakh letters as their Russian pairs.
        ("icao_passport", "ru", "Токаев", "Tokaev"),
        ("icao_passport", "ru", "Юлия Щеглова", "Iuliia Shcheglova"),
        ("icao_passport", "kk", "Тоқаев", "Tokaev"),
        # Kazakh Latin 2021.
        ("kazakh_latin_2021", "kk", "Тоқаев", "Toqaev"),
        ("kazakh_latin_2021", "kk", "Қазақстан", "Qazaqstan"),
        ("kazakh_latin_2021", "kk", "Нұр-Сұлтан", "Nūr-Sūltan"),
        ("kazakh_latin_2021", "kk", "Ақорда", "Aqorda"),
        ("kazakh_latin_2021", "kk", "Өскемен", "Öskemen"),
        ("kazakh_latin_2021", "kk", "Шымкент", "Şymkent"),
        ("kazakh_latin_2021", "kk", "Қасым-Жомарт Тоқаев", "Qasym-Jomart Toqaev"),
        ("kazakh_latin_2021", "kk", "Жаңаөзен", "Jañaözen"),
        ("kazakh_latin_2021", "kk", "Ерлан Қарин", "Erlan Qarin"),
        ("kazakh_latin_2021", "kk", "Исатай", "İsatai"),
        # Kazakh Latin 2018 (the examples are from texts of the time).
        ("kazakh_latin_2018", "kk", "Қазақстан Республикасы", "Qazaqstan Respýblıkasy"),
        ("kazakh_latin_2018", "kk", "Байтұрсынұлы", "Baıtursynuly"),
        ("kazakh_latin_2018", "kk", "Нұр-Сұлтан", "Nur-Sultan"),
        ("kazakh_latin_2018", "kk", "Өскемен", "Óskemen"),
        # Portuguese press.
        ("press_pt", "ru", "Токаев", "Tokaiev"),
        ("press_pt", "ru", "Горбачёв", "Gorbatchov"),
        ("press_pt", "ru", "Чайковский", "Tchaikovski"),
        ("press_pt", "ru", "Брежнев", "Brejnev"),
        ("press_pt", "ru", "Ельцин", "Ieltsin"),
        ("press_pt", "ru", "Сергей Шойгу", "Serguei Choigu"),
        ("press_pt", "ru", "Евгений Пригожин", "Ievgueni Prigojin"),
        ("press_pt", "ru", "Алексей Навальный", "Aleksei Navalni"),
        ("press_pt", "ru", "Юрий Гагарин", "Iuri Gagarin"),
        # Spanish press (without its stress accents).
        ("press_es", "ru", "Токаев", "Tokayev"),
        ("press_es", "ru", "Хрущёв", "Jruschov"),
        ("press_es", "ru", "Михаил Горбачёв", "Mijail Gorbachov"),
        ("press_es", "ru", "Брежнев", "Brezhnev"),
        ("press_es", "ru", "Евгений Пригожин", "Yevgueni Prigozhin"),
        ("press_es", "ru", "Людмила", "Liudmila"),
        ("press_es", "ru", "Юрий", "Yuri"),
        ("press_es", "ru", "Чехов", "Chejov"),
        ("press_es", "ru", "Рамзан Кадыров", "Ramzan Kadirov"),
        # English press.
        ("press_en", "ru", "Зеленский", "Zelensky"),
        ("press_en", "ru", "Ельцин", "Yeltsin"),
        ("press_en", "ru", "Алексей Навальный", "Aleksey Navalny"),
        ("press_en", "kk", "Жаңаөзен", "Zhanaozen"),
        ("press_en", "kk", "Нұрсұлтан Назарбаев", "Nursultan Nazarbayev"),
        # Simple.
        ("simple", "ru", "Касым-Жомарт Токаев", "Kasym-Zhomart Tokaev"),
        ("simple", "ru", "Дмитрий", "Dmitriy"),
        ("simple", "ru", "Ельцин", "Eltsin"),
    ],
)
def test_scheme_examples(scheme: str, language: str, cyrillic: str, latin: str) -> None:
    assert transliterate(cyrillic, scheme, language) == latin


@pytest.mark.parametrize(
    ("scheme", "language", "cyrillic", "latin"),
    [
        ("bgn_pcgn", "ru", "ЩУКИН", "SHCHUKIN"),  # iuliia alone gives ShchUKIN
        ("bgn_pcgn", "ru", "ТОКАЕВ", "TOKAYEV"),  # and TOKAYeV
        ("press_en", "ru", "КазМунайГаз", "KazMunayGaz"),
        ("press_en", "ru", "Жомарт", "Zhomart"),
        ("press_en", "ru", "Ж.", "Zh."),
        ("kazakh_latin_2021", "kk", "ИСАТАЙ", "İSATAİ"),  # the capital of i is İ, of ı (і) is I
        ("kazakh_latin_2021", "kk", "ІЛИЯС", "ILİİAS"),
        ("kazakh_latin_2021", "kk", "Ілияс", "Iliias"),
    ],
)
def test_case_follows_the_cyrillic(scheme: str, language: str, cyrillic: str, latin: str) -> None:
    assert transliterate(cyrillic, scheme, language) == latin


def test_only_cyrillic_changes() -> None:
    assert transliterate("Tokayev (Токаев), 27/11: «Астана»!", "press_en") == "Tokayev (Tokayev), 27/11: «Astana»!"


def test_stress_marks_are_dropped() -> None:
    assert transliterate("Влади́мир Пу́тин", "press_en") == "Vladimir Putin"


def test_decomposed_letters_are_read_as_letters() -> None:
    assert transliterate("Нико\u0301лай Ерми\u0301лов и\u0306 е\u0308", "bgn_pcgn") == "Nikolay Yermilov y yë"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_scheme_writes_every_russian_and_kazakh_letter(scheme: str, language: str) -> None:
    letters = RUSSIAN + KAZAKH
    for text in (letters, letters.upper(), " ".join(letters), " ".join(letters.upper())):
        latin = transliterate(text, scheme, language)
        assert script_of(latin) in ("Latn", "Zyyy") and not any("\u0400" <= c <= "\u052f" for c in latin), latin


def test_unknown_scheme_or_language() -> None:
    with pytest.raises(ValueError, match="unknown transliteration scheme"):
        transliterate("Токаев", "iso9_1968")
    with pytest.raises(ValueError, match="unsupported language"):
        transliterate("Токаев", "bgn_pcgn", "uk")


@given(st.text(alphabet=string.printable))
def test_ascii_is_left_alone(text: str) -> None:
    for scheme in SCHEMES:
        assert transliterate(text, scheme) == text


# --- latin_forms and cyrillic_forms ------------------------------------------------------


def test_latin_forms_of_a_kazakh_name() -> None:
    forms = latin_forms("Тоқаев", "kk")
    assert forms["press_en"] == "Tokayev"
    assert forms["kazakh_latin_2021"] == "Toqaev"
    assert forms["simple"] == "Tokaev"
    assert forms["press_pt"] == "Tokaiev"
    assert len(set(forms.values())) == len(forms)  # each form once
    assert {fold(form, key=True) for form in forms.values()} == {"tokaev"}


def test_latin_forms_of_a_russian_name() -> None:
    forms = latin_forms("Касым-Жомарт Токаев", "ru")
    assert set(forms.values()) == {
        "Kasym-Zhomart Tokayev",  # press_en, bgn_pcgn
        "Kasym-Zhomart Tokaev",  # simple, icao_passport
        "Kasim-Jomart Tokaiev",  # press_pt
        "Kasim-Zhomart Tokayev",  # press_es
    }
    assert "kazakh_latin_2021" not in forms  # Kazakh Latin writes the Kazakh spelling, not this one


@pytest.mark.parametrize(
    ("latin", "language", "cyrillic"),
    [
        ("Rosatom", "ru", "Росатом"),
        ("Gazprom", "ru", "Газпром"),
        ("Tokayev", "ru", "Токаев"),
        ("Vladimir Putin", "ru", "Владимир Путин"),
        ("Sergey Lavrov", "ru", "Сергей Лавров"),
        ("Alexei", "ru", "Алексей"),
        ("Zelensky", "ru", "Зеленский"),
        ("Yuryev", "ru", "Юрьев"),
        ("Ilyich", "ru", "Ильич"),
        ("Navalʹnyy", "ru", "Навальный"),
        ("Mirziyoyev", "ru", "Мирзиёев"),
        ("Nur-Sultan", "ru", "Нур-Султан"),
        ("NATO", "ru", "НАТО"),
        ("Toqaev", "kk", "Тоқаев"),
        ("Tokaev", "kk", "Токаев"),  # Kazakh has no э: e is е
        ("Qasym-Jomart Toqaev", "kk", "Қасым-Жомарт Тоқаев"),
        ("Nūr-Sūltan", "kk", "Нұр-Сұлтан"),
        ("Şymkent", "kk", "Шымкент"),
        ("Almaty", "kk", "Алматы"),
    ],
)
def test_cyrillic_forms(latin: str, language: str, cyrillic: str) -> None:
    assert cyrillic_forms(latin, language) == [cyrillic]


@pytest.mark.parametrize(
    "latin",
    [
        "Tokaev",  # ае or аэ
        "Aeroflot",  # аэ
        "Elena",  # Елена or Элена: Russian e at the start of a word
        "Almaty",  # -ы or -ый in Russian
        "Kassym-Jomart",  # j: ж or й
        "Cuba",  # c outside ch
        "Trotsky",  # тск or цк
        "Tokáyev",  # an accent no scheme writes
        "Токаев",  # already Cyrillic
        "",
    ],
)
def test_cyrillic_forms_refuses_ambiguous_names(latin: str) -> None:
    assert cyrillic_forms(latin, "ru") == []


# --- script_of ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Tokayev", "Latn"),
        ("Qazaqstan Respýblıkasy, Şymkent", "Latn"),
        ("Elʹcin", "Latn"),  # the prime is no letter of any one script
        ("Тоқаев", "Cyrl"),
        ("Токаев 2025", "Cyrl"),
        ("Tokayev Токаев", "Zyyy"),
        ("2025", "Zyyy"),
        ("", "Zyyy"),
        ("北京", "Zyyy"),
    ],
)
def test_script_of(text: str, script: str) -> None:
    assert script_of(text) == script


_NOT_LETTERS = " -,.0123456789"


@given(st.text(alphabet=RUSSIAN + RUSSIAN.upper() + KAZAKH + KAZAKH.upper(), min_size=1), st.text(alphabet=_NOT_LETTERS))
def test_script_of_cyrillic(letters: str, other: str) -> None:
    assert script_of(letters + other) == "Cyrl"


@given(st.text(alphabet=string.ascii_letters + "äğıñöşūüáǵńóúýé", min_size=1), st.text(alphabet=_NOT_LETTERS))
def test_script_of_latin(letters: str, other: str) -> None:
    assert script_of(other + letters) == "Latn"


# --- the data file -----------------------------------------------------------------------



def test_bad_context_keys_are_refused() -> None:
    classes = {"vowel": "ае"}
    assert translit_data._expand("{vowel}е", classes, "test") == ["ае", "ее"]
    assert translit_data._expand("^е", classes, "test") == ["е"]
    with pytest.raises(ValueError, match="unknown letter class"):
        translit_data._expand("{vowels}е", classes, "test")
    with pytest.raises(ValueError, match="must be two letters"):
        translit_data._expand("аее", classes, "test")
