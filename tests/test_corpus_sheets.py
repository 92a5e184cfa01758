"""Tests for helpers.corpus.sheets (Excel) and the field names every record format shares:
Arabic column names in FIELD_ALIASES, and the ``mapping=`` suggested for unknown headers.

Workbooks are written here with openpyxl; the legacy ``.xls`` fixture is
``tests/data/news.xls`` (made by ``tests/data/make_news_xls.py``).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.corpus import FIELD_ALIASES, CorpusError
from helpers.corpus.fields import norm_key, resolve_fields, unmapped_reason
from corpus_files import load

XLS = Path(__file__).parent / "data" / "news.xls"
BODY = "موسكو - وصل وزير الخارجية إلى موسكو اليوم لبحث الأزمة مع نظيره الروسي."
BODY2 = "القاهرة - ارتفعت أسعار النفط اليوم في الأسواق العالمية مع تصاعد التوتر."


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Write an .xlsx with ``{sheet name: rows}`` (the first sheet replaces the default)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def suggested_mapping(reason: str) -> dict[str, str]:
    return json.loads(re.search(r"mapping=(\{.*\})", reason).group(1))


# --------------------------------------------------------------------------------------
# Arabic field names
# --------------------------------------------------------------------------------------

ARABIC_NAMES = {
    "title": ["العنوان", "عنوان", "عنوان الخبر"],
    "body": ["النص", "نص", "المحتوى", "المتن", "الخبر", "نص الخبر"],
    "date": ["التاريخ", "تاريخ", "تاريخ النشر"],
    "source": ["المصدر", "الموقع", "الصحيفة", "الجريدة"],
    "url": ["الرابط", "الرابط الإلكتروني", "url"],
    "author": ["الكاتب", "المؤلف", "المحرر"],
    "category": ["القسم", "التصنيف", "الفئة", "الباب"],
    "abstract": ["الملخص", "المقدمة"],
    "id": ["المعرف", "الرقم"],
}


def variants(name: str) -> list[str]:
    """Spellings a spreadsheet may use for one name."""
    bare = name[2:] if name.startswith("ال") and len(name) > 4 else name
    out = {name, bare, "ال" + bare, f"  {name} ", name.replace(" ", "  "),
           name.replace(" ", "_"), name.replace(" ", "-")}
    out |= {v.replace("ا", "أ", 1) for v in list(out)}             # hamza forms
    out |= {v.replace("إ", "ا").replace("أ", "ا").replace("آ", "ا") for v in list(out)}
    out |= {v.replace("ة", "ه").replace("ى", "ي") for v in list(out)}
    out |= {v[:2] + "ـ" + v[2:] if len(v.strip()) > 3 else v for v in list(out)}  # tatweel
    out.add("\u200f" + name + "\u200f")                              # right-to-left marks
    out.add("العُنوان" if name == "العنوان" else name)             # a diacritic
    return sorted(out)


@pytest.mark.parametrize("column, name", [(c, n) for c, names in ARABIC_NAMES.items()
                                          for n in names])
def test_arabic_field_names_and_their_spellings(column, name):
    for spelling in variants(name):
        resolved = resolve_fields((spelling, "other"), ())
        assert resolved.get(column) == spelling, (spelling, resolved)


def test_aliases_are_unambiguous_after_normalising():
    seen: dict[str, str] = {}
    for column, names in FIELD_ALIASES.items():
        for name in names:
            key = norm_key(name)
            assert seen.setdefault(key, column) == column, (name, seen[key], column)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ابتجدرسعلمنهويأإآةىـ _-.ءؤئ"), max_size=20))
def test_norm_key_is_idempotent_and_spelling_blind(name):
    key = norm_key(name)
    assert norm_key(key) == key
    assert norm_key(name.replace("أ", "ا").replace("ة", "ه").replace("ـ", "")) == key


@pytest.mark.parametrize("name, key", [
    ("Head-Line", "head_line"), (" Body ", "body"), ("pub.date", "pub_date"),
    (" الـعنوان ", "عنوان"), ("تاريخ النشر", "تاريخ_نشر"), ("الإلكتروني", "كتروني"),
    ("الالكتروني", "كتروني"), ("ال", "ال"), ("الف", "الف"),
])
def test_norm_key_examples(name, key):
    assert norm_key(name) == key


def test_arabic_headers_in_csv(tmp_path):
    (tmp_path / "a.csv").write_text(
        f"المعرّف,العنوان,نص الخبر,تاريخ النشر,الصحيفة,الرابط الالكتروني\n"
        f"7,عنوان,\"{BODY}\",2021-05-01T10:00:00Z,الأهرام,https://x/1\n", encoding="utf-8")
    articles, report = load(tmp_path)
    row = articles.iloc[0]
    assert (row["id"], row["title"], row["body"], row["source"], row["url"]) == (
        "7", "عنوان", BODY, "الأهرام", "https://x/1")
    assert row["date"] == pd.Timestamp("2021-05-01 10:00", tz="UTC")


# --------------------------------------------------------------------------------------
# Excel
# --------------------------------------------------------------------------------------


def test_xlsx_arabic_headers_dates_and_sheets(tmp_path):
    workbook(tmp_path / "news.xlsx", {
        "أخبار": [
            ["المعرف", "العنوان", "النص", "تاريخ النشر", "المصدر", "القسم"],
            [1, "عنوان أول", BODY, datetime(2021, 5, 1, 10, 30), "الجزيرة", "سياسة"],
            [2, "عنوان ثان", BODY2, date(2021, 5, 2), "العربية", "اقتصاد"],
            [None, None, None, None, None, None],                        # blank row
            [3, "عنوان ثالث", "نص ثالث", "2021-05-03 08:00", "بي بي سي", None],
            [4, "عنوان رابع", "نص رابع", 44320, None, None],           # a date serial
        ],
        "مقالات": [
            ["ملاحظة: جمعت يدويا"],                                    # a note above
            [],
            ["الـعنوان", "المحتوى", "الكاتب"],
            ["مقال", "نص المقال", "كاتب"],
        ],
        "ملاحظات": [["بند", "قيمة"], ["المصدر", "مواقع"], ["الفترة", "2021"]],
        "فارغة": [],
    })
    articles, report = load(tmp_path)
    assert report.formats == {"xlsx": 5} and report.encodings == {"utf-8": 5}
    assert articles["title"].tolist() == ["عنوان أول", "عنوان ثان", "عنوان ثالث", "عنوان رابع",
                                          "مقال"]
    assert articles["id"].tolist()[:4] == ["1", "2", "3", "4"]
    assert articles["id"].iloc[4] == "news.xlsx#1"
    assert articles["date"].tolist()[:4] == [
        pd.Timestamp("2021-05-01 10:30", tz="UTC"), pd.Timestamp("2021-05-02", tz="UTC"),
        pd.Timestamp("2021-05-03 08:00", tz="UTC"), pd.Timestamp("2021-05-04", tz="UTC")]
    assert articles.loc[0, "source"] == "الجزيرة" and articles.loc[0, "dateline"] == "موسكو"
    assert articles.loc[4, "author"] == "كاتب"
    [skip] = report.skipped
    assert skip.path == "news.xlsx" and skip.kind == "ignored"   # other sheets hold articles
    assert skip.reason.startswith("sheet 'ملاحظات': no title or body column among 'بند', 'قيمة'")
    assert "mapping=" in skip.reason
    assert not report.warnings


def test_sheet_without_header_is_invalid_when_no_sheet_has_articles(tmp_path):
    workbook(tmp_path / "a.xlsx", {"Sheet1": [["x", "nass", "onwan"],
                                              [1, BODY, "عنوان الخبر"],
                                              [2, BODY2, "عنوان آخر للخبر"]]})
    articles, report = load(tmp_path)
    [skip] = report.skipped
    assert skip.kind == "invalid" and articles.empty
    assert skip.reason == ("sheet 'Sheet1': no title or body column among 'x', 'nass', 'onwan'; "
                           'load it with mapping={"body": "nass", "title": "onwan"}')
    with pytest.raises(CorpusError, match="a.xlsx: sheet 'Sheet1'"):
        load(tmp_path, strict=True)
    again, report2 = load(tmp_path, mapping=suggested_mapping(skip.reason))
    assert again["title"].tolist() == ["عنوان الخبر", "عنوان آخر للخبر"]
    assert again["body"].tolist() == [BODY, BODY2] and not report2.skipped


def test_xlsx_rows_accounted_one_by_one(tmp_path):
    workbook(tmp_path / "a.xlsx", {"s": [
        ["title", "body", None, "notes"],
        ["ع1", "ن1"],                                # short row: the rest missing
        [None, None, None, "ملاحظة فقط"],            # neither title nor body: skipped
        ["ع3", "ن3", None, None, "خارج الجدول"],     # a stray cell beyond the header
        ["", "  "],                                  # blank: not a record
    ]})
    articles, report = load(tmp_path)
    assert articles["title"].tolist() == ["ع1", "ع3"]
    assert [(s.path, s.reason) for s in report.skipped] == [
        ("a.xlsx", "sheet 's' row 3: no title or body")]
    assert report.warning_counts == {"extra_cells": 1}
    assert "first at row 4" in report.warnings[0].message


def test_xls_fixture(tmp_path):
    articles, report = load(XLS)
    assert report.formats == {"xls": 2}
    assert articles["id"].tolist() == ["101", "102"]
    assert articles["title"].tolist() == ["وصول وزير الخارجية إلى موسكو", "ارتفاع أسعار النفط"]
    assert articles.loc[0, "body"].split("\n")[1] == "وقال المتحدث إن المحادثات ستستمر."
    assert articles["date"].tolist() == [pd.Timestamp("2021-05-01 10:30", tz="UTC"),
                                         pd.Timestamp("2021-05-02", tz="UTC")]
    assert articles["source"].tolist() == ["الجزيرة", "العربية"]
    [skip] = report.skipped                                    # the notes sheet
    assert skip.reason.startswith("sheet 'ملاحظات': no title or body column among 'ملاحظة'")


@pytest.mark.parametrize("name, content, reason", [
    ("html.xls", b"<html><table><tr><td>x</td></tr></table></html>", "the file holds HTML"),
    ("text.xls", "العنوان\tالنص\n".encode(), "the file holds text"),
    ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 100, "unreadable Excel workbook"),
    ("notbook.xlsx", None, "unreadable Excel workbook"),
    ("truncated.xls", None, "unreadable Excel workbook"),
])
def test_unreadable_workbooks_are_skipped_with_reason(tmp_path, name, content, reason):
    if name == "notbook.xlsx":                       # a zip that is not a workbook
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("hello.txt", "x")
        content = buffer.getvalue()
    elif name == "truncated.xls":
        content = XLS.read_bytes()[:1500]
    (tmp_path / name).write_bytes(content)
    articles, report = load(tmp_path)
    [skip] = report.skipped
    assert articles.empty and reason in skip.reason and skip.kind == "invalid"
    with pytest.raises(CorpusError, match=re.escape(name)):
        load(tmp_path, strict=True)


def test_xlsx_saved_as_xls_and_empty_workbook(tmp_path):
    workbook(tmp_path / "a.xls", {"s": [["title", "body"], ["ع", "ن"]]})    # really xlsx
    workbook(tmp_path / "empty.xlsx", {"s": []})
    articles, report = load(tmp_path)
    assert report.formats == {"xlsx": 1}
    assert [(s.path, s.reason) for s in report.skipped] == [
        ("empty.xlsx", "empty workbook (no cells in any sheet)")]


def test_header_only_sheet(tmp_path):
    workbook(tmp_path / "a.xlsx", {"s": [["العنوان", "النص"]]})
    _, report = load(tmp_path)
    assert [s.reason for s in report.skipped] == ["no article rows below the header"]


# --------------------------------------------------------------------------------------
# the mapping= suggested for unknown headers, in every format that checks headers
# --------------------------------------------------------------------------------------

UNKNOWN = {"x": [1, 2, 3], "nass": [BODY, BODY2, BODY + " " + BODY2],
           "onwan": ["عنوان الخبر الأول", "عنوان الخبر الثاني", "عنوان ثالث"],
           "masdar": ["الجزيرة", "العربية", "الجزيرة"]}


def write_unknown(path: Path, kind: str) -> None:
    frame = pd.DataFrame(UNKNOWN)
    if kind == "csv":
        frame.to_csv(path, index=False)
    elif kind == "tsv":
        frame.to_csv(path, index=False, sep="\t")
    elif kind == "parquet":
        frame.to_parquet(path)
    else:
        workbook(path, {"بيانات": [list(UNKNOWN), *map(list, zip(*UNKNOWN.values()))]})


@pytest.mark.parametrize("kind", ["csv", "tsv", "parquet", "xlsx"])
def test_suggested_mapping_loads_the_file(tmp_path, kind):
    path = tmp_path / f"a.{kind}"
    write_unknown(path, kind)
    articles, report = load(path)
    [skip] = report.skipped
    assert articles.empty
    assert "no title or body column among 'x', 'nass', 'onwan', 'masdar'" in skip.reason
    mapping = suggested_mapping(skip.reason)
    assert mapping == {"body": "nass", "title": "onwan"}
    again, report2 = load(path, mapping=mapping)
    assert not report2.skipped
    assert again["body"].tolist() == UNKNOWN["nass"]
    assert again["title"].tolist() == UNKNOWN["onwan"]


@pytest.mark.parametrize("names, samples, expected", [
    (["a", "b"], [], {"body": "<column>"}),                            # nothing to go on
    (["n", "t"], [["نص طويل جدا من عدة كلمات", "عنوان قصير"]], {"body": "n", "title": "t"}),
    (["t", "n"], [{"n": "نص طويل جدا من عدة كلمات", "t": "عنوان قصير"}],
     {"body": "n", "title": "t"}),
    (["only"], [["نص وحيد"]], {"body": "only"}),
    (["date", "link", "txt"], [["2021-01-01 10:00", "https://example.com/a/very/long/path",
                                "كلمة"]], {"body": "txt"}),          # dates, URLs left out
    (["n", "tag"], [["نص طويل جدا من عدة كلمات", "وسم"]], {"body": "n"}),   # one word: no title
    (["n"], [[None], [3.5]], {"body": "<column>"}),
])
def test_unmapped_reason_guesses(names, samples, expected):
    reason = unmapped_reason(names, samples)
    assert reason.startswith(f"no title or body column among {', '.join(map(repr, names))};")
    assert suggested_mapping(reason) == expected


def test_unmapped_reason_many_columns_and_a_failing_reader():
    def rows():
        yield ["نص طويل من كلمات"] + [""] * 29
        raise ValueError("broken line")
    reason = unmapped_reason([f"c{i}" for i in range(30)], rows())
    assert "... (30 columns)" in reason and suggested_mapping(reason) == {"body": "c0"}


LAUGHS = "".join(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, 10))


@pytest.mark.parametrize("doctype, use", [
    ('<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{secret}">]>', "&xxe;"),
    (f'<!DOCTYPE worksheet [<!ENTITY lol0 "lol">{LAUGHS}]>', "&lol9;"),
])
def test_workbook_xml_entities_are_refused(tmp_path, doctype, use):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    plain = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["title", "body"])
    book.active.append(["عنوان", "PLACEHOLDER"])
    book.save(plain)
    evil = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as zin, \
            zipfile.ZipFile(evil, "w") as zout:
        for item in zin.namelist():
            data = zin.read(item)
            if item == "xl/worksheets/sheet1.xml":
                text = data.decode().replace("PLACEHOLDER", use)
                data = (doctype.format(secret=secret) + text).encode()
            zout.writestr(item, data)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "evil.xlsx").write_bytes(evil.getvalue())
    articles, report = load(tmp_path / "in")
    text = "\n".join(str(v) for v in articles.astype(str).to_numpy().ravel())
    assert "TOP-SECRET" not in text and "lollol" not in text
    [skip] = report.skipped                  # the sheet is refused, the entity unexpanded
    assert skip.reason.startswith("sheet 'Sheet': unreadable") and "entity" in skip.reason
    assert skip.kind == "invalid"


def test_table_away_from_the_corner_keeps_excel_rows_and_letters(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "s"
    sheet["C3"], sheet["E3"] = "nass", "onwan"              # D3 blank: named "column D"
    sheet["C4"], sheet["D4"], sheet["E4"] = BODY, "x", "عنوان الخبر هنا"
    sheet["C5"], sheet["E5"] = BODY2, "عنوان آخر للخبر"
    book.save(tmp_path / "a.xlsx")
    _, report = load(tmp_path)
    [skip] = report.skipped
    assert "among 'nass', 'column D', 'onwan'" in skip.reason
    articles, report = load(tmp_path, mapping=suggested_mapping(skip.reason))
    assert articles["title"].tolist() == ["عنوان الخبر هنا", "عنوان آخر للخبر"]
    sheet["C6"] = None
    sheet["D6"] = "ملاحظة"                                  # a row with neither: row 6
    book.save(tmp_path / "a.xlsx")
    _, report = load(tmp_path, mapping={"body": "nass", "title": "onwan"})
    assert [s.reason for s in report.skipped] == ["sheet 's' row 6: no title or body"]
