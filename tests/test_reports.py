"""Tests for helpers.reports: notebooks executed headless into offline, escaped HTML.

The builder itself: parameters injected, HTML sanitised and made offline, a hostile
headline shown as text, code hidden, a failing notebook named with its cell while the others
are still built, kernels shut down. (The project's notebooks on every corpus are executed in
test_notebooks.py.) The executing tests are marked slow; each builds once (module-scoped)
and several tests read the result, because every kernel start costs seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers import paths, reports
from report_pages import assert_nothing_runs, assert_offline, soup

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"
HOSTILE_SOURCE = "<b onmouseover=alert(3)>wire"  # a folder name: no "/" possible
HOSTILE_FILE = "<img src=x onerror=alert(2)>.txt"  # empty: skipped, listed by name

SEED_BODY = (
    "موسكو - انطلقت اليوم الاثنين في موسكو محادثات روسية تركية حول ليبيا.\n"
    "وقال المتحدث إن الاجتماع \u200fسيُعقد في مقرّ الوزارة.\n"
)


def _write_hostile_corpus(root: Path) -> Path:
    """A seed-layout corpus: <source>/<category>/<id>.txt, one hostile headline."""
    folder = root / HOSTILE_SOURCE / "politics"
    folder.mkdir(parents=True)
    (folder / "001_aaaaaaaaaaaaaaaa.txt").write_text(
        HOSTILE + "\n\n" + SEED_BODY, encoding="utf-8"
    )
    (folder / "002_bbbbbbbbbbbbbbbb.txt").write_text(
        "خبر عاجل عن الاقتصاد\n\nالقاهرة - ارتفعت الأسعار اليوم.\n", encoding="utf-8"
    )
    (folder / HOSTILE_FILE).write_bytes(b"")
    return root


# ---------------------------------------------------------------------------- fast tests


def test_inject_parameters_after_parameters_cell():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# t"),
            nbformat.v4.new_code_cell("a = 1", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell("print(a)"),
        ]
    )
    new, at = reports.inject_parameters(nb, {"corpus_path": "/x/y", "n": 3})
    assert at == 2 and len(nb.cells) == 3  # input untouched
    assert new.cells[2].metadata["tags"] == ["injected-parameters"]
    assert "corpus_path = '/x/y'" in new.cells[2].source and "n = 3" in new.cells[2].source
    again, at2 = reports.inject_parameters(new, {"n": 4})
    assert at2 == 2 and len(again.cells) == 4  # replaced, not stacked
    nbformat.validate(again)


def test_inject_parameters_without_parameters_cell_goes_first():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    new, at = reports.inject_parameters(nb, {"corpus_path": "c"})
    assert at == 0 and new.cells[0].metadata["tags"] == ["injected-parameters"]


def test_sanitiser_keeps_rtl_markup_and_neutralises_scripts():
    dirty = (
        '<table><tbody><tr><td class="hx-ar" dir="rtl" lang="ar" style="text-align: right">'
        "خبر</td></tr></tbody></table>" + HOSTILE + '<a href="javascript:alert(1)">x</a>'
    )
    clean = reports.clean_html(dirty)
    assert 'dir="rtl"' in clean and 'lang="ar"' in clean and "text-align: right" in clean
    assert "<script" not in clean and "&lt;script&gt;" in clean
    assert "onerror" not in clean.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert "javascript:" not in clean


def test_make_offline_removes_network_scripts_only():
    page = (
        '<html><head><script src="https://cdn.example/require.js"></script>'
        '<link rel="stylesheet" href="//fonts.example/css">'
        "<style>@font-face { src: url(https://fonts.example/a.woff) }</style></head>"
        '<body><a href="https://example.org">kept</a><img src="data:image/png;base64,AA=="></body></html>'
    )
    html, removed = reports.make_offline(page)
    assert len(removed) == 3
    assert "cdn.example" not in html and "fonts.example" not in html
    assert 'href="https://example.org"' in html and "data:image/png" in html


def test_find_notebooks_only(tmp_path):
    for name in ("01-a.ipynb", "02-b.ipynb", "notes.ipynb", "10-c.ipynb"):
        (tmp_path / name).write_text("{}")
    assert [p.name for p in reports.find_notebooks(tmp_path)] == [
        "01-a.ipynb", "02-b.ipynb", "10-c.ipynb"]
    assert [p.name for p in reports.find_notebooks(tmp_path, ["02"])] == ["02-b.ipynb"]
    assert [p.name for p in reports.find_notebooks(tmp_path, ["01-a.ipynb", "10-c"])] == [
        "01-a.ipynb", "10-c.ipynb"]


def test_parse_param():
    assert reports.parse_param("sample_size=10") == ("sample_size", 10)
    assert reports.parse_param("name=hello") == ("name", "hello")
    assert reports.parse_param("path='a b'") == ("path", "a b")
    with pytest.raises(Exception):
        reports.parse_param("not a param")


def test_fingerprint_is_the_loaders_cache_key(tmp_path):
    """The index shows the loader's fingerprint of the corpus, computed the same way when
    the load report carries none (a shard folder read back whole)."""
    from helpers import load_corpus

    corpus = _write_hostile_corpus(tmp_path / "corpus")
    _, report = load_corpus(corpus, cache_dir=tmp_path / "cache", progress=False)
    assert report.fingerprint
    assert reports.corpus_fingerprint(corpus, report) == report.fingerprint
    assert reports.corpus_fingerprint(corpus) == report.fingerprint


def test_notebooks_are_committed_without_outputs():
    notebooks = sorted(paths.NOTEBOOKS.glob("*.ipynb"))
    assert notebooks, "no notebooks in notebooks/"
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            tags = cell.get("metadata", {}).get("tags", [])
            assert "injected-parameters" not in tags, f"{path.name} cell {i}: injected cell"
            if cell["cell_type"] == "code":
                assert cell.get("outputs") == [], f"{path.name} cell {i} has outputs"
                assert cell.get("execution_count") is None, f"{path.name} cell {i} was run"
        assert any(
            "parameters" in c.get("metadata", {}).get("tags", []) for c in nb["cells"]
        ), f"{path.name} has no cell tagged parameters"


# ---------------------------------------------------------------------------- builds


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    """Build notebook 01 on a small corpus with a hostile headline, code hidden."""
    corpus = _write_hostile_corpus(tmp_path_factory.mktemp("hostile-corpus"))
    out = tmp_path_factory.mktemp("reports-hostile")
    build = reports.build_reports(corpus, out_dir=out, only=["01"], hide_code=True,
                                  progress=None,
                                  processed_dir=tmp_path_factory.mktemp("processed"))
    return build, out


@pytest.mark.slow
def test_hostile_headline_is_shown_as_text(hostile_build):
    build, out = hostile_build
    assert build.ok, [r.error for r in build.results] + [build.corpus_error]
    for page in (out / "01-load-and-clean.html", out / "index.html"):
        assert_nothing_runs(page)
        assert_offline(page)
    text = (out / "01-load-and-clean.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&lt;img src=x onerror=alert(2)&gt;" in text  # the skipped file's name
    assert "&lt;b onmouseover=alert(3)&gt;wire" in text  # the source name
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;b onmouseover=alert(3)&gt;wire" in index
    assert 'dir="rtl"' in text


@pytest.mark.slow
def test_hide_code_leaves_code_out(hostile_build):
    _, out = hostile_build
    page = soup(out / "01-load-and-clean.html")
    assert not page.select(".jp-InputArea-editor")
    assert page.select(".jp-MarkdownOutput")  # prose stays


@pytest.fixture(scope="module")
def failing_build(tmp_path_factory):
    """Three tiny notebooks, the middle one failing, built through the command line, two at a time."""
    nbdir = tmp_path_factory.mktemp("notebooks")
    new = nbformat.v4

    def write(name, *sources):
        cells = [new.new_markdown_cell(f"# {name}"),
                 new.new_code_cell("corpus_path = ''", metadata={"tags": ["parameters"]})]
        cells += [new.new_code_cell(s) for s in sources]
        nbformat.write(new.new_notebook(cells=cells), nbdir / f"{name}.ipynb")

    # the kernels run with progress bars off (tqdm honours TQDM_DISABLE)
    write("01-good", "print(len(corpus_path))",
          "import os\nassert os.environ.get('TQDM_DISABLE') == '1'")
    write("02-broken", "x = 1", "# divide\nratio = x / 0\nprint(ratio)", "print('never')")
    write("03-after", "print('still built')")
    out = tmp_path_factory.mktemp("reports-failing")
    proc = subprocess.run(
        [sys.executable, "-m", "helpers.reports", "--corpus", str(paths.RAW),
         "--notebooks", str(nbdir), "--out", str(out), "--jobs", "2",
         "--processed", str(tmp_path_factory.mktemp("processed"))],
        capture_output=True, text=True, timeout=300,
    )
    return proc, out


@pytest.mark.slow
def test_failing_notebook_is_named_with_its_cell(failing_build):
    proc, out = failing_build
    assert proc.returncode != 0
    err = proc.stderr
    # cell 3 in the file: markdown 0, parameters 1, "x = 1" 2, the division 3
    assert "02-broken.ipynb, cell 3 (`ratio = x / 0`): ZeroDivisionError" in err, err
    assert "[1/3] 01-good.ipynb: ok" in err and "[3/3] 03-after.ipynb: ok" in err


@pytest.mark.slow
def test_other_reports_still_built(failing_build):
    _, out = failing_build
    assert (out / "01-good.html").exists() and (out / "03-after.html").exists()
    partial = (out / "02-broken.html").read_text(encoding="utf-8")
    assert "This report is incomplete" in partial and "ZeroDivisionError" in partial
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "failed: 02-broken.ipynb, cell 3" in index


@pytest.mark.slow
def test_build_seconds_recorded_and_longest_started_first(failing_build, monkeypatch):
    """The build remembers how long each good notebook took; a parallel build then starts
    the longest first (so that a long one is never started last)."""
    _, out = failing_build
    seconds = json.loads((out / ".build-seconds.json").read_text(encoding="utf-8"))
    assert set(seconds) == {"01-good", "03-after"}  # a failed build's time means nothing
    (out / ".build-seconds.json").write_text(json.dumps({"a": 1.0, "c": 30.0, "b": 5.0}))
    submitted = []

    class Pool:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, fn, i, total, path, options, show):
            submitted.append(path.name)
            from concurrent.futures import Future

            future = Future()
            future.set_result(reports.NotebookResult(name=path.stem, notebook=path, ok=True))
            return future

    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    names = [Path(n) for n in ("a", "b", "c", "d")]
    done = list(reports.run_all(names, {"out_dir": out}, jobs=2, progress=None))
    assert submitted == ["c", "b", "a", "d"] and sorted(i for i, _, _ in done) == [1, 2, 3, 4]


# ---------------------------------------------------------------------------- structure

_NOTEBOOKS = sorted(paths.NOTEBOOKS.glob(reports.NOTEBOOK_GLOB))


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _text(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("path", _NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_opens_with_title_paragraph_and_parameters(path):
    cells = _cells(path)
    first = _text(cells[0])
    assert cells[0]["cell_type"] == "markdown" and first.startswith("# "), "no title first"
    paragraph = first.split("\n", 1)[1].strip() if "\n" in first else ""
    assert len(paragraph.split()) >= 20, "the title is not followed by a paragraph"
    params = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1 and params[0]["cell_type"] == "code"
    assert "corpus_path" in _text(params[0])
    # plain values only: every statement an assignment of a literal
    import ast

    for node in ast.parse(_text(params[0])).body:
        assert isinstance(node, ast.Assign), ast.dump(node)
        ast.literal_eval(node.value)


@pytest.mark.parametrize("path", _NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_ends_with_a_computed_what_we_saw(path):
    cells = _cells(path)
    heads = [i for i, c in enumerate(cells)
             if c["cell_type"] == "markdown" and _text(c).lstrip().lower().startswith("## what we saw")]
    assert heads, "no '## What we saw' section"
    after = cells[heads[-1] + 1:]
    code = [c for c in after if c["cell_type"] == "code"]
    assert code, "the section has no code: findings must be computed, not written"
    assert all(c["cell_type"] == "code" for c in after), "prose after the computed summary"


@pytest.mark.slow
def test_kernel_is_shut_down_after_its_notebook(tmp_path):
    """Each kernel (holding a corpus) ends with its notebook, not with the whole build."""
    import os
    import time

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os; print(os.getpid())")])
    nb, failure = reports.execute_notebook(nb, cwd=tmp_path)
    assert failure is None
    pid = int(nb.cells[0].outputs[0]["text"])
    for _ in range(50):
        status = Path(f"/proc/{pid}/status")
        if not status.exists() or "zombie" in status.read_text().lower():
            return
        time.sleep(0.1)
    pytest.fail(f"kernel {pid} still running after its notebook")
