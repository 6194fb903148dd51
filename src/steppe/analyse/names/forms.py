"""The forms a name takes in text beyond its curated spellings: Latin forms
generated from a Cyrillic name under the transliteration schemes news uses,
Russian case forms (Владимир Путин -> Владимиром Путиным) and hyphens written
as spaces.
"""

from __future__ import annotations

import re

from steppe.analyse.names import translit
from steppe.analyse.names.lexicon import LanguageData, language_data
from steppe.analyse.names.registry import Entity, Name

# A Cyrillic letter: a form holding one takes Russian case forms, and Cyrillic endings follow it.
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# The language a generated form belongs to, where a scheme is one language's habit.
SCHEME_LANGUAGES = {"kazakh_latin_2021": "kk", "kazakh_latin_2018": "kk", "press_pt": "pt", "press_es": "es", "press_en": "en"}


def _russian_word_forms(word: str, data: LanguageData) -> dict[str, tuple[str, ...]]:
    """Case -> forms of one word; a word that does not decline keeps its form in every case. An
    ending of two letters or more is read before the indeclinable last letters: "Соединённые"
    and "Арабские" decline, though words ending in -е do not."""
    if not CYRILLIC.search(word) or word.isupper() or len(word) < 3:
        return {case: (word,) for case in data.cases}
    lower = word.lower()
    if lower[-1:] in data.indeclinable and not any(len(p.ending) > 1 and lower.endswith(p.ending) for p in data.paradigms):
        return {case: (word,) for case in data.cases}
    for p in data.paradigms:
        if lower.endswith(p.ending):
            stem = word[: len(word) - len(p.ending)] if p.ending else word
            return {case: tuple(stem + e for e in p.forms[case]) for case in data.cases}
    return {case: (word,) for case in data.cases}


_ADJECTIVE_ENDINGS = ("ая", "яя", "ое", "ее", "ые", "ие", "ый", "ий", "ой")


def russian_case_forms(name: str, all_words: bool = True) -> list[str]:
    """Every case form of a Russian name, the same case for each word: Владимир Путин -> Владимиром Путиным.

    In a person's name every word declines. In other names only the leading
    adjectives and the first noun do; what follows is a complement that keeps
    its case (Шанхайской организации сотрудничества, Совета Федерации).
    """
    data = language_data()
    words = name.split(" ")
    per_word = []
    frozen = False
    for w in words:
        per_word.append({case: (w,) for case in data.cases} if frozen else _russian_word_forms(w, data))
        if not all_words and not w.lower().endswith(_ADJECTIVE_ENDINGS):
            frozen = True
    out: list[str] = []
    for case in data.cases:
        combos = [""]
        for i, forms in enumerate(per_word):
            combos = [c + (" " if i else "") + f for c in combos for f in forms[case]]
        out.extend(c for c in combos if c not in out)
    return out


def hyphen_variants(form: str) -> list[str]:
    """The form, and with its hyphens written as spaces (Nur-Sultan, Nur Sultan)."""
    return [form, form.replace("-", " ")] if "-" in form else [form]


def generated_forms(name: Name) -> dict[str, str]:
    """Latin forms of a curated Cyrillic name under each transliteration scheme (scheme -> form)."""
    if translit.script_of(name.text) != "Cyrl" or name.kind in ("abbreviation", "demonym"):
        return {}
    source_language = name.language if name.language in ("ru", "kk") else "ru"
    return {scheme: form for scheme, form in translit.latin_forms(name.text, source_language).items() if form}


def entity_names(entity: Entity) -> list[Name]:
    """The entity's curated names, then the Latin forms generated from its Cyrillic names.

    Generated forms carry kind "transliteration" and their scheme; a form
    already present is not repeated (entity_names is keyed by entity and name).
    """
    names: list[Name] = list(entity.names)
    seen = {n.text for n in names}
    for n in entity.names:
        for scheme, form in generated_forms(n).items():
            if form not in seen:
                seen.add(form)
                names.append(
                    Name(
                        text=form,
                        language=SCHEME_LANGUAGES.get(scheme),
                        kind="transliteration",
                        valid_from=n.valid_from,
                        valid_to=n.valid_to,
                        scheme=scheme,
                    )
                )
    return names


