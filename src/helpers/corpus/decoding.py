"""Bytes to text: byte-order marks, UTF-8, 8-bit code pages (Arabic and Latin), files mixing
UTF-8 with a code page, and binary files.

The rule is documented in ``docs/corpus-formats.md`` (Encodings). In short: a BOM, else
strict UTF-8 (the fast path), else the bytes are cut into words at ASCII white space; the
words holding bytes that are not UTF-8 are read in the 8-bit code page (``cp1256``,
``iso-8859-6`` or ``cp1252``) under which they read best as words (the judge is
:mod:`.codepages`: an Arabic letter-bigram model and rules for Latin words). A file whose
other words are UTF-8 is read by runs (``utf-8+cp1256``) if those words are plausible
text, and as UTF-8 with the bad bytes replaced if they are stray garbage. Every doubt
becomes a note (``encoding_guess``), every run decoding a note (``mixed_encoding``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice
from typing import NamedTuple

from .. import resources as R
from .codepages import LATIN_CODEPAGE, LATIN_FALLBACK, Guess, guess_codepage, token_score

_MAGIC = R.BINARY_SIGNATURES
_MAGIC_PREFIXES = tuple(magic for magic, _ in _MAGIC)

# warning kinds (notes) produced here; only "replaced_bytes" is an error with strict=True
REPLACED_BYTES = "replaced_bytes"
ENCODING_GUESS = "encoding_guess"
MIXED_ENCODING = "mixed_encoding"

# ---------------------------------------------------------------------------------------
# decoding a file
# ---------------------------------------------------------------------------------------

# After decoding with "surrogateescape" a byte that is not UTF-8 is a lone surrogate
# U+DC80-U+DCFF; words are cut at ASCII white space.
_WHITE = "\t\n\x0b\x0c\r "
_RE_ESCAPED = re.compile("[\udc80-\udcff]")
_RE_UTF8_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
_RE_WORD_REST = re.compile(f"[^{_WHITE}]*")
_HIGH_BYTES = bytes(range(0x80, 0x100))
# valid UTF-8 punctuation that may stick to a word of another encoding («...», "...", ،)
_EDGE_PUNCT = ("\u00ab\u00bb"              # LEFT/RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK
               "\u2018\u2019\u201c\u201d"  # LEFT/RIGHT SINGLE/DOUBLE QUOTATION MARK
               "\u2013\u2014\u2026"        # EN DASH, EM DASH, HORIZONTAL ELLIPSIS
               "\u060c\u061b\u061f")       # ARABIC COMMA, SEMICOLON, QUESTION MARK
#: A word that is valid UTF-8 but lies among code-page words is re-read in the code page
#: (as is a word with stray bytes there) when it has at most this many non-ASCII
#: characters: a Windows-1256 letter before a Windows-1256 comma (0xC9 0xA1, "ة،") is
#: valid UTF-8 by accident ...
SHORT_WORD = 2
#: ... and the code-page reading wins unless the UTF-8 one scores this much better (among
#: Arabic words a lone Latin letter, Windows-1256 "أ،" read as UTF-8 "á", is unlikely).
SHORT_WORD_PRIOR = 4.0
#: In a file that is otherwise UTF-8, fewer non-UTF-8 bytes than this are stray bytes
#: (replaced), never a run in a code page, however plausible they read.
MIN_RUN_BYTES = 4
#: A file with at most one valid non-ASCII UTF-8 character per this many bytes that are
#: not UTF-8 is first tried as a plain 8-bit file (its few UTF-8 characters being
#: accidents such as "ة،"); it is read by runs if one of them really is UTF-8.
MOSTLY_8BIT = 16
# kinds of words: UTF-8, in a code page, UTF-8 with stray bytes
_UTF8, _CP, _STRAY = 0, 1, 2


def _raw(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def _split_edges(word: str) -> tuple[str, str, str]:
    """``(UTF-8 punctuation before, the rest, UTF-8 punctuation after)`` of a word."""
    start, end = 0, len(word)
    while start < end and word[start] in _EDGE_PUNCT:
        start += 1
    while end > start and word[end - 1] in _EDGE_PUNCT:
        end -= 1
    return word[:start], word[start:end], word[end:]


def _core(word: str) -> str:
    """The word without the UTF-8 punctuation stuck to it (see ``_split_edges``)."""
    return _split_edges(word)[1] if word[0] in _EDGE_PUNCT or word[-1] in _EDGE_PUNCT \
        else word


def _census(text: str) -> tuple[int, int]:
    """(bytes that are not UTF-8, bytes of valid multi-byte characters) in ``text``."""
    valid = "".join(_RE_UTF8_NON_ASCII.findall(text))
    return len(_RE_ESCAPED.findall(text)), len(valid.encode("utf-8"))


def _kind(word: str) -> int:
    """A word's kind: UTF-8; code page (its bytes are mostly not UTF-8); or UTF-8 with
    stray bytes (mostly valid multi-byte sequences)."""
    if not _RE_ESCAPED.search(word):
        return _UTF8
    if not _RE_UTF8_NON_ASCII.search(word):
        return _CP
    escaped, multibyte = _census(_core(word))
    return _CP if 2 * escaped >= multibyte else _STRAY


def _words_with(text: str, char: re.Pattern, lo: int = 0, hi: int | None = None
                ) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of the words of ``text[lo:hi]`` holding a match of ``char``.

    (One regex search per word found: the text between is scanned in C.)
    """
    hi = len(text) if hi is None else hi
    while m := char.search(text, lo, hi):
        start = m.start()
        while start > lo and text[start - 1] not in _WHITE:
            start -= 1
        lo = _RE_WORD_REST.match(text, m.end()).end()
        yield start, lo


@lru_cache(maxsize=1 << 12)
def _code_page_wins(word: str, enc: str) -> bool:
    """Whether a UTF-8 word of at most SHORT_WORD non-ASCII characters, or a word with
    stray bytes, reads better in ``enc`` (by SHORT_WORD_PRIOR) among code-page words."""
    if _kind(word) == _UTF8 and sum(not c.isascii() for c in word) > SHORT_WORD:
        return False
    raw = _raw(word)
    try:
        as_cp = raw.decode(enc)
    except UnicodeDecodeError:
        return False
    return token_score(as_cp)[0] + SHORT_WORD_PRIOR \
        > token_score(raw.decode("utf-8", "replace"))[0]


def _whole(data: bytes, guess: Guess, *notes: tuple[str, str]) -> Decoded:
    """The whole file in the guessed code page (chosen on part of it: should the rest
    hold a byte it leaves undefined, in ``latin-1`` or ``cp1256``, which define all)."""
    enc = guess.encoding
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        enc = LATIN_FALLBACK if enc == LATIN_CODEPAGE else "cp1256"
        text = data.decode(enc)
        message = f"encoding guessed: {enc}, as {guess.encoding} leaves bytes undefined"
        notes = (*notes, (ENCODING_GUESS, message))
    return Decoded(text, enc, 0, (*_guess_notes(guess), *notes))


def _guess_notes(guess: Guess, what: str = "encoding") -> tuple[tuple[str, str], ...]:
    if not guess.doubt:
        return ()
    return ((ENCODING_GUESS, f"{what} guessed: {guess.describe()}; {guess.doubt}"),)


class Decoded(NamedTuple):
    """A file's text, the encoding label recorded, replaced bytes, and notes to report."""
    text: str
    encoding: str
    replaced: int = 0
    notes: tuple[tuple[str, str], ...] = ()  # (kind, message)


def decode_bytes(data: bytes, forced: str | None = None) -> Decoded:
    """Decode a file's bytes by the rule of the module docstring; never raises.

    >>> decode_bytes("خبر عاجل".encode("cp1256")).encoding
    'cp1256'
    """
    if forced:
        try:
            return Decoded(data.decode(forced), forced)
        except UnicodeDecodeError:
            text = data.decode(forced, errors="replace")
            return Decoded(text, forced, max(1, text.count("\ufffd")))
    for bom, enc in R.BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc), enc)
            except UnicodeDecodeError:
                pass
            if enc == "utf-8-sig":     # UTF-8 after all, but for stray bytes or runs
                d = _decode_not_utf8(data[len(bom):])
                return d._replace(encoding=d.encoding.replace("utf-8", enc, 1))
            text = data.decode(enc, errors="replace")
            return Decoded(text, enc, max(1, text.count("\ufffd")))
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    return _decode_not_utf8(data)


def _replaced(data: bytes) -> Decoded:
    """UTF-8 with the bytes that are not UTF-8 replaced by U+FFFD."""
    text = data.decode("utf-8", errors="replace")
    return Decoded(text, "utf-8", max(1, text.count("\ufffd") - data.count(b"\xef\xbf\xbd")))


def _decode_not_utf8(data: bytes) -> Decoded:
    """A code page, UTF-8 with runs in a code page, or UTF-8 with stray bytes."""
    ascii_chars = len(data.translate(None, _HIGH_BYTES))
    valid = len(data.decode("utf-8", "ignore")) - ascii_chars   # non-ASCII UTF-8 characters
    if not valid:                                    # nothing but ASCII is UTF-8
        return _whole(data, guess_codepage(data))
    mixed = data.decode("utf-8", "surrogateescape")
    escaped = len(mixed) - ascii_chars - valid       # bytes that are not UTF-8
    if valid * MOSTLY_8BIT <= escaped:
        guess = guess_codepage(data)
        if all(_kind(w) == _CP or _code_page_wins(w, guess.encoding)
               for w in (mixed[i:j] for i, j in _words_with(mixed, _RE_UTF8_NON_ASCII))):
            return _whole(data, guess)
    return _decode_by_runs(data, mixed, valid, escaped)


def _decode_by_runs(data: bytes, mixed: str, valid: int, escaped: int) -> Decoded:
    """Words with bytes that are not UTF-8 in a code page, the rest as UTF-8; or UTF-8
    with stray bytes replaced when those words are not text."""
    # [start, end, word, kind] of the words holding bytes that are not UTF-8
    bad = [[i, j, mixed[i:j], _CP] for i, j in _words_with(mixed, _RE_ESCAPED)]
    for b in bad:
        b[3] = _kind(b[2])
    if all(b[3] == _STRAY for b in bad):
        return _replaced(data)
    guess = guess_codepage(_raw(" ".join(_core(b[2]) for b in bad if b[3] == _CP)))
    enc = guess.encoding
    # among code-page words, a short UTF-8 word (alone between two of them) or a word
    # with stray bytes is read in the code page if that reads better
    items, pos, previous_cp = [], 0, True              # the file's start counts as code page
    for b in [*bad, [len(mixed), len(mixed), "", _CP]]:
        gap = list(islice(_words_with(mixed, _RE_UTF8_NON_ASCII, pos, b[0]), 2))
        if len(gap) == 1 and previous_cp and b[3] == _CP:
            i, j = gap[0]
            if _code_page_wins(mixed[i:j], enc):
                items.append([i, j, mixed[i:j], _CP])
                gap = []
        items.append(b)
        previous_cp = b[3] == _CP and not gap
        pos = b[1]
    items.pop()                                        # the end-of-file marker
    for n, b in enumerate(items):
        if b[3] != _STRAY:
            continue
        before = items[n - 1] if n else None
        after = items[n + 1] if n + 1 < len(items) else None
        if (before is None or before[3] == _CP) and (after is None or after[3] == _CP) \
                and not _RE_UTF8_NON_ASCII.search(mixed, before[1] if before else 0, b[0]) \
                and not _RE_UTF8_NON_ASCII.search(mixed, b[1],
                                                  after[0] if after else len(mixed)) \
                and _code_page_wins(b[2], enc):
            b[3] = _CP
    # bytes read in the code page, characters left as UTF-8
    cp_bytes, utf8_chars = escaped, valid
    for _, _, w, k in items:
        if k == _STRAY:
            cp_bytes -= _census(w)[0]
        elif _RE_UTF8_NON_ASCII.search(w):
            core = _core(w)
            cp_bytes += _census(core)[1]
            utf8_chars -= len(_RE_UTF8_NON_ASCII.findall(core))
    if utf8_chars == 0:                              # all re-read: a plain 8-bit file
        return _whole(data, guess)
    if not guess.plausible or cp_bytes < MIN_RUN_BYTES:
        if utf8_chars >= cp_bytes:                   # UTF-8 with stray bytes
            return _replaced(data)
        if guess.doubt:                               # mostly not UTF-8, and not text
            return _whole(data, guess)
        message = f"encoding guessed: {guess.describe()}; mostly not UTF-8"
        return _whole(data, guess, (ENCODING_GUESS, message))
    # UTF-8 with runs in a code page: decode word by word
    out, pos, runs, replaced, previous_end = [], 0, 0, 0, -1
    for start, end, w, k in items:
        out.append(mixed[pos:start])
        if k == _CP:
            # a new run unless only ASCII lies since the last code-page word
            runs += previous_end < 0 or bool(_RE_UTF8_NON_ASCII.search(mixed, previous_end,
                                                                       start))
            pre, core, post = _split_edges(w)
            out.append(pre + _raw(core).decode(enc) + post)
            previous_end = end
        else:
            raw = _raw(w)
            text = raw.decode("utf-8", "replace")
            replaced += text.count("\ufffd") - raw.count(b"\xef\xbf\xbd")
            out.append(text)
            previous_end = -1
        pos = end
    out.append(mixed[pos:])
    message = (f"{cp_bytes:,} byte(s) in {runs:,} run(s) are not UTF-8: read as {enc}, "
               "the rest as UTF-8")
    notes = ((MIXED_ENCODING, message),
             *_guess_notes(guess, f"encoding of the non-UTF-8 run{'s' if runs > 1 else ''}"))
    return Decoded("".join(out), f"utf-8+{enc}", replaced, notes)


# ---------------------------------------------------------------------------------------
# binary files
# ---------------------------------------------------------------------------------------

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
