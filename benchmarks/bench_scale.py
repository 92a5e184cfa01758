"""Streaming path: peak memory stays flat as the corpus grows (ANT replicated 1x, 4x, 10x).

    .venv/bin/python benchmarks/bench_scale.py [--corpus PATH] [--sizes 1 4 10]
    .venv/bin/python benchmarks/bench.py --scale      # the same, results in results.json

ANT is written once as Parquet shards (``helpers.write_shards``, timed, in a child process);
the k-times corpus is a shard folder in a temporary directory listing those shards k times
(symbolic links: no copy of the text is made, and nothing is written into the repository).
For every size a fresh child process counts it with ``helpers.streaming.count_corpus``
(tokenise, count terms, bigrams, word pairs and the BBC-vs-rest sides, merge shard by shard)
and builds the four tables (frequencies, bigrams, LLR collocations, keyness); its peak
resident memory is ``VmHWM`` of ``/proc/self/status`` (``ru_maxrss`` where there is no
/proc: on Linux that one also counts the parent's memory at the fork, so a child of a
2.5 GB benchmark process would report 2.5 GB whatever it did). The in-memory path
(load, tokenise the whole corpus, the same four tables) is measured at 1x for comparison,
and its tables are checked to be identical to the streaming ones.

The replicas repeat the same articles, so the vocabulary and the count tables do not grow
with k: what is shown is that nothing else does (the text and token lists of one shard at a
time). In a real corpus the count tables grow with the vocabulary (Heaps' law, roughly with
the square root of the tokens), not with the text.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from corpora import ANT_ARCHIVE  # noqa: E402

TARGET = {"source": "BBC"}


def _tables_digest(tables: dict) -> dict:
    import pandas as pd
    return {name: [len(df), int(pd.util.hash_pandas_object(df, index=True).sum() % (1 << 61))]
            for name, df in tables.items()}


def _child(kind: str, path: str) -> dict:
    """Runs in a fresh process; returns seconds, peak RSS and a digest of the tables."""
    import helpers
    from helpers import association, ngram_counts, stats, streaming
    from helpers import corpus as loader

    t0 = time.perf_counter()
    info: dict = {}
    if kind == "shards":
        corpus, out = path.split("::")
        shards, report = loader.write_shards(corpus, out, progress=False)
        info = {"shards": len(shards), "articles": report.loaded}
    elif kind == "stream":
        counts = streaming.count_corpus(path, ngram_sizes=(2,), windows=(2,), target=TARGET)
        tables = {"frequencies": counts.frequencies(), "bigrams": counts.ngrams(2, min_count=2),
                  "collocations": counts.collocations("llr", min_count=5, top=100),
                  "keyness": counts.keyness(top=100)}
        info = {"tokens": counts.n_tokens, "articles": counts.n_docs, "types": counts.n_types,
                "digest": _tables_digest(tables)}
    elif kind == "memory":
        articles, _ = helpers.load_corpus(path, progress=False)
        tokens = helpers.tokenize(articles["body"])
        bbc = (articles["source"] == "BBC").to_numpy()
        tables = {"frequencies": stats.frequencies(tokens),
                  "bigrams": ngram_counts.ngrams(tokens, 2, min_count=2),
                  "collocations": association.collocations(tokens, "llr", min_count=5, top=100),
                  "keyness": association.keyness(tokens[bbc], tokens[~bbc], top=100)}
        info = {"tokens": int(tokens.list.len().sum()), "articles": len(articles),
                "digest": _tables_digest(tables)}
    info["seconds"] = round(time.perf_counter() - t0, 2)
    info["peak_rss_mb"] = round(_peak_rss_kb() / 1024, 1)
    return info


def _peak_rss_kb() -> int:
    """This process's own peak resident memory, in kB (see the module docstring)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _spawn(kind: str, path: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", kind, path],
                          capture_output=True, text=True, check=False)
    if proc.returncode:
        raise RuntimeError(f"child {kind} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _replicate(one: Path, out: Path, k: int) -> None:
    """A shard folder listing the shards of ``one`` k times (symbolic links)."""
    manifest = json.loads((one / "_shards.json").read_text())
    out.mkdir()
    names, rows = [], []
    for copy in range(k):
        for name, n in zip(manifest["shards"], manifest["rows"]):
            new = f"part-{len(names):05d}.parquet"
            os.symlink(one / name, out / new)
            names.append(new)
            rows.append(n)
    report = dict(manifest["report"], corpus=f"{manifest['report']['corpus']} x{k}")
    (out / "_shards.json").write_text(json.dumps({**manifest, "shards": names, "rows": rows,
                                                  "report": report}))



def run(corpus: Path, sizes=(1, 4, 10)) -> dict:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    print(f"\nstreaming path, ANT replicated {', '.join(f'{k}x' for k in sizes)} "
          f"(load {[round(x, 2) for x in os.getloadavg()]})", flush=True)
    result: dict = {"load_average_before": [round(x, 2) for x in os.getloadavg()], "sizes": []}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        one = Path(tmp) / "x1-shards"
        shards = _spawn("shards", f"{corpus}::{one}")
        mb = sum(pc.sum(pc.binary_length(pc.cast(pq.read_table(p, columns=["body"])["body"],
                                                 "binary"))).as_py() or 0
                 for p in sorted(one.glob("part-*.parquet"))) / 1e6
        result["write_shards"] = shards
        print(f"  write_shards (archive -> {shards['shards']} Parquet shards): "
              f"{shards['seconds']:.1f} s, peak RSS {shards['peak_rss_mb']:.0f} MB", flush=True)
        memory = _spawn("memory", str(corpus))
        result["in_memory_1x"] = memory
        print(f"  in-memory path 1x: {memory['seconds']:.1f} s, peak RSS "
              f"{memory['peak_rss_mb']:.0f} MB", flush=True)
        print(f"  {'size':>5} {'text MB':>8} {'tokens':>12} {'seconds':>8} {'s per 1x':>9} "
              f"{'peak RSS MB':>12}  identical to in-memory (1x)")
        for k in sizes:
            folder = Path(tmp) / f"x{k}"
            _replicate(one, folder, k)
            got = _spawn("stream", str(folder))
            got.update({"k": k, "text_mb": round(mb * k, 1)})
            same = got["digest"] == memory["digest"] if k == 1 else None
            got["identical_to_in_memory"] = same
            result["sizes"].append(got)
            print(f"  {k:>4}x {mb * k:8.0f} {got['tokens']:12,} {got['seconds']:8.1f} "
                  f"{got['seconds'] / k:9.1f} {got['peak_rss_mb']:12.0f}  "
                  f"{'' if same is None else same}", flush=True)
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 10])
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(*args.child)))
        return 0
    result = run(Path(args.corpus or ANT_ARCHIVE), tuple(args.sizes))
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
