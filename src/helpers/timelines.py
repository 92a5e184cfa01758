"""Words over calendar time: dates bucketed into periods, term frequencies per period.

:func:`period_of` is the one bucketing of dates into weeks, months, quarters or years (UTC)
that every table over time uses; :func:`trends` follows terms per period (and per source);
:func:`trend_table` lays out the key words of each outlet over time
(:func:`helpers.key_term_trends`) for reading.

>>> arts = pd.DataFrame({"date": pd.to_datetime(["2018-01-05", "2018-02-01"], utc=True)})
>>> trends(arts, pd.Series([["غزة"], ["غزة", "في"]]), "غزة", by=None)["count"].tolist()
[1, 1]
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .encoded import encode

__all__ = ["trends", "trend_table"]

#: the names :func:`period_of` accepts besides pandas' own period codes
FREQ_NAMES = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}


def period_of(dates: pd.Series, freq: str = "M") -> pd.Series:
    """The calendar period each date falls in (UTC), as pandas ``Period`` values.

    Args:
        dates: datetimes (naive ones are taken as UTC); NaT stays NaT.
        freq: ``"M"``/``"month"``, ``"W"``/``"week"`` (weeks start on Monday),
            ``"Q"``/``"quarter"``, ``"Y"``/``"year"`` or ``"D"``/``"day"``.

    Returns:
        Series of periods, same index; ``.dt.start_time`` gives each period's first instant,
        ``.astype("string")`` its name (``2018-03``, ``2018Q1``).

    >>> period_of(pd.Series(pd.to_datetime(["2018-03-31 23:30"], utc=True))).astype("string").tolist()
    ['2018-03']
    """
    freq = FREQ_NAMES.get(freq, freq)
    return pd.to_datetime(dates, utc=True).dt.tz_convert(None).dt.to_period(freq)


def trends(
    articles: pd.DataFrame,
    tokens,
    terms: str | Iterable[str],
    *,
    freq: str = "M",
    by: str | None = "source",
    date: str = "date",
) -> pd.DataFrame:
    """A term's frequency per week or month (per million tokens), optionally per source.

    Args:
        articles: articles DataFrame (``date`` and the ``by`` column).
        tokens: Series of token lists aligned with ``articles``.
        terms: one term or several (single tokens, in the tokens' normalised form).
        freq: ``"M"``/``"month"`` or ``"W"``/``"week"`` (weeks start on Monday).
        by: column to split by (``None``: the whole corpus).
        date: name of the date column. Articles without a date are left out.

    Returns:
        DataFrame with columns ``period`` (start of the week/month), the ``by`` column
        when given, ``term``, ``count``, ``tokens`` (all tokens in that period/group),
        ``per_million``; one row per period, group and term (periods with articles but
        no occurrence have count 0).

    >>> arts = pd.DataFrame({"date": pd.to_datetime(["2018-01-05", "2018-02-01"], utc=True)})
    >>> trends(arts, pd.Series([["غزة", "في"], ["في"]]), "غزة", by=None)["per_million"].tolist()
    [500000.0, 0.0]
    """
    names = [terms] if isinstance(terms, str) else list(terms)
    enc = encode(tokens)
    period = period_of(articles[date], freq).dt.start_time.reindex(enc.index)
    frame = pd.DataFrame(enc.term_counts(names), columns=names, index=enc.index)
    keys = ["period"] + ([by] if by else [])
    frame["period"] = period
    if by:
        frame[by] = articles[by].reindex(enc.index)
    frame["tokens"] = enc.lengths
    frame = frame[frame["period"].notna()]
    grouped = frame.groupby(keys, sort=True, dropna=False)[names + ["tokens"]].sum()
    long = grouped.melt(id_vars=["tokens"], value_vars=names, var_name="term", value_name="count",
                        ignore_index=False).reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        long["per_million"] = long["count"] / long["tokens"] * 1e6
    long = long[keys + ["term", "count", "tokens", "per_million"]]
    return long.sort_values(keys + ["term"], kind="stable", ignore_index=True)


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
        trends.assign(side="others", value=trends["per_million_reference"]),
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
