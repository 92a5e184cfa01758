"""The "what we saw" section of notebook 03 (statistics), written from its tables.

:func:`what_we_saw_statistics` takes the frequency, association and law tables notebook 03
has computed (keyword-only) and names the most frequent content word, the strongest
collocation, the top key word of the target outlet, the corpus's key words against general
Arabic, Zipf's slope, Heaps' β and MATTR,
each with how far it can be trusted (significance, the typical range), or says why it
could not be computed on this corpus.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers.display import HTML, bdi, bullets
from helpers.prose.sentences import FEW_ARTICLES, counted, few_articles, finite, ties
from helpers.encoded import encode

__all__ = ["what_we_saw_statistics"]

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
# key words named on each side against general Arabic
GENERAL_WORDS = 3

_MEASURES = {"llr": "G²", "pmi": "PMI", "t": "t-score"}


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
    general_key: pd.DataFrame | None = None,
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
        general_key: :func:`helpers.general_keyness` of the corpus against general Arabic
            (None: no sentence about it).

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
        top = ties(freq, "count")
        share = (f", {top['per_million'].iloc[0]:,.0f} per million tokens"
                 if "per_million" in top else "")
        spread = (f", in {top['doc_freq'].iloc[0]:,} of {n:,} articles"
                  if "doc_freq" in top and len(top) == 1 else "")
        if len(top) == 1:
            items.append(f"The most frequent content word is {bdi(top['term'].iloc[0])}: "
                         f"{counted(top['count'].iloc[0], 'occurrence')}{share}{spread}.")
        else:
            words = ", ".join(bdi(t) for t in top["term"].head(5))
            more = f" and {len(top) - 5} more" if len(top) > 5 else ""
            items.append(f"{len(top)} content words tie as the most frequent ({words}{more}), "
                         f"with {counted(top['count'].iloc[0], 'occurrence')} each{share}.")
    else:
        items.append("No content word was counted: the corpus has no words once stopwords are "
                     "left out.")
    # collocations
    name = _MEASURES.get(measure, measure)
    if len(pairs):
        p = pairs.iloc[0]
        sig = ""
        if measure == "llr":
            sig = (", significant at p &lt; 0.001" if p["score"] >= G2_P001
                   else ", not significant at p &lt; 0.001")
        items.append(f"Of the word pairs seen at least {min_count} times, the strongest "
                     f"collocation is {bdi(str(p['w1']) + ' ' + str(p['w2']))} "
                     f"({counted(p['count'], 'time')}, {name} {p['score']:,.1f}{sig}).")
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
            sig = ("p &lt; 0.001" if k["g2"] >= G2_P001 else
                   "p &lt; 0.05" if k["g2"] >= G2_P05 else "not significant")
            items.append(f"The top key word of {bdi(target_source)} against the other "
                         f"{outlets - 1:,} source(s) is {bdi(k['term'])}: "
                         f"{int(k['count_target']):,} times there against "
                         f"{int(k['count_reference']):,} in the others, "
                         f"{2 ** k['log_ratio']:,.1f} times as frequent "
                         f"(G² {k['g2']:,.1f}, {sig}).")
        else:
            items.append(f"No word occurring at least {min_count} times is more frequent in "
                         f"{bdi(target_source)} than in the other sources.")
    if general_key is not None:
        items.append(_against_general(general_key, min_count))
    # Zipf and Heaps
    slope = zipf.attrs.get("slope") if hasattr(zipf, "attrs") else None
    if len(zipf) >= MIN_ZIPF_TYPES and finite(slope):
        r2 = zipf.attrs.get("r2")
        how = ("close to the -1 of Zipf's law" if abs(slope + 1) <= 0.2 else
               "flatter than Zipf's -1 (common in small or specialised samples)" if slope > -1
               else "steeper than Zipf's -1")
        items.append(f"Zipf's slope is <b>{slope:.2f}</b>"
                     + (f" (r² {r2:.2f})" if finite(r2) else "")
                     + f", {how}, over {counted(len(zipf), 'distinct word')}.")
    else:
        items.append(f"Zipf's law could not be fitted: {counted(len(zipf), 'distinct word')} "
                     f"(at least {MIN_ZIPF_TYPES} needed).")
    beta = growth.attrs.get("beta") if hasattr(growth, "attrs") else None
    if n_tokens >= MIN_HEAPS_TOKENS and finite(beta):
        low, high = HEAPS_TYPICAL
        how = (f"in the usual {low}–{high} of natural text" if low <= beta <= high else
               "near 1: new words keep coming at almost every token, the sample is too small "
               "to show the vocabulary levelling off" if beta > 0.85 else
               f"above the usual {low}–{high}" if beta > high else
               f"below the usual {low}–{high}")
        items.append(f"Heaps' β is <b>{beta:.2f}</b> over {counted(n_tokens, 'token')}, {how}.")
    else:
        items.append(f"Heaps' law could not be fitted: {counted(n_tokens, 'token')} "
                     f"(at least {MIN_HEAPS_TOKENS} needed).")
    # diversity
    mattr = diversity["mattr"].dropna() if "mattr" in diversity else pd.Series(dtype=float)
    if len(mattr):
        short = int((diversity.loc[mattr.index, "tokens"] < mattr_window).sum())
        caveat = (f" ({counted(short, 'article')} shorter than the window, where it is the plain "
                  "type-token ratio)" if short else "")
        line = (f"The moving-average type-token ratio (MATTR, windows of {mattr_window} tokens) "
                f"is <b>{mattr.mean():.2f}</b> on average over {counted(len(mattr), 'article')}"
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
        items.append(few_articles(n))
    return bullets(items)


def _against_general(key: pd.DataFrame, min_count: int) -> str:
    """The sentence on :func:`helpers.general_keyness`: the corpus's surest key words
    against general Arabic (how many times the everyday rate, or absent from the list), and
    the words it leaves to everyday Arabic."""
    rows = key[key["g2"] >= G2_P001] if len(key) and "g2" in key else key.iloc[0:0]
    mine = rows[rows["key_for"] == "target"].head(GENERAL_WORDS)
    theirs = rows[rows["key_for"] == "reference"].head(GENERAL_WORDS)
    if not len(mine) and not len(theirs):
        return (f"No Arabic word seen at least {min_count} times differs significantly "
                "(p &lt; 0.001) between this corpus and general Arabic.")
    size = key.attrs.get("reference_tokens")
    source = "general Arabic (wordfreq's frequencies" + (
        f", as {size / 1e6:,.0f} million Arabic words)" if finite(size) else ")")

    def rate(row) -> str:
        if row["count_reference"] == 0:
            return f"{bdi(row['term'])} (not in the general list)"
        return f"{bdi(row['term'])} ({2 ** row['log_ratio']:,.1f}×)"

    parts = []
    if len(mine):
        parts.append(f"Compared with {source}, the words this corpus uses most surely above "
                     f"the everyday rate are {_and([rate(r) for _, r in mine.iterrows()])}")
    if len(theirs):
        words = _and([bdi(t) for t in theirs["term"]])
        parts.append(("it" if parts else f"Compared with {source}, this corpus")
                     + f" uses {words} far less than everyday Arabic does")
    absent = int(key.attrs.get("absent", 0) or 0)
    tail = (f" <b>{absent:,}</b> of its key words are not in the general list at all: names, "
            "new words, spellings of its own." if absent else "")
    return "; ".join(parts) + f" (G² above {G2_P001}, p &lt; 0.001)." + tail


def _and(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
