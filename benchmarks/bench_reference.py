"""Time keyness against general Arabic (``helpers.general_keyness``) on ANT.

    .venv/bin/python benchmarks/bench_reference.py [--corpus PATH] [--repeat N]

Two figures, each beside the keyness notebook 03 already runs (the largest outlet against
the others, ``helpers.keyness``, min count 5) timed in the same run on the same tokens:

- first call: the reference read from wordfreq's package, normalised and merged (its
  cache emptied before each run), then the keyness of the whole corpus against it;
- cached: the reference kept from an earlier call (every later call in the process).

The token lists are encoded once before timing, as in notebook 03 (where the frequency
table has encoded them). ``make bench`` runs this as part of ``bench.py``; alone it loads
and tokenises ANT first (cached in ``data/processed``). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import helpers  # noqa: E402
from helpers import reference  # noqa: E402


def run(articles, tokens, table, timed, repeat: int) -> None:
    """Add the two rows to ``table`` (``bench.Table``), timing with ``bench.timed``."""
    helpers.encoded.encode(tokens)  # encoded once, as notebook 03's frequency table does
    is_target = (articles["source"] == helpers.largest_outlet(articles)).reindex(
        tokens.index, fill_value=False)
    peer_s, peer_runs, _ = timed(lambda: helpers.keyness(tokens[is_target], tokens[~is_target],
                                                         min_count=5), repeat)
    first_s, first_runs, out = timed(lambda: reference.general_keyness(tokens, min_count=5),
                                     repeat, before=reference.general_arabic.cache_clear)
    ref = reference.general_arabic()
    note = (f"{out.attrs['target_tokens']:,} Arabic tokens of ANT against wordfreq's "
            f"{len(ref):,} words ({out.attrs['reference_tokens']:,} tokens); "
            f"{len(out):,} rows")
    table.add("keyness vs general Arabic, first call", first_s,
              "keyness: largest outlet vs others", peer_s, ours_runs=first_runs,
              peer_runs=peer_runs, target="report", note="reads, normalises and merges "
              "wordfreq's Arabic list, then the keyness; " + note)
    cached_s, cached_runs, again = timed(lambda: reference.general_keyness(tokens, min_count=5),
                                         repeat)
    table.add("keyness vs general Arabic, reference cached", cached_s,
              "keyness: largest outlet vs others", peer_s, ours_runs=cached_runs,
              peer_runs=peer_runs, same=again.equals(out), target="report",
              note="the reference kept from the first call; " + note)


def main(argv=None) -> int:
    import bench
    from corpora import ANT_ARCHIVE

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ANT_ARCHIVE))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    articles, _ = helpers.load_corpus(args.corpus, progress=False)
    tokens = helpers.cached_tokens(articles["body"])
    table = bench.Table()
    run(articles, tokens, table, bench.timed, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
