"""One file's rows in the making: the :class:`Parser` every format's parser fills.

A parser of a format reads a file's text and hands the :class:`Parser` one article at a time
(:meth:`Parser.add`) or one record through the field mapping (:meth:`Parser.add_record`,
guarded: an error while building a record skips that record alone, with its number and the
error's message); skips and warnings are collected beside the rows, and every row is made
valid text (:meth:`Parser.valid_row`) before it leaves for the frame. Also
:func:`describe_error` (an unexpected error as a report line) and :func:`newlines`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import resources as R
from .schema import (
    INVALID, RE_NOT_TEXT, ROW_FIELDS, LoadWarning, Options, Result, Row, Skipped, clean_text,
    is_missing, valid_name, valid_text,
)


class Parser:
    """Collects the rows, skips and warnings of one file."""

    def __init__(self, path: str, encoding: str | None, fmt: str, opts: Options):
        # the real name, controls included (shown escaped by schema.visible); a name not
        # UTF-8 is recovered by archives.recover_name, lone surrogates here a safety net
        self.path, self.encoding, self.fmt, self.opts = valid_name(path)[0], encoding, fmt, opts
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
            title=title, body=newlines(body) if body else body,
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
        characters removed, lone surrogates replaced and reported), its id kept as it is
        but for lone surrogates (:func:`valid_name`: a name is data, controls included),
        other values as text, and a date found as text or a container made valid text
        too: every row reaches Arrow and pickles back from a worker process."""
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
            valid = valid_name if i == _ID_AT else valid_text
            v, n = valid(v if type(v) is str else clean_text(v) or "")
            replaced += n
            values[i] = (v or None) if i == _ID_AT else v.strip() or (
                "" if i == _BODY_AT else None)
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
_ID_AT = ROW_FIELDS.index("id")
_WHERE_AT = ROW_FIELDS.index("where") if "where" in ROW_FIELDS else None


def describe_error(error: BaseException) -> str:
    """An unexpected error for a report: ``ValueError: message`` (cut to 200 characters)."""
    if isinstance(error, RecursionError):
        return "nested too deep (RecursionError)"
    text = str(error)
    return f"{type(error).__name__}: {text[:200]}" if text else type(error).__name__


def newlines(text: str) -> str:
    """CR LF and CR as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
