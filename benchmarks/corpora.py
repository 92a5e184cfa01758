"""The corpora the benchmarks and scripts read from beside the checkout (never the package).

``../shared/corpora/`` holds the ANT archive and other corpora too large for the checkout;
``make bench`` and ``scripts/build_arabic_bigrams.py`` default to it. (The tests have the
same two paths in ``tests/conftest.py``, with a fixture that skips when it is absent.)
"""

from __future__ import annotations

from pathlib import Path

#: Root of the checkout (this file is ``benchmarks/corpora.py``).
ROOT = Path(__file__).resolve().parents[1]
#: Corpora shared beside the checkout.
SHARED_CORPORA = ROOT.parent / "shared" / "corpora"
#: The ANT multi-source archive: 31,525 articles of five outlets.
ANT_ARCHIVE = SHARED_CORPORA / "ant-multisource-v2.1.tar.gz"
