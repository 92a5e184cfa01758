"""Load a corpus of Arabic news articles into one DataFrame with a fixed set of columns.

:func:`load_corpus` accepts a single file, a folder or an archive and detects the format of
every file it finds:

- plain ``.txt`` articles in the *seed layout*: first line the headline, a blank line, then
  the body; sub-folders give ``source`` / ``category`` (``<source>/<category>/<id>.txt``);
- TREC-style ``<DOC>`` files such as the ANT corpus, read by a tolerant scanner (files that
  are not well-formed XML are read anyway, and reported);
- JSON arrays, JSON Lines, CSV/TSV and Parquet, with common field names recognised
  (see :data:`FIELD_ALIASES`) and an explicit ``mapping=`` for the others;
- ``.zip`` and ``.tar`` / ``.tar.gz`` / ``.tgz`` (also ``.tar.bz2``, ``.tar.xz``) archives of
  any of these, read in place without extracting anything to disk.

It returns ``(articles, report)``. ``articles`` has the columns of :data:`COLUMNS`, in that
order: text columns are ``string[pyarrow]`` (missing = ``pd.NA``), ``date`` is
``datetime64[ns, UTC]`` (missing = ``NaT``); nothing is invented for missing values.
``report`` is a :class:`LoadReport`; always ``report.seen == report.loaded + len(report.skipped)``.

Text fields
    Values are stripped of surrounding whitespace, entities are decoded (TREC) and line
    breaks become ``\n``. A value that is empty is missing (``pd.NA``), except ``body``,
    which is ``""`` when the document has an empty body field (a warning either way).
    ``dateline`` is the place (and agency) opening the body before a dash -- ``موسكو`` in
    ``موسكو - انطلقت ...`` -- which stays in the body too. Records without an id get
    ``<path>#<n>`` (n = record or row number; the line number for JSON Lines); seed files
    and one-document TREC files without one take the file name stem.

Accounting (what "seen" counts)
    Every regular file (or archive member) is examined. A file holding one article (a seed
    ``.txt``, a TREC file with one ``<DOC>``) is one *seen* entry. In a file holding several
    records (JSON, JSON Lines, CSV/TSV, Parquet, TREC with several ``<DOC>``) every record is
    one seen entry. A file that yields no record at all -- empty, binary, unparseable, a
    README, an unsupported type, an unsafe archive member -- is one seen entry that is
    skipped with its reason. Directories are not entries.

``path`` column
    Relative to the corpus root with ``/`` separators: the path below the folder given, the
    member name inside an archive (as stored, minus a leading ``./``, so ``tar tf`` finds it),
    ``<archive>/<member>`` for an archive found inside a folder, and the file name when a
    single file is loaded. For records of a multi-record file it is the file's path.

``source`` and ``category``
    Taken from the record (``<SRC>``, ``<CAT>``, a ``source`` column, ...). Where a record has
    none, they come from the folders: ``<source>/<category>/file`` (deeper folders are joined
    into the category with ``/``); inside an archive a single top-level folder shared by
    every member (such as ``ant-multisource-v2.1/``) is not counted. Spellings that differ
    only in letter case (``BBC`` / ``bbc``, ``SkyNews`` / ``skynews``) are merged into the
    most frequent spelling in the corpus (ties: the first one met).

Encodings (recorded per article in ``encoding``)
    A byte-order mark decides first (``utf-8-sig``, ``utf-16``, ``utf-32``). Otherwise strict
    UTF-8 (``utf-8``). Failing that, text that is UTF-8 apart from a few bad bytes (at least
    ten valid non-ASCII characters per bad byte) stays ``utf-8`` with the bad bytes replaced
    by U+FFFD and a warning (``strict=True`` raises instead). Otherwise it is one of the two
    Arabic 8-bit code pages: ``cp1256`` (Windows-1256) when a byte in 0x80-0x9F occurs
    (printable in Windows-1256, C1 control codes in ISO-8859-6) or the bytes are not valid
    ISO-8859-6; else both decodings are compared and the one giving more Arabic letters
    (U+0621-U+064A) wins -- the same byte means a letter in one code page and a Latin letter
    or a diacritic in the other -- with ties going to ``cp1256``. Files with NUL bytes, many
    control bytes or a known binary signature are skipped as binary.

Duplicates
    ``report.duplicate_bodies`` counts extra copies of identical bodies (bodies are stored
    with surrounding whitespace stripped; empty bodies count as a text, missing ones do not);
    ``report.duplicated_texts`` counts distinct bodies occurring more than once. On ANT these
    are 1,481 and 1,464 (the two empty ``<TEXT>`` are one France24 story in two categories).

Safety and limits
    Archive members with an absolute path, a ``..`` component, links and devices are
    skipped and reported (nothing is ever extracted). Inside a folder, symbolic links are
    followed (the folder is the user's own disk), loops and special files are reported, and
    the cache folder is left out. The bytes read are bounded by ``max_total_bytes``
    (uncompressed; checked before a member is read), beyond which :class:`CorpusError` is
    raised. ``strict=True`` raises :class:`CorpusError` at the first invalid file or record
    or unsafe member, or the first undecodable byte; READMEs, hidden files and unsupported
    file types are never errors, and warnings such as malformed XML or empty bodies are not.

Cache
    The parsed corpus is stored as Parquet under ``helpers.paths.PROCESSED`` (or
    ``cache_dir=``), keyed by a hash of the input *content* (the file or archive bytes, or
    every file of a folder with its relative path), the loader version and the options that
    change the result; it is written atomically and reused while the input is unchanged.
    The report is stored in the Parquet metadata and restored with it.

Larger than memory
    :func:`write_shards` parses a corpus into Parquet shards of a bounded number of articles
    (one pass, bounded memory; folder-derived sources and case merging fixed in a light
    second pass), :func:`iter_corpus` yields a corpus chunk by chunk, and
    :func:`read_shards_dask` opens a shard folder as a ``dask.dataframe``. Concatenated,
    the chunks are exactly the :func:`load_corpus` frame; ``load_corpus(shard_folder)``
    reads a shard folder back whole. :mod:`helpers.streaming` counts them.

>>> articles, report = load_corpus("data/raw/sample", cache=False)   # doctest: +SKIP
>>> articles.loc[0, "dateline"]                                      # doctest: +SKIP
'موسكو'
"""

from __future__ import annotations

import calendar
import codecs
import csv
import hashlib
import html as _html
import io
import json
import math
import multiprocessing
import os
import re
import stat
import sys
import tempfile
import time
import warnings as _warnings
import xml.parsers.expat
import zipfile
from collections import Counter, deque
from contextlib import suppress
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date as _date
from datetime import datetime, timezone
from functools import lru_cache
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from zlib import error as zlib_error

from . import paths
from . import resources as R

__all__ = [
    "COLUMNS",
    "CorpusError",
    "LoadReport",
    "LoadWarning",
    "Skipped",
    "cached_shards",
    "cached_tokens",
    "iter_corpus",
    "iter_shards",
    "load_corpus",
    "load_processed",
    "save_processed",
    "shard_paths",
    "shard_report",
    "read_shards_dask",
    "write_frames",
    "write_shards",
]

#: Bump when parsing changes, so that cached corpora are rebuilt.
LOADER_VERSION = "2"

#: Columns of the articles DataFrame, in order.
COLUMNS = (
    "id", "source", "category", "date", "title", "body", "url", "author", "abstract",
    "dateline", "path", "encoding",
)
#: Every column except ``date`` is Arrow-backed text with ``pd.NA`` for missing values.
STRING = pd.StringDtype("pyarrow")
DATE = "datetime64[ns, UTC]"

#: Default bound on the bytes read (uncompressed) in one load: 4 GiB.
DEFAULT_MAX_TOTAL_BYTES = 4 * 2**30

#: Field names recognised in JSON, CSV/TSV, Parquet and TREC records, by column, in order of
#: preference. Matching ignores case, spaces, dashes and dots (``Head-Line`` = ``head_line``).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "docno", "doc_id", "docid", "article_id", "guid", "uuid", "identifier"),
    "source": ("source", "site", "src", "source_name", "publisher", "outlet", "website",
               "newspaper"),
    "category": ("category", "cat", "section", "categories", "topic", "class", "label"),
    "date": ("date", "published", "date_extracted", "published_at", "publish_date",
             "pubdate", "date_published", "datetime", "time", "timestamp", "created_at"),
    "title": ("title", "headline", "head_line", "heading", "hl"),
    "body": ("body", "content", "text", "article", "article_body", "articlebody", "story",
             "full_text"),
    "url": ("url", "link", "href", "permalink", "uri"),
    "author": ("author", "authors", "byline", "writer"),
    "abstract": ("abstract", "summary", "description", "lead", "teaser", "excerpt"),
    "dateline": ("dateline",),
}
_MAPPABLE = tuple(FIELD_ALIASES)

#: Formats accepted by ``fmt=`` (and detected from file extensions below).
FORMATS = ("txt", "trec", "json", "jsonl", "csv", "tsv", "parquet")
_EXTENSIONS = {
    "": "text", ".txt": "text", ".text": "text", ".xml": "trec", ".sgml": "trec",
    ".sgm": "trec", ".trec": "trec",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl",
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet", ".pq": "parquet",
}
_ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz",
                     ".txz")

_MAGIC = R.BINARY_SIGNATURES
_MAGIC_PREFIXES = tuple(magic for magic, _ in _MAGIC)

# skip kinds: "ignored" (not article data: READMEs, hidden files, unsupported types) never
# raise; "invalid" (unreadable or malformed input) and "unsafe" (archive members that
# escape the archive) raise with strict=True.
_IGNORED, _INVALID, _UNSAFE = "ignored", "invalid", "unsafe"
# warning kinds that raise with strict=True
_STRICT_WARNINGS = frozenset({"replaced_bytes"})

_NAT = np.iinfo(np.int64).min
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_REPORT_KEY = b"helpers.load_report"
_INPROCESS_BYTES = 4 * 2**20   # parse in-process until this many bytes were read
_BATCH_BYTES = 2 * 2**20       # bytes per batch sent to a worker process


class CorpusError(ValueError):
    """A corpus (or one of its files) cannot be loaded; names the file and the reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Skipped:
    """One file or record that was seen but not loaded.

    Unpacks as ``path, reason = entry``; ``kind`` is ``"ignored"`` (not article data, e.g.
    a README), ``"invalid"`` (unreadable or malformed) or ``"unsafe"`` (an archive member
    that would escape the archive).
    """

    path: str
    reason: str
    kind: str = _INVALID

    def __iter__(self):
        return iter((self.path, self.reason))


@dataclass(frozen=True)
class LoadWarning:
    """Something worth knowing about a loaded file or record (it was loaded anyway).

    Unpacks as ``path, message = entry``; ``kind`` is a short tag such as ``empty_body``,
    ``malformed_xml``, ``replaced_bytes``, ``no_headline``, ``bad_date`` or ``short_row``.
    """

    path: str
    message: str
    kind: str = "other"

    def __iter__(self):
        return iter((self.path, self.message))


@dataclass
class LoadReport:
    """What :func:`load_corpus` saw, loaded, skipped and warned about.

    Attributes:
        corpus: the path that was loaded.
        seen: files and records examined (see the module docstring for what counts).
        loaded: articles in the DataFrame.
        skipped: one :class:`Skipped` (path, reason) per file or record not loaded.
        warnings: one :class:`LoadWarning` (path, message) per oddity in loaded data.
        duplicate_bodies: extra copies of identical bodies (a text found 3 times adds 2).
        duplicated_texts: distinct bodies that occur more than once.
        files: files or archive members examined (including skipped ones).
        formats: articles per detected format; encodings: articles per encoding.
        seconds: time the load took; from_cache: whether it came from the Parquet cache.
        cache_path: the cache file; fingerprint: the cache key (a hash of the input content,
            the loader version and the options), ``None`` when ``cache=False``.
    """

    corpus: str = ""
    seen: int = 0
    loaded: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[LoadWarning] = field(default_factory=list)
    duplicate_bodies: int = 0
    duplicated_texts: int = 0
    files: int = 0
    formats: dict[str, int] = field(default_factory=dict)
    encodings: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    from_cache: bool = False
    cache_path: str | None = None
    fingerprint: str | None = None

    @property
    def warning_counts(self) -> Counter:
        """Number of warnings per kind, e.g. ``Counter({'malformed_xml': 37, ...})``."""
        return Counter(w.kind for w in self.warnings)

    @property
    def skip_reasons(self) -> Counter:
        """Number of skipped entries per reason."""
        return Counter(s.reason for s in self.skipped)

    def skipped_frame(self) -> pd.DataFrame:
        """The skipped entries as a DataFrame with columns ``path, reason, kind``."""
        return pd.DataFrame(
            [(s.path, s.reason, s.kind) for s in self.skipped],
            columns=["path", "reason", "kind"],
        ).astype(STRING)

    def warnings_frame(self) -> pd.DataFrame:
        """The warnings as a DataFrame with columns ``path, message, kind``."""
        return pd.DataFrame(
            [(w.path, w.message, w.kind) for w in self.warnings],
            columns=["path", "message", "kind"],
        ).astype(STRING)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (used to store the report beside the cached corpus)."""
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["skipped"] = [[s.path, s.reason, s.kind] for s in self.skipped]
        d["warnings"] = [[w.path, w.message, w.kind] for w in self.warnings]
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LoadReport:
        """Rebuild a report from :meth:`to_dict` output."""
        d = dict(d)
        d["skipped"] = [Skipped(*s) for s in d.get("skipped", ())]
        d["warnings"] = [LoadWarning(*w) for w in d.get("warnings", ())]
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in d.items() if k in known})

    def _lines(self, limit: int = 5) -> list[str]:
        origin = " (from cache)" if self.from_cache else ""
        lines = [
            f"LoadReport: {self.corpus}{origin}",
            f"  seen {self.seen:,} · loaded {self.loaded:,} · skipped {len(self.skipped):,}"
            f" · warnings {len(self.warnings):,} · {self.seconds:.2f} s",
            f"  duplicate bodies: {self.duplicate_bodies:,} extra copies of"
            f" {self.duplicated_texts:,} texts",
        ]
        if self.formats:
            lines.append("  formats: " + ", ".join(f"{k} {v:,}" for k, v in self.formats.items()))
        if self.encodings:
            lines.append(
                "  encodings: " + ", ".join(f"{k} {v:,}" for k, v in self.encodings.items())
            )
        if self.skipped:
            lines.append("  skipped:")
            lines += [f"    {s.path}: {s.reason}" for s in self.skipped[:limit]]
            if len(self.skipped) > limit:
                lines.append(f"    ... and {len(self.skipped) - limit:,} more")
        if self.warnings:
            counts = ", ".join(f"{k} {v:,}" for k, v in self.warning_counts.most_common())
            lines.append(f"  warnings: {counts}")
            lines += [f"    {w.path}: {w.message}" for w in self.warnings[:limit]]
            if len(self.warnings) > limit:
                lines.append(f"    ... and {len(self.warnings) - limit:,} more")
        return lines

    def __str__(self) -> str:
        return "\n".join(self._lines())

    def _repr_html_(self) -> str:
        esc = _html.escape
        head = esc(self._lines()[0])
        rows = [
            ("seen", f"{self.seen:,}"), ("loaded", f"{self.loaded:,}"),
            ("skipped", f"{len(self.skipped):,}"), ("warnings", f"{len(self.warnings):,}"),
            ("duplicate bodies", f"{self.duplicate_bodies:,} extra copies of "
                                 f"{self.duplicated_texts:,} texts"),
            ("formats", ", ".join(f"{k} {v:,}" for k, v in self.formats.items())),
            ("encodings", ", ".join(f"{k} {v:,}" for k, v in self.encodings.items())),
            ("seconds", f"{self.seconds:.2f}"),
        ]
        body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
        parts = [f"<div><strong>{head}</strong><table>{body}</table>"]
        for title, entries in (("Skipped", self.skipped), ("Warnings", self.warnings)):
            if entries:
                items = "".join(
                    f'<li><code dir="auto">{esc(e.path)}</code>: '
                    f'<span dir="auto">{esc(list(e)[1])}</span></li>'
                    for e in entries[:20]
                )
                more = f"<li>... and {len(entries) - 20:,} more</li>" if len(entries) > 20 else ""
                parts.append(f"<details><summary>{title} ({len(entries):,})</summary>"
                             f"<ul>{items}{more}</ul></details>")
        parts.append("</div>")
        return "".join(parts)


# ---------------------------------------------------------------------------------------
# options and small helpers
# ---------------------------------------------------------------------------------------


class _Options(NamedTuple):
    fmt: str | None
    encoding: str | None
    mapping: tuple[tuple[str, str], ...]


def _norm_key(name: Any) -> str:
    return R.RE_FIELD_SEPARATORS.sub("_", str(name).strip().lower())


_ALIAS_INDEX = {col: tuple(_norm_key(a) for a in names) for col, names in FIELD_ALIASES.items()}


_RESOLVED: dict[tuple, dict[str, Any]] = {}


def _resolve_fields(keys: tuple, mapping: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """Map our column names to the record's keys (explicit mapping first, then aliases)."""
    got = _RESOLVED.get((keys, mapping))
    if got is None:
        if len(_RESOLVED) > 10_000:
            _RESOLVED.clear()
        got = _RESOLVED[(keys, mapping)] = _resolve_fields_uncached(keys, mapping)
    return dict(got)


def _resolve_fields_uncached(keys: tuple, mapping: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    normalised: dict[str, Any] = {}
    for k in keys:
        normalised.setdefault(_norm_key(k), k)
    resolved: dict[str, Any] = {}
    explicit = dict(mapping)
    for col in _MAPPABLE:
        if col in explicit:   # the explicit field when the record has it, else aliases
            theirs = explicit[col]
            if theirs in keys:
                resolved[col] = theirs
                continue
            if _norm_key(theirs) in normalised:
                resolved[col] = normalised[_norm_key(theirs)]
                continue
        for alias in _ALIAS_INDEX[col]:
            if alias in normalised:
                resolved[col] = normalised[alias]
                break
    # one source field feeds one column only (explicit mapping wins, then column order)
    used: set = set()
    for col in sorted(_MAPPABLE, key=lambda c: c not in explicit):
        if col in resolved:
            if resolved[col] in used:
                del resolved[col]
            else:
                used.add(resolved[col])
    return resolved


def _clean_text(value: Any, *, joiner: str = ", ") -> str | None:
    """A field value as stripped text; ``None`` when missing or empty."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        text = value
    elif isinstance(value, (list, tuple)):
        parts = [_clean_text(v, joiner=joiner) for v in value]
        text = joiner.join(p for p in parts if p)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, bytes):
        text = value.decode("utf-8", errors="replace")
    else:
        text = str(value)
    text = text.strip()
    return text or None


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _to_ns(dt: datetime) -> int | None:
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


def _parse_date(value: Any) -> tuple[int | None, bool]:
    """``(nanoseconds since the epoch in UTC or None, ok)``; ``ok`` is False when a value
    was present but could not be read as a date. Strings: ISO 8601 or RFC 2822; naive
    times are taken as UTC; numbers are Unix times (s, ms, us or ns by magnitude)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, True
    if isinstance(value, datetime):
        ns = _to_ns(value)
        return ns, ns is not None
    if isinstance(value, _date):
        ns = _to_ns(datetime(value.year, value.month, value.day))
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
        ns = _to_ns(datetime.fromisoformat(iso))
        return ns, ns is not None
    except ValueError:
        pass
    try:
        ns = _to_ns(parsedate_to_datetime(text))
        return ns, ns is not None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None, False


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    return R.RE_ENTITY.sub(lambda m: _html.unescape(m.group(0)), text)


def _binary_reason(data: bytes) -> str | None:
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


def _bom_less_utf16(data: bytes) -> str | None:
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


def _decode(data: bytes, forced: str | None) -> tuple[str, str, int]:
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


def _detect_format(path: str, fmt: str | None) -> str | None:
    if fmt:
        return fmt
    return _EXTENSIONS.get(_suffix(_basename(path)).lower())


def _is_archive_name(name: str) -> bool:
    return name.lower().endswith(_ARCHIVE_SUFFIXES)


def _basename(path: str) -> str:
    return path.rpartition("/")[2]


def _suffix(name: str) -> str:
    """``.txt`` for ``a.txt``; ``""`` for ``README`` and ``.hidden``."""
    return "." + name.rpartition(".")[2] if "." in name.lstrip(".") else ""


def _stem(path: str) -> str:
    name = _basename(path)
    suffix = _suffix(name)
    return name[: -len(suffix)] if suffix else name


# ---------------------------------------------------------------------------------------
# parsing one file (runs in worker processes): bytes -> rows, skipped, warnings
# ---------------------------------------------------------------------------------------

# one parsed article, in COLUMNS order (date as int nanoseconds) plus the format
_Row = tuple


class _Result(NamedTuple):
    rows: list[_Row]
    skipped: list[Skipped]
    warnings: list[LoadWarning]
    seen: int


class _Parser:
    """Collects the rows, skips and warnings of one file."""

    def __init__(self, path: str, encoding: str | None, fmt: str, opts: _Options):
        self.path, self.encoding, self.fmt, self.opts = path, encoding, fmt, opts
        self.rows: list[_Row] = []
        self.skipped: list[Skipped] = []
        self.warnings: list[LoadWarning] = []
        self.seen = 0

    def warn(self, message: str, kind: str) -> None:
        self.warnings.append(LoadWarning(self.path, message, kind))

    def skip(self, reason: str, kind: str = _INVALID) -> None:
        self.seen += 1
        self.skipped.append(Skipped(self.path, reason, kind))

    def add(self, *, id, source=None, category=None, date=None, title=None, body=None,
            url=None, author=None, abstract=None, dateline=None, where: str = "") -> None:
        """Add one article; ``body`` None means the record has no body field at all."""
        self.seen += 1
        prefix = f"{where}: " if where else ""
        date_ns, ok = _parse_date(date)
        if not ok:
            self.warn(f"{prefix}unreadable date {str(date)[:60]!r} left missing", "bad_date")
        if body is None:
            self.warn(f"{prefix}no body", "empty_body")
        elif not body:
            self.warn(f"{prefix}empty body", "empty_body")
        if dateline is None and body:
            m = R.RE_DATELINE.match(body)
            if m:
                dateline = m.group("dateline")
        self.rows.append((id, source, category, date_ns, title, body, url, author, abstract,
                          dateline, self.path, self.encoding, self.fmt))

    def add_record(self, record: Mapping, fields: dict[str, Any], n: int, where: str) -> None:
        """Add one record (JSON object, CSV row, Parquet row) through the field mapping."""
        values = {col: record.get(key) for col, key in fields.items()}
        title = _clean_text(values.get("title"))
        body = None
        if "body" in fields:
            raw = values.get("body")
            body = _clean_text(raw, joiner="\n")
            if body is None and not _missing(raw):
                body = ""                       # present but empty: "" (missing: NA)
        if title is None and not body:
            self.skip(f"{where}: no title or body" if where else "no title or body")
            return
        ident = _clean_text(values.get("id")) or f"{self.path}#{n}"
        self.add(
            id=ident, source=_clean_text(values.get("source")),
            category=_clean_text(values.get("category")), date=values.get("date"),
            title=title, body=_newlines(body) if body else body,
            url=_clean_text(values.get("url")), author=_clean_text(values.get("author")),
            abstract=_clean_text(values.get("abstract"), joiner="\n"),
            dateline=_clean_text(values.get("dateline")), where=where,
        )

    def result(self) -> _Result:
        return _Result(self.rows, self.skipped, self.warnings, self.seen)


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _parse_blob(path: str, data: bytes, opts: _Options) -> _Result:
    """Parse one file's bytes into articles (never raises for bad input: skips instead)."""
    name = _basename(path)
    fmt = _detect_format(path, opts.fmt)
    p = _Parser(path, None, fmt or "", opts)
    if name.startswith(".") or "__MACOSX" in path.split("/"):
        p.skip("hidden or system file", _IGNORED)
        return p.result()
    if R.RE_DOC_FILE.match(name):
        p.skip("documentation file (README, LICENSE, ...), not an article", _IGNORED)
        return p.result()
    if not data:
        p.skip("empty file")
        return p.result()
    if fmt is None:
        suffix = _suffix(name) or name
        if _is_archive_name(name):
            p.skip("archive inside an archive (not opened)", _IGNORED)
        else:
            p.skip(f"unsupported file type {suffix!r}", _IGNORED)
        return p.result()
    if fmt == "parquet":
        return _parse_parquet(p, data)
    text, encoding, replaced = None, None, 0
    if not opts.encoding and not any(data.startswith(b) for b, _ in R.BOMS):
        utf16 = _bom_less_utf16(data)
        if utf16:
            text, encoding = data.decode(utf16), utf16
        else:
            reason = _binary_reason(data)
            if reason:
                p.skip(reason)
                return p.result()
    if text is None:
        text, encoding, replaced = _decode(data, opts.encoding)
    p.encoding = encoding
    if replaced:
        p.warn(f"{replaced:,} undecodable byte(s) replaced by U+FFFD (read as {encoding})",
               "replaced_bytes")
    text = _newlines(text)
    if not text.strip():
        p.skip("empty file (whitespace only)")
        return p.result()
    if fmt == "text":
        head = text.lstrip()
        if head.startswith("<") and R.RE_TREC_DOC_OPEN.search(text):
            fmt = "trec"
        else:
            fmt = "txt"
    p.fmt = fmt
    parse = {"txt": _parse_seed, "trec": _parse_trec, "json": _parse_json,
             "jsonl": _parse_jsonl, "csv": _parse_csv, "tsv": _parse_csv}[fmt]
    parse(p, text)
    if p.seen == 0:
        p.skip("no articles in file")
    return p.result()


def _parse_seed(p: _Parser, text: str) -> None:
    """Seed layout: headline line, blank line, body."""
    text = text.strip("\n").lstrip()
    head, _, rest = text.partition("\n")
    second, _, _ = rest.partition("\n")
    if rest and second.strip():
        p.warn("no headline (the first line is not followed by a blank line); "
               "the whole text is the body", "no_headline")
        title, body = None, text.strip()
    else:
        title, body = head.strip() or None, rest.strip()
    p.add(id=_stem(p.path), title=title, body=body)


_CLOSE_TAGS: dict[str, re.Pattern] = {}


def _close_tag(name: str) -> re.Pattern:
    pattern = _CLOSE_TAGS.get(name)
    if pattern is None:
        pattern = _CLOSE_TAGS[name] = re.compile(rf"</\s*{re.escape(name)}\s*>", re.IGNORECASE)
    return pattern


def _cdata(value: str) -> str:
    # CDATA content is literal: protect its "&" from the entity decoding that follows
    return R.RE_CDATA.sub(lambda c: c.group(1).replace("&", "&amp;"), value)


def _trec_fields(doc: str) -> tuple[dict[str, str], bool]:
    """Top-level ``<TAG>value</TAG>`` fields of one document, read tolerantly.

    A tag that is never closed runs to the next tag; a repeated tag is joined with a
    newline; entities are decoded. Also returns whether the markup is *plainly* well-formed
    (every field closed in the same case, no attributes, no other ``<``), which lets the
    caller skip the XML parser for the common case.
    """
    fields: dict[str, str] = {}
    plain = True
    pos = 0
    find_open = R.RE_TREC_FIELD_OPEN.search
    while True:
        m = find_open(doc, pos)
        if m is None:
            break
        name = m.group(1)
        if m.group(2) or m.group(3):
            plain = False
        if m.group(3):                         # self-closing <AUTHOR/>
            value, pos = "", m.end()
        else:
            at = doc.find(f"</{name}>", m.end())
            if at >= 0:
                value, pos = doc[m.end():at], at + len(name) + 3
            else:
                plain = False
                close = _close_tag(name).search(doc, m.end())
                if close is not None:
                    value, pos = doc[m.end():close.start()], close.end()
                else:
                    nxt = find_open(doc, m.end())
                    end = nxt.start() if nxt else len(doc)
                    value, pos = doc[m.end():end], end
        if "<" in value:
            plain = False
            if "<![CDATA[" in value:
                value = _cdata(value)
        key = name.lower()
        fields[key] = f"{fields[key]}\n{value}" if key in fields else value
    if plain and doc.count("<") != 2 * len(fields):
        plain = False
    return {k: _unescape(v) for k, v in fields.items()}, plain


def _xml_problem(doc: str) -> str | None:
    """Why ``doc`` is not well-formed XML (expat's message), or None."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(doc, True)
    except xml.parsers.expat.ExpatError as e:
        return f"{xml.parsers.expat.ErrorString(e.code)} at line {e.lineno}, column {e.offset + 1}"
    return None


def _parse_trec(p: _Parser, text: str) -> None:
    """TREC ``<DOC>`` documents, several per file allowed, malformed XML tolerated.

    Every document is checked for XML well-formedness (expat, only when the markup is not
    plainly well-formed); a malformed one is read anyway and reported as a warning.
    """
    opens = list(R.RE_TREC_DOC_OPEN.finditer(text))
    if not opens:
        p.skip("no <DOC> elements")
        return
    single = len(opens) == 1
    line = 1
    last = 0
    for n, m in enumerate(opens, 1):
        end = opens[n].start() if n < len(opens) else len(text)
        close = R.RE_TREC_DOC_CLOSE.search(text, m.end(), end)
        stop = close.end() if close else end
        where = "" if single else f"<DOC> {n}"
        inner = text[m.end():close.start() if close else end]
        fields, plain = _trec_fields(inner)
        if not (plain and close is not None and m.group(0) == "<DOC>"
                and close.group(0) == "</DOC>" and "&" not in inner
                and not R.RE_XML_ILLEGAL.search(inner)):
            problem = _xml_problem(text[m.start():stop])
            if problem:
                line += text.count("\n", last, m.start())
                last = m.start()
                if line > 1:
                    problem = R.RE_AT_LINE.sub(
                        lambda g: f"at line {int(g.group(1)) + line - 1}", problem)
                p.warn(f"{where + ': ' if where else ''}malformed XML, {problem}; "
                       "fields read by the tolerant parser", "malformed_xml")
        resolved = _resolve_fields(tuple(fields), p.opts.mapping)
        if "id" not in resolved:
            fields["\0id"] = _stem(p.path) if single else f"{p.path}#{n}"
            resolved["id"] = "\0id"
        p.add_record(fields, resolved, n, where)


def _records_from_json(obj: Any) -> list | None:
    if isinstance(obj, list):
        return obj
    if isinstance(obj, dict):
        for value in obj.values():   # {"articles": [...]} and similar wrappers
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                if not _resolve_fields(tuple(obj), ()).keys() & {"title", "body"}:
                    return value
        return [obj]
    return None


def _add_records(p: _Parser, records: list, label: str, start: int = 1) -> None:
    cache: dict[tuple, dict] = {}
    for n, record in enumerate(records, start):
        where = f"{label} {n}"
        if not isinstance(record, dict):
            p.skip(f"{where}: not an object ({type(record).__name__})")
            continue
        keys = tuple(record)
        fields = cache.get(keys)
        if fields is None:
            fields = cache[keys] = _resolve_fields(keys, p.opts.mapping)
        p.add_record(record, fields, n, where)


def _parse_json(p: _Parser, text: str) -> None:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        first = text.lstrip().partition("\n")[0]
        try:
            looks_like_lines = isinstance(json.loads(first), dict)
        except json.JSONDecodeError:
            looks_like_lines = False
        if looks_like_lines:               # JSON Lines saved as .json
            p.fmt = "jsonl"
            _parse_jsonl(p, text)
        else:
            p.skip(f"invalid JSON ({e.msg}, line {e.lineno}, column {e.colno})")
        return
    records = _records_from_json(obj)
    if records is None:
        p.skip(f"JSON holds a {type(obj).__name__}, not articles")
        return
    _add_records(p, records, "record")


def _parse_jsonl(p: _Parser, text: str) -> None:
    cache: dict[tuple, dict] = {}
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"line {lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            p.skip(f"{where}: invalid JSON, e.g. a truncated line ({e.msg}, column {e.colno})")
            continue
        if not isinstance(record, dict):
            p.skip(f"{where}: not an object ({type(record).__name__})")
            continue
        keys = tuple(record)
        fields = cache.get(keys)
        if fields is None:
            fields = cache[keys] = _resolve_fields(keys, p.opts.mapping)
        p.add_record(record, fields, lineno, where)


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _parse_csv(p: _Parser, text: str) -> None:
    """CSV/TSV with a header row; rows with too many fields are skipped, rows with too few
    are loaded with the missing fields left missing (and a warning)."""
    csv.field_size_limit(2**31 - 1)
    if text.startswith("\ufeff"):
        text = text[1:]
    delimiter = "\t" if p.fmt == "tsv" else _sniff_delimiter(text.partition("\n")[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as e:
        p.skip(f"unreadable CSV header ({e})" if isinstance(e, csv.Error) else "no CSV header")
        return
    header = [h.strip() for h in header]
    fields = _resolve_fields(tuple(header), p.opts.mapping)
    if not fields.keys() & {"title", "body"}:
        p.skip(f"no title or body column among {', '.join(header)[:200]!r}")
        return
    width = len(header)
    n = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            p.skip(f"line {start}: unreadable CSV ({e})")
            break
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        n += 1
        where = f"line {start}"
        if len(row) > width:
            p.skip(f"{where}: {len(row)} fields, the header has {width}")
            continue
        if len(row) < width:
            p.warn(f"{where}: {len(row)} fields, the header has {width}; "
                   "the missing ones are left missing", "short_row")
        record = dict(zip(header, row))
        p.add_record(record, fields, n, where)


def _parse_parquet(p: _Parser, data: bytes) -> _Result:
    p.fmt, p.encoding = "parquet", "utf-8"
    try:
        table = pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError, ValueError) as e:
        p.skip(f"unreadable Parquet ({str(e)[:200]})")
        return p.result()
    names = tuple(table.column_names)
    fields = _resolve_fields(names, p.opts.mapping)
    if not fields.keys() & {"title", "body"}:
        p.skip(f"no title or body column among {', '.join(names)[:200]!r}")
        return p.result()
    wanted = sorted(set(fields.values()))
    columns = {name: table.column(name).to_pylist() for name in wanted}
    for n in range(table.num_rows):
        record = {name: columns[name][n] for name in wanted}
        p.add_record(record, fields, n + 1, f"row {n + 1}")
    if p.seen == 0:
        p.skip("no articles in file")
    return p.result()


def _parse_batch(batch: list[tuple[str, bytes]], opts: _Options) -> list[_Result]:
    return [_parse_blob(path, data, opts) for path, data in batch]


# ---------------------------------------------------------------------------------------
# walking inputs: folders and archives -> (path, bytes) or skipped entries
# ---------------------------------------------------------------------------------------


class _Budget:
    """Bounds the total uncompressed bytes read in one load."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0

    def take(self, path: str, size: int) -> None:
        self.used += size
        if self.used > self.limit:
            raise CorpusError(
                path,
                f"total uncompressed size exceeds the bound of {self.limit:,} bytes "
                "(max_total_bytes=); refusing to read further",
            )


class _Item(NamedTuple):
    path: str                 # path column value
    rel: str                  # path inside its container (for source/category)
    container: int            # index of the container (folder or archive)
    data: bytes | None = None
    skip: Skipped | None = None


def _walk_folder(root: Path, exclude: frozenset = frozenset()
                 ) -> list[tuple[str, Path | None, str | None]]:
    """Sorted ``(relative path, absolute path, problem)`` of every file below ``root``.

    Symbolic links are followed (a loop is reported), special files are reported. Folders
    in ``exclude`` (``(st_dev, st_ino)`` pairs: the cache folders) are left out entirely.
    """
    out: list[tuple[str, Path | None, str | None]] = []
    visited: set[tuple[int, int]] = set()

    def walk(folder: Path, rel: str) -> None:
        st = folder.stat()
        if (st.st_dev, st.st_ino) in exclude:
            return
        if (st.st_dev, st.st_ino) in visited:
            out.append((rel or ".", None, "symbolic link loop (not followed)"))
            return
        visited.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            out.append((rel or ".", None, f"unreadable folder ({e.strerror})"))
            return
        for entry in entries:
            child = f"{rel}/{entry.name}" if rel else entry.name
            try:
                if entry.is_dir():
                    walk(Path(entry.path), child)
                elif entry.is_file():
                    out.append((child, Path(entry.path), None))
                elif entry.is_symlink():
                    out.append((child, None, "broken symbolic link"))
                else:
                    out.append((child, None, "not a regular file (device, FIFO or socket)"))
            except OSError as e:
                out.append((child, None, f"unreadable ({e.strerror})"))

    walk(root, "")
    return out


def _unsafe_member(name: str) -> str | None:
    clean = name.replace("\\", "/")
    if clean.startswith("/") or R.RE_DRIVE.match(clean):
        return "unsafe archive member: absolute path"
    if ".." in clean.split("/"):
        return "unsafe archive member: '..' in path"
    return None


def _member_name(name: str) -> str:
    name = name.replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name


class _TarMember(NamedTuple):
    name: str
    problem: str | None    # why the member is not read (link, device, unsafe path, ...)


_TAR_BLOCK = 512
_TAR_REGULAR = (b"0", b"\0", b"7")
_TAR_KINDS = {
    b"1": "hard link", b"2": "symbolic link", b"3": "character device",
    b"4": "block device", b"6": "FIFO",
}


class _Stream:
    """Exact-size reads over a (decompressing) file object, in large chunks."""

    def __init__(self, f):
        self.f, self.buf, self.pos = f, b"", 0

    def read(self, n: int) -> bytes:
        if self.pos + n > len(self.buf):
            parts = [self.buf[self.pos:]]
            have = len(parts[0])
            while have < n:
                chunk = self.f.read(max(1 << 20, n - have))
                if not chunk:
                    break
                parts.append(chunk)
                have += len(chunk)
            self.buf, self.pos = b"".join(parts), 0
        out = self.buf[self.pos:self.pos + n]
        self.pos += len(out)
        return out


def _tar_number(field: bytes) -> int:
    if field[:1] in (b"\x80", b"\xff"):          # GNU base-256 encoding
        value = int.from_bytes(field[1:], "big")
        return -value if field[:1] == b"\xff" else value
    text = field.split(b"\0", 1)[0].strip()
    return int(text, 8) if text else 0


def _tar_text(field: bytes) -> str:
    return field.split(b"\0", 1)[0].decode("utf-8", "replace")


def _open_compressed(raw):
    """A reader of the decompressed bytes of a .tar, .tar.gz, .tar.bz2 or .tar.xz file."""
    import bz2
    import gzip
    import lzma
    magic = raw.read(6)
    raw.seek(0)
    if magic.startswith(b"\x1f\x8b"):
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if magic.startswith(b"BZh"):
        return bz2.BZ2File(raw)
    if magic.startswith(b"\xfd7zXZ\x00"):
        return lzma.LZMAFile(raw)
    return raw


def _iter_tar(raw, budget: _Budget, prefix: str) -> Iterator[tuple[_TarMember, bytes]]:
    """Stream the members of a tar archive (ustar, GNU and pax formats) without extracting.

    Much faster than :mod:`tarfile` for archives of many small files (it parses only the
    fields needed here). Yields ``(member, data)`` for every non-directory member; links,
    devices and unsafe paths come with a ``problem`` and no data. Raises ``ValueError`` for
    a damaged archive and :class:`CorpusError` beyond the size bound.
    """
    stream = _Stream(_open_compressed(raw))
    long_name = long_link = None
    pax: dict[str, str] = {}
    global_pax: dict[str, str] = {}
    while True:
        header = stream.read(_TAR_BLOCK)
        if len(header) < _TAR_BLOCK or header == bytes(_TAR_BLOCK):
            return                                 # end of archive (or truncated padding)
        stored = _tar_number(header[148:156])
        computed = sum(header) - sum(header[148:156]) + 8 * 32
        if stored != computed:
            raise ValueError("damaged tar header (bad checksum)")
        kind = header[156:157]
        size = _tar_number(header[124:136])
        if kind in (b"x", b"g", b"L", b"K"):       # metadata for the next member
            if not 0 <= size <= 1 << 20:
                raise ValueError("damaged tar archive (oversized extended header)")
            data = stream.read(size)
            stream.read(-size % _TAR_BLOCK)
            if kind == b"L":
                long_name = _tar_text(data)
            elif kind == b"K":
                long_link = _tar_text(data)
            else:
                _parse_pax(data, global_pax if kind == b"g" else pax)
            continue
        name = _tar_text(header[0:100])
        link = _tar_text(header[157:257])
        if header[257:263] == b"ustar\0" and header[345:346] != b"\0":   # POSIX prefix
            name = _tar_text(header[345:500]) + "/" + name
        fields = {**global_pax, **pax}
        name = fields.get("path", long_name or name)
        link = fields.get("linkpath", long_link or link)
        if "size" in fields:
            size = int(fields["size"])
        long_name = long_link = None
        pax = {}
        if size < 0:
            raise ValueError("damaged tar header (negative size)")
        is_dir = kind == b"5" or (kind in _TAR_REGULAR and name.endswith("/"))
        has_data = kind not in (b"1", b"2", b"3", b"4", b"5", b"6")
        problem = None
        if not is_dir:
            problem = _unsafe_member(name)
        if problem is None and not is_dir and kind not in _TAR_REGULAR:
            what = _TAR_KINDS.get(kind)
            if what in ("hard link", "symbolic link"):
                problem = f"{what} to {link!r} (not followed)"
            elif what:
                problem = f"{what} member (not read)"
            else:
                problem = f"unsupported tar member type {kind!r}"
        data = b""
        if has_data and size:
            if problem is None and not is_dir:
                budget.take(prefix + _member_name(name), size)
                data = stream.read(size)
                if len(data) < size:
                    raise ValueError("truncated tar archive")
            else:
                _skip_bytes(stream, size)
            stream.read(-size % _TAR_BLOCK)
        if not is_dir:
            yield _TarMember(name, problem), data


def _skip_bytes(stream: _Stream, size: int) -> None:
    while size > 0:
        got = len(stream.read(min(size, 1 << 20)))
        if not got:
            raise ValueError("truncated tar archive")
        size -= got


def _parse_pax(data: bytes, into: dict[str, str]) -> None:
    pos = 0
    while pos < len(data):
        space = data.find(b" ", pos)
        if space < 0:
            break
        length = int(data[pos:space])
        if length <= 0:
            raise ValueError("damaged pax header")
        record = data[space + 1:pos + length - 1]
        key, _, value = record.partition(b"=")
        into[key.decode("utf-8", "replace")] = value.decode("utf-8", "replace")
        pos += length



class _Source:
    """Yields every entry of the corpus in order, and tracks progress."""

    def __init__(self, root: Path, budget: _Budget, bar, exclude: frozenset = frozenset()):
        self.root, self.budget, self.bar, self.exclude = root, budget, bar, exclude
        self.containers: list[tuple[str, bool]] = []   # (path prefix, strip common top?)

    def _container(self, prefix: str, archive: bool) -> int:
        self.containers.append((prefix, archive))
        return len(self.containers) - 1

    def items(self) -> Iterator[_Item]:
        root = self.root
        if root.is_dir():
            files = _walk_folder(root, self.exclude)
            self.bar.reset(total=len(files))
            yield from self._folder(files)
        elif _is_archive_name(root.name):
            yield from self._archive(root, "", bar=True)
        else:
            cid = self._container("", False)
            self.bar.reset(total=1)
            self.budget.take(root.name, root.stat().st_size)
            yield _Item(root.name, root.name, cid, data=root.read_bytes())
            self.bar.update(1)

    def _folder(self, files) -> Iterator[_Item]:
        cid = self._container("", False)
        for rel, abspath, problem in files:
            if problem:
                yield _Item(rel, rel, cid, skip=Skipped(rel, problem, _INVALID))
            elif _is_archive_name(rel):
                yield from self._archive(abspath, rel + "/", bar=False)
            else:
                self.budget.take(rel, abspath.stat().st_size)
                try:
                    data = abspath.read_bytes()
                except OSError as e:
                    yield _Item(rel, rel, cid, skip=Skipped(rel, f"unreadable ({e.strerror})"))
                else:
                    yield _Item(rel, rel, cid, data=data)
            self.bar.update(1)

    def _archive(self, archive: Path, prefix: str, *, bar: bool) -> Iterator[_Item]:
        cid = self._container(prefix, True)
        label = prefix.rstrip("/") or archive.name
        members = 0
        try:
            read = self._zip if archive.name.lower().endswith(".zip") else self._tar
            for item in read(archive, prefix, cid, bar):
                members += 1
                yield item
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib_error) as e:
            if isinstance(e, CorpusError):
                raise
            yield _Item(label, "", cid, skip=Skipped(label, f"unreadable archive ({e})"))
        else:
            if members == 0:   # an archive must not vanish from the accounting
                yield _Item(label, "", cid, skip=Skipped(label, "archive holds no files"))

    def _tar(self, archive: Path, prefix: str, cid: int, bar: bool) -> Iterator[_Item]:
        size = archive.stat().st_size
        with open(archive, "rb") as raw:
            if bar:
                self.bar.reset(total=size)
                self.bar.unit, self.bar.unit_scale = "B", True
            done = 0
            for n, (member, data) in enumerate(_iter_tar(raw, self.budget, prefix)):
                if bar and n % 256 == 0:
                    pos = raw.tell()
                    self.bar.update(pos - done)
                    done = pos
                name = _member_name(member.name)
                path = prefix + name
                if member.problem:
                    yield _Item(path, name, cid, skip=Skipped(path, member.problem, _UNSAFE))
                else:
                    yield _Item(path, name, cid, data=data)
            if bar:
                self.bar.update(size - done)

    def _zip(self, archive: Path, prefix: str, cid: int, bar: bool) -> Iterator[_Item]:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if bar:
                self.bar.reset(total=len(infos))
            for info in infos:
                if bar:
                    self.bar.update(1)
                if info.is_dir():
                    continue
                name = _member_name(info.filename)
                path = prefix + name
                mode = info.external_attr >> 16
                problem = _unsafe_member(info.filename)
                if problem is None:
                    if stat.S_ISLNK(mode):
                        problem = "symbolic link (not followed)"
                    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) \
                            or stat.S_ISSOCK(mode):
                        problem = "device or FIFO member (not read)"
                if problem:
                    yield _Item(path, name, cid, skip=Skipped(path, problem, _UNSAFE))
                    continue
                if info.flag_bits & 0x1:
                    yield _Item(path, name, cid, skip=Skipped(path, "encrypted member"))
                    continue
                self.budget.take(path, info.file_size)
                try:
                    with zf.open(info) as f:
                        data = f.read(info.file_size + 1)
                except (zipfile.BadZipFile, zlib_error, OSError, NotImplementedError) as e:
                    skip = Skipped(path, f"corrupt archive member ({e})")
                    yield _Item(path, name, cid, skip=skip)
                    continue
                yield _Item(path, name, cid, data=data)


# ---------------------------------------------------------------------------------------
# progress
# ---------------------------------------------------------------------------------------


class _NoBar:
    unit, unit_scale = "", False

    def reset(self, total=None):
        pass

    def update(self, n=1):
        pass

    def close(self):
        pass


def _interactive() -> bool:
    """True when a person is likely watching: stderr is a terminal or a Jupyter kernel."""
    try:
        if sys.stderr is not None and sys.stderr.isatty():
            return True
    except (AttributeError, ValueError):
        pass
    ipython = sys.modules.get("IPython")
    shell = getattr(ipython, "get_ipython", lambda: None)() if ipython else None
    return type(shell).__name__ == "ZMQInteractiveShell"


def _progress_bar(show: bool | None, label: str):
    if show is None:
        show = _interactive()
    if not show:
        return _NoBar()
    try:
        import ipywidgets  # noqa: F401
        from tqdm.auto import tqdm
    except ImportError:
        from tqdm import tqdm
    return tqdm(desc=f"Loading {label}", unit="file", leave=False, mininterval=0.3)


# ---------------------------------------------------------------------------------------
# the load itself
# ---------------------------------------------------------------------------------------


def _pool_context():
    """``fork`` on Linux before Python 3.12 (workers start instantly; they run only pure
    Python parsing code); else ``forkserver`` with this module preloaded (3.12+ warns about
    forking a process that has threads, as pyarrow's), else the platform default."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and sys.version_info < (3, 12) and "fork" in methods:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context()


def _check_strict(result: _Result) -> None:
    for s in result.skipped:
        if s.kind != _IGNORED:
            raise CorpusError(s.path, s.reason)
    for w in result.warnings:
        if w.kind in _STRICT_WARNINGS:
            raise CorpusError(w.path, w.message)


def _iter_parsed(source: _Source, opts: _Options, *, strict: bool, workers: int
                 ) -> Iterator[tuple[_Result, tuple[int, str]]]:
    """Read every entry of ``source`` (sequentially, in this process) and yield each file's
    parse result with its place ``(container, rel)``, in corpus order: parsed in-process for
    small corpora, in worker processes once more than a few MB have been read. At most
    about ``2 * workers + 2`` batches of a few MB are in flight, so memory stays bounded."""
    pending: deque = deque()                   # (future or result list, places) in order
    ready: deque = deque()
    batch: list[tuple[str, bytes]] = []
    batch_places: list[tuple[int, str]] = []
    batch_bytes = 0
    read_bytes = 0
    pool: ProcessPoolExecutor | None = None

    def collect(block: bool) -> None:
        while pending and (block or not isinstance(pending[0][0], Future)
                           or pending[0][0].done()):
            item, where = pending.popleft()
            batch_results = item.result() if isinstance(item, Future) else item
            for res, place in zip(batch_results, where):
                if strict:
                    _check_strict(res)
                ready.append((res, place))

    def flush() -> None:
        nonlocal batch, batch_places, batch_bytes, pool
        if not batch:
            return
        if pool is None and workers > 1 and read_bytes > _INPROCESS_BYTES:
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context())
        if pool is not None:
            pending.append((pool.submit(_parse_batch, batch, opts), list(batch_places)))
        else:
            pending.append((_parse_batch(batch, opts), list(batch_places)))
        batch, batch_places, batch_bytes = [], [], 0
        collect(block=len(pending) > 2 * workers + 2)

    try:
        for item in source.items():
            if item.skip is not None:
                flush()
                pending.append(([_Result([], [item.skip], [], 1)], [(item.container, item.rel)]))
                collect(block=False)
            else:
                read_bytes += len(item.data)
                if _detect_format(item.path, opts.fmt) == "parquet":
                    flush()   # Arrow stays in this process
                    pending.append(([_parse_blob(item.path, item.data, opts)],
                                    [(item.container, item.rel)]))
                    collect(block=False)
                else:
                    batch.append((item.path, item.data))
                    batch_places.append((item.container, item.rel))
                    batch_bytes += len(item.data)
                    if batch_bytes >= _BATCH_BYTES:
                        flush()
            while ready:
                yield ready.popleft()
        flush()
        collect(block=True)
        while ready:
            yield ready.popleft()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _parse_all(root: Path, opts: _Options, *, strict: bool, workers: int, budget: _Budget,
               bar, exclude: frozenset = frozenset()
               ) -> tuple[list[_Result], list[list[tuple[int, str]]], _Source]:
    """Parse the whole corpus: every file's result and place, and the source walked."""
    source = _Source(root, budget, bar, exclude)
    results: list[_Result] = []
    places: list[list[tuple[int, str]]] = []   # per result: (container, rel) per entry
    for res, place in _iter_parsed(source, opts, strict=strict, workers=workers):
        results.append(res)
        places.append([place])
    return results, places, source


def _folder_fields(source: _Source, row_places: list[tuple[int, str]]) -> tuple[list, list]:
    """``source`` and ``category`` from the folders of each row's path."""
    tops = _Tops()
    tops.add(row_places)
    return _place_fields(tops.resolve(source.containers), row_places)


class _Tops:
    """Per container, the first folder of its rows' paths when they all share one (it is not
    counted as a source: ``ant-multisource-v2.1/``); built up chunk by chunk."""

    def __init__(self):
        self.firsts: dict[int, set[str]] = {}
        self.nested: dict[int, bool] = {}    # every rel has a folder

    def add(self, row_places) -> None:
        for cid, rel in set(row_places):
            first = self.firsts.setdefault(cid, set())
            if len(first) < 2:
                first.add(rel.split("/", 1)[0])
            self.nested[cid] = self.nested.get(cid, True) and "/" in rel

    def resolve(self, containers: list[tuple[str, bool]]) -> dict[int, str | None]:
        return {cid: next(iter(first)) if containers[cid][1] and len(first) == 1
                and self.nested[cid] else None for cid, first in self.firsts.items()}


def _place_fields(tops: dict[int, str | None], row_places) -> tuple[list, list]:
    memo: dict[tuple[int, str], tuple[str | None, str | None]] = {}
    src, cat = [], []
    for cid, rel in row_places:
        folder = rel.rpartition("/")[0]
        key = (cid, folder)
        got = memo.get(key)
        if got is None:
            parts = [x for x in folder.split("/") if x] if folder else []
            if parts and tops.get(cid) is not None and parts[0] == tops[cid]:
                parts = parts[1:]
            got = memo[key] = (parts[0] if parts else None,
                               "/".join(parts[1:]) if len(parts) > 1 else None)
        src.append(got[0])
        cat.append(got[1])
    return src, cat


def _canonical_case(values: pd.Series) -> pd.Series:
    """Merge spellings that differ only in letter case into the most frequent one."""
    present = values.dropna()
    if present.empty:
        return values
    counts = present.value_counts(sort=False)
    changes = _case_mapping(Counter(counts.to_dict()),
                            {v: i for i, v in enumerate(pd.unique(present))})
    if not changes:
        return values
    return values.map({s: changes.get(s, s) for s in counts.index}).astype(STRING)


def _string_array(values) -> pd.api.extensions.ExtensionArray:
    """Python strings (None = missing) as a ``string[pyarrow]`` array, built by Arrow."""
    array = pd.arrays.ArrowStringArray(pa.chunked_array([pa.array(values, pa.large_string())],
                                                        type=pa.large_string()))
    return array if array.dtype == STRING else array.astype(STRING)


def _build_frame(results: list[_Result], places: list[list[tuple[int, str]]],
                 source: _Source) -> tuple[pd.DataFrame, Counter]:
    frame, formats, row_places = _raw_frame(results, places)
    if len(frame):
        src, cat = _folder_fields(source, row_places)
        for col, derived in (("source", src), ("category", cat)):
            fill = _string_array(derived)
            frame[col] = frame[col].fillna(pd.Series(fill, index=frame.index))
            frame[col] = _canonical_case(frame[col])
    return frame, formats


def _raw_frame(results: list[_Result], places: list[list[tuple[int, str]]]
               ) -> tuple[pd.DataFrame, Counter, list[tuple[int, str]]]:
    """The rows of ``results`` as a frame (source/category only as the records give them),
    the articles per format and each row's place ``(container, rel)``."""
    rows: list[_Row] = []
    row_places: list[tuple[int, str]] = []
    for res, place in zip(results, places):
        rows.extend(res.rows)
        row_places.extend(place * len(res.rows))
    width = len(COLUMNS) + 1
    columns = list(zip(*rows)) if rows else [() for _ in range(width)]
    data: dict[str, Any] = {}
    for i, name in enumerate(COLUMNS):
        values = columns[i]
        if name == "date":
            ints = np.fromiter((_NAT if v is None else v for v in values), dtype=np.int64,
                               count=len(values))
            data[name] = pd.Series(ints.view("datetime64[ns]")).dt.tz_localize("UTC")
        else:
            data[name] = _string_array(values)
    frame = pd.DataFrame(data)
    formats = Counter(columns[len(COLUMNS)])
    return frame, formats, row_places


def _load_uncached(root: Path, opts: _Options, *, strict: bool, workers: int,
                   max_total_bytes: int, progress: bool | None, exclude: frozenset = frozenset()
                   ) -> tuple[pd.DataFrame, LoadReport]:
    started = time.perf_counter()
    bar = _progress_bar(progress, root.name)
    try:
        results, places, source = _parse_all(root, opts, strict=strict, workers=workers,
                                             budget=_Budget(max_total_bytes), bar=bar,
                                             exclude=exclude)
    finally:
        bar.close()
    frame, formats = _build_frame(results, places, source)
    bodies = frame["body"].dropna()
    counts = bodies.value_counts()
    repeated = counts[counts > 1]
    report = LoadReport(
        corpus=str(root),
        seen=sum(r.seen for r in results),
        loaded=len(frame),
        skipped=[s for r in results for s in r.skipped],
        warnings=[w for r in results for w in r.warnings],
        duplicate_bodies=int((repeated - 1).sum()),
        duplicated_texts=int(len(repeated)),
        files=len(results),
        formats=dict(formats.most_common()),
        encodings={str(k): int(v) for k, v in frame["encoding"].value_counts().items()},
    )
    assert report.seen == report.loaded + len(report.skipped), "loader accounting is broken"
    report.seconds = round(time.perf_counter() - started, 3)
    return frame, report


# ---------------------------------------------------------------------------------------
# cache
# ---------------------------------------------------------------------------------------


def _fingerprint(root: Path, opts: _Options, exclude: frozenset = frozenset()) -> str:
    """Hash of the input content, the loader version and the options."""
    h = hashlib.blake2b(digest_size=16)
    h.update(json.dumps([LOADER_VERSION, opts.fmt, opts.encoding, sorted(opts.mapping)])
             .encode())
    if root.is_dir():
        for rel, abspath, problem in _walk_folder(root, exclude):
            h.update(rel.encode("utf-8", "surrogateescape") + b"\0")
            if abspath is None:
                h.update(b"!" + (problem or "").encode() + b"\0")
                continue
            _hash_file(h, abspath)
    else:
        h.update(root.name.encode("utf-8", "surrogateescape") + b"\0")
        _hash_file(h, root)
    return h.hexdigest()


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _hash_file(h, path: Path) -> None:
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    h.update(b"\0\0")


def _cache_prefix(root: Path) -> str:
    name = R.RE_UNSAFE_FILENAME_CHARS.sub("_", root.name)[:40] or "corpus"
    where = hashlib.blake2b(str(root).encode("utf-8", "surrogateescape"), digest_size=4)
    return f"corpus-{name}-{where.hexdigest()}-"


def _atomic_parquet(table: pa.Table, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="lz4")   # fastest to read back
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)                   # mkstemp makes it private
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def _write_cache(target: Path, frame: pd.DataFrame, report: LoadReport) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[_REPORT_KEY] = json.dumps(report.to_dict(), ensure_ascii=False).encode()
    _atomic_parquet(table.replace_schema_metadata(meta), target)


def _read_cache(target: Path) -> tuple[pd.DataFrame, LoadReport] | None:
    try:
        table = pq.read_table(target)
        meta = table.schema.metadata or {}
        report = LoadReport.from_dict(json.loads(meta[_REPORT_KEY]))
        frame = table.to_pandas()
    except (OSError, KeyError, ValueError, pa.ArrowException):
        return None
    return _conform(frame), report


def _conform(frame: pd.DataFrame) -> pd.DataFrame:
    """Enforce the contract dtypes and column order."""
    out = {}
    for name in COLUMNS:
        col = frame[name]
        if name == "date":
            out[name] = col.astype(DATE) if col.dtype != DATE else col
        else:
            out[name] = col if col.dtype == STRING else col.astype(STRING)
    rest = [c for c in frame.columns if c not in COLUMNS]
    result = pd.DataFrame(out)
    for c in rest:
        result[c] = frame[c]
    return result.reset_index(drop=True)


def _prepare(path, *, fmt, encoding, mapping, workers) -> tuple[Path, _Options, int]:
    """Check the loader options: (resolved root, options, number of workers)."""
    root = Path(path).expanduser()
    if not root.exists():
        raise FileNotFoundError(f"no corpus at {path}")
    root = root.resolve()
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    if encoding is not None:
        codecs.lookup(encoding)   # LookupError for an unknown codec
    mapping = dict(mapping or {})
    unknown = set(mapping) - set(_MAPPABLE)
    if unknown:
        raise ValueError(f"mapping keys must be among {_MAPPABLE}, not {sorted(unknown)}")
    opts = _Options(fmt, encoding, tuple(sorted((k, str(v)) for k, v in mapping.items())))
    workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
    return root, opts, workers


def load_corpus(
    path: str | os.PathLike,
    *,
    strict: bool = False,
    mapping: Mapping[str, str] | None = None,
    fmt: str | None = None,
    encoding: str | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike | None = None,
    progress: bool | None = None,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    workers: int | None = None,
) -> tuple[pd.DataFrame, LoadReport]:
    """Load a corpus (file, folder or archive) into one DataFrame of articles.

    Args:
        path: a file, a folder or a ``.zip`` / ``.tar`` / ``.tar.gz`` / ``.tgz`` archive.
        strict: raise :class:`CorpusError` (naming the file and the reason) at the first
            invalid file or record or undecodable byte, instead of skipping and reporting
            it. READMEs, hidden files and unsupported file types are still just skipped.
        mapping: our column -> the corpus' field name, for fields not recognised by
            :data:`FIELD_ALIASES`, e.g. ``{"body": "nass", "title": "onwan"}``.
        fmt: force a format for every file: one of :data:`FORMATS`.
        encoding: force a Python codec for every text file instead of detecting it.
        cache: reuse / store the parsed corpus as Parquet (see the module docstring).
        cache_dir: where the cache lives (default ``helpers.paths.PROCESSED``).
        progress: show a progress bar; ``None`` shows it only in a terminal or Jupyter.
        max_total_bytes: bound on the bytes read (uncompressed); beyond it
            :class:`CorpusError` is raised.
        workers: processes parsing files (default: every core); small corpora are parsed
            in this process.

    A shard folder written by :func:`write_shards` is read back whole (with the report it
    was written with), without the cache.

    Returns:
        ``(articles, report)``: a DataFrame with the columns of :data:`COLUMNS` and a
        :class:`LoadReport`.

    >>> articles, report = load_corpus("data/raw/sample", cache=False)   # doctest: +SKIP
    >>> articles.loc[0, ["title", "dateline"]].tolist()                  # doctest: +SKIP
    ['حفتر والسراج في موسكو لبحث مبادرة وقف إطلاق النار', 'موسكو']
    """
    root, opts, workers = _prepare(path, fmt=fmt, encoding=encoding, mapping=mapping,
                                   workers=workers)
    if _is_shard_folder(root):
        return _load_shards(root)

    folder = Path(cache_dir) if cache_dir is not None else paths.PROCESSED
    exclude = frozenset(  # derived data is never part of a corpus (load_corpus("data"))
        (st.st_dev, st.st_ino) for st in (_stat(d) for d in {folder, paths.PROCESSED}) if st)
    target = None
    if cache:
        started = time.perf_counter()
        key = _fingerprint(root, opts, exclude)
        target = folder / f"{_cache_prefix(root)}{key}.parquet"
        if target.exists():
            hit = _read_cache(target)
            if hit is not None:
                frame, report = hit
                if strict:
                    _check_strict(_Result([], report.skipped, report.warnings, 0))
                report.from_cache, report.cache_path, report.fingerprint = True, str(target), key
                report.seconds = round(time.perf_counter() - started, 3)
                return frame, report

    frame, report = _load_uncached(root, opts, strict=strict, workers=workers,
                                   max_total_bytes=max_total_bytes, progress=progress,
                                   exclude=exclude)
    if target is not None:
        report.fingerprint = key
        try:
            _write_cache(target, frame, report)
            report.cache_path = str(target)
            for old in target.parent.glob(_cache_prefix(root) + "*.parquet"):
                if old != target:
                    with suppress(OSError):
                        old.unlink()
        except OSError as e:
            _warnings.warn(f"could not write the corpus cache {target}: {e}", stacklevel=2)
    return frame, report


# ---------------------------------------------------------------------------------------
# derived DataFrames for later notebooks
# ---------------------------------------------------------------------------------------


def _processed_path(name: str, directory: str | os.PathLike | None) -> Path:
    stem = name[:-8] if name.endswith(".parquet") else name
    if not R.RE_PROCESSED_NAME.match(stem):
        raise ValueError(f"not a plain file name: {name!r} (letters, digits, _ . - only)")
    return Path(directory if directory is not None else paths.PROCESSED) / f"{stem}.parquet"


def save_processed(df: pd.DataFrame, name: str, *,
                   directory: str | os.PathLike | None = None) -> Path:
    """Store a derived DataFrame as ``data/processed/<name>.parquet``, atomically.

    Dtypes, the index and list columns (e.g. tokens) survive the round trip through
    :func:`load_processed`.

    Args:
        df: the DataFrame (not modified).
        name: a plain file name such as ``"01-clean"`` (``.parquet`` is added).
        directory: another folder than ``helpers.paths.PROCESSED`` (tests).

    Returns:
        The path written.

    >>> save_processed(pd.DataFrame({"title": ["خبر"]}), "demo")     # doctest: +SKIP
    PosixPath('.../data/processed/demo.parquet')
    """
    target = _processed_path(name, directory)
    _atomic_parquet(pa.Table.from_pandas(df), target)
    return target


def load_processed(name: str, *, directory: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read back a DataFrame stored with :func:`save_processed`.

    Args:
        name: the name given to :func:`save_processed`.
        directory: another folder than ``helpers.paths.PROCESSED``.

    Returns:
        The DataFrame, with list columns as Python lists.

    >>> load_processed("demo")["title"].tolist()                      # doctest: +SKIP
    ['خبر']
    """
    target = _processed_path(name, directory)
    if not target.exists():
        raise FileNotFoundError(f"{target} does not exist: run the notebook that saves "
                                f"{name!r} first")
    table = pq.read_table(target)
    frame = table.to_pandas()
    for name_, typ in zip(table.column_names, table.schema.types):
        if name_ in frame.columns and (pa.types.is_list(typ) or pa.types.is_large_list(typ)):
            frame[name_] = pd.Series(table.column(name_).to_pylist(), index=frame.index,
                                     dtype=object)
    return frame


#: Token caches kept per folder (the most recently used ones; each is one tokenisation of
#: one text column with one set of options).
TOKEN_CACHES_KEPT = 8


@lru_cache(maxsize=1)
def _tokenizer_fingerprint() -> bytes:
    """Hash of the code and word list tokens depend on: a change to either is a new cache."""
    from importlib.metadata import version

    from . import cleaning, resources, tokens

    h = hashlib.blake2b(digest_size=16)
    for module in (tokens, cleaning, resources):
        h.update(Path(module.__file__).read_bytes())
    h.update(version("arabic-stopwords").encode())
    return h.digest()


def cached_tokens(text: pd.Series, *, cache_dir: str | os.PathLike | None = None,
                  **options: Any) -> pd.Series:
    """:func:`helpers.tokenize` of a text column, kept on disk for the next notebook or session.

    The cache is keyed by a hash of the texts themselves, the options and the tokenizer's
    code, so a changed corpus, subset, option or tokenizer never reads stale tokens. Reading
    ANT's 7.9 million tokens back takes a fraction of a second, against seconds to
    normalise and tokenise. The :data:`TOKEN_CACHES_KEPT` most recently used files are kept.

    Args:
        text: Series of str (e.g. ``articles["body"]``).
        cache_dir: folder of the cache files (default ``data/processed/``).
        **options: passed to :func:`helpers.tokenize` (``preset``, ``stopwords``, ...).

    Returns:
        What ``tokenize(text, **options)`` returns (same index and name).

    >>> tokens = cached_tokens(articles["body"], stopwords=True)   # doctest: +SKIP
    """
    from .cleaning import _to_arrow
    from .tokens import TOKEN_LISTS, tokenize

    if not isinstance(text, pd.Series):
        raise TypeError(f"cached_tokens needs a pandas Series of texts, got {type(text).__name__}")
    folder = Path(cache_dir) if cache_dir is not None else paths.PROCESSED
    h = hashlib.blake2b(_tokenizer_fingerprint(), digest_size=16)
    h.update(repr(sorted((k, sorted(v) if isinstance(v, (set, frozenset)) else v)
                         for k, v in options.items())).encode("utf-8", "surrogateescape"))
    # the texts' UTF-8 bytes straight from the Arrow buffers, then every text's length
    # (-1 for a missing one): the same texts give the same hash however they are chunked
    lengths = []
    for chunk in _to_arrow(text).chunks:
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64,
                                count=chunk.offset + len(chunk) + 1)[chunk.offset:]
        if len(chunk):
            h.update(memoryview(chunk.buffers()[2])[offsets[0]:offsets[-1]])
        size = np.diff(offsets)
        if chunk.null_count:
            size[chunk.is_null().to_numpy(zero_copy_only=False)] = -1
        lengths.append(size)
    h.update(np.concatenate([np.zeros(0, dtype=np.int64)] + lengths).tobytes())
    target = folder / f"tokens-{h.hexdigest()}.parquet"
    try:
        column = pq.read_table(target).column(0)
        if len(column) == len(text) and column.type.equals(TOKEN_LISTS):
            column = column.cast(TOKEN_LISTS)  # the field's name: Parquet says "element"
            os.utime(target)  # recently used
            return pd.Series(pd.arrays.ArrowExtensionArray(column), index=text.index,
                             name=text.name, copy=False)
    except (OSError, ValueError, pa.ArrowException):
        pass
    tokens = tokenize(text, **options)
    try:
        _atomic_parquet(pa.table({"tokens": tokens.array.__arrow_array__()}), target)
        old = sorted(folder.glob("tokens-*.parquet"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[TOKEN_CACHES_KEPT:]:
            with suppress(OSError):
                stale.unlink()
    except OSError as err:
        _warnings.warn(f"could not write the token cache {target}: {err}", stacklevel=2)
    return tokens


# ---------------------------------------------------------------------------------------
# shards: corpora larger than memory
# ---------------------------------------------------------------------------------------

#: The manifest a shard folder holds (what :func:`write_shards` wrote, and the load report).
SHARD_MANIFEST = "_shards.json"
_SHARD_FORMAT = 1
_SHARD_NAME = "part-{:05d}.parquet"
#: Default articles per shard: about 35 MB of text and a few hundred MB once tokenised.
DEFAULT_SHARD_ROWS = 10_000
_PLACE_COLUMNS = ("_cid", "_rel")


def _is_shard_folder(root: Path) -> bool:
    return root.is_dir() and (root / SHARD_MANIFEST).is_file()


def _shard_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / SHARD_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise CorpusError(str(folder), f"not a shard folder ({e})") from None
    if manifest.get("format") != _SHARD_FORMAT:
        raise CorpusError(str(folder), "shards written by another version; write them again")
    return manifest


def shard_paths(folder: str | os.PathLike) -> list[Path]:
    """The Parquet shards of a folder written by :func:`write_shards`, in corpus order.

    Args:
        folder: the shard folder.

    Returns:
        The shard files (``part-00000.parquet``, ...), which is what Dask or any Parquet
        reader is pointed at.

    >>> [p.name for p in shard_paths("data/processed/ant-shards")][:2]   # doctest: +SKIP
    ['part-00000.parquet', 'part-00001.parquet']
    """
    folder = Path(folder)
    return [folder / name for name in _shard_manifest(folder)["shards"]]


def shard_report(folder: str | os.PathLike) -> LoadReport:
    """The :class:`LoadReport` of the corpus a shard folder was written from."""
    return LoadReport.from_dict(_shard_manifest(Path(folder))["report"])


def _read_shard(path: Path, start: int, columns: list[str] | None = None) -> pd.DataFrame:
    frame = pq.read_table(path, columns=columns).to_pandas()
    if columns is None and all(c in frame.columns for c in COLUMNS):
        frame = _conform(frame)
    frame.index = pd.RangeIndex(start, start + len(frame))
    return frame


def iter_shards(folder: str | os.PathLike, *, columns: list[str] | None = None
                ) -> Iterator[pd.DataFrame]:
    """The articles of a shard folder, one DataFrame per shard (see :func:`iter_corpus`)."""
    folder = Path(folder)
    manifest = _shard_manifest(folder)
    start = 0
    for name, rows in zip(manifest["shards"], manifest["rows"]):
        yield _read_shard(folder / name, start, columns)
        start += rows


def iter_corpus(
    path: str | os.PathLike,
    *,
    chunk_size: int = DEFAULT_SHARD_ROWS,
    columns: list[str] | None = None,
    **options: Any,
) -> Iterator[pd.DataFrame]:
    """Read a corpus chunk by chunk, in bounded memory: DataFrames of the usual schema.

    Concatenated, the chunks are exactly ``load_corpus(path)[0]`` (same rows, order,
    values and dtypes; each chunk's index continues the previous one). A shard folder
    (:func:`write_shards`) is read shard by shard; any other input is first written as
    shards to a temporary folder, deleted at the end -- one parsing pass in bounded
    memory, because the sources and categories read from folders, and the merging of their
    letter-case spellings, depend on the whole corpus.

    Args:
        path: a corpus (anything :func:`load_corpus` accepts) or a shard folder.
        chunk_size: articles per chunk (when the shards are written here).
        columns: read only these columns (shard folders; e.g. ``["source", "body"]``).
        **options: passed to :func:`write_shards` (``strict``, ``mapping``, ``fmt``, ...).

    Yields:
        DataFrames with the columns of :data:`COLUMNS` (or ``columns``).

    >>> sum(len(chunk) for chunk in iter_corpus(paths.ANT_ARCHIVE))   # doctest: +SKIP
    31525
    """
    root = Path(path).expanduser()
    if _is_shard_folder(root):
        yield from iter_shards(root, columns=columns)
        return
    with tempfile.TemporaryDirectory(prefix="corpus-shards-") as tmp:
        write_shards(root, tmp, shard_rows=chunk_size, **options)
        yield from iter_shards(tmp, columns=columns)


def write_shards(
    path: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    shard_rows: int = DEFAULT_SHARD_ROWS,
    strict: bool = False,
    mapping: Mapping[str, str] | None = None,
    fmt: str | None = None,
    encoding: str | None = None,
    progress: bool | None = None,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    workers: int | None = None,
) -> tuple[list[Path], LoadReport]:
    """Parse a corpus into Parquet shards of ``shard_rows`` articles, in bounded memory.

    The corpus is parsed as by :func:`load_corpus` (same options, same values), but only
    about one shard of articles is held at a time (shards hold at most ``shard_rows``
    articles; the records of one file are parsed together, so a single file must fit in
    memory). Folder-derived sources and categories and the
    merging of letter-case spellings need the whole corpus: each shard is written raw, and
    those two columns are fixed in a second, light pass over the shards. The folder then
    holds ``part-00000.parquet``, ... and :data:`SHARD_MANIFEST` (shard list, row counts
    and the :class:`LoadReport`). ``load_corpus(out_dir)`` reads it back whole,
    :func:`iter_corpus` shard by shard, ``dask.dataframe.read_parquet`` in parallel.

    Args:
        path: the corpus (file, folder or archive).
        out_dir: folder for the shards (created; earlier shards in it are replaced).
        shard_rows: articles per shard.
        strict, mapping, fmt, encoding, progress, max_total_bytes, workers: as for
            :func:`load_corpus`.

    Returns:
        ``(shard paths, report)``; the report is the one :func:`load_corpus` gives
        (duplicate bodies are counted from 64-bit hashes of the bodies).

    >>> shards, report = write_shards(paths.ANT_ARCHIVE, "/tmp/ant")   # doctest: +SKIP
    >>> len(shards), report.loaded                                      # doctest: +SKIP
    (4, 31525)
    """
    if shard_rows < 1:
        raise ValueError("shard_rows must be at least 1")
    root, opts, workers = _prepare(path, fmt=fmt, encoding=encoding, mapping=mapping,
                                   workers=workers)
    if _is_shard_folder(root):
        raise ValueError(f"{path} is already a shard folder")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in list(out.glob("part-*.parquet")) + [out / SHARD_MANIFEST]:
        with suppress(OSError):
            old.unlink()
    started = time.perf_counter()
    folder = paths.PROCESSED
    exclude = frozenset((st.st_dev, st.st_ino) for st in (_stat(d) for d in {folder, out}) if st)
    bar = _progress_bar(progress, root.name)
    source = _Source(root, _Budget(max_total_bytes), bar, exclude)
    tops = _Tops()
    report = LoadReport(corpus=str(root))
    formats: Counter = Counter()
    hashes: list[np.ndarray] = []
    raw: list[tuple[Path, int]] = []
    results: list[_Result] = []
    places: list[list[tuple[int, str]]] = []
    pending_rows = 0

    def flush() -> None:
        nonlocal results, places, pending_rows
        if not results:
            return
        frame, fmts, row_places = _raw_frame(results, places)
        formats.update(fmts)
        tops.add(row_places)
        if len(frame):
            bodies = frame["body"].dropna()
            hashes.append(pd.util.hash_array(bodies.to_numpy(dtype=object)))
            frame["_cid"] = np.array([c for c, _ in row_places], dtype=np.int32)
            frame["_rel"] = _string_array([r for _, r in row_places])
            for start in range(0, len(frame), shard_rows):   # a big file spans shards
                part = frame.iloc[start:start + shard_rows]
                target = out / f".raw-{len(raw):05d}.parquet"
                _atomic_parquet(pa.Table.from_pandas(part, preserve_index=False), target)
                raw.append((target, len(part)))
        results, places, pending_rows = [], [], 0

    try:
        for res, place in _iter_parsed(source, opts, strict=strict, workers=workers):
            report.seen += res.seen
            report.files += 1
            report.skipped.extend(res.skipped)
            report.warnings.extend(res.warnings)
            if res.rows:
                results.append(res)
                places.append([place])
                pending_rows += len(res.rows)
                if pending_rows >= shard_rows:
                    flush()
        flush()
    finally:
        bar.close()

    # second pass: folder-derived fields with the whole corpus' common top folder, then the
    # letter-case spellings merged over the whole corpus (as _canonical_case does)
    resolved = tops.resolve(source.containers)
    spellings = {"source": Counter(), "category": Counter()}
    first_seen: dict[str, dict[str, int]] = {"source": {}, "category": {}}

    def fields(table: pa.Table) -> dict[str, pd.Series]:
        frame = table.select(["source", "category", *_PLACE_COLUMNS]).to_pandas()
        places_ = list(zip(frame["_cid"].tolist(), frame["_rel"].tolist()))
        derived = _place_fields(resolved, places_)
        return {col: frame[col].astype(STRING).fillna(
                    pd.Series(_string_array(values), index=frame.index))
                for col, values in zip(("source", "category"), derived)}

    for target, _ in raw:
        for col, values in fields(pq.read_table(target, columns=["source", "category",
                                                                *_PLACE_COLUMNS])).items():
            present = values.dropna()
            spellings[col].update(present.value_counts(sort=False).to_dict())
            for v in pd.unique(present):
                first_seen[col].setdefault(v, len(first_seen[col]))
    mappings = {col: _case_mapping(spellings[col], first_seen[col]) for col in spellings}
    names, rows = [], []
    encodings: Counter = Counter()
    for n, (target, count) in enumerate(raw):
        table = pq.read_table(target)
        fixed = fields(table)
        frame = table.drop_columns(list(_PLACE_COLUMNS)).to_pandas()
        for col in ("source", "category"):
            values = fixed[col]
            if mappings[col]:
                values = values.map(lambda v, m=mappings[col]: m.get(v, v) if isinstance(v, str)
                                    else v).astype(STRING)
            frame[col] = values
        frame = _conform(frame)
        encodings.update(frame["encoding"].value_counts().to_dict())
        name = _SHARD_NAME.format(n)
        _atomic_parquet(pa.Table.from_pandas(frame, preserve_index=False), out / name)
        target.unlink()
        names.append(name)
        rows.append(count)

    every = np.concatenate(hashes) if hashes else np.empty(0, dtype=np.uint64)
    _, counts = np.unique(every, return_counts=True)
    report.loaded = int(sum(rows))
    report.duplicate_bodies = int((counts[counts > 1] - 1).sum())
    report.duplicated_texts = int((counts > 1).sum())
    report.formats = dict(formats.most_common())
    report.encodings = {str(k): int(v) for k, v in encodings.most_common()}
    assert report.seen == report.loaded + len(report.skipped), "loader accounting is broken"
    report.seconds = round(time.perf_counter() - started, 3)
    manifest = {"format": _SHARD_FORMAT, "loader_version": LOADER_VERSION, "shards": names,
                "rows": rows, "report": report.to_dict()}
    tmp = out / f".{SHARD_MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, out / SHARD_MANIFEST)
    return [out / name for name in names], report


def cached_shards(
    path: str | os.PathLike,
    *,
    cache_dir: str | os.PathLike | None = None,
    shard_rows: int = DEFAULT_SHARD_ROWS,
    **options: Any,
) -> Path:
    """The corpus as Parquet shards in the cache folder, written the first time (reused
    while the input is unchanged, keyed like the :func:`load_corpus` cache).

    Args:
        path: the corpus (or a shard folder, returned as it is).
        cache_dir: where the shard folder goes (default ``helpers.paths.PROCESSED``).
        shard_rows: articles per shard.
        **options: ``mapping``, ``fmt``, ``encoding``, ``strict``, ``workers``, ``progress``
            as for :func:`write_shards`.

    Returns:
        The shard folder (``<cache>/shards-<name>-<hash>``).

    >>> cached_shards("../data/raw").name                    # doctest: +SKIP
    'shards-raw-0f0f91ea-c76fbb38...'
    """
    root = Path(path).expanduser().resolve()
    if _is_shard_folder(root):
        return root
    _, opts, _ = _prepare(root, fmt=options.get("fmt"), encoding=options.get("encoding"),
                          mapping=options.get("mapping"), workers=options.get("workers"))
    folder = Path(cache_dir) if cache_dir is not None else paths.PROCESSED
    exclude = frozenset((st.st_dev, st.st_ino) for st in (_stat(d) for d in {folder}) if st)
    key = _fingerprint(root, opts, exclude) + f"-{shard_rows}"
    prefix = "shards-" + _cache_prefix(root)[len("corpus-"):]
    target = folder / f"{prefix}{key}"
    if _is_shard_folder(target):
        return target
    write_shards(root, target, shard_rows=shard_rows, **options)
    for old in folder.glob(prefix + "*"):
        if old != target and _is_shard_folder(old):
            for f in old.iterdir():
                with suppress(OSError):
                    f.unlink()
            with suppress(OSError):
                old.rmdir()
    return target


def write_frames(frames: Iterable[pd.DataFrame], out_dir: str | os.PathLike, *,
                 report: LoadReport | None = None) -> list[Path]:
    """Write DataFrames, one shard each, as a shard folder (e.g. a cleaned corpus).

    Args:
        frames: DataFrames in corpus order (the index is not stored).
        out_dir: the folder (created; earlier shards in it are replaced).
        report: the load report to keep in the manifest (default: a report of the rows).

    Returns:
        The shard paths.

    >>> write_frames([pd.DataFrame({"body": ["خبر"]})], "/tmp/s")   # doctest: +SKIP
    [PosixPath('/tmp/s/part-00000.parquet')]
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in list(out.glob("part-*.parquet")) + [out / SHARD_MANIFEST]:
        with suppress(OSError):
            old.unlink()
    names, rows = [], []
    for n, frame in enumerate(frames):
        name = _SHARD_NAME.format(n)
        _atomic_parquet(pa.Table.from_pandas(frame, preserve_index=False), out / name)
        names.append(name)
        rows.append(len(frame))
    if report is None:
        report = LoadReport(corpus=str(out), seen=sum(rows), loaded=sum(rows), files=len(names))
    manifest = {"format": _SHARD_FORMAT, "loader_version": LOADER_VERSION, "shards": names,
                "rows": rows, "report": report.to_dict()}
    tmp = out / f".{SHARD_MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, out / SHARD_MANIFEST)
    return [out / name for name in names]


def read_shards_dask(folder: str | os.PathLike, *, columns: list[str] | None = None):
    """A shard folder as a ``dask.dataframe`` (one partition per shard, in corpus order).

    Args:
        folder: a folder written by :func:`write_shards` or :func:`write_frames`; it must
            be readable at the same path by every Dask worker (a shared disk).
        columns: read only these columns.

    Returns:
        A ``dask.dataframe.DataFrame``.

    >>> read_shards_dask("/tmp/ant", columns=["source", "body"]).npartitions   # doctest: +SKIP
    4
    """
    import dask.dataframe as dd

    files = [str(p) for p in shard_paths(folder)]
    return dd.read_parquet(files, columns=columns, split_row_groups=False,
                           aggregate_files=False, index=False)


def _case_mapping(counts: Counter, order: dict[str, int]) -> dict[str, str]:
    """Spelling -> the most frequent spelling differing only in letter case (ties: the first
    met), as :func:`_canonical_case` does; only the spellings that change."""
    best: dict[str, tuple[int, int, str]] = {}
    for spelling, n in counts.items():
        key = spelling.casefold()
        rank = (-int(n), order[spelling], spelling)
        if key not in best or rank < best[key]:
            best[key] = rank
    return {s: best[s.casefold()][2] for s in counts if best[s.casefold()][2] != s}


def _load_shards(root: Path) -> tuple[pd.DataFrame, LoadReport]:
    """A whole shard folder as one DataFrame, with the report it was written with."""
    started = time.perf_counter()
    report = shard_report(root)
    frames = list(iter_shards(root))
    frame = (pd.concat(frames, ignore_index=True) if frames
             else _conform(pd.DataFrame({c: pd.Series(dtype=STRING if c != "date" else DATE)
                                         for c in COLUMNS})))
    report.from_cache, report.seconds = True, round(time.perf_counter() - started, 3)
    return frame, report
