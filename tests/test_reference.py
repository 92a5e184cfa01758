"""Tests for helpers.reference: general Arabic (wordfreq) as a reference corpus, keyness
against it."""

from __future__ import annotations

import socket
import sys

import numpy as np
import pandas as pd
import pytest

import corpus_shapes as shapes
from helpers import association, normalize, reference, stopwords, tokenize

wordfreq = pytest.importorskip("wordfreq")


def _no_network(*args, **kwargs):
    raise AssertionError("the reference list tried to reach the network")


def test_reference_is_read_offline_from_the_package(monkeypatch):
    """Nothing is downloaded: with every socket refused, wordfreq imported afresh and the
    cache emptied, the list still loads, whole."""
    for name in ("socket", "create_connection", "getaddrinfo"):
        monkeypatch.setattr(socket, name, _no_network)
    for name in [m for m in sys.modules if m == "wordfreq" or m.startswith("wordfreq.")]:
        monkeypatch.delitem(sys.modules, name)
    reference.general_arabic.cache_clear()
    try:
        ref = reference.general_arabic()
    finally:
        reference.general_arabic.cache_clear()
    assert len(ref) > 400_000
    # the list's Arabic words hold nearly all of its mass: close to the 100 million tokens
    assert 0.9 * reference.REFERENCE_SIZE < ref.sum() <= reference.REFERENCE_SIZE
    assert ref.attrs["source"] == "wordfreq large_ar"


def test_reference_is_loaded_once_per_process():
    assert reference.general_arabic() is reference.general_arabic()


def test_rarest_listed_word_counts_one():
    """At 100 million tokens wordfreq's floor (10^-8) is one occurrence."""
    ref = reference.general_arabic()
    assert ref.min() == 1 and ref.is_monotonic_decreasing


@pytest.mark.parametrize("word", ["حكومه", "ان", "علي", "اعلن"])
def test_spellings_that_normalise_alike_are_summed(word):
    """أن/إن/ان, حكومة/حكومه, على/علي, أعلن/اعلن/إعلن are one count in the search form,
    the sum of wordfreq's frequencies of every spelling (checked through wordfreq's own
    dictionary API, a different path from the module's)."""
    freq = wordfreq.get_frequency_dict("ar", "large")
    words = pd.Series(list(freq), dtype=object)
    forms = normalize(words, preset="search")
    spellings = words[(forms == word).to_numpy()].tolist()
    assert len(spellings) >= 2, spellings
    expected = sum(freq[w] for w in spellings) * reference.REFERENCE_SIZE
    ref = reference.general_arabic()
    assert abs(int(ref[word]) - expected) <= 1
    assert not (set(spellings) - {word}) & set(ref.index)  # no raw spelling left apart


def test_reference_in_another_preset_keeps_the_spellings_apart():
    ref = reference.general_arabic(None)
    assert {"حكومة", "على", "أن"} <= set(ref.index)


def test_only_arabic_words_are_compared():
    assert reference.arabic_words(["حكومه", "2020م", "cnn", "2020", "3.5", "g20"]).tolist() == [
        True, False, False, False, False, False]
    tokens = pd.Series([["بيان", "cnn", "2020", "2020م"], ["بيان", "الحكومه"]])
    k = reference.general_keyness(tokens, min_count=1)
    assert not {"cnn", "2020", "2020م"} & set(k["term"])
    assert k.attrs["left_out"] == 3 and k.attrs["target_tokens"] == 3


def test_schema_is_keyness_schema():
    tokens = pd.Series([tokenize(b) for b in shapes.BODIES])
    ours = reference.general_keyness(tokens, min_count=2)
    theirs = association.keyness(tokens.iloc[:3], tokens.iloc[3:], min_count=2)
    assert list(ours.columns) == list(theirs.columns)
    assert ours.dtypes.to_dict() == theirs.dtypes.to_dict()
    assert ours["g2"].is_monotonic_decreasing
    for empty in (pd.Series([], dtype=object), pd.Series([[]]), pd.Series([["2020", "cnn"]])):
        none = reference.general_keyness(empty)
        assert none.empty and list(none.columns) == list(theirs.columns)


def test_g2_and_log_ratio_are_keyness_against_the_reference_counts():
    """The same numbers as helpers.keyness's formulas on the 2x2 table by hand."""
    tokens = pd.Series([["بيان"] * 30 + ["في"] * 20 + ["زقزقلوطيه"] * 5])
    k = reference.general_keyness(tokens, min_count=1).set_index("term")
    ref = reference.general_arabic()
    c, d = 55.0, float(ref.sum())
    a, b = 30.0, float(ref["بيان"])
    e1, e2 = (a + b) * c / (c + d), (a + b) * d / (c + d)
    e3, e4 = (c + d - a - b) * c / (c + d), (c + d - a - b) * d / (c + d)
    g2 = 2 * (a * np.log(a / e1) + b * np.log(b / e2) + (c - a) * np.log((c - a) / e3)
              + (d - b) * np.log((d - b) / e4))
    assert k.loc["بيان", "g2"] == pytest.approx(g2, rel=1e-9)
    assert k.loc["بيان", "log_ratio"] == pytest.approx(np.log2((a / c) / (b / d)))
    assert k.loc["بيان", "count_reference"] == ref["بيان"]


def test_a_word_general_arabic_does_not_list_counts_zero_there():
    tokens = pd.Series([["زقزقلوطيه", "بيان"]] * 5)
    k = reference.general_keyness(tokens, min_count=5).set_index("term")
    row = k.loc["زقزقلوطيه"]
    assert row["count_reference"] == 0 and row["key_for"] == "target"
    # Hardie's 0.5 in place of the 0: finite, and stronger than any listed word's
    assert np.isfinite(row["log_ratio"]) and row["log_ratio"] > k.loc["بيان", "log_ratio"]
    assert k.attrs["absent"] == 1


def test_words_the_corpus_avoids_are_kept_by_their_expected_count():
    """A corpus of 1,000 tokens written like general Arabic would hold في some 36 times:
    with min_count 5 it is kept, key for general Arabic, though the corpus never uses it."""
    tokens = pd.Series([["بيان"] * 1000])
    k = reference.general_keyness(tokens, min_count=5).set_index("term")
    assert k.loc["في", "count_target"] == 0 and k.loc["في", "key_for"] == "reference"
    rare = reference.general_arabic().index[-1]  # expected 1000 × 1/10^8 times: left out
    assert rare not in k.index


def test_drop_stopwords_and_top():
    tokens = pd.Series([tokenize(b) for b in shapes.BODIES])
    k = reference.general_keyness(tokens, min_count=2, drop_stopwords=True, top=5)
    assert len(k) == 5 and not set(k["term"]) & stopwords("search")


def test_one_outlet_corpus_gets_key_words(tmp_path):
    """The single_source shape: keyness between outlets has nothing to compare, the general
    reference does."""
    from helpers import load_corpus, outlet_keyness

    articles, _ = load_corpus(shapes.single_source(tmp_path / "one"), cache=False,
                              progress=False)
    tokens = tokenize(articles["body"])
    assert outlet_keyness(tokens, articles["source"], min_count=2).empty
    k = reference.general_keyness(tokens, min_count=2, drop_stopwords=True)
    mine = k[k["key_for"] == "target"]
    assert len(mine) and mine["g2"].iloc[0] > 10.83
    assert {"اليوم", "اسعار"} & set(mine["term"].head(10))


@pytest.mark.slow
def test_ant_top_key_words_against_general_arabic_are_news_words(ant):
    articles, _ = ant
    tokens = tokenize(articles["body"])
    k = reference.general_keyness(tokens, min_count=5, drop_stopwords=True)
    top = k[k["key_for"] == "target"]["term"].head(30).tolist()
    # reporting verbs, the office, the days of the week: the words of news
    assert {"وقال", "واضاف", "الرئيس"} <= set(top), top
    assert {"الثلاثاء", "الاربعاء", "الخميس"} & set(top), top
    # and what news leaves to conversation: the second person, the vocative, God
    avoided = k[k["key_for"] == "reference"]["term"].head(30).tolist()
    assert {"يا", "انت", "الله", "انا"} & set(avoided), avoided
    assert k.attrs["target_tokens"] > 5_000_000


# ------------------------------------------------------------------- notebook 03's sentence


def _statistics_inputs(general_key):
    from helpers.prose import statistics

    empty = pd.DataFrame()
    articles = pd.DataFrame({"source": ["أ"] * 3})
    return statistics, dict(
        articles=articles, tokens=pd.Series([["بيان"]] * 3), freq=pd.DataFrame(columns=["term"]),
        pairs=empty, key=empty, target_source="أ", zipf=pd.DataFrame({"rank": []}),
        growth=pd.DataFrame({"tokens": []}), diversity=pd.DataFrame({"mattr": []}),
        min_count=3, mattr_window=100, general_key=general_key)


def test_statistics_names_the_key_words_against_general_arabic():
    tokens = pd.Series([["وقال", "الرئيس", "في", "بيان", "زقزقلوطيه"] * 40] * 5)
    statistics, inputs = _statistics_inputs(reference.general_keyness(tokens, min_count=3))
    text = repr(statistics.what_we_saw_statistics(**inputs))
    assert "Compared with general Arabic (wordfreq's frequencies, as 96 million Arabic words)" in text
    assert "above the everyday rate are" in text and "(not in the general list)" in text
    assert "far less than everyday Arabic does (G² above 10.83, p < 0.001)." in text
    assert "(G² above 10.83, p < 0.001). 1 of its key words are not in the general list at all" in text


def test_statistics_says_when_nothing_differs_from_general_arabic():
    statistics, inputs = _statistics_inputs(reference.general_keyness(pd.Series([["بيان"]])))
    text = repr(statistics.what_we_saw_statistics(**inputs))
    assert "No Arabic word seen at least 3 times differs significantly (p < 0.001) " \
           "between this corpus and general Arabic." in text
    statistics, inputs = _statistics_inputs(None)  # not given: no sentence
    assert "general Arabic" not in repr(statistics.what_we_saw_statistics(**inputs))
