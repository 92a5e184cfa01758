"""Corpora larger than memory: statistics counted chunk by chunk (or on Dask) and merged.

A corpus is read in chunks of articles (:func:`helpers.iter_corpus`, or the Parquet shards
:func:`helpers.write_shards` writes); each chunk is tokenised and counted into a
:class:`CorpusCounts` -- term counts and document frequencies, n-gram and word-pair tables,
and optionally the counts of a target sub-corpus against the rest -- and the partial counts
are merged. Only one chunk's text and tokens are in memory at a time, plus the counts, whose
size grows with the vocabulary, not with the corpus.

The tables :class:`CorpusCounts` gives are *identical* to what the in-memory helpers give on
the whole token Series: same rows, same order (ties too), same numbers.
:func:`helpers.frequencies`, :func:`helpers.ngrams`, :func:`helpers.collocations` and
:func:`helpers.keyness` order ties by the first appearance of the terms in the corpus;
merging keeps that order because chunks are merged in corpus order, the vocabulary of a
later chunk being appended after the terms already seen.

The same counting runs on Dask (:func:`dask_counts`): one :class:`CorpusCounts` per
partition of a ``dask.dataframe``, merged by an order-keeping tree reduction on the
workers, so any ``dask.distributed`` cluster can do the counting.

>>> counts = count_corpus([pd.DataFrame({"body": ["قال الوزير", "قال الرئيس"]})])
>>> counts.frequencies()[["term", "count"]].values.tolist()[0]
['قال', 2]
"""

from __future__ import annotations

import os
from pathlib import Path
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .association import MEASURES, keyness_from_counts, measure_scores, pair_counts
from .cleaning import normalize
from .corpus import shards as corpus_shards
from .encoded import Encoded, encode, sort_order, stop_mask
from .ngram_counts import ngram_block, ngram_frame, ngram_table
from .tokens import tokenize

__all__ = ["CorpusCounts", "count_chunk", "count_corpus", "clean_shards", "dask_counts",
           "dask_client"]

_EMPTY = np.empty(0, dtype=np.int64)


@dataclass
class _GramCounts:
    """Distinct n-grams or word pairs (one row of vocabulary ids each) with counts and doc
    frequencies (0 for word pairs)."""

    ids: np.ndarray        # (rows, n) int64
    counts: np.ndarray
    doc_freq: np.ndarray

    @classmethod
    def empty(cls, n: int) -> _GramCounts:
        return cls(np.empty((0, n), dtype=np.int64), _EMPTY, _EMPTY)


def _packed_key(ids: np.ndarray) -> np.ndarray:
    """One int64 per row that sorts like the rows are distinct: the id columns bit-packed,
    the columns so far replaced by their dense rank when the next one would not fit."""
    bits = max(int(ids.max()).bit_length(), 1)
    key = ids[:, 0].copy()
    key_bits = bits
    for j in range(1, ids.shape[1]):
        if key_bits + bits > 62:
            uniq, key = np.unique(key, return_inverse=True)
            key = key.astype(np.int64).ravel()
            key_bits = max(int(len(uniq) - 1).bit_length(), 1)
        key = (key << bits) | ids[:, j]
        key_bits += bits
    return key


def _zeros_like(counts: np.ndarray) -> np.ndarray:
    return np.zeros(len(counts), dtype=np.int64)


def _aggregate(ids: np.ndarray, counts: np.ndarray, doc_freq: np.ndarray) -> _GramCounts:
    """Sum the rows of equal n-grams (one stable sort of a packed key)."""
    if not len(ids):
        return _GramCounts(ids, counts, doc_freq)
    order, ordered = sort_order(_packed_key(ids))
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    return _GramCounts(ids[order[starts]], np.add.reduceat(counts[order], starts),
                  np.add.reduceat(doc_freq[order], starts))


def _flat_side(enc: Encoded, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Counts per vocabulary id of the articles in ``mask``, and the ids in order of first
    appearance among them."""
    codes = enc.codes[np.repeat(mask, enc.lengths)]
    return (np.bincount(codes, minlength=enc.n_types).astype(np.int64),
            pd.unique(codes).astype(np.int64))


@dataclass
class CorpusCounts:
    """Everything the frequency, n-gram, collocation and keyness tables are computed from.

    Built from a Series of token lists with :meth:`from_tokens` (one chunk), combined with
    :meth:`merge` (a chunk that comes later in the corpus); the table methods then give
    exactly what the in-memory helpers give on the whole corpus.

    Attributes:
        vocab: the terms, in order of first appearance in the corpus.
        counts, doc_freq: occurrences and articles per term (aligned with ``vocab``).
        n_tokens, n_docs: tokens and articles counted.
        ngram_tables: n -> table of the distinct n-grams (vocabulary ids) with counts and
            doc frequencies, for the n-gram lengths counted.
        pair_tables: window -> table of the ordered word pairs (w1, w2) at distance
            1..window-1 inside articles, with counts, for the collocation windows counted.
        sides: ``"target"`` / ``"reference"`` -> (counts per term, ids in order of first
            appearance in that side), when a target was given.
    """

    vocab: np.ndarray
    counts: np.ndarray
    doc_freq: np.ndarray
    n_tokens: int = 0
    n_docs: int = 0
    ngram_tables: dict[int, _GramCounts] = field(default_factory=dict)
    pair_tables: dict[int, _GramCounts] = field(default_factory=dict)
    sides: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
    _lookup: dict | None = field(default=None, repr=False, compare=False)

    @property
    def n_types(self) -> int:
        return len(self.vocab)

    # ------------------------------------------------------------------ building

    @classmethod
    def from_tokens(cls, tokens, *, ngram_sizes: Sequence[int] = (2,),
                    windows: Sequence[int] = (2,), target=None) -> CorpusCounts:
        """Count one chunk: a Series of token lists (from :func:`helpers.tokenize`).

        Args:
            tokens: Series of token lists.
            ngram_sizes: n-gram lengths to count (for :meth:`ngrams`).
            windows: collocation windows to count (for :meth:`collocations`).
            target: boolean array or Series aligned with ``tokens``: the articles of the
                target sub-corpus, the others being the reference (for :meth:`keyness`).

        Returns:
            A :class:`CorpusCounts`.

        >>> c = CorpusCounts.from_tokens(pd.Series([["قال", "الوزير"], ["قال"]]))
        >>> c.vocab.tolist(), c.counts.tolist()
        (['قال', 'الوزير'], [2, 1])
        """
        enc = encode(tokens)
        tables: dict[int, _GramCounts] = {}
        for n in ngram_sizes:
            if n < 1:
                raise ValueError("n must be at least 1")
            if enc.n_tokens:
                keys, cnt, dfreq, decode = ngram_table(enc, n)
                ids = np.column_stack(decode(keys)).astype(np.int64) if len(keys) \
                    else np.empty((0, n), dtype=np.int64)
                tables[n] = _GramCounts(ids, cnt.astype(np.int64), dfreq.astype(np.int64))
            else:
                tables[n] = _GramCounts.empty(n)
        pairs: dict[int, _GramCounts] = {}
        for w in windows:
            if w < 2:
                raise ValueError("window must be at least 2")
            if w == 2 and 2 in tables:  # adjacent pairs are the bigrams: share their rows
                pairs[w] = _GramCounts(tables[2].ids, tables[2].counts, _zeros_like(tables[2].counts))
                continue
            w1, w2, cnt = pair_counts(enc, w)
            pairs[w] = _GramCounts(np.column_stack([w1, w2]).astype(np.int64),
                              cnt.astype(np.int64), np.zeros(len(cnt), dtype=np.int64))
        sides = None
        if target is not None:
            mask = np.asarray(pd.Series(target).fillna(False), dtype=bool) \
                if not isinstance(target, np.ndarray) else target.astype(bool)
            if len(mask) != enc.n_docs:
                raise ValueError(f"target has {len(mask)} values for {enc.n_docs} articles")
            sides = {"target": _flat_side(enc, mask), "reference": _flat_side(enc, ~mask)}
        return cls(np.asarray(enc.vocab, dtype=object), enc.counts.astype(np.int64),
                   enc.doc_freq.astype(np.int64), enc.n_tokens, enc.n_docs, tables, pairs, sides)

    def merge(self, later: CorpusCounts) -> CorpusCounts:
        """The counts of this chunk followed by ``later`` (a new object; order matters only
        for the order of first appearance, which ties are broken by).

        >>> a = CorpusCounts.from_tokens(pd.Series([["قال", "الوزير"]]))
        >>> b = CorpusCounts.from_tokens(pd.Series([["الرئيس", "قال"]]))
        >>> a.merge(b).vocab.tolist()
        ['قال', 'الوزير', 'الرئيس']
        """
        if set(self.ngram_tables) != set(later.ngram_tables) or \
                set(self.pair_tables) != set(later.pair_tables) or \
                (self.sides is None) != (later.sides is None):
            raise ValueError("counts made with different options cannot be merged")
        # term -> id: a dict handed on from merge to merge (updated in place, so the
        # accumulated vocabulary is not hashed again for every chunk)
        lookup, self._lookup = self._lookup, None
        if lookup is None:
            lookup = dict(zip(self.vocab.tolist(), range(self.n_types)))
        remap = np.fromiter((lookup.get(t, -1) for t in later.vocab.tolist()), dtype=np.int64,
                            count=later.n_types)
        new = (remap < 0) | (remap >= self.n_types)
        remap[new] = self.n_types + np.arange(int(new.sum()), dtype=np.int64)
        size = self.n_types + int(new.sum())
        vocab = np.concatenate([self.vocab, later.vocab[new]]) if new.any() else self.vocab
        lookup.update(zip(later.vocab[new].tolist(), remap[new].tolist()))

        def add(mine: np.ndarray, theirs: np.ndarray) -> np.ndarray:
            out = np.zeros(size, dtype=np.int64)
            out[:len(mine)] = mine
            out[remap] += theirs
            return out

        def join(a: dict[int, _GramCounts], b: dict[int, _GramCounts]) -> dict[int, _GramCounts]:
            return {k: _aggregate(np.concatenate([a[k].ids, remap[b[k].ids]]),
                                  np.concatenate([a[k].counts, b[k].counts]),
                                  np.concatenate([a[k].doc_freq, b[k].doc_freq]))
                    for k in a}

        ngram_tables = join(self.ngram_tables, later.ngram_tables)
        pair_tables = {}
        for w in self.pair_tables:
            if w == 2 and 2 in ngram_tables and self._pairs_are_bigrams() and later._pairs_are_bigrams():
                bigrams = ngram_tables[2]
                pair_tables[w] = _GramCounts(bigrams.ids, bigrams.counts, _zeros_like(bigrams.counts))
            else:
                pair_tables.update(join({w: self.pair_tables[w]}, {w: later.pair_tables[w]}))

        sides = None
        if self.sides is not None:
            sides = {}
            for name, (mine, order) in self.sides.items():
                theirs, their_order = later.sides[name]
                merged = add(mine, theirs)
                extra = remap[their_order]
                extra = extra[np.r_[mine, np.zeros(size - len(mine), np.int64)][extra] == 0]
                sides[name] = (merged, np.concatenate([order, extra]))
        merged = CorpusCounts(vocab, add(self.counts, later.counts),
                              add(self.doc_freq, later.doc_freq),
                              self.n_tokens + later.n_tokens, self.n_docs + later.n_docs,
                              ngram_tables, pair_tables, sides)
        merged._lookup = lookup
        return merged

    def _pairs_are_bigrams(self) -> bool:
        """Whether the window-2 pair table shares the bigram table's rows (then merging the
        bigrams merges the pairs too)."""
        pairs, bigrams = self.pair_tables.get(2), self.ngram_tables.get(2)
        return pairs is not None and bigrams is not None and pairs.ids is bigrams.ids

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_lookup"] = None          # rebuilt on demand; not worth shipping to workers
        return state

    # ------------------------------------------------------------------ tables

    def frequencies(self, *, drop_stopwords: bool = False, stopwords: Iterable[str] | None = None,
                    min_count: int = 1, top: int | None = None) -> pd.DataFrame:
        """The frequency list :func:`helpers.frequencies` gives (without ``by``).

        >>> counts = CorpusCounts.from_tokens(pd.Series([["غزة", "في"], ["غزة"]]))
        >>> counts.frequencies()["term"].tolist()
        ['غزة', 'في']
        """
        keep = np.ones(self.n_types, dtype=bool)
        if drop_stopwords:
            keep &= ~stop_mask(self, stopwords)
        order = np.flatnonzero(keep & (self.counts >= min_count))
        order = order[np.argsort(-self.counts[order], kind="stable")]
        if top is not None:
            order = order[:top]
        total = self.n_tokens
        return pd.DataFrame({
            "term": self.vocab[order],
            "count": self.counts[order],
            "per_million": self.counts[order] / total * 1e6 if total else np.zeros(len(order)),
            "doc_freq": self.doc_freq[order],
        })

    def ngrams(self, n: int | Sequence[int] | None = None, *, min_count: int = 2,
               drop_stopword_only: bool = False, stopwords: Iterable[str] | None = None,
               top: int | None = None) -> pd.DataFrame:
        """The n-gram table :func:`helpers.ngrams` gives (``n``: lengths counted, default
        all of them).

        >>> t = pd.Series([["وزير", "الخارجية", "قال"], ["وزير", "الخارجية"]])
        >>> CorpusCounts.from_tokens(t).ngrams(2)[["ngram", "count"]].values.tolist()
        [['وزير الخارجية', 2]]
        """
        sizes = sorted(self.ngram_tables) if n is None else [n] if isinstance(n, int) else list(n)
        missing = [s for s in sizes if s not in self.ngram_tables]
        if missing:
            raise ValueError(f"n-grams of length {missing} were not counted "
                             f"(ngram_sizes={sorted(self.ngram_tables)})")
        stop = stop_mask(self, stopwords) if drop_stopword_only else None
        blocks = []
        for size in sizes:
            table = self.ngram_tables[size]
            keep = np.flatnonzero(table.counts >= min_count)
            if len(keep):
                parts = [table.ids[keep, j] for j in range(size)]
                blocks.append(ngram_block(self.vocab, parts, table.counts[keep],
                                                table.doc_freq[keep], stop=stop, top=top))
        return ngram_frame(blocks)

    def collocations(self, measure: str = "pmi", window: int = 2, min_count: int = 5, *,
                     drop_stopwords: bool = False, stopwords: Iterable[str] | None = None,
                     top: int | None = None) -> pd.DataFrame:
        """The collocation table :func:`helpers.collocations` gives (NLTK's scores).

        >>> t = pd.Series([["قال", "وزير", "الخارجية"], ["وزير", "الخارجية", "قال"]])
        >>> round(float(CorpusCounts.from_tokens(t).collocations(min_count=2)["score"][0]), 4)
        1.585
        """
        if measure not in MEASURES:
            raise ValueError(f"unknown measure {measure!r}; use one of {sorted(MEASURES)}")
        if window not in self.pair_tables:
            raise ValueError(f"window {window} was not counted (windows={sorted(self.pair_tables)})")
        table = self.pair_tables[window]
        w1, w2, count = table.ids[:, 0], table.ids[:, 1], table.counts
        keep = count >= min_count
        if drop_stopwords:
            stop = stop_mask(self, stopwords)
            keep &= ~stop[w1] & ~stop[w2]
        w1, w2, count = w1[keep], w2[keep], count[keep]
        score = measure_scores(measure, count / (window - 1.0), self.counts[w1],
                                    self.counts[w2], self.n_tokens)
        out = pd.DataFrame({"w1": self.vocab[w1], "w2": self.vocab[w2], "count": count,
                            "score": score})
        out = out.sort_values(["score", "w1", "w2"], ascending=[False, True, True],
                              kind="stable", ignore_index=True)
        return out.head(top) if top is not None else out

    def keyness(self, min_count: int = 5, *, top: int | None = None) -> pd.DataFrame:
        """The keyness table :func:`helpers.keyness` gives for the target against the rest.

        >>> t = pd.Series([["غزة", "في"], ["في", "من"]])
        >>> c = CorpusCounts.from_tokens(t, target=[True, False])
        >>> c.keyness(min_count=1)[["term", "key_for"]].values.tolist()[0]
        ['غزة', 'target']
        """
        if self.sides is None:
            raise ValueError("no target was given when counting (target=...)")
        series = []
        for name in ("target", "reference"):
            counts, order = self.sides[name]
            series.append(pd.Series(counts[order], index=pd.Index(self.vocab[order], dtype=object),
                                    dtype=np.int64))
        return keyness_from_counts(*series, min_count=min_count, top=top)


# ---------------------------------------------------------------------- chunk by chunk


def _target_mask(chunk: pd.DataFrame, target) -> np.ndarray | None:
    """``target`` as a boolean array over the chunk: a callable of the chunk, or a mapping
    column -> value (or list of values) that every target article matches."""
    if target is None:
        return None
    if callable(target):
        mask = target(chunk)
    elif isinstance(target, Mapping):
        mask = pd.Series(True, index=chunk.index)
        for column, value in target.items():
            values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
            mask &= chunk[column].isin(values).fillna(False).astype(bool)
    else:
        raise TypeError("target must be a callable of the chunk or a mapping column -> value")
    return np.asarray(pd.Series(mask).fillna(False), dtype=bool)


def count_chunk(chunk: pd.DataFrame, *, column: str = "body", preset: str | None = "search",
                ngram_sizes: Sequence[int] = (2,), windows: Sequence[int] = (2,),
                target=None, tokenize_options: Mapping[str, Any] | None = None) -> CorpusCounts:
    """Tokenise one chunk of articles and count it (see :func:`count_corpus`).

    >>> count_chunk(pd.DataFrame({"body": ["قالَ الوزيرُ"]})).vocab.tolist()
    ['قال', 'الوزير']
    """
    tokens = tokenize(chunk[column], preset=preset, **dict(tokenize_options or {}))
    return CorpusCounts.from_tokens(tokens, ngram_sizes=ngram_sizes, windows=windows,
                                    target=_target_mask(chunk, target))


def _chunks(source, chunk_size: int, columns: list[str] | None) -> Iterator[pd.DataFrame]:
    if isinstance(source, (str, os.PathLike)):
        yield from corpus_shards.iter_corpus(source, chunk_size=chunk_size, columns=columns)
    elif isinstance(source, pd.DataFrame):
        for start in range(0, max(len(source), 1), chunk_size):
            yield source.iloc[start:start + chunk_size]
    else:
        yield from source


def count_corpus(
    source,
    *,
    column: str = "body",
    preset: str | None = "search",
    ngram_sizes: Sequence[int] = (2,),
    windows: Sequence[int] = (2,),
    target=None,
    chunk_size: int = corpus_shards.DEFAULT_SHARD_ROWS,
    tokenize_options: Mapping[str, Any] | None = None,
) -> CorpusCounts:
    """Count a corpus chunk by chunk: frequencies, n-grams, collocations, keyness.

    Args:
        source: a corpus path or shard folder (read with :func:`helpers.iter_corpus`), a
            DataFrame (cut into chunks) or any iterable of DataFrames in corpus order.
        column: the text column to tokenise.
        preset: normalisation preset for :func:`helpers.tokenize` (``None``: the column is
            already normalised, e.g. by :func:`clean_shards`).
        ngram_sizes: n-gram lengths to count.
        windows: collocation windows to count.
        target: the target sub-corpus for keyness: a mapping such as
            ``{"source": "BBC"}`` (column -> value or list of values) or a function of a
            chunk returning a boolean Series; the other articles are the reference.
        chunk_size: articles per chunk when ``source`` is a path or a DataFrame.
        tokenize_options: more options for :func:`helpers.tokenize` (``stopwords``, ...).

    Returns:
        A :class:`CorpusCounts`; its ``frequencies()``, ``ngrams()``, ``collocations()`` and
        ``keyness()`` equal the in-memory helpers on the whole corpus.

    >>> counts = count_corpus("data/raw", target={"source": "BBC"})  # doctest: +SKIP
    >>> counts.frequencies(top=3)                                         # doctest: +SKIP
    """
    columns = None
    if target is None or isinstance(target, Mapping):
        columns = [column] + [c for c in (target or {}) if c != column]
    total = None
    for chunk in _chunks(source, chunk_size, columns):
        part = count_chunk(chunk, column=column, preset=preset, ngram_sizes=ngram_sizes,
                           windows=windows, target=target, tokenize_options=tokenize_options)
        total = part if total is None else total.merge(part)
    if total is None:
        total = count_chunk(pd.DataFrame({column: pd.Series([], dtype=object)}), column=column,
                            preset=preset, ngram_sizes=ngram_sizes, windows=windows,
                            target=target if target is None else (lambda c: np.zeros(0, bool)),
                            tokenize_options=tokenize_options)
    return total


def clean_shards(source, out_dir, *, column: str = "body", into: str = "clean",
                 preset: str | None = "search", steps: Sequence[str] | None = None,
                 chunk_size: int = corpus_shards.DEFAULT_SHARD_ROWS) -> list:
    """Normalise a text column chunk by chunk into a new shard folder.

    Each chunk gets a column ``into`` = :func:`helpers.normalize` of ``column`` and is
    written as one shard; the result is what normalising the whole corpus in memory gives
    (normalisation is per article). Count it with ``count_corpus(out_dir, column=into,
    preset=None)``.

    Args:
        source: a corpus path or shard folder, a DataFrame or an iterable of DataFrames.
        out_dir: the folder for the new shards.
        column, into: the text column and the column to write.
        preset, steps: as for :func:`helpers.normalize`.
        chunk_size: articles per chunk when ``source`` is a path or a DataFrame.

    Returns:
        The shard paths written.

    >>> clean_shards("data/raw", "/tmp/clean")            # doctest: +SKIP
    [PosixPath('/tmp/clean/part-00000.parquet')]
    """
    report = None
    if isinstance(source, (str, os.PathLike)) and corpus_shards.is_shard_folder(Path(source)):
        report = corpus_shards.shard_report(source)

    def cleaned() -> Iterator[pd.DataFrame]:
        for chunk in _chunks(source, chunk_size, None):
            out = chunk.copy()
            out[into] = normalize(chunk[column], steps=steps, preset=preset)
            yield out

    return corpus_shards.write_frames(cleaned(), out_dir, report=report)


# ---------------------------------------------------------------------- Dask


def _merge_all(*parts: CorpusCounts) -> CorpusCounts:
    total = parts[0]
    for part in parts[1:]:
        total = total.merge(part)
    return total


def dask_counts(
    frame,
    *,
    column: str = "body",
    preset: str | None = "search",
    ngram_sizes: Sequence[int] = (2,),
    windows: Sequence[int] = (2,),
    target=None,
    tokenize_options: Mapping[str, Any] | None = None,
    split_every: int = 8,
) -> CorpusCounts:
    """Count a ``dask.dataframe`` of articles on the current Dask scheduler.

    One :func:`count_chunk` task per partition, then a tree of merges keeping the order
    of the partitions (``split_every`` partial counts per merge), computed with the active
    ``dask.distributed`` client if there is one. The result equals :func:`count_corpus` on
    the same articles, and so the in-memory helpers.

    Args:
        frame: a ``dask.dataframe.DataFrame`` with the text column, e.g.
            :func:`helpers.read_shards_dask` of a shard folder.
        column, preset, ngram_sizes, windows, target, tokenize_options: as for
            :func:`count_corpus` (a ``target`` function must be picklable).
        split_every: partial counts merged per task.

    Returns:
        A :class:`CorpusCounts` (in this process).

    >>> counts = dask_counts(helpers.read_shards_dask("/tmp/ant"))   # doctest: +SKIP
    """
    import dask

    parts = [dask.delayed(count_chunk)(p, column=column, preset=preset, ngram_sizes=ngram_sizes,
                                       windows=windows, target=target,
                                       tokenize_options=tokenize_options)
             for p in frame.to_delayed()]
    if not parts:
        return count_corpus([], column=column, preset=preset, ngram_sizes=ngram_sizes,
                            windows=windows, target=target, tokenize_options=tokenize_options)
    while len(parts) > 1:
        parts = [dask.delayed(_merge_all)(*parts[i:i + split_every])
                 for i in range(0, len(parts), max(split_every, 2))]
    (total,) = dask.compute(parts[0])
    return total


def dask_client(scheduler_address: str | None = None, *, n_workers: int = 2,
                processes: bool = True, threads_per_worker: int = 1):
    """A ``dask.distributed`` client: on the scheduler at ``scheduler_address``, or on a new
    local cluster (closed with the client) when it is ``None``.

    Args:
        scheduler_address: e.g. ``"tcp://10.0.0.5:8786"`` (the workers must have this
            project installed and see the shard folder at the same path); ``None`` starts a
            local cluster.
        n_workers, processes, threads_per_worker: the local cluster's shape. Tokenising and
            counting run in Arrow and NumPy, which release the GIL, so threads in this process
            (``processes=False``) use the cores too, and start at once without copying the
            partial counts between processes; worker processes isolate code that holds it.

    Returns:
        A ``distributed.Client`` (use it as a context manager, or call ``close()``).

    >>> client = dask_client()          # doctest: +SKIP
    >>> len(client.scheduler_info()["workers"])   # doctest: +SKIP
    2
    """
    from distributed import Client

    if scheduler_address:
        return Client(scheduler_address)
    # the scheduler serves HTTP (health, metrics) even without a dashboard, on port 8787
    # unless told otherwise; a second cluster on the machine (two reports built at once)
    # would find it taken and print a warning into the page: any free port, this host only
    return Client(n_workers=n_workers, processes=processes,
                  threads_per_worker=threads_per_worker, dashboard_address=None,
                  scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})
