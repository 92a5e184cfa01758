"""Tests for helpers.overview: counts, samples, cleaning examples and word counts
(the "what we saw" of notebook 01 is tested in tests/test_prose.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import overview

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"


def _articles(**extra) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "source": pd.array(["الجزيرة", "bbc", "الجزيرة", None], dtype="string"),
            "category": pd.array(["سياسة", "sport", "سياسة", "sport"], dtype="string"),
            "date": pd.to_datetime(
                ["2020-01-05", "2020-03-20", None, "2020-03-01"], utc=True
            ),
            "title": pd.array(["أ", "ب", "ج", "د"], dtype="string"),
            "body": pd.array(["كتب الولد", "", "قال إن", "نص"], dtype="string"),
        }
    )
    return frame.assign(**extra)


def _report(skipped=(), **kw):
    base = dict(seen=5, loaded=4, skipped=list(skipped), warnings=[], duplicate_bodies=1)
    return SimpleNamespace(**{**base, **kw})


def test_articles_per_counts_missing_and_keeps_input():
    a = _articles()
    before = a.copy()
    table = overview.articles_per(a, "source")
    assert table["articles"].to_dict() == {"الجزيرة": 2, "bbc": 1, "(missing)": 1}
    assert table["share"].sum() == pytest.approx(1.0)
    assert overview.articles_per(a, "source", dropna=True)["articles"].sum() == 3
    pd.testing.assert_frame_equal(a, before)


def test_articles_per_month_fills_gaps_and_handles_no_dates():
    table = overview.articles_per_month(_articles())
    assert table.index.tolist() == ["2020-01", "2020-02", "2020-03"]
    assert table["articles"].tolist() == [1, 0, 2]
    none = overview.articles_per_month(_articles(date=pd.NaT))
    assert none.empty


def test_corpus_overview_notes_where_data_is_thin():
    one = _articles().head(1)
    notes = overview.corpus_overview(one).notes
    assert any("1 article" in n for n in notes)
    assert any("one source" in n for n in notes)
    html = overview.corpus_overview(_articles())._repr_html_()
    assert "Articles per source" in html and 'dir="rtl"' in html
    assert "1 of the 3 months in between have none" in html


def test_skipped_files_accepts_records_and_pairs():
    rec = SimpleNamespace(path="a/" + HOSTILE + ".txt", reason="empty file", kind="empty")
    frame = overview.skipped_files(_report([rec, ("b.txt", "binary file")]))
    assert frame.columns.tolist() == ["path", "reason"]
    assert frame["reason"].tolist() == ["empty file", "binary file"]
    assert overview.skipped_files(_report()).empty


def test_sample_articles_is_reproducible_and_bounded():
    a = _articles()
    s1 = overview.sample_articles(a, 2, seed=1)
    assert s1.equals(overview.sample_articles(a, 2, seed=1))
    assert len(overview.sample_articles(a, 50)) == 4
    assert s1.columns.tolist() == ["source", "category", "date", "title"]


def test_snippet_windows_match_around_the_first_change():
    before = "مقدمة طويلة " * 10 + "كَتَبَ الولدُ الدرس " + "خاتمة " * 10
    after = "مقدمة طويلة " * 10 + "كتب الولد الدرس " + "خاتمة " * 10
    b, a = overview._snippet(before, after, width=20)
    assert "كَتَبَ" in b and "كتب الولد" in a
    assert b.startswith("\u2026") and a.startswith("\u2026")
    # the same passage: only the diacritics differ
    assert b.replace("\u064e", "").replace("\u064f", "") == a


def test_describe_change():
    assert overview._describe_change("أحمد إن", "احمد ان") == "أ \u2192 ا \u00d71; إ \u2192 ا \u00d71"
    assert "U+064E arabic fatha \u00d73" in overview._describe_change("كَتَبَ", "كتب")
    assert overview._describe_change("a x@y.com b", "a  b") == "removes x@y.com \u00d71"


def test_cleaning_examples_and_clean_corpus():
    pytest.importorskip("helpers.cleaning")
    texts = pd.Series(["كتـــاب جميل", "نص عادي", "قال\u200f إن"], index=[10, 20, 30])
    ex = overview.cleaning_examples(texts, steps=["tatweel", "bidi_controls", "urls"])
    rows = ex.set_index("step")
    assert rows.loc["tatweel", "articles"] == 1
    assert rows.loc["tatweel", "after"] == "كتاب جميل"
    assert rows.loc["bidi_controls", "articles"] == 1
    assert rows.loc["urls", "articles"] == 0 and pd.isna(rows.loc["urls", "before"])
    frame = pd.DataFrame({"title": ["أخبار"], "body": ["كتـاب"]})
    cleaned = overview.clean_corpus(frame)
    assert cleaned["body_clean"].tolist() == ["كتاب"] and frame.columns.tolist() == ["title", "body"]


def _examples_by_normalising_everything(texts: pd.Series, steps) -> pd.DataFrame:
    """The plain definition: apply each step to every text, the first changed one is the example."""
    from helpers import cleaning

    texts = texts.dropna()
    rows = []
    for step in steps:
        after = cleaning.normalize(texts, steps=[step])
        changed = (texts != after).fillna(False).astype(bool)
        if changed.any():
            first = changed.idxmax()
            b, a = overview._snippet(str(texts[first]), str(after[first]), width=40)
        else:
            b = a = None
        rows.append((step, int(changed.sum()), b, a))
    return pd.DataFrame(rows, columns=["step", "articles", "before", "after"])


_PIECES = [
    "كتـــاب", "مَدرسة", "أحمد", "إلى", "مستشفى", "مدرسة", "سؤال", "٢٠٢٠", "۱۲",
    "\u200f", "\u200d", "\u00a0", "  ", "\n\n\n", " \n", "\r\n", "<b>", "&amp;", "a@b.co",
    "https://x.org/a", "www.example.com", "،", "؟", "\ufefb", "ﻻ", "abc", " ", "\n", "ـ",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join), min_size=1,
                max_size=6))
def test_cleaning_examples_equal_normalising_everything(parts):
    """Counts and examples are those of normalising every text with every step."""
    from helpers import cleaning

    texts = pd.Series(parts, dtype="string")
    steps = list(cleaning.STEPS)
    fast = overview.cleaning_examples(texts)
    slow = _examples_by_normalising_everything(texts, steps)
    assert fast["articles"].tolist() == slow["articles"].tolist()
    def pair(before, after):
        return (None, None) if pd.isna(before) else (before, after)

    for f, s in zip(fast.itertuples(), slow.itertuples(), strict=True):
        assert pair(f.before, f.after) == pair(s.before, s.after), f.step


@pytest.mark.slow
def test_cleaning_examples_on_ant_equal_normalising_everything(ant):
    from helpers import cleaning

    articles, _ = ant
    texts = articles["body"]
    fast = overview.cleaning_examples(texts)
    slow = _examples_by_normalising_everything(texts, list(cleaning.STEPS))
    assert fast["articles"].tolist() == slow["articles"].tolist()
    assert fast["before"].fillna("").tolist() == slow["before"].fillna("").tolist()


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(
    list("اب ج\n\t\r") + ["\u00a0", "\u2003", "\u200b", "\u3000", "\x1c", "\x85", "\u2028", "x"]),
    max_size=12)), max_size=6))
def test_word_counts_equal_python_regex(texts):
    series = pd.Series(texts, dtype="string")
    expected = series.fillna("").astype(object).map(lambda t: len(__import__("re").findall(r"\S+", t)))
    assert overview.word_counts(series).tolist() == expected.tolist()


def test_largest_outlet_is_none_without_outlets_and_ties_go_by_name():
    frame = pd.DataFrame({"source": pd.Series(["ب", "bbc", "ب", None, "bbc"], dtype="string")})
    assert overview.largest_outlet(frame) == "bbc"  # 2 each: the first name in sort order
    assert overview.largest_outlet(frame.iloc[[0, 1, 2]]) == "ب"
    none = pd.DataFrame({"source": pd.Series([None, None], dtype="string[pyarrow]")})
    assert overview.largest_outlet(none) is None
    assert overview.largest_outlet(frame.iloc[:0]) is None
    assert overview.largest_outlet(frame) == frame["source"].mode().iloc[0]


def test_corpus_overview_says_when_no_article_names_a_source():
    frame = pd.DataFrame({"source": pd.Series([None, None], dtype="string"),
                          "category": pd.Series([None, None], dtype="string"),
                          "date": pd.to_datetime([None, None], utc=True)})
    notes = overview.corpus_overview(frame).notes
    assert any(n.startswith("No article names its source") for n in notes), notes


def test_word_counts_split_at_every_python_whitespace_and_nothing_else():
    """Every character ``str.isspace`` knows separates words; no other character does (the
    RE2 class in resources must stay in step with Python's whitespace)."""
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    others = ["\u200b", "\u200f", "\u061c", "\ufeff", "\u00ad", "\u0640", "\x1b"]
    series = pd.Series([f"ا{c}ب" for c in spaces] + [f"ا{c}ب" for c in others] * 3,
                       dtype="string")
    assert overview.word_counts(series).tolist() == [2] * len(spaces) + [1] * len(others) * 3


def test_article_lengths_adds_tokens_per_article_and_keeps_input():
    a = _articles()
    before = a.copy()
    tokens = pd.Series([["كتب", "الولد"], [], ["قال"], ["نص", "نص", "نص"]])
    out = overview.article_lengths(a, tokens)
    assert out["words"].tolist() == [2, 0, 1, 3]
    assert out.columns.tolist() == [*a.columns, "words"]
    assert overview.article_lengths(a, tokens, name="n")["n"].sum() == 6
    pd.testing.assert_frame_equal(a, before)
