"""How a name resolves, for curators: what `steppe resolve` shows."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rapidfuzz import fuzz

from steppe.analyse.names.index import NameIndex, default_index
from steppe.analyse.names.mentions import find_candidates, find_mentions
from steppe.analyse.names.resolution import (
    FUZZY_MIN_RATIO,
    METHOD_SCORES,
    Mention,
    resolve_by_fold,
)
from steppe.analyse.visible import visible_text
from steppe.text import fold

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Letters of the Kazakh Cyrillic alphabet that Russian does not write.
_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
DEFAULT_LANGUAGE = "en"


def name_language(name: str, given: str | None = None) -> tuple[str, str]:
    """The language to read a name in, and where it comes from: ``given``, ``script`` or ``detected``, else ``default``.

    Cyrillic is Kazakh when it has a letter Russian does not write (Тоқаев), else Russian (Токаев).
    A Latin phrase with a word in lower case ("o presidente do Cazaquistão") is run through the
    language detector; a Latin name alone (Tokayev) says nothing of its language and is read as English.
    """
    if given:
        return given, "given"
    if _CYRILLIC.search(name):
        return ("kk" if _KAZAKH_LETTERS.search(name) else "ru"), "script"
    if any(word[0].islower() for word in _WORD.findall(name)):
        # Imported here: the detector and its models take about a second to load.
        from steppe.analyse.language import detect_language
        from steppe.languages import UNDETERMINED

        detected, _confidence = detect_language(name)
        if detected != UNDETERMINED:
            return detected, "detected"
    return DEFAULT_LANGUAGE, "default"


def _candidate_score(via: str) -> float:
    if via.startswith("fuzzy "):
        return round(METHOD_SCORES["fuzzy"] * float(via.removeprefix("fuzzy ")) / 100, 4)
    return METHOD_SCORES[via]


def unique_candidates(candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One candidate per entity and form, the best-scored way it matches; best first, else in the order found."""
    best: dict[tuple[str, str], dict[str, Any]] = {}  # in the order first found
    for c in candidates:
        c = dict(c, score=_candidate_score(c["via"]))
        key = (c["entity_id"], c["form"])
        if key not in best or c["score"] > best[key]["score"]:
            best[key] = c
    return sorted(best.values(), key=lambda c: -c["score"])  # stable: ties keep the order found


def explain(name: str, language: str | None, on: date | None, index: NameIndex | None = None) -> dict[str, Any]:
    """Every way a name could resolve, and how it does: what `steppe resolve` shows. The name is
    read as a document's text is, without format characters (:mod:`steppe.analyse.visible`);
    ``language`` None reads it in the language :func:`name_language` finds."""
    name = visible_text(name)[0]
    language, language_source = name_language(name, language)
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
        entity_id, entity_type, method, score = resolve_by_fold(name, index, language)
        mentions.append(Mention(0, len(name), name, entity_id, entity_type, method, score))
    winner = max(mentions, key=lambda m: (m.char_end - m.char_start, m.entity_id is not None, m.score))
    entity = index.registry.entities.get(winner.entity_id) if winner.entity_id else None
    return {
        "name": name,
        "language": language,
        "language_source": language_source,
        "date": on.isoformat() if on else None,
        "fold_key": folded,
        "candidates": unique_candidates(candidates),
        "entity_id": winner.entity_id,
        "canonical_name": entity.canonical_name if entity else None,
        "entity_type": winner.entity_type,
        "method": winner.method,
        "score": winner.score,
    }
