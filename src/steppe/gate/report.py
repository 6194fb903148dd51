"""The gate's report: what passed and failed, as JSON for the release and as an offline HTML page.

Every check is described in the shape Great Expectations describes an
expectation's result (``expectation_type``, ``success``, ``kwargs``,
``result`` with ``unexpected_count`` and ``partial_unexpected_list``), the
cross-table checks run in DuckDB included, so that one reader, and one
page, covers both.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

# How many examples a failure carries (its message shows the first three).
EXAMPLES = 5


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
    results: dict[str, Any] = field(default_factory=dict)  # each suite's described results, JSON-ready

    def summary(self) -> dict[str, Any]:
        return {
            "success": self.success,
            "evaluated_expectations": self.evaluated,
            "successful_expectations": self.successful,
            "tables": self.per_table,
            "failures": [f.__dict__ for f in self.failures],
        }


def described_suite(results: list[dict[str, Any]]) -> dict[str, Any]:
    """A suite's described result from its checks' described results, with GX's statistics of them."""
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
        "result_url": None,
    }


def build_report(suites: dict[str, tuple[int, dict[str, Any]]]) -> ValidationReport:
    """The report of suites run: name -> (rows checked, described result)."""
    per_table: dict[str, dict[str, int]] = {}
    failures: list[Failure] = []
    results: dict[str, Any] = {}
    evaluated = successful = 0
    for name, (rows, described) in suites.items():
        results[name] = described
        stats = described["statistics"]
        per_table[name] = {"rows": rows, "evaluated": stats["evaluated_expectations"], "successful": stats["successful_expectations"]}
        evaluated += stats["evaluated_expectations"]
        successful += stats["successful_expectations"]
        failures += [failure(name, exp) for exp in described["expectations"] if not exp["success"]]
    return ValidationReport(success=not failures, evaluated=evaluated, successful=successful, per_table=per_table, failures=failures, results=results)


def failure(suite: str, exp: dict[str, Any]) -> Failure:
    """A failed check as the gate reports it: the table and column, what failed, how often, examples.

    A cross-table check names the table it checks in its kwargs ("table"), and
    its own name (``expectation_type``, e.g. "foreign_key"): the failure is
    that table's, not its suite's.
    """
    kwargs = {k: v for k, v in exp.get("kwargs", {}).items() if k != "batch_id"}
    result = exp.get("result") or {}
    table = kwargs.pop("table", suite)
    column = kwargs.get("column")
    count = result.get("unexpected_count")
    examples = list(result.get("partial_unexpected_list") or [])[:EXAMPLES]
    if not examples and "observed_value" in result:
        examples = [result["observed_value"]]
    what = exp["expectation_type"]
    where = f"{table}.{column}" if column else table
    if "check" in kwargs:  # a cross-table check says what it checks in words
        message = f"{where}: {kwargs['check']}"
    else:
        detail = ", ".join(f"{k}={short(v)}" for k, v in kwargs.items() if k != "column")
        message = f"{where}: {what}({detail}) failed"
    if count:
        message += f" for {count} rows"
    if examples:
        message += f"; e.g. {examples[:3]!r}"
    exception = (exp.get("exception_info") or {}).get("exception_message")
    if exception:
        message += f"; error: {exception}"
    return Failure(table, what, column, count, examples, message)


def short(value: Any, limit: int = 120) -> str:
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
            f"<td><code>{esc(', '.join(f'{k}={short(v)}' for k, v in e['kwargs'].items() if k != 'batch_id'))}</code></td></tr>"
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
<p>Validation (Great Expectations suites and cross-table checks): <strong class={'ok' if report.success else 'bad'}>{status}</strong>,
{report.successful} of {report.evaluated} expectations met.</p>
<h2>Tables</h2>
<table><tr><th>table</th><th>rows</th><th>expectations met</th><th>result</th></tr>{rows}</table>
<h2>Failures</h2><ul>{fails}</ul>
<h2>Every expectation</h2>
{''.join(detail)}
</body></html>
"""
