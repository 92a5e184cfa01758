"""Comparing outlets: key words of each against the rest, their trends, shared copy.

Small functions over the articles frame, the token lists of :func:`helpers.tokenize` and
the near-duplicate members of :func:`helpers.near_duplicates`; they keep notebook 05 free
of logic and never touch the disk.

- :func:`outlet_keyness` ranks the words each outlet over-uses compared with all the other
  outlets together (G² and Hardie's Log Ratio, the numbers of
  :func:`helpers.keyness`, computed for every outlet from one encoding of the corpus).
- :func:`key_term_trends` follows each outlet's key words over time, in the outlet and in
  the others.
- :func:`copy_matrix` and :func:`shared_copy` say how much of each outlet's copy also
  appears at another outlet (near-duplicate clusters spanning sources) and which outlet
  published it first.
- :func:`what_we_saw` writes the notebook's closing summary from those tables.

>>> import pandas as pd
>>> tokens = pd.Series([["غزة", "في"], ["غزة", "في"], ["كأس", "في"]])
>>> outlet_keyness(tokens, pd.Series(["أ", "أ", "ب"], name="source"), min_count=1)["term"].tolist()
['غزة', 'كأس']
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from helpers.display import HTML, bdi, bullets
from helpers.stats import _group_codes, _indicator, _stop_mask, encode

__all__ = [
    "outlet_keyness",
    "key_term_profile",
    "key_term_trends",
    "trend_table",
    "trends_note",
    "copy_matrix",
    "shared_copy",
    "what_we_saw_compare",
]

_KEYNESS_COLUMNS = ["rank", "term", "count", "count_rest", "per_million", "per_million_rest",
                    "g2", "log_ratio"]


def _g2_log_ratio(a: np.ndarray, b: np.ndarray, c: float, d: float) -> tuple[np.ndarray, np.ndarray]:
    """G² and Log Ratio of terms seen ``a`` times in ``c`` tokens and ``b`` times in ``d``.

    The formulas of :func:`helpers.association.keyness` (Dunning's G² over the 2×2 table,
    Hardie's Log Ratio with 0.5 for a zero count), vectorised over terms; tested equal.
    """
    n = c + d
    g2 = np.zeros(len(a))
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, r, k in ((a, a + b, c), (b, a + b, d), (c - a, n - a - b, c), (d - b, n - a - b, d)):
            e = r * k / n
            g2 += np.where(o > 0, o * np.log(o / e), 0.0)
        log_ratio = np.log2((np.where(a > 0, a, 0.5) / c) / (np.where(b > 0, b, 0.5) / d))
    return 2 * g2, log_ratio


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
        stopwords: the stopword set (default: :func:`helpers.stats.default_stopwords`).

    Returns:
        DataFrame with a column named after ``by`` (the group), then ``rank``, ``term``,
        ``count`` and ``count_rest`` (occurrences in the group and in the others),
        ``per_million`` and ``per_million_rest``, ``g2`` and ``log_ratio``; sorted by
        group, then by ``g2`` descending. Articles without a group (missing ``by``) count in
        every reference but are no group of their own. No rows when there are fewer than two
        groups.

    >>> t = pd.Series([["غزة", "في"], ["كأس", "في"]])
    >>> outlet_keyness(t, pd.Series(["أ", "ب"]), min_count=1)[["group", "term"]].values.tolist()
    [['أ', 'غزة'], ['ب', 'كأس']]
    """
    enc = encode(tokens)
    groups, labels, name = _group_codes(by, enc)
    empty = pd.DataFrame({name: pd.Series(dtype=object),
                          **{c: pd.Series(dtype=object if c == "term" else float)
                             for c in _KEYNESS_COLUMNS}})
    # articles without an outlet stay in every reference, but are not an outlet of their own
    named = [g for g, label in enumerate(labels) if not pd.isna(label)]
    if len(named) < 2 or not enc.n_tokens:
        return empty
    counts = np.asarray((_indicator(groups, len(labels)) @ enc.matrix).todense(), dtype=float)
    keep = enc.counts >= min_count
    if drop_stopwords:
        keep &= ~_stop_mask(enc, stopwords)
    totals = counts.sum(axis=1)
    everything = counts.sum(axis=0)
    blocks = []
    for g in named:
        label = labels[g]
        c, d = totals[g], totals.sum() - totals[g]
        if not c or not d:
            continue
        a, b = counts[g], everything - counts[g]
        g2, log_ratio = _g2_log_ratio(a, b, c, d)
        cols = np.flatnonzero(keep & (a / c > b / d))
        cols = cols[np.lexsort((cols, -g2[cols]))][:top]
        blocks.append(pd.DataFrame({
            name: label,
            "rank": np.arange(1, len(cols) + 1),
            "term": enc.vocab[cols],
            "count": a[cols].astype(np.int64),
            "count_rest": b[cols].astype(np.int64),
            "per_million": a[cols] / c * 1e6,
            "per_million_rest": b[cols] / d * 1e6,
            "g2": g2[cols],
            "log_ratio": log_ratio[cols],
        }))
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
    groups, labels, name = _group_codes(by, enc)
    if keys.empty:
        return pd.DataFrame({name: pd.Series(dtype=object), "term": pd.Series(dtype=object),
                             "count": pd.Series(dtype=np.int64),
                             "per_million": pd.Series(dtype=float)})
    terms = list(dict.fromkeys(keys.loc[keys["rank"] <= terms_per_group, "term"]))
    cols = enc.code_of(terms)
    counts = (_indicator(groups, len(labels)) @ enc.matrix).tocsc()
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


def _periods(dates: pd.Series, freq: str) -> pd.Series:
    """Calendar period of each date (UTC), as a string such as ``2018-03``."""
    d = pd.to_datetime(dates, utc=True).dt.tz_localize(None)
    return d.dt.to_period(freq).astype("string")


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
        DataFrame with columns ``by``, ``term``, ``period``, ``count``, ``per_million``
        (in the outlet), ``count_rest``, ``per_million_rest`` (in the other outlets); its
        ``attrs["dropped_periods"]`` counts the periods left out and ``attrs["undated"]``
        lists the outlets with key words but no dated article (their words are not
        followed). No rows without dates or key words.
    """
    columns = [by, "term", "period", "count", "per_million", "count_rest", "per_million_rest"]
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
    frame["period"] = _periods(articles[date], freq).reindex(enc.index).to_numpy()
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
                "count_rest": rest[term].to_numpy(),
                "per_million_rest": (rest[term] / rest["tokens"] * 1e6).to_numpy(),
            }))
    result = pd.concat(rows, ignore_index=True) if rows else out
    result.attrs.update(out.attrs)
    return result


def trends_note(trends: pd.DataFrame) -> HTML:
    """Say what :func:`key_term_trends` left out: sparse periods, outlets without dates.

    Args:
        trends: the frame of :func:`key_term_trends` (its ``attrs``).

    Returns:
        :class:`HTML` holding a ``<p class="hx-note">`` (outlet names escaped, isolated);
        empty when there are no trends and no outlet lacks dates (the table says why).

    >>> t = pd.DataFrame({"term": ["غزة"]}); t.attrs.update(dropped_periods=2, undated=["ب"])
    >>> print(trends_note(t).text)
    2 sparse period(s) left out. No article of ب carries a date, so its key words are not followed over time.
    """
    undated = trends.attrs.get("undated", [])
    parts = [f"{trends.attrs.get('dropped_periods', 0)} sparse period(s) left out."] if len(trends) else []
    if undated:
        names = ", ".join(bdi(g) for g in undated)
        parts.append(f"No article of {names} carries a date, so "
                     f"{'its' if len(undated) == 1 else 'their'} key words are not followed "
                     "over time.")
    if not parts:
        return HTML("", "")
    html = " ".join(parts)
    return HTML(f'<p class="hx-note">{html}</p>', _html.unescape(re.sub(r"<[^>]+>", "", html)))


def trend_table(trends: pd.DataFrame, *, by: str = "source") -> pd.DataFrame:
    """Lay :func:`key_term_trends` out for reading: one row per outlet, word and side.

    Args:
        trends: the long frame of :func:`key_term_trends`.
        by: the outlet column.

    Returns:
        DataFrame with columns ``by``, ``term``, ``in`` (``"outlet"`` or ``"others"``),
        then one column per period holding the word's frequency per million tokens
        (rounded; 0 also where that side has no text in the period); rows in the order of
        the trends frame.
    """
    if trends.empty:
        return pd.DataFrame(columns=[by, "term", "in"])
    long = pd.concat([
        trends.assign(side="outlet", value=trends["per_million"]),
        trends.assign(side="others", value=trends["per_million_rest"]),
    ])
    wide = long.pivot_table(index=[by, "term", "side"], columns="period", values="value",
                            aggfunc="sum", sort=False, dropna=False).round(0)
    order = trends[[by, "term"]].drop_duplicates()
    index = pd.MultiIndex.from_tuples(
        [(g, t, s) for g, t in order.itertuples(index=False, name=None) for s in ("outlet", "others")],
        names=[by, "term", "in"])
    wide = wide.reindex(index)
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index()


def _cluster_sources(members: pd.DataFrame, by: str, date: str) -> pd.DataFrame:
    """Articles per (cluster, outlet) and the outlet's earliest date in the cluster."""
    g = members.groupby(["cluster", by], sort=True, observed=True)
    table = g.size().rename("n").to_frame()
    if date in members.columns:
        table["first_date"] = g[date].min()
    return table.reset_index()


def copy_matrix(
    members: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    *,
    by: str = "source",
    later: bool = False,
    share: bool = False,
    date: str = "date",
) -> pd.DataFrame:
    """Outlet × outlet: how many of the row outlet's articles also appear at the column's.

    An article "appears at" outlet B when its near-duplicate cluster holds an article of B.
    On the diagonal: articles of the outlet repeated by the outlet itself (another of its
    articles in the same cluster, e.g. one story filed under two categories).

    Args:
        members: the frame of :func:`helpers.near_duplicates` (``cluster``, ``by``, ``date``).
        articles: the articles frame, to list every outlet and to divide by its articles.
        by: the outlet column.
        later: count only the row outlet's articles published after the column outlet's
            copy (the row outlet followed; the diagonal is then 0).
        share: divide each row by the row outlet's number of articles (needs ``articles``).
        date: the date column used with ``later``.

    Returns:
        Square DataFrame, rows and columns the outlets (sorted); ints, or floats 0..1 with
        ``share``.

    >>> m = pd.DataFrame({"cluster": [0, 0], "source": ["أ", "ب"],
    ...                   "date": pd.to_datetime(["2018-01-01", "2018-01-02"], utc=True)})
    >>> copy_matrix(m, later=True).values.tolist()
    [[0, 0], [1, 0]]
    """
    names = set(members[by].dropna().astype(str))
    if articles is not None:
        names |= set(articles[by].dropna().astype(str))
    outlets = sorted(names)
    matrix = pd.DataFrame(0, index=pd.Index(outlets, name=by), columns=outlets, dtype=np.int64)
    if len(members):
        m = members.assign(**{by: members[by].astype(str)})
        per = _cluster_sources(m, by, date)
        pairs = per.merge(per, on="cluster", suffixes=("", "_other"))
        same = pairs[by] == pairs[f"{by}_other"]
        if later:
            arts = m[["cluster", by, date]].merge(
                per[["cluster", by, "first_date"]].rename(columns={by: "other"}), on="cluster")
            arts = arts[(arts[by] != arts["other"]) & (arts[date] > arts["first_date"])]
            counts = arts.groupby([by, "other"]).size()
        else:
            value = np.where(same, pairs["n"].where(pairs["n"] > 1, 0), pairs["n"])
            counts = pairs.assign(value=value).groupby([by, f"{by}_other"])["value"].sum()
        for (row, col), v in counts.items():
            matrix.loc[row, col] = int(v)
    matrix.columns.name = "also at"
    if share:
        if articles is None:
            raise ValueError("share=True needs the articles frame")
        sizes = articles[by].astype(str).value_counts().reindex(outlets).fillna(0).to_numpy(float)
        matrix = matrix.div(np.where(sizes > 0, sizes, np.nan), axis=0)
    return matrix


def shared_copy(
    members: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    by: str = "source",
    date: str = "date",
) -> pd.DataFrame:
    """Per outlet: how many of its articles also appear at another outlet, and who was first.

    Args:
        members: the frame of :func:`helpers.near_duplicates`.
        articles: the articles frame.
        by: the outlet column.
        date: the date column.

    Returns:
        DataFrame indexed by outlet (most articles first) with ``articles``, ``shared``
        (articles in a cluster with another outlet), ``share`` (shared / articles),
        ``first`` (shared articles no other outlet had earlier), ``later`` (shared articles
        another outlet had published earlier).
    """
    sizes = articles[by].dropna().astype(str).value_counts()
    out = pd.DataFrame({"articles": sizes})
    out.index.name = by
    m = members.assign(**{by: members[by].astype(str)}) if len(members) else members
    if len(m):
        n_out = m.groupby("cluster")[by].transform("nunique")
        cross = m[n_out > 1]
        earliest = cross.groupby("cluster")[date].transform("min") if date in cross else None
    else:
        cross, earliest = m, None
    if len(cross):
        out["shared"] = cross.groupby(by).size().reindex(out.index, fill_value=0)
        is_later = cross[date] > earliest
        out["first"] = cross[~is_later].groupby(by).size().reindex(out.index, fill_value=0)
        out["later"] = cross[is_later].groupby(by).size().reindex(out.index, fill_value=0)
    else:
        out["shared"] = out["first"] = out["later"] = 0
    out["share"] = out["shared"] / out["articles"].where(out["articles"] > 0)
    return out[["articles", "shared", "share", "first", "later"]].astype(
        {"articles": "int64", "shared": "int64", "first": "int64", "later": "int64"})


# ---------------------------------------------------------------------------- summary


def what_we_saw_compare(
    articles: pd.DataFrame,
    keys: pd.DataFrame,
    shared: pd.DataFrame,
    matrix: pd.DataFrame,
    trends: pd.DataFrame | None = None,
    *,
    by: str = "source",
) -> HTML:
    """Write notebook 05's "what we saw" from its tables, as a short list.

    Args:
        articles: the articles frame.
        keys: :func:`outlet_keyness`.
        shared: :func:`shared_copy`.
        matrix: :func:`copy_matrix` with ``later=True`` (counts).
        trends: :func:`key_term_trends` (optional).
        by: the outlet column.

    Returns:
        :class:`HTML` holding a ``<ul>`` of sentences (corpus values escaped).
    """
    outlets = articles[by].dropna().astype(str).value_counts()
    items: list[str] = []
    if len(outlets) < 2:
        items.append(
            f"The corpus has {len(outlets)} source(s) and {len(articles):,} article(s): "
            "comparing outlets needs at least two sources, so there is nothing to compare "
            "here. Run the report on a corpus with several outlets "
            "(<code>make report CORPUS=...</code>).")
        return bullets(items)
    items.append(f"{len(outlets)} outlets compared, from {bdi(outlets.index[0])} "
                 f"({outlets.iloc[0]:,} articles) to {bdi(outlets.index[-1])} "
                 f"({outlets.iloc[-1]:,}).")
    if len(keys):
        firsts = keys[keys["rank"] == 1]
        parts = [f"{bdi(g)}: {bdi(t)} (×{2 ** lr:,.1f})" if np.isfinite(lr) else f"{bdi(g)}: {bdi(t)}"
                 for g, t, lr in firsts[[by, "term", "log_ratio"]].itertuples(index=False, name=None)]
        items.append("The strongest key word of each outlet (how many times more frequent "
                     "than in the others): " + "; ".join(parts) + ".")
        top = keys.loc[keys["g2"].idxmax()]
        items.append(f"The most significant difference of all is {bdi(top['term'])} at "
                     f"{bdi(top[by])} (G² {top['g2']:,.0f}).")
    else:
        items.append("No word is key for any outlet at this minimum count (the outlets are "
                     "too small to compare words).")
    # periods where both sides have text (the other outlets may have no dated article)
    compared = (trends[trends["per_million"].notna() & trends["per_million_rest"].notna()]
                if trends is not None and len(trends) else None)
    if compared is not None and len(compared):
        spread = compared.assign(ratio=compared["per_million"] / compared["per_million_rest"].where(
            compared["per_million_rest"] > 0))
        steady = spread.groupby([by, "term"])["ratio"].apply(
            lambda r: bool((r.dropna() > 1).all()) if r.notna().any() else False)
        periods = compared["period"].nunique()
        items.append(f"Over {periods} period(s), {int(steady.sum())} of the {len(steady)} key "
                     "words followed stay more frequent in their outlet than elsewhere in every "
                     "period: these are habits of the outlet rather than one story.")
    elif compared is not None:
        items.append("The other outlets have no dated text in the periods of the key words "
                     "followed, so how those words move elsewhere cannot be compared.")
    n_shared = int(shared["shared"].sum())
    if n_shared:
        most = shared["share"].idxmax()
        items.append(f"{n_shared:,} article(s) have a near-copy at another outlet; the outlet "
                     f"whose copy is most often shared is {bdi(most)} "
                     f"({shared.loc[most, 'share']:.1%} of its articles).")
        off = matrix.where(~np.eye(len(matrix), dtype=bool), 0)
        if off.to_numpy().sum():
            row, col = off.stack().idxmax()
            items.append(f"The largest flow: {int(off.loc[row, col]):,} article(s) of {bdi(row)} "
                         f"appeared after a near-copy at {bdi(col)}.")
    else:
        items.append("No article has a near-copy at another outlet at this similarity "
                     "threshold: the outlets do not republish each other's copy here.")
    return bullets(items)
