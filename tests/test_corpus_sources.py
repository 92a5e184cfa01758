"""Tests for where the loader's bytes come from (helpers.corpus.sources and its callers):
compressed files, archives inside archives, names that are not UTF-8, files never read,
the size bound, symbolic links, killed loads, and names shown in the report.

Every corpus is written into tmp_path by the test; nothing is written to data/.
"""

from __future__ import annotations

import builtins
import bz2
import gzip
import io
import json
import lzma
import os
import signal
import stat
import struct
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.corpus import (
    CorpusError,
    LoadReport,
    iter_corpus,
    load_corpus,
    write_shards,
)
from helpers.corpus import cache as cache_module
from helpers.corpus.archives import Budget, iter_tar, name_text
from helpers.corpus.formats import HEAD_BYTES
from helpers.corpus.schema import visible

from corpus_files import load, tar_bytes, write

SRC = Path(__file__).resolve().parents[1] / "src"
TITLE = "عنوان الخبر"
BODY = "القاهرة - نص الخبر الأول.\nفقرة ثانية من النص."
ARTICLE = f"{TITLE}\n\n{BODY}\n"


def reasons(report: LoadReport) -> dict[str, str]:
    return {s.path: s.reason for s in report.skipped}


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


COMPRESSORS = {
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
    ".zst": lambda data: zstandard.ZstdCompressor().compress(data),
}
ARCHIVERS = {
    ".zip": zip_bytes,
    ".tar": lambda m: tar_bytes(m),
    ".tar.gz": lambda m: tar_bytes(m, "w:gz"),
    ".tar.bz2": lambda m: tar_bytes(m, "w:bz2"),
    ".tar.xz": lambda m: tar_bytes(m, "w:xz"),
    ".tar.zst": lambda m: zstandard.ZstdCompressor().compress(tar_bytes(m)),
}

# one article in each format, and the format the load reports for it
INNER = {
    "a.txt": (ARTICLE.encode(), "txt"),
    "a.json": (json.dumps([{"title": TITLE, "body": BODY}], ensure_ascii=False).encode(),
               "json"),
    "a.jsonl": (json.dumps({"title": TITLE, "body": BODY}, ensure_ascii=False).encode(),
                "jsonl"),
    "a.csv": (f'title,body\n{TITLE},"{BODY}"\n'.encode(), "csv"),
    "feed.xml": (f"<DOC><DOCNO>d1</DOCNO><TITLE>{TITLE}</TITLE><TEXT>{BODY}</TEXT></DOC>"
                 .encode(), "trec"),
}


# --------------------------------------------------------------------------------------
# single compressed files: every compression x several formats x where they are
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["folder", "given", "tar", "zip"])
@pytest.mark.parametrize("inner", list(INNER))
@pytest.mark.parametrize("compression", list(COMPRESSORS))
def test_compressed_file_read_by_its_inner_name(tmp_path, compression, inner, where):
    raw, fmt = INNER[inner]
    name = inner + compression
    packed = COMPRESSORS[compression](raw)
    if where == "folder":
        path, expected = write(tmp_path / "c", {f"wire/{name}": packed}), f"wire/{name}"
    elif where == "given":
        path, expected = write(tmp_path, {name: packed}) / name, name
    else:
        suffix = ".zip" if where == "zip" else ".tar.gz"
        archive = ARCHIVERS[suffix]({f"top/wire/{name}": packed, "top/wire/README": b"x"})
        path = write(tmp_path, {f"c{suffix}": archive}) / f"c{suffix}"
        expected = f"top/wire/{name}"
    articles, report = load(path)
    row = articles[articles["path"] == expected]
    assert row["title"].tolist() == [TITLE] and row["body"].tolist() == [BODY]
    assert report.formats.get(fmt) == 1
    if fmt == "txt":
        assert row["id"].tolist() == ["a"]             # the stem of the inner name
    if where != "given":
        assert row["source"].tolist() == ["wire"]


@pytest.mark.parametrize("compression", list(COMPRESSORS))
@pytest.mark.parametrize("damage", ["garbage", "truncated", "plain text"])
def test_damaged_compressed_file_is_one_skipped_entry(tmp_path, compression, damage):
    packed = COMPRESSORS[compression](ARTICLE.encode() * 50)
    data = {"garbage": b"\x00garbage" * 10, "truncated": packed[: len(packed) // 2],
            "plain text": ARTICLE.encode()}[damage]
    write(tmp_path, {f"a.txt{compression}": data, "b.txt": ARTICLE})
    articles, report = load(tmp_path)
    assert articles["path"].tolist() == ["b.txt"]
    assert reasons(report)[f"a.txt{compression}"].startswith("unreadable compressed file")
    with pytest.raises(CorpusError, match=rf"a\.txt\{compression}: unreadable compressed"):
        load(tmp_path, strict=True)


@pytest.mark.parametrize("compression", list(COMPRESSORS))
@pytest.mark.parametrize("where", ["folder", "tar"])
def test_compressed_bytes_count_as_decompressed(tmp_path, compression, where):
    big = ARTICLE.encode() * 20_000                      # 2.8 MB that compress to KB
    packed = COMPRESSORS[compression](big)
    assert len(packed) < 100_000 and 2_000_000 < len(big) < 4_000_000
    if where == "folder":
        path = write(tmp_path / "c", {f"a.txt{compression}": packed})
    else:
        path = write(tmp_path, {"c.tar": tar_bytes({f"a.txt{compression}": packed})}) / "c.tar"
    with pytest.raises(CorpusError, match="exceeds the bound of 1,000,000 bytes"):
        load(path, max_total_bytes=1_000_000)
    assert load(path, max_total_bytes=4_000_000)[1].loaded == 1


def test_compressed_archive_given_or_in_a_folder(tmp_path):
    members = {"top/wire/a.txt": ARTICLE.encode()}
    write(tmp_path, {"c.zip.gz": gzip.compress(zip_bytes(members)),
                     "d.tar.bz2.xz": lzma.compress(bz2.compress(tar_bytes(members))),
                     "e.tzst": zstandard.ZstdCompressor().compress(tar_bytes(members))})
    articles, _ = load(tmp_path)
    assert articles["path"].tolist() == [
        "c.zip.gz/top/wire/a.txt", "d.tar.bz2.xz/top/wire/a.txt", "e.tzst/top/wire/a.txt"]
    assert set(articles["source"]) == {"wire"}
    assert load(tmp_path / "c.zip.gz")[0]["path"].tolist() == ["top/wire/a.txt"]


# --------------------------------------------------------------------------------------
# archives inside archives: one level deep, read in place
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("inner", list(ARCHIVERS))
@pytest.mark.parametrize("outer", [".zip", ".tar", ".tar.gz", ".tar.zst"])
def test_archive_inside_an_archive(tmp_path, outer, inner):
    nested = ARCHIVERS[inner]({"in/src/cat/x.txt": ARTICLE.encode(), "in/README": b"about"})
    archive = ARCHIVERS[outer]({"top/a.txt": ARTICLE.encode(), f"top/in{inner}": nested})
    write(tmp_path, {f"c{outer}": archive})
    before = sorted(tmp_path.rglob("*"))
    articles, report = load(tmp_path / f"c{outer}")
    assert sorted(tmp_path.rglob("*")) == before                   # nothing extracted
    assert articles["path"].tolist() == ["top/a.txt", f"top/in{inner}/in/src/cat/x.txt"]
    # the inner archive's own single top folder ("in/") is not a source either
    assert articles["source"].tolist()[1] == "src" and articles["category"].tolist()[1] == "cat"
    assert reasons(report) == {f"top/in{inner}/in/README":
                               "documentation file (README, LICENSE, ...), not an article"}
    # the same archive inside a folder: <outer>/<inner>/<member>
    articles, _ = load(tmp_path)
    assert articles["path"].tolist()[1] == f"c{outer}/top/in{inner}/in/src/cat/x.txt"


@pytest.mark.parametrize("kinds", [(".zip", ".tar", ".zip"), (".tar.gz", ".zip", ".tar"),
                                   (".tar", ".tar.gz", ".tar.xz")])
def test_archives_nested_two_deep_are_reported_not_opened(tmp_path, kinds):
    outer, middle, inner = kinds
    deepest = ARCHIVERS[inner]({"x.txt": ARTICLE.encode()})
    mid = ARCHIVERS[middle]({"y.txt": ARTICLE.encode(), f"deep{inner}": deepest})
    write(tmp_path, {f"c{outer}": ARCHIVERS[outer]({f"mid{middle}": mid})})
    articles, report = load(tmp_path / f"c{outer}")
    assert articles["path"].tolist() == [f"mid{middle}/y.txt"]
    reason = reasons(report)[f"mid{middle}/deep{inner}"]
    assert reason.startswith("archive inside an archive inside an archive (not opened")
    assert report.skipped[0].kind == "ignored"


@pytest.mark.parametrize("outer", [".zip", ".tar.gz"])
@pytest.mark.parametrize("inner", [".zip", ".tar.gz"])
def test_damaged_or_empty_inner_archive_leaves_the_rest(tmp_path, outer, inner):
    empty = ARCHIVERS[inner]({})
    damaged = ARCHIVERS[inner]({"x.txt": ARTICLE.encode() * 100})[:-60]
    archive = ARCHIVERS[outer]({f"bad{inner}": damaged, f"empty{inner}": empty,
                                "z.txt": ARTICLE.encode()})
    write(tmp_path, {f"c{outer}": archive})
    articles, report = load(tmp_path / f"c{outer}")
    assert "z.txt" in articles["path"].tolist()
    got = reasons(report)
    assert got[f"empty{inner}"] == "archive holds no files"
    bad = [path for path in got if path.startswith(f"bad{inner}")]
    assert bad and all(got[p].startswith(("unreadable archive", "corrupt archive member"))
                       for p in bad)


# --------------------------------------------------------------------------------------
# names that are not UTF-8: on disk, in zips, in tars
# --------------------------------------------------------------------------------------

RAW_NAMES = {
    "cp1256": "خبر عاجل.txt".encode("cp1256"),
    "latin-1": "été.txt".encode("latin-1"),
    "invalid": b"\xff\xfe\x81.txt",
}


@pytest.mark.parametrize("label", list(RAW_NAMES))
@pytest.mark.parametrize("in_folder", [False, True])
def test_names_not_utf8_on_disk(tmp_path, label, in_folder):
    raw = RAW_NAMES[label]
    expected = name_text(raw)[0]
    folder = os.fsencode(tmp_path)
    parent = folder
    prefix = ""
    if in_folder:
        parent = os.path.join(folder, "مصدر".encode("cp1256"))
        os.mkdir(parent)
        prefix = "مصدر/"
    with open(os.path.join(parent, raw), "wb") as f:
        f.write(ARTICLE.encode())
    with open(os.path.join(parent, raw[:-4] + b".docx"), "wb") as f:
        f.write(b"PK\x03\x04")
    articles, report = load(tmp_path)
    assert articles["path"].tolist() == [prefix + expected]
    assert articles["id"].tolist() == [expected[:-4]]
    assert reasons(report) == {prefix + expected[:-4] + ".docx": "unsupported file type '.docx'"}
    notes = [w for w in report.warnings if w.kind == "file_name"]
    assert notes and all("read as cp1256" in w.message for w in notes)
    assert {w.path for w in notes} <= {prefix + expected, prefix + expected[:-4] + ".docx"}
    # the cache stores such a corpus too, and gives it back
    load_corpus(tmp_path, cache_dir=tmp_path.parent / f"cache-{label}-{in_folder}")
    again, report2 = load_corpus(tmp_path, cache_dir=tmp_path.parent / f"cache-{label}-{in_folder}")
    assert report2.from_cache and again["path"].tolist() == articles["path"].tolist()
    if not in_folder:                                  # the file given itself
        articles, _ = load(os.path.join(folder, raw).decode("utf-8", "surrogateescape"))
        assert articles["path"].tolist() == [expected]


def _zip_with_raw_names(members: list[tuple[bytes, bytes]]) -> bytes:
    """A zip whose member names are the given bytes, without the UTF-8 flag (as Windows
    tools write them): written under ASCII placeholders of the same length, then patched."""
    placeholders = [f"#{i}#".ljust(len(raw), "#").encode() for i, (raw, _) in enumerate(members)]
    out = zip_bytes({p.decode(): data for p, (_, data) in zip(placeholders, members)},
                    zipfile.ZIP_STORED)
    for placeholder, (raw, _) in zip(placeholders, members):
        assert out.count(placeholder) == 2                    # local header, central directory
        out = out.replace(placeholder, raw)
    return out


def test_zip_member_names_without_utf8_flag(tmp_path):
    names = {**RAW_NAMES, "utf-8 without flag": "خبر آخر.txt".encode()}
    data = _zip_with_raw_names([(b"top/" + raw, ARTICLE.encode()) for raw in names.values()])
    write(tmp_path, {"c.zip": data})
    with zipfile.ZipFile(tmp_path / "c.zip") as zf:
        assert not any(info.flag_bits & 0x800 for info in zf.infolist())
    articles, report = load(tmp_path / "c.zip")
    assert articles["path"].tolist() == [f"top/{name_text(raw)[0]}" for raw in names.values()]
    noted = {w.path for w in report.warnings if w.kind == "file_name"}
    assert noted == {f"top/{name_text(raw)[0]}" for raw in RAW_NAMES.values()}   # not UTF-8


@pytest.mark.parametrize("fmt", [tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT])
@pytest.mark.parametrize("label", list(RAW_NAMES))
def test_tar_member_names_not_utf8(tmp_path, fmt, label):
    raw = RAW_NAMES[label]
    data = tar_bytes({"top/" + raw.decode("utf-8", "surrogateescape"): ARTICLE.encode(),
                      "top/b.txt": ARTICLE.encode()},
                     format=fmt, encoding="utf-8", errors="surrogateescape")
    write(tmp_path, {"c.tar": data})
    articles, report = load(tmp_path / "c.tar")
    assert articles["path"].tolist() == [f"top/{name_text(raw)[0]}", "top/b.txt"]
    assert [w.path for w in report.warnings if w.kind == "file_name"] == [
        f"top/{name_text(raw)[0]}"]


# --------------------------------------------------------------------------------------
# files never read, and the size bound
# --------------------------------------------------------------------------------------


class Opened:
    """Records the files opened (and the bytes read from them) while installed."""

    def __init__(self, monkeypatch, forbidden: str):
        self.forbidden, self.read = forbidden, 0
        real = builtins.open

        def spy(file, *args, **kwargs):
            f = real(file, *args, **kwargs)
            if os.fsdecode(file).endswith(self.forbidden):
                return _Counting(f, self)
            return f

        monkeypatch.setattr(builtins, "open", spy)
        monkeypatch.setattr(io, "open", spy)


class _Counting:
    def __init__(self, f, owner):
        self.f, self.owner = f, owner

    def read(self, n=-1):
        data = self.f.read(n)
        self.owner.read += len(data)
        return data

    def readinto(self, b):
        n = self.f.readinto(b)
        self.owner.read += n or 0
        return n

    def __getattr__(self, name):
        return getattr(self.f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()


@pytest.mark.parametrize("name, reason, may_read", [
    ("film.mp4", "unsupported file type '.mp4'", 0),
    ("photo.JPG", "unsupported file type '.JPG'", 0),
    ("setup.exe", "unsupported file type '.exe'", 0),
    ("report.docx", "unsupported file type '.docx'", 0),
    ("clip.mov.gz", "unsupported file type '.mov.gz'", 0),
    ("core", "binary file (contains NUL bytes)", HEAD_BYTES),
    ("dump.xyz", "unsupported file type '.xyz'", HEAD_BYTES),
    ("disk.txt", "binary file (contains NUL bytes)", HEAD_BYTES),
])
@pytest.mark.parametrize("cache", [False, True])
def test_unsupported_big_file_is_skipped_unread_and_uncounted(tmp_path, monkeypatch, name,
                                                              reason, may_read, cache):
    corpus = write(tmp_path / "c", {"a.txt": ARTICLE})
    with open(corpus / name, "wb") as f:
        f.truncate(5 * 2**30)                             # sparse: 5 GB of zeros
    spy = Opened(monkeypatch, name)
    articles, report = load_corpus(corpus, cache=cache, cache_dir=tmp_path / "cache",
                                   max_total_bytes=1_000_000)
    assert len(articles) == 1 and reasons(report) == {name: reason}
    # at most the head, read again by the bound's check and the hash
    assert spy.read <= may_read * (4 if cache else 2)


@pytest.mark.parametrize("kind", [".zip", ".tar.gz"])
def test_unsupported_archive_member_over_the_bound_is_not_counted(tmp_path, kind):
    archive = ARCHIVERS[kind]({"clip.mp4": os.urandom(300_000), "a.txt": ARTICLE.encode()})
    write(tmp_path, {f"c{kind}": archive})
    articles, report = load(tmp_path / f"c{kind}", max_total_bytes=100_000)
    assert len(articles) == 1 and reasons(report) == {"clip.mp4": "unsupported file type '.mp4'"}


def _patch_zip_size(data: bytes, size: int) -> bytes:
    """The zip (one member) with the member's uncompressed size declared as ``size``."""
    out = bytearray(data)
    local = out.index(b"PK\x03\x04")
    central = out.index(b"PK\x01\x02")
    struct.pack_into("<I", out, local + 22, size)
    struct.pack_into("<I", out, central + 24, size)
    return bytes(out)


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                                    zipfile.ZIP_LZMA])
def test_zip_member_declared_size_is_never_trusted(tmp_path, method):
    text = ARTICLE.encode() * 40_000                         # 3 MB that compress to KB
    real = zip_bytes({"a.txt": text}, method)
    # declared far larger than it is: read as it is (no refusal, no allocation)
    write(tmp_path, {"big.zip": _patch_zip_size(real, 3_000_000_000)})
    assert load(tmp_path / "big.zip", max_total_bytes=10_000_000)[1].loaded == 1
    # declared smaller than it is (a bomb hiding its size): never more than declared is
    # decompressed, and the member is reported as corrupt
    write(tmp_path, {"small.zip": _patch_zip_size(real, 1000)})
    articles, report = load(tmp_path / "small.zip", max_total_bytes=10_000_000)
    assert articles.empty and reasons(report)["a.txt"].startswith("corrupt archive member")
    # a real bomb: it decompresses beyond the bound, which stops the load
    write(tmp_path, {"bomb.zip": real})
    budget_error = r"a\.txt: total uncompressed size exceeds the bound of 1,000,000 bytes"
    with pytest.raises(CorpusError, match=budget_error):
        load(tmp_path / "bomb.zip", max_total_bytes=1_000_000)


def test_parquet_bound(tmp_path):
    frame = pd.DataFrame({"title": [TITLE] * 20_000, "body": [BODY * 20] * 20_000})
    frame.to_parquet(tmp_path / "a.parquet")                  # dictionary-encoded: small
    assert (tmp_path / "a.parquet").stat().st_size < 200_000
    articles, report = load(tmp_path / "a.parquet", max_total_bytes=2_000_000)
    assert articles.empty and "bound (max_total_bytes=)" in report.skipped[0].reason
    assert load(tmp_path / "a.parquet", max_total_bytes=10**9)[1].loaded == 20_000
    # compressed whole: what it decompresses to counts
    frame.to_parquet(tmp_path / "b.parquet", compression=None, use_dictionary=False)
    (tmp_path / "b.parquet.gz").write_bytes(gzip.compress((tmp_path / "b.parquet").read_bytes()))
    with pytest.raises(CorpusError, match="b.parquet.gz: total uncompressed size exceeds"):
        load(tmp_path / "b.parquet.gz", max_total_bytes=2_000_000)


def test_bound_checked_before_anything_is_hashed_or_read(tmp_path, monkeypatch):
    corpus = write(tmp_path / "c", {"a.txt": ARTICLE})
    with open(corpus / "b.txt", "wb") as f:                   # text first, then 5 GB
        f.write(ARTICLE.encode() * 1000)
        f.truncate(5 * 2**30)

    def no_hashing(*args, **kwargs):
        raise AssertionError("hashed before the bound was checked")

    monkeypatch.setattr(cache_module, "_hash_file", no_hashing)
    spy = Opened(monkeypatch, "b.txt")
    for cache in (True, False):
        with pytest.raises(CorpusError, match="b.txt: total uncompressed size exceeds"):
            load_corpus(corpus, cache=cache, cache_dir=tmp_path / "cache",
                        max_total_bytes=10**9)
    assert spy.read <= 2 * HEAD_BYTES


def test_unread_files_are_hashed_by_size_and_time(tmp_path, monkeypatch):
    corpus = write(tmp_path / "c", {"a.txt": ARTICLE, "clip.mp4": b"\x00" * 1000})
    key = cache_module.fingerprint
    opts = cache_module.Options(None, None, ())
    first = key(corpus, opts)
    assert key(corpus, opts) == first
    (corpus / "clip.mp4").write_bytes(b"\x01" * 1000)
    os.utime(corpus / "clip.mp4", ns=(0, 10**18))
    assert key(corpus, opts) != first
    spy = Opened(monkeypatch, "clip.mp4")
    key(corpus, opts)
    assert spy.read == 0


# --------------------------------------------------------------------------------------
# symbolic links
# --------------------------------------------------------------------------------------


def test_symbolic_links(tmp_path):
    outside = write(tmp_path / "outside", {"secret.txt": ARTICLE, "d/x.txt": ARTICLE})
    corpus = write(tmp_path / "c", {"real/a.txt": ARTICLE, "real/sub/b.txt": ARTICLE})
    links = {
        "in-file.txt": "real/a.txt",                 # inside: followed
        "in-folder": "real/sub",                     # inside: followed
        "out-file.txt": str(outside / "secret.txt"),  # absolute, outside
        "out-rel.txt": "../outside/secret.txt",       # relative, outside
        "out-folder": "../outside/d",
        "passwd": "/etc/passwd",
        "dangling.txt": "real/missing.txt",
        "loop.txt": "loop.txt",
        "real/up": "..",                             # a folder loop
    }
    for name, target in links.items():
        os.symlink(target, corpus / name)
    articles, report = load(corpus)
    assert sorted(articles["path"]) == ["in-file.txt", "in-folder/b.txt", "real/a.txt",
                                        "real/sub/b.txt"]
    got = reasons(report)
    outside_reason = "symbolic link pointing outside the corpus (not followed)"
    for name in ("out-file.txt", "out-rel.txt", "out-folder", "passwd"):
        assert got[name] == outside_reason
    assert got["dangling.txt"] == "broken symbolic link"
    assert got["loop.txt"] == "symbolic link loop (not followed)"
    assert got["real/up"] == "symbolic link loop (not followed)"
    kinds = {s.path: s.kind for s in report.skipped}
    assert {kinds[name] for name in ("out-file.txt", "out-rel.txt", "out-folder", "passwd")} \
        == {"unsafe"}
    os.unlink(corpus / "dangling.txt")
    with pytest.raises(CorpusError, match="loop|pointing outside the corpus"):
        load(corpus, strict=True)


# --------------------------------------------------------------------------------------
# killed loads leave nothing behind
# --------------------------------------------------------------------------------------

_SLOW_WRITE = """
import sys, time
import pyarrow.parquet as pq
real, calls = pq.write_table, [0]
def slow(table, where, *args, **kwargs):
    real(table, where, *args, **kwargs)
    calls[0] += 1
    if calls[0] == int(sys.argv[1]):
        print("WRITTEN", flush=True)
        time.sleep(120)
pq.write_table = slow
from helpers.corpus import iter_corpus, load_corpus, write_shards
corpus, out = sys.argv[2], sys.argv[3]
if sys.argv[4] == "load":
    load_corpus(corpus, cache_dir=out, workers=1)
elif sys.argv[4] == "shards":
    write_shards(corpus, out, shard_rows=1, workers=1)
else:
    for chunk in iter_corpus(corpus, chunk_size=1, workers=1):
        pass
"""


def _start_and_stop(tmp_path: Path, what: str, call: int, sig: int, out: Path) -> int:
    script = tmp_path / "slow.py"
    script.write_text(_SLOW_WRITE)
    env = {**os.environ, "PYTHONPATH": str(SRC), "TMPDIR": str(tmp_path / "tmp")}
    proc = subprocess.Popen([sys.executable, str(script), str(call), str(tmp_path / "c"),
                             str(out), what], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout.readline().strip() == "WRITTEN"
        proc.send_signal(sig)
        return proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()
                  if cache_module.RE_TEMP_NAME.match(p.name)) if folder.exists() else []


@pytest.fixture
def small_corpus(tmp_path):
    (tmp_path / "tmp").mkdir()
    return write(tmp_path / "c", {f"s/{i}.txt": ARTICLE.replace("الأول", str(i))
                                  for i in range(3)})


def test_killed_load_leaves_no_temporary_file(tmp_path, small_corpus):
    cache = tmp_path / "cache"
    assert _start_and_stop(tmp_path, "load", 1, signal.SIGKILL, cache) == -signal.SIGKILL
    assert len(_temp_files(cache)) == 1                      # what the kill left
    load_corpus(small_corpus, cache_dir=cache)
    assert _temp_files(cache) == [] and len(list(cache.glob("corpus-*.parquet"))) == 1


def test_terminated_load_cleans_up_itself(tmp_path, small_corpus):
    cache = tmp_path / "cache"
    assert _start_and_stop(tmp_path, "load", 1, signal.SIGTERM, cache) == 128 + signal.SIGTERM
    assert _temp_files(cache) == []


def test_killed_shard_writing_leaves_nothing_after_the_next(tmp_path, small_corpus):
    out = tmp_path / "shards"
    _start_and_stop(tmp_path, "shards", 2, signal.SIGKILL, out)
    left = _temp_files(out)
    assert any(n.startswith(".raw-pid") for n in left) and any(n.endswith(".tmp") for n in left)
    write_shards(small_corpus, out, shard_rows=1)
    assert _temp_files(out) == []


def test_killed_iter_corpus_folder_is_removed_by_the_next(tmp_path, small_corpus, monkeypatch):
    _start_and_stop(tmp_path, "iter", 1, signal.SIGKILL, tmp_path / "unused")
    assert len(_temp_files(tmp_path / "tmp")) == 1
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    assert sum(len(chunk) for chunk in iter_corpus(small_corpus)) == 3
    assert _temp_files(tmp_path / "tmp") == []


def test_temporary_files_of_running_processes_are_left_alone(tmp_path):
    mine = tmp_path / f".x.parquet.{cache_module.temp_tag()}.abc.tmp"
    dead = tmp_path / ".x.parquet.pid999999999.abc.tmp"
    other = tmp_path / ".x.parquet.pid1.abc.tmp"              # init: always running
    for p in (mine, dead, other):
        p.write_bytes(b"")
    assert cache_module.sweep_stale(tmp_path, force=True) == [dead]
    assert mine.exists() and other.exists()


# --------------------------------------------------------------------------------------
# names with control and bidi characters in the report and in errors
# --------------------------------------------------------------------------------------

CONTROLS = ["\u202e", "\u2066", "\u200f", "\u2028", "\x07", "\x1b", "\n", "\u0085"]


@pytest.mark.parametrize("control", CONTROLS)
def test_control_characters_in_names_are_shown_escaped(tmp_path, control):
    name = f"خبر{control}txt.exe.txt"
    write(tmp_path, {name: b"", f"a{control}b.txt": ARTICLE})
    articles, report = load(tmp_path)
    assert articles["path"].tolist() == [f"a{control}b.txt"]      # kept as data
    assert report.skipped[0].path == name                         # (schema.valid_name)
    kept = report.skipped[0].path
    shown = visible(kept)
    assert visible(control).startswith("\\") and control not in visible(control)
    text = str(report)
    assert f"{shown}: empty file" in text
    assert len(text.splitlines()) == len(report._lines())          # no line broken
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text
                   if c != "\n")
    html = report._repr_html_()
    assert f"<bdi>{shown}</bdi>" in html
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in html)
    with pytest.raises(CorpusError) as error:
        load(tmp_path, strict=True)
    assert shown in str(error.value) and error.value.path == kept      # the name as it is
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
                   for c in str(error.value))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_visible_leaves_nothing_invisible(text):
    shown = visible(text)
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs") for c in shown)
    assert visible(shown) == shown
    if text.isprintable():
        assert shown == text


# --------------------------------------------------------------------------------------
# any tree of archives, compressed files and junk: the load never fails
# --------------------------------------------------------------------------------------

_LEAVES = st.sampled_from([
    ("a.txt", ARTICLE.encode()), ("b.json", INNER["a.json"][0]), ("c.txt", b""),
    ("d.bin", b"\x00\x01"), ("e.txt", b"\xff\xfe\x00junk"), ("f", ARTICLE.encode()),
    ("clip.mp4", b"\x00" * 10), ("README", b"x"), (".hidden.txt", ARTICLE.encode()),
])


def _tree(depth: int):
    leaf = _LEAVES.map(lambda x: ("leaf", *x))
    if depth == 0:
        return leaf
    node = st.tuples(st.just("node"), st.sampled_from(list(ARCHIVERS) + list(COMPRESSORS)),
                     st.lists(_tree(depth - 1), max_size=3), st.booleans())
    return st.one_of(leaf, node)


def _build(tree, i: int = 0) -> tuple[str, bytes]:
    if tree[0] == "leaf":
        return tree[1], tree[2]
    _, kind, children, damaged = tree
    if kind in COMPRESSORS:
        name, data = _build(children[0], i) if children else ("x.txt", b"")
        out = name + kind, COMPRESSORS[kind](data)
    else:
        members = {}
        for j, child in enumerate(children):
            name, data = _build(child, j)
            members[f"{j}/{name}"] = data
        out = f"n{i}{kind}", ARCHIVERS[kind](members)
    return (out[0], out[1][: len(out[1]) // 2]) if damaged else out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_tree(3), min_size=1, max_size=3))
def test_any_tree_of_archives_is_accounted_for(trees):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for i, tree in enumerate(trees):
            name, data = _build(tree, i)
            (root / f"{i}-{name}").write_bytes(data)
        articles, report = load(root)
        assert report.files >= len(trees)
        assert not any("/" in p and p.count(".zip/") + p.count(".tar") > 4
                       for p in articles["path"])


def test_iter_tar_reads_members_whole(tmp_path):
    data = tar_bytes({"a.txt": b"x" * 3_000_000, "b.txt": b"y"}, "w:gz")
    got = [(m.name, len(d)) for m, d in iter_tar(io.BytesIO(data), Budget(10**9), "")]
    assert got == [("a.txt", 3_000_000), ("b.txt", 1)]
    with pytest.raises(CorpusError, match="a.txt: total uncompressed size"):
        list(iter_tar(io.BytesIO(data), Budget(1_000_000), ""))


def test_special_file_in_folder(tmp_path):
    write(tmp_path, {"a.txt": ARTICLE})
    os.mkfifo(tmp_path / "pipe.txt")
    assert stat.S_ISFIFO(os.stat(tmp_path / "pipe.txt").st_mode)
    _, report = load(tmp_path)
    assert reasons(report) == {"pipe.txt": "not a regular file (device, FIFO or socket)"}
