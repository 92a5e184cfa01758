"""Accuracy of the 8-bit encoding guess of ``helpers.corpus.decoding`` on generated texts.

    .venv/bin/python benchmarks/encoding_accuracy.py [--n 1000] [--seed 1] [--charset-normalizer]

Arabic texts come from the ANT articles that ``scripts/build_arabic_bigrams.py`` held out of
the bigram model (``crc32(member name) % 8 == 0``): ``--n`` short texts of 1-8 words
(random windows of sentences), ``--n`` headlines and ``--n`` sentences, each encoded in
``cp1256`` and in ``iso-8859-6`` (texts a code page cannot encode are left out); Latin
texts are the sentences of ``tests/fixtures/latin_sentences.txt`` and windows of 1-8 words
of them, encoded in ``cp1252`` and ``latin-1``. Each is decoded with ``decode_bytes``:

- ``correct``: the text comes back exactly and the label is the code page used (or one
  of the same script giving the same text: a short Arabic text using only letters common
  to both Arabic code pages reads the same in either, and is labelled ``cp1256``);
  ``noted``: of those, the share that carries an ``encoding_guess`` warning anyway;
- ``flagged``: not correct, but an ``encoding_guess`` warning says so;
- ``silent``: not correct and not flagged (the number that must stay near zero).

Also UTF-8 Arabic sentences with an embedded paragraph (start, middle or end) in
``cp1256``, ``iso-8859-6`` or ``cp1252`` (French...), which must come back exactly and be
labelled ``utf-8+<code page>``, and UTF-8 sentences with 1-3 stray bytes (replaced,
labelled ``utf-8``).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tarfile
import time
import zlib
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from corpora import ANT_ARCHIVE
from helpers.corpus.decoding import ENCODING_GUESS, decode_bytes

ARCHIVE = ANT_ARCHIVE
LATIN_FILE = ROOT / "tests" / "fixtures" / "latin_sentences.txt"
RE_FIELD = re.compile(r"<(TITLE|TEXT)>(.*?)</\1>", re.DOTALL)
RE_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|\n+")


def held_out(name: str) -> bool:
    return zlib.crc32(name.encode("utf-8")) % 8 == 0


def arabic_texts(archive: Path = ARCHIVE, *, articles: int | None = None
                 ) -> tuple[list[str], list[str]]:
    """``(headlines, sentences)`` of the held-out ANT articles (the first ``articles``)."""
    titles, sentences, seen = [], [], 0
    with tarfile.open(archive) as tf:
        for member in tf:
            if not member.isfile() or not member.name.endswith(".txt") \
                    or not held_out(member.name):
                continue
            fields = dict(RE_FIELD.findall(tf.extractfile(member).read().decode("utf-8")))
            if fields.get("TITLE", "").strip():
                titles.append(" ".join(fields["TITLE"].split()))
            for s in RE_SENTENCE_END.split(fields.get("TEXT", "")):
                if len(s.split()) >= 4:
                    sentences.append(" ".join(s.split()))
            seen += 1
            if articles and seen >= articles:
                break
    return titles, sentences


def latin_texts(path: Path = LATIN_FILE) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]


def windows(sentences: list[str], n: int, rng: random.Random, lo: int = 1, hi: int = 8
            ) -> list[str]:
    """``n`` random runs of ``lo``-``hi`` words of random sentences, each holding a
    non-ASCII character (an ASCII text is UTF-8)."""
    out = []
    while len(out) < n:
        words = rng.choice(sentences).split()
        k = min(len(words), rng.randint(lo, hi))
        i = rng.randrange(len(words) - k + 1)
        text = " ".join(words[i:i + k])
        if not text.isascii():
            out.append(text)
    return out


def encodable(texts: list[str], enc: str) -> list[str]:
    out = []
    for t in texts:
        try:
            t.encode(enc)
        except UnicodeEncodeError:
            continue
        out.append(t)
    return out


FAMILY = {"cp1256": "arabic", "iso-8859-6": "arabic", "cp1252": "latin", "latin-1": "latin"}


def outcome(text: str, enc: str) -> str:
    """``correct`` (``correct, noted`` with a doubt warning), ``flagged`` or ``silent``."""
    d = decode_bytes(text.encode(enc))
    noted = any(kind == ENCODING_GUESS for kind, _ in d.notes)
    if d.text == text and (d.encoding == enc or FAMILY.get(d.encoding) == FAMILY[enc]):
        return "correct, noted" if noted else "correct"
    return "flagged" if noted else "silent"


def rates(texts: list[str], enc: str) -> dict:
    counts = Counter(outcome(t, enc) for t in texts)
    n = len(texts)
    return {"n": n, **{k: round(100 * counts[k] / n, 1) if n else 0.0
                       for k in ("correct", "correct, noted", "flagged", "silent")}}


def mixed_cases(sentences: list[str], inserts: list[str], enc: str, n: int,
                rng: random.Random) -> dict:
    """UTF-8 text (``sentences``) with one paragraph of ``inserts`` in ``enc`` at the
    start, middle or end: % read back exactly and labelled ``utf-8+<enc>``."""
    ok = 0
    inserts = encodable(inserts, enc)
    for i in range(n):
        paras = [" ".join(rng.sample(sentences, 2)) for _ in range(3)]
        k = i % 3
        paras[k] = " ".join(rng.sample(inserts, 2))
        raw = b"\n".join(p.encode(enc if j == k else "utf-8") for j, p in enumerate(paras))
        d = decode_bytes(raw)
        ok += d.text == "\n".join(paras) and d.encoding == f"utf-8+{enc}"
    return {"n": n, "correct": round(100 * ok / n, 1)}


def stray_cases(sentences: list[str], n: int, rng: random.Random) -> dict:
    """UTF-8 text with 1-3 random bytes 0x80-0xFF inserted: replaced, not re-read."""
    ok = total = 0
    while total < n:
        raw = bytearray(" ".join(rng.sample(sentences, 3)).encode("utf-8"))
        for _ in range(rng.randint(1, 3)):
            raw.insert(rng.randrange(len(raw) + 1), rng.randrange(0x80, 0x100))
        if _valid(raw):                   # two bytes inserted together can make a character
            continue
        d = decode_bytes(bytes(raw))
        ok += d.encoding in ("utf-8", "utf-8-sig") and d.replaced > 0   # (some start with a BOM)
        total += 1
    return {"n": n, "correct": round(100 * ok / n, 1)}


def _valid(raw: bytes) -> bool:
    try:
        bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def charset_normalizer_rates(texts: list[str], enc: str) -> dict:
    """The same texts through charset-normalizer: % giving the exact text back."""
    from charset_normalizer import from_bytes
    ok = 0
    for t in texts:
        best = from_bytes(t.encode(enc)).best()
        ok += best is not None and str(best) == t
    return {"n": len(texts), "exact": round(100 * ok / len(texts), 1) if texts else 0.0}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--charset-normalizer", action="store_true")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    titles, sentences = arabic_texts()
    latin = latin_texts()
    results: dict = {}
    for enc in ("cp1256", "iso-8859-6"):
        pool = encodable(sentences, enc)
        sets = {"short 1-8 words": windows(pool, args.n, rng),
                "headlines": rng.sample(encodable(titles, enc), args.n),
                "sentences": rng.sample(pool, args.n)}
        for name, texts in sets.items():
            results[f"{enc} {name}"] = rates(texts, enc)
            if args.charset_normalizer and name == "short 1-8 words":
                results[f"{enc} {name} (charset-normalizer)"] = \
                    charset_normalizer_rates(texts[:200], enc)
    for enc in ("cp1252", "latin-1"):
        pool = encodable(latin, enc)
        results[f"{enc} short 1-8 words"] = rates(windows(pool, args.n, rng), enc)
        results[f"{enc} sentences"] = rates(pool, enc)
    for enc, inserts in (("cp1256", sentences), ("iso-8859-6", sentences),
                         ("cp1252", [t for t in latin if not t.isascii()])):
        results[f"utf-8 + {enc} paragraph"] = mixed_cases(sentences, inserts, enc, args.n, rng)
    results["utf-8 + 1-3 stray bytes"] = stray_cases(sentences, args.n, rng)
    width = max(map(len, results))
    print(f"{'case':{width}}  {'n':>5}  correct  (noted)  flagged  silent   (percent)")
    for name, r in results.items():
        print(f"{name:{width}}  {r['n']:>5}  {r.get('correct', r.get('exact', 0)):>7}"
              f"  {r.get('correct, noted', ''):>7}  {r.get('flagged', ''):>7}"
              f"  {r.get('silent', ''):>6}")
    print(f"({time.perf_counter() - t0:.0f} s)")
    return results


if __name__ == "__main__":
    main()
