"""Axis plumbing shared by every chart: labels through :mod:`helpers.rtl`, tick formatters
(Arabic-Indic digits when asked), a new Axes when none is given, and the note drawn instead
of an empty chart.

Chart functions call :func:`rtl_axis` last, so every title, axis label, legend and tick
label reaches matplotlib as :func:`helpers.rtl.for_matplotlib` decides.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib import ticker
from matplotlib.category import StrCategoryFormatter

from helpers.charts.theme import wants_arabic_digits
from helpers.resources import TO_ARABIC_INDIC_NUMERALS
from helpers.rtl import for_matplotlib

__all__ = ["arabic_digits", "rtl_axis"]


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
        return for_matplotlib(text)

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
        ax.set_title(for_matplotlib(title))
    if xlabel is not None:
        ax.set_xlabel(for_matplotlib(xlabel))
    if ylabel is not None:
        ax.set_ylabel(for_matplotlib(ylabel))
    if legend_title is not None:
        handles, labels = ax.get_legend_handles_labels()
        if handles:
            ax.legend(handles, [for_matplotlib(s) for s in labels],
                      title=for_matplotlib(legend_title), alignment="right")
    _wrap_formatters(ax, digits=wants_arabic_digits())
    return ax


def ensure_axes(ax, figsize=(7, 5)):
    """``ax``, or the Axes of a new figure of ``figsize`` inches when ``ax`` is None."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def nothing_to_draw(ax, message: str, *, title: str | None = None):
    """Instead of an empty chart: ``message`` centred on a bare Axes, styled as a note.

    Used by every chart function when the data leaves nothing to draw (e.g. one article,
    one source, no dates), so a notebook run on a small sample shows why, not a blank frame.
    """
    ax = ensure_axes(ax, figsize=(7, 1.2))
    ax.text(0.5, 0.5, for_matplotlib(message), ha="center", va="center",
            transform=ax.transAxes, wrap=True, color="#57606a",
            bbox={"boxstyle": "square,pad=0.7", "facecolor": "#fff8e5", "edgecolor": "#d4a72c"})
    ax.set_axis_off()
    return rtl_axis(ax, title=title)


def number_label(x: float, digits: int = 2) -> str:
    """A number written on a chart (bar values, fitted parameters): ``digits`` decimals below
    100, none from 100 on, in Arabic-Indic digits when :func:`use_arabic_style` asked.

    Example: ``number_label(-1.0312)`` -> ``"-1.03"`` (``"-١٫٠٣"`` with Arabic digits).
    """
    text = f"{x:.{0 if abs(x) >= 100 else digits}f}"
    return text.translate(TO_ARABIC_INDIC_NUMERALS) if wants_arabic_digits() else text
