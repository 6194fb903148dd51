"""Actor codes in CAMEO style: the country and the type of a registry entity acting in an event.

A country acts through its government (RUS GOV); a capital or seat of power
stands for its government ("Moscow said", "the Kremlin": RUS GOV); a person
holds the type of their offices (a minister GOV, a speaker LEG, a company head
BUS, a secretary general IGO); a company is BUS, a media outlet MED; an
international organisation or bloc is IGO, its country an IGO code
(data/events/igo_codes.yaml, from the Phoenix international actors
dictionary, built by tools/build_igo_codes.py); an organisation takes the
type of the agent noun its English name or description holds ("Ministry of
Defence" MIL, "Supreme Court" JUD, "Lower house of the Parliament" LEG).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

from steppe.analyse.events.agents import find_agents, load_agents
from steppe.analyse.events.codebook import EventDataError, data_file, read_yaml
from steppe.analyse.events.tokens import tokenize
from steppe.analyse.names.registry import Entity, Registry
from steppe.text import normalise_for_matching

ROLE_TYPES = {
    "parliament_speaker": "LEG",
    "chief_executive": "BUS",
    "secretary_general": "IGO",
    "defense_minister": "GOV",
}
TYPE_BY_ENTITY = {"country": "GOV", "company": "BUS", "media": "MED", "bloc": "IGO"}


@functools.cache
def igo_codes() -> Mapping[str, str]:
    """entity_id -> IGO code, for the international organisations and blocs of the registry."""
    source = data_file("igo_codes.yaml")
    data = read_yaml(source)
    entries = data.get("codes") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise EventDataError(f"{source}: expected codes: a mapping of entity ids to IGO codes")
    codes = {k: v.get("code") if isinstance(v, dict) else v for k, v in entries.items()}
    if bad := sorted(k for k, v in codes.items() if not (isinstance(v, str) and v.startswith("IGO") and v.isalpha() and v.isupper())):
        raise EventDataError(f"{source}: {', '.join(bad)}: an IGO code is IGO and capital letters")
    return MappingProxyType(codes)


def is_capital(entity: Entity) -> bool:
    """Whether a city is its country's capital (the registry describes every capital as "Capital of ...")."""
    return entity.entity_type == "city" and entity.description.startswith("Capital of")


def _text_type(text: str) -> str | None:
    """The actor type of the first English agent noun in `text`, if any."""
    norm = normalise_for_matching(text)
    found = find_agents(tokenize(norm, 0, len(norm)), load_agents("en"))
    return found[0].noun.actor_type if found else None


@functools.cache
def _organisation_type(name: str, description: str) -> str | None:
    return _text_type(name) or _text_type(description)


def entity_code(entity: Entity, registry: Registry) -> tuple[str | None, str | None]:
    """(country or IGO code, CAMEO type) of a registry entity acting in an event."""
    igo = igo_codes().get(entity.entity_id)
    if igo is not None:
        return igo, "IGO"
    country = entity.country_iso3
    if entity.entity_type in TYPE_BY_ENTITY:
        return country, TYPE_BY_ENTITY[entity.entity_type]
    if entity.entity_type == "city":
        return country, "GOV" if is_capital(entity) else None
    if entity.entity_type == "person":
        if not entity.roles:
            return country, None
        latest = max(entity.roles, key=lambda r: r.start)
        if latest.of in igo_codes():
            return igo_codes()[latest.of], "IGO"
        return country, ROLE_TYPES.get(latest.role, "GOV")
    if entity.entity_type == "organization":
        return country, _organisation_type(entity.canonical_name, entity.description) or ("GOV" if country else None)
    return country, None
