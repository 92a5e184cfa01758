"""``load_corpus``: a file, folder or archive into the articles frame and its report,
through the cache."""

from __future__ import annotations

import os
import time
import warnings as _warnings
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path

import pandas as pd

from .. import paths
from .cache import (
    cache_prefix, fingerprint, read_cache, stat_or_none, sweep_stale, terminate_cleanly,
    write_cache,
)
from .parse import load_uncached, prepare
from .schema import DEFAULT_MAX_TOTAL_BYTES, LoadReport, Result, check_strict
from .shards import is_shard_folder, load_shards


def load_corpus(
    path: str | os.PathLike,
    *,
    strict: bool = False,
    mapping: Mapping[str, str] | None = None,
    fmt: str | None = None,
    encoding: str | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike | None = None,
    progress: bool | None = None,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    workers: int | None = None,
) -> tuple[pd.DataFrame, LoadReport]:
    """Load a corpus (file, folder or archive) into one DataFrame of articles.

    Args:
        path: a file, a folder or a ``.zip`` / ``.tar`` / ``.tar.gz`` / ``.tgz`` archive;
            files may be compressed on their own (``articles.jsonl.gz``, ``.bz2``, ``.xz``,
            ``.zst``); archives inside archives are read one level deep.
        strict: raise :class:`CorpusError` (naming the file and the reason) at the first
            invalid file or record or undecodable byte, instead of skipping and reporting
            it. READMEs, hidden files and unsupported file types are still just skipped.
        mapping: our column -> the corpus' field name, for fields not recognised by
            :data:`FIELD_ALIASES`, e.g. ``{"body": "nass", "title": "onwan"}``.
        fmt: force a format for every file: one of :data:`FORMATS`.
        encoding: force a Python codec for every text file instead of detecting it.
        cache: reuse / store the parsed corpus as Parquet (see the module docstring).
        cache_dir: where the cache lives (default ``helpers.paths.PROCESSED``).
        progress: show a progress bar; ``None`` shows it only in a terminal or Jupyter.
        max_total_bytes: bound on the bytes read, counted as they are decompressed
            (files skipped unread do not count); beyond it :class:`CorpusError` is raised,
            before anything is read when the sizes on disk already exceed it.
        workers: processes parsing files (default: every core); small corpora are parsed
            in this process.

    A shard folder written by :func:`write_shards` is read back whole (with the report it
    was written with), without the cache.

    Returns:
        ``(articles, report)``: a DataFrame with the columns of :data:`COLUMNS` and a
        :class:`LoadReport`.

    >>> articles, report = load_corpus("data/raw/000_cf9720c646c5849c.txt", cache=False)   # doctest: +SKIP
    >>> articles.loc[0, ["title", "dateline"]].tolist()                  # doctest: +SKIP
    ['حفتر والسراج في موسكو لبحث مبادرة وقف إطلاق النار', 'موسكو']
    """
    root, opts, workers = prepare(path, fmt=fmt, encoding=encoding, mapping=mapping,
                                   workers=workers)
    if is_shard_folder(root):
        return load_shards(root)
    with terminate_cleanly():
        return _load(root, opts, strict=strict, cache=cache, cache_dir=cache_dir,
                     progress=progress, max_total_bytes=max_total_bytes, workers=workers)


def _load(root: Path, opts, *, strict: bool, cache: bool, cache_dir, progress,
          max_total_bytes: int, workers: int) -> tuple[pd.DataFrame, LoadReport]:
    """:func:`load_corpus` once the options are checked: through the cache, or parsed."""
    folder = Path(cache_dir) if cache_dir is not None else paths.PROCESSED
    exclude = frozenset(  # derived data is never part of a corpus (load_corpus("data"))
        (st.st_dev, st.st_ino) for st in (stat_or_none(d) for d in {folder, paths.PROCESSED}) if st)
    target = None
    if cache:
        started = time.perf_counter()
        sweep_stale(folder, force=True)     # what a killed load left behind
        key = fingerprint(root, opts, exclude, max_total_bytes)
        target = folder / f"{cache_prefix(root)}{key}.parquet"
        if target.exists():
            hit = read_cache(target)
            if hit is not None:
                frame, report = hit
                if strict:
                    check_strict(Result([], report.skipped, report.warnings, 0))
                report.from_cache, report.cache_path, report.fingerprint = True, str(target), key
                report.seconds = round(time.perf_counter() - started, 3)
                return frame, report

    frame, report = load_uncached(root, opts, strict=strict, workers=workers,
                                   max_total_bytes=max_total_bytes, progress=progress,
                                   exclude=exclude)
    if target is not None:
        report.fingerprint = key
        try:
            write_cache(target, frame, report)
            report.cache_path = str(target)
            for old in target.parent.glob(cache_prefix(root) + "*.parquet"):
                if old != target:
                    with suppress(OSError):
                        old.unlink()
        except OSError as e:
            _warnings.warn(f"could not write the corpus cache {target}: {e}", stacklevel=3)
    return frame, report


