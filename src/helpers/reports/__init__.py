"""Build the HTML reports: execute every notebook headless, export each page, write an index.

``make report`` runs ``python -m helpers.reports --corpus PATH``. For every
``notebooks/NN-*.ipynb`` the build

1. injects the parameters papermill-style after the cell tagged ``parameters`` and executes
   the notebook with nbclient in ``notebooks/`` (:mod:`.notebooks`);
2. exports it to one self-contained, offline page whose HTML outputs and Markdown are
   sanitised (:mod:`.export`);
3. writes ``reports/index.html`` (corpus summary, links, when and from what input;
   :mod:`.index`).

:mod:`.build` runs the whole (the corpus read once, notebooks ``jobs`` at a time, failures
named with their cell), :mod:`.results` holds what it produced and :mod:`.cli` is the
command line (``__main__`` only calls it).
"""

from __future__ import annotations

from .build import (
    build_notebook, build_reports, corpus_fingerprint, empty_corpus_message, run_all,
)
from .cli import CORPUS_VARIABLE, DEFAULT_JOBS, main, parse_param
from .export import REPORT_CSS, clean_html, export_html, make_offline
from .index import render_index
from .notebooks import (
    INJECTED_TAG, NOTEBOOK_GLOB, PARAMETERS_TAG, CellFailure, execute_notebook, find_notebooks,
    inject_parameters, kernel_environment,
)
from .results import BuildResult, NotebookResult

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
