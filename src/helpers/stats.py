"""Corpus statistics over token lists: summary, frequencies, Zipf/Heaps, diversity and
dispersion.

Every function takes the Series of token lists that :func:`helpers.tokenize` returns (one
list per article, same index as the articles) and returns a DataFrame with documented
columns, counted on the integer encoding of :mod:`helpers.encoded` (bincounts and sparse
products, never a Python loop over tokens). N-grams are in :mod:`helpers.ngram_counts`,
frequencies over time in :mod:`helpers.timelines`.

>>> tokens = pd.Series([["قال", "الوزير"], ["قال", "الرئيس", "قال"]])
>>> frequencies(tokens)[["term", "count", "doc_freq"]].head(1).to_dict("records")
[{'term': 'قال', 'count': 3, 'doc_freq': 2}]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from .encoded import bits_needed, encode, group_codes, indicator, sort_order, stop_mask
from .timelines import period_of

__all__ = [
    "subset",
    "corpus_stats",
    "length_distribution",
    "frequencies",
    "zipf",
    "heaps",
    "diversity",
    "dispersion",
    "dispersion_positions",
]


# --------------------------------------------------------------------------- filtering


def _utc(value) -> pd.Timestamp:
    t = pd.Timestamp(value)
    return t.tz_localize("UTC") if t.tzinfo is None else t.tz_convert("UTC")


def subset(
    articles: pd.DataFrame,
    *,
    source: str | Iterable[str] | None = None,
    category: str | Iterable[str] | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    date: str = "date",
) -> pd.DataFrame:
    """The articles of some sources / categories / dates (``None``: no condition).

    Args:
        articles: articles DataFrame.
        source: a source or several (compared case-insensitively).
        category: a category or several (case-insensitively).
        start: first day kept (inclusive, UTC); articles without a date are dropped when
            ``start`` or ``end`` is given.
        end: last day kept (inclusive).
        date: name of the date column.

    Returns:
        The matching rows (index kept; the input is not modified).

    >>> a = pd.DataFrame({"source": ["BBC", "cnn"], "date": pd.to_datetime(["2018-01-01", "2019-01-01"], utc=True)})
    >>> subset(a, source="bbc").index.tolist(), subset(a, start="2018-06-01").index.tolist()
    ([0], [1])
    """
    keep = pd.Series(True, index=articles.index)
    for col, wanted in (("source", source), ("category", category)):
        if wanted is None:
            continue
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        keep &= articles[col].astype("string").str.lower().isin([str(v).lower() for v in values]).fillna(False)
    if start is not None or end is not None:
        d = pd.to_datetime(articles[date], utc=True)  # NaT compares False: dropped
        if start is not None:
            keep &= d >= _utc(start)
        if end is not None:
            keep &= d < _utc(end) + pd.Timedelta(days=1)
    return articles[keep.to_numpy(dtype=bool)]


# --------------------------------------------------------------------------- summary


def corpus_stats(articles: pd.DataFrame, tokens, *, by: Sequence[str] = ("source", "category", "month")) -> pd.DataFrame:
    """Articles, tokens, types and article lengths overall and per group.

    Args:
        articles: articles DataFrame (the columns named in ``by``; ``month`` is derived
            from ``date``).
        tokens: Series of token lists aligned with ``articles``.
        by: groupings to report after the corpus-wide row.

    Returns:
        DataFrame with columns ``by`` (``"all"`` or the grouping column), ``group`` (its
        value, as text), ``articles``, ``tokens``, ``types``, ``mean_length``,
        ``median_length`` (tokens per article), ``min_length``, ``max_length``.

    >>> arts = pd.DataFrame({"source": ["a", "b"]})
    >>> corpus_stats(arts, pd.Series([["في", "غزة"], ["غزة"]]), by=["source"])["types"].tolist()
    [2, 2, 1]
    """
    enc = encode(tokens)
    lengths = pd.Series(enc.lengths, index=enc.index)
    binary = enc.matrix.copy()
    binary.data[:] = 1
    blocks = []
    groupings = [("all", None)] + [(b, b) for b in by]
    for label, col in groupings:
        if col is None:
            values = None
        elif col == "month" and "month" not in articles.columns:
            values = period_of(articles["date"]).dt.start_time.dt.strftime("%Y-%m").reindex(enc.index)
            values.name = "month"
        else:
            values = articles[col].reindex(enc.index)
        groups, labels, _ = group_codes(values, enc)
        ind = indicator(groups, len(labels))
        types = np.diff((ind @ binary).indptr)
        stats = lengths.groupby(groups).agg(["size", "sum", "mean", "median", "min", "max"])
        blocks.append(
            pd.DataFrame(
                {
                    "by": label,
                    "group": [str(x) if not pd.isna(x) else "(missing)" for x in labels[stats.index]],
                    "articles": stats["size"].to_numpy(),
                    "tokens": stats["sum"].to_numpy(),
                    "types": types[stats.index],
                    "mean_length": stats["mean"].to_numpy(),
                    "median_length": stats["median"].to_numpy(),
                    "min_length": stats["min"].to_numpy(),
                    "max_length": stats["max"].to_numpy(),
                }
            )
        )
    return pd.concat(blocks, ignore_index=True)


def length_distribution(tokens, *, by=None, bins: int | Sequence[float] = 20) -> pd.DataFrame:
    """Histogram of article lengths in tokens, overall or per group.

    Args:
        tokens: Series of token lists.
        by: optional Series of group labels aligned with ``tokens`` (e.g. the source).
        bins: number of equal-width bins, or the bin edges (shared by all groups).

    Returns:
        DataFrame with columns ``group``, ``bin_left``, ``bin_right``, ``articles``.

    >>> length_distribution(pd.Series([["في"], ["في", "غزة"]]), bins=2)["articles"].tolist()
    [1, 1]
    """
    enc = encode(tokens)
    lengths = enc.lengths
    edges = np.histogram_bin_edges(lengths, bins=bins)
    groups, labels, name = group_codes(by, enc)
    blocks = []
    for g, label in enumerate(labels):
        hist, _ = np.histogram(lengths[groups == g], bins=edges)
        blocks.append(
            pd.DataFrame({name: label, "bin_left": edges[:-1], "bin_right": edges[1:], "articles": hist})
        )
    return pd.concat(blocks, ignore_index=True)


# --------------------------------------------------------------------------- frequencies


def frequencies(
    tokens,
    by=None,
    *,
    drop_stopwords: bool = False,
    stopwords: Iterable[str] | None = None,
    min_count: int = 1,
    top: int | None = None,
) -> pd.DataFrame:
    """Frequency list: how often each term occurs and in how many articles.

    Args:
        tokens: Series of token lists (from :func:`helpers.tokenize`).
        by: optional Series of group labels aligned with ``tokens`` (e.g.
            ``articles["source"]``): one block of rows per group.
        drop_stopwords: leave stopwords out of the list (they still count in the
            ``per_million`` denominator, which is always the number of tokens).
        stopwords: the stopword set to use (default: :func:`helpers.stopwords`).
        min_count: keep terms occurring at least this often (per group).
        top: keep the ``top`` most frequent terms (per group).

    Returns:
        DataFrame with columns ``term``, ``count``, ``per_million`` (count per million
        tokens of the corpus or group), ``doc_freq`` (articles containing the term), sorted
        by count (ties in order of first appearance); with ``by``, a first column named
        after ``by`` and one block per group in sorted group order.

    >>> frequencies(pd.Series([["غزة", "في"], ["غزة"]]))[["term", "count", "per_million"]].values.tolist()
    [['غزة', 2, 666666.6666666666], ['في', 1, 333333.3333333333]]
    """
    enc = encode(tokens)
    keep = np.ones(enc.n_types, dtype=bool)
    if drop_stopwords:
        keep &= ~stop_mask(enc, stopwords)
    if by is None:
        counts, dfreq = enc.counts, enc.doc_freq
        order = np.flatnonzero(keep & (counts >= min_count))
        order = order[np.argsort(-counts[order], kind="stable")]
        if top is not None:
            order = order[:top]
        total = enc.n_tokens
        return pd.DataFrame(
            {
                "term": enc.vocab[order],
                "count": counts[order],
                "per_million": counts[order] / total * 1e6 if total else np.zeros(len(order)),
                "doc_freq": dfreq[order],
            }
        )
    groups, labels, name = group_codes(by, enc)
    ind = indicator(groups, len(labels))
    counts = (ind @ enc.matrix).tocsr()
    binary = enc.matrix.copy()
    binary.data[:] = 1
    dfreq = (ind @ binary).tocsr()
    totals = np.bincount(groups, weights=enc.lengths, minlength=len(labels))
    blocks = []
    for g, label in enumerate(labels):
        row = counts.getrow(g)
        cols, cnt = row.indices, row.data
        dfr = dfreq.getrow(g)
        ok = keep[cols] & (cnt >= min_count)
        cols, cnt = cols[ok], cnt[ok]
        # ties in order of first appearance, like the ungrouped list
        order = np.lexsort((cols, -cnt))
        if top is not None:
            order = order[:top]
        cols, cnt = cols[order], cnt[order]
        d = np.zeros(enc.n_types, dtype=np.int64)
        d[dfr.indices] = dfr.data
        blocks.append(
            pd.DataFrame(
                {
                    name: label,
                    "term": enc.vocab[cols],
                    "count": cnt,
                    "per_million": cnt / totals[g] * 1e6 if totals[g] else np.zeros(len(cnt)),
                    "doc_freq": d[cols],
                }
            )
        )
    return pd.concat(blocks, ignore_index=True)


# --------------------------------------------------------------------------- Zipf, Heaps


def _fit_loglog(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Least-squares line through (log10 x, log10 y): slope, intercept, r²."""
    lx, ly = np.log10(x.astype(float)), np.log10(y.astype(float))
    if len(lx) < 2 or np.ptp(lx) == 0:
        return float("nan"), float("nan"), float("nan")
    slope, intercept = np.polyfit(lx, ly, 1)
    resid = ly - (slope * lx + intercept)
    tot = ((ly - ly.mean()) ** 2).sum()
    r2 = 1 - (resid**2).sum() / tot if tot else 1.0
    return float(slope), float(intercept), float(r2)


def zipf(tokens, *, fit_ranks: tuple[int, int | None] = (1, 10_000), top: int | None = None) -> pd.DataFrame:
    """Rank-frequency table with a fitted Zipf line (log10 count = slope·log10 rank + b).

    Args:
        tokens: Series of token lists.
        fit_ranks: first and last rank used in the fit (``None``: the last rank). The
            default leaves out the long tail of words seen once or twice, whose tied
            counts bend the line; the ranks are sampled evenly on the log scale (100
            points), so each decade of ranks weighs the same in the fit.
        top: return only the first ``top`` ranks (the fit still uses ``fit_ranks``).

    Returns:
        DataFrame with columns ``rank`` (1 = most frequent; ties ranked in order of first
        appearance), ``term``, ``count``, ``frequency`` (share of all tokens), ``fitted``
        (count predicted by the line). The fit is in ``.attrs``: ``slope`` (about -1 for
        natural text), ``intercept``, ``r2``.

    >>> zipf(pd.Series([["في"] * 4 + ["من"] * 2 + ["عن"]])).attrs["slope"] < 0
    True
    """
    freq = frequencies(tokens)
    ranks = np.arange(1, len(freq) + 1)
    counts = freq["count"].to_numpy()
    lo, hi = fit_ranks
    hi = len(freq) if hi is None else min(hi, len(freq))
    lo = max(lo, 1)
    sel = np.unique(np.geomspace(lo, max(hi, lo), num=100).round().astype(np.int64)) - 1 if len(freq) else []
    slope, intercept, r2 = _fit_loglog(ranks[sel], counts[sel])
    out = pd.DataFrame(
        {
            "rank": ranks,
            "term": freq["term"].to_numpy(),
            "count": counts,
            "frequency": counts / counts.sum() if len(counts) else counts,
            "fitted": 10 ** (intercept + slope * np.log10(ranks)),
        }
    )
    if top is not None:
        out = out.head(top)
    out.attrs.update(slope=slope, intercept=intercept, r2=r2)
    return out


def heaps(tokens, *, points: int = 100, fit_from: int = 1000) -> pd.DataFrame:
    """Vocabulary growth curve (types after n tokens) with a fitted Heaps law V = K·n^β.

    Tokens are read in article order (the order of ``tokens``).

    Args:
        tokens: Series of token lists.
        points: number of points on the curve (log-spaced, always including the end).
        fit_from: fit only the points from this many tokens on (the start of the curve,
            where nearly every token is new, is not Heaps' regime); all points when fewer
            than two are that far.

    Returns:
        DataFrame with columns ``tokens`` (n), ``types`` (distinct terms in the first n
        tokens), ``fitted`` (K·n^β). ``.attrs`` holds ``K``, ``beta`` (typically
        0.4-0.7) and ``r2`` of the least-squares fit on log-log scale.

    >>> h = heaps(pd.Series([["ا", "ب", "ت", "ث"]]), points=4)
    >>> round(h.attrs["K"], 6), round(h.attrs["beta"], 6)
    (1.0, 1.0)
    """
    enc = encode(tokens)
    if not enc.n_tokens:
        out = pd.DataFrame({"tokens": [], "types": [], "fitted": []})
        out.attrs.update(K=float("nan"), beta=float("nan"), r2=float("nan"))
        return out
    # codes are numbered in order of first appearance: types seen = running max + 1
    types = np.maximum.accumulate(enc.codes) + 1
    n = np.unique(np.geomspace(1, enc.n_tokens, num=points).round().astype(np.int64))
    v = types[n - 1]
    far = n >= fit_from
    fit = far if far.sum() >= 2 else np.ones(len(n), dtype=bool)
    beta, log_k, r2 = _fit_loglog(n[fit], v[fit])
    k = 10**log_k
    out = pd.DataFrame({"tokens": n, "types": v, "fitted": k * n.astype(float) ** beta})
    out.attrs.update(K=float(k), beta=float(beta), r2=r2)
    return out


# --------------------------------------------------------------------------- diversity


def diversity(tokens, *, window: int = 100) -> pd.DataFrame:
    """Type-token ratio and moving-average TTR (Covington & McFall's MATTR) per article.

    MATTR averages the TTR of every window of ``window`` consecutive tokens, so unlike TTR
    it does not fall as articles get longer. For an article shorter than the window it is
    the article's TTR.

    Args:
        tokens: Series of token lists.
        window: MATTR window length in tokens.

    Returns:
        DataFrame with the index of ``tokens`` and columns ``tokens``, ``types``, ``ttr``,
        ``mattr`` (NaN for an empty article).

    >>> diversity(pd.Series([["في", "غزة", "في", "غزة"]]), window=2)["mattr"].tolist()
    [1.0]
    """
    if window < 1:
        raise ValueError("window must be at least 1")
    enc = encode(tokens)
    n = enc.n_tokens
    doc = enc.doc_of
    pos = enc.position
    length = enc.lengths[doc]
    # previous position of the same term in the same article (-1 if none)
    key = doc * max(enc.n_types, 1) + enc.codes
    order, sorted_key = sort_order(key, bits_needed(max(enc.n_docs * enc.n_types, 1)))
    prev_sorted = np.full(n, -1, dtype=np.int64)
    if n > 1:
        same = sorted_key[1:] == sorted_key[:-1]
        prev_sorted[1:][same] = pos[order[:-1]][same]
    prev = np.empty(n, dtype=np.int64)
    prev[order] = prev_sorted
    types = np.bincount(doc[prev < 0], minlength=enc.n_docs)
    w = np.minimum(window, enc.lengths)  # effective window per article
    wd = w[doc]
    # a token is a new type in window s (covering s..s+w-1) when prev < s <= pos
    lo = np.maximum(np.maximum(prev + 1, pos - wd + 1), 0)
    hi = np.minimum(pos, length - wd)
    contrib = np.clip(hi - lo + 1, 0, None)
    total = np.bincount(doc, weights=contrib, minlength=enc.n_docs)
    n_windows = enc.lengths - w + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        ttr = types / enc.lengths
        mattr = total / (n_windows * w)
    mattr = np.where(enc.lengths > 0, mattr, np.nan)
    return pd.DataFrame(
        {"tokens": enc.lengths, "types": types, "ttr": ttr, "mattr": mattr}, index=enc.index
    )


# --------------------------------------------------------------------------- dispersion


def dispersion(tokens, terms: Iterable[str] | None = None, *, parts=None, min_count: int = 1) -> pd.DataFrame:
    """How evenly terms are spread over the corpus: Gries' DP and Juilland's D.

    The corpus parts are the articles, or the groups given by ``parts`` (e.g. the
    source). Empty parts are ignored. With part sizes s_i (share of all tokens) and the
    term's share of its occurrences in each part v_i:

    - ``dp`` = ½ Σ |v_i − s_i| (Gries 2008): 0 = spread exactly like the corpus, near 1 =
      concentrated in one small part; ``dp_norm`` = dp / (1 − min s_i) scales it to 0..1.
    - ``juilland_d`` = 1 − (σ/μ)/√(n−1) over the term's relative frequencies in the n
      parts (frequency / part size, so unequal parts are allowed; σ is the population
      standard deviation): 1 = perfectly even, 0 = in one part only.

    Args:
        tokens: Series of token lists.
        terms: the terms to report (default: every term with at least ``min_count``
            occurrences). Unknown terms get count 0 and NaN scores.
        parts: optional Series of part labels aligned with ``tokens``.
        min_count: with ``terms=None``, the minimum count.

    Returns:
        DataFrame with columns ``term``, ``count``, ``range`` (parts containing the term),
        ``parts`` (number of non-empty parts), ``dp``, ``dp_norm``, ``juilland_d``,
        sorted by count.

    >>> d = dispersion(pd.Series([["في", "غزة"], ["في", "قال"]]), ["في", "غزة"])
    >>> d[["term", "dp", "juilland_d"]].values.tolist()
    [['في', 0.0, 1.0], ['غزة', 0.5, 0.0]]
    """
    enc = encode(tokens)
    groups, labels, _ = group_codes(parts, enc)
    m = (indicator(groups, len(labels)) @ enc.matrix).tocsr() if parts is not None else enc.matrix
    sizes = np.asarray(m.sum(axis=1)).ravel().astype(float)
    nonempty = sizes > 0
    m = m[nonempty]
    sizes = sizes[nonempty]
    n_parts = len(sizes)
    s = sizes / sizes.sum() if n_parts else sizes
    if terms is None:
        cols = np.flatnonzero(enc.counts >= min_count)
        cols = cols[np.argsort(-enc.counts[cols], kind="stable")]
        names = enc.vocab[cols]
    else:
        names = np.asarray(list(terms), dtype=object)
        cols = enc.code_of(names)
    valid = cols >= 0
    # no known term (a corpus without a single word has no column to index at all)
    sub = (m[:, np.where(valid, cols, 0)].tocoo() if valid.any()
           else sparse.coo_matrix((m.shape[0], len(cols))))
    f = np.asarray(sub.sum(axis=0)).ravel().astype(float)
    f[~valid] = 0
    keep = valid[sub.col]
    row, col, data = sub.row[keep], sub.col[keep], sub.data[keep].astype(float)
    k = len(cols)
    with np.errstate(divide="ignore", invalid="ignore"):
        contrib = np.abs(data / f[col] - s[row]) - s[row]
        dp = 0.5 * (np.bincount(col, weights=contrib, minlength=k) + 1.0)
        dp_norm = dp / (1.0 - s.min()) if n_parts else dp
        rel = data / sizes[row]
        mean = np.bincount(col, weights=rel, minlength=k) / n_parts
        var = np.bincount(col, weights=rel**2, minlength=k) / n_parts - mean**2
        sd = np.sqrt(np.clip(var, 0, None))
        d = 1.0 - (sd / mean) / np.sqrt(n_parts - 1)
    rng = np.bincount(col, minlength=k)
    for arr in (dp, dp_norm, d):
        arr[f == 0] = np.nan
    out = pd.DataFrame(
        {
            "term": names,
            "count": f.astype(np.int64),
            "range": rng,
            "parts": n_parts,
            "dp": dp,
            "dp_norm": dp_norm,
            "juilland_d": d,
        }
    )
    return out.sort_values("count", ascending=False, kind="stable", ignore_index=True)


def dispersion_positions(tokens, terms: Iterable[str]) -> pd.DataFrame:
    """Where each occurrence of the terms falls, for a dispersion (barcode) plot.

    Args:
        tokens: Series of token lists.
        terms: the terms to locate.

    Returns:
        DataFrame with columns ``term``, ``article`` (index label of the article),
        ``position`` (token offset inside the article), ``offset`` (token offset in the
        whole corpus, articles in order), ``relative`` (offset / corpus tokens, 0..1).
        ``attrs`` carry what a plot of it needs besides the hits: ``terms`` (the terms
        asked, in order, found or not), ``n_tokens`` (tokens in the corpus) and ``starts``
        (the corpus offset where each article starts).

    >>> dispersion_positions(pd.Series([["في", "غزة"], ["غزة"]]), ["غزة"])["offset"].tolist()
    [1, 2]
    """
    enc = encode(tokens)
    names = list(terms)
    cols = enc.code_of(names)
    lookup = np.full(enc.n_types + 1, -1, dtype=np.int64)
    for i, c in enumerate(cols):
        if c >= 0:
            lookup[c] = i
    which = lookup[enc.codes] if enc.n_tokens else np.empty(0, dtype=np.int64)
    offset = np.flatnonzero(which >= 0)
    doc = enc.doc_of[offset]
    table = pd.DataFrame(
        {
            "term": np.asarray(names, dtype=object)[which[offset]],
            "article": enc.index[doc],
            "position": offset - enc.indptr[doc],
            "offset": offset,
            "relative": offset / max(enc.n_tokens, 1),
        }
    )
    table.attrs.update(terms=names, n_tokens=int(enc.n_tokens),
                       starts=[int(x) for x in enc.indptr[:-1]])
    return table
