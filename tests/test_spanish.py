"""Spanish as an event language: sentences, dates, negation, coded events and names.

The event sentences marked "AnCora" are from the dev split of
quality/gold/actors/es.yaml (news of the EFE agency and El Periódico, UD
Spanish AnCora, CC BY 4.0); the held-out split is never used here.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from steppe.analyse.events.code import Event, code_events
from steppe.analyse.events.lexicon import EVENT_LANGUAGES, load_patterns
from steppe.analyse.events.tokens import tokenize
from steppe.analyse.events.when_where import find_dates
from steppe.analyse.names.mentions import find_mentions
from steppe.analyse.sentences import split_sentences
from steppe.dates import parse_date
from steppe.text import normalise_for_matching


def coded(text: str, published: date) -> list[Event]:
    text = unicodedata.normalize("NFC", text)
    sentences = split_sentences(text, "es")
    return code_events(text, "es", published, sentences, find_mentions(text, "es", published, sentences))


def of_code(events: list[Event], prefix: str) -> list[Event]:
    return [e for e in events if e.cameo_code.startswith(prefix)]


def only(events: list[Event], prefix: str) -> Event:
    found = of_code(events, prefix)
    assert len(found) == 1, [(e.cameo_code, e.trigger) for e in events]
    return found[0]


# --- Sentences and dates ----------------------------------------------------------------------------


def test_sentences_keep_abbreviations_and_split_at_inverted_marks():
    text = "El Sr. García llegó a EE.UU. ayer. ¿Qué dijo el Gobierno? ¡Nada! La Dra. Pérez habló con el Excmo. Sr. Aznar."
    assert [text[a:b] for a, b in split_sentences(text, "es")] == [
        "El Sr. García llegó a EE.UU. ayer.",
        "¿Qué dijo el Gobierno?",
        "¡Nada!",
        "La Dra. Pérez habló con el Excmo. Sr. Aznar.",
    ]


@pytest.mark.parametrize(
    "text, day",
    [("5 de marzo de 2024", date(2024, 3, 5)), ("el 7 de septiembre del 2000", date(2000, 9, 7)),
     ("martes, 14 de noviembre de 2000", date(2000, 11, 14)), ("3 de setiembre de 2025", date(2025, 9, 3))],
)
def test_metadata_dates_with_spanish_month_names(text, day):
    assert parse_date(text, "es").date() == day


def test_event_dates_in_running_text():
    published = date(2000, 11, 15)  # a Wednesday
    assert only(coded("Rusia firmó el acuerdo con Kazajistán el 5 de marzo del 2000.", published), "057").event_date == date(2000, 3, 5)
    assert only(coded("Rusia firmó el acuerdo con Kazajistán el pasado martes.", published), "057").event_date == date(2000, 11, 14)
    assert only(coded("Rusia firmó ayer el acuerdo con Kazajistán.", published), "057").event_date == date(2000, 11, 14)


def dates_in(text: str, published: date) -> list[date]:
    norm = normalise_for_matching(text)
    return [d.day for d in find_dates(text, tokenize(norm, 0, len(norm)), "es", published, load_patterns("es"))]


def test_relative_days_and_weekdays():
    published = date(2000, 11, 15)  # a Wednesday
    assert dates_in("La cumbre se celebrará mañana en Astaná.", published) == [date(2000, 11, 16)]
    assert dates_in("Los ministros se reunieron anteayer.", published) == [date(2000, 11, 13)]
    assert dates_in("Los ministros se reunieron el pasado lunes.", published) == [date(2000, 11, 13)]
    # "mañana" after an article or demonstrative is the morning, no date.
    assert dates_in("Los ministros se reunieron esta mañana.", published) == []
    assert dates_in("Los ministros se reunieron por la mañana.", published) == []


# --- Negation and modality ------------------------------------------------------------------------------


def test_a_denied_signature_is_negated():
    denied = of_code(coded("Los ministros de Rusia y Kazajistán no firmaron el acuerdo.", date(2025, 3, 14)), "057")
    assert {(e.source_country, e.target_country) for e in denied} == {("RUS", "KAZ"), ("KAZ", "RUS")}
    assert all(e.negated for e in denied)
    signed = of_code(coded("Los ministros de Rusia y Kazajistán firmaron el acuerdo.", date(2025, 3, 14)), "057")
    assert signed and not any(e.negated for e in signed)


def test_a_possible_or_conditional_act_is_no_fact():
    assert only(coded("China podría imponer sanciones a Japón.", date(2025, 3, 14)), "16").negated
    assert only(coded("Rusia negó haber atacado Ucrania.", date(2025, 3, 14)), "19").negated


# --- Coded events on real sentences (AnCora, dev split) ------------------------------------------------


def test_warning_between_french_leaders():
    text = ("El presidente francés, el gaullista Jacques Chirac, lanzó ayer una seria advertencia al Gobierno socialista de "
            "Lionel Jospin, al afirmar que las reformas preconizadas para Córcega no deben cuestionar la unidad del país.")
    event = only(coded(text, date(2000, 8, 2)), "13")
    assert (event.cameo_code, event.source_country, event.target_country) == ("130", "FRA", "FRA")
    assert event.event_date == date(2000, 8, 1)


def test_talks_between_syrians_and_israelis():
    text = ("Las conversaciones entre sirios e israelíes se iniciaron el pasado lunes en Shepherdstown y suponen el primer "
            "encuentro a alto nivel entre ambos países desde hace casi cuatro años.")
    talks = of_code(coded(text, date(2000, 1, 9)), "04")
    assert {(e.source_country, e.target_country) for e in talks} == {("SYR", "ISR"), ("ISR", "SYR")}
    assert {e.event_date for e in talks} == {date(2000, 1, 3)}  # the Monday before publication


def test_agreement_with_the_european_union():
    text = ("El Gobierno argentino anunció hoy que revisará los permisos de pesca otorgados \"de un modo poco claro\" durante la "
            "presidencia de Carlos Menem, quien firmó un acuerdo con la Unión Europea por el que se incorporaron a la flota "
            "argentina barcos de empresas mixtas, en su mayoría de capital español.")
    event = only(coded(text, date(2000, 1, 3)), "05")
    assert (event.cameo_code, event.target_country, event.target_type) == ("057", "IGOEUREEC", "IGO")


def test_arrest_by_the_guardia_civil():
    text = ("El 7 de septiembre del 2000, la Guardia Civil detuvo a Dolores Vázquez, antigua amante de Alicia Hornos, madre de "
            "Rocío, tras llevar semanas presionándola a la espera de un error que la delatara.")
    event = only(coded(text, date(2002, 2, 2)), "17")
    assert (event.cameo_code, event.source_country, event.source_type) == ("173", "ESP", "COP")
    assert event.event_date == date(2000, 9, 7)


def test_look_alikes_are_no_events():
    # "recibió un espaldarazo" (was given support): nobody is received.
    text = ("El Kremlin recibió ayer un espaldarazo por parte del Tribunal Constitucional, al considerar compatible con la ley "
            "fundamental rusa el decreto presidencial que suspende temporalmente a Yuri Skuratov, el fiscal general.")
    assert not [e for e in coded(text, date(1999, 12, 2)) if e.cameo_code.startswith("04")]
    # "del detenido": the detainee, no arrest.
    text = ("Con esta idea central, la carta enviada por Juan Pablo II a todos los jefes de Estado y de Gobierno recuerda que "
            "\"los poderes públicos no son dueños del tiempo del detenido\" y que \"la detención no puede reducirse al mero castigo social\".")
    assert "detenido" not in [e.trigger for e in coded(text, date(2000, 7, 1))]
    assert "detenido" in [e.trigger for e in coded("Un periodista ruso fue detenido ayer por la policía de Kazajistán.", date(2000, 7, 1))]


def test_verbs_match_by_lemma():
    patterns = load_patterns("es")
    expel = [t for t in patterns.triggers if t.form.startswith("@expulsar ... diplomático")]
    assert expel and {"expulsó", "expulsaron", "expulsará", "expulsado"} <= expel[0].steps[0].exact
    event = only(coded("El Gobierno ruso expulsó a dos diplomáticos estadounidenses.", date(2025, 3, 14)), "16")
    assert (event.cameo_code, event.source_country, event.target_country) == ("161", "RUS", "USA")


def test_spanish_is_an_event_language():
    assert "es" in EVENT_LANGUAGES


# --- Names ---------------------------------------------------------------------------------------------


def test_spanish_names_of_the_region():
    text = "El presidente de Kazajistán, Kasim-Yomart Tokáyev, viajó a Moscú y Pekín; la OTAN y las Naciones Unidas callaron."
    found = {m.surface: m.entity_id for m in find_mentions(text, "es", date(2025, 3, 14), split_sentences(text, "es"))}
    assert found == {
        "Kazajistán": "country:kaz",
        "Kasim-Yomart Tokáyev": "person:kassym-jomart-tokayev",
        "Moscú": "city:moscow",
        "Pekín": "city:beijing",
        "OTAN": "bloc:nato",
        "Naciones Unidas": "bloc:un",
    }
