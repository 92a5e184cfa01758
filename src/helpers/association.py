"""Association measures: collocations, keyness between sub-corpora and between outlets,
distinctive terms.

Built on the integer encoding of :mod:`helpers.encoded` (counts are bincounts and sparse
products, never Python loops over tokens).

- :func:`collocations` gives the same scores as NLTK's ``BigramAssocMeasures`` (``pmi``,
  ``likelihood_ratio``, ``student_t``) on a ``BigramCollocationFinder`` built from the same
  articles with padding between them (pairs never span two articles).
- :func:`keyness` compares a target with a reference corpus (G² and Hardie's Log Ratio);
  :func:`outlet_keyness` does it for every outlet against all the others from one encoding,
  with the same numbers and columns. :func:`key_term_profile` and :func:`key_term_trends`
  follow those key words across outlets and over time.
- :func:`distinctive_terms` ranks each group's terms by TF-IDF, the groups being the
  documents.

>>> tokens = pd.Series([["وزير", "الخارجية", "قال"], ["وزير", "الخارجية"]])
>>> collocations(tokens, min_count=2)[["w1", "w2", "count"]].values.tolist()
[['وزير', 'الخارجية', 2]]
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import sparse

from .encoded import distinct_counts, encode, group_codes, indicator, stop_mask
from .timelines import period_of

__all__ = ["collocations", "keyness", "distinctive_terms", "MEASURES", "outlet_keyness",
           "key_term_profile", "key_term_trends"]

#: the association measures :func:`collocations` knows, with NLTK's name for each
MEASURES = {"pmi": "pmi", "llr": "likelihood_ratio", "t": "student_t"}

# NLTK's guard against division by zero and log(0), kept so scores are identical
_SMALL = 1e-20


def pair_counts(enc, window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(w1 ids, w2 ids, counts) of ordered pairs at distance 1..window-1 inside articles
    (also counted chunk by chunk by :mod:`helpers.streaming`)."""
    room = enc.lengths[enc.doc_of] - 1 - enc.position  # tokens after this one in its article
    v = np.int64(max(enc.n_types, 1))
    keys = []
    for k in range(1, window):
        first = np.flatnonzero(room >= k)
        keys.append(enc.codes[first] * v + enc.codes[first + k])
    if not keys or not sum(len(x) for x in keys):
        e = np.empty(0, dtype=np.int64)
        return e, e, e
    allkeys = np.concatenate(keys)
    uniq, counts = distinct_counts(np.sort(allkeys))
    return uniq // v, uniq % v, counts


def measure_scores(measure: str, n_ii, n_ix, n_xi, n_xx) -> np.ndarray:
    """NLTK's BigramAssocMeasures formulas, vectorised, same operation order (the scores of
    :func:`collocations` and of :meth:`helpers.streaming.CorpusCounts.collocations`)."""
    n_ii = n_ii.astype(float)
    n_ix = n_ix.astype(float)
    n_xi = n_xi.astype(float)
    n_xx = float(n_xx)
    if measure == "pmi":
        return np.log2(n_ii * n_xx) - np.log2(n_ix * n_xi)
    if measure == "t":
        return (n_ii - n_ix * n_xi / n_xx) / (n_ii + _SMALL) ** 0.5
    if measure == "llr":
        n_oi = n_xi - n_ii
        n_io = n_ix - n_ii
        n_oo = n_xx - n_ii - n_oi - n_io
        cont = (n_ii, n_oi, n_io, n_oo)
        total = ((n_ii + n_oi) + n_io) + n_oo
        score = 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            for i in range(4):
                exp = (cont[i] + cont[i ^ 1]) * (cont[i] + cont[i ^ 2]) / total
                score = score + cont[i] * np.log(cont[i] / (exp + _SMALL) + _SMALL)
        return 2 * score
    raise ValueError(f"unknown measure {measure!r}; use one of {sorted(MEASURES)}")


def collocations(
    tokens,
    measure: str = "pmi",
    window: int = 2,
    min_count: int = 5,
    *,
    drop_stopwords: bool = False,
    stopwords: Iterable[str] | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Word pairs that occur together more than chance, scored like NLTK.

    A pair (w1, w2) is w2 occurring within ``window - 1`` tokens after w1 in the same
    article (``window=2``: adjacent bigrams). Counts and scores follow NLTK's
    ``BigramCollocationFinder.from_words(words, window_size=window)`` with the articles
    separated by ``window - 1`` padding symbols (what ``from_documents`` does for
    window 2), so no pair spans two articles:

    - N is the number of tokens, the marginals are the unigram counts of w1 and w2;
    - the observed count used by the measures is ``count / (window - 1)`` (NLTK's
      normalisation for wider windows);
    - ``pmi`` = log2(n·N / (f1·f2)); ``t`` = (n − f1·f2/N) / √n; ``llr`` = Dunning's G²
      on the 2×2 table, with NLTK's 1e-20 guards.

    Args:
        tokens: Series of token lists.
        measure: ``"pmi"``, ``"llr"`` or ``"t"``.
        window: 2 for adjacent pairs, more for pairs up to ``window - 1`` tokens apart.
        min_count: drop pairs seen fewer times (NLTK's ``apply_freq_filter``); PMI
            especially overrates rare pairs.
        drop_stopwords: drop pairs with a stopword on either side (after counting, so
            the marginals are unchanged, like NLTK's ``apply_word_filter``).
        stopwords: the stopword set (default: :func:`helpers.stopwords`).
        top: keep the ``top`` best pairs.

    Returns:
        DataFrame with columns ``w1``, ``w2``, ``count`` (raw co-occurrence count, NLTK's
        ``ngram_fd``), ``score``, sorted by score descending, ties by (w1, w2) like NLTK.

    >>> t = pd.Series([["قال", "وزير", "الخارجية"], ["وزير", "الخارجية", "قال"]])
    >>> round(float(collocations(t, "pmi", min_count=2)["score"].iloc[0]), 4)
    1.585
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; use one of {sorted(MEASURES)}")
    if window < 2:
        raise ValueError("window must be at least 2")
    enc = encode(tokens)
    w1, w2, count = pair_counts(enc, window)
    keep = count >= min_count
    if drop_stopwords:
        stop = stop_mask(enc, stopwords)
        keep &= ~stop[w1] & ~stop[w2]
    w1, w2, count = w1[keep], w2[keep], count[keep]
    unigram = enc.counts
    score = measure_scores(measure, count / (window - 1.0), unigram[w1], unigram[w2], enc.n_tokens)
    out = pd.DataFrame(
        {"w1": enc.vocab[w1], "w2": enc.vocab[w2], "count": count, "score": score}
    )
    # NLTK sorts by (-score, ngram); sorting on strings only among equal scores
    out = out.sort_values(["score", "w1", "w2"], ascending=[False, True, True], kind="stable",
                          ignore_index=True)
    if top is not None:
        out = out.head(top)
    return out


def _term_counts(tokens) -> pd.Series:
    enc = encode(tokens)
    return pd.Series(enc.counts, index=pd.Index(enc.vocab, dtype=object), dtype=np.int64)


def keyness(
    target_tokens,
    reference_tokens,
    min_count: int = 5,
    *,
    top: int | None = None,
) -> pd.DataFrame:
    """Key terms of a target corpus against a reference: G² and Hardie's Log Ratio.

    For a term with ``a`` occurrences among the target's ``c`` tokens and ``b`` among the
    reference's ``d`` tokens, the 2×2 table is [[a, b], [c − a, d − b]] and

    - ``g2`` = 2 Σ O·ln(O/E) over its four cells, E = row total × column total / (c + d)
      (Dunning 1993; cells with O = 0 add 0). 3.84 is p < 0.05, 10.83 is p < 0.001 for
      one term; 15.13 is p < 0.0001.
    - ``log_ratio`` = log2((a/c) / (b/d)) (Hardie 2014): +1 means twice as frequent in the
      target, −1 twice as frequent in the reference. A zero frequency is replaced by 0.5
      before normalising (Hardie's adjustment), so the ratio stays finite.
    - ``key_for`` is ``"target"`` when a/c > b/d, otherwise ``"reference"``.

    Args:
        target_tokens: Series of token lists of the target (e.g. one outlet).
        reference_tokens: Series of token lists of the reference (e.g. the others).
        min_count: keep terms with at least this many occurrences in both together.
        top: keep the ``top`` rows.

    Returns:
        DataFrame with columns ``term``, ``count_target``, ``count_reference``, ``g2``,
        ``log_ratio``, ``key_for``, sorted by ``g2`` descending; no rows when either side
        has no tokens.

    >>> k = keyness(pd.Series([["غزة", "في"]]), pd.Series([["في", "من"]]), min_count=1)
    >>> k[["term", "key_for"]].values.tolist()[0]
    ['غزة', 'target']
    """
    return keyness_from_counts(_term_counts(target_tokens), _term_counts(reference_tokens),
                                min_count=min_count, top=top)


def _union_counts(a_counts: pd.Series, b_counts: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The terms of both sides (``a``'s in order, then ``b``'s new ones in order, as
    ``pd.concat(axis=1)`` aligns them) and each side's counts (0 where absent), aligned by
    hashing the terms in Arrow (a pandas union of two 200,000-word indexes takes a second)."""
    import pyarrow as pa

    both = pa.array(np.concatenate([np.asarray(a_counts.index, dtype=object),
                                    np.asarray(b_counts.index, dtype=object)]), pa.large_string())
    encoded = both.dictionary_encode()
    ids = encoded.indices.to_numpy(zero_copy_only=False)
    n = len(encoded.dictionary)
    a = np.zeros(n)
    a[ids[:len(a_counts)]] = a_counts.to_numpy(dtype=float)
    b = np.zeros(n)
    b[ids[len(a_counts):]] = b_counts.to_numpy(dtype=float)
    return np.asarray(encoded.dictionary.to_numpy(zero_copy_only=False), dtype=object), a, b


def keyness_from_counts(a_counts: pd.Series, b_counts: pd.Series, *, min_count: int,
                        top: int | None, totals: tuple[float, float] | None = None) -> pd.DataFrame:
    """:func:`keyness` from term -> count Series of each side (terms in order of first
    appearance; shared with :mod:`helpers.streaming` and :mod:`helpers.reference`).
    ``totals`` are the sides' token counts when the Series hold only some of their terms
    (default: the Series' sums)."""
    c, d = (float(a_counts.sum()), float(b_counts.sum())) if totals is None else map(float, totals)
    if not c or not d:  # nothing to compare with: no key terms
        return _keyness_frame(np.empty(0, dtype=object), np.zeros(0), np.zeros(0), 1.0, 1.0)
    terms, a, b = _union_counts(a_counts, b_counts)
    keep = (a + b) >= min_count
    out = _keyness_frame(terms[keep], a[keep], b[keep], c, d)
    out = out.sort_values("g2", ascending=False, kind="stable", ignore_index=True)
    if top is not None:
        out = out.head(top)
    return out


def _keyness_frame(terms: np.ndarray, a: np.ndarray, b: np.ndarray, c: float, d: float) -> pd.DataFrame:
    """The keyness columns of terms seen ``a`` times among the target's ``c`` tokens and
    ``b`` times among the reference's ``d`` tokens, in the order given: the one G² and Log
    Ratio of the package (formulas in :func:`keyness`), vectorised over the terms."""
    n = c + d
    obs = (a, b, c - a, d - b)
    row = (a + b, a + b, n - a - b, n - a - b)
    col = (c, d, c, d)
    g2 = np.zeros(len(a))
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, r, k in zip(obs, row, col):
            e = r * k / n
            g2 += np.where(o > 0, o * np.log(o / e), 0.0)
        g2 *= 2
        log_ratio = np.log2((np.where(a > 0, a, 0.5) / c) / (np.where(b > 0, b, 0.5) / d))
    return pd.DataFrame(
        {
            "term": np.asarray(terms, dtype=object),
            "count_target": a.astype(np.int64),
            "count_reference": b.astype(np.int64),
            "g2": g2,
            "log_ratio": log_ratio,
            "key_for": np.where(a / c > b / d, "target", "reference"),
        }
    )


def distinctive_terms(
    tokens,
    by,
    *,
    top: int = 20,
    min_count: int = 5,
    drop_stopwords: bool = False,
    stopwords: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Terms that set each group apart, by TF-IDF with the groups as documents.

    Each group (e.g. a source or category) is one document: tf = the term's share of the
    group's tokens, idf = ln(groups / groups using the term) (as in tidytext's
    ``bind_tf_idf``; scikit-learn's ``TfidfTransformer(smooth_idf=False)`` adds 1 to it,
    which would keep terms used everywhere), so a term every group uses scores 0 and a term frequent in one group
    and absent elsewhere scores highest.

    Args:
        tokens: Series of token lists.
        by: Series of group labels aligned with ``tokens``.
        top: terms per group.
        min_count: ignore terms occurring fewer times in the whole corpus.
        drop_stopwords: leave stopwords out.
        stopwords: the stopword set (default: :func:`helpers.stopwords`).

    Returns:
        DataFrame with columns named after ``by`` (the group), ``rank``, ``term``,
        ``count`` (in the group), ``tf``, ``idf``, ``tf_idf``; ``top`` rows per group.

    >>> t = pd.Series([["غزة", "في"], ["كأس", "في"]])
    >>> distinctive_terms(t, pd.Series(["سياسة", "رياضة"]), top=1, min_count=1)["term"].tolist()
    ['كأس', 'غزة']
    """
    enc = encode(tokens)
    groups, labels, name = group_codes(by, enc)
    counts = (indicator(groups, len(labels)) @ enc.matrix).tocsr().astype(float)
    keep = enc.counts >= min_count
    if drop_stopwords:
        keep &= ~stop_mask(enc, stopwords)
    counts = counts @ sparse.diags(keep.astype(float))
    counts.eliminate_zeros()
    totals = np.asarray(counts.sum(axis=1)).ravel()
    tf = sparse.diags(np.divide(1.0, totals, out=np.zeros_like(totals), where=totals > 0)) @ counts
    present = np.bincount(counts.tocsr().indices, minlength=counts.shape[1])  # groups using a term
    with np.errstate(divide="ignore"):
        idf = np.where(present > 0, np.log(len(labels) / np.maximum(present, 1)), 0.0)
    scores = (tf @ sparse.diags(idf)).tocsr()
    scores.eliminate_zeros()
    tf = tf.tocsr()
    counts = counts.tocsr()
    blocks = []
    for g, label in enumerate(labels):
        row = scores.getrow(g)
        cols, vals = row.indices, row.data
        order = np.lexsort((cols, -vals))[:top]
        cols = cols[order]
        blocks.append(
            pd.DataFrame(
                {
                    name: label,
                    "rank": np.arange(1, len(cols) + 1),
                    "term": enc.vocab[cols],
                    "count": counts[g, cols].toarray().ravel().astype(np.int64),
                    "tf": tf[g, cols].toarray().ravel(),
                    "idf": idf[cols],
                    "tf_idf": vals[order],
                }
            )
        )
    return pd.concat(blocks, ignore_index=True)


def outlet_keyness(
    tokens: pd.Series,
    by: pd.Series,
    *,
    min_count: int = 5,
    top: int | None = 20,
    drop_stopwords: bool = False,
    stopwords: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Words each outlet uses more than all the other outlets together, strongest first.

    For every group of ``by`` (an outlet), the group is the target and every other article
    the reference of :func:`helpers.keyness`; only the words the group over-uses are kept.

    Args:
        tokens: Series of token lists.
        by: Series of group labels aligned with ``tokens`` (e.g. ``articles["source"]``).
        min_count: keep words occurring at least this often in the whole corpus.
        top: words kept per group (None: all).
        drop_stopwords: leave stopwords out (after counting: totals are unchanged).
        stopwords: the stopword set (default: :func:`helpers.stopwords`).

    Returns:
        DataFrame with a column named after ``by`` (the group), ``rank``, then the columns
        of :func:`helpers.keyness` for the group against the others: ``term``,
        ``count_target`` and ``count_reference`` (occurrences in the group and in the
        others), ``g2``, ``log_ratio``, ``key_for`` (always ``"target"``); sorted by group,
        then by ``g2`` descending (ties in order of first appearance). Articles without a
        group (missing ``by``) count in every reference but are no group of their own. No
        rows when there are fewer than two groups.

    >>> t = pd.Series([["غزة", "في"], ["كأس", "في"]])
    >>> outlet_keyness(t, pd.Series(["أ", "ب"]), min_count=1)[["group", "term"]].values.tolist()
    [['أ', 'غزة'], ['ب', 'كأس']]
    """
    enc = encode(tokens)
    groups, labels, name = group_codes(by, enc)
    nothing = _keyness_frame(np.empty(0, dtype=object), np.zeros(0), np.zeros(0), 1.0, 1.0)
    empty = pd.concat([pd.DataFrame({name: pd.Series(dtype=object),
                                     "rank": pd.Series(dtype=np.int64)}), nothing], axis=1)
    # articles without an outlet stay in every reference, but are not an outlet of their own
    named = [g for g, label in enumerate(labels) if not pd.isna(label)]
    if len(named) < 2 or not enc.n_tokens:
        return empty
    counts = np.asarray((indicator(groups, len(labels)) @ enc.matrix).todense(), dtype=float)
    keep = enc.counts >= min_count
    if drop_stopwords:
        keep &= ~stop_mask(enc, stopwords)
    totals = counts.sum(axis=1)
    everything = counts.sum(axis=0)
    blocks = []
    for g in named:
        c, d = totals[g], totals.sum() - totals[g]
        if not c or not d:
            continue
        a, b = counts[g], everything - counts[g]
        cols = np.flatnonzero(keep & (a / c > b / d))
        table = _keyness_frame(enc.vocab[cols], a[cols], b[cols], c, d)
        order = np.lexsort((cols, -table["g2"].to_numpy()))[:top]
        table = table.iloc[order].reset_index(drop=True)
        table.insert(0, "rank", np.arange(1, len(table) + 1))
        table.insert(0, name, labels[g])
        blocks.append(table)
    return pd.concat(blocks, ignore_index=True) if blocks else empty


def key_term_profile(
    tokens: pd.Series,
    by: pd.Series,
    keys: pd.DataFrame,
    *,
    terms_per_group: int = 2,
) -> pd.DataFrame:
    """How often every outlet uses the other outlets' key words (per million tokens).

    Args:
        tokens: Series of token lists.
        by: Series of outlet labels aligned with ``tokens``.
        keys: the frame of :func:`outlet_keyness`.
        terms_per_group: how many key words of each outlet to take.

    Returns:
        Long DataFrame with columns named after ``by``, ``term``, ``count``,
        ``per_million``: one row per outlet and chosen word (for
        ``helpers.charts.term_heatmap``). No rows without key words.

    >>> t = pd.Series([["غزة", "في"], ["كأس", "في"]])
    >>> b = pd.Series(["أ", "ب"], name="source")
    >>> key_term_profile(t, b, outlet_keyness(t, b, min_count=1))["per_million"].tolist()
    [500000.0, 0.0, 0.0, 500000.0]
    """
    enc = encode(tokens)
    groups, labels, name = group_codes(by, enc)
    if keys.empty:
        return pd.DataFrame({name: pd.Series(dtype=object), "term": pd.Series(dtype=object),
                             "count": pd.Series(dtype=np.int64),
                             "per_million": pd.Series(dtype=float)})
    terms = list(dict.fromkeys(keys.loc[keys["rank"] <= terms_per_group, "term"]))
    cols = enc.code_of(terms)
    counts = (indicator(groups, len(labels)) @ enc.matrix).tocsc()
    sub = counts[:, np.where(cols >= 0, cols, 0)].toarray()
    sub[:, cols < 0] = 0
    totals = np.bincount(groups, weights=enc.lengths, minlength=len(labels))
    with np.errstate(divide="ignore", invalid="ignore"):
        per_million = sub / totals[:, None] * 1e6
    return pd.DataFrame({
        name: np.repeat(np.asarray(labels, dtype=object), len(terms)),
        "term": np.tile(np.asarray(terms, dtype=object), len(labels)),
        "count": sub.ravel().astype(np.int64),
        "per_million": per_million.ravel(),
    })


def key_term_trends(
    articles: pd.DataFrame,
    tokens: pd.Series,
    keys: pd.DataFrame,
    *,
    by: str = "source",
    terms_per_group: int = 3,
    freq: str = "M",
    min_share: float = 0.01,
    date: str = "date",
) -> pd.DataFrame:
    """Each outlet's top key words over time: per million tokens in the outlet and elsewhere.

    Args:
        articles: articles frame (the ``by`` and ``date`` columns), aligned with ``tokens``.
        tokens: Series of token lists.
        keys: the frame of :func:`outlet_keyness` (its ``by`` column, ``rank``, ``term``).
        by: the outlet column.
        terms_per_group: how many of each outlet's key words to follow.
        freq: ``"M"`` (months), ``"Q"`` (quarters) or ``"Y"`` (years).
        min_share: leave out periods holding less than this share of the corpus's tokens
            (stray early articles would otherwise give periods of a handful of words).
        date: the date column; undated articles are left out.

    Returns:
        DataFrame with columns ``by``, ``term``, ``period`` (named as by
        :func:`helpers.timelines.period_of`, e.g. ``2018-03``), ``count``, ``per_million``
        (in the outlet), ``count_reference``, ``per_million_reference`` (in the other
        outlets, as in :func:`helpers.keyness`); its
        ``attrs["dropped_periods"]`` counts the periods left out and ``attrs["undated"]``
        lists the outlets with key words but no dated article (their words are not
        followed). No rows without dates or key words.
    """
    columns = [by, "term", "period", "count", "per_million", "count_reference", "per_million_reference"]
    out = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    chosen = keys[keys["rank"] <= terms_per_group] if len(keys) else keys
    dated = articles[date].notna()
    with_dates = set(articles.loc[dated, by].dropna())
    undated = [g for g in dict.fromkeys(chosen[by]) if g not in with_dates] if len(chosen) else []
    out.attrs.update(dropped_periods=0, undated=undated)
    chosen = chosen[~chosen[by].isin(undated)] if undated else chosen
    if chosen.empty:
        return out
    enc = encode(tokens)
    terms = list(dict.fromkeys(chosen["term"]))
    frame = pd.DataFrame(enc.term_counts(terms), columns=terms, index=enc.index)
    frame["tokens"] = enc.lengths
    frame[by] = articles[by].astype(object).reindex(enc.index).to_numpy()
    frame["period"] = period_of(articles[date], freq).astype("string").reindex(enc.index).to_numpy()
    frame = frame[frame["period"].notna()]
    per = frame.groupby(["period", by], sort=True)[terms + ["tokens"]].sum()
    whole = per.groupby(level="period").sum()
    whole = whole[whole["tokens"] >= min_share * whole["tokens"].sum()]
    out.attrs["dropped_periods"] = int(per.index.get_level_values("period").nunique() - len(whole))
    rows = []
    for group, term in chosen[[by, "term"]].itertuples(index=False, name=None):
        mine = per.xs(group, level=by).reindex(whole.index, fill_value=0)
        rest = whole - mine
        with np.errstate(divide="ignore", invalid="ignore"):
            rows.append(pd.DataFrame({
                by: group, "term": term, "period": whole.index,
                "count": mine[term].to_numpy(),
                "per_million": (mine[term] / mine["tokens"] * 1e6).to_numpy(),
                "count_reference": rest[term].to_numpy(),
                "per_million_reference": (rest[term] / rest["tokens"] * 1e6).to_numpy(),
            }))
    result = pd.concat(rows, ignore_index=True) if rows else out
    result.attrs.update(out.attrs)
    return result
