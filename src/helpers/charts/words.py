"""Charts of words: the most frequent terms as bars, a row × term heatmap, the word cloud.

``wordcloud`` is imported only when a cloud is drawn (it is slow to import).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.charts.axes import ensure_axes, nothing_to_draw, number_label, rtl_axis
from helpers.charts.theme import PALETTE
from helpers.rtl import arabic_font, for_pillow, pillow_layout_engine

__all__ = ["term_heatmap", "top_terms", "word_cloud", "wordcloud_image"]


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
        return nothing_to_draw(ax, empty, title=title)
    ax = ensure_axes(ax, figsize=(7, max(3, 0.32 * len(top) + 1)))
    y = np.arange(len(top))[::-1]  # largest at the top
    bars = ax.barh(y, top[value].to_numpy(), color=color or PALETTE[0])
    ax.set_yticks(y, labels=list(top[term]))
    ax.invert_xaxis()  # bars grow leftwards from the right-hand axis
    ax.yaxis.tick_right()
    ax.tick_params(axis="y", length=0)
    for side in ("left", "top"):
        ax.spines[side].set_visible(False)
    ax.spines["right"].set_visible(True)
    ax.set_ylim(-0.6, len(top) - 0.4)
    if annotate:
        ax.bar_label(bars, labels=[number_label(v, 0 if float(v).is_integer() else 1)
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
        return nothing_to_draw(ax, empty, title=title)
    table = data.pivot_table(index=row, columns=column, values=value, aggfunc="sum", fill_value=0)
    table = table[table.sum().sort_values(ascending=False).index[:n]]
    table = table.loc[table.sum(axis=1).sort_values(ascending=False).index]
    ax = ensure_axes(ax, figsize=(max(5, 0.45 * table.shape[1] + 2),
                                  max(3, 0.4 * table.shape[0] + 1.5)))
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
            ax.text(j, i, number_label(v, 0 if float(v).is_integer() else 1), ha="center",
                    va="center", fontsize="x-small", color="white" if v > threshold else "black")
    bar = ax.figure.colorbar(image, ax=ax, location="left", shrink=0.8)
    rtl_axis(bar.ax)  # the colour bar's ticks too: through helpers.rtl, digits as asked
    return rtl_axis(ax, title=title)


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
    engine = pillow_layout_engine()
    frequencies = {for_pillow(t, layout_engine=engine): float(v)
                   for t, v in zip(top[term], top[value]) if v > 0}
    cloud = WordCloud(font_path=arabic_font().path, width=width, height=height,
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
        return nothing_to_draw(ax, "No words to draw.", title=title)
    cloud = wordcloud_image(data, term=term, value=value, n=n, **options)
    ax = ensure_axes(ax, figsize=(cloud.width / 100, cloud.height / 100 + 0.4))
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    return rtl_axis(ax, title=title)
