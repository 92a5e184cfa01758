"""Right-to-left text for renderers: the one place that decides what each renderer receives.

Text is stored in logical Unicode order everywhere in the project. Whether a renderer
needs it reshaped (contextual letter forms) and reordered (visual, left-to-right order)
depends on the renderer, and is decided here, at drawing time, by probing rather than by
comparing version numbers:

* **matplotlib** 3.11 and newer lay text out with libraqm (HarfBuzz + FriBiDi): they join
  and reorder Arabic themselves, so they must receive *logical* text; the old recipe
  ``get_display(arabic_reshaper.reshape(s))`` draws such a label reversed. Matplotlib 3.10
  and older draw each character's isolated glyph left to right, so they need the
  reshaped, reordered (*visual*) text. :func:`matplotlib_layout` renders two probe words
  with the Agg backend and looks at the ink to tell which is the case.
* **Pillow** (and so ``wordcloud``) shapes only with its raqm layout engine;
  :func:`pillow_layout_engine` reads which engine a default ``ImageFont.truetype`` gets.
* **SVG with text kept as text** (``svg.fonttype: none``) is laid out by the browser:
  logical text, isolated so it reads right to left inside an SVG whose base direction is
  left to right (:func:`for_svg`, :func:`logical_labels`).

This is the only module allowed to call ``arabic_reshaper`` or ``bidi``.

Example::

    >>> from helpers import rtl
    >>> rtl.for_matplotlib("كوفيد-19")   # matplotlib >= 3.11: unchanged
    'كوفيد-19'
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.resources import (
    ARABIC_LETTER_ALEF,
    ARABIC_LETTER_BEH,
    FIRST_STRONG_ISOLATE,
    POP_DIRECTIONAL_ISOLATE,
    has_rtl,
)

__all__ = [
    "FontChoice",
    "MatplotlibLayout",
    "arabic_font",
    "diagnose",
    "for_matplotlib",
    "for_pillow",
    "for_svg",
    "has_rtl",
    "logical_labels",
    "matplotlib_layout",
    "pillow_layout_engine",
    "visual",
]

# -- text --------------------------------------------------------------------------------

# Arabic fonts tried in order after the packaged one: (family, where it usually comes from)
SYSTEM_ARABIC_FAMILIES = (
    "Noto Naskh Arabic",  # Debian fonts-noto-core
    "Noto Sans Arabic",  # Debian fonts-noto-core, conda-forge font-ttf-noto (variable)
    "Amiri",  # Debian fonts-hosny-amiri
    "Noto Kufi Arabic",  # Debian fonts-noto-core
    "Arial",  # Windows, macOS (has Arabic glyphs)
    "Geeza Pro",  # macOS
    "Tahoma",  # Windows
)
FALLBACK_FAMILY = "DejaVu Sans"  # matplotlib's bundled font: has Arabic glyphs, looks plain

# -- logical -> visual -------------------------------------------------------------------


@functools.cache
def _reshaper():
    import arabic_reshaper

    return arabic_reshaper.ArabicReshaper(
        configuration={
            "delete_harakat": False,  # keep diacritics: the label must say what the data says
            "shift_harakat_position": False,
            "support_ligatures": True,  # lam-alef ligatures are obligatory in Arabic
            "ARABIC LIGATURE ALLAH": False,  # a word ligature fonts do not draw the same way
        }
    )


def visual(text: str) -> str:
    """Reshape and reorder ``text`` for a renderer that neither joins nor reorders.

    Each line is reshaped into contextual presentation forms (arabic-reshaper, harakat
    kept) and put in visual left-to-right order by the Unicode bidi algorithm
    (python-bidi), the paragraph direction taken from the first strong letter, as
    libraqm and browsers do. Loses nothing a reader sees, but the result is no longer
    searchable text: use it only as a renderer's input.

    Args:
        text: a label in logical order.

    Returns:
        The label in visual order with presentation forms.

    Example: ``visual("لا")`` -> ``"ﻻ"`` (U+FEFB, the lam-alef ligature).
    """
    if not has_rtl(text):
        return text
    # the pure-Python implementation mirrors brackets at right-to-left levels (UBA rule
    # L4); python-bidi's default Rust one (``from bidi import get_display``) does not
    from bidi.algorithm import get_display

    reshape = _reshaper().reshape
    return "\n".join(get_display(reshape(line)) for line in text.split("\n"))


# -- fonts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FontChoice:
    """The Arabic font the charts use: family name, file and where it came from."""

    family: str
    path: str
    source: str


def _packaged_font() -> tuple[str, Path, list[Path]] | None:
    """IBM Plex Sans Arabic from its PyPI package: (family, regular file, all its files)."""
    try:
        import fontpkg_ibm_plex_sans_arabic as pkg  # PyPI fontpkg-ibm-plex-sans-arabic, OFL
    except ImportError:
        return None
    files = sorted((Path(pkg.ROOT) / "files").glob("*.ttf"))
    regular = [f for f in files if f.stem.endswith("-Regular")]
    return (pkg.FAMILY, regular[0], files) if regular else None


def _covers_arabic(path: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        charmap = FT2Font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(ch) in charmap for ch in "\u0627\u0644\u0628\u0645")  # ا ل ب م


@functools.cache
def arabic_font() -> FontChoice:
    """Find an Arabic font, register it with matplotlib and say where it came from.

    Tries, in order: IBM Plex Sans Arabic from the ``fontpkg-ibm-plex-sans-arabic``
    package (a project dependency: static TrueType files with Arabic, Latin and both kinds
    of digits; put first in matplotlib's font list so it wins over a system copy of the
    same family), then the system fonts in :data:`SYSTEM_ARABIC_FAMILIES`, then DejaVu
    Sans with a warning. Why this font: it is static (with the variable Noto Sans Arabic,
    ``NotoSansArabic[wdth,wght].ttf`` as on PyPI and in conda-forge's font-ttf-noto,
    matplotlib 3.10 writes invalid Type 3 PDFs and 3.11 misplaces the spaces of Arabic
    PDF text), and its marks sit right without OpenType positioning (Amiri's diacritics
    float off their letters on the reshaped path of matplotlib 3.10 and Pillow without
    raqm).

    Returns:
        A :class:`FontChoice`, e.g. ``FontChoice("IBM Plex Sans Arabic",
        ".../IBMPlexSansArabic-Regular.ttf", "package fontpkg-ibm-plex-sans-arabic")``.
    """
    from matplotlib import font_manager

    packaged = _packaged_font()
    if packaged is not None:
        family, regular, files = packaged
        manager = font_manager.fontManager
        for path in files:
            manager.addfont(str(path))  # also clears matplotlib's font lookup cache
        ours = {str(path) for path in files}
        # equal scores: the first entry wins, so ours go before any system copy
        manager.ttflist[:] = ([e for e in manager.ttflist if e.fname in ours]
                              + [e for e in manager.ttflist if e.fname not in ours])
        return FontChoice(family, str(regular), "package fontpkg-ibm-plex-sans-arabic")
    for family in SYSTEM_ARABIC_FAMILIES:
        prop = font_manager.FontProperties(family=family)
        try:
            path = font_manager.findfont(prop, fallback_to_default=False)
        except ValueError:
            continue
        if _covers_arabic(path):
            return FontChoice(family, path, "system")
    warnings.warn(
        "no Arabic font found (install fontpkg-ibm-plex-sans-arabic or Debian fonts-noto-core); "
        "falling back to DejaVu Sans",
        stacklevel=2,
    )
    path = font_manager.findfont(font_manager.FontProperties(family=FALLBACK_FAMILY))
    return FontChoice(FALLBACK_FAMILY, path, "matplotlib's bundled DejaVu Sans (fallback)")


# -- matplotlib ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MatplotlibLayout:
    """What matplotlib's Agg text layout does with Arabic, found by drawing probes."""

    joins: bool  # letters take contextual forms (three behs draw as one connected word)
    right_to_left: bool  # alef-then-beh draws the alef on the right

    @property
    def shapes(self) -> bool:
        """True when matplotlib needs logical text (it joins *and* reorders)."""
        return self.joins and self.right_to_left


def _ink(text: str, font_path: str):
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    fig = Figure(figsize=(3, 1), dpi=100)
    canvas = FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, text, ha="center", va="center",
             fontproperties=FontProperties(fname=font_path, size=40))
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., 0] < 128


def _ink_runs(mask) -> int:
    """Number of runs of ink (True) along a 1-d boolean array: one for a joined word."""
    import numpy as np

    padded = np.concatenate([[False], mask, [False]]).astype(int)
    return int((np.diff(padded) == 1).sum())


@functools.cache
def _probe(font_path: str, version: str) -> MatplotlibLayout:  # version: cache key only
    joined = _ink(ARABIC_LETTER_BEH * 3, font_path).any(axis=0)
    joins = _ink_runs(joined) == 1  # unjoined isolated forms leave gaps between letters
    ink = _ink(ARABIC_LETTER_ALEF + ARABIC_LETTER_BEH, font_path)
    rows, cols = ink.nonzero()
    top = cols[rows <= rows.min() + 2].mean()  # only the alef reaches this high
    right_to_left = bool(top > (cols.min() + cols.max()) / 2)
    return MatplotlibLayout(joins=joins, right_to_left=right_to_left)


def matplotlib_layout() -> MatplotlibLayout:
    """Probe what matplotlib's text layout does with Arabic (cached per font and version).

    Draws "ببب" and "اب" with the Agg backend in the Arabic font and looks at the ink:
    one connected run means letters join; the alef's tall stroke on the right means the
    text was reordered right to left.

    Returns:
        :class:`MatplotlibLayout`; ``MatplotlibLayout(joins=True, right_to_left=True)``
        on matplotlib 3.11 (libraqm), both False on 3.10.
    """
    import matplotlib

    return _probe(arabic_font().path, matplotlib.__version__)


#: set while a figure is being written as SVG with text kept as text
_LOGICAL_TARGET: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "rtl_logical_target", default=False
)
#: visual label -> the logical label it came from (only filled on the fallback path)
_LOGICAL_OF: dict[str, str] = {}


def for_matplotlib(text: Any) -> Any:
    """Prepare a label for matplotlib: logical where it shapes, visual where it does not.

    Args:
        text: a label in logical order; anything that is not a ``str`` is returned as is.

    Returns:
        ``text`` unchanged on matplotlib >= 3.11 (libraqm) or for labels without
        right-to-left letters; :func:`visual` text otherwise. Inside
        :func:`logical_labels` it returns :func:`for_svg` text.

    Example: ``for_matplotlib("الأمم المتحدة (UN)")`` -> unchanged on 3.11,
    ``"(UN) ﺓﺪﺤﺘﻤﻟﺍ ﻢﻣﻷﺍ"`` on 3.10.
    """
    if not isinstance(text, str) or not has_rtl(text):
        return text
    if _LOGICAL_TARGET.get():
        return for_svg(text)
    if matplotlib_layout().shapes:
        return text
    shown = visual(text)
    _LOGICAL_OF[shown] = text
    return shown


def for_svg(text: Any) -> Any:
    """Prepare a label for SVG kept as text (``svg.fonttype: none``): the browser shapes it.

    Args:
        text: a label in logical order.

    Returns:
        The logical text wrapped in FSI ... PDI when it holds right-to-left letters, so a
        browser lays "الأمم المتحدة (UN)" out right to left (the "(UN)" on the left)
        although the SVG's own direction is left to right.

    Example: ``for_svg("كوفيد-19") -> "\\u2068كوفيد-19\\u2069"``.
    """
    if not isinstance(text, str) or not has_rtl(text):
        return text
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


@contextlib.contextmanager
def logical_labels(fig) -> Iterator[Any]:
    """Within the block, ``fig``'s labels hold logical text, for ``savefig(..., format="svg")``
    with ``svg.fonttype: none`` (text kept as text and laid out by the browser).

    Text artists whose text :func:`for_matplotlib` made visual get their logical text
    back (as :func:`for_svg` text), and formatters calling :func:`for_matplotlib` at draw
    time return logical text; everything is restored on exit.

    Args:
        fig: a matplotlib Figure.

    Yields:
        ``fig``.

    Example::

        with rtl.logical_labels(fig), plt.rc_context({"svg.fonttype": "none"}):
            fig.savefig(buffer, format="svg")
    """
    from matplotlib.text import Text

    saved = []
    for artist in fig.findobj(Text):
        text = artist.get_text()
        logical = _LOGICAL_OF.get(text, text)
        if has_rtl(logical):
            saved.append((artist, text))
            artist.set_text(for_svg(logical))
    token = _LOGICAL_TARGET.set(True)
    try:
        with warnings.catch_warnings():
            # matplotlib still measures the text; the isolates have no glyph, and need none
            warnings.filterwarnings("ignore", message=r"Glyph 829[67] \(")
            yield fig
    finally:
        _LOGICAL_TARGET.reset(token)
        for artist, text in saved:
            artist.set_text(text)


# -- Pillow ----------------------------------------------------------------------------------


def pillow_layout_engine():
    """The layout engine a default ``ImageFont.truetype(...)`` gets (what ``wordcloud`` uses).

    Returns:
        ``PIL.ImageFont.Layout.RAQM`` when Pillow has libraqm, else ``Layout.BASIC``.
    """
    from PIL import ImageFont

    return ImageFont.truetype(arabic_font().path, 12).layout_engine


def for_pillow(text: Any, *, layout_engine=None) -> Any:
    """Prepare text for Pillow's ``ImageDraw.text`` (and so for ``wordcloud``).

    Args:
        text: text in logical order.
        layout_engine: the engine of the ``ImageFont`` that will draw it; default: the
            engine a default ``ImageFont.truetype`` gets (:func:`pillow_layout_engine`).

    Returns:
        ``text`` unchanged for the raqm engine; :func:`visual` text for the basic one.

    Example: ``for_pillow("لا", layout_engine=ImageFont.Layout.BASIC) -> "ﻻ"``.
    """
    from PIL import ImageFont

    if not isinstance(text, str) or not has_rtl(text):
        return text
    engine = pillow_layout_engine() if layout_engine is None else layout_engine
    return text if engine == ImageFont.Layout.RAQM else visual(text)


# -- diagnosis -------------------------------------------------------------------------------


def diagnose() -> dict[str, Any]:
    """Say which path each renderer takes and which font is used.

    Returns:
        A dict, e.g. ``{"matplotlib": "3.11.2", "matplotlib text": "logical (matplotlib
        joins and reorders Arabic itself)", "pillow": "13.0.0", "raqm": "0.11.0",
        "pillow text": "logical (raqm layout)", "svg text": ..., "font": "Noto Sans
        Arabic", "font file": ..., "font source": ...}``.
    """
    import matplotlib
    import PIL
    from PIL import ImageFont, features

    font = arabic_font()
    layout = matplotlib_layout()
    raqm = features.version("raqm") if features.check("raqm") else None
    engine = pillow_layout_engine()
    return {
        "matplotlib": matplotlib.__version__,
        "matplotlib text": (
            "logical (matplotlib joins and reorders Arabic itself)"
            if layout.shapes
            else "visual (reshaped by arabic-reshaper, reordered by python-bidi)"
        ),
        "matplotlib probe": f"joins={layout.joins}, right_to_left={layout.right_to_left}",
        "pillow": PIL.__version__,
        "raqm": raqm,
        "pillow text": (
            "logical (raqm layout)"
            if engine == ImageFont.Layout.RAQM
            else "visual (basic layout: reshaped and reordered here)"
        ),
        "svg text": "logical in FSI...PDI isolates (the browser shapes); see logical_labels()",
        "font": font.family,
        "font file": font.path,
        "font source": font.source,
    }
