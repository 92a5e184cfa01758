"""Record formats to articles: JSON (an array, an object, wrappers one or two levels deep,
JSON Feed), JSON Lines, CSV/TSV and Parquet. Each record goes through the field mapping into
:meth:`.parser.Parser.add_record`; a bad record is skipped with its number (line, row,
record), never the file. Parquet is read within what is left of the byte bound.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .. import resources as R
from .decoding import binary_reason, bom_less_utf16, decode_bytes
from .fields import resolve_fields, unmapped_reason
from .parser import Parser
from .schema import Result, valid_text
from .web import html_to_text

# ---------------------------------------------------------------------------------------
# JSON and JSON Lines
# ---------------------------------------------------------------------------------------


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


def parse_json(p: Parser, text: str) -> None:
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
            parse_jsonl(p, text)
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


def parse_jsonl(p: Parser, text: str) -> None:
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



# ---------------------------------------------------------------------------------------
# CSV and TSV
# ---------------------------------------------------------------------------------------

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


def parse_csv(p: Parser, text: str) -> None:
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


# ---------------------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------------------


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


def parse_parquet(p: Parser, data: bytes) -> Result:
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
