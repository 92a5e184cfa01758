"""Every path the project uses, built from the project root in one place."""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the checkout (the folder holding ``pyproject.toml``). Overridable with
#: ``ARABIC_NEWS_ROOT`` for installs outside the checkout.
ROOT = Path(os.environ.get("ARABIC_NEWS_ROOT", Path(__file__).resolve().parents[2]))

DATA = ROOT / "data"
#: Input corpora; never edited by the project.
RAW = DATA / "raw"
#: The user's own sample article, bundled with the project.
SAMPLE = RAW / "000_cf9720c646c5849c.txt"
#: Derived data: the Parquet cache of parsed corpora and cleaned corpora (ignored by git).
PROCESSED = DATA / "processed"
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
