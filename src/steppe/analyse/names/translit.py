"""Transliteration of Russian and Kazakh Cyrillic into Latin letters, and back.

Schemes (`SCHEMES`; tables and sources in data/translit.yaml):

    bgn_pcgn           BGN/PCGN; Kazakh text: BGN/PCGN 1979 Kazakh   Токаев -> Tokayev, Тоқаев (kk) -> Toqaev
    iso9               ISO 9:1995 = GOST 7.79 System A               Щукин -> Ŝukin
    gost_7_79_b        GOST 7.79 System B (ASCII)                    Щукин -> Shhukin
    icao_passport      ICAO Doc 9303 (passports)                     Токаев -> Tokaev
    kazakh_latin_2021  Kazakh Latin alphabet of 2021                 Тоқаев -> Toqaev, Нұр-Сұлтан -> Nūr-Sūltan
    kazakh_latin_2018  Kazakh Latin alphabet of 2018                 Республикасы -> Respýblıkasy
    press_pt           Portuguese press (Lusa, Público, Folha)       Горбачёв -> Gorbatchov, Токаев -> Tokaiev
    press_es           Spanish press (EFE, El País), no accents      Хрущёв -> Jruschov, Токаев -> Tokayev
    press_en           English press (Wikipedia's BGN/PCGN)          Зеленский -> Zelensky
    simple             letter for letter, ASCII (MVD 310, no marks)  Токаев -> Tokaev

The Russian tables of the first four, press_en and simple come from iuliia;
data/translit.yaml adds the Kazakh letters (which iuliia leaves untouched)
and writes the schemes no library has.

The tables are read and checked by steppe.analyse.names.translit_data. The
folding key that matches one name across its spellings and scripts
(Toqaev, Tokayev, Токаев -> "tokaev") is steppe.text.fold(text, key=True).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from iuliia.schema import TranslitSchema

from steppe.analyse.names.translit_data import (
    LANGUAGES,
    SCHEMES,
    iuliia_table,
    translit_data,
)
from steppe.text import fold

# Cyrillic and Cyrillic Supplement: the letters of Russian, Kazakh and their neighbours.
_CYRILLIC = "\u0400-\u052f"
# A run of Cyrillic letters with the combining marks on them (a stress mark
# on a vowel, a decomposed й or ё), which is what the schemes transliterate.
_CYRILLIC_RUN = re.compile(f"[{_CYRILLIC}][{_CYRILLIC}\u0300-\u036f]*")
# Stress marks (acute, grave) on Cyrillic vowels show pronunciation, as in
# Russian Wikipedia's "Влади́мир Пу́тин"; no scheme writes them.
_STRESS_MARKS = str.maketrans("", "", "\u0300\u0301")


# --- Transliteration ---------------------------------------------------------------


def transliterate(text: str, scheme: str, language: str = "ru") -> str:
    """`text` with its Cyrillic written in Latin letters under `scheme`.

    `language` is "ru" or "kk": Kazakh text takes the scheme's Kazakh system
    where it has one (bgn_pcgn); the Kazakh letters ә ғ қ ң ө ұ ү һ і are
    transliterated in every scheme and language. Everything that is not
    Cyrillic passes through unchanged. Case follows the Cyrillic: Жомарт ->
    Zhomart, ЖОМАРТ -> ZHOMART. Stress marks on Cyrillic vowels are dropped.
    """
    converter = _scheme(scheme, language)
    return _CYRILLIC_RUN.sub(lambda run: converter.convert(run.group()), text)


def latin_forms(text: str, language: str) -> dict[str, str]:
    """The distinct Latin forms of a Cyrillic name under the schemes news uses, by scheme.

    The schemes, in order, are `name_schemes` in data/translit.yaml; a form
    two schemes share is listed once, under the first. latin_forms("Тоқаев",
    "kk") gives Tokayev (press_en), Toqaev (kazakh_latin_2021), Tokaev
    (simple) and Tokaiev (press_pt). Personal spellings (Kassym-Jomart) and
    stress accents (Tokáyev) cannot be generated and belong in the registry.
    """
    forms: dict[str, str] = {}
    for scheme in translit_data().name_schemes[_checked_language(language)]:
        form = transliterate(text, scheme, language)
        if form not in forms.values():
            forms[scheme] = form
    return forms


def cyrillic_forms(text: str, language: str = "ru") -> list[str]:
    """The Cyrillic spelling of a Latin name, where reading it back is unambiguous: [] otherwise.

    Reverses the simple and BGN/PCGN schemes ("Rosatom" -> "Росатом",
    "Tokayev" -> "Токаев"); for Kazakh also the 2021 alphabet ("Toqaev" ->
    "Тоқаев"). Ambiguous and so []: a letter the schemes do not write (c, h,
    w; j and q in Russian), e after a vowel or at the start of a Russian word
    (е or э: Tokaev, Aeroflot), y ending a Russian word after a consonant (ы
    or ый: Almaty, Navalny). A soft sign the Latin dropped (Rosneft for
    Роснефть) cannot be seen and is not restored. The answer is kept only if
    it folds to the key of `text`.
    """
    table = translit_data().reverse[_checked_language(language)]
    text = unicodedata.normalize("NFC", text)
    if script_of(text) != "Latn":
        return []
    parts: list[str] = []
    position = 0
    for word in _LATIN_WORD.finditer(text):
        cyrillic = _reverse_word(word.group(), table, language)
        if cyrillic is None:
            return []
        parts += [text[position : word.start()], cyrillic]
        position = word.end()
    parts.append(text[position:])
    result = "".join(parts)
    return [result] if fold(result, key=True) == fold(text, key=True) else []


def script_of(text: str) -> str:
    """ISO 15924 code of the script of `text`'s letters: "Latn", "Cyrl", or "Zyyy"
    when they mix scripts, are of another script, or there are none."""
    if text.isascii():  # its letters, if any, are Latin
        return "Latn" if _ASCII_LETTER.search(text) else "Zyyy"
    scripts: set[str] = set()
    for char in text:
        script = _char_script(char)
        if script is None:
            continue
        if script == "Zyyy":
            return "Zyyy"
        scripts.add(script)
        if len(scripts) > 1:
            return "Zyyy"
    return scripts.pop() if scripts else "Zyyy"


_ASCII_LETTER = re.compile("[A-Za-z]")


@functools.lru_cache(maxsize=4096)
def _char_script(char: str) -> str | None:
    """The script of one character for `script_of`: "Latn", "Cyrl", "Zyyy" for a letter of
    another script, or None for no letter (modifier letters ʹ ʺ ʼ belong to no one script)."""
    if not char.isalpha() or unicodedata.category(char) == "Lm":
        return None
    name = unicodedata.name(char, "")
    if name.startswith(("LATIN", "FULLWIDTH LATIN")):
        return "Latn"
    if name.startswith("CYRILLIC"):
        return "Cyrl"
    return "Zyyy"


CONVERTED_RUNS = 100_000  # Cyrillic runs kept converted per scheme


@dataclass(frozen=True)
class _Scheme:
    """One scheme for one language: the iuliia engine over its table, plus casing."""

    engine: TranslitSchema
    upper: Mapping[str, str]  # capitals Python's str.upper() gets wrong for this scheme
    # Run -> its Latin form, for the runs met so far: names share many words.
    converted: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def convert(self, run: str) -> str:
        latin = self.converted.get(run)
        if latin is None:
            # The engine reads lower case only: its own casing of a word in
            # capitals is wrong (ЩУКИН -> ShchUKIN, ТОКАЕВ -> TOKAYeV), so each
            # stretch of one case is converted in lower case and recased here.
            cleaned = unicodedata.normalize("NFC", run).translate(_STRESS_MARKS)
            latin = "".join(self._convert_cased(piece) for piece in _case_pieces(cleaned))
            if len(self.converted) < CONVERTED_RUNS:
                self.converted[run] = latin
        return latin

    def _convert_cased(self, piece: str) -> str:
        latin = self.engine.translate(piece.lower())
        if piece.islower() or not latin:
            return latin
        if len(piece) > 1 and piece.isupper():
            return self._upper(latin)
        return self._upper(latin[0]) + latin[1:]

    def _upper(self, latin: str) -> str:
        return "".join(self.upper.get(char, char.upper()) for char in latin)


def _case_pieces(run: str) -> list[str]:
    """`run` cut before each capital that follows a small letter (КазМунайГаз -> Каз, Мунай, Газ)."""
    cuts = [i for i in range(1, len(run)) if run[i].isupper() and run[i - 1].islower()]
    return [run[start:end] for start, end in zip([0, *cuts], [*cuts, len(run)], strict=True)]


@functools.cache
def _scheme(name: str, language: str) -> _Scheme:
    if name not in SCHEMES:
        raise ValueError(f"unknown transliteration scheme {name!r}; expected one of {SCHEMES}")
    spec = translit_data().schemes[name]
    table = spec.get("kk", spec) if _checked_language(language) == "kk" else spec
    base = iuliia_table(table["base"]) if "base" in table else {}
    engine = TranslitSchema(
        name=f"steppe-{name}-{language}",
        mapping={**(base.get("mapping") or {}), **table["letters"]},
        prev_mapping={**(base.get("prev_mapping") or {}), **table["after"]},
        next_mapping={**(base.get("next_mapping") or {}), **table["before"]},
        ending_mapping={**(base.get("ending_mapping") or {}), **table["ending"]},
    )
    return _Scheme(engine=engine, upper=table["upper"])




def _checked_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r} for transliteration; expected one of {LANGUAGES}")
    return language


# --- Reading Latin back into Cyrillic ----------------------------------------------

# A Latin word, with the primes BGN/PCGN and ISO 9 write inside words for ь and ъ.
_LATIN_WORD = re.compile(r"(?:[^\W\d_]|[ʹʺ])+")
_LATIN_VOWELS = frozenset("aeiouyäöüūı")


def _reverse_word(word: str, table: Mapping[str, str], language: str) -> str | None:
    """The Cyrillic of one Latin word, or None where the reading is ambiguous."""
    lower = word.lower()
    out: list[str] = []
    i = 0
    while i < len(lower):
        cyrillic, length = _reverse_at(lower, i, table, language)
        if cyrillic is None:
            return None
        if word[i].isupper():
            whole_word_in_capitals = len(word) > 1 and word.isupper()
            cyrillic = cyrillic.upper() if whole_word_in_capitals else cyrillic[0].upper() + cyrillic[1:]
        out.append(cyrillic)
        i += length
    return "".join(out)


def _reverse_at(word: str, i: int, table: Mapping[str, str], language: str) -> tuple[str | None, int]:
    """The Cyrillic for the Latin at word[i:], and how many Latin letters it reads."""
    rest = word[i:]
    previous = word[i - 1] if i else ""
    after_vowel = previous in _LATIN_VOWELS
    if rest in ("iy", "ii"):  # BGN -iy, ICAO -ii
        return "ий", 2
    if rest == "yy":
        return "ый", 2
    if rest == "i" and after_vowel:
        return "й", 1  # Alexei, Nikolai, Tolstoi (ICAO and the press write й as i)
    if rest == "y" and i and not after_vowel:
        if previous == "k":  # -sky, -tsky: -ский, -цкий (Russian has no -кы)
            return "ий", 1
        return ("ы", 1) if language == "kk" else (None, 1)  # Almaty, but Navalny is -ный
    if rest.startswith("tsk"):
        return None, 3  # тск (Bratsk) or цк (Trotsky)
    if rest.startswith("ye") and i and not after_vowel:
        return "ье", 2  # BGN writes е after a consonant as e, so ye there is ье (Yuryev)
    if rest.startswith("yi") and i and not after_vowel:
        return "ьи", 2  # Ilyich
    for length in (4, 3, 2):
        if rest[:length] in table:
            return table[rest[:length]], length
    letter = rest[0]
    if letter == "y":
        if after_vowel:
            return "й", 1  # Sergey, Tsoy
        return ("ы", 1) if i else (None, 1)
    if letter == "e" and language == "ru" and (not i or after_vowel):
        return None, 1  # е or э: Elena/Eduard, Tokaev/Aeroflot
    return table.get(letter), 1

