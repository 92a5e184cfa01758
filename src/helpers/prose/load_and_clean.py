"""The "what we saw" section of notebook 01 (loading and cleaning), written from its data.

:func:`what_we_saw` reads the corpus, the loader's report and the cleaning examples of
:func:`helpers.overview.cleaning_examples` and says in a few sentences what they hold:
size, sources and categories, dates, what the loader skipped, body lengths, which
cleaning steps change the most and which nothing, and the boilerplate found per outlet.

>>> import pandas as pd
>>> arts = pd.DataFrame({"source": ["الجزيرة"], "category": ["سياسة"], "date": pd.to_datetime([None], utc=True),
...                      "body": ["قال الوزير"]})
>>> print(repr(what_we_saw(arts)).splitlines()[0])
- The corpus holds 1 article from 1 source (الجزيرة) in 1 category.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from helpers.display import HTML, bdi, bullets, escape
from helpers.overview import articles_per, corpus_summary, skipped_files, word_counts
from helpers.prose.sentences import FEW_ARTICLES, counted, few_articles

__all__ = ["what_we_saw"]


def _day(ts: Any) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def what_we_saw(
    articles: pd.DataFrame,
    report: Any = None,
    examples: pd.DataFrame | None = None,
    boilerplate: Any = None,
    removed: pd.DataFrame | None = None,
) -> HTML:
    """Write the "what we saw" paragraph of notebook 01 from the numbers, as a short list.

    Args:
        articles: the articles frame.
        report: the ``LoadReport`` (optional).
        examples: the frame from :func:`helpers.overview.cleaning_examples` (optional).
        boilerplate: the ``helpers.Boilerplate`` found in the corpus (optional).
        removed: its ``removed(articles)`` table: what taking it out removes per outlet.

    Returns:
        :class:`HTML` holding a ``<ul>`` of sentences (corpus values escaped).
    """
    s = corpus_summary(articles, report)
    n = s["articles"]
    items = []
    src = s["sources"]
    named = ", ".join(bdi(x) for x in src[:5]) + (f" and {len(src) - 5} more" if len(src) > 5 else "")
    items.append(
        f"The corpus holds {counted(n, 'article')} from {counted(len(src), 'source')}"
        + (f" ({named})" if src else "")
        + (f" in {counted(s['categories'], 'category', 'categories')}."
           if s["categories"] else ", with no category given.")
    )
    if len(src) > 1:
        top = articles_per(articles, "source", dropna=True)
        items.append(
            f"The largest source, {bdi(top.index[0])}, supplies "
            f"{top['share'].iloc[0]:.0%} of the articles; the smallest, "
            f"{bdi(top.index[-1])}, {top['share'].iloc[-1]:.0%}."
        )
    if s["dated"]:
        line = (f"{s['dated']:,} article(s) carry a date, from {_day(s['date_min'])} "
                f"to {_day(s['date_max'])}")
        if s["dated"] >= 4:
            q1, q3 = articles["date"].dropna().quantile([0.25, 0.75])
            line += f"; the middle half of them fall between {_day(q1)} and {_day(q3)}"
        items.append(line + ".")
    else:
        items.append("No article carries a date, so nothing can be said about time here.")
    if report is not None:
        reasons = Counter(skipped_files(report)["reason"].tolist())
        line = f"The loader read {s['seen']:,} file(s) or record(s) and skipped {s['skipped']:,}"
        if reasons:
            reason, k = reasons.most_common(1)[0]
            line += f" (most often: {escape(reason)}, {k:,})"
        line += f"; {s['duplicate_bodies']:,} body text(s) repeat an earlier one."
        items.append(line)
    if n and "body" in articles:
        words = word_counts(articles["body"])
        empty = int((words == 0).sum())
        items.append(
            f"A body is {int(words.median()):,} words long at the median "
            f"(shortest {int(words.min()):,}, longest {int(words.max()):,})"
            + (f"; {empty:,} article(s) have an empty body." if empty else ".")
        )
    if examples is not None and len(examples):
        ranked = examples.sort_values("articles", ascending=False, kind="stable")
        top = ranked.iloc[0]
        if top["articles"]:
            items.append(
                f"The cleaning step that changes the most articles is <code>"
                f"{escape(top['step'])}</code> ({int(top['articles']):,} of {n:,})."
            )
        idle = ranked.loc[ranked["articles"] == 0, "step"].tolist()
        if idle:
            items.append(
                "Steps that change nothing in this corpus: "
                + ", ".join(f"<code>{escape(x)}</code>" for x in idle) + "."
            )
    if boilerplate is not None:
        items.append(_boilerplate_sentence(boilerplate, removed))
    if n < FEW_ARTICLES:
        items.append(few_articles(n))
    return bullets(items)


def _boilerplate_sentence(found: Any, removed: pd.DataFrame | None) -> str:
    """What recurs per outlet: how many lines and datelines, the most widespread line."""
    lines, datelines = found.lines, found.datelines
    if not len(lines) and not len(datelines):
        return ("No outlet repeats a line across enough different stories to count as "
                "boilerplate, and none opens with a recurring dateline.")
    top = lines.sort_values("articles", ascending=False, kind="stable")
    words = [s for s in top["line"] if any(ch.isalpha() for ch in s)]
    line = (f"Boilerplate found: {counted(len(lines), 'recurring line')} in "
            f"{counted(lines['source'].nunique(), 'outlet')}")
    if words:
        first = top[top["line"] == words[0]].iloc[0]
        line += (f"; the most widespread, in {int(first['articles']):,} articles of "
                 f"{bdi(first['source'] or 'the corpus')}, is {bdi(words[0])}")
    if len(datelines):
        outlets = ", ".join(bdi(x or "the corpus") for x in datelines["source"].unique())
        line += f"; {counted(int(datelines['articles'].sum()), 'article')} open with a dateline ({outlets})"
    if removed is not None and len(removed):
        line += (f". Taking them out removes {int(removed['chars_removed'].sum()):,} characters "
                 f"from {int(removed['articles_changed'].sum()):,} articles")
    return line + "."
