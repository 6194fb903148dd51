"""Finding and resolving names: every spelling, script and case form meets its entity."""

from datetime import date
from pathlib import Path

import pytest

from steppe.analyse.names.explain import explain
from steppe.analyse.names.forms import russian_case_forms
from steppe.analyse.names.mentions import find_mentions
from steppe.analyse.names.registry import load_registry

REPO = Path(__file__).resolve().parents[1]
SEED = (REPO / "data" / "raw" / "000_557d3577f576d2aa.txt").read_text(encoding="utf-8")
TODAY = date(2025, 11, 28)


def entity_of(name: str) -> str:
    registry = load_registry()
    matches = [e.entity_id for e in registry.entities.values() if e.canonical_name == name]
    assert len(matches) == 1, f"registry has {matches} for {name!r}"
    return matches[0]


def resolved(text: str, language: str, on: date | None = TODAY) -> dict[str, str | None]:
    return {m.surface: m.entity_id for m in find_mentions(text, language, on)}


@pytest.mark.parametrize(
    "name, language",
    [
        ("Toqaev", "pt"),
        ("Tokayev", "en"),
        ("Tokaev", "en"),
        ("Tokaiev", "pt"),
        ("Токаев", "ru"),
        ("Тоқаев", "kk"),
        ("Тоқаевтың", "kk"),
        ("Тоқаевқа", "kk"),
        ("Токаева", "ru"),
        ("Qasym-Jomart Toqaev", "kk"),
        ("Kassym-Zhomart Tokayev", "en"),
        ("Kassym-Jomart Tokayev", "en"),
        ("Qasym-Zhomart Toqaev", "pt"),
        ("Касым-Жомарт Токаев", "ru"),
        ("Қасым-Жомарт Тоқаев", "kk"),
    ],
)
def test_every_spelling_of_tokayev_resolves_to_one_entity(name, language):
    result = explain(name, language, TODAY)
    assert result["entity_id"] == entity_of("Kassym-Jomart Tokayev"), result


@pytest.mark.parametrize("name, language", [("Nur-Sultan", "en"), ("Нұр-Сұлтан", "kk"), ("Akmola", "en"), ("Tselinograd", "en"), ("Астана", "ru"), ("Astana", "pt"), ("Астанада", "kk"), ("Нур-Султане", "ru")])
def test_every_name_of_astana_resolves_to_astana(name, language):
    assert explain(name, language, TODAY)["entity_id"] == entity_of("Astana")


@pytest.mark.parametrize(
    "on, person",
    [(date(2025, 11, 28), "Kassym-Jomart Tokayev"), (date(2015, 6, 1), "Nursultan Nazarbayev")],
)
def test_role_phrase_resolves_by_publication_date(on, person):
    text = "Ontem, o presidente do Cazaquistão recebeu investidores."
    roles = [m for m in find_mentions(text, "pt", on) if m.method == "role"]
    assert [(m.surface, m.entity_id) for m in roles] == [("presidente do Cazaquistão", entity_of(person))]


@pytest.mark.parametrize(
    "text, language, surface",
    [
        ("Переговоры провёл президент России.", "ru", "президент России"),
        ("The Kazakh President met investors.", "en", "Kazakh President"),
        ("Қазақстан Президенті сөз сөйледі.", "kk", "Қазақстан Президенті"),
    ],
)
def test_role_phrases_in_each_language(text, language, surface):
    roles = {m.surface: m.entity_id for m in find_mentions(text, language, TODAY) if m.method == "role"}
    expected = entity_of("Vladimir Putin") if "Росси" in surface else entity_of("Kassym-Jomart Tokayev")
    assert roles == {surface: expected}


def test_russian_case_forms_inflect_every_word_together():
    forms = russian_case_forms("Владимир Путин")
    assert {"Владимира Путина", "Владимиру Путину", "Владимиром Путиным", "Владимире Путине"} <= set(forms)
    assert "Владимиром Путина" not in forms
    assert {"России", "Россию", "Россией"} <= set(russian_case_forms("Россия"))


def test_russian_and_kazakh_inflected_forms_resolve():
    putin, kaz = entity_of("Vladimir Putin"), entity_of("Kazakhstan")
    found = resolved("Токаев встретился с Владимиром Путиным. Позиция Казахстана известна.", "ru")
    assert found["Владимиром Путиным"] == putin and found["Казахстана"] == kaz
    found = resolved("Мемлекет басшысы Ресейдің Президенті Путинмен Астанада кездесті.", "kk")
    assert found["Путинмен"] == putin and found["Астанада"] == entity_of("Astana")


def test_seed_required_mentions_resolve():
    found = {(m.char_start, m.surface): m.entity_id for m in find_mentions(SEED, "pt", TODAY)}
    expected = {
        "Qasym-Zhomart Toqaev": "Kassym-Jomart Tokayev",
        "Toqaev": "Kassym-Jomart Tokayev",
        "Vladimir Putin": "Vladimir Putin",
        "Putin": "Vladimir Putin",
        "Cazaquistão": "Kazakhstan",
        "Rússia": "Russia",
        "Astana": "Astana",
        "Moscou": "Moscow",
        "Ucrânia": "Ukraine",
        "Uzbequistão": "Uzbekistan",
        "Quirguistão": "Kyrgyzstan",
        "Rosatom": "Rosatom",
        "União Econômica da Eurásia": "Eurasian Economic Union",
        "Kazakhstanskaya Pravda": "Kazakhstanskaya Pravda",
    }
    for surface, name in expected.items():
        starts = [i for i in range(len(SEED)) if SEED.startswith(surface, i)]
        for start in starts:
            if any(s < start < s + len(o) for (s, o) in found if len(o) > len(surface)):
                continue  # inside a longer name (Putin inside Vladimir Putin)
            assert found.get((start, surface)) == entity_of(name), (surface, start)


def test_pronoun_refers_to_the_first_person_of_the_sentence_before():
    mentions = find_mentions(SEED, "pt", TODAY)
    ele = [m for m in mentions if m.surface == "Ele"]
    assert [(m.entity_id, m.method) for m in ele] == [(entity_of("Kassym-Jomart Tokayev"), "coreference")]


def test_offsets_cut_the_surface_they_claim():
    for m in find_mentions(SEED, "pt", TODAY):
        assert SEED[m.char_start : m.char_end] == m.surface


def test_case_guards_keep_common_words_out():
    found = resolved("The turkey was served on china plates; in Turkey and China it is different.", "en")
    assert "turkey" not in found and "china" not in found
    assert found["Turkey"] == entity_of("Turkey") and found["China"] == entity_of("China")


def test_unknown_names_become_unresolved_mentions():
    text = "O deputado Carlos Gaguim visitou Astana com Toqaev."
    mentions = {m.surface: m for m in find_mentions(text, "pt", TODAY)}
    assert mentions["Carlos Gaguim"].entity_id is None and mentions["Carlos Gaguim"].method == "unresolved"
    assert mentions["Astana"].entity_id == entity_of("Astana")


def test_coordinated_unknown_names_are_two_mentions_and_one_name_with_a_connector_stays_one():
    surfaces = {m.surface for m in find_mentions("Os deputados Carlos Gaguim e Paulo Pimenta visitaram Astana.", "pt", TODAY)}
    assert {"Carlos Gaguim", "Paulo Pimenta"} <= surfaces and "Carlos Gaguim e Paulo Pimenta" not in surfaces
    surfaces = {m.surface for m in find_mentions("Brock Pierce and Brian Carroll met in Astana.", "en", TODAY)}
    assert {"Brock Pierce", "Brian Carroll"} <= surfaces
    surfaces = {m.surface for m in find_mentions("O Ministério da Ciência e Tecnologia de Goiás abriu um edital.", "pt", TODAY)}
    assert "Ministério da Ciência e Tecnologia de Goiás" in surfaces


def test_a_conjunction_opening_a_sentence_is_no_part_of_a_name():
    surfaces = {m.surface for m in find_mentions("Brock Pierce spoke. Whereas Pierce ran in Utah, Although Carroll lost.", "en", TODAY)}
    assert "Whereas Pierce" not in surfaces and "Pierce" in surfaces


def test_a_first_word_is_an_unknown_name_only_if_the_document_names_it_elsewhere():
    text = "The director John Ratcliffe spoke in Astana. Ratcliffe claimed Iran spoofed e-mails. Officials agreed."
    surfaces = [m.surface for m in find_mentions(text, "en", TODAY)]
    assert surfaces.count("Ratcliffe") == 1 and "Officials" not in surfaces


def test_russian_plural_names_adjectives_in_e_and_neuter_nouns_decline():
    found = resolved("Посол Соединённых Штатов и Объединённых Арабских Эмиратов прибыл к Каспийскому морю.", "ru")
    assert found["Соединённых Штатов"] == entity_of("United States")
    assert found["Объединённых Арабских Эмиратов"] == entity_of("United Arab Emirates")
    assert found["Каспийскому морю"] == entity_of("Caspian Sea")
    assert resolved("Делегация Соединённого Королевства прибыла на берег озера Балхаш.", "ru")["Соединённого Королевства"] == entity_of("United Kingdom")
    # Foreign names in -о do not decline: no form of "Монако" but itself.
    assert russian_case_forms("Монако", all_words=False) == ["Монако"]


def test_a_registry_surname_after_another_persons_first_names_is_that_other_person():
    found = resolved("Эксперты по международным делам Аарон Дэвид Миллер и Ричард Сокольский выступили.", "ru")
    assert found["Аарон Дэвид Миллер"] is None and "Миллер" not in found
    # Not after a preposition (a place), nor at a sentence start.
    assert resolved("После парада в Кронштадте Путин уехал.", "ru")["Путин"] == entity_of("Vladimir Putin")
    assert resolved("Алексей Миллер выступил.", "ru")["Алексей Миллер"] is not None


def test_short_name_after_full_name_is_coreference():
    mentions = find_mentions("Vladimir Putin chegou. Depois, Putin falou.", "pt", TODAY)
    short = [m for m in mentions if m.surface == "Putin"]
    assert [(m.entity_id, m.method) for m in short] == [(entity_of("Vladimir Putin"), "coreference")]


def test_folding_key_meets_an_unseen_spelling():
    result = explain("Toqayev", "en", TODAY)
    assert result["entity_id"] == entity_of("Kassym-Jomart Tokayev")
    assert result["method"] in {"fold", "exact", "transliteration"}


def test_a_name_two_entities_share_is_reported_not_guessed(tmp_path):
    (tmp_path / "people.yaml").write_text(
        """
- id: person:a-smith
  name: Anna Smith
  description: test
  names: {en: [Anna Smith]}
  short: {any: [Smith]}
- id: person:b-smith
  name: Bob Smith
  description: test
  names: {en: [Bob Smith]}
  short: {any: [Smith]}
""",
        encoding="utf-8",
    )
    (tmp_path / "tie_breaks.yaml").write_text("Smith: {ambiguous: true}\n", encoding="utf-8")
    from steppe.analyse.names.index import build_index

    index = build_index(load_registry(tmp_path))
    mentions = {m.surface: m for m in find_mentions("Ontem Smith falou.", "pt", TODAY, index=index)}
    assert mentions["Smith"].entity_id is None and mentions["Smith"].method == "ambiguous"
    after_full = find_mentions("Bob Smith chegou. Ontem Smith falou.", "pt", TODAY, index=index)
    assert [(m.surface, m.entity_id) for m in after_full if m.surface == "Smith"] == [("Smith", "person:b-smith")]


# --- Speed rewrites, held to the simple code they replace -----------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from steppe.analyse.names import resolution  # noqa: E402
from steppe.analyse.names.index import default_index  # noqa: E402
from steppe.analyse.names.lexicon import language_data  # noqa: E402

_NAME_ALPHABET = list("AaBbÇçÉéZzÀàÞþĀāАаЯяЁёӘәҚқІіҮү019'’&-+._ \u00a0\n,«»") + ["de ", "do ", "da ", "e ", "dos "]


def _look_behind_name_like(language: str):
    """The name-like pattern as first written: the look-behind opens it."""
    import re

    conn = "|".join(re.escape(c) for c in sorted(language_data().connectors.get(language, ()), key=len, reverse=True))
    cap = resolution._CAP_WORD
    inner = rf"(?:[ \u00a0]+(?:(?:{conn})[ \u00a0]+)?{cap})*" if conn else rf"(?:[ \u00a0]+{cap})*"
    return re.compile(rf"(?<![\w'’]){cap}{inner}")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_NAME_ALPHABET), max_size=40).map("".join), st.sampled_from(["pt", "en", "ru", "kk"]))
def test_name_like_spans_are_those_of_the_look_behind_pattern(text, language):
    fast = resolution.name_like(language)
    slow = _look_behind_name_like(language)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)]


def test_name_like_spans_on_the_seed():
    for language in ("pt", "en", "ru", "kk"):
        fast, slow = resolution.name_like(language), _look_behind_name_like(language)
        spans = [m.span() for m in fast.finditer(SEED)]
        assert spans and spans == [m.span() for m in slow.finditer(SEED)]
    assert [m.group() for m in resolution.name_like("pt").finditer("Astana, d'Ávila e McDonald; 2Gis O'Neil")] == [
        "Astana", "McDonald", "O'Neil",
    ]


def test_fuzzy_scores_are_those_of_a_python_loop_over_the_bucket():
    """_close_forms scores a bucket in one rapidfuzz call: the forms, scores and order of the plain loop."""
    from rapidfuzz import fuzz

    m = resolution
    index = default_index()
    keys = sorted(k for k in index.fold_index if len(k) >= m.FUZZY_MIN_LENGTH)
    # Near misses of every third folded key (a letter dropped, doubled or changed), and the keys themselves.
    folded = []
    for k in keys[::3]:
        mid = len(k) // 2
        folded += [k, k[:mid] + k[mid + 1 :], k[:mid] + k[mid] + k[mid:], k[:mid] + "x" + k[mid + 1 :]]
    found = 0
    for f in folded:
        loop = [(fuzz.ratio(f, key), form) for key in index.fold_buckets.get(f[:2], ()) if fuzz.ratio(f, key) >= m.FUZZY_MIN_RATIO
                for form in index.fold_index[key]]
        assert m._close_forms(f, index) == loop, f
        found += bool(loop)
    assert found > len(keys[::3])  # the near misses find their keys too
    outcomes = {m._resolve_by_fold_uncached(k[: len(k) // 2] + "x" + k[len(k) // 2 + 1 :], index)[2] for k in keys[::3]}
    assert "fuzzy" in outcomes


def test_a_currency_sign_names_no_country():
    found = resolved("A Odebrecht pagou no Equador US$ 33,5 milhões e R$ 5 mil em subornos; os EUA e o US $ 2 mil.", "pt")
    assert "US" not in found and not any(surface.endswith("R") for surface in found)
    assert found["EUA"] == entity_of("United States")
