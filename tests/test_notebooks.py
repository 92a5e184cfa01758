"""Every notebook executed on every corpus a user may bring, each page checked.

One parametrised test, :func:`test_page`, over (corpus, page): every page of every build
must be complete (the build succeeded, no failed cell, no traceback, no error output) and
offline, and then say what that corpus and notebook must say. The corpora:

- ``sample``: the user's one-article sample (``data/raw/000_cf9720c646c5849c.txt``): the
  pages say where one article is too little, and never fail;
- ``default``: ``data/raw`` as ``make report`` builds it without ``CORPUS`` (the sample and
  750 ANT articles): every analysis has data, no page says it needs more;
- ``ant_slice``: 600 articles of ANT, every outlet and category (02 and 03 only): the
  statistics have a reference to compare with;
- the shapes of ``corpus_shapes.py`` (a flat folder of .txt files, a CSV with only title
  and body, one outlet, one category, dates for one outlet only, a 200,000-word article, a
  single article, headlines without a word of body, hostile names): each page says in a
  sentence what the corpus lacks, and hostile names are shown, never obeyed.

Each corpus is built once per session, through the real builder's command line
(``python -m helpers.reports``), only the corpora of the tests selected. Builds run two at
a time, each executing its notebooks one after the other, the longest builds first: the
cores stay busy without the idle tail of a two-worker pool at the end of every build.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import corpus_shapes as shapes
from helpers import paths, reports
from report_pages import assert_nothing_runs, assert_offline

NOTEBOOKS = [p.stem for p in reports.find_notebooks(paths.NOTEBOOKS)]
ANT_SAMPLE = paths.RAW / "ant-sample"


@dataclass
class Built:
    """One build of the notebooks on one corpus."""

    corpus: str
    path: Path | None
    out: Path
    returncode: int
    stderr: str
    skipped: str | None = None

    def page(self, name: str) -> str:
        return (self.out / f"{name}.html").read_text(encoding="utf-8")

    def soup(self, name: str) -> BeautifulSoup:
        return BeautifulSoup(self.page(name), "html.parser")

    def text(self, name: str) -> str:
        """The page's text, whitespace collapsed (sentences read as they are shown)."""
        return " ".join(self.soup(name).get_text().split())


# ---------------------------------------------------------------------------- the corpora


def _sample(root: Path, request) -> Path:
    if not paths.SAMPLE.is_file():
        pytest.skip(f"no sample article in {paths.SAMPLE}")
    return paths.SAMPLE


def _default(root: Path, request) -> Path:
    if not ANT_SAMPLE.is_dir():
        pytest.skip(f"no ANT sample in {ANT_SAMPLE}")
    return paths.RAW


def _ant_slice(root: Path, request) -> Path:
    articles, _ = request.getfixturevalue("ant")
    # every source and category, plus copies filed twice: 600 articles
    part = articles.groupby("source", group_keys=False).head(120)
    corpus = root / "ant-slice.parquet"
    part.to_parquet(corpus)
    return corpus


def _shape(name: str) -> Callable[[Path, object], Path]:
    def write(root: Path, request) -> Path:
        folder = root / "corpus"
        folder.mkdir()
        return shapes.SHAPES[name](folder)
    return write


#: corpus -> (writer of the corpus below a folder, notebooks built); longest builds first
CORPORA: dict[str, tuple[Callable[[Path, object], Path], list[str]]] = {
    "default": (_default, NOTEBOOKS),
    "ant_slice": (_ant_slice, ["02-explore", "03-statistics"]),
    "sample": (_sample, NOTEBOOKS),
    **{name: (_shape(name), NOTEBOOKS) for name in shapes.SHAPES},
}
CASES = [(corpus, page) for corpus, (_, notebooks) in CORPORA.items()
         for page in [*notebooks, "index"]]


def _write(name: str, root: Path, request) -> Built:
    """Write the corpus ``name`` below ``root`` (or say why it cannot be had)."""
    root.mkdir(parents=True)
    try:
        corpus = CORPORA[name][0](root, request)
    except pytest.skip.Exception as exc:
        return Built(name, None, root / "out", -1, "", skipped=str(exc))
    return Built(name, corpus, root / "out", -1, "")


def _build(b: Built) -> Built:
    """``python -m helpers.reports`` on one written corpus, pages in ``b.out``."""
    if b.skipped:
        return b
    notebooks = CORPORA[b.corpus][1]
    only = [] if notebooks == NOTEBOOKS else [a for n in notebooks for a in ("--only", n)]
    proc = subprocess.run(
        [sys.executable, "-m", "helpers.reports", "--corpus", str(b.path),
         "--out", str(b.out), "--processed", str(b.out.parent / "processed"),
         "--jobs", "1", *only],
        capture_output=True, text=True, timeout=1800,
    )
    b.returncode, b.stderr = proc.returncode, proc.stderr
    return b


@pytest.fixture(scope="session")
def builds(request, tmp_path_factory) -> dict[str, Built]:
    """Every corpus the selected tests of this module need, built two at a time."""
    here = Path(__file__)
    wanted = {item.callspec.params["corpus"] for item in request.session.items
              if Path(item.fspath) == here and hasattr(item, "callspec")
              and "corpus" in item.callspec.params}
    base = tmp_path_factory.mktemp("notebooks")
    # the corpora are written here (the ANT slice asks for the session's ANT), then built
    written = [_write(name, base / name, request) for name in CORPORA if name in wanted]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return {b.corpus: b for b in pool.map(_build, written)}


# ---------------------------------------------------------------------------- what pages say

# notes that say an analysis had too little data (helpers.note, empty tables, findings)
_NEEDS_MORE = re.compile(
    r"needs? (at least|more|many|article|key words|dated)|too (few|little|small)|"
    r"only one (source|category|article)|no dated articles|not enough|anecdot|"
    r"no article (of \S+ )?(names|carries)|<NA>",
    re.IGNORECASE,
)


def has_data_for_every_analysis(b: Built, name: str) -> None:
    """The default build: no note, finding or output says an analysis had too little data."""
    found = []
    for el in b.soup(name).select(".hx-note, .hx-findings, .jp-OutputArea-output"):
        for sentence in re.split(r"(?<=[.!?])\s+", el.get_text(" ", strip=True)):
            if _NEEDS_MORE.search(sentence) or "Traceback" in sentence:
                found.append(f"{name}: {sentence[:200]}")
    assert not found, found


def controls_shown_not_obeyed(b: Built, name: str) -> None:
    """An RLO or RLE in a file or folder name never reaches a page, an index or the
    terminal as it is: it is shown as a visible U+ tag (or \\u escape) instead."""
    html = b.page(name)
    raw = [f"U+{ord(c):04X}" for c in shapes.CONTROLS if c in html]
    assert not raw, f"{name} holds {raw} as they are"
    soup = b.soup(name)
    assert not soup.find_all(attrs={"onerror": True}) and not soup.find_all(
        attrs={"onmouseover": True}), name
    assert_nothing_runs(b.out / f"{name}.html")
    assert not any(c in b.stderr for c in shapes.CONTROLS)
    if name in ("index", "01-load-and-clean", "03-statistics"):  # the outlet RLO_SOURCE
        assert 'title="U+202E RIGHT-TO-LEFT OVERRIDE">U+202E</span>' in html, name
    if name == "01-load-and-clean":
        # the skipped file's name (RLE, LRI) in the table of skipped files
        assert "U+202B</span>empty" in html
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    if name == "index":
        assert "<bdi>wire<span" in html  # the index isolates every outlet name


#: checks every page of a corpus must pass
CORPUS_CHECKS: dict[str, Callable[[Built, str], None]] = {
    "default": has_data_for_every_analysis,
    "hostile": controls_shown_not_obeyed,
}


def sample_01(b: Built) -> None:
    text = b.page("01-load-and-clean")
    assert '<html lang="en">' in text
    # the sample's headline, right to left
    assert re.search(r'<td class="hx-ar" dir="rtl" lang="ar"[^>]*>حفتر والسراج', text)
    assert 'class="hx-quote" dir="rtl" lang="ar"' in text
    # says where the analysis needs more data
    assert "needs at least two" in text or "need many more articles" in text
    assert "What we saw" in text and "hx-findings" in text
    # the one stylesheet with the Arabic font stack is there, the images are embedded
    assert "Noto Naskh Arabic" in text
    head = BeautifulSoup(text, "html.parser").head
    styles = head.find_all("style")
    assert len(styles) == 1 and "Noto Naskh Arabic" in styles[0].string
    assert not head.find_all("link", rel="stylesheet")


def sample_02(b: Built) -> None:
    explore = b.page("02-explore")
    assert "Warning" not in explore
    # the concordance is an escaped right-to-left table
    assert re.search(r'<table class="hx-kwic" dir="rtl"', explore)
    # where the sample is too small, the page says so instead of failing
    assert "needs at least two articles" in explore


def sample_03(b: Built) -> None:
    stats_page = b.page("03-statistics")
    assert "Warning" not in stats_page
    for needed in ("needs at least two sources", "needs at least two categories",
                   "trends need article dates", "too little data for 10 topics"):
        assert needed in stats_page, needed


def sample_05(b: Built) -> None:
    """Notebook 05 says comparing needs two sources."""
    page = b.page("05-compare-sources")
    assert "This report is incomplete" not in page
    assert "comparing outlets needs at least two sources" in page
    assert "What we saw" in page and "hx-findings" in page


def sample_06(b: Built) -> None:
    pytest.importorskip("distributed")
    page = b.page("06-scale-out")
    assert "1 article(s), 677 tokens" in page and "keyness needs articles on both sides" in page


def sample_index(b: Built) -> None:
    from helpers import load_corpus

    text = b.page("index")
    assert 'href="01-load-and-clean.html"' in text
    assert str(paths.SAMPLE.resolve()) in text
    assert "Fingerprint" in text and "unknown" not in text
    articles, _ = load_corpus(paths.SAMPLE, cache=False, progress=False)
    assert f"<td>{len(articles):,}</td>" in text


def ant_slice_03(b: Built) -> None:
    stats_page = b.page("03-statistics")
    assert "Zipf slope" in stats_page
    assert "hx-note\">No key words" not in stats_page  # keyness had a reference to compare with


#: (corpus, page) -> what that page must hold beyond being complete
PAGE_CHECKS: dict[tuple[str, str], Callable[[Built], None]] = {
    ("sample", "01-load-and-clean"): sample_01,
    ("sample", "02-explore"): sample_02,
    ("sample", "03-statistics"): sample_03,
    ("sample", "05-compare-sources"): sample_05,
    ("sample", "06-scale-out"): sample_06,
    ("sample", "index"): sample_index,
    ("ant_slice", "03-statistics"): ant_slice_03,
}

#: (corpus, page) -> sentences the page must say where the corpus lacks what an analysis needs
SAYS: dict[tuple[str, str], list[str]] = {
    ("flat_folder", "01-load-and-clean"): ["No article names its source",
                                           "1 article(s) have an empty body"],
    ("flat_folder", "03-statistics"): [
        "No key words: keyness needs at least two sources to compare",
        "No distinctive words: this needs at least two categories",
        "No article names its source, so there are no averages per source.",
        "No dated articles: trends need article dates."],
    ("flat_folder", "04-charts"): [
        "No article carries a date, so the time chart is a note",
        "with no category given, it shows the words, not a comparison between categories"],
    ("flat_folder", "05-compare-sources"): [
        "The corpus has 0 source(s)", "No article names its outlet, so no copy can be shared"],
    ("csv_title_body", "03-statistics"): [
        "No key words: keyness needs at least two sources to compare"],
    ("csv_title_body", "05-compare-sources"): [
        "No article names its outlet: there is no outlet to cross"],
    ("single_source", "01-load-and-clean"): [
        "Only one source: comparing outlets needs at least two."],
    ("single_source", "03-statistics"): [
        "No key words: keyness needs at least two sources to compare"],
    ("single_source", "05-compare-sources"): ["The corpus has 1 source(s)"],
    ("single_category", "03-statistics"): [
        "No distinctive words: this needs at least two categories"],
    ("some_dated", "05-compare-sources"): [
        "No article of beta, gamma carries a date, so their key words are not followed over "
        "time.", "The other outlets have no dated text in the periods"],
    ("long_article", "01-load-and-clean"): [f"longest {shapes.LONG_WORDS:,}"],
    ("long_article", "02-explore"): ["occurrences of 'ليبيا'"],
    ("headlines_only", "01-load-and-clean"): ["2 article(s) have an empty body"],
    ("headlines_only", "03-statistics"): [
        "No word to count: the articles have no words",
        "Lexical diversity could not be measured: no article has any word."],
    ("single_article", "02-explore"): ["needs at least two articles"],
    ("single_article", "05-compare-sources"): ["The corpus has 0 source(s) and 1 article(s)"],
}


# ---------------------------------------------------------------------------- the test


@pytest.mark.slow
@pytest.mark.parametrize(("corpus", "page"), CASES, ids=[f"{c}/{p}" for c, p in CASES])
def test_page(builds, corpus, page):
    b = builds[corpus]
    if b.skipped:
        pytest.skip(b.skipped)
    assert b.returncode == 0, b.stderr
    assert "FAILED" not in b.stderr, b.stderr
    html = b.page(page)
    soup = b.soup(page)
    assert not soup.select(".hx-build-error"), f"{corpus}/{page}: {b.stderr}"
    assert "Traceback" not in html, f"{corpus}/{page}"
    errors = soup.select('[data-mime-type="application/vnd.jupyter.stderr"]')
    assert not errors, f"{corpus}/{page}: {[e.get_text()[:300] for e in errors]}"
    assert_offline(b.out / f"{page}.html")
    if corpus in CORPUS_CHECKS:
        CORPUS_CHECKS[corpus](b, page)
    if (corpus, page) in PAGE_CHECKS:
        PAGE_CHECKS[corpus, page](b)
    text = b.text(page)
    for sentence in SAYS.get((corpus, page), []):
        assert sentence in text, f"{corpus}/{page}: {sentence!r} not in the page"
