"""Written forms: the most frequent written form of each normalised key, and tables shown in them."""

from __future__ import annotations

import pandas as pd
import pytest

import helpers
from helpers import forms as forms_module
from helpers import tokens as tokens_module


def corpus(*pieces: tuple[str, int]) -> pd.Series:
    """Texts holding each written form the given number of times, interleaved with filler."""
    texts = []
    for form, times in pieces:
        texts += [f"كتب {form} هنا"] * times
    return pd.Series(texts, name="body")


@pytest.mark.parametrize("written, rival, key", [
    ("أحمد", "احمد", "احمد"),             # hamza on alef
    ("إلى", "الى", "الي"),                # hamza below, alef maksura
    ("حكومة", "حكومه", "حكومه"),          # teh marbuta
    ("مستشفى", "مستشفي", "مستشفي"),       # alef maksura against yeh
    ("الحكومة", "الحكـــومة", "الحكومه"),  # tatweel
    ("المتحدة", "المُتَّحِدَة", "المتحده"),  # diacritics
])
@pytest.mark.parametrize("more", ["written", "rival"])
def test_the_most_frequent_written_form_is_chosen(tmp_path, written, rival, key, more):
    many, few = (written, rival) if more == "written" else (rival, written)
    forms = helpers.written_forms(corpus((few, 2), (many, 3)), cache_dir=tmp_path)
    assert forms[key] == many
    assert forms.index.name == "key"


def test_ties_go_to_the_form_seen_first(tmp_path):
    forms = helpers.written_forms(corpus(("حكومه", 2), ("حكومة", 2)), cache_dir=tmp_path)
    assert forms["حكومه"] == "حكومه"
    forms = helpers.written_forms(corpus(("حكومة", 2), ("حكومه", 2)), cache_dir=tmp_path)
    assert forms["حكومه"] == "حكومة"


def test_every_key_is_a_search_token_and_its_form_normalises_to_it(tmp_path):
    texts = pd.Series(["قالت الحكومةُ إنّ الولايات المتحدة أضافت ٢٠٢٠ قوات، وأضاف ABC",
                       None, "", "الى إلى إلي"])
    forms = helpers.written_forms(texts, cache_dir=tmp_path)
    search = set(helpers.tokenize(texts).explode().dropna())
    assert set(forms.index) == search
    assert (helpers.normalize(forms, preset="search").to_numpy() == forms.index.to_numpy()).all()
    assert forms["الحكومه"] == "الحكومةُ" and forms["abc"] == "abc"


def test_empty_input(tmp_path):
    for texts in (pd.Series([], dtype="str"), pd.Series([None, "", "  ،."])):
        forms = helpers.written_forms(texts, cache_dir=tmp_path)
        assert len(forms) == 0 and forms.index.name == "key"
    with pytest.raises(TypeError):
        helpers.written_forms("نص", cache_dir=tmp_path)


def test_the_cache_is_reused_and_keyed_by_the_texts(tmp_path, monkeypatch):
    texts = corpus(("حكومة", 3), ("حكومه", 1))
    first = helpers.written_forms(texts, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("forms-*.parquet"))) == 1

    def fail(*args, **kwargs):
        raise AssertionError("tokenised again")

    monkeypatch.setattr(forms_module, "tokenize", fail)
    monkeypatch.setattr(tokens_module, "tokenize", fail)
    again = helpers.written_forms(texts, cache_dir=tmp_path)
    pd.testing.assert_series_equal(first, again)
    with pytest.raises(AssertionError, match="tokenised again"):  # other texts: a new key
        helpers.written_forms(corpus(("حكومه", 3)), cache_dir=tmp_path)


FORMS = pd.Series({"المتحده": "المتحدة", "حكومه": "حكومة", "واضاف": "وأضاف"})


def test_terms_are_shown_written_and_keys_kept_at_the_end():
    table = pd.DataFrame({"term": ["حكومه", "غزه", None], "count": [5, 3, 1]})
    table.attrs = {"slope": -1.0}
    out = helpers.in_written_form(table, FORMS)
    assert out["term"].tolist()[:2] == ["حكومة", "غزه"]  # an unknown key passes through
    assert pd.isna(out["term"].iloc[2])
    assert list(out.columns) == ["term", "count", "key"]
    assert out["key"].tolist()[:2] == ["حكومه", "غزه"]
    assert out.attrs == {"slope": -1.0}
    assert table["term"].tolist()[:2] == ["حكومه", "غزه"]  # the input is left alone


def test_pairs_and_ngrams_word_by_word():
    pairs = pd.DataFrame({"w1": ["الولايات", "حكومه"], "w2": ["المتحده", "واضاف"], "score": [9.0, 2.0]})
    out = helpers.in_written_form(pairs, FORMS)
    assert out["w1"].tolist() == ["الولايات", "حكومة"]
    assert out["w2"].tolist() == ["المتحدة", "وأضاف"]
    assert list(out.columns) == ["w1", "w2", "score", "key_w1", "key_w2"]
    grams = pd.DataFrame({"ngram": ["الولايات المتحده", "واضاف حكومه غزه"], "n": [2, 3]})
    out = helpers.in_written_form(grams, FORMS)
    assert out["ngram"].tolist() == ["الولايات المتحدة", "وأضاف حكومة غزه"]
    assert out["key"].tolist() == grams["ngram"].tolist()


def test_tables_without_words_and_chosen_columns():
    assert helpers.in_written_form(pd.DataFrame(), FORMS).empty
    empty = helpers.in_written_form(pd.DataFrame({"term": pd.Series([], dtype="str")}), FORMS)
    assert list(empty.columns) == ["term", "key"]
    table = pd.DataFrame({"term": ["حكومه"], "label": ["حكومه"]})
    out = helpers.in_written_form(table, FORMS, columns=["label"])
    assert out["term"].tolist() == ["حكومه"] and out["label"].tolist() == ["حكومة"]
    assert helpers.in_written_form(table, pd.Series([], dtype="str"))["term"].tolist() == ["حكومه"]


def test_the_analyses_tables_round_trip_through_their_keys(tmp_path):
    texts = pd.Series(["قالت الحكومة إن الولايات المتحدة أضافت قوات"] * 3
                      + ["وأضاف وزير الخارجية أن الحكومة الأمريكية"] * 3)
    tokens = helpers.tokenize(texts)
    forms = helpers.written_forms(texts, cache_dir=tmp_path)
    for table in (helpers.frequencies(tokens), helpers.ngrams(tokens, (2, 3), min_count=1),
                  helpers.collocations(tokens, "llr", min_count=1), helpers.zipf(tokens)):
        out = helpers.in_written_form(table, forms)
        keys = [c for c in out.columns if c == "key" or c.startswith("key_")]
        assert keys and out[table.columns].shape == table.shape
        for key in keys:
            column = "term" if key == "key" and "term" in table else key.removeprefix("key_")
            column = "ngram" if key == "key" and "ngram" in table else column
            assert out[key].tolist() == table[column].tolist()
            assert helpers.normalize(out[column], preset="search").tolist() == table[column].tolist()
    assert "المتحدة" in helpers.in_written_form(helpers.frequencies(tokens), forms)["term"].tolist()


@pytest.mark.slow
def test_ant_words_in_their_written_forms(ant, tmp_path):
    articles, _ = ant
    forms = helpers.written_forms(articles["body"], cache_dir=tmp_path)
    assert forms["المتحده"] == "المتحدة"
    assert forms["حكومه"] == "حكومة"
    assert forms["واضاف"] == "وأضاف"
