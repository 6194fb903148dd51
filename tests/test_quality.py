"""Scoring spans against gold (steppe.dev.quality), and the names gold files themselves."""

from __future__ import annotations

import textwrap
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from steppe.analyse.sentences import split_sentences
from steppe.dev.gold import (
    SEED_GOLD,
    SEED_TEXT_DIRS,
    GoldDocument,
    GoldError,
    GoldMention,
    GoldSpan,
    Span,
    gold_spans,
    load_gold,
    whole_word_occurrences,
)
from steppe.dev.quality import PredictedSpan, match_key, score

ROOT = Path(__file__).resolve().parents[1]
NAMES_GOLD = ROOT / "quality/gold/names"
LANGUAGES = ("ru", "kk", "en", "pt")


def doc(text: str, *mentions: GoldMention, doc_id: str = "d1", language: str = "en") -> GoldDocument:
    return GoldDocument(doc_id, language, text, date(2025, 11, 27), tuple(mentions), "test")


def m(surface: str, label: str | None, **fields) -> GoldMention:
    return GoldMention(surface, label, **fields)


def echo_finder(gold: list[GoldSpan]) -> list[PredictedSpan]:
    """A finder that returns the gold itself: every labelled span, optional ones included."""
    return [PredictedSpan(s.doc_id, s.start, s.end, s.surface, s.label, "echo") for s in gold if s.label is not None]


def predicted(document: GoldDocument, surface: str, label: str | None, nth: int = 1) -> PredictedSpan:
    start, end = whole_word_occurrences(document.text, surface)[nth - 1]
    return PredictedSpan(document.doc_id, start, end, surface, label, "test")


SAMPLE = doc(
    "Russian President Vladimir Putin met Kazakh President Kassym-Jomart Tokayev in Astana. "
    "Putin's visit to Kazakhstan followed talks in Moscow; the Kremlin said Tokayev invited him. "
    "Local akim Serik Abenov welcomed them.",
    m("Russian President", "Vladimir Putin", kind="role", optional=True),
    m("Russian", "Russia", demonym=True),
    m("Vladimir Putin", "Vladimir Putin"),
    m("Kazakh President", "Kassym-Jomart Tokayev", kind="role", optional=True),
    m("Kazakh", "Kazakhstan", demonym=True),
    m("Kassym-Jomart Tokayev", "Kassym-Jomart Tokayev"),
    m("Astana", "Astana"),
    m("Putin", "Vladimir Putin"),
    m("Kazakhstan", "Kazakhstan"),
    m("Moscow", "Moscow"),
    m("the Kremlin", "Kremlin", optional=True),
    m("Tokayev", "Kassym-Jomart Tokayev"),
    m("Serik Abenov", None),
)


# ---------------------------------------------------------------------------
# Fake finders
# ---------------------------------------------------------------------------


def test_a_finder_that_returns_the_gold_scores_one():
    gold = gold_spans(SAMPLE)
    result = score(echo_finder(gold), gold)
    assert result.gold == 9  # required, labelled: the optional roles, Kremlin and the null name are not counted
    assert (result.true_positives, result.optional_hits) == (9, 3)
    assert result.predicted == 12
    assert (result.precision, result.recall, result.f1) == (1.0, 1.0, 1.0)
    assert result.misses == () and result.false_positives == ()


def test_a_finder_that_drops_half_the_names_has_half_the_recall():
    gold = gold_spans(SAMPLE)
    required = [s for s in echo_finder(gold) if not next(g for g in gold if g.start == s.start).optional]
    kept = required[::2]
    result = score(kept, gold)
    assert result.precision == 1.0
    assert result.recall == pytest.approx(len(kept) / 9)
    assert 0.4 < result.recall < 0.6
    assert {miss.reason for miss in result.misses} == {"not found"}
    assert len(result.misses) == 9 - len(kept)


def test_a_wrong_entity_is_both_a_miss_and_a_false_positive():
    gold = gold_spans(SAMPLE)
    predictions = [p for p in echo_finder(gold) if p.surface != "Astana"] + [predicted(SAMPLE, "Astana", "Almaty")]
    result = score(predictions, gold)
    assert result.true_positives == 8
    assert [(x.surface, x.gold, x.predicted, x.reason) for x in result.misses] == [
        ("Astana", "Astana", "Almaty", "wrong label")
    ]
    assert [(x.surface, x.reason) for x in result.false_positives] == [("Astana", "wrong label")]
    assert result.precision == pytest.approx(8 / 9)


def test_unresolved_predictions_are_not_predictions():
    gold = gold_spans(SAMPLE)
    noise = [predicted(SAMPLE, "Local", None), predicted(SAMPLE, "Serik Abenov", None)]
    result = score(echo_finder(gold) + noise, gold)
    assert result.predicted == 12 and result.false_positives == ()


def test_resolving_a_name_the_gold_leaves_unresolved_is_a_false_positive():
    gold = gold_spans(SAMPLE)
    result = score(echo_finder(gold) + [predicted(SAMPLE, "Serik Abenov", "Serik Abenov")], gold)
    assert [(x.surface, x.reason) for x in result.false_positives] == [("Serik Abenov", "gold leaves it unresolved")]
    assert result.recall == 1.0


def test_optional_spans_count_only_when_wrong():
    gold = gold_spans(SAMPLE)
    required_only = [p for p in echo_finder(gold) if p.surface not in ("Russian President", "Kazakh President",
                                                                       "the Kremlin")]
    assert score(required_only, gold).precision == 1.0
    wrong_role = required_only + [predicted(SAMPLE, "Kazakh President", "Nursultan Nazarbayev")]
    result = score(wrong_role, gold)
    assert [(x.surface, x.gold, x.reason) for x in result.false_positives] == [
        ("Kazakh President", "Kassym-Jomart Tokayev", "wrong label")
    ]
    assert result.misses == ()  # an optional span is never missed


def test_a_second_prediction_on_one_span_is_a_duplicate_and_an_unknown_span_is_not_in_gold():
    gold = gold_spans(SAMPLE)
    extra = [predicted(SAMPLE, "Moscow", "Moscow"), predicted(SAMPLE, "Local", "Local Party")]
    result = score(echo_finder(gold) + extra, gold)
    assert sorted((x.surface, x.reason) for x in result.false_positives) == [
        ("Local", "not in gold"), ("Moscow", "duplicate")
    ]


def test_the_right_label_wins_a_span_whatever_the_order_of_predictions():
    gold = gold_spans(SAMPLE)
    others = [p for p in echo_finder(gold) if p.surface != "Moscow"]
    result = score(others + [predicted(SAMPLE, "Moscow", "Moscow Oblast"), predicted(SAMPLE, "Moscow", "Moscow")],
                   gold)
    assert result.true_positives == 9 and result.misses == ()
    assert [(x.predicted, x.reason) for x in result.false_positives] == [("Moscow Oblast", "duplicate")]


def test_nothing_to_find_and_nothing_found():
    assert (score([], []).precision, score([], []).recall) == (1.0, 1.0)
    gold = gold_spans(SAMPLE)
    result = score([], gold)
    assert (result.precision, result.recall, result.f1) == (0.0, 0.0, 0.0)


def test_span_tolerance_possessive_article_and_kazakh_suffix():
    text = "Putin's aide said the Kremlin and ҰҚШҰ-ға and Нур-Султан and do Cazaquistão."
    d = doc(
        text,
        m("Putin's", "Vladimir Putin"),
        m("the Kremlin", "Kremlin"),
        m("ҰҚШҰ-ға", "Collective Security Treaty Organization"),
        m("Нур-Султан", "Astana"),
        m("Cazaquistão", "Kazakhstan"),
    )
    gold = gold_spans(d)

    def at(surface: str, start_shift: int = 0, end_shift: int = 0, label: str = "x") -> PredictedSpan:
        start = text.index(surface) + start_shift
        end = text.index(surface) + len(surface) + end_shift
        return PredictedSpan("d1", start, end, text[start:end], label)

    good = [
        at("Putin's", end_shift=-2, label="Vladimir Putin"),  # finder leaves the possessive out
        at("the Kremlin", start_shift=4, label="Kremlin"),  # finder leaves the article out
        at("ҰҚШҰ-ға", end_shift=-3, label="Collective Security Treaty Organization"),  # bare abbreviation
        at("Нур-Султан", label="Astana"),
        at("Cazaquistão", label="Kazakhstan"),
    ]
    assert score(good, gold).recall == 1.0
    cut = [at("Нур-Султан", end_shift=-7, label="Astana"), at("do Cazaquistão", label="Kazakhstan")]
    result = score(cut, gold)
    assert result.true_positives == 0  # a hyphenated name is never cut; contractions are not trimmed
    assert {x.surface for x in result.false_positives} == {"Нур", "do Cazaquistão"}


def test_match_key_rules():
    def key(surface: str) -> tuple[int, int]:
        return match_key(Span("d", 0, len(surface), surface, None))[1:]

    assert key("the Kremlin") == key("The Kremlin") == (4, 11)
    assert key("o Cazaquistão") == (2, 13)
    assert key("Kazakhs'") == (0, 7)
    assert key("Putin’s") == (0, 5)
    assert key("АҚШ-тың") == (0, 3)
    assert key("Kassym-Jomart") == (0, 13)
    assert key("Soyuz MS-26") == (0, 11)
    assert key("The") == (0, 3)  # nothing left to compare: not trimmed


# ---------------------------------------------------------------------------
# From entries to spans
# ---------------------------------------------------------------------------


def test_occurrences_are_whole_words():
    assert whole_word_occurrences("Astanada Astana, (Astana) Astana's Astana2", "Astana") == [(9, 15), (18, 24),
                                                                                            (26, 32)]
    assert whole_word_occurrences("OPEC+ and OPEC", "OPEC") == [(0, 4), (10, 14)]
    assert whole_word_occurrences("Тоқаевтың Тоқаев", "Тоқаев") == [(10, 16)]


def test_occurrence_picks_one():
    d = doc("Astana, then Astana again.", m("Astana", "Astana", occurrence=2))
    assert [(s.start, s.end) for s in gold_spans(d)] == [(13, 19)]


def test_a_name_inside_a_longer_name_is_not_a_separate_mention():
    d = doc(
        "Vladimir Putin met Putin's aides at OPEC+; OPEC and the National Bank of Kazakhstan. Kazakhstan agreed.",
        m("Vladimir Putin", "Vladimir Putin"),
        m("Putin", "Vladimir Putin"),
        m("OPEC+", "OPEC+"),
        m("OPEC", "OPEC"),
        m("National Bank of Kazakhstan", "National Bank of Kazakhstan"),
        m("Kazakhstan", "Kazakhstan"),
    )
    surfaces = Counter(s.surface for s in gold_spans(d))
    assert surfaces == Counter({"Vladimir Putin": 1, "Putin": 1, "OPEC+": 1, "OPEC": 1,
                                "National Bank of Kazakhstan": 1, "Kazakhstan": 1})


def test_a_name_inside_a_role_phrase_counts_and_a_role_inside_a_role_does_not():
    d = doc(
        "O presidente do Cazaquistão falou com o ex-presidente. O Cazaquistão e o presidente concordaram.",
        m("presidente do Cazaquistão", "Kassym-Jomart Tokayev", kind="role", optional=True),
        m("ex-presidente", "Nursultan Nazarbayev", kind="role", optional=True),
        m("presidente", "Kassym-Jomart Tokayev", kind="role", optional=True),
        m("Cazaquistão", "Kazakhstan"),
        language="pt",
    )
    spans = gold_spans(d)
    assert [s.surface for s in spans if s.label == "Kazakhstan"] == ["Cazaquistão", "Cazaquistão"]
    assert [s.start for s in spans if s.surface == "presidente"] == [d.text.rindex("presidente")]


@pytest.mark.parametrize(
    ("text", "mentions", "message"),
    [
        ("Astanada.", [m("Astana", "Astana")], "does not occur as a whole word"),
        ("Astana.", [m("Astana", "Astana", occurrence=2)], r"occurs 1 time\(s\), not 2"),
        ("Vladimir Putin.", [m("Vladimir Putin", "Vladimir Putin"), m("Putin", "Vladimir Putin", occurrence=1)],
         "lies inside"),
        ("Vladimir Putin.", [m("Vladimir Putin", "Vladimir Putin"), m("Putin", "Vladimir Putin")],
         "only occurs inside longer annotated spans"),
        ("Astana.", [m("Astana", "Astana"), m("Astana", "Astana")], "same span"),
        ("Bank of Kazakhstan Oil", [m("Bank of Kazakhstan", "X"), m("Kazakhstan Oil", "Y")], "cross"),
    ],
)
def test_entries_that_do_not_fit_their_text_are_errors(text, mentions, message):
    with pytest.raises(GoldError, match=message):
        gold_spans(doc(text, *mentions))


def write(tmp_path: Path, body: str, name: str = "gold.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_load_gold_reads_the_steppe_format(tmp_path):
    path = write(tmp_path, """\
        language: ru
        documents:
          - id: ru-1
            published: 2025-11-27
            text: |-
              Президент России Владимир Путин прибыл в Астану.
            mentions:
              - {surface: Президент России, entity: Vladimir Putin, kind: role, optional: true}
              - {surface: России, entity: Russia}
              - {surface: Владимир Путин, entity: Vladimir Putin}
              - {surface: Астану, entity: Astana}
        """)
    [document] = load_gold(path)
    assert (document.doc_id, document.language, document.published) == ("ru-1", "ru", date(2025, 11, 27))
    assert [(s.surface, s.label, s.optional, s.kind) for s in gold_spans(document)] == [
        ("Президент России", "Vladimir Putin", True, "role"),
        ("России", "Russia", False, "name"),
        ("Владимир Путин", "Vladimir Putin", False, "name"),
        ("Астану", "Astana", False, "name"),
    ]


@pytest.mark.parametrize(
    ("mention", "message"),
    [
        ("{surface: Astana, entity: Astana, ocurrence: 1}", "unknown field"),
        ("{surface: Astana}", "missing field"),
        ("{surface: Astana, entity: Astana, kind: city}", "`kind` must be"),
        ("{surface: Astana, entity: Astana, occurrence: 0}", "`occurrence` must be"),
        ("{surface: Astana, entity: Astana, optional: yes please}", "`optional` must be"),
        ("{surface: ' Astana', entity: Astana}", "without outer spaces"),
    ],
)
def test_load_gold_rejects_malformed_entries(tmp_path, mention, message):
    path = write(tmp_path, f"""\
        language: en
        documents:
          - id: en-1
            text: Astana.
            mentions:
              - {mention}
        """)
    with pytest.raises(GoldError, match=message):
        load_gold(path)


def test_load_gold_rejects_duplicate_ids_and_unknown_languages(tmp_path):
    duplicate = write(tmp_path, """\
        language: en
        documents:
          - {id: a, text: Astana., mentions: []}
          - {id: a, text: Almaty., mentions: []}
        """)
    with pytest.raises(GoldError, match="duplicate document id"):
        load_gold(duplicate)
    with pytest.raises(GoldError, match="`language` must be"):
        load_gold(write(tmp_path, "language: xx\ndocuments: [{id: a, text: A., mentions: []}]\n", "xx.yaml"))


def test_load_gold_reads_the_seed_format_with_its_sidecar(tmp_path):
    texts = tmp_path / "raw"
    texts.mkdir()
    (texts / "a.txt").write_text("\ufeffO presidente do Cazaquistão, Toqaev, recebe Vladimir Putin. Putin chega.",
                                 encoding="utf-8")
    (texts / "a.meta.yaml").write_text("published: 2025-11-28\n", encoding="utf-8")
    path = write(tmp_path, """\
        document: a.txt
        language: pt
        mentions:
          required:
            Vladimir Putin: Vladimir Putin
            Putin: Vladimir Putin
            Cazaquistão: Kazakhstan
            Toqaev: Kassym-Jomart Tokayev
          optional:
            presidente do Cazaquistão: Kassym-Jomart Tokayev
        """)
    [document] = load_gold(path, text_dirs=[tmp_path / "elsewhere", texts])
    assert document.published == date(2025, 11, 28)
    assert not document.text.startswith("\ufeff")
    spans = gold_spans(document)
    assert Counter(s.surface for s in spans) == Counter(
        {"Vladimir Putin": 1, "Putin": 1, "Cazaquistão": 1, "Toqaev": 1, "presidente do Cazaquistão": 1}
    )
    with pytest.raises(GoldError, match="not found"):
        load_gold(path, text_dirs=[tmp_path / "elsewhere"])


@pytest.mark.skipif(not SEED_GOLD.is_file(), reason="../shared/gold/seed.gold.yaml is not beside the project")
def test_the_seed_gold_loads_and_every_surface_is_found():
    [document] = load_gold(SEED_GOLD, text_dirs=SEED_TEXT_DIRS)
    spans = gold_spans(document)
    assert all(document.text[s.start:s.end] == s.surface for s in spans)
    assert {s.surface for s in spans} == {mention.surface for mention in document.mentions}
    # "Putin" inside "Vladimir Putin" is not counted again; the names inside role phrases are.
    assert sum(s.surface == "Cazaquistão" for s in spans) == document.text.count("Cazaquistão")


# ---------------------------------------------------------------------------
# The names gold files
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module", params=LANGUAGES)
def gold_file(request):
    path = NAMES_GOLD / f"{request.param}.yaml"
    return request.param, path, load_gold(path)


def test_every_names_gold_file_loads_with_enough_documents_and_mentions(gold_file):
    language, path, documents = gold_file
    assert all(d.language == language for d in documents)
    assert len(documents) >= 12
    spans = [s for d in documents for s in gold_spans(d)]
    required = [s for s in spans if not s.optional and s.label is not None]
    assert len(required) >= 120, f"{path.name}: {len(required)} required mentions"
    assert any(s.label is None for s in spans), "some names must be marked entity: null"
    assert any(s.kind == "role" for s in spans) and any(s.demonym for s in spans)
    assert path.read_text(encoding="utf-8").startswith("# How this file was made:")


def test_every_names_gold_span_is_right(gold_file):
    language, _, documents = gold_file
    for d in documents:
        assert d.doc_id.startswith(f"{language}-")
        assert d.published is not None, d.doc_id
        assert 2 <= len(split_sentences(d.text, language)) <= 5, d.doc_id
        spans = gold_spans(d)
        assert {s.surface for s in spans} == {mention.surface for mention in d.mentions}, d.doc_id
        for s in spans:
            assert d.text[s.start:s.end] == s.surface
            assert not (s.start and d.text[s.start - 1].isalnum()), (d.doc_id, s.surface)
            assert not (s.end < len(d.text) and d.text[s.end].isalnum()), (d.doc_id, s.surface)
        for mention in d.mentions:
            if mention.kind in ("role", "pronoun"):
                assert mention.optional, (d.doc_id, mention.surface)
            if mention.demonym:
                assert mention.label is not None and not mention.optional, (d.doc_id, mention.surface)


def test_names_gold_uses_one_spelling_per_entity():
    """Canonical names that differ only in case, accents or punctuation are one entity spelled twice."""
    def fold(name: str) -> str:
        stripped = "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))
        return "".join(c for c in stripped.casefold() if c.isalnum() or c == "+")

    names = {s.label for language in LANGUAGES for d in load_gold(NAMES_GOLD / f"{language}.yaml")
             for s in gold_spans(d) if s.label is not None}
    folded: dict[str, set[str]] = {}
    for name in names:
        folded.setdefault(fold(name), set()).add(name)
    assert [spellings for spellings in folded.values() if len(spellings) > 1] == []
