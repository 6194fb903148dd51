"""Capitalised words around the news that are not names, kept from the unresolved names.

Photo credits ("Foto: Reuters", "Photo: AFP/Getty Images", "Фото: ТАСС",
"/ AFP, AP e REUTERS"), bylines in capitals ("REUTERS", "FILE"), fragments of
page scripts ("googletag", "window.dataLayer", "Date()"), abbreviated months and
weekdays ("Aug", "Jan.", "сент") and page furniture ("LEIA MAIS", "READ MORE",
"ADVERTISEMENT") look like names to the finder of unresolved names
(steppe.analyse.names.resolution). The word lists are data
(data/names/noise.yaml); the shapes of credits and code are here.

A credit covers its label, then agencies and names joined by "/", "," or "and"
("e", "и", "y"); an agency ends it, so a name right after the credit
("Foto: Reuters Kassym-Jomart Tokayev") is read again as a name.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from steppe.datafiles import read_yaml

RULES = ("credit", "byline", "script", "abbreviation", "boilerplate")

_CAPITAL = "[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁӘҒҚҢӨҰҮҺІ]"
# A run of capitalised words (a photographer's name) inside a credit, with connectors.
_NAME_RUN = re.compile(rf"{_CAPITAL}[\w'’.-]*(?:[ \u00a0]+(?:(?:da|de|do|dos|das|van|von|del)[ \u00a0]+)?{_CAPITAL}[\w'’.-]*)*")
_JOINER = re.compile(r"[ \u00a0]*(?:/|,|&|[ \u00a0](?:e|and|и|y|та|және)[ \u00a0])[ \u00a0]*")
_SPACE = re.compile(r"[ \u00a0]*")
_FILE_BEFORE = re.compile(r"(?i:file|arquivo|archivo)[ \u00a0]+$")
_BYLINE_SLASH = re.compile(r"(?<![\w/])([^\W\d_a-zа-яё]{2,})/(?=\S)")
_WORD_BEFORE = re.compile(r"\w+\Z")
_LONGEST_WORD = 256  # a byline before a slash is one word; longer runs of letters are not looked at
# Characters from the start of a credit label to its colon, at most: the longest label, and spaces.
_LONGEST_LABEL = 40
_IDENTIFIER_PART = re.compile(r"\.[a-z]\w*(?:[A-Z]\w*)")  # .dataLayer, .getElementById


@dataclass(frozen=True)
class NoiseData:
    credit_label: re.Pattern
    agency: re.Pattern  # an agency at a position, longest first
    slash_agency: re.Pattern  # "/ AFP", "/Reuters" not inside a word
    bylines: frozenset[str]
    boilerplate_head: re.Pattern
    boilerplate_tail: re.Pattern
    script_words: frozenset[str]
    abbreviations: frozenset[str]


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"[ \u00a0]+") for w in sorted(set(words), key=len, reverse=True))


@functools.cache
def noise_data() -> NoiseData:
    path = resources.files("steppe") / "data" / "names" / "noise.yaml"
    data = read_yaml(path)
    keys = {"credit_labels", "agencies", "bylines", "boilerplate", "script_words", "abbreviations"}
    if not isinstance(data, dict) or set(data) != keys:
        raise ValueError(f"{path}: expected a mapping with exactly the keys {sorted(keys)}")
    agencies = _alternation(data["agencies"])
    boiler = _alternation([w.lower() for w in data["boilerplate"]])
    return NoiseData(
        credit_label=re.compile(rf"(?<!\w)(?i:{_alternation(data['credit_labels'])})[ \u00a0]*:[ \u00a0]*"),
        agency=re.compile(rf"(?i:{agencies})(?![\w.])"),
        slash_agency=re.compile(rf"(?<!\w)/[ \u00a0]*(?=(?i:{agencies})(?![\w.]))"),
        bylines=frozenset(data["bylines"]),
        boilerplate_head=re.compile(rf"(?i:{boiler})(?:[ \u00a0]+|$)"),
        boilerplate_tail=re.compile(rf"(?:^|[ \u00a0]+)(?i:{boiler})$"),
        script_words=frozenset(w.lower() for w in data["script_words"]),
        abbreviations=frozenset(w for words in data["abbreviations"].values() for w in words),
    )


def _label_matches(text: str, label: re.Pattern) -> list[re.Match]:
    """The matches of ``label.finditer(text)``, found from each colon (a credit label ends in one)
    rather than by trying the pattern at every position of the text."""
    found: list[re.Match] = []
    taken = 0
    colon = text.find(":")
    while colon != -1:
        # A match ending at this colon starts in the window before it; it is matched again on the whole
        # text for its real end (the spaces after the colon).
        start = max(taken, colon - _LONGEST_LABEL)
        while (m := label.search(text, start, colon + 1)) is not None:
            m = label.match(text, m.start())
            found.append(m)
            taken = start = m.end()
        colon = text.find(":", max(colon + 1, taken))
    return found


def _slashes(text: str) -> list[int]:
    positions, at = [], text.find("/")
    while at != -1:
        positions.append(at)
        at = text.find("/", at + 1)
    return positions


def _slash_matches(text: str, slashes: list[int], pattern: re.Pattern) -> list[re.Match]:
    """The matches of ``pattern.finditer(text)`` for a pattern whose matches start at a slash."""
    return [m for at in slashes if (m := pattern.match(text, at))]


def _byline_matches(text: str, slashes: list[int]) -> list[re.Match]:
    """The matches of _BYLINE_SLASH: a word in capitals right before a slash, tried at each slash."""
    found = []
    for at in slashes:
        word = _WORD_BEFORE.search(text, max(0, at - _LONGEST_WORD), at)
        if word and (m := _BYLINE_SLASH.match(text, word.start())) and m.end() == at + 1:
            found.append(m)
    return found


def credit_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every photo credit and agency credit in ``text``, in order.

    Each pattern is tried only where its match can start or end (a colon, a
    slash): trying it at every position of every text cost as much as the
    rest of the search for names."""
    nd = noise_data()
    spans = []
    slashes = _slashes(text)
    for opener, matches in ((nd.credit_label, _label_matches(text, nd.credit_label)),
                            (nd.slash_agency, _slash_matches(text, slashes, nd.slash_agency))):
        for m in matches:
            if _FILE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue  # "FILE PHOTO: X" captions X, it does not credit X
            end = _credit_end(text, m.end(), agencies_only=opener is nd.slash_agency)
            if end > m.end():
                spans.append((m.start(), end))
    # An all-capitals byline followed by a photographer: "REUTERS/Ueslei Marcelino".
    for m in _byline_matches(text, slashes):
        if m.group(1) in nd.bylines:
            spans.append((m.start(), _credit_end(text, m.end(), agencies_only=False)))
    return sorted(spans)


def _credit_end(text: str, pos: int, agencies_only: bool) -> int:
    """Where a credit whose first item starts at ``pos`` ends: its items, agencies or names, and their joiners."""
    nd = noise_data()
    end = pos
    while True:
        agency = nd.agency.match(text, pos)
        if agency:
            end = pos = agency.end()
        else:
            run = None if agencies_only else _NAME_RUN.match(text, pos)
            if run is None:
                return end
            end = pos = run.end()
            while end > pos - len(run.group()) and text[end - 1] in ".'’-":
                end -= 1  # a name does not take the period that ends the sentence
        joiner = _JOINER.match(text, pos)
        if joiner is None or not _starts_item(text, joiner.end(), agencies_only):
            return end
        pos = joiner.end()


def _starts_item(text: str, pos: int, agencies_only: bool) -> bool:
    nd = noise_data()
    return bool(nd.agency.match(text, pos) or (not agencies_only and _NAME_RUN.match(text, pos)))


@functools.lru_cache(maxsize=100_000)
def without_boilerplate(span: str) -> tuple[int, int]:
    """The part of a capitalised span left once page furniture is cut from its ends ("READ MORE Ulan Dzhaparov");
    offsets into the span; cached, since spans recur across documents."""
    nd = noise_data()
    start, end = 0, len(span)
    while (m := nd.boilerplate_head.match(span, start, end)) and m.end() > start and _furniture(m.group(), m.end() == end):
        start = m.end()
    while start < end and (m := nd.boilerplate_tail.search(span, start, end)) and m.start() < end and _furniture(m.group(), m.start() == start):
        end = m.start()
    return start, max(start, end)


def _furniture(phrase: str, whole: bool) -> bool:
    """Whether a boilerplate phrase found in a span is page furniture: in capitals, or the span's only words."""
    return whole or phrase.isupper()


def noise_rule(text: str, start: int, end: int) -> str | None:
    """The rule that makes ``text[start:end]``, a capitalised span, noise (one of RULES), else None."""
    nd = noise_data()
    surface = text[start:end]
    byline, code, abbreviation = _surface_noise(surface)
    if byline:
        return "byline"
    if len(surface) > 2 and "(" + surface + ")" == text[start - 1 : end + 1] and nd.agency.fullmatch(surface) and _dash_follows(text, end + 1):
        return "byline"  # a dateline: "MOSCOW (Reuters) -" (not "(AP) -", also a Brazilian state)
    # A call: Date(), Math.random(); a name is never written against an empty pair of brackets.
    if code or text[end : end + 2] == "()" or ("." in surface and text[end : end + 1] == "("):
        return "script"
    if abbreviation:
        return "abbreviation"
    return None


@functools.lru_cache(maxsize=100_000)
def _surface_noise(surface: str) -> tuple[bool, bool, bool]:
    """What the words of a span alone say of it: (a byline, code, an abbreviation); `noise_rule` reads
    the text around it. Cached, since spans recur across documents."""
    nd = noise_data()
    words = surface.split()
    byline = surface in nd.bylines or all(w in nd.bylines for w in words)
    code = (
        "_" in surface or any(p.lower() in nd.script_words for w in words for p in w.split("."))
        or any(_IDENTIFIER_PART.search(w) for w in words)  # a property of an object: window.dataLayer, document.getElementById
    )
    return byline, code, all(w.rstrip(".").lower() in nd.abbreviations for w in words)


def _dash_follows(text: str, pos: int) -> bool:
    return bool(re.match(r"[ \u00a0]*[-–—]", text[pos : pos + 4]))
