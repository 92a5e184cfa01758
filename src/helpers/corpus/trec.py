"""TREC ``<DOC>`` files to articles: the tolerant one-pass field scanner
(:func:`trec_fields`: fields never closed, repeated, in any case, with CDATA or entities) and
the parser of a file of documents (:func:`parse_trec`), which checks a document's XML with
expat only when its markup is not plainly well-formed and reports what it tolerated.
"""

from __future__ import annotations

import html as _html
import re
import xml.parsers.expat
from collections import Counter
from typing import Any, NamedTuple

from .. import resources as R
from .fields import FIELD_ALIASES, norm_key, resolve_fields
from .parser import Parser
from .schema import stem

#: Field tags TREC documents are known to use (any case), besides every name of
#: FIELD_ALIASES and of ``mapping=``: a field never closed runs to the next of these (or to
#: the end of the document), not to the next tag, which may be markup inside its text.
TREC_FIELDS = frozenset({
    "docno", "docid", "docoldno", "url", "src", "cat", "title", "time", "author",
    "abstract", "text", "headline", "hl", "head", "date", "date_time", "dateline", "byline",
    "leadpara", "lp", "source", "section", "summary", "body", "header", "pub", "page",
    "profile", "graphic", "keywords", "language", "subject", "type", "note",
} | {norm_key(alias) for names in FIELD_ALIASES.values() for alias in names})

#: Any tag in a TREC document: 1 closing name; or 2 opening name, 3 attributes, 4 "/".
_RE_TREC_TAG = re.compile(
    r"<(?:/\s*([A-Za-z][\w.:-]*)\s*|([A-Za-z][\w.:-]*)((?:\s[^<>]*?)?)(/?))>")



def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    return R.RE_ENTITY.sub(lambda m: _html.unescape(m.group(0)), text)


def _cdata(value: str) -> str:
    """CDATA content is literal: protect its "&" from the entity decoding that follows
    (one pass: an unclosed section ends the search instead of rescanning the rest)."""
    out, pos = [], 0
    while True:
        start = value.find("<![CDATA[", pos)
        end = value.find("]]>", start + 9) if start >= 0 else -1
        if end < 0:
            break
        out += [value[pos:start], value[start + 9:end].replace("&", "&amp;")]
        pos = end + 3
    out.append(value[pos:])
    return "".join(out)


def _closed_fields(doc: str) -> TrecFields | None:
    """:func:`trec_fields` for the common case, every field closed as spelt (the fast
    path: ``str.find``); None at the first field that is not (nothing is rescanned: each
    search starts past the previous field)."""
    fields: dict[str, Any] = {}          # a repeated field's values as a list
    plain = True
    pos = steps = 0
    find_open = R.RE_TREC_FIELD_OPEN.search
    while True:
        m = find_open(doc, pos)
        if m is None:
            break
        steps += 1
        name, attributes, slash = m.groups()
        if slash:                              # self-closing <AUTHOR/>
            plain = False
            value, pos = "", m.end()
        else:
            at = doc.find(f"</{name}>", m.end())
            if at < 0:
                return None
            value, pos = doc[m.end():at], at + len(name) + 3
            if attributes:
                plain = False
        if "<" in value:
            plain = False
            if "<![CDATA[" in value:
                value = _cdata(value)
        key = name.lower()
        got = fields.get(key)
        if got is None:
            fields[key] = value
        elif type(got) is list:
            got.append(value)
        else:
            fields[key] = [got, value]
    if plain and doc.count("<") != 2 * len(fields):
        plain = False
    for key, value in fields.items():
        if type(value) is list:
            value = "\n".join(value)
        if "&" in value:
            value = _unescape(value)
        fields[key] = value
    return TrecFields(fields, plain, [], steps)


class TrecFields(NamedTuple):
    """The top-level fields of one TREC document, as :func:`trec_fields` reads them."""
    fields: dict[str, str]    # lower-case tag -> value (entities decoded)
    plain: bool               # plainly well-formed (no XML check needed)
    unclosed: list[str]       # tags never closed, in order
    steps: int                # tags visited + closing tags passed over: linear in the tags


def trec_fields(doc: str, known: frozenset = TREC_FIELDS) -> TrecFields:
    """Top-level ``<TAG>value</TAG>`` fields of one document, read tolerantly, in one pass.

    A field runs to the first closing tag of its name (same spelling first, else any case
    and spacing); a tag never closed runs to the next tag named in ``known`` or to the end
    of the document (and is listed in ``unclosed``); a repeated tag is joined with a
    newline; entities are decoded. ``plain`` says whether the markup is *plainly*
    well-formed (every field closed in the same case, no attributes, no other ``<``), which
    lets the caller skip the XML parser for the common case. The work is linear in the
    document even when no tag is ever closed: a document whose every field is closed as
    spelt is read by :func:`_closed_fields` (each character scanned once); any other is
    read from one regex pass over its tags, every closing tag passed over at most once.

    ``trec_fields("<TITLE>خبر</TITLE><TEXT>نص <b>عاجل</b>").fields`` ->
    ``{"title": "خبر", "text": "نص <b>عاجل</b>"}`` (``unclosed == ["TEXT"]``)
    """
    closed = _closed_fields(doc)
    if closed is not None:
        return closed
    tags = list(_RE_TREC_TAG.finditer(doc))
    exact: dict[str, list[int]] = {}     # closing tags by name as spelt (no spaces)
    anycase: dict[str, list[int]] = {}   # closing tags by lower-case name
    for i, tag in enumerate(tags):
        name = tag.group(1)
        if name is not None:
            if tag.end() - tag.start() == len(name) + 3:
                exact.setdefault(name, []).append(i)
            anycase.setdefault(name.lower(), []).append(i)
    passed: dict[tuple[bool, str], int] = {}   # per list: closing tags already passed over
    steps = 0

    def next_close(table: dict[str, list[int]], key: str, after: int) -> int | None:
        nonlocal steps
        found = table.get(key)
        if not found:
            return None
        k = passed.get((table is exact, key), 0)
        while k < len(found) and found[k] <= after:   # ``after`` only grows: linear
            k += 1
            steps += 1
        passed[(table is exact, key)] = k
        return found[k] if k < len(found) else None

    parts: dict[str, list[str]] = {}
    unclosed: list[str] = []
    is_known: dict[str, bool] = {}       # tag name -> in ``known``
    plain = True
    i, n = 0, len(tags)
    while i < n:
        steps += 1
        tag = tags[i]
        name = tag.group(2)
        if name is None:                       # a closing tag with no field open
            plain = False
            i += 1
            continue
        if tag.group(3) or tag.group(4):
            plain = False
        if tag.group(4):                       # self-closing <AUTHOR/>
            value, i = "", i + 1
        else:
            j = next_close(exact, name, i)
            if j is None:
                plain = False
                j = next_close(anycase, name.lower(), i)
            if j is not None:
                value, i = doc[tag.end():tags[j].start()], j + 1
            else:
                plain = False
                unclosed.append(name)
                k = i + 1
                while k < n:
                    other = tags[k].group(2)
                    if other is not None:
                        hit = is_known.get(other)
                        if hit is None:
                            hit = is_known[other] = norm_key(other) in known
                        if hit:
                            break
                    k += 1
                    steps += 1
                value = doc[tag.end():tags[k].start() if k < n else len(doc)]
                i = k
        if "<" in value:
            plain = False
            if "<![CDATA[" in value:
                value = _cdata(value)
        parts.setdefault(name.lower(), []).append(value)
    if plain and doc.count("<") != 2 * len(parts):
        plain = False
    fields = {key: _unescape("\n".join(values)) for key, values in parts.items()}
    return TrecFields(fields, plain, unclosed, steps)


def _xml_problem(doc: str) -> str | None:
    """Why ``doc`` is not well-formed XML (expat's message), or None."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(doc, True)
    except xml.parsers.expat.ExpatError as e:
        return f"{xml.parsers.expat.ErrorString(e.code)} at line {e.lineno}, column {e.offset + 1}"
    return None


def parse_trec(p: Parser, text: str) -> None:
    """TREC ``<DOC>`` documents, several per file allowed, malformed XML tolerated.

    Every document is checked for XML well-formedness (expat, only when the markup is not
    plainly well-formed); a malformed one is read anyway and reported as a warning, and so
    is a field never closed (read up to the next known field tag, see :func:`trec_fields`).
    """
    opens = list(R.RE_TREC_DOC_OPEN.finditer(text))
    if not opens:
        p.skip("no <DOC> elements")
        return
    known = TREC_FIELDS | {norm_key(name) for _, name in p.opts.mapping}
    single = len(opens) == 1
    line = 1
    last = 0
    for n, m in enumerate(opens, 1):
        end = opens[n].start() if n < len(opens) else len(text)
        close = R.RE_TREC_DOC_CLOSE.search(text, m.end(), end)
        stop = close.end() if close else end
        where = "" if single else f"<DOC> {n}"
        inner = text[m.end():close.start() if close else end]
        fields, plain, unclosed, _ = trec_fields(inner, known)
        if not (plain and close is not None and m.group(0) == "<DOC>"
                and close.group(0) == "</DOC>" and "&" not in inner
                and not R.RE_XML_ILLEGAL.search(inner)):
            problem = _xml_problem(text[m.start():stop])
            if problem:
                line += text.count("\n", last, m.start())
                last = m.start()
                if line > 1:
                    problem = R.RE_AT_LINE.sub(
                        lambda g, line=line: f"at line {int(g.group(1)) + line - 1}", problem)
                p.warn(f"{where + ': ' if where else ''}malformed XML, {problem}; "
                       "fields read by the tolerant parser", "malformed_xml")
        if unclosed:
            tags = ", ".join(f"<{tag}>" + (f" ({count:,} times)" if count > 1 else "")
                             for tag, count in Counter(unclosed).items())
            p.warn(f"{where + ': ' if where else ''}{tags} never closed; read up to the next "
                   "known field tag or the end of the document", "unclosed_tag")
        resolved = resolve_fields(tuple(fields), p.opts.mapping)
        if "id" not in resolved:
            fields["\0id"] = stem(p.path) if single else f"{p.path}#{n}"
            resolved["id"] = "\0id"
        p.add_record(fields, resolved, n, where)

