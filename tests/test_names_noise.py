"""Noise never becomes an unresolved name: credits, bylines, page scripts, date abbreviations, page furniture."""
from __future__ import annotations

import pytest

from steppe.analyse.names.index import default_index
from steppe.analyse.names.mentions import find_mentions
from steppe.analyse.sentences import split_sentences


def _names(text: str, language: str = "en") -> tuple[list[str], list[tuple[str, str]]]:
    """The unresolved names of a text, and the (rule, span) pairs the noise filter dropped."""
    noise: list[tuple[str, str]] = []
    mentions = find_mentions(text, language, None, split_sentences(text, language), default_index(), noise=noise)
    return [m.surface for m in mentions if m.entity_id is None], noise


@pytest.mark.parametrize(
    ("language", "text", "noise_words", "rule"),
    [
        ("pt", "O acordo foi assinado em Brasília. Foto: Reuters", ["Reuters"], "credit"),
        ("en", "The talks ended late. Photo: AFP/Getty Images", ["AFP", "Getty Images", "Getty"], "credit"),
        ("ru", "Переговоры завершились. Фото: ТАСС", ["ТАСС", "Фото"], "credit"),
        ("pt", "A reunião terminou sem acordo. / AFP, REUTERS e EFE", ["AFP", "REUTERS", "EFE"], "credit"),
        ("pt", "Um militante fala (Foto: Michael Probst/AP) na praça.", ["Michael Probst", "AP"], "credit"),
        ("en", "The talks ended late, said REUTERS and the FILE desk.", ["REUTERS", "FILE"], "byline"),
        ("en", "The page ran googletag.cmd.push(Function() { Window.dataLayer = [] }); var Gpt_Slot = 1;", ["Function", "Window.dataLayer", "Gpt_Slot"], "script"),
        ("en", "The talks resume on Mon, Aug 5, or Sept 9, not in Jan. 2026.", ["Mon", "Aug", "Sept", "Jan"], "abbreviation"),
        ("ru", "Встреча прошла 12 Янв в Москве, а следующая 5 Сент в Астане.", ["Янв", "Сент"], "abbreviation"),
        ("pt", "O acordo foi fechado. LEIA MAIS PIB cresce. VEJA TAMBÉM O placar. ASSISTA", ["LEIA MAIS", "VEJA TAMBÉM", "ASSISTA"], "boilerplate"),
        ("en", "The talks ended late. READ MORE Markets rose. ADVERTISEMENT", ["READ MORE", "MORE", "ADVERTISEMENT"], "boilerplate"),
    ],
)
def test_noise_is_no_name(language, text, noise_words, rule):
    names, noise = _names(text, language)
    assert not [n for n in names if any(w in n for w in noise_words)]
    assert rule in {r for r, _ in noise}


def test_real_names_next_to_noise_still_come_out():
    names, noise = _names("Foto: Reuters Kassym-Jomart Tokayev met Ulan Dzhaparov in Astana.")
    assert "Ulan Dzhaparov" in names and not any("Reuters" in n or "Tokayev" in n for n in names)
    names, _ = _names("Foto: Reuters Ulan Dzhaparov met Serik Abenov.")
    assert names[:2] == ["Ulan Dzhaparov", "Serik Abenov"]
    names, _ = _names("Photo: AFP/Getty Images Ulan Dzhaparov spoke on Aug 5.")
    assert names.count("Ulan Dzhaparov") == 1 and not any("Getty" in n or n == "Aug" for n in names)
    names, _ = _names("READ MORE Ulan Dzhaparov spoke. FILE PHOTO: Ulan Dzhaparov in Bishkek.")
    assert names.count("Ulan Dzhaparov") == 2
    names, _ = _names("Фото: ТАСС Улан Джапаров прибыл в Бишкек.", "ru")
    assert "Улан Джапаров" in names and "ТАСС" not in names


def test_names_that_look_like_noise_stay():
    names, noise = _names(
        "O senador Randolfe Rodrigues (Rede-AP) falou com a Instituto Carvalho de Publicidade. "
        "Depois, Jan Kowalski chegou. FOTOS: Simone e Simaria", "pt")
    # Names joined by "e" are two names (resolution._coordinated_parts).
    assert {"Randolfe Rodrigues", "Instituto Carvalho de Publicidade", "Jan Kowalski", "Simone", "Simaria"} <= set(names)
    assert "AP" not in [s for _, s in noise]


def test_unknown_real_name_stays_unresolved():
    names, noise = _names("Kyrgyz minister Ulan Dzhaparov said the talks would resume.")
    assert "Ulan Dzhaparov" in names and noise == []
