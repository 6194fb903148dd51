"""The per-document analysis as plain functions over plain data.

Prefect (flows/release.py) only wires these together and batches the work;
everything here is tested directly, without Prefect. The tables are built from
what it finds by :mod:`steppe.tables` (which imports this module, never the reverse).

    ingest (steppe.ingest.read)  ->  identify_documents
        ->  process_batch: language (steppe.analyse.language), sentences (steppe.analyse.sentences),
                           name mentions (steppe.analyse.names.mentions), events, sectors
        ->  build_tables (steppe.tables.assemble)  ->  validate (steppe.gate.validate)
        ->  publish (steppe.publish.release)
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from steppe.analyse.events.code import Event, code_events
from steppe.analyse.language import detect_language
from steppe.analyse.names.mentions import Mention, as_date, find_mentions
from steppe.analyse.sectors import SectorMatch, find_sectors
from steppe.analyse.sentences import sentence_spans
from steppe.analyse.visible import original_span, visible_text
from steppe.ids import content_id, sha256_text
from steppe.ingest.read import RawDocument, Rejection
from steppe.text import MAX_SENTENCE_CHARS


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
    # Indices of the sentences that end at the size limit, not at a sentence end (the text ran on).
    cut: tuple[int, ...] = ()


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
    doc_id: str, text: str, language: str | None, published: datetime | None = None, timings: dict[str, float] | None = None,
    max_sentence_chars: int = MAX_SENTENCE_CHARS,
) -> ProcessedDocument:
    """Language (metadata first, else detected), sentences, name mentions, events and sectors of one
    document (:func:`process_documents` of that one)."""
    return process_documents([(doc_id, text, language, published)], timings, max_sentence_chars)[0]


def process_documents(
    items: Sequence[tuple[str, str, str | None, datetime | None]], timings: dict[str, float] | None = None,
    max_sentence_chars: int = MAX_SENTENCE_CHARS,
) -> list[ProcessedDocument]:
    """What :func:`process_document` finds in each (doc_id, text, language, published), a stage at
    a time over them all: each stage's patterns and caches stay warm from one document to the next
    (run a document at a time, the core run of 36,000 articles took 177 s rather than 162 s).

    The stages read the text without its format characters (soft hyphens, zero-width spaces:
    :mod:`steppe.analyse.visible`); the offsets found are offsets into the text. ``timings``, if given,
    gets each stage's seconds added to it (under "ingest" for the texts' format characters, then
    "language", "sentences", "mentions", "events", "sectors"): what `steppe bench` reports.
    A sentence longer than ``max_sentence_chars`` is cut into pieces of at most that length
    (:func:`steppe.analyse.sentences.sentence_spans`).
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
    split = [sentence_spans(text, lang, max_sentence_chars) for (text, _), (lang, _, _) in zip(shown, langs)]
    spans = [tuple(found) for found, _ in split]
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
    sectors = [tuple(find_sectors(text, lang, s)) for (text, _), (lang, _, _), s in zip(shown, langs, spans)]
    lap("sectors")
    out = []
    for (doc_id, text, _, _), (_, where), lang, s, (_, cut), m, e, sec in zip(items, shown, langs, spans, split, mentions, events, sectors):
        processed = ProcessedDocument(doc_id, *lang, s, m, e, sec, cut)
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


def process_batch(
    docs: Sequence[IdentifiedDocument], timings: dict[str, float] | None = None, max_sentence_chars: int = MAX_SENTENCE_CHARS
) -> list[ProcessedDocument]:
    """Run the per-document stages over a batch (:func:`process_documents`); duplicates are skipped
    (their original carries the results)."""
    items = [(d.doc_id, d.text, d.raw.language, d.raw.published_at) for d in docs if d.duplicate_of is None]
    return process_documents(items, timings, max_sentence_chars)


def batched(items: Sequence, size: int) -> Iterator[Sequence]:
    if size < 1:
        raise ValueError("batch size must be at least 1")
    for start in range(0, len(items), size):
        yield items[start : start + size]


def restore_offsets(processed: ProcessedDocument, text: str, where: Sequence[int]) -> ProcessedDocument:
    """What the analysis found in the visible text of ``text`` (``where``:
    :func:`steppe.analyse.visible.visible_text`'s), with every span an offset into ``text``, and
    every surface and trigger read from ``text`` there."""
    sentences = tuple(original_span(where, s, e) for s, e in processed.sentences)
    mentions = []
    for m in processed.mentions:
        s, e = original_span(where, m.char_start, m.char_end)
        mentions.append(replace(m, char_start=s, char_end=e, surface=text[s:e]))
    events = []
    for ev in processed.events:
        s, e = original_span(where, ev.char_start, ev.char_end)
        spans = tuple(original_span(where, a, b) for a, b in ev.evidence_spans)
        reports = []
        for m in ev.mentions:
            a, b = original_span(where, m.char_start, m.char_end)
            reports.append(replace(m, char_start=a, char_end=b, trigger=text[a:b]))
        events.append(replace(ev, char_start=s, char_end=e, trigger=text[s:e], evidence_spans=spans, mentions=tuple(reports)))
    sectors = []
    for match in processed.sectors:
        s, e = original_span(where, match.char_start, match.char_end)
        sectors.append(replace(match, char_start=s, char_end=e, surface=text[s:e]))
    return replace(processed, sentences=sentences, mentions=tuple(mentions), events=tuple(events), sectors=tuple(sectors))
