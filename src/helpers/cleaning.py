"""Normalising Arabic text: one small function per step, and ``normalize`` to run several.

Every function takes a ``str`` or a pandas Series and returns the same kind. A Series keeps
its index and name, is never modified in place, keeps missing values missing, and comes back
as ``string[pyarrow]`` (``pd.StringDtype("pyarrow")``) whatever text dtype it had (object,
``string[python]``, ``string[pyarrow]`` or pandas' default ``str``).

The Series path is vectorised. The character steps (everything that maps single characters,
e.g. diacritics, alef, digits, presentation forms, spaces) are merged into one translation
table and applied over the column's UTF-8 bytes with NumPy, in cache-sized blocks of rows
(``_translate_chunk``): no loop in Python over the rows, and 2.2-2.7x the throughput of
camel-tools applied per article (``benchmarks/bench_normalize.py``), with identical output.
Measured alternatives were slower: ``pyarrow.compute`` replace passes (0.8-1.1x camel),
``str.translate`` per article and ``Series.str.translate`` (0.2-0.3x). Regex steps
(whitespace, URLs, e-mails, tags) run in C++ over the whole column through
``pyarrow.compute.replace_substring_regex`` (RE2); the patterns are written so that RE2 and
Python's ``re`` read them the same way, so ``str`` and Series give the same result (checked by
property tests). Only ``html`` calls Python per row, and only on rows holding ``<`` or ``&``.

Presets: ``display`` = presentation_forms, bidi_controls, whitespace (only what is invisible or
corrupting; folded presentation forms render the same); ``search`` = display + diacritics,
tatweel, alef, alef_maksura, teh_marbuta, digits. ``hamza``, ``punctuation``, ``html``,
``urls`` and ``emails`` are in no preset.

Steps always run in the canonical order of :data:`STEPS` (the order they are given in does
not matter)::

    html, presentation_forms, bidi_controls, diacritics, tatweel, alef, alef_maksura,
    teh_marbuta, hamza, digits, emails, urls, punctuation, whitespace

``html`` runs first because entities can produce any character; presentation forms and
invisible controls next, so that the letter steps see base letters; e-mails and URLs after the
letter steps (a URL hidden by a zero-width space or a tatweel is still found); ``whitespace``
last, to tidy what the others leave. With this order every preset and every single step is
idempotent (``normalize(normalize(x)) == normalize(x)``, checked by property tests).

>>> normalize("الْعَرَبِيَّةُ", preset="search")
'العربيه'
"""

from __future__ import annotations

import html as _html
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import resources as R

__all__ = [
    "normalize",
    "STEPS",
    "PRESETS",
    "remove_html",
    "fold_presentation_forms",
    "remove_bidi_controls",
    "remove_diacritics",
    "remove_tatweel",
    "normalize_alef",
    "normalize_alef_maksura",
    "normalize_teh_marbuta",
    "normalize_hamza",
    "normalize_digits",
    "to_arabic_indic_digits",
    "remove_emails",
    "remove_urls",
    "normalize_punctuation",
    "normalize_whitespace",
    "count_presentation_forms",
]

Text = Any  # str | pd.Series (kept loose: pandas is imported lazily by notebooks anyway)


_PRESENTATION_CLASS = "[" + "".join(f"{lo}-{hi}" for lo, hi in R.PRESENTATION_FORMS_RANGES) + "]"
_RE_PRESENTATION = re.compile(_PRESENTATION_CLASS)


# ---------------------------------------------------------------------------------------
# operations: a step is a short list of these
# ---------------------------------------------------------------------------------------
class _Table:
    """A character translation table (one character -> any string), for str and Arrow."""

    def __init__(self, mapping: Mapping[str, str]):
        self.mapping = {k: v for k, v in mapping.items() if k != v}
        self.py = {ord(k): v for k, v in self.mapping.items()}
        self._compiled = None
        # str path, exactly ``str.translate``'s result but 2.5-4x faster on Arabic text:
        # characters whose replacement contains no character to replace are grouped by
        # replacement, and the groups holding an Arabic letter or diacritic (U+0621-U+0652:
        # frequent) get one C-level pass each (``str.replace`` or a class ``re.sub``, as
        # camel_tools does); the rest (rare: digits, spaces, presentation forms, controls) is
        # translated run by run after the passes. The passes never produce a character the
        # table replaces, so every character is replaced exactly once.
        by_value: dict[str, list[str]] = {}
        for k, v in sorted(self.mapping.items()):
            by_value.setdefault(v, []).append(k)
        passes, rest = [], []
        for v, ks in by_value.items():
            if not any(c in self.mapping for c in v) and any("\u0621" <= k <= "\u0652" for k in ks):
                passes.append((ks[0], v) if len(ks) == 1 else
                              (re.compile("[" + "".join(re.escape(k) for k in ks) + "]"), v.replace("\\", "\\\\")))
            else:
                rest.extend(ks)
        self._passes = passes
        self._runs = re.compile("[" + "".join(re.escape(k) for k in rest) + "]+") if rest else None

    def translate(self, text: str) -> str:
        for pattern, value in self._passes:
            text = text.replace(pattern, value) if isinstance(pattern, str) else pattern.sub(value, text)
        if self._runs is None:
            return text
        table = self.py
        return self._runs.sub(lambda m: m.group().translate(table), text)

    def then(self, other: "_Table") -> "_Table":
        """The table that does ``self`` then ``other`` (exact: both act per character)."""
        merged = {k: v.translate(other.py) for k, v in self.mapping.items()}
        for k, v in other.mapping.items():
            merged.setdefault(k, v)
        return _Table(merged)

    def compiled(self):
        if self._compiled is None:
            self._compiled = _compile_table(self.mapping)
        return self._compiled


class _Regex:
    """``pattern`` -> ``repl`` everywhere (pattern valid for both ``re`` and RE2).

    ``triggers``: a bytes regex that must match somewhere for the pattern to change
    anything; a column where it does not is skipped (a fast byte scan instead of RE2).
    """

    def __init__(self, pattern: str, repl: str, triggers: bytes | None = None,
                 py_steps: tuple[tuple[str, str, bool], ...] | None = None):
        self.pattern, self.repl = pattern, repl
        self.triggers = None if triggers is None else re.compile(triggers)
        # for str: the pattern itself, or equivalent passes (regex or literal str.replace)
        steps = py_steps or ((pattern, repl, True),)
        self.py_steps = tuple((re.compile(p) if is_re else p, r) for p, r, is_re in steps)

    def sub(self, text: str) -> str:
        for pattern, repl in self.py_steps:
            text = text.replace(pattern, repl) if isinstance(pattern, str) else pattern.sub(repl, text)
        return text


def _contains(chunk: pa.Array, triggers: re.Pattern) -> bool:
    """Does ``triggers`` match the chunk's UTF-8 data? (searched in place, no copy)"""
    _, off_buf, data = chunk.buffers()
    if data is None or len(chunk) == 0:
        return False
    offs = np.frombuffer(off_buf, dtype=np.int64, count=chunk.offset + len(chunk) + 1)
    view = memoryview(data)[int(offs[chunk.offset]):int(offs[-1])]
    return triggers.search(view) is not None


class _Trim:
    def __init__(self, chars: str):
        self.chars = chars


class _PerRow:
    """A Python ``str -> str`` function, run on Series rows matching ``prefilter`` only."""

    def __init__(self, func: Callable[[str], str], prefilter: str):
        self.func, self.prefilter = func, prefilter


# ---------------------------------------------------------------------------------------
# the byte-level translation engine for Arrow string arrays
# ---------------------------------------------------------------------------------------
def _compile_table(mapping: Mapping[str, str]):
    """Lookup structures for :func:`_translate_chunk`.

    Two 256-byte tables for ``bytes.translate``: ``lead_bits`` gives each lead byte of a
    2-byte character to replace one bit (bit 7 marks the first byte of a 1-, 3- or 4-byte
    character to replace), ``trail_bits`` gives each byte the bits of the leads it completes
    (and bit 7 always). A position is a hit when ``lead_bits[b[i]] & trail_bits[b[i+1]]``.
    Then, per UTF-8 length, the codes (the character's bytes as a big-endian integer) and
    their replacement bytes.
    """
    lead_bits, trail_bits = bytearray(256), bytearray([0x80] * 256)
    groups: dict[int, list[tuple[int, bytes]]] = {}
    leads2: dict[int, int] = {}
    passes = [(lead_bits, trail_bits)]
    for k, v in sorted(mapping.items()):
        kb = k.encode("utf-8")
        if len(kb) == 2:
            if kb[0] not in leads2:
                if len(leads2) % 7 == 0 and leads2:  # 7 bits per pass: start another pass
                    passes.append((bytearray(256), bytearray(256)))
                leads2[kb[0]] = (len(passes) - 1, 1 << (len(leads2) % 7))
            n_pass, bit = leads2[kb[0]]
            passes[n_pass][0][kb[0]] = bit
            passes[n_pass][1][kb[1]] |= bit
        else:
            lead_bits[kb[0]] = 0x80
        groups.setdefault(len(kb), []).append((int.from_bytes(kb, "big"), v.encode("utf-8")))
    compiled = {}
    for length, items in groups.items():
        items.sort()
        codes = np.array([c for c, _ in items], dtype=np.int64)
        reps = [r for _, r in items]
        mat = np.zeros((len(reps), max(length, max(len(r) for r in reps))), dtype=np.uint8)
        for i, r in enumerate(reps):
            mat[i, : len(r)] = np.frombuffer(r, dtype=np.uint8)
        lens = np.array([len(r) for r in reps], dtype=np.int64)
        lut = None
        if length == 2:  # dense lookup: code -> row
            lut = np.full(1 << 16, -1, dtype=np.int32)
            lut[codes] = np.arange(len(codes), dtype=np.int32)
        compiled[length] = (codes, lut, mat, lens)
    return [(bytes(lb), bytes(tb)) for lb, tb in passes], compiled


def _find(raw: bytearray, src: np.ndarray, passes, compiled: dict):
    """(start, length, row) of every character of ``src`` (UTF-8 bytes) the table replaces."""
    out = []
    for n_pass, (lead_bits, trail_bits) in enumerate(passes):
        lead = np.frombuffer(raw.translate(lead_bits), dtype=np.uint8)
        trail = np.frombuffer(raw.translate(trail_bits), dtype=np.uint8)
        both = lead[:-1] & trail[1:]
        pos = np.flatnonzero(both.astype(np.bool_))  # 2-3x faster than on uint8
        if n_pass == 0 and lead[-1] & 0x80:
            pos = np.append(pos, len(src) - 1)  # a 1-byte character at the very end
        if not len(pos):
            continue
        other = (lead[pos] & 0x80) != 0 if n_pass == 0 else np.zeros(len(pos), dtype=bool)
        two = pos[~other]
        if len(two):
            codes, lut, mat, lens = compiled[2]
            row = lut[(src[two].astype(np.int64) << 8) | src[two + 1]]
            out.append((two, 2, row, mat, lens))
        starts = pos[other]
        if not len(starts):
            continue
        first = src[starts]
        for length, lo, hi in ((1, 0x00, 0x80), (3, 0xE0, 0xF0), (4, 0xF0, 0xF8)):
            if length not in compiled:
                continue
            at = starts[(first >= lo) & (first < hi)]
            at = at[at + length <= len(src)]
            if not len(at):
                continue
            code = src[at].astype(np.int64)
            for j in range(1, length):
                code = (code << 8) | src[at + j]
            codes, lut, mat, lens = compiled[length]
            row = np.searchsorted(codes, code)
            row[row == len(codes)] = 0
            hit = codes[row] == code
            if hit.any():
                out.append((at[hit], length, row[hit], mat, lens))
    return out


def _translate_chunk(arr: pa.Array, table: _Table) -> pa.Array:
    """Apply ``table`` to every string of one Arrow large_string array, vectorised.

    Valid UTF-8 lets us work on bytes: two ``bytearray.translate`` calls (C speed) and one
    AND find every 2-byte character to replace exactly (the Arabic block is all 2-byte) and
    the first byte of longer ones, whose full codes are then looked up; the characters are
    replaced in place (same length), deleted, or spliced in (longer replacements). Offsets
    move by what was deleted or added.
    """
    n = len(arr)
    if n == 0 or arr.null_count == n:
        return arr
    validity, off_buf, data_buf = arr.buffers()
    offs = np.frombuffer(off_buf, dtype=np.int64, count=arr.offset + n + 1)[arr.offset:]
    if arr.offset and validity is not None:
        validity = pc.is_valid(arr).buffers()[1]  # the bitmap, starting at this slice
    start, stop = int(offs[0]), int(offs[-1])
    if data_buf is None or stop == start:
        return arr
    passes, compiled = table.compiled()
    raw = bytearray(memoryview(data_buf)[start:stop])  # our writable copy
    data = np.frombuffer(raw, dtype=np.uint8)
    hits = _find(raw, data, passes, compiled)
    if not hits:
        return arr
    deleted, inserted_at, inserted = [], [], []
    for s, length, r, mat, lens in hits:
        rep_len = lens[r]
        for j in range(length):  # overwrite in place, or delete what the replacement lacks
            write = rep_len > j
            if write.all():
                data[s + j] = mat[r, j]
            else:
                data[s[write] + j] = mat[r[write], j]
                deleted.append(s[~write] + j)
        for j in range(length, mat.shape[1]):  # bytes beyond the character's own: insert
            extra = rep_len > j
            if extra.any():
                inserted_at.append(s[extra] + length)
                inserted.append(mat[r[extra], j])
    old_offs = offs - start
    new_offs = old_offs.copy()
    if deleted:
        gone = np.sort(np.concatenate(deleted))
        keep = np.ones(len(data), dtype=bool)
        keep[gone] = False
        data = data[keep]
        new_offs -= np.searchsorted(gone, old_offs, side="left")
    if inserted_at:
        at = np.concatenate(inserted_at)
        values = np.concatenate(inserted)
        order = np.argsort(at, kind="stable")  # bytes inserted at one place keep their order
        at, values = at[order], values[order]
        new_offs += np.searchsorted(at, old_offs, side="right")
        if deleted:
            at = at - np.searchsorted(gone, at, side="left")
        data = np.insert(data, at, values)
    return pa.Array.from_buffers(
        pa.large_string(), n, [validity, pa.py_buffer(new_offs), pa.py_buffer(data)],
        null_count=arr.null_count,
    )


# ---------------------------------------------------------------------------------------
# running operations on str and on Series
# ---------------------------------------------------------------------------------------
def _run_str(text: str, ops: list) -> str:
    for op in ops:
        if isinstance(op, _Table):
            text = op.translate(text)
        elif isinstance(op, _Regex):
            text = op.sub(text)
        elif isinstance(op, _Trim):
            text = text.strip(op.chars)
        else:
            text = op.func(text)
    return text


def _to_arrow(series: pd.Series) -> pa.ChunkedArray:
    values = series.array
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        arrow = values.__arrow_array__()  # zero-copy: the column's own Arrow data
        if isinstance(arrow, pa.Array):
            arrow = pa.chunked_array([arrow])
    else:
        try:
            arrow = pa.chunked_array([pa.array(np.asarray(series, dtype=object), type=pa.string(), from_pandas=True)])
        except (pa.ArrowTypeError, pa.ArrowInvalid) as err:
            raise TypeError(f"normalize needs a Series of strings (or missing values): {err}") from None
    if arrow.type != pa.large_string():
        arrow = arrow.cast(pa.large_string())  # int64 offsets: one code path, no overflow
    return arrow


#: Bytes of text per block for the translation engine: small enough that a block and its
#: temporaries stay in the CPU cache (measured: 2-3x faster than whole-column passes).
_BLOCK_BYTES = 1 << 20


def _blocks(chunk: pa.Array) -> list[pa.Array]:
    """Zero-copy slices of ``chunk`` holding about ``_BLOCK_BYTES`` of text each."""
    n = len(chunk)
    offs = np.frombuffer(chunk.buffers()[1], dtype=np.int64, count=chunk.offset + n + 1)[chunk.offset:]
    size = int(offs[-1] - offs[0])
    if size <= _BLOCK_BYTES:
        return [chunk]
    cuts = np.searchsorted(offs, np.arange(offs[0], offs[-1], _BLOCK_BYTES)[1:], side="left")
    bounds = np.unique(np.concatenate([[0], cuts, [n]]))
    return [chunk.slice(int(i), int(j - i)) for i, j in zip(bounds[:-1], bounds[1:])]


def _run_arrow(arrow: pa.ChunkedArray, ops: list) -> pa.ChunkedArray:
    for op in ops:
        if isinstance(op, _Table):
            blocks = (_translate_chunk(b, op) for c in arrow.chunks for b in _blocks(c))
            arrow = pa.chunked_array(list(blocks), type=arrow.type)
        elif isinstance(op, _Regex):
            if op.triggers is None or any(_contains(c, op.triggers) for c in arrow.chunks):
                arrow = pc.replace_substring_regex(arrow, op.pattern, op.repl)
        elif isinstance(op, _Trim):
            arrow = pc.utf8_trim(arrow, op.chars)
        else:
            arrow = _per_row(arrow, op)
    return arrow


def _per_row(arrow: pa.ChunkedArray, op: _PerRow) -> pa.ChunkedArray:
    chunks = []
    for chunk in arrow.chunks:
        mask = pc.fill_null(pc.match_substring_regex(chunk, op.prefilter), False)
        hits = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
        if len(hits):
            fixed = pa.array([op.func(s) for s in chunk.take(pa.array(hits)).to_pylist()], type=chunk.type)
            chunk = pc.replace_with_mask(chunk, mask, fixed)
        chunks.append(chunk)
    return pa.chunked_array(chunks, type=arrow.type)


def _apply(text: Text, ops: list) -> Text:
    """Run ``ops`` on a str or a Series (same kind back; missing stays missing)."""
    ops = _merge_tables(ops)
    if isinstance(text, str):
        return _run_str(text, ops)
    if isinstance(text, pd.Series):
        arrow = _run_arrow(_to_arrow(text), ops)
        return pd.Series(pd.arrays.ArrowStringArray(arrow), index=text.index, name=text.name, copy=False)
    if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
        return text
    raise TypeError(f"expected a str or a pandas Series, got {type(text).__name__}")


def _merge_tables(ops: list) -> list:
    """Fold runs of consecutive tables into one table: one pass over the bytes."""
    merged: list = []
    for op in ops:
        if isinstance(op, _Table) and merged and isinstance(merged[-1], _Table):
            merged[-1] = merged[-1].then(op)
        else:
            merged.append(op)
    return [op for op in merged if not (isinstance(op, _Table) and not op.mapping)]


# ---------------------------------------------------------------------------------------
# the steps
# ---------------------------------------------------------------------------------------
def _delete(chars: str) -> _Table:
    return _Table({c: "" for c in chars})


def _presentation_forms_table() -> dict[str, str]:
    table = {}
    for lo, hi in R.PRESENTATION_FORMS_RANGES:
        for cp in range(ord(lo), ord(hi) + 1):
            ch = chr(cp)
            folded = R.PRESENTATION_FORMS_OVERRIDES.get(ch, unicodedata.normalize("NFKC", ch))
            if folded != ch:
                table[ch] = folded
    return table


_DIACRITICS = _delete(R.DIACRITICS)
_TATWEEL = _delete(R.TATWEEL)
_ALEF = _Table({c: R.ALEF for c in R.ALEF_VARIANTS})
_ALEF_MAKSURA = _Table({R.ALEF_MAKSURA: R.YEH})
_TEH_MARBUTA = _Table({R.TEH_MARBUTA: R.HEH})
_HAMZA = _Table({c: R.HAMZA for c in R.HAMZA_CARRIERS})
_DIGITS = _Table(dict(zip(R.ARABIC_INDIC_DIGITS + R.PERSIAN_DIGITS, R.ASCII_DIGITS * 2)))
_TO_ARABIC_INDIC = _Table(dict(zip(R.ASCII_DIGITS, R.ARABIC_INDIC_DIGITS)))
_PRESENTATION = _Table(_presentation_forms_table())
_BIDI = _delete(R.BIDI_CONTROLS)
_BIDI_AND_JOINERS = _delete(R.BIDI_CONTROLS + R.JOINERS)
_PUNCT_ASCII = _Table(R.ARABIC_PUNCTUATION)
_PUNCT_REMOVE = _Table({c: " " for c in R.ARABIC_PUNCTUATION})
_EMAILS = _Regex(R.EMAIL_PATTERN, "", triggers=rb"@")
_URLS = _Regex(R.URL_PATTERN, "", triggers=rb"://|(?i:www\.)")
_PRESENTATION_FOLDABLE_CLASS = "[" + "".join(sorted(_PRESENTATION.mapping)) + "]"
_RE_PRESENTATION_FOLDABLE = re.compile(_PRESENTATION_FOLDABLE_CLASS)

_RE_HTML_BLOCK = re.compile(R.HTML_BLOCK_TAG_PATTERN)
_RE_HTML_TAG = re.compile(R.HTML_TAG_PATTERN)


def _entity(match: re.Match) -> str:
    found = match.group(0)
    if not found.endswith("\u061b"):
        return _html.unescape(found)
    ref = found[:-1] + ";"
    out = _html.unescape(ref)
    return out if out != ref else _html.unescape(found[:-1]) + "\u061b"


def _strip_html(text: str) -> str:
    """Tags out (block tags become line breaks), entities decoded, until nothing changes."""
    while True:
        out = _RE_HTML_BLOCK.sub("\n", text)
        out = _RE_HTML_TAG.sub("", out)
        out = R.RE_HTML_ENTITY.sub(_entity, out)
        if out == text:
            return out
        text = out


def _whitespace_ops(keep_newlines: bool) -> list:
    # the table first (it does not touch CR or LF), so it merges with the steps before it
    ops = [
        _Table({**{c: " " for c in R.SPACES}, **{c: "\n" for c in R.LINE_BREAKS}}),
        _Regex(R.CARRIAGE_RETURN_PATTERN, "\n", triggers=rb"\r"),
    ]
    if keep_newlines:
        ops.append(_Regex(R.WHITESPACE_RUN_PATTERN, R.WHITESPACE_RUN_REPL,
                          triggers=rb"  |\n\n|\n | \n", py_steps=R.WHITESPACE_RUN_STEPS))
    else:
        ops.append(_Regex(R.ANY_SPACE_RUN_PATTERN, " ", triggers=rb"  |\n"))
    ops.append(_Trim(" \n"))
    return ops


def _step_ops(name: str, *, punctuation: str = "ascii", keep_newlines: bool = True,
              keep_joiners: bool = False) -> list:
    if name == "html":
        return [_PerRow(_strip_html, "[<&]")]
    if name == "presentation_forms":
        return [_PRESENTATION]
    if name == "bidi_controls":
        return [_BIDI if keep_joiners else _BIDI_AND_JOINERS]
    if name == "punctuation":
        if punctuation not in ("ascii", "remove"):
            raise ValueError(f"punctuation must be 'ascii' or 'remove', not {punctuation!r}")
        return [_PUNCT_ASCII if punctuation == "ascii" else _PUNCT_REMOVE]
    if name == "whitespace":
        return _whitespace_ops(keep_newlines)
    return [_FIXED_OPS[name]]


_FIXED_OPS = {
    "diacritics": _DIACRITICS,
    "tatweel": _TATWEEL,
    "alef": _ALEF,
    "alef_maksura": _ALEF_MAKSURA,
    "teh_marbuta": _TEH_MARBUTA,
    "hamza": _HAMZA,
    "digits": _DIGITS,
    "emails": _EMAILS,
    "urls": _URLS,
}


def remove_html(text: Text) -> Text:
    """Remove HTML tags and decode character references.

    Block tags (``<br>``, ``<p>``, ``<div>``, ``<li>``, ``<h1>``...) become line breaks, other
    tags disappear, entities are decoded (``&amp;`` -> ``&``); repeated until nothing changes,
    so double-escaped markup is fully removed. ``a < b`` is text, not a tag.

    Args:
        text: a str or a Series of str.

    Returns:
        The same kind, without markup.

    >>> remove_html("<b>مصر</b> &amp; الأردن")
    'مصر & الأردن'
    """
    return _apply(text, _step_ops("html"))


def fold_presentation_forms(text: Text) -> Text:
    """Fold Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF) back to base letters.

    NFKC restricted to those two blocks: contextual letter forms become the letter, ligatures
    become their letters (ﻻ -> لا, ﷲ -> الله), spacing harakat become a space plus the mark;
    except ﷼ -> ريال (with Arabic yeh) and ﷽ -> بسم الله الرحمن الرحيم, as camel_tools does.
    U+FEFF (the byte-order mark) is left to :func:`remove_bidi_controls`.

    Args:
        text: a str or a Series of str.

    Returns:
        The same kind, in base letters. Count what was found with
        :func:`count_presentation_forms`.

    >>> fold_presentation_forms("ﻣﺼﺮ ﻻ")
    'مصر لا'
    """
    return _apply(text, [_PRESENTATION])


def remove_bidi_controls(text: Text, *, keep_joiners: bool = False) -> Text:
    """Remove invisible bidi controls and zero-width characters.

    Removed: LRM, RLM, ALM, the embeddings and overrides (LRE, RLE, PDF, LRO, RLO), the
    isolates (LRI, RLI, FSI, PDI), ZERO WIDTH SPACE, WORD JOINER, the BOM/ZWNBSP, SOFT HYPHEN,
    and by default ZWNJ and ZWJ too: in Arabic news they are stray characters that split words
    (ANT: ``ب\\u200dعقوبة``). They are meaningful in Persian and Urdu (می‌خواهم) and in emoji
    sequences: pass ``keep_joiners=True`` for such text.

    Args:
        text: a str or a Series of str.
        keep_joiners: keep ZWNJ (U+200C) and ZWJ (U+200D).

    Returns:
        The same kind, without the invisible characters.

    >>> remove_bidi_controls("\\u200fمصر\\u200c")
    'مصر'
    """
    return _apply(text, _step_ops("bidi_controls", keep_joiners=keep_joiners))


def remove_diacritics(text: Text) -> Text:
    """Remove Arabic diacritics: fathatan .. sukun (U+064B-U+0652) and dagger alef (U+0670).

    The set is exactly camel_tools' ``AR_DIAC_CHARSET`` (output identical to ``dediac_ar``).
    Other marks (U+0653-U+065F such as maddah or hamza above, Quranic annotation signs
    U+06D6-U+06ED) are kept, as in camel_tools. Loses information (vocalisation).

    Args:
        text: a str or a Series of str.

    Returns:
        The same kind, without diacritics.

    >>> remove_diacritics("مَدْرَسَةٌ")
    'مدرسة'
    """
    return _apply(text, [_DIACRITICS])


def remove_tatweel(text: Text) -> Text:
    """Remove tatweel (kashida, U+0640), the stretching character.

    >>> remove_tatweel("مـــصر")
    'مصر'
    """
    return _apply(text, [_TATWEEL])


def normalize_alef(text: Text) -> Text:
    """Fold alef with madda, hamza above, hamza below and wasla (آ أ إ ٱ) to bare alef ا.

    Same set as camel_tools' ``normalize_alef_ar``. Loses information (hamza spelling).

    >>> normalize_alef("أإآٱ")
    'اااا'
    """
    return _apply(text, [_ALEF])


def normalize_alef_maksura(text: Text) -> Text:
    """Fold alef maksura ى to yeh ي (camel_tools' ``normalize_alef_maksura_ar``).

    >>> normalize_alef_maksura("على")
    'علي'
    """
    return _apply(text, [_ALEF_MAKSURA])


def normalize_teh_marbuta(text: Text) -> Text:
    """Fold teh marbuta ة to heh ه (camel_tools' ``normalize_teh_marbuta_ar``).

    >>> normalize_teh_marbuta("مدرسة")
    'مدرسه'
    """
    return _apply(text, [_TEH_MARBUTA])


def normalize_hamza(text: Text) -> Text:
    """Fold hamza on waw and on yeh (ؤ ئ) to the bare hamza ء. Optional; in no preset.

    Loses information: مسؤول and مسءول become the same word.

    >>> normalize_hamza("مسؤول قائد")
    'مسءول قاءد'
    """
    return _apply(text, [_HAMZA])


def normalize_digits(text: Text) -> Text:
    """Turn Arabic-Indic (٠-٩) and Persian (۰-۹) digits into ASCII digits 0-9.

    Separators (٫ ٬) are left alone: in news they are often used as punctuation.

    >>> normalize_digits("عام ٢٠٢٤ و۱۴۰۳")
    'عام 2024 و1403'
    """
    return _apply(text, [_DIGITS])


def to_arabic_indic_digits(text: Text) -> Text:
    """Turn ASCII digits 0-9 into Arabic-Indic digits ٠-٩ (the reverse of the digits step).

    >>> to_arabic_indic_digits("2024")
    '٢٠٢٤'
    """
    return _apply(text, [_TO_ARABIC_INDIC])


def remove_emails(text: Text) -> Text:
    """Remove e-mail addresses (ASCII ``local@domain.tld``).

    >>> remove_emails("راسلونا على info@example.com اليوم")
    'راسلونا على  اليوم'
    """
    return _apply(text, [_EMAILS])


def remove_urls(text: Text) -> Text:
    """Remove URLs (``http://``, ``https://``, ``ftp://`` or ``www.``); a final punctuation
    mark (``. , ; : ! ? ، ؛ ؟ ) ] } » '``) is kept as text.

    >>> remove_urls("المصدر: https://example.com/a?b=1.")
    'المصدر: .'
    """
    return _apply(text, [_URLS])


def normalize_punctuation(text: Text, *, mode: str = "ascii") -> Text:
    """Turn the Arabic comma, semicolon and question mark (، ؛ ؟) into ``, ; ?`` or remove them.

    Args:
        text: a str or a Series of str.
        mode: ``"ascii"`` (default) or ``"remove"``: each mark becomes a space, so words
            never run together (the ``whitespace`` step then collapses the spaces).

    Returns:
        The same kind.

    >>> normalize_punctuation("نعم، لا؟")
    'نعم, لا?'
    """
    return _apply(text, _step_ops("punctuation", punctuation=mode))


def normalize_whitespace(text: Text, *, keep_newlines: bool = True) -> Text:
    """Tidy whitespace: one space between words, sensible line and paragraph breaks.

    No-break and other Unicode spaces and tabs become a space; CR LF, CR, NEL, LINE and
    PARAGRAPH SEPARATOR become LF; runs of spaces become one; spaces around a line break go;
    two or more line breaks become one blank line (``\\n\\n``: a paragraph break), a single
    one stays; leading and trailing whitespace goes. With ``keep_newlines=False`` every run
    of whitespace becomes one space.

    Args:
        text: a str or a Series of str.
        keep_newlines: keep line and paragraph breaks.

    Returns:
        The same kind.

    >>> normalize_whitespace("  مصر\\u00a0 والأردن \\n\\n\\n سوريا ")
    'مصر والأردن\\n\\nسوريا'
    """
    return _apply(text, _whitespace_ops(keep_newlines))


#: Every step, by name, in the canonical order ``normalize`` runs them.
STEPS: dict[str, Callable[..., Text]] = {
    "html": remove_html,
    "presentation_forms": fold_presentation_forms,
    "bidi_controls": remove_bidi_controls,
    "diacritics": remove_diacritics,
    "tatweel": remove_tatweel,
    "alef": normalize_alef,
    "alef_maksura": normalize_alef_maksura,
    "teh_marbuta": normalize_teh_marbuta,
    "hamza": normalize_hamza,
    "digits": normalize_digits,
    "emails": remove_emails,
    "urls": remove_urls,
    "punctuation": normalize_punctuation,
    "whitespace": normalize_whitespace,
}

#: Named step lists. ``display`` only removes what is invisible or corrupting (presentation
#: forms render the same once folded, and break search and shaping) and tidies whitespace:
#: safe for showing text. ``search`` adds the letter normalisations for matching and counting.
PRESETS: dict[str, tuple[str, ...]] = {
    "display": ("presentation_forms", "bidi_controls", "whitespace"),
    "search": (
        "presentation_forms", "bidi_controls", "diacritics", "tatweel", "alef",
        "alef_maksura", "teh_marbuta", "digits", "whitespace",
    ),
}


def resolve_steps(steps: Iterable[str] | str | None = None, preset: str | None = None) -> tuple[str, ...]:
    """The step names ``normalize`` runs for ``steps`` and ``preset``, in canonical order.

    >>> resolve_steps(["whitespace", "alef"])
    ('alef', 'whitespace')
    """
    chosen: set[str] = set()
    if preset is not None:
        if preset not in PRESETS:
            raise ValueError(f"unknown preset {preset!r}; valid presets: {', '.join(PRESETS)}")
        chosen.update(PRESETS[preset])
    if isinstance(steps, str):
        steps = [steps]
    for step in steps or ():
        if step not in STEPS:
            raise ValueError(f"unknown step {step!r}; valid steps: {', '.join(STEPS)}")
        chosen.add(step)
    return tuple(s for s in STEPS if s in chosen)


@lru_cache(maxsize=64)
def _pipeline(names: tuple[str, ...], punctuation: str, keep_newlines: bool, keep_joiners: bool) -> list:
    ops: list = []
    for name in names:
        ops += _step_ops(name, punctuation=punctuation, keep_newlines=keep_newlines,
                         keep_joiners=keep_joiners)
    return _merge_tables(ops)


def normalize(
    text: Text,
    steps: Iterable[str] | str | None = None,
    preset: str | None = None,
    *,
    punctuation: str = "ascii",
    keep_newlines: bool = True,
    keep_joiners: bool = False,
) -> Text:
    """Normalise Arabic text with the given steps and/or preset, in canonical order.

    Args:
        text: a str or a pandas Series of str (object, ``string`` or ``str`` dtype).
        steps: step names (see :data:`STEPS`), added to the preset's.
        preset: ``"display"`` or ``"search"`` (see :data:`PRESETS`). With neither steps nor
            preset the text comes back unchanged (as ``string[pyarrow]`` for a Series).
        punctuation: ``"ascii"`` or ``"remove"`` for the ``punctuation`` step.
        keep_newlines: for the ``whitespace`` step.
        keep_joiners: keep ZWNJ/ZWJ in the ``bidi_controls`` step (Persian, Urdu, emoji).

    Returns:
        A str for a str; for a Series, a new ``string[pyarrow]`` Series with the same index
        and name, missing values still missing.

    Raises:
        ValueError: an unknown step or preset (the message lists the valid names).

    >>> normalize("إلى المدرسةِ", steps=["diacritics", "alef", "alef_maksura", "teh_marbuta"])
    'الي المدرسه'
    """
    names = resolve_steps(steps, preset)
    return _apply(text, _pipeline(names, punctuation, keep_newlines, keep_joiners))


def count_presentation_forms(text: Text, *, foldable_only: bool = False) -> Any:
    """Count the characters from the Arabic presentation-form blocks in the text.

    Args:
        text: a str or a Series of str.
        foldable_only: count only the characters :func:`fold_presentation_forms` changes
            (leaves out U+FEFF, the byte-order mark that sits at the end of the block, and
            the few code points with no base-letter equivalent).

    Returns:
        An int for a str; an ``Int64`` Series (same index, missing stays missing) for a Series.

    >>> count_presentation_forms("ﻣﺼﺮ")
    3
    """
    rx = _RE_PRESENTATION_FOLDABLE if foldable_only else _RE_PRESENTATION
    if isinstance(text, str):
        return len(rx.findall(text))
    if isinstance(text, pd.Series):
        counts = pc.count_substring_regex(_to_arrow(text), rx.pattern)
        return pd.Series(pd.arrays.ArrowExtensionArray(counts), index=text.index,
                         name=text.name, copy=False).astype("Int64")
    raise TypeError(f"expected a str or a pandas Series, got {type(text).__name__}")
