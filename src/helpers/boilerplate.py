"""Boilerplate and datelines: what each outlet repeats around its news, learned from the corpus.

Outlets wrap their articles in lines that are not news: app promotion ("download the latest
version of our app"), "اقرأ أيضا" links, bylines and source notes ("*نقلا عن ..."),
copyright and disclaimer lines, separators, and an opening dateline ("دبي، الإمارات
العربية المتحدة (CNN)-- "). Counted as words, they top every comparison of outlets. This
module finds them **from the corpus itself**, with no list of phrases, and removes them.

How lines are found (:func:`find_boilerplate`): every body is split into lines; each line
is normalised to a key (the ``search`` preset, lower case, digits as ``0``, runs of
separator characters shortened); per outlet (the ``source`` column; articles without one
form one group) it counts how many different **stories** carry the key. A key is
boilerplate when it has at most ``max_words`` words and recurs in at least
``max(min_articles, min_share x articles of the outlet)`` stories. A story is an article's
title (its key), or its longest line when it has no title: a story republished under
several categories or dates counts once, so its paragraphs are not taken for boilerplate,
whereas a promotion line glued under hundreds of different stories is.

How datelines are found: the opening of the first line up to the first dash or colon,
when it has at most ``max_dateline_words`` words, is a candidate. Its *shape* keeps the
words that open at least ``min_articles`` of the outlet's candidates and writes ``*`` for
the others ("واشنطن (cnn) -", "* (cnn) -"), so a new city in a known shape is still
recognised. Shapes found in at least ``max(min_articles, dateline_share x articles)``
articles of an outlet are its datelines.

Removal is :meth:`Boilerplate.remove` (or :func:`without_boilerplate`, which finds and
removes in one call, as notebooks 02, 03 and 05 do). These are the cleaning steps
``"boilerplate"`` and ``"dateline"`` (:data:`helpers.cleaning.CORPUS_STEPS`): unlike the
character steps of :func:`helpers.normalize` they need the corpus, so ``normalize`` refuses
them and ``helpers.clean_corpus(articles, steps=[...])`` runs them.

Everything is vectorised (Arrow string kernels, integer codes, NumPy and pandas groupby);
on the 31,525 articles of ANT finding and removing takes a few seconds
(``benchmarks/bench_boilerplate.py``).

>>> import pandas as pd
>>> promo = "حملوا تطبيقنا على هاتفكم"
>>> bodies = [f"خبر رقم {i} عن الطقس والمطر\\n{promo}" for i in range(4)]
>>> found = find_boilerplate(pd.DataFrame({"source": "X", "title": list("abcd"), "body": bodies}))
>>> found.lines["line"].tolist()
['حملوا تطبيقنا على هاتفكم']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import cleaning
from .cleaning import CORPUS_STEPS
from .textengine import CharTable, RegexSub, Trim, apply, to_arrow

__all__ = ["Boilerplate", "find_boilerplate", "without_boilerplate"]

#: The name of the group of articles that name no outlet.
NO_SOURCE = ""
# a run of separator characters ("-----", "*****", "=====") is one separator in a key
_RE2_SEPARATOR_RUN = r"[-_=*~.•·]{3,}"
# the opening segment of a body up to its first dash or colon (a dateline candidate):
# leading space, the segment (no sentence end, dash or colon, at most one line), the
# separator (two dashes or a long dash; a hyphen or a colon only when a space follows it,
# so that "كيم جونغ-أون" is no dateline), the space after it. For RE2.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015"
_RE2_DATELINE = (r"^(?P<opening>\s*(?P<segment>[^\n.!?\x{061F}:" + _DASHES + r"]{1,100}?)\s*"
                 r"(?P<separator>[" + _DASHES + r"]{2,}|[\x{2012}-\x{2015}]|[-\x{2010}\x{2011}:][ \t\x{00A0}])"
                 r"[ \t\x{00A0}]*)\S")


def _arrow(text: pd.Series) -> pa.Array:
    out = pa.array(text.astype("string[pyarrow]").fillna(""), type=pa.large_string())
    return out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out


# keys: Latin in lower case, every digit 0 (dates and counts in a footer do not matter)
_KEY_TABLE = CharTable({**{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)},
                        **{str(d): "0" for d in range(10)}})
_KEY_OPS = [_KEY_TABLE, RegexSub(_RE2_SEPARATOR_RUN, "---", triggers=rb"[-_=*~.]{3}"), Trim(" \t\n")]


def _keys(lines: pa.Array) -> pa.Array:
    """Line -> key: search-normalised, lower case, digits as 0, separator runs shortened."""
    text = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([lines])))
    out = to_arrow(apply(cleaning.normalize(text, preset="search"), _KEY_OPS)).combine_chunks()
    return pc.fill_null(out, "")


def _word_counts(keys: pa.Array) -> np.ndarray:
    """Words of each key (its spaces are single spaces once normalised)."""
    spaces = pc.count_substring(keys, " ").to_numpy(zero_copy_only=False)
    return np.where(pc.utf8_length(keys).to_numpy(zero_copy_only=False) > 0, spaces + 1, 0)


def _codes(keys: pa.Array) -> tuple[np.ndarray, pa.Array]:
    encoded = keys.dictionary_encode()
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary


def _groups(articles: pd.DataFrame, by: str) -> np.ndarray:
    """The outlet of each article; articles naming none (or no such column) form one group."""
    if by not in articles:
        return np.full(len(articles), NO_SOURCE, dtype=object)
    return articles[by].astype("string[pyarrow]").fillna(NO_SOURCE).str.strip().to_numpy(dtype=object)


@dataclass(frozen=True)
class _Lines:
    """Every line of every body: its text, article number, key code and word count."""

    text: pa.Array
    article: np.ndarray
    code: np.ndarray
    keys: pa.Array  # the distinct keys; ``code`` indexes them
    words: np.ndarray

    @classmethod
    def of(cls, body: pa.Array) -> "_Lines":
        lists = pc.split_pattern(body, "\n")
        counts = pc.list_value_length(lists).to_numpy(zero_copy_only=False).astype(np.int64)
        text = pc.list_flatten(lists)
        keys = _keys(text)
        encoded = keys.dictionary_encode()
        code = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        return cls(text, np.repeat(np.arange(len(body)), counts), code, encoded.dictionary,
                   _word_counts(keys))


def _drop_lines(body: pa.Array, lines: _Lines, drop: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """``body`` without the lines marked in ``drop``; how many lines each body lost.

    Only the bodies that lose a line are rebuilt (the others keep their text to the byte):
    their kept lines are joined by Arrow as list arrays, with no loop over rows.
    """
    removed = np.bincount(lines.article[drop], minlength=len(body))
    hit = np.flatnonzero(removed)
    if not len(hit):
        return body, removed
    mask = np.zeros(len(body), dtype=bool)
    mask[hit] = True
    keep = ~drop & mask[lines.article]
    kept = np.bincount(lines.article[keep], minlength=len(body))[hit]
    offsets = pa.array(np.r_[0, np.cumsum(kept)].astype(np.int64))
    lists = pa.LargeListArray.from_arrays(offsets, lines.text.filter(pa.array(keep)))
    rebuilt = pc.utf8_trim_whitespace(pc.binary_join(lists, pa.scalar("\n", pa.large_string())))
    return pc.replace_with_mask(body, pa.array(mask), rebuilt.cast(body.type)), removed


def _dateline_parts(body: pa.Array) -> tuple[np.ndarray, pa.Array, pa.Array]:
    """Which bodies open with a dateline candidate, its segment and its separator (- or :)."""
    parts = pc.extract_regex(body, _RE2_DATELINE)
    found = pc.is_valid(parts).to_numpy(zero_copy_only=False)
    seg = pc.fill_null(pc.struct_field(parts, [1]), "")
    sep = pc.if_else(pc.match_substring(pc.fill_null(pc.struct_field(parts, [2]), ":"), ":"), ":", "-")
    return found, seg, sep


def _shapes(seg_keys: pa.Array, sep: pa.Array, group: np.ndarray, known: frozenset | None,
            need: dict | None) -> tuple[np.ndarray, frozenset]:
    """Each candidate's shape: its last word or parenthesis (agency, city) and its separator.

    The last word is kept when it is one the outlet's openings end with again and again
    (``known``: (outlet, word) pairs), otherwise it is ``*``: "... (cnn) -", "... * -". With
    ``known`` None they are learned: words ending at least ``need[outlet]`` candidates.
    """
    spaced = pc.replace_substring(seg_keys, "(", " (")
    # the last word, or the last parenthesis as a whole: "(cnn)", "(ا ف ب)"
    last = pc.struct_field(pc.extract_regex(spaced, r"(?P<last>\([^()]*\)|\S+)\s*$"), [0])
    last = pc.fill_null(last, "").to_numpy(zero_copy_only=False).astype(object)
    if known is None:
        per = pd.Series(1, index=pd.MultiIndex.from_arrays([group, last])).groupby(level=[0, 1]).size()
        thresholds = per.index.get_level_values(0).map(need).to_numpy(dtype=float)
        known = frozenset(per.index[per.to_numpy() >= thresholds])
    keep = pd.MultiIndex.from_arrays([group, last]).isin(list(known)) if known else np.zeros(len(last), bool)
    shown = np.where(keep, last, "*")
    seps = sep.to_numpy(zero_copy_only=False).astype(object)
    return np.array(["... " + w + " " + p for w, p in zip(shown, seps)], dtype=object), known


def _needs(counts: pd.Series, min_articles: int, share: float) -> dict:
    """Per outlet, the articles a line or shape must recur in: ``max(min_articles, share x n)``."""
    return {k: max(min_articles, int(np.ceil(share * n))) for k, n in counts.items()}


@dataclass(frozen=True)
class Boilerplate:
    """What :func:`find_boilerplate` learned: per outlet, the recurring lines and datelines.

    Attributes:
        lines: one row per boilerplate line: ``source``, ``line`` (one writing of it),
            ``articles`` (articles carrying it), ``stories`` (different stories), ``share``
            (of the outlet's articles), ``words``, ``key`` (the normalised key).
        datelines: one row per dateline shape: ``source``, ``shape``, ``articles``,
            ``share``, ``example`` (one opening as written).
        outlets: per outlet, ``articles``, boilerplate ``lines`` and ``datelines`` found.
        by, column: the outlet and text columns it was learned on.
        words: the (outlet, word) pairs dateline shapes keep.
    """

    lines: pd.DataFrame
    datelines: pd.DataFrame
    outlets: pd.DataFrame
    by: str = "source"
    column: str = "body"
    words: frozenset = field(default_factory=frozenset, repr=False)

    def remove(self, articles: pd.DataFrame, *,
               steps: Iterable[str] = CORPUS_STEPS) -> pd.DataFrame:
        """The articles with the boilerplate lines and/or datelines taken out of ``column``.

        Args:
            articles: an articles frame (not modified); an outlet not seen when learning
                keeps its text.
            steps: ``"boilerplate"`` (lines), ``"dateline"`` or both.

        Returns:
            A new frame, same index and columns; only the changed texts differ.

        >>> df = pd.DataFrame({"title": list("abc"), "body": [f"خبر {w}\\nتابعونا" for w in "أبج"]})
        >>> find_boilerplate(df).remove(df)["body"].tolist()
        ['خبر أ', 'خبر ب', 'خبر ج']
        """
        return self._apply(articles, steps)[0]

    def removed(self, articles: pd.DataFrame, *, steps: Iterable[str] = CORPUS_STEPS) -> pd.DataFrame:
        """Per outlet, what :meth:`remove` takes out: ``articles``, ``articles_changed``,
        ``lines_removed``, ``datelines_removed``, ``chars_removed``."""
        return self._apply(articles, steps)[1]

    def table(self, top: int | None = 10) -> pd.DataFrame:
        """The boilerplate lines to show: the ``top`` most widespread of each outlet, no key."""
        shown = self.lines.drop(columns=["key"])
        if top is not None:
            shown = shown.groupby("source", sort=False).head(top)
        return shown.reset_index(drop=True)

    def _apply(self, articles: pd.DataFrame, steps: Iterable[str],
               lines: _Lines | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        steps = {steps} if isinstance(steps, str) else set(steps)
        unknown = steps - set(CORPUS_STEPS)
        if unknown:
            raise ValueError(f"unknown corpus step(s) {sorted(unknown)}; valid: {', '.join(CORPUS_STEPS)}")
        group = _groups(articles, self.by)
        body = _arrow(articles[self.column])
        before = pc.utf8_length(body).to_numpy(zero_copy_only=False)
        n_lines = np.zeros(len(body), dtype=np.int64)
        if "boilerplate" in steps and len(self.lines) and len(body):
            lines = lines if lines is not None else _Lines.of(body)
            body, n_lines = _drop_lines(body, lines, self._marks(lines, group))
        n_dates = np.zeros(len(body), dtype=bool)
        if "dateline" in steps and len(self.datelines) and len(body):
            body, n_dates = self._strip_datelines(body, group)
        out = articles.copy()
        changed = (n_lines > 0) | n_dates
        if changed.any():
            new = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([body.cast(pa.large_string())])),
                            index=articles.index)
            out[self.column] = articles[self.column].astype("string[pyarrow]").where(~changed, new)
        chars = before - pc.utf8_length(body).to_numpy(zero_copy_only=False)
        return out, _removal_table(group, n_lines, n_dates, chars)

    def _marks(self, lines: _Lines, group: np.ndarray) -> np.ndarray:
        """Which lines are boilerplate of their own outlet."""
        suspect = pd.Index(self.lines["key"]).get_indexer(lines.keys.to_numpy(zero_copy_only=False)) >= 0
        rows = np.flatnonzero(suspect[lines.code])
        keys = lines.keys.take(pa.array(lines.code[rows])).to_numpy(zero_copy_only=False)
        found = pd.MultiIndex.from_arrays([group[lines.article[rows]], keys]).isin(
            pd.MultiIndex.from_frame(self.lines[["source", "key"]]))
        drop = np.zeros(len(lines.code), dtype=bool)
        drop[rows[found]] = True
        return drop

    def _strip_datelines(self, body: pa.Array, group: np.ndarray) -> tuple[pa.Array, np.ndarray]:
        found, seg, sep = _dateline_parts(body)
        rows = np.flatnonzero(found)
        mask = np.zeros(len(body), dtype=bool)
        if not len(rows):
            return body, mask
        take = pa.array(rows)
        shapes, _ = _shapes(_keys(seg.take(take)), sep.take(take), group[rows], self.words, None)
        hit = pd.MultiIndex.from_arrays([group[rows], shapes]).isin(
            pd.MultiIndex.from_frame(self.datelines[["source", "shape"]]))
        mask[rows[hit]] = True
        if not mask.any():
            return body, mask
        opening = pc.struct_field(pc.extract_regex(body.filter(pa.array(mask)), _RE2_DATELINE), [0])
        rest = pc.utf8_slice_codeunits(body.filter(pa.array(mask)), 0)  # a copy to cut from
        cut = pc.utf8_length(opening).to_numpy(zero_copy_only=False)
        stripped = pa.array([t[c:] for t, c in zip(rest.to_pylist(), cut)], type=body.type)
        return pc.replace_with_mask(body, pa.array(mask), stripped), mask


def _removal_table(group: np.ndarray, lines: np.ndarray, dates: np.ndarray, chars: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame({"source": pd.Series(group, dtype=object), "articles": 1,
                          "articles_changed": ((lines > 0) | dates).astype(np.int64),
                          "lines_removed": lines.astype(np.int64),
                          "datelines_removed": dates.astype(np.int64),
                          "chars_removed": chars.astype(np.int64)})
    return frame.groupby("source", sort=True).sum().reset_index()


def find_boilerplate(
    articles: pd.DataFrame,
    *,
    column: str = "body",
    by: str = "source",
    min_articles: int = 3,
    min_share: float = 0.005,
    max_words: int = 30,
    dateline_share: float = 0.05,
    max_dateline_words: int = 8,
) -> Boilerplate:
    """Learn, per outlet, the lines and datelines its articles repeat.

    Args:
        articles: the articles frame (``body``; ``title`` and ``source`` when there are).
        column: the text column searched.
        by: the column naming the outlet; missing values (or no such column) form one group.
        min_articles: a line must recur in at least this many different stories, a dateline
            shape in this many articles (3 works from a few dozen articles up).
        min_share: ... and a line in at least this share of the outlet's articles (0.005:
            20 of BBC's 3,815 on ANT), so that a large outlet needs more than coincidence.
        max_words: longer lines are content, never boilerplate.
        dateline_share: a dateline shape must open at least this share of the outlet's
            articles, and a word of it must open this share to be kept in the shape.
        max_dateline_words: longer openings before a dash or colon are not datelines.

    Returns:
        A :class:`Boilerplate`: its ``lines``, ``datelines`` and ``outlets`` tables, and
        ``remove(articles)``.

    >>> df = pd.DataFrame({"title": list("abc"), "body": [f"القاهرة (وكالة) - خبر {w}" for w in "أبج"]})
    >>> find_boilerplate(df).datelines["shape"].tolist()
    ['القاهره (وكاله) -']
    """
    group = _groups(articles, by)
    body = _arrow(articles[column])
    per_outlet = pd.Series(group, dtype=object).value_counts()
    lines = _Lines.of(body)
    story = _stories(articles, lines)
    frame = pd.DataFrame({"source": group[lines.article], "key": lines.code, "article": lines.article,
                          "story": story[lines.article], "words": lines.words,
                          "row": np.arange(len(lines.code))})
    frame = frame[(lines.words > 0) & (lines.words <= max_words)]
    stats = frame.drop_duplicates(["article", "key"]).groupby(["source", "key"], sort=False).agg(
        articles=("article", "size"), stories=("story", "nunique"), words=("words", "first"),
        row=("row", "first")).reset_index()
    need = stats["source"].map(_needs(per_outlet, min_articles, min_share)).to_numpy()
    found = stats[stats["stories"].to_numpy() >= need].copy()
    found["line"] = pc.utf8_trim_whitespace(lines.text.take(pa.array(found["row"].to_numpy()))).to_pylist()
    found["key"] = lines.keys.take(pa.array(found["key"].to_numpy())).to_pylist()
    found["share"] = found["articles"] / found["source"].map(per_outlet).to_numpy()
    found = (found.sort_values(["source", "articles", "key"], ascending=[True, False, True])
             [["source", "line", "articles", "stories", "share", "words", "key"]].reset_index(drop=True))

    # datelines, learned on the bodies without their boilerplate lines
    learned = Boilerplate(lines=found, datelines=_empty_datelines(), outlets=pd.DataFrame(), by=by,
                          column=column)
    cleaned = learned._apply(articles, ["boilerplate"], lines)[0]
    datelines, words = _find_datelines(_arrow(cleaned[column]), group, per_outlet, min_articles,
                                       dateline_share, max_dateline_words)
    outlets = pd.DataFrame({"source": per_outlet.index.astype(object), "articles": per_outlet.to_numpy()})
    outlets["lines"] = outlets["source"].map(found["source"].value_counts()).fillna(0).astype(np.int64)
    outlets["datelines"] = outlets["source"].map(datelines["source"].value_counts()).fillna(0).astype(np.int64)
    outlets = outlets.sort_values("source").reset_index(drop=True)
    return Boilerplate(lines=found, datelines=datelines, outlets=outlets, by=by, column=column,
                       words=words)


def _empty_datelines() -> pd.DataFrame:
    return pd.DataFrame({"source": pd.Series(dtype=object), "shape": pd.Series(dtype=object),
                         "articles": pd.Series(dtype=np.int64), "share": pd.Series(dtype=float),
                         "example": pd.Series(dtype=object)})


def _stories(articles: pd.DataFrame, lines: _Lines) -> np.ndarray:
    """A code per article for its story: its title's key, or its longest line's key.

    Copies of one story (republished, or filed under several categories) share the code,
    so their paragraphs count once however often the story was stored.
    """
    n = len(articles)
    longest = np.full(n, -1, dtype=np.int64)
    if len(lines.code):
        order = np.lexsort((-lines.words, lines.article))
        firsts = order[np.r_[True, lines.article[order][1:] != lines.article[order][:-1]]]
        longest[lines.article[firsts]] = lines.code[firsts]
    if "title" not in articles:
        return longest
    # titles as written once normalised (digits kept: "الجولة 3" and "الجولة 4" are two stories)
    titles = pc.utf8_trim_whitespace(to_arrow(cleaning.normalize(articles["title"].astype("string[pyarrow]")
                                                                 .fillna(""), preset="search")))
    titles = titles.combine_chunks() if isinstance(titles, pa.ChunkedArray) else titles
    codes = titles.dictionary_encode().indices.to_numpy(zero_copy_only=False).astype(np.int64)
    has_title = pc.utf8_length(titles).to_numpy(zero_copy_only=False) > 0
    # titles after the line codes: one code space for both
    return np.where(has_title, codes + len(lines.keys), longest)


def _find_datelines(body: pa.Array, group: np.ndarray, per_outlet: pd.Series, min_articles: int,
                    share: float, max_words: int) -> tuple[pd.DataFrame, frozenset]:
    found, seg, sep = _dateline_parts(body)
    seg_keys = _keys(seg)
    rows = np.flatnonzero(found & (_word_counts(seg_keys) <= max_words) & (_word_counts(seg_keys) > 0))
    if not len(rows):
        return _empty_datelines(), frozenset()
    take = pa.array(rows)
    need = _needs(per_outlet, min_articles, share)
    shapes, words = _shapes(seg_keys.take(take), sep.take(take), group[rows], None, need)
    frame = pd.DataFrame({"source": group[rows], "shape": shapes,
                          "example": pc.utf8_trim_whitespace(seg.take(take)).to_numpy(zero_copy_only=False)})
    stats = frame.groupby(["source", "shape"], sort=False).agg(
        articles=("example", "size"), example=("example", "first")).reset_index()
    stats = stats[stats["articles"].to_numpy() >= stats["source"].map(need).to_numpy()]
    # unknown words before a colon are too often a quote or a headline, a number before a
    # dash a list or a score
    stats = stats[~stats["shape"].isin(["... * :"]) & ~stats["shape"].str.match(r"\.\.\. 0+ ")]
    stats["share"] = stats["articles"] / stats["source"].map(per_outlet).to_numpy()
    stats = stats.sort_values(["source", "articles", "shape"], ascending=[True, False, True])
    return stats[["source", "shape", "articles", "share", "example"]].reset_index(drop=True), words


def without_boilerplate(
    articles: pd.DataFrame,
    *,
    enabled: bool = True,
    steps: Iterable[str] = CORPUS_STEPS,
    **options,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Find the corpus's boilerplate lines and datelines and take them out, in one call.

    Args:
        articles: the articles frame (not modified).
        enabled: ``False`` gives the articles back unchanged (a notebook parameter).
        steps: ``"boilerplate"``, ``"dateline"`` or both.
        **options: thresholds of :func:`find_boilerplate`.

    Returns:
        ``(articles, removed)``: the cleaned articles and, per outlet, what was taken out
        (``articles``, ``articles_changed``, ``lines_removed``, ``datelines_removed``,
        ``chars_removed``; no rows when ``enabled`` is false).

    >>> df = pd.DataFrame({"title": list("abc"), "body": [f"خبر {w}\\nتابعونا" for w in "أبج"]})
    >>> without_boilerplate(df)[1]["lines_removed"].tolist()
    [3]
    """
    if not enabled:
        empty = np.array([], dtype=np.int64)
        return articles, _removal_table(np.array([], dtype=object), empty, empty.astype(bool), empty)
    return find_boilerplate(articles, **options)._apply(articles, steps)
