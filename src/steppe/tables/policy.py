"""The text policy: how much article text a release republishes (news text is rarely free to share).

A run's policy is parsed once where it comes in (``TextPolicy(value)``) and applied
once, where the sentences and events tables' rows are built (:mod:`steppe.tables.rows`):
the analysis and its cache never see it, so one cached analysis serves every policy.
"""

from __future__ import annotations

from enum import StrEnum


class TextPolicy(StrEnum):
    """What the sentences table's ``text`` and the events table's ``evidence`` carry."""

    FULL = "full"  # every sentence's text
    EVIDENCE = "evidence"  # the first EVIDENCE_CHARS of the sentences that carry an event; no other text
    NONE = "none"  # no article text

    @classmethod
    def _missing_(cls, value: object) -> TextPolicy:
        raise ValueError(f"unknown text policy {value!r}; expected one of {', '.join(cls)}")


DEFAULT_TEXT_POLICY = TextPolicy.EVIDENCE
# What the evidence policy keeps of a sentence: enough to check a coded event by.
EVIDENCE_CHARS = 300


def sentence_text(text: str, policy: TextPolicy, carries_event: bool) -> str | None:
    """How much of a sentence a release republishes under ``policy``."""
    if policy == TextPolicy.FULL:
        return text
    if policy == TextPolicy.EVIDENCE:
        return text[:EVIDENCE_CHARS] if carries_event else None
    return None
