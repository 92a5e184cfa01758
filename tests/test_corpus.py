"""Tests for helpers.corpus: every format, every bad input, the cache and the ANT corpus.

Fixture corpora are written by the tests into tmp_path; nothing is written to data/.
"""

from __future__ import annotations

import io
import json
import stat
import tarfile
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from helpers import paths
from helpers.corpus import parse
from helpers.corpus.archives import Budget, iter_tar
from helpers import corpus as rd
from helpers.corpus import (
    CorpusError,
    LoadReport,
    load_corpus,
    load_processed,
    save_processed,
)

from corpus_files import check_contract, load, write

SEED_TITLE = "حفتر والسراج في موسكو لبحث مبادرة وقف إطلاق النار"
ARTICLE = "عنوان الخبر\n\nالقاهرة - نص الخبر الأول.\nفقرة ثانية من النص.\n"


def reasons(report: LoadReport) -> dict[str, str]:
    return {s.path: s.reason for s in report.skipped}


# --------------------------------------------------------------------------------------
# seed layout
# --------------------------------------------------------------------------------------


def test_seed_article_headline_and_dateline():
    articles, report = load(paths.SAMPLE)
    assert report.loaded == 1 and not report.skipped and not report.warnings
    row = articles.iloc[0]
    assert row["title"] == SEED_TITLE
    assert row["dateline"] == "موسكو"
    assert row["body"].startswith("موسكو - انطلقت اليوم الاثنين")   # dateline kept in body
    assert row["id"] == "000_cf9720c646c5849c"
    assert row["path"] == "000_cf9720c646c5849c.txt"
    assert row["encoding"] == "utf-8"
    assert pd.isna(row["date"]) and pd.isna(row["url"]) and pd.isna(row["source"])


def test_seed_single_file(tmp_path):
    f = write(tmp_path, {"one.txt": ARTICLE}) / "one.txt"
    articles, _ = load(f)
    assert articles.loc[0, ["id", "title", "dateline", "path"]].tolist() == [
        "one", "عنوان الخبر", "القاهرة", "one.txt"]
    assert articles.loc[0, "body"] == "القاهرة - نص الخبر الأول.\nفقرة ثانية من النص."


def test_folders_give_source_and_category(tmp_path):
    write(tmp_path, {
        "bbc/sport/a.txt": ARTICLE,
        "bbc/economy/b.txt": ARTICLE.replace("الأول", "الثاني"),
        "cnn/c.txt": ARTICLE.replace("الأول", "الثالث"),
        "d.txt": ARTICLE.replace("الأول", "الرابع"),
    })
    articles, _ = load(tmp_path)
    got = articles.set_index("id")[["source", "category"]].astype(object)
    got = got.where(got.notna(), None)
    assert got.to_dict("index") == {
        "b": {"source": "bbc", "category": "economy"},
        "a": {"source": "bbc", "category": "sport"},
        "c": {"source": "cnn", "category": None},
        "d": {"source": None, "category": None},
    }


def test_no_headline_and_datelines(tmp_path):
    write(tmp_path, {
        "flat.txt": "سطر أول\nسطر ثان بلا عنوان\n",
        "agency.txt": "عنوان\n\nواشنطن (رويترز) - قال مسؤول\n",
        "tatweel.txt": "عنوان\n\nالدار البيضاء ـ خبر\n",
        "none.txt": "عنوان\n\nقال الرئيس إن الاجتماع - كما هو متوقع - انتهى\n",
    })
    articles, report = load(tmp_path)
    by_id = articles.set_index("id")
    assert pd.isna(by_id.loc["flat", "title"])
    assert by_id.loc["flat", "body"] == "سطر أول\nسطر ثان بلا عنوان"
    assert by_id.loc["agency", "dateline"] == "واشنطن (رويترز)"
    assert by_id.loc["tatweel", "dateline"] == "الدار البيضاء"
    assert pd.isna(by_id.loc["none", "dateline"])
    assert report.warning_counts["no_headline"] == 1


def test_crlf_line_endings(tmp_path):
    write(tmp_path, {"w.txt": ARTICLE.replace("\n", "\r\n")})
    articles, _ = load(tmp_path)
    assert articles.loc[0, "title"] == "عنوان الخبر"
    assert "\r" not in articles.loc[0, "body"]


# --------------------------------------------------------------------------------------
# TREC
# --------------------------------------------------------------------------------------

TREC = """<DOC>
<DOCNO>BB-1</DOCNO>
<URL>http://example.com/a?x=1&amp;y=2</URL>
<SRC>BBC</SRC>
<CAT>sport</CAT>
<TITLE>S&amp;P &lt;تقرير&gt;</TITLE>
<TIME>Mon, 26 Feb 2018 02:20:10 GMT</TIME>
<AUTHOR></AUTHOR>
<ABSTRACT>
ملخص
</ABSTRACT>
<TEXT>
نص المقال الأول
</TEXT>
</DOC>
<DOC>
<DOCNO>BB-2</DOCNO>
<SRC>bbc</SRC>
<TITLE>S&P بلا ترميز</TITLE>
<TIME>2018-07-15T21:56:56+04:00</TIME>
<TEXT><![CDATA[نص & <b>ثان</b>]]></TEXT>
</DOC>
"""


def test_trec_multi_doc_entities_and_times(tmp_path):
    write(tmp_path, {"docs.txt": TREC})
    articles, report = load(tmp_path)
    assert articles["id"].tolist() == ["BB-1", "BB-2"]
    first, second = articles.iloc[0], articles.iloc[1]
    assert first["title"] == "S&P <تقرير>"
    assert first["url"] == "http://example.com/a?x=1&y=2"
    assert first["body"] == "نص المقال الأول"
    assert first["abstract"] == "ملخص"
    assert pd.isna(first["author"])                               # empty stays missing
    assert first["date"] == pd.Timestamp("2018-02-26 02:20:10", tz="UTC")
    assert second["date"] == pd.Timestamp("2018-07-15 17:56:56", tz="UTC")
    assert second["body"] == "نص & <b>ثان</b>"
    assert second["title"] == "S&P بلا ترميز"
    # BBC (2x: SRC + ...) vs bbc: one spelling per source, the most frequent / first met
    assert articles["source"].nunique() == 1
    # the second <DOC> has a bare "&": not well-formed, read anyway and reported
    assert [w.kind for w in report.warnings] == ["malformed_xml"]
    assert "<DOC> 2" in report.warnings[0].message
    assert report.formats == {"trec": 2}


def test_trec_unclosed_tags_and_missing_docno(tmp_path):
    doc = "<DOC>\n<TITLE>عنوان بلا إغلاق\n<TEXT>نص الخبر</TEXT>\n</DOC>\n"
    write(tmp_path, {"a.xml": doc, "b.xml": doc + doc})
    articles, report = load(tmp_path)
    assert articles["id"].tolist() == ["a", "b.xml#1", "b.xml#2"]
    assert set(articles["title"]) == {"عنوان بلا إغلاق"}
    assert set(articles["body"]) == {"نص الخبر"}
    assert report.warning_counts["malformed_xml"] == 3


def test_canonical_source_spelling(tmp_path):
    doc = "<DOC><DOCNO>{i}</DOCNO><SRC>{src}</SRC><TITLE>ع</TITLE><TEXT>ن {i}</TEXT></DOC>"
    spellings = ["skynews", "SkyNews", "skynews", "BBC", "bbc", "BBC"]
    write(tmp_path, {f"{i}.txt": doc.format(i=i, src=s) for i, s in enumerate(spellings)})
    articles, _ = load(tmp_path)
    assert articles["source"].value_counts().to_dict() == {"skynews": 3, "BBC": 3}


# --------------------------------------------------------------------------------------
# JSON, JSON Lines, CSV/TSV, Parquet
# --------------------------------------------------------------------------------------


def test_json_array_common_field_names(tmp_path):
    records = [
        {"Headline": "عنوان 1", "content": "نص 1", "published": "2020-01-02T03:04:05Z",
         "site": "الجزيرة", "link": "http://x/1", "Author": "كاتب", "section": "رياضة",
         "docno": "J1"},
        {"head_line": "عنوان 2", "article": "نص 2", "date_extracted": "2020-01-03"},
        {"title": "عنوان 3", "text": ["فقرة", "فقرة ثانية"]},
    ]
    write(tmp_path, {"a.json": json.dumps(records, ensure_ascii=False)})
    articles, report = load(tmp_path)
    assert articles["title"].tolist() == ["عنوان 1", "عنوان 2", "عنوان 3"]
    assert articles["body"].tolist() == ["نص 1", "نص 2", "فقرة\nفقرة ثانية"]
    first = articles.iloc[0]
    assert (first["id"], first["source"], first["url"], first["author"], first["category"]) == (
        "J1", "الجزيرة", "http://x/1", "كاتب", "رياضة")
    assert first["date"] == pd.Timestamp("2020-01-02 03:04:05", tz="UTC")
    assert articles.loc[1, "date"] == pd.Timestamp("2020-01-03", tz="UTC")
    assert articles.loc[1, "id"] == "a.json#2"                  # no id field: path#record
    assert pd.isna(articles.loc[2, "date"])
    assert report.formats == {"json": 3}


def test_json_wrapper_object_and_non_objects(tmp_path):
    write(tmp_path, {
        "w.json": json.dumps({"meta": 1, "articles": [{"title": "ع", "body": "ن"}]}),
        "bad.json": json.dumps([{"title": "ع2", "body": "ن2"}, 5, {"other": 1}]),
        "broken.json": '[{"title": "ع", "body": "ن"},',
    })
    articles, report = load(tmp_path)
    assert articles["title"].tolist() == ["ع2", "ع"]
    assert sorted(reasons(report)) == ["bad.json", "broken.json"]
    assert len(report.skipped) == 3
    assert report.seen == 5


def test_jsonl_truncated_line_is_skipped_and_reported(tmp_path):
    lines = [
        json.dumps({"title": "ع1", "body": "ن1"}, ensure_ascii=False),
        '{"title": "ع2", "body": "ن',                                   # truncated
        "",
        json.dumps({"title": "ع3", "body": "ن3", "date": 1_600_000_000}, ensure_ascii=False),
    ]
    write(tmp_path, {"a.jsonl": "\n".join(lines)})
    articles, report = load(tmp_path)
    assert articles["title"].tolist() == ["ع1", "ع3"]
    assert articles.loc[1, "date"] == pd.Timestamp(1_600_000_000, unit="s", tz="UTC")
    assert len(report.skipped) == 1
    skipped = report.skipped[0]
    assert skipped.path == "a.jsonl" and skipped.reason.startswith("line 2: invalid JSON")
    assert report.seen == 3
    with pytest.raises(CorpusError, match=r"a\.jsonl: line 2"):
        load(tmp_path, strict=True)


def test_csv_row_with_too_many_fields_is_skipped_and_reported(tmp_path):
    text = "title,body,source\nع1,ن1,x\nع2,ن2,x,extra\n\"ع3\",\"ن3، مع فاصلة, وسطر\nثان\",y\nع4\n"
    write(tmp_path, {"a.csv": text})
    articles, report = load(tmp_path)
    assert articles["title"].tolist() == ["ع1", "ع3", "ع4"]
    assert articles.loc[1, "body"] == "ن3، مع فاصلة, وسطر\nثان"
    assert pd.isna(articles.loc[2, "body"])                       # short row: left missing
    assert [(s.path, s.reason) for s in report.skipped] == [
        ("a.csv", "line 3: 4 fields, the header has 3")]
    assert report.warning_counts["short_row"] == 1
    with pytest.raises(CorpusError, match=r"a\.csv: line 3: 4 fields"):
        load(tmp_path, strict=True)


def test_tsv_semicolon_csv_and_mapping(tmp_path):
    write(tmp_path, {
        "a.tsv": "Title\tBody\tWhen\nع1\tن1\t2021-05-01\n",
        "b.csv": "onwan;nass\nع2;ن2\n",
    })
    articles, report = load(tmp_path, mapping={"title": "onwan", "body": "nass", "date": "When"})
    assert articles["title"].tolist() == ["ع1", "ع2"]
    assert articles.loc[0, "date"] == pd.Timestamp("2021-05-01", tz="UTC")
    unmapped, report2 = load(tmp_path / "b.csv")
    assert unmapped.empty and "no title or body column" in report2.skipped[0].reason
    with pytest.raises(ValueError, match="mapping keys"):
        load_corpus(tmp_path, mapping={"headline": "x"}, cache=False)


def test_parquet(tmp_path):
    pd.DataFrame({
        "headline": ["ع1", "ع2"], "text": ["ن1", None],
        "date": pd.to_datetime(["2020-01-01 10:00", None], utc=True), "id": [7, 8],
    }).to_parquet(tmp_path / "a.parquet")
    articles, report = load(tmp_path)
    assert articles["id"].tolist() == ["7", "8"]
    assert articles.loc[0, "date"] == pd.Timestamp("2020-01-01 10:00", tz="UTC")
    assert pd.isna(articles.loc[1, "date"]) and pd.isna(articles.loc[1, "body"])
    assert report.formats == {"parquet": 2}


def test_fmt_option(tmp_path):
    write(tmp_path, {"data.dat": json.dumps([{"title": "ع", "body": "ن"}])})
    assert load(tmp_path)[0].empty
    assert load(tmp_path, fmt="json")[0]["title"].tolist() == ["ع"]
    with pytest.raises(ValueError):
        load_corpus(tmp_path, fmt="docx", cache=False)   # xlsx is a format since issue 10


# --------------------------------------------------------------------------------------
# encodings, empty and binary files
# --------------------------------------------------------------------------------------

ARABIC = "عنوان الخبر\n\nقال الوزير في القاهرة إن المفاوضات مستمرة، وإن الوفد يكون هناك.\n"


@pytest.mark.parametrize("encoding, raw, expected", [
    ("utf-8", ARABIC.encode("utf-8"), "utf-8"),
    ("utf-8 BOM", b"\xef\xbb\xbf" + ARABIC.encode("utf-8"), "utf-8-sig"),
    ("utf-16 BOM", ARABIC.encode("utf-16"), "utf-16"),
    ("utf-16-be BOM", b"\xfe\xff" + ARABIC.encode("utf-16-be"), "utf-16"),
    ("utf-16-le no BOM", ARABIC.encode("utf-16-le"), "utf-16-le"),
    ("windows-1256", ARABIC.encode("cp1256"), "cp1256"),
    ("iso-8859-6", ARABIC.encode("iso-8859-6"), "iso-8859-6"),
])
def test_encodings(tmp_path, encoding, raw, expected):
    write(tmp_path, {"a.txt": raw})
    articles, report = load(tmp_path)
    assert articles.loc[0, "title"] == "عنوان الخبر", encoding
    assert articles.loc[0, "body"] == ARABIC.split("\n\n", 1)[1].strip()
    assert articles.loc[0, "encoding"] == expected
    assert not report.warnings


def test_windows_1256_only_letters(tmp_path):
    # Windows-1256 with letters that ISO-8859-6 lacks (ف ق ك at 0xDD-0xDF) and one with
    # a byte in 0x80-0x9F (گ, 0x90): both must be read as Windows-1256
    write(tmp_path, {"a.txt": "في\n\nكتاب".encode("cp1256"), "b.txt": "گل\n\nنص".encode("cp1256")})
    articles, _ = load(tmp_path)
    assert articles["title"].tolist() == ["في", "گل"]
    assert set(articles["encoding"]) == {"cp1256"}


def test_forced_encoding(tmp_path):
    write(tmp_path, {"a.txt": "ع\n\nن".encode("cp1256")})
    articles, _ = load(tmp_path, encoding="cp1256")
    assert articles.loc[0, "encoding"] == "cp1256" and articles.loc[0, "body"] == "ن"


def test_undecodable_bytes_replaced_with_warning_or_strict_error(tmp_path):
    raw = ARABIC.encode("utf-8").replace("الوزير".encode(), "الوزير".encode() + b"\xff")
    write(tmp_path, {"bad.txt": raw})
    articles, report = load(tmp_path)
    assert articles.loc[0, "encoding"] == "utf-8"
    assert "\ufffd" in articles.loc[0, "body"]
    assert [(w.path, w.kind) for w in report.warnings] == [("bad.txt", "replaced_bytes")]
    with pytest.raises(CorpusError, match=r"bad\.txt: 1 undecodable byte"):
        load(tmp_path, strict=True)


def test_empty_whitespace_and_binary_files_skipped(tmp_path):
    write(tmp_path, {
        "empty.txt": b"",
        "blank.txt": b"  \n\n ",
        "nul.txt": b"abc\x00\x01\x02def" * 10,
        "image.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        "controls.txt": bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 20,
        "good.txt": ARTICLE,
    })
    articles, report = load(tmp_path)
    assert articles["id"].tolist() == ["good"]
    got = reasons(report)
    assert got["empty.txt"] == "empty file"
    assert got["blank.txt"].startswith("empty file")
    assert got["nul.txt"].startswith("binary file")
    assert got["image.txt"] == "binary file (PNG image)"
    assert got["controls.txt"].startswith("binary file")
    assert report.seen == 6


def test_strict_raises_naming_file_and_reason(tmp_path):
    write(tmp_path, {"a.txt": ARTICLE, "b.txt": b"", "README.md": "# about"})
    with pytest.raises(CorpusError) as info:
        load(tmp_path, strict=True)
    assert info.value.path == "b.txt" and info.value.reason == "empty file"
    assert str(info.value) == "b.txt: empty file"
    (tmp_path / "b.txt").unlink()
    articles, report = load(tmp_path, strict=True)              # a README is not an error
    assert len(articles) == 1 and report.skipped[0].kind == "ignored"


def test_empty_body_loaded_with_warning(tmp_path):
    write(tmp_path, {"a.txt": "عنوان وحيد\n"})
    articles, report = load(tmp_path)
    assert articles.loc[0, "body"] == ""
    assert [w.kind for w in report.warnings] == ["empty_body"]


def test_readme_hidden_and_unsupported_are_seen_and_skipped(tmp_path):
    write(tmp_path, {
        "README.md": "# corpus", "LICENSE": "MIT", ".DS_Store": b"\x00\x01",
        "__MACOSX/._a.txt": b"\x00", "notes.docx": b"PK\x03\x04", "a.txt": ARTICLE,
    })
    articles, report = load(tmp_path)
    assert len(articles) == 1 and report.seen == 6
    assert {s.kind for s in report.skipped} == {"ignored"}


# --------------------------------------------------------------------------------------
# archives
# --------------------------------------------------------------------------------------


def _zip_bytes(members: dict[str, bytes], *, symlinks=(), devices=()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for name in symlinks:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
        for name in devices:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFCHR | 0o600) << 16
            zf.writestr(info, "")
    return buf.getvalue()


def test_zip_read_in_place_with_unsafe_members(tmp_path):
    archive = tmp_path / "c.zip"
    archive.write_bytes(_zip_bytes({
        "corpus/bbc/sport/a.txt": ARTICLE.encode(),
        "corpus/cnn/b.json": json.dumps([{"title": "ع", "body": "ن"}]).encode(),
        "corpus/README.txt": b"about",
        "../evil.txt": ARTICLE.encode(),
        "/abs.txt": ARTICLE.encode(),
        "corpus/inner.zip": _zip_bytes({"x.txt": ARTICLE.encode()}),
    }, symlinks=["corpus/link.txt"], devices=["corpus/dev"]))
    before = set(tmp_path.iterdir())
    articles, report = load(archive)
    assert set(tmp_path.iterdir()) == before                     # nothing extracted
    # an archive inside the archive is read in place too (issue 10: one level deep)
    assert articles["path"].tolist() == ["corpus/bbc/sport/a.txt", "corpus/cnn/b.json",
                                         "corpus/inner.zip/x.txt"]
    # the single top-level folder "corpus/" is not a source
    assert articles[["source", "category"]].fillna("-").values.tolist() == [
        ["bbc", "sport"], ["cnn", "-"], ["-", "-"]]
    got = reasons(report)
    assert got["../evil.txt"] == "unsafe archive member: '..' in path"
    assert got["/abs.txt"] == "unsafe archive member: absolute path"
    assert got["corpus/link.txt"].startswith("symbolic link")
    assert got["corpus/dev"].startswith("device")
    assert got["corpus/README.txt"].startswith("documentation file")
    assert not (tmp_path.parent / "evil.txt").exists()
    with pytest.raises(CorpusError, match=r"\.\./evil\.txt: unsafe archive member"):
        load(archive, strict=True)


def _add(tf: tarfile.TarFile, name: str, data: bytes = b"", **attrs) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    for key, value in attrs.items():
        setattr(info, key, value)
    tf.addfile(info, io.BytesIO(data) if data else None)


@pytest.mark.parametrize("suffix, mode", [
    (".tar.gz", "w:gz"), (".tgz", "w:gz"), (".tar", "w"), (".tar.bz2", "w:bz2"),
    (".tar.xz", "w:xz"),
])
def test_tar_read_in_place_with_links_and_devices(tmp_path, suffix, mode):
    archive = tmp_path / f"c{suffix}"
    with tarfile.open(archive, mode, format=tarfile.PAX_FORMAT) as tf:
        _add(tf, "top", type=tarfile.DIRTYPE)
        _add(tf, "top/bbc/" + "س" * 80 + ".txt", ARTICLE.encode())     # long pax name
        _add(tf, "top/cnn/b.txt", ARTICLE.replace("الأول", "الثاني").encode())
        _add(tf, "top/out", type=tarfile.SYMTYPE, linkname="../../etc/passwd")
        _add(tf, "top/hard", type=tarfile.LNKTYPE, linkname="top/cnn/b.txt")
        _add(tf, "top/dev", type=tarfile.CHRTYPE)
        _add(tf, "top/fifo", type=tarfile.FIFOTYPE)
        _add(tf, "../evil.txt", ARTICLE.encode())
        _add(tf, "/etc/abs.txt", ARTICLE.encode())
    articles, report = load(archive)
    assert articles["source"].tolist() == ["bbc", "cnn"]
    assert articles["path"].tolist()[1] == "top/cnn/b.txt"
    got = reasons(report)
    assert got["top/out"] == "symbolic link to '../../etc/passwd' (not followed)"
    assert got["top/hard"].startswith("hard link")
    assert got["top/dev"].startswith("character device")
    assert got["top/fifo"].startswith("FIFO")
    assert got["../evil.txt"] == "unsafe archive member: '..' in path"
    assert got["/etc/abs.txt"] == "unsafe archive member: absolute path"
    assert report.seen == 8
    with pytest.raises(CorpusError, match="symbolic link"):
        load(archive, strict=True)


@pytest.mark.parametrize("fmt", [tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT])
def test_tar_reader_matches_tarfile(tmp_path, fmt):
    archive = tmp_path / "a.tar"
    names = ["a.txt", "d/" + "x" * 99 + "/b.txt", "ع/" + "y" * 140 + ".txt"]
    with tarfile.open(archive, "w", format=fmt) as tf:
        for i, name in enumerate(names):
            try:
                _add(tf, name, f"عنوان {i}\n\nنص {i}".encode())
            except ValueError:          # ustar cannot hold every long name
                pass
    with tarfile.open(archive) as tf:
        expected = [(m.name, tf.extractfile(m).read()) for m in tf if m.isfile()]
    with open(archive, "rb") as raw:
        got = [(m.name, data) for m, data in iter_tar(raw, Budget(10**9), "")]
    assert got == expected


def test_archive_inside_folder_is_read(tmp_path):
    write(tmp_path, {"plain/a.txt": ARTICLE})
    (tmp_path / "more.zip").write_bytes(_zip_bytes({
        "top/src/b.txt": ARTICLE.encode(), "top/other/c.txt": ARTICLE.encode()}))
    articles, _ = load(tmp_path)
    assert articles["path"].tolist() == [
        "more.zip/top/src/b.txt", "more.zip/top/other/c.txt", "plain/a.txt"]
    # inside the archive its single top-level folder "top/" is not counted
    assert articles["source"].tolist() == ["src", "other", "plain"]


def test_size_bound(tmp_path):
    big = ARTICLE.encode() * 100
    write(tmp_path / "folder", {"a.txt": big, "b.txt": big})
    archive = tmp_path / "c.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        _add(tf, "a.txt", big)
        _add(tf, "b.txt", big)
    zipped = tmp_path / "c.zip"
    zipped.write_bytes(_zip_bytes({"a.txt": big, "b.txt": big}))
    for path in (tmp_path / "folder", archive, zipped):
        with pytest.raises(CorpusError, match="exceeds the bound of 10,000 bytes"):
            load(path, max_total_bytes=10_000)
        assert load(path, max_total_bytes=len(big) * 2)[1].loaded == 2


def test_tar_member_claiming_huge_size_is_refused_before_reading(tmp_path):
    archive = tmp_path / "bomb.tar"
    with tarfile.open(archive, "w") as tf:      # longer than the head read to judge it
        _add(tf, "a.txt", ARTICLE.encode() * 1000)
    raw = bytearray(archive.read_bytes())
    raw[124:136] = b"%011o\0" % (5 * 2**30)                        # claim 5 GiB
    raw[148:156] = b"        "
    raw[148:156] = b"%06o\0 " % sum(raw[:512])
    archive.write_bytes(bytes(raw))
    with pytest.raises(CorpusError, match="a.txt: total uncompressed size exceeds"):
        load(archive)


def test_corrupt_archive_is_one_skipped_entry(tmp_path):
    (tmp_path / "x.zip").write_bytes(b"PK\x03\x04 not really a zip")
    articles, report = load(tmp_path / "x.zip")
    assert articles.empty and report.seen == 1
    assert report.skipped[0].reason.startswith("unreadable archive")
    with tarfile.open(tmp_path / "empty.tar.gz", "w:gz"):
        pass
    articles, report = load(tmp_path / "empty.tar.gz")
    assert [tuple(s) for s in report.skipped] == [("empty.tar.gz", "archive holds no files")]


# --------------------------------------------------------------------------------------
# duplicates, report, progress, workers
# --------------------------------------------------------------------------------------


def test_duplicate_bodies(tmp_path):
    write(tmp_path, {
        "a.txt": "ع1\n\nنص مكرر", "b.txt": "ع2\n\nنص مكرر\n", "c.txt": "ع3\n\nنص مكرر",
        "d.txt": "ع4\n\nنص آخر", "e.txt": "ع5\n", "f.txt": "ع6\n",
    })
    _, report = load(tmp_path)
    assert report.duplicated_texts == 2          # "نص مكرر" and the empty body
    assert report.duplicate_bodies == 3          # two extra copies + one extra empty body


def test_report_summary_and_html_escaping(tmp_path):
    write(tmp_path, {"<script>.txt": b"", "a.txt": ARTICLE})
    _, report = load(tmp_path)
    text = str(report)
    assert "seen 2 · loaded 1 · skipped 1" in text and "<script>.txt: empty file" in text
    html = report._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;.txt" in html
    assert LoadReport.from_dict(json.loads(json.dumps(report.to_dict()))) == report
    path, reason = report.skipped[0]                                  # unpacks as a pair
    assert (path, reason) == ("<script>.txt", "empty file")
    assert list(report.skipped_frame().columns) == ["path", "reason", "kind"]


def test_progress_bar(tmp_path, capsys):
    write(tmp_path, {"a.txt": ARTICLE})
    load(tmp_path, progress=True)
    assert "Loading" in capsys.readouterr().err
    load(tmp_path, progress=None)               # not a terminal under pytest: quiet
    assert capsys.readouterr().err == ""


def test_worker_processes_give_the_same_result(tmp_path, monkeypatch):
    files = {f"s{i % 3}/c{i % 2}/{i}.txt": f"عنوان {i}\n\nنص {i % 7}" for i in range(60)}
    files["bad.txt"] = b""
    write(tmp_path, files)
    single, report1 = load(tmp_path, workers=1)
    monkeypatch.setattr(parse, "_INPROCESS_BYTES", 0)
    monkeypatch.setattr(parse, "_BATCH_BYTES", 200)
    pooled, report2 = load(tmp_path, workers=2)
    pd.testing.assert_frame_equal(single, pooled)
    assert report1.skipped == report2.skipped and report1.seen == report2.seen == 61
    with pytest.raises(CorpusError, match="bad.txt: empty file"):
        load(tmp_path, workers=2, strict=True)


def test_missing_path():
    with pytest.raises(FileNotFoundError):
        load_corpus("/nonexistent/corpus", cache=False)


# --------------------------------------------------------------------------------------
# cache
# --------------------------------------------------------------------------------------


def test_cache_reused_and_rebuilt_on_change(tmp_path):
    corpus = write(tmp_path / "corpus", {"a/x.txt": ARTICLE, "b.txt": b""})
    cache = tmp_path / "cache"
    first, report1 = load_corpus(corpus, cache_dir=cache)
    assert not report1.from_cache and report1.cache_path
    files = list(cache.iterdir())
    assert len(files) == 1 and files[0].suffix == ".parquet"     # no temporary files left

    second, report2 = load_corpus(corpus, cache_dir=cache)
    check_contract(second, report2)
    assert report2.from_cache
    pd.testing.assert_frame_equal(first, second)
    assert (report2.seen, report2.loaded, report2.skipped, report2.warnings) == (
        report1.seen, report1.loaded, report1.skipped, report1.warnings)
    with pytest.raises(CorpusError, match="b.txt: empty file"):   # strict checks the cache too
        load_corpus(corpus, cache_dir=cache, strict=True)

    write(corpus, {"a/x.txt": ARTICLE.replace("الأول", "المعدل")})   # change content only
    third, report3 = load_corpus(corpus, cache_dir=cache)
    assert not report3.from_cache and "المعدل" in third.loc[0, "body"]
    assert len(list(cache.iterdir())) == 1                        # old version replaced

    write(corpus, {"c.txt": ARTICLE})                             # a new file
    fourth, report4 = load_corpus(corpus, cache_dir=cache)
    assert not report4.from_cache and len(fourth) == 2

    _, report5 = load_corpus(corpus, cache_dir=cache, mapping={"title": "x"})
    assert not report5.from_cache                                  # options are in the key


def test_cache_of_an_archive(tmp_path):
    archive = tmp_path / "c.zip"
    archive.write_bytes(_zip_bytes({"a.txt": ARTICLE.encode()}))
    load_corpus(archive, cache_dir=tmp_path / "cache")
    articles, report = load_corpus(archive, cache_dir=tmp_path / "cache")
    assert report.from_cache and articles.loc[0, "dateline"] == "القاهرة"
    archive.write_bytes(_zip_bytes({"a.txt": ARTICLE.encode(), "b.txt": ARTICLE.encode()}))
    articles, report = load_corpus(archive, cache_dir=tmp_path / "cache")
    assert not report.from_cache and len(articles) == 2


# --------------------------------------------------------------------------------------
# save_processed / load_processed
# --------------------------------------------------------------------------------------


def test_save_and_load_processed(tmp_path):
    df = pd.DataFrame({
        "title": pd.array(["ع", None], dtype="string[pyarrow]"),
        "tokens": [["كلمة", "أخرى"], []],
        "n": [1, 2],
        "date": pd.to_datetime(["2020-01-01", None], utc=True).astype("datetime64[ns, UTC]"),
    }, index=pd.Index([10, 20], name="row"))
    path = save_processed(df, "demo", directory=tmp_path)
    assert path == tmp_path / "demo.parquet" and path.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["demo.parquet"]
    back = load_processed("demo", directory=tmp_path)
    pd.testing.assert_frame_equal(back, df)
    assert back["tokens"].tolist() == [["كلمة", "أخرى"], []]
    for bad in ("../x", "a/b", ""):
        with pytest.raises(ValueError):
            save_processed(df, bad, directory=tmp_path)
    with pytest.raises(FileNotFoundError):
        load_processed("missing", directory=tmp_path)


# --------------------------------------------------------------------------------------
# the ANT corpus (exact counts from ../shared/corpora/README.md)
# --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_ant_counts(ant):
    articles, report = ant
    check_contract(articles, report)
    assert report.loaded == len(articles) == 31_525
    assert articles["source"].value_counts().to_dict() == {
        "skynews": 13_708, "alarabia": 6_519, "france24": 3_976, "BBC": 3_815, "CNN": 3_507}
    # the archive's own README is seen and skipped, nothing else
    assert [(s.path, s.kind) for s in report.skipped] == [
        ("ant-multisource-v2.1/README.md", "ignored")]
    assert report.seen == 31_526


@pytest.mark.slow
def test_ant_malformed_files_empty_texts_and_duplicates(ant):
    articles, report = ant
    malformed = {w.path for w in report.warnings if w.kind == "malformed_xml"}
    assert len(malformed) == 37
    read = articles[articles["path"].isin(malformed)]
    assert len(read) == 37 and read["title"].notna().all() and read["body"].str.len().gt(0).all()
    empty = [w.path for w in report.warnings if w.kind == "empty_body"]
    assert len(empty) == 2 and (articles["body"] == "").sum() == 2
    assert report.duplicated_texts == 1_464
    assert report.duplicate_bodies == 1_481
    assert report.warning_counts == {"malformed_xml": 37, "empty_body": 2}


@pytest.mark.slow
def test_ant_fields(ant):
    articles, _ = ant
    assert articles["id"].is_unique
    assert articles["date"].notna().all() and str(articles["date"].dt.tz) == "UTC"
    assert articles["date"].min().year == 2012 and articles["date"].max().year == 2018
    assert articles["title"].notna().all() and articles["url"].notna().all()
    assert set(articles["encoding"]) == {"utf-8"}
    assert set(articles["category"]) == {
        "culture", "economy", "internationalNews", "middleEast", "sport", "technology"}
    first = articles[articles["id"] == "AL-culture-590-20180715"].iloc[0]
    assert first["title"] == "هكذا ردت إليسا على اتهامها بالسرقة"
    assert first["date"] == pd.Timestamp("2018-07-15 17:56:56", tz="UTC")   # +0400
    assert first["path"] == "ant-multisource-v2.1/Alarabia/culture/AL-culture-590-20180715.txt"


@pytest.mark.slow
def test_ant_warm_load_from_cache(ant, ant_archive):
    articles, report = ant
    again, report2 = load_corpus(ant_archive, cache_dir=Path(report.cache_path).parent)
    assert report2.from_cache and report2.seconds < report.seconds
    pd.testing.assert_frame_equal(articles, again)
    # nothing in ANT is invalid: strict=True accepts it (checked on the cached report)
    _, report3 = load_corpus(ant_archive, cache_dir=Path(report.cache_path).parent,
                             strict=True)
    assert report3.from_cache and report3.loaded == 31_525


def test_cache_folder_inside_the_corpus_is_not_part_of_it(tmp_path):
    corpus = write(tmp_path, {"a.txt": ARTICLE})
    _, report1 = load_corpus(corpus, cache_dir=corpus / "cache")
    articles, report2 = load_corpus(corpus, cache_dir=corpus / "cache")
    assert report2.from_cache and report1.fingerprint == report2.fingerprint
    assert report2.seen == 1 and len(articles) == 1


# --------------------------------------------------------------------------------------
# any input: the loader never crashes and its accounting always balances
# --------------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SUFFIXES = [".txt", ".json", ".jsonl", ".csv", ".tsv", ".xml", ".parquet", ".zip",
             ".tar.gz", ""]
_PIECES = [b"<DOC>", b"</DOC>", b"<TEXT>", b"<TITLE>", b"\n\n", b"{", b"}", b"[", b"]",
           b'"title":', b'"body":', b",", b"\t", b"\x00", b"\xff", b"\xef\xbb\xbf",
           "عنوان".encode(), "نص".encode("cp1256"), b"title,body\n", b"&amp;", b"&"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_SUFFIXES),
                          st.lists(st.one_of(st.sampled_from(_PIECES), st.binary(max_size=8)),
                                   max_size=12)),
                min_size=1, max_size=5))
def test_any_input_is_accounted_for(files):
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for i, (suffix, pieces) in enumerate(files):
            (root / f"f{i}{suffix}").write_bytes(b"".join(pieces))
        articles, report = load(root)
        assert report.files == len(files)
        assert report.seen >= len(files) - report.loaded


# --------------------------------------------------------------------------------------
# shards and chunks (corpora larger than memory): the same frame as load_corpus
# --------------------------------------------------------------------------------------

_REPORT_FIELDS = ("seen", "loaded", "skipped", "warnings", "duplicate_bodies",
                  "duplicated_texts", "files", "formats", "encodings")


def _same_report(a: LoadReport, b: LoadReport) -> None:
    assert {k: getattr(a, k) for k in _REPORT_FIELDS} == {k: getattr(b, k) for k in _REPORT_FIELDS}


def _mixed_corpus(root: Path) -> Path:
    """Folder-derived sources in two letter cases, records with their own source, a TREC
    file with several documents, a duplicate body, a skipped file and an archive."""
    files = {
        f"BBC/politics/{i}.txt": f"عنوان {i}\n\nنص الخبر رقم {i % 3}.\n" for i in range(5)}
    files.update({f"bbc/sport/{i}.txt": f"عنوان {i}\n\nخبر رياضي {i}.\n" for i in range(2)})
    files["CNN/economy/many.xml"] = "".join(
        f"<DOC><DOCNO>c{i}</DOCNO><SRC>cnn</SRC><TEXT>نص {i}</TEXT></DOC>\n" for i in range(4))
    files["README.md"] = "# not an article"
    files["broken.json"] = "{"
    root = write(root, files)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("inner/x/1.txt", "عنوان\n\nنص في ارشيف.\n")
    (root / "extra.zip").write_bytes(buf.getvalue())
    return root


@pytest.mark.parametrize("shard_rows", [1, 3, 1000])
def test_write_shards_gives_the_load_corpus_frame(tmp_path, shard_rows):
    corpus = _mixed_corpus(tmp_path / "corpus")
    expected, report = load(corpus)
    assert expected["source"].value_counts().to_dict() == {"BBC": 7, "cnn": 4, "x": 1}
    shards, report2 = rd.write_shards(corpus, tmp_path / "shards", shard_rows=shard_rows,
                                      workers=1)
    _same_report(report, report2)
    chunks = list(rd.iter_corpus(tmp_path / "shards"))
    assert len(chunks) == len(shards) >= -(-len(expected) // shard_rows)
    assert all(0 < len(c) <= shard_rows for c in chunks)
    pd.testing.assert_frame_equal(pd.concat(chunks), expected)
    again, report3 = load_corpus(tmp_path / "shards")
    pd.testing.assert_frame_equal(again, expected)
    _same_report(report, report3)
    _same_report(report, rd.shard_report(tmp_path / "shards"))
    assert rd.shard_paths(tmp_path / "shards") == shards


def test_iter_corpus_on_any_input_and_columns(tmp_path):
    corpus = _mixed_corpus(tmp_path / "corpus")
    expected, _ = load(corpus)
    chunks = list(rd.iter_corpus(corpus, chunk_size=4, workers=1))
    assert all(len(c) <= 4 for c in chunks)
    pd.testing.assert_frame_equal(pd.concat(chunks), expected)
    rd.write_shards(corpus, tmp_path / "s", shard_rows=5, workers=1)
    bodies = pd.concat(rd.iter_corpus(tmp_path / "s", columns=["body"]))
    assert list(bodies.columns) == ["body"]
    assert bodies["body"].tolist() == expected["body"].tolist()


def test_write_shards_replaces_earlier_shards_and_refuses_a_shard_folder(tmp_path):
    corpus = write(tmp_path / "c", {f"{i}.txt": ARTICLE for i in range(3)})
    rd.write_shards(corpus, tmp_path / "s", shard_rows=1)
    shards, _ = rd.write_shards(corpus, tmp_path / "s", shard_rows=2)
    assert sorted(p.name for p in (tmp_path / "s").glob("part-*")) == [p.name for p in shards]
    with pytest.raises(ValueError):
        rd.write_shards(tmp_path / "s", tmp_path / "t")
    with pytest.raises(CorpusError):
        rd.shard_paths(tmp_path / "c")


def test_write_frames_round_trip(tmp_path):
    frames = [pd.DataFrame({"body": ["خبر", "نص"]}), pd.DataFrame({"body": ["ثالث"]})]
    rd.write_frames(frames, tmp_path / "f")
    chunks = list(rd.iter_shards(tmp_path / "f"))
    assert [c.index.tolist() for c in chunks] == [[0, 1], [2]]
    assert pd.concat(chunks)["body"].tolist() == ["خبر", "نص", "ثالث"]


@pytest.mark.slow
def test_ant_shards_equal_the_in_memory_load(ant, ant_archive, tmp_path):
    articles, report = ant
    shards, report2 = rd.write_shards(ant_archive, tmp_path, shard_rows=8_000,
                                      progress=False)
    assert len(shards) == 4
    _same_report(report, report2)
    pd.testing.assert_frame_equal(pd.concat(rd.iter_corpus(tmp_path)), articles)


# ------------------------------------------------------------------------- token cache
def test_cached_tokens_equal_tokenize_and_follow_text_and_options(tmp_path):
    from helpers import cached_tokens, tokenize

    text = pd.Series(["قالَ الوزيرُ في غزة", None, "", "Expo 2020 في دبي"], index=[7, 3, 5, 1],
                     name="body", dtype="string[pyarrow]")
    first = cached_tokens(text, cache_dir=tmp_path)
    files = list(tmp_path.glob("tokens-*.parquet"))
    assert len(files) == 1
    again = cached_tokens(text, cache_dir=tmp_path)  # read back from the file
    for got in (first, again):
        pd.testing.assert_series_equal(got, tokenize(text))
    # chunked differently, same texts: same file; a changed text or option: a new one
    rechunked = pd.Series(pd.arrays.ArrowExtensionArray(
        pa.chunked_array([pa.array(["قالَ الوزيرُ في غزة", None], pa.large_string()),
                          pa.array(["", "Expo 2020 في دبي"], pa.large_string())])), index=text.index)
    cached_tokens(rechunked, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("tokens-*.parquet"))) == 1
    changed = text.copy()
    changed.iloc[1] = ""  # missing and empty are different texts
    assert cached_tokens(changed, cache_dir=tmp_path).tolist() == [["قال", "الوزير", "في", "غزه"], [], [], ["expo", "2020", "في", "دبي"]]
    stop = cached_tokens(text, cache_dir=tmp_path, stopwords=True)
    assert stop.tolist() == tokenize(text, stopwords=True).tolist() and "في" not in stop.iloc[0]
    assert len(list(tmp_path.glob("tokens-*.parquet"))) == 3


def test_cached_tokens_survive_a_broken_file_and_keep_the_newest(tmp_path, monkeypatch):
    from helpers import cached_tokens, token_cache

    text = pd.Series(["غزة", "مصر"])
    cached_tokens(text, cache_dir=tmp_path)
    (path,) = tmp_path.glob("tokens-*.parquet")
    path.write_bytes(b"not parquet")
    assert cached_tokens(text, cache_dir=tmp_path).tolist() == [["غزه"], ["مصر"]]
    assert path.read_bytes()[:4] == b"PAR1"  # rewritten
    monkeypatch.setattr(token_cache, "TOKEN_CACHES_KEPT", 2)
    for i in range(4):
        cached_tokens(pd.Series([f"نص {i}"]), cache_dir=tmp_path)
    assert len(list(tmp_path.glob("tokens-*.parquet"))) == 2
    with pytest.raises(TypeError, match="Series"):
        cached_tokens("غزة", cache_dir=tmp_path)
