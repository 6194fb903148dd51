"""The dataset card's plots: monthly tables without gaps, few series, the same bytes every time."""

import pandas as pd
from test_release import seed_release_tables

from steppe.publish.plots import MAX_SERIES, month_table, render_plots


def test_month_table_fills_empty_months_orders_series_and_keeps_unknown_last():
    frame = pd.DataFrame({
        "month": ["2025-01", "2025-01", "2025-04", "unknown", "2025-04", "2025-04"],
        "kind": ["a", "b", "b", "a", "b", "c"],
        "id": range(6),
    })
    table = month_table(frame, "kind", "id")
    assert list(table.index) == ["2025-01", "2025-02", "2025-03", "2025-04", "unknown"]
    assert list(table.columns) == ["b", "a", "c"]  # by total, then name
    assert table.loc["2025-02"].sum() == 0 and table.loc["2025-04", "b"] == 2 and table.loc["unknown", "a"] == 1


def test_month_table_sums_the_smallest_series_as_other():
    kinds = [f"k{i:02d}" for i in range(MAX_SERIES + 5)]
    frame = pd.DataFrame({"month": "2025-01", "kind": [k for i, k in enumerate(kinds) for _ in range(len(kinds) - i)], "id": 0})
    table = month_table(frame, "kind", "id")
    assert len(table.columns) == MAX_SERIES and table.columns[-1] == "other"
    assert int(table.to_numpy().sum()) == len(frame)


def test_plots_are_byte_identical_across_runs(tmp_path):
    tables = seed_release_tables()
    render_plots(tables, tmp_path / "a")
    render_plots(tables, tmp_path / "b")
    for p in sorted((tmp_path / "a").iterdir()):
        assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes(), p.name


def test_month_table_keeps_the_latest_months_and_counts_the_earlier_rows():
    from steppe.publish.plots import MAX_MONTHS

    frame = pd.DataFrame({"month": ["1917-11", "2001-05", "2024-12", "2025-01"], "kind": "a", "id": range(4)})
    table = month_table(frame, "kind", "id")
    assert len(table) == MAX_MONTHS and table.index[-1] == "2025-01"
    assert table.attrs["earlier"] == 2 and int(table.to_numpy().sum()) == 2


def _edge_tables():
    """The seed's tables with what the plots must count right: dates from a thousand years
    ago and none, a document key given twice (the last row counts, as in a failed release's
    tables), a mention and a sector mention of no known document, a one-level sector code."""
    import datetime as dt

    from steppe.tables.arrow import make_table

    tables = seed_release_tables()
    events = tables["events"].to_pylist()
    for row, day in zip(events, [dt.date(988, 5, 1), dt.date(1, 1, 1), None, dt.date(2024, 2, 29)]):
        row["event_date"] = day
    events[4]["negated"] = True
    documents = tables["documents"].to_pylist()
    documents.append(dict(documents[0], source_line=99, published_at=None, language="ru"))
    sectors = tables["sector_mentions"].to_pylist()
    sectors[0]["sector_code"] = "agriculture"
    sectors.append(dict(sectors[1], sector_mention_id="s" + "0" * 16, doc_id="d" + "f" * 16))
    mentions = tables["mentions"].to_pylist()
    mentions.append(dict(mentions[0], mention_id="m" + "0" * 16, doc_id="d" + "f" * 16))
    return dict(
        tables,
        events=make_table("events", events),
        documents=make_table("documents", documents),
        sector_mentions=make_table("sector_mentions", sectors),
        mentions=make_table("mentions", mentions),
    )


def _month(day) -> str | None:
    return None if day is None else f"{day.year:04d}-{day.month:02d}"


def _plain(values) -> list:
    return [None if pd.isna(v) else v for v in values]


def test_what_the_plots_count_is_what_the_rows_say():
    """The frames and shares the plots are drawn from, worked out in Arrow, against the rows read one by one."""
    from steppe.publish.plots import event_months, resolved_share, sector_months

    tables = _edge_tables()
    events = tables["events"].to_pylist()
    facts = event_months(tables["events"])
    expected = [e for e in events if not e["negated"]]
    assert _plain(facts.month) == [_month(e["event_date"]) for e in expected]
    assert "0988-05" in list(facts.month) and None in _plain(facts.month)
    assert list(facts.event_id) == [e["event_id"] for e in expected] and _plain(facts.plover_type) == [e["plover_type"] for e in expected]

    documents = {d["doc_id"]: d for d in tables["documents"].to_pylist()}  # the last row of a key counts
    sectors = tables["sector_mentions"].to_pylist()
    frame = sector_months(tables["sector_mentions"], tables["documents"])
    published = [documents[s["doc_id"]]["published_at"] if s["doc_id"] in documents else None for s in sectors]
    assert list(frame.month) == [_month(p) or "unknown" for p in published]
    assert set(frame.month) == {"unknown"}  # the seed's one document, dated no more by its last row
    assert list(frame.sector) == [s["sector_code"].split(".")[0] for s in sectors] and "agriculture" in set(frame.sector)
    assert list(frame.sector_mention_id) == [s["sector_mention_id"] for s in sectors]

    totals: dict[str, list[int]] = {}
    for m in tables["mentions"].to_pylist():
        if m["doc_id"] in documents:
            counts = totals.setdefault(documents[m["doc_id"]]["language"], [0, 0])
            counts[0] += m["entity_id"] is not None
            counts[1] += 1
    share = resolved_share(tables["mentions"], tables["documents"])
    assert list(share.index) == sorted(totals) == ["ru"]
    assert list(share) == [totals[k][0] / totals[k][1] for k in sorted(totals)]


def test_plots_of_a_release_with_no_rows(tmp_path):
    from steppe.tables.arrow import empty_table

    tables = {name: empty_table(name) for name in seed_release_tables()}
    render_plots(tables, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["events_by_month.png", "top_actor_pairs.png", "sectors_by_month.png", "names_resolved.png"])
