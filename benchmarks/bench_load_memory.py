"""Peak memory of ``load_corpus`` against the largest file it reads and the frame it returns.

    .venv/bin/python benchmarks/bench_load_memory.py [--mb 200] [--seed-mb 100] [--no-ant]

Corpora are generated in a temporary directory (nothing is written into the repository):

- ``jsonl``: one JSON Lines file of ``--mb`` MB (Arabic records of about 2 KB) beside a few
  small articles, as a plain folder and inside a ``.tar.gz`` and a ``.zip``;
- ``seed``: one seed-layout ``.txt`` article of ``--seed-mb`` MB (a single huge body)
  beside a few small ones, as a folder and inside a ``.tar.gz``;
- ``jsonl.zst``: the JSON Lines file compressed on its own (``big.jsonl.zst`` in a folder);
- the ANT archive (``../shared/corpora``), when present.

Each load runs in a fresh child process (``load_corpus(path, cache=False)``, default
workers); the child reports ``VmRSS`` just before the load (interpreter and libraries),
``VmHWM`` of ``/proc/self/status`` after it (its peak), and ``frame.memory_usage(deep=True)``.
The figure that matters is ``ratio = (peak - before - frame) / largest``: the memory the
load needed beyond the frame it returns, in units of the largest file or archive member
(the target is at most 3; for ANT, whose largest file is 40 KB, it is the fixed cost of a
load beside a 107 MB frame). Worker processes parse only batches of small files (at most a
few MB each), so the parent's peak is the load's peak; their largest ``ru_maxrss`` is
printed too (on Linux it includes the pages a forked worker shares with the parent).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from corpora import ANT_ARCHIVE  # noqa: E402

_SENTENCE = ("موسكو - وصل وزير الخارجية إلى موسكو اليوم لبحث الأزمة الليبية مع نظيره "
             "الروسي، وقال المتحدث إن المحادثات ستستمر يومين بحضور الوفود. ")
_SMALL = "عنوان قصير\n\nالقاهرة - نص قصير لخبر صغير في المجموعة.\n"


def _status(key: str) -> int:
    """A ``/proc/self/status`` field in bytes (``VmRSS``, ``VmHWM``)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return 0


def _child(path: str) -> None:
    """Runs in a fresh process: one load, its peak and the frame's size as JSON."""
    import resource
    import time

    from helpers.corpus import load_corpus

    before = _status("VmRSS")
    t0 = time.perf_counter()
    frame, report = load_corpus(path, cache=False, progress=False)
    seconds = time.perf_counter() - t0
    peak = _status("VmHWM")
    frame_bytes = int(frame.memory_usage(deep=True).sum())
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(json.dumps({"before": before, "peak": peak, "frame": frame_bytes,
                      "articles": report.loaded, "seconds": round(seconds, 2),
                      "worker_maxrss": workers}))


def _jsonl_bytes(mb: int) -> bytes:
    body = _SENTENCE * 12                                   # about 2 KB of UTF-8
    lines = []
    size, n = 0, 0
    while size < mb * 2**20:
        line = json.dumps({"id": f"r{n}", "title": f"عنوان رقم {n}", "body": f"{n} {body}",
                           "source": "wire"}, ensure_ascii=False).encode() + b"\n"
        lines.append(line)
        size += len(line)
        n += 1
    return b"".join(lines)


def _seed_bytes(mb: int) -> bytes:
    para = (_SENTENCE * 8 + "\n").encode()
    count = mb * 2**20 // len(para) + 1
    return "عنوان المقال الكبير\n\n".encode() + para * count


def _write_tar(target: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(target, "w:gz", compresslevel=1) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))


def _write_zip(target: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _write_folder(target: Path, members: dict[str, bytes]) -> None:
    for name, data in members.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(data)


def corpora(tmp: Path, mb: int, seed_mb: int) -> list[tuple[str, Path, int]]:
    """``(label, path, largest file or member in bytes)`` of every generated corpus."""
    small = {f"corpus/wire/s{i}.txt": _SMALL.encode() for i in range(5)}
    out = []
    big = _jsonl_bytes(mb)
    jsonl = {"corpus/wire/big.jsonl": big, **small}
    _write_folder(tmp / "jsonl-folder", jsonl)
    _write_tar(tmp / "jsonl.tar.gz", jsonl)
    _write_zip(tmp / "jsonl.zip", jsonl)
    out += [(f"{mb} MB JSONL, folder", tmp / "jsonl-folder", len(big)),
            (f"{mb} MB JSONL in .tar.gz", tmp / "jsonl.tar.gz", len(big)),
            (f"{mb} MB JSONL in .zip", tmp / "jsonl.zip", len(big))]
    try:
        import zstandard
    except ImportError:
        pass
    else:
        (tmp / "zst").mkdir()
        (tmp / "zst" / "big.jsonl.zst").write_bytes(
            zstandard.ZstdCompressor(level=1).compress(big))
        out.append((f"{mb} MB JSONL as .jsonl.zst", tmp / "zst", len(big)))
    del big, jsonl
    seed = _seed_bytes(seed_mb)
    files = {"corpus/wire/big.txt": seed, **small}
    _write_folder(tmp / "seed-folder", files)
    _write_tar(tmp / "seed.tar.gz", files)
    out += [(f"{seed_mb} MB seed .txt, folder", tmp / "seed-folder", len(seed)),
            (f"{seed_mb} MB seed .txt in .tar.gz", tmp / "seed.tar.gz", len(seed))]
    return out


def measure(path: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", str(path)],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(HERE.parent / "src")})
    if proc.returncode:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=200, help="size of the big JSONL file")
    parser.add_argument("--seed-mb", type=int, default=100, help="size of the big .txt")
    parser.add_argument("--no-ant", action="store_true", help="leave out the ANT archive")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child)
        return {}
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-load-memory-") as folder:
        todo = corpora(Path(folder), args.mb, args.seed_mb)
        if not args.no_ant and ANT_ARCHIVE.exists():
            largest = 0
            with tarfile.open(ANT_ARCHIVE) as tf:
                largest = max(m.size for m in tf if m.isfile())
            todo.append(("ANT archive (.tar.gz)", ANT_ARCHIVE, largest))
        mib = 2**20
        print(f"{'corpus':32} {'largest':>8} {'frame':>8} {'before':>8} {'peak':>8} "
              f"{'extra':>8} {'ratio':>6} {'workers':>8} {'s':>6}   (MiB)")
        for label, path, largest in todo:
            got = measure(path)
            extra = got["peak"] - got["before"] - got["frame"]
            got.update(largest=largest, extra=extra, ratio=round(extra / largest, 2))
            results[label] = got
            print(f"{label:32} {largest / mib:8.2f} {got['frame'] / mib:8.1f} "
                  f"{got['before'] / mib:8.1f} {got['peak'] / mib:8.1f} {extra / mib:8.1f} "
                  f"{got['ratio']:6.2f} {got['worker_maxrss'] / mib:8.1f} "
                  f"{got['seconds']:6.1f}", flush=True)
    return results


if __name__ == "__main__":
    main()
