"""The built reports in a real browser: headless Chromium driven by Selenium.

One session fixture builds every notebook on a small hostile corpus (two outlets, a
headline and an outlet name made of HTML that would run script if it were not escaped),
then each page is opened in Debian's Chromium through Debian's chromedriver (never a
driver or browser downloaded by Selenium Manager) and checked for what only a browser can
tell: console errors, requests leaving the local files, the computed direction and
alignment of Arabic cells, images that decode, script that ran. A screenshot of one page is
kept as a test artifact (``tests/artifacts/`` or ``$REPORT_ARTIFACTS``).

Why Selenium rather than the DevTools protocol by hand: chromedriver already speaks CDP
for us (``execute_cdp_cmd`` and the performance log carry the Network events), gives the
console log with ``goog:loggingPrefs``, and needs no websocket client or browser
lifecycle code of our own.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from helpers import paths, reports

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

# what would run if the page did not escape it; each payload leaves a different mark
HEADLINE = ('<script>window.__pwned=1;document.title="pwned"</script>'
            '<img src=x onerror="window.__pwned=2">')
SOURCE = "<img src=y onerror=window.__pwned=3>"  # an outlet name (a folder: no "/")

_BODIES = [
    "موسكو - انطلقت اليوم الاثنين في موسكو محادثات روسية تركية حول ليبيا بحضور وزراء الخارجية.\n"
    "وقال المتحدث إن الاجتماع سيعقد في مقر الوزارة بحضور الوفود كلها وإن المحادثات ستستمر.\n",
    "القاهرة - ارتفعت أسعار الذهب في الأسواق المصرية اليوم مع تراجع الجنيه أمام الدولار.\n",
    "الرياض - أعلن الاتحاد السعودي لكرة القدم اليوم مواعيد مباريات الدوري الجديد.\n"
    "ورحبت الولايات المتحدة بالمواعيد، وقالت الولايات المتحدة إنها ستشارك.\n",  # a pair, 4 times
]


def _write_corpus(root: Path) -> Path:
    """A seed-layout corpus: <outlet>/<category>/<n>_<hash>.txt, headline, blank line, body."""
    files = [
        (SOURCE, "politics", HEADLINE, _BODIES[0]),
        (SOURCE, "economy", "خبر عاجل عن الاقتصاد", _BODIES[1]),
        (SOURCE, "sport", "مواعيد الدوري", _BODIES[2]),
        ("الجزيرة", "politics", "محادثات في موسكو حول ليبيا", _BODIES[0]),  # republished
        ("الجزيرة", "economy", "الذهب يرتفع", _BODIES[1].replace("الذهب", "الفضة")),
        ("الجزيرة", "sport", "الدوري السعودي", _BODIES[2] + "وقال المدرب إن الفريق جاهز.\n"),
    ]
    for n, (source, category, title, body) in enumerate(files):
        folder = root / source / category
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{n:03d}_{n:016x}.txt").write_text(f"{title}\n\n{body}", encoding="utf-8")
    return root


def _artifacts() -> Path:
    folder = Path(os.environ.get("REPORT_ARTIFACTS", paths.ROOT / "tests" / "artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Every notebook built once on the hostile corpus (code cells shown)."""
    corpus = _write_corpus(tmp_path_factory.mktemp("hostile-corpus"))
    out = tmp_path_factory.mktemp("reports-browser")
    build = reports.build_reports(corpus, out_dir=out, progress=None, jobs=2,
                                  processed_dir=tmp_path_factory.mktemp("processed"))
    return build, out


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.skip(f"no headless browser: {', '.join(missing)} not installed "
                    "(apt-get install chromium chromium-driver; .ci/run does)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--window-size=1280,2000",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    yield driver
    driver.quit()


def page_requests(events: list[dict], path: Path) -> list[str]:
    """URLs of the requests made by the report page at ``path`` itself, its document first.

    The browser makes requests of its own in the same tab (Chromium's new-tab page fetches
    ``chrome://``, ``chrome-search://`` and ``devtools://`` URLs, more of them in every
    version); they are not the report's. The page's own requests are found from its
    document request (the ``Document`` whose URL is the file): every request of the same
    document loader (``loaderId``: stylesheets, images, scripts, fetches), plus any request
    whose document or initiator is the page (a frame it embeds, whose loader is its own).
    Nothing the page requests, in any scheme, escapes that.

    Args:
        events: the ``Network.requestWillBeSent`` parameters, in order.
        path: the page's file.

    Returns:
        list of URLs (empty when the page's document request was not seen).
    """
    from urllib.parse import unquote, urlsplit

    def is_page(url: str) -> bool:
        parts = urlsplit(url or "")
        return parts.scheme == "file" and Path(unquote(parts.path)) == path

    documents = [e for e in events if e.get("type") == "Document" and is_page(e["request"]["url"])]
    if not documents:
        return []
    loader = documents[-1]["loaderId"]

    def initiated_by_page(e: dict) -> bool:
        initiator = e.get("initiator", {})
        frames = initiator.get("stack", {}).get("callFrames", [])
        return is_page(initiator.get("url", "")) or any(is_page(f.get("url", "")) for f in frames)

    return [e["request"]["url"] for e in events
            if e.get("loaderId") == loader or is_page(e.get("documentURL", ""))
            or initiated_by_page(e)]


class Page:
    """What the browser saw on one page: console, requests and a few computed facts."""

    def __init__(self, driver, path: Path):
        driver.get_log("browser")  # drop what earlier pages left
        driver.get_log("performance")
        driver.get(path.as_uri())
        driver.execute_script("return document.readyState")
        self.driver = driver
        self.path = path
        self.console = driver.get_log("browser")
        events = [event["params"] for entry in driver.get_log("performance")
                  if (event := json.loads(entry["message"])["message"])["method"]
                  == "Network.requestWillBeSent"]
        #: every request the browser logged while the page loaded (its own new-tab page too)
        self.all_requests = [e["request"]["url"] for e in events]
        #: the requests made by the report page itself
        self.requests = page_requests(events, path)

    def js(self, script: str):
        """Run ``script`` on this page (opened again when another page is showing)."""
        if self.driver.current_url != self.path.as_uri():
            self.driver.get(self.path.as_uri())
        return self.driver.execute_script(script)


@pytest.fixture(scope="session")
def pages(built, browser):
    build, out = built
    assert build.ok, [r.error for r in build.results] + [build.corpus_error]
    names = ["index"] + [r.name for r in build.results]
    return {name: Page(browser, out / f"{name}.html") for name in names}


def test_every_notebook_was_built(built):
    build, out = built
    assert [r.name for r in build.results] == [p.stem for p in reports.find_notebooks(paths.NOTEBOOKS)]
    assert all((out / f"{r.name}.html").exists() for r in build.results)


def test_no_console_errors(pages):
    for name, page in pages.items():
        errors = [e for e in page.console if e["level"] in ("SEVERE", "ERROR")]
        assert not errors, f"{name}: {errors}"


def test_no_request_leaves_the_local_file(pages):
    for name, page in pages.items():
        assert page.requests, f"{name}: the page itself was not seen loading"
        far = [u for u in page.requests if not u.startswith(("file:", "data:"))]
        assert not far, f"{name} requested {far}"


def test_requests_of_the_page_are_told_from_the_browsers_own(tmp_path, browser):
    """A page that fetches over http, https and another scheme is caught; the browser's own
    new-tab-page requests in the same log are not counted as the page's."""
    page = tmp_path / "leaky.html"
    page.write_text(
        "<!DOCTYPE html><html><head>"
        '<link rel="stylesheet" href="http://127.0.0.1:9/style.css"></head><body>'
        '<img src="https://127.0.0.1:9/pixel.png"><iframe src="http://127.0.0.1:9/frame"></iframe>'
        "<script>fetch('ftp://127.0.0.1:9/x').catch(() => 0);"
        "new Image().src = 'http://127.0.0.1:9/late.gif';</script>"
        "</body></html>", encoding="utf-8")
    seen = Page(browser, page)
    far = [u for u in seen.requests if not u.startswith(("file:", "data:"))]
    assert {"http://127.0.0.1:9/style.css", "https://127.0.0.1:9/pixel.png",
            "http://127.0.0.1:9/frame", "http://127.0.0.1:9/late.gif"} <= set(far), far
    # the same filter on made-up events: the tab's new-tab page is not the report's
    doc = {"type": "Document", "loaderId": "L1", "documentURL": page.as_uri(),
           "request": {"url": page.as_uri()}, "initiator": {"type": "other"}}
    ntp = {"type": "Document", "loaderId": "L0", "documentURL": "chrome://new-tab-page/",
           "request": {"url": "chrome://new-tab-page/"}, "initiator": {"type": "other"}}
    ntp_res = {"type": "Script", "loaderId": "L0", "documentURL": "chrome://new-tab-page/",
               "request": {"url": "chrome-search://local-ntp/x.js"},
               "initiator": {"type": "parser", "url": "chrome://new-tab-page/"}}
    img = {"type": "Image", "loaderId": "L1", "documentURL": page.as_uri(),
           "request": {"url": "https://example.org/a.png"}, "initiator": {"type": "parser"}}
    assert page_requests([ntp, ntp_res, doc, img], page) == [page.as_uri(), "https://example.org/a.png"]


def test_arabic_cells_are_right_to_left(pages):
    """Every table cell mostly in Arabic is laid out right to left, right-aligned (its
    start, in a right-to-left cell), except in a concordance, whose contexts align against
    the match in the middle (test_the_concordance_reads_as_the_sentence).

    "Mostly": Arabic letters are over half the cell's visible characters and it has no
    Latin letter (a note such as "أ → ا ×2" in English prose stays left to right).
    """
    script = r"""
    const ar = /[\u0600-\u06ff]/g, latin = /[A-Za-z]/;
    const mostly = t => { const n = t.replace(/\s/g, '').length;
                          return n > 0 && (t.match(ar) || []).length * 2 > n && !latin.test(t); };
    return Array.from(document.querySelectorAll('td, th, .hx-quote p'))
      .filter(c => mostly(c.innerText))
      .map(c => { const s = getComputedStyle(c);
                  return [c.innerText.slice(0, 40), s.direction, s.textAlign,
                          !!c.closest('.hx-kwic')]; });
    """
    with_tables = 0
    for name, page in pages.items():
        cells = page.js(script)
        with_tables += bool(cells)
        wrong = [c for c in cells if c[1] != "rtl" or not (c[3] or c[2] in ("right", "start"))]
        assert not wrong, f"{name}: {wrong[:5]}"
    assert with_tables >= 4  # index, 01, 02, 03, 05 show Arabic tables


def test_quotes_rtl_and_code_ltr(pages):
    quote = pages["01-load-and-clean"].js(
        "const q = document.querySelector('.hx-quote'); const s = getComputedStyle(q);"
        "return [s.direction, s.textAlign]")
    assert quote[0] == "rtl" and quote[1] in ("right", "end")
    code = pages["05-compare-sources"].js(
        "return Array.from(document.querySelectorAll('.jp-InputArea-editor, .jp-MarkdownOutput p'))"
        ".map(e => getComputedStyle(e).direction)")
    assert code and set(code) == {"ltr"}


def test_every_image_decodes(pages):
    drawn = 0
    for name, page in pages.items():
        images = page.js("return Array.from(document.images).map("
                         "i => [i.src.slice(0, 30), i.complete, i.naturalWidth])")
        bad = [i for i in images if not (i[1] and i[2] > 0)]
        assert not bad, f"{name}: {bad}"
        drawn += len(images)
    assert drawn >= 10  # the charts of 04 and the heatmap of 05


def test_hostile_text_is_shown_and_never_runs(pages):
    for name, page in pages.items():
        state = page.js("return [window.__pwned === undefined, document.title]")
        assert state[0], f"{name}: a payload ran (window.__pwned is set)"
        assert state[1] != "pwned", name
        assert not page.js("return document.querySelectorAll('img[onerror], [onerror]').length")
    shown = {name: page.js("return document.body.innerText") for name, page in pages.items()}
    for name in ("01-load-and-clean", "02-explore"):  # the pages that show headlines
        assert HEADLINE in shown[name], f"{name} does not show the headline as text"
    for name in ("index", "01-load-and-clean", "03-statistics", "05-compare-sources"):
        assert SOURCE in shown[name], f"{name} does not show the outlet name as text"


def test_screenshot_of_a_report(pages):
    page = pages["05-compare-sources"]
    target = _artifacts() / "05-compare-sources.png"
    page.js("window.scrollTo(0, 0)")
    page.driver.save_screenshot(str(target))
    assert target.stat().st_size > 10_000
    print(f"screenshot: {target}")
    shutil.copy(page.path, _artifacts() / page.path.name)


# --- reading order of Arabic tables --------------------------------------------------------

#: for the table whose headers are ``names``: its computed direction, and for its first body
#: row the text and the on-screen rectangle (left, right) of each cell, in document order
_TABLE_GEOMETRY = r"""
const names = arguments[0];
const table = Array.from(document.querySelectorAll('table')).find(t => {
  const heads = Array.from(t.querySelectorAll('thead th')).map(h => h.innerText.trim());
  return names.every(n => heads.includes(n)); });
if (!table) return null;
table.scrollIntoView();
const heads = Array.from(table.querySelectorAll('thead th')).map(h => h.innerText.trim());
const cells = Array.from(table.querySelector('tbody tr').children).map(c => {
  const r = c.getBoundingClientRect();
  return {text: c.innerText.trim(), left: r.left, right: r.right,
          direction: getComputedStyle(c).direction, align: getComputedStyle(c).textAlign}; });
return {direction: getComputedStyle(table).direction, heads: heads, cells: cells};
"""


def _pair_reads_from_the_right(geometry: dict) -> None:
    """w1's cell is on screen to the right of w2's, and the columns run right to left."""
    assert geometry is not None, "no collocation table (w1, w2) on the page"
    assert geometry["direction"] == "rtl"
    w1, w2 = (geometry["cells"][geometry["heads"].index(n)] for n in ("w1", "w2"))
    assert w1["left"] >= w2["right"] - 1, (w1, w2)  # w1 to the RIGHT of w2
    lefts = [c["left"] for c in geometry["cells"]]
    assert lefts == sorted(lefts, reverse=True)  # the first column is the rightmost
    assert (w1["direction"], w2["direction"]) == ("rtl", "rtl")
    numbers = [c for c in geometry["cells"] if c["text"].replace(",", "").isdigit()]
    assert numbers and all(c["direction"] == "ltr" for c in numbers)  # isolated, readable


def test_collocation_pairs_read_from_the_right(pages):
    """03's collocation table: right to left, ``w1`` on screen to the right of ``w2``, so
    the pair reads as the phrase (الولايات المتحدة), numbers left to right in their cells."""
    geometry = pages["03-statistics"].js(
        "return (function(){" + _TABLE_GEOMETRY + "}).apply(null, [['w1', 'w2', 'score']])")
    _pair_reads_from_the_right(geometry)
    w1, w2 = geometry["cells"][0]["text"], geometry["cells"][1]["text"]
    assert (w1, w2) == ("الولايات", "المتحدة")  # in written form (helpers.in_written_form)


def test_latin_tables_stay_left_to_right(pages):
    """02's table of corpus figures (English labels and numbers) keeps its first column
    on the left."""
    geometry = pages["02-explore"].js(
        "return (function(){" + _TABLE_GEOMETRY + "}).apply(null, [['by', 'group', 'tokens']])")
    assert geometry is not None and geometry["direction"] == "ltr"
    lefts = [c["left"] for c in geometry["cells"]]
    assert lefts == sorted(lefts)


def _jupyterlab_css() -> list[Path]:
    """JupyterLab's own stylesheets as nbconvert's ``lab`` template ships them (the
    rendermime rules JupyterLab applies to an output area: every td/th right-aligned)."""
    from jupyter_core.paths import jupyter_path

    for base in jupyter_path("nbconvert", "templates", "lab", "static"):
        css = [Path(base) / "index.css", Path(base) / "theme-light.css"]
        if all(p.exists() for p in css):
            return css
    pytest.skip("nbconvert's lab template (JupyterLab's stylesheet) is not installed")


def test_tables_read_right_to_left_in_a_jupyterlab_output_area(tmp_path, browser):
    """The tables in a JupyterLab output area, under JupyterLab's stylesheet and without
    ours (a notebook does not load it): the direction and alignment come from the markup."""
    import pandas as pd

    from helpers import display
    from helpers.concordance import kwic_html

    pairs = display.rtl_table(pd.DataFrame({"w1": ["الولايات", "كاس"], "w2": ["المتحده", "العالم"],
                                            "count": [290, 172], "score": [3629.0, 2044.0]}))
    latin = display.rtl_table(pd.DataFrame({"source": ["BBC"], "articles": [150]}))
    lines = kwic_html(pd.DataFrame({"left": ["قال الوزير في بيان طويل إن", "زار"],
                                    "match": ["مصر", "مصر"], "right": ["اليوم", "أمس مع الوفد كله"],
                                    "id": ["a1", "a2"], "source": ["BBC", None]}))
    links = "".join(f'<link rel="stylesheet" href="{p.as_uri()}">' for p in _jupyterlab_css())
    page = tmp_path / "jupyterlab-output.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8">{links}</head>'
        '<body class="jp-Notebook" data-jp-theme-light="true">'
        + "".join('<div class="jp-OutputArea-output jp-RenderedHTMLCommon jp-RenderedHTML" '
                  f'data-mime-type="text/html">{t.html}</div>' for t in (pairs, latin, lines))
        + "</body></html>", encoding="utf-8")
    shown = Page(browser, page)
    geometry = shown.js("return (function(){" + _TABLE_GEOMETRY + "}).apply(null, [['w1', 'w2']])")
    _pair_reads_from_the_right(geometry)
    arabic = [c for c in geometry["cells"] if c["direction"] == "rtl"]
    assert all(c["align"] == "right" for c in arabic)
    other = shown.js("return (function(){" + _TABLE_GEOMETRY + "}).apply(null, [['source']])")
    assert other["direction"] == "ltr" and other["cells"][0]["align"] == "left"
    # the concordance: both contexts aligned against the match, whatever their length
    gaps = shown.js(_KWIC_GAPS)
    assert len(gaps) == 2 and all(g <= 1 for row in gaps for g in row), gaps
    browser.save_screenshot(str(_artifacts() / "jupyterlab-output-rtl-table.png"))


#: for each concordance row, the gaps (px) between each context's text and the match:
#: the preceding context ends against the match (on its right), the following one starts
#: against it (on its left)
_KWIC_GAPS = r"""
const box = c => { const r = document.createRange(); r.selectNodeContents(c);
                   return r.getBoundingClientRect(); };
return Array.from(document.querySelectorAll('table.hx-kwic tbody tr')).map(tr => {
  const [l, m, r] = tr.children;
  return [box(l).left - l.getBoundingClientRect().left - parseFloat(getComputedStyle(l).paddingLeft),
          r.getBoundingClientRect().right - parseFloat(getComputedStyle(r).paddingRight) - box(r).right]; });
"""


def test_the_concordance_reads_as_the_sentence(pages):
    """02's concordance: the preceding context on the right of the match, aligned against
    it, the following context on its left."""
    page = pages["02-explore"]
    assert page.js("return getComputedStyle(document.querySelector('table.hx-kwic')).direction") == "rtl"
    gaps = page.js(_KWIC_GAPS)
    assert gaps and all(g <= 1 for row in gaps for g in row), gaps
    order = page.js("const [l, m, r] = document.querySelector('table.hx-kwic tbody tr').children;"
                    "return [l, m, r].map(c => c.getBoundingClientRect().left)")
    assert order[0] > order[1] > order[2]
