"""Tests for helpers.textengine: the operations on str and on Arrow columns, blocks of
rows at an offset, merged tables, and text columns of any dtype read as Arrow."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from helpers import textengine
from helpers.cleaning import STEPS, normalize
from helpers.textengine import CharTable, PerRow, RegexSub, Trim, apply, merge_tables, to_arrow

OPS = [
    CharTable({"\u0640": "", "\u0629": "\u0647", "\ufefb": "\u0644\u0627"}),  # delete, same length, grow
    RegexSub(" +", " ", triggers=rb"  "),
    PerRow(str.upper, "[a-z]"),
    Trim(" "),
]


def test_str_and_series_give_the_same_result():
    texts = ["  مـدرسة  ﻻ ", "abc  مصر", "", "ـــ"]
    expected = ["مدرسه لا", "ABC مصر", "", ""]
    assert [apply(t, OPS) for t in texts] == expected
    out = apply(pd.Series(texts + [None], index=list("abcde"), name="body"), OPS)
    assert out.dtype == pd.StringDtype("pyarrow")
    assert out.index.tolist() == list("abcde") and out.name == "body"
    assert out.tolist()[:-1] == expected and out.isna().tolist()[-1]


def test_missing_and_wrong_kinds():
    assert apply(None, OPS) is None
    assert apply(pd.NA, OPS) is pd.NA
    with pytest.raises(TypeError):
        apply(b"bytes", OPS)
    with pytest.raises(TypeError):
        to_arrow(pd.Series([1, 2]))


def test_merge_tables_is_one_pass_and_drops_identities():
    first, second = CharTable({"\u0623": "\u0627"}), CharTable({"\u0627": "x", "y": "y"})
    merged = merge_tables([first, second, Trim(" "), CharTable({"z": "z"})])
    assert len(merged) == 2 and isinstance(merged[1], Trim)
    assert merged[0].mapping == {"\u0623": "x", "\u0627": "x"}
    assert CharTable.deleting("ab").translate("abc") == "c"


def test_to_arrow_reads_every_text_dtype():
    for dtype in (object, "string[python]", "string[pyarrow]"):
        arrow = to_arrow(pd.Series(["مصر", None], dtype=dtype))
        assert arrow.type == pa.large_string() and arrow.to_pylist() == ["مصر", None]
    chunked = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["a", None], ["b"]])))
    assert to_arrow(chunked).num_chunks == 2


@pytest.mark.parametrize("config", [{"preset": "search"}, {"preset": "display"}, {"steps": list(STEPS)}])
def test_small_blocks_with_missing_values(monkeypatch, config):
    """The engine works on zero-copy slices (blocks): validity bitmaps at an offset, many
    chunks, replacements that shrink and grow the text."""
    monkeypatch.setattr(textengine, "_BLOCK_BYTES", 64)
    values = [("أَ" * i + "ﻻ \u200f ٣ ﷽ x") if i % 3 else None for i in range(120)]
    series = pd.Series(values, dtype="string[pyarrow]").iloc[5:]
    out = normalize(series, **config)
    assert out.array._pa_array.num_chunks > 10
    expected = [normalize(v, **config) if v is not None else None for v in values[5:]]
    assert [None if v is pd.NA else v for v in out.tolist()] == expected
