"""A document's text as a reader sees it: without its format characters.

Format characters (Unicode category Cf: the soft hyphen, zero-width spaces
and joiners, direction marks and controls, the byte-order mark) print as
nothing, but they break a word in two for every matcher: "Tok\\u00adayev" is
Tokayev on the page, and web pages are full of them (23 of the 3,600 articles
of the Portuguese benchmark corpus have some, most next to a space). The
folding key of names (:func:`steppe.text.fold`) already drops them; this
module does the same for the analysis as a whole.

The analysis reads the visible text (:func:`visible_text`), and its offsets
are then put back into the text as ingested (:func:`original_span`, which
:func:`steppe.analyse.document.restore_offsets` applies to every result: this
module knows spans only, so the analysis imports it and not the reverse), so that
the release contract holds unchanged: offsets index the NFC text, and
``text[char_start:char_end] == surface``, a surface keeping any format
characters inside it. A text with no format character (nearly all) is read
as it is, at the cost of one regular expression search.
"""

from __future__ import annotations

import re
from typing import Sequence

# Every character of Unicode category Cf in Python 3.11's Unicode database (14.0):
# test_visible checks INVISIBLE against unicodedata, character by character.
_BMP = "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
_ASTRAL = "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
INVISIBLE = re.compile(f"[{_BMP}{_ASTRAL}]+")
# The regular expression engine tests a character against ranges past U+FFFF one by one: a
# search of the whole class took 0.45 s over the 3,600 articles of the Portuguese corpus, of
# the BMP ones alone 0.07 s. The others are looked for only in a text that has such characters.
_INVISIBLE_BMP = re.compile(f"[{_BMP}]")
_INVISIBLE_ASTRAL = re.compile(f"[{_ASTRAL}]")


def has_invisible(text: str) -> bool:
    """Whether ``text`` has a format character."""
    if _INVISIBLE_BMP.search(text) is not None:
        return True
    # A character past U+FFFF takes two UTF-16 code units (a quick test, in C, for most texts).
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text) and _INVISIBLE_ASTRAL.search(text) is not None


def visible_text(text: str) -> tuple[str, list[int] | None]:
    """``text`` without its format characters, and where each of its characters is in ``text``
    (one more entry at the end: ``len(text)``); ``(text, None)`` when it has none."""
    if not has_invisible(text):
        return text, None
    where: list[int] = []
    kept: list[str] = []
    at = 0
    for run in INVISIBLE.finditer(text):
        where += range(at, run.start())
        kept.append(text[at:run.start()])
        at = run.end()
    where += range(at, len(text))
    kept.append(text[at:])
    where.append(len(text))
    return "".join(kept), where


def original_span(where: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """A span of the visible text as a span of the text (``where``: :func:`visible_text`'s): from
    its first character to its last, so it takes in the format characters inside it, not those
    around it."""
    if end <= start:
        return where[start], where[start]
    return where[start], where[end - 1] + 1
