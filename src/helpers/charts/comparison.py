"""Charts comparing two corpora: keyness as diverging bars."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd

from helpers.charts.axes import ensure_axes, nothing_to_draw, rtl_axis
from helpers.charts.theme import PALETTE
from helpers.rtl import for_matplotlib

__all__ = ["keyness"]


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
        return nothing_to_draw(ax, empty, title=title)
    ax = ensure_axes(ax, figsize=(8, max(3, 0.3 * len(rows) + 1.5)))
    y = np.arange(len(rows))
    values = rows[value].to_numpy(dtype=float)
    colors = np.where(values > 0, PALETTE[0], PALETTE[1])
    ax.barh(y, values, color=colors)
    span = float(np.abs(values).max()) if len(values) and np.abs(values).max() > 0 else 1.0
    for yi, v, word in zip(y, values, rows[term]):
        # the word sits beside the zero line, on the side opposite its bar
        ax.text(-0.02 * span if v > 0 else 0.02 * span, yi, for_matplotlib(word),
                ha="right" if v > 0 else "left", va="center", fontsize="small")
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlim(-1.35 * span, 1.35 * span)
    handles = [mpl.patches.Patch(color=PALETTE[0]), mpl.patches.Patch(color=PALETTE[1])]
    ax.legend(handles, [for_matplotlib(f"أكثر في {target}"),
                        for_matplotlib(f"أكثر في {reference}")],
              loc="lower right", alignment="right", fontsize="small")
    xlabel = "نسبة اللوغاريتم (log ratio)" if value == "log_ratio" else value
    return rtl_axis(ax, title=title, xlabel=xlabel)
