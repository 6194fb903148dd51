"""The release's tables assembled: the per-document tables a batch at a time
(:func:`batch_tables`, where the batch was analysed), joined with the tables of the documents,
the registry and the rejections (:func:`assemble_tables`); :func:`build_tables` does both in
one process. The rows themselves are :mod:`steppe.tables.rows`'.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from steppe.analyse.document import IdentifiedDocument, ProcessedDocument, batched
from steppe.analyse.names.registry import Registry, load_registry
from steppe.ingest.read import Rejection
from steppe.schema import table, tables
from steppe.tables.arrow import empty_table, make_table, table_from_columns
from steppe.tables.policy import DEFAULT_TEXT_POLICY, TextPolicy
from steppe.tables.rows import (
    DocumentSummary,
    document_rows,
    entity_name_rows,
    entity_role_rows,
    entity_rows,
    event_columns,
    event_mention_columns,
    group_sector_summary,
    ids_by_document,
    mention_columns,
    rejected_rows,
    sector_rows,
    sector_summary_keys,
    sentence_columns,
    unlinked_entity_rows,
    unlinked_sides,
)

# Documents whose rows are built at a time: rows are Python dicts until they
# become Arrow tables, so a chunk bounds the memory they take.
TABLE_CHUNK_DOCS = 500
# The tables whose rows come from the documents' analysis, built a batch at a time.
PER_DOCUMENT_TABLES = ("sentences", "events", "event_mentions", "sector_mentions", "mentions")


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
    # Every event side naming an unlinked entity: (entity_id, text, country, basis), in event order.
    unlinked: tuple[tuple[str, str, str | None, str | None], ...] = ()


def batch_tables(
    docs: Sequence[IdentifiedDocument],
    processed: Iterable[ProcessedDocument],
    text_policy: TextPolicy | str = DEFAULT_TEXT_POLICY,
    registry: Registry | None = None,
) -> BatchTables:
    """The per-document tables of a batch: `processed` holds the results of its non-duplicate documents.

    ``text_policy`` (a TextPolicy or its value) decides the sentences' text and the events' evidence.
    """
    text_policy = TextPolicy(text_policy)
    registry = registry or load_registry()
    by_id = {p.doc_id: p for p in processed}
    originals = [d for d in docs if d.duplicate_of is None]
    missing = [d.doc_id for d in originals if d.doc_id not in by_id]
    if missing:
        raise ValueError(f"{len(missing)} documents were not processed (first: {missing[0]})")
    events = event_columns(originals, by_id, text_policy, registry)
    event_sentences = frozenset(zip(events["doc_id"], events["sentence_idx"]))
    events_of = ids_by_document(events["doc_id"], events["event_id"])
    sectors = sector_rows(originals, by_id, events_of)
    countries = dict(zip(events["event_id"], zip(events["source_country"], events["target_country"])))
    keys = sector_summary_keys(sectors, {d.doc_id: d.raw.published_at for d in originals}, countries)
    return BatchTables(
        tables={
            "sentences": table_from_columns("sentences", sentence_columns(originals, by_id, text_policy, event_sentences)),
            "events": table_from_columns("events", events),
            "event_mentions": table_from_columns("event_mentions", event_mention_columns(originals, by_id, events_of)),
            "sector_mentions": make_table("sector_mentions", sectors),
            "mentions": table_from_columns("mentions", mention_columns(by_id[d.doc_id] for d in originals)),
        },
        summary_keys=tuple(keys),
        documents={d.doc_id: DocumentSummary.of(by_id[d.doc_id]) for d in originals},
        unlinked=tuple(unlinked_sides(events)),
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
        "entities": make_table("entities", entity_rows(registry) + unlinked_entity_rows(side for part in parts for side in part.unlinked)),
        "entity_roles": make_table("entity_roles", entity_role_rows(registry)),
        "entity_names": make_table("entity_names", entity_name_rows(registry)),
        "rejected": make_table("rejected", rejected_rows(rejections)),
    })
    return {name: built.get(name, empty_table(name)) for name in tables()}


def build_tables(
    docs: Sequence[IdentifiedDocument],
    processed: Iterable[ProcessedDocument],
    rejections: Iterable[Rejection],
    text_policy: TextPolicy | str = DEFAULT_TEXT_POLICY,
    registry: Registry | None = None,
    chunk_docs: int = TABLE_CHUNK_DOCS,
) -> dict[str, pa.Table]:
    """Every table of the release contract; the ones later stages fill are written empty, with their schema.

    The per-document tables are built `chunk_docs` documents at a time
    (`batch_tables`) and joined (`assemble_tables`); as every table is sorted
    by its primary key, the result does not depend on the chunk size.
    """
    text_policy = TextPolicy(text_policy)
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

