"""General Arabic as a reference corpus: wordfreq's Arabic word frequencies as counts, and
the key words of a corpus against them.

:func:`general_arabic` turns the Arabic list that the ``wordfreq`` package ships
(``wordfreq/data/large_ar.msgpack.gz``; read from the installed package, never downloaded)
into word counts comparable with a corpus's tokens; :func:`general_keyness` ranks a corpus's
words against it with :func:`helpers.keyness`'s G² and Log Ratio (the one implementation, in
:mod:`helpers.association`), so a corpus of one outlet gets key words too, and every corpus
gets what is newsworthy compared with everyday Arabic.

How the list becomes a reference corpus:

- **What it is.** wordfreq 3 (Speer et al., data frozen in 2021) merges five kinds of
  Arabic text -- Wikipedia, subtitles, news (NewsCrawl, GlobalVoices), web pages (OSCAR)
  and Twitter -- into one frequency per word, rounded to the centibel (a factor of
  10^0.01, 2.3 %), for the 620,701 words seen at least once per hundred million words.
  News is one source of five, so words of the news still stand out, a little less than
  against conversation alone.
- **Size.** :data:`REFERENCE_SIZE` is 100 million tokens: the list stops at 10^-8 (one
  occurrence per hundred million words), so at that size its rarest word counts 1 and
  every word it leaves out would have counted less than 1. A larger size would claim a
  precision the rounded list does not have (G² would treat general Arabic as known
  exactly); a smaller one would round its tail to 0. Counts are ``round(frequency ×
  REFERENCE_SIZE)``.
- **Same form as the tokens.** Each word goes through :func:`helpers.normalize` with the
  preset of the tokens (``"search"``, as :func:`helpers.tokenize` uses by default), and
  the spellings that fall together are summed: أن، إن and ان are one count ``ان``, حكومة
  and حكومه one count ``حكومه``.
- **Arabic words only.** Only words made of Arabic letters (and marks) are compared, on
  both sides: numbers (wordfreq writes every digit as 0), Latin words and words with
  digits attached (``2020م``) are left out of the corpus's total and of the reference's.
  They are not words of general Arabic, and the two lists do not spell them alike.
- **Words the list does not have.** A word of the corpus missing from general Arabic
  (a rare name, a misspelling, a dialect word, a word of boilerplate) counts 0 there: fewer
  than one occurrence per hundred million words, which is what the list's floor says.
  G² is computed with that 0 as it is, and Log Ratio with Hardie's 0.5 in its place (half
  the floor), as :func:`helpers.keyness` does; such words get the longest bars, and are
  counted in ``attrs["absent"]``.

Loading takes about a second once per process (the list is read, normalised and merged
once per preset and kept, :func:`functools.lru_cache`); each comparison after that is one
keyness over the corpus's vocabulary.

>>> tokens = pd.Series([["قالت", "الحكومه", "في", "بيان"]] * 5)  # as helpers.tokenize gives them
>>> general_keyness(tokens, drop_stopwords=True)["term"].tolist()[:3]
['بيان', 'قالت', 'الحكومه']
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import resources as R
from .association import keyness_from_counts
from .cleaning import normalize
from .encoded import encode
from .textengine import to_arrow
from .tokens import stopwords as project_stopwords

__all__ = ["general_arabic", "general_keyness"]

#: tokens of the general-Arabic reference corpus: wordfreq's floor (10^-8) counts 1
REFERENCE_SIZE = 100_000_000
#: the wordfreq list read: "large" goes down to one per hundred million words ("small" to
#: one per million)
WORDFREQ_LIST = "large"
#: a word of Arabic letters (and the marks a preset may leave), nothing else: the tokens
#: compared with general Arabic
ARABIC_WORD = f"^[{R.TOKEN_ARABIC_LETTERS}][{R.TOKEN_ARABIC_LETTERS}{R.TOKEN_ARABIC_MARKS}]*$"


def arabic_words(terms) -> np.ndarray:
    """Boolean per term: is it a word of Arabic letters (no digit, no Latin letter)?

    >>> arabic_words(["حكومه", "2020م", "cnn", "2020"]).tolist()
    [True, False, False, False]
    """
    array = pa.array(np.asarray(terms, dtype=object), pa.large_string())
    if not len(array):
        return np.zeros(0, dtype=bool)
    return pc.match_substring_regex(array, ARABIC_WORD).to_numpy(zero_copy_only=False)


@lru_cache(maxsize=4)
def general_arabic(preset: str | None = "search") -> pd.Series:
    """General Arabic as word counts of a corpus of :data:`REFERENCE_SIZE` tokens.

    wordfreq's large Arabic list (shipped in its package; nothing is downloaded), each word
    normalised with ``preset`` and the spellings that fall together summed, Arabic words
    only (see the module docstring for the size and why). Read once per process and
    preset: the same Series comes back on every call, so copy it before changing it.

    Args:
        preset: the :func:`helpers.normalize` preset the tokens were made with.

    Returns:
        Series of int64 counts indexed by word (``name="general_arabic"``), most frequent
        first; ``attrs`` hold the source (``"wordfreq large_ar"``) and the size.

    >>> ref = general_arabic()
    >>> int(ref["اعلن"]) > 0  # أعلن, اعلن and إعلن, summed
    True
    """
    import wordfreq  # its data files are in the package: reading them opens no socket

    buckets = wordfreq.read_cBpack(wordfreq.available_languages(WORDFREQ_LIST)["ar"])
    words = [w for bucket in buckets for w in bucket]
    # bucket i holds the words of frequency 10^(-i/100) (wordfreq's centibels)
    freq = np.repeat(10.0 ** (-np.arange(len(buckets)) / 100), [len(b) for b in buckets])
    forms = pd.Series(words, dtype=object)
    if preset is not None:  # the tokens' normalisation, so that spellings meet as they do
        forms = normalize(forms, preset=preset)
    table = pa.table({"term": to_arrow(forms), "freq": freq})
    table = table.filter(pc.match_substring_regex(table["term"], ARABIC_WORD))
    # spellings that fell together are summed (hashing in Arrow, then one bincount)
    forms = table["term"].combine_chunks().dictionary_encode()
    ids = forms.indices.to_numpy(zero_copy_only=False)
    summed = np.bincount(ids, weights=table["freq"].to_numpy(), minlength=len(forms.dictionary))
    counts = np.rint(summed * REFERENCE_SIZE).astype(np.int64)
    terms = forms.dictionary.to_numpy(zero_copy_only=False)
    out = pd.Series(counts, index=pd.Index(terms, dtype=object, name="term"),
                    name="general_arabic")
    out = out[out > 0].sort_values(ascending=False, kind="stable")
    out.attrs = {"source": f"wordfreq {WORDFREQ_LIST}_ar", "size": REFERENCE_SIZE}
    return out


def general_keyness(
    tokens,
    min_count: int = 5,
    *,
    top: int | None = None,
    drop_stopwords: bool = False,
    stopwords: Iterable[str] | None = None,
    preset: str | None = "search",
) -> pd.DataFrame:
    """Key words of a corpus against general Arabic: what it says more (and less) often
    than everyday Arabic does.

    The corpus is the target and :func:`general_arabic` the reference of
    :func:`helpers.keyness` (the same G², Log Ratio and columns). Only Arabic words are
    compared (numbers and Latin words are left out of both totals); a word general Arabic
    does not list counts 0 there (see the module docstring).

    Args:
        tokens: Series of token lists (as :func:`helpers.tokenize` gives them).
        min_count: keep words seen at least this often in the corpus, or expected at least
            this often in a corpus of its size written like general Arabic (so that the
            words the corpus avoids are kept too); the reference's 100 million tokens would
            let every listed word pass a threshold on both counts together.
        top: keep the ``top`` rows.
        drop_stopwords: leave stopwords out (after counting: the totals are unchanged).
        stopwords: the stopword set (default: :func:`helpers.stopwords` of ``preset``).
        preset: the normalisation preset the tokens were made with (the reference is
            normalised the same way).

    Returns:
        DataFrame with the columns of :func:`helpers.keyness` -- ``term``,
        ``count_target`` (in the corpus), ``count_reference`` (in the 100-million-token
        reference), ``g2``, ``log_ratio``, ``key_for`` (``"target"``: the corpus uses it
        more) -- sorted by ``g2`` descending; no rows when the corpus has no Arabic word.
        ``attrs``: ``reference`` (its source), ``reference_tokens``, ``target_tokens``
        (Arabic words compared), ``left_out`` (tokens that are no Arabic word) and
        ``absent`` (rows key for the corpus that general Arabic does not list).

    >>> k = general_keyness(pd.Series([["بيان", "في", "2020"]] * 5), min_count=5)
    >>> k["term"].iloc[0], int(k["count_target"].iloc[0]), k["key_for"].iloc[0], k.attrs["left_out"]
    ('بيان', 5, 'target', 5)
    """
    enc = encode(tokens)
    vocab = np.asarray(enc.vocab, dtype=object)
    counts = np.asarray(enc.counts, dtype=np.int64)
    words = arabic_words(vocab) if len(vocab) else np.zeros(0, dtype=bool)
    target = pd.Series(counts[words], index=pd.Index(vocab[words], dtype=object), dtype=np.int64)
    reference = general_arabic(preset)
    c, d = float(target.sum()), float(reference.sum())
    # only the reference's words that can make the table take part (the corpus's words, and
    # those expected min_count times in it); the totals stay the whole lists'
    seen = np.zeros(len(reference), dtype=bool)
    at = reference.index.get_indexer(target.index)  # the cached index keeps its hash table
    seen[at[at >= 0]] = True
    seen |= reference.to_numpy() * (c / d) >= min_count if c else False
    out = keyness_from_counts(target, reference[seen], min_count=1, top=None, totals=(c, d))
    if len(out):
        expected = out["count_reference"].to_numpy() * (c / d)
        keep = (out["count_target"].to_numpy() >= min_count) | (expected >= min_count)
        if drop_stopwords:
            stop = project_stopwords(preset) if stopwords is None else stopwords
            keep &= ~out["term"].isin(list(stop)).to_numpy()
        out = out[keep].reset_index(drop=True)
    if top is not None:
        out = out.head(top)
    out.attrs = {
        "reference": reference.attrs["source"],
        "reference_tokens": int(d),
        "target_tokens": int(c),
        "left_out": int(counts[~words].sum()),
        "absent": int(((out["count_reference"] == 0) & (out["key_for"] == "target")).sum()),
    }
    return out
