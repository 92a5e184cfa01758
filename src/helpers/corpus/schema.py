"""The articles table and the load report: columns, dtypes, field names, skips, warnings.

One definition of what a load produces: :data:`COLUMNS` with their dtypes, the field names
recognised in records (:data:`FIELD_ALIASES`), :class:`CorpusError`, and the
:class:`LoadReport` with its :class:`Skipped` and :class:`LoadWarning` entries. Also the small
value helpers every format shares (a field value as clean text, a frame conformed to the
contract). See ``docs/corpus-formats.md`` for the whole specification.
"""

from __future__ import annotations

import html as _html
import json
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pandas as pd
import pyarrow as pa

from .. import resources as R

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
MAPPABLE = tuple(FIELD_ALIASES)

#: Formats accepted by ``fmt=`` (and detected from file extensions below).

# skip kinds: "ignored" (not article data: READMEs, hidden files, unsupported types) never
# raise; "invalid" (unreadable or malformed input) and "unsafe" (archive members that
# escape the archive) raise with strict=True.
IGNORED, INVALID, UNSAFE = "ignored", "invalid", "unsafe"
# warning kinds that raise with strict=True
STRICT_WARNINGS = frozenset({"replaced_bytes"})


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
        if self.date_forms or self.dates_unread:
            lines.append("  dates: " + self._dates_text())
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
                    f'<li><code dir="auto">{esc(e.path)}</code>: '
                    f'<span dir="auto">{esc(list(e)[1])}</span></li>'
                    for e in entries[:20]
                )
                more = f"<li>... and {len(entries) - 20:,} more</li>" if len(entries) > 20 else ""
                parts.append(f"<details><summary>{title} ({len(entries):,})</summary>"
                             f"<ul>{items}{more}</ul></details>")
        parts.append("</div>")
        return "".join(parts)



class Options(NamedTuple):
    fmt: str | None
    encoding: str | None
    mapping: tuple[tuple[str, str], ...]


def norm_key(name: Any) -> str:
    return R.RE_FIELD_SEPARATORS.sub("_", str(name).strip().lower())


_ALIAS_INDEX = {col: tuple(norm_key(a) for a in names) for col, names in FIELD_ALIASES.items()}


_RESOLVED: dict[tuple, dict[str, Any]] = {}


def resolve_fields(keys: tuple, mapping: tuple[tuple[str, str], ...]) -> dict[str, Any]:
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
        normalised.setdefault(norm_key(k), k)
    resolved: dict[str, Any] = {}
    explicit = dict(mapping)
    for col in MAPPABLE:
        if col in explicit:   # the explicit field when the record has it, else aliases
            theirs = explicit[col]
            if theirs in keys:
                resolved[col] = theirs
                continue
            if norm_key(theirs) in normalised:
                resolved[col] = normalised[norm_key(theirs)]
                continue
        for alias in _ALIAS_INDEX[col]:
            if alias in normalised:
                resolved[col] = normalised[alias]
                break
    # one source field feeds one column only (explicit mapping wins, then column order)
    used: set = set()
    for col in sorted(MAPPABLE, key=lambda c: c not in explicit):
        if col in resolved:
            if resolved[col] in used:
                del resolved[col]
            else:
                used.add(resolved[col])
    return resolved


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
#: What each row tuple built by ``formats.Parser.add`` holds: the columns (``date`` as the
#: record gave it, text or number or datetime: ``parse.raw_frame`` reads the whole column
#: at once), then the file's format and the record's place in its file (``line 3``).
ROW_FIELDS = ("id", "source", "category", "date", "title", "body", "url", "author",
              "abstract", "dateline", "path", "encoding", "format", "where")



class Result(NamedTuple):
    rows: list[Row]
    skipped: list[Skipped]
    warnings: list[LoadWarning]
    seen: int


def string_array(values) -> pd.api.extensions.ExtensionArray:
    """Python strings (None = missing) as a ``string[pyarrow]`` array, built by Arrow."""
    array = pd.arrays.ArrowStringArray(pa.chunked_array([pa.array(values, pa.large_string())],
                                                        type=pa.large_string()))
    return array if array.dtype == STRING else array.astype(STRING)


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


def stem(path: str) -> str:
    name = basename(path)
    ext = suffix(name)
    return name[: -len(ext)] if ext else name



def check_strict(result: Result) -> None:
    for s in result.skipped:
        if s.kind != IGNORED:
            raise CorpusError(s.path, s.reason)
    for w in result.warnings:
        if w.kind in STRICT_WARNINGS:
            raise CorpusError(w.path, w.message)



ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz",
                     ".txz")

