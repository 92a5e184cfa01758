"""Bytes to text: byte-order marks, UTF-8, the Arabic code pages, and binary files.

The rule is documented in ``docs/corpus-formats.md`` (Encodings).
"""

from __future__ import annotations

from .. import resources as R

_MAGIC = R.BINARY_SIGNATURES
_MAGIC_PREFIXES = tuple(magic for magic, _ in _MAGIC)



def binary_reason(data: bytes) -> str | None:
    """Why ``data`` looks binary, or None if it looks like text (BOMs are checked before)."""
    if data.startswith(_MAGIC_PREFIXES):
        for magic, what in _MAGIC:
            if data.startswith(magic):
                return f"binary file ({what})"
    sample = data[:65536]
    if b"\x00" in sample:
        return "binary file (contains NUL bytes)"
    controls = len(sample) - len(sample.translate(None, R.CONTROL_BYTES))
    if controls > 0.05 * len(sample):
        return f"binary file ({controls:,} control bytes in the first {len(sample):,})"
    return None


def bom_less_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` for text saved as UTF-16 without a BOM, else None.

    In such text the high byte of every character is 0x00 (ASCII: spaces, digits, line
    breaks) or 0x06 (Arabic), with a few 0x20 (punctuation) and 0xFB-0xFE (presentation
    forms); the low bytes are almost never 0x00. Binary data does not look like that.
    """
    sample = data[:4096]
    if b"\x00" not in sample or len(sample) < 16 or len(data) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for enc, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        typical = sum(high.count(b) for b in (0x00, 0x06, 0x20, 0xFB, 0xFC, 0xFD, 0xFE))
        if high.count(0) and typical >= 0.95 * len(high) and low.count(0) <= 0.01 * len(low):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                return None
            if not R.RE_XML_ILLEGAL.search(text[:2048]):
                return enc
    return None


def decode(data: bytes, forced: str | None) -> tuple[str, str, int]:
    """Decode a file: ``(text, encoding, number of replaced bytes)``; see module docstring."""
    if forced:
        try:
            return data.decode(forced), forced, 0
        except UnicodeDecodeError:
            text = data.decode(forced, errors="replace")
            return text, forced, max(1, text.count("\ufffd"))
    for bom, enc in R.BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc, 0
            except UnicodeDecodeError:
                text = data.decode(enc, errors="replace")
                return text, enc, max(1, text.count("\ufffd"))
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    valid = len(R.RE_NON_ASCII.findall(text)) - text.count("\ufffd")
    if valid >= 10 * bad:
        return text, "utf-8", bad
    if R.RE_C1_BYTES.search(data):
        return data.decode("cp1256"), "cp1256", 0
    try:
        iso = data.decode("iso-8859-6")
    except UnicodeDecodeError:
        return data.decode("cp1256"), "cp1256", 0
    cp = data.decode("cp1256")
    if len(R.RE_ARABIC_LETTER.findall(iso)) > len(R.RE_ARABIC_LETTER.findall(cp)):
        return iso, "iso-8859-6", 0
    return cp, "cp1256", 0


