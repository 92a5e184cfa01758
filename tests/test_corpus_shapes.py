"""An empty corpus stops the build; ``make report`` hands any path over and fails with it.

The notebooks on each shape of ``corpus_shapes.py`` are executed in ``test_notebooks.py``;
here is what happens before and around them: a corpus without a single article stops the
build before any kernel starts, with one message naming what the loader saw, and an empty
path is refused.

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
from pathlib import Path

import nbformat
import pytest

import corpus_shapes as shapes
from helpers import paths, reports


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
