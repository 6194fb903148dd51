"""The release tables' rows, built from the analysis's results (:mod:`steppe.analyse.document`),
the documents, the registry and the rejections: a function per table (or its columns, a list each,
for the large per-document tables), joined by :mod:`steppe.tables.assemble`.

The text policy is applied here and only here (:func:`steppe.tables.policy.sentence_text`).
"""

from __future__ import annotations

import bisect
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from steppe.analyse.document import IdentifiedDocument, ProcessedDocument
from steppe.analyse.events.code import Event
from steppe.analyse.events.codebook import load_codebook
from steppe.analyse.names.forms import entity_names
from steppe.analyse.names.registry import Registry
from steppe.analyse.names.translit import script_of
from steppe.analyse.sectors import SectorMatch
from steppe.ids import UNLINKED_PREFIX, content_id, content_ids
from steppe.ingest.read import Rejection
from steppe.tables.policy import TextPolicy, sentence_text


@dataclass(frozen=True)
class DocumentSummary:
    """What the documents table needs of a processed document."""

    doc_id: str
    language: str
    language_source: str
    language_confidence: float
    n_sentences: int

    @classmethod
    def of(cls, p: ProcessedDocument) -> DocumentSummary:
        return cls(p.doc_id, p.language, p.language_source, p.language_confidence, len(p.sentences))


def document_rows(docs: Sequence[IdentifiedDocument], processed: Mapping[str, ProcessedDocument | DocumentSummary]) -> list[dict]:
    rows = []
    for d in docs:
        raw = d.raw
        # A duplicate reports the language its original was processed with.
        p = processed[d.duplicate_of or d.doc_id]
        if isinstance(p, ProcessedDocument):
            p = DocumentSummary.of(p)
        rows.append(
            {
                "doc_id": d.doc_id,
                "source_file": raw.source_file,
                "source_line": raw.source_line,
                "source_id": raw.source_id,
                "url": raw.url,
                "title": raw.title,
                "publisher": raw.publisher,
                "author": raw.author,
                "published_at": raw.published_at,
                "language": p.language,
                "language_source": p.language_source,
                "language_confidence": p.language_confidence,
                "encoding": raw.encoding,
                "n_chars": d.n_chars,
                "n_sentences": 0 if d.duplicate_of else p.n_sentences,
                "text_sha256": d.text_sha256,
                "duplicate_of": d.duplicate_of,
            }
        )
    return rows


def sentence_columns(
    docs: Sequence[IdentifiedDocument],
    processed: dict[str, ProcessedDocument],
    text_policy: TextPolicy,
    event_sentences: frozenset[tuple[str, int]] = frozenset(),
) -> dict[str, list]:
    """The sentences table's columns for the (non-duplicate) documents, a list per column."""
    doc_ids: list[str] = []
    indices: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    texts: list[str | None] = []
    cut: list[bool] = []
    for d in docs:
        if d.duplicate_of is not None:
            continue
        p = processed[d.doc_id]
        spans = p.sentences
        if not spans:
            continue
        doc_id, text, n = d.doc_id, d.text, len(spans)
        doc_ids += [doc_id] * n
        indices += range(n)
        starts += [start for start, _ in spans]
        ends += [end for _, end in spans]
        texts += [sentence_text(text[start:end], text_policy, (doc_id, idx) in event_sentences) for idx, (start, end) in enumerate(spans)]
        cut_here = set(p.cut)
        cut += [idx in cut_here for idx in range(n)]
    return {"doc_id": doc_ids, "sentence_idx": indices, "char_start": starts, "char_end": ends, "text": texts, "cut": cut}


_MENTION_FIELDS = ("char_start", "char_end", "surface", "entity_id", "entity_type", "method", "score")


def mention_columns(processed: Iterable[ProcessedDocument]) -> dict[str, list]:
    """The mentions table's columns for the processed documents, a list per column."""
    doc_ids: list[str] = []
    indices: list[int] = []
    fields: dict[str, list] = {name: [] for name in _MENTION_FIELDS}
    for p in processed:
        mentions = p.mentions
        if not mentions:
            continue
        doc_ids += [p.doc_id] * len(mentions)
        sentence_starts = [start for start, _ in p.sentences]
        for name, values in fields.items():
            values += map(operator.attrgetter(name), mentions)
        indices += [_sentence_index(sentence_starts, m.char_start) for m in mentions]
    mention_ids = content_ids(doc_ids, fields["char_start"], fields["char_end"], fields["entity_id"], fields["method"], prefix="m")
    return {"mention_id": mention_ids, "doc_id": doc_ids, "sentence_idx": indices, **fields}


def event_ids(doc_ids: Sequence[str], events: Sequence[Event]) -> list[str]:
    """Each event's ID (``doc_ids``: each one's document), derived from the document, the first
    trigger, the code, the dyad and the date."""
    return content_ids(
        doc_ids,
        [ev.char_start for ev in events],
        [ev.cameo_code for ev in events],
        [ev.source_entity_id or ev.source_text for ev in events],
        [ev.target_entity_id or ev.target_text for ev in events],
        [ev.event_date for ev in events],
        prefix="e",
    )


def event_id(doc_id: str, ev: Event) -> str:
    """One event's ID (see :func:`event_ids`)."""
    return event_ids([doc_id], [ev])[0]


def _sentence_index(starts: list[int], offset: int) -> int:
    return max(0, bisect.bisect_right(starts, offset) - 1)


_EVENT_FIELDS = (
    "sentence_idx", "char_start", "char_end", "trigger", "cameo_code", "source_entity_id", "source_text",
    "source_country", "source_type", "source_basis", "target_entity_id", "target_text", "target_country",
    "target_type", "target_basis", "event_date", "date_precision", "location_entity_id", "negated", "is_background", "confidence",
)


def event_columns(docs: Sequence[IdentifiedDocument], processed: dict[str, ProcessedDocument], text_policy: TextPolicy, registry: Registry) -> dict[str, list]:
    """The events table's columns for the (non-duplicate) documents, a list per column; the
    event IDs are :func:`event_id`'s."""
    codebook = load_codebook()
    doc_ids: list[str] = []
    every: list[Event] = []
    fields: dict[str, list] = {name: [] for name in _EVENT_FIELDS}
    codes, countries, n_evidence, evidence = [], [], [], []
    for d in docs:
        if d.duplicate_of is not None:
            continue
        p = processed[d.doc_id]
        events = p.events
        if not events:
            continue
        doc_ids += [d.doc_id] * len(events)
        every += events
        for name, values in fields.items():
            values += map(operator.attrgetter(name), events)
        for ev in events:
            codes.append(codebook[ev.cameo_code])
            location = registry.entities.get(ev.location_entity_id) if ev.location_entity_id else None
            countries.append(location.country_iso3 if location else None)
            n_evidence.append(max(1, len(ev.evidence_spans)))
            start, end = p.sentences[ev.sentence_idx]
            evidence.append(sentence_text(d.text[start:end], text_policy, True))
    return {
        "event_id": event_ids(doc_ids, every),
        "doc_id": doc_ids,
        **{name: fields[name] for name in _EVENT_FIELDS[:5]},
        "cameo_root": [c.root for c in codes],
        "plover_type": [c.plover_type for c in codes],
        "quad_class": [c.quad_class for c in codes],
        "goldstein": [c.goldstein for c in codes],
        **{name: fields[name] for name in _EVENT_FIELDS[5:]},
        "country_iso3": countries,
        "n_evidence": n_evidence,
        "evidence": evidence,
        "n_mentions": [ev.n_mentions for ev in every],
    }


def event_mention_columns(docs: Sequence[IdentifiedDocument], processed: Mapping[str, ProcessedDocument], events_of: Mapping[str, Sequence[str]]) -> dict[str, list]:
    """The event mentions table's columns for the (non-duplicate) documents, a list per column: every
    place each event is reported, its own first. ``events_of``: each document's event IDs, in the
    order of its events (from the events table's columns, :func:`event_columns`)."""
    columns: dict[str, list] = {name: [] for name in ("event_id", "doc_id", "sentence_idx", "char_start", "char_end", "trigger")}
    for d in docs:
        if d.duplicate_of is not None:
            continue
        for eid, ev in zip(events_of.get(d.doc_id, ()), processed[d.doc_id].events):
            for m in ev.reported:
                columns["event_id"].append(eid)
                columns["doc_id"].append(d.doc_id)
                columns["sentence_idx"].append(m.sentence_idx)
                columns["char_start"].append(m.char_start)
                columns["char_end"].append(m.char_end)
                columns["trigger"].append(m.trigger)
    return columns


def ids_by_document(doc_ids: Sequence[str], ids: Sequence[str]) -> dict[str, list[str]]:
    """Each document's IDs, in order (from a table's doc_id and ID columns)."""
    out: dict[str, list[str]] = {}
    for doc_id, row_id in zip(doc_ids, ids):
        out.setdefault(doc_id, []).append(row_id)
    return out


# A clause ends at these; a sector mention links to an event only within one.
_CLAUSE_BREAK = re.compile(r"[;:]|\s[—–]\s")


def link_sector_to_event(text: str, match: SectorMatch, events: Sequence[tuple[str, Event]], sentence_idx: int) -> str | None:
    """The event of the same sentence and clause whose trigger is nearest the sector mention."""
    best: tuple[int, str] | None = None
    for eid, ev in events:
        if ev.sentence_idx != sentence_idx:
            continue
        lo, hi = sorted((ev.char_end, match.char_start)) if ev.char_start < match.char_start else sorted((match.char_end, ev.char_start))
        if _CLAUSE_BREAK.search(text, lo, hi):
            continue
        distance = hi - lo
        if best is None or distance < best[0]:
            best = (distance, eid)
    return best[1] if best else None


def sector_rows(docs: Sequence[IdentifiedDocument], processed: dict[str, ProcessedDocument], events_of: Mapping[str, Sequence[str]]) -> list[dict]:
    """The sector mentions table's rows; ``events_of``: each document's event IDs, in the order of
    its events (from the events table's columns, :func:`event_columns`)."""
    rows = []
    for d in docs:
        if d.duplicate_of is not None:
            continue
        p = processed[d.doc_id]
        starts = [s for s, _ in p.sentences]
        events = list(zip(events_of.get(d.doc_id, ()), p.events))
        for m in p.sectors:
            idx = _sentence_index(starts, m.char_start)
            rows.append(
                {
                    "sector_mention_id": content_id(d.doc_id, m.char_start, m.char_end, m.sector_code, prefix="s"),
                    "doc_id": d.doc_id,
                    "sentence_idx": idx,
                    "char_start": m.char_start,
                    "char_end": m.char_end,
                    "surface": m.surface,
                    "sector_code": m.sector_code,
                    "isic_code": m.isic_code,
                    "event_id": link_sector_to_event(d.text, m, events, idx),
                }
            )
    return rows


def sector_summary_keys(sectors: Iterable[dict], published: Mapping[str, datetime | None], actors: Mapping[str, tuple[str | None, str | None]]) -> list[tuple]:
    """What `group_sector_summary` counts of each sector mention: (month, sector, country pair, source
    country, target country, document, event). `published` and `actors` (event ID -> its
    source_country and target_country) need cover only the mentions' own documents, so this runs a
    chunk of documents at a time. An international organisation's IGO code is no country here."""

    def country(code: str | None) -> str | None:
        return None if code is None or code.startswith("IGO") else code

    keys = []
    for m in sectors:
        when = published.get(m["doc_id"])
        month = when.strftime("%Y-%m") if when else "unknown"
        ev = actors.get(m["event_id"]) if m["event_id"] else None
        src = country(ev[0]) if ev else None
        tgt = country(ev[1]) if ev else None
        pair = f"{src or 'UNK'}-{tgt or 'UNK'}" if ev else "none"
        keys.append((month, m["sector_code"], pair, src, tgt, m["doc_id"], m["event_id"] if ev else None))
    return keys


def group_sector_summary(keys: Iterable[tuple]) -> list[dict]:
    """Sector mentions counted by month, sector and the country pair of the event they are linked to."""
    groups: dict[tuple, dict] = {}
    for month, sector, pair, src, tgt, doc_id, eid in keys:
        g = groups.setdefault(
            (month, sector, pair),
            {"month": month, "sector_code": sector, "country_pair": pair, "source_country_iso3": src,
             "target_country_iso3": tgt, "n_mentions": 0, "docs": set(), "events": set()},
        )
        g["n_mentions"] += 1
        g["docs"].add(doc_id)
        if eid:
            g["events"].add(eid)
    return [
        {**{k: v for k, v in g.items() if k not in ("docs", "events")}, "n_documents": len(g["docs"]), "n_events": len(g["events"])}
        for g in groups.values()
    ]


def entity_rows(registry: Registry) -> list[dict]:
    return [
        {
            "entity_id": e.entity_id,
            "entity_type": e.entity_type,
            "canonical_name": e.canonical_name,
            "country_iso3": e.country_iso3,
            "wikidata_id": e.wikidata_id,
            "description": e.description,
            "latitude": e.latitude,
            "longitude": e.longitude,
            "unlinked": False,
        }
        for e in registry.entities.values()
    ]


def unlinked_sides(events: Mapping[str, list]) -> Iterator[tuple[str, str, str | None, str | None]]:
    """(entity_id, text, country, basis) of every event side that names an unlinked entity (events: the events table's columns)."""
    for side in ("source", "target"):
        columns = (events[f"{side}_entity_id"], events[f"{side}_text"], events[f"{side}_country"], events[f"{side}_basis"])
        for entity_id, text, country, basis in zip(*columns):
            if entity_id is not None and entity_id.startswith(UNLINKED_PREFIX):
                yield entity_id, text, country, basis


def unlinked_entity_rows(sides: Iterable[tuple[str, str, str | None, str | None]]) -> list[dict]:
    """One entities row per unlinked entity: its most frequent spelling as its name, and the
    country the text gives it most often (not one guessed from the article), if any."""
    names: dict[str, Counter] = defaultdict(Counter)
    countries: dict[str, Counter] = defaultdict(Counter)
    for entity_id, text, country, basis in sides:
        names[entity_id][text] += 1
        if country is not None and basis != "context" and not country.startswith("IGO"):
            countries[entity_id][country] += 1
    rows = []
    for entity_id in sorted(names):
        name = min(names[entity_id].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        country = min(countries[entity_id].items(), key=lambda kv: (-kv[1], kv[0]))[0] if countries[entity_id] else None
        n = sum(names[entity_id].values())
        rows.append({
            "entity_id": entity_id, "entity_type": "other", "canonical_name": name, "country_iso3": country, "wikidata_id": None,
            "description": f"Not in the registry: a name that is a side of {n} event{'s' if n != 1 else ''} in this release; for curators to link or add.",
            "latitude": None, "longitude": None, "unlinked": True,
        })
    return rows


def entity_role_rows(registry: Registry) -> list[dict]:
    return [
        {"entity_id": e.entity_id, "role": r.role, "role_of": r.of, "start_date": r.start, "end_date": r.end}
        for e in registry.entities.values()
        for r in e.roles
    ]


def entity_name_rows(registry: Registry) -> list[dict]:
    """One row per entity and name; a name several languages share has no language."""
    rows: dict[tuple[str, str], dict] = {}
    for e in registry.entities.values():
        for n in entity_names(e):
            key = (e.entity_id, n.text)
            if key in rows:
                if rows[key]["language"] != n.language:
                    rows[key]["language"] = None
                continue
            rows[key] = {
                "entity_id": e.entity_id,
                "name": n.text,
                "language": n.language,
                "script": script_of(n.text),
                "kind": n.kind,
                "scheme": n.scheme,
                "valid_from": n.valid_from,
                "valid_to": n.valid_to,
            }
    return list(rows.values())


def rejected_rows(rejections: Iterable[Rejection]) -> list[dict]:
    return [
        {"source_file": r.source_file, "source_line": r.source_line, "reason": r.reason, "detail": r.detail}
        for r in rejections
    ]
