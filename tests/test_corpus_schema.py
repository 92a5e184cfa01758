"""Tests for helpers.corpus.schema: names are data, text is text.

A file's ``path`` and a record's ``id`` keep the real name, control characters included
(:func:`valid_name`: only lone surrogates, which cannot be stored, become U+FFFD), so that
a path in the table matches the file on disk; reports show them escaped
(:func:`visible`). Text columns (title, body, ...) keep the rule of :func:`valid_text`:
controls removed or made line breaks.
"""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.corpus import CorpusError
from helpers.corpus.schema import valid_name, valid_text, visible

from corpus_files import load, tar_bytes

#: Every C0 and C1 control and DEL except NUL (no file name holds one): the characters
#: valid_text removes or turns into line breaks (TAB and LF it keeps).
CONTROLS = [chr(c) for c in (*range(0x01, 0x20), *range(0x7F, 0xA0))]
ARTICLE = "عنوان الخبر\n\nالقاهرة - نص الخبر الأول.\n"


def name_of(c: str) -> str:
    return f"U+{ord(c):04X}"


@pytest.mark.parametrize("c", CONTROLS, ids=name_of)
def test_paths_and_ids_keep_control_characters(tmp_path, c):
    files = {
        f"خبر{c}أول.txt": ARTICLE,                                   # id: the file's stem
        f"سجل{c}.json": json.dumps([{"id": f"رقم{c}7", "title": "عنوان", "body": "نص"},
                                    {"title": f"عنوان{c}ثان", "body": "نص"}]),   # made up
        f"فارغ{c}.txt": "",                                         # skipped: empty
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / f"أرشيف{c}.tar.gz").write_bytes(tar_bytes({f"عضو{c}.txt": ARTICLE.encode()}, "w:gz"))
    articles, report = load(tmp_path)
    rows = dict(zip(articles["id"], articles["path"]))
    seed, records, empty = files
    stem = seed.removesuffix(".txt")
    assert rows[stem] == seed
    assert rows[f"رقم{c}7"] == records
    assert rows[f"{records}#2"] == records
    assert rows[f"عضو{c}"] == f"أرشيف{c}.tar.gz/عضو{c}.txt"
    assert all((tmp_path / p).exists() for p in articles["path"] if ".tar.gz/" not in p)
    assert [s.path for s in report.skipped] == [empty]
    # text columns keep their rule: the control is gone or a line break
    expected = valid_text(f"عنوان{c}ثان")[0]
    assert articles.loc[articles["id"] == f"{records}#2", "title"].tolist() == [expected]
    assert c not in expected or c in "\t\n"                  # TAB and LF are text
    # shown escaped wherever shown; the error names the file as it is
    text, html = str(report), report._repr_html_()
    assert visible(empty) in text and c not in text.replace("\n", "")
    assert c not in html
    with pytest.raises(CorpusError) as error:
        load(tmp_path, strict=True)
    assert error.value.path == empty and c not in str(error.value)


@pytest.mark.parametrize("fmt, content", [
    ("json", lambda v: json.dumps([{"id": v, "title": "عنوان", "body": "نص"}])),
    ("jsonl", lambda v: json.dumps({"id": v, "title": "عنوان", "body": "نص"}) + "\n"),
    ("csv", lambda v: f'id,title,body\n"{v}",عنوان,نص\n'),
    ("xml", lambda v: f"<DOC><DOCNO>{v}</DOCNO><TITLE>عنوان</TITLE><TEXT>نص</TEXT></DOC>"),
])
@pytest.mark.parametrize("c", ["\x07", "\x1b", "\x0b", "\x85", "\x9f", "\x7f"], ids=name_of)
def test_an_id_from_a_record_is_kept_as_it_is(tmp_path, fmt, content, c):
    (tmp_path / f"a.{fmt}").write_text(content(f"خبر-{c}-1"), encoding="utf-8")
    articles, report = load(tmp_path)
    assert articles["id"].tolist() == [f"خبر-{c}-1"]
    assert not report.warnings or fmt == "xml"       # (TREC: an illegal XML character)


@pytest.mark.parametrize("escape, expected", [
    ("\\ud800", "\ufffd"), ("\\udfff", "\ufffd"), ("\\ud83d\\udc00", "\U0001f400"),
    ("\\u0007\\ud800", "\x07\ufffd"),
])
def test_a_lone_surrogate_in_an_id_is_replaced_and_reported(tmp_path, escape, expected):
    (tmp_path / "a.json").write_text(
        '[{"id": "x%sy", "title": "عنوان", "body": "نص"}]' % escape, encoding="utf-8")
    articles, report = load(tmp_path)
    assert articles["id"].tolist() == [f"x{expected}y"]
    replaced = [w for w in report.warnings if w.kind == "replaced_surrogates"]
    assert len(replaced) == ("\ufffd" in expected)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())))
def test_valid_name_changes_nothing_but_surrogates(text):
    name, replaced = valid_name(text)
    name.encode("utf-8")                                     # storable
    assert valid_name(name) == (name, 0)                     # idempotent
    if not any(unicodedata.category(ch) == "Cs" for ch in text):
        assert (name, replaced) == (text, 0)                 # the real name, as it is
    else:
        assert replaced == name.count("\ufffd") - text.count("\ufffd")
        # what valid_text keeps of a name differs only by the controls it removes
        assert valid_text(name)[0] == valid_text(text)[0]
