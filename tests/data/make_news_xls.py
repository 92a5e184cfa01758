"""Writes tests/data/news.xls, the legacy Excel fixture of tests/test_corpus_sheets.py.

Nothing in the project writes .xls, so the file is committed; this script records how it was
made. It needs xlwt, which is not a dependency (``pip install --target /tmp/xlwt xlwt`` and
``PYTHONPATH=/tmp/xlwt python tests/data/make_news_xls.py``).
"""

from datetime import datetime
from pathlib import Path

import xlwt

ROWS = [
    (101, "وصول وزير الخارجية إلى موسكو",
     "موسكو - وصل وزير الخارجية إلى موسكو اليوم.\nوقال المتحدث إن المحادثات ستستمر.",
     datetime(2021, 5, 1, 10, 30), "الجزيرة"),
    (102, "ارتفاع أسعار النفط", "القاهرة - ارتفعت أسعار النفط اليوم.",
     datetime(2021, 5, 2), "العربية"),
]


def main() -> None:
    book = xlwt.Workbook(encoding="utf-8")
    dates = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    sheet = book.add_sheet("أخبار")
    for col, name in enumerate(("المعرّف", "العنوان", "النص", "تاريخ النشر", "المصدر")):
        sheet.write(0, col, name)
    for r, row in enumerate(ROWS, 1):
        for col, value in enumerate(row):
            style = dates if isinstance(value, datetime) else xlwt.Style.default_style
            sheet.write(r, col, value, style)
    notes = book.add_sheet("ملاحظات")
    notes.write(0, 0, "ملاحظة")
    notes.write(0, 1, "قيمة")
    notes.write(1, 0, "جمعت الأخبار يدويا من المواقع المذكورة")
    notes.write(1, 1, "نعم")
    book.add_sheet("فارغة")
    book.save(str(Path(__file__).with_name("news.xls")))


if __name__ == "__main__":
    main()
