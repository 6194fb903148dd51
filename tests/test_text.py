"""Text normalisation and folding (steppe.text): the folding key of names, its
offsets, and the plainer folds of language and month names and registry names."""

import re
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from steppe import text
from steppe.text import fold, normalise_for_matching, source_span

# --- plain folds ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "folded"),
    [
        ("Português", "portugues"),
        ("Қазақша", "қазақша"),  # Kazakh letters have no decomposition and stay
        ("Йошкар-Ола", "иошкар-ола"),
        ("1º ﬁm", "1o fim"),  # compatibility forms expanded
        ("Straße", "strasse"),
        ("Kazakı", "kazakı"),  # ı is not decomposed by Unicode...
    ],
)
def test_fold_drops_case_and_accents(value: str, folded: str) -> None:
    assert fold(value) == folded


def test_fold_dotless_i() -> None:
    assert fold("Kazakı", dotless_i=True) == "kazaki"  # ...unless asked for
    assert fold("Mayıs", dotless_i=True) == fold("mayis")


def test_fold_keeping_accents() -> None:
    decomposed = unicodedata.normalize("NFD", "Cazaquistão")
    assert fold(decomposed.upper(), keep_accents=True) == "cazaquistão"
    assert fold("Ақорда\u0301", keep_accents=True) == "ақорда\u0301"  # a mark with no composed letter stays
    assert fold("Ёлка", keep_accents=True) == "ёлка"


def test_fold_refuses_options_that_do_not_apply() -> None:
    with pytest.raises(ValueError, match="offsets"):
        fold("Tokayev", offsets=True)
    with pytest.raises(ValueError, match="keep_accents"):
        fold("Tokayev", key=True, keep_accents=True)


@given(st.text())
def test_plain_folds_are_idempotent(value: str) -> None:
    for options in ({}, {"dotless_i": True}, {"keep_accents": True}):
        assert fold(fold(value, **options), **options) == fold(value, **options)


# --- normalise_for_matching -------------------------------------------------------------


def test_normalise_for_matching() -> None:
    assert normalise_for_matching("O Presidente\u00a0do Cazaquistão") == "o presidente do cazaquistão"
    assert normalise_for_matching("Нур‑Султан’s Ёлка") == "нур-султан's елка"
    assert normalise_for_matching("İzmir") == "İzmir"  # İ lowers to two characters: kept as it is


@given(st.text())
def test_normalise_for_matching_keeps_the_length(value: str) -> None:
    assert len(normalise_for_matching(value)) == len(value)


# --- the folding key ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ["Toqaev", "Tokayev", "Tokaev", "Tokaiev", "Токаев", "Тоқаев", "TOKAYEV", "Tokáyev"],
        [
            "Qasym-Jomart Toqaev",
            "Qasym-Zhomart Toqaev",
            "Kassym-Jomart Tokayev",
            "Kasym-Zhomart Tokaev",
            "Касым-Жомарт Токаев",
            "Қасым-Жомарт Тоқаев",
        ],
        ["Nur-Sultan", "Нұр-Сұлтан", "Nur Sultan", "Нур-Султан", "Nūr-Sūltan"],
        ["Almaty", "Алматы"],
        ["Shymkent", "Шымкент", "Şymkent"],
        ["Nazarbayev", "Nazarbaev", "Назарбаев", "Nazarbaiev"],
        ["Mirziyoyev", "Mirziyoev", "Мирзиёев"],
        ["Zhaparov", "Japarov", "Жапаров", "Dzhaparov"],
        ["Rosatom", "Росатом"],
        ["Gazprom", "Газпром"],
        ["Vladimir Putin", "Владимир Путин", "Влади́мир Пу́тин", "VLADIMIR PUTIN"],
        ["Aliyev", "Aliev", "Алиев", "Əliyev"],
        ["Dmitriy", "Dmitry", "Dmitrii", "Dmitri", "Дмитрий", "Dmitrij"],
        ["Zelensky", "Zelenskiy", "Zelenskii", "Zelenski", "Зеленский"],
        ["Navalny", "Navalnyy", "Navalʹnyy", "Навальный", "Navalni"],
        ["Sergey", "Sergei", "Serguei", "Сергей", "Sergej"],
        ["Yevgeny Prigozhin", "Ievgueni Prigojin", "Yevgueni Prigozhin", "Евгений Пригожин"],
        ["Gorbachev", "Горбачев", "Горбачёв"],
        ["Ilyich", "Ильич"],
        ["Darya", "Daria", "Дарья"],
        ["Yeltsin", "Ieltsin", "Ельцин"],
        ["Tchaikovsky", "Chaikovski", "Чайковский"],
        ["Aleksei", "Alexei", "Алексей", "Alexey"],
        ["Tajikistan", "Tadjikistan", "Таджикистан"],
        ["Kazakhstan", "Казахстан"],
        ["Qazaqstan", "Қазақстан"],
        ["Kyrgyzstan", "Кыргызстан", "Qyrgyzstan"],
        ["Zhanaozen", "Jañaözen", "Janaozen", "Жаңаөзен"],
        ["Öskemen", "Oskemen", "Өскемен", "Óskemen"],
        ["Berdimuhamedow", "Berdimuhamedov", "Бердымухамедов", "Berdymukhammedov"],
        ["Kyiv", "Київ"],
    ],
)
def test_spellings_of_one_name_fold_together(spellings: list[str]) -> None:
    assert len({fold(spelling, key=True) for spelling in spellings}) == 1, {s: fold(s, key=True) for s in spellings}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Putin", "Rutin"),
        ("Astana", "Atana"),
        ("Kazakhstan", "Uzbekistan"),
        ("Moscow", "Moskva"),  # an exonym: the registry links them, not the key
        ("Kazakhstan", "Qazaqstan"),  # Russian and Kazakh spellings: the registry links them
        ("Shymkent", "Chimkent"),  # the Soviet name
        ("Kyiv", "Kiev"),
        ("Nursultan", "Nur-Sultan"),  # the person and the city
        ("Toqaev", "Toqayeva"),
        ("Aliev", "Alieva"),
    ],
)
def test_distinct_names_stay_apart(one: str, other: str) -> None:
    assert fold(one, key=True) != fold(other, key=True)


def test_fold_separators() -> None:
    assert fold("  Kassym-Jomart   Tokayev's\tvisit (2025)…  ", key=True) == "kasim jomart tokaev s visit 2025"
    assert fold("", key=True) == ""
    assert fold("—?!", key=True) == ""


def test_fold_keeps_letters_of_other_scripts() -> None:
    assert fold("习近平 Xi Jinping", key=True) == "习近平 ksi jinping"


# Letters, digraph pieces and marks, so that generated strings hit the rules.
_RULE_ALPHABET = (
    "aeiouyjhkzgsctdqwx"
    "AEIOUYJHKZ"
    "ьъёеияюйжшщцчхЁЕЬ"
    "құүәіңөғһ"
    "şžčäöüūıñý"
    " -'ʹ`·"
    "\u0301\u0308\u0306\u0327"  # combining acute, diaeresis, breve, cedilla
)


@given(st.text())
@example("ttch")
@example("aiie")
@example("zkh")
@example("tctch")
@example("guj")
@example("Ӂ ǅ ﬁ ẞ")
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text, key=True), key=True) == fold(text, key=True)


@given(st.text(alphabet=_RULE_ALPHABET, max_size=40))
def test_fold_is_idempotent_where_rules_interact(text: str) -> None:
    assert fold(fold(text, key=True), key=True) == fold(text, key=True)


@given(st.text(alphabet=st.characters(blacklist_categories=())))
def test_fold_never_raises(text: str) -> None:
    key = fold(text, key=True)  # surrogates and unassigned code points included
    assert key == key.strip() and "  " not in key


# --- the folding key with offsets -------------------------------------------------------------------


def _check_offsets(text: str) -> None:
    folded, offsets = fold(text, key=True, offsets=True)
    assert folded == fold(text, key=True)
    assert len(offsets) == len(folded)
    assert all(0 <= offset < len(text) for offset in offsets)
    assert offsets == sorted(offsets)


@given(st.text())
def test_offsets_invariants(text: str) -> None:
    _check_offsets(text)


@given(st.text(alphabet=_RULE_ALPHABET, max_size=40))
def test_offsets_invariants_where_rules_interact(text: str) -> None:
    _check_offsets(text)


def test_offsets_point_at_the_source() -> None:
    text = "Ш-ка"
    folded, offsets = fold(text, key=True, offsets=True)
    assert (folded, offsets) == ("sh ka", [0, 0, 1, 2, 3])


@pytest.mark.parametrize(
    ("text", "name", "surface"),
    [
        ("Em Astana, Qasym-Zhomart Toqaev recebeu Putin.", "Kassym-Jomart Tokayev", "Qasym-Zhomart Toqaev"),
        ("Встреча с Токаевым.", "Токаев", "Токаев"),  # the case ending is not part of the match
        ("President Tokayev.", "Tokayev", "Tokayev"),  # nor is the period
        ("Tokayev's visit", "Tokaev", "Tokayev"),
        ("Dmitriy Peskov disse", "Dmitry", "Dmitriy"),  # y, merged into the i, is kept
        ("Путь Kassym", "Путь", "Путь"),  # ь, folded to nothing, is kept
        ("… Нұр-Сұлтан", "Nur-Sultan", "Нұр-Сұлтан"),
        ("Ieltsin", "Yeltsin", "Ieltsin"),
    ],
)
def test_source_span_recovers_the_surface(text: str, name: str, surface: str) -> None:
    folded, offsets = fold(text, key=True, offsets=True)
    start = folded.index(fold(name, key=True))
    begin, end = source_span(text, offsets, start, start + len(fold(name, key=True)))
    assert text[begin:end] == surface


@given(st.text(alphabet=_RULE_ALPHABET + "ABCXYZ.,", max_size=30))
def test_each_folded_word_maps_back_to_text_that_folds_to_it(text: str) -> None:
    folded, offsets = fold(text, key=True, offsets=True)
    for word in re.finditer(r"\S+", folded):
        begin, end = source_span(text, offsets, word.start(), word.end())
        assert fold(text[begin:end], key=True) == word.group()


def test_source_span_checks_its_arguments() -> None:
    _, offsets = fold("Tokayev", key=True, offsets=True)
    with pytest.raises(ValueError, match="not within"):
        source_span("Tokayev", offsets, 3, 99)


def test_offsets_of_a_long_document() -> None:
    paragraph = (
        "O presidente do Cazaquistão, Qasym-Zhomart Toqaev, recebeu Vladimir Putin em Astana. "
        "Президент Казахстана Касым-Жомарт Токаев встретился с Владимиром Путиным в Астане. "
        "Қазақстан Президенті Қасым-Жомарт Тоқаев Ақордада Владимир Путинмен кездесті. "
    )
    text = paragraph * 20
    folded, offsets = fold(text, key=True, offsets=True)
    assert folded == fold(text, key=True)
    assert folded.count("kasim jomart tokaev") == 60
    start = folded.index("putinim")
    begin, end = source_span(text, offsets, start, start + len("putin"))
    assert text[begin:end] == "Путин"




# --- the folding key's rules in data/translit.yaml ---------------------------------------


def test_every_rule_says_why() -> None:
    fold_spec = text._fold_spec()
    for rule in fold_spec["cyrillic_rules"] + fold_spec["latin_rules"]:
        assert rule["why"].strip()


def test_bad_rules_are_refused() -> None:
    with pytest.raises(ValueError, match="matches the empty string"):
        text._compiled_rules([{"match": "x?", "replace": "", "why": "test"}], "test", 0)
    with pytest.raises(ValueError, match="bad pattern"):
        text._compiled_rules([{"match": "(", "replace": "", "why": "test"}], "test", 0)
    with pytest.raises(ValueError, match="unexpected keys"):
        text._compiled_rules([{"match": "x", "replace": "", "because": "test"}], "test", 0)

