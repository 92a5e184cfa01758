"""The "what we saw" section of notebook 04 (the chart gallery), written from its data.

:func:`what_we_saw_charts` says how the Arabic labels were drawn (renderer path and font,
from :func:`helpers.rtl.diagnose`) and a few facts from the data of the charts notebook 04
draws: the word cloud, the article lengths, the articles over time and the words per
category. (The charts of the statistics are drawn, and described, in notebook 03.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from helpers.display import HTML, bdi, bullets, escape
from helpers.prose.sentences import FEW_ARTICLES, counted, few_articles, ties
from helpers.encoded import encode

__all__ = ["what_we_saw_charts"]


def what_we_saw_charts(
    *,
    diagnosis: Mapping[str, Any],
    articles: pd.DataFrame,
    tokens: pd.Series,
    freq: pd.DataFrame,
    date: str = "date",
    by: str = "source",
    category: str = "category",
) -> HTML:
    """Write notebook 04's "what we saw": how the Arabic was drawn and what the charts show.

    Args:
        diagnosis: :func:`helpers.rtl.diagnose` (renderer paths and font).
        articles: the articles frame.
        tokens: the token lists charted (same index).
        freq: :func:`helpers.frequencies` of ``tokens`` (most frequent first), as the word
            cloud draws it.
        date: the date column (the time chart).
        by: the source column (lengths and time, one line per source).
        category: the category column (the heatmap's rows).

    Returns:
        :class:`HTML` holding a ``<ul>`` of sentences (corpus values escaped).

    >>> d = {"matplotlib": "3.11.2", "matplotlib text": "logical", "font": "Noto Sans Arabic"}
    >>> "Noto Sans Arabic" in repr(what_we_saw_charts(diagnosis=d, articles=pd.DataFrame(),
    ...     tokens=pd.Series([], dtype=object), freq=pd.DataFrame()))
    True
    """
    n = len(articles)
    items: list[str] = []
    font = diagnosis.get("font")
    line = (f"Arabic labels were drawn by matplotlib "
            f"{escape(diagnosis.get('matplotlib', '?'))} on the "
            f"{escape(diagnosis.get('matplotlib text', 'unknown'))} path")
    if diagnosis.get("pillow text"):
        line += (f", the word cloud by Pillow {escape(diagnosis.get('pillow', '?'))} "
                 f"on the {escape(diagnosis['pillow text'])} path")
    if font:
        where = diagnosis.get("font source")
        line += (f"; the font is <b>{escape(font)}</b>"
                 + (f" (from {escape(where)})" if where else ""))
    else:
        line += "; no Arabic font was found, so letters may show as boxes"
    items.append(line + ".")
    if not n:
        items.append("The corpus is empty: every chart shows a note instead of data.")
        return bullets(items)
    lengths = pd.Series(encode(tokens).lengths, index=tokens.index)
    if len(freq):
        top = ties(freq, "count")
        words = " and ".join(bdi(t) for t in top["term"].head(3))
        more = f" and {len(top) - 3:,} more" if len(top) > 3 else ""
        lead = (f"{words} with" if len(top) == 1 else f"{words}{more} tie with")
        items.append(f"The cloud draws the most frequent of "
                     f"{counted(len(freq), 'distinct word')} (stopwords left out); at the top, "
                     f"{lead} {counted(top['count'].iloc[0], 'occurrence')}.")
    else:
        items.append("No word is left once stopwords are removed: the word cloud and the "
                     "heatmap are empty notes.")
    sources = articles[by].dropna().nunique() if by in articles else 0
    if n == 1:
        items.append(f"The length histogram has a single bar: one article of "
                     f"{counted(lengths.iloc[0], 'word')} (stopwords not counted).")
    else:
        items.append(f"Article lengths run from {lengths.min():,} to {lengths.max():,} words "
                     f"(median {lengths.median():,.0f}, stopwords not counted) over "
                     f"{counted(n, 'article')} from {counted(sources, 'source')}.")
    dates = articles[date].dropna() if date in articles else pd.Series(dtype=object)
    if len(dates):
        months = dates.dt.strftime("%Y-%m")
        items.append(f"The time chart covers {counted(len(dates), 'dated article')} over "
                     f"{counted(months.nunique(), 'month')}, from {months.min()} to {months.max()}.")
    else:
        items.append("No article carries a date, so the time chart is a note, not a line.")
    if len(freq):
        named = articles[category].dropna().nunique() if category in articles else 0
        unnamed = n - int(articles[category].notna().sum()) if category in articles else n
        rows = named + (1 if unnamed else 0)
        gap = (f" ({counted(unnamed, 'article')} without one in the row marked —)"
               if unnamed and named else "")
        if rows > 1:
            items.append(f"The heatmap compares the words across "
                         f"{counted(named, 'category', 'categories')}{gap}.")
        else:
            items.append("The heatmap has a single row: with "
                         + ("no category given" if not named else "one category")
                         + ", it shows the words, not a comparison between categories.")
    if n < FEW_ARTICLES:
        items.append(few_articles(n))
    return bullets(items)
