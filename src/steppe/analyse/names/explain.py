"""How a name resolves, for curators: what `steppe resolve` shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from rapidfuzz import fuzz

from steppe.analyse.names.index import NameIndex, default_index
from steppe.analyse.names.mentions import find_candidates, find_mentions
from steppe.analyse.names.resolution import FUZZY_MIN_RATIO, Mention, resolve_by_fold
from steppe.analyse.visible import visible_text
from steppe.text import fold


def explain(name: str, language: str, on: date | None, index: NameIndex | None = None) -> dict[str, Any]:
    """Every way a name could resolve, and how it does: what `steppe resolve` shows. The name is
    read as a document's text is, without format characters (:mod:`steppe.analyse.visible`)."""
    name = visible_text(name)[0]
    index = index or default_index()
    whole = [c for c in find_candidates(name, index, language) if c.start == 0 and c.end == len(name)]
    candidates = [
        {"entity_id": f.entity_id, "entity_type": f.entity_type, "form": f.text, "kind": f.kind, "via": "inflection" if c.inflected else f.method}
        for c in whole
        for f in c.forms
    ]
    folded = fold(name, key=True)
    for f in index.fold_index.get(folded, ()):
        candidates.append({"entity_id": f.entity_id, "entity_type": f.entity_type, "form": f.text, "kind": f.kind, "via": "fold"})
    fuzzy = sorted(
        ((fuzz.ratio(folded, key), key) for key in index.fold_buckets.get(folded[:2], ())),
        reverse=True,
    )[:5]
    for ratio, key in fuzzy:
        if ratio >= FUZZY_MIN_RATIO and key != folded:
            for f in index.fold_index[key]:
                candidates.append({"entity_id": f.entity_id, "entity_type": f.entity_type, "form": f.text, "kind": f.kind, "via": f"fuzzy {ratio:.0f}"})
    # The longest mention wins: "o presidente do Cazaquistão" is the role phrase, not the country in it.
    mentions = find_mentions(name, language, on, [(0, len(name))], index)
    whole_name = [m for m in mentions if m.char_start == 0 and m.char_end == len(name)]
    if not whole_name and not any(m.entity_id for m in mentions):
        entity_id, entity_type, method, score = resolve_by_fold(name, index)
        mentions.append(Mention(0, len(name), name, entity_id, entity_type, method, score))
    winner = max(mentions, key=lambda m: (m.char_end - m.char_start, m.entity_id is not None, m.score))
    entity = index.registry.entities.get(winner.entity_id) if winner.entity_id else None
    seen = set()
    unique = []
    for c in candidates:
        key = (c["entity_id"], c["form"], c["via"])
        if key not in seen:
            seen.add(key)
            unique.append(c)
    return {
        "name": name,
        "language": language,
        "date": on.isoformat() if on else None,
        "fold_key": folded,
        "candidates": unique,
        "entity_id": winner.entity_id,
        "canonical_name": entity.canonical_name if entity else None,
        "entity_type": winner.entity_type,
        "method": winner.method,
        "score": winner.score,
    }
