"""Notebooks 02-explore and 03-statistics execute on the user's one-article sample
(data/raw/000_cf9720c646c5849c.txt) and on a slice of ANT."""

from __future__ import annotations

import re

import pytest

from helpers import paths, reports


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if not paths.SAMPLE.is_file():
        pytest.skip(f"no sample article in {paths.SAMPLE}")
    out = tmp_path_factory.mktemp("reports-stats")
    build = reports.build_reports(paths.SAMPLE, out_dir=out, only=["02", "03"], progress=None,
                                  processed_dir=tmp_path_factory.mktemp("processed"))
    return build, out


@pytest.mark.slow
def test_explore_and_statistics_run_on_the_sample(built):
    build, out = built
    assert build.ok, [r.error for r in build.results] + [build.corpus_error]
    explore = (out / "02-explore.html").read_text(encoding="utf-8")
    stats_page = (out / "03-statistics.html").read_text(encoding="utf-8")
    for page in (explore, stats_page):
        assert "Traceback" not in page and "Warning" not in page
    # the concordance is an escaped right-to-left table
    assert re.search(r'<table class="hx-kwic" dir="rtl"', explore)
    # where the sample is too small, the page says so instead of failing
    assert "needs at least two articles" in explore
    for needed in ("needs at least two sources", "needs at least two categories",
                   "trends need article dates", "too little data for 10 topics"):
        assert needed in stats_page, needed


@pytest.mark.slow
def test_explore_and_statistics_run_on_a_slice_of_ant(tmp_path):
    if not paths.ANT_ARCHIVE.exists():
        pytest.skip(f"ANT archive not found at {paths.ANT_ARCHIVE}")
    from helpers.corpus import load_corpus

    articles, _ = load_corpus(paths.ANT_ARCHIVE, cache_dir=tmp_path / "cache", progress=False)
    # every source and category, plus copies filed twice: 600 articles
    part = articles.groupby("source", group_keys=False).head(120)
    corpus = tmp_path / "ant-slice.parquet"
    part.to_parquet(corpus)
    out = tmp_path / "reports"
    build = reports.build_reports(corpus, out_dir=out, only=["02", "03"], progress=None,
                                  processed_dir=tmp_path / "processed")
    assert build.ok, [r.error for r in build.results] + [build.corpus_error]
    stats_page = (out / "03-statistics.html").read_text(encoding="utf-8")
    assert "Traceback" not in stats_page and "Zipf slope" in stats_page
    assert "hx-note\">No key words" not in stats_page  # keyness had a reference to compare with
