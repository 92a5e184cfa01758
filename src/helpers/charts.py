"""Charts for Arabic corpora whose labels are shaped and read right to left on every renderer.

Seaborn-like: each function takes the data first, then keyword-only column names and
options, draws on ``ax`` (a new figure when ``None``) and returns the Axes; none of them
shows or saves. Every label (titles, axis labels, tick labels, legends, annotations, node
labels, word-cloud words) goes through :mod:`helpers.rtl`, which decides what the renderer
receives. Where the data leaves nothing to draw (one article, one source, no dates), a
function draws a short note saying so instead of an empty chart (``empty=`` sets its
words), so notebooks stay one-line calls on any corpus. Call :func:`use_arabic_style` once
first.

Example::

    import helpers
    helpers.charts.use_arabic_style()
    ax = helpers.charts.top_terms(freq, term="term", value="count", n=20)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.category import StrCategoryFormatter

import helpers.rtl as rtl
from helpers.resources import TO_ARABIC_INDIC_NUMERALS
from helpers.stats import encode

__all__ = [
    "arabic_digits",
    "articles_over_time",
    "collocation_network",
    "dispersion",
    "heaps",
    "keyness",
    "length_histogram",
    "rtl_axis",
    "term_heatmap",
    "top_terms",
    "trends",
    "use_arabic_style",
    "word_cloud",
    "wordcloud_image",
    "zipf",
]

#: set by use_arabic_style(arabic_digits=...): chart functions write tick digits as ٠١٢…
_STYLE: dict[str, Any] = {"arabic_digits": False}

_PALETTE = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#30343f"]


# -- style -------------------------------------------------------------------------------


def use_arabic_style(*, arabic_digits: bool = False, font_size: float = 11) -> rtl.FontChoice:
    """Theme matplotlib for Arabic charts: one call, like ``seaborn.set_theme``.

    Picks the Arabic font (:func:`helpers.rtl.arabic_font`: the packaged IBM Plex Sans Arabic,
    else a system Arabic font, else DejaVu Sans with a warning) and puts it first in a
    fallback list ending in DejaVu Sans, so any glyph it lacks (Latin, symbols) is drawn
    from the next font (matplotlib >= 3.6 falls back per glyph).

    Args:
        arabic_digits: write tick labels drawn by this module with Arabic-Indic digits
            (٠١٢٣…) instead of Western ones.
        font_size: base font size in points.

    Returns:
        The :class:`helpers.rtl.FontChoice` in use.

    Example: ``use_arabic_style(arabic_digits=True)`` -> a tick "2024" reads "٢٠٢٤".
    """
    font = rtl.arabic_font()
    families = list(dict.fromkeys([font.family, "DejaVu Sans"]))
    mpl.rcParams.update(
        {
            "font.family": families,
            "font.sans-serif": families + [f for f in mpl.rcParams["font.sans-serif"]
                                           if f not in families],
            "font.size": font_size,
            "axes.titlesize": font_size * 1.25,
            "axes.titlelocation": "right",  # Arabic titles start on the right
            "axes.spines.top": False,
            "axes.prop_cycle": mpl.cycler(color=_PALETTE),
            "figure.dpi": 100,
            "figure.constrained_layout.use": True,
            # embed TrueType (Type 42): PDF/PS text stays extractable and searchable; with
            # Type 3, matplotlib 3.10 draws non-Latin glyphs as unnamed XObjects
            "pdf.fonttype": 42,
            "ps.fonttype": 42,
        }
    )
    _STYLE["arabic_digits"] = arabic_digits
    return font


def _t(text: Any) -> Any:
    """A label as matplotlib must receive it (None and numbers pass through)."""
    return rtl.for_matplotlib(text)


class _RTLFormatter(ticker.Formatter):
    """Wrap a tick formatter: Arabic-Indic digits if asked, text through helpers.rtl."""

    def __init__(self, inner: ticker.Formatter, digits: bool):
        self.inner = inner
        self.digits = digits
        # words on a category axis keep the digits they are written with ("كوفيد-19")
        # (set_ticks(labels=...) installs a FixedFormatter or, in newer matplotlib, a FuncFormatter)
        self.words = isinstance(inner, (ticker.FixedFormatter, ticker.FuncFormatter,
                                        StrCategoryFormatter))

    def set_axis(self, axis):
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def set_locs(self, locs):
        self.inner.set_locs(locs)

    def _fix(self, text: str) -> str:
        if self.digits and not self.words and "$" not in text:  # mathtext: no ٠١٢ glyphs
            text = text.translate(TO_ARABIC_INDIC_NUMERALS)
        return _t(text)

    def __call__(self, x, pos=None):
        return self._fix(self.inner(x, pos))

    def format_ticks(self, values):
        return [self._fix(s) for s in self.inner.format_ticks(values)]

    def get_offset(self):
        return self._fix(self.inner.get_offset())


def _wrap_formatters(ax, *, digits: bool) -> None:
    for axis in (ax.xaxis, ax.yaxis):
        fmt = axis.get_major_formatter()
        if isinstance(fmt, _RTLFormatter):
            fmt.digits = fmt.digits or digits
        else:
            axis.set_major_formatter(_RTLFormatter(fmt, digits))


def arabic_digits(ax):
    """Write ``ax``'s tick labels with Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩, ٫ and ٬).

    Args:
        ax: a matplotlib Axes, after its data and scales are set.

    Returns:
        ``ax``. Example: a tick "1,500" reads "١٬٥٠٠".
    """
    _wrap_formatters(ax, digits=True)
    return ax


def rtl_axis(ax, *, title=None, xlabel=None, ylabel=None, legend_title=None):
    """Set Arabic title, axis labels and legend on any Axes, through :mod:`helpers.rtl`.

    Tick labels (categories included) are passed through :func:`helpers.rtl.for_matplotlib`
    at drawing time, with Arabic-Indic digits when :func:`use_arabic_style` asked for them.

    Args:
        ax: a matplotlib Axes.
        title, xlabel, ylabel: labels in logical order; None leaves them as they are.
        legend_title: when given, (re)draws the legend with this title and Arabic entries.

    Returns:
        ``ax``. Example: ``rtl_axis(ax, title="أكثر الكلمات تكرارا")``.
    """
    if title is not None:
        ax.set_title(_t(title))
    if xlabel is not None:
        ax.set_xlabel(_t(xlabel))
    if ylabel is not None:
        ax.set_ylabel(_t(ylabel))
    if legend_title is not None:
        handles, labels = ax.get_legend_handles_labels()
        if handles:
            ax.legend(handles, [_t(s) for s in labels], title=_t(legend_title),
                      alignment="right")
    _wrap_formatters(ax, digits=_STYLE["arabic_digits"])
    return ax


def _axes(ax, figsize=(7, 5)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


#: the label of a group whose name is missing (an article without a source, say)
_MISSING_GROUP = "\u2014"  # EM DASH, as tables show a missing value


def _groups(data: pd.DataFrame, by: str | None) -> pd.Series | None:
    """The group of each row for a chart split by ``by``: missing names as one group
    labelled with a dash, so their articles are drawn too; None (draw one group) when
    ``by`` is None or no row names a group."""
    if by is None or data[by].isna().all():
        return None
    return data[by].astype(object).where(data[by].notna(), _MISSING_GROUP)


def _nothing_to_draw(ax, message: str, *, title: str | None = None):
    """Instead of an empty chart: ``message`` centred on a bare Axes, styled as a note.

    Used by every chart function when the data leaves nothing to draw (e.g. one article,
    one source, no dates), so a notebook run on a small sample shows why, not a blank frame.
    """
    ax = _axes(ax, figsize=(7, 1.2))
    ax.text(0.5, 0.5, _t(message), ha="center", va="center", transform=ax.transAxes,
            wrap=True, color="#57606a",
            bbox={"boxstyle": "square,pad=0.7", "facecolor": "#fff8e5", "edgecolor": "#d4a72c"})
    ax.set_axis_off()
    return rtl_axis(ax, title=title)


def _fit_loglog(x, y) -> tuple[float, float]:
    """Least-squares line through (log10 x, log10 y): (slope, intercept)."""
    keep = (np.asarray(x) > 0) & (np.asarray(y) > 0)
    slope, intercept = np.polyfit(np.log10(np.asarray(x)[keep]), np.log10(np.asarray(y)[keep]), 1)
    return float(slope), float(intercept)


def _number(x: float, digits: int = 2) -> str:
    text = f"{x:.{0 if abs(x) >= 100 else digits}f}"
    return text.translate(TO_ARABIC_INDIC_NUMERALS) if _STYLE["arabic_digits"] else text


# -- frequencies -------------------------------------------------------------------------


def top_terms(data: pd.DataFrame, *, term: str = "term", value: str = "count", n: int = 20,
              ax=None, color: str | None = None, title: str | None = None,
              xlabel: str | None = None, annotate: bool = True,
              empty: str = "No words to draw."):
    """Horizontal bars of the ``n`` largest terms, read right to left.

    The largest term is at the top; term labels sit on the right-hand axis and the bars
    grow leftwards from it, so an Arabic reader meets the word first, then its bar.

    Args:
        data: one row per term (e.g. ``helpers`` frequencies: term, count, per_million...).
        term: column holding the terms (logical order).
        value: column holding the bar lengths.
        n: how many terms.
        ax: Axes to draw on; a new figure when None.
        color: bar colour.
        title, xlabel: labels (default xlabel: the ``value`` column name).
        annotate: write each value at the end of its bar.
        empty: note drawn instead of the chart when there are no rows.

    Returns:
        The Axes. Example: ``top_terms(pd.DataFrame({"term": ["مصر", "غزة"], "count": [9, 4]}))``.
    """
    top = data.nlargest(n, value)
    if top.empty:
        return _nothing_to_draw(ax, empty, title=title)
    ax = _axes(ax, figsize=(7, max(3, 0.32 * len(top) + 1)))
    y = np.arange(len(top))[::-1]  # largest at the top
    bars = ax.barh(y, top[value].to_numpy(), color=color or _PALETTE[0])
    ax.set_yticks(y, labels=list(top[term]))
    ax.invert_xaxis()  # bars grow leftwards from the right-hand axis
    ax.yaxis.tick_right()
    ax.tick_params(axis="y", length=0)
    for side in ("left", "top"):
        ax.spines[side].set_visible(False)
    ax.spines["right"].set_visible(True)
    ax.set_ylim(-0.6, len(top) - 0.4)
    if annotate:
        ax.bar_label(bars, labels=[_number(v, 0 if float(v).is_integer() else 1)
                                   for v in top[value]], padding=3, fontsize="small")
    return rtl_axis(ax, title=title, xlabel=value if xlabel is None else xlabel)


def term_heatmap(data: pd.DataFrame, *, row: str = "category", column: str = "term",
                 value: str = "count", n: int | None = 25, ax=None, cmap: str = "Blues",
                 annotate: bool | None = None, title: str | None = None,
                 empty: str = "No words to draw."):
    """A row × term heatmap (e.g. category × term), terms ordered right to left by total.

    Args:
        data: long form, one row per (row, column) pair with a ``value``.
        row: column whose values become the rows (labels on the right-hand side).
        column: column whose values become the columns (the heaviest on the right).
        value: the cell values (summed when a pair repeats).
        n: keep the ``n`` columns with the largest totals (None: all).
        ax: Axes to draw on.
        cmap: colour map.
        annotate: write the values in the cells (default: when there are at most 150 cells).
        title: chart title.
        empty: note drawn instead of the chart when there are no rows.

    Returns:
        The Axes. Example: ``term_heatmap(df, row="category", column="term", value="per_million")``.
    """
    if data.empty:
        return _nothing_to_draw(ax, empty, title=title)
    table = data.pivot_table(index=row, columns=column, values=value, aggfunc="sum", fill_value=0)
    table = table[table.sum().sort_values(ascending=False).index[:n]]
    table = table.loc[table.sum(axis=1).sort_values(ascending=False).index]
    ax = _axes(ax, figsize=(max(5, 0.45 * table.shape[1] + 2), max(3, 0.4 * table.shape[0] + 1.5)))
    image = ax.imshow(table.to_numpy(), cmap=cmap, aspect="auto")
    ax.set_xticks(np.arange(table.shape[1]), labels=list(table.columns), rotation=90)
    ax.set_yticks(np.arange(table.shape[0]), labels=list(table.index))
    ax.invert_xaxis()  # the heaviest term on the right, where an Arabic reader starts
    ax.yaxis.tick_right()
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if annotate if annotate is not None else table.size <= 150:
        threshold = table.to_numpy().max() / 2
        for (i, j), v in np.ndenumerate(table.to_numpy()):
            ax.text(j, i, _number(v, 0 if float(v).is_integer() else 1), ha="center",
                    va="center", fontsize="x-small", color="white" if v > threshold else "black")
    bar = ax.figure.colorbar(image, ax=ax, location="left", shrink=0.8)
    _wrap_formatters(bar.ax, digits=_STYLE["arabic_digits"])
    return rtl_axis(ax, title=title)


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


def zipf(data: pd.DataFrame, *, frequency: str = "count", rank: str | None = None, ax=None,
         fit: bool = True, fit_ranks: tuple[int, int] | None = None, fitted: str | None = None,
         title: str | None = None, empty: str = "No words to draw."):
    """Zipf's rank–frequency plot on log-log axes, with the fitted line and its slope.

    Args:
        data: one row per term with a frequency column (e.g. frequencies or a zipf table).
        frequency: the frequency column.
        rank: the rank column; when None, terms are ranked by ``frequency`` (1 = most).
        ax: Axes to draw on.
        fit: draw the least-squares line through log rank / log frequency.
        fit_ranks: (first, last) ranks the line is fitted on; default: all.
        fitted: column of counts predicted by a fit made elsewhere (e.g. the ``fitted``
            column of :func:`helpers.zipf`, whose slope the notebook prints): drawn as the
            line instead of fitting here, so chart and table agree. Needs ``rank``.
        title: chart title.
        empty: note drawn instead of the chart when there are no words.

    Returns:
        The Axes; the legend gives the slope (≈ -1 for Zipf's law).
        Example: ``zipf(helpers.zipf(tokens), frequency="count", rank="rank", fitted="fitted")``.
    """
    if data.empty:
        return _nothing_to_draw(ax, empty, title=title)
    freq = data[frequency].to_numpy(dtype=float)
    if rank is None:
        freq = np.sort(freq)[::-1]
        ranks = np.arange(1, len(freq) + 1)
    else:
        ranks = data[rank].to_numpy(dtype=float)
    ax = _axes(ax)
    shown = _thin_loglog(ranks, freq)
    ax.loglog(ranks[shown], freq[shown], ".", markersize=3, alpha=0.6, label=_t("الكلمات"))
    line = data[fitted].to_numpy(dtype=float) if fitted is not None else None
    if fit and line is not None and np.isfinite(line).sum() > 1:
        ok = np.isfinite(line)
        slope, _ = _fit_loglog(ranks[ok], line[ok])  # exact: the values lie on a line
        drawn = _thin_loglog(ranks[ok], line[ok])
        ax.loglog(ranks[ok][drawn], line[ok][drawn], "-", color=_PALETTE[1],
                  label=_t(f"الخط المطابق: الميل {_number(slope)}"))
    elif fit and fitted is None and len(freq) > 1:
        keep = np.ones(len(ranks), bool) if fit_ranks is None else (
            (ranks >= fit_ranks[0]) & (ranks <= fit_ranks[1]))
        slope, intercept = _fit_loglog(ranks[keep], freq[keep])
        line = 10 ** (intercept + slope * np.log10(ranks[keep]))
        drawn = _thin_loglog(ranks[keep], line)
        ax.loglog(ranks[keep][drawn], line[drawn], "-", color=_PALETTE[1],
                  label=_t(f"الخط المطابق: الميل {_number(slope)}"))
    ax.legend(loc="upper right", alignment="right")
    return rtl_axis(ax, title=title, xlabel="الرتبة", ylabel="التكرار")


def heaps(data: pd.DataFrame, *, tokens: str = "tokens", types: str = "types", ax=None,
          fit: bool = True, fitted: str | None = None, title: str | None = None,
          empty: str = "No words to draw."):
    """Vocabulary growth (Heaps' law): distinct words against running words, with V = K·N^β.

    Args:
        data: one row per point of the growth curve (e.g. after each article).
        tokens: column with the running number of words N.
        types: column with the number of distinct words V seen so far.
        ax: Axes to draw on.
        fit: draw the fitted curve V = K·N^β (a line on log-log axes) and give K and β.
        fitted: column of V predicted by a fit made elsewhere (e.g. the ``fitted`` column
            of :func:`helpers.heaps`, fitted past its first tokens): drawn instead of
            fitting here, K and β read from it, so chart and table agree.
        title: chart title.
        empty: note drawn instead of the chart when there are no words.

    Returns:
        The Axes. Example: ``heaps(helpers.heaps(tokens), tokens="tokens", types="types", fitted="fitted")``.
    """
    if data.empty:
        return _nothing_to_draw(ax, empty, title=title)
    n = data[tokens].to_numpy(dtype=float)
    v = data[types].to_numpy(dtype=float)
    ax = _axes(ax)
    ax.plot(n, v, "-", lw=2, label=_t("المفردات المميزة"))
    curve = data[fitted].to_numpy(dtype=float) if fitted is not None else v
    ok = np.isfinite(curve) & (n > 0) & (curve > 0)
    if fit and ok.sum() > 1 and np.ptp(n[ok]) > 0:
        beta, log_k = _fit_loglog(n[ok], curve[ok])
        ax.plot(n, 10 ** log_k * n ** beta, "--", color=_PALETTE[1],
                label=_t(f"V = K·N^β: K = {_number(10 ** log_k)}، β = {_number(beta)}"))
    ax.legend(loc="upper left", alignment="right")
    ax.xaxis.set_major_formatter(ticker.EngFormatter(sep=""))
    ax.yaxis.set_major_formatter(ticker.EngFormatter(sep=""))
    return rtl_axis(ax, title=title, xlabel="عدد الكلمات", ylabel="عدد المفردات المميزة")


# -- corpus shape --------------------------------------------------------------------------


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
        return _nothing_to_draw(ax, empty, title=title)
    ax = _axes(ax)
    edges = (np.geomspace(max(values.min(), 1), max(values.max(), 2), bins + 1) if log
             else np.histogram_bin_edges(values, bins=bins))
    groups = _groups(data.loc[values.index], by)
    if groups is None:
        ax.hist(values, bins=edges, color=_PALETTE[0])
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
        return _nothing_to_draw(ax, empty, title=title)
    groups = _groups(frame, by)
    by = None if groups is None else by
    if by is not None:
        frame = frame.assign(**{by: groups})
    keys = [pd.Grouper(key=date, freq=freq)] + ([by] if by is not None else [])
    counts = frame.groupby(keys, observed=True).size()
    ax = _axes(ax, figsize=(9, 4.5))
    if by is None:
        ax.plot(counts.index, counts.to_numpy(), marker=".", label=_t("كل المصادر"))
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
        return _nothing_to_draw(ax, empty, title=title)
    # rows without a hue or style name are drawn as one more group (a dash); a column
    # that names none (no article has a source) splits nothing
    split = {c: _groups(frame, c) for c in (hue, style) if c is not None}
    frame = frame.assign(**{c: g for c, g in split.items() if g is not None})
    hue = hue if split.get(hue) is not None else None
    style = style if split.get(style) is not None else None
    keys = [c for c in (hue, style) if c is not None]
    hues = list(dict.fromkeys(frame[hue])) if hue is not None else [None]
    styles = list(dict.fromkeys(frame[style])) if style is not None else [None]
    color = {h: _PALETTE[i % len(_PALETTE)] for i, h in enumerate(hues)}
    dash = {s: _DASHES[i % len(_DASHES)] for i, s in enumerate(styles)}
    ax = _axes(ax, figsize=(9, 4.5))
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
        ax.legend(handles, [_t(x) for x in labels], loc="upper left", alignment="right",
                  fontsize="small")
    ax.set_ylim(bottom=0)
    default = "لكل مليون كلمة" if value == "per_million" else value
    return rtl_axis(ax, title=title, xlabel="التاريخ", ylabel=default if ylabel is None else ylabel)


def dispersion(tokens: pd.Series | Sequence[Sequence[str]], terms: Sequence[str], *, ax=None,
               boundaries: bool = False, title: str | None = None,
               empty: str = "None of these words occurs in the corpus."):
    """Lexical dispersion: where each term occurs along the corpus (one row per term).

    Args:
        tokens: one list of tokens per article, in corpus order (e.g. ``tokenize(body)``).
        terms: the terms to place, in logical order; the first is drawn at the top.
        ax: Axes to draw on.
        boundaries: draw faint lines where articles start.
        title: chart title.
        empty: note drawn instead of the chart when no term occurs at all.

    Returns:
        The Axes; x is the word offset from the start of the corpus.
        Example: ``dispersion(articles["tokens"], ["غزة", "مصر"])``.
    """
    enc = encode(tokens)
    terms = list(terms)
    term_codes = enc.code_of(terms) if enc.n_types else np.full(len(terms), -1)
    if not np.isin(enc.codes, term_codes[term_codes >= 0]).any():
        return _nothing_to_draw(ax, empty, title=title)
    ax = _axes(ax, figsize=(9, 0.5 * len(terms) + 1.5))
    rows = np.arange(len(terms))[::-1]
    for row, code in zip(rows, term_codes):
        offsets = np.flatnonzero(enc.codes == code) if code >= 0 else np.empty(0, dtype=np.int64)
        ax.scatter(offsets, np.full(len(offsets), row), marker="|", s=200, lw=1,
                   color=_PALETTE[row % len(_PALETTE)])
    if boundaries:
        starts = enc.indptr[:-1]
        ax.vlines(starts, -0.5, len(terms) - 0.5, color="0.85", lw=0.3, zorder=0)
    ax.set_yticks(rows, labels=list(terms))
    ax.yaxis.tick_right()
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.6, len(terms) - 0.4)
    ax.set_xlim(0, max(enc.n_tokens, 1))
    return rtl_axis(ax, title=title, xlabel="الموضع في المدونة (بالكلمات)")


# -- comparison ----------------------------------------------------------------------------


def keyness(data: pd.DataFrame, *, term: str = "term", value: str = "log_ratio",
            rank_by: str | None = "g2", n: int = 15, target: str = "المدونة الهدف",
            reference: str = "المدونة المرجعية", ax=None, title: str | None = None,
            empty: str = "No key words to draw: keyness needs two corpora to compare."):
    """Diverging bars of keyness: words key for the target to the right, reference to the left.

    Args:
        data: one row per term with a signed effect size (e.g. ``helpers`` keyness:
            term, g2, log_ratio, key_for...); positive = more frequent in the target.
        term: term column.
        value: signed bar length (log ratio by default).
        rank_by: column choosing the ``n`` words shown on each side (G² by default; the
            absolute ``value`` when None).
        n: words per side.
        target, reference: names of the two corpora for the legend.
        ax: Axes to draw on.
        title: chart title.
        empty: note drawn instead of the chart when no word leans either way.

    Returns:
        The Axes. Example: ``keyness(key, term="term", value="log_ratio", rank_by="g2")``.
    """
    score = data[rank_by] if rank_by is not None else data[value].abs()
    frame = data.assign(_score=score)
    frame = frame[np.isfinite(frame[value].astype(float))]  # e.g. an empty reference
    pos = frame[frame[value] > 0].nlargest(n, "_score").sort_values(value)
    neg = frame[frame[value] < 0].nlargest(n, "_score").sort_values(value, ascending=False)
    rows = pd.concat([neg, pos])
    if rows.empty:
        return _nothing_to_draw(ax, empty, title=title)
    ax = _axes(ax, figsize=(8, max(3, 0.3 * len(rows) + 1.5)))
    y = np.arange(len(rows))
    values = rows[value].to_numpy(dtype=float)
    colors = np.where(values > 0, _PALETTE[0], _PALETTE[1])
    ax.barh(y, values, color=colors)
    span = float(np.abs(values).max()) if len(values) and np.abs(values).max() > 0 else 1.0
    for yi, v, word in zip(y, values, rows[term]):
        # the word sits beside the zero line, on the side opposite its bar
        ax.text(-0.02 * span if v > 0 else 0.02 * span, yi, _t(word),
                ha="right" if v > 0 else "left", va="center", fontsize="small")
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlim(-1.35 * span, 1.35 * span)
    handles = [mpl.patches.Patch(color=_PALETTE[0]), mpl.patches.Patch(color=_PALETTE[1])]
    ax.legend(handles, [_t(f"أكثر في {target}"), _t(f"أكثر في {reference}")],
              loc="lower right", alignment="right", fontsize="small")
    xlabel = "نسبة اللوغاريتم (log ratio)" if value == "log_ratio" else value
    return rtl_axis(ax, title=title, xlabel=xlabel)


def _upright(layout: dict) -> dict:
    """Turn a component's layout so its long axis is vertical: words are wide, so a chain
    of words stacked one above the other keeps its labels apart; a pair stays diagonal."""
    if len(layout) < 3:
        return layout
    xy = np.array(list(layout.values()), dtype=float)
    xy -= xy.mean(axis=0)
    _, _, axes = np.linalg.svd(xy, full_matrices=False)
    turned = xy @ axes.T[:, ::-1]  # long axis (first component) -> y
    return dict(zip(layout, map(tuple, turned)))


def _component_layout(graph, *, seed: int = 0) -> dict:
    """Lay out each connected component on its own, packed in rows from the top right.

    (One spring layout of the whole graph pushes many small components onto a ring and
    piles their labels on top of each other.) A component gets room in proportion to its
    size, so the largest cluster, usually the most telling, is drawn first (top right,
    where an Arabic reader starts) and widest; clusters of three words or more use the
    Kamada-Kawai layout, which spaces nodes evenly, pairs a short diagonal line.
    """
    import networkx as nx

    components = sorted(nx.connected_components(graph), key=len, reverse=True)
    boxes = []
    for nodes in components:
        sub = graph.subgraph(nodes)
        radius = 0.6 * math.sqrt(len(nodes))  # 2 words: 0.85, 9 words: 1.8
        layout = (nx.kamada_kawai_layout(sub, weight=None, scale=radius) if len(nodes) > 2
                  else nx.spring_layout(sub, seed=seed, scale=radius))
        boxes.append((_upright(layout), radius))
    side = [2 * r + 1.0 for _, r in boxes]  # each component's square, with a margin
    width = max(side[0], 1.1 * math.sqrt(sum(w * w for w in side)))
    pos, x, y, row_height = {}, 0.0, 0.0, 0.0
    for (layout, r), w in zip(boxes, side):
        if x > 0 and x + w > width:  # next row
            x, y, row_height = 0.0, y - row_height, 0.0
        for node, (px, py) in layout.items():
            pos[node] = (-(x + w / 2) + px, y - w / 2 + py)  # rows run right to left
        x += w
        row_height = max(row_height, w)
    return pos


def collocation_network(data: pd.DataFrame, *, source: str = "w1", target: str = "w2",
                        weight: str = "score", n: int = 40, ax=None, seed: int = 0,
                        title: str | None = None,
                        empty: str = "No word pairs to draw: too few pairs repeat."):
    """A network of the ``n`` strongest collocations, with Arabic node labels.

    Args:
        data: one row per word pair (e.g. ``helpers`` collocations: w1, w2, count, score).
        source, target: the two word columns.
        weight: strength column (edges are thicker for stronger pairs).
        n: how many pairs.
        ax: Axes to draw on.
        seed: seed of the spring layout, so the picture is reproducible.
        title: chart title.
        empty: note drawn instead of the chart when there are no pairs.

    Returns:
        The Axes. Example: ``collocation_network(coll, source="w1", target="w2", weight="score")``.
    """
    import networkx as nx

    top = data.nlargest(n, weight)
    graph = nx.Graph()
    for a, b, w in zip(top[source], top[target], top[weight].astype(float)):
        graph.add_edge(a, b, weight=w)
    if graph.number_of_nodes() == 0:
        return _nothing_to_draw(ax, empty, title=title)
    ax = _axes(ax, figsize=(8, 8))
    pos = _component_layout(graph, seed=seed)
    weights = np.array([d["weight"] for *_, d in graph.edges(data=True)])
    widths = 0.5 + 3 * (weights - weights.min()) / (np.ptp(weights) or 1)
    degree = np.array([graph.degree(node) for node in graph.nodes])
    nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, edge_color="0.7")
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=80 + 60 * degree,
                           node_color=_PALETTE[0], alpha=0.25)
    nx.draw_networkx_labels(graph, pos, ax=ax, labels={node: _t(node) for node in graph.nodes},
                            font_family=mpl.rcParams["font.family"], font_size=11)
    ax.set_axis_off()
    ax.margins(0.12)
    return rtl_axis(ax, title=title)


# -- word cloud ----------------------------------------------------------------------------


def wordcloud_image(data: pd.DataFrame, *, term: str = "term", value: str = "count",
                    n: int = 150, width: int = 800, height: int = 400,
                    background: str = "white", colormap: str = "viridis", seed: int = 0,
                    **options):
    """Lay out a word cloud of the ``n`` largest terms (the ``wordcloud`` package).

    Words are handed to Pillow through :func:`helpers.rtl.for_pillow`, so they are shaped
    whether or not Pillow has raqm; all words are horizontal (rotated Arabic is hard to read).

    Args:
        data: one row per term.
        term, value: term and weight columns.
        n: how many words.
        width, height: image size in pixels.
        background, colormap: colours.
        seed: random seed of the layout.
        **options: passed to ``wordcloud.WordCloud``.

    Returns:
        The fitted ``wordcloud.WordCloud`` (``.to_array()``, ``.layout_``).
        Example: ``wordcloud_image(freq, term="term", value="count").to_image()``.
    """
    from wordcloud import WordCloud

    top = data.nlargest(n, value)
    engine = rtl.pillow_layout_engine()
    frequencies = {rtl.for_pillow(t, layout_engine=engine): float(v)
                   for t, v in zip(top[term], top[value]) if v > 0}
    cloud = WordCloud(font_path=rtl.arabic_font().path, width=width, height=height,
                      background_color=background, colormap=colormap, random_state=seed,
                      prefer_horizontal=1.0, max_words=n, collocations=False, **options)
    return cloud.generate_from_frequencies(frequencies)


def word_cloud(data: pd.DataFrame, *, term: str = "term", value: str = "count", n: int = 150,
               ax=None, title: str | None = None, **options):
    """Draw a word cloud of the ``n`` largest terms, correctly shaped with or without raqm.

    Args:
        data: one row per term (e.g. frequencies).
        term, value: term and weight columns.
        n: how many words.
        ax: Axes to draw on.
        title: chart title.
        **options: passed to :func:`wordcloud_image`.

    Returns:
        The Axes (a note instead of the cloud when no word has a positive weight).
        Example: ``word_cloud(freq, term="term", value="count", n=100)``.
    """
    if not (data[value] > 0).any():
        return _nothing_to_draw(ax, "No words to draw.", title=title)
    cloud = wordcloud_image(data, term=term, value=value, n=n, **options)
    ax = _axes(ax, figsize=(cloud.width / 100, cloud.height / 100 + 0.4))
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    return rtl_axis(ax, title=title)
