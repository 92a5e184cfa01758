"""The "what we saw" sections of notebooks 01 to 04 (helpers.prose, one module per notebook)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

import helpers
from helpers.display import HTML
from helpers.prose import charts, explore, load_and_clean, sentences, statistics

HOSTILE = "<script>alert(1)</script>"


def _articles(sources, titles=None, categories=None, dates=None):
    n = len(sources)
    return pd.DataFrame({
        "id": [f"a{i}" for i in range(n)],
        "source": sources,
        "category": categories if categories is not None else [pd.NA] * n,
        "date": pd.to_datetime(dates if dates is not None else [None] * n, utc=True),
        "title": titles if titles is not None else [f"خبر {i}" for i in range(n)],
    })


def _text(out: HTML) -> str:
    assert isinstance(out, HTML) and out.html.startswith('<ul class="hx-findings">')
    return repr(out)


def test_exported_from_the_package():
    assert helpers.what_we_saw is load_and_clean.what_we_saw
    assert helpers.what_we_saw_explore is explore.what_we_saw_explore
    assert helpers.what_we_saw_statistics is statistics.what_we_saw_statistics
    assert helpers.what_we_saw_charts is charts.what_we_saw_charts
    for module in (load_and_clean, explore, statistics, charts):
        assert len(module.__all__) == 1, module.__name__


def test_keyword_only():
    with pytest.raises(TypeError):
        explore.what_we_saw_explore(_articles(["أ"]), pd.Series([["غزة"]]))


# ---------------------------------------------------------------------------- 01 load and clean


def test_what_we_saw_is_computed_and_escaped():
    hostile = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    a = pd.DataFrame({
        "source": pd.array([hostile, "bbc", hostile, "bbc"], dtype="string"),
        "category": pd.array(["سياسة", "sport", "سياسة", "sport"], dtype="string"),
        "date": pd.to_datetime(["2020-01-05", "2020-03-20", None, "2020-03-01"], utc=True),
        "title": pd.array(["أ", "ب", "ج", "د"], dtype="string"),
        "body": pd.array(["كتب الولد", "", "قال إن", "نص"], dtype="string"),
    })
    report = SimpleNamespace(seen=5, loaded=4, skipped=[("x.txt", "empty file")], warnings=[],
                             duplicate_bodies=1)
    examples = pd.DataFrame(
        {"step": ["alef", "urls"], "articles": [3, 0], "change": ["", ""],
         "before": ["", pd.NA], "after": ["", pd.NA]}
    )
    saw = load_and_clean.what_we_saw(a, report, examples)
    assert "<script" not in saw.html and "&lt;script&gt;" in saw.html
    assert "<b>4</b> articles from <b>2</b> sources" in saw.html
    assert "skipped 1 (most often: empty file, 1)" in saw.html
    assert "1 article(s) have an empty body" in saw.html
    assert "<code>alef</code> (3 of 4)" in saw.html
    assert "change nothing in this corpus: <code>urls</code>" in saw.html
    assert "anecdotes" in saw.html  # fewer than 30 articles
    # the plain-text form is for consoles: markup stripped, corpus text as it is
    assert "<b>" not in saw.text and "<code>" not in saw.text and hostile in saw.text


def test_what_we_saw_shows_controls_in_skip_reasons_and_step_names():
    a = pd.DataFrame({"source": ["أ"], "category": ["سياسة"], "date": pd.to_datetime([None], utc=True),
                      "body": ["قال"]})
    report = SimpleNamespace(seen=2, skipped=[("x.txt", "bad\u202ename")], warnings=[],
                             duplicate_bodies=0)
    saw = load_and_clean.what_we_saw(a, report)
    assert "\u202e" not in saw.html and "U+202E" in saw.html


# ---------------------------------------------------------------------------- shared sentences


def test_sentence_pieces():
    assert sentences.counted(1, "article") == "<b>1</b> article"
    assert sentences.counted(1234, "category", "categories") == "<b>1,234</b> categories"
    assert sentences.capitalised("after keeping") == "After keeping"
    assert sentences.few_articles(4).startswith("With <b>4</b> articles these are anecdotes")
    assert not sentences.finite(float("inf")) and sentences.finite("2")


# ---------------------------------------------------------------------------- 02 explore


def _explore_inputs():
    articles = _articles(["الجزيرة", "الجزيرة", "BBC", "الجزيرة"],
                         titles=["قصير", "طويل جدا", "متوسط", "نسخة"],
                         categories=["سياسة", "سياسة", "رياضة", pd.NA])
    tokens = pd.Series([["غزة"], ["غزة", "في", "مصر", "ليبيا", "من"], ["كأس", "في", "ليبيا"],
                        ["غزة", "في", "مصر"]])
    lines = pd.DataFrame({"id": ["a1", "a2", "a2"], "match": ["ليبيا", "ليبيا", "لليبيا"]})
    members = pd.DataFrame({"cluster": [0, 0], "size": [2, 2], "id": ["a1", "a3"]})
    clusters = pd.DataFrame({"cluster": [0], "size": [3], "n_sources": [2],
                             "title": ["طويل جدا"]})
    return dict(articles=articles, tokens=tokens, lines=lines, query="ليبيا",
                members=members, clusters=clusters)


def test_explore_reports_the_computed_numbers():
    text = _text(explore.what_we_saw_explore(**_explore_inputs()))
    assert "The corpus holds 4 articles, 12 tokens and 6 distinct words." in text
    assert "There are 2 sources; the largest, الجزيرة, has 3 articles (75%)" in text
    assert "the smallest, BBC, 1" in text
    assert "There are 2 categories; the largest, سياسة, has 2 articles (50%)" in text
    assert "1 article without one" in text
    # median of 1, 5, 3, 3 tokens; longest and shortest named by title and source
    assert "3 tokens long at the median" in text
    assert "the longest, طويل جدا (الجزيرة), has 5, the shortest, قصير (الجزيرة), 1." in text
    assert "The query ليبيا occurs 3 times, in 2 articles of 4" in text
    assert "1 cluster of near-duplicates holds 3 articles (75.0% of the corpus)" in text
    assert "drops 2 copies" in text and "1 of them span more than one source" in text
    assert "With 4 articles these are anecdotes" in text


def test_explore_keeps_the_input_untouched():
    inputs = _explore_inputs()
    before = inputs["articles"].copy()
    explore.what_we_saw_explore(**inputs)
    pd.testing.assert_frame_equal(inputs["articles"], before)


def test_explore_on_one_article_says_what_could_not_be_computed():
    articles = _articles(["sample"], titles=["حفتر والسراج"])
    out = explore.what_we_saw_explore(
        articles=articles, tokens=pd.Series([["حفتر", "في", "موسكو"]]),
        lines=pd.DataFrame({"id": []}), query="ليبيا",
        members=pd.DataFrame(columns=["cluster", "size"]),
        clusters=pd.DataFrame(columns=["cluster", "size", "n_sources", "title"]))
    text = _text(out)
    assert "1 article, 3 tokens and 3 distinct words" in text
    assert "nothing can be compared across sources" in text
    assert "No article has a category" in text
    assert "lengths need at least two articles" in text
    assert "does not occur in this corpus" in text
    assert "Near-duplicates need at least two articles" in text
    assert "anecdotes, not findings" in text


def test_explore_without_copies_and_with_filters():
    inputs = _explore_inputs()
    inputs["clusters"] = inputs["clusters"].iloc[0:0]
    text = _text(explore.what_we_saw_explore(**inputs, selection={"source": "BBC", "end": None}))
    assert text.startswith("- After keeping source = BBC, the corpus holds 4 articles")
    assert "end" not in text.split("\n")[0]
    assert "No two of the 4 articles are near-copies" in text
    inputs["clusters"] = _explore_inputs()["clusters"].assign(n_sources=1)
    text = _text(explore.what_we_saw_explore(**inputs))
    assert "none spans more than one source. The largest, طويل جدا, has 3 articles." in text


def test_explore_on_an_empty_selection():
    text = _text(explore.what_we_saw_explore(articles=_articles([]), tokens=pd.Series([], dtype=object),
                                              selection={"category": "رياضة"}))
    assert "the corpus is empty" in text and "رياضة" in text


def test_explore_escapes_corpus_text():
    articles = _articles([HOSTILE, "أ"], titles=[HOSTILE, "خبر"])
    out = explore.what_we_saw_explore(articles=articles, tokens=pd.Series([["غزة"] * 3, ["في"]]))
    assert "<script>" not in out.html and "&lt;script&gt;" in out.html
    assert HOSTILE in repr(out)  # the plain text shows it as it is
    assert '<bdi dir="rtl" lang="ar">أ</bdi>' in out.html


# ---------------------------------------------------------------------------- 03 statistics


def _statistics_inputs(sources=("أ", "أ", "ب")):
    articles = _articles(list(sources))
    tokens = pd.Series([["غزة", "في", "غزة", "مصر"] * 30, ["غزة", "قال"] * 10, ["كأس", "في"] * 10])
    freq = pd.DataFrame({"term": ["غزة", "مصر"], "count": [70, 30],
                         "per_million": [70 / 200 * 1e6, 30 / 200 * 1e6], "doc_freq": [2, 1]})
    pairs = pd.DataFrame({"w1": ["حكومة", "الامم"], "w2": ["الوفاق", "المتحدة"],
                          "count": [6, 3], "score": [62.91598, 31.8]})
    key = pd.DataFrame({"term": ["غزة", "كأس"], "count_target": [70, 0],
                        "count_reference": [0, 10], "g2": [25.5, 12.0],
                        "log_ratio": [3.0, -4.0], "key_for": ["target", "reference"]})
    zipf = pd.DataFrame({"rank": range(1, 13), "count": range(12, 0, -1)})
    zipf.attrs.update(slope=-0.98765, intercept=1.0, r2=0.9)
    growth = pd.DataFrame({"tokens": [1, 200], "types": [1, 6]})
    growth.attrs.update(K=1.2, beta=0.55, r2=0.99)
    diversity = pd.DataFrame({"tokens": [120, 20, 20], "types": [3, 3, 2],
                              "ttr": [0.025, 0.15, 0.1], "mattr": [0.5, 0.7, 0.9]})
    return dict(articles=articles, tokens=tokens, freq=freq, pairs=pairs, key=key,
                target_source="أ", zipf=zipf, growth=growth, diversity=diversity,
                min_count=3, mattr_window=100)


def test_statistics_reports_the_computed_numbers():
    text = _text(statistics.what_we_saw_statistics(**_statistics_inputs()))
    assert ("The most frequent content word is غزة: 70 occurrences, 350,000 per million "
            "tokens, in 2 of 3 articles.") in text
    assert ("Of the word pairs seen at least 3 times, the strongest collocation is حكومة الوفاق "
            "(6 times, G² 62.9, significant at p < 0.001).") in text
    assert ("The top key word of أ against the other 1 source(s) is غزة: 70 times there "
            "against 0 in the others, 8.0 times as frequent (G² 25.5, p < 0.001).") in text
    assert "Zipf's slope is -0.99 (r² 0.90), close to the -1 of Zipf's law, over 12 distinct words" in text
    assert "Heaps' β is 0.55 over 160 tokens, in the usual 0.4–0.7" in text
    assert "is 0.70 on average over 3 articles (2 articles shorter than the window" in text
    assert "highest at ب (0.90), lowest at أ (0.60)" in text
    assert "anecdotes" in text


def test_statistics_ties_and_weak_results_are_said_as_such():
    inputs = _statistics_inputs()
    inputs["freq"] = pd.DataFrame({"term": ["موسكو", "ليبيا", "حفتر"], "count": [9, 9, 7],
                                   "per_million": [1.0, 1.0, 0.5], "doc_freq": [1, 1, 1]})
    inputs["key"] = inputs["key"].assign(g2=[2.0, 1.0])
    inputs["zipf"].attrs.update(slope=-0.6)
    inputs["growth"].attrs.update(beta=0.93)
    text = _text(statistics.what_we_saw_statistics(**inputs))
    assert "2 content words tie as the most frequent (موسكو, ليبيا), with 9 occurrences each" in text
    assert "حفتر" not in text
    assert "(G² 2.0, not significant)" in text
    assert "flatter than Zipf's -1" in text
    assert "β is 0.93" in text and "too small to show the vocabulary levelling off" in text


def test_statistics_on_one_source_and_too_little_data():
    inputs = _statistics_inputs(sources=("sample", "sample", "sample"))
    inputs.update(pairs=pd.DataFrame(columns=["w1", "w2", "count", "score"]),
                  key=pd.DataFrame(columns=["term", "count_target", "count_reference", "g2",
                                            "log_ratio", "key_for"]),
                  target_source="sample")
    inputs["zipf"] = inputs["zipf"].head(3)
    text = _text(statistics.what_we_saw_statistics(**inputs))
    assert "No word pair occurs 3 or more times, so no collocation could be scored" in text
    assert "Key words need at least two sources to compare; this corpus has 1" in text
    assert "Zipf's law could not be fitted: 3 distinct words (at least 10 needed)" in text
    assert "comparing sources needs at least two" in text


def test_statistics_on_an_empty_corpus():
    empty = pd.DataFrame()
    zipf, growth = pd.DataFrame({"rank": []}), pd.DataFrame({"tokens": []})
    zipf.attrs.update(slope=float("nan"))
    growth.attrs.update(beta=float("nan"))
    text = _text(statistics.what_we_saw_statistics(
        articles=_articles([]), tokens=pd.Series([], dtype=object),
        freq=pd.DataFrame(columns=["term", "count"]), pairs=empty, key=empty, target_source=None,
        zipf=zipf, growth=growth, diversity=pd.DataFrame({"mattr": []}), min_count=3,
        mattr_window=100))
    assert "No content word was counted" in text
    assert "Zipf's law could not be fitted" in text
    assert "Heaps' law could not be fitted: 0 tokens" in text
    assert "Lexical diversity could not be measured" in text


def test_statistics_on_real_tables():
    """End to end with the helpers the notebook calls (tiny corpus, no disk)."""
    articles = _articles(["أ", "أ", "ب"])
    tokens = pd.Series([["حكومة", "الوفاق", "في", "طرابلس"] * 4, ["حكومة", "الوفاق"] * 3,
                        ["كأس", "العالم", "في", "قطر"] * 3])
    is_a = articles["source"] == "أ"
    text = _text(statistics.what_we_saw_statistics(
        articles=articles, tokens=tokens,
        freq=helpers.frequencies(tokens, drop_stopwords=True, top=5),
        pairs=helpers.collocations(tokens, "llr", min_count=3, drop_stopwords=True),
        key=helpers.keyness(tokens[is_a], tokens[~is_a], min_count=3), target_source="أ",
        zipf=helpers.zipf(tokens), growth=helpers.heaps(tokens), diversity=helpers.diversity(tokens),
        min_count=3, mattr_window=100))
    assert "tie as the most frequent (حكومة, الوفاق), with 7 occurrences each" in text
    assert "the strongest collocation is حكومة الوفاق" in text
    assert "The top key word of أ" in text
    assert "Zipf's law could not be fitted: 7 distinct words" in text


# ---------------------------------------------------------------------------- 04 charts

_DIAGNOSIS = {
    "matplotlib": "3.11.2",
    "matplotlib text": "logical (matplotlib joins and reorders Arabic itself)",
    "pillow": "13.0.0",
    "pillow text": "logical (raqm layout)",
    "font": "Noto Sans Arabic",
    "font source": "system <fontconfig>",
}


def test_charts_reports_the_rendering_path_and_the_data():
    articles = _articles(["أ", "أ", "ب"], dates=["2020-01-05", "2020-03-01", None],
                         categories=["سياسة", "رياضة", pd.NA])
    tokens = pd.Series([["غزة"] * 4, ["غزة", "مصر"], ["كأس"] * 7])
    freq = helpers.frequencies(tokens)
    text = _text(charts.what_we_saw_charts(diagnosis=_DIAGNOSIS, articles=articles,
                                           tokens=tokens, freq=freq))
    assert ("Arabic labels were drawn by matplotlib 3.11.2 on the logical (matplotlib joins and "
            "reorders Arabic itself) path, the word cloud by Pillow 13.0.0 on the logical (raqm "
            "layout) path; the font is Noto Sans Arabic (from system <fontconfig>).") in text
    assert "&lt;fontconfig&gt;" in charts.what_we_saw_charts(
        diagnosis=_DIAGNOSIS, articles=articles, tokens=tokens, freq=freq).html
    assert "The cloud draws the most frequent of 3 distinct words (stopwords left out); at the top, كأس with 7 occurrences" in text
    assert "Article lengths run from 2 to 7 words (median 4, stopwords not counted) over 3 articles from 2 sources." in text
    assert "2 dated articles over 2 months, from 2020-01 to 2020-03" in text
    assert ("The heatmap compares the words across 2 categories (1 article without one in the "
            "row marked —).") in text
    # 04 draws no chart of the statistics (03 does): its prose names none
    for other in ("key word", "network", "collocation", "Zipf", "Heaps", "bars"):
        assert other not in text, other


def test_charts_has_no_arguments_for_the_charts_of_03():
    with pytest.raises(TypeError):
        charts.what_we_saw_charts(diagnosis=_DIAGNOSIS, articles=_articles(["أ"]),
                                  tokens=pd.Series([["غزة"]]), freq=pd.DataFrame(),
                                  key=pd.DataFrame())


def test_charts_on_the_one_article_sample():
    articles = _articles(["sample"])
    tokens = pd.Series([["موسكو", "ليبيا", "موسكو", "ليبيا", "حفتر"]])
    text = _text(charts.what_we_saw_charts(
        diagnosis={**_DIAGNOSIS, "font": None}, articles=articles, tokens=tokens,
        freq=helpers.frequencies(tokens)))
    assert "no Arabic font was found" in text
    assert "at the top, موسكو and ليبيا tie with 2 occurrences" in text
    assert "The length histogram has a single bar: one article of 5 words (stopwords not counted)." in text
    assert "No article carries a date" in text
    assert ("The heatmap has a single row: with no category given, it shows the words, not a "
            "comparison between categories.") in text
    assert "With 1 article these are anecdotes" in text


def test_charts_on_an_empty_corpus():
    text = _text(charts.what_we_saw_charts(diagnosis=_DIAGNOSIS, articles=_articles([]),
                                             tokens=pd.Series([], dtype=object),
                                             freq=pd.DataFrame(columns=["term", "count"])))
    assert "The corpus is empty: every chart shows a note instead of data." in text


def test_what_we_saw_names_the_boilerplate_found():
    promo = "حملوا تطبيقنا على هاتفكم"
    a = pd.DataFrame({"source": "X", "category": "c", "date": pd.to_datetime([None] * 5, utc=True),
                      "title": [f"عنوان {w}" for w in "أبتثج"],
                      "body": [f"خبر عن {w} اليوم\n{promo}" for w in "أبتثج"]})
    found = helpers.find_boilerplate(a)
    text = repr(load_and_clean.what_we_saw(a, boilerplate=found, removed=found.removed(a)))
    assert "Boilerplate found: 1 recurring line in 1 outlet" in text and promo in text
    assert "from 5 articles" in text
    none = repr(load_and_clean.what_we_saw(a.iloc[:1], boilerplate=helpers.find_boilerplate(a.iloc[:1])))
    assert "No outlet repeats a line" in none
