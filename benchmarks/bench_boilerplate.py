"""Boilerplate and datelines on the whole ANT corpus: time to learn and to remove.

    .venv/bin/python benchmarks/bench_boilerplate.py [--corpus PATH] [--repeat N]

Prints the median seconds of ``helpers.find_boilerplate`` and of ``Boilerplate.remove`` over
``--repeat`` runs, and what was found and removed per outlet. Nothing is asserted here.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import helpers  # noqa: E402
from corpora import ANT_ARCHIVE  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ANT_ARCHIVE))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        articles, _ = helpers.load_corpus(args.corpus, cache_dir=cache)
    finds, removes = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        found = helpers.find_boilerplate(articles)
        finds.append(time.perf_counter() - t)
        t = time.perf_counter()
        found.remove(articles)
        removes.append(time.perf_counter() - t)
    print(f"{len(articles):,} articles: find_boilerplate {statistics.median(finds):.2f} s, "
          f"remove {statistics.median(removes):.2f} s (median of {args.repeat})")
    print(found.outlets.to_string(index=False))
    print(found.removed(articles).to_string(index=False))


if __name__ == "__main__":
    main()
