"""Excel workbooks to articles: ``.xlsx`` (openpyxl, read-only) and ``.xls`` (xlrd).

Every sheet whose header row names a title or body column (:data:`~.schema.FIELD_ALIASES`,
Arabic names included, or ``mapping=``) is read row by row, streaming, through the same
record path as CSV; the header may sit below a few one-cell rows (a caption, a note). A
sheet with cells but no such header is skipped with the columns it has and a ``mapping=``
that would load it; empty sheets are not entries. Date cells arrive as datetimes; a number
in the date column is an Excel date serial. Runs in worker processes; bad input is
skipped, never raised.
"""

from __future__ import annotations

import io
import itertools
import warnings
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .schema import IGNORED, INVALID, resolve_fields, unmapped_reason

if TYPE_CHECKING:   # the parsers only call a Parser's methods (no import cycle)
    from .formats import Parser

#: Formats this module parses (``fmt=`` values).
SHEET_FORMATS = ("xlsx", "xls")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# rows of one cell (a caption, a note) looked through for a header below them
_HEADER_ROWS = 10
# Excel date serials: 1 (1900-01-01) .. 2958465 (9999-12-31)
_SERIALS = (1, 2_958_465)

Rows = Iterator[tuple[int, tuple]]     # (row number from 1, cell values)


def parse_workbook(p: Parser, data: bytes) -> None:
    """Every article sheet of an Excel workbook (``.xlsx``/``.xlsm`` or ``.xls``)."""
    if data.startswith(_ZIP_MAGIC):
        _read_xlsx(p, data)
    elif data.startswith(_OLE2_MAGIC):
        _read_xls(p, data)
    else:
        head = data[:512].lstrip().lower()
        what = ("HTML" if head.startswith((b"<!doctype html", b"<html", b"<table"))
                else "text" if b"\0" not in head else "binary data")
        p.skip(f"not an Excel workbook (the file holds {what}; "
               "save it as .xlsx, or give it its real extension)")


def _read_xlsx(p: Parser, data: bytes) -> None:
    import openpyxl
    from openpyxl.utils.datetime import from_excel

    p.fmt, p.encoding = "xlsx", "utf-8"
    try:
        with warnings.catch_warnings():    # "no default style" and similar notes
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                                          keep_links=False)
    except Exception as e:  # noqa: BLE001 -- a corrupt workbook raises many kinds
        p.skip(f"unreadable Excel workbook ({_why(e)})")
        return
    try:
        epoch = book.epoch

        def serial(value: float) -> datetime:
            return from_excel(value, epoch=epoch)

        def rows(sheet) -> Rows:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield from enumerate(sheet.iter_rows(values_only=True), 1)

        _read_sheets(p, ((ws.title, rows(ws)) for ws in book.worksheets), serial)
    finally:
        book.close()


def _read_xls(p: Parser, data: bytes) -> None:
    import xlrd

    p.fmt = "xls"
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO(),
                                  verbosity=0)
    except Exception as e:  # noqa: BLE001 -- a corrupt workbook raises many kinds
        reason = str(e)[:160]
        if "encrypted" in reason.lower():
            p.skip("password-protected Excel workbook (not read)")
        elif "workbook" in reason.lower() and "ole2" in reason.lower():
            p.skip("not an .xls workbook (an OLE2 file without a workbook: maybe a "
                   "password-protected .xlsx or another Office document)")
        else:
            p.skip(f"unreadable Excel workbook ({_why(e)})")
        return
    p.encoding = (book.encoding or "utf-16-le").replace("_", "-")
    date_cell, number_cell, empty = xlrd.XL_CELL_DATE, xlrd.XL_CELL_NUMBER, (
        xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR)

    def serial(value: float) -> datetime:
        return xlrd.xldate.xldate_as_datetime(value, book.datemode)

    def value(cell) -> Any:
        if cell.ctype in empty:
            return None
        if cell.ctype == date_cell:
            try:
                return serial(cell.value)
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return cell.value
        if cell.ctype == number_cell and float(cell.value).is_integer():
            return int(cell.value)
        return cell.value

    def rows(index: int) -> Rows:
        sheet = book.sheet_by_index(index)
        try:
            for r in range(sheet.nrows):
                yield r + 1, tuple(value(c) for c in sheet.row(r))
        finally:
            book.unload_sheet(index)

    try:
        _read_sheets(p, ((name, rows(i)) for i, name in enumerate(book.sheet_names())),
                     serial)
    finally:
        book.release_resources()


def _why(error: BaseException) -> str:
    """An exception as a one-line reason, with its cause (``EntitiesForbidden`` when the
    workbook's XML declares entities, which are never expanded)."""
    why = f"{type(error).__name__}: {' '.join(str(error).split())[:160]}"
    cause = error.__cause__ or error.__context__
    return f"{why}; {type(cause).__name__}" if cause is not None else why


def _column_letter(n: int) -> str:
    """``1`` -> ``A``, ``27`` -> ``AA``."""
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _header_names(values: tuple) -> list[str]:
    """Column names from a header row: blank cells named by their letter, repeats
    suffixed with their letter (``title``, ``title (D)``)."""
    names: list[str] = []
    seen: set[str] = set()
    width = max((i + 1 for i, v in enumerate(values) if not _blank(v)), default=0)
    for i, v in enumerate(values[:width]):
        letter = _column_letter(i + 1)
        name = " ".join(str(v).split()) if not _blank(v) else f"column {letter}"
        if name in seen:
            name = f"{name} ({letter})"
        seen.add(name)
        names.append(name)
    return names


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheets(p: Parser, sheets: Iterator[tuple[str, Rows]],
                 serial: Callable[[float], datetime]) -> None:
    """Read every sheet; skips of sheets without a header are ``ignored`` when another
    sheet of the workbook holds articles, ``invalid`` otherwise."""
    unrecognised: list[str] = []
    articles = False                    # a sheet with a header row
    for name, rows in sheets:
        label = f"sheet {name!r}"
        try:
            got = _read_sheet(p, label, rows, serial)
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


def _read_sheet(p: Parser, label: str, rows: Rows,
                serial: Callable[[float], datetime]) -> bool | str:
    """Read one sheet: True if it has a header (articles or not), False if it is empty,
    or the skip reason when it has cells but no header."""
    before: list[tuple] = []           # non-empty rows before the header
    header: list[str] | None = None
    fields: dict[str, Any] = {}
    date_key = None
    n = extra = 0
    first_extra = 0
    for rowno, values in rows:
        if header is None:
            if all(_blank(v) for v in values):
                continue
            names = _header_names(values)
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
        width = len(header)
        if any(not _blank(v) for v in values[width:]):
            extra += 1
            first_extra = first_extra or rowno
        record = dict(zip(header, values))
        if date_key is not None:
            when = record.get(date_key)
            if isinstance(when, (int, float)) and not isinstance(when, bool) \
                    and _SERIALS[0] <= when <= _SERIALS[1]:
                record[date_key] = serial(when)      # a date cell not formatted as one
        p.add_record(record, fields, n, f"{label} row {rowno}")
    if extra:
        p.warn(f"{label}: {extra:,} row(s) have cells beyond the header's {len(header)} "
               f"columns (ignored), the first at row {first_extra}", "extra_cells")
    if header is not None:
        return True
    if not before:
        return False
    # the columns: the table's first row (else the first note); a few rows after it as samples
    first = next((i for i, v in enumerate(before) if sum(not _blank(c) for c in v) > 1), 0)
    samples = [v for _, v in itertools.islice(rows, 20) if not all(_blank(c) for c in v)]
    return f"{label}: " + unmapped_reason(_header_names(before[first]),
                                          before[first + 1:] + samples)
