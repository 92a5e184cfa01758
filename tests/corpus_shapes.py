"""Small corpora of every shape a user may bring, written on demand for the report tests.

Each writer takes an empty folder and returns the path to hand to ``load_corpus`` (the
folder itself or a file in it). The shapes differ from ANT in what they lack -- outlets,
categories, dates, headlines, URLs, authors -- or in size: one article, one article of
200,000 words, none at all. Several lacks share a shape, to keep the number of report
builds (six kernels each) small:

=================  ==========================================================================
shape              what it has and lacks
=================  ==========================================================================
flat_folder        the user's own layout: .txt files in one folder, no outlet, category or
                   date; one article without a headline, one with nothing but a headline
csv_title_body     a CSV with only ``title`` and ``body``
single_source      one outlet, three categories, no dates
single_category    two outlets, one category, no headline at all, no dates
some_dated         three outlets, only one of them dated (with URLs and authors)
long_article       one article of 200,000 words beside two short ones
single_article     one article, dated, without an outlet (a JSON record)
headlines_only     headlines without bodies: articles, but not a single word to count
hostile            ``<script>`` in a headline and an outlet name, RLO and other controls in
                   file and folder names
empty              (not in SHAPES) no article: an empty file and a README
=================  ==========================================================================
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

# U+202E RIGHT-TO-LEFT OVERRIDE: reorders what follows it unless it is isolated or escaped
RLO = "\u202e"
# U+202B RIGHT-TO-LEFT EMBEDDING, U+2066 LEFT-TO-RIGHT ISOLATE: unterminated on purpose
RLE, LRI = "\u202b", "\u2066"
#: the characters the pages must never show as they are (they must come out as U+ tags)
CONTROLS = (RLO, RLE, LRI, "\u0007")
HOSTILE_HEADLINE = "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2>"
HOSTILE_SOURCE = "<b onmouseover=alert(3)>wire"  # a folder name: no "/" possible
RLO_SOURCE = f"wire{RLO}cba"
# a file name whose letters after the override would show reversed ("txt.exe" spoof)
RLO_FILE = f"004_{RLO}cod.exe.txt"
# an empty file with control characters in its name: skipped, listed by name
CONTROL_FILE = f"005_{RLE}empty{LRI}\u0007.txt"

BODIES = [
    "موسكو - وصل وزير الخارجية إلى موسكو اليوم لبحث الأزمة الليبية مع نظيره الروسي.\n"
    "وقال المتحدث إن المحادثات حول ليبيا ستستمر يومين بحضور الوفود.\n",
    "القاهرة - ارتفعت أسعار النفط اليوم في الأسواق العالمية مع تصاعد التوتر في المنطقة.\n"
    "وقال محللون إن الأسعار قد تواصل الارتفاع خلال الأسبوع.\n",
    "الرياض - أعلن الاتحاد السعودي لكرة القدم اليوم مواعيد مباريات الدوري الجديد.\n"
    "وقال المدرب إن الفريق جاهز للموسم.\n",
    "بيروت - عقد مجلس الوزراء جلسة استثنائية لبحث الأزمة الاقتصادية وأسعار الوقود.\n",
    "تونس - انطلقت اليوم في العاصمة التونسية محادثات حول ليبيا برعاية الأمم المتحدة.\n"
    "وقال المبعوث الأممي إن المحادثات ستستمر أسبوعا.\n",
    "دبي - سجلت أسعار الذهب ارتفاعا جديدا اليوم مع تراجع الدولار في الأسواق.\n",
]
TITLES = ["وزير الخارجية يصل إلى موسكو", "ارتفاع أسعار النفط", "مواعيد الدوري الجديد",
          "جلسة استثنائية للحكومة", "محادثات ليبية في تونس", "الذهب يرتفع"]
NO_HEADLINE = "نص بلا عنوان يبدأ مباشرة ويستمر في السطر نفسه دون سطر فارغ بعده.\nسطر ثان من الخبر.\n"
#: words in the long article (a book-length text pasted as one article)
LONG_WORDS = 200_000


def _txt(path: Path, title: str | None, body: str) -> None:
    """A seed-layout file: headline, blank line, body (no headline: the body alone)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body if title is None else f"{title}\n\n{body}", encoding="utf-8")


def flat_folder(root: Path) -> Path:
    for n in range(3):
        _txt(root / f"{n + 1:03d}_{n:016x}.txt", TITLES[n], BODIES[n])
    _txt(root / "004_nohead.txt", None, NO_HEADLINE)
    _txt(root / "005_oneline.txt", None, TITLES[3])  # a headline alone: the body is empty
    return root


def csv_title_body(root: Path) -> Path:
    path = root / "articles.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["title", "body"])
        writer.writerows(zip(TITLES, BODIES, strict=True))
    return path


def single_source(root: Path) -> Path:
    for n, category in enumerate(("politics", "economy", "sport", "politics")):
        _txt(root / "الجزيرة" / category / f"{n:03d}.txt", TITLES[n], BODIES[n])
    return root


def single_category(root: Path) -> Path:
    for n, source in enumerate(("bbc", "cnn", "bbc", "cnn")):
        _txt(root / source / "news" / f"{n:03d}.txt", None, BODIES[n] + BODIES[n + 1])
    return root


def some_dated(root: Path) -> Path:
    """Each outlet has words of its own (key words exist for all three); only "alpha" gives
    dates, URLs and authors."""
    rows = []
    for n in range(9):
        source = ("alpha", "beta", "gamma")[n % 3]
        row = {"source": source, "category": ("news", "economy")[n % 2], "title": TITLES[n % 6],
               "body": BODIES[n % 3] * 4 + BODIES[3 + n % 3]}
        if source == "alpha":
            row.update(date=f"2020-0{n // 3 + 1}-15T10:00:00Z", url=f"https://example.org/{n}",
                       author="مراسلنا")
        rows.append(row)
    path = root / "articles.json"
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def long_article(root: Path) -> Path:
    words = " ".join(BODIES).split()
    words = [words[i % len(words)] for i in range(LONG_WORDS)]
    lines = "\n".join(" ".join(words[i:i + 300]) for i in range(0, LONG_WORDS, 300))
    _txt(root / "000_long.txt", "كتاب كامل في مقال واحد", lines + "\n")
    _txt(root / "001_short.txt", TITLES[0], BODIES[0])
    _txt(root / "002_short.txt", TITLES[1], BODIES[1])
    return root


def single_article(root: Path) -> Path:
    """One JSON record: a headline, a body and a date, no outlet (dates without outlets)."""
    path = root / "article.json"
    record = {"title": TITLES[0], "body": BODIES[0], "published": "2021-03-04T08:00:00Z"}
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return path


def headlines_only(root: Path) -> Path:
    _txt(root / "001.txt", None, TITLES[0] + "\n")
    _txt(root / "002.txt", None, TITLES[1] + "\n")
    return root


def hostile(root: Path) -> Path:
    _txt(root / HOSTILE_SOURCE / "politics" / "001_a.txt", HOSTILE_HEADLINE, BODIES[0])
    _txt(root / HOSTILE_SOURCE / "economy" / "002_b.txt", TITLES[1], BODIES[1])
    _txt(root / RLO_SOURCE / "sport" / "003_c.txt", TITLES[2], BODIES[2])
    _txt(root / RLO_SOURCE / "sport" / RLO_FILE, f"{RLO}عنوان معكوس", BODIES[3])
    (root / HOSTILE_SOURCE / "economy" / CONTROL_FILE).write_bytes(b"")
    return root


def empty(root: Path) -> Path:
    (root / "empty.txt").write_bytes(b"")
    (root / "README.md").write_text("# notes\n", encoding="utf-8")
    return root


#: shape name -> writer; every shape holds at least one article (see the table above)
SHAPES: dict[str, Callable[[Path], Path]] = {
    "flat_folder": flat_folder,
    "csv_title_body": csv_title_body,
    "single_source": single_source,
    "single_category": single_category,
    "some_dated": some_dated,
    "long_article": long_article,
    "single_article": single_article,
    "headlines_only": headlines_only,
    "hostile": hostile,
}
