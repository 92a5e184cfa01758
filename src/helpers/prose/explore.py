"""The "what we saw" section of notebook 02 (exploring), written from its data.

:func:`what_we_saw_explore` takes the tables notebook 02 has computed (keyword-only): the
(narrowed) corpus and its tokens, the concordance of the query and the near-duplicate
clusters, and says in a few sentences what they hold: size, largest source and category,
longest and shortest articles, how often the query occurs, how many stories are copies.

>>> import pandas as pd
>>> arts = pd.DataFrame({"id": ["a"], "source": ["الجزيرة"], "title": ["خبر"]})
>>> "1 article" in repr(what_we_saw_explore(articles=arts, tokens=pd.Series([["غزة", "في"]])))
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from helpers.display import HTML, bdi, bullets, escape
from helpers.prose.sentences import FEW_ARTICLES, capitalised, counted, few_articles
from helpers.encoded import encode

__all__ = ["what_we_saw_explore"]


def _label(articles: pd.DataFrame, row: Any) -> str:
    """An article named by its title (or id), escaped, with its source when known."""
    title = articles["title"].get(row) if "title" in articles else None
    name = title if title is not None and not pd.isna(title) and str(title).strip() else None
    if name is None:
        ident = articles["id"].get(row) if "id" in articles else row
        name = f"article {ident}"
    source = articles["source"].get(row) if "source" in articles else None
    return bdi(name) + (f" ({bdi(source)})" if source is not None and not pd.isna(source) else "")


def _largest(values: pd.Series, what: str, plural: str) -> str:
    """Sentence on the most frequent value of a metadata column (missing values apart)."""
    counts = values.dropna().astype(str).value_counts()
    missing = int(values.isna().sum())
    gap = f"; {counted(missing, 'article')} without one" if missing else ""
    if counts.empty:
        return f"No article has a {what}, so nothing can be said per {what}."
    if len(counts) == 1:
        return (f"Every article with a {what} has the same one, {bdi(counts.index[0])} "
                f"({counted(counts.iloc[0], 'article')}{gap}), so nothing can be compared "
                f"across {plural}.")
    share = counts.iloc[0] / len(values)
    return (f"There are {counted(len(counts), what, plural)}; the largest, {bdi(counts.index[0])}, "
            f"has {counted(counts.iloc[0], 'article')} ({share:.0%}), the smallest, "
            f"{bdi(counts.index[-1])}, {counts.iloc[-1]:,}{gap}.")



def what_we_saw_explore(
    *,
    articles: pd.DataFrame,
    tokens: pd.Series,
    lines: pd.DataFrame | None = None,
    query: str | None = None,
    members: pd.DataFrame | None = None,
    clusters: pd.DataFrame | None = None,
    selection: Mapping[str, Any] | None = None,
) -> HTML:
    """Write notebook 02's "what we saw" from its corpus, concordance and duplicates.

    Args:
        articles: the (narrowed) articles frame.
        tokens: its token lists (same index).
        lines: :func:`helpers.kwic` of ``query`` (optional).
        query: the word looked up.
        members: :func:`helpers.near_duplicates` (optional).
        clusters: :func:`helpers.duplicate_clusters` of ``members``.
        selection: the filters applied, e.g. ``{"source": None, "start": "2019-01-01"}``
            (``None`` values mean no filter and are not mentioned).

    Returns:
        :class:`HTML` holding a ``<ul>`` of sentences (corpus values escaped).

    >>> arts = pd.DataFrame({"id": ["a"], "source": ["الجزيرة"], "title": ["خبر"]})
    >>> out = what_we_saw_explore(articles=arts, tokens=pd.Series([["غزة", "في"]]))
    >>> print(repr(out).splitlines()[0])
    - The corpus holds 1 article, 2 tokens and 2 distinct words.
    """
    n = len(articles)
    chosen = {k: v for k, v in (selection or {}).items() if v is not None}
    where = ("after keeping " + ", ".join(f"{escape(k)} = {bdi(v)}"
                                          for k, v in chosen.items()) + ", ") if chosen else ""
    if not n:
        return bullets([capitalised(f"{where}the corpus is empty: there is nothing to describe. "
                      "Check the filters or the corpus path.")])
    enc = encode(tokens)
    n_tokens, n_types = enc.n_tokens, enc.n_types
    lengths = pd.Series(enc.lengths, index=tokens.index)
    items = [capitalised(f"{where}the corpus holds {counted(n, 'article')}, {counted(n_tokens, 'token')} "
                  f"and {counted(n_types, 'distinct word')}.")]
    for column, plural in (("source", "sources"), ("category", "categories")):
        if column in articles:
            items.append(_largest(articles[column], column, plural))
    if n == 1:
        items.append(f"The single article, {_label(articles, articles.index[0])}, is "
                     f"{counted(n_tokens, 'token')} long; lengths need at least two articles to "
                     "have a distribution.")
    else:
        longest, shortest = lengths.idxmax(), lengths.idxmin()
        empty = int((lengths == 0).sum())
        items.append(f"An article is <b>{lengths.median():,.0f}</b> tokens long at the median; "
                     f"the longest, {_label(articles, longest)}, has {lengths[longest]:,}, "
                     f"the shortest, {_label(articles, shortest)}, {lengths[shortest]:,}"
                     + (f" ({counted(empty, 'article')} without any word)." if empty else "."))
    if lines is not None and query is not None:
        if len(lines):
            hits = lines["id"].nunique() if "id" in lines else None
            items.append(f"The query {bdi(query)} occurs {counted(len(lines), 'time')}"
                         + (f", in {counted(hits, 'article')} of {n:,}" if hits is not None else "")
                         + " (clitics and spelling variants included).")
        else:
            items.append(f"The query {bdi(query)} does not occur in this corpus, with or without "
                         "clitics: there is no concordance to read.")
    if clusters is not None:
        if n < 2:
            items.append("Near-duplicates need at least two articles: with one there is "
                         "nothing to compare, so no copies could be looked for.")
        elif not len(clusters):
            items.append(f"No two of the {n:,} articles are near-copies of each other at this "
                         "threshold: no story is counted twice.")
        else:
            held = int(clusters["size"].sum())
            top = clusters.sort_values("size", ascending=False, kind="stable").iloc[0]
            line = (f"{counted(len(clusters), 'cluster')} of near-duplicates "
                    f"{'holds' if len(clusters) == 1 else 'hold'} "
                    f"{counted(held, 'article')} ({held / n:.1%} of the corpus); counting each "
                    f"cluster once drops {held - len(clusters):,} copies")
            if "n_sources" in clusters:
                across = int((clusters["n_sources"] > 1).sum())
                line += (f"; {across:,} of them span more than one source" if across
                         else "; none spans more than one source")
            title = top.get("title")
            named = f", {bdi(title)}," if title is not None and not pd.isna(title) else ""
            items.append(line + f". The largest{named} has {int(top['size']):,} articles.")
    if n < FEW_ARTICLES:
        items.append(few_articles(n))
    return bullets(items)
