"""Character sets, translation tables and compiled regexes shared by the helpers.

Every character is written as a ``\\u`` escape with a comment naming it, in the style of
camel_tools' ``utils/charsets.py``; regexes are compiled once here from those sets. A
character that is used on its own has one name, its Unicode name (``ARABIC_LETTER_ALEF``,
``ARABIC_TATWEEL``), and every mapping one table. The first two sections are shared by
several modules; each section after them says which module uses it.
"""

from __future__ import annotations

import re
import unicodedata

# ---------------------------------------------------------------------------------------
# letters with a name (used by helpers.cleaning, helpers.tokens, helpers.concordance and
# helpers.rtl; the clitics below are spelled with them)
# ---------------------------------------------------------------------------------------

ARABIC_LETTER_HAMZA = "\u0621"  # ARABIC LETTER HAMZA ء
ARABIC_LETTER_ALEF = "\u0627"  # ARABIC LETTER ALEF ا (rtl's probe: tall, narrow: where is it?)
ARABIC_LETTER_BEH = "\u0628"  # ARABIC LETTER BEH ب (rtl's probe: three join into one word)
ARABIC_LETTER_TEH_MARBUTA = "\u0629"  # ARABIC LETTER TEH MARBUTA ة
ARABIC_LETTER_TEH = "\u062a"  # ARABIC LETTER TEH ت (a final ة is written ت before a suffix)
ARABIC_TATWEEL = "\u0640"  # ARABIC TATWEEL ـ (kashida: stretches a word, carries no letter)
ARABIC_LETTER_FEH = "\u0641"  # ARABIC LETTER FEH ف
ARABIC_LETTER_KAF = "\u0643"  # ARABIC LETTER KAF ك
ARABIC_LETTER_LAM = "\u0644"  # ARABIC LETTER LAM ل
ARABIC_LETTER_HEH = "\u0647"  # ARABIC LETTER HEH ه
ARABIC_LETTER_WAW = "\u0648"  # ARABIC LETTER WAW و
ARABIC_LETTER_ALEF_MAKSURA = "\u0649"  # ARABIC LETTER ALEF MAKSURA ى
ARABIC_LETTER_YEH = "\u064a"  # ARABIC LETTER YEH ي

# ---------------------------------------------------------------------------------------
# digits and their tables (used by helpers.cleaning, helpers.tokens and helpers.charts)
# ---------------------------------------------------------------------------------------

ASCII_DIGITS = "0123456789"
#: Arabic-Indic digits, zero to nine (their index is their value).
ARABIC_INDIC_DIGITS = (
    "\u0660"  # ARABIC-INDIC DIGIT ZERO ٠
    "\u0661"  # ARABIC-INDIC DIGIT ONE ١
    "\u0662"  # ARABIC-INDIC DIGIT TWO ٢
    "\u0663"  # ARABIC-INDIC DIGIT THREE ٣
    "\u0664"  # ARABIC-INDIC DIGIT FOUR ٤
    "\u0665"  # ARABIC-INDIC DIGIT FIVE ٥
    "\u0666"  # ARABIC-INDIC DIGIT SIX ٦
    "\u0667"  # ARABIC-INDIC DIGIT SEVEN ٧
    "\u0668"  # ARABIC-INDIC DIGIT EIGHT ٨
    "\u0669"  # ARABIC-INDIC DIGIT NINE ٩
)
#: Extended Arabic-Indic (Persian/Urdu) digits, zero to nine.
PERSIAN_DIGITS = (
    "\u06f0"  # EXTENDED ARABIC-INDIC DIGIT ZERO
    "\u06f1"  # EXTENDED ARABIC-INDIC DIGIT ONE
    "\u06f2"  # EXTENDED ARABIC-INDIC DIGIT TWO
    "\u06f3"  # EXTENDED ARABIC-INDIC DIGIT THREE
    "\u06f4"  # EXTENDED ARABIC-INDIC DIGIT FOUR
    "\u06f5"  # EXTENDED ARABIC-INDIC DIGIT FIVE
    "\u06f6"  # EXTENDED ARABIC-INDIC DIGIT SIX
    "\u06f7"  # EXTENDED ARABIC-INDIC DIGIT SEVEN
    "\u06f8"  # EXTENDED ARABIC-INDIC DIGIT EIGHT
    "\u06f9"  # EXTENDED ARABIC-INDIC DIGIT NINE
)
ARABIC_PERCENT_SIGN = "\u066a"  # ARABIC PERCENT SIGN ٪
ARABIC_DECIMAL_SEPARATOR = "\u066b"  # ARABIC DECIMAL SEPARATOR ٫
ARABIC_THOUSANDS_SEPARATOR = "\u066c"  # ARABIC THOUSANDS SEPARATOR ٬

#: Arabic-Indic and Persian digits -> ASCII digits (the ``digits`` step of cleaning).
TO_ASCII_DIGITS = dict(zip(ARABIC_INDIC_DIGITS + PERSIAN_DIGITS, ASCII_DIGITS * 2))
#: ASCII digits -> Arabic-Indic digits (``cleaning.to_arabic_indic_digits``).
TO_ARABIC_INDIC_DIGITS = dict(zip(ASCII_DIGITS, ARABIC_INDIC_DIGITS))
#: The same with the decimal and thousands separators and the percent sign, as a
#: ``str.translate`` table for tick labels (``charts.arabic_digits``).
TO_ARABIC_INDIC_NUMERALS = str.maketrans(
    {
        **TO_ARABIC_INDIC_DIGITS,
        ".": ARABIC_DECIMAL_SEPARATOR,
        ",": ARABIC_THOUSANDS_SEPARATOR,
        "%": ARABIC_PERCENT_SIGN,
    }
)

#: A complete character reference without its ``&`` and ``;``: named (``amp``), decimal
#: (``#1575``) or hexadecimal (``#x627``). Used by ``RE_ENTITY`` (reading) and
#: ``RE_HTML_ENTITY`` (cleaning).
CHARACTER_REFERENCE = "#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31}"

# ---------------------------------------------------------------------------------------
# reading: corpus loading (used by helpers.corpus)
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

#: C0 control bytes that never occur in text: everything below 0x20 except
#: TAB 0x09, LF 0x0A, VT 0x0B, FF 0x0C, CR 0x0D and ESC 0x1B (ANSI colours), plus DEL 0x7F.
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
RE_ENTITY = re.compile(f"&(?:{CHARACTER_REFERENCE});")

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
#: Any character outside ASCII (to judge whether bad UTF-8 is a few stray bytes).
RE_NON_ASCII = re.compile(r"[^\x00-\x7f]")
#: The same control bytes as a ``bytes`` object, for fast counting with ``bytes.translate``.
CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
#: A Windows drive letter opening an archive member name (``C:`` ...): an absolute path.
RE_DRIVE = re.compile(r"^[A-Za-z]:")
#: Characters that XML 1.0 forbids (C0 controls other than TAB, LF, CR).
RE_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: An RFC 2822 date as news feeds write it: ``Mon, 26 Feb 2018 02:20:10 GMT``,
#: ``Sun, 15 Jul 2018 21:56:56 +0400`` (day name optional, seconds optional).
RE_RFC2822 = re.compile(
    r"^(?:[A-Za-z]{3},?\s+)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})"
    r"(?::(\d{2}))?\s*(GMT|UTC|UT|Z|[+-]\d{4})$"
)
#: Runs of spaces, dots and dashes in a field name (``Head-Line`` -> ``head_line``).
RE_FIELD_SEPARATORS = re.compile(r"[\s.\-]+")
#: The line number in an expat error message (shifted for documents deep in a file).
RE_AT_LINE = re.compile(r"at line (\d+)")
#: Characters not kept in cache file names.
RE_UNSAFE_FILENAME_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
#: Signatures of binary files, for a helpful skip reason: (leading bytes, what it is).
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ", "xz data"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"Rar!", "RAR archive"),
    (b"SQLite format 3", "SQLite database"),
    (b"PAR1", "Parquet file"),
    (b"\xd0\xcf\x11\xe0", "Office document"),
    (b"\x7fELF", "executable"),
)

# ---------------------------------------------------------------------------------------
# rtl: text for renderers (used by helpers.rtl; its probe letters are named above)
# ---------------------------------------------------------------------------------------

FIRST_STRONG_ISOLATE = "\u2068"  # FSI: the isolate's direction comes from its first strong letter
POP_DIRECTIONAL_ISOLATE = "\u2069"  # PDI: closes the FSI

# ---------------------------------------------------------------------------------------
# display: HTML for notebooks (used by helpers.display, helpers.overview and
# helpers.concordance)
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


def _strong_rtl_ranges() -> str:
    """A character class of every code point whose bidi class is R or AL (Hebrew, Arabic,
    Syriac, Thaana, N'Ko, ... letters; not Arabic-Indic digits, which are AN)."""
    spans, start, prev = [], None, None
    for cp in range(0x0590, 0x1F000):
        if unicodedata.bidirectional(chr(cp)) in ("R", "AL"):
            if start is None:
                start = cp
            elif cp != prev + 1:
                spans.append((start, prev))
                start = cp
            prev = cp
    if start is not None:
        spans.append((start, prev))
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in spans)


#: One strong right-to-left letter (bidi class R or AL): what makes a text right to left.
RE_RTL_LETTER = re.compile(f"[{_strong_rtl_ranges()}]")


def has_rtl(text: object) -> bool:
    """Whether ``text`` holds a strong right-to-left letter (bidi class R or AL).

    The one test of direction for tables, sentences and chart labels: Arabic-Indic digits
    and the Arabic percent sign alone are not right to left (their bidi class is AN/ET).

    Args:
        text: any value; non-strings give False.

    Returns:
        bool.

    >>> has_rtl("CNN عربي"), has_rtl("UN (الأمم)"), has_rtl("٢٠٢٤"), has_rtl("CNN"), has_rtl(3)
    (True, True, False, False, False)
    """
    return isinstance(text, str) and RE_RTL_LETTER.search(text) is not None


#: A run of right-to-left script characters (isolated with <bdi> inside English prose).
RE_RTL_RUN = re.compile(f"[{RTL_SCRIPT_RANGES}]+")
#: Characters never shown as they are in a table cell, a sentence or a terminal line: they
#: reorder, hide or overwrite the text around them (an RLO in a file name makes
#: ``abc\u202eexe.txt`` read ``abctxt.exe``). Shown as visible ``U+XXXX`` tags in HTML and
#: ``\uXXXX`` escapes in plain text. Bidi marks (LRM, RLM, ALM) and joiners stay: they
#: belong to Arabic text and reorder nothing outside an isolated value.
SHOWN_CONTROLS = (
    "\u0000-\u0008"  # C0 controls NUL .. BACKSPACE (TAB and LINE FEED kept)
    "\u000b-\u001f"  # C0 controls LINE TABULATION .. UNIT SEPARATOR (ESC among them)
    "\u007f-\u009f"  # DELETE and the C1 controls
    "\u202a-\u202e"  # LRE, RLE, PDF, LRO, RLO (embeddings and overrides)
    "\u2066-\u2069"  # LRI, RLI, FSI, PDI (isolates)
    "\u2028-\u2029"  # LINE SEPARATOR, PARAGRAPH SEPARATOR
)
RE_SHOWN_CONTROL = re.compile(f"[{SHOWN_CONTROLS}]")
#: A run of characters that are not whitespace in Python's sense (``str.isspace``: ASCII
#: controls 0x09-0x0D and 0x1C-0x1F, space, U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028,
#: U+2029, U+202F, U+205F, U+3000), as an RE2 pattern for Arrow (``\S`` in RE2 is
#: ASCII-only): overview's word counts.
RE2_WORD_RUN = ("[^\\t-\\r\\x{1c}-\\x{20}\\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}"
                "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}]+")

# ---------------------------------------------------------------------------------------
# cleaning: the normalising steps (used by helpers.cleaning)
# ---------------------------------------------------------------------------------------
# Patterns named ``*_PATTERN`` are plain strings written so that Python's ``re`` and RE2 (the
# engine behind ``pyarrow.compute``, used on whole columns) read them the same way: only
# explicit character classes, no ``\s``, ``\w``, ``\d``, ``\b``, anchors or look-arounds.
# The token patterns below follow the same rule.

#: Diacritics removed by the ``diacritics`` step: exactly camel_tools' ``AR_DIAC_CHARSET``
#: (``camel_tools.utils.charsets``), which is also U+064B-U+0652 plus U+0670.
DIACRITICS = (
    "\u064b"  # ARABIC FATHATAN
    "\u064c"  # ARABIC DAMMATAN
    "\u064d"  # ARABIC KASRATAN
    "\u064e"  # ARABIC FATHA
    "\u064f"  # ARABIC DAMMA
    "\u0650"  # ARABIC KASRA
    "\u0651"  # ARABIC SHADDA
    "\u0652"  # ARABIC SUKUN
    "\u0670"  # ARABIC LETTER SUPERSCRIPT ALEF (dagger alef)
)
#: Alef variants folded to bare alef: camel_tools' ``_ALEF_NORMALIZE_AR_RE`` set.
ALEF_VARIANTS = (
    "\u0622"  # ARABIC LETTER ALEF WITH MADDA ABOVE
    "\u0623"  # ARABIC LETTER ALEF WITH HAMZA ABOVE
    "\u0625"  # ARABIC LETTER ALEF WITH HAMZA BELOW
    "\u0671"  # ARABIC LETTER ALEF WASLA
)
#: Hamza carriers folded to the bare hamza by the optional ``hamza`` step.
HAMZA_CARRIERS = (
    "\u0624"  # ARABIC LETTER WAW WITH HAMZA ABOVE
    "\u0626"  # ARABIC LETTER YEH WITH HAMZA ABOVE
)
#: Arabic Presentation Forms-A and -B, (first, last) code points. NFKC restricted to these
#: blocks folds them back to base letters (the ``presentation_forms`` step).
PRESENTATION_FORMS_RANGES = (
    ("\ufb50", "\ufdff"),  # ARABIC PRESENTATION FORMS-A
    ("\ufe70", "\ufeff"),  # ARABIC PRESENTATION FORMS-B (U+FEFF is the BOM, not a form)
)
#: Where the fold differs from NFKC (as camel_tools' ``normalize_unicode`` does).
PRESENTATION_FORMS_OVERRIDES = {
    "\ufdfc": "\u0631\u064a\u0627\u0644",  # RIAL SIGN -> ريال (NFKC spells it with FARSI YEH)
    # ARABIC LIGATURE BISMILLAH AR-RAHMAN AR-RAHEEM (no NFKC mapping) -> بسم الله الرحمن الرحيم
    "\ufdfd": "\u0628\u0633\u0645 \u0627\u0644\u0644\u0647 \u0627\u0644\u0631\u062d\u0645\u0646"
    " \u0627\u0644\u0631\u062d\u064a\u0645",
}
#: Invisible characters that reorder or split text (removed by ``bidi_controls``).
BIDI_CONTROLS = (
    "\u200e"  # LEFT-TO-RIGHT MARK (LRM)
    "\u200f"  # RIGHT-TO-LEFT MARK (RLM)
    "\u061c"  # ARABIC LETTER MARK (ALM)
    "\u202a"  # LEFT-TO-RIGHT EMBEDDING (LRE)
    "\u202b"  # RIGHT-TO-LEFT EMBEDDING (RLE)
    "\u202c"  # POP DIRECTIONAL FORMATTING (PDF)
    "\u202d"  # LEFT-TO-RIGHT OVERRIDE (LRO)
    "\u202e"  # RIGHT-TO-LEFT OVERRIDE (RLO)
    "\u2066"  # LEFT-TO-RIGHT ISOLATE (LRI)
    "\u2067"  # RIGHT-TO-LEFT ISOLATE (RLI)
    "\u2068"  # FIRST STRONG ISOLATE (FSI)
    "\u2069"  # POP DIRECTIONAL ISOLATE (PDI)
    "\u200b"  # ZERO WIDTH SPACE (ZWSP)
    "\u2060"  # WORD JOINER (WJ)
    "\ufeff"  # ZERO WIDTH NO-BREAK SPACE / BYTE ORDER MARK (BOM)
    "\u00ad"  # SOFT HYPHEN (invisible, splits words for search)
)
#: Joiners: orthographic in Persian/Urdu (and emoji sequences), stray in Arabic news.
JOINERS = (
    "\u200c"  # ZERO WIDTH NON-JOINER (ZWNJ)
    "\u200d"  # ZERO WIDTH JOINER (ZWJ)
)
#: Horizontal spaces turned into one ASCII space by ``whitespace``.
SPACES = (
    "\t"  # CHARACTER TABULATION
    "\u000b"  # LINE TABULATION (vertical tab)
    "\u000c"  # FORM FEED
    "\u00a0"  # NO-BREAK SPACE
    "\u1680"  # OGHAM SPACE MARK
    "\u2000"  # EN QUAD
    "\u2001"  # EM QUAD
    "\u2002"  # EN SPACE
    "\u2003"  # EM SPACE
    "\u2004"  # THREE-PER-EM SPACE
    "\u2005"  # FOUR-PER-EM SPACE
    "\u2006"  # SIX-PER-EM SPACE
    "\u2007"  # FIGURE SPACE
    "\u2008"  # PUNCTUATION SPACE
    "\u2009"  # THIN SPACE
    "\u200a"  # HAIR SPACE
    "\u202f"  # NARROW NO-BREAK SPACE
    "\u205f"  # MEDIUM MATHEMATICAL SPACE
    "\u3000"  # IDEOGRAPHIC SPACE
)
#: Line breaks other than LF turned into LF by ``whitespace`` (CR LF and CR first).
LINE_BREAKS = (
    "\u0085"  # NEXT LINE (NEL)
    "\u2028"  # LINE SEPARATOR
    "\u2029"  # PARAGRAPH SEPARATOR
)
CARRIAGE_RETURN_PATTERN = "\r\n?"
#: One pass over every run of spaces and line breaks, replaced by ``WHITESPACE_RUN_REPL``:
#: a run holding two or more line breaks -> ``\n\n`` (a paragraph break), one line break
#: -> ``\n`` (spaces around it dropped), two or more spaces -> one space. Unmatched groups
#: are empty in both ``re`` and RE2.
WHITESPACE_RUN_PATTERN = " *(\n) *(?:(\n)[ \n]*)?|( ) +"
WHITESPACE_RUN_REPL = "\\1\\2\\3"
#: The same for ``str`` in passes that start with a literal (fast in ``re``, which would
#: also expand the group references in Python, per match): (pattern, replacement, regex?).
#: Runs of spaces -> one; then no space is left next to a line break; then 3+ breaks -> 2.
WHITESPACE_RUN_STEPS = (
    ("  +", " ", True),
    (" \n", "\n", False),
    ("\n ", "\n", False),
    ("\n\n\n+", "\n\n", True),
)
#: Any whitespace run (``whitespace(keep_newlines=False)``).
ANY_SPACE_RUN_PATTERN = "[ \n]+"
#: Arabic punctuation and its ASCII form (``punctuation`` step).
ARABIC_PUNCTUATION = {
    "\u060c": ",",  # ARABIC COMMA
    "\u061b": ";",  # ARABIC SEMICOLON
    "\u061f": "?",  # ARABIC QUESTION MARK
}
#: Everything whitespace-like (a URL or an e-mail address ends there).
_ALL_SPACES = " \n\r" + SPACES + LINE_BREAKS
#: An HTML/XML tag or comment: ``<`` then a letter, ``/``, ``!`` or ``?``; ``a < b`` is text.
HTML_TAG_PATTERN = "<[A-Za-z/!?][^<>]*>"
#: Block-level tags that stand for a line break when removed.
HTML_BLOCK_TAG_PATTERN = (
    "<(?:br|BR|Br|/?p|/?P|/?div|/?DIV|/?li|/?LI|/?h[1-6]|/?H[1-6]|/?tr|/?TR)(?:[ /][^<>]*)?>"
)
#: A character reference: ``&amp;``, ``&#1575;``, ``&#x627;`` (also before an Arabic
#: semicolon, which ``punctuation`` would turn into ``;``).
RE_HTML_ENTITY = re.compile(f"&(?:{CHARACTER_REFERENCE})[;\u061b]?")
#: e-mail address (ASCII local part and domain).
EMAIL_PATTERN = "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+"
#: URL with a scheme or starting ``www.``; a trailing punctuation mark is not part of it.
URL_PATTERN = (
    "(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ff][Tt][Pp]://|[Ww][Ww][Ww]\\.)"
    f"[^{_ALL_SPACES}<>\"]*[^{_ALL_SPACES}<>\".,;:!?'\u060c\u061b\u061f\u00bb)\\]}}]"
)

# ---------------------------------------------------------------------------------------
# tokens: words and sentences (used by helpers.tokens)
# ---------------------------------------------------------------------------------------

#: Arabic letters for tokens: Arabic, Arabic Supplement and Extended-A letters.
TOKEN_ARABIC_LETTERS = (
    "\u0621-\u063f"  # ARABIC LETTER HAMZA .. FARSI YEH WITH THREE DOTS ABOVE (no tatweel)
    "\u0641-\u064a"  # ARABIC LETTER FEH .. ARABIC LETTER YEH
    "\u066e-\u066f"  # ARABIC LETTER DOTLESS BEH, DOTLESS QAF
    "\u0671-\u06d3"  # ARABIC LETTER ALEF WASLA .. YEH BARREE WITH HAMZA ABOVE
    "\u06d5"  # ARABIC LETTER AE
    "\u06ee-\u06ef"  # ARABIC LETTER DAL/REH WITH INVERTED V
    "\u06fa-\u06fc"  # ARABIC LETTER SHEEN/DAD/GHAIN WITH DOT BELOW
    "\u06ff"  # ARABIC LETTER HEH WITH INVERTED V
    "\u0750-\u077f"  # ARABIC SUPPLEMENT letters
    "\u08a0-\u08c9"  # ARABIC EXTENDED-A letters
)
#: Marks and joiners allowed inside an Arabic token (raw text keeps words whole).
TOKEN_ARABIC_MARKS = (
    "\u0610-\u061a"  # ARABIC SIGN SALLALLAHOU ALAYHE WASSALLAM .. ARABIC SMALL KASRA
    "\u0640"  # ARABIC TATWEEL
    "\u064b-\u065f"  # ARABIC FATHATAN .. ARABIC WAVY HAMZA BELOW
    "\u0670"  # ARABIC LETTER SUPERSCRIPT ALEF
    "\u06d6-\u06dc"  # ARABIC SMALL HIGH LIGATURE SAD .. SMALL HIGH SEEN
    "\u06df-\u06e8"  # ARABIC SMALL HIGH ROUNDED ZERO .. SMALL HIGH NOON
    "\u06ea-\u06ed"  # ARABIC EMPTY CENTRE LOW STOP .. SMALL LOW MEEM
    "\u08ca-\u08ff"  # ARABIC EXTENDED-A marks
    "\u200c"  # ZERO WIDTH NON-JOINER (Persian orthography)
    "\u200d"  # ZERO WIDTH JOINER
)
#: Digits in tokens, as class ranges: ASCII, Arabic-Indic, Extended Arabic-Indic.
TOKEN_DIGITS = (
    f"{ASCII_DIGITS[0]}-{ASCII_DIGITS[-1]}"
    f"{ARABIC_INDIC_DIGITS[0]}-{ARABIC_INDIC_DIGITS[-1]}"
    f"{PERSIAN_DIGITS[0]}-{PERSIAN_DIGITS[-1]}"
)
TOKEN_LATIN_LETTERS = (
    "A-Za-z"  # LATIN CAPITAL/SMALL LETTER A .. Z
    "\u00c0-\u00d6"  # LATIN CAPITAL LETTER A WITH GRAVE .. O WITH DIAERESIS
    "\u00d8-\u00f6"  # LATIN CAPITAL LETTER O WITH STROKE .. SMALL O WITH DIAERESIS
    "\u00f8-\u024f"  # LATIN SMALL LETTER O WITH STROKE .. LATIN EXTENDED-B
)
#: Separators inside a number: 3.5, 1,000, ٣٫٥, ١٬٠٠٠.
TOKEN_NUMBER_SEPARATORS = ".," + ARABIC_DECIMAL_SEPARATOR + ARABIC_THOUSANDS_SEPARATOR
_AR = f"[{TOKEN_ARABIC_LETTERS}]"
_ARW = f"[{TOKEN_ARABIC_LETTERS}{TOKEN_ARABIC_MARKS}{TOKEN_DIGITS}]*"
_LAT = f"[{TOKEN_LATIN_LETTERS}]"
#: combining diacritical marks inside a Latin word (also what "İ".lower() leaves: i + U+0307)
TOKEN_LATIN_MARKS = "\u0300-\u036f"  # COMBINING GRAVE ACCENT .. COMBINING LATIN SMALL LETTER X
_LATW = f"[{TOKEN_LATIN_LETTERS}{TOKEN_LATIN_MARKS}{TOKEN_DIGITS}]*"
_DIG = f"[{TOKEN_DIGITS}]+"
#: The kinds of token, tried in this order at each position (the most frequent first):
#: (name, kind, pattern). Arabic words keep their marks and attached digits (كوفيد19,
#: 2020م); Latin words their digits (G20, 4g); numbers their separators (3.5, 1,000).
TOKEN_PATTERNS = (
    ("arabic", "arabic", f"{_AR}{_ARW}"),
    ("latin", "latin", f"{_LAT}{_LATW}"),
    ("digits_arabic", "arabic", f"{_DIG}{_AR}{_ARW}"),
    ("digits_latin", "latin", f"{_DIG}{_LAT}{_LATW}"),
    ("number", "number", f"{_DIG}(?:[{TOKEN_NUMBER_SEPARATORS}]{_DIG})*"),
)

#: Sentence ends: . ! ? and the Arabic question mark and semicolons (plus line breaks).
SENTENCE_TERMINATORS = (
    ".!?;"  # FULL STOP, EXCLAMATION MARK, QUESTION MARK, SEMICOLON
    "\u061f"  # ARABIC QUESTION MARK
    "\u061b"  # ARABIC SEMICOLON
    "\u06d4"  # ARABIC FULL STOP
)
_ALNUM = f"A-Za-z{TOKEN_DIGITS}"
#: One sentence: text up to a run of terminators or a line break; a dot between Latin
#: letters or digits (3.5, U.S, x.com) does not end a sentence.
RE_SENTENCE = re.compile(
    f"(?:[^{SENTENCE_TERMINATORS}\n\r\u2028\u2029]|(?<=[{_ALNUM}])\\.(?=[{_ALNUM}]))+"
    f"[{SENTENCE_TERMINATORS}]*"
)

# ---------------------------------------------------------------------------------------
# clitics: what may be written joined to a word (used by helpers.tokens and
# helpers.concordance)
# ---------------------------------------------------------------------------------------

#: The definite article ال 'the'.
DEFINITE_ARTICLE = ARABIC_LETTER_ALEF + ARABIC_LETTER_LAM
#: The article after the preposition ل: ل + ال is written لل 'for the'.
LAM_ARTICLE = ARABIC_LETTER_LAM + ARABIC_LETTER_LAM
#: Conjunctions written joined to the next word: و 'and', ف 'so'.
PROCLITIC_CONJUNCTIONS = ARABIC_LETTER_WAW + ARABIC_LETTER_FEH
#: Prepositions written joined to the next word: ب 'in, with', ك 'like', ل 'for, to'.
PROCLITIC_PREPOSITIONS = ARABIC_LETTER_BEH + ARABIC_LETTER_KAF + ARABIC_LETTER_LAM
#: Attached pronouns (not ي, which would also match nisba adjectives: مصر -> مصري).
ENCLITICS = (
    "\u0647",  # HEH ه 'his'
    "\u0647\u0627",  # HEH ALEF ها 'her'
    "\u0647\u0645",  # HEH MEEM هم 'their'
    "\u0647\u0645\u0627",  # HEH MEEM ALEF هما 'their (two)'
    "\u0647\u0646",  # HEH NOON هن 'their (f.)'
    "\u0643",  # KAF ك 'your'
    "\u0643\u0645",  # KAF MEEM كم 'your (pl.)'
    "\u0643\u0645\u0627",  # KAF MEEM ALEF كما 'your (two)'
    "\u0643\u0646",  # KAF NOON كن 'your (f. pl.)'
    "\u0646\u0627",  # NOON ALEF نا 'our'
)

#: Proclitics stripped by ``tokens.strip_clitics``, tried in this order (longest first): the
#: definite article with its conjunction/preposition combinations, then a bare conjunction.
CLITIC_PREFIXES = (
    ARABIC_LETTER_WAW + ARABIC_LETTER_BEH + DEFINITE_ARTICLE,  # وبال 'and with the'
    ARABIC_LETTER_WAW + ARABIC_LETTER_KAF + DEFINITE_ARTICLE,  # وكال 'and like the'
    ARABIC_LETTER_FEH + ARABIC_LETTER_BEH + DEFINITE_ARTICLE,  # فبال 'so with the'
    ARABIC_LETTER_WAW + DEFINITE_ARTICLE,  # وال 'and the'
    ARABIC_LETTER_FEH + DEFINITE_ARTICLE,  # فال 'so the'
    ARABIC_LETTER_BEH + DEFINITE_ARTICLE,  # بال 'with the'
    ARABIC_LETTER_KAF + DEFINITE_ARTICLE,  # كال 'like the'
    ARABIC_LETTER_WAW + LAM_ARTICLE,  # ولل 'and for the'
    ARABIC_LETTER_FEH + LAM_ARTICLE,  # فلل 'so for the'
    LAM_ARTICLE,  # لل 'for the'
    DEFINITE_ARTICLE,  # ال 'the'
    ARABIC_LETTER_WAW,  # و 'and'
    ARABIC_LETTER_FEH,  # ف 'so'
)
#: light10 (Larkey, Ballesteros & Connell 2007): prefixes removed after a leading و, tried
#: longest first (``tokens.light_stem``).
LIGHT10_PREFIXES = (
    ARABIC_LETTER_WAW + DEFINITE_ARTICLE,  # وال
    ARABIC_LETTER_BEH + DEFINITE_ARTICLE,  # بال
    ARABIC_LETTER_KAF + DEFINITE_ARTICLE,  # كال
    ARABIC_LETTER_FEH + DEFINITE_ARTICLE,  # فال
    DEFINITE_ARTICLE,  # ال
    LAM_ARTICLE,  # لل
)
#: light10 suffixes, removed in this order (each at most once); the ة forms also appear as
#: ه, which is what the ``teh_marbuta`` step leaves.
LIGHT10_SUFFIXES = (
    "\u0647\u0627",  # HEH ALEF ها
    "\u0627\u0646",  # ALEF NOON ان
    "\u0627\u062a",  # ALEF TEH ات
    "\u0648\u0646",  # WAW NOON ون
    "\u064a\u0646",  # YEH NOON ين
    "\u064a\u0647",  # YEH HEH يه
    "\u064a\u0629",  # YEH TEH MARBUTA ية
    "\u0647",  # HEH ه
    "\u0629",  # TEH MARBUTA ة
    "\u064a",  # YEH ي
)

# ---------------------------------------------------------------------------------------
# concordance: the characters searched (used by helpers.concordance)
# ---------------------------------------------------------------------------------------

#: ranges of characters normalised once to build the search classes of ``kwic``
KWIC_CANDIDATE_RANGES = (
    ("\u0600", "\u06FF"),  # Arabic
    ("\u0750", "\u077F"),  # Arabic Supplement
    ("\u08A0", "\u08FF"),  # Arabic Extended-A
    *PRESENTATION_FORMS_RANGES,  # Arabic Presentation Forms-A and -B
    ("\u0030", "\u0039"),  # DIGIT ZERO..NINE
    ("\u0041", "\u005A"),  # LATIN CAPITAL LETTER A..Z
    ("\u0061", "\u007A"),  # LATIN SMALL LETTER A..Z
    ("\u200B", "\u200F"),  # ZERO WIDTH SPACE, ZWNJ, ZWJ, LRM, RLM
    ("\u202A", "\u202E"),  # LRE, RLE, PDF, LRO, RLO
    ("\u2066", "\u2069"),  # LRI, RLI, FSI, PDI
)
