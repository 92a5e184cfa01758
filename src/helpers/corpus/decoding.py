"""Bytes to text: byte-order marks, UTF-8, 8-bit code pages (Arabic and Latin), files mixing
UTF-8 with a code page, and binary files.

The rule is documented in ``docs/corpus-formats.md`` (Encodings). In short: a BOM, else
strict UTF-8 (the fast path), else the bytes are cut into words at ASCII white space; the
words holding bytes that are not UTF-8 are read in the 8-bit code page (``cp1256``,
``iso-8859-6`` or ``cp1252``) under which they read best as words, scored by an Arabic
letter-bigram model (``arabic_bigrams.json``) and by rules for Latin words. A file whose
other words are UTF-8 is read by runs (``utf-8+cp1256``) if those words are plausible
text, and as UTF-8 with the bad bytes replaced if they are stray garbage. Every doubt
becomes a note (``encoding_guess``), every run decoding a note (``mixed_encoding``).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from itertools import islice
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .. import resources as R

_MAGIC = R.BINARY_SIGNATURES
_MAGIC_PREFIXES = tuple(magic for magic, _ in _MAGIC)

# warning kinds (notes) produced here; only "replaced_bytes" is an error with strict=True
REPLACED_BYTES = "replaced_bytes"
ENCODING_GUESS = "encoding_guess"
MIXED_ENCODING = "mixed_encoding"

#: The 8-bit code pages tried, in order of preference for Arabic text (ties go to the
#: first); for Latin-script text ``cp1252`` goes first. ``latin-1`` replaces ``cp1252``
#: when the bytes 0x81, 0x8D, 0x8F, 0x90 or 0x9D (undefined in Windows-1252) occur.
ARABIC_CODEPAGES = ("cp1256", "iso-8859-6")
LATIN_CODEPAGE, LATIN_FALLBACK = "cp1252", "latin-1"

# ---------------------------------------------------------------------------------------
# the Arabic letter-bigram model
# ---------------------------------------------------------------------------------------

#: Symbols of the model, one per character: the letters, tatweel and the harakat.
MODEL_SYMBOLS = "".join(map(chr, [
    *range(0x0621, 0x063B),  # ARABIC LETTER HAMZA .. ARABIC LETTER GHAIN
    0x0640,                  # ARABIC TATWEEL
    *range(0x0641, 0x064B),  # ARABIC LETTER FEH .. ARABIC LETTER YEH
    *range(0x064B, 0x0653),  # ARABIC FATHATAN .. ARABIC SUKUN
]))
OTHER = len(MODEL_SYMBOLS)          # any other Arabic letter or mark (e.g. PEH, GAF)
BOUNDARY = OTHER + 1                # start or end of a word
MODEL_SIZE = BOUNDARY + 1
#: A word for the model: Arabic letters and marks (not punctuation, digits or symbols).
ARABIC_WORD_CHARS = (
    "\u0621-\u065f"  # ARABIC LETTER HAMZA .. ARABIC WAVY HAMZA BELOW
    "\u0670-\u06d3"  # ARABIC LETTER SUPERSCRIPT ALEF .. ARABIC LETTER YEH BARREE WITH HAMZA
    "\u06d5"         # ARABIC LETTER AE
    "\ufb50-\ufdfb"  # ARABIC PRESENTATION FORMS-A (letters and ligatures)
    "\ufe70-\ufefc"  # ARABIC PRESENTATION FORMS-B
)
RE_ARABIC_WORD = re.compile(f"[{ARABIC_WORD_CHARS}]+")
BIGRAMS_FILE = Path(__file__).resolve().parents[1] / "arabic_bigrams.json"
# characters -> model symbols, as the characters chr(0) .. chr(OTHER) (str.translate)
_CODES = {c: chr(OTHER) for lo, hi in ((0x0621, 0x065F), (0x0670, 0x06D3), (0x06D5, 0x06D5),
                                       (0xFB50, 0xFDFB), (0xFE70, 0xFEFC))
          for c in range(lo, hi + 1)}
_CODES.update({ord(c): chr(i) for i, c in enumerate(MODEL_SYMBOLS)})


def _symbols(word: str) -> str:
    """The word as model symbols framed by BOUNDARY (one character per symbol)."""
    codes = word.translate(_CODES)
    if codes and max(codes) >= chr(OTHER):   # characters outside the model: "other"
        codes = "".join(min(chr(OTHER), c) for c in codes)
    return chr(BOUNDARY) + codes + chr(BOUNDARY)


def model_codes(words: list[str]) -> np.ndarray:
    """The words as one array of model symbols, each word framed by BOUNDARY."""
    joined = chr(BOUNDARY).join(_symbols(w)[:-1] for w in words) + chr(BOUNDARY)
    return np.frombuffer(joined.encode("ascii"), dtype=np.uint8)


class _Model(NamedTuple):
    pairs: dict[str, float]     # two symbols -> log P(next | previous)
    words: dict[str, float]     # frequent word -> its share of all words
    rest: float                 # log of the share of all other words


@cache
def _model() -> _Model:
    """The model of ``arabic_bigrams.json`` (add-half smoothing of the pair counts)."""
    data = json.loads(BIGRAMS_FILE.read_text(encoding="utf-8"))
    counts = np.array(data["counts"], dtype=float) + 0.5
    logp = np.log(counts / counts.sum(axis=1, keepdims=True))
    pairs = {chr(i) + chr(j): float(logp[i, j])
             for i in range(MODEL_SIZE) for j in range(MODEL_SIZE)}
    words = {w: n / data["tokens"] for w, n in data["words"].items()}
    return _Model(pairs, words, math.log(1 - sum(words.values())))


def arabic_word_score(word: str) -> float:
    """Log-likelihood ratio of an Arabic word (letters and harakat) under the model against
    random letters: positive for real words (more for frequent ones), negative for mojibake.

    The model gives a word its share among the frequent words of ANT, or else the
    probability of its letter sequence under the bigram model times the share of the
    other words; random letters give each of the word's symbols and its end 1/MODEL_SIZE.

    >>> arabic_word_score("الوزير") > 0 > arabic_word_score("افنزٍر")
    True
    """
    model = _model()
    codes = _symbols(word)
    letters = sum(map(model.pairs.__getitem__, map(str.__add__, codes[:-1], codes[1:]))) \
        + model.rest
    share = model.words.get(word)
    logp = math.log(share + math.exp(letters)) if share else letters
    return logp + (len(codes) - 1) * math.log(MODEL_SIZE)


# ---------------------------------------------------------------------------------------
# scoring a candidate decoding
# ---------------------------------------------------------------------------------------

#: Scores (log-likelihood scale, comparable with ``arabic_word_score``) of what a code
#: page can turn a byte into, per non-ASCII character.
LATIN_BONUS = 2.0      # an accented letter inside a plausible Latin word (é in "été")
LATIN_PENALTY = -3.0   # an accented letter in an implausible one ("ÇáÚÑÈíÉ")
MIXED_PENALTY = -5.0   # a word mixing Arabic and Latin letters ("انèزêر")
SYMBOL_PENALTY = -8.0  # a symbol or non-ASCII punctuation inside a word ("ا×ل", "ط§ظ„");
                       # a symbol next to a digit is fine (25°)
CONTROL_PENALTY = -8.0  # a C1 control character: never in text

#: Character classes for the word rules: Arabic (a), ASCII letter lower/upper (l/L),
#: other Latin letter lower/upper (e/E: U+00C0-U+017F, the letters of the Latin code
#: pages), digit (d), punctuation (p), format (f), control (c), anything else: symbol
#: (x), including letters of other alphabets (IPA "ɡ" is the Windows-1256 bytes of "ة،"
#: read as UTF-8).
_RE_MIXED = re.compile(r"a[lLeE]|[lLeE]a")
_RE_LATIN_RUN = re.compile(r"[lLeE]+")
_RE_EDGE_SYMBOL_OK = re.compile(r"dx|xd")
_APOSTROPHES = "\u2018\u2019"  # LEFT/RIGHT SINGLE QUOTATION MARK (l’été, cartel’s)


@cache
def _char_class(c: str) -> str:
    if c.isascii():
        if c.isalpha():
            return "L" if c.isupper() else "l"
        return "d" if c.isdigit() else "p"
    cat = unicodedata.category(c)
    if RE_ARABIC_WORD.match(c):
        return "a"
    if cat[0] == "L" and "\u00c0" <= c <= "\u017f":   # Latin-1 and Latin Extended-A
        return "E" if cat == "Lu" else "e"
    if cat == "Nd":
        return "d"
    if cat[0] == "P":
        return "p"
    if cat in ("Cf", "Zs"):
        return "f"
    if cat == "Cc" or c == "\ufffd":  # a control, or REPLACEMENT CHARACTER (bytes lost)
        return "c"
    return "x"


def _latin_run_score(run: str, classes: str) -> float:
    """Score of one run of Latin letters holding accented ones (see LATIN_BONUS)."""
    accented = classes.count("e") + classes.count("E")
    if not accented:
        return 0.0
    upper = classes.count("L") + classes.count("E")
    case_ok = (upper == 0 or upper == len(run)
               or (upper == 1 and classes[0] in "LE"))
    ascii_letters = len(run) - accented
    if ascii_letters == 0:
        plausible = len(run) == 1 and case_ok
    else:
        plausible = (case_ok and "eee" not in classes.lower()
                     and accented <= ascii_letters + 1)
    return accented * (LATIN_BONUS if plausible else LATIN_PENALTY)


@lru_cache(maxsize=1 << 16)
def token_score(token: str) -> tuple[float, int]:
    """Plausibility of one word as decoded, and the number of non-ASCII characters it was
    judged on (0: nothing to judge, e.g. ASCII words or bare punctuation).

    Punctuation around the word is ignored; Arabic letter runs score by the bigram model,
    Latin runs with accents by ``_latin_run_score``; words mixing the two scripts, symbols
    or punctuation inside words (other than apostrophes) and control characters are
    penalised.

    >>> token_score("«الوزير»")[0] > 0 > token_score("ا×ل")[0]
    True
    """
    classes = "".join(map(_char_class, token))
    # drop punctuation and format characters around the word
    start, end = 0, len(token)
    while start < end and classes[start] in "pf":
        start += 1
    while end > start and classes[end - 1] in "pf":
        end -= 1
    word, cls = token[start:end], classes[start:end]
    controls = classes.count("c")
    score = controls * CONTROL_PENALTY
    inner = 0                                      # non-ASCII punctuation inside
    if "p" in cls:
        inner = sum(1 for c, k in zip(word, cls)
                    if k == "p" and not c.isascii() and c not in _APOSTROPHES)
    judged = len(word) - sum(map(cls.count, "lLdpf")) + inner + controls - cls.count("c")
    if not judged:
        return score, 0
    if _RE_MIXED.search(cls):
        return score + MIXED_PENALTY * judged, judged
    symbols = cls.count("x")
    if symbols:
        score += SYMBOL_PENALTY * max(0, symbols - len(_RE_EDGE_SYMBOL_OK.findall(cls)))
    score += SYMBOL_PENALTY * inner
    for m in RE_ARABIC_WORD.finditer(word):
        score += arabic_word_score(m.group())
    if "e" in cls or "E" in cls:
        for m in _RE_LATIN_RUN.finditer(cls):
            score += _latin_run_score(word[m.start():m.end()], m.group())
    return score, judged


class Score(NamedTuple):
    """A candidate decoding's plausibility over a sample of words."""
    total: float            # sum of the words' scores (log-likelihood ratio)
    chars: int              # non-ASCII characters judged
    arabic: int             # Arabic letters (to label code pages giving the same text)

    @property
    def plausible(self) -> bool:
        """Reads as words: something was judged and the total is positive (real Arabic
        scores about +2 per character, Latin +2 per accented letter; mojibake and random
        bytes score -2 to -5 per character)."""
        return self.chars > 0 and self.total > 0


_RE_SPLIT = re.compile(r"[^\t\n\x0b\x0c\r ]+")


def score_text(text: str) -> Score:
    """Score every white-space separated word holding a non-ASCII character."""
    total, chars, arabic = 0.0, 0, 0
    for m in _RE_SPLIT.finditer(text):
        token = m.group()
        if token.isascii():
            continue
        s, n = token_score(token)
        total += s
        chars += n
        arabic += len(R.RE_ARABIC_LETTER.findall(token))
    return Score(total, chars, arabic)


# ---------------------------------------------------------------------------------------
# choosing a code page
# ---------------------------------------------------------------------------------------

#: A guess is in doubt when the runner-up (a code page giving a different text) reads as
#: words too and scores within this much of the winner (a log-likelihood ratio: e^6, about
#: 400 times less likely); on texts of 1-4 words every wrong choice measured had a margin
#: below 5 ...
DOUBT_MARGIN = 6.0
#: ... or when the text has fewer non-ASCII characters than VERY_SHORT and both Arabic
#: code pages read it (a word of two or three letters: ISO-8859-6 "كغ", an abbreviation,
#: is the frequent word "مع" in Windows-1256), or fewer than SHORT (a word or two) and
#: the other Arabic code page reads it as words too (ISO-8859-6 "كغ من" is "مع هو") ...
VERY_SHORT = 4
SHORT = 10
#: ... or when the winner does not read as words either (random bytes, mojibake).

#: At most this many bytes are scored (a long file is judged on a sample).
SAMPLE_BYTES = 16_384


class Guess(NamedTuple):
    """The code page chosen for some bytes, and why."""
    encoding: str
    scores: dict[str, Score]      # per candidate that decodes the bytes
    runner_up: str | None         # best candidate giving a different text
    doubt: str | None             # why the choice is uncertain, or None

    @property
    def plausible(self) -> bool:
        return self.scores[self.encoding].plausible

    def describe(self) -> str:
        """``cp1256 (+12.3) over iso-8859-6 (+8.1)`` for messages."""
        text = f"{self.encoding} ({self.scores[self.encoding].total:+.1f})"
        if self.runner_up:
            text += f" over {self.runner_up} ({self.scores[self.runner_up].total:+.1f})"
        return text


def guess_codepage(data: bytes) -> Guess:
    """Choose the 8-bit code page under which ``data`` reads best as words.

    Candidates: ``cp1256``, ``iso-8859-6`` (not when a byte 0x80-0x9F occurs: C1 controls
    never occur in text, nor when it leaves bytes undefined) and ``cp1252`` (``latin-1``
    when it leaves bytes undefined). Code pages giving the same text tie; the tie goes to
    ``cp1256`` for Arabic text and ``cp1252`` for Latin text.

    >>> guess_codepage("في القاهرة".encode("iso-8859-6")).encoding
    'iso-8859-6'
    """
    sample = data[:SAMPLE_BYTES]
    texts: dict[str, str] = {}
    for enc in (*ARABIC_CODEPAGES, LATIN_CODEPAGE):
        if enc == "iso-8859-6" and R.RE_C1_BYTES.search(data):
            continue
        try:
            data.decode(enc)
        except UnicodeDecodeError:
            if enc != LATIN_CODEPAGE:
                continue
            enc = LATIN_FALLBACK
        texts[enc] = sample.decode(enc, errors="replace")
    scores = {enc: score_text(text) for enc, text in texts.items()}
    top = max(scores, key=lambda e: scores[e].total)
    # code pages giving the winner's text: cp1256 first for Arabic text, cp1252 for Latin
    s = scores[top]
    latin = LATIN_CODEPAGE if LATIN_CODEPAGE in scores else LATIN_FALLBACK
    order = ([*ARABIC_CODEPAGES, latin] if s.arabic and s.arabic * 2 >= s.chars
             else [latin, *ARABIC_CODEPAGES])
    best = next(e for e in order if e in texts and texts[e] == texts[top])
    others = [e for e in scores if texts[e] != texts[best]]
    runner_up = max(others, key=lambda e: scores[e].total, default=None)
    doubt = None
    if s.chars and not s.plausible:
        doubt = "no code page reads it as words"
    elif runner_up and scores[runner_up].plausible \
            and scores[runner_up].total > s.total - DOUBT_MARGIN:
        doubt = "close call"
    elif best in ARABIC_CODEPAGES and runner_up in ARABIC_CODEPAGES and (
            s.chars < VERY_SHORT or s.chars < SHORT and scores[runner_up].plausible):
        doubt = "too short to tell"
    return Guess(best, scores, runner_up, doubt)


# ---------------------------------------------------------------------------------------
# decoding a file
# ---------------------------------------------------------------------------------------

# After decoding with "surrogateescape" a byte that is not UTF-8 is a lone surrogate
# U+DC80-U+DCFF; words are cut at ASCII white space.
_WHITE = "\t\n\x0b\x0c\r "
_RE_ESCAPED = re.compile("[\udc80-\udcff]")
_RE_UTF8_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
_RE_WORD_REST = re.compile(f"[^{_WHITE}]*")
_HIGH_BYTES = bytes(range(0x80, 0x100))
# valid UTF-8 punctuation that may stick to a word of another encoding («...», "...", ،)
_EDGE_PUNCT = ("\u00ab\u00bb"              # LEFT/RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK
               "\u2018\u2019\u201c\u201d"  # LEFT/RIGHT SINGLE/DOUBLE QUOTATION MARK
               "\u2013\u2014\u2026"        # EN DASH, EM DASH, HORIZONTAL ELLIPSIS
               "\u060c\u061b\u061f")       # ARABIC COMMA, SEMICOLON, QUESTION MARK
#: A word that is valid UTF-8 but lies among code-page words is re-read in the code page
#: (as is a word with stray bytes there) when it has at most this many non-ASCII
#: characters: a Windows-1256 letter before a Windows-1256 comma (0xC9 0xA1, "ة،") is
#: valid UTF-8 by accident ...
SHORT_WORD = 2
#: ... and the code-page reading wins unless the UTF-8 one scores this much better (among
#: Arabic words a lone Latin letter, Windows-1256 "أ،" read as UTF-8 "á", is unlikely).
SHORT_WORD_PRIOR = 4.0
#: In a file that is otherwise UTF-8, fewer non-UTF-8 bytes than this are stray bytes
#: (replaced), never a run in a code page, however plausible they read.
MIN_RUN_BYTES = 4
#: A file with at most one valid non-ASCII UTF-8 character per this many bytes that are
#: not UTF-8 is first tried as a plain 8-bit file (its few UTF-8 characters being
#: accidents such as "ة،"); it is read by runs if one of them really is UTF-8.
MOSTLY_8BIT = 16
# kinds of words: UTF-8, in a code page, UTF-8 with stray bytes
_UTF8, _CP, _STRAY = 0, 1, 2


def _raw(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def _split_edges(word: str) -> tuple[str, str, str]:
    """``(UTF-8 punctuation before, the rest, UTF-8 punctuation after)`` of a word."""
    start, end = 0, len(word)
    while start < end and word[start] in _EDGE_PUNCT:
        start += 1
    while end > start and word[end - 1] in _EDGE_PUNCT:
        end -= 1
    return word[:start], word[start:end], word[end:]


def _core(word: str) -> str:
    """The word without the UTF-8 punctuation stuck to it (see ``_split_edges``)."""
    return _split_edges(word)[1] if word[0] in _EDGE_PUNCT or word[-1] in _EDGE_PUNCT \
        else word


def _census(text: str) -> tuple[int, int]:
    """(bytes that are not UTF-8, bytes of valid multi-byte characters) in ``text``."""
    valid = "".join(_RE_UTF8_NON_ASCII.findall(text))
    return len(_RE_ESCAPED.findall(text)), len(valid.encode("utf-8"))


def _kind(word: str) -> int:
    """A word's kind: UTF-8; code page (its bytes are mostly not UTF-8); or UTF-8 with
    stray bytes (mostly valid multi-byte sequences)."""
    if not _RE_ESCAPED.search(word):
        return _UTF8
    if not _RE_UTF8_NON_ASCII.search(word):
        return _CP
    escaped, multibyte = _census(_core(word))
    return _CP if 2 * escaped >= multibyte else _STRAY


def _words_with(text: str, char: re.Pattern, lo: int = 0, hi: int | None = None
                ) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of the words of ``text[lo:hi]`` holding a match of ``char``.

    (One regex search per word found: the text between is scanned in C.)
    """
    hi = len(text) if hi is None else hi
    while m := char.search(text, lo, hi):
        start = m.start()
        while start > lo and text[start - 1] not in _WHITE:
            start -= 1
        lo = _RE_WORD_REST.match(text, m.end()).end()
        yield start, lo


@lru_cache(maxsize=1 << 12)
def _code_page_wins(word: str, enc: str) -> bool:
    """Whether a UTF-8 word of at most SHORT_WORD non-ASCII characters, or a word with
    stray bytes, reads better in ``enc`` (by SHORT_WORD_PRIOR) among code-page words."""
    if _kind(word) == _UTF8 and sum(not c.isascii() for c in word) > SHORT_WORD:
        return False
    raw = _raw(word)
    try:
        as_cp = raw.decode(enc)
    except UnicodeDecodeError:
        return False
    return token_score(as_cp)[0] + SHORT_WORD_PRIOR \
        > token_score(raw.decode("utf-8", "replace"))[0]


def _whole(data: bytes, guess: Guess, *notes: tuple[str, str]) -> Decoded:
    """The whole file in the guessed code page (chosen on part of it: should the rest
    hold a byte it leaves undefined, in ``latin-1`` or ``cp1256``, which define all)."""
    enc = guess.encoding
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        enc = LATIN_FALLBACK if enc == LATIN_CODEPAGE else "cp1256"
        text = data.decode(enc)
        message = f"encoding guessed: {enc}, as {guess.encoding} leaves bytes undefined"
        notes = (*notes, (ENCODING_GUESS, message))
    return Decoded(text, enc, 0, (*_guess_notes(guess), *notes))


def _guess_notes(guess: Guess, what: str = "encoding") -> tuple[tuple[str, str], ...]:
    if not guess.doubt:
        return ()
    return ((ENCODING_GUESS, f"{what} guessed: {guess.describe()}; {guess.doubt}"),)


class Decoded(NamedTuple):
    """A file's text, the encoding label recorded, replaced bytes, and notes to report."""
    text: str
    encoding: str
    replaced: int = 0
    notes: tuple[tuple[str, str], ...] = ()  # (kind, message)


def decode_bytes(data: bytes, forced: str | None = None) -> Decoded:
    """Decode a file's bytes by the rule of the module docstring; never raises.

    >>> decode_bytes("خبر عاجل".encode("cp1256")).encoding
    'cp1256'
    """
    if forced:
        try:
            return Decoded(data.decode(forced), forced)
        except UnicodeDecodeError:
            text = data.decode(forced, errors="replace")
            return Decoded(text, forced, max(1, text.count("\ufffd")))
    for bom, enc in R.BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc), enc)
            except UnicodeDecodeError:
                pass
            if enc == "utf-8-sig":     # UTF-8 after all, but for stray bytes or runs
                d = _decode_not_utf8(data[len(bom):])
                return d._replace(encoding=d.encoding.replace("utf-8", enc, 1))
            text = data.decode(enc, errors="replace")
            return Decoded(text, enc, max(1, text.count("\ufffd")))
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    return _decode_not_utf8(data)


def _replaced(data: bytes) -> Decoded:
    """UTF-8 with the bytes that are not UTF-8 replaced by U+FFFD."""
    text = data.decode("utf-8", errors="replace")
    return Decoded(text, "utf-8", max(1, text.count("\ufffd") - data.count(b"\xef\xbf\xbd")))


def _decode_not_utf8(data: bytes) -> Decoded:
    """A code page, UTF-8 with runs in a code page, or UTF-8 with stray bytes."""
    ascii_chars = len(data.translate(None, _HIGH_BYTES))
    valid = len(data.decode("utf-8", "ignore")) - ascii_chars   # non-ASCII UTF-8 characters
    if not valid:                                    # nothing but ASCII is UTF-8
        return _whole(data, guess_codepage(data))
    mixed = data.decode("utf-8", "surrogateescape")
    escaped = len(mixed) - ascii_chars - valid       # bytes that are not UTF-8
    if valid * MOSTLY_8BIT <= escaped:
        guess = guess_codepage(data)
        if all(_kind(w) == _CP or _code_page_wins(w, guess.encoding)
               for w in (mixed[i:j] for i, j in _words_with(mixed, _RE_UTF8_NON_ASCII))):
            return _whole(data, guess)
    return _decode_by_runs(data, mixed, valid, escaped)


def _decode_by_runs(data: bytes, mixed: str, valid: int, escaped: int) -> Decoded:
    """Words with bytes that are not UTF-8 in a code page, the rest as UTF-8; or UTF-8
    with stray bytes replaced when those words are not text."""
    # [start, end, word, kind] of the words holding bytes that are not UTF-8
    bad = [[i, j, mixed[i:j], _CP] for i, j in _words_with(mixed, _RE_ESCAPED)]
    for b in bad:
        b[3] = _kind(b[2])
    if all(b[3] == _STRAY for b in bad):
        return _replaced(data)
    guess = guess_codepage(_raw(" ".join(_core(b[2]) for b in bad if b[3] == _CP)))
    enc = guess.encoding
    # among code-page words, a short UTF-8 word (alone between two of them) or a word
    # with stray bytes is read in the code page if that reads better
    items, pos, previous_cp = [], 0, True              # the file's start counts as code page
    for b in [*bad, [len(mixed), len(mixed), "", _CP]]:
        gap = list(islice(_words_with(mixed, _RE_UTF8_NON_ASCII, pos, b[0]), 2))
        if len(gap) == 1 and previous_cp and b[3] == _CP:
            i, j = gap[0]
            if _code_page_wins(mixed[i:j], enc):
                items.append([i, j, mixed[i:j], _CP])
                gap = []
        items.append(b)
        previous_cp = b[3] == _CP and not gap
        pos = b[1]
    items.pop()                                        # the end-of-file marker
    for n, b in enumerate(items):
        if b[3] != _STRAY:
            continue
        before = items[n - 1] if n else None
        after = items[n + 1] if n + 1 < len(items) else None
        if (before is None or before[3] == _CP) and (after is None or after[3] == _CP) \
                and not _RE_UTF8_NON_ASCII.search(mixed, before[1] if before else 0, b[0]) \
                and not _RE_UTF8_NON_ASCII.search(mixed, b[1],
                                                  after[0] if after else len(mixed)) \
                and _code_page_wins(b[2], enc):
            b[3] = _CP
    # bytes read in the code page, characters left as UTF-8
    cp_bytes, utf8_chars = escaped, valid
    for _, _, w, k in items:
        if k == _STRAY:
            cp_bytes -= _census(w)[0]
        elif _RE_UTF8_NON_ASCII.search(w):
            core = _core(w)
            cp_bytes += _census(core)[1]
            utf8_chars -= len(_RE_UTF8_NON_ASCII.findall(core))
    if utf8_chars == 0:                              # all re-read: a plain 8-bit file
        return _whole(data, guess)
    if not guess.plausible or cp_bytes < MIN_RUN_BYTES:
        if utf8_chars >= cp_bytes:                   # UTF-8 with stray bytes
            return _replaced(data)
        if guess.doubt:                               # mostly not UTF-8, and not text
            return _whole(data, guess)
        message = f"encoding guessed: {guess.describe()}; mostly not UTF-8"
        return _whole(data, guess, (ENCODING_GUESS, message))
    # UTF-8 with runs in a code page: decode word by word
    out, pos, runs, replaced, previous_end = [], 0, 0, 0, -1
    for start, end, w, k in items:
        out.append(mixed[pos:start])
        if k == _CP:
            # a new run unless only ASCII lies since the last code-page word
            runs += previous_end < 0 or bool(_RE_UTF8_NON_ASCII.search(mixed, previous_end,
                                                                       start))
            pre, core, post = _split_edges(w)
            out.append(pre + _raw(core).decode(enc) + post)
            previous_end = end
        else:
            raw = _raw(w)
            text = raw.decode("utf-8", "replace")
            replaced += text.count("\ufffd") - raw.count(b"\xef\xbf\xbd")
            out.append(text)
            previous_end = -1
        pos = end
    out.append(mixed[pos:])
    message = (f"{cp_bytes:,} byte(s) in {runs:,} run(s) are not UTF-8: read as {enc}, "
               "the rest as UTF-8")
    notes = ((MIXED_ENCODING, message),
             *_guess_notes(guess, f"encoding of the non-UTF-8 run{'s' if runs > 1 else ''}"))
    return Decoded("".join(out), f"utf-8+{enc}", replaced, notes)


# ---------------------------------------------------------------------------------------
# binary files
# ---------------------------------------------------------------------------------------

def binary_reason(data: bytes) -> str | None:
    """Why ``data`` looks binary, or None if it looks like text (BOMs are checked before)."""
    if data.startswith(_MAGIC_PREFIXES):
        for magic, what in _MAGIC:
            if data.startswith(magic):
                return f"binary file ({what})"
    sample = data[:65536]
    if b"\x00" in sample:
        return "binary file (contains NUL bytes)"
    controls = len(sample) - len(sample.translate(None, R.CONTROL_BYTES))
    if controls > 0.05 * len(sample):
        return f"binary file ({controls:,} control bytes in the first {len(sample):,})"
    return None


def bom_less_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` for text saved as UTF-16 without a BOM, else None.

    In such text the high byte of every character is 0x00 (ASCII: spaces, digits, line
    breaks) or 0x06 (Arabic), with a few 0x20 (punctuation) and 0xFB-0xFE (presentation
    forms); the low bytes are almost never 0x00. Binary data does not look like that.
    """
    sample = data[:4096]
    if b"\x00" not in sample or len(sample) < 16 or len(data) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for enc, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        typical = sum(high.count(b) for b in (0x00, 0x06, 0x20, 0xFB, 0xFC, 0xFD, 0xFE))
        if high.count(0) and typical >= 0.95 * len(high) and low.count(0) <= 0.01 * len(low):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                return None
            if not R.RE_XML_ILLEGAL.search(text[:2048]):
                return enc
    return None
