"""tools/build_cameo_lexicon.py: CAMEO.2.0 verb dictionary lines (copied here as written there) into steppe's forms."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO.parent / "shared" / "reference" / "petrarch2" / "CAMEO.2.0.txt"
GENERATED = REPO / "src" / "steppe" / "data" / "events" / "patterns" / "en_cameo.yaml"


@pytest.fixture(scope="module")
def conv():
    spec = importlib.util.spec_from_file_location("build_cameo_lexicon", REPO / "tools" / "build_cameo_lexicon.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


SYNSETS = {
    "&CEASEFIRE": ["TRUCE", "ARMISTICE", "CEASE-FIRE", "CEASEFIRE", "CEASE_FIRE"],
    "&WEAPON": [f"W{i}" for i in range(20)],
}


@pytest.mark.parametrize(
    "text, expected",
    [("[042:043]", ("042", False)), ("[0253]", ("0253", False)), ("[:173]", ("173", True)), ("[---]", (None, False))],
)
def test_codes(conv, text, expected):
    assert conv.parse_code(text.strip("[]")) == expected


@pytest.mark.parametrize(
    "line, words, code, form",
    [
        ("+ASK_FOR {+ASKED_FOR +ASKING_FOR +ASKS_FOR} [020]", ("ask", "for"), "020", "@ask for"),
        ("SAY  {SAYS SAID SAYING}", ("say",), None, "@say"),
        ("REPORT [---]", ("report",), "---", "@report"),
        ("CLAMOUR # ms 04 Apr 2008", ("clamour",), None, "@clamour"),
        ("+ANGERED_BY {}", ("angered", "by"), None, "angered by"),
    ],
)
def test_verb_lines(conv, line, words, code, form):
    verb = conv.parse_verb_line(line)
    assert (verb.words, verb.code, verb.form()) == (words, code, form)


def test_a_verb_is_known_by_its_irregular_and_regular_forms(conv):
    assert {"THREW", "THROWN", "THROWS"} <= conv.parse_verb_line("THROW {THROWS THROWING THREW THROWN }").names
    assert {"RULED_OUT", "RULING_OUT"} <= conv.parse_verb_line("+RULE_OUT").names


@pytest.mark.parametrize(
    "verb, line, code, forms",
    [
        ("APPEAL", "- * (FOR RELEASE)                                     [0253]        # APPEAL", "0253", ["@appeal ... for ... release"]),
        ("ADD", "- * (TO {BANNED PARTIES}) $                           [1722]        # ADD", "1722", ["@add ... to ... banned ... parties"]),
        ("REPEAT", "- * CALL ON + TO RESIGN                               [0241]        # REPEAT", "0241", ["@repeat ... call ... on ...6 to ... resign"]),
        ("CONFRONT", "- * (BY/WITH PROTESTS)                                [141]         # CONFRONT", "141", ["@confront ... by|with ... protests"]),
        ("THWART", "- + * ROCKET                                          [193]         # THWART", "193", ["@thwart ... rocket"]),
        (
            "ARRANGE", "- * &CEASEFIRE                                        [0356]        # ARRANGE", "0356",
            ["@arrange ... truce|armistice|cease-fire|ceasefire", "@arrange ... cease fire"],
        ),
        ("STAGE", "- &MILITARY * EXERCISES                             [062:062]     # STAGE", "062", "words before the verb"),
        ("RUSH", "- * &WEAPON                                           [194]         # RUSH", "194", "synonym set over 12 words"),
        ("REMAIN", "- * &CURRENCY                                         [0231]        # REQUEST", "0231", "synonym set not defined"),
    ],
)
def test_patterns(conv, verb, line, code, forms):
    pattern = conv.parse_pattern_line(line)
    assert pattern.code == code
    assert conv.pattern_forms(conv.parse_verb_line(verb), pattern, SYNSETS) == forms


def test_reverse_code_is_passive(conv):
    pattern = conv.parse_pattern_line("- * (BEFORE COURT)                                    [:173]        # APPEAR")
    assert (pattern.code, pattern.reverse, pattern.named) == ("173", True, ("APPEAR",))


def test_unknown_codes_go_to_their_parent(conv):
    codes = {"020", "023", "0231", "080"}
    assert [conv.known_code(c, codes) for c in ("0231", "0234", "029", "080!", "---", "190")] == ["0231", "023", "020", None, None, None]


BLOCK = """\
####### VERB PATTERNS #######
---  APPEAL   [020]  ---
APPEAL
BEG {BEGS BEGGED BEGGING }
PLEAD [---]
- * COURT                                             [---]         # APPEAL
- * (FOR RELEASE)                                     [0253]        # APPEAL
- * (FOR RELEASE)                                     [0253]        # APPEAL
- * FORGIVENESS                                       [055]         # BEGGED
- * (FOR RELEASE)                                     [0256]        # APPEAL
- * INNOCENT                                          [016]
---  OVERRULE   [120]---  ---
OVERRULE
"""


def test_a_block_converts_with_its_default_code_and_reasons(conv):
    synsets, blocks = conv.parse_dictionary(BLOCK)
    out = conv.convert(synsets, blocks, {"020", "0253", "055", "0256", "016", "120"})
    assert [(e.code, e.form) for e in out.triggers] == [
        ("020", "@appeal"), ("020", "@beg"),
        ("0253", "@appeal ... for ... release"),
        ("055", "@beg ... forgiveness"),  # the comment names an inflected form
        ("016", "@appeal ... innocent"), ("016", "@beg ... innocent"), ("016", "@plead ... innocent"),  # no verb named: the block's
        ("120", "@overrule"),  # a header closed with a stray "---"
    ]
    assert out.dropped == {"no event ([---])": 1, "duplicate": 1, "conflict with an earlier pattern's code": 1}


MOVED = """\
####### VERB PATTERNS #######
---  CANCEL   [---]  ---
+CALL_OFF [160]
CEASE
- * VISIT                                             [042:043]     # CONCLUDE
---  FINISH   [---]  ---
CONCLUDE
"""


def test_a_pattern_follows_the_verb_its_comment_names_into_another_block(conv):
    synsets, blocks = conv.parse_dictionary(MOVED)
    out = conv.convert(synsets, blocks, {"160", "042"})
    assert [(e.code, e.form) for e in out.triggers] == [("160", "@call off"), ("042", "@conclude ... visit")]


def test_narrowing_keeps_patterns_with_a_word_of_their_own(conv):
    synsets, blocks = conv.parse_dictionary(BLOCK)
    out = conv.convert(synsets, blocks, {"020", "0253", "055", "0256", "016", "120"})
    out.triggers.append(conv.Entry("160", "@call off ... strike", False, "CALL_OFF", 1))  # a reviewed code: 082
    out.triggers.append(conv.Entry("173", "@say ... arrest", False, "SAY", 2))
    out.triggers.append(conv.Entry("173", "@hand ... over ... to", False, "HAND", 3))
    out.triggers.append(conv.Entry("173", "@arrest ... protesters", False, "ARREST", 4))
    kept, dropped = conv.narrow(out, conv.Narrowing(actor_words=frozenset({"protesters"})))
    assert [(e.code, e.form) for e in kept] == [
        ("055", "@beg ... forgiveness"),
        ("016", "@appeal ... innocent"), ("016", "@beg ... innocent"), ("016", "@plead ... innocent"),
        ("082", "@call off ... strike"),
    ]
    assert dropped == {
        "verb alone (@lemma also matches nouns and names)": 3,  # @appeal, @beg (020), @overrule (120)
        "governing root (02, 03, 10, 12, 13)": 1,  # 0253
        "verb of saying": 1,
        "no word but prepositions and particles after the verb": 1,
        "a word names an actor (agents lexicon: 'arrested protesters' would hide the protesters)": 1,
    }
    assert {"protesters", "rebels", "police"} <= conv.agent_words()


def test_rendered_entries_are_grouped_by_root_and_exclude_gerunds(conv):
    text = conv.render([conv.Entry("190", "@ambush ... convoy", False, "AMBUSH", 1), conv.Entry("173", "@appear ... before ... court", True, "APPEAR", 2)], Path("CAMEO.2.0.txt"))
    assert "GENERATED by tools/build_cameo_lexicon.py" in text
    assert text.index("# --- 17") < text.index('code: "173"') < text.index("# --- 19") < text.index('code: "190"')
    assert '    passive: true' in text and text.count("exclude: [gerund]") == 2


@pytest.mark.skipif(not SOURCE.exists(), reason="needs ../shared/reference/petrarch2/CAMEO.2.0.txt")
def test_generated_file_is_up_to_date(tmp_path):
    out = tmp_path / "en_cameo.yaml"
    subprocess.run([sys.executable, str(REPO / "tools" / "build_cameo_lexicon.py"), "--output", str(out)], check=True, capture_output=True)
    assert out.read_text(encoding="utf-8") == GENERATED.read_text(encoding="utf-8")


def test_english_patterns_include_the_generated_lexicon():
    import unicodedata
    from datetime import date

    import yaml

    from steppe.analyse.events.code import code_events
    from steppe.analyse.events.lexicon import load_patterns
    from steppe.analyse.names.mentions import find_mentions
    from steppe.analyse.sentences import split_sentences

    assert "en_cameo.yaml" in yaml.safe_load((GENERATED.parent / "en.yaml").read_text(encoding="utf-8"))["include"]
    written = sum(len(t["forms"]) for t in yaml.safe_load(GENERATED.read_text(encoding="utf-8"))["triggers"])
    assert sum(t.included for t in load_patterns("en").triggers) == written  # every generated form passed validation
    # "ambush" has no hand-written pattern: the event comes from CAMEO.2.0's "- * CONVOY [190] # AMBUSH".
    text = unicodedata.normalize("NFC", "Russian troops ambushed a Ukrainian convoy near Kharkiv on Monday.")
    sentences = split_sentences(text, "en")
    events = code_events(text, "en", date(2025, 3, 3), sentences, find_mentions(text, "en", date(2025, 3, 3), sentences))
    assert [(e.cameo_code, e.trigger) for e in events] == [("190", "ambushed a Ukrainian convoy")]
