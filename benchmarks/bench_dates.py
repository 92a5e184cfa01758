"""Date reading throughput: ``helpers.corpus.dates.parse_dates`` on a generated column of
mixed forms and on the ANT corpus' ``<TIME>`` values.

    .venv/bin/python benchmarks/bench_dates.py [--n 1000000] [--repeat 3] [--corpus PATH]

The generated column (seeded) mixes, in equal shares: ISO 8601 with time and offset, RFC
2822, day-first numeric (``17/05/2015``, ``-`` and ``.``, with and without a time), Arabic
month names of the three systems with a weekday and Arabic-Indic digits, English month
names, Hijri dates, epoch seconds and milliseconds as text; its rows are spread over 1,000
files (the day-first/month-first decision is made per file). Dates per second are the
median of ``--repeat`` warm runs (the first run, with the shape templates not yet cached,
is shown as ``cold``), by the clock and per second of this process' CPU time (the machine
is shared: the CPU figure is the steadier one). Nothing is asserted here.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np

from corpora import ANT_ARCHIVE
from helpers.corpus.dateforms import ARABIC_MONTHS, ENGLISH_MONTHS, HIJRI_MONTHS
from helpers.corpus.dates import parse_dates

_AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_WEEKDAYS_AR = ("الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت")
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def generate(n: int, seed: int = 0) -> list[str]:
    """``n`` dates of mixed forms (see the module docstring)."""
    rng = np.random.default_rng(seed)
    y = rng.integers(2000, 2025, n).tolist()
    mo = rng.integers(1, 13, n).tolist()
    d = rng.integers(1, 29, n).tolist()
    h = rng.integers(0, 24, n).tolist()
    mi = rng.integers(0, 60, n).tolist()
    s = rng.integers(0, 60, n).tolist()
    kind = rng.integers(0, 10, n).tolist()
    pick = rng.integers(0, 1000, n).tolist()
    out = []
    for i in range(n):
        k = kind[i]
        if k == 0:
            out.append(f"{y[i]}-{mo[i]:02d}-{d[i]:02d}T{h[i]:02d}:{mi[i]:02d}:{s[i]:02d}+03:00")
        elif k == 1:
            out.append(f"{_WEEKDAYS_EN[pick[i] % 7]}, {d[i]:02d} "
                       f"{ENGLISH_MONTHS[mo[i]][-1].title()} {y[i]} {h[i]:02d}:{mi[i]:02d}:{s[i]:02d} GMT")
        elif k == 2:
            out.append(f"{d[i]:02d}/{mo[i]:02d}/{y[i]}")
        elif k == 3:
            sep = "-."[pick[i] % 2]
            out.append(f"{d[i]}{sep}{mo[i]}{sep}{y[i]} {h[i]:02d}:{mi[i]:02d}")
        elif k in (4, 5):
            names = ARABIC_MONTHS[mo[i]]
            text = (f"{_WEEKDAYS_AR[pick[i] % 7]} {d[i]} {names[pick[i] % len(names)]} {y[i]}"
                    f" {h[i] % 12 + 1}:{mi[i]:02d} {'صم'[pick[i] % 2]}")
            out.append(text.translate(_AR_DIGITS) if k == 4 else text)
        elif k == 6:
            out.append(f"{ENGLISH_MONTHS[mo[i]][0].title()} {d[i]}, {y[i]}")
        elif k == 7:
            names = HIJRI_MONTHS[mo[i]]
            out.append(f"{d[i]} {names[pick[i] % len(names)]} {1420 + y[i] % 25} هـ")
        elif k == 8:
            out.append(str(1_000_000_000 + int(rng.integers(0, 700_000_000))))
        else:
            out.append(str((1_000_000_000 + int(rng.integers(0, 700_000_000))) * 1000))
    return out


def ant_times(corpus: Path) -> list[str]:
    """The ``<TIME>`` value of every ANT article, as the loader keeps it (``date_raw``)."""
    from helpers.corpus import load_corpus

    articles, _ = load_corpus(corpus, progress=False)
    return articles["date_raw"].dropna().tolist()


def _rate(values: list[str], files: list[str] | None, repeat: int) -> dict:
    started = time.perf_counter()
    got = parse_dates(values, paths=files)
    cold = time.perf_counter() - started
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        got = parse_dates(values, paths=files)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    warm = statistics.median(times)
    return {"dates": len(values), "seconds": round(warm, 3),
            "dates_per_second": round(len(values) / warm),
            "cpu_dates_per_second": round(len(values) / statistics.median(cpu)),
            "cold_dates_per_second": round(len(values) / cold),
            "read": int(sum(got.forms.values())), "unread": got.unread,
            "forms": dict(got.forms.most_common())}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=ANT_ARCHIVE)
    args = parser.parse_args(argv)
    results = {}
    values = generate(args.n)
    files = [f"file-{i % 1000}.csv" for i in range(args.n)]
    results["mixed"] = _rate(values, files, args.repeat)
    if args.corpus.exists():
        results["ant"] = _rate(ant_times(args.corpus), None, args.repeat)
    for name, r in results.items():
        print(f"{name}: {r['dates']:,} dates in {r['seconds']:.3f} s = "
              f"{r['dates_per_second']:,} dates/s (per CPU second {r['cpu_dates_per_second']:,}; "
              f"cold {r['cold_dates_per_second']:,}/s); "
              f"read {r['read']:,}, unread {r['unread']:,}")
        print("   forms: " + ", ".join(f"{k} {v:,}" for k, v in r["forms"].items()))
    return results


if __name__ == "__main__":
    main()
