"""The package as a whole: its exports, its import cost and its one-way layering."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import helpers

SRC = Path(helpers.__file__).parent


def test_every_export_resolves_to_one_module():
    owners: dict[str, list[str]] = {}
    for mod in helpers._MODULES:
        module = importlib.import_module(f"helpers.{mod}")
        for name in module.__all__:
            assert hasattr(module, name), f"helpers.{mod}.__all__ names missing {name!r}"
            owners.setdefault(name, []).append(mod)
    clashes = {name: mods for name, mods in owners.items() if len(mods) > 1}
    assert not clashes, f"names exported by several modules (helpers.<name> is ambiguous): {clashes}"


def test_export_map_read_from_source_matches_the_modules():
    """helpers.<name> finds its module from the source's __all__, without importing every
    module; the map is exactly what the modules declare, and asking for a loader function
    pulls in neither matplotlib nor nbconvert."""
    declared = {}
    for mod in helpers._MODULES:
        for name in importlib.import_module(f"helpers.{mod}").__all__:
            declared[name] = mod
    assert helpers._exports() == declared
    code = ("import sys, helpers; helpers.load_corpus; helpers.tokenize; "
            "print([m for m in ('matplotlib', 'nbconvert', 'sklearn') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_entry_points_named_by_the_issues():
    for name in ("load_corpus", "normalize", "tokenize", "frequencies", "collocations",
                 "keyness", "kwic"):
        assert callable(getattr(helpers, name)), name
    assert callable(helpers.charts.use_arabic_style)
    assert callable(helpers.charts.top_terms)


def test_import_helpers_is_light():
    code = ("import sys, helpers; heavy = [m for m in ('pandas', 'matplotlib', 'nbconvert') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import helpers pulled in {out.stdout.strip()}"


def test_reshaping_happens_only_in_rtl():
    pattern = re.compile(r"\b(arabic_reshaper|get_display|from bidi|import bidi)\b")
    offenders = [p.name for p in SRC.glob("*.py")
                 if p.name != "rtl.py" and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == [], f"reshaping/bidi outside helpers.rtl: {offenders}"


def test_notebooks_do_not_reshape():
    root = SRC.parents[1] / "notebooks"
    for nb in root.glob("*.ipynb"):
        text = nb.read_text(encoding="utf-8")
        assert "arabic_reshaper" not in text and "get_display" not in text, nb.name
