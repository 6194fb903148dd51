"""Ingest: read the raw input folder into documents and rejections.

The raw folder (``data/raw/``) holds articles as operators and scrapers
leave them: ``*.txt`` files (one article each, with an optional sidecar
``NAME.meta.json`` / ``NAME.meta.yaml`` / ``NAME.meta.yml``), ``*.jsonl``
and ``*.jsonl.gz`` files (one JSON object per line) and ``*.csv`` files
(a header row, one article per record).  This module turns that folder into
(a header row, one article per record).  This package turns that folder
into a deterministic stream of :class:`RawDocument` and :class:`Rejection`,
and an inventory of the files read (:mod:`steppe.ingest.inventory`).  This
module holds the records and the readers; finding the files is
:mod:`~steppe.ingest.discover`, decoding :mod:`~steppe.ingest.decode`,
metadata fields :mod:`~steppe.ingest.metadata` and JSONL/CSV lines
:mod:`~steppe.ingest.lines`.

Contract kept here:

* Nothing raises for bad input and nothing is dropped silently: every
  unreadable file, bad line or bad field becomes a :class:`Rejection` with
  the file, the line and a sentence saying what was expected.  Blank JSONL
  and CSV lines are not data and are skipped.
* At most one rejection per ``(source_file, source_line)``, the primary key
  of the ``rejected`` table: several problems of one record share one
  rejection.
* Document text is decoded, stripped of its BOM, has its line breaks
  normalised to ``\\n`` and is Unicode NFC; nothing else is changed, so
  downstream character offsets refer to exactly this text.
* Files are visited in order of their relative POSIX path and records in
  file order; large JSONL and CSV files are streamed line by line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import yaml

from steppe.ingest import lines
from steppe.ingest.decode import DecodeError, decode_bytes
from steppe.ingest.discover import (
    EXPECTED_FILES,
    READABLE_KINDS,
    Entry,
    scan,
    sidecar_stem,
    sidecars_by_text,
)
from steppe.ingest.inventory import InputFile, Inventory
from steppe.ingest.metadata import (
    Metadata,
    describe_value,
    is_valid_unicode,
    parse_metadata,
)
from steppe.schema import field_values
from steppe.text import MAX_SENTENCE_CHARS, normalise_text

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "RawDocument",
    "RawRead",
    "Rejection",
    "REJECTION_REASONS",
    "iter_raw",
    "read_raw",
]

# The codes the rejected table allows, each described in the schema (rejected.reason).
REJECTION_REASONS: tuple[str, ...] = field_values("rejected", "reason")

# ---------------------------------------------------------------------------
# Public records
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """Caps on what one input may hold: a file or a document over its cap is
    rejected as ``too-large`` with the size and the cap, never truncated.
    ``max_sentence_chars`` rejects nothing: it is the length the analysis cuts
    a longer sentence at (the sentences table marks the pieces ``cut``).

    The defaults are far above any news article and keep a stray dump, a
    runaway scrape or a file of random bytes from taking the run's memory
    and time.
    """

    max_file_bytes: int = 1 << 30  # any input file, on disk (compressed for .jsonl.gz)
    max_document_chars: int = 2_000_000  # one article's text, after decoding
    # The longest sentence: the sentence splitter cuts a longer one (a text that runs
    # on without a line break or . ! ? …) into pieces of at most this length.
    max_sentence_chars: int = MAX_SENTENCE_CHARS

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_document_chars", "max_sentence_chars"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive whole number, not {value!r}")

    def non_default(self) -> dict[str, int]:
        """The caps that differ from the defaults (they change which inputs a release holds, or its sentences)."""
        return {name: value for name, value in self.__dict__.items() if value != getattr(DEFAULT_LIMITS, name)}


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class RawDocument:
    """One article as read from the raw folder, before any analysis."""

    source_file: str  # path relative to the raw dir, POSIX separators
    source_line: int  # 1-based line where the record starts (1 for .txt)
    source_id: str | None  # the input's own id
    text: str | None  # decoded, NFC, never empty or whitespace-only (None: dropped after analysis, see IdentifiedDocument.without_text)
    encoding: str  # what the bytes were decoded from
    url: str | None
    title: str | None
    publisher: str | None
    author: str | None
    published_at: datetime | None  # timezone-aware UTC
    language: str | None  # from metadata only; one of SUPPORTED_LANGUAGES


@dataclass(frozen=True)
class Rejection:
    """An input file, line or field that could not be used, and why."""

    source_file: str
    source_line: int  # 0 = the whole file
    reason: str  # one of REJECTION_REASONS
    detail: str  # what was wrong and what was expected

    def __post_init__(self) -> None:
        if self.reason not in REJECTION_REASONS:
            raise ValueError(f"unknown rejection reason {self.reason!r}")


class RawRead(NamedTuple):
    """What :func:`read_raw` read: documents and rejections in stream order, and the inventory."""

    documents: list[RawDocument]
    rejections: list[Rejection]
    inventory: list[InputFile]  # sorted by path


# ---------------------------------------------------------------------------
# The stream
# ---------------------------------------------------------------------------


def iter_raw(raw_dir: Path, limits: Limits = DEFAULT_LIMITS,
             inventory: Inventory | None = None) -> Iterator[RawDocument | Rejection]:
    """Yield every document and rejection under ``raw_dir``, deterministically.

    Files come in order of relative POSIX path, records in file order; a
    document's ``invalid-field`` rejection (if any) follows it.  Inputs over
    a cap of ``limits`` are rejected as ``too-large``.  Raises
    ``FileNotFoundError`` only when ``raw_dir`` itself does not exist.

    Each input file is recorded in ``inventory`` (when given) with the size
    and SHA-256 of the bytes read; it is complete once the stream is.
    """
    inventory = Inventory() if inventory is None else inventory
    entries = scan(Path(raw_dir))
    sidecars = sidecars_by_text(entries)
    texts = {entry.rel[: -len(".txt")] for entry in entries if entry.kind == "txt"}
    for entry in entries:
        if entry.kind in ("txt", "sidecar", "jsonl", "jsonl.gz", "csv") and (
            (too_large := _file_over_limit(entry, limits)) is not None
        ):
            yield too_large
        elif entry.kind == "txt":
            yield from _read_txt(entry, sidecars.get(entry.rel[: -len(".txt")], []), limits, inventory)
        elif entry.kind == "sidecar":
            if sidecar_stem(entry.rel) not in texts:
                yield Rejection(entry.rel, 0, "orphan-sidecar",
                                f"sidecar without its article: no {sidecar_stem(entry.rel)}.txt "
                                "next to it. Expected NAME.meta.json or NAME.meta.yaml beside NAME.txt")
        elif entry.kind in ("jsonl", "jsonl.gz", "csv"):
            yield from _read_lines(entry, limits, inventory)
        elif entry.kind == "unsupported":
            yield Rejection(entry.rel, 0, "unsupported-format", f"unsupported file type; {EXPECTED_FILES}")
        elif entry.kind == "special":
            yield Rejection(entry.rel, 0, "unsupported-format", entry.problem)
        elif entry.kind == "unsafe":
            yield Rejection(entry.rel, 0, "unsafe-path", entry.problem)
        else:
            yield Rejection(entry.rel, 0, "unreadable", entry.problem)
    # Files whose bytes were not decoded still decide the output (by being rejected, or
    # by being a sidecar that was not used), so they are inputs too.
    for entry in entries:
        if entry.kind in READABLE_KINDS:
            inventory.add_unread(entry.rel, entry.path)


def _file_over_limit(entry: Entry, limits: Limits) -> Rejection | None:
    """A ``too-large`` rejection for a file over the size cap (checked before reading it)."""
    try:
        size = entry.path.stat().st_size
    except OSError:
        return None  # reading it reports the problem
    if size <= limits.max_file_bytes:
        return None
    return Rejection(entry.rel, 0, "too-large",
                     f"the file is {size:,} bytes, over the cap of {limits.max_file_bytes:,} "
                     "(--max-file-bytes); it was not read. Split it into smaller files or raise the cap")


def read_raw(raw_dir: Path, limits: Limits = DEFAULT_LIMITS) -> RawRead:
    """All of :func:`iter_raw`: documents and rejections (each in stream order), and the inventory."""
    documents: list[RawDocument] = []
    rejections: list[Rejection] = []
    inventory = Inventory()
    for item in iter_raw(raw_dir, limits, inventory):
        (documents if isinstance(item, RawDocument) else rejections).append(item)
    return RawRead(documents, rejections, inventory.files())


# ---------------------------------------------------------------------------
# Building documents from fields
# ---------------------------------------------------------------------------


def _over_limits(text: str, limits: Limits, what: str) -> str | None:
    """Why ``text`` (an article, already normalised) exceeds a cap, or None."""
    if len(text) > limits.max_document_chars:
        return (f"{what} is {len(text):,} characters long, over the cap of {limits.max_document_chars:,} "
                "(--max-document-chars); it was not read, nothing was truncated")
    return None


def _document(meta: Metadata, *, source_file: str, source_line: int, text: str, encoding: str) -> RawDocument:
    return RawDocument(
        source_file=source_file,
        source_line=source_line,
        source_id=meta.source_id,
        text=text,
        encoding=encoding,
        url=meta.url,
        title=meta.title,
        publisher=meta.publisher,
        author=meta.author,
        published_at=meta.published_at,
        language=meta.language,
    )


def _field_rejection(source_file: str, source_line: int, problems: tuple[str, ...]) -> Rejection:
    what = "these fields" if len(problems) > 1 else "this field"
    return Rejection(source_file, source_line, "invalid-field",
                     "; ".join(problems) + f". The document was kept with {what} empty.")


def _record(fields: Mapping[str, object], *, source_file: str, source_line: int,
            encoding: str, form: str, limits: Limits) -> Iterator[RawDocument | Rejection]:
    """Turn one JSONL object or CSV record into a document (and its field rejection)."""
    if "text" not in fields or fields["text"] is None:
        present = ", ".join(sorted(str(key) for key in fields)) or "none"
        yield Rejection(source_file, source_line, "missing-text",
                        f"{form} has no 'text' field (fields present: {present}); "
                        "expected the article text in 'text'")
        return
    raw_text = fields["text"]
    if not isinstance(raw_text, str):
        yield Rejection(source_file, source_line, "missing-text",
                        f"'text' is {describe_value(raw_text)}; expected the article text as a string")
        return
    if not is_valid_unicode(raw_text):
        yield Rejection(source_file, source_line, "undecodable",
                        "'text' contains invalid Unicode (a lone surrogate such as \\ud800); "
                        "expected valid characters only")
        return
    text = normalise_text(raw_text)
    if not text.strip():
        yield Rejection(source_file, source_line, "empty-text",
                        "'text' is empty or only whitespace; expected the article text")
        return
    if (too_large := _over_limits(text, limits, "'text'")) is not None:
        yield Rejection(source_file, source_line, "too-large", too_large)
        return
    meta = parse_metadata(fields)
    yield _document(meta, source_file=source_file, source_line=source_line, text=text, encoding=encoding)
    if meta.problems:
        yield _field_rejection(source_file, source_line, meta.problems)


# ---------------------------------------------------------------------------
# .txt articles and their sidecars
# ---------------------------------------------------------------------------

def _read_txt(entry: Entry, sidecars: list[Entry], limits: Limits,
              inventory: Inventory) -> Iterator[RawDocument | Rejection]:
    try:
        data = entry.path.read_bytes()
    except OSError as error:
        inventory.add_bytes(entry.rel, None)
        yield Rejection(entry.rel, 0, "unreadable", f"cannot read the file ({error.strerror})")
        return
    inventory.add_bytes(entry.rel, data)
    if not data.strip():
        yield Rejection(entry.rel, 0, "empty", "the file is empty; expected the article text")
        return
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as error:
        yield Rejection(entry.rel, 0, error.reason, str(error))
        return
    text = normalise_text(text)
    if not text.strip():
        yield Rejection(entry.rel, 0, "empty", "the file holds only whitespace; expected the article text")
        return
    if (too_large := _over_limits(text, limits, "the article")) is not None:
        yield Rejection(entry.rel, 0, "too-large", too_large)
        return

    meta_fields: Mapping[str, object] = {}
    sidecar_rejections: list[Rejection] = []
    if len(sidecars) > 1:
        names = ", ".join(sidecar.rel.rsplit("/", 1)[-1] for sidecar in sidecars)
        for sidecar in sidecars:
            sidecar_rejections.append(Rejection(
                sidecar.rel, 0, "duplicate-sidecar",
                f"the article has several sidecars ({names}), so none was used; expected exactly one"))
    elif sidecars:
        loaded = _load_sidecar(sidecars[0], inventory)
        if isinstance(loaded, Rejection):
            sidecar_rejections.append(loaded)
        else:
            meta_fields = loaded

    meta = parse_metadata(meta_fields)
    yield _document(meta, source_file=entry.rel, source_line=1, text=text, encoding=encoding)
    if meta.problems:
        sidecar_rejections.append(_field_rejection(sidecars[0].rel, 0, meta.problems))
    yield from sidecar_rejections


def _load_sidecar(entry: Entry, inventory: Inventory) -> Mapping[str, object] | Rejection:
    def reject(detail: str) -> Rejection:
        return Rejection(entry.rel, 0, "malformed-sidecar",
                         f"{detail}; the article was read without metadata. Expected a "
                         f"{'JSON object' if entry.rel.lower().endswith('.json') else 'YAML mapping'} "
                         "with fields such as url, title, published, language")

    try:
        data = entry.path.read_bytes()
    except OSError as error:
        inventory.add_bytes(entry.rel, None)
        return reject(f"cannot read the sidecar ({error.strerror})")
    inventory.add_bytes(entry.rel, data)
    try:
        text, _ = decode_bytes(data)
    except DecodeError as error:
        return reject(f"the sidecar is not text ({error})")
    text = normalise_text(text)
    try:
        if entry.rel.lower().endswith(".json"):
            loaded = json.loads(text)
        else:
            loaded = yaml.safe_load(text)  # safe_load only: sidecars are untrusted input
    except json.JSONDecodeError as error:
        return reject(f"invalid JSON ({error.msg} at line {error.lineno}, column {error.colno})")
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return reject(f"invalid YAML ({error.problem}{where})")
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        return reject(f"cannot parse the sidecar ({type(error).__name__})")
    if not isinstance(loaded, dict):
        return reject("the sidecar is empty" if loaded is None else f"the sidecar holds {describe_value(loaded)}")
    return {str(key): value for key, value in loaded.items()}


# ---------------------------------------------------------------------------
# JSONL and CSV files
# ---------------------------------------------------------------------------


def _read_lines(entry: Entry, limits: Limits, inventory: Inventory) -> Iterator[RawDocument | Rejection]:
    """The documents and rejections of a JSONL, JSONL.gz or CSV file, streamed and hashed as read."""
    records = lines.csv_records if entry.kind == "csv" else lines.jsonl_records
    with inventory.reading(entry.rel, entry.path) as source:
        for item in records(entry, source):
            if isinstance(item, lines.Problem):
                yield Rejection(entry.rel, item.line, item.reason, item.detail)
            else:
                yield from _record(item.fields, source_file=entry.rel, source_line=item.line,
                                   encoding=item.encoding, form=item.form, limits=limits)
