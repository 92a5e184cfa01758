"""Dates as newsrooms write them, read a whole column at a time into nanoseconds (UTC).

:func:`parse_dates` reads every date of a load at once, when the frame is assembled:
ISO 8601, RFC 2822, numeric dates day-first or month-first (decided per file from the
values themselves), Arabic month names in the three naming systems (Egyptian/Gulf
``مايو``, Levantine ``أيار``, Maghrebi ``ماي``), English month names, Hijri dates (Umm
al-Qura, through ``hijridate``), epoch seconds and milliseconds, in ASCII, Arabic-Indic
and Eastern Arabic-Indic digits, with optional weekday, time, ص/م and time zone; and, for
a record with no date at all, a date in its id or file name. The rules are in
``docs/corpus-formats.md`` ("Dates").

How it stays fast: the distinct texts are normalised (digits, hamza and alef forms, marks)
by a byte-level translation in NumPy; every run of digits becomes a number (NumPy again);
the text with its digits replaced by ``9`` is its *shape* -- ``99/99/9999 99:99`` -- and only
the few distinct shapes are matched by Python regexes, each giving a template (which digit
run is the day, the month, ...), applied to every value with array arithmetic. What is
looked for (forms, names, the shape patterns and their templates) is :mod:`.dateforms`;
this module is the reading engine, and it stays one piece: normalising bytes, digit runs,
templates applied, calendar arithmetic and the per-file numeric order all work on the same
arrays of one column.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import date as _date
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .dateforms import (
    CODE, COL, DAY_FIRST, EPOCH_MS, EPOCH_NS, EPOCH_S, EPOCH_US, FILE_NAME, FORMS, ISO,
    MONTH_FIRST, NCOLS, NORMALISE, NS, NUMERIC, RFC, TIMESTAMP, shape_template,
)

NAT = np.iinfo(np.int64).min
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAY = 86_400

#: Two-digit years: 00-68 are 2000-2068, 69-99 are 1969-1999 (the POSIX ``%y`` rule).
TWO_DIGIT_PIVOT = 69
#: Years a date taken from a file name or id may have: FILE_NAME_FIRST_YEAR .. next year.
FILE_NAME_FIRST_YEAR = 1990

# ---------------------------------------------------------------------------------------
# normalisation of a whole column, on its UTF-8 bytes (dateforms.NORMALISE)
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _byte_tables():
    """Lookup tables for :func:`translate_utf8`: 2-byte characters by their 16-bit code,
    3-byte characters by a sorted 24-bit code list; each with its replacement bytes."""
    two_len = np.full(1 << 16, -1, np.int8)
    two_rep = np.zeros((1 << 16, 2), np.uint8)
    three = {}
    lead = np.zeros(256, bool)
    for char, rep in NORMALISE.items():
        src, dst = char.encode(), rep.encode()
        assert len(dst) <= len(src) and len(src) in (2, 3)
        lead[src[0]] = True
        if len(src) == 2:
            code = src[0] << 8 | src[1]
            two_len[code] = len(dst)
            two_rep[code, :len(dst)] = list(dst)
        else:
            three[src[0] << 16 | src[1] << 8 | src[2]] = dst
    keys = np.array(sorted(three), np.int64)
    three_len = np.array([len(three[k]) for k in keys], np.int8)
    three_rep = np.array([list(three[k].ljust(1, b"\0")) for k in keys], np.uint8)
    return lead, two_len, two_rep, keys, three_len, three_rep


def _buffers(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes and the offsets (from 0) of a string array without nulls."""
    array = array.cast(pa.large_string())
    _, offsets_buf, data_buf = array.buffers()
    offsets = np.frombuffer(offsets_buf, np.int64)[array.offset:array.offset + len(array) + 1]
    data = (np.frombuffer(data_buf, np.uint8)[offsets[0]:offsets[-1]] if data_buf is not None
            else np.zeros(0, np.uint8))
    return data, offsets - offsets[0]


def _string_array(data: np.ndarray, offsets: np.ndarray) -> pa.Array:
    return pa.LargeStringArray.from_buffers(
        len(offsets) - 1, pa.py_buffer(np.ascontiguousarray(offsets, np.int64)),
        pa.py_buffer(np.ascontiguousarray(data, np.uint8)))


def translate_utf8(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """:func:`normalise` applied to every string of ``array`` (no nulls) in NumPy, on the
    UTF-8 bytes: ``(bytes, offsets)`` of the result. Only the characters of
    :data:`NORMALISE` change (each to as many bytes or fewer)."""
    data, offsets = _buffers(array)
    lead, two_len, two_rep, keys, three_len, three_rep = _byte_tables()
    at = np.flatnonzero(lead[data])
    if not len(at):
        return data, offsets
    data = data.copy()
    drop = []                                   # positions of bytes removed
    first = data[at]
    two = at[first < 0xE0]
    if len(two):
        code = data[two].astype(np.int64) << 8 | data[two + 1]
        n = two_len[code]
        for width in (0, 1, 2):
            pos, c = two[n == width], code[n == width]
            for j in range(width):
                data[pos + j] = two_rep[c, j]
            drop += [pos + j for j in range(width, 2)]
    three_at = at[first >= 0xE0]
    three_at = three_at[three_at + 2 < len(data)]
    if len(three_at) and len(keys):
        code = (data[three_at].astype(np.int64) << 16 | data[three_at + 1].astype(np.int64) << 8
                | data[three_at + 2])
        slot = np.minimum(np.searchsorted(keys, code), len(keys) - 1)
        hit = keys[slot] == code
        pos, slot = three_at[hit], slot[hit]
        n = three_len[slot]
        data[pos[n == 1]] = three_rep[slot[n == 1], 0]
        drop += [pos[n == 1] + 1, pos[n == 1] + 2] + [pos[n == 0] + j for j in range(3)]
    drop = np.concatenate(drop) if drop else np.zeros(0, np.int64)
    if not len(drop):
        return data, offsets
    keep = np.ones(len(data), bool)
    keep[drop] = False
    owner = np.searchsorted(offsets, drop, side="right") - 1     # the string of each byte
    dropped = np.bincount(owner, minlength=len(offsets) - 1)
    return data[keep], offsets - np.concatenate(([0], np.cumsum(dropped)))


# ---------------------------------------------------------------------------------------
# calendar arithmetic (vectorised)
# ---------------------------------------------------------------------------------------

_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], np.int64)


def days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm)."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
    return era * 146_097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719_468


def valid_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    mm = np.clip(m, 0, 12)
    last = _MONTH_DAYS[mm] + ((mm == 2) & leap)
    return (m >= 1) & (m <= 12) & (d >= 1) & (d <= last)


#: The range of datetime64[ns] kept (as before: years 1678 to 2261, in UTC).
_MIN_NS = int(days_from_civil(np.array([1678]), np.array([1]), np.array([1]))[0]) * _DAY * NS
_MAX_NS = int(days_from_civil(np.array([2262]), np.array([1]), np.array([1]))[0]) * _DAY * NS - 1


def hijri_days(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of Hijri (Umm al-Qura) dates, -2**62 where invalid or out of
    the calendar's range (1343-1500 AH); converted by ``hijridate``, once per date."""
    from hijridate import Hijri

    out = np.full(len(y), -(2 ** 62), np.int64)
    if not len(y):
        return out
    keys = (y.astype(np.int64) * 100 + m) * 100 + d
    uniq, inverse = np.unique(keys, return_inverse=True)
    days = np.full(len(uniq), -(2 ** 62), np.int64)
    epoch = _date(1970, 1, 1).toordinal()
    for i, k in enumerate(uniq.tolist()):
        try:
            days[i] = Hijri(k // 10_000, k // 100 % 100, k % 100).to_gregorian().toordinal() - epoch
        except (ValueError, OverflowError, TypeError):
            pass
    return days[inverse]


# ---------------------------------------------------------------------------------------
# one value (typed values; and the texts the shapes leave: Python's own parsers)
# ---------------------------------------------------------------------------------------


def to_ns(dt: datetime) -> int | None:
    """Nanoseconds since the epoch (naive = UTC), None outside 1678..2261 or on overflow."""
    try:
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)   # naive times are taken as UTC
        if not 1678 <= dt.astimezone(UTC).year <= 2261:
            return None
        delta = dt - _EPOCH
    except (OverflowError, ValueError, TypeError):
        return None
    return (delta.days * 86_400 + delta.seconds) * NS + delta.microseconds * 1000


def _number_ns(value: float) -> tuple[int | None, str]:
    """A Unix time in s, ms, us or ns (by magnitude), or None (NaN, infinite, out of range)."""
    try:
        magnitude = abs(value)
        if isinstance(value, float) and not math.isfinite(value):
            return None, ""
        if magnitude < 1e11:
            ns, form = int(value * NS) if isinstance(value, float) else value * NS, EPOCH_S
        elif magnitude < 1e14:
            ns, form = int(value * 1e6) if isinstance(value, float) else value * 10**6, EPOCH_MS
        elif magnitude < 1e17:
            ns, form = int(value * 1e3) if isinstance(value, float) else value * 1000, EPOCH_US
        else:
            ns, form = int(value), EPOCH_NS
    except (OverflowError, ValueError, TypeError):
        return None, ""
    return (ns, form) if _MIN_NS <= ns <= _MAX_NS else (None, "")


def parse_text(text: str) -> tuple[int | None, str]:
    """One text by Python's parsers (ISO 8601 by ``datetime.fromisoformat``, RFC 2822 and
    relatives by ``email.utils``): ``(ns or None, form)``; never raises."""
    try:
        iso = text[:-1] + "+00:00" if text[-1:] in "Zz" else text
        return to_ns(datetime.fromisoformat(iso)), ISO
    except (ValueError, TypeError, OverflowError):
        pass
    try:
        return to_ns(parsedate_to_datetime(text)), RFC
    except Exception:  # noqa: BLE001 -- email.utils raises several kinds on odd input
        return None, ""


def parse_value(value: Any) -> tuple[int | None, str, str | None]:
    """One date value of any type: ``(ns or None, form or "", text as it appeared or
    None)`` -- :func:`parse_dates` on a column of one.

    >>> parse_value("١٧ مايو ٢٠١٥")[:2]
    (1431820800000000000, 'arabic month name')
    """
    got = parse_dates([value])
    ns = int(got.ns[0])
    return (None if ns == NAT else ns), got.form(0), got.raw[0].as_py()


# ---------------------------------------------------------------------------------------
# a whole column
# ---------------------------------------------------------------------------------------


class DateTally(NamedTuple):
    """Dates read per form, and the count of values present but not read."""

    forms: Counter
    unread: int


@dataclass
class DateColumn:
    """The dates of a column: ``ns`` (int64, :data:`NAT` when missing), ``raw`` (the text
    as it appeared; null when there was none), ``codes`` (the form per row, 0 when not
    read; :meth:`form` names it), the count per form, the count of unread values and the
    warnings as ``(row, kind, message)`` in row order (kind ``bad_date`` for an unread
    value, ``ambiguous_date`` for a file whose numeric dates could go either way)."""

    ns: np.ndarray
    raw: pa.Array
    codes: np.ndarray
    forms: Counter = field(default_factory=Counter)
    unread: int = 0
    warnings: list[tuple[int, str, str]] = field(default_factory=list)

    def form(self, row: int) -> str:
        """The form row ``row`` was read in, ``""`` when it was not."""
        return (("",) + FORMS)[int(self.codes[row])]


def _split(values: Sequence) -> tuple[pa.Array, dict[int, Any]]:
    """The texts of ``values`` as an Arrow array (None for non-texts) and the typed
    values (numbers, datetimes) by row."""
    try:
        return pa.array(values, pa.large_string()), {}
    except (pa.ArrowException, TypeError, ValueError, UnicodeError):
        pass
    texts: list[str | None] = []
    typed: dict[int, Any] = {}
    for i, v in enumerate(values):
        if v is None or isinstance(v, str):
            texts.append(v)
        elif isinstance(v, float) and math.isnan(v):
            texts.append(None)
        elif isinstance(v, (int, float, datetime, _date)) and not isinstance(v, bool):
            texts.append(None)
            typed[i] = v
        elif isinstance(v, bytes):
            texts.append(v.decode("utf-8", "replace"))
        else:
            texts.append(str(v))
    try:
        return pa.array(texts, pa.large_string()), typed
    except (pa.ArrowException, UnicodeError):   # lone surrogates (from JSON escapes)
        return pa.array([t.encode("utf-8", "replace").decode("utf-8") if t else t
                         for t in texts], pa.large_string()), typed


_POW10 = np.array([10 ** k for k in range(19)] + [0], np.int64)   # 10**19: out of int64


def _digit_runs(data: np.ndarray, offsets: np.ndarray):
    """Every maximal run of ASCII digits: its value (0 when longer than 18 digits) and,
    per string, the index of its first run."""
    isd = (data - np.uint8(48)) < 10
    n = len(data)
    before = np.zeros(n, bool)            # a digit before, in the same string
    before[1:] = isd[:-1]
    before[offsets[:-1][offsets[:-1] < n]] = False
    after = np.zeros(n, bool)             # a digit after, in the same string
    after[:-1] = isd[1:]
    after[offsets[1:][offsets[1:] > 0] - 1] = False
    run_start = np.flatnonzero(isd & ~before)
    lengths = np.flatnonzero(isd & ~after) + 1 - run_start
    values = np.zeros(len(run_start), np.int64)
    for width in np.flatnonzero(np.bincount(lengths, minlength=1)[:19]).tolist():
        if width:               # the runs of this many digits, as a block of digits
            sel = np.flatnonzero(lengths == width)
            block = data[run_start[sel, None] + np.arange(width)] - np.uint8(48)
            values[sel] = block.astype(np.int64) @ _POW10[width - 1::-1]
    first_run = np.searchsorted(run_start, offsets[:-1])
    return values, first_run


def _read_unique(texts: pa.Array):
    """Parse distinct, stripped, non-empty texts. Returns ``(ns, form code, a, b,
    ns_month_first)``: for numeric dates (form ``NUMERIC``) ``ns`` is the day-first
    reading and ``ns_month_first`` the other; ``a``/``b`` the first two numbers."""
    m = len(texts)
    data, offsets = translate_utf8(texts)
    runs, first_run = _digit_runs(data, offsets)
    shape_bytes = np.where((data - np.uint8(48)) < 10, np.uint8(57), data)
    shapes = _string_array(shape_bytes, offsets).dictionary_encode()
    codes = shapes.indices.to_numpy(zero_copy_only=False)
    table = np.zeros((len(shapes.dictionary), NCOLS), np.int64)
    matched = np.zeros(len(shapes.dictionary), bool)
    for i, shape in enumerate(shapes.dictionary.to_pylist()):
        t = shape_template(shape) if len(shape) <= 200 else None
        if t is not None:
            table[i] = t
            matched[i] = True
    ok = matched[codes]

    def col(name):
        return table[codes, COL[name]]

    def val(role, default=0):
        c = COL[role]
        if not len(runs) or (table[:, c] < 0).all():
            return np.full(m, default, np.int64)
        k = table[codes, c]
        got = runs[np.clip(first_run + k, 0, len(runs) - 1)]
        if (table[:, c + 1] > 0).any():     # digits inside a longer run (20150517)
            div, mod = table[codes, c + 1], table[codes, c + 2]
            got = np.where(div > 0, got // np.maximum(div, 1) % np.maximum(mod, 1), got)
        return np.where(k >= 0, got, default)

    form = np.where(ok, col("form"), 0)
    ns = np.full(m, NAT, np.int64)
    alt = np.full(m, NAT, np.int64)
    a, b = val("a"), val("b")
    epoch = ok & (col("epoch_scale") > 0)
    if epoch.any():
        e, scale = val("e")[epoch], col("epoch_scale")[epoch]
        frac = val("F")[epoch] * col("frac_scale")[epoch]
        sign = np.where(col("neg")[epoch] == 1, -1, 1)
        fine = e <= _MAX_NS // scale
        got = sign * (np.where(fine, e, 0) * scale + frac)
        ns[epoch] = np.where(fine & (got >= _MIN_NS) & (got <= _MAX_NS), got, NAT)
    dated = ok & ~epoch
    if dated.any():
        y = val("y")
        y = np.where(col("two_digit_year") == 1,
                     np.where(y < TWO_DIGIT_PIVOT, 2000 + y, 1900 + y), y)
        month = np.where(col("month") > 0, col("month"), b)
        hour, minute, second, ampm = val("H"), val("M"), val("S"), col("ampm")
        hour = np.where((ampm == 1) & (hour == 12), 0,
                        np.where((ampm == 2) & (hour < 12), hour + 12, hour))
        zone_h, zone_m = val("Zh"), val("Zm")
        offset = col("zconst") + col("zsign") * (zone_h * 3600 + zone_m * 60)
        time_ok = ((hour <= 23) & (minute <= 59) & (second <= 60) & (zone_h <= 23)
                   & (zone_m <= 59))
        seconds = hour * 3600 + minute * 60 + second - offset
        frac = val("F") * col("frac_scale")

        def instant(days, valid):
            fine = valid & time_ok & (np.abs(days) <= 106_700)   # no int64 overflow below
            got = np.where(fine, days, 0) * (_DAY * NS) + seconds * NS + frac
            return np.where(fine & (got >= _MIN_NS) & (got <= _MAX_NS), got, NAT)

        hijri = dated & (col("hijri") == 1)
        greg = dated & ~hijri
        ns = np.where(greg, instant(days_from_civil(y, month, a), valid_civil(y, month, a)), ns)
        numeric = form == NUMERIC       # and the month-first reading of the same numbers
        if numeric.any():
            alt = np.where(numeric, instant(days_from_civil(y, a, b), valid_civil(y, a, b)), alt)
        if hijri.any():
            days = np.full(m, -(2 ** 62), np.int64)
            days[hijri] = hijri_days(y[hijri], month[hijri], a[hijri])
            ns = np.where(hijri, instant(days, days > -(2 ** 62)), ns)
    # the rest: Python's ISO 8601 and RFC 2822 readers (the loader's readers until v2)
    left = np.flatnonzero((ns == NAT) & (alt == NAT))
    if len(left):
        for i, text in zip(left.tolist(), texts.take(pa.array(left)).to_pylist()):
            got, name = parse_text(text) if len(text) <= 200 else (None, "")
            if got is not None:
                ns[i], form[i] = got, CODE[name]
            else:
                form[i] = 0
    form = np.where((ns == NAT) & (alt == NAT), 0, form)
    return ns, form, a, b, alt


_RE_FILE_DATE = (r"(?:^|[^0-9A-Za-z])(?P<y>\d{4})(?P<s1>[-_.]?)(?P<m>\d{2})(?P<s2>[-_.]?)"
                 r"(?P<d>\d{2})(?:[^0-9A-Za-z]|$)")


def file_name_dates(names: pa.Array) -> np.ndarray:
    """Dates (ns, midnight UTC; NAT when none) in ids or file names: ``…-20150517``,
    ``2015-05-17-slug``, ``20150517_…``; years from :data:`FILE_NAME_FIRST_YEAR` to next
    year only."""
    out = np.full(len(names), NAT, np.int64)
    if not len(names):
        return out
    got = pc.extract_regex(names, _RE_FILE_DATE)
    hit = pc.and_(pc.is_valid(got), pc.equal(got.field("s1"), got.field("s2")))
    hit = hit.fill_null(False).to_numpy(zero_copy_only=False)
    if not hit.any():
        return out
    parts = got.filter(pa.array(hit))
    y, m, d = (pc.cast(parts.field(k), pa.int64()).to_numpy() for k in ("y", "m", "d"))
    last_year = datetime.now(UTC).year + 1
    fine = valid_civil(y, m, d) & (y >= FILE_NAME_FIRST_YEAR) & (y <= last_year)
    out[np.flatnonzero(hit)] = np.where(fine, days_from_civil(y, m, d) * _DAY * NS, NAT)
    return out


def parse_dates(values: Sequence, *, paths: Sequence[str] | None = None,
                ids: Sequence[str | None] | None = None,
                wheres: Sequence[str] | None = None) -> DateColumn:
    """Read a column of date values (texts, numbers, datetimes, None) at once.

    Args:
        values: the date field of every record, as found (None: the record has none).
        paths: each row's file: numeric dates are read day-first or month-first per file
            (see :func:`numeric_order`). None: all one file.
        ids: each row's id: with the file name (from ``paths``), where a record without
            any date value may find one (``AL-culture-590-20180715``); see
            :func:`file_name_dates`. None (and no ``paths``): no such fallback.
        wheres: each row's place in its file (``line 3``), for the warnings.

    Returns:
        A :class:`DateColumn`.

    >>> got = parse_dates(["17/05/2015", "الأحد ١٧ أيار ٢٠١٥ م", "1 رمضان 1441 هـ"])
    >>> np.datetime_as_string(got.ns.view("datetime64[ns]"), unit="D").tolist(), dict(got.forms)
    (['2015-05-17', '2015-05-17', '2020-04-24'], {'day-first numeric': 1, 'arabic month name': 1, 'hijri': 1})
    """
    n = len(values)
    texts, typed = _split(values)
    texts = pc.utf8_trim_whitespace(texts)
    texts = pc.if_else(pc.equal(texts, ""), pa.scalar(None, pa.large_string()), texts)
    ns = np.full(n, NAT, np.int64)
    codes = np.zeros(n, np.int16)
    present = pc.is_valid(texts).to_numpy(zero_copy_only=False).copy()
    encoded = texts.dictionary_encode()
    warnings: list[tuple[int, str]] = []
    if len(encoded.dictionary):
        u_ns, u_form, u_a, u_b, u_alt = _read_unique(encoded.dictionary)
        rows = np.flatnonzero(present)
        idx = encoded.indices.fill_null(0).to_numpy()[rows].astype(np.int64)
        ns[rows] = u_ns[idx]
        codes[rows] = u_form[idx]
        numeric = np.flatnonzero(u_form[idx] == NUMERIC)
        if len(numeric):
            picked, at = rows[numeric], idx[numeric]
            use_mf, notes = numeric_order(
                u_a[at], u_b[at], None if paths is None else [paths[i] for i in picked.tolist()])
            ns[picked] = np.where(use_mf, u_alt[at], ns[picked])
            codes[picked] = np.where(ns[picked] == NAT, 0,
                                     np.where(use_mf, CODE[MONTH_FIRST], CODE[DAY_FIRST]))
            for first, count, both in notes:
                example = encoded.dictionary[int(at[first])].as_py()
                if both is None:
                    message = (f"{count:,} numeric date(s) such as {example!r} could be "
                               "day-first or month-first (both numbers 12 or less) and no "
                               "date in the file decides; read day-first (DD/MM/YYYY)")
                else:
                    df, mf = (encoded.dictionary[int(at[j])].as_py() for j in both)
                    message = (f"numeric dates both day-first ({df!r}) and month-first "
                               f"({mf!r}); {count:,} ambiguous one(s) such as {example!r} "
                               "read day-first")
                warnings.append((int(picked[first]), message))
    raw = texts
    if typed:
        raw_list = texts.to_pylist()
        for i, v in typed.items():
            if isinstance(v, (datetime, _date)):
                got = to_ns(v if isinstance(v, datetime) else datetime(v.year, v.month, v.day))
                name, raw_list[i] = TIMESTAMP, v.isoformat()
            else:
                (got, name), raw_list[i] = _number_ns(v), str(v)
            if got is not None:
                ns[i], codes[i] = got, CODE[name]
            present[i] = True
        raw = pa.array(raw_list, pa.large_string())
    # records without any date value: a date in the id, else in the file name
    missing = np.flatnonzero(~present)
    for names, is_path in ((ids, False), (paths, True)):
        if names is None or not len(missing):
            continue
        rows = missing.tolist()
        if is_path:
            picked = [p.rpartition("/")[2] if isinstance(p, str) else None
                      for p in (names[i] for i in rows)]
        else:               # an id made up as "<path>#<n>" is no id: the file name follows
            picked = [v if isinstance(v, str) and not (
                paths is not None and isinstance(paths[i], str) and v.startswith(paths[i] + "#"))
                else None for v, i in zip((names[i] for i in rows), rows)]
        got = file_name_dates(pa.array(picked, pa.large_string()))
        found = got != NAT
        ns[missing[found]] = got[found]
        codes[missing[found]] = CODE[FILE_NAME]
        missing = missing[~found]
    out = DateColumn(ns, raw, codes)
    names = ("",) + FORMS
    read = codes > 0
    found_codes, counts = np.unique(codes[read], return_counts=True)
    out.forms = Counter({names[c]: int(k) for c, k in zip(found_codes.tolist(), counts.tolist())})
    unread = np.flatnonzero(present & ~read)
    out.unread = len(unread)

    if len(unread):
        for i, text in zip(unread.tolist(), raw.take(pa.array(unread)).to_pylist()):
            where = f"{wheres[i]}: " if wheres is not None and wheres[i] else ""
            out.warnings.append(
                (i, "bad_date", f"{where}unreadable date {text[:60]!r} left missing"))
    out.warnings += [(i, "ambiguous_date", message) for i, message in warnings]
    out.warnings.sort(key=lambda w: w[0])
    return out


def numeric_order(a: np.ndarray, b: np.ndarray, paths: Sequence[str] | None
                  ) -> tuple[np.ndarray, list[tuple[int, int, tuple[int, int] | None]]]:
    """Day-first or month-first, for numeric dates ``a/b/year``, decided per file.

    A value whose first number is over 12 can only be day-first, one whose second number
    is over 12 only month-first, and each is read so. The ambiguous ones (both 12 or less)
    follow their file: month-first when the file has month-first values and no day-first
    ones, else day-first -- the Arab newsroom convention -- with a warning when nothing in
    the file decides, or when it has both kinds.

    Args:
        a, b: the first and second number of each value.
        paths: each value's file (None: all one file).

    Returns:
        ``(month_first, notes)``: a boolean per value, and for each file needing a warning
        ``(first ambiguous value, number of ambiguous values, None or the first day-first
        and the first month-first value)`` (positions in ``a``).
    """
    day_first = (a > 12) & (b <= 12)
    month_first = (b > 12) & (a <= 12)
    ambiguous = (a <= 12) & (b <= 12)
    if paths is None:
        keys = np.zeros(len(a), np.int64)
    else:
        keys = pd.factorize(np.asarray(paths, dtype=object))[0].astype(np.int64)
    groups = int(keys.max()) + 1 if len(keys) else 0
    has_df = np.bincount(keys, weights=day_first, minlength=groups) > 0
    has_mf = np.bincount(keys, weights=month_first, minlength=groups) > 0
    has_amb = np.bincount(keys, weights=ambiguous, minlength=groups) > 0
    use_mf = month_first | (ambiguous & (has_mf & ~has_df)[keys])
    notes = []
    for k in np.flatnonzero(has_amb & (has_df == has_mf)).tolist():
        mine = keys == k
        amb = np.flatnonzero(mine & ambiguous)
        both = (int(np.flatnonzero(mine & day_first)[0]), int(np.flatnonzero(mine & month_first)[0])
                ) if has_df[k] else None
        notes.append((int(amb[0]), len(amb), both))
    return use_mf, notes

