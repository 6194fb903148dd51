"""The dataset card's plots: a window of months on the bulk of the data, never past the latest
publication, what it leaves out counted; monthly tables without gaps, few series, the same bytes every time."""

import datetime as dt

import pandas as pd
import pytest
from test_release import seed_release_tables

from steppe.publish.plots import (
    MAX_MONTHS,
    MAX_SERIES,
    MonthWindow,
    month_table,
    month_window,
    render_plots,
    window_caption,
    window_note,
)


def _days(first: str, last: str, every: int = 1) -> list[str]:
    return [d.strftime("%Y-%m-%d") for d in pd.date_range(first, last, freq="D")[::every]]


def _months(first: str, last: str) -> list[str]:
    return pd.period_range(first, last, freq="M").strftime("%Y-%m").tolist()


# --- the window: a pure function of the dates and the latest publication ----------------


def test_an_event_dated_after_the_latest_publication_does_not_stretch_the_window():
    bulk = (_days("2025-02-01", "2025-11-20") * 40)[:10_163]
    window = month_window(bulk + ["2030-06-01"], latest="2025-11-20")
    assert window == MonthWindow(tuple(_months("2025-02", "2025-11")), before=0, after=1, undated=0, latest="2025-11-20")
    assert window.outside == 1
    assert window_note(window, "events") == "1 event dated after the latest publication (2025-11-20) not shown"


def test_the_latest_publication_day_is_drawn_and_the_day_after_is_not():
    window = month_window(["2025-10-03", "2025-11-20", "2025-11-21", "2025-12-01"], latest="2025-11-20")
    assert window.months == ("2025-10", "2025-11") and window.after == 2 and window.before == 0


def test_events_before_the_bulk_are_cut_up_to_one_percent_and_counted():
    bulk = _days("2025-01-01", "2025-10-31") * 4  # 1,216 rows
    # 12 rows before the bulk: at most 1% of 1,228, all cut.
    window = month_window(["1917-11-07"] * 5 + ["2024-06-10"] * 7 + bulk, latest="2025-10-31")
    assert window == MonthWindow(tuple(_months("2025-01", "2025-10")), before=12, latest="2025-10-31")
    # 13 rows before it: more than 1% of 1,229; 1917 is cut, June 2024 holds the 13th row and is drawn.
    window = month_window(["1917-11-07"] * 5 + ["2024-06-10"] * 8 + bulk, latest="2025-10-31")
    assert window == MonthWindow(tuple(_months("2024-06", "2025-10")), before=5, latest="2025-10-31")
    assert window_note(window, "events") == "5 events dated before 2024-06 not shown"


def test_at_most_max_months_are_drawn_the_latest_ones():
    bulk = _days("2025-01-01", "2025-10-31") * 4
    window = month_window(["1917-11-07"] * 5 + ["2001-05-10"] * 8 + bulk, latest="2025-10-31")
    assert window.months == tuple(_months("2020-11", "2025-10")) and len(window.months) == MAX_MONTHS
    assert window.before == 13  # 1917 by the bulk rule, 2001 by the limit on the months drawn


def test_a_small_release_draws_every_dated_month_and_caps_the_number_of_months():
    window = month_window(["1917-11-07", "2001-05-10", "2024-12-01", "2025-01-31"])
    assert len(window.months) == MAX_MONTHS and window.months[-1] == "2025-01" and window.before == 2
    window = month_window(["2024-12-01", "2025-03-31", "2025-03-01"], latest=None)
    assert window == MonthWindow(("2024-12", "2025-01", "2025-02", "2025-03"))


def test_undated_rows_are_counted_apart_and_all_undated_gives_no_months():
    window = month_window(["2025-03-01", None, float("nan"), pd.NA, "2025-03-02"], latest="2025-03-31")
    assert window == MonthWindow(("2025-03",), undated=3, latest="2025-03-31")
    window = month_window([None] * 4, latest="2025-03-31")
    assert window == MonthWindow((), undated=4, latest="2025-03-31")
    assert window_note(window, "events") == ""
    assert window_caption("Events", window, "events") == "Events: 4 undated events."


def test_an_empty_list_and_only_dates_past_the_latest_publication():
    assert month_window([]) == MonthWindow(())
    window = month_window(["2030-01-01", "2031-01-01"], latest="2025-11-20")
    assert window == MonthWindow((), after=2, latest="2025-11-20")
    assert window_note(window, "events") == "2 events dated after the latest publication (2025-11-20) not shown"


def test_the_caption_names_the_window_and_everything_left_out():
    window = MonthWindow(tuple(_months("2025-02", "2025-11")), before=1, after=3, undated=1_230, latest="2025-11-20")
    assert window_caption("Events per month", window, "events") == (
        "Events per month, 2025-02 to 2025-11: 1 event dated before 2025-02 and 3 dated after the latest "
        "publication (2025-11-20) not shown; 1,230 undated events shown apart."
    )
    assert window_caption("Events per month", MonthWindow(("2025-11",)), "events") == "Events per month, 2025-11."


# --- the monthly tables -----------------------------------------------------------------


def test_month_table_fills_empty_months_orders_series_and_leaves_undated_rows_out():
    frame = pd.DataFrame({
        "date": ["2025-01-02", "2025-01-30", "2025-04-01", None, "2025-04-11", "2025-04-30", "2030-01-01"],
        "kind": ["a", "b", "b", "a", "b", "c", "a"],
        "id": range(7),
    })
    table = month_table(frame, "kind", "id", latest="2025-05-01")
    assert list(table.index) == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert list(table.columns) == ["b", "a", "c"]  # by total, then name
    assert table.loc["2025-02"].sum() == 0 and table.loc["2025-04", "b"] == 2 and table.loc["2025-01", "a"] == 1
    assert int(table.to_numpy().sum()) == 5
    assert table.attrs["window"] == MonthWindow(tuple(table.index), after=1, undated=1, latest="2025-05-01")


def test_month_table_sums_the_smallest_series_as_other():
    kinds = [f"k{i:02d}" for i in range(MAX_SERIES + 5)]
    frame = pd.DataFrame({"date": "2025-01-15", "kind": [k for i, k in enumerate(kinds) for _ in range(len(kinds) - i)], "id": 0})
    table = month_table(frame, "kind", "id")
    assert len(table.columns) == MAX_SERIES and table.columns[-1] == "other"
    assert int(table.to_numpy().sum()) == len(frame)


def test_month_table_of_undated_rows_only_has_no_months():
    table = month_table(pd.DataFrame({"date": [None, None], "kind": ["a", "b"], "id": [0, 1]}), "kind", "id")
    assert len(table) == 0 and table.attrs["window"] == MonthWindow((), undated=2)


@pytest.mark.parametrize("edges", [False, True], ids=["seed", "edges"])
def test_plots_are_byte_identical_across_runs(tmp_path, edges):
    tables = _edge_tables() if edges else seed_release_tables()
    assert render_plots(tables, tmp_path / "a") == render_plots(tables, tmp_path / "b")
    for p in sorted((tmp_path / "a").iterdir()):
        assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes(), p.name


def _drawn(frame, latest):
    """The axes a month plot draws for ``frame``: tick labels, the note under it and the texts on it."""
    import matplotlib.pyplot as plt

    from steppe.publish.plots import _figure, _stacked_by_month

    fig, ax = _figure("t")
    try:
        window = _stacked_by_month(ax, frame, "kind", "id", "events", latest)
        return window, [t.get_text() for t in ax.get_xticklabels()], ax.get_xlabel(), [t.get_text() for t in ax.texts]
    finally:
        plt.close(fig)


def test_the_month_plot_draws_the_window_says_what_it_leaves_out_and_counts_the_undated_apart():
    frame = pd.DataFrame({
        "date": ["2025-09-03", "2025-11-02", "2025-11-20", "2030-06-01", None, None],
        "kind": ["a", "b", "a", "a", "b", "a"],
        "id": range(6),
    })
    window, ticks, note, texts = _drawn(frame, latest="2025-11-20")
    assert ticks == ["2025-09", "2025-10", "2025-11"]  # undated rows are no month, 2030 is past the latest publication
    assert note == "1 event dated after the latest publication (2025-11-20) not shown"
    assert texts == ["undated:\n2 events"]
    assert window == MonthWindow(("2025-09", "2025-10", "2025-11"), after=1, undated=2, latest="2025-11-20")


def test_the_month_plot_of_undated_rows_only_says_so():
    window, ticks, note, texts = _drawn(pd.DataFrame({"date": [None] * 3, "kind": "a", "id": range(3)}), latest=None)
    assert window == MonthWindow((), undated=3) and note == ""
    assert "no dated events in this release" in texts and "undated:\n3 events" in texts


def test_render_plots_captions_say_what_the_month_plots_leave_out(tmp_path):
    tables = _edge_tables()
    captions = render_plots(tables, tmp_path)
    # The edge tables' facts: dated 988, year 1, 2024-02-29, undated, and 9 in November 2025 (the
    # latest publication is 2025-11-28): fewer than 100 dated, none cut by the bulk rule, the latest
    # MAX_MONTHS months drawn. Their sector mentions' document is dated no more (its last row).
    assert captions["events_by_month.png"] == (
        "Events per month by PLOVER type, 2020-12 to 2025-11: 2 events dated before 2020-12 not shown; 1 undated event shown apart."
    )
    assert captions["sectors_by_month.png"] == f"Sector mentions per month: {tables['sector_mentions'].num_rows} undated mentions."
    assert captions["top_actor_pairs.png"] == "Most frequent source-target pairs"


def _edge_tables():
    """The seed's tables with what the plots must count right: dates from a thousand years
    ago and none, a document key given twice (the last row counts, as in a failed release's
    tables), a mention and a sector mention of no known document, a one-level sector code."""
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


def _day(day) -> str | None:
    return None if day is None else f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _plain(values) -> list:
    return [None if pd.isna(v) else v for v in values]


def test_what_the_plots_count_is_what_the_rows_say():
    """The frames and shares the plots are drawn from, worked out in Arrow, against the rows read one by one."""
    from steppe.publish.plots import event_months, resolved_share, sector_months

    tables = _edge_tables()
    events = tables["events"].to_pylist()
    facts = event_months(tables["events"])
    expected = [e for e in events if not e["negated"]]
    assert _plain(facts.date) == [_day(e["event_date"]) for e in expected]
    assert "0988-05-01" in list(facts.date) and "0001-01-01" in list(facts.date) and None in _plain(facts.date)
    assert list(facts.event_id) == [e["event_id"] for e in expected] and _plain(facts.plover_type) == [e["plover_type"] for e in expected]

    documents = {d["doc_id"]: d for d in tables["documents"].to_pylist()}  # the last row of a key counts
    sectors = tables["sector_mentions"].to_pylist()
    frame = sector_months(tables["sector_mentions"], tables["documents"])
    published = [documents[s["doc_id"]]["published_at"] if s["doc_id"] in documents else None for s in sectors]
    assert _plain(frame.date) == [_day(p) for p in published]
    assert set(_plain(frame.date)) == {None}  # the seed's one document, dated no more by its last row
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
