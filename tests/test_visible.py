"""Format characters (soft hyphens, zero-width spaces...) do not change what the analysis finds."""

import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from steppe.analyse.document import process_document
from steppe.analyse.visible import INVISIBLE, has_invisible, original_span, visible_text

FORMAT = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u200e", "\u2060", "\ufeff", "\u202a", "\U000e0041"]


def _is_format(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf"


def test_the_class_is_every_format_character_of_the_unicode_database():
    matched = {c for c in range(sys.maxunicode + 1) if INVISIBLE.fullmatch(chr(c))}
    assert matched == {c for c in range(sys.maxunicode + 1) if _is_format(chr(c))}


@given(st.text(alphabet=st.sampled_from([*"aé Ж😀\U0001d400", *FORMAT, "\U000110bd", "\ud800"]), max_size=12))
def test_a_text_has_format_characters_when_the_class_finds_one(text):
    assert has_invisible(text) is (INVISIBLE.search(text) is not None)


def test_a_text_without_format_characters_is_read_as_it_is():
    text = "Tokayev met Putin in Astana."
    shown, where = visible_text(text)
    assert shown is text and where is None


texts = st.text(alphabet=st.sampled_from([*"aBc ТоқаевЁ.-'", *FORMAT]), max_size=40)


@given(texts)
def test_the_visible_text_drops_format_characters_and_says_where_the_rest_came_from(text):
    shown, where = visible_text(text)
    assert shown == "".join(ch for ch in text if not _is_format(ch))
    if where is None:
        assert shown == text
        return
    assert len(where) == len(shown) + 1 and where[-1] == len(text)
    assert all(text[i] == ch for i, ch in zip(where, shown))
    assert all(a < b for a, b in zip(where, where[1:]))


@given(texts, st.data())
def test_a_span_of_the_visible_text_covers_the_same_characters_of_the_text(text, data):
    shown, where = visible_text(text)
    if where is None:
        where = list(range(len(text) + 1))
    start = data.draw(st.integers(0, len(shown)))
    end = data.draw(st.integers(start, len(shown)))
    s, e = original_span(where, start, end)
    assert 0 <= s <= e <= len(text)
    assert visible_text(text[s:e])[0] == shown[start:end]
    if end > start:  # it begins and ends with a visible character: no format character around it
        assert not _is_format(text[s]) and not _is_format(text[e - 1])


SENTENCES = {
    "en": "President Kassym-Jomart Tokayev met Vladimir Putin in Astana on 3 May 2024 to discuss oil and uranium exports.",
    "pt": "O presidente do Cazaquistão, Tokayev, recebeu Putin em Astana e assinou um acordo de gás com a Rússia.",
    "ru": "Президент Казахстана Токаев провёл переговоры с Путиным в Москве и подписал соглашение о поставках нефти.",
    "kk": "Қазақстан Президенті Қасым-Жомарт Тоқаев Астанада Ресей Президенті Владимир Путинмен кездесті.",
}


def _found(p):
    return (
        [(m.surface, m.entity_id, m.method, m.score) for m in p.mentions],
        [(e.cameo_code, e.trigger, e.source_entity_id, e.target_entity_id, e.event_date, e.negated, e.confidence) for e in p.events],
        [(s.surface, s.sector_code) for s in p.sectors],
    )


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(SENTENCES)), st.data())
def test_format_characters_anywhere_leave_the_analysis_as_it_is_with_offsets_into_the_text(lang, data):
    clean = SENTENCES[lang]
    # Format characters inserted at random places, inside words and names too.
    places = data.draw(st.lists(st.tuples(st.integers(0, len(clean)), st.sampled_from(FORMAT)), min_size=1, max_size=8))
    text = clean
    for at, ch in sorted(places, reverse=True):
        text = text[:at] + ch + text[at:]
    plain = process_document("d", clean, lang)
    found = process_document("d", text, lang)

    mentions, events, sectors = _found(found)
    readable = ([(visible_text(s)[0], *rest) for s, *rest in mentions],
                [(c, visible_text(t)[0], *rest) for c, t, *rest in events],
                [(visible_text(s)[0], code) for s, code in sectors])
    assert readable == _found(plain)
    # The contract: offsets index the text as ingested, text[char_start:char_end] == surface.
    assert all(text[m.char_start:m.char_end] == m.surface for m in found.mentions)
    assert all(text[e.char_start:e.char_end] == e.trigger for e in found.events)
    assert all(text[s.char_start:s.char_end] == s.surface for s in found.sectors)
    assert [visible_text(text[s:e])[0] for s, e in found.sentences] == [clean[s:e] for s, e in plain.sentences]
    for ev, before in zip(found.events, plain.events):
        assert [visible_text(text[a:b])[0] for a, b in ev.evidence_spans] == [clean[a:b] for a, b in before.evidence_spans]
        assert ev.mentions and all(text[m.char_start:m.char_end] == m.trigger for m in ev.mentions)
        assert [(m.sentence_idx, visible_text(m.trigger)[0]) for m in ev.mentions] == [(m.sentence_idx, m.trigger) for m in before.mentions]


def test_a_name_broken_by_a_soft_hyphen_or_a_zero_width_space_is_resolved():
    text = "President Kassym-Jomart Tok\u00adayev met Pu\u200btin in \ufeffAstana."
    found = process_document("d", text, "en")
    assert [(m.surface, m.entity_id) for m in found.mentions] == [
        ("Kassym-Jomart Tok\u00adayev", "person:kassym-jomart-tokayev"),
        ("Pu\u200btin", "person:vladimir-putin"),
        ("Astana", "city:astana"),  # the byte-order mark before it is not part of it
    ]
    assert [e.cameo_code for e in found.events] == [e.cameo_code for e in process_document("d", visible_text(text)[0], "en").events]


def test_nothing_is_restored_for_a_text_without_format_characters(monkeypatch):
    def fail(*args):
        raise AssertionError("restore_offsets called")

    monkeypatch.setattr("steppe.analyse.document.restore_offsets", fail)
    assert process_document("d", SENTENCES["en"], "en").mentions


def test_steppe_resolve_reads_a_name_as_the_analysis_reads_it():
    from steppe.analyse.names.explain import explain

    assert explain("Tok\u00adayev", "en", None) == explain("Tokayev", "en", None)
    assert explain("Tok\u00adayev", "en", None)["entity_id"] == "person:kassym-jomart-tokayev"
