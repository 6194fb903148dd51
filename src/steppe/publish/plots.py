"""The dataset card's plots, drawn from the release's tables and saved as PNG beside it."""

from __future__ import annotations

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
MAX_MONTHS = 60  # the latest five years; rows dated earlier (history recalled in the news) are counted, not drawn


def month_table(frame, category: str, count_column: str):
    """Rows counted by month (every month from the first to the last, empty ones as 0, at most the
    latest MAX_MONTHS: ``attrs["earlier"]`` counts the rows before) and category, the categories by
    total (largest first, past MAX_SERIES - 1 summed as "other"); "unknown" last."""
    import pandas as pd

    table = frame.pivot_table(index="month", columns=category, values=count_column, aggfunc="count", fill_value=0)
    table.columns = [str(c) for c in table.columns]
    known = [m for m in table.index if m != "unknown"]
    earlier = 0
    if known:
        span = pd.period_range(min(known), max(known), freq="M").strftime("%Y-%m").tolist()[-MAX_MONTHS:]
        earlier = int(table.loc[[m for m in known if m < span[0]]].to_numpy().sum())
        table = table.reindex(span + (["unknown"] if "unknown" in table.index else []), fill_value=0)
    table.attrs["earlier"] = earlier
    order = sorted(table.columns, key=lambda c: (-int(table[c].sum()), c))
    if len(order) > MAX_SERIES:
        kept, rest = order[: MAX_SERIES - 1], order[MAX_SERIES - 1 :]
        table = table[kept].assign(other=table[rest].sum(axis=1))
    else:
        table = table[order]
    table.attrs["earlier"] = earlier
    return table


def _stacked_by_month(ax, frame, category: str, count_column: str, unit: str) -> None:
    """Rows counted by month (x) and category (stacked), legend outside the plot."""
    import numpy as np

    table = month_table(frame, category, count_column)
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
    earlier = table.attrs.get("earlier", 0)
    ax.set_xlabel(f"{earlier:,} {unit} dated before {table.index[0]} not shown" if earlier else "", fontsize=8, color="grey")
    ax.set_ylabel(unit)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _last_rows_first(documents: pa.Table) -> pa.Table:
    """The documents table backwards: a key given twice (a release that failed its gate) is then
    found at its last row, as a dict built from the rows would keep it."""
    return documents.take(pa.array(range(documents.num_rows - 1, -1, -1), pa.int64()))


def _document_values(doc_ids: pa.ChunkedArray, documents: pa.Table, column: str) -> pa.ChunkedArray:
    """Each doc_id's document's value of ``column`` (null where there is no such document)."""
    documents = _last_rows_first(documents)
    at = pc.index_in(doc_ids, value_set=documents.column("doc_id").combine_chunks())
    return pc.take(documents.column(column), at)


def event_months(events: pa.Table) -> pd.DataFrame:
    """The events stated as facts: month ("YYYY-MM"; null without a date), PLOVER type and ID."""
    # The columns drawn, before the filter: filtering the table copied every column of it
    # (the evidence text too), 212 MB at 36,000 articles.
    events = events.select(["negated", "event_date", "plover_type", "event_id"])
    facts = events.filter(pc.invert(pc.fill_null(events.column("negated"), False)))
    month = pc.strftime(facts.column("event_date").cast(pa.timestamp("s")), format="%Y-%m")
    return to_pandas(pa.table({"month": month, "plover_type": facts.column("plover_type"), "event_id": facts.column("event_id")}))


def sector_months(sectors: pa.Table, documents: pa.Table) -> pd.DataFrame:
    """The sector mentions: their document's month of publication ("unknown" if none), top-level sector and ID."""
    published = _document_values(sectors.column("doc_id"), documents, "published_at")
    return to_pandas(pa.table({
        "month": pc.fill_null(pc.strftime(published, format="%Y-%m"), "unknown"),
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
    """Draw every plot of PLOTS into out_dir; return file name -> title.

    Rows are joined and counted in Arrow: pandas gets a row per event and per sector
    mention (only the columns drawn) and a value per language, not the mentions table.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    events = to_pandas(release_tables["events"].select(["source_entity_id", "target_entity_id"]))
    entities = to_pandas(release_tables["entities"].select(["entity_id", "canonical_name"]))
    names = dict(zip(entities.entity_id, entities.canonical_name))

    fig, ax = _figure(PLOTS["events_by_month.png"])
    facts = event_months(release_tables["events"])
    if len(facts) and facts.month.notna().any():
        _stacked_by_month(ax, facts, "plover_type", "event_id", "events")
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
        _stacked_by_month(ax, sector_months(release_tables["sector_mentions"], release_tables["documents"]), "sector", "sector_mention_id", "mentions")
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
    return dict(PLOTS)
