"""Draw the bundled ANT sample in ``data/raw/ant-sample/`` from the ANT v2.1 archive.

The sample is what ``make report`` shows on a first run, so every analysis must have data:
several outlets (key words, shared copy), several categories (distinctive words), months
(trends), shared copy across outlets (near-duplicate clusters) and enough text for
collocations and topics. It is drawn deterministically (fixed seed, no dependence on the
order of the archive or on the installed toolkit: standard library only)::

    python3 scripts/make_sample.py                      # writes data/raw/ant-sample/
    python3 scripts/make_sample.py --check              # verifies the committed copy

What is drawn, per outlet (``<Source>`` folder of the archive), ``--per-outlet`` articles:

1. Eligible articles: well-formed XML, a non-empty ``<TEXT>``, a ``<TIME>`` in
   February-October 2018 (the collection period of v2.1; Al Arabiya's few older articles,
   back to 2012, would stretch every monthly chart over six empty years).
2. Shared copy: pairs of articles from different outlets whose ``<TEXT>`` word 5-gram sets
   overlap (exact Jaccard; words without diacritics, tatweel or punctuation, alef, ya and
   ta marbuta variants merged) at least ``--shared-threshold`` are joined into clusters;
   ``--shared-clusters`` clusters of at most four articles are taken, one per outlet combination in
   turn, alternately from clusters with a pair of at least 0.8 (found by notebook 02 too)
   and from the others. Among the eligible articles of ANT there are 224 such clusters:
   Al Arabiya-Sky News (25 of them at 0.8 or more), France24-Sky News, Al Arabiya-France24
   and one of all three; BBC and CNN share none.
3. The rest of each outlet's quota is spread evenly over its (category, month) cells: one
   article per cell in turn, the emptiest cells first, at random within a cell, skipping
   texts identical to one already drawn.

The files are copied byte for byte to ``<out>/<Source>/<category>/<DOCNO>.txt`` (the
archive's own layout); nothing else is written there. ``--check`` draws again and compares
names and bytes with ``<out>``.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import tarfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpora import ANT_ARCHIVE as ARCHIVE  # noqa: E402

OUT = ROOT / "data" / "raw" / "ant-sample"

START = datetime(2018, 2, 1, tzinfo=UTC)
END = datetime(2018, 11, 1, tzinfo=UTC)
SHINGLE = 5
# a 5-gram found in more documents than this is boilerplate, not evidence of shared copy
MAX_POSTING = 20
HIGH = 0.8

_FIELD = {tag: re.compile(rf"<{tag}>(.*?)</{tag}>", re.DOTALL) for tag in ("TIME", "TEXT")}


@dataclass
class Doc:
    member: str     # path inside the archive
    outlet: str     # <Source> folder
    category: str   # <category> folder
    month: str      # YYYY-MM of <TIME>
    text_hash: str  # sha1 of the stripped <TEXT>
    n_shingles: int  # distinct word 5-grams of <TEXT>


def _field(tag: str, text: str) -> str:
    found = _FIELD[tag].search(text)
    return found.group(1).strip() if found else ""


_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTERS = str.maketrans("أإآٱىة", "اااايه")
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    """Words without diacritics, tatweel or punctuation, alef/ya/ta marbuta forms merged."""
    return _WORD.findall(_MARKS.sub("", text).translate(_LETTERS))


def _shingles(text: str) -> set[int]:
    """48-bit hashes of the distinct word 5-grams."""
    words = _words(text)
    grams = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=6).digest(), "big")
            for g in grams}


def read_archive(archive: Path) -> tuple[list[Doc], list[set[int]]]:
    """The eligible articles of the archive sorted by member name, and their 5-grams."""
    found = []
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            parts = member.name.split("/")
            if not member.isfile() or len(parts) != 4 or not parts[3].endswith(".txt"):
                continue
            data = tar.extractfile(member).read()
            try:
                ET.fromstring(data)
            except ET.ParseError:
                continue
            text = data.decode("utf-8")
            body = _field("TEXT", text)
            try:
                date = parsedate_to_datetime(_field("TIME", text))
            except (TypeError, ValueError):
                continue
            if not body or date.tzinfo is None or not START <= date < END:
                continue
            grams = _shingles(body)
            month = f"{date.astimezone(UTC):%Y-%m}"
            found.append((Doc(member.name, parts[1], parts[2], month,
                              hashlib.sha1(body.encode()).hexdigest(), len(grams)), grams))
    found.sort(key=lambda f: f[0].member)
    return [d for d, _ in found], [g for _, g in found]


def shared_clusters(docs: list[Doc], grams: list[set[int]],
                    threshold: float) -> list[tuple[list[int], float]]:
    """Clusters (document indices, best pair Jaccard) of copy shared by two or more outlets."""
    assert len(docs) < 2**16
    keys = sorted(g << 16 | i for i, gs in enumerate(grams) for g in gs)
    shared = defaultdict(int)
    start = 0
    for end in range(1, len(keys) + 1):
        if end < len(keys) and keys[end] >> 16 == keys[start] >> 16:
            continue
        ids = [k & 0xFFFF for k in keys[start:end]]
        start = end
        if 1 < len(ids) <= MAX_POSTING:
            for a in range(len(ids)):
                for b in range(a + 1, len(ids)):
                    if docs[ids[a]].outlet != docs[ids[b]].outlet:
                        shared[ids[a], ids[b]] += 1
    parent = list(range(len(docs)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    best = {}
    for (a, b), n in sorted(shared.items()):
        jac = n / (docs[a].n_shingles + docs[b].n_shingles - n)
        if jac >= threshold:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
            best[a] = max(best.get(a, 0.0), jac)
            best[b] = max(best.get(b, 0.0), jac)
    groups = defaultdict(list)
    for i in sorted(best):
        groups[find(i)].append(i)
    return [(ids, max(best[i] for i in ids)) for _, ids in sorted(groups.items())]


def draw(docs: list[Doc], grams: list[set[int]], *, per_outlet: int, n_clusters: int,
         threshold: float, seed: int) -> list[Doc]:
    rng = random.Random(seed)
    chosen: list[int] = []
    # 2. shared copy, one cluster per outlet combination in turn, high and lower overlap
    by_combo = defaultdict(lambda: ([], []))
    for ids, jac in shared_clusters(docs, grams, threshold):
        if len(ids) <= 4:
            combo = tuple(sorted({docs[i].outlet for i in ids}))
            by_combo[combo][jac < HIGH].append(ids)
    for combo in sorted(by_combo):
        for pool in by_combo[combo]:
            rng.shuffle(pool)
    combos = sorted(by_combo)
    taken, turn = 0, 0
    while taken < n_clusters and any(p for c in combos for p in by_combo[c]):
        for combo in combos:
            high, low = by_combo[combo]
            pool = (high or low) if turn % 2 == 0 else (low or high)
            if pool and taken < n_clusters:
                chosen += pool.pop()
                taken += 1
        turn += 1
    # 3. each outlet's remaining quota over its (category, month) cells, emptiest first
    texts = {docs[i].text_hash for i in chosen}
    picked = set(chosen)
    for outlet in sorted({d.outlet for d in docs}):
        cells = defaultdict(list)
        for i, d in enumerate(docs):
            if d.outlet == outlet and i not in picked:
                cells[d.category, d.month].append(i)
        count = defaultdict(int)
        for i in chosen:
            if docs[i].outlet == outlet:
                count[docs[i].category, docs[i].month] += 1
        keys = sorted(cells)
        for key in keys:
            rng.shuffle(cells[key])
        need = per_outlet - sum(count.values())
        while need > 0 and any(cells[k] for k in keys):
            level = min(count[k] for k in keys if cells[k])
            turn_keys = [k for k in keys if cells[k] and count[k] == level]
            rng.shuffle(turn_keys)
            for key in turn_keys:
                while cells[key] and need > 0:
                    i = cells[key].pop()
                    if docs[i].text_hash in texts:
                        continue
                    chosen.append(i)
                    texts.add(docs[i].text_hash)
                    count[key] += 1
                    need -= 1
                    break
    return sorted((docs[i] for i in chosen), key=lambda d: d.member)


def _target(out: Path, member: str) -> Path:
    return out.joinpath(*member.split("/")[1:])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", type=Path, default=ARCHIVE)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--per-outlet", type=int, default=150)
    ap.add_argument("--shared-clusters", type=int, default=16)
    ap.add_argument("--shared-threshold", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=2018)
    ap.add_argument("--check", action="store_true",
                    help="draw again and compare with --out instead of writing")
    args = ap.parse_args(argv)

    docs, grams = read_archive(args.archive)
    sample = draw(docs, grams, per_outlet=args.per_outlet, n_clusters=args.shared_clusters,
                  threshold=args.shared_threshold, seed=args.seed)
    wanted = {d.member for d in sample}
    data = {}
    with tarfile.open(args.archive, "r:gz") as tar:
        for member in tar:
            if member.name in wanted:
                data[member.name] = tar.extractfile(member).read()
    # only the article files: README, LICENSE and CITATION beside them stay
    existing = set(args.out.glob("*/*/*.txt"))
    targets = {_target(args.out, m): b for m, b in data.items()}
    if args.check:
        wrong = sorted(str(p) for p, b in targets.items() if not p.exists() or p.read_bytes() != b)
        extra = sorted(str(p) for p in existing - set(targets))
        for p in wrong[:10]:
            print(f"differs or missing: {p}", file=sys.stderr)
        for p in extra[:10]:
            print(f"not in the draw: {p}", file=sys.stderr)
        print(f"{len(targets)} articles drawn; {len(wrong)} differ, {len(extra)} extra")
        return 1 if wrong or extra else 0
    for p in existing - set(targets):
        p.unlink()
    for p, b in sorted(targets.items()):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b)
    for d in sorted(args.out.glob("*/*"), reverse=True) + sorted(args.out.glob("*")):
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()
    print(f"{len(targets)} articles written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
