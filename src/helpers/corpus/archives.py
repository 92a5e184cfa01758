"""Bytes read within a byte budget: compressed streams (gzip, bzip2, xz, zstd, told by their
first bytes), tar archives streamed member by member (ustar, GNU, pax) and zip members read
with their declared size and CRC held to, every byte counted against the bound on the bytes
decompressed (:class:`Budget`) as it arrives; and the names found on disk or in archives
(not UTF-8: recovered as cp1256; unsafe member paths refused). Byte-level only: which files
are articles is decided by :mod:`.formats`, the walk over a corpus by :mod:`.sources`.
"""

from __future__ import annotations

import bz2
import copy
import gzip
import io
import lzma
import os
import stat
import zipfile
from collections.abc import Iterator
from typing import NamedTuple
from zlib import crc32 as zlib_crc32
from zlib import error as zlib_error

from .. import resources as R
from .schema import ARCHIVE_SUFFIXES, CorpusError, inner_name

_CHUNK = 1 << 20                   # bytes per read


class Budget:
    """Bounds the total uncompressed bytes read in one load."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0

    def error(self, path: str) -> CorpusError:
        return CorpusError(
            path,
            f"total uncompressed size exceeds the bound of {self.limit:,} bytes "
            "(max_total_bytes=); refusing to read further",
        )

    def check(self, path: str, size: int) -> None:
        """Raise before reading ``size`` more bytes that would exceed the bound."""
        if self.used + size > self.limit:
            raise self.error(path)

    def take(self, path: str, size: int) -> None:
        self.used += size
        if self.used > self.limit:
            raise self.error(path)


# ---------------------------------------------------------------------------------------
# names
# ---------------------------------------------------------------------------------------


def name_text(raw: bytes) -> tuple[str, str | None]:
    """A file name's bytes as text: UTF-8, else Windows-1256 (Arabic Windows, which gives a
    character for every byte). Returns ``(name, "cp1256")`` when the fallback was used.

    >>> name_text("خبر.txt".encode("cp1256"))
    ('خبر.txt', 'cp1256')
    """
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return raw.decode("cp1256"), "cp1256"


def path_text(path: str | os.PathLike) -> str:
    """A path as valid text (its bytes read with :func:`name_text` where they are not
    UTF-8), for reports: ``str(path)`` may hold lone surrogates."""
    return recover_name(os.fspath(path))[0]


def recover_name(name: str) -> tuple[str, bytes | None]:
    """A name from ``os.scandir`` as valid text: bytes that were not UTF-8 come as lone
    surrogates (``surrogateescape``), which no Arrow column or JSON file accepts; they are
    decoded with :func:`name_text`. Returns ``(name, raw bytes or None if unchanged)``."""
    try:
        name.encode("utf-8")
        return name, None
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        return name_text(raw)[0], raw


def name_note(what: str, raw: bytes, encoding: str = "cp1256") -> str:
    """The warning that a name was recovered: what it is, how it was read, its bytes."""
    return f"{what} is not UTF-8: read as {encoding} (bytes {raw[:120]!r})"


def member_name(name: str) -> str:
    """An archive member's name as a path below the archive: ``/``-separated, no ``./``."""
    name = name.replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name


def _unsafe_member(name: str) -> str | None:
    clean = name.replace("\\", "/")
    if clean.startswith("/") or R.RE_DRIVE.match(clean):
        return "unsafe archive member: absolute path"
    if ".." in clean.split("/"):
        return "unsafe archive member: '..' in path"
    return None


def container_kind(name: str) -> tuple[str, bool]:
    """How a file is opened, from its name: ``("zip" | "tar" | "compressed" | "file",
    wrapped)``; ``wrapped`` when a compression suffix around it is undone first
    (``a.zip.gz``). ``.tar.gz`` and the like are tars (their compression is sniffed)."""
    low = name.lower()
    if low.endswith(".zip"):
        return "zip", False
    if low.endswith(ARCHIVE_SUFFIXES):
        return "tar", False
    inner = inner_name(name)
    if inner == name:
        return "file", False
    low = inner.lower()
    if low.endswith(".zip"):
        return "zip", True
    if low.endswith(ARCHIVE_SUFFIXES):
        return "tar", True
    return "compressed", True


# ---------------------------------------------------------------------------------------
# compressed streams
# ---------------------------------------------------------------------------------------


class ArchiveDamaged(ValueError):
    """The archive being read ends early or is malformed (not one member's problem)."""


def read_up_to(f, n: int) -> bytes:
    """Up to ``n`` bytes (fewer only at the end of ``f``)."""
    parts, have = [], 0
    while have < n:
        chunk = f.read(n - have)
        if not chunk:
            break
        parts.append(chunk)
        have += len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


class _Prefixed(io.RawIOBase):
    """``head`` followed by the rest of ``f`` (a peek without seeking)."""

    def __init__(self, head: bytes, f):
        self.head, self.f = head, f

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if self.head:
            n = min(len(b), len(self.head))
            b[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        if hasattr(self.f, "readinto"):
            return self.f.readinto(b)
        data = self.f.read(len(b))
        b[:len(data)] = data
        return len(data)


_MAGICS = ((b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"),
           (b"\x28\xb5\x2f\xfd", "zstd"))


def _zstd_errors() -> tuple[type[BaseException], ...]:
    try:
        import zstandard
    except ImportError:
        return ()
    return (zstandard.ZstdError,)


#: What a damaged compressed stream or archive raises while it is read.
READ_ERRORS = (OSError, EOFError, ValueError, zipfile.BadZipFile, zlib_error, lzma.LZMAError,
               NotImplementedError, *_zstd_errors())


def decompressor(raw, *, required: bool = True):
    """A reader of the decompressed bytes of ``raw`` (gzip, bzip2, xz or zstd, told by its
    first bytes, not its name; concatenated members and frames are read on). Without a
    known signature: ``raw`` itself, or ``ValueError`` when ``required``."""
    magic = read_up_to(raw, 6)
    src = _Prefixed(magic, raw)
    kind = next((k for m, k in _MAGICS if magic.startswith(m)), None)
    if kind == "gzip":
        return gzip.GzipFile(fileobj=src, mode="rb")
    if kind == "bzip2":
        return bz2.BZ2File(src)
    if kind == "xz":
        return lzma.LZMAFile(src)
    if kind == "zstd":
        try:
            import zstandard
        except ImportError:                       # pragma: no cover - a dependency
            raise ValueError("zstd data (install the zstandard package)") from None
        return zstandard.ZstdDecompressor().stream_reader(_ZstdFrames(src),
                                                          read_across_frames=True)
    if required:
        raise ValueError("not compressed data (no gzip, bzip2, xz or zstd signature)")
    return src


class _ZstdFrames(io.RawIOBase):
    """A zstd stream passed through unchanged, its frame structure followed (RFC 8878: frame
    header, block headers, checksum; skippable frames), so that a file ending inside a
    frame raises ``EOFError`` as gzip, bzip2 and xz do (the zstd reader just stops)."""

    _MAGIC = b"\x28\xb5\x2f\xfd"

    def __init__(self, f):
        self.f, self.skip, self.head, self.state, self.checksum = f, 0, b"", "magic", 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        with memoryview(b) as view:
            n = self.f.readinto(view)
            if n:
                self._follow(bytes(view[:n]))
            elif self.skip or self.head or self.state != "magic":
                raise EOFError("compressed file ended before the end of its last frame")
            return n

    def _follow(self, data: bytes) -> None:
        pos = 0
        while pos < len(data):
            if self.skip:
                step = min(self.skip, len(data) - pos)
                self.skip -= step
                pos += step
                continue
            need = {"magic": 4, "skippable": 4, "descriptor": 1, "block": 3}[self.state]
            take = data[pos:pos + need - len(self.head)]
            self.head += take
            pos += len(take)
            if len(self.head) == need:
                head, self.head = self.head, b""
                self._header(head)

    def _header(self, head: bytes) -> None:
        if self.state == "magic":
            if head == self._MAGIC:
                self.state = "descriptor"
            elif head[0] & 0xF0 == 0x50 and head[1:] == b"\x2a\x4d\x18":
                self.state = "skippable"
            else:
                raise ValueError("not zstd data (bad frame magic number)")
        elif self.state == "skippable":
            self.skip, self.state = int.from_bytes(head, "little"), "magic"
        elif self.state == "descriptor":
            d = head[0]
            single = d >> 5 & 1
            self.checksum = 4 * (d >> 2 & 1)
            content_size = (single, 2, 4, 8)[d >> 6]
            self.skip = (0 if single else 1) + (0, 1, 2, 4)[d & 3] + content_size
            self.state = "block"
        else:
            block = int.from_bytes(head, "little")
            kind, size = block >> 1 & 3, block >> 3
            if kind == 3:
                raise ValueError("damaged zstd data (reserved block type)")
            self.skip = 1 if kind == 1 else size
            if block & 1:                        # the last block of the frame
                self.skip += self.checksum
                self.state = "magic"


def read_rest(f, head: bytes, path: str, budget: Budget, expected: int | None = None
              ) -> bytes:
    """``head`` and the rest of ``f`` as one ``bytes``, counted against ``budget``.

    ``expected`` is a size known for sure (a file's size on disk, a tar member's size): the
    bytes are then read straight into one object of that size, in chunks (held once).
    Otherwise (a decompressed stream, a zip member, whose declared size is not trusted)
    every chunk is counted as it arrives, before the next is read, and the chunks are
    joined at the end.
    """
    chunks = [head]
    if expected is not None and expected > len(head):
        budget.check(path, expected)
        data = io.BufferedReader(_Prefixed(head, f), _CHUNK).read(expected)
        chunks = [data]
    budget.take(path, len(chunks[0]))
    while chunk := f.read(_CHUNK):          # no size known, or more than it (a growing file)
        budget.take(path, len(chunk))
        chunks.append(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


# ---------------------------------------------------------------------------------------
# tar
# ---------------------------------------------------------------------------------------


class TarMember(NamedTuple):
    name: str
    problem: str | None     # why the member is not read (link, device, unsafe path, ...)
    size: int = 0
    note: str | None = None     # the name was not UTF-8


_TAR_BLOCK = 512
_TAR_REGULAR = (b"0", b"\0", b"7")
_TAR_KINDS = {
    b"1": "hard link", b"2": "symbolic link", b"3": "character device",
    b"4": "block device", b"6": "FIFO",
}


class _Stream:
    """Reads over a (decompressing) file object: small exact reads through a buffer, large
    ones straight into the caller's buffer."""

    def __init__(self, f):
        self.f, self.buf, self.pos = f, b"", 0

    def _fill(self) -> bool:
        self.buf, self.pos = self.f.read(_CHUNK), 0
        return bool(self.buf)

    def read(self, n: int) -> bytes:
        """Up to ``n`` bytes (fewer only at the end); for headers and padding."""
        if self.pos + n <= len(self.buf):
            out = self.buf[self.pos:self.pos + n]
            self.pos += n
            return out
        parts = [self.buf[self.pos:]]
        have = len(parts[0])
        self.buf, self.pos = b"", 0
        while have < n and self._fill():
            take = self.buf[:n - have]
            self.pos = len(take)
            parts.append(take)
            have += len(take)
        return b"".join(parts)

    def readinto(self, view) -> int:
        view = view[:_CHUNK]
        if self.pos >= len(self.buf):
            if len(view) >= _CHUNK // 2:             # large: no copy through the buffer
                self.buf, self.pos = b"", 0
                return self.f.readinto(view)
            if not self._fill():
                return 0
        n = min(len(view), len(self.buf) - self.pos)
        view[:n] = memoryview(self.buf)[self.pos:self.pos + n]
        self.pos += n
        return n

    def skip(self, n: int, *, strict: bool = True) -> None:
        while n > 0:
            got = len(self.read(min(n, _CHUNK)))
            if not got:
                if strict:
                    raise ArchiveDamaged("truncated tar archive")
                return
            n -= got


class _Part(io.RawIOBase):
    """The next ``size`` bytes of a tar stream (one member) as a file."""

    def __init__(self, stream: _Stream, size: int):
        self.stream, self.left = stream, size

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = min(len(b), self.left)
        if n <= 0:
            return 0
        with memoryview(b) as view:
            got = self.stream.readinto(view[:n])
        if not got:
            raise ArchiveDamaged("truncated tar archive")
        self.left -= got
        return got

    def drain(self) -> None:
        self.stream.skip(self.left)
        self.left = 0


def _tar_bytes(field: bytes) -> bytes:
    return field.split(b"\0", 1)[0]


def _tar_number(field: bytes) -> int:
    if field[:1] in (b"\x80", b"\xff"):          # GNU base-256 encoding
        value = int.from_bytes(field[1:], "big")
        return -value if field[:1] == b"\xff" else value
    text = field.split(b"\0", 1)[0].strip()
    return int(text, 8) if text else 0


def iter_tar_members(raw) -> Iterator[tuple[TarMember, _Part | None]]:
    """Stream the members of a tar archive (ustar, GNU and pax formats; compressed or not)
    without extracting.

    Much faster than :mod:`tarfile` for archives of many small files (it parses only the
    fields needed here). Yields ``(member, part)`` for every non-directory member: ``part``
    reads the member's bytes (whatever the consumer leaves unread is skipped when it asks
    for the next member); links, devices and unsafe paths come with a ``problem`` and no
    part. Raises :class:`ArchiveDamaged` (a ``ValueError``) for a damaged archive.
    """
    stream = _Stream(decompressor(raw, required=False))
    long_name = long_link = None
    pax: dict[str, bytes] = {}
    global_pax: dict[str, bytes] = {}
    while True:
        header = stream.read(_TAR_BLOCK)
        if len(header) < _TAR_BLOCK or header == bytes(_TAR_BLOCK):
            return                                 # end of archive (or truncated padding)
        stored = _tar_number(header[148:156])
        computed = sum(header) - sum(header[148:156]) + 8 * 32
        if stored != computed:
            raise ArchiveDamaged("damaged tar header (bad checksum)")
        kind = header[156:157]
        size = _tar_number(header[124:136])
        if kind in (b"x", b"g", b"L", b"K"):       # metadata for the next member
            if not 0 <= size <= 1 << 20:
                raise ArchiveDamaged("damaged tar archive (oversized extended header)")
            data = stream.read(size)
            stream.skip(-size % _TAR_BLOCK, strict=False)
            if kind == b"L":
                long_name = _tar_bytes(data)
            elif kind == b"K":
                long_link = _tar_bytes(data)
            else:
                _parse_pax(data, global_pax if kind == b"g" else pax)
            continue
        name = _tar_bytes(header[0:100])
        link = _tar_bytes(header[157:257])
        if header[257:263] == b"ustar\0" and header[345:346] != b"\0":   # POSIX prefix
            name = _tar_bytes(header[345:500]) + b"/" + name
        fields = {**global_pax, **pax}
        raw_name = fields.get("path", long_name or name)
        raw_link = fields.get("linkpath", long_link or link)
        if "size" in fields:
            try:
                size = int(fields["size"])
            except ValueError:
                raise ArchiveDamaged("damaged pax header (size)") from None
        long_name = long_link = None
        pax = {}
        if size < 0:
            raise ArchiveDamaged("damaged tar header (negative size)")
        text, encoding = name_text(raw_name)
        note = name_note("member name", raw_name, encoding) if encoding else None
        is_dir = kind == b"5" or (kind in _TAR_REGULAR and text.endswith("/"))
        has_data = kind not in (b"1", b"2", b"3", b"4", b"5", b"6")
        problem = None
        if not is_dir:
            problem = _unsafe_member(text)
        if problem is None and not is_dir and kind not in _TAR_REGULAR:
            what = _TAR_KINDS.get(kind)
            if what in ("hard link", "symbolic link"):
                problem = f"{what} to {name_text(raw_link)[0]!r} (not followed)"
            elif what:
                problem = f"{what} member (not read)"
            else:
                problem = f"unsupported tar member type {kind!r}"
        length = size if has_data else 0
        if is_dir:
            stream.skip(length)
        else:
            member = TarMember(text, problem, length, note)
            part = _Part(stream, length) if problem is None else None
            yield member, part
            if part is not None:
                part.drain()
            else:
                stream.skip(length)
        stream.skip(-length % _TAR_BLOCK, strict=False)


def iter_tar(raw, budget: Budget, prefix: str) -> Iterator[tuple[TarMember, bytes]]:
    """:func:`iter_tar_members` with every readable member read whole (counted against
    ``budget`` under ``prefix + name``): ``(member, data)``."""
    for member, part in iter_tar_members(raw):
        if part is None:
            yield member, b""
            continue
        path = prefix + member_name(member.name)
        budget.check(path, member.size)
        yield member, read_rest(part, b"", path, budget, member.size)


def _parse_pax(data: bytes, into: dict[str, bytes]) -> None:
    pos = 0
    while pos < len(data):
        space = data.find(b" ", pos)
        if space < 0:
            break
        try:
            length = int(data[pos:space])
        except ValueError:
            raise ArchiveDamaged("damaged pax header") from None
        if length <= 0:
            raise ArchiveDamaged("damaged pax header")
        record = data[space + 1:pos + length - 1]
        key, _, value = record.partition(b"=")
        into[key.decode("utf-8", "replace")] = value
        pos += length


class Borrowed:
    """A tar member's part as a context manager that leaves it open (the tar reader skips
    what is left of it)."""

    def __init__(self, part: _Part):
        self.part = part

    def __enter__(self) -> _Part:
        return self.part

    def __exit__(self, *exc) -> None:
        return None


# ---------------------------------------------------------------------------------------
# zip
# ---------------------------------------------------------------------------------------


def zip_name(info: zipfile.ZipInfo) -> tuple[str, str | None]:
    """A member's name, and a note when it was recovered: without the UTF-8 flag (0x800)
    :mod:`zipfile` reads names as cp437; Windows archives hold them in the local code page,
    so the bytes are read again as UTF-8, else cp1256."""
    name = info.filename
    if info.flag_bits & 0x800 or name.isascii():
        return name, None
    raw = info.orig_filename.encode("cp437")
    text, encoding = name_text(raw)
    text = text.split("\0", 1)[0]
    note = name_note("member name (no UTF-8 flag)", raw, encoding) if encoding else None
    return text, note


def open_zip_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    """A reader of one member. bzip2 members are decompressed here, bounded per read
    (:mod:`zipfile` decompresses them without a bound on the output of one read)."""
    if info.compress_type == zipfile.ZIP_BZIP2:
        raw = copy.copy(info)
        raw.compress_type, raw.file_size, raw.CRC = zipfile.ZIP_STORED, info.compress_size, None
        return _Declared(bz2.BZ2File(zf.open(raw)), info)
    return zf.open(info)


class _Declared(io.RawIOBase):
    """A zip member's decompressed bytes held to what its entry declares, as :mod:`zipfile`
    does: no more than its size (then it is corrupt), and its CRC-32 checked at the end."""

    def __init__(self, f, info: zipfile.ZipInfo):
        self.f, self.left, self.crc, self.expected = f, info.file_size, 0, info.CRC

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        with memoryview(b) as view:
            data = self.f.read(min(len(view), self.left + 1))
            if len(data) > self.left:
                raise zipfile.BadZipFile("member larger than its declared size")
            if not data and self.crc != self.expected:
                raise zipfile.BadZipFile("Bad CRC-32")
            view[:len(data)] = data
        self.left -= len(data)
        self.crc = zlib_crc32(data, self.crc)
        return len(data)

    def close(self) -> None:
        self.f.close()
        super().close()


def zip_problem(info: zipfile.ZipInfo, name: str) -> str | None:
    """Why a zip member is not read (unsafe path, link, device), or None."""
    problem = _unsafe_member(name)
    if problem is None:
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            problem = "symbolic link (not followed)"
        elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) \
                or stat.S_ISSOCK(mode):
            problem = "device or FIFO member (not read)"
    return problem
