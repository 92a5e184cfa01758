"""Sentence pieces shared by the "what we saw" modules of :mod:`helpers.prose`.

Each returns finished HTML for a sentence (numbers in bold, thousands separated); corpus
values are isolated with :func:`helpers.display.bdi` by the callers, never here.

>>> counted(3, "article")
'<b>3</b> articles'
>>> counted(1, "category", "categories")
'<b>1</b> category'
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

#: below this many articles the sections add that the numbers are anecdotes
FEW_ARTICLES = 30


def counted(k: int | float, word: str, plural: str | None = None) -> str:
    """``<b>3</b> articles``, ``<b>1</b> article``: a count in bold with its noun.

    Args:
        k: the count (shown as an int, thousands separated).
        word: the noun in the singular.
        plural: the plural when it is not ``word + "s"``.

    Returns:
        HTML text.
    """
    k = int(k)
    return f"<b>{k:,}</b> {word if k == 1 else (plural or word + 's')}"


def capitalised(sentence: str) -> str:
    """The sentence with its first letter upper-cased (the rest untouched).

    >>> capitalised("after keeping source = BBC, the corpus holds")
    'After keeping source = BBC, the corpus holds'
    """
    return sentence[:1].upper() + sentence[1:]


def few_articles(n: int) -> str:
    """The closing sentence of a section over fewer than :data:`FEW_ARTICLES` articles.

    >>> few_articles(1).startswith("With <b>1</b> article these are anecdotes")
    True
    """
    return (f"With {counted(n, 'article')} these are anecdotes, not findings: run the report "
            "on a larger corpus (<code>make report CORPUS=...</code>) for distributions.")


def ties(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """The rows sharing the first row's value of ``column`` (the table is sorted by it).

    >>> ties(pd.DataFrame({"term": ["غزة", "مصر", "قطر"], "count": [5, 5, 2]}), "count")["term"].tolist()
    ['غزة', 'مصر']
    """
    return table[table[column] == table[column].iloc[0]]


def finite(x: Any) -> bool:
    """Whether ``x`` is a finite number (None, NaN, text: False).

    >>> finite(-0.98), finite(float("nan")), finite(None)
    (True, False, False)
    """
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False
