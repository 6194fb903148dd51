import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steppe.analyse.sentences import _parse_rules, abbreviation_rules, split_sentences
from steppe.languages import SUPPORTED_LANGUAGES

SEED_ARTICLE = Path(__file__).resolve().parents[1] / "data/raw/000_557d3577f576d2aa.txt"
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def sentences(text: str, language: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, language)]


# Short news paragraphs, one per language, with the sentences they must split into.
PARAGRAPHS = {
    "pt": [
        "O Sr. Toqaev recebeu o presidente da Rússia em Astana no dia 27.11.2025.",
        "A reunião, na Av. Paulista, nº 1000, selou um acordo de R$ 1.200.000,50 e prevê alta de 80.5% nas exportações.",
        "A Dra. Ana Lima, do Itamaraty, disse: “O Cazaquistão é um parceiro estratégico.”",
        "O texto está em https://www.gov.br/noticias/acordo.html.",
        "Dúvidas vão para imprensa@itamaraty.gov.br ou para o Prof. Reis.",
        "Petróleo, gás, urânio etc. estão na pauta.",
        "Quem ganha com isso?",
        "Todos!",
    ],
    "en": [
        "Mr. Putin arrived in Astana on Nov. 27, 2025, for talks with Kazakh President Kassym-Jomart Tokayev.",
        "The U.S. State Department said Dr. Jane Smith, i.e. the envoy, would attend.",
        "Kazakhstan ships about 80% of its oil exports (roughly 1.5 million barrels a day) through Russia.",
        '"We are partners," Tokayev said.',
        '"We will stay partners."',
        "Gen. Jones and Sen. Brown met on Jan. 5 in Washington...",
        "Nothing was signed.",
    ],
    "ru": [
        "Президент России В.В. Путин 27 ноября 2025 г. прибыл в Астану.",
        "Его встретил президент Казахстана К.-Ж. Токаев.",
        "«Казахстан — наш стратегический партнёр!» — заявил Путин.",
        "Товарооборот в 2024 г. составил 19,8 млрд долл., т. е. на 5,3% больше, чем годом ранее.",
        "Встреча прошла в г. Астане на ул. Бейбітшілік, д. 4.",
        "Подробнее на сайте kremlin.ru.",
        "Обсуждались нефть, газ, уран и т.д.",
        "Соглашение подписано.",
    ],
    "kk": [
        "Қазақстан Президенті Қасым-Жомарт Тоқаев Астанада Ресей Президенті Владимир Путинмен келіссөздер жүргізді.",
        "Екі ел арасындағы тауар айналымы 2024 ж. 19,8 млрд долларға жетті.",
        "Тараптар мұнай, газ, уран т.б. салалардағы ынтымақтастықты талқылады.",
        "«Ресей – біздің стратегиялық серіктесіміз», – деді Қ.-Ж. Тоқаев.",
        "Келесі кездесу 2026 жылы өтеді.",
    ],
}


@pytest.mark.parametrize("language", sorted(PARAGRAPHS))
def test_news_paragraph_splits_into_its_sentences(language):
    expected = PARAGRAPHS[language]
    assert sentences(" ".join(expected), language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # Abbreviations that never end a sentence.
        ("pt", "O Sr. Silva e a Sra. Souza chegaram. O Prof. Lima também.",
         ["O Sr. Silva e a Sra. Souza chegaram.", "O Prof. Lima também."]),
        ("pt", "Veja a p. 12 e a pág. A9. Ao Exmo. Sr. Ministro.", ["Veja a p. 12 e a pág. A9.", "Ao Exmo. Sr. Ministro."]),
        ("es", "El Sr. Pérez y la Dra. Gómez llegaron a EE.UU. Ayer.", ["El Sr. Pérez y la Dra. Gómez llegaron a EE.UU. Ayer."]),
        ("en", "Mrs. Smith and Rep. Cruz work for Acme Inc. Globex Corp. is in St. Louis.",
         ["Mrs. Smith and Rep. Cruz work for Acme Inc. Globex Corp. is in St. Louis."]),
        ("ru", "Он учился в КазНУ им. Аль-Фараби. Потом уехал.", ["Он учился в КазНУ им. Аль-Фараби.", "Потом уехал."]),
        ("ru", "Это важно, т.е. Казахстан согласен. И т. е. Россия тоже.",
         ["Это важно, т.е. Казахстан согласен.", "И т. е. Россия тоже."]),
        # "etc." and its kin end a sentence before an uppercase word, not before a lowercase one.
        ("pt", "Trouxe frutas, legumes etc. e voltou. Comprou pão etc. Depois saiu.",
         ["Trouxe frutas, legumes etc. e voltou.", "Comprou pão etc.", "Depois saiu."]),
        ("ru", "Нефть, газ и т. д. Далее уран.", ["Нефть, газ и т. д.", "Далее уран."]),
        # Month and unit abbreviations hold before a number, end a sentence before a word.
        ("en", "Sales rose in Jan. The board met on Feb. 3.", ["Sales rose in Jan.", "The board met on Feb. 3."]),
        ("ru", "Доход составил 5 млн. 200 тыс. руб. В прошлом году меньше.",
         ["Доход составил 5 млн. 200 тыс. руб.", "В прошлом году меньше."]),
        # Years: "г." and "ж." never end a sentence (documented in steppe.analyse.sentences).
        ("ru", "в 2025 г. президент подписал указ.", ["в 2025 г. президент подписал указ."]),
        ("ru", "В 2024 г. Казахстан экспортировал нефть.", ["В 2024 г. Казахстан экспортировал нефть."]),
        ("ru", "Указ подписан 27 ноября 2025 г. Президент заявил об этом.",
         ["Указ подписан 27 ноября 2025 г. Президент заявил об этом."]),
        ("kk", "1991 ж. Қазақстан тәуелсіздік алды.", ["1991 ж. Қазақстан тәуелсіздік алды."]),
        # Initials, with or without spaces and hyphens.
        ("en", "V. Putin met J.R.R. Tolkien fans. They cheered.", ["V. Putin met J.R.R. Tolkien fans.", "They cheered."]),
        ("ru", "В. В. Путин и К.-Ж. Токаев встретились. Это ясно.", ["В. В. Путин и К.-Ж. Токаев встретились.", "Это ясно."]),
        # Numbers, dates, URLs and e-mail addresses.
        ("pt", "Eram 80. Hoje são 1.200.000 em 27.11.2025, alta de 80.5%. Fim.",
         ["Eram 80.", "Hoje são 1.200.000 em 27.11.2025, alta de 80.5%.", "Fim."]),
        ("en", "See https://example.com/A.B?x=1&y=Z. Write to info@akorda.kz. Done.",
         ["See https://example.com/A.B?x=1&y=Z.", "Write to info@akorda.kz.", "Done."]),
        # Closing quotes and brackets belong to the sentence they close.
        ("pt", "Ele disse: “Vamos vencer.” Depois saiu.", ["Ele disse: “Vamos vencer.”", "Depois saiu."]),
        ("ru", "Он сказал: «Мы готовы». Потом уехал.", ["Он сказал: «Мы готовы».", "Потом уехал."]),
        ("ru", "«Мы готовы!» — заявил Путин. Он уехал.", ["«Мы готовы!» — заявил Путин.", "Он уехал."]),
        ("en", "(It was late.) Then he left.", ["(It was late.)", "Then he left."]),
        ("es", "¿Qué pasó? ¡Nada! «Bien». Fin.", ["¿Qué pasó?", "¡Nada!", "«Bien».", "Fin."]),
        # Runs of stops; elisions and asides inside brackets.
        ("pt", "Será?! Sim... Talvez… Não.", ["Será?!", "Sim...", "Talvez…", "Não."]),
        ("pt", "Ele disse que [...] Moscou é parceira (...) Astana também (!) Fim.",
         ["Ele disse que [...] Moscou é parceira (...) Astana também (!) Fim."]),
        # What follows the stop decides.
        ("pt", "Você vem? perguntou ele.", ["Você vem? perguntou ele."]),
        ("pt", "Vamos! — disse ele.", ["Vamos! — disse ele."]),
        ("pt", "Foi assim. 2017 foi pior.", ["Foi assim.", "2017 foi pior."]),
        ("pt", "Fim.Começo", ["Fim.Começo"]),
        # Every line break ends a sentence, with or without a stop.
        ("pt", "Título sem ponto\nPrimeiro parágrafo. Segundo período\r\n\r\n  Outro parágrafo  \n",
         ["Título sem ponto", "Primeiro parágrafo.", "Segundo período", "Outro parágrafo"]),
        ("pt", "", []),
        ("pt", " \n\t\u00a0 ", []),
    ],
)
def test_sentence_rule(language, text, expected):
    assert sentences(text, language) == expected


def test_language_selects_abbreviations():
    text = "A Sra. Silva chegou."
    assert sentences(text, "pt") == [text]
    assert sentences(text, "pt-BR") == [text]
    assert sentences(text, "en") == ["A Sra.", "Silva chegou."]


def test_unknown_language_uses_every_language_abbreviations():
    text = "Mr. Smith met Sr. Silva in г. Астана."
    assert sentences(text, "und") == [text]
    assert abbreviation_rules("und").never_final >= abbreviation_rules("ru").never_final


def test_seed_article_has_seventeen_sentences_within_its_paragraphs():
    text = unicodedata.normalize("NFC", SEED_ARTICLE.read_text(encoding="utf-8-sig"))
    found = sentences(text, "pt")
    assert len(text.splitlines()) == 11
    assert len(found) == 17
    assert found[0].startswith("O presidente do Cazaquistão, Qasym-Zhomart Toqaev, recebe")
    assert found[0].endswith("cooperação em energia e indústria.")
    assert found[1] == "A visita ocorre em um momento crítico para ambas as nações."
    assert found[-1].startswith("Apesar dos desafios")
    assert all("\n" not in sentence for sentence in found)


@pytest.mark.parametrize(
    "text",
    [
        "a" * 100_000,
        "." * 100_000,
        ". " * 50_000,
        "A." * 50_000,
        "Sr. " * 25_000,
        "!" + " " * 100_000 + "«" * 100_000 + "A",
        ". -" * 33_000 + ". A",
        "\n" * 100_000,
        "т. е. " * 16_000,
    ],
    ids=["letters", "periods", "period-space", "initials", "abbreviations", "long-gap", "dashes", "newlines", "spaced"],
)
def test_long_inputs_take_linear_time(text):
    # A quadratic scan of 100,000 characters takes minutes; a linear one, milliseconds.
    started = time.perf_counter()
    spans = split_sentences(text, "ru")
    assert time.perf_counter() - started < 2.0
    assert all(text[start:end].strip() for start, end in spans)


def assert_valid_spans(text: str, spans: list[tuple[int, int]]) -> None:
    covered = set()
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        sentence = text[start:end]
        assert sentence == sentence.strip()
        assert not any(ch in LINE_BREAKS for ch in sentence)
        covered.update(range(start, end))
        previous_end = end
    assert all(ch.isspace() for i, ch in enumerate(text) if i not in covered)


NEWS_PIECES = st.sampled_from(
    [
        "Sr.", "Dr.", "т. е.", "т.д.", "г.", "ж.", "В.В.", "К.-Ж.", "U.S.", "etc.", "Jan.", "млн.",
        "Путин", "Тоқаев", "Astana", "o", "и", "2025", "80.5", "27.11.2025", "info@akorda.kz",
        ".", "!", "?", "?!", "...", "…", "«", "»", "“", "”", '"', "'", "(", ")", "[...]", "—", "-", "¿",
        " ", " ", " ", "\u00a0", "\n", "\r\n", "\u2028", "\t",
    ]
)


@given(st.text())
def test_any_text_gives_valid_spans(text):
    assert_valid_spans(text, split_sentences(text, "pt"))


@given(st.lists(NEWS_PIECES, max_size=60).map("".join), st.sampled_from([*SUPPORTED_LANGUAGES, "und"]))
def test_news_like_text_gives_valid_spans(text, language):
    assert_valid_spans(text, split_sentences(text, language))


def test_abbreviation_data_covers_every_supported_language():
    for language in SUPPORTED_LANGUAGES:
        rules = abbreviation_rules(language)
        assert all(word.endswith(".") for word in rules.never_final | rules.not_before_number)
    assert "Sr." in abbreviation_rules("pt").never_final
    assert "т.е." in abbreviation_rules("ru").never_final


@pytest.mark.parametrize(
    "entry",
    [
        {"never_final": ["т. е."], "not_before_number": []},
        {"never_final": ["Sr"], "not_before_number": []},
        {"never_final": None, "not_before_number": []},
        {"never_final": []},
    ],
)
def test_abbreviation_data_errors_name_the_file_and_the_entry(entry):
    with pytest.raises(ValueError, match=r"abbreviations\.yaml: ru"):
        _parse_rules(Path("src/steppe/data/abbreviations.yaml"), "ru", entry)
