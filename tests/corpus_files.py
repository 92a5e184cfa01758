"""Writing small corpora for the loader's tests, and loading them with every invariant checked.

One home for what every ``tests/test_corpus*.py`` needs: :func:`write` lays files out below a
folder, :func:`tar_bytes` packs members into a tar archive, :func:`load` calls ``load_corpus`` without the cache and checks the contract every
load keeps, whatever the input (columns, dtypes, accounting, names that are valid text,
dates counted per form, a frame and report that Arrow and JSON can store).
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pandas as pd
import pyarrow as pa

from helpers.corpus import COLUMNS, LoadReport, load_corpus


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text (UTF-8) or bytes}`` below ``root`` and return ``root``."""
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def tar_bytes(members: dict[str, bytes], mode: str = "w", **options) -> bytes:
    """A tar archive of ``{member name: bytes}`` (``mode="w:gz"`` and so on to compress it)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode, **options) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def check_contract(articles: pd.DataFrame, report: LoadReport) -> None:
    """The invariants of every load (see docs/corpus-formats.md)."""
    assert list(articles.columns[: len(COLUMNS)]) == list(COLUMNS)
    assert isinstance(articles.index, pd.RangeIndex)
    for name in COLUMNS:
        expected = "datetime64[ns, UTC]" if name == "date" else "string[pyarrow]"
        assert articles[name].dtype == expected, name
    assert report.seen == report.loaded + len(report.skipped)
    assert report.loaded == len(articles)
    assert sum(report.date_forms.values()) == articles["date"].notna().sum()
    for value in [*articles["path"].dropna(), *articles["id"].dropna(),
                  *(s.path for s in report.skipped), *(w.path for w in report.warnings)]:
        value.encode("utf-8")                  # valid text: no lone surrogates
    pa.Table.from_pandas(articles)             # Arrow stores every value
    json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8")


def load(path, **options) -> tuple[pd.DataFrame, LoadReport]:
    """``load_corpus`` without the cache (unless asked), checking :func:`check_contract`."""
    options.setdefault("cache", False)
    articles, report = load_corpus(path, **options)
    check_contract(articles, report)
    return articles, report
