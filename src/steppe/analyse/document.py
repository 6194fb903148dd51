"""The pipeline's stages as plain functions over plain data.

Prefect (flows/release.py) only wires these together and batches the work;
everything here is tested directly, without Prefect.

    ingest (steppe.ingest.read)  ->  identify_documents
        ->  process_batch: language (steppe.analyse.language), sentences (steppe.analyse.sentences),
                           name mentions (steppe.analyse.names.mentions)
        ->  build_tables  ->  validate (steppe.gate.validate)  ->  publish (steppe.publish.release)
"""

from __future__ import annotations

import bisect
import operator
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc

from steppe.analyse.events.code import Event, code_events
from steppe.analyse.events.codebook import load_codebook
from steppe.analyse.language import detect_language
from steppe.analyse.names.forms import entity_names
from steppe.analyse.names.mentions import Mention, as_date, find_mentions
from steppe.analyse.names.registry import Registry, load_registry
from steppe.analyse.names.translit import script_of
from steppe.analyse.sectors import SectorMatch, find_sectors
from steppe.analyse.sentences import split_sentences
from steppe.analyse.visible import restore_offsets, visible_text
from steppe.ids import content_id, content_ids, sha256_text
from steppe.ingest.read import RawDocument, Rejection
from steppe.schema import table, tables
from steppe.tables.arrow import empty_table, make_table, table_from_columns

TEXT_POLICIES = ("full", "evidence", "none")
DEFAULT_TEXT_POLICY = "evidence"
EVIDENCE_CHARS = 300


@dataclass(frozen=True)
class IdentifiedDocument:
    """An ingested document with its content-derived ID; duplicate_of is set for an exact duplicate."""

    raw: RawDocument
    doc_id: str
    text_sha256: str
    duplicate_of: str | None
    n_chars: int  # the text's length, which the documents table reports

    @property
    def text(self) -> str:
        if self.raw.text is None:
            raise ValueError(f"document {self.doc_id} ({self.raw.source_file}:{self.raw.source_line}): its text was dropped after analysis")
        return self.raw.text

    def without_text(self) -> IdentifiedDocument:
        """The document without its text: all the documents table needs once the text is analysed.

        A run keeps these rather than the documents, so that it holds the texts
        of the batches in hand, not of the whole corpus (0.45 GB at 36,000 articles).
        """
        if self.raw.text is None:
            return self
        return replace(self, raw=replace(self.raw, text=None))


@dataclass(frozen=True)
class ProcessedDocument:
    """What the per-document stages found in one (non-duplicate) document."""

    doc_id: str
    language: str
    language_source: str
    language_confidence: float
    sentences: tuple[tuple[int, int], ...]
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    sectors: tuple[SectorMatch, ...] = ()


def identify_documents(raw_docs: Iterable[RawDocument]) -> list[IdentifiedDocument]:
    """Give each document its ID and point exact duplicates at the first document with the same text.

    The first occurrence (in input order: files sorted by path, records in file
    order) keeps the ID derived from its text alone, so the processed document's
    ID does not depend on where the text came from; each later copy gets an ID
    derived from its text and its place, and is not processed again.
    """
    identify = Identifier()
    return [identify(raw) for raw in raw_docs]


class Identifier:
    """:func:`identify_documents` a document at a time, for a stream: it remembers the ID of
    the first document with each text (a digest and an ID per distinct text, not the texts)."""

    def __init__(self) -> None:
        self._first_by_hash: dict[str, str] = {}

    def __call__(self, raw: RawDocument) -> IdentifiedDocument:
        digest = sha256_text(raw.text)
        original = self._first_by_hash.get(digest)
        if original is None:
            doc_id = content_id(digest)
            self._first_by_hash[digest] = doc_id
            return IdentifiedDocument(raw, doc_id, digest, None, len(raw.text))
        doc_id = content_id(digest, raw.source_file, raw.source_line)
        return IdentifiedDocument(raw, doc_id, digest, original, len(raw.text))


class DocumentBatches:
    """The documents of an ingest stream (:func:`steppe.ingest.read.iter_raw`), identified, in batches
    of ``size``, read as they are asked for: a run holds the texts of the batches in hand, not
    of the whole corpus. The stream's rejections are gathered in ``rejections``, in order."""

    def __init__(self, stream: Iterable[RawDocument | Rejection], size: int) -> None:
        if size < 1:
            raise ValueError("batch size must be at least 1")
        self._stream = stream
        self.size = size
        self.rejections: list[Rejection] = []
        self.documents = 0

    def __iter__(self) -> Iterator[list[IdentifiedDocument]]:
        identify = Identifier()
        batch: list[IdentifiedDocument] = []
        for item in self._stream:
            if isinstance(item, Rejection):
                self.rejections.append(item)
                continue
            batch.append(identify(item))
            self.documents += 1
            if len(batch) == self.size:
                yield batch
                batch = []
        if batch:
            yield batch


def process_document(
    doc_id: str, text: str, language: str | None, published: datetime | None = None, timings: dict[str, float] | None = None
) -> ProcessedDocument:
    """Language (metadata first, else detected), sentences, name mentions, events and sectors of one
    document (:func:`process_documents` of that one)."""
    return process_documents([(doc_id, text, language, published)], timings)[0]


def process_documents(
    items: Sequence[tuple[str, str, str | None, datetime | None]], timings: dict[str, float] | None = None
) -> list[ProcessedDocument]:
    """What :func:`process_document` finds in each (doc_id, text, language, published), a stage at
    a time over them all: each stage's patterns and caches stay warm from one document to the next
    (run a document at a time, the core run of 36,000 articles took 177 s rather than 162 s).

    The stages read the text without its format characters (soft hyphens, zero-width spaces:
    :mod:`steppe.analyse.visible`); the offsets found are offsets into the text. ``timings``, if given,
    gets each stage's seconds added to it (under "ingest" for the texts' format characters, then
    "language", "sentences", "mentions", "events", "sectors"): what `steppe bench` reports.
    """
    lap = _Laps(timings)
    shown = [visible_text(text) for _, text, _, _ in items]
    lap("ingest")
    langs = []
    for (_, _, language, _), (text, _) in zip(items, shown):
        if language:
            langs.append((language, "metadata", 1.0))
        else:
            lang, confidence = detect_language(text)
            langs.append((lang, "detected", confidence))
    lap("language")
    spans = [tuple(split_sentences(text, lang)) for (text, _), (lang, _, _) in zip(shown, langs)]
    lap("sentences")
    mentions = [
        tuple(find_mentions(text, lang, published, s)) for (_, _, _, published), (text, _), (lang, _, _), s in zip(items, shown, langs, spans)
    ]
    lap("mentions")
    events = [
        tuple(code_events(text, lang, as_date(published), s, m))
        for (_, _, _, published), (text, _), (lang, _, _), s, m in zip(items, shown, langs, spans, mentions)
    ]
    lap("events")
    sectors = [tuple(find_sectors(text, lang)) for (text, _), (lang, _, _) in zip(shown, langs)]
    lap("sectors")
    out = []
    for (doc_id, text, _, _), (_, where), lang, s, m, e, sec in zip(items, shown, langs, spans, mentions, events, sectors):
        processed = ProcessedDocument(doc_id, *lang, s, m, e, sec)
        out.append(processed if where is None else restore_offsets(processed, text, where))
    lap("ingest")
    return out


class _Laps:
    """Adds the seconds since the last call to ``timings[stage]`` (nothing if ``timings`` is None)."""

    __slots__ = ("timings", "last")

    def __init__(self, timings: dict[str, float] | None):
        self.timings = timings
        self.last = time.perf_counter() if timings is not None else 0.0

    def __call__(self, stage: str) -> None:
        if self.timings is not None:
            now = time.perf_counter()
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
            self.last = now


def process_batch(docs: Sequence[IdentifiedDocument], timings: dict[str, float] | None = None) -> list[ProcessedDocument]:
    """Run the per-document stages over a batch (:func:`process_documents`); duplicates are skipped
    (their original carries the results)."""
    return process_documents([(d.doc_id, d.text, d.raw.language, d.raw.published_at) for d in docs if d.duplicate_of is None], timings)


def batched(items: Sequence, size: int) -> Iterator[Sequence]:
    if size < 1:
        raise ValueError("batch size must be at least 1")
    for start in range(0, len(items), size):
        yield items[start : start + size]


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


def sentence_text(text: str, policy: str, carries_event: bool) -> str | None:
    """How much of a sentence a release republishes, by text policy (news text is rarely free to share)."""
    if policy == "full":
        return text
    if policy == "evidence":
        return text[:EVIDENCE_CHARS] if carries_event else None
    if policy == "none":
        return None
    raise ValueError(f"unknown text policy {policy!r}; expected one of {', '.join(TEXT_POLICIES)}")


def sentence_columns(
    docs: Sequence[IdentifiedDocument],
    processed: dict[str, ProcessedDocument],
    text_policy: str,
    event_sentences: frozenset[tuple[str, int]] = frozenset(),
) -> dict[str, list]:
    """The sentences table's columns for the (non-duplicate) documents, a list per column."""
    doc_ids: list[str] = []
    indices: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    texts: list[str | None] = []
    for d in docs:
        if d.duplicate_of is not None:
            continue
        spans = processed[d.doc_id].sentences
        if not spans:
            continue
        doc_id, text, n = d.doc_id, d.text, len(spans)
        doc_ids += [doc_id] * n
        indices += range(n)
        starts += [start for start, _ in spans]
        ends += [end for _, end in spans]
        texts += [sentence_text(text[start:end], text_policy, (doc_id, idx) in event_sentences) for idx, (start, end) in enumerate(spans)]
    return {"doc_id": doc_ids, "sentence_idx": indices, "char_start": starts, "char_end": ends, "text": texts}


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
    "target_entity_id", "target_text", "event_date", "date_precision", "location_entity_id", "negated", "confidence",
)


def event_columns(docs: Sequence[IdentifiedDocument], processed: dict[str, ProcessedDocument], text_policy: str, registry: Registry) -> dict[str, list]:
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
    }


def _ids_by_document(doc_ids: Sequence[str], ids: Sequence[str]) -> dict[str, list[str]]:
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


def sector_summary_keys(
    sectors: Iterable[dict], published: Mapping[str, datetime | None], actors: Mapping[str, tuple[str | None, str | None]], registry: Registry
) -> list[tuple]:
    """What `group_sector_summary` counts of each sector mention: (month, sector, country pair, source
    country, target country, document, event). `published` and `actors` (event ID -> source and
    target entity IDs) need cover only the mentions' own documents, so this runs a chunk of
    documents at a time."""

    def country(entity_id: str | None) -> str | None:
        entity = registry.entities.get(entity_id) if entity_id else None
        return entity.country_iso3 if entity else None

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
        }
        for e in registry.entities.values()
    ]


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


# Documents whose rows are built at a time: rows are Python dicts until they
# become Arrow tables, so a chunk bounds the memory they take.
TABLE_CHUNK_DOCS = 500
# The tables whose rows come from the documents' analysis, built a batch at a time.
PER_DOCUMENT_TABLES = ("sentences", "events", "sector_mentions", "mentions")


@dataclass(frozen=True)
class BatchTables:
    """The rows a batch of documents adds to the release, as Arrow tables, ready to be joined.

    Built where the batch was analysed (a Dask worker, say), so that the
    flow moves compact tables rather than every mention and event object,
    and table building runs in parallel with the analysis.
    """

    tables: dict[str, pa.Table]  # PER_DOCUMENT_TABLES, each sorted by its primary key (taken out by assemble_tables)
    summary_keys: tuple[tuple, ...]  # sector_summary_keys of the batch's sector mentions, in order
    documents: Mapping[str, DocumentSummary]  # the batch's processed (not duplicate) documents


def batch_tables(
    docs: Sequence[IdentifiedDocument],
    processed: Iterable[ProcessedDocument],
    text_policy: str = DEFAULT_TEXT_POLICY,
    registry: Registry | None = None,
) -> BatchTables:
    """The per-document tables of a batch: `processed` holds the results of its non-duplicate documents."""
    if text_policy not in TEXT_POLICIES:
        raise ValueError(f"unknown text policy {text_policy!r}; expected one of {', '.join(TEXT_POLICIES)}")
    registry = registry or load_registry()
    by_id = {p.doc_id: p for p in processed}
    originals = [d for d in docs if d.duplicate_of is None]
    missing = [d.doc_id for d in originals if d.doc_id not in by_id]
    if missing:
        raise ValueError(f"{len(missing)} documents were not processed (first: {missing[0]})")
    events = event_columns(originals, by_id, text_policy, registry)
    event_sentences = frozenset(zip(events["doc_id"], events["sentence_idx"]))
    sectors = sector_rows(originals, by_id, _ids_by_document(events["doc_id"], events["event_id"]))
    actors = dict(zip(events["event_id"], zip(events["source_entity_id"], events["target_entity_id"])))
    keys = sector_summary_keys(sectors, {d.doc_id: d.raw.published_at for d in originals}, actors, registry)
    return BatchTables(
        tables={
            "sentences": table_from_columns("sentences", sentence_columns(originals, by_id, text_policy, event_sentences)),
            "events": table_from_columns("events", events),
            "sector_mentions": make_table("sector_mentions", sectors),
            "mentions": table_from_columns("mentions", mention_columns(by_id[d.doc_id] for d in originals)),
        },
        summary_keys=tuple(keys),
        documents={d.doc_id: DocumentSummary.of(by_id[d.doc_id]) for d in originals},
    )


def assemble_tables(
    docs: Sequence[IdentifiedDocument],
    parts: Iterable[BatchTables],
    rejections: Iterable[Rejection],
    registry: Registry | None = None,
) -> dict[str, pa.Table]:
    """Every table of the release from its batches' tables (in batch order), the documents, the
    rejections and the registry. The result does not depend on how the documents were batched.

    The batches' tables are taken out of ``parts`` as each table is joined, so that a table's
    batches are freed once it is whole rather than held beside every joined table: ``parts``
    is used up (its tables are emptied) once this returns.
    """
    parts = list(parts)
    summaries: dict[str, DocumentSummary] = {}
    for part in parts:
        summaries.update(part.documents)
    missing = [d.doc_id for d in docs if (d.duplicate_of or d.doc_id) not in summaries]
    if missing:
        raise ValueError(f"{len(missing)} documents were not processed (first: {missing[0]})")
    registry = registry or load_registry()
    absent = [(i, name) for i, part in enumerate(parts) for name in PER_DOCUMENT_TABLES if name not in part.tables]
    if absent:
        raise ValueError(f"batch {absent[0][0]} has no {absent[0][1]} table (a batch's tables are used up once assembled)")
    built = {}
    for name in PER_DOCUMENT_TABLES:
        built[name] = _joined(name, [part.tables.pop(name) for part in parts])
    built.update({
        "documents": make_table("documents", document_rows(docs, summaries)),
        "sector_summary": make_table("sector_summary", group_sector_summary(k for part in parts for k in part.summary_keys)),
        "entities": make_table("entities", entity_rows(registry)),
        "entity_roles": make_table("entity_roles", entity_role_rows(registry)),
        "entity_names": make_table("entity_names", entity_name_rows(registry)),
        "rejected": make_table("rejected", rejected_rows(rejections)),
    })
    return {name: built.get(name, empty_table(name)) for name in tables()}


def build_tables(
    docs: Sequence[IdentifiedDocument],
    processed: Iterable[ProcessedDocument],
    rejections: Iterable[Rejection],
    text_policy: str = DEFAULT_TEXT_POLICY,
    registry: Registry | None = None,
    chunk_docs: int = TABLE_CHUNK_DOCS,
) -> dict[str, pa.Table]:
    """Every table of the release contract; the ones later stages fill are written empty, with their schema.

    The per-document tables are built `chunk_docs` documents at a time
    (`batch_tables`) and joined (`assemble_tables`); as every table is sorted
    by its primary key, the result does not depend on the chunk size.
    """
    if text_policy not in TEXT_POLICIES:
        raise ValueError(f"unknown text policy {text_policy!r}; expected one of {', '.join(TEXT_POLICIES)}")
    by_id = {p.doc_id: p for p in processed}
    missing = [d.doc_id for d in docs if (d.duplicate_of or d.doc_id) not in by_id]
    if missing:
        raise ValueError(f"{len(missing)} documents were not processed (first: {missing[0]})")
    registry = registry or load_registry()
    parts = (
        batch_tables(chunk, [by_id[d.doc_id] for d in chunk if d.duplicate_of is None], text_policy, registry)
        for chunk in batched(docs, chunk_docs)
    )
    return assemble_tables(docs, parts, rejections, registry)


def _joined(name: str, parts: list[pa.Table]) -> pa.Table:
    """Chunks of one table as one table in one piece, sorted by primary key as make_table sorts
    (``parts`` is emptied: its tables are let go column by column as the sorted table is made)."""
    if not parts:
        return empty_table(name)
    if len(parts) == 1:
        return parts.pop()
    # Sorting gives one new table in one piece: the chunks need not be joined first (a second copy).
    # The rows are put in order a column at a time, and each column's chunks let go once it is in
    # order, so that the batches' copy and the sorted copy overlap by a column, not by the table
    # (the mentions of 36,000 articles: 0.3 GB).
    whole = pa.concat_tables(parts)
    parts.clear()
    order = pc.sort_indices(whole, sort_keys=[(k, "ascending") for k in table(name).primary_key])
    schema, columns = whole.schema, list(whole.columns)
    del whole
    ordered = []
    pool = pa.default_memory_pool()
    for i in range(len(columns)):
        column, columns[i] = columns[i], None
        ordered.append(column.take(order))
        del column
        # The batches' chunks are small and the sorted column one large block: the allocator
        # would keep the chunks' pages for small blocks to come rather than give them back.
        pool.release_unused()
    return pa.Table.from_arrays(ordered, schema=schema)
