"""What every built report page must be, whatever it shows: offline, and inert.

Shared by the tests of the builder (``test_reports.py``) and of the notebooks
(``test_notebooks.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup


def soup(path: Path) -> BeautifulSoup:
    """The page at ``path``, parsed."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def assert_offline(html_path: Path) -> None:
    """Nothing on the page loads from the network: no script, stylesheet, image or frame
    from a URL, no CDN, no MathJax."""
    page = soup(html_path)
    for tag in page.find_all("script"):
        assert not tag.get("src"), f"script loads {tag.get('src')}"
    for tag in page.find_all(["link", "img", "iframe", "source", "embed", "object"]):
        for attr in ("href", "src", "data"):
            value = tag.get(attr) or ""
            assert not re.match(r"\s*(https?:)?//", value), f"<{tag.name} {attr}={value}>"
    text = html_path.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", text)
    assert "cdnjs" not in text and "unpkg" not in text and "require.min.js" not in text
    assert "mathjax" not in text.lower()


def assert_nothing_runs(html_path: Path) -> None:
    """No element carries an event handler and no script holds corpus text."""
    page = soup(html_path)
    for tag in page.find_all(True):
        handlers = [a for a in tag.attrs if a.lower().startswith("on")]
        assert not handlers, f"<{tag.name}> has {handlers}"
    for tag in page.find_all("script"):
        assert "alert" not in (tag.string or "")
    text = html_path.read_text(encoding="utf-8")
    assert "<script>alert" not in text
    assert not re.search(r"<img[^>]*onerror", text)
