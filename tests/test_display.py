"""Tests for helpers.display: escaping and right-to-left markup."""

from __future__ import annotations

import re
from html import escape

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import display

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"
HOSTILE_AR = "عاجل " + HOSTILE + ' "quoted" & \'single\''


def _no_raw_markup(html: str) -> None:
    assert "<script" not in html
    assert "<img" not in html
    assert "onerror=alert(1)>" not in html  # the attribute never reaches a tag


def test_rtl_table_escapes_values_and_headers():
    frame = pd.DataFrame({HOSTILE: [HOSTILE, HOSTILE_AR], "n": [1, 2]})
    html = display.rtl_table(frame).html
    _no_raw_markup(html)
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3  # header + two cells
    assert "&quot;quoted&quot; &amp; &#x27;single&#x27;" in html


def test_rtl_table_directions():
    frame = pd.DataFrame({"title": ["خبر عاجل", "Breaking news"], "count": [1200, 3]})
    html = display.rtl_table(frame).html
    arabic_cell = re.search(r"<td[^>]*>خبر عاجل</td>", html).group()
    assert 'dir="rtl"' in arabic_cell and 'lang="ar"' in arabic_cell
    assert "text-align: right" in arabic_cell
    english_cell = re.search(r"<td[^>]*>Breaking news</td>", html).group()
    assert 'dir="ltr"' in english_cell
    number_cell = re.search(r"<td[^>]*>1,200</td>", html).group()
    assert 'dir="ltr"' in number_cell and "text-align: right" in number_cell


def test_rtl_table_missing_values_rows_and_index():
    frame = pd.DataFrame(
        {"title": pd.array(["خبر", None, "ثالث"], dtype="string"),
         "date": pd.to_datetime(["2020-01-01", None, "2020-02-03"], utc=True)}
    )
    table = display.rtl_table(frame, max_rows=2)
    assert "\u2014" in table.html  # missing shown as a dash, not "<NA>"
    assert "Showing 2 of 3 rows" in table.html
    assert "2020-01-01" in table.html
    assert "<th" not in table.html.split("<tbody>")[1]  # RangeIndex not shown
    counts = pd.Series([3, 1], index=pd.Index(["الجزيرة", "BBC"], name="source"), name="n")
    html = display.rtl_table(counts).html
    assert re.search(r'<th class="hx-ar" dir="rtl"[^>]*>الجزيرة</th>', html)


def test_rtl_table_does_not_mutate_and_truncates():
    frame = pd.DataFrame({"body": ["ب" * 500]})
    before = frame.copy()
    html = display.rtl_table(frame, max_chars=50).html
    pd.testing.assert_frame_equal(frame, before)
    assert "ب" * 49 + "\u2026" in html and "ب" * 51 not in html


def test_empty_table_is_a_note():
    html = display.rtl_table(pd.DataFrame({"a": []}), empty="Nothing <here>").html
    assert html == '<p class="hx-note">Nothing &lt;here&gt;</p>'


def test_rtl_text_quotes_paragraphs_escaped():
    html = display.rtl_text("فقرة أولى\n\n" + HOSTILE + "\nفقرة ثالثة").html
    _no_raw_markup(html)
    assert html.startswith('<div class="hx-quote" dir="rtl" lang="ar">')
    assert html.count("<p") == 3
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_rtl_text_limits():
    html = display.rtl_text("أ\nب\nج", max_paragraphs=2).html
    assert html.count("<p") == 3 and "\u2026" in html
    assert "hx-note" in display.rtl_text(None).html


def test_before_after_escapes_and_marks_invisible():
    examples = pd.DataFrame(
        {
            "step": ["bidi_controls", "html"],
            "articles": [212, 3],
            "change": ["removes U+200F right-to-left mark \u00d71", "أ \u2192 ا"],
            "before": ["قال\u200f إن", "نص " + HOSTILE],
            "after": ["قال إن", "نص"],
        }
    )
    html = display.before_after(examples).html
    _no_raw_markup(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'title="U+200F RIGHT-TO-LEFT MARK"' in html
    assert html.count('<td class="hx-ar" dir="rtl"') == 4
    # Arabic inside the English "change" column is isolated so the arrow reads left to right
    assert '<bdi dir="rtl" lang="ar">أ</bdi> \u2192 <bdi dir="rtl" lang="ar">ا</bdi>' in html


def test_before_after_without_example():
    html = display.before_after(
        [{"step": "emails", "articles": 0, "change": "", "before": pd.NA, "after": pd.NA}]
    ).html
    assert "no article in this corpus is changed" in html


@pytest.mark.parametrize("value", [HOSTILE, "&amp;", '"><svg onload=alert(1)>'])
def test_note_escapes(value):
    html = display.note(value).html
    assert html == f'<p class="hx-note">{escape(value)}</p>'
    assert "<svg" not in html and "<script" not in html


def test_stylesheet_has_arabic_font_stack():
    css = display.stylesheet().html
    assert "Noto Naskh Arabic" in css and ":lang(ar)" in css
    assert "http" not in css  # no web fonts fetched


def test_html_object_repr():
    t = display.rtl_table(pd.DataFrame({"a": [1]}))
    assert t._repr_html_() == str(t)
    assert "a" in repr(t)


RLO = "\u202e"


def test_escape_shows_controls_and_bidi_overrides_as_tags():
    html = display.escape(f"004_{RLO}cod.exe.txt <b>\x1b[2J")
    assert RLO not in html and "\x1b" not in html
    assert 'title="U+202E RIGHT-TO-LEFT OVERRIDE">U+202E</span>cod.exe.txt' in html
    assert "&lt;b&gt;" in html and ">U+001B</span>[2J" in html
    # Arabic marks and joiners stay: they belong to the text
    assert display.escape("لا\u200fإله\u200d") == "لا\u200fإله\u200d"


def test_isolate_wraps_each_value_in_bdi():
    assert display.bdi(f"wire{RLO}cba").startswith("<bdi>wire<span")
    assert display.bdi("الجزيرة") == '<bdi dir="rtl" lang="ar">الجزيرة</bdi>'
    assert display.bdi("<b>") == "<bdi>&lt;b&gt;</bdi>"


def test_visible_controls_for_terminals():
    assert display.visible_controls(f"a{RLO}b\x1b[0m\tc\n") == "a\\u202eb\\u001b[0m\tc\n"


def test_plain_text_is_preformatted_escaped_and_tags_controls():
    shown = display.plain_text(f"skipped:\n  <x>{RLO}.txt: empty file")
    assert shown.html.startswith('<pre class="hx-plain" dir="ltr">skipped:\n  &lt;x&gt;<span')
    assert RLO not in shown.html and "\\u202e" in shown.text


def test_tables_and_quotes_tag_controls_in_cells_and_headers():
    frame = pd.DataFrame({f"h{RLO}": [f"خبر{RLO}", f"x{RLO}"]})
    html = display.rtl_table(frame).html
    assert RLO not in html and html.count(">U+202E</span>") == 3
    quote = display.rtl_text(f"سطر{RLO}", title=f"عنوان{RLO}").html
    assert RLO not in quote and quote.count(">U+202E</span>") == 2


def test_rtl_text_without_a_headline():
    """A missing headline (pd.NA from the loader) shows no heading instead of failing."""
    html = display.rtl_text("نص الخبر", title=pd.NA).html
    assert "<strong>" not in html and "نص الخبر" in html
    assert display.rtl_text("نص", title=None).html == display.rtl_text("نص").html


def test_side_by_side_puts_notes_above_the_parts():
    tables = [display.rtl_table(pd.DataFrame({"source": ["الجزيرة"]})), display.note("<b>")]
    shown = display.side_by_side(tables, notes=[display.note("Few articles.")])
    assert shown.html.startswith('<p class="hx-note">Few articles.</p><div class="hx-overview">')
    assert shown.html.count('<div class="hx-overview-part">') == 2 and "&lt;b&gt;" in shown.html
    assert shown.text.startswith("Few articles.") and "الجزيرة" in shown.text


# --- reading order: a table whose text columns are Arabic is right to left -----------------

def _table_tag(html: str) -> str:
    return re.search(r"<table[^>]*>", html).group()


def _row_cells(html: str, row: int = 0) -> list[str]:
    """The texts of one body row's cells, in document (= reading) order."""
    body = html.split("<tbody>")[1]
    tr = re.findall(r"<tr>(.*?)</tr>", body)[row]
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>.*?</t[hd]>", tr)]


def test_a_pair_of_arabic_columns_reads_from_the_right():
    pairs = pd.DataFrame({"w1": ["الولايات", "كاس"], "w2": ["المتحده", "العالم"],
                          "count": [290, 172], "score": [3629.0, 2044.0]})
    html = display.rtl_table(pairs).html
    assert _table_tag(html) == '<table class="hx-table" dir="rtl">'
    # columns stay in the frame's order: with dir="rtl" the first (w1) is the rightmost
    assert _row_cells(html) == ["الولايات", "المتحده", "290", "3,629"]
    # numbers keep their own direction, isolated; headers are aligned with their column
    assert '<td class="hx-num" dir="ltr" style="text-align: right">290</td>' in html
    assert '<th class="hx-text" dir="ltr" style="text-align: right">w1</th>' in html
    assert display.table_direction(pairs) == "rtl"


def test_a_latin_table_stays_left_to_right_and_unchanged():
    frame = pd.DataFrame({"source": ["BBC", "CNN"], "category": ["sport", "world"],
                          "articles": [150, 3]})
    html = display.rtl_table(frame).html
    assert _table_tag(html) == '<table class="hx-table" dir="ltr">'
    assert _row_cells(html) == ["BBC", "sport", "150"]
    assert 'dir="rtl"' not in html and 'lang="ar"' not in html
    assert '<th class="hx-text" dir="ltr" style="text-align: left">source</th>' in html
    assert '<th class="hx-text" dir="ltr" style="text-align: right">articles</th>' in html


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        # an Arabic term beside an English label: the Arabic column decides
        (pd.DataFrame({"category": ["culture", "economy"], "rank": [1, 1],
                       "term": ["الفيلم", "البنك"]}), "rtl"),
        # labels in front do not turn the key words around (05's table, ANT outlet names)
        (pd.DataFrame({"source": ["BBC", "CNN"], "term": ["تطبيق", "سي"],
                       "g2": [12.5, 3.0], "key_for": ["target", "reference"]}), "rtl"),
        # a mostly Latin column with one Arabic value is a Latin column
        (pd.DataFrame({"path": ["a.txt", "b.txt", "خبر.txt"],
                       "reason": ["empty file", "binary", "empty file"]}), "ltr"),
        # a mostly Arabic column with one Latin value is Arabic (a pair "my | home")
        (pd.DataFrame({"w1": ["my", "الامم", "دونالد"], "w2": ["home", "المتحده", "ترامب"]}), "rtl"),
        # numbers, dates, digit strings and missing values are no text
        (pd.DataFrame({"month": pd.period_range("2018-02", periods=2, freq="M"),
                       "n": [3, 4], "code": ["2018", "2019"],
                       "note": pd.array([None, None], dtype="string")}), "ltr"),
        # numbers only under Arabic headers: an Arabic table
        (pd.DataFrame({"عدد المقالات": [3, 4], "الكلمات": [10, 12]}), "rtl"),
        # lists of tokens are text too
        (pd.DataFrame({"topic": [0, 1], "terms": [["عام", "الشرطه"], ["كاس", "العالم"]]}), "rtl"),
        (pd.DataFrame({"flag": [True, False], "n": [1, 2]}), "ltr"),
    ],
)
def test_direction_is_decided_from_the_values(frame, expected):
    html = display.rtl_table(frame).html
    assert f'dir="{expected}"' in _table_tag(html)
    assert display.table_direction(frame) == expected


def test_the_index_is_first_in_reading_order():
    counts = pd.Series([3, 1], index=pd.Index(["الجزيرة", "العربية"], name="source"), name="n")
    html = display.rtl_table(counts).html
    assert 'dir="rtl"' in _table_tag(html)
    assert _row_cells(html) == ["الجزيرة", "3"]  # the label, then its count: on the right
    assert re.search(r"<tbody><tr><th class=\"hx-ar\" dir=\"rtl\"", html)
    # the index decides like any column: Arabic labels over numbers make an Arabic table
    assert display.table_direction(counts) == "rtl"
    assert display.table_direction(counts, index=False) == "ltr"


def test_only_the_rows_shown_decide():
    frame = pd.DataFrame({"term": ["cnn", "bbc"] + ["خبر"] * 5})
    assert display.table_direction(frame, max_rows=2) == "ltr"
    assert display.table_direction(frame, max_rows=None) == "rtl"
    assert 'dir="ltr"' in _table_tag(display.rtl_table(frame, max_rows=2).html)


def test_direction_can_be_set_and_is_checked():
    frame = pd.DataFrame({"term": ["خبر"]})
    assert 'dir="ltr"' in _table_tag(display.rtl_table(frame, direction="ltr").html)
    with pytest.raises(ValueError, match="direction"):
        display.rtl_table(frame, direction="right")


def test_right_to_left_tables_still_escape_everything():
    frame = pd.DataFrame({HOSTILE: ["الولايات", HOSTILE_AR], "w2": ["المتحده", HOSTILE]})
    html = display.rtl_table(frame, caption=HOSTILE + "\u202e").html
    _no_raw_markup(html)
    assert 'dir="rtl"' in _table_tag(html)
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 4  # header, caption, 2 cells
    assert '<caption dir="ltr">&lt;script&gt;' in html and "\u202e" not in html
    assert '<caption dir="rtl">' in display.rtl_table(frame, caption="الكلمات").html


def test_before_after_reads_from_the_right_when_the_snippets_are_arabic():
    arabic = display.before_after([{"step": "tatweel", "change": "removes U+0640",
                                    "before": "كتـــاب", "after": "كتاب"}]).html
    assert _table_tag(arabic) == '<table class="hx-table hx-before-after" dir="rtl">'
    assert _row_cells(arabic) == ["tatweel", "removes U+0640", "كتـــاب", "كتاب"]  # before first
    latin = display.before_after([{"step": "html", "before": "a <b>x</b>", "after": "a x"}]).html
    assert 'dir="ltr"' in _table_tag(latin) and "&lt;b&gt;" in latin


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["ar", "latin", "num", "na"]),
                          st.integers(min_value=1, max_value=4)), min_size=1, max_size=5),
       st.integers(min_value=1, max_value=6))
def test_generated_tables_follow_the_rule(columns, n_rows):
    """Tables of generated shapes: right to left exactly when a text column is mostly
    Arabic, every cell isolated in its own direction, columns in the frame's order."""
    values = {"ar": "خبر <عاجل>", "latin": "news & <more>", "num": 7, "na": None}
    frame, arabic = {}, False
    for j, (kind, every) in enumerate(columns):
        # the column's kind in every `every`-th row, the other rows Latin text (or numbers)
        other = 3 if kind == "num" else "x"
        col = [values[kind] if i % every == 0 else other for i in range(n_rows)]
        n_ar = sum(v == values["ar"] for v in col)
        n_latin = sum(isinstance(v, str) and v != values["ar"] for v in col)
        arabic |= n_ar > 0 and n_ar >= n_latin
        frame[f"c{j}"] = pd.Series(col, dtype="object")
    frame = pd.DataFrame(frame)
    html = display.rtl_table(frame, max_rows=None).html
    assert f'dir="{"rtl" if arabic else "ltr"}"' in _table_tag(html)
    assert "<more>" not in html and "<عاجل>" not in html
    cells = re.findall(r"<t[hd] [^>]*>", html)
    assert all("dir=" in c or 'class="hx-na"' in c for c in cells)


def test_latin_text_aligns_with_the_tables_start():
    """In a right-to-left table English labels are right-aligned like the Arabic beside them
    (still left to right inside their cell); in a left-to-right table they stay left."""
    keys = pd.DataFrame({"source": ["BBC"], "term": ["تطبيق"], "key_for": ["target"]})
    html = display.rtl_table(keys).html
    assert '<td class="hx-text" dir="ltr" style="text-align: right">BBC</td>' in html
    assert '<th class="hx-text" dir="ltr" style="text-align: right">source</th>' in html
    html = display.rtl_table(keys, direction="ltr").html
    assert '<td class="hx-text" dir="ltr" style="text-align: left">BBC</td>' in html
    assert '<td class="hx-ar" dir="rtl" lang="ar" style="text-align: right">تطبيق</td>' in html
