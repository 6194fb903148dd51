import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steppe.analyse.language import (
    KAZAKH_LATIN_MIN_SHARE,
    SAMPLE_CHARS,
    SUPPORTED_LANGUAGES,
    UNDETERMINED,
    _detection_sample,
    detect_language,
    kazakh_latin_share,
)

KAZAKH = "Қазақстан Президенті Қасым-Жомарт Тоқаев Астанада Ресей Президенті Владимир Путинмен келіссөздер жүргізді."
RUSSIAN = "Президент Казахстана Касым-Жомарт Токаев провёл переговоры с Владимиром Путиным в Астане."
PORTUGUESE = (
    "O presidente do Cazaquistão, Qasym-Zhomart Toqaev, recebe calorosamente o presidente da Rússia, "
    "Vladimir Putin, em sua visita de estado ao Cazaquistão."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (KAZAKH, "kk"),
        (RUSSIAN, "ru"),
        # A Kazakh spelling of a name does not make a Russian sentence Kazakh.
        ("Президент Казахстана Қасым-Жомарт Тоқаев провёл переговоры с Владимиром Путиным в Астане.", "ru"),
        ("Мемлекет басшысы Ақордада Ресей Федерациясының Президентін қабылдады.", "kk"),
        (PORTUGUESE, "pt"),
        ("Kazakhstan President Kassym-Jomart Tokayev held talks with Russian President Vladimir Putin in Astana.", "en"),
        ("El presidente de Kazajistán, Kasim-Yomart Tokáyev, recibió al presidente ruso, Vladímir Putin, en Astaná.", "es"),
    ],
)
def test_detects_the_language_of_a_news_sentence(text, expected):
    language, confidence = detect_language(text)
    assert language == expected
    assert 0.5 < confidence <= 1.0


@pytest.mark.parametrize("text", ["", "   \n\t", "12 345,6 % — 27.11.2025", "中文新闻报道", "Ελληνικά νέα"])
def test_text_without_letters_of_a_supported_script_is_undetermined(text):
    assert detect_language(text) == (UNDETERMINED, 0.0)


def test_only_the_opening_of_a_long_document_is_read():
    opening = " ".join([PORTUGUESE] * (SAMPLE_CHARS // len(PORTUGUESE) + 1))
    text = opening + " " + " ".join([RUSSIAN] * 200)
    assert detect_language(text)[0] == "pt"
    assert detect_language(text, sample_chars=None)[0] == "ru"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("um dois três", 100, "um dois três"),
        ("um dois três", 6, "um"),
        ("um dois três", 7, "um dois"),  # the cut falls on the space after "dois"
        ("um\ndois três", 5, "um"),
        ("umdoistrês", 5, "umdoi"),  # no whitespace to cut at
        ("um dois três", None, "um dois três"),
    ],
)
def test_detection_sample_ends_at_a_word_boundary(text, limit, expected):
    assert _detection_sample(text, limit) == expected


@settings(deadline=None)  # the first call loads lingua's models
@given(st.text(max_size=300))
def test_any_text_gives_a_supported_code_and_a_rounded_confidence(text):
    language, confidence = detect_language(text)
    assert language in (*SUPPORTED_LANGUAGES, UNDETERMINED)
    assert 0.0 <= confidence <= 1.0
    assert confidence == round(confidence, 4)
    assert (language == UNDETERMINED) == (confidence == 0.0)
    assert detect_language(text) == (language, confidence)


@pytest.mark.parametrize(
    "text",
    [
        # The 2021 Kazakh Latin alphabet.
        "Qazaqstan Prezidenti Qasym-Jomart Toqaev Astanada Resei Prezidenti Vladimir Putinmen kelissözder jürgizdi.",
        # The 2018 alphabet with acute accents, as some outlets still write it.
        "Qazaqstan Prezıdentı Qasym-Jomart Toqaev Astanada Reseı Prezıdentı Vladımır Pýtınmen kelıssózder júrgızdı.",
        # Informal Latin without diacritics.
        "Prezident Toqaev Moskvada ekijaqty yntymaqtastyq turaly aitty. Eki el arasyndagy sauda artty.",
    ],
)
def test_kazakh_in_latin_script_is_kazakh(text):
    language, confidence = detect_language(text)
    assert language == "kk"
    assert 0.5 < confidence <= 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Names with Kazakh-Latin-looking letters do not make a text Kazakh.
        ("Qatar and Iraq discussed the oil quota with Erdoğan in Qom on Monday.", "en"),
        (PORTUGUESE, "pt"),
        ("O ministro do Catar, Al-Thani, e o presidente Erdoğan falaram sobre o Iraque.", "pt"),
    ],
)
def test_names_alone_do_not_make_latin_text_kazakh(text, expected):
    assert kazakh_latin_share(text) < KAZAKH_LATIN_MIN_SHARE
    assert detect_language(text)[0] == expected
