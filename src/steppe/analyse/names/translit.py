"""Transliteration of Russian and Kazakh Cyrillic, and the folding key that
matches one name across its spellings and scripts.

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

The folding key (`fold`) maps the spellings of one name onto one string:
Toqaev, Tokayev, Tokaev, Tokaiev, Токаев and Тоқаев all fold to "tokaev". Its
steps and every rule, with the reason for it, are in data/translit.yaml
under `fold`. `fold_with_offsets` also says where each folded character came
from, to find names in long documents and report them in the original text.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

import iuliia
import yaml
from anyascii import anyascii
from iuliia.schema import TranslitSchema

SCHEMES: tuple[str, ...] = (
    "bgn_pcgn",
    "iso9",
    "gost_7_79_b",
    "icao_passport",
    "kazakh_latin_2021",
    "kazakh_latin_2018",
    "press_pt",
    "press_es",
    "press_en",
    "simple",
)
LANGUAGES: tuple[str, ...] = ("ru", "kk")  # ISO 639-1 codes of the Cyrillic text transliterate() reads

_DATA_FILE = "data/translit.yaml"
_RUSSIAN_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_KAZAKH_LETTERS = "әғқңөұүһі"
# Cyrillic and Cyrillic Supplement: the letters of Russian, Kazakh and their neighbours.
_CYRILLIC = "\u0400-\u052f"
# A run of Cyrillic letters with the combining marks on them (a stress mark
# on a vowel, a decomposed й or ё), which is what the schemes transliterate.
_CYRILLIC_RUN = re.compile(f"[{_CYRILLIC}][{_CYRILLIC}\u0300-\u036f]*")
# Stress marks (acute, grave) on Cyrillic vowels show pronunciation, as in
# Russian Wikipedia's "Влади́мир Пу́тин"; no scheme writes them.
_STRESS_MARKS = str.maketrans("", "", "\u0300\u0301")
_KEY_LETTERS = frozenset("abcdefghijklmnoprstuvz")  # the letters of a folded key: no q, w, x or y
# Applied to every ASCII letter in step 3 of the folding key: y, q and w
# have one spelling each in the key (Kasym = Qasym, Tokayev, Berdimuhamedow).
# x -> ks is a latin rule instead, so that x keeps its one character there
# and Latin text needs no offset bookkeeping in step 3.
_ASCII_TO_KEY = str.maketrans({"y": "i", "q": "k", "w": "v"})
# The latin rules end in at most a few passes; this only bounds a data error.
_MAX_RULE_PASSES = 16


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
    for scheme in _translit_data().name_schemes[_checked_language(language)]:
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
    table = _translit_data().reverse[_checked_language(language)]
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
    return [result] if fold(result) == fold(text) else []


def script_of(text: str) -> str:
    """ISO 15924 code of the script of `text`'s letters: "Latn", "Cyrl", or "Zyyy"
    when they mix scripts, are of another script, or there are none."""
    scripts: set[str] = set()
    for char in text:
        if not char.isalpha() or unicodedata.category(char) == "Lm":
            continue  # modifier letters (ʹ ʺ ʼ) belong to no one script
        name = unicodedata.name(char, "")
        if name.startswith(("LATIN", "FULLWIDTH LATIN")):
            scripts.add("Latn")
        elif name.startswith("CYRILLIC"):
            scripts.add("Cyrl")
        else:
            return "Zyyy"
        if len(scripts) > 1:
            return "Zyyy"
    return scripts.pop() if scripts else "Zyyy"


@dataclass(frozen=True)
class _Scheme:
    """One scheme for one language: the iuliia engine over its table, plus casing."""

    engine: TranslitSchema
    upper: Mapping[str, str]  # capitals Python's str.upper() gets wrong for this scheme

    def convert(self, run: str) -> str:
        # The engine reads lower case only: its own casing of a word in
        # capitals is wrong (ЩУКИН -> ShchUKIN, ТОКАЕВ -> TOKAYeV), so each
        # stretch of one case is converted in lower case and recased here.
        run = unicodedata.normalize("NFC", run).translate(_STRESS_MARKS)
        return "".join(self._convert_cased(piece) for piece in _case_pieces(run))

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
    spec = _translit_data().schemes[name]
    table = spec.get("kk", spec) if _checked_language(language) == "kk" else spec
    base = _iuliia_table(table["base"]) if "base" in table else {}
    engine = TranslitSchema(
        name=f"steppe-{name}-{language}",
        mapping={**(base.get("mapping") or {}), **table["letters"]},
        prev_mapping={**(base.get("prev_mapping") or {}), **table["after"]},
        next_mapping={**(base.get("next_mapping") or {}), **table["before"]},
        ending_mapping={**(base.get("ending_mapping") or {}), **table["ending"]},
    )
    return _Scheme(engine=engine, upper=table["upper"])


@functools.cache
def _iuliia_table(name: str) -> Mapping[str, Mapping[str, str] | None]:
    """iuliia's definition of one of its schemes (its JSON file), with its Cyrillic ё corrected.

    iuliia 0.13 writes the Cyrillic letter ё where its tables mean the Latin ë
    (bgn_pcgn gives "Yёlkina", gost_779 "ё"): BGN/PCGN and ISO 9 both have ë.
    """
    path = iuliia.schemas.get(name).path
    definition = json.loads(path.read_text(encoding="utf-8"))
    return {
        key: None if definition.get(key) is None else {k: v.replace("ё", "ë") for k, v in definition[key].items()}
        for key in ("mapping", "prev_mapping", "next_mapping", "ending_mapping")
    }


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


# --- The folding key ---------------------------------------------------------------


def fold(text: str) -> str:
    """The folding key of `text`: lower-case Latin in which the spellings of
    one name coincide, whatever the script (Тоқаев, Toqaev, TOKAYEV -> tokaev).

    Never raises; fold(fold(x)) == fold(x). The rules are in data/translit.yaml.
    """
    return _fold(text, track_offsets=False)[0]


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """fold(text), and for each folded character the index in `text` of the
    character it came from.

    The offsets are non-decreasing; a character that folds to several (ш ->
    sh) gives each of them its index, and characters merged into one (the ss
    of Kassym, the iy of Dmitriy) give it the index of the first. To turn a
    match in the folded text back into a span of `text`, use source_span().
    """
    folded, offsets = _fold(text, track_offsets=True)
    assert offsets is not None
    return folded, offsets


def source_span(text: str, offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """The span of `text` that the folded characters [start, end) came from.

    `offsets` is fold_with_offsets(text)[1]. The span runs to the next folded
    character's source (so it keeps what folded to nothing: the y of
    Dmitriy, the ь of Путь), less trailing characters that folded to spaces
    (the period of "Tokayev.").
    """
    if not 0 <= start < end <= len(offsets):
        raise ValueError(f"span [{start}, {end}) is not within the {len(offsets)} folded characters")
    begin, last = offsets[start], offsets[end - 1]
    stop = offsets[end] if end < len(offsets) else len(text)
    chars = _folding().chars
    while stop > last + 1 and chars[ord(text[stop - 1])] == " ":
        stop -= 1
    return begin, max(stop, last + 1)


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    replace: str | Callable[[re.Match[str]], str]  # a re.sub template, or a function of the match
    when: frozenset[str] | None = None  # the rule can only match text holding one of these

    def may_apply(self, text: str) -> bool:
        return self.when is None or any(char in text for char in self.when)

    @functools.cached_property
    def render(self) -> Callable[[re.Match[str]], str]:
        """The replacement for one match: Match.expand() parses its template on every call."""
        if callable(self.replace):
            return self.replace
        group = re.fullmatch(r"\\(\d)", self.replace)
        if group:
            number = int(group[1])
            return lambda match: match.group(number)
        if "\\" in self.replace:
            return lambda match: match.expand(self.replace)
        return lambda match: self.replace


class _CharTable(dict[int, str]):
    """A str.translate table that works a character's value out on first use.

    Unicode is too large to tabulate up front; a text only ever holds a few
    hundred distinct characters, each computed once.
    """

    def __init__(self, compute: Callable[[str], str]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, codepoint: int) -> str:
        value = self._compute(chr(codepoint))
        self[codepoint] = value
        return value


class _Folding:
    """The compiled folding key: step 3's character tables and the rules of steps 2 and 4."""

    def __init__(
        self,
        cyrillic_rules: list[_Rule],
        cyrillic: Mapping[str, str],
        latin: Mapping[str, str],
        deleted: frozenset[str],
        latin_rules: list[_Rule],
    ) -> None:
        self.cyrillic_rules = cyrillic_rules
        self.latin_rules = latin_rules
        self._cyrillic = cyrillic
        self._latin = latin
        self._deleted = deleted
        self.chars = _CharTable(self._char_value)
        # The characters seen so far whose value is not one character long
        # (ш sh, ь nothing): a text with none of them keeps its offsets
        # through step 3, and one with some needs work only where they are.
        # Replaced, never changed in place, so that threads folding at the
        # same time each read a consistent pair; the lock keeps two threads
        # from losing each other's additions.
        self._uneven: tuple[frozenset[str], re.Pattern[str]] = (frozenset(), re.compile("(?!)"))
        self._uneven_lock = threading.Lock()

    def _char_value(self, char: str) -> str:
        value = self._fold_char(char)
        if len(value) != 1:
            with self._uneven_lock:
                uneven = self._uneven[0] | {char}
                self._uneven = (uneven, re.compile(f"[{re.escape(''.join(sorted(uneven)))}]+"))
        return value

    def uneven_runs(self, text: str) -> Iterable[re.Match[str]]:
        """The runs of characters of `text` whose folded value is not one character long."""
        uneven, runs = self._uneven
        if not any(char in text for char in uneven):  # quick: most Latin texts have none
            return ()
        return runs.finditer(text)

    def _fold_char(self, char: str) -> str:
        lower = char.lower() if len(char.lower()) == 1 else char
        if lower in self._cyrillic:
            return self._cyrillic[lower]
        if lower in self._latin:
            return self._latin[lower]
        if char in self._deleted:
            return ""
        category = unicodedata.category(char)
        if category[0] == "M":  # diacritics, once decomposed
            return ""
        if category == "Cf":  # invisible: zero-width (joiners, spaces), soft hyphen, bidi controls
            return ""
        if category[0] in "ZPSC":  # spaces, punctuation, symbols, controls
            return " "
        # Compatibility forms first, composed (ǅ -> Dž keeps its ž, ﬁ -> fi,
        # １ -> 1); then the canonical decomposition, whose marks vanish.
        for form in ("NFKC", "NFD"):
            normalized = unicodedata.normalize(form, char)
            if normalized != char:
                return "".join(map(self._fold_char, normalized))
        if lower != char:
            return self._fold_char(lower)
        if char.isascii():
            return char.translate(_ASCII_TO_KEY)
        if category == "Nd":
            return str(unicodedata.decimal(char))
        if unicodedata.name(char, "").startswith(("LATIN", "CYRILLIC")):
            return "".join(map(self._fold_char, anyascii(char)))  # ø, ł, ŋ, Komi ԁ...
        return char  # letters of other scripts stay, in lower case


# Step 1: a letter with combining marks after it, composed.
_COMPOSE = _Rule(
    pattern=re.compile(r"[^\W\d_][\u0300-\u036f]+"),
    replace=lambda match: unicodedata.normalize("NFC", match.group()),
)
_SPACES = _Rule(pattern=re.compile("  +"), replace=" ")


def _fold(text: str, *, track_offsets: bool) -> tuple[str, list[int] | None]:
    folding = _folding()
    offsets: list[int] | None = list(range(len(text))) if track_offsets else None
    if not unicodedata.is_normalized("NFC", text):
        text, offsets, _ = _substitute(_COMPOSE, text, offsets)
    for rule in folding.cyrillic_rules:
        if rule.may_apply(text):
            text, offsets, _ = _substitute(rule, text, offsets)
    text, offsets = _fold_chars(folding, text, offsets)
    for _ in range(_MAX_RULE_PASSES):
        changes = 0
        for rule in folding.latin_rules:
            text, offsets, count = _substitute(rule, text, offsets)
            changes += count
        if not changes:
            break
    text, offsets, _ = _substitute(_SPACES, text, offsets)
    start, end = len(text) - len(text.lstrip(" ")), len(text.rstrip(" "))
    return text[start:end], None if offsets is None else offsets[start:end]


def _fold_chars(folding: _Folding, text: str, offsets: list[int] | None) -> tuple[str, list[int] | None]:
    """Step 3: every character on its own, through str.translate."""
    folded = text.translate(folding.chars)
    if offsets is None:
        return folded, None
    chars = folding.chars
    out: list[int] = []
    done = 0
    for run in folding.uneven_runs(text):
        start, end = run.span()
        out += offsets[done:start]
        for i in range(start, end):
            out += [offsets[i]] * len(chars[ord(text[i])])
        done = end
    if not done:
        return folded, offsets
    out += offsets[done:]
    return folded, out


def _substitute(rule: _Rule, text: str, offsets: list[int] | None) -> tuple[str, list[int] | None, int]:
    """rule.pattern.subn(rule.replace, text), carrying the offsets along when there are any.

    A replacement's characters take the offsets of the matched characters
    from the left (a contraction keeps the first: the s of ss, the i of ie),
    and the last matched one's if it is longer.
    """
    if offsets is None:
        text, count = rule.pattern.subn(rule.replace, text)
        return text, None, count
    render = rule.render
    out_text: list[str] = []
    out_offsets: list[int] = []
    done = count = 0
    for match in rule.pattern.finditer(text):
        start, end = match.span()
        new = render(match)
        out_text.append(text[done:start])
        out_text.append(new)
        out_offsets += offsets[done:start]
        out_offsets += offsets[start : start + min(len(new), end - start)]
        if len(new) > end - start:
            out_offsets += [offsets[end - 1]] * (len(new) - (end - start))
        done = end
        count += 1
    if not count:
        return text, offsets, 0
    out_text.append(text[done:])
    out_offsets += offsets[done:]
    return "".join(out_text), out_offsets, count


# --- Data --------------------------------------------------------------------------


@dataclass(frozen=True)
class _TranslitData:
    schemes: Mapping[str, Mapping]
    name_schemes: Mapping[str, tuple[str, ...]]
    reverse: Mapping[str, Mapping[str, str]]
    fold: Mapping


@functools.cache
def _translit_data() -> _TranslitData:
    """data/translit.yaml, validated."""
    source = resources.files("steppe").joinpath(_DATA_FILE)
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    _expect_keys(data, {"classes", "kazakh_as_russian", "schemes", "name_schemes", "reverse", "fold"}, "the file")
    classes = data["classes"]
    _expect_keys(classes, {"vowel", "consonant", "sibilant", "sign"}, "classes")
    _expect_strings(classes, "classes")
    _expect_strings(data["kazakh_as_russian"], "kazakh_as_russian")
    schemes = data["schemes"]
    _expect_keys(schemes, set(SCHEMES), "schemes")
    checked = {name: _checked_scheme(name, spec, classes) for name, spec in schemes.items()}

    name_schemes = data["name_schemes"]
    _expect_keys(name_schemes, set(LANGUAGES), "name_schemes")
    for language, names in name_schemes.items():
        unknown = [name for name in names if name not in SCHEMES]
        if unknown or len(set(names)) != len(names):
            raise ValueError(f"{_DATA_FILE}: name_schemes.{language}: unknown or repeated schemes in {names}")

    reverse = data["reverse"]
    _expect_keys(reverse, set(LANGUAGES), "reverse")
    for language, table in reverse.items():
        _expect_strings(table, f"reverse.{language}")

    return _TranslitData(
        schemes=MappingProxyType(checked),
        name_schemes=MappingProxyType({lang: tuple(names) for lang, names in name_schemes.items()}),
        # Kazakh reads everything Russian does, and its own letters.
        reverse=MappingProxyType({"ru": reverse["ru"], "kk": {**reverse["ru"], **reverse["kk"]}}),
        fold=MappingProxyType(data["fold"]),
    )


_SCHEME_KEYS = {"description", "base", "letters", "after", "before", "ending", "upper", "kk"}


def _checked_scheme(name: str, spec: object, classes: Mapping[str, str]) -> Mapping:
    """One scheme's tables, validated, with the {class} and ^ shorthands of the context keys expanded.

    Every Russian and Kazakh letter must have a value, from the iuliia base table or from `letters`.
    """
    where = f"schemes.{name}"
    _expect_keys(spec, _SCHEME_KEYS, where, all_required=False)
    if not isinstance(spec.get("description"), str):
        raise ValueError(f"{_DATA_FILE}: {where}: a description is required")
    table: dict[str, object] = {}
    base_letters: Mapping[str, str] = {}
    if "base" in spec:
        if not iuliia.schemas.has(spec["base"]):
            raise ValueError(f"{_DATA_FILE}: {where}.base: iuliia has no scheme {spec['base']!r}")
        table["base"] = spec["base"]
        base_letters = _iuliia_table(spec["base"])["mapping"] or {}
    for key in ("letters", "upper"):
        _expect_strings(spec.get(key, {}), f"{where}.{key}")
        table[key] = MappingProxyType(dict(spec.get(key, {})))
    for letter in table["letters"]:
        if len(letter) != 1 or letter not in _RUSSIAN_LETTERS + _KAZAKH_LETTERS:
            raise ValueError(f"{_DATA_FILE}: {where}.letters: {letter!r} is not a Russian or Kazakh lower-case letter")
    missing = sorted(set(_RUSSIAN_LETTERS + _KAZAKH_LETTERS) - set(base_letters) - set(table["letters"]))
    if missing:
        raise ValueError(f"{_DATA_FILE}: {where}: no value for the letters {''.join(missing)}")
    for key in ("after", "before", "ending"):
        context = spec.get(key, {})
        _expect_strings(context, f"{where}.{key}")
        table[key] = {pair: value for pattern, value in context.items() for pair in _expand(pattern, classes, where)}
    if "kk" in spec:
        table["kk"] = _checked_scheme(f"{name}.kk", {"description": spec["description"], **spec["kk"]}, classes)
    return MappingProxyType(table)


def _expand(pattern: str, classes: Mapping[str, str], where: str) -> list[str]:
    """A context key's letter pairs: "{vowel}е" is one pair per vowel; "^е" is
    е at the start of a word, which the iuliia engine writes as the lone letter."""
    if pattern.startswith("^"):
        return [pattern[1:]]
    found = re.fullmatch(r"\{(\w+)\}(.)", pattern)
    if found:
        if found[1] not in classes:
            raise ValueError(f"{_DATA_FILE}: {where}: unknown letter class {found[1]!r} in {pattern!r}")
        return [letter + found[2] for letter in classes[found[1]]]
    if len(pattern) != 2:
        raise ValueError(
            f"{_DATA_FILE}: {where}: {pattern!r} must be two letters, ^ and a letter, or {{class}} and a letter"
        )
    return [pattern]


@functools.cache
def _folding() -> _Folding:
    """The `fold` section of data/translit.yaml, validated and compiled."""
    spec = _translit_data().fold
    _expect_keys(spec, {"cyrillic_rules", "cyrillic", "latin", "deleted", "latin_rules"}, "fold")
    for table in ("cyrillic", "latin"):
        _expect_strings(spec[table], f"fold.{table}")
        for char, value in spec[table].items():
            if len(char) != 1 or char != char.lower() or not set(value) <= _KEY_LETTERS:
                raise ValueError(
                    f"{_DATA_FILE}: fold.{table}: {char!r}: {value!r} must map one lower-case letter"
                    f" to letters of the key ({''.join(sorted(_KEY_LETTERS))})"
                )
    missing = sorted(set(_RUSSIAN_LETTERS + _KAZAKH_LETTERS) - set(spec["cyrillic"]))
    if missing:
        raise ValueError(f"{_DATA_FILE}: fold.cyrillic has no value for {''.join(missing)}")
    if not all(isinstance(char, str) and len(char) == 1 for char in spec["deleted"]):
        raise ValueError(f"{_DATA_FILE}: fold.deleted must list single characters")
    return _Folding(
        cyrillic_rules=_compiled_rules(spec["cyrillic_rules"], "fold.cyrillic_rules", re.IGNORECASE, when=True),
        cyrillic=MappingProxyType(spec["cyrillic"]),
        latin=MappingProxyType(spec["latin"]),
        deleted=frozenset(spec["deleted"]),
        latin_rules=_compiled_rules(spec["latin_rules"], "fold.latin_rules", 0),
    )


def _compiled_rules(rules: object, where: str, flags: int, *, when: bool = False) -> list[_Rule]:
    if not isinstance(rules, list):
        raise ValueError(f"{_DATA_FILE}: {where}: expected a list of rules")
    compiled = []
    for number, rule in enumerate(rules, start=1):
        _expect_keys(rule, {"match", "replace", "why"} | ({"when"} if when else set()), f"{where}[{number}]")
        if not all(isinstance(rule[key], str) for key in rule):
            raise ValueError(f"{_DATA_FILE}: {where}[{number}]: every field must be a string")
        try:
            pattern = re.compile(rule["match"], flags)
        except re.error as error:
            raise ValueError(f"{_DATA_FILE}: {where}[{number}]: bad pattern {rule['match']!r}: {error}") from error
        if pattern.match(""):
            raise ValueError(f"{_DATA_FILE}: {where}[{number}]: {rule['match']!r} matches the empty string")
        triggers = frozenset(rule["when"] + rule["when"].upper()) if when else None
        compiled.append(_Rule(pattern=pattern, replace=rule["replace"], when=triggers))
    return compiled


def _expect_keys(value: object, keys: set[str], where: str, *, all_required: bool = True) -> None:
    if not isinstance(value, Mapping):
        raise ValueError(f"{_DATA_FILE}: {where}: expected a mapping, found {type(value).__name__}")
    unknown = set(value) - keys
    missing = keys - set(value) if all_required else set()
    if unknown or missing:
        raise ValueError(
            f"{_DATA_FILE}: {where}: unexpected keys {sorted(map(str, unknown))}, missing keys {sorted(missing)}"
        )


def _expect_strings(table: object, where: str) -> None:
    if not isinstance(table, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
        raise ValueError(f"{_DATA_FILE}: {where}: expected a mapping of strings to strings")
