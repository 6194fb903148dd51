"""Ingest: read the raw input folder into documents and rejections.

The raw folder (``data/raw/``) holds articles as operators and scrapers
leave them: ``*.txt`` files (one article each, with an optional sidecar
``NAME.meta.json`` / ``NAME.meta.yaml`` / ``NAME.meta.yml``), ``*.jsonl``
and ``*.jsonl.gz`` files (one JSON object per line) and ``*.csv`` files
(a header row, one article per record).  This module turns that folder into
a deterministic stream of :class:`RawDocument` and :class:`Rejection`.

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

import codecs
import csv
import gzip
import io
import json
import os
import re
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import BinaryIO

import charset_normalizer
import yaml

from steppe.analyse.language import SUPPORTED_LANGUAGES
from steppe.analyse.sentences import MAX_SENTENCE_CHARS, longest_unbroken_run
from steppe.dates import parse_date
from steppe.text import fold, normalise_text

__all__ = [
    "DEFAULT_LIMITS",
    "DecodeError",
    "Limits",
    "RawDocument",
    "Rejection",
    "REJECTION_REASONS",
    "SUPPORTED_LANGUAGES",
    "decode_bytes",
    "iter_raw",
    "list_input_files",
    "normalise_language",
    "read_raw",
]

REJECTION_REASONS: tuple[str, ...] = (
    "unreadable",          # the file or folder could not be read (permissions, I/O error)
    "unsafe-path",         # a symlink leading outside the raw folder, or a symlink loop
    "unsupported-format",  # not a .txt, .jsonl, .jsonl.gz, .csv or sidecar, or not a regular file
    "empty",               # the file holds no data (0 bytes, only whitespace, only blank lines)
    "binary",              # the bytes are not text (NUL bytes that are not UTF-16, control characters)
    "undecodable",         # text whose bytes are invalid in the detected encoding (reported with offset)
    "malformed-gzip",      # a .jsonl.gz that is not gzip, or is truncated
    "malformed-json",      # a JSONL line that is not valid JSON
    "not-an-object",       # a JSONL line that is valid JSON but not an object
    "malformed-csv",       # a CSV record that cannot be parsed or has the wrong number of fields
    "missing-text",        # a record (or a CSV header) without a usable text field
    "empty-text",          # a record whose text is empty or whitespace only
    "malformed-sidecar",   # a sidecar that is not a JSON/YAML mapping
    "orphan-sidecar",      # a sidecar without its NAME.txt
    "duplicate-sidecar",   # NAME.txt has more than one sidecar, so none is used
    "invalid-field",       # a metadata field was dropped (the document is kept without it)
    "too-large",           # over a configured cap: file size, document length or sentence length
)

# Publication dates outside this range are typos ("14/12/0201"), not news;
# fixed bounds rather than "now" keep ingest deterministic.
_PUBLISHED_MIN = datetime(1800, 1, 1, tzinfo=timezone.utc)
_PUBLISHED_END = datetime(2101, 1, 1, tzinfo=timezone.utc)

# Metadata fields every input form may carry besides `text`.
METADATA_FIELDS = ("id", "url", "title", "publisher", "author", "published", "language")

_SIDECAR_SUFFIXES = (".meta.json", ".meta.yaml", ".meta.yml")
_README_NAMES = frozenset({"readme", "readme.md", "readme.txt", "readme.rst"})
_EXPECTED_FILES = (
    "expected .txt (with an optional NAME.meta.json or NAME.meta.yaml sidecar), "
    ".jsonl, .jsonl.gz or .csv"
)

# How much of a JSONL/CSV file is read to choose its encoding.  Big enough
# for charset-normalizer to be reliable, small enough to keep streaming.
_SNIFF_BYTES = 64 * 1024
# Real text has no more than a stray control character or two; binary data
# decoded as text is full of them.
_MAX_CONTROL_RATIO = 0.05
# Articles can exceed csv's default 128 KiB field limit.
_CSV_FIELD_LIMIT = 64 * 1024 * 1024

# Encodings charset-normalizer may choose among when UTF-8 fails: the legacy
# encodings of Russian/Kazakh (cp1251, koi8-r) and Portuguese/Spanish/English
# (cp1252, latin-1) text.  UTF-16 is recognised before, by BOM or NUL pattern.
_LEGACY_ENCODINGS = ("cp1251", "koi8_r", "cp1252", "latin_1")
# charset-normalizer's codec names -> the names recorded in `encoding`.
_ENCODING_NAMES = {"cp1251": "cp1251", "koi8_r": "koi8-r", "cp1252": "cp1252", "latin_1": "latin-1"}

# Longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UTF8_FAMILY = ("utf-8", "utf-8-sig")

# C0 and C1 control characters other than tab, line feed, vertical tab,
# form feed and carriage return.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# A well-formed multi-byte UTF-8 sequence.
_UTF8_MULTIBYTE_RE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTE_RE = re.compile(rb"[\x80-\xff]")
_WORD_RE = re.compile(r"[^\W\d_]+")
_LATIN_RE = re.compile("[A-Za-z\u00c0-\u024f]")
_CYRILLIC_RE = re.compile("[\u0400-\u052f]")
# Characters expected in Latin- and Cyrillic-script news (used to confirm a
# guess of UTF-16 without BOM).
_OUR_SCRIPTS_RE = re.compile(
    "[\t\n\r\x20-\x7e\u00a0-\u024f\u0300-\u036f\u0400-\u052f\u1e00-\u1eff\u2000-\u206f\u20a0-\u20cf\u2100-\u214f]"
)
_MAGIC_NUMBERS = (
    (b"\x1f\x8b", "gzip data"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)


# ---------------------------------------------------------------------------
# Public records
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """Caps on what one input may hold; whatever exceeds one is rejected as
    ``too-large`` with the size and the cap, never truncated.

    The defaults are far above any news article and keep a stray dump, a
    runaway scrape or a file of random bytes from taking the run's memory
    and time.
    """

    max_file_bytes: int = 1 << 30  # any input file, on disk (compressed for .jsonl.gz)
    max_document_chars: int = 2_000_000  # one article's text, after decoding
    # Characters without a line break or . ! ? … (where no sentence can end);
    # the sentence splitter cuts longer sentences at this length.
    max_sentence_chars: int = MAX_SENTENCE_CHARS

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_document_chars", "max_sentence_chars"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive whole number, not {value!r}")

    def non_default(self) -> dict[str, int]:
        """The caps that differ from the defaults (they change which inputs a release holds)."""
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


class DecodeError(ValueError):
    """Bytes that are not text (reason "binary") or not decodable (reason "undecodable")."""

    def __init__(self, reason: str, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.offset = offset


# ---------------------------------------------------------------------------
# Text and encodings
# ---------------------------------------------------------------------------


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a whole file; return ``(text, encoding)``.

    Order: BOM (UTF-8, UTF-16, UTF-32); UTF-16 without BOM when NUL bytes
    sit on one side of each pair; strict UTF-8; then charset-normalizer
    limited to cp1251, koi8-r, cp1252 and latin-1.  UTF-8 with a few invalid
    bytes among valid multi-byte sequences is damaged UTF-8, not a legacy
    encoding: decoding it as cp1252 would turn every accented letter into
    mojibake, so it raises with the offset of the first bad byte instead.
    Raises :class:`DecodeError` (a ``ValueError``) for binary or undecodable
    data; never replaces characters.
    """
    encoding = _detect_encoding(data, complete=True)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DecodeError(
            "undecodable",
            f"invalid {encoding} byte 0x{data[error.start]:02x} at byte offset {error.start} "
            f"in an otherwise {encoding} file ({error.reason}); expected the whole file in one "
            "encoding, preferably UTF-8",
            offset=error.start,
        ) from None
    if encoding not in _UTF8_FAMILY:  # UTF-8 was already checked while detecting
        _reject_control_characters(text, data)
    return text, encoding


def _detect_encoding(data: bytes, *, complete: bool) -> str:
    """Name the codec of ``data`` (a whole file, or its first bytes when not ``complete``)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    if b"\x00" in data:
        name = _utf16_without_bom(data, complete=complete)
        if name is None:
            raise DecodeError("binary", _binary_message(data, "it contains NUL bytes"))
        return name
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
    except UnicodeDecodeError:
        if _mostly_utf8(data):
            return "utf-8"  # damaged UTF-8: the caller reports where the bad bytes are
        return _legacy_encoding(data)
    _reject_control_characters(text, data)
    return "utf-8"


def _utf16_without_bom(data: bytes, *, complete: bool) -> str | None:
    """Recognise UTF-16 without BOM by where its NUL bytes fall.

    Latin and punctuation characters in UTF-16 have a zero high byte, so in
    little-endian text NULs sit at odd offsets, in big-endian at even ones.
    Binary data has NULs on both sides.  The guess is confirmed by decoding
    and checking the characters belong to the scripts we expect.
    """
    if not complete:
        data = data[: len(data) - len(data) % 2]
    if len(data) < 2 or len(data) % 2:
        return None
    nul_even, nul_odd = data[0::2].count(0), data[1::2].count(0)
    if nul_odd > 20 * nul_even:
        name = "utf-16-le"
    elif nul_even > 20 * nul_odd:
        name = "utf-16-be"
    else:
        return None
    try:
        text = codecs.getincrementaldecoder(name)().decode(data, final=complete)
    except UnicodeDecodeError:
        return None
    if not text or _control_ratio(text) > _MAX_CONTROL_RATIO:
        return None
    if len(_OUR_SCRIPTS_RE.findall(text)) < 0.9 * len(text):
        return None
    return name


def _mostly_utf8(data: bytes) -> bool:
    """True when most non-ASCII bytes form valid UTF-8 sequences.

    Legacy single-byte text (cp1251, latin-1) almost never forms valid
    multi-byte UTF-8 sequences, so a file where they dominate is UTF-8 that
    was damaged, not another encoding.
    """
    high = len(_HIGH_BYTE_RE.findall(data))
    valid = sum(len(seq) for seq in _UTF8_MULTIBYTE_RE.findall(data))
    return valid > 0 and valid >= high - valid


def _legacy_encoding(data: bytes) -> str:
    matches = list(charset_normalizer.from_bytes(data, cp_isolation=list(_LEGACY_ENCODINGS)))
    if not matches:
        raise DecodeError(
            "undecodable",
            "the bytes are neither UTF-8 nor plausible cp1251, koi8-r, cp1252 or latin-1 "
            "text; expected UTF-8",
        )
    # On short inputs charset-normalizer often ranks several encodings as
    # equally clean ("Ação" in latin-1 reads as "Aзгo" in cp1251).  Words
    # that mix scripts or change case mid-word settle it; ties keep its order.
    best = min(enumerate(matches), key=lambda pair: (_implausible_words(str(pair[1])), pair[0]))[1]
    return _ENCODING_NAMES.get(best.encoding, best.encoding)


def _implausible_words(text: str) -> int:
    """Count words no Latin- or Cyrillic-script writer would produce."""
    count = 0
    for word in _WORD_RE.findall(text):
        mixed = _LATIN_RE.search(word) and _CYRILLIC_RE.search(word)
        # A lowercase letter before an uppercase one is what cp1251 text
        # looks like when read as koi8-r ("бНР" for "Вот"), and vice versa.
        flipped = any(a.islower() and b.isupper() for a, b in zip(word, word[1:]))
        if mixed or flipped:
            count += 1
    return count


def _control_ratio(text: str) -> float:
    return len(_CONTROL_RE.findall(text)) / len(text) if text else 0.0


def _reject_control_characters(text: str, data: bytes) -> None:
    if _control_ratio(text) > _MAX_CONTROL_RATIO:
        raise DecodeError("binary", _binary_message(data, "it is mostly control characters"))


def _binary_message(data: bytes, why: str) -> str:
    for magic, kind in _MAGIC_NUMBERS:
        if data.startswith(magic):
            return f"not text: {why}; it looks like {kind}. Expected a text file"
    return f"not text: {why}. Expected a text file (UTF-8, UTF-16, cp1251, koi8-r or latin-1)"


# ---------------------------------------------------------------------------
# Languages
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Finding the files
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    rel: str  # relative POSIX path
    path: Path  # raw_dir / rel
    kind: str  # txt, sidecar, jsonl, jsonl.gz, csv, unsupported, special, unsafe, unreadable
    problem: str = ""  # detail for special, unsafe and unreadable entries


_READABLE_KINDS = frozenset({"txt", "sidecar", "jsonl", "jsonl.gz", "csv", "unsupported"})


def _kind_of(name: str) -> str:
    lower = name.lower()
    if lower.endswith(_SIDECAR_SUFFIXES):
        return "sidecar"
    for suffix in (".jsonl.gz", ".jsonl", ".csv", ".txt"):
        if lower.endswith(suffix):
            return suffix[1:]
    return "unsupported"


def _scan(raw_dir: Path) -> list[_Entry]:
    """Every entry under ``raw_dir`` that ingest must account for, sorted by relative path.

    Hidden files and folders and README files are skipped.  Symlinks are
    followed only when their target stays inside ``raw_dir``.
    """
    root = Path(os.path.realpath(raw_dir))
    if not root.is_dir():
        raise FileNotFoundError(f"raw data folder not found or not a folder: {raw_dir}")
    entries: list[_Entry] = []

    def walk(directory: Path, rel_parts: tuple[str, ...], ancestors: frozenset[Path]) -> None:
        try:
            with os.scandir(directory) as listing:
                children = sorted(listing, key=lambda child: child.name)
        except OSError as error:
            entries.append(_Entry("/".join(rel_parts) or ".", directory, "unreadable",
                                  f"cannot list this folder ({error.strerror})"))
            return
        for child in children:
            if child.name.startswith("."):
                continue
            rel = "/".join((*rel_parts, child.name))
            path = directory / child.name
            try:
                if child.is_symlink():
                    target = Path(os.path.realpath(path))
                    if not target.is_relative_to(root):
                        entries.append(_Entry(rel, path, "unsafe",
                                              "symlink whose target is outside the raw data folder; "
                                              "it was not followed. Copy the file into the folder instead"))
                        continue
                if child.is_dir():
                    real = Path(os.path.realpath(path))
                    if real in ancestors:
                        entries.append(_Entry(rel, path, "unsafe",
                                              "symlink to one of its own parent folders (a loop); not followed"))
                        continue
                    walk(path, (*rel_parts, child.name), ancestors | {real})
                    continue
                if child.name.lower() in _README_NAMES:
                    continue
                if not child.is_file():
                    entries.append(_Entry(rel, path, "special",
                                          "not a regular file (a pipe, socket, device or broken symlink); "
                                          + _EXPECTED_FILES))
                    continue
            except OSError as error:
                entries.append(_Entry(rel, path, "unreadable", f"cannot inspect this path ({error.strerror})"))
                continue
            entries.append(_Entry(rel, path, _kind_of(child.name)))

    walk(Path(raw_dir), (), frozenset({root}))
    entries.sort(key=lambda entry: entry.rel)
    return entries


def list_input_files(raw_dir: Path) -> list[Path]:
    """Files whose bytes decide ingest's output, sorted by relative path.

    That is every document file and sidecar, plus files rejected as
    unsupported (their presence changes the ``rejected`` table).  Hidden
    files, READMEs, symlinks leading outside ``raw_dir`` and special files
    are left out: they are never read.  Paths are ``raw_dir / relative``.
    """
    return [entry.path for entry in _scan(Path(raw_dir)) if entry.kind in _READABLE_KINDS]


# ---------------------------------------------------------------------------
# The stream
# ---------------------------------------------------------------------------


def iter_raw(raw_dir: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[RawDocument | Rejection]:
    """Yield every document and rejection under ``raw_dir``, deterministically.

    Files come in order of relative POSIX path, records in file order; a
    document's ``invalid-field`` rejection (if any) follows it.  Inputs over
    a cap of ``limits`` are rejected as ``too-large``.  Raises
    ``FileNotFoundError`` only when ``raw_dir`` itself does not exist.
    """
    entries = _scan(Path(raw_dir))
    sidecars = _sidecars_by_text(entries)
    texts = {entry.rel[: -len(".txt")] for entry in entries if entry.kind == "txt"}
    for entry in entries:
        if entry.kind in ("txt", "sidecar", "jsonl", "jsonl.gz", "csv") and (
            (too_large := _file_over_limit(entry, limits)) is not None
        ):
            yield too_large
        elif entry.kind == "txt":
            yield from _read_txt(entry, sidecars.get(entry.rel[: -len(".txt")], []), limits)
        elif entry.kind == "sidecar":
            if _sidecar_stem(entry.rel) not in texts:
                yield Rejection(entry.rel, 0, "orphan-sidecar",
                                f"sidecar without its article: no {_sidecar_stem(entry.rel)}.txt "
                                "next to it. Expected NAME.meta.json or NAME.meta.yaml beside NAME.txt")
        elif entry.kind in ("jsonl", "jsonl.gz"):
            yield from _read_jsonl(entry, limits)
        elif entry.kind == "csv":
            yield from _read_csv(entry, limits)
        elif entry.kind == "unsupported":
            yield Rejection(entry.rel, 0, "unsupported-format", f"unsupported file type; {_EXPECTED_FILES}")
        elif entry.kind == "special":
            yield Rejection(entry.rel, 0, "unsupported-format", entry.problem)
        elif entry.kind == "unsafe":
            yield Rejection(entry.rel, 0, "unsafe-path", entry.problem)
        else:
            yield Rejection(entry.rel, 0, "unreadable", entry.problem)


def _file_over_limit(entry: _Entry, limits: Limits) -> Rejection | None:
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


def read_raw(raw_dir: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[list[RawDocument], list[Rejection]]:
    """All of :func:`iter_raw`, split into documents and rejections (each in stream order)."""
    documents: list[RawDocument] = []
    rejections: list[Rejection] = []
    for item in iter_raw(raw_dir, limits):
        (documents if isinstance(item, RawDocument) else rejections).append(item)
    return documents, rejections


# ---------------------------------------------------------------------------
# Building documents from fields
# ---------------------------------------------------------------------------


def _over_limits(text: str, limits: Limits, what: str) -> str | None:
    """Why ``text`` (an article, already normalised) exceeds a cap, or None."""
    if len(text) > limits.max_document_chars:
        return (f"{what} is {len(text):,} characters long, over the cap of {limits.max_document_chars:,} "
                "(--max-document-chars); it was not read, nothing was truncated")
    start, length = longest_unbroken_run(text)
    if length > limits.max_sentence_chars:
        return (f"{what} has {length:,} characters without a sentence end (line break or . ! ? \u2026) "
                f"from character {start:,}, over the sentence cap of {limits.max_sentence_chars:,} "
                "(--max-sentence-chars); it was not read, nothing was truncated")
    return None


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def _is_valid_unicode(text: str) -> bool:
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
        return None, f"{name} is {_describe(value)}, expected a single text value"
    if not _is_valid_unicode(value):
        return None, f"{name} {value!r} contains invalid Unicode (a lone surrogate)"
    text = normalise_text(value).strip()
    return (text or None), None


@dataclass(frozen=True)
class _Metadata:
    """Validated metadata of one record, and what had to be dropped."""

    source_id: str | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    problems: tuple[str, ...] = ()


def _metadata(fields: Mapping[str, object]) -> _Metadata:
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
        problems.append(f"published is {_describe(published)}, expected a date")
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

    return _Metadata(
        source_id=strings["id"], url=strings["url"], title=strings["title"],
        publisher=strings["publisher"], author=strings["author"],
        published_at=published_at, language=language, problems=tuple(problems),
    )


def _document(meta: _Metadata, *, source_file: str, source_line: int, text: str, encoding: str) -> RawDocument:
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
                        f"'text' is {_describe(raw_text)}; expected the article text as a string")
        return
    if not _is_valid_unicode(raw_text):
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
    meta = _metadata(fields)
    yield _document(meta, source_file=source_file, source_line=source_line, text=text, encoding=encoding)
    if meta.problems:
        yield _field_rejection(source_file, source_line, meta.problems)


# ---------------------------------------------------------------------------
# .txt articles and their sidecars
# ---------------------------------------------------------------------------


def _sidecar_stem(rel: str) -> str:
    lower = rel.lower()
    for suffix in _SIDECAR_SUFFIXES:
        if lower.endswith(suffix):
            return rel[: -len(suffix)]
    raise ValueError(f"not a sidecar: {rel}")


def _sidecars_by_text(entries: list[_Entry]) -> dict[str, list[_Entry]]:
    by_stem: dict[str, list[_Entry]] = {}
    for entry in entries:
        if entry.kind == "sidecar":
            by_stem.setdefault(_sidecar_stem(entry.rel), []).append(entry)
    return by_stem


def _read_txt(entry: _Entry, sidecars: list[_Entry], limits: Limits) -> Iterator[RawDocument | Rejection]:
    try:
        data = entry.path.read_bytes()
    except OSError as error:
        yield Rejection(entry.rel, 0, "unreadable", f"cannot read the file ({error.strerror})")
        return
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
        loaded = _load_sidecar(sidecars[0])
        if isinstance(loaded, Rejection):
            sidecar_rejections.append(loaded)
        else:
            meta_fields = loaded

    meta = _metadata(meta_fields)
    yield _document(meta, source_file=entry.rel, source_line=1, text=text, encoding=encoding)
    if meta.problems:
        sidecar_rejections.append(_field_rejection(sidecars[0].rel, 0, meta.problems))
    yield from sidecar_rejections


def _load_sidecar(entry: _Entry) -> Mapping[str, object] | Rejection:
    def reject(detail: str) -> Rejection:
        return Rejection(entry.rel, 0, "malformed-sidecar",
                         f"{detail}; the article was read without metadata. Expected a "
                         f"{'JSON object' if entry.rel.lower().endswith('.json') else 'YAML mapping'} "
                         "with fields such as url, title, published, language")

    try:
        text, _ = decode_bytes(entry.path.read_bytes())
    except OSError as error:
        return reject(f"cannot read the sidecar ({error.strerror})")
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
        return reject("the sidecar is empty" if loaded is None else f"the sidecar holds {_describe(loaded)}")
    return {str(key): value for key, value in loaded.items()}


# ---------------------------------------------------------------------------
# Streaming JSONL and CSV
# ---------------------------------------------------------------------------


class _FileProblem(Exception):
    """A problem that ends the reading of a whole file (reported on line 0)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based physical line
    text: str  # decoded line, terminator included; a stand-in when `error` is set
    error: str | None = None  # why the line's bytes could not be decoded


def _open_binary(entry: _Entry) -> BinaryIO:
    if entry.kind == "jsonl.gz":
        return gzip.open(entry.path, "rb")  # type: ignore[return-value]
    return open(entry.path, "rb")


def _stream_errors(entry: _Entry, error: BaseException, lines_read: int) -> _FileProblem:
    """Translate an I/O or decompression error into a whole-file problem."""
    after = f" after line {lines_read}; the lines before it were read" if lines_read else ""
    if entry.kind == "jsonl.gz" and isinstance(error, (gzip.BadGzipFile, EOFError, zlib.error)):
        if isinstance(error, EOFError):
            what = "the gzip data is truncated"
        elif lines_read:
            what = "the gzip data is corrupt"
        else:
            what = "not valid gzip data"
        return _FileProblem("malformed-gzip", f"{what}{after}; expected a complete gzip-compressed JSONL file")
    reason = error.strerror if isinstance(error, OSError) and error.strerror else type(error).__name__
    return _FileProblem("unreadable", f"cannot read the file ({reason}){after}")


def _open_lines(entry: _Entry, *, newline: str) -> tuple[str, Iterator[_Line]]:
    """Choose the file's encoding from its first bytes; return it and a line stream.

    Raises :class:`_FileProblem` for files that cannot be read at all; the
    returned iterator raises it for failures part-way through.
    """
    try:
        with _open_binary(entry) as stream:
            sample = stream.read(_SNIFF_BYTES)
    except (OSError, EOFError, zlib.error) as error:
        raise _stream_errors(entry, error, 0) from None
    try:
        encoding = _detect_encoding(sample, complete=len(sample) < _SNIFF_BYTES)
    except DecodeError as error:
        raise _FileProblem(error.reason, str(error)) from None
    return encoding, _lines(entry, encoding, newline)


def _lines(entry: _Entry, encoding: str, newline: str) -> Iterator[_Line]:
    number = 0
    try:
        with _open_binary(entry) as stream:
            if encoding in _UTF8_FAMILY:
                # Decode line by line so a damaged line is reported on its own
                # and the rest of the file still reads.
                offset = 0
                for raw in stream:
                    number += 1
                    body = raw[len(codecs.BOM_UTF8):] if number == 1 and raw.startswith(codecs.BOM_UTF8) else raw
                    yield _decode_utf8_line(entry, number, body, offset + len(raw) - len(body))
                    offset += len(raw)
            else:
                text_stream = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline=newline)
                try:
                    for text in text_stream:
                        number += 1
                        yield _Line(number, text)
                except UnicodeDecodeError as error:
                    yield _Line(number + 1, "",
                                f"invalid {encoding} data ({error.reason}); this line and the rest of "
                                "the file could not be decoded")
                finally:
                    text_stream.detach()
    except (OSError, EOFError, zlib.error) as error:
        raise _stream_errors(entry, error, number) from None


def _decode_utf8_line(entry: _Entry, number: int, body: bytes, offset: int) -> _Line:
    try:
        return _Line(number, body.decode("utf-8"))
    except UnicodeDecodeError as error:
        where = " of the decompressed data" if entry.kind == "jsonl.gz" else ""
        # The replacement-decoded text only keeps CSV parsing in step; the
        # line itself is rejected, so no replaced character reaches a document.
        return _Line(number, body.decode("utf-8", "replace"),
                     f"invalid UTF-8 byte 0x{body[error.start]:02x} at byte offset "
                     f"{offset + error.start}{where}; expected valid UTF-8 throughout the file")


def _read_jsonl(entry: _Entry, limits: Limits) -> Iterator[RawDocument | Rejection]:
    saw_data = False
    try:
        encoding, lines = _open_lines(entry, newline="\n")
        for line in lines:
            if not line.text.strip():
                continue  # blank lines are not data
            saw_data = True
            if line.error:
                yield Rejection(entry.rel, line.number, "undecodable", line.error)
                continue
            yield from _jsonl_line(entry.rel, line, encoding, limits)
    except _FileProblem as problem:
        yield Rejection(entry.rel, 0, problem.reason, problem.detail)
        return
    if not saw_data:
        yield Rejection(entry.rel, 0, "empty", "the file holds no lines of data; expected one JSON object per line")


def _jsonl_line(source_file: str, line: _Line, encoding: str, limits: Limits) -> Iterator[RawDocument | Rejection]:
    try:
        record = json.loads(line.text)
    except json.JSONDecodeError as error:
        yield Rejection(source_file, line.number, "malformed-json",
                        f"not valid JSON ({error.msg} at column {error.colno}); "
                        "expected one JSON object per line")
        return
    except (ValueError, RecursionError) as error:  # e.g. nesting or integers too large
        yield Rejection(source_file, line.number, "malformed-json",
                        f"JSON that cannot be read ({type(error).__name__}: {error}); "
                        "expected one JSON object per line")
        return
    if not isinstance(record, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
            type(record), "a number")
        yield Rejection(source_file, line.number, "not-an-object",
                        f"the line holds {kind}, not an object; expected one JSON object "
                        "with a 'text' field per line")
        return
    yield from _record(record, source_file=source_file, source_line=line.number,
                       encoding=encoding, form="the JSON object", limits=limits)


class _Feed:
    """The text of physical lines for ``csv.reader``, counting lines and decoding errors."""

    def __init__(self, lines: Iterator[_Line]) -> None:
        self._lines = lines
        self.count = 0
        self.errors: dict[int, str] = {}
        self.recent: list[str] = []  # texts since the last mark(), to re-read a header

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count = line.number
        if line.error:
            self.errors[line.number] = line.error
        self.recent.append(line.text)
        return line.text

    def mark(self) -> None:
        self.recent = []

    def first_error(self, start: int, end: int) -> str | None:
        return next((self.errors[n] for n in range(start, end + 1) if n in self.errors), None)


def _header_names(row: list[str]) -> list[str]:
    return [cell.strip().lstrip("\ufeff").casefold() for cell in row]


def _read_csv(entry: _Entry, limits: Limits) -> Iterator[RawDocument | Rejection]:
    # Only ever raises the limit, so other csv users in the process are unaffected.
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    try:
        encoding, lines = _open_lines(entry, newline="")
        feed = _Feed(lines)
        yield from _csv_records(entry.rel, feed, encoding, limits)
    except _FileProblem as problem:
        yield Rejection(entry.rel, 0, problem.reason, problem.detail)


def _csv_records(source_file: str, feed: _Feed, encoding: str, limits: Limits) -> Iterator[RawDocument | Rejection]:
    reader: Iterator[list[str]] = csv.reader(feed, strict=True)
    header: list[str] | None = None
    header_line = 0
    while True:
        start = feed.count + 1
        feed.mark()
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            end = feed.count
            lines = f"line {start}" if end <= start else f"lines {start}-{end}"
            yield Rejection(source_file, start, "malformed-csv",
                            f"the record at {lines} cannot be parsed ({error}); expected RFC 4180 CSV "
                            "with quotes doubled inside quoted fields")
            continue
        end = feed.count
        if not any(cell.strip() for cell in row):
            continue  # blank lines and rows of empty cells are not data
        if (error_detail := feed.first_error(start, end)) is not None:
            yield Rejection(source_file, start, "undecodable", error_detail)
            if header is None:
                return
            continue

        if header is None:
            header_line = start
            header, reader = _csv_header(row, feed.recent, reader, feed)
            if "text" not in header:
                yield Rejection(source_file, start, "missing-text",
                                f"the CSV header has no 'text' column (columns: {', '.join(header)}); "
                                "expected a header row naming at least text")
                return
            duplicated = sorted({name for name in header if header.count(name) > 1 and name})
            if duplicated:
                yield Rejection(source_file, start, "malformed-csv",
                                f"the CSV header repeats column(s) {', '.join(duplicated)}; "
                                "expected each column once")
                return
            continue

        if len(row) != len(header):
            yield Rejection(source_file, start, "malformed-csv",
                            f"the record has {len(row)} fields but the header (line {header_line}) "
                            f"has {len(header)}; expected one value per column")
            continue
        fields = {name: value for name, value in zip(header, row) if name}
        yield from _record(fields, source_file=source_file, source_line=start,
                           encoding=encoding, form="the CSV record", limits=limits)
    if header is None:
        yield Rejection(source_file, 0, "empty", "the file holds no CSV data; expected a header row and records")


def _csv_header(row: list[str], raw_lines: list[str], reader: Iterator[list[str]],
                feed: _Feed) -> tuple[list[str], Iterator[list[str]]]:
    """Read the header, and choose the delimiter so that it names a text column.

    Spreadsheets in Brazil and Russia export CSV with ';' (the comma is the
    decimal separator there), and some tools write tab-separated files
    named .csv; those are recognised by their header.
    """
    names = _header_names(row)
    if "text" in names:
        return names, reader
    header_text = "".join(raw_lines)
    for delimiter in (";", "\t"):
        candidate = _header_names(next(csv.reader([header_text], delimiter=delimiter), []))
        if "text" in candidate:
            return candidate, csv.reader(feed, delimiter=delimiter, strict=True)
    return names, reader
