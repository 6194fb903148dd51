"""The dataset card's plots: monthly tables without gaps, few series, the same bytes every time."""

import pandas as pd

from steppe.plots import MAX_SERIES, month_table, render_plots

from test_release import seed_release_tables


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
    from steppe.plots import MAX_MONTHS

    frame = pd.DataFrame({"month": ["1917-11", "2001-05", "2024-12", "2025-01"], "kind": "a", "id": range(4)})
    table = month_table(frame, "kind", "id")
    assert len(table) == MAX_MONTHS and table.index[-1] == "2025-01"
    assert table.attrs["earlier"] == 2 and int(table.to_numpy().sum()) == 2
