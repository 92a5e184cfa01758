"""Where the files come from: folders and archives walked into ``(path, bytes)`` items or
reported skips, within a bound on the bytes read. Nothing is ever extracted to disk.
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple
from zlib import error as zlib_error

from .. import resources as R
from .schema import INVALID, UNSAFE, CorpusError, Skipped, is_archive_name

class Budget:
    """Bounds the total uncompressed bytes read in one load."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0

    def take(self, path: str, size: int) -> None:
        self.used += size
        if self.used > self.limit:
            raise CorpusError(
                path,
                f"total uncompressed size exceeds the bound of {self.limit:,} bytes "
                "(max_total_bytes=); refusing to read further",
            )


class Item(NamedTuple):
    path: str                 # path column value
    rel: str                  # path inside its container (for source/category)
    container: int            # index of the container (folder or archive)
    data: bytes | None = None
    skip: Skipped | None = None


def walk_folder(root: Path, exclude: frozenset = frozenset()
                 ) -> list[tuple[str, Path | None, str | None]]:
    """Sorted ``(relative path, absolute path, problem)`` of every file below ``root``.

    Symbolic links are followed (a loop is reported), special files are reported. Folders
    in ``exclude`` (``(st_dev, st_ino)`` pairs: the cache folders) are left out entirely.
    """
    out: list[tuple[str, Path | None, str | None]] = []
    visited: set[tuple[int, int]] = set()

    def walk(folder: Path, rel: str) -> None:
        st = folder.stat()
        if (st.st_dev, st.st_ino) in exclude:
            return
        if (st.st_dev, st.st_ino) in visited:
            out.append((rel or ".", None, "symbolic link loop (not followed)"))
            return
        visited.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            out.append((rel or ".", None, f"unreadable folder ({e.strerror})"))
            return
        for entry in entries:
            child = f"{rel}/{entry.name}" if rel else entry.name
            try:
                if entry.is_dir():
                    walk(Path(entry.path), child)
                elif entry.is_file():
                    out.append((child, Path(entry.path), None))
                elif entry.is_symlink():
                    out.append((child, None, "broken symbolic link"))
                else:
                    out.append((child, None, "not a regular file (device, FIFO or socket)"))
            except OSError as e:
                out.append((child, None, f"unreadable ({e.strerror})"))

    walk(root, "")
    return out


def _unsafe_member(name: str) -> str | None:
    clean = name.replace("\\", "/")
    if clean.startswith("/") or R.RE_DRIVE.match(clean):
        return "unsafe archive member: absolute path"
    if ".." in clean.split("/"):
        return "unsafe archive member: '..' in path"
    return None


def _member_name(name: str) -> str:
    name = name.replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name


class _TarMember(NamedTuple):
    name: str
    problem: str | None    # why the member is not read (link, device, unsafe path, ...)


_TAR_BLOCK = 512
_TAR_REGULAR = (b"0", b"\0", b"7")
_TAR_KINDS = {
    b"1": "hard link", b"2": "symbolic link", b"3": "character device",
    b"4": "block device", b"6": "FIFO",
}


class _Stream:
    """Exact-size reads over a (decompressing) file object, in large chunks."""

    def __init__(self, f):
        self.f, self.buf, self.pos = f, b"", 0

    def read(self, n: int) -> bytes:
        if self.pos + n > len(self.buf):
            parts = [self.buf[self.pos:]]
            have = len(parts[0])
            while have < n:
                chunk = self.f.read(max(1 << 20, n - have))
                if not chunk:
                    break
                parts.append(chunk)
                have += len(chunk)
            self.buf, self.pos = b"".join(parts), 0
        out = self.buf[self.pos:self.pos + n]
        self.pos += len(out)
        return out


def _tar_number(field: bytes) -> int:
    if field[:1] in (b"\x80", b"\xff"):          # GNU base-256 encoding
        value = int.from_bytes(field[1:], "big")
        return -value if field[:1] == b"\xff" else value
    text = field.split(b"\0", 1)[0].strip()
    return int(text, 8) if text else 0


def _tar_text(field: bytes) -> str:
    return field.split(b"\0", 1)[0].decode("utf-8", "replace")


def _open_compressed(raw):
    """A reader of the decompressed bytes of a .tar, .tar.gz, .tar.bz2 or .tar.xz file."""
    import bz2
    import gzip
    import lzma
    magic = raw.read(6)
    raw.seek(0)
    if magic.startswith(b"\x1f\x8b"):
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if magic.startswith(b"BZh"):
        return bz2.BZ2File(raw)
    if magic.startswith(b"\xfd7zXZ\x00"):
        return lzma.LZMAFile(raw)
    return raw


def iter_tar(raw, budget: Budget, prefix: str) -> Iterator[tuple[_TarMember, bytes]]:
    """Stream the members of a tar archive (ustar, GNU and pax formats) without extracting.

    Much faster than :mod:`tarfile` for archives of many small files (it parses only the
    fields needed here). Yields ``(member, data)`` for every non-directory member; links,
    devices and unsafe paths come with a ``problem`` and no data. Raises ``ValueError`` for
    a damaged archive and :class:`CorpusError` beyond the size bound.
    """
    stream = _Stream(_open_compressed(raw))
    long_name = long_link = None
    pax: dict[str, str] = {}
    global_pax: dict[str, str] = {}
    while True:
        header = stream.read(_TAR_BLOCK)
        if len(header) < _TAR_BLOCK or header == bytes(_TAR_BLOCK):
            return                                 # end of archive (or truncated padding)
        stored = _tar_number(header[148:156])
        computed = sum(header) - sum(header[148:156]) + 8 * 32
        if stored != computed:
            raise ValueError("damaged tar header (bad checksum)")
        kind = header[156:157]
        size = _tar_number(header[124:136])
        if kind in (b"x", b"g", b"L", b"K"):       # metadata for the next member
            if not 0 <= size <= 1 << 20:
                raise ValueError("damaged tar archive (oversized extended header)")
            data = stream.read(size)
            stream.read(-size % _TAR_BLOCK)
            if kind == b"L":
                long_name = _tar_text(data)
            elif kind == b"K":
                long_link = _tar_text(data)
            else:
                _parse_pax(data, global_pax if kind == b"g" else pax)
            continue
        name = _tar_text(header[0:100])
        link = _tar_text(header[157:257])
        if header[257:263] == b"ustar\0" and header[345:346] != b"\0":   # POSIX prefix
            name = _tar_text(header[345:500]) + "/" + name
        fields = {**global_pax, **pax}
        name = fields.get("path", long_name or name)
        link = fields.get("linkpath", long_link or link)
        if "size" in fields:
            size = int(fields["size"])
        long_name = long_link = None
        pax = {}
        if size < 0:
            raise ValueError("damaged tar header (negative size)")
        is_dir = kind == b"5" or (kind in _TAR_REGULAR and name.endswith("/"))
        has_data = kind not in (b"1", b"2", b"3", b"4", b"5", b"6")
        problem = None
        if not is_dir:
            problem = _unsafe_member(name)
        if problem is None and not is_dir and kind not in _TAR_REGULAR:
            what = _TAR_KINDS.get(kind)
            if what in ("hard link", "symbolic link"):
                problem = f"{what} to {link!r} (not followed)"
            elif what:
                problem = f"{what} member (not read)"
            else:
                problem = f"unsupported tar member type {kind!r}"
        data = b""
        if has_data and size:
            if problem is None and not is_dir:
                budget.take(prefix + _member_name(name), size)
                data = stream.read(size)
                if len(data) < size:
                    raise ValueError("truncated tar archive")
            else:
                _skip_bytes(stream, size)
            stream.read(-size % _TAR_BLOCK)
        if not is_dir:
            yield _TarMember(name, problem), data


def _skip_bytes(stream: _Stream, size: int) -> None:
    while size > 0:
        got = len(stream.read(min(size, 1 << 20)))
        if not got:
            raise ValueError("truncated tar archive")
        size -= got


def _parse_pax(data: bytes, into: dict[str, str]) -> None:
    pos = 0
    while pos < len(data):
        space = data.find(b" ", pos)
        if space < 0:
            break
        length = int(data[pos:space])
        if length <= 0:
            raise ValueError("damaged pax header")
        record = data[space + 1:pos + length - 1]
        key, _, value = record.partition(b"=")
        into[key.decode("utf-8", "replace")] = value.decode("utf-8", "replace")
        pos += length



class Source:
    """Yields every entry of the corpus in order, and tracks progress."""

    def __init__(self, root: Path, budget: Budget, bar, exclude: frozenset = frozenset()):
        self.root, self.budget, self.bar, self.exclude = root, budget, bar, exclude
        self.containers: list[tuple[str, bool]] = []   # (path prefix, strip common top?)

    def _container(self, prefix: str, archive: bool) -> int:
        self.containers.append((prefix, archive))
        return len(self.containers) - 1

    def items(self) -> Iterator[Item]:
        root = self.root
        if root.is_dir():
            files = walk_folder(root, self.exclude)
            self.bar.reset(total=len(files))
            yield from self._folder(files)
        elif is_archive_name(root.name):
            yield from self._archive(root, "", bar=True)
        else:
            cid = self._container("", False)
            self.bar.reset(total=1)
            self.budget.take(root.name, root.stat().st_size)
            yield Item(root.name, root.name, cid, data=root.read_bytes())
            self.bar.update(1)

    def _folder(self, files) -> Iterator[Item]:
        cid = self._container("", False)
        for rel, abspath, problem in files:
            if problem:
                yield Item(rel, rel, cid, skip=Skipped(rel, problem, INVALID))
            elif is_archive_name(rel):
                yield from self._archive(abspath, rel + "/", bar=False)
            else:
                self.budget.take(rel, abspath.stat().st_size)
                try:
                    data = abspath.read_bytes()
                except OSError as e:
                    yield Item(rel, rel, cid, skip=Skipped(rel, f"unreadable ({e.strerror})"))
                else:
                    yield Item(rel, rel, cid, data=data)
            self.bar.update(1)

    def _archive(self, archive: Path, prefix: str, *, bar: bool) -> Iterator[Item]:
        cid = self._container(prefix, True)
        label = prefix.rstrip("/") or archive.name
        members = 0
        try:
            read = self._zip if archive.name.lower().endswith(".zip") else self._tar
            for item in read(archive, prefix, cid, bar):
                members += 1
                yield item
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib_error) as e:
            if isinstance(e, CorpusError):
                raise
            yield Item(label, "", cid, skip=Skipped(label, f"unreadable archive ({e})"))
        else:
            if members == 0:   # an archive must not vanish from the accounting
                yield Item(label, "", cid, skip=Skipped(label, "archive holds no files"))

    def _tar(self, archive: Path, prefix: str, cid: int, bar: bool) -> Iterator[Item]:
        size = archive.stat().st_size
        with open(archive, "rb") as raw:
            if bar:
                self.bar.reset(total=size)
                self.bar.unit, self.bar.unit_scale = "B", True
            done = 0
            for n, (member, data) in enumerate(iter_tar(raw, self.budget, prefix)):
                if bar and n % 256 == 0:
                    pos = raw.tell()
                    self.bar.update(pos - done)
                    done = pos
                name = _member_name(member.name)
                path = prefix + name
                if member.problem:
                    yield Item(path, name, cid, skip=Skipped(path, member.problem, UNSAFE))
                else:
                    yield Item(path, name, cid, data=data)
            if bar:
                self.bar.update(size - done)

    def _zip(self, archive: Path, prefix: str, cid: int, bar: bool) -> Iterator[Item]:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if bar:
                self.bar.reset(total=len(infos))
            for info in infos:
                if bar:
                    self.bar.update(1)
                if info.is_dir():
                    continue
                name = _member_name(info.filename)
                path = prefix + name
                mode = info.external_attr >> 16
                problem = _unsafe_member(info.filename)
                if problem is None:
                    if stat.S_ISLNK(mode):
                        problem = "symbolic link (not followed)"
                    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) \
                            or stat.S_ISSOCK(mode):
                        problem = "device or FIFO member (not read)"
                if problem:
                    yield Item(path, name, cid, skip=Skipped(path, problem, UNSAFE))
                    continue
                if info.flag_bits & 0x1:
                    yield Item(path, name, cid, skip=Skipped(path, "encrypted member"))
                    continue
                self.budget.take(path, info.file_size)
                try:
                    with zf.open(info) as f:
                        data = f.read(info.file_size + 1)
                except (zipfile.BadZipFile, zlib_error, OSError, NotImplementedError) as e:
                    skip = Skipped(path, f"corrupt archive member ({e})")
                    yield Item(path, name, cid, skip=skip)
                    continue
                yield Item(path, name, cid, data=data)


