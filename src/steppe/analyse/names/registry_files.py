"""Reading and checking the registry's YAML files (data/registry/*.yaml).

Every problem found is reported at once, each naming its file, entity and
field, so a curator fixes a file in one go. The format is described in
steppe.analyse.names.registry and in each file's header comment.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from itertools import combinations
from types import MappingProxyType
from typing import Any, Protocol

import pycountry
import yaml

from steppe.analyse.names.entities import (
    ENTITY_TYPES,
    ROLES,
    Entity,
    Name,
    Registry,
    Role,
    TieBreak,
    name_key,
    overlap,
)
from steppe.analyse.names.registry_generated import (
    GENERATED_DIR,
    OVERRIDES_FILE,
    PROVENANCE_KEYS,
    apply_overrides,
    check_provenance,
)
from steppe.datafiles import DataLoader

TIE_BREAKS_FILE = "tie_breaks.yaml"
ANY_LANGUAGE = "any"  # the YAML key for names shared by all languages (Name.language None)

# YAML groups of names and the kind each gives; "names" is native or translation.
_NAME_GROUPS = {
    "names": None,
    "transliterations": "transliteration",
    "abbreviations": "abbreviation",
    "short": "short",
    "demonyms": "demonym",
}
_ENTRY_KEYS = frozenset(
    {"id", "name", "country", "wikidata", "description", "lang", "historical", "roles", "coords", *_NAME_GROUPS, *PROVENANCE_KEYS}
)
_REQUIRED_KEYS = ("id", "name", "description")
_ENTITY_ID = re.compile(r"^[a-z]+:[a-z0-9][a-z0-9._-]*$")
_WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_Report = Callable[[str | None, str], None]  # (field, message) about the entity being read


class RegistryError(ValueError):
    """The registry files are invalid; the message lists every problem with file, entity and field."""


class _Source(Protocol):  # a pathlib.Path or an importlib Traversable
    name: str

    def iterdir(self) -> Iterator[_Source]: ...

    def is_dir(self) -> bool: ...

    def joinpath(self, *parts: str) -> _Source: ...

    def read_text(self, encoding: str = ...) -> str: ...


class _Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, file: str, entity_id: str | None, field: str | None, message: str) -> None:
        where = ": ".join(part for part in (file, entity_id, field) if part)
        self.messages.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.messages:
            count = len(self.messages)
            raise RegistryError(f"{count} problem{'s' * (count != 1)} in the registry:\n" + "\n".join(self.messages))


class _DatesAsText(DataLoader):
    """The data files' loader, leaving dates as text, so that a bad date is reported with its entity."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in DataLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(source: _Source, problems: _Problems, label: str | None = None) -> Any:
    try:
        return yaml.load(source.read_text(encoding="utf-8"), Loader=_DatesAsText)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as error:
        problems.add(label or source.name, None, None, f"not valid YAML: {error}")
        return None


def read_registry(directory: _Source, *, generated: bool = True) -> Registry:
    """Every registry file in `directory` (and in its generated/ folder unless `generated` is False),
    checked; RegistryError lists every problem found."""
    problems = _Problems()
    files = sorted((f for f in directory.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    if not files:
        raise RegistryError(f"{directory}: no registry files (*.yaml)")
    special = {f.name: f for f in files if f.name in (TIE_BREAKS_FILE, OVERRIDES_FILE)}
    labelled = [(f.name, f) for f in files if f.name not in special]
    generated_dir = directory.joinpath(GENERATED_DIR)
    if generated and generated_dir.is_dir():
        found = sorted((f for f in generated_dir.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
        labelled += [(f"{GENERATED_DIR}/{f.name}", f) for f in found]
    generated_files = {label for label, _ in labelled if label.startswith(f"{GENERATED_DIR}/")}
    entries: list[tuple[str, Mapping[str, Any]]] = []
    for label, source in labelled:
        document = _read_yaml(source, problems, label)
        if document is None:
            continue
        if not isinstance(document, list):
            problems.add(label, None, None, "expected a list of entities")
            continue
        for index, entry in enumerate(document):
            if isinstance(entry, Mapping):
                entries.append((label, entry))
            else:
                problems.add(label, f"entry {index + 1}", None, "expected a mapping of fields")
    if generated and OVERRIDES_FILE in special:
        entries = apply_overrides(_read_yaml(special[OVERRIDES_FILE], problems), entries, generated_files, problems.add)
    for file, entry in entries:
        check_provenance(file, entry, file in generated_files, problems.add)
    tie_break_source = special.get(TIE_BREAKS_FILE)
    native = _native_languages(entries)
    entities: dict[str, Entity] = {}
    origin: dict[str, str] = {}
    for file, entry in entries:
        entity = _parse_entity(file, entry, native, problems)
        if entity is None:
            continue
        if entity.entity_id in entities:
            problems.add(file, entity.entity_id, "id", f"duplicate entity_id (first defined in {origin[entity.entity_id]})")
            continue
        entities[entity.entity_id] = entity
        origin[entity.entity_id] = file
    _check_wikidata_ids(entities, origin, problems)
    _check_role_subjects(entities, origin, problems)
    _check_terms(entities, origin, problems)
    tie_breaks = _parse_tie_breaks(tie_break_source, problems) if tie_break_source else {}
    _check_collisions(entities, origin, tie_breaks, problems)
    problems.raise_if_any()
    return Registry(
        entities=MappingProxyType({key: entities[key] for key in sorted(entities)}),
        tie_breaks=MappingProxyType(dict(sorted(tie_breaks.items()))),
    )


def _native_languages(entries: Iterable[tuple[str, Mapping[str, Any]]]) -> dict[str, tuple[str, ...]]:
    """Each country's languages (its `lang`), by ISO3: the default native languages of its entities."""
    native = {}
    for _, entry in entries:
        if str(entry.get("id", "")).startswith("country:") and isinstance(entry.get("lang"), list):
            native[str(entry.get("country"))] = tuple(str(code) for code in entry["lang"])
    return native


def _parse_entity(
    file: str, entry: Mapping[str, Any], native: Mapping[str, tuple[str, ...]], problems: _Problems
) -> Entity | None:
    entity_id = entry.get("id")
    label = entity_id if isinstance(entity_id, str) else "entry without an id"
    count = len(problems.messages)

    def problem(field: str | None, message: str) -> None:
        problems.add(file, label, field, message)

    for key in _REQUIRED_KEYS:
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            problem(key, "required, a non-empty text")
    for key in sorted(set(entry) - _ENTRY_KEYS, key=str):
        problem(str(key), f"unknown field (expected one of: {', '.join(sorted(_ENTRY_KEYS))})")
    if len(problems.messages) > count:
        return None

    entity_type = entity_id.partition(":")[0]
    if not _ENTITY_ID.match(entity_id):
        problem("id", "must look like '<type>:<slug>' (lower-case letters, digits, '.', '_', '-')")
    elif entity_type not in ENTITY_TYPES:
        problem("id", f"unknown entity type {entity_type!r} (expected one of: {', '.join(ENTITY_TYPES)})")

    country = entry.get("country")
    if country is not None and not _is_iso3(country):
        problem("country", f"{country!r} is not an ISO 3166-1 alpha-3 code")
    if entity_type == "country" and (not isinstance(country, str) or entity_id != f"country:{country.lower()}"):
        problem("id", "a country's id must be 'country:' + its ISO3 code in lower case")

    wikidata = entry.get("wikidata")
    if wikidata is not None and not (isinstance(wikidata, str) and _WIKIDATA_ID.match(wikidata)):
        problem("wikidata", f"{wikidata!r} is not a Wikidata id (Q followed by digits)")

    own_languages = entry.get("lang")
    if own_languages is not None:
        if not isinstance(own_languages, list) or not all(_is_language(code) for code in own_languages):
            problem("lang", f"{own_languages!r} is not a list of ISO 639-1 language codes")
            own_languages = []
    native_languages = frozenset(own_languages if own_languages is not None else native.get(country, ()) if isinstance(country, str) else ())

    names = _parse_names(entry, native_languages, problem)
    if _nfc(entry["name"]) not in {n.text for n in names if n.kind != "historical"}:
        problem("name", f"the canonical name {entry['name']!r} must also be one of its (current) names")
    roles = _parse_roles(entry.get("roles"), problem)
    latitude, longitude = _parse_coords(entry.get("coords"), problem)

    if len(problems.messages) > count:
        return None
    return Entity(
        entity_id=entity_id,
        entity_type=entity_type,
        canonical_name=_nfc(entry["name"]),
        country_iso3=country,
        wikidata_id=wikidata,
        description=entry["description"].strip(),
        names=names,
        roles=roles,
        latitude=latitude,
        longitude=longitude,
    )


def _parse_names(entry: Mapping[str, Any], native_languages: frozenset[str], problem: _Report) -> tuple[Name, ...]:
    names: list[Name] = []
    for group, kind in _NAME_GROUPS.items():
        by_language = entry.get(group)
        if by_language is None:
            continue
        if not isinstance(by_language, Mapping):
            problem(group, "expected a mapping of language code (or 'any') to a list of names")
            continue
        for language, texts in by_language.items():
            field = f"{group}.{language}"
            if language != ANY_LANGUAGE and not _is_language(language):
                problem(field, f"unknown language code {language!r} (ISO 639-1, or '{ANY_LANGUAGE}')")
                continue
            if not isinstance(texts, list) or not texts:
                problem(field, "expected a non-empty list of names")
                continue
            code = None if language == ANY_LANGUAGE else language
            name_kind = kind or ("native" if code is None or code in native_languages else "translation")
            for text in texts:
                if _is_name(text, field, problem):
                    names.append(Name(_nfc(text), code, name_kind))
    names.extend(_parse_historical(entry.get("historical"), problem))
    seen = set()
    for n in names:
        if n in seen:
            problem(None, f"name {n.text!r} ({n.kind}, {n.language or ANY_LANGUAGE}) is listed twice")
        seen.add(n)
    return tuple(names)


def _parse_historical(items: Any, problem: _Report) -> list[Name]:
    if items is None:
        return []
    if not isinstance(items, list):
        problem("historical", "expected a list of {name, lang, from, to}")
        return []
    names = []
    for index, item in enumerate(items):
        field = f"historical[{index}]"
        if not isinstance(item, Mapping) or set(item) - {"name", "lang", "from", "to"}:
            problem(field, "expected a mapping with name and optionally lang, from, to")
            continue
        language = item.get("lang", ANY_LANGUAGE)
        if language != ANY_LANGUAGE and not _is_language(language):
            problem(f"{field}.lang", f"unknown language code {language!r}")
            continue
        if not _is_name(item.get("name"), field, problem):
            continue
        start = _parse_date(item.get("from"), f"{field}.from", problem, required=False)
        end = _parse_date(item.get("to"), f"{field}.to", problem, required=False)
        _check_order(start, end, field, problem)
        code = None if language == ANY_LANGUAGE else language
        names.append(Name(_nfc(item["name"]), code, "historical", start, end))
    return names


def _parse_roles(items: Any, problem: _Report) -> tuple[Role, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        problem("roles", "expected a list of {role, of, from, to}")
        return ()
    roles = []
    for index, item in enumerate(items):
        field = f"roles[{index}]"
        if not isinstance(item, Mapping) or set(item) - {"role", "of", "from", "to"}:
            problem(field, "expected a mapping with role, of, from and optionally to")
            continue
        role, of = item.get("role"), item.get("of")
        if role not in ROLES:
            problem(f"{field}.role", f"unknown role {role!r} (expected one of: {', '.join(ROLES)})")
        if not isinstance(of, str) or not (_is_iso3(of) or _ENTITY_ID.match(of)):
            problem(f"{field}.of", f"{of!r} is neither an ISO3 country code nor an entity_id")
        start = _parse_date(item.get("from"), f"{field}.from", problem, required=True)
        end = _parse_date(item.get("to"), f"{field}.to", problem, required=False)
        _check_order(start, end, field, problem)
        if role in ROLES and isinstance(of, str) and start is not None:
            roles.append(Role(role, of, start, end))
    return tuple(roles)


def _parse_coords(value: Any, problem: _Report) -> tuple[float | None, float | None]:
    if value is None:
        return None, None
    ok = isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value)
    if not ok or not (-90 <= value[0] <= 90 and -180 <= value[1] <= 180):
        problem("coords", f"{value!r} is not [latitude, longitude] in degrees")
        return None, None
    return float(value[0]), float(value[1])


def _parse_date(value: Any, field: str, problem: _Report, *, required: bool) -> date | None:
    if value is None:
        if required:
            problem(field, "required, a date YYYY-MM-DD")
        return None
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problem(field, f"{value!r} is not a real date YYYY-MM-DD")
    return None


def _check_order(start: date | None, end: date | None, field: str, problem: _Report) -> None:
    if start is not None and end is not None and end <= start:
        problem(field, f"ends ({end}) on or before it starts ({start})")


def _is_name(text: Any, field: str, problem: _Report) -> bool:
    if not isinstance(text, str) or not text.strip() or text != text.strip():
        problem(field, f"{text!r} is not a name (non-empty text without surrounding spaces)")
        return False
    return True


def _check_wikidata_ids(entities: Mapping[str, Entity], origin: Mapping[str, str], problems: _Problems) -> None:
    """One Wikidata item, one entity: a generated entry that repeats a curated one is left out, not kept twice."""
    first: dict[str, str] = {}
    for entity in entities.values():
        if entity.wikidata_id is None:
            continue
        if entity.wikidata_id in first:
            problems.add(origin[entity.entity_id], entity.entity_id, "wikidata", f"{entity.wikidata_id} is also {first[entity.wikidata_id]}'s")
        else:
            first[entity.wikidata_id] = entity.entity_id


def _check_role_subjects(entities: Mapping[str, Entity], origin: Mapping[str, str], problems: _Problems) -> None:
    for entity in entities.values():
        for role in entity.roles:
            if not _is_iso3(role.of) and role.of not in entities:
                problems.add(origin[entity.entity_id], entity.entity_id, "roles", f"{role.role} of unknown entity {role.of!r}")


def _check_terms(entities: Mapping[str, Entity], origin: Mapping[str, str], problems: _Problems) -> None:
    """One holder at a time for each office: terms of one role of one subject may not overlap."""
    terms: dict[tuple[str, str], list[tuple[Role, str]]] = defaultdict(list)
    for entity in entities.values():
        for role in entity.roles:
            terms[role.role, role.of].append((role, entity.entity_id))
    for (role, of), held in sorted(terms.items()):
        for (a, a_id), (b, b_id) in combinations(held, 2):
            if overlap(a.start, a.end, b.start, b.end):
                problems.add(
                    origin[b_id], b_id, "roles",
                    f"{role} of {of} from {b.start} to {b.end or 'now'} overlaps the term of "
                    f"{a_id} from {a.start} to {a.end or 'now'}",
                )


def _parse_tie_breaks(source: _Source, problems: _Problems) -> dict[str, TieBreak]:
    document = _read_yaml(source, problems)
    if document is None:
        return {}
    if not isinstance(document, Mapping):
        problems.add(source.name, None, None, "expected a mapping of name -> {prefer: entity_id} or {ambiguous: true}")
        return {}
    tie_breaks: dict[str, TieBreak] = {}
    for name, rule in document.items():
        if not isinstance(name, str):
            problems.add(source.name, None, repr(name), "a name must be text (quote it)")
            continue
        if rule == {"ambiguous": True}:
            tie_break = TieBreak(_nfc(name), None, True)
        elif isinstance(rule, Mapping) and set(rule) == {"prefer"} and isinstance(rule["prefer"], str):
            tie_break = TieBreak(_nfc(name), rule["prefer"], False)
        else:
            problems.add(source.name, None, name, "expected {prefer: <entity_id>} or {ambiguous: true}")
            continue
        if name_key(name) in tie_breaks:
            problems.add(source.name, None, name, "listed twice (names compare casefolded)")
        tie_breaks[name_key(name)] = tie_break
    return tie_breaks


def _check_collisions(
    entities: Mapping[str, Entity], origin: Mapping[str, str], tie_breaks: Mapping[str, TieBreak], problems: _Problems
) -> None:
    claims: dict[tuple[str, str], list[tuple[Name, str]]] = defaultdict(list)
    for entity in entities.values():
        for n in entity.names:
            claims[entity.entity_type, name_key(n.text)].append((n, entity.entity_id))
    colliding: dict[str, set[str]] = defaultdict(set)
    for (_, key), claimed in claims.items():
        for (a, a_id), (b, b_id) in combinations(claimed, 2):
            if a_id != b_id and overlap(a.valid_from, a.valid_to, b.valid_from, b.valid_to):
                colliding[key] |= {a_id, b_id}
    for key, ids in sorted(colliding.items()):
        tie_break = tie_breaks.get(key)
        first = min(ids)
        if tie_break is None:
            problems.add(
                origin[first], first, "names",
                f"name {key!r} is also claimed by {', '.join(sorted(ids - {first}))}: "
                f"add a rule to {TIE_BREAKS_FILE} (prefer: <entity_id> or ambiguous: true)",
            )
        elif tie_break.prefer is not None and tie_break.prefer not in ids:
            problems.add(
                TIE_BREAKS_FILE, None, tie_break.name,
                f"prefers {tie_break.prefer}, which is not among the entities claiming it ({', '.join(sorted(ids))})",
            )
    for key, tie_break in sorted(tie_breaks.items()):
        if key not in colliding:
            problems.add(TIE_BREAKS_FILE, None, tie_break.name, "settles no collision: no two entities of one type claim it")



def _is_iso3(code: Any) -> bool:
    return isinstance(code, str) and bool(_ISO3.match(code)) and pycountry.countries.get(alpha_3=code) is not None


def _is_language(code: Any) -> bool:
    return isinstance(code, str) and bool(_LANGUAGE.match(code)) and pycountry.languages.get(alpha_2=code) is not None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
