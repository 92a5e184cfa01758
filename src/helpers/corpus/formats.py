"""One file's bytes to articles: the seed ``.txt`` layout, TREC, JSON, JSON Lines, CSV/TSV
and Parquet; HTML pages and RSS/Atom feeds (:mod:`.web`) and Excel (:mod:`.sheets`) are
dispatched from here (runs in worker processes; never raises for bad input, it skips and
reports).
"""

from __future__ import annotations

import csv
import html as _html
import itertools
import json
import math
import re
import xml.parsers.expat
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .. import resources as R
from .decoding import binary_reason, bom_less_utf16, decode_bytes
from .schema import (
    FIELD_ALIASES, IGNORED, INVALID, RE_NOT_TEXT, ROW_FIELDS, LoadWarning, Options, Result,
    Row, Skipped, basename, clean_text, inner_name, is_archive_name, is_missing, norm_key,
    resolve_fields, stem, suffix, unmapped_reason, valid_text,
)
from .sheets import SHEET_FORMATS, parse_workbook
from .web import (
    WEB_FORMATS, declared_charset, html_to_text, markup_format, parse_feed, parse_html,
)

FORMATS = ("txt", "trec", "json", "jsonl", "csv", "tsv", "parquet", "html", "rss", "atom",
           "xlsx", "xls")
EXTENSIONS = {
    "": "text", ".txt": "text", ".text": "text", ".xml": "trec", ".sgml": "trec",
    ".sgm": "trec", ".trec": "trec",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl",
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet", ".pq": "parquet",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".rss": "rss", ".atom": "atom", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls",
}

def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    return R.RE_ENTITY.sub(lambda m: _html.unescape(m.group(0)), text)


class Parser:
    """Collects the rows, skips and warnings of one file."""

    def __init__(self, path: str, encoding: str | None, fmt: str, opts: Options):
        # a name not UTF-8 is recovered by sources.py; here only a last safety net
        self.path, self.encoding, self.fmt, self.opts = valid_text(path)[0], encoding, fmt, opts
        self.rows: list[Row] = []
        self.skipped: list[Skipped] = []
        self.warnings: list[LoadWarning] = []
        self.seen = 0

    def warn(self, message: str, kind: str) -> None:
        self.warnings.append(LoadWarning(self.path, valid_text(message)[0], kind))

    def skip(self, reason: str, kind: str = INVALID) -> None:
        self.seen += 1
        self.skipped.append(Skipped(self.path, valid_text(reason)[0], kind))

    def mark(self) -> tuple[int, int, int, int]:
        """Where the collected rows, skips, warnings and count stand (see :meth:`fail`)."""
        return len(self.rows), len(self.skipped), len(self.warnings), self.seen

    def fail(self, mark: tuple[int, int, int, int], where: str, error: BaseException) -> None:
        """Undo what one record added since ``mark`` and skip it, with the error's message."""
        rows, skipped, warnings, self.seen = mark
        del self.rows[rows:], self.skipped[skipped:], self.warnings[warnings:]
        self.skip(f"{where}: skipped, reading it failed ({describe_error(error)})")

    def add(self, *, id, source=None, category=None, date=None, title=None, body=None,
            url=None, author=None, abstract=None, dateline=None, where: str = "") -> None:
        """Add one article; ``body`` None means the record has no body field at all."""
        self.seen += 1
        prefix = f"{where}: " if where else ""
        if body is None:
            self.warn(f"{prefix}no body", "empty_body")
        elif not body:
            self.warn(f"{prefix}empty body", "empty_body")
        if dateline is None and body:
            m = R.RE_DATELINE.match(body)
            if m:
                dateline = m.group("dateline")
        # the date as found (read with the whole column by parse.raw_frame), and where the
        # record is, for its warnings: see schema.ROW_FIELDS
        self.rows.append((id, source, category, date, title, body, url, author, abstract,
                          dateline, self.path, self.encoding, self.fmt, where))

    def add_record(self, record: Mapping, fields: dict[str, Any], n: int, where: str) -> None:
        """Add one record (JSON object, CSV row, Parquet row, TREC document) through the
        field mapping; an error while building it skips that record alone (with its number
        and the error's message), never the file."""
        mark = self.mark()
        try:
            self._add_record(record, fields, n, where)
        except Exception as e:              # noqa: BLE001 -- one bad record, not the file
            self.fail(mark, where or f"record {n}", e)

    def _add_record(self, record: Mapping, fields: dict[str, Any], n: int, where: str) -> None:
        values = {col: record.get(key) for col, key in fields.items()}
        title = clean_text(values.get("title"))
        body = None
        if "body" in fields:
            raw = values.get("body")
            body = clean_text(raw, joiner="\n")
            if body is None and not is_missing(raw):
                body = ""                       # present but empty: "" (missing: NA)
        if title is None and not body:
            self.skip(f"{where}: no title or body" if where else "no title or body")
            return
        ident = clean_text(values.get("id")) or f"{self.path}#{n}"
        self.add(
            id=ident, source=clean_text(values.get("source")),
            category=clean_text(values.get("category")), date=values.get("date"),
            title=title, body=_newlines(body) if body else body,
            url=clean_text(values.get("url")), author=clean_text(values.get("author")),
            abstract=clean_text(values.get("abstract"), joiner="\n"),
            dateline=clean_text(values.get("dateline")), where=where,
        )

    def result(self) -> Result:
        """What was collected, every row checked by :meth:`valid_row`."""
        return Result([self.valid_row(row) for row in self.rows], self.skipped,
                      self.warnings, self.seen)

    def valid_row(self, row: Row) -> Row:
        """``row`` with its text values valid, plain text (:func:`valid_text`: control
        characters removed, lone surrogates replaced and reported), other values as text,
        and a date found as text or a container made valid text too: every row reaches
        Arrow and pickles back from a worker process."""
        for i in _TEXT_AT:
            v = row[i]
            if v is not None and (type(v) is not str or RE_NOT_TEXT.search(v)):
                break
        else:
            date = row[_DATE_AT]
            if not isinstance(date, (str, list, tuple, dict, set)) or (
                    type(date) is str and not RE_NOT_TEXT.search(date)):
                return row
        values, replaced = list(row), 0
        for i in (*_TEXT_AT, _DATE_AT):
            v = values[i]
            if v is None or (i == _DATE_AT and not isinstance(v, (str, list, tuple, dict, set))):
                continue
            v, n = valid_text(v if type(v) is str else clean_text(v) or "")
            replaced += n
            values[i] = v.strip() or ("" if i == _BODY_AT else None)
        if replaced:
            where = row[_WHERE_AT] if _WHERE_AT is not None else ""
            self.warn(f"{where + ': ' if where else ''}{replaced:,} lone surrogate(s) (not "
                      "Unicode text: a JSON \\ud800 escape, ...) replaced by U+FFFD",
                      "replaced_surrogates")
        return tuple(values)


# positions in a row (schema.ROW_FIELDS) of the text values checked by Parser.valid_row
_TEXT_AT = tuple(i for i, f in enumerate(ROW_FIELDS)
                 if f not in ("date", "path", "encoding", "format", "where"))
_DATE_AT, _BODY_AT = ROW_FIELDS.index("date"), ROW_FIELDS.index("body")
_WHERE_AT = ROW_FIELDS.index("where") if "where" in ROW_FIELDS else None


def describe_error(error: BaseException) -> str:
    """An unexpected error for a report: ``ValueError: message`` (cut to 200 characters)."""
    if isinstance(error, RecursionError):
        return "nested too deep (RecursionError)"
    text = str(error)
    return f"{type(error).__name__}: {text[:200]}" if text else type(error).__name__


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


# ---------------------------------------------------------------------------------------
# what is read at all: decided from the name, then from the first bytes, before the rest
# of a file is read (sources.py asks; parse_blob gives the same answers)
# ---------------------------------------------------------------------------------------

#: Bytes of a file read before deciding to read the rest: the sample that
#: :func:`binary_reason` examines (so a file gets the answer its whole content would get);
#: :func:`markup_format` needs less.
HEAD_BYTES = 65_536

#: Types that are never articles: skipped by name, never opened.
NOT_ARTICLE_SUFFIXES = frozenset({
    # images
    ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".ico",
    ".svg", ".psd", ".raw",
    # audio and video
    ".mp3", ".wav", ".ogg", ".oga", ".flac", ".m4a", ".aac", ".wma", ".mp4", ".m4v", ".mov",
    ".avi", ".mkv", ".webm", ".wmv", ".flv", ".mpg", ".mpeg", ".3gp", ".ts",
    # documents not parsed here, e-books
    ".pdf", ".doc", ".docx", ".odt", ".rtf", ".ppt", ".pptx", ".odp", ".ods", ".epub",
    # programs, libraries, disk images, databases, fonts
    ".exe", ".dll", ".so", ".dylib", ".msi", ".apk", ".dmg", ".iso", ".img", ".bin",
    ".class", ".jar", ".pyc", ".o", ".db", ".sqlite", ".ttf", ".otf", ".woff", ".woff2",
    # archive formats not read
    ".7z", ".rar",
})


def hidden_or_system(path: str) -> bool:
    """Hidden files (``.DS_Store``) and what macOS adds to archives (``__MACOSX/``)."""
    return basename(path).startswith(".") or "__MACOSX" in path.split("/")


def skip_by_name(path: str, opts: Options) -> Skipped | None:
    """Why a file is not read at all, judged by its name alone: hidden or system files,
    documentation, types that are never articles (:data:`NOT_ARTICLE_SUFFIXES`, also when
    compressed: ``clip.mp4.gz``). None: it is opened (a type not known by name is then
    judged by its first bytes, :func:`skip_by_head`).

    ``skip_by_name("clips/نشرة.mp4", opts).reason`` -> ``"unsupported file type '.mp4'"``
    """
    name = basename(path)
    if hidden_or_system(path):
        return Skipped(path, "hidden or system file", IGNORED)
    if R.RE_DOC_FILE.match(name):
        return Skipped(path, "documentation file (README, LICENSE, ...), not an article",
                       IGNORED)
    inner = inner_name(name)
    if suffix(inner).lower() in NOT_ARTICLE_SUFFIXES:
        return Skipped(path, f"unsupported file type {suffix(inner) + name[len(inner):]!r}",
                       IGNORED)
    if detect_format(path, opts.fmt) is None and is_archive_name(inner):
        return Skipped(path, "archive inside an archive (not opened)", IGNORED)
    return None


def skip_by_head(path: str, head: bytes, opts: Options) -> Skipped | None:
    """Why a file is not read past ``head``, its first :data:`HEAD_BYTES` (the whole file
    when shorter): a type not known by its name that is not a page or a feed
    (:func:`markup_format`), or binary content (the reason :func:`parse_blob` gives the
    whole file). None: the file is read whole.

    ``skip_by_head("clip", b"\x00\x00\x00\x18ftypmp42", opts).reason`` ->
    ``"binary file (contains NUL bytes)"``
    """
    fmt = detect_format(path, opts.fmt)
    if fmt is None:
        if markup_format(head):
            return None
        name = inner_name(basename(path))
        return Skipped(path, f"unsupported file type {suffix(name) or name!r}", IGNORED)
    if fmt == "parquet" or fmt in SHEET_FORMATS or opts.encoding or not head \
            or any(head.startswith(b) for b, _ in R.BOMS):
        return None
    sample = head
    if len(head) >= HEAD_BYTES:          # cut: end on a whole UTF-16 code unit and pair
        sample = head[:HEAD_BYTES - 4]
    if bom_less_utf16(sample[:len(sample) - len(sample) % 2]):
        return None
    reason = binary_reason(head)
    return Skipped(path, reason) if reason else None


def parse_blob(path: str, data: bytes, opts: Options) -> Result:
    """Parse one file's bytes into articles. Never raises: bad input is skipped or warned
    about, and an unexpected error while parsing skips the whole file with its message."""
    try:
        return _parse_blob(path, data, opts)
    except Exception as e:              # noqa: BLE001 -- one bad file, not the load
        p = Parser(path, None, detect_format(path, opts.fmt) or "", opts)
        p.skip(f"skipped, parsing it failed ({describe_error(e)})")
        return p.result()


def _parse_blob(path: str, data: bytes, opts: Options) -> Result:
    name = basename(path)
    fmt = detect_format(path, opts.fmt)
    p = Parser(path, None, fmt or "", opts)
    skip = skip_by_name(path, opts)
    if skip is not None:
        p.skip(skip.reason, skip.kind)
        return p.result()
    if not data:
        p.skip("empty file")
        return p.result()
    if not opts.fmt and (fmt in ("text", "trec") or fmt is None and not is_archive_name(name)):
        fmt = markup_format(data) or fmt      # pages and feeds, known by their root element
    if fmt is None:
        ext = suffix(inner_name(name)) or name
        if is_archive_name(name):
            p.skip("archive inside an archive (not opened)", IGNORED)
        else:
            p.skip(f"unsupported file type {ext!r}", IGNORED)
        return p.result()
    if fmt == "parquet":
        return _parse_parquet(p, data)
    if fmt in SHEET_FORMATS:
        parse_workbook(p, data)
        return p.result()
    text, encoding, replaced = None, None, 0
    if not opts.encoding and not any(data.startswith(b) for b, _ in R.BOMS):
        utf16 = bom_less_utf16(data)
        if utf16:
            text, encoding = data.decode(utf16), utf16
        else:
            reason = binary_reason(data)
            if reason:
                p.skip(reason)
                return p.result()
    if text is None:
        forced = opts.encoding or (declared_charset(data) if fmt in WEB_FORMATS else None)
        decoded = decode_bytes(data, forced)
        text, encoding, replaced = decoded.text, decoded.encoding, decoded.replaced
        for kind, message in decoded.notes:   # encoding_guess, mixed_encoding
            p.warn(message, kind)
    p.encoding = encoding
    if replaced:
        p.warn(f"{replaced:,} undecodable byte(s) replaced by U+FFFD (read as {encoding})",
               "replaced_bytes")
    text = _newlines(text)
    if not text or text.isspace():          # (no stripped copy of a large text)
        p.skip("empty file (whitespace only)")
        return p.result()
    if fmt == "text":
        if _RE_MARKUP_START.match(text) and R.RE_TREC_DOC_OPEN.search(text):
            fmt = "trec"
        else:
            fmt = "txt"
    p.fmt = fmt
    parse = {"txt": _parse_seed, "trec": _parse_trec, "json": _parse_json,
             "jsonl": _parse_jsonl, "csv": _parse_csv, "tsv": _parse_csv,
             "html": parse_html, "rss": parse_feed, "atom": parse_feed}[fmt]
    parse(p, text)
    if p.seen == 0:
        p.skip("no articles in file")
    return p.result()


# where a text starts after white space; a line holding only white space (seed layout)
_RE_SPACE = re.compile(r"\s*")
_RE_BLANK_LINE = re.compile(r"[^\S\n]*(?:\n|\Z)")
# a text opening with markup (after white space)
_RE_MARKUP_START = re.compile(r"\s*<")


def _end_of_text(text: str, start: int, end: int) -> int:
    """Where ``text[start:end]`` ends once trailing white space is stripped."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _parse_seed(p: Parser, text: str) -> None:
    """Seed layout: headline line, blank line, body. The body is cut out of ``text`` by
    position (one copy, however long it is)."""
    start = _RE_SPACE.match(text).end()
    end = len(text)
    while end > start and text[end - 1] == "\n":
        end -= 1
    nl = text.find("\n", start, end)
    if nl >= 0 and nl + 1 < end and not _RE_BLANK_LINE.match(text, nl + 1, end):
        p.warn("no headline (the first line is not followed by a blank line); "
               "the whole text is the body", "no_headline")
        title, body = None, text[start:_end_of_text(text, start, end)]
    elif nl < 0:
        title, body = text[start:end].strip() or None, ""
    else:
        at = _RE_SPACE.match(text, nl + 1, end).end()
        title, body = text[start:nl].strip() or None, text[at:_end_of_text(text, at, end)]
    p.add(id=stem(p.path), title=title, body=body)


#: Field tags TREC documents are known to use (any case), besides every name of
#: FIELD_ALIASES and of ``mapping=``: a field never closed runs to the next of these (or to
#: the end of the document), not to the next tag, which may be markup inside its text.
TREC_FIELDS = frozenset({
    "docno", "docid", "docoldno", "url", "src", "cat", "title", "time", "author",
    "abstract", "text", "headline", "hl", "head", "date", "date_time", "dateline", "byline",
    "leadpara", "lp", "source", "section", "summary", "body", "header", "pub", "page",
    "profile", "graphic", "keywords", "language", "subject", "type", "note",
} | {norm_key(alias) for names in FIELD_ALIASES.values() for alias in names})

#: Any tag in a TREC document: 1 closing name; or 2 opening name, 3 attributes, 4 "/".
_RE_TREC_TAG = re.compile(
    r"<(?:/\s*([A-Za-z][\w.:-]*)\s*|([A-Za-z][\w.:-]*)((?:\s[^<>]*?)?)(/?))>")


def _cdata(value: str) -> str:
    """CDATA content is literal: protect its "&" from the entity decoding that follows
    (one pass: an unclosed section ends the search instead of rescanning the rest)."""
    out, pos = [], 0
    while True:
        start = value.find("<![CDATA[", pos)
        end = value.find("]]>", start + 9) if start >= 0 else -1
        if end < 0:
            break
        out += [value[pos:start], value[start + 9:end].replace("&", "&amp;")]
        pos = end + 3
    out.append(value[pos:])
    return "".join(out)


def _closed_fields(doc: str) -> TrecFields | None:
    """:func:`trec_fields` for the common case, every field closed as spelt (the fast
    path: ``str.find``); None at the first field that is not (nothing is rescanned: each
    search starts past the previous field)."""
    fields: dict[str, Any] = {}          # a repeated field's values as a list
    plain = True
    pos = steps = 0
    find_open = R.RE_TREC_FIELD_OPEN.search
    while True:
        m = find_open(doc, pos)
        if m is None:
            break
        steps += 1
        name, attributes, slash = m.groups()
        if slash:                              # self-closing <AUTHOR/>
            plain = False
            value, pos = "", m.end()
        else:
            at = doc.find(f"</{name}>", m.end())
            if at < 0:
                return None
            value, pos = doc[m.end():at], at + len(name) + 3
            if attributes:
                plain = False
        if "<" in value:
            plain = False
            if "<![CDATA[" in value:
                value = _cdata(value)
        key = name.lower()
        got = fields.get(key)
        if got is None:
            fields[key] = value
        elif type(got) is list:
            got.append(value)
        else:
            fields[key] = [got, value]
    if plain and doc.count("<") != 2 * len(fields):
        plain = False
    for key, value in fields.items():
        if type(value) is list:
            value = "\n".join(value)
        if "&" in value:
            value = _unescape(value)
        fields[key] = value
    return TrecFields(fields, plain, [], steps)


class TrecFields(NamedTuple):
    """The top-level fields of one TREC document, as :func:`trec_fields` reads them."""
    fields: dict[str, str]    # lower-case tag -> value (entities decoded)
    plain: bool               # plainly well-formed (no XML check needed)
    unclosed: list[str]       # tags never closed, in order
    steps: int                # tags visited + closing tags passed over: linear in the tags


def trec_fields(doc: str, known: frozenset = TREC_FIELDS) -> TrecFields:
    """Top-level ``<TAG>value</TAG>`` fields of one document, read tolerantly, in one pass.

    A field runs to the first closing tag of its name (same spelling first, else any case
    and spacing); a tag never closed runs to the next tag named in ``known`` or to the end
    of the document (and is listed in ``unclosed``); a repeated tag is joined with a
    newline; entities are decoded. ``plain`` says whether the markup is *plainly*
    well-formed (every field closed in the same case, no attributes, no other ``<``), which
    lets the caller skip the XML parser for the common case. The work is linear in the
    document even when no tag is ever closed: a document whose every field is closed as
    spelt is read by :func:`_closed_fields` (each character scanned once); any other is
    read from one regex pass over its tags, every closing tag passed over at most once.

    ``trec_fields("<TITLE>خبر</TITLE><TEXT>نص <b>عاجل</b>").fields`` ->
    ``{"title": "خبر", "text": "نص <b>عاجل</b>"}`` (``unclosed == ["TEXT"]``)
    """
    closed = _closed_fields(doc)
    if closed is not None:
        return closed
    tags = list(_RE_TREC_TAG.finditer(doc))
    exact: dict[str, list[int]] = {}     # closing tags by name as spelt (no spaces)
    anycase: dict[str, list[int]] = {}   # closing tags by lower-case name
    for i, tag in enumerate(tags):
        name = tag.group(1)
        if name is not None:
            if tag.end() - tag.start() == len(name) + 3:
                exact.setdefault(name, []).append(i)
            anycase.setdefault(name.lower(), []).append(i)
    passed: dict[tuple[bool, str], int] = {}   # per list: closing tags already passed over
    steps = 0

    def next_close(table: dict[str, list[int]], key: str, after: int) -> int | None:
        nonlocal steps
        found = table.get(key)
        if not found:
            return None
        k = passed.get((table is exact, key), 0)
        while k < len(found) and found[k] <= after:   # ``after`` only grows: linear
            k += 1
            steps += 1
        passed[(table is exact, key)] = k
        return found[k] if k < len(found) else None

    parts: dict[str, list[str]] = {}
    unclosed: list[str] = []
    is_known: dict[str, bool] = {}       # tag name -> in ``known``
    plain = True
    i, n = 0, len(tags)
    while i < n:
        steps += 1
        tag = tags[i]
        name = tag.group(2)
        if name is None:                       # a closing tag with no field open
            plain = False
            i += 1
            continue
        if tag.group(3) or tag.group(4):
            plain = False
        if tag.group(4):                       # self-closing <AUTHOR/>
            value, i = "", i + 1
        else:
            j = next_close(exact, name, i)
            if j is None:
                plain = False
                j = next_close(anycase, name.lower(), i)
            if j is not None:
                value, i = doc[tag.end():tags[j].start()], j + 1
            else:
                plain = False
                unclosed.append(name)
                k = i + 1
                while k < n:
                    other = tags[k].group(2)
                    if other is not None:
                        hit = is_known.get(other)
                        if hit is None:
                            hit = is_known[other] = norm_key(other) in known
                        if hit:
                            break
                    k += 1
                    steps += 1
                value = doc[tag.end():tags[k].start() if k < n else len(doc)]
                i = k
        if "<" in value:
            plain = False
            if "<![CDATA[" in value:
                value = _cdata(value)
        parts.setdefault(name.lower(), []).append(value)
    if plain and doc.count("<") != 2 * len(parts):
        plain = False
    fields = {key: _unescape("\n".join(values)) for key, values in parts.items()}
    return TrecFields(fields, plain, unclosed, steps)


def _xml_problem(doc: str) -> str | None:
    """Why ``doc`` is not well-formed XML (expat's message), or None."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(doc, True)
    except xml.parsers.expat.ExpatError as e:
        return f"{xml.parsers.expat.ErrorString(e.code)} at line {e.lineno}, column {e.offset + 1}"
    return None


def _parse_trec(p: Parser, text: str) -> None:
    """TREC ``<DOC>`` documents, several per file allowed, malformed XML tolerated.

    Every document is checked for XML well-formedness (expat, only when the markup is not
    plainly well-formed); a malformed one is read anyway and reported as a warning, and so
    is a field never closed (read up to the next known field tag, see :func:`trec_fields`).
    """
    opens = list(R.RE_TREC_DOC_OPEN.finditer(text))
    if not opens:
        p.skip("no <DOC> elements")
        return
    known = TREC_FIELDS | {norm_key(name) for _, name in p.opts.mapping}
    single = len(opens) == 1
    line = 1
    last = 0
    for n, m in enumerate(opens, 1):
        end = opens[n].start() if n < len(opens) else len(text)
        close = R.RE_TREC_DOC_CLOSE.search(text, m.end(), end)
        stop = close.end() if close else end
        where = "" if single else f"<DOC> {n}"
        inner = text[m.end():close.start() if close else end]
        fields, plain, unclosed, _ = trec_fields(inner, known)
        if not (plain and close is not None and m.group(0) == "<DOC>"
                and close.group(0) == "</DOC>" and "&" not in inner
                and not R.RE_XML_ILLEGAL.search(inner)):
            problem = _xml_problem(text[m.start():stop])
            if problem:
                line += text.count("\n", last, m.start())
                last = m.start()
                if line > 1:
                    problem = R.RE_AT_LINE.sub(
                        lambda g, line=line: f"at line {int(g.group(1)) + line - 1}", problem)
                p.warn(f"{where + ': ' if where else ''}malformed XML, {problem}; "
                       "fields read by the tolerant parser", "malformed_xml")
        if unclosed:
            tags = ", ".join(f"<{tag}>" + (f" ({count:,} times)" if count > 1 else "")
                             for tag, count in Counter(unclosed).items())
            p.warn(f"{where + ': ' if where else ''}{tags} never closed; read up to the next "
                   "known field tag or the end of the document", "unclosed_tag")
        resolved = resolve_fields(tuple(fields), p.opts.mapping)
        if "id" not in resolved:
            fields["\0id"] = stem(p.path) if single else f"{p.path}#{n}"
            resolved["id"] = "\0id"
        p.add_record(fields, resolved, n, where)


def _json_constant(name: str) -> Any:
    """JSON's non-standard ``NaN`` is a missing value; ``Infinity`` and ``-Infinity`` stay
    text (an unreadable date, not a crash)."""
    return math.nan if name == "NaN" else name


def _json_int(digits: str) -> int | str:
    """An integer; beyond Python's digit limit for int() its digits as text (an id)."""
    return int(digits) if len(digits) <= _INT_DIGITS else digits


_INT_DIGITS = 4000      # below sys.get_int_max_str_digits() (4300 by default)
#: JSON text skipped over: strings (escapes included) and brackets.
_RE_JSON_SKIP = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_RE_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def json_loads(text: str) -> Any:
    """``json.loads`` that never fails on valid JSON: integers too long for Python stay
    text, ``NaN`` is missing and ``Infinity`` text (see :func:`_json_constant`). Raises
    ``json.JSONDecodeError`` (invalid JSON) and ``RecursionError`` (nested too deep)."""
    try:
        return json.loads(text, parse_constant=_json_constant)
    except json.JSONDecodeError:
        raise
    except ValueError:                  # an integer beyond Python's digit limit
        return json.loads(text, parse_constant=_json_constant, parse_int=_json_int)


def _json_value_end(text: str, pos: int) -> int:
    """End of the array or object starting at ``pos`` (brackets counted, strings skipped;
    linear, no recursion). Raises ValueError when it never ends."""
    depth = 0
    for m in _RE_JSON_SKIP.finditer(text, pos):
        token = m.group()
        if token[0] == '"':
            continue
        depth += 1 if token in "[{" else -1
        if depth == 0:
            return m.end()
    raise ValueError("an array or object never closed")


def _json_array_items(p: Parser, text: str) -> Iterator[tuple[int, Any]]:
    """The elements of a top-level JSON array one by one, for a file whose whole parse
    failed on nesting: an element nested too deep is skipped and reported (by number), the
    others are yielded; invalid JSON after that ends the file (reported too)."""
    decoder = json.JSONDecoder(parse_constant=_json_constant, parse_int=_json_int)
    space = _RE_JSON_SPACE.match
    pos = space(text).end()
    if text[pos:pos + 1] != "[":
        p.skip("JSON nested too deep to read (more levels than Python's recursion limit)")
        return
    pos = space(text, pos + 1).end()
    if text[pos:pos + 1] == "]":
        return
    n = 0
    while True:
        n += 1
        try:
            try:
                value, pos = decoder.raw_decode(text, pos)
            except RecursionError:
                pos = _json_value_end(text, pos)
                p.skip(f"record {n}: nested too deep to read (more levels than Python's "
                       "recursion limit)")
            else:
                yield n, value
            pos = space(text, pos).end()
            sep = text[pos:pos + 1]
            if sep == "]":
                return
            if sep != ",":
                raise ValueError(f"expected ',' or ']' at character {pos}")
            pos = space(text, pos + 1).end()
        except ValueError as e:
            p.skip(f"record {n} and after: invalid JSON ({getattr(e, 'msg', e)})")
            return


#: ``version`` of a JSON Feed (https://jsonfeed.org/version/1.1); its ``items`` are articles.
JSON_FEED_VERSION = "https://jsonfeed.org/version/"
_FEED_FIELDS = {col: col for col in ("id", "url", "title", "body", "abstract", "date",
                                     "author", "category", "source")}


def _feed_record(item: dict, source: Any) -> tuple[dict[str, Any], int]:
    """One JSON Feed item as a record of our columns: body from ``content_text``, else
    ``content_html`` as text (:func:`.web.html_to_text`); authors' names (1.1 ``authors``,
    1.0 ``author``); tags as the category; the feed's title as the source. Also the number
    of lone surrogates replaced in the HTML (see :func:`valid_text`)."""
    body, replaced = item.get("content_text"), 0
    if not isinstance(body, str) or not body.strip():
        html = item.get("content_html")
        if isinstance(html, str):
            html, replaced = valid_text(html)
            body = html_to_text(html)
    authors = item.get("authors")
    if not isinstance(authors, list):
        authors = [item.get("author")]
    names = [a.get("name") if isinstance(a, dict) else a for a in authors]
    return {
        "id": item.get("id"), "url": item.get("url") or item.get("external_url"),
        "title": item.get("title"), "body": body, "abstract": item.get("summary"),
        "date": item.get("date_published") or item.get("date_modified"),
        "author": [a for a in names if isinstance(a, str)], "category": item.get("tags"),
        "source": source if isinstance(source, str) else None,
    }, replaced


def _parse_json_feed(p: Parser, feed: dict) -> None:
    """A JSON Feed (https://jsonfeed.org/version/1.1): one article per item."""
    for n, item in enumerate(feed["items"], 1):
        where = f"item {n}"
        if not isinstance(item, dict):
            p.skip(f"{where}: not an object ({type(item).__name__})")
            continue
        mark = p.mark()
        try:
            record, replaced = _feed_record(item, feed.get("title"))
        except Exception as e:              # noqa: BLE001 -- one bad item, not the file
            p.fail(mark, where, e)
            continue
        if replaced:
            p.warn(f"{where}: {replaced:,} lone surrogate(s) in content_html replaced by "
                   "U+FFFD", "replaced_surrogates")
        p.add_record(record, _FEED_FIELDS, n, where)


def _object_arrays(obj: dict) -> Iterator[tuple[int, str, list]]:
    """``(depth, key path, array)`` of the arrays holding objects one or two levels below
    ``obj``: ``{"articles": [...]}``, ``{"data": {"articles": [...]}}`` and
    ``{"pages": [{"articles": [...]}, ...]}`` (``pages[].articles``, arrays joined)."""
    for key, value in obj.items():
        if _holds_objects(value):
            yield 1, str(key), value
    for key, value in obj.items():
        if isinstance(value, dict):
            for key2, value2 in value.items():
                if _holds_objects(value2):
                    yield 2, f"{key}.{key2}", value2
        elif _holds_objects(value):
            inner: dict[str, list] = {}
            for element in value:
                if isinstance(element, dict):
                    for key2, value2 in element.items():
                        if _holds_objects(value2):
                            inner.setdefault(str(key2), []).extend(value2)
            for key2, joined in inner.items():
                yield 2, f"{key}[].{key2}", joined


def _holds_objects(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(v, dict) for v in value[:20])


def _articles_like(records: list, mapping: tuple) -> bool:
    """Whether most objects of ``records`` (a sample) have a title or body field."""
    sample = [r for r in records[:20] if isinstance(r, dict)]
    hits = sum(bool(resolve_fields(tuple(r), mapping).keys() & {"title", "body"})
               for r in sample)
    return bool(sample) and 2 * hits >= len(sample)


def records_from_json(obj: Any, mapping: tuple = ()) -> tuple[list | None, list[str]]:
    """The records of a JSON document and the key paths of the arrays they came from.

    An array is the records. An object with a body field holding text is one article (its
    arrays are fields, e.g. tags or related links). Otherwise the arrays of objects most of
    which have a title or body field, one level below (``{"articles": [...]}``) or else two
    (``{"data": {"articles": [...]}}``), are the records, joined in order; failing that
    the object is one record. Anything else: None.
    """
    if isinstance(obj, list):
        return obj, []
    if not isinstance(obj, dict):
        return None, []
    own = resolve_fields(tuple(obj), mapping)
    if "body" in own and not _holds_objects(obj[own["body"]]) \
            and not isinstance(obj[own["body"]], dict):
        return [obj], []
    found: list[tuple[str, list]] = []
    found_depth = 0
    for depth, key, array in _object_arrays(obj):
        if found_depth and depth > found_depth:
            break
        if _articles_like(array, mapping):
            found.append((key, array))
            found_depth = depth
    if not found:
        return [obj], []
    return [r for _, array in found for r in array], [key for key, _ in found]


def _add_records(p: Parser, records: list, label: str) -> None:
    cache: dict[tuple, dict] = {}
    for n, record in enumerate(records, 1):
        _add_object(p, cache, record, n, f"{label} {n}")


def _parse_json(p: Parser, text: str) -> None:
    try:
        obj = json_loads(text)
    except RecursionError:
        cache: dict[tuple, dict] = {}
        for n, record in _json_array_items(p, text):
            _add_object(p, cache, record, n, f"record {n}")
        return
    except json.JSONDecodeError as e:
        first = text.lstrip().partition("\n")[0]
        try:
            looks_like_lines = isinstance(json_loads(first), dict)
        except (ValueError, RecursionError):
            looks_like_lines = False
        if looks_like_lines:               # JSON Lines saved as .json
            p.fmt = "jsonl"
            _parse_jsonl(p, text)
        else:
            p.skip(f"invalid JSON ({e.msg}, line {e.lineno}, column {e.colno})")
        return
    if isinstance(obj, dict) and isinstance(obj.get("version"), str) \
            and obj["version"].startswith(JSON_FEED_VERSION) and isinstance(obj.get("items"), list):
        _parse_json_feed(p, obj)
        return
    records, keys = records_from_json(obj, p.opts.mapping)
    if records is None:
        p.skip(f"JSON holds a {type(obj).__name__}, not articles")
        return
    if keys:
        p.warn(f"the articles are the {len(records):,} objects of the "
               f"array{'s' if len(keys) > 1 else ''} under "
               f"{', '.join(repr(k) for k in keys)}", "json_wrapper")
    _add_records(p, records, "record")


def _add_object(p: Parser, cache: dict, record: Any, n: int, where: str) -> None:
    if not isinstance(record, dict):
        p.skip(f"{where}: not an object ({type(record).__name__})")
        return
    keys = tuple(record)
    fields = cache.get(keys)
    if fields is None:
        fields = cache[keys] = resolve_fields(keys, p.opts.mapping)
    p.add_record(record, fields, n, where)


def _lines(text: str) -> Iterator[str]:
    """``text.split("\\n")`` one line at a time (no list of copies of every line)."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def _parse_jsonl(p: Parser, text: str) -> None:
    cache: dict[tuple, dict] = {}
    for lineno, line in enumerate(_lines(text), 1):
        if not line.strip():
            continue
        where = f"line {lineno}"
        try:
            record = json_loads(line)
        except json.JSONDecodeError as e:
            p.skip(f"{where}: invalid JSON, e.g. a truncated line ({e.msg}, column {e.colno})")
            continue
        except RecursionError:
            p.skip(f"{where}: nested too deep to read (more levels than Python's recursion "
                   "limit)")
            continue
        _add_object(p, cache, record, lineno, where)


_DELIMITERS = (",", ";", "\t", "|")
#: Excel's first line naming the delimiter: ``sep=;``.
_RE_EXCEL_SEP = re.compile(r"\Asep=(.)\s*\Z")


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter of a CSV file from its first lines (quotes respected): the one that
    splits the header into the most fields, among those that give the following rows the
    header's width most often; ``,`` when none splits the header.

    ``sniff_delimiter(['"عنوان, رئيسي";نص', 'ع;ن'])`` -> ``";"``
    """
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        try:
            rows = [r for r in itertools.islice(csv.reader(lines, delimiter=delimiter), 20) if r]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        score = (sum(len(r) == width for r in rows[1:]), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class _Lines:
    """The lines of a text for csv.reader, with the number of lines read so far (``at``),
    which can be set back to read lines again."""

    def __init__(self, lines: list[str]):
        self.lines, self.at = lines, 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.at >= len(self.lines):
            raise StopIteration
        self.at += 1
        return self.lines[self.at - 1] + "\n"


def _parse_csv(p: Parser, text: str) -> None:
    """CSV/TSV with a header row; rows with too many fields are skipped, rows with too few
    are loaded with the missing fields left missing (and a warning).

    Also: a BOM and Excel's ``sep=;`` first line are honoured, the delimiter is sniffed
    with quotes respected, NUL characters are dropped (with a warning), an unreadable row
    is skipped and reading goes on at the next line, and a quote never closed, which would
    swallow the rows after it into one field, is found (see :func:`_unclosed_quote`): that
    row is skipped and reported with the lines it swallowed, which are read again as rows.
    """
    csv.field_size_limit(2**31 - 1)
    text = text.removeprefix("\ufeff")
    nul = text.count("\0")
    if nul:
        text = text.replace("\0", "")
        p.warn(f"{nul:,} NUL character(s) removed (a damaged or mis-encoded file?)",
               "nul_chars")
    lines = text.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    source = _Lines(lines)
    sep = _RE_EXCEL_SEP.match(lines[0]) if lines else None
    if sep:
        delimiter = sep.group(1)
        source.at = 1
    elif p.fmt == "tsv":
        delimiter = "\t"
    else:
        delimiter = sniff_delimiter(lines[:50])
    reader = csv.reader(source, delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as e:
        p.skip(f"unreadable CSV header ({e})" if isinstance(e, csv.Error) else "no CSV header")
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    fields = resolve_fields(tuple(header), p.opts.mapping)
    if not fields.keys() & {"title", "body"}:
        p.skip(unmapped_reason(header, itertools.islice(reader, 20)))
        return
    width = len(header)
    n = 0
    while True:
        start = source.at + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            n += 1
            p.skip(f"line {start}: unreadable CSV ({e}); reading goes on at the next line")
            source.at = start
            reader = csv.reader(source, delimiter=delimiter)
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        n += 1
        where = f"line {start}"
        swallowed = _unclosed_quote(lines, start, source.at, delimiter, width)
        if swallowed:
            p.skip(f"{where}: a quote opened here is never closed and swallowed the next "
                   f"{swallowed:,} line(s) (lines {start + 1}-{source.at}); the row is "
                   "skipped and those lines are read again as rows")
            source.at = start
            reader = csv.reader(source, delimiter=delimiter)
            continue
        if len(row) > width:
            p.skip(f"{where}: {len(row)} fields, the header has {width}")
            continue
        if len(row) < width:
            p.warn(f"{where}: {len(row)} fields, the header has {width}; "
                   "the missing ones are left missing", "short_row")
        record = dict(zip(header, row))
        p.add_record(record, fields, n, where)


def _unclosed_quote(lines: list[str], first: int, last: int, delimiter: str,
                    width: int) -> int:
    """The number of lines a row running from line ``first`` to ``last`` (1-based)
    swallowed through a quote never closed, or 0 when it is a well-formed row.

    A well-formed row spanning lines ends on a line with an odd number of quotes (the one
    closing the field that crossed the line breaks). When the row's last line has an even
    number (none: it ran to the end of the file; two: the quote closing the field was the
    opening quote of a later field), and one of the lines in between reads as a row of the
    header's width on its own, the quote opened on line ``first`` was never closed.
    """
    if last <= first or lines[last - 1].count('"') % 2:
        return 0
    for line in itertools.islice(lines, first, last):
        try:
            if len(next(csv.reader([line], delimiter=delimiter), ())) == width:
                return last - first
        except csv.Error:
            continue
    return 0


class _Unreadable(NamedTuple):
    """A Parquet value Arrow could not turn into a Python value (the reason)."""
    reason: str


def _column_values(column: pa.ChunkedArray, name: str) -> list:
    """A column as Python values; a value Arrow cannot convert (a timestamp beyond Python's
    datetime, ...) becomes :class:`_Unreadable` instead of failing the whole file."""
    try:
        return column.to_pylist()
    except (pa.ArrowException, ValueError, OverflowError, TypeError):
        pass
    values = []
    for chunk in column.chunks:
        for i in range(len(chunk)):
            try:
                values.append(chunk[i].as_py())
            except (pa.ArrowException, ValueError, OverflowError, TypeError) as e:
                values.append(_Unreadable(f"column {name!r}: {str(e)[:120]}"))
    return values


def _text_bytes(column: pa.ChunkedArray) -> int:
    """Bytes a column takes once expanded: its strings' lengths (a dictionary-encoded
    column counts each value as often as it is used), else its Arrow buffers."""
    total = 0
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type) and _is_text(chunk.type.value_type):
            lengths = pc.binary_length(chunk.dictionary)
            total += pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0
        elif _is_text(chunk.type):
            total += pc.sum(pc.binary_length(chunk)).as_py() or 0
        else:
            total += chunk.nbytes
    return total


def _is_text(t: pa.DataType) -> bool:
    return (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t)
            or pa.types.is_large_binary(t))


def _decode_value(p: Parser, value: bytes, where: str, column: str) -> str | _Unreadable:
    """A binary Parquet value as text, by the loader's decoding rule (BOM, UTF-8, the
    Arabic code pages; UTF-16 without BOM); binary data is unreadable."""
    if not p.opts.encoding and not any(value.startswith(b) for b, _ in R.BOMS):
        utf16 = bom_less_utf16(value)
        if utf16:
            p.encoding = utf16
            return value.decode(utf16)
        reason = binary_reason(value)
        if reason:
            return _Unreadable(f"column {column!r} holds a {reason}")
    decoded = decode_bytes(value, p.opts.encoding)
    p.encoding = decoded.encoding
    if decoded.replaced:
        p.warn(f"{where}: column {column!r}: {decoded.replaced:,} undecodable byte(s) replaced "
               f"by U+FFFD (read as {decoded.encoding})", "replaced_bytes")
    for kind, message in decoded.notes:   # encoding_guess, mixed_encoding
        p.warn(f"{where}: column {column!r}: {message}", kind)
    return decoded.text


def _first_rows(pf: pq.ParquetFile, n: int) -> list[dict]:
    """The first ``n`` rows of a Parquet file as dicts (for messages)."""
    try:
        return next(pf.iter_batches(batch_size=n), pa.record_batch([])).to_pylist()[:n]
    except (pa.ArrowException, OSError, ValueError):
        return []


def _parse_parquet(p: Parser, data: bytes) -> Result:
    """Parquet: the columns named by the field mapping, read within ``opts.max_bytes``.

    The uncompressed size of those columns (file metadata) is checked before anything is
    read, and their size once expanded (dictionary-encoded text counts every use) before
    any row is made; a file beyond the bound is skipped with the sizes. Binary columns are
    decoded by the loader's decoding rule (the ``encoding`` recorded per row).
    """
    p.fmt, p.encoding = "parquet", "utf-8"
    try:
        pf = pq.ParquetFile(pa.BufferReader(data))
        names = tuple(pf.schema_arrow.names)
    except (pa.ArrowException, OSError, ValueError) as e:
        p.skip(f"unreadable Parquet ({str(e)[:200]})")
        return p.result()
    fields = resolve_fields(names, p.opts.mapping)
    if not fields.keys() & {"title", "body"}:
        p.skip(unmapped_reason(names, _first_rows(pf, 20)))
        return p.result()
    wanted = sorted(set(fields.values()))
    bound = p.opts.max_bytes
    if bound is not None:
        meta = pf.metadata
        size = sum(meta.row_group(g).column(c).total_uncompressed_size
                   for g in range(meta.num_row_groups) for c in range(meta.num_columns)
                   if meta.row_group(g).column(c).path_in_schema.split(".")[0] in wanted)
        if size > bound:
            p.skip(f"its columns {', '.join(wanted)} take {size:,} bytes uncompressed, more "
                   f"than the {bound:,} left of the bound (max_total_bytes=)")
            return p.result()
    schema = pf.schema_arrow
    text_columns = [n for n in wanted if _is_text(schema.field(n).type)]
    try:   # text read dictionary-encoded where the file has it so: compact until counted
        table = pq.ParquetFile(pa.BufferReader(data), read_dictionary=text_columns or None
                               ).read(columns=wanted)
    except (pa.ArrowException, OSError, ValueError) as e:
        p.skip(f"unreadable Parquet ({str(e)[:200]})")
        return p.result()
    if bound is not None:
        size = sum(_text_bytes(table.column(n)) for n in wanted)
        if size > bound:
            p.skip(f"its columns {', '.join(wanted)} expand to {size:,} bytes, more than the "
                   f"{bound:,} left of the bound (max_total_bytes=)")
            return p.result()
    columns = {name: _column_values(table.column(name), name) for name in wanted}
    binary = sorted((n for n in wanted if pa.types.is_binary(schema.field(n).type)
                     or pa.types.is_large_binary(schema.field(n).type)),
                    key=lambda n: n == fields.get("body"))   # the body's encoding is kept
    del table
    for n in range(len(columns[wanted[0]]) if wanted else 0):
        where = f"row {n + 1}"
        record = {name: columns[name][n] for name in wanted}
        p.encoding = "utf-8"
        for name in binary:
            if isinstance(record[name], bytes):
                record[name] = _decode_value(p, record[name], where, name)
        bad = next((v for v in record.values() if isinstance(v, _Unreadable)), None)
        if bad is not None:
            p.skip(f"{where}: unreadable value ({bad.reason})")
            continue
        p.add_record(record, fields, n + 1, where)
    if p.seen == 0:
        p.skip("no articles in file")
    return p.result()


def parse_batch(batch: list[tuple[str, bytes]], opts: Options) -> list[Result]:
    """Parse several files (in a worker process): one :class:`Result` each, never raises
    (:func:`parse_blob` turns any error into a skipped file)."""
    return [parse_blob(path, data, opts) for path, data in batch]


def detect_format(path: str, fmt: str | None) -> str | None:
    if fmt:
        return fmt
    return EXTENSIONS.get(suffix(inner_name(basename(path))).lower())   # a.json.gz: json


