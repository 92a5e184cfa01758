"""The articles table and the load report: columns, dtypes, skips, warnings.

One definition of what a load produces: :data:`COLUMNS` with their dtypes,
:class:`CorpusError`, and the :class:`LoadReport` with its :class:`Skipped` and
:class:`LoadWarning` entries (names shown escaped, :func:`visible`); the parse
:class:`Options` and one file's :class:`Result`. Also the small value helpers every format
shares (a field value as clean text, text valid for the table, names and suffixes, a frame
conformed to the contract). The field names recognised in records are :mod:`.fields`. See
``docs/corpus-formats.md`` for the whole specification.
"""

from __future__ import annotations

import html as _html
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

COLUMNS = (
    "id", "source", "category", "date", "date_raw", "title", "body", "url", "author",
    "abstract", "dateline", "path", "encoding",
)
#: Every column except ``date`` is Arrow-backed text with ``pd.NA`` for missing values;
#: ``date_raw`` is the date text as it appeared in the record (missing when it had none),
#: kept whether or not it could be read.
STRING = pd.StringDtype("pyarrow")
DATE = "datetime64[ns, UTC]"

#: Default bound on the bytes read (uncompressed) in one load: 4 GiB.
DEFAULT_MAX_TOTAL_BYTES = 4 * 2**30

# skip kinds: "ignored" (not article data: READMEs, hidden files, unsupported types) never
# raise; "invalid" (unreadable or malformed input) and "unsafe" (archive members that
# escape the archive) raise with strict=True.
IGNORED, INVALID, UNSAFE = "ignored", "invalid", "unsafe"
# warning kinds that raise with strict=True: data changed or guessed, not just noted
# (undecodable bytes or lone surrogates replaced, a date present but unreadable, a TREC
# field never closed whose extent was guessed)
STRICT_WARNINGS = frozenset({"replaced_bytes", "replaced_surrogates", "bad_date",
                             "unclosed_tag"})


#: Unicode categories :func:`visible` writes as escapes: controls (Cc), format characters
#: (Cf: bidi embeddings, overrides, isolates and marks, zero-width characters), line and
#: paragraph separators (Zl, Zp) and lone surrogates (Cs).
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def _escape_char(c: str) -> str:
    n = ord(c)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def visible(name: str) -> str:
    """A file name (or any text shown in a message) with its invisible characters written as
    escapes, so that none of them can reorder or break the text around it.

    Controls, format characters (U+202E RIGHT-TO-LEFT OVERRIDE, isolates, zero-width
    characters), line and paragraph separators and lone surrogates become ``\\xNN`` /
    ``\\uNNNN``; everything else, Arabic included, is unchanged. For display only: the data
    keeps the real name.

    ``visible("خبر\u202etxt.exe")`` -> ``"خبر\\u202etxt.exe"``
    """
    if name.isprintable():
        return name
    return "".join(_escape_char(c) if unicodedata.category(c) in INVISIBLE_CATEGORIES else c
                   for c in name)


class CorpusError(ValueError):
    """A corpus (or one of its files) cannot be loaded; names the file and the reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{visible(path)}: {visible(reason)}")   # path/reason: as they are
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
    kind: str = INVALID

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
        date_forms: dates read per form (``{"rfc2822": 31525}``; the forms are listed in
            ``docs/corpus-formats.md``, "Dates"); dates_unread: date values present but
            not read (each is also a ``bad_date`` warning naming the file and record).
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
    date_forms: dict[str, int] = field(default_factory=dict)
    dates_unread: int = 0
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
            f"LoadReport: {visible(self.corpus)}{origin}",
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
        if self.date_forms or self.dates_unread:
            lines.append("  dates: " + self._dates_text())
        if self.skipped:
            lines.append("  skipped:")
            lines += [f"    {visible(s.path)}: {visible(s.reason)}"
                      for s in self.skipped[:limit]]
            if len(self.skipped) > limit:
                lines.append(f"    ... and {len(self.skipped) - limit:,} more")
        if self.warnings:
            counts = ", ".join(f"{k} {v:,}" for k, v in self.warning_counts.most_common())
            lines.append(f"  warnings: {counts}")
            lines += [f"    {visible(w.path)}: {visible(w.message)}"
                      for w in self.warnings[:limit]]
            if len(self.warnings) > limit:
                lines.append(f"    ... and {len(self.warnings) - limit:,} more")
        return lines

    def _dates_text(self) -> str:
        parts = [f"{k} {v:,}" for k, v in self.date_forms.items()]
        if self.dates_unread:
            parts.append(f"unread {self.dates_unread:,}")
        return ", ".join(parts)

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
            ("dates", self._dates_text()),
            ("seconds", f"{self.seconds:.2f}"),
        ]
        body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
        parts = [f"<div><strong>{head}</strong><table>{body}</table>"]
        for title, entries in (("Skipped", self.skipped), ("Warnings", self.warnings)):
            if entries:
                items = "".join(
                    f'<li><code dir="auto"><bdi>{esc(visible(e.path))}</bdi></code>: '
                    f'<bdi dir="auto">{esc(visible(list(e)[1]))}</bdi></li>'
                    for e in entries[:20]
                )
                more = f"<li>... and {len(entries) - 20:,} more</li>" if len(entries) > 20 else ""
                parts.append(f"<details><summary>{title} ({len(entries):,})</summary>"
                             f"<ul>{items}{more}</ul></details>")
        parts.append("</div>")
        return "".join(parts)


class Options(NamedTuple):
    """How the files of one load are parsed: ``fmt=``, ``encoding=`` and ``mapping=`` of
    :func:`~helpers.corpus.load_corpus`, and what is left of the byte bound."""

    fmt: str | None
    encoding: str | None
    mapping: tuple[tuple[str, str], ...]
    # bytes a file may still expand to (what is left of max_total_bytes); None: no bound.
    # Set per file by the caller (parse.iter_parsed for Parquet); the cache key holds the
    # bound it comes from (cache.fingerprint)
    max_bytes: int | None = None


def clean_text(value: Any, *, joiner: str = ", ") -> str | None:
    """A field value as stripped text; ``None`` when missing or empty."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        text = value
    elif isinstance(value, (list, tuple)):
        parts = [clean_text(v, joiner=joiner) for v in value]
        text = joiner.join(p for p in parts if p)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, bytes):
        text = value.decode("utf-8", errors="replace")
    else:
        text = str(value)
    text = text.strip()
    return text or None


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))



Row = tuple
#: What each row tuple built by ``parser.Parser.add`` holds: the columns (``date`` as the
#: record gave it, text or number or datetime: ``parse.raw_frame`` reads the whole column
#: at once), then the file's format and the record's place in its file (``line 3``).
ROW_FIELDS = ("id", "source", "category", "date", "title", "body", "url", "author",
              "abstract", "dateline", "path", "encoding", "format", "where")


class Result(NamedTuple):
    rows: list[Row]
    skipped: list[Skipped]
    warnings: list[LoadWarning]
    seen: int


#: Text (characters) above which :func:`string_array` writes the UTF-8 bytes itself.
_DIRECT_TEXT = 1 << 20


def string_array(values) -> pd.api.extensions.ExtensionArray:
    """Python strings (None = missing) as a ``string[pyarrow]`` array.

    Large text columns (bodies) are encoded here into one buffer of the exact size
    (:func:`_utf8_array`): Arrow's own conversion leaves a UTF-8 copy inside every
    non-ASCII Python string it reads (CPython caches it in the string) and grows its buffer
    by doubling, about three times the text in memory at once.
    """
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        array = values.cast(pa.large_string())
    else:
        values = values if isinstance(values, (list, tuple)) else list(values)
        present = [v for v in values if v is not None]
        if sum(map(len, present)) > _DIRECT_TEXT and all(type(v) is str for v in present):
            array = _utf8_array(values)
        else:
            array = pa.array(values, pa.large_string())
    if isinstance(array, pa.Array):
        array = pa.chunked_array([array], type=pa.large_string())
    array = pd.arrays.ArrowStringArray(array)
    return array if array.dtype == STRING else array.astype(STRING)


def _utf8_array(values: list | tuple) -> pa.Array:
    """Strings (or None) as a ``large_string`` Arrow array: the lengths first, then every
    value encoded into its place (no copy of the text is kept beside the buffer)."""
    n = len(values)
    valid = np.fromiter((v is not None for v in values), dtype=bool, count=n)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.fromiter((len(v.encode()) if v is not None else 0 for v in values),
                          dtype=np.int64, count=n), out=offsets[1:])
    data = bytearray(int(offsets[-1]))
    with memoryview(data) as view:
        for v, start, stop in zip(values, offsets[:-1].tolist(), offsets[1:].tolist()):
            if v:
                view[start:stop] = v.encode()
    nulls = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data),
                                            nulls, null_count=int(n - valid.sum()))


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """Enforce the contract dtypes and column order."""
    out = {}
    if "date_raw" not in frame.columns:       # frames cached before the column existed
        frame = frame.assign(date_raw=pd.Series(pd.NA, index=frame.index, dtype=STRING))
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


def is_archive_name(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def basename(path: str) -> str:
    return path.rpartition("/")[2]


def suffix(name: str) -> str:
    """``.txt`` for ``a.txt``; ``""`` for ``README`` and ``.hidden``."""
    return "." + name.rpartition(".")[2] if "." in name.lstrip(".") else ""


def inner_name(name: str) -> str:
    """The name of a compressed file without its compression suffix (``a.json`` for
    ``a.json.gz``); other names unchanged."""
    low = name.lower()
    for ext in COMPRESSED_SUFFIXES:
        if low.endswith(ext) and len(name) > len(ext):
            return name[: -len(ext)]
    return name


def stem(path: str) -> str:
    name = inner_name(basename(path))
    ext = suffix(name)
    return name[: -len(ext)] if ext else name



#: What may not enter the articles table as it is: C0 controls other than TAB and LF (CR
#: becomes LF), DEL, the C1 controls and lone surrogates (U+D800-U+DFFF: JSON's "\ud800"
#: escapes, file names that are not UTF-8), which Arrow cannot store as UTF-8.
RE_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_RE_SURROGATE = re.compile("[\ud800-\udfff]")
_RE_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
#: Control characters that separate lines become LF; every other one is removed.
_CONTROL_MAP = str.maketrans({
    **{chr(c): None for c in range(0x20) if c not in (0x09, 0x0A)},
    "\x0b": "\n",   # LINE TABULATION (vertical tab)
    "\x0c": "\n",   # FORM FEED (page break)
    "\x1c": "\n",   # INFORMATION SEPARATOR FOUR (file separator)
    "\x1d": "\n",   # INFORMATION SEPARATOR THREE (group separator)
    "\x1e": "\n",   # INFORMATION SEPARATOR TWO (record separator)
    "\x7f": None,    # DELETE
    **{chr(c): None for c in range(0x80, 0xA0)},   # C1 controls
    "\x85": "\n",   # NEXT LINE (NEL)
})


def valid_text(text: str) -> tuple[str, int]:
    """``text`` as it may enter the table, and the number of lone surrogates replaced.

    CR and CR LF become LF; VT, FF, the separators U+001C-U+001E and NEL become LF; other
    C0/C1 control characters and DEL are removed (they carry no text); a surrogate pair
    is joined into its character and a lone surrogate becomes U+FFFD (counted, so the
    caller can report it). Format characters such as bidi marks are kept.

    ``valid_text("خبر\x00 عاجل\ud800")`` -> ``("خبر عاجل\ufffd", 1)``
    """
    if not RE_NOT_TEXT.search(text):
        return text, 0
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return valid_name(text.translate(_CONTROL_MAP))


def valid_name(name: str) -> tuple[str, int]:
    """A file's ``path`` or a record's ``id`` as it may enter the table, and the number of
    lone surrogates replaced: the real name kept as data, control characters included
    (reports and pages show them escaped, :func:`visible`); only what cannot be stored
    changes: a surrogate pair is joined into its character and a lone surrogate becomes
    U+FFFD (counted, so the caller can report it).

    ``valid_name("خبر\x07.txt\ud800")`` -> ``("خبر\x07.txt\ufffd", 1)``
    """
    if not _RE_SURROGATE.search(name):
        return name, 0
    name = _RE_SURROGATE_PAIR.sub(
        lambda m: m.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), name)
    return _RE_SURROGATE.subn("\ufffd", name)


def check_strict(result: Result) -> None:
    """Raise :class:`CorpusError` (path, reason) for the first skip that is not ``ignored``
    or the first warning of a kind in :data:`STRICT_WARNINGS`."""
    for s in result.skipped:
        if s.kind != IGNORED:
            raise CorpusError(s.path, s.reason)
    for w in result.warnings:
        if w.kind in STRICT_WARNINGS:
            raise CorpusError(w.path, w.message)



ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz",
                     ".txz", ".tar.zst", ".tzst")
#: Single compressed files (``articles.json.gz``): the name without the suffix decides
#: the format.
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz", ".zst")

