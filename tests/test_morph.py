"""Forms of a lemma (steppe.analyse.morph) and pattern words written as lemmas (`@lemma`)."""

from __future__ import annotations

import pytest
from test_events import coded

from steppe.analyse import morph
from steppe.analyse.events import lexicon
from steppe.analyse.events.codebook import EventDataError
from steppe.analyse.events.lexicon import load_patterns
from steppe.analyse.events.tokens import tokenize


def test_russian_forms_come_from_the_lemma_not_a_prefix():
    forms = morph.russian_forms("пытать")
    assert {"пытали", "пытают", "пытать", "пытав"} <= set(forms)
    assert not {"пытался", "пыталась", "пытаются"} & set(forms)
    assert "past" in forms["пытали"] and "futr" not in forms["пытали"]


def test_russian_forms_are_normalised_as_text_is():
    assert "ведет" in morph.russian_forms("вести")  # ё is matched as е
    with pytest.raises(morph.MorphologyError):
        morph.russian_forms("фывапролдж")


def test_portuguese_forms_and_their_features():
    forms = morph.lemma_forms("pt", ["expulsar"])["expulsar"]
    assert {"expulsou", "expulsaram", "expulsa", "expulsando"} <= set(forms)
    assert "future" in forms["expulsará"] and "conditional" in forms["expulsaria"]
    assert "participle" in forms["expulsado"] and "finite" in forms["expulsou"]
    assert morph.select(forms, frozenset(), frozenset({"future", "conditional"})) == {
        w for w, f in forms.items() if not f & {"future", "conditional"}
    }


def test_english_irregular_forms():
    forms = morph.lemma_forms("en", ["fight"])["fight"]
    assert {"fought", "fights", "fighting"} <= set(forms)


def _match(language: str, code: str, text: str) -> list[str]:
    patterns = load_patterns(language)
    tokens = tokenize(text.lower(), 0, len(text))
    from steppe.analyse.events.triggers import find_triggers

    return [m.trigger.form for m in find_triggers(tokens, patterns) if m.trigger.code == code]


def test_torture_is_not_trying_in_russian():
    assert _match("ru", "1822", "Полицейские пытали задержанного") == ["@пытать"]
    assert _match("ru", "1822", "Он пытался убедить партнеров") == []
    assert _match("ru", "1822", "Они пытаются договориться") == []


def test_no_russian_event_from_a_form_of_trying():
    events = coded("Россия пыталась убедить Казахстан вступить в союз.", "ru")
    assert not [e for e in events if e.cameo_code.startswith("18")]


def _write(tmp_path, name: str, text: str) -> None:
    folder = tmp_path / "data/events/patterns"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def patterns_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(lexicon, "data_file", lambda name: tmp_path / "data/events" / name)
    lexicon.load_patterns.cache_clear()
    yield tmp_path
    lexicon.load_patterns.cache_clear()


def test_only_and_exclude_choose_forms_and_a_future_is_intent(patterns_dir):
    _write(
        patterns_dir, "pt.yaml",
        "language: pt\nlemmas: {exclude: [participle]}\ntriggers:\n"
        "  - {code: '042', forms: ['@visitar']}\n"
        "  - {code: '173', only: [participle], passive: true, forms: ['@atacar']}\n",
    )
    p = load_patterns("pt")
    visit, arrest = p.triggers
    assert visit.steps[0].matches("visitou") and visit.steps[0].matches("visitará")
    assert visit.steps[0].matches("visitado") is None  # the file's default leaves participles out
    assert arrest.steps[0].matches("atacou") is None and arrest.steps[0].matches("atacado")
    assert visit.form_moods.get("visitará") == "intent" and visit.form_moods.get("visitaria") == "negated"
    assert "visitou" not in visit.form_moods


def test_included_file_is_merged_and_loses_ties(patterns_dir):
    _write(patterns_dir, "en.yaml", "language: en\ninclude: [en_extra.yaml]\ntriggers:\n  - {code: '190', forms: ['shell*']}\n")
    _write(patterns_dir, "en_extra.yaml", "language: en\ntriggers:\n  - {code: '194', forms: ['@shell']}\n")
    p = load_patterns("en")
    assert [(t.code, t.included) for t in p.triggers] == [("190", False), ("194", True)]
    from steppe.analyse.events.triggers import find_triggers

    found = find_triggers(tokenize("troops shelled the town", 0, 23), p)
    assert [m.trigger.code for m in found] == ["190"]


def test_bad_lemma_data_names_the_file(patterns_dir):
    _write(patterns_dir, "ru.yaml", "language: ru\ntriggers:\n  - {code: '042', forms: ['@фывапролдж']}\n")
    with pytest.raises(EventDataError, match=r"ru\.yaml.*фывапролдж"):
        load_patterns("ru")
    lexicon.load_patterns.cache_clear()
    _write(patterns_dir, "ru.yaml", "language: ru\ntriggers:\n  - {code: '042', exclude: [nonsense], forms: ['@посетить']}\n")
    with pytest.raises(EventDataError, match=r"ru\.yaml: trigger 1: exclude"):
        load_patterns("ru")


def test_a_form_present_in_one_aspect_is_no_future():
    forms = morph.russian_forms("считать")
    assert "pres" in forms["считает"] and "futr" not in forms["считает"]
    assert "futr" in morph.russian_forms("посетить")["посетит"]


def test_kazakh_triggers_go_through_the_analyser():
    # "қолдарында" (in their hands) is no form of қолда (support); "қолдамады" is its negative.
    assert not [e for e in coded("Құжаттар олардың қолдарында қалды.", "kk") if e.cameo_code.startswith("05")]
    supported = [e for e in coded("Қазақстан бұл бастаманы қолдамады.", "kk") if e.cameo_code.startswith("05")]
    assert supported and all(e.negated for e in supported)
    # A third-person present-future of an action announces it; of a stance, holds now.
    talks = [e for e in coded("Тоқаев пен Путин ынтымақтастықты талқылайды.", "kk") if e.cameo_code.startswith("03")]
    assert talks and not talks[0].negated
    condemns = [e for e in coded("Қазақстан бұл шабуылды айыптайды.", "kk") if e.cameo_code.startswith("11")]
    assert condemns and not condemns[0].negated


def test_a_portuguese_future_form_is_an_announced_act():
    events = coded("Putin visitará o Cazaquistão.", "pt")
    assert [e.cameo_code for e in events] == ["036"]
    assert [e.cameo_code for e in coded("Putin visitou o Cazaquistão.", "pt")] == ["042"]
