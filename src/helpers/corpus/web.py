"""Web formats to articles: HTML news pages (trafilatura) and RSS / Atom feeds (lxml).

Pages and feeds are recognised by their root element as well as by their extension
(:func:`markup_format`), and decoded with the charset they declare when their bytes are not
UTF-8 (:func:`declared_charset`). A page gives one article: its text without navigation
and boilerplate, and its metadata; a feed gives one article per ``<item>`` / ``<entry>``.
Feeds are parsed without loading DTDs, expanding entities or touching the network. Runs in
worker processes; bad input is skipped or warned about, never raised.
"""

from __future__ import annotations

import bisect
import codecs
import functools
import logging
import re
from html.entities import html5 as _HTML5
from typing import Any

from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement

from .parser import Parser
from .schema import IGNORED, stem

#: Formats this module parses (``fmt=`` values).
WEB_FORMATS = ("html", "rss", "atom")

# the first bytes examined for a root element or a declared charset
_HEAD_BYTES = 16_384
#: What may come before the root element: spaces, the XML declaration and other processing
#: instructions, comments, a DOCTYPE (with an internal subset).
_RE_PROLOG_ITEM = re.compile(
    r"\s+|<\?.*?\?>|<!--.*?-->"
    r"|<!DOCTYPE(?:[^\[>\"']|\"[^\"]*\"|'[^']*'|\[(?:[^\]\"']|\"[^\"]*\"|'[^']*')*\])*>",
    re.DOTALL | re.IGNORECASE)
_RE_ENTITY_DECL = re.compile(r"<!ENTITY\s+(?:%\s+)?([^\s\"'>]+)")
_RE_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_RE_DOCTYPE_HTML = re.compile(r"<!DOCTYPE\s+html\b", re.IGNORECASE)
#: Roots of documents read as HTML pages (an HTML file may lack <html>).
_HTML_ROOTS = frozenset({"html", "head", "body"})
#: ``<?xml ... encoding="..."?>`` at the very start (after a UTF-8 BOM).
_RE_XML_ENCODING = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?\sencoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)[\"']")
#: ``<meta charset="...">`` and ``<meta http-equiv="Content-Type" content="...; charset=...">``.
_RE_META_CHARSET = re.compile(
    rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
#: Labels browsers read as Windows-1252 (WHATWG Encoding), and Python's names for the
#: code pages this loader reports under other names.
_CHARSET_NAMES = {"ascii": "cp1252", "latin-1": "cp1252", "iso8859-1": "cp1252",
                  "iso8859-6": "iso-8859-6"}

# HTML elements whose content is never article text (dropped with their content)
_NOT_TEXT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
             "math", "canvas", "button", "select", "textarea")
# page furniture dropped before extraction (outside <article>)
_FURNITURE = ("nav", "aside", "footer")
_FURNITURE_ROLES = ("navigation", "complementary", "contentinfo", "search")
# elements that break lines in text taken from HTML fragments
_BLOCKS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
    "h6", "blockquote", "pre", "table", "tr", "section", "article", "header", "footer",
    "figure", "figcaption", "hr", "address", "main", "aside", "nav", "details", "summary",
})
_RE_SPACES = re.compile(r"[^\S\n]+")
# a named character reference that is not one of XML's five
_RE_NAMED_REF = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_REFS = frozenset({"amp", "lt", "gt", "quot", "apos"})
_RE_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{4,64})"')

# namespaces of feed elements
_NS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_NS_DC = ("http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/")
_NS_ATOM = "http://www.w3.org/2005/Atom"


def _head_text(data: bytes) -> str:
    head = data[:_HEAD_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.decode("latin-1")    # enough to read ASCII markup in any 8-bit text


def markup_format(data: bytes) -> str | None:
    """``"html"``, ``"rss"`` or ``"atom"`` when the file's root element says so, else None.

    ``<!DOCTYPE html>`` or a root ``<html>`` / ``<head>`` / ``<body>`` is a page; ``<rss>``
    and ``<rdf:RDF>`` (RSS 1.0) are RSS; ``<feed>`` is Atom. ``<DOC>`` (TREC) is None.
    """
    head = _head_text(data).lstrip("\ufeff")
    pos = 0
    while True:
        m = _RE_PROLOG_ITEM.match(head, pos)
        if m is None or m.end() == pos:
            break
        if _RE_DOCTYPE_HTML.match(m.group(0)):
            return "html"
        pos = m.end()
    root = _RE_ROOT.match(head, pos)
    if root is None:
        return None
    name = root.group(1).lower()
    if name in _HTML_ROOTS:
        return "html"
    if name == "rss" or name.rpartition(":")[2] == "rdf":
        return "rss"
    if name.rpartition(":")[2] == "feed":
        return "atom"
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset a page or feed declares, to decode it with when its bytes are not UTF-8.

    Read from the XML declaration or a ``<meta charset>`` / ``http-equiv`` tag in the first
    16 KB; returned only when the bytes are not valid UTF-8 (nor marked by a BOM) and decode
    cleanly with it, under the name :mod:`.decoding` uses (``windows-1256`` -> ``cp1256``).
    """
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    head = data[:_HEAD_BYTES]
    m = _RE_XML_ENCODING.match(head) or _RE_META_CHARSET.search(head)
    if m is None:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None
    name = _CHARSET_NAMES.get(name, name)
    if name.startswith(("utf-", "utf_")):
        return None                     # a false claim: leave it to the usual rule
    try:
        data.decode(name)
    except UnicodeDecodeError:
        return None
    return name


# ---------------------------------------------------------------------------------------
# text from HTML
# ---------------------------------------------------------------------------------------


def _tag(el) -> str | None:
    """Lower-case local name of an element; None for comments, entities and PIs."""
    return el.tag.rpartition("}")[2].lower() if isinstance(el.tag, str) else None


def element_text(root) -> str:
    """The text of an HTML (or XHTML) element: block elements and ``<br>`` break lines,
    spaces collapse, blank lines go, scripts and styles are left out.

    ``<div><p>القاهرة -  خبر</p><p>فقرة<br>ثانية</p></div>`` -> ``"القاهرة - خبر\\nفقرة\\nثانية"``
    """
    parts: list[str] = []
    skipping = None                 # the dropped element being walked through
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = _tag(el)
        if event == "start":
            if skipping is not None or tag is None:
                continue
            if tag in _NOT_TEXT:
                skipping = el
                continue
            if tag in _BLOCKS:
                parts.append("\n")
            if el.text:
                parts.append(el.text)
        else:
            if skipping is not None:
                if el is not skipping:
                    continue
                skipping = None
            elif tag in _BLOCKS:
                parts.append("\n")
            if el.tail and el is not root:
                parts.append(el.tail)
    lines = (_RE_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def html_to_text(fragment: str | None) -> str | None:
    """Text of an HTML fragment (a feed's description or content): tags and scripts out,
    paragraphs as lines, entities decoded. Plain text comes back with its spaces tidied.

    ``"<p>موسكو - وصل</p><script>x()</script><p>وقال</p>"`` -> ``"موسكو - وصل\\nوقال"``
    """
    if fragment is None:
        return None
    if "<" not in fragment and "&" not in fragment:
        lines = (_RE_SPACES.sub(" ", line).strip() for line in fragment.split("\n"))
        return "\n".join(line for line in lines if line)
    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                             encoding="utf-8")
    try:
        root = lxml_html.fragment_fromstring(fragment.encode("utf-8"), create_parent="div",
                                        parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return _RE_SPACES.sub(" ", fragment).strip()
    return element_text(root)


# ---------------------------------------------------------------------------------------
# HTML pages
# ---------------------------------------------------------------------------------------


def _first(tree: HtmlElement, *paths: str) -> str | None:
    """The first non-empty value among XPath expressions (attribute values or text)."""
    for path in paths:
        for value in tree.xpath(path):
            text = value if isinstance(value, str) else value.text_content()
            text = " ".join(str(text).split())
            if text:
                return text
    return None


def _meta_index(tree: HtmlElement) -> dict[str, str]:
    """``<meta property|name|itemprop="..." content="...">`` by lower-cased name (the
    first non-empty value of each; ``DC.date`` = ``dc.date``)."""
    index: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = " ".join((meta.get("content") or "").split())
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = meta.get(attr)
            if key:
                index.setdefault(key.strip().lower(), content)
    return index


def _meta(index: dict[str, str], *names: str) -> str | None:
    """The first of ``names`` (in any case) present in a :func:`_meta_index`."""
    return next((index[n.lower()] for n in names if n.lower() in index), None)


def _jsonld_date(tree: HtmlElement) -> str | None:
    for script in tree.xpath('//script[contains(@type, "ld+json")]'):
        m = _RE_JSONLD_DATE.search(script.text or "")
        if m:
            return m.group(1).strip()
    return None


def page_metadata(tree: HtmlElement) -> dict[str, str | None]:
    """What a page says about itself in markup: title, published date (raw text, with its
    time and zone; ``time``: any ``<time datetime>``, a last resort), author, canonical URL,
    site name, section and description."""
    meta = _meta_index(tree)
    return {
        "title": _meta(meta, "og:title", "twitter:title")
        or _first(tree, "//head/title", "//title", "//h1"),
        "date": _meta(meta, "article:published_time", "og:article:published_time",
                      "datePublished", "pubdate", "publishdate", "publish-date",
                      "dc.date.issued", "dc.date", "dcterms.created", "sailthru.date",
                      "parsely-pub-date")
        or _jsonld_date(tree)
        or _first(tree, '//time[@itemprop="datePublished"]/@datetime',
                  "//time[@pubdate]/@datetime", "//article//time/@datetime"),
        "time": _first(tree, "//time/@datetime"),
        "author": _meta(meta, "author", "article:author", "dc.creator", "byl"),
        "url": _first(tree, '//link[@rel="canonical"]/@href') or _meta(meta, "og:url"),
        "source": _meta(meta, "og:site_name", "application-name"),
        "page_title": _first(tree, "//head/title", "//title"),
        "category": _meta(meta, "article:section"),
        "abstract": _meta(meta, "og:description", "description", "twitter:description"),
    }


_RE_TITLE_PARTS = re.compile(r"\s+[|\-\u2013\u2014:\u00bb\u00ab]{1,2}\s+")


def page_source(meta: dict[str, str | None], guessed: str | None, headline: str | None
                ) -> str | None:
    """The outlet of a page: its declared site name; else the part of ``<title>`` beside the
    headline (``<headline> | الجزيرة نت``); else the extractor's guess unless that guess is
    the headline itself (trafilatura falls back to the longest part of the title, which on
    Arabic pages is the headline, making every article an outlet of its own)."""
    if meta["source"]:
        return meta["source"]
    same = lambda a, b: " ".join(a.split()) == " ".join(b.split())  # noqa: E731
    parts = [x for x in _RE_TITLE_PARTS.split(meta.get("page_title") or "") if x.strip()]
    parts = [x.strip() for x in parts]
    rest = [x for x in parts if not (headline and (same(x, headline) or x in headline
                                                   or headline in x))]
    if len(parts) >= 2 and len(rest) == 1 and len(rest[0]) <= 60:
        return rest[0]
    if len(parts) == 2:                # "<headline> | <site>" or "<site> - <headline>"
        short, long_ = sorted(parts, key=len)
        if len(short) <= 40 and 2 * len(short) <= len(long_):
            return short
    if guessed and not (headline and (same(guessed, headline) or guessed in headline)):
        return guessed
    return None


def _drop_furniture(tree: HtmlElement) -> None:
    """Remove non-text elements, and navigation, asides and footers outside <article>."""
    etree.strip_elements(tree, *_NOT_TEXT, with_tail=False)
    roles = " or ".join(f'@role="{r}"' for r in _FURNITURE_ROLES)
    tags = " or ".join(f"self::{t}" for t in _FURNITURE)
    for el in tree.xpath(f"//*[({tags} or {roles}) and not(ancestor::article)]"):
        if el.getparent() is not None:
            el.drop_tree()


def _link_words(tree: HtmlElement) -> set[str]:
    return {w for a in tree.iter("a") for w in a.text_content().split()}


def _mostly_links(text: str, links: set[str]) -> bool:
    """True when ``text`` is empty or at least 80% of it is in lines made only of words of
    the page's links (a menu or a list of headlines, not an article)."""
    total = in_links = 0
    for line in text.split("\n"):
        words = line.split()
        size = sum(map(len, words))
        total += size
        if words and all(w in links for w in words):
            in_links += size
    return total == 0 or in_links >= 0.8 * total


@functools.cache
def _trafilatura():
    """trafilatura, imported on first use, its log messages kept off stderr (what it
    complains about becomes our skip reasons; a configured logging still gets them)."""
    import trafilatura

    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).addHandler(logging.NullHandler())
    return trafilatura


def _extract(tree: HtmlElement):
    """trafilatura's article (text and metadata) from a cleaned tree; None when none."""
    return _trafilatura().bare_extraction(
        tree, with_metadata=True, include_comments=False, include_tables=True,
        deduplicate=False,
        # the page's own dates only: no guessing from dates mentioned in the text
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def _page_date(meta: dict[str, str | None], found: str | None) -> str | None:
    """The page's published date as written: its own published-time markup first (with
    time and zone; trafilatura keeps only the day), else trafilatura's day -- or a
    ``<time datetime>`` of that day, which has the time -- else any ``<time datetime>``."""
    if meta["date"]:
        return meta["date"]
    if found and meta["time"] and meta["time"].startswith(found):
        return meta["time"]
    return found or meta["time"]


def parse_html(p: Parser, text: str) -> None:
    """One HTML page: its article text and metadata (a page without article text is
    skipped, as ``ignored``)."""
    load_html = _trafilatura().utils.load_html
    try:
        tree = load_html(text)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, TypeError) as e:
        p.skip(f"unreadable HTML ({str(e)[:200] or type(e).__name__})")
        return
    if tree is None or not isinstance(tree.tag, str):
        p.skip("unreadable HTML (no document element)")
        return
    meta = page_metadata(tree)
    links = _link_words(tree)
    _drop_furniture(tree)
    try:
        doc = _extract(tree)
    except Exception as e:     # noqa: BLE001 -- the extractor's failures become a skip
        p.skip(f"HTML extraction failed ({type(e).__name__}: {str(e)[:160]})")
        return
    body = (doc.text or "").strip() if doc is not None else ""
    title = (doc.title if doc is not None else None) or meta["title"]
    if _mostly_links(body, links):
        what = f" (title {title[:80]!r})" if title else ""
        p.skip(f"no article text in the page{what}: only navigation, links or boilerplate",
               IGNORED)
        return
    first, _, rest = body.partition("\n")
    if title and rest and " ".join(first.split()) == " ".join(title.split()):
        body = rest.strip()            # the headline repeated as the body's first line
    categories = [c for c in (doc.categories or []) if c] or meta["category"]
    p.add(
        id=stem(p.path), title=title, body=body,
        date=_page_date(meta, doc.date),
        source=page_source(meta, doc.sitename, title),
        category=", ".join(categories) if isinstance(categories, list) else categories,
        url=doc.url or meta["url"], author=doc.author or meta["author"],
        abstract=doc.description or meta["abstract"],
    )


# ---------------------------------------------------------------------------------------
# RSS and Atom feeds
# ---------------------------------------------------------------------------------------


def _html_refs_to_numeric(text: str) -> str:
    """HTML named references (``&nbsp;``, ``&eacute;``), undefined in XML, as numeric ones;
    other names are left for the parser (which does not expand them)."""
    if "&" not in text:
        return text

    def numeric(m: re.Match) -> str:
        name = m.group(1)
        if name in _XML_REFS:
            return m.group(0)
        chars = _HTML5.get(name + ";")
        return "".join(f"&#{ord(c)};" for c in chars) if chars else m.group(0)

    return _RE_NAMED_REF.sub(numeric, text)


def _text(el) -> str:
    """An element's text content; entity references that were not expanded are left out."""
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            if isinstance(node.tag, str) and node.text:
                parts.append(node.text)
        elif node.tail and node is not el:
            parts.append(node.tail)
    return "".join(parts)


def _atom_text(el) -> str | None:
    """An Atom text construct (``type`` text, html or xhtml) as plain text."""
    kind = (el.get("type") or "text").lower()
    if kind == "xhtml":
        return element_text(el)
    if kind in ("html", "text/html"):
        return html_to_text(_text(el))
    if el.get("src"):
        return None                     # content held elsewhere (never fetched)
    return _text(el)


def _item_record(item, atom: bool) -> dict[str, Any]:
    """The fields of one ``<item>`` / ``<entry>`` under our column names."""
    fields: dict[str, list] = {}
    content = description = None
    for child in item:
        tag = _tag(child)
        if tag is None:
            continue
        ns = child.tag[1:].partition("}")[0] if child.tag.startswith("{") else ""
        if ns == _NS_CONTENT and tag == "encoded":
            content = content or html_to_text(_text(child))
        elif atom and ns == _NS_ATOM and tag == "content":
            content = content or _atom_text(child)
        elif tag in ("description", "summary") and ns not in _NS_DC:   # the first one
            description = description or (_atom_text(child) if atom
                                          else html_to_text(_text(child)))
        elif tag == "title" and ns not in _NS_DC:
            fields.setdefault("title", []).append(
                _atom_text(child) if atom else html_to_text(_text(child)))
        elif tag == "link":
            href = child.get("href")
            if href is None:
                fields.setdefault("url", []).append(_text(child))
            elif child.get("rel", "alternate") == "alternate":
                fields.setdefault("url", []).append(href)
        elif tag in ("pubdate", "published", "issued", "created", "date", "updated",
                     "modified"):
            order = ("pubdate", "published", "issued", "date", "created", "updated",
                     "modified").index(tag)
            fields.setdefault("dates", []).append((order, _text(child)))
        elif tag in ("author", "creator"):
            name = child.find("{*}name")
            fields.setdefault("author", []).append(
                _text(name) if name is not None else _text(child))
        elif tag in ("category", "subject"):
            fields.setdefault("category", []).append(
                child.get("term") or child.get("label") or _text(child))
        elif tag in ("guid", "id", "identifier"):
            fields.setdefault("id", []).append(_text(child))
        elif tag == "source":
            title = child.find("{*}title")
            fields.setdefault("source", []).append(
                _text(title) if title is not None else _text(child))
    record: dict[str, Any] = {
        "title": _one(fields.get("title")), "url": _one(fields.get("url")),
        "author": fields.get("author"), "category": fields.get("category"),
        "id": _one(fields.get("id")), "source": _one(fields.get("source")),
        "date": min(fields["dates"])[1].strip() if fields.get("dates") else None,
        "body": content if content else description,
        "abstract": description if content else None,
    }
    return record


def _one(values: list | None) -> str | None:
    for value in values or ():
        if value and value.strip():
            return value
    return None


def _without_doctype(text: str) -> tuple[str, list[str]]:
    """The feed without its DOCTYPE (blank lines in its place, so line numbers hold) and
    the entities it declared: feeds need no DTD, and entity tricks (XXE, billion laughs)
    live there. HTML named references are handled by :func:`_html_refs_to_numeric`."""
    pos = 0
    while True:
        m = _RE_PROLOG_ITEM.match(text, pos)
        if m is None or m.end() == pos:
            return text, []
        if m.group(0)[:9].upper() == "<!DOCTYPE":
            doctype = m.group(0)
            return (text[:m.start()] + "\n" * doctype.count("\n") + text[m.end():],
                    _RE_ENTITY_DECL.findall(doctype))
        pos = m.end()


def _feed_parser():
    # no DTD loading, no entity expansion (internal or external: no billion laughs, no
    # XXE), no network; recover what a malformed feed still holds
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, recover=True, huge_tree=False,
                           remove_comments=True, remove_pis=True, encoding="utf-8")


def parse_feed(p: Parser, text: str) -> None:
    """An RSS 2.0, RSS 1.0 (RDF) or Atom feed: one article per item or entry."""
    text, entities = _without_doctype(text)
    parser = _feed_parser()
    try:
        root = etree.fromstring(_html_refs_to_numeric(text).encode("utf-8"), parser)
    except etree.XMLSyntaxError as e:
        root = None
        first = str(e)
    else:
        first = next((f"{e.message} at line {e.line}" for e in parser.error_log), "empty")
    if root is None:
        p.skip(f"unreadable feed ({first[:200]})")
        return
    name = _tag(root)
    if name == "feed":
        kind, items, channel = "atom", list(root.iter("{*}entry")), root
    elif name in ("rss", "rdf"):
        kind, items = "rss", list(root.iter("{*}item"))
        channel = root.find("{*}channel")
    else:
        p.skip(f"not an RSS or Atom feed (the root element is <{root.tag}>)")
        return
    p.fmt = kind
    if entities:
        names = ", ".join(dict.fromkeys(entities))[:120]
        p.warn(f"the feed's DOCTYPE declares entities ({names}); ignored, not expanded",
               "entities_ignored")
    title_el = channel.find("{*}title") if channel is not None else None
    source = " ".join(_text(title_el).split()) if title_el is not None else None
    # parser errors by item: the item starting last at or before the error's line
    starts = [item.sourceline or 0 for item in items]
    by_item: dict[int, tuple[int, str]] = {}
    rest: list[tuple[int, str]] = []
    for e in parser.error_log:
        at = bisect.bisect_right(starts, e.line) - 1
        if at >= 0:
            by_item.setdefault(at, (e.line, e.message))
        else:
            rest.append((e.line, e.message))
    label = "entry" if kind == "atom" else "item"
    for n, item in enumerate(items, 1):
        where = f"{label} {n}"
        if n - 1 in by_item:
            line, msg = by_item[n - 1]
            p.warn(f"{where}: malformed XML ({msg.strip()}, line {line}); "
                   "read by the recovering parser", "malformed_xml")
        record = _item_record(item, kind == "atom")
        if not record["source"]:
            record["source"] = source
        fields = {col: col for col, value in record.items() if value is not None}
        p.add_record(record, fields, n, where)
    if rest:
        line, msg = rest[0]
        p.warn(f"malformed XML ({msg.strip()}, line {line}"
               f"{f' and {len(rest) - 1:,} more' if len(rest) > 1 else ''}); "
               "read by the recovering parser", "malformed_xml")
    if not items:
        p.skip(f"no <{label}> elements in the {kind.upper() if kind == 'rss' else 'Atom'} feed")

