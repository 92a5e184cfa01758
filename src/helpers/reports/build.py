"""The build: the corpus read once, every notebook executed and exported, the index written.

A failing notebook is reported on stderr with the failing cell, its partial page is still
written, the other notebooks are still built, and the exit status is non-zero. A corpus
that cannot be read or holds no article stops the build before any kernel starts, with one
error line saying what the loader saw and skipped, and a non-zero exit status. Control
characters in file names never reach the terminal or a page as they are (see
:func:`helpers.display.visible_controls`).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
import time
import traceback
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from helpers import paths
from helpers.display import visible_controls

from .export import error_cell, export_html
from .index import render_index
from .notebooks import (
    NOTEBOOK_GLOB, execute_notebook, find_notebooks, inject_parameters, notebook_title,
)
from .results import BuildResult, NotebookResult


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
        result.title = notebook_title(nb, path.stem)
        nb, at = inject_parameters(nb, parameters)
        nb, failure = execute_notebook(
            nb, cwd=path.parent, timeout=timeout, kernel_name=kernel_name, injected_at=at
        )
        if failure is not None:
            result.error = f"{path.name}, {failure}"
            nb.cells.insert(0, error_cell(path.name, failure))
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


def run_all(
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
    summary = corpus_summary(articles, report), corpus_fingerprint(corpus, report), report
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


def corpus_fingerprint(corpus: Path, report: Any = None) -> str:
    """The corpus's content fingerprint: the loader's cache key (:func:`helpers.corpus.cache.fingerprint`).

    The report of a load through the cache carries it; otherwise (a shard folder read back
    whole) it is computed the same way, with the loader's default options.

    Args:
        corpus: the path that was loaded.
        report: its ``LoadReport`` (or None).

    Returns:
        32 hexadecimal digits.
    """
    if getattr(report, "fingerprint", None):
        return str(report.fingerprint)
    # imported here: the loader pulls in pandas and pyarrow, which the command line's
    # --help and the tests of the builder's parts do not need
    from helpers.corpus.cache import fingerprint
    from helpers.corpus.schema import Options

    return fingerprint(corpus, Options(fmt=None, encoding=None, mapping=()))


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
    for i, path, result in run_all(notebooks, options, jobs=jobs, progress=progress):
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
