"""The languages steppe reads and where a document's language comes from, as the release contract declares them.

The lists are read from the schemas (``documents.language`` and
``documents.language_source``), so the code and the gate cannot disagree.
"""
from __future__ import annotations

from steppe.schema import field_values

UNDETERMINED = "und"  # ISO 639-2 "undetermined": a document whose language cannot be told
SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(v for v in field_values("documents", "language") if v != UNDETERMINED)
LANGUAGE_SOURCES: tuple[str, ...] = field_values("documents", "language_source")  # ("metadata", "detected")
