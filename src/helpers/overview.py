"""The corpus at a glance: counts, cleaning examples and a short computed summary.

Small pure functions over the ``articles`` frame and the ``LoadReport`` that
``helpers.load_corpus`` returns; they keep the notebooks free of logic. Nothing here
touches the disk. The analyses return data (frames, dicts); :class:`CorpusOverview` shows
itself with the tables of :mod:`helpers.display`, and the computed "what we saw" of
notebook 01 is written from these numbers in :mod:`helpers.prose.load_and_clean`.

>>> import pandas as pd
>>> a = pd.DataFrame({"source": ["bbc", "cnn", "bbc"], "category": ["world"] * 3,
...                   "date": pd.to_datetime(["2020-01-05", "2020-01-20", "2020-02-01"], utc=True)})
>>> articles_per(a, "source")["articles"].tolist()
[2, 1]
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from helpers import resources as R
from helpers.display import note, rtl_table, side_by_side
from helpers.encoded import encode

__all__ = [
    "articles_per",
    "largest_outlet",
    "articles_per_month",
    "corpus_summary",
    "corpus_overview",
    "CorpusOverview",
    "skipped_files",
    "sample_articles",
    "cleaning_examples",
    "clean_corpus",
    "article_lengths",
]


def articles_per(articles: pd.DataFrame, column: str, *, dropna: bool = False) -> pd.DataFrame:
    """Count articles per value of ``column``, most frequent first, with shares.

    Args:
        articles: the articles frame (not modified).
        column: the column to count by, e.g. ``"source"`` or ``"category"``.
        dropna: leave out articles whose value is missing (else counted as "(missing)").

    Returns:
        DataFrame indexed by the value, columns ``articles`` (int) and ``share`` (0..1).

    >>> articles_per(pd.DataFrame({"source": ["الجزيرة", "bbc", "الجزيرة"]}), "source").index[0]
    'الجزيرة'
    """
    values = articles[column].astype("object")
    if not dropna:
        values = values.where(values.notna(), "(missing)")
    table = values.value_counts(dropna=dropna).rename("articles").to_frame()
    table.index.name = column
    total = int(table["articles"].sum())
    table["share"] = table["articles"] / total if total else 0.0
    return table


def largest_outlet(articles: pd.DataFrame, *, by: str = "source") -> Any:
    """The outlet with most articles, or None when no article names one.

    Ties go to the first name in sort order (what ``articles[by].mode().iloc[0]`` gives),
    so the choice does not depend on the order of the articles.

    Args:
        articles: the articles frame (not modified).
        by: the outlet column.

    Returns:
        The value of ``by`` (a str for the loader's columns), or None.

    >>> largest_outlet(pd.DataFrame({"source": ["الجزيرة", "bbc", "الجزيرة", None]}))
    'الجزيرة'
    >>> largest_outlet(pd.DataFrame({"source": [None, None]})) is None
    True
    """
    counts = articles[by].value_counts(dropna=True)
    if counts.empty:
        return None
    return counts.sort_index().sort_values(ascending=False, kind="stable").index[0]


def articles_per_month(articles: pd.DataFrame, *, date: str = "date") -> pd.DataFrame:
    """Count dated articles per calendar month (UTC), months without articles included.

    Args:
        articles: the articles frame (not modified).
        date: the name of the timezone-aware date column.

    Returns:
        DataFrame indexed by month (``YYYY-MM`` strings) with an ``articles`` column; empty
        when no article has a date.

    >>> d = pd.DataFrame({"date": pd.to_datetime(["2020-01-05", "2020-03-01"], utc=True)})
    >>> articles_per_month(d)["articles"].tolist()
    [1, 0, 1]
    """
    dates = articles[date].dropna()
    if dates.empty:
        return pd.DataFrame({"articles": pd.Series(dtype="int64")}, index=pd.Index([], name="month"))
    months = dates.dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period("M")
    table = months.value_counts().sort_index()
    full = pd.period_range(table.index.min(), table.index.max(), freq="M")
    table = table.reindex(full, fill_value=0)
    out = table.rename("articles").to_frame()
    out.index = pd.Index(out.index.astype(str), name="month")
    return out


def corpus_summary(articles: pd.DataFrame, report: Any = None) -> dict[str, Any]:
    """Summarise a loaded corpus in a few numbers (for the report index and "what we saw").

    Args:
        articles: the articles frame.
        report: the ``LoadReport`` from ``load_corpus`` (optional).

    Returns:
        dict with ``articles``, ``sources`` (list of names, most articles first),
        ``categories`` (count), ``dated`` (articles with a date), ``date_min``,
        ``date_max`` (Timestamps or None), ``seen``, ``skipped``, ``duplicate_bodies`` and
        ``warnings`` (counts; None without a report).
    """
    sources = articles_per(articles, "source", dropna=True).index.tolist() if len(articles) else []
    dates = articles["date"].dropna() if "date" in articles else pd.Series(dtype="object")
    return {
        "articles": len(articles),
        "sources": [str(s) for s in sources],
        "categories": int(articles["category"].nunique()) if "category" in articles else 0,
        "dated": len(dates),
        "date_min": dates.min() if len(dates) else None,
        "date_max": dates.max() if len(dates) else None,
        "seen": getattr(report, "seen", None),
        "skipped": len(report.skipped) if report is not None else None,
        "duplicate_bodies": getattr(report, "duplicate_bodies", None),
        "warnings": len(report.warnings) if report is not None else None,
    }


@dataclass(frozen=True)
class CorpusOverview:
    """Articles per source, category and month, with notes where the data is too thin."""

    per_source: pd.DataFrame
    per_category: pd.DataFrame
    per_month: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def _repr_html_(self) -> str:
        tables = [
            rtl_table(self.per_source, caption="Articles per source", max_rows=50),
            rtl_table(self.per_category, caption="Articles per category", max_rows=50),
        ]
        months = self.per_month[self.per_month["articles"] > 0]
        if len(months):
            empty = len(self.per_month) - len(months)
            caption = "Articles per month (UTC)" + (
                f"; {empty} of the {len(self.per_month)} months in between have none"
                if empty else "")
            tables.append(rtl_table(months, caption=caption, max_rows=120))
        return side_by_side(tables, notes=[note(n) for n in self.notes]).html

    def __repr__(self) -> str:
        return "\n\n".join(
            [*self.notes, self.per_source.to_string(), self.per_category.to_string(),
             self.per_month.to_string()]
        )


def corpus_overview(articles: pd.DataFrame) -> CorpusOverview:
    """Count articles per source, category and month, noting what needs more data.

    Args:
        articles: the articles frame (not modified).

    Returns:
        :class:`CorpusOverview`; displaying it shows three tables and the notes.
    """
    per_month = articles_per_month(articles)
    per_source = articles_per(articles, "source")
    notes = []
    if len(articles) < 2:
        notes.append(
            f"This corpus holds {len(articles)} article(s): counts and distributions "
            "need many more articles to mean anything."
        )
    sources = articles["source"].nunique()
    if sources == 0:
        notes.append("No article names its source: comparing outlets needs at least two.")
    elif sources == 1:
        notes.append("Only one source: comparing outlets needs at least two.")
    if per_month.empty:
        notes.append("No article carries a date, so there is nothing to show over time.")
    elif len(per_month) < 3:
        notes.append(f"Dates span {len(per_month)} month(s): trends need a longer period.")
    return CorpusOverview(per_source, articles_per(articles, "category"), per_month, notes)


def skipped_files(report: Any) -> pd.DataFrame:
    """Return the files the loader skipped as a table.

    Args:
        report: the ``LoadReport`` from ``load_corpus``.

    Returns:
        DataFrame with columns ``path`` and ``reason`` (no rows when nothing was skipped).
    """
    rows = [_path_reason(s) for s in report.skipped]
    return pd.DataFrame(rows, columns=["path", "reason"], dtype="string")


def _path_reason(entry: Any) -> tuple[str, str]:
    """(path, reason) of a skipped entry: a ``Skipped`` record or a plain pair."""
    if hasattr(entry, "reason"):
        return str(entry.path), str(entry.reason)
    path, reason = entry[0], entry[1]
    return str(path), str(reason)


def sample_articles(
    articles: pd.DataFrame,
    n: int = 5,
    *,
    seed: int = 0,
    columns: Sequence[str] = ("source", "category", "date", "title"),
) -> pd.DataFrame:
    """Pick ``n`` random articles (all when there are fewer), keeping their index.

    Args:
        articles: the articles frame (not modified).
        n: how many articles.
        seed: random seed, for the same sample on every run.
        columns: the columns to keep.

    Returns:
        DataFrame of at most ``n`` rows, in corpus order.
    """
    picked = articles.sample(n=min(n, len(articles)), random_state=seed).sort_index()
    picked = picked.loc[:, [c for c in columns if c in picked.columns]]
    return picked.rename_axis(picked.index.name or "row")


# ---------------------------------------------------------------------------- cleaning


def _snippet(before: str, after: str, *, width: int) -> tuple[str, str]:
    """Cut matching windows of ``before`` and ``after`` around their first difference.

    The window starts up to ``width`` characters before the first change (at a word
    boundary) and ends up to ``width`` characters after the end of that change, mapped into
    ``after`` through the character alignment so both windows cover the same passage.
    """
    first = 0
    limit = min(len(before), len(after))
    while first < limit and before[first] == after[first]:
        first += 1
    # align only the neighbourhood of the first change (long articles stay cheap)
    span = first + 4 * width + 200
    ops = difflib.SequenceMatcher(None, before[:span], after[:span], autojunk=False).get_opcodes()
    change_end = next((i2 for tag, _, i2, _, _ in ops if tag != "equal"), first)
    lo = max(0, first - width)
    if lo:
        space = before.find(" ", lo, first)
        lo = space + 1 if space >= 0 else lo
    hi = min(len(before), change_end + width, span)
    space = before.find(" ", hi, hi + 15)
    hi = space if space >= 0 else hi
    hi_a = None
    for tag, i1, i2, j1, j2 in ops:
        if i1 <= hi <= i2:
            if tag == "equal":
                hi_a = j1 + (hi - i1)
            else:
                hi, hi_a = i2, j2
            break
    if hi_a is None:  # beyond the aligned part: both texts end the same way from here
        hi_a = len(after) - (len(before) - hi)
    mark = "\u2026"  # … HORIZONTAL ELLIPSIS: the passage goes on
    b = (mark if lo else "") + before[lo:hi] + (mark if hi < len(before) else "")
    a = (mark if lo else "") + after[lo:hi_a] + (mark if hi_a < len(after) else "")
    return b, a


def _char_label(text: str) -> str:
    """Name a short run of characters: the text itself, or code points for invisible marks."""
    if text == "":
        return "nothing"
    if not any(_is_mark(ch) for ch in text):
        return text if len(text) <= 16 else text[:15] + "\u2026"
    shown = []
    for ch in text[:3]:
        if _is_mark(ch):
            shown.append(f"U+{ord(ch):04X} {unicodedata.name(ch, '').lower()}".strip())
        else:
            shown.append(ch)
    return " ".join(shown) + ("\u2026" if len(text) > 3 else "")


def _is_mark(ch: str) -> bool:
    """Combining marks, format and control characters, spaces and tatweel: named, not shown."""
    return unicodedata.category(ch).startswith(("M", "C", "Z")) or ch == "\u0640"


def _describe_change(before: str, after: str, *, limit: int = 3) -> str:
    """Say in a few words which characters a step removed, added or replaced."""
    removed: Counter[str] = Counter()
    replaced: Counter[tuple[str, str]] = Counter()
    added: Counter[str] = Counter()
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "delete":
            run = before[i1:i2]
            removed.update(run if all(_is_mark(c) for c in run) else [run])
        elif tag == "insert":
            added[after[j1:j2]] += 1
        elif tag == "replace":
            replaced[(before[i1:i2], after[j1:j2])] += 1
    items = [f"removes {_char_label(c)} \u00d7{n}" for c, n in removed.most_common(limit)]
    items += [
        f"{_char_label(b)} \u2192 {_char_label(a)} \u00d7{n}"
        for (b, a), n in replaced.most_common(limit)
    ]
    items += [f"adds {_char_label(c)} \u00d7{n}" for c, n in added.most_common(limit)]
    return "; ".join(items[:limit]) + ("; \u2026" if len(items) > limit else "")


#: Steps whose effect depends on context (tags, addresses, runs of spaces), with a regex
#: matching every text the step can change (a superset: such texts are normalised to
#: check). Every other step translates or deletes single characters, so a text changes
#: exactly when it holds one of the characters the step changes on its own.
_CONTEXT_STEPS = {
    "html": r"[<&]",
    "emails": r"@",
    "urls": r"(?i)://|www\.",
    # CR; runs of spaces; three line breaks; a space beside a line break; the ends
    "whitespace": r"\r|  |\n\n\n|\n | \n|^[ \n]|[ \n]$",
}
_EXAMPLE_CANDIDATES = 20  # texts normalised per per-character step to pick the example


def _char_class(chars: Iterable[str]) -> str:
    """An RE2 character class matching any of ``chars`` (written as ``\\x{...}``)."""
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in sorted(chars)) + "]"


def _distinct_chars(arrow: Any) -> list[str]:
    """Every distinct character of an Arrow string column, in code point order.

    The UTF-8 bytes of each chunk are decoded once and counted as UTF-32 code units with
    ``numpy.bincount`` (a Python ``set`` over tens of millions of characters is ten times
    slower).
    """
    import numpy as np

    seen = np.zeros(0x110000, dtype=bool)
    for chunk in arrow.chunks:
        if not len(chunk):
            continue
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32 if chunk.type == "string"
                                else np.int64)[chunk.offset: chunk.offset + len(chunk) + 1]
        data = chunk.buffers()[2]
        if data is None:
            continue
        raw = memoryview(data)[int(offsets[0]): int(offsets[-1])]
        codes = np.frombuffer(bytes(raw).decode("utf-8").encode("utf-32-le"), dtype=np.uint32)
        seen |= np.bincount(codes, minlength=0x110000).astype(bool)
    return [chr(c) for c in np.flatnonzero(seen)]


def _candidates(arrow: Any, pattern: str) -> Any:
    """Positions of the texts matching an RE2 ``pattern`` (one vectorised pass)."""
    import numpy as np
    import pyarrow.compute as pc

    hits = pc.match_substring_regex(arrow, pattern).fill_null(False)
    return np.flatnonzero(hits.to_numpy(zero_copy_only=False))


def cleaning_examples(
    texts: pd.Series,
    *,
    steps: Iterable[str] | None = None,
    width: int = 40,
) -> pd.DataFrame:
    """Find, for every cleaning step, a real passage the step changes, and count the articles.

    Each step is considered on its own. The texts it can change are found in one
    vectorised regex pass over the Arrow column: for a step that replaces or deletes single
    characters (most of them), the texts holding a character the step changes (found by
    applying the step to each distinct character of the corpus); for ``html``, ``emails``,
    ``urls`` and ``whitespace``, a pattern matching every text they can change, whose
    matches are then normalised to count the ones that do change. Only a few texts are
    normalised per step, so the cost does not grow with the number of steps times the
    corpus. The counts and examples are those of applying
    ``helpers.normalize(texts, steps=[step])`` to every text: the first text (in corpus
    order) the step changes gives the example, cut to a window around the first change.

    Args:
        texts: article texts (e.g. ``articles["body"]``); not modified.
        steps: step names (default: every step in ``helpers.cleaning.STEPS``).
        width: characters of context either side of the change.

    Returns:
        DataFrame with one row per step: ``step``, ``articles`` (how many texts the step
        changes), ``change`` (which characters), ``before`` and ``after`` (missing when no
        text is changed by the step).

    >>> cleaning_examples(pd.Series(["كتـاب"]), steps=["tatweel"])[["articles", "after"]].values.tolist()
    [[1, 'كتاب']]
    """
    import pyarrow as pa

    from helpers import cleaning

    names = list(steps) if steps is not None else list(cleaning.STEPS)
    texts = texts.dropna().astype("string[pyarrow]")
    arrow = pa.chunked_array(pa.array(texts)) if len(texts) else None
    chars = pd.Series(_distinct_chars(arrow) if arrow is not None else [],
                      dtype="string[pyarrow]")
    rows = []
    for step in names:
        row: dict[str, Any] = {"step": step, "articles": 0}
        alone = cleaning.normalize(chars, steps=[step]) if len(chars) else chars
        triggers = chars[(chars != alone).fillna(False).to_numpy(dtype=bool)]
        pattern = "|".join(([_CONTEXT_STEPS[step]] if step in _CONTEXT_STEPS else [])
                           + ([_char_class(triggers)] if len(triggers) else []))
        pos = _candidates(arrow, pattern) if pattern and arrow is not None else []
        if step in _CONTEXT_STEPS:
            subset = texts.iloc[pos]
            after = cleaning.normalize(subset, steps=[step])
            changed = subset[(subset != after).fillna(False).to_numpy(dtype=bool)]
            row["articles"] = len(changed)
        else:
            row["articles"] = len(pos)
            changed = texts.iloc[pos[:_EXAMPLE_CANDIDATES]]
        if len(changed):
            first = changed.index[0]
            before = str(texts[first])
            after_text = str(cleaning.normalize(before, steps=[step]))
            b, a = _snippet(before, after_text, width=width)
            row.update(change=_describe_change(b, a), before=b, after=a)
        else:
            row.update(change="", before=pd.NA, after=pd.NA)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["step", "articles", "change", "before", "after"])
    return frame.astype({"step": "string", "change": "string", "before": "string", "after": "string"})


def clean_corpus(
    articles: pd.DataFrame,
    *,
    preset: str = "search",
    columns: Sequence[str] = ("title", "body"),
    steps: Sequence[str] | None = None,
    boilerplate=None,
) -> pd.DataFrame:
    """Add normalised copies of the text columns, keeping the originals untouched.

    Args:
        articles: the articles frame (not modified).
        preset: the ``helpers.normalize`` preset for the copies.
        columns: the text columns to normalise; each gets a ``<name>_clean`` column.
        steps: more ``helpers.normalize`` steps, and the corpus steps ``"boilerplate"`` and
            ``"dateline"`` (``helpers.CORPUS_STEPS``), which take out of ``body_clean``
            what each outlet repeats (learned from ``articles`` unless ``boilerplate`` is
            given).
        boilerplate: a fitted ``helpers.Boilerplate`` (from ``helpers.find_boilerplate``);
            given without corpus steps, both of its steps run.

    Returns:
        A new frame: the original columns, then ``title_clean``, ``body_clean``.

    >>> clean_corpus(pd.DataFrame({"title": ["أخبار"], "body": ["كتـاب"]}))["body_clean"][0]
    'كتاب'
    """
    from helpers import boilerplate as bp
    from helpers import cleaning

    steps = [steps] if isinstance(steps, str) else list(steps or ())
    corpus_steps = [s for s in steps if s in cleaning.CORPUS_STEPS]
    if boilerplate is not None and not corpus_steps:
        corpus_steps = list(cleaning.CORPUS_STEPS)
    source = articles
    if corpus_steps:
        found = boilerplate if boilerplate is not None else bp.find_boilerplate(articles)
        source = found.remove(articles, steps=corpus_steps)
    out = articles.copy()
    text_steps = [s for s in steps if s not in cleaning.CORPUS_STEPS]
    for col in columns:
        out[f"{col}_clean"] = cleaning.normalize(source[col], text_steps, preset=preset)
    return out


# ---------------------------------------------------------------------------- lengths


def word_counts(texts: pd.Series) -> pd.Series:
    """Whitespace-separated words per text (missing: 0), as ``str.count(r"\\S+")`` gives.

    Arrow counts the runs of non-space characters in one pass (RE2), with Python's own
    whitespace (``str.isspace``: also U+001C-U+001F, U+0085, U+2028...). Several times
    faster than a Python regex over a corpus. (Arrow's ``utf8_split_whitespace`` was used
    before; its counts on U+0085/U+001C input varied from call to call.)

    >>> word_counts(pd.Series(["  قال  الوزير\\n", None])).tolist()
    [2, 0]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = pa.array(texts.astype("string[pyarrow]").fillna(""))
    counts = pc.count_substring_regex(arrow, R.RE2_WORD_RUN)
    return pd.Series(counts.to_numpy(zero_copy_only=False), index=texts.index, dtype="int64")


def article_lengths(articles: pd.DataFrame, tokens: pd.Series, *, name: str = "words") -> pd.DataFrame:
    """The articles with one more column: how many tokens each article has.

    The data of a length histogram (``helpers.charts.length_histogram(..., length=name)``);
    the lengths are those every analysis counts (:func:`helpers.stats.encode`).

    Args:
        articles: the articles frame (not modified).
        tokens: its token lists (same index).
        name: the name of the new column.

    Returns:
        A new frame: the original columns and ``name`` (int).

    >>> article_lengths(pd.DataFrame({"source": ["أ"]}), pd.Series([["قال", "الوزير"]]))["words"].tolist()
    [2]
    """
    return articles.assign(**{name: pd.Series(encode(tokens).lengths, index=tokens.index)})
