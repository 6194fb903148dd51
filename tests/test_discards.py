"""Sports and entertainment discards, questions and background phrases (steppe.analyse.events.discards)."""

from __future__ import annotations

import sys
from pathlib import Path

from test_events import coded

from steppe.analyse.events.discards import background_spans, is_question, load_discards
from steppe.text import normalise_for_matching

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from build_discards import parse  # noqa: E402


def test_phoenix_list_parsing_keeps_story_and_sentence_discards_and_drops_years():
    story, sentence = parse(["# header", "1914", "+CHAMPIONS LEAGUE   # mj 27 Jan 2006", "FOOTBALL   # BNL", "AT STUMPS", "+F1", ""])
    assert story == ["champions league"] and sentence == ["at stumps", "football"]


def test_a_sports_story_codes_no_events_and_a_sports_sentence_none_of_its_own():
    assert coded("The Champions League final: Real attacked Liverpool.", "en") == []
    events = coded("O Flamengo atacou muito e marcou um gol. Putin visitou o Cazaquistão.", "pt")
    assert [e.cameo_code for e in events] == ["042"]
    assert not coded("Зенит забил гол и атаковал ворота Спартака.", "ru")
    # Players and coaches name sports: a transfer is no agreement, a coach's trip no visit.
    assert not coded("Полузащитник Павел Мамаев подписал контракт с клубом из Казахстана.", "ru")
    assert not coded("El delantero del Barcelona firmó un acuerdo con el club catalán.", "es")
    events = coded("La Liga de Campeones: el Madrid atacó al Liverpool. Putin visitó Kazajistán.", "es")
    assert events == []


def test_a_story_phrase_far_from_the_lead_is_an_aside_not_a_sports_or_entertainment_story():
    aside = ("O Ministério Público Federal denunciou o ex-governador Sérgio Cabral por corrupção e lavagem de dinheiro. "
             "O caso se arrasta há meses, e os procuradores analisam documentos apreendidos na operação da Polícia Federal. "
             "Putin visitou o Cazaquistão. A novela da posse de Cristiane Brasil continua.")
    assert [e.cameo_code for e in coded(aside, "pt")].count("042") == 1
    # In the lead, or three times anywhere, it is one.
    assert coded("A novela das nove estreia hoje. Putin visitou o Cazaquistão.", "pt") == []
    assert coded(aside + " A novela das nove estreia. Outra novela acaba.", "pt") == []


def test_keep_takes_phrases_out_of_the_generated_list():
    en = load_discards("en")
    assert en.has("football fans", "sentence") and not en.has("an ebola outbreak", "sentence")
    assert not en.has("footballers", "sentence")  # whole words only


def test_a_question_reports_no_fact():
    assert is_question('Will Russia attack?" he asked', 0, 20) and not is_question("Russia attacked.", 0, 16)
    assert all(e.negated for e in coded("Will Russia attack Ukraine?", "en"))


def test_a_background_phrase_marks_the_events_of_its_clause_only():
    text = "Десять лет назад Россия ввела санкции против Грузии, заявил Путин."
    norm = normalise_for_matching(text)
    (span,) = background_spans(norm, 0, len(norm), load_discards("ru").find(norm, "background"))
    assert span[0] == 0 and norm[span[1]] == ","
    events = coded(text, "ru")
    assert {e.cameo_code: e.is_background for e in events} == {"163": True, "010": False}


def test_spanish_background_phrases_mark_history():
    events = coded("Hace años Rusia impuso sanciones a Georgia, dijo Putin.", "es")
    assert {e.cameo_code[:2]: e.is_background for e in events} == {"16": True, "01": False}
