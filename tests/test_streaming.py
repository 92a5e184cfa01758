"""Tests for helpers.streaming: chunked counts equal the in-memory helpers, exactly.

Small corpora (hand-made and generated), a slice of ANT, and the Dask path on a local
in-process cluster. No timings are asserted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import helpers
from helpers import association, ngram_counts, stats, streaming
from helpers import corpus as reading
from helpers.tokens import tokenize

eq = pd.testing.assert_frame_equal

BODIES = [
    "قال وزير الخارجية إن الوزير سيزور القاهرة.",
    "وزير الخارجية في القاهرة، وقال إن الزيارة مهمة.",
    "",
    None,
    "كأس العالم 2022 في قطر: قطر تستضيف كأس العالم.",
    "قال الرئيس إن وزير الخارجية سيزور قطر.",
    "Expo 2020 في دبي؛ قال المنظمون إن المعرض ناجح.",
]
SOURCES = ["BBC", "CNN", "BBC", "CNN", "BBC", "CNN", "BBC"]


def small() -> pd.DataFrame:
    return pd.DataFrame({"source": SOURCES, "body": pd.Series(BODIES, dtype="string[pyarrow]")})


def check_identical(counts: streaming.CorpusCounts, tokens: pd.Series, target: np.ndarray,
                    *, min_count: int = 1) -> None:
    eq(counts.frequencies(), stats.frequencies(tokens))
    eq(counts.frequencies(drop_stopwords=True, top=5), stats.frequencies(tokens, drop_stopwords=True, top=5))
    eq(counts.ngrams(min_count=min_count), ngram_counts.ngrams(tokens, sorted(counts.ngram_tables), min_count=min_count))
    eq(counts.ngrams(2, min_count=min_count, drop_stopword_only=True),
       ngram_counts.ngrams(tokens, 2, min_count=min_count, drop_stopword_only=True))
    for measure in ("pmi", "llr", "t"):
        for window in sorted(counts.pair_tables):
            eq(counts.collocations(measure, window, min_count=min_count),
               association.collocations(tokens, measure, window, min_count=min_count))
    eq(counts.collocations("llr", min_count=min_count, drop_stopwords=True, top=10),
       association.collocations(tokens, "llr", min_count=min_count, drop_stopwords=True, top=10))
    eq(counts.keyness(min_count=min_count), association.keyness(tokens[target], tokens[~target],
                                                                min_count=min_count))


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 100])
def test_chunked_counts_equal_the_in_memory_helpers(chunk_size):
    articles = small()
    tokens = tokenize(articles["body"])
    counts = streaming.count_corpus(articles, chunk_size=chunk_size, ngram_sizes=(1, 2, 3),
                                    windows=(2, 3), target={"source": "BBC"})
    assert counts.n_docs == len(articles) and counts.n_tokens == int(tokens.map(len).sum())
    check_identical(counts, tokens, (articles["source"] == "BBC").to_numpy())


def test_merge_keeps_the_order_of_first_appearance():
    a = streaming.CorpusCounts.from_tokens(pd.Series([["ب", "أ"]]), target=[True])
    b = streaming.CorpusCounts.from_tokens(pd.Series([["ج", "أ"], ["د"]]), target=[False, True])
    merged = a.merge(b)
    assert merged.vocab.tolist() == ["ب", "أ", "ج", "د"]
    assert merged.counts.tolist() == [1, 2, 1, 1]
    assert merged.vocab[merged.sides["target"][1]].tolist() == ["ب", "أ", "د"]
    assert merged.vocab[merged.sides["reference"][1]].tolist() == ["ج", "أ"]
    # merging from the same object twice gives the same result (no shared state leaks)
    assert a.merge(b).vocab.tolist() == merged.vocab.tolist()
    c = streaming.CorpusCounts.from_tokens(pd.Series([["د", "هـ"]]), target=[True])
    assert merged.merge(c).vocab.tolist() == ["ب", "أ", "ج", "د", "هـ"]
    assert merged.merge(c).counts.tolist() == [1, 2, 1, 2, 1]


def test_options_and_errors():
    counts = streaming.count_corpus([small()], ngram_sizes=(2,))
    with pytest.raises(ValueError):
        counts.ngrams(3)
    with pytest.raises(ValueError):
        counts.collocations(window=3)
    with pytest.raises(ValueError):
        counts.keyness()
    other = streaming.count_corpus([small()], ngram_sizes=(3,))
    with pytest.raises(ValueError):
        counts.merge(other)
    empty = streaming.count_corpus([], target={"source": "BBC"})
    assert empty.frequencies().empty and empty.keyness().empty
    by_function = streaming.count_corpus(small(), chunk_size=2,
                                         target=lambda c: c["source"] == "CNN")
    tokens = tokenize(small()["body"])
    cnn = (small()["source"] == "CNN").to_numpy()
    eq(by_function.keyness(min_count=1), association.keyness(tokens[cnn], tokens[~cnn], min_count=1))


_WORDS = ["في", "من", "قال", "وزير", "الخارجية", "غزة", "مصر", "قطر", "كأس", "العالم"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.lists(st.sampled_from(_WORDS), max_size=12), st.booleans()),
                min_size=1, max_size=12),
       st.integers(min_value=1, max_value=5))
def test_any_split_gives_the_same_tables(docs, chunk_size):
    articles = pd.DataFrame({"body": [" ".join(w) for w, _ in docs],
                             "side": [s for _, s in docs]})
    tokens = tokenize(articles["body"])
    counts = streaming.count_corpus(articles, chunk_size=chunk_size, ngram_sizes=(2, 3, 4),
                                    windows=(2, 4), target=lambda c: c["side"])
    check_identical(counts, tokens, articles["side"].to_numpy())


def test_clean_shards_equals_normalising_in_memory(tmp_path):
    from helpers import normalize

    articles = small()
    shards = streaming.clean_shards(articles, tmp_path, chunk_size=3)
    assert len(shards) == 3
    cleaned = pd.concat(reading.iter_corpus(tmp_path))
    pd.testing.assert_series_equal(cleaned["clean"], normalize(articles["body"], preset="search"),
                                   check_names=False)
    again = streaming.count_corpus(tmp_path, column="clean", preset=None)
    eq(again.frequencies(), stats.frequencies(tokenize(articles["body"])))


# ---------------------------------------------------------------------------- ANT


@pytest.fixture(scope="module")
def ant_slice(ant):
    articles, _ = ant
    return articles.iloc[:2000].reset_index(drop=True)


@pytest.mark.slow
def test_ant_slice_chunked_equals_in_memory(ant_slice):
    tokens = tokenize(ant_slice["body"])
    counts = streaming.count_corpus(ant_slice, chunk_size=450, ngram_sizes=(2, 3),
                                    windows=(2,), target={"source": "BBC"})
    check_identical(counts, tokens, (ant_slice["source"] == "BBC").to_numpy(), min_count=3)


@pytest.mark.slow
def test_ant_slice_on_dask_equals_pandas(ant_slice, tmp_path):
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    reading.write_frames([ant_slice.iloc[i:i + 500] for i in range(0, len(ant_slice), 500)],
                         tmp_path)
    tokens = tokenize(ant_slice["body"])
    bbc = (ant_slice["source"] == "BBC").to_numpy()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        frame = reading.read_shards_dask(tmp_path, columns=["source", "body"])
        assert frame.npartitions == 4
        counts = streaming.dask_counts(frame, target={"source": "BBC"}, split_every=2)
    eq(counts.frequencies(), stats.frequencies(tokens))
    eq(counts.collocations("llr", min_count=5), association.collocations(tokens, "llr", min_count=5))
    eq(counts.keyness(), association.keyness(tokens[bbc], tokens[~bbc]))
    eq(counts.ngrams(min_count=2), ngram_counts.ngrams(tokens, 2, min_count=2))


def test_what_we_saw_scale_says_the_counts_and_isolates_values():
    articles = small().assign(source=["<b>x</b>", "CNN", "<b>x</b>", "CNN", "<b>x</b>", "CNN", "<b>x</b>"])
    counts = streaming.count_corpus(articles, target={"source": "<b>x</b>"})
    summary = helpers.what_we_saw_scale(counts, partitions=3, workers=2, target="<b>x</b>", min_count=1)
    assert f"{counts.n_docs:,} article(s), {counts.n_tokens:,} tokens" in summary.text
    assert "<b>x</b>" not in summary.html and "<bdi>&lt;b&gt;x&lt;/b&gt;</bdi>" in summary.html
    assert summary.html.startswith('<ul class="hx-findings">')
