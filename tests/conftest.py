"""Fixtures shared by the test modules: the ANT archive, its articles loaded once, and
matplotlib's settings given back after every module.

The ANT archive is not part of the checkout: it is read from the corpora shared beside it
(``../shared/corpora/``), by the tests and the benchmarks only, never by the package.
Tests that need it take the :func:`ant_archive` fixture (the path, or a skip when the
archive is absent) or :func:`ant` (its articles and load report, loaded once per session).
Small corpora written by a test are in ``corpus_files.py`` and ``corpus_shapes.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers import paths

#: Corpora shared beside the checkout (tests and benchmarks only).
SHARED_CORPORA = paths.ROOT.parent / "shared" / "corpora"
#: The ANT multi-source archive: 31,525 articles of five outlets (see its README there).
ANT_ARCHIVE = SHARED_CORPORA / "ant-multisource-v2.1.tar.gz"


@pytest.fixture(scope="session")
def ant_archive() -> Path:
    """The path of the ANT archive; the test is skipped when ``../shared`` is absent."""
    if not ANT_ARCHIVE.exists():
        pytest.skip(f"ANT archive not found at {ANT_ARCHIVE} (../shared is absent)")
    return ANT_ARCHIVE


@pytest.fixture(scope="session")
def ant(ant_archive, tmp_path_factory):
    """``(articles, report)`` of the whole ANT archive, loaded once for the session.

    Loaded cold through the cache into a folder of its own (the report carries
    ``cache_path``, and a second load from there is warm). Tests must not modify the frame.
    """
    from helpers.corpus import load_corpus

    return load_corpus(ant_archive, cache_dir=tmp_path_factory.mktemp("ant-cache"),
                       progress=False)


@pytest.fixture(autouse=True, scope="module")
def restore_rcparams():
    """``use_arabic_style()`` changes matplotlib's rcParams: give them back after each module.

    Only where matplotlib is in use already: a run of the loader's tests never imports it.
    """
    if "matplotlib" not in sys.modules:
        yield
        return
    import matplotlib

    with matplotlib.rc_context():
        yield
