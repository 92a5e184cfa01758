"""The parsed corpus kept as Parquet in ``data/processed/``, keyed by the input's content;
and derived frames the notebooks pass on (:func:`save_processed`, :func:`load_processed`).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from contextlib import suppress
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import paths
from .. import resources as R
from .schema import LoadReport, Options, conform
from .sources import walk_folder

LOADER_VERSION = "4"


_REPORT_KEY = b"helpers.load_report"

def fingerprint(root: Path, opts: Options, exclude: frozenset = frozenset()) -> str:
    """Hash of the input content, the loader version and the options."""
    h = hashlib.blake2b(digest_size=16)
    h.update(json.dumps([LOADER_VERSION, opts.fmt, opts.encoding, sorted(opts.mapping)])
             .encode())
    if root.is_dir():
        for rel, abspath, problem in walk_folder(root, exclude):
            h.update(rel.encode("utf-8", "surrogateescape") + b"\0")
            if abspath is None:
                h.update(b"!" + (problem or "").encode() + b"\0")
                continue
            _hash_file(h, abspath)
    else:
        h.update(root.name.encode("utf-8", "surrogateescape") + b"\0")
        _hash_file(h, root)
    return h.hexdigest()


def stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _hash_file(h, path: Path) -> None:
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    h.update(b"\0\0")


def cache_prefix(root: Path) -> str:
    name = R.RE_UNSAFE_FILENAME_CHARS.sub("_", root.name)[:40] or "corpus"
    where = hashlib.blake2b(str(root).encode("utf-8", "surrogateescape"), digest_size=4)
    return f"corpus-{name}-{where.hexdigest()}-"


def atomic_parquet(table: pa.Table, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
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

