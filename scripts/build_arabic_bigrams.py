"""Build ``src/helpers/arabic_bigrams.json``: the Arabic letter-bigram counts and the most
frequent Arabic words that ``helpers.corpus.codepages`` uses to tell code pages apart.

Counted over the headlines and texts (``<TITLE>``, ``<TEXT>``) of the ANT v2.1 archive,
word by word: every maximal run of Arabic letters and harakat is framed by a word
boundary, each character becomes one of the model's symbols (``MODEL_SYMBOLS``, anything
else Arabic becomes "other") and adjacent pairs are counted; the ``WORDS`` most frequent
words are kept with their counts, and the number of words. Articles whose member name
has ``crc32(name) % 8 == 0`` are held out (``held_out``): ``tests/test_corpus_decoding.py``
and ``benchmarks/encoding_accuracy.py`` draw their Arabic test texts from those only::

    .venv/bin/python scripts/build_arabic_bigrams.py            # writes the table
    .venv/bin/python scripts/build_arabic_bigrams.py --check    # compares with the file
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tarfile
import zlib
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpora import ANT_ARCHIVE
from helpers.corpus.codepages import (
    BIGRAMS_FILE,
    BOUNDARY,
    MODEL_SIZE,
    RE_ARABIC_WORD,
    model_codes,
)

WORDS = 2000
ARCHIVE = ANT_ARCHIVE
RE_FIELDS = re.compile(r"<(TITLE|TEXT)>(.*?)</\1>", re.DOTALL)


def held_out(name: str) -> bool:
    """Whether the archive member ``name`` is kept out of the counts (one in eight)."""
    return zlib.crc32(name.encode("utf-8")) % 8 == 0


def count(archive: Path) -> tuple[np.ndarray, Counter, int]:
    """Bigram counts (MODEL_SIZE x MODEL_SIZE), word counts and the number of articles."""
    counts = np.zeros(MODEL_SIZE * MODEL_SIZE, dtype=np.int64)
    vocabulary: Counter = Counter()
    articles = 0
    with tarfile.open(archive) as tf:
        for member in tf:
            if not member.isfile() or not member.name.endswith(".txt") or held_out(member.name):
                continue
            text = tf.extractfile(member).read().decode("utf-8", errors="replace")
            fields = [body for _, body in RE_FIELDS.findall(text)]
            if not fields:
                continue
            articles += 1
            words = RE_ARABIC_WORD.findall(" ".join(fields))
            if not words:
                continue
            vocabulary.update(words)
            codes = model_codes(words)
            counts += np.bincount(codes[:-1].astype(np.int64) * MODEL_SIZE + codes[1:],
                                  minlength=MODEL_SIZE * MODEL_SIZE)
    # boundary to boundary never happens inside a word list
    counts[BOUNDARY * MODEL_SIZE + BOUNDARY] = 0
    return counts.reshape(MODEL_SIZE, MODEL_SIZE), vocabulary, articles


def table(archive: Path = ARCHIVE) -> dict:
    counts, vocabulary, articles = count(archive)
    return {
        "about": "Arabic letter-bigram counts for helpers.corpus.decoding; rows: previous "
                 "symbol, columns: next symbol; symbols are decoding.MODEL_SYMBOLS, then "
                 "'other Arabic', then the word boundary. Built by "
                 "scripts/build_arabic_bigrams.py from the ANT v2.1 archive (titles and "
                 "texts; one article in eight held out). words: the most frequent words with "
                 "their counts; tokens: the number of words counted.",
        "articles": articles,
        "tokens": sum(vocabulary.values()),
        "words": dict(sorted(vocabulary.items(), key=lambda kv: (-kv[1], kv[0]))[:WORDS]),
        "counts": counts.tolist(),
    }


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", type=Path, default=ARCHIVE)
    ap.add_argument("--check", action="store_true", help="compare with the committed file")
    args = ap.parse_args(argv)
    data = table(args.archive)
    rows = ",\n  ".join(json.dumps(row, separators=(",", ":")) for row in data["counts"])
    words = json.dumps(data["words"], ensure_ascii=False, separators=(",", ":"))
    text = (f'{{"about": {json.dumps(data["about"])},\n"articles": {data["articles"]},\n'
            f'"tokens": {data["tokens"]},\n"words": {words},\n'
            f'"counts": [\n  {rows}\n]}}\n')
    if args.check:
        same = BIGRAMS_FILE.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{BIGRAMS_FILE} differs")
        return {"same": same, "articles": data["articles"]}
    BIGRAMS_FILE.write_text(text, encoding="utf-8")
    print(f"{BIGRAMS_FILE}: {data['articles']:,} articles, "
          f"{int(np.sum(data['counts'])):,} bigrams")
    return {"articles": data["articles"]}


if __name__ == "__main__":
    main()
