"""Tests for helpers.corpus.dates: dates as newsrooms write them, read a column at a time.

Variants are generated (every month name of every naming system x digit system x weekday x
separator; Hijri dates against the calendar library); whole loads check the frame, the
``date_raw`` column and the report. Fixture corpora are written into tmp_path.
"""

from __future__ import annotations

import json
import math
import re
import tarfile
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hijridate import Hijri
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.corpus import (
    CorpusError,
    LoadReport,
    iter_corpus,
    write_shards,
)
from helpers.corpus.dateforms import normalise
from helpers.corpus.dates import (
    NAT,
    numeric_order,
    parse_dates,
    parse_value,
    translate_utf8,
)
from helpers.corpus.schema import STRICT_WARNINGS
from corpus_files import load, write

# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
DIGITS = {"ascii": None, "arabic-indic": ARABIC_INDIC, "persian": PERSIAN}


def ns(*args, tz=UTC) -> int:
    """Nanoseconds since the epoch of a UTC date/time."""
    return int(pd.Timestamp(datetime(*args, tzinfo=tz)).value)


def read(values, **kw) -> list:
    """``parse_dates`` as Timestamps (None for missing)."""
    got = parse_dates(values, **kw)
    return [None if v == NAT else pd.Timestamp(v, tz="UTC") for v in got.ns.tolist()]


def trec(time: str | None, n: int = 1, docno: str | None = None) -> str:
    field = f"<TIME>{time}</TIME>" if time is not None else ""
    docno = f"<DOCNO>{docno}</DOCNO>" if docno else ""
    return f"<DOC>{docno}<TITLE>عنوان {n}</TITLE>{field}<TEXT>نص الخبر {n}</TEXT></DOC>\n"


# --------------------------------------------------------------------------------------
# month names: every name of every system x digits x weekday x separators x time
# --------------------------------------------------------------------------------------

# the names as the brief lists them (written out here, not taken from the module)
EGYPTIAN = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
            "أكتوبر", "نوفمبر", "ديسمبر"]
EGYPTIAN_VARIANTS = {4: ["ابريل", "إبريل"], 6: ["يونيه"], 7: ["يوليه"], 8: ["اغسطس"]}
LEVANTINE = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
             "تشرين الأول", "تشرين الثاني", "كانون الأول"]
MAGHREBI = ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر",
            "أكتوبر", "نوفمبر", "ديسمبر"]
MOROCCAN = {7: ["يوليوز"], 8: ["غشت"], 9: ["شتنبر"], 11: ["نونبر"], 12: ["دجنبر"]}
ENGLISH = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
WEEKDAYS = ["", "الأحد ", "الاثنين ", "الإثنين، ", "الثلاثاء - ", "الأربعاء ", "الخميس، ",
            "الجمعة ", "السبت ", "يوم الأحد "]


def _systems():
    for name, table in (("egyptian", EGYPTIAN), ("levantine", LEVANTINE),
                        ("maghrebi", MAGHREBI)):
        yield name, {m: [n] for m, n in enumerate(table, 1)}
    yield "variants", {**EGYPTIAN_VARIANTS, **{m: v for m, v in MOROCCAN.items()}}


@pytest.mark.parametrize("digits", list(DIGITS))
@pytest.mark.parametrize("system,names", list(_systems()), ids=lambda x: x if isinstance(x, str) else "")
def test_arabic_month_names(system, names, digits):
    texts, expected = [], []
    for month, spellings in names.items():
        for spelling in spellings:
            for k, weekday in enumerate(WEEKDAYS):
                day, year = 1 + (month * 7 + k) % 28, 2000 + (month + k) % 25
                for sep in (" ", " - ", "/", "، "):
                    if sep == "/" and " " in spelling:
                        continue
                    text = f"{weekday}{day}{sep}{spelling}{sep}{year}"
                    for suffix, hm in (("", (0, 0)), (" م", (0, 0)), (" 10:30 ص", (10, 30)),
                                       (" - 10:30 م", (22, 30)), (" الساعة 14:05", (14, 5))):
                        got = text + suffix
                        if DIGITS[digits]:
                            got = got.translate(DIGITS[digits])
                        texts.append(got)
                        expected.append(ns(year, month, day, *hm))
    got = parse_dates(texts)
    wrong = [(t, pd.Timestamp(g), pd.Timestamp(e)) for t, g, e in zip(texts, got.ns, expected)
             if g != e]
    assert not wrong, wrong[:5]
    assert dict(got.forms) == {"arabic month name": len(texts)}


def test_arabic_month_names_with_diacritics_tatweel_and_marks():
    texts = ["١٧ أيّار ٢٠١٥", "17 مايـــو 2015", "\u200f17 مايو 2015\u200f", "17\u00a0مايو\u00a02015",
             "17 أيار (مايو) 2015", "17 أيار/مايو 2015", "17 مايو 2015م", "17 مايو 2015 ميلادي",
             "الأحد 17 مايو 2015 الموافق 28 رجب 1436 هـ", "نشر في: 17 مايو 2015",
             "آخر تحديث: الأحد، 17 مايو 2015 - 14:30 بتوقيت غرينتش"]
    got = read(texts)
    assert got[:-1] == [pd.Timestamp("2015-05-17", tz="UTC")] * (len(texts) - 1)
    assert got[-1] == pd.Timestamp("2015-05-17 14:30", tz="UTC")


@pytest.mark.parametrize("month", range(1, 13))
def test_english_month_names(month):
    name = ENGLISH[month - 1]
    texts, expected = [], []
    for spelling in (name, name[:3], name.lower(), name.upper()):
        for day in (1, 9, 28):
            texts += [f"{day} {spelling} 2015", f"{spelling} {day}, 2015", f"{day}-{spelling}-2015",
                      f"Sunday, {spelling} {day}, 2015 2:30 PM", f"{day} {spelling} 2015 14:30 GMT+3",
                      f"{spelling} {day}th 2015"]
            expected += [ns(2015, month, day)] * 3 + [ns(2015, month, day, 14, 30),
                                                      ns(2015, month, day, 11, 30),
                                                      ns(2015, month, day)]
    got = parse_dates(texts)
    assert got.ns.tolist() == expected
    assert set(got.forms) <= {"english month name", "rfc2822"}


# --------------------------------------------------------------------------------------
# numeric dates: day-first, two-digit years, times, digits; month-first decided per file
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("digits", list(DIGITS))
@pytest.mark.parametrize("sep", ["/", "-", "."])
def test_day_first_numeric(sep, digits):
    texts, expected = [], []
    for day, month, year in ((17, 5, 2015), (1, 12, 1999), (31, 1, 2024), (29, 2, 2016)):
        for y in (str(year), str(year)[2:]):
            for time, hm in (("", (0, 0)), (" 14:30", (14, 30)), (" 09:05:07", (9, 5, 7)),
                             (" - 02:30 م", (14, 30)), (" 14:30 +03:00", (11, 30))):
                text = f"{day:02d}{sep}{month:02d}{sep}{y}{time}"
                texts.append(text.translate(DIGITS[digits]) if DIGITS[digits] else text)
                expected.append(ns(year, month, day, *hm))
                texts.append(f"{day}{sep}{month}{sep}{y}{time}")
                expected.append(ns(year, month, day, *hm))
    got = parse_dates(texts)
    assert [pd.Timestamp(v) for v in got.ns] == [pd.Timestamp(v) for v in expected]
    assert dict(got.forms) == {"day-first numeric": len(texts)}
    assert got.warnings == []          # 17/05 and 31/01 decide the column: day-first


def test_two_digit_year_pivot():
    got = read(["17/05/68", "17/05/69", "17/05/00", "17/05/99"])
    assert [t.year for t in got] == [2068, 1969, 2000, 1999]


def test_month_first_decided_per_file():
    values = ["05/17/2015", "05/06/2015",          # a.csv: month-first (17 is a day)
              "17/05/2015", "05/06/2015",          # b.csv: day-first
              "05/06/2015", "07/08/2015",          # c.csv: nothing decides: day-first, warned
              "17/05/2015", "05/17/2015", "05/06/2015",   # d.csv: both kinds: warned
              "13/13/2015"]                        # e.csv: no reading at all
    files = ["a.csv"] * 2 + ["b.csv"] * 2 + ["c.csv"] * 2 + ["d.csv"] * 3 + ["e.csv"]
    got = parse_dates(values, paths=files, wheres=[f"line {i}" for i in range(len(values))])
    stamps = [None if v == NAT else str(pd.Timestamp(v).date()) for v in got.ns]
    assert stamps == ["2015-05-17", "2015-05-06", "2015-05-17", "2015-06-05", "2015-06-05",
                      "2015-08-07", "2015-05-17", "2015-05-17", "2015-06-05", None]
    assert got.forms == {"month-first numeric": 3, "day-first numeric": 6}
    warned = {files[row]: (kind, message) for row, kind, message in got.warnings}
    assert set(warned) == {"c.csv", "d.csv", "e.csv"}
    assert warned["c.csv"][0] == "ambiguous_date" and "day-first" in warned["c.csv"][1]
    assert "'05/06/2015'" in warned["c.csv"][1]
    assert warned["d.csv"][0] == "ambiguous_date" and "'05/17/2015'" in warned["d.csv"][1]
    assert warned["e.csv"][0] == "bad_date" and warned["e.csv"][1].startswith("line 9: ")
    assert got.unread == 1


@given(st.lists(st.tuples(st.integers(1, 31), st.integers(1, 31), st.sampled_from("abc")),
                max_size=30))
def test_numeric_order_rule(values):
    a = np.array([v[0] for v in values], np.int64)
    b = np.array([v[1] for v in values], np.int64)
    files = [v[2] for v in values]
    month_first, notes = numeric_order(a, b, files)
    for i, f in enumerate(files):
        mine = [j for j, g in enumerate(files) if g == f]
        df = any(a[j] > 12 and b[j] <= 12 for j in mine)
        mf = any(b[j] > 12 and a[j] <= 12 for j in mine)
        if a[i] > 12 and b[i] <= 12:
            assert not month_first[i]
        elif b[i] > 12 and a[i] <= 12:
            assert month_first[i]
        elif a[i] <= 12 and b[i] <= 12:
            assert month_first[i] == (mf and not df)
    warned = {files[first] for first, _, _ in notes}
    for f in set(files):
        mine = [j for j, g in enumerate(files) if g == f]
        amb = any(a[j] <= 12 and b[j] <= 12 for j in mine)
        df = any(a[j] > 12 and b[j] <= 12 for j in mine)
        mf = any(b[j] > 12 and a[j] <= 12 for j in mine)
        assert (f in warned) == (amb and df == mf)


def test_write_shards_decide_per_file_too(tmp_path):
    corpus = write(tmp_path / "c", {
        "us.csv": "title,body,date\n" + "".join(
            f"ع{i},ن{i},{d}\n" for i, d in enumerate(["05/06/2015", "05/17/2015", "07/08/2015"])),
        "tn.csv": "title,body,date\n" + "".join(
            f"ت{i},ن{i},{d}\n" for i, d in enumerate(["05/06/2015", "17/05/2015", "bad"])),
        "x/2015-05-17-slug.txt": "عنوان\n\nنص\n",
    })
    expected, report = load(corpus)
    by_title = dict(zip(expected["title"], expected["date"].dt.strftime("%Y-%m-%d")))
    assert by_title["ع0"] == "2015-05-06" and by_title["ت0"] == "2015-06-05"
    assert report.date_forms == {"month-first numeric": 3, "day-first numeric": 2,
                                 "from file name": 1}
    assert report.dates_unread == 1
    for rows in (1, 2, 100):
        _, report2 = write_shards(corpus, tmp_path / f"s{rows}", shard_rows=rows, workers=1)
        pd.testing.assert_frame_equal(pd.concat(iter_corpus(tmp_path / f"s{rows}")), expected)
        assert report2.warnings == report.warnings
        assert (report2.date_forms, report2.dates_unread) == (report.date_forms, report.dates_unread)


# --------------------------------------------------------------------------------------
# ISO 8601, RFC 2822, epochs, time zones
# --------------------------------------------------------------------------------------


def test_iso_rfc_and_zones():
    cases = {
        "2015-05-17": ns(2015, 5, 17),
        "2015-05-17T14:30:00Z": ns(2015, 5, 17, 14, 30),
        "2015-05-17T14:30:00.123456789+03:00": ns(2015, 5, 17, 11, 30) + 123_456_789,
        "2015-05-17 14:30:00 +0300": ns(2015, 5, 17, 11, 30),
        "2015-05-17 14:30 UTC+03:00": ns(2015, 5, 17, 11, 30),
        "2015-05-17 14:30 GMT-4": ns(2015, 5, 17, 18, 30),
        "20150517": ns(2015, 5, 17),
        "2015/05/17": ns(2015, 5, 17),
        "Sun, 17 May 2015 14:30:00 GMT": ns(2015, 5, 17, 14, 30),
        "Sun, 17 May 2015 14:30:00 +0400": ns(2015, 5, 17, 10, 30),
        "Sun, 17 May 2015 14:30:00 EST": ns(2015, 5, 17, 19, 30),
        "17/05/2015 14:30 توقيت غرينتش": ns(2015, 5, 17, 14, 30),
        "17/05/2015 14:30 (بتوقيت مكة المكرمة)": ns(2015, 5, 17, 11, 30),
        "17/05/2015 14:30": ns(2015, 5, 17, 14, 30),      # naive: UTC
        "2015-W20-7": ns(2015, 5, 17),                   # Python's ISO reader, as before
    }
    got = parse_dates(list(cases))
    assert dict(zip(cases, got.ns.tolist())) == cases
    assert got.unread == 0


def test_epochs_as_text_and_numbers():
    got = parse_dates(["1431820800", "1431820800000", "-0000000001", "1431820800.5",
                       1431820800, 1431820800000, 1431820800000000, 1.4318208e9])
    assert got.ns.tolist()[:2] == [ns(2015, 5, 17)] * 2
    assert got.ns[2] == -1_000_000_000
    assert got.ns[3] == ns(2015, 5, 17) + 500_000_000
    assert got.ns.tolist()[4:] == [ns(2015, 5, 17)] * 4
    assert got.forms == {"epoch seconds": 5, "epoch milliseconds": 2, "epoch microseconds": 1}


def test_epoch_in_csv_and_trec(tmp_path):
    write(tmp_path, {
        "a.csv": "title,body,date\nع1,ن1,1431820800\nع2,ن2,1431820800000\n",
        "t.xml": trec("1431820800"),
    })
    articles, report = load(tmp_path)
    assert (articles["date"] == pd.Timestamp("2015-05-17", tz="UTC")).all()
    assert report.date_forms == {"epoch seconds": 2, "epoch milliseconds": 1}
    assert articles["date_raw"].tolist() == ["1431820800", "1431820800000", "1431820800"]


# --------------------------------------------------------------------------------------
# Hijri: the library and anchor dates
# --------------------------------------------------------------------------------------

HIJRI = {1: ["محرم"], 2: ["صفر"], 3: ["ربيع الأول"], 4: ["ربيع الآخر", "ربيع الثاني"],
         5: ["جمادى الأولى", "جمادى الاولى"], 6: ["جمادى الآخرة", "جمادى الثانية"],
         7: ["رجب"], 8: ["شعبان"], 9: ["رمضان"], 10: ["شوال"],
         11: ["ذو القعدة", "ذي القعدة"], 12: ["ذو الحجة", "ذي الحجة"]}


@pytest.mark.parametrize("month", range(1, 13))
def test_hijri_against_the_library(month):
    texts, expected = [], []
    for year in (1343, 1400, 1436, 1441, 1500):
        last = Hijri(year, month, 1).month_length()
        for day in (1, 15, last):
            g = Hijri(year, month, day).to_gregorian()
            want = ns(g.year, g.month, g.day)
            for name in HIJRI[month]:
                for text in (f"{day} {name} {year}", f"{day} {name} {year} هـ",
                             f"{day} {name} {year}هـ", f"الجمعة {day} {name} {year} هـ",
                             f"{year}/{month:02d}/{day:02d} هـ", f"{day}/{month}/{year} هـ"):
                    for table in DIGITS.values():
                        texts.append(text.translate(table) if table else text)
                        expected.append(want)
    got = parse_dates(texts)
    assert got.ns.tolist() == expected
    assert got.forms == {"hijri": len(texts)}


@pytest.mark.parametrize("text,expected", [
    ("1 رمضان 1441", "2020-04-24"),          # Umm al-Qura: Ramadan 1441 began 24 April 2020
    ("1 محرم 1440 هـ", "2018-09-11"),
    ("10 ذو الحجة 1441 هـ", "2020-07-31"),   # Eid al-Adha 2020
    ("28 رجب 1436 هـ", "2015-05-17"),
    ("1441/05/17 هـ", "2020-01-12"),
    ("١٧ جمادى الأولى ١٤٤١ هـ", "2020-01-12"),
])
def test_hijri_anchor_dates(text, expected):
    assert str(read([text])[0].date()) == expected


@pytest.mark.parametrize("text", ["1 رمضان 1300", "1 رمضان 1501 هـ", "30 صفر 1441 هـ",
                                  "1300/01/01 هـ", "17 مايو 1441 هـ", "17 رمضان 41"])
def test_hijri_out_of_range_or_invalid_is_unread(text):
    got = parse_dates([text])
    assert got.ns[0] == NAT and got.unread == 1


# --------------------------------------------------------------------------------------
# a date in the file name or id, when the record has none
# --------------------------------------------------------------------------------------


def test_file_name_fallback(tmp_path):
    next_year = datetime.now(UTC).year + 1
    write(tmp_path, {
        "a/2015-05-17-slug.txt": "عنوان\n\nنص\n",
        "a/news-20150518.txt": "عنوان\n\nنص\n",
        "a/20150519_report.txt": "عنوان\n\nنص\n",
        "b/plain.xml": trec(None, docno="AL-culture-590-20150520"),
        "b/2015-05-21-has-bad-date.xml": trec("no date here"),
        "b/2015-05-22-has-date.xml": trec("17/05/2015"),
        "c/1989-05-17-too-old.txt": "عنوان\n\nنص\n",
        f"c/{next_year + 1}-05-17-too-new.txt": "عنوان\n\nنص\n",
        "c/x20150517y.txt": "عنوان\n\nنص\n",
        "c/000_cf9720c646c5849c.txt": "عنوان\n\nنص\n",
        "c/2015-13-45-not-a-date.txt": "عنوان\n\nنص\n",
        "d/news-20150523.json": json.dumps([{"title": "ع", "body": "ن"}] * 2),
        "2015-05-24-folder/items.json": json.dumps([{"title": "ع", "body": "ن"}] * 2),
    })
    articles, report = load(tmp_path)
    got = dict(zip(articles["id"], articles["date"].dt.strftime("%Y-%m-%d")))
    assert {p: d for p, d in got.items() if isinstance(d, str)} == {
        "2015-05-17-slug": "2015-05-17", "news-20150518": "2015-05-18",
        "20150519_report": "2015-05-19", "AL-culture-590-20150520": "2015-05-20",
        "2015-05-22-has-date": "2015-05-17",
        "d/news-20150523.json#1": "2015-05-23", "d/news-20150523.json#2": "2015-05-23"}
    assert report.date_forms == {"from file name": 6, "day-first numeric": 1}
    assert report.dates_unread == 1
    fallback = articles[articles["path"].str.startswith("a/")]
    assert fallback["date_raw"].isna().all()          # no date text in the record
    assert "from file name 6" in str(report)


# --------------------------------------------------------------------------------------
# unreadable dates keep their text; hostile values never raise
# --------------------------------------------------------------------------------------


def test_unreadable_date_keeps_its_text(tmp_path):
    write(tmp_path, {"a.jsonl": "\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"title": "ع1", "body": "ن1", "date": "قبل ثلاثة أيام"},
        {"title": "ع2", "body": "ن2", "date": "  17/05/2015  "},
        {"title": "ع3", "body": "ن3"},
    ])})
    articles, report = load(tmp_path)
    assert articles["date_raw"].tolist()[:2] == ["قبل ثلاثة أيام", "17/05/2015"]
    assert pd.isna(articles.loc[2, "date_raw"]) and pd.isna(articles.loc[0, "date"])
    assert articles.loc[1, "date"] == pd.Timestamp("2015-05-17", tz="UTC")
    bad = [w for w in report.warnings if w.kind == "bad_date"]
    assert [(w.path, w.message) for w in bad] == [
        ("a.jsonl", "line 1: unreadable date 'قبل ثلاثة أيام' left missing")]
    assert report.dates_unread == 1 and "unread 1" in str(report)
    if "bad_date" in STRICT_WARNINGS:      # strict loads raise for it, naming the record
        with pytest.raises(CorpusError, match=r"a\.jsonl: line 1: unreadable date"):
            load(tmp_path, strict=True)


HOSTILE = ["10000-01-01", "year 10000", "Infinity", "-Infinity", "NaN", "1e300", "9" * 40,
           "-9999999999", "-9999999999999", "31/02/2015", "2015-02-30", "2015-13-01",
           "17/05/2015 25:00", "17/05/2015 14:61", "00/00/0000", "0000-00-00", "17 مايو 99999",
           "2015-05-17T14:30:00+25:00", "9999-12-31T23:59:59-23:59", "٣٢/٠٥/٢٠١٥",
           "1" * 13 + "." + "5", "17 مايو", "\ud800", "x" * 10_000, "Mon, 99 Feb 2018 02:20:10 GMT"]
HOSTILE_VALUES = [float("inf"), float("-inf"), 1e300, -1e300, 10 ** 30, -(10 ** 30), -1e10,
                  True, {"date": 1}, [2015, 5, 17], b"2015"]


def test_hostile_values_are_unread_never_raised(tmp_path):
    got = parse_dates(HOSTILE + HOSTILE_VALUES)
    assert (got.ns == NAT).all()
    assert got.unread == len(HOSTILE) + len(HOSTILE_VALUES)
    records = [{"title": f"ع{i}", "body": "ن", "date": v} for i, v in enumerate(HOSTILE)]
    text = json.dumps(records).replace('"Infinity"', "Infinity", 1)   # \ud800 escaped
    text = text.replace('"NaN"', "NaN", 1).replace('"1e300"', "1e300", 1)
    write(tmp_path, {"h.json": text, "h.xml": "".join(trec(v.replace("\ud800", "?"), i)
                                                       for i, v in enumerate(HOSTILE))})
    articles, report = load(tmp_path)
    assert articles["date"].isna().all()
    assert report.dates_unread == len(articles) - 1     # JSON NaN is a missing value


# --------------------------------------------------------------------------------------
# properties: never raises; every value read or counted unread; a column reads its values
# as each alone would; the byte-level normalisation is the str one
# --------------------------------------------------------------------------------------

_PIECES = ["17", "05", "2015", "/", "-", ".", ":", " ", "،", "مايو", "أيار", "جانفي", "رمضان",
           "هـ", "م", "ص", "GMT", "+03:00", "Z", "T", "١٧", "٢٠١٥", "۱۷", "May", "Mon,", "الأحد",
           "1431820800", "\u200f", "ـ", "الموافق", "(", ")", "99999"]
_values = st.one_of(
    st.lists(st.sampled_from(_PIECES), max_size=8).map("".join),
    st.text(max_size=30),
    st.none(), st.integers(), st.floats(), st.datetimes(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_values, max_size=20))
def test_never_raises_and_every_value_is_accounted_for(values):
    got = parse_dates(values, paths=[f"f{i % 3}" for i in range(len(values))],
                      ids=[f"id{i}" for i in range(len(values))])
    present = [got.raw[i].as_py() is not None for i in range(len(values))]
    for v, here in zip(values, present):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            assert not here
        elif not isinstance(v, str) or v.strip():
            assert here
    read = got.ns != NAT
    assert sum(got.forms.values()) == read.sum()
    assert got.unread == sum(p and not r for p, r in zip(present, read))
    assert len([w for w in got.warnings if w[1] == "bad_date"]) == got.unread


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join), max_size=15))
def test_a_column_reads_each_value_as_alone(values):
    together = parse_dates(values, paths=[str(i) for i in range(len(values))]).ns.tolist()
    alone = [parse_dates([v]).ns[0] for v in values]
    assert together == alone


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(
    "abc 019/:٠٩۰۹أإآٱىیةھـًٌٍَُِّْٰ،؛٫\u00a0\u2009\u200b\u200e\u200f\u202a\u2066\ufeff\u2013\u2212ك"
    "\U0001F600\u0601"), max_size=12), max_size=10))
def test_byte_level_normalisation_is_the_str_one(texts):
    data, offsets = translate_utf8(pa.array(texts, pa.large_string()))
    got = [bytes(data[offsets[i]:offsets[i + 1]]).decode() for i in range(len(texts))]
    assert got == [normalise(t) for t in texts]


def test_parse_value():
    assert parse_value("١٧ مايو ٢٠١٥") == (ns(2015, 5, 17), "arabic month name", "١٧ مايو ٢٠١٥")
    assert parse_value(date(2015, 5, 17)) == (ns(2015, 5, 17), "timestamp", "2015-05-17")
    assert parse_value(None) == (None, "", None)
    assert parse_value("غدا") == (None, "", "غدا")


# --------------------------------------------------------------------------------------
# end to end: the Tunisian case, the report
# --------------------------------------------------------------------------------------


def test_trec_folder_with_day_first_times(tmp_path):
    files = {f"tn/{cat}/{i}.xml": trec(f"{d:02d}/{m:02d}/2015", i)
             for i, (cat, d, m) in enumerate([("sport", 17, 5), ("sport", 5, 6),
                                              ("eco", 1, 2), ("eco", 31, 12)])}
    files["tn/eco/9.xml"] = trec("Sun, 17 May 2015 14:30:00 GMT", 9)
    write(tmp_path, files)
    articles, report = load(tmp_path)
    assert articles["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2015-02-01", "2015-12-31", "2015-05-17", "2015-05-17", "2015-06-05"]
    assert report.date_forms == {"day-first numeric": 4, "rfc2822": 1}
    # one article per file: the ambiguous ones are read day-first and say so, per file
    ambiguous = [w.path for w in report.warnings if w.kind == "ambiguous_date"]
    assert ambiguous == ["tn/eco/2.xml", "tn/sport/1.xml"]
    text, page = str(report), report._repr_html_()
    assert "dates: day-first numeric 4, rfc2822 1" in text
    assert "day-first numeric 4" in page and "<th>dates</th>" in page


def test_report_round_trip_and_old_reports():
    report = LoadReport(corpus="x", date_forms={"hijri": 2, "rfc2822": 1}, dates_unread=3)
    again = LoadReport.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again == report
    old = report.to_dict()
    del old["date_forms"], old["dates_unread"]
    older = LoadReport.from_dict(old)
    assert older.date_forms == {} and older.dates_unread == 0
    assert "dates" not in str(older)


# --------------------------------------------------------------------------------------
# ANT: 31,525 RFC 2822 dates, the same values as Python's RFC 2822 reader gives
# --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_ant_times_read_as_before(ant_archive):
    rx = re.compile(r"<TIME>(.*?)</TIME>", re.DOTALL)
    times = []
    with tarfile.open(ant_archive) as tar:
        for m in tar:
            if m.isfile() and m.name.endswith(".txt"):
                times.append(rx.search(tar.extractfile(m).read().decode()).group(1).strip())
    got = parse_dates(times)
    assert got.forms == {"rfc2822": 31_525} and got.unread == 0
    before = [int(pd.Timestamp(parsedate_to_datetime(t)).value) for t in times]
    assert got.ns.tolist() == before
