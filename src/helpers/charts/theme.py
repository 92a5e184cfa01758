"""The look of the charts: the palette, the Arabic font and :func:`use_arabic_style`.

Owns matplotlib's rcParams as far as this project sets them, and the one setting of the
chart functions themselves (tick digits written as ٠١٢… or not). :func:`use_arabic_style`
is one call, like ``seaborn.set_theme``, and also a context manager that gives the previous
look back on exit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import matplotlib as mpl

from helpers.rtl import FALLBACK_FAMILY, FontChoice, arabic_font

__all__ = ["use_arabic_style"]

#: the colours of the charts, in the order lines and bars take them
PALETTE = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#30343f"]

#: set by use_arabic_style(arabic_digits=...): chart functions write tick digits as ٠١٢…
_STYLE: dict[str, Any] = {"arabic_digits": False}


def wants_arabic_digits() -> bool:
    """Whether :func:`use_arabic_style` asked for Arabic-Indic digits on the ticks."""
    return _STYLE["arabic_digits"]


@dataclass(frozen=True)
class ArabicStyle(FontChoice):
    """The font in use (a :class:`helpers.rtl.FontChoice`) and what to give back.

    Used as a context manager, leaving the block restores matplotlib's rcParams and the
    digit setting as they were before :func:`use_arabic_style` was called (every rcParam
    changed since, inside the block too, as ``matplotlib.rc_context`` does).
    """

    previous: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    previous_digits: bool = field(default=False, repr=False, compare=False)

    def __enter__(self) -> ArabicStyle:
        return self

    def __exit__(self, *exc: object) -> None:
        changed = {k: v for k, v in self.previous.items() if mpl.rcParams[k] != v}
        mpl.rcParams.update(changed)  # only what changed: nothing else is re-validated
        _STYLE["arabic_digits"] = self.previous_digits


def use_arabic_style(*, arabic_digits: bool = False, font_size: float = 11) -> ArabicStyle:
    """Theme matplotlib for Arabic charts: one call, like ``seaborn.set_theme``, or a block.

    Picks the Arabic font (:func:`helpers.rtl.arabic_font`: the packaged IBM Plex Sans Arabic,
    else a system Arabic font, else DejaVu Sans with a warning) and puts it first in a
    fallback list ending in DejaVu Sans, so any glyph it lacks (Latin, symbols) is drawn
    from the next font (matplotlib >= 3.6 falls back per glyph).

    Args:
        arabic_digits: write tick labels drawn by :mod:`helpers.charts` with Arabic-Indic
            digits (٠١٢٣…) instead of Western ones.
        font_size: base font size in points.

    Returns:
        The font in use (an :class:`ArabicStyle`, which is a :class:`helpers.rtl.FontChoice`).
        As a plain call the style stays; in a ``with`` statement the previous rcParams
        come back on exit.

    Example: ``use_arabic_style(arabic_digits=True)`` -> a tick "2024" reads "٢٠٢٤";
    ``with use_arabic_style(): top_terms(freq)`` leaves matplotlib as it found it.
    """
    previous = dict(mpl.rcParams.copy())
    previous.pop("backend", None)  # never switch the backend back (as matplotlib.rc_context)
    previous_digits = _STYLE["arabic_digits"]
    font = arabic_font()
    families = list(dict.fromkeys([font.family, FALLBACK_FAMILY]))
    mpl.rcParams.update(
        {
            "font.family": families,
            "font.sans-serif": families + [f for f in mpl.rcParams["font.sans-serif"]
                                           if f not in families],
            "font.size": font_size,
            "axes.titlesize": font_size * 1.25,
            "axes.titlelocation": "right",  # Arabic titles start on the right
            "axes.spines.top": False,
            "axes.prop_cycle": mpl.cycler(color=PALETTE),
            "figure.dpi": 100,
            "figure.constrained_layout.use": True,
            # embed TrueType (Type 42): PDF/PS text stays extractable and searchable; with
            # Type 3, matplotlib 3.10 draws non-Latin glyphs as unnamed XObjects
            "pdf.fonttype": 42,
            "ps.fonttype": 42,
        }
    )
    _STYLE["arabic_digits"] = arabic_digits
    return ArabicStyle(font.family, font.path, font.source, previous=previous,
                       previous_digits=previous_digits)
