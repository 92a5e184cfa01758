"""Words and sentences from Arabic text: tokens, sentences, stopwords, clitics, light stems.

A ``str`` gives a list; a pandas Series gives a Series of lists, stored in Arrow
(``pd.ArrowDtype(pa.list_(pa.string()))``, same index and name; a missing text gives an empty
list; each element reads back as a Python list). Normalisation runs first, vectorised over
the whole column (:func:`helpers.normalize`). A single str is split by one compiled regex
``findall``; a Series by the same patterns run by RE2 inside Arrow on blocks of articles in
threads, so the tokens never become Python strings (the statistics encode them straight
from the Arrow buffers). Both paths give the same tokens (tested on the whole ANT corpus and
on generated text).

Token rules (patterns in :mod:`helpers.resources`):

- an Arabic word is a run of Arabic letters, with the marks that belong to it (diacritics,
  tatweel, Quranic marks, ZWNJ/ZWJ) so that raw text (``preset=None``) is not split inside a
  word, and with digits attached (``كوفيد19``, ``2020م`` stay one token);
- a Latin word is a run of Latin letters with attached digits (``G20``, ``mp3``), lowercased
  by default;
- a number is a run of digits, with ``.`` ``,`` ``٫`` ``٬`` between digits (``3.5``, ``1,000``);
- everything else (punctuation, symbols, emoji, other scripts) is dropped;
- a change of script splits a word: ``الـCNN`` gives ``ال`` and ``cnn``; digits stick to the
  word before them (``و4g`` gives ``و4`` and ``g``).
- presentation forms are not letters: with ``preset=None`` on raw text they are dropped, so
  normalise first (both presets fold them).

>>> tokenize("قالَ الوزيرُ إنّ 3.5 مليون شخص زاروا Expo 2020!")
['قال', 'الوزير', 'ان', '3.5', 'مليون', 'شخص', 'زاروا', 'expo', '2020']
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import resources as R
from .cleaning import normalize, resolve_steps
from .textengine import to_arrow

__all__ = [
    "tokenize",
    "sentences",
    "stopwords",
    "strip_clitics",
    "light_stem",
]


@lru_cache(maxsize=8)
def _token_regex(latin: bool, numbers: bool) -> tuple[re.Pattern, frozenset[int] | None]:
    """The token pattern, and the group numbers to keep when some kinds are left out (the
    left-out kinds still match, so that ``abc123`` never yields ``123``)."""
    if latin and numbers:
        return re.compile("|".join(p for _, _, p in R.TOKEN_PATTERNS)), None
    kept = {"arabic"} | ({"latin"} if latin else set()) | ({"number"} if numbers else set())
    groups = frozenset(i for i, (_, kind, _) in enumerate(R.TOKEN_PATTERNS, 1) if kind in kept)
    return re.compile("|".join(f"({p})" for _, _, p in R.TOKEN_PATTERNS)), groups


@lru_cache(maxsize=8)
def _stopwords(preset: str | None) -> frozenset[str]:
    import arabicstopwords.arabicstopwords as asw

    words = pd.Series(sorted(set(asw.stopwords_list())), dtype=object)
    if preset is None:
        search = normalize(words, preset="search").tolist()
        return frozenset(words.tolist()) | frozenset(search)
    return frozenset(normalize(words, preset=preset).tolist()) - {""}


def stopwords(preset: str | None = "search") -> frozenset[str]:
    """The ``arabic-stopwords`` list, normalised with the same preset as the text (cached).

    Normalising the list is what keeps matching working after normalisation: إلى is listed,
    and the ``search`` preset turns it into الي, which is then in the set too.

    Args:
        preset: the preset the text is normalised with; ``None`` gives the raw list plus its
            ``search`` form (for text of unknown normalisation).

    Returns:
        A frozenset of words (about 13,000: the package lists forms with clitics too).

    >>> "الي" in stopwords("search")
    True
    """
    if preset is not None:
        resolve_steps(preset=preset)  # a clear error for an unknown preset
    return _stopwords(preset)


def strip_clitics(token: str, *, min_length: int = 3) -> str:
    """Strip one proclitic: the article with و ف ب ك ل (وال بال فال كال لل وبال ...) or ال,
    else a conjunction و or ف, provided ``min_length`` characters remain.

    Prefixes are tried longest first (:data:`helpers.resources.CLITIC_PREFIXES`); the first
    that leaves at least ``min_length`` characters is removed. ب ك ل alone are not stripped
    (بيت كتاب لبنان would be damaged). A heuristic that loses information: it also cuts
    words that merely start like a clitic (وزير -> زير, فيلم -> يلم). Apply to normalised
    tokens (length counts characters, diacritics included).

    Args:
        token: one word.
        min_length: the fewest characters to leave.

    Returns:
        The word without its proclitic (unchanged when none applies).

    >>> strip_clitics("والكتاب"), strip_clitics("للحكومه"), strip_clitics("وقال"), strip_clitics("الله")
    ('كتاب', 'حكومه', 'قال', 'الله')
    """
    for prefix in R.CLITIC_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= min_length:
            return token[len(prefix):]
    return token


def light_stem(token: str, *, min_length: int = 2) -> str:
    """A light10 stem (Larkey, Ballesteros & Connell 2007): strip affixes, no root analysis.

    Rules: remove a leading و if at least 3 characters remain; remove one definite article
    (وال بال كال فال لل ال, longest first) if at least ``min_length`` remain; then the
    suffixes ها ان ات ون ين يه ية ه ة ي, each at most once in that order, whenever at least
    ``min_length`` remain. Lossy and sometimes wrong (it conflates unrelated words); use it
    for counting and search, not for showing words.

    Args:
        token: one word (normalised or not: the suffix list has both ة and ه).
        min_length: the fewest characters to leave.

    Returns:
        The stem.

    >>> light_stem("والمعلمات"), light_stem("بالمدرسه"), light_stem("كتابها")
    ('معلم', 'مدرس', 'كتاب')
    """
    if token.startswith(R.ARABIC_LETTER_WAW) and len(token) - 1 >= 3:
        token = token[1:]
    for prefix in R.LIGHT10_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= min_length:
            token = token[len(prefix):]
            break
    for suffix in R.LIGHT10_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= min_length:
            token = token[: -len(suffix)]
    return token


def _memo_map(lists: list[list[str]], func) -> list[list[str]]:
    """``func`` on every token, computed once per distinct token."""
    memo: dict[str, str] = {}

    def get(tok: str) -> str:
        out = memo.get(tok)
        if out is None:
            out = memo[tok] = func(tok)
        return out

    return [[get(t) for t in toks] for toks in lists]


def tokenize(
    text: Any,
    *,
    preset: str | None = "search",
    stopwords: bool | Iterable[str] = False,
    clitics: bool = False,
    stem: bool = False,
    latin: bool = True,
    numbers: bool = True,
    lower: bool = True,
) -> Any:
    """Split Arabic text into word tokens (see the module docstring for the rules).

    Args:
        text: a str or a Series of str.
        preset: normalisation preset run first (``"search"``, ``"display"``), or ``None`` when
            the text is already normalised.
        stopwords: drop stopwords: ``True`` for :func:`stopwords` normalised with ``preset``,
            or your own iterable of words (compared after normalisation). With ``clitics``
            they are dropped before and after stripping.
        clitics: strip proclitics with :func:`strip_clitics` (heuristic, lossy).
        stem: reduce tokens to light10 stems with :func:`light_stem` (lossy).
        latin: keep Latin-script words.
        numbers: keep numbers (digits attached to a word stay with the word).
        lower: lowercase Latin words.

    Returns:
        A list of str for a str; for a Series, a Series of lists (Arrow ``list<string>``
        dtype, same index and name; a missing text gives ``[]``).

    >>> tokenize("وقالت الوزارةُ إن الحكومة...", stopwords=True, clitics=True)
    ['قالت', 'وزاره', 'حكومه']
    """
    if not isinstance(text, (str, pd.Series)):
        if text is None or text is pd.NA or (isinstance(text, float) and text != text):
            return []
        raise TypeError(f"expected a str or a pandas Series, got {type(text).__name__}")
    if preset is not None:
        text = normalize(text, preset=preset)  # a Series keeps its index and name
    if isinstance(text, pd.Series):
        arrow = to_arrow(text)
        chunks = _tokenize_arrow(arrow, latin=latin, numbers=numbers, lower=lower and latin)
        chunks = _post_arrow(chunks, preset=preset, stopwords=stopwords, clitics=clitics, stem=stem)
        array = pd.arrays.ArrowExtensionArray(pa.chunked_array(chunks, type=TOKEN_LISTS))
        return pd.Series(array, index=text.index, name=text.name, copy=False)
    if lower and latin:
        text = text.lower()
    lists = _tokens_of([text], latin=latin, numbers=numbers)
    return _post(lists, preset=preset, stopwords=stopwords, clitics=clitics, stem=stem)[0]


def _tokens_of(texts: list, *, latin: bool, numbers: bool) -> list[list[str]]:
    rx, keep = _token_regex(latin, numbers)
    if keep is None:
        findall = rx.findall
        return [findall(t) if t is not None else [] for t in texts]
    finditer = rx.finditer
    return [[m.group() for m in finditer(t) if m.lastindex in keep] if t is not None else [] for t in texts]


def _stop_set(preset, stopwords) -> frozenset[str] | None:
    if stopwords is True:
        return _stopwords(preset)
    if stopwords:
        return frozenset(stopwords)
    return None


def _post(lists, *, preset, stopwords, clitics, stem):
    stop = _stop_set(preset, stopwords)
    if stop:
        lists = [[t for t in toks if t not in stop] for toks in lists]
    if clitics:
        lists = _memo_map(lists, strip_clitics)
        if stop:
            lists = [[t for t in toks if t not in stop] for toks in lists]
    if stem:
        lists = _memo_map(lists, light_stem)
    return lists


#: The dtype of a tokenised Series: one Arrow list of strings per article.
TOKEN_LISTS = pa.list_(pa.string())

#: Articles per block for the Arrow tokenizer: blocks run in threads (Arrow releases the
#: GIL) and keep every string buffer far below the 2 GB of 32-bit offsets.
_BLOCK_ROWS = 2000
_SEP = "\x1f"  # UNIT SEPARATOR: not a token character, so it never occurs inside a token


@lru_cache(maxsize=1)
def _arrow_patterns() -> tuple[str, str, str, str]:
    """RE2 patterns: one step of the scan (a token, or a run of characters that cannot
    start one), a token's first character, and "has an Arabic / Latin letter"."""
    starts = R.TOKEN_ARABIC_LETTERS + R.TOKEN_LATIN_LETTERS + R.TOKEN_DIGITS
    # RE2 alternation is leftmost-first like Python's re, so at each position the same token
    # kind wins as in findall; where no token starts, findall moves on one character, and
    # so does this scan (the run that follows holds no token start either).
    step = "|".join(p for _, _, p in R.TOKEN_PATTERNS) + f"|(?s:.)[^{starts}]*"
    return step, f"^[{starts}]", f"[{R.TOKEN_ARABIC_LETTERS}]", f"[{R.TOKEN_LATIN_LETTERS}]"


def _tokenize_block(block: pa.Array, latin: bool, numbers: bool, lower: bool) -> pa.ListArray:
    step, start, arabic, latin_letter = _arrow_patterns()
    if lower:  # str.lower: İ becomes i + COMBINING DOT ABOVE (utf8_lower gives a bare i)
        block = pc.utf8_lower(pc.replace_substring(block, "\u0130", "i\u0307"))
    pieces = pc.split_pattern(pc.replace_substring_regex(block, pattern=step, replacement="\\0" + _SEP), _SEP)
    values = pieces.values
    keep = pc.match_substring_regex(values, start)
    if not latin:  # a Latin word (G20 too) is found, then left out: abc123 never gives 123
        keep = pc.and_(keep, pc.invert(pc.match_substring_regex(values, latin_letter)))
    if not numbers:  # a token without letters is a number
        letters = pc.or_(pc.match_substring_regex(values, arabic), pc.match_substring_regex(values, latin_letter))
        keep = pc.and_(keep, letters)
    return _keep_values(pieces, keep)


def _keep_values(lists: pa.ListArray, keep, values=None) -> pa.ListArray:
    """``lists`` with only the values where ``keep`` is true (optionally replaced by
    ``values``, aligned with ``lists.values``); ``lists`` is unsliced, as built here."""
    if values is None:
        values = lists.values
    keep = np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool)
    if keep.all():
        return pa.ListArray.from_arrays(lists.offsets, values)
    parents = pc.list_parent_indices(lists).to_numpy()
    counts = np.bincount(parents[keep], minlength=len(lists))
    offsets = np.zeros(len(lists) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), pc.filter(values, pa.array(keep)))


def _tokenize_arrow(arrow: pa.ChunkedArray, *, latin: bool, numbers: bool, lower: bool) -> list[pa.ListArray]:
    """Token lists of every text of ``arrow`` (missing texts give empty lists), one
    ``list<string>`` array per block of :data:`_BLOCK_ROWS` articles."""
    blocks = []
    for chunk in arrow.chunks:
        for i in range(0, len(chunk), _BLOCK_ROWS):
            block = chunk.slice(i, _BLOCK_ROWS)
            if block.null_count:
                block = pc.fill_null(block, "")
            blocks.append(block.cast(pa.string()))
    if not blocks:
        return []
    workers = min(len(blocks), os.cpu_count() or 1, 8)
    if workers == 1:
        return [_tokenize_block(b, latin, numbers, lower) for b in blocks]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(_tokenize_block, blocks, [latin] * len(blocks), [numbers] * len(blocks), [lower] * len(blocks)))


def _map_distinct(values: pa.Array, func, memo: dict[str, str]) -> pa.Array:
    """``func`` on every value, computed once per distinct value (remembered in ``memo``)."""
    encoded = values.dictionary_encode()
    out = []
    for tok in encoded.dictionary.to_pylist():
        res = memo.get(tok)
        if res is None:
            res = memo[tok] = func(tok)
        out.append(res)
    return pa.array(out, pa.string()).take(encoded.indices)


def _post_arrow(chunks: list[pa.ListArray], *, preset, stopwords, clitics, stem) -> list[pa.ListArray]:
    """:func:`_post` on Arrow token lists: the same filters and maps, in the same order."""
    stop = _stop_set(preset, stopwords)
    if not (stop or clitics or stem):
        return chunks
    stop_values = pa.array(sorted(stop), pa.string()) if stop else None
    clitic_memo: dict[str, str] = {}
    stem_memo: dict[str, str] = {}
    out = []
    for lists in chunks:
        if stop:
            lists = _keep_values(lists, pc.invert(pc.is_in(lists.values, value_set=stop_values)))
        if clitics:
            stripped = _map_distinct(lists.values, strip_clitics, clitic_memo)
            if stop:
                lists = _keep_values(lists, pc.invert(pc.is_in(stripped, value_set=stop_values)), stripped)
            else:
                lists = pa.ListArray.from_arrays(lists.offsets, stripped)
        if stem:
            lists = pa.ListArray.from_arrays(lists.offsets, _map_distinct(lists.values, light_stem, stem_memo))
        out.append(lists)
    return out


def sentences(text: Any) -> Any:
    """Split text into sentences at ``. ! ? ; ؟ ؛ ۔`` and at line breaks.

    The punctuation stays with its sentence; a run (``...``, ``?!``) ends one sentence. A dot
    between Latin letters or digits does not end a sentence (``3.5``, ``U.S``, ``x.com``); a
    dot between Arabic words does, since Arabic web text often omits the space after it.

    Args:
        text: a str or a Series of str.

    Returns:
        A list of sentences (stripped, none empty) for a str; a Series of lists (same index,
        ``[]`` for a missing text) for a Series.

    >>> sentences("ارتفع المؤشر 3.5 نقطة. هل يستمر؟ نعم\\nالخبر التالي")
    ['ارتفع المؤشر 3.5 نقطة.', 'هل يستمر؟', 'نعم', 'الخبر التالي']
    """
    if isinstance(text, pd.Series):
        lists = [_sentences(t) if isinstance(t, str) else [] for t in text.tolist()]
        return pd.Series(lists, index=text.index, name=text.name, dtype=object)
    if not isinstance(text, str):
        if text is None or text is pd.NA or (isinstance(text, float) and text != text):
            return []
        raise TypeError(f"expected a str or a pandas Series, got {type(text).__name__}")
    return _sentences(text)


def _sentences(text: str) -> list[str]:
    out = []
    for found in R.RE_SENTENCE.findall(text):
        found = found.strip()
        if found and not all(c in R.SENTENCE_TERMINATORS for c in found):
            out.append(found)
    return out
