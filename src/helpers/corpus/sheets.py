"""Excel workbooks to articles: ``.xlsx`` / ``.xlsm`` and ``.xls``, read by python-calamine.

Every sheet whose header row names a title or body column (:data:`~.fields.FIELD_ALIASES`,
Arabic names included, or ``mapping=``) is read row by row through the same record path as
CSV; the header may sit below a few one-cell rows (a caption, a note). A sheet with cells
but no such header is skipped with the columns it has and a ``mapping=`` that would load
it; empty sheets are not entries. Date cells arrive as datetimes; a number in the date
column is an Excel date serial. calamine holds one sheet's cells at a time, compactly (in
Rust); no reader streams a workbook's text, which sits whole in its shared-strings table.
XML entities are never expanded. Runs in worker processes; bad input is skipped, never
raised.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from .fields import resolve_fields, unmapped_reason
from .parser import Parser
from .schema import IGNORED, INVALID

#: Formats this module parses (``fmt=`` values).
SHEET_FORMATS = ("xlsx", "xls")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# rows of one cell (a caption, a note) looked through for a header below them
_HEADER_ROWS = 10
# Excel date serials: 1 (1900-01-01) .. 2958465 (9999-12-31), counted from 1899-12-30
# (serials before March 1900 are a day off: Excel's 29 February 1900)
_SERIALS = (1, 2_958_465)
_EXCEL_EPOCH = datetime(1899, 12, 30)

Rows = Iterator[tuple[int, tuple]]     # (row number from 1, cell values)


def parse_workbook(p: Parser, data: bytes) -> None:
    """Every article sheet of an Excel workbook (``.xlsx``/``.xlsm`` or ``.xls``)."""
    if data.startswith(_ZIP_MAGIC):
        p.fmt, p.encoding = "xlsx", "utf-8"
    elif data.startswith(_OLE2_MAGIC):
        p.fmt, p.encoding = "xls", "utf-16-le"          # BIFF8 (Excel 97 and later) text
    else:
        head = data[:512].lstrip().lower()
        what = ("HTML" if head.startswith((b"<!doctype html", b"<html", b"<table"))
                else "text" if b"\0" not in head else "binary data")
        p.skip(f"not an Excel workbook (the file holds {what}; "
               "save it as .xlsx, or give it its real extension)")
        return
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        p.skip("password-protected Excel workbook (not read)")
        return
    except Exception as e:  # noqa: BLE001 -- a corrupt workbook raises many kinds
        reason = _why(e)
        if p.fmt == "xls" and "detect file format" in reason:
            reason += "; an OLE2 file without a workbook: a password-protected .xlsx?"
        p.skip(f"unreadable Excel workbook ({reason})")
        return
    try:
        names = [sheet.name for sheet in book.sheets_metadata
                 if sheet.typ == calamine.SheetTypeEnum.WorkSheet]
        _read_sheets(p, ((name, _rows(book, name)) for name in names))
    finally:
        book.close()


def _rows(book, name: str) -> Rows:
    """A sheet's rows with their Excel row numbers; cells as Python values (``None`` for
    empty ones, integral numbers as ``int``), placed in their Excel columns."""
    sheet = book.get_sheet_by_name(name)
    if sheet.start is None:                        # no cells at all
        return
    (top, left), (_, right) = sheet.start, sheet.end
    rows = sheet.iter_rows()
    first = next(rows, None)
    if first is None:
        return
    # calamine yields rows from row 1 or from the first used row (versions differ), and
    # the columns from the first used one
    offset = top if top and not all(_blank(v) for v in first) else 0
    pad = (None,) * left if len(first) == right - left + 1 else ()
    for n, row in enumerate(itertools.chain((first,), rows), offset + 1):
        yield n, pad + tuple(_cell(v) for v in row)


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value if value else None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _serial(value: float) -> datetime:
    """An Excel date serial (1900 date system) as a datetime."""
    return _EXCEL_EPOCH + timedelta(days=value)


def _why(error: BaseException) -> str:
    """An exception as a one-line reason."""
    return f"{type(error).__name__}: {' '.join(str(error).split())[:160]}"


def _column_letter(n: int) -> str:
    """``1`` -> ``A``, ``27`` -> ``AA``."""
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _header_span(values: tuple) -> slice:
    """The columns of a table whose header row is ``values``: first to last named one."""
    named = [i for i, v in enumerate(values) if not _blank(v)]
    return slice(named[0], named[-1] + 1) if named else slice(0, 0)


def _header_names(values: tuple, span: slice) -> list[str]:
    """Column names from a header row, over its span: blank cells named by their letter,
    repeats suffixed with their letter (``title``, ``title (D)``)."""
    names: list[str] = []
    seen: set[str] = set()
    for i, v in enumerate(values[span], span.start):
        letter = _column_letter(i + 1)
        name = " ".join(str(v).split()) if not _blank(v) else f"column {letter}"
        if name in seen:
            name = f"{name} ({letter})"
        seen.add(name)
        names.append(name)
    return names


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheets(p: Parser, sheets: Iterator[tuple[str, Rows]]) -> None:
    """Read every sheet; skips of sheets without a header are ``ignored`` when another
    sheet of the workbook holds articles, ``invalid`` otherwise."""
    unrecognised: list[str] = []
    articles = False                    # a sheet with a header row
    for name, rows in sheets:
        label = f"sheet {name!r}"
        try:
            got = _read_sheet(p, label, rows)
        except Exception as e:  # noqa: BLE001 -- a corrupt sheet raises many kinds
            p.skip(f"{label}: unreadable ({_why(e)})")
            continue
        if isinstance(got, str):
            unrecognised.append(got)
        elif got:
            articles = True
    for reason in unrecognised:
        p.skip(reason, IGNORED if articles else INVALID)
    if p.seen == 0:
        p.skip("no article rows below the header" if articles
               else "empty workbook (no cells in any sheet)")


def _read_sheet(p: Parser, label: str, rows: Rows) -> bool | str:
    """Read one sheet: True if it has a header (articles or not), False if it is empty,
    or the skip reason when it has cells but no header."""
    before: list[tuple] = []           # non-empty rows before the header
    header: list[str] | None = None
    span = slice(0, 0)                 # the header's columns
    fields: dict[str, Any] = {}
    date_key = None
    n = extra = 0
    first_extra = 0
    for rowno, values in rows:
        if header is None:
            if all(_blank(v) for v in values):
                continue
            span = _header_span(values)
            names = _header_names(values, span)
            fields = resolve_fields(tuple(names), p.opts.mapping)
            if fields.keys() & {"title", "body"}:
                header, date_key = names, fields.get("date")
                continue
            before.append(values)
            if len(before) >= _HEADER_ROWS or sum(not _blank(v) for v in values) > 1:
                break                   # a table row that is not a header: no header
            continue
        if all(_blank(v) for v in values):
            continue
        n += 1
        if any(not _blank(v) for v in (*values[:span.start], *values[span.stop:])):
            extra += 1
            first_extra = first_extra or rowno
        record = dict(zip(header, values[span]))
        if date_key is not None:
            when = record.get(date_key)
            if isinstance(when, (int, float)) and not isinstance(when, bool) \
                    and _SERIALS[0] <= when <= _SERIALS[1]:
                record[date_key] = _serial(when)     # a date cell not formatted as one
        p.add_record(record, fields, n, f"{label} row {rowno}")
    if extra:
        p.warn(f"{label}: {extra:,} row(s) have cells outside the header's columns "
               f"{_column_letter(span.start + 1)}-{_column_letter(span.stop)} (ignored), "
               f"the first at row {first_extra}", "extra_cells")
    if header is not None:
        return True
    if not before:
        return False
    # the columns: the table's first row (else the first note); a few rows after it as samples
    first = next((i for i, v in enumerate(before) if sum(not _blank(c) for c in v) > 1), 0)
    samples = [v for _, v in itertools.islice(rows, 20) if not all(_blank(c) for c in v)]
    span = _header_span(before[first])
    return f"{label}: " + unmapped_reason(_header_names(before[first], span),
                                          [v[span] for v in before[first + 1:] + samples])
