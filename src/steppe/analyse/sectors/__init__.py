"""Sectors: what a piece of news is about, as codes of a small taxonomy.

The taxonomy (data/sectors/taxonomy.yaml) maps each code to labels, a
definition, ISIC Rev. 4 codes and GDELT GKG themes. Per language, a patterns
file (data/sectors/patterns/LANG.yaml) lists for each code the words and
phrases that name it, the generic heads of the language, and exclusions:
phrases whose words name no sector ("cooking oil", "tear gas", "nuclear
family").

Pattern syntax (matching ignores case, keeps accents, and treats any run of
whitespace as one space):

- ``petróleo``: the word itself, whole (no letter or digit on either side);
- ``нефт*``: a word that starts so and goes on with any letters to its end
  (нефть, нефти, нефтяной); ``*`` only at the end of a word;
- ``gás natural``: the words in a row, one span;
- ``ministério da [defesa]``: the bracketed words are the span, the others
  context that must be there;
- ``Minas``: a pattern written with a capital letter matches only as written
  (case-sensitive), so an exclusion "Minas" drops the Brazilian state and
  keeps "minas" (mines).

Generic heads (`heads:` in a patterns file, `after` or `before` the sector
word) are the words that make one term with the sector word next to them:
plant, factory, smelter, industry, power station; завод, промышленность;
зауыт, өнеркәсіп; usina, indústria. A head joins the match's span and the
match keeps its code: "copper smelter" and "шинный завод" are one span each,
MINING.METALS and MANUFACTURING.TYRES, without listing every pair. Other
words ("sector", "market", "exports") are never heads, so "oil exports" gives
"oil". Where a language lists `heads.after_endings` (Russian adjective endings),
a head joins only a match that ends so: "шинный завод" is one term,
"строительство завода" (building a plant) two.

A few words name one sector or another by what the document is about
(`document_sense:`): bare "nuclear" is power in a story about Rosatom's
plants and weapons in one about North Korea's missiles. Such a match takes,
of its listed codes, the one most of the document's other matches have; on a
tie, its own.

Senses (`weak`, `cues`, `name_endings` in a patterns file). Some words have
a common sense outside the economy: "energia" of a crowd, a river "bank",
"банк крови", "алтын медаль", "ouro" of a medal. Their patterns are listed
under `weak`: a match of one counts only when its sentence speaks of the
economy, through another sector match that is not weak or through a cue word
(`cues`: price, export, production, company, tonnes...). A weak word that a
head or a longer pattern makes a term ("energia elétrica", "port
facilities") is no longer weak. Proper names are guarded too: a stem match
written with a capital that ends like a surname (`name_endings`: "Мясников",
"Нефтеров") is a surname, and places that look like sector words ("Porto
Alegre", "Minas Gerais") are exclusions written with capitals. A sector word
in an institution's name counts ("World Bank", "Министерство энергетики").
Things people use (planes, flights, buses, trucks, warships: `in_use`) name
their sector only where the sentence speaks of making or trading them, through
a `trade_cues` word (sales, orders, fleet, manufacturer, exports...): "the
plane landed in Astana" and "a truck hit the bus" name no sector, "Air Astana
ordered ten planes" does. A head or a longer pattern makes such a word a term
too ("bus services"). Reviewed data, not code, decides which words are weak or
in use and what counts as context.

Finding (`find_sectors`): one Aho-Corasick pass over a lower-cased copy of the
text of the same length (steppe.text.normalise_for_matching) finds the
literal start of every pattern; a compiled expression then checks the rest of
the pattern and the word boundaries there, and the heads' expression the
words next to it. Of overlapping matches the longest span wins ("energia
nuclear" over "energia"); on the same span, the pattern with the longer
literal start ("нефтепровод*" over "нефт*"), then the pattern with context
around its [span] ("acordo [nuclear]" over "nuclear"), then a strong pattern
over a weak one, then the deeper code. A match
that overlaps an exclusion is dropped, unless it is a longer term holding the
exclusion whole; then the sense rules apply. So a phrase that names another sector
than its words ("armas nucleares": DEFENSE) is simply a longer pattern of that
other code, and a phrase that names none is an exclusion.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

import ahocorasick

from steppe.analyse.sectors.data import (
    DATA_DIR,
    LABEL_LANGUAGES,
    PATTERNS_DIR,
    TAXONOMY_FILE,
    LanguagePatterns,
    Sector,
    SectorDataError,
    SectorMatch,
    SectorPattern,
    compile_cues,
    compile_heads,
    compile_pattern,
    load_patterns,
    load_taxonomy,
)
from steppe.analyse.sectors.senses import in_context
from steppe.languages import SUPPORTED_LANGUAGES, UNDETERMINED
from steppe.text import normalise_for_matching

__all__ = [
    "DATA_DIR", "LABEL_LANGUAGES", "PATTERNS_DIR", "TAXONOMY_FILE", "LanguagePatterns", "Sector", "SectorDataError",
    "SectorMatch", "SectorPattern", "compile_cues", "compile_heads", "compile_pattern", "find_sectors",
    "load_patterns", "load_taxonomy",
]



@dataclass(frozen=True)
class _Matcher:
    automaton: Any  # ahocorasick.Automaton: key -> (key, patterns with that key)
    heads_after: re.Pattern[str] | None
    heads_before: re.Pattern[str] | None
    primary_isic: MappingProxyType[str, str]
    loaded: LanguagePatterns


@functools.cache
def _matcher(language: str) -> _Matcher | None:
    if language == UNDETERMINED:
        return None
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(SUPPORTED_LANGUAGES)} or {UNDETERMINED!r}, got {language!r}")
    loaded = load_patterns(language)
    by_key: dict[str, list[SectorPattern]] = {}
    for pattern in loaded.patterns:
        by_key.setdefault(pattern.key, []).append(pattern)
    automaton = ahocorasick.Automaton()
    for key, patterns in by_key.items():
        automaton.add_word(key, (key, tuple(patterns)))
    automaton.make_automaton()
    primary = MappingProxyType({code: s.isic[0] for code, s in load_taxonomy().items()})
    return _Matcher(automaton, loaded.heads_after, loaded.heads_before, primary, loaded)


# A generic head, or the context of a [span], is looked for this far back before the span.
_HEAD_REACH = 40
_LEAD_REACH = 80


def find_sectors(text: str, language: str,
                 sentences: Sequence[tuple[int, int]] | None = None) -> list[SectorMatch]:
    """Every span of `text` that names a sector, in text order, never overlapping (rules in the module docstring).

    `language` is one of steppe.analyse.language.SUPPORTED_LANGUAGES, or "und" (nothing is found); anything else is a
    ValueError. Offsets index `text` as given: text[m.char_start:m.char_end] == m.surface. `sentences`: the text's
    sentence spans if the caller has them (steppe.analyse.sentences), so that the sense rules need not split it again.
    """
    matcher = _matcher(language)
    if matcher is None or not text:
        return []
    norm = normalise_for_matching(text)
    candidates: list[tuple[int, int, SectorPattern]] = []
    excluded: list[tuple[int, int]] = []
    for end, (key, patterns) in matcher.automaton.iter(norm):
        start = end - len(key) + 1
        for pattern in patterns:
            target = text if pattern.case_sensitive else norm
            found = pattern.regex.match(target, start)
            if found is None or (pattern.lead and not pattern.lead.search(target, max(0, start - _LEAD_REACH), start)):
                continue
            span_start, span_end = found.span("span") if "span" in pattern.regex.groupindex else found.span()
            if pattern.code is None:
                excluded.append((span_start, span_end))
                continue
            after = matcher.heads_after and _takes_head(norm, span_start, span_end, matcher.loaded.after_endings) \
                and matcher.heads_after.match(norm, span_end)
            before = matcher.heads_before and matcher.heads_before.search(
                norm, max(0, span_start - _HEAD_REACH), span_start)
            if after or before:  # a term with its head is unambiguous: "nuclear power plant" is power
                span_start, span_end = before.start() if before else span_start, after.end() if after else span_end
                candidates.append((span_start, span_end, replace(pattern, senses=(), weak=False, in_use=False)
                                   if pattern.senses or pattern.weak or pattern.in_use else pattern))
            else:
                candidates.append((span_start, span_end, pattern))
    # An exclusion drops what overlaps it, except a longer term that holds it whole ("indústria de transformação"
    # outlives the exclusion "[indústria] de", which drops the bare "indústria" of "indústria de armas").
    candidates = [c for c in candidates if not any(c[0] < e_end and e_start < c[1] and not _holds(c, e_start, e_end)
                                                   for e_start, e_end in excluded)]
    chosen = in_context(_longest_first(candidates), text, norm, language, matcher.loaded, sentences)
    votes = Counter(pattern.code for _, _, pattern in chosen if not pattern.senses)
    return [
        SectorMatch(start, end, text[start:end], code, matcher.primary_isic.get(code))
        for start, end, pattern in chosen
        for code in [_document_sense(pattern, votes)]
    ]


def _document_sense(pattern: SectorPattern, votes: Counter[str]) -> str:
    """The code of a match: for a word the document decides, the code its other matches favour (own on a tie)."""
    if not pattern.senses:
        return pattern.code  # type: ignore[return-value]  # exclusions never get here
    ranked = sorted(pattern.senses, key=lambda code: (-votes[code], code != pattern.code))
    return ranked[0]


def _holds(candidate: tuple[int, int, SectorPattern], start: int, end: int) -> bool:
    """Whether a candidate holds the span [start, end) whole and is longer."""
    return candidate[0] <= start and end <= candidate[1] and candidate[1] - candidate[0] > end - start


def _takes_head(norm: str, start: int, end: int, endings: tuple[str, ...]) -> bool:
    """Whether a head after the match may join it: always, or (`heads.after_endings`) when it ends as an adjective.

    So "шинный завод" is one term and "строительство завода" (building a plant) two.
    """
    return not endings or norm[start:end].endswith(endings)


def _has_context(pattern: SectorPattern) -> bool:
    """Whether the pattern names words around its [span] (context before it, or after it inside the brackets' match)."""
    return pattern.lead is not None or "span" in pattern.regex.groupindex


def _longest_first(candidates: Sequence[tuple[int, int, SectorPattern]]) -> list[tuple[int, int, SectorPattern]]:
    """Non-overlapping candidates: longest span first, then longer literal start, then a pattern with context around
    its [span] ("acordo [nuclear]", "[food] programme") over one without, then a strong word over a weak one, then
    deeper code; in text order."""
    ranked = sorted(candidates, key=lambda c: (c[0] - c[1], -len(c[2].key), not _has_context(c[2]),
                                               c[2].weak or c[2].in_use, -c[2].depth, c[0]))
    starts: list[int] = []
    chosen: list[tuple[int, int, SectorPattern]] = []  # kept sorted by start, never overlapping
    for candidate in ranked:
        start, end, _ = candidate
        i = bisect.bisect_left(starts, start)
        if (i > 0 and chosen[i - 1][1] > start) or (i < len(chosen) and chosen[i][0] < end):
            continue
        starts.insert(i, start)
        chosen.insert(i, candidate)
    return chosen
