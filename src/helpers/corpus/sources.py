"""Where the files come from: a folder, a file or an archive walked into :class:`Item`s, in
order: ``(path, bytes)`` to parse, or a reported skip. Folders are walked here (symbolic
links that leave the corpus not followed, loops and special files reported); archives (one
level of archives inside archives) and compressed files are read through :mod:`.archives`,
within the bound on the bytes decompressed. Nothing is ever extracted to disk.

What is read, and what is not (``docs/corpus-formats.md``, Safety and limits):

- a file is judged by its name first (:func:`.formats.skip_by_name`): hidden files, READMEs
  and unsupported types (a video, an image, ``.docx``) are never opened; the others by their
  first :data:`.formats.HEAD_BYTES` (:func:`.formats.skip_by_head`: binary files stop there);
- every byte handed to a parser is counted against ``max_total_bytes`` as it is decompressed
  (:class:`.archives.Budget`), whatever sizes an archive declares; skipped files are never
  counted; a folder already beyond the bound by its sizes on disk is refused before anything
  is read (:func:`precheck`);
- reads go into one buffer per file (no joined copies), so the largest file or archive
  member is held once.
"""

from __future__ import annotations

import errno
import io
import lzma
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple
from zlib import error as zlib_error

from .archives import (
    READ_ERRORS, ArchiveDamaged, Borrowed, Budget, container_kind, decompressor,
    iter_tar_members, member_name, name_note, open_zip_member, read_rest, read_up_to,
    recover_name, zip_name, zip_problem,
)
from .formats import HEAD_BYTES, hidden_or_system, skip_by_head, skip_by_name
from .schema import IGNORED, INVALID, UNSAFE, CorpusError, LoadWarning, Options, Skipped

_NAME_NOTE = "file_name"           # LoadWarning kind of a recovered file name
_NO_OPTIONS = Options(None, None, ())
#: Archives inside archives are opened this many levels down (1: a zip inside a tar.gz).
MAX_NESTING = 1


class Item:
    """One entry of the corpus: a file's bytes to parse, or the reason it is skipped.

    ``take()`` hands the bytes over and forgets them, so that the parser holds the only
    reference (and can free them once decoded).
    """

    __slots__ = ("path", "rel", "container", "data", "skip", "warnings")

    def __init__(self, path: str, rel: str, container: int, data: bytes | None = None,
                 skip: Skipped | None = None, warnings: list[LoadWarning] | None = None):
        self.path, self.rel, self.container = path, rel, container
        self.data, self.skip, self.warnings = data, skip, warnings or []

    def take(self) -> bytes | None:
        data, self.data = self.data, None
        return data


# ---------------------------------------------------------------------------------------
# folders
# ---------------------------------------------------------------------------------------


class Entry(NamedTuple):
    rel: str                        # path below the root, "/"-separated, valid text
    path: Path | None               # where to open it (None: not a readable file)
    problem: str | None = None      # why it is not read
    kind: str = INVALID             # skip kind of the problem
    notes: tuple[str, ...] = ()     # file-name recoveries to report with this entry


def walk_folder(root: Path, exclude: frozenset = frozenset()) -> list[Entry]:
    """Every file below ``root``, sorted by name, as :class:`Entry`.

    Symbolic links are followed when their target stays inside ``root`` (a link to
    ``/etc/passwd`` or ``../outside`` is reported, not followed); loops, broken links and
    special files are reported. Folders in ``exclude`` (``(st_dev, st_ino)`` pairs: the
    cache folders) are left out entirely. Names that are not UTF-8 are recovered
    (:func:`recover_name`) and noted with the first file below them.
    """
    out: list[Entry] = []
    visited: set[tuple[int, int]] = set()     # folders walked
    ancestors: set[tuple[int, int]] = set()   # folders being walked (a loop returns to one)
    top = os.path.realpath(root)
    top_slash = top.rstrip(os.sep) + os.sep
    pending: list[str] = []          # notes of recovered folder names, for the next file

    def inside(target: str) -> bool:
        return target == top or target.startswith(top_slash)

    def add(rel: str, path: Path | None, problem: str | None = None, kind: str = INVALID,
            own: str | None = None) -> None:
        notes = (*pending, own) if own else tuple(pending)
        pending.clear()
        out.append(Entry(rel, path, problem, kind, notes))

    def walk(folder: Path, rel: str, linked: bool = False) -> None:
        st = folder.stat()
        key = (st.st_dev, st.st_ino)
        if key in exclude:
            return
        if key in ancestors:
            add(rel or ".", None, "symbolic link loop (not followed)")
            return
        if linked and key in visited:      # a link to a folder read already: once is enough
            add(rel, None, "symbolic link to a folder read already (not followed)")
            return
        visited.add(key)
        ancestors.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            add(rel or ".", None, f"unreadable folder ({e.strerror})")
            ancestors.discard(key)
            return
        for entry in entries:
            name, raw = recover_name(entry.name)
            child = f"{rel}/{name}" if rel else name
            try:
                if entry.is_symlink() and not inside(os.path.realpath(entry.path)):
                    add(child, None, "symbolic link pointing outside the corpus (not followed)",
                        UNSAFE, own=raw and name_note("file name", raw))
                elif entry.is_dir():
                    mark = len(pending)
                    if raw:
                        pending.append(name_note(f"folder name {name!r}", raw))
                    walk(Path(entry.path), child, entry.is_symlink())
                    del pending[mark:]
                elif entry.is_file():
                    add(child, Path(entry.path), own=raw and name_note("file name", raw))
                elif entry.is_symlink():
                    add(child, None, _link_problem(entry.path))
                else:
                    add(child, None, "not a regular file (device, FIFO or socket)")
            except OSError as e:
                add(child, None, "symbolic link loop (not followed)" if e.errno == errno.ELOOP
                    else f"unreadable ({e.strerror})")
        ancestors.discard(key)

    walk(root, "")
    return out


def _link_problem(path: str) -> str:
    try:
        os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "symbolic link loop (not followed)"
    return "broken symbolic link"


def precheck(entries: list[Entry], budget: Budget, opts: Options) -> None:
    """Raise :class:`CorpusError` before anything is read (or hashed) when the files that
    would be read are already beyond the bound by their sizes on disk.

    Plain files count their size; compressed files their size less 1/64 (they decompress to
    at least that); archives count nothing here (they may hold files that are not read) and
    are bounded while they are read. Only when the sum is over the bound are the heads of
    the files read, to leave out the binary ones (which the load skips uncounted).
    """
    sized: list[tuple[Entry, str, int]] = []
    total = budget.used
    for e in entries:
        if e.path is None:
            continue
        kind, _ = container_kind(e.rel)
        if kind in ("zip", "tar") or skip_by_name(e.rel, opts) is not None:
            continue
        try:
            size = e.path.stat().st_size
        except OSError:
            continue
        low = size if kind == "file" else max(0, size - size // 64 - 1024)
        sized.append((e, kind, low))
        total += low
    if total <= budget.limit:
        return
    running = budget.used
    for e, kind, low in sized:
        if low and _head_skipped(e, kind, opts):
            continue
        running += low
        if running > budget.limit:
            raise budget.error(e.rel)


def _head_skipped(e: Entry, kind: str, opts: Options) -> bool:
    try:
        with open(e.path, "rb") as f:
            stream = decompressor(f) if kind == "compressed" else f
            return skip_by_head(e.rel, read_up_to(stream, HEAD_BYTES), opts) is not None
    except (OSError, EOFError, ValueError, lzma.LZMAError, zlib_error):
        return False



# ---------------------------------------------------------------------------------------
# the source
# ---------------------------------------------------------------------------------------


class Source:
    """Yields every entry of the corpus in order, and tracks progress."""

    def __init__(self, root: Path, budget: Budget, bar, exclude: frozenset = frozenset(),
                 opts: Options | None = None):
        self.root, self.budget, self.bar, self.exclude = root, budget, bar, exclude
        self.opts = opts or _NO_OPTIONS
        self.containers: list[tuple[str, bool]] = []   # (path prefix, strip common top?)

    def _container(self, prefix: str, archive: bool) -> int:
        self.containers.append((prefix, archive))
        return len(self.containers) - 1

    def _warn(self, path: str, notes) -> list[LoadWarning]:
        return [LoadWarning(path, note, _NAME_NOTE) for note in notes]

    def items(self) -> Iterator[Item]:
        root = self.root
        if root.is_dir():
            entries = walk_folder(root, self.exclude)
            precheck(entries, self.budget, self.opts)
            self.bar.reset(total=len(entries))
            cid = self._container("", False)
            for entry in entries:
                yield from self._entry(entry, cid)
                self.bar.update(1)
            return
        name, raw = recover_name(root.name)
        entry = Entry(name, root, notes=(name_note("file name", raw),) if raw else ())
        precheck([entry], self.budget, self.opts)
        if container_kind(name)[0] in ("zip", "tar"):
            yield from self._disk_archive(entry, "", bar=True)
            return
        self.bar.reset(total=1)
        yield from self._entry(entry, self._container("", False))
        self.bar.update(1)

    def _entry(self, e: Entry, cid: int) -> Iterator[Item]:
        """One file of a folder (or the file given)."""
        warnings = self._warn(e.rel, e.notes)
        if e.problem:
            yield Item(e.rel, e.rel, cid, skip=Skipped(e.rel, e.problem, e.kind),
                       warnings=warnings)
            return
        kind, _ = container_kind(e.rel)
        if kind in ("zip", "tar") and not hidden_or_system(e.rel):
            yield from self._disk_archive(e, e.rel + "/", bar=False)
            return
        skip = skip_by_name(e.rel, self.opts)
        if skip is not None:
            yield Item(e.rel, e.rel, cid, skip=skip, warnings=warnings)
            return
        try:
            with open(e.path, "rb", buffering=0) as f:
                size = os.fstat(f.fileno()).st_size if kind == "file" else None
                item = self._leaf(f, kind, e.rel, e.rel, cid, warnings, size)
        except OSError as err:
            item = Item(e.rel, e.rel, cid, skip=Skipped(e.rel, f"unreadable ({err.strerror})"),
                        warnings=warnings)
        yield item

    def _leaf(self, f, kind: str, path: str, rel: str, cid: int,
              warnings: list[LoadWarning], size: int | None = None) -> Item:
        """A file to parse, read from ``f`` (decompressed first when ``kind`` is
        ``"compressed"``): its head decides whether the rest is read."""
        try:
            stream = decompressor(f) if kind == "compressed" else f
            head = read_up_to(stream, HEAD_BYTES)
            skip = skip_by_head(path, head, self.opts)
            if skip is not None:
                return Item(path, rel, cid, skip=skip, warnings=warnings)
            if size is not None:
                self.budget.check(path, size)
            data = read_rest(stream, head, path, self.budget, size)
        except ArchiveDamaged:
            raise
        except READ_ERRORS as err:
            if isinstance(err, CorpusError) or kind != "compressed":
                raise
            what = f"unreadable compressed file ({err})"
            return Item(path, rel, cid, skip=Skipped(path, what), warnings=warnings)
        return Item(path, rel, cid, data=data, warnings=warnings)

    def _disk_archive(self, e: Entry, prefix: str, *, bar: bool) -> Iterator[Item]:
        """An archive file of the folder (or the one given): its members under ``prefix``."""
        kind, wrapped = container_kind(e.rel)
        cid = self._container(prefix, True)
        label = prefix.rstrip("/") or e.rel

        def members() -> Iterator[Item]:
            if kind == "zip" and not wrapped:
                with zipfile.ZipFile(e.path) as zf:
                    yield from self._zip(zf, prefix, cid, 1, bar)
                return
            with open(e.path, "rb") as raw:
                if bar:
                    self.bar.reset(total=os.fstat(raw.fileno()).st_size)
                    self.bar.unit, self.bar.unit_scale = "B", True
                yield from self._stream_archive(raw, kind, wrapped, label, prefix, cid, 1,
                                                progress=raw if bar else None)

        yield from self._guarded(members(), label, cid, self._warn(label, e.notes))

    def _guarded(self, members: Iterator[Item], label: str, cid: int,
                 warnings: list[LoadWarning]) -> Iterator[Item]:
        """The members of one archive; a damaged one becomes one skipped entry, an empty one
        too (an archive must not vanish from the accounting)."""
        count = 0
        try:
            for item in members:
                if warnings:
                    item.warnings[:0] = warnings
                    warnings = []
                count += 1
                yield item
        except READ_ERRORS as err:
            if isinstance(err, CorpusError):
                raise
            yield Item(label, "", cid, skip=Skipped(label, f"unreadable archive ({err})"),
                       warnings=warnings)
        else:
            if count == 0:
                yield Item(label, "", cid, skip=Skipped(label, "archive holds no files"),
                           warnings=warnings)

    def _stream_archive(self, f, kind: str, wrapped: bool, label: str, prefix: str, cid: int,
                        depth: int, *, declared: int | None = None, progress=None
                        ) -> Iterator[Item]:
        """The members of an archive read from a stream: a tar as it streams, a zip (which
        needs random access) held in memory, counted against the bound."""
        stream = decompressor(f) if wrapped else f
        if kind == "tar":
            yield from self._tar(stream, prefix, cid, depth, progress)
            return
        if declared is not None and not wrapped:
            self.budget.check(label, declared)
        data = read_rest(stream, b"", label, self.budget, None if wrapped else declared)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:         # shares the bytes
            yield from self._zip(zf, prefix, cid, depth, progress is not None)

    def _member(self, opener, name: str, size: int | None, prefix: str, cid: int, depth: int,
                warnings: list[LoadWarning]) -> Iterator[Item]:
        """One readable member of an archive: a nested archive, or a file to parse.
        ``opener()`` gives its reader; ``size`` is its size when the archive format makes
        it certain (tar), else None (a zip's declared size is not trusted)."""
        path = prefix + name
        kind, wrapped = container_kind(name)
        if kind in ("zip", "tar") and not hidden_or_system(path):
            if depth >= 1 + MAX_NESTING:
                reason = "archive inside an archive inside an archive (not opened: " \
                         f"archives are opened {MAX_NESTING} level deep)"
                yield Item(path, name, cid, skip=Skipped(path, reason, IGNORED),
                           warnings=warnings)
                return
            inner = self._container(path + "/", True)
            with opener() as f:
                yield from self._guarded(
                    self._stream_archive(f, kind, wrapped, path, path + "/", inner, depth + 1,
                                         declared=size),
                    path, inner, warnings)
            return
        skip = skip_by_name(path, self.opts)
        if skip is not None:
            yield Item(path, name, cid, skip=skip, warnings=warnings)
            return
        try:
            with opener() as f:
                item = self._leaf(f, kind, path, name, cid, warnings,
                                  size if kind == "file" else None)
        except ArchiveDamaged:
            raise
        except READ_ERRORS as err:
            if isinstance(err, CorpusError):
                raise
            item = Item(path, name, cid, skip=Skipped(path, f"corrupt archive member ({err})"),
                        warnings=warnings)
        yield item

    def _tar(self, stream, prefix: str, cid: int, depth: int, progress) -> Iterator[Item]:
        done = 0
        for n, (member, part) in enumerate(iter_tar_members(stream)):
            if progress is not None and n % 256 == 0:
                pos = progress.tell()
                self.bar.update(pos - done)
                done = pos
            name = member_name(member.name)
            path = prefix + name
            warnings = self._warn(path, [member.note] if member.note else [])
            if member.problem:
                yield Item(path, name, cid, skip=Skipped(path, member.problem, UNSAFE),
                           warnings=warnings)
                continue
            yield from self._member(lambda part=part: Borrowed(part), name, member.size,
                                    prefix, cid, depth, warnings)
        if progress is not None:
            self.bar.update(os.fstat(progress.fileno()).st_size - done)

    def _zip(self, zf: zipfile.ZipFile, prefix: str, cid: int, depth: int, bar: bool
             ) -> Iterator[Item]:
        infos = zf.infolist()
        if bar:
            self.bar.reset(total=len(infos))
        for info in infos:
            if bar:
                self.bar.update(1)
            if info.is_dir():
                continue
            text, note = zip_name(info)
            name = member_name(text)
            path = prefix + name
            warnings = self._warn(path, [note] if note else [])
            problem = zip_problem(info, text)
            if problem:
                yield Item(path, name, cid, skip=Skipped(path, problem, UNSAFE),
                           warnings=warnings)
                continue
            if info.flag_bits & 0x1:
                yield Item(path, name, cid, skip=Skipped(path, "encrypted member"),
                           warnings=warnings)
                continue
            yield from self._member(lambda info=info: open_zip_member(zf, info), name, None,
                                    prefix, cid, depth, warnings)
