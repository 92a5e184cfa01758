"""Tests for helpers.corpus.cache: the fingerprint keys everything a load's result depends on.

Here the bound ``max_total_bytes``: what is left of it decides whether a Parquet file is
read (its columns' size is checked against it), so a load under one bound must never be
served a cache written under another (a file skipped for the bound stays skipped after
the bound is raised; a file read stays read after it is lowered).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from helpers.corpus import cached_shards, load_corpus, shard_report
from helpers.corpus.cache import fingerprint
from helpers.corpus.schema import Options

ARTICLE = "عنوان الخبر\n\nالقاهرة - نص الخبر الأول.\n"
BODY = "نص طويل من أخبار القاهرة. " * 2_000           # ~50 KB of text per row
ROWS = 100                                               # ~5 MB once expanded
SMALL, LARGE = 1_000_000, 100_000_000                   # the file itself: a few KB


def corpus(tmp_path: Path, dictionary: bool) -> Path:
    """A seed article and a Parquet file small on disk whose body column expands to ~5 MB:
    plain-encoded (its metadata gives the size) or dictionary-encoded (the size shows
    once the column is expanded)."""
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text(ARTICLE, encoding="utf-8")
    table = pa.table({"title": [f"خبر {i}" for i in range(ROWS)], "body": [BODY] * ROWS})
    pq.write_table(table, root / "big.parquet", compression="zstd", use_dictionary=dictionary)
    assert (root / "big.parquet").stat().st_size < SMALL // 10
    return root


def bound_skips(report) -> list[str]:
    return [s.reason for s in report.skipped if "max_total_bytes=" in s.reason]


@pytest.mark.parametrize("dictionary", [False, True], ids=["metadata", "expanded"])
@pytest.mark.parametrize("order", [(SMALL, LARGE), (LARGE, SMALL)], ids=["raised", "lowered"])
def test_a_changed_bound_is_never_served_from_the_cache(tmp_path, dictionary, order):
    root, cache = corpus(tmp_path, dictionary), tmp_path / "cache"
    first, then = order
    for bound, cached in ((first, False), (first, True), (then, False), (then, True)):
        articles, report = load_corpus(root, cache=True, cache_dir=cache,
                                       max_total_bytes=bound, workers=1)
        assert report.from_cache == cached
        assert report.seen == report.loaded + len(report.skipped)
        if bound == SMALL:
            assert len(articles) == 1 and len(bound_skips(report)) == 1
            assert report.skipped[0].path == "big.parquet"
        else:
            assert len(articles) == 1 + ROWS and not report.skipped


@pytest.mark.parametrize("dictionary", [False, True], ids=["metadata", "expanded"])
def test_shards_are_keyed_by_the_bound_too(tmp_path, dictionary):
    root, cache = corpus(tmp_path, dictionary), tmp_path / "cache"
    small = cached_shards(root, cache_dir=cache, max_total_bytes=SMALL, workers=1)
    assert len(bound_skips(shard_report(small))) == 1
    large = cached_shards(root, cache_dir=cache, max_total_bytes=LARGE, workers=1)
    assert large != small and shard_report(large).loaded == 1 + ROWS


@pytest.mark.parametrize("a, b", [(SMALL, LARGE), (LARGE, LARGE + 1), (SMALL, 2 * SMALL)])
def test_fingerprint_depends_on_the_bound(tmp_path, a, b):
    root = corpus(tmp_path, dictionary=True)
    opts = Options(None, None, ())
    assert fingerprint(root, opts, max_total_bytes=a) == fingerprint(
        root, opts, max_total_bytes=a)
    assert fingerprint(root, opts, max_total_bytes=a) != fingerprint(
        root, opts, max_total_bytes=b)
