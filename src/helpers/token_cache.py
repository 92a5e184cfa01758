"""Token lists kept on disk between notebooks and sessions (:func:`cached_tokens`), and the one
cache scheme for tables derived from the texts (:func:`cached_table`)."""

from __future__ import annotations

import hashlib
import os
import warnings as _warnings
from contextlib import suppress
from functools import lru_cache
from importlib.metadata import version
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import cleaning, paths, resources, textengine, tokens
from .corpus.cache import atomic_parquet
from .textengine import to_arrow
from .tokens import TOKEN_LISTS, tokenize

__all__ = ["TOKEN_CACHES_KEPT", "cached_table", "cached_tokens"]

TOKEN_CACHES_KEPT = 8


@lru_cache(maxsize=1)
def _tokenizer_fingerprint() -> bytes:
    """Hash of the code and word list tokens depend on: a change to either is a new cache."""
    h = hashlib.blake2b(digest_size=16)
    for module in (tokens, cleaning, textengine, resources):
        h.update(Path(module.__file__).read_bytes())
    h.update(version("arabic-stopwords").encode())
    return h.digest()


def cached_tokens(text: pd.Series, *, cache_dir: str | os.PathLike | None = None,
                  **options: Any) -> pd.Series:
    """:func:`helpers.tokenize` of a text column, kept on disk for the next notebook or session.

    The cache is keyed by a hash of the texts themselves, the options and the tokenizer's
    code, so a changed corpus, subset, option or tokenizer never reads stale tokens. Reading
    ANT's 7.9 million tokens back takes a fraction of a second, against seconds to
    normalise and tokenise. The :data:`TOKEN_CACHES_KEPT` most recently used files are kept.

    Args:
        text: Series of str (e.g. ``articles["body"]``).
        cache_dir: folder of the cache files (default ``data/processed/``).
        **options: passed to :func:`helpers.tokenize` (``preset``, ``stopwords``, ...).

    Returns:
        What ``tokenize(text, **options)`` returns (same index and name).

    >>> tokens = cached_tokens(articles["body"], stopwords=True)   # doctest: +SKIP
    """
    if not isinstance(text, pd.Series):
        raise TypeError(f"cached_tokens needs a pandas Series of texts, got {type(text).__name__}")
    folder = Path(cache_dir) if cache_dir is not None else paths.PROCESSED
    target = folder / f"tokens-{_cache_key(text, options)}.parquet"
    try:
        column = pq.read_table(target).column(0)
        if len(column) == len(text) and column.type.equals(TOKEN_LISTS):
            column = column.cast(TOKEN_LISTS)  # the field's name: Parquet says "element"
            os.utime(target)  # recently used
            return pd.Series(pd.arrays.ArrowExtensionArray(column), index=text.index,
                             name=text.name, copy=False)
    except (OSError, ValueError, pa.ArrowException):
        pass
    tokens = tokenize(text, **options)
    _store(pa.table({"tokens": tokens.array.__arrow_array__()}), target, "tokens")
    return tokens


def cached_table(text: pd.Series, kind: str, compute: Callable[[], pa.Table], *,
                 cache_dir: str | os.PathLike | None = None, code: Iterable[ModuleType] = (),
                 **options: Any) -> pa.Table:
    """A table computed from a text column, kept on disk under the keying of :func:`cached_tokens`.

    The one cache scheme for what is derived from the texts (e.g. the written forms of
    :func:`helpers.written_forms`): the file is keyed by the texts, ``options``, the
    tokenizer's code and the code of the ``code`` modules, so a changed corpus, option or
    algorithm never reads a stale table. The :data:`TOKEN_CACHES_KEPT` most recently used
    files of each ``kind`` are kept.

    Args:
        text: Series of str the table is derived from.
        kind: the file name's prefix (``"forms"``); one per kind of table.
        compute: builds the table when no cached copy is there.
        cache_dir: folder of the cache files (default ``data/processed/``).
        code: modules whose source the table also depends on.
        **options: what else the table depends on (compared by ``repr``).

    Returns:
        The cached or freshly computed Arrow table.
    """
    if not isinstance(text, pd.Series):
        raise TypeError(f"cached_table needs a pandas Series of texts, got {type(text).__name__}")
    folder = Path(cache_dir) if cache_dir is not None else paths.PROCESSED
    target = folder / f"{kind}-{_cache_key(text, options, kind=kind, code=code)}.parquet"
    try:
        table = pq.read_table(target)
        os.utime(target)  # recently used
        return table
    except (OSError, ValueError, pa.ArrowException):
        pass
    table = compute()
    _store(table, target, kind)
    return table


def _cache_key(text: pd.Series, options: dict, *, kind: str = "tokens",
               code: Iterable[ModuleType] = ()) -> str:
    """Hash of the texts, the options and the code a cached table depends on."""
    h = hashlib.blake2b(_tokenizer_fingerprint(), digest_size=16)
    if kind != "tokens":  # token files keep the key they always had
        h.update(kind.encode())
        for module in code:
            h.update(Path(module.__file__).read_bytes())
    h.update(repr(sorted((k, sorted(v) if isinstance(v, (set, frozenset)) else v)
                         for k, v in options.items())).encode("utf-8", "surrogateescape"))
    # the texts' UTF-8 bytes straight from the Arrow buffers, then every text's length
    # (-1 for a missing one): the same texts give the same hash however they are chunked
    lengths = []
    for chunk in to_arrow(text).chunks:
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64,
                                count=chunk.offset + len(chunk) + 1)[chunk.offset:]
        if len(chunk):
            h.update(memoryview(chunk.buffers()[2])[offsets[0]:offsets[-1]])
        size = np.diff(offsets)
        if chunk.null_count:
            size[chunk.is_null().to_numpy(zero_copy_only=False)] = -1
        lengths.append(size)
    h.update(np.concatenate([np.zeros(0, dtype=np.int64)] + lengths).tobytes())
    return h.hexdigest()


def _store(table: pa.Table, target: Path, kind: str) -> None:
    """Write ``table`` atomically and keep the most recently used files of its ``kind``."""
    try:
        atomic_parquet(table, target)
        old = sorted(target.parent.glob(f"{kind}-*.parquet"), key=lambda p: p.stat().st_mtime,
                     reverse=True)
        for stale in old[TOKEN_CACHES_KEPT:]:
            with suppress(OSError):
                stale.unlink()
    except OSError as err:
        _warnings.warn(f"could not write the {kind} cache {target}: {err}", stacklevel=3)
