"""Scoring labelled text spans against hand-made gold: names now, events and sectors later.

Gold is written by surface, not by offset, so that an annotator can read and
check it: each entry names the exact text of a span and its label (for names,
the canonical English name of the entity). `steppe.dev.gold` reads the files and turns
the entries of a document into character spans; `score` compares predicted
spans with them.

Matching (`score`)
    Two spans match when they cover the same characters once each is trimmed
    of (a) a leading article followed by whitespace (the, o, a, os, as, el, la,
    los, las; any case) and (b) a trailing English possessive ('s, ’s, or a bare
    apostrophe after s) or a hyphenated suffix of up to five lower-case letters
    after a capital or digit (the Kazakh "ҰҚШҰ-ға", "АҚШ-тың"). So "the
    Kremlin" matches "Kremlin", "Putin" matches "Putin's", "ҰҚШҰ" matches
    "ҰҚШҰ-ға", while "Нур-Султан" or "Kassym-Jomart" are never cut.
    Portuguese contractions (do, na, pelo) are not trimmed: they are never part
    of a gold span, and a finder must leave them out.
    Predicted spans without a label (unresolved names) are not predictions of
    anything and are ignored. Each resolved prediction then lands in exactly one
    bucket:
    - true positive: matches a required gold span with the same label;
    - optional hit: matches an optional gold span (role phrase, pronoun,
      metonymy) with the same label: neither rewarded nor penalised;
    - false positive: matches no gold span ("not in gold"); matches a gold span
      with another label ("wrong label", which is also a miss when the gold
      span is required); matches a gold span whose label is None, a name the
      gold says must stay unresolved ("gold leaves it unresolved"); or matches
      a gold span already taken by another prediction ("duplicate").
    Required gold spans with a label that no prediction got right are misses
    ("not found" or "wrong label").
    precision = TP / (TP + FP), recall = TP / required gold, F1 their harmonic
    mean; with nothing to divide by, a score is 1.0 when there was nothing to
    find or predict, else 0.0.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from steppe.dev.gold import GoldSpan, Span

_LEADING_ARTICLE = re.compile(r"^(?:the|o|a|os|as|el|la|los|las)\s+", re.IGNORECASE)
_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_LOWER = "a-zäğıñöşūüа-яёәғқңөұүһі"
_TRAILING_SUFFIX = re.compile(rf"(?:['’]s|(?<=s)['’]|(?<=[{_UPPER}0-9])-[{_LOWER}]{{1,5}})$")


@dataclass(frozen=True)
class PredictedSpan(Span):
    method: str | None = None  # how the finder got there, shown next to its errors


@dataclass(frozen=True)
class Mismatch:
    """A miss or a false positive, with both sides of the comparison."""

    doc_id: str
    start: int
    end: int
    surface: str
    gold: str | None  # the gold label at this span (None: no gold span, or an unresolved one)
    predicted: str | None  # the predicted label (None: nothing predicted)
    reason: str  # "not found", "wrong label", "not in gold", "gold leaves it unresolved", "duplicate"
    method: str | None = None


@dataclass(frozen=True)
class Scores:
    gold: int  # required gold spans with a label
    predicted: int  # predictions with a label
    true_positives: int
    optional_hits: int
    misses: tuple[Mismatch, ...]
    false_positives: tuple[Mismatch, ...]

    @property
    def precision(self) -> float:
        judged = self.true_positives + len(self.false_positives)
        return self.true_positives / judged if judged else float(self.gold == 0)

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "true_positives": self.true_positives,
            "false_positives": len(self.false_positives),
            "misses": len(self.misses),
            "optional_hits": self.optional_hits,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def match_key(span: Span) -> tuple[str, int, int]:
    """Where a span is compared: its characters without a leading article or a trailing possessive/suffix."""
    start, end = span.start, span.end
    article = _LEADING_ARTICLE.match(span.surface)
    if article and article.end() < len(span.surface):
        start += article.end()
    suffix = _TRAILING_SUFFIX.search(span.surface)
    if suffix and suffix.start() > (article.end() if article else 0):
        end -= len(suffix.group())
    return span.doc_id, start, end


def score(predicted: Iterable[PredictedSpan], gold: Iterable[GoldSpan]) -> Scores:
    """Compare resolved predictions with gold spans (rules in the module docstring)."""
    gold_at: dict[tuple[str, int, int], GoldSpan] = {}
    for span in gold:
        key = match_key(span)
        if key in gold_at:
            raise ValueError(f"two gold spans compare at the same place: {gold_at[key]} and {span}")
        gold_at[key] = span
    predictions_at: dict[tuple[str, int, int], list[PredictedSpan]] = defaultdict(list)
    n_predicted = 0
    for span in predicted:
        if span.label is not None:
            predictions_at[match_key(span)].append(span)
            n_predicted += 1

    true_positives = optional_hits = 0
    misses: list[Mismatch] = []
    false_positives: list[Mismatch] = []

    def false_positive(span: PredictedSpan, gold_label: str | None, reason: str) -> None:
        false_positives.append(
            Mismatch(span.doc_id, span.start, span.end, span.surface, gold_label, span.label, reason, span.method)
        )

    for key, spans in predictions_at.items():
        truth = gold_at.get(key)
        if truth is None:
            for span in spans:
                false_positive(span, None, "not in gold")
            continue
        # The right answer, if any prediction gave it, takes the gold span; the rest are duplicates.
        spans = sorted(spans, key=lambda s: s.label != truth.label)
        first, rest = spans[0], spans[1:]
        if truth.label is None:
            false_positive(first, None, "gold leaves it unresolved")
        elif first.label == truth.label:
            if truth.optional:
                optional_hits += 1
            else:
                true_positives += 1
        else:
            false_positive(first, truth.label, "wrong label")
            if not truth.optional:
                misses.append(Mismatch(truth.doc_id, truth.start, truth.end, truth.surface, truth.label,
                                       first.label, "wrong label", first.method))
        for span in rest:
            false_positive(span, truth.label, "duplicate")

    for key, truth in gold_at.items():
        if truth.label is not None and not truth.optional and key not in predictions_at:
            misses.append(Mismatch(truth.doc_id, truth.start, truth.end, truth.surface, truth.label, None, "not found"))

    def order(mismatch: Mismatch) -> tuple[str, int, int, str]:
        return mismatch.doc_id, mismatch.start, mismatch.end, mismatch.reason

    return Scores(
        gold=sum(1 for s in gold_at.values() if s.label is not None and not s.optional),
        predicted=n_predicted,
        true_positives=true_positives,
        optional_hits=optional_hits,
        misses=tuple(sorted(misses, key=order)),
        false_positives=tuple(sorted(false_positives, key=order)),
    )


def relabel(spans: Iterable[GoldSpan], mapping: Mapping[str, str | None]) -> list[GoldSpan]:
    """Gold spans with their labels translated (e.g. canonical names to entity ids); unmapped labels become None."""
    return [
        GoldSpan(s.doc_id, s.start, s.end, s.surface, mapping.get(s.label) if s.label is not None else None,
                 s.optional, s.kind, s.demonym)
        for s in spans
    ]
