"""Corpora larger than memory: Parquet shards written in one bounded pass, read back shard by
shard, whole, or as a ``dask.dataframe``."""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import paths
from .archives import Budget, path_text
from .cache import (
    LOADER_VERSION, atomic_parquet, cache_prefix, fingerprint, stat_or_none, sweep_stale,
    temp_tag, terminate_cleanly,
)
from .parse import Tops, case_mapping, iter_parsed, place_fields, prepare, progress_bar, raw_frame
from .schema import (
    COLUMNS, DATE, DEFAULT_MAX_TOTAL_BYTES, STRING, CorpusError, LoadReport, Result,
    check_strict, conform, string_array,
)
from .sources import Source

SHARD_MANIFEST = "_shards.json"
_SHARD_FORMAT = 1
_SHARD_NAME = "part-{:05d}.parquet"
#: Default articles per shard: about 35 MB of text and a few hundred MB once tokenised.
DEFAULT_SHARD_ROWS = 10_000
_PLACE_COLUMNS = ("_cid", "_rel")


def is_shard_folder(root: Path) -> bool:
    return root.is_dir() and (root / SHARD_MANIFEST).is_file()


def _shard_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / SHARD_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise CorpusError(str(folder), f"not a shard folder ({e})") from None
    if manifest.get("format") != _SHARD_FORMAT:
        raise CorpusError(str(folder), "shards written by another version; write them again")
    return manifest


def shard_paths(folder: str | os.PathLike) -> list[Path]:
    """The Parquet shards of a folder written by :func:`write_shards`, in corpus order.

    Args:
        folder: the shard folder.

    Returns:
        The shard files (``part-00000.parquet``, ...), which is what Dask or any Parquet
        reader is pointed at.

    >>> [p.name for p in shard_paths("data/processed/ant-shards")][:2]   # doctest: +SKIP
    ['part-00000.parquet', 'part-00001.parquet']
    """
    folder = Path(folder)
    return [folder / name for name in _shard_manifest(folder)["shards"]]


def shard_report(folder: str | os.PathLike) -> LoadReport:
    """The :class:`LoadReport` of the corpus a shard folder was written from."""
    return LoadReport.from_dict(_shard_manifest(Path(folder))["report"])


def _read_shard(path: Path, start: int, columns: list[str] | None = None) -> pd.DataFrame:
    frame = pq.read_table(path, columns=columns).to_pandas()
    if columns is None and all(c in frame.columns for c in COLUMNS):
        frame = conform(frame)
    frame.index = pd.RangeIndex(start, start + len(frame))
    return frame


def iter_shards(folder: str | os.PathLike, *, columns: list[str] | None = None
                ) -> Iterator[pd.DataFrame]:
    """The articles of a shard folder, one DataFrame per shard (see :func:`iter_corpus`)."""
    folder = Path(folder)
    manifest = _shard_manifest(folder)
    start = 0
    for name, rows in zip(manifest["shards"], manifest["rows"]):
        yield _read_shard(folder / name, start, columns)
        start += rows


def iter_corpus(
    path: str | os.PathLike,
    *,
    chunk_size: int = DEFAULT_SHARD_ROWS,
    columns: list[str] | None = None,
    **options: Any,
) -> Iterator[pd.DataFrame]:
    """Read a corpus chunk by chunk, in bounded memory: DataFrames of the usual schema.

    Concatenated, the chunks are exactly ``load_corpus(path)[0]`` (same rows, order,
    values and dtypes; each chunk's index continues the previous one). A shard folder
    (:func:`write_shards`) is read shard by shard; any other input is first written as
    shards to a temporary folder, deleted at the end -- one parsing pass in bounded
    memory, because the sources and categories read from folders, and the merging of their
    letter-case spellings, depend on the whole corpus.

    Args:
        path: a corpus (anything :func:`load_corpus` accepts) or a shard folder.
        chunk_size: articles per chunk (when the shards are written here).
        columns: read only these columns (shard folders; e.g. ``["source", "body"]``).
        **options: passed to :func:`write_shards` (``strict``, ``mapping``, ``fmt``, ...).

    Yields:
        DataFrames with the columns of :data:`COLUMNS` (or ``columns``).

    >>> sum(len(chunk) for chunk in iter_corpus("ant-multisource-v2.1.tar.gz"))   # doctest: +SKIP
    31525
    """
    root = Path(path).expanduser()
    if is_shard_folder(root):
        yield from iter_shards(root, columns=columns)
        return
    sweep_stale(tempfile.gettempdir(), force=True)   # folders of killed runs
    with tempfile.TemporaryDirectory(prefix=f"corpus-shards-{temp_tag()}-") as tmp:
        write_shards(root, tmp, shard_rows=chunk_size, **options)
        yield from iter_shards(tmp, columns=columns)


@terminate_cleanly()
def write_shards(
    path: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    shard_rows: int = DEFAULT_SHARD_ROWS,
    strict: bool = False,
    mapping: Mapping[str, str] | None = None,
    fmt: str | None = None,
    encoding: str | None = None,
    progress: bool | None = None,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    workers: int | None = None,
) -> tuple[list[Path], LoadReport]:
    """Parse a corpus into Parquet shards of ``shard_rows`` articles, in bounded memory.

    The corpus is parsed as by :func:`load_corpus` (same options, same values), but only
    about one shard of articles is held at a time (shards hold at most ``shard_rows``
    articles; the records of one file are parsed together, so a single file must fit in
    memory). Folder-derived sources and categories and the
    merging of letter-case spellings need the whole corpus: each shard is written raw, and
    those two columns are fixed in a second, light pass over the shards. The folder then
    holds ``part-00000.parquet``, ... and :data:`SHARD_MANIFEST` (shard list, row counts
    and the :class:`LoadReport`). ``load_corpus(out_dir)`` reads it back whole,
    :func:`iter_corpus` shard by shard, ``dask.dataframe.read_parquet`` in parallel.

    Args:
        path: the corpus (file, folder or archive).
        out_dir: folder for the shards (created; earlier shards in it are replaced).
        shard_rows: articles per shard.
        strict, mapping, fmt, encoding, progress, max_total_bytes, workers: as for
            :func:`load_corpus`.

    Returns:
        ``(shard paths, report)``; the report is the one :func:`load_corpus` gives
        (duplicate bodies are counted from 64-bit hashes of the bodies).

    >>> shards, report = write_shards("ant-multisource-v2.1.tar.gz", "/tmp/ant")   # doctest: +SKIP
    >>> len(shards), report.loaded                                      # doctest: +SKIP
    (4, 31525)
    """
    if shard_rows < 1:
        raise ValueError("shard_rows must be at least 1")
    root, opts, workers = prepare(path, fmt=fmt, encoding=encoding, mapping=mapping,
                                   workers=workers)
    if is_shard_folder(root):
        raise ValueError(f"{path} is already a shard folder")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sweep_stale(out, force=True)            # unfinished shards of a killed run
    for old in list(out.glob("part-*.parquet")) + [out / SHARD_MANIFEST]:
        with suppress(OSError):
            old.unlink()
    started = time.perf_counter()
    folder = paths.PROCESSED
    exclude = frozenset((st.st_dev, st.st_ino) for st in (stat_or_none(d) for d in {folder, out}) if st)
    bar = progress_bar(progress, root.name)
    source = Source(root, Budget(max_total_bytes), bar, exclude, opts)
    tops = Tops()
    report = LoadReport(corpus=path_text(root))
    formats: Counter = Counter()
    date_forms: Counter = Counter()
    hashes: list[np.ndarray] = []
    raw: list[tuple[Path, int]] = []
    results: list[Result] = []
    places: list[list[tuple[int, str]]] = []
    pending_rows = 0

    def flush() -> None:
        nonlocal results, places, pending_rows
        if not results:
            return
        frame, fmts, row_places, dates = raw_frame(results, places)
        formats.update(fmts)
        date_forms.update(dates.forms)
        report.dates_unread += dates.unread
        for res in results:        # in file order, with the date warnings raw_frame added
            if strict:
                check_strict(res)
            report.warnings.extend(res.warnings)
        tops.add(row_places)
        if len(frame):
            bodies = frame["body"].dropna()
            hashes.append(pd.util.hash_array(bodies.to_numpy(dtype=object)))
            frame["_cid"] = np.array([c for c, _ in row_places], dtype=np.int32)
            frame["_rel"] = string_array([r for _, r in row_places])
            for start in range(0, len(frame), shard_rows):   # a big file spans shards
                part = frame.iloc[start:start + shard_rows]
                target = out / f".raw-{temp_tag()}-{len(raw):05d}.parquet"
                atomic_parquet(pa.Table.from_pandas(part, preserve_index=False), target)
                raw.append((target, len(part)))
        results, places, pending_rows = [], [], 0

    try:
        for res, place in iter_parsed(source, opts, strict=strict, workers=workers):
            report.seen += res.seen
            report.files += 1
            report.skipped.extend(res.skipped)
            results.append(res)      # its warnings are reported when it is flushed
            places.append([place])
            pending_rows += len(res.rows)
            if pending_rows >= shard_rows:
                flush()
        flush()
    finally:
        bar.close()

    # second pass: folder-derived fields with the whole corpus' common top folder, then the
    # letter-case spellings merged over the whole corpus (as canonical_case does)
    resolved = tops.resolve(source.containers)
    spellings = {"source": Counter(), "category": Counter()}
    first_seen: dict[str, dict[str, int]] = {"source": {}, "category": {}}

    def fields(table: pa.Table) -> dict[str, pd.Series]:
        frame = table.select(["source", "category", *_PLACE_COLUMNS]).to_pandas()
        places_ = list(zip(frame["_cid"].tolist(), frame["_rel"].tolist()))
        derived = place_fields(resolved, places_)
        return {col: frame[col].astype(STRING).fillna(
                    pd.Series(string_array(values), index=frame.index))
                for col, values in zip(("source", "category"), derived)}

    for target, _ in raw:
        for col, values in fields(pq.read_table(target, columns=["source", "category",
                                                                *_PLACE_COLUMNS])).items():
            present = values.dropna()
            spellings[col].update(present.value_counts(sort=False).to_dict())
            for v in pd.unique(present):
                first_seen[col].setdefault(v, len(first_seen[col]))
    mappings = {col: case_mapping(spellings[col], first_seen[col]) for col in spellings}
    names, rows = [], []
    encodings: Counter = Counter()
    for n, (target, count) in enumerate(raw):
        table = pq.read_table(target)
        fixed = fields(table)
        frame = table.drop_columns(list(_PLACE_COLUMNS)).to_pandas()
        for col in ("source", "category"):
            values = fixed[col]
            if mappings[col]:
                values = values.map(lambda v, m=mappings[col]: m.get(v, v) if isinstance(v, str)
                                    else v).astype(STRING)
            frame[col] = values
        frame = conform(frame)
        encodings.update(frame["encoding"].value_counts().to_dict())
        name = _SHARD_NAME.format(n)
        atomic_parquet(pa.Table.from_pandas(frame, preserve_index=False), out / name)
        target.unlink()
        names.append(name)
        rows.append(count)

    every = np.concatenate(hashes) if hashes else np.empty(0, dtype=np.uint64)
    _, counts = np.unique(every, return_counts=True)
    report.loaded = int(sum(rows))
    report.duplicate_bodies = int((counts[counts > 1] - 1).sum())
    report.duplicated_texts = int((counts > 1).sum())
    report.formats = dict(formats.most_common())
    report.encodings = {str(k): int(v) for k, v in encodings.most_common()}
    report.date_forms = dict(date_forms.most_common())
    assert report.seen == report.loaded + len(report.skipped), "loader accounting is broken"
    report.seconds = round(time.perf_counter() - started, 3)
    manifest = {"format": _SHARD_FORMAT, "loader_version": LOADER_VERSION, "shards": names,
                "rows": rows, "report": report.to_dict()}
    tmp = out / f".{SHARD_MANIFEST}.{temp_tag()}.manifest.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, out / SHARD_MANIFEST)
    return [out / name for name in names], report


def cached_shards(
    path: str | os.PathLike,
    *,
    cache_dir: str | os.PathLike | None = None,
    shard_rows: int = DEFAULT_SHARD_ROWS,
    **options: Any,
) -> Path:
    """The corpus as Parquet shards in the cache folder, written the first time (reused
    while the input is unchanged, keyed like the :func:`load_corpus` cache).

    Args:
        path: the corpus (or a shard folder, returned as it is).
        cache_dir: where the shard folder goes (default ``helpers.paths.PROCESSED``).
        shard_rows: articles per shard.
        **options: ``mapping``, ``fmt``, ``encoding``, ``strict``, ``workers``, ``progress``
            as for :func:`write_shards`.

    Returns:
        The shard folder (``<cache>/shards-<name>-<hash>``).

    >>> cached_shards("../data/raw").name                    # doctest: +SKIP
    'shards-raw-0f0f91ea-c76fbb38...'
    """
    root = Path(path).expanduser().resolve()
    if is_shard_folder(root):
        return root
    _, opts, _ = prepare(root, fmt=options.get("fmt"), encoding=options.get("encoding"),
                          mapping=options.get("mapping"), workers=options.get("workers"))
    folder = Path(cache_dir) if cache_dir is not None else paths.PROCESSED
    exclude = frozenset((st.st_dev, st.st_ino) for st in (stat_or_none(d) for d in {folder}) if st)
    key = fingerprint(root, opts, exclude, options.get("max_total_bytes",
                                                        DEFAULT_MAX_TOTAL_BYTES)) + f"-{shard_rows}"
    prefix = "shards-" + cache_prefix(root)[len("corpus-"):]
    target = folder / f"{prefix}{key}"
    if is_shard_folder(target):
        return target
    write_shards(root, target, shard_rows=shard_rows, **options)
    for old in folder.glob(prefix + "*"):
        if old != target and is_shard_folder(old):
            for f in old.iterdir():
                with suppress(OSError):
                    f.unlink()
            with suppress(OSError):
                old.rmdir()
    return target


def write_frames(frames: Iterable[pd.DataFrame], out_dir: str | os.PathLike, *,
                 report: LoadReport | None = None) -> list[Path]:
    """Write DataFrames, one shard each, as a shard folder (e.g. a cleaned corpus).

    Args:
        frames: DataFrames in corpus order (the index is not stored).
        out_dir: the folder (created; earlier shards in it are replaced).
        report: the load report to keep in the manifest (default: a report of the rows).

    Returns:
        The shard paths.

    >>> write_frames([pd.DataFrame({"body": ["خبر"]})], "/tmp/s")   # doctest: +SKIP
    [PosixPath('/tmp/s/part-00000.parquet')]
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in list(out.glob("part-*.parquet")) + [out / SHARD_MANIFEST]:
        with suppress(OSError):
            old.unlink()
    names, rows = [], []
    for n, frame in enumerate(frames):
        name = _SHARD_NAME.format(n)
        atomic_parquet(pa.Table.from_pandas(frame, preserve_index=False), out / name)
        names.append(name)
        rows.append(len(frame))
    if report is None:
        report = LoadReport(corpus=str(out), seen=sum(rows), loaded=sum(rows), files=len(names))
    manifest = {"format": _SHARD_FORMAT, "loader_version": LOADER_VERSION, "shards": names,
                "rows": rows, "report": report.to_dict()}
    tmp = out / f".{SHARD_MANIFEST}.{temp_tag()}.manifest.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, out / SHARD_MANIFEST)
    return [out / name for name in names]


def read_shards_dask(folder: str | os.PathLike, *, columns: list[str] | None = None):
    """A shard folder as a ``dask.dataframe`` (one partition per shard, in corpus order).

    Args:
        folder: a folder written by :func:`write_shards` or :func:`write_frames`; it must
            be readable at the same path by every Dask worker (a shared disk).
        columns: read only these columns.

    Returns:
        A ``dask.dataframe.DataFrame``.

    >>> read_shards_dask("/tmp/ant", columns=["source", "body"]).npartitions   # doctest: +SKIP
    4
    """
    import dask.dataframe as dd

    files = [str(p) for p in shard_paths(folder)]
    return dd.read_parquet(files, columns=columns, split_row_groups=False,
                           aggregate_files=False, index=False)



def load_shards(root: Path) -> tuple[pd.DataFrame, LoadReport]:
    """A whole shard folder as one DataFrame, with the report it was written with."""
    started = time.perf_counter()
    report = shard_report(root)
    frames = list(iter_shards(root))
    frame = (pd.concat(frames, ignore_index=True) if frames
             else conform(pd.DataFrame({c: pd.Series(dtype=STRING if c != "date" else DATE)
                                         for c in COLUMNS})))
    report.from_cache, report.seconds = True, round(time.perf_counter() - started, 3)
    return frame, report

