"""helpers.rtl: what each renderer receives. (The pictures are proved in test_charts.py.)"""

from __future__ import annotations

import unicodedata

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from PIL import ImageFont  # noqa: E402

import helpers.rtl as rtl  # noqa: E402


LAM_ALEF = "\ufefb"  # ARABIC LIGATURE LAM WITH ALEF ISOLATED FORM ﻻ


def _matplotlib_major() -> tuple[int, int]:
    return tuple(int(p) for p in matplotlib.__version__.split(".")[:2])


def test_has_rtl():
    assert rtl.has_rtl("UN (الأمم)")
    assert rtl.has_rtl("שלום")
    assert not rtl.has_rtl("2024")
    assert not rtl.has_rtl("٪25")  # Arabic percent sign and digits are not strong letters
    assert not rtl.has_rtl("")


@pytest.mark.parametrize(
    ("logical", "shown"),
    [
        ("لا", LAM_ALEF),  # the obligatory lam-alef ligature
        ("مصر", "\ufeae\ufebc\ufee3"),  # reh final, sad medial, meem initial, left to right
        ("كوفيد-19", "19-\ufeaa\ufef4\ufed3\ufeee\ufedb"),  # digits stay left to right
        ("الأمم المتحدة (UN)", "(UN) \ufe93\ufeaa\ufea4\ufe98\ufee4\ufedf\ufe8d \ufee2\ufee3\ufef7\ufe8d"),
        ("2024", "2024"),  # nothing to do
    ],
)
def test_visual(logical, shown):
    assert rtl.visual(logical) == shown


def test_visual_keeps_diacritics_and_tatweel():
    shown = rtl.visual("مُحَمَّد عـــربي")
    assert "\u064f" in shown and "\u0651" in shown  # damma and shadda survive
    assert shown.count("\u0640") == 3


def test_visual_mirrors_brackets_and_works_per_line():
    assert rtl.visual("(أ)\nب") == "(\ufe83)\n\ufe8f"


@given(st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآؤئة 0123456789-()%٪", max_size=30))
@settings(max_examples=200, deadline=None)
def test_visual_loses_no_letter(text):
    shown = rtl.visual(text)
    folded = unicodedata.normalize("NFKC", shown)
    if not rtl.has_rtl(text):
        assert shown == text
    else:
        # same letters, digits and signs; brackets may be mirrored ("(" drawn as ")")
        strip = lambda s: sorted(s.replace(" ", "").replace(")", "("))  # noqa: E731
        assert strip(folded) == strip(unicodedata.normalize("NFKC", text))


def test_probe_matches_matplotlib_version():
    layout = rtl.matplotlib_layout()
    shapes = _matplotlib_major() >= (3, 11)
    assert layout.joins is shapes
    assert layout.right_to_left is shapes
    assert layout.shapes is shapes


def test_for_matplotlib_follows_the_probe():
    text = "الأمم المتحدة (UN)"
    expected = text if rtl.matplotlib_layout().shapes else rtl.visual(text)
    assert rtl.for_matplotlib(text) == expected
    assert rtl.for_matplotlib("count") == "count"
    assert rtl.for_matplotlib(None) is None
    assert rtl.for_matplotlib(3.5) == 3.5


def test_for_svg_is_logical_and_isolated():
    assert rtl.for_svg("كوفيد-19") == "\u2068كوفيد-19\u2069"
    assert rtl.for_svg("count") == "count"


def test_for_pillow_follows_the_engine():
    assert rtl.for_pillow("لا", layout_engine=ImageFont.Layout.RAQM) == "لا"
    assert rtl.for_pillow("لا", layout_engine=ImageFont.Layout.BASIC) == LAM_ALEF


def test_pillow_engine_without_raqm(monkeypatch):
    monkeypatch.setattr(ImageFont.core, "HAVE_RAQM", False)
    assert rtl.pillow_layout_engine() == ImageFont.Layout.BASIC
    assert rtl.for_pillow("لا") == LAM_ALEF


def test_logical_labels_restores_text():
    fig, ax = plt.subplots()
    title = ax.set_title(rtl.for_matplotlib("أكثر الكلمات"))
    before = title.get_text()
    with rtl.logical_labels(fig):
        assert title.get_text() == rtl.for_svg("أكثر الكلمات")
        assert rtl.for_matplotlib("مصر") == rtl.for_svg("مصر")
    assert title.get_text() == before
    plt.close(fig)


def test_font_is_registered_with_matplotlib():
    from matplotlib import font_manager

    font = rtl.arabic_font()
    assert font.family in {e.name for e in font_manager.fontManager.ttflist}
    assert font_manager.findfont(font_manager.FontProperties(family=font.family)) == font.path


def test_diagnose():
    report = rtl.diagnose()
    assert report["matplotlib"] == matplotlib.__version__
    assert report["matplotlib text"].startswith(
        "logical" if rtl.matplotlib_layout().shapes else "visual")
    assert report["font file"] == rtl.arabic_font().path
    assert {"pillow text", "raqm", "svg text", "font", "font source"} <= set(report)


def test_font_falls_back_to_system_then_dejavu(monkeypatch):
    monkeypatch.setattr(rtl, "_packaged_font", lambda: None)
    rtl.arabic_font.cache_clear()
    try:
        font = rtl.arabic_font()
        assert font.source in {"system", "matplotlib's bundled DejaVu Sans (fallback)"}
        monkeypatch.setattr(rtl, "SYSTEM_ARABIC_FAMILIES", ())
        rtl.arabic_font.cache_clear()
        with pytest.warns(UserWarning, match="no Arabic font"):
            font = rtl.arabic_font()
        assert font.family == "DejaVu Sans"
    finally:
        rtl.arabic_font.cache_clear()


def test_svg_needs_logical_labels_on_the_reshaped_path():
    """Without logical_labels, matplotlib 3.10's SVG text would hold visual text."""
    import io

    fig, ax = plt.subplots()
    ax.set_title(rtl.for_matplotlib("الأمم المتحدة"))
    buffer = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg")
    shaped_by_us = "\ufee2\ufee3\ufef7\ufe8d" in buffer.getvalue()  # "الأمم" in presentation forms
    assert shaped_by_us is (not rtl.matplotlib_layout().shapes)
    plt.close(fig)
