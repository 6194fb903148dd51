"""Actor codes on every event side: agent nouns, capitals, registry types, IGO codes, context countries.

Sentences are written here for the rules they test; how often the coder is
right on real news is measured by tools/actors_report.py.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml

from steppe.analyse.events import agents as agents_module
from steppe.analyse.events.actor_codes import entity_code, igo_codes, is_capital
from steppe.analyse.events.actors import BASES, article_country
from steppe.analyse.events.agents import actor_types, find_agents, load_agents
from steppe.analyse.events.code import Event, code_events
from steppe.analyse.events.codebook import EventDataError
from steppe.analyse.events.lexicon import EVENT_LANGUAGES
from steppe.analyse.events.tokens import tokenize
from steppe.analyse.names.mentions import find_mentions
from steppe.analyse.names.registry import load_registry
from steppe.analyse.sentences import split_sentences
from steppe.ids import unlinked_id
from steppe.text import normalise_for_matching

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "reference" / "petrarch2"
PUBLISHED = date(2025, 3, 14)


def coded(text: str, language: str) -> list[Event]:
    text = unicodedata.normalize("NFC", text)
    sentences = split_sentences(text, language)
    return code_events(text, language, PUBLISHED, sentences, find_mentions(text, language, PUBLISHED, sentences))


def sides(e: Event) -> tuple:
    return (e.source_country, e.source_type, e.source_basis), (e.target_country, e.target_type, e.target_basis)


# --- Data files ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", EVENT_LANGUAGES)
def test_agent_nouns_load_with_known_types(language):
    lexicon = load_agents(language)
    nouns = {n for group in (*lexicon.by_first_word.values(), *lexicon.by_first_stem.values()) for n in group}
    assert len(nouns) > 50
    assert {n.actor_type for n in nouns} <= set(actor_types())


def test_event_columns_declare_the_type_and_basis_codes():
    fields = yaml.safe_load((REPO / "src/steppe/schemas/fields.yaml").read_text(encoding="utf-8"))
    for side in ("source", "target"):
        assert fields[f"{side}_type"]["constraints"]["enum"] == list(actor_types())
        assert fields[f"{side}_basis"]["constraints"]["enum"] == list(BASES)


def test_unknown_agent_type_is_reported_with_its_file(tmp_path, monkeypatch):
    bad = tmp_path / "agents"
    bad.mkdir()
    (bad / "pt.yaml").write_text("language: pt\nagents:\n  - {type: XYZ, forms: [polícia]}\n", encoding="utf-8")
    real = agents_module.data_file
    monkeypatch.setattr(agents_module, "data_file", lambda name: tmp_path / name if name.startswith("agents/") else real(name))
    load_agents.cache_clear()
    try:
        with pytest.raises(EventDataError, match=r"pt\.yaml: agent 1: unknown actor type 'XYZ'"):
            load_agents("pt")
    finally:
        load_agents.cache_clear()


def test_igo_codes_name_registry_entities():
    registry = load_registry()
    codes = igo_codes()
    assert set(codes) <= set(registry.entities)
    assert codes["bloc:nato"] == "IGOWSTNAT" and codes["bloc:un"] == "IGOUNO"
    assert codes["bloc:eaeu"].startswith("IGO")


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/reference/petrarch2")
@pytest.mark.parametrize("script, target", [("build_agents.py", "agents/en_phoenix.yaml"), ("build_igo_codes.py", "igo_codes.yaml")])
def test_generated_files_are_up_to_date(tmp_path, script, target):
    out = tmp_path / "out.yaml"
    subprocess.run([sys.executable, str(REPO / "tools" / script), "--output", str(out)], check=True, capture_output=True)
    assert out.read_text(encoding="utf-8") == (REPO / "src/steppe/data/events" / target).read_text(encoding="utf-8")


# --- Registry entities ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "entity_id, code",
    [
        ("country:kaz", ("KAZ", "GOV")),
        ("person:kassym-jomart-tokayev", ("KAZ", "GOV")),
        ("organization:russia-ministry-of-defence", ("RUS", "MIL")),
        ("organization:mazhilis", ("KAZ", "LEG")),
        ("bloc:nato", ("IGOWSTNAT", "IGO")),
        ("company:gazprom", ("RUS", "BUS")),
    ],
)
def test_registry_entities_have_a_country_and_type(entity_id, code):
    registry = load_registry()
    assert entity_code(registry.entities[entity_id], registry) == code


def test_capitals_are_known():
    registry = load_registry()
    assert is_capital(registry.entities["city:moscow"])
    assert not is_capital(registry.entities["country:rus"])
    # Every capital the capitals file generates, and the capital of each country of the region, is one.
    generated = yaml.safe_load((REPO / "src/steppe/data/registry/capitals.yaml").read_text(encoding="utf-8"))
    assert all(is_capital(registry.entities[e["id"]]) for e in generated)
    for city in ("astana", "tashkent", "bishkek", "dushanbe", "ashgabat", "baku", "yerevan", "tbilisi", "kyiv", "minsk", "beijing", "ankara", "tehran"):
        assert is_capital(registry.entities[f"city:{city}"]), city


# --- Agent nouns in sentences --------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, text, found",
    [
        ("ru", "Полицию вызвали соседи", [("полицию", "COP", False)]),
        ("ru", "Суд приговорил блогера", [("суд", "JUD", True), ("блогера", "MED", False)]),
        ("kk", "Қазақстан полициясы наразылық білдірушілерді ұстады", [("полициясы", "COP", True), ("наразылық білдірушілерді", "OPP", False)]),
        ("pt", "a polícia prendeu manifestantes", [("polícia", "COP", False), ("manifestantes", "OPP", False)]),
        ("en", "the prosecutor's office charged two police officers", [("prosecutor's office", "JUD", False), ("police officers", "COP", False)]),
    ],
)
def test_agent_nouns_in_their_inflected_forms(language, text, found):
    norm = normalise_for_matching(text)
    tokens = tokenize(norm, 0, len(norm))
    got = [(" ".join(t.word for t in tokens[m.first : m.last + 1]), m.noun.actor_type, m.nominative) for m in find_agents(tokens, load_agents(language))]
    assert [g for g in got if g[0] in {f[0] for f in found}] == found


@pytest.mark.parametrize(
    "language, text, source, target",
    [
        ("ru", "Российская полиция задержала активистов.", ("RUS", "COP", "agent"), ("RUS", "OPP", "agent")),
        ("ru", "Полиция Казахстана задержала двух граждан.", ("KAZ", "COP", "agent"), ("KAZ", "CVL", "agent")),
        ("kk", "Қазақстан полициясы наразылық білдірушілерді ұстады.", ("KAZ", "COP", "agent"), ("KAZ", "OPP", "agent")),
        ("pt", "A polícia brasileira prendeu manifestantes.", ("BRA", "COP", "agent"), ("BRA", "OPP", "agent")),
        ("en", "Russian police detained protesters.", ("RUS", "COP", "agent"), ("RUS", "OPP", "agent")),
        ("ru", "Москва призвала Анкару к сдержанности.", ("RUS", "GOV", "capital"), None),
        ("en", "Tehran condemned the sanctions.", ("IRN", "GOV", "capital"), None),
        ("en", "The Kremlin criticised NATO.", ("RUS", "GOV", "registry"), ("IGOWSTNAT", "IGO", "registry")),
    ],
)
def test_event_sides_carry_country_type_and_basis(language, text, source, target):
    events = coded(text, language)
    assert events, text
    got_source, got_target = sides(events[0])
    assert got_source == source
    if target is not None:
        assert got_target == target


def test_a_trigger_inside_an_agent_noun_is_no_event():
    events = coded("Қазақстан полициясы наразылық білдірушілерді ұстады.", "kk")
    assert [e.cameo_code[:2] for e in events] == ["17"]


def test_a_word_of_a_trigger_is_no_agent():
    # "вызвал посла" is the trigger (summoned the ambassador): the ambassador is not an actor of its own.
    events = coded("МИД Казахстана вызвал посла России.", "ru")
    assert events and events[0].cameo_code.startswith("11")
    assert events[0].source_country == "KAZ"


def test_an_agent_the_sentence_does_not_place_takes_the_article_country_as_context():
    text = "O presidente Jair Bolsonaro visitou Brasília. Em Brasília, o Brasil discute a reforma. A polícia prendeu dois suspeitos."
    events = [e for e in coded(text, "pt") if e.cameo_code.startswith("17")]
    assert events and events[0].source_country == "BRA" and events[0].source_basis == "context"
    assert events[0].confidence < 0.9


def test_the_sentence_only_country_places_an_agent():
    events = coded("No Cazaquistão, a polícia prendeu dois suspeitos.", "pt")
    e = next(e for e in events if e.cameo_code.startswith("17"))
    assert (e.source_country, e.source_type, e.source_basis) == ("KAZ", "COP", "agent")


def test_an_unknown_official_after_an_agent_is_one_unlinked_actor():
    events = coded("Министр энергетики Казахстана Алмасадам Саткалиев встретился с послом Китая.", "ru")
    e = next(e for e in events if e.cameo_code.startswith("04"))
    assert (e.source_text, e.source_country, e.source_type, e.source_basis) == ("Алмасадам Саткалиев", "KAZ", "GOV", "unlinked")
    # Its entity is derived from the name: every spelling that folds alike is the same one.
    assert e.source_entity_id == unlinked_id("Almasadam Satkaliyev") == "unlinked:almasadam-satkaliev"


def test_an_agent_noun_has_no_entity():
    e = coded("Российская полиция задержала активистов.", "ru")[0]
    assert (e.source_entity_id, e.target_entity_id) == (None, None)


def test_article_country_is_the_most_named():
    text = "Tokayev esteve em Astana. O Cazaquistão e a Rússia assinaram acordos. Astana recebeu Putin."
    sentences = split_sentences(text, "pt")
    mentions = sorted(find_mentions(text, "pt", PUBLISHED, sentences), key=lambda m: m.char_start)
    assert article_country(mentions, load_registry()) == "KAZ"


def test_the_data_dictionary_explains_every_type():
    fields = yaml.safe_load((REPO / "src/steppe/schemas/fields.yaml").read_text(encoding="utf-8"))
    for side in ("source", "target"):
        description = " ".join(fields[f"{side}_type"]["description"].split())
        for code, meaning in actor_types().items():
            assert f"{code} {meaning[0].lower()}{meaning[1:]}" in description
        for basis in BASES:
            assert f"{basis} (" in " ".join(fields[f"{side}_basis"]["description"].split())


def test_an_unlinked_name_in_a_sentence_without_agent_nouns_takes_the_article_country():
    text = "O Brasil e o Brasil de novo: Brasília decide. Rui Falcão criticou Fernando Haddad."
    e = next(e for e in coded(text, "pt") if e.cameo_code.startswith("11"))
    assert (e.source_entity_id, e.source_country, e.source_basis) == ("unlinked:rui-falcao", "BRA", "context")
    assert (e.target_entity_id, e.target_country, e.target_basis) == ("unlinked:fernando-hadad", "BRA", "context")


def test_a_title_before_a_registry_person_is_no_actor_of_its_own():
    e = next(e for e in coded("Ukrainian President Volodymyr Zelensky criticised Russia.", "en") if e.cameo_code.startswith("11"))
    assert (e.source_entity_id, e.source_country, e.source_basis) == ("person:volodymyr-zelenskyy", "UKR", "registry")


def test_members_of_an_organisation_act_for_it():
    e = coded("Дүйсенбі күні Мирзиёев Ташкентте «Газпром» делегациясын қабылдады.", "kk")[0]
    assert (e.target_entity_id, e.target_country, e.target_type) == ("company:gazprom", "RUS", "BUS")
    e = coded("Депутаты Госдумы ратифицировали соглашение с Узбекистаном.", "ru")[0]
    assert (e.source_entity_id, e.source_country, e.source_type) == ("organization:state-duma", "RUS", "LEG")


def test_adjacent_agent_nouns_are_one_actor_with_its_country():
    e = next(e for e in coded("Правительственная делегация Кыргызстана провела переговоры в Ташкенте.", "ru") if e.cameo_code.startswith("04"))
    assert (e.source_text, e.source_country, e.source_type) == ("Правительственная делегация Кыргызстана", "KGZ", "GOV")


def test_an_office_and_country_in_apposition_place_an_unknown_name():
    e = coded("Trump elogiou o ministro norte-coreano, Pak Chol-su, nesta quarta-feira.", "pt")[0]
    assert (e.target_entity_id, e.target_country, e.target_basis) == ("unlinked:pak-chol-su", "PRK", "unlinked")


def test_a_registry_person_with_no_country_takes_the_title_country():
    e = next(e for e in coded("Zimbabwean Prime Minister Robert Mugabe accused the United States.", "en") if e.cameo_code.startswith("11"))
    assert (e.source_entity_id, e.source_country, e.source_type) == ("person:robert-mugabe", "ZWE", "GOV")


def test_an_english_possessive_agent_noun_is_an_actor():
    e = next(e for e in coded("Philippine President Rodrigo Duterte threatened the network's franchise.", "en") if e.cameo_code.startswith("13"))
    assert (e.target_text, e.target_type, e.target_country) == ("network's", "MED", "PHL")


def test_a_capitalised_agent_noun_is_an_agent_not_an_unlinked_entity():
    e = next(e for e in coded("No Brasil, o Congresso criticou o governo.", "pt") if e.cameo_code.startswith("11"))
    assert (e.source_entity_id, e.source_type, e.source_basis, e.source_country) == (None, "LEG", "agent", "BRA")
