"""Tests for helpers.encoded: the integer encoding of token lists and its cache."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import encoded, stats


@pytest.fixture
def tokens():
    # doc 0: a b a | doc 1: b c | doc 2: empty | doc 3: missing (counts as empty)
    return pd.Series([["a", "b", "a"], ["b", "c"], [], None], index=[10, 11, 12, 13], dtype=object)


def test_encode_keeps_articles_apart_and_codes_in_first_appearance_order(tokens):
    enc = encoded.encode(tokens)
    assert enc.codes.tolist() == [0, 1, 0, 1, 2]
    assert enc.vocab.tolist() == ["a", "b", "c"]
    assert enc.indptr.tolist() == [0, 3, 5, 5, 5]
    assert enc.index.tolist() == [10, 11, 12, 13]


def test_encode_is_cached_per_series_and_input_not_mutated(tokens):
    before = tokens.copy()
    assert encoded.encode(tokens) is encoded.encode(tokens)
    pd.testing.assert_series_equal(tokens, before)


def test_selection_of_a_cached_series_encodes_like_a_fresh_one():
    t = pd.Series([["a", "b"], ["c", "a", "d"], [], ["d", "e"]], index=[5, 6, 7, 8], dtype=object)
    encoded.encode(t)
    sub = t[[False, True, True, True]]
    fresh = pd.Series([list(x) for x in sub], index=sub.index, dtype=object)
    got, want = encoded.encode(sub), encoded.encode(fresh)
    assert got.codes.tolist() == want.codes.tolist() == [0, 1, 2, 2, 3]
    assert got.vocab.tolist() == want.vocab.tolist() == ["c", "a", "d", "e"]
    assert got.indptr.tolist() == want.indptr.tolist()
    assert got.index.equals(sub.index)
    pd.testing.assert_frame_equal(stats.frequencies(sub), stats.frequencies(fresh))


def test_encode_arrow_fast_path_equals_pandas_factorize():
    """The Arrow hashing path gives pandas.factorize's codes and vocabulary (first
    appearance order), and non-string tokens fall back to pandas."""
    import itertools

    lists = [["قال", "الوزير", "قال"], [], ("غزة", "قال"), np.array(["الوزير", "x"], dtype=object),
             ["ﻻ", "e\u0301", "é", "قال"]]
    n = sum(len(x) for x in lists)
    codes, vocab = encoded._factorize_arrow(lists, n)
    flat = np.empty(n, dtype=object)
    flat[:] = list(itertools.chain.from_iterable(lists))
    ref_codes, ref_vocab = pd.factorize(flat)
    assert codes.tolist() == ref_codes.tolist() and vocab.tolist() == list(ref_vocab)
    assert all(type(v) is str for v in vocab)
    assert encoded._factorize_arrow([[1, 2], [2]], 3) == (None, None)
    assert encoded._factorize_arrow([["a", None]], 2) == (None, None)
    assert encoded.encode(pd.Series([[1, 2], [2, 3]])).codes.tolist() == [0, 1, 1, 2]


@pytest.mark.parametrize("parallel_from", [0, 10**9])
def test_encode_arrow_lists_equal_python_lists(monkeypatch, parallel_from):
    """Token lists stored in Arrow (what tokenize returns) encode exactly like the same
    lists as Python objects: codes, vocabulary order, article bounds, counts and document
    frequencies; split into parts hashed in threads (``parallel_from=0``) or not, with
    sliced chunks, missing and empty lists."""
    import pyarrow as pa

    monkeypatch.setattr(encoded, "_PARALLEL_TOKENS", parallel_from)
    rng = np.random.default_rng(7)
    words = np.array(["قال", "الوزير", "غزة", "في", "x", "é", "ﻻ", "2020"], dtype=object)
    lists = [list(rng.choice(words, size=rng.integers(0, 12))) for _ in range(301)]
    lists[5] = lists[17] = []
    arrow = pa.chunked_array([pa.array(lists[:150], pa.list_(pa.string())),
                              pa.array(lists[150:], pa.list_(pa.string()))])
    arrow = pa.chunked_array([c.slice(1) for c in arrow.chunks] + [pa.array([None], pa.list_(pa.string()))])
    expect = [x for i, x in enumerate(lists) if i not in (0, 150)] + [[]]
    index = pd.RangeIndex(len(expect)) * 3
    got = encoded.encode(pd.Series(pd.arrays.ArrowExtensionArray(arrow), index=index))
    want = encoded.encode(pd.Series(expect, index=index, dtype=object))
    assert got.codes.tolist() == want.codes.tolist() and got.vocab.tolist() == want.vocab.tolist()
    assert got.indptr.tolist() == want.indptr.tolist() and got.index.equals(index)
    assert got.counts.tolist() == want.counts.tolist()
    assert got.doc_freq.tolist() == want.doc_freq.tolist() == np.bincount(want.matrix.indices).tolist()
    empty = encoded.encode(pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array([], pa.list_(pa.string())))))
    assert empty.n_tokens == 0 and empty.n_docs == 0 and empty.doc_freq.tolist() == []


def test_doc_freq_packs_wide_keys():
    """Article and term numbers too wide for 32 bits are packed in 64 bits."""
    codes = np.array([0, 70000, 0, 70000, 70000], dtype=np.int64)
    lengths = np.zeros(70001, dtype=np.int64)
    lengths[0], lengths[70000] = 2, 3
    assert encoded._doc_freq(codes, lengths, 70001)[[0, 70000]].tolist() == [2, 2]


def test_arrow_subset_encoded_from_its_parent_equals_a_fresh_encoding():
    """tokens[mask] of an encoded Arrow Series is encoded from the parent's codes (rows found
    by label, checked equal); the result is what encoding it afresh gives. A Series with the
    same labels but other tokens is not mistaken for a selection of the parent."""
    import pyarrow as pa

    from helpers import tokenize

    text = pd.Series(["غزة في مصر", "", "مصر والأردن في قمة", "قمة غزة", "في"], index=[4, 8, 1, 3, 9])
    tokens = tokenize(text)
    encoded.encode(tokens)
    for mask in ([True, False, True, False, True], [False, True, False, True, False],
                 [False] * 5, [True] * 5):
        sub = tokens[mask]
        got = encoded.encode(sub)
        fresh = encoded._encode_arrow(sub)
        assert got.codes.tolist() == fresh.codes.tolist() and got.vocab.tolist() == fresh.vocab.tolist()
        assert got.indptr.tolist() == fresh.indptr.tolist() and got.index.equals(sub.index)
    other = pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array(
        [pa.array([["x"], ["y", "x"]], pa.list_(pa.string()))])), index=[4, 1])
    assert encoded.encode(other).vocab.tolist() == ["x", "y"]


@pytest.mark.parametrize("key_bits", [None, 62])
def test_sort_order_is_a_stable_argsort(key_bits):
    """Both ways (packed plain sort, and argsort when key and position do not fit)."""
    key = np.array([5, 3, 5, 0, 3, 3, 9], dtype=np.int64)
    order, ordered = encoded.sort_order(key, key_bits)
    assert order.tolist() == np.argsort(key, kind="stable").tolist() == [3, 1, 4, 5, 0, 2, 6]
    assert ordered.tolist() == sorted(key.tolist()) and key.tolist() == [5, 3, 5, 0, 3, 3, 9]
    empty = encoded.sort_order(np.empty(0, dtype=np.int64))
    assert len(empty[0]) == len(empty[1]) == 0


def test_distinct_counts_and_bits_needed():
    keys, counts = encoded.distinct_counts(np.array([1, 1, 4, 7, 7, 7], dtype=np.int64))
    assert keys.tolist() == [1, 4, 7] and counts.tolist() == [2, 1, 3]
    assert [len(x) for x in encoded.distinct_counts(np.empty(0, dtype=np.int64))] == [0, 0]
    assert [encoded.bits_needed(n) for n in (1, 2, 3, 256, 257)] == [1, 1, 2, 8, 9]


def test_stop_mask_defaults_to_the_project_stopwords():
    import helpers

    enc = encoded.encode(pd.Series([["في", "غزة", "الي"]]))
    assert encoded.stop_mask(enc, None).tolist() == [True, False, True]
    assert encoded.stop_mask(enc, True).tolist() == encoded.stop_mask(enc, helpers.stopwords()).tolist()
    assert encoded.stop_mask(enc, {"غزة"}).tolist() == [False, True, False]
