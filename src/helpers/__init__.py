"""Helpers for loading, cleaning, counting and charting Arabic news corpora.

Everything a notebook needs is importable from here::

    import helpers
    articles, report = helpers.load_corpus("data/raw")
    articles["clean"] = helpers.normalize(articles["body"], preset="search")
    tokens = helpers.tokenize(articles["clean"])

Names are resolved lazily, so ``import helpers`` is instant and pulls in pandas,
matplotlib or nbconvert only when a function that needs them is first used.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

__version__ = "0.1.0"

# public name -> module that defines it (each module lists its own names in __all__)
_EXPORTS: dict[str, str] = {}
_MODULES = (
    "corpus",
    "token_cache",
    "cleaning",
    "tokens",
    "display",
    "overview",
    "stats",
    "association",
    "concordance",
    "duplicates",
    "topicmodels",
    "rtl",
    "compare",
    "streaming",
    "findings",
)
# submodules reachable as attributes (helpers.charts, helpers.paths, ...)
_SUBMODULES = {
    "paths", "resources", "corpus", "token_cache", "cleaning", "tokens", "display", "overview", "reports",
    "rtl", "charts",
    "stats", "association",
    "concordance", "duplicates", "topicmodels",
    "compare",
    "streaming",
    "findings",
}


_ALL = re.compile(r"^__all__\s*=\s*([\[(].*?[\])])", re.S | re.M)


def _exports() -> dict[str, str]:
    """Public name -> module, read from each module's ``__all__`` in its source (importing
    every module to learn its names would pull matplotlib, scikit-learn and nbconvert into
    a notebook that asked for ``helpers.load_corpus``: over a second per kernel)."""
    if not _EXPORTS:
        here = Path(__file__).parent
        for mod in _MODULES:
            source = here / mod / "__init__.py" if (here / mod).is_dir() else here / f"{mod}.py"
            found = _ALL.search(source.read_text(encoding="utf-8"))
            for name in ast.literal_eval(found.group(1)) if found else ():
                _EXPORTS[name] = mod
    return _EXPORTS


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name.startswith("_"):
        raise AttributeError(name)
    mod = _exports().get(name)
    if mod is None:
        raise AttributeError(f"module 'helpers' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{mod}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_exports()) | _SUBMODULES)
