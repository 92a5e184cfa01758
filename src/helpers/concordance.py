"""Concordance (keyword in context) that finds a word whatever its spelling and clitics.

The query is normalised with ``helpers.normalize(..., preset="search")``; the text is not.
Instead the query becomes a regular expression over the *original* text: each letter
matches every character that normalises to it (ا matches أ إ آ ٱ, ي matches ى, ...), any
character the normalisation deletes (diacritics, tatweel, bidi controls) may appear between
letters, and, unless ``exact=True``, the word may carry proclitics (و ف ب ك ل, the article
ال and its contraction لل) and pronoun suffixes (ه ها هم هما هن ك كم كما كن نا; a final ة
becomes ت before them). The match offsets are therefore offsets in the original text, and
the contexts are cut from it unchanged: no offset map is needed, and what is shown is what
the article says.

The character classes are derived from ``normalize`` itself (every Arabic-script and
Latin character is normalised once and grouped by its result), so searching always agrees
with what the cleaning step does.

>>> arts = pd.DataFrame({"id": ["a1"], "body": ["زار الوفد ومصرُ ثم بمصر."]})
>>> kwic(arts, "مصر", width=5)["match"].tolist()
['ومصرُ', 'بمصر']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from .cleaning import normalize
from .display import escape
from .resources import (
    ARABIC_LETTER_TEH,
    ARABIC_LETTER_TEH_MARBUTA,
    ARABIC_TATWEEL,
    DEFINITE_ARTICLE,
    ENCLITICS,
    KWIC_CANDIDATE_RANGES,
    LAM_ARTICLE,
    PROCLITIC_CONJUNCTIONS,
    PROCLITIC_PREPOSITIONS,
    RE_RTL_CHAR,
)

__all__ = ["kwic", "kwic_html", "query_pattern", "Concordance"]

#: joins the articles into one string for a single regex scan (never part of a word)
_SEPARATOR = "\n\n"
#: characters searched before / after a candidate for the full match (clitics, marks)
_BACK = 32
_AHEAD = 256


def _search_form(values: pd.Series) -> pd.Series:
    """``values`` normalised as the text is searched (the ``search`` preset)."""
    return normalize(values, preset="search")


@lru_cache(maxsize=1)
def _classes() -> tuple[dict[str, str], str]:
    """(normalised char -> regex class of original chars, class of deletable chars)."""
    chars = []
    for lo, hi in KWIC_CANDIDATE_RANGES:
        chars.extend(chr(c) for c in range(ord(lo), ord(hi) + 1))
    norm = _search_form(pd.Series(chars, dtype=object))
    groups: dict[str, list[str]] = {}
    ignorable = []
    for ch, out in zip(chars, norm.tolist()):
        out = "" if out is None or (isinstance(out, float)) else str(out)
        if out == "":
            if unicodedata.category(ch) in ("Mn", "Cf") or ch == ARABIC_TATWEEL:
                ignorable.append(ch)
        elif len(out) == 1:
            groups.setdefault(out, []).append(ch)
    classes = {k: "[" + "".join(re.escape(c) for c in sorted(set(v) | {k})) + "]" for k, v in groups.items()}
    ign = "[" + "".join(re.escape(c) for c in ignorable) + "]*" if ignorable else ""
    return classes, ign


def _letters(word: str, classes: dict[str, str], ign: str) -> list[str]:
    return [(classes.get(c) or re.escape(c)) + ign for c in word]


def query_pattern(query: str, *, exact: bool = False) -> re.Pattern:
    """The compiled regex :func:`kwic` uses for ``query`` (useful to check what matches).

    Args:
        query: one or more words (words are matched in sequence, any whitespace between).
        exact: match the query literally (no normalisation, no clitics), whole words only.

    Returns:
        A compiled pattern over original (unnormalised) text.

    >>> bool(query_pattern("مصر").search("لمصرَ"))
    True
    """
    if exact:
        words = query.split()
        body = r"\s+".join(re.escape(w) for w in words)
        return re.compile(rf"(?<!\w){body}(?!\w)")
    classes, ign = _classes()
    text = str(_search_form(pd.Series([query], dtype=object)).iloc[0])
    words = text.split()
    if not words:
        raise ValueError("empty query")
    alef_lam = "".join(_letters(DEFINITE_ARTICLE, classes, ign))
    lam_lam = "".join(_letters(LAM_ARTICLE, classes, ign))
    conj = "[" + "".join(_letters_raw(PROCLITIC_CONJUNCTIONS, classes)) + "]" + ign
    prep = "[" + "".join(_letters_raw(PROCLITIC_PREPOSITIONS, classes)) + "]" + ign
    suffix = "(?:" + "|".join(
        "".join(_letters(s, classes, ign)) for s in sorted(ENCLITICS, key=len, reverse=True)
    ) + ")"
    teh = "".join(_letters(ARABIC_LETTER_TEH, classes, ign))
    parts = []
    for word in words:
        if word.startswith(DEFINITE_ARTICLE) and len(word) > len(DEFINITE_ARTICLE) + 1:
            # the article is part of the query: ال, بال, وال, or the contraction لل
            stem = word[len(DEFINITE_ARTICLE):]
            prefix = f"(?:{conj})?(?:(?:{prep})?{alef_lam}|{lam_lam})"
        else:
            stem = word
            prefix = f"(?:{conj})?(?:(?:{prep})?{alef_lam}|{lam_lam}|{prep})?"
        letters = _letters(stem, classes, ign)
        body = "".join(letters) + f"{suffix}?"
        teh_class = classes.get(stem[-1], "")
        if ARABIC_LETTER_TEH_MARBUTA in teh_class and len(letters) > 1:  # stem ends in (normalised) teh marbuta
            body = f"(?:{body}|{''.join(letters[:-1])}{teh}{suffix})"
        parts.append(prefix + body)
    boundary = f"[\\w{ign[1:-2]}]" if ign else "\\w"
    return re.compile(f"(?<!{boundary})" + r"\s+".join(parts) + f"(?!{boundary})")


def _letters_raw(chars: str, classes: dict[str, str]) -> list[str]:
    """The members of the classes of ``chars``, without brackets (for a combined class)."""
    return [(classes.get(c) or f"[{re.escape(c)}]")[1:-1] for c in chars]


@lru_cache(maxsize=64)
def _candidate_pattern(query: str, *, exact: bool = False) -> re.Pattern | None:
    """A fast pattern every match must contain: the core letters of the first word.

    It starts with a character class or a literal, so the regex engine scans for it
    quickly; the full pattern (lookbehind, optional clitics) is then only tried around
    each candidate. ``None`` when the core is too short to be worth it.
    """
    words = query.split()
    if exact:
        return re.compile(re.escape(words[0])) if words else None
    classes, ign = _classes()
    text = str(_search_form(pd.Series([query], dtype=object)).iloc[0]).split()
    if not text:
        return None
    stem = text[0]
    if stem.startswith(DEFINITE_ARTICLE) and len(stem) > len(DEFINITE_ARTICLE) + 1:
        stem = stem[len(DEFINITE_ARTICLE):]
    core = stem[:-1]  # the last letter may be a teh marbuta written ت before a suffix
    if len(core) < 2:
        return None
    return re.compile("".join(_letters(core, classes, ign)))


def _find(pattern: re.Pattern, candidate: re.Pattern | None, text: str, limit: int | None):
    """Spans of ``pattern`` in ``text``, trying it only in windows around ``candidate`` hits."""
    spans: list[tuple[int, int]] = []
    if candidate is None:
        for m in pattern.finditer(text):
            spans.append(m.span())
            if limit is not None and len(spans) >= limit:
                break
        return spans
    n = len(text)
    last_end = -1
    for c in candidate.finditer(text):
        lo = max(c.start() - _BACK, 0)
        hi = min(c.end() + _AHEAD + 8 * len(pattern.pattern) // 64, n)
        # lookbehind sees text before `lo`; the lookahead at `hi` would not see past it,
        # so a match ending at `hi` (not the true end of the text) is not trusted
        for m in pattern.finditer(text, lo, hi):
            if m.start() <= c.start() < m.end() and (m.end() < hi or hi == n) and m.start() >= last_end:
                spans.append(m.span())
                last_end = m.end()
                break
        if limit is not None and len(spans) >= limit:
            break
    return spans


def kwic(
    articles: pd.DataFrame,
    query: str,
    *,
    width: int = 40,
    exact: bool = False,
    column: str = "body",
    metadata: Sequence[str] = ("source", "category", "date", "title"),
    limit: int | None = None,
) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``query`` with the text around it.

    Args:
        articles: articles DataFrame (``id``, the text column and metadata columns).
        query: a word or phrase, written any way (normalised like the text: hamza forms,
            diacritics and tatweel do not matter).
        width: characters of context on each side.
        exact: match the query exactly as typed, as a whole word (no clitics, no
            spelling tolerance).
        column: the text column searched.
        metadata: columns copied next to each line (those present in ``articles``).
        limit: stop after this many lines.

    Returns:
        DataFrame with columns ``id``, ``left`` (the ``width`` characters before the match,
        in reading order, i.e. shown to the right of it in Arabic), ``match`` (the matched
        text as written, clitics included), ``right`` (the characters after it), ``start``
        and ``end`` (character offsets of the match in the article's ``column``), then
        the ``metadata`` columns; one row per occurrence, in article order. Line breaks
        in the contexts are shown as spaces.

    >>> arts = pd.DataFrame({"id": ["a1"], "body": ["وقال إن لمصر دورا"]})
    >>> kwic(arts, "مصر", width=7)[["left", "match", "right"]].values.tolist()
    [['قال إن ', 'لمصر', ' دورا']]
    """
    pattern = query_pattern(query, exact=exact)
    texts = articles[column].astype(object).where(articles[column].notna(), "").tolist()
    joined = _SEPARATOR.join(texts)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts), dtype=np.int64)
    if len(texts) > 1:
        starts[1:] = np.cumsum(lengths[:-1] + len(_SEPARATOR))
    spans = _find(pattern, _candidate_pattern(query, exact=exact), joined, limit)
    span = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    doc = np.searchsorted(starts, span[:, 0], side="right") - 1
    doc_start = starts[doc]
    doc_end = doc_start + lengths[doc]
    left_from = np.maximum(span[:, 0] - width, doc_start)
    right_to = np.minimum(span[:, 1] + width, doc_end)
    flat = str.maketrans({"\n": " ", "\r": " ", "\t": " "})
    left = [joined[a:b].translate(flat) for a, b in zip(left_from, span[:, 0])]
    match = [joined[a:b] for a, b in span]
    right = [joined[a:b].translate(flat) for a, b in zip(span[:, 1], right_to)]
    # only the columns copied next to the lines: taking the text column once per line
    # would copy a long article as many times as the query occurs in it
    keep = [c for c in ("id", *metadata) if c in articles.columns]
    rows = articles[list(dict.fromkeys(keep))].iloc[doc]
    out = pd.DataFrame(
        {
            "id": rows["id"].to_numpy() if "id" in articles.columns else articles.index[doc],
            "left": left,
            "match": match,
            "right": right,
            "start": span[:, 0] - doc_start,
            "end": span[:, 1] - doc_start,
        }
    )
    for col in metadata:
        if col in articles.columns:
            out[col] = rows[col].to_numpy()
    return out


@dataclass(frozen=True)
class Concordance:
    """An HTML concordance table (shown by Jupyter through ``_repr_html_``)."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


_KWIC_STYLE = (
    "<style>"
    ".hx-kwic{border-collapse:collapse;font-family:'Noto Naskh Arabic','Amiri','Geeza Pro',"
    "'Segoe UI',Tahoma,'DejaVu Sans',sans-serif;font-size:15px}"
    ".hx-kwic td,.hx-kwic th{padding:2px 6px;white-space:nowrap;border-bottom:1px solid #eee}"
    ".hx-kwic .l{text-align:end;color:#555}"
    ".hx-kwic .m{text-align:center;font-weight:bold;color:#a00}"
    ".hx-kwic .r{text-align:start;color:#555}"
    ".hx-kwic .meta{font-size:12px;color:#888;direction:ltr;text-align:left}"
    ".hx-kwic .meta-ar{direction:rtl;text-align:right}"
    "</style>"
)


# each context aligned against the match, inline (see kwic_html); start/end follow the
# table's right-to-left direction: the preceding context ends at the match, on its right
_END = ' style="text-align: end"'
_CENTER = ' style="text-align: center"'
_START = ' style="text-align: start"'


def _meta_cell(value: object) -> str:
    """A metadata cell: left to right, except Arabic values (an outlet, a headline); controls
    and bidi overrides (in an id from a file name) shown as tags (:func:`helpers.display.escape`);
    a missing value (an article without an outlet) as a dash."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return '<td class="meta" style="text-align: center">\u2014</td>'  # — EM DASH
    value = str(value)
    if RE_RTL_CHAR.search(value):
        return f'<td class="meta meta-ar" dir="rtl" lang="ar">{escape(value)}</td>'
    return f'<td class="meta">{escape(value)}</td>'


def kwic_html(lines: pd.DataFrame, *, metadata: Sequence[str] = ("id", "source"), max_rows: int = 200) -> Concordance:
    """A concordance as an aligned right-to-left HTML table (every value escaped).

    The table is ``dir="rtl"``: the preceding context (``left``) sits to the right of the
    match, aligned against it, the following context (``right``) to its left, so the
    matches form one column in the middle. Text stays in logical order. The alignment is
    written on each cell: JupyterLab's stylesheet (and nbconvert's, in the reports)
    right-aligns every ``td`` with a rule stronger than a class, which would push the
    preceding context away from the match. A missing metadata value shows as a dash.

    Args:
        lines: the output of :func:`kwic`.
        metadata: columns shown after the context (those present).
        max_rows: rows shown at most (a note says how many were left out).

    Returns:
        :class:`Concordance` (displays itself in a notebook; ``.html`` is the markup).

    >>> "&lt;b&gt;" in kwic_html(pd.DataFrame({"left": ["<b>"], "match": ["مصر"], "right": [""]})).html
    True
    """
    cols = [c for c in metadata if c in lines.columns]
    head = "".join(f'<th class="meta">{escape(str(c))}</th>' for c in cols)
    body = []
    for r in lines.head(max_rows).to_dict("records"):
        meta = "".join(_meta_cell(r.get(c, "")) for c in cols)
        body.append(
            f'<tr><td class="l"{_END}>{escape(r["left"])}</td>'
            f'<td class="m"{_CENTER}>{escape(r["match"])}</td>'
            f'<td class="r"{_START}>{escape(r["right"])}</td>{meta}</tr>'
        )
    more = len(lines) - min(len(lines), max_rows)
    note = f'<p dir="ltr" style="color:#888">{more} more lines not shown</p>' if more > 0 else ""
    html = (
        f'{_KWIC_STYLE}<table class="hx-kwic" dir="rtl" lang="ar"><thead><tr><th>قبل</th>'
        f"<th>الكلمة</th><th>بعد</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}"
    )
    return Concordance(html)
