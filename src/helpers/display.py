"""HTML for notebooks and reports: escaped tables and quotes, right-to-left where Arabic.

Every helper here returns an :class:`HTML` object (it has ``_repr_html_``, so a notebook
shows it as the cell's output) and never touches the disk. Every value that reaches the
HTML goes through :func:`html.escape` first: a headline such as
``<script>alert(1)</script>`` is shown as text and runs nothing. Text stays in logical
Unicode order; the browser lays Arabic out right-to-left because the cells and quotes carry
``dir="rtl"`` (no reshaping or reordering here: that is only for renderers that need it, in
``helpers.rtl``). A table whose text columns are Arabic is itself ``dir="rtl"``: its first
column (the index) is on the right and a pair split over columns (``w1 | w2``) reads as the
phrase, from the right (:func:`table_direction` says how a table's direction is decided).

The module is longer than one sitting because it is one cohesive thing: the one home of
escaped HTML, whose tables, quotes and notes share one escaping, one formatting of cell
values and one rule of direction; split, the toolkit would have two homes for it.

>>> print(rtl_text("مرحبا <b>").html)
<div class="hx-quote" dir="rtl" lang="ar"><p style="text-align: right">مرحبا &lt;b&gt;</p></div>
"""

from __future__ import annotations

import html as _html
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from helpers.resources import RE_RTL_RUN, RE_SHOWN_CONTROL, has_rtl

__all__ = [
    "ARABIC_FONT_STACK",
    "STYLESHEET",
    "HTML",
    "rtl_table",
    "rtl_text",
    "before_after",
    "note",
    "plain_text",
    "stylesheet",
    "escape",
    "bdi",
    "bullets",
    "side_by_side",
    "visible_controls",
]

#: Fonts for Arabic text, best first: Noto Naskh/Sans Arabic (Linux, Android, free),
#: Amiri and Scheherazade New (free, common with researchers), Geeza Pro (macOS/iOS),
#: Segoe UI and Tahoma (Windows, both carry Arabic), DejaVu Sans as a last resort.
ARABIC_FONT_STACK = (
    '"Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Scheherazade New", '
    '"Geeza Pro", "Segoe UI", Tahoma, "DejaVu Sans", sans-serif'
)

#: The one stylesheet of the reports (``helpers.reports`` inlines it in every page).
#: Notebooks look right without it too: alignment and direction are set on the elements.
STYLESHEET = f"""
:root {{ --hx-arabic-font: {ARABIC_FONT_STACK}; }}
[lang="ar"], :lang(ar), [dir="rtl"] {{ font-family: var(--hx-arabic-font); }}
.hx-table {{ border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.95em; }}
.hx-table caption {{ caption-side: top; text-align: start; font-weight: 600; padding: 0.3em 0; }}
.hx-table th, .hx-table td {{ border: 1px solid #d0d7de; padding: 0.3em 0.6em; vertical-align: top; max-width: 40em; }}
.hx-table thead th {{ background: #f3f4f6; }}
.hx-table tbody tr:nth-child(even) {{ background: #fafafa; }}
.hx-table .hx-ar {{ direction: rtl; text-align: right; unicode-bidi: isolate; line-height: 1.8; }}
.hx-table .hx-text {{ direction: ltr; text-align: left; unicode-bidi: isolate; }}
.hx-table .hx-num {{ direction: ltr; text-align: right; unicode-bidi: isolate; font-variant-numeric: tabular-nums; white-space: nowrap; }}
.hx-table .hx-na {{ color: #8c959f; text-align: center; }}
.hx-table-note, .hx-note {{ color: #57606a; font-size: 0.9em; margin: 0.2em 0 1em; }}
.hx-note {{ border-left: 3px solid #d4a72c; padding: 0.3em 0.8em; background: #fff8e5; }}
.hx-overview {{ display: flex; flex-wrap: wrap; gap: 0 2.5em; align-items: flex-start; }}
.hx-quote {{ direction: rtl; text-align: right; line-height: 1.9; font-size: 1.1em; border-right: 3px solid #d0d7de; padding: 0.2em 1em; margin: 0.5em 0 1em; max-width: 48em; }}
.hx-quote p, .jp-RenderedHTMLCommon .hx-quote p {{ margin: 0 0 0.6em; text-align: right; }}
pre.hx-plain, .jp-RenderedHTMLCommon pre.hx-plain {{ white-space: pre-wrap; font-family: var(--jp-code-font-family, "DejaVu Sans Mono", monospace); font-size: 0.9em; margin: 0.3em 0 1em; }}
.hx-invisible {{ font-family: monospace; font-size: 0.75em; color: #cf222e; background: #ffebe9; border-radius: 3px; padding: 0 0.2em; unicode-bidi: isolate; direction: ltr; }}
"""

_TRUNCATION_MARK = "\u2026"  # … HORIZONTAL ELLIPSIS, marks text cut short
_RTL_DIR = 'dir="rtl" lang="ar"'
# JupyterLab's and nbconvert's CSS left-align every <p>; the quote's paragraphs say otherwise
_P_RTL = ' style="text-align: right"'


@dataclass(frozen=True)
class HTML:
    """A piece of finished, escaped HTML that notebooks display as rich output.

    Args:
        html: the markup (already escaped).
        text: a plain-text stand-in for consoles and the ``text/plain`` output.
    """

    html: str
    text: str = ""

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text or self.html

    def __str__(self) -> str:
        return self.html


def stylesheet() -> HTML:
    """Return the report stylesheet as a ``<style>`` element (for a notebook's first output).

    Returns:
        :class:`HTML` holding ``<style>`` with :data:`STYLESHEET`.
    """
    return HTML(f"<style>{STYLESHEET}</style>", "")


def _esc(text: Any) -> str:
    return _html.escape(str(text), quote=True)


def _control_tag(ch: str) -> str:
    code = f"U+{ord(ch):04X}"
    name = unicodedata.name(ch, "control character")
    return f'<span class="hx-invisible" title="{_esc(code + " " + name)}">{code}</span>'


def escape(value: Any) -> str:
    """HTML-escape a value, showing the characters that would reorder its neighbours as tags.

    Controls, bidi embeddings, overrides and isolates (``resources.SHOWN_CONTROLS``) become
    small ``U+XXXX`` tags (as in :func:`before_after`): a file name holding U+202E RIGHT-TO-
    LEFT OVERRIDE is shown as it is stored, not reversed, and reorders nothing around it.

    Args:
        value: any value (shown as ``str(value)``).

    Returns:
        The escaped HTML text.

    >>> escape("خبر\\u202e<b>.txt")
    'خبر<span class="hx-invisible" title="U+202E RIGHT-TO-LEFT OVERRIDE">U+202E</span>&lt;b&gt;.txt'
    """
    text = str(value)
    out, pos = [], 0
    for m in RE_SHOWN_CONTROL.finditer(text):
        out.append(_esc(text[pos : m.start()]))
        out.append(_control_tag(m.group()))
        pos = m.end()
    out.append(_esc(text[pos:]))
    return "".join(out)


def bdi(value: Any) -> str:
    """A corpus value for an English sentence: escaped, controls shown, in its own ``<bdi>``.

    The ``<bdi>`` keeps the value's direction from reordering the sentence around it
    (right to left, ``lang="ar"``, when it holds Arabic script).

    Args:
        value: any value (shown as ``str(value)``).

    Returns:
        The HTML of one ``<bdi>`` element.

    >>> bdi("الجزيرة")
    '<bdi dir="rtl" lang="ar">الجزيرة</bdi>'
    """
    text = str(value)
    if has_rtl(text):
        return f'<bdi dir="rtl" lang="ar">{escape(text)}</bdi>'
    return f"<bdi>{escape(text)}</bdi>"


_TAG = re.compile(r"<[^>]+>")


def text_of(html: str) -> str:
    """The plain text of a piece of finished HTML (tags dropped, entities read), for the
    ``text/plain`` stand-in of an :class:`HTML`.

    >>> text_of('<bdi dir="rtl" lang="ar">غزة</bdi> &amp; <b>2</b>')
    'غزة & 2'
    """
    return _html.unescape(_TAG.sub("", html))


def bullets(items: Iterable[str], css_class: str = "hx-findings") -> HTML:
    """A list of finished HTML sentences as one ``<ul>`` (the "what we saw" sections).

    Args:
        items: sentences already escaped (corpus values passed through :func:`bdi`).
        css_class: the list's class in :data:`STYLESHEET`.

    Returns:
        :class:`HTML` holding the ``<ul>``, with the sentences as plain text for consoles.

    >>> bullets(["One.", "Two."]).html
    '<ul class="hx-findings"><li>One.</li><li>Two.</li></ul>'
    """
    items = list(items)
    html = f'<ul class="{css_class}">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    return HTML(html, "\n".join("- " + text_of(i) for i in items))


def side_by_side(parts: Iterable[HTML], *, notes: Iterable[HTML] = ()) -> HTML:
    """Lay pieces (tables, usually) side by side, wrapping on narrow screens, notes above.

    Args:
        parts: finished pieces, e.g. :func:`rtl_table` results.
        notes: pieces shown above them, e.g. :func:`note` results.

    Returns:
        :class:`HTML` holding the notes, then ``<div class="hx-overview">`` with one
        ``<div class="hx-overview-part">`` per part.

    >>> side_by_side([HTML("<table></table>")], notes=[note("Few.")]).html
    '<p class="hx-note">Few.</p><div class="hx-overview"><div class="hx-overview-part"><table></table></div></div>'
    """
    parts, notes = list(parts), list(notes)
    cells = "".join(f'<div class="hx-overview-part">{p.html}</div>' for p in parts)
    return HTML("".join(n.html for n in notes) + f'<div class="hx-overview">{cells}</div>',
                "\n\n".join(x.text for x in [*notes, *parts] if x.text))


def visible_controls(text: Any) -> str:
    """Plain text for a terminal or a log: the characters of ``SHOWN_CONTROLS`` as ``\\uXXXX``.

    An escape sequence or a bidi override in a file name then neither drives the terminal
    nor reorders the message around it.

    Args:
        text: any value (shown as ``str(text)``).

    Returns:
        str.

    >>> print(visible_controls("مقال\\u202e.txt\\x1b[2J"))
    مقال\\u202e.txt\\u001b[2J
    """
    return RE_SHOWN_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))


def plain_text(value: Any) -> HTML:
    """Show a value's text (e.g. a ``LoadReport``) as a preformatted block, safely.

    Like ``print(value)``, but the text is HTML-escaped and controls and bidi overrides
    (in file names, say) are shown as visible tags instead of reordering the lines.

    Args:
        value: anything; ``str(value)`` is shown.

    Returns:
        :class:`HTML` holding ``<pre class="hx-plain" dir="ltr">``.

    >>> plain_text("seen 2\\u202e").html
    '<pre class="hx-plain" dir="ltr">seen 2<span class="hx-invisible" title="U+202E RIGHT-TO-LEFT OVERRIDE">U+202E</span></pre>'
    """
    text = str(value)
    return HTML(f'<pre class="hx-plain" dir="ltr">{escape(text)}</pre>', visible_controls(text))


def _truncate(text: str, max_chars: int | None) -> str:
    if max_chars is None or len(text) <= max_chars:
        return text
    return text[: max(max_chars - 1, 0)].rstrip() + _TRUNCATION_MARK


def _esc_isolated(text: str) -> str:
    """Escape left-to-right prose, wrapping each right-to-left run in ``<bdi>``.

    Keeps "أ → ا" in that order inside English text (without isolation the bidi algorithm
    would show the arrow between two Arabic letters reversed).
    """
    out, pos = [], 0
    for m in RE_RTL_RUN.finditer(text):
        out.append(_esc(text[pos : m.start()]))
        out.append(f'<bdi dir="rtl" lang="ar">{_esc(m.group())}</bdi>')
        pos = m.end()
    out.append(_esc(text[pos:]))
    return "".join(out)


def _mark_invisible(text: str) -> str:
    """Escape ``text``, showing invisible and unusual space characters as visible tags."""
    out = []
    for ch in text:
        if ch != "\n" and (
            unicodedata.category(ch) in ("Cf", "Cc", "Zl", "Zp")
            or (unicodedata.category(ch) == "Zs" and ch != " ")
        ):
            out.append(_control_tag(ch))
        elif ch == "\n":
            out.append('<span class="hx-invisible" title="line break">\u21b5</span>')
        else:
            out.append(_esc(ch))
    return "".join(out)


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists, arrays: never "missing" as a whole
        return False


def _format_value(value: Any, *, max_chars: int | None) -> tuple[str, str]:
    """Return (css class, escaped cell content) for one value."""
    if _is_missing(value):
        return "hx-na", "\u2014"  # — EM DASH stands for a missing value
    if isinstance(value, bool):
        return "hx-text", _esc(value)
    if isinstance(value, int | float) or pd.api.types.is_number(value):
        if isinstance(value, float) and not float(value).is_integer():
            return "hx-num", _esc(f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}")
        return "hx-num", _esc(f"{int(value):,}")
    if isinstance(value, pd.Timestamp):
        if value == value.normalize():
            return "hx-num", _esc(value.strftime("%Y-%m-%d"))
        return "hx-num", _esc(value.strftime("%Y-%m-%d %H:%M %Z").strip())
    if isinstance(value, pd.Period):
        return "hx-num", _esc(str(value))
    if isinstance(value, list | tuple | set) or hasattr(value, "tolist"):
        items = value.tolist() if hasattr(value, "tolist") else list(value)
        value = " \u00b7 ".join(map(str, items))  # · MIDDLE DOT between list items
    text = _truncate(str(value), max_chars)
    return ("hx-ar" if has_rtl(text) else "hx-text"), escape(text)


# where a cell of each class is aligned (inline: JupyterLab right-aligns every td and th)
_ALIGN = {"hx-ar": "right", "hx-num": "right", "hx-na": "center", "hx-text": "left"}
_LETTER = re.compile(r"[^\W\d_]")  # a letter of any script (Latin when not right to left)


def _cell(tag: str, css: str, content: str, *, align: str | None = None,
          direction: str = "ltr") -> str:
    """One ``td``/``th``: its own direction (so it is isolated from its neighbours) and
    alignment; left-to-right text aligns with the table's start (right in a right-to-left
    table); ``align`` overrides both (a header aligned with its column)."""
    if align is None:
        align = "right" if css == "hx-text" and direction == "rtl" else _ALIGN[css]
    style = f'style="text-align: {align}"'
    if css == "hx-ar":
        return f'<{tag} class="{css}" {_RTL_DIR} {style}>{content}</{tag}>'
    if css == "hx-na":
        return f'<{tag} class="{css}" {style}>{content}</{tag}>'
    return f'<{tag} class="{css}" dir="ltr" {style}>{content}</{tag}>'


def _script(css: str, text: Any) -> str | None:
    """"ar" for a cell shown right to left, "latin" for text with a letter shown left to
    right ("True" included), None for numbers, dates, missing values and digit strings."""
    if css == "hx-ar":
        return "ar"
    if css == "hx-text" and _LETTER.search(str(text)):
        return "latin"
    return None


def _column_script(scripts: Iterable[str | None]) -> str | None:
    """A column is Arabic when at least half of its text cells are; None: no text cell."""
    n_ar = n_latin = 0
    for script in scripts:
        n_ar += script == "ar"
        n_latin += script == "latin"
    if n_ar + n_latin == 0:
        return None
    return "ar" if n_ar >= n_latin else "latin"


def _direction(columns: Sequence[str | None], headers: Sequence[str]) -> str:
    """The table's direction from its columns' scripts (headers when no column has text)."""
    if any(c is not None for c in columns):
        return "rtl" if "ar" in columns else "ltr"
    # numbers only: mostly Arabic headers make it an Arabic table
    scripts = [_script("hx-ar" if has_rtl(h) else "hx-text", h) for h in headers]
    n_ar, n_latin = scripts.count("ar"), scripts.count("latin")
    return "rtl" if n_ar and n_ar >= n_latin else "ltr"


def table_direction(
    data: pd.DataFrame | pd.Series,
    *,
    index: bool | None = None,
    max_rows: int | None = 20,
    max_chars: int | None = 160,
) -> str:
    """The reading direction of a table as :func:`rtl_table` lays it out: ``"rtl"`` or ``"ltr"``.

    Decided from the values shown (the first ``max_rows`` rows), never from column names:

    - a *text column* is a column (the index included, when shown) with at least one value
      holding a letter; numbers, dates, periods, missing values and digit strings are not
      text. A text column is *Arabic* when at least half of its text values hold
      right-to-left script (:func:`helpers.resources.has_rtl`; "CNN عربي" counts as
      Arabic), otherwise *Latin*;
    - the table reads right to left when one of its text columns is Arabic. Latin text
      columns beside it (outlet and category names, ids, "target"/"reference", English
      reasons) are labels of Arabic rows: each of their cells keeps its own direction and
      stays readable, while the Arabic columns read in Arabic order. So a table reads the
      same way whatever labels are added to it: the key words of 03 (``term``, ``key_for``)
      and of 05 (with ``source`` in front) both read right to left, and a sample of
      articles reads from its Arabic headline. A table whose text is all Latin (an
      English corpus; file paths and reasons) stays left to right. A Latin value in an
      Arabic column (a pair "my | home" among Arabic pairs) follows the column: the
      columns are ordered for the language of most of the rows;
    - a table with no text column (numbers only) follows its headers: right to left when
      they are mostly Arabic.

    Args:
        data: the frame (a Series is a one-column frame).
        index: whether the index is shown (default as in :func:`rtl_table`).
        max_rows: rows looked at (those shown; None: all).
        max_chars: characters of each text looked at (those shown).

    Returns:
        ``"rtl"`` or ``"ltr"``.

    >>> table_direction(pd.DataFrame({"w1": ["الولايات"], "w2": ["المتحده"], "n": [290]}))
    'rtl'
    >>> table_direction(pd.DataFrame({"w1": ["my"], "w2": ["home"], "n": [3]}))
    'ltr'
    """
    return _layout(data, None, max_rows=max_rows, max_chars=max_chars, index=index)[0]


def _layout(
    data: pd.DataFrame | pd.Series,
    columns: Sequence[str] | None,
    *,
    max_rows: int | None,
    max_chars: int | None,
    index: bool | None,
) -> tuple[str, list[str], list[str | None], list[list[tuple[str, str]]], pd.DataFrame, int]:
    """Format the shown cells once and decide the direction from them.

    Returns:
        (direction, header names, each column's script, rows of (css, content),
        the shown frame, the number of rows).
    """
    frame = data.to_frame() if isinstance(data, pd.Series) else data
    if columns is not None:
        frame = frame.loc[:, list(columns)]
    if index is None:
        index = not (
            isinstance(frame.index, pd.RangeIndex)
            and frame.index.start == 0
            and frame.index.step == 1
        )
    shown = frame if max_rows is None else frame.head(max_rows)
    headers = ([_index_name(frame)] if index else []) + [str(c) for c in frame.columns]
    rows, scripts = [], [[] for _ in headers]
    for label, row in zip(shown.index, shown.itertuples(index=False, name=None), strict=True):
        values = ((label,) if index else ()) + tuple(row)
        cells = [_format_value(value, max_chars=max_chars) for value in values]
        for i, (value, (css, _)) in enumerate(zip(values, cells, strict=True)):
            scripts[i].append(_script(css, value))
        rows.append(cells)
    column_scripts = [_column_script(s) for s in scripts]
    return _direction(column_scripts, headers), headers, column_scripts, rows, shown, len(frame)


def _header_align(script: str | None, cells: Iterable[tuple[str | None, str]],
                  direction: str) -> str | None:
    """Align a header with its column: right over Arabic text and numbers, over other text
    at the table's start (left, or right in a right-to-left table)."""
    if script == "ar" or (script == "latin" and direction == "rtl"):
        return "right"
    if script == "latin":
        return "left"
    return "right" if any(css not in (None, "hx-na") for css, _ in cells) else None


def _row(cells: Sequence[tuple[str | None, str]], direction: str, *, label: bool = False) -> str:
    """One ``<tr>`` of (css, content) cells; a cell whose css is None is finished markup."""
    out = [content if css is None else
           _cell("th" if label and i == 0 else "td", css, content, direction=direction)
           for i, (css, content) in enumerate(cells)]
    return "<tr>" + "".join(out) + "</tr>"


def _table_open(direction: str, css_class: str, caption: str | None) -> str:
    """``<table dir=...>`` (and its caption, in the caption's own direction)."""
    html = f'<table class="{css_class}" dir="{direction}">'
    if caption:
        html += f'<caption dir="{"rtl" if has_rtl(caption) else "ltr"}">{escape(caption)}</caption>'
    return html


def rtl_table(
    data: pd.DataFrame | pd.Series,
    columns: Sequence[str] | None = None,
    *,
    max_rows: int | None = 20,
    max_chars: int | None = 160,
    index: bool | None = None,
    caption: str | None = None,
    empty: str = "No rows.",
    direction: str | None = None,
) -> HTML:
    """Render a DataFrame as an escaped HTML table, right to left where its text is Arabic.

    The table is ``dir="rtl"`` when its text columns are Arabic (:func:`table_direction`):
    its first column (the index, when shown) is then on the right, and columns follow
    leftwards, so a collocation ``w1 | w2`` or an n-gram split over columns reads as the
    phrase, from the right. Each cell keeps its own direction, isolated from its
    neighbours: cells holding Arabic script get ``dir="rtl" lang="ar"`` and are
    right-aligned; numbers and dates are left-to-right and right-aligned; other text is
    left-to-right and left-aligned; missing values show as a dash; headers are aligned with
    their column. Every header and value is HTML-escaped.

    Args:
        data: the frame (a Series is shown as a one-column frame); not modified.
        columns: columns to show, in this order (default: all).
        max_rows: show at most this many rows (None: all), with a note saying how many.
        max_chars: cut longer texts to this many characters, ending with "…".
        index: show the index as the first column; default: only when it is not a
            plain 0..n-1 RangeIndex.
        caption: an optional caption (escaped).
        empty: text shown instead of a table when there are no rows.
        direction: ``"rtl"`` or ``"ltr"`` to set the table's direction; None (default)
            decides it from the values shown.

    Returns:
        :class:`HTML`.

    >>> t = rtl_table(pd.DataFrame({"title": ["خبر <b>"], "n": [3]}))
    >>> t.html.startswith('<div class="hx-table-wrap"><table class="hx-table" dir="rtl">')
    True
    >>> "&lt;b&gt;" in t.html
    True
    """
    if direction not in (None, "rtl", "ltr"):
        raise ValueError(f'direction must be "rtl", "ltr" or None, not {direction!r}')
    decided, headers, scripts, rows, shown, n_rows = _layout(
        data, columns, max_rows=max_rows, max_chars=max_chars, index=index
    )
    if n_rows == 0:
        return note(empty)
    has_index = len(headers) > len(shown.columns)
    direction = direction or decided
    parts = [_table_open(direction, "hx-table", caption), "<thead><tr>"]
    for i, name in enumerate(headers):
        align = _header_align(scripts[i], (r[i] for r in rows), direction)
        parts.append(_cell("th", "hx-ar" if has_rtl(name) else "hx-text", escape(name), align=align))
    parts.append("</tr></thead><tbody>")
    parts.extend(_row(cells, direction, label=has_index) for cells in rows)
    parts.append("</tbody></table>")
    html = "".join(parts)
    if max_rows is not None and n_rows > max_rows:
        html += f'<p class="hx-table-note">Showing {max_rows:,} of {n_rows:,} rows.</p>'
    return HTML(f'<div class="hx-table-wrap">{html}</div>', _plain(shown, n_rows))


def _index_name(frame: pd.DataFrame) -> str:
    names = [n for n in frame.index.names if n is not None]
    return " / ".join(map(str, names)) if names else ""


def _plain(frame: pd.DataFrame, n_rows: int) -> str:
    with pd.option_context("display.max_colwidth", 40, "display.width", 120):
        text = frame.to_string(max_rows=20)
    return text if n_rows <= len(frame) else f"{text}\n({len(frame)} of {n_rows} rows)"


def rtl_text(
    text: str | None,
    *,
    max_chars: int | None = None,
    max_paragraphs: int | None = None,
    title: str | None = None,
) -> HTML:
    """Quote Arabic text as an escaped right-to-left block, one ``<p>`` per paragraph.

    Controls and bidi embeddings or overrides show as ``U+XXXX`` tags (:func:`escape`).

    Args:
        text: the text, in logical order; line breaks separate paragraphs.
        max_chars: cut the text to this many characters (ending with "…").
        max_paragraphs: keep only the first paragraphs.
        title: an optional heading shown above the text (escaped); None or a missing
            value (``pd.NA``: an article without a headline) shows none.

    Returns:
        :class:`HTML` holding ``<div class="hx-quote" dir="rtl" lang="ar">``.

    >>> print(rtl_text("سطر أول\\nسطر ثان").html)
    <div class="hx-quote" dir="rtl" lang="ar"><p style="text-align: right">سطر أول</p><p style="text-align: right">سطر ثان</p></div>
    """
    if text is None or _is_missing(text):
        return note("No text.")
    body = _truncate(str(text), max_chars)
    paragraphs = [p.strip() for p in body.splitlines() if p.strip()]
    cut = max_paragraphs is not None and len(paragraphs) > max_paragraphs
    if cut:
        paragraphs = paragraphs[:max_paragraphs] + [_TRUNCATION_MARK]
    inner = "".join(f"<p{_P_RTL}>{escape(p)}</p>" for p in paragraphs)
    if title is not None and _is_missing(title):  # an article without a headline
        title = None
    head = f"<p{_P_RTL}><strong>{escape(title)}</strong></p>" if title else ""
    return HTML(
        f'<div class="hx-quote" {_RTL_DIR}>{head}{inner}</div>',
        "\n".join(([title] if title else []) + paragraphs),
    )


def before_after(
    examples: pd.DataFrame | Iterable[Mapping[str, Any]],
    *,
    max_chars: int | None = 240,
    show_invisible: bool = True,
    caption: str | None = None,
) -> HTML:
    """Render cleaning examples as a table: step, what changed, text before and after.

    Invisible characters (bidi marks, zero-width joiners, odd spaces, line breaks) are
    shown as small red ``U+XXXX`` tags, so that steps which remove them show a difference.
    The table reads right to left when the snippets are Arabic (:func:`table_direction`'s
    rule: "before" on the right of "after", as an Arabic reader reads them).

    Args:
        examples: a DataFrame or records with the columns ``step``, ``before``, ``after``
            and optionally ``change`` (a short description) and ``articles`` (how many
            articles the step changes). Rows whose ``before`` is missing are shown with a
            note (no example found).
        max_chars: cut longer snippets to this many characters.
        show_invisible: tag invisible characters.
        caption: an optional caption.

    Returns:
        :class:`HTML`.

    >>> t = before_after([{"step": "tatweel", "before": "كتـــاب", "after": "كتاب"}])
    >>> t.html.count('<td class="hx-ar" dir="rtl"'), '<table class="hx-table hx-before-after" dir="rtl">' in t.html
    (2, True)
    """
    frame = examples if isinstance(examples, pd.DataFrame) else pd.DataFrame(list(examples))
    if frame.empty:
        return note("No cleaning examples.")
    extra = [c for c in ("articles", "change") if c in frame.columns]
    headers = ["step", *extra, "before", "after"]
    render = _mark_invisible if show_invisible else _esc
    rows, scripts = [], [[] for _ in headers]
    for rec in frame.to_dict("records"):
        step = rec.get("step", "")
        cells: list[tuple[str | None, str]] = [("hx-text", f"<code>{_esc(step)}</code>")]
        scripts[0].append(_script("hx-text", step))
        for col in extra:
            value = rec.get(col)
            if col == "change" and isinstance(value, str):  # English, Arabic runs isolated
                cells.append(("hx-text", _esc_isolated(value)))
                scripts[len(cells) - 1].append(_script("hx-text", value))
            else:
                cells.append(_format_value(value, max_chars=None))
                scripts[len(cells) - 1].append(_script(cells[-1][0], value))
        before, after = rec.get("before"), rec.get("after")
        if _is_missing(before):
            cells.append((None, '<td class="hx-na" colspan="2" style="text-align: center">'
                                "no article in this corpus is changed by this step</td>"))
        else:
            for i, value in enumerate((before, after), start=len(cells)):
                text = _truncate(str(value), max_chars)
                cells.append(("hx-ar", render(text)))
                scripts[i].append("ar" if has_rtl(text) else _script("hx-text", text))
        rows.append(cells)
    column_scripts = [_column_script(c) for c in scripts]
    direction = _direction(column_scripts, headers)
    parts = ['<div class="hx-table-wrap">',
             _table_open(direction, "hx-table hx-before-after", caption), "<thead><tr>"]
    for i, (h, script) in enumerate(zip(headers, column_scripts, strict=True)):
        align = _header_align(script, (r[i] for r in rows if i < len(r)), direction)
        parts.append(_cell("th", "hx-text", _esc(h), align=align))
    parts.append("</tr></thead><tbody>")
    parts.extend(_row(cells, direction) for cells in rows)
    parts.append("</tbody></table></div>")
    return HTML("".join(parts), frame.to_string())


def note(message: str) -> HTML:
    """Return a short highlighted note (escaped), e.g. where an analysis needs more data.

    Args:
        message: the note, plain text.

    Returns:
        :class:`HTML` holding ``<p class="hx-note">``.

    >>> note("Only one source.").html
    '<p class="hx-note">Only one source.</p>'
    """
    return HTML(f'<p class="hx-note">{_esc(message)}</p>', message)
