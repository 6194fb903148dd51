"""Sense rules of the sector finder: weak words need economic context, things in use need their trade, some
sentences take a code's sense away (`not_context`), proper names are no sectors.

The rules are described in steppe.analyse.sectors; the words they use are data
(`weak`, `cues`, `in_use`, `trade_cues`, `name_endings` in each patterns file).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from steppe.analyse.sectors.data import LanguagePatterns, SectorPattern
from steppe.analyse.sentences import split_sentences

Candidate = tuple[int, int, SectorPattern]


def in_context(chosen: Sequence[Candidate], text: str, norm: str, language: str, loaded: LanguagePatterns,
               sentences: Sequence[tuple[int, int]] | None = None) -> list[Candidate]:
    """The chosen matches that keep their sector sense: weak words with context, no proper names.

    `sentences`: the text's sentence spans, when the caller has them; otherwise they are split here, if needed.
    """
    against = loaded.not_context
    if not chosen or not any(p.weak or p.in_use or p.star or p.code in against for _, _, p in chosen):
        return list(chosen)
    endings = loaded.name_endings
    chosen = [c for c in chosen if not _is_name(text, c[0], c[1], c[2], endings)]
    if not any(p.weak or p.in_use or p.code in against for _, _, p in chosen):
        return chosen
    if sentences is None:
        sentences = split_sentences(text, language)
    starts = [start for start, _ in sentences]
    strong = [start for start, _, p in chosen if not p.weak and not p.in_use]
    kept = []
    for start, end, pattern in chosen:
        if pattern.weak or pattern.in_use or pattern.code in against:
            i = bisect.bisect_right(starts, start) - 1
            first, last = sentences[i] if i >= 0 else (0, len(text))
            if pattern.code in against and against[pattern.code].search(norm, first, last):
                continue  # the sentence takes this code's sense away: a car in a crash, cargo in a robbery
            if pattern.in_use and not _beside(loaded.trade_cues, start, end, first, last, norm):
                continue  # a plane that lands, a truck in a crash: only its making or trade is the sector
            if pattern.weak and not pattern.in_use and not _economic(start, end, first, last, strong, norm, loaded):
                continue
        kept.append((start, end, pattern))
    return kept


def _economic(start: int, end: int, first: int, last: int, strong: list[int], norm: str,
              loaded: LanguagePatterns) -> bool:
    """Whether the sentence [first, last) of a weak match at [start, end) speaks of the economy."""
    i = bisect.bisect_left(strong, first)
    if i < len(strong) and strong[i] < last:
        return True
    return _beside(loaded.cues, start, end, first, last, norm)


def _beside(cues: re.Pattern[str] | None, start: int, end: int, first: int, last: int, norm: str) -> bool:
    """Whether a cue stands in the sentence [first, last) outside the match [start, end)."""
    if cues is None:
        return False
    return any(cue.end() <= start or cue.start() >= end for cue in cues.finditer(norm, first, last))


def _is_name(text: str, start: int, end: int, pattern: SectorPattern, endings: tuple[str, ...]) -> bool:
    """Whether a stem match written with a capital ends like a surname ("Мясников"): a name, not a sector word.

    Other names that look like sector words (Porto Alegre, Minas Gerais) are exclusions written with capitals in
    the patterns file; a capitalised sector word inside an institution's name (World Bank, Banco Central) counts.
    """
    if pattern.case_sensitive or not text[start].isupper():
        return False
    if pattern.star and endings and " " not in text[start:end].strip():
        word = text[start:end].lower()
        if word.endswith(endings):
            return True
    return False
