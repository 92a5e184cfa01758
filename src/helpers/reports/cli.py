"""The command line, ``python -m helpers.reports``, which ``make report`` runs.

Kept out of ``__main__.py`` so that the package can export :func:`main` without importing
its own ``__main__`` (``python -m`` would then warn that the module ran twice).
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

from helpers import paths

from .build import build_reports

#: Notebooks executed at the same time by default: two kernels keep two cores busy (most
#: cells are single-threaded) and stay under 3 GB together on ANT (see the README).
DEFAULT_JOBS = 2

#: Environment variable holding the corpus path when ``--corpus`` is not given: ``make
#: report`` exports ``CORPUS`` under this name, so the path reaches the builder without a
#: shell ever parsing it (quotes, ``$``, backticks and spaces stay as they are).
CORPUS_VARIABLE = "REPORT_CORPUS"


def parse_param(text: str) -> tuple[str, Any]:
    """``key=value`` of ``-p`` as (name, Python literal, or the bare word as a string)."""
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
    parser.add_argument("-p", "--param", action="append", type=parse_param, default=[],
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
