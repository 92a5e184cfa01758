"""Tests for helpers.topics: NMF separates clearly distinct vocabularies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.topicmodels import TopicModel, topics

SPORT = ["كرة", "هدف", "مباراة", "لاعب", "الدوري"]
OIL = ["نفط", "سعر", "برميل", "أوبك", "إنتاج"]


def _corpus(seed=0):
    rng = np.random.default_rng(seed)
    docs, truth = [], []
    for i in range(40):
        vocab = SPORT if i % 2 == 0 else OIL
        docs.append(list(rng.choice(vocab, size=20)) + ["في"] * 3)
        truth.append(i % 2)
    return pd.Series(docs, index=[f"a{i}" for i in range(40)], dtype=object), np.array(truth)


def test_topics_recover_two_vocabularies():
    tokens, truth = _corpus()
    model = topics(tokens, n_topics=2, top=5, min_df=1, max_df=0.9, stopwords={"في"})
    assert isinstance(model, TopicModel)
    assert list(model.terms.columns) == ["topic", "rank", "term", "weight"]
    assert list(model.articles.columns) == ["topic", "weight", "share"]
    assert model.articles.index.equals(tokens.index)
    sets = [set(model.terms.loc[model.terms["topic"] == k, "term"]) for k in (0, 1)]
    assert sorted(map(sorted, sets)) == sorted([sorted(SPORT), sorted(OIL)])
    main = model.articles["topic"].to_numpy()
    agree = (main == truth).mean()
    assert agree in (0.0, 1.0)  # a perfect split, whichever way the topics are numbered
    assert "في" not in set(model.terms["term"])
    assert len(model.labels) == 2


def test_topics_too_little_data_says_so():
    with pytest.raises(ValueError, match="too little data"):
        topics(pd.Series([["كلمة", "واحدة"]]), n_topics=5, min_df=1)


def test_topics_empty_article_gets_no_topic():
    tokens, _ = _corpus()
    tokens = pd.concat([tokens, pd.Series([[]], index=["empty"], dtype=object)])
    model = topics(tokens, n_topics=2, min_df=1, max_df=0.9, stopwords={"في"})
    assert model.articles.loc["empty", "topic"] == -1


def test_topics_not_strict_returns_empty_model_with_note():
    model = topics(pd.Series([["كلمة", "واحدة"]], index=["x"]), n_topics=5, min_df=1, strict=False)
    assert model.terms.empty and "too little data" in model.note
    assert model.articles.loc["x", "topic"] == -1
