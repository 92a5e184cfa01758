"""Character sets, translation tables and compiled regexes shared by the helpers.

Every character is written as a ``\\u`` escape with a comment naming it, in the style of
camel_tools' ``utils/charsets.py``; regexes are compiled once here from those sets. Each
module appends its own section below; keep sections separate.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------------------
# reading: corpus loading (used by helpers.reading)
# ---------------------------------------------------------------------------------------

#: Byte-order marks, longest first (UTF-32 marks start with the UTF-16 ones).
BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32"),  # UTF-32 big-endian
    (b"\xff\xfe\x00\x00", "utf-32"),  # UTF-32 little-endian
    (b"\xef\xbb\xbf", "utf-8-sig"),  # UTF-8
    (b"\xfe\xff", "utf-16"),  # UTF-16 big-endian
    (b"\xff\xfe", "utf-16"),  # UTF-16 little-endian
)

#: Arabic letters proper, used to score candidate 8-bit decodings (more is better).
ARABIC_LETTERS = (
    "\u0621-\u063a"  # ARABIC LETTER HAMZA .. ARABIC LETTER GHAIN
    "\u0641-\u064a"  # ARABIC LETTER FEH .. ARABIC LETTER YEH
)
RE_ARABIC_LETTER = re.compile(f"[{ARABIC_LETTERS}]")

#: C0 control bytes that never occur in text (everything below 0x20 except
#: TAB 0x09, LF 0x0A, VT 0x0B, FF 0x0C, CR 0x0D, and ESC 0x1B kept out as well), plus DEL.
RE_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")

#: Bytes 0x80-0x9F: printable characters in Windows-1256 (e.g. 0x81 PEH, 0x8D TCHEH,
#: 0x90 GAF), but C1 control codes in ISO-8859-6, which never appear in real text.
RE_C1_BYTES = re.compile(rb"[\x80-\x9f]")

#: Opening tag of one TREC document: ``<DOC>`` (any case, attributes allowed).
RE_TREC_DOC_OPEN = re.compile(r"<DOC(?:\s[^<>]*)?>", re.IGNORECASE)
#: Closing tag of one TREC document.
RE_TREC_DOC_CLOSE = re.compile(r"</DOC\s*>", re.IGNORECASE)
#: Any opening (or self-closing) field tag inside a TREC document: name, attributes, slash.
RE_TREC_FIELD_OPEN = re.compile(r"<([A-Za-z][\w.:-]*)((?:\s[^<>]*?)?)(/?)>")
#: A CDATA section; its content is kept verbatim.
RE_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
#: Complete character references only (``&amp;``, ``&#1575;``, ``&#x627;``); a bare ``&``
#: as in ``S&P`` is left alone (``html.unescape`` alone would also expand ``&copy`` etc.).
RE_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

#: Dash characters that end a dateline, when followed by a space.
DATELINE_DASHES = (
    "\u002d"  # HYPHEN-MINUS -
    "\u2013"  # EN DASH –
    "\u2014"  # EM DASH —
    "\u0640"  # ARABIC TATWEEL ـ (used as a dash by some papers: "القاهرة ـ")
)
#: An opening dateline: one to three Arabic words (a place), optionally a short
#: parenthesised agency, then a dash and a space: ``موسكو - ...``, ``واشنطن (رويترز) - ...``.
RE_DATELINE = re.compile(
    rf"^[ \t]*(?P<dateline>[{ARABIC_LETTERS}]+(?:[ \t]+[{ARABIC_LETTERS}]+){{0,2}}"
    rf"(?:[ \t]*\([^()\n]{{1,40}}\))?)[ \t]*[{DATELINE_DASHES}][ \t]+"
)

#: File names that document a corpus rather than hold an article (README, LICENSE, ...).
RE_DOC_FILE = re.compile(
    r"^(?:readme|licen[cs]e|copying|changelog|changes|authors|notice|citation|manifest)"
    r"(?:[._-].*)?$",
    re.IGNORECASE,
)

#: Names accepted by ``save_processed`` / ``load_processed`` (no path separators).
RE_PROCESSED_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$")

# ---------------------------------------------------------------------------------------
# rtl and charts: text for renderers (used by helpers.rtl and helpers.charts)
# ---------------------------------------------------------------------------------------

FIRST_STRONG_ISOLATE = "\u2068"  # FSI: the isolate's direction comes from its first strong letter
POP_DIRECTIONAL_ISOLATE = "\u2069"  # PDI: closes the FSI
ARABIC_LETTER_BEH = "\u0628"  # ARABIC LETTER BEH ب (probe: three of them join into one word)
ARABIC_LETTER_ALEF = "\u0627"  # ARABIC LETTER ALEF ا (probe: tall and narrow, where does it land?)

#: Western digits and separators -> Arabic-Indic ones, for tick labels (``arabic_digits``).
ARABIC_INDIC_DIGITS = str.maketrans(
    {
        "0": "\u0660",  # ARABIC-INDIC DIGIT ZERO ٠
        "1": "\u0661",  # ARABIC-INDIC DIGIT ONE ١
        "2": "\u0662",  # ARABIC-INDIC DIGIT TWO ٢
        "3": "\u0663",  # ARABIC-INDIC DIGIT THREE ٣
        "4": "\u0664",  # ARABIC-INDIC DIGIT FOUR ٤
        "5": "\u0665",  # ARABIC-INDIC DIGIT FIVE ٥
        "6": "\u0666",  # ARABIC-INDIC DIGIT SIX ٦
        "7": "\u0667",  # ARABIC-INDIC DIGIT SEVEN ٧
        "8": "\u0668",  # ARABIC-INDIC DIGIT EIGHT ٨
        "9": "\u0669",  # ARABIC-INDIC DIGIT NINE ٩
        ".": "\u066b",  # ARABIC DECIMAL SEPARATOR ٫
        ",": "\u066c",  # ARABIC THOUSANDS SEPARATOR ٬
        "%": "\u066a",  # ARABIC PERCENT SIGN ٪
    }
)

# ---------------------------------------------------------------------------------------
# display and reports: HTML for notebooks (used by helpers.display, helpers.overview)
# ---------------------------------------------------------------------------------------

#: Blocks of right-to-left scripts: a table cell holding one of these is laid out RTL.
RTL_SCRIPT_RANGES = (
    "\u0590-\u05ff"  # HEBREW block
    "\u0600-\u06ff"  # ARABIC block
    "\u0700-\u074f"  # SYRIAC block
    "\u0750-\u077f"  # ARABIC SUPPLEMENT block
    "\u0780-\u07bf"  # THAANA block
    "\u0870-\u089f"  # ARABIC EXTENDED-B block
    "\u08a0-\u08ff"  # ARABIC EXTENDED-A block
    "\ufb1d-\ufdff"  # HEBREW PRESENTATION FORMS .. ARABIC PRESENTATION FORMS-A
    "\ufe70-\ufefe"  # ARABIC PRESENTATION FORMS-B (U+FEFF, the byte-order mark, left out)
)
#: One right-to-left script character.
RE_RTL_CHAR = re.compile(f"[{RTL_SCRIPT_RANGES}]")
#: A run of right-to-left script characters (isolated with <bdi> inside English prose).
RE_RTL_RUN = re.compile(f"[{RTL_SCRIPT_RANGES}]+")
