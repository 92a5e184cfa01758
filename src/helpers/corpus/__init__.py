"""Reading corpora: a file, a folder or an archive into one DataFrame of articles.

One module per job, in the order the data flows (the map, with what each module may
import, is ``docs/architecture.md``):

- :mod:`.schema` defines the table and the :class:`~.schema.LoadReport`; :mod:`.fields`
  which record field feeds which column (:data:`FIELD_ALIASES`, ``mapping=``);
- :mod:`.archives` reads bytes within the byte bound (compressed streams, tar and zip
  members, names); :mod:`.sources` walks a folder, file or archive into ``(path, bytes)``
  items or reported skips;
- :mod:`.decoding` turns bytes into text (:mod:`.codepages` judges 8-bit code pages);
  :mod:`.dates` reads a column of dates (:mod:`.dateforms`: the forms it looks for);
- :mod:`.formats` decides what is read and dispatches one file to its parser: the seed
  ``.txt`` layout there, :mod:`.trec`, :mod:`.records` (JSON, JSON Lines, CSV/TSV,
  Parquet), :mod:`.web` (HTML pages, RSS/Atom), :mod:`.sheets` (Excel), each filling a
  :class:`~.parser.Parser` (:mod:`.parser`) with rows, skips and warnings;
- :mod:`.parse` runs the parsers over a source, in worker processes for large corpora, and
  assembles the frame and its report;
- :mod:`.cache` keeps parsed corpora as Parquet; :mod:`.shards` writes and reads corpora
  larger than memory as Parquet shards; :mod:`.load` is :func:`load_corpus`.

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
