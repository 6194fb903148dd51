"""Text normalisation and folding: where steppe decides when two texts count as the same.

- `normalise_text`: an article as every stage reads it (no BOM, plain
  newlines, NFC), otherwise as written.
- `normalise_for_matching`: lower case with typographic variants made plain,
  the same length as the text, so that a pattern found in it is found at the
  same offsets in the text (names, roles, event and sector patterns).
- `fold`: a key under which variants of a word compare equal. Its options
  are the comparisons callers need:

      fold(text)                       casefolded, accents and compatibility
                                       forms dropped (language and month names)
      fold(text, dotless_i=True)       also Turkish/Kazakh Latin ı as i (dates)
      fold(text, keep_accents=True)    composed (NFC) and casefolded, accents
                                       kept (registry names, tie-breaks)
      fold(text, key=True)             the folding key of names, across
                                       spellings and scripts: Toqaev, Tokayev,
                                       Tokaev, Tokaiev, Токаев and Тоқаев all
                                       give "tokaev"
      fold(text, key=True, offsets=True)
                                       the folding key and, for each of its
                                       characters, where in `text` it came from
                                       (`source_span` turns a match back into a
                                       span of `text`)

The folding key's steps and every rule, with the reason for it, are in the
`fold` section of data/translit.yaml.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Literal, overload

from anyascii import anyascii

from steppe.datafiles import load_yaml

RUSSIAN_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
KAZAKH_LETTERS = "әғқңөұүһі"

_DATA_FILE = "data/translit.yaml"
_KEY_LETTERS = frozenset("abcdefghijklmnoprstuvz")  # the letters of a folded key: no q, w, x or y
# Applied to every ASCII letter in step 3 of the folding key: y, q and w
# have one spelling each in the key (Kasym = Qasym, Tokayev, Berdimuhamedow).
# x -> ks is a latin rule instead, so that x keeps its one character there
# and Latin text needs no offset bookkeeping in step 3.
_ASCII_TO_KEY = str.maketrans({"y": "i", "q": "k", "w": "v"})
# The latin rules end in at most a few passes; this only bounds a data error.
_MAX_RULE_PASSES = 16


# --- Normalisation ------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """Strip a leading BOM, turn \\r\\n and \\r into \\n, and compose to NFC.

    Nothing else is touched (no trimming, no whitespace folding), so the
    result is the article as written, in one canonical Unicode form.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


# Characters that stand for one another in names, mapped one to one so that
# offsets in the normalised text are offsets in the original.
_EQUIVALENTS = {
    **{ch: "-" for ch in "‐‑‒–—−"},
    **{ch: "'" for ch in "’‘ʼ`´"},
    "\u00a0": " ",
    "\u202f": " ",
    "ё": "е",
    "ı": "i",
}
_EQUIVALENT = re.compile("[" + "".join(_EQUIVALENTS) + "]")


def normalise_for_matching(text: str) -> str:
    """Lower case, with typographic hyphens, apostrophes and spaces made plain; same length as ``text``.

    str.lower() and a regular expression for the rare special characters run
    in C, several times faster than a per-character translation table.
    Accents are kept: a name written without them is met by the folding key.
    """
    low = text.lower()
    if len(low) != len(text):
        # A few characters lower to two (İ -> i̇): lower those one by one.
        low = "".join(c if len(c) == 1 else ch for ch, c in ((ch, ch.lower()) for ch in text))
    if _EQUIVALENT.search(low):
        low = _EQUIVALENT.sub(lambda m: _EQUIVALENTS[m.group()], low)
    return low


# --- Folding ------------------------------------------------------------------------


@overload
def fold(text: str, *, key: bool = ..., keep_accents: bool = ..., dotless_i: bool = ..., offsets: Literal[False] = ...) -> str: ...
@overload
def fold(text: str, *, key: Literal[True], offsets: Literal[True]) -> tuple[str, list[int]]: ...
def fold(
    text: str, *, key: bool = False, keep_accents: bool = False, dotless_i: bool = False, offsets: bool = False
) -> str | tuple[str, list[int]]:
    """`text` folded so that its variants compare equal; the options are in the module's docstring.

    Without `key`: casefolded, and unless `keep_accents`, decomposed (NFKD)
    with the combining marks dropped (ç -> c, ё -> е, º -> o); Kazakh
    letters such as қ, ә, ү have no decomposition and stay. `dotless_i` maps
    ı to i, which Unicode does not decompose.

    With `key`: the folding key, lower-case Latin in which the spellings of
    one name coincide, whatever the script (Тоқаев, Toqaev, TOKAYEV ->
    tokaev). Never raises; fold(fold(x, key=True), key=True) equals
    fold(x, key=True). With `offsets` as well, the key and for each of its
    characters the index in `text` of the character it came from. The
    offsets are non-decreasing; a character that folds to several (ш -> sh)
    gives each of them its index, and characters merged into one (the ss of
    Kassym, the iy of Dmitriy) give it the index of the first.
    """
    if key:
        if keep_accents or dotless_i:
            raise ValueError("the folding key drops accents and maps ı itself: keep_accents and dotless_i do not apply")
        folded, kept = _fold_key(text, track_offsets=offsets)
        if offsets:
            assert kept is not None
            return folded, kept
        return folded
    if offsets:
        raise ValueError("only the folding key (key=True) keeps offsets")
    if keep_accents:
        folded = unicodedata.normalize("NFC", text).casefold()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return folded.replace("ı", "i") if dotless_i else folded


# --- The folding key ----------------------------------------------------------------


def source_span(text: str, offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """The span of `text` that the folded characters [start, end) came from.

    `offsets` is fold(text, key=True, offsets=True)[1]. The span runs to the next folded
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


def _fold_key(text: str, *, track_offsets: bool) -> tuple[str, list[int] | None]:
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


# --- The folding key's rules --------------------------------------------------------


@functools.cache
def translit_file() -> Mapping:
    """data/translit.yaml, parsed once per process: its `fold` section is read here, the rest by
    steppe.analyse.names.translit_data (the transliteration schemes)."""
    source = resources.files("steppe").joinpath(_DATA_FILE)
    data = load_yaml(source.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping):
        raise ValueError(f"{_DATA_FILE}: expected a mapping, found {type(data).__name__}")
    return MappingProxyType(data)


def _fold_spec() -> Mapping:
    """The `fold` section of data/translit.yaml."""
    return translit_file().get("fold")


@functools.cache
def _folding() -> _Folding:
    """The `fold` section of data/translit.yaml, validated and compiled."""
    spec = _fold_spec()
    expect_keys(spec, {"cyrillic_rules", "cyrillic", "latin", "deleted", "latin_rules"}, "fold")
    for table in ("cyrillic", "latin"):
        expect_strings(spec[table], f"fold.{table}")
        for char, value in spec[table].items():
            if len(char) != 1 or char != char.lower() or not set(value) <= _KEY_LETTERS:
                raise ValueError(
                    f"{_DATA_FILE}: fold.{table}: {char!r}: {value!r} must map one lower-case letter"
                    f" to letters of the key ({''.join(sorted(_KEY_LETTERS))})"
                )
    missing = sorted(set(RUSSIAN_LETTERS + KAZAKH_LETTERS) - set(spec["cyrillic"]))
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
        expect_keys(rule, {"match", "replace", "why"} | ({"when"} if when else set()), f"{where}[{number}]")
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


def expect_keys(value: object, keys: set[str], where: str, *, all_required: bool = True) -> None:
    """Raise, naming data/translit.yaml and ``where``, unless ``value`` is a mapping with exactly ``keys``."""
    if not isinstance(value, Mapping):
        raise ValueError(f"{_DATA_FILE}: {where}: expected a mapping, found {type(value).__name__}")
    unknown = set(value) - keys
    missing = keys - set(value) if all_required else set()
    if unknown or missing:
        raise ValueError(
            f"{_DATA_FILE}: {where}: unexpected keys {sorted(map(str, unknown))}, missing keys {sorted(missing)}"
        )


def expect_strings(table: object, where: str) -> None:
    """Raise, naming data/translit.yaml and ``where``, unless ``table`` maps strings to strings."""
    if not isinstance(table, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
        raise ValueError(f"{_DATA_FILE}: {where}: expected a mapping of strings to strings")


# --- Where a sentence can end ---------------------------------------------------------------

# The characters str.splitlines() breaks on; all of them are whitespace, so
# stripping a span removes them.
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
# The marks a sentence can end with (steppe.analyse.sentences decides where one does).
SENTENCE_STOPS = ".!?…"
# Above every sentence of the Fake.br corpus (the longest has 5,971 characters).
MAX_SENTENCE_CHARS = 10_000
# A stretch of text with no line break and no stop: no sentence can end inside it,
# so it is (part of) one sentence.
_UNBROKEN_RUN = re.compile(rf"[^{LINE_BREAKS}{SENTENCE_STOPS}]++")


def longest_unbroken_run(text: str) -> tuple[int, int]:
    """(char_start, length) of the longest stretch of `text` in which no sentence can end.

    The sentence splitter ends sentences only at line breaks and at . ! ? …, so
    a stretch without any of them is never cut: its length is a lower bound
    on the length of the longest sentence, whatever the language. Linear in
    len(text). (0, 0) for a text made of breaks and stops only. A stretch longer
    than the sentence size limit is cut into pieces by the splitter.
    """
    best_start, best_length = 0, 0
    for run in _UNBROKEN_RUN.finditer(text):
        if run.end() - run.start() > best_length:
            best_start, best_length = run.start(), run.end() - run.start()
    return best_start, best_length
