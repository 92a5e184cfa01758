"""Tests for helpers.stats, helpers.ngram_counts and helpers.timelines: small hand-made
corpora with answers worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import encoded, ngram_counts, stats, timelines


@pytest.fixture
def tokens():
    # doc 0: a b a | doc 1: b c | doc 2: empty | doc 3: missing (counts as empty)
    return pd.Series([["a", "b", "a"], ["b", "c"], [], None], index=[10, 11, 12, 13], dtype=object)


def test_frequencies_counts_per_million_doc_freq(tokens):
    f = stats.frequencies(tokens)
    assert list(f.columns) == ["term", "count", "per_million", "doc_freq"]
    assert f["term"].tolist() == ["a", "b", "c"]  # a and b tie: first appearance first
    assert f["count"].tolist() == [2, 2, 1]
    assert f["doc_freq"].tolist() == [1, 2, 1]
    assert f["per_million"].tolist() == pytest.approx([400_000, 400_000, 200_000])


def test_frequencies_by_group_one_block_per_group():
    t = pd.Series([["x", "y"], ["x"], ["y", "y", "z"]])
    by = pd.Series(["bbc", "cnn", "bbc"], name="source")
    f = stats.frequencies(t, by)
    assert list(f.columns) == ["source", "term", "count", "per_million", "doc_freq"]
    bbc = f[f["source"] == "bbc"]
    assert bbc["term"].tolist() == ["y", "x", "z"]
    assert bbc["count"].tolist() == [3, 1, 1]
    assert bbc["doc_freq"].tolist() == [2, 1, 1]
    assert bbc["per_million"].tolist() == pytest.approx([600_000, 200_000, 200_000])
    cnn = f[f["source"] == "cnn"]
    assert cnn[["term", "count", "doc_freq"]].values.tolist() == [["x", 1, 1]]


def test_frequencies_stopwords_dropped_but_still_in_denominator():
    t = pd.Series([["في", "غزه", "في", "من"]])
    f = stats.frequencies(t, drop_stopwords=True, stopwords={"في", "من"})
    assert f[["term", "count"]].values.tolist() == [["غزه", 1]]
    assert f["per_million"].iloc[0] == pytest.approx(250_000)
    assert stats.frequencies(t)["term"].tolist() == ["في", "غزه", "من"]


def test_frequencies_default_stopwords_drop_common_arabic_words():
    t = pd.Series([["في", "غزه", "من", "الي"]])
    terms = stats.frequencies(t, drop_stopwords=True)["term"].tolist()
    assert "غزه" in terms and "في" not in terms and "من" not in terms


def test_frequencies_min_count_and_top(tokens):
    assert stats.frequencies(tokens, min_count=2)["term"].tolist() == ["a", "b"]
    assert stats.frequencies(tokens, top=1)["term"].tolist() == ["a"]


def test_ngrams_counts_doc_freq_and_never_across_articles():
    t = pd.Series([["w", "x", "y"], ["w", "x"], ["y", "w"]])
    g = ngram_counts.ngrams(t, n=2, min_count=1)
    rows = {r.ngram: (r.count, r.doc_freq) for r in g.itertuples()}
    assert rows == {"w x": (2, 2), "x y": (1, 1), "y w": (1, 1)}  # y|w across docs 0/1 not counted
    g3 = ngram_counts.ngrams(t, n=3, min_count=1)
    assert g3[["ngram", "n", "count", "doc_freq"]].values.tolist() == [["w x y", 3, 1, 1]]
    both = ngram_counts.ngrams(t, n=(2, 3), min_count=2)
    assert both[["ngram", "n", "count"]].values.tolist() == [["w x", 2, 2]]


def test_ngrams_doc_freq_counts_articles_not_occurrences():
    t = pd.Series([["a", "b", "a", "b"], ["a", "b"]])
    g = ngram_counts.ngrams(t, n=2, min_count=1)
    assert g.set_index("ngram").loc["a b", ["count", "doc_freq"]].tolist() == [3, 2]


def test_ngrams_drop_stopword_only():
    t = pd.Series([["في", "من", "غزه", "في", "من"]])
    g = ngram_counts.ngrams(t, n=2, min_count=1, drop_stopword_only=True, stopwords={"في", "من"})
    assert set(g["ngram"]) == {"من غزه", "غزه في"}


def test_zipf_exact_power_law_has_slope_minus_one():
    counts = [60, 30, 20, 15, 12]  # 60 / rank
    t = pd.Series([[f"w{i}"] * c for i, c in enumerate(counts)])
    z = stats.zipf(t)
    assert z["rank"].tolist() == [1, 2, 3, 4, 5]
    assert z["count"].tolist() == counts
    assert z.attrs["slope"] == pytest.approx(-1.0)
    assert 10 ** z.attrs["intercept"] == pytest.approx(60)
    assert z.attrs["r2"] == pytest.approx(1.0)
    assert z["frequency"].sum() == pytest.approx(1.0)


def test_heaps_all_new_tokens_gives_k1_beta1():
    t = pd.Series([[f"w{i}" for i in range(50)], [f"v{i}" for i in range(50)]])
    h = stats.heaps(t, points=20)
    assert h["types"].tolist() == h["tokens"].tolist()
    assert h.attrs["K"] == pytest.approx(1.0)
    assert h.attrs["beta"] == pytest.approx(1.0)


def test_heaps_counts_types_in_reading_order():
    t = pd.Series([["a", "b", "a"], ["c", "a"]])
    h = stats.heaps(t, points=10)
    assert dict(zip(h["tokens"], h["types"])) == {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}


def _mattr_brute(toks, w):
    if not toks:
        return float("nan")
    if len(toks) < w:
        return len(set(toks)) / len(toks)
    return float(np.mean([len(set(toks[s:s + w])) / w for s in range(len(toks) - w + 1)]))


def test_diversity_hand_example():
    t = pd.Series([["a", "b", "a", "c"], ["a", "a"], []], index=["x", "y", "z"])
    d = stats.diversity(t, window=3)
    assert d.index.tolist() == ["x", "y", "z"]
    assert d.loc["x", "ttr"] == pytest.approx(0.75)
    # windows a b a (2/3) and b a c (3/3)
    assert d.loc["x", "mattr"] == pytest.approx((2 / 3 + 1) / 2)
    assert d.loc["y", "mattr"] == pytest.approx(0.5)  # shorter than the window: TTR
    assert math.isnan(d.loc["z", "mattr"])
    assert stats.diversity(t, window=2).loc["x", "mattr"] == pytest.approx(1.0)


def test_diversity_matches_brute_force_on_random_articles():
    rng = np.random.default_rng(3)
    docs = [list(rng.choice(list("abcdefg"), size=rng.integers(0, 40))) for _ in range(30)]
    for w in (1, 5, 12):
        d = stats.diversity(pd.Series(docs, dtype=object), window=w)
        expected = [_mattr_brute(doc, w) for doc in docs]
        np.testing.assert_allclose(d["mattr"].to_numpy(), expected, equal_nan=True)


def test_dispersion_gries_dp_and_juilland_d_by_hand():
    # part sizes 2, 2, 4 tokens -> s = .25 .25 .5; "x" once in part 0 and once in part 2
    t = pd.Series([["x", "a"], ["b", "c"], ["x", "d", "e", "f"]])
    d = stats.dispersion(t, ["x", "missing"]).set_index("term")
    # v = .5 0 .5: DP = .5 (|.5-.25| + |0-.25| + |.5-.5|) = .25; DP_norm = .25 / (1 - .25)
    assert d.loc["x", "dp"] == pytest.approx(0.25)
    assert d.loc["x", "dp_norm"] == pytest.approx(1 / 3)
    # relative frequencies p = 1/2, 0, 1/4: mean .25, population sd sqrt(.125/3),
    # D = 1 - (sd/mean)/sqrt(2) = 1 - 0.5773503
    assert d.loc["x", "juilland_d"] == pytest.approx(1 - math.sqrt(0.125 / 3) / 0.25 / math.sqrt(2))
    assert d.loc["x", ["count", "range", "parts"]].tolist() == [2, 2, 3]
    assert d.loc["missing", "count"] == 0 and math.isnan(d.loc["missing", "dp"])


def test_dispersion_all_terms_and_parts_by_group():
    t = pd.Series([["x", "y"], ["x", "y"], ["y", "y"]])
    d = stats.dispersion(t).set_index("term")
    assert d.loc["y", "count"] == 4 and d.loc["x", "count"] == 2
    by_src = stats.dispersion(t, ["x"], parts=pd.Series(["a", "a", "b"])).set_index("term")
    # parts a (4 tokens, both x) and b (2 tokens): v = 1 0, s = 2/3 1/3 -> DP = 1/3
    assert by_src.loc["x", "dp"] == pytest.approx(1 / 3)
    assert by_src.loc["x", "juilland_d"] == pytest.approx(0.0)


def test_dispersion_positions():
    t = pd.Series([["x", "a"], ["b", "x", "x"]], index=["d1", "d2"])
    p = stats.dispersion_positions(t, ["x", "b"])
    assert p[["term", "article", "position", "offset"]].values.tolist() == [
        ["x", "d1", 0, 0], ["b", "d2", 0, 2], ["x", "d2", 1, 3], ["x", "d2", 2, 4],
    ]
    assert p["relative"].tolist() == pytest.approx([0, 0.4, 0.6, 0.8])


def test_trends_per_month_per_source_per_million():
    arts = pd.DataFrame({
        "source": ["bbc", "bbc", "cnn"],
        "date": pd.to_datetime(["2018-01-03", "2018-02-10", "2018-01-20"], utc=True),
    })
    t = pd.Series([["غزه", "في", "غزه", "من"], ["في"], ["غزه", "في"]])
    tr = timelines.trends(arts, t, "غزه", freq="M", by="source")
    assert list(tr.columns) == ["period", "source", "term", "count", "tokens", "per_million"]
    got = {(str(r.period.date()), r.source): (r.count, r.tokens, r.per_million) for r in tr.itertuples()}
    assert got == {
        ("2018-01-01", "bbc"): (2, 4, 500_000.0),
        ("2018-01-01", "cnn"): (1, 2, 500_000.0),
        ("2018-02-01", "bbc"): (0, 1, 0.0),
    }
    weekly = timelines.trends(arts, t, ["غزه", "في"], freq="week", by=None)
    assert set(weekly["term"]) == {"غزه", "في"}
    assert weekly.groupby("term")["count"].sum().to_dict() == {"غزه": 3, "في": 3}


def test_corpus_stats_overall_and_per_group():
    arts = pd.DataFrame({
        "source": ["bbc", "bbc", "cnn"],
        "category": ["sport", "world", "sport"],
        "date": pd.to_datetime(["2018-01-03", "2018-02-10", None], utc=True),
    })
    t = pd.Series([["a", "b", "a"], ["b"], ["c", "d"]])
    s = stats.corpus_stats(arts, t)
    overall = s[s["by"] == "all"].iloc[0]
    assert (overall["articles"], overall["tokens"], overall["types"]) == (3, 6, 4)
    assert overall["mean_length"] == pytest.approx(2.0) and overall["median_length"] == 2
    bbc = s[(s["by"] == "source") & (s["group"] == "bbc")].iloc[0]
    assert (bbc["articles"], bbc["tokens"], bbc["types"]) == (2, 4, 2)
    months = s[s["by"] == "month"].set_index("group")["articles"].to_dict()
    assert months == {"2018-01": 1, "2018-02": 1, "(missing)": 1}


def test_length_distribution():
    t = pd.Series([["a"], ["a", "b"], ["a", "b", "c", "d"]])
    h = stats.length_distribution(t, bins=[0, 2, 5])
    assert h["articles"].tolist() == [1, 2]
    by = stats.length_distribution(t, by=pd.Series(["x", "y", "y"], name="source"), bins=[0, 2, 5])
    assert by.groupby("source")["articles"].sum().to_dict() == {"x": 1, "y": 2}


def test_helpers_exports_entry_points():
    import helpers

    try:
        frequencies = helpers.frequencies
    except ModuleNotFoundError as err:  # another module listed in helpers is not written yet
        pytest.skip(f"helpers exports not importable yet: {err}")
    assert frequencies is stats.frequencies
    assert helpers.ngrams is ngram_counts.ngrams and helpers.trends is timelines.trends
    assert helpers.encode is encoded.encode


@pytest.mark.parametrize("vocab_size, n_docs", [(5, 300), (70_000, 3000)])
def test_ngrams_match_brute_force_counts(vocab_size, n_docs):
    # 70 000 types = 17 bits: 4-grams are repacked mid-way, and (trigram, article) keys
    # (51 + 12 bits) take the rank path
    from collections import Counter

    rng = np.random.default_rng(vocab_size)
    vocab = [f"w{i}" for i in range(vocab_size)]
    docs = [[vocab[j] for j in rng.integers(0, vocab_size, size=rng.integers(0, 12))] for _ in range(n_docs)]
    docs += [["w1", "w2", "w3", "w4"]] * 3  # some repeated 4-grams whatever the vocabulary
    t = pd.Series(docs, dtype=object)
    for n in (2, 3, 4):
        counts, dfreq = Counter(), Counter()
        for d in docs:
            grams = [" ".join(d[i:i + n]) for i in range(len(d) - n + 1)]
            counts.update(grams)
            dfreq.update(set(grams))
        g = ngram_counts.ngrams(t, n=n, min_count=1)
        assert dict(zip(g["ngram"], g["count"])) == dict(counts)
        assert dict(zip(g["ngram"], g["doc_freq"])) == dict(dfreq)
        assert g["count"].is_monotonic_decreasing


def test_subset_by_source_category_and_dates():
    a = pd.DataFrame({
        "source": ["BBC", "cnn", "bbc", None],
        "category": ["world", "sport", "sport", "world"],
        "date": pd.to_datetime(["2018-01-01 00:00", "2018-01-31 23:00", None, "2018-02-01 00:00"], utc=True),
    })
    before = a.copy()
    assert stats.subset(a, source="bbc").index.tolist() == [0, 2]
    assert stats.subset(a, source=["cnn", "bbc"], category="sport").index.tolist() == [1, 2]
    assert stats.subset(a, start="2018-01-15", end="2018-01-31").index.tolist() == [1]
    assert stats.subset(a, end="2018-01-31").index.tolist() == [0, 1]
    assert stats.subset(a).index.tolist() == [0, 1, 2, 3]
    pd.testing.assert_frame_equal(a, before)


def test_a_corpus_without_words_gives_empty_or_zero_tables():
    """Articles whose bodies are empty (headlines only): no column to index, no failure."""
    tokens = pd.Series([[], []])
    dates = pd.DataFrame({"date": pd.to_datetime(["2020-01-02", "2020-02-03"], utc=True),
                          "source": ["أ", "ب"]})
    d = stats.dispersion(tokens, ["ليبيا"])
    assert d["count"].tolist() == [0] and d["dp"].isna().all()
    assert stats.dispersion(tokens).empty
    t = timelines.trends(dates, tokens, ["ليبيا"], by="source")
    assert t["count"].tolist() == [0, 0] and t["per_million"].isna().all()
    enc = encoded.encode(pd.Series([["في", "غزة", "غزة"], []]))
    assert enc.term_counts(["غزة", "ليبيا"]).tolist() == [[2, 0], [0, 0]]
    assert encoded.encode(tokens).term_counts(["غزة"]).tolist() == [[0], [0]]


def test_period_of_is_the_one_bucketing_of_dates():
    """Weeks start on Monday, months and quarters on their first day, in UTC; NaT is kept."""
    dates = pd.Series(pd.to_datetime(["2018-03-31 23:30", "2018-04-04 00:00", None], utc=True))
    months = timelines.period_of(dates)
    assert months.astype("string").tolist()[:2] == ["2018-03", "2018-04"] and months.isna().tolist()[2]
    assert timelines.period_of(dates, "month").equals(months)
    weeks = timelines.period_of(dates, "week").dt.start_time
    assert [str(d.date()) for d in weeks[:2]] == ["2018-03-26", "2018-04-02"]
    assert timelines.period_of(dates, "Q").astype("string").tolist()[:2] == ["2018Q1", "2018Q2"]
    assert timelines.period_of(dates, "year").astype("string").tolist()[:2] == ["2018", "2018"]
