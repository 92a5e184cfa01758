"""Words and sentences from Arabic text: tokens, sentences, stopwords, clitics, light stems.

A ``str`` gives a list; a pandas Series gives a Series of lists (object dtype, same index and
name; a missing text gives an empty list). Normalisation runs first, vectorised over the
whole column (:func:`helpers.normalize`), then one compiled regex ``findall`` per text.

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

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import pandas as pd

from . import resources as R
from .cleaning import _apply, _pipeline, _to_arrow, normalize, resolve_steps

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


_LIGHT10_PREFIXES = tuple(sorted(R.LIGHT10_PREFIXES, key=len, reverse=True))


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
    if token.startswith("\u0648") and len(token) - 1 >= 3:
        token = token[1:]
    for prefix in _LIGHT10_PREFIXES:
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
        A list of str for a str; for a Series, a Series of lists (object dtype, same index and
        name; a missing text gives ``[]``).

    >>> tokenize("وقالت الوزارةُ إن الحكومة...", stopwords=True, clitics=True)
    ['قالت', 'وزاره', 'حكومه']
    """
    if isinstance(text, pd.Series):
        if preset is not None:
            arrow = _to_arrow(normalize(text, preset=preset))
        else:
            arrow = _to_arrow(text)
        texts = arrow.to_pylist()
        if lower and latin:  # str.lower, exactly as for a str (utf8_lower differs on Σ, İ)
            texts = [t.lower() if t is not None else None for t in texts]
        lists = _tokens_of(texts, latin=latin, numbers=numbers)
        lists = _post(lists, preset=preset, stopwords=stopwords, clitics=clitics, stem=stem)
        return pd.Series(lists, index=text.index, name=text.name, dtype=object)
    if not isinstance(text, str):
        if text is None or text is pd.NA or (isinstance(text, float) and text != text):
            return []
        raise TypeError(f"expected a str or a pandas Series, got {type(text).__name__}")
    if preset is not None:
        text = normalize(text, preset=preset)
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


def _post(lists, *, preset, stopwords, clitics, stem):
    stop: frozenset[str] | None = None
    if stopwords is True:
        stop = _stopwords(preset)
    elif stopwords:
        stop = frozenset(stopwords)
    if stop:
        lists = [[t for t in toks if t not in stop] for toks in lists]
    if clitics:
        lists = _memo_map(lists, strip_clitics)
        if stop:
            lists = [[t for t in toks if t not in stop] for toks in lists]
    if stem:
        lists = _memo_map(lists, light_stem)
    return lists


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
