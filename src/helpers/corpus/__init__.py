"""Reading corpora: a file, a folder or an archive into one DataFrame of articles.

One module per job, in the order the data flows:

- :mod:`.sources` walks folders and archives into ``(path, bytes)`` items (or reported skips);
- :mod:`.decoding` turns bytes into text; :mod:`.dates` reads dates;
- :mod:`.formats` parses one file's text into rows (one parser per format);
- :mod:`.parse` runs the parsers over a source, in worker processes for large corpora, and
  assembles the frame and its :class:`~.schema.LoadReport` (:mod:`.schema` defines both);
- :mod:`.cache` keeps parsed corpora as Parquet; :mod:`.load` is :func:`load_corpus`;
- :mod:`.shards` writes and reads corpora larger than memory as Parquet shards.

The format specification (layouts, field names, encodings, dates, accounting, limits) is
``docs/corpus-formats.md``. This package imports nothing from the language modules.
"""

from __future__ import annotations

from .cache import load_processed, save_processed
from .fields import FIELD_ALIASES
from .load import load_corpus
from .schema import COLUMNS, CorpusError, LoadReport, LoadWarning, Skipped
from .shards import (
    cached_shards, iter_corpus, iter_shards, read_shards_dask, shard_paths, shard_report,
    write_frames, write_shards,
)

__all__ = [
    "COLUMNS",
    "FIELD_ALIASES",
    "CorpusError",
    "LoadReport",
    "LoadWarning",
    "Skipped",
    "cached_shards",
    "iter_corpus",
    "iter_shards",
    "load_corpus",
    "load_processed",
    "save_processed",
    "shard_paths",
    "shard_report",
    "read_shards_dask",
    "write_frames",
    "write_shards",
]
