"""Sentence spans of a document: rule-based, per-language abbreviations, linear time.

A sentence ends at every line break (news text puts one paragraph per line)
and at . ! ? … (or a run of them, with any closing quotes or brackets right
after) when whitespace and a plausible sentence start follow. A period does not
end a sentence after initials ("В.В. Путин", "K.-Zh. Tokayev") or after an
abbreviation listed in data/abbreviations.yaml. Periods inside numbers, dates,
URLs and e-mail addresses are never followed by whitespace, so they are never
candidates in the first place.

A sentence longer than the size limit (MAX_SENTENCE_CHARS unless the run
sets --max-sentence-chars: a run-on text with no usable stop, or a long
stretch with no line break nor stop at all) is cut into pieces of at most
that many characters, at the last whitespace before the limit (or at the
limit inside one endless word), so that no later stage ever works on an
unbounded sentence: the stages that relate each word of a sentence to the
others would otherwise be quadratic. The cut keeps every character (the
pieces cover the sentence), and :func:`sentence_spans` says which pieces end
at the limit rather than at a sentence end (the sentences table's ``cut``).

The year abbreviations "г." (Russian) and "ж." (Kazakh) are never sentence
ends: "В 2024 г. Казахстан экспортировал..." is far more common in news than a
sentence ending in "2025 г.", and merging two sentences keeps an event's actor
and action together where a wrong cut would separate them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType

from steppe.datafiles import load_yaml
from steppe.languages import SUPPORTED_LANGUAGES
from steppe.text import LINE_BREAKS, MAX_SENTENCE_CHARS, SENTENCE_STOPS

_ABBREVIATIONS_FILE = "data/abbreviations.yaml"
_ABBREVIATION_KINDS = ("never_final", "not_before_number")

_LINE_BREAKS = LINE_BREAKS
_STOPS = SENTENCE_STOPS
_CLOSERS = "\"'»”’“›)]"
# What may stand before the first word of a sentence: quotes, dashes, brackets,
# Spanish inverted marks.
_OPENERS = "\"'«“„‘‚‹([—–-¿¡"

# One pass finds every place a sentence may end: a line break, or a run of
# stops (with its closing quotes) followed by whitespace, optional opening
# punctuation and a word whose first character the rules then inspect.
# The leading lookahead lets the regex engine skip straight to the next break
# or stop; the lookbehind (a match starts only at the first stop of a run) and
# the possessive quantifiers (Python 3.11) keep the scan linear even on a run
# of 100,000 periods.
_BOUNDARY_CANDIDATE = re.compile(
    rf"(?=[{_LINE_BREAKS}{_STOPS}])"
    rf"(?:(?P<line_break>[{_LINE_BREAKS}])"
    rf"|(?<![{_STOPS}])(?P<stop>[{_STOPS}]++)(?P<close>[{re.escape(_CLOSERS)}]*+)"
    rf"(?=\s++[{re.escape(_OPENERS)}\s]*+(?P<first>\w)))"
)
# Initials: single letters joined by "." or ".-" (the last period is the stop).
_INITIALS = re.compile(r"(?:[^\W\d_]\.-?)*[^\W\d_]")
# The spaced typography of two-letter abbreviations, "т. е.", "e. g.".
_SPACED_ABBREVIATION = re.compile(r"(?<!\S)(\w)\.\s(\w)\.")
# How far back the rules read the word before a period: every abbreviation is
# shorter, so a longer word is an ordinary word.
_LONGEST_ABBREVIATION = 24


@dataclass(frozen=True)
class AbbreviationRules:
    """Words ending in a period that do not end a sentence (see data/abbreviations.yaml)."""

    never_final: frozenset[str]
    not_before_number: frozenset[str]


def split_sentences(text: str, language: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """(char_start, char_end) of each sentence of `text`, in order.

    Spans index `text` directly, carry no surrounding whitespace, do not overlap,
    and together cover every non-whitespace character. `language` (ISO 639-1,
    e.g. "pt" or "pt-BR") selects the abbreviations; any other value uses those
    of every supported language. No span is longer than `max_chars`: a longer
    sentence is cut into pieces (see the module's docstring).
    """
    return sentence_spans(text, language, max_chars)[0]


def sentence_spans(
    text: str, language: str, max_chars: int = MAX_SENTENCE_CHARS
) -> tuple[list[tuple[int, int]], tuple[int, ...]]:
    """The spans of :func:`split_sentences`, and the indices (into them, ascending) of the
    pieces that end at `max_chars` rather than at a sentence end: every piece of a cut
    sentence but its last, which ends where the sentence does."""
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    rules = abbreviation_rules(language)
    ends = [
        candidate.end()
        for candidate in _BOUNDARY_CANDIDATE.finditer(text)
        if candidate["line_break"] or _stop_ends_sentence(text, candidate, rules)
    ]
    starts = [0, *ends]
    ends.append(len(text))
    spans = [span for start, end in zip(starts, ends) if (span := _stripped_span(text, start, end))]
    if not any(end - start > max_chars for start, end in spans):
        return spans, ()
    pieces: list[tuple[int, int]] = []
    cut: list[int] = []
    for span in spans:
        split = _cut(text, span, max_chars)
        cut += range(len(pieces), len(pieces) + len(split) - 1)
        pieces += split
    return pieces, tuple(cut)


def _cut(text: str, span: tuple[int, int], max_chars: int) -> list[tuple[int, int]]:
    """`span` in pieces of at most `max_chars` characters, cut at whitespace where there is some."""
    pieces = []
    start, end = span
    while end - start > max_chars:
        cut = start + max_chars
        while cut > start and not text[cut].isspace():  # at most max_chars steps: linear overall
            cut -= 1
        if cut == start:
            cut = start + max_chars  # one word longer than the limit
        piece = _stripped_span(text, start, cut)
        if piece:
            pieces.append(piece)
        rest = _stripped_span(text, cut, end)
        if rest is None:
            return pieces
        start, end = rest
    pieces.append((start, end))
    return pieces


def _stop_ends_sentence(text: str, candidate: re.Match[str], rules: AbbreviationRules) -> bool:
    """Whether the stop of `candidate` ends a sentence, the next word being known to exist."""
    first = candidate["first"]
    if not (first.isupper() or first.istitle() or first.isdigit()):
        return False  # lowercase goes on the sentence: "etc. e", "?» — заявил", "т.е. он"
    stop_start = candidate.start()
    if stop_start and text[stop_start - 1] in "([":
        return False  # "(...)", "[...]", "(!)": an elision or aside inside the sentence
    if candidate["stop"] != ".":
        return True
    word_start, word = _word_before(text, stop_start)
    word = word.lstrip(_OPENERS)
    if not word:
        return True
    if word.isupper() and _INITIALS.fullmatch(word):
        return False
    abbreviation = (len(word) == 1 and _spaced_abbreviation(text, word_start, candidate.end("stop"))) or word + "."
    if abbreviation in rules.never_final:
        return False
    return not (first.isdigit() and abbreviation in rules.not_before_number)


def _word_before(text: str, end: int) -> tuple[int, str]:
    """Start and text of the whitespace-delimited word ending at `end`.

    Looks back at most _LONGEST_ABBREVIATION characters, so a long word costs
    no more than a short one; only short words matter to the rules.
    """
    window_start = max(0, end - _LONGEST_ABBREVIATION)
    window = text[window_start:end]
    if not window or window[-1].isspace():
        return end, ""
    word = window.rsplit(None, 1)[-1]
    return end - len(word), word


def _spaced_abbreviation(text: str, word_start: int, stop_end: int) -> str | None:
    """'т.е.' for the "е" of "т. е.", so the spaced form follows the same rule."""
    if word_start < 3:
        return None
    pair = _SPACED_ABBREVIATION.match(text, word_start - 3)
    if pair is None or pair.end() != stop_end:
        return None
    return f"{pair[1]}.{pair[2]}."


def _stripped_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """(start, end) narrowed to its non-whitespace content, or None if it has none."""
    segment = text[start:end]
    left = len(segment) - len(segment.lstrip())
    right = len(segment.rstrip())
    return (start + left, start + right) if right > left else None


def abbreviation_rules(language: str) -> AbbreviationRules:
    """The abbreviations of `language` (primary subtag), or of all languages if it is not supported."""
    by_language = _load_abbreviations()
    code = re.split(r"[-_]", language, maxsplit=1)[0].lower()
    if code in by_language:
        return by_language[code]
    return _all_abbreviations()


@functools.cache
def _all_abbreviations() -> AbbreviationRules:
    rules = _load_abbreviations().values()
    return AbbreviationRules(
        never_final=frozenset().union(*(r.never_final for r in rules)),
        not_before_number=frozenset().union(*(r.not_before_number for r in rules)),
    )


@functools.cache
def _load_abbreviations() -> Mapping[str, AbbreviationRules]:
    """data/abbreviations.yaml, validated: one entry per supported language,
    each a list of words ending in a period."""
    source = resources.files("steppe").joinpath(_ABBREVIATIONS_FILE)
    data = load_yaml(source.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or set(data) != set(SUPPORTED_LANGUAGES):
        found = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise ValueError(f"{source}: expected one entry per language {SUPPORTED_LANGUAGES}, found {found}")
    return MappingProxyType({language: _parse_rules(source, language, entry) for language, entry in data.items()})


def _parse_rules(source: Traversable, language: str, entry: object) -> AbbreviationRules:
    if not isinstance(entry, dict) or set(entry) != set(_ABBREVIATION_KINDS):
        raise ValueError(f"{source}: {language}: expected exactly the keys {_ABBREVIATION_KINDS}")
    for kind in _ABBREVIATION_KINDS:
        if not isinstance(entry[kind], list):
            raise ValueError(f"{source}: {language}.{kind}: expected a list, found {entry[kind]!r}")
        for word in entry[kind]:
            if not isinstance(word, str) or not word.endswith(".") or any(c.isspace() for c in word):
                raise ValueError(
                    f"{source}: {language}.{kind}: {word!r} must end in a period and have no spaces"
                    " (write 'т.е.', not 'т. е.')"
                )
    return AbbreviationRules(**{kind: frozenset(entry[kind]) for kind in _ABBREVIATION_KINDS})
