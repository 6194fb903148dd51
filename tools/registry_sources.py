"""What the tools/build_registry_*.py scripts share: the curated registry they must not repeat,
the Russian Wikidata labels, which names are safe to add, and how a generated file is written.

A generated entity never repeats a curated one: it is left out when its
Wikidata id is a curated entity's, or when its canonical name (folded: case,
accents and script-internal variants ignored) is a name of a curated entity;
any other of its names that a curated entity (of any type) or an earlier
generated entity already holds is dropped from it. Earlier means: the scripts
run in a fixed order and each reads the files the earlier ones wrote
(build_registry_places, then build_registry_people, then
build_registry_organizations), so the output is deterministic.
"""

from __future__ import annotations

import csv
import functools
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from steppe.analyse.events.agents import load_agents  # noqa: E402
from steppe.analyse.events.lexicon import EVENT_LANGUAGES  # noqa: E402
from steppe.analyse.names.forms import entity_names  # noqa: E402
from steppe.analyse.names.lexicon import language_data  # noqa: E402
from steppe.analyse.names.registry_files import read_registry  # noqa: E402
from steppe.text import fold  # noqa: E402

REGISTRY_DIR = REPO / "src/steppe/data/registry"
GENERATED_DIR = REGISTRY_DIR / "generated"
WIKIDATA_TSV = REPO.parent / "shared/reference/wikidata_ru_labels.tsv"
WIKIDATA_TSV_SOURCE = "NEREL Wikidata links (github.com/nerel-ds/NEREL, train split), via shared/reference/wikidata_ru_labels.tsv"
# Field order of a generated entry.
_ORDER = ("id", "name", "country", "wikidata", "description", "lang", "coords", "names", "transliterations", "abbreviations", "short", "source", "retrieved")

# Words that are names of places or groups in some dataset but common words in
# running text of the languages read (capitalised at the start of a sentence).
COMMON_WORDS = frozenset({
    "central", "centre", "center", "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "capital", "coast", "islands", "lakes", "mountain", "river", "valley", "plateau", "upper", "lower", "middle",
    "norte", "sul", "sur", "leste", "este", "oeste", "centro", "capital", "grande", "nova", "nuevo", "nueva", "santa", "san",
    "центр", "север", "юг", "восток", "запад", "столица", "мир", "союз", "победа", "свобода", "война", "армия",
    "front", "union", "party", "army", "liberation", "resistance", "movement", "action", "revolution", "unity",
})


# English nouns that name a kind of body, not one body (the Phoenix dictionary lists
# "Organization" as a synonym of a group).
GENERIC_NOUNS = frozenset({
    "organization", "organisation", "group", "council", "committee", "association", "federation", "society", "league",
    "brigade", "brigades", "battalion", "command", "alliance", "coalition", "congress", "assembly", "agency", "institute",
    "foundation", "corporation", "network", "bank", "fund", "forum", "office", "service", "ministry", "department",
})


def slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def key(text: str) -> str:
    """The key two names compare by: folded (case, accents) with hyphens as spaces."""
    return fold(text.replace("-", " "))


# A one-word name shorter than this is too easily another word, or another word
# with a case ending (the Russian name of the city Wugang, Уган, read as "Ugan"
# makes "Uganda" look like its Kazakh locative); abbreviations are exempt.
MIN_SINGLE_WORD = 5


@functools.cache
def _agent_words() -> frozenset[str]:
    """The one-word agent nouns of every language ("organization", "суд", "polícia"): common nouns, never names."""
    words: set[str] = set()
    for language in EVENT_LANGUAGES:
        lexicon = load_agents(language)
        words.update(w for nouns in lexicon.by_first_word.values() for n in nouns if len(n.steps) == 1 for w in n.steps[0].exact)
    return frozenset(words)


def usable_name(text: str) -> bool:
    """A name that can stand in running text without matching common words."""
    text = text.strip()
    if len(text) < 3 or not text[:1].isupper() or "," in text or "(" in text:
        return False
    words = text.casefold().split()
    if len(words) == 1 and (
        words[0] in COMMON_WORDS or words[0] in GENERIC_NOUNS or words[0] in language_data().stopwords
        or words[0] in _agent_words() or (len(text) < MIN_SINGLE_WORD and not text.isupper())
    ):
        return False
    return not all(w in COMMON_WORDS or w in language_data().stopwords for w in words)


class Claims:
    """Which entity holds each name key; the curated registry's names (with their generated
    Latin forms) first, then each generated entity's in the order it is added."""

    def __init__(self) -> None:
        self.owner: dict[str, str] = {}
        self.wikidata: dict[str, str] = {}
        self.curated_ids: set[str] = set()
        self.ids: set[str] = set()

    @classmethod
    def from_registry(cls, include_generated: bool) -> Claims:
        claims = cls()
        registry = read_registry(REGISTRY_DIR, generated=False)
        claims.curated_ids = set(registry.entities)
        for entity in registry.entities.values():
            claims._hold(entity.entity_id, entity.wikidata_id, [n.text for n in entity_names(entity)])
        # A curated person's given name (Serik, Абай) would be read as a place or group of that name.
        for entity in registry.entities.values():
            if entity.entity_type == "person":
                for n in entity.names:
                    if " " in n.text:
                        claims.owner.setdefault(key(n.text.split()[0]), entity.entity_id)
        if include_generated:
            for path in sorted(GENERATED_DIR.glob("*.yaml")):
                for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
                    claims._hold(entry["id"], entry.get("wikidata"), list(names_of(entry)))
        return claims

    def _hold(self, entity_id: str, wikidata: str | None, names: Iterable[str]) -> None:
        self.ids.add(entity_id)
        if wikidata:
            self.wikidata.setdefault(wikidata, entity_id)
        for name in names:
            self.owner.setdefault(key(name), entity_id)

    def admit(self, entry: dict[str, Any]) -> dict[str, Any] | None:
        """The entry with the names nobody holds yet, or None when it repeats an entity already held."""
        if entry["id"] in self.ids or entry.get("wikidata") in self.wikidata:
            return None
        if key(entry["name"]) in self.owner:
            return None
        for group in ("names", "transliterations", "abbreviations", "short"):
            kept = {}
            for language, texts in (entry.get(group) or {}).items():
                free = list(dict.fromkeys(t for t in texts if key(t) not in self.owner))
                if free:
                    kept[language] = free
            if kept:
                entry[group] = kept
            else:
                entry.pop(group, None)
        if entry["name"] not in set(names_of(entry)):
            return None
        self._hold(entry["id"], entry.get("wikidata"), list(names_of(entry)))
        return entry


def names_of(entry: Mapping[str, Any]) -> Iterable[str]:
    for group in ("names", "transliterations", "abbreviations", "short"):
        for texts in (entry.get(group) or {}).values():
            yield from texts


def read_wikidata_labels(path: Path = WIKIDATA_TSV) -> dict[str, tuple[str, str, int]]:
    """Wikidata id -> (Russian label, NER type, mentions) of the NEREL links."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["wikidata_id"]: (row["label_ru"].strip(), row["ner_type"], int(row["mentions"]))
            for row in csv.DictReader(handle, delimiter="\t")
        }


def _flow(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000).strip()


def _scalar(value: Any) -> str:
    return _flow([value])[1:-1]


def render(header: str, entries: Iterable[Mapping[str, Any]]) -> str:
    """A generated registry file: its header comment, then one block per entry, fields in a fixed order."""
    lines = [header.rstrip("\n"), ""]
    for entry in entries:
        unknown = set(entry) - set(_ORDER)
        if unknown:
            raise ValueError(f"{entry['id']}: fields {sorted(unknown)} are not registry fields")
        first = True
        for field in _ORDER:
            if field not in entry or entry[field] is None:
                continue
            value = entry[field]
            prefix = "- " if first else "  "
            first = False
            if isinstance(value, Mapping):
                lines.append(f"{prefix}{field}:")
                lines.extend(f"    {language}: {_flow(list(texts))}" for language, texts in value.items())
            elif isinstance(value, list):
                lines.append(f"{prefix}{field}: {_flow(value)}")
            else:
                lines.append(f"{prefix}{field}: {_scalar(value)}")
        lines.append("")
    return "\n".join(lines)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)}", file=sys.stderr)
