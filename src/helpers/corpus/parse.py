"""The parse itself: every item of a source parsed (in worker processes for large corpora),
in corpus order, and the rows assembled into the articles frame and its report.
"""

from __future__ import annotations

import codecs
import multiprocessing
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .dates import DateTally, parse_dates
from .formats import FORMATS, detect_format, parse_blob, parse_batch
from .schema import (
    COLUMNS, MAPPABLE, ROW_FIELDS, STRING, LoadReport, Options, Result, Row, check_strict,
    string_array,
)
from .sources import Budget, Source

_INPROCESS_BYTES = 4 * 2**20   # parse in-process until this many bytes were read
_BATCH_BYTES = 2 * 2**20       # bytes per batch sent to a worker process


class _NoBar:
    unit, unit_scale = "", False

    def reset(self, total=None):
        pass

    def update(self, n=1):
        pass

    def close(self):
        pass


def _interactive() -> bool:
    """True when a person is likely watching: stderr is a terminal or a Jupyter kernel."""
    try:
        if sys.stderr is not None and sys.stderr.isatty():
            return True
    except (AttributeError, ValueError):
        pass
    ipython = sys.modules.get("IPython")
    shell = getattr(ipython, "get_ipython", lambda: None)() if ipython else None
    return type(shell).__name__ == "ZMQInteractiveShell"


def progress_bar(show: bool | None, label: str):
    if show is None:
        show = _interactive()
    if not show:
        return _NoBar()
    try:
        import ipywidgets  # noqa: F401
        from tqdm.auto import tqdm
    except ImportError:
        from tqdm import tqdm
    return tqdm(desc=f"Loading {label}", unit="file", leave=False, mininterval=0.3)


# ---------------------------------------------------------------------------------------
# the load itself
# ---------------------------------------------------------------------------------------


def _pool_context():
    """``fork`` on Linux before Python 3.12 (workers start instantly; they run only pure
    Python parsing code); else ``forkserver`` with this module preloaded (3.12+ warns about
    forking a process that has threads, as pyarrow's), else the platform default."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and sys.version_info < (3, 12) and "fork" in methods:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["helpers.corpus.formats"])
        return context
    return multiprocessing.get_context()


def iter_parsed(source: Source, opts: Options, *, strict: bool, workers: int
                 ) -> Iterator[tuple[Result, tuple[int, str]]]:
    """Read every entry of ``source`` (sequentially, in this process) and yield each file's
    parse result with its place ``(container, rel)``, in corpus order: parsed in-process for
    small corpora, in worker processes once more than a few MB have been read. At most
    about ``2 * workers + 2`` batches of a few MB are in flight, so memory stays bounded."""
    pending: deque = deque()                   # (future or result list, places) in order
    ready: deque = deque()
    batch: list[tuple[str, bytes]] = []
    batch_places: list[tuple[int, str]] = []
    batch_bytes = 0
    read_bytes = 0
    pool: ProcessPoolExecutor | None = None

    def collect(block: bool) -> None:
        while pending and (block or not isinstance(pending[0][0], Future)
                           or pending[0][0].done()):
            item, where = pending.popleft()
            batch_results = item.result() if isinstance(item, Future) else item
            for res, place in zip(batch_results, where):
                if strict:
                    check_strict(res)
                ready.append((res, place))

    def flush() -> None:
        nonlocal batch, batch_places, batch_bytes, pool
        if not batch:
            return
        if pool is None and workers > 1 and read_bytes > _INPROCESS_BYTES:
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context())
        if pool is not None:
            pending.append((pool.submit(parse_batch, batch, opts), list(batch_places)))
        else:
            pending.append((parse_batch(batch, opts), list(batch_places)))
        batch, batch_places, batch_bytes = [], [], 0
        collect(block=len(pending) > 2 * workers + 2)

    try:
        for item in source.items():
            if item.skip is not None:
                flush()
                pending.append(([Result([], [item.skip], [], 1)], [(item.container, item.rel)]))
                collect(block=False)
            else:
                read_bytes += len(item.data)
                if detect_format(item.path, opts.fmt) == "parquet":
                    flush()   # Arrow stays in this process
                    pending.append(([parse_blob(item.path, item.data, opts)],
                                    [(item.container, item.rel)]))
                    collect(block=False)
                else:
                    batch.append((item.path, item.data))
                    batch_places.append((item.container, item.rel))
                    batch_bytes += len(item.data)
                    if batch_bytes >= _BATCH_BYTES:
                        flush()
            while ready:
                yield ready.popleft()
        flush()
        collect(block=True)
        while ready:
            yield ready.popleft()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def parse_all(root: Path, opts: Options, *, strict: bool, workers: int, budget: Budget,
               bar, exclude: frozenset = frozenset()
               ) -> tuple[list[Result], list[list[tuple[int, str]]], Source]:
    """Parse the whole corpus: every file's result and place, and the source walked."""
    source = Source(root, budget, bar, exclude)
    results: list[Result] = []
    places: list[list[tuple[int, str]]] = []   # per result: (container, rel) per entry
    for res, place in iter_parsed(source, opts, strict=strict, workers=workers):
        results.append(res)
        places.append([place])
    return results, places, source


def _folder_fields(source: Source, row_places: list[tuple[int, str]]) -> tuple[list, list]:
    """``source`` and ``category`` from the folders of each row's path."""
    tops = Tops()
    tops.add(row_places)
    return place_fields(tops.resolve(source.containers), row_places)


class Tops:
    """Per container, the first folder of its rows' paths when they all share one (it is not
    counted as a source: ``ant-multisource-v2.1/``); built up chunk by chunk."""

    def __init__(self):
        self.firsts: dict[int, set[str]] = {}
        self.nested: dict[int, bool] = {}    # every rel has a folder

    def add(self, row_places) -> None:
        for cid, rel in set(row_places):
            first = self.firsts.setdefault(cid, set())
            if len(first) < 2:
                first.add(rel.split("/", 1)[0])
            self.nested[cid] = self.nested.get(cid, True) and "/" in rel

    def resolve(self, containers: list[tuple[str, bool]]) -> dict[int, str | None]:
        return {cid: next(iter(first)) if containers[cid][1] and len(first) == 1
                and self.nested[cid] else None for cid, first in self.firsts.items()}


def place_fields(tops: dict[int, str | None], row_places) -> tuple[list, list]:
    memo: dict[tuple[int, str], tuple[str | None, str | None]] = {}
    src, cat = [], []
    for cid, rel in row_places:
        folder = rel.rpartition("/")[0]
        key = (cid, folder)
        got = memo.get(key)
        if got is None:
            parts = [x for x in folder.split("/") if x] if folder else []
            if parts and tops.get(cid) is not None and parts[0] == tops[cid]:
                parts = parts[1:]
            got = memo[key] = (parts[0] if parts else None,
                               "/".join(parts[1:]) if len(parts) > 1 else None)
        src.append(got[0])
        cat.append(got[1])
    return src, cat


def canonical_case(values: pd.Series) -> pd.Series:
    """Merge spellings that differ only in letter case into the most frequent one."""
    present = values.dropna()
    if present.empty:
        return values
    counts = present.value_counts(sort=False)
    changes = case_mapping(Counter(counts.to_dict()),
                            {v: i for i, v in enumerate(pd.unique(present))})
    if not changes:
        return values
    return values.map({s: changes.get(s, s) for s in counts.index}).astype(STRING)


def build_frame(results: list[Result], places: list[list[tuple[int, str]]],
                 source: Source) -> tuple[pd.DataFrame, Counter, DateTally]:
    frame, formats, row_places, dates = raw_frame(results, places)
    if len(frame):
        src, cat = _folder_fields(source, row_places)
        for col, derived in (("source", src), ("category", cat)):
            fill = string_array(derived)
            frame[col] = frame[col].fillna(pd.Series(fill, index=frame.index))
            frame[col] = canonical_case(frame[col])
    return frame, formats, dates


def raw_frame(results: list[Result], places: list[list[tuple[int, str]]]
               ) -> tuple[pd.DataFrame, Counter, list[tuple[int, str]], DateTally]:
    """The rows of ``results`` as a frame (source/category only as the records give them),
    the articles per format, each row's place ``(container, rel)`` and the dates read per
    form. The dates of all rows are read at once (:func:`.dates.parse_dates`; numeric ones
    day-first or month-first per file); their warnings are added to the warnings of the
    result (file) they belong to."""
    rows: list[Row] = []
    row_places: list[tuple[int, str]] = []
    for res, place in zip(results, places):
        rows.extend(res.rows)
        row_places.extend(place * len(res.rows))
    columns = dict(zip(ROW_FIELDS, zip(*rows))) if rows else {f: () for f in ROW_FIELDS}
    dates = parse_dates(columns["date"], paths=columns["path"], ids=columns["id"],
                        wheres=columns["where"])
    if dates.warnings:
        ends = np.cumsum([len(res.rows) for res in results])
        for row, warning in dates.warnings:
            results[int(np.searchsorted(ends, row, side="right"))].warnings.append(warning)
    data: dict[str, Any] = {}
    for name in COLUMNS:
        if name == "date":
            data[name] = pd.Series(dates.ns.view("datetime64[ns]")).dt.tz_localize("UTC")
        elif name == "date_raw":
            data[name] = string_array(dates.raw)
        else:
            data[name] = string_array(columns[name])
    frame = pd.DataFrame(data)
    formats = Counter(columns["format"])
    return frame, formats, row_places, DateTally(dates.forms, dates.unread)


def load_uncached(root: Path, opts: Options, *, strict: bool, workers: int,
                   max_total_bytes: int, progress: bool | None, exclude: frozenset = frozenset()
                   ) -> tuple[pd.DataFrame, LoadReport]:
    started = time.perf_counter()
    bar = progress_bar(progress, root.name)
    try:
        results, places, source = parse_all(root, opts, strict=strict, workers=workers,
                                             budget=Budget(max_total_bytes), bar=bar,
                                             exclude=exclude)
    finally:
        bar.close()
    frame, formats, dates = build_frame(results, places, source)
    if strict:          # the date warnings come with the frame (bad_date raises)
        for res in results:
            check_strict(res)
    bodies = frame["body"].dropna()
    counts = bodies.value_counts()
    repeated = counts[counts > 1]
    report = LoadReport(
        corpus=str(root),
        seen=sum(r.seen for r in results),
        loaded=len(frame),
        skipped=[s for r in results for s in r.skipped],
        warnings=[w for r in results for w in r.warnings],
        duplicate_bodies=int((repeated - 1).sum()),
        duplicated_texts=int(len(repeated)),
        files=len(results),
        formats=dict(formats.most_common()),
        encodings={str(k): int(v) for k, v in frame["encoding"].value_counts().items()},
        date_forms=dict(dates.forms.most_common()),
        dates_unread=dates.unread,
    )
    assert report.seen == report.loaded + len(report.skipped), "loader accounting is broken"
    report.seconds = round(time.perf_counter() - started, 3)
    return frame, report



def prepare(path, *, fmt, encoding, mapping, workers) -> tuple[Path, Options, int]:
    """Check the loader options: (resolved root, options, number of workers)."""
    root = Path(path).expanduser()
    if not root.exists():
        raise FileNotFoundError(f"no corpus at {path}")
    root = root.resolve()
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    if encoding is not None:
        codecs.lookup(encoding)   # LookupError for an unknown codec
    mapping = dict(mapping or {})
    unknown = set(mapping) - set(MAPPABLE)
    if unknown:
        raise ValueError(f"mapping keys must be among {MAPPABLE}, not {sorted(unknown)}")
    opts = Options(fmt, encoding, tuple(sorted((k, str(v)) for k, v in mapping.items())))
    workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
    return root, opts, workers



def case_mapping(counts: Counter, order: dict[str, int]) -> dict[str, str]:
    """Spelling -> the most frequent spelling differing only in letter case (ties: the first
    met), as :func:`canonical_case` does; only the spellings that change."""
    best: dict[str, tuple[int, int, str]] = {}
    for spelling, n in counts.items():
        key = spelling.casefold()
        rank = (-int(n), order[spelling], spelling)
        if key not in best or rank < best[key]:
            best[key] = rank
    return {s: best[s.casefold()][2] for s in counts if best[s.casefold()][2] != s}


