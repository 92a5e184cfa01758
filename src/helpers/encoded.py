"""The integer encoding of tokens, shared by every counting module.

A Series of token lists (what :func:`helpers.tokenize` returns: one list per article, same
index as the articles) is flattened once into an integer array, one code per token, and a
vocabulary (:class:`Encoded`); every count of :mod:`helpers.stats`,
:mod:`helpers.ngram_counts`, :mod:`helpers.timelines`, :mod:`helpers.association`,
:mod:`helpers.duplicates`, :mod:`helpers.topicmodels` and :mod:`helpers.streaming` is then a
:func:`numpy.bincount`, a sort of packed integer keys or a product of sparse matrices
(:mod:`scipy.sparse`); nothing loops over tokens in Python.

This module owns :func:`encode` and its cache, and the small engines the analyses share:
group ids per article (:func:`group_codes`, :func:`indicator`), the stopword mask
(:func:`stop_mask`) and the sorting of integer keys (:func:`sort_order`,
:func:`distinct_counts`, :func:`bits_needed`).

The encoding of the last few Series seen is cached (keyed by the object, dropped when it is
garbage collected), so calling several analyses on the same ``tokens`` encodes them once,
and a selection of its rows (``tokens[articles["source"] == "bbc"]``) is encoded from the
cached codes. Token lists are taken as immutable: modify a list in place and the cache is
stale (make a new Series instead).

>>> encode(pd.Series([["قال", "الوزير"], ["قال"]])).codes.tolist()
[0, 1, 0]
"""

from __future__ import annotations

import itertools
import os
import weakref
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import sparse

from .tokens import stopwords as project_stopwords

__all__ = ["Encoded", "encode"]


@dataclass(frozen=True, eq=False)
class Encoded:
    """A token Series flattened to integer codes (shared by the counting modules).

    ``codes[i]`` is the vocabulary id of the i-th token of the corpus (articles in index
    order), ``vocab[code]`` its text; vocabulary ids are numbered in order of first
    appearance. Article ``d`` holds tokens ``indptr[d]:indptr[d + 1]``; ``index`` is the
    index of the token Series.
    """

    codes: np.ndarray
    vocab: np.ndarray
    indptr: np.ndarray
    index: pd.Index

    @property
    def n_docs(self) -> int:
        return len(self.indptr) - 1

    @property
    def n_tokens(self) -> int:
        return len(self.codes)

    @property
    def n_types(self) -> int:
        return len(self.vocab)

    @cached_property
    def lengths(self) -> np.ndarray:
        return np.diff(self.indptr)

    @cached_property
    def doc_of(self) -> np.ndarray:
        """Row number of the article each token belongs to."""
        return np.repeat(np.arange(self.n_docs, dtype=np.int64), self.lengths)

    @cached_property
    def position(self) -> np.ndarray:
        """Offset of each token inside its article (0 for the first token)."""
        return np.arange(self.n_tokens, dtype=np.int64) - self.indptr[:-1][self.doc_of]

    @cached_property
    def term_index(self) -> pd.Index:
        """term -> vocabulary id lookup."""
        return pd.Index(self.vocab)

    @cached_property
    def matrix(self) -> sparse.csr_matrix:
        """Articles x vocabulary count matrix (CSR, int64, duplicates summed)."""
        data = np.ones(self.n_tokens, dtype=np.int64)
        m = sparse.csr_matrix(
            (data, self.codes, self.indptr), shape=(self.n_docs, self.n_types)
        )
        m.sum_duplicates()
        return m

    @cached_property
    def counts(self) -> np.ndarray:
        return np.bincount(self.codes, minlength=self.n_types)

    @cached_property
    def doc_freq(self) -> np.ndarray:
        return np.bincount(self.matrix.indices, minlength=self.n_types)

    def _prime(self, **values: np.ndarray) -> Encoded:
        """Store already computed cached properties (``counts``, ``doc_freq``)."""
        self.__dict__.update(values)
        return self

    def code_of(self, terms: Iterable[str]) -> np.ndarray:
        """Vocabulary ids of ``terms`` (-1 for a term not in the corpus)."""
        return self.term_index.get_indexer(list(terms))

    def term_counts(self, terms: Iterable[str]) -> np.ndarray:
        """Articles x ``terms`` counts, dense; zeros for a term not in the corpus (also when
        the corpus has no word at all)."""
        cols = self.code_of(terms)
        out = np.zeros((self.n_docs, len(cols)), dtype=np.int64)
        known = np.flatnonzero(cols >= 0)
        if len(known):
            out[:, known] = self.matrix[:, cols[known]].toarray()
        return out


_CACHE: dict[int, tuple[weakref.ref, Encoded]] = {}
_CACHE_SIZE = 4


def _as_lists(tokens) -> pd.Series:
    if isinstance(tokens, pd.Series):
        return tokens
    return pd.Series(list(tokens), dtype=object)


def _factorize_arrow(lists: list, n_tokens: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Codes and vocabulary (first-appearance order, as :func:`pandas.factorize` gives) of
    the flattened token lists, hashed by Arrow on UTF-8 buffers (several times faster than
    hashing 10 million Python strings); ``(None, None)`` when the tokens are not all strings
    (then :func:`pandas.factorize` is used)."""
    if not n_tokens:
        return None, None
    import pyarrow as pa

    try:
        flat = pa.array(lists, pa.large_list(pa.large_string())).flatten()
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return None, None
    if flat.null_count or len(flat) != n_tokens:
        return None, None
    encoded = flat.dictionary_encode()
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    vocab = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    return codes, vocab


def encode(tokens) -> Encoded:
    """Flatten a Series of token lists to integer codes (cached per Series object).

    Args:
        tokens: Series of token lists (missing values count as empty articles), or any
            sequence of token lists.

    Returns:
        :class:`Encoded`.

    >>> encode(pd.Series([["في", "غزة"], ["غزة"]])).codes.tolist()
    [0, 1, 1]
    """
    series = _as_lists(tokens)
    key = id(series)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is series and len(hit[1].index) == len(series):
        return hit[1]
    enc = _from_arrow_parent(series) if isinstance(series.dtype, pd.ArrowDtype) else None
    if enc is None:
        enc = _encode_arrow(series)
    if enc is not None:
        _remember(key, series, enc)
        return enc
    lists = [t if isinstance(t, (list, tuple, np.ndarray)) else () for t in series.tolist()]
    enc = _from_cached_parent(series, lists) if isinstance(tokens, pd.Series) else None
    if enc is None:
        lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        codes, vocab = _factorize_arrow(lists, int(lengths.sum()))
        if codes is None:
            flat = np.empty(int(lengths.sum()), dtype=object)
            flat[:] = list(itertools.chain.from_iterable(lists))
            if len(flat):
                codes, vocab = pd.factorize(flat)
                codes = codes.astype(np.int64, copy=False)
                vocab = np.asarray(vocab, dtype=object)
            else:
                codes, vocab = np.empty(0, dtype=np.int64), np.empty(0, dtype=object)
        indptr = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        enc = Encoded(codes, vocab, indptr, series.index)
    if isinstance(tokens, pd.Series):
        _remember(key, series, enc)
    return enc


def _remember(key: int, series: pd.Series, enc: Encoded) -> None:
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (weakref.ref(series, lambda ref, k=key: _forget(k, ref)), enc)


def _encode_arrow(series: pd.Series) -> Encoded | None:
    """:func:`encode` for token lists stored in Arrow (what :func:`helpers.tokenize` returns):
    flattened and hashed on the Arrow buffers, no Python string is made except one per
    distinct term. ``None`` for any other storage, or tokens that are not all strings."""
    dtype = series.dtype
    if not isinstance(dtype, pd.ArrowDtype):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    list_type = dtype.pyarrow_dtype
    if not (pa.types.is_list(list_type) or pa.types.is_large_list(list_type)):
        return None
    if not (pa.types.is_string(list_type.value_type) or pa.types.is_large_string(list_type.value_type)):
        return None
    lists = series.array.__arrow_array__()
    n_tokens = int(sum(pc.sum(pc.list_value_length(c)).as_py() or 0 for c in lists.chunks))
    workers = min(os.cpu_count() or 1, 8) if n_tokens >= _PARALLEL_TOKENS else 1
    parts = 4 * workers if workers > 1 else 1
    bounds = np.linspace(0, len(lists), parts + 1).astype(np.int64)
    pieces = [lists.slice(a, b - a) for a, b in zip(bounds[:-1], bounds[1:])]
    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            done = list(pool.map(_encode_part, pieces))
    else:
        done = [_encode_part(p) for p in pieces]
    if any(d is None for d in done):
        return None
    lengths = np.concatenate([d[0] for d in done])
    indptr = np.zeros(len(series) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    # the parts' vocabularies, each in first-appearance order, merged in corpus order: the
    # merged ids are in first-appearance order over the whole corpus, as pd.factorize gives
    merged = pa.chunked_array([d[2] for d in done], type=pa.large_string()).combine_chunks().dictionary_encode()
    remap = merged.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    n_types = len(merged.dictionary)
    at = np.cumsum([0] + [len(d[2]) for d in done])
    codes = np.concatenate([remap[at[i]:at[i + 1]][d[1]] for i, d in enumerate(done)])
    counts = np.bincount(remap, weights=np.concatenate([d[3] for d in done]), minlength=n_types)
    doc_freq = np.bincount(remap, weights=np.concatenate([d[4] for d in done]), minlength=n_types)
    vocab = np.asarray(merged.dictionary.to_numpy(zero_copy_only=False), dtype=object)
    return Encoded(codes, vocab, indptr, series.index)._prime(
        counts=counts.astype(np.int64), doc_freq=doc_freq.astype(np.int64))


#: Below this many tokens :func:`encode` hashes in one thread (threads cost more than they save).
_PARALLEL_TOKENS = 200_000


def _encode_part(lists) -> tuple | None:
    """Lengths, local codes, local vocabulary (large_string), counts and document
    frequencies of one slice of Arrow token lists (runs in a thread: Arrow's hashing and
    NumPy's sort release the GIL). ``None`` when a token is missing."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = lists.chunks if isinstance(lists, pa.ChunkedArray) else [lists]
    value_type = lists.type.value_type
    lengths = np.concatenate([np.zeros(0, dtype=np.int64)] + [
        pc.fill_null(pc.list_value_length(c), 0).to_numpy(zero_copy_only=False).astype(np.int64)
        for c in chunks])
    flat = pa.chunked_array([c.flatten() for c in chunks], type=value_type)
    if flat.null_count:
        return None
    # one hash table for all the chunks: every chunk's dictionary is the whole vocabulary
    encoded = flat.dictionary_encode()
    dictionary = encoded.chunk(0).dictionary if encoded.num_chunks else pa.array([], value_type)
    codes = np.concatenate([np.zeros(0, dtype=np.int32)] + [
        c.indices.to_numpy(zero_copy_only=False) for c in encoded.chunks])
    dictionary = dictionary.cast(pa.large_string())
    n_local = len(dictionary)
    return (lengths, codes, dictionary, np.bincount(codes, minlength=n_local),
            _doc_freq(codes, lengths, n_local))


def _doc_freq(codes: np.ndarray, lengths: np.ndarray, n_types: int) -> np.ndarray:
    """Articles containing each term: the distinct (article, term) pairs, found by sorting
    packed keys (32-bit when article and term numbers fit: NumPy's SIMD sort is fastest)."""
    if not len(codes):
        return np.zeros(n_types, dtype=np.int64)
    term_bits = max(int(n_types - 1).bit_length(), 1)
    doc_bits = max(int(len(lengths) - 1).bit_length(), 1)
    kind = np.uint32 if term_bits + doc_bits <= 32 else np.uint64
    doc = np.repeat(np.arange(len(lengths), dtype=kind), lengths)
    keys = np.sort((doc << kind(term_bits)) | codes.astype(kind))
    first = np.empty(len(keys), dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    return np.bincount((keys[first] & kind((1 << term_bits) - 1)).astype(np.int64), minlength=n_types)


def clear_cache() -> None:
    """Forget every cached encoding, so that the next call encodes its tokens again (for
    benchmarks that time the encoding itself)."""
    _CACHE.clear()


def _forget(key: int, ref: weakref.ref) -> None:
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is ref:
        del _CACHE[key]


def _from_cached_parent(series: pd.Series, lists: list) -> Encoded | None:
    """Encode a selection of rows of an already encoded Series from the parent's codes.

    ``tokens[mask]`` holds the very same list objects as ``tokens``; when every row is
    found (by index label, and checked by identity) in a cached Series, its codes are
    gathered from the parent's and renumbered (a factorize of integers, not of strings).
    """
    if not len(lists):
        return None
    for ref, parent_enc in list(_CACHE.values()):
        parent = ref()
        if parent is None or parent is series or not parent.index.is_unique:
            continue
        pos = parent.index.get_indexer(series.index)
        if (pos < 0).any():
            continue
        if isinstance(parent.dtype, pd.ArrowDtype) or isinstance(series.dtype, pd.ArrowDtype):
            continue
        parent_rows = parent.to_numpy()[pos]
        if not all(a is b for a, b in zip(parent_rows, series.tolist())):
            continue
        return _gather(parent_enc, pos, series.index)
    return None


def _from_arrow_parent(series: pd.Series) -> Encoded | None:
    """:func:`_from_cached_parent` for Arrow token lists (``tokens[is_target]``): the rows
    are found by index label in a cached Arrow Series and checked equal there (Arrow
    compares buffers: much cheaper than hashing the strings again)."""
    import pyarrow as pa

    if not len(series):
        return None
    mine = None
    for ref, parent_enc in list(_CACHE.values()):
        parent = ref()
        if (parent is None or parent is series or not isinstance(parent.dtype, pd.ArrowDtype)
                or parent.dtype != series.dtype or not parent.index.is_unique):
            continue
        pos = parent.index.get_indexer(series.index)
        if (pos < 0).any():
            continue
        mine = series.array.__arrow_array__() if mine is None else mine
        if not parent.array.__arrow_array__().take(pa.array(pos)).equals(mine):
            continue
        return _gather(parent_enc, pos, series.index)
    return None


def _gather(parent: Encoded, pos: np.ndarray, index: pd.Index) -> Encoded:
    """The encoding of rows ``pos`` of an encoded Series: the parent's codes gathered and
    renumbered in order of first appearance (a factorize of integers, not of strings)."""
    lengths = parent.lengths[pos]
    indptr = np.zeros(len(pos) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    total = int(indptr[-1])
    gather = np.arange(total, dtype=np.int64) + np.repeat(parent.indptr[pos] - indptr[:-1], lengths)
    if not total:
        return Encoded(np.empty(0, dtype=np.int64), np.empty(0, dtype=object), indptr, index)
    old = parent.codes[gather]
    first = np.full(parent.n_types, total, dtype=np.int64)  # first position of each old id
    np.minimum.at(first, old, np.arange(total, dtype=np.int64))
    kept = np.flatnonzero(first < total)
    kept = kept[np.argsort(first[kept], kind="stable")]  # old ids in order of first appearance
    new = np.empty(parent.n_types, dtype=np.int64)
    new[kept] = np.arange(len(kept), dtype=np.int64)
    return Encoded(new[old], parent.vocab[kept], indptr, index)


def group_codes(by, enc: Encoded) -> tuple[np.ndarray, pd.Index, str]:
    """Group id per article (0..G-1), the group labels and the column name for them."""
    if by is None:
        return np.zeros(enc.n_docs, dtype=np.int64), pd.Index(["all"]), "group"
    if isinstance(by, pd.Series):
        name = by.name if by.name is not None else "group"
        values = by.reindex(enc.index) if not by.index.equals(enc.index) else by
    else:
        name = "group"
        values = pd.Series(list(by) if not isinstance(by, np.ndarray) else by)
        if len(values) != enc.n_docs:
            raise ValueError(f"`by` has {len(values)} values for {enc.n_docs} articles")
    codes, labels = pd.factorize(values, use_na_sentinel=False, sort=True)
    return codes.astype(np.int64), pd.Index(labels), str(name)


def indicator(groups: np.ndarray, n_groups: int) -> sparse.csr_matrix:
    """Groups x articles 0/1 matrix."""
    n = len(groups)
    return sparse.csr_matrix(
        (np.ones(n, dtype=np.int64), (groups, np.arange(n))), shape=(n_groups, n)
    )


def stop_mask(enc, stopwords: Iterable[str] | bool | None) -> np.ndarray:
    """Boolean per vocabulary id: is the term a stopword?

    Args:
        enc: an :class:`Encoded`, or anything with ``vocab`` and ``n_types`` (the merged
            counts of :class:`helpers.streaming.CorpusCounts`).
        stopwords: the stopword set; ``None`` or ``True``: :func:`helpers.stopwords` (the
            ``arabic-stopwords`` list in the ``search`` form the tokens are in).
    """
    words = project_stopwords() if stopwords is None or stopwords is True else stopwords
    return pd.Index(enc.vocab).isin(list(words)) if enc.n_types else np.zeros(0, bool)


def bits_needed(n: int) -> int:
    """Bits needed to number ``n`` values (0..n-1); at least 1."""
    return max(int(n - 1).bit_length(), 1)


def distinct_counts(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of a sorted array and how often each occurs."""
    if not len(sorted_keys):
        return sorted_keys, np.empty(0, dtype=np.int64)
    edges = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1], True])
    return sorted_keys[edges[:-1]], np.diff(edges)


def sort_order(key: np.ndarray, key_bits: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A stable argsort of non-negative int64 keys, and the sorted keys: ``(order, key[order])``.

    When a key and its position fit together in 63 bits this is a plain sort of
    ``key << bits | position`` (NumPy's sort is several times faster than argsort), done in
    place in one new array; otherwise ``np.argsort(kind="stable")``.

    Args:
        key: the keys (not modified).
        key_bits: bits the keys need (default: those of the largest).
    """
    n = len(key)
    pos_bits = bits_needed(max(n, 1))
    if key_bits is None:
        key_bits = max(int(key.max()).bit_length(), 1) if n else 1
    if key_bits + pos_bits <= 63:
        ordered = key << pos_bits
        ordered |= np.arange(n, dtype=np.int64)
        ordered.sort()
        order = ordered & np.int64((1 << pos_bits) - 1)
        ordered >>= pos_bits
        return order, ordered
    order = np.argsort(key, kind="stable")
    return order, key[order]

