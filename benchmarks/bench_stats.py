"""Time every corpus-statistics analysis on the whole ANT corpus and print a table.

    .venv/bin/python benchmarks/bench_stats.py [--corpus PATH] [--repeat N]

Loads the corpus with ``helpers.load_corpus`` (Parquet cache in ``data/processed``),
tokenises it with ``helpers.tokenize`` and times each analysis of issue 3 (median of
``--repeat`` runs, after one untimed warm-up for the cached encoding where noted). Also
times the peers named in issue 6 on the same token lists: ``collections.Counter`` for the
frequency table and NLTK's ``BigramCollocationFinder`` for LLR collocations (same top 100
checked). Nothing here is asserted: timings go to the README, not to tests.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import helpers  # noqa: E402
from corpora import ANT_ARCHIVE  # noqa: E402
from helpers import association, concordance, duplicates, encoded, ngram_counts, stats, timelines, topicmodels  # noqa: E402


def _time(fn, repeat: int, *, cold: bool = False) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        if cold:  # forget every cached encoding: the call encodes its tokens again
            encoded.clear_cache()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ANT_ARCHIVE))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-peers", action="store_true", help="do not time Counter / NLTK")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    articles, _ = helpers.load_corpus(args.corpus, progress=False)
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    tokens = helpers.tokenize(articles["body"])
    tok_time = time.perf_counter() - t0
    n_tokens = int(tokens.list.len().sum())
    print(f"corpus: {len(articles):,} articles, {n_tokens:,} tokens "
          f"(load {load:.1f} s, tokenize {tok_time:.1f} s)")

    r = args.repeat
    rows = []

    def bench(name, fn, repeat=r, note="", cold=False):
        secs, out = _time(fn, repeat, cold=cold)
        stats.encode(tokens)  # warm again: the analyses reuse the cached encoding
        rows.append((name, secs, note))
        print(f"  {name:<42} {secs:8.2f} s  {note}", flush=True)
        return out

    bench("encode (first use of a token Series)", lambda: stats.encode(tokens), cold=True,
          note="shared by every analysis below")
    stats.encode(tokens)  # warm the cache: the analyses below reuse the encoding
    bench("1 corpus_stats (source, category, month)", lambda: stats.corpus_stats(articles, tokens))
    bench("1 length_distribution by source", lambda: stats.length_distribution(tokens, by=articles["source"]))
    freq = bench("2 frequencies", lambda: stats.frequencies(tokens))
    bench("2 frequencies (cold: encoding included)", lambda: stats.frequencies(tokens), cold=True)
    bench("2 frequencies by source", lambda: stats.frequencies(tokens, articles["source"]))
    bench("3 ngrams n=2..4, min_count=2", lambda: ngram_counts.ngrams(tokens, (2, 3, 4)), repeat=1)
    bench("4 collocations llr, window 2", lambda: association.collocations(tokens, "llr", min_count=5))
    bench("4 collocations pmi, window 3", lambda: association.collocations(tokens, "pmi", window=3, min_count=5))
    target = articles["source"].str.lower() == "bbc"
    bench("5 keyness bbc vs rest", lambda: association.keyness(tokens[target], tokens[~target]),
          note="rows of the encoded Series: codes reused")
    bench("6 distinctive_terms by category", lambda: association.distinctive_terms(tokens, articles["category"]))
    bench("7 zipf", lambda: stats.zipf(tokens))
    bench("7 heaps", lambda: stats.heaps(tokens))
    bench("8 diversity (MATTR window 100)", lambda: stats.diversity(tokens, window=100))
    top_terms = freq["term"].head(20).tolist()
    bench("9 dispersion (all terms, articles as parts)", lambda: stats.dispersion(tokens, min_count=5))
    bench("9 dispersion_positions (20 terms)", lambda: stats.dispersion_positions(tokens, top_terms))
    bench("10 kwic 'مصر' (clitic-aware)", lambda: concordance.kwic(articles, "مصر"))
    bench("10 kwic 'مصر' exact", lambda: concordance.kwic(articles, "مصر", exact=True))
    bench("11 trends 5 terms, month x source", lambda: timelines.trends(articles, tokens, top_terms[:5]))
    bench("12 near_duplicates (whitespace words of body)", lambda: duplicates.near_duplicates(articles), repeat=1)
    bench("12 near_duplicates (the encoded tokens)", lambda: duplicates.near_duplicates(articles, tokens), repeat=1)
    bench("13 topics (NMF, 10 topics)", lambda: topicmodels.topics(tokens, n_topics=10), repeat=1)

    if not args.skip_peers:
        print("peers (issue 6):")

        def counter():
            c = collections.Counter()
            for lst in tokens:
                c.update(lst)
            return c

        c_secs, c = _time(counter, r)
        f_secs, f = _time(lambda: stats.frequencies(tokens), r, cold=True)
        same = dict(zip(f["term"], f["count"])) == dict(c)
        print(f"  frequency table: Counter {c_secs:.2f} s, helpers (cold) {f_secs:.2f} s "
              f"-> {c_secs / f_secs:.2f}x; same counts: {same}")
        from nltk.collocations import BigramCollocationFinder
        from nltk.metrics import BigramAssocMeasures

        def nltk_llr():
            finder = BigramCollocationFinder.from_documents(tokens.tolist())
            finder.apply_freq_filter(5)
            return finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)[:100]

        n_secs, ref = _time(nltk_llr, 1)
        h_secs, ours = _time(lambda: association.collocations(tokens, "llr", min_count=5, top=100), r, cold=True)
        same_top = [tuple(p) for p in ours[["w1", "w2"]].values] == [p for p, _ in ref]
        print(f"  collocations LLR: NLTK {n_secs:.2f} s, helpers (cold) {h_secs:.2f} s "
              f"-> {n_secs / h_secs:.1f}x; same top 100: {same_top}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
