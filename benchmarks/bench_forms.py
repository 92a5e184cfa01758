"""Time the written forms (``helpers.written_forms``, ``helpers.in_written_form``) on ANT.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_forms.py [--corpus PATH] [--repeat N]

The corpus is loaded and its boilerplate removed as in notebook 03; then, each in a fresh
temporary cache folder (first call) and again from it (cached), the tokens
(``cached_tokens``) and the written forms (``written_forms``) of the same bodies. Also timed:
notebook 03's counted tables (frequencies, n-grams 2-4, LLR collocations, keyness of the
largest outlet) and ``in_written_form`` on all of them. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import helpers  # noqa: E402


def main(argv=None) -> int:
    from bench import timed
    from corpora import ANT_ARCHIVE

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ANT_ARCHIVE))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    articles, _ = helpers.load_corpus(args.corpus, progress=False)
    articles, _ = helpers.without_boilerplate(articles)
    body = articles["body"]
    rows = []
    folders = []

    def fresh():
        folders.append(tempfile.TemporaryDirectory())

    for name, fn in (("cached_tokens", helpers.cached_tokens), ("written_forms", helpers.written_forms)):
        first, _, out = timed(lambda: fn(body, cache_dir=folders[-1].name), args.repeat, before=fresh)
        cached, _, _ = timed(lambda: fn(body, cache_dir=folders[-1].name), args.repeat)
        rows.append((name, first, cached, len(out)))
    tokens = helpers.cached_tokens(body, cache_dir=folders[-1].name)
    forms = helpers.written_forms(body, cache_dir=folders[-1].name)
    is_target = articles["source"] == helpers.largest_outlet(articles)

    def tables():
        return [helpers.frequencies(tokens, drop_stopwords=True, top=20),
                helpers.ngrams(tokens, (2, 3, 4), min_count=3, drop_stopword_only=True, top=20),
                helpers.collocations(tokens, "llr", min_count=3, drop_stopwords=True, top=20),
                helpers.keyness(tokens[is_target], tokens[~is_target], min_count=3)]

    analysis, _, shown = timed(tables, args.repeat)
    convert, _, _ = timed(lambda: [helpers.in_written_form(t, forms) for t in shown], args.repeat)
    print(f"{len(body):,} articles, {tokens.list.len().sum():,} tokens, {len(forms):,} keys "
          f"with a written form; median of {args.repeat}")
    for name, first, cached, n in rows:
        print(f"{name:15s} first {first:7.2f} s   cached {cached:7.3f} s")
    print(f"03 tables (frequencies, n-grams, collocations, keyness): {analysis:.2f} s; "
          f"in_written_form on them: {convert * 1000:.1f} ms")
    tok_first, tok_cached = rows[0][1:3]
    f_first, f_cached = rows[1][1:3]
    print(f"written_forms cached: {f_cached / tok_cached:.0%} of cached_tokens cached, "
          f"{(f_cached + convert) / (tok_cached + analysis):.1%} of cached tokens + 03 tables; "
          f"first call: {f_first / tok_first:.0%} of cached_tokens first")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
