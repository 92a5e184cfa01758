"""Which record field feeds which column: the field names recognised in JSON, CSV/TSV,
Excel, Parquet and TREC records (:data:`FIELD_ALIASES`, English and Arabic), matched with
case, separators and Arabic spelling variants folded (:func:`norm_key`), with a user's
``mapping=`` first (:func:`resolve_fields`); and, for records with no title or body field,
the skip reason naming the fields seen and a ``mapping=`` that would load them
(:func:`unmapped_reason`).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .. import resources as R

#: Field names recognised in JSON, CSV/TSV, Excel, Parquet and TREC records, by column, in
#: order of preference. Matching ignores case, spaces, dashes and dots (``Head-Line`` =
#: ``head_line``); in Arabic names also the hamza and alef forms, ta marbuta / ha, alef
#: maqsura / ya, tatweel, diacritics and a leading definite article (``العنوان`` =
#: ``عنوان``, ``تاريخ النشر`` = ``تاريخ_نشر``, ``الرابط الإلكتروني`` = ``رابط الالكتروني``).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "docno", "doc_id", "docid", "article_id", "guid", "uuid", "identifier",
           "المعرف", "الرقم", "رقم الخبر"),
    "source": ("source", "site", "src", "source_name", "publisher", "outlet", "website",
               "newspaper", "المصدر", "الموقع", "الصحيفة", "الجريدة", "الناشر"),
    "category": ("category", "cat", "section", "categories", "topic", "class", "label",
                 "القسم", "التصنيف", "الفئة", "الباب"),
    "date": ("date", "published", "date_extracted", "published_at", "publish_date",
             "pubdate", "date_published", "datetime", "time", "timestamp", "created_at",
             "التاريخ", "تاريخ النشر", "تاريخ الخبر"),
    "title": ("title", "headline", "head_line", "heading", "hl", "العنوان", "عنوان الخبر"),
    "body": ("body", "content", "text", "article", "article_body", "articlebody", "story",
             "full_text", "النص", "المحتوى", "المتن", "الخبر", "نص الخبر", "نص المقال",
             "المقال"),
    "url": ("url", "link", "href", "permalink", "uri", "الرابط", "الرابط الإلكتروني",
            "رابط الخبر"),
    "author": ("author", "authors", "byline", "writer", "الكاتب", "المؤلف", "المحرر"),
    "abstract": ("abstract", "summary", "description", "lead", "teaser", "excerpt",
                 "الملخص", "المقدمة"),
    "dateline": ("dateline",),
}
MAPPABLE = tuple(FIELD_ALIASES)


#: Arabic spelling variants folded in field names (:func:`norm_key`), and marks dropped.
_KEY_FOLD = str.maketrans({
    "\u0622": "\u0627",  # ARABIC LETTER ALEF WITH MADDA ABOVE -> ALEF
    "\u0623": "\u0627",  # ARABIC LETTER ALEF WITH HAMZA ABOVE -> ALEF
    "\u0625": "\u0627",  # ARABIC LETTER ALEF WITH HAMZA BELOW -> ALEF
    "\u0671": "\u0627",  # ARABIC LETTER ALEF WASLA -> ALEF
    "\u0624": "\u0648",  # ARABIC LETTER WAW WITH HAMZA ABOVE -> WAW
    "\u0626": "\u064a",  # ARABIC LETTER YEH WITH HAMZA ABOVE -> YEH
    "\u0649": "\u064a",  # ARABIC LETTER ALEF MAKSURA -> YEH
    "\u06cc": "\u064a",  # ARABIC LETTER FARSI YEH -> YEH
    "\u06a9": "\u0643",  # ARABIC LETTER KEHEH -> KAF
    "\u0629": "\u0647",  # ARABIC LETTER TEH MARBUTA -> HEH
    "\u0640": None,       # ARABIC TATWEEL
    "\u0670": None,       # ARABIC LETTER SUPERSCRIPT ALEF
    **{chr(c): None for c in range(0x064B, 0x0656)},  # FATHATAN .. HAMZA BELOW (marks)
    "\u061c": None,       # ARABIC LETTER MARK
    **{chr(c): None for c in range(0x200B, 0x2010)},  # ZERO WIDTH SPACE .. RIGHT-TO-LEFT MARK
    "\ufeff": None,       # ZERO WIDTH NO-BREAK SPACE (byte-order mark)
})
#: The definite article ``ال`` (repeated, as in ``الالكتروني``) opening a word of a field
#: name, when at least two letters follow.
_RE_KEY_ARTICLE = re.compile("(?:^|(?<=_))(?:\u0627\u0644)+(?=[^\\W_]{2})")


def norm_key(name: Any) -> str:
    """A field name as matched against :data:`FIELD_ALIASES`.

    ``" Head-Line"`` -> ``"head_line"``; ``" الـعنوان "`` -> ``"عنوان"``;
    ``"تاريخ النشر"`` -> ``"تاريخ_نشر"``; ``"المحتوى"`` -> ``"محتوي"``. Only keys are
    folded this way (never values); ASCII names take the short path.
    """
    key = str(name)
    if key.isascii():
        return R.RE_FIELD_SEPARATORS.sub("_", key.strip().lower())
    key = R.RE_FIELD_SEPARATORS.sub("_", key.translate(_KEY_FOLD).strip().lower())
    return _RE_KEY_ARTICLE.sub("", key)


_ALIAS_INDEX = {col: tuple(norm_key(a) for a in names) for col, names in FIELD_ALIASES.items()}


_RESOLVED: dict[tuple, dict[str, Any]] = {}


def resolve_fields(keys: tuple, mapping: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """Map our column names to the record's keys (explicit mapping first, then aliases)."""
    got = _RESOLVED.get((keys, mapping))
    if got is None:
        if len(_RESOLVED) > 10_000:
            _RESOLVED.clear()
        got = _RESOLVED[(keys, mapping)] = _resolve_fields_uncached(keys, mapping)
    return dict(got)


def _resolve_fields_uncached(keys: tuple, mapping: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    normalised: dict[str, Any] = {}
    for k in keys:
        normalised.setdefault(norm_key(k), k)
    resolved: dict[str, Any] = {}
    explicit = dict(mapping)
    for col in MAPPABLE:
        if col in explicit:   # the explicit field when the record has it, else aliases
            theirs = explicit[col]
            if theirs in keys:
                resolved[col] = theirs
                continue
            if norm_key(theirs) in normalised:
                resolved[col] = normalised[norm_key(theirs)]
                continue
        for alias in _ALIAS_INDEX[col]:
            if alias in normalised:
                resolved[col] = normalised[alias]
                break
    # one source field feeds one column only (explicit mapping wins, then column order)
    used: set = set()
    for col in sorted(MAPPABLE, key=lambda c: c not in explicit):
        if col in resolved:
            if resolved[col] in used:
                del resolved[col]
            else:
                used.add(resolved[col])
    return resolved


def unmapped_reason(names: Sequence, samples: Iterable = (), *, what: str = "column") -> str:
    """The skip reason for records with no title or body field: the names seen and a
    ``mapping=`` that would load them.

    Args:
        names: the column (or field) names, in order.
        samples: a few records, each a mapping by name or a sequence aligned with ``names``;
            the body is guessed as the column with the longest text values, the title as a
            shorter column of several words (without samples: a template to fill in).
        what: ``"column"`` or ``"field"``, for the message.

    ``unmapped_reason(["x", "nass", "onwan"], [[1, "نص طويل للخبر هنا", "عنوان الخبر"]])``
    -> ``no title or body column among 'x', 'nass', 'onwan'; load it with
    mapping={"body": "nass", "title": "onwan"}``
    """
    names = [str(n) for n in names]
    shown = ", ".join(repr(n[:60]) for n in names[:20])
    if len(names) > 20:
        shown += f", ... ({len(names):,} {what}s)"
    lengths: dict[str, list[int]] = {n: [] for n in names}
    words: dict[str, int] = dict.fromkeys(names, 0)
    for sample in _samples(samples, 50):
        values = ((n, sample.get(n)) for n in names) if isinstance(sample, Mapping) \
            else zip(names, sample)
        for name, value in values:
            text = value.strip() if isinstance(value, str) else ""
            if text and not text.startswith(("http://", "https://")) and any(
                    c.isalpha() for c in text[:200]):
                lengths[name].append(len(text))
                words[name] += " " in text
    known = resolve_fields(tuple(names), ())
    taken = {known[col] for col in ("id", "date", "url") if col in known}
    mean = {n: sum(v) / len(v) for n, v in lengths.items() if v and n not in taken}
    mapping: dict[str, str] = {}
    if mean:
        body = max(mean, key=mean.get)
        mapping["body"] = body
        shorter = [n for n in mean if n != body and words[n] and mean[n] < mean[body]]
        if shorter:
            mapping["title"] = max(shorter, key=mean.get)
    suggestion = json.dumps(mapping or {"body": "<column>"}, ensure_ascii=False)
    return f"no title or body {what} among {shown}; load it with mapping={suggestion}"


def _samples(samples: Iterable, limit: int) -> list:
    """Up to ``limit`` samples; a reader failing part-way (a broken CSV line) ends them."""
    got: list = []
    try:
        for sample in itertools.islice(samples, limit):
            got.append(sample)
    except Exception:  # noqa: BLE001 -- samples only make a hint better
        pass
    return got
