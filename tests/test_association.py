"""Tests for helpers.association: NLTK equivalence for collocations, G²/Log Ratio by hand."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest

from helpers import association

nltk_collocations = pytest.importorskip("nltk.collocations")
from nltk.metrics import BigramAssocMeasures  # noqa: E402

NLTK_MEASURE = {
    "pmi": BigramAssocMeasures.pmi,
    "llr": BigramAssocMeasures.likelihood_ratio,
    "t": BigramAssocMeasures.student_t,
}


def _random_docs(seed: int, n_docs: int = 40):
    rng = random.Random(seed)
    words = "قال وزير الخارجية في غزة مصر من إلى عن الرئيس".split()
    return [
        [rng.choice(words[: rng.randint(2, len(words))]) for _ in range(rng.randint(0, 30))]
        for _ in range(n_docs)
    ]


def _nltk_finder(docs, window):
    """NLTK's finder over the articles with window-1 padding symbols between them.

    ``BigramCollocationFinder.from_documents`` does exactly this for window 2; for wider
    windows we pad the same way ourselves, so no pair spans two articles (our semantics).
    """
    finder_cls = nltk_collocations.BigramCollocationFinder
    words = finder_cls._build_new_documents(docs, window, pad_right=True)
    return finder_cls.from_words(words, window_size=window)


@pytest.mark.parametrize("window", [2, 3, 4])
@pytest.mark.parametrize("measure", ["pmi", "llr", "t"])
def test_collocations_equal_nltk_on_several_articles(measure, window):
    docs = _random_docs(seed=window)
    finder = _nltk_finder(docs, window)
    expected = finder.score_ngrams(NLTK_MEASURE[measure])
    got = association.collocations(pd.Series(docs, dtype=object), measure, window=window, min_count=1)
    assert list(got.columns) == ["w1", "w2", "count", "score"]
    assert [tuple(p) for p in got[["w1", "w2"]].values] == [p for p, _ in expected]
    np.testing.assert_allclose(got["score"], [s for _, s in expected], rtol=1e-12)
    assert got["count"].tolist() == [finder.ngram_fd[p] for p, _ in expected]


@pytest.mark.parametrize("window", [2, 3])
@pytest.mark.parametrize("measure", ["pmi", "llr", "t"])
def test_collocations_equal_nltk_from_words_on_one_article(measure, window):
    doc = _random_docs(seed=10 + window, n_docs=1)[0] + ["قال", "وزير", "الخارجية"] * 5
    finder = nltk_collocations.BigramCollocationFinder.from_words(doc, window_size=window)
    finder.apply_freq_filter(2)
    expected = finder.score_ngrams(NLTK_MEASURE[measure])
    got = association.collocations(pd.Series([doc]), measure, window=window, min_count=2)
    assert [tuple(p) for p in got[["w1", "w2"]].values] == [p for p, _ in expected]
    np.testing.assert_allclose(got["score"], [s for _, s in expected], rtol=1e-12)


def test_collocations_min_count_top_and_stopwords():
    t = pd.Series([["قال", "وزير", "الخارجية", "في", "غزة"], ["وزير", "الخارجية", "في", "مصر"]])
    got = association.collocations(t, "llr", min_count=2)
    assert set(map(tuple, got[["w1", "w2"]].values)) == {("وزير", "الخارجية"), ("الخارجية", "في")}
    no_stop = association.collocations(t, "llr", min_count=2, drop_stopwords=True, stopwords={"في"})
    assert no_stop[["w1", "w2"]].values.tolist() == [["وزير", "الخارجية"]]
    assert len(association.collocations(t, "t", min_count=1, top=3)) == 3
    with pytest.raises(ValueError):
        association.collocations(t, "dice")


def test_keyness_g2_and_log_ratio_by_hand():
    # target: 100 tokens, X 10 times, Y 4 times; reference: 200 tokens, X 5 times, Y never.
    target = pd.Series([["X"] * 10 + ["Y"] * 4 + ["t"] * 86])
    reference = pd.Series([["X"] * 5 + ["r"] * 195])
    k = association.keyness(target, reference, min_count=1).set_index("term")
    assert list(k.reset_index().columns) == [
        "term", "count_target", "count_reference", "g2", "log_ratio", "key_for"]
    # X: table [[10, 5], [90, 195]], N = 300; expected E = row x column / N:
    #   E(10) = 15*100/300 = 5, E(5) = 15*200/300 = 10, E(90) = 285*100/300 = 95,
    #   E(195) = 285*200/300 = 190
    #   G2 = 2 (10 ln(10/5) + 5 ln(5/10) + 90 ln(90/95) + 195 ln(195/190))
    #      = 2 (6.931472 - 3.465736 - 4.866050 + 5.065220) = 7.329812
    assert k.loc["X", "g2"] == pytest.approx(7.329812, abs=1e-6)
    # Log Ratio = log2((10/100) / (5/200)) = log2(4) = 2
    assert k.loc["X", "log_ratio"] == pytest.approx(2.0)
    assert k.loc["X", "key_for"] == "target"
    # Y: table [[4, 0], [96, 200]]: E(4) = 4/3, E(0) = 8/3, E(96) = 296/3, E(200) = 592/3;
    #   G2 = 2 (4 ln 3 + 0 + 96 ln(288/296) + 200 ln(600/592)) = 8.897500
    assert k.loc["Y", "g2"] == pytest.approx(2 * (4 * math.log(3) + 96 * math.log(288 / 296)
                                                  + 200 * math.log(600 / 592)))
    assert k.loc["Y", "g2"] == pytest.approx(8.8975, abs=1e-4)
    # zero in the reference -> 0.5 (Hardie): log2((4/100) / (0.5/200)) = log2(16) = 4
    assert k.loc["Y", "log_ratio"] == pytest.approx(4.0)
    # r occurs only in the reference: key for the reference, log ratio log2((0.5/100)/(195/200))
    assert k.loc["r", "key_for"] == "reference"
    assert k.loc["r", "log_ratio"] == pytest.approx(math.log2(0.005 / 0.975))
    assert k["g2"].is_monotonic_decreasing


def test_keyness_min_count_counts_both_corpora_together():
    k = association.keyness(pd.Series([["a", "b"]]), pd.Series([["a", "c"]]), min_count=2)
    assert k["term"].tolist() == ["a"]
    assert k.loc[0, "g2"] == pytest.approx(0.0)


def test_distinctive_terms_tf_idf_groups_as_documents():
    t = pd.Series([["غزة", "في", "غزة"], ["كأس", "في"], ["هدف", "في", "كأس"]])
    by = pd.Series(["سياسة", "رياضة", "رياضة"], name="category")
    d = association.distinctive_terms(t, by, top=5, min_count=1)
    assert list(d.columns) == ["category", "rank", "term", "count", "tf", "idf", "tf_idf"]
    politics = d[d["category"] == "سياسة"]
    # غزة: tf 2/3, idf ln(2/1); في is in both groups: idf 0, not listed
    assert politics["term"].tolist() == ["غزة"]
    assert politics["tf_idf"].iloc[0] == pytest.approx(2 / 3 * math.log(2))
    sport = d[d["category"] == "رياضة"]
    assert sport["term"].tolist() == ["كأس", "هدف"]
    assert sport["count"].tolist() == [2, 1]


def test_keyness_with_an_empty_side_has_no_rows():
    k = association.keyness(pd.Series([["a"]]), pd.Series([[]], dtype=object), min_count=1)
    assert k.empty and list(k.columns) == [
        "term", "count_target", "count_reference", "g2", "log_ratio", "key_for"]
