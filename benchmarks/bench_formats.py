"""Loading speed of the web and spreadsheet formats: HTML pages, one large RSS feed, one
large Excel workbook (generated in a temporary folder; nothing is kept).

    .venv/bin/python benchmarks/bench_formats.py
"""

from __future__ import annotations

import tempfile
import time
from datetime import datetime
from pathlib import Path

import openpyxl

from helpers.corpus import load_corpus

PARAS = [
    "موسكو - وصل وزير الخارجية إلى موسكو اليوم لبحث الأزمة الليبية مع نظيره الروسي.",
    "وقال المتحدث إن المحادثات حول ليبيا ستستمر يومين بحضور الوفود من الجانبين.",
    "وأضاف أن الاجتماع سيتناول وقف إطلاق النار والعملية السياسية وملف النفط.",
]
PAGE = (
    '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
    "<title>عنوان {i} | الموقع</title>"
    '<meta property="og:site_name" content="الموقع">'
    '<meta property="article:published_time" content="2021-05-01T10:30:00+03:00">'
    "</head><body><nav><a href='/'>الرئيسية</a> <a href='/n'>أخبار</a></nav>"
    "<article><h1>عنوان {i}</h1>" + "".join(f"<p>{p} {{i}}</p>" for p in PARAS)
    + "</article><footer>جميع الحقوق محفوظة</footer></body></html>"
)


def write_corpus(root: Path, pages: int, items: int, rows: int) -> None:
    for sub in ("pages", "feeds", "sheets"):
        (root / sub).mkdir(parents=True)
    for i in range(pages):
        (root / "pages" / f"p{i}.html").write_text(PAGE.format(i=i), encoding="utf-8")
    entries = "".join(
        f"<item><title>عنوان {i}</title><link>https://example.com/{i}</link>"
        "<pubDate>Mon, 26 Feb 2018 02:20:10 GMT</pubDate><description><![CDATA["
        + "".join(f"<p>{p} {i}</p>" for p in PARAS) + "]]></description></item>"
        for i in range(items))
    (root / "feeds" / "big.rss").write_text(
        f'<?xml version="1.0"?><rss><channel><title>t</title>{entries}</channel></rss>',
        encoding="utf-8")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("أخبار")
    sheet.append(["العنوان", "النص", "التاريخ", "المصدر"])
    for i in range(rows):
        sheet.append([f"عنوان {i}", f"{PARAS[i % 3]} {i}", datetime(2020, 1, 1 + i % 28),
                      "الجزيرة"])
    book.save(root / "sheets" / "big.xlsx")


def main(pages: int = 2_000, items: int = 20_000, rows: int = 100_000) -> dict:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_corpus(root, pages, items, rows)
        for sub in ("pages", "feeds", "sheets"):
            size = sum(f.stat().st_size for f in (root / sub).iterdir())
            start = time.perf_counter()
            _, report = load_corpus(root / sub, cache=False, progress=False)
            seconds = time.perf_counter() - start
            results[sub] = {"articles": report.loaded, "megabytes": round(size / 1e6, 1),
                            "seconds": round(seconds, 2),
                            "articles_per_second": round(report.loaded / seconds)}
            print(f"{sub}: {report.loaded:,} articles from {size / 1e6:.1f} MB in "
                  f"{seconds:.2f} s ({report.loaded / seconds:,.0f}/s)")
    return results


if __name__ == "__main__":
    main()
