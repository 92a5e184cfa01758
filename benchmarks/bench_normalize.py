"""Normalisation and tokenisation throughput on the whole ANT corpus, peers side by side.

    .venv/bin/python benchmarks/bench_normalize.py [--corpus PATH] [--repeat N]

Steps ``diacritics, alef, alef_maksura, teh_marbuta`` over every article body, in one run:

- ``helpers.normalize`` on the Series (the vectorised byte-level path) and on each str;
- camel-tools ``dediac_ar``, ``normalize_alef_ar``, ``normalize_alef_maksura_ar``,
  ``normalize_teh_marbuta_ar`` applied per article (the reference: output must be identical);
- pyarabic ``strip_tashkeel``, ``normalize_alef``, ``normalize_teh`` and ى -> ي per article
  (different character sets, so not identical: the number of articles that differ is shown);
- the alternatives tried for the Series path: ``pyarrow.compute`` regex/replace passes over the
  column, ``str.translate`` per article and ``Series.str.translate``.

Then the ``display`` and ``search`` presets, and ``helpers.tokenize`` against
``Series.apply(str.split)``. Throughput is MB of UTF-8 text per second, median of ``--repeat``
runs (the machine is shared and noisy: compare the ratios). Nothing is asserted here.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tarfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import pandas as pd  # noqa: E402
import pyarrow.compute as pc  # noqa: E402

import helpers  # noqa: E402
from corpora import ANT_ARCHIVE  # noqa: E402
from helpers import resources  # noqa: E402

STEPS = ["diacritics", "alef", "alef_maksura", "teh_marbuta"]


def _time(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _bodies(corpus: Path) -> pd.Series:
    try:
        articles, _ = helpers.load_corpus(corpus, progress=False)
        return articles["body"].dropna()
    except (ImportError, AttributeError):
        rx = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
        out = []
        with tarfile.open(corpus) as tar:
            for m in tar:
                if m.isfile() and m.name.endswith(".txt"):
                    found = rx.search(tar.extractfile(m).read().decode("utf-8", "replace"))
                    if found:
                        out.append(found.group(1))
        return pd.Series(out, dtype="string[pyarrow]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ANT_ARCHIVE)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar, normalize_alef_maksura_ar, normalize_teh_marbuta_ar)

    bodies = _bodies(args.corpus)
    texts = bodies.tolist()
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{len(texts):,} article bodies, {mb:.1f} MB of UTF-8 text; median of {args.repeat} runs\n")

    def camel(xs):
        return [normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(x))))
                for x in xs]

    reference = camel(texts)
    alef, maksura, yeh = (resources.ARABIC_LETTER_ALEF, resources.ARABIC_LETTER_ALEF_MAKSURA,
                          resources.ARABIC_LETTER_YEH)
    teh_marbuta, heh = resources.ARABIC_LETTER_TEH_MARBUTA, resources.ARABIC_LETTER_HEH
    table = {**{c: "" for c in resources.DIACRITICS}, **{c: alef for c in resources.ALEF_VARIANTS},
             maksura: yeh, teh_marbuta: heh}
    trans = str.maketrans(table)
    diac = "[" + resources.DIACRITICS + "]"
    alef_class = "[" + resources.ALEF_VARIANTS + "]"

    def arrow_passes(s):
        a = pc.replace_substring_regex(s.array._pa_array, diac, "")
        a = pc.replace_substring_regex(a, alef_class, alef)
        a = pc.replace_substring(a, maksura, yeh)
        return pc.replace_substring(a, teh_marbuta, heh)

    # Series in, Series out for the column methods; list in, list out per article (the
    # conversion to a list for the identity check is not timed)
    runs = [
        ("camel-tools, per article", lambda: camel(texts), None),
        ("helpers.normalize(Series)", lambda: helpers.normalize(bodies, steps=STEPS), pd.Series.tolist),
        ("helpers.normalize(str), per article", lambda: [helpers.normalize(t, steps=STEPS) for t in texts], None),
        ("pyarrow.compute regex passes", lambda: arrow_passes(bodies), lambda a: a.to_pylist()),
        ("str.translate, per article", lambda: [t.translate(trans) for t in texts], None),
        ("Series.str.translate", lambda: bodies.str.translate(trans), pd.Series.tolist),
    ]
    try:
        from pyarabic import araby

        def pyarabic_run(xs):
            return [araby.normalize_teh(araby.normalize_alef(araby.strip_tashkeel(x)))
                    .replace(maksura, yeh) for x in xs]

        runs.insert(3, ("pyarabic, per article", lambda: pyarabic_run(texts), None))
    except ImportError:
        pass

    print(f"{'diacritics+alef+alef_maksura+teh_marbuta':<40} {'s':>7} {'MB/s':>7} {'vs camel':>9}  identical to camel")
    timings = {}
    for name, fn, to_list in runs:
        seconds, out = _time(fn, args.repeat)
        timings[name] = seconds
        out = to_list(out) if to_list else out
        differ = sum(a != b for a, b in zip(out, reference))
        same = "yes" if differ == 0 else f"no ({differ:,} articles differ)"
        ratio = timings["camel-tools, per article"] / seconds
        print(f"{name:<40} {seconds:7.3f} {mb / seconds:7.1f} {ratio:8.2f}x  {same}")
    camel_s = timings["camel-tools, per article"]
    print(f"\n=> helpers.normalize(Series) is {camel_s / timings['helpers.normalize(Series)']:.2f}x camel-tools\n")

    print(f"{'presets and tokens':<40} {'s':>7} {'MB/s':>7}")
    for name, fn in [
        ("normalize(Series, preset='display')", lambda: helpers.normalize(bodies, preset="display")),
        ("normalize(Series, preset='search')", lambda: helpers.normalize(bodies, preset="search")),
        ("tokenize(Series) (search preset)", lambda: helpers.tokenize(bodies)),
        ("Series.apply(str.split)", lambda: bodies.apply(str.split)),
    ]:
        seconds, out = _time(fn, max(1, args.repeat // 2))
        timings[name] = seconds
        extra = f"  {int(out.map(len).sum()):,} tokens" if "split" in name or "tokenize" in name else ""
        print(f"{name:<40} {seconds:7.3f} {mb / seconds:7.1f}{extra}")
    ratio = timings["tokenize(Series) (search preset)"] / timings["Series.apply(str.split)"]
    print(f"\n=> tokenize takes {ratio:.1f}x the time of str.split (it also normalises, drops"
          " punctuation and splits scripts)")


if __name__ == "__main__":
    main()
