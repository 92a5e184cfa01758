"""Written forms: each counted (normalised) word shown as the corpus writes it.

Counting runs on the ``search`` normalisation, which folds أ إ آ into ا, ة into ه, ى into
ي and drops diacritics and tatweel: "المتحدة" is counted as "المتحده". Right for counting,
a misspelling to a reader. This module owns the way back: :func:`written_forms` finds, for
every normalised key, the written form the corpus uses most often, and
:func:`in_written_form` shows a table's words (terms, pairs, n-grams) in those forms while
keeping the keys in ``key`` columns for joining. The mapping is computed on the distinct
written forms only and cached beside the tokens (:func:`helpers.token_cache.cached_table`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .cleaning import normalize
from .token_cache import cached_table
from .tokens import tokenize

__all__ = ["TOKEN_COLUMNS", "in_written_form", "written_forms"]

#: Columns that hold counted words in the tables of the analyses: ``term`` (frequencies,
#: keyness, distinctive terms, Zipf, dispersion, trends), ``w1``/``w2`` (collocations) and
#: ``ngram`` (n-grams, words joined by spaces).
TOKEN_COLUMNS: tuple[str, ...] = ("term", "w1", "w2", "ngram")


def written_forms(texts: pd.Series, *, preset: str = "search",
                  cache_dir: str | os.PathLike | None = None) -> pd.Series:
    """The most frequent written form of every normalised token in ``texts``.

    The texts are tokenised with the light ``display`` preset (which keeps letters,
    hamzas, diacritics and tatweel as written); the distinct written forms are counted
    once over the whole corpus, each distinct form is normalised with ``preset`` to its key,
    and each key gets its most frequent form. Ties go to the form seen first in the corpus.
    A form whose normalisation is not exactly one token (where normalising would change
    where a word splits) is left out, so every key maps to a form of the same word.
    Cached on disk beside the tokens (keyed by the texts, the preset and the code).

    Args:
        texts: Series of str, the same texts the tokens come from (e.g. ``articles["body"]``
            after boilerplate removal).
        preset: the normalisation of the tokens' keys (that of :func:`helpers.tokenize`).
        cache_dir: folder of the cache files (default ``data/processed/``).

    Returns:
        Series of written forms indexed by key (index name ``key``, name ``written_form``),
        in the order the keys are first seen.

    >>> forms = written_forms(pd.Series(["قالت الحكومة", "الحكومة والحكومه"]))  # doctest: +SKIP
    >>> forms["الحكومه"]                                                       # doctest: +SKIP
    'الحكومة'
    """
    if not isinstance(texts, pd.Series):
        raise TypeError(f"written_forms needs a pandas Series of texts, got {type(texts).__name__}")
    table = cached_table(texts, "forms", lambda: _forms_table(texts, preset),
                         cache_dir=cache_dir, code=(sys.modules[__name__],), preset=preset)
    frame = table.select(["key", "form"]).to_pandas()
    return pd.Series(frame["form"].astype("str").to_numpy(), name="written_form",
                     index=pd.Index(frame["key"], dtype="str", name="key"), dtype="str")


def _forms_table(texts: pd.Series, preset: str) -> pa.Table:
    """Keys and their most frequent written forms (``key``, ``form``, ``count``)."""
    lists = tokenize(texts, preset="display").array.__arrow_array__()
    counts = pc.value_counts(pc.list_flatten(lists))  # distinct forms in first-seen order
    empty = pa.table({"key": pa.array([], pa.string()), "form": pa.array([], pa.string()),
                      "count": pa.array([], pa.int64())})
    if not len(counts):
        return empty
    forms = pd.Series(counts.field("values").to_pylist(), dtype="str")
    keys = normalize(forms, preset=preset) if preset is not None else forms
    # keep a form only if its key is one token, itself: the split agrees with the search tokens
    again = tokenize(keys, preset=None).array.__arrow_array__()
    single = pc.equal(pc.list_value_length(again), 1).to_numpy(zero_copy_only=False)
    same = np.zeros(len(keys), dtype=bool)
    if single.any():
        firsts = pc.list_flatten(pc.filter(again, pa.array(single))).to_numpy(zero_copy_only=False)
        same[single] = firsts == keys.to_numpy()[single]
    frame = pd.DataFrame({"key": keys.to_numpy(), "form": forms.to_numpy(),
                          "count": counts.field("counts").to_numpy().astype(np.int64),
                          "seen": np.arange(len(forms))})[same]
    if not len(frame):
        return empty
    # most frequent first, then first seen; the first row of each key is its form
    best = frame.sort_values(["count", "seen"], ascending=[False, True], kind="stable") \
        .drop_duplicates("key").sort_values("seen", kind="stable")
    return pa.table({"key": pa.array(best["key"].tolist(), pa.string()),
                     "form": pa.array(best["form"].tolist(), pa.string()),
                     "count": pa.array(best["count"].to_numpy(), pa.int64())})


def in_written_form(table: pd.DataFrame, forms: pd.Series,
                    columns: Iterable[str] | None = None) -> pd.DataFrame:
    """A copy of ``table`` with its words shown in their written forms, keys kept for joining.

    Each word of the ``columns`` (an n-gram word by word) is replaced by its form in
    ``forms``; a word ``forms`` does not know is left as it is. The normalised values go to
    key columns at the end of the table: ``key`` when one column is converted, else
    ``key_<column>`` (``key_w1``, ``key_w2`` for collocations). ``attrs`` are kept.

    Args:
        table: a table of :func:`helpers.frequencies`, :func:`helpers.ngrams`,
            :func:`helpers.collocations`, :func:`helpers.keyness`, ... (any DataFrame).
        forms: :func:`written_forms` of the texts the table was counted on.
        columns: the columns to convert (default: those of :data:`TOKEN_COLUMNS` present).

    Returns:
        The converted copy (same index, same column order, key columns appended).

    >>> forms = pd.Series({"المتحده": "المتحدة"})
    >>> in_written_form(pd.DataFrame({"ngram": ["الولايات المتحده"], "count": [3]}), forms)
                  ngram  count               key
    0  الولايات المتحدة      3  الولايات المتحده
    """
    out = table.copy()
    out.attrs = dict(table.attrs)
    chosen = [c for c in (TOKEN_COLUMNS if columns is None else columns) if c in table.columns]
    if not chosen:
        return out
    for name in chosen:
        out[name] = _written(table[name], forms)
    for name in chosen:
        out["key" if len(chosen) == 1 else f"key_{name}"] = table[name]
    return out


def _written(column: pd.Series, forms: pd.Series) -> pd.Series:
    """``column`` with each space-separated word replaced by its form (unknown words kept)."""
    present = column.notna().to_numpy()
    words = pc.split_pattern(pa.array(column[present].astype(str).to_numpy(dtype=object),
                                      pa.string()), " ")
    flat = pc.list_flatten(words).to_numpy(zero_copy_only=False).astype(object)
    # the lookup table of forms' own index is built once and kept with it: later tables are fast
    where = forms.index.get_indexer(flat) if len(forms) else np.full(len(flat), -1)
    found = where >= 0
    flat[found] = forms.iloc[where[found]].to_numpy(dtype=object)
    joined = pc.binary_join(pa.ListArray.from_arrays(words.offsets, pa.array(flat, pa.string())), " ")
    out = column.copy()
    out[present] = joined.to_numpy(zero_copy_only=False)
    return out
