"""Generate the registry's people and organisations from Wikidata extracts and the Phoenix dictionaries.

    uv run python tools/build_registry_actors.py --leaders /work/.mirror/every-politician-scrapers+world-leaders-2021/repo

Run after tools/build_registry_places.py (names it kept are not given again). Sources:
  - every-politician-scrapers/world-leaders-2021 (github.com/every-politician-scrapers/world-leaders-2021),
    data/wikidata.csv at LEADERS_COMMIT: a Wikidata query (CC0 data) of the holders
    of every country's head-of-state and head-of-government offices in office in or
    after 2022, with the office and the start and end YEAR. The years are not days,
    so no `roles` are written from them (a term needs its first day); the office
    and years go in the description. -> generated/wikidata_leaders.yaml
  - NEREL Wikidata links (shared/reference/wikidata_ru_labels.tsv: Wikidata ids of
    the people and organisations linked in the NEREL corpus of Russian news, with
    their Russian label and how often they were linked). A PERSON is kept when its
    label has at least two words; an ORGANIZATION when its label is capitalised and
    has two words or is an acronym. People get their country only from the leaders
    file. Latin names are generated from the Russian ones (translit.py), the first as
    the canonical name. -> generated/nerel_people.yaml, generated/nerel_organizations.yaml
  - Phoenix.MilNonState.actors.txt (shared/reference/petrarch2, MIT, from the
    openeventdata Phoenix dictionaries; names from the START TOPS database): armed
    non-state groups with their synonyms and CAMEO code, whose first three letters
    give the country when they are an ISO 3166-1 code. No Wikidata ids.
    -> generated/phoenix_armed_groups.yaml
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pycountry
from registry_sources import (
    GENERATED_DIR,
    REPO,
    WIKIDATA_TSV_SOURCE,
    Claims,
    read_wikidata_labels,
    render,
    slug,
    usable_name,
    write,
)

from steppe.analyse.names.translit import latin_forms, script_of

LEADERS_REPOSITORY = "github.com/every-politician-scrapers/world-leaders-2021"
LEADERS_COMMIT = "be7039cf5952d8121c4f1e24eea64cc5dd465633"
PHOENIX_FILE = REPO.parent / "shared/reference/petrarch2/Phoenix.MilNonState.actors.txt"
PHOENIX_SOURCE = "openeventdata Phoenix dictionaries, Phoenix.MilNonState.actors.txt (MIT), via shared/reference/petrarch2"
_PATRONYMIC = re.compile(r"(вич|вна|ична|оглы|кызы|улы|қызы)$")
_ACRONYM = re.compile(r"^[A-ZА-ЯЁ]{3,6}$")


def _russian_name(label: str) -> str:
    """"Фамилия, Имя Отчество" -> "Имя Отчество Фамилия"; other labels unchanged."""
    if label.count(",") == 1:
        surname, given = (part.strip() for part in label.split(","))
        return f"{given} {surname}"
    return label


def _person_names(russian: str) -> list[str]:
    """The full Russian name and, when it has a patronymic, the name without it."""
    words = russian.split()
    names = [russian]
    if len(words) == 3 and _PATRONYMIC.search(words[1]):
        names.append(f"{words[0]} {words[2]}")
    return names


def _country_iso3(name: str) -> str | None:
    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        matches = pycountry.countries.search_fuzzy(name) if name else []
        return matches[0].alpha_3 if len(matches) == 1 else None


def leaders(repo: Path, labels: dict[str, tuple[str, str, int]], retrieved: str) -> list[dict[str, Any]]:
    text = subprocess.run(
        ["git", "-C", str(repo), "show", f"{LEADERS_COMMIT}:data/wikidata.csv"], check=True, capture_output=True, text=True
    ).stdout
    people: dict[str, dict[str, Any]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        qid, label = row["officeholder"], row["officeholderLabel"].strip()
        if label == qid or not row["start_year"] or int(row["start_year"]) < 1900 or not usable_name(label):
            continue
        try:
            country = _country_iso3(row["country"])
        except LookupError:
            country = None
        years = f"{row['start_year']}-{row['end_year']}" if row["end_year"] else f"since {row['start_year']}"
        office = f"{row['positionLabel'][:1].upper()}{row['positionLabel'][1:]} ({years})"
        if qid in people:
            people[qid]["description"] = people[qid]["description"].rstrip(".") + f"; {office}."
            continue
        names: dict[str, list[str]] = {"any": [label]}
        ru = _russian_name(labels[qid][0]) if qid in labels and labels[qid][1] == "PERSON" else ""
        if ru and script_of(ru) == "Cyrl" and len(ru.split()) >= 2:
            names["ru"] = _person_names(ru)
        people[qid] = {
            "id": f"person:{slug(label)}",
            "name": label,
            "country": country,
            "wikidata": qid,
            "description": f"{office}, per Wikidata.",
            "names": names,
            "source": f"{LEADERS_REPOSITORY} data/wikidata.csv@{LEADERS_COMMIT} (Wikidata, CC0)"
            + (f"; ru name: {WIKIDATA_TSV_SOURCE}" if "ru" in names else ""),
            "retrieved": retrieved,
        }
    return sorted(people.values(), key=lambda e: e["id"])


def nerel(labels: dict[str, tuple[str, str, int]], ner_type: str, retrieved: str) -> list[dict[str, Any]]:
    entries = []
    for qid, (label, found_type, mentions) in sorted(labels.items(), key=lambda item: (-item[1][2], item[0])):
        if found_type != ner_type or not label:
            continue
        russian = _russian_name(label) if ner_type == "PERSON" else label
        words = russian.split()
        if ner_type == "PERSON" and (len(words) < 2 or script_of(russian) != "Cyrl"):
            continue
        if ner_type == "ORGANIZATION" and len(words) < 2 and not _ACRONYM.match(russian):
            continue
        if not usable_name(russian):
            continue
        kind = "person" if ner_type == "PERSON" else "organization"
        if script_of(russian) == "Cyrl":
            latin = latin_forms(_person_names(russian)[-1], "ru").get("press_en") if kind == "person" else None
            latin = latin or latin_forms(russian, "ru").get("press_en")
            names = {"ru": _person_names(russian) if kind == "person" else [russian]}
            transliterations = {"any": [latin]}
        else:
            latin, names, transliterations = russian, {"any": [russian]}, None
        what = "Person" if kind == "person" else "Organisation"
        entries.append({
            "id": f"{kind}:{slug(latin)}",
            "name": latin,
            "wikidata": qid,
            "description": f"{what} named in Russian news, linked to Wikidata by the NEREL corpus ({mentions} mention{'s' * (mentions != 1)}).",
            "names": names,
            "transliterations": transliterations,
            "source": WIKIDATA_TSV_SOURCE,
            "retrieved": retrieved,
        })
    return entries


def _phoenix_name(raw: str) -> str:
    text = re.sub(r"\(.*?\)", "", raw.replace("_", " ")).strip(" +")
    return " ".join(w if w.isupper() and len(w) <= 4 and not re.search(r"[AEIOUY]", w[1:]) else w.capitalize() for w in text.split())


def phoenix_groups(retrieved: str) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for line in PHOENIX_FILE.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line.startswith("+") and current is not None:
            current["synonyms"].append(_phoenix_name(line))
        elif not line[:1].isspace():
            head, _, code = line.partition("[")
            current = {"name": _phoenix_name(head), "code": code.strip("] ").split()[0] if code else "", "synonyms": []}
            groups.append(current)
        elif current is not None and "[" in line and not current["code"]:
            current["code"] = line.strip().strip("[]").split()[0]
    entries = []
    for group in groups:
        names = [n for n in dict.fromkeys([group["name"], *group["synonyms"]]) if usable_name(n) and (" " in n or len(n) >= 6)]
        if group["name"] not in names:
            continue
        country = pycountry.countries.get(alpha_3=group["code"][:3])
        entries.append({
            "id": f"organization:{slug(group['name'])}",
            "name": group["name"],
            "country": country.alpha_3 if country else None,
            "description": f"Armed non-state group (Phoenix CAMEO code {group['code'] or 'none'}).",
            "names": {"en": names},
            "source": PHOENIX_SOURCE,
            "retrieved": retrieved,
        })
    return entries


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaders", type=Path, required=True, help="bare git repository of every-politician-scrapers/world-leaders-2021")
    parser.add_argument("--retrieved", default=date.today().isoformat(), help="the day the sources were retrieved (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    labels = read_wikidata_labels()
    outputs = ("wikidata_leaders.yaml", "nerel_people.yaml", "nerel_organizations.yaml", "phoenix_armed_groups.yaml")
    for name in outputs:
        (GENERATED_DIR / name).unlink(missing_ok=True)
    claims = Claims.from_registry(include_generated=True)
    built = (
        leaders(args.leaders, labels, args.retrieved),
        nerel(labels, "PERSON", args.retrieved),
        nerel(labels, "ORGANIZATION", args.retrieved),
        phoenix_groups(args.retrieved),
    )
    for name, entries in zip(outputs, built, strict=True):
        kept = sorted((e for e in entries if claims.admit(e)), key=lambda e: e["id"])
        write(GENERATED_DIR / name, render(HEADER.format(name=name), kept))
        print(f"{name}: {len(kept)} of {len(entries)}")


HEADER = """\
# {name}: GENERATED by tools/build_registry_actors.py from open reference data; do not
# edit by hand: corrections go in ../overrides.yaml. Each entry's `source` names the
# dataset, path and version it comes from, and `retrieved` the day it was read.
# An entity a curated file already holds (same Wikidata id or name) is left out.
"""


if __name__ == "__main__":
    main()
