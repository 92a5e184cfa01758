"""The bundled sample in data/raw/: what it holds and how the loader reads it. (That the
default build, ``make report`` without CORPUS, has data for every analysis is checked in
test_notebooks.py.)"""

from __future__ import annotations

import tarfile

import pytest

import helpers
from helpers import paths

ANT_SAMPLE = paths.RAW / "ant-sample"
OUTLETS = {"alarabia", "BBC", "CNN", "france24", "skynews"}
DOC_FILES = {"README.md", "ant-sample/README.md", "ant-sample/LICENSE", "ant-sample/CITATION.md"}

pytestmark = pytest.mark.skipif(not ANT_SAMPLE.is_dir(), reason=f"no ANT sample in {ANT_SAMPLE}")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    return helpers.load_corpus(paths.RAW, cache_dir=tmp_path_factory.mktemp("cache"),
                               progress=False)


def test_sample_is_balanced_and_spread(loaded):
    articles, _ = loaded
    ant = articles[articles["path"].str.startswith("ant-sample/")]
    assert ant["source"].value_counts().to_dict() == dict.fromkeys(OUTLETS, 150)
    assert ant["category"].nunique() == 6
    # every category ANT has for an outlet (BBC six, the others five), 24 to 32 articles each
    assert ant.groupby("source")["category"].nunique().to_dict() == {
        "alarabia": 5, "BBC": 6, "CNN": 5, "france24": 5, "skynews": 5}
    assert ant.groupby(["source", "category"]).size().between(24, 32).all()
    months = ant["date"].dt.strftime("%Y-%m")
    assert sorted(months.unique()) == [f"2018-{m:02d}" for m in range(2, 11)]
    assert ant["body"].str.len().gt(0).all()


def test_users_article_is_kept(loaded):
    articles, _ = loaded
    mine = articles[articles["path"] == "000_cf9720c646c5849c.txt"]
    assert len(mine) == 1
    assert mine["title"].iloc[0] == "حفتر والسراج في موسكو لبحث مبادرة وقف إطلاق النار"
    assert mine["source"].isna().all()   # no folder names an outlet: it is no outlet of its own


def test_documentation_files_are_named_not_failed(loaded):
    articles, report = loaded
    assert report.loaded == len(articles) == 751 and not report.warnings
    assert {s.path for s in report.skipped} == DOC_FILES
    assert {s.kind for s in report.skipped} == {"ignored"}
    assert all("documentation file" in s.reason for s in report.skipped)


def test_licence_and_citation_beside_the_articles():
    licence = (ANT_SAMPLE / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in licence and "Version 2.0, January 2004" in licence
    citation = (ANT_SAMPLE / "CITATION.md").read_text(encoding="utf-8")
    assert "Chouigui" in citation and "AICCSA 2017" in citation and "f117ce44a9cf" in citation


def test_no_file_over_4_mb():
    big = [p for p in paths.RAW.rglob("*") if p.is_file() and p.stat().st_size > 4 * 2**20]
    assert not big


@pytest.mark.slow
def test_articles_are_byte_identical_to_ant(ant_archive):
    ours = {p.relative_to(ANT_SAMPLE).as_posix(): p for p in ANT_SAMPLE.glob("*/*/*.txt")}
    assert len(ours) == 750
    with tarfile.open(ant_archive, "r:gz") as tar:
        readme = None
        for member in tar:
            name = member.name.partition("/")[2]
            if name in ours:
                assert ours.pop(name).read_bytes() == tar.extractfile(member).read(), name
            elif name == "README.md":
                readme = tar.extractfile(member).read()
    assert not ours, sorted(ours)[:5]
    assert (ANT_SAMPLE / "README.md").read_bytes() == readme
