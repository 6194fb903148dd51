"""The pipeline's stages as plain functions over plain data.

Prefect (flows/release.py) only wires these together and batches the work;
everything here is tested directly, without Prefect.

    ingest (steppe.ingest)  ->  identify_documents  ->  process_batch (language, sentences)
                            ->  build_tables  ->  validate (steppe.validate)  ->  publish (steppe.release)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import pyarrow as pa

from steppe.ids import content_id, sha256_text
from steppe.ingest import RawDocument, Rejection
from steppe.language import detect_language
from steppe.schema import tables
from steppe.sentences import split_sentences
from steppe.tables import empty_table, make_table

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

    @property
    def text(self) -> str:
        return self.raw.text


@dataclass(frozen=True)
class ProcessedDocument:
    """What the per-document stages found in one (non-duplicate) document."""

    doc_id: str
    language: str
    language_source: str
    language_confidence: float
    sentences: tuple[tuple[int, int], ...]


def identify_documents(raw_docs: Iterable[RawDocument]) -> list[IdentifiedDocument]:
    """Give each document its ID and point exact duplicates at the first document with the same text.

    The first occurrence (in input order: files sorted by path, records in file
    order) keeps the ID derived from its text alone, so the processed document's
    ID does not depend on where the text came from; each later copy gets an ID
    derived from its text and its place, and is not processed again.
    """
    first_by_hash: dict[str, str] = {}
    out = []
    for raw in raw_docs:
        digest = sha256_text(raw.text)
        original = first_by_hash.get(digest)
        if original is None:
            doc_id = content_id(digest)
            first_by_hash[digest] = doc_id
            out.append(IdentifiedDocument(raw, doc_id, digest, None))
        else:
            doc_id = content_id(digest, raw.source_file, raw.source_line)
            out.append(IdentifiedDocument(raw, doc_id, digest, original))
    return out


def process_document(doc_id: str, text: str, language: str | None) -> ProcessedDocument:
    """Language (metadata first, else detected) and sentence spans of one document."""
    if language:
        lang, source, confidence = language, "metadata", 1.0
    else:
        lang, confidence = detect_language(text)
        source = "detected"
    spans = tuple(split_sentences(text, lang))
    return ProcessedDocument(doc_id, lang, source, confidence, spans)


def process_batch(docs: Sequence[IdentifiedDocument]) -> list[ProcessedDocument]:
    """Run the per-document stages over a batch; duplicates are skipped (their original carries the results)."""
    return [process_document(d.doc_id, d.text, d.raw.language) for d in docs if d.duplicate_of is None]


def batched(items: Sequence, size: int) -> Iterator[Sequence]:
    if size < 1:
        raise ValueError("batch size must be at least 1")
    for start in range(0, len(items), size):
        yield items[start : start + size]


def document_rows(docs: Sequence[IdentifiedDocument], processed: dict[str, ProcessedDocument]) -> list[dict]:
    rows = []
    for d in docs:
        raw = d.raw
        # A duplicate reports the language its original was processed with.
        p = processed[d.duplicate_of or d.doc_id]
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
                "n_chars": len(raw.text),
                "n_sentences": 0 if d.duplicate_of else len(p.sentences),
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


def sentence_rows(
    docs: Sequence[IdentifiedDocument],
    processed: dict[str, ProcessedDocument],
    text_policy: str,
    event_sentences: frozenset[tuple[str, int]] = frozenset(),
) -> list[dict]:
    rows = []
    for d in docs:
        if d.duplicate_of is not None:
            continue
        for idx, (start, end) in enumerate(processed[d.doc_id].sentences):
            rows.append(
                {
                    "doc_id": d.doc_id,
                    "sentence_idx": idx,
                    "char_start": start,
                    "char_end": end,
                    "text": sentence_text(d.text[start:end], text_policy, (d.doc_id, idx) in event_sentences),
                }
            )
    return rows


def rejected_rows(rejections: Iterable[Rejection]) -> list[dict]:
    return [
        {"source_file": r.source_file, "source_line": r.source_line, "reason": r.reason, "detail": r.detail}
        for r in rejections
    ]


def build_tables(
    docs: Sequence[IdentifiedDocument],
    processed: Iterable[ProcessedDocument],
    rejections: Iterable[Rejection],
    text_policy: str = DEFAULT_TEXT_POLICY,
) -> dict[str, pa.Table]:
    """Every table of the release contract; the ones later stages fill are written empty, with their schema."""
    if text_policy not in TEXT_POLICIES:
        raise ValueError(f"unknown text policy {text_policy!r}; expected one of {', '.join(TEXT_POLICIES)}")
    by_id = {p.doc_id: p for p in processed}
    missing = [d.doc_id for d in docs if (d.duplicate_of or d.doc_id) not in by_id]
    if missing:
        raise ValueError(f"{len(missing)} documents were not processed (first: {missing[0]})")
    built = {
        "documents": make_table("documents", document_rows(docs, by_id)),
        "sentences": make_table("sentences", sentence_rows(docs, by_id, text_policy)),
        "rejected": make_table("rejected", rejected_rows(rejections)),
    }
    return {name: built.get(name, empty_table(name)) for name in tables()}
