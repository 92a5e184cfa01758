"""Speed benchmarks on the ANT archive, each figure beside its peer measured in the same run.

    make bench                                   # 4-7 minutes on 2 shared cores
    .venv/bin/python benchmarks/bench.py [--corpus PATH] [--repeat N] [--scale] [--report]

Every figure is the median of ``--repeat`` runs, and is shown beside a peer (or baseline)
timed in the same run on the same data, with the ratio: these machines are shared and
noisy, the ratios are what carries over. Outputs are checked to be the same as the peer's
(identical normalised text, same counts, same top 100). Nothing is asserted: the table is
printed and written to ``benchmarks/results.json`` with the date, the machine and its load.

- normalisation (steps diacritics+alef+alef_maksura+teh_marbuta): ``helpers.normalize`` on
  the body column vs camel-tools' functions applied per article (and pyarabic's);
- ingest, archive -> DataFrame: ``helpers.load_corpus`` cold (no cache; parsing and
  writing the Parquet cache) and warm (from the cache) vs a plain loop over the archive
  members with one regex per document;
- token frequency table: ``helpers.frequencies`` on the token lists (encoding included)
  vs ``collections.Counter`` updated with the same lists;
- tokenisation of the whole corpus: ``helpers.tokenize`` vs ``Series.apply(str.split)``;
- collocations (LLR, adjacent pairs, min count 5): ``helpers.collocations`` (encoding
  included) vs NLTK's ``BigramCollocationFinder``;
- keyness against general Arabic: ``helpers.general_keyness`` on the whole corpus, first
  call (wordfreq's list read) and cached, vs the outlet keyness notebook 03 runs
  (``bench_reference.py``);
- the loader (``--skip-loader`` leaves it out): dates read per second on a million
  generated dates of mixed forms and on ANT's (``bench_dates.py``, target >= 200,000/s);
  peak memory of ``load_corpus`` against the largest file or archive member plus the frame
  (``bench_load_memory.py``, target <= 3x); the TREC scanner on malformed input at n and 4n
  (``bench_trec.py``, linear); HTML pages, feeds and workbooks per second
  (``bench_formats.py``); how often the encoding rule reads short texts right
  (``encoding_accuracy.py``);
- ``--scale``: the streaming path on ANT replicated 1x/4x/10x (``bench_scale.py``);
- ``--report``: the whole ``make report`` on ANT, cold and warm, with peak memory.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import pandas as pd  # noqa: E402

import helpers  # noqa: E402
from corpora import ANT_ARCHIVE  # noqa: E402
from helpers import association, encoded  # noqa: E402

STEPS = ["diacritics", "alef", "alef_maksura", "teh_marbuta"]
RESULTS = HERE / "results.json"


def timed(fn, repeat: int, *, before=None) -> tuple[float, list[float], object]:
    """(median seconds, every run, the last output); ``before`` runs untimed before each."""
    times, out = [], None
    for _ in range(repeat):
        if before is not None:
            before()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, out


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "system": platform.platform(),
            "python": platform.python_version(), "pandas": pd.__version__}


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# ------------------------------------------------------------------------------- peers


def plain_ingest(archive: Path) -> pd.DataFrame:
    """The baseline: tarfile over the members, one regex for the TREC fields, a DataFrame."""
    field = re.compile(r"<(DOCNO|SRC|CAT|TITLE|TIME|URL|AUTHOR|ABSTRACT|TEXT)>(.*?)</\1>", re.S)
    rows = []
    with tarfile.open(archive) as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".txt"):
                text = tar.extractfile(member).read().decode("utf-8", "replace")
                rows.append({k: v.strip() for k, v in field.findall(text)})
    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["TIME"], format="%a, %d %b %Y %H:%M:%S %Z",
                                   utc=True, errors="coerce")
    return frame


def camel_normalize(texts: list[str]) -> list[str]:
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (normalize_alef_ar, normalize_alef_maksura_ar,
                                             normalize_teh_marbuta_ar)
    return [normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(t))))
            for t in texts]


def pyarabic_normalize(texts: list[str]) -> list[str]:
    from pyarabic import araby
    return [araby.normalize_teh(araby.normalize_alef(araby.strip_tashkeel(t))).replace("\u0649", "\u064a")
            for t in texts]


def counter_table(tokens: list[list[str]]) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    for lst in tokens:
        counts.update(lst)
    return counts


def nltk_llr(tokens: list[list[str]], top: int = 100):
    from nltk.collocations import BigramCollocationFinder
    from nltk.metrics import BigramAssocMeasures
    finder = BigramCollocationFinder.from_documents(tokens)
    finder.apply_freq_filter(5)
    return finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)[:top]


# ------------------------------------------------------------------------------- rows


class Table:
    def __init__(self):
        self.rows: list[dict] = []

    def add(self, what: str, ours: float, peer_name: str | None, peer: float | None, *,
            ours_runs=(), peer_runs=(), same=None, target: str = "", met=None, miss: str = "",
            note: str = "", unit: str = "s", extra: dict | None = None) -> dict:
        row = {"what": what, "ours_s": round(ours, 3), "ours_runs": [round(x, 3) for x in ours_runs],
               "peer": peer_name, "peer_s": None if peer is None else round(peer, 3),
               "peer_runs": [round(x, 3) for x in peer_runs],
               "speedup_vs_peer": None if not peer else round(peer / ours, 2),
               "same_output": same, "target": target, "target_met": met, "missed_by": miss,
               "note": note, **(extra or {})}
        self.rows.append(row)
        ratio = "" if not peer else f"{peer / ours:6.2f}x"
        status = "" if met is None else ("met" if met else f"MISSED {miss}")
        peer_txt = "" if peer is None else f"{peer_name} {peer:.2f} s"
        print(f"{what:<46} {ours:8.2f} s | {peer_txt:<38} {ratio:>8} | same: {same!s:<5} | "
              f"{target} {status}", flush=True)
        return row


def run_speed(args, table: Table, meta: dict) -> None:
    corpus = Path(args.corpus)
    r = args.repeat

    # ---- ingest: cold (fresh cache folder each run), warm (same folder), plain loop
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as tmp:
        runs = iter(range(1000))

        def fresh():
            return Path(tmp) / f"cold-{next(runs)}"

        folders: list[Path] = []

        def cold():
            folder = fresh()
            folders.append(folder)
            return helpers.load_corpus(corpus, cache_dir=folder, progress=False)

        cold_s, cold_runs, (articles, report) = timed(cold, r)
        warm_s, warm_runs, (warm, warm_report) = timed(
            lambda: helpers.load_corpus(corpus, cache_dir=folders[-1], progress=False), r)
        assert warm_report.from_cache
    plain_s, plain_runs, plain = timed(lambda: plain_ingest(corpus), r)
    same = len(plain) == len(articles) and \
        sorted(plain["TEXT"].fillna("")) == sorted(articles["body"].fillna("").tolist())
    table.add("ingest cold: load_corpus (parse + write cache)", cold_s, "plain tar+regex loop",
              plain_s, ours_runs=cold_runs, peer_runs=plain_runs, same=same, target="<= 10 s",
              met=cold_s <= 10, miss=f"{cold_s - 10:+.1f} s ({cold_s / 10:.2f}x)",
              note="same rows and bodies as the plain loop; ours also decodes entities, "
                   "detects encodings, derives datelines, checks XML and counts duplicates")
    table.add("ingest warm: load_corpus from the Parquet cache", warm_s, "plain tar+regex loop",
              plain_s, ours_runs=warm_runs, peer_runs=plain_runs, same=True, target="<= 1.5 s",
              met=warm_s <= 1.5, miss=f"{warm_s - 1.5:+.2f} s ({warm_s / 1.5:.2f}x)",
              note="fingerprint (hash of the 29 MB archive) + Parquet read")
    del plain, warm

    bodies = articles["body"].dropna()
    texts = bodies.tolist()
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    n_articles = len(texts)
    meta["corpus"] = {"path": str(corpus), "articles": len(articles), "bodies_mb": round(mb, 1)}

    # ---- normalisation
    ours_s, ours_runs, ours = timed(lambda: helpers.normalize(bodies, steps=STEPS), r)
    camel_s, camel_runs, ref = timed(lambda: camel_normalize(texts), r)
    same = ours.tolist() == ref
    table.add("normalise 4 steps: normalize(Series)", ours_s, "camel-tools per article", camel_s,
              ours_runs=ours_runs, peer_runs=camel_runs, same=same, target=">= 2x camel",
              met=camel_s / ours_s >= 2, miss=f"{camel_s / ours_s:.2f}x of 2x",
              note=f"{mb / ours_s:.0f} MB/s vs {mb / camel_s:.0f} MB/s",
              extra={"mb_per_s": round(mb / ours_s, 1), "peer_mb_per_s": round(mb / camel_s, 1)})
    try:
        pa_s, pa_runs, pa_out = timed(lambda: pyarabic_normalize(texts), r)
        differ = sum(a != b for a, b in zip(pa_out, ref))
        table.add("normalise 4 steps: normalize(Series)", ours_s, "pyarabic per article", pa_s,
                  ours_runs=ours_runs, peer_runs=pa_runs, same=differ == 0,
                  note=f"pyarabic's character sets differ: {differ:,} of {n_articles:,} "
                       "articles come out different from camel-tools/ours")
        del pa_out
    except ImportError:
        pass
    del ours, ref

    # ---- tokenisation
    tok_s, tok_runs, tokens = timed(lambda: helpers.tokenize(bodies), r)
    split_s, split_runs, split = timed(lambda: bodies.apply(str.split), r)
    n_tok, n_split = int(tokens.list.len().sum()), int(split.map(len).sum())
    del split
    table.add("tokenise whole corpus: tokenize(Series)", tok_s, "Series.apply(str.split)", split_s,
              ours_runs=tok_runs, peer_runs=split_runs, same=None, target="report the ratio",
              note=f"{n_tok:,} tokens vs {n_split:,} pieces; tokenize takes "
                   f"{tok_s / split_s:.2f}x str.split's time, and does more: it normalises "
                   "first (search preset, 10+ steps), lowercases Latin, keeps Arabic/Latin/"
                   "number tokens and drops punctuation, with RE2 inside Arrow on blocks of "
                   "articles in threads; it makes no Python string per token (the lists stay "
                   "in Arrow), where str.split makes one per piece in a single thread",
              extra={"tokens": n_tok, "split_pieces": n_split})

    # ---- frequency table
    clear = encoded.clear_cache   # every timed run encodes the token lists again
    freq_s, freq_runs, freq = timed(lambda: helpers.frequencies(tokens), r, before=clear)
    lists = tokens.tolist()  # the same lists as Python lists, made outside the peer's timing
    cnt_s, cnt_runs, counts = timed(lambda: counter_table(lists), r)
    same = dict(zip(freq["term"].tolist(), freq["count"].tolist())) == dict(counts)
    del counts
    table.add("frequency table: frequencies(tokens)", freq_s, "collections.Counter", cnt_s,
              ours_runs=freq_runs, peer_runs=cnt_runs, same=same, target=">= 3x Counter",
              met=cnt_s / freq_s >= 3, miss=f"{cnt_s / freq_s:.2f}x of 3x",
              note="encoding of the token lists (as tokenize returns them, in Arrow) "
                   "included; the peer gets them as Python lists, converted untimed; ours "
                   "also gives doc_freq and per_million, sorted")

    # ---- collocations
    col_s, col_runs, ours = timed(lambda: association.collocations(tokens, "llr", min_count=5,
                                                                   top=100), r, before=clear)
    nl_s, nl_runs, ref = timed(lambda: nltk_llr(lists), args.peer_repeat)
    same = [tuple(p) for p in ours[["w1", "w2"]].values] == [p for p, _ in ref]
    table.add("collocations LLR: collocations(tokens)", col_s, "NLTK BigramCollocationFinder",
              nl_s, ours_runs=col_runs, peer_runs=nl_runs, same=same, target=">= 3x NLTK",
              met=nl_s / col_s >= 3, miss=f"{nl_s / col_s:.2f}x of 3x",
              note="adjacent pairs inside articles, min count 5, top 100; encoding included")

    # ---- keyness against general Arabic, first call and cached (bench_reference.py)
    import bench_reference
    bench_reference.run(articles, tokens, table, timed, r)


def _tree_rss_kb(root: int) -> int:
    """Memory of ``root`` and all its descendants: the sum of their proportional set sizes
    (the notebook kernels run in sessions of their own, so the process group would miss
    them; RSS would count pages shared with forked workers once per worker)."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            status = Path(entry.path, "status").read_text()
        except OSError:
            continue
        pid = int(entry.name)
        for line in status.splitlines():
            if line.startswith("PPid:"):
                parent[pid] = int(line.split()[1])
            elif line.startswith("VmRSS:"):
                rss[pid] = int(line.split()[1])
    tree, frontier = {root}, [root]
    children: dict[int, list[int]] = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(_pss_kb(pid, rss.get(pid, 0)) for pid in tree)


def _pss_kb(pid: int, fallback: int) -> int:
    """Proportional set size: shared pages (forked workers, shared libraries) counted once
    in total, not once per process as the RSS would."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return fallback


def run_report(args, table: Table) -> None:
    """``make report`` on ANT (its command, with the output and the cache in a temporary
    folder so that reports/ and data/processed/ are not touched), cold then warm."""
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        cmd = [sys.executable, "-m", "helpers.reports", "--corpus", str(args.corpus),
               "--out", f"{tmp}/reports", "--processed", f"{tmp}/processed"]
        if args.jobs is not None:
            cmd += ["--jobs", str(args.jobs)]
        for label in ("cold", "warm"):
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=HERE.parent, start_new_session=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            peak = 0
            while proc.poll() is None:
                peak = max(peak, _tree_rss_kb(proc.pid))
                time.sleep(0.25)
            out = proc.stdout.read()
            seconds = time.perf_counter() - t0
            peak_gb = peak / 2**20
            limit = 120 if label == "cold" else 60
            ok = proc.returncode == 0
            table.add(f"make report on ANT, {label}", seconds, None, None, same=ok,
                      target=f"<= {limit} s, <= 3 GB", met=ok and seconds <= limit and peak_gb <= 3,
                      miss=f"{seconds - limit:+.0f} s, peak {peak_gb:.2f} GB",
                      note=f"exit {proc.returncode}; peak memory of the process tree "
                           f"{peak_gb:.2f} GB (sum of the PSS of the process and its descendants, "
                           "kernels and their workers included, sampled every 0.25 s)",
                      extra={"peak_pss_gb": round(peak_gb, 2), "exit_code": proc.returncode,
                             "output_tail": out[-2500:]})


def run_loader(meta: dict) -> dict:
    """The loader's targets: dates per second, peak memory, a linear TREC scanner, formats
    per second, encoding accuracy (each script also runs alone; see its docstring)."""
    import bench_dates
    import bench_formats
    import bench_load_memory
    import bench_trec
    import encoding_accuracy

    out: dict = {"meta": {**meta, "load_average_before": load_average()}}
    for name, run in (("dates", lambda: bench_dates.main(["--repeat", "3"])),
                      ("memory", lambda: bench_load_memory.main([])),
                      ("trec_scaling", lambda: bench_trec.main()),
                      ("formats", lambda: bench_formats.main()),
                      ("encodings", lambda: encoding_accuracy.main(["--n", "1000"]))):
        print(f"\n== loader: {name}", flush=True)
        out[name] = run()
    out["meta"]["load_average_after"] = load_average()
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ANT_ARCHIVE))
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--peer-repeat", type=int, default=1,
                        help="runs of the slow NLTK peer (about 60-120 s each; default 1)")
    parser.add_argument("--scale", action="store_true",
                        help="also the streaming benchmark, ANT 1x/4x/10x (several minutes)")
    parser.add_argument("--report", action="store_true",
                        help="also time make report on ANT, cold and warm (several minutes)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="--jobs for the report build (default: make report's)")
    parser.add_argument("--skip-speed", action="store_true", help="only --scale / --report")
    parser.add_argument("--skip-loader", action="store_true",
                        help="leave out the loader benchmarks (dates, memory, TREC, formats, "
                             "encodings; about 3 minutes)")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args(argv)
    if not Path(args.corpus).exists():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    meta = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(), "load_average_before": load_average(),
            "command": " ".join([Path(sys.executable).name, *sys.argv]),
            "repeat": args.repeat}
    print(f"{meta['date']} · {meta['machine']['cpu']} · {meta['machine']['cores']} cores · "
          f"load {meta['load_average_before']} · median of {args.repeat} runs\n")
    table = Table()
    results: dict = {}
    out = Path(args.out)
    if out.exists():   # keep the sections not run this time
        try:
            results = json.loads(out.read_text())
        except ValueError:
            results = {}
    if not args.skip_speed:
        run_speed(args, table, meta)
        results["speed"] = {"meta": {**meta, "load_average_after": load_average()},
                            "rows": table.rows}
    if not args.skip_loader:
        results["loader"] = run_loader(meta)
    if args.report:
        table.rows = []
        run_report(args, table)
        results["report"] = {"meta": {**meta, "load_average_after": load_average()},
                             "rows": table.rows}
    if args.scale:
        import bench_scale
        results["scale"] = bench_scale.run(corpus=Path(args.corpus))
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    print(f"\nload average after: {load_average()} · written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
