"""The CAMEO codebook and the CAMEO-to-PLOVER crosswalk, read and checked once.

The codebook (data/events/cameo_codebook.yaml) gives every code its name,
Goldstein score and, through its root, quad class; its `compose` tables say
what a governing action (an appeal, intent, demand, refusal or threat) makes
of the action it governs. The crosswalk (data/events/cameo2plover.tsv) gives
the PLOVER type. The allowed PLOVER types and quad classes are those the
events table declares (steppe.schema), so the data cannot name a value the
gate would reject.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

import yaml

from steppe.datafiles import load_yaml
from steppe.schema import field_values

PLOVER_TYPES = frozenset(field_values("events", "plover_type"))  # PLOVER manual 2021: 16 event types
QUAD_CLASSES = field_values("events", "quad_class")

_DATA = "data/events"


class EventDataError(ValueError):
    """The event reference data is invalid; the message names the file, the entry and what was expected."""


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    quad_class: int
    goldstein: float
    root: str
    plover_type: str | None


_CODE = re.compile(r"^\d{2,4}$")


def data_file(name: str) -> Traversable:
    """A file of the event reference data, inside the installed package."""
    return resources.files("steppe").joinpath(_DATA, name)


def read_yaml(source: Traversable) -> Any:
    """The YAML file's content; a syntax error is an EventDataError naming the file."""
    try:
        return load_yaml(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise EventDataError(f"{source}: not valid YAML: {err}") from None


@functools.cache
def codebook_data() -> tuple[Mapping[str, tuple[str, float, int]], Mapping[str, Mapping[str, str]]]:
    """(code -> (name, Goldstein score, quad class), root -> compose table), checked: every problem is reported at once."""
    source = data_file("cameo_codebook.yaml")
    data = read_yaml(source)
    if not isinstance(data, dict) or set(data) != {"codes", "compose"}:
        raise EventDataError(f"{source}: expected a mapping with exactly the keys 'codes' and 'compose'")
    problems: list[str] = []
    quads: dict[str, int] = {}
    codes: dict[str, tuple[str, float, int]] = {}
    for code, entry in data["codes"].items():
        where = f"{source}: code {code!r}"
        if not isinstance(code, str) or not _CODE.match(code):
            problems.append(f"{where}: a code is a quoted string of 2 to 4 digits")
            continue
        if not isinstance(entry, dict) or not {"name", "goldstein"} <= set(entry) <= {"name", "goldstein", "quad_class"}:
            problems.append(f"{where}: expected name, goldstein and (on roots only) quad_class")
            continue
        goldstein = entry["goldstein"]
        if not isinstance(goldstein, (int, float)) or not -10 <= goldstein <= 10:
            problems.append(f"{where}: goldstein must be a number from -10 to 10")
            continue
        if len(code) == 2:
            if entry.get("quad_class") not in QUAD_CLASSES:
                problems.append(f"{where}: a root needs a quad_class, one of {', '.join(map(str, QUAD_CLASSES))}")
                continue
            quads[code] = entry["quad_class"]
        elif "quad_class" in entry:
            problems.append(f"{where}: quad_class belongs to the root {code[:2]!r} only")
        codes[code] = (str(entry["name"]), float(goldstein), 0)
    for code in list(codes):
        if code[:2] not in quads:
            problems.append(f"{source}: code {code!r} has no root {code[:2]!r}")
        else:
            name, goldstein, _ = codes[code]
            codes[code] = (name, goldstein, quads[code[:2]])
    compose_tables: dict[str, dict[str, str]] = {}
    for governor, table in (data["compose"] or {}).items():
        if governor not in quads or not isinstance(table, dict):
            problems.append(f"{source}: compose {governor!r}: expected a root with a mapping of codes")
            continue
        for governed, result in table.items():
            if governed not in codes or result not in codes:
                problems.append(f"{source}: compose {governor!r}: {governed!r} -> {result!r} names a code not in the codebook")
        compose_tables[governor] = {str(k): str(v) for k, v in table.items()}
    if problems:
        raise EventDataError("\n".join(problems))
    return MappingProxyType(codes), MappingProxyType(compose_tables)


@functools.cache
def load_crosswalk() -> Mapping[str, str]:
    """CAMEO code -> PLOVER type, from data/events/cameo2plover.tsv (two-digit heading lines left out)."""
    source = data_file("cameo2plover.tsv")
    codes, _ = codebook_data()
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    header = "cameo_code\tplover_type\tmode\tcontext\tdescription\torigin"
    if not lines or lines[0] != header:
        raise EventDataError(f"{source}: the first line after the comments must be the header {header!r}")
    mapping: dict[str, str] = {}
    problems = []
    for number, row in enumerate(csv.reader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE), start=2):
        if len(row) != 6:
            problems.append(f"{source}: data line {number}: expected 6 tab-separated columns, found {len(row)}")
            continue
        code, ptype, *_ = row
        if code not in codes:
            problems.append(f"{source}: data line {number}: {code!r} is not in the CAMEO codebook")
        elif ptype not in PLOVER_TYPES:
            problems.append(f"{source}: data line {number}: {ptype!r} is not a PLOVER type")
        elif len(code) == 2:
            continue  # headings: 08 is both CONCEDE and RETREAT, so a root alone says nothing
        elif mapping.setdefault(code, ptype) != ptype:
            problems.append(f"{source}: data line {number}: {code!r} is mapped to both {mapping[code]} and {ptype}")
    if problems:
        raise EventDataError("\n".join(problems))
    return MappingProxyType(mapping)


def plover_type(cameo_code: str) -> str | None:
    """The PLOVER type of a CAMEO code by the crosswalk (a four-digit code not listed takes its parent's); None for 01x."""
    crosswalk = load_crosswalk()
    return crosswalk.get(cameo_code) or crosswalk.get(cameo_code[:3])


@functools.cache
def load_codebook() -> Mapping[str, CameoCode]:
    """Every CAMEO code (roots included) with its name, quad class, Goldstein score, root and PLOVER type."""
    codes, _ = codebook_data()
    return MappingProxyType(
        {
            code: CameoCode(code, name, quad, goldstein, code[:2], plover_type(code) if len(code) > 2 else None)
            for code, (name, goldstein, quad) in codes.items()
        }
    )


def compose(governor: str, governed: str) -> str:
    """The code of `governor` (an appeal, intent, demand, refusal or threat) applied to the action `governed`."""
    _, tables = codebook_data()
    table = tables.get(governor[:2])
    if table is None:
        return governor
    for key in (governed, governed[:3], governed[:2]):
        if key in table:
            return table[key]
    return governor


STATE_FORCES = frozenset({"GOV", "MIL", "COP", "SPY"})  # who fights in CAMEO's sense (19) rather than assaults (18)
NON_STATE = frozenset({"REB", "CRM", "CVL", "OPP", "IMG", "UAF", "RAD", "INS"})


def by_whom(code: str, actor_type: str | None, known: bool) -> str:
    """The code of an action by a source of `actor_type` (`known`: the registry holds it). CAMEO's
    FIGHT (19) is conventional force by a state's armed forces; the generic attack (190) by
    anyone else (a man, attackers, rebels, a crowd) is ASSAULT (180)."""
    if code == "190" and (actor_type in NON_STATE or (not known and actor_type not in STATE_FORCES)):
        return "180"
    return code
