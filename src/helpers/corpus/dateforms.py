"""How dates are written: what :mod:`.dates` looks for, as data and patterns.

The forms a date is read in (:data:`FORMS`, the keys of ``LoadReport.date_forms``); the
characters normalised before matching (:data:`NORMALISE`: Arabic-Indic digits, hamza and
alef forms, marks, bidi controls); the names newsrooms write (Arabic months in the three
naming systems, Hijri months, English months, weekdays, labels such as ``نشر في``, time
zones); and the patterns over *shapes* (a text with its digits replaced by ``9``), each
shape giving a *template*: which digit run is the year, the month, the day, the hour, ...
(:func:`shape_template`). To read a new spelling or layout, this is the module to change;
the vectorised reading of a whole column is :mod:`.dates`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

NS = 1_000_000_000                   # nanoseconds in a second

# ---------------------------------------------------------------------------------------
# forms (the keys of LoadReport.date_forms)
# ---------------------------------------------------------------------------------------

ISO = "iso8601"
RFC = "rfc2822"
DAY_FIRST = "day-first numeric"
MONTH_FIRST = "month-first numeric"
YEAR_FIRST = "year-first numeric"
ARABIC_MONTH = "arabic month name"
ENGLISH_MONTH = "english month name"
HIJRI = "hijri"
EPOCH_S = "epoch seconds"
EPOCH_MS = "epoch milliseconds"
EPOCH_US = "epoch microseconds"
EPOCH_NS = "epoch nanoseconds"
TIMESTAMP = "timestamp"              # a date/time value (Parquet timestamps, ...)
FILE_NAME = "from file name"
FORMS = (ISO, RFC, DAY_FIRST, MONTH_FIRST, YEAR_FIRST, ARABIC_MONTH, ENGLISH_MONTH, HIJRI,
         EPOCH_S, EPOCH_MS, EPOCH_US, EPOCH_NS, TIMESTAMP, FILE_NAME)
CODE = {f: i for i, f in enumerate(FORMS, 1)}   # 0: not read
NUMERIC = len(FORMS) + 1                        # day-first or month-first: decided per file

# ---------------------------------------------------------------------------------------
# normalisation: characters mapped before matching (a byte-level translation, see
# dates.translate_utf8); the month and weekday names below are normalised the same way
# ---------------------------------------------------------------------------------------

NORMALISE: dict[str, str] = {
    **{chr(0x0660 + i): str(i) for i in range(10)},  # ARABIC-INDIC DIGIT ZERO .. NINE
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # EXTENDED ARABIC-INDIC DIGIT ZERO .. NINE
    "\u0622": "\u0627",  # ARABIC LETTER ALEF WITH MADDA ABOVE -> ALEF
    "\u0623": "\u0627",  # ARABIC LETTER ALEF WITH HAMZA ABOVE -> ALEF
    "\u0625": "\u0627",  # ARABIC LETTER ALEF WITH HAMZA BELOW -> ALEF
    "\u0671": "\u0627",  # ARABIC LETTER ALEF WASLA -> ALEF
    "\u0649": "\u064a",  # ARABIC LETTER ALEF MAKSURA -> YEH
    "\u06cc": "\u064a",  # ARABIC LETTER FARSI YEH -> YEH
    "\u0629": "\u0647",  # ARABIC LETTER TEH MARBUTA -> HEH
    "\u06be": "\u0647",  # ARABIC LETTER HEH DOACHASHMEE -> HEH
    "\u06c1": "\u0647",  # ARABIC LETTER HEH GOAL -> HEH
    "\u06a9": "\u0643",  # ARABIC LETTER KEHEH -> KAF
    "\u0640": "",        # ARABIC TATWEEL (هـ is the Hijri mark ه)
    **{chr(c): "" for c in range(0x064B, 0x0653)},  # ARABIC FATHATAN .. ARABIC SUKUN
    "\u0670": "",        # ARABIC LETTER SUPERSCRIPT ALEF
    "\u061c": "",        # ARABIC LETTER MARK
    "\u060c": ",",       # ARABIC COMMA
    "\u061b": ",",       # ARABIC SEMICOLON
    "\u066b": ".",       # ARABIC DECIMAL SEPARATOR
    "\u00a0": " ",       # NO-BREAK SPACE
    **{chr(c): " " for c in range(0x2000, 0x200B)},  # EN QUAD .. HAIR SPACE
    "\u202f": " ",       # NARROW NO-BREAK SPACE
    "\u200b": "",        # ZERO WIDTH SPACE
    "\u200c": "",        # ZERO WIDTH NON-JOINER
    "\u200d": "",        # ZERO WIDTH JOINER
    "\u200e": "",        # LEFT-TO-RIGHT MARK
    "\u200f": "",        # RIGHT-TO-LEFT MARK
    **{chr(c): "" for c in range(0x202A, 0x202F)},  # LRE, RLE, PDF, LRO, RLO
    **{chr(c): "" for c in range(0x2066, 0x206A)},  # LRI, RLI, FSI, PDI
    "\ufeff": "",        # ZERO WIDTH NO-BREAK SPACE (byte-order mark)
    **{chr(c): "-" for c in range(0x2010, 0x2016)},  # HYPHEN .. HORIZONTAL BAR
    "\u2212": "-",       # MINUS SIGN
}
_NORMALISE_TABLE = str.maketrans(NORMALISE)


def normalise(text: str) -> str:
    """``text`` as the date patterns see it (the Python twin of
    :func:`.dates.translate_utf8`).

    >>> normalise("١٧ أيّار ٢٠١٥")
    '17 ايار 2015'
    """
    return text.translate(_NORMALISE_TABLE)


# ---------------------------------------------------------------------------------------
# names (written as newsrooms spell them; normalised when the patterns are built)
# ---------------------------------------------------------------------------------------

#: Gregorian months in Arabic: Egyptian/Gulf, Levantine, Maghrebi (Tunisia, Algeria) and
#: Moroccan names with their common spellings.
ARABIC_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "كانون ثاني", "جانفي", "جانفييه"),
    2: ("فبراير", "فبرایر", "شباط", "فيفري", "فبرير"),
    3: ("مارس", "آذار", "اذار"),
    4: ("أبريل", "إبريل", "ابريل", "نيسان", "أفريل", "افريل"),
    5: ("مايو", "أيار", "ايار", "ماي", "مايس"),
    6: ("يونيو", "يونيه", "حزيران", "جوان", "يونيوز"),
    7: ("يوليو", "يوليه", "تموز", "جويلية", "جويلييه", "يوليوز"),
    8: ("أغسطس", "اغسطس", "أغسطوس", "آب", "اب", "أوت", "اوت", "غشت"),
    9: ("سبتمبر", "أيلول", "ايلول", "شتنبر"),
    10: ("أكتوبر", "اكتوبر", "تشرين الأول", "تشرين اول", "أكتوبر"),
    11: ("نوفمبر", "تشرين الثاني", "تشرين ثاني", "نونبر"),
    12: ("ديسمبر", "كانون الأول", "كانون اول", "دجنبر"),
}
#: Hijri months with their variants (الأولى/الأول, الآخر/الثاني, ذو/ذي, honorifics).
HIJRI_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("محرم", "المحرم", "محرم الحرام"),
    2: ("صفر", "صفر الخير"),
    3: ("ربيع الأول", "ربيع اول", "ربيع الاول", "ربيع الأنور"),
    4: ("ربيع الآخر", "ربيع الاخر", "ربيع الثاني", "ربيع ثاني", "ربيع الآخرة"),
    5: ("جمادى الأولى", "جمادى الاولى", "جمادى الأول", "جمادى الاول", "جمادى أول"),
    6: ("جمادى الآخرة", "جمادى الاخرة", "جمادى الآخر", "جمادى الثانية", "جمادى الثاني",
        "جمادى ثاني"),
    7: ("رجب", "رجب المرجب", "رجب الفرد"),
    8: ("شعبان", "شعبان المعظم"),
    9: ("رمضان", "رمضان المبارك", "رمضان المعظم"),
    10: ("شوال", "شوال المكرم"),
    11: ("ذو القعدة", "ذي القعدة", "ذوالقعدة", "ذى القعدة"),
    12: ("ذو الحجة", "ذي الحجة", "ذوالحجة", "ذى الحجة"),
}
ENGLISH_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan"), 2: ("february", "feb"), 3: ("march", "mar"),
    4: ("april", "apr"), 5: ("may",), 6: ("june", "jun"), 7: ("july", "jul"),
    8: ("august", "aug"), 9: ("september", "sept", "sep"), 10: ("october", "oct"),
    11: ("november", "nov"), 12: ("december", "dec"),
}
ARABIC_WEEKDAYS = ("الأحد", "الاثنين", "الإثنين", "الإتنين", "الاتنين", "الثلاثاء",
                   "الثلاثا", "الأربعاء", "الاربعاء", "الأربعا", "الخميس", "الجمعة", "السبت")
ENGLISH_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                    "sunday", "mon", "tues", "tue", "wed", "thurs", "thur", "thu", "fri",
                    "sat", "sun")
#: Words that may open a date field: "published on", "last updated", ...
LABELS = ("نشر في", "نشر بتاريخ", "تاريخ النشر", "آخر تحديث", "اخر تحديث", "تم النشر",
          "نشر", "بتاريخ", "تاريخ", "published on", "published", "updated on", "updated",
          "posted on", "posted", "date")
#: Named zones: offset from UTC in hours (the US names are those of RFC 2822).
ZONES: dict[str, float] = {
    "z": 0, "ut": 0, "utc": 0, "gmt": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5,
    "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
    "توقيت غرينتش": 0, "توقيت غرينيتش": 0, "توقيت جرينتش": 0, "توقيت جرينيتش": 0,
    "ت غ": 0, "توقيت مكة": 3, "توقيت مكة المكرمة": 3,
}


def _key(name: str) -> str:
    """Lookup key of a name: normalised, lower case, without spaces, dots or a leading ب."""
    key = re.sub(r"[\s.]+", "", normalise(name).lower())
    return key[1:] if key.startswith("بتوقيت") else key


#: normalised month name -> (calendar, month): "g" Gregorian (Arabic), "e" English, "h" Hijri
_MONTHS: dict[str, tuple[str, int]] = {}
for _cal, _table in (("g", ARABIC_MONTHS), ("h", HIJRI_MONTHS), ("e", ENGLISH_MONTHS)):
    for _month, _names in _table.items():
        for _name in _names:
            _MONTHS[_key(_name)] = (_cal, _month)
_ZONES = {_key(k): int(v * 3600) for k, v in ZONES.items()}


def _alternation(names, *, english=False) -> str:
    """A regex alternation of the normalised names, longest first; spaces match any
    (or no) whitespace."""
    forms = sorted({normalise(n) for n in names}, key=len, reverse=True)
    body = "|".join(r"\s*".join(map(re.escape, f.split())) for f in forms)
    return f"(?i:{body})" if english else f"(?:{body})"


_AR_MONTHS = [n for t in (ARABIC_MONTHS, HIJRI_MONTHS) for ns in t.values() for n in ns]
_EN_MONTHS = [n for ns in ENGLISH_MONTHS.values() for n in ns]
_MONTH = rf"(?:{_alternation(_AR_MONTHS)}|{_alternation(_EN_MONTHS, english=True)}\.?)"
_WEEKDAY = (rf"(?:(?:يوم\s*)?{_alternation(ARABIC_WEEKDAYS)}|"
            rf"{_alternation(ENGLISH_WEEKDAYS, english=True)}\.?)")
_LABEL = rf"(?:{_alternation(LABELS, english=True)}\s*:?\s*)"
_PREFIX = rf"(?:{_LABEL})?(?:{_WEEKDAY}\s*[,\-]?\s*)?"
_CAL = r"(?:\s*(?P<C>هجريه|هجري|ه|ميلاديه|ميلادي|م)(?![^\W\d_]))?"
_ZONE_NAME = (r"(?i:z|utc|gmt|ut|est|edt|cst|cdt|mst|mdt|pst|pdt)|"
              r"ب?توقيت\s*(?:غرينتش|غرينيتش|جرينتش|جرينيتش|مكه(?:\s*المكرمه)?)|ت\s*\.?\s*غ\.?")
_ZONE = (rf"(?:\s*\(?\s*(?:(?P<Zn>{_ZONE_NAME})\s*)?"
         r"(?:(?P<Zs>[+-])\s*(?P<Zh>9{1,2})(?::?(?P<Zm>99))?)?\s*\)?)?")
_TIME = (r"(?:(?:\s*[,\-|]\s*|\s+|[Tt])(?:(?:الساعه|(?i:at))\s*:?\s*)?"
         r"(?P<H>9{1,2}):(?P<M>99)(?::(?P<S>99)(?:[.,](?P<F>9{1,9}))?)?"
         r"(?:\s*(?P<P>(?i:[ap]\.?m\.?)|صباحا|صباح|ص|مساءا|مساء|م|ظهرا|عصرا|ليلا))?"
         rf"{_ZONE})?")
_TAIL = r"(?:\s*[,\-|(]?\s*الموافق.*)?"
_END = rf"{_TIME}{_TAIL}\s*"

#: Patterns over *shapes* (normalised text with every digit replaced by 9), tried in
#: order; the named groups say which digits are what.
SHAPE_PATTERNS: tuple[tuple[str, re.Pattern], ...] = tuple((name, re.compile(p)) for name, p in (
    ("epoch", r"(?P<neg>-)?(?P<e>9{10}|9{13})(?:\.(?P<F>9{1,9}))?"),
    ("ymd", rf"{_PREFIX}(?P<y>9{{4}})(?P<s>[-/.])(?P<b>9{{1,2}})(?P=s)(?P<a>9{{1,2}}){_CAL}{_END}"),
    ("compact", (r"(?P<y>9{4})(?P<b>99)(?P<a>99)(?:T(?P<H>99)(?P<M>99)(?P<S>99)?"
                 r"(?:[.,](?P<F>9{1,9}))?(?:(?P<Zn>Z)|(?P<Zs>[+-])(?P<Zh>99)(?P<Zm>99)?)?)?")),
    ("dmy", rf"{_PREFIX}(?P<a>9{{1,2}})(?P<s>[-/.])(?P<b>9{{1,2}})(?P=s)(?P<y>9{{4}}|99){_CAL}{_END}"),
    ("d-name-y", (rf"{_PREFIX}(?P<a>9{{1,2}})(?i:st|nd|rd|th)?\s*[-/.,]?\s*(?P<mon>{_MONTH})"
                  rf"(?:\s*[(/]\s*{_MONTH}\s*\)?)?\s*[-/.,]?\s*(?P<y>9{{4}}|99){_CAL}{_END}")),
    ("name-d-y", (rf"{_PREFIX}(?P<mon>{_MONTH})\s*[-/.]?\s*(?P<a>9{{1,2}})(?i:st|nd|rd|th)?"
                  rf"\s*,?\s*(?P<y>9{{4}}){_CAL}{_END}")),
))
#: The RFC 2822 layout (``Mon, 26 Feb 2018 02:20:10 GMT``), to name that form.
RE_RFC2822_SHAPE = re.compile(
    r"(?:[A-Za-z]{3},?\s+)?9{1,2}\s+[A-Za-z]{3}\s+9999\s+9{1,2}:99(?::99)?\s*"
    r"(?:GMT|UTC|UT|Z|[+-]9999)")
_RUN = re.compile("9+")

# template columns: per digit role (run index, divisor, modulus); then constants
_ROLES = ("y", "b", "a", "H", "M", "S", "F", "Zh", "Zm", "e")
_CONSTS = ("form", "hijri", "two_digit_year", "month", "ampm", "zsign", "zconst",
           "frac_scale", "epoch_scale", "neg")
NCOLS = 3 * len(_ROLES) + len(_CONSTS)
COL = {**{r: 3 * i for i, r in enumerate(_ROLES)},
        **{c: 3 * len(_ROLES) + i for i, c in enumerate(_CONSTS)}}


def _template(shape: str) -> list[int] | None:
    """What the digit runs of one shape mean, or None when no pattern takes it."""
    for name, pattern in SHAPE_PATTERNS:
        m = pattern.fullmatch(shape)
        if m is not None:
            break
    else:
        return None
    g = m.groupdict()
    t = [-1, 0, 0] * len(_ROLES) + [0] * len(_CONSTS)
    runs = [(r.start(), r.end()) for r in _RUN.finditer(shape)]
    starts = [s for s, _ in runs]
    for role in _ROLES:
        if g.get(role):
            begin, end = m.span(role)
            k = bisect_right(starts, begin) - 1
            run_end = runs[k][1]
            whole = (begin, end) == runs[k]
            t[COL[role]:COL[role] + 3] = [k, 0, 0] if whole else [
                k, 10 ** (run_end - end), 10 ** (end - begin)]
    c = COL
    t[c["two_digit_year"]] = int(len(g.get("y") or "") == 2)
    t[c["frac_scale"]] = 10 ** (9 - len(g["F"])) if g.get("F") else 0
    marker = g.get("C") or ""
    hijri = marker.startswith("ه")
    if name == "epoch":
        if len(g["e"]) == 13 and g.get("F"):
            return None
        t[c["form"]] = CODE[EPOCH_S] if len(g["e"]) == 10 else CODE[EPOCH_MS]
        t[c["epoch_scale"]] = NS if len(g["e"]) == 10 else 1_000_000
        t[c["neg"]] = int(bool(g.get("neg")))
        return t
    if g.get("mon"):
        cal, month = _MONTHS.get(_key(g["mon"]), ("", 0))
        if not month or (marker and hijri != (cal == "h")):
            return None
        t[c["month"]] = month
        hijri = cal == "h"
        t[c["form"]] = CODE[HIJRI if hijri else ENGLISH_MONTH if cal == "e" else ARABIC_MONTH]
        if cal == "e" and RE_RFC2822_SHAPE.fullmatch(shape):
            t[c["form"]] = CODE[RFC]
    elif hijri:
        t[c["form"]] = CODE[HIJRI]
    elif name == "dmy":
        t[c["form"]] = NUMERIC
    elif name == "compact" or g.get("s") == "-":
        t[c["form"]] = CODE[ISO]
    else:
        t[c["form"]] = CODE[YEAR_FIRST]
    if hijri and t[c["two_digit_year"]]:
        return None
    t[c["hijri"]] = int(hijri)
    ampm = (g.get("P") or "").lower().replace(".", "")
    t[c["ampm"]] = (1 if ampm in ("am", "ص", "صباحا", "صباح")
                    else 2 if ampm else 0)
    if g.get("Zn"):
        zone = _ZONES.get(_key(g["Zn"]))
        if zone is None:
            return None
        t[c["zconst"]] = zone
    if g.get("Zs"):
        t[c["zsign"]] = 1 if g["Zs"] == "+" else -1
    return t


@lru_cache(maxsize=65_536)
def shape_template(shape: str) -> tuple[int, ...] | None:
    """What the digit runs of ``shape`` mean, as a row of :data:`NCOLS` integers (per
    role of :data:`COL`: run index, divisor, modulus; then the constants), or None when no
    pattern of :data:`SHAPE_PATTERNS` takes it. Cached: a column has few distinct shapes.

    ``shape_template("99 مايو 9999")`` -> a row whose ``form`` is ``arabic month name``
    """
    t = _template(shape)
    return None if t is None else tuple(t)

