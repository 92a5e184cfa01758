"""The TREC reader on malformed input: time for n and 4n, and their ratio (~4: linear).

Each shape is a file a broken export or an attacker could produce: 100,000 ``<TEXT>``
opened and never closed, ``<DOC>`` repeated without ``</DOC>``, CDATA sections never
closed, closing tags with no opening one, and so on. A reader that rescans the rest of the
file from every unclosed tag takes ~16 times longer for 4n (quadratic); a linear one ~4.

    .venv/bin/python benchmarks/bench_trec.py            # n = 25,000 and 100,000
"""

from __future__ import annotations

import time

from helpers.corpus.formats import parse_blob
from helpers.corpus.schema import Options
from helpers.corpus.trec import trec_fields

#: Malformed document bodies (inside one <DOC>), by name: n -> text.
FIELD_SHAPES = {
    "opens never closed": lambda n: "<TEXT>نص " * n,
    "opens with inline tags": lambda n: "<TEXT>نص <b>عاجل " * n,
    "closing tags only": lambda n: "</TEXT>" * n,
    "nested, closed at the end": lambda n: "<TEXT>" * n + "</TEXT>" * n,
    "mixed-case closes": lambda n: "<TEXT>ن</text>" * n,
    "unknown tags never closed": lambda n: "<X>ن<Y>ن" * n,
    "CDATA never closed": lambda n: "<TEXT>" + "<![CDATA[&" * n + "</TEXT>",
    "entities": lambda n: "<TEXT>" + "&amp;&#1575;&bogus;" * n + "</TEXT>",
}
#: Whole malformed files: n -> text.
FILE_SHAPES = {
    "docs never closed": lambda n: "<DOC><DOCNO>1</DOCNO><TEXT>نص\n" * n,
    "docs closed, fields not": lambda n: "<DOC><TITLE>ع<TEXT>ن</DOC>\n" * n,
    "one doc, fields never closed": lambda n: "<DOC>" + "<TITLE>ع<TEXT>ن" * n + "</DOC>",
}
OPTS = Options(None, None, ())


def _seconds(fn, text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - started)
    return best


def main(sizes: tuple[int, int] = (25_000, 100_000), quiet: bool = False) -> dict:
    """Time every shape at ``sizes`` (n, 4n); returns ``{shape: {n: s, 4n: s, ratio}}``."""
    small, large = sizes
    results: dict[str, dict] = {}
    cases = [(name, make, lambda t: trec_fields(t)) for name, make in FIELD_SHAPES.items()]
    cases += [(name, make, lambda t: parse_blob("bench.xml", t.encode(), OPTS))
              for name, make in FILE_SHAPES.items()]
    for name, make, fn in cases:
        a, b = _seconds(fn, make(small)), _seconds(fn, make(large))
        results[name] = {"n": small, "seconds_n": round(a, 4), "seconds_4n": round(b, 4),
                         "ratio": round(b / a, 2) if a else None}
        if not quiet:
            print(f"{name:32} n={small:>7,}: {a:8.4f} s   {large // small}n: {b:8.4f} s"
                  f"   ratio {results[name]['ratio']}")
    return results


if __name__ == "__main__":
    main()
