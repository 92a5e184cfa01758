"""Charts of the laws of word counts: Zipf's rank–frequency plot and Heaps' vocabulary growth.

They draw the fit :func:`helpers.zipf` and :func:`helpers.heaps` made (their ``fitted``
column); the least-squares fit itself lives in :mod:`helpers.stats` only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import ticker

from helpers.charts.axes import ensure_axes, nothing_to_draw, number_label, rtl_axis
from helpers.charts.theme import PALETTE
from helpers.rtl import for_matplotlib

__all__ = ["heaps", "zipf"]


def _thin_loglog(x: np.ndarray, y: np.ndarray, *, per_decade: int = 400) -> np.ndarray:
    """Positions of the points worth drawing on log-log axes: the first point of each cell of
    a grid ``per_decade`` cells to a power of ten on both axes (finer than the pixels of a
    chart), plus the last point. A frequency list of 200,000 words draws a few thousand
    markers that look the same, in a fraction of the time; a short one keeps every point."""
    n = len(x)
    if n <= 2000:
        return np.arange(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        gx = np.floor(np.log10(x) * per_decade)
        gy = np.floor(np.log10(y) * per_decade)
    cells = np.stack([np.nan_to_num(gx, nan=-1e9, neginf=-1e9), np.nan_to_num(gy, nan=-1e9, neginf=-1e9)])
    _, first = np.unique(cells, axis=1, return_index=True)
    return np.union1d(first, [n - 1])


def _line_through(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope and intercept, on log-log axes, of the straight line a fitted curve's points lie
    on, read from its two end points (for the legend; the fit itself is helpers.stats')."""
    lo, hi = np.argmin(x), np.argmax(x)
    slope = (np.log10(y[hi]) - np.log10(y[lo])) / (np.log10(x[hi]) - np.log10(x[lo]))
    return float(slope), float(np.log10(y[lo]) - slope * np.log10(x[lo]))


def _fitted(data: pd.DataFrame, fitted: str | None) -> np.ndarray | None:
    """The ``fitted`` column as floats; None when not asked for or the table has none."""
    if fitted is None or fitted not in data.columns:
        return None
    return data[fitted].to_numpy(dtype=float)


def zipf(data: pd.DataFrame, *, frequency: str = "count", rank: str | None = None,
         fitted: str | None = "fitted", ax=None, title: str | None = None,
         empty: str = "No words to draw."):
    """Zipf's rank–frequency plot on log-log axes, with the fitted line and its slope.

    Args:
        data: one row per term with a frequency column (e.g. :func:`helpers.zipf`: rank,
            term, count, frequency, fitted).
        frequency: the frequency column.
        rank: the rank column; when None, terms are ranked by ``frequency`` (1 = most).
        fitted: column of counts predicted by the fit (the ``fitted`` column of
            :func:`helpers.zipf`, whose slope the notebook prints), drawn as the line with
            its slope, so chart and table agree. No line when the table has no such column
            (or ``fitted=None``): the chart fits nothing itself.
        ax: Axes to draw on.
        title: chart title.
        empty: note drawn instead of the chart when there are no words.

    Returns:
        The Axes; the legend gives the slope (≈ -1 for Zipf's law).
        Example: ``zipf(helpers.zipf(tokens), rank="rank")``.
    """
    if data.empty:
        return nothing_to_draw(ax, empty, title=title)
    freq = data[frequency].to_numpy(dtype=float)
    line = _fitted(data, fitted)
    if rank is None:
        order = np.argsort(-freq, kind="stable")
        freq = freq[order]
        line = None if line is None else line[order]
        ranks = np.arange(1, len(freq) + 1)
    else:
        ranks = data[rank].to_numpy(dtype=float)
    ax = ensure_axes(ax)
    shown = _thin_loglog(ranks, freq)
    ax.loglog(ranks[shown], freq[shown], ".", markersize=3, alpha=0.6,
              label=for_matplotlib("الكلمات"))
    ok = None if line is None else np.isfinite(line) & (ranks > 0) & (line > 0)
    if ok is not None and ok.sum() > 1 and np.ptp(ranks[ok]) > 0:
        slope, _ = _line_through(ranks[ok], line[ok])
        drawn = _thin_loglog(ranks[ok], line[ok])
        ax.loglog(ranks[ok][drawn], line[ok][drawn], "-", color=PALETTE[1],
                  label=for_matplotlib(f"الخط المطابق: الميل {number_label(slope)}"))
    ax.legend(loc="upper right", alignment="right")
    return rtl_axis(ax, title=title, xlabel="الرتبة", ylabel="التكرار")


def heaps(data: pd.DataFrame, *, tokens: str = "tokens", types: str = "types",
          fitted: str | None = "fitted", ax=None, title: str | None = None,
          empty: str = "No words to draw."):
    """Vocabulary growth (Heaps' law): distinct words against running words, with V = K·N^β.

    Args:
        data: one row per point of the growth curve (e.g. :func:`helpers.heaps`: tokens,
            types, fitted).
        tokens: column with the running number of words N.
        types: column with the number of distinct words V seen so far.
        fitted: column of V predicted by the fit (the ``fitted`` column of
            :func:`helpers.heaps`, fitted past its first tokens), drawn as a dashed curve
            with K and β read from it, so chart and table agree. No curve when the table
            has no such column (or ``fitted=None``): the chart fits nothing itself.
        ax: Axes to draw on.
        title: chart title.
        empty: note drawn instead of the chart when there are no words.

    Returns:
        The Axes. Example: ``heaps(helpers.heaps(tokens))``.
    """
    if data.empty:
        return nothing_to_draw(ax, empty, title=title)
    n = data[tokens].to_numpy(dtype=float)
    v = data[types].to_numpy(dtype=float)
    ax = ensure_axes(ax)
    ax.plot(n, v, "-", lw=2, label=for_matplotlib("المفردات المميزة"))
    curve = _fitted(data, fitted)
    ok = None if curve is None else np.isfinite(curve) & (n > 0) & (curve > 0)
    if ok is not None and ok.sum() > 1 and np.ptp(n[ok]) > 0:
        beta, log_k = _line_through(n[ok], curve[ok])
        ax.plot(n[ok], curve[ok], "--", color=PALETTE[1], label=for_matplotlib(
            f"V = K·N^β: K = {number_label(10 ** log_k)}، β = {number_label(beta)}"))
    ax.legend(loc="upper left", alignment="right")
    ax.xaxis.set_major_formatter(ticker.EngFormatter(sep=""))
    ax.yaxis.set_major_formatter(ticker.EngFormatter(sep=""))
    return rtl_axis(ax, title=title, xlabel="عدد الكلمات", ylabel="عدد المفردات المميزة")
