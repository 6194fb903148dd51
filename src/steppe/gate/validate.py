"""The validation gate: every table's Great Expectations suite, then the checks across tables.

Each table's suite (steppe.gate.suites) is derived from its declaration in
schemas/ and runs on the whole table; the checks that join tables
(steppe.gate.cross) run in DuckDB over the Arrow tables. A release is
published only if every one passes. ``validate_table`` runs one table's
suite alone, and ``validate_cross`` the cross-table checks alone: what a
test of one column or one join needs, without the rest of the gate.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from steppe.gate.cross import EVENT_DATE_SLACK_DAYS, cross_results
from steppe.gate.report import (
    Failure,
    ValidationReport,
    build_report,
    described_suite,
    render_html,
)
from steppe.gate.suites import (
    expectations_for,
    gx_context,
    gx_frame,
    run_suite,
    suite_for,
)
from steppe.schema import tables

__all__ = [
    "EVENT_DATE_SLACK_DAYS",
    "Failure",
    "ValidationReport",
    "expectations_for",
    "render_html",
    "validate_cross",
    "validate_table",
    "validate_tables",
]


def _table_suite(context, name: str, table: pa.Table) -> tuple[int, dict[str, Any]]:
    """Table ``name``'s suite run on it: (its rows, the described result). The table's pandas
    copy is made here and dropped on return, so the gate holds one table's at a time."""
    return table.num_rows, run_suite(context, name, suite_for(name), gx_frame(table))


def validate_table(name: str, table: pa.Table) -> ValidationReport:
    """Run one declared table's suite (its declaration's and its reference data's expectations) only."""
    if name not in tables():
        raise ValueError(f"{name!r} is not a table declared in schemas/")
    return build_report({name: _table_suite(gx_context(), name, table)})


def validate_cross(release_tables: dict[str, pa.Table]) -> ValidationReport:
    """Run the checks across tables (foreign keys, spans, event dates, the CAMEO-to-PLOVER crosswalk) only."""
    _check_names(release_tables)
    return build_report({suite: (rows, described_suite(results)) for suite, (rows, results) in cross_results(release_tables).items()})


def validate_tables(release_tables: dict[str, pa.Table]) -> ValidationReport:
    """Run the suite of every declared table, then the cross-table checks; the report lists them in that order."""
    _check_names(release_tables)
    context = gx_context()
    suites = {name: _table_suite(context, name, release_tables[name]) for name in tables()}
    del context
    suites.update({suite: (rows, described_suite(results)) for suite, (rows, results) in cross_results(release_tables).items()})
    return build_report(suites)


def _check_names(release_tables: dict[str, pa.Table]) -> None:
    declared = tables()
    missing = [name for name in declared if name not in release_tables]
    undeclared = [name for name in release_tables if name not in declared]
    if missing or undeclared:
        raise ValueError(f"release tables do not match schemas/: missing {missing}, undeclared {undeclared}")
