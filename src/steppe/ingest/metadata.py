"""Metadata of a record or sidecar: the fields as given, checked one by one.

Every input form may carry the same optional fields besides the text
(``METADATA_FIELDS``).  A field that cannot be used is dropped and named in
the record's problems, which ingest reports as one ``invalid-field``
rejection; the document itself is kept.  Language names and tags are mapped
to ISO 639-1, and dates are parsed as given (:func:`steppe.dates.parse_date`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone

from steppe.dates import parse_date
from steppe.languages import SUPPORTED_LANGUAGES
from steppe.text import fold, normalise_text

__all__ = [
    "METADATA_FIELDS",
    "Metadata",
    "describe_value",
    "is_valid_unicode",
    "normalise_language",
    "parse_metadata",
]

# Publication dates outside this range are typos ("14/12/0201"), not news;
# fixed bounds rather than "now" keep ingest deterministic.
_PUBLISHED_MIN = datetime(1800, 1, 1, tzinfo=timezone.utc)
_PUBLISHED_END = datetime(2101, 1, 1, tzinfo=timezone.utc)

# Metadata fields every input form may carry besides `text`.
METADATA_FIELDS = ("id", "url", "title", "publisher", "author", "published", "language")


# Names and codes people write in a `language` field, folded (steppe.text.fold).
# Keys: ISO 639-1 code; values: ISO 639-2/3 codes and names in English,
# the language itself, Portuguese, Spanish, Russian and Kazakh.
_LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "pt": ("pt", "por", "portuguese", "português", "portugués", "португальский", "португал"),
    "en": ("en", "eng", "english", "inglês", "inglés", "английский", "ағылшын"),
    "ru": ("ru", "rus", "russian", "русский", "russo", "ruso", "орыс"),
    "kk": ("kk", "kaz", "kazakh", "қазақ", "қазақша", "qazaq", "qazaqşa", "казахский", "cazaque", "kazajo"),
    "es": ("es", "spa", "spanish", "español", "espanhol", "castellano", "испанский", "испан"),
}


_LANGUAGE_INDEX = {fold(name): code for code, names in _LANGUAGE_NAMES.items() for name in names}


def normalise_language(value: str) -> str | None:
    """Map a language code, tag or name to ISO 639-1, or None if unsupported.

    Accepts "pt", "pt-BR", "pt_BR", "por", "Portuguese", "Português",
    "Русский язык", "kk-Cyrl-KZ", "қазақ тілі"...: the whole value is looked
    up first, then its first subtag or word.
    """
    folded = fold(value).strip()
    if folded in _LANGUAGE_INDEX:
        return _LANGUAGE_INDEX[folded]
    head = re.split(r"[-_\s(.,;]", folded, maxsplit=1)[0]
    return _LANGUAGE_INDEX.get(head)



def describe_value(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def is_valid_unicode(text: str) -> bool:
    # JSON escapes can smuggle lone surrogates (\ud800) into a str; they
    # cannot be written as UTF-8 later, so they are caught here.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _metadata_string(name: str, value: object) -> tuple[str | None, str | None]:
    """A metadata value as a clean string: ``(value, problem)``."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        # Usually YAML reading an unquoted yes/no/on/off.
        return None, f"{name} {value!r} is a boolean, expected text (quote the value in YAML)"
    if isinstance(value, (int, float)):
        value = str(value)
    elif isinstance(value, (date, datetime)):
        value = value.isoformat()
    elif not isinstance(value, str):
        return None, f"{name} is {describe_value(value)}, expected a single text value"
    if not is_valid_unicode(value):
        return None, f"{name} {value!r} contains invalid Unicode (a lone surrogate)"
    text = normalise_text(value).strip()
    return (text or None), None


@dataclass(frozen=True)
class Metadata:
    """Validated metadata of one record, and what had to be dropped."""

    source_id: str | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    problems: tuple[str, ...] = ()


def parse_metadata(fields: Mapping[str, object]) -> Metadata:
    """Validate the metadata fields of a record or sidecar; unknown fields are ignored."""
    problems: list[str] = []

    def text_field(name: str) -> str | None:
        value, problem = _metadata_string(name, fields.get(name))
        if problem:
            problems.append(problem)
        return value

    strings = {name: text_field(name) for name in ("id", "url", "title", "publisher", "author")}

    language = text_field("language")
    if language is not None:
        code = normalise_language(language)
        if code is None:
            problems.append(
                f"language {language!r} is not supported: expected one of "
                f"{', '.join(SUPPORTED_LANGUAGES)} (or a tag or name for one, such as pt-BR or Russian)"
            )
        language = code

    # Dates are passed on as they come: YAML gives date objects, JSON may
    # give a Unix timestamp as a number; parse_date accepts both.
    published = fields.get("published")
    if isinstance(published, str):
        published = text_field("published")
    published_at = None
    if isinstance(published, (bool, list, tuple, dict)):
        problems.append(f"published is {describe_value(published)}, expected a date")
    elif published is not None:
        try:
            published_at = parse_date(published, language)  # type: ignore[arg-type]
        except ValueError as error:
            problems.append(f"published was dropped: {error}")
        else:
            if not _PUBLISHED_MIN <= published_at < _PUBLISHED_END:
                problems.append(
                    f"published {published!r} reads as {published_at.date().isoformat()}, outside "
                    f"{_PUBLISHED_MIN.year}-{_PUBLISHED_END.year - 1}, so it is not a plausible "
                    "publication date (a typo in the year?)"
                )
                published_at = None

    return Metadata(
        source_id=strings["id"], url=strings["url"], title=strings["title"],
        publisher=strings["publisher"], author=strings["author"],
        published_at=published_at, language=language, problems=tuple(problems),
    )

