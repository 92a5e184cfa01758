"""Every notebook builds on any corpus a user may bring; an empty corpus stops the build.

The shapes of ``corpus_shapes.py`` (a flat folder of .txt files, a CSV with only title and
body, one outlet, one category, dates for one outlet only, a 200,000-word article, a single
article, headlines without a word of body, hostile names) are each built once per session
through the real builder's command line, ``python -m helpers.reports``. Builds run two at a
time, each executing its notebooks one after the other: the cores stay busy without the
idle tail of a two-worker pool at the end of every build. Every page must then be complete
(no failed cell, no traceback, no error output) and say in a sentence what the corpus lacks.

``make report`` is tested through make itself: a path holding quotes, ``$``, backticks and
spaces must reach the notebooks unchanged, and a failing notebook must fail make.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

import corpus_shapes as shapes
from helpers import paths, reports

NOTEBOOKS = [p.stem for p in reports.find_notebooks(paths.NOTEBOOKS)]


@dataclass
class Built:
    """One build of every notebook on one corpus shape."""

    shape: str
    corpus: Path
    out: Path
    returncode: int
    stderr: str

    def page(self, name: str) -> str:
        return (self.out / f"{name}.html").read_text(encoding="utf-8")

    def text(self, name: str) -> str:
        """The page's text, whitespace collapsed (sentences read as they are shown)."""
        return " ".join(BeautifulSoup(self.page(name), "html.parser").get_text().split())


def _folder(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def _build(corpus: Path, root: Path, *extra: str) -> subprocess.CompletedProcess:
    """``python -m helpers.reports`` on ``corpus``, pages in ``root/out``."""
    return subprocess.run(
        [sys.executable, "-m", "helpers.reports", "--corpus", str(corpus),
         "--out", str(root / "out"), "--processed", str(root / "processed"), *extra],
        capture_output=True, text=True, timeout=900,
    )


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Built]:
    """Every shape built through the command line, two builds at a time."""
    base = tmp_path_factory.mktemp("shapes")

    def one(shape: str) -> Built:
        root = base / shape
        corpus = shapes.SHAPES[shape](_folder(root / "corpus"))
        proc = _build(corpus, root, "--jobs", "1")
        return Built(shape, corpus, root / "out", proc.returncode, proc.stderr)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return {b.shape: b for b in pool.map(one, shapes.SHAPES)}


@pytest.mark.slow
@pytest.mark.parametrize("shape", list(shapes.SHAPES))
def test_every_notebook_builds(built, shape):
    b = built[shape]
    assert b.returncode == 0, b.stderr
    assert "FAILED" not in b.stderr, b.stderr
    for name in NOTEBOOKS:
        html = b.page(name)
        soup = BeautifulSoup(html, "html.parser")
        assert not soup.select(".hx-build-error"), f"{shape}/{name}: {b.stderr}"
        assert "Traceback" not in html, f"{shape}/{name}"
        errors = soup.select('[data-mime-type="application/vnd.jupyter.stderr"]')
        assert not errors, f"{shape}/{name}: {[e.get_text()[:300] for e in errors]}"
    assert (b.out / "index.html").exists()


# what each page must say where the corpus lacks what an analysis needs
SAYS = {
    "flat_folder": {
        "01-load-and-clean": ["No article names its source", "1 article(s) have an empty body"],
        "03-statistics": ["No key words: keyness needs at least two sources to compare",
                          "No distinctive words: this needs at least two categories",
                          "No article names its source, so there are no averages per source.",
                          "No dated articles: trends need article dates."],
        "04-charts": ["No article carries a date, so the time chart is a note",
                      "the key words (they need at least two sources)"],
        "05-compare-sources": ["The corpus has 0 source(s)",
                               "No article names its outlet, so no copy can be shared"],
    },
    "csv_title_body": {
        "03-statistics": ["No key words: keyness needs at least two sources to compare"],
        "05-compare-sources": ["No article names its outlet: there is no outlet to cross"],
    },
    "single_source": {
        "01-load-and-clean": ["Only one source: comparing outlets needs at least two."],
        "03-statistics": ["No key words: keyness needs at least two sources to compare"],
        "05-compare-sources": ["The corpus has 1 source(s)"],
    },
    "single_category": {
        "03-statistics": ["No distinctive words: this needs at least two categories"],
    },
    "some_dated": {
        "05-compare-sources": ["No article of beta, gamma carries a date, so their key words "
                               "are not followed over time.",
                               "The other outlets have no dated text in the periods"],
    },
    "long_article": {
        "01-load-and-clean": [f"longest {shapes.LONG_WORDS:,}"],
        "02-explore": ["occurrences of 'ليبيا'"],
    },
    "headlines_only": {
        "01-load-and-clean": ["2 article(s) have an empty body"],
        "03-statistics": ["No word to count: the articles have no words",
                          "Lexical diversity could not be measured: no article has any word."],
    },
    "single_article": {
        "02-explore": ["needs at least two articles"],
        "05-compare-sources": ["The corpus has 0 source(s) and 1 article(s)"],
    },
}


@pytest.mark.slow
@pytest.mark.parametrize("shape", list(SAYS))
def test_pages_say_what_the_corpus_lacks(built, shape):
    b = built[shape]
    for name, sentences in SAYS[shape].items():
        text = b.text(name)
        for sentence in sentences:
            assert sentence in text, f"{shape}/{name}: {sentence!r} not in the page"


@pytest.mark.slow
def test_control_characters_in_names_are_shown_not_obeyed(built):
    """An RLO or RLE in a file or folder name never reaches a page, an index or the
    terminal as it is: it is shown as a visible U+ tag (or \\u escape) instead."""
    b = built["hostile"]
    assert b.returncode == 0, b.stderr
    pages = {name: b.page(name) for name in [*NOTEBOOKS, "index"]}
    for name, html in pages.items():
        raw = [f"U+{ord(c):04X}" for c in shapes.CONTROLS if c in html]
        assert not raw, f"{name} holds {raw} as they are"
        soup = BeautifulSoup(html, "html.parser")
        assert not soup.find_all(attrs={"onerror": True}) and not soup.find_all(
            attrs={"onmouseover": True}), name
    for name in ("index", "01-load-and-clean", "03-statistics"):  # the outlet RLO_SOURCE
        assert 'title="U+202E RIGHT-TO-LEFT OVERRIDE">U+202E</span>' in pages[name], name
    # the skipped file's name (RLE, LRI) in the table of skipped files
    assert "U+202B</span>empty" in pages["01-load-and-clean"]
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in pages["01-load-and-clean"]
    # the index isolates every outlet name
    assert "<bdi>wire<span" in pages["index"]
    assert not any(c in b.stderr for c in shapes.CONTROLS)


@pytest.mark.slow
def test_empty_corpus_stops_before_any_notebook(tmp_path):
    corpus = shapes.empty(_folder(tmp_path / "corpus"))
    proc = _build(corpus, tmp_path)
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, proc.stderr
    message = errors[0]
    assert "no article in" in message and "skipped all 2" in message, message
    assert "empty file: 1" in message and "README" in message, message
    assert "executing" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert not (tmp_path / "out").exists()  # nothing was built


def test_empty_corpus_message_names_what_was_seen(tmp_path):
    from helpers import load_corpus

    corpus = tmp_path / "c"
    corpus.mkdir()
    _, report = load_corpus(corpus, cache=False, progress=False)
    assert "found no file" in reports.empty_corpus_message(corpus, report)
    shapes.empty(corpus)
    _, report = load_corpus(corpus, cache=False, progress=False)
    message = reports.empty_corpus_message(corpus, report)
    assert message.startswith(f"no article in {corpus}: the loader saw 2 file(s) or record(s)")
    assert "needs at least one article" in message


def test_empty_corpus_path_is_refused(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "helpers.reports", "--corpus", "",
                           "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "the corpus path is empty" in proc.stderr


# ---------------------------------------------------------------------------- make report


def _probe_notebooks(folder: Path, *, fail: bool = False) -> Path:
    """One notebook that writes the corpus path it was given beside itself (or fails)."""
    folder.mkdir()
    new = nbformat.v4
    cells = [new.new_code_cell("corpus_path = ''", metadata={"tags": ["parameters"]}),
             new.new_code_cell("from pathlib import Path\n"
                               "Path('seen.json').write_text(__import__('json').dumps(corpus_path))")]
    if fail:
        cells.append(new.new_code_cell("raise RuntimeError('this notebook fails')"))
    nbformat.write(new.new_notebook(cells=cells), folder / "01-probe.ipynb")
    return folder


def _make_report(corpus: str, notebooks: Path, out: Path, processed: Path) -> subprocess.CompletedProcess:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    args = f"--notebooks {shlex.quote(str(notebooks))} --out {shlex.quote(str(out))} " \
           f"--processed {shlex.quote(str(processed))}"
    # the venv is not remade (-o) and its Python is this one; CORPUS as a user types it
    return subprocess.run(
        [make, "--no-print-directory", "-C", str(paths.ROOT), "-o", ".venv/.runtime", "report",
         f"PY={sys.executable}", f"CORPUS={corpus}", f"REPORT_ARGS={args}", "JOBS=1"],
        capture_output=True, text=True, timeout=300, env=_ENV,
    )


# make test runs this under make: the outer make's flags and variables stay out
_ENV = {k: v for k, v in os.environ.items()
        if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", reports.CORPUS_VARIABLE)}


@pytest.mark.slow
def test_make_report_hands_an_odd_path_over_untouched(tmp_path):
    odd = tmp_path / "it's a \"quoted\" $HOME `echo no` $(id) #1 50% folder"
    odd.mkdir()
    shapes.single_article(odd)
    notebooks = _probe_notebooks(tmp_path / "notebooks")
    proc = _make_report(str(odd), notebooks, tmp_path / "out", tmp_path / "processed")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads((notebooks / "seen.json").read_text()) == str(odd)


@pytest.mark.slow
def test_make_report_fails_when_a_notebook_fails(tmp_path):
    corpus = shapes.single_article(_folder(tmp_path / "corpus"))
    notebooks = _probe_notebooks(tmp_path / "notebooks", fail=True)
    proc = _make_report(str(corpus), notebooks, tmp_path / "out", tmp_path / "processed")
    assert proc.returncode != 0
    assert "01-probe.ipynb: FAILED" in proc.stderr and "RuntimeError" in proc.stderr
    assert json.loads((notebooks / "seen.json").read_text()) == str(corpus)


@pytest.mark.slow
def test_make_report_fails_on_an_empty_corpus(tmp_path):
    corpus = shapes.empty(_folder(tmp_path / "corpus"))
    notebooks = _probe_notebooks(tmp_path / "notebooks")
    proc = _make_report(str(corpus), notebooks, tmp_path / "out", tmp_path / "processed")
    assert proc.returncode != 0
    assert "error: no article in" in proc.stderr
    assert not (notebooks / "seen.json").exists()  # no notebook ran
