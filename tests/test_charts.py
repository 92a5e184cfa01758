"""Charts: Arabic labels are proved right by comparing pixels, not strings.

Each tricky label is drawn through the project's own chart functions, cropped with the
text's window extent, trimmed to its ink and compared with a reference drawing of the same
logical string in the same font by Pillow with the raqm layout engine (HarfBuzz + FriBiDi).
The mean pixel difference must stay well below the difference the two classic failures
produce: the label *reversed* (the old ``get_display(reshape(s))`` recipe on a renderer
that shapes itself) and the label *unshaped* (logical text on a renderer that does not).
The numbers are printed (``pytest -s``) and appear in every assertion message.

Run under the installed matplotlib (>= 3.11: logical path) and under matplotlib 3.10
(``make test-mpl310``: reshaped/reordered path), so both paths are proven.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter, ImageFont, features  # noqa: E402

import helpers.charts as charts  # noqa: E402
import helpers.rtl as rtl  # noqa: E402
from helpers.stats import dispersion_positions  # noqa: E402


TRICKY = {
    "lam-alef": "السلام لأجل الإعلان الآن",  # لا لأ لإ لآ
    "hamza": "سأل مسؤول رئيس بريء إلى",
    "diacritics": "مُحَمَّدٌ رَسُولٌ",
    "tatweel": "عـــربي",
    "digits": "كوفيد-19",
    "latin": "الأمم المتحدة (UN)",
    "percent": "نسبة ٪25 من الأصوات",
}
HEADLINE = "الحكومة تعلن خطة جديدة لإصلاح التعليم في عام 2024 بعد احتجاجات واسعة"
#: the correct label's distance (1 - correlation) from the reference must be below this
#: share of the smallest distance a wrong (reversed or unshaped) label has; its mean
#: absolute pixel difference must be below every wrong label's
WELL_BELOW = 0.5

needs_raqm = pytest.mark.skipif(
    not features.check("raqm"),
    reason="the reference drawing needs Pillow with libraqm (PIL.features.check('raqm'))",
)


# -- pixels --------------------------------------------------------------------------------


def _trim(ink: np.ndarray) -> np.ndarray:
    rows = np.flatnonzero((ink > 0.15).any(axis=1))
    cols = np.flatnonzero((ink > 0.15).any(axis=0))
    assert len(rows) and len(cols), "no ink in the crop"
    return ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _ink_of_rgba(rgba: np.ndarray) -> np.ndarray:
    return 1.0 - rgba[..., :3].astype(float).mean(axis=-1) / 255.0


def _pillow(text: str, font_path: str, *, engine, size: int = 96) -> np.ndarray:
    """Ink of ``text`` drawn by Pillow with the given layout engine, trimmed."""
    font = ImageFont.truetype(font_path, size, layout_engine=engine)
    left, top, right, bottom = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox(
        (0, 0), text, font=font)
    image = Image.new("L", (right - left + 40, bottom - top + 40), 255)
    ImageDraw.Draw(image).text((20 - left, 20 - top), text, font=font, fill=0)
    return _trim(1.0 - np.asarray(image, dtype=float) / 255.0)


def _distances(candidate: np.ndarray, reference: np.ndarray) -> tuple[float, float]:
    """(mean absolute difference, 1 - Pearson correlation) of two inks.

    Both are scaled to the reference's box at 24 px high and blurred (Gaussian, 2 px), so
    that what is compared is the arrangement of letters and words, not each renderer's
    antialiasing, hinting or stroke weight; the correlation also ignores overall ink
    darkness, which differs between matplotlib and Pillow.
    """
    height = 24
    width = max(8, round(height * reference.shape[1] / reference.shape[0]))

    def scaled(ink):
        image = Image.fromarray((np.clip(ink, 0, 1) * 255).astype(np.uint8))
        image = image.resize((width, height), Image.Resampling.LANCZOS)
        return np.asarray(image.filter(ImageFilter.GaussianBlur(2)), float) / 255

    a, b = scaled(candidate), scaled(reference)
    return float(np.abs(a - b).mean()), float(1 - np.corrcoef(a.ravel(), b.ravel())[0, 1])


def _scores(name: str, drawn: np.ndarray, text: str, *, wrong_path: np.ndarray | None,
            context: str) -> dict[str, tuple[float, float]]:
    """Distances of the drawn label and of the wrong renderings from the reference."""
    font = rtl.arabic_font().path
    reference = _pillow(text, font, engine=ImageFont.Layout.RAQM)
    reversed_ = _pillow(rtl.visual(text), font, engine=ImageFont.Layout.RAQM)
    unshaped = _pillow(text, font, engine=ImageFont.Layout.BASIC)
    scores = {
        "correct": _distances(drawn, reference),
        "reversed": _distances(reversed_, reference),
        "unshaped": _distances(unshaped, reference),
    }
    if wrong_path is not None:
        scores["wrong path"] = _distances(wrong_path, reference)
    _montage(f"{context}_{name}", reference, drawn, wrong_path, reversed_, unshaped)
    line = "  ".join(f"{k} {a:.3f}/{c:.3f}" for k, (a, c) in scores.items())
    print(f"{context:<26} {name:<10} (mean abs diff/1-corr)  {line}")
    MONTAGES.mkdir(exist_ok=True)
    with open(MONTAGES / "scores.tsv", "a", encoding="utf-8") as table:
        for kind, (mean_abs, corr) in scores.items():
            table.write(f"{context}\t{name}\t{kind}\t{mean_abs:.4f}\t{corr:.4f}\n")
    return scores


MONTAGES = Path(tempfile.gettempdir()) / "test_charts_pixels"


def _montage(name: str, *inks) -> None:
    """Save reference, drawn, wrong path, reversed, unshaped one under another, to look at
    (in the temporary folder's ``test_charts_pixels/``)."""
    rows = []
    for ink in inks:
        if ink is None:
            continue
        width = round(60 * ink.shape[1] / ink.shape[0])
        rows.append(np.asarray(Image.fromarray((255 - ink * 255).astype(np.uint8))
                               .resize((width, 60), Image.Resampling.LANCZOS)))
    canvas = np.full((len(rows) * 70, max(r.shape[1] for r in rows)), 255, np.uint8)
    for i, row in enumerate(rows):
        canvas[i * 70:i * 70 + 60, canvas.shape[1] - row.shape[1]:] = row
    MONTAGES.mkdir(exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "_", name)
    Image.fromarray(canvas).save(MONTAGES / f"{safe}.png")


def _assert_well_below(scores: dict[str, tuple[float, float]]) -> None:
    wrong = [v for k, v in scores.items() if k != "correct"]
    mean_abs, corr = scores["correct"]
    assert mean_abs < min(a for a, _ in wrong), scores
    assert corr < WELL_BELOW * min(c for _, c in wrong), scores


# -- the chart under test --------------------------------------------------------------------


@pytest.fixture(scope="module")
def drawn():
    return _draw_top_terms()


def _draw_top_terms():
    """top_terms of the tricky labels (title: a long headline), drawn at high resolution."""
    charts.use_arabic_style()
    data = pd.DataFrame({"term": list(TRICKY.values()),
                         "count": np.arange(len(TRICKY), 0, -1) * 10})
    fig, ax = plt.subplots(figsize=(9, 5), dpi=400)
    charts.top_terms(data, term="term", value="count", n=len(TRICKY), ax=ax, title=HEADLINE)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    rgba = np.asarray(fig.canvas.buffer_rgba()).copy()
    height = rgba.shape[0]

    def crop(text_artist):
        box = text_artist.get_window_extent(renderer)
        rows = slice(int(height - box.y1) - 1, int(np.ceil(height - box.y0)) + 1)
        cols = slice(int(box.x0) - 1, int(np.ceil(box.x1)) + 1)
        return _trim(_ink_of_rgba(rgba[rows, cols]))

    labels = {t.get_text(): t for t in ax.get_yticklabels()}
    crops = {name: crop(labels[rtl.for_matplotlib(text)]) for name, text in TRICKY.items()}
    title = _title_artist(ax)
    crops["headline"] = crop(title)
    prop = ax.get_yticklabels()[0].get_fontproperties()
    title_prop = title.get_fontproperties()
    MONTAGES.mkdir(exist_ok=True)
    fig.savefig(MONTAGES / f"top_terms_matplotlib_{matplotlib.__version__}.png")
    plt.close(fig)
    return crops, prop, title_prop


def _title_artist(ax):
    """The title's Text (Arabic titles sit on the right: axes.titlelocation)."""
    wanted = ax.get_title(loc="right")
    return next(t for t in ax.findobj(matplotlib.text.Text) if t.get_text() == wanted)


def _matplotlib_ink(text: str, prop) -> np.ndarray:
    """Ink of ``text`` drawn by matplotlib as given (no helpers.rtl), at 200 dpi."""
    fig = plt.figure(figsize=(9, 1.5), dpi=400)
    fig.text(0.5, 0.5, text, fontproperties=prop, ha="center", va="center")
    fig.canvas.draw()
    ink = _ink_of_rgba(np.asarray(fig.canvas.buffer_rgba()))
    plt.close(fig)
    return _trim(ink)


def _other_path(text: str) -> str:
    """What matplotlib would get if the decision were wrong on this version."""
    return text if rtl.for_matplotlib(text) != text else rtl.visual(text)


@needs_raqm
@pytest.mark.parametrize("name", [*TRICKY, "headline"])
def test_label_pixels_match_reference(drawn, name):
    crops, prop, title_prop = drawn
    text = HEADLINE if name == "headline" else TRICKY[name]
    wrong = _matplotlib_ink(_other_path(text), title_prop if name == "headline" else prop)
    scores = _scores(name, crops[name], text, wrong_path=wrong,
                     context=f"matplotlib {matplotlib.__version__}")
    _assert_well_below(scores)


# -- word cloud ------------------------------------------------------------------------------


def _cloud_ink(word_for_pillow: str | None, text: str) -> np.ndarray:
    """One-word cloud through the project's wordcloud_image (or with a forced key)."""
    black = {"color_func": lambda *args, **kwargs: "black"}
    if word_for_pillow is None:
        cloud = charts.wordcloud_image(pd.DataFrame({"term": [text], "count": [1]}),
                                       width=700, height=220, **black)
    else:
        from wordcloud import WordCloud

        cloud = WordCloud(font_path=rtl.arabic_font().path, width=700, height=220,
                          background_color="white", prefer_horizontal=1.0,
                          random_state=0, **black)
        cloud.generate_from_frequencies({word_for_pillow: 1.0})
    return _trim(_ink_of_rgba(cloud.to_array()))


@pytest.fixture(params=["raqm", "basic"])
def pillow_engine(request, monkeypatch):
    """Pillow as installed (raqm), and Pillow as on a machine without libraqm."""
    if request.param == "raqm" and not features.check("raqm"):
        pytest.skip("Pillow here has no raqm")
    if request.param == "basic":
        # exactly what ImageFont.truetype checks before falling back to the basic engine
        monkeypatch.setattr(ImageFont.core, "HAVE_RAQM", False)
    return request.param


@needs_raqm
@pytest.mark.parametrize("name", [*TRICKY, "headline"])
def test_word_cloud_pixels_match_reference(pillow_engine, name):
    charts.use_arabic_style()
    text = HEADLINE if name == "headline" else TRICKY[name]
    engine = rtl.pillow_layout_engine()
    assert (engine == ImageFont.Layout.RAQM) == (pillow_engine == "raqm")
    # the wrong key: logical text for the basic engine, the old recipe for raqm
    wrong_key = text if pillow_engine == "basic" else rtl.visual(text)
    # the reference itself is drawn with raqm; un-patch for it
    drawn = _cloud_ink(None, text)
    wrong = _cloud_ink(wrong_key, text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ImageFont.core, "HAVE_RAQM", True)
        scores = _scores(name, drawn, text, wrong_path=wrong,
                         context=f"wordcloud, Pillow {pillow_engine}")
    _assert_well_below(scores)


def test_word_cloud_chart_draws(tmp_path):
    charts.use_arabic_style()
    data = pd.DataFrame({"term": list(TRICKY.values()), "count": range(1, len(TRICKY) + 1)})
    ax = charts.word_cloud(data, title="سحابة الكلمات")
    assert len(ax.images) == 1
    plt.close(ax.figure)


# -- SVG and PDF -----------------------------------------------------------------------------

PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def _chart():
    charts.use_arabic_style()
    data = pd.DataFrame({"term": list(TRICKY.values()), "count": range(len(TRICKY), 0, -1)})
    return charts.top_terms(data, n=len(TRICKY), title=HEADLINE)


def test_svg_keeps_labels_as_logical_text():
    ax = _chart()
    buffer = io.StringIO()
    with rtl.logical_labels(ax.figure), plt.rc_context({"svg.fonttype": "none"}):
        ax.figure.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    for text in [*TRICKY.values(), HEADLINE]:
        assert rtl.for_svg(text) in svg, text
    assert not PRESENTATION_FORMS.search(svg)
    # labels are back to what matplotlib needs once the block is left
    assert ax.get_title(loc="right") == rtl.for_matplotlib(HEADLINE)
    plt.close(ax.figure)


def _pdf_bytes() -> bytes:
    charts.use_arabic_style()
    data = pd.DataFrame({"term": list(TRICKY.values()), "count": range(len(TRICKY), 0, -1)})
    fig, ax = plt.subplots(figsize=(12, 5))  # wide enough for the headline
    charts.top_terms(data, n=len(TRICKY), title=HEADLINE, ax=ax)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="pdf")
    plt.close(fig)
    return buffer.getvalue()


def _plain(text: str) -> str:
    """NFKC (presentation forms -> letters), no bidi controls, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
    return re.sub(r"\s+", " ", text)


#: labels whose text does not come back out of a matplotlib >= 3.11 PDF in logical order
#: although the PDF draws them right: matplotlib now writes the font's own ligature glyphs
#: (لا, لى, بي ...), each mapped to its letters in logical order; extractors reverse the
#: glyph order of right-to-left text but not the letters inside one glyph (known
#: extractor limitation: pypdf issue 1589, pdfminer.six issue 850), so لا comes back as
#: ال, and marks get repeated. Nothing a label can do (lam-alef must be a ligature); the
#: drawing is proven by the pixel tests, and PNG and SVG text are right.
PDF_LIGATURES_311 = {"lam-alef", "hamza", "diacritics", "tatweel", "headline"}


def _pdf_xfail(name: str, *, bidi_extractor: bool = True):
    if not rtl.matplotlib_layout().shapes:
        return []
    if not bidi_extractor:
        return pytest.mark.xfail(strict=True, reason=(
            "matplotlib >= 3.11 writes Arabic glyph by glyph in visual order and pypdf "
            "applies no bidi algorithm when extracting"))
    return pytest.mark.xfail(name in PDF_LIGATURES_311, strict=True, reason=(
        "PDF extractors do not reverse the letters inside a ligature glyph (لا -> ال)"))


@pytest.fixture(scope="module")
def pdf_text() -> str:
    from pypdf import PdfReader

    return _plain(PdfReader(io.BytesIO(_pdf_bytes())).pages[0].extract_text())


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=_pdf_xfail(name, bidi_extractor=False))
    for name in [*TRICKY, "headline"]])
def test_pdf_words_extract_in_logical_order(pdf_text, name):
    """pypdf gets each Arabic word of the label back letter by letter in logical order."""
    text = HEADLINE if name == "headline" else TRICKY[name]
    print(f"pdf text (pypdf, matplotlib {matplotlib.__version__}): {pdf_text}")
    for word in re.findall(r"[\u0621-\u064a\u064b-\u0652\u0640]{2,}", _plain(text)):
        assert word in pdf_text, (word, pdf_text)


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="pdftotext (Debian poppler-utils) not installed")
@pytest.mark.parametrize("name", [
    pytest.param(name, marks=_pdf_xfail(name))
    for name in ["lam-alef", "hamza", "diacritics", "tatweel", "headline"]])
def test_pdf_labels_extract_in_logical_order_with_pdftotext(tmp_path, name):
    """poppler's pdftotext, which applies the bidi algorithm, gets whole labels back."""
    path = tmp_path / "chart.pdf"
    path.write_bytes(_pdf_bytes())
    out = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    text = HEADLINE if name == "headline" else TRICKY[name]
    lines = [_plain(line).strip() for line in out.splitlines()]
    # pdftotext glues a number to the next word ("2024بعد"): compare without spaces there
    squeeze = lambda t: re.sub(r"(?<=\d) ", "", t)  # noqa: E731
    assert squeeze(_plain(text)) in {squeeze(line) for line in lines}, (text, lines)


# -- every chart draws, reads right to left, never mutates its input ---------------------------


@pytest.fixture(scope="module")
def frames():
    rng = np.random.default_rng(1)
    words = list(TRICKY.values()) + ["مصر", "غزة", "الرئيس", "الحكومة", "فلسطين"]
    freq = pd.DataFrame({"term": words, "count": rng.integers(5, 500, len(words))})
    articles = pd.DataFrame({
        "source": rng.choice(["الأهرام", "الجزيرة"], 120),
        "category": rng.choice(["سياسة", "اقتصاد"], 120),
        "date": pd.Timestamp("2021-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 400, 120), unit="D"),
        "body": [" ".join(rng.choice(words, int(n))) for n in rng.integers(20, 300, 120)],
    })
    long = pd.DataFrame([(c, w, int(rng.integers(0, 30))) for c in ["سياسة", "اقتصاد"]
                         for w in words[:6]], columns=["category", "term", "count"])
    key = pd.DataFrame({"term": words, "count_target": 1, "count_reference": 1,
                        "g2": rng.uniform(1, 40, len(words)),
                        "log_ratio": rng.normal(0, 2, len(words)), "key_for": "target"})
    coll = pd.DataFrame({"w1": words[:6], "w2": words[1:7], "count": 3,
                         "score": rng.uniform(1, 9, 6)})
    zipf = pd.DataFrame({"count": (5000 / np.arange(1, 800)).round() + 1,
                         "fitted": 5000 / np.arange(1, 800)})
    heaps = pd.DataFrame({"tokens": np.arange(1, 50) * 100,
                          "types": (20 * (np.arange(1, 50) * 100) ** 0.6).round(),
                          "fitted": 20 * (np.arange(1, 50) * 100) ** 0.6})
    months = pd.date_range("2021-01-01", periods=6, freq="MS")
    trend = pd.DataFrame([(m, src, w, float(rng.integers(0, 900))) for m in months
                          for src in ["الأهرام", "BBC"] for w in ["مصر", "كوفيد-19"]],
                         columns=["period", "source", "term", "per_million"])
    return dict(freq=freq, articles=articles, long=long, key=key, coll=coll, zipf=zipf,
                heaps=heaps, trend=trend)


CALLS = {
    "top_terms": lambda f: charts.top_terms(f["freq"], term="term", value="count", n=5),
    "length_histogram": lambda f: charts.length_histogram(f["articles"], length="body", by="source"),
    "articles_over_time": lambda f: charts.articles_over_time(f["articles"], date="date", by="source"),
    "term_heatmap": lambda f: charts.term_heatmap(f["long"], row="category", column="term", value="count"),
    "zipf": lambda f: charts.zipf(f["zipf"], frequency="count"),
    "heaps": lambda f: charts.heaps(f["heaps"], tokens="tokens", types="types"),
    "dispersion": lambda f: charts.dispersion(
        dispersion_positions(f["articles"]["body"].str.split(), ["مصر", "غزة"]), boundaries=True),
    "keyness": lambda f: charts.keyness(f["key"], term="term", value="log_ratio", n=4),
    "collocation_network": lambda f: charts.collocation_network(f["coll"], source="w1", target="w2", weight="score"),
    "word_cloud": lambda f: charts.word_cloud(f["freq"], term="term", value="count"),
    "trends": lambda f: charts.trends(f["trend"], period="period", value="per_million",
                                      hue="source", style="term"),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_chart_functions_draw_return_axes_and_keep_input(frames, name):
    charts.use_arabic_style(arabic_digits=name in {"zipf", "top_terms"})
    before = {k: v.copy(deep=True) for k, v in frames.items()}
    ax = CALLS[name](frames)
    assert isinstance(ax, matplotlib.axes.Axes)
    ax.figure.canvas.draw()
    MONTAGES.mkdir(exist_ok=True)
    ax.figure.savefig(MONTAGES / f"{name}_matplotlib_{matplotlib.__version__}.png")
    for k, v in frames.items():
        pd.testing.assert_frame_equal(v, before[k])
    plt.close("all")
    charts.use_arabic_style()


def test_top_terms_reads_right_to_left(frames):
    charts.use_arabic_style()
    ax = charts.top_terms(frames["freq"], term="term", value="count", n=5)
    top = frames["freq"].nlargest(5, "count")
    ticks = ax.get_yticks()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[int(np.argmax(ticks))] == rtl.for_matplotlib(top["term"].iloc[0])  # largest on top
    assert ax.xaxis_inverted()  # bars grow leftwards
    assert ax.yaxis.get_ticks_position() == "right"  # words on the right-hand side
    plt.close(ax.figure)


def test_arabic_digits_on_ticks():
    charts.use_arabic_style(arabic_digits=True)
    ax = charts.top_terms(pd.DataFrame({"term": ["مصر"], "count": [1500]}), n=1)
    ax.figure.canvas.draw()
    texts = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert texts and all(not re.search("[0-9]", t) for t in texts), texts
    assert any(re.search("[\u0660-\u0669]", t) for t in texts)
    words = [t.get_text() for t in charts.top_terms(
        pd.DataFrame({"term": ["كوفيد-19"], "count": [3]}), n=1).get_yticklabels()]
    assert words == [rtl.for_matplotlib("كوفيد-19")]  # category labels keep their digits
    plt.close("all")
    charts.use_arabic_style()


def test_style_uses_packaged_font_first():
    font = charts.use_arabic_style()
    assert matplotlib.rcParams["font.family"][0] == font.family
    assert matplotlib.rcParams["font.family"][-1] == "DejaVu Sans"
    from matplotlib import font_manager

    found = font_manager.findfont(font_manager.FontProperties(family=font.family))
    assert found == font.path


def test_trends_draws_a_line_per_colour_and_style(frames):
    charts.use_arabic_style()
    ax = charts.trends(frames["trend"], hue="source", style="term", title="الكلمات شهريا")
    assert len(ax.get_lines()) == 4  # 2 sources × 2 terms
    styles = {(line.get_color(), line.get_linestyle()) for line in ax.get_lines()}
    assert len(styles) == 4
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [rtl.for_matplotlib(x) for x in ["الأهرام", "BBC", "مصر", "كوفيد-19"]]
    assert ax.get_ylabel() == rtl.for_matplotlib("لكل مليون كلمة")
    plt.close("all")


def test_trends_averages_rows_sharing_a_period_within_a_line(frames):
    ax = charts.trends(frames["trend"], hue="term")  # the sources are not split
    assert len(ax.get_lines()) == 2
    expected = frames["trend"].groupby(["term", "period"])["per_million"].mean()
    line = dict(zip(ax.get_legend().get_texts(), ax.get_lines()))
    for text, drawn in line.items():
        term = next(t for t in ["مصر", "كوفيد-19"] if rtl.for_matplotlib(t) == text.get_text())
        np.testing.assert_allclose(drawn.get_ydata(), expected[term].to_numpy())
    plt.close("all")


EMPTY = {
    "top_terms": lambda: charts.top_terms(pd.DataFrame({"term": [], "count": []})),
    "term_heatmap": lambda: charts.term_heatmap(pd.DataFrame({"category": [], "term": [], "count": []})),
    "zipf": lambda: charts.zipf(pd.DataFrame({"rank": [], "count": [], "fitted": []}),
                                rank="rank", fitted="fitted"),
    "heaps": lambda: charts.heaps(pd.DataFrame({"tokens": [], "types": [], "fitted": []})),
    "length_histogram": lambda: charts.length_histogram(pd.DataFrame({"length": [np.nan]})),
    "articles_over_time": lambda: charts.articles_over_time(
        pd.DataFrame({"date": pd.Series([pd.NaT], dtype="datetime64[ns, UTC]"), "source": ["BBC"]})),
    "trends": lambda: charts.trends(pd.DataFrame({"period": pd.Series([], dtype="datetime64[ns]"),
                                                  "term": [], "per_million": []})),
    "dispersion": lambda: charts.dispersion(dispersion_positions(pd.Series([["في", "غزة"]]), ["ليبيا"])),
    "keyness": lambda: charts.keyness(pd.DataFrame({"term": [], "g2": [], "log_ratio": []})),
    "collocation_network": lambda: charts.collocation_network(
        pd.DataFrame({"w1": [], "w2": [], "score": []})),
    "word_cloud": lambda: charts.word_cloud(pd.DataFrame({"term": ["مصر"], "count": [0]})),
}


@pytest.mark.parametrize("name", list(EMPTY))
def test_too_little_data_draws_a_note_not_an_empty_chart(name, recwarn):
    """One article, one source, no dates: the chart says why instead of failing or staying blank."""
    charts.use_arabic_style()
    ax = EMPTY[name]()
    ax.figure.canvas.draw()
    assert not ax.axison and not ax.get_lines() and not ax.patches and not ax.collections
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 1 and texts[0].strip(), texts
    assert ax.figure.get_figheight() < 2  # a short strip, not a blank full-size chart
    assert not [w for w in recwarn if not issubclass(w.category, DeprecationWarning)]
    plt.close("all")


def test_articles_without_a_group_are_drawn_not_dropped():
    """Split by source where no article names one: one histogram and one line, not an empty
    frame; where some do, the others are one more group labelled with a dash."""
    charts.use_arabic_style()
    none = pd.DataFrame({"words": [3, 5, 9], "source": pd.Series([None] * 3, dtype="string"),
                         "date": pd.to_datetime(["2020-01-01", "2020-02-03", None], utc=True)})
    ax = charts.length_histogram(none, length="words", by="source")
    assert sum(p.get_height() for p in ax.patches) == 3 and ax.get_legend() is None
    ax = charts.articles_over_time(none, date="date", by="source")
    assert len(ax.get_lines()) == 1 and sum(ax.get_lines()[0].get_ydata()) == 2
    trend = pd.DataFrame({"period": pd.to_datetime(["2021-03-01", "2021-04-01"] * 2),
                          "source": pd.Series([None] * 4, dtype="string"),
                          "term": ["مصر", "مصر", "غزة", "غزة"], "per_million": [1.0, 2, 3, 4]})
    ax = charts.trends(trend, hue="source", style="term")
    assert len(ax.get_lines()) == 2 and "<NA>" not in [t.get_text() for t in ax.get_legend().get_texts()]
    some = none.assign(source=pd.Series(["أ", None, "أ"], dtype="string"))
    for ax in (charts.length_histogram(some, length="words", by="source"),
               charts.articles_over_time(some, date="date", by="source")):
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels == [rtl.for_matplotlib("أ"), "\u2014"], labels
    plt.close("all")


def test_note_takes_the_callers_words():
    ax = charts.keyness(pd.DataFrame({"term": [], "g2": [], "log_ratio": []}),
                        empty="لا كلمات مفتاحية: مصدر واحد فقط", title="الكلمات المفتاحية")
    assert [t.get_text() for t in ax.texts] == [rtl.for_matplotlib("لا كلمات مفتاحية: مصدر واحد فقط")]
    assert ax.get_title(loc="right") == rtl.for_matplotlib("الكلمات المفتاحية")
    plt.close("all")


def test_zipf_and_heaps_draw_the_fit_they_are_given():
    """With ``fitted``, the chart's line and legend agree with helpers.zipf / helpers.heaps."""
    from helpers.stats import heaps as heaps_table
    from helpers.stats import zipf as zipf_table

    rng = np.random.default_rng(3)
    tokens = pd.Series([list(rng.zipf(1.6, 400).astype(str)) for _ in range(30)])
    table = zipf_table(tokens)
    ax = charts.zipf(table, frequency="count", rank="rank", fitted="fitted")
    line = ax.get_lines()[1]
    np.testing.assert_allclose(line.get_ydata(), table["fitted"].to_numpy())
    # the digits of the slope, without its sign: on the reshaped path (matplotlib < 3.11)
    # the label is in visual order, where the minus sign stands after the number
    slope = f"{abs(table.attrs['slope']):.2f}"
    assert any(slope in t.get_text() for t in ax.get_legend().get_texts())
    growth = heaps_table(tokens, points=20, fit_from=1000)
    ax = charts.heaps(growth, tokens="tokens", types="types", fitted="fitted")
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), growth["fitted"].to_numpy())
    assert any(f"{growth.attrs['beta']:.2f}" in t.get_text() for t in ax.get_legend().get_texts())
    plt.close("all")


def test_trends_leaves_a_gap_where_periods_are_missing():
    months = pd.to_datetime(["2013-01-01", "2013-02-01", "2018-01-01", "2018-02-01"])
    data = pd.DataFrame({"period": months, "term": "مصر", "per_million": [1.0, 2.0, 3.0, 4.0]})
    y = charts.trends(data).get_lines()[0].get_ydata()
    assert len(y) == 5 and np.isnan(y[2])  # no segment from 2013 to 2018
    plt.close("all")


def test_network_labels_do_not_overlap():
    """A chain of words is stacked, a star spread out, pairs packed: no label hides another."""
    charts.use_arabic_style()
    chain = ["الرئيس", "الامريكي", "دونالد", "ترامب"]
    star = ["المتحده", "الامم", "الولايات", "العربيه", "الامارات", "دبي", "المملكه", "السعوديه"]
    pairs = [("وزير", "الخارجيه"), ("مليون", "دولار"), ("جمال", "خاشقجي"), ("الغوطه", "الشرقيه")]
    rows = (list(zip(chain, chain[1:])) + [(star[0], w) for w in star[1:4]]
            + [(star[3], w) for w in star[4:]] + pairs)
    data = pd.DataFrame(rows, columns=["w1", "w2"]).assign(score=np.linspace(90, 10, len(rows)))
    ax = charts.collocation_network(data, n=len(rows))
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) == len(set(chain) | set(star) | {w for p in pairs for w in p})
    overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]
    assert not overlaps, overlaps
    plt.close("all")


# -- charts draw the tables they are given ---------------------------------------------------


def test_dispersion_draws_the_positions_table():
    """One row per term asked, top-down in the order asked (absent terms keep their row),
    each occurrence at its corpus offset; the x axis spans the corpus, words on the right."""
    tokens = pd.Series([["في", "غزة", "مصر"], ["غزة"], ["عن", "مصر", "غزة", "في"]])
    positions = dispersion_positions(tokens, ["غزة", "ليبيا", "مصر"])
    ax = charts.dispersion(positions, boundaries=True, title="مواضع")
    rows = {t.get_text(): y for t, y in zip(ax.get_yticklabels(), ax.get_yticks())}
    assert list(rows) == [rtl.for_matplotlib(t) for t in ["غزة", "ليبيا", "مصر"]]
    assert list(rows.values()) == [2, 1, 0]  # the first term at the top
    drawn = [c for c in ax.collections
             if isinstance(c, matplotlib.collections.PathCollection) and len(c.get_offsets())]
    by_row = {int(c.get_offsets()[0][1]): sorted(c.get_offsets()[:, 0]) for c in drawn}
    assert by_row == {2: [1, 3, 6], 0: [2, 5]}
    assert ax.get_xlim() == (0, 8)
    assert ax.yaxis.get_ticks_position() == "right"
    assert ax.get_xlabel() == rtl.for_matplotlib("الموضع في المدونة (بالكلمات)")
    lines = [c for c in ax.collections if isinstance(c, matplotlib.collections.LineCollection)]
    assert len(lines) == 1 and [s[0][0] for s in lines[0].get_segments()] == [0, 3, 4]
    plt.close("all")


def test_dispersion_takes_terms_and_length_when_the_table_lost_its_attrs():
    positions = pd.DataFrame({"term": ["مصر", "غزة", "مصر"], "offset": [4, 7, 9]})
    ax = charts.dispersion(positions)  # rows in order of first occurrence, x up to the last hit
    assert [t.get_text() for t in ax.get_yticklabels()] == [rtl.for_matplotlib(t)
                                                              for t in ["مصر", "غزة"]]
    assert ax.get_xlim() == (0, 10)
    ax = charts.dispersion(positions, terms=["غزة"], n_tokens=50, boundaries=[0, 20])
    assert [t.get_text() for t in ax.get_yticklabels()] == [rtl.for_matplotlib("غزة")]
    assert ax.get_xlim() == (0, 50)
    with pytest.raises(ValueError, match="starts"):
        charts.dispersion(positions, boundaries=True)
    plt.close("all")


def test_zipf_and_heaps_draw_no_fit_without_a_fitted_column():
    """The chart fits nothing: a table without ``fitted`` (or fitted=None) gets no line."""
    data = pd.DataFrame({"count": [9, 30, 4, 1], "fitted": [10.0, 30.0, 3.0, 1.0]})
    assert len(charts.zipf(data.drop(columns="fitted")).get_lines()) == 1
    assert len(charts.zipf(data, fitted=None).get_lines()) == 1
    # ranked here by count: the fitted values follow their rows
    line = charts.zipf(data).get_lines()[1]
    np.testing.assert_allclose(line.get_xdata(), [1, 2, 3, 4])
    np.testing.assert_allclose(line.get_ydata(), [30, 10, 3, 1])
    growth = pd.DataFrame({"tokens": [10, 100, 1000], "types": [8, 50, 300]})
    assert len(charts.heaps(growth).get_lines()) == 1
    plt.close("all")


def test_use_arabic_style_as_a_block_gives_the_look_back():
    width = matplotlib.rcParams["lines.linewidth"]
    with matplotlib.rc_context({"font.size": 7, "axes.titlelocation": "center"}):
        with charts.use_arabic_style(arabic_digits=True, font_size=13) as font:
            assert font.family == rtl.arabic_font().family and font.path == rtl.arabic_font().path
            assert matplotlib.rcParams["font.size"] == 13
            assert matplotlib.rcParams["axes.titlelocation"] == "right"
            matplotlib.rcParams["lines.linewidth"] = 9  # changed inside the block: undone too
            ax = charts.top_terms(pd.DataFrame({"term": ["مصر"], "count": [1500]}), n=1)
            ax.figure.canvas.draw()
            assert any(re.search("[\u0660-\u0669]", t.get_text()) for t in ax.get_xticklabels())
        assert matplotlib.rcParams["font.size"] == 7
        assert matplotlib.rcParams["axes.titlelocation"] == "center"
        assert matplotlib.rcParams["lines.linewidth"] == width
        ax = charts.top_terms(pd.DataFrame({"term": ["مصر"], "count": [1500]}), n=1)
        ax.figure.canvas.draw()
        assert not any(re.search("[\u0660-\u0669]", t.get_text()) for t in ax.get_xticklabels())
        charts.use_arabic_style(font_size=12)  # a plain call: the look stays
        assert matplotlib.rcParams["font.size"] == 12
    plt.close("all")


def test_import_charts_computes_nothing_and_loads_no_optional_engine():
    """helpers.charts draws: it imports no analysis module, and wordcloud and networkx only
    when a cloud or a network is drawn."""
    code = ("import sys, helpers.charts; print(sorted(m for m in sys.modules if m in "
            "{'helpers.stats', 'helpers.tokens', 'helpers.cleaning', 'wordcloud', 'networkx'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
