"""What the registry holds: entities, their names and offices over time, the
tie-breaks of shared names, and the Registry that looks them up.

Validity dates and offices are half-open: a name or term that ends on a day
no longer holds on that day, which is the day its successor starts.
steppe.analyse.names.registry_files reads them from the registry's files.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from steppe.text import fold

ENTITY_TYPES = (
    "person", "country", "city", "region", "organization", "company", "media", "bloc", "facility", "other",
)
NAME_KINDS = ("native", "translation", "transliteration", "historical", "abbreviation", "short", "demonym")
ROLES = (
    "head_of_state",
    "head_of_government",
    "foreign_minister",
    "energy_minister",
    "economy_minister",
    "finance_minister",
    "defense_minister",
    "parliament_speaker",
    "central_bank_governor",
    "chief_executive",
    "secretary_general",
)


@dataclass(frozen=True)
class Name:
    text: str  # as written, NFC
    language: str | None  # ISO 639-1, or None when shared by all languages
    kind: str  # one of NAME_KINDS
    valid_from: date | None = None
    valid_to: date | None = None  # exclusive
    scheme: str | None = None  # only for generated transliterations, never in the YAML


@dataclass(frozen=True)
class Role:
    role: str  # one of ROLES
    of: str  # ISO 3166-1 alpha-3, or an entity_id ("organization:gazprom")
    start: date
    end: date | None  # exclusive; None while still in office


@dataclass(frozen=True)
class Entity:
    entity_id: str
    entity_type: str
    canonical_name: str  # English
    country_iso3: str | None
    wikidata_id: str | None
    description: str
    names: tuple[Name, ...]
    roles: tuple[Role, ...] = ()
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class TieBreak:
    """How a name claimed by several entities of one type is settled."""

    name: str  # as written in tie_breaks.yaml
    prefer: str | None  # the entity_id that wins; None when ambiguous
    ambiguous: bool


@dataclass(frozen=True)
class Registry:
    entities: Mapping[str, Entity]  # by entity_id, in id order
    tie_breaks: Mapping[str, TieBreak]  # by name_key of the name

    def holders(self, role: str, of: str, on: date | None) -> list[Entity]:
        """Who held `role` of `of` (ISO3, "country:kaz" or an entity_id) on day `on`, by term start;
        with no date, the holder of the latest term (the one in office now, or the last one)."""
        terms = self._terms.get((role, _role_subject(of)), ())
        if on is None:
            return [self.entities[terms[-1][1]]] if terms else []
        return [self.entities[entity_id] for term, entity_id in terms if _holds(term.start, term.end, on)]

    def by_name(self, name: str) -> list[Entity]:
        """Entities with a curated name equal to `name` once both are casefolded, any date, in id order."""
        return [self.entities[entity_id] for entity_id in self._names.get(name_key(name), ())]

    @functools.cached_property
    def _terms(self) -> Mapping[tuple[str, str], tuple[tuple[Role, str], ...]]:
        terms: dict[tuple[str, str], list[tuple[Role, str]]] = defaultdict(list)
        for entity in self.entities.values():
            for role in entity.roles:
                terms[role.role, role.of].append((role, entity.entity_id))
        return {key: tuple(sorted(found, key=lambda t: (t[0].start, t[1]))) for key, found in terms.items()}

    @functools.cached_property
    def _names(self) -> Mapping[str, tuple[str, ...]]:
        ids: dict[str, set[str]] = defaultdict(set)
        for entity in self.entities.values():
            for n in entity.names:
                ids[name_key(n.text)].add(entity.entity_id)
        return {key: tuple(sorted(found)) for key, found in ids.items()}


def name_key(text: str) -> str:
    """The exact-match key of a name: NFC, casefolded, accents kept."""
    return fold(text, keep_accents=True)


def overlap(a_start: date | None, a_end: date | None, b_start: date | None, b_end: date | None) -> bool:
    """Whether two half-open spans of days overlap (None: open at that end)."""
    return (b_end is None or a_start is None or a_start < b_end) and (a_end is None or b_start is None or b_start < a_end)


def _holds(start: date, end: date | None, on: date) -> bool:
    return start <= on and (end is None or on < end)


def _role_subject(of: str) -> str:
    if of.startswith("country:"):
        return of.removeprefix("country:").upper()
    return of

