"""Normalising Arabic text: one small function per step, and ``normalize`` to run several.

Every function takes a ``str`` or a pandas Series and returns the same kind. A Series keeps
its index and name, is never modified in place, keeps missing values missing, and comes back
as ``string[pyarrow]`` (``pd.StringDtype("pyarrow")``) whatever text dtype it had (object,
``string[python]``, ``string[pyarrow]`` or pandas' default ``str``).

Each step is a short list of operations of the Arrow text engine
(:mod:`helpers.textengine`), which runs them on a str or a whole column. The Series path is
vectorised. The character steps (everything that maps single characters, e.g. diacritics,
alef, digits, presentation forms, spaces) are merged into one translation table and applied
over the column's UTF-8 bytes with NumPy, in cache-sized blocks of rows: no loop in Python
over the rows, and 2.2-2.7x the throughput of camel-tools applied per article
(``benchmarks/bench_normalize.py``), with identical output. Measured alternatives were
slower: ``pyarrow.compute`` replace passes (0.8-1.1x camel), ``str.translate`` per article
and ``Series.str.translate`` (0.2-0.3x). Regex steps (whitespace, URLs, e-mails, tags) run
in C++ over the whole column through ``pyarrow.compute.replace_substring_regex`` (RE2); the
patterns are written so that RE2 and Python's ``re`` read them the same way, so ``str`` and
Series give the same result (checked by property tests). Only ``html`` calls Python per row,
and only on rows holding ``<`` or ``&``.

Presets: ``display`` = presentation_forms, bidi_controls, whitespace (only what is invisible or
corrupting; folded presentation forms render the same); ``search`` = display + diacritics,
tatweel, alef, alef_maksura, teh_marbuta, digits. ``hamza``, ``punctuation``, ``html``,
``urls`` and ``emails`` are in no preset.

Steps always run in the canonical order of :data:`STEPS` (the order they are given in does
not matter)::

    html, presentation_forms, bidi_controls, diacritics, tatweel, alef, alef_maksura,
    teh_marbuta, hamza, digits, emails, urls, punctuation, whitespace

``html`` runs first because entities can produce any character; presentation forms and
invisible controls next, so that the letter steps see base letters; e-mails and URLs after the
letter steps (a URL hidden by a zero-width space or a tatweel is still found); ``whitespace``
last, to tidy what the others leave. With this order every preset and every single step is
idempotent (``normalize(normalize(x)) == normalize(x)``, checked by property tests).

>>> normalize("الْعَرَبِيَّةُ", preset="search")
'العربيه'
"""

from __future__ import annotations

import html as _html
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

import pandas as pd
import pyarrow.compute as pc

from . import resources as R
from .textengine import CharTable, PerRow, RegexSub, Text, Trim, apply, merge_tables, to_arrow

__all__ = [
    "normalize",
    "STEPS",
    "PRESETS",
    "CORPUS_STEPS",
    "remove_html",
    "fold_presentation_forms",
    "remove_bidi_controls",
    "remove_diacritics",
    "remove_tatweel",
    "normalize_alef",
    "normalize_alef_maksura",
    "normalize_teh_marbuta",
    "normalize_hamza",
    "normalize_digits",
    "to_arabic_indic_digits",
    "remove_emails",
    "remove_urls",
    "normalize_punctuation",
    "normalize_whitespace",
    "count_presentation_forms",
]

_PRESENTATION_CLASS = "[" + "".join(f"{lo}-{hi}" for lo, hi in R.PRESENTATION_FORMS_RANGES) + "]"
_RE_PRESENTATION = re.compile(_PRESENTATION_CLASS)


# ---------------------------------------------------------------------------------------
# the steps
# ---------------------------------------------------------------------------------------
def _presentation_forms_table() -> dict[str, str]:
    table = {}
    for lo, hi in R.PRESENTATION_FORMS_RANGES:
        for cp in range(ord(lo), ord(hi) + 1):
            ch = chr(cp)
            folded = R.PRESENTATION_FORMS_OVERRIDES.get(ch, unicodedata.normalize("NFKC", ch))
            if folded != ch:
                table[ch] = folded
    return table


_DIACRITICS = CharTable.deleting(R.DIACRITICS)
_TATWEEL = CharTable.deleting(R.ARABIC_TATWEEL)
_ALEF = CharTable({c: R.ARABIC_LETTER_ALEF for c in R.ALEF_VARIANTS})
_ALEF_MAKSURA = CharTable({R.ARABIC_LETTER_ALEF_MAKSURA: R.ARABIC_LETTER_YEH})
_TEH_MARBUTA = CharTable({R.ARABIC_LETTER_TEH_MARBUTA: R.ARABIC_LETTER_HEH})
_HAMZA = CharTable({c: R.ARABIC_LETTER_HAMZA for c in R.HAMZA_CARRIERS})
_DIGITS = CharTable(R.TO_ASCII_DIGITS)
_TO_ARABIC_INDIC = CharTable(R.TO_ARABIC_INDIC_DIGITS)
_PRESENTATION = CharTable(_presentation_forms_table())
_BIDI = CharTable.deleting(R.BIDI_CONTROLS)
_BIDI_AND_JOINERS = CharTable.deleting(R.BIDI_CONTROLS + R.JOINERS)
_PUNCT_ASCII = CharTable(R.ARABIC_PUNCTUATION)
_PUNCT_REMOVE = CharTable({c: " " for c in R.ARABIC_PUNCTUATION})
_EMAILS = RegexSub(R.EMAIL_PATTERN, "", triggers=rb"@")
_URLS = RegexSub(R.URL_PATTERN, "", triggers=rb"://|(?i:www\.)")
_PRESENTATION_FOLDABLE_CLASS = "[" + "".join(sorted(_PRESENTATION.mapping)) + "]"
_RE_PRESENTATION_FOLDABLE = re.compile(_PRESENTATION_FOLDABLE_CLASS)

_RE_HTML_BLOCK = re.compile(R.HTML_BLOCK_TAG_PATTERN)
_RE_HTML_TAG = re.compile(R.HTML_TAG_PATTERN)


def _entity(match: re.Match) -> str:
    found = match.group(0)
    if not found.endswith("\u061b"):
        return _html.unescape(found)
    ref = found[:-1] + ";"
    out = _html.unescape(ref)
    return out if out != ref else _html.unescape(found[:-1]) + "\u061b"


def _strip_html(text: str) -> str:
    """Tags out (block tags become line breaks), entities decoded, until nothing changes."""
    while True:
        out = _RE_HTML_BLOCK.sub("\n", text)
        out = _RE_HTML_TAG.sub("", out)
        out = R.RE_HTML_ENTITY.sub(_entity, out)
        if out == text:
            return out
        text = out


def _whitespace_ops(keep_newlines: bool) -> list:
    # the table first (it does not touch CR or LF), so it merges with the steps before it
    ops = [
        CharTable({**{c: " " for c in R.SPACES}, **{c: "\n" for c in R.LINE_BREAKS}}),
        RegexSub(R.CARRIAGE_RETURN_PATTERN, "\n", triggers=rb"\r"),
    ]
    if keep_newlines:
        ops.append(RegexSub(R.WHITESPACE_RUN_PATTERN, R.WHITESPACE_RUN_REPL,
                          triggers=rb"  |\n\n|\n | \n", py_steps=R.WHITESPACE_RUN_STEPS))
    else:
        ops.append(RegexSub(R.ANY_SPACE_RUN_PATTERN, " ", triggers=rb"  |\n"))
    ops.append(Trim(" \n"))
    return ops


def _step_ops(name: str, *, punctuation: str = "ascii", keep_newlines: bool = True,
              keep_joiners: bool = False) -> list:
    if name == "html":
        return [PerRow(_strip_html, "[<&]")]
    if name == "presentation_forms":
        return [_PRESENTATION]
    if name == "bidi_controls":
        return [_BIDI if keep_joiners else _BIDI_AND_JOINERS]
    if name == "punctuation":
        if punctuation not in ("ascii", "remove"):
            raise ValueError(f"punctuation must be 'ascii' or 'remove', not {punctuation!r}")
        return [_PUNCT_ASCII if punctuation == "ascii" else _PUNCT_REMOVE]
    if name == "whitespace":
        return _whitespace_ops(keep_newlines)
    return [_FIXED_OPS[name]]


_FIXED_OPS = {
    "diacritics": _DIACRITICS,
    "tatweel": _TATWEEL,
    "alef": _ALEF,
    "alef_maksura": _ALEF_MAKSURA,
    "teh_marbuta": _TEH_MARBUTA,
    "hamza": _HAMZA,
    "digits": _DIGITS,
    "emails": _EMAILS,
    "urls": _URLS,
}


def remove_html(text: Text) -> Text:
    """Remove HTML tags and decode character references.

    Block tags (``<br>``, ``<p>``, ``<div>``, ``<li>``, ``<h1>``...) become line breaks, other
    tags disappear, entities are decoded (``&amp;`` -> ``&``); repeated until nothing changes,
    so double-escaped markup is fully removed. ``a < b`` is text, not a tag.

    Args:
        text: a str or a Series of str.

    Returns:
        The same kind, without markup.

    >>> remove_html("<b>مصر</b> &amp; الأردن")
    'مصر & الأردن'
    """
    return apply(text, _step_ops("html"))


def fold_presentation_forms(text: Text) -> Text:
    """Fold Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF) back to base letters.

    NFKC restricted to those two blocks: contextual letter forms become the letter, ligatures
    become their letters (ﻻ -> لا, ﷲ -> الله), spacing harakat become a space plus the mark;
    except ﷼ -> ريال (with Arabic yeh) and ﷽ -> بسم الله الرحمن الرحيم, as camel_tools does.
    U+FEFF (the byte-order mark) is left to :func:`remove_bidi_controls`.

    Args:
        text: a str or a Series of str.

    Returns:
        The same kind, in base letters. Count what was found with
        :func:`count_presentation_forms`.

    >>> fold_presentation_forms("ﻣﺼﺮ ﻻ")
    'مصر لا'
    """
    return apply(text, [_PRESENTATION])


def remove_bidi_controls(text: Text, *, keep_joiners: bool = False) -> Text:
    """Remove invisible bidi controls and zero-width characters.

    Removed: LRM, RLM, ALM, the embeddings and overrides (LRE, RLE, PDF, LRO, RLO), the
    isolates (LRI, RLI, FSI, PDI), ZERO WIDTH SPACE, WORD JOINER, the BOM/ZWNBSP, SOFT HYPHEN,
    and by default ZWNJ and ZWJ too: in Arabic news they are stray characters that split words
    (ANT: ``ب\\u200dعقوبة``). They are meaningful in Persian and Urdu (می‌خواهم) and in emoji
    sequences: pass ``keep_joiners=True`` for such text.

    Args:
        text: a str or a Series of str.
        keep_joiners: keep ZWNJ (U+200C) and ZWJ (U+200D).

    Returns:
        The same kind, without the invisible characters.

    >>> remove_bidi_controls("\\u200fمصر\\u200c")
    'مصر'
    """
    return apply(text, _step_ops("bidi_controls", keep_joiners=keep_joiners))


def remove_diacritics(text: Text) -> Text:
    """Remove Arabic diacritics: fathatan .. sukun (U+064B-U+0652) and dagger alef (U+0670).

    The set is exactly camel_tools' ``AR_DIAC_CHARSET`` (output identical to ``dediac_ar``).
    Other marks (U+0653-U+065F such as maddah or hamza above, Quranic annotation signs
    U+06D6-U+06ED) are kept, as in camel_tools. Loses information (vocalisation).

    Args:
        text: a str or a Series of str.

    Returns:
        The same kind, without diacritics.

    >>> remove_diacritics("مَدْرَسَةٌ")
    'مدرسة'
    """
    return apply(text, [_DIACRITICS])


def remove_tatweel(text: Text) -> Text:
    """Remove tatweel (kashida, U+0640), the stretching character.

    >>> remove_tatweel("مـــصر")
    'مصر'
    """
    return apply(text, [_TATWEEL])


def normalize_alef(text: Text) -> Text:
    """Fold alef with madda, hamza above, hamza below and wasla (آ أ إ ٱ) to bare alef ا.

    Same set as camel_tools' ``normalize_alef_ar``. Loses information (hamza spelling).

    >>> normalize_alef("أإآٱ")
    'اااا'
    """
    return apply(text, [_ALEF])


def normalize_alef_maksura(text: Text) -> Text:
    """Fold alef maksura ى to yeh ي (camel_tools' ``normalize_alef_maksura_ar``).

    >>> normalize_alef_maksura("على")
    'علي'
    """
    return apply(text, [_ALEF_MAKSURA])


def normalize_teh_marbuta(text: Text) -> Text:
    """Fold teh marbuta ة to heh ه (camel_tools' ``normalize_teh_marbuta_ar``).

    >>> normalize_teh_marbuta("مدرسة")
    'مدرسه'
    """
    return apply(text, [_TEH_MARBUTA])


def normalize_hamza(text: Text) -> Text:
    """Fold hamza on waw and on yeh (ؤ ئ) to the bare hamza ء. Optional; in no preset.

    Loses information: مسؤول and مسءول become the same word.

    >>> normalize_hamza("مسؤول قائد")
    'مسءول قاءد'
    """
    return apply(text, [_HAMZA])


def normalize_digits(text: Text) -> Text:
    """Turn Arabic-Indic (٠-٩) and Persian (۰-۹) digits into ASCII digits 0-9.

    Separators (٫ ٬) are left alone: in news they are often used as punctuation.

    >>> normalize_digits("عام ٢٠٢٤ و۱۴۰۳")
    'عام 2024 و1403'
    """
    return apply(text, [_DIGITS])


def to_arabic_indic_digits(text: Text) -> Text:
    """Turn ASCII digits 0-9 into Arabic-Indic digits ٠-٩ (the reverse of the digits step).

    >>> to_arabic_indic_digits("2024")
    '٢٠٢٤'
    """
    return apply(text, [_TO_ARABIC_INDIC])


def remove_emails(text: Text) -> Text:
    """Remove e-mail addresses (ASCII ``local@domain.tld``).

    >>> remove_emails("راسلونا على info@example.com اليوم")
    'راسلونا على  اليوم'
    """
    return apply(text, [_EMAILS])


def remove_urls(text: Text) -> Text:
    """Remove URLs (``http://``, ``https://``, ``ftp://`` or ``www.``); a final punctuation
    mark (``. , ; : ! ? ، ؛ ؟ ) ] } » '``) is kept as text.

    >>> remove_urls("المصدر: https://example.com/a?b=1.")
    'المصدر: .'
    """
    return apply(text, [_URLS])


def normalize_punctuation(text: Text, *, mode: str = "ascii") -> Text:
    """Turn the Arabic comma, semicolon and question mark (، ؛ ؟) into ``, ; ?`` or remove them.

    Args:
        text: a str or a Series of str.
        mode: ``"ascii"`` (default) or ``"remove"``: each mark becomes a space, so words
            never run together (the ``whitespace`` step then collapses the spaces).

    Returns:
        The same kind.

    >>> normalize_punctuation("نعم، لا؟")
    'نعم, لا?'
    """
    return apply(text, _step_ops("punctuation", punctuation=mode))


def normalize_whitespace(text: Text, *, keep_newlines: bool = True) -> Text:
    """Tidy whitespace: one space between words, sensible line and paragraph breaks.

    No-break and other Unicode spaces and tabs become a space; CR LF, CR, NEL, LINE and
    PARAGRAPH SEPARATOR become LF; runs of spaces become one; spaces around a line break go;
    two or more line breaks become one blank line (``\\n\\n``: a paragraph break), a single
    one stays; leading and trailing whitespace goes. With ``keep_newlines=False`` every run
    of whitespace becomes one space.

    Args:
        text: a str or a Series of str.
        keep_newlines: keep line and paragraph breaks.

    Returns:
        The same kind.

    >>> normalize_whitespace("  مصر\\u00a0 والأردن \\n\\n\\n سوريا ")
    'مصر والأردن\\n\\nسوريا'
    """
    return apply(text, _whitespace_ops(keep_newlines))


#: Every step, by name, in the canonical order ``normalize`` runs them.
STEPS: dict[str, Callable[..., Text]] = {
    "html": remove_html,
    "presentation_forms": fold_presentation_forms,
    "bidi_controls": remove_bidi_controls,
    "diacritics": remove_diacritics,
    "tatweel": remove_tatweel,
    "alef": normalize_alef,
    "alef_maksura": normalize_alef_maksura,
    "teh_marbuta": normalize_teh_marbuta,
    "hamza": normalize_hamza,
    "digits": normalize_digits,
    "emails": remove_emails,
    "urls": remove_urls,
    "punctuation": normalize_punctuation,
    "whitespace": normalize_whitespace,
}

#: Named step lists. ``display`` only removes what is invisible or corrupting (presentation
#: forms render the same once folded, and break search and shaping) and tidies whitespace:
#: safe for showing text. ``search`` adds the letter normalisations for matching and counting.
PRESETS: dict[str, tuple[str, ...]] = {
    "display": ("presentation_forms", "bidi_controls", "whitespace"),
    "search": (
        "presentation_forms", "bidi_controls", "diacritics", "tatweel", "alef",
        "alef_maksura", "teh_marbuta", "digits", "whitespace",
    ),
}


#: Cleaning steps that need the whole corpus, not one string: lines an outlet repeats across
#: its articles (``boilerplate``) and its opening datelines (``dateline``). They are learned
#: by :func:`helpers.find_boilerplate` and run by ``Boilerplate.remove`` or
#: ``helpers.clean_corpus(articles, steps=[...])``; :func:`normalize` refuses them.
CORPUS_STEPS: tuple[str, ...] = ("boilerplate", "dateline")


def resolve_steps(steps: Iterable[str] | str | None = None, preset: str | None = None) -> tuple[str, ...]:
    """The step names ``normalize`` runs for ``steps`` and ``preset``, in canonical order.

    >>> resolve_steps(["whitespace", "alef"])
    ('alef', 'whitespace')
    """
    chosen: set[str] = set()
    if preset is not None:
        if preset not in PRESETS:
            raise ValueError(f"unknown preset {preset!r}; valid presets: {', '.join(PRESETS)}")
        chosen.update(PRESETS[preset])
    if isinstance(steps, str):
        steps = [steps]
    for step in steps or ():
        if step in CORPUS_STEPS:
            raise ValueError(
                f"{step!r} is a corpus step: what an outlet repeats is learned from all its "
                "articles, so it cannot run on bare strings. Use "
                "helpers.find_boilerplate(articles).remove(articles), "
                f"helpers.remove_boilerplate(articles) or helpers.clean_corpus(articles, steps=[{step!r}])")
        if step not in STEPS:
            raise ValueError(f"unknown step {step!r}; valid steps: {', '.join(STEPS)}")
        chosen.add(step)
    return tuple(s for s in STEPS if s in chosen)


@lru_cache(maxsize=64)
def _pipeline(names: tuple[str, ...], punctuation: str, keep_newlines: bool, keep_joiners: bool) -> list:
    ops: list = []
    for name in names:
        ops += _step_ops(name, punctuation=punctuation, keep_newlines=keep_newlines,
                         keep_joiners=keep_joiners)
    return merge_tables(ops)


def normalize(
    text: Text,
    steps: Iterable[str] | str | None = None,
    preset: str | None = None,
    *,
    punctuation: str = "ascii",
    keep_newlines: bool = True,
    keep_joiners: bool = False,
) -> Text:
    """Normalise Arabic text with the given steps and/or preset, in canonical order.

    Args:
        text: a str or a pandas Series of str (object, ``string`` or ``str`` dtype).
        steps: step names (see :data:`STEPS`), added to the preset's.
        preset: ``"display"`` or ``"search"`` (see :data:`PRESETS`). With neither steps nor
            preset the text comes back unchanged (as ``string[pyarrow]`` for a Series).
        punctuation: ``"ascii"`` or ``"remove"`` for the ``punctuation`` step.
        keep_newlines: for the ``whitespace`` step.
        keep_joiners: keep ZWNJ/ZWJ in the ``bidi_controls`` step (Persian, Urdu, emoji).

    Returns:
        A str for a str; for a Series, a new ``string[pyarrow]`` Series with the same index
        and name, missing values still missing.

    Raises:
        ValueError: an unknown step or preset (the message lists the valid names), or a
            corpus step (:data:`CORPUS_STEPS`: ``boilerplate``, ``dateline``), which needs
            the articles (the message says how to run it).

    >>> normalize("إلى المدرسةِ", steps=["diacritics", "alef", "alef_maksura", "teh_marbuta"])
    'الي المدرسه'
    """
    names = resolve_steps(steps, preset)
    return apply(text, _pipeline(names, punctuation, keep_newlines, keep_joiners))


def count_presentation_forms(text: Text, *, foldable_only: bool = False) -> Any:
    """Count the characters from the Arabic presentation-form blocks in the text.

    Args:
        text: a str or a Series of str.
        foldable_only: count only the characters :func:`fold_presentation_forms` changes
            (leaves out U+FEFF, the byte-order mark that sits at the end of the block, and
            the few code points with no base-letter equivalent).

    Returns:
        An int for a str; an ``Int64`` Series (same index, missing stays missing) for a Series.

    >>> count_presentation_forms("ﻣﺼﺮ")
    3
    """
    rx = _RE_PRESENTATION_FOLDABLE if foldable_only else _RE_PRESENTATION
    if isinstance(text, str):
        return len(rx.findall(text))
    if isinstance(text, pd.Series):
        counts = pc.count_substring_regex(to_arrow(text), rx.pattern)
        return pd.Series(pd.arrays.ArrowExtensionArray(counts), index=text.index,
                         name=text.name, copy=False).astype("Int64")
    raise TypeError(f"expected a str or a pandas Series, got {type(text).__name__}")
