"""Which 8-bit code page some bytes are written in: the judge :mod:`.decoding` asks when a
file is not UTF-8. Each candidate (``cp1256``, ``iso-8859-6``, ``cp1252``/``latin-1``)
decodes a sample, and the texts are scored as words: Arabic words by a letter-bigram model
(``arabic_bigrams.json``, built from ANT by ``scripts/build_arabic_bigrams.py``), Latin words
by rules (accented letters inside plausible words), symbols and controls inside words
penalised. :func:`guess_codepage` returns the best reading and, when the choice is in doubt
(a close call, a text too short, nothing reads as words), why.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .. import resources as R

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

