"""What a mention is and how it was resolved, and the resolution of what no
known form matched.

Every mention records how it was resolved (`method`, one of METHODS) and a
score, how far that way of resolving is trusted. Capitalised name-like spans
that no form of the index matched are tried against the folding key
(steppe.text.fold(key=True)), then fuzzily within one entity type; what still
resolves to nothing is kept as an unresolved mention for curators.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from steppe.analyse.names.index import Form, NameIndex
from steppe.analyse.names.lexicon import language_data
from steppe.analyse.names.noise import credit_spans, noise_rule, without_boilerplate
from steppe.text import fold

METHODS = (
    "exact",
    "transliteration",
    "fold",
    "inflection",
    "demonym",
    "role",
    "coreference",
    "fuzzy",
    "ambiguous",
    "unresolved",
)
# How much a resolution is trusted, by how it was made.
METHOD_SCORES = {
    "exact": 1.0,
    "transliteration": 0.95,
    "inflection": 0.95,
    "demonym": 0.9,
    "coreference": 0.85,
    "fold": 0.85,
    "role": 0.8,
    "fuzzy": 0.7,
    "ambiguous": 0.0,
    "unresolved": 0.0,
}
SHORT_NAME_SCORE = 0.9  # a surname alone, with no full name earlier in the document
PRONOUN_SCORE = 0.6
FUZZY_MIN_RATIO = 92.0
FUZZY_MIN_LENGTH = 8  # shorter words are too often common words that happen to look alike


@dataclass(frozen=True)
class Mention:
    char_start: int
    char_end: int
    surface: str
    entity_id: str | None
    entity_type: str | None
    method: str
    score: float



# --- Name-like spans nothing matched -------------------------------------------------------------

# A capitalised word; a period may stand inside it (S.A., Kaspi.kz) but not at its end.
_CAPITAL = "[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁӘҒҚҢӨҰҮҺІ]"
_WORD_TAIL = r"(?:[\w'’&-]|\.(?=\w))*\+?"
_CAP_WORD = rf"(?:{_CAPITAL}{_WORD_TAIL})"


@functools.cache
def name_like(language: str) -> re.Pattern:
    connectors = sorted(language_data().connectors.get(language, ()), key=len, reverse=True)
    conn = "|".join(re.escape(c) for c in connectors)
    # Words of one name are separated by spaces, never by a line break.
    inner = rf"(?:[ \u00a0]+(?:(?:{conn})[ \u00a0]+)?{_CAP_WORD})*" if conn else rf"(?:[ \u00a0]+{_CAP_WORD})*"
    # The first capital comes before the check that no letter or apostrophe precedes it
    # ((?<![\w'’].) looks back over both): a pattern that opens with a character class lets
    # the regex engine skip to the next capital, where one opening with a look-behind tries
    # every position of the text (twice as slow over the news corpus).
    return re.compile(rf"{_CAPITAL}(?<![\w'’].){_WORD_TAIL}{inner}")


@functools.lru_cache(maxsize=100_000)
def trimmed_span(span: str) -> tuple[int, int]:
    """The part of a capitalised span that may be a name: without leading or
    trailing function words ("Mas Putin" -> "Putin") and trailing punctuation;
    a last word after a connector stays ("Rio de Janeiro").
    Offsets are relative to the span; cached, since spans recur across documents."""
    stop = language_data().stopwords
    words = list(re.finditer(r"\S+", span))
    while words and words[0].group().strip(".,'’").lower() in stop:
        words.pop(0)
    connectors = {c for by_language in language_data().connectors.values() for c in by_language}
    while words and words[-1].group().strip(".,'’").lower() in stop:
        if len(words) >= 3 and words[-2].group().lower() in connectors:
            break  # a name's last word after "de" ("Rio de Janeiro"), not a trailing month or function word
        words.pop()
    if not words:
        return 0, 0
    start, end = words[0].start(), words[-1].end()
    while end > start and span[end - 1] in ".'’-":
        end -= 1
    return start, end


FOLD_CACHE_SIZE = 200_000


def resolve_by_fold(surface: str, index: NameIndex, language: str | None = None) -> tuple[str | None, str | None, str, float]:
    """(entity_id, entity_type, method, score) of a surface by its folding key, else fuzzily; cached in the index.

    In a document of another language, a Russian or Kazakh exonym does not count
    ("Salvador" in Portuguese is not Сальвадор, El Salvador in Russian).
    """
    key = (surface, language)
    cached = index.fold_cache.get(key)
    if cached is None:
        cached = _resolve_by_fold_uncached(surface, index, language)
        if len(index.fold_cache) < FOLD_CACHE_SIZE:
            index.fold_cache[key] = cached
    return cached


# Where a Russian or Kazakh exonym (and its Latin forms) may be read: Kazakh news writes
# many foreign names as Russian does (Си Цзиньпин).
EXONYM_LANGUAGES = {"ru": frozenset({"ru", "kk"}), "kk": frozenset({"kk"})}


def foreign_exonym(form: Form, language: str | None) -> bool:
    """Whether a form is a Russian or Kazakh exonym (or a Latin form of one) read in a document of another language."""
    return form.kind == "translation" and form.language in EXONYM_LANGUAGES and language is not None and language not in EXONYM_LANGUAGES[form.language]


def _close_forms(folded: str, index: NameIndex) -> list[tuple[float, Form]]:
    """The forms of every folded key of ``folded``'s bucket that scores at least FUZZY_MIN_RATIO
    against it (``fuzz.ratio``), each with its score, in the bucket's order: the keys are scored
    in one call (rapidfuzz's loop, not Python's)."""
    bucket = index.fold_buckets.get(folded[:2], ())
    close = process.extract(folded, bucket, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_RATIO, limit=None)
    return [(ratio, f) for key, ratio, _ in sorted(close, key=lambda c: c[2]) for f in index.fold_index[key]]


def _resolve_by_fold_uncached(surface: str, index: NameIndex, language: str | None = None) -> tuple[str | None, str | None, str, float]:
    if len(surface) < 4:
        return None, None, "unresolved", 0.0  # the folding index holds no key this short
    folded = fold(surface, key=True)
    forms = [f for f in index.fold_index.get(folded, ()) if not foreign_exonym(f, language)]
    if forms:
        entities = {f.entity_id for f in forms}
        if len(entities) == 1:
            return forms[0].entity_id, forms[0].entity_type, "fold", METHOD_SCORES["fold"]
        types = {f.entity_type for f in forms}
        return None, types.pop() if len(types) == 1 else None, "ambiguous", 0.0
    if len(folded) < FUZZY_MIN_LENGTH:
        return None, None, "unresolved", 0.0
    best = [(r, f) for r, f in _close_forms(folded, index) if not foreign_exonym(f, language)]
    if not best:
        return None, None, "unresolved", 0.0
    top = max(r for r, _ in best)
    winners = {f.entity_id: f for r, f in best if r == top}
    types = {f.entity_type for _, f in best}
    # Never across entity types, never a guess between two entities.
    if len(winners) == 1 and len(types) == 1:
        f = next(iter(winners.values()))
        return f.entity_id, f.entity_type, "fuzzy", round(METHOD_SCORES["fuzzy"] * top / 100, 4)
    return None, types.pop() if len(types) == 1 else None, "ambiguous", 0.0


def find_unmatched_names(text: str, language: str, sentences: Sequence[tuple[int, int]], covered: Sequence[tuple[int, int]], index: NameIndex, noise: list[tuple[str, str]] | None = None) -> list[Mention]:
    sentence_starts = {s for s, _ in sentences}
    covered_sorted = sorted(covered)
    cov_starts = [s for s, _ in covered_sorted]
    # The longest covered span ending at or before each position, to test overlap in O(log n).
    reach = []
    furthest = -1
    for _, e in covered_sorted:
        furthest = max(furthest, e)
        reach.append(furthest)
    credits = credit_spans(text)
    parts = []
    named = set()  # words of names that do not open a sentence
    for m in name_like(language).finditer(text):
        for start, end in _name_parts(m, credits, noise):
            for start, end in _coordinated_parts(text, start, end, language):
                at_sentence_start = start in sentence_starts or _follows_opening(text, start, sentence_starts)
                parts.append((start, end, at_sentence_start))
                if not at_sentence_start:
                    named.update(text[start:end].split())
    out = []
    for start, end, at_sentence_start in parts:
        surface = text[start:end]
        if at_sentence_start and " " not in surface and not surface.isupper() and surface not in named:
            # A capitalised first word is a name only if the document names it elsewhere
            # ("Ratcliffe claimed", after "John Ratcliffe"); else it is any first word.
            continue
        j = bisect.bisect_left(cov_starts, end) - 1  # covered spans starting before this one ends
        if j >= 0 and reach[j] > start:
            continue
        rule = noise_rule(text, start, end)
        if rule:
            if noise is not None:
                noise.append((rule, surface))
            continue
        entity_id, entity_type, method, score = resolve_by_fold(surface, index, language)
        out.append(Mention(start, end, surface, entity_id, entity_type, method, score))
    return out


def _name_parts(m: re.Match, credits: Sequence[tuple[int, int]], noise: list[tuple[str, str]] | None) -> list[tuple[int, int]]:
    """The parts of a capitalised span that may be names, in text offsets: without function words,
    page furniture at its ends and photo credits (steppe.analyse.names.noise)."""
    span = m.group()
    a, b = trimmed_span(span)
    bs, be = without_boilerplate(span)
    ta, tb = (a, b) if bs == 0 and be == len(span) else trimmed_span(span[bs:be])  # most spans hold no furniture
    if (ta + bs, tb + bs) != (a, b) and b - a >= 2:
        if noise is not None:
            noise.append(("boilerplate", span[a:b]))
        a, b = (ta + bs, tb + bs) if tb > ta else (0, 0)
    if b - a < 2:
        return []
    start, end = m.start() + a, m.start() + b
    pieces = [(start, end)]
    for cs, ce in credits:
        if cs >= end:
            break
        if ce <= start:
            continue
        cut = []
        for ps, pe in pieces:
            cut += [(x, y) for x, y in ((ps, min(pe, cs)), (max(ps, ce), pe)) if y > x]
        pieces = cut
    if pieces == [(start, end)]:
        return pieces
    if noise is not None:
        noise.append(("credit", m.string[start:end]))
    parts = []
    for ps, pe in pieces:
        pa, pb = trimmed_span(m.string[ps:pe].strip(" \u00a0/,"))
        lead = len(m.string[ps:pe]) - len(m.string[ps:pe].lstrip(" \u00a0/,"))
        if pb - pa >= 2:
            parts.append((ps + lead + pa, ps + lead + pb))
    return parts


@functools.cache
def _coordination(language: str) -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """The language's coordinators as " e " to look for in a span, the coordinators, and the other connectors."""
    data = language_data()
    coordinators = data.coordinators.get(language, frozenset())
    return tuple(f" {c} " for c in sorted(coordinators)), coordinators, data.connectors.get(language, frozenset()) - coordinators


def _coordinated_parts(text: str, start: int, end: int, language: str) -> list[tuple[int, int]]:
    """A span of capitalised words cut at its coordinators ("Pierce and Carroll", "Lula e Dilma"),
    unless a connector comes before the coordinator in the span ("Ministério da Ciência e
    Tecnologia": one name); parts shorter than two letters are dropped."""
    spaced, coordinators, connectors = _coordination(language)
    span = text[start:end]
    probe = span.replace("\u00a0", " ")  # names are spaced by spaces or no-break spaces
    if not any(c in probe for c in spaced):
        return [(start, end)]
    words = [(start + w.start(), start + w.end(), w.group()) for w in re.finditer(r"\S+", span)]
    cut = next((k for k, (_, _, w) in enumerate(words) if w in coordinators), None)
    if cut is None or cut == 0 or any(w in connectors for _, _, w in words[:cut]):
        return [(start, end)]
    parts = [(words[0][0], words[cut - 1][1])]
    if cut + 1 < len(words):
        parts += _coordinated_parts(text, words[cut + 1][0], end, language)
    return [(a, b) for a, b in parts if b - a >= 2]


def _follows_opening(text: str, start: int, sentence_starts: set[int]) -> bool:
    i = start
    while i > 0 and text[i - 1] in "\"'«“„‘([—–- ":
        i -= 1
        if i in sentence_starts:
            return True
    return False

