"""Executed notebooks as self-contained, offline, escaped HTML pages.

nbconvert's ``lab`` template, made self-contained and offline: no require.js, MathJax,
Mermaid or widget scripts (their blocks are emptied and their URLs blanked), every output
image already embedded as ``data:``, the one stylesheet of :mod:`helpers.display` inlined
(:data:`REPORT_CSS`), HTML outputs and Markdown sanitised (:func:`clean_html`: a bleach
allowlist that keeps ``dir``/``lang``), and any remaining network URL in a
``script``/``link``/``img`` removed (:func:`make_offline`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from helpers import __version__
from helpers.display import STYLESHEET, escape

from .notebooks import CellFailure

# The lab template with every network-loaded script removed. The blocks emptied here are
# the only places lab/index.html.j2 refers to a CDN (require.js, MathJax, Mermaid, widgets).
# Our stylesheet goes last in <head> (html_head_css) so that it wins over the lab theme.
_TEMPLATE_NAME = "offline-report.html.j2"
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
<meta name="generator" content="helpers.reports {{ resources.toolkit_version | e }}">
<style type="text/css">{{ resources.report_css }}</style>
{%- endblock html_head_css -%}
{%- block data_javascript scoped -%}
<div class="jp-OutputArea-output hx-note">(JavaScript output left out of the static report.)</div>
{%- endblock data_javascript -%}
"""

#: The pages' one stylesheet: display's, then the page layout and the build-error box.
REPORT_CSS = (
    STYLESHEET
    + """
body { max-width: 72em; margin: 0 auto; }
.jp-RenderedHTMLCommon .hx-table td, .jp-RenderedHTMLCommon .hx-table th { max-width: 40em; }
.hx-build-error { border: 2px solid #cf222e; background: #ffebe9; padding: 0.5em 1em; }
"""
)

# What sanitised HTML may contain (bleach allowlist): nbconvert's own list plus tables,

# headings, images and the direction and language attributes the RTL helpers rely on.
_ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "b", "blockquote", "bdi", "bdo", "br", "caption", "code",
        "col", "colgroup", "dd", "del", "details", "div", "dl", "dt", "em", "figcaption",
        "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
        "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "style",
        "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u",
        "ul", "var",
    }
)
_ALLOWED_ATTRIBUTES = {
    "*": ["class", "id", "dir", "lang", "title", "style", "align"],
    "a": ["href", "title", "class", "id", "dir", "lang"],
    "img": ["src", "alt", "width", "height", "class", "title"],
    "td": ["colspan", "rowspan", "class", "id", "dir", "lang", "title", "style", "align"],
    "th": ["colspan", "rowspan", "scope", "class", "id", "dir", "lang", "title", "style", "align"],
    "col": ["span", "class", "style"],
    "ol": ["start", "class"],
}
_ALLOWED_PROTOCOLS = frozenset({"https", "http", "mailto", "data"})
_ALLOWED_CSS = (
    "text-align", "direction", "unicode-bidi", "white-space", "font-weight", "font-style",
    "color", "background-color", "border", "padding", "margin", "vertical-align", "width",
    "max-width", "min-width", "font-size", "font-family",
)


def clean_html(element: Any) -> str:
    """Sanitise HTML from outputs and Markdown: disallowed tags are shown as text."""
    import bleach
    from bleach.css_sanitizer import CSSSanitizer

    text = element.decode() if isinstance(element, bytes) else str(element)
    return bleach.clean(
        text,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        protocols=_ALLOWED_PROTOCOLS,
        css_sanitizer=CSSSanitizer(allowed_css_properties=_ALLOWED_CSS),
    )


_NETWORK_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_CSS_NETWORK_URL = re.compile(r"""url\(\s*['"]?\s*(?:https?:)?//[^)]*\)""", re.IGNORECASE)


def make_offline(html: str) -> tuple[str, list[str]]:
    """Remove anything that would fetch from the network; return the page and what went.

    Drops ``script``/``link``/``iframe``/``img``/... elements whose ``src``/``href`` is a
    network URL (``http:``, ``https:``, ``//host``) and neutralises ``url(//...)`` in CSS.
    Links the reader clicks (``<a href>``) are kept.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, features="html.parser")
    removed: list[str] = []
    for tag in soup.find_all(["script", "link", "iframe", "img", "source", "embed", "object",
                              "audio", "video", "track", "input"]):
        for attr in ("src", "href", "data", "srcset"):
            value = tag.get(attr)
            if isinstance(value, str) and _NETWORK_URL.match(value):
                removed.append(f"<{tag.name} {attr}={value[:80]}>")
                tag.decompose()
                break
    for style in soup.find_all("style"):
        css = style.string or ""
        if _CSS_NETWORK_URL.search(css):
            removed.append("<style> url(//...)")
            style.string = _CSS_NETWORK_URL.sub("none", css)
    _one_stylesheet(soup)
    return str(soup), removed


def _one_stylesheet(soup: Any) -> None:
    """Merge the ``<style>`` blocks of ``<head>`` into one, in order (ours comes last).

    nbconvert's lab template inlines its theme in several blocks; one stylesheet per page
    is simpler to read and to override. Styles inside notebook outputs stay where they are.
    """
    head = soup.head
    if head is None:
        return
    blocks = head.find_all("style", recursive=False)
    if len(blocks) < 2:
        return
    blocks[-1].string = "\n".join((b.string or "") for b in blocks)
    for block in blocks[:-1]:
        block.decompose()


def export_html(
    nb: Any,
    *,
    name: str,
    hide_code: bool = False,
    language: str = "en",
    notebook_dir: Path | None = None,
) -> tuple[str, list[str]]:
    """Export a notebook to one self-contained, offline HTML page.

    Args:
        nb: the (executed) notebook.
        name: the page's name, used for the ``<title>`` fallback.
        hide_code: leave code cells' input (and prompts) out of the page.
        language: the page's ``<html lang>`` (prose is English; Arabic parts carry
            ``lang="ar"`` themselves).
        notebook_dir: the notebook's folder (for Markdown images with relative paths).

    Returns:
        (the HTML text, descriptions of network references that were removed).
    """
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        template_file=_TEMPLATE_NAME,
        extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        filters={"clean_html": clean_html},
        sanitize_html=True,
        embed_images=True,
        exclude_input=hide_code,
        exclude_input_prompt=hide_code,
        exclude_output_prompt=hide_code,
        language_code=language,
        theme="light",
        require_js_url="",
        mathjax_url="",
        mermaid_js_url="",
        mermaid_layout_elk_js_url="",
        jquery_url="",
        jupyter_widgets_base_url="",
    )
    resources = {
        "metadata": {"name": name, "path": str(notebook_dir or "")},
        "report_css": REPORT_CSS,
        "toolkit_version": __version__,
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return make_offline(body)


def error_cell(notebook: str, failure: CellFailure) -> Any:
    """The Markdown cell a partial page opens with: where and why its notebook failed."""
    import nbformat

    text = escape(f"{notebook}, {failure}")
    return nbformat.v4.new_markdown_cell(
        f'<div class="hx-build-error"><strong>This report is incomplete.</strong> '
        f"Building it failed at {text}. The cells up to the failure are shown below.</div>"
    )
