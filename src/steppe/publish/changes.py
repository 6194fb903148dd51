"""What changes.json and CHANGES.md say of the diff between two releases (steppe.publish.diff).

changes.json lists every key added, removed and changed, table by table (a
key as its value, a date as ISO text, a compound key as a list); CHANGES.md
sums it up and shows the first keys of each kind. A first release lists every
key of every table, so listed keys are kept in Arrow (:class:`KeyList`) until
they are written.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

import pyarrow as pa

MD_KEYS_SHOWN = 20



def _json_value(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (date, datetime)) else v


def json_key(key: tuple) -> Any:
    return _json_value(key[0]) if len(key) == 1 else [_json_value(k) for k in key]



def json_keys(columns: list[pa.ChunkedArray]) -> list:
    """The keys in these key columns (row by row) as changes.json writes them (a date as ISO text, a compound key as a list)."""
    if not columns or len(columns[0]) == 0:
        return []
    values = []
    for col in columns:
        python = col.to_pylist()
        plain = pa.types.is_string(col.type) or pa.types.is_large_string(col.type) or pa.types.is_integer(col.type)
        values.append(python if plain else [_json_value(v) for v in python])  # plain types hold no dates
    if len(values) == 1:
        return values[0]
    return list(map(list, zip(*values)))



# Keys a KeyList turns into Python values at a time.
KEYS_PER_SLICE = 65_536


class KeyList(Sequence):
    """Listed keys, in order, as changes.json writes them, kept in Arrow and made Python values a
    slice at a time (``slices``) as they are written.

    A first release lists every key of every table: millions of keys, which
    as Python lists took about a gigabyte at 36,000 articles, growing with the
    corpus. A KeyList reads as the list it stands for (indexing, slicing,
    iteration, ``len``, ``==`` a list), and the JSON writer encodes it a slice
    at a time, to the same text as the list.
    """

    __slots__ = ("columns",)

    def __init__(self, columns: list[pa.ChunkedArray]):
        self.columns = columns  # the key columns, already at the listed rows, in order

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def _slice(self, start: int, stop: int) -> list:
        return json_keys([c.slice(start, stop - start) for c in self.columns]) if stop > start else []

    def __getitem__(self, i):
        n = len(self)
        if isinstance(i, slice):
            start, stop, step = i.indices(n)
            if step == 1:
                return self._slice(start, max(start, stop))
            return list(self)[i]
        i = operator.index(i)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("KeyList index out of range")
        return self._slice(i, i + 1)[0]

    def slices(self, size: int | None = None) -> Iterator[list]:
        """The keys as Python lists of at most ``size`` keys each (KEYS_PER_SLICE if None), in order."""
        for columns in self.column_slices(size):
            yield json_keys(columns)

    def column_slices(self, size: int | None = None) -> Iterator[list[pa.ChunkedArray]]:
        """The key columns a slice of at most ``size`` keys at a time (KEYS_PER_SLICE if None), in order."""
        size = size or KEYS_PER_SLICE
        for start in range(0, len(self), size):
            yield [c.slice(start, size) for c in self.columns]

    def __iter__(self) -> Iterator[Any]:
        for part in self.slices():
            yield from part

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (KeyList, list)):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # like the list it stands for

    def __repr__(self) -> str:
        return f"KeyList({list(self)!r})"



_REPLACED_WORDS = {"documents": "edited", "events": "recoded"}


def summarise(changes: dict[str, Any]) -> str:
    """One paragraph: "documents +1, 1 edited; events +12, 3 recoded (040 -> 043 x3)"."""
    parts = []
    for name, t in changes["tables"].items():
        replaced = t.get("replaced") or []
        bits = []
        if len(t["added"]) > len(replaced):
            bits.append(f"+{len(t['added']) - len(replaced)}")
        if len(t["removed"]) > len(replaced):
            bits.append(f"-{len(t['removed']) - len(replaced)}")
        if t["changed"]:
            bits.append(f"~{len(t['changed'])} changed")
        if replaced:
            word = _REPLACED_WORDS[name]
            codes = Counter((p["cameo_from"], p["cameo_to"]) for p in replaced if p.get("cameo_from") != p.get("cameo_to") and "cameo_from" in p)
            detail = ", ".join(f"{a} -> {b} x{n}" for (a, b), n in sorted(codes.items()))
            bits.append(f"{len(replaced)} {word}" + (f" ({detail})" if detail else ""))
        if bits:
            parts.append(f"{name} {', '.join(bits)}")
    if changes["from"] is None:
        return "First release: " + (", ".join(parts) if parts else "no rows") + "."
    if not parts:
        return f"No row changed since {changes['from']}."
    return f"Since {changes['from']}: " + "; ".join(parts) + "."


def _md_key(key: Any) -> str:
    """A key as CHANGES.md shows it: a compound key's parts joined by "/"."""
    return "/".join(str(k) for k in key) if isinstance(key, list) else str(key)


def render_changes_md(changes: dict[str, Any]) -> str:
    lines = [f"# Changes in {changes['to']}", "", changes["summary"], ""]
    lines += ["| table | before | after | added | removed | changed |", "|---|---|---|---|---|---|"]
    for name, t in changes["tables"].items():
        lines.append(
            f"| {name} | {t['rows_before']} | {t['rows_after']} | {len(t['added'])} | {len(t['removed'])} | {len(t['changed'])} |"
        )
    lines.append("")
    for name, t in changes["tables"].items():
        if not (t["added"] or t["removed"] or t["changed"]):
            continue
        lines += [f"## {name}", ""]
        for label in ("added", "removed"):
            keys = t[label]
            if keys:
                shown = ", ".join(f"`{_md_key(k)}`" for k in keys[:MD_KEYS_SHOWN])
                more = f" and {len(keys) - MD_KEYS_SHOWN} more" if len(keys) > MD_KEYS_SHOWN else ""
                lines.append(f"- {label} ({len(keys)}): {shown}{more}")
        replaced = t.get("replaced") or []
        if replaced:
            lines.append(f"- {_REPLACED_WORDS[name]} ({len(replaced)}), listed above as one removed and one added:")
            for p in replaced[:MD_KEYS_SHOWN]:
                codes = f" ({p['cameo_from']} -> {p['cameo_to']})" if p.get("cameo_from") != p.get("cameo_to") else ""
                lines.append(f"  - `{_md_key(p['from'])}` -> `{_md_key(p['to'])}`{codes}: {', '.join(p['columns'])}")
        if t["changed"]:
            lines.append(f"- changed ({len(t['changed'])}):")
            for c in t["changed"][:MD_KEYS_SHOWN]:
                lines.append(f"  - `{_md_key(c['key'])}`: {', '.join(c['columns'])}")
            if len(t["changed"]) > MD_KEYS_SHOWN:
                lines.append(f"  - and {len(t['changed']) - MD_KEYS_SHOWN} more")
        lines.append("")
    lines.append("The full lists are in `changes.json`.")
    return "\n".join(lines) + "\n"
