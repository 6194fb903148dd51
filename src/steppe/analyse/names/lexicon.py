"""The word lists that finding names reads, from data/names/: Russian case
paradigms and the endings Kazakh and Russian attach to a name
(inflection.yaml), role phrases, the words that make their holder a former
one and the titles of one person (roles.yaml), and the connectors, pronouns,
stopwords and nouns for languages (stoplist.yaml).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from steppe.datafiles import load_yaml
from steppe.text import normalise_for_matching


def _load_data(name: str) -> dict:
    path = resources.files("steppe") / "data" / "names" / name
    data = load_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping")
    return data


@dataclass(frozen=True)
class Paradigm:
    ending: str
    forms: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Title:
    """A phrase that names one person for good ("Тұңғыш Президент"), the country it is of."""

    phrase: str  # lower case
    entity_id: str
    of: str  # ISO 3166-1 alpha-3


@dataclass(frozen=True)
class LanguageData:
    paradigms: tuple[Paradigm, ...]
    cases: tuple[str, ...]
    indeclinable: frozenset[str]
    suffixes: dict[str, frozenset[str]]  # by script
    roles: dict[str, dict[str, tuple[str, ...]]]  # role -> language -> phrases
    default_country: dict[str, str]
    former: dict[str, frozenset[str]]  # language -> words saying a role's holder is a former one
    titles: dict[str, tuple[Title, ...]]  # language -> titles
    connectors: dict[str, frozenset[str]]
    coordinators: dict[str, frozenset[str]]  # connectors that join two names rather than make one
    pronouns: dict[str, frozenset[str]]
    stopwords: frozenset[str]
    language_nouns: frozenset[str]


def _titles(entries: dict) -> dict[str, tuple[Title, ...]]:
    by_lang: dict[str, list[Title]] = {}
    for entity_id, entry in entries.items():
        for lang, phrases in entry.items():
            if lang != "of":
                by_lang.setdefault(lang, []).extend(Title(p.lower(), entity_id, entry["of"]) for p in phrases)
    return {lang: tuple(found) for lang, found in by_lang.items()}


@functools.cache
def language_data() -> LanguageData:
    infl = _load_data("inflection.yaml")
    roles = _load_data("roles.yaml")
    stop = _load_data("stoplist.yaml")
    ru = infl["russian"]
    cases = tuple(ru["cases"])
    paradigms = []
    for p in ru["paradigms"]:
        forms = {case: tuple(p["forms"][case]) for case in cases}
        paradigms.append(Paradigm(p["ending"], forms))
    return LanguageData(
        paradigms=tuple(paradigms),
        cases=cases,
        indeclinable=frozenset(ru["indeclinable_endings"]),
        suffixes={script: frozenset(normalise_for_matching(s) for s in values) for script, values in infl["suffixes"].items()},
        roles={role: {lang: tuple(p.lower() for p in phrases) for lang, phrases in by_lang.items()} for role, by_lang in roles["roles"].items()},
        default_country=dict(roles.get("default_country") or {}),
        former={lang: frozenset(w.lower() for w in words) for lang, words in (roles.get("former") or {}).items()},
        titles=_titles(roles.get("titles") or {}),
        connectors={lang: frozenset(words) for lang, words in stop["connectors"].items()},
        coordinators={lang: frozenset(words) for lang, words in stop["coordinators"].items()},
        pronouns={lang: frozenset(words) for lang, words in stop["pronouns"].items()},
        stopwords=frozenset(w for words in stop["stopwords"].values() for w in words),
        language_nouns=frozenset(stop["language_nouns"]),
    )
