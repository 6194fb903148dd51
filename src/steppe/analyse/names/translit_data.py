"""data/translit.yaml, read and checked: the schemes' tables, the schemes names
are written in by language, and the tables that read Latin back into Cyrillic.

Its `fold` section, the rules of the folding key, is steppe.text's. A mistake
in the file is reported with where it is, when the file is first read, rather
than met later as a wrong transliteration.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import iuliia

from steppe.text import (
    KAZAKH_LETTERS,
    RUSSIAN_LETTERS,
    expect_keys,
    expect_strings,
    translit_file,
)

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


@dataclass(frozen=True)
class TranslitData:
    schemes: Mapping[str, Mapping]
    name_schemes: Mapping[str, tuple[str, ...]]
    reverse: Mapping[str, Mapping[str, str]]


@functools.cache
def translit_data() -> TranslitData:
    """data/translit.yaml, validated (but for its `fold` section, which steppe.text reads)."""
    data = translit_file()
    expect_keys(data, {"classes", "kazakh_as_russian", "schemes", "name_schemes", "reverse", "fold"}, "the file")
    classes = data["classes"]
    expect_keys(classes, {"vowel", "consonant", "sibilant", "sign"}, "classes")
    expect_strings(classes, "classes")
    expect_strings(data["kazakh_as_russian"], "kazakh_as_russian")
    schemes = data["schemes"]
    expect_keys(schemes, set(SCHEMES), "schemes")
    checked = {name: _checked_scheme(name, spec, classes) for name, spec in schemes.items()}

    name_schemes = data["name_schemes"]
    expect_keys(name_schemes, set(LANGUAGES), "name_schemes")
    for language, names in name_schemes.items():
        unknown = [name for name in names if name not in SCHEMES]
        if unknown or len(set(names)) != len(names):
            raise ValueError(f"{_DATA_FILE}: name_schemes.{language}: unknown or repeated schemes in {names}")

    reverse = data["reverse"]
    expect_keys(reverse, set(LANGUAGES), "reverse")
    for language, table in reverse.items():
        expect_strings(table, f"reverse.{language}")

    return TranslitData(
        schemes=MappingProxyType(checked),
        name_schemes=MappingProxyType({lang: tuple(names) for lang, names in name_schemes.items()}),
        # Kazakh reads everything Russian does, and its own letters.
        reverse=MappingProxyType({"ru": reverse["ru"], "kk": {**reverse["ru"], **reverse["kk"]}}),
    )


_SCHEME_KEYS = {"description", "base", "letters", "after", "before", "ending", "upper", "kk"}


def _checked_scheme(name: str, spec: object, classes: Mapping[str, str]) -> Mapping:
    """One scheme's tables, validated, with the {class} and ^ shorthands of the context keys expanded.

    Every Russian and Kazakh letter must have a value, from the iuliia base table or from `letters`.
    """
    where = f"schemes.{name}"
    expect_keys(spec, _SCHEME_KEYS, where, all_required=False)
    if not isinstance(spec.get("description"), str):
        raise ValueError(f"{_DATA_FILE}: {where}: a description is required")
    table: dict[str, object] = {}
    base_letters: Mapping[str, str] = {}
    if "base" in spec:
        if not iuliia.schemas.has(spec["base"]):
            raise ValueError(f"{_DATA_FILE}: {where}.base: iuliia has no scheme {spec['base']!r}")
        table["base"] = spec["base"]
        base_letters = iuliia_table(spec["base"])["mapping"] or {}
    for key in ("letters", "upper"):
        expect_strings(spec.get(key, {}), f"{where}.{key}")
        table[key] = MappingProxyType(dict(spec.get(key, {})))
    for letter in table["letters"]:
        if len(letter) != 1 or letter not in RUSSIAN_LETTERS + KAZAKH_LETTERS:
            raise ValueError(f"{_DATA_FILE}: {where}.letters: {letter!r} is not a Russian or Kazakh lower-case letter")
    missing = sorted(set(RUSSIAN_LETTERS + KAZAKH_LETTERS) - set(base_letters) - set(table["letters"]))
    if missing:
        raise ValueError(f"{_DATA_FILE}: {where}: no value for the letters {''.join(missing)}")
    for key in ("after", "before", "ending"):
        context = spec.get(key, {})
        expect_strings(context, f"{where}.{key}")
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
def iuliia_table(name: str) -> Mapping[str, Mapping[str, str] | None]:
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
