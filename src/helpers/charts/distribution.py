"""Charts of where and when: article lengths, articles over time, word trends over time, and
where words fall along the corpus (dispersion).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd

from helpers.charts.axes import ensure_axes, nothing_to_draw, rtl_axis
from helpers.charts.theme import PALETTE
from helpers.rtl import for_matplotlib

__all__ = ["articles_over_time", "dispersion", "length_histogram", "trends"]

#: the label of a group whose name is missing (an article without a source, say)
_MISSING_GROUP = "\u2014"  # EM DASH, as tables show a missing value


def _groups(data: pd.DataFrame, by: str | None) -> pd.Series | None:
    """The group of each row for a chart split by ``by``: missing names as one group
    labelled with a dash, so their articles are drawn too; None (draw one group) when
    ``by`` is None or no row names a group."""
    if by is None or data[by].isna().all():
        return None
    return data[by].astype(object).where(data[by].notna(), _MISSING_GROUP)


def length_histogram(data: pd.DataFrame, *, length: str = "length", by: str | None = None,
                     bins: int = 40, ax=None, log: bool = False, title: str | None = None,
                     xlabel: str = "طول المقال (كلمات)", empty: str = "No articles to draw."):
    """Histogram of article lengths, optionally one outline per group (e.g. per source).

    Args:
        data: one row per article.
        length: a numeric column of lengths, or a text column (lengths are then counted
            as whitespace-separated words).
        by: optional grouping column; each group is drawn as a step outline (articles
            without a value as one more, labelled "—"; one histogram when none has one).
        bins: number of bins (shared by all groups).
        ax: Axes to draw on.
        log: logarithmic length axis (news lengths are skewed).
        title, xlabel: labels.
        empty: note drawn instead of the chart when there are no lengths.

    Returns:
        The Axes. Example: ``length_histogram(articles, length="body", by="source")``.
    """
    values = data[length]
    if not pd.api.types.is_numeric_dtype(values):
        values = values.str.split().str.len()
    values = values.astype(float).dropna()
    if values.empty:
        return nothing_to_draw(ax, empty, title=title)
    ax = ensure_axes(ax)
    edges = (np.geomspace(max(values.min(), 1), max(values.max(), 2), bins + 1) if log
             else np.histogram_bin_edges(values, bins=bins))
    groups = _groups(data.loc[values.index], by)
    if groups is None:
        ax.hist(values, bins=edges, color=PALETTE[0])
    else:
        for name, group in values.groupby(groups):
            ax.hist(group, bins=edges, histtype="step", lw=1.5, label=str(name))
    if log:
        ax.set_xscale("log")
    return rtl_axis(ax, title=title, xlabel=xlabel, ylabel="عدد المقالات",
                    legend_title=None if groups is None else by)


def articles_over_time(data: pd.DataFrame, *, date: str = "date", by: str | None = "source",
                       freq: str = "MS", ax=None, title: str | None = None,
                       empty: str = "No dated articles to draw."):
    """Number of articles per period, one line per group (e.g. per source).

    Args:
        data: one row per article.
        date: the datetime column (missing dates are left out).
        by: grouping column, or None for one line (articles without a value form one more
            line, labelled "—"; one line when none has one).
        freq: pandas period alias for the bins ("D", "W", "MS", "YS", ...).
        ax: Axes to draw on.
        title: chart title.
        empty: note drawn instead of the chart when no article has a date.

    Returns:
        The Axes. Example: ``articles_over_time(articles, date="date", by="source", freq="MS")``.
    """
    frame = data.dropna(subset=[date])
    if frame.empty:
        return nothing_to_draw(ax, empty, title=title)
    groups = _groups(frame, by)
    by = None if groups is None else by
    if by is not None:
        frame = frame.assign(**{by: groups})
    keys = [pd.Grouper(key=date, freq=freq)] + ([by] if by is not None else [])
    counts = frame.groupby(keys, observed=True).size()
    ax = ensure_axes(ax, figsize=(9, 4.5))
    if by is None:
        ax.plot(counts.index, counts.to_numpy(), marker=".", label=for_matplotlib("كل المصادر"))
    else:
        table = counts.unstack(by, fill_value=0)
        for name in table.columns:
            ax.plot(table.index, table[name].to_numpy(), marker=".", label=str(name))
    ax.set_ylim(bottom=0)
    return rtl_axis(ax, title=title, xlabel="التاريخ", ylabel="عدد المقالات",
                    legend_title="المصدر" if by is not None else None)


_DASHES = ["-", "--", ":", "-."]


def _break_gaps(line: pd.Series, step) -> pd.Series:
    """A gap in the line where periods are missing (a NaN midway), instead of a straight
    segment across months or years without articles."""
    if len(line) < 2 or pd.isna(step):
        return line
    gaps = line.index[1:][np.diff(line.index) > 1.5 * step]
    holes = pd.Series(np.nan, index=gaps - step / 2)
    return pd.concat([line, holes]).sort_index()


def trends(data: pd.DataFrame, *, period: str = "period", value: str = "per_million",
           hue: str | None = "term", style: str | None = None, ax=None,
           title: str | None = None, ylabel: str | None = None,
           empty: str = "No dated articles to draw: trends need article dates."):
    """Lines over time (e.g. a word's frequency per month): a colour per ``hue``, a dash per ``style``.

    Rows that share a period within one line are averaged (as seaborn's ``lineplot`` does);
    split them with ``hue`` or ``style`` instead, or compute the trend without the split.

    Args:
        data: long form, one row per period and group (e.g. :func:`helpers.trends`:
            period, source, term, count, tokens, per_million).
        period: the datetime column on the x axis (missing periods are left out).
        value: the column on the y axis.
        hue: column whose values get one colour each (None: one colour). Rows without a
            value share one colour, labelled "—"; a column without any value splits nothing.
        style: column whose values get one line style each (None: solid lines); missing
            values as for ``hue``.
        ax: Axes to draw on.
        title: chart title.
        ylabel: y label (default: "per million words" in Arabic for ``per_million``).
        empty: note drawn instead of the chart when no row has a period.

    Returns:
        The Axes; the legend names the colours, then the line styles.
        Example: ``trends(helpers.trends(articles, tokens, ["غزة", "مصر"]), hue="source", style="term")``.
    """
    frame = data.dropna(subset=[period])
    if frame.empty:
        return nothing_to_draw(ax, empty, title=title)
    # rows without a hue or style name are drawn as one more group (a dash); a column
    # that names none (no article has a source) splits nothing
    split = {c: _groups(frame, c) for c in (hue, style) if c is not None}
    frame = frame.assign(**{c: g for c, g in split.items() if g is not None})
    hue = hue if split.get(hue) is not None else None
    style = style if split.get(style) is not None else None
    keys = [c for c in (hue, style) if c is not None]
    hues = list(dict.fromkeys(frame[hue])) if hue is not None else [None]
    styles = list(dict.fromkeys(frame[style])) if style is not None else [None]
    color = {h: PALETTE[i % len(PALETTE)] for i, h in enumerate(hues)}
    dash = {s: _DASHES[i % len(_DASHES)] for i, s in enumerate(styles)}
    ax = ensure_axes(ax, figsize=(9, 4.5))
    step = pd.Series(np.sort(frame[period].unique())).diff().min()  # the data's period
    groups = frame.groupby(keys, sort=False, observed=True) if keys else [((), frame)]
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        h = key[0] if hue is not None else None
        s = key[-1] if style is not None else None
        line = _break_gaps(group.groupby(period, sort=True)[value].mean(), step)
        ax.plot(line.index, line.to_numpy(dtype=float), dash[s], color=color[h], marker=".",
                markersize=4, lw=1.5)
    handles, labels = [], []
    if hue is not None:
        handles += [mpl.lines.Line2D([], [], color=color[h], lw=2) for h in hues]
        labels += [str(h) for h in hues]
    if style is not None and len(styles) > 1:
        handles += [mpl.lines.Line2D([], [], color="0.3", ls=dash[s]) for s in styles]
        labels += [str(s) for s in styles]
    if handles:
        ax.legend(handles, [for_matplotlib(x) for x in labels], loc="upper left", alignment="right",
                  fontsize="small")
    ax.set_ylim(bottom=0)
    default = "لكل مليون كلمة" if value == "per_million" else value
    return rtl_axis(ax, title=title, xlabel="التاريخ", ylabel=default if ylabel is None else ylabel)


def dispersion(positions: pd.DataFrame, *, term: str = "term", offset: str = "offset",
               terms: Sequence[str] | None = None, n_tokens: int | None = None, ax=None,
               boundaries: bool | Sequence[int] = False, title: str | None = None,
               empty: str = "None of these words occurs in the corpus."):
    """Lexical dispersion: where each term occurs along the corpus (one row per term).

    Draws the table of :func:`helpers.dispersion_positions` (one row per occurrence), whose
    ``attrs`` say which terms were asked, how long the corpus is and where articles start.

    Args:
        positions: one row per occurrence, with a term and its word offset from the start
            of the corpus (e.g. ``helpers.dispersion_positions(tokens, terms)``).
        term, offset: the term and offset columns.
        terms: the rows to draw, in logical order; the first is drawn at the top. Default:
            ``positions.attrs["terms"]`` (the terms asked, found or not), else the terms of
            the table in order of first occurrence.
        n_tokens: length of the corpus in words (the x axis ends there). Default:
            ``positions.attrs["n_tokens"]``, else one past the last offset.
        ax: Axes to draw on.
        boundaries: draw faint lines where articles start: True for the offsets in
            ``positions.attrs["starts"]``, or the offsets themselves.
        title: chart title.
        empty: note drawn instead of the chart when no term occurs at all.

    Returns:
        The Axes; x is the word offset from the start of the corpus.
        Example: ``dispersion(helpers.dispersion_positions(tokens, ["غزة", "مصر"]))``.
    """
    attrs = positions.attrs
    if terms is None:
        terms = attrs.get("terms", list(dict.fromkeys(positions[term])))
    terms = list(terms)
    if n_tokens is None:
        n_tokens = attrs.get("n_tokens", int(positions[offset].max()) + 1 if len(positions) else 0)
    if boundaries is True:
        if "starts" not in attrs:
            raise ValueError("boundaries=True needs positions.attrs['starts'] (as "
                             "helpers.dispersion_positions gives); pass the offsets instead")
        boundaries = attrs["starts"]
    hits = positions[positions[term].isin(terms)]
    if hits.empty:
        return nothing_to_draw(ax, empty, title=title)
    ax = ensure_axes(ax, figsize=(9, 0.5 * len(terms) + 1.5))
    rows = np.arange(len(terms))[::-1]
    for row, name in zip(rows, terms):
        offsets = hits.loc[hits[term] == name, offset].to_numpy()
        ax.scatter(offsets, np.full(len(offsets), row), marker="|", s=200, lw=1,
                   color=PALETTE[row % len(PALETTE)])
    if boundaries is not False:
        ax.vlines(list(boundaries), -0.5, len(terms) - 0.5, color="0.85", lw=0.3, zorder=0)
    ax.set_yticks(rows, labels=list(terms))
    ax.yaxis.tick_right()
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.6, len(terms) - 0.4)
    ax.set_xlim(0, max(n_tokens, 1))
    return rtl_axis(ax, title=title, xlabel="الموضع في المدونة (بالكلمات)")
