"""Bytes to text: which encoding a raw file is in, and whether it is text at all.

UTF-8 is expected; UTF-16/32 (by BOM, or UTF-16 by where its NUL bytes
fall) and the legacy encodings of the corpus' languages are recognised
too.  Nothing here replaces a character: bytes that do not decode raise
:class:`DecodeError` with the offset of the first bad byte, so ingest can
reject the file (or line) and say where it went wrong.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

__all__ = ["UTF8_FAMILY", "DecodeError", "decode_bytes", "detect_encoding"]

# Real text has no more than a stray control character or two; binary data
# decoded as text is full of them.
_MAX_CONTROL_RATIO = 0.05

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
UTF8_FAMILY = ("utf-8", "utf-8-sig")

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


class DecodeError(ValueError):
    """Bytes that are not text (reason "binary") or not decodable (reason "undecodable")."""

    def __init__(self, reason: str, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.offset = offset


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
    encoding = detect_encoding(data, complete=True)
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
    if encoding not in UTF8_FAMILY:  # UTF-8 was already checked while detecting
        _reject_control_characters(text, data)
    return text, encoding


def detect_encoding(data: bytes, *, complete: bool) -> str:
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


