"""Dates as newsrooms write them, read into nanoseconds since the epoch (UTC)."""

from __future__ import annotations

import calendar
import math
from datetime import date as _date
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import numpy as np

from .. import resources as R

NAT = np.iinfo(np.int64).min
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

def to_ns(dt: datetime) -> int | None:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)   # naive times are taken as UTC
    if not 1678 <= dt.astimezone(timezone.utc).year <= 2261:
        return None
    delta = dt - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1000


_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def _rfc2822_ns(text: str) -> int | None:
    """Fast path for the common ``Mon, 26 Feb 2018 02:20:10 GMT`` / ``+0400`` dates."""
    m = R.RE_RFC2822.match(text)
    if m is None:
        return None
    day, month, year, hh, mm, ss, zone = m.groups()
    mon = _MONTHS.get(month.lower())
    if mon is None or not (1 <= int(day) <= 31 and int(hh) < 24 and int(mm) < 60):
        return None
    try:
        seconds = calendar.timegm((int(year), mon, int(day), int(hh), int(mm), int(ss or 0)))
        datetime(int(year), mon, int(day))    # rejects 31 Feb
    except ValueError:
        return None
    if zone[0] in "+-":
        offset = int(zone[1:3]) * 3600 + int(zone[3:5]) * 60
        seconds -= offset if zone[0] == "+" else -offset
    return seconds * 1_000_000_000


def parse_date(value: Any) -> tuple[int | None, bool]:
    """``(nanoseconds since the epoch in UTC or None, ok)``; ``ok`` is False when a value
    was present but could not be read as a date. Strings: ISO 8601 or RFC 2822; naive
    times are taken as UTC; numbers are Unix times (s, ms, us or ns by magnitude)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, True
    if isinstance(value, datetime):
        ns = to_ns(value)
        return ns, ns is not None
    if isinstance(value, _date):
        ns = to_ns(datetime(value.year, value.month, value.day))
        return ns, ns is not None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        magnitude = abs(value)   # seconds, milliseconds, microseconds or nanoseconds
        scale = (1e9 if magnitude < 1e11 else 1e6 if magnitude < 1e14
                 else 1e3 if magnitude < 1e17 else 1)
        ns = int(value * scale)
        return (ns, True) if -9.2e18 < ns < 9.2e18 else (None, False)
    text = str(value).strip()
    if not text:
        return None, True
    ns = _rfc2822_ns(text)
    if ns is not None:
        return ns, True
    try:
        iso = text[:-1] + "+00:00" if text[-1:] in "Zz" else text
        ns = to_ns(datetime.fromisoformat(iso))
        return ns, ns is not None
    except ValueError:
        pass
    try:
        ns = to_ns(parsedate_to_datetime(text))
        return ns, ns is not None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None, False


