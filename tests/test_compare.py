"""Tests for comparing outlets: key words per outlet and their trends (helpers.association,
helpers.timelines), shared copy (helpers.duplicates), notebook 05's prose
(helpers.prose.compare_sources)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import helpers


@pytest.fixture
def corpus():
    """Three outlets; أ writes about غزة, ب about كأس; ج republishes one of أ's stories."""
    story = "قال الوزير إن المحادثات ستستأنف غدا في القاهرة بحضور الوفود كلها"
    articles = pd.DataFrame({
        "id": ["a1", "a2", "b1", "b2", "c1"],
        "source": ["أ", "أ", "ب", "ب", "ج"],
        "date": pd.to_datetime(["2018-01-02", "2018-02-03", "2018-01-05", "2018-02-01",
                                "2018-01-03"], utc=True),
        "title": ["<script>x</script>", "ب", "ج", "د", "ه"],
        "body": [f"غزة غزة {story}", "غزة في الخبر", "كأس كأس في", "كأس في الملعب",
                 f"غزة غزة {story}"],
    })
    tokens = articles["body"].str.split()
    return articles, tokens


def test_outlet_keyness_is_keyness_of_each_outlet_against_the_others(corpus):
    """One G² and Log Ratio, one schema: each outlet's rows are the rows of helpers.keyness
    (the outlet against every other article) that are key for the outlet, column for column."""
    articles, tokens = corpus
    keys = helpers.outlet_keyness(tokens, articles["source"], min_count=1, top=None)
    assert list(keys.columns) == ["source", "rank"] + list(helpers.keyness(tokens, tokens).columns)
    for outlet in ("أ", "ب"):
        mine = keys[keys["source"] == outlet].drop(columns=["source", "rank"])
        ref = helpers.keyness(tokens[articles["source"] == outlet],
                              tokens[articles["source"] != outlet], min_count=1)
        ref = ref[ref["key_for"] == "target"]
        pd.testing.assert_frame_equal(mine.sort_values("term", ignore_index=True),
                                      ref.sort_values("term", ignore_index=True))
        assert (mine["g2"].diff().dropna() <= 0).all()
        assert keys.loc[keys["source"] == outlet, "rank"].tolist() == list(range(1, len(mine) + 1))
    assert keys.loc[keys["source"] == "ب", "term"].iloc[0] == "كأس"


def test_keyness_g2_and_log_ratio_by_hand():
    """G² = 2 Σ O ln(O/E) over [[a, b], [c − a, d − b]]; Log Ratio = log2((a/c)/(b/d)), a zero
    count taken as 0.5."""
    target = pd.Series([["غزة", "غزة", "في", "من"]])           # a = 2 of c = 4
    reference = pd.Series([["غزة", "في", "في", "من", "عن", "في"]])  # b = 1 of d = 6
    row = helpers.keyness(target, reference, min_count=1).set_index("term").loc["غزة"]
    a, b, c, d = 2, 1, 4, 6
    n = c + d
    cells = [(a, (a + b) * c / n), (b, (a + b) * d / n),
             (c - a, (n - a - b) * c / n), (d - b, (n - a - b) * d / n)]
    assert row["g2"] == pytest.approx(2 * sum(o * math.log(o / e) for o, e in cells))
    assert row["log_ratio"] == pytest.approx(math.log2((a / c) / (b / d)))
    assert (row["count_target"], row["count_reference"], row["key_for"]) == (2, 1, "target")
    only = helpers.keyness(target, reference, min_count=1).set_index("term").loc["عن"]
    assert only["log_ratio"] == pytest.approx(math.log2((0.5 / c) / (1 / d)))
    assert only["key_for"] == "reference"
    keys = helpers.outlet_keyness(pd.concat([target, reference], ignore_index=True),
                                  pd.Series(["أ", "ب"], name="source"), min_count=1, top=None)
    mine = keys[keys["source"] == "أ"].set_index("term").loc["غزة"]
    assert mine["g2"] == pytest.approx(row["g2"]) and mine["log_ratio"] == row["log_ratio"]


@pytest.mark.parametrize("missing", [None, pd.NA, np.nan])
def test_articles_without_an_outlet_are_reference_not_an_outlet(corpus, missing):
    """A corpus where some articles name no outlet (a flat folder beside outlet folders):
    those articles count in every reference but get no key words of their own, and the
    trends never name a missing outlet."""
    articles, tokens = corpus
    source = articles["source"].astype(object).copy()
    source.iloc[4] = missing
    keys = helpers.outlet_keyness(tokens, source.rename("source"), min_count=1, top=None)
    assert set(keys["source"]) == {"أ", "ب"}
    mine = keys[keys["source"] == "أ"].set_index("term")
    ref = helpers.keyness(tokens[source == "أ"], tokens[source != "أ"], min_count=1)
    ref = ref[ref["key_for"] == "target"].set_index("term")
    np.testing.assert_allclose(mine.loc[ref.index, "g2"], ref["g2"])
    trends = helpers.key_term_trends(articles.assign(source=source), tokens, keys)
    assert trends.attrs["undated"] == [] and set(trends["source"]) <= {"أ", "ب"}
    lonely = source.copy()
    lonely[lonely == "ب"] = missing      # one named outlet and unnamed articles: no pair
    assert helpers.outlet_keyness(tokens, lonely.rename("source"), min_count=1).empty


def test_outlet_keyness_one_source_is_empty():
    keys = helpers.outlet_keyness(pd.Series([["غزة"]]), pd.Series(["أ"], name="source"))
    assert keys.empty and "term" in keys.columns


def test_key_term_trends_and_table(corpus):
    articles, tokens = corpus
    keys = helpers.outlet_keyness(tokens, articles["source"], min_count=1)
    trends = helpers.key_term_trends(articles, tokens, keys, terms_per_group=2)
    gaza = trends[(trends["source"] == "أ") & (trends["term"] == "غزة")].set_index("period")
    # January: أ has 2 of 13 tokens, the others (ب 3 tokens, ج 13 tokens) have 2 of 16
    assert gaza.loc["2018-01", "count"] == 2 and gaza.loc["2018-01", "count_reference"] == 2
    assert gaza.loc["2018-01", "per_million"] == pytest.approx(2 / 13 * 1e6)
    assert gaza.loc["2018-01", "per_million_reference"] == pytest.approx(2 / 16 * 1e6)
    table = helpers.trend_table(trends)
    assert list(table.columns[:3]) == ["source", "term", "in"]
    assert {"2018-01", "2018-02"} <= set(table.columns)
    assert table["in"].tolist()[:2] == ["outlet", "others"]


def test_copy_matrix_and_shared_copy(corpus):
    articles, tokens = corpus
    members = helpers.near_duplicates(articles, tokens, threshold=0.5, shingle=3)
    assert set(members["id"]) == {"a1", "c1"}
    matrix = helpers.copy_matrix(members, articles)
    assert matrix.loc["أ", "ج"] == 1 and matrix.loc["ج", "أ"] == 1
    assert matrix.loc["ب"].sum() == 0 and matrix.loc["أ", "أ"] == 0
    later = helpers.copy_matrix(members, articles, later=True)
    assert later.loc["ج", "أ"] == 1 and later.loc["أ", "ج"] == 0  # ج published a day later
    share = helpers.copy_matrix(members, articles, share=True)
    assert share.loc["أ", "ج"] == pytest.approx(0.5)
    shared = helpers.shared_copy(members, articles)
    assert shared.loc["أ", ["articles", "shared", "first", "later"]].tolist() == [2, 1, 1, 0]
    assert shared.loc["ج", "later"] == 1 and shared.loc["ب", "shared"] == 0


def test_what_we_saw_escapes_and_handles_one_source(corpus):
    articles, tokens = corpus
    hostile = articles.assign(source=["<b>x</b>", "<b>x</b>", "ب", "ب", "ج"])
    keys = helpers.outlet_keyness(tokens, hostile["source"], min_count=1)
    members = helpers.near_duplicates(hostile, tokens, threshold=0.5, shingle=3)
    html = helpers.what_we_saw_compare(
        hostile, keys, helpers.shared_copy(members, hostile),
        helpers.copy_matrix(members, hostile, later=True),
        helpers.key_term_trends(hostile, tokens, keys)).html
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    one = articles.iloc[:1]
    empty = helpers.outlet_keyness(tokens.iloc[:1], one["source"])
    text = helpers.what_we_saw_compare(
        one, empty, helpers.shared_copy(members.iloc[:0], one),
        helpers.copy_matrix(members.iloc[:0], one, later=True)).text
    assert "needs at least two sources" in text


def test_key_term_profile(corpus):
    articles, tokens = corpus
    keys = helpers.outlet_keyness(tokens, articles["source"], min_count=1)
    profile = helpers.key_term_profile(tokens, articles["source"], keys, terms_per_group=1)
    assert set(profile["source"]) == {"أ", "ب", "ج"}
    row = profile[(profile["source"] == "ب") & (profile["term"] == "كأس")]
    assert row["per_million"].iloc[0] == pytest.approx(3 / 6 * 1e6)


def test_key_term_trends_leave_out_outlets_without_dates(corpus):
    """Outlet ب has key words but no dated article: its words are not followed (it used to
    raise KeyError), the note says so, and the others' missing text shows as missing."""
    articles, tokens = corpus
    articles = articles.assign(date=articles["date"].where(articles["source"] != "ب"))
    keys = helpers.outlet_keyness(tokens, articles["source"], min_count=1)
    assert "ب" in set(keys["source"])
    trends = helpers.key_term_trends(articles, tokens, keys, terms_per_group=2)
    assert trends.attrs["undated"] == ["ب"]
    assert "ب" not in set(trends["source"]) and "أ" in set(trends["source"])
    note = helpers.trends_note(trends)
    assert "No article of" in note.text and '<bdi dir="rtl" lang="ar">ب</bdi>' in note.html
    summary = helpers.what_we_saw_compare(articles, keys, helpers.shared_copy(
        pd.DataFrame(columns=["cluster", "source", "date"]), articles),
        helpers.copy_matrix(pd.DataFrame(columns=["cluster", "source", "date"]), articles), trends)
    assert "Over 1 period(s)" in summary.text  # February: only أ has dated text


def test_trends_when_only_one_outlet_is_dated(corpus):
    articles, tokens = corpus
    articles = articles.assign(date=articles["date"].where(articles["source"] == "أ"))
    keys = helpers.outlet_keyness(tokens, articles["source"], min_count=1)
    trends = helpers.key_term_trends(articles, tokens, keys, terms_per_group=1)
    assert set(trends["source"]) == {"أ"} and trends["per_million_reference"].isna().all()
    members = pd.DataFrame(columns=["cluster", "source", "date"])
    summary = helpers.what_we_saw_compare(articles, keys, helpers.shared_copy(members, articles),
                                          helpers.copy_matrix(members, articles), trends)
    assert "cannot be compared" in summary.text


def test_trends_note_is_empty_without_trends_or_gaps():
    trends = helpers.key_term_trends(
        pd.DataFrame({"source": ["أ"], "date": pd.to_datetime([None], utc=True)}),
        pd.Series([["غزة"]]), pd.DataFrame(columns=["source", "rank", "term"]))
    assert trends.empty and helpers.trends_note(trends).html == ""
