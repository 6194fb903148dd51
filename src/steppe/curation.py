"""What curators of the registry need from a release: names that resolved to nothing, with context."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from steppe.ids import UNLINKED_PREFIX, unlinked_id
from steppe.publish.layout import read_table
from steppe.text import fold

EXAMPLE_CHARS = 200


def unresolved_names(release_dir: Path, texts: dict[str, str] | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Unresolved and ambiguous mentions grouped by folding key, most frequent first.

    Each group gives its most common surface, its unlinked entity (the ID the
    events table gives it where it acts) and how many event sides it is, every surface seen, the count,
    the number of documents, whether it was ambiguous, and one example
    sentence: from the release when its text policy kept the sentence, else
    from ``texts`` (doc_id -> document text, read from the raw inputs).
    """
    mentions = read_table(release_dir, "mentions").to_pylist()
    events = read_table(release_dir, "events")
    acting: dict[str, int] = defaultdict(int)  # unlinked entity -> event sides it is
    if events is not None and "source_entity_id" in events.column_names:
        for column in ("source_entity_id", "target_entity_id"):
            for entity_id in events.column(column).to_pylist():
                if entity_id is not None and entity_id.startswith(UNLINKED_PREFIX):
                    acting[entity_id] += 1
    sentences = {
        (s["doc_id"], s["sentence_idx"]): s
        for s in read_table(release_dir, "sentences").to_pylist()
    }
    groups: dict[str, list[dict]] = defaultdict(list)
    for m in mentions:
        if m["entity_id"] is None:
            groups[fold(m["surface"], key=True) or m["surface"]].append(m)
    out = []
    for key, ms in groups.items():
        surfaces: dict[str, int] = defaultdict(int)
        for m in ms:
            surfaces[m["surface"]] += 1
        first = min(ms, key=lambda m: (m["doc_id"], m["char_start"]))
        name = max(surfaces, key=lambda s: (surfaces[s], s))
        out.append(
            {
                "name": name,
                "entity_id": unlinked_id(name),
                "events": acting.get(unlinked_id(name), 0),
                "fold_key": key,
                "count": len(ms),
                "documents": len({m["doc_id"] for m in ms}),
                "methods": sorted({m["method"] for m in ms}),
                "surfaces": sorted(surfaces),
                "example_doc_id": first["doc_id"],
                "example": _example(first, sentences, texts),
            }
        )
    out.sort(key=lambda g: (-g["count"], g["name"]))
    return out[:limit] if limit else out


def _example(m: dict, sentences: dict, texts: dict[str, str] | None) -> str | None:
    s = sentences.get((m["doc_id"], m["sentence_idx"]))
    if s is None:
        return None
    if s["text"] is not None:
        return s["text"][:EXAMPLE_CHARS]
    if texts and m["doc_id"] in texts:
        return texts[m["doc_id"]][s["char_start"] : s["char_end"]][:EXAMPLE_CHARS]
    return None
