"""The parsed corpus kept as Parquet in ``data/processed/``, keyed by the input's content;
and derived frames the notebooks pass on (:func:`save_processed`, :func:`load_processed`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import paths
from .. import resources as R
from .archives import Budget, container_kind, recover_name
from .formats import HEAD_BYTES, skip_by_head, skip_by_name
from .schema import DEFAULT_MAX_TOTAL_BYTES, LoadReport, Options, conform
from .sources import Entry, precheck, walk_folder

LOADER_VERSION = "5"


_REPORT_KEY = b"helpers.load_report"

def fingerprint(root: Path, opts: Options, exclude: frozenset = frozenset(),
                max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES) -> str:
    """Hash of the input, the loader version, the options and the bound ``max_total_bytes``
    (what is left of it decides whether a Parquet file is read: a file skipped for the
    bound is parsed again once the bound is raised, not served from the cache).

    Every file the load reads is hashed by content (its path too); a file it never reads
    (skipped by its name, or binary by its first bytes: a video, an image) by its path,
    size and modification time, so that a 4 GB video is not read to be hashed. Before any
    hashing, the sizes of the files are checked against ``max_total_bytes``
    (:func:`.sources.precheck`): a corpus too large to load raises :class:`CorpusError`
    at once.
    """
    h = hashlib.blake2b(digest_size=16)
    h.update(json.dumps([LOADER_VERSION, opts.fmt, opts.encoding, sorted(opts.mapping),
                         max_total_bytes]).encode())
    if root.is_dir():
        entries = walk_folder(root, exclude)
    else:
        entries = [Entry(recover_name(root.name)[0], root)]
    precheck(entries, Budget(max_total_bytes), opts)
    for e in entries:
        h.update(e.rel.encode("utf-8", "surrogateescape") + b"\0")
        if e.path is None:
            h.update(b"!" + (e.problem or "").encode() + b"\0")
            continue
        kind, _ = container_kind(e.rel)
        archive = kind in ("zip", "tar")
        if not archive and skip_by_name(e.rel, opts) is not None:
            _hash_stat(h, e.path)
        else:
            _hash_file(h, e.path, None if archive or kind == "compressed" else e.rel, opts)
    return h.hexdigest()


def stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _hash_stat(h, path: Path) -> None:
    st = stat_or_none(path)
    h.update(b"?" + (f"{st.st_size}:{st.st_mtime_ns}" if st else "-").encode() + b"\0\0")


def _hash_file(h, path: Path, rel: str | None, opts: Options) -> None:
    """The content of ``path``; when ``rel`` is given, only if its first bytes do not make
    the load skip it (then its size and time)."""
    try:
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
            if rel is not None and skip_by_head(rel, head, opts) is not None:
                _hash_stat(h, path)
                return
            h.update(head)
            while chunk := f.read(1 << 20):
                h.update(chunk)
    except OSError as e:
        h.update(b"!" + str(e.strerror).encode())
    h.update(b"\0\0")


def cache_prefix(root: Path) -> str:
    name = R.RE_UNSAFE_FILENAME_CHARS.sub("_", root.name)[:40] or "corpus"
    where = hashlib.blake2b(str(root).encode("utf-8", "surrogateescape"), digest_size=4)
    return f"corpus-{name}-{where.hexdigest()}-"


# ---------------------------------------------------------------------------------------
# temporary files: named after the process writing them, removed by the next load when
# that process is gone (a killed load cannot clean up after itself)
# ---------------------------------------------------------------------------------------

#: Temporary files and folders of this package: ``.<name>.pid<N>.<random>.tmp`` (being
#: written, then renamed), ``.raw-pid<N>-<k>.parquet`` (unfinished shards) and
#: ``corpus-shards-pid<N>-<random>`` (:func:`iter_corpus`'s folder).
RE_TEMP_NAME = re.compile(r"^(?:\..+\.pid(\d+)\.[^.]+\.tmp|\.raw-pid(\d+)-\d+\.parquet"
                          r"|corpus-shards-pid(\d+)-.+)$")
_SWEPT: dict[str, float] = {}
_SWEEP_EVERY = 10.0        # seconds between two sweeps of one folder by one process


def temp_tag() -> str:
    """``pid<N>``: marks a temporary name as this process'."""
    return f"pid{os.getpid()}"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True          # another user's process, or cannot tell: leave its files
    return True


def sweep_stale(folder: str | os.PathLike, *, force: bool = False) -> list[Path]:
    """Remove the temporary files (and folders) in ``folder`` left by processes that no
    longer run (a load killed with SIGKILL cannot remove its own). Those of running
    processes are left alone. At most every few seconds per folder unless ``force``.

    Returns:
        What was removed.
    """
    key = os.fspath(folder)
    now = time.monotonic()
    if not force and now - _SWEPT.get(key, -_SWEEP_EVERY) < _SWEEP_EVERY:
        return []
    _SWEPT[key] = now
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = RE_TEMP_NAME.match(entry.name)
        if m is None or _alive(int(next(g for g in m.groups() if g))):
            continue
        with suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


@contextmanager
def terminate_cleanly() -> Iterator[None]:
    """While loading or writing, SIGTERM ends the process as Ctrl-C would (the temporary
    files are removed on the way out) instead of at once. Only in the main thread, and only
    when no other handler was installed; the previous one is restored after."""
    if threading.current_thread() is not threading.main_thread() \
            or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def atomic_parquet(table: pa.Table, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale(target.parent)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{temp_tag()}.",
                               suffix=".tmp")
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="lz4")   # fastest to read back
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)                   # mkstemp makes it private
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def write_cache(target: Path, frame: pd.DataFrame, report: LoadReport) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[_REPORT_KEY] = json.dumps(report.to_dict(), ensure_ascii=False).encode()
    atomic_parquet(table.replace_schema_metadata(meta), target)


def read_cache(target: Path) -> tuple[pd.DataFrame, LoadReport] | None:
    try:
        table = pq.read_table(target)
        meta = table.schema.metadata or {}
        report = LoadReport.from_dict(json.loads(meta[_REPORT_KEY]))
        frame = table.to_pandas()
    except (OSError, KeyError, ValueError, pa.ArrowException):
        return None
    return conform(frame), report



def _processed_path(name: str, directory: str | os.PathLike | None) -> Path:
    stem = name[:-8] if name.endswith(".parquet") else name
    if not R.RE_PROCESSED_NAME.match(stem):
        raise ValueError(f"not a plain file name: {name!r} (letters, digits, _ . - only)")
    return Path(directory if directory is not None else paths.PROCESSED) / f"{stem}.parquet"


def save_processed(df: pd.DataFrame, name: str, *,
                   directory: str | os.PathLike | None = None) -> Path:
    """Store a derived DataFrame as ``data/processed/<name>.parquet``, atomically.

    Dtypes, the index and list columns (e.g. tokens) survive the round trip through
    :func:`load_processed`.

    Args:
        df: the DataFrame (not modified).
        name: a plain file name such as ``"01-clean"`` (``.parquet`` is added).
        directory: another folder than ``helpers.paths.PROCESSED`` (tests).

    Returns:
        The path written.

    >>> save_processed(pd.DataFrame({"title": ["خبر"]}), "demo")     # doctest: +SKIP
    PosixPath('.../data/processed/demo.parquet')
    """
    target = _processed_path(name, directory)
    atomic_parquet(pa.Table.from_pandas(df), target)
    return target


def load_processed(name: str, *, directory: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read back a DataFrame stored with :func:`save_processed`.

    Args:
        name: the name given to :func:`save_processed`.
        directory: another folder than ``helpers.paths.PROCESSED``.

    Returns:
        The DataFrame, with list columns as Python lists.

    >>> load_processed("demo")["title"].tolist()                      # doctest: +SKIP
    ['خبر']
    """
    target = _processed_path(name, directory)
    if not target.exists():
        raise FileNotFoundError(f"{target} does not exist: run the notebook that saves "
                                f"{name!r} first")
    table = pq.read_table(target)
    frame = table.to_pandas()
    for name_, typ in zip(table.column_names, table.schema.types):
        if name_ in frame.columns and (pa.types.is_list(typ) or pa.types.is_large_list(typ)):
            frame[name_] = pd.Series(table.column(name_).to_pylist(), index=frame.index,
                                     dtype=object)
    return frame


#: Token caches kept per folder (the most recently used ones; each is one tokenisation of

