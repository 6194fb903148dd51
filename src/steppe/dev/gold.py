"""Reading hand-made gold: gold files (names, events, sectors) into documents, and their entries into spans.

Gold is written by surface, not by offset, so that an annotator can read and
check it: each entry names the exact text of a span and its label (for names,
the canonical English name of the entity). `load_gold` reads a file;
`gold_spans` turns the entries of a document into character spans, which
:mod:`steppe.dev.quality` scores predictions against.

From entries to spans (`gold_spans`)
    An entry covers every *whole-word* occurrence of its surface in the text:
    exact, case-sensitive, with no letter, combining mark or digit right before
    or right after it ("Astana" occurs in "Astana's" and "(Astana)" but not in
    "Astanada"). `occurrence: N` (1-based, counting every whole-word occurrence)
    picks one of them instead.
    Without `occurrence`, an occurrence that lies inside a longer span of a name
    (kind "name"), or of another entry of the entry's own kind, is not counted:
    "Токаев" inside "Касым-Жомарт Токаев", "OPEC" inside "OPEC+" and "presidente"
    inside "ex-presidente" are not separate mentions. A name inside a role
    phrase is: "Казахстана" in "Президент Казахстана" counts.
    Errors (`GoldError`, naming the file, document and surface): a surface that
    never occurs, an occurrence past the last one, an explicit occurrence
    inside a longer name, an entry left with no occurrence, two entries on the
    same span, and two names (or two entries of one kind) that cross.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from steppe.datafiles import load_yaml
from steppe.languages import SUPPORTED_LANGUAGES
from steppe.text import normalise_text

KINDS = ("name", "role", "pronoun")  # "name": a proper name, abbreviation or demonym
_MENTION_KEYS = frozenset({"surface", "entity", "occurrence", "optional", "kind", "demonym"})
_DOCUMENT_KEYS = frozenset({"id", "published", "text", "mentions"})
_FILE_KEYS = frozenset({"language", "documents"})


class GoldError(ValueError):
    """A gold file is malformed or an entry does not fit its text; the message says where."""


@dataclass(frozen=True)
class GoldMention:
    """One annotation as written in a gold file."""

    surface: str
    label: str | None  # canonical name; None: a name that must stay unresolved
    occurrence: int | None = None  # 1-based among whole-word occurrences; None: all of them
    optional: bool = False
    kind: str = "name"  # one of KINDS
    demonym: bool = False


@dataclass(frozen=True)
class GoldDocument:
    doc_id: str
    language: str
    text: str  # NFC, as ingest hands it on
    published: date | None
    mentions: tuple[GoldMention, ...]
    source: str  # the gold file, for messages


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of one document's text, with a label (None: none given)."""

    doc_id: str
    start: int
    end: int
    surface: str
    label: str | None


@dataclass(frozen=True)
class GoldSpan(Span):
    optional: bool = False
    kind: str = "name"
    demonym: bool = False



# Where the shared reference material lives beside a checkout of the project
# (../shared, read in place, never copied), and where the seed article's text is.
REPO_DIR = Path(__file__).resolve().parents[3]
SHARED_DIR = REPO_DIR.parent / "shared"
SEED_GOLD = SHARED_DIR / "gold" / "seed.gold.yaml"
SEED_TEXT_DIRS = (REPO_DIR / "data" / "raw", SHARED_DIR / "seeds")


def load_gold(path: Path, text_dirs: Sequence[Path] = ()) -> list[GoldDocument]:
    """Read a gold file: the steppe format (`language`, `documents`) or the seed format.

    The seed format (../shared/gold/seed.gold.yaml: `document`, `language`,
    `mentions: {required: {surface: name}, optional: {...}}`) names a text file,
    looked for in `text_dirs`; its publication date comes from the text's
    sidecar (NAME.meta.yaml) when there is one. Its optional entries are role
    phrases, descriptions and a pronoun, so they are read as kind "role": a
    name inside them still counts.
    """
    path = Path(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise GoldError(f"{path}: cannot read gold: {error}") from None
    if not isinstance(data, Mapping):
        raise GoldError(f"{path}: expected a mapping at the top level")
    if "document" in data:
        return [_seed_document(path, data, text_dirs)]
    return _steppe_documents(path, data)


def _steppe_documents(path: Path, data: Mapping[str, Any]) -> list[GoldDocument]:
    where = str(path)
    _check_keys(where, data, _FILE_KEYS, required=_FILE_KEYS)
    language = _language(where, data["language"])
    if not isinstance(data["documents"], list) or not data["documents"]:
        raise GoldError(f"{where}: `documents` must be a non-empty list")
    documents, seen = [], set()
    for index, raw in enumerate(data["documents"], 1):
        doc_where = f"{where}: document {index}"
        if not isinstance(raw, Mapping):
            raise GoldError(f"{doc_where}: expected a mapping")
        _check_keys(doc_where, raw, _DOCUMENT_KEYS, required=("id", "text", "mentions"))
        doc_id = raw["id"]
        if not isinstance(doc_id, str) or not doc_id:
            raise GoldError(f"{doc_where}: `id` must be a non-empty string")
        doc_where = f"{where}: {doc_id}"
        if doc_id in seen:
            raise GoldError(f"{doc_where}: duplicate document id")
        seen.add(doc_id)
        text = raw["text"]
        if not isinstance(text, str) or not text.strip():
            raise GoldError(f"{doc_where}: `text` must be non-empty text")
        if not isinstance(raw["mentions"], list):
            raise GoldError(f"{doc_where}: `mentions` must be a list")
        mentions = tuple(_mention(f"{doc_where}: mention {i}", m) for i, m in enumerate(raw["mentions"], 1))
        documents.append(
            GoldDocument(
                doc_id=doc_id,
                language=language,
                text=normalise_text(text),
                published=_date(doc_where, raw.get("published")),
                mentions=mentions,
                source=where,
            )
        )
    return documents


def _seed_document(path: Path, data: Mapping[str, Any], text_dirs: Sequence[Path]) -> GoldDocument:
    where = str(path)
    name = data["document"]
    language = _language(where, data.get("language"))
    candidates = [Path(d) / Path(str(name)).name for d in text_dirs]
    text_path = next((c for c in candidates if c.is_file()), None)
    if text_path is None:
        looked = ", ".join(str(c) for c in candidates) or "no folder given"
        raise GoldError(f"{where}: text of {name!r} not found (looked in: {looked})")
    text = normalise_text(text_path.read_bytes().decode("utf-8"))
    published = None
    sidecar = text_path.with_name(text_path.stem + ".meta.yaml")
    if sidecar.is_file():
        meta = load_yaml(sidecar.read_text(encoding="utf-8")) or {}
        published = _date(str(sidecar), meta.get("published"))
    groups = data.get("mentions") or {}
    mentions = []
    for group, optional in (("required", False), ("optional", True)):
        for surface, label in (groups.get(group) or {}).items():
            kind = "role" if optional else "name"
            mention = {"surface": surface, "entity": label, "optional": optional, "kind": kind}
            mentions.append(_mention(f"{where}: mentions.{group}.{surface}", mention))
    return GoldDocument(
        doc_id=str(name),
        language=language,
        text=text,
        published=published,
        mentions=tuple(mentions),
        source=where,
    )


def _check_keys(where: str, raw: Mapping[str, Any], allowed: Iterable[str], required: Iterable[str]) -> None:
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        raise GoldError(
            f"{where}: unknown field(s) {', '.join(map(str, unknown))}; expected {', '.join(sorted(allowed))}"
        )
    missing = [key for key in required if key not in raw]
    if missing:
        raise GoldError(f"{where}: missing field(s) {', '.join(missing)}")


def _language(where: str, value: Any) -> str:
    if value not in SUPPORTED_LANGUAGES:
        raise GoldError(f"{where}: `language` must be one of {', '.join(SUPPORTED_LANGUAGES)}, got {value!r}")
    return value


def _date(where: str, value: Any) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise GoldError(f"{where}: `published` must be an ISO date (YYYY-MM-DD), got {value!r}") from None


def _mention(where: str, raw: Any) -> GoldMention:
    if not isinstance(raw, Mapping):
        raise GoldError(f"{where}: expected a mapping such as {{surface: Astana, entity: Astana}}")
    _check_keys(where, raw, _MENTION_KEYS, required=("surface", "entity"))
    surface, label = raw["surface"], raw["entity"]
    if not isinstance(surface, str) or not surface.strip() or surface != surface.strip():
        raise GoldError(f"{where}: `surface` must be non-empty text without outer spaces, got {surface!r}")
    if label is not None and (not isinstance(label, str) or not label.strip()):
        raise GoldError(f"{where} ({surface}): `entity` must be a canonical name or null, got {label!r}")
    occurrence = raw.get("occurrence")
    if occurrence is not None and (type(occurrence) is not int or occurrence < 1):
        raise GoldError(f"{where} ({surface}): `occurrence` must be a positive integer, got {occurrence!r}")
    kind = raw.get("kind", "name")
    if kind not in KINDS:
        raise GoldError(f"{where} ({surface}): `kind` must be one of {', '.join(KINDS)}, got {kind!r}")
    flags = {}
    for flag in ("optional", "demonym"):
        value = raw.get(flag, False)
        if not isinstance(value, bool):
            raise GoldError(f"{where} ({surface}): `{flag}` must be true or false, got {value!r}")
        flags[flag] = value
    return GoldMention(
        surface=unicodedata.normalize("NFC", surface),
        label=label,
        occurrence=occurrence,
        optional=flags["optional"],
        kind=kind,
        demonym=flags["demonym"],
    )


# ---------------------------------------------------------------------------
# From entries to spans
# ---------------------------------------------------------------------------


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


def whole_word_occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    """(start, end) of each occurrence of `surface` with no letter, mark or digit on either side."""
    found, start = [], text.find(surface)
    while start != -1:
        end = start + len(surface)
        before_ok = start == 0 or not _is_word_char(text[start - 1])
        after_ok = end == len(text) or not _is_word_char(text[end])
        if before_ok and after_ok:
            found.append((start, end))
        start = text.find(surface, start + 1)
    return found


def gold_spans(doc: GoldDocument) -> list[GoldSpan]:
    """The spans a document's entries cover, in text order (rules in the module docstring)."""
    where = f"{doc.source}: {doc.doc_id}"
    candidates: list[tuple[GoldMention, list[tuple[int, int]]]] = []
    for mention in doc.mentions:
        occurrences = whole_word_occurrences(doc.text, mention.surface)
        if not occurrences:
            raise GoldError(f"{where}: surface {mention.surface!r} does not occur as a whole word in the text")
        if mention.occurrence is not None:
            if mention.occurrence > len(occurrences):
                raise GoldError(
                    f"{where}: surface {mention.surface!r} occurs {len(occurrences)} time(s), "
                    f"not {mention.occurrence}"
                )
            occurrences = [occurrences[mention.occurrence - 1]]
        candidates.append((mention, occurrences))

    def container(mention: GoldMention, span: tuple[int, int]) -> GoldMention | None:
        """An entry with a longer span around `span` that makes it no separate mention."""
        start, end = span
        for other, other_spans in candidates:
            if other is mention or (other.kind != "name" and other.kind != mention.kind):
                continue
            for o_start, o_end in other_spans:
                if o_start <= start and end <= o_end and (o_start, o_end) != (start, end):
                    return other
        return None

    spans: list[GoldSpan] = []
    for mention, occurrences in candidates:
        kept = []
        for span in occurrences:
            outer = container(mention, span)
            if outer is None:
                kept.append(span)
            elif mention.occurrence is not None:
                raise GoldError(
                    f"{where}: occurrence {mention.occurrence} of {mention.surface!r} lies inside "
                    f"{outer.surface!r}, which is a longer span of the same layer; annotate only the longer one"
                )
        if not kept:
            raise GoldError(
                f"{where}: surface {mention.surface!r} only occurs inside longer annotated spans; "
                "remove the entry or give `occurrence`"
            )
        spans.extend(
            GoldSpan(
                doc_id=doc.doc_id,
                start=start,
                end=end,
                surface=doc.text[start:end],
                label=mention.label,
                optional=mention.optional,
                kind=mention.kind,
                demonym=mention.demonym,
            )
            for start, end in kept
        )
    spans.sort(key=lambda s: (s.start, -s.end))
    _check_layout(where, spans)
    return spans


def _check_layout(where: str, spans: Sequence[GoldSpan]) -> None:
    seen: dict[tuple[int, int], GoldSpan] = {}
    for span in spans:
        key = (span.start, span.end)
        if key in seen:
            raise GoldError(f"{where}: two entries cover the same span {span.surface!r} at {span.start}")
        seen[key] = span
    for i, first in enumerate(spans):
        for second in spans[i + 1 :]:
            if second.start >= first.end:
                break
            crossing = first.start < second.start < first.end < second.end
            same_layer = first.kind == second.kind or (first.kind == "name" and second.kind == "name")
            if crossing and same_layer:
                raise GoldError(
                    f"{where}: spans {first.surface!r} ({first.start}-{first.end}) and "
                    f"{second.surface!r} ({second.start}-{second.end}) cross"
                )
