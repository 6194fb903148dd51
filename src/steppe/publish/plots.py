"""The dataset card's plots, drawn from the release's tables and saved as PNG beside it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from steppe.tables.arrow import to_pandas

PLOTS = {
    "events_by_month.png": "Events per month by PLOVER type",
    "top_actor_pairs.png": "Most frequent source-target pairs",
    "sectors_by_month.png": "Sector mentions per month",
    "names_resolved.png": "Share of name mentions resolved, per language",
}
_SIZE = (7, 3.6)


def _figure(title: str):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=_SIZE, dpi=100)
    ax.set_title(title, fontsize=11, loc="left")
    return fig, ax


def _save(fig, path: Path) -> None:
    import matplotlib.pyplot as plt

    fig.tight_layout()
    # No software or date stamp: the same tables draw the same picture.
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)


def _empty(ax, what: str) -> None:
    ax.text(0.5, 0.5, f"no {what} in this release", ha="center", va="center", transform=ax.transAxes, color="grey")
    ax.set_axis_off()


MAX_SERIES = 10  # categories drawn one by one; the rest are summed as "other"
MAX_BAR_MONTHS = 24  # more months than this are drawn as stacked areas (one shape per category, not one bar per month)
MAX_TICKS = 12
MAX_MONTHS = 60  # at most five years of months are drawn, the latest of the window
BULK = 0.99  # the window starts where the bulk of the dated rows starts: at most 1% of them lie before it


@dataclass(frozen=True)
class MonthWindow:
    """The months a plot draws and what falls outside them.

    ``months`` runs from the first to the last month drawn ("YYYY-MM", every month, empty when no
    dated row is drawn); ``before`` counts the dated rows before the first month, ``after`` the rows
    dated after ``latest`` (the latest publication date of the release's documents), ``undated``
    the rows without a date."""

    months: tuple[str, ...]
    before: int = 0
    after: int = 0
    undated: int = 0
    latest: str | None = None

    @property
    def outside(self) -> int:
        """The dated rows not drawn."""
        return self.before + self.after


def _month_number(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def _month_name(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def month_window(dates, latest: str | None = None, *, bulk: float = BULK, max_months: int = MAX_MONTHS) -> MonthWindow:
    """The window of months to draw for rows dated ``dates`` (ISO "YYYY-MM-DD" strings, None or NaN
    when undated), never past ``latest`` (an ISO date, the latest publication; None: no bound).

    Rows dated after ``latest`` are not drawn (``after``): a news article cannot report on a day after
    it was published, so such a date is a misreading or a plan. Of the other dated rows, whole months
    are cut from the earliest on while together they hold at most ``1 - bulk`` of those rows (with fewer
    than 100 rows, none is cut); the window runs from there to the latest month of those rows, at most
    ``max_months`` months (the latest ones). The rows before it are counted in ``before``."""
    values = pd.Series(list(dates) if not isinstance(dates, pd.Series) else dates, dtype=object)
    dated = values.dropna().astype(str)
    undated = len(values) - len(dated)
    after = 0
    if latest is not None:
        late = dated.str.slice(0, 10) > latest[:10]
        after, dated = int(late.sum()), dated[~late]
    counts = dated.str.slice(0, 7).value_counts().sort_index()
    if counts.empty:
        return MonthWindow((), 0, after, undated, latest)
    total = int(counts.sum())
    may_cut = int(total * (1 - bulk) + 1e-9)
    first = counts.index[int((counts.cumsum() > may_cut).to_numpy().argmax())]
    start, stop = _month_number(first), _month_number(counts.index[-1])
    start = max(start, stop - max_months + 1)
    months = tuple(_month_name(n) for n in range(start, stop + 1))
    before = total - int(counts[counts.index >= months[0]].sum())
    return MonthWindow(months, before, after, undated, latest)


def _count(n: int, unit: str) -> str:
    """"1 event", "2 events": ``unit`` is the plural."""
    return f"{n:,} {unit[:-1] if n == 1 else unit}"


def window_note(window: MonthWindow, unit: str) -> str:
    """What the plot leaves out of its months, in words ("" when nothing is left out)."""
    parts = []
    if window.before:
        parts.append(f"{_count(window.before, unit)} dated before {window.months[0]}")
    if window.after:
        parts.append(f"{window.after:,} dated after" if parts else f"{_count(window.after, unit)} dated after")
        parts[-1] += f" the latest publication ({window.latest})"
    return (" and ".join(parts) + " not shown") if parts else ""


def window_caption(title: str, window: MonthWindow, unit: str) -> str:
    """The plot's title with its window and every row it does not draw, for the dataset card."""
    caption = title
    if window.months:
        caption += f", {window.months[0]}" if len(window.months) == 1 else f", {window.months[0]} to {window.months[-1]}"
    left_out = [window_note(window, unit)] if window.outside else []
    if window.undated:
        undated = _count(window.undated, unit).replace(" ", " undated ", 1)
        left_out.append(f"{undated} shown apart" if window.months else undated)
    return caption + (": " + "; ".join(left_out) if left_out else "") + "."


def month_table(frame, category: str, count_column: str, latest: str | None = None):
    """Rows counted by month of their ``date`` (every month of ``month_window``, empty ones as 0;
    ``attrs["window"]`` is the window, with what it leaves out) and category, the categories by
    total (largest first, past MAX_SERIES - 1 summed as "other")."""
    window = month_window(frame["date"], latest)
    months = frame["date"].astype("string").str.slice(0, 7)
    drawn = frame[months.isin(window.months).fillna(False).to_numpy(dtype=bool)].assign(month=months)
    if len(drawn):
        table = drawn.pivot_table(index="month", columns=category, values=count_column, aggfunc="count", fill_value=0)
        table.columns = [str(c) for c in table.columns]
        table = table.reindex(list(window.months), fill_value=0)
    else:
        table = pd.DataFrame(index=pd.Index(list(window.months), name="month"))
    order = sorted(table.columns, key=lambda c: (-int(table[c].sum()), c))
    if len(order) > MAX_SERIES:
        kept, rest = order[: MAX_SERIES - 1], order[MAX_SERIES - 1 :]
        table = table[kept].assign(other=table[rest].sum(axis=1))
    else:
        table = table[order]
    table.attrs["window"] = window
    return table


def _stacked_by_month(ax, frame, category: str, count_column: str, unit: str, latest: str | None) -> MonthWindow:
    """Rows counted by month (x) and category (stacked), legend outside the plot; what the months
    leave out is said under the axis, the undated rows are counted apart, right of the plot."""
    import numpy as np

    table = month_table(frame, category, count_column, latest)
    window = table.attrs["window"]
    if window.undated:
        ax.text(1.02, 0.0, f"undated:\n{_count(window.undated, unit)}", transform=ax.transAxes, fontsize=8, ha="left", va="bottom")
    if not window.months:
        _empty(ax, f"{unit} dated up to the latest publication" if window.after else f"dated {unit}")
        ax.text(0.5, 0.4, window_note(window, unit), ha="center", va="center", transform=ax.transAxes, fontsize=8, color="grey")
        return window
    x = np.arange(len(table.index))
    if len(x) <= MAX_BAR_MONTHS:
        bottom = np.zeros(len(x))
        for column in table.columns:
            values = table[column].to_numpy(dtype=float)
            ax.bar(x, values, bottom=bottom, width=0.8, label=column)
            bottom += values
    else:
        ax.stackplot(x, table.to_numpy(dtype=float).T, labels=list(table.columns), step="mid")
        ax.set_xlim(x[0] - 0.5, x[-1] + 0.5)
    step = max(1, -(-len(x) // MAX_TICKS))
    ax.set_xticks(x[::step], list(table.index[::step]), fontsize=8, rotation=0 if step == 1 and len(x) <= 6 else 45, ha="right" if len(x) > 6 else "center")
    ax.set_xlabel(window_note(window, unit), fontsize=8, color="grey")
    ax.set_ylabel(unit)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return window


def _last_rows_first(documents: pa.Table) -> pa.Table:
    """The documents table backwards: a key given twice (a release that failed its gate) is then
    found at its last row, as a dict built from the rows would keep it."""
    return documents.take(pa.array(range(documents.num_rows - 1, -1, -1), pa.int64()))


def _document_values(doc_ids: pa.ChunkedArray, documents: pa.Table, column: str) -> pa.ChunkedArray:
    """Each doc_id's document's value of ``column`` (null where there is no such document)."""
    documents = _last_rows_first(documents)
    at = pc.index_in(doc_ids, value_set=documents.column("doc_id").combine_chunks())
    return pc.take(documents.column(column), at)


def latest_publication(documents: pa.Table) -> str | None:
    """The latest publication date ("YYYY-MM-DD", UTC) of the documents; None if none is dated."""
    latest = pc.max(documents.column("published_at"))
    return latest.as_py().strftime("%Y-%m-%d") if latest.is_valid else None


def event_months(events: pa.Table) -> pd.DataFrame:
    """The events stated as facts: date ("YYYY-MM-DD"; null without one), PLOVER type and ID."""
    # The columns drawn, before the filter: filtering the table copied every column of it
    # (the evidence text too), 212 MB at 36,000 articles.
    events = events.select(["negated", "event_date", "plover_type", "event_id"])
    facts = events.filter(pc.invert(pc.fill_null(events.column("negated"), False)))
    date = pc.strftime(facts.column("event_date").cast(pa.timestamp("s")), format="%Y-%m-%d")
    return to_pandas(pa.table({"date": date, "plover_type": facts.column("plover_type"), "event_id": facts.column("event_id")}))


def sector_months(sectors: pa.Table, documents: pa.Table) -> pd.DataFrame:
    """The sector mentions: their document's date of publication ("YYYY-MM-DD", UTC; null if none), top-level sector and ID."""
    published = _document_values(sectors.column("doc_id"), documents, "published_at")
    return to_pandas(pa.table({
        "date": pc.strftime(published, format="%Y-%m-%d"),
        "sector": pc.list_element(pc.split_pattern(sectors.column("sector_code"), "."), 0),
        "sector_mention_id": sectors.column("sector_mention_id"),
    }))


def resolved_share(mentions: pa.Table, documents: pa.Table) -> pd.Series:
    """Per document language (in order), the share of name mentions resolved to an entity;
    mentions of no known document are left out. Counted in Arrow: the mentions table can hold
    millions of rows, and its pandas copy cost about 400 MB at 36,000 articles."""
    counted = pa.table({
        "language": _document_values(mentions.column("doc_id"), documents, "language"),
        "resolved": pc.is_valid(mentions.column("entity_id")).cast(pa.int64()),
    }).group_by("language").aggregate([("resolved", "sum"), ("resolved", "count")])
    counted = counted.filter(pc.is_valid(counted.column("language"))).sort_by("language")
    shares = [r / n for r, n in zip(counted.column("resolved_sum").to_pylist(), counted.column("resolved_count").to_pylist())]
    return pd.Series(shares, index=pd.Index(counted.column("language").to_pylist(), name="language"), name="resolved", dtype=float)


def render_plots(release_tables: dict[str, pa.Table], out_dir: Path) -> dict[str, str]:
    """Draw every plot of PLOTS into out_dir; return file name -> caption (the title; for the plots
    by month, with their window and the rows they do not draw).

    Rows are joined and counted in Arrow: pandas gets a row per event and per sector
    mention (only the columns drawn) and a value per language, not the mentions table.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    events = to_pandas(release_tables["events"].select(["source_entity_id", "target_entity_id"]))
    entities = to_pandas(release_tables["entities"].select(["entity_id", "canonical_name"]))
    names = dict(zip(entities.entity_id, entities.canonical_name))

    captions = dict(PLOTS)
    latest = latest_publication(release_tables["documents"])
    fig, ax = _figure(PLOTS["events_by_month.png"])
    facts = event_months(release_tables["events"])
    if len(facts):
        window = _stacked_by_month(ax, facts, "plover_type", "event_id", "events", latest)
        captions["events_by_month.png"] = window_caption(PLOTS["events_by_month.png"], window, "events")
    else:
        _empty(ax, "events")
    _save(fig, out_dir / "events_by_month.png")

    fig, ax = _figure(PLOTS["top_actor_pairs.png"])
    pairs = events.dropna(subset=["source_entity_id", "target_entity_id"]) if len(events) else events
    if len(pairs):
        labels = pairs.source_entity_id.map(names).fillna(pairs.source_entity_id) + " → " + pairs.target_entity_id.map(names).fillna(pairs.target_entity_id)
        top = labels.value_counts().head(10).sort_values()
        top.plot(kind="barh", ax=ax, color="#4c72b0")
        ax.set_xlabel("events")
    else:
        _empty(ax, "events with both actors resolved")
    _save(fig, out_dir / "top_actor_pairs.png")

    fig, ax = _figure(PLOTS["sectors_by_month.png"])
    if release_tables["sector_mentions"].num_rows:
        frame = sector_months(release_tables["sector_mentions"], release_tables["documents"])
        window = _stacked_by_month(ax, frame, "sector", "sector_mention_id", "mentions", latest)
        captions["sectors_by_month.png"] = window_caption(PLOTS["sectors_by_month.png"], window, "mentions")
    else:
        _empty(ax, "sector mentions")
    _save(fig, out_dir / "sectors_by_month.png")

    fig, ax = _figure(PLOTS["names_resolved.png"])
    if release_tables["mentions"].num_rows:
        share = resolved_share(release_tables["mentions"], release_tables["documents"])
        share.plot(kind="bar", ax=ax, color="#55a868")
        ax.set_ylim(0, 1.15)
        ax.tick_params(axis="x", labelrotation=0)
        ax.set_xlabel("document language")
        ax.set_ylabel("resolved")
        for i, v in enumerate(share):
            ax.text(i, v + 0.02, f"{v:.0%}", ha="center", fontsize=8)
    else:
        _empty(ax, "name mentions")
    _save(fig, out_dir / "names_resolved.png")
    return captions
