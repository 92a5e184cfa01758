"""N-grams: contiguous word sequences inside articles, counted by sorting packed keys.

:func:`ngrams` is the table a notebook asks for; :func:`ngram_table` (the distinct n-grams of
an encoding as sorted packed keys, with counts and document frequencies),
:func:`ngram_block` and :func:`ngram_frame` are the steps :mod:`helpers.streaming` shares to
give the same table from counts merged chunk by chunk.

>>> tokens = pd.Series([["وزير", "الخارجية", "قال"], ["وزير", "الخارجية"]])
>>> ngrams(tokens, 2)[["ngram", "count"]].values.tolist()
[['وزير الخارجية', 2]]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .encoded import Encoded, bits_needed, distinct_counts, encode, sort_order, stop_mask

__all__ = ["ngrams"]


def _dense(key: np.ndarray, key_bits: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted distinct keys, rank of each key among them, count of each distinct key).

    When the key and the position fit together in 63 bits, the argsort is a plain sort of
    ``key << pos_bits | position`` (numpy's sort is several times faster than argsort).
    """
    n = len(key)
    order, ordered = sort_order(key, key_bits)
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
    bits = bits_needed(enc.n_types)
    # n-gram starts: every token but the last n - 1 of each article
    tail = np.minimum(n - 1, enc.lengths)
    last = np.repeat(enc.indptr[1:] - tail, tail)
    last += np.arange(len(last), dtype=np.int64) - np.repeat(np.cumsum(tail) - tail, tail)
    keep = np.ones(enc.n_tokens, dtype=bool)
    keep[last] = False
    starts = np.flatnonzero(keep)
    del keep, last
    pos_bits = bits_needed(max(len(starts), 1))
    key = enc.codes[starts].astype(np.int64)
    key_bits = bits
    steps = []  # per added token: the table of distinct keys it replaced, or None
    for k in range(1, n):
        table = None
        last = k == n - 1
        # keep room to rank the keys again (or, for the last token, to add the article)
        room = bits_needed(max(enc.n_docs, 1)) if last else pos_bits
        if key_bits + bits + room > 63:
            table, key, _ = _dense(key, key_bits)
            key_bits = bits_needed(max(len(table), 1))
        steps.append(table)
        key = (key << bits) | enc.codes[starts + k]
        key_bits += bits
    doc_bits = bits_needed(max(enc.n_docs, 1))
    doc = np.searchsorted(enc.indptr, starts, side="right") - 1  # article of each start
    del starts
    if key_bits + doc_bits <= 63:  # (n-gram, article) fits one int64: two plain sorts
        pairs = key << doc_bits
        pairs |= doc
        del doc
        key.sort()
        keys, counts = distinct_counts(key)
        del key
        pairs.sort()
        pairs = distinct_counts(pairs)[0]  # distinct (n-gram, article)
        pairs >>= doc_bits
        doc_freq = distinct_counts(pairs)[1]  # same distinct keys, same order
    else:
        keys, rank, counts = _dense(key, key_bits)
        del key
        rank <<= doc_bits
        rank |= doc
        del doc
        rank.sort()
        pairs = distinct_counts(rank)[0]
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
        stopwords: the stopword set (default: :func:`helpers.stopwords`).
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
    stop = stop_mask(enc, stopwords) if drop_stopword_only else None
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
