"""The parse itself: every item of a source parsed (in worker processes for large corpora),
in corpus order, and the rows assembled into the articles frame and its report.
"""

from __future__ import annotations

import codecs
import hashlib
import multiprocessing
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .archives import Budget, path_text
from .dates import DateTally, parse_dates
from .fields import MAPPABLE
from .formats import FORMATS, detect_format, parse_batch, parse_blob
from .parser import Parser
from .schema import (
    COLUMNS, ROW_FIELDS, STRING, LoadReport, LoadWarning, Options, Result, Row,
    check_strict, string_array,
)
from .sources import Source

_INPROCESS_BYTES = 4 * 2**20   # parse in-process until this many bytes were read
_BATCH_BYTES = 2 * 2**20       # bytes per batch sent to a worker process
#: A file this large is parsed in this process: through a worker its bytes and its rows
#: would each be copied twice more (pickled on one side, unpickled on the other).
_LARGE_FILE = 16 * 2**20
#: Rows are turned into Arrow columns once this many characters of titles and bodies (or
#: :data:`_FRAME_ROWS` rows) are waiting: only one chunk of rows is held as Python objects;
#: the frame is the chunks' columns put end to end, without a copy.
_FRAME_TEXT = 4 * 2**20
_FRAME_ROWS = 50_000
_TEXT_FIELDS = tuple(ROW_FIELDS.index(name) for name in ("title", "body"))


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
    Python parsing code); else ``forkserver`` with the parsers preloaded (:mod:`.formats`
    and the modules it dispatches to; 3.12+ warns about forking a process that has threads,
    as pyarrow's), else the platform default."""
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
    parse result with its place ``(container, rel)``, in corpus order.

    Small files are parsed in-process for small corpora, in worker processes (batches of a
    few MB) once more than a few MB have been read; at most about ``2 * workers + 2``
    batches are in flight, so memory stays bounded. Large files (:data:`_LARGE_FILE`) and
    Parquet are parsed here: the item's bytes are handed over (``Item.take``), so the parser
    holds the only reference. Each parse is told what is left of the bound
    (``Options.max_bytes``) for formats that expand. The source's notes about a file (a
    recovered file name) come first among its warnings.
    """
    pending: deque = deque()          # (future or results, [(place, notes)]) in corpus order
    ready: deque = deque()
    batch: list[tuple[str, bytes]] = []
    batch_where: list[tuple[tuple[int, str], list]] = []
    batch_bytes = 0
    read_bytes = 0
    pool: ProcessPoolExecutor | None = None
    budget = source.budget

    def bounded() -> Options:
        return opts._replace(max_bytes=max(0, budget.limit - budget.used))

    sent: dict[Future, tuple[list, Options, ProcessPoolExecutor]] = {}   # what each got

    def from_worker(future: Future) -> list[Result]:
        """A batch's results from its worker process. If the worker raised (a result that
        did not pickle, ...) the batch is parsed here; if a worker process died (the pool
        is broken), its files are parsed again one by one (:func:`parse_isolated`) and the
        next batches go to a new pool."""
        nonlocal pool
        files, used, owner = sent.pop(future)
        try:
            return future.result()
        except BrokenProcessPool:
            if owner is pool:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
            return parse_isolated(files, used)
        except Exception:                   # noqa: BLE001 -- the worker's, not the load's
            return parse_batch(files, used)

    def collect(block: bool) -> None:
        while pending and (block or not isinstance(pending[0][0], Future)
                           or pending[0][0].done()):
            item, where = pending.popleft()
            batch_results = from_worker(item) if isinstance(item, Future) else item
            for res, (place, notes) in zip(batch_results, where):
                if notes:
                    res.warnings[:0] = notes
                if strict:
                    check_strict(res)
                ready.append((res, place))

    def flush() -> None:
        nonlocal batch, batch_where, batch_bytes, pool
        if not batch:
            return
        if pool is None and workers > 1 and read_bytes > _INPROCESS_BYTES:
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context())
        if pool is not None:
            used = bounded()
            try:
                future = pool.submit(parse_batch, batch, used)
            except BrokenProcessPool:      # it broke since the last batch: a new one next
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
                pending.append((parse_isolated(batch, used), batch_where))
            else:
                sent[future] = (batch, used, pool)
                pending.append((future, batch_where))
        else:
            pending.append((parse_batch(batch, bounded()), batch_where))
        batch, batch_where, batch_bytes = [], [], 0
        collect(block=len(pending) > 2 * workers + 2)

    try:
        for item in source.items():
            where = ((item.container, item.rel), item.warnings)
            if item.skip is not None:
                flush()
                pending.append(([Result([], [item.skip], [], 1)], [where]))
                collect(block=False)
            else:
                size = len(item.data)
                read_bytes += size
                if size >= _LARGE_FILE or detect_format(item.path, opts.fmt) == "parquet":
                    flush()   # Arrow stays in this process; large files are not copied
                    pending.append(([parse_blob(item.path, item.take(), bounded())], [where]))
                    collect(block=False)
                else:
                    batch.append((item.path, item.take()))
                    batch_where.append(where)
                    batch_bytes += size
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


def parse_isolated(files: list[tuple[str, bytes]], opts: Options) -> list[Result]:
    """Parse files one at a time in a worker process of their own, after a worker died: a
    file that kills its process again is skipped with the reason (it is not parsed in this
    process, which it could kill too); the others are parsed as usual."""
    results: list[Result] = []
    pool: ProcessPoolExecutor | None = None
    try:
        for path, data in files:
            if pool is None:
                pool = ProcessPoolExecutor(max_workers=1, mp_context=_pool_context())
            try:
                results += pool.submit(parse_batch, [(path, data)], opts).result()
            except BrokenProcessPool as e:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
                p = Parser(path, None, detect_format(path, opts.fmt) or "", opts)
                p.skip(f"not parsed: the worker process parsing it died ({e}); a file that "
                       "kills its parser is not retried in the main process")
                results.append(p.result())
            except Exception:               # noqa: BLE001 -- the worker's, not the load's
                results += parse_batch([(path, data)], opts)
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    return results


@dataclass
class Parsed:
    """What :func:`parse_all` gathers: the frame in chunks of rows, each row's place, and
    per file (in corpus order) what was seen, skipped and warned about."""

    source: Source
    frames: list[pd.DataFrame] = field(default_factory=list)
    row_places: list[tuple[int, str]] = field(default_factory=list)
    formats: Counter = field(default_factory=Counter)
    date_forms: Counter = field(default_factory=Counter)
    dates_unread: int = 0
    skipped: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    seen: int = 0
    files: int = 0


def parse_all(root: Path, opts: Options, *, strict: bool, workers: int, budget: Budget,
               bar, exclude: frozenset = frozenset()) -> Parsed:
    """Parse the whole corpus. The rows are turned into Arrow columns chunk by chunk
    (:data:`_FRAME_TEXT`; a file's rows stay together), so the Python objects of at most
    one chunk are alive beside the columns already built."""
    source = Source(root, budget, bar, exclude, opts)
    out = Parsed(source)
    results: list[Result] = []
    places: list[list[tuple[int, str]]] = []   # per result: (container, rel) per entry
    rows = text = 0

    def flush() -> None:
        frame, formats, row_places, dates = raw_frame(results, places)
        for res in results:            # the date warnings come with the frame
            if strict:
                check_strict(res)
            out.seen += res.seen
            out.skipped += res.skipped
            out.warnings += res.warnings
        out.files += len(results)
        if len(frame) or not out.frames:
            out.frames.append(frame)
        out.row_places += row_places
        out.formats.update(formats)
        out.date_forms.update(dates.forms)
        out.dates_unread += dates.unread
        results.clear()
        places.clear()
        pa.default_memory_pool().release_unused()    # the builders' buffers, now free

    for res, place in iter_parsed(source, opts, strict=strict, workers=workers):
        results.append(res)
        places.append([place])
        rows += len(res.rows)
        text += sum(len(row[i] or "") for row in res.rows for i in _TEXT_FIELDS)
        if rows >= _FRAME_ROWS or text >= _FRAME_TEXT:
            flush()
            rows = text = 0
    flush()
    return out


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


def build_frame(parsed: Parsed) -> pd.DataFrame:
    """The articles frame: the chunks end to end, with ``source`` and ``category`` from the
    folders where the records had none, letter-case spellings merged."""
    frames = [f for f in parsed.frames if len(f)] or parsed.frames[:1]
    frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    if len(frame):
        src, cat = _folder_fields(parsed.source, parsed.row_places)
        for col, derived in (("source", src), ("category", cat)):
            fill = string_array(derived)
            frame[col] = frame[col].fillna(pd.Series(fill, index=frame.index))
            frame[col] = canonical_case(frame[col])
    return frame


def duplicate_counts(bodies: pd.Series) -> tuple[int, int]:
    """``(extra copies, distinct texts occurring more than once)`` among the values present.

    Read in place in the Arrow buffers (no copy of the column): a 64-bit digest of every
    value first, then the values sharing a digest compared byte for byte.
    ``["نص", "نص", "خبر", None]`` -> ``(1, 1)``.
    """
    values = pa.chunked_array(bodies.array.__arrow_array__())      # its chunks, no copy
    views, chunk_ids, starts, stops = [], [], [], []
    for chunk in values.chunks:
        if not len(chunk) or chunk.null_count == len(chunk):
            continue
        chunk = chunk.cast(pa.large_string())
        _, offsets_buf, data_buf = chunk.buffers()
        offsets = np.frombuffer(offsets_buf, dtype=np.int64)[chunk.offset:
                                                              chunk.offset + len(chunk) + 1]
        present = np.flatnonzero(chunk.is_valid().to_numpy(zero_copy_only=False))
        views.append(memoryview(data_buf if data_buf is not None else b"").cast("B"))
        chunk_ids.append(np.full(len(present), len(views) - 1))
        starts.append(offsets[present])
        stops.append(offsets[present + 1])
    if not views:
        return 0, 0
    chunk_ids, starts, stops = (np.concatenate(x).tolist() for x in (chunk_ids, starts, stops))
    digests = np.frombuffer(b"".join(
        hashlib.blake2b(views[k][a:b], digest_size=8).digest()
        for k, a, b in zip(chunk_ids, starts, stops)), dtype=np.uint64)
    _, inverse, counts = np.unique(digests, return_inverse=True, return_counts=True)
    groups: dict[int, list] = {}
    for i in np.flatnonzero(counts[inverse] > 1).tolist():
        value = views[chunk_ids[i]][starts[i]:stops[i]]
        distinct = groups.setdefault(int(inverse[i]), [])
        for seen in distinct:
            if seen[0] == value:
                seen[1] += 1
                break
        else:
            distinct.append([value, 1])
    repeated = [n for distinct in groups.values() for _, n in distinct if n > 1]
    return sum(repeated) - len(repeated), len(repeated)


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
        for row, kind, message in dates.warnings:
            results[int(np.searchsorted(ends, row, side="right"))].warnings.append(
                LoadWarning(columns["path"][row], message, kind))
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
        parsed = parse_all(root, opts, strict=strict, workers=workers,
                           budget=Budget(max_total_bytes), bar=bar, exclude=exclude)
    finally:
        bar.close()
    frame = build_frame(parsed)
    duplicate_bodies, duplicated_texts = duplicate_counts(frame["body"])
    report = LoadReport(
        corpus=path_text(root),
        seen=parsed.seen,
        loaded=len(frame),
        skipped=parsed.skipped,
        warnings=parsed.warnings,
        duplicate_bodies=duplicate_bodies,
        duplicated_texts=duplicated_texts,
        files=parsed.files,
        formats=dict(parsed.formats.most_common()),
        encodings={str(k): int(v) for k, v in frame["encoding"].value_counts().items()},
        date_forms=dict(parsed.date_forms.most_common()),
        dates_unread=parsed.dates_unread,
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


