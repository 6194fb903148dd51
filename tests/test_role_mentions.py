"""Role phrases and titles: the office holder on the article's date, unless a name stands next to the title."""

from datetime import date

import pytest

from steppe.analyse.names.lexicon import language_data
from steppe.analyse.names.mentions import find_mentions
from steppe.analyse.names.registry import load_registry

TODAY = date(2025, 11, 28)
TOKAYEV = "person:kassym-jomart-tokayev"
NAZARBAYEV = "person:nursultan-nazarbayev"


def roles(text: str, language: str, on: date | None = TODAY) -> dict[str, str | None]:
    return {m.surface: m.entity_id for m in find_mentions(text, language, on) if m.method == "role"}


def names(text: str, language: str, on: date | None = TODAY) -> dict[str, str | None]:
    return {m.surface: m.entity_id for m in find_mentions(text, language, on) if m.method != "role"}


@pytest.mark.parametrize(
    "text, language, surface",
    [
        ("Вчера президент Казахстана принял инвесторов из Китая.", "ru", "президент Казахстана"),
        ("The Kazakh president received investors from China on Monday.", "en", "Kazakh president"),
        ("O presidente do Cazaquistão recebeu investidores chineses.", "pt", "presidente do Cazaquistão"),
        ("Қазақстан Президенті қытайлық инвесторларды қабылдады.", "kk", "Қазақстан Президенті"),
    ],
)
@pytest.mark.parametrize("on, holder", [(date(2025, 11, 28), TOKAYEV), (date(2015, 6, 1), NAZARBAYEV), (date(2019, 3, 20), TOKAYEV)])
def test_role_phrase_is_the_holder_on_the_publication_date(text, language, surface, on, holder):
    assert roles(text, language, on) == {surface: holder}


def test_role_phrase_of_russia_follows_the_terms():
    text = "Переговоры в Кремле провёл президент России."
    assert roles(text, "ru", date(2010, 6, 1)) == {"президент России": "person:dmitry-medvedev"}
    assert roles(text, "ru", date(1995, 6, 1)) == {"президент России": "person:boris-yeltsin"}
    assert roles(text, "ru", date(2013, 6, 1)) == {"президент России": "person:vladimir-putin"}


def test_with_no_date_a_role_phrase_is_the_latest_holder():
    assert roles("O presidente do Cazaquistão recebeu investidores chineses.", "pt", None) == {"presidente do Cazaquistão": TOKAYEV}
    registry = load_registry()
    assert [e.entity_id for e in registry.holders("head_of_state", "KAZ", None)] == [TOKAYEV]
    assert registry.holders("head_of_state", "XXX", None) == []


@pytest.mark.parametrize(
    "text, language, name, entity",
    [
        ("Вчера бывший президент США Джордж Буш посетил Астану.", "ru", "Джордж Буш", None),
        ("Вчера президент США Джордж Буш посетил Астану.", "ru", "Джордж Буш", None),
        ("Former president Nursultan Nazarbayev opened the forum in Astana.", "en", "Nursultan Nazarbayev", NAZARBAYEV),
        ("The former Kazakh president Nursultan Nazarbayev opened the forum.", "en", "Nursultan Nazarbayev", NAZARBAYEV),
        ("Kazakh President Kassym-Jomart Tokayev met investors in Astana.", "en", "Kassym-Jomart Tokayev", TOKAYEV),
        ("Президент Казахстана Касым-Жомарт Токаев провёл совещание.", "ru", "Касым-Жомарт Токаев", TOKAYEV),
        ("Қазақстан Президенті Қасым-Жомарт Тоқаев кеңес өткізді.", "kk", "Қасым-Жомарт Тоқаев", TOKAYEV),
        ("Мемлекет басшысы Қасым-Жомарт Тоқаев кеңес өткізді.", "kk", "Қасым-Жомарт Тоқаев", TOKAYEV),
        ("O presidente russo, Vladimir Putin, chegou nesta quarta-feira a Astana.", "pt", "Vladimir Putin", "person:vladimir-putin"),
        ("O presidente do Cazaquistão Ivan Petrov falou à imprensa.", "pt", "Ivan Petrov", None),
        ("Vladimir Putin, the Russian president, said gas would keep flowing.", "en", "Vladimir Putin", "person:vladimir-putin"),
        ("Первый президент России Борис Ельцин ушёл в отставку.", "ru", "Борис Ельцин", "person:boris-yeltsin"),
    ],
)
def test_a_name_next_to_a_title_is_the_actor(text, language, name, entity):
    assert roles(text, language, date(2025, 11, 28)) == {}
    assert names(text, language, date(2025, 11, 28))[name] == entity


@pytest.mark.parametrize(
    "text, language, surface, holder",
    [
        ("After meeting Putin, the Kazakh president said gas would flow.", "en", "Kazakh president", TOKAYEV),
        ("Ao lado do presidente do Cazaquistão, Putin disse que o gás vai fluir.", "pt", "presidente do Cazaquistão", TOKAYEV),
        ("Мемлекет басшысы Ақордада шетелдік инвесторларды қабылдады.", "kk", "Мемлекет басшысы", TOKAYEV),
    ],
)
def test_a_name_in_another_clause_or_a_place_leaves_the_role(text, language, surface, holder):
    assert roles(text, language) == {surface: holder}


@pytest.mark.parametrize(
    "text, language",
    [
        ("Вчера бывший президент Казахстана выступил на форуме.", "ru"),
        ("Вчера экс-президент Казахстана выступил на форуме.", "ru"),
        ("The former Kazakh president spoke at the forum.", "en"),
        ("The ex-president of Kazakhstan spoke at the forum.", "en"),
        ("O antigo presidente do Cazaquistão discursou no fórum.", "pt"),
        ("O ex-presidente do Cazaquistão discursou no fórum.", "pt"),
        ("Форумда бұрынғы Қазақстан Президенті сөз сөйледі.", "kk"),
    ],
)
def test_a_former_holder_is_not_the_current_one(text, language):
    assert roles(text, language) == {}


@pytest.mark.parametrize(
    "text, language, surface",
    [
        ("Тұңғыш Президент кітапханасында көрме ашылды.", "kk", "Тұңғыш Президент"),
        ("Қазақстанның Тұңғыш Президентінің кітапханасы ашылды.", "kk", "Қазақстанның Тұңғыш Президентінің"),
        ("Город назвали в честь Первого Президента.", "ru", "Первого Президента"),
        ("Выступил Первый Президент Казахстана.", "ru", "Первый Президент Казахстана"),
        ("A speech by the First President of Kazakhstan opened the forum.", "en", "First President of Kazakhstan"),
        ("O Primeiro Presidente do Cazaquistão abriu o fórum.", "pt", "Primeiro Presidente do Cazaquistão"),
    ],
)
def test_the_first_president_is_nazarbayev_on_any_date(text, language, surface):
    assert roles(text, language, date(2025, 11, 28)) == {surface: NAZARBAYEV}
    assert roles(text, language, date(2015, 6, 1)) == {surface: NAZARBAYEV}


@pytest.mark.parametrize(
    "text, language",
    [
        ("Первый президент России ушёл в отставку.", "ru"),
        ("He became the country's first president in 1991.", "en"),
        ("Ресейдің тұңғыш президенті отставкаға кетті.", "kk"),
    ],
)
def test_another_first_president_is_not_the_title(text, language):
    assert NAZARBAYEV not in roles(text, language, date(1999, 12, 31)).values()


def test_kazakh_takes_the_country_before_the_role_never_after():
    text = "Нұртілеудің сапары Ресей Президентінің Қазақстанға мемлекеттік сапарына дайындық аясында өтті."
    assert roles(text, "kk", date(2024, 11, 1)) == {"Ресей Президентінің": "person:vladimir-putin"}
    assert roles("Мемлекет басшысы қазақстандықтардың таңдауын құрметтейді.", "kk") == {"Мемлекет басшысы": TOKAYEV}


def test_every_title_names_a_person_of_the_registry_in_each_language():
    registry = load_registry()
    titles = language_data().titles
    assert {"pt", "en", "ru", "kk"} <= set(titles)
    for language, found in titles.items():
        for title in found:
            entity = registry.entities.get(title.entity_id)
            assert entity is not None and entity.entity_type == "person", (language, title)
            assert title.of == entity.country_iso3, (language, title)
