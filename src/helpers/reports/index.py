"""The index page of a build: the corpus summary, one link per report, how it was built."""

from __future__ import annotations

import datetime as _dt
import html as _html
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from helpers import __version__
from helpers.display import bdi, escape, visible_controls

from .export import REPORT_CSS
from .results import BuildResult


def _date(ts: Any) -> str:
    return "\u2014" if ts is None else escape(str(ts)[:10])


def render_index(
    build: BuildResult,
    *,
    corpus: Path,
    fingerprint: str | None,
    started: _dt.datetime,
    parameters: Mapping[str, Any],
    notebooks: Iterable[Path],
    out_dir: Path,
) -> str:
    """Render ``index.html``: corpus summary, one link per report, how it was built."""
    s = build.summary or {}
    rows = []
    if s:
        sources = s.get("sources", [])
        shown = ", ".join(bdi(x) for x in sources[:10]) + (
            f" and {len(sources) - 10:,} more" if len(sources) > 10 else "")
        facts = [
            ("Articles", f"{s['articles']:,}"),
            ("Sources", f"{len(sources):,}" + (f": {shown}" if sources else "")),
            ("Categories", f"{s.get('categories', 0):,}"),
            ("Date range", f"{_date(s.get('date_min'))} to {_date(s.get('date_max'))} "
                           f"({s.get('dated', 0):,} dated articles)" if s.get("dated")
             else "no dates"),
            ("Files or records seen", "\u2014" if s.get("seen") is None else f"{s['seen']:,}"),
            ("Skipped", "\u2014" if s.get("skipped") is None else f"{s['skipped']:,}"),
            ("Duplicate bodies", "\u2014" if s.get("duplicate_bodies") is None
             else f"{s['duplicate_bodies']:,}"),
        ]
        rows = [f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in facts]
    results = {r.name: r for r in build.results}
    items = []
    for nb in notebooks:
        r = results.get(nb.stem)
        page = out_dir / f"{nb.stem}.html"
        link = (f'<a href="{escape(page.name)}">{escape(nb.stem)}</a>' if page.exists()
                else escape(nb.stem))
        if r is None:
            status = "not rebuilt in this run" + (
                f" (page from {escape(_mtime(page))})" if page.exists() else " (no page)")
        elif r.ok:
            status = f"built in {r.seconds:.1f} s"
        else:
            status = f'<span class="hx-build-error">failed: {escape(r.error)}</span>'
        title = f" \u2014 {escape(r.title)}" if r is not None and r.title else ""
        items.append(f"<li>{link}{title}: {status}</li>")
    params = "".join(
        f"<tr><th><code>{escape(k)}</code></th><td><code>{escape(repr(v))}</code></td></tr>"
        for k, v in parameters.items()
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="helpers.reports {escape(__version__)}">
<title>Reports: {_html.escape(visible_controls(corpus.name))}</title>
<style>{REPORT_CSS}
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  line-height: 1.5; padding: 1em 2em; color: #1f2328; }}
th {{ text-align: left; padding-right: 1em; vertical-align: top; }}
</style>
</head>
<body>
<h1>Reports on {bdi(corpus.name)}</h1>
<h2>Corpus</h2>
<table class="hx-table">{''.join(rows)}</table>
<h2>Reports</h2>
<ul>{''.join(items)}</ul>
<h2>How this was built</h2>
<table class="hx-table">
<tr><th>Built</th><td>{escape(started.strftime('%Y-%m-%d %H:%M:%S UTC'))}</td></tr>
<tr><th>Input</th><td><code>{bdi(corpus)}</code></td></tr>
<tr><th>Fingerprint</th><td><code>{escape(fingerprint or 'unknown')}</code></td></tr>
<tr><th>Toolkit</th><td>helpers {escape(__version__)}, Python {escape(sys.version.split()[0])}</td></tr>
</table>
<h3>Parameters</h3>
<table class="hx-table">{params}</table>
</body>
</html>
"""


def _mtime(path: Path) -> str:
    ts = _dt.datetime.fromtimestamp(path.stat().st_mtime, _dt.UTC)
    return ts.strftime("%Y-%m-%d %H:%M UTC")
