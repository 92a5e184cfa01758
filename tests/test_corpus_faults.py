"""Faults in one file or one record stay in that file or record (helpers.corpus).

Every hostile input -- a lone surrogate, JSON nested too deep, ``Infinity`` or a date out of
range, an integer too long for Python, a CSV quote never closed, a TREC field never closed,
a file name that is not UTF-8, an error inside a parser or a worker process -- is loaded
around (the rest of the file and the corpus load, the bad record is reported with its file,
number and reason) or, with ``strict=True``, raises :class:`CorpusError` naming the file.
Each fault is tested as a class: generated variants, and a hypothesis fuzz over mutated
files of every text format.
"""

from __future__ import annotations

import csv
import io
import json
import pickle
import tempfile
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.corpus import CorpusError, LoadReport, formats, parse
from helpers.corpus import parser as parser_module
from helpers.corpus.formats import parse_blob
from helpers.corpus.records import records_from_json
from helpers.corpus.trec import trec_fields
from helpers.corpus.schema import Options, valid_text
from corpus_files import load, write

OPTS = Options(None, None, ())
GOOD = [{"title": f"عنوان {i}", "body": f"القاهرة - نص الخبر رقم {i}."} for i in range(4)]


def notes(report: LoadReport, path: str) -> list[str]:
    """Every skip reason and warning message about ``path``."""
    return [s.reason for s in report.skipped if s.path == path] + [
        w.message for w in report.warnings if w.path == path]


# --------------------------------------------------------------------------------------
# one bad record among good ones: every format, every kind of bad value
# --------------------------------------------------------------------------------------

DEEP = 50_000   # levels: far beyond Python's recursion limit

#: Bad values (JSON text) and the field they go into.
BAD_JSON_VALUES = {
    "lone high surrogate in the title": ("title", '"خبر \\ud800 عاجل"'),
    "lone low surrogate in the body": ("body", '"نص \\udfff"'),
    "reversed surrogate pair in the id": ("id", '"\\udc00\\ud800"'),
    "surrogate in the source": ("source", '"\\udbff"'),
    "surrogate in a list body": ("body", '["فقرة", "\\ud83d"]'),
    "array nested too deep": ("body", "[" * DEEP + "]" * DEEP),
    "object nested too deep": ("body", '{"a":' * DEEP + "1" + "}" * DEEP),
    "Infinity date": ("date", "Infinity"),
    "-Infinity date": ("date", "-Infinity"),
    "float overflowing to infinity": ("date", "1e400"),
    "integer date beyond the digit limit": ("date", "9" * 5000),
    "integer date of 400 digits": ("date", "1" + "0" * 400),
    "date out of range (year 99999)": ("date", '"99999-01-01"'),
    "date out of range (month 13)": ("date", '"2020-13-45T99:00:00"'),
    "negative huge timestamp": ("date", "-" + "9" * 30),
}


def _json_record(field: str, raw: str) -> str:
    record = {"title": "عنوان سيئ", "body": "نص سيئ"}
    record[field] = None
    text = json.dumps(record, ensure_ascii=False)
    return text.replace(f'"{field}": null', f'"{field}": {raw}')


def _hostile_json(field: str, raw: str, bad_at: int) -> str:
    records = [json.dumps(r, ensure_ascii=False) for r in GOOD]
    records.insert(bad_at - 1, _json_record(field, raw))
    return "[" + ",\n".join(records) + "]"


def _hostile_jsonl(field: str, raw: str, bad_at: int) -> str:
    records = [json.dumps(r, ensure_ascii=False) for r in GOOD]
    records.insert(bad_at - 1, _json_record(field, raw))
    return "\n".join(records) + "\n"


#: Values that used to stop the load and are now read as they are (no fault left).
CLEAN_JSON_VALUES = {
    "integer id beyond the digit limit": ("id", "9" * 5000, "9" * 5000),
    "NaN date (missing)": ("date", "NaN", None),
    "control characters": ("title", '"ع\\u0000\\u0007ن"', "عن"),
}

HOSTILE: dict[str, tuple[str, str | bytes, str, int]] = {}   # id -> (name, data, label, good)
for _name, (_field, _raw) in BAD_JSON_VALUES.items():
    for _bad_at in (1, 3):
        HOSTILE[f"json: {_name} (record {_bad_at})"] = (
            "a.json", _hostile_json(_field, _raw, _bad_at), f"record {_bad_at}", len(GOOD))
    HOSTILE[f"jsonl: {_name}"] = (
        "a.jsonl", _hostile_jsonl(_field, _raw, 2), "line 2", len(GOOD))
HOSTILE["csv: quote never closed, swallowing to the end"] = (
    "a.csv", 'title,body\nع1,ن1\nع2,"ن2 بلا إغلاق\nع3,ن3\nع4,ن4\n', "line 3", 3)
HOSTILE["csv: quote never closed, swallowing to a later quoted field"] = (
    "a.csv", 'title,body,src\nع1,"ن1 بلا إغلاق,x\nع2,ن2,x\nع3,"ن3",x\nع4,ن4,x\n', "line 2", 3)
HOSTILE["csv: date out of range"] = (
    "a.csv", "title,body,date\nع1,ن1,2020-01-01\nع2,ن2,99999-99-99\nع3,ن3,\n", "line 3", 3)
HOSTILE["tsv: quote never closed"] = (
    "a.tsv", 'title\tbody\nع1\t"ن1\nع2\tن2\nع3\tن3\n', "line 2", 2)
HOSTILE["trec: <TEXT> never closed"] = (
    "a.xml", ("<DOC><DOCNO>d1</DOCNO><TEXT>نص <b>عاجل</b> بقية</DOC>\n"
              "<DOC><DOCNO>d2</DOCNO><TEXT>نص ثان</TEXT></DOC>\n"), "<DOC> 1", 2)
HOSTILE["trec: unreadable <TIME>"] = (
    "a.xml", ("<DOC><DOCNO>d1</DOCNO><TIME>Infinity</TIME><TEXT>نص</TEXT></DOC>\n"
              "<DOC><DOCNO>d2</DOCNO><TEXT>نص ثان</TEXT></DOC>\n"), "<DOC> 1", 2)
HOSTILE["json feed: item with a surrogate in content_html"] = (
    "feed.json", json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "موقع",
                             "items": [{"id": "1", "content_html": "<p>نص \ud800</p>"},
                                       {"id": "2", "content_text": "نص"}]}),
    "item 1", 2)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_one_bad_record_is_reported_and_the_rest_loads(tmp_path, case):
    name, data, label, good = HOSTILE[case]
    write(tmp_path, {name: data, "ok.txt": "عنوان\n\nنص سليم.\n"})
    articles, report = load(tmp_path)
    # the rest of the file and the corpus load (a bad value may load with a warning)
    assert report.loaded >= good + 1
    assert "ok.txt" in set(articles["path"])
    # the bad record is reported with its file, its number and a reason
    about = notes(report, name)
    assert any(label in m for m in about), (label, about)
    # strict: CorpusError naming the file, never another exception
    with pytest.raises(CorpusError) as e:
        load(tmp_path, strict=True)
    assert e.value.path == name


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
@pytest.mark.parametrize("case", sorted(CLEAN_JSON_VALUES))
def test_values_that_used_to_stop_the_load_are_read(tmp_path, case, fmt):
    field, raw, expected = CLEAN_JSON_VALUES[case]
    make = _hostile_json if fmt == "json" else _hostile_jsonl
    write(tmp_path, {f"a.{fmt}": make(field, raw, 2)})
    articles, report = load(tmp_path, strict=True)
    assert report.loaded == len(GOOD) + 1 and not report.skipped
    if expected is not None:
        assert articles.loc[1, field] == expected


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_results_of_hostile_files_are_valid_text_and_pickle(case):
    name, data, _, _ = HOSTILE[case]
    result = parse_blob(name, data.encode("utf-8", "surrogatepass") if isinstance(data, str)
                        else data, OPTS)
    again = pickle.loads(pickle.dumps(result))
    assert again == result
    for row in result.rows:
        for value in row:
            if isinstance(value, str):
                assert valid_text(value) == (value, 0) or value == row[3]
                value.encode("utf-8")
    assert result.seen == len(result.rows) + len(result.skipped)


def test_lone_surrogates_become_replacement_characters_with_a_warning(tmp_path):
    write(tmp_path, {"a.json": _hostile_json("title", '"خبر \\ud800 عاجل"', 2)})
    articles, report = load(tmp_path)
    assert articles.loc[1, "title"] == "خبر \ufffd عاجل"
    [warning] = [w for w in report.warnings if w.kind == "replaced_surrogates"]
    assert warning.path == "a.json" and warning.message.startswith("record 2:")


@pytest.mark.parametrize("char, expected", [
    ("\x00", ""), ("\x02", ""), ("\x07", ""), ("\x1b", ""), ("\x7f", ""), ("\x9f", ""),
    ("\x0b", "\n"), ("\x0c", "\n"), ("\x85", "\n"), ("\x1e", "\n"), ("\r", "\n"),
    ("\t", "\t"), ("\u200f", "\u200f"), ("\u202b", "\u202b"),
])
def test_control_characters_rule(tmp_path, char, expected):
    body = f"القاهرة -{char}نص"
    write(tmp_path, {"a.jsonl": json.dumps({"title": f"ع{char}ن", "body": body}) + "\n"})
    articles, report = load(tmp_path)
    assert articles.loc[0, "body"] == f"القاهرة -{expected}نص"
    assert articles.loc[0, "title"] == f"ع{expected}ن"
    assert not [w for w in report.warnings if w.kind == "replaced_surrogates"]


@pytest.mark.parametrize("text", ["", "a", "\ud800", "y\udc80\udcff", "\ud83d\udc00",
                                  "خبر\x00\x01\r\n\x0b\x85\ud800x", "\x9f\u202b"])
def test_valid_text_is_idempotent_and_encodable(text):
    once, _ = valid_text(text)
    once.encode("utf-8")
    assert valid_text(once) == (once, 0)


@given(st.text())
def test_valid_text_property(text):
    once, replaced = valid_text(text)
    once.encode("utf-8")
    assert valid_text(once) == (once, 0)
    assert replaced <= sum("\ud800" <= c <= "\udfff" for c in text)


# --------------------------------------------------------------------------------------
# the guards: a record, a file, a worker process
# --------------------------------------------------------------------------------------

ERRORS = [ValueError("bad value"), TypeError("bad type"), KeyError("k"), RecursionError(),
          OverflowError("too big"), UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogate"),
          MemoryError(), ZeroDivisionError("x")]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("name, data, label", [
    ("a.json", json.dumps(GOOD, ensure_ascii=False), "record 2"),
    ("a.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in GOOD), "line 2"),
    ("a.csv", "title,body\n" + "".join(f"{r['title']},{r['body']}\n" for r in GOOD), "line 3"),
    ("a.xml", "".join(f"<DOC><TITLE>{r['title']}</TITLE><TEXT>{r['body']}</TEXT></DOC>"
                      for r in GOOD), "<DOC> 2"),
])
def test_an_error_while_building_a_record_skips_that_record(tmp_path, monkeypatch, error,
                                                            name, data, label):
    real = parser_module.Parser.add

    def add(self, **fields):
        if fields.get("title") == GOOD[1]["title"]:
            real(self, **fields)        # half-added, then the error: undone
            raise error
        real(self, **fields)

    monkeypatch.setattr(parser_module.Parser, "add", add)
    write(tmp_path, {name: data})
    articles, report = load(tmp_path, workers=1)
    assert articles["title"].tolist() == [GOOD[i]["title"] for i in (0, 2, 3)]
    [skip] = report.skipped
    assert skip.path == name and skip.reason.startswith(f"{label}: skipped")
    assert type(error).__name__ in skip.reason
    with pytest.raises(CorpusError) as e:
        load(tmp_path, strict=True, workers=1)
    assert e.value.path == name


@pytest.mark.parametrize("parser, name, data", [
    ("parse_seed", "a.txt", "عنوان\n\nنص.\n"),
    ("parse_trec", "a.xml", "<DOC><TEXT>نص</TEXT></DOC>"),
    ("parse_json", "a.json", json.dumps(GOOD)),
    ("parse_jsonl", "a.jsonl", json.dumps(GOOD[0])),
    ("parse_csv", "a.csv", "title,body\nع,ن\n"),
    ("parse_parquet", "a.parquet", None),
])
@pytest.mark.parametrize("error", ERRORS[:4], ids=lambda e: type(e).__name__)
def test_an_error_inside_a_parser_skips_that_file(tmp_path, monkeypatch, parser, name, data,
                                                  error):
    def broken(p, *args):
        p.add(id="half", title="نصف", body="مقال")   # added, then the error: dropped
        raise error

    monkeypatch.setattr(formats, parser, broken)
    if data is None:
        pd.DataFrame(GOOD).to_parquet(tmp_path / name)
    else:
        write(tmp_path, {name: data})
    ok = "z/ok.jsonl" if parser == "parse_seed" else "z/ok.txt"
    write(tmp_path, {ok: json.dumps({"title": "عنوان", "body": "نص سليم."}) + "\n"
                     if ok.endswith(".jsonl") else "عنوان\n\nنص سليم.\n"})
    articles, report = load(tmp_path, workers=1)
    assert articles["path"].tolist() == [ok]
    [skip] = report.skipped
    assert skip.path == name and "parsing it failed" in skip.reason
    assert type(error).__name__ in skip.reason
    with pytest.raises(CorpusError) as e:
        load(tmp_path, strict=True, workers=1)
    assert e.value.path == name


class _FailingPool:
    """A process pool whose every task fails with ``error`` (as a dead or unpicklable
    worker would make it)."""

    error: BaseException = RuntimeError("worker failed")

    def __init__(self, *args, **kwargs):
        pass

    def submit(self, fn, *args):
        future: Future = Future()
        future.set_exception(self.error)
        return future

    def shutdown(self, **kwargs):
        pass


def _many_files(root: Path, n: int = 40) -> Path:
    return write(root, {f"{i:03d}.txt": f"عنوان {i}\n\nنص الخبر رقم {i}.\n" for i in range(n)})


@pytest.mark.parametrize("error", [RuntimeError("boom"), pickle.PicklingError("no pickle"),
                                   ValueError("bad result")], ids=lambda e: type(e).__name__)
def test_an_exception_from_a_worker_process_does_not_stop_the_load(tmp_path, monkeypatch,
                                                                   error):
    _many_files(tmp_path)
    expected, _ = load(tmp_path, workers=1)
    monkeypatch.setattr(parse, "_INPROCESS_BYTES", 0)
    monkeypatch.setattr(parse, "_BATCH_BYTES", 100)
    monkeypatch.setattr(parse, "ProcessPoolExecutor", _FailingPool)
    monkeypatch.setattr(_FailingPool, "error", error)
    articles, report = load(tmp_path, workers=2)     # parsed again in this process
    pd.testing.assert_frame_equal(articles, expected)
    assert not report.skipped


def test_a_dead_worker_process_skips_its_files_and_the_load_goes_on(tmp_path, monkeypatch):
    _many_files(tmp_path)
    monkeypatch.setattr(parse, "_INPROCESS_BYTES", 0)
    monkeypatch.setattr(parse, "_BATCH_BYTES", 100)
    monkeypatch.setattr(parse, "ProcessPoolExecutor", _FailingPool)
    monkeypatch.setattr(_FailingPool, "error", BrokenProcessPool("a worker died"))
    _, report = load(tmp_path, workers=2)
    assert report.loaded + len(report.skipped) == 40
    assert report.skipped and all("worker process" in s.reason for s in report.skipped)
    with pytest.raises(CorpusError):
        load(tmp_path, workers=2, strict=True)


def test_hostile_files_in_real_worker_processes(tmp_path, monkeypatch):
    monkeypatch.setattr(parse, "_INPROCESS_BYTES", 0)
    monkeypatch.setattr(parse, "_BATCH_BYTES", 1000)
    files = {f"{i:02d}-{name}": data for i, (name, data, _, _) in
             enumerate(HOSTILE[c] for c in sorted(HOSTILE))}
    write(tmp_path, files)
    in_process, report1 = load(tmp_path, workers=1)
    in_workers, report2 = load(tmp_path, workers=2)
    pd.testing.assert_frame_equal(in_process, in_workers)
    assert (report1.skipped, report1.warnings) == (report2.skipped, report2.warnings)


# --------------------------------------------------------------------------------------
# JSON: wrappers under any key, JSON Feed
# --------------------------------------------------------------------------------------

WRAPPERS = {
    "one level": lambda a: ({"articles": a}, "articles"),
    "one level, other keys": lambda a: ({"status": "ok", "count": 3, "news": a}, "news"),
    "one level, a title (feed-like)": lambda a: ({"title": "موقع", "entries": a}, "entries"),
    "one level, an Arabic key": lambda a: ({"الأخبار": a}, "الأخبار"),
    "two levels": lambda a: ({"data": {"articles": a}}, "data.articles"),
    "two levels, metadata beside": lambda a: (
        {"meta": {"authors": [{"name": "x"}]}, "response": {"docs": a, "n": 3}},
        "response.docs"),
    "pages": lambda a: ({"pages": [{"page": 1, "articles": a[:2]},
                                   {"page": 2, "articles": a[2:]}]}, "pages[].articles"),
    "a list of non-articles beside": lambda a: (
        {"tags": [{"label": "x"}], "items": a}, "items"),
}


@pytest.mark.parametrize("shape", sorted(WRAPPERS))
def test_json_wrapper_under_any_key(tmp_path, shape):
    wrapped, key = WRAPPERS[shape](GOOD)
    write(tmp_path, {"w.json": json.dumps(wrapped, ensure_ascii=False)})
    articles, report = load(tmp_path)
    assert articles["title"].tolist() == [r["title"] for r in GOOD]
    [warning] = [w for w in report.warnings if w.kind == "json_wrapper"]
    assert repr(key) in warning.message
    records, keys = records_from_json(wrapped)
    assert keys == [key] and len(records) == len(GOOD)


@pytest.mark.parametrize("article", [
    {"title": "ع", "body": "ن", "related": [{"title": "آخر", "url": "http://x"}]},
    {"title": "ع", "body": "ن", "comments": [{"text": "تعليق", "author": "x"}]},
    {"headline": "ع", "content": ["فقرة", "فقرة ثانية"], "images": [{"src": "a.jpg"}]},
    {"title": "ع", "text": "ن", "data": {"items": [{"title": "t", "body": "b"}]}},
])
def test_an_article_with_lists_of_objects_is_one_article(tmp_path, article):
    write(tmp_path, {"a.json": json.dumps(article, ensure_ascii=False)})
    articles, report = load(tmp_path)
    assert articles["title"].tolist() == ["ع"]
    assert not [w for w in report.warnings if w.kind == "json_wrapper"]


def test_json_wrapper_with_two_arrays_of_articles_loads_both(tmp_path):
    wrapped = {"news": GOOD[:2], "opinion": GOOD[2:]}
    write(tmp_path, {"w.json": json.dumps(wrapped, ensure_ascii=False)})
    articles, report = load(tmp_path)
    assert articles["title"].tolist() == [r["title"] for r in GOOD]
    assert articles["id"].tolist() == [f"w.json#{i}" for i in range(1, 5)]
    assert "'news', 'opinion'" in report.warnings[0].message


FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "الجزيرة نت",
    "home_page_url": "https://example.com/",
    "items": [
        {"id": "1", "url": "https://example.com/1", "title": "عنوان أول",
         "content_text": "موسكو - نص أول.", "content_html": "<p>غير مستعمل</p>",
         "summary": "ملخص", "date_published": "2020-05-01T10:00:00+03:00",
         "authors": [{"name": "كاتب"}, {"name": "آخر"}], "tags": ["سياسة", "روسيا"]},
        {"id": "2", "title": "عنوان ثان",
         "content_html": "<p>القاهرة - فقرة</p><script>x()</script><p>فقرة &amp; ثانية</p>"},
        {"id": "3", "content_text": "نص بلا عنوان", "author": {"name": "قديم"}},
        "not an item",
        {"id": "5", "url": "https://example.com/5"},
    ],
}


def test_json_feed(tmp_path):
    write(tmp_path, {"feed.json": json.dumps(FEED, ensure_ascii=False)})
    articles, report = load(tmp_path)
    assert articles["id"].tolist() == ["1", "2", "3"]
    first, second, third = (articles.iloc[i] for i in range(3))
    assert (first["title"], first["body"], first["abstract"], first["url"]) == (
        "عنوان أول", "موسكو - نص أول.", "ملخص", "https://example.com/1")
    assert first["author"] == "كاتب, آخر" and first["category"] == "سياسة, روسيا"
    assert first["date"] == pd.Timestamp("2020-05-01 07:00", tz="UTC")
    assert first["dateline"] == "موسكو"
    assert second["body"] == "القاهرة - فقرة\nفقرة & ثانية"
    assert third["author"] == "قديم" and pd.isna(third["title"])
    assert set(articles["source"]) == {"الجزيرة نت"}
    assert [s.reason for s in report.skipped] == [
        "item 4: not an object (str)", "item 5: no title or body"]


# --------------------------------------------------------------------------------------
# CSV: quotes never closed, BOM, sep=, NUL, delimiters
# --------------------------------------------------------------------------------------


def _csv_text(rows: list[list[str]], delimiter: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue()


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("broken", [1, 3, 6])
@pytest.mark.parametrize("later_quotes", [False, True])
def test_csv_quote_never_closed_swallows_nothing(tmp_path, delimiter, broken, later_quotes):
    rows = [[f"عنوان {i}", f"نص {i}", f"مصدر {i}"] for i in range(1, 9)]
    lines = _csv_text([["title", "body", "source"], *rows], delimiter).splitlines()
    if later_quotes:             # a later row quotes a field: the runaway quote "closes" there
        lines[8] = delimiter.join(["عنوان 8", '"نص 8"', "مصدر 8"])
    lines[broken] = lines[broken].replace(f"نص {broken}", f'"نص {broken} بلا إغلاق')
    write(tmp_path, {"a.csv": "\n".join(lines) + "\n"})
    articles, report = load(tmp_path)
    assert articles["title"].tolist() == [f"عنوان {i}" for i in range(1, 9) if i != broken]
    [skip] = report.skipped
    assert skip.path == "a.csv"
    assert skip.reason.startswith(f"line {broken + 1}: a quote opened here is never closed")
    swallowed = 8 - broken
    assert f"swallowed the next {swallowed:,} line(s)" in skip.reason
    with pytest.raises(CorpusError) as e:
        load(tmp_path, strict=True)
    assert e.value.path == "a.csv"


_FIELD = st.text(st.sampled_from(list("ab عن،,;\t\"'\n")), min_size=1, max_size=12) \
    .map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_FIELD, _FIELD, _FIELD), min_size=1, max_size=8),
       st.sampled_from([",", ";", "\t"]))
def test_well_formed_csv_is_read_exactly(rows, delimiter):
    """No quote problem is seen in a CSV written by a CSV writer, whatever its fields."""
    text = _csv_text([["title", "body", "source"], *map(list, rows)], delimiter)
    result = parse_blob("a.tsv" if delimiter == "\t" else "a.csv", text.encode(), OPTS)
    assert not result.skipped
    got = [(r[4], r[5], r[1]) for r in result.rows]
    assert got == [tuple(valid_text(v)[0].strip() for v in row) for row in rows]


@pytest.mark.parametrize("prefix", ["\ufeff", "sep=;\n", "\ufeffsep=;\n"])
def test_csv_bom_and_excel_sep_line(tmp_path, prefix):
    text = prefix + "title;body\nع1;ن1, مع فاصلة\nع2;ن2\n"
    write(tmp_path, {"a.csv": text})
    articles, report = load(tmp_path)
    assert articles["title"].tolist() == ["ع1", "ع2"]
    assert articles["body"].tolist() == ["ن1, مع فاصلة", "ن2"]
    assert not report.skipped


@pytest.mark.parametrize("header, delimiter", [
    ('"title, main";body', ";"), ('"a;b",title,body', ","), ("title|body", "|"),
    ("title\tbody", "\t"), ("title,body", ","),
])
def test_csv_delimiter_sniffed_with_quotes(tmp_path, header, delimiter):
    width = len(next(csv.reader([header], delimiter=delimiter)))
    row = delimiter.join(["ع"] * (width - 1) + ["ن; و, ن"] if delimiter not in ";,"
                         else ["ع"] * (width - 1) + ['"ن; و, ن"'])
    write(tmp_path, {"a.csv": f"{header}\n{row}\n"})
    articles, _ = load(tmp_path, mapping={"title": next(csv.reader([header],
                                                                   delimiter=delimiter))[0]})
    assert len(articles) == 1 and articles.loc[0, "body"] == "ن; و, ن"


def test_csv_nul_characters_are_dropped_with_a_warning():
    text = "title,body\nع1,ن\x001\n" + "ع,ن\n" * 20_000 + "ع2,ن\x00\x002\n"
    result = parse_blob("a.csv", text.encode(), Options(None, "utf-8", ()))
    assert [r[5] for r in result.rows][::20_001] == ["ن1", "ن2"]
    assert [w.kind for w in result.warnings] == ["nul_chars"]
    assert result.warnings[0].message.startswith("3 NUL")


# --------------------------------------------------------------------------------------
# Parquet: binary text, the size bound
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "cp1256", "utf-16", "utf-8-sig"])
def test_parquet_binary_body_decoded_by_the_decoding_rule(tmp_path, encoding):
    bodies = ["القاهرة - نص الخبر الأول في السوق اليوم.", "نص ثان عن الأسعار والأسواق."]
    table = pa.table({"title": ["ع1", "ع2"],
                      "body": pa.array([b.encode(encoding) for b in bodies], pa.binary())})
    pq.write_table(table, tmp_path / "a.parquet")
    articles, _ = load(tmp_path)
    assert articles["body"].tolist() == bodies
    assert articles.loc[0, "dateline"] == "القاهرة"
    assert set(articles["encoding"]) == {"utf-16" if encoding == "utf-16" else encoding}


def test_parquet_binary_garbage_skips_the_row(tmp_path):
    table = pa.table({"title": ["ع1", "ع2"],
                      "body": pa.array(["نص".encode(), bytes(range(256)) * 4], pa.binary())})
    pq.write_table(table, tmp_path / "a.parquet")
    articles, report = load(tmp_path)
    assert articles["title"].tolist() == ["ع1"]
    assert report.skipped[0].reason.startswith("row 2: unreadable value (column 'body'")


def test_parquet_bad_timestamp_skips_the_row_not_the_file(tmp_path):
    table = pa.table({"title": ["ع1", "ع2"], "body": ["ن1", "ن2"],
                      "date": pa.array([0, 10**12], pa.timestamp("s"))})
    pq.write_table(table, tmp_path / "a.parquet")
    articles, report = load(tmp_path)
    assert articles["title"].tolist() == ["ع1"]
    assert report.skipped[0].reason.startswith("row 2: unreadable value (column 'date'")


def _repetitive_parquet(path: Path, rows: int, text_bytes: int) -> None:
    body = "نص " * (text_bytes // 6)
    pq.write_table(pa.table({"title": ["ع"] * rows, "body": [body] * rows}), path,
                   compression="zstd")


def test_parquet_beyond_the_bound_is_skipped_before_it_is_expanded(tmp_path):
    _repetitive_parquet(tmp_path / "big.parquet", rows=4_000, text_bytes=2_500)   # ~10 MB
    write(tmp_path, {"ok.txt": "عنوان\n\nنص سليم.\n"})
    size = (tmp_path / "big.parquet").stat().st_size
    assert size < 100_000
    articles, report = load(tmp_path, max_total_bytes=2_000_000)
    assert articles["path"].tolist() == ["ok.txt"]
    [skip] = report.skipped
    assert skip.path == "big.parquet" and "max_total_bytes" in skip.reason
    assert "expand to" in skip.reason              # the metadata size is small
    with pytest.raises(CorpusError, match="big.parquet"):
        load(tmp_path, max_total_bytes=2_000_000, strict=True)
    articles, report = load(tmp_path)                 # the default bound: read
    assert report.loaded == 4_001


@pytest.mark.parametrize("bound", [0, 1000, 100_000])
def test_parquet_metadata_size_checked_against_max_bytes(tmp_path, bound):
    pd.DataFrame({"title": [f"ع{i}" for i in range(2000)],
                  "body": [f"نص رقم {i} " * 20 for i in range(2000)]}).to_parquet(
        tmp_path / "a.parquet")
    data = (tmp_path / "a.parquet").read_bytes()
    result = parse_blob("a.parquet", data, OPTS._replace(max_bytes=bound))
    assert not result.rows and "uncompressed" in result.skipped[0].reason
    assert len(parse_blob("a.parquet", data, OPTS._replace(max_bytes=10**9)).rows) == 2000


# --------------------------------------------------------------------------------------
# TREC: fields never closed, and a scanner linear on malformed input
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("<TEXT>نص <b>عاجل</b> وبقية\nسطر ثان", "نص <b>عاجل</b> وبقية\nسطر ثان"),
    ("<TEXT>نص <p>فقرة<p>فقرة<br/>سطر", "نص <p>فقرة<p>فقرة<br/>سطر"),
    ("<text>نص <i>مائل</i>", "نص <i>مائل</i>"),
    ("<TEXT>نص <A href='x'>رابط</A> <TITLE>ع</TITLE>", "نص <A href='x'>رابط</A>"),
])
def test_trec_field_never_closed_runs_to_the_next_known_field(tmp_path, text, expected):
    write(tmp_path, {"a.xml": f"<DOC><DOCNO>d1</DOCNO>{text}</DOC>\n",
                     "b.xml": f"<DOC><DOCNO>d2</DOCNO>{text}</DOC>\n"
                              "<DOC><DOCNO>d3</DOCNO><TEXT>ن</TEXT></DOC>\n"})
    articles, report = load(tmp_path)
    assert articles["body"].tolist() == [expected, expected, "ن"]
    unclosed = [w for w in report.warnings if w.kind == "unclosed_tag"]
    assert [(w.path, w.message.split(" never")[0]) for w in unclosed] == [
        ("a.xml", "<" + text[1:5] + ">"), ("b.xml", "<DOC> 1: <" + text[1:5] + ">")]
    with pytest.raises(CorpusError, match="never closed"):
        load(tmp_path, strict=True)


MALFORMED = {
    "opens never closed": lambda n: "<TEXT>x" * n,
    "opens and inline tags": lambda n: "<TEXT>x<b>y" * n,
    "closes only": lambda n: "</TEXT>" * n,
    "different opens then closes": lambda n: "".join(f"<T{i % 50}>" for i in range(n))
    + "</T1>" * n,
    "nested same tag": lambda n: "<TEXT>" * n + "</TEXT>" * n,
    "mixed case closes": lambda n: "<TEXT>a</text>" * n,
    "unknown tags unclosed": lambda n: "<X>a<Y>b" * n,
    "cdata never closed": lambda n: "<TEXT>" + "<![CDATA[&" * n + "</TEXT>",
}


@pytest.mark.parametrize("shape", sorted(MALFORMED))
def test_trec_scanner_is_linear_on_malformed_input(shape):
    make = MALFORMED[shape]
    small, large = trec_fields(make(2_000)), trec_fields(make(8_000))
    assert large.steps <= 4.5 * small.steps + 10, (small.steps, large.steps)
    assert small.steps <= 10 * 2_000 + 10


def test_trec_scanner_matches_the_plain_reading():
    doc = ("<DOCNO>1</DOCNO><TITLE>ع &amp; غ</TITLE><TEXT>نص <b>ب</b></TEXT>"
           "<TEXT>ثان</TEXT><AUTHOR/>")
    got = trec_fields(doc)
    assert got.fields == {"docno": "1", "title": "ع & غ", "text": "نص <b>ب</b>\nثان",
                          "author": ""}
    assert not got.plain and not got.unclosed
    assert trec_fields("<DOCNO>1</DOCNO><TEXT>ن</TEXT>").plain


# --------------------------------------------------------------------------------------
# fuzz: random and mutated files never break a load
# --------------------------------------------------------------------------------------

SEEDS: dict[str, bytes] = {
    "a.json": json.dumps(GOOD, ensure_ascii=False).encode(),
    "w.json": json.dumps({"data": {"articles": GOOD}}, ensure_ascii=False).encode(),
    "f.json": json.dumps(FEED, ensure_ascii=False).encode(),
    "a.jsonl": "\n".join(json.dumps(r, ensure_ascii=False) for r in GOOD).encode(),
    "a.csv": _csv_text([["title", "body", "date"],
                        *[[r["title"], r["body"] + '\n"ب", ج', "2020-01-02"] for r in GOOD]],
                       ",").encode(),
    "a.tsv": _csv_text([["title", "body"], *[[r["title"], r["body"]] for r in GOOD]],
                       "\t").encode(),
    "a.xml": "".join(f"<DOC>\n<DOCNO>d{i}</DOCNO>\n<TITLE>{r['title']}</TITLE>\n"
                     f"<TIME>Mon, 26 Feb 2018 02:20:10 GMT</TIME>\n<TEXT>{r['body']}</TEXT>\n"
                     "</DOC>\n" for i, r in enumerate(GOOD)).encode(),
    "a.txt": "عنوان الخبر\n\nالقاهرة - نص الخبر.\n".encode(),
}
_buf = io.BytesIO()
pq.write_table(pa.table({"title": [r["title"] for r in GOOD],
                         "body": [r["body"] for r in GOOD]}), _buf)
SEEDS["a.parquet"] = _buf.getvalue()
_PIECES = [b"\\ud800", b"[" * 3000, b"{", b"}", b'"', b",", b"\n", b"\t", b"\x00", b"\xff",
           b"Infinity", b"9" * 5000, b"<TEXT>", b"</DOC>", b"<DOC>", b"<![CDATA[", b"&#xD800;",
           b"\r", b"\xef\xbb\xbf", b"sep=;\n"]


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[name])
    if draw(st.booleans()) and draw(st.booleans()):
        return name, draw(st.binary(max_size=200))                   # random bytes
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "delete", "truncate", "duplicate", "flip"]))
        if op == "insert":
            data[at:at] = draw(st.one_of(st.sampled_from(_PIECES), st.binary(max_size=6)))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif op == "truncate":
            del data[at:]
        elif op == "duplicate":
            data[at:at] = data[at:at + draw(st.integers(1, 80))]
        elif data:
            data[min(at, len(data) - 1)] ^= draw(st.integers(1, 255))
    return name, bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutated(), min_size=1, max_size=3))
def test_fuzz_mutated_files_never_break_a_load(files):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for i, (name, data) in enumerate(files):
            (root / f"{i}-{name}").write_bytes(data)
        articles, report = load(root, workers=1)
        assert report.files == len(files)
        articles["body"].str.len()                 # usable text
        try:
            load(root, workers=1, strict=True)
        except CorpusError as e:
            assert e.path in {f"{i}-{name}" for i, (name, _) in enumerate(files)}


def test_benchmark_script_runs_small():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "bench_trec", Path(__file__).resolve().parents[1] / "benchmarks" / "bench_trec.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.main(sizes=(200, 800), quiet=True)
    assert set(result) >= {"opens never closed", "docs never closed"}
