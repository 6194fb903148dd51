"""The checks that join tables (or a table and reference data), in DuckDB SQL over the Arrow tables.

"cross_foreign_keys": every foreign key resolves to a row of the table it
names, a compound key (doc_id, sentence_idx) as a pair. "cross_spans": every
span of a table that holds them (sentences, mentions, events, event mentions,
sector mentions: each table with doc_id, char_start and char_end) lies inside
its document (its document exists, 0 <= char_start < char_end <= n_chars).
"cross_event_dates": no event stated as a fact is dated after its document's
publication (plus EVENT_DATE_SLACK_DAYS). "events_crosswalk": each event's
PLOVER type is the one the CAMEO-to-PLOVER crosswalk gives its CAMEO code.

A join is what SQL does well: DuckDB reads the Arrow tables in place, so
the gate makes no pandas copy of them for these checks, and the cost grows
with the rows, not with a per-row Python call. Each check is a query for
the rows that break it; its result is described as GX describes an
expectation's (steppe.gate.report), with the rows' count and the first
distinct examples, in order. A null in a checked column is left to the
table's own suite (its not-null expectation), as GX leaves missing values
out of a comparison.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from steppe.schema import tables

# The fields of a span that points into a document's text.
SPAN_FIELDS = ("doc_id", "char_start", "char_end")
# How far after publication an event may be dated: a day, for time zones.
EVENT_DATE_SLACK_DAYS = 1
# How many distinct examples a check's result lists (GX's SUMMARY format lists 20).
PARTIAL_UNEXPECTED_COUNT = 20

SUITES = ("cross_foreign_keys", "cross_spans", "cross_event_dates", "events_crosswalk")


@dataclass(frozen=True)
class Check:
    """One cross-table check: ``rows`` selects, for every row that breaks it, the columns its
    examples show; ``checked`` selects the rows it looks at (its result's element_count)."""

    suite: str
    name: str
    table: str
    column: str
    check: str  # the failure, in words
    rows: str
    checked: str
    reference: str | None = None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _all(columns: tuple[str, ...] | list[str], alias: str = "t") -> str:
    return ", ".join(f"{alias}.{_q(c)}" for c in columns)


def _shown(table: str, *columns: str) -> str:
    """The columns a span check's examples show: the row's primary key, then ``columns`` (those
    of ``t``, the table, not in its key; the others, as named)."""
    key = tables()[table].primary_key
    return ", ".join([f"t.{_q(c)}" for c in key] + [c for c in columns if c.removeprefix("t.") not in key])


def foreign_key_checks() -> list[Check]:
    """A check per declared foreign key: the rows whose key no row of the referenced table has
    (its examples are the distinct keys). A compound key is looked up as a whole, not column by column."""
    checks = []
    for name, spec in tables().items():
        for fk in spec.foreign_keys:
            present = " AND ".join(f"t.{_q(c)} IS NOT NULL" for c in fk.fields)
            match = " AND ".join(f"r.{_q(ref)} = t.{_q(c)}" for c, ref in zip(fk.fields, fk.reference_fields))
            label = fk.fields[0] if len(fk.fields) == 1 else f"({', '.join(fk.fields)})"
            ref = fk.reference_fields[0] if len(fk.reference_fields) == 1 else f"({', '.join(fk.reference_fields)})"
            checks.append(Check(
                "cross_foreign_keys", "foreign_key", name, label, f"foreign key to {fk.resource}.{ref} does not resolve",
                rows=f"SELECT {_all(fk.fields)} FROM {_q(name)} t WHERE {present} "
                     f"AND NOT EXISTS (SELECT 1 FROM {_q(fk.resource)} r WHERE {match})",
                checked=f"SELECT 1 FROM {_q(name)} t WHERE {present}",
                reference=f"{fk.resource}.{ref}",
            ))
    return checks


def span_tables() -> list[str]:
    """The tables that hold spans of a document's text (every field of SPAN_FIELDS), in contract order."""
    return [name for name, spec in tables().items() if set(SPAN_FIELDS) <= set(spec.field_names)]


def span_checks() -> list[Check]:
    """Four checks per table of spans: its document exists, and the span starts at 0 or later,
    is not empty, and ends inside its document's text."""
    # Duplicate document keys are the documents suite's failure to report; here, the longest counts.
    documents = "(SELECT doc_id, max(n_chars) AS doc_n_chars FROM documents GROUP BY doc_id)"
    checks = []
    for name in span_tables():
        joined = f"FROM {_q(name)} t LEFT JOIN {documents} d ON d.doc_id = t.doc_id"
        every = f"SELECT 1 FROM {_q(name)} t"
        checks += [
            Check("cross_spans", "span_document_exists", name, "doc_id", "span's document does not exist",
                  rows=f"SELECT {_shown(name, 't.doc_id')} {joined} WHERE d.doc_id IS NULL", checked=every),
            Check("cross_spans", "span_starts_in_text", name, "char_start", "span starts before 0",
                  rows=f"SELECT {_shown(name, 't.char_start')} FROM {_q(name)} t WHERE t.char_start < 0", checked=every),
            Check("cross_spans", "span_is_not_empty", name, "char_end", "span ends where it starts or before",
                  rows=f"SELECT {_shown(name, 't.char_start', 't.char_end')} FROM {_q(name)} t WHERE t.char_end <= t.char_start", checked=every),
            Check("cross_spans", "span_ends_in_document", name, "char_end", "span ends past its document's end",
                  rows=f"SELECT {_shown(name, 't.char_end', 'd.doc_n_chars')} {joined} WHERE t.char_end > d.doc_n_chars", checked=every),
        ]
    return checks


def event_date_check() -> Check:
    """No event stated as a fact is dated after the (UTC) day its document was published, plus
    EVENT_DATE_SLACK_DAYS; an event whose document does not exist is the foreign keys' failure."""
    published = "(SELECT doc_id, max(CAST(timezone('UTC', published_at) AS DATE)) AS published FROM documents GROUP BY doc_id)"
    facts = f"FROM events t JOIN {published} d ON d.doc_id = t.doc_id WHERE NOT coalesce(t.negated, false)"
    return Check(
        "cross_event_dates", "fact_not_after_publication", "events", "event_date",
        f"fact dated more than {EVENT_DATE_SLACK_DAYS} day after its document's publication",
        rows=f"SELECT t.event_id, t.event_date, d.published {facts} AND t.event_date > d.published + {EVENT_DATE_SLACK_DAYS}",
        checked=f"SELECT 1 {facts}",
    )


def crosswalk_check() -> Check:
    """Each (cameo_code, plover_type) pair of the events is one the CAMEO-to-PLOVER crosswalk
    gives (the table ``crosswalk``, from the codebook); a pair with a missing value is not checked."""
    both = "FROM events t WHERE t.cameo_code IS NOT NULL AND t.plover_type IS NOT NULL"
    return Check(
        "events_crosswalk", "cameo_plover_crosswalk", "events", "plover_type",
        "PLOVER type is not the one the CAMEO-to-PLOVER crosswalk gives its CAMEO code",
        rows=f"SELECT t.cameo_code, t.plover_type {both} AND NOT EXISTS "
             "(SELECT 1 FROM crosswalk c WHERE c.cameo_code = t.cameo_code AND c.plover_type = t.plover_type)",
        checked=f"SELECT 1 {both}",
        reference="CAMEO-to-PLOVER crosswalk",
    )


def all_checks() -> list[Check]:
    return foreign_key_checks() + span_checks() + [event_date_check(), crosswalk_check()]


def _crosswalk_table() -> pa.Table:
    from steppe.analyse.events.codebook import load_codebook

    pairs = sorted((c.code, c.plover_type) for c in load_codebook().values() if c.plover_type)
    return pa.table({"cameo_code": [p[0] for p in pairs], "plover_type": [p[1] for p in pairs]}, schema=pa.schema([("cameo_code", pa.string()), ("plover_type", pa.string())]))


def run_check(con, check: Check) -> tuple[int, dict[str, Any]]:
    """The rows ``check`` looks at, and its result described as GX describes an expectation's.

    A query that cannot run (a table without a column it reads, which the
    table's suite reports too) is a failed check with the error, as GX
    reports an expectation it could not evaluate.
    """
    import duckdb

    kwargs: dict[str, Any] = {"table": check.table, "column": check.column, "check": check.check}
    if check.reference:
        kwargs["reference"] = check.reference
    try:
        (checked,) = con.execute(f"SELECT count(*) FROM ({check.checked})").fetchone()
        (unexpected,) = con.execute(f"SELECT count(*) FROM ({check.rows})").fetchone()
        cursor = con.execute(f"SELECT DISTINCT * FROM ({check.rows}) ORDER BY ALL LIMIT {PARTIAL_UNEXPECTED_COUNT}")
    except duckdb.Error as exc:
        return 0, {"expectation_type": check.name, "success": False, "kwargs": kwargs, "result": {},
                   "exception_info": {"raised_exception": True, "exception_message": str(exc)}}
    names = [d[0] for d in cursor.description]
    examples = [row[0] if len(row) == 1 else dict(zip(names, row)) for row in cursor.fetchall()]
    result = {
        "element_count": checked,
        "unexpected_count": unexpected,
        "unexpected_percent": unexpected / checked * 100 if checked else None,
        "partial_unexpected_list": json.loads(json.dumps(examples, default=str)),
    }
    return checked, {"expectation_type": check.name, "success": unexpected == 0, "kwargs": kwargs, "result": result}


def cross_results(release_tables: dict[str, pa.Table]) -> dict[str, tuple[int, list[dict[str, Any]]]]:
    """Every cross-table check run over ``release_tables``: suite -> (rows looked at, by the most of
    its checks; its checks' described results, in order)."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        for name, t in release_tables.items():
            con.register(name, t)  # read in place: no copy
        con.register("crosswalk", _crosswalk_table())
        out: dict[str, tuple[int, list[dict[str, Any]]]] = {suite: (0, []) for suite in SUITES}
        for check in all_checks():
            checked, described = run_check(con, check)
            rows, results = out[check.suite]
            out[check.suite] = (max(rows, checked), results + [described])
        return out
    finally:
        con.close()
