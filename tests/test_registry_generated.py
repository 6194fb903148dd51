"""The registry's generated part: every entry says where it comes from, curated entries win,
overrides all apply, and the grown registry resolves real entities across scripts."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from steppe.analyse.names.explain import explain
from steppe.analyse.names.registry import Registry, RegistryError, load_registry
from steppe.analyse.names.registry_files import _ENTRY_KEYS
from steppe.analyse.names.registry_generated import GENERATED_DIR, OVERRIDES_FILE

REGISTRY_DIR = Path(__file__).resolve().parents[1] / "src/steppe/data/registry"
GENERATED = sorted((REGISTRY_DIR / GENERATED_DIR).glob("*.yaml"))
SPECIAL = {"tie_breaks.yaml", OVERRIDES_FILE}


def _entries(paths: list[Path]) -> list[dict]:
    return [entry for path in paths for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


def test_every_entry_of_every_file_has_only_known_fields() -> None:
    curated = [p for p in sorted(REGISTRY_DIR.glob("*.yaml")) if p.name not in SPECIAL]
    unknown = {e["id"]: sorted(set(e) - _ENTRY_KEYS) for e in _entries(curated + GENERATED) if set(e) - _ENTRY_KEYS}
    assert unknown == {}


def test_every_generated_entry_names_its_source_and_retrieval_day() -> None:
    entries = _entries(GENERATED)
    assert entries
    missing = [e["id"] for e in entries if not e.get("source") or not str(e.get("retrieved", ""))[:4].isdigit()]
    assert missing == []


def test_generated_entries_repeat_no_curated_entity(registry: Registry) -> None:
    curated = [p for p in sorted(REGISTRY_DIR.glob("*.yaml")) if p.name not in SPECIAL]
    curated_ids = {e["id"] for e in _entries(curated)}
    assert curated_ids.isdisjoint(e["id"] for e in _entries(GENERATED))
    with_id = [e.wikidata_id for e in registry.entities.values() if e.wikidata_id]
    assert len(with_id) == len(set(with_id)), "one Wikidata id on two entities"


def test_every_override_applies(registry: Registry) -> None:
    overrides = yaml.safe_load((REGISTRY_DIR / OVERRIDES_FILE).read_text(encoding="utf-8"))
    generated_ids = {e["id"] for e in _entries(GENERATED)}
    assert set(overrides) <= generated_ids
    for entity_id, change in overrides.items():
        if change == {"drop": True}:
            assert entity_id not in registry.entities
        elif "name" in change:
            assert registry.entities[entity_id].canonical_name == change["name"]


def test_size_and_wikidata_share_of_the_grown_registry(registry: Registry) -> None:
    entities = list(registry.entities.values())
    generated = {e["id"] for e in _entries(GENERATED)}
    with_wikidata = [e for e in entities if e.wikidata_id]
    generated_with_wikidata = [e for e in with_wikidata if e.entity_id in generated]
    # Floors of what the sources give today (the aim, 90% with a Wikidata id, is not
    # reached: the Phoenix armed groups have none, and neither have most curated entries).
    assert len(entities) >= 4800
    assert len(generated) >= 4000
    assert len(with_wikidata) / len(entities) >= 0.66
    assert len(generated_with_wikidata) / len(generated) >= 0.75
    by_type = {t: sum(1 for e in entities if e.entity_type == t) for t in ("person", "region", "city", "organization")}
    assert by_type["person"] >= 1600 and by_type["region"] >= 400 and by_type["city"] >= 600


@pytest.mark.parametrize(
    ("surface", "language", "entity_id"),
    [
        ("Абдулла Арипов", "ru", "person:abdulla-aripov"),  # Uzbek prime minister, ru name from NEREL
        ("Abdulla Aripov", "en", "person:abdulla-aripov"),
        ("Василия Небензи", "ru", "person:vasily-nebenzya"),  # a case form of a generated Russian name
        ("Vasily Nebenzya", "en", "person:vasily-nebenzya"),  # its generated Latin form
        ("Батыс Қазақстан", "kk", "region:kz-27-west-kazakhstan"),
        ("West Kazakhstan", "en", "region:kz-27-west-kazakhstan"),
        ("ИГИЛ", "ru", "organization:islamskoye-gosudarstvo-iraka-i-levanta"),  # names from overrides.yaml
        ("Estado Islâmico", "pt", "organization:islamskoye-gosudarstvo-iraka-i-levanta"),
    ],
)
def test_generated_entities_resolve_across_scripts(surface: str, language: str, entity_id: str) -> None:
    assert explain(surface, language, None)["entity_id"] == entity_id


# --- the loader's rules for generated files and overrides -------------------------------

CURATED = """
- id: person:anna-a
  name: Anna A
  country: KAZ
  description: A test person.
  names: {en: [Anna A]}
"""
GENERATED_ENTRY = """
- id: person:bob-b
  name: Bob B
  wikidata: Q42
  description: A generated test person.
  names: {en: [Bob B]}
  source: test data
  retrieved: '2026-01-01'
"""


def _registry(tmp_path: Path, generated: str = GENERATED_ENTRY, overrides: str | None = None) -> Registry:
    (tmp_path / "people.yaml").write_text(textwrap.dedent(CURATED), encoding="utf-8")
    (tmp_path / GENERATED_DIR).mkdir()
    (tmp_path / GENERATED_DIR / "test.yaml").write_text(textwrap.dedent(generated), encoding="utf-8")
    if overrides is not None:
        (tmp_path / OVERRIDES_FILE).write_text(textwrap.dedent(overrides), encoding="utf-8")
    return load_registry(tmp_path)


def test_generated_files_load_with_their_provenance(tmp_path: Path) -> None:
    assert set(_registry(tmp_path).entities) == {"person:anna-a", "person:bob-b"}


def test_a_generated_entry_without_source_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="source: required"):
        _registry(tmp_path, GENERATED_ENTRY.replace("  source: test data\n", ""))


def test_an_unknown_field_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="population: unknown field"):
        _registry(tmp_path, GENERATED_ENTRY + "  population: 5\n")


def test_overrides_replace_fields_and_drop_entries(tmp_path: Path) -> None:
    renamed = _registry(tmp_path, overrides="person:bob-b: {name: Robert B, names: {en: [Robert B, Bob B]}}\n")
    assert renamed.entities["person:bob-b"].canonical_name == "Robert B"
    (tmp_path / "again").mkdir()
    assert "person:bob-b" not in _registry(tmp_path / "again", overrides="person:bob-b: {drop: true}\n").entities


def test_an_unused_override_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="unused override"):
        _registry(tmp_path, overrides="person:nobody: {drop: true}\n")


def test_an_override_of_a_curated_entry_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="generated entries only"):
        _registry(tmp_path, overrides="person:anna-a: {drop: true}\n")


def test_one_wikidata_id_on_two_entities_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="Q42 is also"):
        _registry(tmp_path, GENERATED_ENTRY + GENERATED_ENTRY.replace("bob-b", "bob-c").replace("Bob B", "Bob C"))


def test_a_curated_name_beats_a_generated_transliteration_of_another_entity() -> None:
    # "Michel Temer" is the curated entity's own name, and the Portuguese-style
    # transliteration of a generated entity's Russian name (Мишель Темер).
    from datetime import date

    from steppe.analyse.names.mentions import find_mentions

    text = "O presidente Michel Temer assinou o decreto."
    mentions = [m for m in find_mentions(text, "pt", date(2017, 5, 1), [(0, len(text))]) if m.surface == "Michel Temer"]
    assert [(m.entity_id, m.method) for m in mentions] == [("person:michel-temer", "exact")]


def test_a_russian_exonym_is_not_read_in_portuguese() -> None:
    # "Salvador" in Brazilian news is the city in Bahia, not Сальвадор (El Salvador in Russian);
    # Kazakh news writes foreign names as Russian does, so there the Russian name still counts.
    from datetime import date

    from steppe.analyse.names.mentions import find_mentions

    pt = "Em Salvador, a polícia prendeu dois suspeitos."
    assert [m.entity_id for m in find_mentions(pt, "pt", date(2017, 5, 1), [(0, len(pt))]) if m.surface == "Salvador"] == [None]
    ru = "Президент Сальвадора прибыл в Москву."
    assert "country:slv" in {m.entity_id for m in find_mentions(ru, "ru", date(2017, 5, 1), [(0, len(ru))])}
