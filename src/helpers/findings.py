"""The closing "what we saw" sections of notebooks 02, 03 and 04, written from their data.

Each function takes the tables a notebook has already computed (keyword-only) and returns
a short list of sentences as :class:`helpers.display.HTML` (a ``<ul class="hx-findings">``,
like :func:`helpers.overview.what_we_saw`): every number is computed here, every corpus
value is escaped and isolated in a ``<bdi>``, and where the corpus is too small for an
analysis the sentence says so instead of reporting a number that means nothing.

- :func:`what_we_saw_explore` (02): size, largest source and category, longest and
  shortest articles, concordance hits, near-duplicate clusters.
- :func:`what_we_saw_statistics` (03): most frequent content word, strongest collocation,
  top key word of the target outlet, Zipf slope, Heaps β, MATTR.
- :func:`what_we_saw_charts` (04): the rendering path and font of the charts, and a few
  facts from the charted data.

No function touches the disk or the network.

>>> import pandas as pd
>>> arts = pd.DataFrame({"id": ["a"], "source": ["الجزيرة"], "title": ["خبر"]})
>>> "1 article" in repr(what_we_saw_explore(articles=arts, tokens=pd.Series([["غزة", "في"]])))
True
"""

from __future__ import annotations

import html as _html
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from helpers.display import HTML, bdi, bullets
from helpers.overview import largest_outlet
from helpers.stats import encode

__all__ = [
    "what_we_saw_explore",
    "what_we_saw_statistics",
    "what_we_saw_charts",
]

# below this many articles the sections add that the numbers are anecdotes (as notebook 01)
FEW_ARTICLES = 30
# Zipf's slope is not reported from fewer distinct words than this (too few ranks to fit)
MIN_ZIPF_TYPES = 10
# Heaps' β is not reported from fewer running words than this
MIN_HEAPS_TOKENS = 100
# G² from which one association or keyness score is significant at p < 0.001 (1 d.f.)
G2_P001 = 10.83
# G² from which it is significant at p < 0.05
G2_P05 = 3.84
# typical range of Heaps' β for natural text
HEAPS_TYPICAL = (0.4, 0.7)

_MEASURES = {"llr": "G²", "pmi": "PMI", "t": "t-score"}


# ---------------------------------------------------------------------------- formatting


def _n(k: int | float, word: str, plural: str | None = None) -> str:
    """``3 articles``, ``1 article`` (number in bold, thousands separated)."""
    k = int(k)
    return f"<b>{k:,}</b> {word if k == 1 else (plural or word + 's')}"




def _cap(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _few(n: int) -> str:
    return (f"With {_n(n, 'article')} these are anecdotes, not findings: run the report on a "
            "larger corpus (<code>make report CORPUS=...</code>) for distributions.")


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
    gap = f"; {_n(missing, 'article')} without one" if missing else ""
    if counts.empty:
        return f"No article has a {what}, so nothing can be said per {what}."
    if len(counts) == 1:
        return (f"Every article with a {what} has the same one, {bdi(counts.index[0])} "
                f"({_n(counts.iloc[0], 'article')}{gap}), so nothing can be compared "
                f"across {plural}.")
    share = counts.iloc[0] / len(values)
    return (f"There are {_n(len(counts), what, plural)}; the largest, {bdi(counts.index[0])}, "
            f"has {_n(counts.iloc[0], 'article')} ({share:.0%}), the smallest, "
            f"{bdi(counts.index[-1])}, {counts.iloc[-1]:,}{gap}.")


def _ties(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """The rows sharing the first row's value of ``column`` (the table is sorted by it)."""
    return table[table[column] == table[column].iloc[0]]


def _finite(x: Any) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


# ---------------------------------------------------------------------------- 02 explore


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
    where = ("after keeping " + ", ".join(f"{_html.escape(str(k))} = {bdi(v)}"
                                          for k, v in chosen.items()) + ", ") if chosen else ""
    if not n:
        return bullets([_cap(f"{where}the corpus is empty: there is nothing to describe. "
                      "Check the filters or the corpus path.")])
    enc = encode(tokens)
    n_tokens, n_types = enc.n_tokens, enc.n_types
    lengths = pd.Series(enc.lengths, index=tokens.index)
    items = [_cap(f"{where}the corpus holds {_n(n, 'article')}, {_n(n_tokens, 'token')} "
                  f"and {_n(n_types, 'distinct word')}.")]
    for column, plural in (("source", "sources"), ("category", "categories")):
        if column in articles:
            items.append(_largest(articles[column], column, plural))
    if n == 1:
        items.append(f"The single article, {_label(articles, articles.index[0])}, is "
                     f"{_n(n_tokens, 'token')} long; lengths need at least two articles to "
                     "have a distribution.")
    else:
        longest, shortest = lengths.idxmax(), lengths.idxmin()
        empty = int((lengths == 0).sum())
        items.append(f"An article is <b>{lengths.median():,.0f}</b> tokens long at the median; "
                     f"the longest, {_label(articles, longest)}, has {lengths[longest]:,}, "
                     f"the shortest, {_label(articles, shortest)}, {lengths[shortest]:,}"
                     + (f" ({_n(empty, 'article')} without any word)." if empty else "."))
    if lines is not None and query is not None:
        if len(lines):
            hits = lines["id"].nunique() if "id" in lines else None
            items.append(f"The query {bdi(query)} occurs {_n(len(lines), 'time')}"
                         + (f", in {_n(hits, 'article')} of {n:,}" if hits is not None else "")
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
            line = (f"{_n(len(clusters), 'cluster')} of near-duplicates "
                    f"{'holds' if len(clusters) == 1 else 'hold'} "
                    f"{_n(held, 'article')} ({held / n:.1%} of the corpus); counting each "
                    f"cluster once drops {held - len(clusters):,} copies")
            if "n_sources" in clusters:
                across = int((clusters["n_sources"] > 1).sum())
                line += (f"; {across:,} of them span more than one source" if across
                         else "; none spans more than one source")
            title = top.get("title")
            named = f", {bdi(title)}," if title is not None and not pd.isna(title) else ""
            items.append(line + f". The largest{named} has {int(top['size']):,} articles.")
    if n < FEW_ARTICLES:
        items.append(_few(n))
    return bullets(items)


# ---------------------------------------------------------------------------- 03 statistics


def what_we_saw_statistics(
    *,
    articles: pd.DataFrame,
    tokens: pd.Series,
    freq: pd.DataFrame,
    pairs: pd.DataFrame,
    key: pd.DataFrame,
    target_source: Any,
    zipf: pd.DataFrame,
    growth: pd.DataFrame,
    diversity: pd.DataFrame,
    min_count: int,
    mattr_window: int,
    measure: str = "llr",
    by: str = "source",
) -> HTML:
    """Write notebook 03's "what we saw" from its frequency, association and law tables.

    Args:
        articles: the articles frame.
        tokens: its token lists.
        freq: :func:`helpers.frequencies` without stopwords (most frequent first).
        pairs: :func:`helpers.collocations` (best first).
        key: :func:`helpers.keyness` of ``target_source`` against the other outlets.
        target_source: the outlet of ``key``.
        zipf: :func:`helpers.zipf` (slope in ``.attrs``; one row per distinct word).
        growth: :func:`helpers.heaps` (β in ``.attrs``).
        diversity: :func:`helpers.diversity` (one row per article).
        min_count: the minimum count used for collocations and key words.
        mattr_window: the MATTR window.
        measure: the collocation measure of ``pairs`` (``"llr"``, ``"pmi"``, ``"t"``).
        by: the outlet column.

    Returns:
        :class:`HTML` holding a ``<ul>`` of sentences (corpus values escaped).

    >>> t = pd.Series([["غزة", "غزة", "في"]])
    >>> out = what_we_saw_statistics(articles=pd.DataFrame({"source": ["أ"]}), tokens=t,
    ...     freq=pd.DataFrame({"term": ["غزة"], "count": [2]}),
    ...     pairs=pd.DataFrame(), key=pd.DataFrame(), target_source="أ", zipf=pd.DataFrame(),
    ...     growth=pd.DataFrame(), diversity=pd.DataFrame(), min_count=3, mattr_window=100)
    >>> "غزة" in repr(out)
    True
    """
    n = len(articles)
    n_tokens = encode(tokens).n_tokens
    outlets = articles[by].dropna().nunique() if by in articles else 0
    items: list[str] = []
    # frequencies
    if len(freq):
        top = _ties(freq, "count")
        share = (f", {top['per_million'].iloc[0]:,.0f} per million tokens"
                 if "per_million" in top else "")
        spread = (f", in {top['doc_freq'].iloc[0]:,} of {n:,} articles"
                  if "doc_freq" in top and len(top) == 1 else "")
        if len(top) == 1:
            items.append(f"The most frequent content word is {bdi(top['term'].iloc[0])}: "
                         f"{_n(top['count'].iloc[0], 'occurrence')}{share}{spread}.")
        else:
            words = ", ".join(bdi(t) for t in top["term"].head(5))
            more = f" and {len(top) - 5} more" if len(top) > 5 else ""
            items.append(f"{len(top)} content words tie as the most frequent ({words}{more}), "
                         f"with {_n(top['count'].iloc[0], 'occurrence')} each{share}.")
    else:
        items.append("No content word was counted: the corpus has no words once stopwords are "
                     "left out.")
    # collocations
    name = _MEASURES.get(measure, measure)
    if len(pairs):
        p = pairs.iloc[0]
        sig = ""
        if measure == "llr":
            sig = (", significant at p < 0.001" if p["score"] >= G2_P001
                   else ", not significant at p < 0.001")
        items.append(f"Of the word pairs seen at least {min_count} times, the strongest "
                     f"collocation is {bdi(str(p['w1']) + ' ' + str(p['w2']))} "
                     f"({_n(p['count'], 'time')}, {name} {p['score']:,.1f}{sig}).")
    else:
        items.append(f"No word pair occurs {min_count} or more times, so no collocation could "
                     "be scored: the corpus has too few repeated pairs.")
    # keyness
    if outlets < 2:
        target = bdi(target_source) if target_source is not None else "any outlet"
        items.append(f"Key words need at least two sources to compare; this corpus has "
                     f"{outlets}, so none could be computed for {target}.")
    else:
        mine = key[key["key_for"] == "target"] if len(key) and "key_for" in key else key.iloc[0:0]
        if len(mine):
            k = mine.iloc[0]
            sig = ("p < 0.001" if k["g2"] >= G2_P001 else
                   "p < 0.05" if k["g2"] >= G2_P05 else "not significant")
            items.append(f"The top key word of {bdi(target_source)} against the other "
                         f"{outlets - 1:,} source(s) is {bdi(k['term'])}: "
                         f"{int(k['count_target']):,} times there against "
                         f"{int(k['count_reference']):,} in the others, "
                         f"{2 ** k['log_ratio']:,.1f} times as frequent "
                         f"(G² {k['g2']:,.1f}, {sig}).")
        else:
            items.append(f"No word occurring at least {min_count} times is more frequent in "
                         f"{bdi(target_source)} than in the other sources.")
    # Zipf and Heaps
    slope = zipf.attrs.get("slope") if hasattr(zipf, "attrs") else None
    if len(zipf) >= MIN_ZIPF_TYPES and _finite(slope):
        r2 = zipf.attrs.get("r2")
        how = ("close to the -1 of Zipf's law" if abs(slope + 1) <= 0.2 else
               "flatter than Zipf's -1 (common in small or specialised samples)" if slope > -1
               else "steeper than Zipf's -1")
        items.append(f"Zipf's slope is <b>{slope:.2f}</b>"
                     + (f" (r² {r2:.2f})" if _finite(r2) else "")
                     + f", {how}, over {_n(len(zipf), 'distinct word')}.")
    else:
        items.append(f"Zipf's law could not be fitted: {_n(len(zipf), 'distinct word')} "
                     f"(at least {MIN_ZIPF_TYPES} needed).")
    beta = growth.attrs.get("beta") if hasattr(growth, "attrs") else None
    if n_tokens >= MIN_HEAPS_TOKENS and _finite(beta):
        low, high = HEAPS_TYPICAL
        how = (f"in the usual {low}–{high} of natural text" if low <= beta <= high else
               "near 1: new words keep coming at almost every token, the sample is too small "
               "to show the vocabulary levelling off" if beta > 0.85 else
               f"above the usual {low}–{high}" if beta > high else
               f"below the usual {low}–{high}")
        items.append(f"Heaps' β is <b>{beta:.2f}</b> over {_n(n_tokens, 'token')}, {how}.")
    else:
        items.append(f"Heaps' law could not be fitted: {_n(n_tokens, 'token')} "
                     f"(at least {MIN_HEAPS_TOKENS} needed).")
    # diversity
    mattr = diversity["mattr"].dropna() if "mattr" in diversity else pd.Series(dtype=float)
    if len(mattr):
        short = int((diversity.loc[mattr.index, "tokens"] < mattr_window).sum())
        caveat = (f" ({_n(short, 'article')} shorter than the window, where it is the plain "
                  "type-token ratio)" if short else "")
        line = (f"The moving-average type-token ratio (MATTR, windows of {mattr_window} tokens) "
                f"is <b>{mattr.mean():.2f}</b> on average over {_n(len(mattr), 'article')}"
                + caveat)
        if by in articles and outlets >= 2:
            per = mattr.groupby(articles.loc[mattr.index, by]).mean().sort_values()
            line += (f"; highest at {bdi(per.index[-1])} ({per.iloc[-1]:.2f}), lowest at "
                     f"{bdi(per.index[0])} ({per.iloc[0]:.2f})")
        else:
            line += "; comparing sources needs at least two"
        items.append(line + ".")
    else:
        items.append("Lexical diversity could not be measured: no article has any word.")
    if n < FEW_ARTICLES:
        items.append(_few(n))
    return bullets(items)


# ---------------------------------------------------------------------------- 04 charts


def what_we_saw_charts(
    *,
    diagnosis: Mapping[str, Any],
    articles: pd.DataFrame,
    tokens: pd.Series,
    freq: pd.DataFrame,
    key: pd.DataFrame | None = None,
    pairs: pd.DataFrame | None = None,
    date: str = "date",
    by: str = "source",
) -> HTML:
    """Write notebook 04's "what we saw": how the Arabic was drawn and what the charts show.

    Args:
        diagnosis: :func:`helpers.rtl.diagnose` (renderer paths and font).
        articles: the articles frame.
        tokens: the token lists charted (same index).
        freq: :func:`helpers.frequencies` of ``tokens`` (most frequent first).
        key: the :func:`helpers.keyness` table of the key-word chart (optional).
        pairs: the :func:`helpers.collocations` of the network (optional).
        date: the date column.
        by: the source column.

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
            f"{_html.escape(str(diagnosis.get('matplotlib', '?')))} on the "
            f"{_html.escape(str(diagnosis.get('matplotlib text', 'unknown')))} path")
    if diagnosis.get("pillow text"):
        line += (f", the word cloud by Pillow {_html.escape(str(diagnosis.get('pillow', '?')))} "
                 f"on the {_html.escape(str(diagnosis['pillow text']))} path")
    if font:
        where = diagnosis.get("font source")
        line += (f"; the font is <b>{_html.escape(str(font))}</b>"
                 + (f" (from {_html.escape(str(where))})" if where else ""))
    else:
        line += "; no Arabic font was found, so letters may show as boxes"
    items.append(line + ".")
    if not n:
        items.append("The corpus is empty: every chart shows a note instead of data.")
        return bullets(items)
    lengths = pd.Series(encode(tokens).lengths, index=tokens.index)
    if len(freq):
        top = _ties(freq, "count")
        words = " and ".join(bdi(t) for t in top["term"].head(3))
        more = f" and {len(top) - 3:,} more" if len(top) > 3 else ""
        lead = (f"{words} with" if len(top) == 1 else f"{words}{more} tie with")
        items.append(f"The bars and the cloud draw the most frequent of "
                     f"{_n(len(freq), 'distinct word')} (stopwords left out); at the top, "
                     f"{lead} {_n(top['count'].iloc[0], 'occurrence')}.")
    else:
        items.append("No word is left once stopwords are removed: the frequency charts are "
                     "empty notes.")
    sources = articles[by].dropna().nunique() if by in articles else 0
    if n == 1:
        items.append(f"The length histogram has a single bar: one article of "
                     f"{_n(lengths.iloc[0], 'word')} (stopwords not counted).")
    else:
        items.append(f"Article lengths run from {lengths.min():,} to {lengths.max():,} words "
                     f"(median {lengths.median():,.0f}, stopwords not counted) over {_n(n, 'article')} from "
                     f"{_n(sources, 'source')}.")
    dates = articles[date].dropna() if date in articles else pd.Series(dtype=object)
    if len(dates):
        months = dates.dt.strftime("%Y-%m")
        items.append(f"The time chart covers {_n(len(dates), 'dated article')} over "
                     f"{_n(months.nunique(), 'month')}, from {months.min()} to {months.max()}.")
    else:
        items.append("No article carries a date, so the time chart is a note, not a line.")
    notes = []
    if key is not None and (sources < 2 or not len(key)):
        notes.append("the key words (they need at least two sources)")
    if pairs is not None and not len(pairs):
        notes.append("the collocation network (no pair is frequent enough)")
    if key is not None and sources >= 2 and len(key):
        k = key.iloc[0]
        side = (f"the largest source, {bdi(largest_outlet(articles, by=by))}"
                if k.get("key_for") == "target" else "the other sources")
        items.append(f"The strongest key word in the keyness chart is {bdi(k['term'])}, more "
                     f"frequent in {side} (G² {k['g2']:,.1f}).")
    if pairs is not None and len(pairs):
        p = pairs.iloc[0]
        items.append(f"The network's strongest pair is {bdi(str(p['w1']) + ' ' + str(p['w2']))} "
                     f"({_n(p['count'], 'time')})"
                     + (f", out of {len(pairs):,} pairs frequent enough to score." if len(pairs) > 1
                        else ", the only pair frequent enough to score."))
    if notes:
        items.append("Too little data for " + " and ".join(notes)
                     + (": these charts show a note instead." if len(notes) > 1
                        else ": that chart shows a note instead."))
    if n < FEW_ARTICLES:
        items.append(_few(n))
    return bullets(items)
