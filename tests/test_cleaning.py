"""Tests for helpers.cleaning: every step with Arabic pairs, presets, str/Series equivalence,
idempotence (property tests), missing values, and camel-tools equivalence on the whole ANT."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import cleaning
from helpers.cleaning import PRESETS, STEPS, count_presentation_forms, normalize

# ----------------------------------------------------------------------------- pairs
PAIRS = {
    "html": [
        ("<p>مصر</p><p>الأردن</p>", "\nمصر\n\nالأردن\n"),
        ("<b>عاجل</b>: خبر", "عاجل: خبر"),
        ("&quot;مصر&quot; &amp; &#1604;&#x627;", '"مصر" & لا'),
        ("&amp;lt;b&amp;gt;نص", "نص"),  # double-escaped markup, removed to the end
        ("س < ص و ص > ع", "س < ص و ص > ع"),  # comparison, not a tag
        ("&hellip؛", "\u2026"),  # entity closed by an Arabic semicolon
        ("<!-- تعليق -->نص<br/>سطر", "نص\nسطر"),
    ],
    "presentation_forms": [
        ("ﻣﺼﺮ", "مصر"),
        ("ﻻ ﻷ ﻹ ﻼ", "لا لأ لإ لا"),
        ("ﷲ", "الله"),
        ("ﷺ", "صلى الله عليه وسلم"),
        ("﷼", "ريال"),
        ("﷽", "بسم الله الرحمن الرحيم"),
        ("\ufeffنص", "\ufeffنص"),  # the BOM is not a presentation form
    ],
    "bidi_controls": [
        ("\u200fمصر\u200e", "مصر"),
        ("\u202bالعربية\u202c \u2067#وسم\u2069", "العربية #وسم"),
        ("ب\u200dعقوبة", "بعقوبة"),  # stray ZWJ (ANT)
        ("إلى \u200cتنظيم", "إلى تنظيم"),  # stray ZWNJ (ANT)
        ("\ufeffأعلن", "أعلن"),
        ("كلمة\u200bأخرى\u2060\u061c\u00ad", "كلمةأخرى"),
    ],
    "diacritics": [
        ("مَدْرَسَةٌ", "مدرسة"),
        ("الْعَرَبِيَّةُ", "العربية"),
        ("هٰذا", "هذا"),  # dagger alef
        ("كِتَابًا", "كتابا"),
        ("سماءٍ وسماءٌ", "سماء وسماء"),
        ("آ ٓ ٔ", "آ ٓ ٔ"),  # maddah/hamza above (U+0653, U+0654) kept, as camel_tools does
    ],
    "tatweel": [("مـــصر", "مصر"), ("الـCNN", "الCNN"), ("ـ", "")],
    "alef": [("أحمد إبراهيم آمن ٱلله", "احمد ابراهيم امن الله"), ("ا", "ا")],
    "alef_maksura": [("على مستشفى", "علي مستشفي"), ("ي", "ي")],
    "teh_marbuta": [("مدرسة الجامعة", "مدرسه الجامعه"), ("ه", "ه")],
    "hamza": [("مسؤول قائد", "مسءول قاءد"), ("أ إ ء", "أ إ ء")],
    "digits": [("٢٠٢٤", "2024"), ("۱۴۰۳", "1403"), ("٣٫٥", "3٫5"), ("12", "12")],
    "emails": [
        ("راسلونا على info@example.com اليوم", "راسلونا على  اليوم"),
        ("a.b+c@mail.co.uk، شكرا", "، شكرا"),
        ("@مصر", "@مصر"),
    ],
    "urls": [
        ("المصدر: https://example.com/a?b=1.", "المصدر: ."),
        ("زوروا www.bbc.com/arabic، شكرا", "زوروا ، شكرا"),
        ("(http://x.org/عربي)", "()"),
        ("HTTPS://X.COM", ""),
        ("http:// مصر", "http:// مصر"),
    ],
    "punctuation": [("نعم، لا؛ لماذا؟", "نعم, لا; لماذا?"), ("a,b", "a,b")],
    "whitespace": [
        ("  مصر\u00a0 والأردن  ", "مصر والأردن"),
        ("سطر\r\nسطر\rسطر", "سطر\nسطر\nسطر"),
        ("فقرة \n \n\n  فقرة", "فقرة\n\nفقرة"),
        ("سطر \n سطر", "سطر\nسطر"),
        ("أ\u2029ب\u2028ج\u0085د", "أ\nب\nج\nد"),
        ("\t\u2003تبويب\u3000", "تبويب"),
        ("", ""),
    ],
}


def test_every_step_has_pairs():
    assert set(PAIRS) == set(STEPS)


@pytest.mark.parametrize(
    "step,raw,expected", [(s, r, e) for s, pairs in PAIRS.items() for r, e in pairs]
)
def test_step_pairs(step, raw, expected):
    assert normalize(raw, steps=[step]) == expected
    assert STEPS[step](raw) == expected
    series = pd.Series([raw, None], index=[7, 3], name="body", dtype=object)
    out = normalize(series, steps=[step])
    assert out.iloc[0] == expected
    assert out.isna().iloc[1]


def test_step_options():
    assert cleaning.normalize_punctuation("نعم، لا؟", mode="remove") == "نعم  لا "
    assert normalize("نعم، لا؟", steps=["punctuation", "whitespace"], punctuation="remove") == "نعم لا"
    assert cleaning.remove_bidi_controls("می\u200cخواهم", keep_joiners=True) == "می\u200cخواهم"
    assert normalize("می\u200cخواهم\u200f", steps="bidi_controls", keep_joiners=True) == "می\u200cخواهم"
    assert cleaning.normalize_whitespace("أ \n\n ب  ج", keep_newlines=False) == "أ ب ج"
    with pytest.raises(ValueError, match="ascii"):
        normalize("x", steps=["punctuation"], punctuation="drop")


def test_reverse_digits():
    assert cleaning.to_arabic_indic_digits("عام 2024") == "عام ٢٠٢٤"
    assert cleaning.normalize_digits(cleaning.to_arabic_indic_digits("0123456789")) == "0123456789"
    out = cleaning.to_arabic_indic_digits(pd.Series(["1", None, "x9"]))
    assert out.tolist()[0] == "١" and out.isna()[1] and out[2] == "x٩"


# ----------------------------------------------------------------------------- presets
def test_presets():
    assert set(PRESETS) == {"display", "search"}
    assert set(PRESETS["search"]) == set(PRESETS["display"]) | {
        "diacritics", "tatweel", "alef", "alef_maksura", "teh_marbuta", "digits"}
    raw = "\u200fﻣﺼﺮ  والأُرْدُنّ إلى المدرسةِ ٢٠٢٤ كتـاب "
    assert normalize(raw, preset="display") == "مصر والأُرْدُنّ إلى المدرسةِ ٢٠٢٤ كتـاب"
    assert normalize(raw, preset="search") == "مصر والاردن الي المدرسه 2024 كتاب"
    # steps and preset combine
    assert normalize("مسؤول،  قال", steps=["hamza", "punctuation"], preset="display") == "مسءول, قال"


def test_no_steps_is_identity_and_canonical_order():
    assert normalize("مَصر ") == "مَصر "
    assert cleaning.resolve_steps(["whitespace", "html", "alef"]) == ("html", "alef", "whitespace")
    raw = "<b>أَ</b>  ﻻ"
    assert normalize(raw, steps=["whitespace", "html", "alef", "diacritics", "presentation_forms"]) == \
        normalize(raw, steps=["presentation_forms", "diacritics", "alef", "html", "whitespace"])


def test_unknown_step_or_preset():
    with pytest.raises(ValueError, match="valid steps: html, presentation_forms"):
        normalize("x", steps=["diacritic"])
    with pytest.raises(ValueError, match="valid presets: display, search"):
        normalize("x", preset="clean")


# ----------------------------------------------------------------------------- Series
@pytest.mark.parametrize("dtype", [object, "string[python]", "string[pyarrow]", "str"])
def test_series_kinds(dtype):
    values = ["أَحمد", None, "", "ﻻ\u200f  نص"]
    series = pd.Series(values, index=[10, 5, 2, 8], name="title", dtype=dtype)
    before = series.copy()
    out = normalize(series, preset="search")
    pd.testing.assert_series_equal(series, before)  # input untouched
    assert out.dtype == pd.StringDtype("pyarrow")
    assert list(out.index) == [10, 5, 2, 8] and out.name == "title"
    assert out.isna().tolist() == [False, True, False, False]
    assert out[10] == "احمد" and out[2] == "" and out[8] == "لا نص"


def test_series_edge_cases():
    empty = pd.Series([], dtype=object)
    assert len(normalize(empty, preset="search")) == 0
    all_na = pd.Series([None, None], dtype="string[pyarrow]")
    assert normalize(all_na, preset="search").isna().all()
    # a slice (non-zero Arrow offset) and several chunks
    long = pd.Series(["أَ" * 1000 + str(i) + "ﻻ" for i in range(400)] + [None], dtype="string[pyarrow]")
    part = long.iloc[3:]
    out = normalize(part, preset="search")
    assert out.index.tolist() == part.index.tolist()
    assert out.tolist()[:-1] == [normalize(v, preset="search") for v in part.tolist()[:-1]]
    chunked = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["ﻣﺼﺮ", None], ["إلى"]])))
    assert normalize(chunked, preset="search").tolist()[::2] == ["مصر", "الي"]
    with pytest.raises(TypeError):
        normalize(pd.Series([1, 2]))
    with pytest.raises(TypeError):
        normalize(b"bytes")
    assert normalize(None) is None


def test_count_presentation_forms():
    assert count_presentation_forms("ﻣﺼﺮ ﻻ") == 4
    assert count_presentation_forms("\ufeffمصر") == 1
    assert count_presentation_forms("\ufeffمصر", foldable_only=True) == 0
    counts = count_presentation_forms(pd.Series(["ﷲ", None, "مصر"], index=[4, 5, 6]))
    assert counts.dtype == "Int64" and counts.index.tolist() == [4, 5, 6]
    assert counts[4] == 1 and pd.isna(counts[5]) and counts[6] == 0


# ----------------------------------------------------------------------------- properties
ALPHABET = (
    [chr(c) for c in range(0x0621, 0x064B)]  # letters (and tatweel)
    + [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670"]  # diacritics and other marks
    + list("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹0123456789")
    + ["\ufefb", "\ufef7", "\ufe8d", "\ufdf2", "\ufdfa", "\ufdfc", "\ufe70", "\ufc5e", "\ufeff", "\ufb8a"]
    + ["\u200e", "\u200f", "\u061c", "\u202b", "\u202c", "\u2067", "\u2069", "\u200b", "\u200c", "\u200d"]
    + [" ", " ", "\n", "\r", "\t", "\u00a0", "\u2029", "\u3000"]
    + list("،؛؟.,;?!:/<>&#@-_'\"()") + list("abwhtpsx")
)
arabic_text = st.text(alphabet=st.sampled_from(ALPHABET), max_size=60)
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
texts = st.one_of(arabic_text, any_text)
CONFIGS = [{"steps": [s]} for s in STEPS] + [{"preset": p} for p in PRESETS]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: str(c))
@FAST
@given(text=texts)
def test_idempotent(config, text):
    once = normalize(text, **config)
    assert normalize(once, **config) == once


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: str(c))
@FAST
@given(values=st.lists(st.one_of(texts, st.none()), max_size=6))
def test_str_and_series_agree(config, values):
    series = pd.Series(values, dtype=object)
    out = normalize(series, **config)
    expected = [normalize(v, **config) if v is not None else None for v in values]
    assert [None if pd.isna(v) else v for v in out.tolist()] == expected


@FAST
@given(text=texts)
def test_all_steps_together(text):
    series = pd.Series([text], dtype=object)
    assert normalize(series, steps=list(STEPS)).iloc[0] == normalize(text, steps=list(STEPS))


# ----------------------------------------------------------------------------- camel-tools
CAMEL_STEPS = ["diacritics", "alef", "alef_maksura", "teh_marbuta"]


def _camel():
    dediac = pytest.importorskip("camel_tools.utils.dediac")
    norm = pytest.importorskip("camel_tools.utils.normalize")

    def run(text: str) -> str:
        text = dediac.dediac_ar(text)
        text = norm.normalize_alef_ar(text)
        text = norm.normalize_alef_maksura_ar(text)
        return norm.normalize_teh_marbuta_ar(text)

    return run


def test_camel_charsets_match():
    charsets = pytest.importorskip("camel_tools.utils.charsets")
    from helpers import resources

    assert set(resources.DIACRITICS) == set(charsets.AR_DIAC_CHARSET)
    camel_norm = pytest.importorskip("camel_tools.utils.normalize")
    assert set(camel_norm._ALEF_NORMALIZE_AR_RE.pattern.strip("[]")) == set(resources.ALEF_VARIANTS)


@FAST
@given(text=texts)
def test_camel_equivalence_property(text):
    camel = _camel()
    assert normalize(text, steps=CAMEL_STEPS) == camel(text)
    assert normalize(pd.Series([text]), steps=CAMEL_STEPS).iloc[0] == camel(text)


@pytest.mark.slow
def test_camel_equivalence_whole_ant(ant):
    camel = _camel()
    bodies = ant[0]["body"]
    assert len(bodies) == 31525
    ours = normalize(bodies, steps=CAMEL_STEPS)
    assert ours.index.equals(bodies.index)
    mismatched = [
        i for i, (raw, out) in enumerate(zip(bodies.tolist(), ours.tolist()))
        if (raw is pd.NA or raw is None) != (out is pd.NA or out is None)
        or (isinstance(raw, str) and camel(raw) != out)
    ]
    assert mismatched == []
    # and the str path agrees with the Series path on every article
    assert all(normalize(raw, steps=CAMEL_STEPS) == out
               for raw, out in zip(bodies.dropna().tolist(), ours.dropna().tolist()))


@pytest.mark.slow
def test_ant_presentation_forms_and_presets(ant):
    bodies = ant[0]["body"]
    counts = count_presentation_forms(bodies)
    assert int((counts > 0).sum()) == 24  # as measured in shared/corpora/README.md
    folded = cleaning.fold_presentation_forms(bodies)
    assert int(count_presentation_forms(folded, foldable_only=True).sum()) == 0
    search = normalize(bodies, preset="search")
    assert not search.str.contains("[\u064b-\u0652\u0640\u0622\u0623\u0625\u0649\u0629\u200f]", regex=True).any()
    sample = bodies.dropna().iloc[::50].tolist()
    assert [normalize(t, preset="search") for t in sample] == search.dropna().iloc[::50].tolist()
    assert np.array_equal(normalize(search, preset="search").fillna("").to_numpy(), search.fillna("").to_numpy())
