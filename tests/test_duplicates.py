"""Tests for helpers.duplicates: planted near-duplicates are found, unrelated texts are not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import helpers.duplicates as dup


def _corpus(seed=0, n=60, words=150):
    rng = np.random.default_rng(seed)
    vocab = np.array([f"كلمة{i}" for i in range(3000)], dtype=object)
    bodies = [" ".join(rng.choice(vocab, size=words)) for _ in range(n)]
    sources = [["bbc", "cnn", "skynews"][i % 3] for i in range(n)]
    return pd.DataFrame({"id": [f"d{i}" for i in range(n)], "source": sources, "body": bodies}), rng


def _plant(arts, rng):
    """Copies of articles 0..9: exact, with 1-2 words changed (J >= 0.87), with a prefix."""
    rows, groups = [], []
    for k in range(10):
        words = arts.loc[k, "body"].split()
        if k % 3 == 1:
            for p in rng.choice(len(words), size=k % 2 + 1, replace=False):
                words[p] = "تعديل"
        if k % 3 == 2:
            words = ["عاجل", ":"] + words
        rows.append({"id": f"copy{k}", "source": "alarabia", "body": " ".join(words)})
        groups.append((f"d{k}", f"copy{k}"))
    return pd.concat([arts, pd.DataFrame(rows)], ignore_index=True), groups


def test_planted_near_duplicates_are_all_found_and_nothing_else():
    arts, rng = _corpus()
    arts, groups = _plant(arts, rng)
    members = dup.near_duplicates(arts, threshold=0.8)
    assert list(members.columns[:7]) == ["cluster", "size", "n_sources", "row", "id", "similarity", "first"]
    cluster_of = dict(zip(members["id"], members["cluster"]))
    for original, copy in groups:  # recall: every planted pair in one cluster
        assert original in cluster_of and cluster_of[original] == cluster_of[copy]
    assert len(members) == 2 * len(groups)  # precision: random articles stay unclustered
    assert (members.groupby("cluster")["first"].sum() == 1).all()
    assert set(members.loc[members["first"], "id"]) == {o for o, _ in groups}
    assert (members["n_sources"] == 2).all()
    exact = members[members["id"].isin(["d0", "copy0"])]
    assert (exact["similarity"] == 1.0).all()


def test_threshold_separates_light_and_heavy_edits():
    arts, rng = _corpus(seed=1, n=3, words=100)
    words = arts.loc[0, "body"].split()
    heavy = words[:50] + ["جديد"] * 50  # about a third of the shingles shared
    arts = pd.concat([arts, pd.DataFrame({"id": ["h"], "source": ["cnn"], "body": [" ".join(heavy)]})],
                     ignore_index=True)
    assert dup.near_duplicates(arts, threshold=0.8).empty
    found = dup.near_duplicates(arts, threshold=0.2, num_perm=256)
    assert set(found["id"]) == {"d0", "h"}


def test_duplicate_clusters_and_drop_count_each_cluster_once():
    arts, rng = _corpus(seed=2, n=20)
    arts, groups = _plant(arts, rng)
    members = dup.near_duplicates(arts)
    table = dup.duplicate_clusters(members)
    assert {"cluster", "size", "n_sources", "sources", "ids", "min_similarity"} <= set(table.columns)
    assert table["size"].sum() == len(members)
    assert (table["sources"].str.contains("alarabia")).all()
    kept = dup.drop_near_duplicates(arts, members)
    assert len(kept) == len(arts) - len(groups)
    assert not kept["id"].str.startswith("copy").any()
    assert kept.index.equals(arts.index[~arts["id"].str.startswith("copy")])


def test_empty_and_short_articles():
    arts = pd.DataFrame({"id": ["a", "b", "c", "d"], "body": ["", "", "خبر قصير", "خبر قصير"]})
    members = dup.near_duplicates(arts)
    assert members["id"].tolist() == ["c", "d"]  # two words < one shingle: still compared


def test_signatures_estimate_jaccard():
    rng = np.random.default_rng(5)
    base = [f"w{i}" for i in range(400)]
    a, b = base[:300], base[100:]  # 5-word shingles: 296 and 296, 196 shared -> J ~ 0.5
    sig = dup.minhash_signatures(pd.Series([a, b]), num_perm=512)
    est = (sig[0] == sig[1]).mean()
    assert est == pytest.approx(196 / (296 + 296 - 196), abs=0.07)
    del rng


@pytest.mark.slow
def test_ant_exact_duplicates_are_all_found(ant):
    articles, _ = ant
    members = dup.near_duplicates(articles, threshold=0.8)
    body = articles["body"].fillna("")
    counts = body[body.str.len() > 0].value_counts()
    repeated = counts[counts > 1]
    # README: 1,464 texts occur more than once (one of them the empty text of 2 articles)
    assert len(repeated) >= 1463
    cluster = pd.Series(-1, index=articles.index)
    cluster.iloc[members["row"].to_numpy()] = members["cluster"].to_numpy()
    frame = pd.DataFrame({"body": body, "cluster": cluster})[body.isin(repeated.index)]
    per_text = frame.groupby("body")["cluster"].agg(["min", "nunique"])
    assert (per_text["min"] >= 0).all(), "an exact duplicate was not clustered"
    assert (per_text["nunique"] == 1).all(), "copies of one text fell into different clusters"


def test_numpy_banding_equals_datasketch_lsh():
    arts, rng = _corpus(seed=3, n=80)
    arts, _ = _plant(arts, rng)
    tokens = arts["body"].str.split()
    sig = dup.minhash_signatures(tokens)
    rows = np.arange(len(arts))
    ours = dup._lsh_pairs(sig, rows, 0.5, 1, backend="numpy")
    theirs = dup._lsh_pairs(sig, rows, 0.5, 1, backend="datasketch")
    assert ours.tolist() == theirs.tolist() and len(ours) >= 10
    a = dup.near_duplicates(arts, backend="numpy")
    b = dup.near_duplicates(arts, backend="datasketch")
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(ValueError):
        dup.near_duplicates(arts, backend="faiss")
