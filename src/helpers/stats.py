"""Corpus statistics over token lists: summary, frequencies, n-grams, Zipf/Heaps, diversity,
dispersion and trends.

Every function takes the Series of token lists that :func:`helpers.tokenize` returns (one
list per article, same index as the articles) and returns a DataFrame with documented
columns. Nothing loops over tokens in Python: the token lists are flattened once into an
integer array (one code per token, :func:`pandas.factorize`) and every count is a
:func:`numpy.bincount` or a product of sparse matrices (:mod:`scipy.sparse`). The encoding of
the last few Series seen is cached (keyed by the object, dropped when it is garbage
collected), so calling several analyses on the same ``tokens`` encodes them once, and a
selection of its rows (``tokens[articles["source"] == "bbc"]``) is encoded from the
cached codes. Token lists are taken as immutable: modify a list in place and the cache is
stale (make a new Series instead).

>>> tokens = pd.Series([["قال", "الوزير"], ["قال", "الرئيس", "قال"]])
>>> frequencies(tokens)[["term", "count", "doc_freq"]].head(1).to_dict("records")
[{'term': 'قال', 'count': 3, 'doc_freq': 2}]
"""

from __future__ import annotations

import itertools
import os
import weakref
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = [
    "subset",
    "corpus_stats",
    "length_distribution",
    "frequencies",
    "ngrams",
    "zipf",
    "heaps",
    "diversity",
    "dispersion",
    "dispersion_positions",
    "trends",
]


# --------------------------------------------------------------------------- encoding


@dataclass(frozen=True, eq=False)
class Encoded:
    """A token Series flattened to integer codes (shared by the statistics modules).

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


def _group_codes(by, enc: Encoded) -> tuple[np.ndarray, pd.Index, str]:
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


def _indicator(groups: np.ndarray, n_groups: int) -> sparse.csr_matrix:
    """Groups x articles 0/1 matrix."""
    n = len(groups)
    return sparse.csr_matrix(
        (np.ones(n, dtype=np.int64), (groups, np.arange(n))), shape=(n_groups, n)
    )


def default_stopwords() -> frozenset[str]:
    """The project's stopword list, in the same normalised form as the tokens.

    Taken from :mod:`helpers.tokens` when it provides one, otherwise from the
    ``arabic-stopwords`` package normalised with the ``search`` preset.
    """
    return _default_stopwords()


_STOPWORDS: list[frozenset[str]] = []


def _default_stopwords() -> frozenset[str]:
    if _STOPWORDS:
        return _STOPWORDS[0]
    words: Iterable[str] | None = None
    try:
        from . import tokens as _tokens

        for name in ("STOPWORDS", "stopwords", "stopword_set", "arabic_stopwords"):
            obj = getattr(_tokens, name, None)
            if obj is None:
                continue
            words = obj() if callable(obj) else obj
            break
    except ImportError:
        pass
    if words is None:
        import arabicstopwords.arabicstopwords as _asw

        words = _asw.stopwords_list()
        try:
            from .cleaning import normalize

            words = normalize(pd.Series(list(words), dtype=object), preset="search")
        except ImportError:
            pass
    _STOPWORDS.append(frozenset(str(w) for w in words))
    return _STOPWORDS[0]


def _stop_mask(enc: Encoded, stopwords) -> np.ndarray:
    """Boolean per vocabulary id: is the term a stopword?"""
    words = _default_stopwords() if stopwords is None or stopwords is True else stopwords
    return pd.Index(enc.vocab).isin(list(words)) if enc.n_types else np.zeros(0, bool)


def _month(dates: pd.Series, freq: str = "M") -> pd.Series:
    """Start of the week/month each date falls in (naive UTC timestamps), NaT kept."""
    freq = {"month": "M", "week": "W", "day": "D", "year": "Y"}.get(freq, freq)
    d = pd.to_datetime(dates, utc=True)
    return d.dt.tz_convert(None).dt.to_period(freq).dt.start_time


# --------------------------------------------------------------------------- filtering


def _utc(value) -> pd.Timestamp:
    t = pd.Timestamp(value)
    return t.tz_localize("UTC") if t.tzinfo is None else t.tz_convert("UTC")


def subset(
    articles: pd.DataFrame,
    *,
    source: str | Iterable[str] | None = None,
    category: str | Iterable[str] | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    date: str = "date",
) -> pd.DataFrame:
    """The articles of some sources / categories / dates (``None``: no condition).

    Args:
        articles: articles DataFrame.
        source: a source or several (compared case-insensitively).
        category: a category or several (case-insensitively).
        start: first day kept (inclusive, UTC); articles without a date are dropped when
            ``start`` or ``end`` is given.
        end: last day kept (inclusive).
        date: name of the date column.

    Returns:
        The matching rows (index kept; the input is not modified).

    >>> a = pd.DataFrame({"source": ["BBC", "cnn"], "date": pd.to_datetime(["2018-01-01", "2019-01-01"], utc=True)})
    >>> subset(a, source="bbc").index.tolist(), subset(a, start="2018-06-01").index.tolist()
    ([0], [1])
    """
    keep = pd.Series(True, index=articles.index)
    for col, wanted in (("source", source), ("category", category)):
        if wanted is None:
            continue
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        keep &= articles[col].astype("string").str.lower().isin([str(v).lower() for v in values]).fillna(False)
    if start is not None or end is not None:
        d = pd.to_datetime(articles[date], utc=True)  # NaT compares False: dropped
        if start is not None:
            keep &= d >= _utc(start)
        if end is not None:
            keep &= d < _utc(end) + pd.Timedelta(days=1)
    return articles[keep.to_numpy(dtype=bool)]


# --------------------------------------------------------------------------- 1 summary


def corpus_stats(articles: pd.DataFrame, tokens, *, by: Sequence[str] = ("source", "category", "month")) -> pd.DataFrame:
    """Articles, tokens, types and article lengths overall and per group.

    Args:
        articles: articles DataFrame (the columns named in ``by``; ``month`` is derived
            from ``date``).
        tokens: Series of token lists aligned with ``articles``.
        by: groupings to report after the corpus-wide row.

    Returns:
        DataFrame with columns ``by`` (``"all"`` or the grouping column), ``group`` (its
        value, as text), ``articles``, ``tokens``, ``types``, ``mean_length``,
        ``median_length`` (tokens per article), ``min_length``, ``max_length``.

    >>> arts = pd.DataFrame({"source": ["a", "b"]})
    >>> corpus_stats(arts, pd.Series([["في", "غزة"], ["غزة"]]), by=["source"])["types"].tolist()
    [2, 2, 1]
    """
    enc = encode(tokens)
    lengths = pd.Series(enc.lengths, index=enc.index)
    binary = enc.matrix.copy()
    binary.data[:] = 1
    blocks = []
    groupings = [("all", None)] + [(b, b) for b in by]
    for label, col in groupings:
        if col is None:
            values = None
        elif col == "month" and "month" not in articles.columns:
            values = _month(articles["date"]).dt.strftime("%Y-%m").reindex(enc.index)
            values.name = "month"
        else:
            values = articles[col].reindex(enc.index)
        groups, labels, _ = _group_codes(values, enc)
        ind = _indicator(groups, len(labels))
        types = np.diff((ind @ binary).indptr)
        stats = lengths.groupby(groups).agg(["size", "sum", "mean", "median", "min", "max"])
        blocks.append(
            pd.DataFrame(
                {
                    "by": label,
                    "group": [str(x) if not pd.isna(x) else "(missing)" for x in labels[stats.index]],
                    "articles": stats["size"].to_numpy(),
                    "tokens": stats["sum"].to_numpy(),
                    "types": types[stats.index],
                    "mean_length": stats["mean"].to_numpy(),
                    "median_length": stats["median"].to_numpy(),
                    "min_length": stats["min"].to_numpy(),
                    "max_length": stats["max"].to_numpy(),
                }
            )
        )
    return pd.concat(blocks, ignore_index=True)


def length_distribution(tokens, *, by=None, bins: int | Sequence[float] = 20) -> pd.DataFrame:
    """Histogram of article lengths in tokens, overall or per group.

    Args:
        tokens: Series of token lists.
        by: optional Series of group labels aligned with ``tokens`` (e.g. the source).
        bins: number of equal-width bins, or the bin edges (shared by all groups).

    Returns:
        DataFrame with columns ``group``, ``bin_left``, ``bin_right``, ``articles``.

    >>> length_distribution(pd.Series([["في"], ["في", "غزة"]]), bins=2)["articles"].tolist()
    [1, 1]
    """
    enc = encode(tokens)
    lengths = enc.lengths
    edges = np.histogram_bin_edges(lengths, bins=bins)
    groups, labels, name = _group_codes(by, enc)
    blocks = []
    for g, label in enumerate(labels):
        hist, _ = np.histogram(lengths[groups == g], bins=edges)
        blocks.append(
            pd.DataFrame({name: label, "bin_left": edges[:-1], "bin_right": edges[1:], "articles": hist})
        )
    return pd.concat(blocks, ignore_index=True)


# --------------------------------------------------------------------------- 2 frequencies


def frequencies(
    tokens,
    by=None,
    *,
    drop_stopwords: bool = False,
    stopwords: Iterable[str] | None = None,
    min_count: int = 1,
    top: int | None = None,
) -> pd.DataFrame:
    """Frequency list: how often each term occurs and in how many articles.

    Args:
        tokens: Series of token lists (from :func:`helpers.tokenize`).
        by: optional Series of group labels aligned with ``tokens`` (e.g.
            ``articles["source"]``): one block of rows per group.
        drop_stopwords: leave stopwords out of the list (they still count in the
            ``per_million`` denominator, which is always the number of tokens).
        stopwords: the stopword set to use (default: :func:`default_stopwords`).
        min_count: keep terms occurring at least this often (per group).
        top: keep the ``top`` most frequent terms (per group).

    Returns:
        DataFrame with columns ``term``, ``count``, ``per_million`` (count per million
        tokens of the corpus or group), ``doc_freq`` (articles containing the term), sorted
        by count (ties in order of first appearance); with ``by``, a first column named
        after ``by`` and one block per group in sorted group order.

    >>> frequencies(pd.Series([["غزة", "في"], ["غزة"]]))[["term", "count", "per_million"]].values.tolist()
    [['غزة', 2, 666666.6666666666], ['في', 1, 333333.3333333333]]
    """
    enc = encode(tokens)
    keep = np.ones(enc.n_types, dtype=bool)
    if drop_stopwords:
        keep &= ~_stop_mask(enc, stopwords)
    if by is None:
        counts, dfreq = enc.counts, enc.doc_freq
        order = np.flatnonzero(keep & (counts >= min_count))
        order = order[np.argsort(-counts[order], kind="stable")]
        if top is not None:
            order = order[:top]
        total = enc.n_tokens
        return pd.DataFrame(
            {
                "term": enc.vocab[order],
                "count": counts[order],
                "per_million": counts[order] / total * 1e6 if total else np.zeros(len(order)),
                "doc_freq": dfreq[order],
            }
        )
    groups, labels, name = _group_codes(by, enc)
    ind = _indicator(groups, len(labels))
    counts = (ind @ enc.matrix).tocsr()
    binary = enc.matrix.copy()
    binary.data[:] = 1
    dfreq = (ind @ binary).tocsr()
    totals = np.bincount(groups, weights=enc.lengths, minlength=len(labels))
    blocks = []
    for g, label in enumerate(labels):
        row = counts.getrow(g)
        cols, cnt = row.indices, row.data
        dfr = dfreq.getrow(g)
        ok = keep[cols] & (cnt >= min_count)
        cols, cnt = cols[ok], cnt[ok]
        # ties in order of first appearance, like the ungrouped list
        order = np.lexsort((cols, -cnt))
        if top is not None:
            order = order[:top]
        cols, cnt = cols[order], cnt[order]
        d = np.zeros(enc.n_types, dtype=np.int64)
        d[dfr.indices] = dfr.data
        blocks.append(
            pd.DataFrame(
                {
                    name: label,
                    "term": enc.vocab[cols],
                    "count": cnt,
                    "per_million": cnt / totals[g] * 1e6 if totals[g] else np.zeros(len(cnt)),
                    "doc_freq": d[cols],
                }
            )
        )
    return pd.concat(blocks, ignore_index=True)


# --------------------------------------------------------------------------- 3 n-grams


def _bits(n: int) -> int:
    return max(int(n - 1).bit_length(), 1)


def _runs(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of a sorted array and how often each occurs."""
    if not len(sorted_keys):
        return sorted_keys, np.empty(0, dtype=np.int64)
    edges = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1], True])
    return sorted_keys[edges[:-1]], np.diff(edges)


def _sort_order(key: np.ndarray, key_bits: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A stable argsort of non-negative int64 keys, and the sorted keys: ``(order, key[order])``.

    When a key and its position fit together in 63 bits this is a plain sort of
    ``key << bits | position`` (NumPy's sort is several times faster than argsort), done in
    place in one new array; otherwise ``np.argsort(kind="stable")``.

    Args:
        key: the keys (not modified).
        key_bits: bits the keys need (default: those of the largest).
    """
    n = len(key)
    pos_bits = _bits(max(n, 1))
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


def _dense(key: np.ndarray, key_bits: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted distinct keys, rank of each key among them, count of each distinct key).

    When the key and the position fit together in 63 bits, the argsort is a plain sort of
    ``key << pos_bits | position`` (numpy's sort is several times faster than argsort).
    """
    n = len(key)
    order, ordered = _sort_order(key, key_bits)
    new = np.empty(n, dtype=bool)
    if n:
        new[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    distinct = ordered[new]
    del ordered
    rank_sorted = np.cumsum(new, dtype=np.int64)
    rank_sorted -= 1
    rank = np.empty(n, dtype=np.int64)
    rank[order] = rank_sorted
    del order
    return distinct, rank, np.bincount(rank_sorted, minlength=len(distinct))


def ngram_table(enc: Encoded, n: int):
    """All n-grams inside articles as sorted packed keys, with counts and doc frequencies.

    Token codes are bit-packed into one int64 key per n-gram (``key << bits | code``);
    when the next code would not leave room to rank the keys later, the keys so far are
    replaced by their rank among the distinct keys, and the table of distinct keys is kept
    to decode them. Everything is sorting (``np.unique``, argsort and searchsorted are
    avoided: on millions of distinct keys they are 10-100 times slower than ``np.sort``).

    Returns:
        (keys, counts, doc_freq, decode) where ``decode(keys)`` gives the list of the n
        code arrays of those keys.
    """
    bits = _bits(enc.n_types)
    # n-gram starts: every token but the last n - 1 of each article
    tail = np.minimum(n - 1, enc.lengths)
    last = np.repeat(enc.indptr[1:] - tail, tail)
    last += np.arange(len(last), dtype=np.int64) - np.repeat(np.cumsum(tail) - tail, tail)
    keep = np.ones(enc.n_tokens, dtype=bool)
    keep[last] = False
    starts = np.flatnonzero(keep)
    del keep, last
    pos_bits = _bits(max(len(starts), 1))
    key = enc.codes[starts].astype(np.int64)
    key_bits = bits
    steps = []  # per added token: the table of distinct keys it replaced, or None
    for k in range(1, n):
        table = None
        last = k == n - 1
        # keep room to rank the keys again (or, for the last token, to add the article)
        room = _bits(max(enc.n_docs, 1)) if last else pos_bits
        if key_bits + bits + room > 63:
            table, key, _ = _dense(key, key_bits)
            key_bits = _bits(max(len(table), 1))
        steps.append(table)
        key = (key << bits) | enc.codes[starts + k]
        key_bits += bits
    doc_bits = _bits(max(enc.n_docs, 1))
    doc = np.searchsorted(enc.indptr, starts, side="right") - 1  # article of each start
    del starts
    if key_bits + doc_bits <= 63:  # (n-gram, article) fits one int64: two plain sorts
        pairs = key << doc_bits
        pairs |= doc
        del doc
        key.sort()
        keys, counts = _runs(key)
        del key
        pairs.sort()
        pairs = _runs(pairs)[0]  # distinct (n-gram, article)
        pairs >>= doc_bits
        doc_freq = _runs(pairs)[1]  # same distinct keys, same order
    else:
        keys, rank, counts = _dense(key, key_bits)
        del key
        rank <<= doc_bits
        rank |= doc
        del doc
        rank.sort()
        pairs = _runs(rank)[0]
        del rank
        doc_freq = np.bincount(pairs >> doc_bits, minlength=len(keys))
    mask = np.int64((1 << bits) - 1)

    def decode(selected: np.ndarray) -> list[np.ndarray]:
        out = []
        cur = selected
        for table in reversed(steps):
            out.append(cur & mask)
            cur = cur >> bits
            if table is not None:
                cur = table[cur]
        out.append(cur)
        return out[::-1]

    return keys, counts, doc_freq, decode


def ngrams(
    tokens,
    n: int | Sequence[int] = (2, 3, 4),
    *,
    min_count: int = 2,
    drop_stopword_only: bool = False,
    stopwords: Iterable[str] | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Contiguous n-grams (inside articles, never across two) with counts and doc frequency.

    Args:
        tokens: Series of token lists.
        n: n-gram length or lengths (2 to 4 are typical).
        min_count: keep n-grams occurring at least this often.
        drop_stopword_only: drop n-grams made only of stopwords (``في ان``).
        stopwords: the stopword set (default: :func:`default_stopwords`).
        top: keep the ``top`` most frequent n-grams of each length.

    Returns:
        DataFrame with columns ``ngram`` (tokens joined by a space), ``n``, ``count``,
        ``doc_freq``, sorted by ``n`` then count (descending; ties in the order of the
        tokens' first appearance).

    >>> ngrams(pd.Series([["وزير", "الخارجية", "قال"], ["وزير", "الخارجية"]]), 2)[["ngram", "count"]].values.tolist()
    [['وزير الخارجية', 2]]
    """
    enc = encode(tokens)
    sizes = [n] if isinstance(n, int) else list(n)
    stop = _stop_mask(enc, stopwords) if drop_stopword_only else None
    blocks = []
    for size in sizes:
        if size < 1:
            raise ValueError("n must be at least 1")
        keys, counts, dfreq, decode = ngram_table(enc, size)
        keep = np.flatnonzero(counts >= min_count)
        if len(keep):
            blocks.append(ngram_block(enc.vocab, decode(keys[keep]), counts[keep], dfreq[keep],
                                      stop=stop, top=top))
    return ngram_frame(blocks)


def ngram_block(vocab, parts: list[np.ndarray], counts: np.ndarray, doc_freq: np.ndarray, *,
                stop: np.ndarray | None = None, top: int | None = None) -> pd.DataFrame:
    """The rows of one n-gram length: ``parts[j]`` holds the vocabulary id of the j-th token
    of each n-gram (aligned with ``counts`` and ``doc_freq``). Drops stopword-only n-grams
    when ``stop`` (a boolean per vocabulary id) is given, sorts by count (ties in the order
    of the tokens' first appearance), keeps ``top`` and joins the tokens' text."""
    if stop is not None:
        only_stop = np.ones(len(counts), dtype=bool)
        for codes in parts:
            only_stop &= stop[codes]
        parts = [c[~only_stop] for c in parts]
        counts, doc_freq = counts[~only_stop], doc_freq[~only_stop]
    order = np.lexsort(tuple(parts[::-1]) + (-counts,))
    if top is not None:
        order = order[:top]
    parts = [c[order] for c in parts]
    text = vocab[parts[0]]
    for codes in parts[1:]:
        text = text + " " + vocab[codes]
    return pd.DataFrame({"ngram": text, "n": len(parts), "count": counts[order],
                         "doc_freq": doc_freq[order]})


def ngram_frame(blocks: list[pd.DataFrame]) -> pd.DataFrame:
    """The blocks of :func:`ngram_block` as one table (typed and empty when there are none)."""
    if not blocks:
        return pd.DataFrame({"ngram": pd.Series(dtype=object), "n": pd.Series(dtype=np.int64),
                             "count": pd.Series(dtype=np.int64), "doc_freq": pd.Series(dtype=np.int64)})
    return pd.concat(blocks, ignore_index=True)


# --------------------------------------------------------------------------- 7 Zipf, Heaps


def _fit_loglog(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Least-squares line through (log10 x, log10 y): slope, intercept, r²."""
    lx, ly = np.log10(x.astype(float)), np.log10(y.astype(float))
    if len(lx) < 2 or np.ptp(lx) == 0:
        return float("nan"), float("nan"), float("nan")
    slope, intercept = np.polyfit(lx, ly, 1)
    resid = ly - (slope * lx + intercept)
    tot = ((ly - ly.mean()) ** 2).sum()
    r2 = 1 - (resid**2).sum() / tot if tot else 1.0
    return float(slope), float(intercept), float(r2)


def zipf(tokens, *, fit_ranks: tuple[int, int | None] = (1, 10_000), top: int | None = None) -> pd.DataFrame:
    """Rank-frequency table with a fitted Zipf line (log10 count = slope·log10 rank + b).

    Args:
        tokens: Series of token lists.
        fit_ranks: first and last rank used in the fit (``None``: the last rank). The
            default leaves out the long tail of words seen once or twice, whose tied
            counts bend the line; the ranks are sampled evenly on the log scale (100
            points), so each decade of ranks weighs the same in the fit.
        top: return only the first ``top`` ranks (the fit still uses ``fit_ranks``).

    Returns:
        DataFrame with columns ``rank`` (1 = most frequent; ties ranked in order of first
        appearance), ``term``, ``count``, ``frequency`` (share of all tokens), ``fitted``
        (count predicted by the line). The fit is in ``.attrs``: ``slope`` (about -1 for
        natural text), ``intercept``, ``r2``.

    >>> zipf(pd.Series([["في"] * 4 + ["من"] * 2 + ["عن"]])).attrs["slope"] < 0
    True
    """
    freq = frequencies(tokens)
    ranks = np.arange(1, len(freq) + 1)
    counts = freq["count"].to_numpy()
    lo, hi = fit_ranks
    hi = len(freq) if hi is None else min(hi, len(freq))
    lo = max(lo, 1)
    sel = np.unique(np.geomspace(lo, max(hi, lo), num=100).round().astype(np.int64)) - 1 if len(freq) else []
    slope, intercept, r2 = _fit_loglog(ranks[sel], counts[sel])
    out = pd.DataFrame(
        {
            "rank": ranks,
            "term": freq["term"].to_numpy(),
            "count": counts,
            "frequency": counts / counts.sum() if len(counts) else counts,
            "fitted": 10 ** (intercept + slope * np.log10(ranks)),
        }
    )
    if top is not None:
        out = out.head(top)
    out.attrs.update(slope=slope, intercept=intercept, r2=r2)
    return out


def heaps(tokens, *, points: int = 100, fit_from: int = 1000) -> pd.DataFrame:
    """Vocabulary growth curve (types after n tokens) with a fitted Heaps law V = K·n^β.

    Tokens are read in article order (the order of ``tokens``).

    Args:
        tokens: Series of token lists.
        points: number of points on the curve (log-spaced, always including the end).
        fit_from: fit only the points from this many tokens on (the start of the curve,
            where nearly every token is new, is not Heaps' regime); all points when fewer
            than two are that far.

    Returns:
        DataFrame with columns ``tokens`` (n), ``types`` (distinct terms in the first n
        tokens), ``fitted`` (K·n^β). ``.attrs`` holds ``K``, ``beta`` (typically
        0.4-0.7) and ``r2`` of the least-squares fit on log-log scale.

    >>> h = heaps(pd.Series([["ا", "ب", "ت", "ث"]]), points=4)
    >>> round(h.attrs["K"], 6), round(h.attrs["beta"], 6)
    (1.0, 1.0)
    """
    enc = encode(tokens)
    if not enc.n_tokens:
        out = pd.DataFrame({"tokens": [], "types": [], "fitted": []})
        out.attrs.update(K=float("nan"), beta=float("nan"), r2=float("nan"))
        return out
    # codes are numbered in order of first appearance: types seen = running max + 1
    types = np.maximum.accumulate(enc.codes) + 1
    n = np.unique(np.geomspace(1, enc.n_tokens, num=points).round().astype(np.int64))
    v = types[n - 1]
    far = n >= fit_from
    fit = far if far.sum() >= 2 else np.ones(len(n), dtype=bool)
    beta, log_k, r2 = _fit_loglog(n[fit], v[fit])
    k = 10**log_k
    out = pd.DataFrame({"tokens": n, "types": v, "fitted": k * n.astype(float) ** beta})
    out.attrs.update(K=float(k), beta=float(beta), r2=r2)
    return out


# --------------------------------------------------------------------------- 8 diversity


def diversity(tokens, *, window: int = 100) -> pd.DataFrame:
    """Type-token ratio and moving-average TTR (Covington & McFall's MATTR) per article.

    MATTR averages the TTR of every window of ``window`` consecutive tokens, so unlike TTR
    it does not fall as articles get longer. For an article shorter than the window it is
    the article's TTR.

    Args:
        tokens: Series of token lists.
        window: MATTR window length in tokens.

    Returns:
        DataFrame with the index of ``tokens`` and columns ``tokens``, ``types``, ``ttr``,
        ``mattr`` (NaN for an empty article).

    >>> diversity(pd.Series([["في", "غزة", "في", "غزة"]]), window=2)["mattr"].tolist()
    [1.0]
    """
    if window < 1:
        raise ValueError("window must be at least 1")
    enc = encode(tokens)
    n = enc.n_tokens
    doc = enc.doc_of
    pos = enc.position
    length = enc.lengths[doc]
    # previous position of the same term in the same article (-1 if none)
    key = doc * max(enc.n_types, 1) + enc.codes
    order, sorted_key = _sort_order(key, _bits(max(enc.n_docs * enc.n_types, 1)))
    prev_sorted = np.full(n, -1, dtype=np.int64)
    if n > 1:
        same = sorted_key[1:] == sorted_key[:-1]
        prev_sorted[1:][same] = pos[order[:-1]][same]
    prev = np.empty(n, dtype=np.int64)
    prev[order] = prev_sorted
    types = np.bincount(doc[prev < 0], minlength=enc.n_docs)
    w = np.minimum(window, enc.lengths)  # effective window per article
    wd = w[doc]
    # a token is a new type in window s (covering s..s+w-1) when prev < s <= pos
    lo = np.maximum(np.maximum(prev + 1, pos - wd + 1), 0)
    hi = np.minimum(pos, length - wd)
    contrib = np.clip(hi - lo + 1, 0, None)
    total = np.bincount(doc, weights=contrib, minlength=enc.n_docs)
    n_windows = enc.lengths - w + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        ttr = types / enc.lengths
        mattr = total / (n_windows * w)
    mattr = np.where(enc.lengths > 0, mattr, np.nan)
    return pd.DataFrame(
        {"tokens": enc.lengths, "types": types, "ttr": ttr, "mattr": mattr}, index=enc.index
    )


# --------------------------------------------------------------------------- 9 dispersion


def dispersion(tokens, terms: Iterable[str] | None = None, *, parts=None, min_count: int = 1) -> pd.DataFrame:
    """How evenly terms are spread over the corpus: Gries' DP and Juilland's D.

    The corpus parts are the articles, or the groups given by ``parts`` (e.g. the
    source). Empty parts are ignored. With part sizes s_i (share of all tokens) and the
    term's share of its occurrences in each part v_i:

    - ``dp`` = ½ Σ |v_i − s_i| (Gries 2008): 0 = spread exactly like the corpus, near 1 =
      concentrated in one small part; ``dp_norm`` = dp / (1 − min s_i) scales it to 0..1.
    - ``juilland_d`` = 1 − (σ/μ)/√(n−1) over the term's relative frequencies in the n
      parts (frequency / part size, so unequal parts are allowed; σ is the population
      standard deviation): 1 = perfectly even, 0 = in one part only.

    Args:
        tokens: Series of token lists.
        terms: the terms to report (default: every term with at least ``min_count``
            occurrences). Unknown terms get count 0 and NaN scores.
        parts: optional Series of part labels aligned with ``tokens``.
        min_count: with ``terms=None``, the minimum count.

    Returns:
        DataFrame with columns ``term``, ``count``, ``range`` (parts containing the term),
        ``parts`` (number of non-empty parts), ``dp``, ``dp_norm``, ``juilland_d``,
        sorted by count.

    >>> d = dispersion(pd.Series([["في", "غزة"], ["في", "قال"]]), ["في", "غزة"])
    >>> d[["term", "dp", "juilland_d"]].values.tolist()
    [['في', 0.0, 1.0], ['غزة', 0.5, 0.0]]
    """
    enc = encode(tokens)
    groups, labels, _ = _group_codes(parts, enc)
    m = (_indicator(groups, len(labels)) @ enc.matrix).tocsr() if parts is not None else enc.matrix
    sizes = np.asarray(m.sum(axis=1)).ravel().astype(float)
    nonempty = sizes > 0
    m = m[nonempty]
    sizes = sizes[nonempty]
    n_parts = len(sizes)
    s = sizes / sizes.sum() if n_parts else sizes
    if terms is None:
        cols = np.flatnonzero(enc.counts >= min_count)
        cols = cols[np.argsort(-enc.counts[cols], kind="stable")]
        names = enc.vocab[cols]
    else:
        names = np.asarray(list(terms), dtype=object)
        cols = enc.code_of(names)
    valid = cols >= 0
    # no known term (a corpus without a single word has no column to index at all)
    sub = (m[:, np.where(valid, cols, 0)].tocoo() if valid.any()
           else sparse.coo_matrix((m.shape[0], len(cols))))
    f = np.asarray(sub.sum(axis=0)).ravel().astype(float)
    f[~valid] = 0
    keep = valid[sub.col]
    row, col, data = sub.row[keep], sub.col[keep], sub.data[keep].astype(float)
    k = len(cols)
    with np.errstate(divide="ignore", invalid="ignore"):
        contrib = np.abs(data / f[col] - s[row]) - s[row]
        dp = 0.5 * (np.bincount(col, weights=contrib, minlength=k) + 1.0)
        dp_norm = dp / (1.0 - s.min()) if n_parts else dp
        rel = data / sizes[row]
        mean = np.bincount(col, weights=rel, minlength=k) / n_parts
        var = np.bincount(col, weights=rel**2, minlength=k) / n_parts - mean**2
        sd = np.sqrt(np.clip(var, 0, None))
        d = 1.0 - (sd / mean) / np.sqrt(n_parts - 1)
    rng = np.bincount(col, minlength=k)
    for arr in (dp, dp_norm, d):
        arr[f == 0] = np.nan
    out = pd.DataFrame(
        {
            "term": names,
            "count": f.astype(np.int64),
            "range": rng,
            "parts": n_parts,
            "dp": dp,
            "dp_norm": dp_norm,
            "juilland_d": d,
        }
    )
    return out.sort_values("count", ascending=False, kind="stable", ignore_index=True)


def dispersion_positions(tokens, terms: Iterable[str]) -> pd.DataFrame:
    """Where each occurrence of the terms falls, for a dispersion (barcode) plot.

    Args:
        tokens: Series of token lists.
        terms: the terms to locate.

    Returns:
        DataFrame with columns ``term``, ``article`` (index label of the article),
        ``position`` (token offset inside the article), ``offset`` (token offset in the
        whole corpus, articles in order), ``relative`` (offset / corpus tokens, 0..1).
        ``attrs`` carry what a plot of it needs besides the hits: ``terms`` (the terms
        asked, in order, found or not), ``n_tokens`` (tokens in the corpus) and ``starts``
        (the corpus offset where each article starts).

    >>> dispersion_positions(pd.Series([["في", "غزة"], ["غزة"]]), ["غزة"])["offset"].tolist()
    [1, 2]
    """
    enc = encode(tokens)
    names = list(terms)
    cols = enc.code_of(names)
    lookup = np.full(enc.n_types + 1, -1, dtype=np.int64)
    for i, c in enumerate(cols):
        if c >= 0:
            lookup[c] = i
    which = lookup[enc.codes] if enc.n_tokens else np.empty(0, dtype=np.int64)
    offset = np.flatnonzero(which >= 0)
    doc = enc.doc_of[offset]
    table = pd.DataFrame(
        {
            "term": np.asarray(names, dtype=object)[which[offset]],
            "article": enc.index[doc],
            "position": offset - enc.indptr[doc],
            "offset": offset,
            "relative": offset / max(enc.n_tokens, 1),
        }
    )
    table.attrs.update(terms=names, n_tokens=int(enc.n_tokens),
                       starts=[int(x) for x in enc.indptr[:-1]])
    return table


# --------------------------------------------------------------------------- 11 trends


def trends(
    articles: pd.DataFrame,
    tokens,
    terms: str | Iterable[str],
    *,
    freq: str = "M",
    by: str | None = "source",
    date: str = "date",
) -> pd.DataFrame:
    """A term's frequency per week or month (per million tokens), optionally per source.

    Args:
        articles: articles DataFrame (``date`` and the ``by`` column).
        tokens: Series of token lists aligned with ``articles``.
        terms: one term or several (single tokens, in the tokens' normalised form).
        freq: ``"M"``/``"month"`` or ``"W"``/``"week"`` (weeks start on Monday).
        by: column to split by (``None``: the whole corpus).
        date: name of the date column. Articles without a date are left out.

    Returns:
        DataFrame with columns ``period`` (start of the week/month), the ``by`` column
        when given, ``term``, ``count``, ``tokens`` (all tokens in that period/group),
        ``per_million``; one row per period, group and term (periods with articles but
        no occurrence have count 0).

    >>> arts = pd.DataFrame({"date": pd.to_datetime(["2018-01-05", "2018-02-01"], utc=True)})
    >>> trends(arts, pd.Series([["غزة", "في"], ["في"]]), "غزة", by=None)["per_million"].tolist()
    [500000.0, 0.0]
    """
    names = [terms] if isinstance(terms, str) else list(terms)
    enc = encode(tokens)
    period = _month(articles[date], freq).reindex(enc.index)
    frame = pd.DataFrame(enc.term_counts(names), columns=names, index=enc.index)
    keys = ["period"] + ([by] if by else [])
    frame["period"] = period
    if by:
        frame[by] = articles[by].reindex(enc.index)
    frame["tokens"] = enc.lengths
    frame = frame[frame["period"].notna()]
    grouped = frame.groupby(keys, sort=True, dropna=False)[names + ["tokens"]].sum()
    long = grouped.melt(id_vars=["tokens"], value_vars=names, var_name="term", value_name="count",
                        ignore_index=False).reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        long["per_million"] = long["count"] / long["tokens"] * 1e6
    long = long[keys + ["term", "count", "tokens", "per_million"]]
    return long.sort_values(keys + ["term"], kind="stable", ignore_index=True)
