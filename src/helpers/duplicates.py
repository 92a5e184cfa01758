"""Near-duplicate articles (wire copy republished across outlets) with MinHash and LSH.

Each article becomes the set of its word shingles (``shingle`` consecutive tokens). Two
articles' Jaccard similarity (shared shingles / all shingles) is estimated from MinHash
signatures; LSH banding (with datasketch's choice of bands for the threshold, done with
numpy sorting by default or by :class:`datasketch.MinHashLSH`) proposes candidate pairs, the
candidates whose estimated similarity reaches ``threshold`` are linked, and the connected
groups are the clusters. Exact copies always land in the same cluster.

The signatures are computed with numpy over all shingles at once (each shingle hashed to
32 bits, then ``num_perm`` seeded 32-bit mixing functions, minima per article) rather than
by feeding shingles one at a time to ``datasketch.MinHash`` (about ten times slower on
ANT).

:func:`copy_matrix` and :func:`shared_copy` read the clusters across outlets: how much of
each outlet's copy also appears at another outlet, and which outlet published it first.

>>> arts = pd.DataFrame({"id": ["a", "b", "c"], "source": ["bbc", "cnn", "bbc"],
...                      "body": ["قال الوزير إن المحادثات ستستأنف غدا في القاهرة"] * 2 + ["خبر آخر تماما"]})
>>> near_duplicates(arts, shingle=3)[["cluster", "id"]].values.tolist()
[[0, 'a'], [0, 'b']]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from .encoded import distinct_counts, encode

__all__ = ["minhash_signatures", "near_duplicates", "duplicate_clusters", "drop_near_duplicates",
           "copy_matrix", "shared_copy"]

_MULT = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio constant for combining token codes
_MIX32 = np.uint32(0x2C1B3C6D)  # odd multiplier of the 32-bit finaliser (from Murmur-style mixers)
_BLOCK = 1 << 16  # shingles per block: the working arrays stay in the CPU cache
_MAX_GROUP = 64  # LSH buckets larger than this are linked as a star, not all pairs


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads a 64-bit value over all bits."""
    x = x.copy()
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def _minima(h32: np.ndarray, first: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per-article minima of every hash function; articles processed in cache-sized blocks."""
    n, n_docs, k = len(h32), len(first), len(a)
    out = np.empty((n_docs, k), dtype=np.uint32)
    bounds = np.r_[first, n]
    cuts = np.unique(np.r_[np.searchsorted(first, np.arange(0, n, _BLOCK)), n_docs])
    for d0, d1 in zip(cuts[:-1], cuts[1:]):
        block = h32[bounds[d0]:bounds[d1]]
        local = first[d0:d1] - bounds[d0]
        hv = np.empty_like(block)
        tmp = np.empty_like(block)
        for i in range(k):
            # xor-multiply-xorshift-multiply: one member of a family of 32-bit mixers
            np.bitwise_xor(block, b[i], out=hv)
            hv *= a[i]
            np.right_shift(hv, np.uint32(15), out=tmp)
            hv ^= tmp
            hv *= _MIX32
            out[d0:d1, i] = np.minimum.reduceat(hv, local)
    return out


def minhash_signatures(tokens, *, shingle: int = 5, num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """MinHash signatures of every article's set of word shingles.

    Args:
        tokens: Series of token lists.
        shingle: tokens per shingle (an article shorter than that is one shingle).
        num_perm: signature length (more = finer similarity estimates, slower).
        seed: seed of the hash family.

    Returns:
        uint32 array of shape (articles, num_perm); the share of equal columns of two
        rows estimates the Jaccard similarity of the two articles' shingle sets. An empty
        article's row is all ``2**32 - 1``.

    >>> s = minhash_signatures(pd.Series([["ا", "ب", "ت"], ["ا", "ب", "ت"]]), shingle=2)
    >>> bool((s[0] == s[1]).all())
    True
    """
    enc = encode(tokens)
    n_docs = enc.n_docs
    lengths = enc.lengths
    doc = enc.doc_of
    pos = np.arange(enc.n_tokens, dtype=np.int64) - enc.indptr[:-1][doc]
    # shingle starts: every position with `shingle` tokens after it, or 0 in short articles
    starts = np.flatnonzero(pos <= np.maximum(lengths[doc] - shingle, 0))
    width = np.minimum(lengths[doc[starts]], shingle)
    codes = enc.codes.astype(np.uint64)
    h = np.zeros(len(starts), dtype=np.uint64)
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2**32, size=num_perm, dtype=np.uint64).astype(np.uint32) | np.uint32(1)
    b = rng.integers(0, 2**32, size=num_perm, dtype=np.uint64).astype(np.uint32)
    sig = np.full((n_docs, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    if not len(starts):
        return sig
    short = np.flatnonzero(width < shingle)  # articles shorter than one shingle
    with np.errstate(over="ignore"):
        for j in range(shingle):
            nxt = codes[np.minimum(starts + j, enc.n_tokens - 1)] + np.uint64(1)
            if len(short):
                keep = h[short]
            h *= _MULT
            h += nxt
            if len(short):
                h[short] = np.where(j < width[short], h[short], keep)
        h32 = (_mix(h) >> np.uint64(32)).astype(np.uint32)
        sdoc = doc[starts]
        nonempty = np.flatnonzero(np.bincount(sdoc, minlength=n_docs) > 0)
        first = np.searchsorted(sdoc, nonempty)
        sig[nonempty] = _minima(h32, first, a, b)
    return sig


def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """datasketch's choice of b bands of r rows for this threshold (equal error weights)."""
    from datasketch.lsh import _optimal_param

    return _optimal_param(threshold, num_perm, 0.5, 0.5)


def _pairs_in_groups(members: np.ndarray, group_start: np.ndarray, group_size: np.ndarray) -> np.ndarray:
    """All pairs inside each group (a star to the first member for groups over _MAX_GROUP)."""
    out = []
    for size in np.unique(group_size):
        starts = group_start[group_size == size]
        if size <= _MAX_GROUP:
            ii, jj = np.triu_indices(size, k=1)
            block = members[starts[:, None] + np.arange(size)]
            out.append(np.stack([block[:, ii].ravel(), block[:, jj].ravel()], axis=1))
        else:
            for st in starts:
                m = members[st:st + size]
                out.append(np.stack([np.full(size - 1, m[0]), m[1:]], axis=1))
    return np.concatenate(out) if out else np.empty((0, 2), dtype=np.int64)


def _lsh_pairs(sig: np.ndarray, rows: np.ndarray, threshold: float, seed: int,
               backend: str = "numpy") -> np.ndarray:
    """Candidate pairs (i < j, row numbers) sharing a band of their signatures.

    ``backend="datasketch"`` inserts every signature into :class:`datasketch.MinHashLSH`
    and reads its buckets; ``"numpy"`` does the same banding (same b and r, from
    datasketch) by hashing each band and sorting, about 50 times faster on ANT.
    """
    if backend == "datasketch":
        from datasketch import LeanMinHash, MinHashLSH

        lsh = MinHashLSH(threshold=threshold, num_perm=sig.shape[1])
        with lsh.insertion_session() as session:
            for r in rows:
                m = LeanMinHash(seed=seed, hashvalues=sig[r].astype(np.uint64), scheme="legacy")
                session.insert(int(r), m, check_duplication=False)
        groups = []
        for table in lsh.hashtables:
            for key in table.keys():
                members = table.get(key)
                if len(members) > 1:
                    groups.append(np.sort(np.fromiter(members, dtype=np.int64, count=len(members))))
        if not groups:
            return np.empty((0, 2), dtype=np.int64)
        sizes = np.array([len(g) for g in groups])
        starts = np.r_[0, np.cumsum(sizes)[:-1]]
        pairs = _pairs_in_groups(np.concatenate(groups), starts, sizes)
    elif backend == "numpy":
        b, r = _bands(threshold, sig.shape[1])
        sub = sig[rows].astype(np.uint64)
        found = []
        with np.errstate(over="ignore"):
            for band in range(b):
                h = np.full(len(rows), np.uint64(band + 1), dtype=np.uint64)
                for col in range(band * r, (band + 1) * r):
                    h = h * _MULT + sub[:, col]
                order = np.argsort(h, kind="stable")
                hs = h[order]
                edges = np.flatnonzero(np.r_[True, hs[1:] != hs[:-1], True])
                sizes = np.diff(edges)
                multi = sizes > 1
                if multi.any():
                    found.append(_pairs_in_groups(rows[order], edges[:-1][multi], sizes[multi]))
        pairs = np.concatenate(found) if found else np.empty((0, 2), dtype=np.int64)
    else:
        raise ValueError(f"unknown backend {backend!r}; use 'numpy' or 'datasketch'")
    if not len(pairs):
        return pairs.reshape(0, 2)
    pairs = np.sort(pairs, axis=1)
    key = distinct_counts(np.sort(pairs[:, 0] * np.int64(len(sig)) + pairs[:, 1]))[0]
    return np.stack([key // len(sig), key % len(sig)], axis=1)


def near_duplicates(
    articles: pd.DataFrame,
    tokens=None,
    *,
    threshold: float = 0.8,
    shingle: int = 5,
    num_perm: int = 128,
    column: str = "body",
    metadata: Sequence[str] = ("source", "category", "date", "title"),
    seed: int = 1,
    backend: str = "numpy",
) -> pd.DataFrame:
    """Clusters of articles whose texts are (nearly) the same.

    Args:
        articles: articles DataFrame.
        tokens: Series of token lists aligned with ``articles`` (default: the whitespace
            words of ``column``; pass normalised tokens to ignore diacritics and spelling).
        threshold: estimated Jaccard similarity of the shingle sets from which two
            articles are linked (clusters are linked groups, so two members of a chain may
            be less similar than that).
        shingle: words per shingle.
        num_perm: MinHash signature length.
        column: text column used when ``tokens`` is not given.
        metadata: columns copied to the result (those present).
        seed: seed of the hash family.
        backend: ``"numpy"`` (banding by sorting) or ``"datasketch"``
            (:class:`datasketch.MinHashLSH`); same bands, same candidates.

    Returns:
        One row per article in a cluster of two or more, with columns ``cluster``
        (0 = the largest cluster), ``size``, ``n_sources`` (distinct sources in the
        cluster, when there is a ``source`` column), ``row`` (position in ``articles``),
        ``id``, ``similarity`` (estimated Jaccard with the cluster's first article),
        ``first`` (True for the cluster's first article, the one kept when counting each
        cluster once), then ``metadata``. Empty articles are never clustered.
    """
    if tokens is None:
        texts = articles[column].astype(object).where(articles[column].notna(), "").tolist()
        tokens = pd.Series([t.split() for t in texts], index=articles.index, dtype=object)
    sig = minhash_signatures(tokens, shingle=shingle, num_perm=num_perm, seed=seed)
    empty = encode(tokens).lengths == 0
    rows = np.flatnonzero(~empty)
    pairs = _lsh_pairs(sig, rows, threshold, seed, backend)
    if len(pairs):
        sim = (sig[pairs[:, 0]] == sig[pairs[:, 1]]).mean(axis=1)
        pairs = pairs[sim >= threshold]
    n = len(articles)
    graph = sparse.coo_matrix(
        (np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n)
    ).tocsr()
    _, label = connected_components(graph, directed=False)
    sizes = np.bincount(label)
    members = np.flatnonzero(sizes[label] > 1)
    lab = label[members]
    first_of = np.full(len(sizes), n, dtype=np.int64)
    np.minimum.at(first_of, lab, members)
    labels = np.unique(lab)
    ranked = labels[np.lexsort((first_of[labels], -sizes[labels]))]  # largest first
    cluster_of = np.empty(len(sizes), dtype=np.int64)
    cluster_of[ranked] = np.arange(len(ranked))
    out = pd.DataFrame(
        {"cluster": cluster_of[lab], "size": sizes[lab], "row": members, "first_row": first_of[lab]}
    )
    out = out.sort_values(["cluster", "row"], kind="stable", ignore_index=True)
    rep = sig[out["first_row"].to_numpy()]
    out["similarity"] = (sig[out["row"].to_numpy()] == rep).mean(axis=1) if len(out) else []
    out["first"] = out["row"] == out["first_row"]
    meta = articles.iloc[out["row"].to_numpy()]
    out["id"] = meta["id"].to_numpy() if "id" in articles.columns else articles.index[out["row"]]
    if "source" in articles.columns:
        src = meta["source"].astype(object).to_numpy()
        out["n_sources"] = pd.Series(src).groupby(out["cluster"].to_numpy()).transform("nunique").to_numpy()
    cols = ["cluster", "size"] + (["n_sources"] if "source" in articles.columns else [])
    cols += ["row", "id", "similarity", "first"]
    out = out[cols]
    for col in metadata:
        if col in articles.columns:
            out[col] = meta[col].to_numpy()
    return out


def duplicate_clusters(members: pd.DataFrame) -> pd.DataFrame:
    """One row per cluster from :func:`near_duplicates`: size, sources and ids.

    Returns:
        DataFrame with columns ``cluster``, ``size``, ``n_sources``, ``sources``
        (sorted, comma-separated), ``ids`` (list), ``title`` (the first article's, when
        known), ``min_similarity``.

    >>> arts = pd.DataFrame({"id": ["a", "b"], "source": ["bbc", "cnn"], "body": ["عاجل قال الوزير اليوم"] * 2})
    >>> duplicate_clusters(near_duplicates(arts, shingle=2))[["size", "sources"]].values.tolist()
    [[2, 'bbc, cnn']]
    """
    g = members.groupby("cluster", sort=True)
    out = pd.DataFrame({"size": g.size()})
    if "source" in members.columns:
        out["n_sources"] = g["source"].nunique()
        out["sources"] = g["source"].agg(lambda s: ", ".join(sorted({str(x) for x in s.dropna()})))
    out["ids"] = g["id"].agg(list)
    if "title" in members.columns:
        out["title"] = g["title"].first()
    out["min_similarity"] = g["similarity"].min()
    return out.reset_index()


def drop_near_duplicates(articles: pd.DataFrame, members: pd.DataFrame | None = None, **options) -> pd.DataFrame:
    """The articles with each near-duplicate cluster counted once (its first article kept).

    Args:
        articles: articles DataFrame.
        members: the output of :func:`near_duplicates` (computed with ``options`` if not
            given).

    Returns:
        ``articles`` without the other members of each cluster (index kept).

    >>> arts = pd.DataFrame({"id": ["a", "b", "c"], "body": ["عاجل قال الوزير اليوم"] * 2 + ["خبر آخر"]})
    >>> drop_near_duplicates(arts, shingle=2)["id"].tolist()
    ['a', 'c']
    """
    if members is None:
        members = near_duplicates(articles, **options)
    drop = members.loc[~members["first"], "row"].to_numpy()
    keep = np.ones(len(articles), dtype=bool)
    keep[drop] = False
    return articles[keep]


def _cluster_sources(members: pd.DataFrame, by: str, date: str) -> pd.DataFrame:
    """Articles per (cluster, outlet) and the outlet's earliest date in the cluster."""
    g = members.groupby(["cluster", by], sort=True, observed=True)
    table = g.size().rename("n").to_frame()
    if date in members.columns:
        table["first_date"] = g[date].min()
    return table.reset_index()


def copy_matrix(
    members: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    *,
    by: str = "source",
    later: bool = False,
    share: bool = False,
    date: str = "date",
) -> pd.DataFrame:
    """Outlet × outlet: how many of the row outlet's articles also appear at the column's.

    An article "appears at" outlet B when its near-duplicate cluster holds an article of B.
    On the diagonal: articles of the outlet repeated by the outlet itself (another of its
    articles in the same cluster, e.g. one story filed under two categories).

    Args:
        members: the frame of :func:`helpers.near_duplicates` (``cluster``, ``by``, ``date``).
        articles: the articles frame, to list every outlet and to divide by its articles.
        by: the outlet column.
        later: count only the row outlet's articles published after the column outlet's
            copy (the row outlet followed; the diagonal is then 0).
        share: divide each row by the row outlet's number of articles (needs ``articles``).
        date: the date column used with ``later``.

    Returns:
        Square DataFrame, rows and columns the outlets (sorted); ints, or floats 0..1 with
        ``share``.

    >>> m = pd.DataFrame({"cluster": [0, 0], "source": ["أ", "ب"],
    ...                   "date": pd.to_datetime(["2018-01-01", "2018-01-02"], utc=True)})
    >>> copy_matrix(m, later=True).values.tolist()
    [[0, 0], [1, 0]]
    """
    names = set(members[by].dropna().astype(str))
    if articles is not None:
        names |= set(articles[by].dropna().astype(str))
    outlets = sorted(names)
    matrix = pd.DataFrame(0, index=pd.Index(outlets, name=by), columns=outlets, dtype=np.int64)
    if len(members):
        m = members.assign(**{by: members[by].astype(str)})
        per = _cluster_sources(m, by, date)
        pairs = per.merge(per, on="cluster", suffixes=("", "_other"))
        same = pairs[by] == pairs[f"{by}_other"]
        if later:
            arts = m[["cluster", by, date]].merge(
                per[["cluster", by, "first_date"]].rename(columns={by: "other"}), on="cluster")
            arts = arts[(arts[by] != arts["other"]) & (arts[date] > arts["first_date"])]
            counts = arts.groupby([by, "other"]).size()
        else:
            value = np.where(same, pairs["n"].where(pairs["n"] > 1, 0), pairs["n"])
            counts = pairs.assign(value=value).groupby([by, f"{by}_other"])["value"].sum()
        for (row, col), v in counts.items():
            matrix.loc[row, col] = int(v)
    matrix.columns.name = "also at"
    if share:
        if articles is None:
            raise ValueError("share=True needs the articles frame")
        sizes = articles[by].astype(str).value_counts().reindex(outlets).fillna(0).to_numpy(float)
        matrix = matrix.div(np.where(sizes > 0, sizes, np.nan), axis=0)
    return matrix


def shared_copy(
    members: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    by: str = "source",
    date: str = "date",
) -> pd.DataFrame:
    """Per outlet: how many of its articles also appear at another outlet, and who was first.

    Args:
        members: the frame of :func:`helpers.near_duplicates`.
        articles: the articles frame.
        by: the outlet column.
        date: the date column.

    Returns:
        DataFrame indexed by outlet (most articles first) with ``articles``, ``shared``
        (articles in a cluster with another outlet), ``share`` (shared / articles),
        ``first`` (shared articles no other outlet had earlier), ``later`` (shared articles
        another outlet had published earlier).
    """
    sizes = articles[by].dropna().astype(str).value_counts()
    out = pd.DataFrame({"articles": sizes})
    out.index.name = by
    m = members.assign(**{by: members[by].astype(str)}) if len(members) else members
    if len(m):
        n_out = m.groupby("cluster")[by].transform("nunique")
        cross = m[n_out > 1]
        earliest = cross.groupby("cluster")[date].transform("min") if date in cross else None
    else:
        cross, earliest = m, None
    if len(cross):
        out["shared"] = cross.groupby(by).size().reindex(out.index, fill_value=0)
        is_later = cross[date] > earliest
        out["first"] = cross[~is_later].groupby(by).size().reindex(out.index, fill_value=0)
        out["later"] = cross[is_later].groupby(by).size().reindex(out.index, fill_value=0)
    else:
        out["shared"] = out["first"] = out["later"] = 0
    out["share"] = out["shared"] / out["articles"].where(out["articles"] > 0)
    return out[["articles", "shared", "share", "first", "later"]].astype(
        {"articles": "int64", "shared": "int64", "first": "int64", "later": "int64"})
