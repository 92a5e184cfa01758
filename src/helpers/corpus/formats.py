"""One file's bytes to articles: the seed ``.txt`` layout, TREC, JSON, JSON Lines, CSV/TSV
and Parquet (runs in worker processes; never raises for bad input, it skips and reports).
"""

from __future__ import annotations

import csv
import html as _html
import io
import json
import re
import xml.parsers.expat
from collections.abc import Mapping
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .. import resources as R
from .decoding import binary_reason, bom_less_utf16, decode
from .schema import (
    IGNORED, INVALID, LoadWarning, Options, Result, Row, Skipped, basename, clean_text,
    is_archive_name, is_missing, resolve_fields, stem, suffix,
)

FORMATS = ("txt", "trec", "json", "jsonl", "csv", "tsv", "parquet")
EXTENSIONS = {
    "": "text", ".txt": "text", ".text": "text", ".xml": "trec", ".sgml": "trec",
    ".sgm": "trec", ".trec": "trec",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl",
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet", ".pq": "parquet",
}

def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    return R.RE_ENTITY.sub(lambda m: _html.unescape(m.group(0)), text)


class Parser:
    """Collects the rows, skips and warnings of one file."""

    def __init__(self, path: str, encoding: str | None, fmt: str, opts: Options):
        self.path, self.encoding, self.fmt, self.opts = path, encoding, fmt, opts
        self.rows: list[Row] = []
        self.skipped: list[Skipped] = []
        self.warnings: list[LoadWarning] = []
        self.seen = 0

    def warn(self, message: str, kind: str) -> None:
        self.warnings.append(LoadWarning(self.path, message, kind))

    def skip(self, reason: str, kind: str = INVALID) -> None:
        self.seen += 1
        self.skipped.append(Skipped(self.path, reason, kind))

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
        """Add one record (JSON object, CSV row, Parquet row) through the field mapping."""
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
        return Result(self.rows, self.skipped, self.warnings, self.seen)


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def parse_blob(path: str, data: bytes, opts: Options) -> Result:
    """Parse one file's bytes into articles (never raises for bad input: skips instead)."""
    name = basename(path)
    fmt = detect_format(path, opts.fmt)
    p = Parser(path, None, fmt or "", opts)
    if name.startswith(".") or "__MACOSX" in path.split("/"):
        p.skip("hidden or system file", IGNORED)
        return p.result()
    if R.RE_DOC_FILE.match(name):
        p.skip("documentation file (README, LICENSE, ...), not an article", IGNORED)
        return p.result()
    if not data:
        p.skip("empty file")
        return p.result()
    if fmt is None:
        ext = suffix(name) or name
        if is_archive_name(name):
            p.skip("archive inside an archive (not opened)", IGNORED)
        else:
            p.skip(f"unsupported file type {ext!r}", IGNORED)
        return p.result()
    if fmt == "parquet":
        return _parse_parquet(p, data)
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
        text, encoding, replaced = decode(data, opts.encoding)
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


def _parse_seed(p: Parser, text: str) -> None:
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
    p.add(id=stem(p.path), title=title, body=body)


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


def _parse_trec(p: Parser, text: str) -> None:
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
        resolved = resolve_fields(tuple(fields), p.opts.mapping)
        if "id" not in resolved:
            fields["\0id"] = stem(p.path) if single else f"{p.path}#{n}"
            resolved["id"] = "\0id"
        p.add_record(fields, resolved, n, where)


def _records_from_json(obj: Any) -> list | None:
    if isinstance(obj, list):
        return obj
    if isinstance(obj, dict):
        for value in obj.values():   # {"articles": [...]} and similar wrappers
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                if not resolve_fields(tuple(obj), ()).keys() & {"title", "body"}:
                    return value
        return [obj]
    return None


def _add_records(p: Parser, records: list, label: str, start: int = 1) -> None:
    cache: dict[tuple, dict] = {}
    for n, record in enumerate(records, start):
        where = f"{label} {n}"
        if not isinstance(record, dict):
            p.skip(f"{where}: not an object ({type(record).__name__})")
            continue
        keys = tuple(record)
        fields = cache.get(keys)
        if fields is None:
            fields = cache[keys] = resolve_fields(keys, p.opts.mapping)
        p.add_record(record, fields, n, where)


def _parse_json(p: Parser, text: str) -> None:
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


def _parse_jsonl(p: Parser, text: str) -> None:
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
            fields = cache[keys] = resolve_fields(keys, p.opts.mapping)
        p.add_record(record, fields, lineno, where)


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _parse_csv(p: Parser, text: str) -> None:
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
    fields = resolve_fields(tuple(header), p.opts.mapping)
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


def _parse_parquet(p: Parser, data: bytes) -> Result:
    p.fmt, p.encoding = "parquet", "utf-8"
    try:
        table = pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError, ValueError) as e:
        p.skip(f"unreadable Parquet ({str(e)[:200]})")
        return p.result()
    names = tuple(table.column_names)
    fields = resolve_fields(names, p.opts.mapping)
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


def parse_batch(batch: list[tuple[str, bytes]], opts: Options) -> list[Result]:
    return [parse_blob(path, data, opts) for path, data in batch]




def detect_format(path: str, fmt: str | None) -> str | None:
    if fmt:
        return fmt
    return EXTENSIONS.get(suffix(basename(path)).lower())


