"""Language of a document: ISO 639-1 code and confidence, from a bounded sample of its text."""

from __future__ import annotations

import functools
import re

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from steppe.languages import SUPPORTED_LANGUAGES, UNDETERMINED

# Detection costs time in proportion to the text it reads, so it reads only the
# opening of a document. On the 3,600 Fake.br Portuguese articles (median 5,600
# chars; tools/language_report.py) every article is already detected as pt
# from 300 chars on, and the lowest confidence rises from 0.52 (300) to 0.99
# (400). 600 leaves a margin for the closer pairs this corpus cannot measure
# (Portuguese/Spanish, Russian/Kazakh) and for an opening byline or dateline,
# at about 3x the speed of 2,000 chars and 10x that of the whole article.
SAMPLE_CHARS = 600


# lingua has no model for Kazakh in Latin script (the 2021 alphabet, and the
# informal Latin of the press and the web), and reads it as English or
# Portuguese with low confidence. Kazakh Latin is recognised by its marks
# instead: q not followed by u (Qazaqstan, Toqaev, qarasha), and the letters
# ä ğ ı ñ ö ş ū ü, which none of the other supported languages writes.
_WORD = re.compile(r"[^\W\d_]+")
_KAZAKH_LATIN_MARK = re.compile(r"q(?!u)|[äğıñöşūü]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Share of marked words from which a Latin-script text is Kazakh. On the
# English PLOVER sentences and the Portuguese Fake.br articles (proper names
# such as Qatar or Erdoğan included) the share stays far below it; in Kazakh
# Latin news a third or more of the words carry a mark.
KAZAKH_LATIN_MIN_SHARE = 0.15
# Proper names carry the marks in any language (Qatar, Iraq, Erdoğan), so at
# least this many marked words must be common words, written in lower case.
KAZAKH_LATIN_MIN_COMMON_WORDS = 2


def kazakh_latin_share(sample: str) -> float:
    """Share of the words of a Latin-script sample that carry a Kazakh Latin mark (0 for Cyrillic text)."""
    if _CYRILLIC.search(sample):
        return 0.0
    words = _WORD.findall(sample)
    marked = [w for w in words if _KAZAKH_LATIN_MARK.search(w.lower())]
    if sum(1 for w in marked if w.islower()) < KAZAKH_LATIN_MIN_COMMON_WORDS:
        return 0.0
    return len(marked) / len(words)


@functools.cache
def _detector() -> LanguageDetector:
    """The detector for the supported languages only, built on first use.

    Restricting it matters: models for all 75 lingua languages take over 1 GB.
    Models load lazily per language, so a run over Russian text never loads
    the Latin-script models.
    """
    languages = (Language.from_iso_code_639_1(IsoCode639_1.from_str(code)) for code in SUPPORTED_LANGUAGES)
    return LanguageDetectorBuilder.from_languages(*languages).build()


def _detection_sample(text: str, limit: int | None) -> str:
    """The first `limit` characters of `text`, cut back to the last whitespace
    so no word is cut in two (a cut word reads as noise to the n-gram models)."""
    if limit is None or len(text) <= limit:
        return text
    for end in range(limit, 0, -1):
        if text[end].isspace():
            return text[:end]
    return text[:limit]


def detect_language(text: str, *, sample_chars: int | None = SAMPLE_CHARS) -> tuple[str, float]:
    """ISO 639-1 code of the language `text` is written in, and lingua's confidence in it.

    Reads the first `sample_chars` characters (None: all of it). Text without
    letters, or in none of SUPPORTED_LANGUAGES' scripts, gives ("und", 0.0).
    Kazakh in Latin script is recognised by its letters (see kazakh_latin_share).
    Confidence is rounded to 4 decimals so that releases stay byte-identical.
    """
    sample = _detection_sample(text, sample_chars)
    share = kazakh_latin_share(sample)
    if share >= KAZAKH_LATIN_MIN_SHARE:
        # Confidence grows with the share of marked words, reaching 1 at twice the threshold.
        return "kk", round(min(1.0, 0.5 + share / (4 * KAZAKH_LATIN_MIN_SHARE)), 4)
    best = _detector().compute_language_confidence_values(sample)[0]
    confidence = round(best.value, 4)
    if confidence == 0.0:
        return UNDETERMINED, 0.0
    return best.language.iso_code_639_1.name.lower(), confidence
