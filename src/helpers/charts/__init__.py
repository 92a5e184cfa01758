"""Charts for Arabic corpora whose labels are shaped and read right to left on every renderer.

Seaborn-like: each function takes the data first, then keyword-only column names and
options, draws on ``ax`` (a new figure when ``None``) and returns the Axes; none of them
shows or saves, and none computes: they draw the tables :mod:`helpers` analyses return
(``helpers.zipf``, ``helpers.dispersion_positions``, ...). Every label (titles, axis labels,
tick labels, legends, annotations, node labels, word-cloud words) goes through
:mod:`helpers.rtl`, which decides what the renderer receives. Where the data leaves nothing
to draw (one article, one source, no dates), a function draws a short note saying so
instead of an empty chart (``empty=`` sets its words), so notebooks stay one-line calls on
any corpus. Call :func:`use_arabic_style` once first (or use it in a ``with`` block).

One module per job: :mod:`~helpers.charts.theme` (palette, font, ``use_arabic_style``),
:mod:`~helpers.charts.axes` (labels, ticks, the empty-chart note), and one per family of
charts: :mod:`~helpers.charts.words` (top terms, heatmap, word cloud),
:mod:`~helpers.charts.laws` (Zipf, Heaps), :mod:`~helpers.charts.distribution` (lengths,
articles over time, trends, dispersion), :mod:`~helpers.charts.comparison` (keyness) and
:mod:`~helpers.charts.network` (collocation network).

Example::

    import helpers
    helpers.charts.use_arabic_style()
    ax = helpers.charts.top_terms(freq, term="term", value="count", n=20)
"""

from __future__ import annotations

from helpers.charts.axes import arabic_digits, rtl_axis
from helpers.charts.comparison import keyness
from helpers.charts.distribution import articles_over_time, dispersion, length_histogram, trends
from helpers.charts.laws import heaps, zipf
from helpers.charts.network import collocation_network
from helpers.charts.theme import use_arabic_style
from helpers.charts.words import term_heatmap, top_terms, word_cloud, wordcloud_image

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
