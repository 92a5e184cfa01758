"""Tests for helpers.concordance: clitic- and spelling-tolerant KWIC over the original text."""

from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("helpers.cleaning", reason="kwic normalises the query with helpers.normalize")

import helpers.concordance as concordance  # noqa: E402
from helpers.concordance import kwic, kwic_html  # noqa: E402


@pytest.fixture
def articles():
    return pd.DataFrame({
        "id": ["a1", "a2", "a3"],
        "source": ["bbc", "cnn", "bbc"],
        "category": ["world", "world", "economy"],
        "body": [
            "زار الوفد مصر ثم ومصرُ وبمصر ولمصر.\nقال إن المصرية ومصري ليستا مصرف.",
            "قالت الحكومة وللحكومة بالحكومة حكومتها والحكومةُ الحكومات.",
            "ارتفعت أسعار النفط في الإمارات والامارات ومــصر.",
        ],
    })


def _matches(articles, query, **kw):
    return kwic(articles, query, **kw)["match"].tolist()


def test_kwic_finds_clitic_forms_and_diacritics(articles):
    assert _matches(articles, "مصر") == ["مصر", "ومصرُ", "وبمصر", "ولمصر", "ومــصر"]


def test_kwic_does_not_match_inside_other_words(articles):
    # المصرية, مصري (nisba adjective), مصرف (bank) are other words
    got = _matches(articles, "مصر")
    assert not any(m in got for m in ("المصرية", "ومصري", "مصرف"))


def test_kwic_article_query_finds_lil_contraction_and_teh_marbuta_before_suffix(articles):
    assert _matches(articles, "الحكومة") == ["الحكومة", "وللحكومة", "بالحكومة", "والحكومةُ"]
    assert _matches(articles, "حكومة") == ["الحكومة", "وللحكومة", "بالحكومة", "حكومتها", "والحكومةُ"]


def test_kwic_query_normalised_like_text_hamza_and_teh_marbuta(articles):
    assert _matches(articles, "الامارات") == ["الإمارات", "والامارات"]
    assert _matches(articles, "الإمارات") == ["الإمارات", "والامارات"]
    assert _matches(articles, "الحكومه") == _matches(articles, "الحكومة")
    assert _matches(articles, "مَصْر") == _matches(articles, "مصر")


def test_kwic_exact_matches_only_the_word_as_typed(articles):
    assert _matches(articles, "مصر", exact=True) == ["مصر"]
    assert _matches(articles, "الإمارات", exact=True) == ["الإمارات"]


def test_kwic_context_comes_from_the_original_text_and_offsets_are_exact(articles):
    lines = kwic(articles, "مصر", width=8)
    assert list(lines.columns[:6]) == ["id", "left", "match", "right", "start", "end"]
    assert {"source", "category"} <= set(lines.columns)
    for row in lines.itertuples():
        body = articles.set_index("id").loc[row.id, "body"]
        assert body[row.start:row.end] == row.match
        assert body[max(row.start - 8, 0):row.start].replace("\n", " ") == row.left
        assert body[row.end:row.end + 8].replace("\n", " ") == row.right
    first = lines.iloc[0]
    assert (first["id"], first["left"], first["right"]) == ("a1", "ر الوفد ", " ثم ومصر")
    last = lines.iloc[-1]
    assert last["right"] == "."  # context stops at the end of the article
    assert lines.iloc[1]["left"].endswith("ثم ")


def test_kwic_context_never_crosses_articles(articles):
    lines = kwic(articles, "ارتفعت", width=30)
    assert lines["left"].tolist() == [""]
    assert lines["source"].tolist() == ["bbc"]


def test_kwic_phrase_query_and_limit(articles):
    assert _matches(articles, "اسعار النفط") == ["أسعار النفط"]
    assert len(kwic(articles, "مصر", limit=2)) == 2


def test_kwic_missing_bodies_and_no_match(articles):
    arts = pd.concat([articles, pd.DataFrame({"id": ["a4"], "body": [pd.NA]})], ignore_index=True)
    assert len(kwic(arts, "غائب")) == 0
    assert _matches(arts, "مصر")[0] == "مصر"


def test_kwic_does_not_mutate_input(articles):
    before = articles.copy()
    kwic(articles, "مصر")
    pd.testing.assert_frame_equal(articles, before)


def test_kwic_html_is_rtl_aligned_and_escaped():
    lines = pd.DataFrame({"id": ["<x>"], "left": ["<script>alert(1)</script>"], "match": ["مصر"],
                          "right": ["& بعد"], "source": ["bbc"]})
    out = kwic_html(lines)
    html = out._repr_html_()
    assert 'dir="rtl"' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&amp; بعد" in html and "&lt;x&gt;" in html
    assert html.index("&lt;script&gt;") < html.index("مصر") < html.index("&amp; بعد")


def test_query_pattern_is_compiled_once_per_query():
    p = concordance.query_pattern("مصر")
    assert p.search("بمصرَ") and not p.search("مصرف")


@pytest.mark.parametrize("query, exact", [("مصر", False), ("الحكومة", False), ("حكومة", False),
                                          ("اسعار النفط", False), ("مصر", True)])
def test_candidate_windows_find_the_same_spans_as_a_full_scan(articles, query, exact):
    text = "\n\n".join(articles["body"]) * 3
    pattern = concordance.query_pattern(query, exact=exact)
    full = [m.span() for m in pattern.finditer(text)]
    fast = concordance._find(pattern, concordance._candidate_pattern(query, exact=exact), text, None)
    assert fast == full and full


def test_kwic_on_a_long_article_copies_only_the_metadata():
    """One 60,000-word article with the query 6,000 times: the lines carry the article's
    metadata, not its text (taking the whole frame once per line copied the text each time)."""
    body = " ".join(["قال", "الوزير", "إن", "ليبيا", "بلد", "كبير", "في", "الشمال", "وإن", "الأمر"] * 6000)
    arts = pd.DataFrame({"id": ["long"], "source": ["س"], "title": ["عنوان"], "body": [body]})
    lines = kwic(arts, "ليبيا", width=10, metadata=("source", "title"))
    assert len(lines) == 6000
    assert list(lines.columns) == ["id", "left", "match", "right", "start", "end", "source", "title"]
    assert set(lines["id"]) == {"long"} and set(lines["title"]) == {"عنوان"}


def test_kwic_html_tags_controls_in_ids():
    lines = pd.DataFrame({"left": ["قبل"], "match": ["مصر"], "right": ["بعد"],
                          "id": ["004_\u202ecod.exe"], "source": ["س"]})
    html = kwic_html(lines).html
    assert "\u202e" not in html and ">U+202E</span>cod.exe" in html
