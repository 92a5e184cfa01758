"""Build the HTML reports: execute every notebook headless, export each page, write an index.

``make report`` runs ``python -m helpers.reports --corpus PATH``. For every
``notebooks/NN-*.ipynb`` this module

1. injects the parameters papermill-style: a new code cell tagged ``injected-parameters``
   right after the cell tagged ``parameters`` (``corpus_path = "/abs/path"`` and any
   ``-p key=value``), so the notebook's own defaults stay visible above it;
2. executes the notebook with nbclient on the ``python3`` kernel, in ``notebooks/``;
3. exports it with nbconvert's ``lab`` template, made self-contained and offline: no
   require.js, MathJax, Mermaid or widget scripts (their blocks are emptied and their URLs
   blanked), every output image already embedded as ``data:``, the one stylesheet of
   :mod:`helpers.display` inlined, HTML outputs and Markdown sanitised (bleach allowlist that
   keeps ``dir``/``lang``), and any remaining network URL in a ``script``/``link``/``img``
   removed;
4. writes ``reports/index.html`` (corpus summary, links, when and from what input).

A failing notebook is reported on stderr with the failing cell, its partial page is still
written, the other notebooks are still built, and the exit status is non-zero. A corpus
that cannot be read or holds no article stops the build before any kernel starts, with one
error line saying what the loader saw and skipped, and a non-zero exit status. Control
characters in file names never reach the terminal or a page as they are (see
:func:`helpers.display.escape`).

papermill would do the same injection and execution; nbclient is already required by
nbconvert, the injection is a dozen lines, and keeping one engine means one place to read
the failing cell from (``CellExecutionError``) without papermill's extra dependencies.
"""

from __future__ import annotations

import argparse
import ast
import copy
import datetime as _dt
import hashlib
import html as _html
import json
import os
import re
import sys
import time
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from helpers import __version__, paths
from helpers.display import STYLESHEET, escape, bdi, visible_controls

__all__ = [
    "NotebookResult",
    "BuildResult",
    "find_notebooks",
    "inject_parameters",
    "execute_notebook",
    "export_html",
    "build_reports",
    "empty_corpus_message",
    "kernel_environment",
    "main",
]

#: Notebooks executed at the same time by default: two kernels keep two cores busy (most
#: cells are single-threaded) and stay under 3 GB together on ANT (see the README).
DEFAULT_JOBS = 2

#: Tag of the cell holding a notebook's default parameters (papermill's convention).
PARAMETERS_TAG = "parameters"
#: Tag of the cell this module inserts after it.
INJECTED_TAG = "injected-parameters"
#: Notebooks that make up the reports: ``NN-name.ipynb``.
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
#: Environment variable holding the corpus path when ``--corpus`` is not given: ``make
#: report`` exports ``CORPUS`` under this name, so the path reaches the builder without a
#: shell ever parsing it (quotes, ``$``, backticks and spaces stay as they are).
CORPUS_VARIABLE = "REPORT_CORPUS"

# The lab template with every network-loaded script removed. The blocks emptied here are
# the only places lab/index.html.j2 refers to a CDN (require.js, MathJax, Mermaid, widgets).
# Our stylesheet goes last in <head> (html_head_css) so that it wins over the lab theme.
_TEMPLATE_NAME = "offline-report.html.j2"
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
<meta name="generator" content="helpers.reports {{ resources.toolkit_version | e }}">
<style type="text/css">{{ resources.report_css }}</style>
{%- endblock html_head_css -%}
{%- block data_javascript scoped -%}
<div class="jp-OutputArea-output hx-note">(JavaScript output left out of the static report.)</div>
{%- endblock data_javascript -%}
"""

_REPORT_CSS = (
    STYLESHEET
    + """
body { max-width: 72em; margin: 0 auto; }
.jp-RenderedHTMLCommon .hx-table td, .jp-RenderedHTMLCommon .hx-table th { max-width: 40em; }
.hx-build-error { border: 2px solid #cf222e; background: #ffebe9; padding: 0.5em 1em; }
"""
)

# What sanitised HTML may contain (bleach allowlist): nbconvert's own list plus tables,
# headings, images and the direction and language attributes the RTL helpers rely on.
_ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "b", "blockquote", "bdi", "bdo", "br", "caption", "code",
        "col", "colgroup", "dd", "del", "details", "div", "dl", "dt", "em", "figcaption",
        "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
        "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "style",
        "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u",
        "ul", "var",
    }
)
_ALLOWED_ATTRIBUTES = {
    "*": ["class", "id", "dir", "lang", "title", "style", "align"],
    "a": ["href", "title", "class", "id", "dir", "lang"],
    "img": ["src", "alt", "width", "height", "class", "title"],
    "td": ["colspan", "rowspan", "class", "id", "dir", "lang", "title", "style", "align"],
    "th": ["colspan", "rowspan", "scope", "class", "id", "dir", "lang", "title", "style", "align"],
    "col": ["span", "class", "style"],
    "ol": ["start", "class"],
}
_ALLOWED_PROTOCOLS = frozenset({"https", "http", "mailto", "data"})
_ALLOWED_CSS = (
    "text-align", "direction", "unicode-bidi", "white-space", "font-weight", "font-style",
    "color", "background-color", "border", "padding", "margin", "vertical-align", "width",
    "max-width", "min-width", "font-size", "font-family",
)


def _clean_html(element: Any) -> str:
    """Sanitise HTML from outputs and Markdown: disallowed tags are shown as text."""
    import bleach
    from bleach.css_sanitizer import CSSSanitizer

    text = element.decode() if isinstance(element, bytes) else str(element)
    return bleach.clean(
        text,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        protocols=_ALLOWED_PROTOCOLS,
        css_sanitizer=CSSSanitizer(allowed_css_properties=_ALLOWED_CSS),
    )


_NETWORK_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_CSS_NETWORK_URL = re.compile(r"""url\(\s*['"]?\s*(?:https?:)?//[^)]*\)""", re.IGNORECASE)


def _make_offline(html: str) -> tuple[str, list[str]]:
    """Remove anything that would fetch from the network; return the page and what went.

    Drops ``script``/``link``/``iframe``/``img``/... elements whose ``src``/``href`` is a
    network URL (``http:``, ``https:``, ``//host``) and neutralises ``url(//...)`` in CSS.
    Links the reader clicks (``<a href>``) are kept.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, features="html.parser")
    removed: list[str] = []
    for tag in soup.find_all(["script", "link", "iframe", "img", "source", "embed", "object",
                              "audio", "video", "track", "input"]):
        for attr in ("src", "href", "data", "srcset"):
            value = tag.get(attr)
            if isinstance(value, str) and _NETWORK_URL.match(value):
                removed.append(f"<{tag.name} {attr}={value[:80]}>")
                tag.decompose()
                break
    for style in soup.find_all("style"):
        css = style.string or ""
        if _CSS_NETWORK_URL.search(css):
            removed.append("<style> url(//...)")
            style.string = _CSS_NETWORK_URL.sub("none", css)
    _one_stylesheet(soup)
    return str(soup), removed


def _one_stylesheet(soup: Any) -> None:
    """Merge the ``<style>`` blocks of ``<head>`` into one, in order (ours comes last).

    nbconvert's lab template inlines its theme in several blocks; one stylesheet per page
    is simpler to read and to override. Styles inside notebook outputs stay where they are.
    """
    head = soup.head
    if head is None:
        return
    blocks = head.find_all("style", recursive=False)
    if len(blocks) < 2:
        return
    blocks[-1].string = "\n".join((b.string or "") for b in blocks)
    for block in blocks[:-1]:
        block.decompose()


# ---------------------------------------------------------------------------- notebooks


@dataclass
class NotebookResult:
    """What happened to one notebook."""

    name: str
    notebook: Path
    html: Path | None = None
    ok: bool = False
    seconds: float = 0.0
    error: str | None = None
    title: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    """What a build produced: one result per notebook, the index page, the corpus summary."""

    results: list[NotebookResult] = field(default_factory=list)
    index: Path | None = None
    summary: dict[str, Any] | None = None
    corpus_error: str | None = None

    @property
    def ok(self) -> bool:
        return self.corpus_error is None and all(r.ok for r in self.results)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1


def find_notebooks(notebooks_dir: Path, only: Sequence[str] | None = None) -> list[Path]:
    """List the report notebooks (``NN-*.ipynb``) in order, optionally only some.

    Args:
        notebooks_dir: the folder to look in.
        only: names to keep, each matching a notebook's stem or its start
            (``"01"``, ``"01-load-and-clean"``, ``"01-load-and-clean.ipynb"``).

    Returns:
        Sorted list of paths.
    """
    found = sorted(Path(notebooks_dir).glob(NOTEBOOK_GLOB))
    if not only:
        return found
    wanted = [o.removesuffix(".ipynb") for o in only]
    return [p for p in found if any(p.stem == w or p.stem.startswith(w) for w in wanted)]


def inject_parameters(nb: Any, parameters: Mapping[str, Any]) -> tuple[Any, int]:
    """Return a copy of ``nb`` with a parameters cell inserted papermill-style.

    The new cell is tagged ``injected-parameters`` and placed right after the first cell
    tagged ``parameters`` (at the top when there is none); a previous injected cell is
    replaced. Values are written as Python literals (``repr``).

    Args:
        nb: a notebook (``nbformat.NotebookNode``); not modified.
        parameters: name -> plain value.

    Returns:
        (new notebook, index of the injected cell).
    """
    import nbformat

    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    lines = ["# Parameters injected by helpers.reports"]
    lines += [f"{name} = {value!r}" for name, value in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    at = 0
    for i, c in enumerate(nb.cells):
        if PARAMETERS_TAG in c.get("metadata", {}).get("tags", []):
            at = i + 1
            break
    nb.cells.insert(at, cell)
    return nb, at


@dataclass
class CellFailure:
    """Where a notebook failed: the cell's index (as in the file), first line and error."""

    index: int
    first_line: str
    error: str

    def __str__(self) -> str:
        return f"cell {self.index} (`{self.first_line}`): {self.error}"


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()[:100]
    return source.strip().splitlines()[0][:100] if source.strip() else "(empty cell)"


def _find_failure(nb: Any, injected_at: int | None, exc: BaseException) -> CellFailure:
    """Locate the failing cell in an executed notebook (the first with an error output)."""
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                index = i - 1 if injected_at is not None and i > injected_at else i
                where = "injected parameters" if i == injected_at else None
                error = f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip()
                return CellFailure(index, where or _first_line(cell.source), error)
    text = f"{type(exc).__name__}: {exc}".strip().splitlines()
    return CellFailure(-1, "(no cell)", text[-1] if text else type(exc).__name__)


def execute_notebook(
    nb: Any,
    *,
    cwd: Path,
    timeout: int = 1800,
    kernel_name: str = "python3",
    injected_at: int | None = None,
) -> tuple[Any, CellFailure | None]:
    """Execute ``nb`` headless with nbclient; stop at the first failing cell.

    Args:
        nb: the notebook (modified in place: outputs are filled in).
        cwd: the kernel's working directory.
        timeout: seconds allowed per cell.
        kernel_name: the Jupyter kernel to start.
        injected_at: index of the injected cell (to report indices as in the file).

    Returns:
        (the executed notebook, None) or (the partly executed notebook, the failure).
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    client = NotebookClient(
        nb,
        km=_kernel_manager(kernel_name),
        timeout=timeout,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(cwd)}},
        allow_errors=False,
        record_timing=False,
        # the kernel's own log (e.g. "running over TCP without encryption") is noise here;
        # errors in the notebook's code still reach the page and the build log
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    try:
        # nbclient keeps a kernel alive when it was handed the kernel manager; every
        # notebook's kernel would then live (with its corpus) until the build ends
        client.execute(env=kernel_environment(), cleanup_kc=True)
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        failure = _find_failure(nb, injected_at, exc)
        if isinstance(exc, CellTimeoutError | DeadKernelError) and failure.index == -1:
            failure = _running_cell_failure(nb, injected_at, exc)
        return nb, failure
    return nb, None


def kernel_environment() -> dict[str, str]:
    """The environment of the report kernels: this process's, with progress bars off.

    The loader shows a tqdm bar when it thinks it runs in Jupyter; in a headless build
    nobody watches it and its widget or carriage returns would end up in the page.
    ``TQDM_DISABLE=1`` (honoured by tqdm 4.66 and newer) silences every bar without the
    notebooks or the loader having to know.
    """
    return {**os.environ, "TQDM_DISABLE": "1"}


def _kernel_manager(kernel_name: str) -> Any:
    """A kernel manager that looks for kernels in this environment first.

    Jupyter normally prefers the user's own kernel specs (``~/.local/share/jupyter``) over
    the environment's, so a ``python3`` spec left there by another Python would run the
    notebooks without this project installed. ``make`` installs the spec with
    ``ipykernel install --sys-prefix``; this puts that folder first.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    ksm = KernelSpecManager()
    own = str(Path(sys.prefix) / "share" / "jupyter" / "kernels")
    ksm.kernel_dirs = [own, *[d for d in ksm.kernel_dirs if d != own]]
    return KernelManager(kernel_name=kernel_name, kernel_spec_manager=ksm)


def _running_cell_failure(nb: Any, injected_at: int | None, exc: BaseException) -> CellFailure:
    """For timeouts and dead kernels: the first code cell without an execution count."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.get("execution_count") is None:
            index = i - 1 if injected_at is not None and i > injected_at else i
            first = str(exc).strip().splitlines()
            return CellFailure(index, _first_line(cell.source),
                               f"{type(exc).__name__}: {first[0] if first else ''}")
    return CellFailure(-1, "(no cell)", f"{type(exc).__name__}: {exc}")


def _title(nb: Any, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def export_html(
    nb: Any,
    *,
    name: str,
    hide_code: bool = False,
    language: str = "en",
    notebook_dir: Path | None = None,
) -> tuple[str, list[str]]:
    """Export a notebook to one self-contained, offline HTML page.

    Args:
        nb: the (executed) notebook.
        name: the page's name, used for the ``<title>`` fallback.
        hide_code: leave code cells' input (and prompts) out of the page.
        language: the page's ``<html lang>`` (prose is English; Arabic parts carry
            ``lang="ar"`` themselves).
        notebook_dir: the notebook's folder (for Markdown images with relative paths).

    Returns:
        (the HTML text, descriptions of network references that were removed).
    """
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        template_file=_TEMPLATE_NAME,
        extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        filters={"clean_html": _clean_html},
        sanitize_html=True,
        embed_images=True,
        exclude_input=hide_code,
        exclude_input_prompt=hide_code,
        exclude_output_prompt=hide_code,
        language_code=language,
        theme="light",
        require_js_url="",
        mathjax_url="",
        mermaid_js_url="",
        mermaid_layout_elk_js_url="",
        jquery_url="",
        jupyter_widgets_base_url="",
    )
    resources = {
        "metadata": {"name": name, "path": str(notebook_dir or "")},
        "report_css": _REPORT_CSS,
        "toolkit_version": __version__,
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return _make_offline(body)


def _error_cell(notebook: str, failure: CellFailure) -> Any:
    import nbformat

    text = escape(f"{notebook}, {failure}")
    return nbformat.v4.new_markdown_cell(
        f'<div class="hx-build-error"><strong>This report is incomplete.</strong> '
        f"Building it failed at {text}. The cells up to the failure are shown below.</div>"
    )


# ---------------------------------------------------------------------------- the build


def _log(stream: TextIO | None, message: str) -> None:
    """Print a progress or error line; control characters (in file names) as ``\\uXXXX``."""
    if stream is not None:
        print(visible_controls(message), file=stream, flush=True)


def build_notebook(
    path: Path,
    *,
    parameters: Mapping[str, Any],
    out_dir: Path,
    hide_code: bool = False,
    timeout: int = 1800,
    kernel_name: str = "python3",
) -> NotebookResult:
    """Execute one notebook and write its HTML page, even when it fails part-way.

    Args:
        path: the ``.ipynb`` file.
        parameters: values injected after its ``parameters`` cell.
        out_dir: folder for ``<name>.html``.
        hide_code: leave code out of the page.
        timeout: seconds per cell.
        kernel_name: Jupyter kernel.

    Returns:
        :class:`NotebookResult`.
    """
    import nbformat

    start = time.perf_counter()
    result = NotebookResult(name=path.stem, notebook=path)
    try:
        nb = nbformat.read(path, as_version=4)
        result.title = _title(nb, path.stem)
        nb, at = inject_parameters(nb, parameters)
        nb, failure = execute_notebook(
            nb, cwd=path.parent, timeout=timeout, kernel_name=kernel_name, injected_at=at
        )
        if failure is not None:
            result.error = f"{path.name}, {failure}"
            nb.cells.insert(0, _error_cell(path.name, failure))
        html, removed = export_html(nb, name=path.stem, hide_code=hide_code,
                                    notebook_dir=path.parent)
        if removed:
            result.warnings.append(
                f"removed network references from the page: {', '.join(removed)}")
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{path.stem}.html"
        _write_atomic(target, html)
        result.html = target
        result.ok = failure is None
    except Exception as exc:  # a broken file, a kernel that will not start, an export bug
        tb = traceback.format_exception_only(type(exc), exc)
        result.error = f"{path.name}: {''.join(tb).strip()}"
    result.seconds = time.perf_counter() - start
    return result


def _announced(i: int, total: int, path: Path, options: dict[str, Any],
               announce: bool) -> NotebookResult:
    """Build one notebook in a worker process, saying on stderr when it starts."""
    if announce:
        _log(sys.stderr, f"[{i}/{total}] {path.name}: executing ...")
    return build_notebook(path, **options)


def _run_all(
    notebooks: Sequence[Path],
    options: dict[str, Any],
    *,
    jobs: int,
    progress: TextIO | None,
) -> Iterable[tuple[int, Path, NotebookResult]]:
    """Build the notebooks, ``jobs`` at a time; yield (number, path, result) as each ends.

    Each notebook runs in its own kernel either way; with ``jobs > 1`` the kernels are
    driven from worker processes (nbclient's event loop and ZeroMQ sockets are not shared
    between threads), so up to ``jobs`` kernels hold a corpus in memory at once.
    """
    total = len(notebooks)
    if jobs <= 1 or total <= 1:
        for i, path in enumerate(notebooks, 1):
            _log(progress, f"[{i}/{total}] {path.name}: executing ...")
            yield i, path, build_notebook(path, **options)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # longest first (as long as the previous build took, when there was one): the last
    # notebook to start should be a short one, or one core idles while it runs alone
    previous = _previous_seconds(options["out_dir"])
    numbered = sorted(enumerate(notebooks, 1), key=lambda item: -previous.get(item[1].stem, 0.0))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, total), mp_context=context) as pool:
        futures = {
            pool.submit(_announced, i, total, path, options, progress is not None): (i, path)
            for i, path in numbered
        }
        for future in as_completed(futures):
            i, path = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker process itself died
                result = NotebookResult(name=path.stem, notebook=path,
                                        error=f"{path.name}: {type(exc).__name__}: {exc}")
            yield i, path, result


#: Seconds each notebook took in the last build into a folder (orders the next parallel build).
_TIMES_FILE = ".build-seconds.json"


def _previous_seconds(out_dir: Path) -> dict[str, float]:
    try:
        data = json.loads((Path(out_dir) / _TIMES_FILE).read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in data.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _remember_seconds(out_dir: Path, results: Sequence[NotebookResult]) -> None:
    seconds = _previous_seconds(out_dir)
    seconds.update({r.name: round(r.seconds, 1) for r in results if r.ok})
    _write_atomic(Path(out_dir) / _TIMES_FILE, json.dumps(seconds, indent=1, sort_keys=True))


def _write_atomic(target: Path, text: str) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)


def _load_summary(corpus: Path, cache_dir: Path | None) -> tuple[dict[str, Any], str, Any]:
    """Load the corpus once (filling the cache the notebooks reuse) and summarise it.

    The articles are dropped and Arrow's memory pool handed back to the system before the
    kernels start: the builder would otherwise keep the corpus's memory (about 300 MB on
    ANT) all through the build, on top of each kernel's.

    Returns:
        (summary, fingerprint, the ``LoadReport``).
    """
    import gc

    import pyarrow as pa

    from helpers import load_corpus
    from helpers.overview import corpus_summary

    articles, report = load_corpus(corpus, cache_dir=cache_dir)
    summary = corpus_summary(articles, report), _fingerprint(corpus, report), report
    del articles
    gc.collect()
    pa.default_memory_pool().release_unused()
    return summary


def empty_corpus_message(corpus: Path, report: Any) -> str:
    """Say why a corpus gave no article: what the loader saw, what it skipped and why.

    Args:
        corpus: the path that was loaded.
        report: its ``LoadReport``.

    Returns:
        One sentence, e.g. ``no article in /data/x: the loader saw 2 files or records and
        skipped all 2 (empty file: 1; not an article: 1); every report needs at least one
        article, so none was built.``
    """
    seen = getattr(report, "seen", 0)
    if not seen:
        what = "found no file in it" if corpus.is_dir() else "found nothing to read in it"
    else:
        reasons = report.skip_reasons.most_common()
        shown = "; ".join(f"{reason}: {n:,}" for reason, n in reasons[:5])
        more = f"; {len(reasons) - 5:,} other reasons" if len(reasons) > 5 else ""
        what = (f"saw {seen:,} file(s) or record(s) and skipped "
                f"{'all ' if len(report.skipped) == seen else ''}{len(report.skipped):,}"
                + (f" ({shown}{more})" if shown else ""))
    return (f"no article in {corpus}: the loader {what}; every report needs at least one "
            "article, so none was built.")


_CACHE_FINGERPRINT = re.compile(r"-([0-9a-f]{16,})\.parquet$")


def _fingerprint(corpus: Path, report: Any = None) -> str:
    """The corpus's content fingerprint: the loader's (its cache key), else a SHA-256."""
    if getattr(report, "fingerprint", None):
        return str(report.fingerprint)
    match = _CACHE_FINGERPRINT.search(str(getattr(report, "cache_path", None) or ""))
    if match:
        return match.group(1)
    digest = hashlib.sha256()
    base = corpus if corpus.is_dir() else corpus.parent
    files = [corpus] if corpus.is_file() else sorted(p for p in corpus.rglob("*") if p.is_file())
    for p in files:
        digest.update(str(p.relative_to(base)).encode("utf-8", "surrogateescape") + b"\0")
        with open(p, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return "sha256:" + digest.hexdigest()[:32]


def build_reports(
    corpus: str | os.PathLike[str] = paths.RAW,
    *,
    notebooks_dir: str | os.PathLike[str] = paths.NOTEBOOKS,
    out_dir: str | os.PathLike[str] = paths.REPORTS,
    hide_code: bool = False,
    only: Sequence[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    processed_dir: str | os.PathLike[str] | None = None,
    timeout: int = 1800,
    kernel_name: str = "python3",
    progress: TextIO | None = sys.stderr,
    jobs: int = 1,
) -> BuildResult:
    """Execute every report notebook on ``corpus`` and write the HTML pages and the index.

    Args:
        corpus: any path ``helpers.load_corpus`` accepts; injected as ``corpus_path``
            (absolute) into every notebook.
        notebooks_dir: folder holding ``NN-*.ipynb``.
        out_dir: folder for the pages (created).
        hide_code: leave code cells out of the pages.
        only: build only these notebooks (see :func:`find_notebooks`).
        parameters: more values injected into every notebook (after ``corpus_path``).
        processed_dir: where the corpus cache and derived data go (default
            ``data/processed/``); injected as ``processed_dir`` when given.
        timeout: seconds allowed per cell.
        kernel_name: Jupyter kernel.
        progress: where progress and errors go (None: silent).
        jobs: notebooks executed at the same time (each kernel loads the corpus, so
            memory grows with it).

    Returns:
        :class:`BuildResult`; its ``exit_code`` is non-zero when anything failed.
    """
    corpus = Path(corpus).expanduser().resolve()
    notebooks_dir = Path(notebooks_dir).resolve()
    out_dir = Path(out_dir).resolve()
    params: dict[str, Any] = {"corpus_path": str(corpus)}
    if processed_dir is not None:
        processed_dir = Path(processed_dir).expanduser().resolve()
        params["processed_dir"] = str(processed_dir)
    params.update(parameters or {})
    build = BuildResult()
    started = _dt.datetime.now(_dt.UTC)

    notebooks = find_notebooks(notebooks_dir, only)
    if not notebooks:
        build.corpus_error = f"no notebooks matching {NOTEBOOK_GLOB} in {notebooks_dir}" + (
            f" (only: {', '.join(only)})" if only else ""
        )
        _log(progress, f"error: {build.corpus_error}")
        return build

    _log(progress, f"Reading the corpus {corpus} ...")
    try:
        t0 = time.perf_counter()
        build.summary, fingerprint, report = _load_summary(
            corpus, Path(processed_dir) if processed_dir is not None else None)
    except Exception as exc:
        build.corpus_error = f"cannot read the corpus {corpus}: {type(exc).__name__}: {exc}"
    else:
        if build.summary["articles"] == 0:
            build.corpus_error = empty_corpus_message(corpus, report)
    if build.corpus_error:  # no notebook could run: stop before starting any kernel
        _log(progress, f"error: {build.corpus_error}")
        return build
    n = build.summary["articles"]
    _log(progress, f"  {n:,} article{'' if n == 1 else 's'} ({time.perf_counter() - t0:.1f} s)")

    total = len(notebooks)
    options = dict(parameters=params, out_dir=out_dir, hide_code=hide_code, timeout=timeout,
                   kernel_name=kernel_name)
    for i, path, result in _run_all(notebooks, options, jobs=jobs, progress=progress):
        build.results.append(result)
        for warning in result.warnings:
            _log(progress, f"[{i}/{total}] {path.name}: warning: {warning}")
        if result.ok:
            _log(progress, f"[{i}/{total}] {path.name}: ok in {result.seconds:.1f} s "
                           f"-> {result.html}")
        else:
            _log(progress, f"[{i}/{total}] {path.name}: FAILED after {result.seconds:.1f} s: "
                           f"{result.error}" + (f" (partial page: {result.html})"
                                                if result.html else ""))
    build.results.sort(key=lambda r: notebooks.index(r.notebook))

    build.index = out_dir / "index.html"
    out_dir.mkdir(parents=True, exist_ok=True)
    _remember_seconds(out_dir, build.results)
    _write_atomic(build.index, render_index(
        build, corpus=corpus, fingerprint=fingerprint, started=started,
        parameters=params, notebooks=find_notebooks(notebooks_dir), out_dir=out_dir,
    ))
    failed = [r for r in build.results if not r.ok]
    if failed:
        _log(progress, f"{len(failed)} of {total} notebook(s) failed:")
        for r in failed:
            _log(progress, f"  - {r.error}")
    _log(progress, f"Index: {build.index}")
    return build


# ---------------------------------------------------------------------------- the index


def _date(ts: Any) -> str:
    return "\u2014" if ts is None else escape(str(ts)[:10])


def render_index(
    build: BuildResult,
    *,
    corpus: Path,
    fingerprint: str | None,
    started: _dt.datetime,
    parameters: Mapping[str, Any],
    notebooks: Iterable[Path],
    out_dir: Path,
) -> str:
    """Render ``index.html``: corpus summary, one link per report, how it was built."""
    s = build.summary or {}
    rows = []
    if s:
        sources = s.get("sources", [])
        shown = ", ".join(bdi(x) for x in sources[:10]) + (
            f" and {len(sources) - 10:,} more" if len(sources) > 10 else "")
        facts = [
            ("Articles", f"{s['articles']:,}"),
            ("Sources", f"{len(sources):,}" + (f": {shown}" if sources else "")),
            ("Categories", f"{s.get('categories', 0):,}"),
            ("Date range", f"{_date(s.get('date_min'))} to {_date(s.get('date_max'))} "
                           f"({s.get('dated', 0):,} dated articles)" if s.get("dated")
             else "no dates"),
            ("Files or records seen", "\u2014" if s.get("seen") is None else f"{s['seen']:,}"),
            ("Skipped", "\u2014" if s.get("skipped") is None else f"{s['skipped']:,}"),
            ("Duplicate bodies", "\u2014" if s.get("duplicate_bodies") is None
             else f"{s['duplicate_bodies']:,}"),
        ]
        rows = [f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in facts]
    results = {r.name: r for r in build.results}
    items = []
    for nb in notebooks:
        r = results.get(nb.stem)
        page = out_dir / f"{nb.stem}.html"
        link = (f'<a href="{escape(page.name)}">{escape(nb.stem)}</a>' if page.exists()
                else escape(nb.stem))
        if r is None:
            status = "not rebuilt in this run" + (
                f" (page from {escape(_mtime(page))})" if page.exists() else " (no page)")
        elif r.ok:
            status = f"built in {r.seconds:.1f} s"
        else:
            status = f'<span class="hx-build-error">failed: {escape(r.error)}</span>'
        title = f" \u2014 {escape(r.title)}" if r is not None and r.title else ""
        items.append(f"<li>{link}{title}: {status}</li>")
    params = "".join(
        f"<tr><th><code>{escape(k)}</code></th><td><code>{escape(repr(v))}</code></td></tr>"
        for k, v in parameters.items()
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="helpers.reports {escape(__version__)}">
<title>Reports: {_html.escape(visible_controls(corpus.name))}</title>
<style>{_REPORT_CSS}
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  line-height: 1.5; padding: 1em 2em; color: #1f2328; }}
th {{ text-align: left; padding-right: 1em; vertical-align: top; }}
</style>
</head>
<body>
<h1>Reports on {bdi(corpus.name)}</h1>
<h2>Corpus</h2>
<table class="hx-table">{''.join(rows)}</table>
<h2>Reports</h2>
<ul>{''.join(items)}</ul>
<h2>How this was built</h2>
<table class="hx-table">
<tr><th>Built</th><td>{escape(started.strftime('%Y-%m-%d %H:%M:%S UTC'))}</td></tr>
<tr><th>Input</th><td><code>{bdi(corpus)}</code></td></tr>
<tr><th>Fingerprint</th><td><code>{escape(fingerprint or 'unknown')}</code></td></tr>
<tr><th>Toolkit</th><td>helpers {escape(__version__)}, Python {escape(sys.version.split()[0])}</td></tr>
</table>
<h3>Parameters</h3>
<table class="hx-table">{params}</table>
</body>
</html>
"""


def _mtime(path: Path) -> str:
    ts = _dt.datetime.fromtimestamp(path.stat().st_mtime, _dt.UTC)
    return ts.strftime("%Y-%m-%d %H:%M UTC")


# ---------------------------------------------------------------------------- CLI


def _parse_param(text: str) -> tuple[str, Any]:
    name, sep, raw = text.partition("=")
    if not sep or not name.strip().isidentifier():
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        value = raw  # a bare word is a string
    return name.strip(), value


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m helpers.reports [--corpus PATH] [--hide-code] ...``."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.reports",
        description="Execute the notebooks on a corpus and write the HTML reports.",
    )
    parser.add_argument("--corpus", default=None,
                        help="corpus path: folder, file or archive (default: the environment "
                             f"variable {CORPUS_VARIABLE}, which make report sets from "
                             "CORPUS=..., else data/raw)")
    parser.add_argument("--hide-code", action="store_true", help="leave code cells out")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="build only this notebook (name or number; repeatable)")
    parser.add_argument("--out", default=str(paths.REPORTS),
                        help="output folder (default: reports/)")
    parser.add_argument("--notebooks", default=str(paths.NOTEBOOKS),
                        help="folder with the NN-*.ipynb notebooks (default: notebooks/)")
    parser.add_argument("-p", "--param", action="append", type=_parse_param, default=[],
                        metavar="KEY=VALUE",
                        help="inject a parameter into every notebook (Python literal or word)")
    parser.add_argument("--processed", default=None, metavar="DIR",
                        help="folder for the corpus cache and derived data "
                             "(default: data/processed/)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds allowed per cell")
    parser.add_argument("-j", "--jobs", type=int, default=DEFAULT_JOBS,
                        help="notebooks executed at the same time, each in its own kernel "
                             f"holding the corpus (default: {DEFAULT_JOBS})")
    args = parser.parse_args(argv)

    corpus = args.corpus if args.corpus is not None else os.environ.get(CORPUS_VARIABLE)
    if corpus is None:
        corpus = str(paths.RAW)
    if not corpus.strip():
        parser.error("the corpus path is empty (make report CORPUS=path)")

    t0 = time.perf_counter()
    build = build_reports(
        corpus, notebooks_dir=args.notebooks, out_dir=args.out,
        hide_code=args.hide_code, only=args.only, parameters=dict(args.param),
        processed_dir=args.processed, timeout=args.timeout, jobs=args.jobs,
    )
    if build.results:  # else the one error line has said it all
        print(f"Done in {time.perf_counter() - t0:.1f} s"
              + ("" if build.ok else " with errors"), file=sys.stderr)
    return build.exit_code


if __name__ == "__main__":
    sys.exit(main())
